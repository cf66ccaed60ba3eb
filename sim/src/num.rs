//! Printing an `f64` as Rust's `{}` and `{:.N}` print it, without Rust's float formatting.
//!
//! `core`'s float `Display` brings its Grisu and Dragon code and tables into the page, about
//! 13 KB (SPEC P4); zmij, already there for serde_json, finds the shortest digits instead,
//! and `{:.N}` is integer arithmetic on the float's exact value.
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
        // v = m × 2^e exactly.
        let bits = v.to_bits();
        let biased = (bits >> 52 & 0x7ff) as i32;
        let fraction = bits & ((1 << 52) - 1);
        let (m, e) = if biased == 0 {
            (fraction, -1074)
        } else {
            (fraction | 1 << 52, biased - 1075)
        };
        let digits = if e >= 0 {
            // A whole number, maybe too large for any integer type: its digits, then zeros.
            let mut limbs = vec![m % BASE, m / BASE % BASE, m / BASE / BASE];
            for _ in 0..e {
                let mut carry = 0;
                for limb in &mut limbs {
                    let twice = *limb * 2 + carry;
                    carry = twice / BASE;
                    *limb = twice % BASE;
                }
                if carry > 0 {
                    limbs.push(carry);
                }
            }
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

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

        #[test]
        fn dec_and_fixed_agree_with_rust_on_any_bits(bits in any::<u64>(), n in 0usize..=22) {
            let v = f64::from_bits(bits);
            let (ours, rust) = (Dec(v).to_string(), format!("{v}"));
            if ours != rust {
                // Two shortest candidates equally near v (17 digits, v ending in 25 or 75):
                // zmij takes the even one, Rust the one rounded up. Both read back as v.
                prop_assert_eq!(ours.len(), rust.len());
                prop_assert_eq!(ours.parse::<f64>(), Ok(v));
            }
            prop_assert_eq!(Fixed(v, n).to_string(), format!("{v:.n$}"));
        }

        #[test]
        fn dec_and_fixed_agree_with_rust_on_lab_sized_numbers(v in -1e7f64..1e7, n in 0usize..=4) {
            prop_assert_eq!(Dec(v).to_string(), format!("{v}"));
            prop_assert_eq!(Fixed(v, n).to_string(), format!("{v:.n$}"));
        }
    }
}
