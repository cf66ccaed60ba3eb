//! Keyboard shortcuts (SPEC U7, U9): everything an instructor does live, from the keyboard.
//! `text::SHORTCUT_LIST` lists them for the `?` overlay; this is where they act.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::classroom::numbered;
use crate::engine::Engine;
use crate::state::{Dialog, LessonCmd, Shared, UiAction, UiState};

/// What the shortcuts act on.
pub struct Keys {
    pub engine: Shared<Engine>,
    pub changed: Callback<()>,
    pub act: Callback<foobar_sim::Action>,
    pub lesson: Callback<LessonCmd>,
    pub share: Callback<()>,
    pub dispatch: UseReducerDispatcher<UiState>,
}

/// Whether a key belongs to the element it was typed in rather than to the page: every key
/// in a text field or a list; Space, Enter and the arrows on a button, a link, a node, a tab
/// or a menu (which use them themselves).
fn key_belongs_to_focus(e: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let tag = el.tag_name().to_ascii_lowercase();
    if matches!(tag.as_str(), "input" | "select" | "textarea") {
        return true;
    }
    let own = matches!(
        e.key().as_str(),
        " " | "Enter" | "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" | "Home" | "End"
    );
    own && (matches!(tag.as_str(), "button" | "a" | "pre")
        || el
            .closest("[data-node], [role=menu], [role=tab], [role=dialog]")
            .ok()
            .flatten()
            .is_some())
}

fn dialog_open() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[role=dialog]").ok().flatten())
        .is_some()
}

impl Keys {
    /// Acts on a key press; a key the page used is not passed on to the browser.
    pub fn on_key(&self, e: &web_sys::KeyboardEvent) {
        if e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        let key = e.key();
        if key == "Escape" {
            self.dispatch.dispatch(UiAction::Escape);
            return;
        }
        if key_belongs_to_focus(e) {
            return;
        }
        if key == "?" {
            self.dispatch
                .dispatch(UiAction::ToggleDialog(Dialog::Shortcuts));
            e.prevent_default();
            return;
        }
        // A dialog open over the page keeps the other keys to itself.
        if dialog_open() {
            return;
        }
        let used = match key.as_str() {
            " " | "ArrowRight" | "." | "[" | "]" => {
                let mut en = self.engine.borrow_mut();
                match key.as_str() {
                    " " => {
                        let on = !en.playing();
                        en.set_playing(on);
                    }
                    "[" => {
                        let s = en.speed() / 2.0;
                        en.set_speed(s);
                    }
                    "]" => {
                        let s = en.speed() * 2.0;
                        en.set_speed(s);
                    }
                    _ => {
                        en.step();
                    }
                }
                drop(en);
                self.changed.emit(());
                true
            }
            "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" => {
                let n = key.parse::<usize>().unwrap_or(1) - 1;
                let action = {
                    let en = self.engine.borrow();
                    numbered(en.topology())
                        .get(n)
                        .and_then(|&node| en.toggle(node))
                };
                action.map(|a| self.act.emit(a)).is_some()
            }
            "l" | "L" => {
                self.dispatch
                    .dispatch(UiAction::ToggleDialog(Dialog::Lessons));
                true
            }
            "p" | "P" => {
                self.dispatch.dispatch(UiAction::TogglePresenter);
                true
            }
            "c" | "C" => {
                self.share.emit(());
                true
            }
            "n" | "N" | "d" | "D" => {
                let open = self.engine.borrow().lesson.is_some();
                if open {
                    let cmd = if key.eq_ignore_ascii_case("n") {
                        LessonCmd::Next
                    } else {
                        LessonCmd::DoStep
                    };
                    self.lesson.emit(cmd);
                }
                open
            }
            _ => false,
        };
        if used {
            e.prevent_default();
        }
    }
}
