//! What a user can do to a running world (faults, server states and weights, traffic, a promotion,
//! live settings), as plain serializable values: the page dispatches them, the lab records them
//! with their times for replay and share links.

use crate::error::ActionError;
use crate::log::SettingsPart;
use crate::scenario::{AppSpec, FaultKind, HaproxySpec, MysqlSpec, Scenario, TimingSpec};
use crate::trace::ReqKind;
use crate::world::{AdminState, World};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Action {
    /// Break or restore a node (`web-01`, `web-01/app`) or a link (`lb-01--web-01`).
    Fault {
        target: String,
        fault: FaultKind,
    },
    /// HAProxy `set server web/<server> state ready|drain|maint`.
    ServerState {
        server: String,
        state: AdminState,
    },
    /// HAProxy `set server web/<server> weight <w>`.
    Weight {
        server: String,
        weight: u32,
    },
    /// Poisson arrivals per second (0 stops the traffic).
    Rate {
        rate: f64,
    },
    /// A flash crowd: the rate × `factor` for `duration_s`.
    Burst {
        factor: f64,
        duration_s: f64,
    },
    /// One request, traced from end to end.
    SendOne {
        kind: ReqKind,
    },
    /// Promote a replica by hand: `STOP REPLICA; RESET REPLICA ALL; SET GLOBAL read_only =
    /// OFF;` and point the apps' writes at it.
    Promote {
        db: String,
    },
    /// New HAProxy settings (balance, checks, timeouts …), applied live.
    Haproxy {
        spec: Box<HaproxySpec>,
    },
    App {
        spec: AppSpec,
    },
    Mysql {
        spec: MysqlSpec,
    },
    Timing {
        spec: TimingSpec,
    },
}

impl Action {
    /// Checks the values an action carries, whatever world it meets.
    // Off the event loop: built where it is called, in the page for size (see lab.rs).
    #[inline]
    pub fn validate(&self) -> Result<(), ActionError> {
        match self {
            Action::Rate { rate } => {
                if *rate != 0.0
                    && !(crate::scenario::MIN_RATE..=crate::scenario::MAX_RATE).contains(rate)
                {
                    return Err(ActionError::Rate {
                        min: crate::scenario::MIN_RATE,
                        max: crate::scenario::MAX_RATE,
                        got: *rate,
                    });
                }
            }
            Action::Burst { factor, duration_s } => {
                if !(factor.is_finite() && (1.0..=100.0).contains(factor)) {
                    return Err(ActionError::BurstFactor { got: *factor });
                }
                if !(duration_s.is_finite() && *duration_s > 0.0 && *duration_s <= 3600.0) {
                    return Err(ActionError::BurstDuration { got: *duration_s });
                }
            }
            Action::Weight { weight, .. } => {
                if *weight > 256 {
                    return Err(ActionError::Weight { got: *weight });
                }
            }
            Action::Haproxy { .. }
            | Action::App { .. }
            | Action::Mysql { .. }
            | Action::Timing { .. } => {
                // Checked against the default design: which servers exist is the world's.
                let mut s = self.patched(&Scenario::default()).unwrap_or_default();
                s.haproxy.servers.clear();
                s.validate()?;
            }
            Action::Fault { fault, .. } => fault.check("")?,
            Action::ServerState { .. } | Action::SendOne { .. } | Action::Promote { .. } => {}
        }
        Ok(())
    }
}

impl Action {
    /// `base` with the settings this action carries (for the settings actions): HAProxy's
    /// (keeping `base`'s servers when it names none), the app's, MySQL's or the timing.
    // Off the event loop: built where it is called, in the page for size (see lab.rs).
    #[inline]
    fn patched(&self, base: &Scenario) -> Option<Scenario> {
        let mut s = base.clone();
        match self {
            Action::Haproxy { spec } => {
                let servers = std::mem::take(&mut s.haproxy.servers);
                s.haproxy = (**spec).clone();
                if s.haproxy.servers.is_empty() {
                    s.haproxy.servers = servers;
                }
            }
            Action::App { spec } => s.app = *spec,
            Action::Mysql { spec } => s.mysql = *spec,
            Action::Timing { spec } => s.timing = *spec,
            _ => return None,
        }
        Some(s)
    }

    /// Which part of the design a settings action changes.
    fn part(&self) -> SettingsPart {
        match self {
            Action::Haproxy { .. } => SettingsPart::Haproxy,
            Action::App { .. } => SettingsPart::App,
            Action::Mysql { .. } => SettingsPart::Mysql,
            _ => SettingsPart::Timing,
        }
    }
}

impl World {
    /// Applies a user action now. A refused action changes nothing and says why.
    /// Off the event loop: built where it is called, in the page for size (see lab.rs).
    #[inline]
    pub fn apply(&mut self, action: &Action) -> Result<(), ActionError> {
        action.validate()?;
        match action {
            Action::Fault { target, fault } => self.apply_fault(target, *fault),
            Action::ServerState { server, state } => {
                let w = self.web_index(server)?;
                self.set_admin(w, *state);
                Ok(())
            }
            Action::Weight { server, weight } => {
                let w = self.web_index(server)?;
                self.set_weight(w, *weight);
                Ok(())
            }
            Action::Rate { rate } => {
                self.set_rate(*rate);
                Ok(())
            }
            Action::Burst { factor, duration_s } => {
                self.add_burst(*factor, *duration_s);
                Ok(())
            }
            Action::SendOne { kind } => {
                self.send_one(*kind);
                Ok(())
            }
            Action::Promote { db } => {
                let name = || db.clone();
                let node = self
                    .topology()
                    .node_by_name(db)
                    .ok_or_else(|| ActionError::UnknownNode { name: name() })?;
                let d = self
                    .repl
                    .dbs
                    .iter()
                    .position(|m| m.node == node || m.host == node)
                    .ok_or_else(|| ActionError::NoMysql { name: name() })?;
                if self.repl.primary == Some(d) {
                    return Err(ActionError::AlreadyPrimary { name: name() });
                }
                let st = self.effective_state(self.repl.dbs[d].node);
                if st.crashed || st.partitioned {
                    return Err(ActionError::PromoteDown { name: name() });
                }
                self.promote(d, false);
                Ok(())
            }
            Action::Haproxy { .. }
            | Action::App { .. }
            | Action::Mysql { .. }
            | Action::Timing { .. } => {
                let (s, what) = (action.patched(&self.scenario), action.part());
                self.reconfigure(s.expect("a settings action"), what)
            }
        }
    }

    fn web_index(&self, name: &str) -> Result<usize, ActionError> {
        self.webs
            .iter()
            .position(|w| self.topology().node(w.host).name == name)
            .ok_or_else(|| ActionError::UnknownWebServer {
                name: name.to_string(),
            })
    }
}

/// An action as a run recorded it: when, and after how many events (a replay takes it at
/// exactly the same point of the run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stamped {
    /// When it was taken.
    pub at: crate::time::SimTime,
    /// How many events the world had run then.
    pub events: u64,
    pub action: Action,
}
