//! The page's parts. Each renders the shared state and calls [`crate::actions`] on events;
//! none fetches or computes.

mod canvas;
mod chain_panel;
mod chart;
mod chart_grid;
mod databento_tab;
mod downloads;
mod error_view;
mod estimate_box;
mod fetch_progress;
mod files_tab;
mod form;
mod help_tip;
mod leg_editor;
mod pnl_summary;
mod results;
mod rolls_table;
mod run_buttons;
mod run_panel;
mod source;
#[cfg(test)]
mod tests;
mod warning_list;
mod zoom_bar;

pub use form::StrategyForm;
pub use results::Results;
pub use run_panel::RunPanel;
pub use source::SourcePanel;

use leptos::prelude::*;

use crate::context::use_form;
use crate::state::form::Field;

/// The messages for `field`, shown under it.
#[component]
pub fn FieldMessages(field: Field) -> impl IntoView {
    let form = use_form();
    move || {
        form.problems
            .get()
            .into_iter()
            .filter(|e| e.field == field)
            .map(|e| view! { <p class="field-msg" role="status">{e.message}</p> })
            .collect_view()
    }
}
