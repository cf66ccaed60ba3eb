//! What the core reports, said in the language in force: the narrated event
//! log, what a lesson's check sees, and why the core refused something (a scenario file, a
//! share link, an action). The core gives each as a type with names and numbers; here it
//! becomes words. HAProxy's and MySQL's own log lines stay as the software writes them.

use foobar_sim::error::{
    ActionError, BookError, JsonKind, LabError, LinkError, Problem, ScenarioError, Syntax,
};
use foobar_sim::lesson::Seen;
use foobar_sim::log::{FaultChange, LogEntry, LogEvent, SettingsPart};
use foobar_sim::monitoring::Rule;
use foobar_sim::plain::quoted;
use foobar_sim::scenario::Balance;
use foobar_sim::trace::{Cause, Outcome};
use foobar_sim::world::AdminState;

use crate::i18n::{count, dec, fill, fixed, get, int};
use crate::text::{self, Key};

fn n(v: u64) -> String {
    int(v)
}

/// A log entry's line.
pub fn log_line(entry: &LogEntry) -> String {
    match &entry.event {
        // HAProxy's own lines, as its log writes them (with the balancer's name first).
        LogEvent::CheckFailed { .. }
        | LogEvent::CheckPassed { .. }
        | LogEvent::ServerDown { .. }
        | LogEvent::ServerUp { .. }
        | LogEvent::PassiveCheck { .. }
        | LogEvent::NoServerAvailable { .. } => entry.text(),
        LogEvent::Fault { target, change } => fill(
            Key::log_fault,
            &[("target", target), ("change", &fault(*change))],
        ),
        LogEvent::UsersSeeErrors {
            outcome,
            cause,
            server,
            database,
        } => fill(
            Key::log_users_see,
            &[
                ("status", &users_got(*outcome)),
                ("why", &why(*cause, server.as_deref(), database.as_deref())),
            ],
        ),
        LogEvent::WritesFailing {
            read_only: true, ..
        } => get(Key::log_writes_read_only).to_string(),
        LogEvent::WritesFailing { writable, .. } => {
            count(Key::log_writes_failing, u64::from(*writable), &[])
        }
        LogEvent::AdminState { lb, server, state } => {
            let state = match state {
                AdminState::Ready => "READY",
                AdminState::Drain => "DRAIN",
                AdminState::Maint => "MAINT",
            };
            fill(
                Key::log_admin_state,
                &[("lb", lb), ("server", server), ("state", state)],
            )
        }
        LogEvent::SettingsChanged { part } => {
            let part = match part {
                SettingsPart::Haproxy => Key::part_haproxy,
                SettingsPart::App => Key::part_app,
                SettingsPart::Mysql => Key::part_mysql,
                SettingsPart::Timing => Key::part_timing,
            };
            fill(Key::log_settings, &[("part", get(part))])
        }
        LogEvent::WeightSet { server, weight } => fill(
            Key::log_weight,
            &[("server", server), ("weight", &weight.to_string())],
        ),
        LogEvent::FlashCrowd { factor, duration_s } => fill(
            Key::log_flash_crowd,
            &[("factor", &dec(*factor)), ("seconds", &dec(*duration_s))],
        ),
        LogEvent::AttackerReached {
            host,
            port,
            firewalls,
        } => {
            let what = match port {
                22 => "SSH".to_string(),
                3306 => "MySQL".to_string(),
                _ => get(Key::attacker_web_server).to_string(),
            };
            let key = if *firewalls {
                Key::log_attacker_firewall_down
            } else {
                Key::log_attacker_no_firewall
            };
            fill(
                key,
                &[("what", &what), ("host", host), ("port", &port.to_string())],
            )
        }
        LogEvent::VrrpMaster { lb } => fill(Key::log_vrrp_master, &[("lb", lb)]),
        LogEvent::AlertFired {
            rule,
            target,
            detect_us,
        } => fill(
            Key::log_alert_fired,
            &[
                ("rule", self::rule(*rule)),
                ("target", target),
                ("seconds", &fixed(*detect_us as f64 / 1e6, 1)),
            ],
        ),
        LogEvent::AlertResolved { rule, target } => fill(
            Key::log_alert_resolved,
            &[("rule", self::rule(*rule)), ("target", target)],
        ),
        LogEvent::SourcePurged { replica } => fill(Key::log_source_purged, &[("replica", replica)]),
        LogEvent::SemiSyncOn { source } => fill(Key::log_semi_sync_on, &[("source", source)]),
        LogEvent::SemiSyncOff { source, timeout_ms } => fill(
            Key::log_semi_sync_off,
            &[("source", source), ("ms", &dec(*timeout_ms))],
        ),
        LogEvent::LostOnAck { old_primary, lost } => {
            count(Key::log_lost_on_ack, *lost, &[("old_primary", old_primary)])
        }
        LogEvent::FailoverBlocked => get(Key::log_failover_blocked).to_string(),
        LogEvent::FailoverStarted { primary, candidate } => fill(
            Key::log_failover_started,
            &[("primary", primary), ("candidate", candidate)],
        ),
        LogEvent::Promoted {
            db,
            automatic,
            relay_dropped,
            never_reached,
            discarded,
            semi_sync,
        } => {
            let how = get(if *automatic {
                Key::promoted_automatic
            } else {
                Key::promoted_by_hand
            });
            let mut line = fill(Key::log_promoted, &[("db", db), ("how", how)]);
            let mut more = |key: Key, k: u64| {
                if k > 0 {
                    line.push(' ');
                    line.push_str(&count(key, k, &[]));
                }
            };
            more(Key::log_promoted_relay_dropped, *relay_dropped);
            more(Key::log_promoted_never_reached, *never_reached);
            more(Key::log_promoted_discarded, *discarded);
            if *discarded > 0 && *semi_sync {
                line.push(' ');
                line.push_str(get(Key::log_promoted_semi_sync));
            }
            line
        }
        LogEvent::Rejoined { db } => fill(Key::log_rejoined, &[("db", db)]),
        LogEvent::SplitBrain { db } => fill(Key::log_split_brain, &[("db", db)]),
    }
}

