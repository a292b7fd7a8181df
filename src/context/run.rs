//! The run's context: the state machine, the handle that cancels the work under way, the
//! latest report and its chart data.

use std::sync::Arc;

use chrono::NaiveDate;

use deltaroll_core::report::Report;
use futures::future::AbortHandle;
use leptos::prelude::*;

use crate::charts::ChartData;
use crate::state::run::RunMachine;
use crate::state::zoom::Zoom;

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
    /// The date range every chart and the rolls table show.
    pub zoom: RwSignal<Zoom>,
    /// The chart data cut to the zoom (what the charts draw).
    pub shown: Memo<Option<Arc<ChartData>>>,
    /// The option whose row in the rolls table is under the pointer (its symbol).
    pub hovered: RwSignal<Option<String>>,
    /// The option whose row was clicked (stays highlighted until clicked again).
    pub pinned: RwSignal<Option<String>>,
    /// The options held on the date under the pointer on a chart (their rows light up).
    pub held_at_cursor: RwSignal<Vec<String>>,
}

impl RunCtx {
    /// Nothing run yet.
    pub(crate) fn new() -> Self {
        let report: RwSignal<Option<Arc<Report>>> = RwSignal::new(None);
        let chart = Memo::new(move |_| report.get().map(|r| Arc::new(ChartData::from_report(&r))));
        let zoom = RwSignal::new(Zoom::All);
        let shown = Memo::new(move |_| {
            let data = chart.get()?;
            let (first, last) = data.dates();
            let zoom = zoom.get();
            if !zoom.narrows(first, last) {
                return Some(data);
            }
            let (from, to) = zoom.dates(first, last);
            Some(Arc::new(data.zoomed(from, to)))
        });
        Self {
            machine: RwSignal::new(RunMachine::new()),
            abort: StoredValue::new(None),
            report,
            chart,
            zoom,
            shown,
            hovered: RwSignal::new(None),
            pinned: RwSignal::new(None),
            held_at_cursor: RwSignal::new(Vec::new()),
        }
    }

    /// The dates the charts show: the zoom inside the report's rows.
    pub fn shown_dates(&self) -> Option<(NaiveDate, NaiveDate)> {
        self.shown.with(|d| d.as_ref().map(|d| d.dates()))
    }

    /// The highlighted option: the hovered row's, else the clicked one's.
    pub fn highlighted(&self) -> Option<String> {
        self.hovered.get().or_else(|| self.pinned.get())
    }
}

/// The run's context.
pub fn use_run() -> RunCtx {
    expect_context::<RunCtx>()
}
