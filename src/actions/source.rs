//! The data source's buttons: files chosen or dropped, forgetting the key, testing the
//! connection, copying the relay command.

use std::sync::Arc;

use deltaroll_databento::Dataset;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Connection};
use crate::context::{PageCtx, SourceCtx};
use crate::engine::{self, DroppedFile, FilesError};
use crate::state::app_error::AppError;
use crate::state::connection::ConnectionTest;
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

/// "Test connection": the key and gateway typed, tried with one free call of `dataset`;
/// the answer is dropped if the key or gateway changed meanwhile (the test was reset).
pub fn test_connection(source: SourceCtx, dataset: Dataset, test: RwSignal<ConnectionTest>) {
    let connection = match Connection::new(&source.key.get_untracked(), &source.gateway.get_untracked()) {
        Ok(connection) => connection,
        Err(e) => return test.set(ConnectionTest::Fails(e)),
    };
    test.set(ConnectionTest::Testing);
    spawn_local(async move {
        let found = match api::test_connection(&connection, &dataset).await {
            Ok(text) => ConnectionTest::Works(text),
            Err(e) => ConnectionTest::Fails(e),
        };
        test.try_update(|t| {
            if *t == ConnectionTest::Testing {
                *t = found;
            }
        });
    });
}

/// The relay command's Copy button: `copied` says it worked for two seconds (a refusal
/// leaves the command on screen to select by hand).
pub fn copy_command(command: String, copied: RwSignal<bool>) {
    let Some(window) = web_sys::window() else { return };
    let written = window.navigator().clipboard().write_text(&command);
    spawn_local(async move {
        if wasm_bindgen_futures::JsFuture::from(written).await.is_ok() {
            copied.try_set(true);
            gloo_timers::future::sleep(std::time::Duration::from_secs(2)).await;
            copied.try_set(false);
        }
    });
}
