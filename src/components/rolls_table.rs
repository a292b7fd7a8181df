//! The rolls table: one row per roll whose option is held in the dates shown (the charts'
//! zoom), with its option's P&L, out-of-band rows marked, sorted by any column; each row's
//! "Chain" button opens the chain it chose from.

use std::sync::Arc;

use deltaroll_core::report::Report;
use leptos::prelude::*;

use super::chain_panel::ChainPanel;
use crate::context::use_run;
use crate::state::report_view::{roll_rows, RollRow};
use crate::state::roll_sort::{RollColumn, RollSort};

/// The report's rolls under their heading.
#[component]
pub fn RollsTable(report: Arc<Report>) -> impl IntoView {
    let run = use_run();
    let all = roll_rows(&report);
    let total = all.len();
    let chain_report = report.clone();
    let sort = RwSignal::new(RollSort::default());
    let open = RwSignal::new(None::<usize>);
    let listed = Memo::new(move |_| {
        let range = run.shown_dates().unwrap_or((report.spec.start, report.spec.end));
        let inside = all.iter().filter(|r| r.held_within(range.0, range.1)).cloned().collect();
        sort.get().apply(inside)
    });
    let headers = RollColumn::ALL
        .map(|column| {
            view! {
                <th scope="col" aria-sort=move || sort.get().aria(column) class:num=column.numeric()>
                    <button type="button" class="sort" on:click=move |_| sort.update(|s| *s = s.clicked(column))>
                        {column.title()}
                        <span aria-hidden="true" class="arrow">
                            {move || match sort.get().aria(column) {
                                "ascending" => "▲",
                                "descending" => "▼",
                                _ => "",
                            }}
                        </span>
                    </button>
                </th>
            }
        })
        .collect_view();
    let rows = move || listed.get().into_iter().map(|r| view! { <RollLine row=r open /> }).collect_view();
    let count =
        move || format!("{} of {total} rolls: those whose option is held in the dates shown.", listed.with(Vec::len));
    view! {
        <h3 id="rolls-h">"Rolls"</h3>
        <p class="hint" id="rolls-count">{count}</p>
        <div class="table-wrap">
            <table class="rolls" id="rolls" aria-labelledby="rolls-h" aria-describedby="rolls-count">
                <thead>
                    <tr>
                        {headers}
                        <th scope="col">"Chain"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <ChainPanel report=chain_report open />
    }
}

/// One roll; hovering or clicking it highlights its option on the charts; its button opens
/// its chain in `open`.
#[component]
fn RollLine(row: RollRow, open: RwSignal<Option<usize>>) -> impl IntoView {
    let run = use_run();
    let symbol = row.symbol.clone();
    let (s1, s2, s3, s4) = (symbol.clone(), symbol.clone(), symbol.clone(), symbol.clone());
    let toggle = move || run.pinned.update(|p| *p = if p.as_deref() == Some(&s4) { None } else { Some(s4.clone()) });
    let toggle_key = toggle.clone();
    let index = row.roll;
    let chain_label = format!("Chain of the {} roll on {}", row.month, row.date);
    let cells = RollColumn::ALL
        .map(|column| {
            let text = column.text(&row);
            match column {
                RollColumn::Date => view! { <th scope="row">{text}</th> }.into_any(),
                RollColumn::Leg => view! { <td class="leg">{text}</td> }.into_any(),
                RollColumn::Option => view! { <td class="sym">{text}</td> }.into_any(),
                _ => view! { <td class:num=column.numeric()>{text}</td> }.into_any(),
            }
        })
        .collect_view();
    view! {
        <tr
            class:out=row.in_band == Some(false)
            class:highlight=move || run.highlighted().as_deref() == Some(s1.as_str())
            class:at-cursor=move || run.held_at_cursor.with(|h| h.contains(&s2))
            tabindex="0"
            title=format!("Highlight {symbol} on the charts (click to keep)")
            on:mouseenter=move |_| run.hovered.set(Some(s3.clone()))
            on:mouseleave=move |_| run.hovered.set(None)
            on:click=move |_| toggle()
            on:keydown=move |ev| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    toggle_key();
                }
            }
        >
            {cells}
            <td>
                <button
                    type="button"
                    class="link chain-open"
                    aria-label=chain_label
                    aria-expanded=move || (open.get() == Some(index)).to_string()
                    aria-controls="chain-panel"
                    on:keydown=|ev| ev.stop_propagation()
                    on:click=move |ev| {
                        ev.stop_propagation();
                        open.update(|o| *o = if *o == Some(index) { None } else { Some(index) });
                    }
                >
                    "Chain"
                </button>
            </td>
        </tr>
    }
}
