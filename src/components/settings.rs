//! Settings (SPEC U5): everything the core can change, each labelled with a friendly name and
//! the real option's name beside it, e.g. "Health check interval, ms `inter`". A change is
//! an `Action` for the lab (recorded, replayable); a refused value shows the core's message
//! and the form goes back to the value in force. Topology changes start a new run.
//!
//! The fields are data (a table of getters and setters over the `Scenario`), rendered by one
//! function: the page stays small (SPEC P4).

use foobar_sim::scenario::{
    CheckKind, HashType, LbPair, Observe, OnError, ReadRouting, ReadYourWrites, ReplicationMode,
    TimingPreset, WritesTo,
};
use foobar_sim::trace::ReqKind;
use foobar_sim::{Action, Scenario};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::number::parse_f64;
use crate::state::{Ctx, UiAction};
use crate::text::{self, Setting};

#[derive(Properties, PartialEq)]
pub struct SettingsPanelProps {
    /// The world's version: settings change only with it.
    pub version: u64,
    pub generation: u64,
    pub refusals: u64,
    pub counts_only: bool,
}

/// Which part of the scenario a field belongs to, so which action carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Haproxy,
    Traffic,
    Timing,
    App,
    Mysql,
    Topology,
}

impl Section {
    const ALL: [Section; 6] = [
        Section::Haproxy,
        Section::Traffic,
        Section::Timing,
        Section::App,
        Section::Mysql,
        Section::Topology,
    ];

    fn title(self) -> &'static str {
        match self {
            Section::Haproxy => text::SETTINGS_HAPROXY,
            Section::Traffic => text::SETTINGS_TRAFFIC,
            Section::Timing => text::SETTINGS_TIMING,
            Section::App => text::SETTINGS_APP,
            Section::Mysql => text::SETTINGS_MYSQL,
            Section::Topology => text::SETTINGS_TOPOLOGY,
        }
    }
}

/// A field's value, as the form shows and edits it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Number(f64),
    Whole(u32),
    /// `None`: the default, shown as the placeholder.
    Optional(Option<f64>),
    Flag(bool),
    /// The index of the chosen option.
    Choice(usize),
}

impl Value {
    fn number(self) -> f64 {
        match self {
            Value::Number(v) => v,
            Value::Whole(v) => v as f64,
            Value::Optional(v) => v.unwrap_or(0.0),
            Value::Flag(v) => v as u8 as f64,
            Value::Choice(i) => i as f64,
        }
    }
    fn whole(self) -> u32 {
        match self {
            Value::Whole(v) => v,
            other => other.number() as u32,
        }
    }
    fn optional(self) -> Option<f64> {
        match self {
            Value::Optional(v) => v,
            other => Some(other.number()),
        }
    }
    fn flag(self) -> bool {
        matches!(self, Value::Flag(true))
    }
    fn choice(self) -> usize {
        match self {
            Value::Choice(i) => i,
            other => other.number() as usize,
        }
    }
}

/// One setting: where it lives, how to read and write it.
pub struct Field {
    pub section: Section,
    pub setting: &'static Setting,
    /// For a choice: its options' words.
    pub options: &'static [&'static str],
    pub get: fn(&Scenario) -> Value,
    pub set: fn(&mut Scenario, Value),
    /// For an optional value: the value in force when it is left empty.
    pub default: fn(&Scenario) -> f64,
}

fn no_default(_: &Scenario) -> f64 {
    0.0
}

const HASH_TYPES: [HashType; 2] = [HashType::MapBased, HashType::Consistent];
const CHECKS: [CheckKind; 3] = [CheckKind::None, CheckKind::Tcp, CheckKind::Http];
const OBSERVES: [Observe; 3] = [Observe::None, Observe::Layer4, Observe::Layer7];
const ON_ERRORS: [OnError; 4] = [
    OnError::FastInter,
    OnError::FailCheck,
    OnError::SuddenDeath,
    OnError::MarkDown,
];
const WRITES: [WritesTo; 2] = [WritesTo::Primary, WritesTo::Local];
const ROUTINGS: [ReadRouting; 3] = [
    ReadRouting::Local,
    ReadRouting::Replica,
    ReadRouting::Primary,
];
const RYWS: [ReadYourWrites; 3] = [
    ReadYourWrites::Off,
    ReadYourWrites::PrimaryWindow,
    ReadYourWrites::WaitGtid,
];
const REPLICATIONS: [ReplicationMode; 2] = [ReplicationMode::Async, ReplicationMode::SemiSync];
const TIMINGS: [TimingPreset; 2] = [TimingPreset::Classroom, TimingPreset::Realistic];
const LB_PAIRS: [LbPair; 3] = [LbPair::None, LbPair::ActivePassive, LbPair::ActiveActive];

