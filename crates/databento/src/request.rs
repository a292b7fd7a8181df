//! Request building, pure: each endpoint becomes an [`HttpRequest`] with exactly the method,
//! path, form fields (in the official Rust client's order), headers and auth that the
//! official clients send. No I/O here, so every byte is unit-tested.

use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroU64;

use chrono::NaiveDate;
use dbn::{Compression, Encoding, SType, Schema};
use serde::Deserialize;

use crate::base_url::BaseUrl;
use crate::types::{ApiKey, Dataset, DateRange, Symbols};

/// The API version in every path (`/v0/...`).
pub const API_VERSION: u32 = 0;

/// The largest response body a request accepts by default (512 MiB): a larger one is an
/// [`ApiError::BodyTooLarge`](crate::ApiError::BodyTooLarge), never read into memory whole.
/// A client sets its own with [`Client::with_max_body`](crate::Client::with_max_body).
pub const DEFAULT_MAX_BODY_BYTES: u64 = 512 * 1024 * 1024;

/// `Deltaroll/<version> Rust`, in the official Rust client's `Databento/<version> Rust` form.
pub fn user_agent() -> String {
    format!("Deltaroll/{} Rust", env!("CARGO_PKG_VERSION"))
}

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Query-string requests (`metadata.get_dataset_range`).
    Get,
    /// Form-body requests (`timeseries.get_range`, `metadata.get_cost`, `symbology.resolve`).
    Post,
}

impl Method {
    /// `GET` or `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// A request ready for a transport: everything is decided, nothing is sent.
///
/// `Debug` hides the `Authorization` header; the key is never in the URL.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// GET or POST.
    pub method: Method,
    /// Path below the base URL, e.g. `/v0/timeseries.get_range`.
    pub path: String,
    /// Query parameters (GET requests).
    pub query: Vec<(String, String)>,
    /// Form fields (POST requests), sent as `application/x-www-form-urlencoded`.
    pub form: Vec<(String, String)>,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// Full URL: base URL, path and query string.
    pub url: String,
    /// The longest response body to read, in bytes: a transport stops at once when the
    /// `Content-Length` or the bytes received go past it
    /// ([`TransportErrorKind::TooLarge`](crate::TransportErrorKind::TooLarge)).
    pub max_body: u64,
}

impl HttpRequest {
    /// The encoded form body of a POST (`None` for GET). Spaces become `+`, commas `%2C`,
    /// as `reqwest`'s `.form()` encodes them for the official client.
    pub fn body(&self) -> Option<String> {
        (self.method == Method::Post).then(|| encode_pairs(&self.form))
    }

    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The form field `name`, if present.
    pub fn form_value(&self, name: &str) -> Option<&str> {
        self.form.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let v = if n.eq_ignore_ascii_case("authorization") { "Basic ****" } else { v.as_str() };
                (n.as_str(), v)
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("form", &self.form)
            .field("headers", &headers)
            .field("max_body", &self.max_body)
            .finish()
    }
}

