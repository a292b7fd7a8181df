//! The report's downloads (every export of the core: wide, tidy and P&L CSVs, the JSON
//! manifest) and the share link button.

use deltaroll_core::export::ExportFormat;
use deltaroll_core::parse::Named;
use leptos::prelude::*;

use crate::actions;
use crate::context::{use_form, use_page, use_run};

/// One button per export, and "Copy share link".
#[component]
pub fn Downloads() -> impl IntoView {
    let (form, run, page) = (use_form(), use_run(), use_page());
    let copied = RwSignal::new(false);
    let downloads = ExportFormat::ALL
        .iter()
        .map(|&format| {
            view! {
                <button
                    type="button"
                    class="secondary"
                    data-download=format.as_str()
                    on:click=move |_| actions::download(form, run, page, format)
                >
                    {format.label()}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="downloads">
            {downloads}
            <button type="button" class="secondary" id="copy-link" on:click=move |_| actions::copy_link(page, copied)>
                {move || if copied.get() { "Link copied" } else { "Copy share link" }}
            </button>
        </div>
    }
}
