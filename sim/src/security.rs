//! Security (SPEC S9): what an eavesdropper on the Internet link can read, and what an
//! attacker probing every host's ports from the Internet can reach, with and without HTTPS and
//! firewalls.

use crate::log::LogEvent;
use crate::time::SEC;
use crate::topology::{NodeId, NodeKind};
use crate::trace::ReqKind;
use crate::world::{Event, World};
use serde::Serialize;

/// The attacker tries one port every this often.
pub const PROBE_EVERY_US: u64 = SEC / 2;

#[derive(Debug, Clone, Default, Serialize)]
pub struct SecurityStats {
    /// Requests the eavesdropper read in plaintext on the Internet link.
    pub plaintext_seen: u64,
    /// `POST /login` bodies (passwords) among them.
    pub passwords_seen: u64,
    /// Requests it saw only as TLS ciphertext.
    pub ciphertext_seen: u64,
    pub probes: u64,
    /// Probes that opened a connection to a port that should not be public (22, 3306, a web
    /// host's 80).
    pub attacker_reached: u64,
    /// Probes a firewall dropped.
    pub attacker_blocked: u64,
    /// Every (host:port) the attacker reached at least once.
    pub exposed: Vec<String>,
    next_probe: usize,
}

/// One port on one host the attacker tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Target {
    host: NodeId,
    port: u16,
    /// The process listening there, if any (sshd is part of the host).
    service: Option<NodeId>,
    /// Meant to be reachable from the Internet (the load balancer's 80/443).
    public: bool,
}

impl World {
    /// The eavesdropper on the users ↔ load balancer link looks at a request going out.
    pub(crate) fn eavesdrop(&mut self, kind: ReqKind, path: &'static str, tls: bool) {
        let s = &mut self.security;
        if tls {
            s.ciphertext_seen += 1;
        } else {
            s.plaintext_seen += 1;
            if kind == ReqKind::Write && path == "POST /login" {
                s.passwords_seen += 1;
            }
        }
    }

    fn probe_targets(&self) -> Vec<Target> {
        let t = &self.net.topo;
        let mut out = Vec::new();
        for (i, n) in t.nodes.iter().enumerate() {
            if n.kind != NodeKind::Host {
                continue;
            }
            let host = NodeId(i as u16);
            let is_lb = t.lb_hosts.contains(&host);
            out.push(Target {
                host,
                port: 22,
                service: None,
                public: false,
            });
            if let Some(m) = t.component(host, NodeKind::Mysql) {
                out.push(Target {
                    host,
                    port: 3306,
                    service: Some(m),
                    public: false,
                });
            }
            let web = if is_lb {
                t.component(host, NodeKind::Haproxy)
            } else {
                t.component(host, NodeKind::Nginx)
            };
            if web.is_some() {
                out.push(Target {
                    host,
                    port: 80,
                    service: web,
                    public: is_lb || t.lb_hosts.is_empty(),
                });
            }
            if is_lb && self.scenario.topology.https {
                out.push(Target {
                    host,
                    port: 443,
                    service: web,
                    public: true,
                });
            }
        }
        out
    }

    pub(crate) fn security_start(&mut self) {
        if self.scenario.topology.attacker {
            self.queue.push(self.now + PROBE_EVERY_US, Event::Probe);
        }
    }

    /// A host's firewall drops the Internet's packets to a port it does not allow.
    fn firewall_blocks(&self, target: &Target) -> bool {
        if !self.scenario.topology.firewalls {
            return false;
        }
        let Some(fw) = self.net.topo.component(target.host, NodeKind::Firewall) else {
            return false;
        };
        // A crashed firewall is a disabled one: its rules are gone.
        let off = self.net.node(fw).crashed;
        !off && !target.public
    }

    pub(crate) fn on_probe(&mut self) {
        self.queue.push(self.now + PROBE_EVERY_US, Event::Probe);
        let targets = self.probe_targets();
        if targets.is_empty() {
            return;
        }
        let i = self.security.next_probe % targets.len();
        self.security.next_probe = i + 1;
        let target = targets[i];
        self.security.probes += 1;
        let host = self.effective_state(target.host);
        if host.crashed || host.partitioned {
            return;
        }
        if self.firewall_blocks(&target) {
            self.security.attacker_blocked += 1;
            return;
        }
        let listening = target.service.is_none_or(|s| {
            let st = self.effective_state(s);
            !st.crashed && !st.partitioned
        });
        if !listening || target.public {
            return;
        }
        self.security.attacker_reached += 1;
        let name = format!("{}:{}", self.net.topo.node(target.host).name, target.port);
        if !self.security.exposed.contains(&name) {
            self.security.exposed.push(name.clone());
            let ev = LogEvent::AttackerReached {
                host: self.net.topo.node(target.host).name.clone(),
                port: target.port,
                firewalls: self.scenario.topology.firewalls,
            };
            self.log.push(self.now, ev);
        }
    }
}
