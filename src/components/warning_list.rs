//! The report's warnings, counted in their heading.

use std::sync::Arc;

use deltaroll_core::report::Report;
use leptos::prelude::*;

use crate::state::report_view::warning_rows;

/// The warnings under their heading.
#[component]
pub fn WarningList(report: Arc<Report>) -> impl IntoView {
    let warnings = warning_rows(&report);
    let count = warnings.len();
    let items = warnings
        .into_iter()
        .map(|w| {
            view! {
                <li>
                    <span class="date">{w.date}</span>
                    " "
                    <span class="sym">{w.symbol}</span>
                    ": "
                    {w.message}
                </li>
            }
        })
        .collect_view();
    view! {
        <h3>{format!("Warnings ({count})")}</h3>
        <ul class="warnings" id="warnings">{items}</ul>
    }
}