/// What a fault did, after its target's name.
fn fault(change: FaultChange) -> String {
    match change {
        FaultChange::Crashed => get(Key::fault_crashed).into(),
        FaultChange::DnsCrashed => get(Key::fault_dns_crashed).into(),
        FaultChange::CutOff => get(Key::fault_cut_off).into(),
        FaultChange::DnsCutOff => get(Key::fault_dns_cut_off).into(),
        FaultChange::Draining => get(Key::fault_draining).into(),
        FaultChange::Stopping => get(Key::fault_stopping).into(),
        FaultChange::Slowed { factor } => fill(Key::fault_slowed, &[("factor", &dec(factor))]),
        FaultChange::Restored => get(Key::fault_restored).into(),
        FaultChange::LinkCut => get(Key::fault_link_cut).into(),
        FaultChange::LinkSlowed { factor } => {
            fill(Key::fault_link_slowed, &[("factor", &dec(factor))])
        }
        FaultChange::LinkLossy { rate } => fill(
            Key::fault_link_lossy,
            &[("percent", &fixed(rate * 100.0, 0))],
        ),
        FaultChange::LinkRepaired => get(Key::fault_link_repaired).into(),
    }
}

/// What users got: HTTP's status line, or ours for what never got one.
fn users_got(o: Outcome) -> String {
    match o {
        Outcome::DnsError => get(Key::users_got_dns).into(),
        Outcome::Timeout => get(Key::users_got_timeout).into(),
        Outcome::Pending => get(Key::users_got_nothing).into(),
        other => text::outcome(other),
    }
}

