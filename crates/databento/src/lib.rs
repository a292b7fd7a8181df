//! Databento Historical API client for deltaroll.
//!
//! - [`request`]: typed requests built purely into [`request::HttpRequest`]s, exactly as
//!   the official clients send them;
//! - [`base_url`]: where requests may go (https, or plain http only to this machine);
//! - [`transport`]: the HTTP transport trait (reqwest natively, `fetch` in the browser,
//!   [`Offline`] for cache-only replays);
//! - [`client`]: retries, rate limits, bounded concurrency, progress, caching;
//! - [`decode`] and [`ingest`]: DBN / JSON-lines / CSV bodies into the core's market data;
//! - [`plan`]: the minimal list of requests for a run and its cost;
//! - [`estimate`]: the plan's cost as shown, with what could not be priced;
//! - [`fetch`]: the whole fetch of a run's market data.
//! - [`files`]: a market from Databento exports (portal and batch downloads, `.zst` too).

pub mod base_url;
pub mod cache;
mod chain_keep;
pub mod client;
pub mod decode;
pub mod error;
pub mod estimate;
pub mod fetch;
pub mod files;
pub mod ingest;
mod kept_chain;
pub mod plan;
pub mod request;
pub mod segments;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod transport;
pub mod types;

pub use dbn::{Compression, Encoding, SType, Schema};

pub use base_url::{
    looks_like_key, BaseUrl, BaseUrlError, Shown, DEFAULT_BASE_URL, DEFAULT_RELAY_PORT, RELAY_DEFAULT_ORIGINS,
};
pub use client::{Client, Progress, RetryPolicy};
pub use error::{ApiError, TransportError, TransportErrorKind};
pub use estimate::{Estimate, Refusal};
pub use request::{
    DatasetRange, Gateway, GetCost, GetDatasetRange, GetRange, HttpRequest, Method, Resolution, SymbologyResolve,
    TextOptions, DEFAULT_MAX_BODY_BYTES,
};
pub use transport::{HttpResponse, Offline, RetryAfter, Transport};
pub use types::{ApiKey, Dataset, DateRange, KeyError, ParamError, Symbols, MAX_SYMBOLS};
