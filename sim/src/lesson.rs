//! Guided lessons: each teaches one topic of the web stack by doing. A lesson is data
//! (its words live in the page's `lang/<code>.json`, under `lessons`): a scenario, a
//! prediction question, steps to take (with the action each expects, so the page can
//! highlight the node and a test can do it), a check the sim evaluates on what actually
//! happened, and an explanation.

use crate::action::Action;
use crate::error::BookError;
use crate::haproxy::Reason;
use crate::lab::Lab;
use crate::num::Fixed;
use crate::scenario::Balance;
use crate::scenario::Rule;
use crate::snapshot::ServerStatus;
use crate::trace::{Cause, Outcome, ReqKind};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub id: String,
    /// The topic it teaches ("Load balancer: round robin").
    pub topic: String,
    pub title: String,
    /// The shipped scenario it starts from (`scenarios/<name>.json`).
    pub scenario: String,
    /// Actions applied before the student starts (e.g. a slower applier).
    #[serde(default)]
    pub setup: Vec<Action>,
    pub intro: String,
    pub predict: Prediction,
    pub steps: Vec<Step>,
    pub check: Check,
    /// What the check looks for, in words (shown while it is not yet met).
    pub goal: String,
    /// Why it happened, tied to the real software.
    pub explain: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prediction {
    pub question: String,
    pub choices: Vec<String>,
    /// Index of the right choice.
    pub answer: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub text: String,
    /// What the page outlines for this step: a node (`web-01`) or a tab (`tab:request`); a
    /// step's settings are outlined where they are still to make.
    #[serde(default)]
    pub highlight: Option<String>,
    /// What the step asks the student to do, if anything.
    #[serde(default)]
    pub action: Option<Action>,
    /// A request the student must open in the page's inspector, by the start of its path
    /// (`POST /login`): the page says when it was.
    #[serde(default)]
    pub inspect: Option<String>,
    /// Simulated seconds to watch after it.
    #[serde(default)]
    pub wait_s: f64,
}

/// What the sim checks after the student acted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Check {
    /// HAProxy marked this server DOWN.
    ServerDown { server: String },
    /// HAProxy marked it DOWN and no request that reached HAProxy after that failed.
    DownThenNoErrors { server: String },
    /// At least `min` requests were refused: the site was unreachable.
    SiteDown { min: u64 },
    /// Round robin: at least `min` requests sent, shared within one between the servers.
    EvenSplit { min: u64 },
    /// With `balance`, this slow server got less than `max_share` of the requests since.
    SlowServerAvoided {
        server: String,
        balance: Balance,
        max_share: f64,
    },
    /// At least `min` users made several requests, each always to the same server.
    Sticky { min: u64 },
    /// The backup served nothing while the active server was UP, then took over.
    BackupTookOver { backup: String },
    /// A write sent by hand was acknowledged and then applied on a replica.
    Replicated,
    /// A write reached a read-only replica: ERROR 1290.
    ReadOnlyError,
    /// A read returned data older than the primary's.
    StaleRead,
    /// With read-your-writes on, at least `min` replica-routed reads and none stale.
    ReadYourWrites { min: u64 },
    /// Writes failed because the primary was down, while reads still worked.
    WritesFailReadsWork,
    /// A failover promoted a replica.
    Failover,
    /// A failover lost acknowledged writes.
    LostWrites,
    /// The eavesdropper read a password.
    PasswordSeen,
    /// The attacker reached this port (e.g. 3306) on some host.
    AttackerReached { port: u16 },
    /// The attacker tried and every probe was dropped.
    AttackerBlocked,
    /// Users saw errors for at least `min_s` seconds with no alert firing.
    UnnoticedErrors { min_s: u64 },
    /// An alert of this rule fired (`host down`, `5xx rate` …).
    AlertFired { rule: String },
    /// The backup load balancer took the floating IP.
    VipMoved,
    /// Users got this HTTP status at least `min` times.
    Status { code: u16, min: u64 },
    /// Every one of these.
    All { of: Vec<Check> },
}

/// The check's verdict and what it saw.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub passed: bool,
    pub seen: Seen,
}

