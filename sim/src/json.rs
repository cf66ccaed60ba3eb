//! The reader for the JSON the lab is given: scenario files, lesson files, language files and
//! share links. It parses the text into a [`Value`], then serde's derive reads the lab's types
//! from that value through [`from_value`]: every type is declared once, with its serde
//! attributes (unknown fields refused, an enum `"name"` or `{"name": {fields}}`), and an
//! error is a [`Problem`] at the path of the bad value (`haproxy.servers[1].weight`), which
//! the page says in each language. serde_json writes the same types (`serde_json::to_string`).
//!
//! A parser of its own rather than serde_json's reader: the page is 27 KB (gzipped) smaller
//! so, and serde_json's errors are a message with a line and a column, not a path and a
//! problem (docs/performance.md, "What keeps the page small").
//!
//! The parser and the entry points are `#[inline]`: only the page's rare moments read files
//! and links, so they are compiled in the page's crate, built for size (lib.rs), not with
//! the core's opt-level; the `Deserializer`, generic, is built where a type is read.

use crate::error::{JsonKind, Problem, Syntax};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
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

/// Written back as it was read: a whole number as one (a `u64` stays exact), fields in order.
impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Num(_, Some(n)) => s.serialize_u64(*n),
            Value::Num(x, None) => s.serialize_f64(*x),
            Value::Str(text) => s.serialize_str(text),
            Value::Arr(items) => s.collect_seq(items),
            Value::Obj(fields) => s.collect_map(fields.iter().map(|(k, v)| (k, v))),
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

/// Reads a `T` (its serde derive) from parsed JSON; an error names the path of the bad value.
#[inline]
pub fn from_value<T: DeserializeOwned>(v: &Value) -> Result<T> {
    T::deserialize(At { v, at: &Path::ROOT })
}

/// Parses `bytes` and reads a `T` from them.
#[inline]
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    from_value(&parse(bytes)?)
}

/// The serde name `names!` gives its enums: a name given as an object, or an unknown one, is
/// then said as a name's error, not a variant's.
pub const NAMES: &str = "names";

