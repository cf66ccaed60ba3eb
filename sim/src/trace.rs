//! Every request is traced: each hop with its times, the backend chosen and why, the
//! database node that answered, the outcome and whether a read was stale. Finished traces go
//! to a bounded ring, so memory stays flat; a running hash of all of them fingerprints the run,
//! the same natively and in WebAssembly.

use crate::json::names;
use crate::scenario::Balance;
use crate::time::SimTime;
use crate::topology::NodeId;
use serde::Serialize;

names! {
    pub enum ReqKind {
        Static = "static",
        Read = "read",
        Write = "write",
    }
}

/// The requests users make, by kind.
pub const STATIC_PATHS: [&str; 3] = [
    "GET /static/app.css",
    "GET /static/app.js",
    "GET /static/logo.png",
];
pub const READ_PATHS: [&str; 3] = ["GET /products", "GET /products/42", "GET /account"];
pub const WRITE_PATHS: [&str; 3] = ["POST /signup", "POST /login", "POST /cart"];

pub fn path_of(kind: ReqKind, index: u8) -> &'static str {
    let table = match kind {
        ReqKind::Static => &STATIC_PATHS,
        ReqKind::Read => &READ_PATHS,
        ReqKind::Write => &WRITE_PATHS,
    };
    table[index as usize % table.len()]
}

/// How a request ended, as the user saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Still under way.
    Pending,
    /// An HTTP status: 200, 500, 502, 503, 504.
    Http(u16),
    /// The name did not resolve (DNS down or unreachable).
    DnsError,
    /// The site's address refused the connection, or reset it mid-way.
    Refused,
    /// Nothing came back before the browser gave up.
    Timeout,
}

impl Outcome {
    pub fn is_ok(self) -> bool {
        matches!(self, Outcome::Http(s) if s < 400)
    }
}

/// Why a request failed, in the terms of the component that failed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    None,
    /// The resolver's queries went unanswered (the DNS server is gone or cut off): it gave up
    /// after `timeout:5` × `attempts:2`.
    DnsUnreachable,
    /// The DNS server's host answered ICMP port unreachable: no DNS server runs there.
    DnsRefused,
    LbRefused,
    LbUnreachable,
    /// HAProxy: no server is UP.
    NoServer,
    /// HAProxy: every connection attempt (and retry) failed.
    ConnectFailed,
    /// HAProxy: waited in the queue past `timeout queue`.
    QueueTimeout,
    /// HAProxy: the server died with the request on it.
    ServerReset,
    /// HAProxy: no response before `timeout server`.
    ServerTimeout,
    /// Nginx: the app server refused or died (502).
    AppDown,
    /// Nginx: the app took longer than `proxy_read_timeout` (504).
    AppTimeout,
    /// The app: the database refused or died.
    DbDown,
    /// The app: the database did not answer in time.
    DbTimeout,
    /// MySQL ERROR 1290: a write sent to a `read_only` replica.
    ReadOnly,
    /// The load balancer died with the request on it.
    LbReset,
}

/// One message crossing from one node to another; `t1` may lie ahead of now while in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Hop {
    pub from: NodeId,
    pub to: NodeId,
    pub t0: SimTime,
    pub t1: SimTime,
}

impl Hop {
    pub const ZERO: Hop = Hop {
        from: NodeId(0),
        to: NodeId(0),
        t0: SimTime::ZERO,
        t1: SimTime::ZERO,
    };
}

pub const MAX_HOPS: usize = 16;

/// A request's hops in order, kept inline (no allocation), at most `MAX_HOPS`; reads as a
/// slice.
#[derive(Clone, Copy)]
pub struct Hops {
    list: [Hop; MAX_HOPS],
    len: u8,
}

impl Hops {
    pub const EMPTY: Hops = Hops {
        list: [Hop::ZERO; MAX_HOPS],
        len: 0,
    };

    /// Adds a hop; `false` (and nothing kept) when already full.
    #[inline]
    pub fn push(&mut self, h: Hop) -> bool {
        let Some(slot) = self.list.get_mut(self.len as usize) else {
            return false;
        };
        *slot = h;
        self.len += 1;
        true
    }

    /// Adds a hop, or when full puts it in the last place: the latest hop is always there.
    pub fn push_or_replace_last(&mut self, h: Hop) {
        if !self.push(h) {
            self.list[MAX_HOPS - 1] = h;
        }
    }

    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Copies `other`'s hops (only as many as it has).
    #[inline]
    pub fn copy_from(&mut self, other: &Hops) {
        let n = other.len as usize;
        self.list[..n].copy_from_slice(&other.list[..n]);
        self.len = other.len;
    }
}

impl std::ops::Deref for Hops {
    type Target = [Hop];
    fn deref(&self) -> &[Hop] {
        &self.list[..self.len as usize]
    }
}

// Equality and printing see only the hops it holds, not the slots after them.
impl PartialEq for Hops {
    fn eq(&self, other: &Hops) -> bool {
        **self == **other
    }
}

impl Eq for Hops {}

