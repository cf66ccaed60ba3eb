//! Reading a decimal number the user typed, exactly as Rust's `str::parse::<f64>` reads it.
//!
//! Finite numbers are read by the core's exact reader ([`foobar_sim::num::read_f64`]): Rust's
//! own would bring its 10 KB table of powers of five into the page.

/// The number `raw` is, or `None` where `raw.parse::<f64>()` would fail.
pub fn parse_f64(raw: &str) -> Option<f64> {
    let (negative, rest) = match raw.as_bytes().first() {
        Some(b'-') => (true, &raw[1..]),
        Some(b'+') => (false, &raw[1..]),
        _ => (false, raw),
    };
    let special = if rest.eq_ignore_ascii_case("inf") || rest.eq_ignore_ascii_case("infinity") {
        f64::INFINITY
    } else if rest.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else {
        return foobar_sim::num::read_f64(raw);
    };
    Some(if negative { -special } else { special })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// The page reads a typed number exactly as Rust does, value and refusal alike
    /// (the browser's conversion is checked the same way in tests/diagram.rs).
    #[test]
    fn numbers_are_read_as_rust_reads_them() {
        for s in foobar_sim::num::TRICKY_NUMBERS {
            let ours = parse_f64(s).map(f64::to_bits);
            let rust = s.parse::<f64>().ok().map(f64::to_bits);
            assert_eq!(ours, rust, "{s:?}");
        }
    }
}
