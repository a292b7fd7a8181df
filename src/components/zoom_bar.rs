//! The charts' date range: 1Y, 2Y and All buttons, From and To boxes (the keyboard's way to
//! a range of its own), and what the charts show (dragging across a chart sets it too).

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::context::use_run;
use crate::state::zoom::Zoom;

/// The zoom controls above the charts.
#[component]
pub fn ZoomBar() -> impl IntoView {
    let run = use_run();
    let full = move || run.chart.with(|d| d.as_ref().map(|d| d.dates()));
    let shown = move || full().map(|(first, last)| run.zoom.get().dates(first, last));
    let buttons = Zoom::PRESETS
        .map(|(zoom, label)| {
            let pressed = move || (run.zoom.get() == zoom).to_string();
            view! {
                <button
                    type="button"
                    class="secondary"
                    data-zoom=label
                    aria-pressed=pressed
                    on:click=move |_| run.zoom.set(zoom)
                >
                    {label}
                </button>
            }
        })
        .collect_view();
    // A typed end replaces that end of the range shown.
    let set_end = move |text: String, is_from: bool| {
        let (Ok(date), Some((from, to))) = (text.parse::<NaiveDate>(), shown()) else { return };
        let (from, to) = if is_from { (date, to) } else { (from, date) };
        if let Some(zoom) = Zoom::dragged(from, to) {
            run.zoom.set(zoom);
        }
    };
    let date_box = move |id: &'static str, label: &'static str, is_from: bool| {
        view! {
            <label class="zoom-date">
                <span>{label}</span>
                <input
                    type="date"
                    id=id
                    prop:value=move || shown().map(|(a, b)| if is_from { a } else { b }.to_string()).unwrap_or_default()
                    on:change=move |ev| set_end(event_target_value(&ev), is_from)
                />
            </label>
        }
    };
    let described = move || full().map(|(first, last)| run.zoom.get().describe(first, last));
    view! {
        <div class="zoom" role="group" aria-label="Date range of the charts and the rolls table">
            {buttons}
            {date_box("zoom-from", "From", true)}
            {date_box("zoom-to", "To", false)}
            <p class="hint" id="zoom-label" aria-live="polite">
                {described}
                " Drag across a chart to zoom."
            </p>
        </div>
    }
}
