//! MySQL replication between the servers (docs/model.md, "MySQL replication"): shipping
//! binlog events over the links, the applier threads, semi-sync acks and their timeout
//! fallback, automatic failover (orchestrator-like), manual promotion, lost transactions and
//! the old primary's return.
//!
//! `Replication` owns every server's replication state and reacts to its `ReplEvent`s through
//! a `Cx`; it knows no request. A client waiting on a server is an opaque `Waiter` (the
//! request's slot and chain): what concerns it is handed back to the world in `ReplOut` (these
//! commits are acknowledged) or as a return value (this server applied a transaction: its
//! read-your-writes readers may go), and the world resumes the requests.

use crate::cx::Cx;
use crate::epoch::Stamp;
use crate::log::LogEvent;
use crate::mysql::{DbRole, Gtid, IoState, Mysql, Received, RELAY_CAP};
use crate::net::{Conn, Net};
use crate::scenario::{ms_to_us, MysqlSpec, ReplicationMode};
use crate::time::{SimTime, SEC};
use crate::topology::{NodeId, NodeKind, Topology};
mod failover;
#[cfg(test)]
mod tests;

/// Lost GTIDs listed one by one up to this many (the count is always exact).
pub const LOST_LIST_CAP: usize = 10_000;
/// Binlog events in flight shown per replica.
pub const IN_FLIGHT_SHOWN: usize = 256;
/// Binlog events kept for display once every replica has them.
pub const BINLOG_KEPT: usize = 256;
/// The queue's FIFO lane for semi-sync timeouts: one delay for all, so they come in order.
pub(crate) const LANE_SEMI_SYNC: usize = 0;
/// "Failover blocked" is logged at most this often.
const BLOCKED_NARRATION_GAP_US: u64 = 5 * SEC;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplEvent {
    /// A binlog event from the replica's source reaches its receiver thread.
    /// It left the source at `depart`: if the source died before then, it never left.
    Ship {
        db: u8,
        epoch: Stamp,
        pos: u64,
        depart: SimTime,
    },
    /// A semi-sync replica's ack for binlog position `pos` reaches the source.
    Ack { source: u8, epoch: Stamp, pos: u64 },
    /// An applier worker finishes the oldest started relay event.
    Applied { db: u8, epoch: Stamp },
    /// The receiver tries to (re)connect to its source (`SOURCE_CONNECT_RETRY`).
    Retry { db: u8, epoch: Stamp },
    /// `rpl_semi_sync_source_timeout` for the commit at `pos`.
    SemiSyncTimeout { source: u8, pos: u64 },
    /// The failover manager looks at the topology (every second).
    OrchestratorCheck,
}

/// A client waiting on a server: its request's slot and the chain it waits on. The world
/// resumes it only if the request still waits on that chain.
pub type Waiter = (u32, Stamp);

/// Transactions a crashed replica had received but not applied, discarded at its restart
/// (`relay_log_recovery`, see `on_db_lost`): GTIDs `source:first..=last`, to be fetched
/// again from its source. Semi-sync AFTER_SYNC guards acknowledged writes against one failure:
/// if the source is gone too before they are fetched again, they are lost even though a
/// replica acknowledged them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscardedRelay {
    /// The replica that discarded them (index into `Replication::dbs`).
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

/// What the world must do for requests after a call into `Replication`; it empties it.
#[derive(Debug, Clone, Default)]
pub struct ReplOut {
    /// Semi-sync commits now acknowledged, in commit order: each client is told "OK".
    pub acked: Vec<Waiter>,
    /// Reads that waited for a GTID and may go (request slots), from `ready_readers`.
    pub ready: Vec<u32>,
    /// Acknowledged transactions found lost during the call (for the per-second series),
    /// `Some` whenever they were counted, even none.
    pub lost: Option<u32>,
}

/// A commit on the primary, as `Replication::commit` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Commit {
    pub gtid: Option<Gtid>,
    /// The client may be told "OK" now (else it waits for a semi-sync ack: `ReplOut::acked`).
    pub acked: bool,
}

