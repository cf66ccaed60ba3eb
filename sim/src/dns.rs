//! DNS as a user's browser meets it: glibc's stub resolver asking for www.foobar.com
//! (`timeout:5`, `attempts:2`), the DNS server handing out one A record per load balancer in
//! turn, and each browser's cached answer, kept until its TTL runs out.
//!
//! It knows nothing of requests or the network: the world sends the queries, says which came
//! back, and asks here what the resolver and the browser do next.

use crate::time::{SimTime, SEC};

/// The resolver waits this long for an answer to one query (glibc's `timeout:5`).
pub const RESOLVER_TIMEOUT_US: u64 = 5 * SEC;
/// Queries the resolver sends before it gives up (glibc's `attempts:2`): 10 s in all.
pub const RESOLVER_ATTEMPTS: u8 = 2;

/// What the resolver does when a query's wait runs out unanswered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unanswered {
    /// It sends the query again.
    AskAgain,
    /// It has sent `RESOLVER_ATTEMPTS` queries: the lookup fails.
    GiveUp,
}

/// The resolver, after `sent` queries of one lookup went unanswered.
#[inline]
pub fn unanswered(sent: u8) -> Unanswered {
    if sent < RESOLVER_ATTEMPTS {
        Unanswered::AskAgain
    } else {
        Unanswered::GiveUp
    }
}

/// When the resolver stops waiting for the query it sent at `sent_at` (not before `now`: an
/// answer lost on its way is noticed when the wait runs out, or at once if it already has).
#[inline]
pub fn wait_ends(sent_at: SimTime, now: SimTime) -> SimTime {
    (sent_at + RESOLVER_TIMEOUT_US).max(now)
}

/// A browser's cached answer: the A record it connects to until `expiry`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cached {
    /// When the TTL runs out (zero: never resolved).
    pub expiry: SimTime,
    /// Which of the A records (load balancers) it names.
    pub record: u8,
}

impl Cached {
    /// Whether the browser still uses this answer at `now` rather than asking again.
    #[inline]
    pub fn is_fresh(&self, now: SimTime) -> bool {
        self.expiry > now
    }

    /// The load balancer its A record names, of `lbs` (at least one).
    #[inline]
    pub fn lb(&self, lbs: usize) -> usize {
        (self.record as usize).min(lbs - 1)
    }
}

/// The DNS server's answer at `now`, cached for `ttl_us`: with several A records (`records`
/// load balancers), the first one in turn (`turn` counts the lookups so far).
#[inline]
pub fn answer(now: SimTime, ttl_us: u64, records: usize, turn: u64) -> Cached {
    let records = records.max(1) as u64;
    let record = if records > 1 {
        (turn % records) as u8
    } else {
        0
    };
    Cached {
        expiry: now + ttl_us,
        record,
    }
}

/// Whether a browser whose connection was refused tries another address: only with several
/// A records, and only once.
#[inline]
pub fn tries_other_address(records: usize, tried: bool) -> bool {
    records > 1 && !tried
}

/// The address a browser tries after a refusal: the next A record.
#[inline]
pub fn other_address(record: u8, records: usize) -> u8 {
    ((record as usize + 1) % records) as u8
}

#[cfg(test)]
mod tests;
