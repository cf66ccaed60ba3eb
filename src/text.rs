//! Every word the page shows (SPEC U11), in English, in one place so that a later issue can
//! load them from data files and translate them. Components never spell out a user-visible
//! string themselves; they call these. The event log's lines come from the core's
//! `LogEntry::text()` (its structured `LogEvent` is what a translation will key on).

use foobar_sim::haproxy::Reason;
use foobar_sim::num::{Dec, Fixed};
use foobar_sim::scenario::TimingPreset;
use foobar_sim::trace::{Cause, Outcome, ReqKind};
use foobar_sim::world::{AdminState, DbRole};
use foobar_sim::{LinkRole, NodeKind};

pub const TITLE: &str = "Foobar Lab — www.foobar.com";
pub const SKIP_TO_DIAGRAM: &str = "Skip to the diagram";
pub const DIAGRAM_LABEL: &str =
    "Diagram of www.foobar.com: every host, component and link. Click or press Enter on one to \
     break it or bring it back; right click, long press or Shift+F10 for more.";
pub const CANVAS_LABEL: &str = "Requests in flight";

// ----- the time controls (SPEC U3) -------------------------------------------------------

pub const TIME_CONTROLS: &str = "Time";
pub const PLAY: &str = "▶ Play";
pub const PAUSE: &str = "❚❚ Pause";
pub const STEP: &str = "⇥ Step";
pub const PLAY_HELP: &str = "Run the simulation (Space)";
pub const PAUSE_HELP: &str = "Freeze the simulation (Space)";
pub const STEP_HELP: &str = "Run only the next event, then pause (.)";
pub const SPEED: &str = "Speed";
pub const SPEED_HELP: &str = "From 1/1000 of real time to 100 times real time ([ and ])";
pub const TIMELINE: &str = "Timeline";
pub const TIMELINE_HELP: &str = "Drag back to replay any earlier moment";
pub const TIMING: &str = "Timing";
pub const CLASSROOM: &str = "Classroom";
pub const REALISTIC: &str = "Realistic";
pub const TIMING_HELP: &str = "Classroom slows the network and the servers so one request's \
                               trip takes about a second to watch; health checks and timeouts \
                               keep their real values. Realistic uses real latencies.";

pub fn speed(speed: f64) -> String {
    if speed >= 1.0 {
        let rounded = (speed * 10.0).round() / 10.0;
        format!("{}×", Dec(rounded))
    } else {
        let inverse = (1.0 / speed).round();
        format!("1/{}×", Dec(inverse))
    }
}

/// A simulated moment as minutes, seconds and tenths: `1:02.3`.
pub fn clock(us: u64) -> String {
    let tenths = us / 100_000;
    let (m, s, d) = (tenths / 600, tenths / 10 % 60, tenths % 10);
    if m >= 60 {
        format!("{}:{:02}:{s:02}.{d}", m / 60, m % 60)
    } else {
        format!("{m}:{s:02}.{d}")
    }
}

pub fn clock_of(now_us: u64, horizon_us: u64) -> String {
    format!("{} / {}", clock(now_us), clock(horizon_us))
}

/// Milliseconds with sensible precision: `0.25 ms`, `12 ms`, `1.20 s`.
pub fn duration_us(us: u64) -> String {
    if us >= 1_000_000 {
        format!("{} s", Fixed(us as f64 / 1e6, 2))
    } else if us >= 10_000 {
        format!("{} ms", Fixed(us as f64 / 1e3, 0))
    } else {
        format!("{} ms", Fixed(us as f64 / 1e3, 2))
    }
}

// ----- the diagram (SPEC U1, U2) ---------------------------------------------------------

/// A node's kind, as a title and a line below it.
// The core may add kinds as it grows: those get their name until they get words here.
#[allow(unreachable_patterns)]
pub fn node_kind(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Users => ("Users", "browsers"),
        NodeKind::Dns => ("DNS", "www.foobar.com"),
        NodeKind::Host => ("Host", "a machine"),
        NodeKind::Haproxy => ("HAProxy", "load balancer"),
        NodeKind::Keepalived => ("keepalived", "VRRP"),
        NodeKind::Nginx => ("Nginx", "web server"),
        NodeKind::App => ("App server", "application"),
        NodeKind::Mysql => ("MySQL", "database"),
        NodeKind::Firewall => ("Firewall", "packet filter"),
        NodeKind::MonitorAgent => ("Monitoring", "agent"),
        NodeKind::Attacker => ("Attacker", "probes every port"),
        NodeKind::Monitoring => ("Monitoring", "alerts server"),
        other => (other.as_str(), ""),
    }
}

pub fn db_role(role: DbRole, read_only: bool) -> &'static str {
    match (role, read_only) {
        (DbRole::Primary, false) => "primary",
        (DbRole::Primary, true) => "primary (read_only)",
        (DbRole::Replica, true) => "replica (read_only)",
        (DbRole::Replica, false) => "replica (writable!)",
        (DbRole::OldPrimary, true) => "replica (read_only)",
        (DbRole::OldPrimary, false) => "replica (writable!)",
    }
}

