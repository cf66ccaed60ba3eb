//! Simulated time: whole microseconds since the start of the run (docs/architecture.md,
//! "Determinism").

use serde::Serialize;
use std::ops::{Add, Sub};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SimTime(pub u64);

pub const US: u64 = 1;
pub const MS: u64 = 1_000;
pub const SEC: u64 = 1_000_000;

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);
    pub const NEVER: SimTime = SimTime(u64::MAX);

    pub fn from_secs_f64(s: f64) -> SimTime {
        SimTime((s * SEC as f64).round().max(0.0) as u64)
    }

    pub fn as_ms(self) -> f64 {
        self.0 as f64 / MS as f64
    }

    pub fn as_secs(self) -> f64 {
        self.0 as f64 / SEC as f64
    }

    pub fn saturating_sub(self, other: SimTime) -> u64 {
        self.0.saturating_sub(other.0)
    }
}

/// Whole microseconds, as serde writes it.
impl crate::json::Write for SimTime {
    #[inline]
    fn write(&self, out: &mut String) {
        crate::json::Write::write(&self.0, out);
    }
}

impl crate::json::Read for SimTime {
    #[inline]
    fn read(v: &crate::json::Value, at: &crate::json::Path) -> crate::json::Result<Self> {
        u64::read(v, at).map(SimTime)
    }
}

impl Add<u64> for SimTime {
    type Output = SimTime;
    fn add(self, us: u64) -> SimTime {
        SimTime(self.0.saturating_add(us))
    }
}

impl Sub for SimTime {
    type Output = u64;
    fn sub(self, other: SimTime) -> u64 {
        self.0.saturating_sub(other.0)
    }
}
