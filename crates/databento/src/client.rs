//! The client: sends built requests through a [`Transport`], retries what may succeed on a
//! second try (429 after `Retry-After`, 5xx and network failures after jittered
//! exponential backoff, a bounded number of times), classifies every failure into an
//! [`ApiError`], decodes bodies whole, runs several requests at once (4 by default) and
//! reports progress.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::NaiveDate;
use futures::stream::{self, StreamExt};

use crate::base_url::BaseUrl;
use crate::cache::{Cache, NoCache};
use crate::decode::{decode_csv, decode_dbn, decode_json_lines, Decoded, Format};
use crate::error::{ApiError, ServerMessage, TransportError, TransportErrorKind};
use crate::request::{
    DatasetRange, Endpoint, Gateway, GetCost, GetDatasetRange, GetRange, HttpRequest, Resolution, SymbologyResolve,
};
use crate::transport::{HttpResponse, Transport};
use crate::types::{ApiKey, Dataset};
use crate::Encoding;

/// How failed requests are retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Most attempts per request, the first included (5).
    pub max_tries: u32,
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

/// A Databento Historical API client over transport `T` with cache `C`.
pub struct Client<T, C = NoCache> {
    transport: T,
    gateway: Gateway,
    retry: RetryPolicy,
    concurrency: usize,
    cache: C,
    today: Option<NaiveDate>,
    rng: AtomicU64,
}

impl<T, C> std::fmt::Debug for Client<T, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("gateway", &self.gateway)
            .field("retry", &self.retry)
            .field("concurrency", &self.concurrency)
            .field("today", &self.today)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Client<T> {
    /// A client for Databento's API with `key`, no cache, default retries and concurrency.
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
            cache: NoCache,
            today: None,
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

    /// Keep bodies of requests that end before `today` (the caller's clock) in `cache`.
    pub fn with_cache<C2: Cache>(self, cache: C2, today: NaiveDate) -> Client<T, C2> {
        Client {
            transport: self.transport,
            gateway: self.gateway,
            retry: self.retry,
            concurrency: self.concurrency,
            cache,
            today: Some(today),
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
        self.get_range_inner(request, &|_| {}).await.map(|(d, _, _)| d)
    }

    /// `timeseries.get_range`, the raw body (not cached, not decoded).
    pub async fn get_range_bytes(&self, request: &GetRange) -> Result<Vec<u8>, ApiError> {
        let response = self.send(self.gateway.request(request), &request.describe(), &|_| {}).await?;
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
        let total = requests.len();
        let mut results: Vec<Option<Decoded>> = vec![None; total];
        let mut finished = stream::iter(requests.iter().enumerate())
            .map(|(i, r)| async move { (i, r, self.get_range_inner(r, progress).await) })
            .buffer_unordered(self.concurrency);
        let (mut done, mut bytes) = (0, 0u64);
        while let Some((i, request, outcome)) = finished.next().await {
            let (decoded, size, cached) = outcome?;
            done += 1;
            bytes += size;
            progress(Progress::Done { label: request.describe(), done, total, bytes, cached });
            results[i] = Some(decoded);
        }
        Ok(results.into_iter().flatten().collect())
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
            progress(Progress::Done { label, done, total, bytes: 0, cached: false });
        }
        Ok(results.into_iter().flatten().collect())
    }

    /// `metadata.get_dataset_range`: the dates a dataset covers (free). The answer is kept
    /// in the cache, and a client that cannot send ([`crate::transport::Offline`]) reads
    /// the last one kept, so a cached run is planned exactly as when it was fetched.
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
        parse_json(&body, &what)
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

    /// Body decoded, its size, and whether it came from the cache.
    async fn get_range_inner(
        &self,
        request: &GetRange,
        progress: &dyn Fn(Progress),
    ) -> Result<(Decoded, u64, bool), ApiError> {
        let what = request.describe();
        let cacheable = self.today.is_some_and(|t| request.is_cacheable(t));
        let key = request.cache_key().scoped(self.gateway.base_url());
        if cacheable {
            if let Some(bytes) = self.cache.get(&key).await {
                if let Ok(decoded) = decode_body(request.encoding, &bytes) {
                    return Ok((decoded, bytes.len() as u64, true));
                }
            }
        }
        let response = self.send(self.gateway.request(request), &what, progress).await?;
        let decoded = decode_body(request.encoding, &response.body)
            .map_err(|e| ApiError::CorruptBody { what: what.clone(), detail: self.gateway.redact(&e.to_string()) })?;
        if cacheable {
            self.cache.put(&key, &response.body).await;
        }
        Ok((decoded, response.body.len() as u64, false))
    }

    /// Send with retries; `Ok` only for a 2xx response.
    async fn send(
        &self,
        request: HttpRequest,
        what: &str,
        progress: &dyn Fn(Progress),
    ) -> Result<HttpResponse, ApiError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (error, wait) = match self.transport.send(request.clone()).await {
                Ok(r) if (200..300).contains(&r.status) => return Ok(r),
                Ok(r) => {
                    let wait = match r.status {
                        429 => Some(r.retry_after().unwrap_or_else(|| self.backoff(attempt))),
                        500..=599 => Some(self.backoff(attempt)),
                        _ => None,
                    };
                    (self.classify(&r, what, attempt), wait)
                }
                Err(e) if e.kind == TransportErrorKind::Offline => {
                    return Err(ApiError::NotCached { what: what.to_owned() })
                }
                Err(e) => (self.network(e, &request, attempt), Some(self.backoff(attempt))),
            };
            match wait {
                Some(wait) if attempt < self.retry.max_tries && wait <= self.retry.max_retry_after => {
                    progress(Progress::Retrying { label: what.to_owned(), attempt, wait, reason: error.to_string() });
                    self.transport.sleep(wait).await;
                }
                _ => return Err(error),
            }
        }
    }

    fn network(&self, e: TransportError, request: &HttpRequest, attempts: u32) -> ApiError {
        ApiError::Network {
            source: TransportError::new(e.kind, self.gateway.redact(&e.message)),
            url: self.gateway.redact(&request.url),
            attempts,
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
            429 => ApiError::RateLimited { retry_after: r.retry_after(), attempts },
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

fn parse_json<R: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<R, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::CorruptBody { what: what.to_owned(), detail: format!("not the expected JSON: {e}") })
}

/// Decode a body in the request's encoding (a zstd body is refused with a message).
pub fn decode_body(encoding: Encoding, bytes: &[u8]) -> Result<Decoded, crate::decode::DecodeError> {
    if bytes.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
        return Format::sniff(bytes).map(|_| Decoded::default());
    }
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
    use crate::types::{DateRange, Symbols};
    use crate::{SType, Schema};

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
        })
    }

    fn cost() -> GetCost {
        GetRange::new(
            Dataset::glbx_mdp3(),
            Schema::Statistics,
            SType::Parent,
            Symbols::one("HO.FUT").unwrap(),
            DateRange::day(NaiveDate::from_ymd_opt(2025, 1, 2).unwrap()),
        )
        .cost()
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
        assert!(matches!(err, ApiError::CorruptBody { .. }));
    }
}
