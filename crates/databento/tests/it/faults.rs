//! Every fault mode of fake-databento: the right data after retries, or the right typed
//! error, never a partial result.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use deltaroll_databento::cache::MemoryCache;
use deltaroll_databento::testing::ho_futures;
use deltaroll_databento::transport::NativeTransport;
use deltaroll_databento::{
    ApiError, ApiKey, BaseUrl, Client, DateRange, Encoding, GetRange, Progress, RetryPolicy, Schema, TextOptions,
    TransportErrorKind,
};
use fake_databento::{FakeConfig, Fault, TEST_KEY};

use crate::{client, d, fast_retry, start};

fn bars() -> GetRange {
    ho_futures(Schema::Ohlcv1D, DateRange::new(d(2025, 1, 2), d(2025, 1, 16)).unwrap())
}

fn encodings() -> [GetRange; 3] {
    [
        bars(),
        bars().with_text_encoding(Encoding::Json, TextOptions::ALL),
        bars().with_text_encoding(Encoding::Csv, TextOptions::default()),
    ]
}

async fn reference() -> usize {
    let server = start(FakeConfig::synthetic()).await;
    let n = client(&server).get_range(&bars()).await.unwrap().total;
    server.shutdown().await;
    n
}

#[tokio::test]
async fn rate_limit_is_waited_out() {
    let expected = reference().await;
    let server = start(FakeConfig::synthetic().fault(Fault::RateLimit { first: 3, retry_after_secs: 0 })).await;
    let events = RefCell::new(Vec::new());
    let reqs = encodings();
    let decoded = client(&server).get_ranges(&reqs, &|p| events.borrow_mut().push(p)).await.unwrap();
    assert!(decoded.iter().all(|x| x.total == expected));
    assert_eq!(server.request_count(), 3 + 3);
    let retries = events.borrow().iter().filter(|p| matches!(p, Progress::Retrying { .. })).count();
    assert_eq!(retries, 3);
    server.shutdown().await;
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = start(FakeConfig::synthetic().fault(Fault::RateLimit { first: 1, retry_after_secs: 1 })).await;
    let t = Instant::now();
    client(&server).get_range(&bars()).await.unwrap();
    assert!(t.elapsed() >= Duration::from_secs(1), "{:?}", t.elapsed());
    server.shutdown().await;
}

#[tokio::test]
async fn endless_rate_limit_gives_up_typed() {
    let server = start(FakeConfig::synthetic().fault(Fault::RateLimit { first: 100, retry_after_secs: 0 })).await;
    let err = client(&server).get_range(&bars()).await.unwrap_err();
    assert!(matches!(err, ApiError::RateLimited { attempts: 5, .. }), "{err:?}");
    assert_eq!(server.request_count(), 5);
    server.shutdown().await;
}

#[tokio::test]
async fn flaky_server_is_retried_to_the_right_data() {
    let expected = reference().await;
    let server = start(FakeConfig::synthetic().fault(Fault::Flaky)).await;
    let reqs = encodings();
    let decoded = client(&server).get_ranges(&reqs, &|_| {}).await.unwrap();
    assert!(decoded.iter().all(|x| x.total == expected));
    let log = server.requests();
    assert_eq!(log.len(), 6);
    assert_eq!(log.iter().filter(|r| r.status >= 500).count(), 3);

    let once = client(&server).with_retry(RetryPolicy { max_tries: 1, ..fast_retry() });
    let mut fresh = bars();
    fresh.range = DateRange::day(d(2025, 2, 3));
    let err = once.get_range(&fresh).await.unwrap_err();
    assert!(matches!(err, ApiError::Server { attempts: 1, .. }), "{err:?}");
    assert!(err.to_string().contains("try again"), "{err}");
    server.shutdown().await;
}