/// A node's own condition as its badge shows it: an icon and a word (never colour alone).
pub fn state_badge(state: &str, slow: f64) -> String {
    match state {
        "up" => "✓ UP".into(),
        "crashed" => "✕ CRASHED".into(),
        "partitioned" => "✂ CUT OFF".into(),
        "drain" => "❚❚ DRAIN".into(),
        "slow" => format!("◔ SLOW ×{}", rounded(slow, 2)),
        _ => "?".into(),
    }
}

/// The state words for screen readers and the text view.
pub fn state_words(state: &str) -> &'static str {
    match state {
        "up" => "up",
        "crashed" => "crashed",
        "partitioned" => "cut off (partitioned)",
        "drain" => "draining",
        "slow" => "slow",
        "lossy" => "losing packets",
        _ => "unknown",
    }
}

/// Which way HAProxy's status string says a server is: settled `UP` or `DOWN`, on its way
/// (`UP 2/3` is going down, `DOWN 1/2` coming up), or set by hand (`MAINT`, `DRAIN`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Up,
    GoingDown,
    Down,
    GoingUp,
    Admin,
}

impl Trend {
    pub fn of(status: &str) -> Trend {
        if status == "UP" {
            Trend::Up
        } else if status.starts_with("UP ") {
            Trend::GoingDown
        } else if status == "DOWN" {
            Trend::Down
        } else if status.starts_with("DOWN ") {
            Trend::GoingUp
        } else {
            Trend::Admin
        }
    }

    /// Its name in CSS classes: `up`, `going-down`, `down`, `going-up`, `admin`.
    pub fn name(self) -> &'static str {
        match self {
            Trend::Up => "up",
            Trend::GoingDown => "going-down",
            Trend::Down => "down",
            Trend::GoingUp => "going-up",
            Trend::Admin => "admin",
        }
    }
}

/// HAProxy's status string with an icon: the icon says which way it is heading.
pub fn check_badge(status: &str) -> String {
    let icon = match Trend::of(status) {
        Trend::Up => "▲",
        Trend::GoingDown => "◆",
        Trend::Down => "▼",
        Trend::GoingUp => "◇",
        Trend::Admin if status == "MAINT" => "■",
        Trend::Admin => "●",
    };
    format!("{icon} {status}")
}

pub const HAPROXY_SEES: &str = "HAProxy:";
pub const TRUTH_VS_HAPROXY: &str = "✓ UP: what is true · HAProxy: ▲ UP: what its checks know";

pub fn served(n: u64) -> String {
    format!("{n} served")
}

pub fn app_load(busy: u32, workers: u32, backlog: u32) -> String {
    if backlog > 0 {
        format!("{busy}/{workers} busy, {backlog} waiting")
    } else {
        format!("{busy}/{workers} workers busy")
    }
}

pub fn vrrp(state: &str, holds_vip: bool) -> String {
    if holds_vip {
        format!("{state} · VIP")
    } else {
        state.to_string()
    }
}

pub fn lag(us: u64) -> String {
    format!("lag {} s", Fixed(us as f64 / 1e6, 1))
}

pub fn node_aria(name: &str, title: &str, what: &str, state: &str, check: Option<&str>) -> String {
    let mut s = format!("{name}: {title}");
    if !what.is_empty() {
        s.push(' ');
        s.push_str(what);
    }
    s.push_str(", ");
    s.push_str(state_words(state));
    if let Some(c) = check {
        s.push_str(&format!("; HAProxy sees it {c}"));
    }
    s
}

pub fn link_carries(role: LinkRole) -> &'static str {
    match role {
        LinkRole::Dns => "DNS lookup",
        LinkRole::Web => "Internet",
        LinkRole::Backend => "HTTP to a web host",
        LinkRole::Vrrp => "VRRP adverts",
        LinkRole::Data => "MySQL",
    }
}

pub const REPLICATION: &str = "replication";

pub fn link_state(state: &str, slow: f64, loss: f64) -> String {
    match state {
        "partitioned" => "✂ cut".into(),
        "slow" => format!("◔ slow ×{}", rounded(slow, 2)),
        "lossy" => format!("≈ {}% lost", Fixed(loss * 100.0, 0)),
        _ => String::new(),
    }
}

/// A number to `places` decimals at most, without trailing zeros (`2.5`, `3`).
pub fn rounded(v: f64, places: i32) -> String {
    let k = 10f64.powi(places);
    Dec((v * k).round() / k).to_string()
}

// ----- the request dots' legend ----------------------------------------------------------

