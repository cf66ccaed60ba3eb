//! serde's `Deserializer` over a parsed [`Value`]: the lab's types read themselves through
//! it, and each error it makes is a [`Problem`] placed at the path of the bad value.

use super::{Error, Path, Result, Value, NAMES};
use crate::error::{JsonKind, Problem};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use std::fmt;

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
pub(super) struct At<'a> {
    pub(super) v: &'a Value,
    pub(super) at: &'a Path<'a>,
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
