//! Where each node and link of a `Topology` sits on the diagram, where its words go, and the
//! paths the request dots follow (SPEC U1, U7).
//!
//! Pure geometry, no DOM. Columns left to right follow a request: users; DNS on top of the
//! load balancers; the web hosts, in one column or a grid of several; the database hosts. A
//! host's components sit in rows inside its box, with a street under each row. Words go
//! inside boxes; dots go only where no word is: the queues on the streets, the channels
//! between hosts, the links (tested below for every design the page offers). Units are SVG
//! user units, CSS pixels at scale 1: `Layout::fit` picks the arrangement that shows the words
//! largest in the stage's box. In presenter mode (SPEC U7) it may also draw the firewalls and
//! monitoring agents as marks on their hosts and the outsiders under the database hosts, and
//! says how tall a box the words need to be at their own size (`Layout::need`).

use foobar_sim::num::Dec;
use foobar_sim::{HostRole, LinkId, LinkRole, NodeId, NodeKind, Topology};

#[derive(Debug, Clone, Copy, PartialEq, Default)]
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

    /// The box `hw` either side of `x` and `hh` either side of `y`.
    pub fn around(x: f64, y: f64, hw: f64, hh: f64) -> Rect {
        Rect {
            x: x - hw,
            y: y - hh,
            w: 2.0 * hw,
            h: 2.0 * hh,
        }
    }
}

/// The words' sizes in SVG units, as static/style.css sets them: a host's name, a box's title
/// (both bold), and every other word (badges, what a box does, link labels, counts).
pub const NAME_PX: f64 = 22.0;
pub const TITLE_PX: f64 = 20.0;
pub const WORDS_PX: f64 = 18.0;
/// A request count on the canvas, bold: the smallest words too (SPEC U7).
pub const COUNT_PX: f64 = 18.0;

/// Advance widths of ASCII ' '..='~' in DejaVu Sans, in hundredths of an em, rounded up: the
/// widest face the page's font stack falls back to, so an estimate never falls short.
const REGULAR: [u8; 95] = [
    32, 41, 46, 84, 64, 96, 78, 28, 40, 40, 50, 84, 32, 37, 32, 34, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 34, 34, 84, 84, 84, 54, 100, 69, 69, 70, 78, 64, 58, 78, 76, 30, 30, 66, 56, 87, 75,
    79, 61, 79, 70, 64, 62, 74, 69, 99, 69, 62, 69, 40, 34, 40, 84, 50, 50, 62, 64, 55, 64, 62, 36,
    64, 64, 28, 28, 58, 28, 98, 64, 62, 64, 64, 42, 53, 40, 64, 60, 82, 60, 60, 53, 64, 34, 64, 84,
];
const BOLD: [u8; 95] = [
    35, 46, 53, 84, 70, 101, 88, 31, 46, 46, 53, 84, 38, 42, 38, 37, 70, 70, 70, 70, 70, 70, 70,
    70, 70, 70, 40, 40, 84, 84, 84, 59, 100, 78, 77, 74, 84, 69, 69, 83, 84, 38, 38, 78, 64, 100,
    84, 86, 74, 86, 78, 73, 69, 82, 78, 111, 78, 73, 73, 46, 37, 46, 84, 50, 50, 68, 72, 60, 72,
    68, 44, 72, 72, 35, 35, 67, 35, 105, 72, 69, 72, 72, 50, 60, 48, 72, 66, 93, 65, 66, 59, 72,
    37, 72, 84,
];

/// About how wide `words` are at `px` (never less than they are in DejaVu Sans).
pub fn text_width(words: &str, px: f64, bold: bool) -> f64 {
    let table = if bold { &BOLD } else { &REGULAR };
    let hundredths: u32 = words
        .chars()
        .map(|c| match c as u32 {
            32..=126 => table[c as usize - 32] as u32,
            // Accented Latin letters; then symbols (✓ ✕ ▲ …), which are wide.
            0xC0..=0x24F => 72,
            _ => 96,
        })
        .sum();
    hundredths as f64 * px / 100.0
}

/// How much words of this size fill their line box, top of the accents to the bottom of
/// the descenders (DejaVu Sans: what `getBoundingClientRect` measures of an SVG text).
pub const LINE_BOX: f64 = 1.164;

/// Request dots, in SVG units: their radius; a stale read's or an error's, larger; the
/// spacing of requests waiting in a queue.
pub const DOT_R: f64 = 6.5;
pub const EMPHASIS_R: f64 = 8.5;
pub const SLOT: f64 = 15.0;
/// A count badge over a crowd, centred where its first dot is: half its width and height.
pub const COUNT_HALF_W: f64 = 22.0;
pub const COUNT_HALF_H: f64 = 12.0;
/// How far from any point of a dot's path a word must be: a count badge centred there, or an
/// emphasised dot with its halo and its jitter.
pub const CLEAR_X: f64 = COUNT_HALF_W + 1.0;
pub const CLEAR_Y: f64 = 13.0;

const MARGIN: f64 = 16.0;
/// Between two columns, where the links run.
const COLUMN_GAP: f64 = 56.0;
/// Between two columns of web hosts, and between two hosts of a column: channels.
const WEB_GAP: f64 = 48.0;
const ROW_GAP: f64 = 30.0;
/// Under each row of components: where its requests queue and dots move.
const STREET: f64 = 26.0;
/// Inside a host: left and right of the components (room for a key number), between them,
/// and right of them when their requests change rows there (clear of their words).
const HOST_PAD: f64 = 14.0;
const COMPONENT_GAP: f64 = 8.0;
const HOST_CHANNEL: f64 = 30.0;
/// Where a box's words start: after its stripe and a key number's circle.
const INSET: f64 = 14.0;
/// A box's room for its words, by form.
const ROOM_ROOMY: f64 = 200.0;
const ROOM_COMPACT: f64 = 128.0;
const BOX_H_ROOMY: f64 = 90.0;
const BOX_H_COMPACT: f64 = 62.0;
/// A badge's pill, and the room kept for the widest (`◔ SLOW ×10`, `✕ CRASHED`).
const PILL_H: f64 = 26.0;
const BADGE_ROOM: f64 = 144.0;
/// HAProxy's view of a backend: with "HAProxy:" before it, or without.
const CHECK_LONG: f64 = 226.0;
const CHECK_SHORT: f64 = 142.0;
const SERVED_ROOM: f64 = 126.0;
/// A replica's lag beside its badge.
const LAG_ROOM: f64 = 92.0;
/// A host's title bar: one line, or two when HAProxy's view does not fit beside the name.
const HEADER_1: f64 = 42.0;
const HEADER_2: f64 = 76.0;
/// A host's name starts after its key number's circle.
const NAME_X: f64 = 34.0;
/// Links between hosts of one column run this far right of it, a lane further the more
/// hosts they pass.
const LANE_0: f64 = 16.0;
const LANE: f64 = 8.0;
/// How far a link runs straight out of a box before it turns.
const STUB: f64 = 26.0;
/// A link's words: their box (compressed to it when longer).
pub const LINK_WORDS_W: f64 = 170.0;
const LINK_WORDS_H: f64 = 22.0;
/// A key number's circle (presenter mode), and its words.
pub const KEY_R: f64 = 13.0;
/// A line of a host's title bar; a mark's height, and its least and largest width (its
/// icon, then its badge: `✕ CRASHED` at its own width in the largest).
const LINE: f64 = 34.0;
const MARK_H: f64 = 28.0;
const MARK_MIN: f64 = 140.0;
const MARK_MAX: f64 = 176.0;
/// Where a mark's badge starts, after its icon.
pub const MARK_ICON: f64 = 26.0;

