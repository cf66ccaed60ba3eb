//! The reader for the JSON the lab is given: scenario files, lesson files and share links.
//!
//! Hand-written rather than serde's derive: with the derive the page would be 12 KB (gzipped)
//! larger, and this reader names the path of a bad value (`haproxy.servers[1].weight`) where
//! serde gives a line and column.
//!
//! [`Write`] writes the same types back as serde_json's compact writer does, byte for byte
//! (share links, scenario files), so the page carries no serde serializer, for its size. The
//! native CLI's summary and traces use serde; tests check that both write the same text.
//!
//! The reader and the writer are `#[inline]`: only the page's rare moments read or write
//! files and links, so they are compiled in the page's crate, built for size (lib.rs), not
//! with the core's opt-level.
//!
//! A type reads itself with [`Read`]; the macros below write that for records (`record!`),
//! enums of names (`names!`) and enums whose variants carry fields (`tagged!`), with serde's
//! conventions: unknown fields are refused, an enum is `"name"` or `{"name": {fields}}`.

use crate::error::{JsonKind, Problem, Syntax};
use std::fmt;

/// Nesting deeper than this is refused (a hostile file must not exhaust the stack).
const MAX_DEPTH: u32 = 128;

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number, and the whole number it is when written as one (a `u64` seed does not fit
    /// an `f64`).
    Num(f64, Option<u64>),
    Str(String),
    Arr(Vec<Value>),
    /// Fields in the file's order.
    Obj(Vec<(String, Value)>),
}

impl Value {
    /// What kind of value it is, for messages.
    fn kind(&self) -> JsonKind {
        match self {
            Value::Null => JsonKind::Null,
            Value::Bool(_) => JsonKind::Bool,
            Value::Num(..) => JsonKind::Number,
            Value::Str(_) => JsonKind::String,
            Value::Arr(_) => JsonKind::List,
            Value::Obj(_) => JsonKind::Object,
        }
    }
}

/// Why a text could not be read, and where (`error.rs` declares it with the other errors).
pub use crate::error::JsonError as Error;

/// What reading returns: the error is boxed, so that every `?` moves one pointer.
pub type Result<T> = std::result::Result<T, Box<Error>>;

/// Where a value sits in the text: a chain of field names and list indexes, written out only
/// when there is an error to report.
#[derive(Clone, Copy)]
pub struct Path<'a> {
    up: Option<&'a Path<'a>>,
    key: Key<'a>,
}

