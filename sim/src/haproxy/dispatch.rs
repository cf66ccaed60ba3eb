//! What HAProxy does with a request once it knows the server: a connection slot if the server
//! is under `maxconn`, else a place in the server's queue (at most `maxqueue`), else a 503;
//! which queued request a slot takes when one is given back; the server a retry goes to; and
//! the stats page's counters that follow.
//!
//! It knows a request only by its slot number: what waiting or connecting does to the request
//! (its stage, its timers, the time it waited) is the world's.

use super::{Lb, Server};
use crate::time::SEC;

/// Where a request sent to a server goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    /// It holds one of the server's `maxconn` slots and connects now.
    Slot,
    /// It waits in the server's queue for a slot.
    Queued,
    /// The server's queue already holds `maxqueue` requests: HAProxy answers 503.
    QueueFull,
}

/// What HAProxy 3.2 does once a connection attempt to a server failed (backend.c
/// `back_handle_st_cer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectFailed {
    /// Its `retries` are used up: the server counts `econ` and the user gets a 503.
    GiveUp,
    /// With `option redispatch`: the retry goes at once to another server the balancer picks
    /// (if it has none, the same server again, as `Retry`).
    Redispatch,
    /// The same server again, after the turn-around timer (`turnaround`).
    Retry,
}

/// How long HAProxy waits before it tries the same server again: the turn-around timer,
/// min(`timeout connect`, 1 s), after a connection error; nothing after a timeout.
#[inline]
pub fn turnaround(timed_out: bool, timeout_connect: u64) -> u64 {
    if timed_out {
        0
    } else {
        timeout_connect.min(SEC)
    }
}

impl Server {
    /// Under `maxconn` (0: no limit).
    #[inline]
    pub fn has_room(&self) -> bool {
        self.maxconn == 0 || self.scur < self.maxconn
    }

    #[inline]
    fn take_slot(&mut self) {
        self.scur += 1;
        self.stats.smax = self.stats.smax.max(self.scur);
        self.stats.stot += 1;
    }

    /// A place in its queue, if under `maxqueue` (0: no limit).
    // Out of line: most requests get a slot, and the queue's code inlined with theirs costs
    // each of them registers saved and restored.
    #[inline(never)]
    fn wait_for_slot(&mut self, id: u32) -> Admit {
        if self.maxqueue > 0 && self.queue.len() as u32 >= self.maxqueue {
            return Admit::QueueFull;
        }
        self.queue.push_back(id);
        self.stats.qmax = self.stats.qmax.max(self.queue.len() as u32);
        Admit::Queued
    }

    /// The stats page counts an HTTP answer the server gave (or Nginx gave for it).
    #[inline]
    pub fn count_answer(&mut self, code: u16) {
        self.stats.served += 1;
        if (200..300).contains(&code) {
            self.stats.hrsp_2xx += 1;
        } else if code >= 500 {
            self.stats.hrsp_5xx += 1;
        }
    }
}

impl Lb {
    /// A request `id` sent to server `srv`: a slot, a place in the server's queue, or none.
    #[inline]
    pub fn admit(&mut self, id: u32, srv: usize) -> Admit {
        let s = &mut self.servers[srv];
        if s.has_room() {
            s.take_slot();
            return Admit::Slot;
        }
        s.wait_for_slot(id)
    }

    /// Every server is at `maxconn`: the request waits for whichever has room first.
    #[inline]
    pub fn queue_in_backend(&mut self, id: u32) {
        self.queue.push_back(id);
    }

    /// A request gives its slot on `srv` back; the queued request that takes it, if any.
    #[inline]
    pub fn release_slot(&mut self, srv: usize) -> Option<u32> {
        let s = &mut self.servers[srv];
        s.scur = s.scur.saturating_sub(1);
        self.next_queued(srv)
    }

    /// The queued request that takes a slot on `srv` now, its slot taken: the server's own
    /// queue first; the backend's only if the server takes balanced traffic (a DRAIN server
    /// still serves the requests queued on it, a DOWN or MAINT one nothing).
    #[inline]
    fn next_queued(&mut self, srv: usize) -> Option<u32> {
        let s = &mut self.servers[srv];
        if !s.has_room() || !s.usable_for_persistent() {
            return None;
        }
        let next = match s.queue.pop_front() {
            Some(id) => Some(id),
            None if s.usable() => self.queue.pop_front(),
            None => None,
        };
        if next.is_some() {
            self.servers[srv].take_slot();
        }
        next
    }

