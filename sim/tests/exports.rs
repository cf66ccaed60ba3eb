//! The exports are accepted by the real tools: `haproxy -c` for every shipped
//! scenario and every combination of settings the page offers, `nginx -t` for the site
//! config. (`./dev test` installs Debian's haproxy and nginx.)

mod common;
use common::*;
use foobar_sim::export::{export, Format};
use foobar_sim::scenario::{
    Balance, CheckKind, HashType, Observe, OnError, ReplicationMode, ServerSpec,
};
use foobar_sim::Scenario;
use std::process::Command;

fn tool(name: &str) -> String {
    for dir in ["/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
        let p = format!("{dir}/{name}");
        if std::path::Path::new(&p).exists() {
            return p;
        }
    }
    panic!("{name} is not installed: `apt-get install {name}` (./dev test installs it)");
}

fn temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("foobar-exports-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn haproxy_accepts(s: &Scenario, label: &str) {
    let cfg = export(s, Format::Haproxy);
    let path = temp(&format!("{label}.cfg"), &cfg);
    let out = Command::new(tool("haproxy"))
        .arg("-c")
        .arg("-f")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "haproxy -c rejects {label}:\n{}\n{cfg}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn haproxy_accepts_every_shipped_scenario() {
    for s in all_shipped() {
        haproxy_accepts(&s, &s.name.clone());
    }
}

/// The exported haproxy.cfg passes the client's address on (`option forwardfor`, for
/// Nginx's X-Forwarded-For) and serves HAProxy's stats page on a port of its own.
#[test]
fn haproxy_export_forwards_the_client_address_and_serves_stats() {
    for s in all_shipped() {
        let cfg = export(&s, Format::Haproxy);
        let lines: Vec<&str> = cfg.lines().map(str::trim).collect();
        for line in [
            "option forwardfor",
            "listen stats",
            "bind :8404",
            "stats enable",
            "stats uri /stats",
            "stats refresh 10s",
        ] {
            assert!(lines.contains(&line), "{}: no `{line}` in\n{cfg}", s.name);
        }
        // Each comes with a comment line saying why, just above it.
        for line in ["option forwardfor", "listen stats"] {
            let at = lines.iter().position(|l| *l == line).unwrap();
            assert!(
                lines[at - 1].starts_with('#'),
                "{}: `{line}` has no comment",
                s.name
            );
        }
    }
}

/// Every balance × check kind, four times each with a different mix of the other options:
/// 72 scenarios whose exported configs all differ, each accepted by `haproxy -c`.
#[test]
fn haproxy_accepts_every_setting_combination() {
    let checks = [CheckKind::None, CheckKind::Tcp, CheckKind::Http];
    let mut configs = std::collections::BTreeSet::new();
    for (bi, &balance) in Balance::ALL.iter().enumerate() {
        for (ci, &check) in checks.iter().enumerate() {
            for variant in 0..4usize {
                let k = bi * 12 + ci * 4 + variant;
                let mut s = Scenario::three_server();
                let h = &mut s.haproxy;
                h.balance = balance;
                h.check = check;
                h.maxconn = if balance == Balance::First || k % 3 == 0 {
                    50
                } else {
                    0
                };
                h.maxqueue = if k % 5 == 0 { 20 } else { 0 };
                h.cookie = k % 2 == 0;
                h.redispatch = variant % 2 == 1;
                h.hash_type = if variant >= 2 {
                    HashType::Consistent
                } else {
                    HashType::MapBased
                };
                h.timeout_queue_ms = (k % 4 == 1).then_some(2000.0);
                h.timeout_check_ms = (k % 4 == 2).then_some(1500.0);
                h.fastinter_ms = (variant == 3).then_some(500.0);
                h.downinter_ms = (variant == 2).then_some(5000.0);
                h.rise = 1 + (k % 4) as u32;
                h.fall = 1 + (k % 5) as u32;
                h.allbackups = variant == 1;
                if check != CheckKind::None {
                    h.observe = [Observe::None, Observe::Layer4, Observe::Layer7][k % 3];
                    h.on_error = [
                        OnError::FastInter,
                        OnError::FailCheck,
                        OnError::SuddenDeath,
                        OnError::MarkDown,
                    ][variant];
                }
                h.servers = vec![ServerSpec {
                    name: "web-02".into(),
                    weight: (k % 7) as u32,
                    backup: variant == 1,
                    maxconn: if k % 2 == 1 { 10 } else { 0 },
                    maxqueue: 0,
                }];
                s.topology.https = variant >= 2;
                s.topology.web_hosts = 1 + (k % 8) as u32;
                if s.topology.web_hosts < 2 {
                    s.haproxy.servers.clear();
                }
                s.validate()
                    .unwrap_or_else(|e| panic!("combination {k}: {e}"));
                haproxy_accepts(&s, &format!("combo-{k}"));
                configs.insert(export(&s, Format::Haproxy));
            }
        }
    }
    // A setting the export ignored would make two combinations print the same config.
    assert_eq!(
        configs.len(),
        72,
        "some combinations export the same config"
    );
}

