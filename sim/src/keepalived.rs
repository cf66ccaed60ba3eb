//! keepalived/VRRP for an active-passive pair of load balancers: the master holds the
//! floating IP and sends an advert every `advert_int`; a backup that hears none for
//! `3 × advert_int + skew` (skew = (256 − priority)/256 s) takes over and sends gratuitous
//! ARPs; a `vrrp_script` checking HAProxy every second demotes a master whose HAProxy died; a
//! returning higher-priority node takes the IP back unless `nopreempt`.
//!
//! `Keepalived` owns the pair's state and reacts to its own events through a `Cx`; it learns
//! of crashes and cuts only by asking the network.

use crate::cx::Cx;
use crate::epoch::{Epoch, Stamp};
use crate::log::LogEvent;
use crate::scenario::{KeepalivedSpec, LbPair};
use crate::time::{SimTime, SEC};
use crate::topology::{NodeId, NodeKind, Topology};
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

/// keepalived on one load balancer.
#[derive(Debug, Clone)]
pub struct Vrrp {
    pub name: String,
    /// The load balancer's host, its keepalived and its HAProxy.
    host: NodeId,
    keepalived: NodeId,
    haproxy: NodeId,
    pub state: VrrpState,
    pub priority: u32,
    /// The backup's `master_down` timer: bumped to cancel a pending one.
    master_down: Epoch,
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
    MasterDown { lb: u8, stamp: Stamp },
}

/// keepalived's `master_down_interval`: 3 × advert_int + skew, skew = (256 − priority)/256.
pub fn master_down_interval_us(advert_int_us: u64, priority: u32) -> u64 {
    3 * advert_int_us + skew_us(priority)
}

/// VRRPv2's skew time, (256 − priority)/256 s (scaled by advert_int in VRRPv3).
pub fn skew_us(priority: u32) -> u64 {
    (256 - priority.min(255)) as u64 * SEC / 256
}

/// keepalived on both load balancers of an active-passive pair; with no such pair it has no
/// nodes and does nothing.
#[derive(Debug, Clone)]
pub struct Keepalived {
    nodes: Vec<Vrrp>,
    /// Which load balancer holds the floating IP.
    vip_holder: Option<usize>,
    advert_int: u64,
    nopreempt: bool,
}

