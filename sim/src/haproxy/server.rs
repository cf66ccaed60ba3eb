//! One load balancer's HAProxy as the world routes through it: its backend's servers (their
//! settings, connections, queues, counters and health check) and the backend queue.

use super::checks::HealthCheck;
use super::{AdminState, Balancer, Candidate, Health, Pick, Reason};
use crate::rng::SimRng;
use crate::scenario::{Balance, HashType};
use crate::scenario::{CheckKind, HaproxySpec, InitState};
use crate::time::SimTime;
use crate::topology::NodeId;
use std::collections::VecDeque;

/// The stats page's counters for one server.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct ServerStats {
    /// `stot`: requests sent to it.
    pub stot: u64,
    /// Responses it gave back (the "served" count the page shows).
    pub served: u64,
    pub chkfail: u64,
    pub chkdown: u64,
    pub wretr: u64,
    pub wredis: u64,
    pub econ: u64,
    pub eresp: u64,
    pub hrsp_2xx: u64,
    pub hrsp_5xx: u64,
    pub qmax: u32,
    pub smax: u32,
    /// Total time spent DOWN, µs (closed periods only; see `downtime_us`).
    pub downtime_closed: u64,
}

#[derive(Debug, Clone)]
pub struct Server {
    pub host: NodeId,
    pub nginx: NodeId,
    pub name: String,
    pub weight: u32,
    pub backup: bool,
    pub maxconn: u32,
    pub maxqueue: u32,
    pub admin: AdminState,
    /// It has `check` on its line (else HAProxy assumes it is UP: "no check").
    pub checked: bool,
    /// Its health counter and the checks that move it.
    pub check: HealthCheck,
    /// `scur`: requests assigned to it now.
    pub scur: u32,
    pub queue: VecDeque<u32>,
    pub stats: ServerStats,
    pub lastchg: SimTime,
    pub(crate) down_since: Option<SimTime>,
    pub first_down_at: Option<SimTime>,
    /// The status last recorded as a transition (`status`).
    pub(crate) status_text: String,
}

impl Server {
    /// The server `name` (on `host`, behind `nginx`) as the settings `h` describe it.
    // Off the event loop: built where it is called, in the page for size (see lab.rs).
    #[inline]
    pub fn from_spec(name: String, host: NodeId, nginx: NodeId, h: &HaproxySpec) -> Server {
        let spec = h.servers.iter().find(|s| s.name == name);
        let health = match h.init_state {
            InitState::Up => Health::new(h.rise, h.fall),
            InitState::FullyUp => Health::fully_up(h.rise, h.fall),
        };
        Server {
            host,
            nginx,
            name,
            weight: spec.map_or(1, |s| s.weight),
            backup: spec.is_some_and(|s| s.backup),
            maxconn: spec.map_or(
                h.maxconn,
                |s| if s.maxconn > 0 { s.maxconn } else { h.maxconn },
            ),
            maxqueue: spec.map_or(h.maxqueue, |s| {
                if s.maxqueue > 0 {
                    s.maxqueue
                } else {
                    h.maxqueue
                }
            }),
            admin: AdminState::Ready,
            checked: h.check != CheckKind::None,
            check: HealthCheck::new(health),
            scur: 0,
            queue: VecDeque::new(),
            stats: ServerStats::default(),
            lastchg: SimTime::ZERO,
            down_since: None,
            first_down_at: None,
            status_text: health.status(),
        }
    }

    /// The status string the stats page shows: `MAINT`, `DRAIN`, `UP 2/3`, `DOWN` …
    pub fn status(&self) -> String {
        match self.admin {
            AdminState::Maint => "MAINT".into(),
            AdminState::Drain if self.check.health.up => "DRAIN".into(),
            _ if !self.checked => "no check".into(),
            _ => self.check.health.status(),
        }
    }

    pub fn downtime_us(&self, now: SimTime) -> u64 {
        self.stats.downtime_closed + self.down_since.map_or(0, |t| now - t)
    }

    pub(crate) fn usable(&self) -> bool {
        self.check.health.up && self.admin == AdminState::Ready
    }

    /// Persistent (cookie) traffic may still go to a DRAIN server.
    pub(crate) fn usable_for_persistent(&self) -> bool {
        self.check.health.up && self.admin != AdminState::Maint
    }
}

