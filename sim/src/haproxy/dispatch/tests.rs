//! One load balancer's slots and queues, alone: requests are bare slot numbers, no world.

use super::*;
use crate::haproxy::{AdminState, Balancer};
use crate::scenario::{Balance, HashType, Scenario};
use crate::topology::NodeId;

/// lb-01 with three servers, roundrobin, each at most `maxconn` connections and `maxqueue`
/// queued (0: no limit).
fn lb(maxconn: u32, maxqueue: u32) -> Lb {
    let h = Scenario::three_server().haproxy;
    let servers = (0..3)
        .map(|i| {
            let mut s = Server::from_spec(format!("web-0{}", i + 1), NodeId(i), NodeId(i), &h);
            s.maxconn = maxconn;
            s.maxqueue = maxqueue;
            s
        })
        .collect();
    let balancer = Balancer::new(Balance::Roundrobin, HashType::MapBased, &[1, 1, 1]);
    Lb::new(NodeId(9), NodeId(9), "lb-01".into(), servers, balancer)
}

fn queue(q: &std::collections::VecDeque<u32>) -> Vec<u32> {
    q.iter().copied().collect()
}

#[test]
fn a_server_under_maxconn_gives_a_slot_and_one_at_maxconn_queues_the_request() {
    let mut lb = lb(2, 0);
    assert_eq!(lb.admit(1, 0), Admit::Slot);
    assert_eq!(lb.admit(2, 0), Admit::Slot);
    assert_eq!(lb.admit(3, 0), Admit::Queued);
    assert_eq!(lb.admit(4, 0), Admit::Queued);
    assert_eq!(lb.servers[0].scur, 2);
    assert_eq!(queue(&lb.servers[0].queue), [3, 4]);
    assert!(lb.queue.is_empty());
}

#[test]
fn maxconn_0_never_queues() {
    let mut lb = lb(0, 0);
    for id in 0..100 {
        assert_eq!(lb.admit(id, 1), Admit::Slot);
    }
    assert_eq!(lb.servers[1].scur, 100);
}

#[test]
fn a_server_queue_at_maxqueue_refuses_the_request_without_queueing_it() {
    let mut lb = lb(1, 2);
    assert_eq!(lb.admit(1, 0), Admit::Slot);
    assert_eq!(lb.admit(2, 0), Admit::Queued);
    assert_eq!(lb.admit(3, 0), Admit::Queued);
    assert_eq!(lb.admit(4, 0), Admit::QueueFull);
    assert_eq!(queue(&lb.servers[0].queue), [2, 3]);
    assert_eq!(lb.servers[0].scur, 1);
    // Another server's queue is its own.
    assert_eq!(lb.admit(5, 1), Admit::Slot);
    assert_eq!(lb.admit(6, 1), Admit::Queued);
}

#[test]
fn a_freed_slot_takes_the_servers_own_queue_before_the_backends() {
    let mut lb = lb(1, 0);
    assert_eq!(lb.admit(1, 0), Admit::Slot);
    assert_eq!(lb.admit(2, 0), Admit::Queued);
    lb.queue_in_backend(3);
    assert_eq!(lb.release_slot(0), Some(2));
    assert_eq!(lb.servers[0].scur, 1);
    assert_eq!(lb.release_slot(0), Some(3));
    assert_eq!(lb.servers[0].scur, 1);
    assert_eq!(lb.release_slot(0), None);
    assert_eq!(lb.servers[0].scur, 0);
}

#[test]
fn a_freed_slot_takes_the_backend_queue_only_if_the_server_takes_balanced_traffic() {
    // DRAIN: its own queue still, the backend's no.
    let mut lb = lb(1, 0);
    lb.admit(1, 0);
    lb.admit(2, 0);
    lb.queue_in_backend(3);
    lb.servers[0].admin = AdminState::Drain;
    assert_eq!(lb.release_slot(0), Some(2));
    assert_eq!(lb.release_slot(0), None);
    assert_eq!(queue(&lb.queue), [3]);
    assert_eq!(lb.servers[0].scur, 0);

    // DOWN: nothing, not even its own queue.
    let mut lb = self::lb(1, 0);
    lb.admit(1, 0);
    lb.admit(2, 0);
    lb.queue_in_backend(3);
    lb.servers[0].check.health.mark_down();
    assert_eq!(lb.release_slot(0), None);
    assert_eq!(queue(&lb.servers[0].queue), [2]);
    assert_eq!(queue(&lb.queue), [3]);

    // MAINT: nothing either.
    let mut lb = self::lb(1, 0);
    lb.admit(1, 0);
    lb.admit(2, 0);
    lb.servers[0].admin = AdminState::Maint;
    assert_eq!(lb.release_slot(0), None);
    assert_eq!(queue(&lb.servers[0].queue), [2]);
}

