//! Every word the page shows (SPEC U11), by key: the words themselves are in the language's
//! data file, `lang/<code>.json` (see `i18n.rs`). Components never spell out a user-visible
//! string themselves; they call these. What the real software writes (HAProxy's status
//! strings and log lines, option names, HTTP reason phrases, MySQL's errors, host names) is
//! data or stays as the software writes it, in every language.

use foobar_sim::haproxy::Reason;
use foobar_sim::scenario::TimingPreset;
use foobar_sim::trace::{Cause, Outcome, ReqKind};
use foobar_sim::world::{AdminState, DbRole};
use foobar_sim::{LinkRole, NodeKind};

use crate::i18n::{count, dec, fill, fixed, get, int};

/// Declares the keys of the language files: `plain` ones get a function of their name giving
/// their words; the `keys` are looked up by the functions below, which fill them in.
macro_rules! words {
    (plain { $($p:ident),* $(,)? } keys { $($k:ident),* $(,)? }) => {
        /// A key of `lang/<code>.json`'s `ui`.
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key { $($p,)* $($k,)* }

        impl Key {
            pub const ALL: &'static [Key] = &[$(Key::$p,)* $(Key::$k,)*];

            /// Its name in the data files.
            pub fn name(self) -> &'static str {
                const NAMES: &[&str] = &[$(stringify!($p),)* $(stringify!($k),)*];
                NAMES[self as usize]
            }
        }

        $(
            pub fn $p() -> &'static str {
                get(Key::$p)
            }
        )*
    };
}

