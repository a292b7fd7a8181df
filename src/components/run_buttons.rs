//! The Run button (its label says what it does for the source, or what is under way) and
//! Cancel while busy.

use leptos::prelude::*;

use crate::actions;
use crate::context::{use_form, use_page, use_run, use_source};
use crate::state::source::SourceKind;

/// Run (or "Estimate cost" / "Fetch and run"), and Cancel while a run is under way.
#[component]
pub fn RunButtons() -> impl IntoView {
    let (form, source, run, page) = (use_form(), use_source(), use_run(), use_page());
    let busy = move || run.machine.with(|m| m.is_busy());
    let has_estimate = move || {
        let spec = form.gate.get().ok();
        run.machine.with(|m| spec.is_some_and(|s| m.estimate_for(&s).is_some()))
    };
    let label = move || match run.machine.with(|m| m.state().busy_label()) {
        Some(busy) => busy,
        None => match source.source.get() {
            SourceKind::Databento if has_estimate() => "Fetch and run",
            SourceKind::Databento => "Estimate cost",
            _ => "Run",
        }
        .to_owned(),
    };
    let blocked = move || form.gate.with(Result::is_err);
    view! {
        <div class="row">
            <button
                type="button"
                id="run"
                class="primary"
                disabled=move || busy() || blocked()
                on:click=move |_| actions::start(form, source, run, page)
            >
                {label}
            </button>
            <Show when=busy>
                <button type="button" id="cancel" class="secondary" on:click=move |_| actions::cancel(run, page)>
                    "Cancel"
                </button>
            </Show>
        </div>
    }
}
