//! The hosts, components and links of a design, built from its `TopologySpec` (the
//! scenario file's `topology`).
//!
//! Every component is a node of its own and can be failed alone; failing a host fails
//! everything on it. Nodes and links are addressed by small integer ids.

use crate::json::names;
use serde::{Deserialize, Serialize};

// The curriculum's designs, simplest first; a name is also the page's `#preset=` address.
names! {
    /// Which curriculum preset a topology is.
    pub enum Preset {
        OneServer = "one-server",
        ThreeServer = "three-server",
        SecuredMonitored = "secured-monitored",
        ScaledUp = "scaled-up",
    }
}

names! {
    /// How two load balancers share the work.
    pub enum LbPair {
        /// One load balancer only.
        None = "none",
        /// keepalived/VRRP: one master holds the floating IP, the other waits.
        ActivePassive = "active-passive",
        /// Both active, each behind its own DNS A record.
        ActiveActive = "active-active",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopologySpec {
    pub preset: Preset,
    /// Web hosts behind the load balancer: 1 to 8. Each runs Nginx and an app server.
    pub web_hosts: u32,
    /// With a load balancer in front (every preset but one-server).
    pub load_balancer: bool,
    pub lb_pair: LbPair,
    /// MySQL on its own hosts (db-01 primary, db-02 replica) instead of on web-01/web-02.
    pub dedicated_db: bool,
    /// A firewall on every host.
    pub firewalls: bool,
    /// HTTPS terminated at the load balancer.
    pub https: bool,
    /// A monitoring agent on every host.
    pub monitoring: bool,
    /// An attacker on the Internet probing every host's ports.
    pub attacker: bool,
}

impl Default for TopologySpec {
    fn default() -> Self {
        TopologySpec {
            preset: Preset::ThreeServer,
            web_hosts: 2,
            load_balancer: true,
            lb_pair: LbPair::None,
            dedicated_db: false,
            firewalls: false,
            https: false,
            monitoring: false,
            attacker: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct NodeId(pub u16);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct LinkId(pub u16);

/// What a fault strikes: a node (a host or a component) or a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Node(NodeId),
    Link(LinkId),
}

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl LinkId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    /// The population of browsers.
    Users,
    /// The authoritative DNS for foobar.com.
    Dns,
    /// A machine: lb-01, web-01, db-01 …
    Host,
    Haproxy,
    Keepalived,
    Nginx,
    App,
    Mysql,
    Firewall,
    MonitorAgent,
    /// Someone on the Internet probing ports.
    Attacker,
    /// The monitoring service the agents report to.
    Monitoring,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Users => "users",
            NodeKind::Dns => "dns",
            NodeKind::Host => "host",
            NodeKind::Haproxy => "haproxy",
            NodeKind::Keepalived => "keepalived",
            NodeKind::Nginx => "nginx",
            NodeKind::App => "app",
            NodeKind::Mysql => "mysql",
            NodeKind::Firewall => "firewall",
            NodeKind::MonitorAgent => "monitor",
            NodeKind::Attacker => "attacker",
            NodeKind::Monitoring => "monitoring",
        }
    }
}

/// What a host is for, so the page can lay it out and the sim can route to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HostRole {
    None,
    LoadBalancer,
    Web,
    Database,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// Unique, stable and readable: `web-01`, `web-01/nginx`.
    pub name: String,
    pub kind: NodeKind,
    /// The host a component runs on; `None` for hosts, users and DNS.
    pub host: Option<NodeId>,
    pub role: HostRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    Internet,
    Lan,
}

/// What travels on a link, so the page can label it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkRole {
    /// Users asking DNS for www.foobar.com.
    Dns,
    /// Users' HTTP(S) to the site's front.
    Web,
    /// A load balancer to a web host.
    Backend,
    /// VRRP adverts between the two load balancers.
    Vrrp,
    /// MySQL traffic: replication, and apps querying a database on another host.
    Data,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// `lb-01--web-01`: the two ends' names, in the order they were created.
    pub name: String,
    pub a: NodeId,
    pub b: NodeId,
    pub kind: LinkKind,
    pub role: LinkRole,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Topology {
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
    pub users: NodeId,
    pub dns: NodeId,
    /// Load balancer hosts (lb-01, lb-02), in order.
    pub lb_hosts: Vec<NodeId>,
    /// Web hosts (web-01 …), in order; they are also HAProxy's servers.
    pub web_hosts: Vec<NodeId>,
    /// Hosts running MySQL, in order; the first is the initial primary.
    pub db_hosts: Vec<NodeId>,
    /// Dense table: `link_between[a * n + b]` for hosts (and users/dns) a, b.
    link_between: Vec<Option<LinkId>>,
}

