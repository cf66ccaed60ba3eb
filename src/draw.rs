//! The request dots (SPEC U1, P3): drawn on a `<canvas>` over the SVG diagram, straight from
//! the snapshot, once per animation frame. No virtual DOM: 2,000 dots cost one canvas pass.
//!
//! A dot's shape says its kind (circle: static file, square: page read, triangle: write) and
//! its colour its outcome once it has one (green: OK, vermillion: error, orange: stale read);
//! before that, its colour repeats its kind. The Okabe-Ito palette throughout (SPEC U9).
//! With reduced motion, no dot moves: each node shows how many requests are at it.

use foobar_sim::snapshot::Flight;
use foobar_sim::trace::{Outcome, ReqKind};
use foobar_sim::{NodeId, SimTime, Topology};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::engine::Engine;
use crate::layout::{unit_hash, Layout, Route};

/// Dot radius, in the diagram's units.
pub const DOT_R: f64 = 8.0;
/// Replication events: Okabe-Ito orange, as the replication arrow.
pub const REPLICATION_TINT: &str = "#E69F00";
/// How far from a dot a click still picks it, in the diagram's units.
const PICK_RADIUS: f64 = 16.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Triangle,
}

/// What a dot's colour says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tint {
    Static,
    Read,
    Write,
    Ok,
    Error,
    Stale,
}

pub const TINTS: [Tint; 6] = [
    Tint::Static,
    Tint::Read,
    Tint::Write,
    Tint::Ok,
    Tint::Error,
    Tint::Stale,
];
pub const SHAPES: [Shape; 3] = [Shape::Circle, Shape::Square, Shape::Triangle];

