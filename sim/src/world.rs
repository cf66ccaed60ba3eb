//! The world: every host, component, link and request, and the event loop that moves them.
//!
//! Components react to events and schedule new ones; nothing here touches a clock, the DOM or
//! storage. One request is one slot in a slab; it has at most one pending event on
//! its main chain (`chain` invalidates stale ones) plus timers on timer lanes (the slot's epoch,
//! bumped when it is freed, invalidates those).

use crate::app::{Accept, BacklogTimer};
pub use crate::app::{AppPool, APP_BACKLOG};
use crate::crowd::{Crowd, Seen};
use crate::cx::Cx;
use crate::epoch::{Epoch, Stamp};
use crate::error::ActionError;
pub use crate::haproxy::AdminState;
use crate::haproxy::{
    Admit, Balancer, CheckConfig, CheckEvent, CheckTarget, Health, HealthChange, Pick, Reason,
};
pub use crate::haproxy::{Lb, Server, ServerStats};
use crate::keepalived::{Keepalived, VrrpEvent};
use crate::log::{push_transition, FaultChange, LogEvent, LogRing, SettingsPart};
pub use crate::log::{Transition, TRANSITION_RING};
use crate::metrics::{Histogram, Series, MAX_BACKENDS};
use crate::monitoring::{MonitorEvent, Monitoring, Readings};
pub use crate::mysql::DbRole;
use crate::mysql::ROWS;
pub use crate::net::{Condition, LinkCondition, LinkState, NodeState, RTO_US};
use crate::net::{Conn, Net};
use crate::queue::{EventQueue, TimerLane};
use crate::replication::{ReplEvent, Replication};
use crate::rng::SimRng;
use crate::scenario::{
    ms_to_us, CheckKind, FaultKind, HaproxySpec, ReadRouting, Scenario, ScenarioError, Timing,
};
use crate::security::{Security, SecurityEvent};
use crate::time::{SimTime, SEC};
use crate::topology::{LinkId, NodeId, NodeKind, Topology};
use crate::trace::{Cause, Hop, Hops, Outcome, ReqKind, RunHash, Trace, TraceRing};
use crate::traffic::Traffic;
use std::collections::VecDeque;

/// The resolver waits this long for an answer to one query (glibc's `timeout:5`).
pub const RESOLVER_TIMEOUT_US: u64 = 5 * SEC;
/// Queries the resolver sends before it gives up (glibc's `attempts:2`): 10 s in all.
pub const RESOLVER_ATTEMPTS: u8 = 2;
/// Finished traces kept for the page and the inspector.
pub const TRACE_RING: usize = 1024;
pub const LOG_RING: usize = 1000;
/// Narrate the same kind of user-facing error at most this often.
const ERROR_NARRATION_GAP_US: u64 = 5 * SEC;

const NONE8: u8 = u8::MAX;
/// Nginx's `proxy_connect_timeout` default.
pub const NGINX_CONNECT_TIMEOUT_US: u64 = 60 * SEC;

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

/// Where a request is, and so what its one pending chain event (if any) will be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Dns,
    ToFrontend,
    /// In HAProxy's queue (backend or server): no chain event, a queue timer.
    LbQueue,
    Connect,
    RetryWait,
    Nginx,
    /// Nginx resends its SYN to an app whose listen backlog is full (`Step::AppSynRetry`).
    AppSyn,
    /// Waiting for an app worker: no chain event.
    AppBacklog,
    App,
    Db,
    RespToLb,
    /// Nothing more will happen on its chain; waiting for a timer.
    Stalled,
    Done,
}

// An explicit tag (no niche shared with the fields): the event loop's matches are one jump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Step {
    DnsAnswer,
    /// ICMP port unreachable came back: no DNS server runs on the host; the resolver gives up.
    DnsRefused,
    /// The resolver's timer for one query ran out: it asks again, or gives up.
    DnsTimeout,
    AtFrontend,
    FrontendRefused,
    ClientGiveUp,
    AtServer,
    ConnRefused,
    ConnTimeout,
    Retry,
    AppCpuDone,
    DbReply {
        error: Option<Cause>,
    },
    DbTimeout,
    /// The write's transaction commits on the primary.
    DbCommit,
    /// The browser resends its SYN to the site's address.
    SynRetry,
    /// Nginx resends its SYN to the app, or gives up at `proxy_connect_timeout`.
    AppSynRetry,
    /// A read gave up waiting for the replica to apply the user's last write.
    RywTimeout,
    NginxTimeout,
    RespAtLb,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Timer {
    /// HAProxy's `timeout server`.
    Server,
    /// HAProxy's `timeout queue`.
    Queue,
    /// Nginx's `proxy_read_timeout` for a request it handed to the app.
    Nginx,
}

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

/// One request in flight (a slab slot).
#[derive(Debug, Clone, Copy)]
pub struct Req {
    pub seq: u64,
    pub(crate) chain: Epoch,
    pub live: bool,
    pub kind: ReqKind,
    pub path: u8,
    pub client: u32,
    pub start: SimTime,
    pub stage: Stage,
    /// Which load balancer and server (indices); `NONE8` when none.
    pub(crate) lb: u8,
    pub(crate) server: u8,
    pub retries: u8,
    pub redispatched: bool,
    pub reason: Option<Reason>,
    pub(crate) holds_conn: bool,
    pub(crate) holds_worker: bool,
    /// The user has their answer (or gave up); the server side may still be working.
    pub client_done: bool,
    pub queued_at: SimTime,
    pub queue_wait: u64,
    pub(crate) attempt_at: SimTime,
    pub(crate) sent_at: SimTime,
    pub(crate) db_at: SimTime,
    pub db: Option<NodeId>,
    pub outcome: Outcome,
    pub cause: Cause,
    pub stale: bool,
    pub traced: bool,
    pub tls: bool,
    /// The `users` row it reads or writes (its user's).
    pub row: u16,
    /// A write's transaction, once committed.
    pub gtid: Option<crate::mysql::Gtid>,
    /// After waiting too long for a replica (read-your-writes), it reads the primary.
    pub(crate) force_primary: bool,
    /// SYNs sent to the site's address without an answer (the browser resends them).
    pub(crate) syn_tries: u8,
    /// SYNs Nginx sent to an app whose backlog was full.
    pub(crate) app_syns: u8,
    /// DNS queries the resolver has sent for it.
    pub(crate) dns_tries: u8,
    /// With two A records, the browser tried the other address after a refusal.
    pub(crate) alt_tried: bool,
    /// The key of its Nginx timer while the timer is not queued (0: none): left to the
    /// backlog's watch (`on_watch`) or to its chain event (`nginx_timer`).
    pub(crate) nginx_key: u128,
    pub(crate) hops: Hops,
    /// The latest hop, always kept even when `hops` is full.
    pub cur: Hop,
    pub end: SimTime,
}

impl Req {
    /// It is under way and still waits on `chain` (nothing has moved it on since).
    #[inline]
    fn waits_on(&self, chain: Stamp) -> bool {
        self.live && self.chain.is_current(chain)
    }

    fn blank() -> Req {
        Req {
            seq: 0,
            chain: Epoch::default(),
            live: false,
            kind: ReqKind::Static,
            path: 0,
            client: 0,
            start: SimTime::ZERO,
            stage: Stage::Done,
            lb: NONE8,
            server: NONE8,
            retries: 0,
            redispatched: false,
            reason: None,
            holds_conn: false,
            holds_worker: false,
            client_done: false,
            queued_at: SimTime::ZERO,
            queue_wait: 0,
            attempt_at: SimTime::ZERO,
            sent_at: SimTime::ZERO,
            db_at: SimTime::ZERO,
            db: None,
            outcome: Outcome::Pending,
            cause: Cause::None,
            stale: false,
            traced: false,
            tls: false,
            row: 0,
            gtid: None,
            force_primary: false,
            syn_tries: 0,
            app_syns: 0,
            dns_tries: 0,
            alt_tried: false,
            nginx_key: 0,
            hops: Hops::EMPTY,
            cur: Hop::ZERO,
            end: SimTime::ZERO,
        }
    }

    /// Makes a used slot blank again without touching its hop array (the hot path: only the
    /// first `nhops` hops are ever read). Keeps `chain`.
    fn reset(&mut self) {
        let chain = self.chain;
        let Req {
            seq,
            chain: _,
            live,
            kind,
            path,
            client,
            start,
            stage,
            lb,
            server,
            retries,
            redispatched,
            reason,
            holds_conn,
            holds_worker,
            client_done,
            queued_at,
            queue_wait,
            attempt_at,
            sent_at,
            db_at,
            db,
            outcome,
            cause,
            stale,
            traced,
            tls,
            row,
            gtid,
            force_primary,
            syn_tries,
            app_syns,
            dns_tries,
            alt_tried,
            nginx_key,
            hops,
            cur: _,
            end,
        } = self;
        // Listing every field (the pattern above fails to compile if one is added).
        *seq = 0;
        *live = false;
        *kind = ReqKind::Static;
        *path = 0;
        *client = 0;
        *start = SimTime::ZERO;
        *stage = Stage::Done;
        *lb = NONE8;
        *server = NONE8;
        *retries = 0;
        *redispatched = false;
        *reason = None;
        *holds_conn = false;
        *holds_worker = false;
        *client_done = false;
        *queued_at = SimTime::ZERO;
        *queue_wait = 0;
        *attempt_at = SimTime::ZERO;
        *sent_at = SimTime::ZERO;
        *db_at = SimTime::ZERO;
        *db = None;
        *outcome = Outcome::Pending;
        *cause = Cause::None;
        *stale = false;
        *traced = false;
        *tls = false;
        *row = 0;
        *gtid = None;
        *force_primary = false;
        *syn_tries = 0;
        *app_syns = 0;
        *dns_tries = 0;
        *alt_tried = false;
        *nginx_key = 0;
        hops.clear();
        *end = SimTime::ZERO;
        self.chain = chain;
        self.cur = Hop::ZERO;
    }

    /// Writes this finished request into a trace record (copying only the hops it has).
    #[inline]
    fn fill_record(&self, t: &mut Trace, server: Option<NodeId>, client_ip: u32) {
        t.id = self.seq;
        t.kind = self.kind;
        t.path = crate::trace::path_of(self.kind, self.path);
        t.client_ip = client_ip;
        t.start = self.start;
        t.end = self.end;
        t.outcome = self.outcome;
        t.cause = self.cause;
        t.server = server;
        t.reason = self.reason;
        t.retries = self.retries;
        t.redispatched = self.redispatched;
        t.db = self.db;
        t.stale = self.stale;
        t.gtid = self.gtid;
        t.queue_wait_us = self.queue_wait;
        t.tls = self.tls;
        t.traced = self.traced;
        t.hops.copy_from(&self.hops);
    }

    pub fn server_index(&self) -> Option<usize> {
        (self.server != NONE8).then_some(self.server as usize)
    }
}

/// A browser: its own source IP, cookie and DNS cache.
#[derive(Debug, Clone, Copy)]
pub struct Client {
    pub ip: u32,
    /// The server named by its `SERVERID` cookie.
    pub cookie: Option<u8>,
    pub dns_expiry: SimTime,
    /// Which address (load balancer) its cached answer points at.
    pub frontend: u8,
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

/// Sizes of the world's collections (see `World::footprint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Footprint {
    pub request_slots: usize,
    pub queued_events: usize,
    pub traces: usize,
    pub log: usize,
    pub transitions: usize,
    pub series_seconds: usize,
    pub tails: usize,
    pub binlog: usize,
    pub relay: usize,
    pub alerts: usize,
    pub lost_listed: usize,
}

/// Totals over the run.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub created: u64,
    pub ended: u64,
    pub ok: u64,
    /// Ended requests by `STATUS_KEYS`.
    pub by_status: [u64; STATUS_SLOTS],
    pub stale_reads: u64,
    pub queue_waits: Histogram,
    pub latency: Histogram,
    /// TLS handshakes the load balancer did (one per request over HTTPS).
    pub tls_handshakes: u64,
}

/// The keys of `Totals::by_status`, in order.
pub const STATUS_SLOTS: usize = 9;
pub const STATUS_KEYS: [&str; STATUS_SLOTS] = [
    "200", "500", "502", "503", "504", "dns", "refused", "timeout", "other",
];
/// Slots of `by_status` where the user got no HTTP answer at all.
pub const SLOT_REFUSED: usize = 6;
pub const SLOT_TIMEOUT: usize = 7;

