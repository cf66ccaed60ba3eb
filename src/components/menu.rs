//! A node's menu: the other faults, for the node and for its links. Opened by a
//! right click, a long press, or the keyboard (Shift+F10, the menu key); arrows move, Escape
//! closes and gives the focus back to the node.

use foobar_sim::num::Fixed;
use foobar_sim::scenario::FaultKind;
use foobar_sim::trace::ReqKind;
use foobar_sim::world::{AdminState, Condition, LinkCondition};
use foobar_sim::{Action, HostRole, NodeId, NodeKind};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::engine::Engine;
use crate::state::{Ctx, Menu, UiAction};
use crate::text;

#[derive(Debug, Clone, PartialEq)]
pub enum MenuItem {
    Heading(String),
    Act {
        label: String,
        action: Action,
        /// The state it is in now: shown ticked.
        current: bool,
    },
}

fn act(label: impl Into<String>, action: Action, current: bool) -> MenuItem {
    let label = label.into();
    MenuItem::Act {
        label: if current {
            text::current(&label)
        } else {
            label
        },
        action,
        current,
    }
}

fn fault(target: &str, fault: FaultKind) -> Action {
    Action::Fault {
        target: target.to_string(),
        fault,
    }
}

/// One entry per fault for `target`, ticked where `state` (its condition now, a node's or a
/// link's) is the one the fault leaves it in; restoring is never ticked.
fn faults<'a, C: PartialEq + Copy + 'a>(
    target: &'a str,
    state: C,
    list: &'a [(&'static str, FaultKind, C)],
) -> impl Iterator<Item = MenuItem> + 'a {
    list.iter().map(move |&(words, f, leaves)| {
        let ticked = !matches!(f, FaultKind::Restore) && state == leaves;
        act(words, fault(target, f), ticked)
    })
}

/// What a node's menu offers, from the world as it is now.
pub fn menu_items(e: &Engine, node: NodeId) -> Vec<MenuItem> {
    let t = e.topology();
    let n = t.node(node);
    let name = n.name.as_str();
    let mut items = Vec::new();
    if n.kind == NodeKind::Users {
        items.push(act(
            text::send_static(),
            Action::SendOne {
                kind: ReqKind::Static,
            },
            false,
        ));
        items.push(act(
            text::send_read(),
            Action::SendOne {
                kind: ReqKind::Read,
            },
            false,
        ));
        items.push(act(
            text::send_write(),
            Action::SendOne {
                kind: ReqKind::Write,
            },
            false,
        ));
        items.push(act(
            text::flash_crowd(),
            Action::Burst {
                factor: 10.0,
                duration_s: 10.0,
            },
            false,
        ));
    } else {
        let own = e
            .snap
            .nodes
            .get(node.index())
            .map_or(Condition::Up, |v| v.own);
        items.extend(faults(
            name,
            own,
            &[
                (text::crash(), FaultKind::Crash, Condition::Crashed),
                (
                    text::partition(),
                    FaultKind::Partition,
                    Condition::Partitioned,
                ),
                (text::drain(), FaultKind::Drain, Condition::Drain),
                (
                    text::slow10(),
                    FaultKind::Slow { factor: 10.0 },
                    Condition::Slow,
                ),
                (text::restore(), FaultKind::Restore, Condition::Up),
            ],
        ));
    }
    // HAProxy's administrative state for a web host (`set server web/<name> state …`).
    if n.role == HostRole::Web && !t.lb_hosts.is_empty() {
        let admin = e
            .snap
            .servers
            .iter()
            .find(|s| s.host == node)
            .map(|s| s.admin);
        items.push(MenuItem::Heading(text::haproxy_admin().to_string()));
        for state in [AdminState::Ready, AdminState::Drain, AdminState::Maint] {
            items.push(act(
                text::admin_state(state),
                Action::ServerState {
                    server: name.to_string(),
                    state,
                },
                admin == Some(state),
            ));
        }
    }
    // The links of a host (or of users, DNS): cut, slow, lossy, repair.
    if n.host.is_none() {
        for (i, l) in t.links.iter().enumerate() {
            if l.a != node && l.b != node {
                continue;
            }
            let other = if l.a == node { l.b } else { l.a };
            let state = e.snap.links.get(i).map_or(LinkCondition::Up, |v| v.state);
            items.push(MenuItem::Heading(text::link_menu(&t.node(other).name)));
            items.extend(faults(
                &l.name,
                state,
                &[
                    (
                        text::cut_link(),
                        FaultKind::Partition,
                        LinkCondition::Partitioned,
                    ),
                    (
                        text::slow_link(),
                        FaultKind::Slow { factor: 10.0 },
                        LinkCondition::Slow,
                    ),
                    (
                        text::lossy_link(),
                        FaultKind::Loss { rate: 0.2 },
                        LinkCondition::Lossy,
                    ),
                    (text::repair_link(), FaultKind::Restore, LinkCondition::Up),
                ],
            ));
        }
    }
    // A replica can be promoted by hand.
    if n.kind == NodeKind::Mysql {
        let replica = e.snap.dbs.iter().any(|d| d.node == node && !d.is_writer);
        if replica {
            items.push(act(
                text::promote(),
                Action::Promote {
                    db: name.to_string(),
                },
                false,
            ));
        }
    }
    items
}

