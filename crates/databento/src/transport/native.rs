//! Native transport: reqwest with rustls, tokio's timer, the system clock.

use std::time::{Duration, SystemTime};

use crate::error::{TransportError, TransportErrorKind};
use crate::request::{HttpRequest, Method};

use super::{too_large, HttpResponse, Transport};

/// The most memory reserved up front for a body from its `Content-Length` (16 MiB): a
/// header can lie, so a larger body grows as it arrives.
const MAX_RESERVE: u64 = 16 * 1024 * 1024;

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
        let mut response = builder.send().await.map_err(err)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        // reqwest decodes no content encoding here (no such feature is enabled, and it would
        // drop the header if it did): the length announced is that of the bytes read.
        let content_length = response.content_length();
        let limit = request.max_body;
        if content_length.is_some_and(|n| n > limit) {
            return Err(too_large(limit, content_length));
        }
        // Read chunk by chunk, so a body growing past the limit (chunked, or longer than
        // it said) is dropped at the limit instead of exhausting memory.
        let reserve = content_length.unwrap_or(0).min(limit).min(MAX_RESERVE);
        let mut body = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(err)? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large(limit, content_length));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse { status, headers, body, content_length })
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }

    fn now(&self) -> Option<SystemTime> {
        Some(SystemTime::now())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;

    use super::*;
    use crate::request::{Gateway, GetDatasetRange};
    use crate::types::Dataset;
    use crate::BaseUrl;

    /// A one-connection HTTP server on 127.0.0.1 answering `head` then `chunks` (written
    /// one by one), on a thread of its own; its base URL.
    fn serve_once(head: &'static str, chunks: Vec<Vec<u8>>) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let (mut socket, _) = listener.accept().unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let _ = socket.write_all(head.as_bytes());
            for chunk in chunks {
                if socket.write_all(&chunk).is_err() {
                    return;
                }
            }
        });
        url
    }

    fn request(url: &str, max_body: u64) -> HttpRequest {
        let gateway = Gateway::keyless().with_base_url(BaseUrl::parse(url).unwrap());
        HttpRequest { max_body, ..gateway.request(&GetDatasetRange { dataset: Dataset::glbx_mdp3() }) }
    }

    #[tokio::test]
    async fn an_announced_body_over_the_limit_is_refused_before_it_is_read() {
        // A terabyte announced, nothing sent: the answer comes at once.
        let url = serve_once("HTTP/1.1 200 OK\r\ncontent-length: 1000000000000\r\n\r\n", Vec::new());
        let err = NativeTransport::new().unwrap().send(request(&url, 1000)).await.unwrap_err();
        assert_eq!(err.kind, TransportErrorKind::TooLarge, "{err:?}");
        assert!(err.message.contains("1000000000000"), "{err}");
    }

    #[tokio::test]
    async fn a_chunked_body_is_cut_off_at_the_limit() {
        let chunk = |n: usize| format!("{n:x}\r\n{}\r\n", "x".repeat(n)).into_bytes();
        let mut chunks: Vec<Vec<u8>> = (0..50).map(|_| chunk(1000)).collect();
        chunks.push(b"0\r\n\r\n".to_vec());
        let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
        let url = serve_once(head, chunks.clone());
        let err = NativeTransport::new().unwrap().send(request(&url, 10_000)).await.unwrap_err();
        assert_eq!(err.kind, TransportErrorKind::TooLarge, "{err:?}");
        // Under the limit, the same body arrives whole, with no length announced.
        let url = serve_once(head, chunks);
        let ok = NativeTransport::new().unwrap().send(request(&url, 50_000)).await.unwrap();
        assert_eq!((ok.body.len(), ok.content_length), (50_000, None));
    }

    #[tokio::test]
    async fn the_announced_length_is_reported() {
        let url = serve_once("HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\n", vec![b"0.25".to_vec()]);
        let ok = NativeTransport::new().unwrap().send(request(&url, 1000)).await.unwrap();
        assert_eq!((ok.body.as_slice(), ok.content_length), (&b"0.25"[..], Some(4)));
        assert!(NativeTransport::new().unwrap().now().is_some());
    }
}
