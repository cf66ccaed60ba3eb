//! The page takes a snapshot every frame: once its buffers are warm, `snapshot_into` must
//! allocate nothing (docs/architecture.md, "Read model"). A counting allocator, in a test
//! file of its own so it counts for no other test.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use common::shipped;
use foobar_sim::time::MS;
use foobar_sim::{Lab, SimTime, Snapshot};

struct Counting;

thread_local! {
    // Per thread: the test harness's other threads may allocate meanwhile.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// Frames of 16 ms, as the page's animation loop runs them, with a snapshot after each: the
/// allocations the snapshots made, and the most requests in flight one of them held.
fn frames(lab: &mut Lab, snap: &mut Snapshot, n: u32) -> (u64, usize) {
    let (mut during, mut most) = (0, 0);
    for _ in 0..n {
        lab.advance_to(SimTime(lab.now().0 + 16 * MS));
        let before = allocations();
        lab.snapshot_into(snap);
        during += allocations() - before;
        most = most.max(snap.flights.len());
    }
    (during, most)
}

/// Every scenario with something moving in each part the snapshot reads: servers, databases
/// with replication, keepalived, requests in flight.
#[test]
fn a_warm_snapshot_allocates_nothing() {
    for name in [
        "three-server",
        "lb-pair-failover",
        "secured-monitored",
        "replica-lag",
    ] {
        let mut lab = Lab::new(&shipped(name)).unwrap();
        let mut snap = Snapshot::default();
        frames(&mut lab, &mut snap, 60 * 60);
        let (during, most) = frames(&mut lab, &mut snap, 10 * 60);
        assert!(most > 0, "{name}: requests in flight");
        assert!(!snap.servers.is_empty() && !snap.dbs.is_empty(), "{name}");
        assert_eq!(during, 0, "{name}: allocations in 600 warm snapshots");
    }
}
