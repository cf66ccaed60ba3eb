//! HAProxy's health checks: when each server is checked, what a check finds on its way to the
//! server, how the result moves the health counter, when the server goes DOWN or comes back
//! UP and the log lines that say so; and the passive checks (`observe`, `error-limit`,
//! `on-error`). As HAProxy 3.2's `src/check.c` decides them.
//!
//! The checks of a load balancer's servers are its `Lb`'s; they react to their `CheckEvent`s
//! through a `Cx` and ask the network whether the check reaches the server. What follows from
//! a server going DOWN or UP for the requests queued on it is the world's.

use super::{AdminState, CheckStatus, CheckTimers, Health, HealthChange, Lb};
use crate::cx::Cx;
use crate::epoch::{Epoch, Stamp};
use crate::log::LogEvent;
use crate::net::Conn;
use crate::scenario::{CheckKind, HaproxySpec, Observe, OnError};
use crate::time::{SimTime, MS};
use crate::topology::NodeId;

/// How long the app's `GET /health` handler takes (ours).
pub const HEALTH_HANDLER_US: u64 = 500;

/// How servers are checked, from the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckConfig {
    pub kind: CheckKind,
    pub timers: CheckTimers,
    /// Passive checks: which errors of live traffic count.
    pub observe: Observe,
    /// Consecutive errors that trigger `on_error`.
    pub error_limit: u32,
    pub on_error: OnError,
}

impl CheckConfig {
    /// Whether passive checks count this answer: layer 7 watches HTTP statuses and (check.c's
    /// `analyze_statuses`) failed connections too; layer 4 only connections. Nothing is
    /// watched without active checks.
    #[inline]
    pub fn watches(&self, error: bool, layer7: bool) -> bool {
        let watching = match self.observe {
            Observe::None => false,
            Observe::Layer4 => !layer7,
            Observe::Layer7 => layer7 || error,
        };
        watching && self.kind != CheckKind::None
    }

    pub fn from_spec(h: &HaproxySpec) -> CheckConfig {
        CheckConfig {
            kind: h.check,
            timers: CheckTimers::from_spec(h),
            observe: h.observe,
            error_limit: h.error_limit,
            on_error: h.on_error,
        }
    }
}

/// A health check's events, for server `srv` of load balancer `lb`; `stamp` is the check's
/// epoch when it was queued (a later `schedule` cancels it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckEvent {
    /// Time to check the server.
    Start { lb: u8, srv: u8, stamp: Stamp },
    /// The check begun at `started` ends with `status`.
    Done {
        lb: u8,
        srv: u8,
        stamp: Stamp,
        status: CheckStatus,
        started: SimTime,
    },
}

/// What a check meets behind Nginx, as it is at the moment the check starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckTarget {
    /// The app that answers `GET /health` (an HTTP check).
    pub app: NodeId,
    /// Every worker busy and a backlog waiting: `/health` waits past the check's timeout.
    pub app_saturated: bool,
    /// The MySQL the handler connects to (`health_checks_db`), if any.
    pub db: Option<NodeId>,
}

/// One server's health check: its counter, the last result, and the next check.
#[derive(Debug, Clone)]
pub struct HealthCheck {
    pub health: Health,
    /// `check_status` on the stats page.
    pub status: CheckStatus,
    /// How long the last check took.
    pub duration_us: u64,
    epoch: Epoch,
    in_flight: bool,
    next_at: SimTime,
    /// Errors in a row that passive checks saw.
    consecutive_errors: u32,
}

impl HealthCheck {
    pub fn new(health: Health) -> HealthCheck {
        HealthCheck {
            health,
            status: CheckStatus::Init,
            duration_us: 0,
            epoch: Epoch::default(),
            in_flight: false,
            next_at: SimTime::ZERO,
            consecutive_errors: 0,
        }
    }

