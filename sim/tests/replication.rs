//! MySQL replication, failover, the LB pair, security and monitoring (docs/model.md, "MySQL
//! replication", "keepalived / VRRP", "Security", "Monitoring").

mod common;
use common::*;
use foobar_sim::mysql::DbRole;
use foobar_sim::scenario::{FaultKind, ReadYourWrites, ReplicationMode, WritesTo};
use foobar_sim::trace::{Cause, Outcome, ReqKind};
use foobar_sim::{Action, Scenario, SimTime, World};
use proptest::prelude::*;

fn writes_heavy() -> Scenario {
    let mut s = Scenario::three_server();
    s.traffic.rate = 100.0;
    s.traffic.mix.static_files = 0.2;
    s.traffic.mix.read = 0.4;
    s.traffic.mix.write = 0.4;
    s.app.read_routing = foobar_sim::scenario::ReadRouting::Replica;
    s
}

/// Writes reach the replica through the binlog; with nothing broken the replica
/// ends with exactly the primary's transactions and rows.
#[test]
fn a_write_travels_the_binlog_to_the_replica() {
    let s = writes_heavy();
    let mut w = World::new(&s).unwrap();
    w.advance_to(SimTime::from_secs_f64(20.0));
    w.set_rate(0.0);
    w.advance_to(SimTime::from_secs_f64(25.0));
    let (p, r) = (&w.repl.dbs[0], &w.repl.dbs[1]);
    assert!(p.executed.total() > 500);
    assert_eq!(p.executed, r.executed);
    let versions = |d: &foobar_sim::mysql::Mysql| {
        d.rows
            .iter()
            .map(|r| (r.version, r.gtid))
            .collect::<Vec<_>>()
    };
    assert_eq!(versions(p), versions(r));
    assert_eq!(r.seconds_behind_source(w.now()), Some(0));
}

/// Async replication loses the acknowledged transactions the primary had not
/// shipped when it died; they are listed, and every acknowledged write missing from the new
/// primary is among them.
#[test]
fn async_failover_lists_what_was_lost() {
    let (w, traces) = run(&shipped("primary-crash-async"), 60.0);
    let sum = summary(&w);
    assert_eq!(sum.replication.failovers, 1);
    assert_eq!(sum.replication.primary.as_deref(), Some("web-02/mysql"));
    let lost = sum.replication.lost_transactions;
    assert!(lost > 0, "nothing lost with a 200 ms unshipped window");
    assert_eq!(sum.replication.lost_gtids.len() as u64, lost);
    let new_primary = &w.repl.dbs[1];
    for t in traces
        .iter()
        .filter(|t| t.kind == ReqKind::Write && t.outcome.is_ok())
    {
        let g = t.gtid.expect("an OK write has a GTID");
        if g.source == 0 && !new_primary.executed.contains(g) {
            assert!(
                sum.replication.lost_gtids.contains(&g.text()),
                "{} lost but not listed",
                g.text()
            );
        }
    }
    // Writes work again after the failover.
    assert!(traces
        .iter()
        .any(|t| t.kind == ReqKind::Write && t.outcome.is_ok() && t.start.as_ms() > 25_000.0));
}

