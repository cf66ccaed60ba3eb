//! The time controls: play, pause, step to the next event, the speed on a log scale
//! from 1/1000× to 100×, the timeline back to any earlier moment, and the timing preset.

use foobar_sim::num::{Dec, Fixed};
use foobar_sim::scenario::TimingPreset;
use foobar_sim::{Action, SimTime};
// The browser's own: Rust's `powf` and `log10` would add their code to the page.
use js_sys::Math;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::engine::{MAX_SPEED, MIN_SPEED};
use crate::state::{click_act, Ctx};
use crate::text;

fn input_value(e: &InputEvent) -> Option<f64> {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .and_then(|i| crate::number::parse_f64(&i.value()))
}

/// The time controls, drawn each time the App is: a plain function, not a component (each
/// component type adds to the page's size).
pub fn controls(ctx: &Ctx) -> Html {
    let (playing, speed, now, horizon, timing) = {
        let e = ctx.engine.borrow();
        (
            e.playing(),
            e.speed(),
            e.now(),
            e.horizon(),
            e.scenario().timing,
        )
    };
    let set_playing = |on: bool| {
        let engine = ctx.engine.clone();
        let changed = ctx.changed.clone();
        Callback::from(move |_: MouseEvent| {
            engine.borrow_mut().set_playing(on);
            changed.emit(());
        })
    };
    let step = {
        let engine = ctx.engine.clone();
        let changed = ctx.changed.clone();
        Callback::from(move |_: MouseEvent| {
            engine.borrow_mut().step();
            changed.emit(());
        })
    };
    let on_speed = {
        let engine = ctx.engine.clone();
        let changed = ctx.changed.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                engine.borrow_mut().set_speed(Math::pow(10.0, v));
                changed.emit(());
            }
        })
    };
    let on_seek = {
        let engine = ctx.engine.clone();
        let changed = ctx.changed.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(ms) = input_value(&e) {
                engine
                    .borrow_mut()
                    .seek(SimTime((ms.max(0.0) * 1000.0) as u64));
                changed.emit(());
            }
        })
    };
    let timing_button = |preset: TimingPreset| {
        let act = ctx.act.clone();
        let mut spec = timing;
        spec.preset = preset;
        let pressed = timing.preset == preset;
        let onclick = click_act(&act, Action::Timing { spec });
        html! {
            <button type="button" class="seg" aria-pressed={text::flag(pressed)}
                    data-timing={preset.as_str()} {onclick}>
                { text::timing_preset(preset) }
            </button>
        }
    };
    let log_speed = Fixed(Math::log10(speed), 2).to_string();
    let horizon_ms = (horizon.0 / 1000).max(1);
    html! {
        <div class="controls" role="toolbar" aria-label={text::time_controls()}>
            <div class="control-group">
                <button type="button" class="play" data-action="play"
                        aria-pressed={text::flag(playing)} title={text::play_help()}
                        onclick={set_playing(true)}>{ text::play() }</button>
                <button type="button" class="pause" data-action="pause"
                        aria-pressed={text::flag(!playing)} title={text::pause_help()}
                        onclick={set_playing(false)}>{ text::pause() }</button>
                <button type="button" data-action="step" title={text::step_help()}
                        onclick={step}>{ text::step() }</button>
            </div>
            <label class="control-group speed" title={text::speed_help()}>
                <span>{ text::speed() }</span>
                <input type="range" min={Dec(Math::log10(MIN_SPEED)).to_string()}
                       max={Dec(Math::log10(MAX_SPEED)).to_string()} step="0.05"
                       value={log_speed} aria-valuetext={text::speed_value(speed)}
                       data-control="speed" oninput={on_speed} />
                <output class="speed-value">{ text::speed_value(speed) }</output>
            </label>
            <label class="control-group timeline" title={text::timeline_help()}>
                <span>{ text::timeline() }</span>
                <input type="range" min="0" max={horizon_ms.to_string()} step="1"
                       value={(now.0 / 1000).to_string()}
                       aria-valuetext={text::clock(now.0)} data-control="timeline"
                       oninput={on_seek} />
                <output class="clock" data-now-us={now.0.to_string()}>
                    { text::clock_of(now.0, horizon.0) }
                </output>
            </label>
            <div class="control-group timing" role="group" aria-label={text::timing()}
                 title={text::timing_help()}>
                <span>{ text::timing() }</span>
                { timing_button(TimingPreset::Classroom) }
                { timing_button(TimingPreset::Realistic) }
            </div>
        </div>
    }
}
