//! Helpers shared by the scenario tests.
#![allow(dead_code)]

use foobar_sim::scenario::{FaultKind, ScheduledFault};
use foobar_sim::trace::Trace;
use foobar_sim::{Scenario, SimTime, Summary, World};

/// A scenario shipped in scenarios/.
pub fn shipped(name: &str) -> Scenario {
    let path = format!("{}/../scenarios/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Scenario::from_json(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every scenario shipped in scenarios/, by name.
pub fn all_shipped() -> Vec<Scenario> {
    let dir = format!("{}/../scenarios", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.ok()?.path();
            (path.extension()? == "json").then_some(())?;
            path.file_stem()?.to_str().map(String::from)
        })
        .collect();
    names.sort();
    names.iter().map(|n| shipped(n)).collect()
}

/// The lessons of a language: the `lessons` of the page's `lang/<code>.json`, as JSON.
pub fn lessons_json(lang: &str) -> String {
    let path = format!("{}/../lang/{lang}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let file: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    file["lessons"].to_string()
}

/// A fault in a scenario's schedule.
pub fn fault(at_s: f64, target: &str, fault: FaultKind) -> ScheduledFault {
    ScheduledFault {
        at_s,
        target: target.into(),
        fault,
    }
}

/// Runs a scenario for `secs` simulated seconds, keeping every trace.
pub fn run(s: &Scenario, secs: f64) -> (World, Vec<Trace>) {
    let mut w = World::new(s).unwrap();
    w.keep_all_traces(true);
    w.advance_to(SimTime::from_secs_f64(secs));
    let traces = w.drain_traces();
    (w, traces)
}

pub fn summary(w: &World) -> Summary {
    Summary::of(w)
}

pub fn host_name(w: &World, t: &Trace) -> Option<String> {
    t.server.map(|h| w.topology().node(h).name.clone())
}

/// Erlang C's mean wait in queue for an M/M/c queue.
pub fn erlang_c_wait(lambda: f64, mu: f64, c: u32) -> f64 {
    let a = lambda / mu;
    let rho = a / c as f64;
    let mut sum = 0.0;
    let mut term = 1.0;
    for k in 0..c {
        if k > 0 {
            term *= a / k as f64;
        }
        sum += term;
    }
    let last = term * a / c as f64 / (1.0 - rho);
    let pw = last / (sum + last);
    pw / (c as f64 * mu - lambda)
}

/// How many cases a property test runs: `PROPTEST_CASES` when set (a long run, say 20,000),
/// else `default`, sized for `./dev test`.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
