//! Browser tests of the classroom: the lesson picker and panel, the keyboard shortcuts and
//! presenter mode, share links in the address, the exports and scenario files. Headless
//! Chromium, as tests/diagram.rs; every wait is a bounded poll of the page, never a fixed
//! sleep. The lesson and scenario files are handed to the App as
//! fixtures (the test runner serves no `dist/`).
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use foobar_lab::classroom;
use foobar_lab::components::lesson::lesson_panel;
use foobar_lab::engine::Engine;
use foobar_lab::files::Files;
use foobar_lab::state::{Book, Ctx, Shared, UiState};
use foobar_lab::{text, AppProps};
use foobar_sim::export::{export, Format};
use foobar_sim::scenario::FaultKind;
use foobar_sim::{Action, Lab, SimTime};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::Element;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

mod browser;
use browser::*;

const THREE_SERVER: &str = include_str!("../scenarios/three-server.json");
const ONE_SERVER: &str = include_str!("../scenarios/one-server.json");

fn files() -> Files {
    Files(Some(Rc::new(vec![(
        classroom::scenario_path("three-server"),
        THREE_SERVER.to_string(),
    )])))
}

async fn mount(hash: Option<String>) -> Mounted {
    // The test page's own address is not the App's business.
    let props = AppProps {
        files: files(),
        hash: Some(hash.unwrap_or_default()),
        ..AppProps::default()
    };
    let m = Mounted::app(Some(props)).await;
    until("the diagram", || m.q("[data-node=\"lb-01\"]").is_some()).await;
    m
}

fn book() -> Vec<foobar_sim::lesson::Lesson> {
    let file = foobar_lab::i18n::read(foobar_lab::i18n::Lang::En, ENGLISH.as_bytes()).unwrap();
    file.lessons.unwrap()
}

/// The picker lists every lesson of the file under its topic; opening one starts
/// its scenario paused and asks the prediction first; once answered, the step's node is
/// highlighted and "do it for me" takes the step's action.
#[wasm_bindgen_test]
async fn the_picker_opens_a_lesson_that_asks_first_then_highlights_the_step() {
    let m = mount(None).await;
    m.click("[data-action=\"lessons\"]");
    until("every lesson in the picker", || {
        m.count("[data-lesson-id]") as usize == book().len()
    })
    .await;
    let topics: std::collections::BTreeSet<String> = book().into_iter().map(|l| l.topic).collect();
    assert_eq!(m.count(".topic") as usize, topics.len());
    assert!(m
        .text(".picker")
        .contains("The load balancer is a single point of failure"));

    m.click("[data-lesson-id=\"spof-lb\"]");
    until("the lesson", || m.q("[data-lesson=\"spof-lb\"]").is_some()).await;
    let lesson = book().into_iter().find(|l| l.id == "spof-lb").unwrap();
    assert!(m.q("[role=dialog]").is_none(), "the picker closed");
    assert_eq!(
        m.attr("[data-lesson]", "data-lesson-state").as_deref(),
        Some("predict")
    );
    assert!(m.text(".lesson").contains(&lesson.intro));
    assert!(m.text(".lesson").contains(&lesson.predict.question));
    assert_eq!(
        m.count("[data-choice]") as usize,
        lesson.predict.choices.len()
    );
    assert_eq!(
        m.attr("[data-action=\"pause\"]", "aria-pressed").as_deref(),
        Some("true"),
        "the lab waits for the prediction"
    );
    assert!(
        m.q(".highlight-ring").is_none(),
        "no step before the answer"
    );
    assert_eq!(m.text(".scenario-name"), "three-server");

    m.click(&format!("[data-choice=\"{}\"]", lesson.predict.answer));
    until("the steps", || {
        m.attr("[data-lesson]", "data-lesson-state").as_deref() == Some("steps")
    })
    .await;
    assert_eq!(
        m.attr("[data-action=\"play\"]", "aria-pressed").as_deref(),
        Some("true")
    );
    assert_eq!(
        m.attr(".node[data-highlighted]", "data-node").as_deref(),
        Some("lb-01")
    );
    assert!(m.q("[data-node=\"lb-01\"] > .highlight-ring").is_some());
    assert!(m.text(".steps").contains(&lesson.steps[0].text));
    assert!(m.text(".lesson").contains(&lesson.goal));

    m.click("[data-lesson-cmd=\"do\"]");
    until("lb-01 crashed by the step", || {
        m.node_state("lb-01").as_deref() == Some("crashed")
    })
    .await;
    m.click("[data-lesson-cmd=\"close\"]");
    until("the lesson closed", || m.q("[data-lesson]").is_none()).await;
    assert_eq!(
        m.node_state("lb-01").as_deref(),
        Some("crashed"),
        "the lab stays"
    );
    m.done();
}

