//! The live diagram (SPEC U1): every node and link of the world, drawn in SVG.
//!
//! Nodes are SVG groups Yew keeps, so users can click, focus and read them; each carries
//! `data-node` (its name in the core) and `data-state`, which tests and styles key on.

use std::rc::Rc;

use foobar_sim::{LinkKind, Node, NodeId, NodeKind, Topology};
use yew::prelude::*;

use crate::layout::{Layout, LinkPlacement, Rect};

#[derive(Properties)]
pub struct DiagramProps {
    pub topology: Rc<Topology>,
}

// The topology is built once and shared: the same one means the same drawing.
impl PartialEq for DiagramProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.topology, &other.topology)
    }
}

#[component]
pub fn Diagram(props: &DiagramProps) -> Html {
    let t = &*props.topology;
    let layout = Layout::of(t);
    let view_box = format!("0 0 {} {}", layout.width, layout.height);
    let top_level = t
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.host.is_none())
        .map(|(i, _)| render_node(t, &layout, NodeId(i as u16)));
    html! {
        <svg class="diagram" viewBox={view_box} role="group"
             aria-label="Diagram of www.foobar.com: every host, component and link">
            <g class="links">
                { for layout.links.iter().map(|l| render_link(t, l)) }
            </g>
            <g class="nodes">{ for top_level }</g>
        </svg>
    }
}

/// The state a node is in, shown by word and icon as well as colour (SPEC U1, U9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeState {
    Up,
}

impl NodeState {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeState::Up => "up",
        }
    }

    fn badge(self) -> &'static str {
        match self {
            NodeState::Up => "✓ UP",
        }
    }
}

/// What a node is, in the words a student reads on it: a title and a line below.
fn describe(t: &Topology, id: NodeId) -> (&'static str, &'static str) {
    let node = t.node(id);
    match node.kind {
        NodeKind::Users => ("Users", "browsers"),
        NodeKind::Dns => ("DNS", "www.foobar.com"),
        NodeKind::Host => ("host", ""),
        NodeKind::Haproxy => ("HAProxy", "load balancer"),
        NodeKind::Keepalived => ("keepalived", "VRRP"),
        NodeKind::Nginx => ("Nginx", "web server"),
        NodeKind::App => ("App server", "application"),
        NodeKind::Mysql => {
            // The core lists database hosts primary first.
            let primary = t.db_hosts.first() == Some(&t.host_of(id));
            ("MySQL", if primary { "primary" } else { "replica" })
        }
        NodeKind::Firewall => ("Firewall", "packet filter"),
        NodeKind::MonitorAgent => ("Monitoring", "agent"),
    }
}

fn aria_label(t: &Topology, node: &Node, id: NodeId, state: NodeState) -> String {
    let state = state.as_str();
    match describe(t, id) {
        (_, "") => format!("{}: {}, {state}", node.name, node.kind.as_str()),
        (title, what) => format!("{}: {title} {what}, {state}", node.name),
    }
}

fn render_node(t: &Topology, layout: &Layout, id: NodeId) -> Html {
    let node = t.node(id);
    let state = NodeState::Up;
    let r = layout.rect(id);
    let class = classes!(
        "node",
        format!("kind-{}", node.kind.as_str()),
        format!("state-{}", state.as_str())
    );
    let label = aria_label(t, node, id, state);
    let body = match node.kind {
        NodeKind::Host => render_host(t, layout, id, &r, state),
        _ => render_box(t, id, &r, state),
    };
    // A host holds its components, so it is a group; anything else is one picture.
    let role = if node.kind == NodeKind::Host {
        "group"
    } else {
        "img"
    };
    html! {
        <g class={class} data-node={node.name.clone()} data-state={state.as_str()}
           role={role} aria-label={label} tabindex="0">
            <title>{ &node.name }</title>
            { body }
        </g>
    }
}

fn render_host(t: &Topology, layout: &Layout, id: NodeId, r: &Rect, state: NodeState) -> Html {
    let node = t.node(id);
    html! {
        <>
            <rect class="host-box" x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)}
                  rx="10" />
            <text class="host-name" x={num(r.x + 14.0)} y={num(r.y + 27.0)}>{ &node.name }</text>
            { render_badge(r.right() - 12.0, r.y + 10.0, state) }
            { for t.components_of(id).map(|c| render_node(t, layout, c)) }
        </>
    }
}

