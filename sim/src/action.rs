//! What a user can do to a running world (SPEC U2, U3, U5), as plain serializable values:
//! the page dispatches them, the lab records them with their times for replay and share links.

use crate::scenario::{AppSpec, FaultKind, HaproxySpec, MysqlSpec, Scenario, TimingSpec};
use crate::trace::ReqKind;
use crate::world::{AdminState, World};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
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
    pub fn validate(&self) -> Result<(), String> {
        let mut s = Scenario::default();
        match self {
            Action::Rate { rate } => {
                if *rate != 0.0
                    && !(crate::scenario::MIN_RATE..=crate::scenario::MAX_RATE).contains(rate)
                {
                    return Err(format!(
                        "the rate must be 0 or from {} to {} requests/s, not {rate}",
                        crate::scenario::MIN_RATE,
                        crate::scenario::MAX_RATE
                    ));
                }
            }
            Action::Burst { factor, duration_s } => {
                if !(factor.is_finite() && (1.0..=100.0).contains(factor)) {
                    return Err(format!(
                        "a burst multiplies the rate by 1 to 100, not {factor}"
                    ));
                }
                if !(duration_s.is_finite() && *duration_s > 0.0 && *duration_s <= 3600.0) {
                    return Err(format!("a burst lasts from 0 to 3600 s, not {duration_s}"));
                }
            }
            Action::Weight { weight, .. } => {
                if *weight > 256 {
                    return Err(format!("a weight is from 0 to 256, not {weight}"));
                }
            }
            Action::Haproxy { spec } => {
                s.haproxy = (**spec).clone();
                s.haproxy.servers.clear();
                s.validate().map_err(|e| e.to_string())?;
            }
            Action::App { spec } => {
                s.app = spec.clone();
                s.validate().map_err(|e| e.to_string())?;
            }
            Action::Mysql { spec } => {
                s.mysql = spec.clone();
                s.validate().map_err(|e| e.to_string())?;
            }
            Action::Timing { spec } => {
                s.timing = spec.clone();
                s.validate().map_err(|e| e.to_string())?;
            }
            Action::Fault { fault, .. } => fault.check("").map_err(|e| e.to_string())?,
            Action::ServerState { .. } | Action::SendOne { .. } | Action::Promote { .. } => {}
        }
        Ok(())
    }
}

impl World {
    /// Applies a user action now. A refused action changes nothing and says why.
    pub fn apply(&mut self, action: &Action) -> Result<(), String> {
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
                let node = self
                    .topology()
                    .node_by_name(db)
                    .ok_or_else(|| format!("no node called {db:?}"))?;
                let d = self
                    .dbs
                    .iter()
                    .position(|m| m.node == node || m.host == node)
                    .ok_or_else(|| format!("{db} runs no MySQL"))?;
                if self.primary == Some(d) {
                    return Err(format!("{db} is already the primary"));
                }
                let st = self.effective_state(self.dbs[d].node);
                if st.crashed || st.partitioned {
                    return Err(format!("{db} is down: it cannot be promoted"));
                }
                self.promote(d, false);
                Ok(())
            }
            Action::Haproxy { spec } => {
                let mut s = self.scenario.clone();
                let servers = std::mem::take(&mut s.haproxy.servers);
                s.haproxy = (**spec).clone();
                if s.haproxy.servers.is_empty() {
                    s.haproxy.servers = servers;
                }
                self.reconfigure(s, "HAProxy")
            }
            Action::App { spec } => {
                let mut s = self.scenario.clone();
                s.app = spec.clone();
                self.reconfigure(s, "app")
            }
            Action::Mysql { spec } => {
                let mut s = self.scenario.clone();
                s.mysql = spec.clone();
                self.reconfigure(s, "MySQL")
            }
            Action::Timing { spec } => {
                let mut s = self.scenario.clone();
                s.timing = spec.clone();
                self.reconfigure(s, "timing")
            }
        }
    }

    fn web_index(&self, name: &str) -> Result<usize, String> {
        self.webs
            .iter()
            .position(|w| self.topology().node(w.host).name == name)
            .ok_or_else(|| format!("no web server called {name:?}"))
    }
}
