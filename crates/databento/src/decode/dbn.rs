//! DBN bodies through the official `dbn` crate (versions 1–3, upgraded to 3), after an own
//! framing check: `dbn`'s decoder stops quietly at a record cut short, so the whole body
//! is walked first and must end exactly at a record boundary.

use chrono::NaiveDate;
use dbn::decode::{DbnDecoder, DbnMetadata, DecodeRecordRef};
use dbn::{InstrumentDefMsg, OhlcvMsg, RecordRef, StatMsg};

use super::{
    fixed_price, lib, ns_date, Bar, BarInterval, Coverage, DecodeError, Decoded, Definition, IdMapping, Record,
    Settlement, RTYPE_DEF, RTYPE_OHLCV_1D, RTYPE_OHLCV_1H, RTYPE_STAT, STAT_SETTLEMENT, UNDEF_TIMESTAMP,
};

/// Size of the DBN prelude: `DBN`, version byte, `u32` metadata length.
const PRELUDE: usize = 8;
/// Size of a v1–v3 record header.
const HEADER: usize = 16;

/// Decode an uncompressed DBN body. Errors when the body is not DBN, of an unsupported
/// version, cut short (inside the metadata or a record) or holds a malformed record.
pub fn decode_dbn(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let framed = count_records(bytes)?;
    let mut decoder =
        DbnDecoder::new(bytes).map_err(|e| DecodeError::new(format!("DBN metadata could not be read: {}", lib(e))))?;
    let meta = decoder.metadata();
    let coverage = Coverage { start: meta.start, end: meta.end.map(std::num::NonZeroU64::get) };
    let mut out = Decoded { mappings: mappings(meta), coverage: Some(coverage), ..Decoded::default() };
    while let Some(rec) = decoder
        .decode_record_ref()
        .map_err(|e| DecodeError::new(format!("DBN record {} is invalid: {}", out.total + 1, lib(e))))?
    {
        out.total += 1;
        match record(rec).map_err(|e| DecodeError::new(format!("DBN record {} is invalid: {}", out.total, lib(e))))? {
            Some(r) => out.records.push(r),
            None => out.ignored += 1,
        }
    }
    if out.total != framed {
        return Err(DecodeError::new(format!(
            "the DBN body holds {framed} records but only {} could be decoded",
            out.total
        )));
    }
    Ok(out)
}

/// Walk the prelude, metadata and record lengths; the number of whole records.
fn count_records(bytes: &[u8]) -> Result<usize, DecodeError> {
    let Some(prelude) = bytes.get(..PRELUDE) else {
        return Err(DecodeError::new(format!("the body has {} bytes, too few for a DBN stream", bytes.len())));
    };
    if &prelude[..3] != b"DBN" {
        return Err(DecodeError::new("the body is not DBN (no `DBN` signature)"));
    }
    let version = prelude[3];
    if !(1..=3).contains(&version) {
        return Err(DecodeError::new(format!(
            "DBN version {version} is not supported (this client reads versions 1 to 3)"
        )));
    }
    let meta_len = u32::from_le_bytes([prelude[4], prelude[5], prelude[6], prelude[7]]) as usize;
    let mut pos = PRELUDE.checked_add(meta_len).filter(|&p| p <= bytes.len()).ok_or_else(|| {
        DecodeError::new(format!(
            "the body ends inside the DBN metadata ({} of {} bytes)",
            bytes.len().saturating_sub(PRELUDE),
            meta_len
        ))
    })?;
    let mut count = 0;
    while pos < bytes.len() {
        let size = usize::from(bytes[pos]) * 4;
        if size < HEADER {
            return Err(DecodeError::new(format!(
                "DBN record {} declares a length of {size} bytes, less than a header",
                count + 1
            )));
        }
        if size % 8 != 0 {
            // Every DBN record is a whole number of 8-byte words; anything else is
            // corrupt (and would misalign the records after it).
            return Err(DecodeError::new(format!(
                "DBN record {} declares a length of {size} bytes, not a multiple of 8",
                count + 1
            )));
        }
        let end = pos + size;
        if end > bytes.len() {
            return Err(DecodeError::new(format!(
                "the body ends in the middle of DBN record {} ({} of {size} bytes)",
                count + 1,
                bytes.len() - pos
            )));
        }
        pos = end;
        count += 1;
    }
    Ok(count)
}