/// An enum of names, declared once: `names!(pub enum T { A = "a", B = "b" })` gives the enum
/// (serde writes and reads each value by its name), `T::ALL` (in this order) and `T::as_str`.
macro_rules! names {
    (
        $(#[$m:meta])*
        pub enum $ty:ident { $($(#[$vm:meta])* $v:ident = $n:literal),* $(,)? }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        // `json::NAMES` (a literal: serde's attributes take no constant).
        #[serde(rename = "names")]
        pub enum $ty {
            $($(#[$vm])* #[serde(rename = $n)] $v,)*
        }

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
    };
}
pub(crate) use names;

impl de::Error for Box<Error> {
    /// Only a `Deserialize` written by hand says this: the lab's types say what they
    /// expected through the problems below.
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        unplaced(Problem::Invalid(msg.to_string()))
    }

    // The errors about an object's fields: each is placed at its object by
    // `At::deserialize_map`.

    #[cold]
    fn missing_field(name: &'static str) -> Self {
        unplaced(Problem::MissingField { name: name.into() })
    }

    #[cold]
    fn unknown_field(name: &str, known: &'static [&'static str]) -> Self {
        unplaced(Problem::UnknownField {
            name: name.into(),
            known: owned(known),
        })
    }

    #[cold]
    fn duplicate_field(name: &'static str) -> Self {
        unplaced(Problem::FieldTwice { name: name.into() })
    }

    /// `At::deserialize_enum` refuses an unknown name first; this says the same, without
    /// serde's message (and its formatting) in the page.
    #[cold]
    fn unknown_variant(name: &str, known: &'static [&'static str]) -> Self {
        unplaced(Problem::UnknownVariant {
            name: name.into(),
            known: owned(known),
        })
    }

    /// A `usize` beyond a 32-bit page's (the only number serde's own visitors refuse).
    #[cold]
    fn invalid_value(got: de::Unexpected, expected: &dyn de::Expected) -> Self {
        match got {
            de::Unexpected::Unsigned(n) => unplaced(Problem::WholeNumberOutOfRange {
                max: usize::MAX as u64,
                got: n as f64,
            }),
            // Not `got`: its Display prints a float with core's printer, which the page leaves out.
            _ => de::Error::custom(format_args!("invalid value, expected {expected}")),
        }
    }
}

/// An error without a path yet.
fn unplaced(problem: Problem) -> Box<Error> {
    Box::new(Error {
        path: String::new(),
        problem,
    })
}

/// An error that has no path yet gets `at`'s (serde's derive makes a missing, unknown or
/// repeated field's error without one).
#[inline]
fn placed(mut e: Box<Error>, at: &Path) -> Box<Error> {
    if e.path.is_empty() {
        let mut path = String::new();
        at.write(&mut path);
        e.path = path;
    }
    e
}

/// A parsed value where it sits: serde's derive reads the lab's types through it.
struct At<'a> {
    v: &'a Value,
    at: &'a Path<'a>,
}

impl At<'_> {
    fn expected(&self, expected: JsonKind) -> Box<Error> {
        self.at.expected(expected, self.v)
    }

    /// A whole number from 0 to `max` (`2.0` is 2: a file edited by hand may say so).
    #[inline]
    fn whole(&self, max: u64) -> Result<u64> {
        let Value::Num(x, n) = self.v else {
            return Err(self.expected(JsonKind::WholeNumber));
        };
        // Below 2^53 an f64 holds every whole number exactly.
        let exact = || {
            (x.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(x)).then_some(*x as u64)
        };
        match n.or_else(exact) {
            Some(n) if n <= max => Ok(n),
            _ => Err(self
                .at
                .error(Problem::WholeNumberOutOfRange { max, got: *x })),
        }
    }
}

impl<'de> de::Deserializer<'de> for At<'_> {
    type Error = Box<Error>;

    /// The value as it is (the lab's types always say what they expect).
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.v {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Num(_, Some(n)) => visitor.visit_u64(*n),
            Value::Num(x, None) => visitor.visit_f64(*x),
            Value::Str(s) => visitor.visit_str(s),
            Value::Arr(_) => self.deserialize_seq(visitor),
            Value::Obj(_) => self.deserialize_map(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.v {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.expected(JsonKind::Bool)),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.v {
            Value::Num(x, _) => visitor.visit_f64(*x),
            _ => Err(self.expected(JsonKind::Number)),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u8(self.whole(u8::MAX.into())? as u8)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u16(self.whole(u16::MAX.into())? as u16)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u32(self.whole(u32::MAX.into())? as u32)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u64(self.whole(u64::MAX)?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.v {
            Value::Str(s) => visitor.visit_str(s),
            _ => Err(self.expected(JsonKind::String)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.v {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.v {
            Value::Arr(items) => visitor.visit_seq(Items {
                items: items.iter(),
                at: self.at,
                i: 0,
            }),
            _ => Err(self.expected(JsonKind::List)),
        }
    }

    /// serde's derive refuses an unknown field and a field given twice (the errors below).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_map(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.v {
            Value::Obj(pairs) => visitor
                .visit_map(Fields {
                    pairs: pairs.iter(),
                    at: self.at,
                    value: None,
                })
                .map_err(|e| placed(e, self.at)),
            _ => Err(self.expected(JsonKind::Object)),
        }
    }

    /// serde's externally tagged enum: `"name"`, or `{"name": {fields}}` for a variant that
    /// carries fields.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let names_only = name == NAMES;
        let (variant, body) = match self.v {
            Value::Str(s) => (s.as_str(), None),
            Value::Obj(pairs) if pairs.len() == 1 && !names_only => {
                (pairs[0].0.as_str(), Some(&pairs[0].1))
            }
            _ if names_only => return Err(self.expected(JsonKind::Name)),
            _ => return Err(self.expected(JsonKind::Variant)),
        };
        if !variants.contains(&variant) {
            let (name, known) = (variant.to_string(), owned(variants));
            return Err(self.at.error(match names_only {
                true => Problem::UnknownValue { name, known },
                false => Problem::UnknownVariant { name, known },
            }));
        }
        visitor.visit_enum(Variant {
            name: variant,
            body: body.filter(|b| **b != Value::Null),
            at: self.at,
        })
    }

    /// A newtype (`SimTime`) is written as the value it wraps.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u128 char bytes byte_buf unit unit_struct tuple tuple_struct
        identifier ignored_any
    }
}

/// Names as the errors carry them.
#[inline]
fn owned(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// A list's items, each at its index.
struct Items<'a> {
    items: std::slice::Iter<'a, Value>,
    at: &'a Path<'a>,
    i: usize,
}

impl<'de> de::SeqAccess<'de> for Items<'_> {
    type Error = Box<Error>;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let Some(v) = self.items.next() else {
            return Ok(None);
        };
        self.i += 1;
        seed.deserialize(At {
            v,
            at: &self.at.index(self.i - 1),
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// An object's fields, each value at its name.
struct Fields<'a> {
    pairs: std::slice::Iter<'a, (String, Value)>,
    at: &'a Path<'a>,
    value: Option<&'a (String, Value)>,
}

impl<'de> de::MapAccess<'de> for Fields<'_> {
    type Error = Box<Error>;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some(pair) = self.pairs.next() else {
            return Ok(None);
        };
        self.value = Some(pair);
        let name: de::value::StrDeserializer<Box<Error>> = pair.0.as_str().into_deserializer();
        seed.deserialize(name).map(Some)
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        // serde asks for a value only after its key.
        let (k, v) = self.value.take().expect("a key before its value");
        seed.deserialize(At {
            v,
            at: &self.at.field(k),
        })
    }
}

/// An enum's variant and the fields it carries, if any.
struct Variant<'a> {
    name: &'a str,
    body: Option<&'a Value>,
    at: &'a Path<'a>,
}

impl<'de, 'a> de::EnumAccess<'de> for Variant<'a> {
    type Error = Box<Error>;
    type Variant = Self;

    #[inline]
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let name: de::value::StrDeserializer<Box<Error>> = self.name.into_deserializer();
        let v = seed.deserialize(name)?;
        Ok((v, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_> {
    type Error = Box<Error>;

    #[inline]
    fn unit_variant(self) -> Result<()> {
        match self.body {
            None => Ok(()),
            Some(_) => Err(self.at.error(Problem::TakesNoFields {
                name: self.name.to_string(),
            })),
        }
    }

    #[inline]
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(At {
            v: self.body.unwrap_or(&Value::Null),
            at: &self.at.field(self.name),
        })
    }

    #[inline]
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_seq(
            At {
                v: self.body.unwrap_or(&Value::Null),
                at: &self.at.field(self.name),
            },
            visitor,
        )
    }

    #[inline]
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_struct(
            At {
                v: self.body.unwrap_or(&Value::Null),
                at: &self.at.field(self.name),
            },
            "",
            fields,
            visitor,
        )
    }
}

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

    /// What serde_json writes, parsed and written again, is the same text.
    #[test]
    fn writes_a_value_back_as_it_was_written() {
        let text =
            r#"{"a":[1,-25.0,0.1,18446744073709551615,true,null],"b":{"c":"x\"é\n"},"d":2.0}"#;
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
}
