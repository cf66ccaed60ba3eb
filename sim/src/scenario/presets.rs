//! The curriculum's designs, as scenarios.

use super::{InitState, LbPair, Preset, Scenario};

impl Scenario {
    /// The default scenario: the three-server design (lb-01, and web-01 and web-02, each with
    /// Nginx, the app and MySQL: the primary on web-01, its replica on web-02).
    pub fn three_server() -> Scenario {
        Scenario::preset(Preset::ThreeServer)
    }

    /// The curriculum's presets, with this preset's topology and defaults. Their HAProxy has
    /// been running a while (`fully-up`): a server that dies goes UP 2/3, UP 1/3, DOWN, as the
    /// lessons teach.
    pub fn preset(p: Preset) -> Scenario {
        let mut s = Scenario::default();
        s.topology.preset = p;
        s.haproxy.init_state = InitState::FullyUp;
        match p {
            Preset::OneServer => {
                s.name = "one-server".into();
                s.description = "One server, web-01, runs everything: Nginx, the app and MySQL. \
                                 No load balancer: www.foobar.com points straight at it."
                    .into();
                s.topology.web_hosts = 1;
                s.topology.load_balancer = false;
            }
            Preset::ThreeServer => {}
            Preset::SecuredMonitored => {
                s.name = "secured-monitored".into();
                s.description = "The three-server design with a firewall on every host, HTTPS \
                                 terminated at lb-01 and a monitoring agent on every host."
                    .into();
                s.topology.firewalls = true;
                s.topology.https = true;
                s.topology.monitoring = true;
                s.topology.attacker = true;
            }
            Preset::ScaledUp => {
                s.name = "scaled-up".into();
                s.description = "Scaled up: an active-passive pair of load balancers sharing a \
                                 floating IP (keepalived), three web hosts, and MySQL on its own \
                                 two hosts, db-01 (primary) and db-02 (replica)."
                    .into();
                s.topology.web_hosts = 3;
                s.topology.lb_pair = LbPair::ActivePassive;
                s.topology.dedicated_db = true;
                s.topology.firewalls = true;
                s.topology.https = true;
                s.topology.monitoring = true;
                s.topology.attacker = true;
                s.mysql.auto_failover = true;
            }
        }
        s
    }
}
