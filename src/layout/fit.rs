//! Where everything goes: each arrangement a design can take (web hosts in columns, compact
//! boxes, marks), the one that shows the words largest in the stage's box, the links' routes
//! around the boxes, and the places dots move and wait.

use super::*;

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
        let data = |i: &usize| t.link(self.links[*i].id).role == LinkRole::Data;
        sort_few(&mut order, |x, y| !data(x) && data(y));
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
                sort_few(&mut stretches, |x, y| seg_len(x) > seg_len(y));
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

    /// The path of a hop from `from` to `to`: from its queue, along its host's
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

/// Sorts a few items (a design's links, a route's stretches), stably: `before(x, y)` when x
/// goes first. Insertion sort on purpose: std's stable sort costs the page about 1.5 KB
/// gzipped per element type (measured with bench/size), for lists of a dozen.
fn sort_few<T>(v: &mut [T], before: impl Fn(&T, &T) -> bool) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && before(&v[j], &v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}
