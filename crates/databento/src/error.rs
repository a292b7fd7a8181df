//! Every way a Databento request can fail, worded once, for a trader: what went wrong and
//! what to do. The API key never appears in any message (server text is redacted too).

use std::fmt;
use std::time::Duration;

use chrono::NaiveDate;
use serde::Deserialize;
use thiserror::Error;

use crate::types::{DateRange, KeyError, ParamError};

/// How a transport failed to get a response at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection (refused, DNS, TLS).
    Connect,
    /// The request or the response timed out.
    Timeout,
    /// The connection broke while the body was being read.
    Body,
    /// The transport sends nothing by design ([`crate::transport::Offline`]): the client
    /// may only read its cache.
    Offline,
    /// The browser's `fetch` failed. Browsers give no reason: CORS refusals and network
    /// failures look the same to the page.
    BrowserFetch,
    /// The body is longer than the request allows
    /// ([`HttpRequest::max_body`](crate::HttpRequest::max_body)), announced or as it
    /// arrived; it was not read further.
    TooLarge,
    /// Anything else.
    Other,
}

/// A transport-level failure: nothing (or not a whole response) came back.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// The transport's own description (never contains the key: it is only in a header).
    pub message: String,
}

impl TransportError {
    /// A failure of `kind`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }
}

