//! The health checks of one load balancer's servers, alone: a network from the three-server
//! topology, the checks' own events, no world.

use super::*;
use crate::cx::TestBed;
use crate::haproxy::{Balancer, Server};
use crate::net::NodeState;
use crate::scenario::{HaproxySpec, Scenario};
use crate::time::SEC;
use crate::topology::NodeKind;

/// The checks' events as a queue holds them (a queue's events need a default).
#[derive(Debug, Clone, Copy)]
struct Ev(CheckEvent);

impl Default for Ev {
    fn default() -> Self {
        Ev(CheckEvent::Start {
            lb: 0,
            srv: 0,
            stamp: Stamp::default(),
        })
    }
}

impl From<CheckEvent> for Ev {
    fn from(ev: CheckEvent) -> Ev {
        Ev(ev)
    }
}

/// lb-01 checking web-01 and web-02 as `h` says, from time 0.
struct Rig {
    bed: TestBed<Ev>,
    lb: Lb,
    cfg: CheckConfig,
    targets: Vec<CheckTarget>,
    /// Every check of web-01 that started and ended: (start, end, status).
    web01: Vec<(SimTime, SimTime, CheckStatus)>,
}

impl Rig {
    fn new(h: HaproxySpec) -> Rig {
        let mut s = Scenario::three_server();
        s.haproxy = h;
        let bed: TestBed<Ev> = TestBed::new(&s);
        let t = &bed.net.topo;
        let lb_host = t.lb_hosts[0];
        let servers: Vec<Server> = t
            .web_hosts
            .iter()
            .map(|&w| {
                let nginx = t.component(w, NodeKind::Nginx).unwrap();
                Server::from_spec(t.node(w).name.clone(), w, nginx, &s.haproxy)
            })
            .collect();
        let targets = t
            .web_hosts
            .iter()
            .map(|&w| CheckTarget {
                app: t.component(w, NodeKind::App).unwrap(),
                app_saturated: false,
                db: None,
            })
            .collect();
        let balancer = Balancer::new(s.haproxy.balance, s.haproxy.hash_type, &[1, 1, 1]);
        let haproxy = t.component(lb_host, NodeKind::Haproxy).unwrap();
        let lb = Lb::new(lb_host, haproxy, "lb-01".into(), servers, balancer);
        let mut rig = Rig {
            bed,
            lb,
            cfg: CheckConfig::from_spec(&s.haproxy),
            targets,
            web01: Vec::new(),
        };
        let timers = rig.cfg.timers;
        rig.lb.start_checks(0, &timers, &mut rig.bed.cx());
        rig
    }

    /// Runs the checks as the world routes them up to `ms`.
    fn run_to_ms(&mut self, ms: u64) {
        let (lb, cfg, targets, web01) = (&mut self.lb, &self.cfg, &self.targets, &mut self.web01);
        self.bed.run_until(SimTime(ms * MS), |Ev(ev), cx| match ev {
            CheckEvent::Start { srv, stamp, .. } => {
                let srv = srv as usize;
                if lb.servers[srv].check.is_current(stamp) {
                    lb.check_start(0, srv, &targets[srv], cfg, cx);
                }
            }
            CheckEvent::Done {
                srv,
                stamp,
                status,
                started,
                ..
            } => {
                let srv = srv as usize;
                if lb.servers[srv].check.is_current(stamp) {
                    if srv == 0 {
                        web01.push((started, cx.now(), status));
                    }
                    lb.check_done(srv, status, started, cx);
                    lb.servers[srv].check.schedule_next(0, srv, &cfg.timers, cx);
                }
            }
        });
    }

    fn web01_node(&self, kind: Option<NodeKind>) -> NodeId {
        let host = self.lb.servers[0].host;
        kind.map_or(host, |k| self.bed.net.topo.component(host, k).unwrap())
    }

    fn set(&mut self, node: NodeId, state: NodeState) {
        self.bed.net.set_node(node, state);
    }

    fn lan(&self) -> u64 {
        self.bed.net.lan_us()
    }

    /// When web-01 went DOWN and UP, from HAProxy's log lines.
    fn downs_and_ups(&self) -> Vec<(SimTime, &'static str)> {
        self.bed
            .log
            .iter()
            .filter_map(|e| match &e.event {
                LogEvent::ServerDown { server, .. } if server == "web-01" => Some((e.t, "DOWN")),
                LogEvent::ServerUp { server, .. } if server == "web-01" => Some((e.t, "UP")),
                _ => None,
            })
            .collect()
    }

