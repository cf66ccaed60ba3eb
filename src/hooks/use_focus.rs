//! Moving the keyboard focus when something opens: a dialog, the node menu, a lesson's
//! question. One hook for all of them, so the page carries one effect for it.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// After a render in which `when` changed, if it is `Some`, focuses the first element inside
/// `root` that matches `selector` (`root` itself when `selector` is empty). `when` says what
/// opened: the focus moves again only when something else opens.
#[hook]
pub fn use_focus(when: Option<String>, root: NodeRef, selector: &'static str) {
    use_effect_with(when, move |when| {
        if when.is_some() {
            focus_in(&root, selector);
        }
    });
}

fn focus_in(root: &NodeRef, selector: &str) {
    let root = root.cast::<web_sys::Element>();
    let el = if selector.is_empty() {
        root
    } else {
        root.and_then(|r| r.query_selector(selector).ok().flatten())
    };
    if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}
