//! The request's way to the front: the users' arrivals, DNS, the browser's connection to
//! the load balancer (or to web-01 without one) and its SYN retries.

use super::request::{Stage, Step, NONE8};
use super::{Event, World};
use crate::dns::{self, RESOLVER_TIMEOUT_US};
use crate::net::Conn;
use crate::topology::NodeId;
use crate::trace::{Cause, Outcome, ReqKind};
use crate::traffic::{no_syn_ack, NoSynAck};

impl World {
    // Every request passes here: inlined natively, a call in the page (docs/performance.md).
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    pub(crate) fn schedule_arrival(&mut self) {
        match self.traffic.next_arrival(self.now, &mut self.rng) {
            // The queue's single slot: one arrival pending at a time, the next replacing it.
            Some((at, stamp)) => *self.queue.place_single(at) = Event::Arrival { stamp },
            None => self.queue.cancel_single(),
        }
    }

    pub(crate) fn on_arrival(&mut self) {
        self.schedule_arrival();
        let a = self.traffic.draw(self.clients.len() as u32, &mut self.rng);
        self.launch(a.client, a.kind, a.path, false);
    }

    /// Sends one request by hand (the page's "send one request"); returns its trace id.
    pub fn send_one(&mut self, kind: ReqKind) -> u64 {
        let client = self.rng.below(self.clients.len() as u32);
        let path = self.rng.below(3) as u8;
        let id = self.launch(client, kind, path, true);
        let seq = self.reqs[id as usize].seq;
        self.last_sent = Some(seq);
        seq
    }

    /// The resolver sends one UDP query for www.foobar.com. While it is under way the
    /// request's `attempt_at` is when the query was sent and `sent_at` when it reaches the DNS
    /// server (both are HAProxy's and Nginx's later).
    pub(crate) fn resolve(&mut self, id: u32) {
        let now = self.now;
        let (users, dns) = (self.net.topo.users, self.net.topo.dns);
        let r = &mut self.reqs[id as usize];
        r.stage = Stage::Dns;
        r.dns_tries += 1;
        r.attempt_at = now;
        match self.net.connect(&mut self.rng, users, dns) {
            Conn::Ok(lat) => {
                self.reqs[id as usize].sent_at = now + lat;
                self.hop(id, users, dns, now, now + lat);
                let back = now + 2 * lat;
                self.hop(id, dns, users, now + lat, back);
                self.push_step(back, id, Step::DnsAnswer);
            }
            Conn::Refused(lat) => {
                // The host's kernel is up but no DNS server listens: ICMP port unreachable,
                // and the resolver gives up at once (no second attempt).
                self.hop(id, users, dns, now, now + lat);
                self.hop(id, dns, users, now + lat, now + 2 * lat);
                self.push_step(now + 2 * lat, id, Step::DnsRefused);
            }
            Conn::Dropped => {
                self.hop(id, users, dns, now, now + RESOLVER_TIMEOUT_US);
                self.push_step(now + RESOLVER_TIMEOUT_US, id, Step::DnsTimeout);
            }
        }
    }

    /// The resolver's wait for the query sent at `attempt_at` ends unanswered.
    pub(super) fn dns_timeout_from(&mut self, id: u32) {
        let t = dns::wait_ends(self.reqs[id as usize].attempt_at, self.now);
        self.push_step(t, id, Step::DnsTimeout);
    }

    /// The front the request is going to (or went to): a load balancer, or web-01 without.
    #[inline(always)]
    pub(crate) fn frontend_of(&self, id: u32) -> (NodeId, NodeId, Option<usize>) {
        let r = &self.reqs[id as usize];
        if self.lbs.is_empty() {
            let w = &self.webs[0];
            return (w.host, w.nginx, None);
        }
        let lb = if r.lb != NONE8 {
            r.lb as usize
        } else {
            self.pick_frontend(r.client).unwrap_or(0)
        };
        (self.lbs[lb].host, self.lbs[lb].haproxy, Some(lb))
    }

