//! The page as a class meets it: at 1280×800, 1024×768 and
//! 1920×1080, and in presenter mode at 1920×1080, in the states that crowd it (a busy run, a
//! lesson open, lb-01 crashed, the Settings and HAProxy stats tabs, reduced motion's counts,
//! after Copy link, the scaled-up design with 8 web hosts and a pair of load balancers, the
//! secured one with 8 web hosts and a firewall crashed). At each, the DOM is read for what a
//! person would see wrong: two labels, badges or controls on top of each other, something cut
//! off, a request dot drawn over a label, and in presenter mode diagram text under 18 px.
//! Screenshots of each go to `target/e2e/layout-*.png`.

use std::time::Duration;

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::json;

use crate::live::type_slowly;
use crate::support::*;

/// The sizes a class meets the page at: (width, height, presenter mode).
const VIEWPORTS: &[(u32, u32, bool)] = &[
    (1280, 800, false),
    (1024, 768, false),
    (1920, 1080, false),
    (1920, 1080, true),
];

/// The smallest diagram text a room can read from the back in presenter mode.
const PRESENTER_MIN_PX: f64 = 18.0;

/// Reads the page as it stands and returns what is wrong with it, one line each.
///
/// - Units: every visible line of text outside the diagram (each text node's line boxes),
///   every button, input and select, and in the diagram every text and every badge (a badge
///   with its words is one unit). A unit scrolled out of its panel is not visible; one under a
///   fixed overlay (a dialog, a message) is covered, not overlapping.
/// - Overlap: two units whose boxes share more than 1 × 2 px, neither inside the other.
/// - Cut off: text wider than its box where the box hides overflow; a control or text cut by
///   its scroll box sideways, or outside the window sideways; the page wider than the window;
///   diagram text outside the SVG, or outside its node's box, or a badge's words outside it;
///   a select's chosen words wider than the select.
/// - Dots: canvas pixels painted over a diagram label or badge.
/// - Size (presenter mode): diagram text whose font size on screen (its computed font size
///   times the SVG's scale) is under 18 px; the smallest is printed, with its box's height.
const AUDIT: &str = r#"
const [presenter, minPx] = arguments;
const vw = document.documentElement.clientWidth, vh = window.innerHeight;
const problems = [];
const say = (kind, what) => { if (problems.length < 60) problems.push(kind + ': ' + what); };
const svg = document.querySelector('svg.diagram');
const name = el => {
  const node = el.closest && el.closest('[data-node]');
  const words = (el.textContent || el.value || el.getAttribute('aria-label') || el.tagName).trim().replace(/\s+/g, ' ').slice(0, 40);
  return (node ? node.getAttribute('data-node') + ' ' : '') + JSON.stringify(words);
};
// Whether a scroll box shows a scrollbar to scroll it sideways, itself in view.
const scrollbarShown = a => {
  const s = getComputedStyle(a);
  if (s.overflowX !== 'auto' && s.overflowX !== 'scroll') return false;
  if (a.offsetHeight - a.clientHeight - a.clientTop * 2 < 4) return false;
  const r = a.getBoundingClientRect();
  const c = clipOf(a, r, false);
  return c.y2 >= r.bottom - 1;
};
// The part of a box that its overflow-hiding ancestors let show (`self`: its own too).
function clipOf(el, r, self) {
  let [x1, y1, x2, y2] = [r.left, r.top, r.right, r.bottom];
  let sideways = false;
  for (let a = self ? el : el.parentElement; a && a !== document.body; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
    const c = a.getBoundingClientRect();
    const isSvg = a instanceof SVGElement;
    const cx1 = c.left + (isSvg ? 0 : a.clientLeft), cy1 = c.top + (isSvg ? 0 : a.clientTop);
    const cx2 = isSvg ? c.right : cx1 + a.clientWidth, cy2 = isSvg ? c.bottom : cy1 + a.clientHeight;
    if (s.overflowX !== 'visible') {
      if ((x1 < cx1 - 1 || x2 > cx2 + 1) && !scrollbarShown(a)) sideways = true;
      x1 = Math.max(x1, cx1); x2 = Math.min(x2, cx2);
    }
    if (s.overflowY !== 'visible') { y1 = Math.max(y1, cy1); y2 = Math.min(y2, cy2); }
  }
  return { x1, y1, x2, y2, sideways, empty: x2 - x1 < 1 || y2 - y1 < 1 };
}
const shown = el => {
  for (let a = el; a && a.nodeType === 1; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false;
    if (a.classList && a.classList.contains('sr-only')) return false;
  }
  return true;
};
// Under a fixed overlay that is not its own: covered, so neither seen nor overlapping.
const covered = (el, r) => {
  const x = (r.x1 + r.x2) / 2, y = (r.y1 + r.y2) / 2;
  if (x < 0 || y < 0 || x >= vw || y >= vh) return false;
  const hit = document.elementFromPoint(x, y);
  if (!hit || el.contains(hit) || hit.contains(el)) return false;
  for (let a = hit; a && a.nodeType === 1; a = a.parentElement) {
    if (getComputedStyle(a).position === 'fixed') return !a.contains(el);
  }
  return false;
};
const units = [];
const add = (el, rect, kind) => {
  // A line of text is cut by its own element too; a control only by those around it.
  const c = clipOf(el, rect, kind === 'text');
  // A control needs no sideways scrolling to be reached: hidden or cut off sideways, it
  // is a problem even where a scrollbar shows.
  if (kind === 'control' && c.y2 - c.y1 >= 1 && c.x2 - c.x1 < rect.width - 1) {
    say('control cut off sideways', name(el));
  }
  if (c.empty) return;
  if (covered(el, c)) return;
  units.push({ el, kind, x1: c.x1, y1: c.y1, x2: c.x2, y2: c.y2, sideways: c.sideways });
};
// Outside the diagram: text line by line, and the controls.
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let t = walker.nextNode(); t; t = walker.nextNode()) {
  const el = t.parentElement;
  if (!t.textContent.trim() || !el || el.closest('svg, option, script, style, select')) continue;
  if (!shown(el)) continue;
  const range = document.createRange();
  range.selectNodeContents(t);
  for (const r of range.getClientRects()) if (r.width > 0.5 && r.height > 0.5) add(el, r, 'text');
}
for (const el of document.querySelectorAll('button, input:not([type=hidden]), select, textarea')) {
  if (!shown(el)) continue;
  const r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) continue;
  // A file input hidden inside its label is the label's.
  if (getComputedStyle(el).opacity === '0') continue;
  add(el, r, 'control');
}
// The diagram: badges and check chips whole, and every other text.
const diagramUnits = [];
if (svg) {
  for (const el of svg.querySelectorAll('.badge, .check, .key-number, text')) {
    if (el.tagName === 'text' && el.closest('.badge, .check, .key-number')) continue;
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 0.5 || r.height < 0.5) continue;
    add(el, r, 'diagram');
    diagramUnits.push(el);
  }
}
// Overlaps. A message floating over the page (position: fixed) may cover what is under it.
const floating = el => {
  for (let a = el; a && a.nodeType === 1; a = a.parentElement) {
    if (getComputedStyle(a).position === 'fixed') return a;
  }
  return null;
};
for (const u of units) u.layer = floating(u.el);
for (let i = 0; i < units.length; i++) {
  for (let j = i + 1; j < units.length; j++) {
    const a = units[i], b = units[j];
    if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
    if (a.layer !== b.layer) continue;
    const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
    const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
    if (w > 1 && h > 2) say('overlap', name(a.el) + ' and ' + name(b.el) + ` (${w.toFixed(0)}×${h.toFixed(0)} px)`);
  }
}
// Cut off: by a scroll box or the window, sideways.
for (const u of units) {
  if (u.kind === 'diagram') continue;
  if (u.sideways) say('cut off sideways by its box', name(u.el));
  if (u.kind === 'control' && (u.x1 < -1 || u.x2 > vw + 1)) say('control outside the window', name(u.el));
}
if (document.scrollingElement.scrollWidth > vw + 1) say('cut off', `the page is ${document.scrollingElement.scrollWidth} px wide in a ${vw} px window`);
// Cut off: text wider than a box that hides its overflow.
for (const el of document.querySelectorAll('body *')) {
  if (el.closest('svg') || !shown(el)) continue;
  const s = getComputedStyle(el);
  if (s.overflowX !== 'hidden' && s.overflowX !== 'clip' && s.textOverflow !== 'ellipsis') continue;
  if (!el.textContent.trim() || el.classList.contains('sr-only')) continue;
  if (el.scrollWidth > el.clientWidth + 1) say('text cut off', name(el));
}
// A select's chosen words wider than the select.
const measure = document.createElement('canvas').getContext('2d');
for (const el of document.querySelectorAll('select')) {
  if (!shown(el) || !el.selectedOptions[0]) continue;
  const s = getComputedStyle(el);
  measure.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
  const need = measure.measureText(el.selectedOptions[0].textContent).width;
  const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - 18;
  if (need > room + 1) say('select cut off', name(el) + ` needs ${need.toFixed(0)} px, has ${room.toFixed(0)}`);
}
// The diagram's own: text inside the SVG, inside its node's box, a badge's words inside it.
if (svg) {
  const s = svg.getBoundingClientRect();
  const inside = (r, b, slack) => r.left >= b.left - slack && r.top >= b.top - slack && r.right <= b.right + slack && r.bottom <= b.bottom + slack;
  for (const el of diagramUnits) {
    const r = el.getBoundingClientRect();
    if (!inside(r, s, 0.5)) { say('diagram text cut by the SVG', name(el)); continue; }
    const node = el.closest('.node');
    const box = node && node.querySelector(':scope > rect.box, :scope > rect.host-box');
    if (box && el.parentElement.closest('.node') === node && !el.closest('.key-number') && !inside(r, box.getBoundingClientRect(), 1)) {
      say('outside its box', name(el));
    }
  }
  for (const g of svg.querySelectorAll('.badge, .check')) {
    const pill = g.querySelector('rect'), words = g.querySelector('text');
    if (pill && words && shown(g) && !inside(words.getBoundingClientRect(), pill.getBoundingClientRect(), 0.5)) {
      say('badge words outside the badge', name(g));
    }
  }
}
// Dots and counts painted over a label or a badge.
const canvas = document.querySelector('canvas.dots');
if (canvas && svg && canvas.width > 0 && canvas.height > 0) {
  const cr = canvas.getBoundingClientRect();
  const kx = canvas.width / cr.width, ky = canvas.height / cr.height;
  // A copy read once (reading the page's own canvas back warns in the console).
  const copy = document.createElement('canvas');
  copy.width = canvas.width; copy.height = canvas.height;
  const cx = copy.getContext('2d', { willReadFrequently: true });
  cx.drawImage(canvas, 0, 0);
  const img = cx.getImageData(0, 0, canvas.width, canvas.height);
  for (const el of diagramUnits) {
    const r = el.getBoundingClientRect();
    const x1 = Math.max(0, Math.ceil((r.left - cr.left) * kx) + 1), x2 = Math.min(canvas.width, Math.floor((r.right - cr.left) * kx) - 1);
    const y1 = Math.max(0, Math.ceil((r.top - cr.top) * ky) + 1), y2 = Math.min(canvas.height, Math.floor((r.bottom - cr.top) * ky) - 1);
    let painted = 0;
    for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) if (img.data[(y * canvas.width + x) * 4 + 3] > 0) painted++;
    if (painted > 0) say('drawn over by the dots', name(el) + ` (${painted} px)`);
  }
}
// The diagram's smallest words (font size on screen, and the height of their box); in
// presenter mode every font size on screen at least minPx.
let smallest = null;
if (svg) {
  const k = svg.getScreenCTM().a;
  for (const t of svg.querySelectorAll('text')) {
    if (!shown(t)) continue;
    const px = parseFloat(getComputedStyle(t).fontSize) * k;
    const h = t.getBoundingClientRect().height;
    if (smallest === null || px < smallest[0]) smallest = [px, h];
    if (presenter && px < minPx - 0.05) say('too small', name(t) + ` ${px.toFixed(1)} px (box ${h.toFixed(1)} px)`);
  }
}
const fig = document.querySelector('.stage-figure');
const box = fig ? [fig.clientWidth, fig.clientHeight] : null;
return { problems, smallest, units: units.length, box };
"#;

