//! Faults: a node or link crashed, cut off, slowed or restored, and what follows for the
//! requests resting there.

use super::request::{Stage, Step, NONE8};
use super::World;
use crate::cx::Cx;
use crate::error::ActionError;
use crate::haproxy::AdminState;
use crate::log::{FaultChange, LogEvent};
use crate::net::{LinkState, NodeState};
use crate::nginx;
use crate::scenario::{FaultKind, ScheduledFault};
use crate::time::SimTime;
use crate::topology::{LinkId, NodeId, Target, Topology};
use crate::trace::{Cause, Outcome};
use crate::traffic::gives_up_at;

impl World {
    /// Applies a fault to a node or link by name: the user's action, the one place a fault's
    /// target is looked up while the world runs. Errors say what was wrong.
    pub fn apply_fault(&mut self, target: &str, fault: FaultKind) -> Result<(), ActionError> {
        fault.check("")?;
        match self.net.topo.target_by_name(target) {
            Some(t) => self.fault(t, fault),
            None => Err(ActionError::UnknownTarget {
                name: target.to_string(),
            }),
        }
    }

    /// Applies a fault to a node or a link.
    pub(crate) fn fault(&mut self, target: Target, fault: FaultKind) -> Result<(), ActionError> {
        match target {
            Target::Node(node) => self.fault_node(node, fault),
            Target::Link(link) => self.fault_link(link, fault),
        }
    }

    /// The scenario's scheduled fault `index` is due: its target was resolved when the world
    /// was built (`scheduled_faults`).
    pub(super) fn on_scheduled_fault(&mut self, index: usize) {
        if let Some((target, fault)) = self.scheduled[index] {
            // Validation refused any fault this target cannot take.
            let _ = self.fault(target, fault);
        }
    }

    pub(crate) fn fault_node(&mut self, node: NodeId, fault: FaultKind) -> Result<(), ActionError> {
        let name = self.net.topo.node(node).name.clone();
        let before = self.net.node(node);
        let web = self.webs.iter().position(|w| w.host == node);
        let dns = node == self.net.topo.dns;
        let change = match fault {
            FaultKind::Crash => {
                self.net.set_node(
                    node,
                    NodeState {
                        crashed: true,
                        ..before
                    },
                );
                self.on_node_lost(node, false);
                if dns {
                    FaultChange::DnsCrashed
                } else {
                    FaultChange::Crashed
                }
            }
            FaultKind::Partition => {
                self.net.set_node(
                    node,
                    NodeState {
                        partitioned: true,
                        ..before
                    },
                );
                self.on_node_lost(node, true);
                if dns {
                    FaultChange::DnsCutOff
                } else {
                    FaultChange::CutOff
                }
            }
            FaultKind::Drain => {
                if let Some(w) = web {
                    self.set_admin(w, AdminState::Drain);
                    FaultChange::Draining
                } else {
                    self.net.set_node(
                        node,
                        NodeState {
                            draining: true,
                            ..before
                        },
                    );
                    FaultChange::Stopping
                }
            }
            FaultKind::Slow { factor } => {
                self.net.set_node(
                    node,
                    NodeState {
                        slow: factor,
                        ..before
                    },
                );
                FaultChange::Slowed { factor }
            }
            FaultKind::Loss { .. } => return Err(ActionError::LossOnNode),
            FaultKind::Restore => {
                self.net.set_node(node, NodeState::default());
                if let Some(w) = web {
                    if self
                        .lbs
                        .iter()
                        .any(|l| l.servers[w].admin != AdminState::Ready)
                    {
                        self.set_admin(w, AdminState::Ready);
                    }
                }
                self.on_node_restored(node);
                FaultChange::Restored
            }
        };
        let after = self.net.node(node);
        self.fault_done(
            name,
            change,
            before.condition().as_str(),
            after.condition().as_str(),
        );
        Ok(())
    }

    /// Narrates a fault and records the state change it made.
    pub(super) fn fault_done(
        &mut self,
        target: String,
        change: FaultChange,
        before: &str,
        after: &str,
    ) {
        if before != after {
            self.transition(&target, "state", before.into(), after.into());
        }
        self.log.push(self.now, LogEvent::Fault { target, change });
        self.version += 1;
    }

