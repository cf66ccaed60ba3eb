//! Foobar Lab, the page: a Yew app that runs the `foobar-sim` world live and draws it.
//!
//! Data flows one way (docs/architecture.md): a user action → `foobar_sim::Action` → the lab's
//! `apply` → the lab advances, frame by frame → the page reads a snapshot and draws it. The
//! world lives in the `Engine`, outside Yew's state; one animation-frame loop advances it and
//! draws the request dots on a canvas; Yew re-renders the SVG and the panels only when what
//! they show changed, at most ~10 times a second.

pub mod boot;
pub mod classroom;
pub mod components;
pub mod draw;
pub mod engine;
pub mod files;
pub mod hooks;
pub mod i18n;
pub mod keys;
pub mod layout;
pub mod narration;
pub mod number;
pub mod robust;
pub mod state;
pub mod text;
pub mod words;

/// The page's memory comes from a TLSF allocator (two-level segregated fit): allocation and
/// freeing in constant time, for the frames' many small allocations, in a third
/// of the code of the standard library's dlmalloc. Its pools grow with `memory.grow`,
/// and adjacent pools merge, so the large buffers of a long run (checkpoints, traces) fit.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: rlsf::GlobalTlsf = rlsf::GlobalTlsf::new();

use std::cell::RefCell;
use std::rc::Rc;

use foobar_sim::{Action, Scenario};
use gloo::events::{EventListener, EventListenerOptions, EventListenerPhase};
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

pub use crate::boot::{App, AppProps};
use crate::classroom::{numbered, LessonRun};
use crate::components::diagram::LiveView;
use crate::components::lesson::{asking, lesson_panel, lesson_picker};
use crate::components::shortcuts::shortcuts_dialog;
use crate::components::{controls, log_panel, panels, Stage};
use crate::draw::Painter;
use crate::engine::Engine;
use crate::files::Files;
use crate::hooks::{use_animation_frame, use_focus};
use crate::i18n::Lang;
use crate::keys::Keys;
use crate::state::{click_ui, Book, Ctx, Dialog, LessonCmd, Shared, UiAction, UiState};

/// How long a message that something went well stays (Copy link's).
const INFO_MS: u32 = 6000;

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

#[derive(Properties, PartialEq)]
pub struct PageProps {
    pub files: Files,
    /// The address's `#…` to open with, instead of the window's (tests).
    pub hash: Option<String>,
    /// The language in force (its words installed), and its lessons.
    pub lang: Lang,
    pub book: Book,
    /// Why the page is not in the language asked for, if it is not.
    pub notice: Option<String>,
    /// Picks another language.
    pub on_lang: Callback<Lang>,
}

/// Opens a lesson: its scenario fetched, a new lab built from it and set up.
fn open_lesson(
    id: String,
    book: &Rc<RefCell<Book>>,
    files: &Files,
    engine: &Shared<Engine>,
    dispatch: &UseReducerDispatcher<UiState>,
    changed: &Callback<()>,
) {
    let Some(lesson) = book.borrow().lesson(&id) else {
        return;
    };
    let (files, engine, dispatch, changed) = (
        files.clone(),
        engine.clone(),
        dispatch.clone(),
        changed.clone(),
    );
    yew::platform::spawn_local(async move {
        let path = classroom::scenario_path(&lesson.scenario);
        let opened = files::load(&files, &path)
            .await
            .and_then(|bytes| classroom::lesson_scenario(&bytes))
            .and_then(|s| engine.borrow_mut().open_lesson(lesson, &s));
        match opened {
            Ok(()) => {
                dispatch.dispatch(UiAction::NewRun);
                dispatch.dispatch(UiAction::Dialog(None));
                dispatch.dispatch(UiAction::Dismiss);
            }
            Err(why) => dispatch.dispatch(UiAction::Notice(text::lesson_failed(&why))),
        }
        changed.emit(());
    });
}

