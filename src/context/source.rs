//! The data source's context: which source, the key and gateway typed, the files dropped.

use std::sync::Arc;

use leptos::prelude::*;

use crate::engine::DroppedFile;
use crate::state::source::SourceKind;
use crate::storage;

/// Where market data comes from and what the user gave it.
#[derive(Clone, Copy)]
pub struct SourceCtx {
    /// The data source.
    pub source: RwSignal<SourceKind>,
    /// The API key (memory; localStorage only when `remember`).
    pub key: RwSignal<String>,
    /// "Remember on this device".
    pub remember: RwSignal<bool>,
    /// Gateway URL (Advanced; never from a link).
    pub gateway: RwSignal<String>,
    /// Dropped files.
    pub files: RwSignal<Arc<Vec<DroppedFile>>>,
}

impl SourceCtx {
    /// `source`, with the key and gateway this browser keeps.
    pub(crate) fn new(source: SourceKind) -> Self {
        let kept = storage::kept();
        Self {
            source: RwSignal::new(source),
            remember: RwSignal::new(!kept.is_empty()),
            key: RwSignal::new(kept.key.unwrap_or_default()),
            gateway: RwSignal::new(kept.gateway.unwrap_or_default()),
            files: RwSignal::new(Arc::new(Vec::new())),
        }
    }
}

/// The data source's context.
pub fn use_source() -> SourceCtx {
    expect_context::<SourceCtx>()
}
