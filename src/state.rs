//! What the page shows and chooses (after yew's `function_todomvc` example): the open tab, the
//! node menu, the message bar, the request being inspected. A reducer with no side effects.
//! The world itself is not here: it lives in the `Engine`, advanced per frame.

use std::cell::RefCell;
use std::rc::Rc;

use foobar_sim::lesson::Lesson;
use foobar_sim::{Action, NodeId};
use yew::prelude::*;

use crate::engine::Engine;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Metrics,
    Stats,
    Request,
    Database,
    Watch,
    Settings,
    Text,
    Share,
}

impl Tab {
    pub const ALL: [Tab; 8] = [
        Tab::Metrics,
        Tab::Stats,
        Tab::Request,
        Tab::Database,
        Tab::Watch,
        Tab::Settings,
        Tab::Text,
        Tab::Share,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Tab::Metrics => "metrics",
            Tab::Stats => "stats",
            Tab::Request => "request",
            Tab::Database => "database",
            Tab::Watch => "watch",
            Tab::Settings => "settings",
            Tab::Text => "text",
            Tab::Share => "share",
        }
    }
}

/// The node menu, open on a node at a point of the stage (CSS pixels from its corner).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Menu {
    pub node: NodeId,
    pub x: f64,
    /// From the stage's top, or from its bottom when it opens upwards.
    pub y: f64,
    pub up: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct UiState {
    pub tab: Tab,
    pub menu: Option<Menu>,
    /// A message for the user (a refused setting, an unreadable link); `role="alert"`.
    pub notice: Option<String>,
    /// The message is good news (a link copied), not a refusal.
    pub notice_ok: bool,
    /// The message says an action dropped the run's recorded future: it offers to undo it.
    pub notice_undo: bool,
    /// The first visit's hint on the diagram, until the visitor acts.
    pub hint: bool,
    /// Waiting for a click on a dot, to inspect it.
    pub picking: bool,
    pub selected: Option<u64>,
    pub errors_only: bool,
    /// Refused settings so far: forms are keyed on it, so a refused value is not left shown.
    pub refusals: u64,
    /// Presenter mode: large type, high contrast, the diagram first, fewer panels.
    pub presenter: bool,
    /// Which dialog is open over the page, if any.
    pub dialog: Option<Dialog>,
    /// The export last copied (its index in `Format::ALL`) and whether the clipboard took it:
    /// the Export tab says so beside it.
    pub copied: Option<(usize, bool)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    /// The lesson picker.
    Lessons,
    /// Every keyboard shortcut (`?`).
    Shortcuts,
}

impl Dialog {
    /// What takes the focus when it opens: the lesson open (or the first lesson), the close
    /// button of the shortcuts.
    pub fn first_focus(self) -> &'static str {
        match self {
            Dialog::Lessons => "button[data-open], button[data-lesson-id]",
            Dialog::Shortcuts => "button.close",
        }
    }
}

#[derive(Clone)]
pub enum UiAction {
    Tab(Tab),
    OpenMenu(Menu),
    CloseMenu,
    Notice(String),
    /// Good news for the message bar.
    Info(String),
    /// An action dropped the run's recorded future: said, with an undo.
    Dropped(String),
    /// The visitor acted: the first visit's hint goes.
    HintDone,
    /// The core refused an action: its message, and the forms show the real values again.
    Refused(String),
    Dismiss,
    Picking(bool),
    /// Inspect this request (and show the inspector).
    Inspect(u64),
    ErrorsOnly(bool),
    /// A new lab: what referred to the old one goes.
    NewRun,
    TogglePresenter,
    /// Opens a dialog, or closes it (`None`).
    Dialog(Option<Dialog>),
    /// Opens this dialog, or closes it if it is open.
    ToggleDialog(Dialog),
    /// Escape: closes the dialog, the menu, and stops picking a request.
    Escape,
    /// An export was copied (its index), or the clipboard refused it.
    Copied(usize, bool),
}

/// A click that dispatches `a`: one closure type for every such button (each closure
/// type is code in the page).
pub fn click_ui(dispatch: &UseReducerDispatcher<UiState>, a: UiAction) -> Callback<MouseEvent> {
    let dispatch = dispatch.clone();
    Callback::from(move |_: MouseEvent| dispatch.dispatch(a.clone()))
}

/// A click that takes the action `a` in the lab: one closure type for every such button.
pub fn click_act(act: &Callback<Action>, a: Action) -> Callback<MouseEvent> {
    act.reform(move |_: MouseEvent| a.clone())
}

