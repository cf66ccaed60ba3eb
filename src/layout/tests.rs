//! The layout's geometry, for every design the Settings tab offers: no dot path or queue
//! near a word, words inside their node, links around boxes, presenter mode's words at 18 px.

use super::*;
use foobar_sim::scenario::{LbPair, Preset};
use foobar_sim::Scenario;

/// Every design the Settings tab offers: each preset with 1 to 8 web hosts and
/// each choice of load balancers, as the settings make them.
fn designs() -> Vec<(String, Topology)> {
    let mut out = Vec::new();
    for preset in [
        Preset::OneServer,
        Preset::ThreeServer,
        Preset::SecuredMonitored,
        Preset::ScaledUp,
    ] {
        for hosts in 1..=8 {
            for pair in [LbPair::None, LbPair::ActivePassive, LbPair::ActiveActive] {
                let mut s = Scenario::preset(preset);
                s.topology.web_hosts = hosts;
                s.topology.load_balancer |= hosts > 1;
                s.topology.lb_pair = pair;
                s.topology.load_balancer |= pair != LbPair::None;
                let name = format!("{} {hosts} web {pair:?}", s.name);
                out.push((name, Topology::build(&s.topology)));
            }
        }
    }
    out
}

/// The stage's box at each size a class meets it (CSS px, as static/style.css leaves it):
/// presenter mode at 1920×1080, alone and with a lesson open (the page scrolls), then
/// 1280×800, 1024×768 and 1920×1080 without it.
const PRESENTER: (f64, f64) = (1880.0, 720.0);
const PRESENTER_LESSON: (f64, f64) = (1865.0, 631.0);
const BOXES: [(f64, f64, bool); 5] = [
    (PRESENTER.0, PRESENTER.1, true),
    (PRESENTER_LESSON.0, PRESENTER_LESSON.1, true),
    (DEFAULT_BOX.0, DEFAULT_BOX.1, false),
    (1000.0, 380.0, false),
    (1888.0, 660.0, false),
];

/// The most height static/style.css gives the stage's box in presenter mode at 1920×1080
/// when the drawing needs it (`Layout::need`): the window's, but for the header and the
/// stage's foot.
const PRESENTER_MOST_H: f64 = 1080.0 - 150.0;

/// The drawing as the page fits it to a box, and the box's height: in presenter mode, in
/// a box as tall as the drawing needs, as far as the page gives it.
fn fit_as_the_page(t: &Topology, w: f64, h: f64, presenter: bool) -> (Layout, f64) {
    let l = Layout::fit(t, w, h, presenter);
    if l.need <= h {
        return (l, h);
    }
    let h = l.need.min(PRESENTER_MOST_H);
    (Layout::fit(t, w, h, presenter), h)
}

fn fits() -> Vec<(String, Topology, Layout)> {
    let mut out = Vec::new();
    for (name, t) in designs() {
        for (w, h, presenter) in BOXES {
            let (l, h) = fit_as_the_page(&t, w, h, presenter);
            let mode = if presenter { ", presenter" } else { "" };
            out.push((format!("{name} in {w}×{h}{mode}"), t.clone(), l));
        }
    }
    out
}

/// Every hop a request or a binlog event can make.
fn hops(t: &Topology) -> Vec<(NodeId, NodeId)> {
    use NodeKind::*;
    let ids: Vec<NodeId> = (0..t.nodes.len()).map(|i| NodeId(i as u16)).collect();
    let mut out = Vec::new();
    for &a in &ids {
        for &b in &ids {
            let (ka, kb) = (t.node(a).kind, t.node(b).kind);
            let same_host = t.host_of(a) == t.host_of(b);
            let hop = matches!(
                (ka, kb),
                (Users, Dns) | (Users, Haproxy) | (Users, Nginx) | (Haproxy, Nginx)
            ) || (ka, kb) == (Nginx, App) && same_host
                || (ka, kb) == (App, Mysql)
                || (ka, kb) == (Mysql, Mysql) && a != b;
            let (ha, hb) = (t.host_of(a), t.host_of(b));
            if hop && (ha == hb || t.link_between(ha, hb).is_some()) {
                out.push((a, b));
                out.push((b, a));
            }
        }
    }
    out
}

