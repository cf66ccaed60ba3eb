//! The live diagram: every node and link of the world, drawn in SVG from the
//! snapshot. The moving request dots are not here: they go on the canvas above (draw/).
//!
//! Nodes are SVG groups Yew keeps, so users can click, focus and read them. Each carries
//! `data-node` (its name in the core) and `data-state` (its own condition: `up`, `crashed`,
//! `partitioned`, `drain`, `slow`); a backend host also carries `data-check` (HAProxy's status
//! string for it, exactly as the stats page shows it) and `data-served`. Tests key on these.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use foobar_sim::keepalived::VrrpState;
use foobar_sim::snapshot::ServerStatus;
use foobar_sim::world::DbRole;
use foobar_sim::world::{Condition, LinkCondition};
use foobar_sim::{LinkId, LinkKind, LinkRole, NodeId, NodeKind, Topology};
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::engine::Engine;
use crate::layout::{text_width, Form, Layout, LinkPlacement, Rect, KEY_R, LINK_WORDS_W};
use crate::text;

/// What the diagram shows of one node now.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeLive {
    /// The node's own condition.
    pub own: Condition,
    /// With its host's: a component on a crashed host is crashed.
    pub effective: Condition,
    pub slow: f64,
    /// HAProxy's status for a backend host (the first load balancer's view).
    pub check: Option<ServerStatus>,
    /// That HAProxy is not running: its status is the last it knew.
    pub check_stale: bool,
    pub served: Option<u64>,
    pub db: Option<(DbRole, bool)>,
    /// An app server's workers: busy, of, waiting.
    pub app: Option<(u32, u32, u32)>,
    /// A replica's lag behind its source, µs: `Some(None)` while its receiver is not
    /// connected (MySQL's NULL: it cannot know).
    pub lag_us: Option<Option<u64>>,
    /// keepalived's VRRP state and whether it holds the VIP.
    pub vrrp: Option<(VrrpState, bool)>,
}

impl NodeLive {
    fn up() -> NodeLive {
        NodeLive {
            own: Condition::Up,
            effective: Condition::Up,
            slow: 1.0,
            check: None,
            check_stale: false,
            served: None,
            db: None,
            app: None,
            lag_us: None,
            vrrp: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkLive {
    pub state: LinkCondition,
    pub slow: f64,
    pub loss: f64,
}

/// Everything live the diagram draws; compared by value, so the SVG re-renders only when
/// one of these changed.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveView {
    pub nodes: Vec<NodeLive>,
    pub links: Vec<LinkLive>,
    /// Replication streams: (source host, replica host).
    pub replication: Vec<(NodeId, NodeId)>,
    pub rate: f64,
}

impl LiveView {
    /// Every node up: the picture before anything has run.
    pub fn idle(t: &Topology) -> LiveView {
        LiveView {
            nodes: vec![NodeLive::up(); t.nodes.len()],
            links: vec![
                LinkLive {
                    state: LinkCondition::Up,
                    slow: 1.0,
                    loss: 0.0
                };
                t.links.len()
            ],
            replication: Vec::new(),
            rate: 0.0,
        }
    }

    pub fn of(e: &Engine) -> LiveView {
        let t = e.topology();
        let snap = &e.snap;
        let mut v = LiveView::idle(t);
        for (live, n) in v.nodes.iter_mut().zip(&snap.nodes) {
            live.own = n.own;
            live.effective = n.effective;
            live.slow = n.slow;
        }
        for (live, l) in v.links.iter_mut().zip(&snap.links) {
            live.state = l.state;
            live.slow = l.slow;
            live.loss = l.loss;
        }
        let first_lb = t.lb_hosts.first().copied();
        for s in &snap.servers {
            if Some(s.lb) == first_lb {
                let live = &mut v.nodes[s.host.index()];
                live.check = Some(s.status);
                live.check_stale = !s.lb_running;
                live.served = Some(s.served);
            }
        }
        for d in &snap.dbs {
            let live = &mut v.nodes[d.node.index()];
            live.db = Some((d.role, d.read_only));
            if let Some(source) = d.source {
                live.lag_us = Some(d.lag_us);
                v.replication.push((t.host_of(source), t.host_of(d.node)));
            }
        }
        for k in &snap.keepalived {
            if let Some(node) = t.component(k.lb, NodeKind::Keepalived) {
                v.nodes[node.index()].vrrp = Some((k.state, k.holds_vip));
            }
        }
        for a in &snap.apps {
            if let Some(app) = t.component(a.host, NodeKind::App) {
                v.nodes[app.index()].app = Some((a.busy, a.workers, a.backlog));
            }
        }
        v.rate = e.scenario().traffic.rate;
        v
    }
}

#[derive(Properties)]
pub struct DiagramProps {
    pub topology: Rc<Topology>,
    pub layout: Rc<Layout>,
    pub live: Rc<LiveView>,
    /// A click or Enter on a node (Space plays or pauses): break it, or bring it back.
    #[prop_or_default]
    pub on_toggle: Callback<NodeId>,
    /// The node's menu, at a point of the window (client coordinates).
    #[prop_or_default]
    pub on_menu: Callback<(NodeId, f64, f64)>,
    /// A click on a link: cut it, or repair it.
    #[prop_or_default]
    pub on_link: Callback<LinkId>,
    /// The node the open lesson's step is about: outlined, pulsing.
    #[prop_or_default]
    pub highlight: Option<NodeId>,
    /// The nodes keys 1–9 break and restore, numbered on the diagram (presenter mode).
    #[prop_or_default]
    pub numbers: Rc<Vec<NodeId>>,
    /// The language in force: the diagram is drawn again in another.
    #[prop_or_default]
    pub lang: crate::i18n::Lang,
}

// The topology and layout are built once per run and shared: the same ones mean the same
// drawing; the live view is compared by value.
impl PartialEq for DiagramProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.topology, &other.topology)
            && Rc::ptr_eq(&self.layout, &other.layout)
            && self.live == other.live
            && self.on_toggle == other.on_toggle
            && self.on_menu == other.on_menu
            && self.on_link == other.on_link
            && self.highlight == other.highlight
            && self.numbers == other.numbers
    }
}