fn encode_pairs(pairs: &[(String, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// Where requests go and who sends them.
#[derive(Clone, PartialEq, Eq)]
pub struct Gateway {
    base_url: BaseUrl,
    key: Option<ApiKey>,
}

impl Gateway {
    /// Databento's API with `key`.
    pub fn new(key: ApiKey) -> Self {
        Self { base_url: BaseUrl::databento(), key: Some(key) }
    }

    /// Databento's API without a key: requests carry no `Authorization` header (for
    /// reading the cache only, or a gateway that adds the key itself).
    pub fn keyless() -> Self {
        Self { base_url: BaseUrl::databento(), key: None }
    }

    /// Another base URL: a relay, a gateway or the local fake server.
    pub fn with_base_url(mut self, base_url: BaseUrl) -> Self {
        self.base_url = base_url;
        self
    }

    /// The base URL.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base_url
    }

    /// `text` with the key (and its Basic token) replaced, for messages that might echo it.
    pub(crate) fn redact(&self, text: &str) -> String {
        self.key.as_ref().map_or_else(|| text.to_owned(), |k| k.redact(text))
    }

    /// The finished request for `endpoint`.
    pub fn request(&self, endpoint: &impl Endpoint) -> HttpRequest {
        let method = endpoint.method();
        let path = format!("/v{API_VERSION}/{}", endpoint.slug());
        let query = owned(endpoint.query());
        let form = owned(endpoint.form());
        let mut url = format!("{}{path}", self.base_url);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&encode_pairs(&query));
        }
        let mut headers = Vec::with_capacity(4);
        if let Some(key) = &self.key {
            headers.push(("authorization".to_owned(), key.basic_auth()));
        }
        headers.push(("accept".to_owned(), endpoint.accept().to_owned()));
        headers.push(("user-agent".to_owned(), user_agent()));
        if method == Method::Post {
            headers.push(("content-type".to_owned(), "application/x-www-form-urlencoded".to_owned()));
        }
        HttpRequest { method, path, query, form, headers, url, max_body: DEFAULT_MAX_BODY_BYTES }
    }
}

impl fmt::Debug for Gateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gateway").field("base_url", &self.base_url).field("key", &self.key).finish()
    }
}

