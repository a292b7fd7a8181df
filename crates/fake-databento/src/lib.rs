//! fake-databento: a local stand-in for the Databento Historical API.
//!
//! Serves `timeseries.get_range` (`definition`, `statistics`, `ohlcv-1d`; DBN, JSON and
//! CSV), `metadata.get_cost`, `metadata.get_dataset_range` and `symbology.resolve` on
//! 127.0.0.1, from any market ([`MarketSource`]: the built-in [`synthetic_market`], the
//! real fixtures, later the demo market). One key is accepted ([`TEST_KEY`]); bad
//! parameters get 422 in Databento's error shape (so do raw symbols none of which resolve
//! for the requested dates); every answer carries CORS headers and
//! preflights are answered; faults are injected on demand ([`Fault`]). Tests start it on
//! an ephemeral port with [`FakeServer::start`] and read its request log.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use deltaroll_core::market::MarketData;
use tokio::sync::oneshot;

mod fixtures;
mod params;
mod realistic;
mod server;
mod synthetic;
mod universe;

pub use fixtures::{load_fixtures, FixtureError};
pub use realistic::realistic_universe;
pub use server::COST_PER_RECORD;
pub use synthetic::{future_expiry, option_expiry, synthetic_market};
pub use universe::{FakeInstrument, Universe};

/// The one API key the fake accepts (32 characters, like a real key).
pub const TEST_KEY: &str = "db-TESTKEY0000000000000000000000";

/// Where the served market comes from; called once when the server starts. Any
/// `Fn() -> MarketData` is one, e.g. `|| demo_market(&DemoConfig::default())`.
pub trait MarketSource: Send + Sync + 'static {
    /// The market to serve.
    fn market(&self) -> MarketData;
}

impl<F: Fn() -> MarketData + Send + Sync + 'static> MarketSource for F {
    fn market(&self) -> MarketData {
        self()
    }
}

/// An injected fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The first `first` requests get 429 with `Retry-After: retry_after_secs`.
    RateLimit {
        /// How many requests are refused.
        first: usize,
        /// The `Retry-After` value, seconds.
        retry_after_secs: u64,
    },
    /// Every other attempt at the same request fails with 500 or 503 (the first attempt
    /// fails, the retry succeeds).
    Flaky,
    /// Every answer is delayed.
    Slow(Duration),
    /// Every successful `timeseries.get_range` body is cut in half, inside a record, and
    /// sent as if whole (a short `Content-Length`): only decoding can tell.
    Truncate,
    /// Every successful `timeseries.get_range` body is cut at a record (DBN) or line (JSON,
    /// CSV) boundary about half-way, while its `Content-Length` still announces the whole
    /// body, and the connection is closed there: the part that arrived decodes cleanly, and
    /// only the length tells it is not all.
    ShortBody,
    /// Every request gets 401.
    BadKey,
    /// Every request gets 503: the API is down, and retries cannot help.
    Down,
    /// Raw-symbol requests cannot resolve this symbol (as Databento could not resolve the
    /// phase-3 stand-in `HOF5` for December 2024): it stays served under its parent, and a
    /// request naming only it gets 422 "None of the symbols could be resolved".
    Unresolved(String),
}

impl Fault {
    /// Parse a `--fault` value: `rate-limit`, `flaky`, `slow`, `truncate`, `short-body`,
    /// `bad-key`, `down`, `unresolved` (rate-limit: 3 requests, Retry-After 1 s; slow: 2 s;
    /// unresolved: `HOF5`).
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "rate-limit" => Self::RateLimit { first: 3, retry_after_secs: 1 },
            "flaky" => Self::Flaky,
            "slow" => Self::Slow(Duration::from_secs(2)),
            "truncate" => Self::Truncate,
            "short-body" => Self::ShortBody,
            "bad-key" => Self::BadKey,
            "down" => Self::Down,
            "unresolved" => Self::Unresolved(DEFAULT_UNRESOLVED.to_owned()),
            _ => return None,
        })
    }
}

/// The symbol `--fault unresolved` cannot resolve unless `--unresolved-symbol` names another.
pub const DEFAULT_UNRESOLVED: &str = "HOF5";