/// Users, DNS and every component: a box with a stripe of its kind's colour.
fn render_box(t: &Topology, id: NodeId, r: &Rect, state: NodeState) -> Html {
    let (title, what) = describe(t, id);
    let component = t.node(id).host.is_some();
    let (title_size, pad) = if component { (0.0, 14.0) } else { (6.0, 18.0) };
    let icon = match t.node(id).kind {
        NodeKind::Users => render_users_icon(r.right() - 50.0, r.y + 16.0),
        _ => html! {},
    };
    html! {
        <>
            <rect class="box" x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)}
                  rx="8" />
            <path class="stripe" d={stripe_path(r)} />
            <text class="box-title" x={num(r.x + pad)} y={num(r.y + 25.0 + title_size)}
                  style={(title_size > 0.0).then_some("font-size: 23px")}>{ title }</text>
            <text class="box-what" x={num(r.x + pad)} y={num(r.y + 45.0 + title_size * 1.5)}>
                { what }
            </text>
            { icon }
            { render_badge_left(r.x + pad, r.bottom() - 24.0, state) }
        </>
    }
}

/// The kind-coloured band down a box's left side, its corners rounded as the box's are.
fn stripe_path(r: &Rect) -> String {
    const RX: f64 = 8.0;
    format!(
        "M{} {}v{}a{RX} {RX} 0 0 1 -{RX} -{RX}v-{}a{RX} {RX} 0 0 1 {RX} -{RX}z",
        num(r.x + RX),
        num(r.y),
        num(r.h),
        num(r.h - 2.0 * RX)
    )
}

const BADGE_W: f64 = 50.0;
const BADGE_H: f64 = 20.0;

/// The state badge, its right edge at `right`.
fn render_badge(right: f64, y: f64, state: NodeState) -> Html {
    render_badge_left(right - BADGE_W, y, state)
}

fn render_badge_left(x: f64, y: f64, state: NodeState) -> Html {
    html! {
        <g class="badge" aria-hidden="true">
            <rect x={num(x)} y={num(y)} width={num(BADGE_W)} height={num(BADGE_H)} rx="10" />
            <text x={num(x + BADGE_W / 2.0)} y={num(y + 15.0)} text-anchor="middle">
                { state.badge() }
            </text>
        </g>
    }
}

/// Three people: the population of browsers.
fn render_users_icon(x: f64, y: f64) -> Html {
    let person = |dx: f64, scale: f64| {
        let cx = x + dx;
        let head = 5.0 * scale;
        let body = format!(
            "M{} {}a{} {} 0 0 1 {} 0z",
            cx - 9.0 * scale,
            y + 26.0 * scale,
            9.0 * scale,
            10.0 * scale,
            18.0 * scale
        );
        html! {
            <>
                <circle cx={num(cx)} cy={num(y + 9.0 * scale)} r={num(head)} />
                <path d={body} />
            </>
        }
    };
    html! {
        <g class="icon" aria-hidden="true">
            { person(8.0, 0.8) }
            { person(32.0, 0.8) }
            { person(20.0, 1.0) }
        </g>
    }
}

fn render_link(t: &Topology, placed: &LinkPlacement) -> Html {
    let link = t.link(placed.id);
    let class = classes!(
        "link",
        match link.kind {
            LinkKind::Internet => "link-internet",
            LinkKind::Lan => "link-lan",
        }
    );
    let label = link_label(t, link.a, link.b).map(|text| {
        let (x, y) = placed.shape.label_at();
        let (x, y, anchor) = if placed.shape.is_vertical() {
            (x + 10.0, y + 5.0, "start")
        } else {
            (x, y - 10.0, "middle")
        };
        html! {
            <text class="link-label" x={num(x)} y={num(y)} text-anchor={anchor}>{ text }</text>
        }
    });
    html! {
        <g class={class} data-link={link.name.clone()}>
            <title>{ &link.name }</title>
            <path d={placed.shape.path()} />
            { for label }
        </g>
    }
}

/// What a link carries, where the ends alone say it.
fn link_label(t: &Topology, a: NodeId, b: NodeId) -> Option<&'static str> {
    let kinds = (t.node(a).kind, t.node(b).kind);
    if kinds.0 == NodeKind::Dns || kinds.1 == NodeKind::Dns {
        Some("DNS lookup")
    } else if t.db_hosts.contains(&a) && t.db_hosts.contains(&b) {
        Some("replication")
    } else if t.link_between(a, b).map(|l| t.link(l).kind) == Some(LinkKind::Internet) {
        Some("Internet")
    } else {
        None
    }
}

/// A coordinate as SVG wants it: no needless decimals.
fn num(v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    format!("{rounded}")
}