pub const LEGEND: &str = "Requests";
pub const LEGEND_STATIC: &str = "static file";
pub const LEGEND_READ: &str = "page read";
pub const LEGEND_WRITE: &str = "write";
pub const LEGEND_OK: &str = "answered OK";
pub const LEGEND_ERROR: &str = "error";
pub const LEGEND_STALE: &str = "stale read";
pub const LEGEND_REPLICATION: &str = "binlog event to a replica";
pub const LEGEND_COUNTS: &str = "Reduced motion: numbers count the requests at each node.";
pub const PICK: &str = "◎ Inspect a request";
pub const PICK_HELP: &str = "Then click a moving dot to see its journey";
pub const PICKING: &str = "Click a dot… (Esc to cancel)";

pub fn in_flight(n: usize) -> String {
    format!("{n} in flight")
}

// ----- the node menu (SPEC U2) -----------------------------------------------------------

pub fn menu_title(name: &str) -> String {
    format!("{name}: break or restore")
}
pub const CRASH: &str = "Crash (stop every process now)";
pub const CRASH_SHORT: &str = "Crash";
pub const CUT_SHORT: &str = "Cut";
pub const PARTITION: &str = "Cut off (network partition)";
pub const DRAIN: &str = "Drain (finish current work, take no new)";
pub const SLOW10: &str = "Slow ×10";
pub const RESTORE: &str = "Restore";
pub const SEND_STATIC: &str = "Send one request for a static file";
pub const SEND_READ: &str = "Send one page read (GET /products)";
pub const SEND_WRITE: &str = "Send one write (POST /signup)";
pub const FLASH_CROWD: &str = "Flash crowd: ×10 traffic for 10 s";
pub const HAPROXY_ADMIN: &str = "HAProxy's view of it";
pub fn admin_state(state: AdminState) -> &'static str {
    match state {
        AdminState::Ready => "set server state ready",
        AdminState::Drain => "set server state drain",
        AdminState::Maint => "set server state maint",
    }
}
pub fn link_menu(other_end: &str) -> String {
    format!("Link to {other_end}")
}
pub const CUT_LINK: &str = "Cut (partition)";
pub const SLOW_LINK: &str = "Slow ×10";
pub const LOSSY_LINK: &str = "Lose 20% of packets";
pub const REPAIR_LINK: &str = "Repair";
pub const CLOSE_MENU: &str = "Close (Esc)";
pub fn current(label: &str) -> String {
    format!("{label} ✓")
}

// ----- panels (SPEC U4) ------------------------------------------------------------------

pub const TAB_METRICS: &str = "Metrics";
pub const TAB_STATS: &str = "HAProxy stats";
pub const TAB_REQUEST: &str = "Request";
pub const TAB_DATABASE: &str = "Database";
pub const TAB_SETTINGS: &str = "Settings";
pub const TAB_TEXT: &str = "Text view";
pub const TAB_WATCH: &str = "Alerts";
pub const PANELS: &str = "Panels";

pub const LOG: &str = "Event log";
pub const LOG_EMPTY: &str = "Nothing has happened yet. Click a server to break it.";
pub const LOG_TIME: &str = "Time";
pub const LOG_EVENT: &str = "Event";

pub const CHART_REQUESTS: &str = "Requests/s per backend";
pub const CHART_LATENCY: &str = "Latency (ms)";
pub const CHART_ERRORS: &str = "Errors/s by status";
pub const CHART_QUEUE: &str = "Longest queue";
pub const CHART_LAG: &str = "Replication lag (s)";
pub const CHART_ALL: &str = "all";
pub const NO_ANSWER: &str = "no answer";
pub const LAST_MINUTE: &str = "last 60 s";
pub const NOW: &str = "now";
pub fn totals(requests: u64, ok: u64, errors: u64, stale: u64) -> String {
    let availability = if requests > 0 {
        ok as f64 / requests as f64 * 100.0
    } else {
        100.0
    };
    format!(
        "{requests} requests answered · {ok} OK · {errors} errors · {stale} stale reads · \
         availability {}%",
        Fixed(availability, 1)
    )
}

pub const STATS_CAPTION: &str = "HAProxy stats (backend web), as its stats page shows them";
pub const STATS_HEADERS: [(&str, &str); 13] = [
    ("server", "Server"),
    ("status", "Status"),
    ("check", "Last check"),
    ("weight", "Weight"),
    ("scur", "Current sessions"),
    ("qcur", "Queued"),
    ("stot", "Sent to it"),
    ("served", "Answered"),
    ("chkfail", "Failed checks"),
    ("chkdown", "UP→DOWN transitions"),
    ("lastchg", "Time since last change"),
    ("downtime", "Total downtime"),
    ("hrsp_5xx", "5xx responses"),
];
pub const ADMIN: &str = "State";
pub const NO_LB: &str = "No load balancer in this topology: users reach web-01 directly.";

