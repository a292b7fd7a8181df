//! Browser transport: `fetch` through gloo-net, timers through gloo-timers, the clock
//! through JavaScript's `Date`.

use std::time::{Duration, SystemTime};

use gloo_net::http::{Method as FetchMethod, RequestBuilder};
use web_sys::AbortController;

use crate::error::{TransportError, TransportErrorKind};
use crate::request::{HttpRequest, Method};

use super::{too_large, HttpResponse, Transport};

/// `fetch`-based transport for the WASM app. Dropping it (with the client that owns it,
/// e.g. when a cancelled run's future is dropped) aborts its requests still in flight.
#[derive(Debug, Default)]
pub struct BrowserTransport {
    abort: Option<AbortController>,
}

impl BrowserTransport {
    /// A transport whose requests are aborted when it is dropped.
    pub fn new() -> Self {
        Self { abort: AbortController::new().ok() }
    }
}

impl Drop for BrowserTransport {
    fn drop(&mut self) {
        if let Some(abort) = &self.abort {
            abort.abort();
        }
    }
}

impl Transport for BrowserTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let method = match request.method {
            Method::Get => FetchMethod::GET,
            Method::Post => FetchMethod::POST,
        };
        let signal = self.abort.as_ref().map(AbortController::signal);
        let mut builder = RequestBuilder::new(&request.url).method(method).abort_signal(signal.as_ref());
        for (name, value) in &request.headers {
            // Browsers set their own User-Agent.
            if !name.eq_ignore_ascii_case("user-agent") {
                builder = builder.header(name, value);
            }
        }
        let fetch_err = |e: gloo_net::Error| TransportError::new(TransportErrorKind::BrowserFetch, e.to_string());
        let prepared = match request.body() {
            Some(body) => builder.body(body).map_err(fetch_err)?,
            None => builder.build().map_err(fetch_err)?,
        };
        let response = prepared.send().await.map_err(fetch_err)?;
        let status = response.status();
        let headers: Vec<(String, String)> =
            response.headers().entries().map(|(n, v)| (n.to_ascii_lowercase(), v)).collect();
        // `Content-Length` counts the bytes on the wire, gzip-packed or not, and `fetch`
        // hands over the unpacked body: it bounds the body only when nothing was packed,
        // which the page cannot see (`Content-Encoding` is hidden from cross-origin pages).
        // A packed body is smaller than its unpacked self, so a length over the limit
        // refuses the body before it is read; its size is checked again once it is.
        let limit = request.max_body;
        let announced =
            headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.trim().parse::<u64>().ok());
        if announced.is_some_and(|n| n > limit) {
            return Err(too_large(limit, announced));
        }
        let body = response.binary().await.map_err(|e| TransportError::new(TransportErrorKind::Body, e.to_string()))?;
        if body.len() as u64 > limit {
            return Err(too_large(limit, announced));
        }
        Ok(HttpResponse { status, headers, body, content_length: None })
    }

    async fn sleep(&self, duration: Duration) {
        gloo_timers::future::sleep(duration).await;
    }

    fn now(&self) -> Option<SystemTime> {
        // `SystemTime::now` panics in wasm32-unknown-unknown; `Date.now()` is milliseconds
        // since the epoch.
        let ms = js_sys::Date::now();
        (ms.is_finite() && ms >= 0.0).then(|| SystemTime::UNIX_EPOCH + Duration::from_millis(ms as u64))
    }
}
