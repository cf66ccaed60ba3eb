//! The page's languages: every word it shows comes from one data file per
//! language, `lang/<code>.json`, fetched when the page opens or the language changes:
//!
//! ```json
//! { "ui": { "play": "▶ Play", "served": { "one": "{n} served", "other": "{n} served" } },
//!   "lessons": [ … ] }
//! ```
//!
//! `ui` holds the interface's words by key (`text.rs` names every key), a `{name}` in one
//! being a value the page fills in; a word that depends on a count has a form for one and
//! one for every other count, chosen by the language's own rule. `lessons` is the book of
//! lessons in that language. Numbers are written as the language writes them (`1,234.5`,
//! `1 234,5`, `1234,5`).
//!
//! The words in force are one table per thread, set once they are read: the views call
//! `text::play()` and so on, with no language passed down through every component.

use std::cell::RefCell;

use foobar_sim::error::Problem;
use foobar_sim::json::Value;
use foobar_sim::lesson::Lesson;

use crate::text::Key;

/// A language the page speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Es];

    /// Its BCP 47 code, as `<html lang>`, `?lang=` and the data file's name write it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
        }
    }

    /// Its name in itself, the same in every language (the picker lists them so).
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Es => "Español",
        }
    }

    /// The language of a tag such as `fr`, `fr-CA` or `ES`; `None` for one the page lacks.
    pub fn of_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The first of a browser's preferred languages (`navigator.languages`) the page speaks.
    pub fn preferred<'a>(tags: impl IntoIterator<Item = &'a str>) -> Option<Lang> {
        tags.into_iter().find_map(Lang::of_tag)
    }

    /// Where its words are, relative to the page.
    pub fn file(self) -> String {
        format!("lang/{}.json", self.code())
    }

    /// Whether a count takes the form for one (CLDR's plural rules: French counts 0 as one).
    pub fn is_one(self, n: u64) -> bool {
        match self {
            Lang::Fr => n <= 1,
            Lang::En | Lang::Es => n == 1,
        }
    }

    fn decimal_mark(self) -> char {
        match self {
            Lang::En => '.',
            Lang::Fr | Lang::Es => ',',
        }
    }

    /// The thousands separator, and from how many digits on it is written (CLDR: Spanish
    /// writes 1234 but 12.345).
    fn grouping(self) -> (char, usize) {
        match self {
            Lang::En => (',', 4),
            Lang::Fr => ('\u{202f}', 4),
            Lang::Es => ('.', 5),
        }
    }
}

/// One entry of `ui`: words, or words by count.
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    Plain(String),
    Counted { one: String, other: String },
}

impl Text {
    fn forms(&self) -> Vec<&str> {
        match self {
            Text::Plain(s) => vec![s],
            Text::Counted { one, other } => vec![one, other],
        }
    }
}

/// A language's words, every key there.
#[derive(Debug)]
pub struct Words {
    pub lang: Lang,
    texts: Vec<Text>,
}

/// A language's data file, read: its words, and its lessons (or why they cannot be read:
/// the page works without them).
#[derive(Debug)]
pub struct LangFile {
    pub words: Words,
    pub lessons: Result<Vec<Lesson>, String>,
}

/// One entry of `ui`, read: words, or `{"one": …, "other": …}`.
fn text_of(v: &Value) -> Option<Text> {
    match v {
        Value::Str(s) => Some(Text::Plain(s.clone())),
        Value::Obj(forms) if forms.len() == 2 => {
            let form = |name: &str| {
                forms.iter().find_map(|(k, v)| match v {
                    Value::Str(s) if k == name => Some(s.clone()),
                    _ => None,
                })
            };
            Some(Text::Counted {
                one: form("one")?,
                other: form("other")?,
            })
        }
        _ => None,
    }
}