/// The event handlers every node shares, and the long-press timer.
#[derive(Clone)]
struct Handlers {
    on_toggle: Callback<NodeId>,
    on_menu: Callback<(NodeId, f64, f64)>,
    on_link: Callback<LinkId>,
    press: Rc<Press>,
}

/// A touch held on a node: the timer that opens its menu, and whether it did.
#[derive(Default)]
struct Press {
    timer: RefCell<Option<Timeout>>,
    long: Cell<bool>,
}

const LONG_PRESS_MS: u32 = 550;

impl Handlers {
    fn node_events(&self, id: NodeId) -> NodeEvents {
        let click = {
            let h = self.clone();
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                if h.press.long.replace(false) {
                    return;
                }
                h.on_toggle.emit(id);
            })
        };
        let context = {
            let on_menu = self.on_menu.clone();
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                e.stop_propagation();
                on_menu.emit((id, e.client_x() as f64, e.client_y() as f64));
            })
        };
        let key = {
            let h = self.clone();
            Callback::from(move |e: KeyboardEvent| {
                let menu_key = e.key() == "ContextMenu" || (e.shift_key() && e.key() == "F10");
                if menu_key {
                    e.prevent_default();
                    e.stop_propagation();
                    let el = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                    let (x, y) = el.map_or((0.0, 0.0), |el| element_corner(&el));
                    h.on_menu.emit((id, x, y));
                } else if e.key() == "Enter" {
                    e.prevent_default();
                    e.stop_propagation();
                    h.on_toggle.emit(id);
                }
            })
        };
        let down = {
            let h = self.clone();
            Callback::from(move |e: PointerEvent| {
                e.stop_propagation();
                if e.pointer_type() == "mouse" {
                    return;
                }
                let (x, y) = (e.client_x() as f64, e.client_y() as f64);
                let fire = h.clone();
                let timer = Timeout::new(LONG_PRESS_MS, move || {
                    fire.press.long.set(true);
                    fire.on_menu.emit((id, x, y));
                });
                *h.press.timer.borrow_mut() = Some(timer);
            })
        };
        let up = {
            let press = self.press.clone();
            Callback::from(move |_: PointerEvent| {
                // Dropping the timer cancels it: a short tap stays a tap.
                press.timer.borrow_mut().take();
            })
        };
        NodeEvents {
            click,
            context,
            key,
            down,
            up,
        }
    }
}

struct NodeEvents {
    click: Callback<MouseEvent>,
    context: Callback<MouseEvent>,
    key: Callback<KeyboardEvent>,
    down: Callback<PointerEvent>,
    up: Callback<PointerEvent>,
}

