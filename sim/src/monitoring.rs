//! Monitoring (SPEC S10): an agent on every host reports to a monitoring service, whose alert
//! rules (host down, 5xx rate, replication lag, queue length) fire some time after the trouble
//! began: that delay is each alert's time to detect. Without monitoring nothing fires, and the
//! sim still counts how long users saw errors that nobody could know about.

use crate::log::LogEvent;
/// The alert rules, declared with the monitoring's settings (the log names them too).
pub use crate::scenario::Rule;
use crate::time::{SimTime, SEC};
use crate::topology::{NodeId, NodeKind};
use crate::world::{Event, World};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    pub rule: Rule,
    pub target: String,
    /// When the trouble it reports began (the sim knows).
    pub since: SimTime,
    pub fired_at: SimTime,
    pub resolved_at: Option<SimTime>,
}

impl Alert {
    pub fn detect_us(&self) -> u64 {
        self.fired_at - self.since
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct MonitorState {
    pub alerts: Vec<Alert>,
    /// Seconds during which users got at least one error.
    pub error_seconds: u64,
    /// Of those, seconds no alert was firing: nobody could know.
    pub unnoticed_error_seconds: u64,
    /// Per host: when its agent last reported, and when the host went down (truth).
    last_report: Vec<(NodeId, SimTime)>,
    down_since: Vec<Option<SimTime>>,
    /// When each condition first held (for time to detect), by rule and target index.
    error_since: Option<SimTime>,
    lag_since: Option<SimTime>,
    queue_since: Option<SimTime>,
}

/// Alerts kept (P5).
const MAX_ALERTS: usize = 500;

impl World {
    pub(crate) fn monitoring_on(&self) -> bool {
        self.scenario.topology.monitoring
    }

    fn agents(&self) -> Vec<NodeId> {
        self.net
            .topo
            .top_level()
            .filter(|&h| self.net.topo.node(h).kind == NodeKind::Host)
            .collect()
    }

    pub(crate) fn monitoring_start(&mut self) {
        if !self.monitoring_on() {
            return;
        }
        let hosts = self.agents();
        self.monitor.last_report = hosts.iter().map(|&h| (h, SimTime::ZERO)).collect();
        self.monitor.down_since = vec![None; hosts.len()];
        let interval = self.monitor_interval();
        for i in 0..hosts.len() {
            // Agents report out of step with each other.
            let at = self.now + interval * (i as u64 + 1) / hosts.len() as u64;
            self.queue.push(at, Event::Report { agent: i as u8 });
        }
    }

    fn monitor_interval(&self) -> u64 {
        (self.scenario.monitoring.interval_s * SEC as f64) as u64
    }

    /// The agent on host `i` sends its report, if it and the path out are up.
    pub(crate) fn on_report(&mut self, i: usize) {
        let interval = self.monitor_interval();
        self.queue
            .push(self.now + interval, Event::Report { agent: i as u8 });
        let host = self.monitor.last_report[i].0;
        let agent = self
            .net
            .topo
            .component(host, NodeKind::MonitorAgent)
            .unwrap_or(host);
        let st = self.effective_state(agent);
        if st.crashed || st.partitioned {
            return;
        }
        self.monitor.last_report[i].1 = self.now;
        let name = self.net.topo.node(host).name.clone();
        self.resolve_alert(Rule::HostDown, &name);
    }

    /// Each second: the truth the rules watch, the alerts that fire, the unnoticed errors.
    pub(crate) fn monitoring_tick(&mut self, errors_last_second: u32, requests_last_second: u32) {
        let now = self.now;
        if errors_last_second > 0 {
            self.monitor.error_seconds += 1;
            let known =
                self.monitoring_on() && self.monitor.alerts.iter().any(|a| a.resolved_at.is_none());
            if !known {
                self.monitor.unnoticed_error_seconds += 1;
            }
        }
        if !self.monitoring_on() {
            return;
        }
        let m = self.scenario.monitoring;
        let interval = self.monitor_interval();
        // host down: missed reports.
        for i in 0..self.monitor.last_report.len() {
            let (host, last) = self.monitor.last_report[i];
            let st = self.effective_state(host);
            let agent = self
                .net
                .topo
                .component(host, NodeKind::MonitorAgent)
                .unwrap_or(host);
            let ast = self.effective_state(agent);
            let down = st.crashed || st.partitioned || ast.crashed || ast.partitioned;
            match (down, self.monitor.down_since[i]) {
                (true, None) => self.monitor.down_since[i] = Some(now),
                (false, Some(_)) => self.monitor.down_since[i] = None,
                _ => {}
            }
            if now - last > m.missed_reports as u64 * interval {
                let since = self.monitor.down_since[i].unwrap_or(last);
                let name = self.net.topo.node(host).name.clone();
                self.fire(Rule::HostDown, &name, since);
            }
        }
        // The load balancer's agent sees the 5xx rate and queue; alert at the next report.
        let rate = if requests_last_second > 0 {
            errors_last_second as f64 / requests_last_second as f64
        } else {
            0.0
        };
        let condition = |on: bool, since: &mut Option<SimTime>| {
            match (on, *since) {
                (true, None) => *since = Some(now),
                (false, Some(_)) => *since = None,
                _ => {}
            }
            *since
        };
        let site = "www.foobar.com".to_string();
        let err_since = condition(rate > m.error_rate, &mut self.monitor.error_since);
        self.check_rule(Rule::ErrorRate, &site, err_since, interval);
        let queued = self
            .lbs
            .iter()
            .map(|l| l.queue.len() + l.servers.iter().map(|s| s.queue.len()).sum::<usize>())
            .sum::<usize>()
            + self
                .webs
                .iter()
                .map(|w| w.pool.backlog.len())
                .sum::<usize>();
        let q_since = condition(queued as u32 > m.queue, &mut self.monitor.queue_since);
        self.check_rule(Rule::QueueLength, &site, q_since, interval);
        let lagging = (0..self.dbs.len()).any(|d| {
            let db = &self.dbs[d];
            db.role == crate::mysql::DbRole::Replica
                && match db.seconds_behind_source(now) {
                    None => true,
                    Some(s) => s as f64 > m.lag_s,
                }
        });
        let lag_since = condition(lagging, &mut self.monitor.lag_since);
        let db_target = self
            .dbs
            .iter()
            .find(|d| d.role != crate::mysql::DbRole::Primary)
            .map(|d| self.net.topo.node(d.node).name.clone())
            .unwrap_or_default();
        self.check_rule(Rule::ReplicationLag, &db_target, lag_since, interval);
    }

    /// A rule based on an agent's metrics fires at the first report after the condition began
    /// (reports come every `interval`), and resolves when it clears.
    fn check_rule(&mut self, rule: Rule, target: &str, since: Option<SimTime>, interval: u64) {
        match since {
            Some(t) => {
                // The next report after `t` carries it.
                let first_report = SimTime((t.0 / interval + 1) * interval);
                if self.now >= first_report {
                    self.fire(rule, target, t);
                }
            }
            None => self.resolve_alert(rule, target),
        }
    }

    fn fire(&mut self, rule: Rule, target: &str, since: SimTime) {
        if self
            .monitor
            .alerts
            .iter()
            .any(|a| a.rule == rule && a.target == target && a.resolved_at.is_none())
        {
            return;
        }
        if self.monitor.alerts.len() >= MAX_ALERTS {
            self.monitor.alerts.remove(0);
        }
        let alert = Alert {
            rule,
            target: target.to_string(),
            since,
            fired_at: self.now,
            resolved_at: None,
        };
        self.log.push(
            self.now,
            LogEvent::AlertFired {
                rule,
                target: target.to_string(),
                detect_us: alert.detect_us(),
            },
        );
        self.monitor.alerts.push(alert);
        self.version += 1;
    }

    fn resolve_alert(&mut self, rule: Rule, target: &str) {
        let now = self.now;
        let mut changed = false;
        for a in &mut self.monitor.alerts {
            if a.rule == rule && a.target == target && a.resolved_at.is_none() {
                a.resolved_at = Some(now);
                changed = true;
            }
        }
        if changed {
            let target = target.to_string();
            self.log.push(now, LogEvent::AlertResolved { rule, target });
            self.version += 1;
        }
    }
}
