//! The rolls table: one row per roll with its option's P&L, out-of-band rows marked.

use std::sync::Arc;

use deltaroll_core::report::Report;
use leptos::prelude::*;

use crate::state::report_view::roll_rows;

/// The report's rolls under their heading.
#[component]
pub fn RollsTable(report: Arc<Report>) -> impl IntoView {
    let rows = roll_rows(&report)
        .into_iter()
        .map(|r| {
            let band = match r.in_band {
                Some(true) => "yes",
                Some(false) => "no",
                None => "—",
            };
            view! {
                <tr class:out=r.in_band == Some(false)>
                    <td>{r.date}</td>
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
