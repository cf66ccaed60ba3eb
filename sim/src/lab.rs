//! Time travel: a world plus the log of user actions, with checkpoints.
//!
//! The world is deterministic and `Clone`, so any earlier moment is a checkpoint plus a replay of
//! the actions taken since (docs/architecture.md, "Time travel"). Actions are stamped with the
//! number of events the world had run when they were taken, so a replay applies each one between
//! exactly the same two events as the first time, even when the user stepped event by event.
//!
//! The page is the lab's only user, so its methods are `#[inline]`: compiled in the page's
//! crate, built for size, as the JSON reader is. The world's event loop they call,
//! `World::advance_to`, stays in this crate, built for speed (docs/performance.md).

use crate::action::Action;
pub use crate::action::Stamped;
use crate::error::{ActionError, LabError};
use crate::log::LogRing;
use crate::metrics::Series;
use crate::mysql::Gtid;
use crate::scenario::{Scenario, ScenarioError};
use crate::snapshot::{Backend, Monitoring, Replication, Security, Snapshot, Totals};
use crate::time::{SimTime, SEC};
use crate::topology::Topology;
use crate::trace::{Trace, TraceRing};
use crate::world::{Req, Transition, World};

/// A checkpoint every this many simulated microseconds.
pub const CHECKPOINT_EVERY: u64 = 5 * SEC;
/// At most this many checkpoints; older ones are thinned out.
pub const MAX_CHECKPOINTS: usize = 32;
/// At most this many request slots in all the checkpoints together (about 150 MB natively):
/// a busy run (5,000 requests/s in the classroom timing holds 87,000 in flight) keeps three
/// besides the first, so that its memory stays flat.
pub const CHECKPOINT_SLOTS: usize = 1 << 18;

#[derive(Debug, Clone)]
pub struct Lab {
    scenario: Scenario,
    world: World,
    actions: Vec<Stamped>,
    /// Taken actions not yet replayed (after a jump back): `actions[next_action..]`.
    next_action: usize,
    /// Saved worlds, each with how many actions it had taken.
    checkpoints: Vec<(World, usize)>,
    /// A dropped checkpoint's request slots, emptied: the next checkpoint's (see `checkpoint`).
    room: Vec<Req>,
    /// The furthest moment this run has reached.
    horizon: SimTime,
    /// Events the last `seek` had to replay.
    replayed: u64,
}

impl Lab {
    #[inline]
    pub fn new(scenario: &Scenario) -> Result<Lab, ScenarioError> {
        let world = World::new(scenario)?;
        Ok(Lab {
            scenario: scenario.clone(),
            checkpoints: vec![(world.clone(), 0)],
            room: Vec::new(),
            world,
            actions: Vec::new(),
            next_action: 0,
            horizon: SimTime::ZERO,
            replayed: 0,
        })
    }

    /// Rebuilds a run from its scenario and action log and goes to `t` (share links).
    #[inline]
    pub fn replay(scenario: &Scenario, actions: Vec<Stamped>, t: SimTime) -> Result<Lab, LabError> {
        let mut lab = Lab::new(scenario)?;
        if actions
            .windows(2)
            .any(|w| w[1].events < w[0].events || w[1].at < w[0].at)
        {
            return Err(LabError::ActionsOutOfOrder);
        }
        for a in &actions {
            a.action.validate()?;
        }
        lab.actions = actions;
        lab.horizon = lab.actions.last().map_or(SimTime::ZERO, |a| a.at);
        lab.advance_to(t);
        lab.horizon = lab.horizon.max(t);
        Ok(lab)
    }

    /// A share link to this run at the moment shown.
    #[inline]
    pub fn share_link(&self, lesson: Option<String>) -> String {
        crate::share::encode(&crate::share::Shared {
            scenario: self.scenario.clone(),
            actions: self.actions_so_far().to_vec(),
            t: self.now(),
            lesson,
        })
    }

    /// Opens a share link: the same run, at the same moment. Any bad link gives a message.
    #[inline]
    pub fn from_link(link: &str) -> Result<(Lab, Option<String>), LabError> {
        let s = crate::share::decode(link)?;
        let lab = Lab::replay(&s.scenario, s.actions, s.t)?;
        Ok((lab, s.lesson))
    }

