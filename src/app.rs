//! The app: the effects that keep the share link and stored settings in step with the
//! shared state ([`crate::context`]), and the page layout.

use leptos::prelude::*;

use crate::actions;
use crate::components::{Results, RunPanel, SourcePanel, StrategyForm};
use crate::context::Ctx;
use crate::state::link;
use crate::state::source::Kept;
use crate::storage;

/// Keep the URL, the stored key and gateway, and the run state in step with the form.
fn keep_in_step(ctx: Ctx) {
    Effect::new(move |_| {
        let query = link::encode(&ctx.form.get(), ctx.source.get());
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("?{query}")));
        }
    });
    // A shown estimate is for one spec, source, key and gateway: any change drops it (the
    // gate changes only when the spec does, not for the wide CSV's settings).
    Effect::new(move |previous: Option<()>| {
        ctx.gate.track();
        ctx.source.track();
        ctx.key.track();
        ctx.gateway.track();
        if previous.is_some() {
            ctx.run.update(|m| m.form_changed());
        }
    });
    Effect::new(move |_| storage::keep(&Kept::new(ctx.remember.get(), &ctx.key.get(), &ctx.gateway.get())));
    window_event_listener(leptos::ev::resize, move |_| ctx.resized.update(|n| *n = n.wrapping_add(1)));
}

/// The page.
#[component]
pub fn App() -> impl IntoView {
    let ctx = Ctx::new();
    provide_context(ctx);
    keep_in_step(ctx);
    actions::on_start(ctx);
    view! {
        <header class="top">
            <h1>"deltaroll"</h1>
            <p class="tagline">"Delta-targeted rolling option series for CME futures options"</p>
        </header>
        <main class="layout">
            <div class="controls">
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
