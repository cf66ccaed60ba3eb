//! The JSON parser: text to [`Value`], with the line and column of a syntax error.

use super::{Error, Result, Value, MAX_DEPTH};
use crate::error::{Problem, Syntax};

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