    /// The world itself: for the core's own tests and the command line. The page reads
    /// only the snapshot and the queries below.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The scenario the run started from (what a share link carries).
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The scenario in force now: the one it started from with every setting changed since.
    pub fn live_scenario(&self) -> &Scenario {
        &self.world.scenario
    }

    pub fn topology(&self) -> &Topology {
        self.world.topology()
    }

    /// The request the inspector follows (its id): a dot wherever it waits.
    pub fn follow(&mut self, id: Option<u64>) {
        self.world.follow(id);
    }

    /// Fills `snap` with what the page draws now (`World::snapshot_into`).
    pub fn snapshot_into(&self, snap: &mut Snapshot) {
        self.world.snapshot_into(snap);
    }

    /// The narrated log, oldest first, and how many lines were ever written.
    pub fn log(&self) -> &LogRing {
        &self.world.log
    }

    /// The per-second metrics.
    pub fn series(&self) -> &Series {
        &self.world.series
    }

    /// The latest finished requests.
    pub fn traces(&self) -> &TraceRing {
        &self.world.traces
    }

    /// One request by its id, under way or among the latest finished (`World::journey`).
    pub fn journey(&self, id: u64) -> Option<Trace> {
        self.world.journey(id)
    }

    /// Every state change of a server, node or keepalived, oldest first (the latest ones).
    pub fn transitions(&self) -> impl DoubleEndedIterator<Item = &Transition> {
        self.world.transitions.iter()
    }