fn record(rec: RecordRef<'_>) -> dbn::Result<Option<Record>> {
    let hd = rec.header();
    let instrument_id = hd.instrument_id;
    Ok(match hd.rtype {
        RTYPE_DEF => {
            let d = rec.try_get::<InstrumentDefMsg>()?;
            let ts = if d.ts_recv == UNDEF_TIMESTAMP { hd.ts_event } else { d.ts_recv };
            ns_date(ts)
                .map(|date| -> dbn::Result<Record> {
                    Ok(Record::Definition(Definition {
                        instrument_id,
                        date,
                        raw_symbol: d.raw_symbol()?.to_owned(),
                        class: char_field(d.instrument_class),
                        strike: fixed_price(d.strike_price),
                        expiration: ns_date(d.expiration),
                        underlying: d.underlying()?.to_owned(),
                        deleted: char_field(d.security_update_action) == Some('D'),
                    }))
                })
                .transpose()?
        }
        RTYPE_STAT => {
            let s = rec.try_get::<StatMsg>()?;
            let settlement = s.stat_type == STAT_SETTLEMENT && s.update_action == 1;
            match (settlement, ns_date(s.ts_recv), ns_date(s.ts_ref), fixed_price(s.price)) {
                (true, Some(date), Some(trading_date), Some(price)) => Some(Record::Settlement(Settlement {
                    instrument_id,
                    date,
                    ts_recv: s.ts_recv,
                    trading_date,
                    price,
                    is_final: s.stat_flags & 1 == 1,
                    symbol: None,
                })),
                _ => None,
            }
        }
        RTYPE_OHLCV_1D | RTYPE_OHLCV_1H => {
            let b = rec.try_get::<OhlcvMsg>()?;
            match (ns_date(hd.ts_event), fixed_price(b.close)) {
                (Some(date), Some(close)) => Some(Record::Bar(Bar {
                    instrument_id,
                    interval: if hd.rtype == RTYPE_OHLCV_1D { BarInterval::Day } else { BarInterval::Hour },
                    date,
                    close,
                    volume: b.volume,
                    symbol: None,
                })),
                _ => None,
            }
        }
        _ => None,
    })
}

fn char_field(c: std::ffi::c_char) -> Option<char> {
    let b = c as u8;
    (b.is_ascii_graphic()).then_some(b as char)
}

/// Mappings from the metadata: `raw_symbol → instrument_id` intervals (or the reverse
/// pair). Only when the request's input symbols are raw symbols (or the output is): a
/// parent or continuous input (`HO.FUT`) maps to ids but names no contract.
fn mappings(meta: &dbn::Metadata) -> Vec<IdMapping> {
    let raw_in = meta.stype_in == Some(dbn::SType::RawSymbol);
    let raw_out = meta.stype_out == dbn::SType::RawSymbol;
    if !raw_in && !raw_out {
        return Vec::new();
    }
    let date = |year: i32, month: u8, day: u8| NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day));
    let mut out = Vec::new();
    for m in &meta.mappings {
        for i in &m.intervals {
            let (s, e) = (i.start_date, i.end_date);
            let (Some(start), Some(end)) =
                (date(s.year(), s.month().into(), s.day()), date(e.year(), e.month().into(), e.day()))
            else {
                continue;
            };
            let pair = match (i.symbol.parse::<u32>(), m.raw_symbol.parse::<u32>()) {
                (Ok(id), _) => Some((id, m.raw_symbol.clone())),
                (Err(_), Ok(id)) if !i.symbol.is_empty() => Some((id, i.symbol.clone())),
                _ => None,
            };
            if let Some((instrument_id, raw_symbol)) = pair {
                out.push(IdMapping { instrument_id, raw_symbol, start, end });
            }
        }
    }
    out
}
