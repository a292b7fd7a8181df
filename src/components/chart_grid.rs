//! The report's five charts under their shared date range, and what stopped one from drawing.

use leptos::prelude::*;

use super::chart::{Chart, ChartKind};
use super::zoom_bar::ZoomBar;
use crate::charts::ChartError;

/// Futures, option prices, deltas, implied vols and the cumulative P&L, with a drawing failure above them.
#[component]
pub fn ChartGrid() -> impl IntoView {
    let chart_error = RwSignal::new(None::<ChartError>);
    view! {
        <ErrorBoundary fallback=|errors| {
            view! {
                <div class="error" role="alert">
                    {move || errors.get().into_iter().map(|(_, e)| view! { <p>{e.to_string()}</p> }).collect_view()}
                </div>
            }
        }>
            {move || chart_error.get().map_or(Ok(()), Err)}
        </ErrorBoundary>
        <ZoomBar />
        <div class="charts">
            {ChartKind::ALL.map(|kind| view! { <Chart kind failed=chart_error /> })}
        </div>
    }
}
