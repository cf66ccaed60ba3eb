//! The shipped scenarios behave as the real software would (docs/model.md, "HAProxy"). Each
//! test states the expected outcome and the behaviour of the real software it follows.

mod common;
use common::*;
use foobar_sim::trace::{Cause, Outcome, ReqKind};
use foobar_sim::SimTime;

/// Detection time: a host that refuses connections is DOWN 4–6 s after it dies (3 failed
/// checks, inter 2 s); then only web-02 serves.
#[test]
fn kill_web_01_is_down_4_to_6_s_after_the_crash_then_only_web_02_serves() {
    let (w, traces) = run(&shipped("kill-web-01"), 40.0);
    let sum = summary(&w);
    let web01 = &sum.servers["web-01"];
    let down = web01.first_down_at_ms.expect("web-01 never went DOWN");
    assert!((14_000.0..=16_000.0).contains(&down), "DOWN at {down} ms");
    assert_eq!(web01.chkdown, 1);
    assert_eq!(web01.status, "DOWN");
    // HAProxy's status strings, in order.
    let seen: Vec<&str> = sum
        .transitions
        .iter()
        .filter(|t| t.node == "web-01" && t.what == "check" && t.t_ms >= 10_000.0)
        .map(|t| t.to.as_str())
        .collect();
    assert_eq!(seen, ["UP 2/3", "UP 1/3", "DOWN"]);
    // After DOWN, nothing new goes to web-01.
    let after_down: Vec<_> = traces
        .iter()
        .filter(|t| t.start.as_ms() > down + 1.0 && host_name(&w, t).as_deref() == Some("web-01"))
        .collect();
    assert!(
        after_down.is_empty(),
        "{} requests went to web-01 after DOWN",
        after_down.len()
    );
    assert!(sum.servers["web-02"].served > web01.served);
}

/// The failed requests are exactly those HAProxy sent to web-01 between the crash
/// and DOWN (no redispatch: 3 retries to the same dead server, then 503), plus any on it at
/// the crash (502), plus writes from web-02's app to the dead primary on web-01 (500).
#[test]
fn kill_web_01_failures_match_the_check_timers() {
    let s = shipped("kill-web-01");
    let (w, traces) = run(&s, 40.0);
    let down = summary(&w).servers["web-01"].first_down_at_ms.unwrap();
    for t in &traces {
        let on01 = host_name(&w, t).as_deref() == Some("web-01");
        let start = t.start.as_ms();
        let lb_arrival = t
            .hops
            .iter()
            .find(|h| w.topology().node(h.to).name == "lb-01/haproxy");
        let at_lb = lb_arrival.map_or(start, |h| h.t1.as_ms());
        // When the web host's answer left Nginx for the load balancer, if it did.
        let answer_left = |host: &str| {
            t.hops
                .iter()
                .find(|h| {
                    w.topology().node(h.from).name == format!("{host}/nginx")
                        && w.topology().node(h.to).name == "lb-01/haproxy"
                })
                .map(|h| h.t0.as_ms())
        };
        let expected_ok = if on01 {
            // Answered by web-01 before the crash: fine.
            answer_left("web-01").is_some_and(|t0| t0 < 10_000.0)
        } else if t.kind == ReqKind::Write {
            // web-02's app writes to the primary on web-01: fine if done before the crash.
            answer_left("web-02").is_some_and(|t0| t0 < 10_000.0)
        } else {
            true
        };
        assert_eq!(
            t.outcome.is_ok(),
            expected_ok,
            "request {} {:?} on {:?} at {start} ms: {:?} {:?}",
            t.id,
            t.kind,
            host_name(&w, t),
            t.outcome,
            t.cause
        );
        if on01 && !expected_ok && at_lb >= 10_000.0 {
            assert!(at_lb < down + 1.0, "balanced to web-01 after DOWN");
            assert_eq!(t.outcome, Outcome::Http(503));
            assert_eq!(t.cause, Cause::ConnectFailed);
            assert_eq!(t.retries, 3);
        }
    }
    let failed_503 = traces
        .iter()
        .filter(|t| t.outcome == Outcome::Http(503))
        .count() as u64;
    assert!(failed_503 > 10);
    let s01 = &summary(&w).servers["web-01"];
    assert_eq!(
        s01.econ, failed_503,
        "econ counts each request that gave up connecting"
    );
    assert_eq!(s01.wretr, 3 * failed_503, "3 retries each");
}

