//! One MySQL server's replication state (docs/model.md, "MySQL replication"): its rows, its binary
//! log, and, as a replica, its receiver (I/O) thread, relay log and applier (SQL) threads.
//!
//! `Replication` (replication/) moves events between servers over the links; what a server
//! does with them is decided here, and unit-tested alone.

use crate::epoch::{Epoch, Stamp};
use crate::time::{SimTime, SEC};
use crate::topology::NodeId;
use serde::Serialize;
use std::collections::VecDeque;

/// Rows of the `users` table the sim keeps: each client writes and reads its own row.
pub const ROWS: usize = 64;
/// A relay log holds at most this many events (`relay_log_space_limit`): a receiver that
/// far ahead of its applier waits.
pub const RELAY_CAP: usize = 50_000;
/// A binary log keeps at most this many events (older ones are purged, as
/// `binlog_expire_logs_seconds` would).
pub const BINLOG_CAP: usize = 20_000;

/// A global transaction id `source_uuid:n`; `source` indexes the servers' uuids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Gtid {
    pub source: u16,
    pub n: u64,
}

/// The uuid MySQL would give server `i` (stable, readable in a log).
pub fn server_uuid(i: u16) -> String {
    format!("3e11fa47-71ca-11e1-9e33-c80aa94295{:02x}", i + 1)
}

impl Gtid {
    pub fn text(&self) -> String {
        format!("{}:{}", server_uuid(self.source), self.n)
    }
}

/// A committed transaction as the binary log holds it: it set one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BinlogEvent {
    pub gtid: Gtid,
    pub row: u16,
    /// A run-wide write counter: a higher version is newer data.
    pub version: u64,
    /// When the source committed it (what `Seconds_Behind_Source` measures from).
    pub ts: SimTime,
    /// The request that wrote it.
    pub req: u64,
    /// The source told the client "OK" (async: at commit; semi-sync: at the replica's ack).
    pub acked: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Row {
    /// 0: the row does not exist here.
    pub version: u64,
    pub gtid: Option<Gtid>,
    pub written_at: SimTime,
}

/// `gtid_executed` (or the received set): per source uuid, the highest n, gap-free.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GtidSet(pub Vec<u64>);

impl GtidSet {
    pub fn with_sources(n: usize) -> GtidSet {
        GtidSet(vec![0; n])
    }

    pub fn contains(&self, g: Gtid) -> bool {
        self.0.get(g.source as usize).is_some_and(|&n| n >= g.n)
    }

    /// Adds a GTID; GTIDs of one source arrive in order, so this is the next one.
    pub fn add(&mut self, g: Gtid) {
        if let Some(n) = self.0.get_mut(g.source as usize) {
            *n = (*n).max(g.n);
        }
    }

    pub fn covers(&self, other: &GtidSet) -> bool {
        other
            .0
            .iter()
            .enumerate()
            .all(|(i, &n)| self.0.get(i).is_some_and(|&m| m >= n))
    }

    /// As MySQL prints `gtid_executed`: `uuid:1-42,uuid2:1-7`.
    pub fn text(&self) -> String {
        let parts: Vec<String> = self
            .0
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(i, &n)| format!("{}:1-{n}", server_uuid(i as u16)))
            .collect();
        parts.join(",")
    }

    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }
}

/// What the receiver did with an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    Logged,
    Duplicate,
    Gap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DbRole {
    Primary,
    Replica,
    /// A primary replaced while it was away (crashed or cut off): it replicates from nothing
    /// and no app writes to it; back, it rejoins as a replica or becomes a second primary.
    OldPrimary,
}

/// `Replica_IO_Running`: Yes, Connecting, or No.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum IoState {
    Yes,
    Connecting,
    No,
}

