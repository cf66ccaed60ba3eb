//! Memory stays flat over a 24-hour simulated soak: traces, logs, series, binlogs and
//! the request slab are bounded, whatever keeps failing and coming back.

use foobar_sim::scenario::{FaultKind, ScheduledFault};
use foobar_sim::{Scenario, SimTime, World};

#[test]
fn a_day_of_failures_keeps_memory_flat() {
    let mut s = Scenario::preset(foobar_sim::scenario::Preset::ScaledUp);
    s.traffic.rate = 15.0;
    s.mysql.apply_rate = 4.0;
    s.mysql.replica_parallel_workers = 1;
    s.mysql.source_connect_retry_s = 5.0;
    // Every hour something breaks for ten minutes.
    let targets = [
        "web-01",
        "lb-01",
        "db-01/mysql",
        "web-02--db-01",
        "db-02",
        "web-03/app",
    ];
    for h in 0..24 {
        let t = targets[h % targets.len()];
        let at = h as f64 * 3600.0 + 600.0;
        s.faults.push(ScheduledFault {
            at_s: at,
            target: t.into(),
            fault: FaultKind::Crash,
        });
        s.faults.push(ScheduledFault {
            at_s: at + 600.0,
            target: t.into(),
            fault: FaultKind::Restore,
        });
    }
    s.mysql.recovery_period_block_s = 600.0;
    let mut w = World::new(&s).unwrap();
    w.advance_to(SimTime::from_secs_f64(12.0 * 3600.0));
    let half = w.footprint();
    w.advance_to(SimTime::from_secs_f64(24.0 * 3600.0));
    let full = w.footprint();
    assert!(w.totals.ended > 1_000_000);
    assert_eq!(w.check_invariants(), Ok(()));
    assert_eq!(full.traces, foobar_sim::world::TRACE_RING);
    assert_eq!(full.log, foobar_sim::world::LOG_RING);
    assert!(full.transitions <= foobar_sim::world::TRANSITION_RING);
    assert_eq!(full.series_seconds, foobar_sim::metrics::SERIES_SECONDS);
    assert!(full.binlog <= foobar_sim::mysql::BINLOG_CAP);
    assert!(full.relay <= foobar_sim::mysql::RELAY_CAP);
    assert!(full.request_slots < 5_000, "{full:?}");
    assert!(full.tails < 1_000, "{full:?}");
    assert!(full.alerts <= 500);
    // Nothing grew between the 12th and the 24th hour beyond the caps it had reached.
    assert!(
        full.request_slots <= half.request_slots.max(1_000),
        "{half:?} → {full:?}"
    );
    assert!(
        full.queued_events <= half.queued_events * 2 + 1_000,
        "{half:?} → {full:?}"
    );
}

/// The busiest run the page offers (5,000 requests/s on eight web hosts, classroom timing),
/// as the page runs it: its requests in flight, the page's lists of them and the time-travel
/// checkpoints level off instead of growing with time.
#[test]
fn the_page_at_its_busiest_keeps_memory_flat() {
    use foobar_sim::lab::{Lab, CHECKPOINT_SLOTS};
    use foobar_sim::scenario::{Preset, TimingPreset};
    let mut s = Scenario::preset(Preset::ThreeServer);
    s.traffic.rate = 5000.0;
    s.topology.web_hosts = 8;
    s.timing.preset = TimingPreset::Classroom;
    let mut lab = Lab::new(&s).unwrap();
    let at = |lab: &mut Lab, secs: f64| {
        lab.advance_to(SimTime::from_secs_f64(secs));
        (lab.world().footprint(), lab.world().listed())
    };
    let (half, _) = at(&mut lab, 90.0);
    let (full, listed) = at(&mut lab, 180.0);
    assert_eq!(lab.world().check_invariants(), Ok(()));
    assert!(full.request_slots < 100_000, "{full:?}");
    assert!(
        full.request_slots <= half.request_slots + half.request_slots / 50,
        "{half:?} → {full:?}"
    );
    assert!(
        full.queued_events <= half.queued_events * 11 / 10,
        "{half:?} → {full:?}"
    );
    assert!(listed < 10_000, "{listed} listed");
    assert!(lab.checkpoint_count() >= 3);
    // The checkpoints hold at most their budget besides the one at the start.
    assert!(lab.checkpoint_slots() <= CHECKPOINT_SLOTS + full.request_slots);
    // A jump back half a minute replays about a minute at most, not the run from its start.
    let per_s = lab.world().events / 180;
    lab.seek(SimTime::from_secs_f64(150.0));
    assert!(
        lab.last_replay_events() < per_s * 70,
        "{} events replayed ({per_s} a second)",
        lab.last_replay_events()
    );
}
