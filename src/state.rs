//! What the page shows and chooses (STYLE.md: yew's `function_todomvc`): the open tab, the
//! node menu, the message bar, the request being inspected. A reducer with no side effects.
//! The world itself is not here: it lives in the `Engine`, advanced per frame.

use std::cell::RefCell;
use std::rc::Rc;

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
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Metrics,
        Tab::Stats,
        Tab::Request,
        Tab::Database,
        Tab::Watch,
        Tab::Settings,
        Tab::Text,
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
    /// Waiting for a click on a dot, to inspect it.
    pub picking: bool,
    pub selected: Option<u64>,
    pub errors_only: bool,
    /// Refused settings so far: forms are keyed on it, so a refused value is not left shown.
    pub refusals: u64,
}

pub enum UiAction {
    Tab(Tab),
    OpenMenu(Menu),
    CloseMenu,
    Notice(String),
    /// The core refused an action: its message, and the forms show the real values again.
    Refused(String),
    Dismiss,
    Picking(bool),
    /// Inspect this request (and show the inspector).
    Inspect(u64),
    ErrorsOnly(bool),
    /// A new lab: what referred to the old one goes.
    NewRun,
}

impl Reducible for UiState {
    type Action = UiAction;

    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            UiAction::Tab(t) => s.tab = t,
            UiAction::OpenMenu(m) => {
                s.menu = Some(m);
                s.picking = false;
            }
            UiAction::CloseMenu => s.menu = None,
            UiAction::Notice(text) => s.notice = Some(text),
            UiAction::Refused(text) => {
                s.notice = Some(text);
                s.refusals += 1;
            }
            UiAction::Dismiss => s.notice = None,
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

/// What every panel gets from the App (a Yew context): the engine, the UI state, and the
/// two ways to change things.
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
}