    /// Whether an event queued with `stamp` is still this check's.
    #[inline]
    pub fn is_current(&self, stamp: Stamp) -> bool {
        self.epoch.is_current(stamp)
    }

    /// Queues the next check at `at`, calling off any check queued or under way.
    pub fn schedule<E: From<CheckEvent> + Copy + Default>(
        &mut self,
        lb: usize,
        srv: usize,
        at: SimTime,
        cx: &mut Cx<'_, E>,
    ) {
        self.epoch.bump();
        self.next_at = at;
        let stamp = self.epoch.stamp();
        cx.at(
            at,
            CheckEvent::Start {
                lb: lb as u8,
                srv: srv as u8,
                stamp,
            },
        );
    }

    /// After a check ends: `inter` when fully UP, `downinter` when fully DOWN, `fastinter`
    /// while the counter is between.
    pub fn schedule_next<E: From<CheckEvent> + Copy + Default>(
        &mut self,
        lb: usize,
        srv: usize,
        timers: &CheckTimers,
        cx: &mut Cx<'_, E>,
    ) {
        let next = timers.next_interval(&self.health);
        let at = cx.now() + next;
        self.schedule(lb, srv, at, cx);
    }

    /// Errors seen by the passive checks bring the next check forward to `fastinter`.
    pub fn hurry<E: From<CheckEvent> + Copy + Default>(
        &mut self,
        lb: usize,
        srv: usize,
        timers: &CheckTimers,
        cx: &mut Cx<'_, E>,
    ) {
        if !self.in_flight {
            let at = cx.now() + timers.fastinter;
            if at < self.next_at {
                self.schedule(lb, srv, at, cx);
            }
        }
    }

    /// Checks switched off: whatever is queued or under way is called off.
    pub fn stop(&mut self) {
        self.epoch.bump();
        self.in_flight = false;
    }

    /// New `rise` and `fall`: the counter starts over at the end it was on (fully UP, or
    /// DOWN at 0).
    pub fn set_rise_fall(&mut self, rise: u32, fall: u32) {
        if self.health.rise != rise || self.health.fall != fall {
            let up = self.health.up;
            self.health = Health::fully_up(rise, fall);
            if !up {
                self.health.health = 0;
                self.health.up = false;
            }
        }
    }
}

impl Lb {
    /// Every server's first check, staggered over one interval from now, as HAProxy's
    /// start_checks() does.
    pub fn start_checks<E: From<CheckEvent> + Copy + Default>(
        &mut self,
        lb: usize,
        timers: &CheckTimers,
        cx: &mut Cx<'_, E>,
    ) {
        let n = self.servers.len() as u64;
        for srv in 0..self.servers.len() {
            let at = cx.now() + timers.inter * srv as u64 / n.max(1);
            self.servers[srv].check.schedule(lb, srv, at, cx);
        }
    }