pub const DB_CAPTION: &str = "MySQL servers (SHOW REPLICA STATUS)";
/// Each line of a server's status: the friendly name and MySQL's own.
pub const DB_FIELDS: [(&str, &str); 7] = [
    ("Role", "read_only"),
    ("State", ""),
    ("Receiving", "Replica_IO_Running"),
    ("Applying", "Replica_SQL_Running"),
    ("Behind", "Seconds_Behind_Source"),
    ("Behind, exactly", ""),
    ("Transactions", "gtid_executed"),
];
pub const DB_WRITER: &str = " · apps write here";
pub const DB_DEMOTED: &str = " · old primary";
pub const ROW: &str = "Row";
pub const ROW_STALE: &str = "◔ stale";
pub const ROW_AHEAD: &str = "▲ only here";
pub const ROW_MISSING: &str = "✕ missing";
pub const SPLIT_BRAIN: &str = "Split brain: two writable primaries took writes independently; \
                               their rows diverge.";
pub fn rows_caption(rows: usize, differing: usize) -> String {
    format!("The users table, server by server: {rows} rows, {differing} differ")
}
pub fn lost_title(n: u64) -> String {
    format!("{n} committed transactions lost in the failover")
}
pub const PROMOTE: &str = "Promote to primary (STOP REPLICA; RESET REPLICA ALL; read_only=OFF)";

pub const INSPECTOR_EMPTY: &str = "No request chosen. Send one, click “Inspect a request” and \
                                   then a dot, or pick one of the latest below.";
pub const INSPECTOR_GONE: &str = "That request is no longer kept in memory.";
pub const RECENT: &str = "Latest requests";
pub const ERRORS_ONLY: &str = "errors only";
pub const SEND_ONE: &str = "Send one";
pub const JOURNEY: &str = "Journey";
pub const HOP_FROM_TO: &str = "Hop";
pub const HOP_AT: &str = "Leaves at";
pub const HOP_TAKES: &str = "Takes";
pub fn request_title(id: u64, path: &str) -> String {
    format!("Request #{id}: {path}")
}
pub fn outcome(o: Outcome) -> String {
    match o {
        Outcome::Pending => "in flight".into(),
        Outcome::Http(200) => "200 OK".into(),
        Outcome::Http(500) => "500 Internal Server Error".into(),
        Outcome::Http(502) => "502 Bad Gateway".into(),
        Outcome::Http(503) => "503 Service Unavailable".into(),
        Outcome::Http(504) => "504 Gateway Timeout".into(),
        Outcome::Http(c) => format!("HTTP {c}"),
        Outcome::DnsError => "DNS error".into(),
        Outcome::Refused => "connection refused".into(),
        Outcome::Timeout => "no answer (timed out)".into(),
    }
}
pub fn cause(c: Cause) -> &'static str {
    match c {
        Cause::None => "",
        Cause::DnsUnreachable => "the DNS server does not answer",
        Cause::DnsRefused => "the DNS server's host says no DNS server runs there",
        Cause::LbRefused => "the load balancer refused the connection",
        Cause::LbUnreachable => "the load balancer cannot be reached",
        Cause::NoServer => "HAProxy had no server UP",
        Cause::ConnectFailed => "HAProxy could not connect to the server, even after retries",
        Cause::QueueTimeout => "it waited in HAProxy's queue past `timeout queue`",
        Cause::ServerReset => "the server died with the request on it",
        Cause::ServerTimeout => "no answer within HAProxy's `timeout server`",
        Cause::AppDown => "Nginx could not reach the app server",
        Cause::AppTimeout => "the app took longer than Nginx's `proxy_read_timeout`",
        Cause::DbDown => "the app could not reach its database",
        Cause::DbTimeout => "the database did not answer in time",
        Cause::ReadOnly => "a write reached a read-only replica (ERROR 1290)",
        Cause::LbReset => "the load balancer died with the request on it",
    }
}
pub fn reason(r: Reason) -> &'static str {
    match r {
        Reason::Roundrobin => "its turn in roundrobin",
        Reason::StaticRr => "its turn in static-rr",
        Reason::Leastconn => "it had the fewest connections (leastconn)",
        Reason::First => "the first server with room (first)",
        Reason::SourceHash => "the hash of the client's IP (source)",
        Reason::Random => "drawn at random (random)",
        Reason::Cookie => "the client's SERVERID cookie (sticky session)",
        Reason::Backup => "the backup server: every other server is down",
        Reason::Redispatch => "option redispatch: a retry sent elsewhere",
        Reason::Check => "a health check",
    }
}
pub fn kind(k: ReqKind) -> &'static str {
    match k {
        ReqKind::Static => "static file",
        ReqKind::Read => "page read",
        ReqKind::Write => "write",
    }
}
pub const FIELD_KIND: &str = "Kind";
pub const FIELD_OUTCOME: &str = "Outcome";
pub const FIELD_WHY: &str = "Why";
pub const FIELD_SERVER: &str = "Server";
pub const FIELD_DB: &str = "Database";
pub const FIELD_RETRIES: &str = "Retries";
pub const FIELD_QUEUE: &str = "Waited in queues";
pub const FIELD_STALE: &str = "Stale read";
pub const FIELD_WIRE: &str = "On the Internet link";
pub const FIELD_TOTAL: &str = "Total time";
pub fn server_and_reason(server: &str, reason: Option<Reason>) -> String {
    match reason {
        Some(r) => format!("{server}, chosen by {}", self::reason(r)),
        None => server.to_string(),
    }
}
pub fn retries(n: u8, redispatched: bool) -> String {
    if redispatched {
        format!("{n}, the last one redispatched to another server")
    } else {
        n.to_string()
    }
}
pub const YES_STALE: &str = "yes: the replica had not applied the latest writes";
pub const NO: &str = "no";
pub const PLAINTEXT: &str = "plaintext HTTP: anyone on the path reads it";
pub const CIPHERTEXT: &str = "ciphertext (HTTPS, TLS): only lb-01 can read it";
pub fn wire_sample(path: &str, tls: bool) -> String {
    if tls {
        "17 03 03 00 5a 9f 2c e1 04 b8 7d 31 c6 …".into()
    } else if path.starts_with("POST /login") {
        format!("{path} HTTP/1.1 … user=alice&password=hunter2")
    } else {
        format!("{path} HTTP/1.1 … Cookie: SERVERID=…")
    }
}

