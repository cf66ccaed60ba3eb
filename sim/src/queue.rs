//! The event queue: a binary heap on (time, sequence number), after nexosim's
//! `priority_queue.rs`. The sequence number breaks ties in FIFO order, so the run is the same
//! wherever it runs.

use crate::time::SimTime;
use std::collections::VecDeque;

#[derive(Debug, Clone)]
struct Entry<E> {
    /// (time << 64) | (sequence << SLOT_BITS): one integer compare orders by time, then FIFO.
    key: u128,
    event: E,
}

#[inline]
fn key(at: SimTime, seq: u64) -> u128 {
    ((at.0 as u128) << 64) | ((seq as u128) << SLOT_BITS)
}

#[inline]
pub(crate) fn time_of(key: u128) -> SimTime {
    SimTime((key >> 64) as u64)
}

/// Low bits of a heap key: where the event waits in the slab.
const SLOT_BITS: u32 = 26;
const SLOT_MASK: u128 = (1 << SLOT_BITS) - 1;

/// A binary min-heap of bare 16-byte keys, (time, sequence, slab slot), with the events
/// themselves in a slab: sifting moves only aligned integers. Popping walks the hole down to
/// a leaf along the smaller child without a branch, then sifts the last key up.
#[derive(Debug, Clone)]
struct MinHeap<E> {
    keys: Vec<u128>,
    slab: Vec<E>,
    free: Vec<u32>,
}

impl<E: Copy + Default> MinHeap<E> {
    #[inline]
    fn push(&mut self, key: u128, event: E) {
        *self.place(key) = event;
    }

    /// Queues `key` and gives the slab slot its event is to be written in. Writing an event
    /// in place, field by field, rather than building it elsewhere and copying it here: a
    /// copy reads the 32 bytes back in two wide loads just after the narrow stores that
    /// wrote them, which the CPU cannot forward from its store buffer (it waits for them to
    /// reach the cache). perf put a third of the M/M/c run's samples on two such loads;
    /// writing in place (and popping into one slot, `pop_into`) took 5% off its cycles.
    // Every request passes here: inlined natively, a call in the page (docs/performance.md).
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    fn place(&mut self, key: u128) -> &mut E {
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.slab.push(E::default());
                (self.slab.len() - 1) as u32
            }
        };
        debug_assert!((slot as u128) <= SLOT_MASK);
        let k = key | slot as u128;
        self.keys.push(k);
        let mut i = self.keys.len() - 1;
        while i > 0 {
            let p = (i - 1) / 2;
            let pk = self.keys[p];
            if pk <= k {
                break;
            }
            self.keys[i] = pk;
            i = p;
        }
        self.keys[i] = k;
        &mut self.slab[slot as usize]
    }

    #[inline]
    fn peek_key(&self) -> Option<u128> {
        self.keys.first().copied()
    }

    /// Takes the first entry: its event into `out` (see `EventQueue::pop_into`), its key out.
    #[inline]
    fn pop_into(&mut self, out: &mut E) -> Option<u128> {
        let last = self.keys.pop()?;
        let top = if self.keys.is_empty() {
            last
        } else {
            let top = self.keys[0];
            let n = self.keys.len();
            let mut hole = 0;
            loop {
                let c = 2 * hole + 1;
                if c >= n {
                    break;
                }
                let c = if c + 1 < n {
                    c + (self.keys[c + 1] < self.keys[c]) as usize
                } else {
                    c
                };
                self.keys[hole] = self.keys[c];
                hole = c;
            }
            while hole > 0 {
                let p = (hole - 1) / 2;
                let pk = self.keys[p];
                if pk <= last {
                    break;
                }
                self.keys[hole] = pk;
                hole = p;
            }
            self.keys[hole] = last;
            top
        };
        let slot = (top & SLOT_MASK) as u32;
        self.free.push(slot);
        *out = self.slab[slot as usize];
        Some(top)
    }

    fn len(&self) -> usize {
        self.keys.len()
    }
}

/// Besides the heap, FIFO lanes for events that are almost always pushed in time order
/// (semi-sync waits: one timeout for all). Pushing and popping them costs O(1). An entry
/// that would break a lane's time order goes to the heap instead, so the order stays exact.
pub const LANES: usize = 1;

/// One more lane, of the queue's own: events due at the time of the last pop (a hop with no
/// latency, an answer given at once) while something else is due then too (else the event
/// waits in `next`). They come after everything already due then, in the order they were
/// pushed, which is exactly where the heap would have put them.
const NOW_LANE: usize = LANES;