#[derive(Properties, PartialEq)]
struct PanelProps {
    engine: Shared<Engine>,
    version: u64,
}

/// The lesson panel alone, over an engine the test drives.
#[component]
fn PanelAlone(p: &PanelProps) -> Html {
    let ui = use_reducer(UiState::default);
    let root = use_node_ref();
    let all: Vec<_> = book().into_iter().map(Rc::new).collect();
    let ctx = Ctx {
        engine: p.engine.clone(),
        ui,
        act: Callback::noop(),
        changed: Callback::noop(),
        restart: Callback::noop(),
        book: Book::Ready(Rc::new(all)),
        open_lesson: Callback::noop(),
        lesson: Callback::noop(),
        share: Callback::noop(),
    };
    // Drawn on each render, as the App draws it (the test changes `version` to re-render).
    lesson_panel(&ctx, &root)
}

/// While the check is unmet the panel shows the goal and what the lab sees; once
/// the core's check passes, it shows why (the explanation) and whether the prediction was
/// right.
#[wasm_bindgen_test]
async fn the_panel_shows_the_verdict_then_why_and_the_prediction() {
    let lesson = Rc::new(book().into_iter().find(|l| l.id == "one-server").unwrap());
    let one = classroom::lesson_scenario(ONE_SERVER.as_bytes()).unwrap();
    let engine = Shared::new(Engine::new(&one).unwrap());
    engine
        .borrow_mut()
        .open_lesson(lesson.clone(), &one)
        .unwrap();
    let wrong = (lesson.predict.answer + 1) % lesson.predict.choices.len();
    engine
        .borrow_mut()
        .with_lesson(|run, _| run.predicted(wrong));
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let version = |e: &Shared<Engine>| e.borrow().lesson_version();
    let mut handle = yew::Renderer::<PanelAlone>::with_root_and_props(
        root.clone(),
        PanelProps {
            engine: engine.clone(),
            version: version(&engine),
        },
    )
    .render();
    yew::scheduler::flush().await;
    let text = || root.text_content().unwrap_or_default();
    assert!(text().contains(&lesson.goal), "{}", text());
    assert!(text().contains(text::seen()));
    assert!(!text().contains(&lesson.explain));

    // The student crashes web-01 and the lab runs on: the core's check passes.
    {
        let mut e = engine.borrow_mut();
        e.apply(Action::Fault {
            target: "web-01".into(),
            fault: FaultKind::Crash,
        })
        .unwrap();
        e.set_playing(true);
        e.set_speed(10.0);
        for ms in 0..=30 {
            e.frame(ms as f64 * 100.0);
        }
        assert!(e.now() >= SimTime(2_900_000));
        e.tend_lesson(1e9);
    }
    handle.update(PanelProps {
        engine: engine.clone(),
        version: version(&engine),
    });
    yew::scheduler::flush().await;
    let state = root
        .query_selector("[data-lesson]")
        .unwrap()
        .and_then(|e| e.get_attribute("data-lesson-state"));
    assert_eq!(state.as_deref(), Some("passed"), "{}", text());
    assert!(text().contains(&lesson.explain));
    let prediction = root
        .query_selector("[data-prediction]")
        .unwrap()
        .and_then(|e| e.get_attribute("data-prediction"));
    assert_eq!(prediction.as_deref(), Some("wrong"));
    assert!(text().contains(&lesson.predict.choices[lesson.predict.answer]));
    handle.destroy();
    root.remove();
}

