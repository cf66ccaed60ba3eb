//! Lessons: the picker, grouped by topic, and the panel of the lesson
//! open: its introduction and prediction question first, then its steps one by one (the
//! step's node highlighted on the diagram), the goal and what the lab sees while the check is
//! unmet, and once it passes, why, and whether the prediction was right. Every word of a
//! lesson comes from the language's file, `lang/<code>.json`.

use foobar_sim::lesson::Lesson;
use yew::prelude::*;

use crate::classroom::Guess;
use crate::narration;
use crate::state::{click_ui, Book, Ctx, LessonCmd, UiAction};
use crate::text;

/// Moves the focus among the picker's lessons with the arrow keys, Home and End.
fn arrow_keys(e: &KeyboardEvent, root: &NodeRef) {
    if let Some(root) = root.cast::<web_sys::Element>() {
        crate::keys::move_focus(&crate::keys::focusable(&root, "button[data-lesson-id]"), e);
    }
}

/// The lesson picker dialog, its element held by `root` (the App moves the focus into it
/// when it opens): a plain function, not a component (each component type adds to the
/// page's size).
pub fn lesson_picker(ctx: &Ctx, root: &NodeRef) -> Html {
    let open_id = ctx
        .engine
        .borrow()
        .lesson
        .as_ref()
        .map(|l| l.lesson.id.clone());
    let close = click_ui(&ctx.ui.dispatcher(), UiAction::Dialog(None));
    let body = match &ctx.book {
        Book::Loading => html! { <p class="note">{ text::lessons_loading() }</p> },
        Book::Failed(why) => html! { <p class="note">{ text::lessons_failed(why) }</p> },
        Book::Ready(lessons) => {
            // Topics in the book's order, each with its lessons.
            let mut topics: Vec<(&str, Vec<&Lesson>)> = Vec::new();
            for l in lessons.iter() {
                match topics.iter_mut().find(|(t, _)| *t == l.topic) {
                    Some((_, list)) => list.push(l),
                    None => topics.push((&l.topic, vec![l])),
                }
            }
            let item = |l: &Lesson| {
                let open = ctx.open_lesson.clone();
                let id = l.id.clone();
                let onclick = Callback::from(move |_: MouseEvent| open.emit(id.clone()));
                let here = open_id.as_deref() == Some(l.id.as_str());
                html! {
                    <li>
                        <button type="button" data-lesson-id={l.id.clone()}
                                data-open={here.then_some("")} {onclick}>
                            { &l.title }
                            if here { <span class="tag">{ text::open_now() }</span> }
                        </button>
                    </li>
                }
            };
            html! {
                <div class="topics">
                    { for topics.iter().map(|(topic, list)| html! {
                        <section class="topic">
                            <h3>{ *topic }</h3>
                            <ul>{ for list.iter().map(|l| item(l)) }</ul>
                        </section>
                    }) }
                </div>
            }
        }
    };
    let onkeydown = {
        let root = root.clone();
        Callback::from(move |e: KeyboardEvent| arrow_keys(&e, &root))
    };
    html! {
        <div class="dialog-backdrop" onclick={close.clone()}>
            <div class="dialog picker" role="dialog" aria-modal="true"
                 aria-labelledby="picker-title" ref={root.clone()} {onkeydown}
                 onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <header>
                    <h2 id="picker-title">{ text::lessons() }</h2>
                    <button type="button" class="close" onclick={close}>{ text::close() }</button>
                </header>
                <p class="note">{ text::picker_help() }</p>
                { body }
            </div>
        </div>
    }
}

/// What the lesson panel's question is, while it asks one: the App moves the focus to its
/// first choice then (`use_focus`), so a keyboard answers at once.
pub fn asking(ctx: &Ctx) -> Option<String> {
    let e = ctx.engine.borrow();
    let run = e.lesson.as_ref().filter(|r| r.asking())?;
    Some(run.lesson.id.clone())
}

