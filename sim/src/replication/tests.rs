//! Replication alone, with no world: the three-server design's MySQL on web-01 (the primary)
//! and web-02 (its replica), driven through a `TestBed`.

use super::*;
use crate::cx::TestBed;
use crate::log::LogEvent;
use crate::mysql::{DbRole, IoState};
use crate::net::NodeState;
use crate::time::MS;
use crate::Scenario;

/// Replication's events as a queue holds them (a queue's events need a default).
#[derive(Debug, Clone, Copy)]
struct Ev(ReplEvent);

impl Default for Ev {
    fn default() -> Self {
        Ev(ReplEvent::OrchestratorCheck)
    }
}

impl From<ReplEvent> for Ev {
    fn from(ev: ReplEvent) -> Ev {
        Ev(ev)
    }
}

/// Request `id`'s waiter (every request here waits on its first chain).
fn w(id: u32) -> Waiter {
    (id, Stamp::default())
}

/// A primary and its replica, replication started at time 0.
struct Pair {
    bed: TestBed<Ev>,
    r: Replication,
    /// Request slots whose reads no longer wait for their GTID.
    gone: Vec<u32>,
}

impl Pair {
    fn new(spec: MysqlSpec) -> Pair {
        let mut s = Scenario::three_server();
        s.mysql = spec;
        let mut bed = TestBed::new(&s);
        let topo = &bed.net.topo;
        let local = (topo.web_hosts.iter())
            .map(|&h| topo.component(h, NodeKind::Mysql))
            .collect();
        let mut r = Replication::new(topo, local, &spec);
        r.start(&mut bed.cx());
        Pair {
            bed,
            r,
            gone: Vec::new(),
        }
    }

    fn spec(f: impl FnOnce(&mut MysqlSpec)) -> Pair {
        let mut spec = MysqlSpec::default();
        f(&mut spec);
        Pair::new(spec)
    }

    /// Runs every event due up to `t` as the world hands them over.
    fn run_to(&mut self, t: SimTime) {
        let (r, gone) = (&mut self.r, &self.gone);
        self.bed.run_until(t, |Ev(ev), cx| {
            if let Some(db) = r.on_event(ev, cx) {
                r.ready_readers(db, |(id, _)| !gone.contains(&id));
                r.after_applied(db, cx);
            }
        });
    }

    fn run_to_ms(&mut self, ms: u64) {
        self.run_to(SimTime(ms * MS));
    }

    /// Request `id` writes row `id` on the primary.
    fn write(&mut self, id: u32) -> Commit {
        let p = self.r.primary.unwrap();
        let mut cx = self.bed.cx();
        self.r.commit(p, id as u16, id as u64, w(id), &mut cx)
    }

    fn host(&self, db: usize) -> NodeId {
        self.r.dbs[db].host
    }

    fn crash(&mut self, db: usize) {
        let host = self.host(db);
        let crashed = NodeState {
            crashed: true,
            ..NodeState::default()
        };
        self.bed.net.set_node(host, crashed);
        self.r.on_node_lost(host, true, &mut self.bed.cx());
    }

    fn restore(&mut self, db: usize) {
        let host = self.host(db);
        self.bed.net.set_node(host, NodeState::default());
        self.r.on_node_restored(host, &mut self.bed.cx());
    }

    fn lan(&self) -> u64 {
        self.bed.net.lan_us()
    }

    fn logged(&self, f: impl Fn(&LogEvent) -> bool) -> usize {
        self.bed.log.iter().filter(|e| f(&e.event)).count()
    }
}

/// The receiver connects at once; a commit ships over the LAN into the replica's relay log,
/// and an applier worker applies it `1 / apply_rate` later (500 µs at 2,000/s).
#[test]
fn binlog_ships_to_the_relay_log_and_the_applier_applies_it() {
    let mut p = Pair::spec(|_| {});
    assert_eq!(p.r.dbs[1].io, IoState::Connecting);
    p.run_to_ms(1);
    assert_eq!(p.r.dbs[1].io, IoState::Yes);
    let c = p.write(5);
    assert!(c.acked, "async: the client is told OK at the commit");
    let g = c.gtid.unwrap();
    assert_eq!((g.source, g.n), (0, 1));
    assert_eq!(p.r.dbs[0].rows[5].version, 1);
    let (pos, depart, at) = p.r.dbs[1].in_flight[0];
    assert_eq!((pos, depart, at), (1, SimTime(MS), SimTime(MS + p.lan())));

    p.run_to(at);
    let r = &p.r.dbs[1];
    assert!(r.received.contains(g) && !r.executed.contains(g));
    assert_eq!((r.relay.len(), r.rows[5].version), (1, 0));
    assert!(r.in_flight.is_empty());
    assert_eq!(p.r.lag_us(&p.bed.net, at, 1), p.lan());

    p.run_to(at + 499);
    assert!(!p.r.dbs[1].executed.contains(g));
    p.run_to(at + 500);
    let r = &p.r.dbs[1];
    assert!(r.executed.contains(g) && r.relay.is_empty());
    assert_eq!(r.rows[5].version, 1);
    assert_eq!(p.r.lag_us(&p.bed.net, at + 500, 1), 0);
    assert_eq!(p.r.max_lag_us, p.lan() + 500);
    assert!(p.r.out.acked.is_empty());
}

