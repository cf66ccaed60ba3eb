//! The narrated event log (SPEC U4): what happened, in the words the real software uses.
//!
//! Entries are structured (`LogEvent`) so the page can translate them (U11); `text()` gives the
//! English line, HAProxy's own wording where HAProxy would log it, after the balancer's name as
//! syslog writes the host (`lb-01: Server web/web-01 is DOWN, …`): with two load balancers each
//! logs its own view.

use crate::haproxy::CheckStatus;
use crate::time::SimTime;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum LogEvent {
    /// A user (or the scenario) broke or restored something.
    Fault {
        target: String,
        fault: String,
    },
    /// A health check failed while the server was not DOWN.
    CheckFailed {
        lb: String,
        server: String,
        status: CheckStatus,
        duration_ms: u64,
        /// The state after it, as HAProxy's log line ends: `2/3 UP`.
        now: String,
    },
    /// A health check passed and moved the counter (going up, or back to fully UP).
    CheckPassed {
        lb: String,
        server: String,
        status: CheckStatus,
        duration_ms: u64,
        now: String,
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
    /// `observe` saw `error_limit` consecutive errors.
    PassiveCheck {
        lb: String,
        server: String,
        errors: u32,
        action: String,
    },
    NoServerAvailable {
        lb: String,
    },
    /// Users started getting errors of one kind (rate-limited narration).
    UsersSeeErrors {
        status: String,
        why: String,
    },
    AdminState {
        lb: String,
        server: String,
        state: String,
    },
    SettingsChanged {
        what: String,
    },
    /// A free-form line (lessons, scenario notes).
    Note {
        text: String,
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
    /// `Server web/web-01 is DOWN, reason: Layer4 connection problem, …`.
    pub fn text(&self) -> String {
        match &self.event {
            LogEvent::Fault { target, fault } => format!("{target}: {fault}"),
            LogEvent::CheckFailed {
                lb,
                server,
                status,
                duration_ms,
                now,
            } => format!(
                "{lb}: Health check for server web/{server} failed, reason: {}, check duration: {duration_ms}ms, status: {}.",
                status.reason(),
                now
            ),
            LogEvent::CheckPassed {
                lb,
                server,
                status,
                duration_ms,
                now,
            } => format!(
                "{lb}: Health check for server web/{server} succeeded, reason: {}, check duration: {duration_ms}ms, status: {}.",
                status.reason(),
                now
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
            } => format!("{lb}: Server web/{server}: {errors} consecutive errors seen in live traffic: {action}."),
            LogEvent::NoServerAvailable { lb } => format!("{lb}: backend web has no server available!"),
            LogEvent::UsersSeeErrors { status, why } => format!("Users are getting {status}: {why}"),
            LogEvent::AdminState { lb, server, state } => format!("{lb}: Server web/{server} is now in {state} (set by the operator)."),
            LogEvent::SettingsChanged { what } => format!("Settings changed: {what}"),
            LogEvent::Note { text } => text.clone(),
        }
    }
}

/// A bounded ring of log entries (P5).
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