fn index_of<T: PartialEq>(all: &[T], v: &T) -> usize {
    all.iter().position(|x| x == v).unwrap_or(0)
}

macro_rules! field {
    ($section:ident, $setting:ident, $get:expr, $set:expr) => {
        Field {
            section: Section::$section,
            setting: &text::$setting,
            options: &[],
            get: $get,
            set: $set,
            default: no_default,
        }
    };
    ($section:ident, $setting:ident, $get:expr, $set:expr, default = $default:expr) => {
        Field {
            section: Section::$section,
            setting: &text::$setting,
            options: &[],
            get: $get,
            set: $set,
            default: $default,
        }
    };
    ($section:ident, $setting:ident, options = $options:expr, $get:expr, $set:expr) => {
        Field {
            section: Section::$section,
            setting: &text::$setting,
            options: $options,
            get: $get,
            set: $set,
            default: no_default,
        }
    };
}

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

/// Every setting of the page, in the order shown.
pub static FIELDS: &[Field] = &[
    // HAProxy (MODEL.md "HAProxy"): the real option names.
    field!(
        Haproxy,
        S_BALANCE,
        options = text::BALANCE_OPTIONS,
        |s| Value::Choice(index_of(&text::BALANCES, &s.haproxy.balance)),
        |s, v| s.haproxy.balance = text::BALANCES[v.choice().min(5)]
    ),
    field!(
        Haproxy,
        S_HASH_TYPE,
        options = text::HASH_TYPE_OPTIONS,
        |s| Value::Choice(index_of(&HASH_TYPES, &s.haproxy.hash_type)),
        |s, v| s.haproxy.hash_type = HASH_TYPES[v.choice().min(1)]
    ),
    field!(
        Haproxy,
        S_CHECK,
        options = text::CHECK_OPTIONS,
        |s| Value::Choice(index_of(&CHECKS, &s.haproxy.check)),
        |s, v| s.haproxy.check = CHECKS[v.choice().min(2)]
    ),
    field!(
        Haproxy,
        S_INTER,
        |s| Value::Number(s.haproxy.inter_ms),
        |s, v| s.haproxy.inter_ms = v.number()
    ),
    field!(
        Haproxy,
        S_FASTINTER,
        |s| Value::Optional(s.haproxy.fastinter_ms),
        |s, v| s.haproxy.fastinter_ms = v.optional(),
        default = |s| s.haproxy.inter_ms
    ),
    field!(
        Haproxy,
        S_DOWNINTER,
        |s| Value::Optional(s.haproxy.downinter_ms),
        |s, v| s.haproxy.downinter_ms = v.optional(),
        default = |s| s.haproxy.inter_ms
    ),
    field!(Haproxy, S_RISE, |s| Value::Whole(s.haproxy.rise), |s, v| {
        s.haproxy.rise = v.whole()
    }),
    field!(Haproxy, S_FALL, |s| Value::Whole(s.haproxy.fall), |s, v| {
        s.haproxy.fall = v.whole()
    }),
    field!(
        Haproxy,
        S_TIMEOUT_CHECK,
        |s| Value::Optional(s.haproxy.timeout_check_ms),
        |s, v| s.haproxy.timeout_check_ms = v.optional(),
        default = |s| s.haproxy.inter_ms
    ),
    field!(
        Haproxy,
        S_RETRIES,
        |s| Value::Whole(s.haproxy.retries),
        |s, v| s.haproxy.retries = v.whole()
    ),
    field!(
        Haproxy,
        S_REDISPATCH,
        |s| Value::Flag(s.haproxy.redispatch),
        |s, v| s.haproxy.redispatch = v.flag()
    ),
    field!(
        Haproxy,
        S_TIMEOUT_CONNECT,
        |s| Value::Number(s.haproxy.timeout_connect_ms),
        |s, v| s.haproxy.timeout_connect_ms = v.number()
    ),
    field!(
        Haproxy,
        S_TIMEOUT_SERVER,
        |s| Value::Number(s.haproxy.timeout_server_ms),
        |s, v| s.haproxy.timeout_server_ms = v.number()
    ),
    field!(
        Haproxy,
        S_TIMEOUT_CLIENT,
        |s| Value::Number(s.haproxy.timeout_client_ms),
        |s, v| s.haproxy.timeout_client_ms = v.number()
    ),
    field!(
        Haproxy,
        S_TIMEOUT_QUEUE,
        |s| Value::Optional(s.haproxy.timeout_queue_ms),
        |s, v| s.haproxy.timeout_queue_ms = v.optional(),
        default = |s| s.haproxy.timeout_connect_ms
    ),
    field!(
        Haproxy,
        S_MAXCONN,
        |s| Value::Whole(s.haproxy.maxconn),
        |s, v| s.haproxy.maxconn = v.whole()
    ),
    field!(
        Haproxy,
        S_MAXQUEUE,
        |s| Value::Whole(s.haproxy.maxqueue),
        |s, v| s.haproxy.maxqueue = v.whole()
    ),
    field!(
        Haproxy,
        S_COOKIE,
        |s| Value::Flag(s.haproxy.cookie),
        |s, v| s.haproxy.cookie = v.flag()
    ),
    field!(
        Haproxy,
        S_OBSERVE,
        options = text::OBSERVE_OPTIONS,
        |s| Value::Choice(index_of(&OBSERVES, &s.haproxy.observe)),
        |s, v| s.haproxy.observe = OBSERVES[v.choice().min(2)]
    ),
    field!(
        Haproxy,
        S_ERROR_LIMIT,
        |s| Value::Whole(s.haproxy.error_limit),
        |s, v| s.haproxy.error_limit = v.whole()
    ),
    field!(
        Haproxy,
        S_ON_ERROR,
        options = text::ON_ERROR_OPTIONS,
        |s| Value::Choice(index_of(&ON_ERRORS, &s.haproxy.on_error)),
        |s, v| s.haproxy.on_error = ON_ERRORS[v.choice().min(3)]
    ),
    // Traffic (SPEC S2).
    field!(
        Traffic,
        S_RATE,
        |s| Value::Number(s.traffic.rate),
        |s, v| s.traffic.rate = v.number()
    ),
    // The teaching latencies: ours, shown with their values (MODEL.md).
    field!(
        Timing,
        S_TIMING_PRESET,
        options = text::TIMING_OPTIONS,
        |s| Value::Choice(index_of(&TIMINGS, &s.timing.preset)),
        |s, v| s.timing.preset = TIMINGS[v.choice().min(1)]
    ),
    field!(
        Timing,
        S_INTERNET,
        |s| Value::Optional(s.timing.internet_ms),
        |s, v| s.timing.internet_ms = v.optional(),
        default = |s| ms(s.timing.resolve().internet_us)
    ),
    field!(
        Timing,
        S_LAN,
        |s| Value::Optional(s.timing.lan_ms),
        |s, v| s.timing.lan_ms = v.optional(),
        default = |s| ms(s.timing.resolve().lan_us)
    ),
    field!(
        Timing,
        S_LOOPBACK,
        |s| Value::Optional(s.timing.loopback_ms),
        |s, v| s.timing.loopback_ms = v.optional(),
        default = |s| ms(s.timing.resolve().loopback_us)
    ),
    field!(
        Timing,
        S_STATIC_MS,
        |s| Value::Optional(s.timing.static_ms),
        |s, v| s.timing.static_ms = v.optional(),
        default = |s| ms(s.timing.resolve().static_us)
    ),
    field!(
        Timing,
        S_APP_MS,
        |s| Value::Optional(s.timing.app_ms),
        |s, v| s.timing.app_ms = v.optional(),
        default = |s| ms(s.timing.resolve().app_us)
    ),
    field!(
        Timing,
        S_DB_READ,
        |s| Value::Optional(s.timing.db_read_ms),
        |s, v| s.timing.db_read_ms = v.optional(),
        default = |s| ms(s.timing.resolve().db_read_us)
    ),
    field!(
        Timing,
        S_DB_WRITE,
        |s| Value::Optional(s.timing.db_write_ms),
        |s, v| s.timing.db_write_ms = v.optional(),
        default = |s| ms(s.timing.resolve().db_write_us)
    ),
    // The app (SPEC S7).
    field!(App, S_WORKERS, |s| Value::Whole(s.app.workers), |s, v| s
        .app
        .workers =
        v.whole()),
    field!(
        App,
        S_WRITES_TO,
        options = text::WRITES_TO_OPTIONS,
        |s| Value::Choice(index_of(&WRITES, &s.app.writes_to)),
        |s, v| s.app.writes_to = WRITES[v.choice().min(1)]
    ),
    field!(
        App,
        S_READ_ROUTING,
        options = text::READ_ROUTING_OPTIONS,
        |s| Value::Choice(index_of(&ROUTINGS, &s.app.read_routing)),
        |s, v| s.app.read_routing = ROUTINGS[v.choice().min(2)]
    ),
    field!(
        App,
        S_RYW,
        options = text::RYW_OPTIONS,
        |s| Value::Choice(index_of(&RYWS, &s.app.read_your_writes)),
        |s, v| s.app.read_your_writes = RYWS[v.choice().min(2)]
    ),
    field!(
        App,
        S_RYW_WINDOW,
        |s| Value::Number(s.app.ryw_window_ms),
        |s, v| s.app.ryw_window_ms = v.number()
    ),
    field!(
        App,
        S_HEALTH_DB,
        |s| Value::Flag(s.app.health_checks_db),
        |s, v| s.app.health_checks_db = v.flag()
    ),
    field!(
        App,
        S_DB_TIMEOUT,
        |s| Value::Number(s.app.db_timeout_ms),
        |s, v| s.app.db_timeout_ms = v.number()
    ),
    // MySQL (SPEC S6).
    field!(
        Mysql,
        S_REPLICATION,
        options = text::REPLICATION_OPTIONS,
        |s| Value::Choice(index_of(&REPLICATIONS, &s.mysql.replication)),
        |s, v| s.mysql.replication = REPLICATIONS[v.choice().min(1)]
    ),
    field!(
        Mysql,
        S_SEMI_TIMEOUT,
        |s| Value::Number(s.mysql.rpl_semi_sync_source_timeout_ms),
        |s, v| s.mysql.rpl_semi_sync_source_timeout_ms = v.number()
    ),
    field!(
        Mysql,
        S_PARALLEL,
        |s| Value::Whole(s.mysql.replica_parallel_workers),
        |s, v| s.mysql.replica_parallel_workers = v.whole()
    ),
    field!(
        Mysql,
        S_APPLY_RATE,
        |s| Value::Number(s.mysql.apply_rate),
        |s, v| s.mysql.apply_rate = v.number()
    ),
    field!(
        Mysql,
        S_REPL_DELAY,
        |s| Value::Number(s.mysql.replication_delay_ms),
        |s, v| s.mysql.replication_delay_ms = v.number()
    ),
    field!(
        Mysql,
        S_AUTO_FAILOVER,
        |s| Value::Flag(s.mysql.auto_failover),
        |s, v| s.mysql.auto_failover = v.flag()
    ),
    // The topology (SPEC W3): a new run.
    field!(
        Topology,
        S_PRESET,
        options = text::PRESET_OPTIONS,
        |s| Value::Choice(index_of(&text::PRESETS, &s.topology.preset)),
        |s, v| {
            let timing = s.timing.clone();
            let rate = s.traffic.rate;
            *s = Scenario::preset(text::PRESETS[v.choice().min(3)]);
            s.timing = timing;
            s.traffic.rate = rate;
        }
    ),
    field!(
        Topology,
        S_WEB_HOSTS,
        |s| Value::Whole(s.topology.web_hosts),
        |s, v| {
            s.topology.web_hosts = v.whole();
            // More than one web host needs HAProxy in front.
            s.topology.load_balancer |= v.whole() > 1;
        }
    ),
    field!(
        Topology,
        S_LB_PAIR,
        options = text::LB_PAIR_OPTIONS,
        |s| Value::Choice(index_of(&LB_PAIRS, &s.topology.lb_pair)),
        |s, v| {
            s.topology.lb_pair = LB_PAIRS[v.choice().min(2)];
            s.topology.load_balancer |= s.topology.lb_pair != LbPair::None;
        }
    ),
    field!(
        Topology,
        S_HTTPS,
        |s| Value::Flag(s.topology.https),
        |s, v| s.topology.https = v.flag()
    ),
    field!(
        Topology,
        S_FIREWALLS,
        |s| Value::Flag(s.topology.firewalls),
        |s, v| s.topology.firewalls = v.flag()
    ),
    field!(
        Topology,
        S_MONITORING,
        |s| Value::Flag(s.topology.monitoring),
        |s, v| s.topology.monitoring = v.flag()
    ),
];

