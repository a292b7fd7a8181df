//! Request parameters, read and checked like the real API: bad values are answered with
//! 422 (or 400 for a malformed body) and Databento's `{"detail": {...}}` error shape.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use dbn::{Compression, Encoding, SType, Schema};
use serde_json::{json, Value};

/// Most symbols a request may carry.
pub const MAX_SYMBOLS: usize = 2000;

/// An error answer: status and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorAnswer {
    /// HTTP status.
    pub status: u16,
    /// `{"detail": ...}` body.
    pub body: Value,
}

impl ErrorAnswer {
    /// `{"detail": {"case", "message", "status_code", "docs", "payload"}}`.
    pub fn detailed(status: u16, case: &str, message: impl Into<String>, payload: Value) -> Self {
        Self {
            status,
            body: json!({"detail": {
                "case": case,
                "message": message.into(),
                "status_code": status,
                "docs": "https://databento.com/docs/api-reference-historical/basics/errors",
                "payload": payload,
            }}),
        }
    }

    /// `{"detail": "message"}`.
    pub fn simple(status: u16, message: &str) -> Self {
        Self { status, body: json!({ "detail": message }) }
    }

    fn param(case: &str, message: impl Into<String>, name: &str, value: &str) -> Self {
        Self::detailed(422, case, message, json!({ "param": name, "value": value }))
    }
}

/// A form or query string as ordered pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// Parse `application/x-www-form-urlencoded` text.
    pub fn parse(text: &[u8]) -> Self {
        Self(form_urlencoded::parse(text).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    /// The last value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn required(&self, name: &str) -> Result<&str, ErrorAnswer> {
        self.get(name).filter(|v| !v.is_empty()).ok_or_else(|| {
            ErrorAnswer::detailed(
                422,
                "missing_required_param",
                format!("Missing required parameter `{name}`."),
                json!({ "param": name }),
            )
        })
    }

    fn parsed<T: FromStr>(&self, name: &str, default: Option<T>) -> Result<T, ErrorAnswer> {
        match (self.get(name), default) {
            (None, Some(d)) => Ok(d),
            (Some(v), _) => v.parse().map_err(|_| {
                ErrorAnswer::param(&format!("invalid_{name}"), format!("Invalid value for `{name}`: '{v}'."), name, v)
            }),
            (None, None) => {
                Err(self.required(name).err().unwrap_or_else(|| ErrorAnswer::simple(422, "missing parameter")))
            }
        }
    }

    fn flag(&self, name: &str) -> Result<bool, ErrorAnswer> {
        match self.get(name) {
            None => Ok(false),
            Some("true" | "True" | "1") => Ok(true),
            Some("false" | "False" | "0") => Ok(false),
            Some(v) => Err(ErrorAnswer::param(
                &format!("invalid_{name}"),
                format!("Invalid boolean for `{name}`: '{v}'."),
                name,
                v,
            )),
        }
    }
}

/// A timestamp parameter: UNIX nanoseconds, an ISO date or an ISO date-time (UTC assumed).
fn timestamp(name: &str, v: &str) -> Result<u64, ErrorAnswer> {
    let bad = || {
        ErrorAnswer::param(
            &format!("invalid_{name}"),
            format!("Could not parse `{name}` '{v}' as a datetime or UNIX nanoseconds."),
            name,
            v,
        )
    };
    if v.bytes().all(|b| b.is_ascii_digit()) {
        return v.parse().map_err(|_| bad());
    }
    let ns = if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        d.and_time(chrono::NaiveTime::MIN).and_utc().timestamp_nanos_opt()
    } else if let Ok(dt) = DateTime::parse_from_rfc3339(v) {
        dt.timestamp_nanos_opt()
    } else {
        NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S"))
            .map_err(|_| bad())?
            .and_utc()
            .timestamp_nanos_opt()
    };
    ns.and_then(|n| u64::try_from(n).ok()).ok_or_else(bad)
}

/// Common query fields of `get_range` and `get_cost`.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Dataset code.
    pub dataset: String,
    /// Schema.
    pub schema: Schema,
    /// Input symbology.
    pub stype_in: SType,
    /// Symbols.
    pub symbols: Vec<String>,
    /// Start, UNIX ns, inclusive.
    pub start: u64,
    /// End, UNIX ns, exclusive.
    pub end: u64,
    /// Record limit.
    pub limit: Option<u64>,
}

