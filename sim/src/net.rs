//! The network: every node's and link's condition (crashed, cut off, slow, lossy) and what a
//! message or a connection meets on its way. Faults are set here (`set_node`, `set_link`);
//! components ask it whether they reach a peer and how long a message takes.

use crate::rng::SimRng;
use crate::scenario::Timing;
use crate::time::MS;
use crate::topology::{LinkId, NodeId, Topology};

/// A lost packet is resent after the minimum retransmission timeout (Linux: 200 ms).
pub const RTO_US: u64 = 200 * MS;

/// A node's own condition: the faults set on it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeState {
    pub crashed: bool,
    pub partitioned: bool,
    pub draining: bool,
    pub slow: f64,
}

impl Default for NodeState {
    fn default() -> Self {
        NodeState {
            crashed: false,
            partitioned: false,
            draining: false,
            slow: 1.0,
        }
    }
}

/// A node's condition as the page shows it: the first of its faults that applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Condition {
    #[default]
    Up,
    Crashed,
    Partitioned,
    Drain,
    Slow,
}

impl Condition {
    /// Its name in the page's attributes (`data-state`) and the log's transitions.
    pub fn as_str(self) -> &'static str {
        match self {
            Condition::Up => "up",
            Condition::Crashed => "crashed",
            Condition::Partitioned => "partitioned",
            Condition::Drain => "drain",
            Condition::Slow => "slow",
        }
    }
}

/// A link's condition as the page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkCondition {
    #[default]
    Up,
    Partitioned,
    Lossy,
    Slow,
}

impl LinkCondition {
    /// Its name in the page's attributes (`data-state`).
    pub fn as_str(self) -> &'static str {
        match self {
            LinkCondition::Up => "up",
            LinkCondition::Partitioned => "partitioned",
            LinkCondition::Lossy => "lossy",
            LinkCondition::Slow => "slow",
        }
    }
}

