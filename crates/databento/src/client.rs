//! The client: sends built requests through a [`Transport`], retries what may succeed on a
//! second try (429 after `Retry-After`, 5xx and network failures after jittered
//! exponential backoff, a bounded number of times; failures Databento may have billed, a
//! bounded and smaller number of times), classifies every failure into an [`ApiError`],
//! checks and decodes bodies whole, runs several requests at once (4 by default), reports
//! progress, and keeps in its cache only answers that are whole and final.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use chrono::NaiveDate;
use futures::stream::{self, StreamExt};

use crate::base_url::BaseUrl;
use crate::cache::{Cache, NoCache};
use crate::decode::{decode_csv, decode_dbn, decode_json_lines, Decoded};
use crate::error::{shorten, ApiError, ServerMessage, TransportError, TransportErrorKind, MESSAGE_CHARS};
use crate::request::{
    CacheKey, DatasetRange, Endpoint, Gateway, GetCost, GetDatasetRange, GetRange, HttpRequest, Resolution,
    SymbologyResolve, DEFAULT_MAX_BODY_BYTES,
};
use crate::segments;
use crate::transport::{HttpResponse, Transport};
use crate::types::{ApiKey, Dataset, DateRange};
use crate::Encoding;

/// How failed requests are retried.
///
/// `timeseries.get_range` is billable: Databento bills the data it serves, so a retry of a
/// request it already served is billed again. Its failures are sorted by whether the
/// server could have billed the attempt:
///
/// - **may have been billed**, retried at most [`billable_retries`](Self::billable_retries)
///   times: a body that arrived but is cut short (fewer bytes than its `Content-Length`) or
///   does not decode; a connection that broke while the body was read; a timeout (the
///   server may have been sending); the browser's `fetch` failing (the page is not told at
///   which stage, and a CORS refusal of the answer comes after the server served it); any
///   other transport failure.
/// - **not billed**, retried up to [`max_tries`](Self::max_tries) like every request: 429
///   (refused before anything is served), 5xx (the server answered with an error instead of
///   data), a connection that could not be made (the request never reached the server).
///
/// The free metadata and symbology calls are retried up to `max_tries` whatever failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Most attempts per request, the first included (5).
    pub max_tries: u32,
    /// Most retries of a billable request after failures Databento may have billed (1),
    /// within `max_tries`: a second try of a body that arrived cut short often succeeds,
    /// and each try may cost as much as the first.
    pub billable_retries: u32,
    /// Backoff before the second attempt; doubled each time (500 ms).
    pub base_delay: Duration,
    /// Longest backoff (30 s).
    pub max_delay: Duration,
    /// Longest `Retry-After` honoured; a longer one fails at once with the wait in the
    /// message (5 min).
    pub max_retry_after: Duration,
    /// Seed of the jitter, so runs (and tests) are reproducible.
    pub seed: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_tries: 5,
            billable_retries: 1,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(300),
            seed: 0x5EED_DE17_A011,
        }
    }
}

/// Progress of a batch of requests.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// A phase of a fetch starts (see [`crate::plan`]).
    Phase {
        /// 1, 2 or 3.
        phase: u8,
        /// Requests in it.
        requests: usize,
    },
    /// A request finished.
    Done {
        /// What it fetched.
        label: String,
        /// Requests finished so far in this batch.
        done: usize,
        /// Requests in this batch.
        total: usize,
        /// Body bytes received so far in this batch.
        bytes: u64,
        /// Whether this one came from the cache.
        cached: bool,
        /// Whether its data is in the cache now, so a later run reads it instead of buying
        /// it again: only ranges that ended before today and are published in full are
        /// kept (and nothing without a cache, nor a free request's answer).
        saved: bool,
    },
    /// A request failed and will be tried again after `wait`.
    Retrying {
        /// What it fetches.
        label: String,
        /// The attempt that failed (1 = first).
        attempt: u32,
        /// Wait before the next attempt.
        wait: Duration,
        /// Why it failed.
        reason: String,
    },
}

/// Most requests in flight at once by default.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// Whether a request is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Billing {
    /// Metadata and symbology calls.
    Free,
    /// `timeseries.get_range`.
    Billable,
}

/// Why a 2xx answer was not accepted.
enum Rejected {
    /// Cut short or not decodable: worth one more try (the detail says what was wrong).
    Corrupt(String),
    /// Over the size limit: no retry.
    TooLarge(String),
}

/// A `get_range` answer: the body decoded, its size, and where it came from.
struct Fetched {
    decoded: Decoded,
    /// Size of the body in bytes.
    bytes: u64,
    /// Read from the cache, not sent for.
    cached: bool,
    /// Kept in the cache under the request's own key (read from it, or final and stored).
    kept: bool,
    /// All its data is in the cache now (under its own key or in pieces), so a later run
    /// reads it instead of buying it again.
    saved: bool,
}

/// A Databento Historical API client over transport `T` with cache `C`.
pub struct Client<T, C = NoCache> {
    transport: T,
    gateway: Gateway,
    retry: RetryPolicy,
    concurrency: usize,
    max_body: u64,
    cache: C,
    today: Option<NaiveDate>,
    /// The last `get_dataset_range` answer per dataset: what has been published, to tell a
    /// final answer (cached forever) from one later publications complete.
    ranges: Mutex<HashMap<Dataset, DatasetRange>>,
    rng: AtomicU64,
}

impl<T, C> std::fmt::Debug for Client<T, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("gateway", &self.gateway)
            .field("retry", &self.retry)
            .field("concurrency", &self.concurrency)
            .field("max_body", &self.max_body)
            .field("today", &self.today)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Client<T> {
    /// A client for Databento's API with `key`, no cache, default retries, concurrency and
    /// body limit.
    pub fn new(transport: T, key: ApiKey) -> Self {
        Self::with_gateway(transport, Gateway::new(key))
    }

    /// A client that sends no key: with the [`Offline`](crate::transport::Offline)
    /// transport it only reads its cache (a shared link's results, without the key); with
    /// a real one it suits a gateway that adds the key itself.
    pub fn keyless(transport: T) -> Self {
        Self::with_gateway(transport, Gateway::keyless())
    }

    fn with_gateway(transport: T, gateway: Gateway) -> Self {
        let retry = RetryPolicy::default();
        Self {
            transport,
            gateway,
            rng: AtomicU64::new(retry.seed),
            retry,
            concurrency: DEFAULT_CONCURRENCY,
            max_body: DEFAULT_MAX_BODY_BYTES,
            cache: NoCache,
            today: None,
            ranges: Mutex::new(HashMap::new()),
        }
    }
}

impl<T: Transport, C: Cache> Client<T, C> {
    /// Send requests to `base_url` (a relay, gateway or the fake server) instead.
    pub fn with_base_url(mut self, base_url: BaseUrl) -> Self {
        self.gateway = self.gateway.with_base_url(base_url);
        self
    }