impl Keepalived {
    /// lb-01 starts as MASTER with `priority_master`, lb-02 as BACKUP with `priority_backup`.
    pub fn new(pair: LbPair, spec: &KeepalivedSpec, topo: &Topology) -> Keepalived {
        let nodes = if pair == LbPair::ActivePassive && topo.lb_hosts.len() == 2 {
            topo.lb_hosts
                .iter()
                .enumerate()
                .map(|(i, &host)| Vrrp {
                    name: topo.node(host).name.clone(),
                    host,
                    keepalived: topo.component(host, NodeKind::Keepalived).unwrap_or(host),
                    haproxy: topo.component(host, NodeKind::Haproxy).unwrap_or(host),
                    state: if i == 0 {
                        VrrpState::Master
                    } else {
                        VrrpState::Backup
                    },
                    priority: if i == 0 {
                        spec.priority_master
                    } else {
                        spec.priority_backup
                    },
                    master_down: Epoch::default(),
                    last_advert: SimTime::ZERO,
                    last_sent: SimTime::ZERO,
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut k = Keepalived {
            nodes,
            vip_holder: None,
            advert_int: 0,
            nopreempt: false,
        };
        k.configure(spec);
        k
    }

    /// `advert_int` and `nopreempt` as the settings say now (priorities stay as started).
    pub fn configure(&mut self, spec: &KeepalivedSpec) {
        self.advert_int = (spec.advert_int_s * SEC as f64) as u64;
        self.nopreempt = spec.nopreempt;
    }

    /// Each load balancer's keepalived, in order (none without an active-passive pair).
    pub fn nodes(&self) -> &[Vrrp] {
        &self.nodes
    }

    /// Which load balancer holds the floating IP.
    pub fn vip_holder(&self) -> Option<usize> {
        self.vip_holder
    }

    pub fn state(&self, lb: usize) -> Option<VrrpState> {
        self.nodes.get(lb).map(|v| v.state)
    }

    /// The master takes the floating IP; both start their timers.
    pub fn start<E: From<VrrpEvent> + Copy + Default>(&mut self, cx: &mut Cx<'_, E>) {
        if self.nodes.is_empty() {
            return;
        }
        self.vip_holder = Some(0);
        for lb in 0..2u8 {
            cx.after(0, VrrpEvent::Tick { lb });
        }
        self.arm_master_down(1, cx);
    }

    pub fn on_event<E: From<VrrpEvent> + Copy + Default>(
        &mut self,
        ev: VrrpEvent,
        cx: &mut Cx<'_, E>,
    ) {
        match ev {
            VrrpEvent::Tick { lb } => self.tick(lb as usize, cx),
            VrrpEvent::Advert { to, priority } => self.advert(to as usize, priority as u32, cx),
            VrrpEvent::MasterDown { lb, stamp } => {
                let lb = lb as usize;
                if self.nodes[lb].master_down.is_current(stamp)
                    && self.nodes[lb].state == VrrpState::Backup
                    && self.alive(lb, cx)
                {
                    self.become_master(lb, cx);
                }
            }
        }
    }

    /// A load balancer host or its keepalived came back: it starts as BACKUP and, with the
    /// higher priority, preempts when it hears the current master's advert.
    pub fn on_restored<E: From<VrrpEvent> + Copy + Default>(
        &mut self,
        lb: usize,
        cx: &mut Cx<'_, E>,
    ) {
        if self.nodes.is_empty() {
            return;
        }
        let before = self.nodes[lb].state;
        if before != VrrpState::Backup {
            self.nodes[lb].state = VrrpState::Backup;
            self.changed(lb, before, cx);
        }
        self.arm_master_down(lb, cx);
    }

    /// keepalived runs on the host (not crashed).
    fn alive<E>(&self, lb: usize, cx: &Cx<'_, E>) -> bool {
        !cx.net().effective_state(self.nodes[lb].keepalived).crashed
    }

    /// Its `vrrp_script` sees HAProxy alive.
    fn haproxy_ok<E>(&self, lb: usize, cx: &Cx<'_, E>) -> bool {
        let s = cx.net().effective_state(self.nodes[lb].haproxy);
        !s.crashed && !s.draining
    }

    fn tick<E: From<VrrpEvent> + Copy + Default>(&mut self, lb: usize, cx: &mut Cx<'_, E>) {
        // The vrrp_script runs every second; adverts go every advert_int.
        let advert = self.advert_int;
        cx.after(advert.min(SEC), VrrpEvent::Tick { lb: lb as u8 });
        let advert_due = cx.now() - self.nodes[lb].last_sent >= advert;
        if !self.alive(lb, cx) {
            if self.nodes[lb].state == VrrpState::Master && self.vip_holder == Some(lb) {
                // Dead with the VIP: nobody answers ARP for it until the backup takes over.
                self.nodes[lb].state = VrrpState::Fault;
                self.changed(lb, VrrpState::Master, cx);
            }
            return;
        }
        let ok = self.haproxy_ok(lb, cx);
        match (self.nodes[lb].state, ok) {
            (VrrpState::Master, false) => {
                // vrrp_script failed: FAULT, and a priority-0 advert tells the backup to take
                // over after its skew time.
                self.step_down(lb, VrrpState::Fault, cx);
                self.send_advert(lb, 0, cx);
            }
            (VrrpState::Fault, true) => {
                self.nodes[lb].state = VrrpState::Backup;
                self.changed(lb, VrrpState::Fault, cx);
                self.arm_master_down(lb, cx);
            }
            (VrrpState::Master, true) if advert_due => {
                let p = self.nodes[lb].priority;
                self.send_advert(lb, p, cx);
            }
            _ => {}
        }
    }

    /// `lb` stopped being master: the floating IP is the other's if it is master, else no
    /// one's.
    fn step_down<E>(&mut self, lb: usize, to: VrrpState, cx: &mut Cx<'_, E>) {
        let before = self.nodes[lb].state;
        self.nodes[lb].state = to;
        if self.vip_holder == Some(lb) {
            let other = 1 - lb;
            self.vip_holder = (self.nodes[other].state == VrrpState::Master).then_some(other);
        }
        self.changed(lb, before, cx);
    }

    /// An advert leaves; it reaches the peer one LAN hop later unless the path between them
    /// is cut.
    fn send_advert<E: From<VrrpEvent> + Copy + Default>(
        &mut self,
        from: usize,
        priority: u32,
        cx: &mut Cx<'_, E>,
    ) {
        self.nodes[from].last_sent = cx.now();
        let other = 1 - from;
        if cx
            .net()
            .path_broken(self.nodes[from].host, self.nodes[other].host)
        {
            return;
        }
        let lat = cx.net().lan_us();
        cx.after(
            lat,
            VrrpEvent::Advert {
                to: other as u8,
                priority: priority.min(255) as u8,
            },
        );
    }

    fn advert<E: From<VrrpEvent> + Copy + Default>(
        &mut self,
        lb: usize,
        priority: u32,
        cx: &mut Cx<'_, E>,
    ) {
        if !self.alive(lb, cx) {
            return;
        }
        match self.nodes[lb].state {
            VrrpState::Backup => {
                self.nodes[lb].last_advert = cx.now();
                if priority == 0 {
                    // The master resigned: take over after the skew time only.
                    let skew = skew_us(self.nodes[lb].priority);
                    self.arm_master_down_in(lb, skew, cx);
                } else if priority < self.nodes[lb].priority && !self.nopreempt {
                    // Preemption: a lower-priority master's adverts are discarded, so this
                    // node's master-down timer runs out and it takes over then.
                } else {
                    self.arm_master_down(lb, cx);
                }
            }
            VrrpState::Master => {
                // Two masters (they could not hear each other): the higher priority stays.
                if priority > self.nodes[lb].priority {
                    self.step_down(lb, VrrpState::Backup, cx);
                    self.arm_master_down(lb, cx);
                } else {
                    // A lower-priority master: answer with an advert and gratuitous ARPs,
                    // forcing a new election; the floating IP is ours.
                    self.vip_holder = Some(lb);
                    let p = self.nodes[lb].priority;
                    self.send_advert(lb, p, cx);
                }
            }
            VrrpState::Fault => {}
        }
    }

    fn arm_master_down<E: From<VrrpEvent> + Copy + Default>(
        &mut self,
        lb: usize,
        cx: &mut Cx<'_, E>,
    ) {
        let t = master_down_interval_us(self.advert_int, self.nodes[lb].priority);
        self.arm_master_down_in(lb, t, cx);
    }

    fn arm_master_down_in<E: From<VrrpEvent> + Copy + Default>(
        &mut self,
        lb: usize,
        t: u64,
        cx: &mut Cx<'_, E>,
    ) {
        let v = &mut self.nodes[lb];
        v.master_down.bump();
        let stamp = v.master_down.stamp();
        cx.after(
            t,
            VrrpEvent::MasterDown {
                lb: lb as u8,
                stamp,
            },
        );
    }

    /// No advert from the master for 3 × advert_int + skew: this node takes the floating IP.
    fn become_master<E: From<VrrpEvent> + Copy + Default>(
        &mut self,
        lb: usize,
        cx: &mut Cx<'_, E>,
    ) {
        let before = self.nodes[lb].state;
        self.nodes[lb].state = VrrpState::Master;
        self.vip_holder = Some(lb);
        // A second MASTER (after a partition heals) hears our adverts and steps down if its
        // priority is lower (`advert`).
        self.changed(lb, before, cx);
        cx.log(LogEvent::VrrpMaster {
            lb: self.nodes[lb].name.clone(),
        });
        let p = self.nodes[lb].priority;
        self.send_advert(lb, p, cx);
    }

    fn changed<E>(&mut self, lb: usize, before: VrrpState, cx: &mut Cx<'_, E>) {
        let after = self.nodes[lb].state;
        if before != after {
            cx.transition(
                &self.nodes[lb].name,
                "vrrp",
                before.as_str().into(),
                after.as_str().into(),
            );
            cx.changed();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cx::TestBed;
    use crate::net::NodeState;
    use crate::time::MS;
    use crate::Scenario;

    /// keepalived's events as a queue holds them (a queue's events need a default).
    #[derive(Debug, Clone, Copy)]
    struct Ev(VrrpEvent);

    impl Default for Ev {
        fn default() -> Self {
            Ev(VrrpEvent::Tick { lb: 0 })
        }
    }

    impl From<VrrpEvent> for Ev {
        fn from(ev: VrrpEvent) -> Ev {
            Ev(ev)
        }
    }

    /// An active-passive pair with `spec`, started at time 0 with no fault anywhere.
    struct Pair {
        bed: TestBed<Ev>,
        k: Keepalived,
    }

    impl Pair {
        fn new(spec: KeepalivedSpec) -> Pair {
            let mut s = Scenario::three_server();
            s.topology.lb_pair = LbPair::ActivePassive;
            s.keepalived = spec;
            let mut bed = TestBed::new(&s);
            let mut k = Keepalived::new(LbPair::ActivePassive, &spec, &bed.net.topo);
            k.start(&mut bed.cx());
            Pair { bed, k }
        }

        fn run_to_ms(&mut self, ms: u64) {
            let k = &mut self.k;
            self.bed
                .run_until(SimTime(ms * MS), |Ev(ev), cx| k.on_event(ev, cx));
        }

        fn host(&self, lb: usize) -> NodeId {
            self.k.nodes[lb].host
        }

        fn crash(&mut self, node: NodeId) {
            let crashed = NodeState {
                crashed: true,
                ..NodeState::default()
            };
            self.bed.net.set_node(node, crashed);
        }

        fn restore(&mut self, lb: usize) {
            let host = self.host(lb);
            self.bed.net.set_node(host, NodeState::default());
            self.k.on_restored(lb, &mut self.bed.cx());
        }

        fn states(&self) -> (VrrpState, VrrpState) {
            (self.k.nodes[0].state, self.k.nodes[1].state)
        }

        /// When each "entering MASTER state" was logged, and by whom.
        fn became_master(&self) -> Vec<(SimTime, String)> {
            self.bed
                .log
                .iter()
                .filter_map(|e| match &e.event {
                    LogEvent::VrrpMaster { lb } => Some((e.t, lb.clone())),
                    _ => None,
                })
                .collect()
        }
    }

    fn lan(p: &Pair) -> u64 {
        p.bed.net.lan_us()
    }

    /// A backup takes over after 3 × advert_int + skew; 3.6 s at priority 100.
    #[test]
    fn master_down_interval_as_keepalived_computes_it() {
        assert_eq!(master_down_interval_us(SEC, 100), 3 * SEC + 609_375);
        assert_eq!(master_down_interval_us(SEC, 90), 3 * SEC + 648_437);
        assert_eq!(skew_us(255), 3_906);
    }

    #[test]
    fn no_pair_no_keepalived() {
        let s = Scenario::three_server();
        let mut bed: TestBed<Ev> = TestBed::new(&s);
        let mut k = Keepalived::new(s.topology.lb_pair, &s.keepalived, &bed.net.topo);
        k.start(&mut bed.cx());
        assert!(k.nodes().is_empty());
        assert_eq!(k.vip_holder(), None);
        assert!(bed.queue.is_empty());
    }

    /// lb-01 (priority 100) stays MASTER with the floating IP while its adverts arrive.
    #[test]
    fn the_master_keeps_the_vip_while_its_adverts_arrive() {
        let mut p = Pair::new(KeepalivedSpec::default());
        p.run_to_ms(60_000);
        assert_eq!(p.states(), (VrrpState::Master, VrrpState::Backup));
        assert_eq!(p.k.vip_holder(), Some(0));
        assert!(p.became_master().is_empty());
        assert!(p.bed.transitions.is_empty());
        // The last advert to arrive by 60 s left at 59 s, one LAN hop earlier.
        assert_eq!(p.k.nodes[1].last_advert, SimTime(59 * SEC + lan(&p)));
    }

    /// The election goes by priority: a backup configured above the master discards its
    /// adverts, takes over when its own master-down timer runs out, and the master steps down
    /// on hearing it.
    #[test]
    fn the_higher_priority_wins_the_election() {
        let mut p = Pair::new(KeepalivedSpec {
            priority_master: 50,
            priority_backup: 200,
            ..KeepalivedSpec::default()
        });
        p.run_to_ms(10_000);
        let at = SimTime(master_down_interval_us(SEC, 200));
        assert_eq!(p.became_master(), vec![(at, "lb-02".to_string())]);
        assert_eq!(p.states(), (VrrpState::Backup, VrrpState::Master));
        assert_eq!(p.k.vip_holder(), Some(1));
    }

    /// Split brain and back: cut off from each other both are MASTER; healed, the
    /// lower-priority one hears the other's advert and steps down.
    #[test]
    fn after_a_partition_the_lower_priority_master_steps_down() {
        let mut p = Pair::new(KeepalivedSpec::default());
        let link = p.bed.net.topo.link_between(p.host(0), p.host(1)).unwrap();
        p.run_to_ms(10_500);
        let cut = crate::net::LinkState {
            partitioned: true,
            ..Default::default()
        };
        p.bed.net.set_link(link, cut);
        p.run_to_ms(20_000);
        assert_eq!(p.states(), (VrrpState::Master, VrrpState::Master));
        assert_eq!(p.k.vip_holder(), Some(1));
        p.bed.net.set_link(link, Default::default());
        p.run_to_ms(22_000);
        assert_eq!(p.states(), (VrrpState::Master, VrrpState::Backup));
        assert_eq!(p.k.vip_holder(), Some(0));
    }

    /// The master dies: the backup hears nothing for 3 × advert_int + skew after the last
    /// advert that arrived, then takes the floating IP.
    #[test]
    fn the_backup_takes_over_three_adverts_and_the_skew_after_the_last() {
        let mut p = Pair::new(KeepalivedSpec::default());
        p.run_to_ms(10_500);
        let host = p.host(0);
        p.crash(host);
        p.run_to_ms(11_000);
        // Dead with the VIP at its next tick: FAULT, and nobody holds the IP.
        assert_eq!(p.states(), (VrrpState::Fault, VrrpState::Backup));
        p.run_to_ms(20_000);
        let last_advert = SimTime(10 * SEC + lan(&p));
        let at = last_advert + master_down_interval_us(SEC, 90);
        assert_eq!(p.became_master(), vec![(at, "lb-02".to_string())]);
        assert_eq!(p.states(), (VrrpState::Fault, VrrpState::Master));
        assert_eq!(p.k.vip_holder(), Some(1));
    }

    /// The vrrp_script sees HAProxy dead: the master goes FAULT and sends a priority-0
    /// advert, and the backup takes over after its skew time only.
    #[test]
    fn a_dead_haproxy_hands_the_vip_over_after_the_skew() {
        let mut p = Pair::new(KeepalivedSpec::default());
        p.run_to_ms(10_500);
        let haproxy = p.k.nodes[0].haproxy;
        p.crash(haproxy);
        p.run_to_ms(20_000);
        let resigned = SimTime(11 * SEC + lan(&p));
        assert_eq!(
            p.became_master(),
            vec![(resigned + skew_us(90), "lb-02".to_string())]
        );
        assert_eq!(p.states(), (VrrpState::Fault, VrrpState::Master));
    }

    /// A returning higher-priority node comes back as BACKUP, discards the lower master's
    /// adverts, and takes the IP back when its own master-down timer runs out.
    #[test]
    fn a_returning_higher_priority_node_preempts() {
        let mut p = Pair::new(KeepalivedSpec::default());
        p.run_to_ms(10_500);
        let host = p.host(0);
        p.crash(host);
        p.run_to_ms(20_000);
        p.restore(0);
        assert_eq!(p.states(), (VrrpState::Backup, VrrpState::Master));
        p.run_to_ms(30_000);
        let back = SimTime(20 * SEC) + master_down_interval_us(SEC, 100);
        assert_eq!(p.became_master().last(), Some(&(back, "lb-01".to_string())));
        assert_eq!(p.states(), (VrrpState::Master, VrrpState::Backup));
        assert_eq!(p.k.vip_holder(), Some(0));
    }

    /// With `nopreempt` the returning node stays BACKUP: each advert of the current master
    /// restarts its master-down timer.
    #[test]
    fn nopreempt_leaves_the_vip_where_it_is() {
        let mut p = Pair::new(KeepalivedSpec {
            nopreempt: true,
            ..KeepalivedSpec::default()
        });
        p.run_to_ms(10_500);
        let host = p.host(0);
        p.crash(host);
        p.run_to_ms(20_000);
        p.restore(0);
        p.run_to_ms(80_000);
        assert_eq!(p.became_master().len(), 1);
        assert_eq!(p.states(), (VrrpState::Backup, VrrpState::Master));
        assert_eq!(p.k.vip_holder(), Some(1));
    }
}