    /// A check of server `srv` starts: it connects to Nginx (`check: tcp`), or asks the app
    /// for `/health` through it (`check: http`, with the app's database if `target.db`), and
    /// ends when the answer is back or at the check's timeout.
    pub fn check_start<E: From<CheckEvent> + Copy + Default>(
        &mut self,
        lb: usize,
        srv: usize,
        target: &CheckTarget,
        cfg: &CheckConfig,
        cx: &mut Cx<'_, E>,
    ) {
        let now = cx.now();
        let timeout = cfg.timers.timeout;
        let lb_state = cx.net().effective_state(self.haproxy);
        if lb_state.crashed || self.servers[srv].admin == AdminState::Maint {
            // A dead HAProxy checks nothing, and checks pause in MAINT; look again later.
            self.servers[srv]
                .check
                .schedule(lb, srv, now + cfg.timers.inter, cx);
            return;
        }
        let (host, nginx) = (self.servers[srv].host, self.servers[srv].nginx);
        let http = cfg.kind == CheckKind::Http;
        let (status, took) = match cx.connect(self.host, nginx) {
            Conn::Dropped => (CheckStatus::L4Tout, timeout),
            Conn::Refused(lat) => (CheckStatus::L4Con, 2 * lat),
            Conn::Ok(lat) if !http => (CheckStatus::L4Ok, 2 * lat),
            Conn::Ok(lat) => match cx.connect(host, target.app) {
                Conn::Dropped => (CheckStatus::L7Tout, timeout),
                Conn::Refused(l2) => (CheckStatus::L7Sts, 2 * lat + 2 * l2),
                Conn::Ok(_) if target.app_saturated => (CheckStatus::L7Tout, timeout),
                Conn::Ok(l2) => {
                    let handler = (HEALTH_HANDLER_US as f64 * cx.net().slow_of(target.app)) as u64;
                    let mut took = 2 * lat + 2 * l2 + handler;
                    let mut status = CheckStatus::L7Ok;
                    if let Some(db) = target.db {
                        match cx.connect(host, db) {
                            Conn::Ok(l3) => took += 2 * l3,
                            Conn::Refused(l3) => {
                                took += 2 * l3;
                                status = CheckStatus::L7Sts;
                            }
                            Conn::Dropped => status = CheckStatus::L7Tout,
                        }
                    }
                    if status == CheckStatus::L7Tout || took > timeout {
                        (CheckStatus::L7Tout, timeout)
                    } else {
                        (status, took)
                    }
                }
            },
        };
        // `timeout check`: no check lasts longer, and one that would have passed times out.
        let took = took.min(timeout);
        let status = if took >= timeout && status.passed() {
            if http {
                CheckStatus::L7Tout
            } else {
                CheckStatus::L4Tout
            }
        } else {
            status
        };
        let check = &mut self.servers[srv].check;
        check.in_flight = true;
        let stamp = check.epoch.stamp();
        cx.at(
            now + took,
            CheckEvent::Done {
                lb: lb as u8,
                srv: srv as u8,
                stamp,
                status,
                started: now,
            },
        );
    }

    /// A check of server `srv` ended with `status`: the counter moves, the check is logged
    /// when it failed or moved the counter up, and a DOWN or UP is recorded. The caller
    /// then acts on the change and queues the next check (`HealthCheck::schedule_next`).
    pub fn check_done<E>(
        &mut self,
        srv: usize,
        status: CheckStatus,
        started: SimTime,
        cx: &mut Cx<'_, E>,
    ) -> HealthChange {
        let now = cx.now();
        let duration_ms = (now - started) / MS;
        let s = &mut self.servers[srv];
        s.check.in_flight = false;
        s.check.status = status;
        s.check.duration_us = now - started;
        let health_before = s.check.health.health;
        let change = if status.passed() {
            s.check.health.on_success()
        } else {
            s.check.health.on_failure()
        };
        if !status.passed() && change != HealthChange::None {
            s.stats.chkfail += 1;
        }
        let health = s.check.health;
        let (lb_name, server) = (self.name.clone(), s.name.clone());
        match change {
            HealthChange::Failed => cx.log(LogEvent::CheckFailed {
                lb: lb_name,
                server,
                status,
                duration_ms,
                health,
            }),
            // A passing check that moved the counter (going up, or back to full).
            HealthChange::None if status.passed() && health.health != health_before => {
                cx.log(LogEvent::CheckPassed {
                    lb: lb_name,
                    server,
                    status,
                    duration_ms,
                    health,
                })
            }
            _ => {}
        }
        self.record_change(srv, change, status, duration_ms, cx);
        change
    }

