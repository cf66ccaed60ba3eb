//! HAProxy, Nginx, the app and DNS behave as docs/model.md describes, seen through whole runs.

mod common;
use common::*;
use foobar_sim::scenario::{Balance, CheckKind, FaultKind, Observe, ServerSpec};
use foobar_sim::snapshot::ServerStatus;
use foobar_sim::trace::{Cause, Outcome, ReqKind};
use foobar_sim::{Action, Scenario};
use std::collections::BTreeMap;

/// maxconn: requests over a server's maxconn wait in the queue; still queued after
/// `timeout queue` they get 503.
#[test]
fn queue_timeout_gives_503() {
    let mut s = Scenario::three_server();
    s.traffic.rate = 400.0;
    s.traffic.mix.write = 0.0;
    s.haproxy.maxconn = 2;
    s.haproxy.timeout_queue_ms = Some(500.0);
    s.timing.app_ms = Some(50.0);
    let (w, traces) = run(&s, 20.0);
    let q503: Vec<_> = traces
        .iter()
        .filter(|t| t.cause == Cause::QueueTimeout)
        .collect();
    assert!(!q503.is_empty());
    for t in &q503 {
        assert_eq!(t.outcome, Outcome::Http(503));
        assert!(
            t.queue_wait_us >= 500_000,
            "gave up after {} µs",
            t.queue_wait_us
        );
    }
    // Never more than maxconn on a server at once.
    for sv in &w.lbs[0].servers {
        assert!(sv.stats.smax <= 2, "{}: smax {}", sv.name, sv.stats.smax);
    }
}

/// Cookie persistence: with `cookie SERVERID insert`, a user keeps their server: once a
/// browser has the cookie, its requests go where it says. (A browser that sends two requests
/// before its first answer has no cookie yet for the second: that one is balanced.)
#[test]
fn cookie_keeps_a_user_on_their_server() {
    let mut s = Scenario::three_server();
    s.haproxy.cookie = true;
    s.traffic.rate = 100.0;
    s.traffic.clients = 20;
    let (w, traces) = run(&s, 30.0);
    let mut last: BTreeMap<u32, String> = BTreeMap::new();
    let (mut by_cookie, mut moved) = (0, 0);
    for t in traces
        .iter()
        .filter(|t| t.reason == Some(foobar_sim::haproxy::Reason::Cookie))
    {
        let h = host_name(&w, t).unwrap();
        by_cookie += 1;
        if last.get(&t.client_ip).is_some_and(|s| *s != h) {
            moved += 1;
        }
        last.insert(t.client_ip, h);
    }
    assert!(by_cookie > 2000, "{by_cookie} requests routed by cookie");
    assert!(moved * 100 < by_cookie, "{moved} of {by_cookie} moved");
    // Both servers still get users.
    assert!(last.values().any(|h| h == "web-01") && last.values().any(|h| h == "web-02"));
}

/// A backup server, active-passive: the backup gets traffic only when the active one is
/// DOWN.
#[test]
fn backup_takes_over_only_when_the_active_is_down() {
    let mut s = Scenario::three_server();
    s.traffic.rate = 50.0;
    s.traffic.mix.write = 0.0;
    s.haproxy.servers = vec![ServerSpec {
        name: "web-02".into(),
        backup: true,
        ..ServerSpec::default()
    }];
    s.faults = vec![fault(10.0, "web-01", FaultKind::Crash)];
    let (w, traces) = run(&s, 30.0);
    let down = summary(&w).servers["web-01"].first_down_at_ms.unwrap();
    for t in &traces {
        let h = host_name(&w, t);
        if t.start.as_ms() < 9_900.0 {
            assert_eq!(
                h.as_deref(),
                Some("web-01"),
                "before the crash only the active serves"
            );
        }
        if t.start.as_ms() > down + 10.0 {
            assert_eq!(h.as_deref(), Some("web-02"), "after DOWN the backup serves");
            assert_eq!(t.reason, Some(foobar_sim::haproxy::Reason::Backup));
        }
    }
}

