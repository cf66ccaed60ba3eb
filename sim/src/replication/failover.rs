//! Semi-sync acknowledgements and their timeout, which transactions a failover loses, the
//! failover manager, promotion, and servers lost and back.

use super::LOST_LIST_CAP;
use super::{DiscardedRelay, ReplEvent, Replication, BINLOG_KEPT, BLOCKED_NARRATION_GAP_US};
use crate::cx::Cx;
use crate::epoch::Stamp;
use crate::log::LogEvent;
use crate::mysql::{DbRole, Gtid, IoState};
use crate::net::Net;
use crate::scenario::ReplicationMode;
use crate::time::{SimTime, SEC};
use crate::topology::NodeId;

impl Replication {
    pub(super) fn on_ack<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        src: usize,
        epoch: Stamp,
        pos: u64,
        cx: &mut Cx<'_, E>,
    ) {
        if !self.dbs[src].epoch.is_current(epoch) || !self.alive(cx.net(), src) {
            return;
        }
        let s = &mut self.dbs[src];
        s.acked_pos = s.acked_pos.max(pos);
        let acked = s.acked_pos;
        self.release_waiting(src, |p| p <= acked, cx);
        let s = &mut self.dbs[src];
        if !s.semi_sync_on && acked >= s.semi_off_pos {
            s.semi_sync_on = true;
            let source = cx.net().topo.node(self.dbs[src].node).name.clone();
            cx.log(LogEvent::SemiSyncOn { source });
        }
    }

    pub(super) fn on_semi_sync_timeout<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        src: usize,
        pos: u64,
        cx: &mut Cx<'_, E>,
    ) {
        let s = &self.dbs[src];
        if !s.waiting.iter().any(|&(p, _, _)| p == pos) {
            return;
        }
        // It switches back on once a replica acks the last commit that waited.
        let last_waited = s.waiting.back().map_or(pos, |w| w.0);
        self.dbs[src].semi_sync_on = false;
        self.dbs[src].semi_off_pos = last_waited;
        self.semi_sync_switched_off += 1;
        let source = cx.net().topo.node(self.dbs[src].node).name.clone();
        let timeout_ms = self.spec.rpl_semi_sync_source_timeout_ms;
        cx.log(LogEvent::SemiSyncOff { source, timeout_ms });
        self.release_waiting(src, |_| true, cx);
    }

    /// The commits that may go are acknowledged: their rows show and their clients are to be
    /// told "OK" (`ReplOut::acked`).
    fn release_waiting<E>(&mut self, src: usize, go: impl Fn(u64) -> bool, cx: &mut Cx<'_, E>) {
        let mut lost = Vec::new();
        while let Some(&(pos, id, chain)) = self.dbs[src].waiting.front() {
            if !go(pos) {
                break;
            }
            self.dbs[src].waiting.pop_front();
            self.dbs[src].make_visible(pos, cx.now());
            // A replaced primary still acknowledges the commits that waited there: the new
            // primary never gets them, so each is lost as it is acknowledged.
            if let (Some(p), Some(ev)) = (self.primary, self.dbs[src].binlog_at(pos)) {
                if p != src && !self.dbs[p].executed.contains(ev.gtid) {
                    lost.push(ev.gtid);
                }
            }
            self.out.acked.push((id, chain));
        }
        if !lost.is_empty() {
            let old_primary = cx.net().topo.node(self.dbs[src].node).name.clone();
            let lost_now = lost.len() as u64;
            cx.log(LogEvent::LostOnAck {
                old_primary,
                lost: lost_now,
            });
            self.note_lost(&lost);
        }
    }

    /// Counts and lists acknowledged transactions the primary will never have.
    fn note_lost(&mut self, lost: &[Gtid]) {
        self.lost_count += lost.len() as u64;
        *self.out.lost.get_or_insert(0) += lost.len() as u32;
        for &g in lost {
            if self.lost.len() < LOST_LIST_CAP {
                self.lost.push(g);
            }
        }
    }

    /// The failover manager (orchestrator-like): every second, a dead primary whose replicas
    /// also lost it is replaced by the most advanced replica.
    pub(super) fn orchestrator_check<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        cx: &mut Cx<'_, E>,
    ) {
        cx.after(SEC, ReplEvent::OrchestratorCheck);
        let Some(p) = self.primary else { return };
        if let Some(c) = self.pending_promotion {
            // Waiting for the candidate's applier: promote once drained, choose again if it died.
            if !self.alive(cx.net(), c) {
                self.pending_promotion = None;
            } else if self.dbs[c].relay.is_empty() {
                self.pending_promotion = None;
                self.promote(c, true, cx);
                return;
            } else {
                return;
            }
        }
        if self.alive(cx.net(), p) {
            return;
        }
        let net = cx.net();
        let replicas: Vec<usize> = (0..self.dbs.len())
            .filter(|&d| d != p && self.dbs[d].source == Some(p as u16) && self.alive(net, d))
            .collect();
        // DeadMaster: unreachable, and its replicas have lost it too (their I/O threads no
        // longer run: at once when it crashed, after replica_net_timeout when it went silent).
        let pn = self.dbs[p].node;
        let replicas_lost_it = replicas.iter().all(|&d| self.dbs[d].io != IoState::Yes);
        if replicas.is_empty() || !replicas_lost_it {
            return;
        }
        let now = cx.now();
        if now < self.failover_blocked_until {
            let last = self.last_blocked_narration;
            if last == SimTime::ZERO || last + BLOCKED_NARRATION_GAP_US <= now {
                self.last_blocked_narration = now.max(SimTime(1));
                cx.log(LogEvent::FailoverBlocked);
            }
            return;
        }
        let best = replicas
            .iter()
            .copied()
            .max_by_key(|&d| (self.dbs[d].received.total(), std::cmp::Reverse(d)))
            .unwrap_or(replicas[0]);
        let ev = LogEvent::FailoverStarted {
            primary: cx.net().topo.node(pn).name.clone(),
            candidate: cx.net().topo.node(self.dbs[best].node).name.clone(),
        };
        cx.log(ev);
        self.failover_blocked_until = now + (self.spec.recovery_period_block_s * SEC as f64) as u64;
        if self.dbs[best].relay.is_empty() {
            self.promote(best, true, cx);
        } else {
            self.pending_promotion = Some(best);
        }
    }

    /// `STOP REPLICA; RESET REPLICA ALL; SET GLOBAL read_only = OFF;`, then every app and
    /// replica is pointed at it. Transactions the old primary acknowledged that this one
    /// never had are lost.
    pub fn promote<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        db: usize,
        automatic: bool,
        cx: &mut Cx<'_, E>,
    ) {
        let old = self.primary;
        let dropped = self.dbs[db].drop_relay();
        let c = &mut self.dbs[db];
        c.apply_epoch.bump();
        c.role = DbRole::Primary;
        c.ever_primary = true;
        c.read_only = false;
        c.source = None;
        c.io = IoState::No;
        c.sql_running = false;
        c.semi_sync_on = true;
        c.epoch.bump();
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
                .filter(|&&g| self.relay_discarded(g, Some(db)))
                .count();
            self.note_lost(&lost);
            self.dbs[p].role = DbRole::OldPrimary;
            // Commits still waiting for an ack there keep their semi-sync timeout: acknowledged
            // after it, they are lost (release_waiting).
        }
        self.primary = Some(db);
        for w in &mut self.app_write {
            *w = Some(db);
        }
        // Every other live replica now replicates from the new primary.
        for d in 0..self.dbs.len() {
            if d != db && Some(d) != old && self.dbs[d].source.is_some() {
                self.dbs[d].source = Some(db as u16);
                self.dbs[d].epoch.bump();
                self.dbs[d].io = IoState::Connecting;
                self.retry_now(d, cx);
                self.rearm_applier(d, cx);
            }
        }
        self.failovers += 1;
        let name = cx.net().topo.node(self.dbs[db].node).name.clone();
        let ev = LogEvent::Promoted {
            db: name.clone(),
            automatic,
            relay_dropped: dropped as u64,
            never_reached: (lost_now - discarded_now) as u64,
            discarded: discarded_now as u64,
            semi_sync: self.mode() == ReplicationMode::SemiSync,
        };
        cx.log(ev);
        let old_role = "replica".to_string();
        cx.transition(&name, "role", old_role, "primary".into());
        cx.changed();
    }

    /// Node `node` (a host or a component) crashed (`crashed`) or was cut off: so did the
    /// MySQL servers it covers.
    pub fn on_node_lost<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        node: NodeId,
        crashed: bool,
        cx: &mut Cx<'_, E>,
    ) {
        for d in 0..self.dbs.len() {
            if covers(cx.net(), node, self.dbs[d].node) {
                self.on_db_lost(d, crashed, cx);
            }
        }
    }

    /// Node `node` (a host or a component) is back, and so are the servers it covers.
    pub fn on_node_restored<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        node: NodeId,
        cx: &mut Cx<'_, E>,
    ) {
        for d in 0..self.dbs.len() {
            if covers(cx.net(), node, self.dbs[d].node) {
                self.on_db_restored(d, cx);
            }
        }
    }

    /// A MySQL (or its host) crashed (`crashed`) or was cut off.
    fn on_db_lost<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        db: usize,
        crashed: bool,
        cx: &mut Cx<'_, E>,
    ) {
        let now = cx.now();
        if self.dbs[db].down_since.is_none() {
            self.dbs[db].down_since = Some(now);
        }
        if crashed {
            let d = &mut self.dbs[db];
            d.epoch.bump();
            d.apply_epoch.bump();
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
                if got > done && self.relay_discarded.len() < LOST_LIST_CAP {
                    self.relay_discarded.push(DiscardedRelay {
                        db: db as u16,
                        source: u as u16,
                        first: done + 1,
                        last: got,
                        at: now,
                    });
                }
            }
        }
        // Its replicas lose their source (at once on a crash: the connection resets).
        for r in 0..self.dbs.len() {
            if self.dbs[r].source == Some(db as u16) && crashed {
                self.disconnect(r, cx);
            }
        }
        cx.changed();
    }

    /// A MySQL (or its host) is back. An old primary that was replaced rejoins as a replica
    /// (read_only), or, if let back writable, takes writes beside the new one: split brain.
    fn on_db_restored<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        db: usize,
        cx: &mut Cx<'_, E>,
    ) {
        if !self.alive(cx.net(), db) {
            return;
        }
        self.dbs[db].down_since = None;
        let name = cx.net().topo.node(self.dbs[db].node).name.clone();
        if self.dbs[db].role == DbRole::OldPrimary {
            let new_primary = self.primary;
            if self.spec.old_primary_rejoins_read_only {
                let d = &mut self.dbs[db];
                d.role = DbRole::Replica;
                d.read_only = true;
                d.source = new_primary.map(|p| p as u16);
                d.sql_running = true;
                d.io = IoState::Connecting;
                d.epoch.bump();
                let db = name.clone();
                cx.log(LogEvent::Rejoined { db });
                cx.transition(&name, "role", "old primary".into(), "replica".into());
            } else {
                let d = &mut self.dbs[db];
                d.role = DbRole::Primary;
                d.read_only = false;
                d.source = None;
                d.io = IoState::No;
                self.split_brain = true;
                // The app on its own host still has the old configuration: it writes here.
                let node = self.dbs[db].node;
                for (w, local) in self.app_write.iter_mut().zip(&self.app_local) {
                    if *local == Some(node) {
                        *w = Some(db);
                    }
                }
                let db = name.clone();
                cx.log(LogEvent::SplitBrain { db });
                cx.transition(
                    &name,
                    "role",
                    "old primary".into(),
                    "primary (split brain)".into(),
                );
            }
        }
        if self.dbs[db].source.is_some() {
            self.retry_now(db, cx);
        }
        // Replicas of it that were waiting reconnect on their own retry schedule.
        cx.changed();
    }

    /// The true replication lag of replica `db`: how far its data is behind the primary
    /// (0 for a primary, and for a server that is down: its lag is unknown, not growing).
    pub fn lag_us(&self, net: &Net, now: SimTime, db: usize) -> u64 {
        match self.primary {
            Some(p) if p != db && self.dbs[db].role == DbRole::Replica && self.alive(net, db) => {
                self.dbs[db].lag_behind(&self.dbs[p], now)
            }
            _ => 0,
        }
    }

    /// The largest lag of any replica now.
    pub fn max_lag_now(&self, net: &Net, now: SimTime) -> u64 {
        (0..self.dbs.len())
            .map(|d| self.lag_us(net, now, d))
            .max()
            .unwrap_or(0)
    }

    /// Once a simulated second, with more than one server: silent sources are dropped, the
    /// binlogs purged every ten seconds. Returns the largest lag now.
    pub fn tick<E: From<ReplEvent> + Copy + Default>(&mut self, cx: &mut Cx<'_, E>) -> u64 {
        self.watch_sources(cx);
        if cx.now().0.is_multiple_of(10 * SEC) {
            self.purge_binlogs();
        }
        let lag = self.max_lag_now(cx.net(), cx.now());
        self.max_lag_us = self.max_lag_us.max(lag);
        lag
    }

    /// A replica whose source has gone silent (cut off, hung) keeps its I/O thread running
    /// until `replica_net_timeout`, then drops the connection.
    fn watch_sources<E: From<ReplEvent> + Copy + Default>(&mut self, cx: &mut Cx<'_, E>) {
        let now = cx.now();
        let timeout = (self.spec.replica_net_timeout_s * SEC as f64) as u64;
        for d in 0..self.dbs.len() {
            let Some(src) = self.dbs[d].source.map(|s| s as usize) else {
                continue;
            };
            if self.dbs[d].io != IoState::Yes {
                self.dbs[d].source_silent_since = None;
                continue;
            }
            let (h, sh, sn) = (self.dbs[d].host, self.dbs[src].host, self.dbs[src].node);
            let st = cx.net().effective_state(sn);
            let silent = st.crashed || st.partitioned || cx.net().path_broken(h, sh);
            match (silent, self.dbs[d].source_silent_since) {
                (false, _) => self.dbs[d].source_silent_since = None,
                (true, None) => self.dbs[d].source_silent_since = Some(now),
                (true, Some(t)) if now - t >= timeout => {
                    self.dbs[d].source_silent_since = None;
                    self.disconnect(d, cx);
                }
                _ => {}
            }
        }
    }

    /// Purges from each server's binlog what every other server has already applied (keeping
    /// a window for display), as `binlog_expire_logs_seconds` would: memory stays flat, and
    /// whoever may replicate from it later (after a failover, a rejoin) still finds what it
    /// lacks. A server that is away holds the purge back, up to the binlog's cap.
    fn purge_binlogs(&mut self) {
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
}