pub const MONITORING: &str = "Monitoring";
pub const FIRING: &str = "firing";
pub const ALERT_HEADERS: [&str; 6] = [
    "Rule",
    "On",
    "Trouble began",
    "Alert fired",
    "Time to detect",
    "Resolved",
];
pub fn unnoticed(on: bool, error_s: u64, unnoticed_s: u64) -> String {
    if on {
        format!(
            "Users saw errors during {error_s} s; during {unnoticed_s} s of them no alert was \
             firing yet."
        )
    } else {
        format!(
            "Monitoring is off: users saw errors during {error_s} s, and nobody could know \
             ({unnoticed_s} s unnoticed)."
        )
    }
}
pub const EAVESDROPPER: &str = "An eavesdropper on the Internet link";
pub fn eavesdropper(https: bool, plaintext: u64, passwords: u64, ciphertext: u64) -> String {
    if https {
        format!(
            "HTTPS is on: it saw {ciphertext} requests as TLS ciphertext and read {plaintext} \
             ({passwords} passwords)."
        )
    } else {
        format!(
            "HTTPS is off: it read {plaintext} requests in plaintext, {passwords} of them \
             POST /login with a password."
        )
    }
}
pub const ATTACKER: &str = "An attacker probing every host's ports";
pub fn attacker(firewalls: bool, probes: u64, reached: u64, blocked: u64) -> String {
    let fw = if firewalls {
        "Firewalls are on"
    } else {
        "Firewalls are off"
    };
    format!(
        "{fw}: of {probes} probes, {reached} reached a port that should not be public and \
         {blocked} were dropped."
    )
}

// ----- settings (SPEC U5) ----------------------------------------------------------------

pub const SETTINGS_HAPROXY: &str = "HAProxy (lb-01)";
pub const SETTINGS_APP: &str = "App server";
pub const SETTINGS_MYSQL: &str = "MySQL replication";
pub const SETTINGS_TRAFFIC: &str = "Traffic";
pub const SETTINGS_TIMING: &str = "Teaching latencies (ours, not the software's)";
pub const SETTINGS_TOPOLOGY: &str = "Topology";
pub const NOT_A_NUMBER: &str = "is not a number";
/// The placeholder of a field left to its default.
pub fn default_value(v: &str) -> String {
    format!("= {v}")
}
pub const REFUSED: &str = "Refused:";
pub const DISMISS: &str = "Dismiss";

/// One setting: the friendly name and the real option's name beside it.
pub struct Setting {
    pub friendly: &'static str,
    pub option: &'static str,
}

const fn setting(friendly: &'static str, option: &'static str) -> Setting {
    Setting { friendly, option }
}

