//! A transport that counts what passes through it for `--metrics-file`: each answer by
//! endpoint (the request path's last part, e.g. `timeseries.get_range`) and HTTP status,
//! the body bytes received, and the retries (the waits before them). It sees the request only to name its endpoint: the key, in
//! the headers, is never read.

use std::time::{Duration, SystemTime};

use deltaroll_databento::{HttpRequest, HttpResponse, Transport, TransportError};

use crate::metrics::Metrics;

/// `inner`, counted into `metrics`.
pub struct Metered<'a, T> {
    inner: T,
    metrics: &'a Metrics,
}

impl<'a, T> Metered<'a, T> {
    /// Count `inner`'s traffic into `metrics`.
    pub fn new(inner: T, metrics: &'a Metrics) -> Self {
        Self { inner, metrics }
    }
}

/// `/v0/timeseries.get_range` → `timeseries.get_range`.
fn endpoint(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

impl<T: Transport> Transport for Metered<'_, T> {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let name = endpoint(&request.path).to_owned();
        let answer = self.inner.send(request).await;
        match &answer {
            Ok(r) => self.metrics.request(&name, Some(r.status), r.body.len() as u64),
            Err(_) => self.metrics.request(&name, None, 0),
        }
        answer
    }

    /// The client sleeps only before a retry: each sleep is one.
    async fn sleep(&self, duration: Duration) {
        self.metrics.retry();
        self.inner.sleep(duration).await;
    }

    /// A pause between pieces of work is no retry.
    async fn pause(&self) {
        self.inner.pause().await;
    }

    fn now(&self) -> Option<SystemTime> {
        self.inner.now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_the_paths_last_part() {
        assert_eq!(endpoint("/v0/timeseries.get_range"), "timeseries.get_range");
        assert_eq!(endpoint("metadata.get_cost"), "metadata.get_cost");
    }
}
