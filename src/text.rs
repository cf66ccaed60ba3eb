//! Every word the page shows, by key (`words.rs` names the keys): the words
//! themselves are in the language's data file, `lang/<code>.json` (see `i18n.rs`).
//! Components never spell out a user-visible string themselves; they call these. What the
//! real software writes (HAProxy's status strings and log lines, option names, HTTP reason
//! phrases, MySQL's errors, host names) is data or stays as the software writes it, in every
//! language.

use foobar_sim::haproxy::Reason;
use foobar_sim::keepalived::VrrpState;
use foobar_sim::scenario::TimingPreset;
use foobar_sim::snapshot::ServerStatus;
use foobar_sim::trace::{Cause, Outcome, ReqKind};
use foobar_sim::world::{AdminState, Condition, DbRole, LinkCondition};
use foobar_sim::{LinkRole, NodeKind};

use crate::i18n::{count, dec, fill, fixed, get, int};
pub use crate::words::*;

// ----- the time controls -----------------------------------------------------------------

/// The speed: `2×`, `1/10×`.
pub fn speed_value(speed: f64) -> String {
    if speed >= 1.0 {
        let rounded = (speed * 10.0).round() / 10.0;
        fill(Key::speed_times, &[("x", &dec(rounded))])
    } else {
        let inverse = (1.0 / speed).round();
        fill(Key::speed_fraction, &[("x", &dec(inverse))])
    }
}

/// A simulated moment as minutes, seconds and tenths: `1:02.3` (`1:02,3` in French).
pub fn clock(us: u64) -> String {
    let tenths = us / 100_000;
    let (m, s, d) = (tenths / 600, tenths / 10 % 60, tenths % 10);
    let clock = if m >= 60 {
        format!("{}:{:02}:{s:02}.{d}", m / 60, m % 60)
    } else {
        format!("{m}:{s:02}.{d}")
    };
    crate::i18n::localised_clock(&clock)
}

pub fn clock_of(now_us: u64, horizon_us: u64) -> String {
    fill(
        Key::clock_of,
        &[("now", &clock(now_us)), ("horizon", &clock(horizon_us))],
    )
}

/// Seconds as `12.3 s`.
pub fn seconds(x: &str) -> String {
    fill(Key::seconds, &[("x", x)])
}

/// Milliseconds with sensible precision: `0.25 ms`, `12 ms`, `1.20 s`.
pub fn duration_us(us: u64) -> String {
    if us >= 1_000_000 {
        seconds(&fixed(us as f64 / 1e6, 2))
    } else {
        let places = if us >= 10_000 { 0 } else { 2 };
        fill(Key::millis, &[("x", &fixed(us as f64 / 1e3, places))])
    }
}

// ----- the diagram -----------------------------------------------------------------------

/// A node's kind, as a title and a line below it.
// The core may add kinds as it grows: those get their name until they get words here.
#[allow(unreachable_patterns)]
pub fn node_kind(kind: NodeKind) -> (&'static str, &'static str) {
    let (name, line) = match kind {
        NodeKind::Users => (Key::kind_users, Key::kind_users_what),
        NodeKind::Dns => (Key::kind_dns, Key::kind_dns_what),
        NodeKind::Host => (Key::kind_host, Key::kind_host_what),
        NodeKind::Haproxy => (Key::kind_haproxy, Key::kind_haproxy_what),
        NodeKind::Keepalived => (Key::kind_keepalived, Key::kind_keepalived_what),
        NodeKind::Nginx => (Key::kind_nginx, Key::kind_nginx_what),
        NodeKind::App => (Key::kind_app, Key::kind_app_what),
        NodeKind::Mysql => (Key::kind_mysql, Key::kind_mysql_what),
        NodeKind::Firewall => (Key::kind_firewall, Key::kind_firewall_what),
        NodeKind::MonitorAgent => (Key::kind_agent, Key::kind_agent_what),
        NodeKind::Attacker => (Key::kind_attacker, Key::kind_attacker_what),
        NodeKind::Monitoring => (Key::kind_monitoring, Key::kind_monitoring_what),
        other => return (other.as_str(), ""),
    };
    (get(name), get(line))
}