pub const S_BALANCE: Setting = setting("Algorithm", "balance");
pub const S_HASH_TYPE: Setting = setting("Hashing", "hash-type");
pub const S_CHECK: Setting = setting("Health check", "check / option httpchk");
pub const S_INTER: Setting = setting("Health check interval, ms", "inter");
pub const S_FASTINTER: Setting = setting("Interval while changing, ms", "fastinter");
pub const S_DOWNINTER: Setting = setting("Interval while down, ms", "downinter");
pub const S_RISE: Setting = setting("Passes to be UP", "rise");
pub const S_FALL: Setting = setting("Failures to be DOWN", "fall");
pub const S_TIMEOUT_CHECK: Setting = setting("Check timeout, ms", "timeout check");
pub const S_RETRIES: Setting = setting("Connection retries", "retries");
pub const S_REDISPATCH: Setting = setting("Retry on another server", "option redispatch");
pub const S_TIMEOUT_CONNECT: Setting = setting("Connect timeout, ms", "timeout connect");
pub const S_TIMEOUT_SERVER: Setting = setting("Server timeout, ms", "timeout server");
pub const S_TIMEOUT_CLIENT: Setting = setting("Client timeout, ms", "timeout client");
pub const S_TIMEOUT_QUEUE: Setting = setting("Queue timeout, ms", "timeout queue");
pub const S_MAXCONN: Setting = setting("Max connections per server (0 = no limit)", "maxconn");
pub const S_MAXQUEUE: Setting = setting("Max queue per server (0 = no limit)", "maxqueue");
pub const S_COOKIE: Setting = setting("Sticky sessions", "cookie SERVERID insert");
pub const S_OBSERVE: Setting = setting("Watch live traffic", "observe");
pub const S_ERROR_LIMIT: Setting = setting("Errors before acting", "error-limit");
pub const S_ON_ERROR: Setting = setting("Then", "on-error");
pub const S_WORKERS: Setting = setting("Workers per app server", "workers");
pub const S_WRITES_TO: Setting = setting("Writes go to", "writes to");
pub const S_READ_ROUTING: Setting = setting("Reads go to", "read routing");
pub const S_RYW: Setting = setting("Read your own writes", "read-your-writes");
pub const S_RYW_WINDOW: Setting = setting("…reads from the primary for, ms", "ryw window");
pub const S_HEALTH_DB: Setting = setting("/health also checks the database", "health checks db");
pub const S_DB_TIMEOUT: Setting = setting("App's database timeout, ms", "db timeout");
pub const S_REPLICATION: Setting = setting("Replication", "rpl_semi_sync_source_enabled");
pub const S_SEMI_TIMEOUT: Setting = setting(
    "Semi-sync wait before async, ms",
    "rpl_semi_sync_source_timeout",
);
pub const S_PARALLEL: Setting = setting("Applier threads", "replica_parallel_workers");
pub const S_APPLY_RATE: Setting = setting("Transactions/s per applier (ours)", "apply rate");
pub const S_REPL_DELAY: Setting = setting("Extra replication delay, ms (ours)", "delay");
pub const S_AUTO_FAILOVER: Setting = setting("Automatic failover", "orchestrator");
pub const S_RATE: Setting = setting("Requests per second", "rate");
pub const S_BURST: Setting = setting("Flash crowd ×10 for 10 s", "burst");
pub const S_SEND_ONE: Setting = setting("Send one request", "send one");
pub const S_PRESET: Setting = setting("Design", "preset");
pub const S_WEB_HOSTS: Setting = setting("Web hosts", "web_hosts");
pub const S_LB_PAIR: Setting = setting("Load balancers", "lb pair");
pub const S_HTTPS: Setting = setting("HTTPS at the load balancer", "https");
pub const S_FIREWALLS: Setting = setting("A firewall on every host", "firewalls");
pub const S_MONITORING: Setting = setting("A monitoring agent on every host", "monitoring");
pub const S_TIMING_PRESET: Setting = setting("Latencies", "timing preset");
pub const S_INTERNET: Setting = setting("Internet, one way, ms", "internet");
pub const S_LAN: Setting = setting("Between hosts, one way, ms", "lan");
pub const S_LOOPBACK: Setting = setting("Inside a host, one way, ms", "loopback");
pub const S_STATIC_MS: Setting = setting("Nginx serving a file, ms", "static");
pub const S_APP_MS: Setting = setting("App work per request, ms", "app");
pub const S_DB_READ: Setting = setting("MySQL read, ms", "db read");
pub const S_DB_WRITE: Setting = setting("MySQL write, ms", "db write");
pub const S_MOTION: Setting = setting("Show requests as", "prefers-reduced-motion");
pub const MOTION_DOTS: &str = "moving dots";
pub const MOTION_COUNTS: &str = "counts per node";
pub const TOPOLOGY_RESTARTS: &str = "Changing the topology starts a new run.";

// The options of each choice, in the order settings.rs lists their values (`balance`:
// `Balance::ALL`'s).
pub const BALANCE_OPTIONS: &[&str] = &[
    "roundrobin",
    "static-rr",
    "leastconn",
    "first",
    "source",
    "random",
];
pub const HASH_TYPE_OPTIONS: &[&str] = &["map-based", "consistent"];
pub const CHECK_OPTIONS: &[&str] = &[
    "none (no check)",
    "TCP connect (check)",
    "HTTP GET /health (option httpchk)",
];
pub const OBSERVE_OPTIONS: &[&str] = &["off", "layer4", "layer7"];
pub const ON_ERROR_OPTIONS: &[&str] = &["fastinter", "fail-check", "sudden-death", "mark-down"];
pub const TIMING_OPTIONS: &[&str] = &[CLASSROOM, REALISTIC];
pub const READ_ROUTING_OPTIONS: &[&str] = &["the local MySQL", "the replica", "the primary"];
pub const WRITES_TO_OPTIONS: &[&str] = &["the primary", "the local MySQL (wrong on a replica)"];
pub const RYW_OPTIONS: &[&str] = &[
    "off",
    "read from the primary for a while",
    "wait for the replica (WAIT_FOR_EXECUTED_GTID_SET)",
];
pub const REPLICATION_OPTIONS: &[&str] = &["asynchronous", "semi-synchronous"];
pub const PRESET_OPTIONS: &[&str] = &[
    "One server",
    "Three servers",
    "Secured and monitored",
    "Scaled up",
];
pub const LB_PAIR_OPTIONS: &[&str] = &[
    "one (lb-01)",
    "two, active-passive (keepalived)",
    "two, both active (two DNS records)",
];
pub fn timing_preset(p: TimingPreset) -> &'static str {
    match p {
        TimingPreset::Classroom => CLASSROOM,
        TimingPreset::Realistic => REALISTIC,
    }
}
pub fn not_a_number(field: &str, raw: &str) -> String {
    format!("{field}: {raw:?} {NOT_A_NUMBER}")
}

