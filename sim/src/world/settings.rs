//! Live settings: the resolved configuration, and changes taken while the world runs.

use super::faults::scheduled_faults;
use super::{Event, Web, World};
use crate::app::QueryRouting;
use crate::cx::Cx;
use crate::error::ActionError;
use crate::haproxy::{AdminState, CheckConfig, Health, HealthChange, Server};
use crate::log::{LogEvent, SettingsPart};
use crate::scenario::{ms_to_us, CheckKind, HaproxySpec, Scenario, Timing};
use crate::time::{SimTime, SEC};
use crate::topology::Topology;

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
    /// How the app picks the MySQL server for each query.
    pub(crate) queries: QueryRouting,
    pub(crate) health_checks_db: bool,
    pub(crate) dns_ttl: u64,
}

impl Config {
    // Off the event loop: built where it is called, in the page for size (see lab.rs).
    #[inline]
    pub(super) fn from(s: &Scenario) -> Config {
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
            queries: QueryRouting::from_spec(&s.app),
            health_checks_db: s.app.health_checks_db,
            dns_ttl: s.dns.ttl_s as u64 * SEC,
        }
    }
}

impl World {
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
        self.scheduled = scheduled_faults(&self.net.topo, &self.scenario.faults);
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
}

/// HAProxy's `server` line for web host `w`, from the settings `h`.
// Off the event loop: built where it is called, in the page for size (see lab.rs).
#[inline]
pub(super) fn server_from_spec(topo: &Topology, w: &Web, h: &HaproxySpec) -> Server {
    Server::from_spec(topo.node(w.host).name.clone(), w.host, w.nginx, h)
}
