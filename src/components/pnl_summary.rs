//! The P&L summary: a few figures (total, per year, drawdown, winning rolls, premium).

use std::sync::Arc;

use deltaroll_core::report::Report;
use leptos::prelude::*;

use crate::state::report_view::pnl_figures;

/// The report's P&L figures under their heading.
#[component]
pub fn PnlSummary(report: Arc<Report>) -> impl IntoView {
    let figures = pnl_figures(&report)
        .into_iter()
        .map(|f| {
            view! {
                <div class="figure">
                    <dt>{f.label}</dt>
                    <dd id=f.id>{f.value}</dd>
                </div>
            }
        })
        .collect_view();
    let legs: Vec<String> = report.pnl.legs.iter().map(|l| l.label()).collect();
    view! {
        <h3>"P&L (" {legs.join(", ")} ")"</h3>
        <dl class="pnl-figures" id="pnl-figures">{figures}</dl>
    }
}
