//! `deltaroll relay` between a browser-style client and fake-databento: preflight, then a
//! POST with an `Origin`, forwarded with the CORS headers added; other paths refused; pages
//! from other origins refused unless allowed; the `Host` header and absolute-URI requests
//! cannot send it elsewhere; no key in its logs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fake_databento::TEST_KEY;

use crate::{deltaroll, texts, Fake};

/// Base64 of `TEST_KEY:` (HTTP Basic with an empty password).
const BASIC: &str = "ZGItVEVTVEtFWTAwMDAwMDAwMDAwMDAwMDAwMDAwMDA6";

struct Relay {
    child: Child,
    addr: String,
}

impl Relay {
    fn start(upstream: &str) -> Self {
        Self::start_with(upstream, &[])
    }

    fn start_with(upstream: &str, flags: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_deltaroll"))
            .env_clear()
            .args(["relay", "--port", "0", "--upstream", upstream, "--log-level", "trace"])
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_owned();
        assert!(addr.starts_with("127.0.0.1:"), "{line}");
        Self { child, addr }
    }

    /// Stop it and return its stderr (the logs).
    fn stop(mut self) -> String {
        self.child.kill().unwrap();
        let mut logs = String::new();
        self.child.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
        self.child.wait().unwrap();
        logs
    }
}

