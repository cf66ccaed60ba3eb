//! The request's database side: which MySQL the app asks, reads, commits and replies.

use super::request::{Stage, Step};
use super::World;
use crate::app::Query;
use crate::cx::Cx;
use crate::log::LogEvent;
use crate::mysql::DbRole;
use crate::net::Conn;
use crate::scenario::ReadYourWrites;
use crate::time::SimTime;
use crate::trace::{Cause, Outcome, ReqKind};

impl World {
    /// Which MySQL the app sends this query to (`QueryRouting::route`): the primary the
    /// failover manager lists, the server on its host, or a replica of its read pool.
    pub(crate) fn route_query(&self, id: u32, w: usize) -> Option<usize> {
        let r = &self.reqs[id as usize];
        let writer = self.repl.app_write.get(w).copied().flatten();
        let local = self.webs[w].mysql.and_then(|m| self.repl.index_of(m));
        let query = Query {
            write: r.kind == ReqKind::Write,
            force_primary: r.force_primary,
            last_write_at: self.clients[r.client as usize].last_write_at,
        };
        self.cfg.queries.route(
            query,
            self.now,
            writer,
            local,
            |i| self.repl.dbs[i].role == DbRole::Replica,
            || self.repl.sticky_replica(r.client),
        )
    }

    pub(crate) fn app_query(&mut self, id: u32) {
        // The database was switched on since the app took it: Nginx waits on, timed.
        self.queue_nginx_timer(id);
        let now = self.now;
        let w = self.web_of(id);
        let (host, app) = (self.webs[w].host, self.webs[w].app);
        let Some(d) = self.route_query(id, w) else {
            self.db_reply(id, Some(Cause::DbDown));
            return;
        };
        let db = self.repl.dbs[d].node;
        {
            let r = &mut self.reqs[id as usize];
            r.stage = Stage::Db;
            r.db = Some(db);
            r.db_at = now;
        }
        let write = self.reqs[id as usize].kind == ReqKind::Write;
        match self.net.connect(&mut self.rng, host, db) {
            Conn::Ok(lat) => {
                self.hop(id, app, db, now, now + lat);
                if write && self.repl.dbs[d].read_only {
                    // ERROR 1290 (HY000): The MySQL server is running with the --read-only
                    // option so it cannot execute this statement.
                    self.hop(id, db, app, now + lat, now + 2 * lat);
                    self.push_step(
                        now + 2 * lat,
                        id,
                        Step::DbReply {
                            error: Some(Cause::ReadOnly),
                        },
                    );
                    return;
                }
                if write {
                    let svc = (self.cfg.timing.db_write_us as f64 * self.net.slow_of(db)) as u64;
                    self.push_step(now + lat + svc, id, Step::DbCommit);
                    return;
                }
                // Read-your-writes by GTID: wait on the replica until it has the user's write.
                let r = &self.reqs[id as usize];
                let wait_for = self.clients[r.client as usize].last_gtid;
                if self.cfg.queries.read_your_writes == ReadYourWrites::WaitGtid
                    && !r.force_primary
                    && wait_for
                        .is_some_and(|g| self.repl.wait_for_gtid(d, (id, r.chain.stamp()), g))
                {
                    let t = now + lat + self.cfg.queries.ryw_window_us;
                    self.push_step(t, id, Step::RywTimeout);
                    return;
                }
                self.read_at(id, d, now + lat);
            }
            Conn::Refused(lat) => {
                self.hop(id, app, db, now, now + lat);
                self.hop(id, db, app, now + lat, now + 2 * lat);
                self.push_step(
                    now + 2 * lat,
                    id,
                    Step::DbReply {
                        error: Some(Cause::DbDown),
                    },
                );
            }
            Conn::Dropped => {
                let t = now + self.cfg.db_timeout;
                self.hop(id, app, db, now, t);
                self.push_step(t, id, Step::DbTimeout);
            }
        }
    }

    /// The replica has what the user waited for: the read runs now.
    pub(crate) fn read_now(&mut self, id: u32, d: usize) {
        self.cut_chain(id);
        let now = self.now;
        self.read_at(id, d, now);
    }