fn status_slot(o: Outcome) -> usize {
    match o {
        Outcome::Http(200) => 0,
        Outcome::Http(500) => 1,
        Outcome::Http(502) => 2,
        Outcome::Http(503) => 3,
        Outcome::Http(504) => 4,
        Outcome::DnsError => 5,
        Outcome::Refused => 6,
        Outcome::Timeout => 7,
        _ => 8,
    }
}

/// Resolved settings, in microseconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Config {
    pub(crate) timing: Timing,
    pub(crate) checks: CheckConfig,
    pub(crate) retries: u8,
    pub(crate) redispatch: bool,
    pub(crate) timeout_connect: u64,
    pub(crate) timeout_server: u64,
    pub(crate) timeout_queue: u64,
    pub(crate) cookie: bool,
    pub(crate) allbackups: bool,
    pub(crate) proxy_read_timeout: u64,
    pub(crate) db_timeout: u64,
    pub(crate) client_timeout: u64,
    pub(crate) read_routing: ReadRouting,
    pub(crate) health_checks_db: bool,
    pub(crate) dns_ttl: u64,
}

impl Config {
    // Off the event loop: built where it is called, in the page for size (see lab.rs).
    #[inline]
    fn from(s: &Scenario) -> Config {
        let h = &s.haproxy;
        Config {
            timing: s.timing.resolve(),
            checks: CheckConfig::from_spec(h),
            retries: h.retries.min(100) as u8,
            redispatch: h.redispatch,
            timeout_connect: ms_to_us(h.timeout_connect_ms),
            timeout_server: ms_to_us(h.timeout_server_ms),
            timeout_queue: ms_to_us(h.timeout_queue_ms.unwrap_or(h.timeout_connect_ms)),
            cookie: h.cookie,
            allbackups: h.allbackups,
            proxy_read_timeout: ms_to_us(s.nginx.proxy_read_timeout_ms),
            db_timeout: ms_to_us(s.app.db_timeout_ms),
            client_timeout: ms_to_us(s.traffic.client_timeout_ms),
            read_routing: s.app.read_routing,
            health_checks_db: s.app.health_checks_db,
            dns_ttl: s.dns.ttl_s as u64 * SEC,
        }
    }
}

#[derive(Debug, Clone)]
pub struct World {
    pub scenario: Scenario,
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
    /// Off the event loop: built where it is called, in the page for size (see lab.rs).
    #[inline]
    pub fn new(scenario: &Scenario) -> Result<World, ScenarioError> {
        scenario.validate()?;
        let topo = Topology::build(scenario);
        let cfg = Config::from(scenario);
        let mut rng = SimRng::new(scenario.seed);
        let clients = (0..scenario.traffic.clients)
            .map(|i| Client {
                // Addresses spread over the documentation and CGNAT ranges, stable per seed.
                ip: crate::haproxy::hash32(i.wrapping_mul(2_654_435_761) ^ (scenario.seed as u32)),
                cookie: None,
                dns_expiry: SimTime::ZERO,
                frontend: 0,
                last_write_at: None,
                last_gtid: None,
            })
            .collect();
        let webs: Vec<Web> = topo
            .web_hosts
            .iter()
            .map(|&h| Web {
                host: h,
                nginx: topo.component(h, NodeKind::Nginx).unwrap_or(h),
                app: topo.component(h, NodeKind::App).unwrap_or(h),
                mysql: topo.component(h, NodeKind::Mysql),
                pool: AppPool::new(scenario.app.workers),
            })
            .collect();
        let app_local = webs.iter().map(|w| w.mysql).collect();
        let repl = Replication::new(&topo, app_local, &scenario.mysql);
        let lbs = topo
            .lb_hosts
            .iter()
            .map(|&h| {
                let servers: Vec<Server> = webs
                    .iter()
                    .map(|w| server_from_spec(&topo, w, &scenario.haproxy))
                    .collect();
                let weights: Vec<u32> = servers.iter().map(|s| s.weight).collect();
                let balancer = Balancer::new(
                    scenario.haproxy.balance,
                    scenario.haproxy.hash_type,
                    &weights,
                );
                let haproxy = topo.component(h, NodeKind::Haproxy).unwrap_or(h);
                Lb::new(h, haproxy, topo.node(h).name.clone(), servers, balancer)
            })
            .collect();
        let keepalived = Keepalived::new(scenario.topology.lb_pair, &scenario.keepalived, &topo);
        let security = Security::new(&scenario.topology, &topo);
        let _ = rng.next_u64();
        let mut w = World {
            scenario: scenario.clone(),
            net: Net::new(topo, &cfg.timing),
            cfg,
            now: SimTime::ZERO,
            queue: EventQueue::default(),
            timers: Default::default(),
            rng,
            clients,
            lbs,
            webs,
            repl,
            keepalived,
            security,
            monitor: Monitoring::new(scenario.topology.monitoring, &scenario.monitoring),
            last_sent: None,
            reqs: Vec::new(),
            free: Vec::new(),
            crowd: Crowd::default(),
            epochs: Vec::new(),
            next_seq: 0,
            traffic: Traffic::new(&scenario.traffic),
            totals: Totals::default(),
            series: Series::default(),
            traces: TraceRing::new(TRACE_RING),
            all_traces: None,
            views: true,
            log: LogRing::new(LOG_RING),
            transitions: VecDeque::new(),
            hash: RunHash::default(),
            events: 0,
            last_error_narration: [SimTime::ZERO; 12],
            tails: VecDeque::new(),
            version: 0,
            inline_until: 0,
        };
        w.start();
        Ok(w)
    }

    pub(crate) fn start(&mut self) {
        if self.cfg.checks.kind != CheckKind::None {
            self.start_checks();
        }
        for (i, f) in self.scenario.faults.iter().enumerate() {
            self.queue.push(
                SimTime::from_secs_f64(f.at_s),
                Event::ScheduledFault { index: i as u16 },
            );
        }
        for t in self.traffic.changes() {
            self.queue.push(t, Event::RateChange);
        }
        self.schedule_arrival();
        self.repl.start(&mut cx!(self));
        self.keepalived.start(&mut cx!(self));
        self.security.start(&mut cx!(self));
        self.monitor.start(&mut cx!(self));
        self.queue.push(SimTime(SEC), Event::Tick);
    }

    // ----- public API -------------------------------------------------------------------

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

    /// Which requests rest where many wait, now (`Crowd::settle`).
    fn settle_views(&mut self) {
        if !self.views {
            return;
        }
        let (reqs, followed) = (&self.reqs, self.crowd.followed);
        let nodes = self.net.topo.nodes.len();
        self.crowd.settle(self.now, nodes, |id| {
            let r = &reqs[id as usize];
            Seen {
                hop: r.cur,
                dot: r.traced || followed == Some(r.seq),
                failed: r.client_done && (!r.outcome.is_ok() || r.stale),
            }
        });
    }

    /// How many requests a snapshot visits one by one; the others rest where many wait and
    /// are counted there (`Crowd`).
    pub fn listed(&self) -> usize {
        self.crowd.moving().len()
    }

    /// The request the inspector follows (its id): it stays a dot wherever it waits.
    pub fn follow(&mut self, id: Option<u64>) {
        let reqs = &self.reqs;
        self.crowd.follow(id, |seq| {
            let slot = reqs.iter().position(|r| r.live && r.seq == seq)?;
            Some(slot as u32)
        });
    }

    /// Keeps every finished trace (not just the ring) until `drain_traces` (the CLI's
    /// `--trace`); with the views (`keep_views`), as the records hold the hops.
    pub fn keep_all_traces(&mut self, on: bool) {
        self.all_traces = on.then(Vec::new);
        if on {
            self.views = true;
        }
    }

    /// Whether to keep what only the page shows (on by default): each request's hops (the
    /// dots on the diagram, the inspector's journey), the ring of recent traces, the answers
    /// still being drawn (`tails`) and the per-second latency percentiles of the plots. Off,
    /// the run is the same run: the same events in the same order, every counter, histogram
    /// and alert, the summary and its trace_hash (tests/views.rs); the CLI runs so unless it
    /// writes the trace (`--trace`, `--views`).
    pub fn keep_views(&mut self, on: bool) {
        self.views = on || self.all_traces.is_some();
        if !self.views {
            self.crowd.clear();
        }
    }