/// Takes the lessons of the language in force. The lesson open goes on in the
/// new language where it was; a shared run's lesson (`wanted`) opens with the first book.
fn adopt_book(
    next: &Book,
    book: &RefCell<Book>,
    engine: &Shared<Engine>,
    dispatch: &UseReducerDispatcher<UiState>,
    wanted: Option<String>,
) {
    let mut e = engine.borrow_mut();
    if let Some(run) = e.lesson.as_mut() {
        if let Some(lesson) = next.lesson(&run.lesson.id) {
            run.lesson = lesson;
            run.version += 1;
        }
    }
    if let Some(id) = wanted {
        match next.lesson(&id) {
            Some(lesson) => {
                let run = LessonRun::resume(lesson, e.lab());
                e.lesson = Some(run);
            }
            None => {
                let why = match next {
                    Book::Failed(why) => text::lessons_failed(why),
                    _ => text::lesson_missing(&foobar_sim::plain::quoted(&id)),
                };
                dispatch.dispatch(UiAction::Notice(why));
            }
        }
    }
    *book.borrow_mut() = next.clone();
}

/// The lab, in the language in force.
#[component]
pub fn Page(props: &PageProps) -> Html {
    // What the address asks for: a design, or a shared run (with the lesson it had open).
    let start = use_memo((), {
        let hash = props.hash.clone().unwrap_or_else(current_hash);
        move |_| {
            let boot = robust::boot_from_hash(&hash);
            let (engine, lesson) = match boot.run {
                Some((lab, lesson)) => (Engine::from_lab(lab), lesson),
                None => (
                    Engine::new(&boot.scenario)
                        .or_else(|_| Engine::new(&Engine::classroom_default()))
                        .expect("the default scenario is valid"),
                    None,
                ),
            };
            let painter = Shared::new(Painter::default());
            (Shared::new(engine), boot.notice, lesson, painter)
        }
    });
    let engine: Shared<Engine> = start.0.clone();
    let ui = use_reducer({
        let notice = start.1.clone().or_else(|| props.notice.clone());
        // A first visit (no link followed, never here before) gets a hint on the diagram.
        let hint = props
            .hash
            .as_deref()
            .unwrap_or(&current_hash())
            .trim_start_matches('#')
            .is_empty()
            && !files::remembered(HINT_SEEN);
        move || UiState {
            notice,
            hint,
            ..UiState::default()
        }
    });
    let force = use_force_update();
    let canvas = use_node_ref();
    // A dialog takes the focus when it opens.
    let dialog_ref = use_node_ref();
    use_focus(
        ui.dialog.map(|d| d.first_focus().to_string()),
        dialog_ref.clone(),
        ui.dialog.map_or("", Dialog::first_focus),
    );
    let painter = start.3.clone();
    let book = use_mut_ref(Book::default);
    // The language's lessons, as they come.
    let wanted = use_mut_ref(|| start.2.clone());
    use_effect_with(props.book.clone(), {
        let (book, engine, dispatch) = (book.clone(), engine.clone(), ui.dispatcher());
        let force = force.clone();
        move |next: &Book| {
            let wanted = wanted.borrow_mut().take();
            adopt_book(next, &book, &engine, &dispatch, wanted);
            force.force_update();
        }
    });

    // The ways panels change things, made once (one memo for all: each memo is code in the
    // page): they are stable for the App's life.
    let ways = (*use_memo((), {
        let (engine, force, dispatch) = (engine.clone(), force.clone(), ui.dispatcher());
        let (book, files) = (book.clone(), props.files.clone());
        move |_| Ways::new(engine, force, dispatch, book, files)
    }))
    .clone();
    let Ways {
        changed,
        act,
        restart,
        open,
        lesson: lesson_cmd,
        share,
    } = ways;

    // Once, when mounted: reduced motion, the keyboard shortcuts (keys.rs) and a
    // link pasted into the address. One effect.
    use_effect_with((), {
        let (engine, changed) = (engine.clone(), changed.clone());
        let keys = Keys {
            engine: engine.clone(),
            changed: changed.clone(),
            act: act.clone(),
            lesson: lesson_cmd.clone(),
            share: share.clone(),
            dispatch: ui.dispatcher(),
        };
        move |_| {
            // `prefers-reduced-motion` means counts instead of moving dots.
            if prefers_reduced_motion() {
                engine.borrow_mut().counts_only = true;
                changed.emit(());
            }
            let listeners = web_sys::window().map(|w| {
                let keys = Rc::new(keys);
                // Not passive: a shortcut the page uses is kept from the browser. Space is
                // seen first (the capture phase), before the focused element can use it.
                let first = EventListenerOptions {
                    phase: EventListenerPhase::Capture,
                    passive: false,
                };
                let space = |kind: &'static str, keys: Rc<Keys>| {
                    EventListener::new_with_options(&w, kind, first, move |e| {
                        if let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() {
                            keys.on_space(e, kind == "keydown");
                        }
                    })
                };
                let space_down = space("keydown", keys.clone());
                let space_up = space("keyup", keys.clone());
                let keydown = EventListener::new_with_options(
                    &w,
                    "keydown",
                    EventListenerOptions::enable_prevent_default(),
                    move |e| {
                        if let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() {
                            keys.on_key(e);
                        }
                    },
                );
                // The page writes its own links with replaceState, which fires no event.
                let hashchange = EventListener::new(&w, "hashchange", |_| {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                });
                (space_down, space_up, keydown, hashchange)
            });
            move || drop(listeners)
        }
    });
    // The hint, once gone, is not shown on this browser again.
    use_effect_with(ui.hint, |&hint| {
        if !hint {
            files::remember(HINT_SEEN);
        }
    });
    // The inspected request is drawn highlighted; a lesson's step may have asked for it.
    use_effect_with(ui.selected, {
        let (engine, changed) = (engine.clone(), changed.clone());
        move |selected| {
            let mut e = engine.borrow_mut();
            e.selected = *selected;
            let path = selected.and_then(|id| e.lab().journey(id)).map(|j| j.path);
            if let Some(path) = path {
                e.with_lesson(|run, lab| run.inspected(path, lab.now()));
                drop(e);
                changed.emit(());
            }
        }
    });

    // A message that something went well goes by itself after a while; a problem stays
    // until dismissed.
    use_effect_with((ui.notice.clone(), ui.notice_ok), {
        let dispatch = ui.dispatcher();
        move |(notice, ok): &(Option<String>, bool)| {
            let timer = (notice.is_some() && *ok).then(|| {
                gloo::timers::callback::Timeout::new(INFO_MS, move || {
                    dispatch.dispatch(UiAction::Dismiss)
                })
            });
            move || drop(timer)
        }
    });

    // The one animation-frame loop: advance, draw the dots, and re-render Yew when due.
    use_animation_frame({
        let engine = engine.clone();
        let canvas = canvas.clone();
        let painter = painter.clone();
        let force = force.clone();
        let presenter = ui.presenter;
        move |ts| {
            let due = {
                let mut e = engine.borrow_mut();
                e.frame(ts);
                // The canvas covers the stage's box: the drawing is fitted to it.
                let mut refit = false;
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    refit = e.fit(c.client_width() as f64, c.client_height() as f64, presenter);
                    painter.borrow_mut().paint(&c, &e);
                }
                let lesson = e.tend_lesson(ts);
                e.ui_due(ts) || lesson || refit
            };
            if due {
                force.force_update();
            }
        }
    });

    let ctx = Ctx {
        engine: engine.clone(),
        ui: ui.clone(),
        act,
        changed,
        restart,
        book: book.borrow().clone(),
        open_lesson: open,
        lesson: lesson_cmd,
        share: share.clone(),
    };
    // A lesson's question: its first choice takes the focus, so a keyboard answers at once.
    let lesson_ref = use_node_ref();
    use_focus(asking(&ctx), lesson_ref.clone(), "button[data-choice]");
    let view = {
        let e = engine.borrow();
        View {
            live: Rc::new(LiveView::of(&e)),
            written: e.lab().log().written,
            generation: e.generation(),
            counts_only: e.counts_only,
            in_flight: e.snap.in_flight,
            name: e.scenario().name.clone(),
            about: design_summary(&e),
            lesson: e.lesson_version(),
            highlight: e
                .lesson
                .as_ref()
                .and_then(|l| l.highlight())
                .and_then(|n| e.topology().node_by_name(n)),
            numbers: Rc::new(if ui.presenter {
                numbered(e.topology())
            } else {
                Vec::new()
            }),
        }
    };
    let dispatch = ui.dispatcher();
    let on_ui = |a: UiAction| click_ui(&dispatch, a);
    let share_click = share.reform(|_: MouseEvent| ());
    let undo = {
        let (engine, changed, dispatch) = (engine.clone(), ctx.changed.clone(), ui.dispatcher());
        Callback::from(move |_: MouseEvent| {
            engine.borrow_mut().undo();
            dispatch.dispatch(UiAction::Dismiss);
            changed.emit(());
        })
    };
    let dialog = match ui.dialog {
        Some(Dialog::Lessons) => lesson_picker(&ctx, &dialog_ref),
        Some(Dialog::Shortcuts) => shortcuts_dialog(&ctx, &dialog_ref),
        None => html! {},
    };
    let presenter = ui.presenter;
    let controls = controls(&ctx);
    // The log's rows are built again only when a line is written (or a new run starts).
    let log = use_memo((view.written, view.generation, props.lang), {
        let ctx = ctx.clone();
        move |_| log_panel(&ctx)
    });
    let lesson = (view.lesson > 0).then(|| lesson_panel(&ctx, &lesson_ref));
    let panels = (!presenter).then(|| panels(&ctx, view.counts_only));
    let with_lesson = (view.lesson > 0).then_some("");
    html! {
        <div class="app" data-presenter={presenter.then_some("")} data-with-lesson={with_lesson}>
            // The first screen: the header and the diagram, sized to leave a view of the
            // lesson, the log and the panels below them (static/style.css).
            <div class="top">
                <a class="skip" href="#diagram">{ text::skip_to_diagram() }</a>
                <header class="masthead">
                    <div class="title">
                        <h1>{ text::title() }</h1>
                        <p class="scenario">
                            <span class="scenario-name">{ view.name }</span>
                            { " " }
                            { view.about }
                        </p>
                    </div>
                    <div class="classroom-bar" role="toolbar" aria-label={text::lessons()}>
                        <button type="button" data-action="lessons" title={text::lessons_help()}
                                aria-haspopup="dialog" data-hinted={ui.hint.then_some("")}
                                onclick={on_ui(UiAction::ToggleDialog(Dialog::Lessons))}>
                            { text::lessons() }
                        </button>
                        <button type="button" data-action="presenter" title={text::presenter_help()}
                                aria-pressed={text::flag(presenter)}
                                onclick={on_ui(UiAction::TogglePresenter)}>
                            { text::presenter() }
                        </button>
                        <button type="button" data-action="share" title={text::share_link_help()}
                                onclick={share_click}>
                            { text::share_link() }
                        </button>
                        <button type="button" class="help" data-action="shortcuts"
                                title={text::shortcuts_help()} aria-label={text::shortcuts_help()}
                                aria-haspopup="dialog"
                                onclick={on_ui(UiAction::ToggleDialog(Dialog::Shortcuts))}>
                            { text::shortcuts_button() }
                        </button>
                        { language_picker(props.lang, &props.on_lang) }
                    </div>
                    { controls }
                </header>
                if ui.hint {
                    <div class="first-hint" role="note" data-hint="">
                        <p>{ text::first_hint_break() }</p>
                        <p>{ text::first_hint_lessons() }</p>
                        <button type="button" onclick={on_ui(UiAction::HintDone)}>
                            { text::first_hint_close() }
                        </button>
                    </div>
                }
                <Stage ctx={ctx.clone()} live={view.live} canvas={canvas} painter={painter}
                       in_flight={view.in_flight} counts_only={view.counts_only}
                       highlight={view.highlight} numbers={view.numbers} lang={props.lang} />
            </div>
            // Messages float over the page's foot: the page under the pointer never moves.
            <div class="notice-slot" role="alert">
                if let Some(notice) = &ui.notice {
                    <div class="notice" data-notice="" data-ok={ui.notice_ok.then_some("")}>
                        <span>{ notice }</span>
                        if ui.notice_undo {
                            <button type="button" data-action="undo" onclick={undo}>{ text::undo() }</button>
                        }
                        <button type="button" onclick={on_ui(UiAction::Dismiss)}>{ text::dismiss() }</button>
                    </div>
                }
            </div>
            <main class="workspace" data-with-lesson={with_lesson}>
                <div class="lesson-slot">
                    { for lesson }
                </div>
                <div class="below">
                    { for panels }
                    { (*log).clone() }
                </div>
            </main>
            { dialog }
        </div>
    }
}

