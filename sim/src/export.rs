//! Bridges to real infrastructure: the design as a Mermaid diagram, a `haproxy.cfg`
//! that real HAProxy accepts (`haproxy -c`), an Nginx site config (`nginx -t`), and the MySQL
//! statements that set up the replication shown.

use crate::plain::comment_line;
use crate::scenario::{
    Balance, CheckKind, HashType, InitState, LbPair, Observe, OnError, ReplicationMode, Scenario,
};
use crate::topology::{HostRole, NodeId, NodeKind, Topology};
use std::fmt::Write;

/// What can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Mermaid,
    Haproxy,
    Nginx,
    Mysql,
}

impl Format {
    /// The format called `s` (its `name`).
    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }

    pub const ALL: [Format; 4] = [
        Format::Mermaid,
        Format::Haproxy,
        Format::Nginx,
        Format::Mysql,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Mermaid => "mermaid",
            Format::Haproxy => "haproxy",
            Format::Nginx => "nginx",
            Format::Mysql => "mysql",
        }
    }

    /// A file name to save it as.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Mermaid => "foobar.mmd",
            Format::Haproxy => "haproxy.cfg",
            Format::Nginx => "foobar.conf",
            Format::Mysql => "replication.sql",
        }
    }

    /// Whether a line of this export is a comment, which the real tool does not read.
    pub fn is_comment(self, line: &str) -> bool {
        let line = line.trim_start();
        match self {
            Format::Haproxy | Format::Nginx => line.starts_with('#'),
            Format::Mysql => line.starts_with("-- "),
            Format::Mermaid => line.starts_with("%%"),
        }
    }
}

#[inline]
pub fn export(s: &Scenario, f: Format) -> String {
    let t = Topology::build(&s.topology);
    match f {
        Format::Mermaid => mermaid(s, &t),
        Format::Haproxy => haproxy(s, &t),
        Format::Nginx => nginx(s),
        Format::Mysql => mysql(s, &t),
    }
}

/// The private address each host gets in the exports: LBs .10+, web hosts .20+, DBs .30+.
// Off the event loop: built where it is called, in the page for size (see lab.rs).
#[inline]
pub fn private_ip(t: &Topology, host: NodeId) -> String {
    let n = |list: &[NodeId]| list.iter().position(|&h| h == host).map(|i| i + 1);
    let last = match t.node(host).role {
        HostRole::LoadBalancer => 10 + n(&t.lb_hosts).unwrap_or(0),
        HostRole::Web => 20 + n(&t.web_hosts).unwrap_or(0),
        HostRole::Database => {
            30 + t
                .db_hosts
                .iter()
                .filter(|&&h| t.node(h).role == HostRole::Database)
                .position(|&h| h == host)
                .map_or(0, |i| i + 1)
        }
        HostRole::None => 1,
    };
    format!("10.0.0.{last}")
}

fn ms(v: f64) -> String {
    format!("{}ms", v.round() as u64)
}

// Off the event loop: built where it is called, in the page for size (see lab.rs).
#[inline]
fn mermaid_id(name: &str) -> String {
    name.replace(['-', '/'], "_")
}