/// Which words a box shows (SPEC U1, U7): `Roomy` says what it is on a line of its own, with
/// its badge under it; `Compact` folds those two into one line, for many hosts in a small box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Roomy,
    Compact,
}

/// How the hosts are arranged: which form, where the users go, how many columns of web hosts,
/// how many of a web host's components on the request's path (Nginx, the app, MySQL) go in a
/// row, and how many of the others (firewall, monitoring agent, keepalived: no request stops
/// there, so their rows need no street).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrangement {
    pub form: Form,
    pub front: Front,
    pub web_columns: usize,
    pub path_per_row: usize,
    /// Side components per row in a web host, and in the other hosts.
    pub side_per_row: usize,
    pub other_side_per_row: usize,
    /// Each host's firewall and monitoring agent drawn as marks (an icon and a badge each),
    /// not as boxes of their own: presenter mode, for dense designs.
    pub marks: Marks,
    /// The outsiders (the attacker, the monitoring service) under the database hosts.
    pub outsiders_last: bool,
}

/// Where a host's marks go: none (boxes); stacked in a free place of its last row of
/// components, else on a line of their own in its title bar (`Line`), or for the hosts but
/// the web hosts in a place of their own among the components aside the path (`Cell`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    No,
    Line,
    Cell,
}

/// Where users go: in a column of their own with the outsiders (the attacker, the monitoring
/// service), DNS on top of the next column; DNS with them; or all on top of the next column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    Own,
    WithDns,
    Stacked,
}

/// Whether a component of this kind can be drawn as a mark (`Arrangement::marks`).
fn markable(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::Firewall | NodeKind::MonitorAgent)
}

/// Whether no request ever stops at a component of this kind.
fn aside_the_path(kind: NodeKind) -> bool {
    matches!(
        kind,
        NodeKind::Keepalived | NodeKind::Firewall | NodeKind::MonitorAgent
    )
}

/// Where a node's words go (SPEC U1): each a box the words fit in (longer words are pressed
/// into it), so no word leaves its node, and no dot's path comes near one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Labels {
    /// A host's name, or a box's title.
    pub title: Option<Rect>,
    /// The line under the title: what the box is or does now (roomy), or that or its badge
    /// (compact).
    pub what: Option<Rect>,
    /// The state badge's room (its pill is as wide as its words).
    pub badge: Option<Rect>,
    /// Beside the badge: a replica's lag; the users' request rate (roomy).
    pub aside: Option<Rect>,
    /// A backend host: HAProxy's view of it, with "HAProxy:" before it when `check_long`.
    pub check: Option<Rect>,
    pub check_long: bool,
    pub served: Option<Rect>,
    /// The users' icon; a replica's lag bar.
    pub icon: Option<Rect>,
    /// Where a key number's circle goes (presenter mode); a mark's icon. The users and the
    /// outsiders have none: keys 1–9 never break them (`classroom::numbered`).
    pub key: Option<(f64, f64)>,
    /// A firewall or monitoring agent drawn as a mark: its icon and its badge.
    pub mark: bool,
}

impl Labels {
    /// Every box on it that holds words or a badge, the key number's circle included.
    pub fn rects(&self) -> Vec<Rect> {
        let mut out: Vec<Rect> = [
            self.title,
            self.what,
            self.badge,
            self.aside,
            self.check,
            self.served,
            self.icon,
        ]
        .into_iter()
        .flatten()
        .collect();
        out.extend(self.key.map(|(x, y)| Rect::around(x, y, KEY_R, KEY_R)));
        out
    }
}

/// Which side of a box a link leaves from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

/// Where a link's words go: their baseline's anchor point and alignment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkLabel {
    pub x: f64,
    pub y: f64,
    pub anchor: &'static str,
}

