//! The data source's buttons: files chosen or dropped, and forgetting the key.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::context::{PageCtx, SourceCtx};
use crate::engine::{self, DroppedFile, FilesError};
use crate::state::app_error::AppError;
use crate::storage;

/// Files chosen or dropped: read them all, then replace the list.
pub fn load_files(source: SourceCtx, page: PageCtx, list: web_sys::FileList) {
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.item(i)).collect();
    if files.is_empty() {
        return;
    }
    spawn_local(async move {
        let mut loaded = Vec::with_capacity(files.len());
        for file in files {
            let name = file.name();
            if let Err(too_large) = engine::check_file_size(&name, file.size()) {
                page.notice.set(Some(too_large.into()));
                return;
            }
            match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => loaded.push(DroppedFile { name, bytes: js_sys::Uint8Array::new(&buffer).to_vec() }),
                Err(e) => {
                    let reason = storage::js_text(e);
                    page.notice.set(Some(AppError::Files(FilesError::NotRead { name, reason })));
                    return;
                }
            }
        }
        page.notice.set(None);
        source.files.set(Arc::new(loaded));
    });
}

/// Forget the dropped files.
pub fn clear_files(source: SourceCtx) {
    source.files.set(Arc::new(Vec::new()));
}

/// Forget the key in memory, and untick "remember": the device keeps nothing (the key and
/// gateway stored are removed).
pub fn forget_key(source: SourceCtx) {
    source.key.set(String::new());
    source.remember.set(false);
}