/// One worker at one transaction a second: `Seconds_Behind_Source` counts whole seconds
/// since the source committed the event being applied; the true lag, since the oldest
/// transaction the replica lacks.
#[test]
fn lag_and_seconds_behind_source_grow_with_a_slow_applier() {
    let mut p = Pair::spec(|m| {
        m.apply_rate = 1.0;
        m.replica_parallel_workers = 1;
    });
    p.run_to_ms(1_000);
    for id in 0..3 {
        p.write(id);
    }
    let arrive = SimTime(SEC + p.lan());
    p.run_to(arrive);
    assert_eq!(p.r.dbs[1].relay.len(), 3);
    assert_eq!(p.r.dbs[1].seconds_behind_source(arrive), Some(0));
    p.run_to_ms(2_900);
    assert_eq!(p.r.dbs[1].seconds_behind_source(p.bed.now), Some(1));
    assert_eq!(p.r.lag_us(&p.bed.net, p.bed.now, 1), 1_900 * MS);
    // The first applied a second after it arrived; the second waits for it.
    assert_eq!(p.r.dbs[1].relay.len(), 2);
    assert_eq!(p.r.tick(&mut p.bed.cx()), 1_900 * MS);
    p.run_to(arrive + 3 * SEC);
    assert!(p.r.dbs[1].relay.is_empty());
    assert_eq!(p.r.dbs[1].seconds_behind_source(p.bed.now), Some(0));
    assert_eq!(p.r.max_lag_now(&p.bed.net, p.bed.now), 0);
    // The last was applied 3 s after it arrived.
    assert_eq!(p.r.max_lag_us, 3 * SEC + p.lan());
}

/// Semi-sync (AFTER_SYNC): the commit waits, invisible, until the replica has it in its relay
/// log and its ack has crossed the LAN back; then its client is reported to the world.
#[test]
fn a_semi_sync_commit_waits_for_the_replicas_ack() {
    let mut p = Pair::spec(|m| m.replication = ReplicationMode::SemiSync);
    p.run_to_ms(1);
    let c = p.write(5);
    assert!(!c.acked);
    assert_eq!(p.r.dbs[0].rows[5].version, 0, "not visible before the ack");
    assert_eq!(p.r.dbs[0].waiting.len(), 1);
    let acked_at = SimTime(MS + 2 * p.lan());
    p.run_to(SimTime(acked_at.0 - 1));
    assert!(p.r.out.acked.is_empty());
    assert_eq!(p.r.dbs[1].relay.len(), 1, "received, not yet applied");
    p.run_to(acked_at);
    assert_eq!(p.r.out.acked, vec![w(5)]);
    assert_eq!(p.r.dbs[0].rows[5].version, 1);
    assert!(p.r.dbs[0].binlog_at(1).unwrap().acked);
    assert!(p.r.dbs[0].waiting.is_empty());
    assert_eq!(p.r.semi_sync_switched_off, 0);
}

/// With no replica to ack, the commit waits `rpl_semi_sync_source_timeout`, then semi-sync
/// switches off: the commits that waited are acknowledged and the next are async. It switches
/// back on when a replica acks the last commit that waited.
#[test]
fn semi_sync_falls_back_to_async_after_its_timeout_and_comes_back() {
    let mut p = Pair::spec(|m| {
        m.replication = ReplicationMode::SemiSync;
        m.rpl_semi_sync_source_timeout_ms = 500.0;
        m.source_connect_retry_s = 1.0;
    });
    p.run_to_ms(1);
    p.crash(1);
    assert_eq!(p.r.dbs[1].io, IoState::Connecting);
    assert!(!p.write(1).acked);
    assert!(!p.write(2).acked);
    p.run_to_ms(500);
    assert!(p.r.out.acked.is_empty());
    p.run_to_ms(501);
    assert_eq!(p.r.out.acked, vec![w(1), w(2)]);
    assert_eq!(p.r.semi_sync_switched_off, 1);
    assert!(!p.r.dbs[0].semi_sync_on);
    let off = |e: &LogEvent| matches!(e, LogEvent::SemiSyncOff { timeout_ms, .. } if *timeout_ms == 500.0);
    assert_eq!(p.logged(off), 1);
    assert!(p.write(3).acked, "async now");
    assert_eq!(p.r.dbs[0].rows[3].version, 3);

    p.restore(1);
    p.run_to_ms(2_000);
    assert!(p.r.dbs[1].executed.contains(Gtid { source: 0, n: 3 }));
    assert!(p.r.dbs[0].semi_sync_on);
    assert_eq!(p.logged(|e| matches!(e, LogEvent::SemiSyncOn { .. })), 1);
    assert!(!p.write(4).acked, "semi-sync again");
}

