//! Results: the data label, downloads, charts, the rolls table and the warnings.

use deltaroll_core::export::ExportFormat;
use leptos::prelude::*;

use super::chart::{Chart, ChartKind};
use crate::actions;
use crate::context::use_ctx;
use crate::state::report_view::{data_label, pricing_note, roll_rows, summary, warning_rows};
use crate::state::run::RunState;

/// Everything about the latest report (nothing before the first run).
#[component]
pub fn Results() -> impl IntoView {
    let ctx = use_ctx();
    let chart_error = RwSignal::new(None::<crate::charts::ChartError>);
    move || match ctx.report.get() {
        None => {
            let waiting = ctx.run.with(|m| matches!(m.state(), RunState::Restoring { .. } | RunState::NotCached));
            let text = waiting.then(|| ctx.run.with(|m| m.state().status())).flatten();
            view! {
                <section class="panel empty">
                    <p>{text.unwrap_or("Results appear here after a run.")}</p>
                </section>
            }
            .into_any()
        }
        Some(report) => {
            let label = data_label(&report);
            let copied = RwSignal::new(false);
            let simulated = report.provenance == deltaroll_core::market::Provenance::SimulatedDemo;
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
                        </tr>
                    }
                })
                .collect_view();
            let warnings = warning_rows(&report);
            let warning_count = warnings.len();
            let warnings = warnings
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
            let downloads = [
                (ExportFormat::Wide, "Wide CSV (client format)"),
                (ExportFormat::Tidy, "Tidy CSV"),
                (ExportFormat::Json, "JSON manifest"),
            ]
            .into_iter()
            .map(|(format, text)| {
                view! {
                    <button
                        type="button"
                        class="secondary"
                        data-download=format.as_str()
                        on:click=move |_| actions::download(ctx, format)
                    >
                        {text}
                    </button>
                }
            })
            .collect_view();
            view! {
                <section class="panel results" aria-labelledby="results-h">
                    <h2 id="results-h">"Results"</h2>
                    <p class="data-label" class:simulated=simulated id="data-label">{label}</p>
                    <p class="summary">{summary(&report)}</p>
                    {pricing_note(&report).map(|note| view! { <p class="note" id="pricing-note">{note}</p> })}
                    {
                        let spec = report.spec.clone();
                        move || {
                            ctx.gate.get().ok().is_some_and(|current| current != spec).then(|| {
                                view! {
                                    <p class="warn" id="stale">
                                        "These results are for earlier settings: press Run to update them."
                                    </p>
                                }
                            })
                        }
                    }
                    <div class="downloads">
                        {downloads}
                        <button type="button" class="secondary" id="copy-link" on:click=move |_| actions::copy_link(ctx, copied)>
                            {move || if copied.get() { "Link copied" } else { "Copy share link" }}
                        </button>
                    </div>
                    <ErrorBoundary fallback=|errors| {
                        view! {
                            <div class="error" role="alert">
                                {move || errors.get().into_iter().map(|(_, e)| view! { <p>{e.to_string()}</p> }).collect_view()}
                            </div>
                        }
                    }>
                        {move || chart_error.get().map_or(Ok(()), Err)}
                    </ErrorBoundary>
                    <div class="charts">
                        <Chart kind=ChartKind::Prices failed=chart_error />
                        <Chart kind=ChartKind::Deltas failed=chart_error />
                        <Chart kind=ChartKind::Ivs failed=chart_error />
                    </div>
                    <p class="data-label small" class:simulated=simulated>{label}</p>
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
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <h3>{format!("Warnings ({warning_count})")}</h3>
                    <ul class="warnings" id="warnings">{warnings}</ul>
                </section>
            }
            .into_any()
        }
    }
}
