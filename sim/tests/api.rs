//! The API the page and the CLI use: scenario files refused with the field named, time travel
//! by replay, determinism across builds (docs/architecture.md, "Determinism", "Time travel").

mod common;
use common::*;
use foobar_sim::error::{ActionError, Problem};
use foobar_sim::scenario::FaultKind;
use foobar_sim::trace::ReqKind;
use foobar_sim::world::Condition;
use foobar_sim::{Action, Lab, Scenario, SimTime, Snapshot, World};
use proptest::prelude::*;

fn err_of(json: &str) -> String {
    Scenario::from_json(json)
        .expect_err("should be refused")
        .to_string()
}

/// The field a refused scenario names, and what is wrong with it.
fn problem_of(json: &str) -> (String, Problem) {
    let e = Scenario::from_json(json).expect_err("should be refused");
    (e.path, e.problem)
}

/// A scenario's name is one line of plain text of at most 64 characters, and its description
/// plain text of at most 2,000; anything else is refused naming the field, and a message
/// quotes a name back with its hidden characters escaped.
#[test]
fn names_and_descriptions_are_plain_text() {
    assert_eq!(
        problem_of(r#"{"name": "shop\nDROP DATABASE shop; --"}"#),
        ("name".into(), Problem::LineBreak { at: 5 })
    );
    assert_eq!(
        problem_of(r#"{"name": "  "}"#),
        ("name".into(), Problem::Blank)
    );
    let long = format!(r#"{{"name": "{}"}}"#, "n".repeat(65));
    assert_eq!(
        problem_of(&long),
        ("name".into(), Problem::TooLong { max: 64, got: 65 })
    );
    assert_eq!(
        problem_of(r#"{"name": "ab\u202ecd"}"#),
        (
            "name".into(),
            Problem::HiddenCharacter {
                at: 3,
                code: 0x202E
            }
        )
    );
    assert_eq!(
        problem_of(r#"{"description": "red \u001b[31m"}"#),
        (
            "description".into(),
            Problem::HiddenCharacter { at: 5, code: 0x1B }
        )
    );
    assert!(Scenario::from_json(r#"{"description": "One.\r\n\tTwo."}"#).is_ok());
    assert_eq!(
        err_of(r#"{"haproxy": {"balance": "x\u001b[2J\ny"}}"#),
        "haproxy.balance: unknown value `x\\u{1b}[2J\\u{a}y`; it is one of roundrobin, \
         static-rr, leastconn, first, source, random"
    );
}

/// A bad scenario is refused with an error naming the field and why, as a type the page can
/// word in any language, whose English is the message.
#[test]
fn bad_scenarios_name_the_field() {
    let range = |min: f64, max: f64, got: f64| Problem::OutOfRange { min, max, got };
    assert_eq!(
        problem_of(r#"{"traffic": {"rate": 10000}}"#),
        ("traffic.rate".into(), range(0.1, 5000.0, 10000.0))
    );
    assert_eq!(
        problem_of(r#"{"haproxy": {"rise": 0}}"#),
        ("haproxy.rise".into(), range(1.0, 100.0, 0.0))
    );
    assert_eq!(
        err_of(r#"{"haproxy": {"rise": 0}}"#),
        "haproxy.rise: must be from 1 to 100, not 0"
    );
    assert_eq!(
        problem_of(r#"{"haproxy": {"inter_ms": -5}}"#),
        (
            "haproxy.inter_ms".into(),
            Problem::MsOutOfRange {
                min: 10.0,
                max: 3_600_000.0,
                got: -5.0
            }
        )
    );
    assert_eq!(
        problem_of(r#"{"topology": {"web_hosts": 9}}"#),
        ("topology.web_hosts".into(), range(1.0, 8.0, 9.0))
    );
    assert_eq!(
        problem_of(r#"{"haproxy": {"balance": "first"}}"#),
        ("haproxy.maxconn".into(), Problem::FirstNeedsMaxconn)
    );
    let (path, p) = problem_of(r#"{"haproxy": {"servers": [{"name": "web-07"}]}}"#);
    assert_eq!(path, "haproxy.servers[0].name");
    assert!(
        matches!(p, Problem::UnknownWebHost { ref name, ref known } if name == "web-07" && known == &["web-01", "web-02"])
    );
    let (path, p) = problem_of(r#"{"haproxy": {"baalnce": "roundrobin"}}"#);
    assert_eq!(path, "haproxy");
    assert!(
        matches!(p, Problem::UnknownField { ref name, ref known } if name == "baalnce" && known.iter().any(|k| k == "balance"))
    );
    let (path, p) = problem_of(r#"{"haproxy": {"balance": "fastest"}}"#);
    assert_eq!(path, "haproxy.balance");
    assert!(matches!(p, Problem::UnknownValue { ref name, .. } if name == "fastest"));
    for bad in [r#"{"traffic": {"rate": 1e999}}"#, "{", ""] {
        let (path, p) = problem_of(bad);
        assert_eq!(path, "");
        let Problem::NotAScenario(e) = p else {
            panic!("{bad}: {p:?}")
        };
        assert!(matches!(
            e.problem,
            Problem::Syntax { .. } | Problem::EndsTooSoon { .. }
        ));
    }
    assert!(err_of("{").starts_with("not a valid scenario: the text ends too soon"));
    let f = r#"{"faults": [{"at_s": 1, "target": "web-01", "fault": {"slow": {"factor": 0.5}}}]}"#;
    assert_eq!(
        problem_of(f),
        ("faults[0].fault.factor".into(), range(1.0, 1000.0, 0.5))
    );
}

/// Every shipped scenario loads, and a scenario survives a round trip through JSON.
#[test]
fn shipped_scenarios_load_and_round_trip() {
    let dir = format!("{}/../scenarios", env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            let s =
                Scenario::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
            World::new(&s).unwrap();
            n += 1;
        }
    }
    assert!(n >= 5);
}

/// A scheduled fault naming a node or link the topology lacks is refused when
/// the file is read, naming the field and the names that exist; so is a fault its target
/// cannot take.
#[test]
fn a_scheduled_fault_on_an_unknown_target_is_refused_when_read() {
    let f = r#"{"faults": [{"at_s": 1, "target": "web-09", "fault": "crash"}]}"#;
    let e = err_of(f);
    assert!(e.starts_with("faults[0].target:"), "{e}");
    for known in ["web-09", "web-01", "web-02/app", "lb-01", "lb-01--web-02"] {
        assert!(e.contains(known), "{known} missing from: {e}");
    }
    let (path, p) = problem_of(f);
    assert_eq!(path, "faults[0].target");
    let Problem::UnknownTarget { name, nodes, links } = p else {
        panic!("{p:?}")
    };
    assert_eq!(name, "web-09");
    assert!(nodes.iter().any(|n| n == "web-02/app") && links.iter().any(|l| l == "lb-01--web-02"));
    let mut s = Scenario::three_server();
    s.faults = vec![foobar_sim::scenario::ScheduledFault {
        at_s: 1.0,
        target: "web-99".into(),
        fault: FaultKind::Crash,
    }];
    assert!(World::new(&s).is_err());
    let loss = r#"{"faults": [{"at_s": 1, "target": "web-01", "fault": {"loss": {"rate": 0.1}}}]}"#;
    assert_eq!(
        problem_of(loss),
        ("faults[0].fault".into(), Problem::LossOnNode)
    );
    let drain = r#"{"faults": [{"at_s": 1, "target": "web-02--lb-01", "fault": "drain"}]}"#;
    assert_eq!(
        problem_of(drain),
        ("faults[0].fault".into(), Problem::DrainOnLink)
    );
    let fine = r#"{"faults": [{"at_s": 1, "target": "web-02--lb-01", "fault": "partition"}]}"#;
    assert!(Scenario::from_json(fine).is_ok());
}

proptest! {
    /// Any text, or any cut of a real scenario, gives a scenario or a message:
    /// never a panic.
    #[test]
    fn scenario_parsing_never_panics(text in ".{0,200}", cut in 0usize..2000) {
        let _ = Scenario::from_json(&text);
        let full = Scenario::three_server().to_json();
        let cut = cut.min(full.len());
        if full.is_char_boundary(cut) {
            let _ = Scenario::from_json(&full[..cut]);
        }
    }

    /// Numbers anywhere in range or not: validation answers, the world builds or is refused.
    #[test]
    fn absurd_settings_are_refused_not_fatal(rate in -1e6..1e6f64, inter in -1e3..1e8f64, web in 0u32..20, workers in 0u32..5000) {
        let mut s = Scenario::three_server();
        s.traffic.rate = rate;
        s.haproxy.inter_ms = inter;
        s.topology.web_hosts = web;
        s.app.workers = workers;
        match World::new(&s) {
            Ok(mut w) => w.advance_to(SimTime::from_secs_f64(1.0)),
            Err(e) => prop_assert!(!e.path.is_empty()),
        }
    }
}

fn stamp(w: &World) -> String {
    serde_json::to_string(&foobar_sim::Summary::of(w)).unwrap()
}

/// Where a hop has no latency its step runs at once, not through the queue (the
/// M/M/c model): the run is still the queue's, event by event, and a replay that stops
/// mid-way through a stepped moment stops at the same event.
#[test]
fn steps_run_at_once_keep_the_queues_order() {
    let s = shipped("mmc");
    let t = SimTime::from_secs_f64(5.0);
    let mut straight = World::new(&s).unwrap();
    straight.advance_to(t);
    let mut stepped = World::new(&s).unwrap();
    while stepped.events < straight.events {
        stepped.step();
    }
    stepped.advance_to(t);
    assert_eq!(stamp(&stepped), stamp(&straight));

    let mut lab = Lab::new(&s).unwrap();
    lab.advance_to(SimTime::from_secs_f64(2.0));
    for _ in 0..7 {
        lab.step();
    }
    lab.apply(Action::SendOne {
        kind: ReqKind::Read,
    })
    .unwrap();
    lab.advance_to(SimTime::from_secs_f64(4.0));
    let run = stamp(lab.world());
    lab.seek(SimTime::from_secs_f64(1.0));
    lab.seek(SimTime::from_secs_f64(4.0));
    assert_eq!(stamp(lab.world()), run);
    let again = Lab::replay(&s, lab.actions().to_vec(), SimTime::from_secs_f64(4.0)).unwrap();
    assert_eq!(stamp(again.world()), run);
}

/// Jumping back and playing forward again gives exactly the run that was, actions
/// included, even one taken mid-way through a stepped moment.
#[test]
fn time_travel_replays_exactly() {
    let mut s = Scenario::three_server();
    s.traffic.rate = 200.0;
    let mut lab = Lab::new(&s).unwrap();
    lab.advance_to(SimTime::from_secs_f64(7.3));
    lab.apply(Action::Fault {
        target: "web-01".into(),
        fault: FaultKind::Crash,
    })
    .unwrap();
    for _ in 0..17 {
        lab.step();
    }
    lab.apply(Action::SendOne {
        kind: ReqKind::Write,
    })
    .unwrap();
    lab.advance_to(SimTime::from_secs_f64(21.0));
    lab.apply(Action::Fault {
        target: "web-01".into(),
        fault: FaultKind::Restore,
    })
    .unwrap();
    lab.advance_to(SimTime::from_secs_f64(40.0));
    let straight = stamp(lab.world());
    for t in [3.0, 7.3, 12.0, 21.0, 0.0, 39.0] {
        lab.seek(SimTime::from_secs_f64(t));
        assert_eq!(lab.now(), SimTime::from_secs_f64(t));
        lab.seek(SimTime::from_secs_f64(40.0));
        assert_eq!(
            stamp(lab.world()),
            straight,
            "after a jump to {t} s and back"
        );
    }
    // A share link carries the scenario, the actions and the moment.
    let again = Lab::replay(&s, lab.actions().to_vec(), SimTime::from_secs_f64(40.0)).unwrap();
    assert_eq!(stamp(again.world()), straight);
    // Taking an action after a jump back forgets the old future.
    lab.seek(SimTime::from_secs_f64(15.0));
    lab.apply(Action::Rate { rate: 0.0 }).unwrap();
    assert_eq!(lab.actions().len(), 3);
    assert_eq!(lab.horizon(), SimTime::from_secs_f64(15.0));
}

/// A jump costs a replay from the nearest checkpoint, at most a few seconds of
/// simulated time, however long the run.
#[test]
fn a_jump_replays_only_from_the_nearest_checkpoint() {
    let mut s = Scenario::three_server();
    s.traffic.rate = 500.0;
    let mut lab = Lab::new(&s).unwrap();
    lab.advance_to(SimTime::from_secs_f64(600.0));
    assert!(lab.checkpoint_count() <= foobar_sim::lab::MAX_CHECKPOINTS);
    let per_second = lab.world().events / 600;
    lab.seek(SimTime::from_secs_f64(597.0));
    let replayed = lab.last_replay_events();
    assert!(
        replayed <= per_second * 5,
        "replayed {replayed} events, {per_second}/s"
    );
    assert!(replayed > 0);
    // A jump far back lands on a thinned checkpoint: still bounded.
    lab.seek(SimTime::from_secs_f64(100.0));
    assert_eq!(lab.now(), SimTime::from_secs_f64(100.0));
    assert!(
        lab.last_replay_events() <= per_second * 120,
        "{}",
        lab.last_replay_events()
    );
}

/// A snapshot lists every node and the requests under way, and reuses its buffers.
#[test]
fn snapshots_show_nodes_and_requests_in_flight() {
    let mut s = Scenario::three_server();
    s.traffic.rate = 2000.0;
    let mut w = World::new(&s).unwrap();
    w.advance_to(SimTime::from_secs_f64(2.0));
    w.apply(&Action::Fault {
        target: "web-01".into(),
        fault: FaultKind::Crash,
    })
    .unwrap();
    let mut snap = Snapshot::default();
    w.snapshot_into(&mut snap);
    assert_eq!(snap.nodes.len(), w.topology().nodes.len());
    let web01 = w.topology().node_by_name("web-01").unwrap().index();
    let app01 = w.topology().node_by_name("web-01/app").unwrap().index();
    assert_eq!(
        (
            snap.nodes[web01].own,
            snap.nodes[app01].own,
            snap.nodes[app01].effective
        ),
        (Condition::Crashed, Condition::Up, Condition::Crashed)
    );
    assert!(snap.in_flight > 20, "{} in flight", snap.in_flight);
    assert!(snap.flights.iter().all(|f| f.t0 <= f.t1));
    assert_eq!(snap.servers.len(), 2);
    // The next frame's snapshot refills the same buffer instead of allocating a new one.
    let (cap, buffer) = (snap.flights.capacity(), snap.flights.as_ptr());
    w.advance_to(SimTime::from_secs_f64(2.01));
    w.snapshot_into(&mut snap);
    assert!(
        snap.flights.len() <= cap,
        "{} > {cap} in flight",
        snap.flights.len()
    );
    assert_eq!(snap.flights.as_ptr(), buffer);
}

/// The same run gives the same fingerprint natively and in WebAssembly: the browser
/// tests check the very same value (tests/sim_wasm.rs in the page's crate).
#[test]
fn golden_trace_hash() {
    let golden = include_str!("golden.txt").trim();
    let (w, _) = run(&shipped("kill-web-01"), 40.0);
    assert_eq!(
        foobar_sim::Summary::of(&w).trace_hash,
        golden,
        "the model changed: update sim/tests/golden.txt if that was meant"
    );
}

/// The inspector: a request is found by its id while under way (pending, its
/// hops so far) and after it ends (the ring's record, the same hops and more).
#[test]
fn a_journey_is_found_in_flight_and_after() {
    let mut w = World::new(&Scenario::three_server()).unwrap();
    w.advance_to(SimTime::from_secs_f64(1.0));
    let id = w.send_one(ReqKind::Write);
    w.advance_to(SimTime::from_secs_f64(1.001));
    let under_way = w.journey(id).expect("in flight");
    assert_eq!(under_way.id, id);
    assert_eq!(under_way.outcome, foobar_sim::trace::Outcome::Pending);
    assert!(!under_way.hops.is_empty());
    assert!(under_way.traced);
    w.advance_to(SimTime::from_secs_f64(10.0));
    let done = w.journey(id).expect("kept in the ring");
    assert!(done.outcome.is_ok(), "{:?}", done.outcome);
    assert!(done.end > done.start);
    assert!(done.hops.len() > under_way.hops.len());
    assert_eq!(done.hops[0], under_way.hops[0]);
    assert!(w.journey(u64::MAX).is_none());
}

/// A fault's value out of range is refused with the same words wherever it comes
/// from (a user's action, a scenario's schedule), and the world is left as it was.
#[test]
fn absurd_fault_values_are_refused_alike() {
    let mut w = World::new(&Scenario::three_server()).unwrap();
    let nodes = |w: &World| {
        let mut snap = Snapshot::default();
        w.snapshot_into(&mut snap);
        snap.nodes
    };
    let before = nodes(&w);
    for (target, kind, field, words) in [
        (
            "web-01",
            FaultKind::Slow { factor: 0.5 },
            "factor",
            "must be from 1 to 1000, not 0.5",
        ),
        (
            "lb-01--web-01",
            FaultKind::Loss { rate: 1.5 },
            "rate",
            "must be from 0 to 0.99, not 1.5",
        ),
        (
            "web-01",
            FaultKind::Slow { factor: f64::NAN },
            "factor",
            "must be from 1 to 1000, not NaN",
        ),
    ] {
        let action = Action::Fault {
            target: target.into(),
            fault: kind,
        };
        let e = w.apply(&action).unwrap_err();
        assert_eq!(e.to_string(), format!("{field}: {words}"));
        assert!(
            matches!(e, ActionError::Invalid(ref s) if s.path == field),
            "{e:?}"
        );
        let mut s = Scenario::three_server();
        s.faults = vec![fault(3.0, target, kind)];
        let e = s.validate().unwrap_err().to_string();
        assert_eq!(e, format!("faults[0].fault.{field}: {words}"));
    }
    assert_eq!(nodes(&w), before);
}

/// The app's workers, changed live: more workers take the backlog at once; fewer
/// take no new request until enough have finished, so at most the new number work.
#[test]
fn app_workers_change_live() {
    let mut s = Scenario::three_server();
    s.traffic.rate = 2000.0;
    s.app.workers = 1;
    let mut w = World::new(&s).unwrap();
    w.advance_to(SimTime::from_secs_f64(5.0));
    assert!(
        w.webs.iter().any(|web| !web.pool.backlog.is_empty()),
        "one worker falls behind at 2,000 req/s"
    );
    let mut more = s.app;
    more.workers = 64;
    let before: Vec<(u32, usize)> = w
        .webs
        .iter()
        .map(|web| (web.pool.busy, web.pool.backlog.len()))
        .collect();
    w.apply(&Action::App { spec: more }).unwrap();
    for (web, &(busy, waiting)) in w.webs.iter().zip(&before) {
        let started = (64 - busy as usize).min(waiting);
        assert_eq!(web.pool.busy as usize, busy as usize + started);
        assert_eq!(web.pool.backlog.len(), waiting - started);
    }
    let mut fewer = s.app;
    fewer.workers = 3;
    w.apply(&Action::App { spec: fewer }).unwrap();
    w.advance_to(SimTime::from_secs_f64(8.0));
    for web in &w.webs {
        assert!(web.pool.busy <= 3, "{} busy with 3 workers", web.pool.busy);
    }
}

/// The names the page shows and puts in its address (`#preset=scaled-up`, `balance`'s
/// options) are the scenario file's own.
#[test]
fn enum_names_are_the_scenario_files() {
    use foobar_sim::scenario::{Balance, Preset, TimingPreset};
    let quoted = |name: &str| format!("\"{name}\"");
    for b in Balance::ALL {
        assert_eq!(serde_json::to_string(&b).unwrap(), quoted(b.as_str()));
    }
    for p in Preset::ALL {
        assert_eq!(serde_json::to_string(&p).unwrap(), quoted(p.as_str()));
    }
    for t in [TimingPreset::Classroom, TimingPreset::Realistic] {
        assert_eq!(serde_json::to_string(&t).unwrap(), quoted(t.as_str()));
    }
}

/// A scheduled fault strikes the target the scenario in force names when it is due: settings
/// taken live after the world was built may name another.
#[test]
fn a_scheduled_fault_strikes_the_target_of_the_settings_in_force() {
    let mut s = shipped("kill-web-01");
    let mut w = World::new(&s).unwrap();
    w.advance_to(SimTime::from_secs_f64(5.0));
    s.faults = vec![fault(10.0, "web-02", FaultKind::Crash)];
    w.reconfigure(s, foobar_sim::log::SettingsPart::App)
        .unwrap();
    w.advance_to(SimTime::from_secs_f64(11.0));
    let node = |name: &str| w.topology().node_by_name(name).unwrap();
    assert!(!w.node_state(node("web-01")).crashed);
    assert!(w.node_state(node("web-02")).crashed);
}
