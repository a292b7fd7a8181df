//! The run panel: the Run and Cancel buttons, why Run is disabled, the status line, the
//! estimate, the progress and the one error area.

use leptos::prelude::*;

use super::error_view::ErrorView;
use super::estimate_box::EstimateBox;
use super::fetch_progress::FetchProgress;
use super::run_buttons::RunButtons;
use crate::context::{use_form, use_run};

/// The Run button and everything about the run under way.
#[component]
pub fn RunPanel() -> impl IntoView {
    view! {
        <section class="panel run" aria-labelledby="run-h">
            <h2 id="run-h" class="sr-only">"Run"</h2>
            <RunButtons />
            <Blocked />
            <RunStatus />
            <EstimateBox />
            <FetchProgress />
            <ErrorView />
        </section>
    }
}

/// Why Run is disabled, when it is.
#[component]
fn Blocked() -> impl IntoView {
    let form = use_form();
    move || form.gate.get().err().map(|why| view! { <p class="blocked" id="run-blocked">"Run is disabled: " {why}</p> })
}

/// The one-line status of the run, when its state has one.
#[component]
fn RunStatus() -> impl IntoView {
    let run = use_run();
    move || {
        run.machine
            .with(|m| m.state().status_line())
            .map(|s| view! { <p class="status" id="run-status" role="status">{s}</p> })
    }
}
