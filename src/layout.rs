//! Where each node and link of a `Topology` sits on the diagram.
//!
//! Pure geometry, no DOM: columns left to right follow a request's path (users, DNS, load
//! balancers, web hosts, database hosts); a host's components sit in a grid inside its box.
//! Units are SVG user units; the `<svg>` scales the whole to the window.

use foobar_sim::num::Dec;
use foobar_sim::{HostRole, LinkId, NodeId, NodeKind, Topology};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    pub fn centre_x(&self) -> f64 {
        self.x + self.w / 2.0
    }

    pub fn centre_y(&self) -> f64 {
        self.y + self.h / 2.0
    }

    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x && o.y >= self.y && o.right() <= self.right() && o.bottom() <= self.bottom()
    }

    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }
}

/// How a link is drawn: a straight segment, or a curve (two hosts of one column that are not
/// neighbours, so a straight line would cross the host between them).
#[derive(Debug, Clone, PartialEq)]
pub enum LinkShape {
    Line {
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
    },
    Curve {
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        /// How far right of the two ends the curve reaches.
        bulge: f64,
    },
}

impl LinkShape {
    /// The SVG path data.
    pub fn path(&self) -> String {
        match *self {
            LinkShape::Line { x1, y1, x2, y2 } => {
                let [x1, y1, x2, y2] = [x1, y1, x2, y2].map(Dec);
                format!("M{x1} {y1}L{x2} {y2}")
            }
            LinkShape::Curve {
                x1,
                y1,
                x2,
                y2,
                bulge,
            } => {
                let [x1, y1, x2, y2, c1, c2] = [x1, y1, x2, y2, x1 + bulge, x2 + bulge].map(Dec);
                format!("M{x1} {y1}C{c1} {y1} {c2} {y2} {x2} {y2}")
            }
        }
    }

    /// Its two ends, where the drawing starts and stops.
    fn ends(&self) -> ((f64, f64), (f64, f64)) {
        match *self {
            LinkShape::Line { x1, y1, x2, y2 } | LinkShape::Curve { x1, y1, x2, y2, .. } => {
                ((x1, y1), (x2, y2))
            }
        }
    }

    /// The same link drawn from its other end.
    pub fn reversed(&self) -> LinkShape {
        match *self {
            LinkShape::Line { x1, y1, x2, y2 } => LinkShape::Line {
                x1: x2,
                y1: y2,
                x2: x1,
                y2: y1,
            },
            LinkShape::Curve {
                x1,
                y1,
                x2,
                y2,
                bulge,
            } => LinkShape::Curve {
                x1: x2,
                y1: y2,
                x2: x1,
                y2: y1,
                bulge,
            },
        }
    }

    /// Where a label beside the link goes.
    pub fn label_at(&self) -> (f64, f64) {
        match *self {
            LinkShape::Line { x1, y1, x2, y2 } => ((x1 + x2) / 2.0, (y1 + y2) / 2.0),
            LinkShape::Curve {
                x1,
                y1,
                x2,
                y2,
                bulge,
            } => ((x1 + x2) / 2.0 + bulge * 0.75, (y1 + y2) / 2.0),
        }
    }

