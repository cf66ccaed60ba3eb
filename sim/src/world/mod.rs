//! The world: every host, component, link and request, and the event loop that moves them.
//!
//! Components react to events and schedule new ones; nothing here touches a clock, the DOM or
//! storage. One request is one slot in a slab; it has at most one pending event on
//! its main chain (`chain` invalidates stale ones) plus timers on timer lanes (the slot's epoch,
//! bumped when it is freed, invalidates those).
//!
//! This file holds the `World`, its `Event`s and the event loop's dispatch; `build.rs` builds it.
//! The request's way through the components is the world's own code, one file per stretch:
//! `request.rs` (the slot, its stage, steps and timers), `front.rs` (arrivals, DNS, the
//! browser's connection to the front), `lb.rs` (HAProxy), `web.rs` (Nginx and the app),
//! `db.rs` (MySQL), `ends.rs` (the answer and the freed slot). Beside them: `faults.rs`,
//! `settings.rs` (live settings), `views.rs` (what only the page shows) and `invariants.rs`.

pub use crate::app::{AppPool, APP_BACKLOG};
use crate::crowd::Crowd;
use crate::cx::Cx;
use crate::dns::Cached;
use crate::epoch::{Epoch, Stamp};
pub use crate::haproxy::AdminState;
use crate::haproxy::CheckEvent;
pub use crate::haproxy::{Lb, Server, ServerStats};
use crate::keepalived::{Keepalived, VrrpEvent};
use crate::log::{push_transition, LogRing};
pub use crate::log::{Transition, TRANSITION_RING};
use crate::metrics::Series;
use crate::monitoring::{MonitorEvent, Monitoring, Readings};
pub use crate::mysql::DbRole;
use crate::net::Net;
pub use crate::net::{Condition, LinkCondition, LinkState, NodeState, RTO_US};
use crate::queue::{EventQueue, TimerLane};
use crate::replication::{ReplEvent, Replication};
use crate::rng::SimRng;
use crate::scenario::{FaultKind, Scenario, Timing};
use crate::security::{Security, SecurityEvent};
use crate::time::{SimTime, SEC};
use crate::topology::{NodeId, Target, Topology};
use crate::trace::{Hop, Outcome, ReqKind, RunHash, Trace, TraceRing};
use crate::traffic::Traffic;
use std::collections::VecDeque;

/// Finished traces kept for the page and the inspector.
pub const TRACE_RING: usize = 1024;
pub const LOG_RING: usize = 1000;

/// The context a component gets for one event: the world's clock, network, queue, RNG, log,
/// transitions and version, borrowed apart from the component itself.
macro_rules! cx {
    ($w:ident) => {
        Cx::new(
            $w.now,
            &$w.net,
            &mut $w.queue,
            &mut $w.rng,
            &mut $w.log,
            &mut $w.transitions,
            &mut $w.version,
        )
    };
}

mod build;
mod db;
mod ends;
mod faults;
mod front;
mod invariants;
mod lb;
mod request;
mod settings;
mod views;
mod web;

pub use ends::{Totals, SLOT_REFUSED, SLOT_TIMEOUT, STATUS_KEYS, STATUS_SLOTS};
pub use invariants::Footprint;
pub use request::{Req, Stage};
pub(crate) use request::{Step, Timer};
use settings::Config;

// As `Step`: a plain tag, read in one load (32 bytes, not 24; a lane entry is 48 either way).
#[derive(Debug, Clone, Copy)]
#[repr(u8)]
pub(crate) enum Event {
    Arrival {
        stamp: Stamp,
    },
    Req {
        id: u32,
        chain: Stamp,
        step: Step,
    },
    Timer {
        id: u32,
        epoch: Stamp,
        timer: Timer,
    },
    /// The earliest timer of a kind is due (see `TimerLane`).
    Wake {
        timer: Timer,
    },
    /// The Nginx timer of a request in web `web`'s app backlog may be due (`on_watch`).
    Watch {
        web: u8,
    },
    Check(CheckEvent),
    ScheduledFault {
        index: u16,
    },
    RateChange,
    Repl(ReplEvent),
    Vrrp(VrrpEvent),
    Security(SecurityEvent),
    Monitor(MonitorEvent),
    /// Once a simulated second: samples for the series and the monitors.
    Tick,
}

