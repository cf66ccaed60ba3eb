//! Settings: everything the core can change, each labelled with a friendly name and
//! the real option's name beside it, e.g. "Health check interval, ms `inter`". A change is
//! an `Action` for the lab (recorded, replayable); a refused value shows the core's message
//! and the form goes back to the value in force. Topology changes start a new run.
//!
//! The fields are data (a table of getters and setters over the `Scenario`), rendered by one
//! function: the page stays small.

use foobar_sim::scenario::{
    Balance, CheckKind, HashType, LbPair, Observe, OnError, Preset, ReadRouting, ReadYourWrites,
    ReplicationMode, TimingPreset, WritesTo,
};
use foobar_sim::trace::ReqKind;
use foobar_sim::{Action, Scenario};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::field::NumberField;
use crate::components::panels::{lesson_control, Control};
use crate::number::parse_f64;
use crate::state::{click_act, Ctx, UiAction};
use crate::text::{self, Label, Setting};

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
            Section::Haproxy => text::settings_haproxy(),
            Section::Traffic => text::settings_traffic(),
            Section::Timing => text::settings_timing(),
            Section::App => text::settings_app(),
            Section::Mysql => text::settings_mysql(),
            Section::Topology => text::settings_topology(),
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
    /// Its name in its section of a scenario file (`balance`, `read_routing`): what a lesson's
    /// step names when it asks for it.
    pub name: &'static str,
    /// For a choice: its options' words.
    pub options: &'static [Label],
    /// For a choice: each option's value as a scenario file writes it (`leastconn`).
    pub value_name: fn(usize) -> &'static str,
    pub get: fn(&Scenario) -> Value,
    pub set: fn(&mut Scenario, Value),
    /// For an optional value: the value in force when it is left empty.
    pub default: fn(&Scenario) -> f64,
}

fn no_name(_: usize) -> &'static str {
    ""
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