fn owned(pairs: Vec<(&'static str, String)>) -> Vec<(String, String)> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// One API method: its verb, slug and parameters.
pub trait Endpoint {
    /// GET or POST.
    fn method(&self) -> Method;
    /// `<family>.<method>`, e.g. `timeseries.get_range`.
    fn slug(&self) -> &'static str;
    /// Query parameters (GET).
    fn query(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
    /// Form fields (POST).
    fn form(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
    /// The `Accept` header: JSON everywhere except the binary `get_range`.
    fn accept(&self) -> &'static str {
        "application/json"
    }
}

/// `POST /v0/timeseries.get_range`: records of one schema for symbols over a date range.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetRange {
    /// Dataset, e.g. `GLBX.MDP3`.
    pub dataset: Dataset,
    /// Record schema.
    pub schema: Schema,
    /// How `symbols` are to be read (`parent` for `HO.FUT`, `raw_symbol` for `HOH5`).
    pub stype_in: SType,
    /// Output symbology; `instrument_id` (the only pair the API offers for our inputs).
    pub stype_out: SType,
    /// The symbols.
    pub symbols: Symbols,
    /// UTC dates, end exclusive.
    pub range: DateRange,
    /// Body encoding; `dbn` by default.
    pub encoding: Encoding,
    /// Body compression; `zstd` by default, as Databento's official clients ask
    /// (databento-python's `timeseries.get_range` sends `compression=zstd`); the body is
    /// unpacked with the pure-Rust `ruzstd` decoder, which builds for wasm32.
    pub compression: Compression,
    /// Optional record limit.
    pub limit: Option<NonZeroU64>,
    /// CSV/JSON only: how prices, timestamps and symbols are written.
    pub text: TextOptions,
}

/// The CSV/JSON options of a `get_range` body (DBN ignores them); all off by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TextOptions {
    /// Prices as decimals.
    pub pretty_px: bool,
    /// Timestamps as ISO 8601.
    pub pretty_ts: bool,
    /// Add a `symbol` field to each record.
    pub map_symbols: bool,
}

impl TextOptions {
    /// Every option on: decimal prices, ISO timestamps, a symbol per record.
    pub const ALL: Self = Self { pretty_px: true, pretty_ts: true, map_symbols: true };
}

impl GetRange {
    /// A DBN, zstd-compressed request with output symbology `instrument_id`.
    pub fn new(dataset: Dataset, schema: Schema, stype_in: SType, symbols: Symbols, range: DateRange) -> Self {
        Self {
            dataset,
            schema,
            stype_in,
            stype_out: SType::InstrumentId,
            symbols,
            range,
            encoding: Encoding::Dbn,
            compression: Compression::Zstd,
            limit: None,
            text: TextOptions::default(),
        }
    }

    /// The same request in CSV or JSON with the given text options (DBN ignores them).
    pub fn with_text_encoding(mut self, encoding: Encoding, text: TextOptions) -> Self {
        self.encoding = encoding;
        self.text = text;
        self
    }

    /// The free cost query for the same data.
    pub fn cost(&self) -> GetCost {
        GetCost {
            dataset: self.dataset.clone(),
            schema: self.schema,
            stype_in: self.stype_in,
            symbols: self.symbols.clone(),
            range: self.range,
            limit: self.limit,
        }
    }

    /// The canonical form of the request, the key of cached responses: dataset, schema,
    /// symbology, symbols (sorted), range, encoding and its options. The compression is not
    /// part of it: it changes the bytes on the wire, not the data, and a kept body tells
    /// by itself whether it is zstd (its magic number; see
    /// [`decode_body_within`](crate::client::decode_body_within)). The key still reads
    /// `compression=none`, as when requests asked for uncompressed bodies, so entries kept
    /// then are found (and read) as before.
    pub fn cache_key(&self) -> CacheKey {
        let mut symbols: Vec<&str> = self.symbols.as_slice().iter().map(String::as_str).collect();
        symbols.sort_unstable();
        symbols.dedup();
        let text_opts = if self.encoding == Encoding::Dbn {
            String::new()
        } else {
            let TextOptions { pretty_px, pretty_ts, map_symbols } = self.text;
            format!("|pretty_px={pretty_px}|pretty_ts={pretty_ts}|map_symbols={map_symbols}")
        };
        CacheKey(format!(
            "v1|get_range|dataset={}|schema={}|stype_in={}|stype_out={}|symbols={}|start={}|end={}|encoding={}|compression={}|limit={}{text_opts}",
            self.dataset,
            self.schema.as_str(),
            self.stype_in.as_str(),
            self.stype_out.as_str(),
            symbols.join(","),
            self.range.start(),
            self.range.end(),
            self.encoding.as_str(),
            Compression::None.as_str(),
            self.limit.map_or(0, NonZeroU64::get),
        ))
    }

    /// The key under which the cache keeps where a final answer to this request's data from
    /// `start` reached (its range's end), so a later request reaching further can be
    /// answered from the pieces already kept (see [`crate::segments`]).
    pub fn link_key(&self, start: NaiveDate) -> CacheKey {
        let from = Self { range: DateRange::day(start), ..self.clone() };
        CacheKey(format!("{}{LINK_SUFFIX}", from.cache_key().0))
    }

    /// Whether the response can be cached: the range ends before `today` (the caller's
    /// clock; the end is exclusive, so the last day covered is at least two days old and
    /// late re-published statistics have arrived).
    pub fn is_cacheable(&self, today: NaiveDate) -> bool {
        self.range.end() < today
    }

    /// Whether a response to this request is final and may be kept forever: the range ends
    /// before `today` ([`is_cacheable`](Self::is_cacheable)) and no later than the end of the
    /// data the dataset has published for the schema (`available`, from
    /// `metadata.get_dataset_range`). A range reaching past the available end is answered
    /// with what exists so far, which later publications complete; the local clock alone
    /// cannot tell.
    pub fn is_complete(&self, today: NaiveDate, available: &DatasetRange) -> bool {
        self.is_cacheable(today) && available.end_for(self.schema).is_some_and(|end| self.range.end() <= end)
    }

    /// A one-line description for messages: `statistics for HO.FUT (parent), 2025-01-02`.
    pub fn describe(&self) -> String {
        format!("{} for {} ({}), {}", self.schema.as_str(), self.symbols, self.stype_in.as_str(), self.range)
    }
}

impl Endpoint for GetRange {
    fn method(&self) -> Method {
        Method::Post
    }
    fn slug(&self) -> &'static str {
        "timeseries.get_range"
    }
    fn form(&self) -> Vec<(&'static str, String)> {
        let mut form = vec![
            ("dataset", self.dataset.to_string()),
            ("schema", self.schema.as_str().to_owned()),
            ("encoding", self.encoding.as_str().to_owned()),
            ("compression", self.compression.as_str().to_owned()),
            ("stype_in", self.stype_in.as_str().to_owned()),
            ("stype_out", self.stype_out.as_str().to_owned()),
            ("symbols", self.symbols.to_api_string()),
            ("start", self.range.start_ns().to_string()),
            ("end", self.range.end_ns().to_string()),
        ];
        if let Some(limit) = self.limit {
            form.push(("limit", limit.to_string()));
        }
        if self.encoding != Encoding::Dbn {
            form.push(("pretty_px", self.text.pretty_px.to_string()));
            form.push(("pretty_ts", self.text.pretty_ts.to_string()));
            form.push(("map_symbols", self.text.map_symbols.to_string()));
        }
        form
    }
    fn accept(&self) -> &'static str {
        "application/octet-stream"
    }
}

