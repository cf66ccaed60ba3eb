//! Security: what an eavesdropper on the Internet link can read, and what an attacker
//! probing every host's ports from the Internet can reach, with and without HTTPS and
//! firewalls.
//!
//! `Security` owns the eavesdropper's and the attacker's counts; the attacker's probes are its
//! own events, handled through a `Cx`, and whether a probe gets through is the network's
//! answer (a crashed host, a firewall, a process listening).

use crate::cx::Cx;
use crate::log::LogEvent;
use crate::scenario::TopologySpec;
use crate::time::SEC;
use crate::topology::{NodeId, NodeKind, Topology};
use crate::trace::ReqKind;
use serde::Serialize;

/// The attacker tries one port every this often.
pub const PROBE_EVERY_US: u64 = SEC / 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityEvent {
    /// The attacker tries its next port.
    Probe,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Security {
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
    /// Whether there is an attacker, and firewalls on the hosts.
    #[serde(skip)]
    attacker: bool,
    #[serde(skip)]
    firewalls: bool,
    /// Every port the attacker tries, in order.
    #[serde(skip)]
    targets: Vec<Target>,
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

/// Every host's SSH port, MySQL's 3306, each web server's 80 (HAProxy's on a load balancer)
/// and with HTTPS a load balancer's 443.
fn probe_targets(t: &Topology, https: bool) -> Vec<Target> {
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
        if is_lb && https {
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

impl Security {
    pub fn new(spec: &TopologySpec, topo: &Topology) -> Security {
        Security {
            attacker: spec.attacker,
            firewalls: spec.firewalls,
            targets: probe_targets(topo, spec.https),
            ..Security::default()
        }
    }

    /// The eavesdropper on the users ↔ load balancer link looks at a request going out.
    #[inline]
    pub fn eavesdrop(&mut self, kind: ReqKind, path: &'static str, tls: bool) {
        if tls {
            self.ciphertext_seen += 1;
        } else {
            self.plaintext_seen += 1;
            if kind == ReqKind::Write && path == "POST /login" {
                self.passwords_seen += 1;
            }
        }
    }

    /// The attacker's first probe, if there is one.
    pub fn start<E: From<SecurityEvent> + Copy + Default>(&mut self, cx: &mut Cx<'_, E>) {
        if self.attacker {
            cx.after(PROBE_EVERY_US, SecurityEvent::Probe);
        }
    }

    pub fn on_event<E: From<SecurityEvent> + Copy + Default>(
        &mut self,
        ev: SecurityEvent,
        cx: &mut Cx<'_, E>,
    ) {
        match ev {
            SecurityEvent::Probe => self.probe(cx),
        }
    }

    /// A host's firewall drops the Internet's packets to a port it does not allow.
    fn firewall_blocks<E>(&self, target: &Target, cx: &Cx<'_, E>) -> bool {
        if !self.firewalls {
            return false;
        }
        let net = cx.net();
        let Some(fw) = net.topo.component(target.host, NodeKind::Firewall) else {
            return false;
        };
        // A crashed firewall is a disabled one: its rules are gone.
        let off = net.node(fw).crashed;
        !off && !target.public
    }

    /// The attacker tries the next port in turn.
    fn probe<E: From<SecurityEvent> + Copy + Default>(&mut self, cx: &mut Cx<'_, E>) {
        cx.after(PROBE_EVERY_US, SecurityEvent::Probe);
        if self.targets.is_empty() {
            return;
        }
        let i = self.next_probe % self.targets.len();
        self.next_probe = i + 1;
        let target = self.targets[i];
        self.probes += 1;
        let net = cx.net();
        let host = net.effective_state(target.host);
        if host.crashed || host.partitioned {
            return;
        }
        if self.firewall_blocks(&target, cx) {
            self.attacker_blocked += 1;
            return;
        }
        let net = cx.net();
        let listening = target.service.is_none_or(|s| {
            let st = net.effective_state(s);
            !st.crashed && !st.partitioned
        });
        if !listening || target.public {
            return;
        }
        self.attacker_reached += 1;
        let host_name = &net.topo.node(target.host).name;
        let name = format!("{}:{}", host_name, target.port);
        if !self.exposed.contains(&name) {
            let ev = LogEvent::AttackerReached {
                host: host_name.clone(),
                port: target.port,
                firewalls: self.firewalls,
            };
            self.exposed.push(name);
            cx.log(ev);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cx::TestBed;
    use crate::net::NodeState;
    use crate::time::SimTime;
    use crate::Scenario;

    /// The attacker's events as a queue holds them (a queue's events need a default).
    #[derive(Debug, Clone, Copy)]
    struct Ev(SecurityEvent);

    impl Default for Ev {
        fn default() -> Self {
            Ev(SecurityEvent::Probe)
        }
    }

    impl From<SecurityEvent> for Ev {
        fn from(ev: SecurityEvent) -> Ev {
            Ev(ev)
        }
    }

    /// The three-server design with an attacker, firewalls and HTTPS as given.
    fn attacked(firewalls: bool, https: bool) -> (TestBed<Ev>, Security) {
        let mut s = Scenario::three_server();
        s.topology.attacker = true;
        s.topology.firewalls = firewalls;
        s.topology.https = https;
        let mut bed = TestBed::new(&s);
        let mut sec = Security::new(&s.topology, &bed.net.topo);
        sec.start(&mut bed.cx());
        (bed, sec)
    }

    fn run(bed: &mut TestBed<Ev>, sec: &mut Security, to_ms: u64) {
        bed.run_until(SimTime(to_ms * 1000), |Ev(ev), cx| sec.on_event(ev, cx));
    }

    fn crash(bed: &mut TestBed<Ev>, name: &str) {
        let node = bed.net.topo.node_by_name(name).unwrap();
        let crashed = NodeState {
            crashed: true,
            ..NodeState::default()
        };
        bed.net.set_node(node, crashed);
    }

    fn logged(bed: &TestBed<Ev>) -> usize {
        bed.log.len()
    }

    /// Without firewalls, one round of probes (one port every 0.5 s) reaches every port that
    /// should not be public; each host:port is logged the first time only.
    #[test]
    fn without_firewalls_the_attacker_reaches_every_private_port() {
        let (mut bed, mut sec) = attacked(false, false);
        assert_eq!(sec.targets.len(), 8);
        run(&mut bed, &mut sec, 4_000);
        assert_eq!(
            sec.exposed,
            [
                "lb-01:22",
                "web-01:22",
                "web-01:3306",
                "web-01:80",
                "web-02:22",
                "web-02:3306",
                "web-02:80"
            ]
        );
        assert_eq!(
            (sec.probes, sec.attacker_reached, sec.attacker_blocked),
            (8, 7, 0)
        );
        assert_eq!(logged(&bed), 7);
        run(&mut bed, &mut sec, 8_000);
        assert_eq!((sec.probes, sec.attacker_reached), (16, 14));
        assert_eq!(logged(&bed), 7);
    }

    /// Firewalls drop the Internet's packets to private ports; HTTPS adds the load
    /// balancer's 443, which is public. A crashed firewall lets everything through.
    #[test]
    fn firewalls_drop_probes_to_private_ports_until_one_crashes() {
        let (mut bed, mut sec) = attacked(true, true);
        assert_eq!(sec.targets.len(), 9);
        run(&mut bed, &mut sec, 4_500);
        assert_eq!(
            (sec.probes, sec.attacker_reached, sec.attacker_blocked),
            (9, 0, 7)
        );
        assert!(sec.exposed.is_empty());
        crash(&mut bed, "web-01/firewall");
        run(&mut bed, &mut sec, 9_000);
        assert_eq!(sec.exposed, ["web-01:22", "web-01:3306", "web-01:80"]);
        assert_eq!(sec.attacker_blocked, 7 + 4);
    }

    /// Nothing answers on a crashed host, nor on the port of a crashed service.
    #[test]
    fn crashed_hosts_and_services_are_not_reached() {
        let (mut bed, mut sec) = attacked(false, false);
        crash(&mut bed, "web-01/mysql");
        crash(&mut bed, "web-02");
        run(&mut bed, &mut sec, 4_000);
        assert_eq!(sec.exposed, ["lb-01:22", "web-01:22", "web-01:80"]);
        assert_eq!(sec.probes, 8);
    }

    /// The eavesdropper reads plaintext requests, and a login's password among them; over
    /// HTTPS it sees ciphertext only.
    #[test]
    fn the_eavesdropper_reads_what_is_not_encrypted() {
        let mut sec = Security::default();
        sec.eavesdrop(ReqKind::Write, "POST /login", false);
        sec.eavesdrop(ReqKind::Read, "GET /", false);
        sec.eavesdrop(ReqKind::Write, "POST /login", true);
        assert_eq!(
            (sec.plaintext_seen, sec.passwords_seen, sec.ciphertext_seen),
            (2, 1, 1)
        );
    }

    /// Without an attacker nothing is probed.
    #[test]
    fn no_attacker_no_probes() {
        let s = Scenario::three_server();
        let mut bed: TestBed<Ev> = TestBed::new(&s);
        let mut sec = Security::new(&s.topology, &bed.net.topo);
        sec.start(&mut bed.cx());
        assert!(bed.queue.is_empty());
    }
}