/// One `Field`: by hand (`name`, `get`, `set`), or for a plain value by its path in the
/// scenario: `Number: haproxy.inter_ms` (likewise `Whole`, `Flag`), `Optional: … , default =
/// …`, and a choice `OPTIONS, ALL, path` (the options' words, then the values in the same
/// order).
macro_rules! field {
    ($section:ident, $setting:ident, Number: $sec:ident . $name:ident) => {
        field!(
            $section,
            $setting,
            name = stringify!($name),
            |s| Value::Number(s.$sec.$name),
            |s, v| s.$sec.$name = v.number()
        )
    };
    ($section:ident, $setting:ident, Whole: $sec:ident . $name:ident) => {
        field!(
            $section,
            $setting,
            name = stringify!($name),
            |s| Value::Whole(s.$sec.$name),
            |s, v| s.$sec.$name = v.whole()
        )
    };
    ($section:ident, $setting:ident, Flag: $sec:ident . $name:ident) => {
        field!(
            $section,
            $setting,
            name = stringify!($name),
            |s| Value::Flag(s.$sec.$name),
            |s, v| s.$sec.$name = v.flag()
        )
    };
    ($section:ident, $setting:ident, Optional: $sec:ident . $name:ident, default = $default:expr) => {
        Field {
            section: Section::$section,
            setting: &text::$setting,
            name: stringify!($name),
            options: &[],
            value_name: no_name,
            get: |s| Value::Optional(s.$sec.$name),
            set: |s, v| s.$sec.$name = v.optional(),
            default: $default,
        }
    };
    ($section:ident, $setting:ident, name = $name:expr, options = $options:expr,
     values = $values:expr, $get:expr, $set:expr) => {
        Field {
            section: Section::$section,
            setting: &text::$setting,
            name: $name,
            options: $options,
            value_name: $values,
            get: $get,
            set: $set,
            default: no_default,
        }
    };
    ($section:ident, $setting:ident, $options:expr, $all:expr, $sec:ident . $name:ident) => {
        field!(
            $section,
            $setting,
            name = stringify!($name),
            options = $options,
            values = |i| $all[i.min($all.len() - 1)].as_str(),
            |s| Value::Choice(index_of(&$all, &s.$sec.$name)),
            |s, v| s.$sec.$name = $all[v.choice().min($all.len() - 1)]
        )
    };
    ($section:ident, $setting:ident, name = $name:expr, $get:expr, $set:expr) => {
        Field {
            section: Section::$section,
            setting: &text::$setting,
            name: $name,
            options: &[],
            value_name: no_name,
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
    // HAProxy: the real option names (docs/model.md, "HAProxy").
    field!(
        Haproxy,
        S_BALANCE,
        text::BALANCE_OPTIONS,
        Balance::ALL,
        haproxy.balance
    ),
    field!(
        Haproxy,
        S_HASH_TYPE,
        text::HASH_TYPE_OPTIONS,
        HASH_TYPES,
        haproxy.hash_type
    ),
    field!(Haproxy, S_CHECK, text::CHECK_OPTIONS, CHECKS, haproxy.check),
    field!(Haproxy, S_INTER, Number: haproxy.inter_ms),
    field!(Haproxy, S_FASTINTER, Optional: haproxy.fastinter_ms, default = |s| s.haproxy.inter_ms),
    field!(Haproxy, S_DOWNINTER, Optional: haproxy.downinter_ms, default = |s| s.haproxy.inter_ms),
    field!(Haproxy, S_RISE, Whole: haproxy.rise),
    field!(Haproxy, S_FALL, Whole: haproxy.fall),
    field!(Haproxy, S_TIMEOUT_CHECK, Optional: haproxy.timeout_check_ms,
        default = |s| s.haproxy.inter_ms),
    field!(Haproxy, S_RETRIES, Whole: haproxy.retries),
    field!(Haproxy, S_REDISPATCH, Flag: haproxy.redispatch),
    field!(Haproxy, S_TIMEOUT_CONNECT, Number: haproxy.timeout_connect_ms),
    field!(Haproxy, S_TIMEOUT_SERVER, Number: haproxy.timeout_server_ms),
    field!(Haproxy, S_TIMEOUT_CLIENT, Number: haproxy.timeout_client_ms),
    field!(Haproxy, S_TIMEOUT_QUEUE, Optional: haproxy.timeout_queue_ms,
        default = |s| s.haproxy.timeout_connect_ms),
    field!(Haproxy, S_MAXCONN, Whole: haproxy.maxconn),
    field!(Haproxy, S_MAXQUEUE, Whole: haproxy.maxqueue),
    field!(Haproxy, S_COOKIE, Flag: haproxy.cookie),
    field!(
        Haproxy,
        S_OBSERVE,
        text::OBSERVE_OPTIONS,
        OBSERVES,
        haproxy.observe
    ),
    field!(Haproxy, S_ERROR_LIMIT, Whole: haproxy.error_limit),
    field!(
        Haproxy,
        S_ON_ERROR,
        text::ON_ERROR_OPTIONS,
        ON_ERRORS,
        haproxy.on_error
    ),
    // Traffic.
    field!(Traffic, S_RATE, Number: traffic.rate),
    // The teaching latencies: ours, shown with their values (docs/model.md, "Network and
    // service times").
    field!(
        Timing,
        S_TIMING_PRESET,
        text::TIMING_OPTIONS,
        TIMINGS,
        timing.preset
    ),
    field!(Timing, S_INTERNET, Optional: timing.internet_ms,
        default = |s| ms(s.timing.resolve().internet_us)),
    field!(Timing, S_LAN, Optional: timing.lan_ms, default = |s| ms(s.timing.resolve().lan_us)),
    field!(Timing, S_LOOPBACK, Optional: timing.loopback_ms,
        default = |s| ms(s.timing.resolve().loopback_us)),
    field!(Timing, S_STATIC_MS, Optional: timing.static_ms,
        default = |s| ms(s.timing.resolve().static_us)),
    field!(Timing, S_APP_MS, Optional: timing.app_ms, default = |s| ms(s.timing.resolve().app_us)),
    field!(Timing, S_DB_READ, Optional: timing.db_read_ms,
        default = |s| ms(s.timing.resolve().db_read_us)),
    field!(Timing, S_DB_WRITE, Optional: timing.db_write_ms,
        default = |s| ms(s.timing.resolve().db_write_us)),
    // The app.
    field!(App, S_WORKERS, Whole: app.workers),
    field!(
        App,
        S_WRITES_TO,
        text::WRITES_TO_OPTIONS,
        WRITES,
        app.writes_to
    ),
    field!(
        App,
        S_READ_ROUTING,
        text::READ_ROUTING_OPTIONS,
        ROUTINGS,
        app.read_routing
    ),
    field!(App, S_RYW, text::RYW_OPTIONS, RYWS, app.read_your_writes),
    field!(App, S_RYW_WINDOW, Number: app.ryw_window_ms),
    field!(App, S_HEALTH_DB, Flag: app.health_checks_db),
    field!(App, S_DB_TIMEOUT, Number: app.db_timeout_ms),
    // MySQL.
    field!(
        Mysql,
        S_REPLICATION,
        text::REPLICATION_OPTIONS,
        REPLICATIONS,
        mysql.replication
    ),
    field!(Mysql, S_SEMI_TIMEOUT, Number: mysql.rpl_semi_sync_source_timeout_ms),
    field!(Mysql, S_PARALLEL, Whole: mysql.replica_parallel_workers),
    field!(Mysql, S_APPLY_RATE, Number: mysql.apply_rate),
    field!(Mysql, S_REPL_DELAY, Number: mysql.replication_delay_ms),
    field!(Mysql, S_AUTO_FAILOVER, Flag: mysql.auto_failover),
    // The topology: a new run.
    field!(
        Topology,
        S_PRESET,
        name = "preset",
        options = text::PRESET_OPTIONS,
        values = |i| Preset::ALL[i.min(3)].as_str(),
        |s| Value::Choice(index_of(&Preset::ALL, &s.topology.preset)),
        |s, v| {
            let timing = s.timing;
            let rate = s.traffic.rate;
            *s = Scenario::preset(Preset::ALL[v.choice().min(3)]);
            s.timing = timing;
            s.traffic.rate = rate;
        }
    ),
    field!(
        Topology,
        S_WEB_HOSTS,
        name = "web_hosts",
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
        name = "lb_pair",
        options = text::LB_PAIR_OPTIONS,
        values = |i| LB_PAIRS[i.min(2)].as_str(),
        |s| Value::Choice(index_of(&LB_PAIRS, &s.topology.lb_pair)),
        |s, v| {
            s.topology.lb_pair = LB_PAIRS[v.choice().min(2)];
            s.topology.load_balancer |= s.topology.lb_pair != LbPair::None;
        }
    ),
    field!(Topology, S_HTTPS, Flag: topology.https),
    field!(Topology, S_FIREWALLS, Flag: topology.firewalls),
    field!(Topology, S_MONITORING, Flag: topology.monitoring),
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
        Section::Timing => Action::Timing { spec: s.timing },
        Section::App => Action::App { spec: s.app },
        Section::Mysql => Action::Mysql { spec: s.mysql },
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

/// A value as a number box holds it: a dot for decimals whatever the language (the browser
/// shows it the user's way), no needless digits.
fn form_number(v: f64) -> String {
    foobar_sim::num::Dec(text::round_to(v, 3)).to_string()
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

fn label(s: &Setting, id: &str) -> Html {
    html! {
        <label for={id.to_string()}>
            { s.friendly() }{ " " }<code>{ s.option }</code>
        </label>
    }
}

fn render_field(
    index: usize,
    scenario: &Scenario,
    apply: &Apply,
    lit: &[(String, String)],
) -> Html {
    let field = &FIELDS[index];
    let s = field.setting;
    let id = field_id(s.option);
    // A setting a lesson's step still asks for, outlined.
    let highlighted = lit.iter().any(|(name, _)| name == field.name).then_some("");
    let control = match (field.get)(scenario) {
        Value::Flag(on) => {
            let onchange = apply.on_change(index);
            return html! {
                <div class="field flag" data-field={field.name} data-highlighted={highlighted}>
                    <input id={id.clone()} type="checkbox" checked={on} data-option={s.option}
                           {onchange} />
                    { label(s, &id) }
                </div>
            };
        }
        Value::Choice(chosen) => {
            let onchange = apply.on_change(index);
            html! {
                <select id={id.clone()} data-option={s.option} {onchange}>
                    { for field.options.iter().enumerate().map(|(i, words)| html! {
                        <option value={i.to_string()} data-value={(field.value_name)(i)}
                                selected={i == chosen}>{ words.text() }</option>
                    }) }
                </select>
            }
        }
        value => {
            let (shown, placeholder, step) = match value {
                Value::Optional(v) => (
                    v.map(form_number).unwrap_or_default(),
                    Some(text::default_value(&text::rounded(
                        (field.default)(scenario),
                        3,
                    ))),
                    "any",
                ),
                Value::Whole(v) => (v.to_string(), None, "1"),
                other => (form_number(other.number()), None, "any"),
            };
            html! {
                <NumberField id={id.clone()} step={step} value={shown}
                             placeholder={placeholder.map(AttrValue::from)}
                             option={s.option} commit={apply.commit(index)} />
            }
        }
    };
    html! {
        <div class="field" data-field={field.name} data-highlighted={highlighted}>
            { label(s, &id) }
            { control }
        </div>
    }
}

/// Applies a field's new value: an action for the lab, or a new run for the topology.
#[derive(Clone)]
struct Apply {
    engine: crate::state::Shared<crate::engine::Engine>,
    changed: Callback<()>,
    ui: UseReducerDispatcher<crate::state::UiState>,
}

impl Apply {
    /// What the user typed or chose into field `index`, applied; why not, if it was refused.
    fn apply(&self, index: usize, raw: &str) -> Result<(), String> {
        let field = &FIELDS[index];
        let value = parse(field, raw)?;
        let mut s = self.engine.borrow().scenario().clone();
        (field.set)(&mut s, value);
        let result = match action_for(field.section, &s) {
            Some(action) => self.engine.borrow_mut().apply(action),
            None => {
                let replaced = self.engine.borrow_mut().replace(&s);
                if replaced.is_ok() {
                    self.ui.dispatch(UiAction::NewRun);
                }
                replaced
            }
        };
        self.changed.emit(());
        result.map_err(|e| format!("{} {e}", text::refused()))
    }

    /// A number box's commit: the message beside it if refused.
    fn commit(&self, index: usize) -> Callback<String, Result<(), String>> {
        let apply = self.clone();
        Callback::from(move |raw: String| apply.apply(index, &raw))
    }

    /// A list's or a checkbox's change: a refusal goes to the message bar (and `refusals`
    /// keys the form, so the control shows the value in force again).
    fn on_change(&self, index: usize) -> Callback<Event> {
        let apply = self.clone();
        Callback::from(move |e: Event| {
            if let Err(message) = apply.apply(index, &target_value(&e)) {
                apply.ui.dispatch(UiAction::Refused(message));
            }
        })
    }
}

/// The settings tab, drawn each time the tabs are: a plain function, not a component (each
/// component type adds to the page's size). `refusals` (how many values were refused)
/// keys the form, so a refused value is replaced by the one in force.
pub fn settings_panel(ctx: &Ctx, refusals: u64, counts_only: bool) -> Html {
    let scenario = ctx.engine.borrow().scenario().clone();
    let lit = match lesson_control(ctx) {
        Some(Control::Settings(section, still)) => Some((section, still)),
        _ => None,
    };
    let apply = Apply {
        engine: ctx.engine.clone(),
        changed: ctx.changed.clone(),
        ui: ctx.ui.dispatcher(),
    };
    let button = |words: &'static str, action: Action| {
        let onclick = click_act(&ctx.act, action);
        html! { <button type="button" {onclick}>{ words }</button> }
    };
    let sections = Section::ALL.iter().map(|&section| {
        let extra = match section {
            Section::Traffic => html! {
                <>
                    <div class="field">
                        <span class="label">{ text::S_BURST.friendly() }{ " " }
                            <code>{ text::S_BURST.option }</code></span>
                        { button(text::flash_crowd(), Action::Burst { factor: 10.0, duration_s: 10.0 }) }
                    </div>
                    <div class="field" role="group" aria-label={text::S_SEND_ONE.friendly()}>
                        <span class="label">{ text::S_SEND_ONE.friendly() }{ " " }
                            <code>{ text::S_SEND_ONE.option }</code></span>
                        <span class="buttons">
                            { for [ReqKind::Static, ReqKind::Read, ReqKind::Write].iter().map(|&kind|
                                button(text::kind(kind), Action::SendOne { kind })) }
                        </span>
                    </div>
                </>
            },
            Section::Topology => html! { <p class="note">{ text::topology_restarts() }</p> },
            _ => html! {},
        };
        html! {
            <fieldset>
                <legend>{ section.title() }</legend>
                { for (0..FIELDS.len())
                    .filter(|&i| FIELDS[i].section == section)
                    .map(|i| {
                        let still = match &lit {
                            Some((s, still)) if *s == section => still.as_slice(),
                            _ => &[],
                        };
                        render_field(i, &scenario, &apply, still)
                    }) }
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
                    <option value="dots" selected={!counts_only}>{ text::motion_dots() }</option>
                    <option value="counts" selected={counts_only}>{ text::motion_counts() }</option>
                </select>
            </div>
        }
    };
    html! {
        <form class="settings" key={refusals.to_string()}
              onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            { for sections }
            <fieldset>
                <legend>{ text::panels() }</legend>
                { motion }
            </fieldset>
        </form>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// Every setting shows its real option name, and each round-trips: what the
    /// form reads back is what it wrote, and the core accepts the scenario's own values.
    #[test]
    fn every_field_round_trips_and_names_its_option() {
        let base = crate::engine::Engine::classroom_default();
        for f in FIELDS {
            assert!(!f.setting.option.is_empty() && !f.setting.friendly().is_empty());
            let v = (f.get)(&base);
            let mut s = base.clone();
            (f.set)(&mut s, v);
            assert_eq!((f.get)(&s), v, "{}", f.setting.option);
            if let Value::Choice(_) = v {
                assert!(!f.options.is_empty(), "{} has no options", f.setting.option);
            }
            // Another value lands in the field it names, and reads back the same, and no other
            // field changes with it (a topology field starts a new design, so it may): each
            // option of a choice (one value per option), a number one more, a flag flipped.
            let others: Vec<Value> = match v {
                Value::Choice(_) => (0..f.options.len()).map(Value::Choice).collect(),
                Value::Number(x) => vec![Value::Number(x + 1.0)],
                Value::Whole(x) => vec![Value::Whole(x + 1)],
                Value::Flag(b) => vec![Value::Flag(!b)],
                Value::Optional(_) => vec![Value::Optional(Some(123.0)), Value::Optional(None)],
            };
            for other in others {
                let mut s = base.clone();
                (f.set)(&mut s, other);
                assert_eq!((f.get)(&s), other, "{}", f.setting.option);
                assert_eq!(
                    s != base,
                    other != v,
                    "{} changes the scenario",
                    f.setting.option
                );
                if f.section == Section::Topology {
                    continue;
                }
                for g in FIELDS.iter().filter(|g| !std::ptr::eq(*g, f)) {
                    assert_eq!(
                        (g.get)(&s),
                        (g.get)(&base),
                        "setting {} also changed {}",
                        f.setting.option,
                        g.setting.option
                    );
                }
            }
            if let Some(action) = action_for(f.section, &s) {
                let mut e = crate::engine::Engine::new(&base).unwrap();
                e.apply(action).unwrap();
            }
        }
    }

    /// A value that is not a number is refused before it reaches the core,
    /// and an absurd number is refused by the core, with its message.
    #[test]
    fn absurd_settings_are_refused_with_a_message() {
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
