//! Metrics plots: small SVG line charts of the last minute, one point per
//! simulated second, read from the core's per-second series. Cheap enough to redraw each
//! second; each line has a colour and a dash pattern, and a legend in words.

use foobar_sim::metrics::Second;
use yew::prelude::*;

use crate::components::diagram::num;
use crate::state::Ctx;
use crate::text;

/// Seconds shown.
const WINDOW: usize = 60;
const W: f64 = 320.0;
const H: f64 = 120.0;
const LEFT: f64 = 38.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 20.0;

/// Okabe-Ito, one per web host (up to 8), with a dash pattern from the fifth on.
const SERIES_COLOURS: [&str; 8] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#1a1a1a", "#8a7a00",
];

pub struct Line {
    pub label: String,
    pub colour: &'static str,
    pub dash: Option<&'static str>,
    pub values: Vec<f64>,
}

fn line(label: impl Into<String>, colour: &'static str, values: Vec<f64>) -> Line {
    Line {
        label: label.into(),
        colour,
        dash: None,
        values,
    }
}

/// The smallest "round" number at least `v`: 1, 2, 5 × a power of ten.
pub fn nice_ceiling(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    // The power of ten at most `v`, by steps: no `powf` and `log10` in the page.
    let mut p = 1.0;
    while p > v {
        p /= 10.0;
    }
    while p * 10.0 <= v {
        p *= 10.0;
    }
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * p >= v * 0.999_999 {
            return m * p;
        }
    }
    10.0 * p
}

/// The scale's top in the chart's narrow margin: thousands as `k` (`10k`), a symbol every
/// language reads.
fn fmt_tick(v: f64) -> String {
    if v >= 1000.0 {
        format!("{}k", crate::i18n::dec(v / 1000.0))
    } else {
        fmt_value(v)
    }
}

fn fmt_value(v: f64) -> String {
    let places = if v >= 100.0 || v == v.round() {
        0
    } else if v >= 1.0 {
        1
    } else {
        2
    };
    crate::i18n::fixed(v, places)
}

/// One chart: a titled SVG with its lines, its scale, and a legend.
pub fn chart(id: &str, title: &str, lines: &[Line]) -> Html {
    let max = lines
        .iter()
        .flat_map(|l| l.values.iter().copied())
        .fold(0.0, f64::max);
    let top = nice_ceiling(max);
    let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let dx = pw / (WINDOW - 1) as f64;
    let polylines = lines.iter().map(|l| {
        let n = l.values.len().min(WINDOW);
        let skip = l.values.len() - n;
        let first_slot = WINDOW - n;
        let points: Vec<String> = l.values[skip..]
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let x = LEFT + (first_slot + i) as f64 * dx;
                let y = TOP + ph - (v / top).clamp(0.0, 1.0) * ph;
                format!("{},{}", num(x), num(y))
            })
            .collect();
        html! {
            <polyline points={points.join(" ")} stroke={l.colour}
                      stroke-dasharray={l.dash} class="series" />
        }
    });
    let latest: Vec<String> = lines
        .iter()
        .map(|l| {
            format!(
                "{} {}",
                l.label,
                fmt_value(l.values.last().copied().unwrap_or(0.0))
            )
        })
        .collect();
    let aria = format!("{title}: {}", latest.join(", "));
    html! {
        <figure class="chart" data-chart={id.to_string()}>
            <figcaption>{ title }</figcaption>
            <svg viewBox={format!("0 0 {} {}", num(W), num(H))} role="img" aria-label={aria}>
                <line class="axis" x1={num(LEFT)} y1={num(TOP)} x2={num(LEFT)}
                      y2={num(TOP + ph)} />
                <line class="axis" x1={num(LEFT)} y1={num(TOP + ph)} x2={num(W - RIGHT)}
                      y2={num(TOP + ph)} />
                <line class="grid" x1={num(LEFT)} y1={num(TOP)} x2={num(W - RIGHT)}
                      y2={num(TOP)} />
                <text class="tick" x={num(LEFT - 4.0)} y={num(TOP + 8.0)}
                      text-anchor="end">{ fmt_tick(top) }</text>
                <text class="tick" x={num(LEFT - 4.0)} y={num(TOP + ph)}
                      text-anchor="end">{ "0" }</text>
                <text class="tick" x={num(LEFT)} y={num(H - 4.0)}>{ text::last_minute() }</text>
                <text class="tick" x={num(W - RIGHT)} y={num(H - 4.0)}
                      text-anchor="end">{ text::now() }</text>
                { for polylines }
            </svg>
            <ul class="chart-legend">
                { for lines.iter().map(|l| html! {
                    <li>
                        <svg width="22" height="8" aria-hidden="true">
                            <line x1="1" y1="4" x2="21" y2="4" stroke={l.colour}
                                  stroke-width="3" stroke-dasharray={l.dash} />
                        </svg>
                        { format!("{} {}", l.label,
                                  fmt_value(l.values.last().copied().unwrap_or(0.0))) }
                    </li>
                }) }
            </ul>
        </figure>
    }
}

