//! The app's shared state: signals holding the plain structs of [`crate::state`], in four
//! small contexts provided separately, so each component and action takes only what it
//! uses: the strategy form ([`FormCtx`]), the data source ([`SourceCtx`]), the run and its
//! report ([`RunCtx`]) and the page's own messages, cache size and size ([`PageCtx`]).

mod form;
mod page;
mod run;
mod source;

pub use form::{use_form, FormCtx};
pub use page::{use_page, PageCtx};
pub use run::{use_run, RunCtx};
pub use source::{use_source, SourceCtx};

use leptos::prelude::*;

use crate::state::link;

/// Every context, as [`Contexts::provide`] made them (the app's effects and the component
/// tests hold them all; components ask for theirs with the `use_*` accessors).
#[derive(Clone, Copy)]
pub struct Contexts {
    /// The strategy form.
    pub form: FormCtx,
    /// The data source.
    pub source: SourceCtx,
    /// The run and its report.
    pub run: RunCtx,
    /// The page's notices, cache size and resizes.
    pub page: PageCtx,
}

fn location_query() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

impl Contexts {
    /// Fresh state — the form and source from the page's link, the key and gateway stored —
    /// each part provided as its own context.
    pub(crate) fn provide() -> Self {
        let restored = link::decode(&location_query());
        let source = SourceCtx::new(restored.source.unwrap_or_default());
        let form = FormCtx::new(restored.form, source);
        let run = RunCtx::new();
        let page = PageCtx::new();
        provide_context(form);
        provide_context(source);
        provide_context(run);
        provide_context(page);
        Self { form, source, run, page }
    }
}
