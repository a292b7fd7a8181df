//! Run from elsewhere than the Run button: Enter in a field, the "out of date" banner. Both
//! press the Run button itself, so they do exactly what it says (and nothing when it is
//! disabled).

use wasm_bindgen::JsCast;

/// Press the Run button, when it is enabled.
pub fn press_run() {
    let button = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("run"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlButtonElement>().ok());
    if let Some(button) = button.filter(|b| !b.disabled()) {
        button.click();
    }
}

/// Enter in a text, number, date or password field runs (not in buttons, drop-downs,
/// check boxes or the file picker, where Enter already does something).
pub fn enter_runs(ev: &web_sys::KeyboardEvent) {
    if ev.key() != "Enter" || ev.is_composing() {
        return;
    }
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
    if matches!(input.type_().as_str(), "text" | "number" | "date" | "password" | "url" | "search") {
        ev.prevent_default();
        press_run();
    }
}
