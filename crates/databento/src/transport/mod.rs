//! The HTTP transport behind a small trait: reqwest natively, `fetch` (gloo-net) in the
//! browser, and fakes in tests. Sleeping goes through it too, so tests run on a fake clock.

use std::future::Future;
use std::time::Duration;

use crate::error::{TransportError, TransportErrorKind};
use crate::request::HttpRequest;

#[cfg(feature = "browser")]
mod browser;
#[cfg(feature = "native")]
mod native;

#[cfg(feature = "browser")]
pub use browser::BrowserTransport;
#[cfg(feature = "native")]
pub use native::NativeTransport;

/// A complete HTTP response: status, the headers the client reads, and the whole body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// `Retry-After` as a duration (delta-seconds form; HTTP dates are not used by
    /// Databento and read as absent).
    pub fn retry_after(&self) -> Option<Duration> {
        let value = self.header("retry-after")?.trim();
        if let Ok(secs) = value.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        value.parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0).map(Duration::from_secs_f64)
    }

    /// The `request-id` header Databento sets, for support.
    pub fn request_id(&self) -> Option<String> {
        self.header("request-id").map(str::to_owned)
    }
}

/// Sends requests and sleeps. Futures need not be `Send` (the browser's are not).
pub trait Transport {
    /// Send `request` and read the whole response. `Err` only when no complete response
    /// came back; HTTP error statuses are `Ok`.
    fn send(&self, request: HttpRequest) -> impl Future<Output = Result<HttpResponse, TransportError>>;

    /// Wait for `duration` (retry backoff, `Retry-After`).
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()>;
}

/// A transport that sends nothing: every request fails at once as
/// [`TransportErrorKind::Offline`], which the client turns into
/// [`ApiError::NotCached`](crate::ApiError::NotCached). With a cache, a keyless client on it
/// serves exactly what was fetched before, and never touches the network.
#[derive(Debug, Clone, Copy, Default)]
pub struct Offline;

impl Transport for Offline {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        Err(TransportError::new(TransportErrorKind::Offline, format!("{} was not sent (cache only)", request.path)))
    }

    async fn sleep(&self, _duration: Duration) {}
}

impl<T: Transport + ?Sized> Transport for &T {
    fn send(&self, request: HttpRequest) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        (**self).send(request)
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> {
        (**self).sleep(duration)
    }
}