impl Reducible for UiState {
    type Action = UiAction;

    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            UiAction::Tab(t) => {
                s.tab = t;
                s.copied = None;
            }
            UiAction::OpenMenu(m) => {
                s.menu = Some(m);
                s.picking = false;
                s.hint = false;
            }
            UiAction::CloseMenu => s.menu = None,
            UiAction::Notice(text) => {
                s.notice = Some(text);
                s.notice_ok = false;
                s.notice_undo = false;
            }
            UiAction::Info(text) => {
                s.notice = Some(text);
                s.notice_ok = true;
                s.notice_undo = false;
            }
            UiAction::Dropped(text) => {
                s.notice = Some(text);
                s.notice_ok = false;
                s.notice_undo = true;
            }
            UiAction::Refused(text) => {
                s.notice = Some(text);
                s.notice_ok = false;
                s.notice_undo = false;
                s.refusals += 1;
            }
            UiAction::Dismiss => {
                s.notice = None;
                s.notice_undo = false;
            }
            UiAction::HintDone => s.hint = false,
            UiAction::Picking(on) => {
                s.picking = on;
                s.menu = None;
            }
            UiAction::Inspect(id) => {
                s.selected = Some(id);
                s.picking = false;
                s.tab = Tab::Request;
            }
            UiAction::ErrorsOnly(on) => s.errors_only = on,
            UiAction::NewRun => {
                s.selected = None;
                s.menu = None;
                s.picking = false;
            }
            UiAction::TogglePresenter => s.presenter = !s.presenter,
            UiAction::Dialog(d) => {
                s.dialog = d;
                s.menu = None;
            }
            UiAction::ToggleDialog(d) => {
                s.dialog = if s.dialog == Some(d) { None } else { Some(d) };
                s.menu = None;
                s.hint &= d != Dialog::Lessons;
            }
            UiAction::Escape => {
                s.dialog = None;
                s.menu = None;
                s.picking = false;
            }
            UiAction::Copied(i, ok) => s.copied = Some((i, ok)),
        }
        Rc::new(s)
    }
}

/// A shared, mutable value compared by identity: the same cell is the same value.
pub struct Shared<T>(pub Rc<RefCell<T>>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Shared<T> {
        Shared(Rc::new(RefCell::new(value)))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = RefCell<T>;
    fn deref(&self) -> &RefCell<T> {
        &self.0
    }
}

/// The lessons, once fetched. Compared by identity: the same book is the same.
#[derive(Clone, Debug, Default)]
pub enum Book {
    #[default]
    Loading,
    Ready(Rc<Vec<Rc<Lesson>>>),
    /// Why the lessons could not be read.
    Failed(Rc<str>),
}

impl PartialEq for Book {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Book::Loading, Book::Loading) => true,
            (Book::Ready(a), Book::Ready(b)) => Rc::ptr_eq(a, b),
            (Book::Failed(a), Book::Failed(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Book {
    pub fn lesson(&self, id: &str) -> Option<Rc<Lesson>> {
        match self {
            Book::Ready(all) => all.iter().find(|l| l.id == id).cloned(),
            _ => None,
        }
    }
}

/// What the lesson panel and its keys ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonCmd {
    /// The student's answer to the prediction question.
    Predict(usize),
    /// On to the next step.
    Next,
    /// "Do this step for me": the step's action, taken.
    DoStep,
    /// The lesson again, from the start.
    Again,
    /// The next lesson of the book.
    Following,
    Close,
}

/// What every panel gets from the App (as an argument, or a prop: not a Yew context, whose
/// provider is one more component's code in the page): the engine, the UI state,
/// and the ways to change things.
#[derive(Clone, PartialEq)]
pub struct Ctx {
    pub engine: Shared<Engine>,
    pub ui: UseReducerHandle<UiState>,
    /// Takes a user action through the lab; a refusal shows its message.
    pub act: Callback<Action>,
    /// Something the panels show changed outside the sim (play, pause, speed): re-render.
    pub changed: Callback<()>,
    /// Starts a new run with this scenario (a topology change).
    pub restart: Callback<foobar_sim::Scenario>,
    pub book: Book,
    /// Opens the lesson with this id.
    pub open_lesson: Callback<String>,
    pub lesson: Callback<LessonCmd>,
    /// Writes the share link to the address and copies it.
    pub share: Callback<()>,
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// The Export tab says which export was copied (or that the clipboard refused
    /// it) until another tab opens.
    #[test]
    fn a_copy_is_said_until_the_tab_changes() {
        let s = Rc::new(UiState::default()).reduce(UiAction::Copied(2, false));
        assert_eq!(s.copied, Some((2, false)));
        let s = s.reduce(UiAction::Dismiss);
        assert_eq!(
            s.copied,
            Some((2, false)),
            "the message bar is another thing"
        );
        let s = s.reduce(UiAction::Tab(Tab::Metrics));
        assert_eq!(s.copied, None);
    }
}