    /// Which load balancer a client's packets reach: the one its cached A record names (two
    /// active LBs), the floating IP's holder (a keepalived pair), or lb-01. `None`: nobody
    /// holds the floating IP.
    pub(super) fn pick_frontend(&self, client: u32) -> Option<usize> {
        match self.scenario.topology.lb_pair {
            crate::scenario::LbPair::ActivePassive if self.lbs.len() == 2 => {
                self.keepalived.vip_holder()
            }
            crate::scenario::LbPair::ActiveActive => {
                let c = &self.clients[client as usize];
                Some(c.dns.lb(self.lbs.len()))
            }
            _ => Some(0),
        }
    }

    pub(crate) fn send_to_frontend(&mut self, id: u32) {
        let now = self.now;
        let users = self.net.topo.users;
        let client = self.reqs[id as usize].client;
        let chosen = if self.lbs.is_empty() {
            Some(0)
        } else {
            self.pick_frontend(client)
        };
        if let Some(lb) = chosen.filter(|_| !self.lbs.is_empty()) {
            if self.reqs[id as usize].alt_tried {
                // Already refused by one address: the browser's second try goes elsewhere.
                let r = &mut self.reqs[id as usize];
                r.lb = dns::other_address(r.lb, self.lbs.len());
            } else {
                self.reqs[id as usize].lb = lb as u8;
            }
        }
        let (_, fe, _) = self.frontend_of(id);
        self.reqs[id as usize].stage = Stage::ToFrontend;
        let conn = if chosen.is_none() {
            Conn::Dropped
        } else {
            self.net.connect(&mut self.rng, users, fe)
        };
        if let Conn::Ok(_) = conn {
            let r = &self.reqs[id as usize];
            let (kind, path, tls) = (r.kind, crate::trace::path_of(r.kind, r.path), r.tls);
            self.security.eavesdrop(kind, path, tls);
        }
        match conn {
            Conn::Ok(lat) => {
                let mut t = now;
                if self.reqs[id as usize].tls {
                    // The TLS handshake costs a round trip before the request.
                    self.hop(id, users, fe, t, t + lat);
                    self.hop(id, fe, users, t + lat, t + 2 * lat);
                    t = t + 2 * lat;
                    self.totals.tls_handshakes += 1;
                }
                self.hop(id, users, fe, t, t + lat);
                if self.may_run_now(t + lat) {
                    // No latency to the front (the M/M/c model): the step the queue would
                    // run next, run now. This is the last thing every caller does.
                    self.events += 1;
                    self.at_frontend(id);
                } else {
                    self.push_step(t + lat, id, Step::AtFrontend);
                }
            }
            Conn::Refused(lat) => {
                self.hop(id, users, fe, now, now + lat);
                self.push_step(now + 2 * lat, id, Step::FrontendRefused);
            }
            Conn::Dropped => {
                // No SYN-ACK: the browser resends the SYN, or gives up (`no_syn_ack`).
                let r = &mut self.reqs[id as usize];
                let next = no_syn_ack(r.start, r.syn_tries, now, self.cfg.client_timeout);
                r.syn_tries += 1;
                match next {
                    NoSynAck::Resend(again) => {
                        self.hop(id, users, fe, now, again);
                        self.push_step(again, id, Step::SynRetry);
                    }
                    NoSynAck::GiveUp(at) => {
                        self.hop(id, users, fe, now, at);
                        self.client_gives_up(id);
                    }
                }
            }
        }
    }

    // Inlined into its two callers (the queue's step and the step run at once).
    #[inline(always)]
    pub(crate) fn at_frontend(&mut self, id: u32) {
        let now = self.now;
        let (fe_host, fe, lb) = self.frontend_of(id);
        let st = self.effective_state(fe);
        if st.crashed || st.draining {
            let lat = self.internet_back(id);
            self.end(id, now + lat, Outcome::Refused, Cause::LbRefused);
            return;
        }
        if st.partitioned || self.net.path_broken(self.net.topo.users, fe_host) {
            self.client_gives_up(id);
            return;
        }
        match lb {
            None => {
                // One server, no load balancer: Nginx itself is the front.
                self.reqs[id as usize].server = 0;
                self.reqs[id as usize].sent_at = now;
                self.nginx_handle(id);
            }
            Some(lb) => self.haproxy_dispatch(id, lb),
        }
    }
}