/// Timers all set with one delay (HAProxy's `timeout server` and `timeout queue`): one per
/// request, nearly all of them dead (the request ended) before they are due. They wait here in time order, with their place in the queue's
/// order (time, sequence) taken when set; the queue holds one event for the lane, set for
/// its earliest timer. Setting one costs a push at the back, and a dead one is dropped when
/// it reaches the front, without ever running as an event.
#[derive(Debug, Clone)]
pub struct TimerLane<T> {
    entries: VecDeque<(u128, T)>,
    /// The key of the lane's event in the queue, if one is there.
    armed: Option<u128>,
    /// Dead timers at the front are dropped when the lane is this long.
    prune_at: usize,
}

const MIN_PRUNE: usize = 64;

impl<T> Default for TimerLane<T> {
    fn default() -> Self {
        TimerLane {
            entries: VecDeque::new(),
            armed: None,
            prune_at: MIN_PRUNE,
        }
    }
}

impl<T> TimerLane<T> {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct EventQueue<E> {
    heap: MinHeap<E>,
    lanes: [VecDeque<Entry<E>>; LANES + 1],
    /// The smallest key at the front of a lane (`u128::MAX` when all are empty), kept up to
    /// date on every lane push and pop so that finding the next event looks at two numbers.
    lanes_min: u128,
    /// The lane whose front is `lanes_min`.
    min_lane: usize,
    seq: u64,
    /// The time of the last event popped.
    now: SimTime,
    /// An event due now pushed when nothing else was due now (a hop with no latency): it is
    /// the next event whatever comes after it, so it waits here, not in a lane or the heap.
    next: Option<E>,
    /// The one pending event of a process that has at most one at a time (the next
    /// arrival): setting it again replaces it. `u128::MAX` when there is none.
    single_key: u128,
    single: E,
}

impl<E: Default> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: MinHeap {
                keys: Vec::new(),
                slab: Vec::new(),
                free: Vec::new(),
            },
            lanes: std::array::from_fn(|_| VecDeque::new()),
            lanes_min: u128::MAX,
            min_lane: 0,
            seq: 0,
            now: SimTime::ZERO,
            next: None,
            single_key: u128::MAX,
            single: E::default(),
        }
    }
}

impl<E: Copy + Default> EventQueue<E> {
    /// Where to write an event due at `at` (`*queue.place(at) = event`; see `MinHeap::place`).
    // Every request passes here: inlined natively, a call in the page (docs/performance.md).
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    pub fn place(&mut self, at: SimTime) -> &mut E {
        if at == self.now {
            if self.next.is_none() && time_of(self.first_key()) > at {
                return self.next.insert(E::default());
            }
            return self.place_lane(NOW_LANE, at);
        }
        let key = self.take_key(at);
        self.heap.place(key)
    }

    #[inline]
    pub fn push(&mut self, at: SimTime, event: E) {
        *self.place(at) = event;
    }

    /// The place in the queue's order of an event due at `at` scheduled now, for one that
    /// is queued later (`push_key`) or not at all if it turns out not to matter.
    #[inline]
    pub fn take_key(&mut self, at: SimTime) -> u128 {
        self.seq += 1;
        key(at, self.seq)
    }

    /// Queues an event with a key from `take_key`: in the heap, which orders it among
    /// everything else as if it had been queued when the key was taken.
    #[inline]
    pub fn push_key(&mut self, key: u128, event: E) {
        debug_assert!(time_of(key) >= self.now);
        *self.heap.place(key) = event;
    }

    /// Where to write the single event (see `single`) due at `at`, in place of the one
    /// pending, if any. Due now, it goes where `place` puts it.
    #[inline]
    pub fn place_single(&mut self, at: SimTime) -> &mut E {
        if at <= self.now {
            self.single_key = u128::MAX;
            return self.place(at);
        }
        self.single_key = self.take_key(at);
        &mut self.single
    }

    /// Drops the single event, if one is pending.
    #[inline]
    pub fn cancel_single(&mut self) {
        self.single_key = u128::MAX;
    }

    /// Where to write an event due at `at` on a FIFO lane (as `push_lane`).
    #[inline]
    pub fn place_lane(&mut self, lane: usize, at: SimTime) -> &mut E {
        let key = self.take_key(at);
        let l = &mut self.lanes[lane];
        match l.back() {
            Some(b) if b.key > key => return self.heap.place(key),
            None if key < self.lanes_min => {
                self.lanes_min = key;
                self.min_lane = lane;
            }
            _ => {}
        }
        let l = &mut self.lanes[lane];
        l.push_back(Entry {
            key,
            event: E::default(),
        });
        let last = l.len() - 1;
        &mut l[last].event
    }

