//! The classroom's logic, with no DOM so it is tested natively: a lesson in
//! progress (its prediction, which step is current, the check's verdict), the numbers that
//! keys 1–9 break and restore, and reading the data files the page fetches.
//!
//! What happened is the core's to say: steps advance on the actions the lab recorded and on
//! simulated time, and a lesson passes when the core's `Check::evaluate` says so.

use std::rc::Rc;

use foobar_sim::json::Value;
use foobar_sim::lesson::{Lesson, Verdict};
use foobar_sim::scenario::TimingPreset;
use foobar_sim::{Action, HostRole, Lab, NodeId, NodeKind, Scenario, SimTime, Topology};

/// A shipped scenario's file, fetched when a lesson needs it.
pub fn scenario_path(name: &str) -> String {
    format!("scenarios/{name}.json")
}

// Lesson files, scenario files and share links are all read as bytes, through the core's
// one reader of each (every reader costs its own copy of serde's code in the page).

/// A scenario file (the core's `Scenario::from_json_bytes`).
pub fn parse_scenario(bytes: &[u8]) -> Result<Scenario, String> {
    Scenario::from_json_bytes(bytes).map_err(|e| crate::narration::scenario_error(&e))
}

/// The scenario a lesson runs: its file, in the classroom timing the page opens in.
pub fn lesson_scenario(bytes: &[u8]) -> Result<Scenario, String> {
    let mut s = parse_scenario(bytes)?;
    s.timing.preset = TimingPreset::Classroom;
    Ok(s)
}

/// The scenario as a file to download: compact, as share links write it.
pub fn scenario_file(s: &Scenario) -> String {
    json(s)
}

/// The student's answer to the prediction question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guess {
    /// Not answered yet: the lesson asks before anything else.
    Pending,
    Chose(usize),
    /// Opened from a share link, past the question.
    Skipped,
}

/// A lesson in progress.
#[derive(Debug, Clone)]
pub struct LessonRun {
    pub lesson: Rc<Lesson>,
    pub guess: Guess,
    /// The current step; `steps.len()` once every step is done.
    pub step: usize,
    /// Actions taken before the current step began (the lab's log, counted).
    step_from: usize,
    /// When the current step began.
    since: SimTime,
    /// When the current step's action was seen done.
    acted_at: Option<SimTime>,
    pub verdict: Verdict,
    pub passed_at: Option<SimTime>,
    /// Bumped whenever what the lesson panel shows changed.
    pub version: u64,
}

impl LessonRun {
    /// A lesson whose lab has just been built and set up.
    pub fn new(lesson: Rc<Lesson>, lab: &Lab) -> LessonRun {
        let verdict = lesson.check.evaluate(lab);
        LessonRun {
            lesson,
            guess: Guess::Pending,
            step: 0,
            step_from: lab.actions_so_far().len(),
            since: lab.now(),
            acted_at: None,
            verdict,
            passed_at: None,
            version: 0,
        }
    }

    /// The same lesson in a run rebuilt from a share link: the steps its log shows done are
    /// done, and the question is not asked after the fact.
    pub fn resume(lesson: Rc<Lesson>, lab: &Lab) -> LessonRun {
        let setup = lesson.setup.len().min(lab.actions_so_far().len());
        let mut run = LessonRun::new(lesson, lab);
        run.step_from = setup;
        run.since = SimTime::ZERO;
        if lab.now() > SimTime::ZERO || lab.actions_so_far().len() > setup {
            run.guess = Guess::Skipped;
        }
        run.update(lab);
        run
    }

    pub fn predicted(&mut self, choice: usize) {
        if self.guess == Guess::Pending && choice < self.lesson.predict.choices.len() {
            self.guess = Guess::Chose(choice);
            self.version += 1;
        }
    }

    pub fn passed(&self) -> bool {
        self.passed_at.is_some()
    }

    /// Still asking for the prediction: it comes before any step.
    pub fn asking(&self) -> bool {
        self.guess == Guess::Pending
    }

    /// Whether the prediction was right (`None`: not made).
    pub fn right(&self) -> Option<bool> {
        match self.guess {
            Guess::Chose(c) => Some(c == self.lesson.predict.answer),
            _ => None,
        }
    }

    pub fn current_step(&self) -> Option<&foobar_sim::lesson::Step> {
        self.lesson.steps.get(self.step)
    }

    /// What the page outlines now: a node's name, or `tab:<id>`.
    pub fn highlight(&self) -> Option<&str> {
        if self.asking() || self.passed() {
            return None;
        }
        self.current_step()?.highlight.as_deref()
    }