impl std::fmt::Debug for Hops {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Hops {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// A request's record: finished (the ring keeps the latest), or so far (`World::journey`).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Trace {
    /// Sequential id over the whole run.
    pub id: u64,
    pub kind: ReqKind,
    pub path: &'static str,
    pub client_ip: u32,
    pub start: SimTime,
    pub end: SimTime,
    pub outcome: Outcome,
    pub cause: Cause,
    /// The web host that served it, and why HAProxy chose it.
    pub server: Option<NodeId>,
    pub reason: Option<Reason>,
    /// Connection attempts beyond the first, and whether one was redispatched.
    pub retries: u8,
    pub redispatched: bool,
    /// The MySQL node that answered its query.
    pub db: Option<NodeId>,
    pub stale: bool,
    /// A write's transaction id, once committed.
    pub gtid: Option<crate::mysql::Gtid>,
    /// Time spent waiting in queues (HAProxy's and the app's backlog).
    pub queue_wait_us: u64,
    /// Sent over HTTPS (the Internet leg is ciphertext).
    pub tls: bool,
    /// One the user sent by hand ("send one request").
    pub traced: bool,
    pub hops: Hops,
}

impl Trace {
    pub(crate) const BLANK: Trace = Trace {
        id: 0,
        kind: ReqKind::Static,
        path: "",
        client_ip: 0,
        start: SimTime::ZERO,
        end: SimTime::ZERO,
        outcome: Outcome::Pending,
        cause: Cause::None,
        server: None,
        reason: None,
        retries: 0,
        redispatched: false,
        db: None,
        stale: false,
        gtid: None,
        queue_wait_us: 0,
        tls: false,
        traced: false,
        hops: Hops::EMPTY,
    };
}

/// A bounded ring of the latest finished requests, each written in place.
#[derive(Debug, Clone)]
pub struct TraceRing {
    items: Vec<Trace>,
    next: usize,
    cap: usize,
}

impl TraceRing {
    pub fn new(cap: usize) -> TraceRing {
        TraceRing {
            items: Vec::with_capacity(cap.min(1024)),
            next: 0,
            cap: cap.max(1),
        }
    }

    /// The slot the next finished request is written into (the oldest, once full).
    #[inline]
    pub fn next_slot(&mut self) -> &mut Trace {
        let i = self.next;
        // A compare, not a division (`%`), on every finished request.
        self.next = if i + 1 == self.cap { 0 } else { i + 1 };
        if self.items.len() < self.cap {
            self.items.push(Trace::BLANK);
        }
        &mut self.items[i]
    }

    /// The traces, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Trace> {
        let n = self.items.len();
        let start = if n < self.cap { 0 } else { self.next };
        (0..n).map(move |i| &self.items[(start + i) % n])
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn find(&self, id: u64) -> Option<&Trace> {
        self.items.iter().find(|t| t.id == id)
    }
}

/// A fast, stable 64-bit running hash (not cryptographic): the run's fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunHash(pub u64);

impl Default for RunHash {
    fn default() -> Self {
        RunHash(0x243F_6A88_85A3_08D3)
    }
}

impl RunHash {
    #[inline]
    pub fn mix(&mut self, v: u64) {
        let x = (self.0 ^ v).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = x ^ (x >> 29);
    }
}

/// Why a server was chosen, for the request's trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    Roundrobin,
    StaticRr,
    Leastconn,
    First,
    SourceHash,
    Random,
    /// The client's `SERVERID` cookie named it.
    Cookie,
    /// The only backup server left.
    Backup,
    /// `option redispatch`: a retry sent elsewhere.
    Redispatch,
    /// Health checks: not a user request.
    Check,
}

impl Reason {
    /// Why a server was picked when the algorithm `balance` picked it.
    pub fn of(balance: Balance) -> Reason {
        match balance {
            Balance::Roundrobin => Reason::Roundrobin,
            Balance::StaticRr => Reason::StaticRr,
            Balance::Leastconn => Reason::Leastconn,
            Balance::First => Reason::First,
            Balance::Source => Reason::SourceHash,
            Balance::Random => Reason::Random,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Roundrobin => "roundrobin",
            Reason::StaticRr => "static-rr",
            Reason::Leastconn => "leastconn",
            Reason::First => "first",
            Reason::SourceHash => "source hash",
            Reason::Random => "random",
            Reason::Cookie => "cookie",
            Reason::Backup => "backup",
            Reason::Redispatch => "redispatch",
            Reason::Check => "check",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(i: u64) -> Hop {
        Hop {
            t0: SimTime(i),
            ..Hop::ZERO
        }
    }

    /// A request keeps its first `MAX_HOPS` hops inline; the inspector's view of one
    /// in flight always ends with the hop under way; two lists with the same hops are equal,
    /// whatever a cleared list held before.
    #[test]
    fn hops_are_bounded_and_compare_by_what_they_hold() {
        let mut a = Hops::EMPTY;
        for i in 0..MAX_HOPS as u64 {
            assert!(a.push(hop(i)));
        }
        assert!(!a.push(hop(99)));
        assert_eq!(a.len(), MAX_HOPS);
        a.push_or_replace_last(hop(99));
        assert_eq!(a.last(), Some(&hop(99)));
        assert_eq!(a.len(), MAX_HOPS);

        let mut b = Hops::EMPTY;
        b.push(hop(1));
        a.clear();
        a.push(hop(1));
        assert_eq!(a, b, "the old hops past the first are not compared");
        assert_eq!(format!("{a:?}"), format!("{:?}", [hop(1)]));
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&[hop(1)]).unwrap()
        );
    }
}
