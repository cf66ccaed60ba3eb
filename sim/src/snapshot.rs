//! What the page draws (docs/architecture.md): written into a buffer the page owns,
//! reusing its vectors, so a frame allocates nothing once warm.

use crate::haproxy::CheckStatus;
use crate::mysql::IoState;
use crate::time::SimTime;
use crate::topology::NodeId;
use crate::trace::{Outcome, ReqKind};
use crate::world::{AdminState, Condition, DbRole, LinkCondition, World};

/// A node's condition: its own, and with its host's (a component on a crashed host is down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeView {
    /// Its own condition, and with its host's (a component on a crashed host is crashed).
    pub own: Condition,
    pub effective: Condition,
    pub slow: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkView {
    pub state: LinkCondition,
    pub loss: f64,
    pub slow: f64,
}

/// One row of the HAProxy stats page.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerView {
    pub lb: NodeId,
    pub host: NodeId,
    pub name: String,
    /// `UP`, `UP 2/3`, `DOWN`, `DOWN 1/2`, `MAINT`, `DRAIN`.
    pub status: String,
    /// Whether the HAProxy whose view this row is runs: while it is crashed its checks stop,
    /// and the row is what it knew when it died.
    pub lb_running: bool,
    pub check_status: CheckStatus,
    pub check_duration_ms: f64,
    pub weight: u32,
    pub backup: bool,
    pub admin: AdminState,
    pub scur: u32,
    pub qcur: u32,
    pub served: u64,
    pub stot: u64,
    pub chkfail: u64,
    pub chkdown: u64,
    pub lastchg_s: f64,
    pub downtime_s: f64,
    pub wretr: u64,
    pub wredis: u64,
    pub econ: u64,
    pub eresp: u64,
    pub hrsp_5xx: u64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AppView {
    pub host: NodeId,
    pub busy: u32,
    pub workers: u32,
    pub backlog: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DbView {
    pub node: NodeId,
    /// `OldPrimary`: a primary replaced while it was away.
    pub role: DbRole,
    pub read_only: bool,
    /// The primary the apps write to (the failover manager's view).
    pub is_writer: bool,
    pub source: Option<NodeId>,
    /// `Replica_IO_Running`: Yes, Connecting, No.
    pub io: IoState,
    /// The receiver is connected to its source (`Replica_IO_Running: Yes`).
    pub receiver_connected: bool,
    pub sql_running: bool,
    /// `Seconds_Behind_Source`: None is NULL, as whenever the receiver is not connected.
    pub seconds_behind_source: Option<u64>,
    /// How far its data is behind the primary, µs (sub-second too), while its receiver is
    /// connected; None when it is not (unknown to the replica, as MySQL's NULL).
    pub lag_us: Option<u64>,
    /// Transactions the primary the apps write to has and it has not applied (0 on that
    /// primary): known to the lab even when the replica cannot know it.
    pub transactions_behind: u64,
    pub relay_len: usize,
    /// Commits waiting for a replica's ack (semi-sync).
    pub waiting_acks: usize,
    pub semi_sync_on: bool,
    pub gtid_executed: String,
    pub transactions: u64,
    /// Its `users` rows that exist: (row, version); compare versions across servers.
    pub rows: Vec<(u16, u64)>,
}

/// A request on the move (or resting at `to` once `t1` has passed): the page interpolates
/// its position between the two nodes from `t0`, `t1` and now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flight {
    pub req: u64,
    pub from: NodeId,
    pub to: NodeId,
    pub t0: SimTime,
    pub t1: SimTime,
    pub kind: ReqKind,
    /// `Pending` while no answer is decided.
    pub outcome: Outcome,
    pub stale: bool,
    pub traced: bool,
}

/// A binlog event on its way from a source to a replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplFlight {
    pub from: NodeId,
    pub to: NodeId,
    pub t0: SimTime,
    pub t1: SimTime,
}

#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub now: SimTime,
    /// Changes when something other than the dots changed.
    pub version: u64,
    pub events: u64,
    pub nodes: Vec<NodeView>,
    pub links: Vec<LinkView>,
    pub servers: Vec<ServerView>,
    pub apps: Vec<AppView>,
    pub dbs: Vec<DbView>,
    pub flights: Vec<Flight>,
    /// Replication events under way (drawn along the primary → replica link).
    pub repl_flights: Vec<ReplFlight>,
    pub lb_queue: u32,
    pub requests: u64,
    pub ok: u64,
    pub errors: u64,
    pub stale_reads: u64,
}

