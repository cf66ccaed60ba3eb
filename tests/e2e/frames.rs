//! The page's frame benchmark: the release build in headless Chromium at 1280×800, at each
//! rate and size the page offers a class, from 10 requests/s to 5,000 on eight web hosts,
//! classroom timing (where a request stays in flight for seconds) and realistic. For each:
//! 6 s of running, then 5 s of requestAnimationFrame intervals and the page's own script
//! time per frame, and how many requests were in flight (the goal: every row at 60 frames/s,
//! interval p95 at most 16.7 ms, script p95 at most 4 ms). First, how soon the diagram is
//! drawn after the navigation starts. Screenshots of the dots at 10, 300
//! and 5,000 requests/s go to `target/e2e/`. With `FRAMES_SOAK_MINUTES=10`, it then runs at
//! 5,000 requests/s for that long and measures the frames and the page's memory again.

use std::time::{Duration, Instant};

use fantoccini::Client;
use foobar_sim::scenario::{Preset, TimingPreset};
use foobar_sim::share::{encode, Shared};
use foobar_sim::{Scenario, SimTime};
use serde_json::Value;

use crate::support::*;

/// A run of the three-server design at `rate` on `hosts` web hosts, as a share link opens it.
fn link(rate: f64, hosts: u32, classroom: bool) -> String {
    let mut scenario = Scenario::preset(Preset::ThreeServer);
    scenario.traffic.rate = rate;
    scenario.topology.web_hosts = hosts;
    scenario.timing.preset = if classroom {
        TimingPreset::Classroom
    } else {
        TimingPreset::Realistic
    };
    encode(&Shared {
        scenario,
        actions: Vec::new(),
        t: SimTime::ZERO,
        lesson: None,
    })
}

async fn open_playing(client: &Client, server: &StaticServer, link: &str) -> Outcome {
    open_link(client, server, link).await?;
    // A shared moment opens paused.
    click(client, "[data-action=\"play\"]").await
}

/// The page's memory: its JS heap in use as V8 counts it, and the size of its WebAssembly
/// memory (which only grows), in MB.
async fn memory_mb(client: &Client) -> Outcome<(f64, f64)> {
    let v = cdp(client, "Runtime.getHeapUsage").await?;
    let heap = v
        .get("usedSize")
        .and_then(Value::as_f64)
        .unwrap_or(f64::NAN)
        / 1e6;
    // Trunk's loader keeps the wasm-bindgen module; its init hands back the instance's exports.
    let wasm = client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             window.wasmBindings.default().then(w => done(w.memory.buffer.byteLength));",
            vec![],
        )
        .await
        .map_err(err)?;
    Ok((heap, wasm.as_f64().unwrap_or(f64::NAN) / 1e6))
}

struct Measured {
    frames: usize,
    /// Interval p50, p95, max; script p50, p95 (ms).
    times: [f64; 5],
    in_flight: (u64, u64),
}

async fn measure(client: &Client, seconds: f64) -> Outcome<Measured> {
    let before = in_flight(client).await?;
    let (frames, times) = frame_times(client, seconds).await?;
    let after = in_flight(client).await?;
    Ok(Measured {
        frames,
        times,
        in_flight: (before.min(after), before.max(after)),
    })
}

fn row(what: &str, m: &Measured) -> String {
    let [p50, p95, max, w50, w95] = m.times;
    format!(
        "| {what} | {}–{} | {} | {p50:.1} / {p95:.1} (max {max:.1}) | {w50:.1} / {w95:.1} |\n",
        m.in_flight.0, m.in_flight.1, m.frames
    )
}