    /// A read runs on server `d` at `at`: stale if it sees an older version of the row than
    /// the primary holds.
    pub(super) fn read_at(&mut self, id: u32, d: usize, at: SimTime) {
        let db = self.repl.dbs[d].node;
        let w = self.web_of(id);
        let app = self.webs[w].app;
        let lat = at - self.reqs[id as usize].db_at.min(at);
        let lat = if lat == 0 {
            self.cfg.timing.loopback_us.min(self.cfg.timing.lan_us)
        } else {
            lat
        };
        let row = self.reqs[id as usize].row as usize;
        let stale = self.repl.read_is_stale(&self.net, self.now, d, row);
        self.reqs[id as usize].stale = stale;
        let svc = (self.cfg.timing.db_read_us as f64 * self.net.slow_of(db)) as u64;
        let t = at + svc + lat;
        self.hop(id, db, app, at + svc, t);
        self.push_step(t, id, Step::DbReply { error: None });
    }

    /// The write's transaction commits on the primary; the app is told once it may be.
    pub(super) fn db_commit(&mut self, id: u32) {
        let Some(db) = self.reqs[id as usize].db else {
            return;
        };
        let Some(d) = self.repl.index_of(db) else {
            return;
        };
        // Its refusals travel back to the app like any answer.
        let app_host = self.webs[self.web_of(id)].host;
        let lat = self
            .net
            .one_way(&mut self.rng, self.net.topo.host_of(db), app_host);
        let st = self.effective_state(db);
        if st.crashed {
            // It died before the commit: nothing is written.
            self.push_step(
                self.now + lat,
                id,
                Step::DbReply {
                    error: Some(Cause::DbDown),
                },
            );
            return;
        }
        if self.repl.dbs[d].read_only {
            self.push_step(
                self.now + lat,
                id,
                Step::DbReply {
                    error: Some(Cause::ReadOnly),
                },
            );
            return;
        }
        if self.commit_write(d, id) {
            self.db_answer_write(id);
        }
        // Else it waits for a semi-sync ack (`resume_from_repl` answers it).
    }

    /// A write request's transaction commits on primary `db`. Returns true when the client
    /// may be told OK now.
    pub(super) fn commit_write(&mut self, db: usize, id: u32) -> bool {
        let (row, seq, chain) = {
            let r = &self.reqs[id as usize];
            (r.row, r.seq, r.chain.stamp())
        };
        let commit = self.repl.commit(db, row, seq, (id, chain), &mut cx!(self));
        self.reqs[id as usize].gtid = commit.gtid;
        if let Some(g) = commit.gtid {
            let c = self.reqs[id as usize].client as usize;
            self.clients[c].last_gtid = Some(g);
            self.clients[c].last_write_at = Some(self.now);
        }
        commit.acked
    }

    /// The primary answers "OK" to the app for a committed write.
    pub(crate) fn db_answer_write(&mut self, id: u32) {
        let now = self.now;
        let Some(db) = self.reqs[id as usize].db else {
            return;
        };
        let w = self.web_of(id);
        let (host, app) = (self.webs[w].host, self.webs[w].app);
        let lat = self
            .net
            .one_way(&mut self.rng, self.net.topo.host_of(db), host);
        self.cut_chain(id);
        self.hop(id, db, app, now, now + lat);
        self.push_step(now + lat, id, Step::DbReply { error: None });
    }

    pub(crate) fn db_reply(&mut self, id: u32, error: Option<Cause>) {
        let w = self.web_of(id);
        let (host, app, nginx) = (self.webs[w].host, self.webs[w].app, self.webs[w].nginx);
        if error.is_none() {
            // The answer may have been lost on its way back.
            if let Some(db) = self.reqs[id as usize].db {
                if self.net.path_broken(self.net.topo.host_of(db), host) {
                    let t = (self.reqs[id as usize].db_at + self.cfg.db_timeout).max(self.now);
                    self.push_step(t, id, Step::DbTimeout);
                    return;
                }
            }
        }
        self.app_release(id);
        let lat = self.cfg.timing.loopback_us;
        let now = self.now;
        self.hop(id, app, nginx, now, now + lat);
        match error {
            None => self.respond_from_server(id, nginx, Outcome::Http(200), Cause::None, lat),
            Some(cause) => {
                if self.reqs[id as usize].kind == ReqKind::Write && self.log_gap_ok(10) {
                    let ev = LogEvent::WritesFailing {
                        read_only: cause == Cause::ReadOnly,
                        writable: self.repl.writable(&self.net) as u32,
                    };
                    self.log.push(now, ev);
                }
                self.respond_from_server(id, nginx, Outcome::Http(500), cause, lat)
            }
        }
    }
}
