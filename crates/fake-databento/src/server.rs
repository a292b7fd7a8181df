//! Request handling: CORS, auth, faults, routing, and the four endpoints.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use base64::Engine as _;
use chrono::NaiveDate;
use dbn::encode::{CsvEncoder, DbnEncodable, DbnEncoder, EncodeRecord, EncodeRecordTextExt, JsonEncoder};
use dbn::{Compression, Encoding, MappingInterval, Metadata, SType, SymbolMapping};
use serde_json::{json, Map, Value};

use crate::params::{iso, BodyOptions, ErrorAnswer, Params, Query, ResolveQuery};
use crate::universe::{ns_at, ns_date, Universe};
use crate::{Fault, LoggedRequest};

/// Price of one record in the fake's cost model, USD.
pub const COST_PER_RECORD: f64 = 0.0001;

/// Shared server state.
pub(crate) struct State {
    pub(crate) universe: Universe,
    pub(crate) key: String,
    pub(crate) faults: Vec<Fault>,
    pub(crate) log: Arc<Mutex<Vec<LoggedRequest>>>,
    pub(crate) counter: Arc<AtomicUsize>,
    pub(crate) attempts: Mutex<HashMap<String, usize>>,
}

struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    content_type: &'static str,
    body: Vec<u8>,
    /// A `Content-Length` larger than `body` (the short-body fault): the body is streamed,
    /// so the server sends the header as given and closes the connection after the body.
    announce: Option<usize>,
    /// How `body` is to be packed once faults have cut it (`compression=zstd`): a cut body
    /// is packed whole, so it unpacks cleanly and only its contents or length tell.
    compression: Compression,
}

impl Answer {
    fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        Self { status, headers: Vec::new(), content_type, body, announce: None, compression: Compression::None }
    }

    fn json(status: u16, value: &Value) -> Self {
        Self::new(status, "application/json", value.to_string().into_bytes())
    }

    fn error(e: ErrorAnswer) -> Self {
        Self::json(e.status, &e.body)
    }
}

pub(crate) async fn handle(state: Arc<State>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let origin = headers.get("origin").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let answer = if method == Method::OPTIONS {
        Answer::new(204, "text/plain", Vec::new())
    } else {
        answer(&state, &method, &uri, &headers, &body).await
    };
    respond(answer, origin.as_deref())
}

fn respond(a: Answer, origin: Option<&str>) -> Response {
    let body = match a.announce {
        // A body of unknown length: hyper sends the Content-Length set below (a body of
        // known length must match it) and ends the connection when the body falls short.
        // The pause lets the part sent go out before that.
        Some(_) => Body::from_stream(futures::stream::unfold(Some(a.body), |rest| async move {
            match rest {
                Some(body) => Some((Ok::<_, std::io::Error>(body), None)),
                None => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    None
                }
            }
        })),
        None => Body::from(a.body),
    };
    let mut r = Response::new(body);
    *r.status_mut() = StatusCode::from_u16(a.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = r.headers_mut();
    let mut set = |name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(name, v);
        }
    };
    set("content-type", a.content_type);
    set("access-control-allow-origin", origin.unwrap_or("*"));
    set("access-control-allow-methods", "GET, POST, OPTIONS");
    set("access-control-allow-headers", "authorization, content-type, accept");
    set("access-control-expose-headers", "retry-after, request-id, x-warning");
    set("access-control-max-age", "600");
    set("vary", "origin");
    for (name, value) in &a.headers {
        set(name, value);
    }
    if let Some(length) = a.announce {
        set("content-length", &length.to_string());
    }
    r
}

async fn answer(state: &State, method: &Method, uri: &Uri, headers: &HeaderMap, body: &Bytes) -> Answer {
    let number = state.counter.fetch_add(1, Ordering::SeqCst);
    let path = uri.path().to_owned();
    let query = Params::parse(uri.query().unwrap_or("").as_bytes());
    let form = if method == Method::POST { Params::parse(body) } else { Params::default() };
    let mut a =
        route(state, &Incoming { number, method, path: &path, query: &query, form: &form, headers, body }).await;
    if let Ok(mut log) = state.log.lock() {
        log.push(LoggedRequest { method: method.to_string(), path, query: query.0, form: form.0, status: a.status });
    }
    a.headers.push(("request-id", format!("fake-{number}")));
    a
}