/// One request as the server saw it (no headers: the key is never kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// `GET`, `POST`, `OPTIONS`.
    pub method: String,
    /// Path, e.g. `/v0/timeseries.get_range`.
    pub path: String,
    /// Query parameters.
    pub query: Vec<(String, String)>,
    /// Form fields.
    pub form: Vec<(String, String)>,
    /// Status answered.
    pub status: u16,
}

impl LoggedRequest {
    /// A form field's value.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// What the server serves.
#[derive(Clone)]
enum Served {
    /// A market, indexed when the server starts.
    Market(Arc<dyn MarketSource>),
    /// The realistic universe ([`realistic_universe`]).
    Realistic,
}

/// How to run the server.
#[derive(Clone)]
pub struct FakeConfig {
    source: Served,
    /// Injected faults.
    pub faults: Vec<Fault>,
    /// Port on 127.0.0.1 (0: any free port).
    pub port: u16,
    /// The accepted key.
    pub key: String,
}

impl std::fmt::Debug for FakeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeConfig").field("faults", &self.faults).field("port", &self.port).finish_non_exhaustive()
    }
}

impl FakeConfig {
    /// Serve the market of `source` on a free port, no faults.
    pub fn new(source: impl MarketSource) -> Self {
        Self { source: Served::Market(Arc::new(source)), faults: Vec::new(), port: 0, key: TEST_KEY.to_owned() }
    }

    /// Serve the realistic universe: every listed HO month and about 10,000 OH options a
    /// day, June 2010 to December 2025, prices computed when asked.
    pub fn realistic() -> Self {
        Self { source: Served::Realistic, ..Self::synthetic() }
    }

    /// Serve the built-in synthetic market.
    pub fn synthetic() -> Self {
        Self::new(synthetic_market)
    }

    /// Serve a market already built.
    pub fn with_market(market: MarketData) -> Self {
        Self::new(move || market.clone())
    }

    /// Add a fault.
    pub fn fault(mut self, fault: Fault) -> Self {
        self.faults.push(fault);
        self
    }

    /// Listen on `port`.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }
}

/// The fake server.
#[derive(Debug)]
pub struct FakeServer;

/// A running server: its address, request log and shutdown.
#[derive(Debug)]
pub struct FakeHandle {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<LoggedRequest>>>,
    counter: Arc<AtomicUsize>,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeServer {
    /// Build the served market and listen on 127.0.0.1.
    pub async fn start(config: FakeConfig) -> std::io::Result<(SocketAddr, FakeHandle)> {
        let universe = match &config.source {
            Served::Market(source) => Universe::from_market(&source.market()),
            Served::Realistic => realistic_universe(),
        };
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
        let addr = listener.local_addr()?;
        let log = Arc::new(Mutex::new(Vec::new()));
        let counter = Arc::new(AtomicUsize::new(0));
        let state = Arc::new(server::State {
            universe,
            key: config.key,
            faults: config.faults,
            log: log.clone(),
            counter: counter.clone(),
            attempts: Mutex::new(Default::default()),
        });
        let app = axum::Router::new()
            .fallback(move |method, uri, headers, body| server::handle(state.clone(), method, uri, headers, body));
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok((addr, FakeHandle { addr, log, counter, shutdown: Some(tx), task }))
    }
}

impl FakeHandle {
    /// `http://127.0.0.1:<port>`, the base URL for a client.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Requests so far to `path` (e.g. `/v0/timeseries.get_range`).
    pub fn requests_to(&self, path: &str) -> Vec<LoggedRequest> {
        self.requests().into_iter().filter(|r| r.path == path).collect()
    }

    /// Number of requests so far.
    pub fn request_count(&self) -> usize {
        self.counter.load(Ordering::SeqCst)
    }

    /// Stop the server and wait for it.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_key_is_shaped_like_a_real_key() {
        assert_eq!(TEST_KEY.len(), 32);
        assert!(TEST_KEY.starts_with("db-"));
        assert_eq!(Fault::parse("flaky"), Some(Fault::Flaky));
        assert_eq!(Fault::parse("down"), Some(Fault::Down));
        assert_eq!(Fault::parse("short-body"), Some(Fault::ShortBody));
        assert_eq!(Fault::parse("unresolved"), Some(Fault::Unresolved("HOF5".into())));
        assert_eq!(Fault::parse("nope"), None);
    }
}
