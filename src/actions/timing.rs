//! Timings the benchmark reads from `window["deltaroll:<name>"]`.

use wasm_bindgen::{JsCast, JsValue};

/// Time in ms since the page started.
pub fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Record how long a step took, as `window["deltaroll:<name>"]` in ms (the benchmark reads it),
/// and as a User Timing measure `deltaroll:<name>` from `start` to now, so the benchmark can
/// tell which step a long task was.
pub fn measure(name: &str, start: f64) {
    let Some(w) = web_sys::window() else { return };
    let end = now();
    let key = JsValue::from_str(&format!("deltaroll:{name}"));
    let _ = js_sys::Reflect::set(&w, &key, &JsValue::from_f64(end - start));
    user_timing(&w, &key, start, end);
}

/// `performance.measure(name, { start, end })` (User Timing level 3, which web-sys does not
/// bind: <https://w3c.github.io/user-timing/#measure-method>).
fn user_timing(w: &web_sys::Window, name: &JsValue, start: f64, end: f64) {
    let Some(performance) = w.performance() else { return };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("start"), &JsValue::from_f64(start));
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("end"), &JsValue::from_f64(end));
    if let Ok(method) = js_sys::Reflect::get(&performance, &JsValue::from_str("measure")) {
        if let Some(method) = method.dyn_ref::<js_sys::Function>() {
            let _ = method.call2(&performance, name, &options);
        }
    }
}

/// Record the time since the page started as `window["deltaroll:<name>"]`, in ms.
pub fn mark(name: &str) {
    measure(name, 0.0);
}

/// Mark that a chart was drawn (the benchmark's "first chart"), once.
pub fn chart_drawn() {
    if let Some(w) = web_sys::window() {
        let key = JsValue::from_str("deltaroll:first-chart");
        if js_sys::Reflect::get(&w, &key).map(|v| v.is_undefined()).unwrap_or(false) {
            let _ = js_sys::Reflect::set(&w, &key, &JsValue::from_f64(now()));
        }
    }
}
