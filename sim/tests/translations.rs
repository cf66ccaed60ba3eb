//! The lessons are translated (French and Spanish after English). A translated book
//! is the English book with only its words changed: the same lessons in the same order, with
//! the same scenario, setup, steps, actions, waits, checks and right answer, so a lesson plays
//! and is checked the same in every language. Its words are all there and translated, and
//! what the real software prints (`code` spans, status strings, option names, host names)
//! is left exactly as in English.

mod common;
use foobar_sim::lesson::{parse_book, Lesson};
use serde_json::Value;

const TRANSLATIONS: [&str; 2] = ["fr", "es"];

/// Terms from the real software kept as they are in every language, wherever English has them.
const VERBATIM: &[&str] = &[
    "inter 2000 ms",
    "fall 3",
    "UP 2/3, UP 1/3, DOWN",
    "roundrobin",
    "leastconn",
    "balance source",
    "hash-type map-based",
    "hash-type consistent",
    "cookie SERVERID insert",
    "option allbackups",
    "option httpchk GET /health",
    "bind :443 ssl crt",
    "advert_int",
    "keepalived",
    "HAProxy",
    "Nginx",
    "MySQL",
    "www.foobar.com",
    "POST /login",
    "ERROR 1290",
    "--read-only",
    "502 Bad Gateway",
    "3306",
    "80/443",
    "iptables/nftables",
    "Prometheus/Grafana",
    "Let's Encrypt",
];

fn read(lang: &str) -> String {
    common::lessons_json(lang)
}

fn book(lang: &str) -> Vec<Lesson> {
    parse_book(&read(lang)).unwrap_or_else(|e| panic!("lang/{lang}.json: {e}"))
}

fn json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap()
}

/// Every text field a student reads, named for messages.
fn texts(l: &Lesson) -> Vec<(String, &str)> {
    let mut t = vec![
        ("topic".to_string(), l.topic.as_str()),
        ("title".to_string(), l.title.as_str()),
        ("intro".to_string(), l.intro.as_str()),
        ("predict.question".to_string(), l.predict.question.as_str()),
    ];
    for (i, c) in l.predict.choices.iter().enumerate() {
        t.push((format!("predict.choices[{i}]"), c.as_str()));
    }
    for (i, s) in l.steps.iter().enumerate() {
        t.push((format!("steps[{i}].text"), s.text.as_str()));
    }
    t.push(("goal".to_string(), l.goal.as_str()));
    t.push(("explain".to_string(), l.explain.as_str()));
    t.into_iter()
        .map(|(name, text)| (format!("{}.{name}", l.id), text))
        .collect()
}

/// The text between backticks.
fn code_spans(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// Words that are identifiers of the real software: with an underscore (`read_only`), host
/// names (`web-01`), or in capitals (`DOWN`, `GTID`, `L7STS`, `INSERT/UPDATE`, `N+1`).
fn identifiers(s: &str) -> Vec<&str> {
    s.split_whitespace()
        .map(|w| w.trim_matches(|c: char| "()[]{},.;:!?\"'…".contains(c)))
        .map(|w| w.strip_suffix("'s").unwrap_or(w))
        .filter(|w| {
            let host = w.len() > 3
                && w.rsplit_once('-').is_some_and(|(name, n)| {
                    name.chars().all(|c| c.is_ascii_lowercase())
                        && !n.is_empty()
                        && n.chars().all(|c| c.is_ascii_digit())
                });
            let capitals = w.len() >= 2
                && w.chars().any(|c| c.is_ascii_uppercase())
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "/+_-".contains(c));
            w.contains('_') || host || capitals
        })
        .collect()
}