/// Why users got errors, in the terms of the component that failed them.
fn why(cause: Cause, server: Option<&str>, database: Option<&str>) -> String {
    let server = server.unwrap_or(get(Key::the_server));
    let database = database.unwrap_or(get(Key::its_database));
    let key = match cause {
        Cause::None => Key::why_error_answer,
        Cause::DnsUnreachable => Key::why_dns_unreachable,
        Cause::DnsRefused => Key::why_dns_refused,
        Cause::LbRefused => Key::why_lb_refused,
        Cause::LbUnreachable => Key::why_lb_unreachable,
        Cause::LbReset => Key::why_lb_reset,
        Cause::NoServer => Key::why_no_server,
        Cause::ConnectFailed => Key::why_connect_failed,
        Cause::QueueTimeout => Key::why_queue_timeout,
        Cause::ServerReset => Key::why_server_reset,
        Cause::ServerTimeout => Key::why_server_timeout,
        Cause::AppDown => Key::why_app_down,
        Cause::AppTimeout => Key::why_app_timeout,
        Cause::DbDown => Key::why_db_down,
        Cause::DbTimeout => Key::why_db_timeout,
        Cause::ReadOnly => Key::cause_read_only,
    };
    fill(key, &[("server", server), ("database", database)])
}

/// An alert rule's name.
pub fn rule(r: Rule) -> &'static str {
    get(match r {
        Rule::HostDown => Key::rule_host_down,
        Rule::ErrorRate => Key::rule_error_rate,
        Rule::ReplicationLag => Key::rule_replication_lag,
        Rule::QueueLength => Key::rule_queue_length,
    })
}

/// An alert rule as a lesson file names it (`host down`), in words.
fn rule_named(name: &str) -> String {
    let known = [
        Rule::HostDown,
        Rule::ErrorRate,
        Rule::ReplicationLag,
        Rule::QueueLength,
    ]
    .into_iter()
    .find(|r| r.as_str() == name);
    known.map_or_else(|| name.to_string(), |r| rule(r).to_string())
}

/// What a lesson's check sees.
pub fn seen(s: &Seen) -> String {
    match s {
        Seen::ServerStatus { server, status } => fill(
            Key::seen_server_status,
            &[("server", server), ("status", &status.to_string())],
        ),
        Seen::NoSuchServer { server } => fill(Key::seen_no_such_server, &[("server", server)]),
        Seen::NotDownYet { server } => fill(Key::seen_not_down_yet, &[("server", server)]),
        Seen::SinceDown {
            server,
            requests,
            failed,
        } => count(
            Key::seen_since_down,
            *requests,
            &[("server", server), ("failed", &n(*failed))],
        ),
        Seen::RefusedOrUnanswered { requests } => count(Key::seen_refused, *requests, &[]),
        Seen::Served { counts } => {
            let counts: Vec<String> = counts.iter().map(|&c| n(c)).collect();
            fill(Key::seen_served, &[("counts", &counts.join(" / "))])
        }
        Seen::NothingBalancedBy { balance } => fill(
            Key::seen_nothing_balanced,
            &[("balance", balance_name(*balance))],
        ),
        Seen::BalancedShare {
            requests,
            balance,
            percent,
            server,
        } => count(
            Key::seen_balanced_share,
            *requests,
            &[
                ("balance", balance_name(*balance)),
                ("percent", &fixed(*percent, 0)),
                ("server", server),
            ],
        ),
        Seen::KeptTheirServer { kept, returning } => {
            count(Key::seen_kept_server, *returning, &[("kept", &n(*kept))])
        }
        Seen::NoActiveDownYet => get(Key::seen_no_active_down).into(),
        Seen::BackupServed {
            backup,
            before,
            after,
        } => fill(
            Key::seen_backup_served,
            &[
                ("backup", backup),
                ("before", &n(*before)),
                ("after", &n(*after)),
            ],
        ),
        Seen::WriteReplicated => get(Key::seen_write_replicated).into(),
        Seen::WriteNotReplicatedYet => get(Key::seen_write_not_replicated).into(),
        Seen::ReadOnlyRefusals { writes } => count(Key::seen_read_only_refusals, *writes, &[]),
        Seen::StaleReads { reads } => count(Key::seen_stale_reads, *reads, &[]),
        Seen::ReadYourWrites { on, stale, reads } => count(
            if *on {
                Key::seen_ryw_on
            } else {
                Key::seen_ryw_off
            },
            *reads,
            &[("stale", &n(*stale))],
        ),
        Seen::NoWriteFailedYet => get(Key::seen_no_write_failed).into(),
        Seen::WritesFailReadsWork => get(Key::seen_writes_fail_reads_work).into(),
        Seen::NoReadSinceWritesFailed => get(Key::seen_no_read_since).into(),
        Seen::Failovers { failovers } => count(Key::seen_failovers, *failovers, &[]),
        Seen::LostWrites { writes } => count(Key::seen_lost_writes, *writes, &[]),
        Seen::PasswordsRead { passwords } => count(Key::seen_passwords, *passwords, &[]),
        Seen::PortNotReached { port } => {
            fill(Key::seen_port_not_reached, &[("port", &port.to_string())])
        }
        Seen::AttackerReached { target } => fill(Key::seen_attacker_reached, &[("target", target)]),
        Seen::Probes { dropped, through } => {
            count(Key::seen_probes, *dropped, &[("through", &n(*through))])
        }
        Seen::UnnoticedErrors { seconds } => {
            fill(Key::seen_unnoticed, &[("seconds", &n(*seconds))])
        }
        Seen::NoAlertYet { rule } => fill(Key::seen_no_alert, &[("rule", &rule_named(rule))]),
        Seen::AlertFired { rule, detect_us } => fill(
            Key::seen_alert_fired,
            &[
                ("rule", self::rule(*rule)),
                ("seconds", &fixed(*detect_us as f64 / 1e6, 1)),
            ],
        ),
        Seen::VipMoved => get(Key::seen_vip_moved).into(),
        Seen::VipNotMoved => get(Key::seen_vip_not_moved).into(),
        Seen::StatusCount { requests, code } => fill(
            Key::seen_status_count,
            &[("requests", &n(*requests)), ("code", &code.to_string())],
        ),
        Seen::All { of } => of.iter().map(seen).collect::<Vec<_>>().join("; "),
    }
}

