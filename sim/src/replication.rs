//! MySQL replication between the servers (MODEL.md "MySQL replication"; SPEC S6, S7, C3):
//! shipping binlog events over the links, the applier threads, semi-sync acks and its timeout
//! fallback, automatic failover (orchestrator-like), manual promotion, lost transactions and
//! the old primary's return.

use crate::log::LogEvent;
use crate::mysql::{DbRole, Gtid, IoState};
use crate::net::Conn;
use crate::scenario::ReplicationMode;
use crate::time::{SimTime, SEC};
use crate::world::{Event, World};
use serde::Serialize;

/// Lost GTIDs listed one by one up to this many (the count is always exact).
pub const LOST_LIST_CAP: usize = 10_000;
/// Binlog events in flight shown per replica.
pub const IN_FLIGHT_SHOWN: usize = 256;
/// Binlog events kept for display once every replica has them.
pub const BINLOG_KEPT: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplEvent {
    /// A binlog event from the replica's source reaches its receiver thread.
    /// It left the source at `depart`: if the source died before then, it never left.
    Ship {
        db: u8,
        epoch: u32,
        pos: u64,
        depart: SimTime,
    },
    /// A semi-sync replica's ack for binlog position `pos` reaches the source.
    Ack { source: u8, epoch: u32, pos: u64 },
    /// An applier worker finishes the oldest started relay event.
    Applied { db: u8, epoch: u32 },
    /// The receiver tries to (re)connect to its source (`SOURCE_CONNECT_RETRY`).
    Retry { db: u8, epoch: u32 },
    /// `rpl_semi_sync_source_timeout` for the commit at `pos`.
    SemiSyncTimeout { source: u8, pos: u64 },
    /// The failover manager looks at the topology (every second).
    OrchestratorCheck,
}

/// Transactions a crashed replica had received but not applied, discarded at its restart
/// (`relay_log_recovery`, see `repl_on_db_lost`): GTIDs `source:first..=last`, to be fetched
/// again from its source. Semi-sync AFTER_SYNC guards acknowledged writes against one failure:
/// if the source is gone too before they are fetched again, they are lost even though a
/// replica acknowledged them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DiscardedRelay {
    /// The replica that discarded them (index into `World::dbs`).
    pub db: u16,
    pub source: u16,
    pub first: u64,
    pub last: u64,
    pub at: SimTime,
}