/// What a lesson's check saw, as names, numbers and enums the page can word in any language;
/// `Display` writes it in English.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Seen {
    /// HAProxy's status string for the server (`UP`, `DOWN 1/2`), as HAProxy writes it.
    ServerStatus {
        server: String,
        status: ServerStatus,
    },
    NoSuchServer {
        server: String,
    },
    NotDownYet {
        server: String,
    },
    SinceDown {
        server: String,
        requests: u64,
        failed: u64,
    },
    RefusedOrUnanswered {
        requests: u64,
    },
    /// Requests sent to each server, in order.
    Served {
        counts: Vec<u64>,
    },
    NothingBalancedBy {
        balance: Balance,
    },
    BalancedShare {
        requests: u64,
        balance: Balance,
        percent: f64,
        server: String,
    },
    KeptTheirServer {
        kept: u64,
        returning: u64,
    },
    NoActiveDownYet,
    BackupServed {
        backup: String,
        before: u64,
        after: u64,
    },
    WriteReplicated,
    WriteNotReplicatedYet,
    ReadOnlyRefusals {
        writes: u64,
    },
    StaleReads {
        reads: u64,
    },
    ReadYourWrites {
        on: bool,
        stale: u64,
        reads: u64,
    },
    NoWriteFailedYet,
    WritesFailReadsWork,
    NoReadSinceWritesFailed,
    Failovers {
        failovers: u64,
    },
    LostWrites {
        writes: u64,
    },
    PasswordsRead {
        passwords: u64,
    },
    PortNotReached {
        port: u16,
    },
    /// The attacker reached `target` (`host:port`).
    AttackerReached {
        target: String,
    },
    Probes {
        dropped: u64,
        through: u64,
    },
    UnnoticedErrors {
        seconds: u64,
    },
    /// `rule` as the lesson's check names it (`host down`: a key of the lesson file).
    NoAlertYet {
        rule: String,
    },
    AlertFired {
        rule: Rule,
        detect_us: u64,
    },
    VipMoved,
    VipNotMoved,
    StatusCount {
        requests: u64,
        code: u16,
    },
    /// What each of an `all` check's checks saw.
    All {
        of: Vec<Seen>,
    },
}

impl std::fmt::Display for Seen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Seen::ServerStatus { server, status } => write!(f, "{server} is {status}"),
            Seen::NoSuchServer { server } => write!(f, "no server {server}"),
            Seen::NotDownYet { server } => write!(f, "{server} has not been marked DOWN yet"),
            Seen::SinceDown {
                server,
                requests,
                failed,
            } => write!(
                f,
                "{requests} requests since {server} went DOWN, {failed} failed"
            ),
            Seen::RefusedOrUnanswered { requests } => {
                write!(f, "{requests} requests refused or unanswered")
            }
            Seen::Served { counts } => write!(f, "served {counts:?}"),
            Seen::NothingBalancedBy { balance } => {
                write!(f, "no request balanced by {} yet", balance.as_str())
            }
            Seen::BalancedShare {
                requests,
                balance,
                percent,
                server,
            } => write!(
                f,
                "{requests} requests balanced by {}, {}% to {server}",
                balance.as_str(),
                Fixed(*percent, 0)
            ),
            Seen::KeptTheirServer { kept, returning } => {
                write!(f, "{kept} of {returning} returning users kept their server")
            }
            Seen::NoActiveDownYet => f.write_str("no active server has gone DOWN yet"),
            Seen::BackupServed {
                backup,
                before,
                after,
            } => write!(f, "{backup} served {before} before, {after} after"),
            Seen::WriteReplicated => f.write_str("your write reached the replica"),
            Seen::WriteNotReplicatedYet => {
                f.write_str("no write sent by hand has reached the replica yet")
            }
            Seen::ReadOnlyRefusals { writes } => {
                write!(f, "{writes} writes refused with ERROR 1290")
            }
            Seen::StaleReads { reads } => write!(f, "{reads} stale reads"),
            Seen::ReadYourWrites { on, stale, reads } => write!(
                f,
                "read-your-writes {}, {stale} stale among the last {reads} reads",
                if *on { "on" } else { "off" }
            ),
            Seen::NoWriteFailedYet => f.write_str("no write has failed yet"),
            Seen::WritesFailReadsWork => f.write_str("writes fail, reads still work"),
            Seen::NoReadSinceWritesFailed => f.write_str("no read has succeeded since"),
            Seen::Failovers { failovers } => write!(f, "{failovers} failovers"),
            Seen::LostWrites { writes } => write!(f, "{writes} acknowledged writes lost"),
            Seen::PasswordsRead { passwords } => {
                write!(f, "the eavesdropper read {passwords} passwords")
            }
            Seen::PortNotReached { port } => write!(f, "port {port} not reached yet"),
            Seen::AttackerReached { target } => write!(f, "the attacker reached {target}"),
            Seen::Probes { dropped, through } => {
                write!(f, "{dropped} probes dropped, {through} got through")
            }
            Seen::UnnoticedErrors { seconds } => write!(
                f,
                "users saw errors for {seconds} s that nobody was alerted about"
            ),
            Seen::NoAlertYet { rule } => write!(f, "no {rule} alert yet"),
            Seen::AlertFired { rule, detect_us } => write!(
                f,
                "{} fired {} s after the trouble began",
                rule.as_str(),
                Fixed(*detect_us as f64 / 1e6, 1)
            ),
            Seen::VipMoved => f.write_str("lb-02 took the floating IP"),
            Seen::VipNotMoved => f.write_str("lb-01 still holds the floating IP"),
            Seen::StatusCount { requests, code } => write!(f, "{requests} × {code}"),
            Seen::All { of } => {
                for (i, s) in of.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{s}")?;
                }
                Ok(())
            }
        }
    }
}

