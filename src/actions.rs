//! What buttons do: start, estimate, fetch, cancel, load files, download, manage the cache.
//! They move the run state machine and call the engine (compute), the API module (network)
//! and storage; components only call these.

use std::sync::Arc;

use deltaroll_core::export::ExportFormat;
use deltaroll_core::market::MarketData;
use deltaroll_core::report::Report;
use deltaroll_core::spec::RunSpec;
use deltaroll_databento::Progress;
use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api::{self, Connection};
use crate::context::Ctx;
use crate::engine::{self, DroppedFile};
use crate::state::form::FormState;
use crate::state::run::RunId;
use crate::state::source::{gateway, SourceKind};
use crate::storage;

/// Time in ms since the page started.
fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Record how long a step took, as `window["deltaroll:<name>"]` in ms (the benchmark reads it).
fn measure(name: &str, start: f64) {
    if let Some(w) = web_sys::window() {
        let key = wasm_bindgen::JsValue::from_str(&format!("deltaroll:{name}"));
        let _ = js_sys::Reflect::set(&w, &key, &wasm_bindgen::JsValue::from_f64(now() - start));
    }
}

/// Mark that a chart was drawn (the benchmark's "first chart"), once.
pub fn chart_drawn() {
    if let Some(w) = web_sys::window() {
        let key = wasm_bindgen::JsValue::from_str("deltaroll:first-chart");
        if js_sys::Reflect::get(&w, &key).map(|v| v.is_undefined()).unwrap_or(false) {
            let _ = js_sys::Reflect::set(&w, &key, &wasm_bindgen::JsValue::from_f64(now()));
        }
    }
}

/// Let the browser paint (the "Computing…" state) before a long synchronous step.
async fn next_frame() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// On first load: the demo (or a demo link) runs at once; a Databento link shows its
/// results when this browser's cache holds its data (no key needed, nothing sent); a files
/// link restores the form.
pub fn on_start(ctx: Ctx) {
    match ctx.source.get_untracked() {
        SourceKind::Demo => run(ctx),
        SourceKind::Databento => restore(ctx),
        SourceKind::Files => {}
    }
    refresh_cache(ctx);
}

/// Run the link's spec on the market its earlier fetch left in the cache, or say it is not
/// there.
fn restore(ctx: Ctx) {
    let Ok(spec) = ctx.form.with_untracked(|f| f.spec()) else { return };
    let Some(id) = ctx.run.try_update(|m| m.start_restore()).flatten() else { return };
    // Bodies are cached per gateway: read those of the one this browser last used.
    let base_url = gateway(&ctx.gateway.get_untracked()).unwrap_or_default();
    let restore_spec = spec.clone();
    let work = abortable(ctx, async move { api::from_cache(&restore_spec, base_url, &|_| {}).await });
    spawn_local(async move {
        match work.await {
            Ok(Ok(Some(market))) => {
                if ctx.run.try_update(|m| m.fetched(id)) == Some(true) {
                    next_frame().await;
                    finish(ctx, id, timed_run(&spec, &market));
                }
            }
            Ok(Ok(None)) => {
                ctx.run.update(|m| {
                    m.not_cached(id);
                });
            }
            Ok(Err(message)) => ctx.run.update(|m| {
                m.fail(id, message);
            }),
            Err(_aborted) => {}
        }
    });
}

/// The Run button: compute (demo, files), or estimate then fetch (Databento).
pub fn run(ctx: Ctx) {
    let Ok(spec) = ctx.gate.get_untracked() else { return };
    ctx.notice.set(None);
    match ctx.source.get_untracked() {
        SourceKind::Demo => compute(ctx, spec, None),
        SourceKind::Files => compute(ctx, spec, Some(ctx.files.get_untracked())),
        SourceKind::Databento => {
            if ctx.run.with_untracked(|m| m.estimate_for(&spec).is_some()) {
                fetch(ctx, spec);
            } else {
                estimate(ctx, spec);
            }
        }
    }
}

fn compute(ctx: Ctx, spec: RunSpec, files: Option<Arc<Vec<DroppedFile>>>) {
    let Some(id) = ctx.run.try_update(|m| m.start_compute()).flatten() else { return };
    spawn_local(async move {
        next_frame().await;
        let result = match files {
            None => {
                let start = now();
                let market = engine::demo_market(&spec);
                measure("demo-market", start);
                timed_run(&spec, &market)
            }
            Some(files) => engine::market_from_files(&spec, &files).and_then(|m| timed_run(&spec, &m)),
        };
        finish(ctx, id, result);
    });
}

fn timed_run(spec: &RunSpec, market: &MarketData) -> Result<Report, String> {
    let start = now();
    let report = engine::run_on(spec, market);
    measure("run", start);
    report
}

fn finish(ctx: Ctx, id: RunId, result: Result<Report, String>) {
    match result {
        Ok(report) => {
            if ctx.run.try_update(|m| m.finish(id)) == Some(true) {
                ctx.report.set(Some(Arc::new(report)));
            }
        }
        Err(message) => {
            ctx.run.update(|m| {
                m.fail(id, message);
            });
        }
    }
}

fn connection(ctx: Ctx) -> Result<Connection, String> {
    Connection::new(&ctx.key.get_untracked(), &ctx.gateway.get_untracked())
}

/// The connection for run `id`, or `None` after failing the run with the reason.
fn connection_for(ctx: Ctx, id: RunId) -> Option<Connection> {
    connection(ctx)
        .map_err(|e| {
            ctx.run.update(|m| {
                m.fail(id, e);
            })
        })
        .ok()
}

