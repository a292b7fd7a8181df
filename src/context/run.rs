//! The run's context: the state machine, the handle that cancels the work under way, the
//! latest report and its chart data.

use std::sync::Arc;

use deltaroll_core::report::Report;
use futures::future::AbortHandle;
use leptos::prelude::*;

use crate::charts::ChartData;
use crate::state::run::RunMachine;

/// The run and its results.
#[derive(Clone, Copy)]
pub struct RunCtx {
    /// The run state machine.
    pub machine: RwSignal<RunMachine>,
    /// Cancels the step under way.
    pub abort: StoredValue<Option<AbortHandle>>,
    /// The latest report.
    pub report: RwSignal<Option<Arc<Report>>>,
    /// Its chart data.
    pub chart: Memo<Option<Arc<ChartData>>>,
}

impl RunCtx {
    /// Nothing run yet.
    pub(crate) fn new() -> Self {
        let report: RwSignal<Option<Arc<Report>>> = RwSignal::new(None);
        let chart = Memo::new(move |_| report.get().map(|r| Arc::new(ChartData::from_report(&r))));
        Self { machine: RwSignal::new(RunMachine::new()), abort: StoredValue::new(None), report, chart }
    }
}

/// The run's context.
pub fn use_run() -> RunCtx {
    expect_context::<RunCtx>()
}