impl Topology {
    // Off the event loop: built where it is called, in the page for size (see lab.rs).
    #[inline]
    pub fn build(t: &TopologySpec) -> Topology {
        let mut b = Builder::default();
        let users = b.node("users", NodeKind::Users, None, HostRole::None);
        let dns = b.node("dns", NodeKind::Dns, None, HostRole::None);
        let lb_count = match (t.load_balancer, t.lb_pair) {
            (false, _) => 0,
            (true, LbPair::None) => 1,
            (true, _) => 2,
        };
        let mut lb_hosts = Vec::new();
        for i in 1..=lb_count {
            let h = b.host(&format!("lb-{i:02}"), HostRole::LoadBalancer);
            b.component(h, "haproxy", NodeKind::Haproxy);
            if t.lb_pair == LbPair::ActivePassive {
                b.component(h, "keepalived", NodeKind::Keepalived);
            }
            b.extras(h, t);
            lb_hosts.push(h);
        }
        let mut web_hosts = Vec::new();
        let mut db_hosts = Vec::new();
        for i in 1..=t.web_hosts {
            let h = b.host(&format!("web-{i:02}"), HostRole::Web);
            b.component(h, "nginx", NodeKind::Nginx);
            b.component(h, "app", NodeKind::App);
            if !t.dedicated_db {
                b.component(h, "mysql", NodeKind::Mysql);
                db_hosts.push(h);
            }
            b.extras(h, t);
            web_hosts.push(h);
        }
        if t.dedicated_db {
            for i in 1..=2 {
                let h = b.host(&format!("db-{i:02}"), HostRole::Database);
                b.component(h, "mysql", NodeKind::Mysql);
                b.extras(h, t);
                db_hosts.push(h);
            }
        }
        if t.attacker {
            b.node("attacker", NodeKind::Attacker, None, HostRole::None);
        }
        if t.monitoring {
            b.node("monitoring", NodeKind::Monitoring, None, HostRole::None);
        }
        let n = b.nodes.len();
        b.link_between = vec![None; n * n];
        b.link(users, dns, LinkKind::Internet, LinkRole::Dns);
        if lb_hosts.is_empty() {
            b.link(users, web_hosts[0], LinkKind::Internet, LinkRole::Web);
        }
        for &lb in &lb_hosts {
            b.link(users, lb, LinkKind::Internet, LinkRole::Web);
        }
        if lb_hosts.len() == 2 {
            b.link(lb_hosts[0], lb_hosts[1], LinkKind::Lan, LinkRole::Vrrp);
        }
        for &lb in &lb_hosts {
            for &w in &web_hosts {
                b.link(lb, w, LinkKind::Lan, LinkRole::Backend);
            }
        }
        // Every app talks to every database host, and every database host to every other
        // (replication, and re-pointing after a failover).
        let mut backend: Vec<NodeId> = web_hosts.clone();
        for &d in &db_hosts {
            if !backend.contains(&d) {
                backend.push(d);
            }
        }
        for (i, &x) in backend.iter().enumerate() {
            for &y in &backend[i + 1..] {
                if db_hosts.contains(&x) || db_hosts.contains(&y) {
                    b.link(x, y, LinkKind::Lan, LinkRole::Data);
                }
            }
        }
        Topology {
            nodes: b.nodes,
            links: b.links,
            users,
            dns,
            lb_hosts,
            web_hosts,
            db_hosts,
            link_between: b.link_between,
        }
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    pub fn link(&self, id: LinkId) -> &Link {
        &self.links[id.index()]
    }

    pub fn node_by_name(&self, name: &str) -> Option<NodeId> {
        self.nodes
            .iter()
            .position(|n| n.name == name)
            .map(|i| NodeId(i as u16))
    }

    /// The node, else the link, called `name`: what a fault or an action names.
    pub fn target_by_name(&self, name: &str) -> Option<Target> {
        (self.node_by_name(name).map(Target::Node))
            .or_else(|| self.link_by_name(name).map(Target::Link))
    }

    pub fn link_by_name(&self, name: &str) -> Option<LinkId> {
        let found = self.links.iter().position(|l| l.name == name);
        let found = found.or_else(|| {
            // Accept either order of the two ends.
            let (x, y) = name.split_once("--")?;
            let flipped = format!("{y}--{x}");
            self.links.iter().position(|l| l.name == flipped)
        });
        found.map(|i| LinkId(i as u16))
    }

    /// The host a node lives on (a host is its own host).
    pub fn host_of(&self, id: NodeId) -> NodeId {
        self.nodes[id.index()].host.unwrap_or(id)
    }

    /// The component of `kind` on `host`, if it has one.
    pub fn component(&self, host: NodeId, kind: NodeKind) -> Option<NodeId> {
        self.nodes
            .iter()
            .position(|n| n.host == Some(host) && n.kind == kind)
            .map(|i| NodeId(i as u16))
    }

    /// Users, DNS and the hosts: the nodes that are not components.
    pub fn top_level(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.host.is_none())
            .map(|(i, _)| NodeId(i as u16))
    }