/// The action that carries an edited scenario's section to the lab; `None` for the topology,
/// which is a new run.
pub fn action_for(section: Section, s: &Scenario) -> Option<Action> {
    Some(match section {
        Section::Haproxy => Action::Haproxy {
            spec: Box::new(s.haproxy.clone()),
        },
        Section::Traffic => Action::Rate {
            rate: s.traffic.rate,
        },
        Section::Timing => Action::Timing {
            spec: s.timing.clone(),
        },
        Section::App => Action::App {
            spec: s.app.clone(),
        },
        Section::Mysql => Action::Mysql {
            spec: s.mysql.clone(),
        },
        Section::Topology => return None,
    })
}

/// Reads what the user typed into a field as its value, or says why it cannot.
pub fn parse(field: &Field, raw: &str) -> Result<Value, String> {
    let raw = raw.trim();
    let bad = || text::not_a_number(field.setting.option, raw);
    Ok(match (field.get)(&Scenario::default()) {
        Value::Number(_) => Value::Number(parse_f64(raw).ok_or_else(bad)?),
        Value::Whole(_) => Value::Whole(raw.parse().map_err(|_| bad())?),
        Value::Optional(_) if raw.is_empty() => Value::Optional(None),
        Value::Optional(_) => Value::Optional(Some(parse_f64(raw).ok_or_else(bad)?)),
        Value::Flag(_) => Value::Flag(raw == "true"),
        Value::Choice(_) => Value::Choice(raw.parse().map_err(|_| bad())?),
    })
}

