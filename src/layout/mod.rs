//! Where each node and link of a `Topology` sits on the diagram, where its words go, and the
//! paths the request dots follow.
//!
//! Pure geometry, no DOM. Columns left to right follow a request: users; DNS on top of the
//! load balancers; the web hosts, in one column or a grid of several; the database hosts. A
//! host's components sit in rows inside its box, with a street under each row. Words go
//! inside boxes; dots go only where no word is: the queues on the streets, the channels
//! between hosts, the links (tested below for every design the page offers). Units are SVG
//! user units, CSS pixels at scale 1: `Layout::fit` picks the arrangement that shows the words
//! largest in the stage's box. In presenter mode it may also draw the firewalls and
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
/// A request count on the canvas, bold: the smallest words too.
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

/// Which words a box shows: `Roomy` says what it is on a line of its own, with
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

/// Where a node's words go: each a box the words fit in (longer words are pressed
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

mod fit;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
