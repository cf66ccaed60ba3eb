//! Printing an `f64` as Rust's `{}` and `{:.N}` print it, and reading one as
//! `str::parse::<f64>` reads it, without Rust's float formatting and parsing.
//!
//! `core`'s float `Display` brings its Grisu and Dragon code and tables into the page, about
//! 13 KB; zmij, already there for serde_json, finds the shortest digits instead,
//! and `{:.N}` is integer arithmetic on the float's exact value. `core`'s reader brings its
//! table of powers of five (10 KB); [`read_f64`] is exact arithmetic on a few big integers.
//!
//! Neither wrapper reads the formatter's width, fill or flags: the lab prints its numbers as
//! they are.

use std::fmt;

/// `{}` of an `f64`: the shortest digits that read back as the same number, never with an
/// exponent; `1` not `1.0`, `-0` for -0.0, `NaN`, `inf`, `-inf`. Where two shortest digit
/// strings are equally near (rare, 17 digits: 1157793040552452.25), zmij's last digit may
/// be the one below Rust's (`.2`, Rust `.3`); both read back as the same number.
#[derive(Clone, Copy, Debug)]
pub struct Dec(pub f64);

/// `{:.N}` of an `f64`: the exact value rounded to `N` places, ties to even, as Rust does.
/// Up to 22 places (the lab prints at most 4): beyond, the arithmetic would overflow.
#[derive(Clone, Copy, Debug)]
pub struct Fixed(pub f64, pub usize);

impl fmt::Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buffer = zmij::Buffer::new();
        // zmij writes "-1.5", "100.0", "0.00001", "1e+21" or "1.5e-7".
        let text = buffer.format(self.0);
        if !self.0.is_finite() {
            return f.write_str(text);
        }
        let (sign, text) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text),
        };
        let (mantissa, exponent) = match text.split_once('e') {
            Some((m, e)) => (m, e),
            None => (text, ""),
        };
        let exponent = exponent.bytes().fold(0i32, |n, b| match b {
            b'0'..=b'9' => n * 10 + i32::from(b - b'0'),
            _ => n,
        });
        let exponent = if text.contains("e-") {
            -exponent
        } else {
            exponent
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        // At most 17 significant digits and zeros up to the point: 24 bytes hold them.
        let mut all = [0u8; 24];
        let all = &mut all[..int.len() + frac.len()];
        all[..int.len()].copy_from_slice(int.as_bytes());
        all[int.len()..].copy_from_slice(frac.as_bytes());
        // The number is 0.DIGITS × 10^point.
        let mut point = int.len() as i32 + exponent;
        let leading = all.iter().take_while(|&&b| b == b'0').count();
        point -= leading as i32;
        let digits = &all[leading..];
        let trailing = digits.iter().rev().take_while(|&&b| b == b'0').count();
        let digits = std::str::from_utf8(&digits[..digits.len() - trailing]).unwrap_or("");
        f.write_str(sign)?;
        if digits.is_empty() {
            return f.write_str("0");
        }
        if point <= 0 {
            f.write_str("0.")?;
            zeros(f, -point as usize)?;
            f.write_str(digits)
        } else if point as usize >= digits.len() {
            f.write_str(digits)?;
            zeros(f, point as usize - digits.len())
        } else {
            let (whole, part) = digits.split_at(point as usize);
            f.write_str(whole)?;
            f.write_str(".")?;
            f.write_str(part)
        }
    }
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Fixed(v, places) = *self;
        if !v.is_finite() {
            return Dec(v).fmt(f);
        }
        debug_assert!(places <= 22, "Fixed prints up to 22 places, not {places}");
        let (m, e) = parts(v);
        let digits = if e >= 0 {
            // A whole number, maybe too large for any integer type: its digits, then zeros.
            let limbs = scaled(m, 2, e as u32);
            let mut digits = decimal(&limbs);
            digits.resize(digits.len() + places, b'0');
            digits
        } else {
            // round(m × 10^places / 2^-e), ties to even; m × 10^22 < 2^127.
            let scaled = u128::from(m) * 10u128.pow(places as u32);
            let shift = -e as u32;
            let rounded = if shift >= 128 {
                0
            } else {
                let q = scaled >> shift;
                let rest = scaled - (q << shift);
                let half = 1u128 << (shift - 1);
                q + u128::from(rest > half || rest == half && q & 1 == 1)
            };
            let mut limbs = Vec::new();
            let mut rest = rounded;
            loop {
                limbs.push((rest % u128::from(BASE)) as u64);
                rest /= u128::from(BASE);
                if rest == 0 {
                    break decimal(&limbs);
                }
            }
        };
        let digits = std::str::from_utf8(&digits).unwrap_or("");
        let split = digits.len().saturating_sub(places);
        if v.is_sign_negative() {
            f.write_str("-")?;
        }
        f.write_str(if split == 0 { "0" } else { &digits[..split] })?;
        if places > 0 {
            f.write_str(".")?;
            zeros(f, places.saturating_sub(digits.len()))?;
            f.write_str(&digits[split..])?;
        }
        Ok(())
    }
}

