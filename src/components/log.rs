//! The narrated event log: what happened, in the words the real software uses,
//! newest first, as a table (time, event) that screen readers and a projector both read.

use foobar_sim::log::{FaultChange, LogEvent};
use yew::prelude::*;

use crate::narration;
use crate::state::Ctx;
use crate::text;

/// How many of the latest entries the page shows (the core keeps more).
const SHOWN: usize = 200;

/// The log panel: a plain function, not a component (each component type adds to the
/// page's size); the App keeps what it drew until a line is written (`use_memo`).
pub fn log_panel(ctx: &Ctx) -> Html {
    let e = ctx.engine.borrow();
    let log = e.lab().log();
    let rows: Vec<Html> = log
        .iter()
        .rev()
        .take(SHOWN)
        .map(|entry| {
            let line = narration::log_line(entry);
            let tone = tone(&entry.event);
            html! {
                <tr data-tone={tone}>
                    <td class="log-time">{ text::clock(entry.t.0) }</td>
                    <td class="log-text">{ line }</td>
                </tr>
            }
        })
        .collect();
    let latest = log.iter().next_back().map(narration::log_line);
    html! {
        <section class="panel log-panel" aria-labelledby="log-title">
            <h2 id="log-title">{ text::log() }</h2>
            // The newest line, announced politely; the table itself is not live (too chatty).
            <p class="sr-only" aria-live="polite">{ latest.unwrap_or_default() }</p>
            if rows.is_empty() {
                <p class="empty">{ text::log_empty() }</p>
            } else {
                <div class="scroll">
                    <table class="log" data-log-lines={rows.len().to_string()}>
                        <thead class="sr-only">
                            <tr><th scope="col">{ text::log_time() }</th>
                                <th scope="col">{ text::log_event() }</th></tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
        </section>
    }
}

/// A line's tone, for a coloured mark beside it (the words carry the meaning).
fn tone(event: &LogEvent) -> &'static str {
    match event {
        LogEvent::ServerDown { .. }
        | LogEvent::UsersSeeErrors { .. }
        | LogEvent::NoServerAvailable { .. } => "bad",
        LogEvent::ServerUp { .. } => "good",
        LogEvent::Fault {
            change: FaultChange::Restored | FaultChange::LinkRepaired,
            ..
        } => "good",
        LogEvent::Fault { .. } | LogEvent::CheckFailed { .. } | LogEvent::PassiveCheck { .. } => {
            "warn"
        }
        _ => "info",
    }
}
