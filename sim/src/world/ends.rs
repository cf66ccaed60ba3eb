//! How a request ends: the user's answer (counted once), giving up, and freeing its slot.

use super::request::{Stage, Step};
use super::World;
use crate::log::LogEvent;
use crate::metrics::Histogram;
use crate::time::{SimTime, SEC};
use crate::topology::NodeId;
use crate::trace::{Cause, Outcome};
use crate::traffic::gives_up_at;

/// Narrate the same kind of user-facing error at most this often.
const ERROR_NARRATION_GAP_US: u64 = 5 * SEC;

/// Totals over the run.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub created: u64,
    pub ended: u64,
    pub ok: u64,
    /// Ended requests by `STATUS_KEYS`.
    pub by_status: [u64; STATUS_SLOTS],
    pub stale_reads: u64,
    pub queue_waits: Histogram,
    pub latency: Histogram,
    /// TLS handshakes the load balancer did (one per request over HTTPS).
    pub tls_handshakes: u64,
}

/// The keys of `Totals::by_status`, in order.
pub const STATUS_SLOTS: usize = 9;
pub const STATUS_KEYS: [&str; STATUS_SLOTS] = [
    "200", "500", "502", "503", "504", "dns", "refused", "timeout", "other",
];
/// Slots of `by_status` where the user got no HTTP answer at all.
pub const SLOT_REFUSED: usize = 6;
pub const SLOT_TIMEOUT: usize = 7;

pub(super) fn status_slot(o: Outcome) -> usize {
    match o {
        Outcome::Http(200) => 0,
        Outcome::Http(500) => 1,
        Outcome::Http(502) => 2,
        Outcome::Http(503) => 3,
        Outcome::Http(504) => 4,
        Outcome::DnsError => 5,
        Outcome::Refused => 6,
        Outcome::Timeout => 7,
        _ => 8,
    }
}

impl World {
    /// The user has their answer at `at` (now, or when the last hop lands). Every request
    /// ends here exactly once.
    // Every request passes here: inlined natively, a call in the page (docs/performance.md).
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    pub(crate) fn finish(&mut self, id: u32, at: SimTime, outcome: Outcome, cause: Cause) {
        let now = self.now;
        let r = &mut self.reqs[id as usize];
        debug_assert!(!r.client_done, "request {} ended twice", r.seq);
        if r.client_done {
            return;
        }
        r.client_done = true;
        r.outcome = outcome;
        r.cause = cause;
        r.end = at;
        let latency = at - r.start;
        let slot = status_slot(outcome);
        let t = &mut self.totals;
        t.ended += 1;
        t.by_status[slot] += 1;
        let ok = outcome.is_ok();
        if ok {
            t.ok += 1;
        }
        if r.stale {
            t.stale_reads += 1;
        }
        t.latency.record(latency);
        let h = &mut self.hash;
        h.mix(r.seq);
        h.mix(at.0);
        h.mix(
            slot as u64
                | (r.server as u64) << 8
                | (r.retries as u64) << 16
                | (r.stale as u64) << 24,
        );
        h.mix(r.db.map_or(0xFFFF, |d| d.0 as u64));
        let sec = self.series.at(at.0);
        sec.requests += 1;
        match outcome {
            Outcome::Http(200..=399) => sec.ok += 1,
            Outcome::Http(500) => sec.status_500 += 1,
            Outcome::Http(502) => sec.status_502 += 1,
            Outcome::Http(503) => sec.status_503 += 1,
            Outcome::Http(504) => sec.status_504 += 1,
            _ => sec.no_answer += 1,
        }
        if r.stale {
            sec.stale_reads += 1;
        }
        if self.views {
            self.series.record_latency(at.0, latency);
        }
        if !ok && self.log_gap_ok(slot) {
            let r = &self.reqs[id as usize];
            let name = |n: NodeId| self.net.topo.node(n).name.clone();
            let server = r.server_index().and_then(|s| self.webs.get(s));
            let ev = LogEvent::UsersSeeErrors {
                outcome,
                cause,
                server: server.map(|w| name(w.host)),
                // The MySQL the query went to (the primary for a write, wherever it runs).
                database: r.db.map(name),
            };
            self.log.push(now, ev);
        }
        self.version += 1;
        if !self.views {
            return;
        }
        if !ok || self.reqs[id as usize].stale {
            self.crowd.failed(id);
        }
        let r = &self.reqs[id as usize];
        if r.cur.t1 > now {
            self.tails.push_back((r.cur, r.kind, outcome, r.seq));
        }
        while self.tails.front().is_some_and(|(h, ..)| h.t1 < now) {
            self.tails.pop_front();
        }
        // The record is written in place in the ring (no copy of a whole record).
        let server = r
            .server_index()
            .and_then(|s| self.webs.get(s))
            .map(|w| w.host);
        let client_ip = self.clients[r.client as usize].ip;
        let slot = self.traces.next_slot();
        r.fill_record(slot, server, client_ip);
        if let Some(all) = &mut self.all_traces {
            all.push(*slot);
        }
    }

    /// The user has their answer and nothing else is under way for this request.
    // Every request passes here: inlined natively, a call in the page (docs/performance.md).
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    pub(crate) fn end(&mut self, id: u32, at: SimTime, outcome: Outcome, cause: Cause) {
        self.finish(id, at, outcome, cause);
        self.release(id);
    }

    /// The answer cannot reach the user: nothing happens on the request's chain until the
    /// browser gives up at its own timeout, counted from when it sent the request.
    pub(crate) fn client_gives_up(&mut self, id: u32) {
        let start = self.reqs[id as usize].start;
        let give_up = gives_up_at(start, self.cfg.client_timeout, self.now);
        self.reqs[id as usize].stage = Stage::Stalled;
        self.push_step(give_up, id, Step::ClientGiveUp);
    }

    /// Nothing more will happen on this request's chain; a timer (or nothing) decides.
    pub(crate) fn stall(&mut self, id: u32) {
        self.cut_chain(id);
        self.reqs[id as usize].stage = Stage::Stalled;
        if self.reqs[id as usize].client_done {
            self.release(id);
        }
    }

    /// Frees a request's slot and everything it held.
    // Every request passes here: inlined natively, a call in the page (docs/performance.md).
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    pub(crate) fn release(&mut self, id: u32) {
        self.release_conn(id);
        self.app_release(id);
        let r = &mut self.reqs[id as usize];
        if !r.live {
            return;
        }
        r.live = false;
        r.stage = Stage::Done;
        self.epochs[id as usize].bump();
        r.chain.bump();
        if self.views {
            self.crowd.forget(id);
        }
        // Its timers are now dead: each is dropped from its lane when it reaches the front.
        self.free.push(id);
    }

    pub(crate) fn log_gap_ok(&mut self, slot: usize) -> bool {
        let last = self.last_error_narration[slot];
        if last == SimTime::ZERO || last + ERROR_NARRATION_GAP_US <= self.now {
            self.last_error_narration[slot] = self.now.max(SimTime(1));
            true
        } else {
            false
        }
    }
}