    /// Retry with `policy`.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.rng = AtomicU64::new(policy.seed);
        self.retry = policy;
        self
    }

    /// At most `n` (≥ 1) requests in flight.
    pub fn with_concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Accept response bodies of at most `bytes` bytes ([`DEFAULT_MAX_BODY_BYTES`], 512 MiB,
    /// by default): a longer one is [`ApiError::BodyTooLarge`], refused from its
    /// `Content-Length` when it has one, else dropped once that much has arrived.
    pub fn with_max_body(mut self, bytes: u64) -> Self {
        self.max_body = bytes;
        self
    }

    /// The largest response body accepted, bytes.
    pub fn max_body(&self) -> u64 {
        self.max_body
    }

    /// Keep bodies of requests that end before `today` (the caller's clock) and within the
    /// data the dataset has published in `cache`.
    pub fn with_cache<C2: Cache>(self, cache: C2, today: NaiveDate) -> Client<T, C2> {
        Client {
            transport: self.transport,
            gateway: self.gateway,
            retry: self.retry,
            concurrency: self.concurrency,
            max_body: self.max_body,
            cache,
            today: Some(today),
            ranges: self.ranges,
            rng: self.rng,
        }
    }

    /// Where requests go.
    pub fn gateway(&self) -> &Gateway {
        &self.gateway
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// `timeseries.get_range`, decoded whole (from the cache when possible).
    pub async fn get_range(&self, request: &GetRange) -> Result<Decoded, ApiError> {
        self.get_range_inner(request, &|_| {}).await.map(|fetched| fetched.decoded)
    }

    /// `timeseries.get_range`, the raw body (not cached, not decoded; checked against its
    /// `Content-Length`).
    pub async fn get_range_bytes(&self, request: &GetRange) -> Result<Vec<u8>, ApiError> {
        let http = self.gateway.request(request);
        let (_, response) =
            self.send_checked(http, &request.describe(), Billing::Billable, &|_| {}, async |_| Ok(())).await?;
        Ok(response.body)
    }
    /// Several `get_range` requests, at most the configured number in flight, results in
    /// request order. The first failure cancels the rest and is returned: no partial
    /// result.
    pub async fn get_ranges(
        &self,
        requests: &[GetRange],
        progress: &dyn Fn(Progress),
    ) -> Result<Vec<Decoded>, ApiError> {
        let mut results = Vec::with_capacity(requests.len());
        self.get_ranges_each(requests, progress, &mut |_, decoded, _| results.push(decoded)).await?;
        Ok(results)
    }

    /// Several `get_range` requests, at most the configured number in flight, each body
    /// handed to `each` with its index as soon as it and every body before it are in
    /// (request order), then dropped: a long plan never holds all its bodies at once. `each`
    /// is also told whether the body is kept in the cache under its request (so what is
    /// derived from it may be kept too, see [`Client::put_derived`]). The first failure
    /// cancels the rest and is returned.
    pub async fn get_ranges_each(
        &self,
        requests: &[GetRange],
        progress: &dyn Fn(Progress),
        each: &mut dyn FnMut(usize, Decoded, bool),
    ) -> Result<(), ApiError> {
        let total = requests.len();
        let mut finished = stream::iter(requests.iter().enumerate())
            .map(|(i, r)| async move { (i, r, self.get_range_inner(r, progress).await) })
            .buffered(self.concurrency);
        let (mut done, mut bytes) = (0, 0u64);
        while let Some((i, request, outcome)) = finished.next().await {
            let fetched = outcome?;
            done += 1;
            bytes += fetched.bytes;
            progress(Progress::Done {
                label: request.describe(),
                done,
                total,
                bytes,
                cached: fetched.cached,
                saved: fetched.saved,
            });
            each(i, fetched.decoded, fetched.kept);
            // A pause between bodies, so bodies that came in together are not all taken
            // in one go (in a browser, one task that blocks the page).
            self.transport.pause().await;
        }
        Ok(())
    }

    /// Let others run for a moment ([`Transport::pause`]): in a browser, the page paints
    /// and takes input between the steps of a long fetch.
    pub async fn pause(&self) {
        self.transport.pause().await;
    }

    /// `metadata.get_cost`: the price in USD of a `get_range` (free).
    pub async fn get_cost(&self, request: &GetCost) -> Result<f64, ApiError> {
        let what = format!("the cost of {}", request.symbols);
        self.json(request, &what, &|_| {}).await
    }

    /// Several costs, at most the configured number in flight, in request order. The first
    /// failure cancels the rest and is returned.
    pub async fn get_costs(&self, requests: &[GetCost], progress: &dyn Fn(Progress)) -> Result<Vec<f64>, ApiError> {
        let each = self.get_costs_each(requests, &|e| Err::<std::convert::Infallible, _>(e), progress).await?;
        Ok(each.into_iter().map(|r| r.unwrap_or_else(|never| match never {})).collect())
    }

    /// Several costs, each with its own outcome: `isolate` turns a failure that concerns
    /// only its request (e.g. a 4xx refusal) into that request's result `E`, or hands it
    /// back, and then it cancels the rest and is returned.
    pub async fn get_costs_each<E>(
        &self,
        requests: &[GetCost],
        isolate: &dyn Fn(ApiError) -> Result<E, ApiError>,
        progress: &dyn Fn(Progress),
    ) -> Result<Vec<Result<f64, E>>, ApiError> {
        let total = requests.len();
        let mut results: Vec<Option<Result<f64, E>>> = (0..total).map(|_| None).collect();
        let mut finished = stream::iter(requests.iter().enumerate())
            .map(|(i, r)| async move {
                let what = format!("the cost of {} {}", r.schema.as_str(), r.symbols);
                (i, what.clone(), self.json::<f64>(r, &what, progress).await)
            })
            .buffer_unordered(self.concurrency);
        let mut done = 0;
        while let Some((i, label, outcome)) = finished.next().await {
            results[i] = Some(match outcome {
                Ok(usd) => Ok(usd),
                Err(e) => Err(isolate(e)?),
            });
            done += 1;
            progress(Progress::Done { label, done, total, bytes: 0, cached: false, saved: false });
        }
        Ok(results.into_iter().flatten().collect())
    }

    /// `metadata.get_dataset_range`: the dates a dataset covers (free). The answer is kept
    /// in the cache, and a client that cannot send ([`crate::transport::Offline`]) reads
    /// the last one kept, so a cached run is planned exactly as when it was fetched. The
    /// client remembers it too, to tell which `get_range` answers are final.
    pub async fn get_dataset_range(&self, dataset: &Dataset) -> Result<DatasetRange, ApiError> {
        let request = GetDatasetRange { dataset: dataset.clone() };
        let what = format!("the date range of {dataset}");
        let key = request.cache_key().scoped(self.gateway.base_url());
        let body = match self.send(self.gateway.request(&request), &what, &|_| {}).await {
            Ok(response) => {
                self.cache.put(&key, &response.body).await;
                response.body
            }
            Err(error @ ApiError::NotCached { .. }) => self.cache.get(&key).await.ok_or(error)?,
            Err(error) => return Err(error),
        };
        let range: DatasetRange = parse_json(&body, &what)?;
        if let Ok(mut known) = self.ranges.lock() {
            known.insert(dataset.clone(), range.clone());
        }
        Ok(range)
    }

    /// `symbology.resolve` (free).
    pub async fn resolve(&self, request: &SymbologyResolve) -> Result<Resolution, ApiError> {
        let what = format!("symbology of {}", request.symbols);
        self.json(request, &what, &|_| {}).await
    }

    async fn json<R: serde::de::DeserializeOwned>(
        &self,
        endpoint: &impl Endpoint,
        what: &str,
        progress: &dyn Fn(Progress),
    ) -> Result<R, ApiError> {
        let response = self.send(self.gateway.request(endpoint), what, progress).await?;
        parse_json(&response.body, what)
    }

    /// Whether the answer to exactly `request` is kept in the cache, so fetching it is free.
    pub async fn is_cached(&self, request: &GetRange) -> bool {
        let readable = self.today.is_some_and(|t| request.is_cacheable(t));
        readable && self.cache.contains(&request.cache_key().scoped(self.gateway.base_url())).await
    }

    /// What was kept in the cache as `what` derived from the answers to `sources` (see
    /// [`Client::put_derived`]), when all of them may be read from the cache.
    pub async fn get_derived(&self, sources: &[&GetRange], what: &str) -> Option<Vec<u8>> {
        let readable = self.today.is_some_and(|t| sources.iter().all(|r| r.is_cacheable(t)));
        if !readable {
            return None;
        }
        self.cache.get(&self.derived_key(sources, what)).await
    }

    /// Keep `bytes` in the cache as `what` (a name that says how, with its format version)
    /// derived from the answers to `sources`. Call it only when those answers are kept
    /// (final): a derived entry lives as long as they do.
    pub async fn put_derived(&self, sources: &[&GetRange], what: &str, bytes: &[u8]) {
        self.cache.put(&self.derived_key(sources, what), bytes).await;
    }

    fn derived_key(&self, sources: &[&GetRange], what: &str) -> CacheKey {
        let base = self.gateway.base_url();
        CacheKey::derived(&sources.iter().map(|r| r.cache_key().scoped(base)).collect::<Vec<_>>(), what)
    }

    /// The body decoded, with its size and whether it came from the cache: the answer kept
    /// for exactly this request, else the pieces kept of its data from its start (an earlier
    /// run's, ending sooner) and only the rest fetched ([`crate::segments`]), else fetched.
    async fn get_range_inner(&self, request: &GetRange, progress: &dyn Fn(Progress)) -> Result<Fetched, ApiError> {
        let readable = self.today.is_some_and(|t| request.is_cacheable(t));
        if !readable {
            return self.fetch_range(request, false, progress).await;
        }
        let base = self.gateway.base_url();
        if let Some(bytes) = self.cache.get(&request.cache_key().scoped(base)).await {
            if let Ok(decoded) = self.decode_yielding(request.encoding, &bytes).await {
                return Ok(Fetched { decoded, bytes: bytes.len() as u64, cached: true, kept: true, saved: true });
            }
        }
        let Some(prefix) = segments::cached_prefix(&self.cache, request, base).await else {
            return self.fetch_range(request, true, progress).await;
        };
        let mut decoded = Decoded::default();
        let mut kept = 0;
        for body in &prefix.bodies {
            let Ok(piece) = decode_body_within(request.encoding, body, self.max_body) else {
                return self.fetch_range(request, true, progress).await;
            };
            decoded.append(piece);
            kept += body.len() as u64;
        }
        let Ok(rest) = DateRange::new(prefix.end, request.range.end()) else {
            return Ok(Fetched { decoded, bytes: kept, cached: true, kept: false, saved: true });
        };
        let fetched = self.fetch_range(&segments::piece(request, rest), true, progress).await?;
        decoded.append(fetched.decoded);
        Ok(Fetched { decoded, bytes: fetched.bytes, cached: false, kept: false, saved: fetched.saved })
    }

    /// [`decode_body_within`] the body limit, pausing ([`Transport::pause`]: the
    /// browser's event loop runs) every few MiB of a zstd body as it unpacks (JSON is
    /// decoded as it unpacks, DBN once whole), so a long body kept in the cache does not
    /// freeze the page while it is decoded.
    async fn decode_yielding(&self, encoding: Encoding, bytes: &[u8]) -> Result<Decoded, crate::decode::DecodeError> {
        if encoding == Encoding::Csv || !crate::decode::is_zstd(bytes) {
            return decode_body_within(encoding, bytes, self.max_body);
        }
        let mut unpacker = crate::decode::Unpacker::new(bytes, self.max_body);
        let mut lines = crate::decode::JsonLines::default();
        let mut plain = Vec::new();
        let mut pieces = 0u32;
        while let Some(piece) = unpacker.next_piece()? {
            if encoding == Encoding::Json {
                lines.feed(&piece)?;
            } else {
                plain.extend_from_slice(&piece);
            }
            pieces += 1;
            if pieces % YIELD_EVERY_PIECES == 0 {
                self.transport.pause().await;
            }
        }
        if encoding == Encoding::Json {
            lines.finish()
        } else {
            decode_plain(encoding, &plain)
        }
    }

    /// Fetch `request` and, when `keep` and the answer is final, cache it with its link.
    async fn fetch_range(
        &self,
        request: &GetRange,
        keep: bool,
        progress: &dyn Fn(Progress),
    ) -> Result<Fetched, ApiError> {
        let encoding = request.encoding;
        // A zstd body is unpacked to at most the body limit too: a small body that unpacks
        // to more (a decompression bomb) is refused as too large, not retried. It is
        // unpacked with pauses, as a cached one is, so a long fresh body does not freeze
        // the page either.
        let decode = async |r: &HttpResponse| {
            self.decode_yielding(encoding, &r.body).await.map_err(|e| {
                if crate::decode::is_oversized(&e) {
                    Rejected::TooLarge(e.0)
                } else {
                    Rejected::Corrupt(e.0)
                }
            })
        };
        let (decoded, response) = self
            .send_checked(self.gateway.request(request), &request.describe(), Billing::Billable, progress, decode)
            .await?;
        let kept = keep && self.is_final(request, &decoded).await;
        if kept {
            let base = self.gateway.base_url();
            self.cache.put(&request.cache_key().scoped(base), &response.body).await;
            segments::remember(&self.cache, request, base).await;
        }
        Ok(Fetched { decoded, bytes: response.body.len() as u64, cached: false, kept, saved: kept })
    }

    /// Whether a decoded answer to `request` is whole and final, to be kept forever: its
    /// range ended before today and is published in full
    /// ([`GetRange::is_complete`]: the dataset's available end, learnt once with the free
    /// `get_dataset_range`), and a DBN body covers exactly the range asked for (a body that
    /// says it stops earlier was cut by the server).
    async fn is_final(&self, request: &GetRange, decoded: &Decoded) -> bool {
        let Some(today) = self.today else { return false };
        let (start, end) = (request.range.start_ns(), request.range.end_ns());
        let at = |ns: u64| i64::try_from(ns).ok();
        let covers =
            decoded.coverage.is_none_or(|c| at(c.start) == Some(start) && c.end.is_none_or(|e| at(e) == Some(end)));
        if !covers {
            return false;
        }
        match self.published(&request.dataset).await {
            Some(available) => request.is_complete(today, &available),
            None => false,
        }
    }

    /// What `dataset` has published: the answer remembered, else asked for (free). `None`
    /// when it cannot be had (nothing is then cached).
    async fn published(&self, dataset: &Dataset) -> Option<DatasetRange> {
        let known = self.ranges.lock().ok().and_then(|m| m.get(dataset).cloned());
        match known {
            Some(range) => Some(range),
            None => self.get_dataset_range(dataset).await.ok(),
        }
    }

    /// Send a free request with retries; `Ok` only for a whole 2xx response.
    async fn send(
        &self,
        request: HttpRequest,
        what: &str,
        progress: &dyn Fn(Progress),
    ) -> Result<HttpResponse, ApiError> {
        self.send_checked(request, what, Billing::Free, progress, async |_| Ok(())).await.map(|(_, r)| r)
    }

    /// Send with retries until a 2xx response arrives whole (as long as announced, within
    /// the body limit) and passes `check` (`Err`: what is wrong with the body); its result
    /// and the response. See [`RetryPolicy`] for what is retried how often.
    async fn send_checked<R>(
        &self,
        mut request: HttpRequest,
        what: &str,
        billing: Billing,
        progress: &dyn Fn(Progress),
        check: impl AsyncFn(&HttpResponse) -> Result<R, Rejected>,
    ) -> Result<(R, HttpResponse), ApiError> {
        request.max_body = self.max_body;
        let billable = billing == Billing::Billable;
        let (mut attempt, mut billed) = (0, 0);
        loop {
            attempt += 1;
            // The failure, the wait before another try (`None`: no retry), and whether the
            // server may have billed this attempt.
            let (error, wait, may_be_billed) = match self.transport.send(request.clone()).await {
                Ok(r) if (200..300).contains(&r.status) => match self.accept(&r, request.max_body, &check).await {
                    Ok(value) => return Ok((value, r)),
                    Err(Rejected::TooLarge(detail)) => return Err(self.too_large(what, request.max_body, &detail)),
                    Err(Rejected::Corrupt(detail)) => {
                        let detail = self.gateway.redact(&detail);
                        let error = ApiError::CorruptBody { what: what.to_owned(), detail, billed_attempts: 0 };
                        (error, Some(self.backoff(attempt)), billable)
                    }
                },
                Ok(r) => {
                    let wait = match r.status {
                        429 => Some(r.retry_after(self.transport.now()).unwrap_or_else(|| self.backoff(attempt))),
                        500..=599 => Some(self.backoff(attempt)),
                        _ => None,
                    };
                    (self.classify(&r, what, attempt), wait, false)
                }
                Err(e) if e.kind == TransportErrorKind::Offline => {
                    return Err(ApiError::NotCached { what: what.to_owned() })
                }
                Err(e) if e.kind == TransportErrorKind::TooLarge => {
                    return Err(self.too_large(what, request.max_body, &e.message))
                }
                Err(e) => {
                    let sent = e.kind != TransportErrorKind::Connect;
                    (self.network(e, &request, attempt), Some(self.backoff(attempt)), billable && sent)
                }
            };
            if may_be_billed {
                billed += 1;
            }
            let allowed = attempt < self.retry.max_tries && (!may_be_billed || billed <= self.retry.billable_retries);
            match wait {
                Some(wait) if allowed && wait <= self.retry.max_retry_after => {
                    progress(Progress::Retrying { label: what.to_owned(), attempt, wait, reason: error.to_string() });
                    self.transport.sleep(wait).await;
                }
                _ => return Err(with_billed(error, billed)),
            }
        }
    }

    /// Check a 2xx response: within the limit (for transports that do not enforce it), as
    /// long as it announced, and as `check` wants it.
    async fn accept<R>(
        &self,
        r: &HttpResponse,
        limit: u64,
        check: &impl AsyncFn(&HttpResponse) -> Result<R, Rejected>,
    ) -> Result<R, Rejected> {
        let received = r.body.len() as u64;
        if received > limit {
            return Err(Rejected::TooLarge(format!("{received} bytes arrived")));
        }
        if let Some(announced) = r.content_length.filter(|&n| n != received) {
            return Err(Rejected::Corrupt(format!(
                "{received} of the {announced} bytes its Content-Length announced arrived"
            )));
        }
        check(r).await
    }

    fn too_large(&self, what: &str, limit: u64, detail: &str) -> ApiError {
        ApiError::BodyTooLarge { what: what.to_owned(), limit, detail: self.gateway.redact(detail) }
    }

    fn network(&self, e: TransportError, request: &HttpRequest, attempts: u32) -> ApiError {
        ApiError::Network {
            source: TransportError::new(e.kind, self.gateway.redact(&e.message)),
            url: self.gateway.redact(&request.url),
            attempts,
            billed_attempts: 0,
        }
    }

    fn classify(&self, r: &HttpResponse, what: &str, attempts: u32) -> ApiError {
        let server = ServerMessage::parse(&r.body);
        let detail = self.gateway.redact(&server.message);
        let request_id = r.request_id();
        let what = what.to_owned();
        match r.status {
            401 => ApiError::Unauthorized { detail, request_id },
            402 | 403 => ApiError::NoPermission { status: r.status, detail, request_id },
            429 => ApiError::RateLimited { retry_after: r.retry_after(self.transport.now()), attempts },
            400..=499 => ApiError::BadRequest {
                what,
                status: r.status,
                case: server.case,
                detail,
                docs: server.docs,
                request_id,
            },
            500..=599 => ApiError::Server { what, status: r.status, detail, attempts, request_id },
            status => ApiError::Unexpected { what, status, detail },
        }
    }

    /// `base · 2^(attempt−1)`, capped, times a jitter factor in [0.5, 1).
    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.retry.base_delay.saturating_mul(1u32 << (attempt.saturating_sub(1)).min(20));
        let capped = exp.min(self.retry.max_delay);
        let jitter = 0.5 + 0.5 * self.next_unit();
        capped.mul_f64(jitter)
    }

    /// SplitMix64: a uniform number in [0, 1).
    fn next_unit(&self) -> f64 {
        let state = self.rng.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed).wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `error` with the number of attempts that may have been billed.
fn with_billed(error: ApiError, billed: u32) -> ApiError {
    match error {
        ApiError::CorruptBody { what, detail, .. } => ApiError::CorruptBody { what, detail, billed_attempts: billed },
        ApiError::Network { source, url, attempts, .. } => {
            ApiError::Network { source, url, attempts, billed_attempts: billed }
        }
        other => other,
    }
}

fn parse_json<R: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<R, ApiError> {
    // serde's messages quote the values they reject: cut them short.
    serde_json::from_slice(body).map_err(|e| ApiError::CorruptBody {
        what: what.to_owned(),
        detail: format!("not the expected JSON: {}", shorten(&e.to_string(), MESSAGE_CHARS)),
        billed_attempts: 0,
    })
}

/// Pieces (about 1 MiB each) of a zstd body unpacked and decoded between two pauses.
const YIELD_EVERY_PIECES: u32 = 2;

/// Decode a body in the request's encoding, plain or zstd-compressed (unpacked to at most
/// [`DEFAULT_MAX_BODY_BYTES`]; see [`decode_body_within`]).
pub fn decode_body(encoding: Encoding, bytes: &[u8]) -> Result<Decoded, crate::decode::DecodeError> {
    decode_body_within(encoding, bytes, DEFAULT_MAX_BODY_BYTES)
}

/// Decode a body in the request's encoding. A body that starts with the zstd magic number
/// (`compression=zstd`, as requested since; or a cache entry kept that way) is unpacked
/// first, to at most `limit` bytes, so a small body that unpacks to gigabytes (a
/// decompression bomb) is refused at the limit rather than exhausting memory; a body
/// without it is read as it is (`compression=none`, and cache entries kept before).
pub fn decode_body_within(encoding: Encoding, bytes: &[u8], limit: u64) -> Result<Decoded, crate::decode::DecodeError> {
    if crate::decode::is_zstd(bytes) {
        if encoding == Encoding::Json {
            // Decoded as it unpacks: a 15-year phase-1 body is ~180 MB of text.
            let mut lines = crate::decode::JsonLines::default();
            crate::decode::unpack_zstd(bytes, limit, &mut |piece| lines.feed(piece))?;
            return lines.finish();
        }
        let plain = crate::decode::decompress_zstd(bytes, limit)?;
        return decode_plain(encoding, &plain);
    }
    decode_plain(encoding, bytes)
}

fn decode_plain(encoding: Encoding, bytes: &[u8]) -> Result<Decoded, crate::decode::DecodeError> {
    match encoding {
        Encoding::Dbn => decode_dbn(bytes),
        Encoding::Json => decode_json_lines(bytes),
        Encoding::Csv => decode_csv(bytes),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use std::cell::RefCell;
    use std::collections::VecDeque;

    use super::*;
    use crate::cache::MemoryCache;
    use crate::request::TextOptions;
    use crate::testing::{d, daily_bar, ho_futures, ns};
    use crate::types::DateRange;
    use crate::{Offline, SType, Schema};

    const KEY: &str = "db-TESTKEY0000000000000000000000";

    /// Scripted responses and a fake clock.
    #[derive(Default)]
    struct Script {
        answers: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
        sent: RefCell<Vec<HttpRequest>>,
        slept: RefCell<Vec<Duration>>,
    }

    impl Script {
        fn new(answers: Vec<Result<HttpResponse, TransportError>>) -> Self {
            Self { answers: RefCell::new(answers.into()), ..Self::default() }
        }
    }

    impl Transport for Script {
        async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            self.sent.borrow_mut().push(request);
            self.answers
                .borrow_mut()
                .pop_front()
                .unwrap_or_else(|| Err(TransportError::new(TransportErrorKind::Other, "no more")))
        }
        async fn sleep(&self, duration: Duration) {
            self.slept.borrow_mut().push(duration);
        }
    }

    fn status(code: u16, body: &str, headers: &[(&str, &str)]) -> Result<HttpResponse, TransportError> {
        Ok(HttpResponse {
            status: code,
            headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            body: body.as_bytes().to_vec(),
            content_length: None,
        })
    }

    /// A 200 with `body`, announcing `announced` bytes.
    fn ok_bytes(body: Vec<u8>, announced: Option<u64>) -> Result<HttpResponse, TransportError> {
        Ok(HttpResponse { status: 200, headers: Vec::new(), body, content_length: announced })
    }

    /// A DBN body of `records` daily bars whose metadata says it covers `[start, end)`.
    fn dbn_body(start: NaiveDate, end: NaiveDate, records: usize) -> Vec<u8> {
        use dbn::encode::{DbnEncoder, EncodeRecord};
        use dbn::Metadata;
        let metadata = Metadata::builder()
            .dataset("GLBX.MDP3")
            .schema(Some(Schema::Ohlcv1D))
            .start(ns(start))
            .end(std::num::NonZeroU64::new(ns(end)))
            .stype_in(Some(SType::Parent))
            .stype_out(SType::InstrumentId)
            .build();
        let mut enc = DbnEncoder::new(Vec::new(), &metadata).unwrap();
        for i in 0..records {
            let ts = ns(start) + i as u64 * 86_400_000_000_000;
            enc.encode_record(&daily_bar(ts, 2_000_000_000, 1)).unwrap();
        }
        enc.get_ref().clone()
    }

    /// Daily bars of HO.FUT over 2025-01-06 .. 2025-01-10.
    fn bars() -> GetRange {
        ho_futures(Schema::Ohlcv1D, DateRange::new(d(2025, 1, 6), d(2025, 1, 10)).unwrap())
    }

    fn whole_bars() -> Vec<u8> {
        dbn_body(d(2025, 1, 6), d(2025, 1, 10), 4)
    }

    /// A `get_dataset_range` answer whose data ends (exclusive) on `end`.
    fn published(end: &str) -> Result<HttpResponse, TransportError> {
        status(200, &format!(r#"{{"start":"2010-06-06T00:00:00Z","end":"{end}T00:00:00Z","schema":{{}}}}"#), &[])
    }

    fn cost() -> GetCost {
        ho_futures(Schema::Statistics, DateRange::day(d(2025, 1, 2))).cost()
    }

    fn client(script: &Script) -> Client<&Script> {
        Client::new(script, ApiKey::new(KEY).unwrap())
    }

    #[tokio::test]
    async fn rate_limit_waits_per_retry_after() {
        let script = Script::new(vec![
            status(429, r#"{"detail":"slow down"}"#, &[("Retry-After", "7")]),
            status(200, "0.25", &[]),
        ]);
        assert_eq!(client(&script).get_cost(&cost()).await.unwrap(), 0.25);
        assert_eq!(*script.slept.borrow(), [Duration::from_secs(7)]);
    }

    #[tokio::test]
    async fn server_errors_back_off_with_jitter_and_give_up() {
        let script = Script::new((0..5).map(|_| status(503, "busy", &[])).collect());
        let err = client(&script).get_cost(&cost()).await.unwrap_err();
        assert!(matches!(err, ApiError::Server { status: 503, attempts: 5, .. }), "{err:?}");
        let slept = script.slept.borrow();
        assert_eq!(slept.len(), 4);
        for (i, d) in slept.iter().enumerate() {
            let full = Duration::from_millis(500) * (1 << i);
            assert!(*d >= full / 2 && *d < full, "{i}: {d:?}");
        }
    }

    #[tokio::test]
    async fn client_errors_fail_at_once_and_never_show_the_key() {
        let script =
            Script::new(vec![status(401, &format!(r#"{{"detail":"bad key {KEY}"}}"#), &[("request-id", "r1")])]);
        let err = client(&script).get_cost(&cost()).await.unwrap_err();
        assert!(matches!(err, ApiError::Unauthorized { .. }));
        assert_eq!(script.sent.borrow().len(), 1);
        for shown in [err.to_string(), format!("{err:?}"), format!("{:?}", client(&script))] {
            assert!(!shown.contains("TESTKEY"), "{shown}");
        }
    }

    #[tokio::test]
    async fn long_retry_after_fails_with_the_wait() {
        let script = Script::new(vec![status(429, "", &[("retry-after", "3600")])]);
        let err = client(&script).get_cost(&cost()).await.unwrap_err();
        assert!(matches!(err, ApiError::RateLimited { retry_after: Some(d), attempts: 1 } if d.as_secs() == 3600));
    }

    #[tokio::test]
    async fn network_failures_retry_then_report() {
        let script =
            Script::new((0..5).map(|_| Err(TransportError::new(TransportErrorKind::Connect, "refused"))).collect());
        let err = client(&script).get_cost(&cost()).await.unwrap_err();
        assert!(matches!(err, ApiError::Network { attempts: 5, .. }));
        assert!(err.to_string().contains("refused"));
    }

    #[tokio::test]
    async fn a_keyless_client_sends_no_authorization() {
        let script = Script::new(vec![status(200, "0.5", &[])]);
        assert_eq!(Client::keyless(&script).get_cost(&cost()).await.unwrap(), 0.5);
        assert_eq!(script.sent.borrow()[0].header("authorization"), None);
    }

    #[tokio::test]
    async fn an_offline_client_reads_its_cache_and_never_retries() {
        let range = r#"{"start":"2010-06-06T00:00:00Z","end":"2026-11-28T00:00:00Z","schema":{}}"#;
        let script = Script::new(vec![status(200, range, &[])]);
        let cache = MemoryCache::new();
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let online = client(&script).with_cache(&cache, today);
        let fetched = online.get_dataset_range(&Dataset::glbx_mdp3()).await.unwrap();

        let offline = Client::keyless(crate::transport::Offline).with_cache(&cache, today);
        assert_eq!(offline.get_dataset_range(&Dataset::glbx_mdp3()).await.unwrap(), fetched);
        let err = offline.get_cost(&cost()).await.unwrap_err();
        assert!(matches!(&err, ApiError::NotCached { what } if what.starts_with("the cost of")), "{err:?}");
        assert!(!err.is_transient());
        let other: Dataset = "XNAS.ITCH".parse().unwrap();
        assert!(matches!(offline.get_dataset_range(&other).await, Err(ApiError::NotCached { .. })));
    }

    /// Answers after a real (tokio) sleep, counting requests in flight.
    #[derive(Default)]
    struct Counting {
        now: RefCell<usize>,
        max: RefCell<usize>,
    }

    impl Transport for Counting {
        async fn send(&self, _request: HttpRequest) -> Result<HttpResponse, TransportError> {
            *self.now.borrow_mut() += 1;
            let now = *self.now.borrow();
            let max = (*self.max.borrow()).max(now);
            *self.max.borrow_mut() = max;
            tokio::time::sleep(Duration::from_millis(5)).await;
            *self.now.borrow_mut() -= 1;
            status(200, "0.5", &[])
        }
        async fn sleep(&self, duration: Duration) {
            tokio::time::sleep(duration).await;
        }
    }

    #[tokio::test]
    async fn at_most_four_requests_are_in_flight() {
        let transport = Counting::default();
        let api = Client::new(&transport, ApiKey::new(KEY).unwrap());
        let requests = vec![cost(); 10];
        let done = RefCell::new(Vec::new());
        let costs = api
            .get_costs(&requests, &|p| {
                if let Progress::Done { done: n, total, .. } = p {
                    done.borrow_mut().push((n, total));
                }
            })
            .await
            .unwrap();
        assert_eq!(costs, vec![0.5; 10]);
        assert_eq!(*transport.max.borrow(), DEFAULT_CONCURRENCY);
        assert_eq!(done.borrow().last(), Some(&(10, 10)));
        let one = Client::new(&transport, ApiKey::new(KEY).unwrap()).with_concurrency(1);
        *transport.max.borrow_mut() = 0;
        one.get_costs(&requests, &|_| {}).await.unwrap();
        assert_eq!(*transport.max.borrow(), 1);
    }

    #[tokio::test]
    async fn a_retry_after_too_large_for_a_duration_fails_typed_without_panicking() {
        for huge in ["1e20", "1e308", "99999999999999999999999999999"] {
            let script = Script::new(vec![status(429, "", &[("retry-after", huge)])]);
            let err = client(&script).get_cost(&cost()).await.unwrap_err();
            assert!(
                matches!(err, ApiError::RateLimited { retry_after: Some(d), attempts: 1 } if d == crate::transport::RETRY_AFTER_CEILING),
                "{huge}: {err:?}"
            );
            assert!(script.slept.borrow().is_empty(), "nothing waited");
        }
    }

    /// A transport with a clock, for `Retry-After` dates.
    struct Clocked(Script, std::time::SystemTime);

    impl Transport for Clocked {
        async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            self.0.send(request).await
        }
        async fn sleep(&self, duration: Duration) {
            self.0.sleep(duration).await;
        }
        fn now(&self) -> Option<std::time::SystemTime> {
            Some(self.1)
        }
    }

    #[tokio::test]
    async fn a_retry_after_date_is_waited_until() {
        let date = "Wed, 21 Oct 2026 07:28:00 GMT";
        let with_server_date = Script::new(vec![
            status(429, "", &[("retry-after", date), ("date", "Wed, 21 Oct 2026 07:27:53 GMT")]),
            status(200, "0.5", &[]),
        ]);
        assert_eq!(client(&with_server_date).get_cost(&cost()).await.unwrap(), 0.5);
        assert_eq!(*with_server_date.slept.borrow(), [Duration::from_secs(7)]);
        let now = httpdate::parse_http_date("Wed, 21 Oct 2026 07:27:40 GMT").unwrap();
        let clocked =
            Clocked(Script::new(vec![status(429, "", &[("retry-after", date)]), status(200, "0.5", &[])]), now);
        assert_eq!(Client::new(&clocked, ApiKey::new(KEY).unwrap()).get_cost(&cost()).await.unwrap(), 0.5);
        assert_eq!(*clocked.0.slept.borrow(), [Duration::from_secs(20)]);
    }

    #[tokio::test]
    async fn a_body_shorter_than_announced_is_retried_once_and_never_cached() {
        let body = whole_bars();
        // Cut at a record boundary: it decodes, only the length tells.
        let cut = body[..body.len() - 56].to_vec();
        assert!(decode_body(Encoding::Dbn, &cut).is_ok());
        let announced = Some(body.len() as u64);
        let script =
            Script::new(vec![published("2025-06-01"), ok_bytes(cut.clone(), announced), ok_bytes(cut, announced)]);
        let cache = MemoryCache::new();
        let api = client(&script).with_cache(&cache, d(2025, 3, 1));
        api.get_dataset_range(&Dataset::glbx_mdp3()).await.unwrap();
        let err = api.get_range(&bars()).await.unwrap_err();
        match &err {
            ApiError::CorruptBody { detail, billed_attempts: 2, .. } => {
                assert!(detail.contains("bytes its Content-Length announced"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
        let text = err.to_string();
        assert!(text.contains("a retry of a billable request is billed again"), "{text}");
        assert_eq!(script.sent.borrow().len(), 3, "the range, the request and one retry");
        assert_eq!(cache.len(), 1, "only the dataset's range is kept");
    }

    #[tokio::test]
    async fn billable_retries_are_bounded_apart_from_free_ones() {
        let broken = || Err(TransportError::new(TransportErrorKind::Body, "connection reset"));
        let refused = || Err(TransportError::new(TransportErrorKind::Connect, "refused"));
        let corrupt = || ok_bytes(b"DBN\x03garbage".to_vec(), None);
        // A body that broke off may have been billed: one retry by default, none at 0.
        for (policy, tries) in
            [(RetryPolicy::default(), 2), (RetryPolicy { billable_retries: 0, ..RetryPolicy::default() }, 1)]
        {
            for answer in [broken as fn() -> _, corrupt] {
                let script = Script::new((0..5).map(|_| answer()).collect());
                let err = client(&script).with_retry(policy.clone()).get_range(&bars()).await.unwrap_err();
                assert_eq!(script.sent.borrow().len(), tries, "{err:?}");
                assert!(err.to_string().contains("billed again"), "{err}");
            }
        }
        // No connection, a 429 or a 5xx was not billed: the usual five tries.
        for answer in [refused as fn() -> _, || status(503, "busy", &[]), || status(429, "", &[("retry-after", "0")])] {
            let script = Script::new((0..5).map(|_| answer()).collect());
            let err = client(&script).get_range(&bars()).await.unwrap_err();
            assert_eq!(script.sent.borrow().len(), 5, "{err:?}");
            assert!(!err.to_string().contains("billed"), "{err}");
        }
        // Billable failures count within max_tries; free requests ignore the setting.
        let policy = RetryPolicy { max_tries: 2, billable_retries: 3, ..RetryPolicy::default() };
        let script = Script::new((0..5).map(|_| broken()).collect());
        client(&script).with_retry(policy).get_range(&bars()).await.unwrap_err();
        assert_eq!(script.sent.borrow().len(), 2);
        let script = Script::new((0..5).map(|_| broken()).collect());
        let policy = RetryPolicy { billable_retries: 0, ..RetryPolicy::default() };
        let err = client(&script).with_retry(policy).get_cost(&cost()).await.unwrap_err();
        assert!(matches!(err, ApiError::Network { attempts: 5, billed_attempts: 0, .. }), "{err:?}");
        // A retry that works gives the data.
        let script = Script::new(vec![broken(), ok_bytes(whole_bars(), None)]);
        assert_eq!(client(&script).get_range(&bars()).await.unwrap().total, 4);
    }

    #[tokio::test]
    async fn bodies_over_the_limit_are_refused_and_not_retried() {
        let script = Script::new(vec![ok_bytes(vec![b'x'; 2000], None), ok_bytes(whole_bars(), None)]);
        let err = client(&script).with_max_body(1000).get_range(&bars()).await.unwrap_err();
        assert!(matches!(&err, ApiError::BodyTooLarge { limit: 1000, .. }), "{err:?}");
        assert!(err.to_string().contains("fetch fewer days or symbols"), "{err}");
        assert_eq!(script.sent.borrow().len(), 1);
        assert_eq!(script.sent.borrow()[0].max_body, 1000, "the transport is told the limit");
        let script = Script::new(vec![Err(crate::transport::too_large(1000, Some(1 << 40)))]);
        let err = client(&script).with_max_body(1000).get_cost(&cost()).await.unwrap_err();
        assert!(matches!(&err, ApiError::BodyTooLarge { detail, .. } if detail.contains("1099511627776")), "{err:?}");
        assert!(!err.is_transient());
        assert_eq!(Client::keyless(Offline).max_body(), DEFAULT_MAX_BODY_BYTES);
    }

    /// `body` as a `compression=zstd` answer packs it.
    fn packed(body: &[u8]) -> Vec<u8> {
        zstd::encode_all(body, 3).unwrap()
    }

    #[tokio::test]
    async fn zstd_bodies_are_kept_packed_and_plain_entries_kept_before_still_read() {
        let today = d(2025, 3, 1);
        let body = packed(&whole_bars());
        assert!(crate::decode::is_zstd(&body) && body.len() < whole_bars().len());
        let script = Script::new(vec![ok_bytes(body.clone(), Some(body.len() as u64)), published("2025-02-01")]);
        let cache = MemoryCache::new();
        let api = client(&script).with_cache(&cache, today);
        assert_eq!(api.get_range(&bars()).await.unwrap().total, 4, "the Content-Length counts packed bytes");
        assert_eq!(script.sent.borrow()[0].form_value("compression"), Some("zstd"));
        let key = bars().cache_key().scoped(api.gateway().base_url());
        assert_eq!(cache.get(&key).await, Some(body), "kept as it came, packed");
        let offline = Client::keyless(Offline).with_cache(&cache, today);
        assert_eq!(offline.get_range(&bars()).await.unwrap().total, 4, "unpacked when read");

        // An entry kept before requests asked for zstd: plain DBN, under the same key.
        let old = MemoryCache::new();
        old.put(&key, &whole_bars()).await;
        let offline = Client::keyless(Offline).with_cache(&old, today);
        assert_eq!(offline.get_range(&bars()).await.unwrap().total, 4);
    }

    #[tokio::test]
    async fn a_decompression_bomb_is_refused_at_the_body_limit() {
        // 64 MiB of zeros pack into a few kilobytes, well within a 1 MiB limit on the wire.
        let bomb = packed(&vec![0u8; 64 << 20]);
        assert!(bomb.len() < 1 << 20, "{}", bomb.len());
        let script = Script::new(vec![ok_bytes(bomb.clone(), None), ok_bytes(bomb.clone(), None)]);
        let err = client(&script).with_max_body(1 << 20).get_range(&bars()).await.unwrap_err();
        assert!(matches!(&err, ApiError::BodyTooLarge { limit, .. } if *limit == 1 << 20), "{err:?}");
        assert!(err.to_string().contains("unpacks to more than 1 MiB"), "{err}");
        assert_eq!(script.sent.borrow().len(), 1, "not retried");
        // Kept in a cache (however it got there), it is a miss, not an allocation of 64 MiB.
        let cache = MemoryCache::new();
        let key = bars().cache_key().scoped(Client::keyless(Offline).gateway().base_url());
        cache.put(&key, &bomb).await;
        let offline = Client::keyless(Offline).with_max_body(1 << 20).with_cache(&cache, d(2025, 3, 1));
        assert!(matches!(offline.get_range(&bars()).await, Err(ApiError::NotCached { .. })));
    }

    #[tokio::test]
    async fn only_whole_and_published_ranges_are_cached() {
        let today = d(2025, 3, 1);
        // Entries cached, requests sent, and whether the progress said the data is saved.
        let cached = |range_end: &'static str, body: Vec<u8>| async move {
            let script = Script::new(vec![ok_bytes(body, None), published(range_end)]);
            let cache = MemoryCache::new();
            let api = client(&script).with_cache(&cache, today);
            let saved = RefCell::new(Vec::new());
            let progress = |p: Progress| {
                if let Progress::Done { cached: false, saved: s, .. } = p {
                    saved.borrow_mut().push(s);
                }
            };
            api.get_ranges(&[bars()], &progress).await.unwrap();
            let sent = script.sent.borrow().len();
            (cache.len(), sent, saved.into_inner())
        };
        // Whole, before today, published: kept with its link (where it reached, for the next
        // day's run) beside the dataset's range (asked for once, free).
        assert_eq!(cached("2025-02-01", whole_bars()).await, (3, 2, vec![true]));
        // Before today, but past what the dataset had published: not final.
        assert_eq!(cached("2025-01-09", whole_bars()).await, (1, 2, vec![false]));
        // The body says it stops before the range's end (the server cut it): not kept, and
        // the dataset's range is not even asked for.
        assert_eq!(cached("2025-02-01", dbn_body(d(2025, 1, 6), d(2025, 1, 8), 2)).await, (0, 1, vec![false]));
        // Text bodies carry no range: the dates decide.
        let csv = bars().with_text_encoding(Encoding::Csv, TextOptions::default());
        let script = Script::new(vec![ok_bytes(b"rtype,instrument_id\n".to_vec(), None), published("2025-02-01")]);
        let cache = MemoryCache::new();
        client(&script).with_cache(&cache, today).get_range(&csv).await.unwrap();
        assert_eq!(cache.len(), 3);
        // When the dataset's range cannot be had, nothing is kept (and the data still comes).
        let script = Script::new(vec![ok_bytes(whole_bars(), None), status(401, "no", &[])]);
        let cache = MemoryCache::new();
        assert_eq!(client(&script).with_cache(&cache, today).get_range(&bars()).await.unwrap().total, 4);
        assert!(cache.is_empty());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        #[test]
        fn any_retry_after_is_waited_within_the_policy_or_fails_typed(value in ".{0,40}", date in ".{0,40}") {
            let script = Script::new(vec![
                status(429, "", &[("retry-after", &value), ("date", &date)]),
                status(429, "", &[("retry-after", &value)]),
                status(200, "0.5", &[]),
            ]);
            let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
            let outcome = runtime.block_on(client(&script).get_cost(&cost()));
            let max = RetryPolicy::default().max_retry_after;
            proptest::prop_assert!(script.slept.borrow().iter().all(|w| *w <= max));
            match outcome {
                Ok(cost) => proptest::prop_assert_eq!(cost, 0.5),
                Err(err) => proptest::prop_assert!(matches!(err, ApiError::RateLimited { .. }), "{:?}", err),
            }
        }
    }

    #[tokio::test]
    async fn isolated_refusals_stay_with_their_request_and_other_failures_stop_the_batch() {
        let refusal =
            r#"{"detail":{"case":"symbology_invalid_request","message":"None of the symbols could be resolved"}}"#;
        let isolate = |e: ApiError| match e {
            ApiError::BadRequest { status, .. } => Ok(status),
            e => Err(e),
        };
        let script = Script::new(vec![status(422, refusal, &[]), status(200, "0.5", &[])]);
        let one = client(&script).with_concurrency(1);
        let each = one.get_costs_each(&[cost(), cost()], &isolate, &|_| {}).await.unwrap();
        assert_eq!(each, [Err(422), Ok(0.5)]);
        let script = Script::new(vec![status(422, refusal, &[]), status(401, "", &[]), status(200, "0.5", &[])]);
        let one = client(&script).with_concurrency(1);
        let err = one.get_costs_each(&[cost(), cost(), cost()], &isolate, &|_| {}).await.unwrap_err();
        assert!(matches!(err, ApiError::Unauthorized { .. }), "{err:?}");
        assert_eq!(script.sent.borrow().len(), 2, "the rest is cancelled");
    }

    #[tokio::test]
    async fn bad_json_is_a_corrupt_body() {
        let script = Script::new(vec![status(200, "0.2", &[])]);
        let mut c = client(&script);
        c = c.with_retry(RetryPolicy { max_tries: 1, ..RetryPolicy::default() });
        assert!(c.get_cost(&cost()).await.is_ok());
        let script = Script::new(vec![status(200, "{\"trunc", &[])]);
        let err = client(&script).get_cost(&cost()).await.unwrap_err();
        assert!(matches!(err, ApiError::CorruptBody { billed_attempts: 0, .. }));
        // serde quotes the value it rejects: the message stays short.
        let script = Script::new(vec![status(200, &format!("\"{}\"", "x".repeat(1_000_000)), &[])]);
        let err = client(&script).get_cost(&cost()).await.unwrap_err();
        assert!(err.to_string().len() < 1000, "{} bytes", err.to_string().len());
    }
}