/// The `f64` nearest to the decimal number `text` (ties to even), as `str::parse::<f64>`
/// reads it: an optional sign, digits with at most one `.` (at least one digit), then an
/// optional exponent (`e` or `E`, a sign, digits). `None` for anything else, `inf` included;
/// a number too large for an `f64` is infinite, one too small is zero.
pub fn read_f64(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let (negative, mut i) = match b.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    // The number is `digits` × 10^exp, `digits` without leading zeros.
    let mut digits = Vec::new();
    let (mut exp, mut seen, mut point) = (0i64, false, false);
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                seen = true;
                if !digits.is_empty() || c != b'0' {
                    digits.push(c - b'0');
                }
                exp -= i64::from(point);
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let sign = match b.get(i) {
            Some(b'-') => -1,
            Some(b'+') => 1,
            _ => 0,
        };
        i += (sign != 0) as usize;
        let from = i;
        let mut e = 0i64;
        while let Some(&c @ b'0'..=b'9') = b.get(i) {
            e = (e * 10 + i64::from(c - b'0')).min(1 << 40);
            i += 1;
        }
        if i == from {
            return None;
        }
        exp += if sign < 0 { -e } else { e };
    }
    if !seen || i != b.len() {
        return None;
    }
    while digits.last() == Some(&0) {
        digits.pop();
        exp += 1;
    }
    // Past the 800th significant digit only whether any is not zero can matter (an f64's
    // halfway point has at most 767): such a tail becomes one digit 1, so a number a million
    // digits long is read as quickly as a short one, and still exactly.
    const KEEP: usize = 800;
    if digits.len() > KEEP {
        exp += (digits.len() - KEEP - 1) as i64;
        digits.truncate(KEEP);
        digits.push(1);
    }
    let v = magnitude(&digits, exp);
    Some(if negative { -v } else { v })
}

