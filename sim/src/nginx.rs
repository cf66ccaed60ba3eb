//! Nginx on a web host, as a request meets it: its connection to the app, where a SYN the
//! app's full listen backlog dropped is resent after 1, 2, 4 … s until
//! `proxy_connect_timeout`, and its wait for the app's answer (`proxy_read_timeout`).
//!
//! It knows nothing of requests or the network: the world says what Nginx met, and asks here
//! when Nginx tries again, when it gives up, and whether its read timeout can matter at all.

use crate::time::{SimTime, SEC};

/// Nginx's `proxy_connect_timeout` default.
pub const PROXY_CONNECT_TIMEOUT_US: u64 = 60 * SEC;

/// When Nginx, which first tried to reach the app at `first`, sends its next SYN after
/// `dropped` of them were dropped at `now`: Linux's TCP doubles its wait from 1 s (up to
/// 64 s), and Nginx stops at `proxy_connect_timeout` (the SYN then is due when it gives up).
#[inline]
pub fn next_syn(first: SimTime, dropped: u8, now: SimTime) -> SimTime {
    (now + (SEC << dropped.min(6))).min(first + PROXY_CONNECT_TIMEOUT_US)
}

/// What Nginx does when its next SYN to the app is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SynDue {
    /// It sends the SYN.
    Send,
    /// `proxy_connect_timeout` has run out: it answers 504 instead.
    GiveUp,
}

/// Nginx's next SYN, to an app it first tried at `first`, is due at `now`.
#[inline]
pub fn syn_due(first: SimTime, now: SimTime) -> SynDue {
    if now >= first + PROXY_CONNECT_TIMEOUT_US {
        SynDue::GiveUp
    } else {
        SynDue::Send
    }
}

/// Whether Nginx's `proxy_read_timeout` (`read_timeout`, µs) can end a request: always
/// without a load balancer; behind HAProxy only if it is shorter than HAProxy's
/// `timeout server` (`lb_timeout_server`), which otherwise answers the user first.
#[inline]
pub fn read_timeout_matters(read_timeout: u64, lb_timeout_server: Option<u64>) -> bool {
    lb_timeout_server.is_none_or(|server| read_timeout < server)
}

/// When Nginx stops waiting for an app it handed the request to at `handed_over` and that
/// has not answered (`read_timeout`: `proxy_read_timeout`, µs); not before `now`.
#[inline]
pub fn read_timeout_at(handed_over: SimTime, read_timeout: u64, now: SimTime) -> SimTime {
    (handed_over + read_timeout).max(now)
}

#[cfg(test)]
mod tests;
