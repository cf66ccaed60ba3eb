//! One app server's workers and backlog, alone: requests are bare slot numbers, no world.

use super::*;

fn backlog(p: &AppPool) -> Vec<u32> {
    p.backlog.iter().copied().collect()
}

/// A pool of `workers`, every one busy, with `waiting` requests 100, 101, … backlogged.
fn full_pool(workers: u32, waiting: u32) -> AppPool {
    let mut p = AppPool::new(workers);
    for id in 0..workers {
        assert_eq!(p.accept(id), Accept::Worker);
    }
    for id in 100..100 + waiting {
        assert_eq!(p.accept(id), Accept::Backlog);
    }
    p
}

#[test]
fn a_free_worker_takes_the_connection() {
    let mut p = AppPool::new(2);
    assert_eq!(p.accept(7), Accept::Worker);
    assert_eq!(p.busy, 1);
    assert_eq!(p.accept(8), Accept::Worker);
    assert_eq!(p.busy, 2);
    assert_eq!(p.waiting(), 0);
    assert!(!p.saturated());
}

#[test]
fn with_every_worker_busy_the_connection_waits_in_the_backlog() {
    let mut p = full_pool(2, 0);
    assert_eq!(p.accept(5), Accept::Backlog);
    assert_eq!(p.accept(6), Accept::Backlog);
    assert_eq!(p.busy, 2);
    assert_eq!(backlog(&p), [5, 6]);
    assert!(p.saturated());
}

#[test]
fn a_full_backlog_drops_the_syn_and_queues_nothing() {
    let mut p = full_pool(1, APP_BACKLOG as u32);
    assert_eq!(p.waiting(), APP_BACKLOG);
    assert_eq!(p.accept(9), Accept::BacklogFull);
    assert_eq!(p.waiting(), APP_BACKLOG);
    assert_eq!(p.busy, 1);
    // One place freed: the next SYN gets it, and the one after is dropped again.
    assert!(p.leave_backlog(100));
    assert_eq!(p.accept(9), Accept::Backlog);
    assert_eq!(p.accept(10), Accept::BacklogFull);
    // Linux looks only at the queue: a worker free meanwhile does not take the SYN.
    p.free_worker();
    assert_eq!(p.accept(10), Accept::BacklogFull);
    assert_eq!(p.busy, 0);
}

#[test]
fn a_freed_worker_takes_the_oldest_backlogged_request() {
    let mut p = full_pool(2, 3);
    // Every worker busy: nobody takes from the backlog.
    assert_eq!(p.take_next(), None);
    p.free_worker();
    assert_eq!(p.take_next(), Some(100));
    assert_eq!(p.take_next(), None);
    assert_eq!(p.busy, 2);
    p.free_worker();
    p.free_worker();
    assert_eq!(p.take_next(), Some(101));
    assert_eq!(p.take_next(), Some(102));
    assert_eq!(p.take_next(), None);
    assert_eq!(p.busy, 2);
    assert_eq!(p.waiting(), 0);
    // An idle worker with nothing waiting stays idle.
    p.free_worker();
    assert_eq!(p.take_next(), None);
    assert_eq!(p.busy, 1);
}

#[test]
fn freeing_a_worker_when_none_is_busy_leaves_none_busy() {
    let mut p = AppPool::new(1);
    p.free_worker();
    assert_eq!(p.busy, 0);
}

#[test]
fn a_request_leaves_the_middle_of_the_backlog_and_the_rest_keep_their_order() {
    let mut p = full_pool(1, 4);
    assert!(p.leave_backlog(102));
    assert_eq!(backlog(&p), [100, 101, 103]);
    assert!(!p.leave_backlog(102), "it is no longer there");
    assert!(
        !p.leave_backlog(0),
        "a request on a worker is not in the backlog"
    );
    p.free_worker();
    assert_eq!(p.take_next(), Some(100));
}

