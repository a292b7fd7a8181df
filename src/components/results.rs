//! Results: the data label, downloads, the P&L figures, charts, the rolls table and the
//! warnings — or, before the first run, what the run is doing.

use std::sync::Arc;

use deltaroll_core::market::Provenance;
use deltaroll_core::report::Report;
use leptos::prelude::*;

use super::chart_grid::ChartGrid;
use super::downloads::Downloads;
use super::pnl_summary::PnlSummary;
use super::rolls_table::RollsTable;
use super::warning_list::WarningList;
use crate::actions;
use crate::context::{use_form, use_run};
use crate::state::report_view::{data_label, pricing_note, summary};
use crate::state::run::RunState;

/// Everything about the latest report (nothing before the first run), and a live region
/// that tells screen readers each new report's summary.
#[component]
pub fn Results() -> impl IntoView {
    let run = use_run();
    let announced = move || run.report.with(|r| r.as_ref().map(|r| format!("New results. {}", summary(r))));
    view! {
        <p class="sr-only" id="announce" role="status" aria-live="polite">{announced}</p>
        {move || match run.report.get() {
            None => view! { <NoResults /> }.into_any(),
            Some(report) => view! { <ReportView report=report /> }.into_any(),
        }}
    }
}

/// Before the first report: what a shared link's restore is doing, or where results will be.
#[component]
fn NoResults() -> impl IntoView {
    let run = use_run();
    let text = move || {
        run.machine
            .with(|m| match m.state() {
                RunState::Restoring { .. } | RunState::NotCached => m.state().status(),
                _ => None,
            })
            .unwrap_or("Results appear here after a run.")
    };
    view! {
        <section class="panel empty">
            <p>{text}</p>
        </section>
    }
}

/// One report.
#[component]
fn ReportView(report: Arc<Report>) -> impl IntoView {
    let label = data_label(&report);
    let simulated = report.provenance == Provenance::SimulatedDemo;
    view! {
        <section class="panel results" aria-labelledby="results-h">
            <h2 id="results-h">"Results"</h2>
            <p class="data-label" class:simulated=simulated id="data-label">{label}</p>
            <p class="summary">{summary(&report)}</p>
            {pricing_note(&report).map(|note| view! { <p class="note" id="pricing-note">{note}</p> })}
            <Stale report=report.clone() />
            <Downloads />
            <PnlSummary report=report.clone() />
            <ChartGrid />
            <p class="data-label small" class:simulated=simulated>{label}</p>
            <RollsTable report=report.clone() />
            <WarningList report=report />
        </section>
    }
}

/// A warning when the form no longer matches the report's settings.
#[component]
fn Stale(report: Arc<Report>) -> impl IntoView {
    let form = use_form();
    move || {
        form.gate.with(|gate| gate.as_ref().is_ok_and(|current| *current != report.spec)).then(|| {
            view! {
                <p class="warn stale" id="stale">
                    "These results are for earlier settings."
                    <button type="button" class="secondary" id="stale-run" on:click=move |_| actions::press_run()>
                        "Run"
                    </button>
                </p>
            }
        })
    }
}