// ----- the text view (SPEC U9) -----------------------------------------------------------

pub const TEXT_NODES: &str = "Nodes";
pub const TEXT_LINKS: &str = "Links";
pub const TEXT_NAME: &str = "Name";
pub const TEXT_KIND: &str = "Kind";
pub const TEXT_ON: &str = "On";
pub const TEXT_STATE: &str = "Own state";
pub const TEXT_EFFECTIVE: &str = "With its host";
pub const TEXT_HAPROXY: &str = "HAProxy";
pub const TEXT_SERVED: &str = "Served";
pub const TEXT_CARRIES: &str = "Carries";
pub const TEXT_ACTIONS: &str = "Break / restore";

// ----- robustness (SPEC U10) -------------------------------------------------------------

pub fn bad_link(why: &str) -> String {
    format!(
        "This link could not be read ({why}). Showing the default design, three servers, \
         instead."
    )
}
pub const HASH_UNKNOWN: &str = "the part after # is not something Foobar Lab understands";
pub fn hash_unknown_preset(name: &str) -> String {
    format!("there is no design called {name:?}")
}
pub const PANIC_TITLE: &str = "Foobar Lab stopped";
pub const PANIC_BODY: &str =
    "Something went wrong inside the page, and it cannot go on. Your run is lost; \
     reset to start again with the default design.";
pub const PANIC_RESET: &str = "Reset";
pub const SCENARIO_REFUSED: &str = "That design cannot be built:";

// ----- the classroom (SPEC U6, U7) -------------------------------------------------------

pub const LESSONS: &str = "Lessons";
pub const LESSONS_HELP: &str = "Guided lessons: predict, break something, see why (L)";
pub const PRESENTER: &str = "Presenter";
pub const PRESENTER_HELP: &str = "Large type and the diagram first, for a projector (P)";
pub const SHARE_LINK: &str = "Copy link";
pub const SHARE_LINK_HELP: &str =
    "A link to this run at this moment, with the lesson open: it replays the same run (C)";
pub const SHORTCUTS_BUTTON: &str = "?";
pub const SHORTCUTS_HELP: &str = "Keyboard shortcuts (?)";

pub const PICKER_HELP: &str = "Each lesson asks you to predict what will happen, has you do it, \
                               and checks what the simulation saw.";
pub const LESSONS_LOADING: &str = "Loading the lessons…";
pub fn lessons_failed(why: &str) -> String {
    format!("The lessons could not be loaded ({why}). The lab works without them.")
}
pub fn lesson_failed(why: &str) -> String {
    format!("This lesson could not be opened: {why}")
}
pub fn lesson_missing(id: &str) -> String {
    format!(
        "The link names a lesson this page does not have ({id:?}); the run is shown without it."
    )
}
pub const CLOSE: &str = "Close (Esc)";
pub const OPEN_NOW: &str = "open";

pub const LESSON: &str = "Lesson";
pub const CLOSE_LESSON: &str = "✕ Close lesson";
pub const PREDICT: &str = "Predict first";
pub const PREDICT_WAITS: &str = "The lab is paused until you answer.";
pub fn step_of(i: usize, n: usize) -> String {
    format!("Step {i} of {n}")
}
pub const DO_STEP: &str = "Do it for me (D)";
pub const NEXT_STEP: &str = "Next step (N)";
pub const STEPS_DONE: &str = "Every step is done: watch for the result.";
pub fn watching(secs: f64, of: f64) -> String {
    format!("watching: {} of {} s", Fixed(secs, 0), Fixed(of, 0))
}
pub const STILL_TO_SET: &str = "Still to set:";
pub fn highlighted(node: &str) -> String {
    format!("Highlighted on the diagram: {node}")
}
pub const GOAL: &str = "Goal:";
pub const SEEN: &str = "The lab sees:";
pub const PASSED: &str = "✓ Check passed:";
pub fn predicted_right(choice: &str) -> String {
    format!("You predicted “{choice}”: right.")
}
pub fn predicted_wrong(choice: &str, answer: &str) -> String {
    format!("You predicted “{choice}”; the answer: “{answer}”.")
}
pub fn predicted_none(answer: &str) -> String {
    format!("The answer to the question: “{answer}”.")
}
pub const WHY: &str = "Why:";
pub const AGAIN: &str = "↺ Start again";
pub const NEXT_LESSON: &str = "Next lesson ›";