words! {
    plain {
        title, skip_to_diagram, diagram_label, canvas_label, time_controls, play, pause, step,
        play_help, pause_help, step_help, speed, speed_help, timeline, timeline_help, timing,
        classroom, realistic, timing_help, haproxy_sees, truth_vs_haproxy, replication, legend,
        legend_static, legend_read, legend_write, legend_ok, legend_error, legend_stale,
        legend_replication, legend_crowd, legend_counts, pick, pick_help, picking, crash, crash_short,
        cut_short, partition, drain, slow10, restore, send_static, send_read, send_write,
        flash_crowd, haproxy_admin, cut_link, slow_link, lossy_link, repair_link, close_menu,
        tab_metrics, tab_stats, tab_request, tab_database, tab_settings, tab_text, tab_watch,
        panels, log, log_empty, log_time, log_event, chart_requests, chart_latency, chart_errors,
        chart_queue, chart_lag, chart_all, no_answer, last_minute, now, stats_caption, admin,
        no_lb, db_caption, db_writer, db_demoted, row, row_stale, row_ahead, row_missing,
        split_brain, promote, inspector_empty, inspector_gone, recent, errors_only, send_one,
        journey, hop_from_to, hop_at, hop_takes, field_kind, field_outcome, field_why,
        field_server, field_db, field_retries, field_queue, field_stale, field_wire, field_total,
        yes_stale, no, plaintext, ciphertext, monitoring, firing, eavesdropper_title, attacker_title,
        settings_haproxy, settings_app, settings_mysql, settings_traffic, settings_timing,
        settings_topology, refused, dismiss, motion_dots, motion_counts, topology_restarts,
        text_nodes, text_links, text_name, text_kind, text_on, text_state, text_effective,
        text_haproxy, text_served, text_carries, text_actions, hash_unknown, panic_title,
        panic_body, panic_reset, scenario_refused, lessons, lessons_help, presenter,
        presenter_help, share_link, share_link_help, shortcuts_button, shortcuts_help,
        picker_help, lessons_loading, close, open_now, lesson, close_lesson, predict,
        predict_waits, do_step, next_step, steps_done, still_to_set, goal, seen, passed, why,
        again, next_lesson, shortcuts, numbered, tab_share, share_title, share_help, link_copied,
        link_not_copied, link_label, scenario_file, scenario_file_help, download_scenario,
        open_scenario, exports, exports_help, copy, download, copied, not_copied, highlight_aria,
    }
    keys {
        s_balance, s_hash_type, s_check, s_inter, s_fastinter, s_downinter, s_rise, s_fall,
        s_timeout_check, s_retries, s_redispatch, s_timeout_connect, s_timeout_server,
        s_timeout_client, s_timeout_queue, s_maxconn, s_maxqueue, s_cookie, s_observe,
        s_error_limit, s_on_error, s_workers, s_writes_to, s_read_routing, s_ryw, s_ryw_window,
        s_health_db, s_db_timeout, s_replication, s_semi_timeout, s_parallel, s_apply_rate,
        s_repl_delay, s_auto_failover, s_rate, s_burst, s_send_one, s_preset, s_web_hosts,
        s_lb_pair, s_https, s_firewalls, s_monitoring, s_timing_preset, s_internet, s_lan,
        s_loopback, s_static_ms, s_app_ms, s_db_read, s_db_write, s_motion, speed_times,
        speed_fraction, clock_of, seconds, millis, kind_users, kind_users_what, kind_dns,
        kind_dns_what, kind_host, kind_host_what, kind_haproxy, kind_haproxy_what,
        kind_keepalived, kind_keepalived_what, kind_nginx, kind_nginx_what, kind_app,
        kind_app_what, kind_mysql, kind_mysql_what, kind_firewall, kind_firewall_what, kind_agent,
        kind_agent_what, kind_attacker, kind_attacker_what, kind_monitoring, kind_monitoring_what,
        role_primary, role_primary_read_only, role_replica, role_replica_writable, badge_up,
        badge_crashed, badge_partitioned, badge_drain, badge_slow, state_up, state_crashed,
        state_partitioned, state_drain, state_slow, state_lossy, state_unknown, served, app_load,
        app_load_waiting, vrrp_vip, lag, node_aria, node_aria_check, carries_dns, carries_web,
        carries_backend, carries_vrrp, carries_data, link_cut, link_slow, link_lossy, req_per_s, in_flight,
        menu_title, link_menu, current, totals_answered, totals_ok, totals_errors, totals_stale,
        totals_availability, stats_server, stats_status, stats_check, stats_weight, stats_scur,
        stats_qcur, stats_stot, stats_served, stats_chkfail, stats_chkdown, stats_lastchg,
        stats_downtime, stats_hrsp_5xx, weight_of, state_of, dbf_role, dbf_state, dbf_receiving,
        dbf_applying, dbf_behind, dbf_behind_exactly, dbf_transactions, rows_caption, lost_title,
        request_title, outcome_pending, outcome_dns, outcome_refused, outcome_timeout,
        cause_dns_unreachable, cause_lb_refused, cause_lb_unreachable, cause_no_server,
        cause_connect_failed, cause_queue_timeout, cause_server_reset, cause_server_timeout,
        cause_app_down, cause_app_timeout, cause_db_down, cause_db_timeout, cause_read_only,
        cause_lb_reset, reason_roundrobin, reason_static_rr, reason_leastconn, reason_first,
        reason_source, reason_random, reason_cookie, reason_backup, reason_redispatch,
        reason_check, server_chosen_by, retries_redispatched, alert_rule, alert_on, alert_began,
        alert_fired, alert_detect, alert_resolved, unnoticed_on, unnoticed_off, requests_n,
        passwords_n, probes_n, eavesdropper_https, eavesdropper_plain, attacker_on, attacker_off,
        default_value, opt_check_none, opt_check_tcp, opt_check_http, opt_off, opt_local_mysql,
        opt_the_replica, opt_the_primary, opt_local_mysql_wrong, opt_ryw_window, opt_ryw_gtid,
        opt_async, opt_semi_sync, preset_one_server, preset_three_server, preset_secured,
        preset_scaled_up, lb_pair_none, lb_pair_active_passive, lb_pair_active_active, bad_link,
        hash_unknown_preset, lessons_failed, lesson_failed, lesson_missing, step_of, watching,
        highlighted, predicted_right, predicted_wrong, predicted_none, sc_play_keys, sc_play,
        sc_step_keys, sc_step, sc_speed_keys, sc_speed, sc_numbers_keys, sc_numbers,
        sc_lessons_keys, sc_lessons, sc_next_keys, sc_next, sc_do_keys, sc_do, sc_presenter_keys,
        sc_presenter, sc_copy_keys, sc_copy, sc_help_keys, sc_help, sc_escape_keys, sc_escape,
        sc_tab_keys, sc_tab, sc_menu_keys, sc_menu, scenario_opened, bad_scenario_file,
        export_mermaid, export_haproxy, export_nginx, export_mysql, node_key, language,
        not_a_number_field,
        lang_failed,
    }
}

/// Words that are a key's in the language, or the software's own in every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Key(Key),
    Verbatim(&'static str),
}

impl Label {
    pub fn text(self) -> &'static str {
        match self {
            Label::Key(k) => get(k),
            Label::Verbatim(s) => s,
        }
    }
}

// ----- the time controls (SPEC U3) -------------------------------------------------------

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

// ----- the diagram (SPEC U1, U2) ---------------------------------------------------------

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
    })
}

/// A node's own condition as its badge shows it: an icon and a word (never colour alone).
pub fn state_badge(state: &str, slow: f64) -> String {
    match state {
        "up" => get(Key::badge_up).into(),
        "crashed" => get(Key::badge_crashed).into(),
        "partitioned" => get(Key::badge_partitioned).into(),
        "drain" => get(Key::badge_drain).into(),
        "slow" => fill(Key::badge_slow, &[("x", &rounded(slow, 2))]),
        _ => "?".into(),
    }
}

