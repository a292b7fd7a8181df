//! deltaroll's web app: run the rolling delta strategy in the browser on the demo market,
//! Databento or dropped files; chart it, download the core's exports, share a link.
//!
//! - [`state`]: plain structs with methods (form, source, share links, run state machine,
//!   report as shown), tested natively;
//! - [`charts`]: plotters drawing generic over the backend, tested on a bitmap;
//! - [`engine`]: demo and file runs and export bytes (no DOM, no fetch);
//! - wasm32 only: `app`, `context` and `components` (Leptos: four small contexts of
//!   shared signals, render state), `actions` (what buttons do), `api` (the only module
//!   that fetches), `storage` (localStorage and the IndexedDB response cache).

pub mod chain_plot;
pub mod charts;
pub mod engine;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod actions;
#[cfg(target_arch = "wasm32")]
mod api;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod context;
#[cfg(target_arch = "wasm32")]
mod storage;

/// Start the app: install the panic hook (console and a visible message) and mount it on
/// `<body>`.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_fatal(&format!(
            "deltaroll hit a bug and stopped ({info}). Reload the page: the link keeps your settings."
        ));
    }));
    // The benchmark's "wasm started" (scripts/bench-web): the module is loaded and running.
    actions::mark("started");
    leptos::mount::mount_to_body(app::App);
    actions::mark("mounted");
}

/// Show a message in the page's fatal-error box (plain DOM: the app may be gone).
#[cfg(target_arch = "wasm32")]
fn show_fatal(message: &str) {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("fatal")) {
        el.set_text_content(Some(message));
        let _ = el.remove_attribute("hidden");
    }
}

/// Natively there is nothing to start: the app is built for the browser with trunk.
#[cfg(not(target_arch = "wasm32"))]
pub fn start() {
    eprintln!("deltaroll-web runs in the browser: `bash scripts/serve` builds and serves it on http://127.0.0.1:8080");
}