/// Retries: with `option redispatch` the last retry goes to another server, so a
/// crash costs no 503 at all; only what was on web-01 at that instant fails (502).
#[test]
fn with_redispatch_a_crash_costs_no_client_errors() {
    let mut s = shipped("kill-web-01");
    s.haproxy.redispatch = true;
    // Static files and reads only: writes need the primary, which died with web-01.
    s.traffic.mix.write = 0.0;
    let (w, traces) = run(&s, 40.0);
    let sum = summary(&w);
    for t in traces.iter().filter(|t| !t.outcome.is_ok()) {
        assert_eq!(
            t.cause,
            Cause::ServerReset,
            "request {} failed: {:?}",
            t.id,
            t.outcome
        );
        assert!(
            t.start.as_ms() < 10_000.0,
            "only requests already under way at the crash"
        );
    }
    assert!(!sum.requests.by_status.contains_key("503"));
    assert!(
        sum.servers["web-01"].wredis > 0,
        "retries were redispatched"
    );
    assert!(traces.iter().any(|t| t.redispatched && t.outcome.is_ok()));
}

/// Health checks: a TCP check only connects to Nginx, so with the app dead
/// web-01 stays UP and its users get 502 from Nginx for the rest of the run.
#[test]
fn tcp_check_is_blind_to_a_dead_app() {
    let (w, traces) = run(&shipped("app-dies-tcp-check"), 40.0);
    let sum = summary(&w);
    assert_eq!(sum.servers["web-01"].first_down_at_ms, None);
    assert_eq!(sum.servers["web-01"].status, "UP");
    let bad: Vec<_> = traces
        .iter()
        .filter(|t| t.outcome == Outcome::Http(502))
        .collect();
    assert!(!bad.is_empty());
    assert!(bad
        .iter()
        .all(|t| t.cause == Cause::AppDown && host_name(&w, t).as_deref() == Some("web-01")));
    assert!(
        bad.iter().any(|t| t.start.as_ms() > 35_000.0),
        "still failing at the end"
    );
    // Static files never touch the app: Nginx still serves them.
    assert!(traces.iter().any(|t| t.kind == ReqKind::Static
        && host_name(&w, t).as_deref() == Some("web-01")
        && t.start.as_ms() > 20_000.0
        && t.outcome.is_ok()));
}

/// Health checks: `option httpchk GET /health` reaches the app, gets Nginx's 502
/// (L7STS), and marks web-01 DOWN after 3 failures; then the 502s stop.
#[test]
fn http_check_catches_a_dead_app() {
    let (w, traces) = run(&shipped("app-dies-http-check"), 40.0);
    let sum = summary(&w);
    let down = sum.servers["web-01"].first_down_at_ms.expect("not DOWN");
    assert!((14_000.0..=16_000.0).contains(&down), "DOWN at {down}");
    assert_eq!(sum.servers["web-01"].check_status, "L7STS");
    let late_502 = traces
        .iter()
        .filter(|t| t.outcome == Outcome::Http(502) && t.start.as_ms() > down + 1.0)
        .count();
    assert_eq!(late_502, 0);
}

/// Detection time: a host that drops packets makes each check wait its timeout
/// (inter, 2 s): DOWN about 10 to 12 s after it is cut off.
#[test]
fn a_silent_host_takes_longer_to_detect() {
    let mut s = shipped("kill-web-01");
    s.faults[0].fault = foobar_sim::scenario::FaultKind::Partition;
    let (w, _) = run(&s, 40.0);
    let down = summary(&w).servers["web-01"].first_down_at_ms.unwrap();
    assert!((20_000.0..=22_100.0).contains(&down), "DOWN at {down}");
    assert_eq!(summary(&w).servers["web-01"].check_status, "L4TOUT");
}