#[test]
fn a_crash_empties_the_pool_and_keeps_its_worker_count_and_its_queued_watch() {
    let mut p = full_pool(3, 5);
    assert_eq!(p.watch_timer(10), BacklogTimer::ArmWatch);
    p.crash();
    assert_eq!(p.busy, 0);
    assert_eq!(p.waiting(), 0);
    assert_eq!(p.workers, 3);
    assert_eq!(p.last_key, 0);
    assert_eq!(p.skip, 0);
    // The watch event queued before the crash still comes: the pool still knows its key.
    assert_eq!(p.watch, Some(10));
    // Restarted, it takes connections as a fresh pool does.
    for id in 1..=3 {
        assert_eq!(p.accept(id), Accept::Worker);
    }
    assert_eq!(p.accept(4), Accept::Backlog);
    // A new timer is left to that watch, which runs no timer early when it comes: it aims
    // at the first one left.
    assert_eq!(p.watch_timer(20), BacklogTimer::Watched);
    let came = p.watch_came(|id| if id == 4 { 20 } else { 0 });
    assert_eq!(came.due, None);
    assert_eq!(came.next, Some(20));
}

#[test]
fn more_workers_take_from_the_backlog_and_fewer_let_the_busy_finish() {
    let mut p = full_pool(2, 3);
    assert!(p.set_workers(4));
    assert_eq!(p.take_next(), Some(100));
    assert_eq!(p.take_next(), Some(101));
    assert_eq!(p.take_next(), None);
    assert_eq!(p.busy, 4);
    // Fewer: the busy ones carry on; nobody starts until busy is under the new count.
    assert!(!p.set_workers(1));
    assert_eq!(p.busy, 4);
    assert_eq!(p.accept(200), Accept::Backlog);
    p.free_worker();
    p.free_worker();
    p.free_worker();
    assert_eq!(p.take_next(), None);
    p.free_worker();
    assert_eq!(p.take_next(), Some(102));
    // The same count again is no growth.
    assert!(!p.set_workers(1));
}

#[test]
fn timers_in_rising_order_share_one_watch_and_an_earlier_one_is_queued_at_once() {
    let mut p = full_pool(1, 3);
    assert_eq!(p.watch_timer(10), BacklogTimer::ArmWatch);
    assert_eq!(p.watch, Some(10));
    assert_eq!(p.watch_timer(20), BacklogTimer::Watched);
    assert_eq!(p.watch_timer(20), BacklogTimer::Watched);
    assert_eq!(p.watch_timer(15), BacklogTimer::QueueNow);
    assert_eq!(p.last_key, 20);
    assert_eq!(p.watch, Some(10));
}

/// The keys requests 100, 101, … left to the watch, in backlog order (0: none).
fn keys(p: &AppPool, keys: &[u128]) -> impl Fn(u32) -> u128 {
    let ids = backlog(p);
    let keys = keys.to_vec();
    move |id| keys[ids.iter().position(|&x| x == id).unwrap()]
}

#[test]
fn the_watch_runs_the_timer_it_was_queued_for_and_moves_to_the_next() {
    let mut p = full_pool(1, 3);
    p.watch_timer(10);
    p.watch_timer(20);
    p.watch_timer(30);
    let came = p.watch_came(keys(&p, &[10, 20, 30]));
    assert_eq!(
        came,
        WatchCame {
            due: Some(100),
            next: Some(20)
        }
    );
    assert_eq!(p.watch, Some(20));
    // The watch event that finds no watch set does nothing.
    p.watch = None;
    assert_eq!(p.watch_came(keys(&p, &[0, 20, 30])), WatchCame::default());
}

#[test]
fn a_watch_whose_request_left_watches_the_first_timer_left() {
    let mut p = full_pool(1, 3);
    p.watch_timer(10);
    p.watch_timer(20);
    p.watch_timer(30);
    // Request 100 took a worker (its timer went with it).
    p.free_worker();
    assert_eq!(p.take_next(), Some(100));
    let came = p.watch_came(keys(&p, &[20, 30]));
    assert_eq!(
        came,
        WatchCame {
            due: None,
            next: Some(20)
        }
    );
    assert_eq!(p.watch, Some(20));
    // Every one left: the watch is not queued again.
    assert!(p.leave_backlog(101));
    assert!(p.leave_backlog(102));
    assert_eq!(p.watch_came(|_| unreachable!()), WatchCame::default());
    assert_eq!(p.watch, None);
}

