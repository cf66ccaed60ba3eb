//! Foobar Lab, the page: a Yew app that draws the `foobar-sim` world.
//!
//! The world's shape comes from the core (`Topology`); the page only lays it out and draws it.

pub mod components;
pub mod layout;

use foobar_sim::{Scenario, Topology};
use yew::prelude::*;

use crate::components::Diagram;

#[component]
pub fn App() -> Html {
    let scenario = use_memo((), |_| Scenario::three_server());
    let topology = use_memo((), {
        let scenario = scenario.clone();
        move |_| Topology::build(&scenario)
    });
    html! {
        <div class="app">
            <header class="masthead">
                <h1>{ "Foobar Lab — www.foobar.com" }</h1>
                <p class="scenario">
                    <span class="scenario-name">{ &scenario.name }</span>
                    { " " }
                    { &scenario.description }
                </p>
            </header>
            <main>
                <Diagram topology={topology} />
            </main>
        </div>
    }
}
