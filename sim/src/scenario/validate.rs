//! `Scenario::validate`: every field's range and every name checked in one place, the error
//! naming the first bad field (`haproxy.servers[1].weight`).

use super::*;

/// Free text read as what it is (see `plain.rs`): refused with the field's name.
fn check_text(field: &str, flaw: Option<crate::plain::Flaw>) -> Result<(), ScenarioError> {
    use crate::plain::Flaw;
    let problem = match flaw {
        None => return Ok(()),
        Some(Flaw::Blank) => Problem::Blank,
        Some(Flaw::TooLong { max, got }) => Problem::TooLong { max, got },
        Some(Flaw::Hidden { at, code: 10 | 13 }) => Problem::LineBreak { at },
        Some(Flaw::Hidden { at, code }) => Problem::HiddenCharacter { at, code },
    };
    Err(err(field, problem))
}

fn check_ms(field: &str, v: f64, min: f64, max: f64) -> Result<(), ScenarioError> {
    if !v.is_finite() || v < min || v > max {
        return Err(err(field, Problem::MsOutOfRange { min, max, got: v }));
    }
    Ok(())
}

fn check_opt_ms(field: &str, v: Option<f64>, min: f64, max: f64) -> Result<(), ScenarioError> {
    match v {
        Some(v) => check_ms(field, v, min, max),
        None => Ok(()),
    }
}

pub(super) fn check_range(field: &str, v: f64, min: f64, max: f64) -> Result<(), ScenarioError> {
    if !v.is_finite() || v < min || v > max {
        return Err(err(field, Problem::OutOfRange { min, max, got: v }));
    }
    Ok(())
}

/// A scheduled fault's target is a node or a link of the topology, and the fault is one it can
/// take (packet loss is for links; a link cannot be drained). `at` is the fault's place
/// (`faults[2]`).
fn check_target(
    t: &crate::topology::Topology,
    at: &str,
    target: &str,
    fault: FaultKind,
) -> Result<(), ScenarioError> {
    let is_node = t.node_by_name(target).is_some();
    if !is_node && t.link_by_name(target).is_none() {
        return Err(err(
            &format!("{at}.target"),
            Problem::UnknownTarget {
                name: target.to_string(),
                nodes: t.nodes.iter().map(|n| n.name.clone()).collect(),
                links: t.links.iter().map(|l| l.name.clone()).collect(),
            },
        ));
    }
    match fault {
        FaultKind::Loss { .. } if is_node => Err(err(&format!("{at}.fault"), Problem::LossOnNode)),
        FaultKind::Drain if !is_node => Err(err(&format!("{at}.fault"), Problem::DrainOnLink)),
        _ => Ok(()),
    }
}

