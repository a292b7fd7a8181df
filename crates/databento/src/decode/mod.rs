//! Decoding response bodies and exported files (DBN, JSON lines, CSV) into a small typed
//! form: definitions, settlements and daily bars, plus the symbol mappings a body carries.
//! Every decoder checks the body is whole: a truncated or corrupt body is an error, never
//! a panic and never a partial result.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::{quote, shorten, MESSAGE_CHARS};

mod csv;
mod dbn;
mod json;
mod zstd;

pub use self::csv::decode_csv;
pub use self::dbn::decode_dbn;
pub use self::json::{decode_json_lines, JsonLines};
pub use self::zstd::{decompress_zstd, is_oversized, is_zstd, unpack_zstd, Unpacker};

/// `dbn::UNDEF_PRICE`: no price.
pub const UNDEF_PRICE: i64 = i64::MAX;
/// `dbn::UNDEF_TIMESTAMP`: no timestamp.
pub const UNDEF_TIMESTAMP: u64 = u64::MAX;
/// Fixed-point scale of prices: 1 unit = 1e-9.
pub const FIXED_PRICE_SCALE: f64 = 1e9;
/// `stat_type` of a settlement price.
pub const STAT_SETTLEMENT: u16 = 3;

/// Why a body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct DecodeError(pub String);

impl DecodeError {
    pub(crate) fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }
}

/// Another library's error as a message quotes it (it may quote the input): cut to
/// [`MESSAGE_CHARS`] characters.
pub(crate) fn lib(e: impl std::fmt::Display) -> String {
    shorten(&e.to_string(), MESSAGE_CHARS)
}

/// An instrument definition (`definition` schema).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    /// Instrument id, unique only within a day.
    pub instrument_id: u32,
    /// The UTC date the definition was received (the date its id mapping holds from).
    pub date: NaiveDate,
    /// Venue symbol: `HOH5`, `OHH5 C24000`, `HOH5-HOJ5`.
    pub raw_symbol: String,
    /// `instrument_class`: `F` future, `C` call, `P` put, `S` spread, …
    pub class: Option<char>,
    /// Strike in quote units (options).
    pub strike: Option<f64>,
    /// UTC date of the last eligible trade.
    pub expiration: Option<NaiveDate>,
    /// The underlying's symbol (options: the future, e.g. `HOH5`).
    pub underlying: String,
    /// `security_update_action` is `D`: the instrument was removed.
    pub deleted: bool,
}

/// A settlement price (`statistics`, `stat_type` 3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settlement {
    /// Instrument id.
    pub instrument_id: u32,
    /// UTC date of `ts_recv` (for id mapping).
    pub date: NaiveDate,
    /// Capture time, UNIX ns (later records replace earlier ones).
    pub ts_recv: u64,
    /// The trading date settled (`ts_ref`).
    pub trading_date: NaiveDate,
    /// Price in quote units.
    pub price: f64,
    /// `stat_flags & 1`: final rather than preliminary.
    pub is_final: bool,
    /// The `symbol` field of text exports, when present.
    pub symbol: Option<String>,
}

/// Bar length of an OHLCV record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BarInterval {
    /// `ohlcv-1h` (decoded, not used for prices yet).
    Hour,
    /// `ohlcv-1d`: one UTC day.
    Day,
}

/// An OHLCV bar (only what deltaroll uses: the close).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    /// Instrument id.
    pub instrument_id: u32,
    /// Hour or day.
    pub interval: BarInterval,
    /// UTC date of `ts_event` (the bar's start).
    pub date: NaiveDate,
    /// Close in quote units.
    pub close: f64,
    /// Contracts traded in the bar.
    pub volume: u64,
    /// The `symbol` field of text exports, when present.
    pub symbol: Option<String>,
}

/// One decoded record deltaroll uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Record {
    /// An instrument definition.
    Definition(Definition),
    /// A settlement price.
    Settlement(Settlement),
    /// An OHLCV bar.
    Bar(Bar),
}

/// An `instrument_id → raw symbol` mapping over `[start, end)` from DBN metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdMapping {
    /// Instrument id.
    pub instrument_id: u32,
    /// Raw symbol.
    pub raw_symbol: String,
    /// First date (inclusive).
    pub start: NaiveDate,
    /// End date (exclusive).
    pub end: NaiveDate,
}

