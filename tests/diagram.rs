//! Browser tests of the page's components (the diagram, its menus, the time controls, the
//! settings, the inspector): run in headless Chromium by `cargo test -p foobar-lab --target
//! wasm32-unknown-unknown` (see .cargo/config.toml). Each awaits `yew::scheduler::flush()`, never a fixed sleep.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use foobar_lab::components::diagram::{Diagram, DiagramProps, LiveView};
use foobar_lab::engine::Engine;
use foobar_lab::layout::Layout;
use foobar_sim::scenario::{FaultKind, LbPair};
use foobar_sim::{Action, Scenario, Topology};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

mod browser;
use browser::*;

async fn mount_diagram(topology: Topology, live: LiveView) -> Element {
    mount_diagram_with(topology, live, None, Vec::new()).await
}

async fn mount_diagram_with(
    topology: Topology,
    live: LiveView,
    highlight: Option<foobar_sim::NodeId>,
    numbers: Vec<foobar_sim::NodeId>,
) -> Element {
    let root = mount_point();
    let layout = Rc::new(Layout::of(&topology));
    let props = DiagramProps {
        lang: Default::default(),
        topology: Rc::new(topology),
        layout,
        live: Rc::new(live),
        on_toggle: Default::default(),
        on_menu: Default::default(),
        on_link: Default::default(),
        highlight,
        numbers: Rc::new(numbers),
    };
    yew::Renderer::<Diagram>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

async fn mount_app() -> Mounted {
    Mounted::app(None).await
}

fn node_element(root: &Element, name: &str) -> Option<Element> {
    root.query_selector(&format!("[data-node=\"{name}\"]"))
        .unwrap()
}

fn node_attr(root: &Element, name: &str, attr: &str) -> Option<String> {
    node_element(root, name).and_then(|e| e.get_attribute(attr))
}

fn assert_every_node_drawn_up(root: &Element, t: &Topology) {
    for node in &t.nodes {
        let el = node_element(root, &node.name)
            .unwrap_or_else(|| panic!("no element with data-node={:?}", node.name));
        assert_eq!(
            el.get_attribute("data-state").as_deref(),
            Some("up"),
            "{}",
            node.name
        );
        assert_eq!(
            el.get_attribute("tabindex").as_deref(),
            Some("0"),
            "{}",
            node.name
        );
        let label = el.get_attribute("aria-label").unwrap_or_default();
        assert!(
            label.starts_with(&node.name),
            "{}: aria-label {label:?}",
            node.name
        );
    }
    let drawn = root.query_selector_all("[data-node]").unwrap().length() as usize;
    assert_eq!(drawn, t.nodes.len(), "one element per node, no more");
}

fn key(el: &Element, key: &str, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    el.dispatch_event(&ev).unwrap();
}

fn click(el: &Element) {
    el.dyn_ref::<HtmlElement>()
        .map(|h| h.click())
        .unwrap_or_else(|| {
            let ev = web_sys::MouseEvent::new("click").unwrap();
            let init = web_sys::MouseEventInit::new();
            init.set_bubbles(true);
            let ev2 =
                web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap_or(ev);
            el.dispatch_event(&ev2).unwrap();
        });
}

/// Every component of the three-server design is its own node on the page, up.
#[wasm_bindgen_test]
async fn the_three_server_diagram_draws_every_node_up() {
    let t = Topology::build(&Scenario::three_server().topology);
    let root = mount_diagram(t.clone(), LiveView::idle(&t)).await;
    // Which nodes the design has is the core's test (topology.rs); here, each is drawn.
    assert_every_node_drawn_up(&root, &t);
    assert!(node_element(&root, "web-02/mysql").is_some());
}

/// A component is drawn inside its host's element, so failing a host visibly
/// covers everything on it.
#[wasm_bindgen_test]
async fn components_are_drawn_inside_their_host() {
    let t = Topology::build(&Scenario::three_server().topology);
    let root = mount_diagram(t.clone(), LiveView::idle(&t)).await;
    for node in t.nodes.iter().filter(|n| n.host.is_some()) {
        let el = node_element(&root, &node.name).unwrap();
        let parent = el.parent_element().unwrap();
        let host = &t.node(node.host.unwrap()).name;
        assert_eq!(parent.get_attribute("data-node").as_ref(), Some(host));
    }
}

/// The lesson's node is outlined (and said so to screen readers); in presenter mode each
/// node of keys 1–9 carries its number.
#[wasm_bindgen_test]
async fn the_lesson_node_is_outlined_and_presenter_mode_numbers_the_keys() {
    let t = Topology::build(&Scenario::three_server().topology);
    let lb = t.node_by_name("lb-01").unwrap();
    let numbers = foobar_lab::classroom::numbered(&t);
    let root = mount_diagram_with(t.clone(), LiveView::idle(&t), Some(lb), numbers.clone()).await;
    let lit = root.query_selector_all(".highlight-ring").unwrap();
    assert_eq!(lit.length(), 1);
    let ring = root
        .query_selector("[data-node=\"lb-01\"] > .highlight-ring")
        .unwrap();
    assert!(ring.is_some(), "the ring is lb-01's");
    let label = node_attr(&root, "lb-01", "aria-label").unwrap();
    assert!(label.contains("lesson"), "{label}");
    assert_eq!(root.query_selector_all(".key-number").unwrap().length(), 9);
    for (i, &n) in numbers.iter().enumerate() {
        let name = &t.node(n).name;
        let sel = format!("[data-node=\"{name}\"] > .key-number text");
        let drawn = root.query_selector(&sel).unwrap().unwrap().text_content();
        assert_eq!(drawn, Some((i + 1).to_string()), "{name}");
    }
}

/// Every link is drawn, named as the core names it.
#[wasm_bindgen_test]
async fn every_link_is_drawn() {
    let t = Topology::build(&Scenario::three_server().topology);
    let root = mount_diagram(t.clone(), LiveView::idle(&t)).await;
    for link in &t.links {
        let sel = format!("[data-link=\"{}\"]", link.name);
        assert!(
            root.query_selector(&sel).unwrap().is_some(),
            "{} missing",
            link.name
        );
    }
}

/// The layout follows the core's topology, not a fixed picture.
#[wasm_bindgen_test]
async fn a_scaled_up_topology_draws_every_node() {
    let mut s = Scenario::three_server();
    s.topology.web_hosts = 4;
    s.topology.lb_pair = LbPair::ActivePassive;
    s.topology.dedicated_db = true;
    s.topology.firewalls = true;
    s.topology.monitoring = true;
    let t = Topology::build(&s.topology);
    let root = mount_diagram(t.clone(), LiveView::idle(&t)).await;
    assert_every_node_drawn_up(&root, &t);
    assert!(node_element(&root, "lb-02/keepalived").is_some());
    assert!(node_element(&root, "db-02/mysql").is_some());
}

/// In presenter mode a dense design's firewalls and monitoring agents are marks on
/// their hosts, each still a node: focusable, a button for click and Enter, named for screen
/// readers, and its state said in words on it when it is broken.
#[wasm_bindgen_test]
async fn presenter_marks_are_nodes_with_their_state_in_words() {
    let mut s = Scenario::preset(foobar_sim::scenario::Preset::ScaledUp);
    s.topology.web_hosts = 8;
    let t = Topology::build(&s.topology);
    let layout = Layout::fit(&t, 1880.0, 720.0, true);
    let firewall = t.node_by_name("web-02/firewall").unwrap();
    assert!(
        layout.labels[firewall.index()].mark,
        "a mark in presenter mode"
    );
    let mut live = LiveView::idle(&t);
    live.nodes[firewall.index()].own = foobar_sim::world::Condition::Crashed;
    live.nodes[firewall.index()].effective = foobar_sim::world::Condition::Crashed;
    let toggled = Rc::new(std::cell::RefCell::new(Vec::new()));
    let on_toggle = {
        let toggled = toggled.clone();
        yew::Callback::from(move |id| toggled.borrow_mut().push(id))
    };
    let root = mount_point();
    let props = DiagramProps {
        lang: Default::default(),
        topology: Rc::new(t.clone()),
        layout: Rc::new(layout),
        live: Rc::new(live),
        on_toggle,
        on_menu: Default::default(),
        on_link: Default::default(),
        highlight: None,
        numbers: Rc::new(Vec::new()),
    };
    yew::Renderer::<Diagram>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let drawn = root.query_selector_all("[data-node]").unwrap().length() as usize;
    assert_eq!(drawn, t.nodes.len(), "one element per node");
    let el = node_element(&root, "web-02/firewall").unwrap();
    assert_eq!(el.get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(el.get_attribute("role").as_deref(), Some("button"));
    assert_eq!(el.get_attribute("data-state").as_deref(), Some("crashed"));
    let label = el.get_attribute("aria-label").unwrap();
    assert!(label.starts_with("web-02/firewall: Firewall"), "{label}");
    assert!(label.contains("crashed"), "{label}");
    let words = el.query_selector(".badge text").unwrap().unwrap();
    assert_eq!(words.text_content().as_deref(), Some("✕ CRASHED"));
    let up = node_element(&root, "web-02/monitor").unwrap();
    let words = up.query_selector(".badge text").unwrap().unwrap();
    assert_eq!(words.text_content().as_deref(), Some("✓ UP"));
    click(&el);
    key(&el, "Enter", false);
    assert_eq!(*toggled.borrow(), vec![firewall, firewall]);
}

/// What is true (the node's own state, at once) and what HAProxy knows (its status
/// string, exactly as the stats page shows it) are drawn apart; the replica shows its lag.
#[wasm_bindgen_test]
async fn the_live_state_and_haproxy_view_are_drawn_apart() {
    let mut e = Engine::new(&Engine::classroom_default()).unwrap();
    e.apply(Action::Fault {
        target: "web-01".into(),
        fault: FaultKind::Crash,
    })
    .unwrap();
    let t = (**e.topology()).clone();
    let root = mount_diagram(t, LiveView::of(&e)).await;
    assert_eq!(
        node_attr(&root, "web-01", "data-state").as_deref(),
        Some("crashed")
    );
    // HAProxy does not know yet: the lab opens on a HAProxy that has been running, its
    // servers fully UP (`init-state fully-up`), and its next check has not come.
    assert_eq!(
        node_attr(&root, "web-01", "data-check").as_deref(),
        Some("UP")
    );
    assert_eq!(
        node_attr(&root, "web-01/app", "data-state").as_deref(),
        Some("up")
    );
    assert_eq!(
        node_attr(&root, "web-01/app", "data-effective").as_deref(),
        Some("crashed")
    );
    assert_eq!(
        node_attr(&root, "web-02", "data-served").as_deref(),
        Some("0")
    );
    assert!(
        node_attr(&root, "lb-01", "data-check").is_none(),
        "only backends"
    );
    let badge = node_element(&root, "web-01")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        badge.contains("CRASHED"),
        "a word, not colour alone: {badge}"
    );
    assert!(badge.contains("HAProxy: ▲ UP"), "{badge}");
    // Its source crashed, the replica's receiver is not connected: MySQL says NULL, and so
    // does the diagram, rather than a lag of 0.
    let replica = node_element(&root, "web-02/mysql")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        replica.contains(foobar_lab::text::lag_not_connected()),
        "{replica}"
    );
    assert!(
        root.query_selector("[data-node=\"web-02/mysql\"] .lag")
            .unwrap()
            .is_none(),
        "no lag bar without a lag"
    );
    let arrow = root.query_selector(".link[data-replication]").unwrap();
    assert!(arrow.is_some(), "replication drawn as an arrow");
}

