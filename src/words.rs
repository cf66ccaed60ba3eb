//! The keys of the language files: one enum naming every entry of
//! `lang/<code>.json`'s `ui` (what the completeness check compares the files with), the
//! settings' keys beside their real option names, and the options of the settings' choices.
//! The words themselves are in the files; `text.rs` and `narration.rs` say them.

use crate::i18n::get;

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
        not_connected,
        haproxy_last_known,
        lag_not_connected,
        design_no_lb,
        design_no_primary,
        first_hint_break,
        first_hint_lessons,
        first_hint_close,
        undo,
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
        highlighted_tab,
        role_old_primary,
        role_old_primary_writable,
        cause_dns_refused,
        log_fault, log_users_see, log_writes_read_only, log_writes_failing, log_admin_state,
        part_haproxy, part_app, part_mysql, part_timing, log_settings, log_weight,
        log_flash_crowd, attacker_web_server, log_attacker_firewall_down,
        log_attacker_no_firewall, log_vrrp_master, log_alert_fired, log_alert_resolved,
        log_source_purged, log_semi_sync_on, log_semi_sync_off, log_lost_on_ack,
        log_failover_blocked, log_failover_started, promoted_automatic, promoted_by_hand,
        log_promoted, log_promoted_relay_dropped, log_promoted_never_reached,
        log_promoted_discarded, log_promoted_semi_sync, log_rejoined, log_split_brain,
        fault_crashed, fault_dns_crashed, fault_cut_off, fault_dns_cut_off, fault_draining,
        fault_stopping, fault_slowed, fault_restored, fault_link_cut, fault_link_slowed,
        fault_link_lossy, fault_link_repaired, users_got_dns, users_got_timeout,
        users_got_nothing, the_server, its_database, why_error_answer, why_dns_unreachable,
        why_dns_refused, why_lb_refused, why_lb_unreachable, why_lb_reset, why_no_server,
        why_connect_failed, why_queue_timeout, why_server_reset, why_server_timeout, why_app_down,
        why_app_timeout, why_db_down, why_db_timeout, rule_host_down, rule_error_rate,
        rule_replication_lag, rule_queue_length, seen_server_status, seen_no_such_server,
        seen_not_down_yet, seen_since_down, seen_refused, seen_served, seen_nothing_balanced,
        seen_balanced_share, seen_kept_server, seen_no_active_down, seen_backup_served,
        seen_write_replicated, seen_write_not_replicated, seen_read_only_refusals,
        seen_stale_reads, seen_ryw_on, seen_ryw_off, seen_no_write_failed,
        seen_writes_fail_reads_work, seen_no_read_since, seen_failovers, seen_lost_writes,
        seen_passwords, seen_port_not_reached, seen_attacker_reached, seen_probes, seen_unnoticed,
        seen_no_alert, seen_alert_fired, seen_vip_moved, seen_vip_not_moved, seen_status_count,
        json_null, json_bool, json_number, json_whole_number, json_string, json_list, json_object,
        json_name, json_variant, syntax_trailing, syntax_too_deep, syntax_comma_or_brace,
        syntax_comma_or_bracket, syntax_field_name, syntax_colon, syntax_value,
        syntax_number_start, syntax_fraction_digit, syntax_exponent_digit, syntax_number_range,
        syntax_hex_digits, syntax_not_a_character, syntax_unknown_escape,
        syntax_unfinished_escape, syntax_control_character, syntax_unfinished_string,
        syntax_not_utf8, problem_syntax, problem_ends_too_soon, problem_expected,
        problem_whole_out_of_range, problem_unknown_field, problem_field_twice,
        problem_missing_field, problem_unknown_value, problem_takes_no_fields,
        problem_not_a_scenario, problem_out_of_range, problem_ms_out_of_range, problem_range,
        problem_a_week, problem_hosts_need_lb, problem_pair_needs_lb, problem_first_needs_maxconn,
        problem_observe_needs_checks, problem_no_requests, problem_unknown_web_host,
        problem_unknown_target, problem_loss_on_node, problem_drain_on_link, problem_blank,
        problem_too_long, problem_line_break, problem_hidden_character, action_rate,
        action_burst_factor, action_burst_duration, action_weight, action_unknown_target,
        action_unknown_web_server, action_unknown_node, action_no_mysql, action_already_primary,
        action_promote_down, action_topology_change, link_empty, link_too_long, link_newer,
        link_unsupported, link_not_a_link, link_no_checksum, link_checksum_mismatch,
        link_bad_characters, link_cut_short, link_not_a_state, link_bad_scenario,
        link_out_of_order, link_bad_action, link_beyond_a_week, link_too_busy, book_not_a_book,
        book_answer_not_a_choice, book_bad_action,
        design_hosts,
        design_behind_one,
        design_behind_both,
        design_behind_pair,
        design_mysql,
        design_mysql_alone,
        future_dropped,
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

// ----- the settings ----------------------------------------------------------------------

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