/// One raw HTTP/1.1 exchange: status, headers (lower-case names), body.
fn exchange(addr: &str, request: &str) -> (u16, Vec<(String, String)>, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

const ORIGIN: &str = "http://localhost:8080";

fn post(target: &str, host: &str, form: &str) -> String {
    post_from(ORIGIN, target, host, form)
}

fn post_from(origin: &str, target: &str, host: &str, form: &str) -> String {
    format!(
        "POST {target} HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\nAuthorization: Basic {BASIC}\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\nCookie: session=abc\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    )
}

const COST_FORM: &str =
    "dataset=GLBX.MDP3&symbols=HO.FUT&schema=statistics&stype_in=parent&stype_out=instrument_id&start=2025-01-02&end=2025-01-03";

#[test]
fn the_relay_forwards_a_browser_request_with_cors() {
    let fake = Fake::synthetic();
    let relay = Relay::start(&fake.url());
    let addr = relay.addr.clone();

    // The browser's preflight: answered by the relay itself, not forwarded.
    let (status, headers, _) = exchange(
        &addr,
        &format!("OPTIONS /v0/metadata.get_cost HTTP/1.1\r\nHost: {addr}\r\nOrigin: {ORIGIN}\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization, content-type\r\nAccess-Control-Request-Private-Network: true\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 204);
    assert_eq!(header(&headers, "access-control-allow-origin"), Some(ORIGIN));
    assert!(header(&headers, "access-control-allow-methods").unwrap().contains("POST"));
    let allowed = header(&headers, "access-control-allow-headers").unwrap();
    assert!(allowed.contains("authorization") && allowed.contains("content-type"), "{allowed}");
    assert_eq!(header(&headers, "access-control-allow-private-network"), Some("true"));
    // Answered by the relay itself (fake-databento does not log preflights, but it sends
    // neither of these).
    assert!(header(&headers, "access-control-expose-headers").unwrap().contains("content-disposition"));
    assert!(fake.handle().requests().is_empty());

    // The request itself, forwarded with its form and key, answered with CORS headers.
    let (status, headers, body) = exchange(&addr, &post("/v0/metadata.get_cost", &addr, COST_FORM));
    assert_eq!(status, 200, "{body}");
    assert_eq!(header(&headers, "access-control-allow-origin"), Some(ORIGIN));
    assert!(header(&headers, "access-control-expose-headers").unwrap().contains("request-id"));
    assert!(header(&headers, "request-id").unwrap().starts_with("fake-"));
    assert!(body.lines().any(|l| l.trim().parse::<f64>().is_ok_and(|c| c > 0.0)), "{body}");
    let seen = fake.handle().requests_to("/v0/metadata.get_cost");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].field("symbols"), Some("HO.FUT"));
    assert_eq!(seen[0].status, 200);

    // GET with a query string.
    let (status, _, body) = exchange(
        &addr,
        &format!("GET /v0/metadata.get_dataset_range?dataset=GLBX.MDP3 HTTP/1.1\r\nHost: {addr}\r\nOrigin: {ORIGIN}\r\nAuthorization: Basic {BASIC}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"schema\""), "{body}");

    // Errors from upstream pass through with their status.
    let (status, headers, body) =
        exchange(&addr, &post("/v0/metadata.get_cost", &addr, COST_FORM).replace(BASIC, "ZGItV1JPTkc6"));
    assert_eq!(status, 401, "{body}");
    assert_eq!(header(&headers, "access-control-allow-origin"), Some(ORIGIN));

    let logs = relay.stop();
    assert!(logs.contains("POST /v0/metadata.get_cost"), "{logs}");
    for secret in ["TESTKEY", BASIC, "ZGItV1JPTkc6", "session=abc"] {
        assert!(!logs.contains(secret), "the relay logged {secret}: {logs}");
    }
    assert!(!TEST_KEY.is_empty());
}

#[test]
fn the_relay_refuses_other_paths_and_cannot_be_steered_to_other_hosts() {
    let fake = Fake::synthetic();
    let relay = Relay::start(&fake.url());
    let addr = relay.addr.clone();

    for path in ["/", "/etc/passwd", "/v0/batch.submit_job", "/v1/timeseries.get_range", "/v0/metadata.get_cost/../x"] {
        let (status, headers, body) = exchange(
            &addr,
            &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: {ORIGIN}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(status, 404, "{path}: {body}");
        assert!(body.contains("forwards only Databento's API paths"), "{path}: {body}");
        assert_eq!(header(&headers, "access-control-allow-origin"), Some(ORIGIN), "the page can read why");
    }
    assert!(fake.handle().requests().is_empty(), "nothing forwarded");
    let (status, _, _) =
        exchange(&addr, &format!("DELETE /v0/metadata.get_cost HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"));
    assert_eq!(status, 405);

    // An absolute-URI request for another host, and a Host header naming another host:
    // both still go to the relay's one upstream (the fake logs them).
    let evil = "evil.invalid";
    let (status, _, body) = exchange(&addr, &post(&format!("http://{evil}/v0/metadata.get_cost"), evil, COST_FORM));
    assert_eq!(status, 200, "{body}");
    let (status, _, body) = exchange(&addr, &post("/v0/metadata.get_cost", evil, COST_FORM));
    assert_eq!(status, 200, "{body}");
    assert_eq!(fake.handle().requests_to("/v0/metadata.get_cost").len(), 2);
    relay.stop();

    // The upstream itself is restricted to Databento's gateway or this machine.
    let home = tempfile::tempdir().unwrap();
    for upstream in
        ["https://evil.invalid", "http://hist.databento.com", "http://10.1.2.3:80", "https://hist.databento.com/v0"]
    {
        let out = deltaroll(home.path()).args(["relay", "--port", "0", "--upstream", upstream]).output().unwrap();
        let (_, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(2), "{upstream}: {stderr}");
        assert!(stderr.contains("the relay forwards only to https://hist.databento.com"), "{stderr}");
    }
}

fn preflight_from(origin: &str, addr: &str) -> String {
    format!("OPTIONS /v0/metadata.get_cost HTTP/1.1\r\nHost: {addr}\r\nOrigin: {origin}\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization, content-type\r\nConnection: close\r\n\r\n")
}

#[test]
fn the_relay_answers_only_the_apps_pages_unless_told_otherwise() {
    let fake = Fake::synthetic();
    let relay = Relay::start(&fake.url());
    let addr = relay.addr.clone();
    for origin in ["http://127.0.0.1:8080", "http://localhost:8080"] {
        let (status, headers, body) = exchange(&addr, &post_from(origin, "/v0/metadata.get_cost", &addr, COST_FORM));
        assert_eq!(status, 200, "{origin}: {body}");
        assert_eq!(header(&headers, "access-control-allow-origin"), Some(origin));
    }
    for origin in ["https://evil.example", "http://127.0.0.1:9000", "http://localhost:8080.evil.example", "null"] {
        for request in [preflight_from(origin, &addr), post_from(origin, "/v0/metadata.get_cost", &addr, COST_FORM)] {
            let (status, headers, body) = exchange(&addr, &request);
            assert_eq!(status, 403, "{origin}: {body}");
            assert_eq!(header(&headers, "access-control-allow-origin"), None, "{origin}");
            assert!(
                body.contains("answers only the web app's pages (http://127.0.0.1:8080, http://localhost:8080)"),
                "{body}"
            );
            let what = if origin == "null" { "<origin>".to_owned() } else { origin.to_owned() };
            assert!(body.contains(&format!("restart the relay with `--allow-origin {what}`")), "{body}");
        }
    }
    assert_eq!(fake.handle().requests_to("/v0/metadata.get_cost").len(), 2, "refused requests are not forwarded");
    let logs = relay.stop();
    assert!(logs.contains("--allow-origin https://evil.example") && logs.contains("403"), "{logs}");

    // More pages with --allow-origin (repeatable, normalised); others are still refused.
    let relay = Relay::start_with(
        &fake.url(),
        &["--allow-origin", "http://127.0.0.1:9000/", "--allow-origin", "HTTPS://App.Example:443"],
    );
    let addr = relay.addr.clone();
    for origin in ["http://127.0.0.1:9000", "https://app.example", "http://localhost:8080"] {
        let (status, headers, body) = exchange(&addr, &preflight_from(origin, &addr));
        assert_eq!(status, 204, "{origin}: {body}");
        assert_eq!(header(&headers, "access-control-allow-origin"), Some(origin));
    }
    let (status, _, _) = exchange(&addr, &preflight_from("https://evil.example", &addr));
    assert_eq!(status, 403);
    relay.stop();

    let home = tempfile::tempdir().unwrap();
    for bad in ["null", "*", "http://127.0.0.1:9000/app"] {
        let out = deltaroll(home.path()).args(["relay", "--port", "0", "--allow-origin", bad]).output().unwrap();
        let (_, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains(&format!("--allow-origin `{bad}` is not a web page's origin")), "{stderr}");
    }
}

#[test]
fn the_cli_runs_through_the_relay() {
    let fake = Fake::synthetic();
    let relay = Relay::start(&fake.url());
    let home = tempfile::tempdir().unwrap();
    let out = deltaroll(home.path())
        .env("DATABENTO_API_KEY", TEST_KEY)
        .args(["--gateway", &format!("http://{}", relay.addr), "--no-cache"])
        .args(["--start-date", "2025-01-02", "--end-date", "2025-01-10"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.starts_with("timestamp,Futures_Price,"));
    assert!(fake.get_ranges() > 0);
    let logs = relay.stop();
    assert!(logs.contains("POST /v0/timeseries.get_range"), "{logs}");
}

#[test]
fn the_relay_never_follows_a_redirect() {
    // An upstream on this machine that redirects everything elsewhere.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = [0u8; 4096];
        let _ = stream.read(&mut buf).unwrap();
        stream
            .write_all(b"HTTP/1.1 302 Found\r\nLocation: http://evil.invalid/steal\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .unwrap();
    });
    let relay = Relay::start(&upstream);
    let (status, headers, body) = exchange(&relay.addr, &post("/v0/metadata.get_cost", "x", COST_FORM));
    assert_eq!(status, 502, "{body}");
    assert!(body.contains("does not follow redirects"), "{body}");
    assert_eq!(header(&headers, "location"), None);
    server.join().unwrap();
    relay.stop();
}
