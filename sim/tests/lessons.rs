//! Every lesson's check is tested: a run that does the lesson's steps passes it, a run
//! that does not (the same time without the actions, or no time to watch) fails it. Lessons run
//! in the classroom timing the page opens in.

mod common;
use common::{lessons_json, shipped};
use foobar_sim::error::{ActionError, BookError, Problem};
use foobar_sim::lesson::{parse_book, Lesson, Seen};
use foobar_sim::scenario::TimingPreset;
use foobar_sim::{Lab, Scenario, SimTime};

fn book() -> Vec<Lesson> {
    parse_book(&lessons_json("en")).unwrap()
}

fn scenario_of(l: &Lesson) -> Scenario {
    let mut s = shipped(&l.scenario);
    s.timing.preset = TimingPreset::Classroom;
    s
}

/// Runs a lesson; with `act` false the actions are skipped.
fn run(l: &Lesson, act: bool, watch: bool) -> (bool, Seen) {
    let mut lab = Lab::new(&scenario_of(l)).unwrap();
    for a in &l.setup {
        lab.apply(a.clone())
            .unwrap_or_else(|e| panic!("{}: setup: {e}", l.id));
    }
    for step in &l.steps {
        if let Some(a) = &step.action {
            if act {
                lab.apply(a.clone())
                    .unwrap_or_else(|e| panic!("{}: {e}", l.id));
            }
        }
        if watch {
            let t = lab.now().0 + SimTime::from_secs_f64(step.wait_s).0;
            lab.advance_to(SimTime(t));
        }
    }
    if watch {
        let t = lab.now().0 + 2_000_000;
        lab.advance_to(SimTime(t));
    }
    let v = l.check.evaluate(&lab);
    (v.passed, v.seen)
}

#[test]
fn every_lesson_passes_when_done() {
    for l in book() {
        let (passed, seen) = run(&l, true, true);
        assert!(passed, "lesson {} not passed after its steps: {seen}", l.id);
    }
}

#[test]
fn no_lesson_passes_without_its_steps() {
    for l in book() {
        let has_actions = l.steps.iter().any(|s| s.action.is_some());
        let (passed, seen) = if has_actions {
            run(&l, false, true)
        } else {
            run(&l, true, false)
        };
        assert!(!passed, "lesson {} passed without its steps: {seen}", l.id);
    }
}

/// Every topic the lab teaches has a lesson, and so does every curriculum preset.
#[test]
fn every_topic_and_preset_is_taught() {
    let topics: Vec<String> = book().iter().map(|l| l.topic.clone()).collect();
    for t in [
        "Why each component",
        "Load balancer: round robin",
        "Load balancer: least connections and source hashing",
        "Active-active vs active-passive",
        "Primary-replica cluster",
        "Primary vs replica from the app's side",
        "SPOF: the load balancer",
        "SPOF: the primary database",
        "SPOF: one web server",
        "SPOF: the application server",
        "Security: no firewall",
        "Security: no HTTPS",
        "Monitoring: no monitoring",
        "Presets: the one-server stack",
        "Presets: the three-server design",
        "Presets: secured and monitored",
        "Presets: scaled up",
    ] {
        assert!(topics.iter().any(|x| x == t), "no lesson on {t}");
    }
    let ids: std::collections::BTreeSet<_> = book().iter().map(|l| l.id.clone()).collect();
    assert_eq!(ids.len(), book().len(), "lesson ids are unique");
}

/// A broken lesson file is refused with a message, never a panic.
#[test]
fn bad_lesson_files_are_refused() {
    assert!(parse_book("[{").is_err());
    assert!(parse_book("{}").is_err());
    let mut v: serde_json::Value = serde_json::from_str(&lessons_json("en")).unwrap();
    v[0]["predict"]["answer"] = 9.into();
    let e = parse_book(&v.to_string()).unwrap_err();
    assert!(matches!(e, BookError::AnswerNotAChoice { ref lesson } if *lesson == v[0]["id"]));
    assert!(e.to_string().contains("predict.answer"));
    assert!(matches!(
        parse_book("{}").unwrap_err(),
        BookError::NotABook(ref e) if matches!(e.problem, Problem::Expected { .. })
    ));
    v[0]["setup"] = serde_json::json!([{"rate": {"rate": -5}}]);
    v[0]["predict"]["answer"] = 0.into();
    assert!(matches!(
        parse_book(&v.to_string()).unwrap_err(),
        BookError::BadAction {
            error: ActionError::Rate { .. },
            ..
        }
    ));
}

/// Before the lesson's algorithm has balanced anything, what the lab sees says so
/// instead of a share of nothing.
#[test]
fn a_share_of_no_requests_is_not_reported() {
    let l = book()
        .into_iter()
        .find(|l| l.id == "least-connections")
        .unwrap();
    let (passed, seen) = run(&l, false, false);
    assert!(!passed);
    assert_eq!(
        seen,
        Seen::NothingBalancedBy {
            balance: foobar_sim::scenario::Balance::Leastconn
        }
    );
    assert_eq!(seen.to_string(), "no request balanced by leastconn yet");
}

/// What a check saw is names, numbers and enums the page can word in any
/// language, not English (its English is `Display`); only an alert rule the lesson file
/// names (`host down`) is the file's own key.
#[test]
fn what_a_check_saw_carries_no_english() {
    fn strings(v: &serde_json::Value, key: &str, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::String(s) => out.push((key.to_string(), s.clone())),
            serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, key, out)),
            serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| strings(x, k, out)),
            _ => {}
        }
    }
    for l in book() {
        for act in [false, true] {
            let (_, seen) = run(&l, act, true);
            let mut found = Vec::new();
            strings(&serde_json::to_value(&seen).unwrap(), "", &mut found);
            for (key, s) in found {
                assert!(key == "rule" || !s.contains(' '), "{}: {key} = {s:?}", l.id);
            }
        }
    }
}