/// The time range a DBN body says it covers (its metadata's `start` and `end`), UNIX
/// nanoseconds, end exclusive: a whole answer to a request covers the request's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// First instant covered.
    pub start: u64,
    /// End, exclusive; `None` when the metadata does not say.
    pub end: Option<u64>,
}

/// A whole decoded body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Decoded {
    /// Records deltaroll uses, in body order.
    pub records: Vec<Record>,
    /// Symbol mappings carried by the body (DBN metadata).
    pub mappings: Vec<IdMapping>,
    /// Records of other kinds or without a usable value (other statistics, undefined
    /// prices), counted, not kept.
    pub ignored: usize,
    /// Total records in the body.
    pub total: usize,
    /// The range the body's metadata says it covers (DBN); `None` for text bodies.
    pub coverage: Option<Coverage>,
}

impl Decoded {
    /// Add `later`'s records and mappings after this body's, as one body of both: their
    /// coverage runs from this one's start to `later`'s end when both say.
    pub fn append(&mut self, later: Decoded) {
        self.records.extend(later.records);
        self.mappings.extend(later.mappings);
        self.ignored += later.ignored;
        self.total += later.total;
        self.coverage = match (self.coverage, later.coverage) {
            (Some(first), Some(last)) => Some(Coverage { start: first.start, end: last.end }),
            _ => None,
        };
    }

    /// Settlements only.
    pub fn settlements(&self) -> impl Iterator<Item = &Settlement> {
        self.records.iter().filter_map(|r| match r {
            Record::Settlement(s) => Some(s),
            _ => None,
        })
    }

    /// Bars only.
    pub fn bars(&self) -> impl Iterator<Item = &Bar> {
        self.records.iter().filter_map(|r| match r {
            Record::Bar(b) => Some(b),
            _ => None,
        })
    }

    /// Definitions only.
    pub fn definitions(&self) -> impl Iterator<Item = &Definition> {
        self.records.iter().filter_map(|r| match r {
            Record::Definition(d) => Some(d),
            _ => None,
        })
    }
}

/// Which format a body or file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// DBN (uncompressed).
    Dbn,
    /// Newline-delimited JSON.
    JsonLines,
    /// CSV with a header row.
    Csv,
}

impl Format {
    /// Guess from the first bytes: `DBN` magic, `{`, or anything else as CSV. A zstd
    /// frame is refused with a message ([`decode_any`] unpacks it first).
    pub fn sniff(bytes: &[u8]) -> Result<Self, DecodeError> {
        let trimmed = bytes.trim_ascii_start();
        if bytes.starts_with(b"DBN") {
            Ok(Self::Dbn)
        } else if is_zstd(bytes) {
            Err(DecodeError::new(
                "the data is zstd-compressed; decompress it first (e.g. `zstd -d file.dbn.zst`) or request compression=none",
            ))
        } else if trimmed.starts_with(b"{") {
            Ok(Self::JsonLines)
        } else {
            Ok(Self::Csv)
        }
    }
}

/// Decode a body or file of any supported format (sniffed), plain or zstd-compressed (a
/// batch download's `.zst`; unpacked to at most [`crate::DEFAULT_MAX_BODY_BYTES`]).
pub fn decode_any(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if is_zstd(bytes) {
        let plain = decompress_zstd(bytes, crate::DEFAULT_MAX_BODY_BYTES)?;
        return decode_as(Format::sniff(&plain)?, &plain);
    }
    decode_as(Format::sniff(bytes)?, bytes)
}

/// Decode a body of a known format.
pub fn decode_as(format: Format, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    match format {
        Format::Dbn => decode_dbn(bytes),
        Format::JsonLines => decode_json_lines(bytes),
        Format::Csv => decode_csv(bytes),
    }
}

/// A fixed-point price in quote units; `None` for `UNDEF_PRICE`.
pub(crate) fn fixed_price(raw: i64) -> Option<f64> {
    (raw != UNDEF_PRICE).then(|| raw as f64 / FIXED_PRICE_SCALE)
}