/// A promotion by hand: the replica becomes a writable primary, the apps write to it, the old
/// primary is set aside; it had everything, so nothing is lost.
#[test]
fn a_promotion_by_hand_repoints_the_apps() {
    let mut p = Pair::spec(|_| {});
    p.run_to_ms(1);
    p.write(1);
    p.run_to_ms(1_000);
    p.r.promote(1, false, &mut p.bed.cx());
    assert_eq!(p.r.primary, Some(1));
    let (old, new) = (&p.r.dbs[0], &p.r.dbs[1]);
    assert_eq!(
        (new.role, new.read_only, new.source),
        (DbRole::Primary, false, None)
    );
    assert_eq!(new.io, IoState::No);
    assert_eq!(old.role, DbRole::OldPrimary);
    assert!(p.r.app_write.iter().all(|&w| w == Some(1)));
    assert_eq!((p.r.failovers, p.r.lost_count), (1, 0));
    assert_eq!(p.r.out.lost, Some(0));
    let promoted = |e: &LogEvent| {
        matches!(
            e,
            LogEvent::Promoted {
                automatic: false,
                never_reached: 0,
                discarded: 0,
                ..
            }
        )
    };
    assert_eq!(p.logged(promoted), 1);
    let t = p.bed.transitions.back().unwrap();
    assert_eq!((t.what, t.to.as_str()), ("role", "primary"));
}

/// Async: the client is told OK at the commit. A primary that dies before its dump thread
/// sends the events (here `replication_delay_ms` holds them 1 s) takes them along: the failover
/// manager promotes the replica and counts them lost.
#[test]
fn an_async_failover_loses_acknowledged_commits_never_shipped() {
    let mut p = Pair::spec(|m| {
        m.replication_delay_ms = 1_000.0;
        m.auto_failover = true;
    });
    p.run_to_ms(100);
    let gtids: Vec<Gtid> = (1..=3).map(|id| p.write(id).gtid.unwrap()).collect();
    p.run_to_ms(110);
    p.crash(0);
    assert_eq!(
        p.r.dbs[1].io,
        IoState::Connecting,
        "its replica lost it at once"
    );
    p.run_to_ms(499);
    assert_eq!(
        p.r.primary,
        Some(0),
        "the manager looks every second from 0.5 s"
    );
    p.run_to_ms(500);
    assert_eq!(p.r.primary, Some(1));
    assert!(
        p.r.dbs[1].executed.total() == 0,
        "the events died with their source"
    );
    assert_eq!(p.r.lost, gtids);
    assert_eq!((p.r.lost_count, p.r.out.lost), (3, Some(3)));
    let started = |e: &LogEvent| matches!(e, LogEvent::FailoverStarted { .. });
    assert_eq!(p.logged(started), 1);
    let promoted = |e: &LogEvent| {
        matches!(
            e,
            LogEvent::Promoted {
                automatic: true,
                never_reached: 3,
                semi_sync: false,
                ..
            }
        )
    };
    assert_eq!(p.logged(promoted), 1);
}