    pub(crate) fn fault_link(&mut self, link: LinkId, fault: FaultKind) -> Result<(), ActionError> {
        let name = self.net.topo.link(link).name.clone();
        let before = self.net.link(link);
        let mut l = before;
        let change = match fault {
            FaultKind::Crash | FaultKind::Partition => {
                l.partitioned = true;
                FaultChange::LinkCut
            }
            FaultKind::Slow { factor } => {
                l.slow = factor;
                FaultChange::LinkSlowed { factor }
            }
            FaultKind::Loss { rate } => {
                l.loss = rate;
                FaultChange::LinkLossy { rate }
            }
            FaultKind::Drain => return Err(ActionError::DrainOnLink),
            FaultKind::Restore => {
                l = LinkState::default();
                FaultChange::LinkRepaired
            }
        };
        self.net.set_link(link, l);
        let after = self.net.link(link);
        // Messages in flight over a cut link are lost when they land (`path_broken`); requests
        // resting on a host behind it lose their answer there, and HAProxy's timers decide.
        self.fault_done(
            name,
            change,
            before.condition().as_str(),
            after.condition().as_str(),
        );
        Ok(())
    }

    pub(crate) fn on_node_restored(&mut self, node: NodeId) {
        for lb in 0..self.lbs.len() {
            let host = self.lbs[lb].host;
            if node == host || self.net.topo.host_of(node) == host {
                self.keepalived.on_restored(lb, &mut cx!(self));
            }
        }
        self.repl.on_node_restored(node, &mut cx!(self));
        // An app server comes back with the idle pool its crash left (on_node_lost).
    }

    /// Does `node` (a host or component) cover `target`?
    pub(crate) fn covers(&self, node: NodeId, target: NodeId) -> bool {
        node == target || self.net.topo.host_of(target) == node
    }

