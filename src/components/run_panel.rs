//! Run, estimate, progress, cancel, and the one error area.

use leptos::prelude::*;

use crate::actions;
use crate::context::use_ctx;
use crate::state::run::{estimate_summary, priced_lines, unpriced_lines, RunState};
use crate::state::source::SourceKind;

/// The Run button and everything about the run under way.
#[component]
pub fn RunPanel() -> impl IntoView {
    let ctx = use_ctx();
    let busy = move || ctx.run.with(|m| m.is_busy());
    let has_estimate = move || {
        let spec = ctx.gate.get().ok();
        ctx.run.with(|m| spec.is_some_and(|s| m.estimate_for(&s).is_some()))
    };
    let label = move || match ctx.source.get() {
        SourceKind::Databento if has_estimate() => "Fetch and run",
        SourceKind::Databento => "Estimate cost",
        _ => "Run",
    };
    let blocked = move || ctx.gate.get().err();
    let status = move || ctx.run.with(|m| m.state().status());
    let estimate = move || match ctx.run.get().state().clone() {
        RunState::Estimated { estimate, .. } => {
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
            Some(view! {
                <div class="estimate" id="estimate">
                    <p><strong>{estimate_summary(&estimate)}</strong></p>
                    {gaps}
                    <details>
                        <summary>"Planned requests"</summary>
                        <ul>{lines}</ul>
                    </details>
                    <p class="hint">"Nothing billable has been fetched. Press “Fetch and run” to go ahead; responses already in this browser’s cache are read from it, not bought again."</p>
                </div>
            })
        }
        _ => None,
    };
    let progress = move || match ctx.run.get().state().clone() {
        RunState::Fetching { progress, .. } => Some(view! {
            <div class="progress" id="progress">
                <progress max="1" value=progress.fraction()></progress>
                <p>{progress.text()}</p>
                {progress.note.map(|n| view! { <p class="warn">{n}</p> })}
            </div>
        }),
        _ => None,
    };
    let error = move || {
        let run_error = match ctx.run.get().state() {
            RunState::Failed { message } => Some(message.clone()),
            _ => None,
        };
        run_error.or_else(|| ctx.notice.get())
    };
    let relay_hint = move || {
        error()
            .is_some_and(|e| e.contains("deltaroll relay"))
            .then(|| view! { <p class="hint">"Set the gateway under Databento → Advanced."</p> })
    };
    view! {
        <section class="panel run" aria-labelledby="run-h">
            <h2 id="run-h" class="sr-only">"Run"</h2>
            <div class="row">
                <button
                    type="button"
                    id="run"
                    class="primary"
                    disabled=move || busy() || blocked().is_some()
                    on:click=move |_| actions::run(ctx)
                >
                    {label}
                </button>
                <Show when=busy>
                    <button type="button" id="cancel" class="secondary" on:click=move |_| actions::cancel(ctx)>
                        "Cancel"
                    </button>
                </Show>
            </div>
            {move || blocked().map(|why| view! { <p class="blocked" id="run-blocked">"Run is disabled: " {why}</p> })}
            {move || status().map(|s| view! { <p class="status" id="run-status" role="status">{s}</p> })}
            {estimate}
            {progress}
            <div id="error" class="error" role="alert" aria-live="assertive" class:hidden=move || error().is_none()>
                {move || error().map(|e| view! { <p>{e}</p> })}
                {relay_hint}
            </div>
        </section>
    }
}
