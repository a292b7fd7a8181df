//! Integration tests: the native client against fake-databento (every schema, encoding
//! and fault), the whole fetch, decoder fuzzing and the real fixtures. One binary.
#![allow(clippy::unwrap_used, clippy::float_cmp, missing_docs)]

mod api;
mod decode_fuzz;
mod faults;
mod fetch;
mod golden;
mod kept_chain;

use std::time::Duration;

use deltaroll_databento::transport::NativeTransport;
use deltaroll_databento::{ApiKey, BaseUrl, Client, RetryPolicy};
use fake_databento::{FakeConfig, FakeHandle, FakeServer, TEST_KEY};

pub use deltaroll_databento::testing::d;

/// Retries in milliseconds, so fault tests stay fast.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_tries: 5,
        billable_retries: 1,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(40),
        max_retry_after: Duration::from_secs(5),
        seed: 7,
    }
}

pub async fn start(config: FakeConfig) -> FakeHandle {
    FakeServer::start(config).await.unwrap().1
}

pub fn client(server: &FakeHandle) -> Client<NativeTransport> {
    client_with_key(server, TEST_KEY)
}

pub fn client_with_key(server: &FakeHandle, key: &str) -> Client<NativeTransport> {
    Client::new(NativeTransport::new().unwrap(), ApiKey::new(key).unwrap())
        .with_base_url(BaseUrl::parse(&server.url()).unwrap())
        .with_retry(fast_retry())
}