/// HAProxy's name for an algorithm.
fn balance_name(b: Balance) -> &'static str {
    b.as_str()
}

/// A kind of JSON value.
fn json_kind(k: JsonKind) -> &'static str {
    get(match k {
        JsonKind::Null => Key::json_null,
        JsonKind::Bool => Key::json_bool,
        JsonKind::Number => Key::json_number,
        JsonKind::WholeNumber => Key::json_whole_number,
        JsonKind::String => Key::json_string,
        JsonKind::List => Key::json_list,
        JsonKind::Object => Key::json_object,
        JsonKind::Name => Key::json_name,
        JsonKind::Variant => Key::json_variant,
    })
}

/// What is wrong with a JSON text's grammar.
fn syntax(s: Syntax) -> &'static str {
    get(match s {
        Syntax::TrailingCharacters => Key::syntax_trailing,
        Syntax::TooDeep => Key::syntax_too_deep,
        Syntax::ExpectedCommaOrBrace => Key::syntax_comma_or_brace,
        Syntax::ExpectedCommaOrBracket => Key::syntax_comma_or_bracket,
        Syntax::ExpectedFieldName => Key::syntax_field_name,
        Syntax::ExpectedColon => Key::syntax_colon,
        Syntax::ExpectedValue => Key::syntax_value,
        Syntax::BadNumberStart => Key::syntax_number_start,
        Syntax::ExpectedFractionDigit => Key::syntax_fraction_digit,
        Syntax::ExpectedExponentDigit => Key::syntax_exponent_digit,
        Syntax::NumberOutOfRange => Key::syntax_number_range,
        Syntax::ExpectedHexDigits => Key::syntax_hex_digits,
        Syntax::NotACharacter => Key::syntax_not_a_character,
        Syntax::UnknownEscape => Key::syntax_unknown_escape,
        Syntax::UnfinishedEscape => Key::syntax_unfinished_escape,
        Syntax::ControlCharacter => Key::syntax_control_character,
        Syntax::UnfinishedString => Key::syntax_unfinished_string,
        Syntax::NotUtf8 => Key::syntax_not_utf8,
    })
}

fn listed(names: &[String]) -> String {
    names.join(", ")
}

