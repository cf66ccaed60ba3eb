//! The command-line runner: `foobar-sim run FILE [--seed N] [--duration SECONDS]
//! [--rate REQ_PER_S] [--json] [--trace OUT.jsonl] [--views]` and `foobar-sim export
//! {mermaid|haproxy|nginx|mysql} FILE`; `--help` says it all. Arguments are read by clap; any
//! bad flag or file gives one line on stderr and exit status 2.
//!
//! The run keeps none of what only the page shows (`World::keep_views`: each request's
//! hops, the ring of recent traces, the plots' per-second percentiles) unless it writes the
//! trace or is given `--views`: the summary is the same either way.

use clap::{Parser, Subcommand};
use foobar_sim::export::Format;
use foobar_sim::time::SEC;
use foobar_sim::{Scenario, SimTime, Summary, World};
use std::io::Write;
use std::process::ExitCode;

/// Foobar Lab's simulation of www.foobar.com, from the command line.
#[derive(Parser)]
#[command(name = "foobar-sim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs a scenario file and prints its summary.
    Run(RunArgs),
    /// Prints the scenario's design as a real tool's configuration.
    Export {
        /// mermaid, haproxy, nginx or mysql.
        #[arg(value_parser = format)]
        format: Format,
        /// The scenario file (JSON).
        file: String,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    /// The scenario file (JSON).
    file: String,
    /// The seed of the run's one random generator (instead of the file's).
    #[arg(long)]
    seed: Option<u64>,
    /// Simulated seconds to run (instead of the file's `duration_s`).
    #[arg(long, value_parser = duration, allow_negative_numbers = true)]
    duration: Option<f64>,
    /// Requests per second (instead of the file's `traffic.rate`).
    #[arg(long)]
    rate: Option<f64>,
    /// The summary as JSON.
    #[arg(long)]
    json: bool,
    /// Writes every request's trace to this file, one JSON line each.
    #[arg(long, value_name = "OUT.jsonl")]
    trace: Option<String>,
    /// Keeps what the page shows too (the summary is the same).
    #[arg(long)]
    views: bool,
}

fn format(name: &str) -> Result<Format, String> {
    Format::parse(name).ok_or_else(|| "one of mermaid, haproxy, nginx or mysql".to_string())
}

fn duration(v: &str) -> Result<f64, String> {
    let max = foobar_sim::scenario::MAX_DURATION_S;
    match v.parse::<f64>() {
        Ok(d) if d.is_finite() && d > 0.0 && d <= max => Ok(d),
        _ => Err(format!("seconds from 0 to {max}")),
    }
}

fn load(file: &str) -> Result<Scenario, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    Scenario::from_json(&text).map_err(|e| format!("{file}: {e}"))
}

fn run(a: RunArgs) -> Result<(), String> {
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

/// `foobar-sim export FORMAT FILE`: the design as a real tool's configuration.
fn export(format: Format, file: &str) -> Result<(), String> {
    let scenario = load(file)?;
    print!("{}", foobar_sim::export::export(&scenario, format));
    Ok(())
}

/// What clap says is wrong, in one line: its first paragraph (the usage after it is what
/// `--help` is for).
fn one_line(e: &clap::Error) -> String {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        return "a command is needed: run or export".into();
    }
    let text = e.to_string();
    let words: Vec<&str> = text
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let line = words.join(" ");
    line.strip_prefix("error: ").unwrap_or(&line).to_string()
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help, --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("foobar-sim: {} (foobar-sim --help)", one_line(&e));
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Export { format, file } => export(format, &file),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("foobar-sim: {}", e.replace('\n', " "));
            ExitCode::from(2)
        }
    }
}