    /// The gaps from the end of each check of web-01 to the start of the next.
    fn intervals(&self) -> Vec<u64> {
        self.web01.windows(2).map(|w| w[1].0 - w[0].1).collect()
    }
}

const CRASHED: NodeState = NodeState {
    crashed: true,
    partitioned: false,
    draining: false,
    slow: 1.0,
};

const CUT_OFF: NodeState = NodeState {
    crashed: false,
    partitioned: true,
    draining: false,
    slow: 1.0,
};

/// The first checks are spread over one `inter`: web-01 at 0, web-02 at inter/2; each
/// passing TCP check lasts a round trip and the next starts `inter` after.
#[test]
fn first_checks_are_staggered_and_healthy_servers_are_checked_every_inter() {
    let mut r = Rig::new(HaproxySpec::default());
    let mut queued = r.bed.queue.clone();
    let mut starts = Vec::new();
    while let Some((t, Ev(CheckEvent::Start { srv, .. }))) = queued.pop() {
        starts.push((t, srv));
    }
    assert_eq!(starts, [(SimTime::ZERO, 0), (SimTime(SEC), 1)]);
    r.run_to_ms(20_000);
    let rt = 2 * r.lan();
    assert!(r
        .web01
        .iter()
        .all(|&(s, e, st)| st == CheckStatus::L4Ok && e - s == rt));
    assert!(r.intervals().iter().all(|&g| g == 2 * SEC));
    assert_eq!(r.web01.len(), 10);
    // init-state up: the first passing check makes each server fully UP, and nothing else
    // is logged.
    assert!(r.lb.servers.iter().all(|s| s.status() == "UP"));
    assert!(r.downs_and_ups().is_empty());
}

/// With inter 2 s and fall 3, a server that dies is DOWN after three failed checks, 2 s
/// apart: 4 to 6 s after it died, depending on where in the interval it died.
#[test]
fn a_dead_server_is_down_after_fall_failures_4_to_6_s_after_it_dies() {
    for died_ms in [10_000, 10_500, 11_000, 11_500, 11_999] {
        let mut r = Rig::new(HaproxySpec::default());
        r.run_to_ms(died_ms);
        let host = r.web01_node(None);
        r.set(host, CRASHED);
        r.run_to_ms(died_ms + 10_000);
        let downs = r.downs_and_ups();
        assert_eq!(downs.len(), 1, "died at {died_ms} ms: {downs:?}");
        let after = downs[0].0 - SimTime(died_ms * MS);
        assert!(
            (4 * SEC..6 * SEC + 8 * r.lan()).contains(&after),
            "died at {died_ms} ms, DOWN {after} µs later"
        );
        // A crashed host answers with RST: L4CON, one round trip each; the third is the
        // one that ends when the server goes DOWN.
        let failed: Vec<_> = r.web01.iter().filter(|c| !c.2.passed()).collect();
        assert!(failed.iter().all(|c| c.2 == CheckStatus::L4Con));
        assert_eq!(failed[2].1, downs[0].0);
        assert_eq!(failed[0].1 - failed[0].0, 2 * r.lan());
    }
}

/// The log says what the stats page shows on the way down: two failed checks (`2/3 UP`,
/// `1/3 UP`), then "Server web/web-01 is DOWN" with the servers left.
#[test]
fn the_way_down_is_logged_as_haproxy_logs_it() {
    let mut r = Rig::new(HaproxySpec::default());
    r.run_to_ms(10_100);
    let host = r.web01_node(None);
    r.set(host, CRASHED);
    r.run_to_ms(20_000);
    let lines: Vec<String> = r.bed.log.iter().map(|e| e.text()).collect();
    assert_eq!(lines.len(), 5, "{lines:#?}");
    // The first passing checks took both servers from "UP 1/3" (init-state up) to fully UP.
    assert!(lines[0].contains("web/web-01 succeeded") && lines[0].ends_with("status: 3/3 UP."));
    assert!(lines[1].contains("web/web-02 succeeded"));
    assert!(lines[2].contains("web/web-01 failed") && lines[2].ends_with("status: 2/3 UP."));
    assert!(lines[3].ends_with("status: 1/3 UP."));
    assert!(lines[4].contains("web/web-01 is DOWN") && lines[4].contains("1 active and 0 backup"));
    let s = &r.lb.servers[0];
    assert_eq!(
        (s.status().as_str(), s.stats.chkfail, s.stats.chkdown),
        ("DOWN", 3, 1)
    );
    let down_at = r.downs_and_ups()[0].0;
    assert_eq!((s.lastchg, s.first_down_at), (down_at, Some(down_at)));
    let seen: Vec<(&str, &str)> = r
        .bed
        .transitions
        .iter()
        .filter(|t| t.node == "web-01")
        .map(|t| (t.from.as_str(), t.to.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("UP 1/3", "UP"),
            ("UP", "UP 2/3"),
            ("UP 2/3", "UP 1/3"),
            ("UP 1/3", "DOWN")
        ]
    );
}

