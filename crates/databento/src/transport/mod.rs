//! The HTTP transport behind a small trait: reqwest natively, `fetch` (gloo-net) in the
//! browser, and fakes in tests. Sleeping goes through it too, so tests run on a fake clock,
//! and so does the time of day (for a `Retry-After` given as a date).

use std::future::Future;
use std::time::{Duration, SystemTime};

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

/// The longest wait a `Retry-After` is read as (a day): a larger number of seconds, or a
/// date further out, reads as this. The client gives up at once on any wait above
/// [`RetryPolicy::max_retry_after`](crate::RetryPolicy::max_retry_after) (5 minutes by
/// default), so nothing longer could be waited anyway, and no value can overflow.
pub const RETRY_AFTER_CEILING: Duration = Duration::from_secs(86_400);

/// A complete HTTP response: status, the headers the client reads, and the whole body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
    /// The body's length as the server announced it (`Content-Length`), when the transport
    /// hands over the body exactly as it was sent, so the client can compare it with
    /// `body.len()`: a body cut short at a record or line boundary still decodes, and only
    /// this tells. `None` when the server sent none (a chunked body) or when the transport
    /// decoded the body: the browser's `fetch` unpacks gzip while its `Content-Length`
    /// counts the packed bytes (the browser itself refuses a body shorter than announced).
    pub content_length: Option<u64>,
}

impl HttpResponse {
    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// `Retry-After` as a wait, in either form RFC 9110 allows: delta-seconds (`120`; a
    /// decimal such as `1.5` is read too) or an HTTP-date. A date is measured from the
    /// response's own `Date` header (the server's clock, so the two clocks need not agree),
    /// else from `now` (the transport's clock, [`Transport::now`]); a date in the past is no
    /// wait. Absent, unreadable, or a date with no clock to measure it from: `None`. Never
    /// more than [`RETRY_AFTER_CEILING`], never a panic, whatever the header holds.
    pub fn retry_after(&self, now: Option<SystemTime>) -> Option<Duration> {
        match RetryAfter::parse(self.header("retry-after")?)? {
            RetryAfter::Delay(wait) => Some(wait),
            RetryAfter::At(at) => {
                let server_now = self.header("date").and_then(|d| httpdate::parse_http_date(d.trim()).ok());
                let from = server_now.or(now)?;
                Some(at.duration_since(from).unwrap_or(Duration::ZERO).min(RETRY_AFTER_CEILING))
            }
        }
    }

    /// The `request-id` header Databento sets, for support.
    pub fn request_id(&self) -> Option<String> {
        self.header("request-id").map(str::to_owned)
    }
}

/// A `Retry-After` value (RFC 9110 §10.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// Delta-seconds, at most [`RETRY_AFTER_CEILING`].
    Delay(Duration),
    /// An HTTP-date.
    At(SystemTime),
}

impl RetryAfter {
    /// Read a header value: digits (any number of them: a value too large for a `u64`
    /// reads as the ceiling), a non-negative finite decimal, or an HTTP-date (IMF-fixdate,
    /// RFC 850 or asctime). Anything else is `None`.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        if value.bytes().all(|b| b.is_ascii_digit()) {
            // Only an overflow can fail here: read it as the ceiling.
            let secs = value.parse::<u64>().unwrap_or(u64::MAX);
            return Some(Self::Delay(Duration::from_secs(secs).min(RETRY_AFTER_CEILING)));
        }
        if let Ok(secs) = value.parse::<f64>() {
            // `1e20` or `inf` must not reach `Duration::from_secs_f64`, which panics on
            // values it cannot hold: cap first, and convert without panicking.
            if !(secs.is_finite() && secs >= 0.0) {
                return None;
            }
            let capped = secs.min(RETRY_AFTER_CEILING.as_secs_f64());
            return Some(Self::Delay(Duration::try_from_secs_f64(capped).unwrap_or(Duration::ZERO)));
        }
        httpdate::parse_http_date(value).ok().map(Self::At)
    }
}

/// Sends requests and sleeps. Futures need not be `Send` (the browser's are not).
pub trait Transport {
    /// Send `request` and read the whole response. `Err` only when no complete response
    /// came back; HTTP error statuses are `Ok`. A body longer than `request.max_body`
    /// (announced or as it arrives) is [`TransportErrorKind::TooLarge`], read no further.
    fn send(&self, request: HttpRequest) -> impl Future<Output = Result<HttpResponse, TransportError>>;

    /// Wait for `duration` (retry backoff, `Retry-After`).
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()>;

    /// Let others run for a moment between pieces of long work (a browser's event loop
    /// paints and takes input): a sleep of zero unless the transport knows better. Not a
    /// retry, unlike [`sleep`](Self::sleep).
    fn pause(&self) -> impl Future<Output = ()> {
        self.sleep(Duration::ZERO)
    }