/// What is wrong with a value (or the text), without where.
pub fn problem(p: &Problem) -> String {
    let num = |x: f64| dec(x);
    match p {
        Problem::Syntax { what, line, column } => fill(
            Key::problem_syntax,
            &[
                ("what", syntax(*what)),
                ("line", &line.to_string()),
                ("column", &column.to_string()),
            ],
        ),
        Problem::EndsTooSoon { what, line } => fill(
            Key::problem_ends_too_soon,
            &[("what", syntax(*what)), ("line", &line.to_string())],
        ),
        Problem::Expected { expected, got } => fill(
            Key::problem_expected,
            &[("expected", json_kind(*expected)), ("got", json_kind(*got))],
        ),
        Problem::WholeNumberOutOfRange { max, got } => fill(
            Key::problem_whole_out_of_range,
            &[("max", &n(*max)), ("got", &num(*got))],
        ),
        Problem::UnknownField { name, known } => fill(
            Key::problem_unknown_field,
            &[("name", &quoted(name)), ("known", &listed(known))],
        ),
        Problem::FieldTwice { name } => fill(Key::problem_field_twice, &[("name", &quoted(name))]),
        Problem::MissingField { name } => {
            fill(Key::problem_missing_field, &[("name", &quoted(name))])
        }
        Problem::UnknownValue { name, known } | Problem::UnknownVariant { name, known } => fill(
            Key::problem_unknown_value,
            &[("name", &quoted(name)), ("known", &listed(known))],
        ),
        Problem::TakesNoFields { name } => {
            fill(Key::problem_takes_no_fields, &[("name", &quoted(name))])
        }
        // Only a hand-written `Deserialize` says this, in its own words.
        Problem::Invalid(message) => message.clone(),
        Problem::NotAScenario(e) => fill(Key::problem_not_a_scenario, &[("why", &json_error(e))]),
        Problem::OutOfRange { min, max, got } => fill(
            Key::problem_out_of_range,
            &[
                ("min", &num(*min)),
                ("max", &num(*max)),
                ("got", &num(*got)),
            ],
        ),
        Problem::MsOutOfRange { min, max, got } => fill(
            Key::problem_ms_out_of_range,
            &[
                ("min", &num(*min)),
                ("max", &num(*max)),
                ("got", &num(*got)),
            ],
        ),
        Problem::Range { min, max } => {
            fill(Key::problem_range, &[("min", &n(*min)), ("max", &n(*max))])
        }
        Problem::AWeekAtMost { max } => fill(Key::problem_a_week, &[("max", &n(*max))]),
        Problem::WebHostsNeedLoadBalancer => get(Key::problem_hosts_need_lb).into(),
        Problem::LbPairNeedsLoadBalancer => get(Key::problem_pair_needs_lb).into(),
        Problem::FirstNeedsMaxconn => get(Key::problem_first_needs_maxconn).into(),
        Problem::ObserveNeedsChecks => get(Key::problem_observe_needs_checks).into(),
        Problem::NoRequests => get(Key::problem_no_requests).into(),
        Problem::UnknownWebHost { name, known } => fill(
            Key::problem_unknown_web_host,
            &[("name", &quoted(name)), ("known", &listed(known))],
        ),
        Problem::UnknownTarget { name, nodes, links } => fill(
            Key::problem_unknown_target,
            &[
                ("name", &quoted(name)),
                ("nodes", &listed(nodes)),
                ("links", &listed(links)),
            ],
        ),
        Problem::LossOnNode => get(Key::problem_loss_on_node).into(),
        Problem::DrainOnLink => get(Key::problem_drain_on_link).into(),
        Problem::Blank => get(Key::problem_blank).into(),
        Problem::TooLong { max, got } => fill(
            Key::problem_too_long,
            &[("max", &n(*max as u64)), ("got", &n(*got as u64))],
        ),
        Problem::LineBreak { at } => fill(Key::problem_line_break, &[("at", &n(*at as u64))]),
        Problem::HiddenCharacter { at, code } => fill(
            Key::problem_hidden_character,
            &[("at", &n(*at as u64)), ("code", &format!("{code:04X}"))],
        ),
    }
}

/// `{path}: {problem}`, or the problem alone for the whole text.
fn at(path: &str, problem: String) -> String {
    if path.is_empty() {
        problem
    } else {
        format!("{path}: {problem}")
    }
}

pub fn json_error(e: &foobar_sim::json::Error) -> String {
    at(&e.path, problem(&e.problem))
}

