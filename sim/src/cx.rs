//! What a component may touch while it reacts to an event: the clock, the event queue
//! (events after a delay), the one RNG, the log and the status transitions, and a read-only
//! view of the network. A component gets a `Cx` from the world for each event it owns and
//! knows nothing else of the world; a test builds one from a `TestBed`.

use crate::log::{push_transition, LogEvent, LogRing, Transition};
use crate::net::{Conn, Net};
use crate::queue::EventQueue;
use crate::rng::SimRng;
use crate::time::SimTime;
use crate::topology::{LinkId, NodeId};
use std::collections::VecDeque;

/// The context of one event, for a component whose events convert into `E`.
pub struct Cx<'a, E> {
    now: SimTime,
    net: &'a Net,
    queue: &'a mut EventQueue<E>,
    rng: &'a mut SimRng,
    log: &'a mut LogRing,
    transitions: &'a mut VecDeque<Transition>,
    version: &'a mut u64,
}

impl<'a, E> Cx<'a, E> {
    #[inline]
    pub fn new(
        now: SimTime,
        net: &'a Net,
        queue: &'a mut EventQueue<E>,
        rng: &'a mut SimRng,
        log: &'a mut LogRing,
        transitions: &'a mut VecDeque<Transition>,
        version: &'a mut u64,
    ) -> Self {
        Cx {
            now,
            net,
            queue,
            rng,
            log,
            transitions,
            version,
        }
    }

    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The network as it is now: conditions, reachability, latencies.
    #[inline]
    pub fn net(&self) -> &Net {
        self.net
    }

    /// Opens a connection from a process on `from_host` to component `to` (drawing from the
    /// RNG where a lossy link can drop packets).
    #[inline]
    pub fn connect(&mut self, from_host: NodeId, to: NodeId) -> Conn {
        self.net.connect(self.rng, from_host, to)
    }

    /// How long a message takes over `link` now (drawing from the RNG where it is lossy).
    #[inline]
    pub fn link_latency(&mut self, link: LinkId) -> u64 {
        self.net.link_latency(self.rng, link)
    }

    /// The run's one RNG.
    #[inline]
    pub fn rng(&mut self) -> &mut SimRng {
        self.rng
    }

    pub fn log(&mut self, ev: LogEvent) {
        self.log.push(self.now, ev);
    }

    /// Records that `node`'s `what` went from `from` to `to` (the summary's transitions).
    pub fn transition(&mut self, node: &str, what: &'static str, from: String, to: String) {
        push_transition(self.transitions, self.now, node, what, from, to);
    }

    /// Something the page shows as state changed: it redraws.
    #[inline]
    pub fn changed(&mut self) {
        *self.version += 1;
    }
}

impl<E: Copy + Default> Cx<'_, E> {
    /// Queues `ev` to happen `delay_us` from now.
    #[inline]
    pub fn after(&mut self, delay_us: u64, ev: impl Into<E>) {
        self.queue.push(self.now + delay_us, ev.into());
    }

    /// Queues `ev` to happen `delay_us` from now on FIFO lane `lane` (for events almost always
    /// queued in time order).
    #[inline]
    pub fn after_in_lane(&mut self, lane: usize, delay_us: u64, ev: impl Into<E>) {
        self.queue.push_lane(lane, self.now + delay_us, ev.into());
    }

    /// Queues `ev` at `at` (not before now).
    #[inline]
    pub fn at(&mut self, at: SimTime, ev: impl Into<E>) {
        debug_assert!(at >= self.now);
        self.queue.push(at, ev.into());
    }
}

/// Everything a `Cx` borrows, for testing a component alone: its events run in time order
/// and the log and transitions can be read after.
#[cfg(test)]
pub(crate) struct TestBed<E> {
    pub now: SimTime,
    pub net: Net,
    pub queue: EventQueue<E>,
    pub rng: SimRng,
    pub log: LogRing,
    pub transitions: VecDeque<Transition>,
    pub version: u64,
}

#[cfg(test)]
impl<E: Copy + Default> TestBed<E> {
    /// The network of `scenario`'s topology, every node and link up.
    pub fn new(scenario: &crate::Scenario) -> Self {
        let topo = crate::topology::Topology::build(&scenario.topology);
        TestBed {
            now: SimTime::ZERO,
            net: Net::new(topo, &scenario.timing.resolve()),
            queue: EventQueue::default(),
            rng: SimRng::new(scenario.seed),
            log: LogRing::new(1000),
            transitions: VecDeque::new(),
            version: 0,
        }
    }

    pub fn cx(&mut self) -> Cx<'_, E> {
        Cx::new(
            self.now,
            &self.net,
            &mut self.queue,
            &mut self.rng,
            &mut self.log,
            &mut self.transitions,
            &mut self.version,
        )
    }

    /// Runs every event due up to `t` through `handle`, then sets the clock to `t`.
    pub fn run_until(&mut self, t: SimTime, mut handle: impl FnMut(E, &mut Cx<'_, E>)) {
        while let Some((at, ev)) = self.queue.pop_until(t) {
            self.now = at;
            let mut cx = self.cx();
            handle(ev, &mut cx);
        }
        self.now = self.now.max(t);
    }
}