/// `POST /v0/metadata.get_cost`: the price in USD of a `get_range` request (free).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetCost {
    /// Dataset.
    pub dataset: Dataset,
    /// Schema.
    pub schema: Schema,
    /// Input symbology.
    pub stype_in: SType,
    /// Symbols.
    pub symbols: Symbols,
    /// UTC dates, end exclusive.
    pub range: DateRange,
    /// Optional record limit.
    pub limit: Option<NonZeroU64>,
}

impl Endpoint for GetCost {
    fn method(&self) -> Method {
        Method::Post
    }
    fn slug(&self) -> &'static str {
        "metadata.get_cost"
    }
    fn form(&self) -> Vec<(&'static str, String)> {
        let mut form = vec![
            ("dataset", self.dataset.to_string()),
            ("schema", self.schema.as_str().to_owned()),
            ("stype_in", self.stype_in.as_str().to_owned()),
            ("symbols", self.symbols.to_api_string()),
            ("start", self.range.start_ns().to_string()),
            ("end", self.range.end_ns().to_string()),
        ];
        if let Some(limit) = self.limit {
            form.push(("limit", limit.to_string()));
        }
        form
    }
}

/// `GET /v0/metadata.get_dataset_range`: the dates a dataset covers for this key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetDatasetRange {
    /// Dataset.
    pub dataset: Dataset,
}

impl GetDatasetRange {
    /// The key its last answer is kept under in the cache.
    pub fn cache_key(&self) -> CacheKey {
        CacheKey(format!("v1|get_dataset_range|dataset={}", self.dataset))
    }
}

impl Endpoint for GetDatasetRange {
    fn method(&self) -> Method {
        Method::Get
    }
    fn slug(&self) -> &'static str {
        "metadata.get_dataset_range"
    }
    fn query(&self) -> Vec<(&'static str, String)> {
        vec![("dataset", self.dataset.to_string())]
    }
}

/// `POST /v0/symbology.resolve`: symbols of one symbology to another over dates (free).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SymbologyResolve {
    /// Dataset.
    pub dataset: Dataset,
    /// Symbols to resolve.
    pub symbols: Symbols,
    /// Their symbology.
    pub stype_in: SType,
    /// The wanted symbology (`instrument_id`).
    pub stype_out: SType,
    /// UTC dates, end exclusive (sent as `YYYY-MM-DD`).
    pub range: DateRange,
}

impl Endpoint for SymbologyResolve {
    fn method(&self) -> Method {
        Method::Post
    }
    fn slug(&self) -> &'static str {
        "symbology.resolve"
    }
    fn form(&self) -> Vec<(&'static str, String)> {
        vec![
            ("dataset", self.dataset.to_string()),
            ("stype_in", self.stype_in.as_str().to_owned()),
            ("stype_out", self.stype_out.as_str().to_owned()),
            ("symbols", self.symbols.to_api_string()),
            ("start_date", self.range.start().to_string()),
            ("end_date", self.range.end().to_string()),
        ]
    }
}

/// The canonical text of a request, used as the cache key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CacheKey(String);

