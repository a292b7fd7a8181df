//! The Files tab: the drop zone, what each dropped file was recognised as, and the
//! checklist of what the run needs from them, with a one-click switch to trade closes
//! when settlements are missing.

use std::sync::Arc;

use deltaroll_core::market::{MarketData, PriceSource};
use deltaroll_core::settings::setting;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::actions;
use crate::context::{use_form, use_page, use_source};
use crate::engine::{self, FilesError};
use crate::state::files::{checklist, recognise, Checklist};
use crate::state::run::bytes;

/// The drop zone and what the dropped files give.
#[component]
pub fn FileDrop() -> impl IntoView {
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
    let recognised = Memo::new(move |_| source.files.with(|files| files.iter().map(recognise).collect::<Vec<_>>()));
    let listed = move || {
        source
            .files
            .with(|files| files.iter().map(|f| bytes(f.bytes.len() as u64)).collect::<Vec<_>>())
            .into_iter()
            .zip(recognised.get())
            .map(|(size, summary)| {
                let bad = summary.found.is_err();
                view! { <li class:field-msg=bad>{summary.line()} {format!(" ({size})")}</li> }
            })
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
            <NeedsList />
            <button type="button" class="secondary" on:click=move |_| actions::clear_files(source)>
                "Remove files"
            </button>
        </Show>
    }
}

/// The market the files give for the form's product (built again only when the files or
/// the product change), or why they give none.
type FilesMarket = Option<Result<Arc<MarketData>, FilesError>>;

/// The checklist of what the run needs, each need ticked or not.
#[component]
fn NeedsList() -> impl IntoView {
    let (form, source) = (use_form(), use_source());
    let spec = Memo::new(move |_| form.form.with(|f| f.spec().ok()));
    let product = Memo::new(move |_| spec.with(|s| s.as_ref().map(|s| s.product.clone())));
    // Markets are large: a rebuilt one is always "changed", never compared.
    let market: Memo<FilesMarket> = Memo::new_with_compare(
        move |_| {
            let product = product.get()?;
            let files = source.files.get();
            let mut spec = spec.get_untracked()?;
            spec.product = product;
            Some(engine::market_from_files(&spec, &files).map(Arc::new))
        },
        |_, _| true,
    );
    let list = Memo::new(move |_| {
        let spec = spec.get()?;
        market.with(|m| m.as_ref().map(|m| checklist(&spec, m.as_ref().map(Arc::as_ref))))
    });
    let use_closes = move |_| {
        form.form.update(|f| {
            if let Some(price_source) = setting("price_source") {
                f.set(price_source, PriceSource::Close.as_str());
            }
        })
    };
    move || {
        list.get().map(|list: Checklist| {
            let complete = list.complete();
            let needs = list
                .needs
                .into_iter()
                .map(|need| {
                    let mark = if need.ok { "✓" } else { "✗" };
                    view! {
                        <li class:ok=need.ok class:missing=!need.ok>
                            <span class="mark" aria-hidden="true">{mark}</span>
                            <span class="sr-only">{if need.ok { "Found: " } else { "Missing: " }}</span>
                            <strong>{need.what}</strong>
                            ": "
                            {need.detail}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="needs" id="needs">
                    <p>
                        {if complete {
                            "The run has what it needs:"
                        } else {
                            "What the run needs (Run still works, but fails or leaves gaps where a need is missing):"
                        }}
                    </p>
                    <ul>{needs}</ul>
                    {list.offer_closes.then(|| view! {
                        <p>
                            "The files have trade closes but no settlements for these dates. "
                            <button type="button" id="use-closes" class="secondary" on:click=use_closes>
                                "Use trade closes"
                            </button>
                        </p>
                    })}
                </div>
            }
        })
    }
}