/// Passive checks: `observe layer7` counts the 502s a TCP check cannot see.
/// With `on-error fail-check` 10 in a row count as one failed check (and a passing TCP check
/// restores the counter); with `mark-down` it goes DOWN at once, and the passing TCP checks
/// bring it back after `rise`: it flaps DOWN/UP.
#[test]
fn observe_layer7_sees_what_a_tcp_check_misses() {
    let run_with = |on_error: foobar_sim::scenario::OnError| {
        let mut s = shipped("app-dies-tcp-check");
        s.haproxy.observe = Observe::Layer7;
        s.haproxy.on_error = on_error;
        s.traffic.mix.static_files = 0.0;
        let (w, _) = run(&s, 40.0);
        (summary(&w), w)
    };
    let (fail_check, w) = run_with(foobar_sim::scenario::OnError::FailCheck);
    assert!(fail_check.servers["web-01"].chkfail > 5);
    assert!(w
        .log
        .iter()
        .any(|e| e.text().contains("consecutive errors")));
    let (mark_down, _) = run_with(foobar_sim::scenario::OnError::MarkDown);
    let down = mark_down.servers["web-01"]
        .first_down_at_ms
        .expect("mark-down never took it down");
    assert!(
        down < 12_000.0,
        "DOWN at {down}: 10 errors after the app died at 10 s"
    );
    assert!(
        mark_down.servers["web-01"].chkdown > 1,
        "TCP checks bring it back: it flaps"
    );
}

/// `timeout server`: a response not started before `timeout server` gives 504.
#[test]
fn a_slow_app_gets_504_at_timeout_server() {
    let mut s = Scenario::three_server();
    s.traffic.rate = 5.0;
    s.traffic.mix = foobar_sim::scenario::Mix {
        static_files: 0.0,
        read: 1.0,
        write: 0.0,
    };
    s.haproxy.timeout_server_ms = 3000.0;
    s.faults = vec![fault(5.0, "web-01/app", FaultKind::Slow { factor: 1000.0 })];
    let (w, traces) = run(&s, 30.0);
    let t504: Vec<_> = traces
        .iter()
        .filter(|t| t.outcome == Outcome::Http(504))
        .collect();
    assert!(!t504.is_empty());
    for t in &t504 {
        assert_eq!(t.cause, Cause::ServerTimeout);
        assert_eq!(host_name(&w, t).as_deref(), Some("web-01"));
        let waited = t.end.as_ms() - t.start.as_ms();
        assert!((3000.0..3200.0).contains(&waited), "504 after {waited} ms");
    }
}

/// leastconn: a slow server holds its connections longer, so it gets fewer new
/// ones than with roundrobin.
#[test]
fn leastconn_sends_less_to_a_slow_server() {
    let share = |balance: Balance| {
        let mut s = Scenario::three_server();
        s.traffic.rate = 300.0;
        s.traffic.mix.write = 0.0;
        s.traffic.mix.static_files = 0.0;
        s.haproxy.balance = balance;
        s.faults = vec![fault(0.0, "web-01", FaultKind::Slow { factor: 8.0 })];
        let (w, _) = run(&s, 30.0);
        let sum = summary(&w);
        sum.servers["web-01"].stot as f64
            / (sum.servers["web-01"].stot + sum.servers["web-02"].stot) as f64
    };
    let rr = share(Balance::Roundrobin);
    let lc = share(Balance::Leastconn);
    assert!((rr - 0.5).abs() < 0.01, "roundrobin share {rr}");
    assert!(lc < 0.4, "leastconn share {lc}");
}

/// `balance source`: a client keeps its server while no server goes up or down.
#[test]
fn source_hash_keeps_clients_on_one_server() {
    let mut s = Scenario::three_server();
    s.haproxy.balance = Balance::Source;
    s.traffic.rate = 100.0;
    let (w, traces) = run(&s, 20.0);
    let mut owner: BTreeMap<u32, String> = BTreeMap::new();
    for t in &traces {
        let h = host_name(&w, t).unwrap();
        assert_eq!(owner.entry(t.client_ip).or_insert_with(|| h.clone()), &h);
    }
}

/// DNS answers are cached for their TTL: with DNS down, clients that resolved
/// recently still reach the site; lookups that need DNS fail.
#[test]
fn dns_down_hurts_only_clients_whose_cache_expired() {
    let mut s = Scenario::three_server();
    s.dns.ttl_s = 30;
    s.traffic.rate = 50.0;
    s.traffic.clients = 50;
    s.faults = vec![fault(20.0, "dns", FaultKind::Crash)];
    let (_, traces) = run(&s, 80.0);
    let ok_while_down = traces
        .iter()
        .filter(|t| t.start.as_ms() > 21_000.0 && t.start.as_ms() < 45_000.0 && t.outcome.is_ok())
        .count();
    let dns_err: Vec<_> = traces
        .iter()
        .filter(|t| t.outcome == Outcome::DnsError)
        .collect();
    assert!(ok_while_down > 100, "cached answers keep working");
    assert!(!dns_err.is_empty(), "expired caches cannot resolve");
    assert!(dns_err.iter().all(|t| t.start.as_ms() >= 20_000.0));
    // After every cache has expired (TTL 30 s), nothing gets through.
    assert!(traces
        .iter()
        .filter(|t| t.start.as_ms() > 55_000.0)
        .all(|t| t.outcome == Outcome::DnsError));
}