impl CacheKey {
    /// The canonical text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key of `what` (a name with its format version) derived from the answers kept
    /// under `sources`.
    pub fn derived(sources: &[CacheKey], what: &str) -> Self {
        let sources: Vec<&str> = sources.iter().map(CacheKey::as_str).collect();
        Self(format!("{DERIVED_PREFIX}{what}|from=[{}]", sources.join("][")))
    }

    /// The key for a response from `base`: Databento's own answers keep the plain key, any
    /// other gateway's (a relay, the fake server) get their own space, so test or relayed
    /// bodies are never served as Databento's.
    pub fn scoped(self, base: &BaseUrl) -> Self {
        if base.is_databento() {
            self
        } else {
            Self(format!("gateway={base}|{}", self.0))
        }
    }
}

/// The `metadata.get_dataset_range` answer: start inclusive, end exclusive, per schema too.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DatasetRange {
    /// First available instant (ISO 8601).
    pub start: String,
    /// End of the available data, exclusive (ISO 8601).
    pub end: String,
    /// Ranges per schema name.
    #[serde(default)]
    pub schema: BTreeMap<String, SchemaRange>,
}

/// One schema's available range.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SchemaRange {
    /// First available instant (ISO 8601).
    pub start: String,
    /// End, exclusive (ISO 8601).
    pub end: String,
}

impl DatasetRange {
    /// The first date with data: the UTC date of `start`.
    pub fn start_date(&self) -> Option<NaiveDate> {
        iso_date(&self.start)
    }

    /// The latest exclusive end date a request may use: the UTC date of `end` (a request
    /// ending at that midnight stays inside the available data).
    pub fn end_date(&self) -> Option<NaiveDate> {
        iso_date(&self.end)
    }

    /// The first date for `schema`, falling back to the dataset's.
    pub fn start_for(&self, schema: Schema) -> Option<NaiveDate> {
        self.schema.get(schema.as_str()).and_then(|r| iso_date(&r.start)).or_else(|| self.start_date())
    }

    /// The exclusive end for `schema`, falling back to the dataset's.
    pub fn end_for(&self, schema: Schema) -> Option<NaiveDate> {
        self.schema.get(schema.as_str()).and_then(|r| iso_date(&r.end)).or_else(|| self.end_date())
    }
}

fn iso_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// The `symbology.resolve` answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Resolution {
    /// Input symbol → the output symbols over date intervals.
    pub result: BTreeMap<String, Vec<ResolvedInterval>>,
    /// Symbols resolved for part of the range.
    #[serde(default)]
    pub partial: Vec<String>,
    /// Symbols not resolved at all.
    #[serde(default)]
    pub not_found: Vec<String>,
}

/// One interval of a resolution: `d0` inclusive, `d1` exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ResolvedInterval {
    /// First date (inclusive).
    pub d0: NaiveDate,
    /// End date (exclusive).
    pub d1: NaiveDate,
    /// The output symbol (an instrument id as text for `stype_out=instrument_id`); empty
    /// when the symbol did not resolve for the interval.
    pub s: String,
}

/// The end of a [`GetRange::link_key`]: cache entries that record how far an answer
/// reached, not a response body.
const LINK_SUFFIX: &str = "|reach";

/// How a [`CacheKey::derived`] key starts.
const DERIVED_PREFIX: &str = "v1|derived=";

