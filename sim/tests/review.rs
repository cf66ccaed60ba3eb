//! Regressions for what a review against the real software found (docs/model.md; HAProxy
//! 3.2 backend.c/check.c/stream.h, MySQL 8.4, keepalived). Each test names the behaviour.

mod common;
use common::*;
use foobar_sim::scenario::{CheckKind, FaultKind, LbPair, ReadYourWrites, ReplicationMode};
use foobar_sim::trace::{Cause, Outcome, ReqKind};
use foobar_sim::{Scenario, SimTime, World};

/// A request HAProxy already answered (504) whose database then dies still frees its app
/// worker; a crashed MySQL commits nothing; the site recovers once the databases are back.
#[test]
fn workers_are_freed_when_the_database_dies_under_a_504() {
    let mut s = Scenario::three_server();
    s.haproxy.timeout_server_ms = 2000.0;
    s.mysql.replication = ReplicationMode::SemiSync;
    s.traffic.rate = 20.0;
    s.app.workers = 2;
    s.faults = vec![
        fault(10.0, "web-02/mysql", FaultKind::Crash),
        fault(15.0, "web-01/mysql", FaultKind::Crash),
        fault(20.0, "web-01/mysql", FaultKind::Restore),
        fault(20.0, "web-02/mysql", FaultKind::Restore),
    ];
    let (w, traces) = run(&s, 90.0);
    let late: Vec<_> = traces
        .iter()
        .filter(|t| t.start.as_ms() > 45_000.0)
        .collect();
    assert!(late.len() > 500);
    assert!(
        late.iter().all(|t| t.outcome.is_ok()),
        "the app never recovered"
    );
    // Nothing was committed on web-01/mysql while it was down.
    let committed_dead = w.repl.dbs[0]
        .binlog
        .iter()
        .filter(|e| e.gtid.source == 0 && e.ts.as_ms() >= 15_000.0 && e.ts.as_ms() < 20_000.0)
        .count();
    assert_eq!(committed_dead, 0);
    assert_eq!(w.check_invariants(), Ok(()));
}

/// A failover whose candidate dies while draining its relay log picks again later instead
/// of waiting forever.
#[test]
fn a_failover_survives_its_candidate_dying() {
    let mut s = Scenario::three_server();
    s.mysql.auto_failover = true;
    s.mysql.apply_rate = 2.0;
    s.mysql.replica_parallel_workers = 1;
    s.mysql.recovery_period_block_s = 0.0;
    s.traffic.rate = 50.0;
    s.traffic.mix.static_files = 0.0;
    s.faults = vec![
        fault(10.0, "web-01", FaultKind::Crash),
        fault(10.7, "web-02/mysql", FaultKind::Crash),
        fault(12.0, "web-02/mysql", FaultKind::Restore),
    ];
    let (w, _) = run(&s, 60.0);
    assert_eq!(w.repl.failovers, 1);
    assert_eq!(w.repl.primary, Some(1));
}

/// keepalived: a master that steps down gives up the floating IP; after a split (both
/// masters) heals and the new holder dies, the other one takes it back.
#[test]
fn the_floating_ip_follows_the_master() {
    let mut s = Scenario::three_server();
    s.topology.lb_pair = LbPair::ActivePassive;
    s.traffic.rate = 20.0;
    s.faults = vec![
        fault(10.0, "lb-01--lb-02", FaultKind::Partition),
        fault(20.0, "lb-01--lb-02", FaultKind::Restore),
        fault(30.0, "lb-02", FaultKind::Crash),
    ];
    let (w, traces) = run(&s, 60.0);
    assert!(traces
        .iter()
        .filter(|t| t.start.as_ms() > 35_000.0)
        .all(|t| t.outcome.is_ok()));
    assert_eq!(w.keepalived.vip_holder(), Some(0));
}