/// The UTC date of UNIX nanoseconds; `None` for `UNDEF_TIMESTAMP` or out of range.
pub(crate) fn ns_date(ns: u64) -> Option<NaiveDate> {
    if ns == UNDEF_TIMESTAMP {
        return None;
    }
    let ns = i64::try_from(ns).ok()?;
    Some(DateTime::from_timestamp_nanos(ns).date_naive())
}

/// Text timestamp: integer nanoseconds or ISO 8601 (`2025-01-13T00:00:00.000000000Z`).
/// Empty, `null`-ish and undefined values are `Ok(None)`.
pub(crate) fn text_ts(s: &str) -> Result<Option<u64>, DecodeError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        let ns: u64 = s.parse().map_err(|_| DecodeError::new(format!("timestamp `{}` is out of range", quote(s))))?;
        return Ok((ns != UNDEF_TIMESTAMP && ns != 0).then_some(ns));
    }
    let dt =
        DateTime::parse_from_rfc3339(s).map_err(|_| DecodeError::new(format!("`{}` is not a timestamp", quote(s))))?;
    let ns = dt
        .timestamp_nanos_opt()
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(|| DecodeError::new(format!("timestamp `{}` is out of range", quote(s))))?;
    Ok(Some(ns))
}

/// Text price: a fixed-point integer (`"2400000000"`, pretty_px off) or a decimal with a
/// point (`"2.400000000"`, pretty_px on). Empty and `UNDEF_PRICE` are `Ok(None)`.
pub(crate) fn text_price(s: &str) -> Result<Option<f64>, DecodeError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || DecodeError::new(format!("`{}` is not a price", quote(s)));
    if s.contains('.') || s.contains('e') || s.contains('E') {
        let v: f64 = s.parse().map_err(|_| bad())?;
        return if v.is_finite() { Ok(Some(v)) } else { Err(bad()) };
    }
    let raw: i64 = s.parse().map_err(|_| bad())?;
    Ok(fixed_price(raw))
}

/// Records shared by the text decoders: build a record from named fields, each borrowed
/// from the line or row when it can be (no copy per field).
pub(crate) struct Fields<'a> {
    pub(crate) get: &'a dyn Fn(&str) -> FieldText<'a>,
}

/// A named field's text: `None` when absent or empty.
pub(crate) type FieldText<'a> = Result<Option<Cow<'a, str>>, DecodeError>;

impl<'a> Fields<'a> {
    fn text(&self, name: &str) -> FieldText<'a> {
        (self.get)(name)
    }

    fn required(&self, name: &str) -> Result<Cow<'a, str>, DecodeError> {
        self.text(name)?.ok_or_else(|| DecodeError::new(format!("field `{name}` is missing")))
    }

    fn int<T: std::str::FromStr>(&self, name: &str) -> Result<T, DecodeError> {
        let s = self.required(name)?;
        s.trim().parse().map_err(|_| DecodeError::new(format!("field `{name}` = `{}` is not a number", quote(&s))))
    }

    fn opt_int<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, DecodeError> {
        match self.text(name)? {
            Some(s) if !s.trim().is_empty() => self.int(name).map(Some),
            _ => Ok(None),
        }
    }

    fn ts(&self, name: &str) -> Result<Option<u64>, DecodeError> {
        match self.text(name)? {
            Some(s) => text_ts(&s),
            None => Ok(None),
        }
    }

    fn price(&self, name: &str) -> Result<Option<f64>, DecodeError> {
        match self.text(name)? {
            Some(s) => text_price(&s),
            None => Ok(None),
        }
    }

    fn symbol(&self) -> Result<Option<String>, DecodeError> {
        Ok(self.text("symbol")?.filter(|s| !s.is_empty()).map(Cow::into_owned))
    }
}