/// What a queue slot holds before an event is written in it (never run).
impl Default for Event {
    fn default() -> Self {
        Event::Tick
    }
}

impl From<CheckEvent> for Event {
    #[inline]
    fn from(ev: CheckEvent) -> Event {
        Event::Check(ev)
    }
}

impl From<MonitorEvent> for Event {
    #[inline]
    fn from(ev: MonitorEvent) -> Event {
        Event::Monitor(ev)
    }
}

impl From<SecurityEvent> for Event {
    #[inline]
    fn from(ev: SecurityEvent) -> Event {
        Event::Security(ev)
    }
}

impl From<ReplEvent> for Event {
    #[inline]
    fn from(ev: ReplEvent) -> Event {
        Event::Repl(ev)
    }
}

impl From<VrrpEvent> for Event {
    #[inline]
    fn from(ev: VrrpEvent) -> Event {
        Event::Vrrp(ev)
    }
}

/// A browser: its own source IP, cookie and DNS cache.
#[derive(Debug, Clone, Copy)]
pub struct Client {
    pub ip: u32,
    /// The server named by its `SERVERID` cookie.
    pub cookie: Option<u8>,
    /// Its cached DNS answer: which address (load balancer) it connects to, and until when.
    pub dns: Cached,
    /// Its last write: when, and its GTID (read-your-writes).
    pub last_write_at: Option<SimTime>,
    pub last_gtid: Option<crate::mysql::Gtid>,
}

#[derive(Debug, Clone)]
pub struct Web {
    pub host: NodeId,
    pub nginx: NodeId,
    pub app: NodeId,
    /// The MySQL on this host, if it has one.
    pub mysql: Option<NodeId>,
    pub pool: AppPool,
}

#[derive(Debug, Clone)]
pub struct World {
    pub scenario: Scenario,
    /// The scenario's scheduled faults, each target found by name once (`scheduled_faults`).
    pub(crate) scheduled: Vec<Option<(Target, FaultKind)>>,
    pub(crate) net: Net,
    pub(crate) cfg: Config,
    pub(crate) now: SimTime,
    pub(crate) queue: EventQueue<Event>,
    /// Requests' timers, one lane per kind (`Timer as usize`); Nginx's wait with their
    /// requests instead (`app_accept`) and its lane stays empty.
    pub(crate) timers: [TimerLane<(u32, Stamp)>; 3],
    pub(crate) rng: SimRng,
    pub clients: Vec<Client>,
    pub lbs: Vec<Lb>,
    pub webs: Vec<Web>,
    /// MySQL: every server's replication, the failover manager, where the apps write.
    pub repl: Replication,
    /// keepalived on each load balancer (an active-passive pair only).
    pub keepalived: Keepalived,
    pub security: Security,
    pub monitor: Monitoring,
    /// The trace id of the last request sent by hand ("send one request").
    pub last_sent: Option<u64>,
    pub(crate) reqs: Vec<Req>,
    pub(crate) free: Vec<u32>,
    /// Which requests the page lists one by one and which it counts where they crowd.
    pub(crate) crowd: Crowd,
    /// Each request slot's epoch, bumped when the slot is freed: a timer set before then (it
    /// carries the epoch it was set in) no longer concerns it. Apart from the slots (`Req`
    /// is large) so that checking a timer reads a few dense bytes.
    pub(crate) epochs: Vec<Epoch>,
    pub(crate) next_seq: u64,
    /// The users: when the next request arrives, and what it asks for.
    pub(crate) traffic: Traffic,
    pub totals: Totals,
    pub series: Series,
    pub traces: TraceRing,
    pub(crate) all_traces: Option<Vec<Trace>>,
    /// Whether to keep what only the page shows (see `keep_views`).
    pub(crate) views: bool,
    pub log: LogRing,
    pub transitions: VecDeque<Transition>,
    pub hash: RunHash,
    pub events: u64,
    pub(crate) last_error_narration: [SimTime; 12],
    /// Finished requests whose last hop (LB → user) is still drawn: (hop, kind, outcome).
    pub tails: VecDeque<(Hop, ReqKind, Outcome, u64)>,
    /// Bumped whenever something the page shows as state changes.
    pub version: u64,
    /// While the event loop runs, the event count up to which an event may run at once
    /// instead of through the queue (`may_run_now`); 0 outside it, so that neither a user's
    /// action nor a single step runs more than before.
    pub(crate) inline_until: u64,
}