/// Intervals follow the counter: `inter` fully UP, `fastinter` in between (going down or
/// coming up), `downinter` fully DOWN. A DOWN server is UP again after `rise` passing checks.
#[test]
fn intervals_follow_the_counter_and_rise_successes_bring_it_back() {
    let mut r = Rig::new(HaproxySpec {
        fastinter_ms: Some(500.0),
        downinter_ms: Some(5_000.0),
        ..HaproxySpec::default()
    });
    r.run_to_ms(10_100);
    let host = r.web01_node(None);
    r.set(host, CRASHED);
    r.run_to_ms(30_000);
    r.set(host, NodeState::default());
    r.run_to_ms(50_000);
    let statuses: Vec<bool> = r.web01.iter().map(|c| c.2.passed()).collect();
    let first_fail = statuses.iter().position(|p| !p).unwrap();
    let first_back = first_fail + statuses[first_fail..].iter().position(|p| *p).unwrap();
    let gaps = r.intervals();
    // Fully UP before the crash: inter.
    assert!(gaps[..first_fail - 1].iter().all(|&g| g == 2 * SEC));
    // Going down: fastinter twice, then DOWN: downinter until it passes again.
    assert_eq!(&gaps[first_fail..first_fail + 2], &[500_000, 500_000]);
    assert!(gaps[first_fail + 2..first_back]
        .iter()
        .all(|&g| g == 5 * SEC));
    // Coming up (DOWN 1/2): fastinter; then UP: inter again.
    assert_eq!(gaps[first_back], 500_000);
    assert!(gaps[first_back + 1..].iter().all(|&g| g == 2 * SEC));
    let ups = r.downs_and_ups();
    assert_eq!(ups.iter().map(|u| u.1).collect::<Vec<_>>(), ["DOWN", "UP"]);
    // UP at the end of the second passing check (rise 2).
    assert_eq!(ups[1].0, r.web01[first_back + 1].1);
    let s = &r.lb.servers[0];
    assert_eq!(s.stats.downtime_closed, ups[1].0 - ups[0].0);
}

/// A check that gets no answer ends at the check's timeout (`timeout check`, else `inter`):
/// L4TOUT for a host cut off from the network.
#[test]
fn an_unanswered_check_ends_at_timeout_check() {
    let mut r = Rig::new(HaproxySpec {
        timeout_check_ms: Some(700.0),
        ..HaproxySpec::default()
    });
    r.run_to_ms(10_100);
    let host = r.web01_node(None);
    r.set(host, CUT_OFF);
    r.run_to_ms(20_000);
    let last = *r.web01.last().unwrap();
    assert_eq!((last.1 - last.0, last.2), (700_000, CheckStatus::L4Tout));
    assert_eq!(r.lb.servers[0].check.duration_us, 700_000);
}

/// `check: http` asks the app for `/health`: a crashed app behind a live Nginx fails it with
/// L7STS; a saturated app makes it wait past the timeout (L7TOUT).
#[test]
fn http_checks_see_the_app() {
    let http = HaproxySpec {
        check: CheckKind::Http,
        ..HaproxySpec::default()
    };
    let mut r = Rig::new(http.clone());
    r.run_to_ms(5_100);
    let app = r.web01_node(Some(NodeKind::App));
    r.set(app, CRASHED);
    r.run_to_ms(7_000);
    assert_eq!(r.web01.last().unwrap().2, CheckStatus::L7Sts);

    let mut r = Rig::new(http);
    r.run_to_ms(5_100);
    r.targets[0].app_saturated = true;
    r.run_to_ms(9_000);
    let last = *r.web01.last().unwrap();
    assert_eq!((last.1 - last.0, last.2), (2 * SEC, CheckStatus::L7Tout));
}