#[test]
fn a_freed_slot_on_a_server_still_at_maxconn_takes_nobody() {
    let mut lb = lb(3, 0);
    for id in 1..=3 {
        lb.admit(id, 0);
    }
    lb.admit(4, 0);
    // maxconn lowered live below the connections it holds.
    lb.servers[0].maxconn = 1;
    assert_eq!(lb.release_slot(0), None);
    assert_eq!(lb.release_slot(0), None);
    assert_eq!(lb.release_slot(0), Some(4));
    assert_eq!(lb.servers[0].scur, 1);
}

#[test]
fn unqueue_finds_a_request_in_the_backend_queue_or_any_servers() {
    let mut lb = lb(1, 0);
    for srv in 0..3 {
        lb.admit(10 + srv as u32, srv);
        lb.admit(20 + srv as u32, srv);
        lb.admit(30 + srv as u32, srv);
    }
    lb.queue_in_backend(40);
    lb.queue_in_backend(41);
    assert!(lb.unqueue(41));
    assert_eq!(queue(&lb.queue), [40]);
    assert!(lb.unqueue(21));
    assert_eq!(queue(&lb.servers[1].queue), [31]);
    assert!(lb.unqueue(32));
    assert_eq!(queue(&lb.servers[2].queue), [22]);
    // Holding a slot is not waiting.
    assert!(!lb.unqueue(10));
    assert!(!lb.unqueue(41));
}

#[test]
fn stats_count_requests_sent_peak_connections_and_longest_queue() {
    let mut lb = lb(2, 0);
    for id in 1..=5 {
        lb.admit(id, 0);
    }
    let st = lb.servers[0].stats;
    assert_eq!((st.stot, st.smax, st.qmax), (2, 2, 3));
    // Queued requests count as sent when they get their slot; the peaks stay.
    lb.release_slot(0);
    lb.release_slot(0);
    lb.release_slot(0);
    lb.release_slot(0);
    let st = lb.servers[0].stats;
    assert_eq!((st.stot, st.smax, st.qmax), (5, 2, 3));
    assert_eq!(lb.servers[0].scur, 1);
    // The backend queue is no server's.
    lb.queue_in_backend(6);
    assert_eq!(lb.servers[0].stats.qmax, 3);
    assert_eq!(lb.servers[1].stats.qmax, 0);
}

#[test]
fn answers_are_counted_by_class() {
    let mut s = lb(0, 0).servers.remove(0);
    for code in [200, 204, 301, 404, 500, 503, 504] {
        s.count_answer(code);
    }
    let st = s.stats;
    assert_eq!((st.served, st.hrsp_2xx, st.hrsp_5xx), (7, 2, 3));
}

#[test]
fn servers_with_room_take_the_backend_queue_in_order() {
    let mut lb = lb(2, 0);
    lb.admit(1, 0);
    lb.admit(2, 1);
    lb.admit(3, 1);
    for id in 10..15 {
        lb.queue_in_backend(id);
    }
    // web-01 has one slot, web-02 none, web-03 two.
    assert_eq!(lb.serve_backend_queue(), [(10, 0), (11, 2), (12, 2)]);
    assert_eq!(queue(&lb.queue), [13, 14]);
    assert_eq!(
        lb.servers.iter().map(|s| s.scur).collect::<Vec<_>>(),
        [2, 2, 2]
    );
}

#[test]
fn serving_the_backend_queue_skips_servers_not_taking_balanced_traffic() {
    let mut lb = lb(1, 0);
    lb.servers[0].admin = AdminState::Drain;
    lb.servers[1].check.health.mark_down();
    lb.queue_in_backend(10);
    lb.queue_in_backend(11);
    assert_eq!(lb.serve_backend_queue(), [(10, 2)]);
    assert_eq!(queue(&lb.queue), [11]);
}

#[test]
fn a_server_with_its_own_queue_serves_one_of_those_and_nothing_from_the_backend() {
    let mut lb = lb(2, 0);
    lb.admit(1, 0);
    lb.admit(2, 0);
    lb.admit(3, 0);
    lb.admit(4, 0);
    lb.servers[0].check.health.mark_down();
    // Down, its slots are given back but nobody takes them.
    assert_eq!(lb.release_slot(0), None);
    assert_eq!(lb.release_slot(0), None);
    lb.servers[0].check.health = crate::haproxy::Health::fully_up(2, 3);
    lb.servers[1].maxconn = 0;
    lb.queue_in_backend(10);
    assert_eq!(lb.serve_backend_queue(), [(3, 0), (10, 1)]);
    assert_eq!(queue(&lb.servers[0].queue), [4]);
}