    /// Takes `id` out of whichever queue holds it (it gives up waiting); false if none does.
    pub fn unqueue(&mut self, id: u32) -> bool {
        if let Some(p) = self.queue.iter().position(|&x| x == id) {
            self.queue.remove(p);
            return true;
        }
        for s in &mut self.servers {
            if let Some(p) = s.queue.iter().position(|&x| x == id) {
                s.queue.remove(p);
                return true;
            }
        }
        false
    }

    /// The server a persistence cookie names, if it may still take the request: UP and not
    /// MAINT (DRAIN keeps its sessions).
    #[inline]
    pub fn by_cookie(&self, srv: u8) -> Option<usize> {
        let srv = srv as usize;
        (srv < self.servers.len() && self.servers[srv].usable_for_persistent()).then_some(srv)
    }

    /// With `option redispatch`, whether a retry after a failed connection to `srv` goes to
    /// another server (stream.h `stream_choose_redispatch`): always when `srv` is DOWN or
    /// this is the last retry; otherwise unless a cookie holds the request, at most one active
    /// server is usable, or the algorithm maps clients by a hash.
    pub fn retries_elsewhere(&self, srv: usize, last_retry: bool, by_cookie: bool) -> bool {
        let active = self
            .servers
            .iter()
            .filter(|s| s.usable() && !s.backup)
            .count();
        !self.servers[srv].usable()
            || last_retry
            || (!by_cookie && active > 1 && !self.is_hash_based())
    }

    /// What follows a failed connection to `srv` after `retries` of the `max_retries` retries
    /// (`retries`), with `option redispatch` on or not, and the request held by a cookie or
    /// not.
    pub fn connect_failed(
        &self,
        srv: usize,
        retries: u8,
        max_retries: u8,
        redispatch: bool,
        by_cookie: bool,
    ) -> ConnectFailed {
        if retries >= max_retries {
            return ConnectFailed::GiveUp;
        }
        let last_retry = retries + 1 == max_retries;
        if redispatch && self.retries_elsewhere(srv, last_retry, by_cookie) {
            ConnectFailed::Redispatch
        } else {
            ConnectFailed::Retry
        }
    }

    /// A retry leaves `from` (its slot already given back) for `to`: counted as redispatched
    /// on `from`, a slot taken on `to`.
    pub fn redispatch(&mut self, from: usize, to: usize) {
        self.servers[from].stats.wredis += 1;
        self.servers[to].take_slot();
    }

    /// The servers that can take from the backend queue now do, in order: each until it is
    /// full or the queue is empty. A server with requests of its own queued serves one of
    /// those instead and takes nothing from the backend. Returns each request with its server.
    pub fn serve_backend_queue(&mut self) -> Vec<(u32, usize)> {
        let mut served = Vec::new();
        for srv in 0..self.servers.len() {
            while !self.queue.is_empty() {
                let s = &self.servers[srv];
                if !s.usable() || !s.has_room() {
                    break;
                }
                let own = !s.queue.is_empty();
                if let Some(id) = self.next_queued(srv) {
                    served.push((id, srv));
                }
                if own {
                    break;
                }
            }
        }
        served
    }

    /// Server `srv` will not take the requests queued on it (DOWN with `option redispatch`,
    /// or MAINT): they join the back of the backend queue, in order.
    pub fn requeue_in_backend(&mut self, srv: usize) {
        self.queue.extend(self.servers[srv].queue.drain(..));
    }

    /// Every queued request, the backend's first then each server's, the queues left empty
    /// (no server is left to take them).
    pub fn take_all_queued(&mut self) -> Vec<u32> {
        let mut all: Vec<u32> = self.queue.drain(..).collect();
        for s in &mut self.servers {
            all.extend(s.queue.drain(..));
        }
        all
    }
}

#[cfg(test)]
mod tests;
