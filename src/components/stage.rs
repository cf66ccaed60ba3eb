//! The stage: the SVG diagram with the canvas of request dots over it, the node menu, and
//! the legend that says what the dots' shapes and colours mean.

use std::rc::Rc;

use foobar_sim::{LinkId, NodeId};
use yew::prelude::*;

use crate::components::diagram::{element_corner, Diagram, LiveView};
use crate::components::menu::node_menu;
use crate::draw::{Painter, Shape, Tint};
use crate::hooks::use_focus;
use crate::state::{click_ui, Ctx, Menu, Shared, UiAction};
use crate::text;

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub ctx: Ctx,
    pub live: Rc<LiveView>,
    pub canvas: NodeRef,
    pub painter: Shared<Painter>,
    pub in_flight: usize,
    pub counts_only: bool,
    /// The node the open lesson's step is about.
    #[prop_or_default]
    pub highlight: Option<NodeId>,
    /// Numbered for keys 1–9 (presenter mode).
    #[prop_or_default]
    pub numbers: Rc<Vec<NodeId>>,
    /// The language in force: the stage is drawn again in another.
    #[prop_or_default]
    pub lang: crate::i18n::Lang,
}

/// Where a menu opens inside the stage, kept inside it.
const MENU_W: f64 = 330.0;

