//! HAProxy: each load balancer's backend of servers (`server.rs`), their connection slots and
//! queues (`dispatch.rs`), their health checks (`checks.rs`, moving the counter of
//! `crate::health`), and here the balancing algorithms, decided the way HAProxy 3.2 decides
//! them (`src/check.c`, `src/lb_*.c`).

pub mod checks;
mod dispatch;
mod server;

pub use crate::health::{AdminState, CheckStatus, CheckTimers, Health, HealthChange};
pub use crate::trace::Reason;
pub use checks::{CheckConfig, CheckEvent, CheckTarget, HealthCheck, HEALTH_HANDLER_US};
pub use dispatch::{turnaround, Admit, ConnectFailed};
pub use server::{Lb, Server, ServerStats};

use crate::rng::SimRng;
use crate::scenario::{Balance, HashType};

/// What the balancer can see of one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// The effective weight (0 takes no balanced traffic).
    pub weight: u32,
    /// Usable for balanced traffic: running (not DOWN), not MAINT, not DRAIN.
    pub usable: bool,
    pub backup: bool,
    /// Current connections plus queued requests.
    pub load: u32,
    /// `maxconn` (0 = unlimited) and current connections, for `first` and full servers.
    pub maxconn: u32,
    pub served_now: u32,
}

impl Candidate {
    fn has_room(&self) -> bool {
        self.maxconn == 0 || self.served_now < self.maxconn
    }
}

/// The state of a backend's balancing algorithm.
#[derive(Debug, Clone)]
pub struct Balancer {
    pub balance: Balance,
    pub hash_type: HashType,
    /// Smooth weighted round robin's running weights (roundrobin, static-rr).
    current: Vec<i64>,
    /// Weights frozen at start for static-rr.
    static_weights: Vec<u32>,
    /// leastconn's tie breaker: when each server was last picked.
    last_pick: Vec<u64>,
    picks: u64,
}

/// A 32-bit avalanche hash (murmur3's finaliser) for `source` hashing.
pub fn hash32(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h
}

/// Points each unit of weight gets on the consistent-hash ring.
const CHASH_POINTS_PER_WEIGHT: u32 = 16;

impl Balancer {
    pub fn new(balance: Balance, hash_type: HashType, weights: &[u32]) -> Balancer {
        Balancer {
            balance,
            hash_type,
            current: vec![0; weights.len()],
            static_weights: weights.to_vec(),
            last_pick: vec![0; weights.len()],
            picks: 0,
        }
    }

    /// The servers balanced traffic may go to: the usable active ones; with none, the first
    /// usable backup (or every usable backup with `allbackups`).
    fn eligible(servers: &[Candidate], allbackups: bool, out: &mut Vec<usize>) -> bool {
        out.clear();
        out.extend((0..servers.len()).filter(|&i| {
            let s = &servers[i];
            s.usable && !s.backup && s.weight > 0
        }));
        if !out.is_empty() {
            return false;
        }
        let backups = (0..servers.len()).filter(|&i| {
            let s = &servers[i];
            s.usable && s.backup && s.weight > 0
        });
        if allbackups {
            out.extend(backups);
        } else {
            out.extend(backups.take(1));
        }
        true
    }

    /// Picks a server for a new request from `client_ip`, or `None` when no server can take
    /// it now (every one DOWN: 503; or every one full: the request waits in the queue).
    /// `all_full` tells those two apart.
    pub fn pick(
        &mut self,
        servers: &[Candidate],
        allbackups: bool,
        client_ip: u32,
        rng: &mut SimRng,
        scratch: &mut Vec<usize>,
    ) -> Pick {
        let on_backup = Self::eligible(servers, allbackups, scratch);
        if scratch.is_empty() {
            return Pick::NoServer;
        }
        // A hash-based choice ignores fullness (the request then waits for that server);
        // the others skip full servers.
        let (i, reason) = if self.balance == Balance::Source {
            (
                self.pick_source(servers, scratch, client_ip),
                Reason::SourceHash,
            )
        } else {
            scratch.retain(|&i| servers[i].has_room());
            if scratch.is_empty() {
                return Pick::AllFull;
            }
            let i = match self.balance {
                Balance::Roundrobin => self.pick_wrr(servers, scratch, false),
                Balance::StaticRr => self.pick_wrr(servers, scratch, true),
                Balance::Leastconn => self.pick_leastconn(servers, scratch),
                Balance::Random => Self::pick_random(servers, scratch, rng),
                Balance::First | Balance::Source => scratch[0],
            };
            (i, self.reason())
        };
        self.picks += 1;
        self.last_pick[i] = self.picks;
        Pick::Server {
            index: i,
            reason: if on_backup { Reason::Backup } else { reason },
        }
    }

