//! The database panel: each MySQL server as `SHOW REPLICA STATUS` would show it (role, `read_only`,
//! `Replica_IO_Running`, `Replica_SQL_Running`, `Seconds_Behind_Source` with the true sub-second
//! lag apart, as docs/model.md's "MySQL replication" says, the executed GTIDs), the `users` rows on
//! each server side by side with the missing and stale ones marked, and the transactions lost in a
//! failover, listed.

use foobar_sim::snapshot::DbView;
use foobar_sim::world::DbRole;
use yew::prelude::*;

use crate::state::Ctx;
use crate::text;

/// Rows shown side by side: the ones that differ first.
const ROWS_SHOWN: usize = 24;
/// Lost transactions listed (the count is always exact).
const LOST_SHOWN: usize = 20;

/// How one server's copy of a row compares with the writer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowMark {
    Same(u64),
    Stale(u64),
    Missing,
    /// Newer than the writer's: only it has that write (split brain, or a lost transaction).
    Ahead(u64),
}

/// The `users` rows of every server side by side: (row, one mark per server). The reference is
/// the server the apps write to, or the newest version anywhere when none is.
pub fn compare_rows(dbs: &[DbView]) -> Vec<(u16, Vec<RowMark>)> {
    // Each server's rows are in order already: merged by insertion, with no sort (whose
    // code the page would carry for this alone).
    let mut ids: Vec<u16> = Vec::new();
    for &(r, _) in dbs.iter().flat_map(|d| &d.rows) {
        if let Err(at) = ids.binary_search(&r) {
            ids.insert(at, r);
        }
    }
    let version = |d: &DbView, row: u16| {
        d.rows
            .binary_search_by_key(&row, |&(r, _)| r)
            .ok()
            .map(|i| d.rows[i].1)
    };
    let writer = dbs.iter().position(|d| d.is_writer);
    ids.into_iter()
        .map(|row| {
            let reference = match writer {
                Some(w) => version(&dbs[w], row),
                None => dbs.iter().filter_map(|d| version(d, row)).max(),
            };
            let marks = dbs
                .iter()
                .map(|d| match (version(d, row), reference) {
                    (None, _) => RowMark::Missing,
                    (Some(v), Some(r)) if v < r => RowMark::Stale(v),
                    (Some(v), Some(r)) if v > r => RowMark::Ahead(v),
                    (Some(v), None) => RowMark::Ahead(v),
                    (Some(v), _) => RowMark::Same(v),
                })
                .collect();
            (row, marks)
        })
        .collect()
}

fn differs(marks: &[RowMark]) -> bool {
    marks.iter().any(|m| !matches!(m, RowMark::Same(_)))
}