/// A day in nanoseconds.
pub(crate) const DAY_NS: u64 = 86_400_000_000_000;

impl Query {
    /// Read and check the fields; `available` is the dataset's `[start, end)` in ns.
    pub fn read(p: &Params, available: (u64, u64)) -> Result<Self, ErrorAnswer> {
        let dataset = p.required("dataset")?.to_owned();
        if dataset != "GLBX.MDP3" {
            return Err(ErrorAnswer::param(
                "dataset_not_found",
                format!("Dataset '{dataset}' is not available (fake-databento serves GLBX.MDP3)."),
                "dataset",
                &dataset,
            ));
        }
        let schema: Schema = p.parsed("schema", None)?;
        if !matches!(schema, Schema::Definition | Schema::Statistics | Schema::Ohlcv1D) {
            return Err(ErrorAnswer::param(
                "schema_not_available",
                format!("Schema '{}' is not available in fake-databento.", schema.as_str()),
                "schema",
                schema.as_str(),
            ));
        }
        let stype_in: SType = p.parsed("stype_in", Some(SType::RawSymbol))?;
        if !matches!(stype_in, SType::RawSymbol | SType::Parent | SType::InstrumentId) {
            return Err(ErrorAnswer::param(
                "stype_in_not_supported",
                format!("stype_in '{}' is not supported for GLBX.MDP3 in fake-databento.", stype_in.as_str()),
                "stype_in",
                stype_in.as_str(),
            ));
        }
        if let Some(out) = p.get("stype_out") {
            if out != "instrument_id" {
                return Err(ErrorAnswer::param(
                    "stype_out_not_supported",
                    format!("stype_out '{out}' is not supported with stype_in '{}'.", stype_in.as_str()),
                    "stype_out",
                    out,
                ));
            }
        }
        let symbols: Vec<String> =
            p.required("symbols")?.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
        if symbols.len() > MAX_SYMBOLS {
            return Err(ErrorAnswer::param(
                "too_many_symbols",
                format!("{} symbols were requested; the maximum is {MAX_SYMBOLS} per request.", symbols.len()),
                "symbols",
                "",
            ));
        }
        let start_text = p.required("start")?;
        let start = timestamp("start", start_text)?;
        let end = match p.get("end") {
            Some(v) if !v.is_empty() => timestamp("end", v)?,
            _ => start + DAY_NS,
        };
        if end <= start {
            return Err(ErrorAnswer::detailed(
                422,
                "start_not_before_end",
                "`start` must be before `end`.",
                json!({ "start": start, "end": end }),
            ));
        }
        if start < available.0 {
            return Err(ErrorAnswer::detailed(
                422,
                "data_start_before_available_start",
                "`start` was before the available start of the dataset.",
                json!({ "dataset": dataset, "available_start": iso(available.0) }),
            ));
        }
        if end > available.1 {
            return Err(ErrorAnswer::detailed(
                422,
                "data_end_after_available_end",
                "`end` was after the available end of the dataset.",
                json!({ "dataset": dataset, "available_end": iso(available.1) }),
            ));
        }
        let limit = match p.get("limit") {
            Some(v) => Some(
                p.parsed("limit", None::<u64>)
                    .map_err(|_| ErrorAnswer::param("invalid_limit", format!("Invalid limit '{v}'."), "limit", v))?,
            ),
            None => None,
        };
        Ok(Self { dataset, schema, stype_in, symbols, start, end, limit: limit.filter(|&l| l > 0) })
    }
}

/// The body options of `get_range`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyOptions {
    /// dbn, json or csv.
    pub encoding: Encoding,
    /// Decimal prices (text only).
    pub pretty_px: bool,
    /// ISO timestamps (text only).
    pub pretty_ts: bool,
    /// A `symbol` field per record (text only).
    pub map_symbols: bool,
    /// `none` (the default when absent) or `zstd`: the whole body packed in one zstd frame,
    /// as Databento's `compression=zstd` answers (docs.databento.com, timeseries.get_range
    /// `compression`: "the compression mode ... none or zstd").
    pub compression: Compression,
}

