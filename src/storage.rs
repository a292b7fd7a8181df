//! What the browser keeps: the API key and the gateway URL (only while the user ticks
//! "remember on this device", see [`Kept`]), and Databento response bodies in IndexedDB (the client's
//! [`Cache`]; only requests wholly in the past are stored, so entries never go stale).

use deltaroll_databento::cache::Cache;
use deltaroll_databento::request::CacheKey;

use crate::state::source::Kept;
use std::cell::RefCell;

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransactionMode, Storage};

const KEY_ITEM: &str = "deltaroll.apiKey";
const GATEWAY_ITEM: &str = "deltaroll.gateway";
const DB_NAME: &str = "deltaroll";
const DB_VERSION: u32 = 1;
const STORE: &str = "responses";

fn local_storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// What this browser keeps (written by [`keep`]; anything a rule of [`Kept`] would not
/// keep, e.g. a key saved as a gateway by an older version, is dropped).
pub fn kept() -> Kept {
    let item = |name| local_storage().and_then(|s| s.get_item(name).ok().flatten()).unwrap_or_default();
    Kept::new(true, &item(KEY_ITEM), &item(GATEWAY_ITEM))
}

/// Keep exactly `kept` in this browser: what it holds is written, the rest removed.
pub fn keep(kept: &Kept) {
    let Some(s) = local_storage() else { return };
    for (name, value) in [(KEY_ITEM, &kept.key), (GATEWAY_ITEM, &kept.gateway)] {
        let _ = match value {
            Some(value) => s.set_item(name, value),
            None => s.remove_item(name),
        };
    }
}

/// Wait for an IndexedDB request: its result, or why it failed.
async fn settle(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = Promise::new(&mut |resolve, reject| {
        let done = request.clone();
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &done.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failed = request.clone();
        let err = Closure::once_into_js(move |_: web_sys::Event| {
            let why =
                failed.error().ok().flatten().map_or_else(|| "IndexedDB request failed".to_owned(), |e| e.message());
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&why));
        });
        request.set_onsuccess(Some(ok.unchecked_ref()));
        request.set_onerror(Some(err.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

async fn open() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .indexed_db()?
        .ok_or_else(|| JsValue::from_str("IndexedDB is not available"))?;
    let request: IdbOpenDbRequest = factory.open_with_u32(DB_NAME, DB_VERSION)?;
    let upgrade = Closure::once_into_js(move |event: web_sys::IdbVersionChangeEvent| {
        let db = event
            .target()
            .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(db) = db {
            if !db.object_store_names().contains(STORE) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    Ok(settle(&request).await?.unchecked_into())
}

thread_local! {
    /// The open database, shared by every cache read and write of the page.
    static DATABASE: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

/// The page's connection to the database, opened on first use. It is given up when another
/// tab upgrades the database, or when a transaction cannot start on it.
async fn database() -> Result<IdbDatabase, JsValue> {
    if let Some(db) = DATABASE.with_borrow(Clone::clone) {
        return Ok(db);
    }
    let db = open().await?;
    if let Some(first) = DATABASE.with_borrow(Clone::clone) {
        // Another read opened it meanwhile: keep one connection.
        db.close();
        return Ok(first);
    }
    let closing = db.clone();
    let on_upgrade = Closure::<dyn FnMut()>::new(move || {
        closing.close();
        forget_database();
    });
    db.set_onversionchange(Some(on_upgrade.as_ref().unchecked_ref()));
    on_upgrade.forget();
    DATABASE.with_borrow_mut(|slot| *slot = Some(db.clone()));
    Ok(db)
}

fn forget_database() {
    DATABASE.with_borrow_mut(|slot| *slot = None);
}

async fn store_request(
    mode: IdbTransactionMode,
    make: impl FnOnce(&web_sys::IdbObjectStore) -> Result<IdbRequest, JsValue>,
) -> Result<JsValue, JsValue> {
    let tx = match database().await?.transaction_with_str_and_mode(STORE, mode) {
        Ok(tx) => tx,
        Err(_closed) => {
            forget_database();
            database().await?.transaction_with_str_and_mode(STORE, mode)?
        }
    };
    let request = make(&tx.object_store(STORE)?)?;
    settle(&request).await
}

/// Databento response bodies in IndexedDB, by canonical request.
#[derive(Debug, Clone, Copy, Default)]
pub struct IdbCache;

impl Cache for IdbCache {
    async fn get(&self, key: &CacheKey) -> Option<Vec<u8>> {
        let value =
            store_request(IdbTransactionMode::Readonly, |s| s.get(&JsValue::from_str(key.as_str()))).await.ok()?;
        value.dyn_into::<Uint8Array>().ok().map(|a| a.to_vec())
    }

    async fn put(&self, key: &CacheKey, bytes: &[u8]) {
        let value = Uint8Array::from(bytes);
        let _ =
            store_request(IdbTransactionMode::Readwrite, |s| s.put_with_key(&value, &JsValue::from_str(key.as_str())))
                .await;
    }
}

/// Bodies stored and their total size in bytes.
pub async fn cache_usage() -> Result<(usize, u64), String> {
    let all = store_request(IdbTransactionMode::Readonly, |s| s.get_all()).await.map_err(js_text)?;
    let all: Array = all.unchecked_into();
    let bytes = all.iter().filter_map(|v| v.dyn_into::<Uint8Array>().ok()).map(|a| u64::from(a.byte_length())).sum();
    Ok((all.length() as usize, bytes))
}

/// Delete every stored body.
pub async fn clear_cache() -> Result<(), String> {
    store_request(IdbTransactionMode::Readwrite, |s| s.clear()).await.map(|_| ()).map_err(js_text)
}

/// A JS error as text.
pub fn js_text(value: JsValue) -> String {
    value
        .as_string()
        .or_else(|| value.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| format!("{value:?}"))
}