/// A server in MAINT, and every server of a dead HAProxy, is not checked; the check looks
/// again an `inter` later.
#[test]
fn maint_and_a_dead_haproxy_pause_the_checks() {
    let mut r = Rig::new(HaproxySpec::default());
    r.lb.servers[0].admin = AdminState::Maint;
    r.run_to_ms(10_000);
    assert!(r.web01.is_empty());
    assert_eq!(r.lb.servers[0].check.status, CheckStatus::Init);
    r.lb.servers[0].admin = AdminState::Ready;
    r.run_to_ms(12_100);
    assert_eq!(r.web01.len(), 1);
    let haproxy = r.lb.haproxy;
    r.set(haproxy, CRASHED);
    r.run_to_ms(30_000);
    assert_eq!(r.web01.len(), 1);
}

/// Passive checks: `error_limit` consecutive errors trigger `on_error`; a success in
/// between starts the count over. `mark-down` takes the server DOWN at once, and the next
/// check comes at `fastinter`.
#[test]
fn observe_counts_consecutive_errors_and_acts_at_the_limit() {
    let h = HaproxySpec {
        observe: Observe::Layer4,
        error_limit: 3,
        on_error: OnError::MarkDown,
        fastinter_ms: Some(300.0),
        ..HaproxySpec::default()
    };
    let mut r = Rig::new(h);
    r.run_to_ms(2_100);
    let cfg = r.cfg;
    let mut cx = r.bed.cx();
    assert_eq!(r.lb.observe(0, true, false, &cfg, &mut cx), None);
    assert_eq!(r.lb.observe(0, true, false, &cfg, &mut cx), None);
    assert_eq!(r.lb.observe(0, false, false, &cfg, &mut cx), None);
    assert_eq!(r.lb.observe(0, true, false, &cfg, &mut cx), None);
    assert_eq!(r.lb.observe(0, true, false, &cfg, &mut cx), None);
    // HTTP answers are not watched at layer 4.
    assert_eq!(r.lb.observe(0, true, true, &cfg, &mut cx), None);
    assert_eq!(
        r.lb.observe(0, true, false, &cfg, &mut cx),
        Some(HealthChange::WentDown)
    );
    r.lb.servers[0].check.hurry(0, 0, &cfg.timers, &mut cx);
    assert_eq!(r.lb.servers[0].status(), "DOWN");
    let now = r.bed.now;
    r.run_to_ms(2_500);
    assert_eq!(r.web01.last().unwrap().0, now + 300_000);
    let lines: Vec<String> = r.bed.log.iter().map(|e| e.text()).collect();
    assert!(lines.iter().any(|l| l.contains("is DOWN")), "{lines:#?}");
}

/// `sudden-death` leaves one failure before DOWN; `fail-check` counts as one failed check.
#[test]
fn on_error_actions_move_the_counter_as_haproxy_does() {
    for (on_error, status) in [
        (OnError::SuddenDeath, "UP 1/3"),
        (OnError::FailCheck, "UP 2/3"),
        (OnError::FastInter, "UP"),
    ] {
        let h = HaproxySpec {
            observe: Observe::Layer7,
            error_limit: 1,
            on_error,
            ..HaproxySpec::default()
        };
        let mut r = Rig::new(h);
        r.run_to_ms(100);
        let cfg = r.cfg;
        let change = r.lb.observe(0, true, true, &cfg, &mut r.bed.cx());
        assert!(change.is_some());
        assert_eq!(r.lb.servers[0].status(), status, "{on_error:?}");
    }
}

/// Switching the checks off calls off the pending ones and brings a DOWN server UP.
#[test]
fn checks_off_bring_a_down_server_up() {
    let mut r = Rig::new(HaproxySpec::default());
    r.run_to_ms(100);
    let host = r.web01_node(None);
    r.set(host, CRASHED);
    r.run_to_ms(10_000);
    assert_eq!(r.lb.servers[0].status(), "DOWN");
    let change = r.lb.checks_off(0, &mut r.bed.cx());
    assert_eq!(change, Some(HealthChange::WentUp));
    assert_eq!(r.lb.checks_off(1, &mut r.bed.cx()), None);
    let n = r.web01.len();
    r.run_to_ms(20_000);
    assert_eq!(r.web01.len(), n);
    assert_eq!(r.downs_and_ups().last().unwrap().1, "UP");
}