/// A request as [`route`] reads it.
struct Incoming<'a> {
    /// Its number among the requests the server has had, from 0.
    number: usize,
    method: &'a Method,
    path: &'a str,
    /// The URL's query parameters.
    query: &'a Params,
    /// The form body's parameters (POST only).
    form: &'a Params,
    headers: &'a HeaderMap,
    body: &'a Bytes,
}

async fn route(state: &State, request: &Incoming<'_>) -> Answer {
    let Incoming { number, method, path, query, form, headers, body } = *request;
    if let Some(delay) = state.faults.iter().find_map(|f| match f {
        Fault::Slow(d) => Some(*d),
        _ => None,
    }) {
        tokio::time::sleep(delay).await;
    }
    if state.faults.contains(&Fault::BadKey) || !authorized(headers, &state.key) {
        return Answer::error(ErrorAnswer::simple(401, "Authorization failed: bad key."));
    }
    for fault in &state.faults {
        match fault {
            Fault::RateLimit { first, retry_after_secs } if number < *first => {
                let mut a =
                    Answer::error(ErrorAnswer::simple(429, "Too many requests: rate limit exceeded, retry later."));
                a.headers.push(("retry-after", retry_after_secs.to_string()));
                return a;
            }
            Fault::Down => {
                return Answer::error(ErrorAnswer::simple(
                    503,
                    "Service unavailable (injected by fake-databento --fault down).",
                ))
            }
            Fault::Flaky => {
                let key = format!("{method} {path}?{:?} {}", query.0, String::from_utf8_lossy(body));
                let attempt = state
                    .attempts
                    .lock()
                    .map(|mut m| {
                        let n = m.entry(key).or_insert(0);
                        *n += 1;
                        *n
                    })
                    .unwrap_or(2);
                if attempt % 2 == 1 {
                    let status = if number % 2 == 0 { 500 } else { 503 };
                    return Answer::error(ErrorAnswer::simple(
                        status,
                        "An internal error occurred (injected by fake-databento --fault flaky).",
                    ));
                }
            }
            _ => {}
        }
    }
    let mut a = match (method.as_str(), path) {
        ("POST", "/v0/timeseries.get_range") => get_range(state, form),
        ("POST", "/v0/metadata.get_cost") => get_cost(state, form),
        ("GET", "/v0/metadata.get_dataset_range") => dataset_range(state, query),
        ("POST", "/v0/symbology.resolve") => resolve(state, form),
        (
            _,
            "/v0/timeseries.get_range"
            | "/v0/metadata.get_cost"
            | "/v0/metadata.get_dataset_range"
            | "/v0/symbology.resolve",
        ) => Answer::error(ErrorAnswer::simple(405, "Method Not Allowed")),
        _ => Answer::error(ErrorAnswer::simple(404, "Not Found")),
    };
    let packing = std::mem::replace(&mut a.compression, Compression::None);
    let packed = |body: Vec<u8>| compress(packing, body);
    if state.faults.contains(&Fault::Truncate) && a.status == 200 && path == "/v0/timeseries.get_range" {
        truncate(&mut a.body);
    }
    if state.faults.contains(&Fault::ShortBody) && a.status == 200 && path == "/v0/timeseries.get_range" {
        let whole = packed(a.body.clone()).map_or(a.body.len(), |b| b.len());
        cut_at_boundary(&mut a.body);
        a.announce = Some(whole);
    }
    match packed(std::mem::take(&mut a.body)) {
        Ok(body) => a.body = body,
        Err(e) => return Answer::error(ErrorAnswer::simple(500, &format!("compression failed: {e}"))),
    }
    a
}

