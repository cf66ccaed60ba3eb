//! A share link carries the whole state and reproduces the run; any damaged,
//! truncated or foreign link gives a clear message, never a panic.

use foobar_sim::error::{LabError, LinkError};
use foobar_sim::scenario::FaultKind;
use foobar_sim::{Action, Lab, Scenario, SimTime, Summary};
use proptest::prelude::*;

fn a_run_with_a_failure() -> Lab {
    let mut s = Scenario::three_server();
    s.seed = 42;
    s.traffic.rate = 50.0;
    let mut lab = Lab::new(&s).unwrap();
    lab.advance_to(SimTime::from_secs_f64(5.0));
    lab.apply(Action::Fault {
        target: "web-01".into(),
        fault: FaultKind::Crash,
    })
    .unwrap();
    lab.advance_to(SimTime::from_secs_f64(17.5));
    lab
}

fn fingerprint(lab: &Lab) -> String {
    serde_json::to_string(&Summary::of(lab.world())).unwrap()
}

#[test]
fn a_link_reproduces_the_run() {
    let lab = a_run_with_a_failure();
    let link = lab.share_link(Some("why-each-component".into()));
    assert!(link.starts_with("v2."));
    assert!(link.len() < 6000, "{} characters", link.len());
    let (again, lesson) = Lab::from_link(&format!("#{link}")).unwrap();
    assert_eq!(lesson.as_deref(), Some("why-each-component"));
    assert_eq!(again.now(), SimTime::from_secs_f64(17.5));
    assert_eq!(fingerprint(&again), fingerprint(&lab));
    assert_eq!(Summary::of(again.world()).servers["web-01"].status, "DOWN");
}

/// The link error a link gets.
fn link_error(link: &str) -> LinkError {
    match Lab::from_link(link) {
        Err(LabError::Link(e)) => e,
        Err(e) => panic!("{link:?}: not a link error: {e:?}"),
        Ok(_) => panic!("{link:?} accepted"),
    }
}

#[test]
fn bad_links_say_what_is_wrong() {
    let good = a_run_with_a_failure().share_link(None);
    let cases = [
        ("", LinkError::Empty, "the link is empty"),
        (
            "hello",
            LinkError::NotALink { version: 2 },
            "this is not a Foobar Lab link (it should start with v2.)",
        ),
        (
            "v9.abc",
            LinkError::Newer {
                version: 9,
                reads: 2,
            },
            "this link was made by a newer Foobar Lab (link version 9, this page reads version 2)",
        ),
        (
            "v0.abc",
            LinkError::Unsupported { version: 0 },
            "this link's version (0) is no longer supported",
        ),
        (
            "v1.!!!",
            LinkError::BadCharacters,
            "the link is damaged: it has characters a link cannot have",
        ),
        (
            "v2.AAAA",
            LinkError::NoChecksum,
            "the link is damaged: its checksum is missing",
        ),
        (
            "v2.AAAA.00000000",
            LinkError::ChecksumMismatch,
            "the link is damaged: a character has changed (its checksum does not match)",
        ),
    ];
    for (link, error, words) in cases {
        let e = link_error(link);
        assert_eq!(e, error, "{link:?}");
        assert_eq!(e.to_string(), words);
    }
    assert!(matches!(link_error("v1.AAAA"), LinkError::NotAState(_)));
    let cut = &good[..good.len() / 2];
    assert_eq!(link_error(cut), LinkError::NoChecksum);
    let v1_cut = format!("v1.{}", &good[3..good.len() / 2]);
    assert_eq!(link_error(&v1_cut), LinkError::CutShort);
    // A well-formed link whose scenario is out of range names the field.
    let mut s = Scenario::three_server();
    s.traffic.rate = 1e9;
    let bad = foobar_sim::share::encode(&foobar_sim::share::Shared {
        scenario: s,
        actions: vec![],
        t: SimTime::ZERO,
        lesson: None,
    });
    assert!(matches!(link_error(&bad), LinkError::Scenario(ref e) if e.path == "traffic.rate"));
    // A link to hour 100 of a busy run would take too long to replay.
    let mut busy = Scenario::three_server();
    busy.traffic.rate = 5000.0;
    let far = foobar_sim::share::encode(&foobar_sim::share::Shared {
        scenario: busy,
        actions: vec![],
        t: SimTime::from_secs_f64(360_000.0),
        lesson: None,
    });
    let e = link_error(&far);
    assert!(matches!(e, LinkError::TooBusy { million_requests } if million_requests > 20.0));
    assert!(e.to_string().contains("too far"));
}

/// A version 2 link carries its body's CRC-32, so a link with any one
/// character changed is refused as damaged, never read as another design.
#[test]
fn every_single_character_change_of_a_link_is_refused() {
    let good = a_run_with_a_failure().share_link(Some("lb-spof".into()));
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = good.as_bytes();
    for i in 0..bytes.len() {
        let c = bytes[i] as char;
        let next = |k: usize| {
            let at = alphabet.find(c).map_or(k, |p| p + k);
            alphabet.as_bytes()[at % alphabet.len()] as char
        };
        for other in [next(1), next(17), next(40), '.', c.to_ascii_uppercase()] {
            if other == c {
                continue;
            }
            let mut changed = good.clone().into_bytes();
            changed[i] = other as u8;
            let changed = String::from_utf8(changed).unwrap();
            // Refused as a link: never read as a design, never a scenario or replay error.
            let e = link_error(&changed);
            assert!(
                matches!(
                    e,
                    LinkError::ChecksumMismatch
                        | LinkError::NoChecksum
                        | LinkError::NotALink { .. }
                        | LinkError::Newer { .. }
                        | LinkError::Unsupported { .. }
                        | LinkError::BadCharacters
                        | LinkError::NotAState(_)
                        | LinkError::CutShort
                ),
                "position {i}: {c:?} -> {other:?}: {e:?}"
            );
        }
    }
}

/// Version 1 links (`v1.`, the same body without the checksum) still read, as the same
/// state.
#[test]
fn a_version_1_link_still_reads() {
    let lab = a_run_with_a_failure();
    let v2 = lab.share_link(None);
    let body = v2["v2.".len()..].rsplit_once('.').unwrap().0;
    let (old, _) = Lab::from_link(&format!("v1.{body}")).unwrap();
    let (new, _) = Lab::from_link(&v2).unwrap();
    assert_eq!(fingerprint(&old), fingerprint(&new));
    assert_eq!(
        foobar_sim::share::decode(&format!("v1.{body}")).unwrap(),
        foobar_sim::share::decode(&v2).unwrap()
    );
}

proptest! {
    /// Random text, random cuts and random corruptions of a real link never panic.
    #[test]
    fn decoding_is_total(text in ".{0,300}", cut in 0usize..5000, flip in 0usize..5000, byte in 0u8..64) {
        let _ = Lab::from_link(&text);
        let good = foobar_sim::share::encode(&foobar_sim::share::Shared {
            scenario: Scenario::three_server(),
            actions: vec![],
            t: SimTime::from_secs_f64(3.0),
            lesson: None,
        });
        let cut = cut.min(good.len());
        let _ = Lab::from_link(&good[..cut]);
        let mut bytes = good.into_bytes();
        let i = flip % bytes.len();
        bytes[i] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[byte as usize];
        let _ = Lab::from_link(&String::from_utf8(bytes).unwrap());
    }
}