/// Where a node's menu opens from the keyboard: near its element's top-left corner.
pub fn element_corner(el: &web_sys::Element) -> (f64, f64) {
    let r = el.get_bounding_client_rect();
    (r.left() + 24.0, r.top() + 24.0)
}

#[component]
pub fn Diagram(props: &DiagramProps) -> Html {
    let press = use_memo((), |_| Press::default());
    let handlers = Handlers {
        on_toggle: props.on_toggle.clone(),
        on_menu: props.on_menu.clone(),
        on_link: props.on_link.clone(),
        press,
    };
    let t = &*props.topology;
    let layout = &*props.layout;
    let live = &*props.live;
    let view_box = format!("0 0 {} {}", num(layout.width), num(layout.height));
    let d = Draw {
        t,
        layout,
        live,
        h: &handlers,
        highlight: props.highlight,
        numbers: &props.numbers,
    };
    html! {
        <svg class="diagram" viewBox={view_box} role="group" aria-label={text::diagram_label()}>
            <defs>
                <pattern id="hatch" width="10" height="10" patternUnits="userSpaceOnUse"
                         patternTransform="rotate(45)">
                    <rect width="10" height="10" class="hatch-bg" />
                    <line x1="0" y1="0" x2="0" y2="10" class="hatch-line" />
                </pattern>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"
                        markerHeight="7" orient="auto-start-reverse">
                    <path d="M0 0L10 5L0 10z" class="arrow-head" />
                </marker>
            </defs>
            <g class="links">
                { for layout.links.iter().map(|l| d.link(l)) }
            </g>
            <g class="nodes">{ for t.top_level().map(|id| d.node(id)) }</g>
        </svg>
    }
}

struct Draw<'a> {
    t: &'a Topology,
    layout: &'a Layout,
    live: &'a LiveView,
    h: &'a Handlers,
    highlight: Option<NodeId>,
    numbers: &'a [NodeId],
}