/// One text record (a JSON line or CSV row) → a record, `None` when not used.
pub(crate) fn text_record(f: &Fields<'_>) -> Result<Option<Record>, DecodeError> {
    let rtype: u8 = f.int("rtype")?;
    let instrument_id: u32 = f.int("instrument_id")?;
    let ts_event = f.ts("ts_event")?;
    match rtype {
        RTYPE_DEF => {
            let ts_recv = f.ts("ts_recv")?.or(ts_event);
            let Some(date) = ts_recv.and_then(ns_date) else {
                return Ok(None);
            };
            let class = f.text("instrument_class")?.and_then(|c| c.chars().next());
            Ok(Some(Record::Definition(Definition {
                instrument_id,
                date,
                raw_symbol: f.required("raw_symbol")?.into_owned(),
                class,
                strike: f.price("strike_price")?,
                expiration: f.ts("expiration")?.and_then(ns_date),
                underlying: f.text("underlying")?.map(Cow::into_owned).unwrap_or_default(),
                deleted: f.text("security_update_action")?.is_some_and(|a| a == "D"),
            })))
        }
        RTYPE_STAT => {
            let stat_type: u16 = f.int("stat_type")?;
            let update_action: u8 = f.opt_int("update_action")?.unwrap_or(1);
            let flags: u8 = f.opt_int("stat_flags")?.unwrap_or(0);
            let ts_recv = f.ts("ts_recv")?.or(ts_event);
            let trading_date = f.ts("ts_ref")?.and_then(ns_date);
            let price = f.price("price")?;
            let symbol = f.symbol()?;
            if stat_type != STAT_SETTLEMENT || update_action != 1 {
                return Ok(None);
            }
            let (Some(ts_recv), Some(trading_date), Some(price)) = (ts_recv, trading_date, price) else {
                return Ok(None);
            };
            Ok(ns_date(ts_recv).map(|date| {
                Record::Settlement(Settlement {
                    instrument_id,
                    date,
                    ts_recv,
                    trading_date,
                    price,
                    is_final: flags & 1 == 1,
                    symbol,
                })
            }))
        }
        RTYPE_OHLCV_1H | RTYPE_OHLCV_1D => {
            let (Some(date), Some(close)) = (ts_event.and_then(ns_date), f.price("close")?) else {
                return Ok(None);
            };
            Ok(Some(Record::Bar(Bar {
                instrument_id,
                interval: if rtype == RTYPE_OHLCV_1D { BarInterval::Day } else { BarInterval::Hour },
                date,
                close,
                volume: f.int("volume")?,
                symbol: f.symbol()?,
            })))
        }
        _ => Ok(None),
    }
}

pub(crate) const RTYPE_DEF: u8 = 0x13;
pub(crate) const RTYPE_STAT: u8 = 0x18;
pub(crate) const RTYPE_OHLCV_1H: u8 = 0x22;
pub(crate) const RTYPE_OHLCV_1D: u8 = 0x23;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn text_values() {
        assert_eq!(text_price("2400000000").unwrap(), Some(2.4));
        assert_eq!(text_price("2.400000000").unwrap(), Some(2.4));
        assert_eq!(text_price("-0.0070").unwrap(), Some(-0.007));
        assert_eq!(text_price("9223372036854775807").unwrap(), None);
        assert_eq!(text_price("").unwrap(), None);
        assert!(text_price("abc").is_err());
        assert!(text_price("inf.").is_err());
        assert_eq!(text_ts("2025-01-13T00:00:00.000000000Z").unwrap(), Some(1_736_726_400_000_000_000));
        assert_eq!(text_ts("1736726400000000000").unwrap(), Some(1_736_726_400_000_000_000));
        assert_eq!(text_ts("18446744073709551615").unwrap(), None);
        assert!(text_ts("99999999999999999999999").is_err());
        assert_eq!(ns_date(1_736_726_400_000_000_000), NaiveDate::from_ymd_opt(2025, 1, 13));
        assert_eq!(ns_date(UNDEF_TIMESTAMP), None);
    }

    #[test]
    fn bad_values_are_quoted_short() {
        let huge = "9".repeat(1_000_000);
        for message in [
            text_price(&format!("{huge}x")).unwrap_err().0,
            text_ts(&huge).unwrap_err().0,
            text_ts(&format!("{huge}Z")).unwrap_err().0,
        ] {
            assert!(message.len() < 200, "{} bytes", message.len());
            assert!(message.contains("…"), "{message}");
        }
    }

    #[test]
    fn sniffing() {
        assert_eq!(Format::sniff(b"DBN\x03").unwrap(), Format::Dbn);
        assert_eq!(Format::sniff(b"  {\"hd\"").unwrap(), Format::JsonLines);
        assert_eq!(Format::sniff(b"ts_event,rtype").unwrap(), Format::Csv);
        assert!(Format::sniff(&[0x28, 0xB5, 0x2F, 0xFD, 0]).is_err());
    }
}