fn mermaid(s: &Scenario, t: &Topology) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "%% {} — exported by Foobar Lab",
        comment_line(&s.name, &[])
    );
    o.push_str(concat!("graph TD\n", "    User[User - browser]\n",));
    let front = match (t.lb_hosts.len(), s.topology.lb_pair) {
        (0, _) => "web-01".to_string(),
        (_, LbPair::ActivePassive) => "the floating IP".to_string(),
        _ => "lb-01".to_string(),
    };
    let _ = writeln!(
        o,
        "    DNS[DNS - www.foobar.com A → {front}, TTL {} s]",
        s.dns.ttl_s
    );
    o.push_str("    User -->|www.foobar.com?| DNS\n");
    let proto = if s.topology.https { "HTTPS" } else { "HTTP" };
    for &lb in &t.lb_hosts {
        let name = &t.node(lb).name;
        let mut label = format!("{name} - HAProxy, balance {}", s.haproxy.balance.as_str());
        if s.topology.lb_pair == LbPair::ActivePassive {
            label.push_str(", keepalived");
        }
        if s.topology.https {
            label.push_str(", TLS termination");
        }
        let _ = writeln!(o, "    {}[{label}]", mermaid_id(name));
        let _ = writeln!(o, "    User -->|{proto}| {}", mermaid_id(name));
    }
    if t.lb_hosts.len() == 2 && s.topology.lb_pair == LbPair::ActivePassive {
        o.push_str("    lb_01 <-.->|VRRP adverts| lb_02\n");
    }
    for &h in t.web_hosts.iter().chain(t.db_hosts.iter()) {
        if t.node(h).role == HostRole::Web || t.node(h).role == HostRole::Database {
            let name = &t.node(h).name;
            if o.contains(&format!("subgraph {}", mermaid_id(name))) {
                continue;
            }
            let _ = writeln!(o, "    subgraph {}[{name}]", mermaid_id(name));
            for c in t.components_of(h) {
                let n = t.node(c);
                let label = match n.kind {
                    NodeKind::Nginx => "Nginx".to_string(),
                    NodeKind::App => "App server + application files".to_string(),
                    NodeKind::Mysql => {
                        let primary = t.initial_primary() == Some(c);
                        format!("MySQL {}", if primary { "primary" } else { "replica" })
                    }
                    NodeKind::Firewall => "Firewall".to_string(),
                    NodeKind::MonitorAgent => "Monitoring agent".to_string(),
                    other => other.as_str().to_string(),
                };
                let _ = writeln!(o, "        {}[{label}]", mermaid_id(&n.name));
            }
            o.push_str("    end\n");
        }
    }
    for &lb in &t.lb_hosts {
        for &w in &t.web_hosts {
            let _ = writeln!(
                o,
                "    {} -->|{}| {}",
                mermaid_id(&t.node(lb).name),
                s.haproxy.balance.as_str(),
                mermaid_id(&t.node(w).name)
            );
        }
    }
    if t.lb_hosts.is_empty() {
        let _ = writeln!(
            o,
            "    User -->|{proto}| {}",
            mermaid_id(&t.node(t.web_hosts[0]).name)
        );
    }
    let primary = t.initial_primary();
    for &h in &t.db_hosts {
        if let Some(m) = t.component(h, NodeKind::Mysql) {
            if Some(m) != primary {
                if let Some(p) = primary {
                    let mode = match s.mysql.replication {
                        ReplicationMode::Async => "async replication",
                        ReplicationMode::SemiSync => "semi-sync replication",
                    };
                    let _ = writeln!(
                        o,
                        "    {} -.->|{mode}| {}",
                        mermaid_id(&t.node(p).name),
                        mermaid_id(&t.node(m).name)
                    );
                }
            }
        }
    }
    if s.topology.monitoring {
        o.push_str("    Monitoring[Monitoring service]\n");
        for h in t.top_level().filter(|&h| t.node(h).kind == NodeKind::Host) {
            let _ = writeln!(
                o,
                "    {} -.->|metrics| Monitoring",
                mermaid_id(&t.node(h).name)
            );
        }
    }
    o
}

