//! The request dots: drawn on a `<canvas>` over the SVG diagram, straight from
//! the snapshot, once per animation frame. No virtual DOM: 2,000 dots cost one canvas pass.
//!
//! A dot's shape says its kind (circle: static file, square: page read, triangle: write) and
//! its colour its outcome once it has one (green: OK, vermillion: error, orange: stale read);
//! before that, its colour repeats its kind. The Okabe-Ito palette throughout.
//! With reduced motion, no dot moves: each node shows how many requests are at it.

use foobar_sim::snapshot::{Flight, FlowView, WaitView};
use foobar_sim::trace::{Outcome, ReqKind};
use foobar_sim::{NodeId, SimTime, Topology};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::engine::Engine;
use crate::layout::{
    text_width, unit_hash, Layout, Queue, Route, COUNT_HALF_H, COUNT_PX, DOT_R, EMPHASIS_R,
};

/// Replication events: Okabe-Ito orange, as the replication arrow.
pub const REPLICATION_TINT: &str = "#E69F00";
/// How far from a dot a click still picks it, in the diagram's units.
const PICK_RADIUS: f64 = 16.0;
/// Dots closer than this (a cell of this size) that are more than `CROWD` show as a count.
const CELL: f64 = 40.0;
const CROWD: u16 = 4;
/// A flow's marks are this far apart at most, in the diagram's units, and at most this many.
const MARK_SPACING: f64 = 36.0;
const MAX_MARKS: usize = 8;
/// Where along its route a flow's count may sit, in order of preference.
const BADGE_AT: [f64; 5] = [0.5, 0.3, 0.7, 0.15, 0.85];
const INK: &str = "#1a1a1a";
/// A flow's band: ink, translucent, so the link's own line shows through.
const BAND_TINT: &str = "rgba(26, 26, 26, 0.18)";

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

/// Whether a dot's meaning needs to stand out: an error or a stale read is
/// drawn larger, with a white halo and a heavy outline, never by its colour alone.
pub fn emphasised(tint: Tint) -> bool {
    matches!(tint, Tint::Error | Tint::Stale)
}

/// A dot's radius for its tint.
pub fn radius(tint: Tint) -> f64 {
    if emphasised(tint) {
        EMPHASIS_R
    } else {
        DOT_R
    }
}

/// Where a moving request's dot is, in the diagram's units: on its hop's path, a hair off it
/// so two on one path do not hide each other.
pub fn dot_position(route: &Route, f: &Flight, now: SimTime) -> (f64, f64) {
    let (x, y) = route.at(progress(f, now));
    (
        x + unit_hash(f.req, 7) * 1.5,
        y + unit_hash(f.req, 11) * 1.5,
    )
}

/// Whether a request waits at a node (not yet left, or arrived), rather than moving.
pub fn waiting_at(f: &Flight, now: SimTime) -> Option<NodeId> {
    match progress(f, now) {
        k if k <= 0.0 => Some(f.from),
        k if k >= 1.0 => Some(f.to),
        _ => None,
    }
}

/// A count as a badge shows it: at most three characters.
pub fn count_words(n: usize) -> String {
    if n < 1000 {
        n.to_string()
    } else {
        format!("{}k", (n / 1000).min(99))
    }
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

/// A crowd shown as its count: where, how many, and whether errors or stale reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crowd {
    pub x: f64,
    pub y: f64,
    pub count: usize,
    pub emphasised: bool,
}

/// One frame's drawing, worked out before it is drawn (natively tested): the dots drawn one
/// by one, by style, and the crowds drawn as counts.
#[derive(Default)]
pub struct Frame {
    /// Positions of the dots drawn, by style (`shape * TINTS.len() + tint`).
    pub buckets: Vec<Vec<(f64, f64)>>,
    pub crowds: Vec<Crowd>,
    /// Every dot drawn, for a click to pick: request, x, y.
    pub drawn: Vec<(u64, f64, f64)>,
    /// The request followed (traced or inspected): its style and place, and whether chosen.
    pub highlighted: Option<(Shape, Tint, f64, f64, bool)>,
    /// The hops whose requests travel as a flow: a band is drawn along each.
    pub bands: Vec<(NodeId, NodeId)>,
    /// Scratch, kept from frame to frame: dots moving (x, y, style, request), the count in
    /// each cell (normal, emphasised), whether its count is drawn, and who waits where.
    moving: Vec<(f64, f64, usize, u64)>,
    cells: Vec<[u16; 2]>,
    told: Vec<[bool; 2]>,
    waiting: Vec<Vec<(usize, u64)>>,
}

