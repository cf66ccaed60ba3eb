//! The read model (docs/architecture.md, "Read model"): what the page draws each frame,
//! written into a `Snapshot` the page owns, reusing its buffers, so a frame allocates nothing
//! once warm; and the typed views the `Lab`'s queries return for what changes rarely.

use std::fmt;

use crate::haproxy::CheckStatus;
use crate::keepalived::VrrpState;
use crate::monitoring::Alert;
use crate::mysql::{Gtid, GtidSet, IoState};
use crate::time::SimTime;
use crate::topology::NodeId;
use crate::trace::{Outcome, ReqKind};
use crate::world::{
    AdminState, Condition, DbRole, LinkCondition, Server, World, SLOT_REFUSED, SLOT_TIMEOUT,
    STATUS_SLOTS,
};

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
    pub status: ServerStatus,
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
    pub gtid_executed: GtidSet,
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

/// Past this many requests moving along one hop at once, single dots stop being readable:
/// they travel as one flow (a band, its count, marks moving at the hop's pace, errors and
/// stale reads among them in proportion). A followed request stays a dot.
pub const FLOW_AT: u32 = 12;

pub use crate::crowd::WAIT_AT;

/// Requests waiting at a node (queued, or being served), too many to draw one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitView {
    pub node: NodeId,
    pub count: u32,
    /// Of them, errors and stale reads (a request whose user got a 504 while the app still
    /// holds it, say).
    pub errors: u32,
}

/// Requests moving along one hop, too many to draw one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowView {
    pub from: NodeId,
    pub to: NodeId,
    /// How many, by kind (static, read, write): before their answer, answered OK, answered
    /// with stale data, and failed.
    pub pending: [u32; 3],
    pub answered: [u32; 3],
    pub stale: [u32; 3],
    pub errors: [u32; 3],
    /// How long the hop takes (the longest of its requests'): the marks move at its pace.
    pub hop: u64,
}

impl FlowView {
    pub fn count(&self) -> u32 {
        self.pending
            .iter()
            .chain(&self.answered)
            .chain(&self.stale)
            .chain(&self.errors)
            .sum()
    }
}

/// A binlog event on its way from a source to a replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplFlight {
    pub from: NodeId,
    pub to: NodeId,
    pub t0: SimTime,
    pub t1: SimTime,
}

/// One keepalived: its VRRP state and whether it holds the floating IP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeepalivedView {
    /// The load balancer host it runs on.
    pub lb: NodeId,
    pub state: VrrpState,
    pub holds_vip: bool,
}

/// A server's state on HAProxy's stats page. Its `Display` is the stats page's own words:
/// `UP`, `UP 2/3`, `DOWN`, `DOWN 1/2`, `MAINT`, `DRAIN`, `no check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerStatus {
    Up,
    /// UP with failed checks: `left` more failures of `fall` before DOWN.
    GoingDown {
        left: u32,
        fall: u32,
    },
    Down,
    /// DOWN with `ok` successful checks of the `rise` it needs.
    GoingUp {
        ok: u32,
        rise: u32,
    },
    Maint,
    Drain,
    /// Not health-checked: HAProxy assumes it up.
    NoCheck,
}

impl ServerStatus {
    pub fn of(s: &Server) -> ServerStatus {
        let h = &s.check.health;
        match s.admin {
            AdminState::Maint => ServerStatus::Maint,
            AdminState::Drain if h.up => ServerStatus::Drain,
            _ if !s.checked => ServerStatus::NoCheck,
            _ if h.up && h.health == h.rise + h.fall - 1 => ServerStatus::Up,
            _ if h.up => ServerStatus::GoingDown {
                left: h.health + 1 - h.rise,
                fall: h.fall,
            },
            _ if h.health == 0 => ServerStatus::Down,
            _ => ServerStatus::GoingUp {
                ok: h.health,
                rise: h.rise,
            },
        }
    }
}

