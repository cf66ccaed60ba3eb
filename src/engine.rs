//! The running lab as the page holds it (docs/architecture.md, "The page"): a `foobar_sim::Lab`, the
//! snapshot the page draws from, and the clock that maps real time to simulated time.
//!
//! It lives outside Yew's state, behind an `Rc<RefCell<_>>`, because it changes every frame.
//! No DOM here: the frame loop calls `frame` with the browser's timestamp, so this module is
//! tested natively.

use std::rc::Rc;

use foobar_sim::lesson::Lesson;
use foobar_sim::scenario::{FaultKind, TimingPreset};
use foobar_sim::snapshot::Flight;
use foobar_sim::world::{Condition, LinkCondition};
use foobar_sim::{Action, Lab, Scenario, SimTime, Snapshot, Topology};

use crate::classroom::LessonRun;
use crate::layout::Layout;
use crate::narration;
use foobar_sim::error::BookError;

/// Slowest and fastest speeds: 1/1000× to 100× real time.
pub const MIN_SPEED: f64 = 0.001;
pub const MAX_SPEED: f64 = 100.0;
/// A longer gap between two frames (a hidden tab, a debugger) counts as this much.
const MAX_FRAME_GAP_MS: f64 = 1000.0;
/// Yew re-renders what changed at most this often (~10 times a second) …
const UI_MIN_GAP_MS: f64 = 100.0;
/// … and counters that move without a version bump (served, the clock) this often.
const UI_IDLE_GAP_MS: f64 = 250.0;
/// An open lesson's check is evaluated this often (it scans the traces ring), and at once
/// after an action.
const LESSON_GAP_MS: f64 = 250.0;

/// The page's lab, clock and drawing inputs.
pub struct Engine {
    lab: Lab,
    pub snap: Snapshot,
    topology: Rc<Topology>,
    layout: Rc<Layout>,
    /// The stage's box the drawing was fitted to (CSS px), and whether in presenter mode.
    fitted_to: (f64, f64, bool),
    playing: bool,
    speed: f64,
    last_frame_ms: Option<f64>,
    /// Simulated microseconds owed to the clock but not yet run (speeds below 1 µs/frame).
    owed_us: f64,
    last_ui_ms: f64,
    last_ui_version: u64,
    last_ui_now: SimTime,
    /// Which scenario runs (built once per new lab).
    generation: u64,
    /// Counts Yew renders asked for: panels take it as a prop, so they re-render with it.
    ui_tick: u64,
    /// The request the inspector follows; drawn highlighted.
    pub selected: Option<u64>,
    /// `prefers-reduced-motion`: counts per node instead of moving dots.
    pub counts_only: bool,
    /// The lesson open in this lab, if any.
    pub lesson: Option<LessonRun>,
    /// The lab as it was before an action taken at an earlier moment dropped the actions
    /// recorded after it: undo puts it back.
    undo: Option<Lab>,
    /// The actions the last action dropped, and when it was taken: said once.
    dropped: Option<(usize, SimTime)>,
    last_lesson_ms: f64,
}

impl Engine {
    /// A lab for this scenario, at time 0, playing at 1×.
    pub fn new(scenario: &Scenario) -> Result<Engine, String> {
        let lab = Lab::new(scenario).map_err(|e| narration::scenario_error(&e))?;
        Ok(Engine::with_lab(lab))
    }

    /// A lab already built (from a share link), at its moment, paused there: the page shows
    /// the moment that was shared until someone plays it.
    pub fn from_lab(lab: Lab) -> Engine {
        let mut e = Engine::with_lab(lab);
        e.playing = false;
        e
    }

    fn with_lab(lab: Lab) -> Engine {
        let topology = Rc::new(lab.topology().clone());
        let layout = Rc::new(Layout::of(&topology));
        let mut engine = Engine {
            lab,
            snap: Snapshot::default(),
            topology,
            layout,
            fitted_to: (
                crate::layout::DEFAULT_BOX.0,
                crate::layout::DEFAULT_BOX.1,
                false,
            ),
            playing: true,
            speed: 1.0,
            last_frame_ms: None,
            owed_us: 0.0,
            last_ui_ms: f64::NEG_INFINITY,
            last_ui_version: u64::MAX,
            last_ui_now: SimTime::NEVER,
            generation: 0,
            ui_tick: 0,
            selected: None,
            counts_only: false,
            lesson: None,
            undo: None,
            dropped: None,
            last_lesson_ms: f64::NEG_INFINITY,
        };
        engine.refresh();
        engine
    }

