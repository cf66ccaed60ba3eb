//! Criterion benches of the core's speed (the goal: at least 10 M events/s natively; see
//! docs/performance.md).
//!
//! Each bench advances a warmed-up world through a stretch of simulated time and reports
//! throughput twice: as events (`World::events`) and as simulated requests that ended
//! (`totals.ended`). The run is deterministic, so every iteration does exactly the events an
//! untimed probe run counted first. `bench/run` runs these and reads criterion's estimates.
//!
//! The clock is the CPU time of the benchmark's thread, not wall-clock time: on the shared
//! two-core machines here, wall-clock time also counts the waits for a core that other builds
//! hold. On an idle machine the two agree.
//!
//!     cargo bench -p foobar-sim --bench world

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use foobar_sim::time::SEC;
use foobar_sim::{Scenario, SimTime, World};
use std::time::Duration;

/// Criterion's clock: the CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`).
struct ThreadCpuTime;

fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid, exclusive pointer.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Durations print as criterion prints wall-clock ones.
static DURATIONS: WallTime = WallTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = Duration;

    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> Duration {
        Duration::from_nanos(thread_cpu_ns() - start)
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, v: &Duration) -> f64 {
        v.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        DURATIONS.formatter()
    }
}

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
fn stretch(c: &mut Criterion<ThreadCpuTime>, name: &str, world: &World, span_s: u64) {
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
fn three_server(c: &mut Criterion<ThreadCpuTime>) {
    let world = warmed(THREE_SERVER, Some(1000.0), 5);
    stretch(c, "three-server-1000rps-10s", &world, 10);
}

/// The M/M/c scenario (one backend, 4 workers, 320 req/s): 60 simulated seconds.
fn mmc(c: &mut Criterion<ThreadCpuTime>) {
    let world = warmed(MMC, None, 5);
    stretch(c, "mmc-60s", &world, 60);
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = three_server, mmc
}
criterion_main!(benches);