/// Reads `lang/<code>.json` (with the core's JSON reader: one reader of JSON in the page,
/// for its size). Every key of `text.rs` must be there, and nothing else.
pub fn read(lang: Lang, bytes: &[u8]) -> Result<LangFile, String> {
    let file = lang.file();
    // Where, not the core's English message: that would link every message's text in.
    let root = foobar_sim::json::parse(bytes).map_err(|e| match e.problem {
        Problem::Syntax { line, column, .. } => {
            format!("{file}: not JSON (line {line}, column {column})")
        }
        Problem::EndsTooSoon { line, .. } => format!("{file}: ends too soon (line {line})"),
        _ => format!("{file}: not JSON"),
    })?;
    let member = |name: &str| match &root {
        Value::Obj(fields) => fields.iter().find(|(k, _)| k == name).map(|(_, v)| v),
        _ => None,
    };
    let Some(Value::Obj(ui)) = member("ui") else {
        return Err(format!("{file}: no \"ui\" object of words"));
    };
    let mut texts = Vec::with_capacity(Key::ALL.len());
    let mut missing = Vec::new();
    for &key in Key::ALL {
        match ui.iter().find(|(k, _)| k == key.name()) {
            Some((k, v)) => match text_of(v) {
                Some(t) => texts.push(t),
                None => return Err(format!("{file}: {k} is neither words nor one and other")),
            },
            None => missing.push(key.name()),
        }
    }
    if !missing.is_empty() {
        return Err(format!("{file}: no words for {}", missing.join(", ")));
    }
    if let Some((extra, _)) = ui
        .iter()
        .find(|(k, _)| !Key::ALL.iter().any(|key| key.name() == k))
    {
        return Err(format!("{file}: \"{extra}\" is not a key of the page"));
    }
    let lessons = match member("lessons") {
        Some(v) => foobar_sim::lesson::book_from(v).map_err(|e| crate::narration::book_error(&e)),
        None => Err(format!("{file}: no \"lessons\"")),
    };
    Ok(LangFile {
        words: Words { lang, texts },
        lessons,
    })
}

/// The `{name}`s a text fills in, sorted.
pub fn placeholders(s: &str) -> Vec<&str> {
    let mut out: Vec<&str> = s
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .filter(|name| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// What differs between a translation and the English it translates: a form it lacks, or a
/// `{name}` that differs (each form fills in what English's fills in).
pub fn differences(english: &Words, other: &Words) -> Vec<String> {
    let mut out = Vec::new();
    for (i, &key) in Key::ALL.iter().enumerate() {
        let (en, tr) = (&english.texts[i], &other.texts[i]);
        if std::mem::discriminant(en) != std::mem::discriminant(tr) {
            out.push(format!(
                "{}: one form in one language, two in the other",
                key.name()
            ));
            continue;
        }
        let want = placeholders(en.forms().last().copied().unwrap_or(""));
        for form in tr.forms() {
            let got = placeholders(form);
            if got != want {
                out.push(format!(
                    "{}: fills in {got:?}, English {want:?}",
                    key.name()
                ));
            }
        }
    }
    out
}

thread_local! {
    /// The words in force, and each language's once read (read once, kept for the page's
    /// life: a language switched back to costs nothing).
    static WORDS: RefCell<(Option<&'static Words>, [Option<&'static Words>; 3])> =
        const { RefCell::new((None, [None, None, None])) };
}

/// Puts these words in force (the page then draws itself again).
pub fn install(words: Words) {
    let index = Lang::ALL.iter().position(|&l| l == words.lang).unwrap_or(0);
    let leaked: &'static Words = Box::leak(Box::new(words));
    WORDS.with(|w| {
        let mut w = w.borrow_mut();
        w.0 = Some(leaked);
        w.1[index] = Some(leaked);
    });
}

/// Puts a language read before back in force; `false` if it has not been read.
pub fn reuse(lang: Lang) -> bool {
    let index = Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0);
    WORDS.with(|w| {
        let mut w = w.borrow_mut();
        match w.1[index] {
            Some(words) => {
                w.0 = Some(words);
                true
            }
            None => false,
        }
    })
}

fn current() -> Option<&'static Words> {
    let words = WORDS.with(|w| w.borrow().0);
    #[cfg(not(target_arch = "wasm32"))]
    if words.is_none() {
        // Native code (the page's logic, tested natively) speaks English from the file
        // itself; the page fetches its words instead, keeping them out of the wasm.
        let file = read(Lang::En, include_bytes!("../lang/en.json"))
            .expect("lang/en.json is a complete language file");
        install(file.words);
        return WORDS.with(|w| w.borrow().0);
    }
    words
}

/// The language in force (English until one is read).
pub fn lang() -> Lang {
    current().map_or(Lang::En, |w| w.lang)
}

/// Whether the page has words to show yet.
pub fn ready() -> bool {
    WORDS.with(|w| w.borrow().0.is_some())
}

/// A key's words (for one counted, its form for other counts).
pub fn get(key: Key) -> &'static str {
    match current().map(|w| &w.texts[key as usize]) {
        Some(Text::Plain(s)) | Some(Text::Counted { other: s, .. }) => s,
        None => "",
    }
}

/// A key's words with its `{name}`s filled in.
pub fn fill(key: Key, values: &[(&str, &str)]) -> String {
    fill_in(get(key), values)
}

