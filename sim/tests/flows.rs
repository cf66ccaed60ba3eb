//! The snapshot draws a busy hop's plain requests as one flow: on a hop where more than
//! `FLOW_AT` plain requests move at once, they are counted by kind instead of listed; every
//! request is still either a dot or in a flow; errors, stale reads and the followed request
//! stay dots; and a quiet run has no flow at all.

use foobar_sim::scenario::{Preset, TimingPreset};
use foobar_sim::snapshot::{Flight, FLOW_AT};
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
    assert!(
        snap.flights.len() + in_flows >= w.requests().count(),
        "every request is a dot or in a flow"
    );
    assert_eq!(snap.in_flight, snap.flights.len() + in_flows);
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
    // The dots left are bounded by what fits: the moving plain ones are at most FLOW_AT per
    // hop; the others wait at a node (drawn in its queue, or as its count).
    let moving_plain = snap
        .flights
        .iter()
        .filter(|f| moving(f, now) && plain(f))
        .count();
    let hops = w.topology().links.len() * 4;
    assert!(moving_plain <= hops * FLOW_AT as usize, "{moving_plain}");
}

#[test]
fn a_quiet_run_has_no_flow_and_lists_every_request() {
    let w = running(10.0, 2, 20.0);
    let mut snap = Snapshot::default();
    w.snapshot_into(&mut snap);
    assert!(snap.flows.is_empty(), "{:?}", snap.flows);
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