/// Why a Databento request (or a whole fetch) failed.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ApiError {
    /// The key is missing or not shaped like a Databento key; nothing was sent.
    #[error("{0}")]
    Key(#[from] KeyError),
    /// A request value is invalid (e.g. too many symbols); nothing was sent.
    #[error("invalid request: {0}")]
    Params(#[from] ParamError),
    /// HTTP 401: the key was refused.
    #[error("Databento refused the API key (HTTP 401{}): check that the key is active on the API keys page of your Databento portal and paste it again; keys are 32 characters starting with `db-`", server_says(.detail))]
    Unauthorized {
        /// The server's message.
        detail: String,
        /// The server's `request-id`, for support.
        request_id: Option<String>,
    },
    /// HTTP 402 or 403: the key works but may not fetch this.
    #[error("{}", no_permission_message(*.status, .detail))]
    NoPermission {
        /// 402 (billing) or 403 (no license for this dataset/schema).
        status: u16,
        /// The server's message.
        detail: String,
        /// The server's `request-id`.
        request_id: Option<String>,
    },
    /// HTTP 400/404/409/422: the server will not process these parameters.
    #[error("Databento rejected the request for {what} (HTTP {status}{}){}: {}{}", .case.as_ref().map(|c| format!(", {c}")).unwrap_or_default(), server_says(.detail), bad_request_fix(.case.as_deref()), .docs.as_ref().map(|d| format!(" (see {d})")).unwrap_or_default())]
    BadRequest {
        /// The request, described.
        what: String,
        /// HTTP status.
        status: u16,
        /// Databento's machine-readable case, e.g. `data_start_before_available_start`.
        case: Option<String>,
        /// The server's message.
        detail: String,
        /// The documentation link the server gave.
        docs: Option<String>,
        /// The server's `request-id`.
        request_id: Option<String>,
    },
    /// The request succeeded but returned nothing where data is required.
    #[error("Databento has no {what} for {range}{}: check the dates (markets are closed on weekends and holidays, and recent days may not be published yet) and the product", server_says(.detail.as_deref().unwrap_or("")))]
    NoData {
        /// What was asked for.
        what: String,
        /// The dates asked for.
        range: DateRange,
        /// The server's message, if it explained.
        detail: Option<String>,
    },
    /// The run starts before the first date the dataset has.
    #[error("Databento's {dataset} data for this run starts on {first}: pick a start date on or after it")]
    BeforeCoverage {
        /// The dataset.
        dataset: String,
        /// Its first date for the run's schemas.
        first: NaiveDate,
    },
    /// HTTP 429 after every allowed retry (or a wait longer than allowed).
    #[error("Databento is rate-limiting these requests (HTTP 429{}, gave up after {attempts} attempt(s)): wait a minute and try again, or lower the number of parallel requests", .retry_after.map(|d| format!(", asked to wait {}s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// The last `Retry-After` the server sent.
        retry_after: Option<Duration>,
        /// Attempts made.
        attempts: u32,
    },
    /// HTTP 5xx after every allowed retry.
    #[error("Databento's servers failed to answer the request for {what} (HTTP {status}{}) {attempts} time(s): this is on their side; try again in a few minutes, and check status.databento.com if it persists", server_says(.detail))]
    Server {
        /// The request, described.
        what: String,
        /// The last HTTP status.
        status: u16,
        /// The server's message.
        detail: String,
        /// Attempts made.
        attempts: u32,
        /// The server's `request-id`.
        request_id: Option<String>,
    },
    /// No response at all after every allowed retry.
    #[error("{}{}", network_message(.source, .url, *.attempts), billing_note(*.billed_attempts))]
    Network {
        /// The transport's failure.
        source: TransportError,
        /// The URL called (never contains the key).
        url: String,
        /// Attempts made.
        attempts: u32,
        /// Attempts of a billable request that Databento may have billed (the connection
        /// broke or timed out after the request went out); 0 for free requests. See
        /// [`RetryPolicy::billable_retries`](crate::RetryPolicy::billable_retries).
        billed_attempts: u32,
    },
    /// A body that is truncated or not what the encoding promises. Nothing from it was used.
    #[error("the response for {what} is corrupt or cut short ({detail}); nothing from it was used: try again, and if it keeps happening, report it with the request{}", billing_note(*.billed_attempts))]
    CorruptBody {
        /// The request, described.
        what: String,
        /// What was wrong with the bytes.
        detail: String,
        /// Attempts of a billable request whose body arrived cut short or corrupt: each may
        /// have been billed; 0 for free requests.
        billed_attempts: u32,
    },
    /// The body is larger than the client accepts
    /// ([`Client::with_max_body`](crate::Client::with_max_body)); it was not read whole and
    /// not retried.
    #[error("the response for {what} is larger than the {} this client accepts ({detail}); nothing from it was used: fetch fewer days or symbols at a time, or raise the limit", human_bytes(*.limit))]
    BodyTooLarge {
        /// The request, described.
        what: String,
        /// The limit, bytes.
        limit: u64,
        /// What the transport saw: the length announced, or how much arrived.
        detail: String,
    },
    /// The run settings cannot run; nothing was fetched (or phase 3 was not started).
    #[error("the run settings need fixing before data is fetched: {}", .problems.join("; "))]
    InvalidSpec {
        /// Each problem, worded for the user.
        problems: Vec<String>,
    },
    /// A cache-only client needed a response its cache does not hold; nothing was sent.
    #[error("{what} is not in the cache: enter your Databento API key and run to fetch it (the cost is shown before anything billable is fetched)")]
    NotCached {
        /// The request, described.
        what: String,
    },
    /// Any other HTTP status.
    #[error("unexpected answer from Databento for {what} (HTTP {status}{}): try again; if it persists, report it", server_says(.detail))]
    Unexpected {
        /// The request, described.
        what: String,
        /// HTTP status.
        status: u16,
        /// The body, as text.
        detail: String,
    },
}

impl ApiError {
    /// Whether retrying the same request may succeed (rate limits, server and network
    /// failures).
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::RateLimited { .. } | Self::Server { .. } | Self::Network { .. })
    }
}

/// Most characters of outside input (a field of a body or a file, a value a server sent)
/// that a message quotes: longer input is cut there and ends in `…`.
pub const QUOTE_CHARS: usize = 64;

/// Most characters of a server's own message (or of a third-party error that may quote
/// input) kept in an error.
pub const MESSAGE_CHARS: usize = 300;

/// `text` cut to at most `max_chars` characters, plus `…` when anything was cut: the one
/// way messages quote input they do not control, so a 50 MB field stays a short message.
pub fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Outside input as a message quotes it: at most [`QUOTE_CHARS`] characters.
pub fn quote(text: &str) -> String {
    shorten(text, QUOTE_CHARS)
}

/// What a failure of a billable request may have cost: said whenever an attempt got far
/// enough to be billed.
fn billing_note(billed_attempts: u32) -> String {
    if billed_attempts == 0 {
        return String::new();
    }
    format!(
        ". This request is billable and Databento may have billed {billed_attempts} attempt(s) of it: a retry of a billable request is billed again, so such failures are retried only as often as the billable retries allow (1 by default)"
    )
}