    /// The MySQL that starts as the primary (the first database host's).
    pub fn initial_primary(&self) -> Option<NodeId> {
        self.db_hosts
            .first()
            .and_then(|&h| self.component(h, NodeKind::Mysql))
    }

    pub fn components_of(&self, host: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.nodes
            .iter()
            .enumerate()
            .filter(move |(_, n)| n.host == Some(host))
            .map(|(i, _)| NodeId(i as u16))
    }

    /// The link between two hosts (or users/dns), if they are wired together.
    pub fn link_between(&self, a: NodeId, b: NodeId) -> Option<LinkId> {
        let n = self.nodes.len();
        self.link_between[a.index() * n + b.index()]
    }
}

#[derive(Default)]
struct Builder {
    nodes: Vec<Node>,
    links: Vec<Link>,
    link_between: Vec<Option<LinkId>>,
}

impl Builder {
    fn node(&mut self, name: &str, kind: NodeKind, host: Option<NodeId>, role: HostRole) -> NodeId {
        self.nodes.push(Node {
            name: name.to_string(),
            kind,
            host,
            role,
        });
        NodeId((self.nodes.len() - 1) as u16)
    }

    fn host(&mut self, name: &str, role: HostRole) -> NodeId {
        self.node(name, NodeKind::Host, None, role)
    }

    fn component(&mut self, host: NodeId, short: &str, kind: NodeKind) -> NodeId {
        let name = format!("{}/{}", self.nodes[host.index()].name, short);
        self.node(&name, kind, Some(host), HostRole::None)
    }

    /// The firewall and monitoring agent every host gets when the scenario asks.
    fn extras(&mut self, host: NodeId, t: &TopologySpec) {
        if t.firewalls {
            self.component(host, "firewall", NodeKind::Firewall);
        }
        if t.monitoring {
            self.component(host, "monitor", NodeKind::MonitorAgent);
        }
    }

    fn link(&mut self, a: NodeId, b: NodeId, kind: LinkKind, role: LinkRole) {
        let id = LinkId(self.links.len() as u16);
        let name = format!(
            "{}--{}",
            self.nodes[a.index()].name,
            self.nodes[b.index()].name
        );
        self.links.push(Link {
            name,
            a,
            b,
            kind,
            role,
        });
        let n = self.nodes.len();
        self.link_between[a.index() * n + b.index()] = Some(id);
        self.link_between[b.index() * n + a.index()] = Some(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every component of the three-server design is its own node.
    #[test]
    fn three_server_has_every_component() {
        let t = Topology::build(&TopologySpec::default());
        for name in [
            "users",
            "dns",
            "lb-01",
            "lb-01/haproxy",
            "web-01",
            "web-01/nginx",
            "web-01/app",
            "web-01/mysql",
            "web-02",
            "web-02/nginx",
            "web-02/app",
            "web-02/mysql",
        ] {
            assert!(t.node_by_name(name).is_some(), "missing {name}");
        }
        let web01 = t.node_by_name("web-01").unwrap();
        assert_eq!(t.components_of(web01).count(), 3);
    }

    /// The links: Internet ↔ LB, LB ↔ each web host, web-01 ↔ web-02.
    #[test]
    fn three_server_links() {
        let t = Topology::build(&TopologySpec::default());
        for name in [
            "users--lb-01",
            "lb-01--web-01",
            "lb-01--web-02",
            "web-01--web-02",
        ] {
            assert!(t.link_by_name(name).is_some(), "missing {name}");
        }
        assert!(t.link_by_name("web-02--web-01").is_some());
        let (a, b) = (
            t.node_by_name("web-01").unwrap(),
            t.node_by_name("web-02").unwrap(),
        );
        assert_eq!(t.link_between(a, b), t.link_by_name("web-01--web-02"));
    }

    #[test]
    fn a_fault_target_is_a_node_or_a_link_named_either_way() {
        let t = Topology::build(&TopologySpec::default());
        let web01 = t.node_by_name("web-01").unwrap();
        assert_eq!(t.target_by_name("web-01"), Some(Target::Node(web01)));
        let link = t.link_by_name("lb-01--web-01").unwrap();
        assert_eq!(t.target_by_name("lb-01--web-01"), Some(Target::Link(link)));
        assert_eq!(t.target_by_name("web-01--lb-01"), Some(Target::Link(link)));
        assert_eq!(t.target_by_name("web-09"), None);
    }
}