#[tokio::test]
async fn a_server_that_stays_down_ends_in_the_server_message() {
    let server = start(FakeConfig::synthetic().fault(Fault::Down)).await;
    let err = client(&server).get_range(&bars()).await.unwrap_err();
    assert!(matches!(err, ApiError::Server { status: 503, attempts: 5, .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("5 time(s)") && text.contains("status.databento.com"), "{text}");
    assert_eq!(server.request_count(), 5);
    server.shutdown().await;
}

#[tokio::test]
async fn slow_server_is_waited_for_or_times_out() {
    let server = start(FakeConfig::synthetic().fault(Fault::Slow(Duration::from_millis(300)))).await;
    assert!(client(&server).get_range(&bars()).await.is_ok());
    let impatient = Client::new(
        NativeTransport::with_timeouts(Duration::from_millis(100), Duration::from_secs(1)).unwrap(),
        ApiKey::new(TEST_KEY).unwrap(),
    )
    .with_base_url(BaseUrl::parse(&server.url()).unwrap())
    .with_retry(RetryPolicy { max_tries: 2, ..fast_retry() });
    match impatient.get_range(&bars()).await.unwrap_err() {
        ApiError::Network { source, attempts, .. } => {
            assert_eq!(source.kind, TransportErrorKind::Timeout);
            assert_eq!(attempts, 2);
        }
        other => panic!("{other:?}"),
    }
    server.shutdown().await;
}

#[tokio::test]
async fn truncated_bodies_are_errors_in_every_encoding() {
    let server = start(FakeConfig::synthetic().fault(Fault::Truncate)).await;
    let api = client(&server);
    for req in encodings() {
        let err = api.get_range(&req).await.unwrap_err();
        assert!(matches!(err, ApiError::CorruptBody { .. }), "{:?}: {err:?}", req.encoding);
        assert!(err.to_string().contains("nothing from it was used"), "{err}");
    }
    assert!(api.get_cost(&bars().cost()).await.is_ok(), "metadata answers are not cut");
    // A whole batch fails with it: no partial result.
    let reqs = encodings();
    assert!(api.get_ranges(&reqs, &|_| {}).await.is_err());
    server.shutdown().await;
}

const GET_RANGE: &str = "/v0/timeseries.get_range";

#[tokio::test]
async fn a_truncated_billable_body_is_retried_once_then_fails_saying_retries_are_billed() {
    let server = start(FakeConfig::synthetic().fault(Fault::Truncate)).await;
    let err = client(&server).get_range(&bars()).await.unwrap_err();
    assert!(matches!(err, ApiError::CorruptBody { billed_attempts: 2, .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("a retry of a billable request is billed again"), "{text}");
    assert!(text.contains("the response for ohlcv-1d for HO.FUT (parent), 2025-01-02 to"), "names the request: {text}");
    assert_eq!(server.requests_to(GET_RANGE).len(), 2, "one request, one retry");

    let never = client(&server).with_retry(RetryPolicy { billable_retries: 0, ..fast_retry() });
    never.get_range(&bars()).await.unwrap_err();
    assert_eq!(server.requests_to(GET_RANGE).len(), 3, "no retry at 0");

    // A batch: each request is tried at most twice (the first failure stops the others).
    let reqs = encodings();
    client(&server).get_ranges(&reqs, &|_| {}).await.unwrap_err();
    let batch = server.requests_to(GET_RANGE).len() - 3;
    assert!((2..=6).contains(&batch), "{batch} get_range calls for 3 requests");
    // Free calls are not cut, and not limited by the billable setting.
    assert!(never.get_cost(&bars().cost()).await.is_ok());
    server.shutdown().await;
}

#[tokio::test]
async fn a_body_cut_at_a_record_boundary_is_caught_by_its_length_and_never_cached() {
    let server = start(FakeConfig::synthetic().fault(Fault::ShortBody)).await;
    let cache = MemoryCache::new();
    let api = client(&server).with_cache(&cache, d(2026, 1, 1));
    for req in encodings() {
        let before = server.requests_to(GET_RANGE).len();
        let err = api.get_range(&req).await.unwrap_err();
        // The connection ends before the announced length: the transport says so.
        assert!(
            matches!(&err, ApiError::Network { source, billed_attempts: 2, .. } if source.kind == TransportErrorKind::Body),
            "{:?}: {err:?}",
            req.encoding
        );
        assert!(err.to_string().contains("broke while the answer was being read"), "{err}");
        assert!(err.to_string().contains("billed again"), "{err}");
        assert_eq!(server.requests_to(GET_RANGE).len() - before, 2, "bounded: one request, one retry");
    }
    assert!(cache.is_empty(), "nothing cut short is kept");
    server.shutdown().await;
}

#[tokio::test]
async fn a_body_over_the_clients_limit_is_refused_from_its_length() {
    let server = start(FakeConfig::synthetic()).await;
    let err = client(&server).with_max_body(1024).get_range(&bars()).await.unwrap_err();
    assert!(matches!(&err, ApiError::BodyTooLarge { limit: 1024, .. }), "{err:?}");
    assert!(err.to_string().contains("larger than the 1 KiB this client accepts"), "{err}");
    assert_eq!(server.requests_to(GET_RANGE).len(), 1, "not retried");
    assert!(client(&server).get_range(&bars()).await.is_ok(), "the default limit lets it through");
    server.shutdown().await;
}

#[tokio::test]
async fn bad_key_fails_at_once() {
    let server = start(FakeConfig::synthetic().fault(Fault::BadKey)).await;
    let err = client(&server).get_range(&bars()).await.unwrap_err();
    assert!(matches!(err, ApiError::Unauthorized { .. }), "{err:?}");
    assert!(err.to_string().contains("API keys page"), "{err}");
    assert!(!format!("{err:?}{err}").contains("TESTKEY"));
    assert_eq!(server.request_count(), 1);
    server.shutdown().await;
}

#[tokio::test]
async fn no_server_is_a_network_error() {
    let server = start(FakeConfig::synthetic()).await;
    let url = server.url();
    server.shutdown().await;
    let api = Client::new(NativeTransport::new().unwrap(), ApiKey::new(TEST_KEY).unwrap())
        .with_base_url(BaseUrl::parse(&url).unwrap())
        .with_retry(fast_retry());
    let err = api.get_range(&bars()).await.unwrap_err();
    assert!(
        matches!(&err, ApiError::Network { attempts: 5, source, .. } if source.kind == TransportErrorKind::Connect),
        "{err:?}"
    );
    assert!(err.to_string().contains("could not reach"), "{err}");
}