#[component]
pub fn Stage(props: &StageProps) -> Html {
    let ctx = props.ctx.clone();
    let stage_ref = use_node_ref();
    // The node menu's first item takes the focus when the menu opens.
    let menu_ref = use_node_ref();
    use_focus(
        ctx.ui.menu.map(|m| m.node.0.to_string()),
        menu_ref.clone(),
        "[role=menuitem]",
    );
    let (topology, layout) = {
        let e = ctx.engine.borrow();
        (e.topology().clone(), e.layout().clone())
    };
    // Presenter mode: the height the words need to be at their own size (layout.rs).
    let need = (layout.need > 0.0).then(|| format!("--need:{}px", layout.need.ceil() as u32));
    let dispatch = ctx.ui.dispatcher();
    // The diagram's handlers, made once: everything they use lasts the Stage's life. One
    // memo for the three.
    let handlers = use_memo((), {
        let (dispatch, stage_ref) = (dispatch.clone(), stage_ref.clone());
        let (engine, act) = (ctx.engine.clone(), ctx.act.clone());
        move |_| {
            let on_menu = {
                let stage_ref = stage_ref.clone();
                Callback::from(move |(node, x, y): (NodeId, f64, f64)| {
                    let (sx, sy, sw, sb) = stage_ref
                        .cast::<web_sys::Element>()
                        .map(|s| {
                            let r = s.get_bounding_client_rect();
                            (r.left(), r.top(), r.width(), r.bottom())
                        })
                        .unwrap_or((0.0, 0.0, 1000.0, 1000.0));
                    let view_h = web_sys::window()
                        .and_then(|w| w.inner_height().ok())
                        .and_then(|h| h.as_f64())
                        .unwrap_or(800.0);
                    let x = (x - sx).clamp(0.0, (sw - MENU_W).max(0.0));
                    // Low in the window: it opens upwards, so it stays in view.
                    let up = y > view_h * 0.55;
                    let y = if up {
                        (sb - y).max(0.0)
                    } else {
                        (y - sy).max(0.0)
                    };
                    dispatch.dispatch(UiAction::OpenMenu(Menu { node, x, y, up }));
                })
            };
            let on_toggle = {
                let (engine, act, on_menu) = (engine.clone(), act.clone(), on_menu.clone());
                Callback::from(move |node: NodeId| {
                    let action = engine.borrow().toggle(node);
                    match action {
                        Some(action) => act.emit(action),
                        None => {
                            // Users cannot break; their menu sends requests instead.
                            let el = stage_ref.cast::<web_sys::Element>().and_then(|s| {
                                s.query_selector(&format!("[data-node-id=\"{}\"]", node.0))
                                    .ok()
                                    .flatten()
                            });
                            let (x, y) = el.map_or((0.0, 0.0), |el| element_corner(&el));
                            on_menu.emit((node, x, y));
                        }
                    }
                })
            };
            let on_link = Callback::from(move |link: LinkId| {
                let action = engine.borrow().toggle_link(link);
                act.emit(action);
            });
            (on_menu, on_toggle, on_link)
        }
    });
    let (on_menu, on_toggle, on_link) = (*handlers).clone();
    let picking = ctx.ui.picking;
    let on_canvas_click = {
        let painter = props.painter.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            let picked = painter
                .borrow()
                .pick(e.offset_x() as f64, e.offset_y() as f64);
            if let Some(req) = picked {
                dispatch.dispatch(UiAction::Inspect(req));
            }
        })
    };
    let toggle_pick = click_ui(&dispatch, UiAction::Picking(!picking));
    let menu = ctx.ui.menu.map(|m| node_menu(&ctx, &m, &menu_ref));
    let legend_item = |shape: Shape, tint: Tint, words: &'static str| {
        html! {
            <li class="legend-item">{ glyph(shape, tint) }{ words }</li>
        }
    };
    html! {
        <section class="stage" ref={stage_ref} aria-label={text::diagram_label()}>
            <div class="stage-figure" id="diagram" style={need}>
                <Diagram topology={topology} layout={layout} live={props.live.clone()}
                         on_toggle={on_toggle} on_menu={on_menu} on_link={on_link}
                         highlight={props.highlight} numbers={props.numbers.clone()}
                         lang={props.lang} />
                <canvas class="dots" data-picking={picking.then_some("")}
                        ref={props.canvas.clone()} role="img" aria-label={text::canvas_label()}
                        data-in-flight={props.in_flight.to_string()}
                        onclick={on_canvas_click} />
            </div>
            // A slot of its own: Yew matches unkeyed children from the end, so a menu coming
            // and going beside the diagram would otherwise rebuild the diagram's elements.
            <div class="menu-slot">{ for menu }</div>
            <div class="stage-foot">
                <button type="button" class="pick" aria-pressed={text::flag(picking)}
                        title={text::pick_help()} onclick={toggle_pick}>
                    { if picking { text::picking() } else { text::pick() } }
                </button>
                <span class="in-flight">{ text::in_flight(props.in_flight) }</span>
                <span class="truth-note">{ text::truth_vs_haproxy() }</span>
                if props.counts_only {
                    <p class="legend">{ text::legend_counts() }</p>
                } else {
                    <ul class="legend" aria-label={text::legend()}>
                        { legend_item(Shape::Circle, Tint::Static, text::legend_static()) }
                        { legend_item(Shape::Square, Tint::Read, text::legend_read()) }
                        { legend_item(Shape::Triangle, Tint::Write, text::legend_write()) }
                        { legend_item(Shape::Square, Tint::Ok, text::legend_ok()) }
                        { legend_item(Shape::Triangle, Tint::Error, text::legend_error()) }
                        { legend_item(Shape::Square, Tint::Stale, text::legend_stale()) }
                        <li class="legend-item">
                            <svg class="glyph" width="16" height="16" viewBox="0 0 16 16"
                                 aria-hidden="true" fill={crate::draw::REPLICATION_TINT}>
                                <path d="M8 2L14 8L8 14L2 8z" />
                            </svg>
                            { text::legend_replication() }
                        </li>
                        <li class="legend-item">
                            <span class="crowd-glyph" aria-hidden="true">{ "12" }</span>
                            { text::legend_crowd() }
                        </li>
                    </ul>
                }
            </div>
        </section>
    }
}

/// A dot's shape and colour, as the canvas draws it, for the legend.
pub fn glyph(shape: Shape, tint: Tint) -> Html {
    let body = match shape {
        Shape::Circle => html! { <circle cx="8" cy="8" r="6" /> },
        Shape::Square => html! { <rect x="2.5" y="2.5" width="11" height="11" /> },
        Shape::Triangle => html! { <path d="M8 1.5L14.5 13.5H1.5z" /> },
    };
    // Errors and stale reads drawn heavier, as on the canvas.
    let loud = crate::draw::emphasised(tint).then_some("");
    html! {
        <svg class="glyph" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"
             fill={tint.colour()} data-loud={loud}>
            { body }
        </svg>
    }
}