    /// The page's opening scenario: the three-server design in the classroom timing preset.
    pub fn classroom_default() -> Scenario {
        let mut s = Scenario::three_server();
        s.timing.preset = TimingPreset::Classroom;
        s
    }

    /// Starts over with another scenario (a topology preset, more web hosts); keeps the
    /// clock's speed and whether it plays. A refused scenario changes nothing. A lesson open
    /// in the old lab closes with it.
    pub fn replace(&mut self, scenario: &Scenario) -> Result<(), String> {
        let lab = Lab::new(scenario).map_err(|e| narration::scenario_error(&e))?;
        self.replace_lab(lab);
        Ok(())
    }

    /// Starts over with a lab already built (a share link opened while the page runs).
    pub fn replace_lab(&mut self, lab: Lab) {
        let mut next = Engine::with_lab(lab);
        next.playing = self.playing;
        next.speed = self.speed;
        next.counts_only = self.counts_only;
        next.generation = self.generation + 1;
        next.ui_tick = self.ui_tick + 1;
        next.fitted_to = (0.0, 0.0, false);
        let (w, h, presenter) = self.fitted_to;
        next.fit(w, h, presenter);
        *self = next;
    }

    /// Fits the drawing to the stage's box (CSS px), in presenter mode or not:
    /// another arrangement when the box calls for one. Whether the drawing changed.
    pub fn fit(&mut self, width: f64, height: f64, presenter: bool) -> bool {
        let (w0, h0, p0) = self.fitted_to;
        // A pixel or two (a scrollbar coming and going) changes nothing.
        if width <= 0.0
            || height <= 0.0
            || (width - w0).abs() < 2.0 && (height - h0).abs() < 2.0 && presenter == p0
        {
            return false;
        }
        self.fitted_to = (width, height, presenter);
        let next = Layout::fit(&self.topology, width, height, presenter);
        // The same arrangement of the same topology is the same drawing (comparing
        // them whole would be code of its own in the page).
        let now = &self.layout;
        if (next.arrangement, next.need) == (now.arrangement, now.need) {
            return false;
        }
        self.layout = Rc::new(next);
        true
    }

    /// Opens a lesson: a new lab from its scenario, its setup applied, paused at
    /// the start until the student has answered the prediction question.
    pub fn open_lesson(&mut self, lesson: Rc<Lesson>, scenario: &Scenario) -> Result<(), String> {
        let mut lab = Lab::new(scenario).map_err(|e| narration::scenario_error(&e))?;
        for a in &lesson.setup {
            lab.apply(a.clone()).map_err(|error| {
                narration::book_error(&BookError::BadAction {
                    lesson: lesson.id.clone(),
                    error,
                })
            })?;
        }
        self.replace_lab(lab);
        self.set_playing(false);
        self.lesson = Some(LessonRun::new(lesson, &self.lab));
        Ok(())
    }

    /// Follows the open lesson: every `LESSON_GAP_MS`, or at once after an action. Returns
    /// whether what its panel shows changed.
    pub fn tend_lesson(&mut self, real_ms: f64) -> bool {
        let Some(run) = self.lesson.as_mut() else {
            return false;
        };
        if real_ms - self.last_lesson_ms < LESSON_GAP_MS {
            return false;
        }
        self.last_lesson_ms = real_ms;
        run.update(&self.lab)
    }

    /// Changes the open lesson with the lab beside it; `None` without one.
    pub fn with_lesson<R>(&mut self, f: impl FnOnce(&mut LessonRun, &Lab) -> R) -> Option<R> {
        let run = self.lesson.as_mut()?;
        self.last_lesson_ms = f64::NEG_INFINITY;
        Some(f(run, &self.lab))
    }

