//! Monitoring: an agent on every host reports to a monitoring service, whose alert rules
//! (host down, 5xx rate, replication lag, queue length) fire some time after the trouble
//! began: that delay is each alert's time to detect. Without monitoring nothing fires, and the
//! sim still counts how long users saw errors that nobody could know about.
//!
//! `Monitoring` owns the agents' reports and the alerts; it reacts to its own events through
//! a `Cx`, sees hosts go down only through the network, and is handed each second what the
//! agents read of the other components (`Readings`).

use crate::cx::Cx;
use crate::log::LogEvent;
use crate::scenario::MonitoringSpec;
/// The alert rules, declared with the monitoring's settings (the log names them too).
pub use crate::scenario::Rule;
use crate::time::{SimTime, SEC};
use crate::topology::{NodeId, NodeKind};
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonitorEvent {
    /// The agent on the `agent`-th host sends its report.
    Report { agent: u8 },
}

/// What the agents read each second from the components they watch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Readings {
    /// Requests waiting in HAProxy's queues and the apps' backlogs.
    pub queued: usize,
    /// A replica is further behind than the rule allows, or not replicating (NULL).
    pub lagging: bool,
    /// The database the lag rule names (the first one that is not the primary).
    pub db_target: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Monitoring {
    pub alerts: Vec<Alert>,
    /// Seconds during which users got at least one error.
    pub error_seconds: u64,
    /// Of those, seconds no alert was firing: nobody could know.
    pub unnoticed_error_seconds: u64,
    /// Whether the design has monitoring at all.
    #[serde(skip)]
    on: bool,
    #[serde(skip)]
    spec: MonitoringSpec,
    /// Per host: when its agent last reported, and when the host went down (truth).
    last_report: Vec<(NodeId, SimTime)>,
    down_since: Vec<Option<SimTime>>,
    /// When each condition first held (for time to detect), by rule and target index.
    error_since: Option<SimTime>,
    lag_since: Option<SimTime>,
    queue_since: Option<SimTime>,
}

/// Alerts kept: the oldest go, so that a long run keeps a flat footprint.
const MAX_ALERTS: usize = 500;

impl Monitoring {
    pub fn new(on: bool, spec: &MonitoringSpec) -> Monitoring {
        Monitoring {
            on,
            spec: *spec,
            ..Monitoring::default()
        }
    }

    /// The rules' thresholds and the report interval as the settings say now.
    pub fn configure(&mut self, spec: &MonitoringSpec) {
        self.spec = *spec;
    }

    /// Whether the design has monitoring (the agents and the rules).
    pub fn on(&self) -> bool {
        self.on
    }

    fn interval(&self) -> u64 {
        (self.spec.interval_s * SEC as f64) as u64
    }

    /// An agent on every host, reporting out of step with each other.
    pub fn start<E: From<MonitorEvent> + Copy + Default>(&mut self, cx: &mut Cx<'_, E>) {
        if !self.on {
            return;
        }
        let topo = &cx.net().topo;
        let hosts: Vec<NodeId> = topo
            .top_level()
            .filter(|&h| topo.node(h).kind == NodeKind::Host)
            .collect();
        self.last_report = hosts.iter().map(|&h| (h, SimTime::ZERO)).collect();
        self.down_since = vec![None; hosts.len()];
        let interval = self.interval();
        let now = cx.now();
        for i in 0..hosts.len() {
            let at = now + interval * (i as u64 + 1) / hosts.len() as u64;
            cx.at(at, MonitorEvent::Report { agent: i as u8 });
        }
    }

    pub fn on_event<E: From<MonitorEvent> + Copy + Default>(
        &mut self,
        ev: MonitorEvent,
        cx: &mut Cx<'_, E>,
    ) {
        match ev {
            MonitorEvent::Report { agent } => self.report(agent as usize, cx),
        }
    }

    /// The agent on host `i` sends its report, if it and the path out are up.
    fn report<E: From<MonitorEvent> + Copy + Default>(&mut self, i: usize, cx: &mut Cx<'_, E>) {
        cx.after(self.interval(), MonitorEvent::Report { agent: i as u8 });
        let host = self.last_report[i].0;
        let net = cx.net();
        let agent = net
            .topo
            .component(host, NodeKind::MonitorAgent)
            .unwrap_or(host);
        let st = net.effective_state(agent);
        if st.crashed || st.partitioned {
            return;
        }
        let name = net.topo.node(host).name.clone();
        self.last_report[i].1 = cx.now();
        self.resolve_alert(Rule::HostDown, &name, cx);
    }

