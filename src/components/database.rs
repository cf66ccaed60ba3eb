//! The database panel (SPEC U4, S6): each MySQL server's role, `read_only`, its condition and
//! the replica's lag (`Seconds_Behind_Source`, with the sub-second part shown apart, as
//! MODEL.md asks). Rows side by side and lost transactions slot in here when the core has them.

use foobar_sim::world::DbRole;
use yew::prelude::*;

use crate::state::Ctx;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct DatabasePanelProps {
    pub tick: u64,
}

#[component]
pub fn DatabasePanel(_props: &DatabasePanelProps) -> Html {
    let ctx = use_context::<Ctx>().expect("the App provides a Ctx");
    let e = ctx.engine.borrow();
    let t = e.topology();
    let lag_us = e.world().series.seconds().last().map_or(0, |s| s.lag_us);
    let rows = e.snap.dbs.iter().map(|d| {
        let state = e
            .snap
            .nodes
            .get(d.node.index())
            .map_or("up", |n| n.effective);
        let lag = match d.role {
            DbRole::Primary => "—".to_string(),
            DbRole::Replica => format!("{} ({:.2} s)", lag_us / 1_000_000, lag_us as f64 / 1e6),
        };
        html! {
            <tr data-db={t.node(d.node).name.clone()}>
                <th scope="row">{ &t.node(d.node).name }</th>
                <td>{ text::db_role(d.role, d.read_only) }</td>
                <td>{ if d.read_only { text::ON } else { text::OFF } }</td>
                <td>{ text::state_badge(state, 1.0) }</td>
                <td>{ lag }</td>
            </tr>
        }
    });
    html! {
        <div class="database">
            <table class="dbs">
                <caption>{ text::DB_CAPTION }</caption>
                <thead><tr>
                    <th scope="col">{ text::DB_NODE }</th>
                    <th scope="col">{ text::DB_ROLE }</th>
                    <th scope="col"><code>{ text::DB_READ_ONLY }</code></th>
                    <th scope="col">{ text::DB_STATE }</th>
                    <th scope="col"><code>{ text::DB_LAG }</code></th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p class="note">{ text::DB_ROWS_LATER }</p>
        </div>
    }
}