    pub fn reason(&self) -> Reason {
        Reason::of(self.balance)
    }

    /// Smooth weighted round robin: each turn every eligible server gains its weight, the
    /// richest is picked and pays the total. Equal weights alternate strictly (1, 2, 1, 2),
    /// weights 2:1 give A B A. static-rr uses the weights the servers started with.
    fn pick_wrr(&mut self, servers: &[Candidate], eligible: &[usize], fixed: bool) -> usize {
        let mut total = 0i64;
        let mut best = eligible[0];
        for &i in eligible {
            let w = if fixed {
                self.static_weights[i]
            } else {
                servers[i].weight
            } as i64;
            let w = w.max(1);
            self.current[i] += w;
            total += w;
            if self.current[i] > self.current[best] {
                best = i;
            }
        }
        self.current[best] -= total;
        best
    }

    /// Fewest connections (queued ones count) per unit of weight; ties go to the server
    /// picked longest ago, which makes equal servers take turns.
    fn pick_leastconn(&self, servers: &[Candidate], eligible: &[usize]) -> usize {
        let mut best = eligible[0];
        for &i in &eligible[1..] {
            let (a, b) = (&servers[i], &servers[best]);
            // Compare load_a / weight_a with load_b / weight_b without division.
            let lhs = a.load as u64 * b.weight as u64;
            let rhs = b.load as u64 * a.weight as u64;
            if lhs < rhs || (lhs == rhs && self.last_pick[i] < self.last_pick[best]) {
                best = i;
            }
        }
        best
    }

    /// `balance random` draws two servers by weight and keeps the less loaded one
    /// (`random(2)`, HAProxy's default number of draws).
    fn pick_random(servers: &[Candidate], eligible: &[usize], rng: &mut SimRng) -> usize {
        let total: u32 = eligible.iter().map(|&i| servers[i].weight).sum();
        let mut draw = || {
            let mut r = rng.below(total.max(1));
            for &i in eligible {
                let w = servers[i].weight;
                if r < w {
                    return i;
                }
                r -= w;
            }
            eligible[eligible.len() - 1]
        };
        let (a, b) = (draw(), draw());
        let (sa, sb) = (&servers[a], &servers[b]);
        // Less loaded per unit of weight; the first draw on a tie.
        if (sb.load as u64) * (sa.weight as u64) < (sa.load as u64) * (sb.weight as u64) {
            b
        } else {
            a
        }
    }

    /// `balance source`: the client's IP hashed over the running servers' total weight.
    fn pick_source(&self, servers: &[Candidate], eligible: &[usize], ip: u32) -> usize {
        let h = hash32(ip);
        match self.hash_type {
            HashType::MapBased => {
                // The map lists each running server `weight` times; a key's slot is its
                // hash modulo the total, so any change of the total moves most keys.
                let total: u32 = eligible.iter().map(|&i| servers[i].weight).sum();
                let mut slot = h % total.max(1);
                for &i in eligible {
                    let w = servers[i].weight;
                    if slot < w {
                        return i;
                    }
                    slot -= w;
                }
                eligible[0]
            }
            HashType::Consistent => {
                // A ring of points per server; a key goes to the first point at or after its
                // hash. Removing a server moves only the keys that were on its points.
                let mut best: Option<(u32, usize)> = None;
                let mut lowest: Option<(u32, usize)> = None;
                for &i in eligible {
                    for p in 0..servers[i].weight * CHASH_POINTS_PER_WEIGHT {
                        let key = hash32(
                            (i as u32 + 1).wrapping_mul(0x9E37_79B9) ^ p.wrapping_mul(0x85EB_CA77),
                        );
                        if key >= h && best.is_none_or(|(k, _)| key < k) {
                            best = Some((key, i));
                        }
                        if lowest.is_none_or(|(k, _)| key < k) {
                            lowest = Some((key, i));
                        }
                    }
                }
                best.or(lowest).map(|(_, i)| i).unwrap_or(eligible[0])
            }
        }
    }