impl World {
    /// Fills `snap` with the state now. Reuses its vectors.
    pub fn snapshot_into(&self, snap: &mut Snapshot) {
        let now = self.now();
        snap.now = now;
        snap.version = self.version;
        snap.events = self.events;
        snap.nodes.clear();
        for i in 0..self.net.nodes().len() {
            let id = NodeId(i as u16);
            let own = self.net.nodes()[i];
            let eff = self.effective_state(id);
            snap.nodes.push(NodeView {
                own: own.condition(),
                effective: eff.condition(),
                slow: eff.slow,
            });
        }
        snap.links.clear();
        snap.links.extend(self.net.links().iter().map(|l| LinkView {
            state: l.condition(),
            loss: l.loss,
            slow: l.slow,
        }));
        snap.servers.clear();
        snap.lb_queue = 0;
        for lb in &self.lbs {
            snap.lb_queue += lb.queue.len() as u32;
            let lb_running = !self.effective_state(lb.haproxy).crashed;
            for s in &lb.servers {
                snap.servers.push(ServerView {
                    lb: lb.host,
                    host: s.host,
                    name: s.name.clone(),
                    status: s.status(),
                    lb_running,
                    check_status: s.check.status,
                    check_duration_ms: s.check.duration_us as f64 / 1000.0,
                    weight: s.weight,
                    backup: s.backup,
                    admin: s.admin,
                    scur: s.scur,
                    qcur: s.queue.len() as u32,
                    served: s.stats.served,
                    stot: s.stats.stot,
                    chkfail: s.stats.chkfail,
                    chkdown: s.stats.chkdown,
                    lastchg_s: (now - s.lastchg) as f64 / 1e6,
                    downtime_s: s.downtime_us(now) as f64 / 1e6,
                    wretr: s.stats.wretr,
                    wredis: s.stats.wredis,
                    econ: s.stats.econ,
                    eresp: s.stats.eresp,
                    hrsp_5xx: s.stats.hrsp_5xx,
                });
            }
        }
        snap.apps.clear();
        let workers = self.scenario.app.workers;
        snap.apps.extend(self.webs.iter().map(|w| AppView {
            host: w.host,
            busy: w.pool.busy,
            workers,
            backlog: w.pool.backlog.len() as u32,
        }));
        snap.dbs.clear();
        for (i, d) in self.dbs.iter().enumerate() {
            snap.dbs.push(DbView {
                node: d.node,
                role: d.role,
                read_only: d.read_only,
                is_writer: self.primary == Some(i),
                source: d.source.map(|s| self.dbs[s as usize].node),
                io: d.io,
                receiver_connected: d.receiver_connected(),
                sql_running: d.sql_running,
                seconds_behind_source: d.seconds_behind_source(now),
                lag_us: d.receiver_connected().then(|| self.lag_us(i)),
                transactions_behind: self
                    .primary
                    .map_or(0, |p| d.transactions_behind(&self.dbs[p])),
                relay_len: d.relay.len(),
                waiting_acks: d.waiting.len(),
                semi_sync_on: d.semi_sync_on,
                gtid_executed: d.executed.text(),
                transactions: d.executed.total(),
                rows: d
                    .rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.version > 0)
                    .map(|(k, r)| (k as u16, r.version))
                    .collect(),
            });
        }
        snap.flights.clear();
        for r in self.requests() {
            let outcome = if r.client_done {
                r.outcome
            } else {
                Outcome::Pending
            };
            snap.flights.push(Flight {
                req: r.seq,
                from: r.cur.from,
                to: r.cur.to,
                t0: r.cur.t0,
                t1: r.cur.t1,
                kind: r.kind,
                outcome,
                stale: r.stale,
                traced: r.traced,
            });
        }
        for &(h, kind, outcome, seq) in &self.tails {
            if h.t1 > now {
                snap.flights.push(Flight {
                    req: seq,
                    from: h.from,
                    to: h.to,
                    t0: h.t0,
                    t1: h.t1,
                    kind,
                    outcome,
                    stale: false,
                    traced: false,
                });
            }
        }
        snap.repl_flights.clear();
        for d in &self.dbs {
            if let Some(src) = d.source {
                let from = self.dbs[src as usize].node;
                for &(_, t0, t1) in d.in_flight.iter().filter(|&&(_, _, t1)| t1 > now) {
                    snap.repl_flights.push(ReplFlight {
                        from,
                        to: d.node,
                        t0,
                        t1,
                    });
                }
            }
        }
        let t = &self.totals;
        snap.requests = t.ended;
        snap.ok = t.ok;
        snap.errors = t.ended - t.ok;
        snap.stale_reads = t.stale_reads;
    }
}
