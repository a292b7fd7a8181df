//! Each roll day's kept chain, cached beside its two bodies: a re-run reads it instead of
//! the bodies and builds the same market; a corrupt entry or another run's legs fall back
//! to the bodies.

use std::cell::RefCell;

use deltaroll_core::legs::parse_legs;
use deltaroll_core::spec::RunSpec;
use deltaroll_databento::cache::{Cache, MemoryCache};
use deltaroll_databento::fetch::fetch_market;
use deltaroll_databento::request::{is_link_key, CacheKey};
use deltaroll_databento::{BaseUrl, Client, Offline, Progress};
use fake_databento::FakeConfig;

use crate::{client, d, start};

/// A memory cache that notes the keys read and written.
#[derive(Default)]
struct Noting {
    inner: MemoryCache,
    read: RefCell<Vec<String>>,
    written: RefCell<Vec<CacheKey>>,
}

impl Noting {
    /// Reads of roll days' definitions bodies (not of what is derived from them).
    fn definitions_read(&self) -> usize {
        self.read.borrow().iter().filter(|k| k.contains("schema=definition") && !is_derived(k)).count()
    }

    fn derived_written(&self) -> Vec<CacheKey> {
        self.written.borrow().iter().filter(|k| is_derived(k.as_str())).cloned().collect()
    }
}

fn is_derived(key: &str) -> bool {
    key.contains("kept-chain")
}

impl Cache for Noting {
    async fn get(&self, key: &CacheKey) -> Option<Vec<u8>> {
        self.read.borrow_mut().push(key.as_str().to_owned());
        self.inner.get(key).await
    }
    async fn put(&self, key: &CacheKey, bytes: &[u8]) {
        self.written.borrow_mut().push(key.clone());
        self.inner.put(key, bytes).await;
    }
}

fn spec() -> RunSpec {
    RunSpec::new(d(2025, 1, 2), d(2025, 2, 28))
}

#[tokio::test]
async fn a_rerun_reads_the_kept_chains_not_the_bodies_and_falls_back_when_it_must() {
    let server = start(FakeConfig::synthetic()).await;
    let today = d(2026, 1, 1);
    let cache = Noting::default();
    let first = fetch_market(&client(&server).with_cache(&cache, today), &spec(), &|_| {}).await.unwrap();
    let entries = cache.derived_written();
    let rolls = spec().roll_months().count();
    assert_eq!(entries.len(), rolls, "one kept chain per roll day");
    assert!(entries.iter().all(|k| is_link_key(k.as_str())), "not counted as answers");

    let offline = Client::keyless(Offline).with_base_url(BaseUrl::parse(&server.url()).unwrap());
    let offline = offline.with_cache(&cache, today);
    let rerun = || async {
        cache.read.borrow_mut().clear();
        let cached = RefCell::new(0);
        let market = fetch_market(&offline, &spec(), &|p| {
            if matches!(p, Progress::Done { cached: true, .. }) {
                *cached.borrow_mut() += 1;
            }
        })
        .await
        .unwrap();
        (market, cache.definitions_read(), cached.into_inner())
    };
    let (second, read, cached) = rerun().await;
    assert_eq!(second.content_hash(), first.content_hash());
    assert_eq!(read, 0, "no roll day's body read");
    assert!(cached >= 2 * rolls, "both requests of each roll day reported done from the cache: {cached}");

    // A corrupt entry is a miss: the bodies are read, the same market built, the entry
    // written again.
    for key in &entries {
        cache.inner.put(key, b"deltaroll kept chain v1\n\xFF\xFF").await;
    }
    cache.written.borrow_mut().clear();
    let (third, read, _) = rerun().await;
    assert_eq!(third.content_hash(), first.content_hash());
    assert_eq!(read, rolls, "each roll day's definitions read from their body");
    assert_eq!(cache.derived_written(), entries);
    assert_eq!(rerun().await.1, 0, "read from the rewritten entries");
    server.shutdown().await;
}

#[tokio::test]
async fn other_legs_miss_the_kept_chains_and_still_get_their_own_market() {
    let server = start(FakeConfig::synthetic()).await;
    let today = d(2026, 1, 1);
    let cache = Noting::default();
    let api = client(&server).with_cache(&cache, today);
    fetch_market(&api, &spec(), &|_| {}).await.unwrap();
    let mut nearer = spec();
    nearer.legs = parse_legs("short:call:0.15", 1).unwrap();
    let fresh = fetch_market(&client(&server), &nearer, &|_| {}).await.unwrap();

    cache.read.borrow_mut().clear();
    let from_cache = fetch_market(&api, &nearer, &|_| {}).await.unwrap();
    assert_eq!(from_cache.content_hash(), fresh.content_hash(), "as fetched without any cache");
    assert!(cache.definitions_read() > 0, "the other months' chains come from the bodies");
    let months = |keys: Vec<CacheKey>| {
        keys.iter().map(|k| k.as_str().split("|from=").next().unwrap().to_owned()).collect::<Vec<_>>()
    };
    let kinds = months(cache.derived_written());
    assert!(kinds.iter().any(|k| k != &kinds[0]), "each run's months kept apart: {kinds:?}");
    server.shutdown().await;
}