pub fn scenario_error(e: &ScenarioError) -> String {
    at(&e.path, problem(&e.problem))
}

pub fn action_error(e: &ActionError) -> String {
    match e {
        ActionError::Rate { min, max, got } => fill(
            Key::action_rate,
            &[
                ("min", &dec(*min)),
                ("max", &dec(*max)),
                ("got", &dec(*got)),
            ],
        ),
        ActionError::BurstFactor { got } => fill(Key::action_burst_factor, &[("got", &dec(*got))]),
        ActionError::BurstDuration { got } => {
            fill(Key::action_burst_duration, &[("got", &dec(*got))])
        }
        ActionError::Weight { got } => fill(Key::action_weight, &[("got", &got.to_string())]),
        ActionError::Invalid(e) => scenario_error(e),
        ActionError::UnknownTarget { name } => {
            fill(Key::action_unknown_target, &[("name", &quoted(name))])
        }
        ActionError::LossOnNode => get(Key::problem_loss_on_node).into(),
        ActionError::DrainOnLink => get(Key::problem_drain_on_link).into(),
        ActionError::UnknownWebServer { name } => {
            fill(Key::action_unknown_web_server, &[("name", &quoted(name))])
        }
        ActionError::UnknownNode { name } => {
            fill(Key::action_unknown_node, &[("name", &quoted(name))])
        }
        ActionError::NoMysql { name } => fill(Key::action_no_mysql, &[("name", &quoted(name))]),
        ActionError::AlreadyPrimary { name } => {
            fill(Key::action_already_primary, &[("name", &quoted(name))])
        }
        ActionError::PromoteDown { name } => {
            fill(Key::action_promote_down, &[("name", &quoted(name))])
        }
        ActionError::TopologyChange => get(Key::action_topology_change).into(),
    }
}

pub fn link_error(e: &LinkError) -> String {
    match e {
        LinkError::Empty => get(Key::link_empty).into(),
        LinkError::TooLong => get(Key::link_too_long).into(),
        LinkError::Newer { version, reads } => fill(
            Key::link_newer,
            &[
                ("version", &version.to_string()),
                ("reads", &reads.to_string()),
            ],
        ),
        LinkError::Unsupported { version } => {
            fill(Key::link_unsupported, &[("version", &version.to_string())])
        }
        LinkError::NotALink { version } => {
            fill(Key::link_not_a_link, &[("version", &version.to_string())])
        }
        LinkError::NoChecksum => get(Key::link_no_checksum).into(),
        LinkError::ChecksumMismatch => get(Key::link_checksum_mismatch).into(),
        LinkError::BadCharacters => get(Key::link_bad_characters).into(),
        LinkError::CutShort => get(Key::link_cut_short).into(),
        LinkError::NotAState(e) => fill(Key::link_not_a_state, &[("why", &json_error(e))]),
        LinkError::Scenario(e) => fill(Key::link_bad_scenario, &[("why", &scenario_error(e))]),
        LinkError::ActionsOutOfOrder => get(Key::link_out_of_order).into(),
        LinkError::Action(e) => fill(Key::link_bad_action, &[("why", &action_error(e))]),
        LinkError::BeyondAWeek => get(Key::link_beyond_a_week).into(),
        LinkError::TooBusy { million_requests } => fill(
            Key::link_too_busy,
            &[("millions", &fixed(*million_requests, 0))],
        ),
    }
}

pub fn lab_error(e: &LabError) -> String {
    match e {
        LabError::Scenario(e) => scenario_error(e),
        LabError::ActionsOutOfOrder => get(Key::link_out_of_order).into(),
        LabError::Action(e) => action_error(e),
        LabError::Link(e) => link_error(e),
    }
}

pub fn book_error(e: &BookError) -> String {
    match e {
        BookError::NotABook(e) => fill(Key::book_not_a_book, &[("why", &json_error(e))]),
        BookError::AnswerNotAChoice { lesson } => {
            fill(Key::book_answer_not_a_choice, &[("lesson", lesson)])
        }
        BookError::BadAction { lesson, error } => fill(
            Key::book_bad_action,
            &[("lesson", lesson), ("why", &action_error(error))],
        ),
    }
}