/// keepalived: a returning higher-priority node discards the lower master's adverts and
/// takes the floating IP back when its own master-down timer runs out (~3.6 s), not at once.
#[test]
fn preemption_waits_for_the_master_down_timer() {
    let (w, _) = run(&shipped("lb-pair-failover"), 40.0);
    let back = summary(&w)
        .transitions
        .iter()
        .find(|t| t.node == "lb-01" && t.to == "MASTER" && t.t_ms > 30_000.0)
        .map(|t| t.t_ms)
        .expect("lb-01 never took the IP back");
    assert!(
        (33_500.0..=33_700.0).contains(&back),
        "took it back at {back} ms"
    );
}

/// HAProxy `stream_choose_redispatch`: with `option redispatch`, roundrobin and two active
/// servers, a failed connection is redispatched at once, counted in `wredis`, not `wretr`.
#[test]
fn redispatch_is_immediate_for_roundrobin() {
    let mut s = shipped("kill-web-01");
    s.haproxy.redispatch = true;
    s.traffic.mix.write = 0.0;
    let (w, traces) = run(&s, 40.0);
    let sv = &summary(&w).servers["web-01"];
    assert_eq!(sv.wretr, 0);
    assert!(sv.wredis > 10);
    for t in traces.iter().filter(|t| t.redispatched) {
        assert!(
            t.end.as_ms() - t.start.as_ms() < 200.0,
            "no turn-around wait: {} ms",
            t.end.as_ms() - t.start.as_ms()
        );
    }
}

/// HAProxy waits the turn-around timer only after a connection error, not after a timeout:
/// a silent server costs 4 × `timeout connect` before the 503.
#[test]
fn no_turnaround_after_a_connect_timeout() {
    let mut s = shipped("kill-web-01");
    s.faults[0].fault = FaultKind::Partition;
    let (_, traces) = run(&s, 40.0);
    let t503: Vec<_> = traces
        .iter()
        .filter(|t| t.outcome == Outcome::Http(503))
        .collect();
    assert!(!t503.is_empty());
    for t in t503 {
        let took = t.end.as_ms() - t.start.as_ms();
        assert!((20_000.0..20_300.0).contains(&took), "503 after {took} ms");
    }
}

/// MySQL `try_switch_on`: semi-sync comes back once a replica acks the last commit that
/// waited, even while writes keep coming.
#[test]
fn semi_sync_switches_back_on_under_steady_writes() {
    let mut s = Scenario::three_server();
    s.mysql.replication = ReplicationMode::SemiSync;
    s.mysql.replication_delay_ms = 300.0;
    s.traffic.rate = 100.0;
    s.traffic.mix.static_files = 0.0;
    s.faults = vec![
        fault(10.0, "web-02/mysql", FaultKind::Crash),
        fault(30.0, "web-02/mysql", FaultKind::Restore),
    ];
    let (w, _) = run(&s, 60.0);
    let on = w
        .log
        .iter()
        .find(|e| e.text().contains("switched ON"))
        .expect("never switched back on");
    assert!(
        (30_000.0..32_000.0).contains(&on.t.as_ms()),
        "ON at {} ms",
        on.t.as_ms()
    );
    assert!(w.repl.dbs[0].semi_sync_on);
}

/// A cut-off primary is declared dead only once its replicas drop their connection after
/// `replica_net_timeout` (60 s): orchestrator's DeadMaster needs the replicas to agree.
#[test]
fn a_silent_primary_fails_over_after_replica_net_timeout() {
    let mut s = Scenario::three_server();
    s.mysql.auto_failover = true;
    s.traffic.rate = 10.0;
    s.faults = vec![fault(10.0, "web-01/mysql", FaultKind::Partition)];
    let mut w = World::new(&s).unwrap();
    w.advance_to(SimTime::from_secs_f64(65.0));
    assert_eq!(
        w.repl.failovers, 0,
        "too early: the replica still thinks its source is there"
    );
    w.advance_to(SimTime::from_secs_f64(75.0));
    assert_eq!(w.repl.failovers, 1);
}