/// Cut a body at the record (DBN) or line (JSON, CSV) boundary nearest its middle, keeping
/// the DBN metadata or CSV header: what is left decodes on its own.
fn cut_at_boundary(body: &mut Vec<u8>) {
    let half = body.len() / 2;
    let mut boundaries = Vec::new();
    if body.starts_with(b"DBN") && body.len() >= 8 {
        let mut pos = 8 + u32::from_le_bytes([body[4], body[5], body[6], body[7]]) as usize;
        boundaries.push(pos);
        while pos < body.len() && body[pos] > 0 {
            pos += usize::from(body[pos]) * 4;
            boundaries.push(pos);
        }
    } else {
        let skip = usize::from(!body.starts_with(b"{"));
        boundaries.extend(body.iter().enumerate().filter(|(_, &b)| b == b'\n').map(|(i, _)| i + 1).skip(skip));
    }
    let cut = boundaries.into_iter().filter(|&b| b < body.len()).min_by_key(|&b| b.abs_diff(half));
    if let Some(cut) = cut {
        body.truncate(cut);
    }
}

/// Cut a body in half, never at a record boundary: DBN records and metadata are multiples
/// of 8 bytes, so an odd cut falls inside one; text is cut inside a line.
fn truncate(body: &mut Vec<u8>) {
    if body.len() < 4 {
        body.clear();
        return;
    }
    let mut cut = (body.len() / 2) | 1;
    while cut > 2 && matches!(body[cut - 1], b'\n' | b'}' | b'\r') {
        cut -= 2;
    }
    body.truncate(cut);
}