/// The state words for screen readers and the text view.
pub fn state_words(state: &str) -> &'static str {
    get(match state {
        "up" => Key::state_up,
        "crashed" => Key::state_crashed,
        "partitioned" => Key::state_partitioned,
        "drain" => Key::state_drain,
        "slow" => Key::state_slow,
        "lossy" => Key::state_lossy,
        _ => Key::state_unknown,
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

/// HAProxy's status string with an icon: the icon says which way it is heading. HAProxy's
/// own words, in every language.
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
pub fn vrrp(state: &str, holds_vip: bool) -> String {
    if holds_vip {
        fill(Key::vrrp_vip, &[("state", state)])
    } else {
        state.to_string()
    }
}

pub fn lag(us: u64) -> String {
    fill(Key::lag, &[("x", &fixed(us as f64 / 1e6, 1))])
}

pub fn node_aria(name: &str, title: &str, what: &str, state: &str, check: Option<&str>) -> String {
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
        s.push_str(&fill(Key::node_aria_check, &[("check", c)]));
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

pub fn link_state(state: &str, slow: f64, loss: f64) -> String {
    match state {
        "partitioned" => get(Key::link_cut).into(),
        "slow" => fill(Key::link_slow, &[("x", &rounded(slow, 2))]),
        "lossy" => fill(Key::link_lossy, &[("x", &fixed(loss * 100.0, 0))]),
        _ => String::new(),
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

// ----- the node menu (SPEC U2) -----------------------------------------------------------

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

// ----- panels (SPEC U4) ------------------------------------------------------------------

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

// ----- settings (SPEC U5) ----------------------------------------------------------------

/// The placeholder of a field left to its default.
pub fn default_value(v: &str) -> String {
    fill(Key::default_value, &[("value", v)])
}

/// One setting: the friendly name, and the real option's name shown beside it.
pub struct Setting {
    pub key: Key,
    pub option: &'static str,
}

impl Setting {
    pub fn friendly(&self) -> &'static str {
        get(self.key)
    }
}

macro_rules! settings {
    ($($name:ident = $key:ident, $option:expr;)*) => {
        $(pub const $name: Setting = Setting { key: Key::$key, option: $option };)*
    };
}

settings! {
    S_BALANCE = s_balance, "balance";
    S_HASH_TYPE = s_hash_type, "hash-type";
    S_CHECK = s_check, "check / option httpchk";
    S_INTER = s_inter, "inter";
    S_FASTINTER = s_fastinter, "fastinter";
    S_DOWNINTER = s_downinter, "downinter";
    S_RISE = s_rise, "rise";
    S_FALL = s_fall, "fall";
    S_TIMEOUT_CHECK = s_timeout_check, "timeout check";
    S_RETRIES = s_retries, "retries";
    S_REDISPATCH = s_redispatch, "option redispatch";
    S_TIMEOUT_CONNECT = s_timeout_connect, "timeout connect";
    S_TIMEOUT_SERVER = s_timeout_server, "timeout server";
    S_TIMEOUT_CLIENT = s_timeout_client, "timeout client";
    S_TIMEOUT_QUEUE = s_timeout_queue, "timeout queue";
    S_MAXCONN = s_maxconn, "maxconn";
    S_MAXQUEUE = s_maxqueue, "maxqueue";
    S_COOKIE = s_cookie, "cookie SERVERID insert";
    S_OBSERVE = s_observe, "observe";
    S_ERROR_LIMIT = s_error_limit, "error-limit";
    S_ON_ERROR = s_on_error, "on-error";
    S_WORKERS = s_workers, "workers";
    S_WRITES_TO = s_writes_to, "writes to";
    S_READ_ROUTING = s_read_routing, "read routing";
    S_RYW = s_ryw, "read-your-writes";
    S_RYW_WINDOW = s_ryw_window, "ryw window";
    S_HEALTH_DB = s_health_db, "health checks db";
    S_DB_TIMEOUT = s_db_timeout, "db timeout";
    S_REPLICATION = s_replication, "rpl_semi_sync_source_enabled";
    S_SEMI_TIMEOUT = s_semi_timeout, "rpl_semi_sync_source_timeout";
    S_PARALLEL = s_parallel, "replica_parallel_workers";
    S_APPLY_RATE = s_apply_rate, "apply rate";
    S_REPL_DELAY = s_repl_delay, "delay";
    S_AUTO_FAILOVER = s_auto_failover, "orchestrator";
    S_RATE = s_rate, "rate";
    S_BURST = s_burst, "burst";
    S_SEND_ONE = s_send_one, "send one";
    S_PRESET = s_preset, "preset";
    S_WEB_HOSTS = s_web_hosts, "web_hosts";
    S_LB_PAIR = s_lb_pair, "lb pair";
    S_HTTPS = s_https, "https";
    S_FIREWALLS = s_firewalls, "firewalls";
    S_MONITORING = s_monitoring, "monitoring";
    S_TIMING_PRESET = s_timing_preset, "timing preset";
    S_INTERNET = s_internet, "internet";
    S_LAN = s_lan, "lan";
    S_LOOPBACK = s_loopback, "loopback";
    S_STATIC_MS = s_static_ms, "static";
    S_APP_MS = s_app_ms, "app";
    S_DB_READ = s_db_read, "db read";
    S_DB_WRITE = s_db_write, "db write";
    S_MOTION = s_motion, "prefers-reduced-motion";
}

// The options of each choice, in the order settings.rs lists their values (`balance`:
// `Balance::ALL`'s). HAProxy's own names stay as HAProxy writes them.
pub const BALANCE_OPTIONS: &[Label] = &[
    Label::Verbatim("roundrobin"),
    Label::Verbatim("static-rr"),
    Label::Verbatim("leastconn"),
    Label::Verbatim("first"),
    Label::Verbatim("source"),
    Label::Verbatim("random"),
];
pub const HASH_TYPE_OPTIONS: &[Label] =
    &[Label::Verbatim("map-based"), Label::Verbatim("consistent")];
pub const CHECK_OPTIONS: &[Label] = &[
    Label::Key(Key::opt_check_none),
    Label::Key(Key::opt_check_tcp),
    Label::Key(Key::opt_check_http),
];
pub const OBSERVE_OPTIONS: &[Label] = &[
    Label::Key(Key::opt_off),
    Label::Verbatim("layer4"),
    Label::Verbatim("layer7"),
];
pub const ON_ERROR_OPTIONS: &[Label] = &[
    Label::Verbatim("fastinter"),
    Label::Verbatim("fail-check"),
    Label::Verbatim("sudden-death"),
    Label::Verbatim("mark-down"),
];
pub const TIMING_OPTIONS: &[Label] = &[Label::Key(Key::classroom), Label::Key(Key::realistic)];
pub const READ_ROUTING_OPTIONS: &[Label] = &[
    Label::Key(Key::opt_local_mysql),
    Label::Key(Key::opt_the_replica),
    Label::Key(Key::opt_the_primary),
];
pub const WRITES_TO_OPTIONS: &[Label] = &[
    Label::Key(Key::opt_the_primary),
    Label::Key(Key::opt_local_mysql_wrong),
];
pub const RYW_OPTIONS: &[Label] = &[
    Label::Key(Key::opt_off),
    Label::Key(Key::opt_ryw_window),
    Label::Key(Key::opt_ryw_gtid),
];
pub const REPLICATION_OPTIONS: &[Label] =
    &[Label::Key(Key::opt_async), Label::Key(Key::opt_semi_sync)];
pub const PRESET_OPTIONS: &[Label] = &[
    Label::Key(Key::preset_one_server),
    Label::Key(Key::preset_three_server),
    Label::Key(Key::preset_secured),
    Label::Key(Key::preset_scaled_up),
];
pub const LB_PAIR_OPTIONS: &[Label] = &[
    Label::Key(Key::lb_pair_none),
    Label::Key(Key::lb_pair_active_passive),
    Label::Key(Key::lb_pair_active_active),
];

pub fn timing_preset(p: TimingPreset) -> &'static str {
    match p {
        TimingPreset::Classroom => classroom(),
        TimingPreset::Realistic => realistic(),
    }
}

pub fn not_a_number(field: &str, raw: &str) -> String {
    fill(Key::not_a_number_field, &[("field", field), ("raw", raw)])
}

// ----- robustness (SPEC U10) -------------------------------------------------------------

pub fn bad_link(why: &str) -> String {
    fill(Key::bad_link, &[("why", why)])
}

pub fn hash_unknown_preset(name: &str) -> String {
    fill(Key::hash_unknown_preset, &[("name", name)])
}

// ----- the classroom (SPEC U6, U7) -------------------------------------------------------

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

pub fn highlighted(node: &str) -> String {
    fill(Key::highlighted, &[("node", node)])
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

    /// Numbers on the page carry no needless decimals (settings, slow factors).
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
        let shown: Vec<&str> = BALANCE_OPTIONS.iter().map(|l| l.text()).collect();
        assert_eq!(shown, names);
    }

    /// SPEC U11: a count of one takes the form for one ("1 stale read"), others the other.
    #[test]
    fn u11_counts_take_their_form() {
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
