//! The app: shared state (signals holding the plain structs of [`crate::state`]), the
//! effects that keep the share link and stored settings in step, and the page layout.

use std::sync::Arc;

use deltaroll_core::report::Report;
use futures::future::AbortHandle;
use leptos::prelude::*;

use crate::actions;
use crate::charts::ChartData;
use crate::components::{Results, RunPanel, SourcePanel, StrategyForm};
use crate::engine::DroppedFile;
use crate::state::form::{FieldError, FormState};
use crate::state::link;
use crate::state::run::RunMachine;
use crate::state::source::{all_problems, run_gate, Kept, SourceInputs, SourceKind};
use crate::storage;

/// Everything the components read and the actions change.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The strategy form as typed.
    pub form: RwSignal<FormState>,
    /// The data source.
    pub source: RwSignal<SourceKind>,
    /// The API key (memory; localStorage only when `remember`).
    pub key: RwSignal<String>,
    /// "Remember on this device".
    pub remember: RwSignal<bool>,
    /// Gateway URL (Advanced; never from a link).
    pub gateway: RwSignal<String>,
    /// Dropped files.
    pub files: RwSignal<Arc<Vec<DroppedFile>>>,
    /// The run state machine.
    pub run: RwSignal<RunMachine>,
    /// The latest report.
    pub report: RwSignal<Option<Arc<Report>>>,
    /// Its chart data.
    pub chart: Memo<Option<Arc<ChartData>>>,
    /// Every problem that stops a run, per field.
    pub problems: Memo<Vec<FieldError>>,
    /// The spec to run, or why Run is disabled.
    pub gate: Memo<Result<deltaroll_core::spec::RunSpec, String>>,
    /// Messages that are not a run's (files, downloads, cache, charts).
    pub notice: RwSignal<Option<String>>,
    /// Bodies and bytes in the response cache.
    pub cache: RwSignal<Option<(usize, u64)>>,
    /// Bumped on window resize (charts redraw).
    pub resized: RwSignal<u32>,
    /// Cancels the fetch under way.
    pub abort: StoredValue<Option<AbortHandle>>,
}

/// The app's shared state.
pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

fn location_query() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

impl Ctx {
    /// Fresh state: the form and source from the page's link, the key and gateway stored.
    pub(crate) fn new() -> Self {
        let restored = link::decode(&location_query());
        let form = RwSignal::new(restored.form);
        let source = RwSignal::new(restored.source.unwrap_or_default());
        let kept = storage::kept();
        let remember = RwSignal::new(!kept.is_empty());
        let key = RwSignal::new(kept.key.unwrap_or_default());
        let gateway = RwSignal::new(kept.gateway.unwrap_or_default());
        let files = RwSignal::new(Arc::new(Vec::new()));
        let report: RwSignal<Option<Arc<Report>>> = RwSignal::new(None);
        let chart = Memo::new(move |_| report.get().map(|r| Arc::new(ChartData::from_report(&r))));
        let problems = Memo::new(move |_| {
            let (key, gateway) = (key.get(), gateway.get());
            let inputs = SourceInputs { key: &key, gateway: &gateway, files: files.with(|f| f.len()) };
            all_problems(&form.get(), source.get(), inputs)
        });
        let gate = Memo::new(move |_| problems.with(|p| run_gate(&form.get(), p)));
        Self {
            form,
            source,
            key,
            remember,
            gateway,
            files,
            run: RwSignal::new(RunMachine::new()),
            report,
            chart,
            problems,
            gate,
            notice: RwSignal::new(None),
            cache: RwSignal::new(None),
            resized: RwSignal::new(0),
            abort: StoredValue::new(None),
        }
    }
}

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
