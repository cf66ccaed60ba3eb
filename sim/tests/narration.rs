//! The narrated log is structured so the page can say it in any language: an
//! event's fields are names (of hosts, components and links: data, not words), numbers and
//! enums, never English; the English lines (`LogEntry::text()`, for the CLI and the tests) are
//! written from them, in HAProxy's and MySQL's own wording where they would log it.

mod common;
use common::*;
use foobar_sim::scenario::FaultKind;
use foobar_sim::world::AdminState;
use foobar_sim::{Action, SimTime, World};

/// Every string in an event, as serde writes it.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// Runs that write most kinds of line: faults of every kind, checks, settings, alerts, the
/// attacker, failover, split brain, semi-sync.
fn busy_runs() -> Vec<World> {
    let mut worlds = Vec::new();
    let mut mon = shipped("secured-monitored");
    mon.faults.push(fault(10.0, "web-01", FaultKind::Crash));
    mon.faults
        .push(fault(12.0, "web-02/firewall", FaultKind::Crash));
    mon.faults.push(fault(50.0, "web-01", FaultKind::Restore));
    worlds.push(run(&mon, 90.0).0);
    let mut ss = shipped("three-server");
    ss.traffic.rate = 50.0;
    ss.mysql.replication = foobar_sim::scenario::ReplicationMode::SemiSync;
    ss.faults
        .push(fault(5.0, "web-01--web-02", FaultKind::Partition));
    ss.faults
        .push(fault(25.0, "web-01--web-02", FaultKind::Restore));
    ss.faults.push(fault(30.0, "web-01", FaultKind::Crash));
    ss.faults.push(fault(30.0, "web-02", FaultKind::Crash));
    worlds.push(run(&ss, 60.0).0);
    worlds.push(run(&shipped("primary-crash-async"), 40.0).0);
    let mut s = shipped("three-server");
    s.traffic.rate = 50.0;
    s.mysql.old_primary_rejoins_read_only = false;
    s.haproxy.observe = foobar_sim::scenario::Observe::Layer7;
    let mut w = World::new(&s).unwrap();
    let fault = |target: &str, fault| Action::Fault {
        target: target.into(),
        fault,
    };
    let actions = [
        Action::Weight {
            server: "web-02".into(),
            weight: 3,
        },
        Action::Burst {
            factor: 2.5,
            duration_s: 3.0,
        },
        Action::ServerState {
            server: "web-01".into(),
            state: AdminState::Maint,
        },
        Action::ServerState {
            server: "web-01".into(),
            state: AdminState::Ready,
        },
        fault("lb-01--web-02", FaultKind::Loss { rate: 0.25 }),
        fault("lb-01--web-02", FaultKind::Slow { factor: 2.5 }),
        fault("lb-01--web-02", FaultKind::Restore),
        fault("web-02", FaultKind::Drain),
        fault("web-02", FaultKind::Restore),
        fault("web-01/app", FaultKind::Crash),
        fault("web-01/mysql", FaultKind::Crash),
        Action::Promote {
            db: "web-02".into(),
        },
        fault("web-01/mysql", FaultKind::Restore),
        Action::App { spec: s.app },
        fault("dns", FaultKind::Crash),
        fault("lb-01", FaultKind::Crash),
    ];
    for (i, a) in actions.into_iter().enumerate() {
        w.apply(&a).unwrap();
        w.advance_to(SimTime::from_secs_f64(3.0 + 4.0 * i as f64));
    }
    worlds.push(w);
    worlds
}

/// No English in an event: its strings are names, without a space.
#[test]
fn log_events_carry_names_numbers_and_enums_not_english() {
    let mut kinds = std::collections::BTreeSet::new();
    for w in busy_runs() {
        for e in w.log.iter() {
            let v = serde_json::to_value(&e.event).unwrap();
            kinds.insert(v["event"].as_str().unwrap().to_string());
            let mut found = Vec::new();
            strings(&v, &mut found);
            for s in found {
                assert!(!s.contains(' '), "{s:?} in {v}");
            }
        }
    }
    assert!(kinds.len() >= 19, "only {kinds:?}");
}

/// The English lines, as the software and the narration write them.
#[test]
fn log_lines_read_as_before_in_english() {
    let (w, _) = run(&shipped("kill-web-01"), 20.0);
    let lines: Vec<String> = w.log.iter().map(|e| e.text()).collect();
    for line in [
        "web-01: crashed: every process stopped at once; its kernel refuses new connections (RST)",
        "lb-01: Health check for server web/web-01 failed, reason: Layer4 connection problem, check duration: 0ms, status: 2/3 UP.",
        "Users are getting 500 Internal Server Error: writes are failing: 0 writable database reachable",
        "lb-01: Server web/web-01 is DOWN, reason: Layer4 connection problem, check duration: 0ms. 1 active and 0 backup servers left. 29 sessions active, 0 requeued, 0 remaining in queue.",
    ] {
        assert!(lines.iter().any(|l| l == line), "no {line:?} in {lines:#?}");
    }
    let (w, _) = run(&shipped("primary-crash-async"), 25.0);
    let lines: Vec<String> = w.log.iter().map(|e| e.text()).collect();
    assert!(lines.iter().any(|l| l == "Failover: primary web-01/mysql is dead and its replicas lost it; promoting web-02/mysql, the most up-to-date replica, once its applier has drained its relay log."));
    assert!(lines.iter().any(|l| l.starts_with("web-02/mysql promoted (automatic failover): STOP REPLICA; RESET REPLICA ALL; SET GLOBAL read_only = OFF; the apps now write to it. ")
        && l.ends_with(" acknowledged transactions of the old primary never reached it: they are lost.")));
}
