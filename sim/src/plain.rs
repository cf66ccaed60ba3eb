//! Free text a user brings in (a scenario's name and description, a name in a file or a link):
//! what it may hold, and how it is shown where it meets an output (an export's comment line,
//! an error message). A line break there would end the comment and let the text write the
//! lines after it; a direction control would reorder what the reader sees. The functions
//! are `#[inline]`: the page then compiles them for size, like the other rare entry points.

use std::fmt::Write;

/// The longest scenario name, in characters: a title, not a paragraph.
pub const NAME_MAX_CHARS: usize = 64;
/// The longest scenario description, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 2_000;
/// How much of a name a message quotes back, in characters.
const QUOTED_MAX_CHARS: usize = 40;

/// A character that is not plain one-line text: a control character (line breaks, tabs,
/// escapes), Unicode's line and paragraph separators, its direction controls and marks, and
/// the byte-order mark.
#[inline]
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// What is wrong with a piece of free text (the scenario reader turns it into its `Problem`,
/// naming the field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flaw {
    Blank,
    TooLong {
        max: usize,
        got: usize,
    },
    /// The character at `at` (counted from 1) is hidden, with the code point `code`.
    Hidden {
        at: usize,
        code: u32,
    },
}

/// A name: one line of plain text, not blank, at most [`NAME_MAX_CHARS`] characters.
#[inline]
pub fn name_flaw(s: &str) -> Option<Flaw> {
    text_flaw(s, NAME_MAX_CHARS, |_| false)
}

/// A description: plain text that may run over several lines (`\n`, `\r\n`) and hold tabs.
#[inline]
pub fn description_flaw(s: &str) -> Option<Flaw> {
    if s.is_empty() {
        return None;
    }
    text_flaw(s, DESCRIPTION_MAX_CHARS, |c| {
        matches!(c, '\n' | '\r' | '\t')
    })
}

#[inline]
fn text_flaw(s: &str, max: usize, allowed: impl Fn(char) -> bool) -> Option<Flaw> {
    if s.trim().is_empty() {
        return Some(Flaw::Blank);
    }
    if let Some((i, c)) = s
        .chars()
        .enumerate()
        .find(|&(_, c)| is_hidden(c) && !allowed(c))
    {
        return Some(Flaw::Hidden {
            at: i + 1,
            code: c as u32,
        });
    }
    let got = s.chars().count();
    (got > max).then_some(Flaw::TooLong { max, got })
}

/// Text as one line of a comment in an export: every hidden character becomes `?`, and so
/// does `forbidden` (the SQL export passes `\`: the `mysql` client runs `\!` and its other
/// backslash commands even inside a `--` comment). At most [`NAME_MAX_CHARS`] characters.
#[inline]
pub fn comment_line(s: &str, forbidden: &[char]) -> String {
    let mut out: String = s
        .chars()
        .take(NAME_MAX_CHARS)
        .map(|c| {
            if is_hidden(c) || forbidden.contains(&c) {
                '?'
            } else {
                c
            }
        })
        .collect();
    if s.chars().nth(NAME_MAX_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// A name a user typed, as a message quotes it back: hidden characters written as escapes
/// (`\u{a}`, `\u{202e}`), at most 40 characters of it.
#[inline]
pub fn quoted(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().take(QUOTED_MAX_CHARS) {
        if is_hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    if s.chars().nth(QUOTED_MAX_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// A name as the stem of a file to save: ASCII letters, digits, `-`, `_` and visible non-ASCII
/// characters kept, anything else (a slash, a dot, a space) `-`, so the name cannot pick a
/// folder or hide an extension.
#[inline]
pub fn file_stem(s: &str) -> String {
    let stem: String = s
        .chars()
        .take(NAME_MAX_CHARS)
        .map(|c| {
            // Not `char::is_alphanumeric`: its Unicode tables cost the page kilobytes.
            if c.is_ascii_alphanumeric()
                || c == '-'
                || c == '_'
                || (!c.is_ascii() && !is_hidden(c) && !c.is_whitespace())
            {
                c
            } else {
                '-'
            }
        })
        .collect();
    if stem.trim_matches('-').is_empty() {
        "scenario".into()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_one_line_of_plain_text() {
        assert_eq!(name_flaw("three-server"), None);
        assert_eq!(name_flaw("Shop — test (v2); 100% \"ok\""), None);
        assert_eq!(name_flaw(""), Some(Flaw::Blank));
        assert_eq!(name_flaw("   "), Some(Flaw::Blank));
        assert_eq!(
            name_flaw("shop\nDROP DATABASE shop; --"),
            Some(Flaw::Hidden { at: 5, code: 10 })
        );
        assert_eq!(
            name_flaw("a\u{202E}b"),
            Some(Flaw::Hidden {
                at: 2,
                code: 0x202E
            })
        );
        assert_eq!(
            name_flaw(&"x".repeat(65)),
            Some(Flaw::TooLong { max: 64, got: 65 })
        );
        assert_eq!(name_flaw(&"é".repeat(64)), None);
    }

    #[test]
    fn a_description_may_hold_line_breaks_and_tabs_but_no_other_control_character() {
        assert_eq!(description_flaw(""), None);
        assert_eq!(description_flaw("One.\r\n\tTwo."), None);
        assert_eq!(
            description_flaw("bell\u{7}"),
            Some(Flaw::Hidden { at: 5, code: 7 })
        );
    }

    #[test]
    fn a_comment_line_holds_no_line_break_and_no_forbidden_character() {
        let line = comment_line("shop\nDROP DATABASE shop; --\\! rm -rf /", &['\\']);
        assert_eq!(line, "shop?DROP DATABASE shop; --?! rm -rf /");
        assert_eq!(comment_line(&"y".repeat(70), &[]).chars().count(), 65);
    }

    #[test]
    fn a_file_stem_cannot_pick_a_folder_or_an_extension() {
        assert_eq!(file_stem("three-server"), "three-server");
        assert_eq!(file_stem("../../etc/passwd"), "------etc-passwd");
        assert_eq!(file_stem("shop.exe"), "shop-exe");
        assert_eq!(file_stem("..."), "scenario");
        assert_eq!(file_stem("Café été"), "Café-été");
    }

    #[test]
    fn a_quoted_name_shows_its_hidden_characters_as_escapes() {
        assert_eq!(quoted("web-07"), "web-07");
        assert_eq!(quoted("a\nb\u{1b}[31m"), "a\\u{a}b\\u{1b}[31m");
        assert_eq!(quoted(&"z".repeat(50)), format!("{}…", "z".repeat(40)));
    }
}