fn haproxy(s: &Scenario, t: &Topology) -> String {
    let h = &s.haproxy;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# haproxy.cfg for www.foobar.com — exported by Foobar Lab ({}).",
        comment_line(&s.name, &[])
    );
    o.push_str(concat!(
        "# Check it with: haproxy -c -f haproxy.cfg\n",
        "global\n",
        "    log stdout format raw local0\n",
        "    maxconn 4096\n",
        "\n",
        "defaults\n",
        "    mode http\n",
        "    log global\n",
        "    option httplog\n",
        "    # Nginx passes X-Forwarded-For on to the app: without it the client's address is lost.\n",
        "    option forwardfor\n",
    ));
    let _ = writeln!(o, "    timeout connect {}", ms(h.timeout_connect_ms));
    let _ = writeln!(o, "    timeout client {}", ms(h.timeout_client_ms));
    let _ = writeln!(o, "    timeout server {}", ms(h.timeout_server_ms));
    if let Some(q) = h.timeout_queue_ms {
        let _ = writeln!(o, "    timeout queue {}", ms(q));
    }
    if let Some(c) = h.timeout_check_ms {
        let _ = writeln!(o, "    timeout check {}", ms(c));
    }
    let _ = writeln!(o, "    retries {}", h.retries);
    if h.redispatch {
        o.push_str("    option redispatch\n");
    }
    o.push('\n');
    o.push_str(concat!(
        "# HAProxy's stats page (each server's UP/DOWN, chkfail, sessions) on a port of its own.\n",
        "listen stats\n",
        "    bind :8404\n",
        "    stats enable\n",
        "    stats uri /stats\n",
        "    stats refresh 10s\n",
        "\n",
    ));
    o.push_str(concat!("frontend www\n", "    bind :80\n",));
    if s.topology.https {
        o.push_str(concat!(
            "    # HTTPS terminates here: point TLS_CERT at the certificate + key (PEM).\n",
            ".if defined(TLS_CERT)\n",
            "    bind :443 ssl crt \"${TLS_CERT}\"\n",
            "    http-request redirect scheme https code 301 unless { ssl_fc }\n",
            ".else\n",
            "    .warning \"TLS_CERT is not set: serving HTTP only; set it to the certificate's PEM file to enable :443\"\n",
            ".endif\n",
        ));
    }
    o.push_str(concat!("    default_backend web\n", "\n", "backend web\n",));
    if h.init_state == InitState::FullyUp && h.check != CheckKind::None {
        // HAProxy 2.6's `haproxy -c` refuses `init-state` (3.1+): say it in words instead.
        o.push_str(concat!(
            "    # The lab starts as a HAProxy that has been running a while: every server fully\n",
            "    # UP (HAProxy 3.1+: `init-state fully-up`); a fresh one starts at `init-state up`.\n",
        ));
    }
    let _ = writeln!(o, "    balance {}", h.balance.as_str());
    if h.balance == Balance::Source {
        let ht = match h.hash_type {
            HashType::MapBased => "map-based",
            HashType::Consistent => "consistent",
        };
        let _ = writeln!(o, "    hash-type {ht}");
    }
    if h.check == CheckKind::Http {
        o.push_str("    option httpchk GET /health\n");
    }
    if h.allbackups {
        o.push_str("    option allbackups\n");
    }
    if h.cookie {
        o.push_str("    cookie SERVERID insert indirect nocache\n");
    }
    let mut defaults = String::new();
    if h.check != CheckKind::None {
        let _ = write!(
            defaults,
            " inter {} rise {} fall {}",
            ms(h.inter_ms),
            h.rise,
            h.fall
        );
        if let Some(f) = h.fastinter_ms {
            let _ = write!(defaults, " fastinter {}", ms(f));
        }
        if let Some(d) = h.downinter_ms {
            let _ = write!(defaults, " downinter {}", ms(d));
        }
        if h.observe != Observe::None {
            let layer = if h.observe == Observe::Layer4 {
                "layer4"
            } else {
                "layer7"
            };
            let on_error = match h.on_error {
                OnError::FastInter => "fastinter",
                OnError::FailCheck => "fail-check",
                OnError::SuddenDeath => "sudden-death",
                OnError::MarkDown => "mark-down",
            };
            let _ = write!(
                defaults,
                " observe {layer} error-limit {} on-error {on_error}",
                h.error_limit
            );
        }
    }
    if h.maxconn > 0 {
        let _ = write!(defaults, " maxconn {}", h.maxconn);
    }
    if h.maxqueue > 0 {
        let _ = write!(defaults, " maxqueue {}", h.maxqueue);
    }
    if !defaults.is_empty() {
        let _ = writeln!(o, "    default-server{defaults}");
    }
    for &w in &t.web_hosts {
        let name = &t.node(w).name;
        let spec = h.servers.iter().find(|x| &x.name == name);
        let mut line = format!("    server {name} {}:80", private_ip(t, w));
        if h.check != CheckKind::None {
            line.push_str(" check");
        }
        let weight = spec.map_or(1, |x| x.weight);
        let _ = write!(line, " weight {weight}");
        if let Some(x) = spec {
            if x.maxconn > 0 {
                let _ = write!(line, " maxconn {}", x.maxconn);
            }
            if x.maxqueue > 0 {
                let _ = write!(line, " maxqueue {}", x.maxqueue);
            }
            if x.backup {
                line.push_str(" backup");
            }
        }
        if h.cookie {
            let _ = write!(line, " cookie {name}");
        }
        let _ = writeln!(o, "{line}");
    }
    o
}

fn nginx(s: &Scenario) -> String {
    format!(
        r#"# /etc/nginx/sites-available/foobar — exported by Foobar Lab ({name}).
# Nginx serves the static files itself and proxies the rest to the local app server.
upstream app {{
    server 127.0.0.1:8000;
    keepalive 16;
}}

server {{
    listen 80;
    server_name www.foobar.com;
    root /var/www/foobar;

    location /static/ {{
        try_files $uri =404;
        expires 1h;
    }}

    # HAProxy's health check (option httpchk GET /health) reaches the app through here.
    location = /health {{
        proxy_pass http://app;
        proxy_read_timeout 2s;
    }}

    location / {{
        proxy_pass http://app;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_read_timeout {timeout}s;
    }}
}}
"#,
        name = comment_line(&s.name, &[]),
        timeout = (s.nginx.proxy_read_timeout_ms / 1000.0).ceil() as u64
    )
}