impl LinkLabel {
    /// The box its words fill.
    pub fn rect(&self) -> Rect {
        let x = match self.anchor {
            "middle" => self.x - LINK_WORDS_W / 2.0,
            "end" => self.x - LINK_WORDS_W,
            _ => self.x,
        };
        Rect {
            x,
            y: self.y - 17.0,
            w: LINK_WORDS_W,
            h: LINK_WORDS_H,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkPlacement {
    pub id: LinkId,
    /// The line from the link's `a` end to its `b` end.
    pub points: Vec<(f64, f64)>,
    /// Where its words go, if anywhere.
    pub label: Option<LinkLabel>,
    sides: [Side; 2],
}

impl LinkPlacement {
    /// The SVG path data, from `a` to `b`, or from `b` to `a`.
    pub fn path(&self, reversed: bool) -> String {
        let mut out = String::new();
        let mut each = |i: usize, &(x, y): &(f64, f64)| {
            let (x, y) = (
                Dec(crate::text::round_to(x, 1)),
                Dec(crate::text::round_to(y, 1)),
            );
            out.push_str(&format!("{}{x} {y}", if i == 0 { 'M' } else { 'L' }));
        };
        if reversed {
            self.points
                .iter()
                .rev()
                .enumerate()
                .for_each(|(i, p)| each(i, p));
        } else {
            self.points.iter().enumerate().for_each(|(i, p)| each(i, p));
        }
        out
    }
}

/// Where requests at a node wait: the street under it (a component) or the band along the
/// bottom of its box (users, DNS): its middle, and how far either side dots may sit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Queue {
    pub x: f64,
    pub y: f64,
    pub half: f64,
}

impl Queue {
    /// How many dots fit in it; more show as a count.
    pub fn capacity(&self) -> usize {
        1 + 2 * ((self.half - DOT_R) / SLOT).max(0.0) as usize
    }

    /// Where the `i`th request waiting here sits: the middle first, then either side.
    pub fn slot(&self, i: usize) -> (f64, f64) {
        let k = i.div_ceil(2) as f64;
        let side = if i % 2 == 1 { 1.0 } else { -1.0 };
        (self.x + side * k * SLOT, self.y)
    }
}

/// The web hosts' grid: its columns' left edges, a cell's size, its top, and its rows.
#[derive(Debug, Clone, PartialEq)]
struct Grid {
    left: Vec<f64>,
    cell_w: f64,
    cell_h: f64,
    top: f64,
    rows: usize,
}

impl Grid {
    /// The middle of the gap above row `k` (`k == rows`: below the last).
    fn gap_y(&self, k: usize) -> f64 {
        self.top + k as f64 * (self.cell_h + ROW_GAP) - ROW_GAP / 2.0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// Presenter mode: the least height of a box as wide as the one fitted to in which the
    /// words are at their own size, whatever the height of that one (0 if none would be):
    /// the page gives the drawing that much.
    pub need: f64,
    pub arrangement: Arrangement,
    /// Indexed by `NodeId`: every node of the topology has a box, and words in it.
    pub boxes: Vec<Rect>,
    pub labels: Vec<Labels>,
    pub links: Vec<LinkPlacement>,
    /// Indexed by `NodeId`: where a component, users or DNS queue (none for a host).
    queues: Vec<Option<Queue>>,
    /// A component's row in its host; a host's streets (one per row of components).
    rows: Vec<usize>,
    streets: Vec<Vec<f64>>,
    /// A top-level node's column, and its row if it is in the web hosts' grid.
    columns: Vec<usize>,
    cells: Vec<Option<usize>>,
    column_edges: Vec<(f64, f64)>,
    grid: Option<Grid>,
}

/// The stage's box at 1280×800 outside presenter mode, in CSS pixels: the drawing before the
/// page has measured its own.
pub const DEFAULT_BOX: (f64, f64) = (1248.0, 405.0);

/// Words at their own size (scale 1) are what a room reads; the roomiest arrangement that
/// reaches it wins, else (outside presenter mode) a roomier one nearly as large as the
/// largest, unless that would take the words under `LEGIBLE_SCALE`.
const TARGET_SCALE: f64 = 1.0;
const ROOMIER_WITHIN: f64 = 0.85;
/// Words whose line box is 18 px on screen.
const LEGIBLE_SCALE: f64 = 18.0 / (WORDS_PX * LINE_BOX);

fn room(form: Form) -> f64 {
    match form {
        Form::Roomy => ROOM_ROOMY,
        Form::Compact => ROOM_COMPACT,
    }
}

fn box_size(form: Form) -> (f64, f64) {
    let h = match form {
        Form::Roomy => BOX_H_ROOMY,
        Form::Compact => BOX_H_COMPACT,
    };
    (INSET + room(form) + 8.0, h)
}

/// Whether a node's box is drawn as a box of its own (users, DNS, the outsiders, every
/// component), rather than a host.
fn is_box(t: &Topology, id: NodeId) -> bool {
    t.node(id).kind != NodeKind::Host
}

/// A host's size and how its title bar is laid out.
#[derive(Debug, Clone, Copy)]
struct HostShape {
    w: f64,
    h: f64,
    header: f64,
    path_per_row: usize,
    side_per_row: usize,
    path_rows: usize,
    /// How many marks it holds: on a line of their own under the title bar's others, or
    /// stacked in the place of a box (its column, and its top under the title bar).
    marks: usize,
    marks_line: bool,
    mark_cell: (usize, f64),
    /// HAProxy's view on the first line; with "HAProxy:"; the served count shown.
    check_inline: bool,
    check_long: bool,
    served: bool,
}

fn host_shape(t: &Topology, id: NodeId, form: Form, a: &Arrangement) -> HostShape {
    let kinds: Vec<NodeKind> = t.components_of(id).map(|c| t.node(c).kind).collect();
    let web = t.node(id).role == HostRole::Web;
    let marks = kinds
        .iter()
        .filter(|&&k| a.marks != Marks::No && markable(k))
        .count();
    let sides = kinds.iter().filter(|&&k| aside_the_path(k)).count() - marks;
    let paths = kinds.len() - sides - marks;
    let pp = if web { a.path_per_row } else { 1 }.clamp(1, paths.max(1));
    // Two marks stacked take a box's place: a free one in the last row on the path, or
    // one of their own aside it; or they take a line.
    let in_path = marks > 0 && !paths.is_multiple_of(pp);
    let marks_line = marks > 0 && !in_path && (web || a.marks == Marks::Line);
    let in_side = marks > 0 && !in_path && !marks_line;
    let sp = if web {
        a.side_per_row
    } else {
        a.other_side_per_row
    }
    .clamp(1, (sides + in_side as usize).max(1));
    let path_rows = paths.div_ceil(pp);
    let side_rows = (sides + in_side as usize).div_ceil(sp);
    let right = if path_rows > 1 {
        HOST_CHANNEL
    } else {
        HOST_PAD
    };
    let (bw, bh) = box_size(form);
    let row_w =
        |k: usize| HOST_PAD + k as f64 * bw + k.saturating_sub(1) as f64 * COMPONENT_GAP + right;
    let name_w = text_width(&t.node(id).name, NAME_PX, true);
    let line_1 = NAME_X + name_w + 10.0 + BADGE_ROOM + 14.0;
    let marks_w = if marks_line {
        marks as f64 * (MARK_MIN + COMPONENT_GAP) - COMPONENT_GAP + 2.0 * HOST_PAD
    } else {
        0.0
    };
    let w = row_w(pp.min(paths))
        .max(row_w(sp.min(sides + in_side as usize)))
        .max(line_1)
        .max(marks_w);
    // HAProxy's view of a web host behind a load balancer.
    let checked = web && !t.lb_hosts.is_empty();
    let (check_inline, check_long, served) = if !checked {
        (false, false, false)
    } else if line_1 + 4.0 + SERVED_ROOM + 10.0 + CHECK_LONG <= w {
        (true, true, true)
    } else {
        let long = 24.0 + CHECK_LONG + 14.0 <= w;
        let chip = if long { CHECK_LONG } else { CHECK_SHORT };
        (false, long, 24.0 + chip + 10.0 + SERVED_ROOM + 14.0 <= w)
    };
    let header = if checked && !check_inline {
        HEADER_2
    } else {
        HEADER_1
    } + if marks_line { LINE } else { 0.0 };
    let sides_top = header + path_rows as f64 * (bh + STREET);
    let mark_cell = if in_path {
        (paths % pp, sides_top - bh - STREET)
    } else {
        (
            sides % sp,
            sides_top + (sides / sp) as f64 * (bh + COMPONENT_GAP),
        )
    };
    HostShape {
        w,
        h: sides_top + side_rows as f64 * (bh + COMPONENT_GAP),
        header,
        path_per_row: pp,
        side_per_row: sp,
        path_rows,
        marks,
        marks_line,
        mark_cell,
        check_inline,
        check_long,
        served,
    }
}

/// The words of a component, users, DNS or an outsider, in its box `r`.
fn box_words(form: Form, r: &Rect, kind: NodeKind) -> Labels {
    let x = r.x + INSET;
    let w = room(form);
    let line = |y: f64, h: f64| {
        Some(Rect {
            x,
            y: r.y + y,
            w,
            h,
        })
    };
    let mut l = Labels {
        title: line(6.0, 24.0),
        key: (!matches!(
            kind,
            NodeKind::Users | NodeKind::Attacker | NodeKind::Monitoring
        ))
        .then_some((r.x, r.y + box_size(form).1 / 2.0)),
        ..Labels::default()
    };
    match form {
        Form::Roomy => {
            l.what = line(30.0, 22.0);
            l.badge = line(58.0, PILL_H);
        }
        Form::Compact => {
            l.what = line(30.0, PILL_H);
            l.badge = l.what;
        }
    }
    match kind {
        NodeKind::Users => {
            l.badge = None;
            if form == Form::Roomy {
                l.aside = line(58.0, PILL_H);
            }
            l.icon = Some(Rect {
                x: x + w - 44.0,
                y: r.y + 6.0,
                w: 44.0,
                h: 26.0,
            });
        }
        NodeKind::Mysql if form == Form::Roomy => {
            l.aside = Some(Rect {
                x: x + w - LAG_ROOM,
                y: r.y + 58.0,
                w: LAG_ROOM,
                h: PILL_H,
            });
            l.icon = line(53.0, 3.5);
        }
        // Compact: the lag bar under its line.
        NodeKind::Mysql => l.icon = line(57.0, 3.0),
        _ => {}
    }
    l
}

/// A host's title bar: its name, its badge, and for a backend HAProxy's view and the count
/// it served.
fn host_words(r: &Rect, name: &str, s: &HostShape) -> Labels {
    let name_w = text_width(name, NAME_PX, true);
    let title = Rect {
        x: r.x + NAME_X,
        y: r.y + 7.0,
        w: name_w,
        h: 28.0,
    };
    let badge = Rect {
        x: title.right() + 10.0,
        y: r.y + 8.0,
        w: BADGE_ROOM,
        h: PILL_H,
    };
    let mut l = Labels {
        title: Some(title),
        badge: Some(badge),
        key: Some((r.x + 15.0, r.y + 21.0)),
        ..Labels::default()
    };
    if s.header - s.marks_line as u8 as f64 * LINE == HEADER_1 && !s.check_inline {
        return l;
    }
    let chip_w = if s.check_long {
        CHECK_LONG
    } else {
        CHECK_SHORT
    };
    let (chip, served) = if s.check_inline {
        let chip = Rect {
            x: r.right() - 14.0 - chip_w,
            y: r.y + 8.0,
            w: chip_w,
            h: PILL_H,
        };
        let served = Rect {
            x: chip.x - 10.0 - SERVED_ROOM,
            ..chip
        };
        (chip, served)
    } else {
        let chip = Rect {
            x: r.x + 24.0,
            y: r.y + 42.0,
            w: chip_w,
            h: PILL_H,
        };
        let served = Rect {
            x: chip.right() + 10.0,
            w: SERVED_ROOM,
            ..chip
        };
        (chip, served)
    };
    l.check = Some(chip);
    l.check_long = s.check_long;
    l.served = s.served.then_some(Rect {
        w: SERVED_ROOM,
        ..served
    });
    l
}

/// One column of the drawing: boxes stacked, or the web hosts' grid.
struct Column {
    ids: Vec<NodeId>,
    grid_columns: usize,
}

impl Layout {
    /// The drawing for the default stage's box.
    pub fn of(t: &Topology) -> Layout {
        Layout::fit(t, DEFAULT_BOX.0, DEFAULT_BOX.1, false)
    }

    /// The arrangement for a box `width` × `height` (CSS px): the roomiest that shows the
    /// words at their own size; else a roomier one nearly as large as the largest, unless
    /// that takes them under what a room reads; else the largest. In presenter mode, marks
    /// are tried last, and the largest words win when none is at their own size.
    pub fn fit(t: &Topology, width: f64, height: f64, presenter: bool) -> Layout {
        // Boxes first, for every arrangement; links only for the one chosen.
        let all: Vec<Layout> = Layout::arrangements(t, presenter)
            .into_iter()
            .map(|a| Layout::place(t, a))
            .collect();
        let scale = |l: &Layout| l.scale_in(width, height);
        let best = all.iter().map(scale).fold(0.0, f64::max);
        let good = if best >= TARGET_SCALE {
            TARGET_SCALE
        } else if !presenter && best * ROOMIER_WITHIN >= LEGIBLE_SCALE {
            best * ROOMIER_WITHIN
        } else {
            // Tight: the largest words win.
            best
        };
        let chosen = all.iter().position(|l| scale(l) >= good).unwrap_or(0);
        // Whatever the box's height: the page sizes the box by it.
        let need = if presenter {
            all.iter()
                .filter(|l| l.width <= width)
                .map(|l| l.height)
                .fold(f64::INFINITY, f64::min)
        } else {
            0.0
        };
        // None as narrow: more height would not take the words to their own size.
        let need = if need.is_finite() { need } else { 0.0 };
        let mut layout = all
            .into_iter()
            .nth(chosen)
            .expect("one arrangement at least");
        layout.need = need;
        layout.wire(t);
        layout
    }

    /// How much the drawing is scaled to fit a box (SVG `meet`).
    pub fn scale_in(&self, width: f64, height: f64) -> f64 {
        (width / self.width).min(height / self.height)
    }

    /// The arrangements worth trying, roomiest first: roomy before compact, fewer columns of
    /// web hosts first, more components in a row first; in presenter mode, then the same
    /// with marks.
    fn arrangements(t: &Topology, presenter: bool) -> Vec<Arrangement> {
        let web = t.web_hosts.len().max(1);
        // The most components of a kind a host of these has: on the path, or aside it (but
        // marks).
        let count = |side: bool, marks: bool, hosts: &[NodeId]| {
            hosts
                .iter()
                .map(|&h| {
                    t.components_of(h)
                        .map(|c| t.node(c).kind)
                        .filter(|&k| aside_the_path(k) == side && !(marks && markable(k)))
                        .count()
                })
                .max()
                .unwrap_or(0)
        };
        let others: Vec<NodeId> = t
            .top_level()
            .filter(|&h| t.node(h).kind == NodeKind::Host && !t.web_hosts.contains(&h))
            .collect();
        let paths = count(false, false, &t.web_hosts).clamp(1, 3);
        let with_marks = presenter && t.nodes.iter().any(|n| markable(n.kind));
        // The outsiders may go under the database hosts, with marks.
        let last = t
            .top_level()
            .any(|id| t.node(id).kind == NodeKind::Attacker)
            && t.db_hosts
                .iter()
                .any(|&h| t.node(h).role == HostRole::Database);
        let mut out = Vec::new();
        let ways = if with_marks {
            &[Marks::No, Marks::Line, Marks::Cell][..]
        } else {
            &[Marks::No]
        };
        for outsiders_last in [false, last] {
            for &marks in ways {
                if outsiders_last && marks == Marks::No {
                    continue;
                }
                // The other hosts' marks take a place aside the path (`Cell`).
                let marked = marks != Marks::No;
                let sides = count(true, marked, &t.web_hosts).clamp(1, 3);
                let other_sides =
                    (count(true, marked, &others) + (marks == Marks::Cell) as usize).clamp(1, 3);
                for form in [Form::Roomy, Form::Compact] {
                    for front in [Front::Own, Front::WithDns, Front::Stacked] {
                        for web_columns in 1..=web.min(4) {
                            for path_per_row in (1..=paths).rev() {
                                for side_per_row in (1..=sides).rev() {
                                    for other_side_per_row in (1..=other_sides).rev() {
                                        out.push(Arrangement {
                                            form,
                                            front,
                                            web_columns,
                                            path_per_row,
                                            side_per_row,
                                            other_side_per_row,
                                            marks,
                                            outsiders_last,
                                        });
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if !last {
                break;
            }
        }
        out
    }

    /// The drawing in one arrangement: its boxes and words, without the links.
    fn place(t: &Topology, a: Arrangement) -> Layout {
        let n = t.nodes.len();
        let mut boxes = vec![Rect::default(); n];
        let mut labels = vec![Labels::default(); n];
        let mut shapes: Vec<Option<HostShape>> = vec![None; n];
        let (bw, bh) = box_size(a.form);
        let size = |id: NodeId, shapes: &mut Vec<Option<HostShape>>| -> (f64, f64) {
            if is_box(t, id) {
                return (bw, bh + STREET);
            }
            let s = host_shape(t, id, a.form, &a);
            shapes[id.index()] = Some(s);
            (s.w, s.h)
        };

        // Users and the outsiders; DNS on top of the load balancers (or of the only web
        // host); the web hosts; the database hosts.
        let top: Vec<NodeId> = t.top_level().collect();
        let of_role = |role: HostRole| -> Vec<NodeId> {
            top.iter()
                .copied()
                .filter(|&id| t.node(id).kind == NodeKind::Host && t.node(id).role == role)
                .collect()
        };
        let outsiders: Vec<NodeId> = top
            .iter()
            .copied()
            .filter(|&id| {
                !matches!(
                    t.node(id).kind,
                    NodeKind::Host | NodeKind::Users | NodeKind::Dns
                )
            })
            .collect();
        let mut columns = Vec::new();
        let dbs = of_role(HostRole::Database);
        let (outsiders, last) = if a.outsiders_last && !dbs.is_empty() {
            (Vec::new(), outsiders)
        } else {
            (outsiders, Vec::new())
        };
        if a.front != Front::Stacked {
            let mut ids = vec![t.users];
            if a.front == Front::WithDns {
                ids.insert(0, t.dns);
            }
            ids.extend(&outsiders);
            columns.push(Column {
                ids,
                grid_columns: 1,
            });
        }
        let lbs = of_role(HostRole::LoadBalancer);
        let web = of_role(HostRole::Web);
        let web_columns = a.web_columns.clamp(1, web.len().max(1));
        // DNS on top of the load balancers, or of the only web host; the users on top of
        // it when they have no column of their own, the outsiders at the bottom.
        let mut second = match a.front {
            Front::Own => vec![t.dns],
            Front::WithDns => vec![],
            Front::Stacked => vec![t.users, t.dns],
        };
        if lbs.is_empty() {
            second.extend(&web);
        } else {
            second.extend(lbs);
        }
        if a.front == Front::Stacked {
            second.extend(&outsiders);
        }
        columns.push(Column {
            ids: second,
            grid_columns: 1,
        });
        if !t.lb_hosts.is_empty() {
            columns.push(Column {
                ids: web,
                grid_columns: web_columns,
            });
        }
        if !dbs.is_empty() {
            columns.push(Column {
                ids: [dbs, last].concat(),
                grid_columns: 1,
            });
        }

        let sizes: Vec<Vec<(f64, f64)>> = columns
            .iter()
            .map(|c| c.ids.iter().map(|&id| size(id, &mut shapes)).collect())
            .collect();
        // A grid's cell fits its largest host; its rows keep a gap above and below for the
        // links that run along them.
        let extent = |c: &Column, s: &[(f64, f64)]| -> (f64, f64) {
            if c.grid_columns > 1 {
                let rows = c.ids.len().div_ceil(c.grid_columns);
                let cw = s.iter().map(|s| s.0).fold(0.0, f64::max);
                let ch = s.iter().map(|s| s.1).fold(0.0, f64::max);
                (
                    c.grid_columns as f64 * cw + (c.grid_columns - 1) as f64 * WEB_GAP,
                    rows as f64 * ch + (rows - 1) as f64 * ROW_GAP + ROW_GAP,
                )
            } else {
                let w = s.iter().map(|s| s.0).fold(0.0, f64::max);
                let h = s.iter().map(|s| s.1).sum::<f64>() + ROW_GAP * (s.len() - 1) as f64;
                (w, h)
            }
        };
        let extents: Vec<(f64, f64)> = columns
            .iter()
            .zip(&sizes)
            .map(|(c, s)| extent(c, s))
            .collect();
        let tallest = extents.iter().map(|e| e.1).fold(0.0, f64::max);
        let centre_y = MARGIN + tallest / 2.0;

        let mut column_of = vec![usize::MAX; n];
        let mut cells = vec![None; n];
        let mut column_edges = Vec::new();
        let mut grid = None;
        let mut x = MARGIN;
        for (c, col) in columns.iter().enumerate() {
            let (cw, chh) = extents[c];
            if col.grid_columns > 1 {
                let rows = col.ids.len().div_ceil(col.grid_columns);
                let cell_w = sizes[c].iter().map(|s| s.0).fold(0.0, f64::max);
                let cell_h = sizes[c].iter().map(|s| s.1).fold(0.0, f64::max);
                let top = centre_y - chh / 2.0 + ROW_GAP / 2.0;
                let left: Vec<f64> = (0..col.grid_columns)
                    .map(|g| x + g as f64 * (cell_w + WEB_GAP))
                    .collect();
                for (i, &id) in col.ids.iter().enumerate() {
                    let (g, r) = (i / rows, i % rows);
                    let (w, h) = sizes[c][i];
                    boxes[id.index()] = Rect {
                        x: left[g],
                        y: top + r as f64 * (cell_h + ROW_GAP),
                        w,
                        h,
                    };
                    column_of[id.index()] = column_edges.len() + g;
                    cells[id.index()] = Some(r);
                }
                for &l in &left {
                    column_edges.push((l, l + cell_w));
                }
                grid = Some(Grid {
                    left,
                    cell_w,
                    cell_h,
                    top,
                    rows,
                });
            } else {
                let mut y = centre_y - chh / 2.0;
                for (i, &id) in col.ids.iter().enumerate() {
                    let (w, h) = sizes[c][i];
                    boxes[id.index()] = Rect { x, y, w, h };
                    column_of[id.index()] = column_edges.len();
                    y += h + ROW_GAP;
                }
                column_edges.push((x, x + cw));
            }
            x += cw + COLUMN_GAP;
        }
        // The users' link to DNS turns in the gap between them, where DNS's key number sits
        // on its edge: when the users are higher than DNS's band, their column comes down
        // level with it, if it can.
        if a.front == Front::Own {
            let (u, d) = (boxes[t.users.index()], boxes[t.dns.index()]);
            let by = d.bottom() - u.bottom();
            let column = &columns[0].ids;
            let low = column
                .iter()
                .map(|&id| boxes[id.index()].bottom())
                .fold(0.0, f64::max);
            if by > 0.0
                && u.bottom() < d.y + bh / 2.0 + KEY_R + CLEAR_Y + STREET / 2.0
                && low + by <= MARGIN + tallest
            {
                for &id in column {
                    boxes[id.index()].y += by;
                }
            }
        }

        // Components in rows inside their host, under its title bar; streets under each row.
        let mut rows = vec![0; n];
        let mut streets = vec![Vec::new(); n];
        let mut queues = vec![None; n];
        for &id in &top {
            let r = boxes[id.index()];
            let Some(s) = shapes[id.index()] else {
                labels[id.index()] = box_words(a.form, &r, t.node(id).kind);
                queues[id.index()] = Some(Queue {
                    x: r.x + INSET + room(a.form) / 2.0,
                    y: r.bottom() - STREET / 2.0,
                    half: room(a.form) / 2.0,
                });
                continue;
            };
            labels[id.index()] = host_words(&r, &t.node(id).name, &s);
            let (mut on_path, mut aside, mut marked) = (0, 0, 0.0);
            // Marks share their line, each as wide as it may be; or they are stacked in a
            // box's place.
            let (mark_w, mark_x, mark_y, mark_dx, mark_dy) = if s.marks_line {
                let w = ((r.w - 2.0 * HOST_PAD + COMPONENT_GAP) / s.marks as f64 - COMPONENT_GAP)
                    .min(MARK_MAX);
                (w, HOST_PAD, s.header - LINE - 1.0, w + COMPONENT_GAP, 0.0)
            } else {
                let (col, top) = s.mark_cell;
                let x = HOST_PAD + col as f64 * (bw + COMPONENT_GAP);
                let gap = (bh - 2.0 * MARK_H).min(COMPONENT_GAP);
                (bw, x, top + (bh - gap) / 2.0 - MARK_H, 0.0, MARK_H + gap)
            };
            for c in t.components_of(id) {
                let kind = t.node(c).kind;
                if s.marks > 0 && markable(kind) {
                    let b = Rect {
                        x: r.x + mark_x + marked * mark_dx,
                        y: r.y + mark_y + marked * mark_dy,
                        w: mark_w,
                        h: MARK_H,
                    };
                    marked += 1.0;
                    boxes[c.index()] = b;
                    labels[c.index()] = Labels {
                        badge: Some(Rect {
                            x: b.x + MARK_ICON,
                            y: b.y + 1.0,
                            // In a box's place, its right end where a box's words end.
                            w: b.w - MARK_ICON - if s.marks_line { 1.0 } else { 8.0 },
                            h: PILL_H,
                        }),
                        key: Some((b.x + MARK_ICON / 2.0, b.centre_y())),
                        mark: true,
                        ..Labels::default()
                    };
                    continue;
                }
                let side = aside_the_path(kind);
                let (row, col, y) = if side {
                    let (row, col) = (aside / s.side_per_row, aside % s.side_per_row);
                    aside += 1;
                    let y = s.header
                        + s.path_rows as f64 * (bh + STREET)
                        + row as f64 * (bh + COMPONENT_GAP);
                    (row, col, y)
                } else {
                    let (row, col) = (on_path / s.path_per_row, on_path % s.path_per_row);
                    on_path += 1;
                    (row, col, s.header + row as f64 * (bh + STREET))
                };
                let b = Rect {
                    x: r.x + HOST_PAD + col as f64 * (bw + COMPONENT_GAP),
                    y: r.y + y,
                    w: bw,
                    h: bh,
                };
                boxes[c.index()] = b;
                labels[c.index()] = box_words(a.form, &b, t.node(c).kind);
                if side {
                    continue;
                }
                rows[c.index()] = row;
                queues[c.index()] = Some(Queue {
                    x: b.x + INSET + room(a.form) / 2.0,
                    y: b.bottom() + STREET / 2.0,
                    half: room(a.form) / 2.0,
                });
                if streets[id.index()].len() <= row {
                    streets[id.index()].push(b.bottom() + STREET / 2.0);
                }
            }
        }

        let mut layout = Layout {
            width: 0.0,
            height: 0.0,
            need: 0.0,
            arrangement: Arrangement { web_columns, ..a },
            boxes,
            labels,
            links: Vec::new(),
            queues,
            rows,
            streets,
            columns: column_of,
            cells,
            column_edges,
            grid,
        };
        // Room on the right for the links between hosts of the last column.
        let last = layout.column_edges.len() - 1;
        let lanes = t.links.iter().any(|l| {
            let (a, b) = (t.host_of(l.a), t.host_of(l.b));
            layout.columns[a.index()] == last && layout.columns[b.index()] == last
        });
        let right = layout.column_edges[last].1;
        layout.width = right + if lanes { LANE_0 + LANE + CLEAR_X } else { 0.0 } + MARGIN;
        layout.height = MARGIN + tallest + MARGIN;
        layout
    }

    /// Its links, and where their words go.
    fn wire(&mut self, t: &Topology) {
        let layout = &*self;
        let links = t
            .links
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let (points, sides) = layout.link_points(t, l.a, l.b);
                LinkPlacement {
                    id: LinkId(i as u16),
                    points,
                    label: None,
                    sides,
                }
            })
            .collect();
        self.links = links;
        self.place_link_labels(t);
    }

    pub fn rect(&self, id: NodeId) -> Rect {
        self.boxes[id.index()]
    }

    /// Where requests at a node wait, if they can be there.
    pub fn queue(&self, id: NodeId) -> Option<Queue> {
        self.queues[id.index()]
    }

    /// The point a side of a top-level node's box links from: its queue's band (users,
    /// DNS) or its first street (a host).
    fn side_port(&self, id: NodeId, side: Side) -> (f64, f64) {
        let r = self.rect(id);
        let y = match (self.streets[id.index()].first(), self.queues[id.index()]) {
            (Some(&y), _) => y,
            (None, Some(q)) => q.y,
            (None, None) => r.centre_y(),
        };
        let x = match side {
            Side::Left => r.x,
            Side::Right => r.right(),
        };
        (x, y)
    }

    /// The middle of the gap right of column `c`.
    fn gap_after(&self, c: usize) -> f64 {
        let right = self.column_edges[c].1;
        match self.column_edges.get(c + 1) {
            Some(&(next, _)) => (right + next) / 2.0,
            None => right + COLUMN_GAP / 2.0,
        }
    }

    /// The line of a link between two top-level nodes, and the side it leaves each from:
    /// straight between neighbouring columns; along the grid's gaps past the columns between;
    /// in a lane right of a column between two of its hosts.
    fn link_points(&self, t: &Topology, a: NodeId, b: NodeId) -> (Vec<(f64, f64)>, [Side; 2]) {
        let (a, b) = (t.host_of(a), t.host_of(b));
        let (ca, cb) = (self.columns[a.index()], self.columns[b.index()]);
        if ca == cb {
            let span = match (self.cells[a.index()], self.cells[b.index()]) {
                (Some(ra), Some(rb)) => ra.abs_diff(rb),
                _ => {
                    let (ya, yb) = (self.rect(a).y, self.rect(b).y);
                    t.top_level()
                        .filter(|&h| self.columns[h.index()] == ca)
                        .filter(|&h| {
                            let y = self.rect(h).y;
                            y > ya.min(yb) && y < ya.max(yb)
                        })
                        .count()
                        + 1
                }
            };
            let x = self.column_edges[ca].1 + LANE_0 + LANE * (span - 1).min(1) as f64;
            let (pa, pb) = (
                self.side_port(a, Side::Right),
                self.side_port(b, Side::Right),
            );
            return (
                vec![pa, (x, pa.1), (x, pb.1), pb],
                [Side::Right, Side::Right],
            );
        }
        if ca > cb {
            let (mut points, [sa, sb]) = self.link_points(t, b, a);
            points.reverse();
            return (points, [sb, sa]);
        }
        let (pa, pb) = (
            self.side_port(a, Side::Right),
            self.side_port(b, Side::Left),
        );
        if cb == ca + 1 {
            // Straight out of each side before turning: a dot there stays clear of the words.
            return (
                vec![pa, (pa.0 + STUB, pa.1), (pb.0 - STUB, pb.1), pb],
                [Side::Right, Side::Left],
            );
        }
        // Past columns of web hosts: along the gap above the far host's row, or below the
        // near one's.
        let grid = self
            .grid
            .as_ref()
            .expect("columns between two are the web grid's");
        let k = match (self.cells[b.index()], self.cells[a.index()]) {
            (Some(rb), _) => rb,
            (None, Some(ra)) => ra + 1,
            (None, None) => 0,
        };
        let y = grid.gap_y(k);
        let (xa, xb) = (self.gap_after(ca), self.gap_after(cb - 1));
        (
            vec![pa, (xa, pa.1), (xa, y), (xb, y), (xb, pb.1), pb],
            [Side::Right, Side::Left],
        )
    }

    /// Each link's words go beside its longest stretch, clear of every box, of every dot's
    /// path and of the words placed before; between two hosts of one column, in the gap
    /// between them. Nowhere, if no place is clear.
    fn place_link_labels(&mut self, t: &Topology) {
        let mut taken: Vec<Rect> = self.boxes.clone();
        let mut paths: Vec<Vec<(f64, f64)>> = self.links.iter().map(|l| l.points.clone()).collect();
        // And a host's channel, where its requests change rows, near its right side.
        for h in t.top_level() {
            if let [first, .., last] = self.streets[h.index()][..] {
                let x = self.rect(h).right() - HOST_CHANNEL / 2.0;
                paths.push(vec![(x, first), (x, last)]);
            }
        }
        let (width, height) = (self.width, self.height);
        let clear = |r: &Rect, taken: &[Rect]| {
            let inside = r.x >= 0.0 && r.y >= 0.0 && r.right() <= width && r.bottom() <= height;
            inside && !taken.iter().any(|o| o.overlaps(r)) && !paths.iter().any(|p| path_near(p, r))
        };
        // Words a link always carries first (DNS, the Internet, VRRP), then the database
        // links' (replication); a backend link has none of its own.
        let mut order: Vec<usize> = (0..self.links.len())
            .filter(|&i| t.link(self.links[i].id).role != LinkRole::Backend)
            .collect();
        order.sort_by_key(|&i| t.link(self.links[i].id).role == LinkRole::Data);
        for i in order {
            let link = t.link(self.links[i].id);
            let (a, b) = (t.host_of(link.a), t.host_of(link.b));
            let mut tries = Vec::new();
            if self.columns[a.index()] == self.columns[b.index()] {
                let (ra, rb) = (self.rect(a), self.rect(b));
                let (upper, lower) = if ra.y < rb.y { (ra, rb) } else { (rb, ra) };
                let neighbours = !t.top_level().any(|h| {
                    self.columns[h.index()] == self.columns[a.index()]
                        && self.rect(h).y > upper.y
                        && self.rect(h).y < lower.y
                });
                if neighbours {
                    let y = (upper.bottom() + lower.y) / 2.0 + 6.0;
                    tries.push(LinkLabel {
                        x: upper.centre_x().max(lower.centre_x()),
                        y,
                        anchor: "middle",
                    });
                }
            } else {
                // Beside each stretch, longest first; then beside either end's box.
                let p = &self.links[i].points;
                let mut stretches: Vec<((f64, f64), (f64, f64))> =
                    p.windows(2).map(|w| (w[0], w[1])).collect();
                stretches.sort_by(|x, y| seg_len(y).total_cmp(&seg_len(x)));
                for (s, e) in stretches {
                    let (mx, my) = ((s.0 + e.0) / 2.0, (s.1 + e.1) / 2.0);
                    let (dx, dy) = (e.0 - s.0, e.1 - s.1);
                    if dx.abs() >= dy.abs() {
                        // Above or below it, as far as its slope needs.
                        let d = CLEAR_Y + 3.0 + (dy / dx).abs() * LINK_WORDS_W / 2.0;
                        tries.push(LinkLabel {
                            x: mx,
                            y: my - d - 5.0,
                            anchor: "middle",
                        });
                        tries.push(LinkLabel {
                            x: mx,
                            y: my + d + 17.0,
                            anchor: "middle",
                        });
                    } else {
                        let d = CLEAR_X + 3.0 + (dx / dy).abs() * LINK_WORDS_H / 2.0;
                        tries.push(LinkLabel {
                            x: mx + d,
                            y: my + 6.0,
                            anchor: "start",
                        });
                        tries.push(LinkLabel {
                            x: mx - d,
                            y: my + 6.0,
                            anchor: "end",
                        });
                    }
                }
                for (end, side) in [(a, self.links[i].sides[0]), (b, self.links[i].sides[1])] {
                    let r = self.rect(end);
                    let (x, anchor) = match side {
                        Side::Left => (r.x - 6.0, "end"),
                        Side::Right => (r.right() + 6.0, "start"),
                    };
                    for y in [r.y + 20.0, r.bottom() - 4.0, r.y - 8.0, r.bottom() + 24.0] {
                        tries.push(LinkLabel { x, y, anchor });
                    }
                }
            }
            let chosen = tries.into_iter().find(|l| clear(&l.rect(), &taken));
            if let Some(l) = chosen {
                taken.push(l.rect());
            }
            self.links[i].label = chosen;
        }
    }

    /// The points from a node's queue to the side of its host (or box) a link leaves from.
    fn to_side(&self, t: &Topology, id: NodeId, side: Side) -> Vec<(f64, f64)> {
        let host = t.host_of(id);
        let end = self.side_port(host, side);
        let Some(q) = self.queues[id.index()] else {
            return vec![end];
        };
        let mut out = vec![(q.x, q.y)];
        let row = self.rows[id.index()];
        if host != id && row > 0 {
            let x = self.rect(host).right() - HOST_CHANNEL / 2.0;
            out.push((x, q.y));
            out.push((x, end.1));
        }
        out.push(end);
        out
    }

    /// The points from one component's queue to another's on the same host.
    fn within(&self, t: &Topology, from: NodeId, to: NodeId) -> Vec<(f64, f64)> {
        let (Some(a), Some(b)) = (self.queues[from.index()], self.queues[to.index()]) else {
            return vec![self.centre(from), self.centre(to)];
        };
        let mut out = vec![(a.x, a.y)];
        if a.y != b.y {
            let x = self.rect(t.host_of(from)).right() - HOST_CHANNEL / 2.0;
            out.push((x, a.y));
            out.push((x, b.y));
        }
        out.push((b.x, b.y));
        out
    }

    pub fn centre(&self, id: NodeId) -> (f64, f64) {
        let r = self.rect(id);
        (r.centre_x(), r.centre_y())
    }

    /// The path of a hop from `from` to `to` (SPEC U1): from its queue, along its host's
    /// street to the link, along the link, and into the other's queue.
    pub fn route(&self, t: &Topology, from: NodeId, to: NodeId) -> Route {
        let (ha, hb) = (t.host_of(from), t.host_of(to));
        let link = (ha != hb).then(|| t.link_between(ha, hb)).flatten();
        let points = match link {
            None if ha == hb => self.within(t, from, to),
            None => vec![self.centre(from), self.centre(to)],
            Some(link) => {
                let placed = &self.links[link.index()];
                let forward = t.link(link).a == ha;
                let (line, sa, sb): (Vec<(f64, f64)>, Side, Side) = if forward {
                    (placed.points.clone(), placed.sides[0], placed.sides[1])
                } else {
                    let mut p = placed.points.clone();
                    p.reverse();
                    (p, placed.sides[1], placed.sides[0])
                };
                let mut points = self.to_side(t, from, sa);
                points.extend(line);
                let mut back = self.to_side(t, to, sb);
                back.reverse();
                points.extend(back);
                points
            }
        };
        Route::new(points)
    }
}

fn seg_len(&((x1, y1), (x2, y2)): &((f64, f64), (f64, f64))) -> f64 {
    ((x2 - x1).powi(2) + (y2 - y1).powi(2)).sqrt()
}

/// Whether a dot anywhere on the line `points` (a count badge centred there included) would
/// cover part of `r`.
pub fn path_near(points: &[(f64, f64)], r: &Rect) -> bool {
    let grown = Rect {
        x: r.x - CLEAR_X,
        y: r.y - CLEAR_Y,
        w: r.w + 2.0 * CLEAR_X,
        h: r.h + 2.0 * CLEAR_Y,
    };
    points.windows(2).any(|w| segment_hits(w[0], w[1], &grown))
        || points.first().is_some_and(|&(x, y)| {
            grown.x < x && x < grown.right() && grown.y < y && y < grown.bottom()
        })
}

/// Whether the segment from `a` to `b` passes through the open box `r` (Liang–Barsky).
fn segment_hits(a: (f64, f64), b: (f64, f64), r: &Rect) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - r.x),
        (dx, r.right() - a.0),
        (-dy, a.1 - r.y),
        (dy, r.bottom() - a.1),
    ] {
        if p == 0.0 {
            if q <= 0.0 {
                return false;
            }
        } else {
            let u = q / p;
            if p < 0.0 {
                t0 = t0.max(u);
            } else {
                t1 = t1.min(u);
            }
        }
    }
    t0 < t1
}

/// The path of one hop: points, and the length walked at each.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    points: Vec<(f64, f64)>,
    /// Cumulative length at each point; `cum[0] == 0`.
    cum: Vec<f64>,
}

impl Route {
    fn new(mut points: Vec<(f64, f64)>) -> Route {
        points.dedup();
        let mut cum = Vec::with_capacity(points.len());
        let mut total = 0.0;
        for (i, p) in points.iter().enumerate() {
            if i > 0 {
                total += seg_len(&(points[i - 1], *p));
            }
            cum.push(total);
        }
        Route { points, cum }
    }

    pub fn points(&self) -> &[(f64, f64)] {
        &self.points
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use foobar_sim::scenario::{LbPair, Preset};
    use foobar_sim::Scenario;

    /// Every design the Settings tab offers (SPEC W3): each preset with 1 to 8 web hosts and
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
                    out.push((name, Topology::build(&s)));
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

    /// Every hop a request or a binlog event can make (MODEL.md's request flow).
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

    /// SPEC W1: every node has a box of its own inside the drawing; components sit inside
    /// their host and apart; hosts, users and DNS never overlap.
    #[test]
    fn w1_every_node_has_a_box_of_its_own() {
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
                    let nested =
                        a.host == Some(NodeId(j as u16)) || b.host == Some(NodeId(i as u16));
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

    /// SPEC U1: a node's words (its badges and key number too) stay inside it, clear of its
    /// components, and no two overlap; a link's words overlap no box and stay on the drawing.
    #[test]
    fn u1_words_stay_in_their_box() {
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

    /// SPEC U1: no dot ever covers a word. Every point of every hop's path, every place a
    /// request waits in a queue, and a count badge at any of them, keep clear of every
    /// node's words and badges and of every link's words, in every design and every box.
    #[test]
    fn u1_no_dot_covers_a_word() {
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
    fn w2_links_go_around_boxes() {
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

    /// SPEC U7: in presenter mode at 1920×1080, alone or with a lesson open, every design's
    /// words are at least 18 px on screen: the smallest font size (`WORDS_PX`) times the
    /// drawing's scale, in the stage's box, or in the taller one the page gives a design that
    /// needs it.
    #[test]
    fn u7_presenter_words_are_18_px_for_every_design() {
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
    fn u7_marks_only_in_presenter_mode() {
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
        let t = Topology::build(&s);
        let l = Layout::fit(&t, PRESENTER.0, PRESENTER.1, true);
        assert_ne!(l.arrangement.marks, Marks::No);
        let firewall = t.node_by_name("web-08/firewall").unwrap();
        assert!(l.labels[firewall.index()].mark);
    }

    /// The three-server design reads at its words' own size in presenter mode, roomy.
    #[test]
    fn u7_the_default_design_is_roomy_in_presenter_mode() {
        let t = Topology::build(&Scenario::three_server());
        let l = Layout::fit(&t, PRESENTER.0, PRESENTER.1, true);
        assert_eq!(l.arrangement.form, Form::Roomy);
        assert!(l.scale_in(PRESENTER.0, PRESENTER.1) >= 1.0);
    }

    /// Columns follow a request: users, DNS, the load balancer, the web hosts, left to right.
    #[test]
    fn columns_follow_the_request_path() {
        let t = Topology::build(&Scenario::three_server());
        let l = Layout::of(&t);
        let x = |name: &str| l.rect(t.node_by_name(name).unwrap()).x;
        assert!(x("users") < x("dns"));
        assert!(x("dns") <= x("lb-01"));
        assert!(x("lb-01") < x("web-01"));
        assert_eq!(x("web-01"), x("web-02"));
        let y = |name: &str| l.rect(t.node_by_name(name).unwrap()).y;
        assert!(y("web-01") < y("web-02"));
    }

    /// SPEC U1: a dot's hop runs from its node's queue, along the link between the two
    /// hosts, into the other's queue; back the same way.
    #[test]
    fn u1_routes_follow_the_links() {
        let t = Topology::build(&Scenario::three_server());
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
        let t = Topology::build(&s);
        let l = Layout::fit(&t, PRESENTER.0, PRESENTER.1, true);
        assert!(l.arrangement.web_columns > 1, "{:?}", l.arrangement);
    }

    #[test]
    fn text_width_is_never_short_of_dejavu() {
        // DejaVu Sans Bold at 18 px: "✕ CRASHED" is 118 px wide.
        assert!(text_width("✕ CRASHED", 18.0, true) >= 118.0);
        assert!(text_width("App server", 20.0, true) >= 123.0);
    }
}
