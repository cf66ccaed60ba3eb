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
//! `parser.rs` parses, `deserializer.rs` is the `Deserializer`, `tests.rs` tests both.
//!
//! The parser and the entry points are `#[inline]`: only the page's rare moments read files
//! and links, so they are compiled in the page's crate, built for size (lib.rs), not with
//! the core's opt-level; the `Deserializer`, generic, is built where a type is read.

use crate::error::{JsonKind, Problem};
use serde::de::DeserializeOwned;

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

mod deserializer;
mod parser;
#[cfg(test)]
mod tests;

use deserializer::At;
pub use parser::parse;
