//! The data source: Demo, Databento ([`DatabentoInputs`]) or Files (drop zone).

use deltaroll_core::demo::{DEMO_LABEL, DEMO_MAX_MONTHS_AHEAD};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::databento_tab::DatabentoInputs;
use super::FieldMessages;
use crate::actions;
use crate::context::{use_page, use_source};
use crate::state::form::Field;
use crate::state::run::bytes;
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
                ": HO futures and OH options from {first} to {last} (the other presets scaled from them to their own price level, strike scale and expiry rules), options up to {DEMO_MAX_MONTHS_AHEAD} months ahead. Works offline, no key needed."
            )}
        </p>
    }
}

#[component]
fn FileDrop() -> impl IntoView {
    let (source, page) = (use_source(), use_page());
    let over = RwSignal::new(false);
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        over.set(false);
        if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
            actions::load_files(source, page, list);
        }
    };
    let on_pick = move |ev: web_sys::Event| {
        let list = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).and_then(|i| i.files());
        if let Some(list) = list {
            actions::load_files(source, page, list);
        }
    };
    let listed = move || {
        source
            .files
            .get()
            .iter()
            .map(|f| view! { <li>{format!("{} ({})", f.name, bytes(f.bytes.len() as u64))}</li> })
            .collect_view()
    };
    view! {
        <label
            class="drop"
            class:over=move || over.get()
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                over.set(true);
            }
            on:dragleave=move |_| over.set(false)
            on:drop=on_drop
        >
            <input id="files" type="file" multiple accept=".dbn,.json,.jsonl,.csv,.zst" on:change=on_pick />
            <span>
                "Drop DBN, JSON or CSV files exported from Databento here, or click to choose them. They are read in this browser only (works offline)."
            </span>
        </label>
        <ul class="files">{listed}</ul>
        <Show when=move || !source.files.with(|f| f.is_empty())>
            <button type="button" class="secondary" on:click=move |_| actions::clear_files(source)>
                "Remove files"
            </button>
        </Show>
    }
}
