//! keepalived/VRRP for an active-passive pair of load balancers (MODEL.md "keepalived";
//! SPEC S5): the master holds the floating IP and sends an advert every `advert_int`; a
//! backup that hears none for `3 × advert_int + skew` (skew = (256 − priority)/256 s) takes
//! over and sends gratuitous ARPs; a `vrrp_script` checking HAProxy every second demotes a
//! master whose HAProxy died; a returning higher-priority node takes the IP back unless
//! `nopreempt`.

use crate::log::LogEvent;
use crate::scenario::{KeepalivedSpec, LbPair};
use crate::time::{SimTime, SEC};
use crate::topology::NodeKind;
use crate::world::{Event, World};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum VrrpState {
    #[serde(rename = "MASTER")]
    Master,
    #[serde(rename = "BACKUP")]
    Backup,
    /// Its `vrrp_script` (HAProxy check) fails, or keepalived is down.
    #[serde(rename = "FAULT")]
    Fault,
}

impl VrrpState {
    pub fn as_str(self) -> &'static str {
        match self {
            VrrpState::Master => "MASTER",
            VrrpState::Backup => "BACKUP",
            VrrpState::Fault => "FAULT",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Vrrp {
    pub state: VrrpState,
    pub priority: u32,
    /// The backup's `master_down` timer: bumped to cancel a pending one.
    down_seq: u32,
    pub last_advert: SimTime,
    last_sent: SimTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VrrpEvent {
    /// Every `advert_int` (and each second for the `vrrp_script`) on one node.
    Tick { lb: u8 },
    /// An advert from `from` with `priority` reaches the other node.
    Advert { to: u8, priority: u8 },
    /// No advert heard for `master_down_interval`.
    MasterDown { lb: u8, seq: u32 },
}

/// keepalived's `master_down_interval`: 3 × advert_int + skew, skew = (256 − priority)/256.
pub fn master_down_interval_us(advert_int_us: u64, priority: u32) -> u64 {
    3 * advert_int_us + skew_us(priority)
}

/// VRRPv2's skew time, (256 − priority)/256 s (scaled by advert_int in VRRPv3).
pub fn skew_us(priority: u32) -> u64 {
    (256 - priority.min(255)) as u64 * SEC / 256
}

impl World {
    fn keepalived(&self) -> &KeepalivedSpec {
        &self.scenario.keepalived
    }

    pub(crate) fn vrrp_enabled(&self) -> bool {
        self.scenario.topology.lb_pair == LbPair::ActivePassive && self.lbs.len() == 2
    }

    pub(crate) fn vrrp_start(&mut self) {
        if !self.vrrp_enabled() {
            return;
        }
        let k = *self.keepalived();
        self.vrrp = vec![
            Vrrp {
                state: VrrpState::Master,
                priority: k.priority_master,
                down_seq: 0,
                last_advert: SimTime::ZERO,
                last_sent: SimTime::ZERO,
            },
            Vrrp {
                state: VrrpState::Backup,
                priority: k.priority_backup,
                down_seq: 0,
                last_advert: SimTime::ZERO,
                last_sent: SimTime::ZERO,
            },
        ];
        self.vip_holder = Some(0);
        for lb in 0..2u8 {
            self.queue
                .push(self.now, Event::Vrrp(VrrpEvent::Tick { lb }));
        }
        self.arm_master_down(1);
    }

    fn advert_int(&self) -> u64 {
        (self.keepalived().advert_int_s * SEC as f64) as u64
    }

    /// keepalived runs on the host (not crashed); its check sees HAProxy alive.
    fn keepalived_alive(&self, lb: usize) -> bool {
        let host = self.lbs[lb].host;
        let node = self
            .net
            .topo
            .component(host, NodeKind::Keepalived)
            .unwrap_or(host);
        let s = self.effective_state(node);
        !s.crashed
    }

    fn haproxy_ok(&self, lb: usize) -> bool {
        let s = self.effective_state(self.lbs[lb].haproxy);
        !s.crashed && !s.draining
    }

    pub(crate) fn on_vrrp(&mut self, ev: VrrpEvent) {
        match ev {
            VrrpEvent::Tick { lb } => self.vrrp_tick(lb as usize),
            VrrpEvent::Advert { to, priority } => self.vrrp_advert(to as usize, priority as u32),
            VrrpEvent::MasterDown { lb, seq } => {
                let lb = lb as usize;
                if self.vrrp[lb].down_seq == seq
                    && self.vrrp[lb].state == VrrpState::Backup
                    && self.keepalived_alive(lb)
                {
                    self.become_master(lb);
                }
            }
        }
    }

    fn vrrp_tick(&mut self, lb: usize) {
        // The vrrp_script runs every second; adverts go every advert_int.
        let advert = self.advert_int();
        let step = advert.min(SEC);
        self.queue.push(
            self.now + step,
            Event::Vrrp(VrrpEvent::Tick { lb: lb as u8 }),
        );
        let advert_due = self.now - self.vrrp[lb].last_sent >= advert;
        if !self.keepalived_alive(lb) {
            if self.vrrp[lb].state == VrrpState::Master && self.vip_holder == Some(lb) {
                // Dead with the VIP: nobody answers ARP for it until the backup takes over.
                self.vrrp[lb].state = VrrpState::Fault;
                self.vrrp_changed(lb, VrrpState::Master);
            }
            return;
        }
        let ok = self.haproxy_ok(lb);
        match (self.vrrp[lb].state, ok) {
            (VrrpState::Master, false) => {
                // vrrp_script failed: FAULT, and a priority-0 advert tells the backup to take
                // over after its skew time.
                self.step_down(lb, VrrpState::Fault);
                self.send_advert(lb, 0);
            }
            (VrrpState::Fault, true) => {
                self.vrrp[lb].state = VrrpState::Backup;
                self.vrrp_changed(lb, VrrpState::Fault);
                self.arm_master_down(lb);
            }
            (VrrpState::Master, true) if advert_due => {
                let p = self.vrrp[lb].priority;
                self.send_advert(lb, p);
            }
            _ => {}
        }
    }

    /// `lb` stopped being master: the floating IP is the other's if it is master, else no
    /// one's.
    fn step_down(&mut self, lb: usize, to: VrrpState) {
        let before = self.vrrp[lb].state;
        self.vrrp[lb].state = to;
        if self.vip_holder == Some(lb) {
            let other = 1 - lb;
            self.vip_holder = (self.vrrp[other].state == VrrpState::Master).then_some(other);
        }
        self.vrrp_changed(lb, before);
    }

    fn send_advert(&mut self, from: usize, priority: u32) {
        self.vrrp[from].last_sent = self.now;
        let other = 1 - from;
        let (a, b) = (self.lbs[from].host, self.lbs[other].host);
        if self.net.path_broken(a, b) {
            return;
        }
        let lat = self.cfg.timing.lan_us;
        self.queue.push(
            self.now + lat,
            Event::Vrrp(VrrpEvent::Advert {
                to: other as u8,
                priority: priority.min(255) as u8,
            }),
        );
    }

    fn vrrp_advert(&mut self, lb: usize, priority: u32) {
        if !self.keepalived_alive(lb) {
            return;
        }
        let me = &self.vrrp[lb];
        match me.state {
            VrrpState::Backup => {
                self.vrrp[lb].last_advert = self.now;
                if priority == 0 {
                    // The master resigned: take over after the skew time only.
                    let skew = skew_us(self.vrrp[lb].priority);
                    self.arm_master_down_in(lb, skew);
                } else if priority < self.vrrp[lb].priority && !self.keepalived().nopreempt {
                    // Preemption: a lower-priority master's adverts are discarded, so this
                    // node's master-down timer runs out and it takes over then.
                } else {
                    self.arm_master_down(lb);
                }
            }
            VrrpState::Master => {
                // Two masters (they could not hear each other): the higher priority stays.
                if priority > self.vrrp[lb].priority {
                    self.step_down(lb, VrrpState::Backup);
                    self.arm_master_down(lb);
                } else {
                    // A lower-priority master: answer with an advert and gratuitous ARPs,
                    // forcing a new election; the floating IP is ours.
                    self.vip_holder = Some(lb);
                    let p = self.vrrp[lb].priority;
                    self.send_advert(lb, p);
                }
            }
            VrrpState::Fault => {}
        }
    }

    fn arm_master_down(&mut self, lb: usize) {
        let t = master_down_interval_us(self.advert_int(), self.vrrp[lb].priority);
        self.arm_master_down_in(lb, t);
    }

    fn arm_master_down_in(&mut self, lb: usize, t: u64) {
        let v = &mut self.vrrp[lb];
        v.down_seq = v.down_seq.wrapping_add(1);
        let seq = v.down_seq;
        self.queue.push(
            self.now + t,
            Event::Vrrp(VrrpEvent::MasterDown { lb: lb as u8, seq }),
        );
    }

    /// No advert from the master for 3 × advert_int + skew: this node takes the floating IP.
    fn become_master(&mut self, lb: usize) {
        let before = self.vrrp[lb].state;
        self.vrrp[lb].state = VrrpState::Master;
        self.vip_holder = Some(lb);
        // A second MASTER (after a partition heals) hears our adverts and steps down if its
        // priority is lower (vrrp_advert).
        self.vrrp_changed(lb, before);
        let lb_name = self.lbs[lb].name.clone();
        self.log
            .push(self.now, LogEvent::VrrpMaster { lb: lb_name });
        let p = self.vrrp[lb].priority;
        self.send_advert(lb, p);
    }

    fn vrrp_changed(&mut self, lb: usize, before: VrrpState) {
        let after = self.vrrp[lb].state;
        if before != after {
            let name = self.lbs[lb].name.clone();
            self.transition(&name, "vrrp", before.as_str().into(), after.as_str().into());
            self.version += 1;
        }
    }

    /// A load balancer host or its keepalived came back: it starts as BACKUP and, with the
    /// higher priority, preempts when it hears the current master's advert.
    pub(crate) fn vrrp_on_restored(&mut self, lb: usize) {
        if !self.vrrp_enabled() {
            return;
        }
        let before = self.vrrp[lb].state;
        if before != VrrpState::Backup {
            self.vrrp[lb].state = VrrpState::Backup;
            self.vrrp_changed(lb, before);
        }
        self.arm_master_down(lb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// MODEL.md: a backup takes over after 3 × advert_int + skew; 3.6 s at priority 100.
    #[test]
    fn master_down_interval_as_keepalived_computes_it() {
        assert_eq!(master_down_interval_us(SEC, 100), 3 * SEC + 609_375);
        assert_eq!(master_down_interval_us(SEC, 90), 3 * SEC + 648_437);
        assert_eq!(skew_us(255), 3_906);
    }
}
