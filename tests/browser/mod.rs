//! Helpers shared by the browser tests (tests/diagram.rs, tests/classroom.rs): a mount point,
//! a mounted App that unmounts itself when the test ends, and bounded polls of the page
//! (never a fixed sleep).
#![allow(dead_code)]

use foobar_lab::files::Files;
use foobar_lab::i18n::Lang;
use foobar_lab::{App, AppProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element in the page to mount into, with the English words in force (the page
/// reads them before it draws anything; a component drawn alone needs them too).
pub fn mount_point() -> Element {
    if !foobar_lab::i18n::ready() {
        let file = foobar_lab::i18n::read(Lang::En, ENGLISH.as_bytes()).unwrap();
        foobar_lab::i18n::install(file.words);
    }
    let div = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&div).unwrap();
    div
}

/// Lets the page's tasks run: Yew's renders, and one turn of the browser's task queue (a
/// fetch answered from the fixtures, a file read, an animation frame's timer).
pub async fn next_turn() {
    yew::scheduler::flush().await;
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback(&resolve)
            .unwrap();
    });
    JsFuture::from(p).await.unwrap();
    yew::scheduler::flush().await;
}

/// Polls the page, turn by turn, until `cond` holds; fails after 300 turns.
pub async fn until(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..300 {
        if cond() {
            return;
        }
        next_turn().await;
    }
    panic!("the page never showed {what}");
}

/// Polls the page until `cond` holds, for up to `ms` of real time (for what a real timer
/// decides, such as a long press).
pub async fn within(ms: f64, what: &str, mut cond: impl FnMut() -> bool) {
    let start = js_sys::Date::now();
    while js_sys::Date::now() - start < ms {
        if cond() {
            return;
        }
        next_turn().await;
    }
    assert!(cond(), "the page never showed {what} in {ms} ms");
}

/// Polls the page for `ms` of real time, failing as soon as `cond` stops holding.
pub async fn holds_for(ms: f64, what: &str, mut cond: impl FnMut() -> bool) {
    let start = js_sys::Date::now();
    while js_sys::Date::now() - start < ms {
        assert!(cond(), "{what} stopped holding");
        next_turn().await;
    }
}

/// An App mounted in its own element. Dropping it (at the end of a test that passes: in
/// WebAssembly a failing test aborts the run) unmounts the App and removes the element, so
/// an App left running (its frame loop, its keyboard listener) cannot disturb the next test.
pub struct Mounted {
    pub root: Element,
    handle: Option<yew::AppHandle<App>>,
}

impl std::ops::Deref for Mounted {
    type Target = Element;
    fn deref(&self) -> &Element {
        &self.root
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.destroy();
        }
        self.root.remove();
    }
}

/// The English words and lessons, as the page fetches them from `lang/en.json`.
pub const ENGLISH: &str = include_str!("../../lang/en.json");

/// The page's props with the English language file in hand (the test runner serves no
/// `lang/`), and English chosen unless the test chose a language.
pub fn with_english(mut props: AppProps) -> AppProps {
    let mut files: Vec<(String, String)> = props.files.0.as_deref().cloned().unwrap_or_default();
    if !files.iter().any(|(p, _)| p == "lang/en.json") {
        files.push(("lang/en.json".into(), ENGLISH.into()));
    }
    props.files = Files(Some(std::rc::Rc::new(files)));
    props.lang = props.lang.or(Some(Lang::En));
    props
}

impl Mounted {
    /// Mounts the App with `props` (or the defaults: the page's own address and files) and
    /// lets it render once.
    pub async fn app(props: Option<AppProps>) -> Mounted {
        let root = mount_point();
        let props = with_english(props.unwrap_or_default());
        let r = yew::Renderer::<App>::with_root_and_props(root.clone(), props);
        let m = Mounted {
            root,
            handle: Some(r.render()),
        };
        yew::scheduler::flush().await;
        m
    }
    pub fn q(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }
    pub fn attr(&self, selector: &str, name: &str) -> Option<String> {
        self.q(selector).and_then(|e| e.get_attribute(name))
    }
    pub fn count(&self, selector: &str) -> u32 {
        self.root.query_selector_all(selector).unwrap().length()
    }
    pub fn text(&self, selector: &str) -> String {
        self.q(selector)
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }
    pub fn click(&self, selector: &str) {
        self.q(selector)
            .unwrap_or_else(|| panic!("nothing matches {selector}"))
            .dyn_into::<HtmlElement>()
            .unwrap()
            .click();
    }
    pub fn node_state(&self, name: &str) -> Option<String> {
        self.attr(&format!("[data-node=\"{name}\"]"), "data-state")
    }
    /// The simulated time the controls show, in µs.
    pub fn clock_us(&self) -> u64 {
        self.attr(".clock", "data-now-us")
            .and_then(|t| t.parse().ok())
            .expect("a clock with data-now-us")
    }
    /// Unmounts now (before mounting another App in the same test).
    pub fn done(self) {}
}

/// A key pressed with the focus on the page itself (the shortcuts listen on the window).
pub fn press(key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    document().body().unwrap().dispatch_event(&ev).unwrap();
}