    /// Schedules on a FIFO lane when that keeps the lane in time order, else on the heap.
    #[inline]
    pub fn push_lane(&mut self, lane: usize, at: SimTime, event: E) {
        *self.place_lane(lane, at) = event;
    }

    /// The smallest key in the heap and the lanes (`u128::MAX` when both are empty).
    #[inline]
    fn first_key(&self) -> u128 {
        self.heap
            .peek_key()
            .unwrap_or(u128::MAX)
            .min(self.lanes_min)
            .min(self.single_key)
    }

    #[inline]
    pub fn peek_time(&self) -> Option<SimTime> {
        if self.next.is_some() {
            return Some(self.now);
        }
        let k = self.first_key();
        (k != u128::MAX).then(|| time_of(k))
    }

    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.pop_until(SimTime(u64::MAX))
    }

    /// The next event if it is due at or before `t`.
    #[inline]
    pub fn pop_until(&mut self, t: SimTime) -> Option<(SimTime, E)> {
        let mut e = E::default();
        self.pop_into(t, &mut e).map(|at| (at, e))
    }

    /// The next event, if it is due at or before `t`, copied into `out`; returns its time.
    /// Copied slot to slot, never put together in a new value: see `MinHeap::place`.
    #[inline]
    pub fn pop_into(&mut self, t: SimTime, out: &mut E) -> Option<SimTime> {
        if let Some(e) = &self.next {
            if self.now > t {
                return None;
            }
            *out = *e;
            self.next = None;
            return Some(self.now);
        }
        let heap = self.heap.peek_key().unwrap_or(u128::MAX);
        let key = if self.single_key < heap.min(self.lanes_min) {
            let key = self.single_key;
            if time_of(key) > t {
                return None;
            }
            *out = self.single;
            self.single_key = u128::MAX;
            key
        } else if heap < self.lanes_min {
            if time_of(heap) > t {
                return None;
            }
            self.heap.pop_into(out)?
        } else {
            if self.lanes_min == u128::MAX || time_of(self.lanes_min) > t {
                return None;
            }
            let l = &mut self.lanes[self.min_lane];
            let f = l.front()?;
            let key = f.key;
            *out = f.event;
            l.pop_front();
            self.find_lanes_min();
            key
        };
        self.now = time_of(key);
        Some(self.now)
    }

    #[inline]
    fn find_lanes_min(&mut self) {
        self.lanes_min = u128::MAX;
        for (i, l) in self.lanes.iter().enumerate() {
            if let Some(e) = l.front() {
                if e.key < self.lanes_min {
                    self.lanes_min = e.key;
                    self.min_lane = i;
                }
            }
        }
    }

    /// Sets a timer on `lane` (see [`TimerLane`]), due at `at`. `event(true)` is the lane's
    /// own event (its wake-up); `event(false)` is this timer as an event of its own, pushed
    /// when it would break the lane's time order (its delay was changed meanwhile). `live`
    /// says whether a timer still matters: when the lane has doubled since it was last
    /// pruned, the dead ones at its front are dropped, so that it holds about the work under
    /// way (each timer is looked at once, not the front on every push).
    #[inline(always)]
    pub fn push_timer<T: Copy>(
        &mut self,
        lane: &mut TimerLane<T>,
        at: SimTime,
        timer: T,
        event: impl Fn(bool) -> E,
        live: impl FnMut(&T) -> bool,
    ) {
        let key = self.take_key(at);
        // The common case, kept small: a later timer behind others on a lane already woken.
        if at > self.now
            && lane.entries.len() < lane.prune_at
            && lane.armed.is_some()
            && lane.entries.back().is_some_and(|&(b, _)| b <= key)
        {
            lane.entries.push_back((key, timer));
            return;
        }
        self.push_timer_else(lane, key, timer, event, live);
    }

    #[inline(never)]
    fn push_timer_else<T: Copy>(
        &mut self,
        lane: &mut TimerLane<T>,
        key: u128,
        timer: T,
        event: impl Fn(bool) -> E,
        mut live: impl FnMut(&T) -> bool,
    ) {
        if time_of(key) <= self.now {
            // Not a delay (never for a timeout): an event like any other.
            self.heap.push(key, event(false));
            return;
        }
        if lane.entries.len() >= lane.prune_at {
            while lane.entries.front().is_some_and(|(_, t)| !live(t)) {
                lane.entries.pop_front();
            }
            lane.prune_at = (2 * lane.entries.len()).max(MIN_PRUNE);
        }
        match lane.entries.back() {
            Some(&(b, _)) if b > key => self.heap.push(key, event(false)),
            _ => {
                lane.entries.push_back((key, timer));
                if lane.armed.is_none() {
                    lane.armed = Some(key);
                    self.heap.push(key, event(true));
                }
            }
        }
    }

    /// The lane's `wake` event came: sets it again for the next timer that still matters,
    /// then gives the timer it was set for, if that one still matters (else `None`).
    #[inline]
    pub fn wake_timer<T: Copy>(
        &mut self,
        lane: &mut TimerLane<T>,
        wake: E,
        mut live: impl FnMut(&T) -> bool,
    ) -> Option<T> {
        let armed = lane.armed.take()?;
        // The timer it was set for, unless that one was dropped as dead meanwhile.
        let due = match lane.entries.front() {
            Some(&(k, t)) if k == armed => {
                lane.entries.pop_front();
                Some(t)
            }
            _ => None,
        };
        while lane.entries.front().is_some_and(|(_, t)| !live(t)) {
            lane.entries.pop_front();
        }
        // Set again before the timer runs: what it schedules for now comes after the next
        // timer if that one is due now too, as in one queue.
        if let Some(&(k, _)) = lane.entries.front() {
            lane.armed = Some(k);
            self.heap.push(k, wake);
        }
        due.filter(|t| live(t))
    }

    pub fn len(&self) -> usize {
        self.heap.len()
            + self.lanes.iter().map(|l| l.len()).sum::<usize>()
            + self.next.is_some() as usize
            + (self.single_key != u128::MAX) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stable event order: by time, then first scheduled first.
    #[test]
    fn earliest_first_then_fifo() {
        let mut q = EventQueue::default();
        q.push(SimTime(5), "b");
        q.push(SimTime(1), "a");
        q.push(SimTime(5), "c");
        q.push(SimTime(9), "d");
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
    }

    /// Lanes and heap interleave by (time, sequence), and an out-of-order lane push still
    /// comes out in time order.
    #[test]
    fn lanes_keep_the_global_order() {
        let mut q = EventQueue::default();
        q.push_lane(0, SimTime(10), "lane10");
        q.push(SimTime(10), "heap10");
        q.push_lane(0, SimTime(4), "lane4");
        q.push_lane(1, SimTime(7), "other7");
        q.push(SimTime(1), "heap1");
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ["heap1", "lane4", "other7", "lane10", "heap10"]);
    }

    /// An event pushed for the current time (a hop with no latency) takes the queue's
    /// own lane, and still comes after what was already due then, in push order.
    #[test]
    fn events_due_now_keep_their_place() {
        let mut q = EventQueue::default();
        q.push(SimTime(5), "a");
        q.push(SimTime(5), "b");
        q.push(SimTime(6), "later");
        assert_eq!(q.pop(), Some((SimTime(5), "a")));
        q.push(SimTime(5), "c");
        q.push_lane(0, SimTime(5), "d");
        q.push(SimTime(5), "e");
        assert_eq!(q.peek_time(), Some(SimTime(5)));
        assert_eq!(q.pop_until(SimTime(4)), None);
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ["b", "c", "d", "e", "later"]);
        assert!(q.is_empty());
    }

    /// The first event due now when nothing else is due now waits outside the heap and
    /// the lanes, and still comes first, before those pushed for now after it.
    #[test]
    fn the_next_event_due_now_comes_first() {
        let mut q = EventQueue::default();
        q.push(SimTime(5), "a");
        q.push(SimTime(6), "later");
        assert_eq!(q.pop(), Some((SimTime(5), "a")));
        q.push(SimTime(5), "b");
        q.push_lane(0, SimTime(5), "c");
        q.push(SimTime(5), "d");
        assert_eq!(q.len(), 4);
        assert_eq!(q.peek_time(), Some(SimTime(5)));
        assert_eq!(q.pop_until(SimTime(4)), None);
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ["b", "c", "d", "later"]);
        assert!(q.is_empty());
    }

    /// Drains `q`, running a timer lane's wake-ups as `World` does; returns what ran, in
    /// order: plain events, and the lane's timers that were still `live` when due.
    /// The lane's wake-up, or a timer queued on its own.
    fn ev(wake: bool) -> &'static str {
        if wake {
            "wake"
        } else {
            "alone"
        }
    }

    fn run_with_lane(
        q: &mut EventQueue<&'static str>,
        lane: &mut TimerLane<u32>,
        live: impl Fn(&u32) -> bool,
    ) -> Vec<String> {
        let mut out = Vec::new();
        while let Some((t, e)) = q.pop() {
            if e == "wake" {
                if let Some(n) = q.wake_timer(lane, e, &live) {
                    out.push(format!("timer{n}@{}", t.0));
                }
            } else {
                out.push(format!("{e}@{}", t.0));
            }
        }
        out
    }

    /// Timers on a lane come out where the same events in the queue would: by time, then
    /// in the order they were set among everything else due then; a dead timer never runs.
    #[test]
    fn timer_lanes_keep_the_global_order() {
        let mut q = EventQueue::default();
        let mut lane = TimerLane::default();
        let alive = |n: &u32| *n != 2;
        q.push(SimTime(10), "a");
        q.push_timer(&mut lane, SimTime(10), 1, ev, alive);
        q.push(SimTime(10), "b");
        q.push_timer(&mut lane, SimTime(10), 2, ev, alive);
        q.push_timer(&mut lane, SimTime(10), 3, ev, alive);
        q.push(SimTime(10), "c");
        q.push_timer(&mut lane, SimTime(20), 4, ev, alive);
        q.push(SimTime(15), "d");
        let got = run_with_lane(&mut q, &mut lane, alive);
        assert_eq!(
            got,
            [
                "a@10",
                "timer1@10",
                "b@10",
                "timer3@10",
                "c@10",
                "d@15",
                "timer4@20"
            ]
        );
        assert!(q.is_empty() && lane.is_empty());
    }

    /// A timer that would break the lane's time order (its delay was shortened) is queued on
    /// its own, and still comes out in time order.
    #[test]
    fn an_earlier_timer_is_queued_alone() {
        let mut q = EventQueue::default();
        let mut lane = TimerLane::default();
        let all = |_: &u32| true;
        q.push_timer(&mut lane, SimTime(50), 1, ev, all);
        q.push_timer(&mut lane, SimTime(30), 2, ev, all);
        q.push_timer(&mut lane, SimTime(60), 3, ev, all);
        assert_eq!(lane.len(), 2);
        let got = run_with_lane(&mut q, &mut lane, all);
        assert_eq!(got, ["alone@30", "timer1@50", "timer3@60"]);
    }

    /// Dead timers at the front go when the next is set, so the lane holds about the
    /// live ones; a wake-up set for a timer dropped meanwhile runs nothing and moves on.
    #[test]
    fn dead_timers_are_dropped_not_run() {
        let mut q = EventQueue::default();
        let mut lane = TimerLane::default();
        let dead = std::cell::Cell::new(0u32);
        let live = |n: &u32| *n > dead.get();
        for n in 1..=1000u32 {
            q.push_timer(&mut lane, SimTime(1000 + n as u64), n, ev, live);
            dead.set(n.saturating_sub(3));
        }
        assert!(lane.len() <= MIN_PRUNE, "{} timers kept", lane.len());
        dead.set(998);
        let got = run_with_lane(&mut q, &mut lane, live);
        assert_eq!(got, ["timer999@1999", "timer1000@2000"]);
        // One wake-up for the first timer (dropped), one for each live one: no more events.
        assert!(q.is_empty() && lane.is_empty());
    }

    /// The single slot's event comes out in (time, sequence) order with the rest;
    /// setting it again replaces the pending one, and cancelling drops it.
    #[test]
    fn the_single_event_is_replaced_not_added() {
        let mut q = EventQueue::default();
        *q.place_single(SimTime(7)) = "arrival-a";
        q.push(SimTime(7), "heap7");
        *q.place_single(SimTime(7)) = "arrival-b";
        q.push_lane(0, SimTime(3), "lane3");
        q.push(SimTime(9), "heap9");
        assert_eq!(q.len(), 4);
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(t, e)| (t.0, e))).collect();
        assert_eq!(
            order,
            [(3, "lane3"), (7, "heap7"), (7, "arrival-b"), (9, "heap9")]
        );
        *q.place_single(SimTime(20)) = "arrival-c";
        q.cancel_single();
        assert!(q.is_empty());
    }

    /// The heap pops in (time, sequence) order for any push order.
    #[test]
    fn heap_orders_random_pushes() {
        let mut rng = crate::rng::SimRng::new(9);
        let mut q = EventQueue::default();
        let mut want = Vec::new();
        for i in 0..2000u64 {
            let t = SimTime(rng.below(500) as u64);
            q.push(t, i);
            want.push((t, i));
            if i % 3 == 0 {
                // Interleave pops with the pushes.
                want.sort();
                assert_eq!(q.pop(), Some(want.remove(0)));
            }
        }
        want.sort();
        let got: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(got, want);
    }
}
