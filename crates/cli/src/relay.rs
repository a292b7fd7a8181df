//! `deltaroll relay`: a local forwarder for browsers that cannot call Databento directly
//! (Databento's API sends no CORS headers). It listens on 127.0.0.1 only, forwards the
//! API's own paths to one fixed upstream (Databento's gateway; a local server in tests),
//! answers CORS preflights and adds the CORS headers to every answer — for the web app's
//! own pages only: a request from any other `Origin` (`null` included) gets a 403. Requests
//! without an `Origin` (the CLI, curl) are not from a web page and are served.
//!
//! What it never does: keep anything (bodies stream through), log a header (so never the
//! `Authorization` key), follow a redirect, or let a request choose where it goes — the
//! upstream is fixed at start, and only the path and query of a request are read (its
//! `Host` header and any absolute-URI authority are ignored).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use futures::TryStreamExt as _;

use crate::error::CliError;
use deltaroll_databento::BaseUrl;
use url::Url;

/// The web app's pages that may use the relay unless told otherwise: `bash scripts/serve`'s.
pub const DEFAULT_ORIGINS: [&str; 2] = deltaroll_databento::RELAY_DEFAULT_ORIGINS;

/// Request headers passed upstream; every other header (cookies, `Host`, `Origin`, …)
/// stays here.
const FORWARDED_REQUEST_HEADERS: [&str; 3] = ["authorization", "content-type", "accept"];

/// Response headers passed back to the browser.
const FORWARDED_RESPONSE_HEADERS: [&str; 5] =
    ["content-type", "content-disposition", "retry-after", "request-id", "x-warning"];

/// The upstream base URL, if allowed: Databento's own gateway, or a bare origin on this
/// machine (for tests against fake-databento); no path, query or credentials.
pub fn parse_upstream(given: &str) -> Result<String, CliError> {
    let refuse = || CliError::RelayUpstream { given: given.to_owned() };
    let url = BaseUrl::parse(given).map_err(|_| refuse())?;
    if url.is_databento() || (url.is_loopback() && url.is_origin()) {
        Ok(url.as_str().to_owned())
    } else {
        Err(refuse())
    }
}

/// A web origin given with `--allow-origin` (scheme, host and optional port, as a browser
/// sends it in `Origin`), normalised: `http://LOCALHOST:80/` is `http://localhost`.
pub fn parse_origin(given: &str) -> Result<String, CliError> {
    let refuse = || CliError::RelayOrigin { given: given.to_owned() };
    let url = Url::parse(given.trim()).map_err(|_| refuse())?;
    let bare = url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    if bare && matches!(url.scheme(), "http" | "https") && url.host().is_some() {
        Ok(url.origin().ascii_serialization())
    } else {
        Err(refuse())
    }
}

/// Why a request from `origin` is refused, and what to pass to allow it.
fn origin_refusal(origin: &str, allowed: &[String]) -> String {
    let allowed = allowed.join(", ");
    if origin == "null" {
        format!(
            "deltaroll relay answers only the web app's pages ({allowed}), not a page without an origin (`null`: a file:// page or a sandboxed frame); serve the app over http(s) and restart the relay with `--allow-origin <origin>` naming its origin"
        )
    } else {
        format!(
            "deltaroll relay answers only the web app's pages ({allowed}), not {origin}; to allow that page, restart the relay with `--allow-origin {origin}`"
        )
    }
}

/// Whether `path` is one of the API's own: `/v0/timeseries.get_range`,
/// `/v0/symbology.resolve` or `/v0/metadata.<method>`.
pub fn is_api_path(path: &str) -> bool {
    match path {
        "/v0/timeseries.get_range" | "/v0/symbology.resolve" => true,
        _ => path.strip_prefix("/v0/metadata.").is_some_and(|m| {
            !m.is_empty() && m.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }),
    }
}

struct Relay {
    upstream: String,
    /// The origins whose pages may call it (normalised by [`parse_origin`]).
    origins: Vec<String>,
    client: reqwest::Client,
}