fn field_id(option: &str) -> String {
    let slug: String = option
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("set-{slug}")
}

fn target_value(e: &Event) -> String {
    let t = e.target();
    if let Some(i) = t
        .clone()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
    {
        if i.type_() == "checkbox" {
            return i.checked().to_string();
        }
        return i.value();
    }
    t.and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

fn fmt_num(v: f64) -> String {
    let r = (v * 1000.0).round() / 1000.0;
    format!("{r}")
}

fn label(s: &Setting, id: &str) -> Html {
    html! {
        <label for={id.to_string()}>
            { s.friendly }{ " " }<code>{ s.option }</code>
        </label>
    }
}

fn render_field(index: usize, scenario: &Scenario, onchange: &Callback<(usize, String)>) -> Html {
    let field = &FIELDS[index];
    let s = field.setting;
    let id = field_id(s.option);
    let onchange = onchange.reform(move |e: Event| (index, target_value(&e)));
    let control = match (field.get)(scenario) {
        Value::Flag(on) => {
            return html! {
                <div class="field flag">
                    <input id={id.clone()} type="checkbox" checked={on} data-option={s.option}
                           {onchange} />
                    { label(s, &id) }
                </div>
            }
        }
        Value::Choice(chosen) => html! {
            <select id={id.clone()} data-option={s.option} {onchange}>
                { for field.options.iter().enumerate().map(|(i, words)| html! {
                    <option value={i.to_string()} selected={i == chosen}>{ *words }</option>
                }) }
            </select>
        },
        value => {
            let (shown, placeholder, step) = match value {
                Value::Optional(v) => (
                    v.map(fmt_num).unwrap_or_default(),
                    Some(text::default_value(&fmt_num((field.default)(scenario)))),
                    "any",
                ),
                Value::Whole(v) => (v.to_string(), None, "1"),
                other => (fmt_num(other.number()), None, "any"),
            };
            html! {
                <input id={id.clone()} type="number" {step} value={shown} {placeholder}
                       data-option={s.option} {onchange} />
            }
        }
    };
    html! {
        <div class="field">
            { label(s, &id) }
            { control }
        </div>
    }
}

#[component]
pub fn SettingsPanel(props: &SettingsPanelProps) -> Html {
    let ctx = use_context::<Ctx>().expect("the App provides a Ctx");
    let scenario = ctx.engine.borrow().scenario().clone();
    let onchange = {
        let act = ctx.act.clone();
        let restart = ctx.restart.clone();
        let ui = ctx.ui.dispatcher();
        let engine = ctx.engine.clone();
        Callback::from(move |(index, raw): (usize, String)| {
            let field = &FIELDS[index];
            let value = match parse(field, &raw) {
                Ok(v) => v,
                Err(message) => return ui.dispatch(UiAction::Refused(message)),
            };
            let mut s = engine.borrow().scenario().clone();
            (field.set)(&mut s, value);
            match action_for(field.section, &s) {
                Some(action) => act.emit(action),
                None => restart.emit(s),
            }
        })
    };
    let button = |words: &'static str, action: Action| {
        let act = ctx.act.clone();
        let onclick = Callback::from(move |_: MouseEvent| act.emit(action.clone()));
        html! { <button type="button" {onclick}>{ words }</button> }
    };
    let sections = Section::ALL.iter().map(|&section| {
        let extra = match section {
            Section::Traffic => html! {
                <>
                    <div class="field">
                        <span class="label">{ text::S_BURST.friendly }{ " " }
                            <code>{ text::S_BURST.option }</code></span>
                        { button(text::FLASH_CROWD, Action::Burst { factor: 10.0, duration_s: 10.0 }) }
                    </div>
                    <div class="field" role="group" aria-label={text::S_SEND_ONE.friendly}>
                        <span class="label">{ text::S_SEND_ONE.friendly }{ " " }
                            <code>{ text::S_SEND_ONE.option }</code></span>
                        <span class="buttons">
                            { for [ReqKind::Static, ReqKind::Read, ReqKind::Write].iter().map(|&kind|
                                button(text::kind(kind), Action::SendOne { kind })) }
                        </span>
                    </div>
                </>
            },
            Section::Topology => html! { <p class="note">{ text::TOPOLOGY_RESTARTS }</p> },
            _ => html! {},
        };
        html! {
            <fieldset>
                <legend>{ section.title() }</legend>
                { for (0..FIELDS.len())
                    .filter(|&i| FIELDS[i].section == section)
                    .map(|i| render_field(i, &scenario, &onchange)) }
                { extra }
            </fieldset>
        }
    });
    let motion = {
        let engine = ctx.engine.clone();
        let changed = ctx.changed.clone();
        let onchange = Callback::from(move |e: Event| {
            engine.borrow_mut().counts_only = target_value(&e) == "counts";
            changed.emit(());
        });
        let id = field_id(text::S_MOTION.option);
        html! {
            <div class="field">
                { label(&text::S_MOTION, &id) }
                <select id={id} {onchange}>
                    <option value="dots" selected={!props.counts_only}>{ text::MOTION_DOTS }</option>
                    <option value="counts" selected={props.counts_only}>{ text::MOTION_COUNTS }</option>
                </select>
            </div>
        }
    };
    // Keyed on refusals: a refused value is replaced by the one in force.
    html! {
        <form class="settings" key={props.refusals.to_string()}
              onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            { for sections }
            <fieldset>
                <legend>{ text::PANELS }</legend>
                { motion }
            </fieldset>
        </form>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// SPEC U5: every setting shows its real option name, and each round-trips: what the
    /// form reads back is what it wrote, and the core accepts the scenario's own values.
    #[test]
    fn u5_every_field_round_trips_and_names_its_option() {
        let base = crate::engine::Engine::classroom_default();
        for f in FIELDS {
            assert!(!f.setting.option.is_empty() && !f.setting.friendly.is_empty());
            let v = (f.get)(&base);
            let mut s = base.clone();
            (f.set)(&mut s, v);
            assert_eq!((f.get)(&s), v, "{}", f.setting.option);
            if let Value::Choice(_) = v {
                assert!(!f.options.is_empty(), "{} has no options", f.setting.option);
            }
            if let Some(action) = action_for(f.section, &s) {
                let mut e = crate::engine::Engine::new(&base).unwrap();
                e.apply(action).unwrap();
            }
        }
    }

    /// SPEC U5, U10: a value that is not a number is refused before it reaches the core,
    /// and an absurd number is refused by the core, with its message.
    #[test]
    fn u10_absurd_settings_are_refused_with_a_message() {
        let rise = FIELDS.iter().find(|f| f.setting.option == "rise").unwrap();
        let err = parse(rise, "lots").unwrap_err();
        assert!(err.contains("rise"), "{err}");
        let mut s = crate::engine::Engine::classroom_default();
        (rise.set)(&mut s, parse(rise, "0").unwrap());
        let mut e =
            crate::engine::Engine::new(&crate::engine::Engine::classroom_default()).unwrap();
        let err = e.apply(action_for(rise.section, &s).unwrap()).unwrap_err();
        assert!(err.contains("rise"), "{err}");
    }
}
