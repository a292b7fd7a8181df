//! The Run and Cancel buttons, and the run a page starts with: compute (demo, files),
//! estimate then fetch (Databento), or restore a shared link from the cache.

use std::sync::Arc;

use deltaroll_core::market::MarketData;
use deltaroll_core::report::Report;
use deltaroll_core::spec::RunSpec;
use leptos::prelude::*;

use super::page::refresh_cache;
use super::step::{abort, next_frame, progress, spawn_step};
use super::timing::{measure, now};
use crate::api::{self, Connection};
use crate::context::{FormCtx, PageCtx, RunCtx, SourceCtx};
use crate::engine::{self, DroppedFile};
use crate::state::app_error::AppError;
use crate::state::run::RunId;
use crate::state::source::{gateway, SourceKind};

/// On first load: the demo (or a demo link) runs at once; a Databento link shows its
/// results when this browser's cache holds its data (no key needed, nothing sent); a files
/// link restores the form.
pub fn on_start(form: FormCtx, source: SourceCtx, run: RunCtx, page: PageCtx) {
    match source.source.get_untracked() {
        SourceKind::Demo => start(form, source, run, page),
        SourceKind::Databento => restore(form, source, run),
        SourceKind::Files => {}
    }
    refresh_cache(page);
}

/// The Run button: compute (demo, files), or estimate then fetch (Databento).
pub fn start(form: FormCtx, source: SourceCtx, run: RunCtx, page: PageCtx) {
    let Ok(spec) = form.gate.get_untracked() else { return };
    page.notice.set(None);
    match source.source.get_untracked() {
        SourceKind::Demo => compute(run, spec, None),
        SourceKind::Files => compute(run, spec, Some(source.files.get_untracked())),
        SourceKind::Databento => {
            if run.machine.with_untracked(|m| m.estimate_for(&spec).is_some()) {
                fetch(source, run, page, spec);
            } else {
                estimate(source, run, spec);
            }
        }
    }
}

/// The Cancel button (what a cancelled fetch bought stays in the cache: its size is
/// shown again).
pub fn cancel(run: RunCtx, page: PageCtx) {
    if run.machine.try_update(|m| m.cancel()).flatten().is_some() {
        abort(run);
        refresh_cache(page);
    }
}

/// Run the link's spec on the market its earlier fetch left in the cache, or say it is not
/// there.
fn restore(form: FormCtx, source: SourceCtx, run: RunCtx) {
    let Ok(spec) = form.form.with_untracked(|f| f.spec()) else { return };
    let Some(id) = run.machine.try_update(|m| m.start_restore()).flatten() else { return };
    // Bodies are cached per gateway: read those of the one this browser last used.
    let base_url = gateway(&source.gateway.get_untracked()).unwrap_or_default();
    let cached = spec.clone();
    let read = progress(run, id);
    let work = async move { api::from_cache(&cached, base_url, &read).await };
    spawn_step(run, id, Ok(work), move |market| match market {
        Some(market) => compute_fetched(run, id, spec, market),
        None => run.machine.update(|m| {
            m.not_cached(id);
        }),
    });
}

/// Run the strategy on the demo market or on dropped files.
fn compute(run: RunCtx, spec: RunSpec, files: Option<Arc<Vec<DroppedFile>>>) {
    let Some(id) = run.machine.try_update(|m| m.start_compute()).flatten() else { return };
    let work = async move {
        next_frame().await;
        let report = match files {
            None => {
                let start = now();
                measure("demo-start", 0.0);
                let market = engine::demo_market(&spec);
                measure("demo-market", start);
                timed_run(&spec, &market)
            }
            Some(files) => {
                let market = engine::market_from_files(&spec, &files)?;
                timed_run(&spec, &market)
            }
        };
        next_frame().await;
        report
    };
    spawn_step(run, id, Ok(work), move |report| show(run, id, report));
}

/// What the estimate step found.
enum Priced {
    /// Everything `spec` needs is in this browser's cache: nothing to buy, so nothing to
    /// confirm — the run goes straight through.
    Cached(MarketData),
    /// The plan's price, shown before anything billable is fetched.
    Estimate(deltaroll_databento::Estimate),
}

/// Run `spec` from this browser's cache when it holds all of it (read without sending
/// anything); else price its plan (free).
fn estimate(source: SourceCtx, run: RunCtx, spec: RunSpec) {
    let Some(id) = run.machine.try_update(|m| m.start_estimate(spec.clone())).flatten() else { return };
    let priced = spec.clone();
    let read = progress(run, id);
    let work = connection(source).map(|connection| async move {
        if let Ok(Some(market)) = api::from_cache(&priced, connection.base_url(), &read).await {
            return Ok(Priced::Cached(market));
        }
        run.machine.update(|m| {
            m.read_missed(id);
        });
        api::estimate(&connection, &priced).await.map(Priced::Estimate)
    });
    spawn_step(run, id, work, move |priced| match priced {
        Priced::Cached(market) => compute_fetched(run, id, spec, market),
        Priced::Estimate(estimate) => run.machine.update(|m| {
            m.estimated(id, estimate);
        }),
    });
}

/// Fetch what the shown estimate priced, then run the strategy on it.
fn fetch(source: SourceCtx, run: RunCtx, page: PageCtx, spec: RunSpec) {
    let id = match run.machine.try_update(|m| m.start_fetch(&spec)) {
        Some(Ok(id)) => id,
        Some(Err(refused)) => return page.notice.set(Some(AppError::EstimateFirst(refused))),
        None => return,
    };
    let progress = progress(run, id);
    let fetched = spec.clone();
    let work = connection(source).map(|connection| async move {
        let market = api::fetch(&connection, &fetched, &progress).await;
        refresh_cache(page);
        market
    });
    spawn_step(run, id, work, move |market| compute_fetched(run, id, spec, market));
}

/// The fetch (or restore) of run `id` is done: run the strategy on its market.
fn compute_fetched(run: RunCtx, id: RunId, spec: RunSpec, market: MarketData) {
    if run.machine.try_update(|m| m.fetched(id)) != Some(true) {
        return;
    }
    let work = async move {
        next_frame().await;
        let report = timed_run(&spec, &market);
        next_frame().await;
        report
    };
    spawn_step(run, id, Ok(work), move |report| show(run, id, report));
}

/// The strategy on `market`, timed. The steps around it pause ([`next_frame`]) before it,
/// so the page paints "Computing…", and after it, so the results are shown in a task of
/// their own: one task that ran a 15-year run and showed it blocked the page for 300 ms.
fn timed_run(spec: &RunSpec, market: &MarketData) -> Result<Report, AppError> {
    let start = now();
    let report = engine::run_on(spec, market).map_err(AppError::from);
    measure("run", start);
    report
}

/// Run `id` produced `report`: show it (unless the run was cancelled or replaced).
fn show(run: RunCtx, id: RunId, report: Report) {
    if run.machine.try_update(|m| m.finish(id)) == Some(true) {
        let started = now();
        run.report.set(Some(Arc::new(report)));
        // The results rendered (and the charts drawn) by the time the report is set.
        measure("show", started);
    }
}

fn connection(source: SourceCtx) -> Result<Connection, AppError> {
    Connection::new(&source.key.get_untracked(), &source.gateway.get_untracked())
}
