//! How HAProxy sees one server: its administrative state, the health counter and its status
//! strings, the last check's status, and the check timers, as HAProxy 3.2 decides them
//! (`src/check.c`, `src/server.c`, `src/stats.c`). The log and the stats page speak of these;
//! `haproxy` moves them.

use crate::json::names;
use crate::scenario::HaproxySpec;
use serde::Serialize;

names! {
    /// HAProxy's administrative state for a server (`set server … state`).
    pub enum AdminState {
        Ready = "ready",
        Drain = "drain",
        Maint = "maint",
    }
}

/// `check_status` as the stats page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CheckStatus {
    /// No check has finished yet.
    #[serde(rename = "INI")]
    Init,
    #[serde(rename = "L4OK")]
    L4Ok,
    /// Connection refused (RST).
    #[serde(rename = "L4CON")]
    L4Con,
    /// No answer before the check's timeout.
    #[serde(rename = "L4TOUT")]
    L4Tout,
    #[serde(rename = "L7OK")]
    L7Ok,
    /// An HTTP answer outside 2xx/3xx.
    #[serde(rename = "L7STS")]
    L7Sts,
    /// Connected, but no HTTP answer before the timeout.
    #[serde(rename = "L7TOUT")]
    L7Tout,
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Init => "INI",
            CheckStatus::L4Ok => "L4OK",
            CheckStatus::L4Con => "L4CON",
            CheckStatus::L4Tout => "L4TOUT",
            CheckStatus::L7Ok => "L7OK",
            CheckStatus::L7Sts => "L7STS",
            CheckStatus::L7Tout => "L7TOUT",
        }
    }

    pub fn passed(self) -> bool {
        matches!(self, CheckStatus::L4Ok | CheckStatus::L7Ok)
    }

    /// The reason HAProxy logs for it.
    pub fn reason(self) -> &'static str {
        match self {
            CheckStatus::Init => "Initializing",
            CheckStatus::L4Ok => "Layer4 check passed",
            CheckStatus::L4Con => "Layer4 connection problem",
            CheckStatus::L4Tout => "Layer4 timeout",
            CheckStatus::L7Ok => "Layer7 check passed",
            CheckStatus::L7Sts => "Layer7 wrong status",
            CheckStatus::L7Tout => "Layer7 timeout",
        }
    }
}

/// The health counter of one server: 0 ..= rise+fall-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Health {
    pub health: u32,
    pub rise: u32,
    pub fall: u32,
    /// Whether HAProxy considers the server running (UP, possibly going down).
    pub up: bool,
}

/// What one check result did to the server's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthChange {
    None,
    /// A failed check while not DOWN: counts in `chkfail`.
    Failed,
    WentDown,
    WentUp,
}

impl HealthChange {
    /// A change that ended UP, whatever the steps (used when checks are switched off).
    pub fn max_up(self) -> HealthChange {
        match self {
            HealthChange::None | HealthChange::Failed => HealthChange::WentUp,
            other => other,
        }
    }
}

impl Health {
    /// Servers start UP (`init-state up`): "up, but will fall down at first failure", the
    /// counter at `rise` (server.c); the first passing check makes them fully UP.
    pub fn new(rise: u32, fall: u32) -> Health {
        Health {
            health: rise,
            rise,
            fall,
            up: true,
        }
    }

    /// Fully UP, as after enough passing checks.
    pub fn fully_up(rise: u32, fall: u32) -> Health {
        Health {
            health: rise + fall - 1,
            rise,
            fall,
            up: true,
        }
    }

    fn full(&self) -> u32 {
        self.rise + self.fall - 1
    }

    /// As `set_server_check_status()` in check.c: a failure decrements, and falling below
    /// `rise` snaps to 0 and marks the server DOWN.
    pub fn on_failure(&mut self) -> HealthChange {
        if self.health == 0 {
            return HealthChange::None;
        }
        self.health -= 1;
        if self.health < self.rise {
            self.health = 0;
        }
        if self.health == 0 && self.up {
            self.up = false;
            return HealthChange::WentDown;
        }
        HealthChange::Failed
    }

    /// A success increments; reaching `rise` snaps to rise+fall-1 and marks it UP.
    pub fn on_success(&mut self) -> HealthChange {
        if self.health >= self.full() {
            return HealthChange::None;
        }
        self.health += 1;
        if self.health >= self.rise {
            self.health = self.full();
            if !self.up {
                self.up = true;
                return HealthChange::WentUp;
            }
        }
        HealthChange::None
    }

    /// `sudden-death`: as check.c's `__health_adjust` does it: the counter drops to
    /// rise + 1, then the error counts as one failed check, leaving one more failure before
    /// DOWN ("UP 1/3" with the defaults).
    pub fn sudden_death(&mut self) -> HealthChange {
        if self.up && self.health > self.rise + 1 {
            self.health = self.rise + 1;
        }
        self.on_failure()
    }

    /// `mark-down`: DOWN at once.
    pub fn mark_down(&mut self) -> HealthChange {
        let was_up = self.up;
        self.health = 0;
        self.up = false;
        if was_up {
            HealthChange::WentDown
        } else {
            HealthChange::None
        }
    }

    /// The state as HAProxy's check log line ends: `2/3 UP`, `3/3 UP`, `1/2 DOWN`, `0/2 DOWN`
    /// (failures it can still take of `fall` while up; successes of `rise` while down).
    pub fn log_tail(&self) -> String {
        if self.up {
            format!("{}/{} UP", self.health + 1 - self.rise, self.fall)
        } else {
            format!("{}/{} DOWN", self.health, self.rise)
        }
    }