/// A single point of failure: with one load balancer, its death takes the whole site down, though
/// both web hosts are fine; the site is back when it is (the shipped lb-crash: 10 s to 30 s).
#[test]
fn the_load_balancer_is_a_single_point_of_failure() {
    let (_, traces) = run(&shipped("lb-crash"), 40.0);
    let started = |from: f64, to: f64| {
        traces
            .iter()
            .filter(move |t| (from * 1e3..to * 1e3).contains(&t.start.as_ms()))
    };
    assert!(started(0.0, 9.9).all(|t| t.outcome.is_ok()));
    let down: Vec<_> = started(10.0, 30.0).collect();
    assert!(
        down.len() > 300,
        "{} requests while lb-01 is dead",
        down.len()
    );
    assert!(down.iter().all(|t| t.outcome == Outcome::Refused));
    let back: Vec<_> = started(30.1, 39.0).collect();
    assert!(back.len() > 100);
    assert!(back.iter().all(|t| t.outcome.is_ok()));
}

/// The one-server stack: no load balancer; Nginx down means connections refused.
#[test]
fn one_server_stack_serves_and_fails_whole() {
    let mut s = Scenario::preset(foobar_sim::scenario::Preset::OneServer);
    s.traffic.rate = 20.0;
    s.faults = vec![fault(10.0, "web-01/nginx", FaultKind::Crash)];
    let (w, traces) = run(&s, 20.0);
    assert!(w.lbs.is_empty());
    assert!(traces
        .iter()
        .filter(|t| t.start.as_ms() < 9_000.0)
        .all(|t| t.outcome.is_ok()));
    assert!(traces
        .iter()
        .filter(|t| t.start.as_ms() > 10_100.0)
        .all(|t| t.outcome == Outcome::Refused));
}

/// Nginx in front of a dead app gives 502 from Nginx for dynamic pages; static files are still
/// served by Nginx itself.
#[test]
fn nginx_serves_static_files_without_the_app() {
    let mut s = Scenario::preset(foobar_sim::scenario::Preset::OneServer);
    s.traffic.rate = 50.0;
    s.faults = vec![fault(5.0, "web-01/app", FaultKind::Crash)];
    let (_, traces) = run(&s, 15.0);
    for t in traces.iter().filter(|t| t.start.as_ms() > 5_100.0) {
        match t.kind {
            ReqKind::Static => assert!(t.outcome.is_ok()),
            _ => assert_eq!((t.outcome, t.cause), (Outcome::Http(502), Cause::AppDown)),
        }
    }
}

/// A server of weight 0 takes no balanced traffic; weights change live with roundrobin.
#[test]
fn weight_zero_drains_balanced_traffic() {
    let mut s = Scenario::three_server();
    s.traffic.rate = 100.0;
    let mut w = foobar_sim::World::new(&s).unwrap();
    w.keep_all_traces(true);
    w.advance_to(foobar_sim::SimTime::from_secs_f64(5.0));
    w.apply(&Action::Weight {
        server: "web-01".into(),
        weight: 0,
    })
    .unwrap();
    w.advance_to(foobar_sim::SimTime::from_secs_f64(15.0));
    let after: Vec<_> = w
        .drain_traces()
        .into_iter()
        .filter(|t| t.start.as_ms() > 5_100.0)
        .collect();
    assert!(after.iter().all(|t| t
        .server
        .map(|h| w.topology().node(h).name.clone())
        .as_deref()
        == Some("web-02")));
    assert!(w
        .apply(&Action::Weight {
            server: "web-01".into(),
            weight: 300
        })
        .is_err());
    assert!(w
        .apply(&Action::Weight {
            server: "web-09".into(),
            weight: 1
        })
        .is_err());
}

