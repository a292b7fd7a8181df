//! The only module that talks to the network: Databento (or the typed gateway) through the
//! client crate's browser transport, with the IndexedDB cache. It returns the client's own
//! messages (the key is never in them).

use chrono::NaiveDate;
use deltaroll_core::market::MarketData;
use deltaroll_core::spec::RunSpec;
use deltaroll_databento::fetch::{estimate_cost, fetch_market};
use deltaroll_databento::transport::BrowserTransport;
use deltaroll_databento::{ApiKey, Client, Progress};

use crate::state::run::{sentence, EstimateView};
use crate::state::source::gateway_url;
use crate::storage::IdbCache;

/// Where requests go and with which key.
pub struct Connection {
    key: ApiKey,
    base_url: String,
}

impl Connection {
    /// A connection with the typed key and gateway (empty: Databento's).
    pub fn new(key: &str, gateway: &str) -> Result<Self, String> {
        let key = ApiKey::new(key).map_err(|e| sentence(&e.to_string()))?;
        Ok(Self { key, base_url: gateway_url(gateway) })
    }

    fn client(&self) -> Client<BrowserTransport, IdbCache> {
        Client::new(BrowserTransport, self.key.clone()).with_base_url(&self.base_url).with_cache(IdbCache, today())
    }
}

/// Today's UTC date from the browser's clock (the client caches only ranges before it).
fn today() -> NaiveDate {
    let now = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(now.get_utc_full_year() as i32, now.get_utc_month() + 1, now.get_utc_date())
        .unwrap_or(NaiveDate::MIN)
}

/// The request plan priced with `metadata.get_cost` (free; nothing billable is fetched).
pub async fn estimate(connection: &Connection, spec: &RunSpec) -> Result<EstimateView, String> {
    let estimate = estimate_cost(&connection.client(), spec, &|_| {}).await.map_err(|e| sentence(&e.to_string()))?;
    Ok(EstimateView::from(&estimate))
}

/// Everything the run needs, fetched in the client's three phases.
pub async fn fetch(connection: &Connection, spec: &RunSpec, progress: &dyn Fn(Progress)) -> Result<MarketData, String> {
    fetch_market(&connection.client(), spec, progress).await.map_err(|e| sentence(&e.to_string()))
}