/// An M/M/c queue: one backend with c workers, Poisson arrivals and exponential service: the mean
/// wait in queue is within 3% of Erlang C.
#[test]
fn mmc_mean_wait_matches_erlang_c() {
    let s = shipped("mmc");
    let (w, _) = {
        let mut w = foobar_sim::World::new(&s).unwrap();
        w.advance_to(SimTime::from_secs_f64(7200.0));
        (w, ())
    };
    let got = summary(&w).queue_wait_ms.mean / 1000.0;
    let want = erlang_c_wait(
        s.traffic.rate,
        1000.0 / s.timing.app_ms.unwrap(),
        s.app.workers,
    );
    let err = (got - want).abs() / want;
    assert!(
        err < 0.03,
        "mean wait {:.3} ms, Erlang C {:.3} ms ({:.1}% off)",
        got * 1e3,
        want * 1e3,
        err * 100.0
    );
}

/// The M/M/c design at 600 req/s, more than its 4 workers at 10 ms serve (400 a second),
/// with Nginx's `proxy_read_timeout` at `read_timeout_ms`.
fn overloaded_mmc(read_timeout_ms: f64) -> foobar_sim::Scenario {
    let mut s = shipped("mmc");
    s.traffic.rate = 600.0;
    s.nginx.proxy_read_timeout_ms = read_timeout_ms;
    s
}

/// A world of `s` that keeps every request's trace.
fn tracing(s: &foobar_sim::Scenario) -> foobar_sim::World {
    let mut w = foobar_sim::World::new(s).unwrap();
    w.keep_all_traces(true);
    w
}

/// Every request's trace when `w` (`tracing`) runs with its traffic until `busy_s`, then
/// without until `end_s`; each request ends once.
fn traces_until(
    mut w: foobar_sim::World,
    busy_s: f64,
    end_s: f64,
) -> Vec<foobar_sim::trace::Trace> {
    w.advance_to(SimTime::from_secs_f64(busy_s));
    w.set_rate(0.0);
    w.advance_to(SimTime::from_secs_f64(end_s));
    assert_eq!(w.check_invariants(), Ok(()));
    let traces = w.drain_traces();
    assert_eq!(traces.len() as u64, w.totals.created);
    traces
}

/// How long each request with a 504 waited for it, in µs.
fn waits_for_504(traces: &[foobar_sim::trace::Trace]) -> Vec<(u64, u64)> {
    let late = traces.iter().filter(|t| t.outcome == Outcome::Http(504));
    late.map(|t| (t.id, t.end - t.start)).collect()
}

/// Nginx: with no load balancer in front, a request Nginx handed to an app that
/// cannot keep up waits in its backlog until `proxy_read_timeout` runs out (3 s here), and
/// the user gets 504 then: not before, and every one of them. The app still works through
/// its backlog in order; those it answers in time get 200. (The backlog, growing by 200 a
/// second, stays under its 2,048 places.)
#[test]
fn an_overloaded_app_times_out_at_nginx_after_proxy_read_timeout() {
    let w = tracing(&overloaded_mmc(3_000.0));
    let traces = traces_until(w, 9.0, 200.0);
    let timed_out = waits_for_504(&traces);
    assert!(timed_out.len() > 1000, "{} timed out", timed_out.len());
    for (id, waited) in timed_out {
        assert!(
            (3_000_000..3_001_000).contains(&waited),
            "request {id} got 504 after {waited} us"
        );
    }
    let ok = traces.iter().filter(|t| t.outcome == Outcome::Http(200));
    assert!(ok.clone().all(|t| t.end - t.start < 3_000_000));
    assert!(ok.count() > 3_000);
}

/// Nginx: an app that crashes and comes back at once loses its backlog; the requests that
/// wait in the new backlog still get their 504 at `proxy_read_timeout` (3 s here), not before.
#[test]
fn nginx_timeouts_after_an_app_restart_come_on_time() {
    use foobar_sim::scenario::{FaultKind, ScheduledFault};
    let mut s = overloaded_mmc(3_000.0);
    let app = format!("{}/app", s.web_host_names().next().unwrap());
    for (at_s, fault) in [(4.0, FaultKind::Crash), (4.05, FaultKind::Restore)] {
        s.faults.push(ScheduledFault {
            at_s,
            target: app.clone(),
            fault,
        });
    }
    let w = tracing(&s);
    let timed_out = waits_for_504(&traces_until(w, 20.0, 120.0));
    assert!(timed_out.len() > 1000, "{} timed out", timed_out.len());
    for (id, waited) in timed_out {
        assert!(
            waited >= 3_000_000,
            "request {id} got 504 after {waited} us"
        );
    }
}