fn authorized(headers: &HeaderMap, key: &str) -> bool {
    let Some(value) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some(token) = value.strip_prefix("Basic ") else {
        return false;
    };
    base64::engine::general_purpose::STANDARD
        .decode(token.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .is_some_and(|user_pass| user_pass.split_once(':').is_some_and(|(u, _)| u == key))
}

/// The dataset's `[start, end)` in UNIX ns; empty at the epoch for a market without
/// sessions.
fn available(state: &State) -> (u64, u64) {
    state.universe.available().map_or((0, 0), |(start, end)| (ns_at(start, 0, 0), ns_at(end, 0, 0)))
}

/// The dates a query touches, `[start, end)`.
fn dates(q: &Query) -> (NaiveDate, NaiveDate) {
    (ns_date(q.start), ns_date(q.end.saturating_sub(1)).succ_opt().unwrap_or(NaiveDate::MAX))
}

/// The records of a query, with their instruments, as a count or an encoded body.
type Selected<R> = (Vec<(R, usize)>, Vec<usize>, Vec<String>);

fn records<R>(
    state: &State,
    q: &Query,
    make: impl Fn(&Universe, &[usize], u64, u64) -> Vec<(R, usize)>,
) -> Result<Selected<R>, ErrorAnswer> {
    let (picked, not_found) = resolve_symbols(state, q)?;
    let mut recs = make(&state.universe, &picked, q.start, q.end);
    if let Some(limit) = q.limit {
        recs.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    Ok((recs, picked, not_found))
}

/// The instruments a query names, and the symbols that named none. Raw symbols resolve
/// only for dates their contract is listed (and never under [`Fault::Unresolved`]); when
/// none resolves, Databento's 422 `symbology_invalid_request`.
fn resolve_symbols(state: &State, q: &Query) -> Result<(Vec<usize>, Vec<String>), ErrorAnswer> {
    let (mut picked, mut not_found) = state.universe.select(q.stype_in, &q.symbols);
    if q.stype_in != SType::RawSymbol {
        return Ok((picked, not_found));
    }
    let (start, end) = dates(q);
    let mut dropped = Vec::new();
    picked.retain(|&n| {
        let raw = &state.universe.get(n).raw;
        let resolves = !unresolvable(state, raw) && state.universe.window(n, start, end).is_some();
        if !resolves {
            dropped.push(raw.clone());
        }
        resolves
    });
    // A symbol whose one-digit year comes round again names several contracts: it is
    // unresolved only when none of them is listed in the dates asked.
    for raw in dropped {
        if !not_found.contains(&raw) && !picked.iter().any(|&n| state.universe.get(n).raw == raw) {
            not_found.push(raw);
        }
    }
    if picked.is_empty() {
        return Err(ErrorAnswer::detailed(
            422,
            "symbology_invalid_request",
            "None of the symbols could be resolved",
            json!({ "symbols": q.symbols, "stype_in": q.stype_in.as_str() }),
        ));
    }
    Ok((picked, not_found))
}

/// Whether [`Fault::Unresolved`] hides raw symbol `raw`.
fn unresolvable(state: &State, raw: &str) -> bool {
    state.faults.iter().any(|f| matches!(f, Fault::Unresolved(s) if s == raw))
}

fn count(state: &State, q: &Query) -> Result<usize, ErrorAnswer> {
    Ok(match q.schema {
        dbn::Schema::Definition => records(state, q, Universe::definitions)?.0.len(),
        dbn::Schema::Statistics => records(state, q, Universe::statistics)?.0.len(),
        _ => records(state, q, Universe::bars)?.0.len(),
    })
}

fn get_range(state: &State, form: &Params) -> Answer {
    let (q, opts) = match (Query::read(form, available(state)), BodyOptions::read(form)) {
        (Ok(q), Ok(o)) => (q, o),
        (Err(e), _) | (_, Err(e)) => return Answer::error(e),
    };
    let encoded = match q.schema {
        dbn::Schema::Definition => {
            records(state, &q, Universe::definitions).map(|(r, p, nf)| encode(state, &q, opts, &r, &p, nf))
        }
        dbn::Schema::Statistics => {
            records(state, &q, Universe::statistics).map(|(r, p, nf)| encode(state, &q, opts, &r, &p, nf))
        }
        _ => records(state, &q, Universe::bars).map(|(r, p, nf)| encode(state, &q, opts, &r, &p, nf)),
    };
    let encoded = match encoded {
        Ok(encoded) => encoded,
        Err(e) => return Answer::error(e),
    };
    match encoded {
        Ok(body) => Answer {
            compression: opts.compression,
            ..Answer::new(
                200,
                match (opts.compression, opts.encoding) {
                    (Compression::Zstd, _) | (_, Encoding::Dbn) => "application/octet-stream",
                    (_, Encoding::Json) => "application/json",
                    (_, Encoding::Csv) => "text/csv",
                },
                body,
            )
        },
        Err(e) => Answer::error(ErrorAnswer::simple(500, &format!("encoding failed: {e}"))),
    }
}

/// The body as `compression` asks: unchanged for `none`, one zstd frame (level 3, the
/// zstd default, with a content checksum) for `zstd`.
fn compress(compression: Compression, body: Vec<u8>) -> std::io::Result<Vec<u8>> {
    match compression {
        Compression::None => Ok(body),
        Compression::Zstd => {
            let mut enc = zstd::Encoder::new(Vec::new(), 3)?;
            enc.include_checksum(true)?;
            std::io::Write::write_all(&mut enc, &body)?;
            enc.finish()
        }
    }
}

fn encode<R: DbnEncodable>(
    state: &State,
    q: &Query,
    opts: BodyOptions,
    recs: &[(R, usize)],
    picked: &[usize],
    not_found: Vec<String>,
) -> dbn::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let symbol = |n: usize| state.universe.get(n).raw.as_str();
    match opts.encoding {
        Encoding::Dbn => {
            let metadata = metadata(state, q, picked, not_found);
            let mut enc = DbnEncoder::new(&mut buf, &metadata)?;
            for (r, _) in recs {
                enc.encode_record(r)?;
            }
            enc.flush()?;
        }
        Encoding::Json => {
            let mut enc =
                JsonEncoder::builder(&mut buf).use_pretty_px(opts.pretty_px).use_pretty_ts(opts.pretty_ts).build();
            encode_text(&mut enc, recs, opts.map_symbols.then_some(&symbol))?;
        }
        Encoding::Csv => {
            let mut enc = CsvEncoder::builder(&mut buf)
                .use_pretty_px(opts.pretty_px)
                .use_pretty_ts(opts.pretty_ts)
                .schema(Some(q.schema))
                .with_symbol(opts.map_symbols)
                .build()?;
            encode_text(&mut enc, recs, opts.map_symbols.then_some(&symbol))?;
        }
    }
    Ok(buf)
}

/// Write `recs` with a CSV or JSON encoder, each with its contract's symbol when given.
fn encode_text<'a, R: DbnEncodable>(
    enc: &mut impl EncodeRecordTextExt,
    recs: &[(R, usize)],
    symbol: Option<&dyn Fn(usize) -> &'a str>,
) -> dbn::Result<()> {
    for (r, n) in recs {
        match symbol {
            Some(symbol) => enc.encode_record_with_sym(r, Some(symbol(*n)))?,
            None => enc.encode_record(r)?,
        }
    }
    enc.flush()
}

