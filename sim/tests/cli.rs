//! The command-line runner: a summary, JSON, a trace file, and one-line errors with
//! exit status 2.

use std::process::Command;

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_foobar-sim"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn json_summary_has_the_promised_fields() {
    let (code, out, _) = cli(&[
        "run",
        "scenarios/kill-web-01.json",
        "--seed",
        "3",
        "--duration",
        "20",
        "--json",
    ]);
    assert_eq!(code, 0);
    let d: serde_json::Value = serde_json::from_str(&out).unwrap();
    for path in [
        "/seed",
        "/sim_time_ms",
        "/events",
        "/requests/total",
        "/requests/by_status/200",
        "/requests/stale_reads",
        "/latency_ms/p50",
        "/latency_ms/p95",
        "/latency_ms/p99",
        "/queue_wait_ms/mean",
        "/servers/web-01/served",
        "/servers/web-01/status",
        "/servers/web-01/chkdown",
        "/servers/web-01/first_down_at_ms",
        "/servers/web-02/first_down_at_ms",
        "/replication/max_lag_ms",
        "/replication/lost_transactions",
        "/transitions/0/t_ms",
        "/transitions/0/node",
        "/transitions/0/from",
        "/transitions/0/to",
        "/trace_hash",
    ] {
        assert!(d.pointer(path).is_some(), "no {path}");
    }
    assert_eq!(d["seed"], 3);
    assert_eq!(d["sim_time_ms"], 20000.0);
    assert!(d["servers"]["web-02"]["first_down_at_ms"].is_null());
}

#[test]
fn rate_flag_overrides_the_scenario() {
    let (_, out, _) = cli(&[
        "run",
        "scenarios/three-server.json",
        "--rate",
        "100",
        "--duration",
        "10",
        "--json",
    ]);
    let d: serde_json::Value = serde_json::from_str(&out).unwrap();
    let total = d["requests"]["total"].as_u64().unwrap();
    assert!(
        (850..1150).contains(&total),
        "{total} requests in 10 s at 100/s"
    );
}

#[test]
fn trace_file_has_one_json_line_per_request() {
    let path = std::env::temp_dir().join(format!("foobar-trace-{}.jsonl", std::process::id()));
    let p = path.to_str().unwrap();
    let (code, _, _) = cli(&[
        "run",
        "scenarios/three-server.json",
        "--duration",
        "5",
        "--trace",
        p,
    ]);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).ok();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() > 30);
    assert!(lines
        .iter()
        .all(|l| l["hops"].as_array().is_some_and(|h| !h.is_empty())));
}

/// The CLI keeps the page's views only when asked (`--views`), and says the same
/// either way (World::keep_views; sim/tests/views.rs checks the world itself).
#[test]
fn views_flag_changes_nothing_the_summary_says() {
    let args = [
        "run",
        "scenarios/kill-web-01.json",
        "--duration",
        "30",
        "--json",
    ];
    let (code, without, _) = cli(&args);
    assert_eq!(code, 0);
    let (code, with, _) = cli(&[&args[..], &["--views"]].concat());
    assert_eq!(code, 0);
    assert_eq!(with, without);
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    for args in [
        vec!["run", "scenarios/no-such-file.json"],
        vec!["run", "scenarios/three-server.json", "--seed", "x"],
        vec!["run", "scenarios/three-server.json", "--frobnicate"],
        vec!["run", "scenarios/three-server.json", "--rate", "99999"],
        vec!["run", "scenarios/three-server.json", "--duration"],
        vec!["run", "scenarios/three-server.json", "--duration", "-3"],
        vec!["run", "scenarios/three-server.json", "--duration", "0"],
        vec!["export", "yaml", "scenarios/three-server.json"],
        vec!["export", "haproxy"],
        vec!["run"],
        vec!["fly"],
        vec![],
    ] {
        let (code, out, err) = cli(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
}

/// `--help` says every command and flag, and exits 0.
#[test]
fn help_lists_the_commands_and_flags() {
    let (code, out, _) = cli(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("run") && out.contains("export"), "{out}");
    let (code, out, _) = cli(&["run", "--help"]);
    assert_eq!(code, 0);
    for flag in [
        "--seed",
        "--duration",
        "--rate",
        "--json",
        "--trace",
        "--views",
    ] {
        assert!(out.contains(flag), "{flag} missing from {out}");
    }
}