    /// The backends as the first load balancer sees them.
    pub fn backends(&self) -> impl Iterator<Item = Backend<'_>> {
        let lb = self.world.lbs.first();
        lb.into_iter().flat_map(|lb| &lb.servers).map(Backend)
    }

    /// Whether a server other than the writer has applied `g`.
    pub fn replicated(&self, g: Gtid) -> bool {
        let w = &self.world;
        w.repl
            .dbs
            .iter()
            .enumerate()
            .any(|(i, d)| Some(i) != w.repl.primary && d.executed.contains(g))
    }

    pub fn totals(&self) -> Totals {
        let t = &self.world.totals;
        Totals {
            created: t.created,
            ended: t.ended,
            ok: t.ok,
            stale_reads: t.stale_reads,
            by_status: t.by_status,
        }
    }

    pub fn monitoring(&self) -> Monitoring<'_> {
        let m = &self.world.monitor;
        Monitoring {
            alerts: &m.alerts,
            error_seconds: m.error_seconds,
            unnoticed_error_seconds: m.unnoticed_error_seconds,
        }
    }

    pub fn security(&self) -> Security<'_> {
        let s = &self.world.security;
        Security {
            plaintext_seen: s.plaintext_seen,
            passwords_seen: s.passwords_seen,
            ciphertext_seen: s.ciphertext_seen,
            probes: s.probes,
            attacker_reached: s.attacker_reached,
            attacker_blocked: s.attacker_blocked,
            exposed: &s.exposed,
        }
    }

    pub fn replication(&self) -> Replication<'_> {
        let r = &self.world.repl;
        Replication {
            failovers: r.failovers,
            lost_count: r.lost_count,
            lost: &r.lost,
            split_brain: r.split_brain,
        }
    }

    pub fn now(&self) -> SimTime {
        self.world.now()
    }

    pub fn horizon(&self) -> SimTime {
        self.horizon.max(self.world.now())
    }

    /// Every action taken, including any ahead of the moment shown.
    pub fn actions(&self) -> &[Stamped] {
        &self.actions
    }

    /// The actions up to the moment shown (what a share link of this moment carries).
    pub fn actions_so_far(&self) -> &[Stamped] {
        &self.actions[..self.next_action]
    }

    /// Takes an action now. After a jump back, taking one forgets the old future.
    #[inline]
    pub fn apply(&mut self, action: Action) -> Result<(), ActionError> {
        self.world.apply(&action)?;
        self.actions.truncate(self.next_action);
        let now = self.world.now();
        self.checkpoints.retain(|(w, _)| w.now() <= now);
        self.actions.push(Stamped {
            at: self.world.now(),
            events: self.world.events,
            action,
        });
        self.next_action = self.actions.len();
        self.horizon = self.world.now();
        Ok(())
    }

    /// Runs forward to `t`, replaying recorded actions on the way and taking checkpoints.
    #[inline]
    pub fn advance_to(&mut self, t: SimTime) {
        while self.world.now() < t
            || self.next_action < self.actions.len() && self.actions[self.next_action].at <= t
        {
            let next_cp = SimTime((self.world.now().0 / CHECKPOINT_EVERY + 1) * CHECKPOINT_EVERY);
            let next_action = self.actions.get(self.next_action).filter(|a| a.at <= t);
            match next_action {
                Some(a) if a.at <= next_cp => {
                    let a = a.clone();
                    self.world.run_until(a.events, a.at);
                    // Replaying what worked the first time; it cannot fail differently.
                    let _ = self.world.apply(&a.action);
                    self.next_action += 1;
                }
                _ if next_cp <= t => {
                    self.world.advance_to(next_cp);
                    self.checkpoint();
                }
                _ => self.world.advance_to(t),
            }
        }
        self.horizon = self.horizon.max(self.world.now());
    }

    /// Runs the next event (the page's Step).
    #[inline]
    pub fn step(&mut self) -> Option<SimTime> {
        if let Some(a) = self.actions.get(self.next_action) {
            if self.world.events >= a.events {
                let a = a.clone();
                self.world.run_until(a.events, a.at);
                let _ = self.world.apply(&a.action);
                self.next_action += 1;
            }
        }
        let t = self.world.step();
        self.horizon = self.horizon.max(self.world.now());
        t
    }

    /// Jumps to any moment from 0 to the horizon (the page's timeline).
    #[inline]
    pub fn seek(&mut self, t: SimTime) {
        let t = t.min(self.horizon());
        if t >= self.world.now() {
            self.advance_to(t);
            return;
        }
        let (world, taken) = self
            .checkpoints
            .iter()
            .rev()
            .find(|(w, _)| w.now() <= t)
            .unwrap_or(&self.checkpoints[0])
            .clone();
        self.world = world;
        self.next_action = taken;
        let from = self.world.events;
        self.advance_to(t);
        self.replayed = self.world.events - from;
    }

    #[inline]
    fn checkpoint(&mut self) {
        let now = self.world.now();
        if self.checkpoints.last().is_some_and(|(c, _)| c.now() >= now) {
            return;
        }
        // The request slots are the bulk of a copy: written into a dropped checkpoint's
        // buffer, not a new one (the page's allocator would not reuse a freed block of the
        // very same size, and its memory would grow for minutes).
        let slots = self.world.lend_slots();
        let mut copy = self.world.clone();
        let mut room = std::mem::take(&mut self.room);
        room.clear();
        room.extend_from_slice(&slots);
        copy.swap_slots(room);
        self.world.swap_slots(slots);
        self.checkpoints.push((copy, self.next_action));
        if self.checkpoints.len() > MAX_CHECKPOINTS {
            // Keep the first and the recent half; drop every other one of the older half.
            let half = self.checkpoints.len() / 2;
            let mut i = 0;
            self.checkpoints.retain(|_| {
                let keep = i == 0 || i >= half || i % 2 == 0;
                i += 1;
                keep
            });
        }
        while self.checkpoints.len() > 2 && self.checkpoint_slots() > CHECKPOINT_SLOTS {
            // Drop the one whose neighbours are closest for its age: recent moments stay
            // close together, older ones further apart, so a jump back replays little.
            let t = |i: usize| self.checkpoints[i].0.now().0 as f64;
            let crowded = |i: usize| (t(i + 1) - t(i - 1)) / (now.0 as f64 - t(i));
            let drop =
                (1..self.checkpoints.len() - 1).min_by(|&a, &b| crowded(a).total_cmp(&crowded(b)));
            let mut dropped = self.checkpoints.remove(drop.unwrap_or(1)).0;
            let mut room = dropped.lend_slots();
            if room.capacity() > self.room.capacity() {
                room.clear();
                self.room = room;
            }
        }
    }

    /// How many events the last jump back had to replay.
    pub fn last_replay_events(&self) -> u64 {
        self.replayed
    }

    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }

    /// Request slots held by the checkpoints together (see `CHECKPOINT_SLOTS`).
    pub fn checkpoint_slots(&self) -> usize {
        let each = self.checkpoints.iter().map(|(w, _)| w.request_slots());
        each.sum()
    }
}