/// Whether a cache key (as stored) is kept beside the answers, a [`GetRange::link_key`] or
/// a [`CacheKey::derived`] entry, rather than an answer's body.
pub fn is_link_key(key: &str) -> bool {
    key.ends_with(LINK_SUFFIX) || key.starts_with(DERIVED_PREFIX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::testing::{d, ho_futures};

    const KEY: &str = "db-TESTKEY0000000000000000000000";
    const AUTH: &str = "Basic ZGItVEVTVEtFWTAwMDAwMDAwMDAwMDAwMDAwMDAwMDA6";

    fn gateway() -> Gateway {
        Gateway::new(ApiKey::new(KEY).unwrap())
    }

    fn common_headers(req: &HttpRequest, accept: &str) {
        assert_eq!(req.header("Authorization"), Some(AUTH));
        assert_eq!(req.header("accept"), Some(accept));
        assert_eq!(req.header("user-agent"), Some(format!("Deltaroll/{} Rust", env!("CARGO_PKG_VERSION")).as_str()));
    }

    #[test]
    fn get_range_matches_the_official_rust_client() {
        let req =
            gateway().request(&ho_futures(Schema::Statistics, DateRange::new(d(2023, 6, 14), d(2023, 6, 17)).unwrap()));
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.path, "/v0/timeseries.get_range");
        assert_eq!(req.url, "https://hist.databento.com/v0/timeseries.get_range");
        assert_eq!(
            req.body().unwrap(),
            "dataset=GLBX.MDP3&schema=statistics&encoding=dbn&compression=zstd&stype_in=parent\
             &stype_out=instrument_id&symbols=HO.FUT&start=1686700800000000000&end=1686960000000000000"
        );
        common_headers(&req, "application/octet-stream");
        assert_eq!(req.header("content-type"), Some("application/x-www-form-urlencoded"));
    }

    #[test]
    fn raw_option_symbols_are_form_encoded() {
        let req = gateway().request(
            &GetRange::new(
                Dataset::glbx_mdp3(),
                Schema::Ohlcv1D,
                SType::RawSymbol,
                Symbols::new(["OHH5 C24000", "OHH5 C24500"]).unwrap(),
                DateRange::day(d(2025, 1, 2)),
            )
            .with_text_encoding(Encoding::Json, TextOptions::ALL),
        );
        assert_eq!(
            req.body().unwrap(),
            "dataset=GLBX.MDP3&schema=ohlcv-1d&encoding=json&compression=zstd&stype_in=raw_symbol\
             &stype_out=instrument_id&symbols=OHH5+C24000%2COHH5+C24500&start=1735776000000000000\
             &end=1735862400000000000&pretty_px=true&pretty_ts=true&map_symbols=true"
        );
    }

    #[test]
    fn get_cost_has_no_encoding_and_no_stype_out() {
        let range = GetRange::new(
            Dataset::glbx_mdp3(),
            Schema::Definition,
            SType::Parent,
            Symbols::one("OH.OPT").unwrap(),
            DateRange::day(d(2025, 1, 2)),
        );
        let req = gateway().request(&range.cost());
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.path, "/v0/metadata.get_cost");
        assert_eq!(
            req.body().unwrap(),
            "dataset=GLBX.MDP3&schema=definition&stype_in=parent&symbols=OH.OPT\
             &start=1735776000000000000&end=1735862400000000000"
        );
        common_headers(&req, "application/json");
    }

    #[test]
    fn dataset_range_is_a_get_with_a_query() {
        let req = gateway()
            .with_base_url(BaseUrl::parse("http://127.0.0.1:18080/").unwrap())
            .request(&GetDatasetRange { dataset: Dataset::glbx_mdp3() });
        assert_eq!(req.method, Method::Get);
        assert_eq!(req.path, "/v0/metadata.get_dataset_range");
        assert_eq!(req.url, "http://127.0.0.1:18080/v0/metadata.get_dataset_range?dataset=GLBX.MDP3");
        assert_eq!(req.body(), None);
        assert_eq!(req.header("content-type"), None);
        common_headers(&req, "application/json");
    }

    #[test]
    fn resolve_sends_dates() {
        let req = gateway().request(&SymbologyResolve {
            dataset: Dataset::glbx_mdp3(),
            symbols: Symbols::new(["ES.c.0", "ES.d.0"]).unwrap(),
            stype_in: SType::Continuous,
            stype_out: SType::InstrumentId,
            range: DateRange::new(d(2023, 6, 14), d(2023, 6, 17)).unwrap(),
        });
        assert_eq!(req.path, "/v0/symbology.resolve");
        assert_eq!(
            req.body().unwrap(),
            "dataset=GLBX.MDP3&stype_in=continuous&stype_out=instrument_id\
             &symbols=ES.c.0%2CES.d.0&start_date=2023-06-14&end_date=2023-06-17"
        );
        common_headers(&req, "application/json");
    }

    #[test]
    fn debug_hides_the_auth_header() {
        let req = gateway().request(&GetDatasetRange { dataset: Dataset::glbx_mdp3() });
        let shown = format!("{req:?} {:?}", gateway());
        assert!(!shown.contains("ZGItVEVTVEtFWT"), "{shown}");
        assert!(!shown.contains("TESTKEY"), "{shown}");
    }

    #[test]
    fn cache_keys_are_canonical() {
        let a = GetRange::new(
            Dataset::glbx_mdp3(),
            Schema::Statistics,
            SType::RawSymbol,
            Symbols::new(["OHH5 C24500", "OHH5 C24000"]).unwrap(),
            DateRange::day(d(2025, 1, 2)),
        );
        let mut b = a.clone();
        b.symbols = Symbols::new(["OHH5 C24000", "OHH5 C24500"]).unwrap();
        assert_eq!(a.cache_key(), b.cache_key());
        assert_eq!(
            a.cache_key().as_str(),
            "v1|get_range|dataset=GLBX.MDP3|schema=statistics|stype_in=raw_symbol|stype_out=instrument_id\
             |symbols=OHH5 C24000,OHH5 C24500|start=2025-01-02|end=2025-01-03|encoding=dbn|compression=none|limit=0"
        );
        let c = a
            .clone()
            .with_text_encoding(Encoding::Csv, TextOptions { pretty_px: true, pretty_ts: false, map_symbols: true });
        assert_ne!(a.cache_key(), c.cache_key());
        let databento = BaseUrl::databento();
        assert_eq!(a.cache_key().scoped(&databento), a.cache_key(), "Databento's keys are unchanged");
        let fake = BaseUrl::parse("http://127.0.0.1:18080").unwrap();
        let scoped = a.cache_key().scoped(&fake);
        assert_ne!(scoped, a.cache_key());
        assert!(scoped.as_str().starts_with("gateway=http://127.0.0.1:18080|v1|get_range|"), "{}", scoped.as_str());
        assert!(a.is_cacheable(d(2025, 1, 4)));
        assert!(!a.is_cacheable(d(2025, 1, 3)));
        // Complete only when the dataset has published the whole range too.
        let available = |end: &str| DatasetRange {
            start: "2010-06-06T00:00:00Z".into(),
            end: "2026-01-01T00:00:00Z".into(),
            schema: [("statistics".to_owned(), SchemaRange { start: "2010-06-06T00:00:00Z".into(), end: end.into() })]
                .into(),
        };
        assert!(a.is_complete(d(2025, 1, 4), &available("2025-01-03T12:00:00Z")));
        assert!(!a.is_complete(d(2025, 1, 4), &available("2025-01-02T23:59:00Z")), "end after the available end");
        assert!(!a.is_complete(d(2025, 1, 3), &available("2025-06-01T00:00:00Z")), "ends today");
    }

    #[test]
    fn dataset_range_parses() {
        let r: DatasetRange = serde_json::from_str(
            r#"{"start":"2010-06-06T00:00:00.000000000Z","end":"2025-03-01T00:00:00.000000000Z",
                "schema":{"statistics":{"start":"2010-06-06T00:00:00.000000000Z","end":"2025-02-28T00:00:00.000000000Z"}}}"#,
        )
        .unwrap();
        assert_eq!(r.start_date(), Some(d(2010, 6, 6)));
        assert_eq!(r.end_date(), Some(d(2025, 3, 1)));
        assert_eq!(r.end_for(Schema::Statistics), Some(d(2025, 2, 28)));
        assert_eq!(r.end_for(Schema::Definition), Some(d(2025, 3, 1)));
    }
}