fn verdict(passed: bool, seen: Seen) -> Verdict {
    Verdict { passed, seen }
}

impl Check {
    /// Evaluates the check on the run as it is now (its whole history since the lesson
    /// began is in its counters, traces and transitions).
    #[inline]
    pub fn evaluate(&self, lab: &Lab) -> Verdict {
        // HAProxy's view of each web host (the first load balancer's), read through the lab's
        // queries (no summary: this runs a few times a second in the page).
        let servers = || lab.backends();
        let server_named = |name: &str| servers().find(|s| s.name() == name);
        let host = |t: &crate::trace::Trace| t.server.map(|h| lab.topology().node(h).name.clone());
        let traces = || lab.traces().iter();
        match self {
            Check::ServerDown { server } => match server_named(server) {
                Some(s) => verdict(
                    s.first_down_at().is_some(),
                    Seen::ServerStatus {
                        server: server.clone(),
                        status: s.status(),
                    },
                ),
                None => verdict(
                    false,
                    Seen::NoSuchServer {
                        server: server.clone(),
                    },
                ),
            },
            Check::DownThenNoErrors { server } => {
                let Some(down) = server_named(server)
                    .and_then(|s| s.first_down_at())
                    .map(|t| t.as_ms())
                else {
                    let server = server.clone();
                    return verdict(false, Seen::NotDownYet { server });
                };
                let after: Vec<_> = traces()
                    .filter(|t| t.start.as_ms() > down + 100.0)
                    .collect();
                let failed = after.iter().filter(|t| !t.outcome.is_ok()).count() as u64;
                verdict(
                    after.len() >= 10 && failed == 0,
                    Seen::SinceDown {
                        server: server.clone(),
                        requests: after.len() as u64,
                        failed,
                    },
                )
            }
            Check::SiteDown { min } => {
                let n = lab.totals().unanswered();
                verdict(n >= *min, Seen::RefusedOrUnanswered { requests: n })
            }
            Check::EvenSplit { min } => {
                // Requests sent to each (answers still on their way do not count yet).
                let served: Vec<u64> = servers().map(|s| s.stot()).collect();
                let total: u64 = served.iter().sum();
                let spread = served.iter().max().unwrap_or(&0) - served.iter().min().unwrap_or(&0);
                verdict(
                    total >= *min && spread <= 1,
                    Seen::Served { counts: served },
                )
            }
            Check::SlowServerAvoided {
                server,
                balance,
                max_share,
            } => {
                let reason = Reason::of(*balance);
                let chosen: Vec<_> = traces().filter(|t| t.reason == Some(reason)).collect();
                if chosen.is_empty() {
                    let balance = *balance;
                    return verdict(false, Seen::NothingBalancedBy { balance });
                }
                let on = chosen
                    .iter()
                    .filter(|t| host(t).as_deref() == Some(server))
                    .count();
                let share = on as f64 / chosen.len() as f64;
                verdict(
                    chosen.len() >= 50 && share < *max_share,
                    Seen::BalancedShare {
                        requests: chosen.len() as u64,
                        balance: *balance,
                        percent: share * 100.0,
                        server: server.clone(),
                    },
                )
            }
            Check::Sticky { min } => {
                // Per user: the first server, the requests, whether all went there. A list, not
                // a map: the ring holds a few hundred traces, and a map's code is page weight.
                let mut users: Vec<(u32, Option<String>, u32, bool)> = Vec::new();
                for t in traces().filter(|t| t.server.is_some()) {
                    let at = match users.iter().position(|u| u.0 == t.client_ip) {
                        Some(i) => i,
                        None => {
                            users.push((t.client_ip, host(t), 0, true));
                            users.len() - 1
                        }
                    };
                    let e = &mut users[at];
                    e.2 += 1;
                    if e.1 != host(t) {
                        e.3 = false;
                    }
                }
                let repeat: Vec<_> = users.iter().filter(|e| e.2 >= 2).collect();
                let stuck = repeat.iter().filter(|e| e.3).count() as u64;
                verdict(
                    stuck >= *min && stuck == repeat.len() as u64,
                    Seen::KeptTheirServer {
                        kept: stuck,
                        returning: repeat.len() as u64,
                    },
                )
            }
            Check::BackupTookOver { backup } => {
                let Some(down) = servers()
                    .filter(|s| s.name() != backup)
                    .find_map(|s| s.first_down_at())
                    .map(|t| t.as_ms())
                else {
                    return verdict(false, Seen::NoActiveDownYet);
                };
                let before = traces()
                    .filter(|t| {
                        t.start.as_ms() < down - 1000.0 && host(t).as_deref() == Some(backup)
                    })
                    .count() as u64;
                let after = traces()
                    .filter(|t| {
                        t.start.as_ms() > down
                            && host(t).as_deref() == Some(backup)
                            && t.outcome.is_ok()
                    })
                    .count() as u64;
                verdict(
                    before == 0 && after >= 5,
                    Seen::BackupServed {
                        backup: backup.clone(),
                        before,
                        after,
                    },
                )
            }
            Check::Replicated => {
                let replicated = traces()
                    .filter(|t| t.traced && t.kind == ReqKind::Write && t.outcome.is_ok())
                    .any(|t| t.gtid.is_some_and(|g| lab.replicated(g)));
                verdict(
                    replicated,
                    if replicated {
                        Seen::WriteReplicated
                    } else {
                        Seen::WriteNotReplicatedYet
                    },
                )
            }
            Check::ReadOnlyError => {
                let n = traces().filter(|t| t.cause == Cause::ReadOnly).count() as u64;
                verdict(n > 0, Seen::ReadOnlyRefusals { writes: n })
            }
            Check::StaleRead => verdict(
                lab.totals().stale_reads > 0,
                Seen::StaleReads {
                    reads: lab.totals().stale_reads,
                },
            ),
            Check::ReadYourWrites { min } => {
                let on = lab.live_scenario().app.read_your_writes
                    != crate::scenario::ReadYourWrites::Off;
                let reads: Vec<_> = traces()
                    .filter(|t| t.kind == ReqKind::Read && t.outcome.is_ok())
                    .collect();
                let recent = &reads[reads.len().saturating_sub(*min as usize)..];
                let stale = recent.iter().filter(|t| t.stale).count() as u64;
                verdict(
                    on && recent.len() as u64 >= *min && stale == 0,
                    Seen::ReadYourWrites {
                        on,
                        stale,
                        reads: recent.len() as u64,
                    },
                )
            }
            Check::WritesFailReadsWork => {
                let failed =
                    traces().find(|t| t.kind == ReqKind::Write && t.cause == Cause::DbDown);
                let read_after = failed.as_ref().is_some_and(|f| {
                    traces()
                        .any(|t| t.kind == ReqKind::Read && t.outcome.is_ok() && t.start > f.start)
                });
                verdict(
                    read_after,
                    if failed.is_none() {
                        Seen::NoWriteFailedYet
                    } else if read_after {
                        Seen::WritesFailReadsWork
                    } else {
                        Seen::NoReadSinceWritesFailed
                    },
                )
            }
            Check::Failover => {
                let failovers = lab.replication().failovers;
                verdict(failovers > 0, Seen::Failovers { failovers })
            }
            Check::LostWrites => {
                let writes = lab.replication().lost_count;
                verdict(writes > 0, Seen::LostWrites { writes })
            }
            Check::PasswordSeen => {
                let passwords = lab.security().passwords_seen;
                verdict(passwords > 0, Seen::PasswordsRead { passwords })
            }
            Check::AttackerReached { port } => {
                let hit = lab
                    .security()
                    .exposed
                    .iter()
                    .find(|e| e.ends_with(&format!(":{port}")));
                verdict(
                    hit.is_some(),
                    hit.map_or(Seen::PortNotReached { port: *port }, |h| {
                        Seen::AttackerReached { target: h.clone() }
                    }),
                )
            }
            Check::AttackerBlocked => {
                let s = lab.security();
                verdict(
                    s.attacker_blocked > 0 && s.attacker_reached == 0,
                    Seen::Probes {
                        dropped: s.attacker_blocked,
                        through: s.attacker_reached,
                    },
                )
            }
            Check::UnnoticedErrors { min_s } => {
                let seconds = lab.monitoring().unnoticed_error_seconds;
                verdict(seconds >= *min_s, Seen::UnnoticedErrors { seconds })
            }
            Check::AlertFired { rule } => {
                let a = lab
                    .monitoring()
                    .alerts
                    .iter()
                    .find(|a| a.rule.as_str() == rule);
                verdict(
                    a.is_some(),
                    a.map_or(Seen::NoAlertYet { rule: rule.clone() }, |a| {
                        Seen::AlertFired {
                            rule: a.rule,
                            detect_us: a.detect_us(),
                        }
                    }),
                )
            }
            Check::VipMoved => {
                let moved = lab
                    .transitions()
                    .any(|t| t.what == "vrrp" && t.to == "MASTER" && t.node != "lb-01");
                verdict(
                    moved,
                    if moved {
                        Seen::VipMoved
                    } else {
                        Seen::VipNotMoved
                    },
                )
            }
            Check::Status { code, min } => {
                let n = traces()
                    .filter(|t| t.outcome == Outcome::Http(*code))
                    .count() as u64;
                verdict(
                    n >= *min,
                    Seen::StatusCount {
                        requests: n,
                        code: *code,
                    },
                )
            }
            Check::All { of } => {
                let vs: Vec<Verdict> = of.iter().map(|c| c.evaluate(lab)).collect();
                verdict(
                    vs.iter().all(|v| v.passed),
                    Seen::All {
                        of: vs.into_iter().map(|v| v.seen).collect(),
                    },
                )
            }
        }
    }
}

