//! The snapshot draws a busy hop's plain requests as one flow: on a hop where more than
//! `FLOW_AT` plain requests move at once, they are counted by kind instead of listed, and so
//! are the plain requests waiting at a node where more than `WAIT_AT` wait; every request is
//! still a dot, in a flow or counted at its node; errors, stale reads and the followed
//! request stay dots; and a quiet run lists every request.

use foobar_sim::scenario::{Preset, TimingPreset};
use foobar_sim::snapshot::{Flight, FLOW_AT, WAIT_AT};
use foobar_sim::trace::Outcome;
use foobar_sim::{Scenario, SimTime, Snapshot, World};

fn running(rate: f64, hosts: u32, secs: f64) -> World {
    let mut s = Scenario::preset(Preset::ThreeServer);
    s.traffic.rate = rate;
    s.topology.web_hosts = hosts;
    s.timing.preset = TimingPreset::Classroom;
    let mut w = World::new(&s).unwrap();
    w.keep_views(true);
    w.advance_to(SimTime::from_secs_f64(secs));
    w
}

fn moving(f: &Flight, now: SimTime) -> bool {
    f.t0 <= now && now < f.t1
}

fn plain(f: &Flight) -> bool {
    !f.traced && (f.outcome == Outcome::Pending || (f.outcome.is_ok() && !f.stale))
}

#[test]
fn a_busy_hop_travels_as_a_flow_and_every_request_is_still_counted() {
    let w = running(5000.0, 8, 6.0);
    let mut snap = Snapshot::default();
    w.snapshot_into(&mut snap);
    let now = snap.now;
    let listed = w.requests().count() + w.footprint().tails;
    assert!(listed > 10_000, "{listed} in flight");
    assert!(!snap.flows.is_empty());
    let in_flows: usize = snap.flows.iter().map(|f| f.count() as usize).sum();
    let waiting: usize = snap.waits.iter().map(|w| w.count as usize).sum();
    assert!(!snap.waits.is_empty());
    assert!(snap.waits.iter().all(|w| w.count > WAIT_AT));
    assert_eq!(
        snap.flights.len() + in_flows + waiting,
        snap.in_flight,
        "every request is a dot, in a flow or counted at its node"
    );
    // Every live request, and the answers still on their way back.
    assert!(snap.in_flight >= w.requests().count() && snap.in_flight <= listed);
    // What is listed one by one is bounded by the topology, not by what is in flight.
    let n = w.topology().nodes.len();
    let quiet = snap.flights.iter().filter(|f| plain(f)).count();
    assert!(
        quiet <= n * n * FLOW_AT as usize + n * WAIT_AT as usize,
        "{quiet} listed"
    );
    assert!(
        snap.flights.len() < listed / 10,
        "{} of {listed} listed",
        snap.flights.len()
    );
    for flow in &snap.flows {
        assert!(flow.count() > FLOW_AT, "{flow:?}");
        assert!(flow.hop > 0);
        let on_it = snap
            .flights
            .iter()
            .filter(|f| (f.from, f.to) == (flow.from, flow.to) && moving(f, now));
        for f in on_it {
            assert!(
                !plain(f),
                "a plain request on a flow's hop listed as a dot: {f:?}"
            );
        }
    }
}

#[test]
fn a_quiet_run_has_no_flow_and_lists_every_request() {
    let w = running(10.0, 2, 20.0);
    let mut snap = Snapshot::default();
    w.snapshot_into(&mut snap);
    assert!(snap.flows.is_empty(), "{:?}", snap.flows);
    assert!(snap.waits.is_empty(), "{:?}", snap.waits);
    assert_eq!(snap.in_flight, snap.flights.len());
    assert!(snap.flights.len() >= w.requests().count());
}

#[test]
fn the_followed_request_stays_a_dot_on_a_busy_hop() {
    let w = running(5000.0, 8, 6.0);
    let mut snap = Snapshot::default();
    w.snapshot_into(&mut snap);
    let now = snap.now;
    let flow = snap.flows[0];
    let r = w
        .requests()
        .find(|r| {
            (r.cur.from, r.cur.to) == (flow.from, flow.to) && r.cur.t0 <= now && now < r.cur.t1
        })
        .expect("a request on the flow's hop")
        .seq;
    assert!(!snap.flights.iter().any(|f| f.req == r));
    snap.follow = Some(r);
    w.snapshot_into(&mut snap);
    assert!(snap.flights.iter().any(|f| f.req == r));
}

/// Past a minute of overload, requests whose users got a 504 still wait in the apps' full
/// backlogs (and Nginx resends SYNs for tens of thousands more): they too are counted where
/// they crowd, as errors, so what is listed stays bounded by the topology.
#[test]
fn errors_crowding_a_node_are_counted_as_errors() {
    let w = running(5000.0, 8, 70.0);
    let mut snap = Snapshot::default();
    w.snapshot_into(&mut snap);
    let n = w.topology().nodes.len();
    assert!(snap.in_flight > 50_000, "{}", snap.in_flight);
    assert!(
        snap.flights.len() <= n * n * FLOW_AT as usize + n * WAIT_AT as usize,
        "{} listed",
        snap.flights.len()
    );
    assert!(snap.waits.iter().any(|w| w.errors > 0), "{:?}", snap.waits);
}

/// A frame costs what is drawn: after a minute at 5,000 requests/s on eight hosts (80,000 and
/// more in flight, most waiting in the apps' backlogs and at Nginx), a snapshot visits a few
/// thousand requests, and what it counts at each node is what waits there.
#[test]
fn a_snapshot_visits_what_moves_and_counts_what_waits() {
    let w = running(5000.0, 8, 60.0);
    assert_eq!(w.check_invariants(), Ok(()));
    let mut snap = Snapshot::default();
    w.snapshot_into(&mut snap);
    let now = snap.now;
    let live = w.requests().count();
    assert!(live > 50_000, "{live} in flight");
    assert!(w.listed() < 10_000, "{} of {live} visited", w.listed());
    let n = w.topology().nodes.len();
    let mut waiting = vec![0u32; n];
    for r in w.requests() {
        if now >= r.cur.t1 {
            waiting[r.cur.to.index()] += 1;
        } else if now < r.cur.t0 {
            waiting[r.cur.from.index()] += 1;
        }
    }
    for (node, &want) in waiting.iter().enumerate() {
        let dots = snap
            .flights
            .iter()
            .filter(|f| {
                (now >= f.t1 && f.to.index() == node) || (now < f.t0 && f.from.index() == node)
            })
            .count() as u32;
        let counted = snap
            .waits
            .iter()
            .filter(|v| v.node.index() == node)
            .map(|v| v.count)
            .sum::<u32>();
        assert_eq!(dots + counted, want, "node {node}");
    }
}