/// With semi-sync (AFTER_SYNC) no acknowledged write is lost at failover, and
/// writes pay a round trip to the replica.
#[test]
fn semi_sync_loses_no_acknowledged_write() {
    let (w, traces) = run(&shipped("primary-crash-semisync"), 60.0);
    let sum = summary(&w);
    assert_eq!(sum.replication.failovers, 1);
    assert_eq!(sum.replication.lost_transactions, 0);
    let primary = &w.repl.dbs[w.repl.primary.unwrap()];
    for t in traces
        .iter()
        .filter(|t| t.kind == ReqKind::Write && t.outcome.is_ok())
    {
        assert!(
            primary.executed.contains(t.gtid.unwrap()),
            "acknowledged write {} lost",
            t.id
        );
    }
    let (_, async_traces) = run(&shipped("primary-crash-async"), 15.0);
    let write_ms = |ts: &[foobar_sim::trace::Trace]| {
        let v: Vec<f64> = ts
            .iter()
            .filter(|t| t.kind == ReqKind::Write && t.outcome.is_ok())
            .map(|t| t.end.as_ms() - t.start.as_ms())
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let semi: Vec<_> = traces
        .into_iter()
        .filter(|t| t.start.as_ms() < 15_000.0)
        .collect();
    assert!(
        write_ms(&semi) > write_ms(&async_traces) + 150.0,
        "semi-sync commits wait for the ack"
    );
}

/// After `rpl_semi_sync_source_timeout` (10 s) without an ack the source falls
/// back to async ("Semi-sync replication switched OFF"), and switches back on once a replica
/// catches up.
#[test]
fn semi_sync_falls_back_after_10_s_and_comes_back() {
    let mut s = writes_heavy();
    s.mysql.replication = ReplicationMode::SemiSync;
    s.mysql.source_connect_retry_s = 1.0;
    // Reads stay local, so web-01's app workers never wait on the cut-off replica.
    s.app.read_routing = foobar_sim::scenario::ReadRouting::Local;
    s.faults = vec![
        fault(5.0, "web-01--web-02", FaultKind::Partition),
        fault(30.0, "web-01--web-02", FaultKind::Restore),
    ];
    let (w, traces) = run(&s, 45.0);
    let texts: Vec<(f64, String)> = w.log.iter().map(|e| (e.t.as_ms(), e.text())).collect();
    let off = texts
        .iter()
        .find(|(_, t)| t.contains("switched OFF"))
        .expect("never switched off");
    assert!((15_000.0..15_500.0).contains(&off.0), "OFF at {} ms", off.0);
    let on = texts
        .iter()
        .find(|(_, t)| t.contains("switched ON"))
        .expect("never switched back on");
    assert!(on.0 > 30_000.0 && on.0 < 33_000.0, "ON at {} ms", on.0);
    // Writes during the wait took the full 10 s, then were fast again.
    let slow = traces.iter().filter(|t| {
        t.kind == ReqKind::Write && t.start.as_ms() > 5_100.0 && t.start.as_ms() < 14_000.0
    });
    assert!(slow.clone().count() > 50);
    assert!(slow.clone().all(|t| t.end.as_ms() > 15_000.0));
    // web-01's app (next to the primary) writes fast again; web-02's app is cut off from it.
    let after: Vec<_> = traces
        .iter()
        .filter(|t| {
            t.kind == ReqKind::Write && t.start.as_ms() > 16_000.0 && t.start.as_ms() < 29_000.0
        })
        .filter(|t| host_name(&w, t).as_deref() == Some("web-01"))
        .collect();
    assert!(after.len() > 50);
    assert!(after
        .iter()
        .all(|t| t.end.as_ms() - t.start.as_ms() < 1_000.0));
    assert_eq!(summary(&w).replication.semi_sync_switched_off, 1);
}

/// A replica runs read_only: a write sent there fails with ERROR 1290.
#[test]
fn a_write_to_the_replica_fails_with_1290() {
    let mut s = writes_heavy();
    s.app.writes_to = WritesTo::Local;
    let (w, traces) = run(&s, 10.0);
    let on = |host: &str, t: &&foobar_sim::trace::Trace| host_name(&w, t).as_deref() == Some(host);
    let w02: Vec<_> = traces
        .iter()
        .filter(|t| t.kind == ReqKind::Write && on("web-02", t))
        .collect();
    assert!(!w02.is_empty());
    assert!(w02
        .iter()
        .all(|t| (t.outcome, t.cause) == (Outcome::Http(500), Cause::ReadOnly)));
    assert!(traces
        .iter()
        .filter(|t| t.kind == ReqKind::Write && on("web-01", t))
        .all(|t| t.outcome.is_ok()));
    assert!(w.log.iter().any(|e| e.text().contains("1290")));
}

/// A lagging replica serves stale reads; reads sent to the primary for a while
/// after a user's write (read-your-writes) are never stale for that user's row.
#[test]
fn stale_reads_under_lag_and_read_your_writes() {
    let s = shipped("replica-lag");
    let (w, _) = run(&s, 60.0);
    let sum = summary(&w);
    assert!(sum.requests.stale_reads > 100);
    assert!(sum.replication.max_lag_ms > 10_000.0);
    assert!(
        sum.replication.servers["web-02/mysql"]
            .seconds_behind_source
            .unwrap()
            > 10
    );
    assert_eq!(w.repl.stale_without_lag, 0);
    let mut ryw = s.clone();
    ryw.app.read_your_writes = ReadYourWrites::PrimaryWindow;
    ryw.app.ryw_window_ms = 60_000.0;
    let (w2, _) = run(&ryw, 60.0);
    // Each user's reads hit their own row, which only they write: read-your-writes is enough.
    assert_eq!(summary(&w2).requests.stale_reads, 0);
    let mut wait = s.clone();
    wait.app.read_your_writes = ReadYourWrites::WaitGtid;
    wait.app.ryw_window_ms = 500.0;
    let (w3, _) = run(&wait, 60.0);
    // WAIT_FOR_EXECUTED_GTID_SET (or the primary after 500 ms) covers the user's finished
    // writes; only a write of theirs still under way when the read started can be missed.
    let left = summary(&w3).requests.stale_reads;
    assert!(
        left * 100 < sum.requests.stale_reads,
        "{left} stale reads left"
    );
}

/// Promoting by hand before the applier drains drops the unapplied relay log
/// (RESET REPLICA): those transactions are lost too.
#[test]
fn manual_promotion_drops_the_unapplied_relay_log() {
    let mut w = World::new(&shipped("replica-lag")).unwrap();
    w.advance_to(SimTime::from_secs_f64(30.0));
    let behind = w.repl.dbs[1].relay.len();
    assert!(behind > 100, "relay {behind}");
    w.apply(&Action::Promote {
        db: "web-02/mysql".into(),
    })
    .unwrap();
    assert_eq!(w.repl.primary, Some(1));
    assert!(!w.repl.dbs[1].read_only);
    assert!(w.repl.dbs[1].relay.is_empty());
    assert!(w.repl.lost_count as usize >= behind);
    assert!(w
        .log
        .iter()
        .any(|e| e.text().contains("RESET REPLICA dropped")));
    assert!(
        w.apply(&Action::Promote {
            db: "web-02/mysql".into()
        })
        .is_err(),
        "already the primary"
    );
    assert!(
        w.apply(&Action::Promote { db: "lb-01".into() }).is_err(),
        "runs no MySQL"
    );
}

/// A returning old primary rejoins as a replica (read_only); let back writable, it
/// takes writes beside the new primary: split brain, rows diverge.
#[test]
fn the_old_primary_returns() {
    let mut s = shipped("primary-crash-async");
    s.faults
        .push(fault(30.0, "web-01/mysql", FaultKind::Restore));
    s.mysql.source_connect_retry_s = 1.0;
    let (mut w, _) = run(&s, 45.0);
    w.set_rate(0.0);
    w.advance_to(SimTime::from_secs_f64(50.0));
    let old = &w.repl.dbs[0];
    assert_eq!((old.role, old.read_only), (DbRole::Replica, true));
    assert_eq!(old.source, Some(1));
    assert!(!w.repl.split_brain);
    assert!(
        old.executed
            .covers(&foobar_sim::mysql::GtidSet(vec![0, w.repl.dbs[1].own_n])),
        "it caught up from the new primary"
    );

    let mut split = s.clone();
    split.mysql.old_primary_rejoins_read_only = false;
    let (w, _) = run(&split, 45.0);
    assert!(w.repl.split_brain);
    let (a, b) = (&w.repl.dbs[0], &w.repl.dbs[1]);
    assert!(!a.read_only && !b.read_only);
    assert!(a.own_n > 800 && b.own_n > 100, "both took writes");
    let diverged = a
        .rows
        .iter()
        .zip(&b.rows)
        .filter(|(x, y)| x.gtid != y.gtid)
        .count();
    assert!(diverged > 10, "{diverged} rows differ");
}

/// keepalived: the backup takes the floating IP 3 × advert_int + skew after the
/// master's last advert (3.65 s at priority 90); the site is down only that long.
#[test]
fn keepalived_backup_takes_over_in_about_3_6_s() {
    let (w, traces) = run(&shipped("lb-pair-failover"), 40.0);
    let sum = summary(&w);
    let takeover = sum
        .transitions
        .iter()
        .find(|t| t.node == "lb-02" && t.to == "MASTER")
        .expect("lb-02 never became MASTER");
    let gap = takeover.t_ms - 10_000.0;
    assert!(
        (2_600.0..=3_700.0).contains(&gap),
        "takeover {gap} ms after the crash"
    );
    let failed: Vec<_> = traces.iter().filter(|t| !t.outcome.is_ok()).collect();
    assert!(!failed.is_empty());
    assert!(failed
        .iter()
        .all(|t| t.start.as_ms() >= 9_900.0 && t.start.as_ms() <= takeover.t_ms + 50.0));
    // Preemption: lb-01 takes the IP back when it returns.
    assert_eq!(sum.load_balancers.vip_holder.as_deref(), Some("lb-01"));
    let (one, _) = run(&shipped("lb-crash"), 40.0);
    assert!(sum.availability > summary(&one).availability + 0.3);
}

/// Two active LBs behind two A records: a browser refused by one address tries the
/// other, so a dead LB costs latency, not errors.
#[test]
fn two_active_lbs_behind_two_records() {
    let mut s = shipped("lb-crash");
    s.topology.lb_pair = foobar_sim::scenario::LbPair::ActiveActive;
    let (w, traces) = run(&s, 40.0);
    assert_eq!(w.lbs.len(), 2);
    assert!(summary(&w).availability > 0.99);
    assert!(traces.iter().any(|t| t
        .hops
        .iter()
        .filter(|h| w.topology().node(h.from).name == "users")
        .count()
        >= 2
        && t.outcome.is_ok()));
}

/// Without HTTPS the eavesdropper reads passwords; with it, only ciphertext, and
/// every connection pays a TLS handshake round trip.
#[test]
fn https_hides_passwords_and_costs_a_round_trip() {
    let (plain, pt) = run(&shipped("no-https"), 30.0);
    let p = summary(&plain).security;
    assert!(p.plaintext_seen > 100 && p.passwords_seen > 5);
    let mut s = shipped("no-https");
    s.topology.https = true;
    let (tls, tt) = run(&s, 30.0);
    let t = summary(&tls).security;
    assert_eq!((t.plaintext_seen, t.passwords_seen), (0, 0));
    assert!(t.ciphertext_seen > 100);
    let mean = |v: &[foobar_sim::trace::Trace]| {
        v.iter()
            .map(|t| t.end.as_ms() - t.start.as_ms())
            .sum::<f64>()
            / v.len() as f64
    };
    assert!(
        mean(&tt) > mean(&pt) + 35.0,
        "TLS adds one round trip of 2 × 20 ms"
    );
}

/// Without firewalls an attacker reaches 22 and 3306 on the web hosts; with them,
/// only 80/443 on the load balancer answer and the rest is dropped and counted.
#[test]
fn firewalls_stop_the_attacker() {
    let (open, _) = run(&shipped("no-firewall"), 30.0);
    let o = summary(&open).security;
    assert!(o.attacker_reached > 0);
    for port in ["web-01:3306", "web-01:22", "web-02:3306"] {
        assert!(o.exposed.contains(&port.to_string()), "{port} not reached");
    }
    let (closed, _) = run(&shipped("secured-monitored"), 30.0);
    let c = summary(&closed).security;
    assert_eq!(c.attacker_reached, 0);
    assert!(c.attacker_blocked > 10);
    // A firewall that fails (crashes) is a firewall that is off.
    let mut s = shipped("secured-monitored");
    s.faults = vec![fault(5.0, "web-01/firewall", FaultKind::Crash)];
    let (broken, _) = run(&s, 30.0);
    assert!(summary(&broken)
        .security
        .exposed
        .contains(&"web-01:3306".to_string()));
}

/// With monitoring, a dead host raises `host down` after the missed reports, with
/// its time to detect; without monitoring nothing fires and the errors go unnoticed.
#[test]
fn monitoring_detects_what_it_can() {
    let mut s = shipped("secured-monitored");
    s.faults = vec![fault(10.0, "web-01", FaultKind::Crash)];
    s.haproxy.check = foobar_sim::scenario::CheckKind::Tcp;
    let (w, _) = run(&s, 60.0);
    let m = summary(&w).monitoring;
    let down = m
        .alerts
        .iter()
        .find(|a| a.rule == "host down" && a.target == "web-01")
        .expect("no host down alert");
    assert!(
        (10_000.0..=35_000.0).contains(&down.detect_ms),
        "detected after {} ms",
        down.detect_ms
    );
    assert!(m.alerts.iter().all(|a| a.detect_ms >= 0.0));
    let mut quiet = s.clone();
    quiet.topology.monitoring = false;
    let (w, _) = run(&quiet, 60.0);
    let m = summary(&w).monitoring;
    assert!(m.alerts.is_empty());
    assert!(m.error_seconds > 0);
    assert_eq!(m.unnoticed_error_seconds, m.error_seconds);
}

#[derive(Debug, Clone)]
struct Case {
    seed: u64,
    semi: bool,
    apply_rate: f64,
    workers: u32,
    faults: Vec<(u32, u8, u8)>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<u64>(),
        any::<bool>(),
        prop_oneof![Just(2000.0), 5.0..60.0f64],
        1..5u32,
        prop::collection::vec((0..40_000u32, 0..6u8, 0..3u8), 0..6),
    )
        .prop_map(|(seed, semi, apply_rate, workers, faults)| Case {
            seed,
            semi,
            apply_rate,
            workers,
            faults,
        })
}