impl Draw<'_> {
    fn node(&self, id: NodeId) -> Html {
        let node = self.t.node(id);
        let live = &self.live.nodes[id.index()];
        let r = self.layout.rect(id);
        let (title, what) = self.describe(id);
        let lit = self.highlight == Some(id);
        let number = self.numbers.iter().position(|&n| n == id).map(|i| i + 1);
        let mut label = text::node_aria(&node.name, title, &what, live.effective, live.check);
        if let Some(n) = number {
            label.push_str(&text::node_key(n));
        }
        if lit {
            label.push_str(text::highlight_aria());
        }
        let body = match node.kind {
            NodeKind::Host => self.host(id, &r),
            _ if self.layout.labels[id.index()].mark => self.mark(id, &r),
            _ => self.component_box(id, &r, title, &what),
        };
        // On top of the body: the lesson's ring, and the key's number.
        let ring = lit.then(|| {
            let around = Rect::around(r.centre_x(), r.centre_y(), r.w / 2.0 + 7.0, r.h / 2.0 + 7.0);
            rect("highlight-ring", around, "14")
        });
        let number = number
            .zip(self.layout.labels[id.index()].key)
            .map(|(n, (cx, cy))| {
                html! {
                    <g class="key-number" aria-hidden="true">
                        <circle cx={num(cx)} cy={num(cy)} r={num(KEY_R)} />
                        <text x={num(cx)} y={num(cy + 7.0)} text-anchor="middle">{ n }</text>
                    </g>
                }
            });
        // A host holds its components, so it is a group; anything else is one control.
        let role = if node.kind == NodeKind::Host {
            "group"
        } else {
            "button"
        };
        let ev = self.h.node_events(id);
        html! {
            <g class="node" data-kind={node.kind.as_str()} data-node={node.name.clone()}
               data-node-id={id.0.to_string()} data-state={live.own.as_str()}
               data-effective={live.effective.as_str()} data-highlighted={lit.then_some("")}
               data-check={live.check.map(|c| c.to_string())}
               data-served={live.served.map(|n| n.to_string())}
               role={role} aria-label={label} tabindex="0"
               aria-keyshortcuts="Enter Shift+F10"
               onclick={ev.click} oncontextmenu={ev.context} onkeydown={ev.key}
               onpointerdown={ev.down} onpointerup={ev.up.clone()}
               onpointercancel={ev.up.clone()} onpointerleave={ev.up}>
                <title>{ &node.name }</title>
                { body }
                { for ring }
                { for number }
            </g>
        }
    }

    /// A node's title and the line below it, from its kind and what it does now.
    fn describe(&self, id: NodeId) -> (&'static str, String) {
        let node = self.t.node(id);
        let live = &self.live.nodes[id.index()];
        let (title, what) = text::node_kind(node.kind);
        let what = match node.kind {
            NodeKind::Mysql => match live.db {
                Some((role, ro)) => text::db_role(role, ro).to_string(),
                None => what.to_string(),
            },
            NodeKind::App => match live.app {
                Some((busy, workers, backlog)) => text::app_load(busy, workers, backlog),
                None => what.to_string(),
            },
            NodeKind::Keepalived => match live.vrrp {
                Some((state, vip)) => text::vrrp(state, vip),
                None => what.to_string(),
            },
            NodeKind::Host => String::new(),
            _ => what.to_string(),
        };
        (title, what)
    }

    fn host(&self, id: NodeId, r: &Rect) -> Html {
        let node = self.t.node(id);
        let live = &self.live.nodes[id.index()];
        let l = &self.layout.labels[id.index()];
        let badge = l.badge.map(|room| {
            let words = text::state_badge(live.own, live.slow);
            pill("badge", live.own.as_str(), room, &words, false)
        });
        // HAProxy's view on the title line sits at its right end; on a line of its own, left.
        let inline = l.check.zip(l.badge).is_some_and(|(c, b)| c.y == b.y);
        let check = l.check.zip(live.check).map(|(room, status)| {
            // A dead HAProxy checks nothing: its status is only the last it knew.
            let sees = if live.check_stale {
                text::haproxy_last_known()
            } else {
                text::haproxy_sees()
            };
            let words = if l.check_long || live.check_stale {
                format!("{} {}", sees, text::check_badge(status))
            } else {
                text::check_badge(status)
            };
            pill(
                "check",
                text::Trend::of(status).name(),
                room,
                &words,
                inline,
            )
        });
        let served = l.served.zip(live.served).map(|(room, n)| {
            let (x, anchor) = if inline {
                (room.right(), "end")
            } else {
                (room.x, "start")
            };
            words_at(
                "served",
                x,
                room.y + 19.0,
                anchor,
                &text::served(n),
                room.w,
                false,
            )
        });
        let title = l.title.map(|room| {
            words_at(
                "host-name",
                room.x,
                room.y + 22.0,
                "start",
                &node.name,
                room.w + 4.0,
                true,
            )
        });
        html! {
            <>
                { rect("host-box", *r, "10") }
                { for title }
                { for badge }
                { for served }
                { for check }
                { for self.t.components_of(id).map(|c| self.node(c)) }
            </>
        }
    }

    /// Users, DNS and every component: a box with a stripe of its kind's colour, its title,
    /// what it is or does now, and its badge, where the layout put them.
    fn component_box(&self, id: NodeId, r: &Rect, title: &str, what: &str) -> Html {
        let node = self.t.node(id);
        let live = &self.live.nodes[id.index()];
        let l = &self.layout.labels[id.index()];
        let roomy = self.layout.arrangement.form == Form::Roomy;
        let users = node.kind == NodeKind::Users;
        let title = l.title.map(|room| {
            // The users' icon shares the title's line.
            let w = room.w - if users { 48.0 } else { 0.0 };
            words_at("box-title", room.x, room.y + 19.0, "start", title, w, true)
        });
        let badge_words = text::state_badge(live.effective, live.slow);
        let badge = |room: Rect| pill("badge", live.effective.as_str(), room, &badge_words, false);
        let line = |room: Rect, words: &str| {
            words_at(
                "box-what",
                room.x,
                room.y + 18.0,
                "start",
                words,
                room.w,
                false,
            )
        };
        let rate = text::req_per_s(self.live.rate);
        let lag = live.lag_us.filter(|_| live.effective == Condition::Up);
        // What changes as it runs (its load, role, VRRP state), if anything does.
        let lively = matches!(
            node.kind,
            NodeKind::App | NodeKind::Mysql | NodeKind::Keepalived
        ) && (live.app.is_some() || live.db.is_some() || live.vrrp.is_some());
        let second = l.what.map(|room| match (roomy, users) {
            (true, _) => line(room, what),
            (false, true) => line(room, &rate),
            (false, false) if live.effective == Condition::Up && lively => match lag {
                Some(Some(us)) if us > 0 => line(room, &text::lag(us)),
                Some(None) => line(room, text::lag_not_connected()),
                _ => line(room, what),
            },
            (false, false) => badge(room),
        });
        let third = if !roomy {
            None
        } else if users {
            l.aside.map(|room| {
                line(
                    Rect {
                        y: room.y + 2.0,
                        ..room
                    },
                    &rate,
                )
            })
        } else {
            l.badge.map(badge)
        };
        // A replica's lag: the figure beside its badge, and a bar that fills over 5 s.
        // Its receiver not connected: MySQL's Seconds_Behind_Source is NULL, not a figure.
        let lag_words = lag.zip(l.aside).filter(|_| !users).map(|(us, room)| {
            let words = us.map_or_else(|| text::lag_not_connected().to_string(), text::lag);
            words_at(
                "lag-text",
                room.right(),
                room.y + 18.0,
                "end",
                &words,
                room.w,
                true,
            )
        });
        let lag_bar = lag
            .flatten()
            .zip(l.icon)
            .filter(|_| !users)
            .map(|(us, bar)| {
                let filled = bar.w * (us as f64 / 5e6).min(1.0);
                html! {
                    <g class="lag" data-lag-us={us.to_string()}>
                        { rect("lag-track", bar, "2") }
                        { rect("lag-fill", Rect { w: filled, ..bar }, "2") }
                    </g>
                }
            });
        let icon = l.icon.filter(|_| users).map(|r| users_icon(r.x, r.y));
        html! {
            <>
                { rect("box", *r, "8") }
                <path class="stripe" d={stripe_path(r)} />
                { for title }
                { for icon }
                { for second }
                { for third }
                { for lag_bar }
                { for lag_words }
            </>
        }
    }

    /// A firewall or a monitoring agent drawn as a mark (presenter mode, dense designs): its
    /// icon, then its badge, in a box as wide as they are.
    fn mark(&self, id: NodeId, r: &Rect) -> Html {
        let live = &self.live.nodes[id.index()];
        let l = &self.layout.labels[id.index()];
        let room = l.badge.unwrap_or(*r);
        let words = text::state_badge(live.effective, live.slow);
        let w = (text_width(&words, crate::layout::WORDS_PX, true) + 16.0).min(room.w);
        let (x, y) = l.key.unwrap_or((r.x, r.y));
        // A brick wall; a heartbeat.
        let icon = if self.t.node(id).kind == NodeKind::Firewall {
            "m-9-7h18v14h-18zm0 7h18m-9-7v7m-4.5 0v7m9-7v7"
        } else {
            "m-10 1h5l2-7 4 13 2-6h7"
        };
        html! {
            <>
                { rect("box", Rect { w: room.x - r.x + w + 1.0, ..*r }, "14") }
                <path class="mark-icon" d={format!("M{} {}{icon}", num(x), num(y))} />
                { pill("badge", live.effective.as_str(), room, &words, false) }
            </>
        }
    }

    fn link(&self, placed: &LinkPlacement) -> Html {
        let link = self.t.link(placed.id);
        let live = &self.live.links[placed.id.index()];
        // Replication flows from a source's host to its replica's: draw it as an arrow.
        let replication = self.live.replication.iter().find_map(|&(from, to)| {
            if (from, to) == (link.a, link.b) {
                Some(false)
            } else if (from, to) == (link.b, link.a) {
                Some(true)
            } else {
                None
            }
        });
        let path = placed.path(replication == Some(true));
        let kind = match link.kind {
            LinkKind::Internet => "internet",
            LinkKind::Lan => "lan",
        };
        let words = if replication.is_some() {
            Some(text::replication())
        } else {
            match link.role {
                LinkRole::Dns | LinkRole::Web | LinkRole::Vrrp => {
                    Some(text::link_carries(link.role))
                }
                _ => None,
            }
        };
        let state = text::link_state(live.state, live.slow, live.loss);
        let label = match (words, state.is_empty()) {
            (Some(w), true) => Some(w.to_string()),
            (Some(w), false) => Some(format!("{w} · {state}")),
            (None, false) => Some(state),
            (None, true) => None,
        };
        let label = label.zip(placed.label).map(|(words, at)| {
            words_at(
                "link-label",
                at.x,
                at.y,
                at.anchor,
                &words,
                LINK_WORDS_W,
                false,
            )
        });
        let id = placed.id;
        let on_link = self.h.on_link.clone();
        let onclick = Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            on_link.emit(id);
        });
        html! {
            <g class="link" data-kind={kind} data-link={link.name.clone()} data-state={live.state.as_str()}
               data-replication={replication.map(|_| "")}>
                <title>{ format!("{}: {}", link.name, text::link_words(live.state)) }</title>
                <path class="link-hit" d={path.clone()} {onclick} />
                <path class="link-line" d={path}
                      marker-end={replication.map(|_| "url(#arrow)")} />
                { for label }
            </g>
        }
    }
}