impl DiscardedRelay {
    pub fn contains(&self, g: Gtid) -> bool {
        g.source == self.source && (self.first..=self.last).contains(&g.n)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ReplState {
    /// Transactions the old primary acknowledged that the promoted server never had.
    pub lost: Vec<Gtid>,
    pub lost_count: u64,
    pub max_lag_us: u64,
    pub failovers: u64,
    pub failover_blocked_until: SimTime,
    /// A failover waiting for its candidate's applier to drain the relay log.
    pub pending_promotion: Option<usize>,
    pub split_brain: bool,
    pub semi_sync_switched_off: u64,
    /// Stale reads seen while the replica was not behind: must stay 0 (SPEC C3).
    pub stale_without_lag: u64,
    /// Relay logs discarded by replicas' crashes, oldest first (up to `LOST_LIST_CAP`).
    pub relay_discarded: Vec<DiscardedRelay>,
}

impl ReplState {
    /// Whether a replica's crash discarded `g` from its relay log (`db`: that replica only).
    pub fn relay_discarded(&self, g: Gtid, db: Option<usize>) -> bool {
        self.relay_discarded
            .iter()
            .any(|d| d.contains(g) && db.is_none_or(|db| d.db as usize == db))
    }
}

impl World {
    pub(crate) fn repl_mode(&self) -> ReplicationMode {
        self.scenario.mysql.replication
    }

    fn mysql_alive(&self, db: usize) -> bool {
        let s = self.effective_state(self.dbs[db].node);
        !s.crashed && !s.partitioned
    }

    /// Starts replication: every replica's receiver connects to the primary.
    pub(crate) fn repl_start(&mut self) {
        for db in 0..self.dbs.len() {
            if self.dbs[db].source.is_some() {
                self.retry_now(db);
            }
        }
        if self.scenario.mysql.auto_failover && self.dbs.len() > 1 {
            // Checks every second, half a second out of step with whole-second faults.
            self.queue.push(
                self.now + SEC / 2,
                Event::Repl(ReplEvent::OrchestratorCheck),
            );
        }
    }

    pub(crate) fn on_repl(&mut self, ev: ReplEvent) {
        match ev {
            ReplEvent::Ship {
                db,
                epoch,
                pos,
                depart,
            } => self.on_ship(db as usize, epoch, pos, depart),
            ReplEvent::Ack { source, epoch, pos } => self.on_ack(source as usize, epoch, pos),
            ReplEvent::Applied { db, epoch } => {
                if self.dbs[db as usize].apply_epoch == epoch {
                    self.on_applied(db as usize);
                }
            }
            ReplEvent::Retry { db, epoch } => {
                if self.dbs[db as usize].epoch == epoch {
                    self.try_connect(db as usize);
                }
            }
            ReplEvent::SemiSyncTimeout { source, pos } => {
                self.on_semi_sync_timeout(source as usize, pos)
            }
            ReplEvent::OrchestratorCheck => self.orchestrator_check(),
        }
    }

    /// The receiver (re)connects as soon as it can (`START REPLICA`).
    fn retry_now(&mut self, db: usize) {
        let epoch = self.dbs[db].epoch;
        self.queue.push(
            self.now,
            Event::Repl(ReplEvent::Retry {
                db: db as u8,
                epoch,
            }),
        );
    }

    fn retry_later(&mut self, db: usize) {
        let epoch = self.dbs[db].epoch;
        let wait = (self.scenario.mysql.source_connect_retry_s * SEC as f64) as u64;
        self.queue.push(
            self.now + wait.max(1),
            Event::Repl(ReplEvent::Retry {
                db: db as u8,
                epoch,
            }),
        );
    }

    /// The receiver thread connects to its source and asks, by GTID auto-positioning, for
    /// everything it lacks.
    fn try_connect(&mut self, db: usize) {
        let Some(src) = self.dbs[db].source.map(|s| s as usize) else {
            return;
        };
        if !self.mysql_alive(db) {
            return;
        }
        let (host, src_node) = (self.dbs[db].host, self.dbs[src].node);
        match self.net.connect(&mut self.rng, host, src_node) {
            Conn::Ok(_) if self.dbs[db].needs_purged(&self.dbs[src]) => {
                self.dbs[db].io = IoState::No;
                let replica = self.net.topo.node(self.dbs[db].node).name.clone();
                self.log.push(self.now, LogEvent::SourcePurged { replica });
            }
            Conn::Ok(_) => {
                let r = &mut self.dbs[db];
                r.epoch = r.epoch.wrapping_add(1);
                r.io = IoState::Yes;
                r.sql_running = true;
                let from = self.dbs[db].auto_position(&self.dbs[src]);
                let to = self.dbs[src].next_pos();
                for pos in from..to {
                    self.ship(src, db, pos);
                }
            }
            _ => {
                self.dbs[db].io = IoState::Connecting;
                self.retry_later(db);
            }
        }
        self.version += 1;
    }

    /// Sends binlog position `pos` of `src` to replica `db`, in order.
    fn ship(&mut self, src: usize, db: usize, pos: u64) {
        let (src_host, host) = (self.dbs[src].host, self.dbs[db].host);
        let lat = match self.net.topo.link_between(src_host, host) {
            Some(l) if !self.net.path_broken(src_host, host) => {
                self.net.link_latency(&mut self.rng, l)
            }
            None if src_host == host => self.cfg.timing.loopback_us,
            _ => {
                // The connection broke: the receiver will reconnect later.
                self.disconnect(db);
                return;
            }
        };
        // The source's dump thread sends it `replication_delay_ms` after the commit.
        let delay = crate::scenario::ms_to_us(self.scenario.mysql.replication_delay_ms);
        let depart = self.now + delay;
        let r = &mut self.dbs[db];
        // One TCP stream: events arrive in the order they were sent.
        let at = (depart + lat).max(r.last_arrival);
        r.last_arrival = at;
        if r.in_flight.len() == IN_FLIGHT_SHOWN {
            r.in_flight.pop_front();
        }
        r.in_flight.push_back((pos, depart, at));
        let epoch = r.epoch;
        self.queue.push(
            at,
            Event::Repl(ReplEvent::Ship {
                db: db as u8,
                epoch,
                pos,
                depart,
            }),
        );
    }

    /// The receiver lost its source. Events already on the wire still arrive (TCP delivers
    /// them before the reset); the next connection asks again for whatever it lacks.
    fn disconnect(&mut self, db: usize) {
        let r = &mut self.dbs[db];
        if r.io == IoState::Yes {
            r.io = IoState::Connecting;
            self.retry_later(db);
            self.version += 1;
        }
    }

    /// Sends a newly logged event of `src` to every replica connected to it.
    pub(crate) fn ship_new(&mut self, src: usize, pos: u64) {
        for db in 0..self.dbs.len() {
            if self.dbs[db].source == Some(src as u16) && self.dbs[db].io == IoState::Yes {
                self.ship(src, db, pos);
            }
        }
    }

    fn on_ship(&mut self, db: usize, epoch: u32, pos: u64, depart: SimTime) {
        let now = self.now;
        let flying = &mut self.dbs[db].in_flight;
        while flying.front().is_some_and(|&(_, _, at)| at <= now) {
            flying.pop_front();
        }
        if self.dbs[db].epoch != epoch || !self.mysql_alive(db) {
            return;
        }
        let Some(src) = self.dbs[db].source.map(|s| s as usize) else {
            return;
        };
        let Some(ev) = self.dbs[src].binlog_at(pos).copied() else {
            return;
        };
        if self.dbs[src].down_since.is_some_and(|t| t <= depart) {
            // The source died before sending it: committed there, never shipped.
            return;
        }
        let (src_host, host) = (self.dbs[src].host, self.dbs[db].host);
        if self.net.path_broken(src_host, host) {
            self.disconnect(db);
            return;
        }
        if self.dbs[db].relay.len() >= crate::mysql::RELAY_CAP {
            // relay_log_space_limit: the receiver stops until the applier frees space.
            let r = &mut self.dbs[db];
            r.epoch = r.epoch.wrapping_add(1);
            r.io = IoState::Connecting;
            self.retry_later(db);
            return;
        }
        if self.dbs[db].receive(ev) == crate::mysql::Received::Gap {
            // Something before it was lost: start a new connection from where we are.
            let r = &mut self.dbs[db];
            r.epoch = r.epoch.wrapping_add(1);
            r.io = IoState::Connecting;
            self.retry_later(db);
            return;
        }
        // Semi-sync: the replica acks once the event is in its relay log (AFTER_SYNC waits
        // for "received and logged", not applied).
        if self.repl_mode() == ReplicationMode::SemiSync {
            let lat = self.cfg.timing.lan_us;
            let src_epoch = self.dbs[src].epoch;
            self.queue.push(
                self.now + lat,
                Event::Repl(ReplEvent::Ack {
                    source: src as u8,
                    epoch: src_epoch,
                    pos,
                }),
            );
        }
        self.start_applier(db);
    }

    /// Starts applier workers on relay events, up to `replica_parallel_workers`; commits
    /// keep the source's order (`replica_preserve_commit_order`).
    pub(crate) fn start_applier(&mut self, db: usize) {
        let workers = self.scenario.mysql.replica_parallel_workers as usize;
        let rate = self.scenario.mysql.apply_rate.max(0.001);
        let slow = self.net.slow_of(self.dbs[db].node);
        while self.dbs[db].sql_running
            && self.dbs[db].relay_started < self.dbs[db].relay.len()
            && self.in_progress(db) < workers
        {
            let t = (SEC as f64 / rate * slow) as u64;
            let r = &mut self.dbs[db];
            let done = (self.now + t).max(r.last_apply_done);
            r.last_apply_done = done;
            r.relay_started += 1;
            let epoch = r.apply_epoch;
            self.queue.push(
                done,
                Event::Repl(ReplEvent::Applied {
                    db: db as u8,
                    epoch,
                }),
            );
        }
    }

    fn in_progress(&self, db: usize) -> usize {
        self.dbs[db].relay_started
    }

    /// After an epoch change, the relay events already started are scheduled again.
    fn rearm_applier(&mut self, db: usize) {
        let r = &mut self.dbs[db];
        r.apply_epoch = r.apply_epoch.wrapping_add(1);
        r.relay_started = 0;
        r.last_apply_done = self.now;
        self.start_applier(db);
    }

    fn on_applied(&mut self, db: usize) {
        // A cut-off replica keeps applying what it has; only a crash stops the applier (and
        // bumps `apply_epoch`, so this event would not have come).
        if self.effective_state(self.dbs[db].node).crashed {
            return;
        }
        let now = self.now;
        let Some(ev) = self.dbs[db].apply_next(now) else {
            return;
        };
        let lag = now - ev.ts;
        self.repl.max_lag_us = self.repl.max_lag_us.max(lag);
        let pos = self.dbs[db].next_pos() - 1;
        self.ship_new(db, pos);
        self.wake_gtid_waiters(db);
        self.start_applier(db);
        if self.repl.pending_promotion == Some(db) && self.dbs[db].relay.is_empty() {
            self.repl.pending_promotion = None;
            self.promote(db, true);
        }
        self.version += 1;
    }

    /// A commit on the primary (a write request's transaction): logged, shipped, and, with
    /// semi-sync on, held until a replica acks. Returns true when the client may be told OK now.
    pub(crate) fn commit_write(&mut self, db: usize, id: u32) -> bool {
        let now = self.now;
        self.write_version += 1;
        let version = self.write_version;
        let (row, seq, chain) = {
            let r = &self.reqs[id as usize];
            (r.row, r.seq, r.chain)
        };
        let semi = self.repl_mode() == ReplicationMode::SemiSync
            && self.dbs[db].semi_sync_on
            && self.dbs.iter().any(|d| d.source == Some(db as u16));
        let pos = self.dbs[db].commit(row, version, now, seq, !semi);
        let gtid = self.dbs[db].binlog_at(pos).map(|e| e.gtid);
        self.reqs[id as usize].gtid = gtid;
        if let Some(g) = gtid {
            let c = self.reqs[id as usize].client as usize;
            self.clients[c].last_gtid = Some(g);
            self.clients[c].last_write_at = Some(now);
        }
        self.ship_new(db, pos);
        if semi {
            self.dbs[db].waiting.push_back((pos, id, chain));
            let timeout =
                crate::scenario::ms_to_us(self.scenario.mysql.rpl_semi_sync_source_timeout_ms);
            self.queue.push_lane(
                crate::world::LANE_SEMI_SYNC,
                now + timeout,
                Event::Repl(ReplEvent::SemiSyncTimeout {
                    source: db as u8,
                    pos,
                }),
            );
            return false;
        }
        true
    }

    fn on_ack(&mut self, src: usize, epoch: u32, pos: u64) {
        if self.dbs[src].epoch != epoch || !self.mysql_alive(src) {
            return;
        }
        let s = &mut self.dbs[src];
        s.acked_pos = s.acked_pos.max(pos);
        let acked = s.acked_pos;
        self.release_waiting(src, |p| p <= acked);
        let s = &mut self.dbs[src];
        if !s.semi_sync_on && acked >= s.semi_off_pos {
            s.semi_sync_on = true;
            let source = self.net.topo.node(self.dbs[src].node).name.clone();
            self.log.push(self.now, LogEvent::SemiSyncOn { source });
        }
    }

    fn on_semi_sync_timeout(&mut self, src: usize, pos: u64) {
        let s = &self.dbs[src];
        if !s.waiting.iter().any(|&(p, _, _)| p == pos) {
            return;
        }
        // It switches back on once a replica acks the last commit that waited.
        let last_waited = s.waiting.back().map_or(pos, |w| w.0);
        self.dbs[src].semi_sync_on = false;
        self.dbs[src].semi_off_pos = last_waited;
        self.repl.semi_sync_switched_off += 1;
        let source = self.net.topo.node(self.dbs[src].node).name.clone();
        let timeout_ms = self.scenario.mysql.rpl_semi_sync_source_timeout_ms;
        self.log
            .push(self.now, LogEvent::SemiSyncOff { source, timeout_ms });
        self.release_waiting(src, |_| true);
    }

    /// Tells the waiting clients "OK" for the commits that may go.
    fn release_waiting(&mut self, src: usize, go: impl Fn(u64) -> bool) {
        let mut lost = Vec::new();
        while let Some(&(pos, id, chain)) = self.dbs[src].waiting.front() {
            if !go(pos) {
                break;
            }
            self.dbs[src].waiting.pop_front();
            let now = self.now;
            self.dbs[src].make_visible(pos, now);
            // A replaced primary still acknowledges the commits that waited there: the new
            // primary never gets them, so each is lost as it is acknowledged.
            if let (Some(p), Some(ev)) = (self.primary, self.dbs[src].binlog_at(pos)) {
                if p != src && !self.dbs[p].executed.contains(ev.gtid) {
                    lost.push(ev.gtid);
                }
            }
            let r = &self.reqs[id as usize];
            if r.live && r.chain == chain {
                self.db_answer_write(id);
            }
        }
        if !lost.is_empty() {
            let old_primary = self.net.topo.node(self.dbs[src].node).name.clone();
            let lost_now = lost.len() as u64;
            self.log.push(
                self.now,
                LogEvent::LostOnAck {
                    old_primary,
                    lost: lost_now,
                },
            );
            self.note_lost(&lost);
        }
    }

    /// Counts and lists acknowledged transactions the primary will never have.
    fn note_lost(&mut self, lost: &[Gtid]) {
        self.repl.lost_count += lost.len() as u64;
        let now = self.now;
        self.series.at(now.0).lost_writes += lost.len() as u32;
        for &g in lost {
            if self.repl.lost.len() < LOST_LIST_CAP {
                self.repl.lost.push(g);
            }
        }
    }

    /// The failover manager (orchestrator-like): every second, a dead primary whose replicas
    /// also lost it is replaced by the most advanced replica.
    fn orchestrator_check(&mut self) {
        self.queue
            .push(self.now + SEC, Event::Repl(ReplEvent::OrchestratorCheck));
        let Some(p) = self.primary else { return };
        if let Some(c) = self.repl.pending_promotion {
            // Waiting for the candidate's applier: promote once drained, choose again if it died.
            if !self.mysql_alive(c) {
                self.repl.pending_promotion = None;
            } else if self.dbs[c].relay.is_empty() {
                self.repl.pending_promotion = None;
                self.promote(c, true);
                return;
            } else {
                return;
            }
        }
        if self.mysql_alive(p) {
            return;
        }
        let replicas: Vec<usize> = (0..self.dbs.len())
            .filter(|&d| d != p && self.dbs[d].source == Some(p as u16) && self.mysql_alive(d))
            .collect();
        // DeadMaster: unreachable, and its replicas have lost it too (their I/O threads no
        // longer run: at once when it crashed, after replica_net_timeout when it went silent).
        let pn = self.dbs[p].node;
        let replicas_lost_it = replicas.iter().all(|&d| self.dbs[d].io != IoState::Yes);
        if replicas.is_empty() || !replicas_lost_it {
            return;
        }
        if self.now < self.repl.failover_blocked_until {
            if self.log_gap_ok(11) {
                self.log.push(self.now, LogEvent::FailoverBlocked);
            }
            return;
        }
        let best = replicas
            .iter()
            .copied()
            .max_by_key(|&d| (self.dbs[d].received.total(), std::cmp::Reverse(d)))
            .unwrap_or(replicas[0]);
        let ev = LogEvent::FailoverStarted {
            primary: self.net.topo.node(pn).name.clone(),
            candidate: self.net.topo.node(self.dbs[best].node).name.clone(),
        };
        self.log.push(self.now, ev);
        self.repl.failover_blocked_until =
            self.now + (self.scenario.mysql.recovery_period_block_s * SEC as f64) as u64;
        if self.dbs[best].relay.is_empty() {
            self.promote(best, true);
        } else {
            self.repl.pending_promotion = Some(best);
        }
    }

    /// `STOP REPLICA; RESET REPLICA ALL; SET GLOBAL read_only = OFF;`, then every app and
    /// replica is pointed at it. Transactions the old primary acknowledged that this one
    /// never had are lost.
    pub(crate) fn promote(&mut self, db: usize, automatic: bool) {
        let old = self.primary;
        let dropped = self.dbs[db].drop_relay();
        let c = &mut self.dbs[db];
        c.apply_epoch = c.apply_epoch.wrapping_add(1);
        c.role = DbRole::Primary;
        c.ever_primary = true;
        c.read_only = false;
        c.source = None;
        c.io = IoState::No;
        c.sql_running = false;
        c.semi_sync_on = true;
        c.epoch = c.epoch.wrapping_add(1);
        let (mut lost_now, mut discarded_now) = (0, 0);
        if let Some(p) = old.filter(|&p| p != db) {
            let me = self.dbs[p].index;
            let lost: Vec<Gtid> = self.dbs[p]
                .binlog
                .iter()
                .filter(|e| {
                    e.gtid.source == me && e.acked && !self.dbs[db].executed.contains(e.gtid)
                })
                .map(|e| e.gtid)
                .collect();
            lost_now = lost.len();
            discarded_now = lost
                .iter()
                .filter(|&&g| self.repl.relay_discarded(g, Some(db)))
                .count();
            self.note_lost(&lost);
            self.dbs[p].role = DbRole::OldPrimary;
            // Commits still waiting for an ack there keep their semi-sync timeout: acknowledged
            // after it, they are lost (release_waiting).
        }
        self.primary = Some(db);
        for w in 0..self.app_write.len() {
            self.app_write[w] = Some(db);
        }
        // Every other live replica now replicates from the new primary.
        for d in 0..self.dbs.len() {
            if d != db && Some(d) != old && self.dbs[d].source.is_some() {
                self.dbs[d].source = Some(db as u16);
                self.dbs[d].epoch = self.dbs[d].epoch.wrapping_add(1);
                self.dbs[d].io = IoState::Connecting;
                self.retry_now(d);
                self.rearm_applier(d);
            }
        }
        self.repl.failovers += 1;
        let name = self.net.topo.node(self.dbs[db].node).name.clone();
        let ev = LogEvent::Promoted {
            db: name.clone(),
            automatic,
            relay_dropped: dropped as u64,
            never_reached: (lost_now - discarded_now) as u64,
            discarded: discarded_now as u64,
            semi_sync: self.repl_mode() == ReplicationMode::SemiSync,
        };
        self.log.push(self.now, ev);
        let old_role = "replica".to_string();
        self.transition(&name, "role", old_role, "primary".into());
        self.version += 1;
    }

    /// A MySQL (or its host) crashed or was cut off.
    pub(crate) fn repl_on_db_lost(&mut self, db: usize, crashed: bool) {
        if self.dbs[db].down_since.is_none() {
            self.dbs[db].down_since = Some(self.now);
        }
        if crashed {
            let now = self.now;
            let d = &mut self.dbs[db];
            d.epoch = d.epoch.wrapping_add(1);
            d.apply_epoch = d.apply_epoch.wrapping_add(1);
            d.recover_waiting(now);
            d.gtid_waiters.clear();
            // relay_log_recovery: what was received but not applied is fetched again later.
            let received = d.received.clone();
            d.drop_relay();
            if d.source.is_some() {
                d.io = IoState::Connecting;
            }
            let executed = &self.dbs[db].executed;
            for (u, (&got, &done)) in received.0.iter().zip(&executed.0).enumerate() {
                if got > done && self.repl.relay_discarded.len() < LOST_LIST_CAP {
                    self.repl.relay_discarded.push(DiscardedRelay {
                        db: db as u16,
                        source: u as u16,
                        first: done + 1,
                        last: got,
                        at: self.now,
                    });
                }
            }
        }
        // Its replicas lose their source (at once on a crash: the connection resets).
        for r in 0..self.dbs.len() {
            if self.dbs[r].source == Some(db as u16) && crashed {
                self.disconnect(r);
            }
        }
        self.version += 1;
    }

    /// A MySQL (or its host) is back. An old primary that was replaced rejoins as a replica
    /// (read_only), or, if let back writable, takes writes beside the new one: split brain.
    pub(crate) fn repl_on_db_restored(&mut self, db: usize) {
        if !self.mysql_alive(db) {
            return;
        }
        self.dbs[db].down_since = None;
        let name = self.net.topo.node(self.dbs[db].node).name.clone();
        if self.dbs[db].role == DbRole::OldPrimary {
            let new_primary = self.primary;
            if self.scenario.mysql.old_primary_rejoins_read_only {
                let d = &mut self.dbs[db];
                d.role = DbRole::Replica;
                d.read_only = true;
                d.source = new_primary.map(|p| p as u16);
                d.sql_running = true;
                d.io = IoState::Connecting;
                d.epoch = d.epoch.wrapping_add(1);
                let db = name.clone();
                self.log.push(self.now, LogEvent::Rejoined { db });
                self.transition(&name, "role", "old primary".into(), "replica".into());
            } else {
                let d = &mut self.dbs[db];
                d.role = DbRole::Primary;
                d.read_only = false;
                d.source = None;
                d.io = IoState::No;
                self.repl.split_brain = true;
                // The app on its own host still has the old configuration: it writes here.
                for w in 0..self.webs.len() {
                    if self.webs[w].mysql == Some(self.dbs[db].node) {
                        self.app_write[w] = Some(db);
                    }
                }
                let db = name.clone();
                self.log.push(self.now, LogEvent::SplitBrain { db });
                self.transition(
                    &name,
                    "role",
                    "old primary".into(),
                    "primary (split brain)".into(),
                );
            }
        }
        if self.dbs[db].source.is_some() {
            self.retry_now(db);
        }
        // Replicas of it that were waiting reconnect on their own retry schedule.
        self.version += 1;
    }

    /// Reads waiting for a GTID (read-your-writes) go ahead once it is applied.
    fn wake_gtid_waiters(&mut self, db: usize) {
        if self.dbs[db].gtid_waiters.is_empty() {
            return;
        }
        let waiters = std::mem::take(&mut self.dbs[db].gtid_waiters);
        let mut keep = Vec::new();
        for (id, chain, g) in waiters {
            let r = &self.reqs[id as usize];
            if !r.live || r.chain != chain {
                continue;
            }
            if self.dbs[db].executed.contains(g) {
                self.read_now(id, db);
            } else {
                keep.push((id, chain, g));
            }
        }
        self.dbs[db].gtid_waiters = keep;
    }

    /// The true replication lag of replica `db`: how far its data is behind the primary
    /// (0 for a primary, and for a server that is down: its lag is unknown, not growing).
    pub fn lag_us(&self, db: usize) -> u64 {
        match self.primary {
            Some(p) if p != db && self.dbs[db].role == DbRole::Replica && self.mysql_alive(db) => {
                self.dbs[db].lag_behind(&self.dbs[p], self.now)
            }
            _ => 0,
        }
    }

    /// Each second: a replica whose source has gone silent (cut off, hung) keeps its I/O
    /// thread running until `replica_net_timeout`, then drops the connection.
    pub(crate) fn watch_sources(&mut self) {
        let now = self.now;
        let timeout = (self.scenario.mysql.replica_net_timeout_s * SEC as f64) as u64;
        for d in 0..self.dbs.len() {
            let Some(src) = self.dbs[d].source.map(|s| s as usize) else {
                continue;
            };
            if self.dbs[d].io != IoState::Yes {
                self.dbs[d].source_silent_since = None;
                continue;
            }
            let (h, sh, sn) = (self.dbs[d].host, self.dbs[src].host, self.dbs[src].node);
            let st = self.effective_state(sn);
            let silent = st.crashed || st.partitioned || self.net.path_broken(h, sh);
            match (silent, self.dbs[d].source_silent_since) {
                (false, _) => self.dbs[d].source_silent_since = None,
                (true, None) => self.dbs[d].source_silent_since = Some(now),
                (true, Some(t)) if now - t >= timeout => {
                    self.dbs[d].source_silent_since = None;
                    self.disconnect(d);
                }
                _ => {}
            }
        }
    }

    /// Purges from each server's binlog what every other server has already applied (keeping
    /// a window for display), as `binlog_expire_logs_seconds` would: memory stays flat, and
    /// whoever may replicate from it later (after a failover, a rejoin) still finds what it
    /// lacks. A server that is away holds the purge back, up to the binlog's cap.
    pub(crate) fn purge_binlogs(&mut self) {
        for s in 0..self.dbs.len() {
            let mut needed = self.dbs[s].next_pos();
            for r in 0..self.dbs.len() {
                if r != s {
                    needed = needed.min(self.dbs[r].first_unexecuted(&self.dbs[s]));
                }
            }
            self.dbs[s].purge_binlog(needed, BINLOG_KEPT);
        }
    }

    /// The largest lag of any replica now.
    pub fn max_lag_now(&self) -> u64 {
        (0..self.dbs.len())
            .map(|d| self.lag_us(d))
            .max()
            .unwrap_or(0)
    }
}
