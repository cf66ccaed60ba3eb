//! The resolver and the browsers' cached answers, alone: no world, no network.

use super::*;

#[test]
fn the_resolver_asks_twice_then_gives_up() {
    assert_eq!(unanswered(1), Unanswered::AskAgain);
    assert_eq!(unanswered(2), Unanswered::GiveUp);
    assert_eq!(unanswered(3), Unanswered::GiveUp);
}

#[test]
fn a_lookup_without_answers_fails_after_ten_seconds() {
    // Two queries, each waited for 5 s.
    let first = SimTime::ZERO;
    let second = wait_ends(first, first);
    assert_eq!(second, SimTime(5 * SEC));
    assert_eq!(unanswered(1), Unanswered::AskAgain);
    assert_eq!(wait_ends(second, second), SimTime(10 * SEC));
    assert_eq!(unanswered(2), Unanswered::GiveUp);
}

#[test]
fn a_lost_answer_is_noticed_when_the_query_wait_runs_out() {
    let sent = SimTime(1_000_000);
    // The answer is lost 30 ms after the query left: the resolver waits out its 5 s.
    assert_eq!(wait_ends(sent, SimTime(1_030_000)), SimTime(6_000_000));
    // Lost after the wait already ran out: the resolver notices now.
    assert_eq!(wait_ends(sent, SimTime(7_000_000)), SimTime(7_000_000));
}

#[test]
fn a_cached_answer_is_used_until_its_ttl_runs_out() {
    let c = answer(SimTime(2 * SEC), 60 * SEC, 1, 0);
    assert_eq!(c.expiry, SimTime(62 * SEC));
    assert!(c.is_fresh(SimTime(2 * SEC)));
    assert!(c.is_fresh(SimTime(62 * SEC - 1)));
    assert!(!c.is_fresh(SimTime(62 * SEC)));
}

#[test]
fn a_browser_that_never_resolved_asks_the_dns() {
    assert!(!Cached::default().is_fresh(SimTime::ZERO));
    assert!(!Cached::default().is_fresh(SimTime(SEC)));
}

#[test]
fn two_a_records_are_handed_out_in_turn() {
    let records: Vec<u8> = (0..5)
        .map(|turn| answer(SimTime::ZERO, SEC, 2, turn).record)
        .collect();
    assert_eq!(records, [0, 1, 0, 1, 0]);
}

#[test]
fn one_a_record_is_always_the_first() {
    for turn in 0..4 {
        assert_eq!(answer(SimTime::ZERO, SEC, 1, turn).record, 0);
        // No load balancer at all: still the one address (web-01).
        assert_eq!(answer(SimTime::ZERO, SEC, 0, turn).record, 0);
    }
}

#[test]
fn a_cached_record_names_an_existing_load_balancer() {
    let c = Cached {
        expiry: SimTime(SEC),
        record: 1,
    };
    assert_eq!(c.lb(2), 1);
    // One load balancer left in the design: the record beyond it means lb-01.
    assert_eq!(c.lb(1), 0);
}

#[test]
fn a_refused_browser_tries_the_other_address_once() {
    assert!(tries_other_address(2, false));
    assert!(!tries_other_address(2, true));
    assert!(!tries_other_address(1, false));
    assert_eq!(other_address(0, 2), 1);
    assert_eq!(other_address(1, 2), 0);
}