impl Scenario {
    /// Checks every field's range; the error names the first bad field.
    // Off the event loop: built where it is called, in the page for size (see lab.rs).
    #[inline]
    pub fn validate(&self) -> Result<(), ScenarioError> {
        check_text("name", crate::plain::name_flaw(&self.name))?;
        check_text(
            "description",
            crate::plain::description_flaw(&self.description),
        )?;
        check_range("duration_s", self.duration_s, 0.0, MAX_DURATION_S)?;
        let t = &self.topology;
        if t.web_hosts < 1 || t.web_hosts > MAX_WEB_HOSTS {
            return Err(err(
                "topology.web_hosts",
                Problem::OutOfRange {
                    min: 1.0,
                    max: MAX_WEB_HOSTS as f64,
                    got: t.web_hosts as f64,
                },
            ));
        }
        if !t.load_balancer && t.web_hosts > 1 {
            return Err(err(
                "topology.load_balancer",
                Problem::WebHostsNeedLoadBalancer,
            ));
        }
        if !t.load_balancer && t.lb_pair != LbPair::None {
            return Err(err("topology.lb_pair", Problem::LbPairNeedsLoadBalancer));
        }
        let tm = &self.timing;
        for (name, v) in [
            ("timing.internet_ms", tm.internet_ms),
            ("timing.lan_ms", tm.lan_ms),
            ("timing.loopback_ms", tm.loopback_ms),
            ("timing.static_ms", tm.static_ms),
            ("timing.app_ms", tm.app_ms),
            ("timing.db_read_ms", tm.db_read_ms),
            ("timing.db_write_ms", tm.db_write_ms),
        ] {
            check_opt_ms(name, v, 0.0, 10_000.0)?;
        }
        let h = &self.haproxy;
        check_ms("haproxy.inter_ms", h.inter_ms, 10.0, 3_600_000.0)?;
        check_opt_ms("haproxy.fastinter_ms", h.fastinter_ms, 10.0, 3_600_000.0)?;
        check_opt_ms("haproxy.downinter_ms", h.downinter_ms, 10.0, 3_600_000.0)?;
        check_opt_ms(
            "haproxy.timeout_check_ms",
            h.timeout_check_ms,
            1.0,
            3_600_000.0,
        )?;
        if h.rise < 1 || h.rise > 100 {
            return Err(err(
                "haproxy.rise",
                Problem::OutOfRange {
                    min: 1.0,
                    max: 100.0,
                    got: h.rise as f64,
                },
            ));
        }
        if h.fall < 1 || h.fall > 100 {
            return Err(err(
                "haproxy.fall",
                Problem::OutOfRange {
                    min: 1.0,
                    max: 100.0,
                    got: h.fall as f64,
                },
            ));
        }
        if h.retries > 100 {
            return Err(err(
                "haproxy.retries",
                Problem::OutOfRange {
                    min: 0.0,
                    max: 100.0,
                    got: h.retries as f64,
                },
            ));
        }
        check_ms(
            "haproxy.timeout_connect_ms",
            h.timeout_connect_ms,
            1.0,
            3_600_000.0,
        )?;
        check_ms(
            "haproxy.timeout_server_ms",
            h.timeout_server_ms,
            1.0,
            3_600_000.0,
        )?;
        check_ms(
            "haproxy.timeout_client_ms",
            h.timeout_client_ms,
            1.0,
            3_600_000.0,
        )?;
        check_opt_ms(
            "haproxy.timeout_queue_ms",
            h.timeout_queue_ms,
            1.0,
            3_600_000.0,
        )?;
        if h.maxconn > 100_000 {
            return Err(err(
                "haproxy.maxconn",
                Problem::Range {
                    min: 0,
                    max: 100000,
                },
            ));
        }
        if h.maxqueue > 100_000 {
            return Err(err(
                "haproxy.maxqueue",
                Problem::Range {
                    min: 0,
                    max: 100000,
                },
            ));
        }
        if h.error_limit < 1 || h.error_limit > 10_000 {
            return Err(err(
                "haproxy.error_limit",
                Problem::Range { min: 1, max: 10000 },
            ));
        }
        if h.balance == Balance::First && h.maxconn == 0 && h.servers.iter().all(|s| s.maxconn == 0)
        {
            return Err(err("haproxy.maxconn", Problem::FirstNeedsMaxconn));
        }
        if h.observe != Observe::None && h.check == CheckKind::None {
            return Err(err("haproxy.observe", Problem::ObserveNeedsChecks));
        }
        for (i, s) in h.servers.iter().enumerate() {
            let f = |n: &str| format!("haproxy.servers[{i}].{n}");
            if !self.web_host_names().any(|w| w == s.name) {
                return Err(err(
                    &f("name"),
                    Problem::UnknownWebHost {
                        name: s.name.clone(),
                        known: self.web_host_names().collect(),
                    },
                ));
            }
            if s.weight > 256 {
                return Err(err(
                    &f("weight"),
                    Problem::OutOfRange {
                        min: 0.0,
                        max: 256.0,
                        got: s.weight as f64,
                    },
                ));
            }
            if s.maxconn > 100_000 {
                return Err(err(
                    &f("maxconn"),
                    Problem::Range {
                        min: 0,
                        max: 100000,
                    },
                ));
            }
            if s.maxqueue > 100_000 {
                return Err(err(
                    &f("maxqueue"),
                    Problem::Range {
                        min: 0,
                        max: 100000,
                    },
                ));
            }
        }
        check_ms(
            "nginx.proxy_read_timeout_ms",
            self.nginx.proxy_read_timeout_ms,
            1.0,
            3_600_000.0,
        )?;
        if self.app.workers < 1 || self.app.workers > 1024 {
            return Err(err(
                "app.workers",
                Problem::OutOfRange {
                    min: 1.0,
                    max: 1024.0,
                    got: self.app.workers as f64,
                },
            ));
        }
        check_ms(
            "app.ryw_window_ms",
            self.app.ryw_window_ms,
            0.0,
            3_600_000.0,
        )?;
        check_ms(
            "app.db_timeout_ms",
            self.app.db_timeout_ms,
            1.0,
            3_600_000.0,
        )?;
        let m = &self.mysql;
        check_ms(
            "mysql.rpl_semi_sync_source_timeout_ms",
            m.rpl_semi_sync_source_timeout_ms,
            1.0,
            3_600_000.0,
        )?;
        if m.replica_parallel_workers < 1 || m.replica_parallel_workers > 1024 {
            return Err(err(
                "mysql.replica_parallel_workers",
                Problem::Range { min: 1, max: 1024 },
            ));
        }
        check_range("mysql.apply_rate", m.apply_rate, 0.01, 1_000_000.0)?;
        check_ms(
            "mysql.replication_delay_ms",
            m.replication_delay_ms,
            0.0,
            3_600_000.0,
        )?;
        check_range(
            "mysql.replica_net_timeout_s",
            m.replica_net_timeout_s,
            1.0,
            86_400.0,
        )?;
        check_range(
            "mysql.source_connect_retry_s",
            m.source_connect_retry_s,
            0.1,
            86_400.0,
        )?;
        check_range(
            "mysql.recovery_period_block_s",
            m.recovery_period_block_s,
            0.0,
            86_400.0,
        )?;
        let k = &self.keepalived;
        check_range("keepalived.advert_int_s", k.advert_int_s, 0.01, 255.0)?;
        if !(1..=255).contains(&k.priority_master) {
            return Err(err(
                "keepalived.priority_master",
                Problem::Range { min: 1, max: 255 },
            ));
        }
        if !(1..=255).contains(&k.priority_backup) {
            return Err(err(
                "keepalived.priority_backup",
                Problem::Range { min: 1, max: 255 },
            ));
        }
        let mo = &self.monitoring;
        check_range("monitoring.interval_s", mo.interval_s, 0.1, 3600.0)?;
        if !(1..=100).contains(&mo.missed_reports) {
            return Err(err(
                "monitoring.missed_reports",
                Problem::Range { min: 1, max: 100 },
            ));
        }
        check_range("monitoring.error_rate", mo.error_rate, 0.0, 1.0)?;
        check_range("monitoring.lag_s", mo.lag_s, 0.0, 86_400.0)?;
        if self.dns.ttl_s > 604_800 {
            return Err(err("dns.ttl_s", Problem::AWeekAtMost { max: 604_800 }));
        }
        let tr = &self.traffic;
        if tr.rate != 0.0 {
            check_range("traffic.rate", tr.rate, MIN_RATE, MAX_RATE)?;
        }
        check_range("traffic.mix.static", tr.mix.static_files, 0.0, 1e6)?;
        check_range("traffic.mix.read", tr.mix.read, 0.0, 1e6)?;
        check_range("traffic.mix.write", tr.mix.write, 0.0, 1e6)?;
        if tr.mix.static_files + tr.mix.read + tr.mix.write <= 0.0 {
            return Err(err("traffic.mix", Problem::NoRequests));
        }
        check_ms(
            "traffic.client_timeout_ms",
            tr.client_timeout_ms,
            1.0,
            3_600_000.0,
        )?;
        if tr.clients < 1 || tr.clients > 65_000 {
            return Err(err(
                "traffic.clients",
                Problem::Range { min: 1, max: 65000 },
            ));
        }
        for (i, b) in tr.bursts.iter().enumerate() {
            check_range(
                &format!("traffic.bursts[{i}].at_s"),
                b.at_s,
                0.0,
                MAX_DURATION_S,
            )?;
            check_range(
                &format!("traffic.bursts[{i}].factor"),
                b.factor,
                0.0,
                1000.0,
            )?;
            check_range(
                &format!("traffic.bursts[{i}].duration_s"),
                b.duration_s,
                0.0,
                MAX_DURATION_S,
            )?;
        }
        // The names a fault may target are the topology's: built only when there are faults.
        let topo =
            (!self.faults.is_empty()).then(|| crate::topology::Topology::build(&self.topology));
        for (i, f) in self.faults.iter().enumerate() {
            check_range(&format!("faults[{i}].at_s"), f.at_s, 0.0, MAX_DURATION_S)?;
            f.fault.check(&format!("faults[{i}].fault"))?;
            if let Some(t) = &topo {
                check_target(t, &format!("faults[{i}]"), &f.target, f.fault)?;
            }
        }
        Ok(())
    }
}
