//! The world's one random number generator (after madsim's `rand.rs`).
//!
//! xoshiro256++ seeded through splitmix64. Floating point draws go through `libm`, not the
//! platform's maths library, so a seed gives the same numbers natively and in WebAssembly.

#[derive(Debug, Clone)]
pub struct SimRng {
    s: [u64; 4],
}

fn splitmix64(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SimRng {
    pub fn new(seed: u64) -> SimRng {
        let mut x = seed;
        SimRng {
            s: [
                splitmix64(&mut x),
                splitmix64(&mut x),
                splitmix64(&mut x),
                splitmix64(&mut x),
            ],
        }
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1).
    #[inline]
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in 0..n (n > 0), without modulo bias worth measuring (Lemire's method).
    #[inline]
    pub fn below(&mut self, n: u32) -> u32 {
        ((self.next_u64() >> 32).wrapping_mul(n as u64) >> 32) as u32
    }

    /// True with probability p.
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.unit() < p
    }

    /// Exponential with the given mean, in whole microseconds.
    #[inline]
    pub fn exp_us(&mut self, mean_us: f64) -> u64 {
        if mean_us <= 0.0 {
            return 0;
        }
        let us = mean_us * self.exp1();
        // Never negative. Below 2^63, through i64: the same whole number as `as u64` gives,
        // in one conversion instruction instead of two and their fix-ups.
        if us < 9_223_372_036_854_775_808.0 {
            us as i64 as u64
        } else {
            us as u64
        }
    }

    /// A standard exponential draw (mean 1) by Marsaglia and Tsang's ziggurat: one 64-bit
    /// draw and a table lookup almost always (inlined); `libm` only in the rare edge cases
    /// (out of line), so the numbers are the same on every platform.
    #[inline]
    pub fn exp1(&mut self) -> f64 {
        let z = ziggurat();
        let (i, x) = z.layer(self.next_u64());
        if x < z.x[i + 1] {
            return x;
        }
        self.exp1_edge(i, x)
    }

    /// The rest of `exp1` when the draw `x` in layer `i` fell outside the layer's rectangle.
    #[cold]
    #[inline(never)]
    fn exp1_edge(&mut self, mut i: usize, mut x: f64) -> f64 {
        let z = ziggurat();
        loop {
            if i == 0 {
                // The tail beyond r is again exponential, shifted by r.
                return ZIG_R - libm::log(1.0 - self.unit());
            }
            if z.f[i + 1] + (z.f[i] - z.f[i + 1]) * self.unit() < libm::exp(-x) {
                return x;
            }
            (i, x) = z.layer(self.next_u64());
            if x < z.x[i + 1] {
                return x;
            }
        }
    }
}

/// The ziggurat's right edge and the area of each of its 256 layers (for e^-x).
const ZIG_R: f64 = 7.697_117_470_131_05;
const ZIG_V: f64 = 0.003_949_659_822_581_557;

struct Ziggurat {
    /// Layer edges, x[0] (the base's virtual width) down to x[256] = 0.
    x: [f64; 257],
    /// e^-x at each edge.
    f: [f64; 257],
}

impl Ziggurat {
    /// A layer (the 8 low bits) and a point in its width (52 high bits: uniform in [0, 1),
    /// independent of the layer's).
    #[inline]
    fn layer(&self, bits: u64) -> (usize, f64) {
        let i = (bits & 0xff) as usize;
        let u = (bits >> 12) as f64 * (1.0 / (1u64 << 52) as f64);
        (i, u * self.x[i])
    }
}

fn ziggurat() -> &'static Ziggurat {
    static TABLES: std::sync::OnceLock<Ziggurat> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let mut x = [0.0; 257];
        let mut f = [0.0; 257];
        x[0] = ZIG_V / libm::exp(-ZIG_R);
        x[1] = ZIG_R;
        for i in 1..256 {
            // Each layer has the same area: x[i] * (f(x[i+1]) - f(x[i])) = v.
            let fx = libm::exp(-x[i]) + ZIG_V / x[i];
            x[i + 1] = if i == 255 { 0.0 } else { -libm::log(fx) };
        }
        x[256] = 0.0;
        for i in 0..257 {
            f[i] = libm::exp(-x[i]);
        }
        Ziggurat { x, f }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One seed, one sequence.
    #[test]
    fn same_seed_same_numbers() {
        let mut a = SimRng::new(7);
        let mut b = SimRng::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        assert_ne!(SimRng::new(7).next_u64(), SimRng::new(8).next_u64());
    }

    #[test]
    fn exponential_mean_is_right() {
        let mut r = SimRng::new(3);
        let n = 200_000;
        let sum: u64 = (0..n).map(|_| r.exp_us(1000.0)).sum();
        let mean = sum as f64 / n as f64;
        assert!((mean - 1000.0).abs() < 15.0, "mean {mean}");
    }

    /// The ziggurat's draws follow e^-x: its tail probabilities match.
    #[test]
    fn ziggurat_matches_the_exponential() {
        let mut r = SimRng::new(11);
        let n = 400_000;
        let draws: Vec<f64> = (0..n).map(|_| r.exp1()).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        assert!((mean - 1.0).abs() < 0.01, "mean {mean}");
        for k in [0.1f64, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0] {
            let p = draws.iter().filter(|&&d| d > k).count() as f64 / n as f64;
            let want = (-k).exp();
            assert!(
                (p - want).abs() < 4.0 * (want / n as f64).sqrt() + 1e-4,
                "P(X > {k}) = {p}, want {want}"
            );
        }
        // The top layer closes the table: its area is a layer's too.
        let z = ziggurat();
        let top = z.x[255] * (1.0 - z.f[255]);
        assert!((top - ZIG_V).abs() < 1e-5, "top layer area {top}");
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = SimRng::new(5);
        let mut seen = [0u32; 3];
        for _ in 0..3000 {
            seen[r.below(3) as usize] += 1;
        }
        assert!(seen.iter().all(|&c| c > 900), "{seen:?}");
    }
}
