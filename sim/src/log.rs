//! The narrated event log: what happened, in the words the real software uses.
//!
//! Entries are structured (`LogEvent`) so the page can translate them: their fields are
//! names (of hosts, components, links: data, not words), numbers and enums, never English.
//! `text()` gives the English line, HAProxy's and MySQL's own wording where they would log it,
//! HAProxy's after the balancer's name as syslog writes the host (`lb-01: Server web/web-01 is
//! DOWN, …`): with two load balancers each logs its own view.

use crate::health::{AdminState, CheckStatus, Health};
use crate::num::{Dec, Fixed};
use crate::scenario::OnError;
use crate::scenario::Rule;
use crate::time::SimTime;
use crate::trace::{Cause, Outcome};
use serde::Serialize;

/// What a fault did to a node or a link.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultChange {
    /// Every process stopped at once; its kernel refuses new connections (RST).
    Crashed,
    /// The DNS server stopped; its host answers queries with ICMP port unreachable.
    DnsCrashed,
    /// Packets to it vanish; peers wait for their timeouts.
    CutOff,
    /// The DNS server's queries vanish; resolvers time out twice.
    DnsCutOff,
    /// A web host in HAProxy's DRAIN: no new users, current ones finish.
    Draining,
    /// A graceful stop: refuses new connections, finishes what it has.
    Stopping,
    /// Every service time multiplied by `factor`.
    Slowed {
        factor: f64,
    },
    Restored,
    /// A link partitioned.
    LinkCut,
    /// A link's latency multiplied by `factor`.
    LinkSlowed {
        factor: f64,
    },
    /// A link losing this share of packets.
    LinkLossy {
        rate: f64,
    },
    LinkRepaired,
}

/// Which settings a user changed live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SettingsPart {
    Haproxy,
    App,
    Mysql,
    Timing,
}

