//! The request inspector: one request's journey, hop by hop with its timings,
//! its outcome and why, the server HAProxy chose and the reason, the database that answered,
//! and what an eavesdropper on the Internet link sees of it (plaintext or ciphertext).

use foobar_sim::trace::{Outcome, ReqKind, Trace};
use foobar_sim::{Action, NodeId, SimTime, Topology};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::table::{cells, head};
use crate::state::{click_ui, Ctx, UiAction};
use crate::text;

fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::Pending => "pending",
        o if o.is_ok() => "ok",
        _ => "error",
    }
}

fn journey_view(t: &Topology, now: SimTime, j: &Trace) -> Html {
    let name = |n: NodeId| t.node(n).name.clone();
    let hops = j.hops.iter().enumerate().map(|(i, h)| {
        let future = h.t0 > now;
        html! {
            <tr data-future={future.then_some("")}>
                { cells(vec![
                    (i + 1).into(),
                    format!("{} → {}", name(h.from), name(h.to)).into(),
                    format!("+{}", text::duration_us(h.t0 - j.start)).into(),
                    text::duration_us(h.t1 - h.t0).into(),
                ]) }
            </tr>
        }
    });
    let total = (j.outcome != Outcome::Pending).then(|| text::duration_us(j.end - j.start));
    let why = text::cause(j.cause);
    // The facts, in order, those that apply: one loop draws them.
    let mut facts: Vec<(&'static str, Html)> = vec![
        (text::field_kind(), text::kind(j.kind).into()),
        (
            text::field_outcome(),
            html! {
                <span class="outcome" data-outcome={outcome_class(j.outcome)}>
                    { text::outcome(j.outcome) }
                </span>
            },
        ),
    ];
    if !why.is_empty() {
        facts.push((text::field_why(), why.into()));
    }
    if let Some(total) = total {
        facts.push((text::field_total(), total.into()));
    }
    if let Some(s) = j.server {
        let chosen = text::server_and_reason(&name(s), j.reason);
        facts.push((text::field_server(), chosen.into()));
    }
    if let Some(db) = j.db {
        facts.push((text::field_db(), name(db).into()));
    }
    if j.retries > 0 {
        let retries = text::retries(j.retries, j.redispatched);
        facts.push((text::field_retries(), retries.into()));
    }
    if j.queue_wait_us > 0 {
        facts.push((
            text::field_queue(),
            text::duration_us(j.queue_wait_us).into(),
        ));
    }
    if j.kind == ReqKind::Read {
        let stale = if j.stale {
            text::yes_stale()
        } else {
            text::no()
        };
        facts.push((text::field_stale(), stale.into()));
    }
    facts.push((
        text::field_wire(),
        html! {
            <>
                { if j.tls { text::ciphertext() } else { text::plaintext() } }
                <br />
                <code class="wire" data-cipher={j.tls.then_some("")}>
                    { text::wire_sample(j.path, j.tls) }
                </code>
            </>
        },
    ));
    html! {
        <article class="journey" data-request={j.id.to_string()}>
            <h3>{ text::request_title(j.id, j.path) }</h3>
            <dl class="facts">
                { for facts.into_iter().map(|(label, value)| html! {
                    <><dt>{ label }</dt><dd>{ value }</dd></>
                }) }
            </dl>
            <table class="hops">
                <caption>{ text::journey() }</caption>
                { head(&["#", text::hop_from_to(), text::hop_at(), text::hop_takes()]) }
                <tbody>{ for hops }</tbody>
            </table>
        </article>
    }
}

/// The request tab, drawn each time the tabs are: a plain function of the context, not a
/// component (each component type adds to the page's size).
pub fn inspector(ctx: &Ctx) -> Html {
    let e = ctx.engine.borrow();
    let lab = e.lab();
    let current = ctx.ui.selected.map(|id| lab.journey(id));
    let body = match current {
        None => html! { <p class="empty">{ text::inspector_empty() }</p> },
        Some(None) => html! { <p class="empty">{ text::inspector_gone() }</p> },
        Some(Some(j)) => journey_view(e.topology(), e.now(), &j),
    };
    let dispatch = ctx.ui.dispatcher();
    let recent = lab
        .traces()
        .iter()
        .rev()
        .filter(|t| !ctx.ui.errors_only || !t.outcome.is_ok())
        .take(12)
        .map(|t| {
            let id = t.id;
            let onclick = click_ui(&dispatch, UiAction::Inspect(id));
            let chosen = ctx.ui.selected == Some(id);
            html! {
                <li>
                    <button type="button" class="trace" data-outcome={outcome_class(t.outcome)}
                            aria-pressed={text::flag(chosen)} {onclick}>
                        { format!("#{} {} — {}", t.id, t.path, text::outcome(t.outcome)) }
                    </button>
                </li>
            }
        });
    let send = |kind: ReqKind| {
        let act = ctx.act.clone();
        let engine = ctx.engine.clone();
        let dispatch = dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            act.emit(Action::SendOne { kind });
            let newest = engine.borrow().newest_traced();
            if let Some(id) = newest {
                dispatch.dispatch(UiAction::Inspect(id));
            }
        });
        html! {
            <button type="button" data-send={kind.as_str()} {onclick}>{ text::kind(kind) }</button>
        }
    };
    let on_errors_only = {
        let dispatch = dispatch.clone();
        Callback::from(move |ev: Event| {
            let on = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .is_some_and(|i| i.checked());
            dispatch.dispatch(UiAction::ErrorsOnly(on));
        })
    };
    html! {
        <div class="inspector">
            <div class="send-one" role="group" aria-label={text::send_one()}>
                <span>{ text::send_one() }</span>
                { send(ReqKind::Static) }
                { send(ReqKind::Read) }
                { send(ReqKind::Write) }
            </div>
            { body }
            <div class="recent">
                <h3>{ text::recent() }</h3>
                <label class="check">
                    <input type="checkbox" checked={ctx.ui.errors_only} onchange={on_errors_only} />
                    { text::errors_only() }
                </label>
                <ul>{ for recent }</ul>
            </div>
        </div>
    }
}
