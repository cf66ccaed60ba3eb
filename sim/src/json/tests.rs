use super::*;
use crate::error::Syntax;

fn err(text: &str) -> Box<Error> {
    parse(text.as_bytes()).expect_err(text)
}

/// The JSON grammar, its escapes and its numbers.
#[test]
fn parses_json() {
    let v =
        parse(br#" {"a": [1, -2.5e1, true, null, "x\"\u00e9\ud83d\ude00\n"], "b": {}} "#).unwrap();
    let Value::Obj(pairs) = &v else { panic!() };
    assert_eq!(pairs[0].0, "a");
    assert_eq!(
        pairs[0].1,
        Value::Arr(vec![
            Value::Num(1.0, Some(1)),
            Value::Num(-25.0, None),
            Value::Bool(true),
            Value::Null,
            Value::Str("x\"é😀\n".into()),
        ])
    );
    assert_eq!(pairs[1].1, Value::Obj(vec![]));
    assert_eq!(
        parse(b"18446744073709551615").unwrap(),
        Value::Num(18446744073709551615.0, Some(u64::MAX))
    );
    assert_eq!(parse(b"2.0").unwrap(), Value::Num(2.0, None));
}

/// What serde_json writes, parsed and written again, is the same text.
#[test]
fn writes_a_value_back_as_it_was_written() {
    let text = r#"{"a":[1,-25.0,0.1,18446744073709551615,true,null],"b":{"c":"x\"é\n"},"d":2.0}"#;
    let v = parse(text.as_bytes()).unwrap();
    assert_eq!(serde_json::to_string(&v).unwrap(), text);
}

/// What is not JSON is refused with where and why.
#[test]
fn refuses_what_is_not_json() {
    for bad in [
        "",
        "{",
        "[1,]",
        "{\"a\" 1}",
        "01",
        "1.",
        "-",
        "1e",
        "1e999",
        "\"\\x\"",
        "\"\\ud800\"",
        "tru",
        "{} {}",
        "\"\u{1}\"",
        "[1 2]",
        "{1: 2}",
        "\"abc",
    ] {
        let e = err(bad);
        assert!(e.path.is_empty(), "{bad}: {e}");
    }
    assert!(err("{").ends_too_soon());
    assert!(!err("[1 2]").ends_too_soon());
    assert_eq!(
        err("[1 2]").problem,
        Problem::Syntax {
            what: Syntax::ExpectedCommaOrBracket,
            line: 1,
            column: 4
        }
    );
    assert_eq!(
        err("[1 2]").to_string(),
        "expected `,` or `]` at line 1 column 4"
    );
    assert!(matches!(
        err("{\n  \"a\": x}").problem,
        Problem::Syntax {
            line: 2,
            column: 8,
            ..
        }
    ));
    let deep = "[".repeat(10_000);
    assert!(matches!(
        err(&deep).problem,
        Problem::Syntax {
            what: Syntax::TooDeep,
            ..
        }
    ));
    assert!(parse(&[b'"', 0xff, b'"']).is_err());
}

use serde::Deserialize;

#[derive(Debug, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Server {
    name: String,
    weight: u32,
    #[serde(rename = "is-backup")]
    backup: Option<bool>,
}

fn half() -> f64 {
    0.5
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pool {
    servers: Vec<Server>,
    seed: u64,
    #[serde(default = "half")]
    share: f64,
    #[serde(default)]
    note: Option<String>,
}

names! {
    pub enum Mode {
        Fast = "fast",
        SlowDown = "slow-down",
    }
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
enum Fault {
    Crash,
    Slow { factor: f64, mode: Mode },
}

fn read<T: DeserializeOwned>(text: &str) -> std::result::Result<T, String> {
    from_slice(text.as_bytes()).map_err(|e| e.to_string())
}

/// Fields by name, defaults, and errors that name the field's path.
#[test]
fn reads_records_and_names_the_bad_field() {
    let p: Pool =
        read(r#"{"servers": [{"name": "web-01", "is-backup": true}], "seed": 7}"#).unwrap();
    assert_eq!(
        p,
        Pool {
            servers: vec![Server {
                name: "web-01".into(),
                weight: 0,
                backup: Some(true)
            }],
            seed: 7,
            share: 0.5,
            note: None,
        }
    );
    let e = |t: &str| read::<Pool>(t).unwrap_err();
    assert_eq!(
        e(r#"{"servers": [{}, {"weight": -1}], "seed": 1}"#),
        "servers[1].weight: expected a whole number from 0 to 4294967295, not -1"
    );
    assert_eq!(
        e(r#"{"servers": [], "seed": 1.5}"#),
        "seed: expected a whole number from 0 to 18446744073709551615, not 1.5"
    );
    assert_eq!(e(r#"{"servers": []}"#), "the field `seed` is missing");
    let p: Pool = read(r#"{"servers": [{"weight": 2.0}], "seed": 1e3}"#).unwrap();
    assert_eq!((p.servers[0].weight, p.seed), (2, 1000));
    assert_eq!(
        e(r#"{"servers": [{"nmae": "x"}], "seed": 1}"#),
        "servers[0]: unknown field `nmae`; the fields are name, weight, is-backup"
    );
    assert_eq!(
        e(r#"{"servers": [], "seed": 1, "seed": 2}"#),
        "the field `seed` is given twice"
    );
    assert_eq!(
        e(r#"{"servers": {}, "seed": 1}"#),
        "servers: expected a list, not an object"
    );
    assert_eq!(e("[]"), "expected an object, not a list");
}

/// serde's externally tagged enums: `"name"` or `{"name": {fields}}`.
#[test]
fn reads_enums_as_serde_writes_them() {
    assert_eq!(read::<Mode>(r#""slow-down""#), Ok(Mode::SlowDown));
    assert_eq!(Mode::ALL, [Mode::Fast, Mode::SlowDown]);
    assert_eq!(Mode::SlowDown.as_str(), "slow-down");
    assert_eq!(
        read::<Mode>(r#""slow""#).unwrap_err(),
        "unknown value `slow`; it is one of fast, slow-down"
    );
    assert_eq!(read::<Fault>(r#""crash""#), Ok(Fault::Crash));
    assert_eq!(read::<Fault>(r#"{"crash": null}"#), Ok(Fault::Crash));
    assert_eq!(
        read::<Fault>(r#"{"slow": {"factor": 2, "mode": "fast"}}"#),
        Ok(Fault::Slow {
            factor: 2.0,
            mode: Mode::Fast
        })
    );
    for (text, why) in [
        (
            r#"{"slow": {"factor": 2}}"#,
            "slow: the field `mode` is missing",
        ),
        (r#""slow""#, "slow: expected an object, not null"),
        (r#"{"crash": {"x": 1}}"#, "`crash` takes no fields"),
        (
            r#"{"melt": {}}"#,
            "unknown variant `melt`; it is one of crash, slow",
        ),
        (
            r#"{"crash": null, "slow": {}}"#,
            "expected a name or an object with one field, not an object",
        ),
    ] {
        assert_eq!(read::<Fault>(text).unwrap_err(), why, "{text}");
    }
}