#[test]
fn requests_queued_on_a_server_that_will_not_take_them_join_the_back_of_the_backend_queue() {
    let mut lb = lb(1, 0);
    lb.admit(1, 0);
    lb.admit(2, 0);
    lb.admit(3, 0);
    lb.queue_in_backend(10);
    lb.requeue_in_backend(0);
    assert!(lb.servers[0].queue.is_empty());
    assert_eq!(queue(&lb.queue), [10, 2, 3]);
}

#[test]
fn with_no_server_left_every_queued_request_is_taken_the_backends_first() {
    let mut lb = lb(1, 0);
    lb.admit(1, 0);
    lb.admit(2, 0);
    lb.admit(3, 2);
    lb.admit(4, 2);
    lb.queue_in_backend(10);
    assert_eq!(lb.take_all_queued(), [10, 2, 4]);
    assert!(lb.queue.is_empty() && lb.servers.iter().all(|s| s.queue.is_empty()));
}

#[test]
fn a_cookie_holds_its_server_while_it_is_up_and_not_in_maint() {
    let mut lb = lb(0, 0);
    assert_eq!(lb.by_cookie(1), Some(1));
    assert_eq!(lb.by_cookie(3), None);
    lb.servers[1].admin = AdminState::Drain;
    assert_eq!(lb.by_cookie(1), Some(1));
    lb.servers[1].admin = AdminState::Maint;
    assert_eq!(lb.by_cookie(1), None);
    lb.servers[2].check.health.mark_down();
    assert_eq!(lb.by_cookie(2), None);
}

#[test]
fn a_retry_goes_elsewhere_from_a_down_server_on_the_last_try_or_when_free_to() {
    let mut lb = lb(0, 0);
    // Free to: no cookie, several active servers, no hash.
    assert!(lb.retries_elsewhere(0, false, false));
    // A cookie keeps it, unless the server is DOWN or this is the last retry.
    assert!(!lb.retries_elsewhere(0, false, true));
    assert!(lb.retries_elsewhere(0, true, true));
    lb.servers[0].check.health.mark_down();
    assert!(lb.retries_elsewhere(0, false, true));
    // One active server left: it stays.
    lb.servers[2].admin = AdminState::Maint;
    assert!(!lb.retries_elsewhere(1, false, false));
    // A hash maps the client to its server.
    let mut lb = self::lb(0, 0);
    lb.set_balance(Balance::Source, HashType::MapBased);
    assert!(!lb.retries_elsewhere(0, false, false));
}

#[test]
fn a_redispatched_request_counts_on_the_server_it_leaves_and_holds_a_slot_on_the_next() {
    let mut lb = lb(0, 0);
    lb.admit(1, 0);
    assert_eq!(lb.release_slot(0), None);
    lb.redispatch(0, 2);
    assert_eq!(lb.servers[0].stats.wredis, 1);
    assert_eq!((lb.servers[0].scur, lb.servers[2].scur), (0, 1));
    assert_eq!(lb.servers[2].stats.stot, 1);
}

#[test]
fn a_failed_connection_is_retried_until_retries_are_used_up_then_answered_503() {
    let lb = lb(0, 0);
    // retries 3, no redispatch: the same server, three times, then a 503.
    for made in 0..3 {
        assert_eq!(
            lb.connect_failed(0, made, 3, false, false),
            ConnectFailed::Retry
        );
    }
    assert_eq!(
        lb.connect_failed(0, 3, 3, false, false),
        ConnectFailed::GiveUp
    );
    // retries 0: the first failure is answered.
    assert_eq!(
        lb.connect_failed(0, 0, 0, true, false),
        ConnectFailed::GiveUp
    );
}

#[test]
fn with_redispatch_a_cookie_keeps_the_retries_on_its_server_until_the_last_one() {
    let lb = lb(0, 0);
    // Free to move: the first retry already goes elsewhere.
    assert_eq!(
        lb.connect_failed(0, 0, 3, true, false),
        ConnectFailed::Redispatch
    );
    // Held by a cookie: the same server, but the last retry goes elsewhere.
    assert_eq!(lb.connect_failed(0, 0, 3, true, true), ConnectFailed::Retry);
    assert_eq!(lb.connect_failed(0, 1, 3, true, true), ConnectFailed::Retry);
    assert_eq!(
        lb.connect_failed(0, 2, 3, true, true),
        ConnectFailed::Redispatch
    );
}

#[test]
fn the_same_server_is_retried_after_the_turnaround_timer_unless_the_attempt_timed_out() {
    use crate::time::SEC;
    // An error (refused): min(timeout connect, 1 s).
    assert_eq!(turnaround(false, 5 * SEC), SEC);
    assert_eq!(turnaround(false, SEC / 2), SEC / 2);
    // A timeout already waited `timeout connect`: at once.
    assert_eq!(turnaround(true, 5 * SEC), 0);
}