/// `n` bytes for people: `512 MiB`, `3.5 KiB`, `120 bytes`.
fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let text = format!("{value:.1}");
    format!("{} {}", text.strip_suffix(".0").unwrap_or(&text), UNITS[unit])
}

fn server_says(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": \"{detail}\"")
    }
}

fn no_permission_message(status: u16, detail: &str) -> String {
    if status == 402 {
        format!("Databento needs payment details before it serves this request (HTTP 402{}): add or update a payment method on the billing page of your Databento portal", server_says(detail))
    } else {
        format!("the API key has no permission for this data (HTTP 403{}): check that your Databento account is licensed for the dataset and schema (portal, licenses), or use a key of a team that is", server_says(detail))
    }
}

fn bad_request_fix(case: Option<&str>) -> &'static str {
    match case {
        Some(c) if c.contains("start") && c.contains("available") => {
            "; the start date is before the data Databento has: pick a later start date"
        }
        Some(c) if c.contains("end") && c.contains("available") => {
            "; the end date is after the data Databento has published: pick an earlier end date"
        }
        Some(c) if c.contains("symbol") => "; check the product's symbols",
        _ => "; check the dates, product and settings",
    }
}

fn network_message(source: &TransportError, url: &str, attempts: u32) -> String {
    match source.kind {
        TransportErrorKind::BrowserFetch => format!(
            "the browser could not reach {url} ({}; tried {attempts} time(s)). Browsers block calls to servers that do not send CORS headers, and Databento's API is not known to send them: run `deltaroll relay` and set the app's gateway URL to the relay's address (or use a gateway that adds CORS headers); otherwise check the network connection",
            source.message
        ),
        TransportErrorKind::Body => format!(
            "the connection to {url} broke while the answer was being read ({}; tried {attempts} time(s)): the answer arrived cut short and nothing from it was used; check the network connection and try again",
            source.message
        ),
        TransportErrorKind::Timeout => format!(
            "no answer from {url} in time ({}; tried {attempts} time(s)): check the network connection and try again",
            source.message
        ),
        _ => format!(
            "could not reach {url} ({}; tried {attempts} time(s)): check the network connection, the gateway URL and any proxy, then try again",
            source.message
        ),
    }
}

/// The two error-body shapes Databento sends.
#[derive(Deserialize)]
#[serde(untagged)]
enum ErrorBody {
    Detailed { detail: Detailed },
    Simple { detail: String },
}

#[derive(Deserialize)]
struct Detailed {
    #[serde(default)]
    case: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    docs: Option<String>,
}

/// A parsed error body: message, case and docs link.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerMessage {
    /// Human message (or the raw body when it was not JSON, shortened).
    pub message: String,
    /// Machine-readable case, when given.
    pub case: Option<String>,
    /// Documentation link, when given.
    pub docs: Option<String>,
}

impl ServerMessage {
    /// Parse `{"detail": "..."}`, `{"detail": {"case", "message", "docs", ...}}`, or fall
    /// back to the body text. The message is cut to [`MESSAGE_CHARS`] characters, the case
    /// and docs link to [`QUOTE_CHARS`] and twice that: a server (or anything posing as
    /// one) cannot make an error message huge.
    pub fn parse(body: &[u8]) -> Self {
        let message = |m: &str| shorten(m.trim(), MESSAGE_CHARS);
        match serde_json::from_slice::<ErrorBody>(body) {
            Ok(ErrorBody::Simple { detail }) => Self { message: message(&detail), ..Self::default() },
            Ok(ErrorBody::Detailed { detail }) => Self {
                message: message(detail.message.as_deref().unwrap_or_default()),
                case: detail.case.as_deref().map(quote),
                docs: detail.docs.as_deref().map(|d| shorten(d, 2 * QUOTE_CHARS)),
            },
            Err(_) => Self { message: message(&String::from_utf8_lossy(body)), ..Self::default() },
        }
    }
}

