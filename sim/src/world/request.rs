//! A request: its slot in the slab, its stage, its chain of steps and its timers, and the
//! event loop's dispatch of each step and timer to the code that moves it on.

use super::{Event, World};
use crate::dns::{self, Unanswered};
use crate::epoch::{Epoch, Stamp};
use crate::haproxy::Reason;
use crate::mysql::ROWS;
use crate::time::SimTime;
use crate::topology::NodeId;
use crate::trace::{Cause, Hop, Hops, Outcome, ReqKind, Trace};

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

pub(super) const NONE8: u8 = u8::MAX;

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
    pub(super) fn waits_on(&self, chain: Stamp) -> bool {
        self.live && self.chain.is_current(chain)
    }

    pub(super) fn blank() -> Req {
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
    pub(super) fn reset(&mut self) {
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
    pub(super) fn fill_record(&self, t: &mut Trace, server: Option<NodeId>, client_ip: u32) {
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

impl World {
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
        if self.clients[client as usize].dns.is_fresh(now) {
            self.send_to_frontend(id);
        } else {
            self.resolve(id);
        }
        id
    }

    /// The request takes a hop, which the page's views record (the CLI keeps none).
    // Natively the check is inlined where a request moves (docs/performance.md); in the page,
    // where views are always kept, one call as it is.
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    pub(crate) fn hop(&mut self, id: u32, from: NodeId, to: NodeId, t0: SimTime, t1: SimTime) {
        if self.views {
            self.record_hop(id, Hop { from, to, t0, t1 });
        }
    }

    #[cfg_attr(not(target_family = "wasm"), inline(never))]
    fn record_hop(&mut self, id: u32, h: Hop) {
        let r = &mut self.reqs[id as usize];
        r.cur = h;
        r.hops.push(h);
        self.crowd.list(id);
    }

    // Its one caller is the event loop: inlined there, one call fewer on every step.
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
                let answer = dns::answer(now, self.cfg.dns_ttl, self.lbs.len(), self.next_seq);
                self.clients[c].dns = answer;
                self.send_to_frontend(id);
            }
            Step::DnsRefused => self.end(id, now, Outcome::DnsError, Cause::DnsRefused),
            Step::DnsTimeout
                if dns::unanswered(self.reqs[id as usize].dns_tries) == Unanswered::AskAgain =>
            {
                self.resolve(id)
            }
            Step::DnsTimeout => self.end(id, now, Outcome::DnsError, Cause::DnsUnreachable),
            Step::FrontendRefused => {
                // Two active LBs have an A record each; a keepalived pair shares one address.
                let active_active =
                    self.scenario.topology.lb_pair == crate::scenario::LbPair::ActiveActive;
                let records = if active_active { self.lbs.len() } else { 1 };
                if dns::tries_other_address(records, self.reqs[id as usize].alt_tried) {
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
    pub(super) fn on_wake(&mut self, timer: Timer) {
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
}