/// The kind-coloured band down a box's left side, its corners rounded as the box's are.
fn stripe_path(r: &Rect) -> String {
    const RX: f64 = 8.0;
    format!(
        "M{} {}v{}a{rx} {rx} 0 0 1 -{rx} -{rx}v-{}a{rx} {rx} 0 0 1 {rx} -{rx}z",
        num(r.x + RX),
        num(r.y),
        num(r.h),
        num(r.h - 2.0 * RX),
        rx = num(RX)
    )
}

/// Words at a point, pressed into `room` when wider (SVG's `textLength`), so they never leave
/// the place the layout gave them.
fn words_at(
    class: &'static str,
    x: f64,
    y: f64,
    anchor: &'static str,
    words: &str,
    room: f64,
    bold: bool,
) -> Html {
    let px = match class {
        "host-name" => crate::layout::NAME_PX,
        "box-title" => crate::layout::TITLE_PX,
        _ => crate::layout::WORDS_PX,
    };
    let squeeze = (text_width(words, px, bold) > room).then(|| num(room));
    let adjust = squeeze.as_ref().map(|_| "spacingAndGlyphs");
    html! {
        <text class={class} x={num(x)} y={num(y)} text-anchor={anchor} textLength={squeeze}
              lengthAdjust={adjust}>{ words }</text>
    }
}