/// What a case's faults hit: its databases, their link, their hosts.
const TARGETS: [&str; 6] = [
    "web-01/mysql",
    "web-02/mysql",
    "web-01--web-02",
    "web-01",
    "web-02",
    "web-02/mysql",
];

fn case_scenario(c: &Case) -> Scenario {
    let mut s = writes_heavy();
    s.seed = c.seed;
    s.traffic.rate = 60.0;
    s.mysql.auto_failover = true;
    s.mysql.replication_delay_ms = 50.0;
    s.mysql.source_connect_retry_s = 2.0;
    s.mysql.apply_rate = c.apply_rate;
    s.mysql.replica_parallel_workers = c.workers;
    if c.semi {
        s.mysql.replication = ReplicationMode::SemiSync;
    }
    s.faults = c
        .faults
        .iter()
        .map(|&(ms, t, k)| {
            fault(
                ms as f64 / 1000.0,
                TARGETS[t as usize],
                match k {
                    0 => FaultKind::Crash,
                    1 => FaultKind::Partition,
                    _ => FaultKind::Restore,
                },
            )
        })
        .collect();
    s
}

/// A case a random run found, replayed as a plain test: the property's checks, failing with
/// the case and why.
fn replay_case(c: &Case) {
    if let Err(e) = check_replication_case(c) {
        panic!("{c:?}: {e}");
    }
}

