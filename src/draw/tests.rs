//! The dots, flows and counts a frame plans, checked natively.

use super::*;
use foobar_sim::Scenario;

/// Shape by kind, colour by outcome; never colour alone.
#[test]
fn dots_are_shaped_by_kind_and_coloured_by_outcome() {
    use ReqKind::*;
    assert_eq!(dot_style(Static, Outcome::Pending, false).0, Shape::Circle);
    assert_eq!(dot_style(Read, Outcome::Pending, false).0, Shape::Square);
    assert_eq!(dot_style(Write, Outcome::Pending, false).0, Shape::Triangle);
    assert_eq!(dot_style(Read, Outcome::Http(200), false).1, Tint::Ok);
    assert_eq!(dot_style(Read, Outcome::Http(200), true).1, Tint::Stale);
    assert_eq!(dot_style(Write, Outcome::Http(502), false).1, Tint::Error);
    assert_eq!(dot_style(Write, Outcome::Timeout, false).1, Tint::Error);
    let colours: std::collections::BTreeSet<_> = TINTS.iter().map(|t| t.colour()).collect();
    assert_eq!(colours.len(), TINTS.len(), "one colour per meaning");
}

fn flight(from: NodeId, to: NodeId, req: u64, t0: u64, t1: u64) -> Flight {
    Flight {
        req,
        from,
        to,
        t0: SimTime(t0),
        t1: SimTime(t1),
        kind: ReqKind::Read,
        outcome: Outcome::Pending,
        stale: false,
        traced: false,
    }
}

/// A dot's position is interpolated from the hop's times, from one node's queue
/// to the other's, and it is never inside a box on its way.
#[test]
fn a_dot_moves_from_one_queue_to_the_next_over_its_hop() {
    let t = Topology::build(&Scenario::three_server().topology);
    let l = Layout::of(&t);
    let from = t.node_by_name("lb-01/haproxy").unwrap();
    let to = t.node_by_name("web-02/nginx").unwrap();
    let f = flight(from, to, 42, 1_000_000, 2_000_000);
    let route = l.route(&t, from, to);
    let at = |us| dot_position(&route, &f, SimTime(us));
    let near = |p: (f64, f64), n: NodeId| {
        let q = l.queue(n).unwrap();
        (p.0 - q.x).abs() <= 1.5 && (p.1 - q.y).abs() <= 1.5
    };
    assert!(
        near(at(1_000_000), from),
        "as it leaves: at its node's queue"
    );
    assert!(near(at(2_000_000), to));
    for us in (1_000_000..=2_000_000).step_by(10_000) {
        let p = at(us);
        let hit = l.boxes.iter().zip(&t.nodes).find(|(r, n)| {
            n.host.is_some() && p.0 > r.x && p.0 < r.right() && p.1 > r.y && p.1 < r.bottom()
        });
        assert!(
            hit.is_none(),
            "at {us} µs the dot is in {}",
            hit.unwrap().1.name
        );
    }
    assert_eq!(progress(&f, SimTime(1_250_000)), 0.25);
    assert_eq!(waiting_at(&f, SimTime(500_000)), Some(from));
    assert_eq!(waiting_at(&f, SimTime(1_500_000)), None);
    assert_eq!(waiting_at(&f, SimTime(2_500_000)), Some(to));
    assert_eq!(count_node(&f, SimTime(1_250_000)), from);
    assert_eq!(count_node(&f, SimTime(1_750_000)), to);
}

/// A stale read and an error stand out by more than colour: larger dots,
/// drawn with a halo and a heavy outline.
#[test]
fn errors_and_stale_reads_stand_out() {
    for tint in TINTS {
        let loud = matches!(tint, Tint::Error | Tint::Stale);
        assert_eq!(emphasised(tint), loud, "{tint:?}");
        assert_eq!(radius(tint) > DOT_R, loud, "{tint:?}");
    }
}

