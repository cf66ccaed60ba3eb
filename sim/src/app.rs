//! The app server on a web host: a pool of worker processes and the listen backlog they take
//! connections from, oldest first (gunicorn's `backlog`, under Linux's `somaxconn`); and the
//! MySQL server it sends each query to (`QueryRouting`).
//!
//! It knows a request only by its slot number: what working or waiting does to the request
//! (its stage, the CPU time drawn for it, the time it waited, its Nginx timer) is the world's.
//! Of Nginx's timers it keeps only the keys: those of the requests in the backlog are left to
//! one watch event per backlog, which looks at the backlog in order.

use crate::scenario::{AppSpec, ReadRouting, ReadYourWrites, WritesTo};
use crate::time::SimTime;
use std::collections::VecDeque;

/// The app's listen backlog: gunicorn's `backlog` default (Linux caps it at `somaxconn`, 4096).
pub const APP_BACKLOG: usize = 2048;

/// What a connection Nginx opens to the app meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    /// A free worker takes it now.
    Worker,
    /// Every worker is busy: it waits in the backlog.
    Backlog,
    /// The backlog holds `APP_BACKLOG` connections: Linux drops the SYN.
    BacklogFull,
}

/// What becomes of the Nginx timer of a request that joins the backlog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BacklogTimer {
    /// It is due before one already left to the watch (the latency to the app or the timeout
    /// changed), and the watch looks in backlog order: the world queues it now.
    QueueNow,
    /// The watch, already queued for an earlier timer, reaches it in turn.
    Watched,
    /// No watch is queued: the world queues one with this timer's key.
    ArmWatch,
}

/// What a backlog's watch event found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WatchCame {
    /// The request whose timer the watch was queued for, still in the backlog: it runs now.
    pub due: Option<u32>,
    /// The key the watch is queued with next, if a timer is left to it.
    pub next: Option<u128>,
}

/// An app server's worker pool and listen backlog.
#[derive(Debug, Clone)]
pub struct AppPool {
    /// Worker processes (`app.workers`), changed live by `set_workers`.
    pub workers: u32,
    pub busy: u32,
    pub backlog: VecDeque<u32>,
    /// Nginx's timers of the requests in the backlog wait with them (`watch_came`): the key
    /// the backlog's watch event is queued with, if one is.
    pub(crate) watch: Option<u128>,
    /// The key of the last timer left to the watch: their keys rise in backlog order.
    pub(crate) last_key: u128,
    /// How many requests at the backlog's front are known to have no timer left to it.
    pub(crate) skip: usize,
}

impl AppPool {
    pub fn new(workers: u32) -> AppPool {
        AppPool {
            workers,
            busy: 0,
            backlog: VecDeque::new(),
            watch: None,
            last_key: 0,
            skip: 0,
        }
    }

    /// A connection for request `id`: a worker, a place in the backlog, or none. A full
    /// backlog drops it even if a worker is free: Linux looks only at the queue.
    #[inline]
    pub fn accept(&mut self, id: u32) -> Accept {
        if self.backlog.len() >= APP_BACKLOG {
            return Accept::BacklogFull;
        }
        if self.busy < self.workers {
            self.busy += 1;
            return Accept::Worker;
        }
        self.backlog.push_back(id);
        Accept::Backlog
    }

    /// A worker is done with its request (or its request is gone).
    #[inline]
    pub fn free_worker(&mut self) {
        self.busy = self.busy.saturating_sub(1);
    }

    /// The backlogged request a free worker takes now, oldest first; none while every worker
    /// is busy.
    #[inline]
    pub fn take_next(&mut self) -> Option<u32> {
        if self.busy >= self.workers {
            return None;
        }
        let id = self.backlog.pop_front()?;
        self.busy += 1;
        self.skip = self.skip.saturating_sub(1);
        Some(id)
    }

    /// Takes `id` out of the backlog, wherever it waits; false if it is not there.
    pub fn leave_backlog(&mut self, id: u32) -> bool {
        let Some(p) = self.backlog.iter().position(|&x| x == id) else {
            return false;
        };
        self.backlog.remove(p);
        self.skip = self.skip.saturating_sub(1);
        true
    }

    /// Connections waiting in the backlog.
    #[inline]
    pub fn waiting(&self) -> usize {
        self.backlog.len()
    }

    /// Every worker busy and connections waiting (what a health check's handler meets).
    #[inline]
    pub fn saturated(&self) -> bool {
        self.busy >= self.workers && !self.backlog.is_empty()
    }