/// Remembers, on this browser, that its visitor has seen the first visit's hint.
const HINT_SEEN: &str = "foobar-lab-hint-seen";

/// The ways panels change things (`Ctx`'s callbacks), made together once.
#[derive(Clone)]
struct Ways {
    changed: Callback<()>,
    act: Callback<Action>,
    restart: Callback<Scenario>,
    open: Callback<String>,
    lesson: Callback<LessonCmd>,
    share: Callback<()>,
}

impl Ways {
    fn new(
        engine: Shared<Engine>,
        force: yew::functional::UseForceUpdateHandle,
        dispatch: UseReducerDispatcher<UiState>,
        book: Rc<RefCell<Book>>,
        files: Files,
    ) -> Ways {
        let changed = {
            let (engine, dispatch) = (engine.clone(), dispatch.clone());
            Callback::from(move |_: ()| {
                let dropped = {
                    let mut e = engine.borrow_mut();
                    e.touch();
                    e.take_dropped()
                };
                // An action taken at an earlier moment forgot what was recorded after it.
                if let Some((n, at)) = dropped {
                    let words = i18n::count(
                        text::Key::future_dropped,
                        n as u64,
                        &[("at", &text::clock(at.0))],
                    );
                    dispatch.dispatch(UiAction::Dropped(words));
                }
                force.force_update();
            })
        };
        let act = {
            let (engine, dispatch, changed) = (engine.clone(), dispatch.clone(), changed.clone());
            Callback::from(move |action: Action| {
                dispatch.dispatch(UiAction::HintDone);
                let result = engine.borrow_mut().apply(action);
                if let Err(e) = result {
                    dispatch.dispatch(UiAction::Refused(format!("{} {e}", text::refused())));
                }
                changed.emit(());
            })
        };
        let restart = {
            let (engine, dispatch, changed) = (engine.clone(), dispatch.clone(), changed.clone());
            Callback::from(move |scenario: Scenario| {
                let result = engine.borrow_mut().replace(&scenario);
                match result {
                    Ok(()) => dispatch.dispatch(UiAction::NewRun),
                    Err(e) => dispatch.dispatch(UiAction::Refused(format!(
                        "{} {e}",
                        text::scenario_refused()
                    ))),
                }
                changed.emit(());
            })
        };
        let open = {
            let (book, engine) = (book.clone(), engine.clone());
            let (dispatch, changed) = (dispatch.clone(), changed.clone());
            Callback::from(move |id: String| {
                open_lesson(id, &book, &files, &engine, &dispatch, &changed)
            })
        };
        let lesson = {
            let (engine, act, open, changed) =
                (engine.clone(), act.clone(), open.clone(), changed.clone());
            Callback::from(move |cmd: LessonCmd| {
                let now = engine
                    .borrow()
                    .lesson
                    .as_ref()
                    .map(|l| (l.lesson.id.clone(), l.asking()));
                let Some((id, asking)) = now else {
                    return;
                };
                // The prediction comes before any step.
                if asking && matches!(cmd, LessonCmd::Next | LessonCmd::DoStep) {
                    return;
                }
                match cmd {
                    LessonCmd::Predict(i) => {
                        let mut e = engine.borrow_mut();
                        e.with_lesson(|run, _| run.predicted(i));
                        e.set_playing(true);
                    }
                    LessonCmd::Next => {
                        engine.borrow_mut().with_lesson(|run, lab| run.skip(lab));
                    }
                    LessonCmd::DoStep => {
                        let action = engine
                            .borrow()
                            .lesson
                            .as_ref()
                            .and_then(|run| run.current_step().and_then(|s| s.action.clone()));
                        if let Some(a) = action {
                            act.emit(a);
                        }
                        // A paused lab would not show the step done.
                        engine.borrow_mut().set_playing(true);
                    }
                    LessonCmd::Again => return open.emit(id),
                    LessonCmd::Following => {
                        let next = match &*book.borrow() {
                            Book::Ready(all) => all
                                .iter()
                                .skip_while(|l| l.id != id)
                                .nth(1)
                                .map(|l| l.id.clone()),
                            _ => None,
                        };
                        if let Some(next) = next {
                            open.emit(next);
                        }
                        return;
                    }
                    LessonCmd::Close => engine.borrow_mut().lesson = None,
                }
                changed.emit(());
            })
        };
        let share = {
            Callback::from(move |_: ()| {
                let link = engine.borrow().share_link();
                files::write_hash(&link);
                let dispatch = dispatch.clone();
                yew::platform::spawn_local(async move {
                    if files::copy(&page_address(&link)).await {
                        dispatch.dispatch(UiAction::Info(text::link_copied().to_string()));
                    } else {
                        dispatch.dispatch(UiAction::Info(text::link_not_copied().to_string()));
                    }
                });
            })
        };
        Ways {
            changed,
            act,
            restart,
            open,
            lesson,
            share,
        }
    }
}

