//! The estimate shown before a Databento fetch: the total, what could not be priced, the
//! planned requests.

use deltaroll_databento::Estimate;
use leptos::prelude::*;

use crate::context::use_run;
use crate::state::run::{estimate_summary, priced_lines, unpriced_lines, RunState};

/// The estimate on screen, if any.
#[component]
pub fn EstimateBox() -> impl IntoView {
    let run = use_run();
    move || match run.machine.with(|m| m.state().clone()) {
        RunState::Estimated { estimate, .. } => Some(view! { <EstimateView estimate=estimate /> }),
        _ => None,
    }
}

#[component]
fn EstimateView(estimate: Estimate) -> impl IntoView {
    let lines = priced_lines(&estimate).into_iter().map(|l| view! { <li>{l}</li> }).collect_view();
    let gaps = unpriced_lines(&estimate);
    let gaps = (!gaps.is_empty()).then(|| {
        let items = gaps.into_iter().map(|l| view! { <li>{l}</li> }).collect_view();
        view! {
            <div class="unpriced" id="unpriced">
                <p>"Databento would not price these requests, so the total is a lower bound. They are guesses made before the fetch knows the calendar and the chosen options; the fetch plans its own, so you can go ahead."</p>
                <ul>{items}</ul>
            </div>
        }
    });
    view! {
        <div class="estimate" id="estimate">
            <p><strong>{estimate_summary(&estimate)}</strong></p>
            {gaps}
            <details>
                <summary>"Planned requests"</summary>
                <ul>{lines}</ul>
            </details>
            <p class="hint">"Nothing billable has been fetched. Press “Fetch and run” to go ahead; responses already in this browser’s cache are read from it, not bought again."</p>
        </div>
    }
}