fn metadata(state: &State, q: &Query, picked: &[usize], not_found: Vec<String>) -> Metadata {
    let (start, end) = dates(q);
    let interval = |n: usize| {
        let (d0, d1) = state.universe.window(n, start, end)?;
        Some(MappingInterval {
            start_date: to_time(d0)?,
            end_date: to_time(d1)?,
            symbol: state.universe.get(n).id.to_string(),
        })
    };
    let mappings = match q.stype_in {
        SType::Parent => q
            .symbols
            .iter()
            .map(|parent| SymbolMapping {
                raw_symbol: parent.clone(),
                intervals: picked
                    .iter()
                    .filter(|&&n| &state.universe.get(n).parent == parent)
                    .filter_map(|&n| interval(n))
                    .collect(),
            })
            .collect(),
        SType::InstrumentId => Vec::new(),
        // One mapping per symbol asked for, with an interval per contract it names over
        // the dates (a one-digit year names a contract a decade: `HOZ5` is 2015's and
        // 2025's December).
        _ => q
            .symbols
            .iter()
            .filter_map(|raw| {
                let intervals: Vec<_> = picked
                    .iter()
                    .filter(|&&n| &state.universe.get(n).raw == raw)
                    .filter_map(|&n| interval(n))
                    .collect();
                (!intervals.is_empty()).then(|| SymbolMapping { raw_symbol: raw.clone(), intervals })
            })
            .collect(),
    };
    Metadata::builder()
        .dataset(q.dataset.clone())
        .schema(Some(q.schema))
        .start(q.start)
        .end(std::num::NonZeroU64::new(q.end))
        .limit(q.limit.and_then(std::num::NonZeroU64::new))
        .stype_in(Some(q.stype_in))
        .stype_out(SType::InstrumentId)
        .symbols(q.symbols.clone())
        .not_found(not_found)
        .mappings(mappings)
        .build()
}

fn to_time(d: NaiveDate) -> Option<time::Date> {
    use chrono::Datelike;
    let month = time::Month::try_from(u8::try_from(d.month()).ok()?).ok()?;
    time::Date::from_calendar_date(d.year(), month, u8::try_from(d.day()).ok()?).ok()
}

fn get_cost(state: &State, form: &Params) -> Answer {
    match Query::read(form, available(state)).and_then(|q| count(state, &q)) {
        Ok(records) => {
            let cost = records as f64 * COST_PER_RECORD;
            Answer::json(200, &json!((cost * 1e6).round() / 1e6))
        }
        Err(e) => Answer::error(e),
    }
}

fn dataset_range(state: &State, query: &Params) -> Answer {
    match query.get("dataset") {
        Some("GLBX.MDP3") => {}
        Some(other) => {
            return Answer::error(ErrorAnswer::detailed(
                422,
                "dataset_not_found",
                format!("Dataset '{other}' is not available."),
                json!({ "dataset": other }),
            ))
        }
        None => {
            return Answer::error(ErrorAnswer::detailed(
                422,
                "missing_required_param",
                "Missing required parameter `dataset`.",
                json!({ "param": "dataset" }),
            ))
        }
    }
    let (start, end) = available(state);
    let range = json!({ "start": iso(start), "end": iso(end) });
    let mut schema = Map::new();
    for s in ["definition", "statistics", "ohlcv-1d"] {
        schema.insert(s.to_owned(), range.clone());
    }
    Answer::json(200, &json!({ "start": iso(start), "end": iso(end), "schema": schema }))
}