    /// The time of day, to measure a `Retry-After` date from when the response has no
    /// `Date` header; `None` (the default) when the transport has no clock, and such a
    /// date then reads as absent (the client backs off as usual).
    fn now(&self) -> Option<SystemTime> {
        None
    }
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

    fn pause(&self) -> impl Future<Output = ()> {
        (**self).pause()
    }

    fn now(&self) -> Option<SystemTime> {
        (**self).now()
    }
}

/// The error of a body longer than `limit` bytes (`announced`: its `Content-Length`).
#[cfg(any(feature = "native", feature = "browser", test))]
pub(crate) fn too_large(limit: u64, announced: Option<u64>) -> TransportError {
    let announced = announced.map(|n| format!(" (it announced {n} bytes)")).unwrap_or_default();
    TransportError::new(TransportErrorKind::TooLarge, format!("the body is over the {limit}-byte limit{announced}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn response(headers: &[(&str, &str)]) -> HttpResponse {
        HttpResponse {
            status: 429,
            headers: headers.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect(),
            body: Vec::new(),
            content_length: None,
        }
    }

    fn at(text: &str) -> SystemTime {
        httpdate::parse_http_date(text).unwrap()
    }

    #[test]
    fn delta_seconds_are_read_and_capped_without_panicking() {
        let wait = |v: &str| response(&[("retry-after", v)]).retry_after(None);
        assert_eq!(wait("7"), Some(Duration::from_secs(7)));
        assert_eq!(wait(" 0 "), Some(Duration::ZERO));
        assert_eq!(wait("1.5"), Some(Duration::from_millis(1500)));
        for huge in ["1e20", "99999999999999999999999999", "18446744073709551616", "1e308", "86401"] {
            assert_eq!(wait(huge), Some(RETRY_AFTER_CEILING), "{huge}");
        }
        for bad in ["", "-1", "inf", "NaN", "-0.5", "soon", "1e400", "0x10", "１２"] {
            assert_eq!(wait(bad), None, "{bad:?}");
        }
        assert_eq!(response(&[]).retry_after(None), None);
    }

    #[test]
    fn http_dates_are_measured_from_the_servers_date_or_the_transports_clock() {
        let date = "Wed, 21 Oct 2026 07:28:00 GMT";
        let server = response(&[("Retry-After", date), ("Date", "Wed, 21 Oct 2026 07:27:53 GMT")]);
        assert_eq!(server.retry_after(None), Some(Duration::from_secs(7)));
        // The server's Date wins over a skewed local clock.
        assert_eq!(server.retry_after(Some(at("Wed, 21 Oct 2026 09:00:00 GMT"))), Some(Duration::from_secs(7)));
        let bare = response(&[("retry-after", date)]);
        assert_eq!(bare.retry_after(Some(at("Wed, 21 Oct 2026 07:27:30 GMT"))), Some(Duration::from_secs(30)));
        assert_eq!(bare.retry_after(Some(at("Thu, 22 Oct 2026 07:28:00 GMT"))), Some(Duration::ZERO), "past");
        assert_eq!(bare.retry_after(None), None, "no clock: read as absent");
        let far = response(&[("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT")]);
        assert_eq!(far.retry_after(Some(SystemTime::UNIX_EPOCH)), Some(RETRY_AFTER_CEILING));
        // The obsolete forms RFC 9110 still asks recipients to read.
        let rfc850 = response(&[("retry-after", "Wednesday, 21-Oct-26 07:28:00 GMT")]);
        assert_eq!(rfc850.retry_after(Some(at(date))), Some(Duration::ZERO));
        let asctime = response(&[("retry-after", "Wed Oct 21 07:28:10 2026")]);
        assert_eq!(asctime.retry_after(Some(at(date))), Some(Duration::from_secs(10)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn any_retry_after_reads_without_panicking(value in any::<String>(), date in any::<String>(), secs in any::<u64>()) {
            let now = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs % (1 << 40)));
            for r in [response(&[("retry-after", &value)]), response(&[("retry-after", &value), ("date", &date)])] {
                for clock in [None, now] {
                    if let Some(wait) = r.retry_after(clock) {
                        prop_assert!(wait <= RETRY_AFTER_CEILING, "{value:?} → {wait:?}");
                    }
                }
            }
        }

        #[test]
        fn number_like_retry_afters_are_capped(value in "[0-9]{0,40}(\\.[0-9]{0,20})?([eE][+-]?[0-9]{1,4})?") {
            let wait = response(&[("retry-after", &value)]).retry_after(None);
            if let Some(wait) = wait {
                prop_assert!(wait <= RETRY_AFTER_CEILING);
            }
            if value.bytes().all(|b| b.is_ascii_digit()) && !value.is_empty() {
                let expected = value.parse::<u64>().map_or(RETRY_AFTER_CEILING, |s| Duration::from_secs(s).min(RETRY_AFTER_CEILING));
                prop_assert_eq!(wait, Some(expected));
            }
        }
    }
}