/// The database tab, drawn each time the tabs are: a plain function of the context, not a
/// component (each component type adds to the page's size).
pub fn database_panel(ctx: &Ctx) -> Html {
    let e = ctx.engine.borrow();
    let t = e.topology();
    let dbs = &e.snap.dbs;
    let name = |d: &DbView| t.node(d.node).name.clone();
    // One column per server, as `SHOW REPLICA STATUS\G` prints one field per line.
    let cell = |d: &DbView, field: usize| -> Html {
        let replica = d.role != DbRole::Primary;
        let dash = || html! { "—" };
        match field {
            0 => html! {
                <>
                    { text::db_role(d.role, d.read_only) }
                    if d.is_writer { <strong>{ text::db_writer() }</strong> }
                    if d.role == DbRole::OldPrimary { <em>{ text::db_demoted() }</em> }
                </>
            },
            1 => {
                let state = e
                    .snap
                    .nodes
                    .get(d.node.index())
                    .map_or(foobar_sim::world::Condition::Up, |n| n.effective);
                html! { text::state_badge(state, 1.0) }
            }
            2 if replica => html! { d.io.as_str() },
            3 if replica => html! { { if d.sql_running { "Yes" } else { "No" } } },
            4 if replica => match d.seconds_behind_source {
                Some(s) => html! { s },
                None => html! { "NULL" },
            },
            // MySQL shows NULL while the receiver is not connected: say so, not "0 s".
            5 if replica => match d.lag_us {
                Some(us) => html! { text::seconds(&crate::i18n::fixed(us as f64 / 1e6, 2)) },
                None => html! { text::not_connected() },
            },
            6 => html! { <code class="gtid">{ d.gtid_executed.text() }</code> },
            _ => dash(),
        }
    };
    let fields = text::DB_FIELDS
        .iter()
        .enumerate()
        .map(|(i, (friendly, option))| {
            html! {
                <tr>
                    <th scope="row">{ crate::i18n::get(*friendly) }{ " " }<code>{ *option }</code></th>
                    { for dbs.iter().map(|d| html! { <td>{ cell(d, i) }</td> }) }
                </tr>
            }
        });
    let rows = compare_rows(dbs);
    let differing = rows.iter().filter(|(_, m)| differs(m)).count();
    let shown = rows
        .iter()
        .filter(|(_, m)| differs(m))
        .chain(rows.iter().filter(|(_, m)| !differs(m)).rev())
        .take(ROWS_SHOWN)
        .map(|(row, marks)| {
            html! {
                <tr>
                    <th scope="row">{ format!("users #{row}") }</th>
                    { for marks.iter().map(|m| {
                        let (mark, words) = match *m {
                            RowMark::Same(v) => ("same", format!("v{v}")),
                            RowMark::Stale(v) => ("stale", format!("v{v} {}", text::row_stale())),
                            RowMark::Ahead(v) => ("ahead", format!("v{v} {}", text::row_ahead())),
                            RowMark::Missing => ("missing", text::row_missing().to_string()),
                        };
                        html! { <td data-row={mark}>{ words }</td> }
                    }) }
                </tr>
            }
        });
    let repl = e.lab().replication();
    let lost = (repl.lost_count > 0).then(|| {
        html! {
            <div class="lost" data-lost={repl.lost_count.to_string()}>
                <h3>{ text::lost_title(repl.lost_count) }</h3>
                <ul>
                    { for repl.lost.iter().take(LOST_SHOWN).map(|g| html! { <li><code>{ g.text() }</code></li> }) }
                </ul>
            </div>
        }
    });
    html! {
        <div class="database">
            <div class="scroll-x">
                <table class="dbs">
                    <caption>{ text::db_caption() }</caption>
                    <thead><tr>
                        <td></td>
                        { for dbs.iter().map(|d| html! {
                            <th scope="col" data-db={name(d)}>{ name(d) }</th>
                        }) }
                    </tr></thead>
                    <tbody>{ for fields }</tbody>
                </table>
            </div>
            if repl.split_brain { <p class="alarm">{ text::split_brain() }</p> }
            { for lost }
            if !rows.is_empty() {
                <table class="rows">
                    <caption>{ text::rows_caption(rows.len(), differing) }</caption>
                    <thead><tr>
                        <th scope="col">{ text::row() }</th>
                        { for dbs.iter().map(|d| html! { <th scope="col">{ name(d) }</th> }) }
                    </tr></thead>
                    <tbody>{ for shown }</tbody>
                </table>
            }
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use foobar_sim::scenario::FaultKind;
    use foobar_sim::{Action, SimTime};

    /// Rows side by side, a replica's missing and stale rows marked against the
    /// writer's.
    #[test]
    fn rows_compare_against_the_writer() {
        let mut e = Engine::new(&Engine::classroom_default()).unwrap();
        e.apply(Action::Rate { rate: 200.0 }).unwrap();
        e.apply(Action::Fault {
            target: "web-01--web-02".into(),
            fault: FaultKind::Partition,
        })
        .unwrap();
        e.set_speed(20.0);
        e.frame(0.0);
        e.frame(1000.0);
        assert_eq!(e.now(), SimTime(20_000_000));
        let rows = compare_rows(&e.snap.dbs);
        assert!(!rows.is_empty(), "writes made rows");
        let writer = e.snap.dbs.iter().position(|d| d.is_writer).unwrap();
        assert!(rows
            .iter()
            .all(|(_, m)| matches!(m[writer], RowMark::Same(_))));
        assert!(
            rows.iter().any(|(_, m)| m
                .iter()
                .any(|x| matches!(x, RowMark::Missing | RowMark::Stale(_)))),
            "a cut-off replica falls behind"
        );
    }
}