/// ? lists every shortcut and the numbers of keys 1–9, Esc closes it; P turns
/// presenter mode on and numbers the nodes on the diagram; 1 breaks and restores node 1;
/// Space pauses and → steps.
#[wasm_bindgen_test]
async fn keyboard_shortcuts_and_presenter_mode() {
    let m = mount(None).await;
    press("?");
    until("the shortcuts", || {
        m.q("[data-dialog=\"shortcuts\"]").is_some()
    })
    .await;
    assert_eq!(
        m.count(".keys tbody tr") as usize,
        text::SHORTCUT_LIST.len()
    );
    assert_eq!(m.count(".numbered li"), 9);
    assert!(m.text(".numbered").starts_with("lb-01"));
    press("Escape");
    until("the shortcuts closed", || m.q("[role=dialog]").is_none()).await;

    press("p");
    until("presenter mode", || m.q(".app[data-presenter]").is_some()).await;
    assert_eq!(m.count(".key-number"), 9);
    assert_eq!(
        m.text("[data-node=\"lb-01\"] > .key-number text"),
        "1",
        "the hosts come first"
    );
    assert!(m.q(".tabs-panel").is_none(), "fewer panels");
    assert!(m.q(".log").is_some() || m.text(".below").contains(text::log()));

    press("1");
    until("lb-01 crashed", || {
        m.node_state("lb-01").as_deref() == Some("crashed")
    })
    .await;
    press("1");
    until("lb-01 restored", || {
        m.node_state("lb-01").as_deref() == Some("up")
    })
    .await;

    press(" ");
    until("paused", || {
        m.attr("[data-action=\"pause\"]", "aria-pressed").as_deref() == Some("true")
    })
    .await;
    let before = m.attr(".clock", "data-now-us");
    press("ArrowRight");
    until("one step", || m.attr(".clock", "data-now-us") != before).await;
    press("p");
    until("presenter mode off", || {
        m.q(".app[data-presenter]").is_none()
    })
    .await;
    assert_eq!(m.count(".key-number"), 0);
    m.done();
}

/// A share link in the address opens the same run at the same moment, paused, with its
/// lesson open; a damaged one gives the core's message and the default design.
#[wasm_bindgen_test]
async fn a_share_link_opens_the_run_and_a_damaged_one_a_message() {
    let mut lab = Lab::new(&Engine::classroom_default()).unwrap();
    lab.advance_to(SimTime(2_000_000));
    lab.apply(Action::Fault {
        target: "web-02".into(),
        fault: FaultKind::Crash,
    })
    .unwrap();
    lab.advance_to(SimTime(9_000_000));
    let link = lab.share_link(Some("spof-web-host".into()));
    let m = mount(Some(format!("#{link}"))).await;
    assert_eq!(m.node_state("web-02").as_deref(), Some("crashed"));
    assert_eq!(
        m.attr(".clock", "data-now-us"),
        Some(lab.now().0.to_string())
    );
    let served = |name: &str| {
        let host = lab.topology().node_by_name(name).unwrap();
        let mut s = foobar_sim::Snapshot::default();
        lab.snapshot_into(&mut s);
        s.servers
            .iter()
            .find(|x| x.host == host)
            .map(|x| x.served.to_string())
    };
    assert_eq!(
        m.attr("[data-node=\"web-01\"]", "data-served"),
        served("web-01")
    );
    assert_eq!(
        m.attr("[data-action=\"pause\"]", "aria-pressed").as_deref(),
        Some("true")
    );
    until("the shared lesson", || {
        m.q("[data-lesson=\"spof-web-host\"]").is_some()
    })
    .await;
    assert!(m.q("[data-notice]").is_none());
    m.done();

    let cut = &link[..link.len() / 2];
    let m = mount(Some(format!("#{cut}"))).await;
    let notice = m.text("[data-notice]");
    let core = foobar_lab::narration::lab_error(&Lab::from_link(cut).unwrap_err());
    assert!(notice.contains(&core), "{notice:?} lacks {core:?}");
    assert_eq!(m.node_state("web-02").as_deref(), Some("up"));
    assert_eq!(m.text(".scenario-name"), "three-server");
    m.done();
}