    pub fn drain_traces(&mut self) -> Vec<Trace> {
        self.all_traces
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// One request by its id (the inspector): still under way (its outcome
    /// `Pending` until the user has the answer, its hops so far with the one in progress
    /// last), or among the finished ones the trace ring keeps.
    pub fn journey(&self, id: u64) -> Option<Trace> {
        let Some(r) = self.requests().find(|r| r.seq == id) else {
            return self.traces.find(id).copied();
        };
        let mut t = Trace::BLANK;
        let server = r
            .server_index()
            .and_then(|s| self.webs.get(s))
            .map(|w| w.host);
        r.fill_record(&mut t, server, self.clients[r.client as usize].ip);
        if !r.client_done {
            t.outcome = Outcome::Pending;
        }
        if t.hops.last() != Some(&r.cur) && r.cur.t1 > SimTime::ZERO {
            t.hops.push_or_replace_last(r.cur);
        }
        Some(t)
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

    /// Checks the bookkeeping that must always hold (sled's simulation guide): every
    /// connection slot, worker and queue place belongs to a live request that holds it, and
    /// every request is either ended or still under way. Returns what is wrong.
    pub fn check_invariants(&self) -> Result<(), String> {
        if self.views {
            // Every live request is listed or rests somewhere, once.
            for (i, r) in self.reqs.iter().enumerate() {
                if r.live != self.crowd.holds(i as u32) {
                    return Err(format!(
                        "request {}: live {} but crowd says otherwise",
                        r.seq, r.live
                    ));
                }
            }
        }
        let t = &self.totals;
        let open = self
            .reqs
            .iter()
            .filter(|r| r.live && !r.client_done)
            .count() as u64;
        if t.created != t.ended + open {
            return Err(format!(
                "created {} != ended {} + open {}",
                t.created, t.ended, open
            ));
        }
        for (li, lb) in self.lbs.iter().enumerate() {
            for (si, s) in lb.servers.iter().enumerate() {
                let holding = self
                    .reqs
                    .iter()
                    .filter(|r| {
                        r.live && r.holds_conn && r.lb as usize == li && r.server as usize == si
                    })
                    .count() as u32;
                if holding != s.scur {
                    return Err(format!(
                        "{}: scur {} but {holding} requests hold a slot",
                        s.name, s.scur
                    ));
                }
                for &id in &s.queue {
                    let r = &self.reqs[id as usize];
                    if !r.live || r.stage != Stage::LbQueue {
                        return Err(format!(
                            "{}: queued request {} is not waiting",
                            s.name, r.seq
                        ));
                    }
                }
            }
            for &id in &lb.queue {
                let r = &self.reqs[id as usize];
                if !r.live || r.stage != Stage::LbQueue {
                    return Err(format!(
                        "backend queue holds request {} that is not waiting",
                        r.seq
                    ));
                }
            }
        }
        for (wi, w) in self.webs.iter().enumerate() {
            let holding = self
                .reqs
                .iter()
                .filter(|r| r.live && r.holds_worker && r.server as usize == wi)
                .count() as u32;
            if holding != w.pool.busy {
                return Err(format!(
                    "web {wi}: {} busy workers but {holding} requests hold one",
                    w.pool.busy
                ));
            }
            let mut last_key = 0;
            for &id in &w.pool.backlog {
                let r = &self.reqs[id as usize];
                if !r.live || r.stage != Stage::AppBacklog {
                    return Err(format!(
                        "web {wi}: backlog holds request {} that is not waiting",
                        r.seq
                    ));
                }
                // Nginx's timers left to the backlog's watch: in order, and watched.
                if r.nginx_key != 0 {
                    if r.nginx_key < last_key {
                        return Err(format!("web {wi}: request {}'s timer out of order", r.seq));
                    }
                    if last_key == 0 && w.pool.watch.is_none_or(|k| k > r.nginx_key) {
                        return Err(format!("web {wi}: request {}'s timer unwatched", r.seq));
                    }
                    last_key = r.nginx_key;
                }
            }
        }
        Ok(())
    }

    /// The sizes of everything that could grow with time (they must stay flat however long the run).
    pub fn footprint(&self) -> Footprint {
        Footprint {
            request_slots: self.reqs.len(),
            queued_events: self.queue.len() + self.timers.iter().map(|l| l.len()).sum::<usize>(),
            traces: self.traces.len(),
            log: self.log.len(),
            transitions: self.transitions.len(),
            series_seconds: self.series.seconds().count(),
            tails: self.tails.len(),
            binlog: self.repl.longest_logs().0,
            relay: self.repl.longest_logs().1,
            alerts: self.monitor.alerts.len(),
            lost_listed: self.repl.lost.len(),
        }
    }

    /// Lends its request slots out (a checkpoint copies the rest of the world without them).
    pub(crate) fn lend_slots(&mut self) -> Vec<Req> {
        std::mem::take(&mut self.reqs)
    }

    /// Takes `slots` as its request slots, and gives back the ones it had.
    pub(crate) fn swap_slots(&mut self, slots: Vec<Req>) -> Vec<Req> {
        std::mem::replace(&mut self.reqs, slots)
    }

    /// The request slab's size (what a copy of the world costs, mostly).
    pub fn request_slots(&self) -> usize {
        self.reqs.len()
    }

    /// Requests under way (not yet answered) and slab slots still in use.
    pub fn open_requests(&self) -> (u64, usize) {
        let t = &self.totals;
        (
            t.created - t.ended,
            self.reqs.iter().filter(|r| r.live).count(),
        )
    }

    // ----- the event loop ---------------------------------------------------------------

    #[inline]
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
            Event::ScheduledFault { index } => {
                let f = self.scenario.faults[index as usize].clone();
                // Validation refused any target or fault this topology cannot take.
                let _ = self.apply_fault(&f.target, f.fault);
            }
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

    /// Sets request `id`'s `timer`, due at `at`: on its kind's lane (one delay for all).
    #[inline(always)]
    pub(crate) fn set_timer(&mut self, id: u32, timer: Timer, at: SimTime) {
        let epoch = self.epochs[id as usize].stamp();
        let epochs = &self.epochs;
        self.queue.push_timer(
            &mut self.timers[timer as usize],
            at,
            (id, epoch),
            |wake| match wake {
                true => Event::Wake { timer },
                false => Event::Timer { id, epoch, timer },
            },
            |&(id, e)| epochs[id as usize].is_current(e),
        );
    }

    #[inline]
    pub(crate) fn push_step(&mut self, at: SimTime, id: u32, step: Step) {
        let chain = self.reqs[id as usize].chain.stamp();
        *self.queue.place(at) = Event::Req { id, chain, step };
    }

    /// Invalidates a request's pending chain event. A Nginx timer not queued (left to the
    /// chain event or the backlog's watch) is queued now.
    pub(crate) fn cut_chain(&mut self, id: u32) {
        self.reqs[id as usize].chain.bump();
        self.queue_nginx_timer(id);
    }

    /// Queues the request's Nginx timer if it is not queued, with the place in the queue's
    /// order it was given when Nginx handed the request over: it comes out where it would
    /// have had it been queued then.
    pub(crate) fn queue_nginx_timer(&mut self, id: u32) {
        let r = &mut self.reqs[id as usize];
        if r.nginx_key != 0 {
            let key = r.nginx_key;
            r.nginx_key = 0;
            let epoch = self.epochs[id as usize].stamp();
            let timer = Timer::Nginx;
            self.queue.push_key(key, Event::Timer { id, epoch, timer });
        }
    }

    /// A request with Nginx timer `key` starts on a worker that is done at `done`. Without a
    /// database to ask, the app's answer ends Nginx's wait: a timer due after it can only
    /// matter if that answer is called off, so it is queued only then (`cut_chain`). Else
    /// it is queued now.
    fn nginx_timer(&mut self, id: u32, key: u128, done: SimTime) {
        self.reqs[id as usize].nginx_key = key;
        if done >= crate::queue::time_of(key) || self.scenario.app.queries_db {
            self.queue_nginx_timer(id);
        }
    }

    /// Web `w`'s backlog watch event came (`AppPool::watch_came`): the watch is queued again
    /// for the next timer, then the one it was queued for runs if its request still waits
    /// there. In that order, as a queue would have it: what the timer schedules now comes after
    /// a timer due now that was set before it.
    fn on_watch(&mut self, w: usize) {
        let reqs = &self.reqs;
        let came = self.webs[w]
            .pool
            .watch_came(|id| reqs[id as usize].nginx_key);
        if let Some(key) = came.next {
            self.queue_watch(w, key);
        }
        if let Some(id) = came.due {
            self.reqs[id as usize].nginx_key = 0;
            self.on_timer(id, Timer::Nginx);
        }
    }

    /// Queues web `w`'s backlog watch for the Nginx timer with `key`.
    fn queue_watch(&mut self, w: usize, key: u128) {
        self.queue.push_key(key, Event::Watch { web: w as u8 });
    }

    // ----- traffic -----------------------------------------------------------------------

    pub(crate) fn schedule_arrival(&mut self) {
        match self.traffic.next_arrival(self.now, &mut self.rng) {
            // The queue's single slot: one arrival pending at a time, the next replacing it.
            Some((at, stamp)) => *self.queue.place_single(at) = Event::Arrival { stamp },
            None => self.queue.cancel_single(),
        }
    }

    pub(crate) fn on_arrival(&mut self) {
        self.schedule_arrival();
        let a = self.traffic.draw(self.clients.len() as u32, &mut self.rng);
        self.launch(a.client, a.kind, a.path, false);
    }

    /// Sends one request by hand (the page's "send one request"); returns its trace id.
    pub fn send_one(&mut self, kind: ReqKind) -> u64 {
        let client = self.rng.below(self.clients.len() as u32);
        let path = self.rng.below(3) as u8;
        let id = self.launch(client, kind, path, true);
        let seq = self.reqs[id as usize].seq;
        self.last_sent = Some(seq);
        seq
    }

    pub(crate) fn alloc(&mut self) -> u32 {
        if let Some(id) = self.free.pop() {
            return id;
        }
        self.reqs.push(Req::blank());
        self.epochs.push(Epoch::default());
        (self.reqs.len() - 1) as u32
    }

    pub(crate) fn launch(&mut self, client: u32, kind: ReqKind, path: u8, traced: bool) -> u32 {
        let id = self.alloc();
        let now = self.now;
        self.next_seq += 1;
        self.totals.created += 1;
        let tls = self.scenario.topology.https && !self.net.topo.lb_hosts.is_empty();
        {
            let r = &mut self.reqs[id as usize];
            r.reset();
            r.seq = self.next_seq;
            r.live = true;
            r.kind = kind;
            r.path = path;
            r.client = client;
            r.start = now;
            r.traced = traced;
            r.tls = tls;
            r.row = (client as usize % ROWS) as u16;
        }
        if self.clients[client as usize].dns_expiry > now {
            self.send_to_frontend(id);
        } else {
            self.resolve(id);
        }
        id
    }

    pub(crate) fn hop(&mut self, id: u32, from: NodeId, to: NodeId, t0: SimTime, t1: SimTime) {
        if !self.views {
            return;
        }
        let r = &mut self.reqs[id as usize];
        let h = Hop { from, to, t0, t1 };
        r.cur = h;
        r.hops.push(h);
        self.crowd.list(id);
    }

    // ----- DNS --------------------------------------------------------------------------

    /// The resolver sends one UDP query for www.foobar.com. While it is under way the
    /// request's `attempt_at` is when the query was sent and `sent_at` when it reaches the DNS
    /// server (both are HAProxy's and Nginx's later).
    pub(crate) fn resolve(&mut self, id: u32) {
        let now = self.now;
        let (users, dns) = (self.net.topo.users, self.net.topo.dns);
        let r = &mut self.reqs[id as usize];
        r.stage = Stage::Dns;
        r.dns_tries += 1;
        r.attempt_at = now;
        match self.net.connect(&mut self.rng, users, dns) {
            Conn::Ok(lat) => {
                self.reqs[id as usize].sent_at = now + lat;
                self.hop(id, users, dns, now, now + lat);
                let back = now + 2 * lat;
                self.hop(id, dns, users, now + lat, back);
                self.push_step(back, id, Step::DnsAnswer);
            }
            Conn::Refused(lat) => {
                // The host's kernel is up but no DNS server listens: ICMP port unreachable,
                // and the resolver gives up at once (no second attempt).
                self.hop(id, users, dns, now, now + lat);
                self.hop(id, dns, users, now + lat, now + 2 * lat);
                self.push_step(now + 2 * lat, id, Step::DnsRefused);
            }
            Conn::Dropped => {
                self.hop(id, users, dns, now, now + RESOLVER_TIMEOUT_US);
                self.push_step(now + RESOLVER_TIMEOUT_US, id, Step::DnsTimeout);
            }
        }
    }

    /// The resolver's wait for the query sent at `attempt_at` ends unanswered.
    fn dns_timeout_from(&mut self, id: u32) {
        let t = (self.reqs[id as usize].attempt_at + RESOLVER_TIMEOUT_US).max(self.now);
        self.push_step(t, id, Step::DnsTimeout);
    }

    // ----- users → frontend -------------------------------------------------------------

    /// The front the request is going to (or went to): a load balancer, or web-01 without.
    #[inline(always)]
    pub(crate) fn frontend_of(&self, id: u32) -> (NodeId, NodeId, Option<usize>) {
        let r = &self.reqs[id as usize];
        if self.lbs.is_empty() {
            let w = &self.webs[0];
            return (w.host, w.nginx, None);
        }
        let lb = if r.lb != NONE8 {
            r.lb as usize
        } else {
            self.pick_frontend(r.client).unwrap_or(0)
        };
        (self.lbs[lb].host, self.lbs[lb].haproxy, Some(lb))
    }

    /// Which load balancer a client's packets reach: the one its cached A record names (two
    /// active LBs), the floating IP's holder (a keepalived pair), or lb-01. `None`: nobody
    /// holds the floating IP.
    fn pick_frontend(&self, client: u32) -> Option<usize> {
        match self.scenario.topology.lb_pair {
            crate::scenario::LbPair::ActivePassive if self.lbs.len() == 2 => {
                self.keepalived.vip_holder()
            }
            crate::scenario::LbPair::ActiveActive => {
                let c = &self.clients[client as usize];
                Some((c.frontend as usize).min(self.lbs.len() - 1))
            }
            _ => Some(0),
        }
    }

    pub(crate) fn send_to_frontend(&mut self, id: u32) {
        let now = self.now;
        let users = self.net.topo.users;
        let client = self.reqs[id as usize].client;
        let chosen = if self.lbs.is_empty() {
            Some(0)
        } else {
            self.pick_frontend(client)
        };
        if let Some(lb) = chosen.filter(|_| !self.lbs.is_empty()) {
            if self.reqs[id as usize].alt_tried {
                // Already refused by one address: the browser's second try goes elsewhere.
                let r = &mut self.reqs[id as usize];
                r.lb = ((r.lb as usize + 1) % self.lbs.len()) as u8;
            } else {
                self.reqs[id as usize].lb = lb as u8;
            }
        }
        let (_, fe, _) = self.frontend_of(id);
        self.reqs[id as usize].stage = Stage::ToFrontend;
        let conn = if chosen.is_none() {
            Conn::Dropped
        } else {
            self.net.connect(&mut self.rng, users, fe)
        };
        if let Conn::Ok(_) = conn {
            let r = &self.reqs[id as usize];
            let (kind, path, tls) = (r.kind, crate::trace::path_of(r.kind, r.path), r.tls);
            self.security.eavesdrop(kind, path, tls);
        }
        match conn {
            Conn::Ok(lat) => {
                let mut t = now;
                if self.reqs[id as usize].tls {
                    // The TLS handshake costs a round trip before the request.
                    self.hop(id, users, fe, t, t + lat);
                    self.hop(id, fe, users, t + lat, t + 2 * lat);
                    t = t + 2 * lat;
                    self.totals.tls_handshakes += 1;
                }
                self.hop(id, users, fe, t, t + lat);
                if self.may_run_now(t + lat) {
                    // No latency to the front (the M/M/c model): the step the queue would
                    // run next, run now. This is the last thing every caller does.
                    self.events += 1;
                    self.at_frontend(id);
                } else {
                    self.push_step(t + lat, id, Step::AtFrontend);
                }
            }
            Conn::Refused(lat) => {
                self.hop(id, users, fe, now, now + lat);
                self.push_step(now + 2 * lat, id, Step::FrontendRefused);
            }
            Conn::Dropped => {
                // No SYN-ACK: the browser's TCP resends the SYN after 1, 2, 4 … s, and gives
                // up at its own timeout.
                let r = &mut self.reqs[id as usize];
                let wait = SEC << r.syn_tries.min(6);
                r.syn_tries += 1;
                let give_up = r.start + self.cfg.client_timeout;
                let again = now + wait;
                if again < give_up {
                    self.hop(id, users, fe, now, again);
                    self.push_step(again, id, Step::SynRetry);
                } else {
                    self.hop(id, users, fe, now, give_up.max(now));
                    self.client_gives_up(id);
                }
            }
        }
    }

    // ----- request steps ----------------------------------------------------------------

    // Its one caller is the event loop: inlined there (as LLVM did by itself until the loop
    // grew), one call fewer on every step.
    #[inline(always)]
    pub(crate) fn on_step(&mut self, id: u32, step: Step) {
        let now = self.now;
        match step {
            Step::DnsAnswer if self.net.path_broken(self.net.topo.users, self.net.topo.dns) => {
                // The answer was lost on the way: the resolver waits out its timer.
                self.dns_timeout_from(id);
            }
            Step::DnsAnswer => {
                let c = self.reqs[id as usize].client as usize;
                let n_fe = self.lbs.len().max(1) as u32;
                // Several A records (two active LBs): resolvers hand them out in turn.
                let fe = if n_fe > 1 {
                    (self.next_seq % n_fe as u64) as u8
                } else {
                    0
                };
                self.clients[c].dns_expiry = now + self.cfg.dns_ttl;
                self.clients[c].frontend = fe;
                self.send_to_frontend(id);
            }
            Step::DnsRefused => self.end(id, now, Outcome::DnsError, Cause::DnsRefused),
            Step::DnsTimeout if self.reqs[id as usize].dns_tries < RESOLVER_ATTEMPTS => {
                self.resolve(id)
            }
            Step::DnsTimeout => self.end(id, now, Outcome::DnsError, Cause::DnsUnreachable),
            Step::FrontendRefused => {
                // With two A records, a browser tries the other address after a refusal.
                let r = &self.reqs[id as usize];
                if self.scenario.topology.lb_pair == crate::scenario::LbPair::ActiveActive
                    && self.lbs.len() > 1
                    && !r.alt_tried
                {
                    self.reqs[id as usize].alt_tried = true;
                    self.send_to_frontend(id);
                } else {
                    self.end(id, now, Outcome::Refused, Cause::LbRefused)
                }
            }
            Step::SynRetry => self.send_to_frontend(id),
            Step::AppSynRetry => self.app_syn_retry(id),
            Step::ClientGiveUp => self.end(id, now, Outcome::Timeout, Cause::LbUnreachable),
            Step::AtFrontend => self.at_frontend(id),
            Step::AtServer => self.at_server(id),
            Step::ConnRefused => self.connect_failed(id, false),
            Step::ConnTimeout => self.connect_failed(id, true),
            Step::Retry => self.retry(id),
            Step::AppCpuDone if self.scenario.app.queries_db => self.app_query(id),
            Step::AppCpuDone => {
                // A page that needs no database: the app answers at once.
                let (app, nginx) = (
                    self.webs[self.web_of(id)].app,
                    self.webs[self.web_of(id)].nginx,
                );
                self.app_release(id);
                let lat = self.cfg.timing.loopback_us;
                let now = self.now;
                self.hop(id, app, nginx, now, now + lat);
                self.respond_from_server(id, nginx, Outcome::Http(200), Cause::None, lat);
            }
            Step::DbReply { error } => self.db_reply(id, error),
            Step::DbTimeout => self.db_reply(id, Some(Cause::DbTimeout)),
            Step::DbCommit => self.db_commit(id),
            Step::RywTimeout => {
                // WAIT_FOR_EXECUTED_GTID_SET timed out: read from the primary instead.
                if let Some(db) = self.reqs[id as usize].db {
                    self.repl.forget_reader(db, id);
                }
                self.reqs[id as usize].force_primary = true;
                self.app_query(id);
            }
            Step::NginxTimeout => {
                let nginx = self.webs[self.web_of(id)].nginx;
                self.respond_from_server(id, nginx, Outcome::Http(504), Cause::AppTimeout, 0);
            }
            Step::RespAtLb => self.resp_at_lb(id),
        }
    }

    /// The earliest timer on `timer`'s lane is due (about once per delay: nearly every timer
    /// is dropped dead before).
    #[inline(never)]
    fn on_wake(&mut self, timer: Timer) {
        let epochs = &self.epochs;
        let lane = &mut self.timers[timer as usize];
        let live = |&(id, e): &(u32, Stamp)| epochs[id as usize].is_current(e);
        if let Some((id, _)) = self.queue.wake_timer(lane, Event::Wake { timer }, live) {
            self.on_timer(id, timer);
        }
    }

    pub(crate) fn on_timer(&mut self, id: u32, timer: Timer) {
        let now = self.now;
        match timer {
            Timer::Server => {
                let r = &self.reqs[id as usize];
                if !r.holds_conn || r.client_done {
                    return;
                }
                let (lb, srv) = (r.lb as usize, r.server as usize);
                self.lbs[lb].servers[srv].stats.eresp += 1;
                self.release_conn(id);
                self.observe(lb, srv, true, true);
                let lat = self.internet_back(id);
                self.finish(id, now + lat, Outcome::Http(504), Cause::ServerTimeout);
                // The server side may still be working on it; it is dropped when it answers.
                match self.reqs[id as usize].stage {
                    Stage::Stalled => self.release(id),
                    // Nginx sees HAProxy close the connection and stops connecting to the app.
                    Stage::AppSyn => self.stall(id),
                    _ => {}
                }
            }
            Timer::Queue => {
                if self.reqs[id as usize].stage != Stage::LbQueue {
                    return;
                }
                let lb = self.reqs[id as usize].lb as usize;
                self.lbs[lb].unqueue(id);
                self.reqs[id as usize].queue_wait += now - self.reqs[id as usize].queued_at;
                self.lb_answers(id, Outcome::Http(503), Cause::QueueTimeout);
            }
            Timer::Nginx => {
                let r = &self.reqs[id as usize];
                if r.client_done || !matches!(r.stage, Stage::AppBacklog | Stage::App | Stage::Db) {
                    return;
                }
                // Nginx gives up on the app and answers 504; the app's worker carries on and
                // its late answer is dropped.
                let lb = (r.lb != NONE8).then_some(r.lb as usize);
                let srv = self.web_of(id);
                let back = self.internet_back(id);
                match lb {
                    Some(lb) => {
                        self.lbs[lb].servers[srv].count_answer(504);
                        self.release_conn(id);
                        self.observe(lb, srv, true, true);
                        let lan = self.cfg.timing.lan_us;
                        self.finish(id, now + lan + back, Outcome::Http(504), Cause::AppTimeout);
                    }
                    None => self.finish(id, now + back, Outcome::Http(504), Cause::AppTimeout),
                }
            }
        }
    }

    #[cfg_attr(not(target_family = "wasm"), inline)]
    pub(crate) fn web_of(&self, id: u32) -> usize {
        let s = self.reqs[id as usize].server;
        if s == NONE8 {
            0
        } else {
            s as usize
        }
    }

    /// One-way latency for the LB's answer to reach the user.
    #[cfg_attr(not(target_family = "wasm"), inline)]
    pub(crate) fn internet_back(&mut self, id: u32) -> u64 {
        let (fe_host, _, _) = self.frontend_of(id);
        self.net
            .one_way(&mut self.rng, self.net.topo.users, fe_host)
    }

    // Inlined into its two callers (the queue's step and the step run at once).
    #[inline(always)]
    pub(crate) fn at_frontend(&mut self, id: u32) {
        let now = self.now;
        let (fe_host, fe, lb) = self.frontend_of(id);
        let st = self.effective_state(fe);
        if st.crashed || st.draining {
            let lat = self.internet_back(id);
            self.end(id, now + lat, Outcome::Refused, Cause::LbRefused);
            return;
        }
        if st.partitioned || self.net.path_broken(self.net.topo.users, fe_host) {
            self.client_gives_up(id);
            return;
        }
        match lb {
            None => {
                // One server, no load balancer: Nginx itself is the front.
                self.reqs[id as usize].server = 0;
                self.reqs[id as usize].sent_at = now;
                self.nginx_handle(id);
            }
            Some(lb) => self.haproxy_dispatch(id, lb),
        }
    }

    // ----- HAProxy -----------------------------------------------------------------------

    pub(crate) fn haproxy_dispatch(&mut self, id: u32, lb: usize) {
        let client = self.reqs[id as usize].client as usize;
        // Cookie persistence: the server named by the cookie, if it can still take it.
        if self.cfg.cookie {
            if let Some(s) = self.clients[client]
                .cookie
                .and_then(|s| self.lbs[lb].by_cookie(s))
            {
                self.reqs[id as usize].reason = Some(Reason::Cookie);
                self.assign_or_queue(id, lb, s);
                return;
            }
        }
        let ip = self.clients[client].ip;
        let pick = self.lbs[lb].pick(ip, self.cfg.allbackups, None, &mut self.rng);
        match pick {
            Pick::Server { index, reason } => {
                self.reqs[id as usize].reason = Some(reason);
                self.assign_or_queue(id, lb, index);
            }
            Pick::AllFull => {
                // Every server at maxconn: wait in the backend queue.
                self.lbs[lb].queue_in_backend(id);
                self.enqueued(id);
            }
            Pick::NoServer => {
                if self.log_gap_ok(3) {
                    let name = self.lbs[lb].name.clone();
                    self.log
                        .push(self.now, LogEvent::NoServerAvailable { lb: name });
                }
                self.lb_answers(id, Outcome::Http(503), Cause::NoServer);
            }
        }
    }

    pub(crate) fn enqueued(&mut self, id: u32) {
        let now = self.now;
        let r = &mut self.reqs[id as usize];
        r.stage = Stage::LbQueue;
        r.queued_at = now;
        self.set_timer(id, Timer::Queue, now + self.cfg.timeout_queue);
        self.version += 1;
    }

    pub(crate) fn assign_or_queue(&mut self, id: u32, lb: usize, srv: usize) {
        match self.lbs[lb].admit(id, srv) {
            Admit::Slot => {
                self.holds_slot(id, srv);
                self.connect_server(id);
            }
            Admit::Queued => {
                self.reqs[id as usize].server = srv as u8;
                self.enqueued(id);
            }
            Admit::QueueFull => self.lb_answers(id, Outcome::Http(503), Cause::QueueTimeout),
        }
    }

    /// The request holds a slot its load balancer gave it on `srv`.
    #[inline]
    fn holds_slot(&mut self, id: u32, srv: usize) {
        let r = &mut self.reqs[id as usize];
        r.server = srv as u8;
        r.holds_conn = true;
    }

    pub(crate) fn release_conn(&mut self, id: u32) {
        let r = &mut self.reqs[id as usize];
        if !r.holds_conn {
            return;
        }
        r.holds_conn = false;
        let (lb, srv) = (r.lb as usize, r.server as usize);
        if let Some(next) = self.lbs[lb].release_slot(srv) {
            self.leaves_queue(next, lb, srv);
        }
    }

    /// A queued request got a slot on `srv`: it connects now.
    fn leaves_queue(&mut self, id: u32, lb: usize, srv: usize) {
        let now = self.now;
        let r = &mut self.reqs[id as usize];
        r.queue_wait += now - r.queued_at;
        if r.reason.is_none() {
            r.reason = Some(self.lbs[lb].reason());
        }
        self.holds_slot(id, srv);
        self.connect_server(id);
    }

    /// HAProxy answers the user itself (503 …).
    pub(crate) fn lb_answers(&mut self, id: u32, outcome: Outcome, cause: Cause) {
        let lat = self.internet_back(id);
        let lb = self.reqs[id as usize].lb as usize;
        let users = self.net.topo.users;
        let haproxy = self.lbs[lb].haproxy;
        let now = self.now;
        self.hop(id, haproxy, users, now, now + lat);
        self.end(id, now + lat, outcome, cause);
    }

    pub(crate) fn connect_server(&mut self, id: u32) {
        let now = self.now;
        let (lb, srv) = (
            self.reqs[id as usize].lb as usize,
            self.reqs[id as usize].server as usize,
        );
        let (lb_host, haproxy) = (self.lbs[lb].host, self.lbs[lb].haproxy);
        let nginx = self.lbs[lb].servers[srv].nginx;
        {
            let r = &mut self.reqs[id as usize];
            r.stage = Stage::Connect;
            r.attempt_at = now;
        }
        match self.net.connect(&mut self.rng, lb_host, nginx) {
            Conn::Ok(lat) => {
                self.hop(id, haproxy, nginx, now, now + lat);
                self.push_step(now + lat, id, Step::AtServer);
            }
            Conn::Refused(lat) => {
                self.hop(id, haproxy, nginx, now, now + lat);
                self.hop(id, nginx, haproxy, now + lat, now + 2 * lat);
                self.push_step(now + 2 * lat, id, Step::ConnRefused);
            }
            Conn::Dropped => {
                let t = now + self.cfg.timeout_connect;
                self.hop(id, haproxy, nginx, now, t);
                self.push_step(t, id, Step::ConnTimeout);
            }
        }
    }

    pub(crate) fn at_server(&mut self, id: u32) {
        let now = self.now;
        let r = &self.reqs[id as usize];
        let (lb, srv) = (r.lb as usize, r.server as usize);
        let (lb_host, haproxy) = (self.lbs[lb].host, self.lbs[lb].haproxy);
        let server = &self.lbs[lb].servers[srv];
        let (host, nginx) = (server.host, server.nginx);
        // The path or the server may have broken while the packet flew.
        let st = self.effective_state(nginx);
        if st.partitioned || self.net.path_broken(lb_host, host) {
            let t = (r.attempt_at + self.cfg.timeout_connect).max(now);
            self.push_step(t, id, Step::ConnTimeout);
            return;
        }
        if st.crashed || st.draining {
            let lat = self.cfg.timing.lan_us;
            self.hop(id, nginx, haproxy, now, now + lat);
            self.push_step(now + lat, id, Step::ConnRefused);
            return;
        }
        self.observe(lb, srv, false, false);
        let r = &mut self.reqs[id as usize];
        r.sent_at = now;
        self.set_timer(id, Timer::Server, now + self.cfg.timeout_server);
        self.nginx_handle(id);
    }

    /// A connection attempt to a server failed: refused, or (`timed_out`) no answer before
    /// `timeout connect`. As HAProxy 3.2 does it (backend.c `back_handle_st_cer`, stream.h
    /// `stream_choose_redispatch`): with `option redispatch` a retry goes to another server
    /// at once when this one is DOWN, on the last retry, or whenever the request is not held
    /// by a cookie, more than one server is active and the algorithm is not a hash; otherwise
    /// it retries the same server, after the turn-around timer min(`timeout connect`, 1 s)
    /// when the connection failed with an error (not after a timeout).
    pub(crate) fn connect_failed(&mut self, id: u32, timed_out: bool) {
        let r = &self.reqs[id as usize];
        let (lb, srv, retries, direct) = (
            r.lb as usize,
            r.server as usize,
            r.retries,
            r.reason == Some(Reason::Cookie),
        );
        self.observe(lb, srv, true, false);
        if retries >= self.cfg.retries {
            self.lbs[lb].servers[srv].stats.econ += 1;
            self.release_conn(id);
            self.lb_answers(id, Outcome::Http(503), Cause::ConnectFailed);
            return;
        }
        self.reqs[id as usize].retries += 1;
        let last_retry = retries + 1 == self.cfg.retries;
        let redispatch =
            self.cfg.redispatch && self.lbs[lb].retries_elsewhere(srv, last_retry, direct);
        if redispatch && self.redispatch(id, lb, srv) {
            self.connect_server(id);
            return;
        }
        self.lbs[lb].servers[srv].stats.wretr += 1;
        self.reqs[id as usize].stage = Stage::RetryWait;
        let wait = if timed_out {
            0
        } else {
            self.cfg.timeout_connect.min(SEC)
        };
        self.push_step(self.now + wait, id, Step::Retry);
    }

    /// Moves a request to another server chosen by the algorithm; false if there is none.
    fn redispatch(&mut self, id: u32, lb: usize, srv: usize) -> bool {
        let ip = self.clients[self.reqs[id as usize].client as usize].ip;
        let pick = self.lbs[lb].pick(ip, self.cfg.allbackups, Some(srv), &mut self.rng);
        let Pick::Server { index, .. } = pick else {
            return false;
        };
        self.release_conn(id);
        self.lbs[lb].redispatch(srv, index);
        self.holds_slot(id, index);
        let r = &mut self.reqs[id as usize];
        r.redispatched = true;
        r.reason = Some(Reason::Redispatch);
        true
    }

    pub(crate) fn retry(&mut self, id: u32) {
        self.connect_server(id);
    }

    /// Passive health checks (`observe`): `error` says whether this was an error at the
    /// observed layer; `layer7` whether it was an HTTP response.
    pub(crate) fn observe(&mut self, lb: usize, srv: usize, error: bool, layer7: bool) {
        // Every answer passes here: most designs watch nothing, and leave at once.
        if !self.cfg.checks.watches(error, layer7) {
            return;
        }
        self.observe_watched(lb, srv, error, layer7);
    }

    #[inline(never)]
    fn observe_watched(&mut self, lb: usize, srv: usize, error: bool, layer7: bool) {
        let cfg = self.cfg.checks;
        let Some(change) = self.lbs[lb].observe(srv, error, layer7, &cfg, &mut cx!(self)) else {
            return;
        };
        self.on_health_change(lb, srv, change);
        self.lbs[lb].servers[srv]
            .check
            .hurry(lb, srv, &cfg.timers, &mut cx!(self));
    }

    pub(crate) fn resp_at_lb(&mut self, id: u32) {
        let now = self.now;
        let r = &self.reqs[id as usize];
        let (lb, srv) = (r.lb as usize, r.server as usize);
        let lb_host = self.lbs[lb].host;
        let host = self.lbs[lb].servers[srv].host;
        if r.client_done {
            // HAProxy already answered (504) and closed; this late answer is dropped.
            self.release(id);
            return;
        }
        let lb_state = self.effective_state(self.lbs[lb].haproxy);
        if lb_state.crashed || lb_state.partitioned || self.net.path_broken(host, lb_host) {
            // Lost on the way; `timeout server` (or the LB's own fate) decides.
            self.stall(id);
            return;
        }
        let outcome = r.outcome;
        let code = match outcome {
            Outcome::Http(c) => c,
            _ => 502,
        };
        self.lbs[lb].servers[srv].count_answer(code);
        if srv < MAX_BACKENDS {
            self.series.at(now.0).served_by[srv] += 1;
        }
        self.observe(lb, srv, matches!(code, 500 | 502 | 503 | 504), true);
        self.release_conn(id);
        if self.cfg.cookie {
            let c = self.reqs[id as usize].client as usize;
            self.clients[c].cookie = Some(srv as u8);
        }
        let cause = self.reqs[id as usize].cause;
        self.lb_answers(id, outcome, cause);
    }

    // ----- Nginx and the app ------------------------------------------------------------

    pub(crate) fn nginx_handle(&mut self, id: u32) {
        let w = self.web_of(id);
        let nginx = self.webs[w].nginx;
        self.reqs[id as usize].stage = Stage::Nginx;
        if self.reqs[id as usize].kind == ReqKind::Static {
            // Nginx serves the file itself; the answer leaves when it is read. Until then the
            // request is still at Nginx (a crash meanwhile still resets it).
            let t = (self.cfg.timing.static_us as f64 * self.net.slow_of(nginx)) as u64;
            self.respond_from_server(id, nginx, Outcome::Http(200), Cause::None, t);
            if self.reqs[id as usize].stage == Stage::RespToLb {
                self.reqs[id as usize].stage = Stage::Nginx;
            }
            return;
        }
        self.connect_app(id, w);
    }

    /// Nginx connects to the app for a dynamic request (again, after a dropped SYN).
    fn connect_app(&mut self, id: u32, w: usize) {
        let now = self.now;
        let (host, nginx, app) = (self.webs[w].host, self.webs[w].nginx, self.webs[w].app);
        match self.net.connect(&mut self.rng, host, app) {
            Conn::Ok(lat) => match self.webs[w].pool.accept(id) {
                Accept::BacklogFull => self.app_syn_dropped(id),
                accept => {
                    self.hop(id, nginx, app, now, now + lat);
                    self.app_accept(id, w, now + lat, accept);
                }
            },
            Conn::Dropped if self.reqs[id as usize].stage == Stage::AppSyn => {
                self.app_syn_dropped(id)
            }
            Conn::Refused(lat) => {
                self.hop(id, nginx, app, now, now + lat);
                self.hop(id, app, nginx, now + lat, now + 2 * lat);
                self.respond_from_server(id, nginx, Outcome::Http(502), Cause::AppDown, 2 * lat);
            }
            Conn::Dropped => {
                self.reqs[id as usize].stage = Stage::App;
                let t = now + self.cfg.proxy_read_timeout;
                self.push_step(t, id, Step::NginxTimeout);
            }
        }
    }

    /// Linux drops a SYN to a listener whose backlog is full; Nginx's TCP resends it after 1,
    /// 2, 4 … s, and Nginx gives up at `proxy_connect_timeout`.
    fn app_syn_dropped(&mut self, id: u32) {
        let now = self.now;
        let r = &mut self.reqs[id as usize];
        if r.stage != Stage::AppSyn {
            r.stage = Stage::AppSyn;
            // Until it has a place in the backlog, when Nginx first tried.
            r.queued_at = now;
            r.app_syns = 0;
        }
        let again = now + (SEC << r.app_syns.min(6));
        r.app_syns = r.app_syns.saturating_add(1);
        let give_up = r.queued_at + NGINX_CONNECT_TIMEOUT_US;
        self.push_step(again.min(give_up), id, Step::AppSynRetry);
    }

    fn app_syn_retry(&mut self, id: u32) {
        let r = &self.reqs[id as usize];
        if r.client_done {
            // The user has their answer: Nginx closed this connection attempt with it.
            self.stall(id);
        } else if self.now >= r.queued_at + NGINX_CONNECT_TIMEOUT_US {
            let nginx = self.webs[self.web_of(id)].nginx;
            self.respond_from_server(id, nginx, Outcome::Http(504), Cause::AppTimeout, 0);
        } else {
            self.connect_app(id, self.web_of(id));
        }
    }

    /// The app took the connection (`accept`: a worker or a backlog place).
    pub(crate) fn app_accept(&mut self, id: u32, w: usize, at: SimTime, accept: Accept) {
        // Nginx's proxy_read_timeout runs from when it hands the request over. Behind HAProxy
        // with a shorter `timeout server`, HAProxy always answers first: no timer needed.
        // Its place in the queue's order is taken now, where the timer is set, whenever it
        // is queued (see `nginx_timer`, `on_watch`).
        let behind_lb = self.reqs[id as usize].lb != NONE8;
        let key = if !behind_lb || self.cfg.proxy_read_timeout < self.cfg.timeout_server {
            self.queue.take_key(at + self.cfg.proxy_read_timeout)
        } else {
            0
        };
        if accept == Accept::Worker {
            self.reqs[id as usize].holds_worker = true;
            let done = self.app_work(id, w, at);
            if key != 0 {
                self.nginx_timer(id, key, done);
            }
        } else {
            let r = &mut self.reqs[id as usize];
            r.stage = Stage::AppBacklog;
            r.queued_at = at;
            self.version += 1;
            if key != 0 {
                // Left to the backlog's watch while the timers' keys rise in backlog order.
                r.nginx_key = key;
                match self.webs[w].pool.watch_timer(key) {
                    BacklogTimer::QueueNow => self.queue_nginx_timer(id),
                    BacklogTimer::Watched => {}
                    BacklogTimer::ArmWatch => self.queue_watch(w, key),
                }
            }
        }
    }

    /// The app's worker starts on the request; returns when it will be done.
    pub(crate) fn app_work(&mut self, id: u32, w: usize, at: SimTime) -> SimTime {
        let mean = self.cfg.timing.app_us as f64 * self.net.slow_of(self.webs[w].app);
        let t = self.rng.exp_us(mean);
        self.reqs[id as usize].stage = Stage::App;
        self.totals
            .queue_waits
            .record(self.reqs[id as usize].queue_wait);
        self.push_step(at + t, id, Step::AppCpuDone);
        at + t
    }

    /// The app frees a worker: the next request in its backlog starts.
    pub(crate) fn app_release(&mut self, id: u32) {
        let r = &mut self.reqs[id as usize];
        if !r.holds_worker {
            return;
        }
        r.holds_worker = false;
        let w = self.web_of(id);
        self.webs[w].pool.free_worker();
        self.take_from_backlog(w);
    }

    /// Free workers take the requests waiting in the app's backlog, oldest first.
    fn take_from_backlog(&mut self, w: usize) {
        let now = self.now;
        while let Some(next) = self.webs[w].pool.take_next() {
            let r = &mut self.reqs[next as usize];
            r.holds_worker = true;
            r.queue_wait += now - r.queued_at;
            let key = r.nginx_key;
            let done = self.app_work(next, w, now);
            if key != 0 {
                // Its timer leaves the backlog's watch with it.
                self.nginx_timer(next, key, done);
            }
        }
    }

    /// Which MySQL the app sends this query to: writes to the primary it knows;
    /// reads as `read_routing` says, or to the primary for a while after the user's own write
    /// (read-your-writes).
    pub(crate) fn route_query(&self, id: u32, w: usize) -> Option<usize> {
        let r = &self.reqs[id as usize];
        let writer = self.repl.app_write.get(w).copied().flatten();
        let local = self.webs[w].mysql.and_then(|m| self.repl.index_of(m));
        if r.kind == ReqKind::Write
            && self.scenario.app.writes_to == crate::scenario::WritesTo::Local
        {
            // A misconfigured app: it writes to the MySQL on its own host, whatever it is.
            return local.or(writer);
        }
        if r.kind == ReqKind::Write || r.force_primary {
            return writer;
        }
        if self.scenario.app.read_your_writes == crate::scenario::ReadYourWrites::PrimaryWindow {
            let window = ms_to_us(self.scenario.app.ryw_window_ms);
            let c = &self.clients[r.client as usize];
            if c.last_write_at.is_some_and(|t| self.now - t < window) {
                return writer;
            }
        }
        // The app's read pool: the replicas the failover manager lists (not an old primary).
        // Without a local replica, the user's reads stick to one replica.
        let some_replica = || self.repl.sticky_replica(r.client);
        match self.cfg.read_routing {
            ReadRouting::Primary => writer,
            ReadRouting::Local => local.or_else(some_replica).or(writer),
            ReadRouting::Replica => {
                match local.filter(|&i| self.repl.dbs[i].role == DbRole::Replica) {
                    Some(i) => Some(i),
                    None => some_replica().or(writer),
                }
            }
        }
    }

    pub(crate) fn app_query(&mut self, id: u32) {
        // The database was switched on since the app took it: Nginx waits on, timed.
        self.queue_nginx_timer(id);
        let now = self.now;
        let w = self.web_of(id);
        let (host, app) = (self.webs[w].host, self.webs[w].app);
        let Some(d) = self.route_query(id, w) else {
            self.db_reply(id, Some(Cause::DbDown));
            return;
        };
        let db = self.repl.dbs[d].node;
        {
            let r = &mut self.reqs[id as usize];
            r.stage = Stage::Db;
            r.db = Some(db);
            r.db_at = now;
        }
        let write = self.reqs[id as usize].kind == ReqKind::Write;
        match self.net.connect(&mut self.rng, host, db) {
            Conn::Ok(lat) => {
                self.hop(id, app, db, now, now + lat);
                if write && self.repl.dbs[d].read_only {
                    // ERROR 1290 (HY000): The MySQL server is running with the --read-only
                    // option so it cannot execute this statement.
                    self.hop(id, db, app, now + lat, now + 2 * lat);
                    self.push_step(
                        now + 2 * lat,
                        id,
                        Step::DbReply {
                            error: Some(Cause::ReadOnly),
                        },
                    );
                    return;
                }
                if write {
                    let svc = (self.cfg.timing.db_write_us as f64 * self.net.slow_of(db)) as u64;
                    self.push_step(now + lat + svc, id, Step::DbCommit);
                    return;
                }
                // Read-your-writes by GTID: wait on the replica until it has the user's write.
                let r = &self.reqs[id as usize];
                let wait_for = self.clients[r.client as usize].last_gtid;
                if self.scenario.app.read_your_writes == crate::scenario::ReadYourWrites::WaitGtid
                    && !r.force_primary
                    && wait_for
                        .is_some_and(|g| self.repl.wait_for_gtid(d, (id, r.chain.stamp()), g))
                {
                    let t = now + lat + ms_to_us(self.scenario.app.ryw_window_ms);
                    self.push_step(t, id, Step::RywTimeout);
                    return;
                }
                self.read_at(id, d, now + lat);
            }
            Conn::Refused(lat) => {
                self.hop(id, app, db, now, now + lat);
                self.hop(id, db, app, now + lat, now + 2 * lat);
                self.push_step(
                    now + 2 * lat,
                    id,
                    Step::DbReply {
                        error: Some(Cause::DbDown),
                    },
                );
            }
            Conn::Dropped => {
                let t = now + self.cfg.db_timeout;
                self.hop(id, app, db, now, t);
                self.push_step(t, id, Step::DbTimeout);
            }
        }
    }

    /// The replica has what the user waited for: the read runs now.
    pub(crate) fn read_now(&mut self, id: u32, d: usize) {
        self.cut_chain(id);
        let now = self.now;
        self.read_at(id, d, now);
    }

    /// A read runs on server `d` at `at`: stale if it sees an older version of the row than
    /// the primary holds.
    fn read_at(&mut self, id: u32, d: usize, at: SimTime) {
        let db = self.repl.dbs[d].node;
        let w = self.web_of(id);
        let app = self.webs[w].app;
        let lat = at - self.reqs[id as usize].db_at.min(at);
        let lat = if lat == 0 {
            self.cfg.timing.loopback_us.min(self.cfg.timing.lan_us)
        } else {
            lat
        };
        let row = self.reqs[id as usize].row as usize;
        let stale = self.repl.read_is_stale(&self.net, self.now, d, row);
        self.reqs[id as usize].stale = stale;
        let svc = (self.cfg.timing.db_read_us as f64 * self.net.slow_of(db)) as u64;
        let t = at + svc + lat;
        self.hop(id, db, app, at + svc, t);
        self.push_step(t, id, Step::DbReply { error: None });
    }

    /// The write's transaction commits on the primary; the app is told once it may be.
    fn db_commit(&mut self, id: u32) {
        let Some(db) = self.reqs[id as usize].db else {
            return;
        };
        let Some(d) = self.repl.index_of(db) else {
            return;
        };
        // Its refusals travel back to the app like any answer.
        let app_host = self.webs[self.web_of(id)].host;
        let lat = self
            .net
            .one_way(&mut self.rng, self.net.topo.host_of(db), app_host);
        let st = self.effective_state(db);
        if st.crashed {
            // It died before the commit: nothing is written.
            self.push_step(
                self.now + lat,
                id,
                Step::DbReply {
                    error: Some(Cause::DbDown),
                },
            );
            return;
        }
        if self.repl.dbs[d].read_only {
            self.push_step(
                self.now + lat,
                id,
                Step::DbReply {
                    error: Some(Cause::ReadOnly),
                },
            );
            return;
        }
        if self.commit_write(d, id) {
            self.db_answer_write(id);
        }
        // Else it waits for a semi-sync ack (`resume_from_repl` answers it).
    }

    /// A write request's transaction commits on primary `db`. Returns true when the client
    /// may be told OK now.
    fn commit_write(&mut self, db: usize, id: u32) -> bool {
        let (row, seq, chain) = {
            let r = &self.reqs[id as usize];
            (r.row, r.seq, r.chain.stamp())
        };
        let commit = self.repl.commit(db, row, seq, (id, chain), &mut cx!(self));
        self.reqs[id as usize].gtid = commit.gtid;
        if let Some(g) = commit.gtid {
            let c = self.reqs[id as usize].client as usize;
            self.clients[c].last_gtid = Some(g);
            self.clients[c].last_write_at = Some(self.now);
        }
        commit.acked
    }

    /// The primary answers "OK" to the app for a committed write.
    pub(crate) fn db_answer_write(&mut self, id: u32) {
        let now = self.now;
        let Some(db) = self.reqs[id as usize].db else {
            return;
        };
        let w = self.web_of(id);
        let (host, app) = (self.webs[w].host, self.webs[w].app);
        let lat = self
            .net
            .one_way(&mut self.rng, self.net.topo.host_of(db), host);
        self.cut_chain(id);
        self.hop(id, db, app, now, now + lat);
        self.push_step(now + lat, id, Step::DbReply { error: None });
    }

    pub(crate) fn db_reply(&mut self, id: u32, error: Option<Cause>) {
        let w = self.web_of(id);
        let (host, app, nginx) = (self.webs[w].host, self.webs[w].app, self.webs[w].nginx);
        if error.is_none() {
            // The answer may have been lost on its way back.
            if let Some(db) = self.reqs[id as usize].db {
                if self.net.path_broken(self.net.topo.host_of(db), host) {
                    let t = (self.reqs[id as usize].db_at + self.cfg.db_timeout).max(self.now);
                    self.push_step(t, id, Step::DbTimeout);
                    return;
                }
            }
        }
        self.app_release(id);
        let lat = self.cfg.timing.loopback_us;
        let now = self.now;
        self.hop(id, app, nginx, now, now + lat);
        match error {
            None => self.respond_from_server(id, nginx, Outcome::Http(200), Cause::None, lat),
            Some(cause) => {
                if self.reqs[id as usize].kind == ReqKind::Write && self.log_gap_ok(10) {
                    let ev = LogEvent::WritesFailing {
                        read_only: cause == Cause::ReadOnly,
                        writable: self.repl.writable(&self.net) as u32,
                    };
                    self.log.push(now, ev);
                }
                self.respond_from_server(id, nginx, Outcome::Http(500), cause, lat)
            }
        }
    }

    /// The web host's answer leaves Nginx for the load balancer (or the user, without one).
    pub(crate) fn respond_from_server(
        &mut self,
        id: u32,
        nginx: NodeId,
        outcome: Outcome,
        cause: Cause,
        delay: u64,
    ) {
        let now = self.now;
        let start = now + delay;
        {
            let r = &mut self.reqs[id as usize];
            r.outcome = outcome;
            r.cause = cause;
        }
        let r = &self.reqs[id as usize];
        let (lb, client_done) = (r.lb, r.client_done);
        if lb == NONE8 {
            if client_done {
                self.release(id);
                return;
            }
            let users = self.net.topo.users;
            let host = self.webs[0].host;
            if self.net.path_broken(host, users) {
                self.client_gives_up(id);
                return;
            }
            let lat = self.internet_back(id);
            self.hop(id, nginx, users, start, start + lat);
            self.end(id, start + lat, outcome, cause);
            return;
        }
        let lb = lb as usize;
        let (haproxy, lb_host) = (self.lbs[lb].haproxy, self.lbs[lb].host);
        let host = self.net.topo.host_of(nginx);
        let lat = self.net.one_way(&mut self.rng, host, lb_host);
        self.reqs[id as usize].stage = Stage::RespToLb;
        self.hop(id, nginx, haproxy, start, start + lat);
        self.push_step(start + lat, id, Step::RespAtLb);
    }

    // ----- ends -------------------------------------------------------------------------

    /// The user has their answer at `at` (now, or when the last hop lands). Every request
    /// ends here exactly once.
    pub(crate) fn finish(&mut self, id: u32, at: SimTime, outcome: Outcome, cause: Cause) {
        let now = self.now;
        let r = &mut self.reqs[id as usize];
        debug_assert!(!r.client_done, "request {} ended twice", r.seq);
        if r.client_done {
            return;
        }
        r.client_done = true;
        r.outcome = outcome;
        r.cause = cause;
        r.end = at;
        let latency = at - r.start;
        let slot = status_slot(outcome);
        let t = &mut self.totals;
        t.ended += 1;
        t.by_status[slot] += 1;
        let ok = outcome.is_ok();
        if ok {
            t.ok += 1;
        }
        if r.stale {
            t.stale_reads += 1;
        }
        t.latency.record(latency);
        let h = &mut self.hash;
        h.mix(r.seq);
        h.mix(at.0);
        h.mix(
            slot as u64
                | (r.server as u64) << 8
                | (r.retries as u64) << 16
                | (r.stale as u64) << 24,
        );
        h.mix(r.db.map_or(0xFFFF, |d| d.0 as u64));
        let sec = self.series.at(at.0);
        sec.requests += 1;
        match outcome {
            Outcome::Http(200..=399) => sec.ok += 1,
            Outcome::Http(500) => sec.status_500 += 1,
            Outcome::Http(502) => sec.status_502 += 1,
            Outcome::Http(503) => sec.status_503 += 1,
            Outcome::Http(504) => sec.status_504 += 1,
            _ => sec.no_answer += 1,
        }
        if r.stale {
            sec.stale_reads += 1;
        }
        if self.views {
            self.series.record_latency(at.0, latency);
        }
        if !ok && self.log_gap_ok(slot) {
            let r = &self.reqs[id as usize];
            let name = |n: NodeId| self.net.topo.node(n).name.clone();
            let server = r.server_index().and_then(|s| self.webs.get(s));
            let ev = LogEvent::UsersSeeErrors {
                outcome,
                cause,
                server: server.map(|w| name(w.host)),
                // The MySQL the query went to (the primary for a write, wherever it runs).
                database: r.db.map(name),
            };
            self.log.push(now, ev);
        }
        self.version += 1;
        if !self.views {
            return;
        }
        if !ok || self.reqs[id as usize].stale {
            self.crowd.failed(id);
        }
        let r = &self.reqs[id as usize];
        if r.cur.t1 > now {
            self.tails.push_back((r.cur, r.kind, outcome, r.seq));
        }
        while self.tails.front().is_some_and(|(h, ..)| h.t1 < now) {
            self.tails.pop_front();
        }
        // The record is written in place in the ring (no copy of a whole record).
        let server = r
            .server_index()
            .and_then(|s| self.webs.get(s))
            .map(|w| w.host);
        let client_ip = self.clients[r.client as usize].ip;
        let slot = self.traces.next_slot();
        r.fill_record(slot, server, client_ip);
        if let Some(all) = &mut self.all_traces {
            all.push(*slot);
        }
    }

    /// The user has their answer and nothing else is under way for this request.
    pub(crate) fn end(&mut self, id: u32, at: SimTime, outcome: Outcome, cause: Cause) {
        self.finish(id, at, outcome, cause);
        self.release(id);
    }

    /// The answer cannot reach the user: nothing happens on the request's chain until the
    /// browser gives up at its own timeout, counted from when it sent the request.
    pub(crate) fn client_gives_up(&mut self, id: u32) {
        let give_up = (self.reqs[id as usize].start + self.cfg.client_timeout).max(self.now);
        self.reqs[id as usize].stage = Stage::Stalled;
        self.push_step(give_up, id, Step::ClientGiveUp);
    }

    /// Nothing more will happen on this request's chain; a timer (or nothing) decides.
    pub(crate) fn stall(&mut self, id: u32) {
        self.cut_chain(id);
        self.reqs[id as usize].stage = Stage::Stalled;
        if self.reqs[id as usize].client_done {
            self.release(id);
        }
    }

    /// Frees a request's slot and everything it held.
    pub(crate) fn release(&mut self, id: u32) {
        self.release_conn(id);
        self.app_release(id);
        let r = &mut self.reqs[id as usize];
        if !r.live {
            return;
        }
        r.live = false;
        r.stage = Stage::Done;
        self.epochs[id as usize].bump();
        r.chain.bump();
        if self.views {
            self.crowd.forget(id);
        }
        // Its timers are now dead: each is dropped from its lane when it reaches the front.
        self.free.push(id);
    }

    pub(crate) fn log_gap_ok(&mut self, slot: usize) -> bool {
        let last = self.last_error_narration[slot];
        if last == SimTime::ZERO || last + ERROR_NARRATION_GAP_US <= self.now {
            self.last_error_narration[slot] = self.now.max(SimTime(1));
            true
        } else {
            false
        }
    }

    // ----- health checks ----------------------------------------------------------------

    /// Every server's first check, staggered over one interval from now.
    fn start_checks(&mut self) {
        let timers = self.cfg.checks.timers;
        for lb in 0..self.lbs.len() {
            self.lbs[lb].start_checks(lb, &timers, &mut cx!(self));
        }
    }

    /// A health check's event goes to its load balancer's HAProxy, unless a later check
    /// replaced it.
    #[inline(never)]
    fn on_check(&mut self, ev: CheckEvent) {
        let cfg = self.cfg.checks;
        match ev {
            CheckEvent::Start { lb, srv, stamp } => {
                let (lb, srv) = (lb as usize, srv as usize);
                if self.lbs[lb].servers[srv].check.is_current(stamp) {
                    let target = self.check_target(srv);
                    self.lbs[lb].check_start(lb, srv, &target, &cfg, &mut cx!(self));
                }
            }
            CheckEvent::Done {
                lb,
                srv,
                stamp,
                status,
                started,
            } => {
                let (lb, srv) = (lb as usize, srv as usize);
                if self.lbs[lb].servers[srv].check.is_current(stamp) {
                    let change = self.lbs[lb].check_done(srv, status, started, &mut cx!(self));
                    self.on_health_change(lb, srv, change);
                    self.lbs[lb].servers[srv].check.schedule_next(
                        lb,
                        srv,
                        &cfg.timers,
                        &mut cx!(self),
                    );
                }
            }
        }
    }

    /// What a check of web host `w` meets behind Nginx now: its app, whether the app is
    /// saturated, and the MySQL its handler connects to (the host's own, or the primary).
    fn check_target(&self, w: usize) -> CheckTarget {
        let web = &self.webs[w];
        let db = (self.cfg.health_checks_db)
            .then(|| self.repl.handler_db(web.mysql))
            .flatten();
        CheckTarget {
            app: web.app,
            app_saturated: web.pool.saturated(),
            db,
        }
    }

    /// What follows for the requests when a server goes DOWN or comes back UP.
    pub(crate) fn on_health_change(&mut self, lb: usize, srv: usize, change: HealthChange) {
        match change {
            HealthChange::WentDown => self.server_went_down(lb, srv),
            // A server back UP takes from the backend queue.
            HealthChange::WentUp => self.drain_backend_queue(lb),
            _ => {}
        }
    }

    /// Requests queued on a server that goes DOWN move to others only with `redispatch`;
    /// otherwise they stay until `timeout queue`.
    pub(crate) fn server_went_down(&mut self, lb: usize, srv: usize) {
        let (active, backup) = self.lbs[lb].servers_left();
        if active + backup == 0 {
            // No server left: everything waiting fails now (503).
            for id in self.lbs[lb].take_all_queued() {
                let r = &mut self.reqs[id as usize];
                r.queue_wait += self.now - r.queued_at;
                self.lb_answers(id, Outcome::Http(503), Cause::NoServer);
            }
            return;
        }
        if !self.cfg.redispatch {
            return;
        }
        self.lbs[lb].requeue_in_backend(srv);
        self.drain_backend_queue(lb);
    }

    pub(crate) fn drain_backend_queue(&mut self, lb: usize) {
        for (id, srv) in self.lbs[lb].serve_backend_queue() {
            self.leaves_queue(id, lb, srv);
        }
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

    // ----- faults ------------------------------------------------------------------------

    /// Applies a fault to a node or link by name. Errors say what was wrong.
    pub fn apply_fault(&mut self, target: &str, fault: FaultKind) -> Result<(), ActionError> {
        fault.check("")?;
        if let Some(node) = self.net.topo.node_by_name(target) {
            return self.fault_node(node, fault);
        }
        if let Some(link) = self.net.topo.link_by_name(target) {
            return self.fault_link(link, fault);
        }
        Err(ActionError::UnknownTarget {
            name: target.to_string(),
        })
    }

    pub(crate) fn fault_node(&mut self, node: NodeId, fault: FaultKind) -> Result<(), ActionError> {
        let name = self.net.topo.node(node).name.clone();
        let before = self.net.node(node);
        let web = self.webs.iter().position(|w| w.host == node);
        let dns = node == self.net.topo.dns;
        let change = match fault {
            FaultKind::Crash => {
                self.net.set_node(
                    node,
                    NodeState {
                        crashed: true,
                        ..before
                    },
                );
                self.on_node_lost(node, false);
                if dns {
                    FaultChange::DnsCrashed
                } else {
                    FaultChange::Crashed
                }
            }
            FaultKind::Partition => {
                self.net.set_node(
                    node,
                    NodeState {
                        partitioned: true,
                        ..before
                    },
                );
                self.on_node_lost(node, true);
                if dns {
                    FaultChange::DnsCutOff
                } else {
                    FaultChange::CutOff
                }
            }
            FaultKind::Drain => {
                if let Some(w) = web {
                    self.set_admin(w, AdminState::Drain);
                    FaultChange::Draining
                } else {
                    self.net.set_node(
                        node,
                        NodeState {
                            draining: true,
                            ..before
                        },
                    );
                    FaultChange::Stopping
                }
            }
            FaultKind::Slow { factor } => {
                self.net.set_node(
                    node,
                    NodeState {
                        slow: factor,
                        ..before
                    },
                );
                FaultChange::Slowed { factor }
            }
            FaultKind::Loss { .. } => return Err(ActionError::LossOnNode),
            FaultKind::Restore => {
                self.net.set_node(node, NodeState::default());
                if let Some(w) = web {
                    if self
                        .lbs
                        .iter()
                        .any(|l| l.servers[w].admin != AdminState::Ready)
                    {
                        self.set_admin(w, AdminState::Ready);
                    }
                }
                self.on_node_restored(node);
                FaultChange::Restored
            }
        };
        let after = self.net.node(node);
        self.fault_done(
            name,
            change,
            before.condition().as_str(),
            after.condition().as_str(),
        );
        Ok(())
    }

    /// Narrates a fault and records the state change it made.
    fn fault_done(&mut self, target: String, change: FaultChange, before: &str, after: &str) {
        if before != after {
            self.transition(&target, "state", before.into(), after.into());
        }
        self.log.push(self.now, LogEvent::Fault { target, change });
        self.version += 1;
    }

    pub(crate) fn fault_link(&mut self, link: LinkId, fault: FaultKind) -> Result<(), ActionError> {
        let name = self.net.topo.link(link).name.clone();
        let before = self.net.link(link);
        let mut l = before;
        let change = match fault {
            FaultKind::Crash | FaultKind::Partition => {
                l.partitioned = true;
                FaultChange::LinkCut
            }
            FaultKind::Slow { factor } => {
                l.slow = factor;
                FaultChange::LinkSlowed { factor }
            }
            FaultKind::Loss { rate } => {
                l.loss = rate;
                FaultChange::LinkLossy { rate }
            }
            FaultKind::Drain => return Err(ActionError::DrainOnLink),
            FaultKind::Restore => {
                l = LinkState::default();
                FaultChange::LinkRepaired
            }
        };
        self.net.set_link(link, l);
        let after = self.net.link(link);
        // Messages in flight over a cut link are lost when they land (`path_broken`); requests
        // resting on a host behind it lose their answer there, and HAProxy's timers decide.
        self.fault_done(
            name,
            change,
            before.condition().as_str(),
            after.condition().as_str(),
        );
        Ok(())
    }

    /// HAProxy `set server web/<name> weight <w>` on every load balancer.
    pub fn set_weight(&mut self, web: usize, weight: u32) {
        for lb in 0..self.lbs.len() {
            self.lbs[lb].servers[web].weight = weight.min(256);
        }
        let server = self.net.topo.node(self.webs[web].host).name.clone();
        self.log
            .push(self.now, LogEvent::WeightSet { server, weight });
        self.version += 1;
    }

    pub fn set_rate(&mut self, rate: f64) {
        self.traffic.set_rate(rate);
        self.scenario.traffic.rate = rate;
        self.schedule_arrival();
        self.version += 1;
    }

    pub fn add_burst(&mut self, factor: f64, duration_s: f64) {
        let start = self.now;
        let end = start + SimTime::from_secs_f64(duration_s).0;
        self.traffic.add_burst(start, end, factor);
        self.queue.push(start, Event::RateChange);
        self.queue.push(end, Event::RateChange);
        self.log
            .push(self.now, LogEvent::FlashCrowd { factor, duration_s });
    }

    /// Takes new settings live: HAProxy's algorithm, checks and timeouts, the app's workers
    /// and routing, MySQL's replication settings, the teaching latencies. The topology
    /// cannot change this way (that is a new world).
    // Off the event loop: built where it is called, in the page for size (see lab.rs).
    #[inline]
    pub fn reconfigure(&mut self, s: Scenario, part: SettingsPart) -> Result<(), ActionError> {
        s.validate()?;
        if s.topology != self.scenario.topology {
            return Err(ActionError::TopologyChange);
        }
        let old_check = self.cfg.checks.kind;
        self.cfg = Config::from(&s);
        let mut more_workers = false;
        for web in &mut self.webs {
            more_workers |= web.pool.set_workers(s.app.workers);
        }
        self.net.set_timing(&self.cfg.timing);
        self.keepalived.configure(&s.keepalived);
        self.monitor.configure(&s.monitoring);
        self.repl.configure(&s.mysql);
        self.traffic.configure(&s.traffic);
        for lb in 0..self.lbs.len() {
            self.lbs[lb].set_balance(s.haproxy.balance, s.haproxy.hash_type);
            for w in 0..self.webs.len() {
                let fresh = server_from_spec(&self.net.topo, &self.webs[w], &s.haproxy);
                let srv = &mut self.lbs[lb].servers[w];
                srv.backup = fresh.backup;
                srv.maxconn = fresh.maxconn;
                srv.maxqueue = fresh.maxqueue;
                srv.checked = fresh.checked;
                if s.haproxy.servers.iter().any(|x| x.name == srv.name) {
                    srv.weight = fresh.weight;
                }
                srv.check.set_rise_fall(s.haproxy.rise, s.haproxy.fall);
            }
        }
        let checks_now = self.cfg.checks.kind;
        if old_check == CheckKind::None && checks_now != CheckKind::None {
            self.start_checks();
        } else if checks_now == CheckKind::None {
            // No checks: servers are assumed UP, as HAProxy does without `check`.
            for lb in 0..self.lbs.len() {
                for srv in 0..self.lbs[lb].servers.len() {
                    if let Some(change) = self.lbs[lb].checks_off(srv, &mut cx!(self)) {
                        self.on_health_change(lb, srv, change);
                    }
                }
            }
        }
        self.scenario = s;
        if more_workers {
            for w in 0..self.webs.len() {
                self.take_from_backlog(w);
            }
        }
        self.schedule_arrival();
        self.log.push(self.now, LogEvent::SettingsChanged { part });
        self.version += 1;
        Ok(())
    }

    /// HAProxy `set server web/<name> state ready|drain|maint` on every load balancer.
    pub fn set_admin(&mut self, web: usize, state: AdminState) {
        for lb in 0..self.lbs.len() {
            let s = &mut self.lbs[lb].servers[web];
            if s.admin == state {
                continue;
            }
            let leaving_maint = s.admin == AdminState::Maint;
            s.admin = state;
            s.lastchg = self.now;
            let recheck = leaving_maint && s.checked;
            if recheck {
                // Out of MAINT: "start OK but check immediately" (health at rise).
                s.check.health = Health::new(s.check.health.rise, s.check.health.fall);
            }
            let name = s.name.clone();
            if recheck {
                let now = self.now;
                self.lbs[lb].servers[web]
                    .check
                    .schedule(lb, web, now, &mut cx!(self));
            }
            let lb_name = self.lbs[lb].name.clone();
            self.log.push(
                self.now,
                LogEvent::AdminState {
                    lb: lb_name,
                    server: name,
                    state,
                },
            );
            let status = self.lbs[lb].servers[web].check.status;
            self.lbs[lb].record_change(web, HealthChange::None, status, 0, &mut cx!(self));
            if state == AdminState::Ready {
                self.drain_backend_queue(lb);
            } else if state == AdminState::Maint {
                // MAINT sends queued requests elsewhere.
                self.lbs[lb].requeue_in_backend(web);
                self.drain_backend_queue(lb);
            }
        }
        self.version += 1;
    }

    pub(crate) fn on_node_restored(&mut self, node: NodeId) {
        for lb in 0..self.lbs.len() {
            let host = self.lbs[lb].host;
            if node == host || self.net.topo.host_of(node) == host {
                self.keepalived.on_restored(lb, &mut cx!(self));
            }
        }
        self.repl.on_node_restored(node, &mut cx!(self));
        // An app server comes back with the idle pool its crash left (on_node_lost).
    }

    /// Does `node` (a host or component) cover `target`?
    pub(crate) fn covers(&self, node: NodeId, target: NodeId) -> bool {
        node == target || self.net.topo.host_of(target) == node
    }

    /// A node crashed (`partition` false) or was cut off (`true`): every request that was
    /// resting on it reacts as the real peers would.
    pub(crate) fn on_node_lost(&mut self, node: NodeId, partition: bool) {
        let now = self.now;
        let ids: Vec<u32> = (0..self.reqs.len() as u32)
            .filter(|&i| self.reqs[i as usize].live)
            .collect();
        for id in ids {
            let r = &self.reqs[id as usize];
            if !r.live {
                continue;
            }
            let (stage, start, client_done, db) = (r.stage, r.start, r.client_done, r.db);
            let lb = (r.lb != NONE8).then_some(r.lb as usize);
            let w = r.server_index();
            // The load balancer the request is on.
            if let Some(lb) = lb {
                let (lb_host, haproxy) = (self.lbs[lb].host, self.lbs[lb].haproxy);
                if (node == lb_host || node == haproxy) && !client_done {
                    if matches!(stage, Stage::LbQueue) {
                        self.lbs[lb].unqueue(id);
                    }
                    let server_side = matches!(
                        stage,
                        Stage::Nginx
                            | Stage::AppSyn
                            | Stage::AppBacklog
                            | Stage::App
                            | Stage::Db
                            | Stage::RespToLb
                    );
                    if partition {
                        let give_up = (start + self.cfg.client_timeout).max(now);
                        self.finish_later(
                            id,
                            give_up,
                            Outcome::Timeout,
                            Cause::LbUnreachable,
                            server_side,
                        );
                    } else {
                        let lat = self.internet_back(id);
                        self.finish_later(
                            id,
                            now + lat,
                            Outcome::Refused,
                            Cause::LbReset,
                            server_side,
                        );
                    }
                    continue;
                }
            }
            if stage == Stage::Dns && self.covers(node, self.net.topo.dns) {
                let r = &self.reqs[id as usize];
                let (sent, arrives) = (r.attempt_at, r.sent_at);
                if partition {
                    // The query, or the answer on its way back, vanishes.
                    self.cut_chain(id);
                    self.dns_timeout_from(id);
                } else if now < arrives {
                    // The query reaches a dead port: ICMP port unreachable comes back.
                    self.cut_chain(id);
                    let back = arrives + (arrives - sent);
                    self.push_step(back, id, Step::DnsRefused);
                }
                // Otherwise the answer left before the crash and still arrives.
                continue;
            }
            let Some(w) = w else { continue };
            let web = &self.webs[w];
            let (host, nginx, app) = (web.host, web.nginx, web.app);
            let at_server = matches!(
                stage,
                Stage::Nginx | Stage::AppSyn | Stage::AppBacklog | Stage::App | Stage::Db
            );
            if !at_server {
                continue;
            }
            if client_done && (self.covers(node, app) || self.covers(node, nginx)) {
                // The user already has an answer (HAProxy's 504): only the work dies.
                self.drop_server_side(id, w);
                self.release(id);
                continue;
            }
            if client_done {
                // Only its database matters now (below): the app must hear of it to free its
                // worker.
            } else if self.covers(node, nginx) {
                // The whole web server is gone with the request on it.
                self.drop_server_side(id, w);
                if partition {
                    self.stall(id);
                    if lb.is_none() {
                        self.client_gives_up(id);
                    }
                } else if let Some(lb) = lb {
                    // HAProxy sees the connection reset: 502 to the user.
                    self.lbs[lb].servers[w].stats.eresp += 1;
                    self.release_conn(id);
                    self.observe(lb, w, true, true);
                    let lat = self.cfg.timing.lan_us + self.internet_back(id);
                    self.end(id, now + lat, Outcome::Http(502), Cause::ServerReset);
                } else {
                    let lat = self.internet_back(id);
                    self.end(id, now + lat, Outcome::Refused, Cause::ServerReset);
                }
                continue;
            }
            if node == app && matches!(stage, Stage::AppBacklog | Stage::App | Stage::Db) {
                self.drop_server_side(id, w);
                if partition {
                    // Nginx waits for the hung app until proxy_read_timeout.
                    self.reqs[id as usize].stage = Stage::App;
                    let t = (self.reqs[id as usize].sent_at + self.cfg.proxy_read_timeout).max(now);
                    self.push_step(t, id, Step::NginxTimeout);
                } else {
                    let lat = self.cfg.timing.loopback_us;
                    self.respond_from_server(id, nginx, Outcome::Http(502), Cause::AppDown, lat);
                }
                continue;
            }
            if stage == Stage::Db {
                if let Some(db) = db {
                    if self.covers(node, db) && host != node {
                        self.cut_chain(id);
                        if partition {
                            let t = (self.reqs[id as usize].db_at + self.cfg.db_timeout).max(now);
                            self.push_step(t, id, Step::DbTimeout);
                        } else {
                            let lat = self.cfg.timing.lan_us;
                            self.push_step(
                                now + lat,
                                id,
                                Step::DbReply {
                                    error: Some(Cause::DbDown),
                                },
                            );
                        }
                    }
                }
            }
        }
        // A crashed app loses its workers and backlog (handled per request above).
        for w in 0..self.webs.len() {
            if self.covers(node, self.webs[w].app) && !partition {
                self.webs[w].pool.crash();
            }
        }
        self.repl.on_node_lost(node, !partition, &mut cx!(self));
    }

    /// The server side of a request is gone: its worker, backlog place and chain.
    pub(crate) fn drop_server_side(&mut self, id: u32, w: usize) {
        self.cut_chain(id);
        if self.reqs[id as usize].stage == Stage::AppBacklog {
            self.webs[w].pool.leave_backlog(id);
        }
        // The worker dies with the app; no successor is started from a dead app.
        let r = &mut self.reqs[id as usize];
        if r.holds_worker {
            r.holds_worker = false;
            self.webs[w].pool.free_worker();
        }
    }

    /// The user's answer is decided now but arrives at `at`; the server side, if it is still
    /// working, carries on and is dropped when it answers.
    pub(crate) fn finish_later(
        &mut self,
        id: u32,
        at: SimTime,
        outcome: Outcome,
        cause: Cause,
        server_side: bool,
    ) {
        if !server_side {
            self.cut_chain(id);
            self.release_conn(id);
        }
        let stage = self.reqs[id as usize].stage;
        self.reqs[id as usize].stage = if server_side { stage } else { Stage::Stalled };
        self.finish(id, at, outcome, cause);
        if !server_side {
            self.release(id);
        }
    }
}

/// HAProxy's `server` line for web host `w`, from the settings `h`.
// Off the event loop: built where it is called, in the page for size (see lab.rs).
#[inline]
fn server_from_spec(topo: &Topology, w: &Web, h: &HaproxySpec) -> Server {
    Server::from_spec(topo.node(w.host).name.clone(), w.host, w.nginx, h)
}
