//! What serde_json writes (scenario files, share links, lesson files), the core's reader
//! reads back as the same value: every enum name and every action and check variant.

use foobar_sim::error::{JsonKind, Problem};
use foobar_sim::json::from_slice;
use foobar_sim::lesson::Check;
use foobar_sim::scenario::*;
use foobar_sim::trace::ReqKind;
use foobar_sim::world::AdminState;
use foobar_sim::Action;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;

/// `v` written by serde_json reads back as itself.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(v: &T) {
    let text = serde_json::to_string(v).unwrap();
    let back: T = from_slice(text.as_bytes()).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(&back, v, "{text}");
}

/// Each value's `as_str` is the name serde writes.
fn names<T: Serialize + DeserializeOwned + PartialEq + Debug + Copy>(
    all: &[T],
    as_str: fn(T) -> &'static str,
) {
    for &v in all {
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            format!("\"{}\"", as_str(v))
        );
        round_trip(&v);
    }
}

#[test]
fn every_name_is_the_one_serde_writes() {
    names(&Preset::ALL, Preset::as_str);
    names(&LbPair::ALL, LbPair::as_str);
    names(&TimingPreset::ALL, TimingPreset::as_str);
    names(&Balance::ALL, Balance::as_str);
    names(&HashType::ALL, HashType::as_str);
    names(&CheckKind::ALL, CheckKind::as_str);
    names(&Observe::ALL, Observe::as_str);
    names(&OnError::ALL, OnError::as_str);
    names(&ReadRouting::ALL, ReadRouting::as_str);
    names(&WritesTo::ALL, WritesTo::as_str);
    names(&ReadYourWrites::ALL, ReadYourWrites::as_str);
    names(&ReplicationMode::ALL, ReplicationMode::as_str);
    names(&ReqKind::ALL, ReqKind::as_str);
    names(&AdminState::ALL, AdminState::as_str);
    names(&InitState::ALL, InitState::as_str);
}

