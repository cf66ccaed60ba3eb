//! What only the page shows: which requests it lists, the one it follows, the traces.

use super::World;
use crate::crowd::Seen;
use crate::time::SimTime;
use crate::trace::{Outcome, Trace};

impl World {
    /// Which requests rest where many wait, now (`Crowd::settle`).
    pub(super) fn settle_views(&mut self) {
        if !self.views {
            return;
        }
        let (reqs, followed) = (&self.reqs, self.crowd.followed);
        let nodes = self.net.topo.nodes.len();
        self.crowd.settle(self.now, nodes, |id| {
            let r = &reqs[id as usize];
            Seen {
                hop: r.cur,
                dot: r.traced || followed == Some(r.seq),
                failed: r.client_done && (!r.outcome.is_ok() || r.stale),
            }
        });
    }

    /// How many requests a snapshot visits one by one; the others rest where many wait and
    /// are counted there (`Crowd`).
    pub fn listed(&self) -> usize {
        self.crowd.moving().len()
    }

    /// The request the inspector follows (its id): it stays a dot wherever it waits.
    pub fn follow(&mut self, id: Option<u64>) {
        let reqs = &self.reqs;
        self.crowd.follow(id, |seq| {
            let slot = reqs.iter().position(|r| r.live && r.seq == seq)?;
            Some(slot as u32)
        });
    }

    /// Keeps every finished trace (not just the ring) until `drain_traces` (the CLI's
    /// `--trace`); with the views (`keep_views`), as the records hold the hops.
    pub fn keep_all_traces(&mut self, on: bool) {
        self.all_traces = on.then(Vec::new);
        if on {
            self.views = true;
        }
    }

    /// Whether to keep what only the page shows (on by default): each request's hops (the
    /// dots on the diagram, the inspector's journey), the ring of recent traces, the answers
    /// still being drawn (`tails`) and the per-second latency percentiles of the plots. Off,
    /// the run is the same run: the same events in the same order, every counter, histogram
    /// and alert, the summary and its trace_hash (tests/views.rs); the CLI runs so unless it
    /// writes the trace (`--trace`, `--views`).
    pub fn keep_views(&mut self, on: bool) {
        self.views = on || self.all_traces.is_some();
        if !self.views {
            self.crowd.clear();
        }
    }

    pub fn drain_traces(&mut self) -> Vec<Trace> {
        self.all_traces
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// One request by its id (the inspector): still under way (its outcome
    /// `Pending` until the user has the answer, its hops so far with the one in progress
    /// last), or among the finished ones the trace ring keeps.
    pub fn journey(&self, id: u64) -> Option<Trace> {
        let Some(r) = self.requests().find(|r| r.seq == id) else {
            return self.traces.find(id).copied();
        };
        let mut t = Trace::BLANK;
        let server = r
            .server_index()
            .and_then(|s| self.webs.get(s))
            .map(|w| w.host);
        r.fill_record(&mut t, server, self.clients[r.client as usize].ip);
        if !r.client_done {
            t.outcome = Outcome::Pending;
        }
        if t.hops.last() != Some(&r.cur) && r.cur.t1 > SimTime::ZERO {
            t.hops.push_or_replace_last(r.cur);
        }
        Some(t)
    }
}