impl World {
    pub fn now(&self) -> SimTime {
        self.now
    }

    pub fn topology(&self) -> &Topology {
        &self.net.topo
    }

    pub fn timing(&self) -> Timing {
        self.cfg.timing
    }

    /// Runs every event up to and including `t`, then sets the clock to `t`.
    pub fn advance_to(&mut self, t: SimTime) {
        self.inline_until = u64::MAX;
        let mut ev = Event::default();
        while let Some(at) = self.queue.pop_into(t, &mut ev) {
            self.run_event(at, ev);
        }
        self.inline_until = 0;
        if t > self.now {
            self.now = t;
            self.series.at(t.0);
        }
        self.settle_views();
    }

    /// Runs events until `events` of them have run in all (not past `t`), then sets the clock
    /// to `t`: how a replay reaches the exact point where an action was taken.
    pub fn run_until(&mut self, events: u64, t: SimTime) {
        self.inline_until = events;
        let mut ev = Event::default();
        while self.events < events {
            let Some(at) = self.queue.pop_into(t, &mut ev) else {
                break;
            };
            self.run_event(at, ev);
        }
        self.inline_until = 0;
        if t > self.now {
            self.now = t;
            self.series.at(t.0);
        }
        self.settle_views();
    }

    /// Runs the next event; returns its time (the page's "step to the next event").
    pub fn step(&mut self) -> Option<SimTime> {
        let (at, ev) = self.queue.pop()?;
        self.run_event(at, ev);
        self.settle_views();
        Some(self.now)
    }

    /// Live requests (slab slots in use).
    pub fn requests(&self) -> impl Iterator<Item = &Req> {
        self.reqs.iter().filter(|r| r.live)
    }

    pub fn node_state(&self, id: NodeId) -> NodeState {
        self.net.node(id)
    }

    /// A node's condition including its host's: a component on a crashed host is crashed.
    pub fn effective_state(&self, id: NodeId) -> NodeState {
        self.net.effective_state(id)
    }

    // ----- the event loop ---------------------------------------------------------------

    // Natively inlined into the loops that pop the events (docs/performance.md).
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    #[cfg_attr(target_family = "wasm", inline)]
    fn run_event(&mut self, at: SimTime, ev: Event) {
        debug_assert!(at >= self.now);
        self.now = at;
        self.events += 1;
        match ev {
            Event::Arrival { stamp } => {
                if self.traffic.is_current(stamp) {
                    self.on_arrival();
                }
            }
            Event::Req { id, chain, step } => {
                let r = &self.reqs[id as usize];
                if r.waits_on(chain) {
                    self.on_step(id, step);
                }
            }
            Event::Timer { id, epoch, timer } => {
                if self.epochs[id as usize].is_current(epoch) {
                    self.on_timer(id, timer);
                }
            }
            Event::Wake { timer } => self.on_wake(timer),
            Event::Watch { web } => self.on_watch(web as usize),
            Event::Check(ev) => self.on_check(ev),
            Event::ScheduledFault { index } => self.on_scheduled_fault(index as usize),
            Event::Repl(ev) => self.on_repl(ev),
            Event::Vrrp(ev) => self.on_vrrp(ev),
            Event::Security(ev) => self.on_security(ev),
            Event::Monitor(ev) => self.on_monitor(ev),
            Event::Tick => self.on_tick(),
            Event::RateChange => {
                self.traffic.on_rate_change(self.now);
                self.schedule_arrival();
            }
        }
    }

    // The components' events are rare: each is handed over out of line, so that building its
    // context does not weigh on the loop's hot arms.
    #[inline(never)]
    fn on_vrrp(&mut self, ev: VrrpEvent) {
        self.keepalived.on_event(ev, &mut cx!(self));
    }