impl BodyOptions {
    /// Read `encoding`, `compression` (`none`, the default, or `zstd`), and the text flags.
    pub fn read(p: &Params) -> Result<Self, ErrorAnswer> {
        let encoding: Encoding = p.parsed("encoding", Some(Encoding::Dbn))?;
        let compression: Compression = p.parsed("compression", Some(Compression::None))?;
        Ok(Self {
            encoding,
            pretty_px: p.flag("pretty_px")?,
            pretty_ts: p.flag("pretty_ts")?,
            map_symbols: p.flag("map_symbols")?,
            compression,
        })
    }
}

/// `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` of UNIX ns.
pub fn iso(ns: u64) -> String {
    let dt = DateTime::from_timestamp_nanos(i64::try_from(ns).unwrap_or(i64::MAX));
    dt.format("%Y-%m-%dT%H:%M:%S.%9fZ").to_string()
}

/// The `symbology.resolve` fields.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolveQuery {
    /// Symbols.
    pub symbols: Vec<String>,
    /// Input symbology.
    pub stype_in: SType,
    /// First date.
    pub start: NaiveDate,
    /// End date, exclusive.
    pub end: NaiveDate,
}

impl ResolveQuery {
    /// Read and check.
    pub fn read(p: &Params) -> Result<Self, ErrorAnswer> {
        let dataset = p.required("dataset")?;
        if dataset != "GLBX.MDP3" {
            return Err(ErrorAnswer::param(
                "dataset_not_found",
                format!("Dataset '{dataset}' is not available."),
                "dataset",
                dataset,
            ));
        }
        let stype_in: SType = p.parsed("stype_in", Some(SType::RawSymbol))?;
        let date = |name: &str| -> Result<NaiveDate, ErrorAnswer> {
            let v = p.required(name)?;
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| ErrorAnswer::param(&format!("invalid_{name}"), format!("Invalid date '{v}'."), name, v))
        };
        let start = date("start_date")?;
        let end = match p.get("end_date") {
            Some(_) => date("end_date")?,
            None => start.succ_opt().unwrap_or(start),
        };
        let symbols: Vec<String> = p.required("symbols")?.split(',').map(str::to_owned).collect();
        if symbols.len() > MAX_SYMBOLS {
            return Err(ErrorAnswer::param("too_many_symbols", "Too many symbols.", "symbols", ""));
        }
        Ok(Self { symbols, stype_in, start, end })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_all_forms() {
        assert_eq!(timestamp("start", "1686700800000000000").unwrap(), 1_686_700_800_000_000_000);
        assert_eq!(timestamp("start", "2023-06-14").unwrap(), 1_686_700_800_000_000_000);
        assert_eq!(timestamp("start", "2023-06-14T00:00:00Z").unwrap(), 1_686_700_800_000_000_000);
        assert_eq!(timestamp("start", "2023-06-14T00:00").unwrap(), 1_686_700_800_000_000_000);
        assert!(timestamp("start", "yesterday").is_err());
        assert_eq!(iso(1_686_700_800_000_000_000), "2023-06-14T00:00:00.000000000Z");
    }

    #[test]
    fn query_is_checked() {
        let p = Params::parse(b"dataset=GLBX.MDP3&schema=ohlcv-1h&symbols=HO.FUT&stype_in=parent&start=2025-01-02");
        let e = Query::read(&p, (0, u64::MAX)).unwrap_err();
        assert_eq!(e.status, 422);
        assert_eq!(e.body["detail"]["case"], "schema_not_available");
        let p = Params::parse(b"dataset=GLBX.MDP3&schema=statistics&symbols=HO.FUT&stype_in=parent&start=2025-01-02");
        let q = Query::read(&p, (0, u64::MAX)).unwrap();
        assert_eq!(q.end - q.start, DAY_NS);
        let e = Query::read(&p, (u64::MAX - 1, u64::MAX)).unwrap_err();
        assert_eq!(e.body["detail"]["case"], "data_start_before_available_start");
        let p = Params::parse(b"dataset=XNAS.ITCH&schema=statistics&symbols=A&start=2025-01-02");
        assert_eq!(Query::read(&p, (0, u64::MAX)).unwrap_err().status, 422);
        let p = Params::parse(b"dataset=GLBX.MDP3&schema=statistics&start=2025-01-02");
        let e = Query::read(&p, (0, u64::MAX)).unwrap_err();
        assert_eq!(e.body["detail"]["case"], "missing_required_param");
    }
}