/// The whole App mounts, with its header, the diagram, the canvas and the time controls.
#[wasm_bindgen_test]
async fn app_mounts_with_header_diagram_canvas_and_controls() {
    let root = mount_app().await;
    let h1 = root.query_selector("h1").unwrap().expect("a header");
    assert_eq!(h1.text_content().unwrap(), "Foobar Lab — www.foobar.com");
    assert!(root.query_selector("svg.diagram").unwrap().is_some());
    assert!(root.query_selector("canvas.dots").unwrap().is_some());
    let t = Topology::build(&Scenario::three_server().topology);
    assert_every_node_drawn_up(&root, &t);
    for action in ["play", "pause", "step"] {
        assert!(
            root.query_selector(&format!("[data-action=\"{action}\"]"))
                .unwrap()
                .is_some(),
            "{action}"
        );
    }
}

/// Clicking a host outside its components fails the whole host; clicking again
/// restores it; clicking a component fails only that component.
#[wasm_bindgen_test]
async fn a_click_fails_the_host_or_only_the_component() {
    let root = mount_app().await;
    let title = root
        .query_selector("[data-node=\"web-02\"] > .host-name")
        .unwrap()
        .unwrap();
    click(&title);
    yew::scheduler::flush().await;
    assert_eq!(
        node_attr(&root, "web-02", "data-state").as_deref(),
        Some("crashed")
    );
    assert_eq!(
        node_attr(&root, "web-02/nginx", "data-state").as_deref(),
        Some("up")
    );
    click(&title);
    yew::scheduler::flush().await;
    assert_eq!(
        node_attr(&root, "web-02", "data-state").as_deref(),
        Some("up")
    );

    let app = node_element(&root, "web-02/app").unwrap();
    click(&app);
    yew::scheduler::flush().await;
    assert_eq!(
        node_attr(&root, "web-02/app", "data-state").as_deref(),
        Some("crashed")
    );
    assert_eq!(
        node_attr(&root, "web-02", "data-state").as_deref(),
        Some("up")
    );
    assert_eq!(
        node_attr(&root, "web-02/nginx", "data-state").as_deref(),
        Some("up")
    );
    let log = root
        .query_selector(".log")
        .unwrap()
        .expect("the log has a line");
    assert!(log.text_content().unwrap().contains("web-02/app: crashed"));
}