/// What the audit found at one viewport in one state.
async fn audit(
    client: &Client,
    presenter: bool,
) -> Outcome<(Vec<String>, Option<(f64, f64)>, String)> {
    let v = client
        .execute(AUDIT, vec![json!(presenter), json!(PRESENTER_MIN_PX)])
        .await
        .map_err(err)?;
    let problems = v["problems"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let smallest = v["smallest"][0].as_f64().zip(v["smallest"][1].as_f64());
    Ok((problems, smallest, v["box"].to_string()))
}

async fn presenter_on(client: &Client) -> Outcome<bool> {
    Ok(attr(client, "[data-action=\"presenter\"]", "aria-pressed")
        .await?
        .as_deref()
        == Some("true"))
}

/// Lets the page take a new size or mode: a few frames, and Yew's render after them.
async fn settle(client: &Client) -> Outcome {
    let frames = "const done = arguments[arguments.length - 1]; \
                  requestAnimationFrame(() => requestAnimationFrame(() => \
                  setTimeout(() => requestAnimationFrame(() => done(0)), 250)));";
    client.execute_async(frames, vec![]).await.map_err(err)?;
    Ok(())
}

/// Audits the page in its present state at every viewport, with a screenshot of each;
/// a lesson's states also check that the log is in view. Every problem goes to `problems`,
/// each with where it was seen.
async fn at_every_size(client: &Client, state: &str, problems: &mut Vec<String>) -> Outcome {
    for &(w, h, presenter) in VIEWPORTS {
        set_viewport(client, w, h).await?;
        if presenter_on(client).await? != presenter {
            click(client, "[data-action=\"presenter\"]").await?;
        }
        js(client, "window.scrollTo(0, 0); return 0;").await?;
        settle(client).await?;
        let mode = if presenter { "-presenter" } else { "" };
        let at = format!("{state} at {w}×{h}{mode}");
        let (found, smallest, stage) = audit(client, presenter).await?;
        problems.extend(found.into_iter().map(|p| format!("{at}: {p}")));
        if let Some((px, h)) = smallest {
            println!(
                "{at}: the diagram's box {stage}, its smallest words {px:.1} px ({h:.1} px high)"
            );
        }
        if state.starts_with("lesson") {
            problems.extend(log_in_view(client).await?.map(|p| format!("{at}: {p}")));
        }
        screenshot(client, w, h, &format!("layout-{state}-{w}x{h}{mode}")).await?;
        // A tab open: the page scrolled to it, to look at.
        if matches!(state, "settings" | "stats") && !presenter {
            js(
                client,
                "document.querySelector('.tabs-panel').scrollIntoView(); return 0;",
            )
            .await?;
            screenshot(client, w, h, &format!("layout-{state}-{w}x{h}-scrolled")).await?;
            js(
                client,
                "const b = document.querySelector('.tab-body'); b.scrollTop = b.scrollHeight; \
                 document.scrollingElement.scrollTop = 1e6; return 0;",
            )
            .await?;
            screenshot(client, w, h, &format!("layout-{state}-{w}x{h}-end")).await?;
        }
    }
    if presenter_on(client).await? {
        click(client, "[data-action=\"presenter\"]").await?;
    }
    set_viewport(client, 1280, 800).await?;
    settle(client).await
}

/// A lesson's steps say "watch the log": its newest line (or, before any, its heading) must
/// be on screen with the lesson.
async fn log_in_view(client: &Client) -> Outcome<Option<String>> {
    let v = js(
        client,
        "const log = document.querySelector('.log-panel'); \
         if (!log) return 'no event log'; \
         const first = document.querySelector('.log tbody tr') || log.querySelector('h2'); \
         const r = first.getBoundingClientRect(); \
         return r.top >= 0 && r.bottom <= window.innerHeight ? null \
           : `the log's newest line is at ${Math.round(r.top)}–${Math.round(r.bottom)} px, \
              outside a ${window.innerHeight} px window`;",
    )
    .await?;
    Ok(v.as_str().map(str::to_string))
}

async fn select(client: &Client, selector: &str, value: &str) -> Outcome {
    client
        .find(Locator::Css(selector))
        .await
        .map_err(|e| format!("find {selector}: {e}"))?
        .select_by_value(value)
        .await
        .map_err(|e| format!("choose {value} in {selector}: {e}"))
}

/// Types a value into a setting's box and commits it with Tab, as a person does.
async fn set_number(client: &Client, option: &str, value: &str) -> Outcome {
    let selector = format!("input[data-option=\"{option}\"]");
    click(client, &selector).await?;
    press(client, &[char::from(Key::Control), 'a']).await?;
    type_slowly(client, value).await?;
    press(client, &[char::from(Key::Tab)]).await
}

async fn tab(client: &Client, name: &str) -> Outcome {
    click(client, &format!("[data-tab=\"{name}\"]")).await
}

/// Waits for a node of a new run to be drawn (a design change starts one).
async fn wait_for_node(client: &Client, node: &str) -> Outcome {
    wait_for(node, Duration::from_secs(10), || async {
        Ok(node_attr(client, node, "data-node").await?.map(|_| ()))
    })
    .await
}

/// The walk itself. Every problem of every state and size is gathered
/// before the walk fails, so one run shows them all.
pub async fn readable_at_every_size(client: &Client, server: &StaticServer) -> Outcome {
    set_viewport(client, 1280, 800).await?;
    client.goto(&server.url("/")).await.map_err(err)?;
    wait_for_diagram(client).await?;
    let mut problems = Vec::new();

    // A busy run: 100 requests a second, queues at the app servers.
    tab(client, "settings").await?;
    set_number(client, "rate", "100").await?;
    tab(client, "metrics").await?;
    tokio::time::sleep(Duration::from_secs(6)).await;
    at_every_size(client, "busy", &mut problems).await?;

    tab(client, "settings").await?;
    at_every_size(client, "settings", &mut problems).await?;
    tab(client, "stats").await?;
    at_every_size(client, "stats", &mut problems).await?;

    // lb-01 crashed, by a click on it.
    click(client, "[data-node=\"lb-01\"] > .host-name").await?;
    wait_node_attr(
        client,
        "lb-01",
        "data-state",
        "crashed",
        Duration::from_secs(2),
    )
    .await?;
    at_every_size(client, "lb-crashed", &mut problems).await?;
    click(client, "[data-node=\"lb-01\"] > .host-name").await?;
    wait_node_attr(client, "lb-01", "data-state", "up", Duration::from_secs(2)).await?;

    // Reduced motion: counts at each node instead of moving dots.
    tab(client, "settings").await?;
    select(client, "#set-prefers-reduced-motion", "counts").await?;
    tab(client, "metrics").await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    at_every_size(client, "counts", &mut problems).await?;
    tab(client, "settings").await?;
    select(client, "#set-prefers-reduced-motion", "dots").await?;
    tab(client, "metrics").await?;

    // Copy link: its message must not move the page under the pointer.
    js(client, "window.scrollTo(0, 0); return 0;").await?;
    let stage_top = "return document.querySelector('.stage').getBoundingClientRect().top \
                     + window.scrollY;";
    let before = js(client, stage_top).await?.as_f64().unwrap_or(0.0);
    click(client, ".classroom-bar [data-action=\"share\"]").await?;
    wait_for("the message", Duration::from_secs(3), || async {
        attr(client, "[data-notice]", "data-notice").await
    })
    .await?;
    let after = js(client, stage_top).await?.as_f64().unwrap_or(0.0);
    if (after - before).abs() > 0.5 {
        problems.push(format!(
            "copy link at 1280×800: the message moved the diagram down by {:.0} px",
            after - before
        ));
    }
    at_every_size(client, "copied", &mut problems).await?;

    // The scaled-up design with 8 web hosts, then with both load balancers active, busy.
    tab(client, "settings").await?;
    select(client, "select[data-option=\"preset\"]", "3").await?;
    wait_for_node(client, "db-02").await?;
    set_number(client, "web_hosts", "8").await?;
    wait_for_node(client, "web-08").await?;
    set_number(client, "rate", "100").await?;
    tab(client, "metrics").await?;
    tokio::time::sleep(Duration::from_secs(5)).await;
    at_every_size(client, "scaled-up-8", &mut problems).await?;
    tab(client, "settings").await?;
    select(client, "select[data-option=\"lb pair\"]", "2").await?;
    wait_for_node(client, "lb-02").await?;
    tab(client, "metrics").await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    at_every_size(client, "active-active-8", &mut problems).await?;

    // The secured design with 8 web hosts and an active-passive pair, busy, web-02's firewall
    // crashed: in presenter mode the firewalls and agents are marks, the crashed one says so.
    tab(client, "settings").await?;
    select(client, "select[data-option=\"preset\"]", "2").await?;
    wait_for_node(client, "web-01/firewall").await?;
    set_number(client, "web_hosts", "8").await?;
    wait_for_node(client, "web-08").await?;
    select(client, "select[data-option=\"lb pair\"]", "1").await?;
    wait_for_node(client, "lb-02").await?;
    set_number(client, "rate", "100").await?;
    click(client, "[data-node=\"web-02/firewall\"]").await?;
    wait_node_attr(
        client,
        "web-02/firewall",
        "data-state",
        "crashed",
        Duration::from_secs(2),
    )
    .await?;
    tab(client, "metrics").await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    at_every_size(client, "secured-8", &mut problems).await?;

    // A lesson open at its steps: they say "watch the log".
    click(client, "[data-action=\"lessons\"]").await?;
    click(client, "button[data-lesson-id=\"spof-lb\"]").await?;
    wait_for("the lesson", Duration::from_secs(5), || async {
        attr(client, "[data-lesson]", "data-lesson-state").await
    })
    .await?;
    at_every_size(client, "lesson-predict", &mut problems).await?;
    click(client, "button[data-choice=\"1\"]").await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    at_every_size(client, "lesson-steps", &mut problems).await?;

    if let Err(e) = console_clean(client, "during the layout walk").await {
        problems.push(e);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} problems a class would see:\n{}",
            problems.len(),
            problems.join("\n")
        ))
    }
}