    /// Each second: the truth the rules watch, the alerts that fire, the unnoticed errors.
    /// `readings` is what the agents read this second (none without monitoring).
    pub fn tick<E>(
        &mut self,
        errors_last_second: u32,
        requests_last_second: u32,
        readings: Option<Readings>,
        cx: &mut Cx<'_, E>,
    ) {
        let now = cx.now();
        if errors_last_second > 0 {
            self.error_seconds += 1;
            let known = self.on && self.alerts.iter().any(|a| a.resolved_at.is_none());
            if !known {
                self.unnoticed_error_seconds += 1;
            }
        }
        let Some(readings) = readings.filter(|_| self.on) else {
            return;
        };
        let m = self.spec;
        let interval = self.interval();
        // host down: missed reports.
        for i in 0..self.last_report.len() {
            let (host, last) = self.last_report[i];
            let net = cx.net();
            let st = net.effective_state(host);
            let agent = net
                .topo
                .component(host, NodeKind::MonitorAgent)
                .unwrap_or(host);
            let ast = net.effective_state(agent);
            let down = st.crashed || st.partitioned || ast.crashed || ast.partitioned;
            match (down, self.down_since[i]) {
                (true, None) => self.down_since[i] = Some(now),
                (false, Some(_)) => self.down_since[i] = None,
                _ => {}
            }
            if now - last > m.missed_reports as u64 * interval {
                let since = self.down_since[i].unwrap_or(last);
                let name = net.topo.node(host).name.clone();
                self.fire(Rule::HostDown, &name, since, cx);
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
        let site = "www.foobar.com";
        let err_since = condition(rate > m.error_rate, &mut self.error_since);
        self.check_rule(Rule::ErrorRate, site, err_since, interval, cx);
        let q_since = condition(readings.queued as u32 > m.queue, &mut self.queue_since);
        self.check_rule(Rule::QueueLength, site, q_since, interval, cx);
        let lag_since = condition(readings.lagging, &mut self.lag_since);
        self.check_rule(
            Rule::ReplicationLag,
            &readings.db_target,
            lag_since,
            interval,
            cx,
        );
    }

    /// A rule based on an agent's metrics fires at the first report after the condition began
    /// (reports come every `interval`), and resolves when it clears.
    fn check_rule<E>(
        &mut self,
        rule: Rule,
        target: &str,
        since: Option<SimTime>,
        interval: u64,
        cx: &mut Cx<'_, E>,
    ) {
        match since {
            Some(t) => {
                // The next report after `t` carries it.
                let first_report = SimTime((t.0 / interval + 1) * interval);
                if cx.now() >= first_report {
                    self.fire(rule, target, t, cx);
                }
            }
            None => self.resolve_alert(rule, target, cx),
        }
    }

    fn fire<E>(&mut self, rule: Rule, target: &str, since: SimTime, cx: &mut Cx<'_, E>) {
        if self
            .alerts
            .iter()
            .any(|a| a.rule == rule && a.target == target && a.resolved_at.is_none())
        {
            return;
        }
        if self.alerts.len() >= MAX_ALERTS {
            self.alerts.remove(0);
        }
        let alert = Alert {
            rule,
            target: target.to_string(),
            since,
            fired_at: cx.now(),
            resolved_at: None,
        };
        cx.log(LogEvent::AlertFired {
            rule,
            target: target.to_string(),
            detect_us: alert.detect_us(),
        });
        self.alerts.push(alert);
        cx.changed();
    }

    fn resolve_alert<E>(&mut self, rule: Rule, target: &str, cx: &mut Cx<'_, E>) {
        let now = cx.now();
        let mut changed = false;
        for a in &mut self.alerts {
            if a.rule == rule && a.target == target && a.resolved_at.is_none() {
                a.resolved_at = Some(now);
                changed = true;
            }
        }
        if changed {
            let target = target.to_string();
            cx.log(LogEvent::AlertResolved { rule, target });
            cx.changed();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cx::TestBed;
    use crate::net::NodeState;
    use crate::time::MS;
    use crate::Scenario;

    /// The monitoring's events as a queue holds them (a queue's events need a default).
    #[derive(Debug, Clone, Copy)]
    struct Ev(MonitorEvent);

    impl Default for Ev {
        fn default() -> Self {
            Ev(MonitorEvent::Report { agent: 0 })
        }
    }

    impl From<MonitorEvent> for Ev {
        fn from(ev: MonitorEvent) -> Ev {
            Ev(ev)
        }
    }

    /// The three-server design with monitoring (`on`), the default rules: reports every
    /// 10 s, host down after 2 missed, 5xx above 5 %, a queue above 10, lag above 10 s.
    struct Watch {
        bed: TestBed<Ev>,
        m: Monitoring,
        /// Seconds ticked so far.
        second: u64,
    }

    impl Watch {
        fn new(on: bool) -> Watch {
            let mut s = Scenario::three_server();
            s.topology.monitoring = on;
            let mut bed = TestBed::new(&s);
            let mut m = Monitoring::new(on, &s.monitoring);
            m.start(&mut bed.cx());
            Watch { bed, m, second: 0 }
        }

        /// Runs the reports and a tick each second up to `to_s`, each tick given
        /// `errors`/`requests` and the readings `read` returns for its second.
        fn run_to(
            &mut self,
            to_s: u64,
            errors: u32,
            requests: u32,
            read: impl Fn(u64) -> Readings,
        ) {
            while self.second < to_s {
                self.second += 1;
                let t = SimTime(self.second * SEC);
                let m = &mut self.m;
                self.bed.run_until(t, |Ev(ev), cx| m.on_event(ev, cx));
                let readings = self.m.on().then(|| read(self.second));
                self.m.tick(errors, requests, readings, &mut self.bed.cx());
            }
        }

        fn quiet(&mut self, to_s: u64) {
            self.run_to(to_s, 0, 100, |_| Readings::default());
        }

        fn host(&self, name: &str) -> NodeId {
            self.bed.net.topo.node_by_name(name).unwrap()
        }

        fn alerts(&self) -> Vec<(Rule, &str, u64, u64, Option<u64>)> {
            self.m
                .alerts
                .iter()
                .map(|a| {
                    let s = |t: SimTime| t.0 / MS;
                    (
                        a.rule,
                        a.target.as_str(),
                        s(a.since),
                        s(a.fired_at),
                        a.resolved_at.map(s),
                    )
                })
                .collect()
        }
    }

    /// A crashed host's agent stops reporting: `host down` fires at the first second more
    /// than two intervals after its last report, dated from the crash; the next report after
    /// it is back resolves it.
    #[test]
    fn a_crashed_host_is_down_after_two_missed_reports() {
        let mut w = Watch::new(true);
        w.quiet(15);
        let web = w.host("web-01");
        let agent = w.m.last_report.iter().position(|r| r.0 == web).unwrap();
        let last = w.m.last_report[agent].1;
        w.bed.net.set_node(
            web,
            NodeState {
                crashed: true,
                ..NodeState::default()
            },
        );
        w.quiet(60);
        let fired_s = (last.0 + 20 * SEC) / SEC + 1;
        assert_eq!(
            w.alerts(),
            [(Rule::HostDown, "web-01", 16_000, fired_s * 1000, None)]
        );
        w.bed.net.set_node(web, NodeState::default());
        w.quiet(80);
        // Its agent reports on the same beat as before the crash.
        let beat = last.0 % (10 * SEC);
        let back = (60 * SEC - beat).div_ceil(10 * SEC) * 10 * SEC + beat;
        assert_eq!(w.alerts()[0].4, Some(back / MS));
        let lines: Vec<String> = w.bed.log.iter().map(|e| e.text()).collect();
        assert_eq!(lines.len(), 2, "{lines:#?}");
    }

    /// The 5xx rate fires at the first report after the errors began and resolves when they
    /// stop; the seconds of errors before it fired went unnoticed.
    #[test]
    fn the_error_rate_fires_at_the_next_report_and_unnoticed_seconds_count() {
        let mut w = Watch::new(true);
        w.quiet(22);
        w.run_to(39, 50, 100, |_| Readings::default());
        w.quiet(45);
        assert_eq!(
            w.alerts(),
            [(
                Rule::ErrorRate,
                "www.foobar.com",
                23_000,
                30_000,
                Some(40_000)
            )]
        );
        assert_eq!(w.m.alerts[0].detect_us(), 7 * SEC);
        assert_eq!((w.m.error_seconds, w.m.unnoticed_error_seconds), (17, 8));
    }

    /// A queue above the rule's length and a lagging replica fire as the error rate does,
    /// the lag alert naming the replica.
    #[test]
    fn queue_length_and_replication_lag_fire_from_the_readings() {
        let mut w = Watch::new(true);
        w.run_to(25, 0, 100, |s| Readings {
            queued: if s >= 12 { 11 } else { 10 },
            lagging: s >= 5,
            db_target: "db-02".into(),
        });
        assert_eq!(
            w.alerts(),
            [
                (Rule::ReplicationLag, "db-02", 5_000, 10_000, None),
                (Rule::QueueLength, "www.foobar.com", 12_000, 20_000, None),
            ]
        );
    }

    /// Without monitoring no agent reports and nothing fires, but the seconds users saw
    /// errors still count, all of them unnoticed.
    #[test]
    fn without_monitoring_every_error_second_goes_unnoticed() {
        let mut w = Watch::new(false);
        assert!(w.bed.queue.is_empty());
        w.run_to(30, 10, 10, |_| unreachable!("no agents, no readings"));
        assert!(w.m.alerts.is_empty());
        assert_eq!((w.m.error_seconds, w.m.unnoticed_error_seconds), (30, 30));
    }
}