/// Decodes a `data:` address back into its text.
fn data_text(href: &str) -> String {
    let body = href.split_once(',').unwrap().1;
    String::from(js_sys::decode_uri_component(body).unwrap())
}

/// The Export tab shows the core's four exports of the live design, each to copy and to
/// download under its file name; the live scenario downloads as JSON the
/// core reads back.
#[wasm_bindgen_test]
async fn the_exports_of_the_live_design_and_the_scenario_file() {
    let m = mount(None).await;
    m.click("[data-tab=\"share\"]");
    until("the exports", || m.count("[data-export]") == 4).await;
    let live = Engine::classroom_default();
    for f in Format::ALL {
        let sel = format!("[data-export=\"{}\"]", f.name());
        assert_eq!(m.text(&format!("{sel} pre")), export(&live, f), "{f:?}");
        let a = format!("[data-download=\"{}\"]", f.name());
        assert_eq!(m.attr(&a, "download").as_deref(), Some(f.file_name()));
        let href = m.attr(&a, "href").unwrap();
        assert_eq!(data_text(&href), export(&live, f));
        assert!(m.q(&format!("[data-copy=\"{}\"]", f.name())).is_some());
    }
    assert!(m
        .text("[data-export=\"haproxy\"] pre")
        .contains("balance roundrobin"));
    let file = data_text(&m.attr("[data-download=\"scenario\"]", "href").unwrap());
    let back = foobar_sim::Scenario::from_json(&file).unwrap();
    assert_eq!(back, live);
    m.done();
}

/// Chooses a file in a file input, as the browser's dialog would.
fn choose_file(input: &Element, name: &str, contents: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(contents));
    let file = web_sys::File::new_with_str_sequence(&parts, name).unwrap();
    let dt = web_sys::DataTransfer::new().unwrap();
    dt.items().add_with_file(&file).unwrap();
    let input = input.dyn_ref::<web_sys::HtmlInputElement>().unwrap();
    input.set_files(dt.files().as_ref());
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

/// Opening a scenario file starts it; a file that is not a scenario says why,
/// naming the field, and changes nothing.
#[wasm_bindgen_test]
async fn a_scenario_file_opens_and_a_bad_one_says_why() {
    let m = mount(None).await;
    m.click("[data-tab=\"share\"]");
    until("the file input", || {
        m.q("[data-open=\"scenario\"]").is_some()
    })
    .await;
    let input = m.q("[data-open=\"scenario\"]").unwrap();
    choose_file(&input, "one.json", ONE_SERVER);
    until("the one-server design", || {
        m.text(".scenario-name") == "one-server"
    })
    .await;
    assert!(m.q("[data-node=\"web-02\"]").is_none());
    assert_eq!(
        m.text("[data-notice] span"),
        text::scenario_opened("one-server")
    );

    let input = m.q("[data-open=\"scenario\"]").unwrap();
    choose_file(&input, "bad.json", r#"{"topology": {"web_hosts": 99}}"#);
    until("the message", || {
        m.text("[data-notice]").contains("web_hosts")
    })
    .await;
    assert_eq!(m.text(".scenario-name"), "one-server", "nothing changed");

    let input = m.q("[data-open=\"scenario\"]").unwrap();
    choose_file(&input, "trunc.json", &ONE_SERVER[..40]);
    until("the message", || {
        m.text("[data-notice]").contains("not a valid scenario")
    })
    .await;
    m.done();
}