/// Gives the keyboard focus back to a node of the diagram drawn inside `scope`.
pub fn focus_node(scope: &web_sys::Element, node: NodeId) {
    let el = scope
        .query_selector(&format!("[data-node-id=\"{}\"]", node.0))
        .ok()
        .flatten();
    if let Some(el) = el {
        if let Some(svg) = el.dyn_ref::<web_sys::SvgElement>() {
            let _ = svg.focus();
        } else if let Some(html) = el.dyn_ref::<web_sys::HtmlElement>() {
            let _ = html.focus();
        }
    }
}

fn menu_buttons(menu: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    crate::keys::focusable(menu, "[role=menuitem]")
}

/// The menu open on a node (`m` says which, and where), drawn with the stage: a plain
/// function, not a component (each component type adds to the page's size). The stage
/// moves the focus to its first item when it opens; `menu_ref` is its element.
pub fn node_menu(ctx: &Ctx, props: &Menu, menu_ref: &NodeRef) -> Html {
    let node = props.node;
    let (items, name) = {
        let e = ctx.engine.borrow();
        (menu_items(&e, node), e.topology().node(node).name.clone())
    };
    let close = {
        let ui = ctx.ui.clone();
        let menu_ref = menu_ref.clone();
        Callback::from(move |_: ()| {
            // The stage the menu is open on holds the node: focus it while the menu is
            // still there to find it from.
            let stage = menu_ref
                .cast::<web_sys::Element>()
                .and_then(|m| m.closest(".stage").ok().flatten());
            if let Some(stage) = stage {
                focus_node(&stage, node);
            }
            ui.dispatch(UiAction::CloseMenu);
        })
    };
    let onkeydown = {
        let close = close.clone();
        let menu_ref = menu_ref.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(menu) = menu_ref.cast::<web_sys::Element>() else {
                return;
            };
            if matches!(e.key().as_str(), "Escape" | "Tab") {
                e.prevent_default();
                e.stop_propagation();
                close.emit(());
            } else if crate::keys::move_focus(&menu_buttons(&menu), &e) {
                e.stop_propagation();
            }
        })
    };
    let entries = items.into_iter().map(|item| match item {
        MenuItem::Heading(words) => html! {
            <div class="menu-heading" role="presentation">{ words }</div>
        },
        MenuItem::Act {
            label,
            action,
            current,
        } => {
            let act = ctx.act.clone();
            let close = close.clone();
            // What it does, as a scenario file or a lesson writes the action (tests find it).
            let data_act = crate::classroom::json(&action);
            let onclick = Callback::from(move |_: MouseEvent| {
                act.emit(action.clone());
                close.emit(());
            });
            html! {
                <button type="button" role="menuitem" tabindex="-1" data-act={data_act}
                        data-current={current.then_some("")} {onclick}>
                    { label }
                </button>
            }
        }
    });
    let backdrop = {
        let close = close.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            close.emit(());
        })
    };
    let close_click = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| close.emit(()))
    };
    let style = format!(
        "left: {}px; {}: {}px",
        Fixed(props.x, 0),
        if props.up { "bottom" } else { "top" },
        Fixed(props.y, 0)
    );
    html! {
        <>
            <div class="menu-backdrop" onclick={backdrop.clone()} oncontextmenu={backdrop} />
            <div class="node-menu" role="menu" aria-label={text::menu_title(&name)}
                 data-menu-for={name.clone()} ref={menu_ref.clone()} {style} {onkeydown}>
                <div class="menu-title" role="presentation">{ text::menu_title(&name) }</div>
                { for entries }
                <button type="button" role="menuitem" tabindex="-1" class="menu-close"
                        onclick={close_click}>{ text::close_menu() }</button>
            </div>
        </>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn labels(items: &[MenuItem]) -> Vec<String> {
        items
            .iter()
            .map(|i| match i {
                MenuItem::Heading(h) => format!("# {h}"),
                MenuItem::Act { label, .. } => label.clone(),
            })
            .collect()
    }

    /// Crash, cut off, drain, slow, restore, and the host's links.
    #[test]
    fn a_web_host_menu_has_every_fault_and_its_links() {
        let e = Engine::new(&Engine::classroom_default()).unwrap();
        let web01 = e.topology().node_by_name("web-01").unwrap();
        let items = menu_items(&e, web01);
        let l = labels(&items);
        for want in [
            text::crash(),
            text::partition(),
            text::drain(),
            text::slow10(),
            text::restore(),
        ] {
            assert!(l.iter().any(|x| x == want), "{want} missing from {l:?}");
        }
        assert!(l.contains(&format!("# {}", text::link_menu("lb-01"))));
        assert!(l.contains(&format!("# {}", text::link_menu("web-02"))));
        assert!(l.contains(&text::current(text::admin_state(AdminState::Ready))));
        // Every action in it is one the core accepts.
        for item in items {
            if let MenuItem::Act { action, .. } = item {
                let mut e = Engine::new(&Engine::classroom_default()).unwrap();
                e.apply(action.clone())
                    .unwrap_or_else(|err| panic!("{action:?} refused: {err}"));
            }
        }
    }

    #[test]
    fn users_menu_sends_requests() {
        let e = Engine::new(&Engine::classroom_default()).unwrap();
        let users = e.topology().users;
        let l = labels(&menu_items(&e, users));
        assert!(l.iter().any(|x| x == text::send_write()));
        assert!(!l.iter().any(|x| x == text::crash()));
    }
}