/// HAProxy on one load balancer: its frontend's backend of servers.
#[derive(Debug, Clone)]
pub struct Lb {
    pub host: NodeId,
    pub haproxy: NodeId,
    pub name: String,
    pub servers: Vec<Server>,
    balancer: Balancer,
    /// The backend queue: requests waiting for any server to have room.
    pub queue: VecDeque<u32>,
    /// What the balancer sees of each server, refilled for each pick.
    cand: Vec<Candidate>,
    scratch: Vec<usize>,
}

impl Lb {
    pub fn new(
        host: NodeId,
        haproxy: NodeId,
        name: String,
        servers: Vec<Server>,
        balancer: Balancer,
    ) -> Lb {
        Lb {
            host,
            haproxy,
            name,
            servers,
            balancer,
            queue: VecDeque::new(),
            cand: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// The server the `balance` algorithm gives a client at `ip`, among the servers as they
    /// are now (usable: UP and READY; their load: connections and queue); `leaving` is one
    /// the request is being redispatched away from.
    #[inline]
    pub fn pick(
        &mut self,
        ip: u32,
        allbackups: bool,
        leaving: Option<usize>,
        rng: &mut SimRng,
    ) -> Pick {
        self.cand.clear();
        for s in &self.servers {
            self.cand.push(Candidate {
                weight: s.weight,
                usable: s.usable(),
                backup: s.backup,
                load: s.scur + s.queue.len() as u32,
                maxconn: s.maxconn,
                served_now: s.scur,
            });
        }
        if let Some(srv) = leaving {
            self.cand[srv].usable = false;
        }
        self.balancer
            .pick(&self.cand, allbackups, ip, rng, &mut self.scratch)
    }

    /// Why the balancer chose a server, for the trace.
    pub fn reason(&self) -> Reason {
        self.balancer.reason()
    }

    /// Whether the algorithm maps a client to a server by a hash (`source`).
    pub fn is_hash_based(&self) -> bool {
        self.balancer.is_hash_based()
    }

    /// A new `balance` or `hash-type` starts the algorithm over with the servers' weights.
    pub fn set_balance(&mut self, balance: Balance, hash_type: HashType) {
        if self.balancer.balance != balance || self.balancer.hash_type != hash_type {
            let weights: Vec<u32> = self.servers.iter().map(|x| x.weight).collect();
            self.balancer = Balancer::new(balance, hash_type, &weights);
        }
    }

    /// Usable servers left: (active, backup).
    pub fn servers_left(&self) -> (u32, u32) {
        let s = &self.servers;
        let active = s.iter().filter(|s| s.usable() && !s.backup).count() as u32;
        let backup = s.iter().filter(|s| s.usable() && s.backup).count() as u32;
        (active, backup)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::topology::NodeId;

    /// lb-01 with three servers, roundrobin.
    fn lb() -> Lb {
        let h = Scenario::three_server().haproxy;
        let servers = (0..3)
            .map(|i| Server::from_spec(format!("web-0{}", i + 1), NodeId(i), NodeId(i), &h))
            .collect();
        let balancer = Balancer::new(h.balance, h.hash_type, &[1, 1, 1]);
        Lb::new(NodeId(9), NodeId(9), "lb-01".into(), servers, balancer)
    }

    fn picks(lb: &mut Lb, n: usize, leaving: Option<usize>) -> Vec<usize> {
        let mut rng = SimRng::new(1);
        (0..n)
            .map(|_| match lb.pick(0, false, leaving, &mut rng) {
                Pick::Server { index, .. } => index,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    /// The balancer sees the servers as they are at each pick: a DOWN or MAINT server gets
    /// no turn, nor the one a request is redispatched away from.
    #[test]
    fn picks_skip_servers_that_cannot_take_the_request() {
        let mut lb = lb();
        assert_eq!(picks(&mut lb, 3, None), [0, 1, 2]);
        lb.servers[1].check.health.mark_down();
        assert!(picks(&mut lb, 4, None).iter().all(|&s| s != 1));
        lb.servers[2].admin = AdminState::Maint;
        assert_eq!(picks(&mut lb, 3, None), [0, 0, 0]);
        assert_eq!(
            lb.pick(0, false, Some(0), &mut SimRng::new(1)),
            Pick::NoServer
        );
        assert_eq!(lb.servers_left(), (1, 0));
    }
}