#[derive(Clone, Copy)]
enum Key<'a> {
    Root,
    Field(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    /// The whole text.
    pub const ROOT: Path<'static> = Path {
        up: None,
        key: Key::Root,
    };

    pub fn field<'b>(&'b self, name: &'b str) -> Path<'b> {
        Path {
            up: Some(self),
            key: Key::Field(name),
        }
    }

    pub fn index(&self, i: usize) -> Path<'_> {
        Path {
            up: Some(self),
            key: Key::Index(i),
        }
    }

    #[inline]
    fn write(&self, out: &mut String) {
        if let Some(up) = self.up {
            up.write(out);
        }
        match self.key {
            Key::Root => {}
            Key::Field(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Key::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }

    /// An error about the value here.
    #[inline]
    pub fn error(&self, problem: Problem) -> Box<Error> {
        let mut path = String::new();
        self.write(&mut path);
        Box::new(Error { path, problem })
    }

    #[inline]
    fn expected(&self, expected: JsonKind, v: &Value) -> Box<Error> {
        self.error(Problem::Expected {
            expected,
            got: v.kind(),
        })
    }
}

/// A value the lab reads from JSON.
pub trait Read: Sized {
    fn read(v: &Value, at: &Path) -> Result<Self>;
}

/// A value the lab writes as JSON, exactly as serde_json's `to_string` writes it.
pub trait Write {
    fn write(&self, out: &mut String);
}

/// `v` as compact JSON.
pub fn to_string<T: Write + ?Sized>(v: &T) -> String {
    let mut out = String::new();
    v.write(&mut out);
    out
}

/// A comma, unless `out` has just opened an object or a list: an item's place, read from
/// what is written so far.
fn comma(out: &mut String) {
    if !matches!(out.as_bytes().last(), Some(b'{' | b'[')) {
        out.push(',');
    }
}

/// An object's key, after a comma unless it is the first.
#[inline(never)]
pub fn key(out: &mut String, name: &str) {
    comma(out);
    name.write(out);
    out.push(':');
}

impl Write for str {
    /// Quoted, with `"`, `\` and control characters escaped as serde_json escapes them.
    #[inline]
    fn write(&self, out: &mut String) {
        out.push('"');
        for c in self.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if (c as u32) < 0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.push_str("\\u00");
                    out.push(HEX[(c as usize) >> 4] as char);
                    out.push(HEX[(c as usize) & 15] as char);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

impl Write for String {
    #[inline]
    fn write(&self, out: &mut String) {
        self.as_str().write(out);
    }
}

impl Write for bool {
    #[inline]
    fn write(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl Write for f64 {
    /// zmij's shortest digits (`1.0`, `0.25`, `1e21`), `null` when not finite: serde_json's.
    #[inline]
    fn write(&self, out: &mut String) {
        if self.is_finite() {
            out.push_str(zmij::Buffer::new().format_finite(*self));
        } else {
            out.push_str("null");
        }
    }
}

macro_rules! write_whole {
    ($($t:ty),*) => {$(
        impl Write for $t {
            #[inline]
            fn write(&self, out: &mut String) {
                u64::from(*self).write(out);
            }
        }
    )*};
}
write_whole!(u8, u16, u32);

impl Write for u64 {
    #[inline]
    fn write(&self, out: &mut String) {
        // `core`'s integer formatting: the page has it already.
        let _ = fmt::Write::write_fmt(out, format_args!("{self}"));
    }
}

impl Write for usize {
    #[inline]
    fn write(&self, out: &mut String) {
        (*self as u64).write(out);
    }
}

impl<T: Write> Write for Option<T> {
    #[inline]
    fn write(&self, out: &mut String) {
        match self {
            Some(v) => v.write(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: Write> Write for [T] {
    #[inline]
    fn write(&self, out: &mut String) {
        out.push('[');
        for v in self {
            comma(out);
            v.write(out);
        }
        out.push(']');
    }
}

impl<T: Write> Write for Vec<T> {
    #[inline]
    fn write(&self, out: &mut String) {
        self.as_slice().write(out);
    }
}

impl<T: Write + ?Sized> Write for Box<T> {
    #[inline]
    fn write(&self, out: &mut String) {
        (**self).write(out);
    }
}

/// Parses `bytes` and reads a `T` from them.
#[inline]
pub fn from_slice<T: Read>(bytes: &[u8]) -> Result<T> {
    T::read(&parse(bytes)?, &Path::ROOT)
}

impl Read for bool {
    #[inline]
    fn read(v: &Value, at: &Path) -> Result<Self> {
        match v {
            Value::Bool(b) => Ok(*b),
            _ => Err(at.expected(JsonKind::Bool, v)),
        }
    }
}

impl Read for f64 {
    #[inline]
    fn read(v: &Value, at: &Path) -> Result<Self> {
        match v {
            Value::Num(x, _) => Ok(*x),
            _ => Err(at.expected(JsonKind::Number, v)),
        }
    }
}

/// A whole number from 0 to `max` (`2.0` is 2: a file edited by hand may say so).
#[inline]
fn whole(v: &Value, at: &Path, max: u64) -> Result<u64> {
    let Value::Num(x, n) = v else {
        return Err(at.expected(JsonKind::WholeNumber, v));
    };
    // Below 2^53 an f64 holds every whole number exactly.
    let exact =
        || (x.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(x)).then_some(*x as u64);
    match n.or_else(exact) {
        Some(n) if n <= max => Ok(n),
        _ => Err(at.error(Problem::WholeNumberOutOfRange { max, got: *x })),
    }
}

macro_rules! read_whole {
    ($($t:ty),*) => {$(
        impl Read for $t {
            #[inline]
            fn read(v: &Value, at: &Path) -> Result<Self> {
                // Checked against the type's maximum just above: the cast cannot truncate.
                whole(v, at, <$t>::MAX as u64).map(|n| n as $t)
            }
        }
    )*};
}
read_whole!(u16, u32, u64, usize);

impl Read for String {
    #[inline]
    fn read(v: &Value, at: &Path) -> Result<Self> {
        match v {
            Value::Str(s) => Ok(s.clone()),
            _ => Err(at.expected(JsonKind::String, v)),
        }
    }
}

impl<T: Read> Read for Option<T> {
    #[inline]
    fn read(v: &Value, at: &Path) -> Result<Self> {
        match v {
            Value::Null => Ok(None),
            _ => T::read(v, at).map(Some),
        }
    }
}

impl<T: Read> Read for Vec<T> {
    #[inline]
    fn read(v: &Value, at: &Path) -> Result<Self> {
        match v {
            Value::Arr(items) => {
                // A plain loop: `collect` into a `Result` is more code per item type.
                let mut out = Vec::with_capacity(items.len());
                for (i, x) in items.iter().enumerate() {
                    out.push(T::read(x, &at.index(i))?);
                }
                Ok(out)
            }
            _ => Err(at.expected(JsonKind::List, v)),
        }
    }
}

impl<T: Read> Read for Box<T> {
    #[inline]
    fn read(v: &Value, at: &Path) -> Result<Self> {
        T::read(v, at).map(Box::new)
    }
}

/// An object's fields, after refusing anything but an object, an unknown field (naming the
/// known ones) and a field given twice.
#[inline]
pub fn object<'v>(v: &'v Value, at: &Path, names: &[&str]) -> Result<&'v [(String, Value)]> {
    let Value::Obj(pairs) = v else {
        return Err(at.expected(JsonKind::Object, v));
    };
    for (i, (k, _)) in pairs.iter().enumerate() {
        if !names.contains(&k.as_str()) {
            return Err(at.error(Problem::UnknownField {
                name: k.clone(),
                known: owned(names),
            }));
        }
        if pairs[..i].iter().any(|(j, _)| j == k) {
            return Err(at.error(Problem::FieldTwice { name: k.clone() }));
        }
    }
    Ok(pairs)
}

/// A required field that is not there.
#[inline]
pub fn missing(at: &Path, name: &str) -> Box<Error> {
    at.error(Problem::MissingField {
        name: name.to_string(),
    })
}

/// Names as the errors carry them.
#[inline]
fn owned(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// One of `names`, given as a string: its index.
#[inline]
pub fn name_of(v: &Value, at: &Path, names: &[&str]) -> Result<usize> {
    let Value::Str(s) = v else {
        return Err(at.expected(JsonKind::Name, v));
    };
    names.iter().position(|n| n == s).ok_or_else(|| {
        at.error(Problem::UnknownValue {
            name: s.clone(),
            known: owned(names),
        })
    })
}

/// An enum's variant, as serde writes it: `"name"` for one without fields, `{"name": {...}}`
/// for one with. Returns the name and the fields' object, if any.
#[inline]
pub fn variant<'v>(
    v: &'v Value,
    at: &Path,
    names: &[&str],
) -> Result<(&'v str, Option<&'v Value>)> {
    let (name, body) = match v {
        Value::Str(s) => (s.as_str(), None),
        Value::Obj(pairs) if pairs.len() == 1 => (pairs[0].0.as_str(), Some(&pairs[0].1)),
        _ => return Err(at.expected(JsonKind::Variant, v)),
    };
    if !names.contains(&name) {
        return Err(at.error(Problem::UnknownVariant {
            name: name.to_string(),
            known: owned(names),
        }));
    }
    Ok((name, body.filter(|b| **b != Value::Null)))
}

/// `Read` for a struct, field by field (unknown fields are refused).
///
/// `record!(T: default { a, b: "b-name" })`: every field may be left out and keeps its value
/// in `T::default()`. `record!(T { a, b = expr })`: `a` is required, `b` is `expr` when left
/// out.
macro_rules! record {
    ($ty:ident: default { $($f:ident $(: $n:literal)?),* $(,)? }) => {
        impl $crate::json::Read for $ty {
            #[inline]
            fn read(
                v: &$crate::json::Value,
                at: &$crate::json::Path,
            ) -> $crate::json::Result<Self> {
                // A constant: built in the data, not on the stack field by field.
                const NAMES: &[&str] = &[$($crate::json::record!(@name $f $($n)?)),*];
                let mut out = <$ty>::default();
                for (k, x) in $crate::json::object(v, at, NAMES)? {
                    let at = at.field(k);
                    $(if k == $crate::json::record!(@name $f $($n)?) {
                        out.$f = $crate::json::Read::read(x, &at)?;
                    })*
                }
                Ok(out)
            }
        }

        impl $crate::json::Write for $ty {
            #[inline]
            fn write(&self, out: &mut String) {
                $crate::json::record!(
                    @write out, $(&self.$f => $crate::json::record!(@name $f $($n)?)),*
                );
            }
        }
    };
    ($ty:ident { $($f:ident $(= $d:expr)?),* $(,)? }) => {
        impl $crate::json::Read for $ty {
            #[inline]
            fn read(
                v: &$crate::json::Value,
                at: &$crate::json::Path,
            ) -> $crate::json::Result<Self> {
                $crate::json::record!(@fields v, at, $ty { $($f $(= $d)?),* })
            }
        }

        impl $crate::json::Write for $ty {
            #[inline]
            fn write(&self, out: &mut String) {
                $crate::json::record!(@write out, $(&self.$f => stringify!($f)),*);
            }
        }
    };
    // Writes `{"name": v, ...}`.
    (@write $out:ident, $($v:expr => $name:expr),*) => {{
        $out.push('{');
        $(
            $crate::json::key($out, $name);
            $crate::json::Write::write($v, $out);
        )*
        $out.push('}');
    }};
    // Reads the fields of `$v` into `$ty { .. }` (a struct, or an enum's variant).
    (@fields $v:expr, $at:ident, $($ty:ident)::+ { $($f:ident $(= $d:expr)?),* }) => {{
        $(let mut $f = None;)*
        for (k, x) in $crate::json::object($v, &$at, &[$(stringify!($f)),*])? {
            let at = $at.field(k);
            $(if k == stringify!($f) {
                $f = Some($crate::json::Read::read(x, &at)?);
            })*
        }
        Ok($($ty)::+ { $($f: $crate::json::record!(@or $f, $at $(, $d)?)),* })
    }};
    (@name $f:ident) => { stringify!($f) };
    (@name $f:ident $n:literal) => { $n };
    (@or $f:ident, $at:ident) => {
        $f.ok_or_else(|| $crate::json::missing(&$at, stringify!($f)))?
    };
    (@or $f:ident, $at:ident, $d:expr) => { $f.unwrap_or($d) };
}
pub(crate) use record;

/// An enum of names: `names!(T { A = "a", B = "b" })` gives `T::ALL` (in this order),
/// `T::as_str` and `Read`. Its serde attributes must write the same names (tested).
macro_rules! names {
    ($ty:ident { $($v:ident = $n:literal),* $(,)? }) => {
        impl $ty {
            /// Every value, in the order the page lists them.
            pub const ALL: [$ty; [$($n),*].len()] = [$($ty::$v),*];

            /// Its name in files, links and the real software's configuration.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$v => $n,)*
                }
            }
        }

        impl $crate::json::Read for $ty {
            #[inline]
            fn read(
                v: &$crate::json::Value,
                at: &$crate::json::Path,
            ) -> $crate::json::Result<Self> {
                $crate::json::name_of(v, at, &[$($n),*]).map(|i| Self::ALL[i])
            }
        }

        impl $crate::json::Write for $ty {
            #[inline]
            fn write(&self, out: &mut String) {
                $crate::json::Write::write(self.as_str(), out);
            }
        }
    };
}
pub(crate) use names;

/// `Read` for an enum whose variants may carry fields, as serde writes it (externally
/// tagged): `tagged!(T { A = "a"; B = "b" { x, y } })`. Every field is required.
macro_rules! tagged {
    ($ty:ident {
        $($u:ident = $un:literal),* ;
        $($s:ident = $sn:literal { $($f:ident),* $(,)? }),* $(,)?
    }) => {
        impl $crate::json::Read for $ty {
            #[inline]
            fn read(
                v: &$crate::json::Value,
                at: &$crate::json::Path,
            ) -> $crate::json::Result<Self> {
                let (name, body) = $crate::json::variant(v, at, &[$($un,)* $($sn),*])?;
                $(if name == $un {
                    return match body {
                        None => Ok($ty::$u),
                        Some(_) => Err(at.error($crate::error::Problem::TakesNoFields {
                            name: name.to_string(),
                        })),
                    };
                })*
                let at = at.field(name);
                let body = body.unwrap_or(&$crate::json::Value::Null);
                $(if name == $sn {
                    return $crate::json::record!(@fields body, at, $ty::$s { $($f),* });
                })*
                Err(at.error($crate::error::Problem::UnknownVariant {
                    name: name.to_string(),
                    known: Vec::new(),
                }))
            }
        }

        impl $crate::json::Write for $ty {
            #[inline]
            fn write(&self, out: &mut String) {
                match self {
                    $($ty::$u => $crate::json::Write::write($un, out),)*
                    $($ty::$s { $($f),* } => {
                        out.push('{');
                        $crate::json::key(out, $sn);
                        $crate::json::record!(@write out, $($f => stringify!($f)),*);
                        out.push('}');
                    })*
                }
            }
        }
    };
}
pub(crate) use tagged;

/// Parses a JSON text (RFC 8259). Numbers must be finite; strings must be UTF-8.
#[inline]
pub fn parse(bytes: &[u8]) -> Result<Value> {
    let mut p = Parser { s: bytes, i: 0 };
    let v = p.value(0)?;
    p.space();
    if p.i < p.s.len() {
        return Err(p.fail(Syntax::TrailingCharacters));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    /// An error at the current position, with its line and column.
    #[inline]
    fn fail(&self, what: Syntax) -> Box<Error> {
        let before = &self.s[..self.i.min(self.s.len())];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = 1 + before.iter().rev().take_while(|&&b| b != b'\n').count();
        let problem = match self.i >= self.s.len() {
            true => Problem::EndsTooSoon { what, line },
            false => Problem::Syntax { what, line, column },
        };
        Box::new(Error {
            path: String::new(),
            problem,
        })
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    #[inline]
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    #[inline]
    fn eat(&mut self, b: u8) -> bool {
        self.space();
        let found = self.peek() == Some(b);
        self.i += found as usize;
        found
    }

    /// The items of an object or a list, after its opening bracket, up to `close`: none, or
    /// `item` then `,` or `close`, again and again.
    #[inline]
    fn items(
        &mut self,
        close: u8,
        bad_separator: Syntax,
        mut item: impl FnMut(&mut Self) -> Result<()>,
    ) -> Result<()> {
        self.i += 1;
        if self.eat(close) {
            return Ok(());
        }
        loop {
            item(self)?;
            if self.eat(close) {
                return Ok(());
            }
            if !self.eat(b',') {
                return Err(self.fail(bad_separator));
            }
        }
    }

    #[inline]
    fn value(&mut self, depth: u32) -> Result<Value> {
        if depth > MAX_DEPTH {
            return Err(self.fail(Syntax::TooDeep));
        }
        self.space();
        match self.peek() {
            Some(b'{') => {
                let mut pairs = Vec::new();
                self.items(b'}', Syntax::ExpectedCommaOrBrace, |p| {
                    p.space();
                    if p.peek() != Some(b'"') {
                        return Err(p.fail(Syntax::ExpectedFieldName));
                    }
                    let k = p.string()?;
                    if !p.eat(b':') {
                        return Err(p.fail(Syntax::ExpectedColon));
                    }
                    pairs.push((k, p.value(depth + 1)?));
                    Ok(())
                })?;
                Ok(Value::Obj(pairs))
            }
            Some(b'[') => {
                let mut items = Vec::new();
                self.items(b']', Syntax::ExpectedCommaOrBracket, |p| {
                    items.push(p.value(depth + 1)?);
                    Ok(())
                })?;
                Ok(Value::Arr(items))
            }
            Some(b'"') => self.string().map(Value::Str),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => {
                for (word, v) in [
                    ("null", Value::Null),
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                ] {
                    if self.s[self.i..].starts_with(word.as_bytes()) {
                        self.i += word.len();
                        return Ok(v);
                    }
                }
                Err(self.fail(Syntax::ExpectedValue))
            }
        }
    }

    #[inline]
    fn digits(&mut self) -> usize {
        let from = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - from
    }

    #[inline]
    fn number(&mut self) -> Result<Value> {
        let from = self.i;
        let negative = self.peek() == Some(b'-');
        self.i += negative as usize;
        let int = self.digits();
        if int == 0 || (int > 1 && self.s[self.i - int] == b'0') {
            return Err(self.fail(Syntax::BadNumberStart));
        }
        let mut whole = !negative;
        if self.peek() == Some(b'.') {
            self.i += 1;
            whole = false;
            if self.digits() == 0 {
                return Err(self.fail(Syntax::ExpectedFractionDigit));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            whole = false;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.fail(Syntax::ExpectedExponentDigit));
            }
        }
        // The grammar above admits only ASCII digits, signs, `.` and `e`.
        let text = std::str::from_utf8(&self.s[from..self.i]).unwrap_or_default();
        let x = crate::num::read_f64(text).unwrap_or(f64::NAN);
        if !x.is_finite() {
            return Err(self.fail(Syntax::NumberOutOfRange));
        }
        Ok(Value::Num(x, whole.then(|| text.parse().ok()).flatten()))
    }

    /// Four hex digits of a `\u` escape.
    #[inline]
    fn hex4(&mut self) -> Result<u32> {
        let digits = self.s.get(self.i..self.i + 4).unwrap_or_default();
        let text = std::str::from_utf8(digits).unwrap_or_default();
        match u32::from_str_radix(text, 16) {
            Ok(n) if text.len() == 4 && !text.starts_with('+') => {
                self.i += 4;
                Ok(n)
            }
            _ => Err(self.fail(Syntax::ExpectedHexDigits)),
        }
    }

    #[inline]
    fn string(&mut self) -> Result<String> {
        self.i += 1; // the opening quote
        let mut out = Vec::new();
        loop {
            let from = self.i;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.extend_from_slice(&self.s[from..self.i]);
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return String::from_utf8(out).map_err(|_| self.fail(Syntax::NotUtf8));
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = match self.peek() {
                        Some(b'u') => {
                            self.i += 1;
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi)
                                && self.s[self.i..].starts_with(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xD800) << 10) + lo.wrapping_sub(0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(code).ok_or_else(|| self.fail(Syntax::NotACharacter))?
                        }
                        Some(e) => {
                            self.i += 1;
                            match e {
                                b'"' => '"',
                                b'\\' => '\\',
                                b'/' => '/',
                                b'b' => '\u{8}',
                                b'f' => '\u{c}',
                                b'n' => '\n',
                                b'r' => '\r',
                                b't' => '\t',
                                _ => return Err(self.fail(Syntax::UnknownEscape)),
                            }
                        }
                        None => return Err(self.fail(Syntax::UnfinishedEscape)),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                Some(_) => return Err(self.fail(Syntax::ControlCharacter)),
                None => return Err(self.fail(Syntax::UnfinishedString)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Box<Error> {
        parse(text.as_bytes()).expect_err(text)
    }

    /// The JSON grammar, its escapes and its numbers.
    #[test]
    fn parses_json() {
        let v = parse(br#" {"a": [1, -2.5e1, true, null, "x\"\u00e9\ud83d\ude00\n"], "b": {}} "#)
            .unwrap();
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

    #[derive(Debug, PartialEq, Default)]
    struct Server {
        name: String,
        weight: u32,
        backup: Option<bool>,
    }
    record!(Server: default { name, weight, backup: "is-backup" });

    #[derive(Debug, PartialEq)]
    struct Pool {
        servers: Vec<Server>,
        seed: u64,
        share: f64,
        note: Option<String>,
    }
    record!(Pool { servers, seed, share = 0.5, note = None });

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Mode {
        Fast,
        SlowDown,
    }
    names!(Mode { Fast = "fast", SlowDown = "slow-down" });

    #[derive(Debug, PartialEq)]
    enum Fault {
        Crash,
        Slow { factor: f64, mode: Mode },
    }
    tagged!(Fault { Crash = "crash"; Slow = "slow" { factor, mode } });

    fn read<T: Read>(text: &str) -> std::result::Result<T, String> {
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
}
