//! The page's views (`World::keep_views`) are only kept, never part of the run: without them
//! the CLI runs the same events in the same order and reports the same
//! summary, trace_hash included.

mod common;

use common::{all_shipped, fault};
use foobar_sim::scenario::FaultKind;
use foobar_sim::{SimTime, Summary, World};

fn summary_json(mut w: World, secs: f64) -> (String, World) {
    w.advance_to(SimTime::from_secs_f64(secs));
    (serde_json::to_string(&Summary::of(&w)).unwrap(), w)
}

/// Every shipped scenario, for its first two simulated minutes, gives the same
/// summary with the views kept and without; without, nothing of them is kept.
#[test]
fn a_run_without_the_views_is_the_same_run() {
    for s in all_shipped() {
        let secs = s.duration_s.min(120.0);
        let (with, _) = summary_json(World::new(&s).unwrap(), secs);
        let mut w = World::new(&s).unwrap();
        w.keep_views(false);
        let (without, w) = summary_json(w, secs);
        assert_eq!(with, without, "{}: the summaries differ", s.name);
        assert_eq!(w.traces.len(), 0, "{}: traces kept", s.name);
        assert!(w.tails.is_empty(), "{}: tails kept", s.name);
        assert!(
            w.requests().all(|r| r.cur.t1 == SimTime::ZERO),
            "{}: hops kept",
            s.name
        );
        assert!(w.series.seconds().all(|sec| sec.latency_p99_us == 0));
    }
}

/// The same with faults that time requests out, cut their chains and retry them
/// (a crash, a partition, a slow app), through the views being turned off mid-run.
#[test]
fn faults_and_timeouts_run_the_same_without_the_views() {
    let mut s = common::shipped("three-server");
    s.traffic.rate = 300.0;
    s.faults = vec![
        fault(5.0, "web-01", FaultKind::Crash),
        fault(12.0, "web-01", FaultKind::Restore),
        fault(15.0, "web-02/app", FaultKind::Partition),
        fault(40.0, "web-02/app", FaultKind::Restore),
        fault(45.0, "web-01/app", FaultKind::Slow { factor: 50.0 }),
    ];
    // One server, no load balancer: Nginx's own timeout answers a hung app (504).
    let mut one = common::shipped("one-server");
    one.traffic.rate = 200.0;
    one.faults = vec![
        fault(5.0, "web-01/app", FaultKind::Partition),
        fault(75.0, "web-01/app", FaultKind::Restore),
    ];
    for s in [s, one] {
        let (with, _) = summary_json(World::new(&s).unwrap(), 90.0);
        let mut w = World::new(&s).unwrap();
        w.advance_to(SimTime::from_secs_f64(4.0));
        w.keep_views(false);
        let (without, _) = summary_json(w, 90.0);
        assert_eq!(with, without, "{}", s.name);
        assert!(
            with.contains("\"504\""),
            "{}: no timeout seen: {with}",
            s.name
        );
    }
}

/// Writing every trace keeps the views (the records hold the hops), whatever else asks.
#[test]
fn writing_the_trace_keeps_the_views() {
    let s = common::shipped("three-server");
    let mut w = World::new(&s).unwrap();
    w.keep_all_traces(true);
    w.keep_views(false);
    w.advance_to(SimTime::from_secs_f64(5.0));
    let traces = w.drain_traces();
    assert!(!traces.is_empty());
    assert!(traces.iter().all(|t| !t.hops.is_empty()));
}