/// What one render of the App shows of the engine, read in one borrow.
struct View {
    live: Rc<LiveView>,
    written: u64,
    generation: u64,
    counts_only: bool,
    in_flight: usize,
    name: String,
    about: String,
    lesson: u64,
    highlight: Option<foobar_sim::NodeId>,
    numbers: Rc<Vec<foobar_sim::NodeId>>,
}

/// The live design in a line (the subtitle): from the topology and who is primary now, so it
/// holds after a topology change or a failover, in the language in force.
pub fn design_summary(e: &Engine) -> String {
    let t = e.topology();
    let name = |n: foobar_sim::NodeId| t.node(n).name.as_str();
    let hosts = i18n::count(text::Key::design_hosts, t.web_hosts.len() as u64, &[]);
    let lbs: Vec<&str> = t.lb_hosts.iter().map(|&n| name(n)).collect();
    let front = match (lbs.as_slice(), e.scenario().topology.lb_pair) {
        ([], _) => text::design_no_lb().to_string(),
        ([one], _) => i18n::fill(text::Key::design_behind_one, &[("lb", one)]),
        ([a, b, ..], foobar_sim::scenario::LbPair::ActiveActive) => {
            i18n::fill(text::Key::design_behind_both, &[("a", a), ("b", b)])
        }
        ([a, b, ..], _) => i18n::fill(text::Key::design_behind_pair, &[("a", a), ("b", b)]),
    };
    let dbs = &e.snap.dbs;
    let host = |d: &foobar_sim::snapshot::DbView| name(t.host_of(d.node));
    let primary = dbs.iter().find(|d| d.is_writer).map(host);
    let replicas: Vec<&str> = dbs
        .iter()
        .filter(|d| !d.is_writer && d.source.is_some())
        .map(host)
        .collect();
    let mysql = match (primary, replicas.is_empty()) {
        (Some(p), true) => i18n::fill(text::Key::design_mysql_alone, &[("primary", p)]),
        (Some(p), false) => i18n::count(
            text::Key::design_mysql,
            replicas.len() as u64,
            &[("primary", p), ("replicas", &name_range(&replicas))],
        ),
        (None, _) => text::design_no_primary().to_string(),
    };
    format!("{hosts} {front} · {mysql}")
}

/// Names in a line: all of a few (`web-02, web-03`), the first and last of many
/// (`web-02 … web-08`), so the subtitle stays one line.
fn name_range(names: &[&str]) -> String {
    match names {
        [first, _, _, .., last] => format!("{first} … {last}"),
        _ => names.join(", "),
    }
}

/// The page's own address with this share link after `#`, in the language in force
/// (`?lang=`), so the class opens it in the instructor's language.
fn page_address(link: &str) -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return format!("#{link}");
    };
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    format!("{origin}{path}?lang={}#{link}", i18n::lang().code())
}

/// The language picker: each language by its own name.
fn language_picker(lang: Lang, on_lang: &Callback<Lang>) -> Html {
    let onchange = on_lang.reform(|e: Event| {
        let tag = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .map(|s| s.value())
            .unwrap_or_default();
        Lang::of_tag(&tag).unwrap_or_default()
    });
    html! {
        <select class="language" data-control="language" aria-label={text::language()}
                title={text::language()} {onchange}>
            { for Lang::ALL.iter().map(|&l| html! {
                <option value={l.code()} lang={l.code()} selected={l == lang}>{ l.name() }</option>
            }) }
        </select>
    }
}