#[test]
fn requests_without_a_timer_left_to_the_watch_are_skipped_once() {
    let mut p = full_pool(1, 4);
    p.watch_timer(30);
    let k = keys(&p, &[0, 0, 30, 0]);
    let came = p.watch_came(&k);
    assert_eq!(
        came,
        WatchCame {
            due: Some(102),
            next: None
        }
    );
    assert_eq!(p.skip, 2);
    // Leaving the backlog keeps the count of skipped requests at most what is there.
    p.free_worker();
    assert_eq!(p.take_next(), Some(100));
    assert_eq!(p.skip, 1);
    assert!(p.leave_backlog(101));
    assert_eq!(p.skip, 0);
}

/// The app's routing with `read_routing`, writes to the primary and no read-your-writes.
fn routing(read_routing: ReadRouting) -> QueryRouting {
    QueryRouting {
        writes_to: WritesTo::Primary,
        read_routing,
        read_your_writes: ReadYourWrites::Off,
        ryw_window_us: 0,
    }
}

const READ: Query = Query {
    write: false,
    force_primary: false,
    last_write_at: None,
};
const WRITE: Query = Query {
    write: true,
    ..READ
};

// Servers by index: 0 the primary, 1 the replica on the app's host, 2 another replica.
const NOW: SimTime = SimTime(100_000_000);

fn route(
    r: &QueryRouting,
    q: Query,
    local: Option<usize>,
    local_is_replica: bool,
) -> Option<usize> {
    r.route(q, NOW, Some(0), local, |_| local_is_replica, || Some(2))
}

#[test]
fn writes_go_to_the_primary_whatever_the_read_routing() {
    for rr in [
        ReadRouting::Primary,
        ReadRouting::Replica,
        ReadRouting::Local,
    ] {
        assert_eq!(route(&routing(rr), WRITE, Some(1), true), Some(0));
    }
}

#[test]
fn an_app_misconfigured_to_write_locally_writes_to_the_mysql_on_its_host() {
    let mut r = routing(ReadRouting::Primary);
    r.writes_to = WritesTo::Local;
    assert_eq!(route(&r, WRITE, Some(1), true), Some(1));
    // No MySQL on its host: the primary.
    assert_eq!(route(&r, WRITE, None, false), Some(0));
}

#[test]
fn reads_go_where_read_routing_says() {
    assert_eq!(
        route(&routing(ReadRouting::Primary), READ, Some(1), true),
        Some(0)
    );
    assert_eq!(
        route(&routing(ReadRouting::Local), READ, Some(1), true),
        Some(1)
    );
    assert_eq!(
        route(&routing(ReadRouting::Replica), READ, Some(1), true),
        Some(1)
    );
}

#[test]
fn without_a_local_replica_reads_stick_to_the_users_replica() {
    // `local`: the host has no MySQL; `replica`: the local one is the primary now.
    assert_eq!(
        route(&routing(ReadRouting::Local), READ, None, false),
        Some(2)
    );
    assert_eq!(
        route(&routing(ReadRouting::Replica), READ, Some(1), false),
        Some(2)
    );
    // No replica at all: the primary.
    let r = routing(ReadRouting::Replica);
    assert_eq!(
        r.route(READ, NOW, Some(0), None, |_| false, || None),
        Some(0)
    );
}

#[test]
fn a_read_that_gave_up_waiting_for_a_replica_reads_the_primary() {
    let q = Query {
        force_primary: true,
        ..READ
    };
    assert_eq!(
        route(&routing(ReadRouting::Replica), q, Some(1), true),
        Some(0)
    );
}

#[test]
fn after_a_write_the_users_reads_go_to_the_primary_for_the_window() {
    let mut r = routing(ReadRouting::Replica);
    r.read_your_writes = ReadYourWrites::PrimaryWindow;
    r.ryw_window_us = 2_000_000;
    let wrote = |ago: u64| Query {
        last_write_at: Some(SimTime(NOW.0 - ago)),
        ..READ
    };
    assert_eq!(route(&r, wrote(1_999_999), Some(1), true), Some(0));
    assert_eq!(route(&r, wrote(2_000_000), Some(1), true), Some(1));
    assert_eq!(route(&r, READ, Some(1), true), Some(1));
    // Waiting for the GTID instead: the read goes to the replica (which then waits).
    r.read_your_writes = ReadYourWrites::WaitGtid;
    assert_eq!(route(&r, wrote(1), Some(1), true), Some(1));
}
