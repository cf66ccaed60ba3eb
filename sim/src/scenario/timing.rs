//! The teaching latencies: the `timing` part of a scenario, and the microseconds it resolves
//! to.

use crate::json::names;
use serde::{Deserialize, Serialize};

names! {
    /// The teaching latencies (docs/model.md, "Network and service times (ours)"): `realistic` uses real network
    /// figures; `classroom` slows every hop so one request's trip takes about a second to watch,
    /// while every protocol timer (checks, timeouts, VRRP) stays real.
    pub enum TimingPreset {
        Realistic = "realistic",
        Classroom = "classroom",
    }
}

/// Network and service times. Every `None` takes the preset's value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TimingSpec {
    pub preset: TimingPreset,
    /// One way, users ↔ load balancer (the Internet).
    pub internet_ms: Option<f64>,
    /// One way, between two hosts of the data centre.
    pub lan_ms: Option<f64>,
    /// One way, between two processes of one host (Nginx → app, app → local MySQL).
    pub loopback_ms: Option<f64>,
    /// Nginx serving a static file.
    pub static_ms: Option<f64>,
    /// Mean app CPU time per dynamic request (exponential).
    pub app_ms: Option<f64>,
    /// MySQL time for one read query.
    pub db_read_ms: Option<f64>,
    /// MySQL time for one write (commit included).
    pub db_write_ms: Option<f64>,
}

impl Default for TimingSpec {
    fn default() -> Self {
        TimingSpec {
            preset: TimingPreset::Realistic,
            internet_ms: None,
            lan_ms: None,
            loopback_ms: None,
            static_ms: None,
            app_ms: None,
            db_read_ms: None,
            db_write_ms: None,
        }
    }
}

/// The resolved teaching latencies, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub internet_us: u64,
    pub lan_us: u64,
    pub loopback_us: u64,
    pub static_us: u64,
    pub app_us: u64,
    pub db_read_us: u64,
    pub db_write_us: u64,
}

impl TimingSpec {
    // Off the event loop: built where it is called, in the page for size (see lab.rs).
    #[inline]
    pub fn resolve(&self) -> Timing {
        let base = match self.preset {
            TimingPreset::Realistic => Timing {
                internet_us: 20_000,
                lan_us: 250,
                loopback_us: 20,
                static_us: 200,
                app_us: 8_000,
                db_read_us: 1_000,
                db_write_us: 3_000,
            },
            TimingPreset::Classroom => Timing {
                internet_us: 220_000,
                lan_us: 90_000,
                loopback_us: 45_000,
                static_us: 40_000,
                app_us: 90_000,
                db_read_us: 40_000,
                db_write_us: 60_000,
            },
        };
        let pick = |v: Option<f64>, d: u64| v.map(ms_to_us).unwrap_or(d);
        Timing {
            internet_us: pick(self.internet_ms, base.internet_us),
            lan_us: pick(self.lan_ms, base.lan_us),
            loopback_us: pick(self.loopback_ms, base.loopback_us),
            static_us: pick(self.static_ms, base.static_us),
            app_us: pick(self.app_ms, base.app_us),
            db_read_us: pick(self.db_read_ms, base.db_read_us),
            db_write_us: pick(self.db_write_ms, base.db_write_us),
        }
    }
}

/// Milliseconds (as written in a file) to whole microseconds.
pub fn ms_to_us(ms: f64) -> u64 {
    (ms * 1000.0).round() as u64
}
