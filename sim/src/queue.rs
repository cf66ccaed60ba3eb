//! The event queue: a binary heap on (time, sequence number), after nexosim's
//! `priority_queue.rs`. The sequence number breaks ties in FIFO order, so the run is the same
//! wherever it runs.

use crate::time::SimTime;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

#[derive(Debug, Clone)]
struct Entry<E> {
    at: SimTime,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at && self.seq == other.seq
    }
}

impl<E> Eq for Entry<E> {}

impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Entry<E> {
    // Reversed: BinaryHeap is a max-heap and we want the earliest first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

/// Besides the heap, a few FIFO lanes for timers that are almost always set with the same
/// delay (`timeout server` on every request): pushing and popping them costs O(1). An entry
/// that would break a lane's time order goes to the heap instead, so the order stays exact.
pub const LANES: usize = 2;

#[derive(Debug, Clone)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    lanes: [VecDeque<Entry<E>>; LANES],
    seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            lanes: std::array::from_fn(|_| VecDeque::new()),
            seq: 0,
        }
    }
}

impl<E> EventQueue<E> {
    #[inline]
    pub fn push(&mut self, at: SimTime, event: E) {
        self.seq += 1;
        self.heap.push(Entry {
            at,
            seq: self.seq,
            event,
        });
    }

    /// Schedules on a FIFO lane when that keeps the lane in time order, else on the heap.
    #[inline]
    pub fn push_lane(&mut self, lane: usize, at: SimTime, event: E) {
        self.seq += 1;
        let entry = Entry {
            at,
            seq: self.seq,
            event,
        };
        let l = &mut self.lanes[lane];
        if l.back().is_none_or(|b| b.at <= at) {
            l.push_back(entry);
        } else {
            self.heap.push(entry);
        }
    }

    /// Which source holds the earliest entry: `None` for the heap, `Some(lane)` for a lane.
    #[inline]
    fn earliest(&self) -> Option<Option<usize>> {
        let mut best: Option<(SimTime, u64, Option<usize>)> =
            self.heap.peek().map(|e| (e.at, e.seq, None));
        for (i, l) in self.lanes.iter().enumerate() {
            if let Some(e) = l.front() {
                if best.is_none_or(|(at, seq, _)| (e.at, e.seq) < (at, seq)) {
                    best = Some((e.at, e.seq, Some(i)));
                }
            }
        }
        best.map(|(_, _, src)| src)
    }

    #[inline]
    pub fn peek_time(&self) -> Option<SimTime> {
        match self.earliest()? {
            None => self.heap.peek().map(|e| e.at),
            Some(i) => self.lanes[i].front().map(|e| e.at),
        }
    }

    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let e = match self.earliest()? {
            None => self.heap.pop()?,
            Some(i) => self.lanes[i].pop_front()?,
        };
        Some((e.at, e.event))
    }

    pub fn len(&self) -> usize {
        self.heap.len() + self.lanes.iter().map(|l| l.len()).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// S1: a stable event order: by time, then first scheduled first.
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
}