/// Whether a count badge at (x, y) would sit on `c`'s.
fn crowded(c: &Crowd, x: f64, y: f64) -> bool {
    (c.x - x).abs() < 3.0 * COUNT_PX && (c.y - y).abs() < 2.0 * COUNT_HALF_H
}

/// The style of a flow's mark `i` of `marks`: the marks share out the flow's kinds, before
/// their answer and answered OK, in proportion to its requests.
fn mark_style(flow: &FlowView, i: usize, marks: usize) -> usize {
    // Errors and stale reads first: the first mark is one whenever the flow holds any.
    let at = i as u64 * flow.count() as u64 / marks as u64;
    let mut below = 0u64;
    let parts = [&flow.errors, &flow.stale, &flow.pending, &flow.answered];
    for (part, counts) in parts.iter().enumerate() {
        for (kind, &n) in counts.iter().enumerate() {
            below += n as u64;
            if at < below {
                let tint = [Tint::Error, Tint::Stale, TINTS[kind], Tint::Ok][part];
                return style(SHAPES[kind], tint);
            }
        }
    }
    style(Shape::Circle, Tint::Static)
}

fn style(shape: Shape, tint: Tint) -> usize {
    shape.index() * TINTS.len() + tint.index()
}

fn style_of(i: usize) -> (Shape, Tint) {
    (SHAPES[i / TINTS.len()], TINTS[i % TINTS.len()])
}

