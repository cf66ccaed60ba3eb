//! The request on a web host: Nginx, its connection to the app, the app's backlog and
//! workers, Nginx's timer, and the answer leaving Nginx.

use super::request::{Stage, Step, Timer, NONE8};
use super::{Event, World};
use crate::app::{Accept, BacklogTimer};
use crate::net::Conn;
use crate::nginx::{self, SynDue};
use crate::time::SimTime;
use crate::topology::NodeId;
use crate::trace::{Cause, Outcome, ReqKind};

impl World {
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
    pub(super) fn nginx_timer(&mut self, id: u32, key: u128, done: SimTime) {
        self.reqs[id as usize].nginx_key = key;
        if done >= crate::queue::time_of(key) || self.scenario.app.queries_db {
            self.queue_nginx_timer(id);
        }
    }

    /// Web `w`'s backlog watch event came (`AppPool::watch_came`): the watch is queued again
    /// for the next timer, then the one it was queued for runs if its request still waits
    /// there. In that order, as a queue would have it: what the timer schedules now comes after
    /// a timer due now that was set before it.
    pub(super) fn on_watch(&mut self, w: usize) {
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
    pub(super) fn queue_watch(&mut self, w: usize, key: u128) {
        self.queue.push_key(key, Event::Watch { web: w as u8 });
    }

    // Every request passes here: inlined natively, a call in the page (docs/performance.md).
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
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
    pub(super) fn connect_app(&mut self, id: u32, w: usize) {
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
                let t = nginx::read_timeout_at(now, self.cfg.proxy_read_timeout, now);
                self.push_step(t, id, Step::NginxTimeout);
            }
        }
    }

    /// Linux drops a SYN to a listener whose backlog is full; Nginx resends it or gives up
    /// (`nginx::next_syn`).
    pub(super) fn app_syn_dropped(&mut self, id: u32) {
        let now = self.now;
        let r = &mut self.reqs[id as usize];
        if r.stage != Stage::AppSyn {
            r.stage = Stage::AppSyn;
            // Until it has a place in the backlog, when Nginx first tried.
            r.queued_at = now;
            r.app_syns = 0;
        }
        let next = nginx::next_syn(r.queued_at, r.app_syns, now);
        r.app_syns = r.app_syns.saturating_add(1);
        self.push_step(next, id, Step::AppSynRetry);
    }

    pub(super) fn app_syn_retry(&mut self, id: u32) {
        let r = &self.reqs[id as usize];
        if r.client_done {
            // The user has their answer: Nginx closed this connection attempt with it.
            self.stall(id);
        } else if nginx::syn_due(r.queued_at, self.now) == SynDue::GiveUp {
            let nginx = self.webs[self.web_of(id)].nginx;
            self.respond_from_server(id, nginx, Outcome::Http(504), Cause::AppTimeout, 0);
        } else {
            self.connect_app(id, self.web_of(id));
        }
    }

    /// The app took the connection (`accept`: a worker or a backlog place).
    pub(crate) fn app_accept(&mut self, id: u32, w: usize, at: SimTime, accept: Accept) {
        // Nginx's proxy_read_timeout runs from when it hands the request over, if it can
        // matter at all. Its place in the queue's order is taken now, where the timer is set,
        // whenever it is queued (see `nginx_timer`, `on_watch`).
        let behind_lb = self.reqs[id as usize].lb != NONE8;
        let lb_timeout = behind_lb.then_some(self.cfg.timeout_server);
        let key = if nginx::read_timeout_matters(self.cfg.proxy_read_timeout, lb_timeout) {
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
    // Every request passes here: inlined natively, a call in the page (docs/performance.md).
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
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
    // Every request passes here: inlined natively, a call in the page (docs/performance.md).
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
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
    pub(super) fn take_from_backlog(&mut self, w: usize) {
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
}
