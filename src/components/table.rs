//! Table pieces the panels share: a header row of column names, and a row's plain cells.
//! One function each, not one `html!` per cell: every element written out is code in the
//! page.

use yew::prelude::*;

/// A `<thead>` of one row: a column header per name.
pub fn head(names: &[&'static str]) -> Html {
    html! {
        <thead><tr>
            { for names.iter().map(|n| html! { <th scope="col">{ *n }</th> }) }
        </tr></thead>
    }
}

/// A `<td>` per value, in order.
pub fn cells(values: Vec<Html>) -> Html {
    values
        .into_iter()
        .map(|v| html! { <td>{ v }</td> })
        .collect()
}
