//! The one way to call off a scheduled event: its owner's `Epoch`.
//!
//! An event that may be called off carries the `Stamp` of its owner's epoch, taken when it was
//! scheduled; its handler runs it only if the epoch `is_current` for that stamp. `bump`
//! cancels every event stamped before, in one step, however many there are.
//!
//! Nothing is taken out of the queue: a cancelled event stays in the heap until its time and
//! is then dropped by one comparison. Removing it instead would need a handle per event and a
//! heap that can delete from the middle (a position kept per entry and updated on every swap),
//! a cost paid by every event, while cancellations are few and most cancelled events are
//! near the front anyway.

/// A generation counter owned by whatever may call off the events it scheduled: a request, a
/// request slot's timers, the next arrival, a health check, a replica's receiver or applier,
/// keepalived's master-down timer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Epoch(u32);

/// An `Epoch` as an event carries it, from when the event was scheduled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stamp(u32);

impl Epoch {
    /// Calls off every event stamped before (it wraps after 2³² bumps).
    #[inline]
    pub fn bump(&mut self) {
        self.0 = self.0.wrapping_add(1);
    }

    /// The stamp an event scheduled now carries.
    #[inline]
    pub fn stamp(self) -> Stamp {
        Stamp(self.0)
    }

    /// Whether an event carrying `stamp` still stands: nothing bumped the epoch since.
    #[inline]
    pub fn is_current(self, stamp: Stamp) -> bool {
        self.0 == stamp.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bump_calls_off_every_earlier_stamp() {
        let mut e = Epoch::default();
        let (a, b) = (e.stamp(), e.stamp());
        assert!(e.is_current(a) && e.is_current(b));
        e.bump();
        assert!(!e.is_current(a) && !e.is_current(b));
        assert!(e.is_current(e.stamp()));
        let mut wrapped = Epoch(u32::MAX);
        wrapped.bump();
        assert_eq!(wrapped, Epoch::default());
    }
}
