//! The app's shared state: signals holding the plain structs of [`crate::state`], read by
//! the components and changed by the actions.

use std::sync::Arc;

use deltaroll_core::report::Report;
use futures::future::AbortHandle;
use leptos::prelude::*;

use crate::charts::ChartData;
use crate::engine::DroppedFile;
use crate::state::form::{FieldError, FormState};
use crate::state::link;
use crate::state::run::RunMachine;
use crate::state::source::{all_problems, run_gate, SourceInputs, SourceKind};
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
