//! Metrics over time: totals, latency histograms and per-second series.
//!
//! Percentiles come from a log-linear histogram (HDR-like, 64 sub-buckets per power of two,
//! under 1.6% error), never from a sorted list. Series are fixed-size rings bucketed by
//! simulated second, so memory stays flat however long the run.

use crate::time::SEC;
use serde::Serialize;

const SUB_BITS: u32 = 6;
const SUB: u64 = 1 << SUB_BITS;
const BUCKETS: usize = (2 * SUB + (42 - SUB_BITS as u64) * SUB) as usize;

#[derive(Debug, Clone)]
pub struct Histogram {
    /// A fixed length: the index (clamped to the last bucket) needs no bounds check.
    counts: Box<[u64; BUCKETS]>,
    total: u64,
    sum: u128,
    max: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: Box::new([0; BUCKETS]),
            total: 0,
            sum: 0,
            max: 0,
        }
    }
}

#[inline]
fn bucket_of(v: u64) -> usize {
    if v < 2 * SUB {
        return v as usize;
    }
    let e = 63 - v.leading_zeros(); // >= SUB_BITS + 1
    let sub = (v >> (e - SUB_BITS)) & (SUB - 1);
    let idx = 2 * SUB + (e as u64 - SUB_BITS as u64 - 1) * SUB + sub;
    (idx as usize).min(BUCKETS - 1)
}

/// The smallest value that lands in bucket `i`.
fn bucket_floor(i: usize) -> u64 {
    let i = i as u64;
    if i < 2 * SUB {
        return i;
    }
    let k = i - 2 * SUB;
    let e = k / SUB + SUB_BITS as u64 + 1;
    let sub = k % SUB;
    (1u64 << e) + (sub << (e - SUB_BITS as u64))
}

impl Histogram {
    #[inline]
    pub fn record(&mut self, v: u64) {
        self.counts[bucket_of(v)] += 1;
        self.total += 1;
        self.sum += v as u128;
        self.max = self.max.max(v);
    }

    pub fn count(&self) -> u64 {
        self.total
    }

    pub fn mean(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.sum as f64 / self.total as f64
        }
    }

    pub fn max(&self) -> u64 {
        self.max
    }

    /// The value at quantile q (0..=1): the middle of the bucket that holds it.
    pub fn quantile(&self, q: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let lo = bucket_floor(i);
                let hi = if i + 1 < BUCKETS {
                    bucket_floor(i + 1)
                } else {
                    lo + 1
                };
                return (lo + (hi - lo) / 2).min(self.max);
            }
        }
        self.max
    }
}

/// How many seconds the per-second series keep: the last 15 minutes.
pub const SERIES_SECONDS: usize = 900;
/// Web hosts tracked one by one in the series (a design has up to 8).
pub const MAX_BACKENDS: usize = 8;

/// One simulated second of the site's life.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Second {
    /// Which second this is (its start, in whole seconds since the run began).
    pub t: u64,
    pub requests: u32,
    pub ok: u32,
    pub served_by: [u32; MAX_BACKENDS],
    pub status_500: u32,
    pub status_502: u32,
    pub status_503: u32,
    pub status_504: u32,
    /// Failures before any HTTP answer: DNS, refused or timed-out connections.
    pub no_answer: u32,
    pub stale_reads: u32,
    pub lost_writes: u32,
    pub latency_p50_us: u64,
    pub latency_p95_us: u64,
    pub latency_p99_us: u64,
    /// Longest HAProxy queue plus app backlog seen during the second.
    pub queue_max: u32,
    /// Replication lag of the most lagging replica at the end of the second, in µs.
    pub lag_us: u64,
}

/// Coarse latency buckets for one second (powers of two of µs); enough for p50/p95/p99
/// within a factor of √2, which is what a plot can show.
#[derive(Debug, Clone, Copy)]
struct CoarseHist {
    counts: [u32; 40],
    n: u32,
}

impl Default for CoarseHist {
    fn default() -> Self {
        CoarseHist {
            counts: [0; 40],
            n: 0,
        }
    }
}

impl CoarseHist {
    fn record(&mut self, v: u64) {
        let b = (64 - v.leading_zeros()) as usize;
        self.counts[b.min(39)] += 1;
        self.n += 1;
    }

    fn quantile(&self, q: f64) -> u64 {
        if self.n == 0 {
            return 0;
        }
        let rank = ((q * self.n as f64).ceil() as u32).max(1);
        let mut seen = 0;
        for (b, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                // Geometric middle of [2^(b-1), 2^b).
                return if b == 0 {
                    0
                } else {
                    ((1u64 << (b - 1)) as f64 * 1.414) as u64
                };
            }
        }
        0
    }
}