    /// Passive checks (`observe`): `error` says whether live traffic to `srv` met an error
    /// at the observed layer; `layer7` whether it was an HTTP response. After `error_limit`
    /// errors in a row, `on_error` acts on the counter; the change is returned (and
    /// recorded) for the caller to act on, which then calls `HealthCheck::hurry`.
    pub fn observe<E>(
        &mut self,
        srv: usize,
        error: bool,
        layer7: bool,
        cfg: &CheckConfig,
        cx: &mut Cx<'_, E>,
    ) -> Option<HealthChange> {
        if !cfg.watches(error, layer7) {
            return None;
        }
        let s = &mut self.servers[srv];
        if !error {
            s.check.consecutive_errors = 0;
            return None;
        }
        s.check.consecutive_errors += 1;
        if s.check.consecutive_errors < cfg.error_limit {
            return None;
        }
        s.check.consecutive_errors = 0;
        let action = cfg.on_error;
        let change = match action {
            OnError::FastInter => HealthChange::None,
            OnError::FailCheck => s.check.health.on_failure(),
            OnError::SuddenDeath => s.check.health.sudden_death(),
            OnError::MarkDown => s.check.health.mark_down(),
        };
        if change == HealthChange::Failed || change == HealthChange::WentDown {
            s.stats.chkfail += 1;
        }
        cx.log(LogEvent::PassiveCheck {
            lb: self.name.clone(),
            server: s.name.clone(),
            errors: cfg.error_limit,
            action,
        });
        self.record_change(srv, change, CheckStatus::L7Sts, 0, cx);
        Some(change)
    }

    /// Checks switched off: HAProxy assumes every server UP. Returns the change of a server
    /// that was DOWN (recorded), for the caller to act on.
    pub fn checks_off<E>(&mut self, srv: usize, cx: &mut Cx<'_, E>) -> Option<HealthChange> {
        let check = &mut self.servers[srv].check;
        check.stop();
        if check.health.up {
            return None;
        }
        let change = check.health.on_success();
        let _ = check.health.on_success();
        let change = change.max_up();
        self.record_change(srv, change, CheckStatus::Init, 0, cx);
        Some(change)
    }

    /// Records a change of server `srv`'s status: the transition of its stats-page status,
    /// `lastchg`, and on DOWN or UP the counters and HAProxy's log line ("Server web/web-01
    /// is DOWN … 2 active and 0 backup servers left").
    pub fn record_change<E>(
        &mut self,
        srv: usize,
        change: HealthChange,
        status: CheckStatus,
        duration_ms: u64,
        cx: &mut Cx<'_, E>,
    ) {
        let now = cx.now();
        let s = &mut self.servers[srv];
        let new_status = s.status();
        let old_status = std::mem::replace(&mut s.status_text, new_status.clone());
        if old_status != new_status {
            cx.transition(&s.name, "check", old_status, new_status);
        }
        // `lastchg`: the last change of state (UP/DOWN), not of the counter.
        if matches!(change, HealthChange::WentDown | HealthChange::WentUp) {
            s.lastchg = now;
        }
        match change {
            HealthChange::WentDown => {
                s.stats.chkdown += 1;
                s.down_since = Some(now);
                if s.first_down_at.is_none() {
                    s.first_down_at = Some(now);
                }
                let (active_left, backup_left) = self.servers_left();
                let s = &self.servers[srv];
                cx.log(LogEvent::ServerDown {
                    lb: self.name.clone(),
                    server: s.name.clone(),
                    status,
                    duration_ms,
                    active_left,
                    backup_left,
                    sessions_active: s.scur,
                    in_queue: s.queue.len() as u32,
                });
                if active_left + backup_left == 0 {
                    cx.log(LogEvent::NoServerAvailable {
                        lb: self.name.clone(),
                    });
                }
            }
            HealthChange::WentUp => {
                if let Some(t) = s.down_since.take() {
                    s.stats.downtime_closed += now - t;
                }
                let (active_online, backup_online) = self.servers_left();
                cx.log(LogEvent::ServerUp {
                    lb: self.name.clone(),
                    server: self.servers[srv].name.clone(),
                    status,
                    duration_ms,
                    active_online,
                    backup_online,
                });
            }
            _ => {}
        }
        cx.changed();
    }
}

#[cfg(test)]
mod tests;