    #[inline(never)]
    fn on_security(&mut self, ev: SecurityEvent) {
        self.security.on_event(ev, &mut cx!(self));
    }

    #[inline(never)]
    fn on_monitor(&mut self, ev: MonitorEvent) {
        self.monitor.on_event(ev, &mut cx!(self));
    }

    /// Replication's events. A transaction applied on a replica lets its read-your-writes
    /// readers go before the applier moves on; acknowledged commits are answered after.
    #[inline(never)]
    fn on_repl(&mut self, ev: ReplEvent) {
        if let Some(db) = self.repl.on_event(ev, &mut cx!(self)) {
            let reqs = &self.reqs;
            self.repl
                .ready_readers(db, |(id, chain)| reqs[id as usize].waits_on(chain));
            for i in 0..self.repl.out.ready.len() {
                self.read_now(self.repl.out.ready[i], db);
            }
            self.repl.out.ready.clear();
            self.repl.after_applied(db, &mut cx!(self));
        }
        self.resume_from_repl();
    }

    /// What replication reported on requests: each acknowledged commit's client, if it still
    /// waits, is told "OK"; lost writes are counted in the second's series.
    fn resume_from_repl(&mut self) {
        for i in 0..self.repl.out.acked.len() {
            let (id, chain) = self.repl.out.acked[i];
            if self.reqs[id as usize].waits_on(chain) {
                self.db_answer_write(id);
            }
        }
        self.repl.out.acked.clear();
        if let Some(lost) = self.repl.out.lost.take() {
            self.series.at(self.now.0).lost_writes += lost;
        }
    }

    /// Promotes MySQL `db` to primary (`automatic`: by the failover manager).
    pub(crate) fn promote(&mut self, db: usize, automatic: bool) {
        self.repl.promote(db, automatic, &mut cx!(self));
        self.resume_from_repl();
    }

    /// The true replication lag of replica `db` (see `Replication::lag_us`).
    pub fn lag_us(&self, db: usize) -> u64 {
        self.repl.lag_us(&self.net, self.now, db)
    }

    /// Whether an event due at `at`, scheduled as the last thing the event under way does,
    /// may run at once rather than through the queue: the queue would run it next (it is
    /// due now and nothing else is) and the loop would go on to it (`inline_until`). It
    /// still counts as an event, so replays stop at the same places.
    #[inline]
    fn may_run_now(&self, at: SimTime) -> bool {
        at == self.now
            && self.events < self.inline_until
            && self.queue.peek_time().is_none_or(|q| q > at)
    }

    pub(crate) fn transition(&mut self, node: &str, what: &'static str, from: String, to: String) {
        push_transition(&mut self.transitions, self.now, node, what, from, to);
    }

    /// What the monitoring agents read this second of HAProxy's queues, the apps' backlogs
    /// and the replicas.
    fn monitor_readings(&self) -> Readings {
        let now = self.now;
        let lag_s = self.scenario.monitoring.lag_s;
        let queued = self
            .lbs
            .iter()
            .map(|l| l.queue.len() + l.servers.iter().map(|s| s.queue.len()).sum::<usize>())
            .sum::<usize>()
            + self.webs.iter().map(|w| w.pool.waiting()).sum::<usize>();
        let db_target = self.repl.first_non_primary();
        Readings {
            queued,
            lagging: self.repl.lagging(now, lag_s),
            db_target: db_target.map_or_else(String::new, |d| self.net.topo.node(d).name.clone()),
        }
    }

    /// Once a simulated second: the replication lag for the series.
    fn on_tick(&mut self) {
        let now = self.now;
        self.queue.push(now + SEC, Event::Tick);
        if self.repl.dbs.len() > 1 {
            let lag = self.repl.tick(&mut cx!(self));
            self.series.at(now.0).lag_us = lag;
        }
        self.series.at(now.0);
        let (errors, requests) = self
            .series
            .last_completed()
            .map_or((0, 0), |s| (s.requests - s.ok, s.requests));
        let readings = self.monitor.on().then(|| self.monitor_readings());
        self.monitor
            .tick(errors, requests, readings, &mut cx!(self));
    }
}
