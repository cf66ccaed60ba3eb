//! Keyboard shortcuts: everything an instructor does live, from the keyboard.
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

fn target_element(e: &web_sys::KeyboardEvent) -> Option<web_sys::Element> {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
}

/// Whether the key was typed in a form field (a text or number box, a list, a checkbox), which
/// has every key to itself: typing a value, a checkbox's Space.
fn in_form_field(e: &web_sys::KeyboardEvent) -> bool {
    target_element(e).is_some_and(|el| {
        let tag = el.tag_name().to_ascii_lowercase();
        matches!(tag.as_str(), "input" | "select" | "textarea")
            || el
                .dyn_ref::<web_sys::HtmlElement>()
                .is_some_and(|h| h.is_content_editable())
    })
}

/// Whether a key belongs to the element it was typed in rather than to the page: every key
/// in a form field; Enter on a button, a link or a node (it presses them); the arrows, Home
/// and End in a menu, the tabs or a dialog (they move the focus there).
fn key_belongs_to_focus(e: &web_sys::KeyboardEvent) -> bool {
    if in_form_field(e) {
        return true;
    }
    let Some(el) = target_element(e) else {
        return false;
    };
    let inside = |selector: &str| el.closest(selector).ok().flatten().is_some();
    match e.key().as_str() {
        "Enter" => inside("button, a, [data-node], [role=menu], [role=dialog]"),
        "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" | "Home" | "End" => {
            inside("[role=menu], [role=tablist], [role=dialog]")
        }
        _ => false,
    }
}

/// Where the arrow keys (and Home, End) move the focus in a list of `n` buttons from the one
/// at `at` (none focused: Down and Home go to the first, Up and End to the last), wrapping
/// around; `None` for any other key.
pub fn next_in_list(at: Option<usize>, n: usize, key: &str) -> Option<usize> {
    let last = n.checked_sub(1)?;
    Some(match (key, at) {
        ("ArrowDown", Some(i)) => (i + 1) % n,
        ("ArrowUp", Some(i)) => (i + last) % n,
        ("ArrowDown" | "Home", _) => 0,
        ("ArrowUp" | "End", _) => last,
        _ => return None,
    })
}

/// Which of `items` has the focus.
fn focused_in(items: &[web_sys::HtmlElement]) -> Option<usize> {
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())?;
    items
        .iter()
        .position(|b| &active == b.as_ref() as &web_sys::Element)
}

/// Moves the focus among `items` for an arrow key, Home or End (`next_in_list`); whether the
/// key was one of those (its default is then prevented).
pub fn move_focus(items: &[web_sys::HtmlElement], e: &web_sys::KeyboardEvent) -> bool {
    let at = focused_in(items);
    let Some(to) = next_in_list(at, items.len(), &e.key()) else {
        return false;
    };
    e.prevent_default();
    let _ = items[to].focus();
    true
}

/// The elements under `root` that match `selector`, as focusable elements.
pub fn focusable(root: &web_sys::Element, selector: &str) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

fn open_dialog() -> Option<web_sys::Element> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[role=dialog]").ok().flatten())
}

fn dialog_open() -> bool {
    open_dialog().is_some()
}

/// What Tab can reach inside an element.
const TABBABLE: &str = "button:not([disabled]):not([tabindex=\"-1\"]), [href], \
                        input:not([disabled]), select:not([disabled]), textarea:not([disabled]), \
                        [tabindex]:not([tabindex=\"-1\"])";

/// Tab and Shift+Tab in a modal dialog go round its own controls and never leave it (the
/// page behind it is out of reach until it closes).
fn keep_focus_in(dialog: &web_sys::Element, e: &web_sys::KeyboardEvent) {
    let items = focusable(dialog, TABBABLE);
    let at = focused_in(&items);
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        e.prevent_default();
        return;
    };
    let to = match (at, e.shift_key()) {
        (None, false) => first,
        (None, true) => last,
        (Some(0), true) => last,
        (Some(i), false) if i + 1 == items.len() => first,
        _ => return,
    };
    e.prevent_default();
    let _ = to.focus();
}

impl Keys {
    /// Space, seen before anything else on the page (the capture phase): it plays or pauses,
    /// once per press, wherever the focus is but a form field or an open dialog (which keeps
    /// its keys to itself). Its key-down and key-up are kept from the browser, so the page
    /// never scrolls and the focused button (a Play just clicked) is not pressed as well.
    pub fn on_space(&self, e: &web_sys::KeyboardEvent, down: bool) {
        if e.key() != " " || e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        if in_form_field(e) || dialog_open() {
            return;
        }
        e.prevent_default();
        e.stop_propagation();
        if down && !e.repeat() {
            let mut en = self.engine.borrow_mut();
            let on = !en.playing();
            en.set_playing(on);
            drop(en);
            self.changed.emit(());
        }
    }

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
        if key == "Tab" {
            if let Some(dialog) = open_dialog() {
                keep_focus_in(&dialog, e);
            }
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
            "ArrowRight" | "." | "[" | "]" => {
                let mut en = self.engine.borrow_mut();
                match key.as_str() {
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

#[cfg(test)]
mod tests {
    use super::next_in_list;

    /// In a menu or the lesson picker the arrows move the focus and wrap around;
    /// Home and End go to the ends; from no focus, Down starts at the top and Up at the
    /// bottom.
    #[test]
    fn arrows_move_through_a_list() {
        assert_eq!(next_in_list(Some(0), 3, "ArrowDown"), Some(1));
        assert_eq!(next_in_list(Some(2), 3, "ArrowDown"), Some(0));
        assert_eq!(next_in_list(Some(0), 3, "ArrowUp"), Some(2));
        assert_eq!(next_in_list(None, 3, "ArrowDown"), Some(0));
        assert_eq!(next_in_list(None, 3, "ArrowUp"), Some(2));
        assert_eq!(next_in_list(Some(1), 3, "Home"), Some(0));
        assert_eq!(next_in_list(Some(1), 3, "End"), Some(2));
        assert_eq!(next_in_list(Some(1), 3, "Enter"), None);
        assert_eq!(next_in_list(None, 0, "ArrowDown"), None);
    }
}
