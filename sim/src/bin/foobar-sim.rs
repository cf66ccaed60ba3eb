//! The command-line runner (SPEC S12).
//!
//! `foobar-sim run FILE [--seed N] [--duration SECONDS] [--rate REQ_PER_S] [--json]
//! [--trace OUT.jsonl] [--views]`. Any bad flag or file: one line on stderr, exit status 2.
//! Arguments are parsed by hand, which keeps the binary small and its errors to one line.
//!
//! The run keeps none of what only the page shows (`World::keep_views`: each request's
//! hops, the ring of recent traces, the plots' per-second percentiles) unless it writes the
//! trace or is given `--views`: the summary is the same either way.

use foobar_sim::time::SEC;
use foobar_sim::{Scenario, SimTime, Summary, World};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: foobar-sim run FILE [--seed N] [--duration SECONDS] [--rate REQ_PER_S] [--json] [--trace OUT.jsonl] [--views] | foobar-sim export {mermaid|haproxy|nginx|mysql} FILE";

struct RunArgs {
    file: String,
    seed: Option<u64>,
    duration: Option<f64>,
    rate: Option<f64>,
    json: bool,
    trace: Option<String>,
    views: bool,
}

fn parse_run(args: &[String]) -> Result<RunArgs, String> {
    let mut out = RunArgs {
        file: String::new(),
        seed: None,
        duration: None,
        rate: None,
        json: false,
        trace: None,
        views: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match a.as_str() {
            "--seed" => {
                let v = value("--seed")?;
                out.seed = Some(
                    v.parse()
                        .map_err(|_| format!("--seed must be a whole number, not {v:?}"))?,
                );
            }
            "--duration" => {
                let v = value("--duration")?;
                let d: f64 = v
                    .parse()
                    .map_err(|_| format!("--duration must be seconds, not {v:?}"))?;
                if !(d.is_finite() && d > 0.0 && d <= foobar_sim::scenario::MAX_DURATION_S) {
                    return Err(format!(
                        "--duration must be from 0 to {} seconds, not {v}",
                        foobar_sim::scenario::MAX_DURATION_S
                    ));
                }
                out.duration = Some(d);
            }
            "--rate" => {
                let v = value("--rate")?;
                let r: f64 = v
                    .parse()
                    .map_err(|_| format!("--rate must be requests per second, not {v:?}"))?;
                out.rate = Some(r);
            }
            "--json" => out.json = true,
            "--views" => out.views = true,
            "--trace" => out.trace = Some(value("--trace")?),
            f if f.starts_with('-') => return Err(format!("unknown flag {f}")),
            f => {
                if !out.file.is_empty() {
                    return Err(format!(
                        "one scenario file only (got {:?} and {f:?})",
                        out.file
                    ));
                }
                out.file = f.to_string();
            }
        }
    }
    if out.file.is_empty() {
        return Err("no scenario file given".into());
    }
    Ok(out)
}

fn load(file: &str) -> Result<Scenario, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    Scenario::from_json(&text).map_err(|e| format!("{file}: {e}"))
}

fn run(args: &[String]) -> Result<(), String> {
    let a = parse_run(args)?;
    let mut scenario = load(&a.file)?;
    if let Some(seed) = a.seed {
        scenario.seed = seed;
    }
    if let Some(rate) = a.rate {
        scenario.traffic.rate = rate;
    }
    // World::new checks the scenario (with the flags' overrides) and names a bad field.
    let duration = a.duration.unwrap_or(scenario.duration_s);
    let mut world = World::new(&scenario).map_err(|e| format!("{}: {e}", a.file))?;
    world.keep_views(a.views);
    let mut trace_out = match &a.trace {
        Some(path) => {
            world.keep_all_traces(true);
            let f = std::fs::File::create(path).map_err(|e| format!("cannot write {path}: {e}"))?;
            Some(std::io::BufWriter::new(f))
        }
        None => None,
    };
    let end = SimTime::from_secs_f64(duration);
    // Advance a second at a time so that `--trace` can stream its lines out.
    let mut t = SimTime::ZERO;
    while t < end {
        t = SimTime((t.0 + SEC).min(end.0));
        world.advance_to(t);
        if let Some(out) = &mut trace_out {
            for tr in world.drain_traces() {
                let line = serde_json::to_string(&tr).map_err(|e| e.to_string())?;
                writeln!(out, "{line}").map_err(|e| format!("cannot write the trace: {e}"))?;
            }
        }
    }
    if let Some(mut out) = trace_out {
        out.flush()
            .map_err(|e| format!("cannot write the trace: {e}"))?;
    }
    let summary = Summary::of(&world);
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?
        );
    } else {
        println!("{}", summary.text());
    }
    Ok(())
}

/// `foobar-sim export FORMAT FILE`: the design as a real tool's configuration (SPEC U8).
fn export(args: &[String]) -> Result<(), String> {
    let [format, file] = args else {
        return Err("export needs a format and a scenario file".into());
    };
    let f = foobar_sim::export::Format::parse(format).ok_or_else(|| {
        format!("unknown export format {format:?} (mermaid, haproxy, nginx or mysql)")
    })?;
    let scenario = load(file)?;
    print!("{}", foobar_sim::export::export(&scenario, f));
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("export") => export(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown command {other:?}; {USAGE}")),
        None => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("foobar-sim: {}", e.replace('\n', " "));
            ExitCode::from(2)
        }
    }
}