pub fn db_role(role: DbRole, read_only: bool) -> &'static str {
    get(match (role, read_only) {
        (DbRole::Primary, false) => Key::role_primary,
        (DbRole::Primary, true) => Key::role_primary_read_only,
        (DbRole::Replica, true) => Key::role_replica,
        (DbRole::Replica, false) => Key::role_replica_writable,
        (DbRole::OldPrimary, true) => Key::role_old_primary,
        (DbRole::OldPrimary, false) => Key::role_old_primary_writable,
    })
}

/// A node's own condition as its badge shows it: an icon and a word (never colour alone).
pub fn state_badge(state: Condition, slow: f64) -> String {
    match state {
        Condition::Up => get(Key::badge_up).into(),
        Condition::Crashed => get(Key::badge_crashed).into(),
        Condition::Partitioned => get(Key::badge_partitioned).into(),
        Condition::Drain => get(Key::badge_drain).into(),
        Condition::Slow => fill(Key::badge_slow, &[("x", &rounded(slow, 2))]),
    }
}

/// A node's condition in words, for screen readers and the text view.
pub fn state_words(state: Condition) -> &'static str {
    get(match state {
        Condition::Up => Key::state_up,
        Condition::Crashed => Key::state_crashed,
        Condition::Partitioned => Key::state_partitioned,
        Condition::Drain => Key::state_drain,
        Condition::Slow => Key::state_slow,
    })
}

/// A link's condition in words.
pub fn link_words(state: LinkCondition) -> &'static str {
    get(match state {
        LinkCondition::Up => Key::state_up,
        LinkCondition::Partitioned => Key::state_partitioned,
        LinkCondition::Lossy => Key::state_lossy,
        LinkCondition::Slow => Key::state_slow,
    })
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
    pub fn of(status: ServerStatus) -> Trend {
        match status {
            ServerStatus::Up => Trend::Up,
            ServerStatus::GoingDown { .. } => Trend::GoingDown,
            ServerStatus::Down => Trend::Down,
            ServerStatus::GoingUp { .. } => Trend::GoingUp,
            ServerStatus::Maint | ServerStatus::Drain | ServerStatus::NoCheck => Trend::Admin,
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

/// HAProxy's status string with an icon: the icon says which way it is heading. HAProxy's
/// own words, in every language.
pub fn check_badge(status: ServerStatus) -> String {
    let icon = match Trend::of(status) {
        Trend::Up => "▲",
        Trend::GoingDown => "◆",
        Trend::Down => "▼",
        Trend::GoingUp => "◇",
        Trend::Admin if status == ServerStatus::Maint => "■",
        Trend::Admin => "●",
    };
    format!("{icon} {status}")
}

pub fn served(n: u64) -> String {
    count(Key::served, n, &[])
}

pub fn app_load(busy: u32, workers: u32, backlog: u32) -> String {
    let (busy, workers) = (int(busy.into()), int(workers.into()));
    if backlog > 0 {
        fill(
            Key::app_load_waiting,
            &[
                ("busy", &busy),
                ("workers", &workers),
                ("waiting", &int(backlog.into())),
            ],
        )
    } else {
        fill(Key::app_load, &[("busy", &busy), ("workers", &workers)])
    }
}

/// keepalived's VRRP state (its own word: MASTER, BACKUP), and whether it holds the VIP.
pub fn vrrp(state: VrrpState, holds_vip: bool) -> String {
    if holds_vip {
        fill(Key::vrrp_vip, &[("state", state.as_str())])
    } else {
        state.as_str().to_string()
    }
}

pub fn lag(us: u64) -> String {
    fill(Key::lag, &[("x", &fixed(us as f64 / 1e6, 1))])
}

pub fn node_aria(
    name: &str,
    title: &str,
    what: &str,
    state: Condition,
    check: Option<ServerStatus>,
) -> String {
    let title = if what.is_empty() {
        title.to_string()
    } else {
        format!("{title} {what}")
    };
    let mut s = fill(
        Key::node_aria,
        &[
            ("name", name),
            ("title", &title),
            ("state", state_words(state)),
        ],
    );
    if let Some(c) = check {
        s.push_str(&fill(Key::node_aria_check, &[("check", &c.to_string())]));
    }
    s
}

pub fn link_carries(role: LinkRole) -> &'static str {
    get(match role {
        LinkRole::Dns => Key::carries_dns,
        LinkRole::Web => Key::carries_web,
        LinkRole::Backend => Key::carries_backend,
        LinkRole::Vrrp => Key::carries_vrrp,
        LinkRole::Data => Key::carries_data,
    })
}

pub fn link_state(state: LinkCondition, slow: f64, loss: f64) -> String {
    match state {
        LinkCondition::Partitioned => get(Key::link_cut).into(),
        LinkCondition::Slow => fill(Key::link_slow, &[("x", &rounded(slow, 2))]),
        LinkCondition::Lossy => fill(Key::link_lossy, &[("x", &fixed(loss * 100.0, 0))]),
        LinkCondition::Up => String::new(),
    }
}

/// A number to `places` decimals at most, without trailing zeros (`2.5`, `3`), as the
/// language writes it.
pub fn rounded(v: f64, places: i32) -> String {
    dec(round_to(v, places))
}

/// A number to `places` decimals at most, as Rust prints it (SVG coordinates, form values).
pub fn round_to(v: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (v * k).round() / k
}

pub fn req_per_s(rate: f64) -> String {
    fill(Key::req_per_s, &[("x", &rounded(rate, 1))])
}

pub fn in_flight(n: usize) -> String {
    count(Key::in_flight, n as u64, &[])
}

// ----- the node menu ---------------------------------------------------------------------

pub fn menu_title(name: &str) -> String {
    fill(Key::menu_title, &[("name", name)])
}

/// HAProxy's runtime API command, as an operator types it.
pub fn admin_state(state: AdminState) -> &'static str {
    match state {
        AdminState::Ready => "set server state ready",
        AdminState::Drain => "set server state drain",
        AdminState::Maint => "set server state maint",
    }
}