/// Every box that holds words: each node's (its key number's circle too) and each
/// link's.
fn words(l: &Layout) -> Vec<(String, Rect)> {
    let mut out = Vec::new();
    for (i, labels) in l.labels.iter().enumerate() {
        for r in labels.rects() {
            out.push((format!("node {i}"), r));
        }
    }
    for link in &l.links {
        if let Some(label) = link.label {
            out.push((format!("link {}", link.id.0), label.rect()));
        }
    }
    out
}

/// Every node has a box of its own inside the drawing; components sit inside
/// their host and apart; hosts, users and DNS never overlap.
#[test]
fn every_node_has_a_box_of_its_own() {
    for (name, t, l) in fits() {
        let canvas = Rect {
            x: 0.0,
            y: 0.0,
            w: l.width,
            h: l.height,
        };
        for (i, node) in t.nodes.iter().enumerate() {
            let r = l.boxes[i];
            assert!(r.w > 0.0 && r.h > 0.0, "{name}: {} has no box", node.name);
            assert!(
                canvas.contains(&r),
                "{name}: {} is off the drawing",
                node.name
            );
            let Some(host) = node.host else { continue };
            assert!(
                l.rect(host).contains(&r),
                "{name}: {} outside its host",
                node.name
            );
        }
        for i in 0..t.nodes.len() {
            for j in i + 1..t.nodes.len() {
                let (a, b) = (&t.nodes[i], &t.nodes[j]);
                let nested = a.host == Some(NodeId(j as u16)) || b.host == Some(NodeId(i as u16));
                assert!(
                    nested || !l.boxes[i].overlaps(&l.boxes[j]),
                    "{name}: {} overlaps {}",
                    a.name,
                    b.name
                );
            }
        }
    }
}

/// A node's words (its badges and key number too) stay inside it, clear of its
/// components, and no two overlap; a link's words overlap no box and stay on the drawing.
#[test]
fn words_stay_in_their_box() {
    for (name, t, l) in fits() {
        for (i, node) in t.nodes.iter().enumerate() {
            let own = l.boxes[i];
            let labels = &l.labels[i];
            // A top-level box's key number sits on its left edge.
            let holder = node.host.map_or(
                Rect::around(
                    own.centre_x(),
                    own.centre_y(),
                    own.w / 2.0 + KEY_R,
                    own.h / 2.0,
                ),
                |h| l.rect(h),
            );
            for r in labels.rects() {
                assert!(
                    holder.contains(&r),
                    "{name}: {}'s words leave it: {r:?}",
                    node.name
                );
            }
            for c in t.components_of(NodeId(i as u16)) {
                for r in labels.rects() {
                    assert!(
                        !r.overlaps(&l.rect(c)),
                        "{name}: {}'s title bar covers {}",
                        node.name,
                        t.node(c).name
                    );
                }
            }
            // A compact box's what and badge are one line, shown one at a time.
            let mut distinct: Vec<Rect> = labels.rects();
            distinct.dedup();
            let (badge, aside) = (labels.badge, labels.aside);
            for (a, ra) in distinct.iter().enumerate() {
                for rb in &distinct[a + 1..] {
                    // A replica's lag shares the badge's line, shown when its badge is short.
                    let shared = [badge, aside] == [Some(*ra), Some(*rb)]
                        || [badge, aside] == [Some(*rb), Some(*ra)]
                        || labels.icon.is_some() && node.kind == NodeKind::Users;
                    assert!(
                        shared || !ra.overlaps(rb),
                        "{name}: {}'s words overlap: {ra:?} {rb:?}",
                        node.name
                    );
                }
            }
        }
        for link in &l.links {
            let Some(label) = link.label else { continue };
            let r = label.rect();
            assert!(r.x >= 0.0 && r.right() <= l.width && r.y >= 0.0 && r.bottom() <= l.height);
            for b in &l.boxes {
                assert!(!b.overlaps(&r), "{name}: link {} words on a box", link.id.0);
            }
        }
    }
}