/// What is wrong with `other` as a translation of `en` (nothing when it is right).
fn problems(en_text: &str, en: &[Lesson], other_text: &str, other: &[Lesson]) -> Vec<String> {
    let mut bad = Vec::new();
    let ids = |b: &[Lesson]| b.iter().map(|l| l.id.clone()).collect::<Vec<_>>();
    if ids(en) != ids(other) {
        bad.push(format!("lessons differ: {:?} vs {:?}", ids(en), ids(other)));
        return bad;
    }

    // The skeleton (everything but the words) is the same JSON, keys present or absent alike.
    let blank = |text: &str| {
        let mut v: Value = serde_json::from_str(text).unwrap();
        for l in v.as_array_mut().unwrap() {
            for k in ["topic", "title", "intro", "goal", "explain"] {
                l[k] = Value::Null;
            }
            l["predict"]["question"] = Value::Null;
            for c in l["predict"]["choices"].as_array_mut().unwrap() {
                *c = Value::Null;
            }
            for s in l["steps"].as_array_mut().unwrap() {
                s["text"] = Value::Null;
            }
        }
        v
    };
    if blank(en_text) != blank(other_text) {
        bad.push("the file differs from en.json outside its text fields".to_string());
    }

    let mut fields = 0;
    let mut untranslated = Vec::new();
    let mut topics = std::collections::BTreeMap::new();
    for (e, o) in en.iter().zip(other) {
        let id = &e.id;
        let same = [
            ("scenario", json(&e.scenario), json(&o.scenario)),
            ("setup", json(&e.setup), json(&o.setup)),
            ("check", json(&e.check), json(&o.check)),
            (
                "predict.answer",
                json(&e.predict.answer),
                json(&o.predict.answer),
            ),
            (
                "number of choices",
                json(&e.predict.choices.len()),
                json(&o.predict.choices.len()),
            ),
            (
                "number of steps",
                json(&e.steps.len()),
                json(&o.steps.len()),
            ),
        ];
        for (what, a, b) in same {
            if a != b {
                bad.push(format!("{id}: {what} is {b}, in English {a}"));
            }
        }
        for (i, (a, b)) in e.steps.iter().zip(&o.steps).enumerate() {
            for (what, x, y) in [
                ("highlight", json(&a.highlight), json(&b.highlight)),
                ("action", json(&a.action), json(&b.action)),
                ("wait_s", json(&a.wait_s), json(&b.wait_s)),
            ] {
                if x != y {
                    bad.push(format!("{id}: steps[{i}].{what} is {y}, in English {x}"));
                }
            }
        }
        // One English topic, one translated topic: the page groups lessons by it.
        let t = topics.entry(e.topic.clone()).or_insert(o.topic.clone());
        if *t != o.topic {
            bad.push(format!(
                "{id}: topic {:?} translated both {t:?} and {:?}",
                e.topic, o.topic
            ));
        }

        let (et, ot) = (texts(e), texts(o));
        if et.len() != ot.len() {
            continue;
        }
        for ((name, a), (_, b)) in et.iter().zip(&ot) {
            fields += 1;
            if b.trim().is_empty() {
                bad.push(format!("{name} is empty"));
            }
            if a == b {
                untranslated.push(name.clone());
            }
            let kept = code_spans(a)
                .into_iter()
                .map(|c| format!("`{c}`"))
                .chain(identifiers(a).into_iter().map(str::to_string))
                .chain(
                    VERBATIM
                        .iter()
                        .filter(|v| a.contains(*v))
                        .map(|v| v.to_string()),
                );
            for k in kept {
                if !b.contains(&k) {
                    bad.push(format!("{name}: {k:?} is missing or changed: {b:?}"));
                }
            }
        }
    }
    let mut translated: Vec<&String> = topics.values().collect();
    translated.sort();
    translated.dedup();
    if translated.len() != topics.len() {
        bad.push("two English topics share one translation".to_string());
    }
    // A few fields may rightly read the same (a choice that is a host name: "web-01").
    if untranslated.len() * 10 > fields {
        bad.push(format!(
            "{} of {fields} fields are the English text: {untranslated:?}",
            untranslated.len()
        ));
    }
    bad
}

fn check(lang: &str) {
    let bad = problems(&read("en"), &book("en"), &read(lang), &book(lang));
    assert!(bad.is_empty(), "lang/{lang}.json:\n{}", bad.join("\n"));
}

#[test]
fn french_is_the_english_book_translated() {
    check("fr");
}

#[test]
fn spanish_is_the_english_book_translated() {
    check("es");
}

#[test]
fn every_translation_is_tested() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../lang");
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_string))
        .filter(|n| n != "en")
        .collect();
    found.sort();
    let mut tested = TRANSLATIONS.map(str::to_string).to_vec();
    tested.sort();
    assert_eq!(
        found, tested,
        "a language in lang/ not listed in TRANSLATIONS"
    );
}

/// The test itself catches what it is for: an English copy, a changed step, a changed term.
#[test]
fn a_bad_translation_is_refused() {
    let en_text = read("en");
    let en = book("en");
    assert!(!problems(&en_text, &en, &en_text, &en).is_empty());

    let fr_text = read("fr");
    let mut v: Value = serde_json::from_str(&fr_text).unwrap();
    v[1]["steps"][2]["wait_s"] = Value::from(3);
    let moved = v.to_string();
    assert!(!problems(&en_text, &en, &moved, &parse_book(&moved).unwrap()).is_empty());

    let mut v: Value = serde_json::from_str(&fr_text).unwrap();
    let explain = v[1]["explain"]
        .as_str()
        .unwrap()
        .replace("fall 3", "chute 3");
    v[1]["explain"] = Value::from(explain);
    let renamed = v.to_string();
    let bad = problems(&en_text, &en, &renamed, &parse_book(&renamed).unwrap());
    assert!(bad.iter().any(|p| p.contains("\"fall 3\"")), "{bad:?}");

    assert_eq!(
        code_spans("set `inter 2000` and `fall 3`"),
        ["inter 2000", "fall 3"]
    );
    assert_eq!(
        identifiers("lb-02's VRRP state: UP 2/3, read_only = OFF; (L7STS) the A"),
        ["lb-02", "VRRP", "UP", "read_only", "OFF", "L7STS"]
    );
}
