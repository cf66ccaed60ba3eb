//! What a user can do to a running world (SPEC U2, U3, U5), as plain serializable values:
//! the page dispatches them, the lab records them with their times for replay and share links.

use crate::log::SettingsPart;
use crate::num::Dec;
use crate::scenario::{AppSpec, FaultKind, HaproxySpec, MysqlSpec, Scenario, TimingSpec};
use crate::trace::ReqKind;
use crate::world::{AdminState, World};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
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

crate::json::tagged!(Action {
    ;
    Fault = "fault" { target, fault },
    ServerState = "server-state" { server, state },
    Weight = "weight" { server, weight },
    Rate = "rate" { rate },
    Burst = "burst" { factor, duration_s },
    SendOne = "send-one" { kind },
    Promote = "promote" { db },
    Haproxy = "haproxy" { spec },
    App = "app" { spec },
    Mysql = "mysql" { spec },
    Timing = "timing" { spec },
});

impl Action {
    /// Checks the values an action carries, whatever world it meets.
    // Off the event loop: built where it is called, in the page for size (see lab.rs).
    #[inline]
    pub fn validate(&self) -> Result<(), String> {
        match self {
            Action::Rate { rate } => {
                if *rate != 0.0
                    && !(crate::scenario::MIN_RATE..=crate::scenario::MAX_RATE).contains(rate)
                {
                    return Err(format!(
                        "the rate must be 0 or from {} to {} requests/s, not {}",
                        Dec(crate::scenario::MIN_RATE),
                        Dec(crate::scenario::MAX_RATE),
                        Dec(*rate)
                    ));
                }
            }
            Action::Burst { factor, duration_s } => {
                if !(factor.is_finite() && (1.0..=100.0).contains(factor)) {
                    return Err(format!(
                        "a burst multiplies the rate by 1 to 100, not {}",
                        Dec(*factor)
                    ));
                }
                if !(duration_s.is_finite() && *duration_s > 0.0 && *duration_s <= 3600.0) {
                    return Err(format!(
                        "a burst lasts from 0 to 3600 s, not {}",
                        Dec(*duration_s)
                    ));
                }
            }
            Action::Weight { weight, .. } => {
                if *weight > 256 {
                    return Err(format!("a weight is from 0 to 256, not {weight}"));
                }
            }
            Action::Haproxy { .. }
            | Action::App { .. }
            | Action::Mysql { .. }
            | Action::Timing { .. } => {
                // Checked against the default design: which servers exist is the world's.
                let mut s = self.patched(&Scenario::default()).unwrap_or_default();
                s.haproxy.servers.clear();
                s.validate().map_err(|e| e.to_string())?;
            }
            Action::Fault { fault, .. } => fault.check("").map_err(|e| e.to_string())?,
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
            Action::Haproxy { .. }
            | Action::App { .. }
            | Action::Mysql { .. }
            | Action::Timing { .. } => {
                let (s, what) = (action.patched(&self.scenario), action.part());
                self.reconfigure(s.expect("a settings action"), what)
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