/// What the rest of the world reads of the servers.
impl Replication {
    /// The server whose MySQL is `node`.
    pub fn index_of(&self, node: NodeId) -> Option<usize> {
        self.dbs.iter().position(|d| d.node == node)
    }

    /// How many servers take writes now: writable, up and reachable.
    pub fn writable(&self, net: &Net) -> usize {
        (0..self.dbs.len())
            .filter(|&d| !self.dbs[d].read_only && self.alive(net, d))
            .count()
    }

    /// The MySQL an app's handler connects to: the one on its own host (`local`), else the
    /// primary.
    pub fn handler_db(&self, local: Option<NodeId>) -> Option<NodeId> {
        local
            .and_then(|m| self.index_of(m))
            .or_else(|| self.dbs.iter().position(|d| d.role == DbRole::Primary))
            .map(|d| self.dbs[d].node)
    }

    /// Whether a read of `row` on server `d` now sees an older version than the primary
    /// holds; one seen while `d` shows no lag is counted in `stale_without_lag`.
    pub fn read_is_stale(&mut self, net: &Net, now: SimTime, d: usize, row: usize) -> bool {
        let stale = match self.primary {
            Some(p) if p != d => self.dbs[d].rows[row].version < self.dbs[p].rows[row].version,
            _ => false,
        };
        if stale && self.lag_us(net, now, d) == 0 {
            self.stale_without_lag += 1;
        }
        stale
    }

