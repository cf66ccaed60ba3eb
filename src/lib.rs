//! Foobar Lab, the page: a Yew app that runs the `foobar-sim` world live and draws it.
//!
//! Data flows one way (ARCHITECTURE.md): a user action → `foobar_sim::Action` → the lab's
//! `apply` → the lab advances, frame by frame → the page reads a snapshot and draws it. The
//! world lives in the `Engine`, outside Yew's state; one animation-frame loop advances it and
//! draws the request dots on a canvas; Yew re-renders the SVG and the panels only when what
//! they show changed, at most ~10 times a second.

pub mod components;
pub mod draw;
pub mod engine;
pub mod hooks;
pub mod layout;
pub mod robust;
pub mod state;
pub mod text;

use std::rc::Rc;

use foobar_sim::{Action, Scenario};
use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::components::diagram::LiveView;
use crate::components::{Controls, LogPanel, Panels, Stage};
use crate::draw::Painter;
use crate::engine::Engine;
use crate::hooks::use_animation_frame;
use crate::state::{Ctx, Shared, UiAction, UiState};

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

/// Keys that belong to the element they are typed in, not to the page's shortcuts.
fn typed_into_a_control(e: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let tag = el.tag_name().to_ascii_lowercase();
    matches!(
        tag.as_str(),
        "input" | "select" | "textarea" | "button" | "a"
    ) || el
        .closest("[data-node], [role=menu], [role=tab]")
        .ok()
        .flatten()
        .is_some()
}

#[component]
pub fn App() -> Html {
    let boot = use_memo((), |_| robust::boot_from_hash(&current_hash()));
    let engine = use_memo((), {
        let boot = boot.clone();
        move |_| {
            let engine =
                Engine::new(&boot.scenario).or_else(|_| Engine::new(&Engine::classroom_default()));
            Shared::new(engine.expect("the default scenario is valid"))
        }
    });
    let engine: Shared<Engine> = (*engine).clone();
    let ui = use_reducer({
        let notice = boot.notice.clone();
        move || UiState {
            notice,
            ..UiState::default()
        }
    });
    let force = use_force_update();
    let canvas = use_node_ref();
    let painter = (*use_memo((), |_| Shared::new(Painter::default()))).clone();

    // The ways panels change things, made once: they are stable for the App's life.
    let changed = (*use_memo((), {
        let engine = engine.clone();
        let force = force.clone();
        move |_| {
            Callback::from(move |_: ()| {
                engine.borrow_mut().touch();
                force.force_update();
            })
        }
    }))
    .clone();
    let act = (*use_memo((), {
        let engine = engine.clone();
        let dispatch = ui.dispatcher();
        let changed = changed.clone();
        move |_| {
            Callback::from(move |action: Action| {
                let result = engine.borrow_mut().apply(action);
                if let Err(e) = result {
                    dispatch.dispatch(UiAction::Refused(format!("{} {e}", text::REFUSED)));
                }
                changed.emit(());
            })
        }
    }))
    .clone();
    let restart = (*use_memo((), {
        let engine = engine.clone();
        let dispatch = ui.dispatcher();
        let changed = changed.clone();
        move |_| {
            Callback::from(move |scenario: Scenario| {
                let result = engine.borrow_mut().replace(&scenario);
                match result {
                    Ok(()) => dispatch.dispatch(UiAction::NewRun),
                    Err(e) => dispatch
                        .dispatch(UiAction::Refused(format!("{} {e}", text::SCENARIO_REFUSED))),
                }
                changed.emit(());
            })
        }
    }))
    .clone();

    // SPEC U9: prefers-reduced-motion means counts instead of moving dots.
    use_effect_with((), {
        let engine = engine.clone();
        let changed = changed.clone();
        move |_| {
            if prefers_reduced_motion() {
                engine.borrow_mut().counts_only = true;
                changed.emit(());
            }
        }
    });
    // The inspected request is drawn highlighted.
    use_effect_with(ui.selected, {
        let engine = engine.clone();
        move |selected| engine.borrow_mut().selected = *selected
    });
    // Keyboard shortcuts: Space plays or pauses, "." steps, "[" and "]" halve and double the
    // speed, Escape closes the menu or stops picking a request.
    use_effect_with((), {
        let engine = engine.clone();
        let changed = changed.clone();
        let dispatch = ui.dispatcher();
        move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "keydown", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if e.ctrl_key() || e.meta_key() || e.alt_key() {
                        return;
                    }
                    if e.key() == "Escape" {
                        dispatch.dispatch(UiAction::CloseMenu);
                        dispatch.dispatch(UiAction::Picking(false));
                        return;
                    }
                    if typed_into_a_control(e) {
                        return;
                    }
                    {
                        let mut en = engine.borrow_mut();
                        match e.key().as_str() {
                            " " => {
                                let on = !en.playing();
                                en.set_playing(on);
                            }
                            "." => {
                                en.step();
                            }
                            "]" => {
                                let s = en.speed() * 2.0;
                                en.set_speed(s);
                            }
                            "[" => {
                                let s = en.speed() / 2.0;
                                en.set_speed(s);
                            }
                            _ => return,
                        }
                    }
                    e.prevent_default();
                    changed.emit(());
                })
            });
            move || drop(listener)
        }
    });

    // The one animation-frame loop: advance, draw the dots, and re-render Yew when due.
    use_animation_frame({
        let engine = engine.clone();
        let canvas = canvas.clone();
        let painter = painter.clone();
        let force = force.clone();
        move |ts| {
            let due = {
                let mut e = engine.borrow_mut();
                e.frame(ts);
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    painter.borrow_mut().paint(&c, &e);
                }
                e.ui_due(ts)
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
    };
    let (live, tick, version, written, second, generation, counts_only, in_flight, name, about) = {
        let e = engine.borrow();
        (
            Rc::new(LiveView::of(&e)),
            e.ui_tick(),
            e.snap.version,
            e.world().log.written,
            e.now().0 / 1_000_000,
            e.generation(),
            e.counts_only,
            e.snap.flights.len(),
            e.scenario().name.clone(),
            e.scenario().description.clone(),
        )
    };
    let dismiss = {
        let dispatch = ui.dispatcher();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(UiAction::Dismiss))
    };
    html! {
        <ContextProvider<Ctx> context={ctx}>
            <div class="app">
                <a class="skip" href="#diagram">{ text::SKIP_TO_DIAGRAM }</a>
                <header class="masthead">
                    <div class="title">
                        <h1>{ text::TITLE }</h1>
                        <p class="scenario">
                            <span class="scenario-name">{ name }</span>
                            { " " }
                            { about }
                        </p>
                    </div>
                    <Controls tick={tick} />
                </header>
                <div class="notice-slot" role="alert">
                    if let Some(notice) = &ui.notice {
                        <div class="notice" data-notice="">
                            <span>{ notice }</span>
                            <button type="button" onclick={dismiss}>{ text::DISMISS }</button>
                        </div>
                    }
                </div>
                <main class="workspace">
                    <Stage live={live} canvas={canvas} painter={painter}
                           in_flight={in_flight} counts_only={counts_only} />
                    <div class="below">
                        <Panels tick={tick} version={version} second={second}
                                generation={generation} counts_only={counts_only} />
                        <LogPanel written={written} generation={generation} />
                    </div>
                </main>
            </div>
        </ContextProvider<Ctx>>
    }
}