/// The lesson in progress, drawn each time the App is: a plain function of the context, not a
/// component (each component type adds to the page's size). `root` is its section.
pub fn lesson_panel(ctx: &Ctx, root: &NodeRef) -> Html {
    let e = ctx.engine.borrow();
    let Some(run) = e.lesson.as_ref() else {
        return html! {};
    };
    let l = &*run.lesson;
    let cmd = |c: LessonCmd| {
        let lesson = ctx.lesson.clone();
        Callback::from(move |_: MouseEvent| lesson.emit(c))
    };
    // A step's or the result's button: `data-lesson-cmd` names what it asks for.
    let cmd_button = |c: LessonCmd, name: &'static str, words: &'static str| {
        html! { <button type="button" data-lesson-cmd={name} onclick={cmd(c)}>{ words }</button> }
    };
    let (number, total) = match &ctx.book {
        Book::Ready(all) => (
            all.iter().position(|x| x.id == l.id).map_or(0, |i| i + 1),
            all.len(),
        ),
        _ => (0, 0),
    };
    let pending = run.asking();
    let state = if run.passed() {
        "passed"
    } else if pending {
        "predict"
    } else {
        "steps"
    };
    let head = html! {
        <header class="lesson-head">
            <p class="lesson-topic">
                { text::lesson() }
                if number > 0 { { format!(" {number}/{total}") } }
                { " · " }{ &l.topic }
            </p>
            <h2>{ &l.title }</h2>
            <button type="button" class="close" data-lesson-cmd="close"
                    onclick={cmd(LessonCmd::Close)}>{ text::close_lesson() }</button>
        </header>
    };
    let body = if pending {
        let choices = l.predict.choices.iter().enumerate().map(|(i, c)| {
            html! {
                <li>
                    <button type="button" data-choice={i.to_string()}
                            onclick={cmd(LessonCmd::Predict(i))}>{ c }</button>
                </li>
            }
        });
        html! {
            <>
                <p class="intro">{ &l.intro }</p>
                <fieldset class="predict">
                    <legend>{ text::predict() }{ ": " }{ &l.predict.question }</legend>
                    <ol class="choices">{ for choices }</ol>
                    <p class="note">{ text::predict_waits() }</p>
                </fieldset>
            </>
        }
    } else if run.passed() {
        let choice = |i: usize| l.predict.choices.get(i).map_or("", String::as_str);
        let answer = choice(l.predict.answer);
        let (class, words) = match run.guess {
            Guess::Chose(c) if c == l.predict.answer => ("right", text::predicted_right(answer)),
            Guess::Chose(c) => ("wrong", text::predicted_wrong(choice(c), answer)),
            _ => ("none", text::predicted_none(answer)),
        };
        let next = matches!(&ctx.book, Book::Ready(all) if number < all.len());
        html! {
            <div class="result">
                <p class="passed" role="status">
                    <strong>{ text::passed() }</strong>{ " " }{ narration::seen(&run.verdict.seen) }
                </p>
                <p class="prediction" data-prediction={class}>{ words }</p>
                <p class="explain"><strong>{ text::why() }</strong>{ " " }{ &l.explain }</p>
                <p class="buttons">
                    if next { { cmd_button(LessonCmd::Following, "following", text::next_lesson()) } }
                    { cmd_button(LessonCmd::Again, "again", text::again()) }
                </p>
            </div>
        }
    } else {
        let n = l.steps.len();
        let steps = l.steps.iter().enumerate().map(|(i, s)| {
            let step = match i.cmp(&run.step) {
                std::cmp::Ordering::Less => "done",
                std::cmp::Ordering::Equal => "current",
                std::cmp::Ordering::Greater => "later",
            };
            html! {
                <li data-progress={step} aria-current={(step == "current").then_some("step")}>
                    { &s.text }
                </li>
            }
        });
        let current = run.current_step().map(|s| {
            let watched = run.watched(e.now()).map(|(s, of)| {
                html! { <span class="watching">{ text::watching(s, of) }</span> }
            });
            let to_set = run.still_to_set(e.lab());
            let to_set = (!to_set.is_empty()).then(|| {
                html! {
                    <p class="to-set">{ text::still_to_set() }
                        { for to_set.iter().map(|(k, v)| html! {
                            <>{ " " }<code>{ format!("{k} = {v}") }</code></>
                        }) }
                    </p>
                }
            });
            let where_ = s
                .highlight
                .as_ref()
                .map(|h| html! { <span class="where">{ text::outlined(h) }</span> });
            html! {
                <div class="step-now">
                    <p class="step-count">{ text::step_of(run.step + 1, n) }{ for where_ }</p>
                    { for to_set }
                    <p class="buttons">
                        if s.action.is_some() { { cmd_button(LessonCmd::DoStep, "do", text::do_step()) } }
                        { cmd_button(LessonCmd::Next, "next", text::next_step()) }
                        { for watched }
                    </p>
                </div>
            }
        });
        html! {
            <div class="doing">
                <div class="todo">
                    <ol class="steps">{ for steps }</ol>
                    { current.unwrap_or_else(|| html! { <p class="note">{ text::steps_done() }</p> }) }
                </div>
                <div class="lesson-status">
                    <p class="goal"><strong>{ text::goal() }</strong>{ " " }{ &l.goal }</p>
                    <p class="seen">
                        <strong>{ text::seen() }</strong>{ " " }{ narration::seen(&run.verdict.seen) }
                    </p>
                </div>
            </div>
        }
    };
    html! {
        <section class="lesson panel-lesson" aria-label={text::lesson()} ref={root.clone()}
                 data-lesson={l.id.clone()} data-lesson-state={state}
                 data-step={run.step.to_string()}>
            { head }
            { body }
        </section>
    }
}
