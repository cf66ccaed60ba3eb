//! Browser tests of the diagram (SPEC W1, U1): run in headless Chromium by
//! `cargo test -p foobar-lab --target wasm32-unknown-unknown` (see .cargo/config.toml).
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use foobar_lab::components::diagram::{Diagram, DiagramProps};
use foobar_lab::App;
use foobar_sim::scenario::LbPair;
use foobar_sim::{Scenario, Topology};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the page to mount into.
fn mount_point() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

async fn mount_diagram(topology: Topology) -> Element {
    let root = mount_point();
    let props = DiagramProps {
        topology: Rc::new(topology),
    };
    yew::Renderer::<Diagram>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

fn node_element(root: &Element, name: &str) -> Option<Element> {
    root.query_selector(&format!("[data-node=\"{name}\"]"))
        .unwrap()
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

/// SPEC W1: every component of the three-server design is its own node on the page, up.
#[wasm_bindgen_test]
async fn w1_three_server_diagram_draws_every_node_up() {
    let t = Topology::build(&Scenario::three_server());
    let root = mount_diagram(t.clone()).await;
    assert_every_node_drawn_up(&root, &t);
    for name in [
        "users",
        "dns",
        "lb-01",
        "lb-01/haproxy",
        "web-01",
        "web-01/nginx",
        "web-01/app",
        "web-01/mysql",
        "web-02",
        "web-02/nginx",
        "web-02/app",
        "web-02/mysql",
    ] {
        assert!(node_element(&root, name).is_some(), "{name} missing");
    }
}

/// SPEC W1: a component is drawn inside its host's element, so failing a host visibly
/// covers everything on it.
#[wasm_bindgen_test]
async fn w1_components_are_drawn_inside_their_host() {
    let t = Topology::build(&Scenario::three_server());
    let root = mount_diagram(t.clone()).await;
    for node in t.nodes.iter().filter(|n| n.host.is_some()) {
        let el = node_element(&root, &node.name).unwrap();
        let parent = el.parent_element().unwrap();
        let host = &t.node(node.host.unwrap()).name;
        assert_eq!(parent.get_attribute("data-node").as_ref(), Some(host));
    }
}

/// SPEC W2: every link is drawn, named as the core names it.
#[wasm_bindgen_test]
async fn w2_every_link_is_drawn() {
    let t = Topology::build(&Scenario::three_server());
    let root = mount_diagram(t.clone()).await;
    for link in &t.links {
        let sel = format!("[data-link=\"{}\"]", link.name);
        assert!(
            root.query_selector(&sel).unwrap().is_some(),
            "{} missing",
            link.name
        );
    }
}

/// SPEC W3: the layout follows the core's topology, not a fixed picture.
#[wasm_bindgen_test]
async fn w3_scaled_up_topology_draws_every_node() {
    let mut s = Scenario::three_server();
    s.topology.web_hosts = 4;
    s.topology.lb_pair = LbPair::ActivePassive;
    s.topology.dedicated_db = true;
    s.topology.firewalls = true;
    s.topology.monitoring = true;
    let t = Topology::build(&s);
    let root = mount_diagram(t.clone()).await;
    assert_every_node_drawn_up(&root, &t);
    assert!(node_element(&root, "lb-02/keepalived").is_some());
    assert!(node_element(&root, "db-02/mysql").is_some());
}

/// The whole App mounts, with its header and the default scenario's diagram.
#[wasm_bindgen_test]
async fn app_mounts_with_header_and_diagram() {
    let root = mount_point();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let h1 = root.query_selector("h1").unwrap().expect("a header");
    assert_eq!(h1.text_content().unwrap(), "Foobar Lab — www.foobar.com");
    let svg = root
        .query_selector("svg.diagram")
        .unwrap()
        .expect("the diagram");
    assert!(svg.dyn_ref::<web_sys::SvgElement>().is_some());
    let t = Topology::build(&Scenario::three_server());
    assert_every_node_drawn_up(&root, &t);
}
