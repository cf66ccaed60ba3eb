//! Simulated time: whole microseconds since the start of the run (docs/architecture.md,
//! "Determinism").

use serde::{Deserialize, Serialize};
use std::ops::{Add, Sub};

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
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
