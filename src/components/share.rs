//! Share & export: the link to this moment, the live scenario as a JSON file
//! to download or open, and the design as real configuration: a Mermaid diagram, a
//! `haproxy.cfg`, an Nginx site and the MySQL statements for the replication shown, each
//! with copy and download. The exports are the core's (`foobar_sim::export`), made from the
//! live scenario, so settings changed on the page are in them.

use foobar_sim::export::{export, Format};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::classroom::{parse_scenario, scenario_file};
use crate::files;
use crate::robust::is_share_link;
use crate::state::{Ctx, UiAction};
use crate::text;

/// The share link in the address, if the page wrote one there.
fn link_in_address() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let body = hash.strip_prefix('#')?;
    is_share_link(body).then(|| body.to_string())
}

/// The Export tab, drawn each time the tabs are: a plain function, not a component (each
/// component type adds to the page's size). Sharing writes the address and says so in
/// the message bar, so the App draws it again with the new link.
pub fn share_panel(ctx: &Ctx) -> Html {
    let scenario = ctx.engine.borrow().scenario().clone();
    let share = ctx.share.reform(|_: MouseEvent| ());
    let link = link_in_address().unwrap_or_default();
    let select = Callback::from(|e: FocusEvent| {
        if let Some(i) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        {
            i.select();
        }
    });
    let open_file = {
        let restart = ctx.restart.clone();
        let dispatch = ctx.ui.dispatcher();
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            // The same file chosen again is a change too.
            input.set_value("");
            let restart = restart.clone();
            let dispatch = dispatch.clone();
            yew::platform::spawn_local(async move {
                match files::read(file).await.and_then(|b| parse_scenario(&b)) {
                    Ok(s) => {
                        // Said first: if the run cannot start, its refusal replaces it.
                        dispatch.dispatch(UiAction::Notice(text::scenario_opened(&s.name)));
                        restart.emit(s);
                    }
                    Err(why) => dispatch.dispatch(UiAction::Notice(text::bad_scenario_file(&why))),
                }
            });
        })
    };
    let scenario_json = files::pretty_json(&scenario_file(&scenario));
    let scenario_name = format!("{}.json", foobar_sim::plain::file_stem(&scenario.name));
    let exports = Format::ALL.iter().enumerate().map(|(i, &f)| {
        let body = export(&scenario, f);
        let copy = {
            let dispatch = ctx.ui.dispatcher();
            let body = body.clone();
            Callback::from(move |_: MouseEvent| {
                let dispatch = dispatch.clone();
                let body = body.clone();
                yew::platform::spawn_local(async move {
                    let ok = files::copy(&body).await;
                    dispatch.dispatch(UiAction::Copied(i, ok));
                });
            })
        };
        let said = match ctx.ui.copied {
            Some((at, ok)) if at == i => Some(if ok { text::copied() } else { text::not_copied() }),
            _ => None,
        };
        html! {
            <section class="export" data-export={f.name()}>
                <header>
                    <h4>{ text::export_title(f) }{ " " }<code>{ f.file_name() }</code></h4>
                    <button type="button" data-copy={f.name()} onclick={copy}>{ text::copy() }</button>
                    <a class="button" href={files::data_url(&body)} download={f.file_name()}
                       data-download={f.name()}>{ text::download() }</a>
                    if let Some(said) = said { <span class="said" role="status">{ said }</span> }
                </header>
                <pre tabindex="0">{ body }</pre>
            </section>
        }
    });
    html! {
        <div class="share">
            <section class="share-link">
                <h3>{ text::share_title() }</h3>
                <p class="note">{ text::share_help() }</p>
                <div class="row">
                    <button type="button" data-action="share" onclick={share}>
                        { text::share_link() }
                    </button>
                    <input type="text" readonly=true aria-label={text::link_label()}
                           value={link} data-share-link="" onfocus={select} />
                </div>
            </section>
            <section class="scenario-file">
                <h3>{ text::scenario_file() }</h3>
                <p class="note">{ text::scenario_file_help() }</p>
                <div class="row">
                    <a class="button" href={files::data_url(&scenario_json)}
                       download={scenario_name} data-download="scenario">
                        { text::download_scenario() }
                    </a>
                    <label class="button file">
                        { text::open_scenario() }
                        <input type="file" accept=".json,application/json"
                               data-open="scenario" onchange={open_file} />
                    </label>
                </div>
            </section>
            <section class="exports">
                <h3>{ text::exports() }</h3>
                <p class="note">{ text::exports_help() }</p>
                { for exports }
            </section>
        </div>
    }
}