/// A counted key's form for `n`, filled in (`{n}` is `n`, written as the language does).
pub fn count(key: Key, n: u64, values: &[(&str, &str)]) -> String {
    let words = match current().map(|w| (&w.texts[key as usize], w.lang)) {
        Some((Text::Counted { one, .. }, l)) if l.is_one(n) => one.as_str(),
        _ => get(key),
    };
    let n = int(n);
    let mut all = vec![("n", n.as_str())];
    all.extend_from_slice(values);
    fill_in(words, &all)
}

fn fill_in(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.split_once('}').and_then(|(name, tail)| {
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (v, tail))
        }) {
            Some((v, tail)) => {
                out.push_str(v);
                rest = tail;
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Groups an integer's digits as the language does.
fn grouped(digits: &str, lang: Lang) -> String {
    let (sep, from) = lang.grouping();
    if digits.len() < from {
        return digits.to_string();
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A whole number, as the language writes it: `12,345`, `12 345`, `12.345`.
pub fn int(n: u64) -> String {
    grouped(&n.to_string(), lang())
}

/// A number as Rust prints it (`1234.5`, `-0.25`), written as the language does.
pub fn localised(plain: &str) -> String {
    let l = lang();
    let (sign, unsigned) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain),
    };
    let (whole, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if !whole.bytes().all(|b| b.is_ascii_digit()) {
        return plain.to_string();
    }
    let mut out = format!("{sign}{}", grouped(whole, l));
    if !frac.is_empty() {
        out.push(l.decimal_mark());
        out.push_str(frac);
    }
    out
}

/// A clock (`1:02.3`) with the language's decimal mark.
pub fn localised_clock(clock: &str) -> String {
    clock.replace('.', lang().decimal_mark().encode_utf8(&mut [0; 4]))
}

/// `x` with exactly `places` decimals, as the language writes it.
pub fn fixed(x: f64, places: usize) -> String {
    localised(&foobar_sim::num::Fixed(x, places).to_string())
}

/// `x` with no needless decimals, as the language writes it.
pub fn dec(x: f64) -> String {
    localised(&foobar_sim::num::Dec(x).to_string())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn file(lang: Lang) -> LangFile {
        let path = format!("{}/{}", env!("CARGO_MANIFEST_DIR"), lang.file());
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        read(lang, &bytes).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Every language's file has every key of the page and no other, each filling
    /// in exactly what English fills in, with a form for one and for others where English
    /// has them; and its lessons are a book the core reads.
    #[test]
    fn every_language_is_complete_and_fills_in_what_english_does() {
        let en = file(Lang::En);
        for lang in Lang::ALL {
            let f = file(lang);
            let diff = differences(&en.words, &f.words);
            assert!(diff.is_empty(), "{}: {diff:#?}", lang.file());
            for (i, t) in f.words.texts.iter().enumerate() {
                for form in t.forms() {
                    assert!(
                        !form.trim().is_empty(),
                        "{}: {} is empty",
                        lang.file(),
                        Key::ALL[i].name()
                    );
                }
            }
            if let Err(e) = &f.lessons {
                panic!("{}: lessons: {e}", lang.file());
            }
        }
    }

    /// The keys whose words are the same as English's on purpose: names, the software's own
    /// strings, symbols, or the same word in that language.
    const SAME_IN_FRENCH: &[&str] = &[
        "title",
        "pause",
        "settings_haproxy",
        "text_haproxy",
        "shortcuts_button",
        "tab_share",
        "speed_times",
        "speed_fraction",
        "clock_of",
        "seconds",
        "millis",
        "kind_dns",
        "kind_dns_what",
        "kind_haproxy",
        "kind_keepalived",
        "kind_keepalived_what",
        "kind_nginx",
        "kind_mysql",
        "kind_agent_what",
        "badge_up",
        "badge_drain",
        "vrrp_vip",
        "carries_web",
        "carries_data",
        "current",
        "totals_ok",
        "dbf_transactions",
        "default_value",
        "opt_check_http",
        "sc_numbers_keys",
        "sc_lessons_keys",
        "sc_next_keys",
        "sc_do_keys",
        "sc_presenter_keys",
        "sc_copy_keys",
        "sc_help_keys",
        "req_per_s",
        "part_haproxy",
        "part_mysql",
        "seen_status_count",
        "json_null",
    ];
    const SAME_IN_SPANISH: &[&str] = &[
        "title",
        "haproxy_sees",
        "legend_error",
        "no",
        "settings_haproxy",
        "text_haproxy",
        "shortcuts_button",
        "speed_times",
        "speed_fraction",
        "clock_of",
        "seconds",
        "millis",
        "kind_dns",
        "kind_dns_what",
        "kind_host",
        "kind_haproxy",
        "kind_keepalived",
        "kind_keepalived_what",
        "kind_nginx",
        "kind_mysql",
        "badge_up",
        "badge_drain",
        "vrrp_vip",
        "node_aria",
        "carries_web",
        "carries_data",
        "current",
        "totals_ok",
        "default_value",
        "opt_check_http",
        "sc_numbers_keys",
        "sc_lessons_keys",
        "sc_next_keys",
        "sc_do_keys",
        "sc_presenter_keys",
        "sc_copy_keys",
        "sc_help_keys",
        "sc_escape_keys",
        "req_per_s",
        "log_fault",
        "part_haproxy",
        "part_mysql",
        "seen_status_count",
        "json_null",
    ];

    /// French and Spanish are written, not copied: a word the same as English is
    /// one of the few that are the same on purpose.
    #[test]
    fn french_and_spanish_are_translated_not_copied() {
        let en = file(Lang::En);
        for (lang, same) in [(Lang::Fr, SAME_IN_FRENCH), (Lang::Es, SAME_IN_SPANISH)] {
            let f = file(lang);
            let copied: Vec<&str> = Key::ALL
                .iter()
                .enumerate()
                .filter(|(i, k)| {
                    en.words.texts[*i] == f.words.texts[*i] && !same.contains(&k.name())
                })
                .map(|(_, k)| k.name())
                .collect();
            assert!(
                copied.is_empty(),
                "{}: still English: {copied:?}",
                lang.file()
            );
        }
    }

    /// A file that misses a key, has one too many, or fills in another value than
    /// English is refused or reported, naming the key.
    #[test]
    fn a_missing_extra_or_different_key_is_caught() {
        let path = format!("{}/lang/en.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let ui = json["ui"].as_object_mut().unwrap();
        let name = Key::ALL[0].name();
        let kept = ui.remove(name).unwrap();
        let err = read(Lang::En, json.to_string().as_bytes()).unwrap_err();
        assert!(err.contains(name), "{err}");
        let ui = json["ui"].as_object_mut().unwrap();
        ui.insert(name.to_string(), kept);
        ui.insert("no_such_key".into(), "x".into());
        let err = read(Lang::En, json.to_string().as_bytes()).unwrap_err();
        assert!(err.contains("no_such_key"), "{err}");
        let ui = json["ui"].as_object_mut().unwrap();
        ui.remove("no_such_key");
        let templated = Key::ALL
            .iter()
            .find(|k| !placeholders(get(**k)).is_empty())
            .unwrap();
        ui.insert(templated.name().to_string(), "{other}".into());
        let changed = read(Lang::En, json.to_string().as_bytes()).unwrap();
        let english = file(Lang::En);
        let diff = differences(&english.words, &changed.words);
        assert!(
            diff.iter().any(|d| d.starts_with(templated.name())),
            "{diff:?}"
        );
    }

    /// Counts take the language's form for one (French counts 0 as one), and
    /// numbers its separators.
    #[test]
    fn plurals_and_numbers_per_language() {
        assert!(Lang::En.is_one(1) && !Lang::En.is_one(0) && !Lang::En.is_one(2));
        assert!(Lang::Fr.is_one(0) && Lang::Fr.is_one(1) && !Lang::Fr.is_one(2));
        assert!(Lang::Es.is_one(1) && !Lang::Es.is_one(0));
        assert_eq!(grouped("1234567", Lang::En), "1,234,567");
        assert_eq!(grouped("1234", Lang::Fr), "1\u{202f}234");
        assert_eq!(grouped("1234", Lang::Es), "1234");
        assert_eq!(grouped("12345", Lang::Es), "12.345");
        assert_eq!(grouped("123", Lang::En), "123");
        assert_eq!(
            fill_in("{a} and {b}, {c}", &[("a", "1"), ("b", "2")]),
            "1 and 2, {c}"
        );
    }

    /// The browser's languages choose the page's: the first it speaks.
    #[test]
    fn the_browsers_first_language_the_page_speaks() {
        assert_eq!(Lang::preferred(["de-DE", "fr-CA", "en"]), Some(Lang::Fr));
        assert_eq!(Lang::preferred(["ES"]), Some(Lang::Es));
        assert_eq!(Lang::preferred(["de", "it"]), None);
        assert_eq!(Lang::of_tag("en_GB"), Some(Lang::En));
    }
}