fn nginx_accepts(s: &Scenario, label: &str) {
    let site = temp(&format!("{label}.site.conf"), &export(s, Format::Nginx));
    let dir = site.parent().unwrap().to_path_buf();
    let d = dir.display();
    let conf = format!(
        "error_log {d}/error.log;\npid {d}/nginx.pid;\nevents {{}}\nhttp {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  include {};\n}}\n",
        site.display()
    );
    let main = temp(&format!("{label}.nginx.conf"), &conf);
    let out = Command::new(tool("nginx"))
        .arg("-t")
        .arg("-c")
        .arg(&main)
        .arg("-p")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "nginx -t rejects {label}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn nginx_accepts_the_site_config() {
    for s in [shipped("three-server"), shipped("one-server")] {
        nginx_accepts(&s, &s.name.clone());
    }
}

#[test]
fn mermaid_draws_every_part_of_the_three_server_design() {
    let m = export(&shipped("three-server"), Format::Mermaid);
    assert!(m.contains("graph TD"));
    for part in [
        "User",
        "DNS",
        "lb_01",
        "web_01",
        "web_02",
        "MySQL primary",
        "MySQL replica",
        "roundrobin",
        "async replication",
    ] {
        assert!(m.contains(part), "no {part} in\n{m}");
    }
    let scaled = export(&shipped("scaled-up"), Format::Mermaid);
    assert!(scaled.contains("VRRP") && scaled.contains("db_01") && scaled.contains("Monitoring"));
}

#[test]
fn mysql_statements_set_up_the_replication_shown() {
    let sql = export(&shipped("three-server"), Format::Mysql);
    assert!(sql.contains("On web-01 (the primary)"));
    assert!(sql.contains("CHANGE REPLICATION SOURCE TO SOURCE_HOST = '10.0.0.21'"));
    assert!(sql.contains("super_read_only = ON"));
    assert!(sql.contains("START REPLICA;"));
    assert!(!sql.contains("semisync"));
    let mut semi = shipped("three-server");
    semi.mysql.replication = ReplicationMode::SemiSync;
    let sql = export(&semi, Format::Mysql);
    assert!(sql.contains("rpl_semi_sync_source_timeout = 10000"));
    assert!(sql.contains("AFTER_SYNC"));
    let scaled = export(&shipped("scaled-up"), Format::Mysql);
    assert!(scaled.contains("On db-02 (a replica of db-01)"));
    assert!(export(
        &Scenario::preset(foobar_sim::scenario::Preset::OneServer),
        Format::Mysql
    )
    .contains("On web-01 (the primary)"));
}

/// HAProxy 2.6's `haproxy -c` refuses `init-state`: a lab that starts fully UP says so in a
/// comment instead, and one at HAProxy's default says nothing.
#[test]
fn haproxy_export_says_the_lab_starts_fully_up_in_a_comment() {
    let s = shipped("kill-web-01");
    let cfg = export(&s, Format::Haproxy);
    assert!(!cfg.contains("init-state fully-up\n") && cfg.contains("`init-state fully-up`"));
    assert!(cfg
        .lines()
        .any(|l| l.trim_start().starts_with("# The lab starts as a HAProxy")));
    let mut fresh = s.clone();
    fresh.haproxy.init_state = foobar_sim::scenario::InitState::Up;
    assert!(!export(&fresh, Format::Haproxy).contains("init-state"));
    haproxy_accepts(&fresh, "init-state-up");
}

// ----- free text a file or a link carries: it reaches an export only as a comment line.

/// Each export with its comment lines taken out: what the real tool reads.
fn without_comments(text: &str, f: Format) -> Vec<&str> {
    text.lines().filter(|l| !f.is_comment(l)).collect()
}

