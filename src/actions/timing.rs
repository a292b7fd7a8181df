//! Timings the benchmark reads from `window["deltaroll:<name>"]`.

/// Time in ms since the page started.
pub fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Record how long a step took, as `window["deltaroll:<name>"]` in ms (the benchmark reads it).
pub fn measure(name: &str, start: f64) {
    if let Some(w) = web_sys::window() {
        let key = wasm_bindgen::JsValue::from_str(&format!("deltaroll:{name}"));
        let _ = js_sys::Reflect::set(&w, &key, &wasm_bindgen::JsValue::from_f64(now() - start));
    }
}

/// Record the time since the page started as `window["deltaroll:<name>"]`, in ms.
pub fn mark(name: &str) {
    measure(name, 0.0);
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
