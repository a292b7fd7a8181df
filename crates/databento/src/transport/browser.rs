//! Browser transport: `fetch` through gloo-net, timers through gloo-timers.

use std::time::Duration;

use crate::error::{TransportError, TransportErrorKind};
use crate::request::{HttpRequest, Method};

use super::{HttpResponse, Transport};

/// `fetch`-based transport for the WASM app.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserTransport;

impl Transport for BrowserTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        use gloo_net::http::RequestBuilder;
        let mut builder = match request.method {
            Method::Get => RequestBuilder::new(&request.url).method(gloo_net::http::Method::GET),
            Method::Post => RequestBuilder::new(&request.url).method(gloo_net::http::Method::POST),
        };
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
        let headers = response.headers().entries().map(|(n, v)| (n.to_ascii_lowercase(), v)).collect();
        let body = response.binary().await.map_err(|e| TransportError::new(TransportErrorKind::Body, e.to_string()))?;
        Ok(HttpResponse { status, headers, body })
    }

    async fn sleep(&self, duration: Duration) {
        gloo_timers::future::sleep(duration).await;
    }
}