/// The `f64` nearest to `digits` × 10^exp.
fn magnitude(digits: &[u8], exp: i64) -> f64 {
    let n = digits.len() as i64;
    if n == 0 || n + exp < -325 {
        return 0.0; // below 10^-325, under half the least subnormal
    }
    if n + exp > 310 {
        return f64::INFINITY;
    }
    if n <= 15 && (-22..=22).contains(&exp) {
        // Clinger's fast path: both numbers exact as `f64`s, one correctly rounded operation.
        let w = digits.iter().fold(0u64, |w, &d| w * 10 + u64::from(d)) as f64;
        let p = (0..exp.abs()).fold(1.0, |p, _| p * 10.0);
        return if exp < 0 { w / p } else { w * p };
    }
    // Exactly: the value is num / den, scaled by 2^-shift so that the quotient has 64 or 65 bits.
    let mut num = Big(vec![]);
    for &d in digits {
        num.mul_add(10, u32::from(d));
    }
    let mut den = Big(vec![1]);
    let pow = if exp < 0 { &mut den } else { &mut num };
    for _ in 0..exp.abs() {
        pow.mul_add(10, 0);
    }
    let shift = 64 + den.bits() - num.bits();
    if shift > 0 {
        num.shl(shift as u32);
    } else {
        den.shl(-shift as u32);
    }
    den.shl(64);
    let mut q = 0u128;
    for k in (0..=64).rev() {
        if num.at_least(&den) {
            num.sub(&den);
            q |= 1 << k;
        }
        den.shr1();
    }
    let sticky = num.0.iter().any(|&l| l != 0);
    // value = (q + a fraction, sticky) × 2^-shift; keep 53 bits, or fewer below the normals.
    let bits = 128 - i64::from(q.leading_zeros());
    let drop = (bits - 53).max(shift - 1074);
    if drop >= 128 {
        return 0.0;
    }
    let drop = drop as u32; // at least 11: q has 64 bits or more
    let mut m = (q >> drop) as u64;
    let rest = q & ((1 << drop) - 1);
    let half = 1 << (drop - 1);
    if rest > half || rest == half && (sticky || m & 1 == 1) {
        m += 1;
    }
    let mut e = i64::from(drop) - shift; // value = m × 2^e
    if m >> 53 != 0 {
        m >>= 1;
        e += 1;
    }
    if m >> 52 == 0 {
        return f64::from_bits(m); // a subnormal (e is -1074), or zero
    }
    let biased = e + 52 + 1023;
    if biased >= 0x7ff {
        return f64::INFINITY;
    }
    f64::from_bits((biased as u64) << 52 | m & ((1 << 52) - 1))
}

/// A whole number of any size: 32-bit limbs, least significant first.
struct Big(Vec<u32>);

