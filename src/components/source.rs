//! The data source: Demo, Databento ([`DatabentoInputs`]) or Files ([`FileDrop`]).

use deltaroll_core::demo::{DEMO_LABEL, DEMO_MAX_MONTHS_AHEAD};
use leptos::prelude::*;

use super::databento_tab::DatabentoInputs;
use super::files_tab::FileDrop;
use super::FieldMessages;
use crate::context::use_source;
use crate::state::form::Field;
use crate::state::source::{demo_range, SourceKind};

/// The source selector and each source's inputs.
#[component]
pub fn SourcePanel() -> impl IntoView {
    let source = use_source();
    let tabs = SourceKind::ALL
        .into_iter()
        .map(|kind| {
            view! {
                <label class="tab" class:active=move || source.source.get() == kind>
                    <input
                        type="radio"
                        name="source"
                        value=kind.code()
                        prop:checked=move || source.source.get() == kind
                        on:change=move |_| source.source.set(kind)
                    />
                    {kind.label()}
                </label>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="source-h">
            <h2 id="source-h">"Data source"</h2>
            <div class="tabs" role="radiogroup" aria-label="Data source">{tabs}</div>
            {move || match source.source.get() {
                SourceKind::Demo => view! { <DemoNote /> }.into_any(),
                SourceKind::Databento => view! { <DatabentoInputs /> }.into_any(),
                SourceKind::Files => view! { <FileDrop /> }.into_any(),
            }}
            <FieldMessages field=Field::Source />
        </section>
    }
}

#[component]
fn DemoNote() -> impl IntoView {
    let (first, last) = demo_range();
    view! {
        <p class="note simulated">
            <strong>{DEMO_LABEL}</strong>
            {format!(
                ": every product preset from {first} to {last}, each simulated with its own price level, volatility and smile, strike grid and expiry rules, options up to {DEMO_MAX_MONTHS_AHEAD} months ahead. Works offline, no key needed."
            )}
        </p>
    }
}