    /// Whether a full server makes the request wait for it (hash-based) or go elsewhere.
    pub fn is_hash_based(&self) -> bool {
        self.balance == Balance::Source
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Server {
        index: usize,
        reason: Reason,
    },
    /// Every eligible server is at its maxconn: the request waits in the backend queue.
    AllFull,
    /// No server is running: 503.
    NoServer,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cands(weights: &[u32]) -> Vec<Candidate> {
        weights
            .iter()
            .map(|&w| Candidate {
                weight: w,
                usable: true,
                backup: false,
                load: 0,
                maxconn: 0,
                served_now: 0,
            })
            .collect()
    }

    fn sequence(b: &mut Balancer, c: &[Candidate], n: usize) -> Vec<usize> {
        let mut rng = SimRng::new(1);
        let mut scratch = Vec::new();
        (0..n)
            .map(
                |k| match b.pick(c, false, k as u32, &mut rng, &mut scratch) {
                    Pick::Server { index, .. } => index,
                    other => panic!("{other:?}"),
                },
            )
            .collect()
    }

    /// roundrobin gives turns in proportion to weight: 1, 2, 1, 2 …
    #[test]
    fn roundrobin_alternates() {
        let c = cands(&[1, 1]);
        let mut b = Balancer::new(Balance::Roundrobin, HashType::MapBased, &[1, 1]);
        assert_eq!(sequence(&mut b, &c, 6), [0, 1, 0, 1, 0, 1]);
    }

    #[test]
    fn roundrobin_follows_weights_and_their_changes() {
        let mut c = cands(&[2, 1]);
        let mut b = Balancer::new(Balance::Roundrobin, HashType::MapBased, &[2, 1]);
        let s = sequence(&mut b, &c, 6);
        assert_eq!(s.iter().filter(|&&i| i == 0).count(), 4);
        assert_eq!(s[..3], [0, 1, 0]);
        // Weights may change live with roundrobin, not with static-rr.
        c[0].weight = 1;
        let s = sequence(&mut b, &c, 6);
        assert_eq!(s.iter().filter(|&&i| i == 0).count(), 3);
        let mut st = Balancer::new(Balance::StaticRr, HashType::MapBased, &[2, 1]);
        let s = sequence(&mut st, &c, 6);
        assert_eq!(s.iter().filter(|&&i| i == 0).count(), 4);
    }

    /// Weight 0 takes no balanced traffic; a DOWN server none at all.
    #[test]
    fn weight_zero_and_down_servers_are_skipped() {
        let mut c = cands(&[1, 0, 1]);
        c[2].usable = false;
        let mut b = Balancer::new(Balance::Roundrobin, HashType::MapBased, &[1, 0, 1]);
        assert_eq!(sequence(&mut b, &c, 3), [0, 0, 0]);
    }

    /// leastconn: fewest connections, queued ones counting; ties take turns.
    #[test]
    fn leastconn_picks_the_least_loaded() {
        let mut c = cands(&[1, 1, 1]);
        c[0].load = 3;
        c[1].load = 1;
        c[2].load = 2;
        let mut b = Balancer::new(Balance::Leastconn, HashType::MapBased, &[1, 1, 1]);
        assert_eq!(sequence(&mut b, &c, 2), [1, 1]);
        let c = cands(&[1, 1, 1]);
        assert_eq!(sequence(&mut b, &c, 3), [0, 2, 1]);
    }

    /// first: the lowest id until its maxconn, then the next.
    #[test]
    fn first_fills_in_order() {
        let mut c = cands(&[1, 1]);
        for s in &mut c {
            s.maxconn = 2;
        }
        let mut b = Balancer::new(Balance::First, HashType::MapBased, &[1, 1]);
        assert_eq!(sequence(&mut b, &c, 2), [0, 0]);
        c[0].served_now = 2;
        assert_eq!(sequence(&mut b, &c, 1), [1]);
        c[1].served_now = 2;
        let mut rng = SimRng::new(1);
        assert_eq!(
            b.pick(&c, false, 0, &mut rng, &mut Vec::new()),
            Pick::AllFull
        );
    }

    fn owners(b: &mut Balancer, c: &[Candidate], ips: std::ops::Range<u32>) -> Vec<usize> {
        let mut rng = SimRng::new(1);
        ips.map(|ip| match b.pick(c, false, ip, &mut rng, &mut Vec::new()) {
            Pick::Server { index, .. } => index,
            other => panic!("{other:?}"),
        })
        .collect()
    }

    /// `source` keeps a client on its server while no server goes up or down;
    /// map-based moves most keys on a change, consistent only the changed server's.
    #[test]
    fn source_hash_stickiness_and_remapping() {
        let mut c = cands(&[1, 1, 1, 1]);
        let mut map = Balancer::new(Balance::Source, HashType::MapBased, &[1; 4]);
        let mut ring = Balancer::new(Balance::Source, HashType::Consistent, &[1; 4]);
        let before_map = owners(&mut map, &c, 0..2000);
        let before_ring = owners(&mut ring, &c, 0..2000);
        assert_eq!(
            before_map,
            owners(&mut map, &c, 0..2000),
            "same client, same server"
        );
        c[3].usable = false;
        let after_map = owners(&mut map, &c, 0..2000);
        let after_ring = owners(&mut ring, &c, 0..2000);
        let moved = |a: &[usize], b: &[usize]| a.iter().zip(b).filter(|(x, y)| x != y).count();
        // Keys that were on server 3 must move in both; the ring moves nothing else.
        let on3 = before_ring.iter().filter(|&&s| s == 3).count();
        assert_eq!(moved(&before_ring, &after_ring), on3);
        assert!(
            moved(&before_map, &after_map) > 1000,
            "map-based moves most keys"
        );
        assert!(after_ring.iter().all(|&s| s != 3));
    }

    /// random by weight: roughly proportional.
    #[test]
    fn random_follows_weights() {
        let c = cands(&[3, 1]);
        let mut b = Balancer::new(Balance::Random, HashType::MapBased, &[3, 1]);
        let s = sequence(&mut b, &c, 4000);
        let zero = s.iter().filter(|&&i| i == 0).count();
        assert!((2800..3200).contains(&zero), "{zero}");
    }

    /// Backup servers get traffic only when every other is down; only the first
    /// backup unless `allbackups`.
    #[test]
    fn backups_only_when_all_actives_are_down() {
        let mut c = cands(&[1, 1, 1]);
        c[1].backup = true;
        c[2].backup = true;
        let mut b = Balancer::new(Balance::Roundrobin, HashType::MapBased, &[1, 1, 1]);
        assert_eq!(sequence(&mut b, &c, 3), [0, 0, 0]);
        c[0].usable = false;
        assert_eq!(sequence(&mut b, &c, 3), [1, 1, 1]);
        let mut rng = SimRng::new(1);
        let mut seen = [0; 3];
        for _ in 0..4 {
            if let Pick::Server { index, reason } = b.pick(&c, true, 0, &mut rng, &mut Vec::new()) {
                assert_eq!(reason, Reason::Backup);
                seen[index] += 1;
            }
        }
        assert_eq!(seen, [0, 2, 2]);
        c[1].usable = false;
        c[2].usable = false;
        assert_eq!(
            b.pick(&c, true, 0, &mut rng, &mut Vec::new()),
            Pick::NoServer
        );
    }
}