pub const SHORTCUTS: &str = "Keyboard shortcuts";
/// Every shortcut, as (keys, what it does): the overlay lists them, the App handles them.
pub const SHORTCUT_LIST: &[(&str, &str)] = &[
    ("Space", "play or pause"),
    ("→ or .", "step: run the next event, then pause"),
    ("[ and ]", "half or double the speed"),
    ("1 – 9", "break or restore the node with that number"),
    ("L", "lessons"),
    ("N", "next step of the lesson"),
    ("D", "do the lesson's step for me"),
    ("P", "presenter mode on or off"),
    ("C", "copy a link to this moment"),
    ("?", "this list"),
    ("Esc", "close a menu or this list"),
    ("Tab, Enter", "reach a node and break or restore it"),
    ("Shift+F10", "a node's menu: slow, cut off, drain, promote"),
];
pub const NUMBERED: &str = "The numbers of keys 1 – 9, in this design:";

pub const TAB_SHARE: &str = "Export";
pub const SHARE_TITLE: &str = "Share this moment";
pub const SHARE_HELP: &str = "The link carries the design, its seed, every action taken and \
                              the moment shown, and the lesson open: opening it replays the \
                              same run and stops at the same moment.";
pub const LINK_COPIED: &str = "Link copied, and written to the address bar.";
pub const LINK_NOT_COPIED: &str =
    "The link is in the address bar and in the Export tab: select it and copy it.";
pub const LINK_LABEL: &str = "Share link";
pub const SCENARIO_FILE: &str = "Scenario file (JSON)";
pub const SCENARIO_FILE_HELP: &str = "The live design with every setting, to prepare a class or \
                                      run it with the command line (foobar-sim run).";
pub const DOWNLOAD_SCENARIO: &str = "Download the scenario";
pub const OPEN_SCENARIO: &str = "Open a scenario file";
pub fn scenario_opened(name: &str) -> String {
    format!("Opened the scenario {name}.")
}
pub fn bad_scenario_file(why: &str) -> String {
    format!("That file is not a scenario Foobar Lab can run: {why}. Nothing changed.")
}
pub const EXPORTS: &str = "The same design on real servers";
pub const EXPORTS_HELP: &str = "Made from the live design: settings changed here are in them; \
                                faults are not. haproxy -c and nginx -t accept them.";
pub fn export_title(f: foobar_sim::export::Format) -> &'static str {
    use foobar_sim::export::Format;
    match f {
        Format::Mermaid => "Mermaid diagram",
        Format::Haproxy => "HAProxy configuration",
        Format::Nginx => "Nginx site",
        Format::Mysql => "MySQL replication setup",
    }
}
pub const COPY: &str = "Copy";
pub const DOWNLOAD: &str = "Download";
pub const COPIED: &str = "Copied.";
pub const NOT_COPIED: &str = "The browser refused the clipboard: select the text and copy it.";
pub const HIGHLIGHT_ARIA: &str = "; the lesson's step is about this one";
pub fn node_key(n: usize) -> String {
    format!("; key {n}")
}

/// An ARIA state's value (`aria-pressed`, `aria-selected`): a constant, not a formatted bool.
pub fn flag(on: bool) -> &'static str {
    if on {
        "true"
    } else {
        "false"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SPEC U1: HAProxy's status strings (MODEL.md "Health checks") read as the way the
    /// server is heading, with an icon beside the words.
    #[test]
    fn status_strings_read_as_their_trend() {
        for (status, trend, badge) in [
            ("UP", Trend::Up, "▲ UP"),
            ("UP 2/3", Trend::GoingDown, "◆ UP 2/3"),
            ("DOWN", Trend::Down, "▼ DOWN"),
            ("DOWN 1/2", Trend::GoingUp, "◇ DOWN 1/2"),
            ("MAINT", Trend::Admin, "■ MAINT"),
            ("DRAIN", Trend::Admin, "● DRAIN"),
        ] {
            assert_eq!(Trend::of(status), trend, "{status}");
            assert_eq!(check_badge(status), badge);
        }
    }

    /// Numbers on the page carry no needless decimals (SVG coordinates, settings, slow
    /// factors).
    #[test]
    fn numbers_are_rounded_without_trailing_zeros() {
        assert_eq!(rounded(2.0, 2), "2");
        assert_eq!(rounded(2.5, 2), "2.5");
        assert_eq!(rounded(1.23456, 3), "1.235");
        assert_eq!(rounded(199.96, 1), "200");
    }

    /// SPEC U5: the `balance` choice shows each algorithm by its HAProxy name.
    #[test]
    fn balance_options_are_haproxy_names() {
        use foobar_sim::scenario::Balance;
        let names: Vec<&str> = Balance::ALL.iter().map(|b| b.as_str()).collect();
        assert_eq!(BALANCE_OPTIONS, names);
    }
}