pub fn link_menu(other_end: &str) -> String {
    fill(Key::link_menu, &[("name", other_end)])
}

pub fn current(label: &str) -> String {
    fill(Key::current, &[("label", label)])
}

// ----- panels ----------------------------------------------------------------------------

pub fn totals(requests: u64, ok: u64, errors: u64, stale: u64) -> String {
    let availability = if requests > 0 {
        ok as f64 / requests as f64 * 100.0
    } else {
        100.0
    };
    [
        count(Key::totals_answered, requests, &[]),
        fill(Key::totals_ok, &[("n", &int(ok))]),
        count(Key::totals_errors, errors, &[]),
        count(Key::totals_stale, stale, &[]),
        fill(Key::totals_availability, &[("x", &fixed(availability, 1))]),
    ]
    .join(" · ")
}

/// The stats page's columns: HAProxy's field name, and what it counts.
pub const STATS_HEADERS: [(&str, Key); 13] = [
    ("server", Key::stats_server),
    ("status", Key::stats_status),
    ("check", Key::stats_check),
    ("weight", Key::stats_weight),
    ("scur", Key::stats_scur),
    ("qcur", Key::stats_qcur),
    ("stot", Key::stats_stot),
    ("served", Key::stats_served),
    ("chkfail", Key::stats_chkfail),
    ("chkdown", Key::stats_chkdown),
    ("lastchg", Key::stats_lastchg),
    ("downtime", Key::stats_downtime),
    ("hrsp_5xx", Key::stats_hrsp_5xx),
];

pub fn weight_of(server: &str) -> String {
    fill(Key::weight_of, &[("name", server)])
}

pub fn state_of(server: &str) -> String {
    fill(Key::state_of, &[("name", server)])
}

/// Each line of a server's status: the friendly name and MySQL's own.
pub const DB_FIELDS: [(Key, &str); 7] = [
    (Key::dbf_role, "read_only"),
    (Key::dbf_state, ""),
    (Key::dbf_receiving, "Replica_IO_Running"),
    (Key::dbf_applying, "Replica_SQL_Running"),
    (Key::dbf_behind, "Seconds_Behind_Source"),
    (Key::dbf_behind_exactly, ""),
    (Key::dbf_transactions, "gtid_executed"),
];

