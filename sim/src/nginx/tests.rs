//! Nginx's connection to the app and its read timeout, alone: no world, no network.

use super::*;

/// When Nginx sends its SYNs to an app whose backlog drops every one, first at `first`, and
/// last when it gives up.
fn syns_to_a_full_backlog(first: SimTime) -> Vec<u64> {
    let mut sent = vec![first.0];
    let mut now = first;
    for dropped in 0..u8::MAX {
        let next = next_syn(first, dropped, now);
        if syn_due(first, next) == SynDue::GiveUp {
            sent.push(next.0);
            break;
        }
        sent.push(next.0);
        now = next;
    }
    sent
}

#[test]
fn a_syn_to_a_full_backlog_is_resent_after_1_2_4_s_until_60_s() {
    let t0 = SimTime(3 * SEC);
    let secs: Vec<u64> = syns_to_a_full_backlog(t0)
        .iter()
        .map(|t| (t - t0.0) / SEC)
        .collect();
    // SYNs at 0, 1, 3, 7, 15, 31 s; the next would be at 63 s: Nginx gives up at 60 s.
    assert_eq!(secs, [0, 1, 3, 7, 15, 31, 60]);
}

#[test]
fn nginx_gives_up_exactly_at_proxy_connect_timeout() {
    let first = SimTime(SEC);
    assert_eq!(syn_due(first, SimTime(61 * SEC - 1)), SynDue::Send);
    assert_eq!(syn_due(first, SimTime(61 * SEC)), SynDue::GiveUp);
}

#[test]
fn without_a_load_balancer_the_read_timeout_always_matters() {
    assert!(read_timeout_matters(60 * SEC, None));
    assert!(read_timeout_matters(1, None));
}

#[test]
fn behind_haproxy_only_a_read_timeout_shorter_than_timeout_server_matters() {
    assert!(read_timeout_matters(10 * SEC, Some(30 * SEC)));
    assert!(!read_timeout_matters(30 * SEC, Some(30 * SEC)));
    assert!(!read_timeout_matters(60 * SEC, Some(30 * SEC)));
}

#[test]
fn nginx_waits_proxy_read_timeout_from_the_hand_over() {
    let handed = SimTime(2 * SEC);
    assert_eq!(
        read_timeout_at(handed, 60 * SEC, SimTime(5 * SEC)),
        SimTime(62 * SEC)
    );
    // An app found hung after the timeout ran out: Nginx answers now.
    assert_eq!(
        read_timeout_at(handed, 60 * SEC, SimTime(70 * SEC)),
        SimTime(70 * SEC)
    );
}
