//! The only module that talks to the network: Databento (or the typed gateway) through the
//! client crate's browser transport, with the IndexedDB cache — or the cache alone, without
//! a key, for a shared link. Failures come back typed ([`AppError`], from the client's own
//! errors; the key is never in them). Before the first request of an estimate or a test,
//! two free probes tell at once whether anything answers and whether the page may read it
//! ([`Reach`]), instead of the client's retries ending in a failure that cannot say which.

use std::time::Duration;

use chrono::NaiveDate;
use deltaroll_core::market::MarketData;
use deltaroll_core::spec::RunSpec;
use deltaroll_databento::fetch::{estimate_cost, fetch_market};
use deltaroll_databento::request::HttpRequest;
use deltaroll_databento::transport::{BrowserTransport, HttpResponse, Transport};
use deltaroll_databento::{ApiError, ApiKey, BaseUrl, Client, Dataset, Estimate, Offline, Progress, TransportError};
use futures::future::{select, Either};
use gloo_net::http::RequestBuilder;
use web_sys::{AbortController, RequestCache, RequestCredentials, RequestMode};

use crate::state::app_error::AppError;
use crate::state::clock::utc_date;
use crate::state::connection::{works, Reach};
use crate::state::source::gateway;
use crate::storage::IdbCache;

/// How long a probe waits for an answer before counting it as none.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// Where requests go and with which key.
pub struct Connection {
    key: ApiKey,
    base_url: BaseUrl,
    today: NaiveDate,
}

impl Connection {
    /// A connection with the typed key and gateway (blank: Databento's).
    pub fn new(key: &str, typed_gateway: &str) -> Result<Self, AppError> {
        let key = ApiKey::new(key)?;
        let base_url = gateway(typed_gateway)?;
        Ok(Self { key, base_url, today: today()? })
    }

    /// The gateway requests go to.
    pub fn base_url(&self) -> BaseUrl {
        self.base_url.clone()
    }

    /// A client for one estimate or fetch; dropping it (a cancelled run's future is
    /// dropped) aborts its requests in flight.
    fn client(&self) -> Client<BrowserTransport, IdbCache> {
        Client::new(BrowserTransport::new(), self.key.clone())
            .with_base_url(self.base_url.clone())
            .with_cache(IdbCache, self.today)
    }
}

/// Today's UTC date from the browser's clock (the client caches only ranges before it), or
/// [`AppError::Clock`] when the clock gives no date: never a made-up date, which would
/// make every cached range look current or ancient.
fn today() -> Result<NaiveDate, AppError> {
    utc_date(js_sys::Date::now()).ok_or(AppError::Clock)
}

/// The request plan priced with `metadata.get_cost` (free; nothing billable is fetched);
/// requests Databento refused to price are listed in it, not an error.
pub async fn estimate(connection: &Connection, spec: &RunSpec) -> Result<Estimate, AppError> {
    reach(&connection.base_url).await?;
    Ok(estimate_cost(&connection.client(), spec, &|_| {}).await?)
}

/// "Test connection": the probes, then one free, keyed metadata call (the dataset's dates,
/// as `deltaroll check` asks), so a refused key shows too. Nothing billable is sent.
pub async fn test_connection(connection: &Connection, dataset: &Dataset) -> Result<String, AppError> {
    reach(&connection.base_url).await?;
    let range = connection.client().get_dataset_range(dataset).await?;
    let dates = range.start_date().zip(range.end_date());
    Ok(works(connection.base_url.as_str(), &dataset.to_string(), dates))
}

/// Whether `base_url` answers, and to this page: fails at once when nothing answers (no
/// retries of a closed port) and when its answers are closed to web pages (CORS).
async fn reach(base_url: &BaseUrl) -> Result<(), AppError> {
    // Any path of the API does: even a refusal (401 without a key) is an answer.
    let url = format!("{}/v0/metadata.list_datasets", base_url.as_str());
    let cors = answers(&url, RequestMode::Cors).await;
    let no_cors = cors || answers(&url, RequestMode::NoCors).await;
    match Reach::from_probes(cors, no_cors).problem(base_url.as_str()) {
        None => Ok(()),
        Some(problem) => Err(problem),
    }
}

/// Whether a bare GET of `url` in `mode` gets an answer within [`PROBE_TIMEOUT`] (no key,
/// no cookies, nothing cached).
async fn answers(url: &str, mode: RequestMode) -> bool {
    let abort = AbortController::new().ok();
    let signal = abort.as_ref().map(AbortController::signal);
    let request = RequestBuilder::new(url)
        .mode(mode)
        .credentials(RequestCredentials::Omit)
        .cache(RequestCache::NoStore)
        .abort_signal(signal.as_ref())
        .build();
    let Ok(request) = request else { return false };
    let sent = Box::pin(request.send());
    let timeout = Box::pin(gloo_timers::future::sleep(PROBE_TIMEOUT));
    match select(sent, timeout).await {
        Either::Left((answer, _)) => answer.is_ok(),
        Either::Right(_) => {
            if let Some(abort) = abort {
                abort.abort();
            }
            false
        }
    }
}

/// Everything the run needs, fetched in the client's three phases.
pub async fn fetch(
    connection: &Connection,
    spec: &RunSpec,
    progress: &dyn Fn(Progress),
) -> Result<MarketData, AppError> {
    Ok(fetch_market(&connection.client(), spec, progress).await?)
}

/// The market an earlier fetch of `spec` through `base_url` left in this browser's cache,
/// read without a key and without sending anything; `Ok(None)` when any part of it is not
/// there.
pub async fn from_cache(
    spec: &RunSpec,
    base_url: BaseUrl,
    progress: &dyn Fn(Progress),
) -> Result<Option<MarketData>, AppError> {
    let client = Client::keyless(CacheOnly).with_base_url(base_url).with_cache(IdbCache, today()?);
    match fetch_market(&client, spec, progress).await {
        Ok(market) => Ok(Some(market)),
        Err(ApiError::NotCached { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// [`Offline`] (sends nothing, so the client reads only its cache) whose pauses are real:
/// the client's pauses between pieces of work (`Transport::pause`, a sleep of zero) let
/// the page run while a long cached run is decoded, where `Offline`'s pauses return at
/// once and the whole read froze the page for seconds (`scripts/bench-web --databento`).
struct CacheOnly;

impl Transport for CacheOnly {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        Offline.send(request).await
    }

    async fn sleep(&self, duration: Duration) {
        gloo_timers::future::sleep(duration).await;
    }
}
