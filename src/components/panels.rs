//! The tabbed panels under the diagram: metrics, the HAProxy stats table,
//! the request inspector, the database, the settings and the text view. Arrow keys move
//! between tabs, as the ARIA tabs pattern has it.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::charts::charts_panel;
use crate::components::database::database_panel;
use crate::components::inspector::inspector;
use crate::components::settings::settings_panel;
use crate::components::settings::Section;
use crate::components::share::share_panel;
use crate::components::stats::stats_panel;
use crate::components::textview::text_view;
use crate::components::watch::watch_panel;
use crate::state::{click_ui, Ctx, Tab, UiAction};
use crate::text;
use foobar_sim::Action;

pub fn tab_words(t: Tab) -> &'static str {
    match t {
        Tab::Metrics => text::tab_metrics(),
        Tab::Stats => text::tab_stats(),
        Tab::Request => text::tab_request(),
        Tab::Database => text::tab_database(),
        Tab::Watch => text::tab_watch(),
        Tab::Settings => text::tab_settings(),
        Tab::Text => text::tab_text(),
        Tab::Share => text::tab_share(),
    }
}

/// What a lesson's step outlines in the panels.
#[derive(Debug, Clone, PartialEq)]
pub enum Control {
    /// The settings the step still asks for, in this section, as (name in the scenario
    /// file, value wanted).
    Settings(Section, Vec<(String, String)>),
    /// A tab, by its id (`request`): the step's highlight says `tab:<id>`.
    Tab(String),
}

/// What the open lesson's step outlines in the panels, if anything (a node named by its
/// highlight is outlined on the diagram instead).
pub fn lesson_control(ctx: &Ctx) -> Option<Control> {
    let e = ctx.engine.borrow();
    let run = e.lesson.as_ref()?;
    if run.asking() || run.passed() {
        return None;
    }
    let step = run.current_step()?;
    let section = match step.action.as_ref() {
        Some(Action::Haproxy { .. }) => Some(Section::Haproxy),
        Some(Action::App { .. }) => Some(Section::App),
        Some(Action::Mysql { .. }) => Some(Section::Mysql),
        Some(Action::Timing { .. }) => Some(Section::Timing),
        _ => None,
    };
    let still = run.still_to_set(e.lab());
    match (section, run.highlight()) {
        (Some(section), _) if !still.is_empty() => Some(Control::Settings(section, still)),
        (_, Some(lit)) => lit
            .strip_prefix("tab:")
            .map(|id| Control::Tab(id.to_string())),
        _ => None,
    }
}

fn focus_tab(t: Tab) {
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&format!("tab-{}", t.id())))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}

/// The tabs and the open tab's panel, drawn each time the App is: a plain function, not a
/// component (each component type adds to the page's size). `counts_only`: the
/// reduced-motion choice, which the settings show.
pub fn panels(ctx: &Ctx, counts_only: bool) -> Html {
    let ui = &*ctx.ui;
    let current = ui.tab;
    let dispatch = ctx.ui.dispatcher();
    // The tab a lesson's step is about: Settings with settings still to make, or the tab
    // its step names.
    let lit = match lesson_control(ctx) {
        Some(Control::Settings(..)) => Some(Tab::Settings),
        Some(Control::Tab(id)) => Tab::ALL.into_iter().find(|t| t.id() == id),
        None => None,
    };
    let tabs = Tab::ALL.iter().map(|&t| {
        let selected = t == current;
        let onclick = click_ui(&dispatch, UiAction::Tab(t));
        let onkeydown = {
            let dispatch = dispatch.clone();
            Callback::from(move |e: KeyboardEvent| {
                let i = Tab::ALL.iter().position(|&x| x == t).unwrap_or(0);
                let n = Tab::ALL.len();
                let to = match e.key().as_str() {
                    "ArrowRight" => Tab::ALL[(i + 1) % n],
                    "ArrowLeft" => Tab::ALL[(i + n - 1) % n],
                    "Home" => Tab::ALL[0],
                    "End" => Tab::ALL[n - 1],
                    _ => return,
                };
                e.prevent_default();
                dispatch.dispatch(UiAction::Tab(to));
                focus_tab(to);
            })
        };
        html! {
            <button type="button" role="tab" id={format!("tab-{}", t.id())}
                    aria-selected={text::flag(selected)}
                    aria-controls={format!("panel-{}", t.id())}
                    tabindex={if selected { "0" } else { "-1" }}
                    data-tab={t.id()} data-highlighted={(lit == Some(t)).then_some("")}
                    {onclick} {onkeydown}>
                { tab_words(t) }
            </button>
        }
    });
    let body = match current {
        Tab::Metrics => charts_panel(ctx),
        Tab::Stats => stats_panel(ctx),
        Tab::Request => inspector(ctx),
        Tab::Database => database_panel(ctx),
        Tab::Watch => watch_panel(ctx),
        Tab::Settings => settings_panel(ctx, ui.refusals, counts_only),
        Tab::Text => text_view(ctx),
        Tab::Share => share_panel(ctx),
    };
    html! {
        <section class="panel tabs-panel" aria-label={text::panels()}>
            <div class="tabs" role="tablist" aria-label={text::panels()}>{ for tabs }</div>
            <div class="tab-body" role="tabpanel" id={format!("panel-{}", current.id())}
                 aria-labelledby={format!("tab-{}", current.id())} tabindex="0">
                { body }
            </div>
        </section>
    }
}