    /// "Next step": on to the next one, done or not.
    pub fn skip(&mut self, lab: &Lab) {
        if self.step < self.lesson.steps.len() {
            self.begin_step(self.step + 1, lab.actions_so_far().len(), lab.now());
        }
    }

    fn begin_step(&mut self, step: usize, from: usize, at: SimTime) {
        self.step = step;
        self.step_from = from;
        self.since = at;
        self.acted_at = None;
        self.version += 1;
    }

    /// The student opened this request in the inspector: a step that asks for one like it
    /// is done.
    pub fn inspected(&mut self, path: &str, now: SimTime) {
        let wanted = self.current_step().and_then(|s| s.inspect.as_deref());
        if wanted.is_some_and(|w| path.starts_with(w)) && self.acted_at.is_none() {
            self.acted_at = Some(now);
            self.version += 1;
        }
    }

    /// Whether the current step waits for the student (an action, a request to inspect).
    fn waits_for_student(step: &foobar_sim::lesson::Step) -> bool {
        step.action.is_some() || step.inspect.is_some()
    }

    /// Simulated seconds watched of the current step, and how many it asks for.
    pub fn watched(&self, now: SimTime) -> Option<(f64, f64)> {
        let step = self.current_step()?;
        let from = if Self::waits_for_student(step) {
            self.acted_at?
        } else {
            self.since
        };
        (step.wait_s > 0.0).then(|| {
            let secs = now.0.saturating_sub(from.0) as f64 / 1e6;
            (secs.min(step.wait_s), step.wait_s)
        })
    }

    /// The current step's settings still to make (`field`, value), as the lab has them now.
    pub fn still_to_set(&self, lab: &Lab) -> Vec<(String, String)> {
        match self.current_step().and_then(|s| s.action.as_ref()) {
            Some(a) => unmet_settings(a, lab.live_scenario()),
            None => Vec::new(),
        }
    }

    /// Looks at the lab: steps done move on, and the check is evaluated. Returns whether what
    /// the panel shows changed.
    pub fn update(&mut self, lab: &Lab) -> bool {
        let before = self.version;
        let now = lab.now();
        let actions = lab.actions_so_far();
        while let Some(step) = self.lesson.steps.get(self.step) {
            let ready = match &step.action {
                None if step.inspect.is_some() => match self.acted_at {
                    Some(at) => at,
                    None => break,
                },
                None => self.since,
                Some(wanted) => match self.acted_at {
                    Some(at) => at,
                    None => match done(wanted, actions, self.step_from, lab) {
                        Some((from, at)) => {
                            self.step_from = from;
                            self.acted_at = Some(at);
                            self.version += 1;
                            at
                        }
                        None => break,
                    },
                },
            };
            let until = SimTime(ready.0 + SimTime::from_secs_f64(step.wait_s).0);
            if now < until {
                break;
            }
            let from = self.step_from;
            self.begin_step(self.step + 1, from, until);
        }
        let verdict = self.lesson.check.evaluate(lab);
        // The check counts once the student has done every step: what it saw before is not
        // yet what the lesson shows.
        let steps_done = self.step >= self.lesson.steps.len();
        if verdict.passed && steps_done && self.passed_at.is_none() {
            self.passed_at = Some(now);
            if self.guess == Guess::Pending {
                self.guess = Guess::Skipped;
            }
        }
        if verdict != self.verdict {
            self.verdict = verdict;
            self.version += 1;
        }
        self.version != before
    }
}

/// Whether a step's action is done: (the log's length to look from next, when). A fault, a
/// request sent, a promotion must be in the log since the step began (a flash crowd of any
/// size will do); a change of settings is done when the lab's settings are as the step asks.
fn done(
    wanted: &Action,
    actions: &[foobar_sim::lab::Stamped],
    from: usize,
    lab: &Lab,
) -> Option<(usize, SimTime)> {
    if is_setting(wanted) {
        return unmet_settings(wanted, lab.live_scenario())
            .is_empty()
            .then(|| (actions.len(), lab.now()));
    }
    let same = |taken: &Action| match (wanted, taken) {
        (Action::Burst { .. }, Action::Burst { .. }) => true,
        _ => wanted == taken,
    };
    actions
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, a)| same(&a.action))
        .map(|(i, a)| (i + 1, a.at))
}

fn is_setting(a: &Action) -> bool {
    matches!(
        a,
        Action::Haproxy { .. } | Action::App { .. } | Action::Mysql { .. } | Action::Timing { .. }
    )
}