/// No dot ever covers a word. Every point of every hop's path, every place a
/// request waits in a queue, and a count badge at any of them, keep clear of every
/// node's words and badges and of every link's words, in every design and every box.
#[test]
fn no_dot_covers_a_word() {
    for (name, t, l) in fits() {
        let words = words(&l);
        for (from, to) in hops(&t) {
            let route = l.route(&t, from, to);
            for (what, r) in &words {
                assert!(
                    !path_near(route.points(), r),
                    "{name}: the hop {} → {} passes over {what}'s words at {r:?}: {:?}",
                    t.node(from).name,
                    t.node(to).name,
                    route.points()
                );
            }
        }
        for (i, node) in t.nodes.iter().enumerate() {
            let Some(q) = l.queue(NodeId(i as u16)) else {
                continue;
            };
            for k in 0..q.capacity() {
                let p = q.slot(k);
                for (what, r) in &words {
                    assert!(
                        !path_near(&[p], r),
                        "{name}: {}'s queue place {k} covers {what}'s words",
                        node.name
                    );
                }
            }
        }
    }
}

/// Links run between boxes, never through one (but their own two ends'), and stay on
/// the drawing.
#[test]
fn links_go_around_boxes() {
    for (name, t, l) in fits() {
        for placed in &l.links {
            let link = t.link(placed.id);
            for (i, r) in l.boxes.iter().enumerate() {
                let id = NodeId(i as u16);
                if t.node(id).host.is_some() || id == link.a || id == link.b {
                    continue;
                }
                let inner =
                    Rect::around(r.centre_x(), r.centre_y(), r.w / 2.0 - 1.0, r.h / 2.0 - 1.0);
                assert!(
                    !placed
                        .points
                        .windows(2)
                        .any(|w| segment_hits(w[0], w[1], &inner)),
                    "{name}: {} runs through {}",
                    link.name,
                    t.node(id).name
                );
            }
            for &(x, y) in &placed.points {
                assert!(
                    x >= 0.0 && x <= l.width && y >= 0.0 && y <= l.height,
                    "{name}: {} leaves the drawing",
                    link.name
                );
            }
        }
    }
}

/// In presenter mode at 1920×1080, alone or with a lesson open, every design's
/// words are at least 18 px on screen: the smallest font size (`WORDS_PX`) times the
/// drawing's scale, in the stage's box, or in the taller one the page gives a design that
/// needs it.
#[test]
fn presenter_words_are_18_px_for_every_design() {
    for (w, box_h) in [PRESENTER, PRESENTER_LESSON] {
        let (mut smallest, mut tallest, mut taller) = (f64::MAX, box_h, 0);
        for (name, t) in designs() {
            let (l, h) = fit_as_the_page(&t, w, box_h, true);
            let px = l.scale_in(w, h) * WORDS_PX;
            smallest = smallest.min(px);
            tallest = tallest.max(h);
            taller += (h > box_h) as usize;
            assert!(
                px >= 18.0,
                "{name}: words {px:.1} px in presenter mode in {w}×{h} ({:?}, {}×{})",
                l.arrangement,
                l.width,
                l.height
            );
        }
        println!(
            "presenter mode in {w}×{box_h}: the smallest words {smallest:.1} px; {taller} \
             designs need a taller box, the tallest {tallest} px"
        );
    }
}

