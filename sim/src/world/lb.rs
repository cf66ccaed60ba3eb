//! The request at HAProxy: dispatch, the queues, the connection to a server, retries,
//! passive checks, the answer on its way back; and what the health checks' changes mean
//! for the requests.

use super::request::{Stage, Step, Timer};
use super::World;
use crate::cx::Cx;
use crate::haproxy::{
    turnaround, Admit, CheckEvent, CheckTarget, ConnectFailed, HealthChange, Pick, Reason,
};
use crate::log::LogEvent;
use crate::metrics::MAX_BACKENDS;
use crate::net::Conn;
use crate::trace::{Cause, Outcome};

impl World {
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
    pub(super) fn holds_slot(&mut self, id: u32, srv: usize) {
        let r = &mut self.reqs[id as usize];
        r.server = srv as u8;
        r.holds_conn = true;
    }

    // Every request passes here: inlined natively, a call in the page (docs/performance.md).
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
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
    pub(super) fn leaves_queue(&mut self, id: u32, lb: usize, srv: usize) {
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
    /// `timeout connect`. HAProxy decides what follows (`Lb::connect_failed`, `turnaround`):
    /// a 503, a retry on another server at once, or on the same one after a wait.
    pub(crate) fn connect_failed(&mut self, id: u32, timed_out: bool) {
        let r = &self.reqs[id as usize];
        let (lb, srv, retries, direct) = (
            r.lb as usize,
            r.server as usize,
            r.retries,
            r.reason == Some(Reason::Cookie),
        );
        self.observe(lb, srv, true, false);
        let (max, redispatch) = (self.cfg.retries, self.cfg.redispatch);
        let next = self.lbs[lb].connect_failed(srv, retries, max, redispatch, direct);
        if next == ConnectFailed::GiveUp {
            self.lbs[lb].servers[srv].stats.econ += 1;
            self.release_conn(id);
            self.lb_answers(id, Outcome::Http(503), Cause::ConnectFailed);
            return;
        }
        self.reqs[id as usize].retries += 1;
        if next == ConnectFailed::Redispatch && self.redispatch(id, lb, srv) {
            self.connect_server(id);
            return;
        }
        self.lbs[lb].servers[srv].stats.wretr += 1;
        self.reqs[id as usize].stage = Stage::RetryWait;
        let wait = turnaround(timed_out, self.cfg.timeout_connect);
        self.push_step(self.now + wait, id, Step::Retry);
    }

    /// Moves a request to another server chosen by the algorithm; false if there is none.
    pub(super) fn redispatch(&mut self, id: u32, lb: usize, srv: usize) -> bool {
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
    pub(super) fn observe_watched(&mut self, lb: usize, srv: usize, error: bool, layer7: bool) {
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

    /// Every server's first check, staggered over one interval from now.
    pub(super) fn start_checks(&mut self) {
        let timers = self.cfg.checks.timers;
        for lb in 0..self.lbs.len() {
            self.lbs[lb].start_checks(lb, &timers, &mut cx!(self));
        }
    }

    /// A health check's event goes to its load balancer's HAProxy, unless a later check
    /// replaced it.
    #[inline(never)]
    pub(super) fn on_check(&mut self, ev: CheckEvent) {
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
    pub(super) fn check_target(&self, w: usize) -> CheckTarget {
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
}