/// Every MySQL server's replication, the failover manager, and where the apps write.
#[derive(Debug, Clone)]
pub struct Replication {
    pub dbs: Vec<Mysql>,
    /// The primary as the failover manager knows it.
    pub primary: Option<usize>,
    /// Where each web host's app sends its writes.
    pub app_write: Vec<Option<usize>>,
    /// The MySQL on each web host, if any: an app keeps writing there in a split brain.
    app_local: Vec<Option<NodeId>>,
    spec: MysqlSpec,
    /// A run-wide write counter: a higher row version is newer data.
    write_version: u64,
    last_blocked_narration: SimTime,
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
    /// Stale reads seen while the replica was not behind: must stay 0 (a replica that is
    /// caught up serves what the primary has).
    pub stale_without_lag: u64,
    /// Relay logs discarded by replicas' crashes, oldest first (up to `LOST_LIST_CAP`).
    pub relay_discarded: Vec<DiscardedRelay>,
    pub(crate) out: ReplOut,
}

impl Replication {
    /// One server per database host of `topo`, replicating from the first;
    /// `app_local` is the MySQL on each web host, if any.
    pub fn new(topo: &Topology, app_local: Vec<Option<NodeId>>, spec: &MysqlSpec) -> Self {
        let n_dbs = topo.db_hosts.len();
        let dbs: Vec<Mysql> = (topo.db_hosts.iter().enumerate())
            .map(|(i, &h)| {
                let node = topo.component(h, NodeKind::Mysql).unwrap_or(h);
                Mysql::new(node, h, i as u16, n_dbs, Some(0))
            })
            .collect();
        let primary = (!dbs.is_empty()).then_some(0);
        Replication {
            dbs,
            primary,
            app_write: vec![primary; app_local.len()],
            app_local,
            spec: *spec,
            write_version: 0,
            last_blocked_narration: SimTime::ZERO,
            lost: Vec::new(),
            lost_count: 0,
            max_lag_us: 0,
            failovers: 0,
            failover_blocked_until: SimTime::ZERO,
            pending_promotion: None,
            split_brain: false,
            semi_sync_switched_off: 0,
            stale_without_lag: 0,
            relay_discarded: Vec::new(),
            out: ReplOut::default(),
        }
    }

    /// Takes new MySQL settings live.
    pub fn configure(&mut self, spec: &MysqlSpec) {
        self.spec = *spec;
    }

    pub fn mode(&self) -> ReplicationMode {
        self.spec.replication
    }

    /// Whether a replica's crash discarded `g` from its relay log (`db`: that replica only).
    pub fn relay_discarded(&self, g: Gtid, db: Option<usize>) -> bool {
        self.relay_discarded
            .iter()
            .any(|d| d.contains(g) && db.is_none_or(|db| d.db as usize == db))
    }

    fn alive(&self, net: &Net, db: usize) -> bool {
        let s = net.effective_state(self.dbs[db].node);
        !s.crashed && !s.partitioned
    }

    /// Starts replication: every replica's receiver connects to the primary.
    pub fn start<E: From<ReplEvent> + Copy + Default>(&mut self, cx: &mut Cx<'_, E>) {
        for db in 0..self.dbs.len() {
            if self.dbs[db].source.is_some() {
                self.retry_now(db, cx);
            }
        }
        if self.spec.auto_failover && self.dbs.len() > 1 {
            // Checks every second, half a second out of step with whole-second faults.
            cx.after(SEC / 2, ReplEvent::OrchestratorCheck);
        }
    }