impl SettingsPart {
    /// Its name in the log's English line.
    pub fn as_str(self) -> &'static str {
        match self {
            SettingsPart::Haproxy => "HAProxy",
            SettingsPart::App => "app",
            SettingsPart::Mysql => "MySQL",
            SettingsPart::Timing => "timing",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum LogEvent {
    /// A user (or the scenario) broke or restored a node or a link.
    Fault {
        target: String,
        change: FaultChange,
    },
    /// A health check failed while the server was not DOWN.
    CheckFailed {
        lb: String,
        server: String,
        status: CheckStatus,
        duration_ms: u64,
        /// The counter after it, as HAProxy's log line ends: `2/3 UP`.
        health: Health,
    },
    /// A health check passed and moved the counter (going up, or back to fully UP).
    CheckPassed {
        lb: String,
        server: String,
        status: CheckStatus,
        duration_ms: u64,
        health: Health,
    },
    ServerDown {
        lb: String,
        server: String,
        status: CheckStatus,
        duration_ms: u64,
        active_left: u32,
        backup_left: u32,
        sessions_active: u32,
        in_queue: u32,
    },
    ServerUp {
        lb: String,
        server: String,
        status: CheckStatus,
        duration_ms: u64,
        active_online: u32,
        backup_online: u32,
    },
    /// `observe` saw `errors` consecutive errors and took its `on-error` action.
    PassiveCheck {
        lb: String,
        server: String,
        errors: u32,
        action: OnError,
    },
    NoServerAvailable {
        lb: String,
    },
    /// Users started getting errors of one kind (rate-limited narration): `server` is the web
    /// host the request went to, `database` the MySQL it queried, where they matter.
    UsersSeeErrors {
        outcome: Outcome,
        cause: Cause,
        server: Option<String>,
        database: Option<String>,
    },
    /// Writes get 500: ERROR 1290 from a read-only server (`read_only`), or no writable
    /// database reachable (`writable` of them).
    WritesFailing {
        read_only: bool,
        writable: u32,
    },
    /// HAProxy `set server web/<server> state …` on one balancer.
    AdminState {
        lb: String,
        server: String,
        state: AdminState,
    },
    SettingsChanged {
        part: SettingsPart,
    },
    /// HAProxy `set server web/<server> weight <weight>`.
    WeightSet {
        server: String,
        weight: u32,
    },
    /// A flash crowd: the rate × `factor` for `duration_s`.
    FlashCrowd {
        factor: f64,
        duration_s: f64,
    },
    /// The eavesdropper's peer, the attacker, reached a port that should not be public.
    AttackerReached {
        host: String,
        port: u16,
        /// The design has firewalls (so this one is down).
        firewalls: bool,
    },
    /// keepalived took the floating IP: no advert for 3 × advert_int + skew.
    VrrpMaster {
        lb: String,
    },
    AlertFired {
        rule: Rule,
        target: String,
        /// Since the trouble began, µs.
        detect_us: u64,
    },
    AlertResolved {
        rule: Rule,
        target: String,
    },
    /// MySQL error 1236: the source purged binary logs the replica still needs.
    SourcePurged {
        replica: String,
    },
    SemiSyncOn {
        source: String,
    },
    SemiSyncOff {
        source: String,
        timeout_ms: f64,
    },
    /// A replaced primary acknowledged `lost` commits that waited there: lost.
    LostOnAck {
        old_primary: String,
        lost: u64,
    },
    /// Another failover within `RecoveryPeriodBlockSeconds`.
    FailoverBlocked,
    FailoverStarted {
        primary: String,
        candidate: String,
    },
    /// `db` became the primary: by the failover manager (`automatic`) or by hand. It dropped
    /// `relay_dropped` unapplied relay-log transactions; of the old primary's acknowledged
    /// ones, `never_reached` never reached it and `discarded` reached it but its crash
    /// discarded them.
    Promoted {
        db: String,
        automatic: bool,
        relay_dropped: u64,
        never_reached: u64,
        discarded: u64,
        semi_sync: bool,
    },
    /// An old primary back, rejoining as a replica (read_only).
    Rejoined {
        db: String,
    },
    /// An old primary back as a writable primary.
    SplitBrain {
        db: String,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    pub t: SimTime,
    #[serde(flatten)]
    pub event: LogEvent,
}

impl LogEntry {
    /// The English line, e.g. HAProxy's
    /// `lb-01: Server web/web-01 is DOWN, reason: Layer4 connection problem, …`.
    pub fn text(&self) -> String {
        match &self.event {
            LogEvent::Fault { target, change } => format!("{target}: {}", fault_text(*change)),
            LogEvent::CheckFailed {
                lb,
                server,
                status,
                duration_ms,
                health,
            } => format!(
                "{lb}: Health check for server web/{server} failed, reason: {}, check duration: {duration_ms}ms, status: {}.",
                status.reason(),
                health.log_tail()
            ),
            LogEvent::CheckPassed {
                lb,
                server,
                status,
                duration_ms,
                health,
            } => format!(
                "{lb}: Health check for server web/{server} succeeded, reason: {}, check duration: {duration_ms}ms, status: {}.",
                status.reason(),
                health.log_tail()
            ),
            LogEvent::ServerDown {
                lb,
                server,
                status,
                duration_ms,
                active_left,
                backup_left,
                sessions_active,
                in_queue,
            } => format!(
                "{lb}: Server web/{server} is DOWN, reason: {}, check duration: {duration_ms}ms. {active_left} active and {backup_left} backup servers left. {sessions_active} sessions active, 0 requeued, {in_queue} remaining in queue.",
                status.reason()
            ),
            LogEvent::ServerUp {
                lb,
                server,
                status,
                duration_ms,
                active_online,
                backup_online,
            } => format!(
                "{lb}: Server web/{server} is UP, reason: {}, check duration: {duration_ms}ms. {active_online} active and {backup_online} backup servers online. 0 sessions requeued, 0 total in queue.",
                status.reason()
            ),
            LogEvent::PassiveCheck {
                lb,
                server,
                errors,
                action,
            } => {
                // HAProxy's keywords (`fastinter`, not the file's `fast-inter`).
                let action = match action {
                    OnError::FastInter => "fastinter",
                    OnError::FailCheck => "fail-check",
                    OnError::SuddenDeath => "sudden-death",
                    OnError::MarkDown => "mark-down",
                };
                format!("{lb}: Server web/{server}: {errors} consecutive errors seen in live traffic: {action}.")
            }
            LogEvent::NoServerAvailable { lb } => format!("{lb}: backend web has no server available!"),
            LogEvent::UsersSeeErrors {
                outcome,
                cause,
                server,
                database,
            } => format!(
                "Users are getting {}: {}",
                status_text(*outcome),
                cause_text(*cause, server.as_deref(), database.as_deref())
            ),
            LogEvent::WritesFailing { read_only: true, .. } => "Users are getting 500 Internal Server Error: writes are failing: ERROR 1290, the database is read-only (a replica)".to_string(),
            LogEvent::WritesFailing { writable, .. } => format!("Users are getting 500 Internal Server Error: writes are failing: {writable} writable database reachable"),
            LogEvent::AdminState { lb, server, state } => {
                let state = match state {
                    AdminState::Ready => "READY",
                    AdminState::Drain => "DRAIN",
                    AdminState::Maint => "MAINT",
                };
                format!("{lb}: Server web/{server} is now in {state} (set by the operator).")
            }
            LogEvent::SettingsChanged { part } => format!("Settings changed: {} settings", part.as_str()),
            LogEvent::WeightSet { server, weight } => format!("Settings changed: weight of {server} set to {weight}"),
            LogEvent::FlashCrowd { factor, duration_s } => format!(
                "Settings changed: flash crowd: traffic ×{} for {} s",
                Dec(*factor),
                Dec(*duration_s)
            ),
            LogEvent::AttackerReached { host, port, firewalls } => {
                let what = match port {
                    22 => "SSH",
                    3306 => "MySQL",
                    _ => "the web server, bypassing the load balancer",
                };
                let why = if *firewalls {
                    "its firewall is down"
                } else {
                    "there is no firewall"
                };
                format!("An attacker on the Internet connected to {what} on {host}:{port}: {why}.")
            }
            LogEvent::VrrpMaster { lb } => format!(
                "{lb}: VRRP entering MASTER state (no advert from the master for 3 × advert_int + skew); it now holds the floating IP and sends gratuitous ARPs (5, and 5 more after 5 s)."
            ),
            LogEvent::AlertFired { rule, target, detect_us } => format!(
                "ALERT {}: {target} (the trouble began {} s ago).",
                rule.as_str(),
                Fixed(*detect_us as f64 / 1e6, 1)
            ),
            LogEvent::AlertResolved { rule, target } => format!("Resolved {}: {target}.", rule.as_str()),
            LogEvent::SourcePurged { replica } => format!("{replica}: Got fatal error 1236 from source when reading data from binary log: 'Cannot replicate because the source purged required binary logs.' The replica must be rebuilt from a backup."),
            LogEvent::SemiSyncOn { source } => format!("{source}: Semi-sync replication switched ON (a replica caught up)."),
            LogEvent::SemiSyncOff { source, timeout_ms } => format!(
                "{source}: Timeout waiting for reply of binlog; Semi-sync replication switched OFF (rpl_semi_sync_source_timeout {} ms). Commits no longer wait: acknowledged writes can now be lost.",
                Dec(*timeout_ms)
            ),
            LogEvent::LostOnAck { old_primary, lost } => format!(
                "{old_primary} was replaced as the primary, but {lost} commits that waited there are now acknowledged to their clients: the new primary never had them, so they are lost."
            ),
            LogEvent::FailoverBlocked => "Failover blocked: another one happened less than RecoveryPeriodBlockSeconds ago.".to_string(),
            LogEvent::FailoverStarted { primary, candidate } => format!("Failover: primary {primary} is dead and its replicas lost it; promoting {candidate}, the most up-to-date replica, once its applier has drained its relay log."),
            LogEvent::Promoted {
                db,
                automatic,
                relay_dropped,
                never_reached,
                discarded,
                semi_sync,
            } => {
                let how = if *automatic {
                    "automatic failover"
                } else {
                    "manual promotion"
                };
                let mut text = format!(
                    "{db} promoted ({how}): STOP REPLICA; RESET REPLICA ALL; SET GLOBAL read_only = OFF; the apps now write to it."
                );
                if *relay_dropped > 0 {
                    text.push_str(&format!(
                        " RESET REPLICA dropped {relay_dropped} relay-log transactions not yet applied."
                    ));
                }
                if *never_reached > 0 {
                    text.push_str(&format!(" {never_reached} acknowledged transactions of the old primary never reached it: they are lost."));
                }
                if *discarded > 0 {
                    text.push_str(&format!(" {discarded} acknowledged transactions had reached it, but its crash discarded them from its relay log before they were applied (relay_log_recovery), and the old primary died before sending them again: they are lost."));
                    if *semi_sync {
                        text.push_str(" Semi-sync guards against one failure, not two.");
                    }
                }
                text
            }
            LogEvent::Rejoined { db } => format!("{db} is back and rejoins as a replica of the new primary (read_only = ON). Transactions only it has stay only on it."),
            LogEvent::SplitBrain { db } => format!("{db} is back as a WRITABLE primary: two primaries now take writes independently. Split brain: their rows diverge."),
        }
    }
}

fn fault_text(change: FaultChange) -> String {
    match change {
        FaultChange::Crashed => "crashed: every process stopped at once; its kernel refuses new connections (RST)".into(),
        FaultChange::DnsCrashed => "crashed: the DNS server stopped; its host answers queries with ICMP port unreachable, so resolvers give up at once".into(),
        FaultChange::CutOff => "cut off: packets to it vanish, peers wait for their timeouts".into(),
        FaultChange::DnsCutOff => "cut off: queries to it vanish; resolvers wait 5 s, ask again, and give up after 10 s".into(),
        FaultChange::Draining => "draining: HAProxy sends it no new users (DRAIN), current ones finish".into(),
        FaultChange::Stopping => "stopping gracefully: refuses new connections, finishes what it has".into(),
        FaultChange::Slowed { factor } => format!("slowed down: every service time ×{}", Dec(factor)),
        FaultChange::Restored => "restored".into(),
        FaultChange::LinkCut => "cut: a network partition, packets on it vanish".into(),
        FaultChange::LinkSlowed { factor } => format!("slowed: latency ×{}", Dec(factor)),
        FaultChange::LinkLossy { rate } => format!(
            "lossy: {}% of packets lost, each costs a retransmission",
            Fixed(rate * 100.0, 0)
        ),
        FaultChange::LinkRepaired => "repaired".into(),
    }
}

/// What users got, in the log's words.
fn status_text(o: Outcome) -> String {
    match o {
        Outcome::Http(500) => "500 Internal Server Error".into(),
        Outcome::Http(502) => "502 Bad Gateway".into(),
        Outcome::Http(503) => "503 Service Unavailable".into(),
        Outcome::Http(504) => "504 Gateway Timeout".into(),
        Outcome::Http(c) => c.to_string(),
        Outcome::DnsError => "a DNS error (the name does not resolve)".into(),
        Outcome::Refused => "connection refused".into(),
        Outcome::Timeout => "no answer (the browser timed out)".into(),
        Outcome::Pending => "nothing yet".into(),
    }
}

/// Why, in the terms of the component that failed them: `server` is the web host, `database`
/// the MySQL queried.
fn cause_text(cause: Cause, server: Option<&str>, database: Option<&str>) -> String {
    let server = server.unwrap_or("the server");
    let database = database.unwrap_or("its database");
    match cause {
        Cause::None => "the server answered with an error".into(),
        Cause::DnsUnreachable => {
            "the DNS server does not answer (the resolver asked twice, 5 s each), so www.foobar.com does not resolve".into()
        }
        Cause::DnsRefused => {
            "the DNS server's host says no DNS server runs there (ICMP port unreachable), so www.foobar.com does not resolve".into()
        }
        Cause::LbRefused => {
            "the load balancer refuses connections: it is down, and it is the only way in".into()
        }
        Cause::LbUnreachable => "the load balancer cannot be reached".into(),
        Cause::LbReset => "the load balancer died with their requests on it".into(),
        Cause::NoServer => "HAProxy has no server UP in the backend".into(),
        Cause::ConnectFailed => {
            format!("HAProxy could not connect to {server}, even after its retries")
        }
        Cause::QueueTimeout => {
            "requests waited in HAProxy's queue longer than `timeout queue`".into()
        }
        Cause::ServerReset => format!("{server} died with their requests on it"),
        Cause::ServerTimeout => {
            format!("{server} did not answer within HAProxy's `timeout server`")
        }
        Cause::AppDown => format!("Nginx on {server} cannot reach its app server"),
        Cause::AppTimeout => {
            format!("the app server on {server} did not answer within Nginx's `proxy_read_timeout`")
        }
        Cause::DbDown => format!("the app on {server} cannot reach {database}"),
        Cause::DbTimeout => format!("the app on {server} waited too long for {database}"),
        Cause::ReadOnly => "a write reached a read-only replica (ERROR 1290)".into(),
    }
}

/// A bounded ring of log entries, so memory stays flat.
#[derive(Debug, Clone)]
pub struct LogRing {
    items: std::collections::VecDeque<LogEntry>,
    cap: usize,
    /// Entries ever written: lets a reader ask for "what is new since n".
    pub written: u64,
}

impl LogRing {
    pub fn new(cap: usize) -> LogRing {
        LogRing {
            items: std::collections::VecDeque::new(),
            cap,
            written: 0,
        }
    }

    pub fn push(&mut self, t: SimTime, event: LogEvent) {
        if self.items.len() == self.cap {
            self.items.pop_front();
        }
        self.items.push_back(LogEntry { t, event });
        self.written += 1;
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &LogEntry> {
        self.items.iter()
    }

    /// Entries written after the first `seen` ever written (those still in the ring).
    pub fn since(&self, seen: u64) -> impl Iterator<Item = &LogEntry> {
        let first_kept = self.written - self.items.len() as u64;
        let skip = seen.saturating_sub(first_kept) as usize;
        self.items.iter().skip(skip)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Status transitions kept for the summary and the page.
pub const TRANSITION_RING: usize = 4096;

/// A change of a status someone watches, for the summary and the page.
#[derive(Debug, Clone, Serialize)]
pub struct Transition {
    pub t_ms: f64,
    pub node: String,
    pub what: &'static str,
    pub from: String,
    pub to: String,
}

/// Adds a transition at `now`, forgetting the oldest beyond `TRANSITION_RING`.
pub fn push_transition(
    ring: &mut std::collections::VecDeque<Transition>,
    now: SimTime,
    node: &str,
    what: &'static str,
    from: String,
    to: String,
) {
    if ring.len() == TRANSITION_RING {
        ring.pop_front();
    }
    ring.push_back(Transition {
        t_ms: now.as_ms(),
        node: node.to_string(),
        what,
        from,
        to,
    });
}