/// Serve until Ctrl-C or SIGTERM; prints the URL to use on stdout first. Pages from
/// [`DEFAULT_ORIGINS`] and `allow_origins` may call it.
pub fn serve(port: u16, upstream: &str, allow_origins: &[String]) -> Result<(), CliError> {
    let upstream = parse_upstream(upstream)?;
    let mut origins: Vec<String> = DEFAULT_ORIGINS.iter().map(|o| (*o).to_owned()).collect();
    for given in allow_origins {
        let origin = parse_origin(given)?;
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(30))
        .timeout(Duration::from_secs(600))
        .user_agent(concat!("deltaroll-relay/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| CliError::Startup(format!("HTTP client: {e}")))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Startup(format!("async runtime: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|error| CliError::RelayListen { port, error })?;
        let addr = listener.local_addr().map_err(|error| CliError::RelayListen { port, error })?;
        println!("deltaroll relay listening on http://{addr} (forwarding to {upstream})");
        eprintln!(
            "Set the web app's gateway URL to http://{addr}. Pages allowed: {} (more with --allow-origin). The relay keeps nothing and logs no key; Ctrl-C stops it.",
            origins.join(", ")
        );
        tracing::info!(listen = %addr, upstream = %upstream, "relay started");
        let relay = Arc::new(Relay { upstream, origins, client });
        let app = axum::Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let relay = relay.clone();
            async move { relay.handle(method, uri, headers, body).await }
        });
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|error| CliError::RelayListen { port, error })?;
        tracing::info!("relay stopped");
        Ok(())
    })
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            () = term => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

impl Relay {
    async fn handle(&self, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
        let started = Instant::now();
        let path = uri.path().to_owned();
        let origin = headers.get("origin").map(|o| String::from_utf8_lossy(o.as_bytes()).into_owned());
        let allowed = origin.as_ref().is_none_or(|o| self.origins.contains(o));
        let mut response = if !allowed {
            let why = origin_refusal(origin.as_deref().unwrap_or_default(), &self.origins);
            tracing::warn!("{why}");
            refusal(StatusCode::FORBIDDEN, &why)
        } else if method == Method::OPTIONS {
            empty(StatusCode::NO_CONTENT)
        } else if !is_api_path(&path) {
            refusal(
                StatusCode::NOT_FOUND,
                &format!(
                    "deltaroll relay forwards only Databento's API paths (/v0/timeseries.get_range, /v0/metadata.*, /v0/symbology.resolve); `{path}` is not one"
                ),
            )
        } else if method != Method::GET && method != Method::POST {
            refusal(
                StatusCode::METHOD_NOT_ALLOWED,
                &format!("deltaroll relay forwards GET and POST only, not {method}"),
            )
        } else {
            self.forward(&method, &uri, &headers, body).await
        };
        if let (true, Some(origin)) = (allowed, headers.get("origin")) {
            add_cors(response.headers_mut(), origin, &headers);
        }
        // Method, path and status only: never a header, so never the key.
        tracing::info!(
            method = %method,
            path = %path,
            status = response.status().as_u16(),
            ms = started.elapsed().as_millis() as u64,
            "{method} {path} → {}",
            response.status().as_u16()
        );
        response
    }

    async fn forward(&self, method: &Method, uri: &Uri, headers: &HeaderMap, body: Bytes) -> Response {
        // The fixed upstream, then the request's own path and query: nothing else of the
        // request line or of `Host` is used.
        let mut url = format!("{}{}", self.upstream, uri.path());
        if let Some(query) = uri.query() {
            url.push('?');
            url.push_str(query);
        }
        let reqwest_method = if method == Method::POST { reqwest::Method::POST } else { reqwest::Method::GET };
        let mut request = self.client.request(reqwest_method, &url);
        for name in FORWARDED_REQUEST_HEADERS {
            if let Some(value) = headers.get(name).and_then(|v| v.to_str().ok()) {
                request = request.header(name, value);
            }
        }
        if method == Method::POST {
            request = request.body(body);
        }
        let upstream = match request.send().await {
            Ok(r) => r,
            Err(e) => {
                let why = if e.is_timeout() { "timed out" } else { "failed" };
                tracing::warn!(upstream = %self.upstream, "request to the upstream {why}");
                return refusal(
                    StatusCode::BAD_GATEWAY,
                    &format!(
                        "deltaroll relay could not reach {} (the request {why}): check the network connection",
                        self.upstream
                    ),
                );
            }
        };
        let status = upstream.status();
        if status.is_redirection() {
            return refusal(
                StatusCode::BAD_GATEWAY,
                &format!(
                    "{} answered with a redirect (HTTP {}); the relay does not follow redirects",
                    self.upstream,
                    status.as_u16()
                ),
            );
        }
        let kept: Vec<(HeaderName, HeaderValue)> = FORWARDED_RESPONSE_HEADERS
            .iter()
            .filter_map(|name| {
                let value = upstream.headers().get(*name)?;
                Some((HeaderName::from_static(name), HeaderValue::from_bytes(value.as_bytes()).ok()?))
            })
            .collect();
        let mut response = Response::new(Body::from_stream(upstream.bytes_stream().map_err(std::io::Error::other)));
        *response.status_mut() = StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
        response.headers_mut().extend(kept);
        response
    }
}

