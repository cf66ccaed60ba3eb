//! The users and their traffic (docs/model.md, "Users' traffic"): arrivals are a Poisson
//! process at `traffic.rate` per second, multiplied by the flash crowds in force; each one
//! picks one of the browsers at random and a kind of request from the mix. The world queues
//! the one pending arrival and launches what `Traffic::draw` picks. A browser waits for its
//! answer up to `traffic.client_timeout_ms` (`gives_up_at`), and resends an unanswered SYN
//! meanwhile (`no_syn_ack`).

use crate::epoch::{Epoch, Stamp};
use crate::rng::SimRng;
use crate::scenario::{TrafficSpec, MAX_RATE};
use crate::time::{SimTime, SEC};
use crate::trace::ReqKind;

#[derive(Debug, Clone)]
pub struct Traffic {
    /// Requests per second as set (before flash crowds).
    rate: f64,
    /// The mix as cumulative shares: static below `mix[0]`, a read below `mix[1]`, else a
    /// write.
    mix: [f64; 2],
    /// Flash crowds: start, end, factor.
    bursts: Vec<(SimTime, SimTime, f64)>,
    /// The product of the factors of the flash crowds in force.
    burst_factor: f64,
    /// The pending arrival's epoch: scheduling the next one calls it off.
    arrival: Epoch,
}

/// A user's request as drawn: which browser sends it, its kind and which of three paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrival {
    pub client: u32,
    pub kind: ReqKind,
    pub path: u8,
}

impl Traffic {
    pub fn new(spec: &TrafficSpec) -> Traffic {
        let mut t = Traffic {
            rate: 0.0,
            mix: [0.0; 2],
            bursts: spec
                .bursts
                .iter()
                .map(|b| {
                    let s = SimTime::from_secs_f64(b.at_s);
                    (s, SimTime::from_secs_f64(b.at_s + b.duration_s), b.factor)
                })
                .collect(),
            burst_factor: 1.0,
            arrival: Epoch::default(),
        };
        t.configure(spec);
        t
    }

    /// Takes the rate and mix of `spec` (a settings change); flash crowds stay as they are.
    pub fn configure(&mut self, spec: &TrafficSpec) {
        let m = &spec.mix;
        let total = m.static_files + m.read + m.write;
        self.mix = [m.static_files / total, (m.static_files + m.read) / total];
        self.set_rate(spec.rate);
    }

    pub fn set_rate(&mut self, rate: f64) {
        self.rate = rate.max(0.0);
    }

    /// The arrival rate now: flash crowds can multiply it, up to ten times the settable
    /// maximum.
    #[inline]
    pub fn rate(&self) -> f64 {
        (self.rate * self.burst_factor).min(MAX_RATE * 10.0)
    }

    /// Each flash crowd's start and end (when the rate changes).
    pub fn changes(&self) -> impl Iterator<Item = SimTime> + '_ {
        self.bursts.iter().flat_map(|&(s, e, _)| [s, e])
    }

    /// A flash crowd from `start` to `end`: the rate times `factor` meanwhile.
    pub fn add_burst(&mut self, start: SimTime, end: SimTime, factor: f64) {
        self.bursts.push((start, end, factor));
    }

    /// A flash crowd starts or ends at `now`.
    pub fn on_rate_change(&mut self, now: SimTime) {
        self.burst_factor = self
            .bursts
            .iter()
            .filter(|&&(s, e, _)| s <= now && now < e)
            .map(|&(_, _, f)| f)
            .product();
    }

    /// Calls off the pending arrival and draws when the next one comes, with its stamp;
    /// none at a rate of 0.
    #[inline]
    pub fn next_arrival(&mut self, now: SimTime, rng: &mut SimRng) -> Option<(SimTime, Stamp)> {
        self.arrival.bump();
        let rate = self.rate();
        if rate <= 0.0 {
            return None;
        }
        let gap = rng.exp_us(SEC as f64 / rate).max(1);
        Some((now + gap, self.arrival.stamp()))
    }

    /// Whether an arrival with `stamp` is still the pending one.
    #[inline]
    pub fn is_current(&self, stamp: Stamp) -> bool {
        self.arrival.is_current(stamp)
    }

    /// Which of `clients` browsers sends the arriving request, and what it asks for.
    #[inline]
    pub fn draw(&self, clients: u32, rng: &mut SimRng) -> Arrival {
        let client = rng.below(clients);
        let u = rng.unit();
        let kind = if u < self.mix[0] {
            ReqKind::Static
        } else if u < self.mix[1] {
            ReqKind::Read
        } else {
            ReqKind::Write
        };
        Arrival {
            client,
            kind,
            path: rng.below(3) as u8,
        }
    }
}

/// When a browser that sent its request at `start` gives up waiting for the answer (after
/// `client_timeout`, µs), seen at `now`: then, or now if that has passed.
#[inline]
pub fn gives_up_at(start: SimTime, client_timeout: u64, now: SimTime) -> SimTime {
    (start + client_timeout).max(now)
}

/// What a browser does when its SYN to the site's address got no SYN-ACK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoSynAck {
    /// Its TCP resends the SYN at this time.
    Resend(SimTime),
    /// Its timeout comes first: it gives up at this time.
    GiveUp(SimTime),
}