/// A name built from the pieces that break a config or a comment, and plain words.
fn nasty_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("--".to_string()),
        Just(";".to_string()),
        Just("*/".to_string()),
        Just("/*".to_string()),
        Just("%%".to_string()),
        Just("%%{init: {}}%%".to_string()),
        Just("'".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("\\! rm -rf /".to_string()),
        Just("#".to_string()),
        Just("}".to_string()),
        Just("listen evil\n  bind :22".to_string()),
        Just("DROP DATABASE shop;".to_string()),
        Just("\u{2028}".to_string()),
        Just("\u{202E}".to_string()),
        Just("\u{1b}[31m".to_string()),
        Just("\0".to_string()),
        Just("x".repeat(300)),
        "[ -~]{0,12}",
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

proptest::proptest! {
    /// Whatever a scenario's name and description hold, each export reads as the export of
    /// the same scenario with a plain name, apart from its comment lines, and has as many
    /// lines; the SQL's first comment holds no backslash (the `mysql` client runs `\!` even in a
    /// comment). The description reaches no export at all. A name that is not one line of
    /// plain text is refused at read, naming the field.
    #[test]
    fn free_text_never_writes_an_export(name in nasty_text(), description in nasty_text(), which in 0usize..4) {
        let base = [shipped("three-server"), shipped("scaled-up"), shipped("one-server"), shipped("secured-monitored")][which].clone();
        let mut plain = base.clone();
        plain.name = "plain".into();
        let mut carrying = base;
        carrying.name = name.clone();
        carrying.description = description;
        for f in Format::ALL {
            let (a, b) = (export(&carrying, f), export(&plain, f));
            proptest::prop_assert_eq!(without_comments(&a, f), without_comments(&b, f), "{:?}", f);
            proptest::prop_assert_eq!(a.lines().count(), b.lines().count());
            if f == Format::Mysql {
                let first = a.lines().next().unwrap_or_default();
                proptest::prop_assert!(!first.contains('\\'), "a backslash in {}", first);
            }
        }
        let mut described = plain.clone();
        described.description = carrying.description.clone();
        for f in Format::ALL {
            proptest::prop_assert_eq!(export(&described, f), export(&plain, f));
        }
        match carrying.validate() {
            Ok(()) => {
                proptest::prop_assert!(foobar_sim::plain::name_flaw(&name).is_none());
                let back = Scenario::from_json(&carrying.to_json()).unwrap();
                proptest::prop_assert_eq!(&back.name, &name);
            }
            Err(e) => proptest::prop_assert!(e.path == "name" || e.path == "description", "{}", e),
        }
    }
}

/// The two names a share link could carry to write SQL or a `listen` section are refused at
/// read, naming the field; given to the exports anyway, they stay inside the comment line.
#[test]
fn a_name_that_breaks_out_of_its_comment_is_refused_and_neutralised() {
    use foobar_sim::error::Problem;
    for (name, at) in [
        ("shop\nDROP DATABASE shop; --", 5),
        ("x\nlisten evil\n  bind :22\n", 2),
    ] {
        let json = format!("{{\"name\": {name:?}}}");
        let e = Scenario::from_json(&json).unwrap_err();
        assert_eq!(e.path, "name");
        assert_eq!(e.problem, Problem::LineBreak { at });
        let mut s = shipped("three-server");
        s.name = name.to_string();
        for f in Format::ALL {
            let text = export(&s, f);
            for line in ["DROP DATABASE shop; --).", "listen evil", "  bind :22"] {
                assert!(!text.lines().any(|l| l == line), "{f:?}:\n{text}");
            }
        }
        haproxy_accepts(&s, "breakout");
        nginx_accepts(&s, "breakout");
    }
}

/// The real tools accept the exports of scenarios whose names hold what breaks configs.
#[test]
fn haproxy_and_nginx_accept_exports_of_odd_names() {
    for (i, name) in [
        "shop; DROP DATABASE shop; --",
        "it's a \"test\" #1 { } %% */ /*",
        "back\\slash at the end\\",
        "Café été — 100 %",
        "\u{202E}reversed\u{2028}line",
        &"y".repeat(200),
    ]
    .into_iter()
    .enumerate()
    {
        for base in ["three-server", "scaled-up"] {
            let mut s = shipped(base);
            s.name = name.to_string();
            haproxy_accepts(&s, &format!("odd-{i}-{base}"));
            nginx_accepts(&s, &format!("odd-{i}-{base}"));
        }
    }
}