impl NodeState {
    pub fn condition(&self) -> Condition {
        if self.crashed {
            Condition::Crashed
        } else if self.partitioned {
            Condition::Partitioned
        } else if self.draining {
            Condition::Drain
        } else if self.slow > 1.0 {
            Condition::Slow
        } else {
            Condition::Up
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkState {
    pub partitioned: bool,
    pub slow: f64,
    pub loss: f64,
}

impl Default for LinkState {
    fn default() -> Self {
        LinkState {
            partitioned: false,
            slow: 1.0,
            loss: 0.0,
        }
    }
}

impl LinkState {
    pub fn condition(&self) -> LinkCondition {
        if self.partitioned {
            LinkCondition::Partitioned
        } else if self.loss > 0.0 {
            LinkCondition::Lossy
        } else if self.slow > 1.0 {
            LinkCondition::Slow
        } else {
            LinkCondition::Up
        }
    }
}

/// The outcome of opening a connection to a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conn {
    /// Reached it; one-way latency.
    Ok(u64),
    /// Its host answered with RST after this one-way latency.
    Refused(u64),
    /// Packets vanish: the opener waits for its own timeout.
    Dropped,
}

/// The hosts, components and links with their conditions, and the latencies of a message.
#[derive(Debug, Clone)]
pub struct Net {
    pub topo: Topology,
    nodes: Vec<NodeState>,
    links: Vec<LinkState>,
    /// No node or link has a fault (`nodes` and `links` all default): the checks on every
    /// message take the short way. Kept by `set_node` and `set_link`.
    all_up: bool,
    internet_us: u64,
    lan_us: u64,
    loopback_us: u64,
}

impl Net {
    pub fn new(topo: Topology, timing: &Timing) -> Net {
        let (n_nodes, n_links) = (topo.nodes.len(), topo.links.len());
        let mut net = Net {
            topo,
            nodes: vec![NodeState::default(); n_nodes],
            links: vec![LinkState::default(); n_links],
            all_up: true,
            internet_us: 0,
            lan_us: 0,
            loopback_us: 0,
        };
        net.set_timing(timing);
        net
    }

    /// The one-way latencies of the Internet, the LAN and loopback.
    pub fn set_timing(&mut self, timing: &Timing) {
        self.internet_us = timing.internet_us;
        self.lan_us = timing.lan_us;
        self.loopback_us = timing.loopback_us;
    }

    /// One way between two hosts of the data centre, with no fault.
    pub fn lan_us(&self) -> u64 {
        self.lan_us
    }

    pub fn loopback_us(&self) -> u64 {
        self.loopback_us
    }

    pub fn all_up(&self) -> bool {
        self.all_up
    }

    /// A node's own condition, without its host's.
    pub fn node(&self, id: NodeId) -> NodeState {
        self.nodes[id.index()]
    }

    pub fn link(&self, id: LinkId) -> LinkState {
        self.links[id.index()]
    }

    pub fn nodes(&self) -> &[NodeState] {
        &self.nodes
    }

    pub fn links(&self) -> &[LinkState] {
        &self.links
    }

    /// The only writers of the conditions: they keep `all_up` true to them.
    pub fn set_node(&mut self, node: NodeId, state: NodeState) {
        self.nodes[node.index()] = state;
        self.refresh_all_up();
    }

    pub fn set_link(&mut self, link: LinkId, state: LinkState) {
        self.links[link.index()] = state;
        self.refresh_all_up();
    }

    fn refresh_all_up(&mut self) {
        self.all_up = self.nodes.iter().all(|n| *n == NodeState::default())
            && self.links.iter().all(|l| *l == LinkState::default());
    }

    /// A node's condition including its host's: a component on a crashed host is crashed.
    pub fn effective_state(&self, id: NodeId) -> NodeState {
        if self.all_up {
            return NodeState::default();
        }
        let own = self.nodes[id.index()];
        let host = self.topo.host_of(id);
        if host == id {
            return own;
        }
        let h = self.nodes[host.index()];
        NodeState {
            crashed: own.crashed || h.crashed,
            partitioned: own.partitioned || h.partitioned,
            draining: own.draining || h.draining,
            slow: own.slow * h.slow,
        }
    }

    /// A link's latency with no fault: its kind's (Internet or LAN).
    #[inline(always)]
    fn link_base(&self, link: LinkId) -> u64 {
        match self.topo.link(link).kind {
            crate::topology::LinkKind::Internet => self.internet_us,
            crate::topology::LinkKind::Lan => self.lan_us,
        }
    }

    /// From host `a` to host `b` with no fault anywhere: over loopback on the same host, else
    /// over the link between them (`None`: no link).
    #[inline(always)]
    fn fault_free_latency(&self, a: NodeId, b: NodeId) -> Option<u64> {
        if a == b {
            return Some(self.loopback_us);
        }
        self.topo.link_between(a, b).map(|l| self.link_base(l))
    }

    /// Latency of one message over `link`: its kind's times its slow factor, plus a
    /// retransmission for each packet lost.
    pub fn link_latency(&self, rng: &mut SimRng, link: LinkId) -> u64 {
        let base = self.link_base(link);
        if self.all_up {
            return base;
        }
        let l = self.links[link.index()];
        let mut lat = (base as f64 * l.slow) as u64;
        if l.loss > 0.0 {
            let mut tries = 0;
            while tries < 8 && rng.chance(l.loss) {
                lat += RTO_US << tries;
                tries += 1;
            }
        }
        lat
    }

    /// One message from host `a` to host `b`: over loopback on the same host, else over the
    /// link between them (none: no time).
    #[inline(always)]
    pub fn one_way(&self, rng: &mut SimRng, a: NodeId, b: NodeId) -> u64 {
        if self.all_up {
            // The common case, kept small enough to inline where messages are sent.
            return self.fault_free_latency(a, b).unwrap_or(0);
        }
        if a == b {
            return self.loopback_us;
        }
        match self.topo.link_between(a, b) {
            Some(l) => self.link_latency(rng, l),
            None => 0,
        }
    }

    /// Opens a connection from a process on `from_host` (or the users) to component `to`.
    #[cfg_attr(not(target_family = "wasm"), inline)]
    pub fn connect(&self, rng: &mut SimRng, from_host: NodeId, to: NodeId) -> Conn {
        if self.all_up {
            // As `one_way`: nothing refuses or drops it; no link, no route.
            let to_host = self.topo.host_of(to);
            return self
                .fault_free_latency(from_host, to_host)
                .map_or(Conn::Dropped, Conn::Ok);
        }
        self.connect_through_faults(rng, from_host, to)
    }

    #[inline(never)]
    fn connect_through_faults(&self, rng: &mut SimRng, from_host: NodeId, to: NodeId) -> Conn {
        let to_host = self.topo.host_of(to);
        let lat = if from_host == to_host {
            self.loopback_us
        } else {
            let Some(link) = self.topo.link_between(from_host, to_host) else {
                return Conn::Dropped;
            };
            if self.links[link.index()].partitioned
                || self.nodes[to_host.index()].partitioned
                || self.nodes[from_host.index()].partitioned
            {
                return Conn::Dropped;
            }
            self.link_latency(rng, link)
        };
        let target = self.nodes[to.index()];
        if target.partitioned && to != to_host {
            // A hung process: the kernel accepts, nothing answers.
            return Conn::Dropped;
        }
        let host = self.nodes[to_host.index()];
        if host.crashed || target.crashed || target.draining {
            return Conn::Refused(lat);
        }
        Conn::Ok(lat)
    }

    /// Whether a message already under way between two hosts is lost (the path broke).
    #[cfg_attr(not(target_family = "wasm"), inline)]
    pub fn path_broken(&self, a: NodeId, b: NodeId) -> bool {
        if a == b {
            return false;
        }
        match self.topo.link_between(a, b) {
            Some(l) => {
                !self.all_up
                    && (self.links[l.index()].partitioned
                        || self.nodes[a.index()].partitioned
                        || self.nodes[b.index()].partitioned)
            }
            None => true,
        }
    }

    pub fn slow_of(&self, node: NodeId) -> f64 {
        if self.all_up {
            return 1.0;
        }
        let host = self.topo.host_of(node);
        let s = self.nodes[node.index()].slow;
        if host == node {
            s
        } else {
            s * self.nodes[host.index()].slow
        }
    }
}