/// A browser's SYN, the `sent`-th unanswered one (0: the first) for a request it sent at
/// `start`, got no answer at `now`: Linux's TCP resends it after 1, 2, 4 … s (up to 64 s),
/// unless the browser's `client_timeout` (µs) runs out first.
#[inline]
pub fn no_syn_ack(start: SimTime, sent: u8, now: SimTime, client_timeout: u64) -> NoSynAck {
    let again = now + (SEC << sent.min(6));
    let give_up = start + client_timeout;
    if again < give_up {
        NoSynAck::Resend(again)
    } else {
        NoSynAck::GiveUp(give_up.max(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Burst, Mix};

    #[test]
    fn an_unanswered_syn_is_resent_after_1_2_4_s_until_the_browser_gives_up() {
        let start = SimTime(SEC);
        let timeout = 30 * SEC;
        let mut now = start;
        let mut resends = Vec::new();
        for sent in 0.. {
            match no_syn_ack(start, sent, now, timeout) {
                NoSynAck::Resend(at) => {
                    resends.push((at.0 - start.0) / SEC);
                    now = at;
                }
                NoSynAck::GiveUp(at) => {
                    // 1 + 2 + 4 + 8 = 15 s; the next resend, at 31 s, is past the 30 s timeout.
                    assert_eq!(resends, [1, 3, 7, 15]);
                    assert_eq!(at, SimTime(31 * SEC));
                    return;
                }
            }
        }
    }

    #[test]
    fn the_syn_resend_wait_stops_doubling_at_64_s() {
        let long = 1_000 * SEC;
        assert_eq!(
            no_syn_ack(SimTime::ZERO, 6, SimTime::ZERO, long),
            NoSynAck::Resend(SimTime(64 * SEC))
        );
        assert_eq!(
            no_syn_ack(SimTime::ZERO, 9, SimTime::ZERO, long),
            NoSynAck::Resend(SimTime(64 * SEC))
        );
    }

    #[test]
    fn a_browser_gives_up_client_timeout_after_it_sent_the_request() {
        assert_eq!(
            gives_up_at(SimTime(SEC), 30 * SEC, SimTime(2 * SEC)),
            SimTime(31 * SEC)
        );
        // Found stuck after its timeout: it gives up now.
        assert_eq!(
            gives_up_at(SimTime(SEC), 30 * SEC, SimTime(40 * SEC)),
            SimTime(40 * SEC)
        );
    }

    fn spec(rate: f64) -> TrafficSpec {
        TrafficSpec {
            rate,
            ..TrafficSpec::default()
        }
    }

    #[test]
    fn arrivals_come_at_the_rate_on_average() {
        let mut t = Traffic::new(&spec(200.0));
        let mut rng = SimRng::new(7);
        let mut now = SimTime::ZERO;
        for _ in 0..20_000 {
            now = t.next_arrival(now, &mut rng).unwrap().0;
        }
        let per_s = 20_000.0 / (now.0 as f64 / SEC as f64);
        assert!((per_s - 200.0).abs() < 5.0, "{per_s} per second");
    }

    #[test]
    fn scheduling_the_next_arrival_calls_off_the_pending_one() {
        let mut t = Traffic::new(&spec(10.0));
        let mut rng = SimRng::new(1);
        let (_, first) = t.next_arrival(SimTime::ZERO, &mut rng).unwrap();
        assert!(t.is_current(first));
        let (_, second) = t.next_arrival(SimTime::ZERO, &mut rng).unwrap();
        assert!(!t.is_current(first) && t.is_current(second));
        // At a rate of 0 nothing is pending.
        t.set_rate(0.0);
        assert_eq!(t.next_arrival(SimTime::ZERO, &mut rng), None);
        assert!(!t.is_current(second));
    }

    #[test]
    fn a_flash_crowd_multiplies_the_rate_while_it_lasts_up_to_ten_times_the_maximum() {
        let mut t = Traffic::new(&TrafficSpec {
            bursts: vec![Burst {
                at_s: 10.0,
                duration_s: 5.0,
                factor: 4.0,
            }],
            ..spec(100.0)
        });
        let s = |x: f64| SimTime::from_secs_f64(x);
        assert_eq!(t.changes().collect::<Vec<_>>(), [s(10.0), s(15.0)]);
        t.on_rate_change(s(10.0));
        assert_eq!(t.rate(), 400.0);
        t.add_burst(s(12.0), s(20.0), 1000.0);
        t.on_rate_change(s(12.0));
        assert_eq!(t.rate(), MAX_RATE * 10.0);
        t.on_rate_change(s(15.0));
        assert_eq!(t.rate(), MAX_RATE * 10.0);
        t.on_rate_change(s(20.0));
        assert_eq!(t.rate(), 100.0);
    }

    #[test]
    fn the_mix_decides_the_kinds_in_proportion() {
        let t = Traffic::new(&TrafficSpec {
            mix: Mix {
                static_files: 2.0,
                read: 1.0,
                write: 1.0,
            },
            ..spec(10.0)
        });
        let mut rng = SimRng::new(3);
        let mut seen = [0u32; 3];
        for _ in 0..40_000 {
            let a = t.draw(50, &mut rng);
            assert!(a.client < 50 && a.path < 3);
            seen[a.kind as usize] += 1;
        }
        let share = |k: usize| seen[k] as f64 / 40_000.0;
        assert!(
            (share(ReqKind::Static as usize) - 0.5).abs() < 0.01,
            "{seen:?}"
        );
        assert!(
            (share(ReqKind::Read as usize) - 0.25).abs() < 0.01,
            "{seen:?}"
        );
        assert!(
            (share(ReqKind::Write as usize) - 0.25).abs() < 0.01,
            "{seen:?}"
        );
    }
}