#[derive(Debug, Clone)]
pub struct Series {
    ring: Vec<Second>,
    /// The second being filled, not yet in the ring.
    current: Second,
    hist: CoarseHist,
    /// Seconds completed so far (the ring holds the last `SERIES_SECONDS` of them).
    completed: u64,
}

impl Default for Series {
    fn default() -> Self {
        Series {
            ring: Vec::with_capacity(SERIES_SECONDS),
            current: Second::default(),
            hist: CoarseHist::default(),
            completed: 0,
        }
    }
}

impl Series {
    /// Moves on to the second that holds `now_us`, closing the ones before.
    #[inline]
    pub fn at(&mut self, now_us: u64) -> &mut Second {
        let sec = now_us / SEC;
        if sec != self.current.t {
            self.roll_to(sec);
        }
        &mut self.current
    }

    fn roll_to(&mut self, sec: u64) {
        while self.current.t < sec {
            self.current.latency_p50_us = self.hist.quantile(0.50);
            self.current.latency_p95_us = self.hist.quantile(0.95);
            self.current.latency_p99_us = self.hist.quantile(0.99);
            let done = self.current;
            let idx = (self.completed % SERIES_SECONDS as u64) as usize;
            if self.ring.len() < SERIES_SECONDS {
                self.ring.push(done);
            } else {
                self.ring[idx] = done;
            }
            self.completed += 1;
            self.hist = CoarseHist::default();
            let next_t = done.t + 1;
            // A long quiet gap: skip straight to the last SERIES_SECONDS empty seconds.
            let next_t = if sec - next_t > SERIES_SECONDS as u64 {
                let skip = sec - SERIES_SECONDS as u64;
                self.completed += skip - next_t;
                skip
            } else {
                next_t
            };
            self.current = Second {
                t: next_t,
                lag_us: done.lag_us,
                ..Second::default()
            };
        }
    }

    #[inline]
    pub fn record_latency(&mut self, now_us: u64, latency_us: u64) {
        self.at(now_us);
        self.hist.record(latency_us);
    }

    /// The completed seconds, oldest first (at most `SERIES_SECONDS`).
    pub fn seconds(&self) -> impl Iterator<Item = &Second> {
        let n = self.ring.len();
        let start = if n < SERIES_SECONDS {
            0
        } else {
            (self.completed % SERIES_SECONDS as u64) as usize
        };
        (0..n).map(move |i| &self.ring[(start + i) % n])
    }

    /// The most recently completed second.
    pub fn last_completed(&self) -> Option<&Second> {
        if self.ring.is_empty() {
            return None;
        }
        let i = ((self.completed + SERIES_SECONDS as u64 - 1) % SERIES_SECONDS as u64) as usize;
        self.ring.get(i.min(self.ring.len() - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_monotone_and_tight() {
        let mut last = 0;
        for v in [0u64, 1, 5, 127, 128, 129, 1000, 65_537, 10_000_000, 1 << 40] {
            let b = bucket_of(v);
            assert!(b >= last);
            last = b;
            let lo = bucket_floor(b);
            assert!(lo <= v, "{v}: floor {lo}");
            assert!(v - lo <= v / 60 + 1, "{v}: floor {lo} too far");
        }
    }

    /// p50/p95/p99 from a histogram within its 1.6% resolution.
    #[test]
    fn quantiles_of_a_uniform_spread() {
        let mut h = Histogram::default();
        for v in 1..=100_000u64 {
            h.record(v);
        }
        for (q, want) in [(0.5, 50_000.0), (0.95, 95_000.0), (0.99, 99_000.0)] {
            let got = h.quantile(q) as f64;
            assert!((got - want).abs() / want < 0.016, "q{q}: {got}");
        }
        assert!((h.mean() - 50_000.5).abs() < 1e-6);
    }

    /// The series ring never grows past its size.
    #[test]
    fn series_ring_is_bounded() {
        let mut s = Series::default();
        for sec in 0..5_000u64 {
            s.at(sec * SEC + 10).requests += 1;
        }
        s.at(6_000 * SEC);
        let secs: Vec<_> = s.seconds().collect();
        assert_eq!(secs.len(), SERIES_SECONDS);
        assert!(secs.windows(2).all(|w| w[0].t + 1 == w[1].t));
        assert_eq!(secs.last().unwrap().t, 5_999);
    }
}
