//! Every request is traced (SPEC S3): each hop with its times, the backend chosen and why, the
//! database node that answered, the outcome and whether a read was stale. Finished traces go
//! to a bounded ring (P5); a running hash of all of them fingerprints the run (S1).

use crate::haproxy::Reason;
use crate::time::SimTime;
use crate::topology::NodeId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReqKind {
    Static,
    Read,
    Write,
}

impl ReqKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReqKind::Static => "static",
            ReqKind::Read => "read",
            ReqKind::Write => "write",
        }
    }
}

/// The requests users make (SPEC S2), by kind.
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
    DnsUnreachable,
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

pub const MAX_HOPS: usize = 16;

/// A finished request's record.
#[derive(Debug, Clone, Serialize)]
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
    pub hops: Vec<Hop>,
}

/// A finished request as the ring keeps it: fixed size, no allocation (its hops inline).
#[derive(Debug, Clone, Copy)]
pub struct TraceRecord {
    pub id: u64,
    pub kind: ReqKind,
    pub path: u8,
    pub client_ip: u32,
    pub start: SimTime,
    pub end: SimTime,
    pub outcome: Outcome,
    pub cause: Cause,
    pub server: Option<NodeId>,
    pub reason: Option<Reason>,
    pub retries: u8,
    pub redispatched: bool,
    pub db: Option<NodeId>,
    pub stale: bool,
    pub gtid: Option<crate::mysql::Gtid>,
    pub queue_wait_us: u64,
    pub tls: bool,
    pub traced: bool,
    pub hops: [Hop; MAX_HOPS],
    pub nhops: u8,
}

impl TraceRecord {
    pub(crate) const BLANK: TraceRecord = TraceRecord {
        id: 0,
        kind: ReqKind::Static,
        path: 0,
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
        hops: [Hop {
            from: NodeId(0),
            to: NodeId(0),
            t0: SimTime::ZERO,
            t1: SimTime::ZERO,
        }; MAX_HOPS],
        nhops: 0,
    };

    pub fn to_trace(&self) -> Trace {
        Trace {
            id: self.id,
            kind: self.kind,
            path: path_of(self.kind, self.path),
            client_ip: self.client_ip,
            start: self.start,
            end: self.end,
            outcome: self.outcome,
            cause: self.cause,
            server: self.server,
            reason: self.reason,
            retries: self.retries,
            redispatched: self.redispatched,
            db: self.db,
            stale: self.stale,
            gtid: self.gtid,
            queue_wait_us: self.queue_wait_us,
            tls: self.tls,
            traced: self.traced,
            hops: self.hops[..self.nhops as usize].to_vec(),
        }
    }
}

/// A bounded ring of the latest finished requests (P5). Records are written in place; a
/// `Trace` (with its hops in a `Vec`) is built only when someone reads one.
#[derive(Debug, Clone)]
pub struct TraceRing {
    items: Vec<TraceRecord>,
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
    pub fn next_slot(&mut self) -> &mut TraceRecord {
        let i = self.next;
        self.next = (self.next + 1) % self.cap;
        if self.items.len() < self.cap {
            self.items.push(TraceRecord::BLANK);
        }
        &mut self.items[i]
    }

    /// The records, oldest first.
    pub fn records(&self) -> impl DoubleEndedIterator<Item = &TraceRecord> {
        let n = self.items.len();
        let start = if n < self.cap { 0 } else { self.next };
        (0..n).map(move |i| &self.items[(start + i) % n])
    }

    /// The traces, oldest first (each built on the way).
    pub fn iter(&self) -> impl Iterator<Item = Trace> + '_ {
        self.records().map(TraceRecord::to_trace)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn find(&self, id: u64) -> Option<Trace> {
        self.items
            .iter()
            .find(|t| t.id == id)
            .map(TraceRecord::to_trace)
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
