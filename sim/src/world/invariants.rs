//! The bookkeeping that must always hold, and the sizes that must stay flat.

use super::request::Stage;
use super::World;

/// Sizes of the world's collections (see `World::footprint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Footprint {
    pub request_slots: usize,
    pub queued_events: usize,
    pub traces: usize,
    pub log: usize,
    pub transitions: usize,
    pub series_seconds: usize,
    pub tails: usize,
    pub binlog: usize,
    pub relay: usize,
    pub alerts: usize,
    pub lost_listed: usize,
}

impl World {
    /// Checks the bookkeeping that must always hold (sled's simulation guide): every
    /// connection slot, worker and queue place belongs to a live request that holds it, and
    /// every request is either ended or still under way. Returns what is wrong.
    pub fn check_invariants(&self) -> Result<(), String> {
        if self.views {
            // Every live request is listed or rests somewhere, once.
            for (i, r) in self.reqs.iter().enumerate() {
                if r.live != self.crowd.holds(i as u32) {
                    return Err(format!(
                        "request {}: live {} but crowd says otherwise",
                        r.seq, r.live
                    ));
                }
            }
        }
        let t = &self.totals;
        let open = self
            .reqs
            .iter()
            .filter(|r| r.live && !r.client_done)
            .count() as u64;
        if t.created != t.ended + open {
            return Err(format!(
                "created {} != ended {} + open {}",
                t.created, t.ended, open
            ));
        }
        for (li, lb) in self.lbs.iter().enumerate() {
            for (si, s) in lb.servers.iter().enumerate() {
                let holding = self
                    .reqs
                    .iter()
                    .filter(|r| {
                        r.live && r.holds_conn && r.lb as usize == li && r.server as usize == si
                    })
                    .count() as u32;
                if holding != s.scur {
                    return Err(format!(
                        "{}: scur {} but {holding} requests hold a slot",
                        s.name, s.scur
                    ));
                }
                for &id in &s.queue {
                    let r = &self.reqs[id as usize];
                    if !r.live || r.stage != Stage::LbQueue {
                        return Err(format!(
                            "{}: queued request {} is not waiting",
                            s.name, r.seq
                        ));
                    }
                }
            }
            for &id in &lb.queue {
                let r = &self.reqs[id as usize];
                if !r.live || r.stage != Stage::LbQueue {
                    return Err(format!(
                        "backend queue holds request {} that is not waiting",
                        r.seq
                    ));
                }
            }
        }
        for (wi, w) in self.webs.iter().enumerate() {
            let holding = self
                .reqs
                .iter()
                .filter(|r| r.live && r.holds_worker && r.server as usize == wi)
                .count() as u32;
            if holding != w.pool.busy {
                return Err(format!(
                    "web {wi}: {} busy workers but {holding} requests hold one",
                    w.pool.busy
                ));
            }
            let mut last_key = 0;
            for &id in &w.pool.backlog {
                let r = &self.reqs[id as usize];
                if !r.live || r.stage != Stage::AppBacklog {
                    return Err(format!(
                        "web {wi}: backlog holds request {} that is not waiting",
                        r.seq
                    ));
                }
                // Nginx's timers left to the backlog's watch: in order, and watched.
                if r.nginx_key != 0 {
                    if r.nginx_key < last_key {
                        return Err(format!("web {wi}: request {}'s timer out of order", r.seq));
                    }
                    if last_key == 0 && w.pool.watch.is_none_or(|k| k > r.nginx_key) {
                        return Err(format!("web {wi}: request {}'s timer unwatched", r.seq));
                    }
                    last_key = r.nginx_key;
                }
            }
        }
        Ok(())
    }

    /// The sizes of everything that could grow with time (they must stay flat however long the run).
    pub fn footprint(&self) -> Footprint {
        Footprint {
            request_slots: self.reqs.len(),
            queued_events: self.queue.len() + self.timers.iter().map(|l| l.len()).sum::<usize>(),
            traces: self.traces.len(),
            log: self.log.len(),
            transitions: self.transitions.len(),
            series_seconds: self.series.seconds().count(),
            tails: self.tails.len(),
            binlog: self.repl.longest_logs().0,
            relay: self.repl.longest_logs().1,
            alerts: self.monitor.alerts.len(),
            lost_listed: self.repl.lost.len(),
        }
    }
}