pub fn rows_caption(rows: usize, differing: usize) -> String {
    count(
        Key::rows_caption,
        rows as u64,
        &[("differing", &int(differing as u64))],
    )
}

pub fn lost_title(n: u64) -> String {
    count(Key::lost_title, n, &[])
}

pub fn request_title(id: u64, path: &str) -> String {
    fill(
        Key::request_title,
        &[("id", &id.to_string()), ("path", path)],
    )
}

/// A request's outcome: HTTP's own status line, or ours for what never got one.
pub fn outcome(o: Outcome) -> String {
    match o {
        Outcome::Pending => get(Key::outcome_pending).into(),
        Outcome::Http(200) => "200 OK".into(),
        Outcome::Http(500) => "500 Internal Server Error".into(),
        Outcome::Http(502) => "502 Bad Gateway".into(),
        Outcome::Http(503) => "503 Service Unavailable".into(),
        Outcome::Http(504) => "504 Gateway Timeout".into(),
        Outcome::Http(c) => format!("HTTP {c}"),
        Outcome::DnsError => get(Key::outcome_dns).into(),
        Outcome::Refused => get(Key::outcome_refused).into(),
        Outcome::Timeout => get(Key::outcome_timeout).into(),
    }
}

pub fn cause(c: Cause) -> &'static str {
    let key = match c {
        Cause::None => return "",
        Cause::DnsUnreachable => Key::cause_dns_unreachable,
        Cause::DnsRefused => Key::cause_dns_refused,
        Cause::LbRefused => Key::cause_lb_refused,
        Cause::LbUnreachable => Key::cause_lb_unreachable,
        Cause::NoServer => Key::cause_no_server,
        Cause::ConnectFailed => Key::cause_connect_failed,
        Cause::QueueTimeout => Key::cause_queue_timeout,
        Cause::ServerReset => Key::cause_server_reset,
        Cause::ServerTimeout => Key::cause_server_timeout,
        Cause::AppDown => Key::cause_app_down,
        Cause::AppTimeout => Key::cause_app_timeout,
        Cause::DbDown => Key::cause_db_down,
        Cause::DbTimeout => Key::cause_db_timeout,
        Cause::ReadOnly => Key::cause_read_only,
        Cause::LbReset => Key::cause_lb_reset,
    };
    get(key)
}

pub fn reason(r: Reason) -> &'static str {
    get(match r {
        Reason::Roundrobin => Key::reason_roundrobin,
        Reason::StaticRr => Key::reason_static_rr,
        Reason::Leastconn => Key::reason_leastconn,
        Reason::First => Key::reason_first,
        Reason::SourceHash => Key::reason_source,
        Reason::Random => Key::reason_random,
        Reason::Cookie => Key::reason_cookie,
        Reason::Backup => Key::reason_backup,
        Reason::Redispatch => Key::reason_redispatch,
        Reason::Check => Key::reason_check,
    })
}

pub fn kind(k: ReqKind) -> &'static str {
    match k {
        ReqKind::Static => legend_static(),
        ReqKind::Read => legend_read(),
        ReqKind::Write => legend_write(),
    }
}

pub fn server_and_reason(server: &str, reason: Option<Reason>) -> String {
    match reason {
        Some(r) => fill(
            Key::server_chosen_by,
            &[("server", server), ("reason", self::reason(r))],
        ),
        None => server.to_string(),
    }
}

pub fn retries(n: u8, redispatched: bool) -> String {
    if redispatched {
        fill(Key::retries_redispatched, &[("n", &n.to_string())])
    } else {
        n.to_string()
    }
}

/// What crosses the wire: the protocol's own bytes.
pub fn wire_sample(path: &str, tls: bool) -> String {
    if tls {
        "17 03 03 00 5a 9f 2c e1 04 b8 7d 31 c6 …".into()
    } else if path.starts_with("POST /login") {
        format!("{path} HTTP/1.1 … user=alice&password=hunter2")
    } else {
        format!("{path} HTTP/1.1 … Cookie: SERVERID=…")
    }
}

pub const ALERT_HEADERS: [Key; 6] = [
    Key::alert_rule,
    Key::alert_on,
    Key::alert_began,
    Key::alert_fired,
    Key::alert_detect,
    Key::alert_resolved,
];

