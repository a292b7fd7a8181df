//! The page's own buttons: downloads of the report, the share link, the response cache.

use deltaroll_core::export::ExportFormat;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::context::{FormCtx, PageCtx, RunCtx};
use crate::engine;
use crate::state::app_error::AppError;
use crate::state::form::FormState;
use crate::storage;

/// Download `format` of the current report: the core's bytes, as a file.
pub fn download(form: FormCtx, run: RunCtx, page: PageCtx, format: ExportFormat) {
    let Some(report) = run.report.get_untracked() else { return };
    let wide = form.form.with_untracked(FormState::wide);
    let result = engine::export_bytes(&report, format, &wide)
        .and_then(|bytes| save_file(&format.file_name(&report), engine::export_mime(format), &bytes));
    if let Err(e) = result {
        page.notice.set(Some(AppError::Browser(e)));
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
pub fn copy_link(page: PageCtx, copied: RwSignal<bool>) {
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
            Err(e) => page.notice.set(Some(AppError::Browser(format!(
                "The link could not be copied ({}): copy it from the address bar instead.",
                storage::js_text(e)
            )))),
        }
    });
}

/// Re-read the cache's size.
pub fn refresh_cache(page: PageCtx) {
    spawn_local(async move {
        page.cache.set(storage::cache_usage().await.ok());
    });
}

/// The "clear cache" button.
pub fn clear_cache(page: PageCtx) {
    spawn_local(async move {
        if let Err(e) = storage::clear_cache().await {
            page.notice.set(Some(AppError::Browser(format!("The cache could not be cleared: {e}"))));
        }
        page.cache.set(storage::cache_usage().await.ok());
    });
}