fn pick(seconds: &[&Second], f: impl Fn(&Second) -> f64) -> Vec<f64> {
    seconds.iter().map(|s| f(s)).collect()
}

/// The metrics tab, drawn each time the tabs are: a plain function of the context, not a
/// component (each component type adds to the page's size).
pub fn charts_panel(ctx: &Ctx) -> Html {
    let e = ctx.engine.borrow();
    let all: Vec<&Second> = e.lab().series().seconds().collect();
    let seconds: Vec<&Second> = all[all.len().saturating_sub(WINDOW)..].to_vec();
    let t = e.topology();

    let mut per_backend: Vec<Line> = t
        .web_hosts
        .iter()
        .enumerate()
        .take(8)
        .map(|(i, &h)| Line {
            label: t.node(h).name.clone(),
            colour: SERIES_COLOURS[i],
            dash: (i >= 4).then_some("5 3"),
            values: pick(&seconds, |s| s.served_by[i] as f64),
        })
        .collect();
    per_backend.push(Line {
        label: text::chart_all().to_string(),
        colour: "#1a1a1a",
        dash: Some("2 3"),
        values: pick(&seconds, |s| s.requests as f64),
    });
    let latency = [
        line(
            "p50",
            "#009e73",
            pick(&seconds, |s| s.latency_p50_us as f64 / 1e3),
        ),
        line(
            "p95",
            "#e69f00",
            pick(&seconds, |s| s.latency_p95_us as f64 / 1e3),
        ),
        line(
            "p99",
            "#d55e00",
            pick(&seconds, |s| s.latency_p99_us as f64 / 1e3),
        ),
    ];
    let errors = [
        line("500", "#cc79a7", pick(&seconds, |s| s.status_500 as f64)),
        line("502", "#d55e00", pick(&seconds, |s| s.status_502 as f64)),
        line("503", "#e69f00", pick(&seconds, |s| s.status_503 as f64)),
        line("504", "#0072b2", pick(&seconds, |s| s.status_504 as f64)),
        Line {
            dash: Some("4 3"),
            ..line(
                text::no_answer(),
                "#1a1a1a",
                pick(&seconds, |s| s.no_answer as f64),
            )
        },
    ];
    let queue = [line(
        "max",
        "#0072b2",
        pick(&seconds, |s| s.queue_max as f64),
    )];
    let lag = [line(
        "lag",
        "#e69f00",
        pick(&seconds, |s| s.lag_us as f64 / 1e6),
    )];
    let snap = &e.snap;
    html! {
        <div class="charts">
            <p class="totals">{ text::totals(snap.requests, snap.ok, snap.errors, snap.stale_reads) }</p>
            <div class="chart-grid">
                { chart("requests", text::chart_requests(), &per_backend) }
                { chart("latency", text::chart_latency(), &latency) }
                { chart("errors", text::chart_errors(), &errors) }
                { chart("queue", text::chart_queue(), &queue) }
                { chart("lag", text::chart_lag(), &lag) }
            </div>
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(1.0), 1.0);
        assert_eq!(nice_ceiling(1.2), 2.0);
        assert_eq!(nice_ceiling(4.0), 5.0);
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(230.0), 500.0);
        assert_eq!(nice_ceiling(0.03), 0.05);
    }

    /// The scale's top fits the chart's margin: thousands as `k`, never `10,000`.
    #[test]
    fn ticks_fit_the_margin() {
        assert_eq!(fmt_tick(10_000.0), "10k");
        assert_eq!(fmt_tick(2_000.0), "2k");
        assert_eq!(fmt_tick(500.0), "500");
        assert_eq!(fmt_tick(0.5), "0.50");
    }
}