pub fn unnoticed(on: bool, error_s: u64, unnoticed_s: u64) -> String {
    let key = if on {
        Key::unnoticed_on
    } else {
        Key::unnoticed_off
    };
    fill(
        key,
        &[("errors", &int(error_s)), ("unnoticed", &int(unnoticed_s))],
    )
}

pub fn eavesdropper(https: bool, plaintext: u64, passwords: u64, ciphertext: u64) -> String {
    let plaintext = count(Key::requests_n, plaintext, &[]);
    if https {
        fill(
            Key::eavesdropper_https,
            &[
                ("ciphertext", &count(Key::requests_n, ciphertext, &[])),
                ("plaintext", &plaintext),
                ("passwords", &count(Key::passwords_n, passwords, &[])),
            ],
        )
    } else {
        fill(
            Key::eavesdropper_plain,
            &[("plaintext", &plaintext), ("passwords", &int(passwords))],
        )
    }
}

pub fn attacker(firewalls: bool, probes: u64, reached: u64, blocked: u64) -> String {
    let key = if firewalls {
        Key::attacker_on
    } else {
        Key::attacker_off
    };
    fill(
        key,
        &[
            ("probes", &count(Key::probes_n, probes, &[])),
            ("reached", &int(reached)),
            ("blocked", &int(blocked)),
        ],
    )
}

// ----- settings --------------------------------------------------------------------------

/// The placeholder of a field left to its default.
pub fn default_value(v: &str) -> String {
    fill(Key::default_value, &[("value", v)])
}

pub fn timing_preset(p: TimingPreset) -> &'static str {
    match p {
        TimingPreset::Classroom => classroom(),
        TimingPreset::Realistic => realistic(),
    }
}

pub fn not_a_number(field: &str, raw: &str) -> String {
    fill(Key::not_a_number_field, &[("field", field), ("raw", raw)])
}

// ----- robustness ------------------------------------------------------------------------

pub fn bad_link(why: &str) -> String {
    fill(Key::bad_link, &[("why", why)])
}

pub fn hash_unknown_preset(name: &str) -> String {
    fill(Key::hash_unknown_preset, &[("name", name)])
}

// ----- the classroom ---------------------------------------------------------------------

pub fn lessons_failed(why: &str) -> String {
    fill(Key::lessons_failed, &[("why", why)])
}

pub fn lesson_failed(why: &str) -> String {
    fill(Key::lesson_failed, &[("why", why)])
}

pub fn lesson_missing(id: &str) -> String {
    fill(Key::lesson_missing, &[("id", id)])
}

pub fn step_of(i: usize, n: usize) -> String {
    fill(
        Key::step_of,
        &[("i", &int(i as u64)), ("n", &int(n as u64))],
    )
}

pub fn watching(secs: f64, of: f64) -> String {
    fill(
        Key::watching,
        &[("secs", &fixed(secs, 0)), ("of", &fixed(of, 0))],
    )
}

/// Where the step's outline is: a node of the diagram, or a tab (`tab:<id>`).
pub fn outlined(what: &str) -> String {
    if let Some(tab) = what.strip_prefix("tab:") {
        let words: &str = match crate::state::Tab::ALL.into_iter().find(|t| t.id() == tab) {
            Some(t) => crate::components::panels::tab_words(t),
            None => tab,
        };
        fill(Key::highlighted_tab, &[("tab", words)])
    } else {
        fill(Key::highlighted, &[("node", what)])
    }
}

pub fn predicted_right(choice: &str) -> String {
    fill(Key::predicted_right, &[("choice", choice)])
}

pub fn predicted_wrong(choice: &str, answer: &str) -> String {
    fill(
        Key::predicted_wrong,
        &[("choice", choice), ("answer", answer)],
    )
}

pub fn predicted_none(answer: &str) -> String {
    fill(Key::predicted_none, &[("answer", answer)])
}