fn resolve(state: &State, form: &Params) -> Answer {
    let q = match ResolveQuery::read(form) {
        Ok(q) => q,
        Err(e) => return Answer::error(e),
    };
    let mut result = Map::new();
    let mut not_found = Vec::new();
    let mut partial = Vec::new();
    for s in &q.symbols {
        let (mut picked, _) = state.universe.select(q.stype_in, std::slice::from_ref(s));
        if q.stype_in == SType::RawSymbol {
            picked.retain(|&n| !unresolvable(state, &state.universe.get(n).raw));
        }
        let intervals: Vec<Value> = picked
            .iter()
            .filter_map(|&n| {
                let (d0, d1) = state.universe.window(n, q.start, q.end)?;
                Some(json!({ "d0": d0.to_string(), "d1": d1.to_string(), "s": state.universe.get(n).id.to_string() }))
            })
            .collect();
        if intervals.is_empty() {
            not_found.push(s.clone());
            continue;
        }
        let covered = picked.iter().any(|&n| state.universe.window(n, q.start, q.end) == Some((q.start, q.end)));
        if !covered && q.stype_in != SType::Parent {
            partial.push(s.clone());
        }
        result.insert(s.clone(), Value::Array(intervals));
    }
    let status = if partial.is_empty() { 200 } else { 206 };
    let message = if not_found.is_empty() && partial.is_empty() { "OK" } else { "Not all symbols could be resolved." };
    Answer::json(
        status,
        &json!({
            "result": result,
            "symbols": q.symbols,
            "stype_in": q.stype_in.as_str(),
            "stype_out": "instrument_id",
            "start_date": q.start.to_string(),
            "end_date": q.end.to_string(),
            "partial": partial,
            "not_found": not_found,
            "message": message,
            "status": i32::from(!not_found.is_empty() || !partial.is_empty()),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_never_lands_on_a_boundary() {
        let mut b = vec![0u8; 64];
        truncate(&mut b);
        assert_eq!(b.len(), 33);
        let mut t = b"{\"a\":1}\n{\"b\":2}\n".to_vec();
        truncate(&mut t);
        assert!(!t.ends_with(b"}") && !t.ends_with(b"\n"), "{t:?}");
    }

    #[test]
    fn short_bodies_end_on_a_boundary_past_the_header() {
        let mut t = b"a,b\n1,2\n3,4\n5,6\n".to_vec();
        cut_at_boundary(&mut t);
        assert_eq!(t, b"a,b\n1,2\n");
        let mut j = b"{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n".to_vec();
        cut_at_boundary(&mut j);
        assert_eq!(j, b"{\"a\":1}\n");
        // DBN: 8-byte prelude, 8 bytes of metadata, then three 16-byte records.
        let mut d = b"DBN\x03\x08\0\0\0metadata".to_vec();
        for _ in 0..3 {
            d.extend([4u8; 16]);
        }
        cut_at_boundary(&mut d);
        assert_eq!(d.len(), 16 + 16);
    }

    #[test]
    fn bodies_are_packed_only_when_asked() {
        let body = b"DBN\x03".repeat(1000);
        assert_eq!(compress(Compression::None, body.clone()).unwrap(), body);
        let packed = compress(Compression::Zstd, body.clone()).unwrap();
        assert!(packed.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) && packed.len() < body.len() / 10);
        assert_eq!(zstd::decode_all(&packed[..]).unwrap(), body);
        let opts = |form: &[u8]| BodyOptions::read(&Params::parse(form)).map(|o| o.compression);
        assert_eq!(opts(b"encoding=dbn").unwrap(), Compression::None, "none when absent");
        assert_eq!(opts(b"compression=none").unwrap(), Compression::None);
        assert_eq!(opts(b"compression=zstd").unwrap(), Compression::Zstd);
        assert_eq!(opts(b"compression=lz4").unwrap_err().status, 422);
    }

    #[test]
    fn basic_auth_is_checked() {
        let key = "db-TESTKEY0000000000000000000000";
        let mut h = HeaderMap::new();
        assert!(!authorized(&h, key));
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{key}:"));
        h.insert(
            "authorization",
            HeaderValue::from_str(&format!("Basic {token}")).unwrap_or(HeaderValue::from_static("")),
        );
        assert!(authorized(&h, key));
        assert!(!authorized(&h, "db-OTHER"));
    }
}
