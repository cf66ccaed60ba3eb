//! One `requestAnimationFrame` loop for a component's life (after yew-hooks' `use_raf`):
//! its handle is kept in `use_mut_ref` and dropped in the effect's cleanup, so the loop stops
//! when the component goes.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

type FrameFn = Rc<dyn Fn(f64)>;

/// Calls `callback` with the browser's frame timestamp (ms) on every animation frame while
/// the component is mounted. The latest render's callback is the one called.
#[hook]
pub fn use_animation_frame<F>(callback: F)
where
    F: Fn(f64) + 'static,
{
    let handle = use_mut_ref(|| None::<AnimationFrame>);
    let latest = use_mut_ref(|| None::<FrameFn>);
    *latest.borrow_mut() = Some(Rc::new(callback));
    use_effect_with((), move |_| {
        schedule(handle.clone(), latest.clone());
        move || {
            // Dropping the handle cancels the pending frame; nothing schedules another.
            latest.borrow_mut().take();
            handle.borrow_mut().take();
        }
    });
}

fn schedule(handle: Rc<RefCell<Option<AnimationFrame>>>, latest: Rc<RefCell<Option<FrameFn>>>) {
    let next = handle.clone();
    let frame = request_animation_frame(move |ts| {
        let callback = latest.borrow().clone();
        // Unmounted: the cleanup took the callback, so the loop ends here.
        if let Some(callback) = callback {
            callback(ts);
            schedule(next, latest);
        }
    });
    *handle.borrow_mut() = Some(frame);
}
