//! The model's gate: every shipped scenario's summary, and those of the fault-heavy
//! scenarios in `baseline/scenarios/`, are byte for byte what `baseline/<name>.json` holds:
//! what `foobar-sim run FILE --json` prints. A change of the code's shape must not change
//! what the model does; a change that means to (a fix) says so in its commit and writes the
//! files again with `UPDATE_BASELINE=1 cargo test -p foobar-sim --test baseline`.

use foobar_sim::time::SEC;
use foobar_sim::{Scenario, SimTime, Summary, World};
use std::path::{Path, PathBuf};

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// The summary the CLI prints for a scenario file run for its own duration, as it runs it
/// (without the page's views, a second at a time).
fn summary_of(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let scenario = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut world = World::new(&scenario).unwrap();
    world.keep_views(false);
    let end = SimTime::from_secs_f64(scenario.duration_s);
    let mut t = SimTime::ZERO;
    while t < end {
        t = SimTime((t.0 + SEC).min(end.0));
        world.advance_to(t);
    }
    serde_json::to_string_pretty(&Summary::of(&world)).unwrap() + "\n"
}

#[test]
fn every_summary_is_the_baselines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let baseline = root.join("tests/baseline");
    let update = std::env::var_os("UPDATE_BASELINE").is_some();
    let mut files = json_files(&root.join("../scenarios"));
    files.extend(json_files(&baseline.join("scenarios")));
    let mut differ = Vec::new();
    for file in &files {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let kept = baseline.join(format!("{name}.json"));
        let now = summary_of(file);
        if update {
            std::fs::write(&kept, &now).unwrap();
            continue;
        }
        let then = std::fs::read_to_string(&kept)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_BASELINE=1 writes it)", kept.display()));
        if now != then {
            differ.push(name);
        }
    }
    assert!(
        differ.is_empty(),
        "the model's summaries changed for {differ:?}: a bug, unless the change means it \
         (then UPDATE_BASELINE=1 writes them again, and the commit says why)"
    );
}
