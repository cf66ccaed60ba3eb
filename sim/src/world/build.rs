//! Building the world from a scenario: its hosts, components and browsers, and the first
//! events (health checks, scheduled faults, rate changes, the first arrival, the components'
//! own starts, the second's tick).

use super::faults::scheduled_faults;
use super::settings::{server_from_spec, Config};
use super::{Client, Event, Totals, Web, World, LOG_RING, TRACE_RING};
use crate::app::AppPool;
use crate::crowd::Crowd;
use crate::cx::Cx;
use crate::dns::Cached;
use crate::haproxy::{Balancer, Lb, Server};
use crate::keepalived::Keepalived;
use crate::log::LogRing;
use crate::metrics::Series;
use crate::monitoring::Monitoring;
use crate::net::Net;
use crate::queue::EventQueue;
use crate::replication::Replication;
use crate::rng::SimRng;
use crate::scenario::{CheckKind, Scenario, ScenarioError};
use crate::security::Security;
use crate::time::{SimTime, SEC};
use crate::topology::{NodeKind, Topology};
use crate::trace::{RunHash, TraceRing};
use crate::traffic::Traffic;
use std::collections::VecDeque;

impl World {
    /// Off the event loop: built where it is called, in the page for size (see lab.rs).
    #[inline]
    pub fn new(scenario: &Scenario) -> Result<World, ScenarioError> {
        scenario.validate()?;
        let topo = Topology::build(&scenario.topology);
        let scheduled = scheduled_faults(&topo, &scenario.faults);
        let cfg = Config::from(scenario);
        let mut rng = SimRng::new(scenario.seed);
        let clients = (0..scenario.traffic.clients)
            .map(|i| Client {
                // Addresses spread over the documentation and CGNAT ranges, stable per seed.
                ip: crate::haproxy::hash32(i.wrapping_mul(2_654_435_761) ^ (scenario.seed as u32)),
                cookie: None,
                dns: Cached::default(),
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
            scheduled,
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
}