impl fmt::Display for ServerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ServerStatus::Up => f.write_str("UP"),
            ServerStatus::GoingDown { left, fall } => write!(f, "UP {left}/{fall}"),
            ServerStatus::Down => f.write_str("DOWN"),
            ServerStatus::GoingUp { ok, rise } => write!(f, "DOWN {ok}/{rise}"),
            ServerStatus::Maint => f.write_str("MAINT"),
            ServerStatus::Drain => f.write_str("DRAIN"),
            ServerStatus::NoCheck => f.write_str("no check"),
        }
    }
}

// A lesson's verdict carries it in the stats page's words.
impl serde::Serialize for ServerStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A backend as a load balancer sees it (what the lesson checks ask about). Its answers are
/// worked out when asked: a check asks one or two of them a few times a second.
#[derive(Debug, Clone, Copy)]
pub struct Backend<'a>(pub(crate) &'a Server);

impl<'a> Backend<'a> {
    pub fn name(self) -> &'a str {
        &self.0.name
    }

    pub fn status(self) -> ServerStatus {
        ServerStatus::of(self.0)
    }

    /// When HAProxy first marked it DOWN.
    pub fn first_down_at(self) -> Option<SimTime> {
        self.0.first_down_at
    }

    /// Requests sent to it.
    pub fn stot(self) -> u64 {
        self.0.stats.stot
    }
}

/// What monitoring saw: the alerts it fired and the seconds users saw errors.
#[derive(Debug, Clone, Copy)]
pub struct Monitoring<'a> {
    pub alerts: &'a [Alert],
    /// Seconds during which users got at least one error.
    pub error_seconds: u64,
    /// Of those, seconds no alert was firing: nobody could know.
    pub unnoticed_error_seconds: u64,
}

/// What the eavesdropper on the Internet link read and what the attacker reached.
#[derive(Debug, Clone, Copy)]
pub struct Security<'a> {
    pub plaintext_seen: u64,
    pub passwords_seen: u64,
    pub ciphertext_seen: u64,
    pub probes: u64,
    pub attacker_reached: u64,
    pub attacker_blocked: u64,
    /// Every `host:port` the attacker reached at least once.
    pub exposed: &'a [String],
}

/// Replication over the run: failovers and the acknowledged transactions they lost.
#[derive(Debug, Clone, Copy)]
pub struct Replication<'a> {
    pub failovers: u64,
    pub lost_count: u64,
    /// The lost transactions, oldest first (the first of them, when there are many).
    pub lost: &'a [Gtid],
    pub split_brain: bool,
}

/// Requests over the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub created: u64,
    pub ended: u64,
    pub ok: u64,
    pub stale_reads: u64,
    /// Ended requests by `world::STATUS_KEYS`.
    pub by_status: [u64; STATUS_SLOTS],
}

impl Totals {
    /// Requests that got no HTTP answer at all: refused, or never answered.
    pub fn unanswered(&self) -> u64 {
        self.by_status[SLOT_REFUSED] + self.by_status[SLOT_TIMEOUT]
    }
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
    /// The requests drawn one by one: every one on a quiet hop or at a quiet node, and the
    /// followed ones.
    pub flights: Vec<Flight>,
    /// The busy hops' other requests, as flows.
    pub flows: Vec<FlowView>,
    /// The crowded nodes' requests, counted.
    pub waits: Vec<WaitView>,
    /// Requests drawn, one by one or in a flow.
    pub in_flight: usize,
    /// The request the page follows (the inspector's): a dot even on a busy hop. Set by
    /// the page; `snapshot_into` reads it.
    pub follow: Option<u64>,
    /// Scratch, kept from frame to frame: requests moving per hop (`from * n + to`),
    /// then, for a busy hop, its flow's index with `FLOW_SLOT` set; and the same for the
    /// requests waiting at each node, after them (`n * n + node`).
    hops: Vec<u32>,
    /// Replication events under way (drawn along the primary → replica link).
    pub repl_flights: Vec<ReplFlight>,
    /// One per load balancer host that runs keepalived.
    pub keepalived: Vec<KeepalivedView>,
    pub lb_queue: u32,
    pub requests: u64,
    pub ok: u64,
    pub errors: u64,
    pub stale_reads: u64,
}

