//! The only module that talks to the network: Databento (or the typed gateway) through the
//! client crate's browser transport, with the IndexedDB cache. It returns the client's own
//! messages (the key is never in them).

use std::time::Duration;

use chrono::NaiveDate;
use deltaroll_core::market::MarketData;
use deltaroll_core::spec::RunSpec;
use deltaroll_databento::fetch::{estimate_cost, fetch_market};
use deltaroll_databento::request::{HttpRequest, Method};
use deltaroll_databento::{ApiKey, Client, HttpResponse, Progress, Transport, TransportError, TransportErrorKind};
use web_sys::AbortController;

use crate::state::run::{sentence, EstimateView};
use crate::state::source::gateway_url;
use crate::storage::IdbCache;

/// Where requests go and with which key; dropping it (Cancel) aborts its requests in
/// flight.
pub struct Connection {
    key: ApiKey,
    base_url: String,
    abort: Option<AbortController>,
}

impl Connection {
    /// A connection with the typed key and gateway (empty: Databento's).
    pub fn new(key: &str, gateway: &str) -> Result<Self, String> {
        let key = ApiKey::new(key).map_err(|e| sentence(&e.to_string()))?;
        Ok(Self { key, base_url: gateway_url(gateway), abort: AbortController::new().ok() })
    }

    fn client(&self) -> Client<AbortableFetch, IdbCache> {
        let transport = AbortableFetch { signal: self.abort.as_ref().map(AbortController::signal) };
        Client::new(transport, self.key.clone()).with_base_url(&self.base_url).with_cache(IdbCache, today())
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if let Some(abort) = &self.abort {
            abort.abort();
        }
    }
}

/// The browser's `fetch` (as the client crate's `BrowserTransport`) with an abort signal,
/// so a cancelled run stops its requests instead of letting them finish unread.
struct AbortableFetch {
    signal: Option<web_sys::AbortSignal>,
}

impl Transport for AbortableFetch {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        use gloo_net::http::{Method as GlooMethod, RequestBuilder};
        let method = match request.method {
            Method::Get => GlooMethod::GET,
            Method::Post => GlooMethod::POST,
        };
        let mut builder = RequestBuilder::new(&request.url).method(method).abort_signal(self.signal.as_ref());
        for (name, value) in &request.headers {
            // Browsers set their own User-Agent.
            if !name.eq_ignore_ascii_case("user-agent") {
                builder = builder.header(name, value);
            }
        }
        let failed = |e: gloo_net::Error| TransportError::new(TransportErrorKind::BrowserFetch, e.to_string());
        let prepared = match request.body() {
            Some(body) => builder.body(body).map_err(failed)?,
            None => builder.build().map_err(failed)?,
        };
        let response = prepared.send().await.map_err(failed)?;
        let status = response.status();
        let headers = response.headers().entries().map(|(n, v)| (n.to_ascii_lowercase(), v)).collect();
        let body = response.binary().await.map_err(|e| TransportError::new(TransportErrorKind::Body, e.to_string()))?;
        Ok(HttpResponse { status, headers, body })
    }

    async fn sleep(&self, duration: Duration) {
        gloo_timers::future::sleep(duration).await;
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