/// Dense designs draw the firewalls and monitoring agents as marks in presenter mode, each
/// with room for its badge; never outside it.
#[test]
fn firewall_and_agent_marks_only_in_presenter_mode() {
    for (name, t, l) in fits() {
        let presenter = name.ends_with("presenter");
        for (i, labels) in l.labels.iter().enumerate() {
            let kind = t.nodes[i].kind;
            assert!(
                !labels.mark || presenter && markable(kind),
                "{name}: a mark"
            );
            if labels.mark {
                // `✓ UP` at its own width; `✕ CRASHED` pressed no more than a fifth.
                let room = labels.badge.unwrap().w - 16.0;
                assert!(
                    room >= 0.8 * text_width("✕ CRASHED", WORDS_PX, true),
                    "{name} {} {room}",
                    t.nodes[i].name
                );
            }
        }
    }
    let mut s = Scenario::preset(Preset::ScaledUp);
    s.topology.web_hosts = 8;
    let t = Topology::build(&s.topology);
    let l = Layout::fit(&t, PRESENTER.0, PRESENTER.1, true);
    assert_ne!(l.arrangement.marks, Marks::No);
    let firewall = t.node_by_name("web-08/firewall").unwrap();
    assert!(l.labels[firewall.index()].mark);
}

/// The three-server design reads at its words' own size in presenter mode, roomy.
#[test]
fn the_default_design_is_roomy_in_presenter_mode() {
    let t = Topology::build(&Scenario::three_server().topology);
    let l = Layout::fit(&t, PRESENTER.0, PRESENTER.1, true);
    assert_eq!(l.arrangement.form, Form::Roomy);
    assert!(l.scale_in(PRESENTER.0, PRESENTER.1) >= 1.0);
}

/// Columns follow a request: users, DNS, the load balancer, the web hosts, left to right.
#[test]
fn columns_follow_the_request_path() {
    let t = Topology::build(&Scenario::three_server().topology);
    let l = Layout::of(&t);
    let x = |name: &str| l.rect(t.node_by_name(name).unwrap()).x;
    assert!(x("users") < x("dns"));
    assert!(x("dns") <= x("lb-01"));
    assert!(x("lb-01") < x("web-01"));
    assert_eq!(x("web-01"), x("web-02"));
    let y = |name: &str| l.rect(t.node_by_name(name).unwrap()).y;
    assert!(y("web-01") < y("web-02"));
}

/// A dot's hop runs from its node's queue, along the link between the two
/// hosts, into the other's queue; back the same way.
#[test]
fn routes_follow_the_links() {
    let t = Topology::build(&Scenario::three_server().topology);
    let l = Layout::of(&t);
    let id = |n: &str| t.node_by_name(n).unwrap();
    let q = |n: &str| {
        let q = l.queue(id(n)).unwrap();
        (q.x, q.y)
    };
    let r = l.route(&t, id("lb-01/haproxy"), id("web-01/nginx"));
    assert_eq!(r.at(0.0), q("lb-01/haproxy"));
    assert_eq!(r.at(1.0), q("web-01/nginx"));
    let link = &l.links[t.link_by_name("lb-01--web-01").unwrap().index()];
    for p in &link.points {
        assert!(r.points().contains(p), "the hop leaves the link at {p:?}");
    }
    let back = l.route(&t, id("web-01/nginx"), id("lb-01/haproxy"));
    assert_eq!(back.at(0.0), r.at(1.0));
    assert_eq!(back.at(1.0), r.at(0.0));
}

/// Many web hosts wrap into columns when one column would make the words small.
#[test]
fn eight_web_hosts_wrap_into_columns() {
    let mut s = Scenario::preset(Preset::ScaledUp);
    s.topology.web_hosts = 8;
    let t = Topology::build(&s.topology);
    let l = Layout::fit(&t, PRESENTER.0, PRESENTER.1, true);
    assert!(l.arrangement.web_columns > 1, "{:?}", l.arrangement);
}

#[test]
fn text_width_is_never_short_of_dejavu() {
    // DejaVu Sans Bold at 18 px: "✕ CRASHED" is 118 px wide.
    assert!(text_width("✕ CRASHED", 18.0, true) >= 118.0);
    assert!(text_width("App server", 20.0, true) >= 123.0);
}