/// The settings a step's action sets (the fields it gives that differ from the defaults)
/// that the live scenario does not have yet, as (field, wanted value) in the file's words.
pub fn unmet_settings(wanted: &Action, live: &Scenario) -> Vec<(String, String)> {
    let (want, default, now) = match wanted {
        Action::Haproxy { spec } => (
            json(&**spec),
            json(&foobar_sim::scenario::HaproxySpec::default()),
            json(&live.haproxy),
        ),
        Action::App { spec } => (
            json(spec),
            json(&foobar_sim::scenario::AppSpec::default()),
            json(&live.app),
        ),
        Action::Mysql { spec } => (
            json(spec),
            json(&foobar_sim::scenario::MysqlSpec::default()),
            json(&live.mysql),
        ),
        Action::Timing { spec } => (
            json(spec),
            json(&foobar_sim::scenario::TimingSpec::default()),
            json(&live.timing),
        ),
        _ => return Vec::new(),
    };
    let (want, default, now) = (fields(&want), fields(&default), fields(&now));
    let has =
        |list: &[(String, Value)], k: &str, v: &Value| list.iter().any(|(x, y)| x == k && y == v);
    want.iter()
        .filter(|(k, v)| !has(&default, k, v) && !has(&now, k, v))
        .map(|(k, v)| (k.clone(), json(v).trim_matches('"').to_string()))
        .collect()
}

/// A value as compact JSON, written as share links write it (serde_json).
pub fn json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The fields of an object written as JSON, as the core's reader reads them (in order).
fn fields(json: &str) -> Vec<(String, Value)> {
    match foobar_sim::json::parse(json.as_bytes()) {
        Ok(Value::Obj(fields)) => fields,
        _ => Vec::new(),
    }
}