/// The app's listen backlog holds 2,048 requests (gunicorn's default): past it Linux drops
/// Nginx's SYNs and Nginx resends them after 1, 2, 4 … s. A request that gets a place on a
/// resend is served; one that never does gets 504 at `proxy_connect_timeout` (60 s) after
/// Nginx first tried. The backlog never holds more than 2,048.
#[test]
fn a_full_backlog_drops_nginx_syns_until_proxy_connect_timeout() {
    let mut w = tracing(&overloaded_mmc(600_000.0));
    let mut longest = 0;
    for t in 1..=90 {
        w.advance_to(SimTime::from_secs_f64(t as f64));
        longest = longest.max(w.webs[0].pool.backlog.len());
    }
    assert_eq!(longest, foobar_sim::world::APP_BACKLOG);
    let traces = traces_until(w, 90.0, 300.0);
    let timed_out = waits_for_504(&traces);
    assert!(timed_out.len() > 1000, "{} timed out", timed_out.len());
    for (id, waited) in timed_out {
        assert!(
            (60_000_000..60_001_000).contains(&waited),
            "request {id} got 504 after {waited} us"
        );
    }
    // The backlog alone keeps a request at most 2,048 / 400 = 5.1 s.
    let served_after_resends = traces
        .iter()
        .filter(|t| t.outcome == Outcome::Http(200) && t.end - t.start > 6_000_000)
        .count();
    assert!(served_after_resends > 1000, "{served_after_resends}");
}

/// Nginx: a timeout changed while requests wait applies to those handed over after
/// it; those already waiting keep the deadline they were given (here 1 s, then a longer 3 s,
/// then a shorter 1.5 s, with the backlog's wait growing by half a second a second, under its
/// 2,048 places), and every request still ends once.
#[test]
fn a_changed_proxy_read_timeout_applies_from_then_on() {
    let mut s = shipped("mmc");
    s.traffic.rate = 600.0;
    let timeouts = [(0.0, 1_000.0), (4.0, 3_000.0), (7.0, 1_500.0)];
    let mut w = foobar_sim::World::new(&s).unwrap();
    w.keep_all_traces(true);
    for &(at, ms) in &timeouts {
        w.advance_to(SimTime::from_secs_f64(at));
        s.nginx.proxy_read_timeout_ms = ms;
        w.reconfigure(s.clone(), foobar_sim::log::SettingsPart::App)
            .unwrap();
    }
    w.advance_to(SimTime::from_secs_f64(9.0));
    w.set_rate(0.0);
    w.advance_to(SimTime::from_secs_f64(300.0));
    assert_eq!(w.check_invariants(), Ok(()));
    let traces = w.drain_traces();
    assert_eq!(traces.len() as u64, w.totals.created);
    let mut seen = [0; 3];
    for t in traces.iter().filter(|t| t.outcome == Outcome::Http(504)) {
        let phase = timeouts
            .iter()
            .rposition(|&(at, _)| t.start >= SimTime::from_secs_f64(at))
            .unwrap();
        let want = (timeouts[phase].1 * 1000.0) as u64;
        let waited = t.end - t.start;
        assert!(
            (want..want + 1000).contains(&waited),
            "{}: {waited} us",
            t.id
        );
        seen[phase] += 1;
    }
    assert!(seen.iter().all(|&n| n > 100), "504s by phase: {seen:?}");
}

/// The default scenario: roundrobin shares evenly, nothing fails.
#[test]
fn three_server_default_is_healthy_and_even() {
    let (w, _) = run(&shipped("three-server"), 60.0);
    let sum = summary(&w);
    assert_eq!(sum.availability, 1.0);
    let (a, b) = (sum.servers["web-01"].served, sum.servers["web-02"].served);
    assert!(a.abs_diff(b) <= 1, "roundrobin: {a} vs {b}");
}