/// Health checks can be switched to HTTP live, and `check` off means
/// HAProxy assumes the server is UP ("no check" on the stats page).
#[test]
fn checks_reconfigure_live() {
    let mut s = shipped("app-dies-tcp-check");
    s.faults.clear();
    let mut w = foobar_sim::World::new(&s).unwrap();
    w.apply(&Action::Fault {
        target: "web-01/app".into(),
        fault: FaultKind::Crash,
    })
    .unwrap();
    w.advance_to(foobar_sim::SimTime::from_secs_f64(10.0));
    assert_eq!(summary(&w).servers["web-01"].status, "UP");
    let mut h = s.haproxy.clone();
    h.check = CheckKind::Http;
    w.apply(&Action::Haproxy {
        spec: Box::new(h.clone()),
    })
    .unwrap();
    w.advance_to(foobar_sim::SimTime::from_secs_f64(20.0));
    assert_eq!(summary(&w).servers["web-01"].status, "DOWN");
    h.check = CheckKind::None;
    w.apply(&Action::Haproxy { spec: Box::new(h) }).unwrap();
    // Without `check` HAProxy assumes the server is up and says so: "no check".
    assert_eq!(summary(&w).servers["web-01"].status, "no check");
    assert!(w.lbs[0].servers[0].check.health.up);
}

/// Health checks with two load balancers: each HAProxy checks the servers and logs on its
/// own; its lines name it, as syslog names the host, so the two "is DOWN" lines for one
/// server differ.
#[test]
fn each_haproxy_log_line_names_its_balancer() {
    let mut s = Scenario::preset(foobar_sim::scenario::Preset::ScaledUp);
    s.faults = vec![fault(5.0, "web-03", FaultKind::Crash)];
    let (w, _) = run(&s, 20.0);
    let down: Vec<String> = w
        .log
        .iter()
        .map(|e| e.text())
        .filter(|l| l.contains("Server web/web-03 is DOWN"))
        .collect();
    assert_eq!(down.len(), 2, "{down:?}");
    assert_ne!(down[0], down[1]);
    for lb in ["lb-01", "lb-02"] {
        let prefix = format!("{lb}: Server web/web-03 is DOWN, reason: Layer4 connection problem");
        assert!(
            down.iter().any(|l| l.starts_with(&prefix)),
            "{lb}: {down:?}"
        );
    }
    // Every HAProxy line carries its balancer, even with one load balancer.
    let (one, _) = run(&shipped("kill-web-01"), 20.0);
    let lines: Vec<String> = one.log.iter().map(|e| e.text()).collect();
    assert!(lines
        .iter()
        .any(|l| l.starts_with("lb-01: Server web/web-01 is DOWN")));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("lb-01: Health check for server web/web-01 failed")));
}

/// A DNS that stopped while its host runs (crashed): the UDP query gets ICMP port unreachable
/// and the resolver gives up at once, one round trip after asking; the fault's message and the
/// users' error say the same.
#[test]
fn a_crashed_dns_server_fails_lookups_at_once_with_port_unreachable() {
    let mut s = Scenario::three_server();
    s.dns.ttl_s = 0;
    s.traffic.rate = 20.0;
    s.faults = vec![fault(10.0, "dns", FaultKind::Crash)];
    let (w, traces) = run(&s, 20.0);
    let after: Vec<_> = traces
        .iter()
        .filter(|t| t.start.as_ms() > 10_000.0)
        .collect();
    assert!(after.len() > 100);
    // Over the Internet link both ways (20 ms each way in realistic timing).
    let round_trip = 2 * w.timing().internet_us;
    for t in &after {
        assert_eq!((t.outcome, t.cause), (Outcome::DnsError, Cause::DnsRefused));
        assert_eq!(t.end - t.start, round_trip, "request {}", t.id);
    }
    let lines: Vec<String> = w.log.iter().map(|e| e.text()).collect();
    let says = |start: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no line {start:?} in {lines:?}"))
            .clone()
    };
    assert!(says("dns: crashed").contains("ICMP port unreachable"));
    assert!(says("Users are getting a DNS error").contains("ICMP port unreachable"));
}

/// A DNS that is gone or cut off never answers: glibc's resolver waits `timeout:5` per query
/// and asks `attempts:2` times, so lookups fail 10 s after they began; one back before the
/// second query is answered by it.
#[test]
fn an_unreachable_dns_server_fails_lookups_after_two_five_second_tries() {
    let mut s = Scenario::three_server();
    s.dns.ttl_s = 0;
    s.traffic.rate = 20.0;
    s.faults = vec![
        fault(10.0, "dns", FaultKind::Partition),
        fault(30.0, "dns", FaultKind::Restore),
    ];
    let (w, traces) = run(&s, 50.0);
    let started = |from: f64, to: f64| {
        traces
            .iter()
            .filter(move |t| (from * 1e3..to * 1e3).contains(&t.start.as_ms()))
    };
    let cut: Vec<_> = started(10.1, 19.9).collect();
    assert!(cut.len() > 100);
    for t in &cut {
        assert_eq!(
            (t.outcome, t.cause),
            (Outcome::DnsError, Cause::DnsUnreachable)
        );
        assert_eq!(t.end - t.start, 10_000_000, "request {}", t.id);
    }
    // Asked first while cut off, again 5 s later once it is back: answered, 5 s late.
    let second_try: Vec<_> = started(25.1, 29.9).collect();
    assert!(second_try.len() > 50);
    for t in &second_try {
        assert!(t.outcome.is_ok(), "request {}: {:?}", t.id, t.outcome);
        assert!(t.end - t.start >= 5_000_000);
    }
    let lines: Vec<String> = w.log.iter().map(|e| e.text()).collect();
    assert!(lines
        .iter()
        .any(|l| l.starts_with("dns: cut off") && l.contains("give up after 10 s")));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("Users are getting a DNS error") && l.contains("5 s each")));
}