/// The nodes keys 1–9 break and restore, in order: the hosts (load balancers, web hosts,
/// database hosts), then the app server and MySQL of each, then the Nginx of each, then DNS.
pub fn numbered(t: &Topology) -> Vec<NodeId> {
    let dedicated = t
        .db_hosts
        .iter()
        .copied()
        .filter(|&h| t.node(h).role == HostRole::Database);
    let hosts: Vec<NodeId> = t
        .lb_hosts
        .iter()
        .chain(&t.web_hosts)
        .copied()
        .chain(dedicated)
        .collect();
    let mut out = hosts.clone();
    for kinds in [&[NodeKind::App, NodeKind::Mysql][..], &[NodeKind::Nginx]] {
        for &h in &hosts {
            out.extend(kinds.iter().filter_map(|&k| t.component(h, k)));
        }
    }
    out.push(t.dns);
    out.truncate(9);
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use foobar_sim::scenario::FaultKind;

    fn read(path: &str) -> Vec<u8> {
        std::fs::read(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn book() -> Vec<Rc<Lesson>> {
        crate::i18n::read(crate::i18n::Lang::En, &read("lang/en.json"))
            .unwrap()
            .lessons
            .unwrap()
            .into_iter()
            .map(Rc::new)
            .collect()
    }

    fn lesson(id: &str) -> Rc<Lesson> {
        book().into_iter().find(|l| l.id == id).unwrap()
    }

    /// A lesson's lab as the page opens it: its scenario in classroom timing, set up.
    fn open(l: &Lesson) -> Lab {
        let s = lesson_scenario(&read(&scenario_path(&l.scenario))).unwrap();
        let mut lab = Lab::new(&s).unwrap();
        for a in &l.setup {
            lab.apply(a.clone()).unwrap();
        }
        lab
    }

    fn run_for(lab: &mut Lab, secs: f64) {
        let t = lab.now().0 + SimTime::from_secs_f64(secs).0;
        lab.advance_to(SimTime(t));
    }

    /// The page reads the lesson file as the core does, and every lesson's
    /// scenario file is there to fetch.
    #[test]
    fn the_page_reads_the_book_as_the_core_does() {
        let file: serde_json::Value =
            serde_json::from_slice(&read("lang/en.json")).expect("lang/en.json is JSON");
        let text = file["lessons"].to_string();
        let ours: Vec<Lesson> = book().iter().map(|l| (**l).clone()).collect();
        assert_eq!(ours, foobar_sim::lesson::parse_book(&text).unwrap());
        for l in book() {
            let file = read(&scenario_path(&l.scenario));
            let ours = parse_scenario(&file).unwrap();
            let core = Scenario::from_json(std::str::from_utf8(&file).unwrap()).unwrap();
            assert_eq!(ours, core, "{}", l.id);
        }
        for bad in ["", "[{", "{}", "[1]", "\u{0}"] {
            assert!(foobar_sim::lesson::parse_book(bad).is_err(), "{bad:?}");
            assert!(parse_scenario(bad.as_bytes()).is_err() || bad == "{}");
        }
        let mut v = ours;
        v[0].predict.answer = 9;
        let again = json(&v);
        let err = foobar_sim::lesson::parse_book(&again).unwrap_err();
        assert!(
            matches!(err, foobar_sim::error::BookError::AnswerNotAChoice { .. }),
            "{err}"
        );
        // The page says it in the language in force, naming the field.
        assert!(crate::narration::book_error(&err).contains("predict.answer"));
        let err = parse_scenario(br#"{"topology": {"web_hosts": 99}}"#).unwrap_err();
        assert!(err.contains("web_hosts"), "{err}");
    }

    /// A lesson asks first, then moves through its steps as the student acts and
    /// simulated time passes, and passes when the core's check does.
    #[test]
    fn a_lesson_moves_on_as_the_student_acts() {
        let l = lesson("spof-lb");
        let mut lab = open(&l);
        let mut run = LessonRun::new(l.clone(), &lab);
        assert_eq!(run.guess, Guess::Pending);
        assert_eq!(
            run.highlight(),
            None,
            "nothing to click before the question"
        );
        run.predicted(1);
        assert_eq!(run.highlight(), Some("lb-01"));
        run_for(&mut lab, 2.0);
        assert!(!run.update(&lab) || run.step == 0);
        assert_eq!(run.step, 0, "the step waits for its action");
        assert!(!run.passed());
        // Clicking web-01 is not the step; crashing lb-01 is.
        lab.apply(Action::Fault {
            target: "web-01".into(),
            fault: FaultKind::Crash,
        })
        .unwrap();
        run.update(&lab);
        assert_eq!(run.step, 0);
        lab.apply(l.steps[0].action.clone().unwrap()).unwrap();
        run.update(&lab);
        assert_eq!(run.step, 1, "done, and it asks no wait");
        run_for(&mut lab, 6.0);
        run.update(&lab);
        assert_eq!(run.step, 2, "the watching step ends after its 5 s");
        assert!(run.passed(), "{:?}", run.verdict);
        assert_eq!(run.right(), Some(l.predict.answer == 1));
    }

    /// What the lab sees counts once the student has done every step: a stale read
    /// 3 s into a 20 s step of watching the lag grow does not end the lesson early.
    #[test]
    fn the_check_counts_once_every_step_is_done() {
        let l = lesson("stale-reads");
        let mut lab = open(&l);
        let mut run = LessonRun::new(l.clone(), &lab);
        run.predicted(l.predict.answer);
        let mut seen_early = false;
        for _ in 0..19 {
            run_for(&mut lab, 1.0);
            run.update(&lab);
            seen_early |= run.verdict.passed;
            assert!(
                !run.passed(),
                "passed at {:?}, before the step's 20 s",
                lab.now()
            );
        }
        assert!(
            seen_early,
            "the replica-lag scenario shows a stale read within 19 s"
        );
        run_for(&mut lab, 1.5);
        run.update(&lab);
        assert!(run.passed(), "{:?}", run.verdict);
    }

    /// A step asking the student to open a request in the inspector waits for it:
    /// time alone or another request does not do it; a POST /login does.
    #[test]
    fn an_inspector_step_waits_for_the_request_opened() {
        let l = lesson("no-https");
        let mut lab = open(&l);
        let mut run = LessonRun::new(l.clone(), &lab);
        run.predicted(l.predict.answer);
        run_for(&mut lab, 30.0);
        run.update(&lab);
        assert_eq!(
            run.step, 1,
            "the watching step is done, the inspector's is not"
        );
        assert!(run.verdict.passed && !run.passed());
        run.inspected("POST /signup", lab.now());
        run.update(&lab);
        assert!(!run.passed(), "a POST /signup is not a login");
        run.inspected("POST /login", lab.now());
        run.update(&lab);
        assert!(run.passed(), "{:?}", run.verdict);
        assert_eq!(run.right(), Some(true));
    }

    /// A step that changes a setting is done when the lab's settings are as it asks,
    /// and the panel can say which are still to make.
    #[test]
    fn a_settings_step_is_done_by_the_settings() {
        let l = lesson("least-connections");
        let mut lab = open(&l);
        let mut run = LessonRun::new(l.clone(), &lab);
        run.predicted(0);
        lab.apply(l.steps[0].action.clone().unwrap()).unwrap();
        run.update(&lab);
        assert_eq!(run.step, 1);
        assert_eq!(
            run.still_to_set(&lab),
            vec![("balance".to_string(), "leastconn".to_string())]
        );
        // As the settings panel does it: the whole live spec, one field changed.
        let mut spec = lab.live_scenario().haproxy.clone();
        spec.balance = foobar_sim::scenario::Balance::Source;
        lab.apply(Action::Haproxy {
            spec: Box::new(spec.clone()),
        })
        .unwrap();
        run.update(&lab);
        assert_eq!(run.step, 1, "source is not leastconn");
        spec.balance = foobar_sim::scenario::Balance::Leastconn;
        lab.apply(Action::Haproxy {
            spec: Box::new(spec),
        })
        .unwrap();
        run.update(&lab);
        assert!(run.still_to_set(&lab).is_empty());
        run_for(&mut lab, 16.0);
        run.update(&lab);
        assert_eq!(run.step, 2);
        assert!(run.passed(), "{:?}", run.verdict);
    }

    /// Every lesson can be done through the page: each step done as the page does
    /// it (its action taken, or "next" for a watching step) ends with the check passed.
    #[test]
    fn every_lesson_passes_when_its_steps_are_done_in_the_page() {
        for l in book() {
            let mut lab = open(&l);
            let mut run = LessonRun::new(l.clone(), &lab);
            run.predicted(l.predict.answer);
            let mut guard = 0;
            while !run.passed() && guard < 400 {
                guard += 1;
                if let Some(a) = run.current_step().and_then(|s| s.action.clone()) {
                    if run.acted_at.is_none() {
                        lab.apply(a).unwrap();
                    }
                }
                // A request to open in the inspector: the newest of its kind, as a student
                // picks it from the latest requests.
                let wanted = run.current_step().and_then(|s| s.inspect.clone());
                if let Some(prefix) = wanted {
                    let path = lab
                        .traces()
                        .iter()
                        .rev()
                        .map(|t| t.path)
                        .find(|p| p.starts_with(&prefix));
                    if let Some(path) = path {
                        run.inspected(path, lab.now());
                    }
                }
                run_for(&mut lab, 0.5);
                run.update(&lab);
            }
            assert!(run.passed(), "{}: {:?}", l.id, run.verdict);
            assert_eq!(run.right(), Some(true));
        }
    }

    /// A share link reopens the lesson at the step it had reached.
    #[test]
    fn a_shared_lesson_resumes_where_it_was() {
        let l = lesson("three-server");
        let mut lab = open(&l);
        let mut run = LessonRun::new(l.clone(), &lab);
        run.predicted(0);
        lab.apply(l.steps[0].action.clone().unwrap()).unwrap();
        run_for(&mut lab, 3.0);
        run.update(&lab);
        assert_eq!(run.step, 1);
        let (again, id) = Lab::from_link(&lab.share_link(Some(l.id.clone()))).unwrap();
        assert_eq!(id.as_deref(), Some("three-server"));
        let resumed = LessonRun::resume(l.clone(), &again);
        assert_eq!(resumed.step, 1);
        assert_eq!(resumed.guess, Guess::Skipped);
        let fresh = LessonRun::resume(l.clone(), &open(&l));
        assert_eq!((fresh.step, fresh.guess), (0, Guess::Pending));
    }

    /// Keys 1–9 name the hosts first, and every lesson's highlighted node of the
    /// three-server design has a number.
    #[test]
    fn keys_one_to_nine_name_the_hosts_first() {
        let t = Topology::build(&Scenario::three_server().topology);
        let names: Vec<&str> = numbered(&t)
            .iter()
            .map(|&n| t.node(n).name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "lb-01",
                "web-01",
                "web-02",
                "web-01/app",
                "web-01/mysql",
                "web-02/app",
                "web-02/mysql",
                "web-01/nginx",
                "web-02/nginx"
            ]
        );
        for l in book() {
            let s = lesson_scenario(&read(&scenario_path(&l.scenario))).unwrap();
            let t = Topology::build(&s.topology);
            let n = numbered(&t);
            assert!(n.len() <= 9);
            for step in &l.steps {
                if let Some(Action::Fault { target, .. }) = &step.action {
                    let id = t.node_by_name(target).unwrap();
                    assert!(n.contains(&id), "{}: {target} has no number", l.id);
                }
            }
        }
    }
}