/// Marks an entry of `Snapshot::hops` as holding the index of its flow (a hop) or its count (a
/// node).
const FLOW_SLOT: u32 = 1 << 31;

impl World {
    /// Every request in flight (and every answer still on its way back), as dots; or, on a
    /// hop with more than `FLOW_AT` moving at once, as that hop's flow; or, at a node with
    /// more than `WAIT_AT` waiting, as its count. A followed request is always a dot.
    fn flights_into(&self, snap: &mut Snapshot) {
        let now = self.now();
        snap.flights.clear();
        // The listed requests only: those resting where many wait are counted below.
        for &id in self.crowd.moving() {
            let r = &self.reqs[id as usize];
            snap.flights.push(Flight {
                req: r.seq,
                from: r.cur.from,
                to: r.cur.to,
                t0: r.cur.t0,
                t1: r.cur.t1,
                kind: r.kind,
                outcome: if r.client_done {
                    r.outcome
                } else {
                    Outcome::Pending
                },
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
        snap.in_flight = snap.flights.len() + self.crowd.resting_total();
        let n = self.topology().nodes.len();
        let follow = snap.follow;
        // A request's place in `hops`: its hop while it moves, else the node it waits at. A
        // followed one has none: it stays a dot.
        let place = |f: &Flight| {
            if f.traced || follow == Some(f.req) {
                None
            } else if now < f.t0 {
                Some(n * n + f.from.index())
            } else if now < f.t1 {
                Some(f.from.index() * n + f.to.index())
            } else {
                Some(n * n + f.to.index())
            }
        };
        snap.hops.clear();
        snap.hops.resize(n * n + n, 0);
        for p in snap.flights.iter().filter_map(place) {
            snap.hops[p] += 1;
        }
        for node in 0..n {
            snap.hops[n * n + node] += self.crowd.resting(node).0;
        }
        snap.flows.clear();
        snap.waits.clear();
        for (i, h) in snap.hops.iter_mut().enumerate() {
            if i < n * n && *h > FLOW_AT {
                *h = FLOW_SLOT | snap.flows.len() as u32;
                snap.flows.push(FlowView {
                    from: NodeId((i / n) as u16),
                    to: NodeId((i % n) as u16),
                    pending: [0; 3],
                    answered: [0; 3],
                    stale: [0; 3],
                    errors: [0; 3],
                    hop: 0,
                });
            } else if i >= n * n && (*h > WAIT_AT || self.crowd.resting(i - n * n).0 > 0) {
                *h = FLOW_SLOT | snap.waits.len() as u32;
                let (count, errors) = self.crowd.resting(i - n * n);
                snap.waits.push(WaitView {
                    node: NodeId((i - n * n) as u16),
                    count,
                    errors,
                });
            }
        }
        let (hops, flows, waits) = (&snap.hops, &mut snap.flows, &mut snap.waits);
        snap.flights.retain(|f| {
            let Some(p) = place(f) else {
                return true;
            };
            let slot = hops[p];
            if slot & FLOW_SLOT == 0 {
                return true;
            }
            let at = (slot & !FLOW_SLOT) as usize;
            let failed = f.outcome != Outcome::Pending && (!f.outcome.is_ok() || f.stale);
            if p >= n * n {
                waits[at].count += 1;
                waits[at].errors += failed as u32;
                return false;
            }
            let flow = &mut flows[at];
            let by_kind = match f.outcome {
                Outcome::Pending => &mut flow.pending,
                o if !o.is_ok() => &mut flow.errors,
                _ if f.stale => &mut flow.stale,
                _ => &mut flow.answered,
            };
            by_kind[f.kind as usize] += 1;
            flow.hop = flow.hop.max(f.t1 - f.t0);
            false
        });
    }

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
        snap.lb_queue = 0;
        let mut k = 0;
        for lb in &self.lbs {
            snap.lb_queue += lb.queue.len() as u32;
            let lb_running = !self.effective_state(lb.haproxy).crashed;
            for s in &lb.servers {
                let row = ServerView {
                    lb: lb.host,
                    host: s.host,
                    name: String::new(),
                    status: ServerStatus::of(s),
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
                };
                // The row's old name keeps its buffer: no allocation once warm.
                let out = reuse(&mut snap.servers, k, row, |old, new| {
                    new.name = std::mem::take(&mut old.name)
                });
                out.name.clone_from(&s.name);
                k += 1;
            }
        }
        snap.servers.truncate(k);
        snap.apps.clear();
        let workers = self.scenario.app.workers;
        snap.apps.extend(self.webs.iter().map(|w| AppView {
            host: w.host,
            busy: w.pool.busy,
            workers,
            backlog: w.pool.backlog.len() as u32,
        }));
        for (i, d) in self.repl.dbs.iter().enumerate() {
            let view = DbView {
                node: d.node,
                role: d.role,
                read_only: d.read_only,
                is_writer: self.repl.primary == Some(i),
                source: d.source.map(|s| self.repl.dbs[s as usize].node),
                io: d.io,
                receiver_connected: d.receiver_connected(),
                sql_running: d.sql_running,
                seconds_behind_source: d.seconds_behind_source(now),
                lag_us: d.receiver_connected().then(|| self.lag_us(i)),
                transactions_behind: self
                    .repl
                    .primary
                    .map_or(0, |p| d.transactions_behind(&self.repl.dbs[p])),
                relay_len: d.relay.len(),
                waiting_acks: d.waiting.len(),
                semi_sync_on: d.semi_sync_on,
                gtid_executed: GtidSet(Vec::new()),
                transactions: d.executed.total(),
                rows: Vec::new(),
            };
            // The old view's buffers are refilled in place.
            let out = reuse(&mut snap.dbs, i, view, |old, new| {
                new.gtid_executed = std::mem::take(&mut old.gtid_executed);
                new.rows = std::mem::take(&mut old.rows);
            });
            out.gtid_executed.0.clone_from(&d.executed.0);
            out.rows.clear();
            // Room for every row at once: a write to a new row then needs no growth.
            out.rows.reserve(d.rows.len());
            out.rows.extend(
                d.rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.version > 0)
                    .map(|(k, r)| (k as u16, r.version)),
            );
        }
        snap.dbs.truncate(self.repl.dbs.len());
        self.flights_into(snap);
        snap.repl_flights.clear();
        for d in &self.repl.dbs {
            if let Some(src) = d.source {
                let from = self.repl.dbs[src as usize].node;
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
        snap.keepalived.clear();
        for (i, v) in self.keepalived.nodes().iter().enumerate() {
            if let Some(&lb) = self.topology().lb_hosts.get(i) {
                snap.keepalived.push(KeepalivedView {
                    lb,
                    state: v.state,
                    holds_vip: self.keepalived.vip_holder() == Some(i),
                });
            }
        }
        let t = &self.totals;
        snap.requests = t.ended;
        snap.ok = t.ok;
        snap.errors = t.ended - t.ok;
        snap.stale_reads = t.stale_reads;
    }
}

/// Puts `row` at `v[i]`, first letting `keep` move the old value's buffers into it; or
/// appends it.
fn reuse<T>(v: &mut Vec<T>, i: usize, mut row: T, keep: impl FnOnce(&mut T, &mut T)) -> &mut T {
    if i < v.len() {
        keep(&mut v[i], &mut row);
        v[i] = row;
    } else {
        v.push(row);
    }
    &mut v[i]
}