/// Nginx's `proxy_read_timeout` (60 s) applies to a slow app too: 504 from Nginx.
#[test]
fn nginx_times_out_a_slow_app() {
    let mut s = Scenario::preset(foobar_sim::scenario::Preset::OneServer);
    s.traffic.rate = 2.0;
    s.traffic.mix.static_files = 0.0;
    s.traffic.client_timeout_ms = 120_000.0;
    s.timing.app_ms = Some(100.0);
    s.faults = vec![fault(5.0, "web-01/app", FaultKind::Slow { factor: 1000.0 })];
    let (_, traces) = run(&s, 150.0);
    let t504: Vec<_> = traces
        .iter()
        .filter(|t| t.cause == Cause::AppTimeout)
        .collect();
    assert!(!t504.is_empty());
    for t in t504 {
        assert_eq!(t.outcome, Outcome::Http(504));
        let took = t.end.as_ms() - t.start.as_ms();
        assert!((60_000.0..60_300.0).contains(&took), "504 after {took} ms");
    }
}

/// An HTTP check waits behind the app's busy workers: a saturated app fails it (L7TOUT).
#[test]
fn an_http_check_sees_a_saturated_app() {
    let mut s = Scenario::three_server();
    s.haproxy.check = CheckKind::Http;
    s.traffic.rate = 50.0;
    s.traffic.mix.static_files = 0.0;
    s.faults = vec![fault(5.0, "web-01/app", FaultKind::Slow { factor: 500.0 })];
    let (w, _) = run(&s, 30.0);
    let sv = &summary(&w).servers["web-01"];
    assert!(
        sv.first_down_at_ms.is_some(),
        "a saturated app passed its checks"
    );
    assert_eq!(w.lbs[0].servers[0].check.status.as_str(), "L7TOUT");
}

/// With no server left, requests waiting in HAProxy's queues fail at once (503).
#[test]
fn queued_requests_fail_when_no_server_is_left() {
    let mut s = Scenario::three_server();
    s.haproxy.maxconn = 1;
    s.haproxy.timeout_queue_ms = Some(30_000.0);
    s.timing.app_ms = Some(200.0);
    s.traffic.rate = 30.0;
    s.traffic.mix.static_files = 0.0;
    s.traffic.mix.write = 0.0;
    s.faults = vec![
        fault(10.0, "web-01", FaultKind::Crash),
        fault(10.0, "web-02", FaultKind::Crash),
    ];
    let (_, traces) = run(&s, 40.0);
    let no_server: Vec<_> = traces
        .iter()
        .filter(|t| t.cause == Cause::NoServer && t.queue_wait_us > 0)
        .collect();
    assert!(!no_server.is_empty(), "nothing was waiting in the queue");
    for t in no_server {
        assert!(
            t.end.as_ms() < 17_000.0,
            "waited until {} ms",
            t.end.as_ms()
        );
    }
}

/// Reads waiting for a GTID give up after their window and leave no trace in the wait list
/// (memory stays flat), even when the replica applies nothing for minutes.
#[test]
fn gtid_waiters_do_not_pile_up() {
    let mut s = shipped("replica-lag");
    s.mysql.apply_rate = 0.01;
    s.app.read_routing = foobar_sim::scenario::ReadRouting::Replica;
    s.app.read_your_writes = ReadYourWrites::WaitGtid;
    s.app.ryw_window_ms = 500.0;
    let (w, traces) = run(&s, 60.0);
    assert!(
        w.repl.dbs[1].gtid_waiters.len() < 100,
        "{} waiting",
        w.repl.dbs[1].gtid_waiters.len()
    );
    // They went to the primary after their 500 ms, and got their answer.
    let late_reads: Vec<_> = traces
        .iter()
        .filter(|t| t.kind == ReqKind::Read && t.start.as_ms() > 30_000.0)
        .collect();
    assert!(late_reads.len() > 300);
    assert!(late_reads.iter().all(|t| t.outcome.is_ok()));
}
