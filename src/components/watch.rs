//! Monitoring and security: the alerts the monitoring service fired, each with
//! its time to detect, how long users saw errors that nobody could know about, what an
//! eavesdropper on the Internet link read, and what an attacker probing the hosts reached.

use yew::prelude::*;

use crate::components::table::{cells, head};
use crate::state::Ctx;
use crate::text;

/// The alerts tab, drawn each time the tabs are: a plain function of the context, not a
/// component (each component type adds to the page's size).
pub fn watch_panel(ctx: &Ctx) -> Html {
    let e = ctx.engine.borrow();
    let topo = &e.scenario().topology;
    let m = e.lab().monitoring();
    let s = e.lab().security();
    let alerts = m.alerts.iter().rev().take(30).map(|a| {
        html! {
            <tr data-firing={a.resolved_at.is_none().then_some("")}>
                { cells(vec![
                    crate::narration::rule(a.rule).into(),
                    a.target.clone().into(),
                    text::clock(a.since.0).into(),
                    text::clock(a.fired_at.0).into(),
                    text::duration_us(a.detect_us()).into(),
                    a.resolved_at
                        .map(|t| text::clock(t.0))
                        .unwrap_or_else(|| text::firing().to_string())
                        .into(),
                ]) }
            </tr>
        }
    });
    let exposed = s
        .exposed
        .iter()
        .map(|p| html! { <li><code>{ p }</code></li> });
    html! {
        <div class="watch">
            <section>
                <h3>{ text::monitoring() }</h3>
                <p>{ text::unnoticed(topo.monitoring, m.error_seconds, m.unnoticed_error_seconds) }</p>
                if !m.alerts.is_empty() {
                    <table class="alerts">
                        { head(&text::ALERT_HEADERS.map(crate::i18n::get)) }
                        <tbody>{ for alerts }</tbody>
                    </table>
                }
            </section>
            <section>
                <h3>{ text::eavesdropper_title() }</h3>
                <p>{ text::eavesdropper(topo.https, s.plaintext_seen, s.passwords_seen, s.ciphertext_seen) }</p>
            </section>
            <section>
                <h3>{ text::attacker_title() }</h3>
                <p>{ text::attacker(topo.firewalls, s.probes, s.attacker_reached, s.attacker_blocked) }</p>
                if !s.exposed.is_empty() {
                    <ul class="exposed">{ for exposed }</ul>
                }
            </section>
        </div>
    }
}