    /// The app crashed: its workers and backlog are gone, and with them the watch's state.
    pub fn crash(&mut self) {
        // The watch event already queued still comes: it must find its key, and then aim at
        // the first timer left, rather than take a later timer's key and run that one early.
        let watch = self.watch;
        *self = AppPool::new(self.workers);
        self.watch = watch;
    }

    /// A new worker count; true if it grew (free workers may then take from the backlog).
    pub fn set_workers(&mut self, workers: u32) -> bool {
        let grew = workers > self.workers;
        self.workers = workers;
        grew
    }

    /// The request that just joined the backlog has an Nginx timer with `key`: left to the
    /// watch while the keys rise in backlog order.
    pub fn watch_timer(&mut self, key: u128) -> BacklogTimer {
        if key < self.last_key {
            return BacklogTimer::QueueNow;
        }
        self.last_key = key;
        if self.watch.is_some() {
            return BacklogTimer::Watched;
        }
        self.watch = Some(key);
        BacklogTimer::ArmWatch
    }

    /// The backlog's watch event came. `key_of` gives the key of the timer a backlogged
    /// request left to the watch (0: none). The request it was queued for runs its timer if it
    /// still waits at the front of those with one; the watch is queued again for the next.
    /// One event per timer that runs, and one per stretch of timers whose requests left first.
    pub fn watch_came(&mut self, key_of: impl Fn(u32) -> u128) -> WatchCame {
        let Some(armed) = self.watch.take() else {
            return WatchCame::default();
        };
        // Requests at the front with no timer left to the watch are skipped once for all.
        while let Some(&id) = self.backlog.get(self.skip) {
            if key_of(id) != 0 {
                break;
            }
            self.skip += 1;
        }
        let i = self.skip;
        let Some(&id) = self.backlog.get(i) else {
            return WatchCame::default();
        };
        // The one it was queued for left the backlog: watch the first one left.
        let (due, from) = if key_of(id) == armed {
            (Some(id), i + 1)
        } else {
            (None, i)
        };
        let next = self.backlog.iter().skip(from).find_map(|&id| {
            let k = key_of(id);
            (k != 0).then_some(k)
        });
        self.watch = next;
        WatchCame { due, next }
    }
}

/// How the app picks the MySQL server for a query (`app.writes_to`, `app.read_routing`,
/// `app.read_your_writes`, `app.ryw_window_ms`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueryRouting {
    pub writes_to: WritesTo,
    pub read_routing: ReadRouting,
    pub read_your_writes: ReadYourWrites,
    /// How long after a user's write their reads go to the primary (`primary-window`), or
    /// wait for a replica to apply it (`wait-gtid`), in µs.
    pub ryw_window_us: u64,
}

/// What the app knows of one query when it picks its server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    pub write: bool,
    /// A read that gave up waiting for a replica to apply the user's write: the primary.
    pub force_primary: bool,
    /// When its user last wrote.
    pub last_write_at: Option<SimTime>,
}

impl QueryRouting {
    pub fn from_spec(app: &AppSpec) -> QueryRouting {
        QueryRouting {
            writes_to: app.writes_to,
            read_routing: app.read_routing,
            read_your_writes: app.read_your_writes,
            ryw_window_us: crate::scenario::ms_to_us(app.ryw_window_ms),
        }
    }

    /// The MySQL server (an index) the app sends query `q` to at `now`: writes to the
    /// primary it knows (`writer`), or, misconfigured, to the server on its own host
    /// (`local`); reads as `read_routing` says, or to the primary for a while after the
    /// user's own write. Without a local replica a user's reads stick to one replica
    /// (`sticky`); `is_replica` says whether a server is one.
    #[inline]
    pub fn route(
        &self,
        q: Query,
        now: SimTime,
        writer: Option<usize>,
        local: Option<usize>,
        is_replica: impl FnOnce(usize) -> bool,
        sticky: impl FnOnce() -> Option<usize>,
    ) -> Option<usize> {
        if q.write && self.writes_to == WritesTo::Local {
            // A misconfigured app: it writes to the MySQL on its own host, whatever it is.
            return local.or(writer);
        }
        if q.write || q.force_primary {
            return writer;
        }
        if self.read_your_writes == ReadYourWrites::PrimaryWindow
            && q.last_write_at
                .is_some_and(|t| now - t < self.ryw_window_us)
        {
            return writer;
        }
        match self.read_routing {
            ReadRouting::Primary => writer,
            ReadRouting::Local => local.or_else(sticky).or(writer),
            ReadRouting::Replica => match local.filter(|&i| is_replica(i)) {
                Some(i) => Some(i),
                None => sticky().or(writer),
            },
        }
    }
}

#[cfg(test)]
mod tests;
