//! Response cache. A request whose date range lies wholly in the past returns the same
//! bytes forever, so its body can be kept, keyed by the canonical request
//! ([`GetRange::cache_key`](crate::request::GetRange::cache_key)). Only bodies that decoded
//! whole are stored. The trait is async so the browser can implement it on IndexedDB.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;

use crate::request::CacheKey;

/// A store of response bodies by canonical request. Best effort: a failed read is a miss,
/// a failed write is dropped (the request is simply made again next time).
pub trait Cache {
    /// The stored body for `key`, if any.
    fn get(&self, key: &CacheKey) -> impl Future<Output = Option<Vec<u8>>>;
    /// Store `bytes` for `key`.
    fn put(&self, key: &CacheKey, bytes: &[u8]) -> impl Future<Output = ()>;
    /// Whether a body is stored for `key`. By default it is read; a store that can tell
    /// without reading the body should say so cheaply (asking whether a run is cached
    /// must not read every body it holds).
    fn contains(&self, key: &CacheKey) -> impl Future<Output = bool> {
        async move { self.get(key).await.is_some() }
    }
}

/// No cache: every request goes to the network.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCache;

impl Cache for NoCache {
    async fn get(&self, _key: &CacheKey) -> Option<Vec<u8>> {
        None
    }
    async fn put(&self, _key: &CacheKey, _bytes: &[u8]) {}
}

/// An in-memory cache (tests, one session of the app).
#[derive(Debug, Default)]
pub struct MemoryCache {
    entries: Mutex<HashMap<CacheKey, Vec<u8>>>,
}

impl MemoryCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of stored bodies.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |m| m.len())
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Cache for MemoryCache {
    async fn get(&self, key: &CacheKey) -> Option<Vec<u8>> {
        self.entries.lock().ok()?.get(key).cloned()
    }
    async fn contains(&self, key: &CacheKey) -> bool {
        self.entries.lock().is_ok_and(|m| m.contains_key(key))
    }
    async fn put(&self, key: &CacheKey, bytes: &[u8]) {
        if let Ok(mut m) = self.entries.lock() {
            m.insert(key.clone(), bytes.to_vec());
        }
    }
}

/// A cache or none (a run with `--no-cache`): `None` keeps nothing.
impl<C: Cache> Cache for Option<C> {
    async fn get(&self, key: &CacheKey) -> Option<Vec<u8>> {
        match self {
            Some(cache) => cache.get(key).await,
            None => None,
        }
    }
    async fn put(&self, key: &CacheKey, bytes: &[u8]) {
        if let Some(cache) = self {
            cache.put(key, bytes).await;
        }
    }
    async fn contains(&self, key: &CacheKey) -> bool {
        match self {
            Some(cache) => cache.contains(key).await,
            None => false,
        }
    }
}

impl<C: Cache> Cache for &C {
    fn get(&self, key: &CacheKey) -> impl Future<Output = Option<Vec<u8>>> {
        (**self).get(key)
    }
    fn put(&self, key: &CacheKey, bytes: &[u8]) -> impl Future<Output = ()> {
        (**self).put(key, bytes)
    }
    fn contains(&self, key: &CacheKey) -> impl Future<Output = bool> {
        (**self).contains(key)
    }
}

#[cfg(feature = "native")]
pub use disk::DiskCache;

#[cfg(feature = "native")]
mod disk {
    use std::path::{Path, PathBuf};

    use sha2::{Digest, Sha256};

    use super::Cache;
    use crate::request::CacheKey;

    /// A directory of bodies, one file per request named by the SHA-256 of its canonical
    /// key. Writes go to a temporary file renamed into place, so a reader never sees half
    /// a body.
    #[derive(Debug, Clone)]
    pub struct DiskCache {
        dir: PathBuf,
    }

    impl DiskCache {
        /// A cache in `dir` (created when missing).
        pub fn new(dir: impl Into<PathBuf>) -> std::io::Result<Self> {
            let dir = dir.into();
            std::fs::create_dir_all(&dir)?;
            Ok(Self { dir })
        }

        /// The directory.
        pub fn dir(&self) -> &Path {
            &self.dir
        }

        /// The file that holds `key`'s body.
        pub fn path_for(&self, key: &CacheKey) -> PathBuf {
            let hash: String = Sha256::digest(key.as_str().as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
            self.dir.join(hash)
        }
    }

    impl Cache for DiskCache {
        async fn get(&self, key: &CacheKey) -> Option<Vec<u8>> {
            std::fs::read(self.path_for(key)).ok()
        }

        async fn contains(&self, key: &CacheKey) -> bool {
            self.path_for(key).is_file()
        }

        async fn put(&self, key: &CacheKey, bytes: &[u8]) {
            let path = self.path_for(key);
            let tmp = path.with_extension(format!("tmp{}", std::process::id()));
            if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, &path).is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
        }
    }
}

#[cfg(all(test, feature = "native"))]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::testing::{d, ho_futures};
    use crate::types::DateRange;
    use dbn::Schema;

    fn key() -> CacheKey {
        ho_futures(Schema::Ohlcv1D, DateRange::day(d(2025, 1, 2))).cache_key()
    }

    #[tokio::test]
    async fn disk_cache_round_trips() {
        let dir = std::env::temp_dir().join(format!("deltaroll-cache-test-{}", std::process::id()));
        let cache = DiskCache::new(&dir).unwrap();
        assert_eq!(cache.get(&key()).await, None);
        assert!(!cache.contains(&key()).await);
        cache.put(&key(), b"DBN body").await;
        assert_eq!(cache.get(&key()).await.as_deref(), Some(&b"DBN body"[..]));
        assert!(cache.contains(&key()).await);
        let name = cache.path_for(&key());
        assert_eq!(name.file_name().unwrap().len(), 64);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn memory_cache_round_trips() {
        let cache = MemoryCache::new();
        assert!(!cache.contains(&key()).await);
        cache.put(&key(), b"x").await;
        assert_eq!(cache.get(&key()).await, Some(b"x".to_vec()));
        assert!(cache.contains(&key()).await && !None::<MemoryCache>.contains(&key()).await);
        assert_eq!(cache.len(), 1);
    }
}
