//! The page's own context: messages that are not a run's, the response cache's size, and
//! window resizes (charts redraw).

use leptos::prelude::*;

use crate::state::app_error::AppError;

/// What the page shows besides the run.
#[derive(Clone, Copy)]
pub struct PageCtx {
    /// A failure that is not a run's (files, downloads, the clipboard, the cache, a fetch
    /// asked for too early), shown in the error area when no run failed.
    pub notice: RwSignal<Option<AppError>>,
    /// Bodies and bytes in the response cache.
    pub cache: RwSignal<Option<(usize, u64)>>,
    /// Bumped on window resize (charts redraw).
    pub resized: RwSignal<u32>,
}

impl PageCtx {
    /// No notice, the cache's size unknown.
    pub(crate) fn new() -> Self {
        Self { notice: RwSignal::new(None), cache: RwSignal::new(None), resized: RwSignal::new(0) }
    }
}

/// The page's context.
pub fn use_page() -> PageCtx {
    expect_context::<PageCtx>()
}