/// `haproxy.init_state`: a file that omits it reads as `up` (HAProxy's default, so older files
/// and links replay as before); the presets write `fully-up`, and it reads back.
#[test]
fn init_state_reads_as_up_when_left_out() {
    let s = Scenario::from_json(r#"{"haproxy": {"check": "tcp"}}"#).unwrap();
    assert_eq!(s.haproxy.init_state, InitState::Up);
    assert_eq!(
        Scenario::from_json("{}").unwrap().haproxy.init_state,
        InitState::Up
    );
    for p in Preset::ALL {
        let s = Scenario::preset(p);
        assert_eq!(s.haproxy.init_state, InitState::FullyUp);
        assert!(serde_json::to_string(&s)
            .unwrap()
            .contains(r#""init_state":"fully-up""#));
        round_trip(&s);
    }
    let e = Scenario::from_json(r#"{"haproxy": {"init_state": "down"}}"#).unwrap_err();
    assert!(e.to_string().starts_with("haproxy.init_state:"), "{e}");
}

#[test]
fn every_action_reads_back() {
    let mut haproxy = HaproxySpec::default();
    haproxy.servers.push(ServerSpec {
        name: "web-01".into(),
        weight: 3,
        ..ServerSpec::default()
    });
    haproxy.timeout_queue_ms = Some(1500.0);
    let actions = [
        Action::Fault {
            target: "web-01".into(),
            fault: FaultKind::Crash,
        },
        Action::Fault {
            target: "lb-01--web-01".into(),
            fault: FaultKind::Loss { rate: 0.25 },
        },
        Action::Fault {
            target: "web-02/app".into(),
            fault: FaultKind::Slow { factor: 4.5 },
        },
        Action::ServerState {
            server: "web-02".into(),
            state: AdminState::Drain,
        },
        Action::Weight {
            server: "web-01".into(),
            weight: 256,
        },
        Action::Rate { rate: 0.1 },
        Action::Burst {
            factor: 10.0,
            duration_s: 10.0,
        },
        Action::SendOne {
            kind: ReqKind::Write,
        },
        Action::Promote {
            db: "web-02".into(),
        },
        Action::Haproxy {
            spec: Box::new(haproxy),
        },
        Action::App {
            spec: AppSpec::default(),
        },
        Action::Mysql {
            spec: MysqlSpec {
                replication: ReplicationMode::SemiSync,
                ..MysqlSpec::default()
            },
        },
        Action::Timing {
            spec: TimingSpec {
                lan_ms: Some(0.5),
                ..TimingSpec::default()
            },
        },
    ];
    for a in &actions {
        round_trip(a);
    }
    for f in [
        FaultKind::Crash,
        FaultKind::Partition,
        FaultKind::Drain,
        FaultKind::Restore,
    ] {
        round_trip(&f);
    }
}

#[test]
fn every_check_reads_back() {
    let server = || "web-01".to_string();
    let checks = vec![
        Check::ServerDown { server: server() },
        Check::DownThenNoErrors { server: server() },
        Check::SiteDown { min: 3 },
        Check::EvenSplit { min: 10 },
        Check::SlowServerAvoided {
            server: server(),
            balance: Balance::Leastconn,
            max_share: 0.3,
        },
        Check::Sticky { min: 5 },
        Check::BackupTookOver {
            backup: "web-02".into(),
        },
        Check::Replicated,
        Check::ReadOnlyError,
        Check::StaleRead,
        Check::ReadYourWrites { min: 20 },
        Check::WritesFailReadsWork,
        Check::Failover,
        Check::LostWrites,
        Check::PasswordSeen,
        Check::AttackerReached { port: 3306 },
        Check::AttackerBlocked,
        Check::UnnoticedErrors { min_s: 30 },
        Check::AlertFired {
            rule: "host down".into(),
        },
        Check::VipMoved,
        Check::Status { code: 503, min: 1 },
    ];
    for c in &checks {
        round_trip(c);
    }
    round_trip(&Check::All { of: checks });
}

/// A scenario with every optional field set survives the trip (the shipped ones are checked
/// in api.rs).
#[test]
fn a_full_scenario_reads_back() {
    let mut s = Scenario::preset(Preset::ScaledUp);
    s.seed = u64::MAX;
    s.timing.app_ms = Some(12.5);
    s.haproxy.fastinter_ms = Some(500.0);
    s.haproxy.observe = Observe::Layer7;
    s.haproxy.on_error = OnError::SuddenDeath;
    s.traffic.bursts.push(Burst {
        at_s: 5.0,
        factor: 3.0,
        duration_s: 2.5,
    });
    s.faults.push(ScheduledFault {
        at_s: 1.0,
        target: "web-01".into(),
        fault: FaultKind::Slow { factor: 2.0 },
    });
    round_trip(&s);
    assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
}

/// The shipped scenarios, a share link's record of a run, text that needs escaping and
/// floats at the ends of their range read back as written.
#[test]
fn what_is_written_reads_back() {
    let mut n = 0;
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios")).unwrap() {
        let path = entry.unwrap().path();
        let s = Scenario::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
        round_trip(&s);
        n += 1;
    }
    assert!(n >= 5, "{n} scenarios");
    let mut s = Scenario::preset(Preset::ThreeServer);
    s.name = "a \"quoted\" \\ name\n\t\r\u{8}\u{c}\u{1}\u{1f} é → ✓".into();
    s.description = String::new();
    s.traffic.rate = 0.1 + 0.2;
    round_trip(&s);
    let mut odd = s.clone();
    odd.timing.app_ms = Some(1e21);
    odd.timing.lan_ms = Some(f64::MIN_POSITIVE);
    round_trip(&odd);
    // A run's name is one line of plain text; its description may break lines.
    s.name = "a \"quoted\" \\ name é → ✓".into();
    s.description = "two\n\tlines".into();
    let mut lab = foobar_sim::Lab::new(&s).unwrap();
    lab.apply(Action::Rate { rate: 250.5 }).unwrap();
    lab.advance_to(foobar_sim::SimTime(3_000_000));
    lab.apply(Action::Fault {
        target: "web-01".into(),
        fault: FaultKind::Crash,
    })
    .unwrap();
    lab.advance_to(foobar_sim::SimTime(5_000_000));
    let link = lab.share_link(Some("kill-web-01".into()));
    let shared = foobar_sim::share::decode(&link).unwrap();
    round_trip(&shared);
}

/// A bad value is refused as a typed problem at its path, whoever finds it: the parser, serde's
/// derive (unknown, repeated and missing fields) or the reader (kinds, ranges, names).
#[test]
fn a_bad_value_is_a_problem_at_its_path() {
    let e = |text: &str| {
        let e = Scenario::from_json(text).unwrap_err();
        (e.path, e.problem)
    };
    let fault = |fault: &str| {
        format!(r#"{{"faults": [{{"at_s": 1, "target": "web-01", "fault": {fault}}}]}}"#)
    };
    assert_eq!(
        e(r#"{"haproxy": {"servers": [{}, {"weight": -1}]}}"#),
        (
            "haproxy.servers[1].weight".into(),
            Problem::WholeNumberOutOfRange {
                max: u32::MAX.into(),
                got: -1.0
            }
        )
    );
    let (path, problem) = e(r#"{"haproxy": {"rise": 2, "rsie": 3}}"#);
    assert_eq!(path, "haproxy");
    assert!(
        matches!(&problem, Problem::UnknownField { name, known } if name == "rsie" && known.contains(&"rise".to_string())),
        "{problem:?}"
    );
    assert_eq!(
        e(r#"{"seed": 1, "seed": 2}"#),
        (
            "".into(),
            Problem::FieldTwice {
                name: "seed".into()
            }
        )
    );
    assert_eq!(
        e(r#"{"faults": [{"at_s": 1, "fault": "crash"}]}"#),
        (
            "faults[0]".into(),
            Problem::MissingField {
                name: "target".into()
            }
        )
    );
    assert_eq!(
        e(&fault(r#"{"slow": {}}"#)),
        (
            "faults[0].fault.slow".into(),
            Problem::MissingField {
                name: "factor".into()
            }
        )
    );
    let (path, problem) = e(&fault(r#"{"slow": {"factor": 2, "mode": 1}}"#));
    assert_eq!(path, "faults[0].fault.slow");
    assert!(
        matches!(&problem, Problem::UnknownField { name, .. } if name == "mode"),
        "{problem:?}"
    );
    assert_eq!(
        e(&fault(r#"{"crash": {"x": 1}}"#)),
        (
            "faults[0].fault".into(),
            Problem::TakesNoFields {
                name: "crash".into()
            }
        )
    );
    assert!(matches!(
        e(&fault(r#""melt""#)),
        (path, Problem::UnknownVariant { name, .. }) if path == "faults[0].fault" && name == "melt"
    ));
    assert_eq!(
        e(&fault("3")),
        (
            "faults[0].fault".into(),
            Problem::Expected {
                expected: JsonKind::Variant,
                got: JsonKind::Number
            }
        )
    );
    assert_eq!(
        e(r#"{"haproxy": {"balance": {"roundrobin": null}}}"#),
        (
            "haproxy.balance".into(),
            Problem::Expected {
                expected: JsonKind::Name,
                got: JsonKind::Object
            }
        )
    );
    assert!(matches!(
        e(r#"{"haproxy": {"balance": "fastest"}}"#),
        (path, Problem::UnknownValue { name, .. }) if path == "haproxy.balance" && name == "fastest"
    ));
    assert_eq!(
        e(r#"{"seed": 18446744073709551615, "name": 1}"#),
        (
            "name".into(),
            Problem::Expected {
                expected: JsonKind::String,
                got: JsonKind::Number
            }
        )
    );
}