impl Lesson {
    /// The simulated time the steps take, watching included.
    pub fn duration_s(&self) -> f64 {
        self.steps.iter().map(|s| s.wait_s).sum()
    }
}

/// Parses a lesson book (the `lessons` of `lang/<code>.json`): every lesson, or a message
/// naming what is wrong.
#[inline]
pub fn parse_book(text: &str) -> Result<Vec<Lesson>, BookError> {
    parse_book_bytes(text.as_bytes())
}

/// The same from bytes (the page reads fetched files as bytes).
#[inline]
pub fn parse_book_bytes(bytes: &[u8]) -> Result<Vec<Lesson>, BookError> {
    let value = crate::json::parse(bytes).map_err(BookError::NotABook)?;
    book_from(&value)
}

/// The same from a JSON value already parsed (a language file's `lessons`).
#[inline]
pub fn book_from(value: &crate::json::Value) -> Result<Vec<Lesson>, BookError> {
    let lessons: Vec<Lesson> = crate::json::from_value(value).map_err(BookError::NotABook)?;
    for l in &lessons {
        if l.predict.answer >= l.predict.choices.len() {
            return Err(BookError::AnswerNotAChoice {
                lesson: l.id.clone(),
            });
        }
        for a in l
            .setup
            .iter()
            .chain(l.steps.iter().filter_map(|s| s.action.as_ref()))
        {
            a.validate().map_err(|error| BookError::BadAction {
                lesson: l.id.clone(),
                error,
            })?;
        }
    }
    Ok(lessons)
}