    /// The open lesson's current version (0 without one): its panel re-renders with it.
    pub fn lesson_version(&self) -> u64 {
        self.lesson.as_ref().map_or(0, |l| l.version + 1)
    }

    /// What a click on a node does: break it if it is up, restore it otherwise.
    /// Users do not break (their menu sends requests instead).
    pub fn toggle(&self, node: foobar_sim::NodeId) -> Option<Action> {
        let n = self.topology.node(node);
        if n.kind == foobar_sim::NodeKind::Users {
            return None;
        }
        let own = self.snap.nodes.get(node.index()).map(|v| v.own);
        let fault = if own.is_none_or(|c| c == Condition::Up) {
            FaultKind::Crash
        } else {
            FaultKind::Restore
        };
        Some(Action::Fault {
            target: n.name.clone(),
            fault,
        })
    }

    /// What a click on a link does: cut it if it is up, repair it otherwise.
    pub fn toggle_link(&self, link: foobar_sim::LinkId) -> Action {
        let up = self
            .snap
            .links
            .get(link.index())
            .is_none_or(|v| v.state == LinkCondition::Up);
        Action::Fault {
            target: self.topology.link(link).name.clone(),
            fault: if up {
                FaultKind::Partition
            } else {
                FaultKind::Restore
            },
        }
    }

    pub fn lab(&self) -> &Lab {
        &self.lab
    }

    /// The scenario in force: the settings panel edits a copy of it.
    pub fn scenario(&self) -> &Scenario {
        self.lab.live_scenario()
    }

    pub fn topology(&self) -> &Rc<Topology> {
        &self.topology
    }

    pub fn layout(&self) -> &Rc<Layout> {
        &self.layout
    }