impl Tint {
    /// Okabe-Ito.
    pub fn colour(self) -> &'static str {
        match self {
            Tint::Static => "#56b4e9",
            Tint::Read => "#0072b2",
            Tint::Write => "#cc79a7",
            Tint::Ok => "#009e73",
            Tint::Error => "#d55e00",
            Tint::Stale => "#e69f00",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl Shape {
    pub fn of(kind: ReqKind) -> Shape {
        match kind {
            ReqKind::Static => Shape::Circle,
            ReqKind::Read => Shape::Square,
            ReqKind::Write => Shape::Triangle,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The shape and colour of a request's dot.
pub fn dot_style(kind: ReqKind, outcome: Outcome, stale: bool) -> (Shape, Tint) {
    let tint = match outcome {
        Outcome::Pending => match kind {
            ReqKind::Static => Tint::Static,
            ReqKind::Read => Tint::Read,
            ReqKind::Write => Tint::Write,
        },
        o if !o.is_ok() => Tint::Error,
        _ if stale => Tint::Stale,
        _ => Tint::Ok,
    };
    (Shape::of(kind), tint)
}

/// How far along its hop a request is at `now`: 0 when it leaves, 1 once it has arrived.
pub fn progress(f: &Flight, now: SimTime) -> f64 {
    if f.t1 <= f.t0 || now >= f.t1 {
        1.0
    } else if now <= f.t0 {
        0.0
    } else {
        (now - f.t0) as f64 / (f.t1 - f.t0) as f64
    }
}

/// Where a request's dot is, in the diagram's units.
pub fn dot_position(layout: &Layout, route: &Route, f: &Flight, now: SimTime) -> (f64, f64) {
    let k = progress(f, now);
    let (x, y) = route.at(k);
    let (wa, wb) = route.spread_weights(k);
    let a = layout.spread(f.from, f.req);
    let b = layout.spread(f.to, f.req);
    // A little jitter of its own, so dots on one link do not sit on each other.
    let jx = unit_hash(f.req, 7) * 3.0;
    let jy = unit_hash(f.req, 11) * 3.0;
    (x + a.0 * wa + b.0 * wb + jx, y + a.1 * wa + b.1 * wb + jy)
}

/// Where a request counts as being, for the reduced-motion counts: where it rests, or the
/// nearer end of its hop.
pub fn count_node(f: &Flight, now: SimTime) -> NodeId {
    if progress(f, now) < 0.5 {
        f.from
    } else {
        f.to
    }
}

/// Draws the dots; remembers where it drew them so a click can pick one.
#[derive(Default)]
pub struct Painter {
    generation: Option<u64>,
    /// Each hop's route, by (from, to) node: row `from`, column `to`. A table, not a map: no
    /// hashing per dot, and no map's code in the page (SPEC P4).
    routes: Vec<Option<Route>>,
    /// Positions drawn this frame, by style, reused from frame to frame.
    buckets: Vec<Vec<(f64, f64)>>,
    drawn: Vec<(u64, f64, f64)>,
    counts: Vec<u32>,
    /// CSS pixels per diagram unit, and where the diagram's origin is on the canvas.
    scale: f64,
    origin: (f64, f64),
}

impl Painter {
    fn route(&mut self, t: &Topology, layout: &Layout, from: NodeId, to: NodeId) -> &Route {
        let n = t.nodes.len();
        if self.routes.len() != n * n {
            self.routes = (0..n * n).map(|_| None).collect();
        }
        self.routes[from.index() * n + to.index()].get_or_insert_with(|| layout.route(t, from, to))
    }

    /// One frame's dots, on a canvas that covers the diagram's SVG.
    pub fn paint(&mut self, canvas: &HtmlCanvasElement, e: &Engine) {
        if self.generation != Some(e.generation()) {
            self.routes.clear();
            self.generation = Some(e.generation());
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let (cw, ch) = (canvas.client_width() as f64, canvas.client_height() as f64);
        if cw <= 0.0 || ch <= 0.0 {
            return;
        }
        let dpr = window.device_pixel_ratio().max(1.0);
        let (pw, ph) = ((cw * dpr).round() as u32, (ch * dpr).round() as u32);
        if canvas.width() != pw || canvas.height() != ph {
            canvas.set_width(pw);
            canvas.set_height(ph);
        }
        let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let layout = e.layout().clone();
        let topology = e.topology().clone();
        // The SVG's viewBox, fitted and centred (preserveAspectRatio xMidYMid meet).
        let s = (cw / layout.width).min(ch / layout.height);
        let (ox, oy) = (
            (cw - layout.width * s) / 2.0,
            (ch - layout.height * s) / 2.0,
        );
        self.scale = s;
        self.origin = (ox, oy);
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        ctx.clear_rect(0.0, 0.0, pw as f64, ph as f64);
        let _ = ctx.set_transform(dpr * s, 0.0, 0.0, dpr * s, dpr * ox, dpr * oy);

        let now = e.snap.now;
        self.drawn.clear();
        if e.counts_only {
            self.paint_counts(&ctx, e, &layout);
            return;
        }
        self.buckets
            .resize_with(SHAPES.len() * TINTS.len(), Vec::new);
        for b in &mut self.buckets {
            b.clear();
        }
        let mut highlighted = None;
        for f in e.flights() {
            let route = self.route(&topology, &layout, f.from, f.to);
            let (x, y) = dot_position(&layout, route, f, now);
            let (shape, tint) = dot_style(f.kind, f.outcome, f.stale);
            self.buckets[shape.index() * TINTS.len() + tint.index()].push((x, y));
            self.drawn.push((f.req, x, y));
            if f.traced || e.selected == Some(f.req) {
                highlighted = Some((shape, tint, x, y, e.selected == Some(f.req)));
            }
        }
        ctx.set_line_width(1.2);
        ctx.set_stroke_style_str("#1a1a1a");
        for shape in SHAPES {
            for tint in TINTS {
                let points = &self.buckets[shape.index() * TINTS.len() + tint.index()];
                if points.is_empty() {
                    continue;
                }
                ctx.begin_path();
                for &(x, y) in points {
                    trace_shape(&ctx, shape, x, y, DOT_R);
                }
                ctx.set_fill_style_str(tint.colour());
                ctx.fill();
                ctx.stroke();
            }
        }
        self.paint_replication(&ctx, e, &topology, &layout);
        if let Some((shape, tint, x, y, selected)) = highlighted {
            // The request being followed: bigger, with a ring.
            ctx.begin_path();
            trace_shape(&ctx, shape, x, y, DOT_R * 1.6);
            ctx.set_fill_style_str(tint.colour());
            ctx.fill();
            ctx.set_line_width(2.0);
            ctx.stroke();
            ctx.begin_path();
            let _ = ctx.arc(x, y, DOT_R * 2.8, 0.0, std::f64::consts::TAU);
            ctx.set_line_width(if selected { 3.0 } else { 2.0 });
            ctx.stroke();
        }
    }

    /// Binlog events on their way from a primary to its replicas (SPEC U1): small diamonds
    /// in the replication arrow's orange, outlined, along the primary → replica route.
    fn paint_replication(
        &mut self,
        ctx: &CanvasRenderingContext2d,
        e: &Engine,
        topology: &Topology,
        layout: &Layout,
    ) {
        let now = e.snap.now;
        if e.snap.repl_flights.is_empty() {
            return;
        }
        ctx.begin_path();
        for f in &e.snap.repl_flights {
            let k = if f.t1 <= f.t0 || now >= f.t1 {
                1.0
            } else if now <= f.t0 {
                0.0
            } else {
                (now - f.t0) as f64 / (f.t1 - f.t0) as f64
            };
            let (x, y) = self.route(topology, layout, f.from, f.to).at(k);
            let r = DOT_R * 0.75;
            ctx.move_to(x, y - r);
            ctx.line_to(x + r, y);
            ctx.line_to(x, y + r);
            ctx.line_to(x - r, y);
            ctx.close_path();
        }
        ctx.set_fill_style_str(REPLICATION_TINT);
        ctx.fill();
        ctx.set_line_width(1.2);
        ctx.set_stroke_style_str("#1a1a1a");
        ctx.stroke();
    }

    fn paint_counts(&mut self, ctx: &CanvasRenderingContext2d, e: &Engine, layout: &Layout) {
        let now = e.snap.now;
        self.counts.clear();
        self.counts.resize(layout.boxes.len(), 0);
        for f in e.flights() {
            let n = count_node(f, now);
            if let Some(c) = self.counts.get_mut(n.index()) {
                *c += 1;
            }
        }
        ctx.set_font("bold 15px system-ui, sans-serif");
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        for (i, &n) in self.counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let r = layout.boxes[i];
            let (x, y) = (r.right() - 20.0, r.y + 20.0);
            let label = n.to_string();
            let w = 14.0 + 8.0 * label.len() as f64;
            ctx.begin_path();
            let _ = ctx.round_rect_with_f64(x - w / 2.0, y - 12.0, w, 24.0, 12.0);
            ctx.set_fill_style_str("#1a1a1a");
            ctx.fill();
            ctx.set_fill_style_str("#ffffff");
            let _ = ctx.fill_text(&label, x, y + 1.0);
        }
    }

    /// The request whose dot is nearest to a point on the canvas (CSS pixels from its
    /// top-left corner), if one is close enough.
    pub fn pick(&self, x: f64, y: f64) -> Option<u64> {
        if self.scale <= 0.0 {
            return None;
        }
        let (ux, uy) = (
            (x - self.origin.0) / self.scale,
            (y - self.origin.1) / self.scale,
        );
        self.drawn
            .iter()
            .map(|&(req, dx, dy)| (req, (dx - ux).powi(2) + (dy - uy).powi(2)))
            .filter(|&(_, d2)| d2 <= PICK_RADIUS * PICK_RADIUS)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(req, _)| req)
    }
}

/// Adds one dot's outline to the current path.
fn trace_shape(ctx: &CanvasRenderingContext2d, shape: Shape, x: f64, y: f64, r: f64) {
    match shape {
        Shape::Circle => {
            ctx.move_to(x + r, y);
            let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
        }
        Shape::Square => {
            let s = r * 0.9;
            ctx.rect(x - s, y - s, 2.0 * s, 2.0 * s);
        }
        Shape::Triangle => {
            let h = r * 1.25;
            ctx.move_to(x, y - h);
            ctx.line_to(x + h, y + h * 0.8);
            ctx.line_to(x - h, y + h * 0.8);
            ctx.close_path();
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use foobar_sim::Scenario;

    /// SPEC U1, U9: shape by kind, colour by outcome; never colour alone.
    #[test]
    fn u1_dots_are_shaped_by_kind_and_coloured_by_outcome() {
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

    /// SPEC U1: a dot's position is interpolated from the hop's times.
    #[test]
    fn u1_a_dot_moves_from_one_node_to_the_next_over_its_hop() {
        let t = Topology::build(&Scenario::three_server());
        let l = Layout::of(&t);
        let from = t.node_by_name("lb-01/haproxy").unwrap();
        let to = t.node_by_name("web-02/nginx").unwrap();
        let f = Flight {
            req: 42,
            from,
            to,
            t0: SimTime(1_000_000),
            t1: SimTime(2_000_000),
            kind: ReqKind::Read,
            outcome: Outcome::Pending,
            stale: false,
            traced: false,
        };
        let route = l.route(&t, from, to);
        let at = |us| dot_position(&l, &route, &f, SimTime(us));
        let inside = |p: (f64, f64), n: NodeId| {
            let r = l.rect(n);
            p.0 >= r.x && p.0 <= r.right() && p.1 >= r.y && p.1 <= r.bottom()
        };
        assert!(inside(at(0), from), "before it leaves: at its node");
        assert!(inside(at(1_000_000), from));
        assert!(inside(at(2_000_000), to));
        assert!(
            inside(at(9_000_000), to),
            "after it lands: resting at its node"
        );
        let mid = at(1_500_000);
        assert!(
            !inside(mid, from) && !inside(mid, to),
            "half way: on the link"
        );
        assert_eq!(progress(&f, SimTime(1_250_000)), 0.25);
        assert_eq!(count_node(&f, SimTime(1_250_000)), from);
        assert_eq!(count_node(&f, SimTime(1_750_000)), to);
    }
}