impl Big {
    /// self = self × m + a.
    fn mul_add(&mut self, m: u32, a: u32) {
        let mut carry = u64::from(a);
        for limb in &mut self.0 {
            let x = u64::from(*limb) * u64::from(m) + carry;
            *limb = x as u32;
            carry = x >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn bits(&self) -> i64 {
        let top = self.0.iter().rposition(|&l| l != 0);
        top.map_or(0, |t| {
            32 * t as i64 + 32 - i64::from(self.0[t].leading_zeros())
        })
    }

    fn shl(&mut self, n: u32) {
        let (limbs, bits) = ((n / 32) as usize, n % 32);
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
        if bits > 0 {
            let mut carry = 0;
            for limb in &mut self.0[limbs..] {
                let x = *limb;
                *limb = x << bits | carry;
                carry = x >> (32 - bits);
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
    }

    fn shr1(&mut self) {
        let mut carry = 0;
        for limb in self.0.iter_mut().rev() {
            let x = *limb;
            *limb = x >> 1 | carry;
            carry = x << 31;
        }
    }

    /// self ≥ other.
    fn at_least(&self, other: &Big) -> bool {
        let len = self.0.len().max(other.0.len());
        let at = |b: &Big, i: usize| b.0.get(i).copied().unwrap_or(0);
        for i in (0..len).rev() {
            if at(self, i) != at(other, i) {
                return at(self, i) > at(other, i);
            }
        }
        true
    }

    /// self = self − other, other ≤ self.
    fn sub(&mut self, other: &Big) {
        let mut borrow = false;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let (x, b1) = limb.overflowing_sub(other.0.get(i).copied().unwrap_or(0));
            let (x, b2) = x.overflowing_sub(u32::from(borrow));
            *limb = x;
            borrow = b1 || b2;
        }
    }
}

/// A finite `f64`'s exact value, m × 2^e (m below 2^53).
fn parts(v: f64) -> (u64, i32) {
    let bits = v.to_bits();
    let biased = (bits >> 52 & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, biased - 1075)
    }
}

/// The limbs of m × factor^times.
fn scaled(m: u64, factor: u64, times: u32) -> Vec<u64> {
    let mut limbs = vec![m % BASE, m / BASE % BASE, m / BASE / BASE];
    for _ in 0..times {
        let mut carry = 0;
        for limb in &mut limbs {
            let x = *limb * factor + carry;
            carry = x / BASE;
            *limb = x % BASE;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    limbs
}

/// Limbs of a large whole number in base 10^9, least significant first.
const BASE: u64 = 1_000_000_000;

/// The decimal digits of a number given as limbs, without leading zeros ("0" for zero).
fn decimal(limbs: &[u64]) -> Vec<u8> {
    let mut digits = Vec::with_capacity(limbs.len() * 9);
    for &limb in limbs {
        let mut limb = limb;
        for _ in 0..9 {
            digits.push(b'0' + (limb % 10) as u8);
            limb /= 10;
        }
    }
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    digits.reverse();
    digits
}

fn zeros(f: &mut fmt::Formatter<'_>, mut n: usize) -> fmt::Result {
    const ZEROS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
    while n > 0 {
        let chunk = n.min(ZEROS.len());
        f.write_str(&ZEROS[..chunk])?;
        n -= chunk;
    }
    Ok(())
}

/// Texts that try the edges of the grammar, of the range, of the subnormals and of rounding
/// (numbers halfway between two `f64`s): the core's tests and the page's (natively and in the
/// browser) read them all as `str::parse::<f64>` does.
#[doc(hidden)]
pub const TRICKY_NUMBERS: &[&str] = &[
    "",
    "0",
    "-0",
    "+0",
    "1",
    "12",
    "1.5",
    "-1.5",
    "+1.5",
    ".5",
    "5.",
    ".",
    "-.",
    "+",
    "-",
    "1e5",
    "1E5",
    "1e+5",
    "1e-5",
    "1e",
    "1e+",
    "e5",
    ".e5",
    "1.e5",
    ".5e5",
    "1.5e-300",
    "1e400",
    "-1e400",
    "1e-400",
    "inf",
    "-inf",
    "+INF",
    "Infinity",
    "-infinity",
    "infinit",
    "nan",
    "NaN",
    "-nan",
    "nan1",
    "1 ",
    " 1",
    "1_000",
    "0x10",
    "1,5",
    "\u{661}",
    "1..2",
    "1e5.5",
    "--1",
    "+-1",
    "123456789012345678901234567890",
    "0.1000000000000000055511151231257827",
    "2.2250738585072011e-308",
    "4.9406564584124654e-324",
    "1.7976931348623157e308",
    "9007199254740993",
    "00012",
    "1e0000000000000000000000001",
    "lots",
    "0.000",
    "000.000e5",
    "2.2250738585072012e-308",
    "2.4703282292062327e-324",
    "2.4703282292062328e-324",
    "2.47032822920623272e-324",
    "1.7976931348623158e308",
    "1.7976931348623159e308",
    "9007199254740993.0000000000000000000001",
    "9007199254740995",
    "4503599627370496.5",
    "4503599627370497.5",
    "1e23",
    "8.98846567431158e307",
    "1e-320",
    "1e308",
    "1e309",
    "1e-324",
    "1e-323",
    "12345678901234567890e-330",
    "0.0000000000000000000000000000000000000000000000000000000000000000000001e70",
    "100000000000000000000000000000000000000000000000000e-50",
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn samples() -> Vec<f64> {
        let mut v = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            0.25,
            0.125,
            0.375,
            1.005,
            2.675,
            0.1,
            0.2,
            0.3,
            1.0 / 3.0,
            2.0 / 3.0,
            0.05,
            0.95,
            0.995,
            9.995,
            99.95,
            123456.0,
            123456.789,
            1e15,
            1e16,
            1e17,
            1e21,
            1e22,
            1e23,
            1.5e-7,
            1e-5,
            1e-4,
            1e-7,
            0.001,
            12.34e-6,
            1e300,
            1e-300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            5e-324,
            f64::EPSILON,
            9007199254740992.0,
            9007199254740993.0,
            4503599627370496.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for i in 0..2000 {
            v.push(f64::from(i));
            v.push(f64::from(i) / 10.0);
            v.push(f64::from(i) / 100.0);
            v.push(f64::from(i) / 1000.0);
            v.push(f64::from(i) * 0.001 - 1.0);
            v.push(f64::from(i) / 8.0);
        }
        for exp in -320..=308 {
            v.push(10f64.powi(exp));
            v.push(-1.234_567_890_123 * 10f64.powi(exp));
        }
        v
    }

    /// Dec prints exactly what `{}` prints.
    #[test]
    fn dec_is_rusts_display() {
        for v in samples() {
            assert_eq!(Dec(v).to_string(), format!("{v}"), "{:e}", v);
        }
    }

    /// Fixed prints exactly what `{:.N}` prints, ties included.
    #[test]
    fn fixed_is_rusts_precision() {
        for v in samples() {
            for n in 0..=6 {
                assert_eq!(Fixed(v, n).to_string(), format!("{v:.n$}"), "{:e} .{n}", v);
            }
            assert_eq!(Fixed(v, 22).to_string(), format!("{v:.22}"), "{:e} .22", v);
        }
    }

    /// `text` read by read_f64 and by Rust, as bits (None where Rust refuses it or reads
    /// `inf`/`nan`, which read_f64 leaves to its callers).
    fn both(text: &str) -> (Option<u64>, Option<u64>) {
        let rust = text.parse::<f64>().ok();
        let special = text
            .trim_start_matches(['+', '-'])
            .starts_with(['i', 'I', 'n', 'N']);
        let rust = if special { None } else { rust };
        (read_f64(text).map(f64::to_bits), rust.map(f64::to_bits))
    }

    /// The exact decimal midpoint of the `f64` with these bits and the next one up:
    /// they are m × 2^e and (m + 1) × 2^e, the midpoint (2m + 1) × 2^(e - 1).
    fn midpoint(bits: u64) -> String {
        let (m, e) = parts(f64::from_bits(bits));
        let e = e - 1;
        // (2m + 1) × 2^e, or (2m + 1) × 5^-e × 10^e.
        let factor = if e >= 0 { 2 } else { 5 };
        let limbs = scaled(2 * m + 1, factor, e.unsigned_abs());
        let digits = String::from_utf8(decimal(&limbs)).unwrap();
        if e >= 0 {
            digits
        } else {
            format!("{digits}e{e}")
        }
    }

    /// read_f64 reads exactly what `str::parse::<f64>` reads: the edges of the grammar, of
    /// the range, of the subnormals, and numbers halfway between two `f64`s.
    #[test]
    fn read_f64_is_rusts_parse() {
        let edges = TRICKY_NUMBERS;
        for text in edges {
            let (ours, rust) = both(text);
            assert_eq!(ours, rust, "{text:?}");
        }
        // A hundred thousand digits (a link or file could hold them): read as Rust reads them.
        let long = [
            format!("1{}e-100000", "0".repeat(100_000)),
            format!("0.{}1e100000", "0".repeat(99_999)),
            format!("9{}", "9".repeat(100_000)),
            // The midpoint between 0 and the least subnormal, then 2,000 zeros and a 1:
            // that last digit, far past the 800th, rounds it up.
            {
                let mid = midpoint(0);
                let (mantissa, exp) = mid.split_once('e').unwrap();
                format!("{mantissa}.{}1e{exp}", "0".repeat(2000))
            },
        ];
        for text in &long {
            let (ours, rust) = both(text);
            assert_eq!(ours, rust, "{}…", &text[..40]);
        }
        for v in samples() {
            for text in [
                format!("{v}"),
                format!("{v:e}"),
                format!("{v:.3e}"),
                format!("{v:.25e}"),
            ] {
                let (ours, rust) = both(&text);
                assert_eq!(ours, rust, "{text:?}");
            }
        }
    }

    /// `Dec(v)` prints what Rust's `{v}` prints, but where two shortest candidates are
    /// equally near `v` (the last digit 2 or 3, say): zmij takes the even one, Rust the one
    /// rounded up. Both have as many digits and read back as `v`.
    fn dec_as_rust(v: f64) -> Result<(), TestCaseError> {
        let (ours, rust) = (Dec(v).to_string(), format!("{v}"));
        if ours != rust {
            prop_assert_eq!(ours.len(), rust.len(), "{} / {}", ours, rust);
            prop_assert_eq!(ours.parse::<f64>(), Ok(v), "{}", ours);
            prop_assert_eq!(rust.parse::<f64>(), Ok(v), "{}", rust);
        }
        Ok(())
    }

    /// A tie a random run found: Rust prints 8699197.375976563, zmij 8699197.375976562.
    #[test]
    fn dec_ties_read_back_the_same() {
        let v = 8699197.375976563;
        assert_eq!(Dec(v).to_string(), "8699197.375976562");
        dec_as_rust(v).unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

        /// Any `f64` printed shortest, to 17 and 41 digits, and the exact midpoint between it
        /// and its neighbour above (the hardest case for rounding) read as Rust reads them.
        #[test]
        fn read_f64_agrees_with_rust_on_any_bits(bits in 0u64..0x7ff0_0000_0000_0000) {
            let v = f64::from_bits(bits);
            for text in [format!("{v:e}"), format!("{v:.16e}"), format!("{v:.40e}"), midpoint(bits)] {
                let (ours, rust) = both(&text);
                prop_assert_eq!(ours, rust, "{}", text);
            }
        }

        /// A midpoint followed by a long tail of digits, zero or not: read as Rust reads it
        /// (the tail past 800 digits is kept as one digit, and still decides the rounding).
        #[test]
        fn read_f64_agrees_with_rust_past_800_digits(
            bits in 0u64..0x7ff0_0000_0000_0000, zeros in 0usize..1200, last in 0u8..10,
        ) {
            let mid = midpoint(bits);
            let (mantissa, exp) = mid.split_once('e').unwrap_or((&mid, "0"));
            let text = format!("{mantissa}.{}{last}e{exp}", "0".repeat(zeros));
            let (ours, rust) = both(&text);
            prop_assert_eq!(ours, rust, "{}", text);
        }

        /// Random digits with a random exponent, as a user or a file could write them.
        #[test]
        fn read_f64_agrees_with_rust_on_any_digits(
            int in "[0-9]{0,30}", frac in "[0-9]{0,30}", exp in -400i32..400, point in any::<bool>(),
        ) {
            let text = if point { format!("{int}.{frac}e{exp}") } else { format!("{int}{frac}e{exp}") };
            let (ours, rust) = both(&text);
            prop_assert_eq!(ours, rust, "{}", text);
        }

        #[test]
        fn dec_and_fixed_agree_with_rust_on_any_bits(bits in any::<u64>(), n in 0usize..=22) {
            let v = f64::from_bits(bits);
            dec_as_rust(v)?;
            prop_assert_eq!(Fixed(v, n).to_string(), format!("{v:.n$}"));
        }

        #[test]
        fn dec_and_fixed_agree_with_rust_on_lab_sized_numbers(v in -1e7f64..1e7, n in 0usize..=4) {
            dec_as_rust(v)?;
            prop_assert_eq!(Fixed(v, n).to_string(), format!("{v:.n$}"));
        }
    }
}
