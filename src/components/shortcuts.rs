//! The `?` overlay: every keyboard shortcut, and which node each of keys 1–9
//! breaks and restores in the design shown.

use yew::prelude::*;

use crate::classroom::numbered;
use crate::i18n::get;
use crate::state::{click_ui, Ctx, UiAction};
use crate::text;

/// The shortcuts dialog, its element held by `root` (the App moves the focus into it when it
/// opens): a plain function, not a component (each component type adds to the
/// page's size).
pub fn shortcuts_dialog(ctx: &Ctx, root: &NodeRef) -> Html {
    let names: Vec<String> = {
        let e = ctx.engine.borrow();
        let t = e.topology();
        numbered(t)
            .iter()
            .map(|&n| t.node(n).name.clone())
            .collect()
    };
    let close = click_ui(&ctx.ui.dispatcher(), UiAction::Dialog(None));
    let stop = Callback::from(|e: MouseEvent| e.stop_propagation());
    html! {
        <div class="dialog-backdrop" onclick={close.clone()}>
            <div class="dialog shortcuts" role="dialog" aria-modal="true"
                 aria-labelledby="shortcuts-title" onclick={stop} data-dialog="shortcuts"
                 ref={root.clone()}>
                <header>
                    <h2 id="shortcuts-title">{ text::shortcuts() }</h2>
                    <button type="button" class="close" onclick={close}>{ text::close() }</button>
                </header>
                <table class="keys">
                    <tbody>
                        { for text::SHORTCUT_LIST.iter().map(|(k, what)| html! {
                            <tr><th scope="row"><kbd>{ get(*k) }</kbd></th><td>{ get(*what) }</td></tr>
                        }) }
                    </tbody>
                </table>
                <p class="numbered-title">{ text::numbered() }</p>
                <ol class="numbered">
                    { for names.iter().map(|n| html! { <li><code>{ n }</code></li> }) }
                </ol>
            </div>
        </div>
    }
}
