//! Where the page sees each request in flight, kept up as the world runs, so that a frame's
//! snapshot visits only the requests it may draw one by one (docs/architecture.md, "Read
//! model"). A request is either *moving* (listed: it is on a hop, or waits where few wait) or
//! *resting* at a node where more than `WAIT_AT` wait (counted there, not listed). The world
//! lists a request when it takes a hop, settles who rests after it runs, and forgets a request
//! when it ends. Only with the world's views on: the CLI keeps none of this.

use crate::time::SimTime;
use crate::trace::Hop;

/// Past this many requests waiting at one node, the snapshot counts them (`WaitView`): more
/// than any node's queue on the page shows as dots.
pub const WAIT_AT: u32 = 24;

/// What `Crowd::settle` needs to know of one listed request.
#[derive(Debug, Clone, Copy)]
pub struct Seen {
    pub hop: Hop,
    /// It stays a dot wherever it waits (traced, or followed by the inspector).
    pub dot: bool,
    /// Its user saw it fail (an error or a stale read).
    pub failed: bool,
}

/// Where one request slot is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Place {
    #[default]
    Nowhere,
    /// Listed, at this index of `moving`.
    Moving(u32),
    /// Counted at `node`; `failed`: counted among its errors too.
    Resting { node: u16, failed: bool },
}

#[derive(Debug, Clone, Default)]
pub struct Crowd {
    /// The slots of the listed requests.
    moving: Vec<u32>,
    /// Per request slot, where it is.
    places: Vec<Place>,
    /// Per node, how many rest there and how many of those failed.
    resting: Vec<(u32, u32)>,
    /// Per node, how many wait there (reused by `settle`).
    waiting: Vec<u32>,
    /// The request the inspector follows (its id): never resting.
    pub followed: Option<u64>,
}

impl Crowd {
    /// The listed requests' slots.
    pub fn moving(&self) -> &[u32] {
        &self.moving
    }

    /// How many requests rest at `node`, and how many of them failed.
    pub fn resting(&self, node: usize) -> (u32, u32) {
        self.resting.get(node).copied().unwrap_or_default()
    }

    pub fn resting_total(&self) -> usize {
        self.resting.iter().map(|r| r.0 as usize).sum()
    }

    /// Whether request slot `id` is listed or rests somewhere.
    pub fn holds(&self, id: u32) -> bool {
        self.places
            .get(id as usize)
            .is_some_and(|p| *p != Place::Nowhere)
    }

    /// Request slot `id` takes a hop: it is listed (again).
    #[inline]
    pub fn list(&mut self, id: u32) {
        let i = id as usize;
        if i >= self.places.len() {
            self.places.resize(i + 1, Place::Nowhere);
        }
        if let Place::Moving(_) = self.places[i] {
            return;
        }
        self.unrest(i);
        self.places[i] = Place::Moving(self.moving.len() as u32);
        self.moving.push(id);
    }

    /// Request slot `id` ended: it is nowhere.
    #[inline]
    pub fn forget(&mut self, id: u32) {
        let i = id as usize;
        match self.places.get(i) {
            Some(&Place::Moving(at)) => self.unlist(at as usize),
            Some(Place::Resting { .. }) => self.unrest(i),
            _ => return,
        }
        self.places[i] = Place::Nowhere;
    }

    /// The user of request slot `id` saw it fail: counted as an error where it rests.
    pub fn failed(&mut self, id: u32) {
        if let Some(Place::Resting {
            node,
            failed: failed @ false,
        }) = self.places.get_mut(id as usize)
        {
            *failed = true;
            self.resting[*node as usize].1 += 1;
        }
    }

    /// Takes the listed request at `at` off the list.
    fn unlist(&mut self, at: usize) {
        self.moving.swap_remove(at);
        if let Some(&moved) = self.moving.get(at) {
            self.places[moved as usize] = Place::Moving(at as u32);
        }
    }

    /// Uncounts slot `i` if it rests (its place is left for the caller).
    fn unrest(&mut self, i: usize) {
        if let Place::Resting { node, failed } = self.places[i] {
            let r = &mut self.resting[node as usize];
            r.0 -= 1;
            r.1 -= failed as u32;
        }
    }

