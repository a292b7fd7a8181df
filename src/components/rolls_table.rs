//! The rolls table: one row per roll with its option's P&L, out-of-band rows marked.

use std::sync::Arc;

use deltaroll_core::report::Report;
use leptos::prelude::*;

use crate::context::use_run;
use crate::state::report_view::roll_rows;

/// The report's rolls under their heading.
#[component]
pub fn RollsTable(report: Arc<Report>) -> impl IntoView {
    let run = use_run();
    let rows = roll_rows(&report)
        .into_iter()
        .map(|r| {
            let band = match r.in_band {
                Some(true) => "yes",
                Some(false) => "no",
                None => "—",
            };
            let symbol = r.symbol.clone();
            let (s1, s2, s3, s4, s5) = (symbol.clone(), symbol.clone(), symbol.clone(), symbol.clone(), symbol);
            let toggle =
                move || run.pinned.update(|p| *p = if p.as_deref() == Some(&s4) { None } else { Some(s4.clone()) });
            let toggle_key = toggle.clone();
            view! {
                <tr
                    class:out=r.in_band == Some(false)
                    class:highlight=move || run.highlighted().as_deref() == Some(s1.as_str())
                    class:at-cursor=move || run.held_at_cursor.with(|h| h.contains(&s2))
                    tabindex="0"
                    title=format!("Highlight {s5} on the charts (click to keep)")
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
                    <td>{r.date}</td>
                    <td class="leg">{r.leg}</td>
                    <td>{r.contract}</td>
                    <td class="sym">{r.symbol}</td>
                    <td class="num">{r.strike}</td>
                    <td class="num">{r.forward}</td>
                    <td class="num">{r.iv}</td>
                    <td class="num">{r.delta}</td>
                    <td>{r.expiry}</td>
                    <td>{band}</td>
                    <td class="num">{r.pnl}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>"Rolls"</h3>
        <div class="table-wrap">
            <table class="rolls" id="rolls">
                <thead>
                    <tr>
                        <th>"Date"</th>
                        <th>"Leg"</th>
                        <th>"Contract"</th>
                        <th>"Option"</th>
                        <th>"Strike"</th>
                        <th>"Forward"</th>
                        <th>"IV"</th>
                        <th>"Delta"</th>
                        <th>"Expiry"</th>
                        <th>"In band"</th>
                        <th>"P&L (USD)"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