pub async fn frames_at_every_rate(client: &Client, server: &StaticServer) -> Outcome<String> {
    set_viewport(client, 1280, 800).await?;
    client.goto(&server.url("/")).await.map_err(err)?;
    wait_for_diagram(client).await?;
    // Interactive from localhost (an upper bound: the diagram is polled for).
    let drawn_ms = js(client, "return performance.now();")
        .await?
        .as_f64()
        .unwrap_or(f64::NAN);
    let mut table = format!(
        "Interactive: the diagram drawn {drawn_ms:.0} ms after the navigation started \
         (goal: under 1 s)\n\n"
    );
    table += &String::from(
        "| rate, web hosts, timing | in flight | frames in 5 s | interval p50 / p95 (ms) | \
         script per frame p50 / p95 (ms) |\n|---|---|---|---|---|\n",
    );
    for (rate, hosts, classroom) in [
        (10.0, 2, true),
        (300.0, 2, true),
        (600.0, 2, true),
        (1000.0, 2, true),
        (5000.0, 8, true),
        (5000.0, 8, false),
    ] {
        open_playing(client, server, &link(rate, hosts, classroom)).await?;
        tokio::time::sleep(Duration::from_secs(6)).await;
        let m = measure(client, 5.0).await?;
        let timing = if classroom { "classroom" } else { "realistic" };
        if classroom && [10.0, 300.0, 5000.0].contains(&rate) {
            screenshot(
                client,
                1280,
                800,
                &format!("frames-{rate}rps-{hosts}-hosts"),
            )
            .await?;
        }
        table += &row(&format!("{rate}/s, {hosts}, {timing}"), &m);
    }
    let minutes: u64 = std::env::var("FRAMES_SOAK_MINUTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if minutes > 0 {
        open_playing(client, server, &link(5000.0, 8, true)).await?;
        tokio::time::sleep(Duration::from_secs(60)).await;
        let (heap0, wasm0) = memory_mb(client).await?;
        let start = Instant::now();
        let end = Duration::from_secs(minutes * 60);
        while start.elapsed() < end {
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
        let m = measure(client, 5.0).await?;
        let (heap1, wasm1) = memory_mb(client).await?;
        table += &row(&format!("5000/s, 8, classroom, after {minutes} min"), &m);
        table += &format!(
            "\nmemory after 1 min and after {minutes} more: JS heap {heap0:.1} → {heap1:.1} MB, \
             WebAssembly memory {wasm0:.0} → {wasm1:.0} MB\n"
        );
    }
    console_clean(client, "the frame benchmark").await?;
    Ok(table)
}

/// Frame times over `seconds` of real time, read from requestAnimationFrame in the page:
/// (frames, p50, p95 and max of the interval between frames, p50 and p95 of the page's own
/// script time per frame), in ms. rAF intervals come in steps of the display's 16.7 ms, so
/// the page's callbacks are also timed: each from its start to the end of the microtasks it
/// queued (Yew renders there).
async fn frame_times(client: &Client, seconds: f64) -> Outcome<(usize, [f64; 5])> {
    let script = format!(
        "const done = arguments[arguments.length - 1]; const gaps = []; const work = []; \
         let last = null; const end = performance.now() + {ms}; \
         const raf = window.requestAnimationFrame.bind(window); \
         window.requestAnimationFrame = cb => raf(t => {{ const s = performance.now(); cb(t); \
           queueMicrotask(() => queueMicrotask(() => work.push(performance.now() - s))); }}); \
         function tick(t) {{ if (last !== null) gaps.push(t - last); last = t; \
           if (t < end) raf(tick); else {{ window.requestAnimationFrame = raf; \
             done([gaps, work]); }} }} \
         raf(tick);",
        ms = seconds * 1000.0
    );
    let v = client.execute_async(&script, vec![]).await.map_err(err)?;
    let series = |i: usize| -> Vec<f64> {
        let mut v: Vec<f64> = v[i]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default();
        v.sort_by(f64::total_cmp);
        v
    };
    let (gaps, work) = (series(0), series(1));
    if gaps.is_empty() || work.is_empty() {
        return Err("no frames".into());
    }
    let at = |v: &[f64], q: f64| v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1];
    Ok((
        gaps.len(),
        [
            at(&gaps, 0.50),
            at(&gaps, 0.95),
            *gaps.last().unwrap(),
            at(&work, 0.50),
            at(&work, 0.95),
        ],
    ))
}

async fn in_flight(client: &Client) -> Outcome<u64> {
    Ok(attr(client, "canvas.dots", "data-in-flight")
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}