    /// After the world ran to `now`: at each node where more than `WAIT_AT` wait, the listed
    /// requests that arrived there rest; at a node where no more wait, the resting ones are
    /// listed again. Visits the listed requests and the nodes (and every slot only when a
    /// crowd thins out).
    pub fn settle(&mut self, now: SimTime, nodes: usize, seen: impl Fn(u32) -> Seen) {
        self.resting.resize(nodes.max(self.resting.len()), (0, 0));
        self.waiting.clear();
        self.waiting.extend(self.resting.iter().map(|r| r.0));
        for &id in &self.moving {
            let h = seen(id).hop;
            if now >= h.t1 {
                self.waiting[h.to.index()] += 1;
            } else if now < h.t0 {
                self.waiting[h.from.index()] += 1;
            }
        }
        // Backwards, so that the slot `swap_remove` moves in was already visited.
        for at in (0..self.moving.len()).rev() {
            let id = self.moving[at];
            let s = seen(id);
            let node = s.hop.to.index();
            if s.dot || now < s.hop.t1 || self.waiting[node] <= WAIT_AT {
                continue;
            }
            self.unlist(at);
            self.places[id as usize] = Place::Resting {
                node: node as u16,
                failed: s.failed,
            };
            let r = &mut self.resting[node];
            r.0 += 1;
            r.1 += s.failed as u32;
        }
        let thinned = |n: usize| self.waiting[n] <= WAIT_AT && self.resting[n].0 > 0;
        if (0..self.resting.len()).any(thinned) {
            for id in 0..self.places.len() as u32 {
                if let Place::Resting { node, .. } = self.places[id as usize] {
                    if self.waiting[node as usize] <= WAIT_AT {
                        self.list(id);
                    }
                }
            }
        }
    }

    /// Lists the followed request again if it rests (`slot_of` finds its slot).
    pub fn follow(&mut self, id: Option<u64>, slot_of: impl Fn(u64) -> Option<u32>) {
        if self.followed == id {
            return;
        }
        self.followed = id;
        if let Some(slot) = id.and_then(slot_of) {
            self.list(slot);
        }
    }

    /// Forgets everything (the views were turned off).
    pub fn clear(&mut self) {
        *self = Crowd {
            followed: self.followed,
            ..Crowd::default()
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topology::NodeId;

    fn at(node: u16, t1: u64) -> Seen {
        Seen {
            hop: Hop {
                from: NodeId(0),
                to: NodeId(node),
                t0: SimTime(0),
                t1: SimTime(t1),
            },
            dot: false,
            failed: false,
        }
    }

    /// The list and the counts always agree with the places.
    fn consistent(c: &Crowd) {
        for (i, &id) in c.moving.iter().enumerate() {
            assert_eq!(c.places[id as usize], Place::Moving(i as u32));
        }
        for (node, &(count, errors)) in c.resting.iter().enumerate() {
            let here = c.places.iter().filter_map(|p| match *p {
                Place::Resting { node: n, failed } if n as usize == node => Some(failed),
                _ => None,
            });
            let (n, f) = here.fold((0, 0), |(n, f), failed| (n + 1, f + failed as u32));
            assert_eq!((count, errors), (n, f), "node {node}");
        }
    }

    #[test]
    fn requests_arriving_where_many_wait_rest_there_and_come_back_when_few_do() {
        let mut c = Crowd::default();
        let n = WAIT_AT + 10;
        for id in 0..n {
            c.list(id);
        }
        // All arrived at node 1 by t = 5; one more still moves.
        c.list(n);
        let seen = |id: u32| if id == n { at(1, 100) } else { at(1, 5) };
        c.settle(SimTime(10), 3, seen);
        consistent(&c);
        assert_eq!(c.moving(), &[n]);
        assert_eq!(c.resting(1), (n, 0));
        // Most take their next hop; the few left are dots again.
        for id in 0..n - 3 {
            c.list(id);
            c.forget(id);
        }
        consistent(&c);
        c.settle(SimTime(10), 3, seen);
        consistent(&c);
        assert_eq!(c.resting(1), (0, 0));
        assert_eq!(c.moving().len(), 4);
    }

    #[test]
    fn a_failed_request_is_counted_as_an_error_where_it_rests_until_it_leaves() {
        let mut c = Crowd::default();
        for id in 0..40 {
            c.list(id);
        }
        c.settle(SimTime(10), 2, |_| at(1, 5));
        c.failed(7);
        c.failed(7);
        consistent(&c);
        assert_eq!(c.resting(1), (40, 1));
        c.forget(7);
        consistent(&c);
        assert_eq!(c.resting(1), (39, 0));
    }

    #[test]
    fn a_followed_or_traced_request_never_rests() {
        let mut c = Crowd::default();
        for id in 0..40 {
            c.list(id);
        }
        c.settle(SimTime(10), 2, |id| Seen {
            dot: id == 3,
            ..at(1, 5)
        });
        assert_eq!(c.moving(), &[3]);
        c.follow(Some(99), |_| Some(8));
        consistent(&c);
        assert_eq!(c.moving(), &[3, 8]);
        assert_eq!(c.resting(1), (38, 0));
    }
}
