//! A fetch's progress: the bar, the phase and requests, the latest retry notice.

use leptos::prelude::*;

use crate::context::use_run;
use crate::state::run::RunState;

/// The progress of the fetch under way, if any.
#[component]
pub fn FetchProgress() -> impl IntoView {
    let run = use_run();
    move || match run.machine.with(|m| m.state().clone()) {
        RunState::Fetching { progress, .. } => Some(view! {
            <div class="progress" id="progress">
                <progress max="1" value=progress.fraction()></progress>
                <p>{progress.text()}</p>
                {progress.note.map(|n| view! { <p class="warn">{n}</p> })}
            </div>
        }),
        _ => None,
    }
}