/// A crashed HAProxy checks nothing; its rows in the stats view are what it
/// knew when it died, and say so (`lb_running`).
#[test]
fn the_stats_view_says_whether_its_haproxy_runs() {
    let mut w = foobar_sim::World::new(&shipped("lb-crash")).unwrap();
    let mut snap = foobar_sim::Snapshot::default();
    w.advance_to(foobar_sim::SimTime::from_secs_f64(5.0));
    w.snapshot_into(&mut snap);
    assert!(snap.servers.iter().all(|s| s.lb_running));
    w.advance_to(foobar_sim::SimTime::from_secs_f64(15.0));
    w.snapshot_into(&mut snap);
    assert!(!snap.servers.is_empty());
    assert!(snap
        .servers
        .iter()
        .all(|s| !s.lb_running && s.status == ServerStatus::Up));
    w.advance_to(foobar_sim::SimTime::from_secs_f64(35.0));
    w.snapshot_into(&mut snap);
    assert!(snap.servers.iter().all(|s| s.lb_running));
}

/// The health counter: `init-state up` (HAProxy's default) starts a server at `rise`,
/// "UP 1/3", so one failed check marks it DOWN; `fully-up` (the presets, a HAProxy that has
/// been running) starts it full, so a server that dies in the first second goes UP 2/3,
/// UP 1/3, then DOWN 4 to 6 s after.
#[test]
fn init_state_decides_how_many_failed_checks_mark_a_fresh_server_down() {
    use foobar_sim::scenario::InitState;
    let down_after = |init: InitState| {
        let mut s = Scenario::three_server();
        s.haproxy.init_state = init;
        s.faults = vec![fault(0.5, "web-02", FaultKind::Crash)];
        let mut w = foobar_sim::World::new(&s).unwrap();
        let first = w.lbs[0].servers[1].status();
        w.advance_to(foobar_sim::SimTime::from_secs_f64(10.0));
        let sv = &w.lbs[0].servers[1];
        let down = sv.first_down_at.expect("DOWN").as_ms() - 500.0;
        let checks: Vec<String> = w
            .transitions
            .iter()
            .filter(|t| t.node == "web-02" && t.what == "check")
            .map(|t| t.to.clone())
            .collect();
        (first, down, checks)
    };
    let (first, down, checks) = down_after(InitState::FullyUp);
    assert_eq!(first, "UP");
    assert!(
        (4000.0..=6000.0).contains(&down),
        "DOWN {down} ms after the crash"
    );
    assert_eq!(checks, ["UP 2/3", "UP 1/3", "DOWN"]);
    let (first, down, checks) = down_after(InitState::Up);
    assert_eq!(first, "UP 1/3");
    assert!(down <= 2000.0, "DOWN {down} ms after the crash");
    assert_eq!(checks, ["DOWN"]);
}

/// The snapshot's typed status says the stats page's own words (`UP 2/3`, `DOWN 1/2`,
/// `MAINT`, `no check` …) at every moment of every shipped scenario.
#[test]
fn the_snapshot_status_is_the_stats_page_word() {
    for s in all_shipped() {
        let mut w = foobar_sim::World::new(&s).unwrap();
        let mut snap = foobar_sim::Snapshot::default();
        for ms in (0..60_000).step_by(250) {
            w.advance_to(foobar_sim::SimTime(ms * 1000));
            w.snapshot_into(&mut snap);
            let words = w
                .lbs
                .iter()
                .flat_map(|lb| lb.servers.iter().map(|s| s.status()));
            let typed: Vec<String> = snap.servers.iter().map(|v| v.status.to_string()).collect();
            assert_eq!(typed, words.collect::<Vec<_>>(), "{} at {ms} ms", s.name);
        }
    }
}
