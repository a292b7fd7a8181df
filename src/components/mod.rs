//! The page's parts. Each renders the shared state and calls [`crate::actions`] on events;
//! none fetches or computes.

mod chart;
mod form;
mod results;
mod run_panel;
mod source;
#[cfg(test)]
mod tests;

pub use form::StrategyForm;
pub use results::Results;
pub use run_panel::RunPanel;
pub use source::SourcePanel;

use leptos::prelude::*;

use crate::context::use_ctx;
use crate::state::form::Field;

/// The messages for `field`, shown under it.
#[component]
pub fn FieldMessages(field: Field) -> impl IntoView {
    let ctx = use_ctx();
    move || {
        ctx.problems
            .get()
            .into_iter()
            .filter(|e| e.field == field)
            .map(|e| view! { <p class="field-msg" role="status">{e.message}</p> })
            .collect_view()
    }
}