impl Frame {
    /// Plans one frame: every request waiting at a node sits in its queue, or the queue shows
    /// a count when it is full; every moving one is on its hop's path, and where more than
    /// `CROWD` would pile in one place they show as a count there (what is drawn
    /// is bounded by what fits on screen, not by what is in flight).
    pub fn plan<'a>(
        &mut self,
        layout: &Layout,
        flights: impl Iterator<Item = &'a Flight>,
        waits: &[WaitView],
        mut position: impl FnMut(&Flight) -> (f64, f64),
        now: SimTime,
        selected: Option<u64>,
    ) {
        self.buckets
            .resize_with(SHAPES.len() * TINTS.len(), Vec::new);
        self.buckets.iter_mut().for_each(Vec::clear);
        self.crowds.clear();
        self.drawn.clear();
        self.highlighted = None;
        self.moving.clear();
        let n = layout.boxes.len();
        self.waiting.resize_with(n, Vec::new);
        self.waiting.iter_mut().for_each(Vec::clear);
        let cols = (layout.width / CELL).ceil().max(1.0) as usize;
        let rows = (layout.height / CELL).ceil().max(1.0) as usize;
        self.cells.clear();
        self.cells.resize(cols * rows, [0, 0]);
        self.told.clear();
        self.told.resize(cols * rows, [false, false]);
        let cell = |x: f64, y: f64| {
            let c = ((x / CELL).max(0.0) as usize).min(cols - 1);
            let r = ((y / CELL).max(0.0) as usize).min(rows - 1);
            r * cols + c
        };
        for f in flights {
            let (shape, tint) = dot_style(f.kind, f.outcome, f.stale);
            let st = style(shape, tint);
            let followed = f.traced || selected == Some(f.req);
            if let Some(at) = waiting_at(f, now).filter(|_| !followed) {
                if let Some(w) = self.waiting.get_mut(at.index()) {
                    w.push((st, f.req));
                }
                continue;
            }
            let (x, y) = position(f);
            if followed {
                self.highlighted = Some((shape, tint, x, y, selected == Some(f.req)));
                self.drawn.push((f.req, x, y));
                continue;
            }
            self.cells[cell(x, y)][emphasised(tint) as usize] += 1;
            self.moving.push((x, y, st, f.req));
        }
        for &(x, y, st, req) in &self.moving {
            let e = emphasised(style_of(st).1) as usize;
            let c = cell(x, y);
            let count = self.cells[c][e];
            if count <= CROWD {
                self.buckets[st].push((x, y));
                self.drawn.push((req, x, y));
            } else if !self.told[c][e] {
                self.told[c][e] = true;
                self.crowds.push(Crowd {
                    x,
                    y,
                    count: count as usize,
                    emphasised: e == 1,
                });
            }
        }
        for (i, waiting) in self.waiting.iter().enumerate() {
            let Some(q) = layout.queue(NodeId(i as u16)) else {
                continue;
            };
            // The core counts a crowded node's plain requests rather than listing them.
            let (counted, failed) = waits
                .iter()
                .find(|w| w.node.index() == i)
                .map_or((0, 0), |w| (w.count as usize, w.errors));
            if counted > 0 || waiting.len() > q.capacity() {
                self.crowds.push(Crowd {
                    x: q.x,
                    y: q.y,
                    count: waiting.len() + counted,
                    emphasised: failed > 0,
                });
                continue;
            }
            for (k, &(st, req)) in waiting.iter().enumerate() {
                let (x, y) = q.slot(k);
                self.buckets[st].push((x, y));
                self.drawn.push((req, x, y));
            }
        }
    }

    /// The busy hops' flows, after `plan`: a band along the route, its count beside it
    /// (where no other count is), and marks spaced evenly along it that move at the hop's
    /// pace, shaped and coloured as the requests they stand for, in proportion.
    pub fn plan_flows(
        &mut self,
        flows: &[FlowView],
        routes: &mut Vec<Option<Route>>,
        t: &Topology,
        layout: &Layout,
        now: SimTime,
    ) {
        self.bands.clear();
        for flow in flows {
            let r = cached(routes, t, layout, flow.from, flow.to);
            self.bands.push((flow.from, flow.to));
            let count = flow.count() as usize;
            let badge = BADGE_AT
                .iter()
                .map(|&k| r.at(k))
                .find(|&(x, y)| !self.crowds.iter().any(|c| crowded(c, x, y)))
                .unwrap_or_else(|| r.at(0.5));
            let failed = flow.errors.iter().chain(&flow.stale).any(|&n| n > 0);
            self.crowds.push(Crowd {
                x: badge.0,
                y: badge.1,
                count,
                emphasised: failed,
            });
            let marks = count
                .min(MAX_MARKS)
                .min((r.length() / MARK_SPACING) as usize)
                .max(1);
            let phase = if flow.hop == 0 {
                0.0
            } else {
                (now.0 % flow.hop) as f64 / flow.hop as f64
            };
            for i in 0..marks {
                let k = (phase + i as f64 / marks as f64).fract();
                self.buckets[mark_style(flow, i, marks)].push(r.at(k));
            }
        }
    }

    /// Reduced motion: no dot moves; each node's queue shows how many requests are
    /// at it, or on their way from or to it (the nearer end).
    pub fn plan_counts<'a>(
        &mut self,
        layout: &Layout,
        flights: impl Iterator<Item = &'a Flight>,
        flows: &[FlowView],
        waits: &[WaitView],
        now: SimTime,
    ) {
        self.buckets.iter_mut().for_each(Vec::clear);
        self.crowds.clear();
        self.drawn.clear();
        self.bands.clear();
        self.highlighted = None;
        let mut counts = vec![0usize; layout.boxes.len()];
        for f in flights {
            if let Some(c) = counts.get_mut(count_node(f, now).index()) {
                *c += 1;
            }
        }
        // A flow's requests are spread along its hop: counted where they are going.
        for flow in flows {
            if let Some(c) = counts.get_mut(flow.to.index()) {
                *c += flow.count() as usize;
            }
        }
        for w in waits {
            if let Some(c) = counts.get_mut(w.node.index()) {
                *c += w.count as usize;
            }
        }
        for (i, &count) in counts.iter().enumerate() {
            let Some(Queue { x, y, .. }) = layout.queue(NodeId(i as u16)) else {
                continue;
            };
            if count > 0 {
                self.crowds.push(Crowd {
                    x,
                    y,
                    count,
                    emphasised: false,
                });
            }
        }
    }
}