    /// Whether a replica's `Seconds_Behind_Source` is NULL or over `lag_s` seconds.
    pub fn lagging(&self, now: SimTime, lag_s: f64) -> bool {
        self.dbs.iter().any(|db| {
            db.role == DbRole::Replica
                && match db.seconds_behind_source(now) {
                    None => true,
                    Some(s) => s as f64 > lag_s,
                }
        })
    }

    /// The first server that is not a primary (where the monitoring agent reads the lag).
    pub fn first_non_primary(&self) -> Option<NodeId> {
        self.dbs
            .iter()
            .find(|d| d.role != DbRole::Primary)
            .map(|d| d.node)
    }

    /// The replica a client's reads stick to when it has no local one: one of those the
    /// failover manager lists (not an old primary), chosen by the client's number.
    pub fn sticky_replica(&self, client: u32) -> Option<usize> {
        let replicas = || (0..self.dbs.len()).filter(|&d| self.dbs[d].role == DbRole::Replica);
        let n = replicas().count();
        (n > 0)
            .then(|| replicas().nth(client as usize % n))
            .flatten()
    }

    /// The longest binary log and relay log of any server.
    pub fn longest_logs(&self) -> (usize, usize) {
        let binlog = self.dbs.iter().map(|d| d.binlog.len()).max();
        let relay = self.dbs.iter().map(|d| d.relay.len()).max();
        (binlog.unwrap_or(0), relay.unwrap_or(0))
    }
}

/// Whether `node` (a host or a component) is `target` or its host.
fn covers(net: &Net, node: NodeId, target: NodeId) -> bool {
    node == target || net.topo.host_of(target) == node
}
