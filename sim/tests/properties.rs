//! Property tests over random fault schedules (after sled's simulation guide):
//! every request ends exactly once and the bookkeeping always balances, and a run is a
//! function of its seed and actions. proptest prints the failing case, seed included, and
//! shrinks it.

mod common;
use common::cases;
use foobar_sim::scenario::{Balance, CheckKind, FaultKind, Preset, ScheduledFault};
use foobar_sim::{Scenario, SimTime, Summary, Topology, World};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Case {
    seed: u64,
    rate: f64,
    http_check: bool,
    redispatch: bool,
    balance: Balance,
    maxconn: u32,
    cookie: bool,
    workers: u32,
    /// One server, no load balancer: Nginx's own timeout answers for a stuck app.
    one_server: bool,
    queries_db: bool,
    /// (time in ms, target index, fault index, parameter 0..1)
    faults: Vec<(u32, usize, u8, f64)>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<u64>(),
        5.0..300.0f64,
        any::<bool>(),
        any::<bool>(),
        prop_oneof![
            Just(Balance::Roundrobin),
            Just(Balance::StaticRr),
            Just(Balance::Leastconn),
            Just(Balance::Source),
            Just(Balance::Random),
            Just(Balance::First),
        ],
        prop_oneof![Just(0u32), 1..4u32],
        any::<bool>(),
        1..16u32,
        (any::<bool>(), any::<bool>()),
        prop::collection::vec((0..40_000u32, 0..64usize, 0..6u8, 0.0..1.0f64), 0..8),
    )
        .prop_map(
            |(
                seed,
                rate,
                http_check,
                redispatch,
                balance,
                maxconn,
                cookie,
                workers,
                (one_server, queries_db),
                faults,
            )| {
                Case {
                    seed,
                    rate,
                    http_check,
                    redispatch,
                    balance,
                    maxconn,
                    cookie,
                    workers,
                    one_server,
                    queries_db,
                    faults,
                }
            },
        )
}

fn scenario_of(c: &Case) -> Scenario {
    let mut s = Scenario::three_server();
    s.seed = c.seed;
    s.traffic.rate = c.rate;
    s.haproxy.check = if c.http_check {
        CheckKind::Http
    } else {
        CheckKind::Tcp
    };
    s.haproxy.redispatch = c.redispatch;
    s.haproxy.balance = c.balance;
    s.haproxy.maxconn = if c.balance == Balance::First {
        c.maxconn.max(1)
    } else {
        c.maxconn
    };
    s.haproxy.cookie = c.cookie;
    s.app.workers = c.workers;
    s.app.queries_db = c.queries_db;
    if c.one_server {
        s.topology.preset = Preset::OneServer;
        s.topology.load_balancer = false;
        s.topology.web_hosts = 1;
    }
    let topo = Topology::build(&s.topology);
    let targets: Vec<String> = topo
        .nodes
        .iter()
        .map(|n| n.name.clone())
        .chain(topo.links.iter().map(|l| l.name.clone()))
        .collect();
    s.faults = c
        .faults
        .iter()
        .map(|&(ms, target, kind, p)| {
            let target = target % targets.len();
            // A node cannot lose packets and a link cannot drain: validation refuses both.
            let on_node = target < topo.nodes.len();
            ScheduledFault {
                at_s: ms as f64 / 1000.0,
                target: targets[target].clone(),
                fault: match kind {
                    0 => FaultKind::Crash,
                    1 => FaultKind::Partition,
                    2 if on_node => FaultKind::Drain,
                    3 => FaultKind::Slow {
                        factor: 1.0 + p * 49.0,
                    },
                    4 if !on_node => FaultKind::Loss { rate: p * 0.5 },
                    _ => FaultKind::Restore,
                },
            }
        })
        .collect();
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(48), ..ProptestConfig::default() })]

    /// Every request ends exactly once, whatever breaks; connection slots, workers
    /// and queues always balance; once traffic stops, every request gets its ending.
    #[test]
    fn every_request_ends_exactly_once(c in case()) {
        let s = scenario_of(&c);
        let mut w = World::new(&s).unwrap();
        for step in 1..=240u64 {
            w.advance_to(SimTime(step * 250_000));
            if let Err(e) = w.check_invariants() {
                prop_assert!(false, "at {} ms: {e}", step * 250);
            }
        }
        w.set_rate(0.0);
        // Longer than every timeout (client 30 s, server 30 s, nginx 60 s, retries 20 s).
        w.advance_to(SimTime(240 * 1_000_000));
        prop_assert_eq!(w.check_invariants(), Ok(()));
        let (open, _) = w.open_requests();
        prop_assert_eq!(open, 0, "requests never answered");
        let t = &w.totals;
        prop_assert_eq!(t.created, t.ended);
        prop_assert_eq!(t.by_status.iter().sum::<u64>(), t.ended);
    }

    /// The same seed and the same faults give the same run, bit for bit.
    #[test]
    fn same_seed_same_run(c in case()) {
        let s = scenario_of(&c);
        let run = || {
            let mut w = World::new(&s).unwrap();
            w.advance_to(SimTime(45_000_000));
            serde_json::to_string(&Summary::of(&w)).unwrap()
        };
        prop_assert_eq!(run(), run());
    }
}

/// The trace of every request is written once: no id twice, none missing.
#[test]
fn every_trace_is_written_once() {
    let mut s = Scenario::three_server();
    s.traffic.rate = 200.0;
    s.faults = vec![
        ScheduledFault {
            at_s: 5.0,
            target: "web-01".into(),
            fault: FaultKind::Crash,
        },
        ScheduledFault {
            at_s: 9.0,
            target: "lb-01--web-02".into(),
            fault: FaultKind::Partition,
        },
        ScheduledFault {
            at_s: 15.0,
            target: "web-01".into(),
            fault: FaultKind::Restore,
        },
        ScheduledFault {
            at_s: 16.0,
            target: "lb-01--web-02".into(),
            fault: FaultKind::Restore,
        },
    ];
    let mut w = World::new(&s).unwrap();
    w.keep_all_traces(true);
    w.advance_to(SimTime::from_secs_f64(20.0));
    w.set_rate(0.0);
    w.advance_to(SimTime::from_secs_f64(200.0));
    let mut ids: Vec<u64> = w.drain_traces().iter().map(|t| t.id).collect();
    let n = ids.len() as u64;
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len() as u64, n, "a trace was written twice");
    assert_eq!(n, w.totals.created);
    assert_eq!(ids.first(), Some(&1));
    assert_eq!(ids.last(), Some(&n));
}
