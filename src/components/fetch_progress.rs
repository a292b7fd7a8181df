//! A fetch's progress, or a cache read's: the bar, the phase and requests, the latest
//! retry notice.

use leptos::prelude::*;

use crate::context::use_run;

/// The progress of the fetch or cache read under way, if any.
#[component]
pub fn FetchProgress() -> impl IntoView {
    let run = use_run();
    move || {
        run.machine.with(|m| m.state().progress().cloned()).map(|progress| {
            view! {
                <div class="progress" id="progress">
                    <progress max="1" value=progress.fraction()></progress>
                    <p>{progress.text()}</p>
                    {progress.note.map(|n| view! { <p class="warn">{n}</p> })}
                </div>
            }
        })
    }
}
