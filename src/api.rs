//! The only module that talks to the network: Databento (or the typed gateway) through the
//! client crate's browser transport, with the IndexedDB cache — or the cache alone, without
//! a key, for a shared link. Failures come back typed ([`AppError`], from the client's own
//! errors; the key is never in them).

use chrono::NaiveDate;
use deltaroll_core::market::MarketData;
use deltaroll_core::spec::RunSpec;
use deltaroll_databento::fetch::{estimate_cost, fetch_market};
use deltaroll_databento::transport::BrowserTransport;
use deltaroll_databento::{ApiError, ApiKey, BaseUrl, Client, Estimate, Offline, Progress};

use crate::state::app_error::AppError;
use crate::state::clock::utc_date;
use crate::state::source::gateway;
use crate::storage::IdbCache;

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
    Ok(estimate_cost(&connection.client(), spec, &|_| {}).await?)
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
    let client = Client::keyless(Offline).with_base_url(base_url).with_cache(IdbCache, today()?);
    match fetch_market(&client, spec, progress).await {
        Ok(market) => Ok(Some(market)),
        Err(ApiError::NotCached { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