    /// A node crashed (`partition` false) or was cut off (`true`): every request that was
    /// resting on it reacts as the real peers would.
    pub(crate) fn on_node_lost(&mut self, node: NodeId, partition: bool) {
        let now = self.now;
        let ids: Vec<u32> = (0..self.reqs.len() as u32)
            .filter(|&i| self.reqs[i as usize].live)
            .collect();
        for id in ids {
            let r = &self.reqs[id as usize];
            if !r.live {
                continue;
            }
            let (stage, start, client_done, db) = (r.stage, r.start, r.client_done, r.db);
            let lb = (r.lb != NONE8).then_some(r.lb as usize);
            let w = r.server_index();
            // The load balancer the request is on.
            if let Some(lb) = lb {
                let (lb_host, haproxy) = (self.lbs[lb].host, self.lbs[lb].haproxy);
                if (node == lb_host || node == haproxy) && !client_done {
                    if matches!(stage, Stage::LbQueue) {
                        self.lbs[lb].unqueue(id);
                    }
                    let server_side = matches!(
                        stage,
                        Stage::Nginx
                            | Stage::AppSyn
                            | Stage::AppBacklog
                            | Stage::App
                            | Stage::Db
                            | Stage::RespToLb
                    );
                    if partition {
                        let give_up = gives_up_at(start, self.cfg.client_timeout, now);
                        self.finish_later(
                            id,
                            give_up,
                            Outcome::Timeout,
                            Cause::LbUnreachable,
                            server_side,
                        );
                    } else {
                        let lat = self.internet_back(id);
                        self.finish_later(
                            id,
                            now + lat,
                            Outcome::Refused,
                            Cause::LbReset,
                            server_side,
                        );
                    }
                    continue;
                }
            }
            if stage == Stage::Dns && self.covers(node, self.net.topo.dns) {
                let r = &self.reqs[id as usize];
                let (sent, arrives) = (r.attempt_at, r.sent_at);
                if partition {
                    // The query, or the answer on its way back, vanishes.
                    self.cut_chain(id);
                    self.dns_timeout_from(id);
                } else if now < arrives {
                    // The query reaches a dead port: ICMP port unreachable comes back.
                    self.cut_chain(id);
                    let back = arrives + (arrives - sent);
                    self.push_step(back, id, Step::DnsRefused);
                }
                // Otherwise the answer left before the crash and still arrives.
                continue;
            }
            let Some(w) = w else { continue };
            let web = &self.webs[w];
            let (host, nginx, app) = (web.host, web.nginx, web.app);
            let at_server = matches!(
                stage,
                Stage::Nginx | Stage::AppSyn | Stage::AppBacklog | Stage::App | Stage::Db
            );
            if !at_server {
                continue;
            }
            if client_done && (self.covers(node, app) || self.covers(node, nginx)) {
                // The user already has an answer (HAProxy's 504): only the work dies.
                self.drop_server_side(id, w);
                self.release(id);
                continue;
            }
            if client_done {
                // Only its database matters now (below): the app must hear of it to free its
                // worker.
            } else if self.covers(node, nginx) {
                // The whole web server is gone with the request on it.
                self.drop_server_side(id, w);
                if partition {
                    self.stall(id);
                    if lb.is_none() {
                        self.client_gives_up(id);
                    }
                } else if let Some(lb) = lb {
                    // HAProxy sees the connection reset: 502 to the user.
                    self.lbs[lb].servers[w].stats.eresp += 1;
                    self.release_conn(id);
                    self.observe(lb, w, true, true);
                    let lat = self.cfg.timing.lan_us + self.internet_back(id);
                    self.end(id, now + lat, Outcome::Http(502), Cause::ServerReset);
                } else {
                    let lat = self.internet_back(id);
                    self.end(id, now + lat, Outcome::Refused, Cause::ServerReset);
                }
                continue;
            }
            if node == app && matches!(stage, Stage::AppBacklog | Stage::App | Stage::Db) {
                self.drop_server_side(id, w);
                if partition {
                    // Nginx waits for the hung app until proxy_read_timeout.
                    self.reqs[id as usize].stage = Stage::App;
                    let sent = self.reqs[id as usize].sent_at;
                    let t = nginx::read_timeout_at(sent, self.cfg.proxy_read_timeout, now);
                    self.push_step(t, id, Step::NginxTimeout);
                } else {
                    let lat = self.cfg.timing.loopback_us;
                    self.respond_from_server(id, nginx, Outcome::Http(502), Cause::AppDown, lat);
                }
                continue;
            }
            if stage == Stage::Db {
                if let Some(db) = db {
                    if self.covers(node, db) && host != node {
                        self.cut_chain(id);
                        if partition {
                            let t = (self.reqs[id as usize].db_at + self.cfg.db_timeout).max(now);
                            self.push_step(t, id, Step::DbTimeout);
                        } else {
                            let lat = self.cfg.timing.lan_us;
                            self.push_step(
                                now + lat,
                                id,
                                Step::DbReply {
                                    error: Some(Cause::DbDown),
                                },
                            );
                        }
                    }
                }
            }
        }
        // A crashed app loses its workers and backlog (handled per request above).
        for w in 0..self.webs.len() {
            if self.covers(node, self.webs[w].app) && !partition {
                self.webs[w].pool.crash();
            }
        }
        self.repl.on_node_lost(node, !partition, &mut cx!(self));
    }

    /// The server side of a request is gone: its worker, backlog place and chain.
    pub(crate) fn drop_server_side(&mut self, id: u32, w: usize) {
        self.cut_chain(id);
        if self.reqs[id as usize].stage == Stage::AppBacklog {
            self.webs[w].pool.leave_backlog(id);
        }
        // The worker dies with the app; no successor is started from a dead app.
        let r = &mut self.reqs[id as usize];
        if r.holds_worker {
            r.holds_worker = false;
            self.webs[w].pool.free_worker();
        }
    }

    /// The user's answer is decided now but arrives at `at`; the server side, if it is still
    /// working, carries on and is dropped when it answers.
    pub(crate) fn finish_later(
        &mut self,
        id: u32,
        at: SimTime,
        outcome: Outcome,
        cause: Cause,
        server_side: bool,
    ) {
        if !server_side {
            self.cut_chain(id);
            self.release_conn(id);
        }
        let stage = self.reqs[id as usize].stage;
        self.reqs[id as usize].stage = if server_side { stage } else { Stage::Stalled };
        self.finish(id, at, outcome, cause);
        if !server_side {
            self.release(id);
        }
    }
}

/// Each of the scenario's scheduled faults with its target found by name, once (validation
/// refused any name the topology lacks).
pub(super) fn scheduled_faults(
    topo: &Topology,
    faults: &[ScheduledFault],
) -> Vec<Option<(Target, FaultKind)>> {
    faults
        .iter()
        .map(|f| Some((topo.target_by_name(&f.target)?, f.fault)))
        .collect()
}