/// Draws the dots; remembers where it drew them so a click can pick one.
#[derive(Default)]
pub struct Painter {
    /// The drawing the routes were worked out for.
    layout: Option<std::rc::Rc<Layout>>,
    /// Each hop's route, by (from, to) node: row `from`, column `to`. A table, not a map: no
    /// hashing per dot, and no map's code in the page.
    routes: Vec<Option<Route>>,
    frame: Frame,
    /// CSS pixels per diagram unit, and where the diagram's origin is on the canvas.
    scale: f64,
    origin: (f64, f64),
}

fn cached<'a>(
    routes: &'a mut Vec<Option<Route>>,
    t: &Topology,
    layout: &Layout,
    from: NodeId,
    to: NodeId,
) -> &'a Route {
    let n = t.nodes.len();
    if routes.len() != n * n {
        *routes = (0..n * n).map(|_| None).collect();
    }
    routes[from.index() * n + to.index()].get_or_insert_with(|| layout.route(t, from, to))
}

impl Painter {
    /// One frame's dots, on a canvas that covers the diagram's SVG.
    pub fn paint(&mut self, canvas: &HtmlCanvasElement, e: &Engine) {
        if !self
            .layout
            .as_ref()
            .is_some_and(|l| std::rc::Rc::ptr_eq(l, e.layout()))
        {
            self.routes.clear();
            self.layout = Some(e.layout().clone());
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
        let s = layout.scale_in(cw, ch);
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
        if e.counts_only {
            self.frame.plan_counts(
                &layout,
                e.flights().iter(),
                &e.snap.flows,
                &e.snap.waits,
                now,
            );
        } else {
            let routes = &mut self.routes;
            self.frame.plan(
                &layout,
                e.flights().iter(),
                &e.snap.waits,
                |f| dot_position(cached(routes, &topology, &layout, f.from, f.to), f, now),
                now,
                e.selected,
            );
            self.frame
                .plan_flows(&e.snap.flows, routes, &topology, &layout, now);
        }
        let frame = &self.frame;
        paint_bands(&mut self.routes, &ctx, &frame.bands, &topology, &layout);
        ctx.set_stroke_style_str(INK);
        for (i, points) in frame.buckets.iter().enumerate() {
            let (shape, tint) = style_of(i);
            if points.is_empty() || emphasised(tint) {
                continue;
            }
            ctx.begin_path();
            for &(x, y) in points {
                trace_shape(&ctx, shape, x, y, DOT_R);
            }
            ctx.set_fill_style_str(tint.colour());
            ctx.set_line_width(1.2);
            ctx.fill();
            ctx.stroke();
        }
        paint_replication(&mut self.routes, &ctx, e, &topology, &layout);
        // Errors and stale reads on top: larger, a white halo, a heavy outline.
        for (i, points) in frame.buckets.iter().enumerate() {
            let (shape, tint) = style_of(i);
            if points.is_empty() || !emphasised(tint) {
                continue;
            }
            ctx.begin_path();
            for &(x, y) in points {
                trace_shape(&ctx, shape, x, y, EMPHASIS_R);
            }
            ctx.set_stroke_style_str("#ffffff");
            ctx.set_line_width(5.0);
            ctx.stroke();
            ctx.set_fill_style_str(tint.colour());
            ctx.fill();
            ctx.set_stroke_style_str(INK);
            ctx.set_line_width(2.2);
            ctx.stroke();
        }
        paint_crowds(&ctx, &frame.crowds);
        if let Some((shape, tint, x, y, selected)) = frame.highlighted {
            // The request being followed: larger, with a ring.
            ctx.begin_path();
            trace_shape(&ctx, shape, x, y, EMPHASIS_R);
            ctx.set_fill_style_str(tint.colour());
            ctx.fill();
            ctx.set_line_width(2.0);
            ctx.stroke();
            ctx.begin_path();
            let _ = ctx.arc(x, y, EMPHASIS_R + 3.0, 0.0, std::f64::consts::TAU);
            ctx.set_line_width(if selected { 2.5 } else { 1.5 });
            ctx.stroke();
        }
    }
}

/// The flows' bands: each busy hop's route, a wide translucent ink stroke under its marks.
fn paint_bands(
    routes: &mut Vec<Option<Route>>,
    ctx: &CanvasRenderingContext2d,
    bands: &[(NodeId, NodeId)],
    topology: &Topology,
    layout: &Layout,
) {
    if bands.is_empty() {
        return;
    }
    ctx.begin_path();
    for &(from, to) in bands {
        let points = cached(routes, topology, layout, from, to).points();
        if let Some(&(x, y)) = points.first() {
            ctx.move_to(x, y);
        }
        for &(x, y) in points.iter().skip(1) {
            ctx.line_to(x, y);
        }
    }
    ctx.set_stroke_style_str(BAND_TINT);
    ctx.set_line_width(2.0 * DOT_R + 2.0);
    ctx.stroke();
}

/// Binlog events on their way from a primary to its replicas: small diamonds in the
/// replication arrow's orange, outlined, along the primary → replica route.
fn paint_replication(
    routes: &mut Vec<Option<Route>>,
    ctx: &CanvasRenderingContext2d,
    e: &Engine,
    topology: &Topology,
    layout: &Layout,
) {
    let now = e.snap.now;
    if e.snap.repl_flights.is_empty() || e.counts_only {
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
        let (x, y) = cached(routes, topology, layout, f.from, f.to).at(k);
        let r = DOT_R * 0.85;
        ctx.move_to(x, y - r);
        ctx.line_to(x + r, y);
        ctx.line_to(x, y + r);
        ctx.line_to(x - r, y);
        ctx.close_path();
    }
    ctx.set_fill_style_str(REPLICATION_TINT);
    ctx.fill();
    ctx.set_line_width(1.2);
    ctx.set_stroke_style_str(INK);
    ctx.stroke();
}

impl Painter {
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
        self.frame
            .drawn
            .iter()
            .map(|&(req, dx, dy)| (req, (dx - ux).powi(2) + (dy - uy).powi(2)))
            .filter(|&(_, d2)| d2 <= PICK_RADIUS * PICK_RADIUS)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(req, _)| req)
    }
}

/// Counts as badges: white on ink; errors' and stale reads' in vermillion with a white
/// ring, so they stand out as their dots do.
fn paint_crowds(ctx: &CanvasRenderingContext2d, crowds: &[Crowd]) {
    if crowds.is_empty() {
        return;
    }
    // A whole number of pixels, printed as an integer: `{}` of an f64 would bring core's float
    // printer into the page.
    ctx.set_font(&format!("bold {}px system-ui, sans-serif", COUNT_PX as u32));
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    for c in crowds {
        let words = count_words(c.count);
        let w = 8.0 + text_width(&words, COUNT_PX, true);
        let h = 2.0 * COUNT_HALF_H;
        ctx.begin_path();
        let _ = ctx.round_rect_with_f64(c.x - w / 2.0, c.y - h / 2.0, w, h, h / 2.0);
        ctx.set_fill_style_str(if c.emphasised {
            Tint::Error.colour()
        } else {
            INK
        });
        ctx.fill();
        ctx.set_stroke_style_str("#ffffff");
        ctx.set_line_width(1.5);
        ctx.stroke();
        ctx.set_fill_style_str("#ffffff");
        let _ = ctx.fill_text(&words, c.x, c.y + 1.0);
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
mod tests;