    /// Bumped by `replace`: a new lab, so a new drawing.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn now(&self) -> SimTime {
        self.lab.now()
    }

    pub fn horizon(&self) -> SimTime {
        self.lab.horizon()
    }

    pub fn playing(&self) -> bool {
        self.playing
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    pub fn set_playing(&mut self, on: bool) {
        self.playing = on;
        self.owed_us = 0.0;
    }

    /// Clamped to [`MIN_SPEED`, `MAX_SPEED`]; anything not a number leaves it as it is.
    pub fn set_speed(&mut self, speed: f64) {
        if speed.is_finite() {
            self.speed = speed.clamp(MIN_SPEED, MAX_SPEED);
        }
    }

    /// One animation frame at real time `real_ms` (the browser's timestamp): the world runs
    /// for the real time since the last frame × speed, and the snapshot is taken.
    pub fn frame(&mut self, real_ms: f64) {
        let gap = match self.last_frame_ms {
            Some(last) => (real_ms - last).clamp(0.0, MAX_FRAME_GAP_MS),
            None => 0.0,
        };
        self.last_frame_ms = Some(real_ms);
        if self.playing && gap > 0.0 {
            self.owed_us += gap * 1000.0 * self.speed;
            let whole = self.owed_us.floor();
            self.owed_us -= whole;
            if whole >= 1.0 {
                let t = self.lab.now() + whole as u64;
                self.lab.advance_to(t);
            }
        }
        self.refresh();
    }

    /// Takes the snapshot again (after an action, a step or a jump).
    pub fn refresh(&mut self) {
        self.snap.follow = self.selected;
        self.lab.follow(self.selected);
        self.lab.snapshot_into(&mut self.snap);
    }

    /// Whether Yew should re-render now: something changed (`version`) and 100 ms have passed,
    /// or the clock moved and 250 ms have passed. Marks the render as done when it says yes.
    pub fn ui_due(&mut self, real_ms: f64) -> bool {
        let gap = real_ms - self.last_ui_ms;
        let changed = self.snap.version != self.last_ui_version;
        let moved = self.snap.now != self.last_ui_now;
        if (changed && gap >= UI_MIN_GAP_MS) || (moved && gap >= UI_IDLE_GAP_MS) {
            self.last_ui_ms = real_ms;
            self.last_ui_version = self.snap.version;
            self.last_ui_now = self.snap.now;
            self.ui_tick += 1;
            true
        } else {
            false
        }
    }

    /// Changes each time the page should re-render what it shows of the world.
    pub fn ui_tick(&self) -> u64 {
        self.ui_tick
    }

    /// Something changed outside the sim's version (play, pause, speed, a jump): re-render.
    pub fn touch(&mut self) {
        self.ui_tick += 1;
    }

    /// A user action, through the lab (recorded for replay). A refusal says why.
    pub fn apply(&mut self, action: Action) -> Result<(), String> {
        // Acting at an earlier moment forgets the actions recorded after it: keep the lab as
        // it was, so the user can take that back.
        let later = self.lab.actions().len() - self.lab.actions_so_far().len();
        let before = (later > 0).then(|| self.lab.clone());
        let at = self.lab.now();
        let result = self.lab.apply(action);
        if result.is_ok() {
            self.dropped = before.as_ref().map(|_| (later, at));
            self.undo = before;
        }
        self.refresh();
        self.last_lesson_ms = f64::NEG_INFINITY;
        result.map_err(|e| narration::action_error(&e))
    }

    /// The actions the last action dropped (how many, when it was taken), once.
    pub fn take_dropped(&mut self) -> Option<(usize, SimTime)> {
        self.dropped.take()
    }

    /// Puts the lab back as it was before the action that dropped its recorded future, at
    /// the moment it was taken; `false` if there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let Some(lab) = self.undo.take() else {
            return false;
        };
        self.lab = lab;
        self.set_playing(false);
        self.refresh();
        self.last_lesson_ms = f64::NEG_INFINITY;
        true
    }

    /// Runs the next event and pauses (the Step button).
    pub fn step(&mut self) -> Option<SimTime> {
        self.set_playing(false);
        let t = self.lab.step();
        self.refresh();
        self.last_lesson_ms = f64::NEG_INFINITY;
        t
    }

    /// Jumps to any moment from 0 to the horizon (the timeline).
    pub fn seek(&mut self, t: SimTime) {
        self.lab.seek(t);
        self.owed_us = 0.0;
        self.refresh();
        self.last_lesson_ms = f64::NEG_INFINITY;
    }

    /// A share link to this run at the moment shown, with the open lesson.
    pub fn share_link(&self) -> String {
        self.lab
            .share_link(self.lesson.as_ref().map(|l| l.lesson.id.clone()))
    }

    /// The requests in flight now (what the canvas draws).
    pub fn flights(&self) -> &[Flight] {
        &self.snap.flights
    }

    /// The id of the newest request sent by hand ("send one request"), if still in flight.
    pub fn newest_traced(&self) -> Option<u64> {
        self.snap
            .flights
            .iter()
            .filter(|f| f.traced)
            .map(|f| f.req)
            .max()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use foobar_sim::scenario::FaultKind;
    use foobar_sim::time::SEC;

    fn engine() -> Engine {
        Engine::new(&Engine::classroom_default()).unwrap()
    }

    fn crash(e: &mut Engine, target: &str, fault: FaultKind) {
        e.apply(Action::Fault {
            target: target.into(),
            fault,
        })
        .unwrap();
    }

    /// Plays `secs` simulated seconds, frame by frame as the page does (at 1×).
    fn run(e: &mut Engine, secs: u64) {
        let start = e.now().0 as f64 / 1e3;
        e.set_playing(true);
        e.frame(start);
        for ms in (0..=secs * 1000).step_by(100) {
            e.frame(start + ms as f64);
        }
    }

    /// Honest labels (docs/model.md, "MySQL replication" and "HAProxy"): a replica cut off from its
    /// source shows no lag figure (MySQL's NULL), not 0; a dead HAProxy's view of the web hosts is
    /// marked as the last it knew.
    #[test]
    fn a_cut_off_replica_and_a_dead_haproxy_are_said_as_they_are() {
        use crate::components::diagram::LiveView;
        let mut e = engine();
        run(&mut e, 5);
        let replica = e.topology().node_by_name("web-02/mysql").unwrap();
        assert!(matches!(
            LiveView::of(&e).nodes[replica.index()].lag_us,
            Some(Some(_))
        ));
        crash(&mut e, "web-01", FaultKind::Crash);
        run(&mut e, 3);
        assert_eq!(
            LiveView::of(&e).nodes[replica.index()].lag_us,
            Some(None),
            "its receiver is not connected: NULL, not a figure"
        );
        let web02 = e.topology().node_by_name("web-02").unwrap();
        assert!(!LiveView::of(&e).nodes[web02.index()].check_stale);
        crash(&mut e, "lb-01", FaultKind::Crash);
        run(&mut e, 1);
        assert!(
            LiveView::of(&e).nodes[web02.index()].check_stale,
            "lb-01's view of web-02 is the last it knew"
        );
    }

    /// The subtitle says the live design: after a topology change, its web hosts; after a
    /// failover, who is primary now.
    #[test]
    fn the_subtitle_describes_the_live_design() {
        let e = engine();
        let before = crate::design_summary(&e);
        assert!(before.starts_with("2 web hosts behind lb-01"), "{before}");
        assert!(before.contains("primary on web-01"), "{before}");
        let mut s = Engine::classroom_default();
        s.topology.web_hosts = 4;
        let e = Engine::new(&s).unwrap();
        let after = crate::design_summary(&e);
        assert!(after.starts_with("4 web hosts"), "{after}");
        let mut s = Engine::classroom_default();
        s.topology.web_hosts = 1;
        s.topology.load_balancer = false;
        let one = crate::design_summary(&Engine::new(&s).unwrap());
        assert!(one.starts_with("1 web host "), "{one}");
        let mut s = Engine::classroom_default();
        s.topology.web_hosts = 8;
        s.topology.preset = foobar_sim::scenario::Preset::SecuredMonitored;
        let many = crate::design_summary(&Engine::new(&s).unwrap());
        assert!(many.ends_with("replicas on web-02 … web-08"), "{many}");
    }

    /// The page opens playing at 1×, and real time × speed is simulated time.
    #[test]
    fn frames_advance_by_real_time_times_speed() {
        let mut e = engine();
        assert!(e.playing());
        assert_eq!(e.speed(), 1.0);
        e.frame(1000.0);
        assert_eq!(
            e.now(),
            SimTime::ZERO,
            "the first frame only starts the clock"
        );
        e.frame(1500.0);
        assert_eq!(e.now(), SimTime(500_000));
        e.set_speed(10.0);
        e.frame(1600.0);
        assert_eq!(e.now(), SimTime(1_500_000));
        e.set_speed(0.001);
        for i in 1..=100 {
            e.frame(1600.0 + i as f64 * 10.0);
        }
        assert_eq!(
            e.now(),
            SimTime(1_501_000),
            "1 s of real time at 1/1000×: 1 ms"
        );
    }

    #[test]
    fn speed_is_clamped_and_pause_stops_the_clock() {
        let mut e = engine();
        e.set_speed(1e9);
        assert_eq!(e.speed(), MAX_SPEED);
        e.set_speed(0.0);
        assert_eq!(e.speed(), MIN_SPEED);
        e.set_speed(f64::NAN);
        assert_eq!(e.speed(), MIN_SPEED);
        e.set_speed(1.0);
        e.set_playing(false);
        e.frame(0.0);
        e.frame(5000.0);
        assert_eq!(e.now(), SimTime::ZERO);
    }

    /// A hidden tab does not make the world leap ahead when it comes back.
    #[test]
    fn a_long_gap_between_frames_counts_as_one_second() {
        let mut e = engine();
        e.frame(0.0);
        e.frame(60_000.0);
        assert_eq!(e.now(), SimTime(SEC));
    }

    /// Step runs one event and pauses; the timeline goes back to an earlier moment.
    #[test]
    fn step_pauses_and_seek_goes_back() {
        let mut e = engine();
        e.frame(0.0);
        e.frame(1000.0);
        e.frame(2000.0);
        let events = e.snap.events;
        e.step();
        assert!(!e.playing());
        assert_eq!(e.snap.events, events + 1);
        e.seek(SimTime(SEC / 2));
        assert_eq!(e.now(), SimTime(SEC / 2));
        assert!(e.horizon() >= SimTime(2 * SEC));
    }

    /// A fault takes effect at once; a bad value is refused with a message.
    #[test]
    fn actions_apply_at_once_and_bad_ones_are_refused() {
        let mut e = engine();
        let web01 = e.topology().node_by_name("web-01").unwrap();
        e.apply(Action::Fault {
            target: "web-01".into(),
            fault: FaultKind::Crash,
        })
        .unwrap();
        assert_eq!(e.snap.nodes[web01.index()].own, Condition::Crashed);
        let err = e
            .apply(Action::Rate { rate: -5.0 })
            .expect_err("a negative rate is refused");
        assert!(err.contains("rate"), "{err}");
        let err = e
            .apply(Action::Fault {
                target: "web-99".into(),
                fault: FaultKind::Crash,
            })
            .unwrap_err();
        assert!(err.contains("web-99"), "{err}");
    }

    /// A click on a node crashes or restores it, one on a link cuts or repairs
    /// it, whatever its state was; users are not broken by a click.
    #[test]
    fn clicks_toggle_nodes_and_links() {
        let mut e = engine();
        let web01 = e.topology().node_by_name("web-01").unwrap();
        let link = e.topology().link_by_name("lb-01--web-01").unwrap();
        let users = e.topology().node_by_name("users").unwrap();
        assert_eq!(e.toggle(users), None);
        for (own, state) in [
            (Condition::Crashed, LinkCondition::Partitioned),
            (Condition::Up, LinkCondition::Up),
        ] {
            let (node_click, link_click) = (e.toggle(web01).unwrap(), e.toggle_link(link));
            e.apply(node_click).unwrap();
            e.apply(link_click).unwrap();
            assert_eq!(e.snap.nodes[web01.index()].own, own);
            assert_eq!(e.snap.links[link.index()].state, state);
        }
    }

    /// Yew re-renders at most ~10 times a second, and only for a change.
    #[test]
    fn ui_renders_are_throttled() {
        let mut e = engine();
        assert!(e.ui_due(0.0), "the first frame renders");
        e.set_playing(false);
        e.frame(1.0);
        assert!(!e.ui_due(50.0), "nothing changed");
        assert!(!e.ui_due(500.0), "still nothing changed");
        e.apply(Action::Fault {
            target: "web-01".into(),
            fault: FaultKind::Crash,
        })
        .unwrap();
        assert!(e.ui_due(560.0));
        e.apply(Action::Fault {
            target: "web-01".into(),
            fault: FaultKind::Restore,
        })
        .unwrap();
        assert!(!e.ui_due(600.0), "under 100 ms since the last render");
        assert!(e.ui_due(661.0));
    }

    /// The page reads the run through the snapshot and the lab's queries: no file of it
    /// names the core's world type or asks a lab for it.
    #[test]
    fn no_part_of_the_page_reaches_the_world() {
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                // Spelled in two halves, so that this test does not find itself.
                let (ty, call) = (concat!("Wor", "ld"), concat!(".wor", "ld()"));
                let mut words = text.split(|c: char| !(c.is_alphanumeric() || c == '_'));
                assert!(
                    !words.any(|w| w == ty) && !text.contains(call),
                    "{} reaches the world",
                    path.display()
                );
            }
        }
    }

    #[test]
    fn replace_starts_a_new_lab_and_keeps_the_clock_settings() {
        let mut e = engine();
        e.set_speed(10.0);
        let mut s = Engine::classroom_default();
        s.topology.web_hosts = 4;
        e.replace(&s).unwrap();
        assert_eq!(e.speed(), 10.0);
        assert_eq!(e.generation(), 1);
        assert!(e.topology().node_by_name("web-04").is_some());
        s.topology.web_hosts = 9;
        let err = e.replace(&s).unwrap_err();
        assert!(err.contains("web_hosts"), "{err}");
        assert!(e.topology().node_by_name("web-04").is_some(), "unchanged");
    }
}
