//! The run's summary: what the CLI prints with `--json`, and what tests read.

use crate::num::Fixed;
use crate::time::SimTime;
use crate::world::{Transition, World, STATUS_KEYS};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    pub sim_time_ms: f64,
    pub events: u64,
    pub requests: Requests,
    pub latency_ms: Latency,
    pub queue_wait_ms: QueueWait,
    /// HAProxy's view of each web host (the first load balancer's).
    pub servers: BTreeMap<String, ServerSummary>,
    pub replication: Replication,
    pub security: Security,
    pub monitoring: Monitoring,
    pub load_balancers: LoadBalancers,
    /// Share of finished requests that got a non-error answer.
    pub availability: f64,
    pub transitions: Vec<Transition>,
    /// A fingerprint of every finished request's trace: same seed and actions, same hash.
    pub trace_hash: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Requests {
    /// Requests that have ended (users got an answer, an error, or gave up).
    pub total: u64,
    pub in_flight: u64,
    pub ok: u64,
    pub by_status: BTreeMap<String, u64>,
    pub stale_reads: u64,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Latency {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub mean: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct QueueWait {
    pub mean: f64,
    pub p95: f64,
    /// Requests whose wait was measured (those that reached an app server).
    pub samples: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServerSummary {
    pub served: u64,
    pub stot: u64,
    pub status: String,
    pub check_status: String,
    pub chkfail: u64,
    pub chkdown: u64,
    pub first_down_at_ms: Option<f64>,
    pub downtime_ms: f64,
    pub wretr: u64,
    pub wredis: u64,
    pub econ: u64,
    pub eresp: u64,
    pub hrsp_2xx: u64,
    pub hrsp_5xx: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Replication {
    pub mode: String,
    pub max_lag_ms: f64,
    /// Acknowledged transactions of a failed primary that its successor never had.
    pub lost_transactions: u64,
    pub lost_gtids: Vec<String>,
    pub failovers: u64,
    pub primary: Option<String>,
    pub split_brain: bool,
    pub semi_sync_switched_off: u64,
    /// Per server: role, transactions executed, Seconds_Behind_Source.
    pub servers: BTreeMap<String, DbSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DbSummary {
    pub role: String,
    pub read_only: bool,
    pub transactions: u64,
    pub seconds_behind_source: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Security {
    pub https: bool,
    pub firewalls: bool,
    /// Requests an eavesdropper on the Internet link read in plaintext.
    pub plaintext_seen: u64,
    /// Passwords among them (`POST /login`).
    pub passwords_seen: u64,
    pub ciphertext_seen: u64,
    pub tls_handshakes: u64,
    pub probes: u64,
    /// Probes that reached a port that should not be public (SSH, MySQL, a web host).
    pub attacker_reached: u64,
    /// Probes a firewall dropped.
    pub attacker_blocked: u64,
    pub exposed: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlertSummary {
    pub rule: String,
    pub target: String,
    pub fired_at_ms: f64,
    /// From when the trouble began to when the alert fired.
    pub detect_ms: f64,
    pub resolved_at_ms: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Monitoring {
    pub enabled: bool,
    pub alerts: Vec<AlertSummary>,
    /// Seconds in which users got errors.
    pub error_seconds: u64,
    /// Of those, seconds in which no alert was firing: nobody could know.
    pub unnoticed_error_seconds: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LoadBalancers {
    pub pair: String,
    /// Who holds the floating IP (keepalived pair).
    pub vip_holder: Option<String>,
    /// Each load balancer's VRRP state.
    pub vrrp: BTreeMap<String, String>,
}

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

impl Summary {
    pub fn of(w: &World) -> Summary {
        let t = &w.totals;
        let mut by_status = BTreeMap::new();
        for (i, &n) in t.by_status.iter().enumerate() {
            if n > 0 {
                by_status.insert(STATUS_KEYS[i].to_string(), n);
            }
        }
        let now = w.now();
        let mut servers = BTreeMap::new();
        if let Some(lb) = w.lbs.first() {
            for s in &lb.servers {
                servers.insert(
                    s.name.clone(),
                    ServerSummary {
                        served: s.stats.served,
                        stot: s.stats.stot,
                        status: s.status(),
                        check_status: s.check.status.as_str().to_string(),
                        chkfail: s.stats.chkfail,
                        chkdown: s.stats.chkdown,
                        first_down_at_ms: s.first_down_at.map(SimTime::as_ms),
                        downtime_ms: ms(s.downtime_us(now)),
                        wretr: s.stats.wretr,
                        wredis: s.stats.wredis,
                        econ: s.stats.econ,
                        eresp: s.stats.eresp,
                        hrsp_2xx: s.stats.hrsp_2xx,
                        hrsp_5xx: s.stats.hrsp_5xx,
                    },
                );
            }
        }
        Summary {
            scenario: w.scenario.name.clone(),
            seed: w.scenario.seed,
            sim_time_ms: now.as_ms(),
            events: w.events,
            requests: Requests {
                total: t.ended,
                in_flight: t.created - t.ended,
                ok: t.ok,
                by_status,
                stale_reads: t.stale_reads,
            },
            latency_ms: Latency {
                p50: ms(t.latency.quantile(0.50)),
                p95: ms(t.latency.quantile(0.95)),
                p99: ms(t.latency.quantile(0.99)),
                mean: t.latency.mean() / 1000.0,
                max: ms(t.latency.max()),
            },
            queue_wait_ms: QueueWait {
                mean: t.queue_waits.mean() / 1000.0,
                p95: ms(t.queue_waits.quantile(0.95)),
                samples: t.queue_waits.count(),
            },
            servers,
            replication: Replication {
                mode: match w.scenario.mysql.replication {
                    crate::scenario::ReplicationMode::Async => "async".into(),
                    crate::scenario::ReplicationMode::SemiSync => "semi-sync".into(),
                },
                max_lag_ms: ms(w.repl.max_lag_us),
                lost_transactions: w.repl.lost_count,
                lost_gtids: w.repl.lost.iter().map(|g| g.text()).collect(),
                failovers: w.repl.failovers,
                primary: w
                    .repl
                    .primary
                    .map(|p| w.topology().node(w.repl.dbs[p].node).name.clone()),
                split_brain: w.repl.split_brain,
                semi_sync_switched_off: w.repl.semi_sync_switched_off,
                servers: w
                    .repl
                    .dbs
                    .iter()
                    .map(|d| {
                        let role = match d.role {
                            crate::mysql::DbRole::OldPrimary => "old-primary",
                            crate::mysql::DbRole::Primary => "primary",
                            crate::mysql::DbRole::Replica => "replica",
                        };
                        let s = DbSummary {
                            role: role.into(),
                            read_only: d.read_only,
                            transactions: d.executed.total(),
                            seconds_behind_source: d.seconds_behind_source(now),
                        };
                        (w.topology().node(d.node).name.clone(), s)
                    })
                    .collect(),
            },
            security: Security {
                https: w.scenario.topology.https,
                firewalls: w.scenario.topology.firewalls,
                plaintext_seen: w.security.plaintext_seen,
                passwords_seen: w.security.passwords_seen,
                ciphertext_seen: w.security.ciphertext_seen,
                tls_handshakes: t.tls_handshakes,
                probes: w.security.probes,
                attacker_reached: w.security.attacker_reached,
                attacker_blocked: w.security.attacker_blocked,
                exposed: w.security.exposed.clone(),
            },
            monitoring: Monitoring {
                enabled: w.scenario.topology.monitoring,
                alerts: w
                    .monitor
                    .alerts
                    .iter()
                    .map(|a| AlertSummary {
                        rule: a.rule.as_str().into(),
                        target: a.target.clone(),
                        fired_at_ms: a.fired_at.as_ms(),
                        detect_ms: ms(a.detect_us()),
                        resolved_at_ms: a.resolved_at.map(SimTime::as_ms),
                    })
                    .collect(),
                error_seconds: w.monitor.error_seconds,
                unnoticed_error_seconds: w.monitor.unnoticed_error_seconds,
            },
            load_balancers: LoadBalancers {
                pair: match w.scenario.topology.lb_pair {
                    crate::scenario::LbPair::None => "none".into(),
                    crate::scenario::LbPair::ActivePassive => "active-passive".into(),
                    crate::scenario::LbPair::ActiveActive => "active-active".into(),
                },
                vip_holder: w.keepalived.vip_holder().map(|i| w.lbs[i].name.clone()),
                vrrp: w
                    .keepalived
                    .nodes()
                    .iter()
                    .zip(&w.lbs)
                    .map(|(v, l)| (l.name.clone(), v.state.as_str().to_string()))
                    .collect(),
            },
            availability: if t.ended == 0 {
                1.0
            } else {
                t.ok as f64 / t.ended as f64
            },
            transitions: w.transitions.iter().cloned().collect(),
            trace_hash: format!("{:016x}", w.hash.0),
        }
    }

    /// A few lines for people.
    pub fn text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} (seed {}): {} s simulated, {} events",
            self.scenario,
            self.seed,
            Fixed(self.sim_time_ms / 1000.0, 1),
            self.events
        );
        let statuses: Vec<String> = self
            .requests
            .by_status
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        let _ = writeln!(
            s,
            "requests: {} ended, {} in flight, availability {} ({})",
            self.requests.total,
            self.requests.in_flight,
            Fixed(self.availability, 4),
            statuses.join(", ")
        );
        let _ = writeln!(
            s,
            "latency: p50 {} ms, p95 {} ms, p99 {} ms; queue wait mean {} ms",
            Fixed(self.latency_ms.p50, 1),
            Fixed(self.latency_ms.p95, 1),
            Fixed(self.latency_ms.p99, 1),
            Fixed(self.queue_wait_ms.mean, 2)
        );
        for (name, sv) in &self.servers {
            let down = sv
                .first_down_at_ms
                .map_or("never".to_string(), |t| format!("{} ms", Fixed(t, 0)));
            let _ = writeln!(
                s,
                "  {name}: {} ({}), served {}, chkfail {}, chkdown {}, first DOWN {down}, retries {}, redispatches {}",
                sv.status, sv.check_status, sv.served, sv.chkfail, sv.chkdown, sv.wretr, sv.wredis
            );
        }
        if self.requests.stale_reads > 0 || self.replication.lost_transactions > 0 {
            let _ = writeln!(
                s,
                "replication: stale reads {}, lost transactions {}, max lag {} ms",
                self.requests.stale_reads,
                self.replication.lost_transactions,
                Fixed(self.replication.max_lag_ms, 0)
            );
        }
        let _ = write!(s, "trace hash {}", self.trace_hash);
        s
    }
}