/// A crowded link shows a count, not a pile: however many requests are in
/// flight on one hop at one moment, a few dots are drawn and the rest is a number.
#[test]
fn a_crowd_on_a_link_shows_as_a_count() {
    let t = Topology::build(&Scenario::three_server().topology);
    let l = Layout::of(&t);
    let from = t.node_by_name("users").unwrap();
    let to = t.node_by_name("lb-01/haproxy").unwrap();
    let flights: Vec<Flight> = (0..2000)
        .map(|i| flight(from, to, i, 0, 1_000_000 + i % 7))
        .collect();
    let mut frame = Frame::default();
    frame.plan(
        &l,
        flights.iter(),
        &[],
        |f| dot_position(&l.route(&t, f.from, f.to), f, SimTime(500_000)),
        SimTime(500_000),
        None,
    );
    let drawn: usize = frame.buckets.iter().map(Vec::len).sum();
    assert!(drawn <= 10, "{drawn} dots drawn for one place");
    let counted: usize = frame.crowds.iter().map(|c| c.count).sum();
    assert_eq!(drawn + counted, 2000, "every request is a dot or counted");
    assert!(frame.crowds.len() <= 3, "{:?}", frame.crowds);
}

fn three_server() -> (Topology, Layout) {
    let t = Topology::build(&Scenario::three_server().topology);
    let l = Layout::of(&t);
    (t, l)
}

/// A frame of flows and nothing else.
fn plan_flows_alone(
    frame: &mut Frame,
    flows: &[FlowView],
    routes: &mut Vec<Option<Route>>,
    t: &Topology,
    l: &Layout,
    now: SimTime,
) {
    frame.plan(l, std::iter::empty(), &[], |_| (0.0, 0.0), now, None);
    frame.plan_flows(flows, routes, t, l, now);
}

/// A flow from the users to HAProxy, taking a second: so many pending, so many failed.
fn users_to_haproxy(t: &Topology, pending: [u32; 3], errors: [u32; 3]) -> FlowView {
    FlowView {
        from: t.node_by_name("users").unwrap(),
        to: t.node_by_name("lb-01/haproxy").unwrap(),
        pending,
        answered: [0; 3],
        stale: [0; 3],
        errors,
        hop: 1_000_000,
    }
}

/// A busy hop's flow is a band along its route, one count beside it, and a few marks
/// spaced evenly along it, shaped as its requests in proportion; the marks move on at the
/// hop's pace, and none is a dot a click could pick.
#[test]
fn a_flow_is_a_band_its_count_and_a_few_moving_marks() {
    let (t, l) = three_server();
    let flow = users_to_haproxy(&t, [300, 600, 100], [0; 3]);
    let (from, to) = (flow.from, flow.to);
    let mut frame = Frame::default();
    let mut routes = Vec::new();
    let marks_at = |frame: &mut Frame, routes: &mut Vec<Option<Route>>, us: u64| {
        plan_flows_alone(frame, &[flow], routes, &t, &l, SimTime(us));
        frame
            .buckets
            .iter()
            .enumerate()
            .flat_map(|(st, ps)| ps.iter().map(move |&p| (style_of(st), p)))
            .collect::<Vec<_>>()
    };
    let now = marks_at(&mut frame, &mut routes, 250_000);
    assert_eq!(frame.bands, vec![(from, to)]);
    assert_eq!(frame.crowds.len(), 1);
    assert_eq!(frame.crowds[0].count, 1000);
    assert!(
        frame.drawn.is_empty(),
        "a flow's marks are not requests to pick"
    );
    let route = l.route(&t, from, to);
    let expected = ((route.length() / MARK_SPACING) as usize).clamp(1, MAX_MARKS);
    assert_eq!(now.len(), expected);
    let shapes = |s: Shape| now.iter().filter(|((sh, _), _)| *sh == s).count();
    assert!(shapes(Shape::Square) >= shapes(Shape::Circle));
    assert!(shapes(Shape::Circle) >= shapes(Shape::Triangle));
    let later = marks_at(&mut frame, &mut routes, 500_000);
    assert_eq!(later.len(), now.len());
    assert_ne!(later, now, "the marks move on");
}

/// A node where the core counted its crowd shows one count in its queue: the counted
/// requests and the few listed there (an error among them) together.
#[test]
fn a_counted_crowd_shows_in_its_nodes_queue() {
    let t = Topology::build(&Scenario::three_server().topology);
    let l = Layout::of(&t);
    let nginx = t.node_by_name("web-01/nginx").unwrap();
    let app = t.node_by_name("web-01/app").unwrap();
    let q = l.queue(app).unwrap();
    let mut error = flight(nginx, app, 1, 0, 10);
    error.outcome = Outcome::Http(502);
    let waits = [WaitView {
        node: app,
        count: 300,
        errors: 0,
    }];
    let mut frame = Frame::default();
    frame.plan(
        &l,
        [error].iter(),
        &waits,
        |f| dot_position(&l.route(&t, f.from, f.to), f, SimTime(20)),
        SimTime(20),
        None,
    );
    assert_eq!(
        frame.crowds,
        vec![Crowd {
            x: q.x,
            y: q.y,
            count: 301,
            emphasised: false
        }]
    );
    frame.plan_counts(&l, std::iter::empty(), &[], &waits, SimTime(20));
    assert_eq!(frame.crowds[0].count, 300);
}

