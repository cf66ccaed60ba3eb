//! The HAProxy stats table: one row per server, the columns HAProxy's own stats
//! page has, with the server's weight and administrative state changeable in place (the
//! runtime API's `set server … weight` and `set server … state`).

use foobar_sim::num::Fixed;
use foobar_sim::world::AdminState;
use foobar_sim::Action;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::field::NumberField;
use crate::components::table::cells;
use crate::state::Ctx;
use crate::text;

fn secs(s: f64) -> String {
    text::seconds(&crate::i18n::fixed(s, if s >= 100.0 { 0 } else { 1 }))
}

/// The HAProxy stats tab, drawn each time the tabs are: a plain function of the context, not a
/// component (each component type adds to the page's size).
pub fn stats_panel(ctx: &Ctx) -> Html {
    let e = ctx.engine.borrow();
    let t = e.topology();
    if t.lb_hosts.is_empty() {
        return html! { <p class="empty">{ text::no_lb() }</p> };
    }
    let two_lbs = t.lb_hosts.len() > 1;
    let rows = e.snap.servers.iter().map(|s| {
        let lb = &t.node(s.lb).name;
        let server = s.name.clone();
        // The runtime API's `set server web/<name> weight <n>`: a refusal is said beside the box.
        let commit_weight = {
            let (engine, changed) = (ctx.engine.clone(), ctx.changed.clone());
            let server = server.clone();
            Callback::from(move |raw: String| {
                let weight = raw
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| text::not_a_number("weight", &raw))?;
                let result = engine.borrow_mut().apply(Action::Weight {
                    server: server.clone(),
                    weight,
                });
                changed.emit(());
                result.map_err(|e| format!("{} {e}", text::refused()))
            })
        };
        let on_state = {
            let act = ctx.act.clone();
            let server = server.clone();
            Callback::from(move |ev: Event| {
                let Some(select) = ev.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                else {
                    return;
                };
                let state = match select.value().as_str() {
                    "drain" => AdminState::Drain,
                    "maint" => AdminState::Maint,
                    _ => AdminState::Ready,
                };
                act.emit(Action::ServerState {
                    server: server.clone(),
                    state,
                });
            })
        };
        let admin = match s.admin {
            AdminState::Ready => "ready",
            AdminState::Drain => "drain",
            AdminState::Maint => "maint",
        };
        html! {
            <tr data-server={s.name.clone()}>
                <th scope="row">
                    // With two load balancers, say whose view a row is.
                    if two_lbs { { format!("{lb}/{}", s.name) } } else { { s.name.clone() } }
                </th>
                <td class="status" data-trend={text::Trend::of(s.status).name()}>
                    { text::check_badge(s.status) }
                </td>
                <td>
                    <select aria-label={text::state_of(&s.name)} onchange={on_state}>
                        { for ["ready", "drain", "maint"].iter().map(|v| html! {
                            <option value={*v} selected={*v == admin}>{ *v }</option>
                        }) }
                    </select>
                </td>
                <td>
                    <NumberField id={format!("weight-{lb}-{}", s.name)} class="weight" step="1"
                                 min="0" max="256" value={s.weight.to_string()}
                                 aria_label={text::weight_of(&s.name)}
                                 commit={commit_weight} />
                </td>
                <td>{ format!("{} {}ms", s.check_status.as_str(), Fixed(s.check_duration_ms, 0)) }</td>
                { cells(vec![
                    s.scur.into(),
                    s.qcur.into(),
                    s.stot.into(),
                    s.served.into(),
                    s.chkfail.into(),
                    s.chkdown.into(),
                    secs(s.lastchg_s).into(),
                    secs(s.downtime_s).into(),
                    s.hrsp_5xx.into(),
                ]) }
            </tr>
        }
    });
    let header = |i: usize| {
        let (abbr, long) = text::STATS_HEADERS[i];
        let long = crate::i18n::get(long);
        html! { <th scope="col" title={long}><abbr title={long}>{ abbr }</abbr></th> }
    };
    html! {
        <div class="scroll-x">
            <table class="stats">
                <caption>{ text::stats_caption() }</caption>
                <thead>
                    <tr>
                        // What a person changes (state, weight) first, in view without
                        // scrolling sideways; then HAProxy's own columns.
                        { header(0) }{ header(1) }
                        <th scope="col">{ text::admin() }</th>
                        { header(3) }{ header(2) }
                        { for (4..text::STATS_HEADERS.len()).map(header) }
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}