    /// Reacts to one of its events. Returns the server that applied a transaction, if one
    /// did: the world then lets go the readers waiting there for a GTID (`ready_readers`)
    /// and calls `after_applied`, in that order.
    pub fn on_event<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        ev: ReplEvent,
        cx: &mut Cx<'_, E>,
    ) -> Option<usize> {
        match ev {
            ReplEvent::Ship {
                db,
                epoch,
                pos,
                depart,
            } => self.on_ship(db as usize, epoch, pos, depart, cx),
            ReplEvent::Ack { source, epoch, pos } => self.on_ack(source as usize, epoch, pos, cx),
            ReplEvent::Applied { db, epoch } => {
                if self.dbs[db as usize].apply_epoch.is_current(epoch)
                    && self.apply(db as usize, cx)
                {
                    return Some(db as usize);
                }
            }
            ReplEvent::Retry { db, epoch } => {
                if self.dbs[db as usize].epoch.is_current(epoch) {
                    self.try_connect(db as usize, cx);
                }
            }
            ReplEvent::SemiSyncTimeout { source, pos } => {
                self.on_semi_sync_timeout(source as usize, pos, cx)
            }
            ReplEvent::OrchestratorCheck => self.orchestrator_check(cx),
        }
        None
    }

    /// The receiver (re)connects as soon as it can (`START REPLICA`).
    fn retry_now<E: From<ReplEvent> + Copy + Default>(&self, db: usize, cx: &mut Cx<'_, E>) {
        let epoch = self.dbs[db].epoch.stamp();
        cx.after(
            0,
            ReplEvent::Retry {
                db: db as u8,
                epoch,
            },
        );
    }

    fn retry_later<E: From<ReplEvent> + Copy + Default>(&self, db: usize, cx: &mut Cx<'_, E>) {
        let epoch = self.dbs[db].epoch.stamp();
        let wait = (self.spec.source_connect_retry_s * SEC as f64) as u64;
        cx.after(
            wait.max(1),
            ReplEvent::Retry {
                db: db as u8,
                epoch,
            },
        );
    }

    /// The receiver thread connects to its source and asks, by GTID auto-positioning, for
    /// everything it lacks.
    fn try_connect<E: From<ReplEvent> + Copy + Default>(&mut self, db: usize, cx: &mut Cx<'_, E>) {
        let Some(src) = self.dbs[db].source.map(|s| s as usize) else {
            return;
        };
        if !self.alive(cx.net(), db) {
            return;
        }
        let (host, src_node) = (self.dbs[db].host, self.dbs[src].node);
        match cx.connect(host, src_node) {
            Conn::Ok(_) if self.dbs[db].needs_purged(&self.dbs[src]) => {
                self.dbs[db].io = IoState::No;
                let replica = cx.net().topo.node(self.dbs[db].node).name.clone();
                cx.log(LogEvent::SourcePurged { replica });
            }
            Conn::Ok(_) => {
                let r = &mut self.dbs[db];
                r.epoch.bump();
                r.io = IoState::Yes;
                r.sql_running = true;
                let from = self.dbs[db].auto_position(&self.dbs[src]);
                let to = self.dbs[src].next_pos();
                for pos in from..to {
                    self.ship(src, db, pos, cx);
                }
            }
            _ => {
                self.dbs[db].io = IoState::Connecting;
                self.retry_later(db, cx);
            }
        }
        cx.changed();
    }

    /// Sends binlog position `pos` of `src` to replica `db`, in order.
    fn ship<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        src: usize,
        db: usize,
        pos: u64,
        cx: &mut Cx<'_, E>,
    ) {
        let (src_host, host) = (self.dbs[src].host, self.dbs[db].host);
        let lat = match cx.net().topo.link_between(src_host, host) {
            Some(l) if !cx.net().path_broken(src_host, host) => cx.link_latency(l),
            None if src_host == host => cx.net().loopback_us(),
            _ => {
                // The connection broke: the receiver will reconnect later.
                self.disconnect(db, cx);
                return;
            }
        };
        // The source's dump thread sends it `replication_delay_ms` after the commit.
        let delay = ms_to_us(self.spec.replication_delay_ms);
        let depart = cx.now() + delay;
        let r = &mut self.dbs[db];
        // One TCP stream: events arrive in the order they were sent.
        let at = (depart + lat).max(r.last_arrival);
        r.last_arrival = at;
        if r.in_flight.len() == IN_FLIGHT_SHOWN {
            r.in_flight.pop_front();
        }
        r.in_flight.push_back((pos, depart, at));
        let epoch = r.epoch.stamp();
        cx.at(
            at,
            ReplEvent::Ship {
                db: db as u8,
                epoch,
                pos,
                depart,
            },
        );
    }

    /// The receiver lost its source. Events already on the wire still arrive (TCP delivers
    /// them before the reset); the next connection asks again for whatever it lacks.
    fn disconnect<E: From<ReplEvent> + Copy + Default>(&mut self, db: usize, cx: &mut Cx<'_, E>) {
        let r = &mut self.dbs[db];
        if r.io == IoState::Yes {
            r.io = IoState::Connecting;
            self.retry_later(db, cx);
            cx.changed();
        }
    }

    /// Sends a newly logged event of `src` to every replica connected to it.
    fn ship_new<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        src: usize,
        pos: u64,
        cx: &mut Cx<'_, E>,
    ) {
        for db in 0..self.dbs.len() {
            if self.dbs[db].source == Some(src as u16) && self.dbs[db].io == IoState::Yes {
                self.ship(src, db, pos, cx);
            }
        }
    }

    fn on_ship<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        db: usize,
        epoch: Stamp,
        pos: u64,
        depart: SimTime,
        cx: &mut Cx<'_, E>,
    ) {
        let now = cx.now();
        let flying = &mut self.dbs[db].in_flight;
        while flying.front().is_some_and(|&(_, _, at)| at <= now) {
            flying.pop_front();
        }
        if !self.dbs[db].epoch.is_current(epoch) || !self.alive(cx.net(), db) {
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
        if cx.net().path_broken(src_host, host) {
            self.disconnect(db, cx);
            return;
        }
        if self.dbs[db].relay.len() >= RELAY_CAP {
            // relay_log_space_limit: the receiver stops until the applier frees space.
            let r = &mut self.dbs[db];
            r.epoch.bump();
            r.io = IoState::Connecting;
            self.retry_later(db, cx);
            return;
        }
        if self.dbs[db].receive(ev) == Received::Gap {
            // Something before it was lost: start a new connection from where we are.
            let r = &mut self.dbs[db];
            r.epoch.bump();
            r.io = IoState::Connecting;
            self.retry_later(db, cx);
            return;
        }
        // Semi-sync: the replica acks once the event is in its relay log (AFTER_SYNC waits
        // for "received and logged", not applied).
        if self.mode() == ReplicationMode::SemiSync {
            let lat = cx.net().lan_us();
            let src_epoch = self.dbs[src].epoch.stamp();
            cx.after(
                lat,
                ReplEvent::Ack {
                    source: src as u8,
                    epoch: src_epoch,
                    pos,
                },
            );
        }
        self.start_applier(db, cx);
    }

    /// Starts applier workers on relay events, up to `replica_parallel_workers`; commits
    /// keep the source's order (`replica_preserve_commit_order`).
    fn start_applier<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        db: usize,
        cx: &mut Cx<'_, E>,
    ) {
        let workers = self.spec.replica_parallel_workers as usize;
        let rate = self.spec.apply_rate.max(0.001);
        let slow = cx.net().slow_of(self.dbs[db].node);
        while self.dbs[db].sql_running
            && self.dbs[db].relay_started < self.dbs[db].relay.len()
            && self.dbs[db].relay_started < workers
        {
            let t = (SEC as f64 / rate * slow) as u64;
            let r = &mut self.dbs[db];
            let done = (cx.now() + t).max(r.last_apply_done);
            r.last_apply_done = done;
            r.relay_started += 1;
            let epoch = r.apply_epoch.stamp();
            cx.at(
                done,
                ReplEvent::Applied {
                    db: db as u8,
                    epoch,
                },
            );
        }
    }

    /// After an epoch change, the relay events already started are scheduled again.
    fn rearm_applier<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        db: usize,
        cx: &mut Cx<'_, E>,
    ) {
        let r = &mut self.dbs[db];
        r.apply_epoch.bump();
        r.relay_started = 0;
        r.last_apply_done = cx.now();
        self.start_applier(db, cx);
    }

    /// The applier commits the oldest started relay event and the server's own replicas get
    /// it. Returns whether it applied one.
    fn apply<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        db: usize,
        cx: &mut Cx<'_, E>,
    ) -> bool {
        // A cut-off replica keeps applying what it has; only a crash stops the applier (and
        // bumps `apply_epoch`, so this event would not have come).
        if cx.net().effective_state(self.dbs[db].node).crashed {
            return false;
        }
        let now = cx.now();
        let Some(ev) = self.dbs[db].apply_next(now) else {
            return false;
        };
        let lag = now - ev.ts;
        self.max_lag_us = self.max_lag_us.max(lag);
        let pos = self.dbs[db].next_pos() - 1;
        self.ship_new(db, pos, cx);
        true
    }

    /// The rest of an applied event, once its readers are let go: the next relay events
    /// start, and a failover waiting for this server's relay log to drain promotes it.
    pub fn after_applied<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        db: usize,
        cx: &mut Cx<'_, E>,
    ) {
        self.start_applier(db, cx);
        if self.pending_promotion == Some(db) && self.dbs[db].relay.is_empty() {
            self.pending_promotion = None;
            self.promote(db, true, cx);
        }
        cx.changed();
    }

    /// Reads waiting on `db` for a GTID (`WAIT_FOR_EXECUTED_GTID_SET`): those whose GTID it
    /// has now applied go into `ReplOut::ready`, in the order they came; those no longer
    /// waiting (`waits` says no) are forgotten; the rest keep waiting.
    pub fn ready_readers(&mut self, db: usize, waits: impl Fn(Waiter) -> bool) {
        let ready = &mut self.out.ready;
        let d = &mut self.dbs[db];
        if d.gtid_waiters.is_empty() {
            return;
        }
        let executed = &d.executed;
        d.gtid_waiters.retain(|&(id, chain, g)| {
            if !waits((id, chain)) {
                return false;
            }
            if executed.contains(g) {
                ready.push(id);
                return false;
            }
            true
        });
    }

    /// A read on `db` waits until it has applied `g` (read-your-writes), if `db` is a replica
    /// that has not yet. Returns whether it waits.
    pub fn wait_for_gtid(&mut self, db: usize, w: Waiter, g: Gtid) -> bool {
        let d = &mut self.dbs[db];
        let waits = d.role == DbRole::Replica && !d.executed.contains(g);
        if waits {
            d.gtid_waiters.push((w.0, w.1, g));
        }
        waits
    }

    /// Request slot `id` gave up waiting for a GTID on the MySQL `node`.
    pub fn forget_reader(&mut self, node: NodeId, id: u32) {
        for d in &mut self.dbs {
            if d.node == node {
                d.gtid_waiters.retain(|w| w.0 != id);
            }
        }
    }

    /// A commit on primary `db` (a write request's transaction, `req` its sequence number,
    /// `w` the client): logged, shipped, and, with semi-sync on, held until a replica acks.
    pub fn commit<E: From<ReplEvent> + Copy + Default>(
        &mut self,
        db: usize,
        row: u16,
        req: u64,
        w: Waiter,
        cx: &mut Cx<'_, E>,
    ) -> Commit {
        let now = cx.now();
        self.write_version += 1;
        let version = self.write_version;
        let semi = self.mode() == ReplicationMode::SemiSync
            && self.dbs[db].semi_sync_on
            && self.dbs.iter().any(|d| d.source == Some(db as u16));
        let pos = self.dbs[db].commit(row, version, now, req, !semi);
        let gtid = self.dbs[db].binlog_at(pos).map(|e| e.gtid);
        self.ship_new(db, pos, cx);
        if semi {
            self.dbs[db].waiting.push_back((pos, w.0, w.1));
            let timeout = ms_to_us(self.spec.rpl_semi_sync_source_timeout_ms);
            let ev = ReplEvent::SemiSyncTimeout {
                source: db as u8,
                pos,
            };
            cx.after_in_lane(LANE_SEMI_SYNC, timeout, ev);
        }
        Commit { gtid, acked: !semi }
    }
}