    /// Whether the link runs up and down, so a label goes beside it rather than above it.
    pub fn is_vertical(&self) -> bool {
        match *self {
            LinkShape::Line { x1, x2, .. } => (x1 - x2).abs() < 1.0,
            LinkShape::Curve { .. } => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkPlacement {
    pub id: LinkId,
    pub shape: LinkShape,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// Indexed by `NodeId`: every node of the topology has a box.
    pub boxes: Vec<Rect>,
    pub links: Vec<LinkPlacement>,
}

pub const MARGIN: f64 = 24.0;
/// Horizontal space between two columns, where the links run.
pub const COLUMN_GAP: f64 = 80.0;
/// Vertical space between two hosts of one column.
pub const ROW_GAP: f64 = 56.0;
pub const COMPONENT_W: f64 = 140.0;
pub const COMPONENT_H: f64 = 76.0;
pub const COMPONENT_GAP: f64 = 10.0;
/// Inside a host box, around its components.
pub const HOST_PAD: f64 = 12.0;
/// A host box's title bar.
pub const HOST_HEADER: f64 = 40.0;
/// Components per row inside a host box.
pub const GRID_COLUMNS: usize = 3;
const USERS_W: f64 = 150.0;
const USERS_H: f64 = 110.0;
const DNS_W: f64 = 170.0;
const DNS_H: f64 = 96.0;
/// Room on the right for curves between hosts of the last column.
const CURVE_ROOM: f64 = 70.0;

fn host_size(components: usize) -> (f64, f64) {
    let per_row = components.clamp(1, GRID_COLUMNS);
    let rows = components.div_ceil(GRID_COLUMNS).max(1);
    let w = 2.0 * HOST_PAD + per_row as f64 * COMPONENT_W + (per_row - 1) as f64 * COMPONENT_GAP;
    let h = HOST_HEADER + HOST_PAD + rows as f64 * COMPONENT_H + (rows - 1) as f64 * COMPONENT_GAP;
    (w, h)
}

/// The column a top-level node (users, DNS, a host) is drawn in.
fn column_of(t: &Topology, id: NodeId) -> usize {
    let n = t.node(id);
    match (n.kind, n.role) {
        (NodeKind::Users, _) => 0,
        (NodeKind::Dns, _) => 1,
        (_, HostRole::LoadBalancer) => 2,
        (_, HostRole::Web) => 3,
        (_, HostRole::Database) => 4,
        (_, HostRole::None) => 5,
    }
}

impl Layout {
    pub fn of(t: &Topology) -> Layout {
        let n = t.nodes.len();
        let mut boxes = vec![
            Rect {
                x: 0.0,
                y: 0.0,
                w: 0.0,
                h: 0.0,
            };
            n
        ];

        // Top-level nodes by column, in the topology's order.
        let mut columns: Vec<Vec<NodeId>> = vec![Vec::new(); 6];
        for (i, node) in t.nodes.iter().enumerate() {
            if node.host.is_none() {
                let id = NodeId(i as u16);
                columns[column_of(t, id)].push(id);
            }
        }
        columns.retain(|c| !c.is_empty());

        let size = |id: NodeId| match t.node(id).kind {
            NodeKind::Users => (USERS_W, USERS_H),
            NodeKind::Host => host_size(t.components_of(id).count()),
            // DNS, and the outsiders (an attacker, a monitoring server): one box each.
            _ => (DNS_W, DNS_H),
        };
        let column_w: Vec<f64> = columns
            .iter()
            .map(|c| c.iter().map(|&id| size(id).0).fold(0.0, f64::max))
            .collect();
        let stack_h = |c: &[NodeId]| {
            c.iter().map(|&id| size(id).1).sum::<f64>() + ROW_GAP * (c.len() - 1) as f64
        };

        // Every column is centred on one line; DNS alone sits at the top, so the line from
        // users to the load balancer passes under it.
        let dns_h = if t.nodes.iter().any(|n| n.kind == NodeKind::Dns) {
            DNS_H
        } else {
            0.0
        };
        let tallest = columns
            .iter()
            .filter(|c| t.node(c[0]).kind != NodeKind::Dns)
            .map(|c| stack_h(c))
            .fold(0.0, f64::max);
        let centre_y = MARGIN + (tallest / 2.0).max(dns_h + ROW_GAP + USERS_H / 2.0);

        let mut x = MARGIN;
        let mut height: f64 = 0.0;
        for (c, ids) in columns.iter().enumerate() {
            let mut y = if t.node(ids[0]).kind == NodeKind::Dns {
                MARGIN
            } else {
                centre_y - stack_h(ids) / 2.0
            };
            for &id in ids {
                let (w, h) = size(id);
                boxes[id.index()] = Rect {
                    x: x + (column_w[c] - w) / 2.0,
                    y,
                    w,
                    h,
                };
                y += h + ROW_GAP;
            }
            height = height.max(y - ROW_GAP);
            x += column_w[c] + COLUMN_GAP;
        }
        let width = x - COLUMN_GAP + CURVE_ROOM + MARGIN;
        let height = height + MARGIN;

        // Components in a grid inside their host, below its title bar.
        for (i, node) in t.nodes.iter().enumerate() {
            if node.host.is_some() {
                continue;
            }
            let host = boxes[i];
            for (k, c) in t.components_of(NodeId(i as u16)).enumerate() {
                let (row, col) = (k / GRID_COLUMNS, k % GRID_COLUMNS);
                boxes[c.index()] = Rect {
                    x: host.x + HOST_PAD + col as f64 * (COMPONENT_W + COMPONENT_GAP),
                    y: host.y + HOST_HEADER + row as f64 * (COMPONENT_H + COMPONENT_GAP),
                    w: COMPONENT_W,
                    h: COMPONENT_H,
                };
            }
        }

        let links = t
            .links
            .iter()
            .enumerate()
            .map(|(i, l)| LinkPlacement {
                id: LinkId(i as u16),
                shape: link_shape(t, &boxes, l.a, l.b),
            })
            .collect();

        Layout {
            width,
            height,
            boxes,
            links,
        }
    }

    pub fn rect(&self, id: NodeId) -> Rect {
        self.boxes[id.index()]
    }
}

fn link_shape(t: &Topology, boxes: &[Rect], a: NodeId, b: NodeId) -> LinkShape {
    let (ra, rb) = (boxes[t.host_of(a).index()], boxes[t.host_of(b).index()]);
    let same_column = (ra.centre_x() - rb.centre_x()).abs() < 1.0;
    if !same_column {
        // Right edge of the left one to the left edge of the right one.
        let (l, r) = if ra.x < rb.x { (ra, rb) } else { (rb, ra) };
        return LinkShape::Line {
            x1: l.right(),
            y1: l.centre_y(),
            x2: r.x,
            y2: r.centre_y(),
        };
    }
    let (top, bottom) = if ra.y < rb.y { (ra, rb) } else { (rb, ra) };
    let between = t.nodes.iter().zip(boxes).any(|(n, r)| {
        n.host.is_none()
            && (r.centre_x() - top.centre_x()).abs() < 1.0
            && r.y > top.y
            && r.y < bottom.y
    });
    if between {
        // Around the hosts in between, further out the more of them it passes.
        let span = (bottom.centre_y() - top.centre_y()) / (top.h + ROW_GAP);
        LinkShape::Curve {
            x1: top.right(),
            y1: top.centre_y(),
            x2: bottom.right(),
            y2: bottom.centre_y(),
            bulge: 24.0 + 16.0 * span,
        }
    } else {
        // Neighbours: a short straight link under the right-hand component (MySQL on a
        // web host, which is what such links mostly carry).
        let x = top.x + top.w * 0.8;
        LinkShape::Line {
            x1: x,
            y1: top.bottom(),
            x2: x,
            y2: bottom.y,
        }
    }
}

/// The path a request's dot follows on one hop (SPEC U1): out of its node to the edge of its
/// host, along the link between the two hosts, and into the other node. Lengths in SVG units.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    points: Vec<(f64, f64)>,
    /// Cumulative length at each point; `cum[0] == 0`.
    cum: Vec<f64>,
    /// Fractions of the way at which the dot leaves the first host and enters the last one.
    leave: f64,
    enter: f64,
}

impl Route {
    fn new(points: Vec<(f64, f64)>, leave_at: usize, enter_at: usize) -> Route {
        let mut cum = Vec::with_capacity(points.len());
        let mut total = 0.0;
        for (i, p) in points.iter().enumerate() {
            if i > 0 {
                let q = points[i - 1];
                total += ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt();
            }
            cum.push(total);
        }
        let frac = |i: usize| {
            if total > 0.0 {
                cum[i.min(cum.len() - 1)] / total
            } else {
                0.0
            }
        };
        let (leave, enter) = if leave_at == 0 && enter_at == 0 {
            (1.0, 0.0)
        } else {
            (frac(leave_at), frac(enter_at))
        };
        Route {
            points,
            cum,
            leave,
            enter,
        }
    }

    pub fn length(&self) -> f64 {
        *self.cum.last().unwrap_or(&0.0)
    }

    /// The point `f` of the way along (0 at the start, 1 at the end; clamped).
    pub fn at(&self, f: f64) -> (f64, f64) {
        let total = self.length();
        let f = if f.is_finite() {
            f.clamp(0.0, 1.0)
        } else {
            1.0
        };
        if total <= 0.0 || self.points.len() < 2 {
            return self.points[0];
        }
        let d = f * total;
        let i = self
            .cum
            .partition_point(|&c| c < d)
            .clamp(1, self.points.len() - 1);
        let (a, b) = (self.points[i - 1], self.points[i]);
        let seg = self.cum[i] - self.cum[i - 1];
        let k = if seg > 0.0 {
            (d - self.cum[i - 1]) / seg
        } else {
            0.0
        };
        (a.0 + (b.0 - a.0) * k, a.1 + (b.1 - a.1) * k)
    }

    /// How much of a dot's spread inside its first and last node applies at `f`: all of the
    /// first at 0, none once it is on the link; all of the last at 1. So crowds spread out
    /// inside boxes and stay on the line between them.
    pub fn spread_weights(&self, f: f64) -> (f64, f64) {
        let f = f.clamp(0.0, 1.0);
        let first = if self.leave > 0.0 {
            (1.0 - f / self.leave).max(0.0)
        } else {
            0.0
        };
        let last = if self.enter < 1.0 {
            ((f - self.enter) / (1.0 - self.enter)).max(0.0)
        } else {
            0.0
        };
        (first, last)
    }
}

impl LinkShape {
    /// Points along the link from its first end to its second.
    fn points(&self) -> Vec<(f64, f64)> {
        match *self {
            LinkShape::Line { x1, y1, x2, y2 } => vec![(x1, y1), (x2, y2)],
            LinkShape::Curve {
                x1,
                y1,
                x2,
                y2,
                bulge,
            } => {
                // The cubic Bézier `path()` draws, sampled.
                let (c1, c2) = ((x1 + bulge, y1), (x2 + bulge, y2));
                (0..=16)
                    .map(|i| {
                        let t = i as f64 / 16.0;
                        let u = 1.0 - t;
                        let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
                        (
                            a * x1 + b * c1.0 + c * c2.0 + d * x2,
                            a * y1 + b * c1.1 + c * c2.1 + d * y2,
                        )
                    })
                    .collect()
            }
        }
    }
}

fn distance_to_rect(p: (f64, f64), r: &Rect) -> f64 {
    let dx = (r.x - p.0).max(p.0 - r.right()).max(0.0);
    let dy = (r.y - p.1).max(p.1 - r.bottom()).max(0.0);
    (dx * dx + dy * dy).sqrt()
}

/// A stable pseudo-random number in [-1, 1) from a request id and a salt.
pub fn unit_hash(seed: u64, salt: u64) -> f64 {
    let mut x = seed.wrapping_add(salt.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    (x >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

impl Layout {
    pub fn centre(&self, id: NodeId) -> (f64, f64) {
        let r = self.rect(id);
        (r.centre_x(), r.centre_y())
    }

    /// Where inside its box a request resting at `node` sits, as an offset from the box's
    /// centre: spread by the request's id over the right part of the box (the left keeps its
    /// title and badge readable), so a queue of them shows as a crowd.
    pub fn spread(&self, node: NodeId, req: u64) -> (f64, f64) {
        let r = self.rect(node);
        let (left, right) = (r.w * 0.45 + 8.0 - r.w / 2.0, r.w / 2.0 - 10.0);
        let hy = (r.h / 2.0 - 10.0).max(0.0);
        let u = (unit_hash(req, node.0 as u64 * 2 + 1) + 1.0) / 2.0;
        (
            left + u * (right - left).max(0.0),
            unit_hash(req, node.0 as u64 * 2 + 2) * hy,
        )
    }

    /// A link's shape drawn from the end at `host`'s box.
    pub fn link_from(&self, link: LinkId, host: NodeId) -> LinkShape {
        let shape = &self.links[link.index()].shape;
        let r = self.rect(host);
        let (first, last) = shape.ends();
        if distance_to_rect(last, &r) < distance_to_rect(first, &r) {
            shape.reversed()
        } else {
            shape.clone()
        }
    }

    /// The path of a hop from `from` to `to` (SPEC U1).
    pub fn route(&self, t: &Topology, from: NodeId, to: NodeId) -> Route {
        let a = self.centre(from);
        let b = self.centre(to);
        let (ha, hb) = (t.host_of(from), t.host_of(to));
        let link = (ha != hb).then(|| t.link_between(ha, hb)).flatten();
        let Some(link) = link else {
            return Route::new(vec![a, b], 0, 0);
        };
        let along = self.link_from(link, ha).points();
        let mut points = Vec::with_capacity(along.len() + 2);
        points.push(a);
        points.extend(along);
        points.push(b);
        let n = points.len();
        Route::new(points, 1, n - 2)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use foobar_sim::scenario::{LbPair, Preset};
    use foobar_sim::Scenario;

    fn presets() -> Vec<(&'static str, Topology)> {
        let mut out = vec![("three-server", Topology::build(&Scenario::three_server()))];
        let mut one = Scenario::three_server();
        one.topology.preset = Preset::OneServer;
        one.topology.web_hosts = 1;
        one.topology.load_balancer = false;
        out.push(("one-server", Topology::build(&one)));
        let mut secured = Scenario::three_server();
        secured.topology.preset = Preset::SecuredMonitored;
        secured.topology.firewalls = true;
        secured.topology.monitoring = true;
        out.push(("secured", Topology::build(&secured)));
        let mut scaled = Scenario::three_server();
        scaled.topology.preset = Preset::ScaledUp;
        scaled.topology.web_hosts = 8;
        scaled.topology.lb_pair = LbPair::ActivePassive;
        scaled.topology.dedicated_db = true;
        out.push(("scaled-up", Topology::build(&scaled)));
        let mut shared_db = Scenario::three_server();
        shared_db.topology.web_hosts = 4;
        out.push(("four web hosts", Topology::build(&shared_db)));
        out
    }

    /// SPEC W1: every node has a box of its own, inside the drawing.
    #[test]
    fn w1_every_node_has_a_box_inside_the_drawing() {
        for (name, t) in presets() {
            let l = Layout::of(&t);
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
            }
        }
    }

    #[test]
    fn components_sit_inside_their_host_and_apart() {
        for (name, t) in presets() {
            let l = Layout::of(&t);
            for (i, node) in t.nodes.iter().enumerate() {
                let Some(host) = node.host else { continue };
                let (r, h) = (l.boxes[i], l.rect(host));
                assert!(h.contains(&r), "{name}: {} outside its host", node.name);
                for (j, other) in t.nodes.iter().enumerate() {
                    if j != i && other.host == Some(host) {
                        assert!(
                            !r.overlaps(&l.boxes[j]),
                            "{name}: {} on {}",
                            node.name,
                            other.name
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn top_level_boxes_never_overlap() {
        for (name, t) in presets() {
            let l = Layout::of(&t);
            let top: Vec<usize> = (0..t.nodes.len())
                .filter(|&i| t.nodes[i].host.is_none())
                .collect();
            for &i in &top {
                for &j in &top {
                    if i < j {
                        assert!(
                            !l.boxes[i].overlaps(&l.boxes[j]),
                            "{name}: {} overlaps {}",
                            t.nodes[i].name,
                            t.nodes[j].name
                        );
                    }
                }
            }
        }
    }

    /// Columns follow a request: users, DNS, load balancer, web hosts, left to right.
    #[test]
    fn columns_follow_the_request_path() {
        let t = Topology::build(&Scenario::three_server());
        let l = Layout::of(&t);
        let x = |name: &str| l.rect(t.node_by_name(name).unwrap()).x;
        assert!(x("users") < x("dns"));
        assert!(x("dns") < x("lb-01"));
        assert!(x("lb-01") < x("web-01"));
        assert_eq!(x("web-01"), x("web-02"));
        let y = |name: &str| l.rect(t.node_by_name(name).unwrap()).y;
        assert!(y("web-01") < y("web-02"));
    }

    /// A link between hosts of one column never runs through a third host.
    #[test]
    fn links_within_a_column_go_around_the_hosts_between() {
        let mut s = Scenario::three_server();
        s.topology.web_hosts = 3;
        let t = Topology::build(&s);
        let l = Layout::of(&t);
        let link = |name: &str| &l.links[t.link_by_name(name).unwrap().index()].shape;
        assert!(matches!(link("web-01--web-02"), LinkShape::Line { .. }));
        assert!(matches!(link("web-01--web-03"), LinkShape::Curve { .. }));
    }
    /// SPEC U1: a dot's hop runs from its node, along the link between the two hosts, into
    /// the other node; a hop inside one host is a straight line.
    #[test]
    fn u1_routes_follow_the_links() {
        let t = Topology::build(&Scenario::three_server());
        let l = Layout::of(&t);
        let id = |n: &str| t.node_by_name(n).unwrap();
        let r = l.route(&t, id("lb-01/haproxy"), id("web-01/nginx"));
        assert_eq!(r.at(0.0), l.centre(id("lb-01/haproxy")));
        assert_eq!(r.at(1.0), l.centre(id("web-01/nginx")));
        let link = &l.links[t.link_by_name("lb-01--web-01").unwrap().index()].shape;
        let LinkShape::Line { x1, y1, x2, y2 } = *link else {
            panic!("a straight link")
        };
        // Passes through both ends of the link, in order.
        let near = |p: (f64, f64)| {
            (0..=1000)
                .map(|i| {
                    let q = r.at(i as f64 / 1000.0);
                    ((q.0 - p.0).powi(2) + (q.1 - p.1).powi(2)).sqrt()
                })
                .fold(f64::MAX, f64::min)
        };
        assert!(near((x1, y1)) < 1.0 && near((x2, y2)) < 1.0);
        let back = l.route(&t, id("web-01/nginx"), id("lb-01/haproxy"));
        assert_eq!(back.at(0.0), r.at(1.0));
        assert_eq!(back.at(1.0), r.at(0.0));
        let inside = l.route(&t, id("web-01/nginx"), id("web-01/app"));
        assert_eq!(inside.spread_weights(0.0), (1.0, 0.0));
        assert_eq!(inside.spread_weights(1.0), (0.0, 1.0));
        let (first, last) = r.spread_weights(0.5);
        assert_eq!((first, last), (0.0, 0.0), "on the link, no spread");
    }

    /// SPEC U1 (replication arrows): a link drawn from either host starts at that host's
    /// box, and from the other host it is the same link reversed, for every link of every
    /// preset.
    #[test]
    fn a_link_is_drawn_from_either_end() {
        for (name, t) in presets() {
            let l = Layout::of(&t);
            for placed in &l.links {
                let link = t.link(placed.id);
                let (from_a, from_b) = (
                    l.link_from(placed.id, link.a),
                    l.link_from(placed.id, link.b),
                );
                assert_eq!(from_b, from_a.reversed(), "{name} {}", link.name);
                let (start, _) = from_a.ends();
                let (start_b, _) = from_b.ends();
                assert!(
                    distance_to_rect(start, &l.rect(link.a))
                        <= distance_to_rect(start_b, &l.rect(link.a)),
                    "{name} {}",
                    link.name
                );
            }
        }
    }

    #[test]
    fn spread_stays_inside_the_box() {
        let t = Topology::build(&Scenario::three_server());
        let l = Layout::of(&t);
        for (i, _) in t.nodes.iter().enumerate() {
            let id = NodeId(i as u16);
            let r = l.rect(id);
            for req in 0..200 {
                let (dx, dy) = l.spread(id, req);
                let (x, y) = (r.centre_x() + dx, r.centre_y() + dy);
                assert!(x > r.x && x < r.right() && y > r.y && y < r.bottom());
            }
        }
    }
}