impl fmt::Display for ServerMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn both_error_shapes_parse() {
        let s = ServerMessage::parse(br#"{"detail": "Authorization failed: bad key."}"#);
        assert_eq!(s.message, "Authorization failed: bad key.");
        let s = ServerMessage::parse(
            br#"{"detail": {"case": "data_start_before_available_start", "message": "`start` was before the available start.",
            "status_code": 422, "docs": "https://databento.com/docs/x", "payload": {"dataset": "GLBX.MDP3"}}}"#,
        );
        assert_eq!(s.case.as_deref(), Some("data_start_before_available_start"));
        assert_eq!(s.message, "`start` was before the available start.");
        assert_eq!(s.docs.as_deref(), Some("https://databento.com/docs/x"));
        let s = ServerMessage::parse(b"<html>502 Bad Gateway</html>");
        assert_eq!(s.message, "<html>502 Bad Gateway</html>");
        let s = ServerMessage::parse(br#"{"detail": {"case": null, "message": "m"}}"#);
        assert_eq!((s.case, s.message.as_str()), (None, "m"));
    }

    #[test]
    fn messages_say_what_to_do() {
        let e = ApiError::BadRequest {
            what: "statistics for HO.FUT (parent), 2009-01-01".into(),
            status: 422,
            case: Some("data_start_before_available_start".into()),
            detail: "`start` was before the available start.".into(),
            docs: None,
            request_id: None,
        };
        let text = e.to_string();
        assert!(text.contains("HTTP 422"), "{text}");
        assert!(text.contains("pick a later start date"), "{text}");
        let e = ApiError::Network {
            source: TransportError::new(TransportErrorKind::BrowserFetch, "TypeError: Failed to fetch"),
            url: "https://hist.databento.com/v0/timeseries.get_range".into(),
            attempts: 5,
            billed_attempts: 0,
        };
        let text = e.to_string();
        assert!(text.contains("CORS"), "{text}");
        assert!(text.contains("deltaroll relay"), "{text}");
        assert!(!text.contains("billed"), "{text}");
        assert!(e.is_transient());
    }

    #[test]
    fn failures_of_billable_requests_say_a_retry_is_billed_again() {
        let corrupt = |billed_attempts| ApiError::CorruptBody {
            what: "statistics for HO.FUT (parent), 2025-01-02".into(),
            detail: "the body ends in the middle of DBN record 3".into(),
            billed_attempts,
        };
        let text = corrupt(2).to_string();
        assert!(text.contains("a retry of a billable request is billed again"), "{text}");
        assert!(text.contains("may have billed 2 attempt(s)"), "{text}");
        assert!(!corrupt(0).to_string().contains("billed"), "free requests say nothing of billing");
        let e = ApiError::BodyTooLarge { what: "x".into(), limit: 512 * 1024 * 1024, detail: "3 GiB announced".into() };
        let text = e.to_string();
        assert!(text.contains("larger than the 512 MiB this client accepts (3 GiB announced)"), "{text}");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(12), "12 bytes");
    }

    #[test]
    fn quoted_input_is_cut_short() {
        assert_eq!(quote("short"), "short");
        let huge = "é".repeat(50_000_000 / 2);
        let q = quote(&huge);
        assert_eq!(q.chars().count(), QUOTE_CHARS + 1);
        assert!(q.ends_with('…'));
        assert_eq!(shorten("abcdef", 3), "abc…");
        assert_eq!(shorten("abc", 3), "abc");
        // A server's huge message (or an HTML page) stays short, whatever its shape.
        let detail = format!(r#"{{"detail": "{}"}}"#, "x".repeat(10_000_000));
        assert_eq!(ServerMessage::parse(detail.as_bytes()).message.chars().count(), MESSAGE_CHARS + 1);
        let detailed =
            format!(r#"{{"detail": {{"case": "{0}", "message": "{0}", "docs": "{0}"}}}}"#, "y".repeat(1_000_000));
        let s = ServerMessage::parse(detailed.as_bytes());
        assert!(s.message.len() < 1000 && s.case.unwrap().len() < 200 && s.docs.unwrap().len() < 400);
        let html = "<p>".repeat(1_000_000);
        assert!(ServerMessage::parse(html.as_bytes()).message.len() < 1000);
    }
}