fn mysql(s: &Scenario, t: &Topology) -> String {
    let m = &s.mysql;
    let mut o = String::new();
    let Some(primary) = t.initial_primary() else {
        return "-- No MySQL in this design.\n".into();
    };
    let pname = t.node(t.host_of(primary)).name.clone();
    let pip = private_ip(t, t.host_of(primary));
    let semi = m.replication == ReplicationMode::SemiSync;
    let _ = writeln!(
        o,
        "-- MySQL 8.4 replication for www.foobar.com — exported by Foobar Lab ({}).",
        comment_line(&s.name, &['\\'])
    );
    o.push_str(concat!(
        "-- In my.cnf on every server: server_id (unique), gtid_mode=ON, enforce_gtid_consistency=ON,\n",
        "-- log_bin=ON, log_replica_updates=ON; on replicas also relay_log_recovery=ON.\n",
        "\n",
    ));
    let _ = writeln!(o, "-- On {pname} (the primary):");
    o.push_str(concat!(
        "CREATE USER 'repl'@'10.0.0.%' IDENTIFIED BY 'choose-a-password';\n",
        "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'10.0.0.%';\n",
    ));
    if semi {
        o.push_str(concat!(
            "INSTALL PLUGIN rpl_semi_sync_source SONAME 'semisync_source.so';\n",
            "SET PERSIST rpl_semi_sync_source_enabled = ON;\n",
        ));
        let _ = writeln!(
            o,
            "SET PERSIST rpl_semi_sync_source_timeout = {};",
            m.rpl_semi_sync_source_timeout_ms.round() as u64
        );
        o.push_str(concat!(
            "SET PERSIST rpl_semi_sync_source_wait_for_replica_count = 1;\n",
            "SET PERSIST rpl_semi_sync_source_wait_point = AFTER_SYNC;\n",
        ));
    }
    for &h in &t.db_hosts {
        let Some(node) = t.component(h, NodeKind::Mysql) else {
            continue;
        };
        if node == primary {
            continue;
        }
        let name = &t.node(h).name;
        o.push('\n');
        let _ = writeln!(o, "-- On {name} (a replica of {pname}):");
        o.push_str(
            "SET PERSIST super_read_only = ON;  -- writes from clients fail with ERROR 1290\n",
        );
        if semi {
            o.push_str(concat!(
                "INSTALL PLUGIN rpl_semi_sync_replica SONAME 'semisync_replica.so';\n",
                "SET PERSIST rpl_semi_sync_replica_enabled = ON;\n",
            ));
        }
        let _ = writeln!(
            o,
            "SET PERSIST replica_parallel_workers = {};",
            m.replica_parallel_workers
        );
        let _ = writeln!(
            o,
            "CHANGE REPLICATION SOURCE TO SOURCE_HOST = '{pip}', SOURCE_PORT = 3306, SOURCE_USER = 'repl', SOURCE_PASSWORD = 'choose-a-password', SOURCE_AUTO_POSITION = 1, SOURCE_CONNECT_RETRY = {}, SOURCE_SSL = 1;",
            m.source_connect_retry_s.round() as u64
        );
        o.push_str(concat!(
            "START REPLICA;\n",
            "SHOW REPLICA STATUS\\G  -- Replica_IO_Running: Yes, Replica_SQL_Running: Yes, Seconds_Behind_Source\n",
        ));
    }
    o.push('\n');
    o.push_str(concat!(
        "-- To promote a replica by hand (it loses any relay log not yet applied):\n",
        "--   STOP REPLICA; RESET REPLICA ALL; SET GLOBAL super_read_only = OFF; SET GLOBAL read_only = OFF;\n",
        "-- then point the apps' writes at it. A returning old primary must rejoin as a replica.\n",
    ));
    if m.auto_failover {
        let _ = writeln!(
            o,
            "-- Automatic failover (orchestrator-like): RecoveryPeriodBlockSeconds = {}.",
            m.recovery_period_block_s.round() as u64
        );
    }
    o
}