/// Semi-sync: an acknowledged commit is in the replica's relay log, and the promotion waits
/// for the applier to drain it, so a failover loses none; a commit still waiting when the
/// primary died was never acknowledged, and no client is told OK.
#[test]
fn a_semi_sync_failover_loses_no_acknowledged_commit() {
    let mut p = Pair::spec(|m| {
        m.replication = ReplicationMode::SemiSync;
        m.auto_failover = true;
        m.apply_rate = 1.0;
    });
    p.run_to_ms(100);
    let acked: Vec<Gtid> = (1..=3).map(|id| p.write(id).gtid.unwrap()).collect();
    p.run_to_ms(400);
    assert_eq!(p.r.out.acked, vec![w(1), w(2), w(3)]);
    assert_eq!(
        p.r.dbs[1].relay.len(),
        3,
        "acknowledged when received, not applied"
    );
    p.r.out.acked.clear();
    p.write(4);
    p.crash(0);
    p.run_to_ms(500);
    assert_eq!(p.r.pending_promotion, Some(1), "waits for the relay log");
    assert_eq!(p.r.primary, Some(0));
    p.run_to_ms(1_200);
    assert_eq!(p.r.primary, Some(1), "promoted once its applier caught up");
    assert!(acked.iter().all(|&g| p.r.dbs[1].executed.contains(g)));
    assert_eq!((p.r.lost_count, p.r.out.lost), (0, Some(0)));
    assert!(
        p.r.out.acked.is_empty(),
        "the fourth commit was never acknowledged"
    );
    let promoted = |e: &LogEvent| {
        matches!(
            e,
            LogEvent::Promoted {
                automatic: true,
                never_reached: 0,
                semi_sync: true,
                ..
            }
        )
    };
    assert_eq!(p.logged(promoted), 1);
}

/// A read waiting on the replica for the user's write goes once that write is applied; one
/// whose request has moved on is forgotten.
#[test]
fn readers_waiting_for_a_gtid_go_once_it_is_applied() {
    let mut p = Pair::spec(|_| {});
    p.run_to_ms(1);
    let g = p.write(1).gtid.unwrap();
    assert!(p.r.wait_for_gtid(1, w(7), g));
    assert!(p.r.wait_for_gtid(1, w(8), g));
    assert!(!p.r.wait_for_gtid(0, w(9), g), "the primary has it");
    p.gone.push(8);
    p.run_to_ms(1_000);
    assert_eq!(p.r.out.ready, vec![7]);
    assert!(p.r.dbs[1].gtid_waiters.is_empty());
}

/// A primary replaced while a commit waits for its ack still acknowledges it when its
/// semi-sync timeout fires: its client is told OK, and the new primary never gets it, so it
/// is lost then.
#[test]
fn a_replaced_primary_that_acknowledges_later_loses_the_commit() {
    let mut p = Pair::spec(|m| {
        m.replication = ReplicationMode::SemiSync;
        m.rpl_semi_sync_source_timeout_ms = 500.0;
    });
    p.run_to_ms(1);
    let g = p.write(1).gtid.unwrap();
    p.r.promote(1, false, &mut p.bed.cx());
    assert_eq!(
        (p.r.lost_count, p.r.out.lost),
        (0, Some(0)),
        "not acknowledged yet"
    );
    p.r.out.lost = None;
    p.run_to_ms(501);
    assert_eq!(p.r.out.acked, vec![w(1)]);
    assert!(!p.r.dbs[1].executed.contains(g));
    assert_eq!(p.r.lost, vec![g]);
    assert_eq!((p.r.lost_count, p.r.out.lost), (1, Some(1)));
    let late = |e: &LogEvent| matches!(e, LogEvent::LostOnAck { lost: 1, .. });
    assert_eq!(p.logged(late), 1);
}

/// A replaced primary that comes back rejoins as a read-only replica of the new one; with
/// `old_primary_rejoins_read_only` off it comes back writable, and the app on its own host
/// writes to it: split brain.
#[test]
fn an_old_primary_rejoins_read_only_or_splits_the_brain() {
    for read_only in [true, false] {
        let mut p = Pair::spec(|m| m.old_primary_rejoins_read_only = read_only);
        p.run_to_ms(1);
        p.crash(0);
        p.r.promote(1, false, &mut p.bed.cx());
        p.run_to_ms(1_000);
        p.restore(0);
        p.run_to_ms(2_000);
        let old = &p.r.dbs[0];
        if read_only {
            assert_eq!(
                (old.role, old.read_only, old.source),
                (DbRole::Replica, true, Some(1))
            );
            assert_eq!(old.io, IoState::Yes);
            assert_eq!(p.r.app_write, vec![Some(1), Some(1)]);
            assert!(!p.r.split_brain);
            assert_eq!(p.logged(|e| matches!(e, LogEvent::Rejoined { .. })), 1);
        } else {
            assert_eq!(
                (old.role, old.read_only, old.source),
                (DbRole::Primary, false, None)
            );
            assert_eq!(
                p.r.app_write,
                vec![Some(0), Some(1)],
                "web-01's app writes there"
            );
            assert!(p.r.split_brain);
            assert_eq!(p.logged(|e| matches!(e, LogEvent::SplitBrain { .. })), 1);
        }
        assert_eq!(p.r.primary, Some(1));
    }
}