    /// The stats page's status, as `stats.c` prints it: `UP`, `UP 2/3`, `DOWN`, `DOWN 1/2`.
    pub fn status(&self) -> String {
        let mut s = String::new();
        self.write_status(&mut s);
        s
    }

    pub fn write_status(&self, out: &mut String) {
        use std::fmt::Write;
        out.clear();
        if self.up {
            if self.health == self.full() {
                out.push_str("UP");
            } else {
                let _ = write!(out, "UP {}/{}", self.health + 1 - self.rise, self.fall);
            }
        } else if self.health == 0 {
            out.push_str("DOWN");
        } else {
            let _ = write!(out, "DOWN {}/{}", self.health, self.rise);
        }
    }
}

/// The check timers, all in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckTimers {
    pub inter: u64,
    pub fastinter: u64,
    pub downinter: u64,
    /// A check's own timeout: `timeout check`, or `inter` without it.
    pub timeout: u64,
}

impl CheckTimers {
    pub fn from_spec(h: &HaproxySpec) -> CheckTimers {
        let us = crate::scenario::ms_to_us;
        let inter = us(h.inter_ms);
        CheckTimers {
            inter,
            fastinter: h.fastinter_ms.map(us).unwrap_or(inter),
            downinter: h.downinter_ms.map(us).unwrap_or(inter),
            timeout: h.timeout_check_ms.map(us).unwrap_or(inter),
        }
    }

    /// As `srv_getinter()`: `inter` when fully UP, `downinter` when fully DOWN, `fastinter`
    /// in between.
    pub fn next_interval(&self, h: &Health) -> u64 {
        if h.up && h.health == h.full() {
            self.inter
        } else if !h.up && h.health == 0 {
            self.downinter
        } else {
            self.fastinter
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statuses(h: &mut Health, results: &[bool]) -> Vec<String> {
        results
            .iter()
            .map(|&ok| {
                if ok {
                    h.on_success();
                } else {
                    h.on_failure();
                }
                h.status()
            })
            .collect()
    }

    /// With rise 2 / fall 3, UP → UP 2/3 → UP 1/3 → DOWN after 3
    /// failures; DOWN → DOWN 1/2 → UP after 2 successes.
    #[test]
    fn health_counter_default_sequence() {
        let mut h = Health::new(2, 3);
        assert_eq!(
            (h.health, h.status().as_str()),
            (2, "UP 1/3"),
            "init-state up: one failure from DOWN"
        );
        h.on_success();
        assert_eq!(h.health, 4);
        assert_eq!(h.status(), "UP");
        assert_eq!(
            statuses(&mut h, &[false, false, false]),
            ["UP 2/3", "UP 1/3", "DOWN"]
        );
        assert_eq!(h.health, 0);
        assert_eq!(statuses(&mut h, &[true, true]), ["DOWN 1/2", "UP"]);
        assert_eq!(h.health, 4);
    }

    /// As check.c does it: a success while going down (health still >= rise) snaps the
    /// counter straight back to full, so one good check undoes a partial fall.
    #[test]
    fn health_counter_one_success_undoes_a_partial_fall() {
        let mut h = Health::fully_up(2, 3);
        assert_eq!(
            statuses(&mut h, &[false, false, true, false]),
            ["UP 2/3", "UP 1/3", "UP", "UP 2/3"]
        );
        // While going up, a failure snaps back to 0.
        let mut h = Health::fully_up(2, 3);
        statuses(&mut h, &[false, false, false]);
        assert_eq!(statuses(&mut h, &[true, false]), ["DOWN 1/2", "DOWN"]);
    }

    /// Failures while DOWN change nothing (and HAProxy does not count them in chkfail).
    #[test]
    fn failures_while_down_are_not_counted() {
        let mut h = Health::fully_up(2, 3);
        statuses(&mut h, &[false, false]);
        assert_eq!(h.on_failure(), HealthChange::WentDown);
        assert_eq!(h.on_failure(), HealthChange::None);
    }

    /// `on-error sudden-death` leaves one failure before DOWN.
    #[test]
    fn sudden_death_leaves_one_failure() {
        let mut h = Health::fully_up(2, 3);
        h.sudden_death();
        assert_eq!(h.status(), "UP 1/3");
        h.on_failure();
        assert_eq!(h.status(), "DOWN");
    }

    #[test]
    fn rise_and_fall_of_other_sizes() {
        let mut h = Health::fully_up(3, 5);
        assert_eq!(h.health, 7);
        let s = statuses(&mut h, &[false; 5]);
        assert_eq!(s, ["UP 4/5", "UP 3/5", "UP 2/5", "UP 1/5", "DOWN"]);
        assert_eq!(statuses(&mut h, &[true; 3]), ["DOWN 1/3", "DOWN 2/3", "UP"]);
    }

    /// fastinter while in transition, downinter while DOWN.
    #[test]
    fn check_intervals_follow_the_state() {
        let t = CheckTimers {
            inter: 2000,
            fastinter: 500,
            downinter: 5000,
            timeout: 2000,
        };
        let mut h = Health::fully_up(2, 3);
        assert_eq!(t.next_interval(&h), 2000);
        h.on_failure();
        assert_eq!(t.next_interval(&h), 500);
        h.on_failure();
        h.on_failure();
        assert_eq!(t.next_interval(&h), 5000);
        h.on_success();
        assert_eq!(t.next_interval(&h), 500);
    }

    #[test]
    fn check_timers_default_to_inter() {
        let t = CheckTimers::from_spec(&HaproxySpec::default());
        assert_eq!(
            (t.inter, t.fastinter, t.downinter, t.timeout),
            (2_000_000, 2_000_000, 2_000_000, 2_000_000)
        );
    }
}
