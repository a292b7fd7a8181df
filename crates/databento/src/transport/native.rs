//! Native transport: reqwest with rustls, tokio's timer.

use std::time::Duration;

use crate::error::{TransportError, TransportErrorKind};
use crate::request::{HttpRequest, Method};

use super::{HttpResponse, Transport};

/// reqwest-based transport for the CLI and tests.
#[derive(Debug, Clone)]
pub struct NativeTransport {
    client: reqwest::Client,
}

impl NativeTransport {
    /// A transport with a 10-minute overall timeout per request (large ranges stream for
    /// a while) and a 30-second connect timeout.
    pub fn new() -> Result<Self, TransportError> {
        Self::with_timeouts(Duration::from_secs(600), Duration::from_secs(30))
    }

    /// A transport with the given overall and connect timeouts.
    pub fn with_timeouts(total: Duration, connect: Duration) -> Result<Self, TransportError> {
        reqwest::Client::builder()
            .timeout(total)
            .connect_timeout(connect)
            .build()
            .map(|client| Self { client })
            .map_err(|e| TransportError::new(TransportErrorKind::Other, e.to_string()))
    }
}

fn classify(e: &reqwest::Error) -> TransportErrorKind {
    if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_body() || e.is_decode() {
        TransportErrorKind::Body
    } else {
        TransportErrorKind::Other
    }
}

fn describe(e: &reqwest::Error) -> String {
    // reqwest's Display names the URL (which never holds the key); add the root cause.
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

impl Transport for NativeTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut builder = self.client.request(method, &request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some(body) = request.body() {
            builder = builder.body(body);
        }
        let err = |e: reqwest::Error| TransportError::new(classify(&e), describe(&e));
        let response = builder.send().await.map_err(err)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        let body = response.bytes().await.map_err(err)?.to_vec();
        Ok(HttpResponse { status, headers, body })
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}