/// Enter toggles a focused node; Shift+F10 opens its menu with the focus on the
/// first item; Escape closes it and gives the focus back to the node.
#[wasm_bindgen_test]
async fn the_keyboard_toggles_and_opens_the_menu() {
    let root = mount_app().await;
    let web01 = node_element(&root, "web-01").unwrap();
    web01
        .dyn_ref::<web_sys::SvgElement>()
        .unwrap()
        .focus()
        .unwrap();
    key(&web01, "Enter", false);
    yew::scheduler::flush().await;
    assert_eq!(
        node_attr(&root, "web-01", "data-state").as_deref(),
        Some("crashed")
    );
    key(&web01, "Enter", false);
    yew::scheduler::flush().await;
    assert_eq!(
        node_attr(&root, "web-01", "data-state").as_deref(),
        Some("up")
    );

    key(&web01, "F10", true);
    yew::scheduler::flush().await;
    let menu = root.query_selector("[role=menu]").unwrap().expect("a menu");
    assert_eq!(
        menu.get_attribute("data-menu-for").as_deref(),
        Some("web-01")
    );
    let active = document().active_element().unwrap();
    assert_eq!(active.get_attribute("role").as_deref(), Some("menuitem"));
    let items = menu.text_content().unwrap();
    for want in [
        "Crash",
        "Cut off",
        "Drain",
        "Slow ×10",
        "Restore",
        "Link to lb-01",
    ] {
        assert!(
            items.contains(want),
            "{want} missing from the menu: {items}"
        );
    }
    key(&active, "ArrowDown", false);
    let second = document().active_element().unwrap();
    assert_ne!(second, active, "ArrowDown moves to the next item");
    key(&second, "Escape", false);
    yew::scheduler::flush().await;
    assert!(root.query_selector("[role=menu]").unwrap().is_none());
    let focused = document().active_element().unwrap();
    assert!(
        node_element(&root, "web-01").unwrap() == web01,
        "same element"
    );
    assert_eq!(
        focused.get_attribute("data-node").as_deref(),
        Some("web-01"),
        "focus on {}",
        focused.outer_html().chars().take(120).collect::<String>()
    );
}