fn abortable<F: std::future::Future>(ctx: Ctx, future: F) -> Abortable<F> {
    let (handle, registration) = AbortHandle::new_pair();
    ctx.abort.set_value(Some(handle));
    Abortable::new(future, registration)
}

fn estimate(ctx: Ctx, spec: RunSpec) {
    let Some(id) = ctx.run.try_update(|m| m.start_estimate(spec.clone())).flatten() else { return };
    let Some(connection) = connection_for(ctx, id) else { return };
    let work = abortable(ctx, async move { api::estimate(&connection, &spec).await });
    spawn_local(async move {
        match work.await {
            Ok(Ok(estimate)) => ctx.run.update(|m| {
                m.estimated(id, estimate);
            }),
            Ok(Err(message)) => ctx.run.update(|m| {
                m.fail(id, message);
            }),
            Err(_aborted) => {}
        }
    });
}

fn fetch(ctx: Ctx, spec: RunSpec) {
    let id = match ctx.run.try_update(|m| m.start_fetch(&spec)) {
        Some(Ok(id)) => id,
        Some(Err(message)) => {
            ctx.notice.set(Some(message));
            return;
        }
        None => return,
    };
    let Some(connection) = connection_for(ctx, id) else { return };
    let progress = move |event: Progress| {
        ctx.run.update(|m| {
            m.progress(id, &event);
        })
    };
    let fetch_spec = spec.clone();
    let work = abortable(ctx, async move { api::fetch(&connection, &fetch_spec, &progress).await });
    spawn_local(async move {
        let market = match work.await {
            Ok(Ok(market)) => market,
            Ok(Err(message)) => {
                ctx.run.update(|m| {
                    m.fail(id, message);
                });
                refresh_cache(ctx);
                return;
            }
            Err(_aborted) => return,
        };
        refresh_cache(ctx);
        if ctx.run.try_update(|m| m.fetched(id)) != Some(true) {
            return;
        }
        next_frame().await;
        finish(ctx, id, timed_run(&spec, &market));
    });
}

/// The Cancel button.
pub fn cancel(ctx: Ctx) {
    if ctx.run.try_update(|m| m.cancel()).flatten().is_some() {
        if let Some(handle) = ctx.abort.try_update_value(Option::take).flatten() {
            handle.abort();
        }
    }
}

/// Files chosen or dropped: read them all, then replace the list.
pub fn load_files(ctx: Ctx, list: web_sys::FileList) {
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.item(i)).collect();
    if files.is_empty() {
        return;
    }
    spawn_local(async move {
        let mut loaded = Vec::with_capacity(files.len());
        for file in files {
            let name = file.name();
            if let Err(message) = engine::check_file_size(&name, file.size()) {
                ctx.notice.set(Some(message));
                return;
            }
            match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => loaded.push(DroppedFile { name, bytes: js_sys::Uint8Array::new(&buffer).to_vec() }),
                Err(e) => {
                    ctx.notice.set(Some(format!("{name} could not be read: {}", storage::js_text(e))));
                    return;
                }
            }
        }
        ctx.notice.set(None);
        ctx.files.set(Arc::new(loaded));
    });
}

/// Forget the dropped files.
pub fn clear_files(ctx: Ctx) {
    ctx.files.set(Arc::new(Vec::new()));
}

/// Forget the key in memory, and untick "remember": the device keeps nothing (the key and
/// gateway stored are removed).
pub fn forget_key(ctx: Ctx) {
    ctx.key.set(String::new());
    ctx.remember.set(false);
}

/// Download `format` of the current report: the core's bytes, as a file.
pub fn download(ctx: Ctx, format: ExportFormat) {
    let Some(report) = ctx.report.get_untracked() else { return };
    let wide = ctx.form.with_untracked(FormState::wide);
    let result = engine::export_bytes(&report, format, &wide)
        .and_then(|bytes| save_file(&format.file_name(&report), engine::export_mime(format), &bytes));
    if let Err(e) = result {
        ctx.notice.set(Some(e));
    }
}

fn save_file(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let fail = |e: wasm_bindgen::JsValue| format!("The download of {name} failed: {}", storage::js_text(e));
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.dyn_into().map_err(|_| "no anchor".to_owned())?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let revoke = url.clone();
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&revoke);
    })
    .forget();
    Ok(())
}

/// The "Copy share link" button: the page's URL — the spec and the source, never the key
/// or the gateway — onto the clipboard; `copied` shows it worked for two seconds.
pub fn copy_link(ctx: Ctx, copied: RwSignal<bool>) {
    let Some(window) = web_sys::window() else { return };
    let Ok(link) = window.location().href() else { return };
    let written = window.navigator().clipboard().write_text(&link);
    spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(written).await {
            Ok(_) => {
                copied.try_set(true);
                gloo_timers::future::sleep(std::time::Duration::from_secs(2)).await;
                copied.try_set(false);
            }
            Err(e) => ctx.notice.set(Some(format!(
                "The link could not be copied ({}): copy it from the address bar instead.",
                storage::js_text(e)
            ))),
        }
    });
}

/// Re-read the cache's size.
pub fn refresh_cache(ctx: Ctx) {
    spawn_local(async move {
        ctx.cache.set(storage::cache_usage().await.ok());
    });
}

/// The "clear cache" button.
pub fn clear_cache(ctx: Ctx) {
    spawn_local(async move {
        if let Err(e) = storage::clear_cache().await {
            ctx.notice.set(Some(format!("The cache could not be cleared: {e}")));
        }
        ctx.cache.set(storage::cache_usage().await.ok());
    });
}
