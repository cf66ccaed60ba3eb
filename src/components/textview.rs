//! The text view: the whole topology as tables, every node and link with its state
//! and a button to break or restore it, for screen readers and for anyone who prefers words.

use foobar_sim::scenario::FaultKind;
use foobar_sim::world::{Condition, LinkCondition};
use foobar_sim::Action;
use yew::prelude::*;

use crate::components::table::{cells, head};
use crate::state::{click_act, Ctx};
use crate::text;

/// The text view tab, drawn each time the tabs are: a plain function of the context, not a
/// component (each component type adds to the page's size).
pub fn text_view(ctx: &Ctx) -> Html {
    let e = ctx.engine.borrow();
    let t = e.topology();
    // The same action as a click on the diagram (Engine::toggle, toggle_link).
    let toggle = |action: Action| {
        let Action::Fault { target, fault } = &action else {
            return html! {};
        };
        let words = match (fault, t.link_by_name(target).is_some()) {
            (FaultKind::Restore, false) => text::restore(),
            (FaultKind::Restore, true) => text::repair_link(),
            (_, false) => text::crash_short(),
            (_, true) => text::cut_short(),
        };
        // "Crash" alone is ambiguous in a table read aloud: the label names the node.
        let label = format!("{words} {target}");
        let onclick = click_act(&ctx.act, action);
        html! { <button type="button" aria-label={label} {onclick}>{ words }</button> }
    };
    let nodes = t.nodes.iter().enumerate().map(|(i, n)| {
        let v = e.snap.nodes.get(i);
        let own = v.map_or(Condition::Up, |v| v.own);
        let eff = v.map_or(Condition::Up, |v| v.effective);
        let server = e.snap.servers.iter().find(|s| s.host.index() == i);
        let on = n.host.map(|h| t.node(h).name.clone()).unwrap_or_default();
        let action = e
            .toggle(foobar_sim::NodeId(i as u16))
            .map(toggle)
            .unwrap_or_default();
        html! {
            <tr>
                <th scope="row">{ &n.name }</th>
                { cells(vec![
                    text::node_kind(n.kind).0.into(),
                    on.into(),
                    text::state_words(own).into(),
                    text::state_words(eff).into(),
                    server.map(|s| s.status.to_string()).unwrap_or_default().into(),
                    server.map(|s| s.served.to_string()).unwrap_or_default().into(),
                    action,
                ]) }
            </tr>
        }
    });
    let links = t.links.iter().enumerate().map(|(i, l)| {
        let state = e.snap.links.get(i).map_or(LinkCondition::Up, |v| v.state);
        html! {
            <tr>
                <th scope="row">{ &l.name }</th>
                { cells(vec![
                    text::link_carries(l.role).into(),
                    text::link_words(state).into(),
                    toggle(e.toggle_link(foobar_sim::LinkId(i as u16))),
                ]) }
            </tr>
        }
    });
    html! {
        <div class="text-view">
            <table>
                <caption>{ text::text_nodes() }</caption>
                { head(&[
                    text::text_name(),
                    text::text_kind(),
                    text::text_on(),
                    text::text_state(),
                    text::text_effective(),
                    text::text_haproxy(),
                    text::text_served(),
                    text::text_actions(),
                ]) }
                <tbody>{ for nodes }</tbody>
            </table>
            <table>
                <caption>{ text::text_links() }</caption>
                { head(&[text::text_name(), text::text_carries(), text::text_state(), text::text_actions()]) }
                <tbody>{ for links }</tbody>
            </table>
        </div>
    }
}