/// Every shortcut, as (keys, what it does): the overlay lists them, the App handles them.
pub const SHORTCUT_LIST: &[(Key, Key)] = &[
    (Key::sc_play_keys, Key::sc_play),
    (Key::sc_step_keys, Key::sc_step),
    (Key::sc_speed_keys, Key::sc_speed),
    (Key::sc_numbers_keys, Key::sc_numbers),
    (Key::sc_lessons_keys, Key::sc_lessons),
    (Key::sc_next_keys, Key::sc_next),
    (Key::sc_do_keys, Key::sc_do),
    (Key::sc_presenter_keys, Key::sc_presenter),
    (Key::sc_copy_keys, Key::sc_copy),
    (Key::sc_help_keys, Key::sc_help),
    (Key::sc_escape_keys, Key::sc_escape),
    (Key::sc_tab_keys, Key::sc_tab),
    (Key::sc_menu_keys, Key::sc_menu),
];

pub fn scenario_opened(name: &str) -> String {
    fill(Key::scenario_opened, &[("name", name)])
}

pub fn bad_scenario_file(why: &str) -> String {
    fill(Key::bad_scenario_file, &[("why", why)])
}

pub fn export_title(f: foobar_sim::export::Format) -> &'static str {
    use foobar_sim::export::Format;
    get(match f {
        Format::Mermaid => Key::export_mermaid,
        Format::Haproxy => Key::export_haproxy,
        Format::Nginx => Key::export_nginx,
        Format::Mysql => Key::export_mysql,
    })
}

pub fn lang_failed(language: &str, why: &str) -> String {
    fill(Key::lang_failed, &[("language", language), ("why", why)])
}

/// The language picker's name.
pub fn language() -> &'static str {
    get(Key::language)
}

pub fn node_key(n: usize) -> String {
    fill(Key::node_key, &[("n", &int(n as u64))])
}

/// An ARIA state's value (`aria-pressed`, `aria-selected`): a constant, not a formatted bool.
pub fn flag(on: bool) -> &'static str {
    if on {
        "true"
    } else {
        "false"
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// HAProxy's statuses (docs/model.md, "Health checks") read as the way the server is
    /// heading, with an icon beside HAProxy's own words.
    #[test]
    fn statuses_read_as_their_trend() {
        use ServerStatus as S;
        for (status, trend, badge) in [
            (S::Up, Trend::Up, "▲ UP"),
            (
                S::GoingDown { left: 2, fall: 3 },
                Trend::GoingDown,
                "◆ UP 2/3",
            ),
            (S::Down, Trend::Down, "▼ DOWN"),
            (S::GoingUp { ok: 1, rise: 2 }, Trend::GoingUp, "◇ DOWN 1/2"),
            (S::Maint, Trend::Admin, "■ MAINT"),
            (S::Drain, Trend::Admin, "● DRAIN"),
            (S::NoCheck, Trend::Admin, "● no check"),
        ] {
            assert_eq!(Trend::of(status), trend, "{status}");
            assert_eq!(check_badge(status), badge);
        }
    }

    /// Numbers on the page carry no needless decimals (settings, slow factors).
    #[test]
    fn numbers_are_rounded_without_trailing_zeros() {
        assert_eq!(rounded(2.0, 2), "2");
        assert_eq!(rounded(2.5, 2), "2.5");
        assert_eq!(rounded(1.23456, 3), "1.235");
        assert_eq!(rounded(199.96, 1), "200");
    }

    /// The `balance` choice shows each algorithm by its HAProxy name.
    #[test]
    fn balance_options_are_haproxy_names() {
        use foobar_sim::scenario::Balance;
        let names: Vec<&str> = Balance::ALL.iter().map(|b| b.as_str()).collect();
        let shown: Vec<&str> = BALANCE_OPTIONS.iter().map(|l| l.text()).collect();
        assert_eq!(shown, names);
    }

    /// A count of one takes the form for one ("1 stale read"), others the other.
    #[test]
    fn counts_take_their_form() {
        assert!(
            totals(1, 1, 0, 1).contains("1 stale read ·"),
            "{}",
            totals(1, 1, 0, 1)
        );
        assert!(totals(2, 0, 2, 2).contains("2 errors"));
        assert!(eavesdropper(false, 1, 1, 0).contains("1 request "));
        assert!(eavesdropper(true, 1, 1, 3).contains("(1 password)"));
    }
}