/// A flow holding errors shows them: its first mark is an error's, drawn large, and its
/// count is in vermillion.
#[test]
fn a_flow_with_errors_shows_them() {
    let (t, l) = three_server();
    let flow = users_to_haproxy(&t, [500, 480, 0], [0, 0, 20]);
    assert_eq!(
        style_of(mark_style(&flow, 0, 8)),
        (Shape::Triangle, Tint::Error)
    );
    let mut frame = Frame::default();
    plan_flows_alone(&mut frame, &[flow], &mut Vec::new(), &t, &l, SimTime(0));
    assert!(frame.crowds[0].emphasised);
    let errors = style(Shape::Triangle, Tint::Error);
    assert_eq!(frame.buckets[errors].len(), 1);
}

/// Two flows whose midpoints meet put their counts in different places.
#[test]
fn flow_counts_do_not_sit_on_each_other() {
    let (t, l) = three_server();
    let lb = t.node_by_name("lb-01/haproxy").unwrap();
    let flows: Vec<FlowView> = ["web-01/nginx", "web-02/nginx"]
        .iter()
        .flat_map(|w| {
            let w = t.node_by_name(w).unwrap();
            [(lb, w), (w, lb)]
        })
        .map(|(from, to)| FlowView {
            from,
            to,
            pending: [20, 0, 0],
            answered: [0; 3],
            stale: [0; 3],
            errors: [0; 3],
            hop: 1_000,
        })
        .collect();
    let mut frame = Frame::default();
    plan_flows_alone(&mut frame, &flows, &mut Vec::new(), &t, &l, SimTime(0));
    assert_eq!(frame.crowds.len(), 4);
    for (i, a) in frame.crowds.iter().enumerate() {
        for b in &frame.crowds[i + 1..] {
            assert!(!crowded(a, b.x, b.y), "{a:?} on {b:?}");
        }
    }
}

/// Requests waiting at a node sit in its queue, beside its box, and a full
/// queue shows its count there; reduced motion shows every node's count in its queue.
#[test]
fn a_full_queue_shows_its_count() {
    let t = Topology::build(&Scenario::three_server().topology);
    let l = Layout::of(&t);
    let nginx = t.node_by_name("web-01/nginx").unwrap();
    let app = t.node_by_name("web-01/app").unwrap();
    let q = l.queue(app).unwrap();
    let few: Vec<Flight> = (0..3).map(|i| flight(nginx, app, i, 0, 10)).collect();
    let mut frame = Frame::default();
    frame.plan(
        &l,
        few.iter(),
        &[],
        |f| dot_position(&l.route(&t, f.from, f.to), f, SimTime(20)),
        SimTime(20),
        None,
    );
    assert!(frame.crowds.is_empty());
    let placed: Vec<(f64, f64)> = frame.buckets.iter().flatten().copied().collect();
    assert_eq!(placed, vec![q.slot(0), q.slot(1), q.slot(2)]);
    let many: Vec<Flight> = (0..50).map(|i| flight(nginx, app, i, 0, 10)).collect();
    frame.plan(
        &l,
        many.iter(),
        &[],
        |f| dot_position(&l.route(&t, f.from, f.to), f, SimTime(20)),
        SimTime(20),
        None,
    );
    assert_eq!(frame.buckets.iter().map(Vec::len).sum::<usize>(), 0);
    assert_eq!(
        frame.crowds,
        vec![Crowd {
            x: q.x,
            y: q.y,
            count: 50,
            emphasised: false
        }]
    );
    frame.plan_counts(&l, many.iter(), &[], &[], SimTime(20));
    assert_eq!(frame.crowds.len(), 1);
    assert_eq!((frame.crowds[0].x, frame.crowds[0].y), (q.x, q.y));
    assert_eq!(count_words(50), "50");
    assert_eq!(count_words(12_345), "12k");
}