fn empty(status: StatusCode) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = status;
    r
}

/// An error in Databento's own shape (`{"detail": …}`), so the web app shows the message.
fn refusal(status: StatusCode, detail: &str) -> Response {
    let mut r = Response::new(Body::from(serde_json::json!({ "detail": detail }).to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    r
}

/// The headers a browser needs to read the answer (and to send the preflighted request),
/// for a page from an allowed `origin`.
fn add_cors(h: &mut HeaderMap, origin: &HeaderValue, request: &HeaderMap) {
    h.insert("access-control-allow-origin", origin.clone());
    h.insert("vary", HeaderValue::from_static("origin"));
    h.insert("access-control-allow-methods", HeaderValue::from_static("GET, POST, OPTIONS"));
    h.insert("access-control-allow-headers", HeaderValue::from_static("authorization, content-type, accept"));
    h.insert(
        "access-control-expose-headers",
        HeaderValue::from_static("retry-after, request-id, x-warning, content-disposition"),
    );
    h.insert("access-control-max-age", HeaderValue::from_static("600"));
    // Chrome's Private Network Access: a public page calling 127.0.0.1 asks first.
    if request.get("access-control-request-private-network").is_some() {
        h.insert("access-control-allow-private-network", HeaderValue::from_static("true"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_databento_or_this_machine_is_an_upstream() {
        assert_eq!(parse_upstream("https://hist.databento.com").ok().as_deref(), Some("https://hist.databento.com"));
        assert_eq!(parse_upstream("https://hist.databento.com/").ok().as_deref(), Some("https://hist.databento.com"));
        assert!(parse_upstream("http://127.0.0.1:18080").is_ok());
        assert!(parse_upstream("http://localhost:18080").is_ok());
        for bad in [
            "http://hist.databento.com",
            "https://hist.databento.com.evil.example",
            "https://evil.example",
            "http://10.0.0.1:80",
            "https://hist.databento.com/v0",
            "https://hist.databento.com:8443",
            "https://user@hist.databento.com",
            "file:///etc/passwd",
            "not a url",
        ] {
            assert!(parse_upstream(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn allowed_origins_are_bare_http_origins_normalised_as_browsers_send_them() {
        for (given, origin) in [
            ("http://127.0.0.1:9000", "http://127.0.0.1:9000"),
            ("http://LOCALHOST:80/", "http://localhost"),
            ("https://app.example", "https://app.example"),
            (" https://app.example:443 ", "https://app.example"),
        ] {
            assert_eq!(parse_origin(given).ok().as_deref(), Some(origin), "{given}");
        }
        for bad in ["null", "*", "file:///tmp/index.html", "http://x/app", "https://u@app.example", "app.example", ""] {
            let error = parse_origin(bad).unwrap_err().to_string();
            assert!(error.contains("--allow-origin") && error.contains("http://127.0.0.1:8080"), "{bad}: {error}");
        }
    }

    #[test]
    fn refusals_say_what_to_pass() {
        let allowed = DEFAULT_ORIGINS.map(str::to_owned);
        let why = origin_refusal("https://evil.example", &allowed);
        assert!(why.contains("--allow-origin https://evil.example`") && why.contains(DEFAULT_ORIGINS[1]), "{why}");
        let why = origin_refusal("null", &allowed);
        assert!(why.contains("`--allow-origin <origin>`") && !why.contains("--allow-origin null"), "{why}");
    }

    #[test]
    fn only_the_apis_paths_are_forwarded() {
        for ok in [
            "/v0/timeseries.get_range",
            "/v0/metadata.get_cost",
            "/v0/metadata.get_dataset_range",
            "/v0/symbology.resolve",
        ] {
            assert!(is_api_path(ok), "{ok}");
        }
        for bad in [
            "/",
            "/v0/",
            "/v0/metadata.",
            "/v0/metadata.get_cost/../../x",
            "/v0/batch.submit_job",
            "/v1/timeseries.get_range",
            "/v0/timeseries.get_range/x",
            "/v0/metadata.GET",
            "//evil.example/v0/metadata.get_cost",
        ] {
            assert!(!is_api_path(bad), "{bad}");
        }
    }
}
