//! The app: the effects that keep the share link and stored settings in step with the
//! shared state ([`crate::context`]), and the page layout.

use leptos::prelude::*;

use crate::actions;
use crate::components::{Results, RunPanel, SourcePanel, StrategyForm};
use crate::context::{Contexts, FormCtx, PageCtx, RunCtx, SourceCtx};
use crate::state::link;
use crate::state::source::Kept;
use crate::storage;

/// Keep the URL in step with the form and source.
fn keep_link(form: FormCtx, source: SourceCtx) {
    Effect::new(move |_| {
        let query = link::encode(&form.form.get(), source.source.get());
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("?{query}")));
        }
    });
}

/// A shown estimate is for one spec, source, key and gateway: any change drops it (the
/// gate changes only when the spec does, not for the wide CSV's settings).
fn drop_stale_estimate(form: FormCtx, source: SourceCtx, run: RunCtx) {
    Effect::new(move |previous: Option<()>| {
        form.gate.track();
        source.source.track();
        source.key.track();
        source.gateway.track();
        if previous.is_some() {
            run.machine.update(|m| m.form_changed());
        }
    });
}

/// Keep the stored key and gateway as "Remember on this device" says.
fn keep_stored(source: SourceCtx) {
    Effect::new(move |_| storage::keep(&Kept::new(source.remember.get(), &source.key.get(), &source.gateway.get())));
}

/// Count window resizes (charts redraw).
fn count_resizes(page: PageCtx) {
    window_event_listener(leptos::ev::resize, move |_| page.resized.update(|n| *n = n.wrapping_add(1)));
}

/// The page.
#[component]
pub fn App() -> impl IntoView {
    let Contexts { form, source, run, page } = Contexts::provide();
    keep_link(form, source);
    drop_stale_estimate(form, source, run);
    keep_stored(source);
    count_resizes(page);
    actions::on_start(form, source, run, page);
    view! {
        <header class="top">
            <h1>"deltaroll"</h1>
            <p class="tagline">"Delta-targeted rolling option series for CME futures options"</p>
        </header>
        <main class="layout">
            <div class="controls" on:keydown=move |ev| actions::enter_runs(&ev)>
                <SourcePanel />
                <StrategyForm />
                <RunPanel />
            </div>
            <div class="output">
                <Results />
            </div>
        </main>
        <footer class="foot">
            <p>
                "Black-76 (European) model; OH options are American-style. Your API key goes only to Databento or the gateway you type under Advanced, never into links."
            </p>
        </footer>
    }
}