/// Replication's guarantees over random failures of the databases and their link: a replica never holds a
/// transaction its primary never had (before any failover); stale reads happen only while
/// the replica lags; with semi-sync no acknowledged write is lost, but by a second failure
/// (the acknowledging replica's crash discarding its relay log) or once semi-sync switched
/// off; lost transactions are listed and each acknowledged write missing from the primary is
/// among them.
fn check_replication_case(c: &Case) -> Result<(), TestCaseError> {
    let s = case_scenario(c);
    let mut w = World::new(&s).unwrap();
    w.keep_all_traces(true);
    // Before this time semi-sync had never switched off: every commit waited for a replica's ack.
    let mut semi_sync_on_until = SimTime(u64::MAX);
    for step in 1..=50u64 {
        w.advance_to(SimTime(step * 1_000_000));
        if w.repl.semi_sync_switched_off > 0 && semi_sync_on_until == SimTime(u64::MAX) {
            semi_sync_on_until = SimTime((step - 1) * 1_000_000);
        }
        if w.repl.failovers == 0 {
            if let Some(p) = w.repl.primary {
                for d in 0..w.repl.dbs.len() {
                    if d != p && !w.repl.dbs[d].ever_primary {
                        prop_assert!(
                            w.repl.dbs[p].executed.covers(&w.repl.dbs[d].executed),
                            "replica {d} has what the primary never had"
                        );
                    }
                }
            }
        }
        prop_assert_eq!(w.check_invariants(), Ok(()));
    }
    prop_assert_eq!(w.repl.stale_without_lag, 0);
    let traces = w.drain_traces();
    // Once everything is repaired and quiet, every replica catches up with its primary.
    let mut healed = w.clone();
    for t in TARGETS {
        let _ = healed.apply(&Action::Fault {
            target: t.into(),
            fault: FaultKind::Restore,
        });
    }
    healed.set_rate(0.0);
    healed.advance_to(SimTime::from_secs_f64(400.0));
    if let Some(p) = healed.repl.primary {
        for d in 0..healed.repl.dbs.len() {
            if d != p && healed.repl.dbs[d].source == Some(p as u16) {
                prop_assert!(
                    healed.repl.dbs[d]
                        .executed
                        .covers(&healed.repl.dbs[p].executed),
                    "replica {d} never caught up: {:?} vs {:?} (io {:?}, relay {})",
                    healed.repl.dbs[d].executed,
                    healed.repl.dbs[p].executed,
                    healed.repl.dbs[d].io,
                    healed.repl.dbs[d].relay.len()
                );
            }
        }
    }
    let sum = summary(&w);
    prop_assert_eq!(
        sum.replication.lost_gtids.len() as u64,
        sum.replication.lost_transactions
    );
    if let Some(p) = w.repl.primary {
        let primary = &w.repl.dbs[p];
        for t in traces
            .iter()
            .filter(|t| t.kind == ReqKind::Write && t.outcome.is_ok())
        {
            let g = t.gtid.unwrap();
            if !primary.executed.contains(g) && !w.repl.split_brain {
                prop_assert!(
                    sum.replication.lost_gtids.contains(&g.text()) || w.repl.dbs[p].own_n == 0,
                    "acknowledged write {} missing from the primary and not listed",
                    g.text()
                );
                // Semi-sync (docs/model.md): AFTER_SYNC keeps an acknowledged write through one
                // failure, the primary's. It may be lost only if it was acknowledged after the
                // fallback to async, or if the replica that had it crashed and discarded it with
                // its unapplied relay log (relay_log_recovery) and the primary died before
                // sending it again: a second failure.
                let acked_without_replica = t.end >= semi_sync_on_until;
                if c.semi && !acked_without_replica && !w.repl.relay_discarded(g, None) {
                    prop_assert!(false, "semi-sync lost acknowledged write {}", g.text());
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(32), ..ProptestConfig::default() })]

    /// The invariants of `check_replication_case` hold for any case.
    #[test]
    fn replication_invariants(c in case()) {
        check_replication_case(&c)?;
    }
}

/// Semi-sync: a case a random run of `replication_invariants` found:
/// web-01/mysql (the semi-sync primary) crashes at 1.501 s, the replica's host web-02 at
/// 1.797 s and comes back at 11.75 s.
#[test]
fn semi_sync_primary_then_replica_crash() {
    let c = Case {
        seed: 605147838050625,
        semi: true,
        apply_rate: 5.0,
        workers: 1,
        faults: vec![(11750, 4, 2), (1797, 4, 0), (1501, 0, 0)],
    };
    replay_case(&c);
    // The acknowledged writes lost are exactly those web-02/mysql had received (and acked)
    // but not applied when its host crashed: its restart discarded them (relay_log_recovery)
    // while web-01/mysql, the only other copy, was down. Semi-sync never switched off.
    let (w, _) = run(&case_scenario(&c), 50.0);
    assert_eq!(w.repl.semi_sync_switched_off, 0);
    assert_eq!(w.repl.primary, Some(1));
    assert!(w.repl.lost_count > 0);
    assert!(w
        .repl
        .lost
        .iter()
        .all(|&g| w.repl.relay_discarded(g, Some(1))));
    assert!(w.log.iter().any(|e| e.text().contains(&format!(
        "{} acknowledged transactions had reached it, but its crash discarded them",
        w.repl.lost_count
    ))));
}

/// MySQL replication: a case a random run of `replication_invariants`
/// found: async, no fault, a replica that keeps up (one worker at 2000 events/s). At
/// 10.854668 s one user's write commits on web-01 in the very microsecond their read runs on
/// web-02: the read is stale (the transaction has not even shipped), so the replica's lag
/// then must not read 0, though the transaction is 0 µs old.
#[test]
fn a_commit_in_the_microsecond_of_a_replica_read() {
    let c = Case {
        seed: 12618851081542406454,
        semi: false,
        apply_rate: 2000.0,
        workers: 1,
        faults: vec![],
    };
    replay_case(&c);
    let at = SimTime(10_854_668);
    let mut w = World::new(&case_scenario(&c)).unwrap();
    w.advance_to(at);
    let last = *w.repl.dbs[0].binlog.back().unwrap();
    assert_eq!(last.ts, at, "a commit in this microsecond");
    assert!(!w.repl.dbs[1].executed.contains(last.gtid));
    assert!(w.lag_us(1) > 0);
    // The run's first stale read is that one, answered by web-02 just after.
    assert_eq!(w.totals.stale_reads, 0);
    w.keep_all_traces(true);
    w.advance_to(SimTime(at.0 + 1_000_000));
    let first = w.drain_traces().into_iter().find(|t| t.stale).unwrap();
    assert_eq!(first.db, Some(w.repl.dbs[1].node));
    assert!(first.start < at && first.end.0 < at.0 + 50_000);
}

/// Semi-sync: a case a random run of `replication_invariants` found:
/// web-01's host crashes at 10.205 s with commits waiting for web-02's ack (0:245, row 19,
/// among them) and is back at 10.526 s, after web-02 was promoted. Crash recovery commits
/// what web-01's binary log holds, so rejoining as a replica with all of web-02's
/// transactions it serves web-02's row 19, not an older one.
#[test]
fn semi_sync_primary_crash_recovers_what_waited() {
    let c = Case {
        seed: 8591049158763272451,
        semi: true,
        apply_rate: 2000.0,
        workers: 1,
        faults: vec![(10205, 3, 0), (10526, 3, 2)],
    };
    replay_case(&c);
    // The read that was stale: web-01 then has all web-02 has, and row 19 as web-02 has it.
    let mut w = World::new(&case_scenario(&c)).unwrap();
    w.advance_to(SimTime(10_810_698));
    assert_eq!(w.repl.primary, Some(1));
    assert_eq!(w.repl.dbs[0].role, DbRole::Replica);
    assert!(w.repl.dbs[0].executed.covers(&w.repl.dbs[1].executed));
    assert_eq!(
        w.repl.dbs[1].rows[19].gtid.map(|g| (g.source, g.n)),
        Some((0, 245))
    );
    assert_eq!(
        w.repl.dbs[0].rows[19].version,
        w.repl.dbs[1].rows[19].version
    );
}

/// Semi-sync: a case a random run of `replication_invariants` found:
/// web-01/mysql crashes at 5.705 s; the failover waits for web-02's applier to drain its relay
/// log, and web-01/mysql comes back at 9.706 s, before web-02 is promoted (10.4 s). The commits
/// it took meanwhile wait for an ack that no replica will send; 10 s later semi-sync switches
/// off and they are acknowledged: lost, as the async ones are, and listed.
#[test]
fn the_replaced_primary_acknowledges_what_waited() {
    let c = Case {
        seed: 643130265413414910,
        semi: true,
        apply_rate: 13.79830115756062,
        workers: 1,
        faults: vec![(5705, 0, 0), (9706, 0, 2)],
    };
    replay_case(&c);
    let (w, traces) = run(&case_scenario(&c), 50.0);
    assert_eq!(w.repl.primary, Some(1));
    assert_eq!(w.repl.semi_sync_switched_off, 1);
    let late: Vec<_> = traces
        .iter()
        .filter(|t| t.kind == ReqKind::Write && t.outcome.is_ok())
        .filter_map(|t| {
            t.gtid
                .filter(|g| g.source == 0 && !w.repl.dbs[1].executed.contains(*g))
        })
        .collect();
    assert!(!late.is_empty());
    assert!(late.iter().all(|g| w.repl.lost.contains(g)));
    assert!(w
        .log
        .iter()
        .any(|e| e.text().contains("was replaced as the primary")));
}

/// The one-server stack: no load balancer, one MySQL, nothing replicated.
#[test]
fn one_server_preset_runs_alone() {
    let (w, _) = run(&shipped("one-server"), 60.0);
    let sum = summary(&w);
    assert!(w.lbs.is_empty());
    assert_eq!(w.repl.dbs.len(), 1);
    assert_eq!(sum.availability, 1.0);
    assert!(sum.servers.is_empty(), "no HAProxy, no stats");
}

/// The scaled-up stack: a keepalived pair, three web hosts, MySQL on db-01/db-02 with
/// automatic failover: the primary's host dying costs a second of writes, not the site.
#[test]
fn scaled_up_preset_survives_its_primary() {
    let s = shipped("scaled-up");
    let (w, traces) = run(&s, 30.0);
    let sum = summary(&w);
    assert_eq!(sum.load_balancers.vrrp["lb-01"], "MASTER");
    assert_eq!(sum.load_balancers.vrrp["lb-02"], "BACKUP");
    assert_eq!(sum.servers.len(), 3);
    assert_eq!(sum.replication.primary.as_deref(), Some("db-01/mysql"));
    assert_eq!(sum.availability, 1.0);
    assert!(traces.iter().filter(|t| t.kind == ReqKind::Read).all(|t| t
        .db
        .map(|d| w.topology().node(d).name.clone())
        .as_deref()
        == Some("db-02/mysql")));
    let mut crash = s.clone();
    crash.faults = vec![fault(10.0, "db-01", FaultKind::Crash)];
    let (w, traces) = run(&crash, 30.0);
    let sum = summary(&w);
    assert_eq!(sum.replication.primary.as_deref(), Some("db-02/mysql"));
    let failed: Vec<_> = traces.iter().filter(|t| !t.outcome.is_ok()).collect();
    assert!(
        failed
            .iter()
            .all(|t| t.kind == ReqKind::Write && t.start.as_ms() < 11_500.0),
        "{} failures",
        failed.len()
    );
    assert!(sum.availability > 0.99);
}

/// The narrated log: when the primary dies, users' failed writes are explained by
/// the MySQL they could not reach, named, not "its database", even from web-02's app whose
/// own MySQL is up.
#[test]
fn failed_writes_name_the_database_they_needed() {
    let mut s = shipped("primary-crash-async");
    s.mysql.auto_failover = false;
    let (w, _) = run(&s, 30.0);
    let errors: Vec<String> = w
        .log
        .iter()
        .map(|e| e.text())
        .filter(|t| t.contains("Users are getting 500"))
        .collect();
    assert!(!errors.is_empty(), "no error narrated");
    assert!(
        errors
            .iter()
            .any(|t| t.contains("cannot reach web-01/mysql")),
        "{errors:?}"
    );
    assert!(
        !errors.iter().any(|t| t.contains("its database")),
        "{errors:?}"
    );
}

/// Seconds_Behind_Source, as MySQL's source computes it: NULL unless the receiver
/// is connected, even with relay log left to apply; the lab still says how many transactions
/// the replica lacks, and its sub-second lag only while connected.
#[test]
fn a_replica_whose_receiver_is_not_connected_shows_null_behind() {
    let mut s = writes_heavy();
    s.mysql.apply_rate = 20.0;
    s.mysql.replica_parallel_workers = 1;
    s.faults = vec![fault(10.0, "web-01/mysql", FaultKind::Crash)];
    let mut w = World::new(&s).unwrap();
    let mut snap = foobar_sim::Snapshot::default();
    w.advance_to(SimTime::from_secs_f64(9.0));
    w.snapshot_into(&mut snap);
    let r = &snap.dbs[1];
    assert!(r.receiver_connected);
    assert!(r.seconds_behind_source.is_some() && r.lag_us.is_some_and(|l| l > 0));
    w.advance_to(SimTime::from_secs_f64(10.5));
    w.snapshot_into(&mut snap);
    let r = &snap.dbs[1];
    assert!(!r.receiver_connected, "its source crashed");
    assert!(r.relay_len > 0, "relay log left to apply");
    assert_eq!((r.seconds_behind_source, r.lag_us), (None, None));
    assert!(
        r.transactions_behind > 6,
        "{} behind",
        r.transactions_behind
    );
    assert_eq!(snap.dbs[0].transactions_behind, 0);
}

/// A primary replaced while it was away is an old primary, neither the primary nor
/// a replica, until it comes back and rejoins.
#[test]
fn a_replaced_primary_is_an_old_primary_until_it_rejoins() {
    let mut s = shipped("primary-crash-async");
    s.mysql.source_connect_retry_s = 1.0;
    s.faults
        .push(fault(40.0, "web-01/mysql", FaultKind::Restore));
    let mut w = World::new(&s).unwrap();
    let mut snap = foobar_sim::Snapshot::default();
    w.advance_to(SimTime::from_secs_f64(35.0));
    w.snapshot_into(&mut snap);
    assert_eq!(w.repl.primary, Some(1), "failed over");
    let old = &snap.dbs[0];
    assert_eq!((old.role, old.is_writer), (DbRole::OldPrimary, false));
    assert_eq!(
        snap.nodes[old.node.index()].effective,
        foobar_sim::world::Condition::Crashed
    );
    w.advance_to(SimTime::from_secs_f64(45.0));
    w.snapshot_into(&mut snap);
    assert_eq!(
        (snap.dbs[0].role, snap.dbs[0].read_only),
        (DbRole::Replica, true)
    );
}
