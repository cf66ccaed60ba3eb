//! Criterion benches of the core's speed (SPEC P1: at least 10 M events/s natively).
//!
//! Each bench advances a warmed-up world through a stretch of simulated time and reports
//! throughput twice: as events (`World::events`) and as simulated requests that ended
//! (`totals.ended`). The run is deterministic, so every iteration does exactly the events an
//! untimed probe run counted first. `bench/run` runs these and reads criterion's estimates.
//!
//!     cargo bench -p foobar-sim --bench world

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use foobar_sim::time::SEC;
use foobar_sim::{Scenario, SimTime, World};
use std::time::Duration;

const THREE_SERVER: &str = include_str!("../../scenarios/three-server.json");
const MMC: &str = include_str!("../../scenarios/mmc.json");

/// The scenario's world (at `rate` req/s if given) after `warm_s` simulated seconds, so that
/// the measured stretch runs in the steady state, with requests in flight.
fn warmed(json: &str, rate: Option<f64>, warm_s: u64) -> World {
    let mut scenario = Scenario::from_json(json).expect("a shipped scenario parses");
    if let Some(rate) = rate {
        scenario.traffic.rate = rate;
    }
    let mut world = World::new(&scenario).expect("a shipped scenario builds");
    world.advance_to(SimTime(warm_s * SEC));
    world
}

/// Benches advancing `world` by `span_s` simulated seconds, as events/s and requests/s.
fn stretch(c: &mut Criterion, name: &str, world: &World, span_s: u64) {
    let end = SimTime(world.now().0 + span_s * SEC);
    let mut probe = world.clone();
    probe.advance_to(end);
    let events = probe.events - world.events;
    let requests = probe.totals.ended - world.totals.ended;
    assert!(
        events > 0 && requests > 0,
        "{name}: the stretch does nothing"
    );

    let mut group = c.benchmark_group(name);
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for (unit, n) in [("events", events), ("requests", requests)] {
        group.throughput(Throughput::Elements(n));
        group.bench_function(unit, |b| {
            b.iter_batched(
                || world.clone(),
                |mut w| {
                    w.advance_to(end);
                    w
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

/// The three-server world (lb-01, web-01, web-02) at 1,000 req/s: 10 simulated seconds.
fn three_server(c: &mut Criterion) {
    let world = warmed(THREE_SERVER, Some(1000.0), 5);
    stretch(c, "three-server-1000rps-10s", &world, 10);
}

/// The M/M/c scenario (one backend, 4 workers, 320 req/s): 60 simulated seconds.
fn mmc(c: &mut Criterion) {
    let world = warmed(MMC, None, 5);
    stretch(c, "mmc-60s", &world, 60);
}

criterion_group!(benches, three_server, mmc);
criterion_main!(benches);