/// A badge or HAProxy's view: its words in a pill as wide as they are, within `room`, at its
/// left end or (`right`) its right end.
fn pill(class: &'static str, state: &'static str, room: Rect, words: &str, right: bool) -> Html {
    let need = text_width(words, crate::layout::WORDS_PX, true);
    let w = (need + 16.0).min(room.w);
    let x = if right { room.right() - w } else { room.x };
    let inner = w - 16.0;
    let squeeze = (need > inner).then(|| num(inner));
    let adjust = squeeze.as_ref().map(|_| "spacingAndGlyphs");
    let trend = (class == "check").then_some(state);
    let own = (class == "badge").then_some(state);
    html! {
        <g class={class} data-state={own} data-trend={trend} aria-hidden="true">
            { rect("", Rect { x, w, ..room }, "13") }
            <text x={num(x + w / 2.0)} y={num(room.y + 19.0)} text-anchor="middle"
                  textLength={squeeze} lengthAdjust={adjust}>{ words }</text>
        </g>
    }
}

/// A rectangle of the drawing, its corners rounded by `rx`.
fn rect(class: &'static str, r: Rect, rx: &'static str) -> Html {
    html! {
        <rect class={class} x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)}
              rx={rx} />
    }
}

/// Three people: the population of browsers. One path from the icon's corner: a head (a
/// circle) and a body (half an ellipse) each, the middle one larger and in front.
fn users_icon(x: f64, y: f64) -> Html {
    const PEOPLE: &str = "m4 7.2a4 4 0 1 0 8 0a4 4 0 1 0-8 0m-3.2 13.6a7.2 8 0 0 1 14.4 0z\
                          m27.2-13.6a4 4 0 1 0 8 0a4 4 0 1 0-8 0m-3.2 13.6a7.2 8 0 0 1 14.4 0z\
                          m-9.8-11.8a5 5 0 1 0 10 0a5 5 0 1 0-10 0m-4 17a9 10 0 0 1 18 0z";
    html! {
        <path class="icon" aria-hidden="true" d={format!("M{} {}{PEOPLE}", num(x), num(y))} />
    }
}

/// A coordinate as SVG wants it: no needless decimals.
pub fn num(v: f64) -> String {
    foobar_sim::num::Dec(text::round_to(v, 1)).to_string()
}