/// A menu item applies its fault (here: cut web-01 off, a partition).
#[wasm_bindgen_test]
async fn a_menu_item_applies_its_fault() {
    let root = mount_app().await;
    let web01 = node_element(&root, "web-01").unwrap();
    key(&web01, "ContextMenu", false);
    yew::scheduler::flush().await;
    let items = root.query_selector_all("[role=menuitem]").unwrap();
    let cut = (0..items.length())
        .filter_map(|i| items.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .find(|b| b.text_content().unwrap_or_default().starts_with("Cut off"))
        .expect("a Cut off item");
    cut.click();
    yew::scheduler::flush().await;
    assert_eq!(
        node_attr(&root, "web-01", "data-state").as_deref(),
        Some("partitioned")
    );
    assert!(root.query_selector("[role=menu]").unwrap().is_none());
}

/// Pause stops the clock; play starts it; both say which is on.
#[wasm_bindgen_test]
async fn play_and_pause() {
    let m = mount_app().await;
    let pressed = |action: &str| m.attr(&format!("[data-action=\"{action}\"]"), "aria-pressed");
    assert_eq!(pressed("play").as_deref(), Some("true"));
    let start = m.clock_us();
    until("the clock running", || m.clock_us() > start).await;
    m.click("[data-action=\"pause\"]");
    yew::scheduler::flush().await;
    assert_eq!(pressed("pause").as_deref(), Some("true"));
    assert_eq!(pressed("play").as_deref(), Some("false"));
    let paused_at = m.clock_us();
    for _ in 0..20 {
        next_turn().await;
    }
    assert_eq!(m.clock_us(), paused_at, "the clock moved while paused");
    m.click("[data-action=\"play\"]");
    yew::scheduler::flush().await;
    assert_eq!(pressed("play").as_deref(), Some("true"));
    until("the clock running again", || m.clock_us() > paused_at).await;
}

/// A touch (or pen) pointer going down or up on `el`.
fn touch(el: &Element, kind: &str) {
    let init = web_sys::PointerEventInit::new();
    init.set_pointer_type("touch");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = web_sys::PointerEvent::new_with_event_init_dict(kind, &init).unwrap();
    el.dispatch_event(&ev).unwrap();
}

/// On a touch screen a long press on a node opens its menu, and the click that
/// follows the finger's lift does not also fail the node; a short tap fails it, and no
/// menu comes after.
#[wasm_bindgen_test]
async fn a_long_press_opens_the_menu_a_tap_toggles() {
    let t = Topology::build(&Scenario::three_server().topology);
    let web01 = t.node_by_name("web-01").unwrap();
    let menus = Rc::new(std::cell::RefCell::new(Vec::new()));
    let toggles = Rc::new(std::cell::RefCell::new(Vec::new()));
    let root = mount_point();
    let props = DiagramProps {
        lang: Default::default(),
        layout: Rc::new(Layout::of(&t)),
        live: Rc::new(LiveView::idle(&t)),
        topology: Rc::new(t),
        on_toggle: {
            let toggles = toggles.clone();
            yew::Callback::from(move |id| toggles.borrow_mut().push(id))
        },
        on_menu: {
            let menus = menus.clone();
            yew::Callback::from(move |(id, _, _)| menus.borrow_mut().push(id))
        },
        on_link: Default::default(),
        highlight: None,
        numbers: Rc::new(Vec::new()),
    };
    let handle = yew::Renderer::<Diagram>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let el = node_element(&root, "web-01").unwrap();

    touch(&el, "pointerdown");
    within(2_000.0, "the menu after a long press", || {
        !menus.borrow().is_empty()
    })
    .await;
    touch(&el, "pointerup");
    click(&el);
    assert_eq!(*menus.borrow(), [web01]);
    assert!(
        toggles.borrow().is_empty(),
        "a long press is not also a click"
    );

    touch(&el, "pointerdown");
    touch(&el, "pointerup");
    click(&el);
    assert_eq!(*toggles.borrow(), [web01]);
    holds_for(1_000.0, "no menu after a tap", || menus.borrow().len() == 1).await;
    handle.destroy();
    root.remove();
}

/// A setting shows its real option name, and an absurd value is refused with
/// the core's message instead of breaking anything.
#[wasm_bindgen_test]
async fn an_absurd_setting_is_refused_with_a_message() {
    let root = mount_app().await;
    let tab = root
        .query_selector("[data-tab=\"settings\"]")
        .unwrap()
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap();
    tab.click();
    yew::scheduler::flush().await;
    let rise = root
        .query_selector("input[data-option=\"rise\"]")
        .unwrap()
        .expect("a rise field")
        .dyn_into::<web_sys::HtmlInputElement>()
        .unwrap();
    let label = root
        .query_selector("label[for=\"set-rise\"]")
        .unwrap()
        .unwrap();
    assert!(label.text_content().unwrap().contains("rise"));
    rise.set_value("0");
    rise.dispatch_event(
        &web_sys::Event::new_with_event_init_dict("change", &{
            let i = web_sys::EventInit::new();
            i.set_bubbles(true);
            i
        })
        .unwrap(),
    )
    .unwrap();
    yew::scheduler::flush().await;
    // Said beside the field, which names it as what describes it.
    let words = field_message(&root, "input[data-option=\"rise\"]");
    assert!(words.contains("rise"), "{words}");
    // The form shows the value in force again.
    let rise = root
        .query_selector("input[data-option=\"rise\"]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlInputElement>()
        .unwrap();
    assert_eq!(rise.value(), "2");
}

/// The message beside a form field (the element its `aria-describedby` names), or "".
fn field_message(root: &web_sys::Element, field: &str) -> String {
    let id = root
        .query_selector(field)
        .unwrap()
        .and_then(|f| f.get_attribute("aria-describedby"));
    id.and_then(|id| document().get_element_by_id(&id))
        .and_then(|m| m.text_content())
        .unwrap_or_default()
}

/// A panic shows an overlay with a reset link to the page without its `#…`.
#[wasm_bindgen_test]
fn the_panic_overlay_offers_a_reset() {
    foobar_lab::robust::show_panic_overlay("boom");
    let overlay = document()
        .get_element_by_id("panic-overlay")
        .expect("an overlay");
    assert_eq!(
        overlay.get_attribute("role").as_deref(),
        Some("alertdialog")
    );
    assert!(overlay.text_content().unwrap().contains("boom"));
    let reset = overlay
        .query_selector("[data-action=\"reset\"]")
        .unwrap()
        .unwrap();
    let href = reset.get_attribute("href").unwrap();
    assert!(!href.contains('#'), "{href}");
    overlay.remove();
}

fn html_el(root: &Element, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into::<HtmlElement>()
        .unwrap()
}

fn change(el: &Element) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    el.dispatch_event(&ev).unwrap();
}

/// "Send one request" sends a traced request, and the inspector follows it:
/// its journey hop by hop, and what the Internet link shows of it.
#[wasm_bindgen_test]
async fn the_inspector_follows_a_request_sent_by_hand() {
    let root = mount_app().await;
    html_el(&root, "[data-tab=\"request\"]").click();
    yew::scheduler::flush().await;
    html_el(&root, "[data-send=\"write\"]").click();
    yew::scheduler::flush().await;
    let journey = root
        .query_selector(".journey")
        .unwrap()
        .expect("the inspector shows the request");
    let words = journey.text_content().unwrap();
    assert!(words.contains("POST"), "{words}");
    assert!(
        words.contains("plaintext"),
        "HTTPS is off by default: {words}"
    );
    assert!(journey.get_attribute("data-request").is_some());
}

/// The realistic timing preset is one click away, and says it is on.
#[wasm_bindgen_test]
async fn the_timing_preset_switches() {
    let root = mount_app().await;
    let realistic = html_el(&root, "[data-timing=\"realistic\"]");
    assert_eq!(
        realistic.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    realistic.click();
    yew::scheduler::flush().await;
    assert_eq!(
        realistic.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    let classroom = html_el(&root, "[data-timing=\"classroom\"]");
    assert_eq!(
        classroom.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
}

/// A topology preset from the settings starts a new run with that design.
#[wasm_bindgen_test]
async fn a_preset_from_settings_starts_a_new_design() {
    let root = mount_app().await;
    html_el(&root, "[data-tab=\"settings\"]").click();
    yew::scheduler::flush().await;
    let preset = root
        .query_selector("select[data-option=\"preset\"]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlSelectElement>()
        .unwrap();
    preset.set_value("0");
    change(&preset);
    yew::scheduler::flush().await;
    assert!(node_element(&root, "web-01").is_some());
    assert!(node_element(&root, "web-02").is_none(), "one server only");
    assert!(node_element(&root, "lb-01").is_none(), "no load balancer");
    let name = root.query_selector(".scenario-name").unwrap().unwrap();
    assert_eq!(name.text_content().as_deref(), Some("one-server"));
}

/// With reduced motion the legend says the canvas counts requests per node.
#[wasm_bindgen_test]
async fn reduced_motion_counts_instead_of_moving_dots() {
    let root = mount_app().await;
    html_el(&root, "[data-tab=\"settings\"]").click();
    yew::scheduler::flush().await;
    let motion = root
        .query_selector("#set-prefers-reduced-motion")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlSelectElement>()
        .unwrap();
    motion.set_value("counts");
    change(&motion);
    yew::scheduler::flush().await;
    let foot = root.query_selector(".stage-foot").unwrap().unwrap();
    assert!(foot.text_content().unwrap().contains("Reduced motion"));
}

/// A value that is not a number never reaches the core: a message beside the field
/// says why.
#[wasm_bindgen_test]
async fn not_a_number_is_refused_before_the_core() {
    let root = mount_app().await;
    html_el(&root, "[data-tab=\"settings\"]").click();
    yew::scheduler::flush().await;
    let inter = root
        .query_selector("input[data-option=\"inter\"]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlInputElement>()
        .unwrap();
    inter.set_value("2 seconds");
    change(&inter);
    yew::scheduler::flush().await;
    let words = field_message(&root, "input[data-option=\"inter\"]");
    assert!(words.contains("inter"), "{words}");
    assert!(words.contains("is not a number"), "{words}");
}

/// A typed number is read in the browser as Rust reads it, though the page converts
/// it with the core's own reader: the same value, bit for bit, and the same refusals.
#[wasm_bindgen_test]
fn typed_numbers_are_read_as_rust_reads_them() {
    for s in foobar_sim::num::TRICKY_NUMBERS {
        let ours = foobar_lab::number::parse_f64(s).map(f64::to_bits);
        let rust = s.parse::<f64>().ok().map(f64::to_bits);
        assert_eq!(ours, rust, "{s:?}");
    }
}