impl IoState {
    pub fn as_str(self) -> &'static str {
        match self {
            IoState::Yes => "Yes",
            IoState::Connecting => "Connecting",
            IoState::No => "No",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Mysql {
    pub node: NodeId,
    pub host: NodeId,
    /// Index of its server uuid.
    pub index: u16,
    pub role: DbRole,
    pub read_only: bool,
    /// It has been a primary at some point (its transactions may be errant elsewhere).
    pub ever_primary: bool,
    pub rows: Vec<Row>,
    pub executed: GtidSet,
    /// Its binary log: its own commits and (`log_replica_updates`) what it applied.
    pub binlog: VecDeque<BinlogEvent>,
    /// Position of `binlog[0]`.
    pub binlog_first_pos: u64,
    /// The last GTID number it generated for its own commits.
    pub own_n: u64,
    // --- as a replica
    pub source: Option<u16>,
    pub io: IoState,
    pub sql_running: bool,
    pub received: GtidSet,
    pub relay: VecDeque<BinlogEvent>,
    /// How many relay events the applier workers have started.
    pub relay_started: usize,
    pub last_apply_done: SimTime,
    /// Bumped on every (re)connection, crash and repointing: in-flight events of an older
    /// epoch are dropped.
    pub epoch: Epoch,
    /// Bumped when the applier's started work is void (a crash, a reset, a re-arm).
    pub apply_epoch: Epoch,
    pub last_arrival: SimTime,
    /// Since when it has been down (crashed or cut off), if it is.
    pub down_since: Option<SimTime>,
    /// Binlog events on their way to it: (position, left the source, arrives), for the page.
    pub in_flight: VecDeque<(u64, SimTime, SimTime)>,
    // --- as a semi-sync source
    pub semi_sync_on: bool,
    /// Commits waiting for a replica's ack: (binlog position, request slot, its chain).
    pub waiting: VecDeque<(u64, u32, Stamp)>,
    pub acked_pos: u64,
    /// The last commit that waited when semi-sync switched off: an ack reaching it turns it on.
    pub semi_off_pos: u64,
    /// Since when its source has been unreachable while its I/O thread still runs.
    pub source_silent_since: Option<SimTime>,
    /// Reads waiting in `WAIT_FOR_EXECUTED_GTID_SET`: (request slot, chain, gtid).
    pub gtid_waiters: Vec<(u32, Stamp, Gtid)>,
}

impl Mysql {
    pub fn new(
        node: NodeId,
        host: NodeId,
        index: u16,
        sources: usize,
        primary: Option<u16>,
    ) -> Mysql {
        let is_primary = primary == Some(index) || primary.is_none();
        Mysql {
            node,
            host,
            index,
            role: if is_primary {
                DbRole::Primary
            } else {
                DbRole::Replica
            },
            read_only: !is_primary,
            ever_primary: is_primary,
            rows: vec![Row::default(); ROWS],
            executed: GtidSet::with_sources(sources),
            binlog: VecDeque::new(),
            binlog_first_pos: 1,
            own_n: 0,
            source: if is_primary { None } else { primary },
            io: if is_primary {
                IoState::No
            } else {
                IoState::Connecting
            },
            sql_running: !is_primary,
            received: GtidSet::with_sources(sources),
            relay: VecDeque::new(),
            relay_started: 0,
            last_apply_done: SimTime::ZERO,
            epoch: Epoch::default(),
            apply_epoch: Epoch::default(),
            last_arrival: SimTime::ZERO,
            down_since: None,
            in_flight: VecDeque::new(),
            semi_sync_on: true,
            waiting: VecDeque::new(),
            acked_pos: 0,
            semi_off_pos: 0,
            source_silent_since: None,
            gtid_waiters: Vec::new(),
        }
    }

    /// The position the next binlog event will get.
    pub fn next_pos(&self) -> u64 {
        self.binlog_first_pos + self.binlog.len() as u64
    }

    pub fn binlog_at(&self, pos: u64) -> Option<&BinlogEvent> {
        pos.checked_sub(self.binlog_first_pos)
            .and_then(|i| self.binlog.get(i as usize))
    }

    fn log(&mut self, ev: BinlogEvent) -> u64 {
        let pos = self.next_pos();
        self.binlog.push_back(ev);
        if self.binlog.len() > BINLOG_CAP {
            self.binlog.pop_front();
            self.binlog_first_pos += 1;
        }
        pos
    }

    /// Commits a transaction of its own: the row changes, the binlog grows. Returns its
    /// binlog position.
    pub fn commit(&mut self, row: u16, version: u64, now: SimTime, req: u64, acked: bool) -> u64 {
        self.own_n += 1;
        let gtid = Gtid {
            source: self.index,
            n: self.own_n,
        };
        let ev = BinlogEvent {
            gtid,
            row,
            version,
            ts: now,
            req,
            acked,
        };
        // With semi-sync (AFTER_SYNC) the engine commits, and the row shows, only at the ack.
        if acked {
            self.set_row(&ev, now);
        }
        self.executed.add(gtid);
        self.received.add(gtid);
        self.log(ev)
    }

    /// The transaction at `pos` is acknowledged: it commits in the engine and shows.
    pub fn make_visible(&mut self, pos: u64, now: SimTime) {
        let first = self.binlog_first_pos;
        let Some(ev) = pos
            .checked_sub(first)
            .and_then(|i| self.binlog.get_mut(i as usize))
        else {
            return;
        };
        ev.acked = true;
        let ev = *ev;
        if self.rows[ev.row as usize % ROWS].version < ev.version {
            self.set_row(&ev, now);
        }
    }

    /// It crashed with commits waiting for their ack: crash recovery commits in the engine
    /// what the binary log holds (AFTER_SYNC logged them first), so their rows show when it is
    /// back, though no client was told "OK".
    pub fn recover_waiting(&mut self, now: SimTime) {
        for (pos, _, _) in std::mem::take(&mut self.waiting) {
            if let Some(ev) = self.binlog_at(pos).copied() {
                if self.rows[ev.row as usize % ROWS].version < ev.version {
                    self.set_row(&ev, now);
                }
            }
        }
    }

    fn set_row(&mut self, ev: &BinlogEvent, now: SimTime) {
        let r = &mut self.rows[ev.row as usize % ROWS];
        r.version = ev.version;
        r.gtid = Some(ev.gtid);
        r.written_at = now;
    }

    /// The receiver thread gets an event: into the relay log unless already had. A GTID that
    /// skips one (an earlier event was lost on the way) is refused: the receiver must
    /// reconnect and ask again from where it is.
    pub fn receive(&mut self, ev: BinlogEvent) -> Received {
        if self.received.contains(ev.gtid) || self.executed.contains(ev.gtid) {
            return Received::Duplicate;
        }
        let have = self
            .received
            .0
            .get(ev.gtid.source as usize)
            .copied()
            .unwrap_or(0);
        if ev.gtid.n != have + 1 {
            return Received::Gap;
        }
        self.received.add(ev.gtid);
        self.relay.push_back(ev);
        Received::Logged
    }

    /// The applier commits the oldest started relay event (commit order is kept).
    pub fn apply_next(&mut self, now: SimTime) -> Option<BinlogEvent> {
        let ev = self.relay.pop_front()?;
        self.relay_started = self.relay_started.saturating_sub(1);
        self.set_row(&ev, now);
        self.executed.add(ev.gtid);
        self.log(ev);
        Some(ev)
    }

    /// `Seconds_Behind_Source` as MySQL computes it (`show_slave_status_send_data`): NULL
    /// unless the applier runs and the receiver is connected to its source; then 0 when the
    /// applier has applied all of its relay log (even if the receiver is behind), else whole
    /// seconds since the source committed the event being applied.
    pub fn seconds_behind_source(&self, now: SimTime) -> Option<u64> {
        if self.role != DbRole::Replica || !self.sql_running || !self.receiver_connected() {
            return None;
        }
        match self.relay.front() {
            None => Some(0),
            Some(ev) => Some((now - ev.ts) / SEC),
        }
    }

    /// Its receiver (I/O) thread is connected to its source (`Replica_IO_Running: Yes`).
    pub fn receiver_connected(&self) -> bool {
        self.source.is_some() && self.io == IoState::Yes
    }

    /// Transactions `writer` has executed that this server has not.
    pub fn transactions_behind(&self, writer: &Mysql) -> u64 {
        let mine = |u: usize| self.executed.0.get(u).copied().unwrap_or(0);
        (writer.executed.0.iter().enumerate())
            .map(|(u, &n)| n.saturating_sub(mine(u)))
            .sum()
    }

    /// The first position in `source`'s binlog holding an event this server lacks
    /// (GTID auto-positioning).
    pub fn auto_position(&self, source: &Mysql) -> u64 {
        for (i, ev) in source.binlog.iter().enumerate() {
            if !self.received.contains(ev.gtid) {
                return source.binlog_first_pos + i as u64;
            }
        }
        source.next_pos()
    }

    /// Whether `source` has purged binlog events this server still needs (MySQL error 1236).
    pub fn needs_purged(&self, source: &Mysql) -> bool {
        let mut oldest: Vec<Option<u64>> = vec![None; self.received.0.len()];
        for ev in &source.binlog {
            let o = &mut oldest[ev.gtid.source as usize];
            if o.is_none() {
                *o = Some(ev.gtid.n);
            }
        }
        // Everything of a uuid before its oldest kept event is gone from the source.
        let purged_before = |u: usize| match oldest[u] {
            Some(n) => n.saturating_sub(1),
            None => source.executed.0.get(u).copied().unwrap_or(0),
        };
        (0..self.received.0.len()).any(|u| self.received.0[u] < purged_before(u))
    }

    /// The first position in `source`'s binlog holding an event this server has not applied.
    pub fn first_unexecuted(&self, source: &Mysql) -> u64 {
        for (i, ev) in source.binlog.iter().enumerate() {
            if !self.executed.contains(ev.gtid) {
                return source.binlog_first_pos + i as u64;
            }
        }
        source.next_pos()
    }

    /// How far behind `primary` this server's data is: since the oldest transaction the
    /// primary has and this server has not applied (0 only when caught up).
    pub fn lag_behind(&self, primary: &Mysql, now: SimTime) -> u64 {
        let mut oldest = None;
        for ev in primary.binlog.iter().rev() {
            if self.executed.contains(ev.gtid) {
                break;
            }
            oldest = Some(ev.ts);
        }
        // A transaction committed this very microsecond is 0 µs old but already missing here:
        // round its age up to the clock's 1 µs, so a replica that is behind never shows 0.
        oldest.map_or(0, |ts| (now - ts).max(1))
    }

    /// Drops binlog events every replica has received, keeping the last `keep` for display.
    /// `needed` is the oldest position some replica still lacks.
    pub fn purge_binlog(&mut self, needed: u64, keep: usize) {
        while self.binlog.len() > keep && self.binlog_first_pos < needed {
            self.binlog.pop_front();
            self.binlog_first_pos += 1;
        }
    }

    /// Forgets the relay log not yet applied (`RESET REPLICA`, or `relay_log_recovery` after
    /// a crash); returns how many events were dropped.
    pub fn drop_relay(&mut self) -> usize {
        let n = self.relay.len();
        self.relay.clear();
        self.relay_started = 0;
        self.received = self.executed.clone();
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (Mysql, Mysql) {
        let p = Mysql::new(NodeId(1), NodeId(0), 0, 2, Some(0));
        let r = Mysql::new(NodeId(3), NodeId(2), 1, 2, Some(0));
        (p, r)
    }

    /// The source writes each committed transaction to its binary log; the replica's
    /// receiver pulls it into the relay log; the applier executes it.
    #[test]
    fn binlog_ships_and_applies() {
        let (mut p, mut r) = pair();
        assert_eq!(
            (p.role, r.role, r.read_only),
            (DbRole::Primary, DbRole::Replica, true)
        );
        let pos = p.commit(5, 1, SimTime(1_000), 7, true);
        assert_eq!(pos, 1);
        let ev = *p.binlog_at(pos).unwrap();
        assert_eq!(ev.gtid, Gtid { source: 0, n: 1 });
        assert_eq!(r.receive(ev), Received::Logged);
        assert_eq!(
            r.receive(ev),
            Received::Duplicate,
            "a GTID is received once"
        );
        let third = BinlogEvent {
            gtid: Gtid { source: 0, n: 3 },
            ..ev
        };
        assert_eq!(r.receive(third), Received::Gap, "no skipping");
        assert_eq!(r.rows[5].version, 0, "received is not applied");
        assert_eq!(r.lag_behind(&p, SimTime(3_000)), 2_000);
        // In the microsecond of the commit it is already behind: lag 0 means caught up.
        assert_eq!(r.lag_behind(&p, SimTime(1_000)), 1);
        r.apply_next(SimTime(3_000)).unwrap();
        assert_eq!(r.rows[5].version, 1);
        assert!(r.executed.contains(ev.gtid));
        assert_eq!(r.lag_behind(&p, SimTime(5_000)), 0);
        assert_eq!(
            p.executed.text(),
            "3e11fa47-71ca-11e1-9e33-c80aa9429501:1-1"
        );
    }

    /// Seconds_Behind_Source is NULL with the applier stopped, 0 once it has caught
    /// up with the relay log even if the receiver is behind, else whole seconds.
    #[test]
    fn seconds_behind_source_as_mysql_computes_it() {
        let (mut p, mut r) = pair();
        assert_eq!(
            r.seconds_behind_source(SimTime(0)),
            None,
            "receiver not connected yet"
        );
        r.io = IoState::Yes;
        assert_eq!(r.seconds_behind_source(SimTime(0)), Some(0));
        p.commit(1, 1, SimTime(SEC), 1, true);
        p.commit(2, 2, SimTime(2 * SEC), 2, true);
        // Nothing received yet: the applier has nothing to do, so 0, though the data is behind.
        assert_eq!(r.seconds_behind_source(SimTime(5 * SEC)), Some(0));
        assert_eq!(r.lag_behind(&p, SimTime(5 * SEC)), 4 * SEC);
        r.receive(*p.binlog_at(1).unwrap());
        r.receive(*p.binlog_at(2).unwrap());
        assert_eq!(r.seconds_behind_source(SimTime(5 * SEC + 900_000)), Some(4));
        r.apply_next(SimTime(6 * SEC));
        assert_eq!(r.seconds_behind_source(SimTime(6 * SEC)), Some(4));
        assert_eq!(r.transactions_behind(&p), 1);
        // Its source gone (Replica_IO_Running: Connecting): NULL, though it is behind.
        r.io = IoState::Connecting;
        assert_eq!(r.seconds_behind_source(SimTime(6 * SEC)), None);
        r.io = IoState::Yes;
        r.sql_running = false;
        assert_eq!(r.seconds_behind_source(SimTime(6 * SEC)), None);
        assert_eq!(p.seconds_behind_source(SimTime(6 * SEC)), None);
    }

    /// RESET REPLICA drops relay logs not yet applied.
    #[test]
    fn reset_replica_drops_unapplied_relay() {
        let (mut p, mut r) = pair();
        for i in 0..3 {
            let pos = p.commit(i, i as u64 + 1, SimTime(i as u64), 1, true);
            r.receive(*p.binlog_at(pos).unwrap());
        }
        r.apply_next(SimTime(10));
        assert_eq!(r.drop_relay(), 2);
        assert_eq!(r.executed.total(), 1);
        assert_eq!(r.received, r.executed);
        // Auto-positioning asks the source for what is missing again.
        assert_eq!(r.auto_position(&p), 2);
    }

    #[test]
    fn binlog_is_bounded() {
        let (mut p, _) = pair();
        for i in 0..(BINLOG_CAP as u64 + 10) {
            p.commit(0, i + 1, SimTime(i), 0, true);
        }
        assert_eq!(p.binlog.len(), BINLOG_CAP);
        assert_eq!(p.binlog_first_pos, 11);
        assert!(p.binlog_at(10).is_none());
        assert!(p.binlog_at(11).is_some());
    }
}
