//! What the browser keeps: the API key and the gateway URL (only while the user ticks
//! "remember on this device", see [`Kept`]), and Databento response bodies in IndexedDB
//! (the client's [`Cache`]; only answers that are whole and final are stored, so entries
//! never go stale). Each body's length is kept beside it, in a store of sizes under the
//! same key, so showing the cache's size reads numbers, never the bodies.

use deltaroll_databento::cache::Cache;
use deltaroll_databento::request::{is_link_key, CacheKey};

use crate::state::source::Kept;
use std::cell::RefCell;
use std::collections::HashSet;

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode, Storage};

const KEY_ITEM: &str = "deltaroll.apiKey";
const GATEWAY_ITEM: &str = "deltaroll.gateway";
const DB_NAME: &str = "deltaroll";
/// 2 added the store of sizes.
const DB_VERSION: u32 = 2;
/// Bodies by canonical request.
const STORE: &str = "responses";
/// Each body's length in bytes, by the same key.
const SIZES: &str = "sizes";

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
            for store in [STORE, SIZES] {
                if !db.object_store_names().contains(store) {
                    let _ = db.create_object_store(store);
                }
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

/// A transaction over `stores` on the page's connection (opened again once if it was given
/// up).
async fn transaction(stores: &[&str], mode: IdbTransactionMode) -> Result<IdbTransaction, JsValue> {
    let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
    match database().await?.transaction_with_str_sequence_and_mode(&names, mode) {
        Ok(tx) => Ok(tx),
        Err(_closed) => {
            forget_database();
            database().await?.transaction_with_str_sequence_and_mode(&names, mode)
        }
    }
}

/// One request on `store`, in a transaction of its own.
async fn store_request(
    store: &str,
    mode: IdbTransactionMode,
    make: impl FnOnce(&IdbObjectStore) -> Result<IdbRequest, JsValue>,
) -> Result<JsValue, JsValue> {
    let tx = transaction(&[store], mode).await?;
    let request = make(&tx.object_store(store)?)?;
    settle(&request).await
}

/// Databento response bodies in IndexedDB, by canonical request.
#[derive(Debug, Clone, Copy, Default)]
pub struct IdbCache;

impl Cache for IdbCache {
    async fn get(&self, key: &CacheKey) -> Option<Vec<u8>> {
        let value = store_request(STORE, IdbTransactionMode::Readonly, |s| s.get(&JsValue::from_str(key.as_str())))
            .await
            .ok()?;
        value.dyn_into::<Uint8Array>().ok().map(|a| a.to_vec())
    }

    /// The body and its size, in one transaction: both or neither.
    async fn put(&self, key: &CacheKey, bytes: &[u8]) {
        let Ok(tx) = transaction(&[STORE, SIZES], IdbTransactionMode::Readwrite).await else { return };
        let key = JsValue::from_str(key.as_str());
        let size = JsValue::from_f64(bytes.len() as f64);
        let body = tx.object_store(STORE).and_then(|s| s.put_with_key(&Uint8Array::from(bytes), &key));
        let sized = tx.object_store(SIZES).and_then(|s| s.put_with_key(&size, &key));
        if let (Ok(_), Ok(sized)) = (body, sized) {
            // Requests of a transaction complete in order: the last one done, both are.
            let _ = settle(&sized).await;
        }
    }
}

/// Bodies stored and their total size in bytes, from the store of sizes: no body is read,
/// except once each body stored before sizes were kept (to learn and keep its size).
pub async fn cache_usage() -> Result<(usize, u64), String> {
    let stored = store_request(STORE, IdbTransactionMode::Readonly, IdbObjectStore::count).await.map_err(js_text)?;
    let stored = stored.as_f64().unwrap_or(0.0) as usize;
    // Responses only: not the entries that say how far a kept answer reached.
    let keys: Array = store_request(STORE, IdbTransactionMode::Readonly, IdbObjectStore::get_all_keys)
        .await
        .map_err(js_text)?
        .unchecked_into();
    let count = keys.iter().filter(|k| !k.as_string().is_some_and(|k| is_link_key(&k))).count();
    let sizes: Array = store_request(SIZES, IdbTransactionMode::Readonly, IdbObjectStore::get_all)
        .await
        .map_err(js_text)?
        .unchecked_into();
    let mut bytes: u64 = sizes.iter().filter_map(|v| v.as_f64()).map(|n| n as u64).sum();
    if stored > sizes.length() as usize {
        bytes += learn_sizes().await.map_err(js_text)?;
    }
    Ok((count, bytes))
}

/// Record the size of every body that has none (stored by an older version of the page);
/// their total. Each such body is read once, one at a time, and only its length is used.
async fn learn_sizes() -> Result<u64, JsValue> {
    let keys = |store| store_request(store, IdbTransactionMode::Readonly, IdbObjectStore::get_all_keys);
    let stored: Array = keys(STORE).await?.unchecked_into();
    let sized: Array = keys(SIZES).await?.unchecked_into();
    let known: HashSet<String> = sized.iter().filter_map(|k| k.as_string()).collect();
    let mut learned = 0;
    for key in stored.iter().filter(|k| k.as_string().is_some_and(|k| !known.contains(&k))) {
        let body = store_request(STORE, IdbTransactionMode::Readonly, |s| s.get(&key)).await?;
        let Some(size) = body.dyn_ref::<Uint8Array>().map(Uint8Array::byte_length) else { continue };
        let value = JsValue::from_f64(f64::from(size));
        store_request(SIZES, IdbTransactionMode::Readwrite, |s| s.put_with_key(&value, &key)).await?;
        learned += u64::from(size);
    }
    Ok(learned)
}

/// Delete every stored body and size.
pub async fn clear_cache() -> Result<(), String> {
    let tx = transaction(&[STORE, SIZES], IdbTransactionMode::Readwrite).await.map_err(js_text)?;
    let cleared = tx.object_store(STORE).and_then(|s| s.clear());
    let sizes = tx.object_store(SIZES).and_then(|s| s.clear()).map_err(js_text)?;
    cleared.map_err(js_text)?;
    settle(&sizes).await.map(|_| ()).map_err(js_text)
}

/// A JS error as text.
pub fn js_text(value: JsValue) -> String {
    value
        .as_string()
        .or_else(|| value.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| format!("{value:?}"))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use deltaroll_databento::{Dataset, DateRange, GetRange, SType, Schema, Symbols};
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    fn request(day: u32) -> (GetRange, NaiveDate) {
        let date = NaiveDate::from_ymd_opt(2025, 1, day).expect("a date");
        let symbols = Symbols::one("HO.FUT").expect("a symbol");
        (GetRange::new(Dataset::glbx_mdp3(), Schema::Ohlcv1D, SType::Parent, symbols, DateRange::day(date)), date)
    }

    fn key(day: u32) -> CacheKey {
        request(day).0.cache_key()
    }

    async fn sizes_kept() -> u32 {
        let sizes = store_request(SIZES, IdbTransactionMode::Readonly, IdbObjectStore::get_all).await.expect("sizes");
        sizes.unchecked_into::<Array>().length()
    }

    #[wasm_bindgen_test]
    async fn the_cache_size_is_read_from_the_sizes_and_old_bodies_are_measured_once() {
        clear_cache().await.expect("cleared");
        assert_eq!(cache_usage().await, Ok((0, 0)));
        IdbCache.put(&key(2), &[1; 100]).await;
        IdbCache.put(&key(3), &[2; 50]).await;
        assert_eq!(cache_usage().await, Ok((2, 150)));
        assert_eq!(IdbCache.get(&key(2)).await, Some(vec![1; 100]));
        // Replaced: its size too.
        IdbCache.put(&key(3), &[2; 60]).await;
        assert_eq!(cache_usage().await, Ok((2, 160)));
        // How far a kept answer reached is not a response: its bytes count, not as one.
        let (two, date) = request(2);
        IdbCache.put(&two.link_key(date), b"2025-01-31").await;
        assert_eq!(cache_usage().await, Ok((2, 170)));

        // A body stored by an older page, with no size beside it.
        let old = Uint8Array::from(&[3u8; 30][..]);
        let at = JsValue::from_str(key(6).as_str());
        store_request(STORE, IdbTransactionMode::Readwrite, |s| s.put_with_key(&old, &at)).await.expect("stored");
        assert_eq!(sizes_kept().await, 3);
        assert_eq!(cache_usage().await, Ok((3, 200)));
        assert_eq!(sizes_kept().await, 4, "its size was learnt and kept");
        assert_eq!(cache_usage().await, Ok((3, 200)));

        clear_cache().await.expect("cleared");
        assert_eq!((cache_usage().await, sizes_kept().await), (Ok((0, 0)), 0));
    }
}
