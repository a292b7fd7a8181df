//! DBN bodies through the official `dbn` crate (versions 1–3, upgraded to 3), after an own
//! framing check: `dbn`'s decoder stops quietly at a record cut short, so the whole body
//! is walked first and must end exactly at a record boundary.

use std::io::Read;

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
    match without_mappings(bytes) {
        Some((head, records)) => decode_stream(head.as_slice().chain(records), framed),
        None => decode_stream(bytes, framed),
    }
}

/// Decode a DBN stream whose records [`count_records`] counted.
fn decode_stream<R: Read>(stream: R, framed: usize) -> Result<Decoded, DecodeError> {
    let mut decoder =
        DbnDecoder::new(stream).map_err(|e| DecodeError::new(format!("DBN metadata could not be read: {}", lib(e))))?;
    let meta = decoder.metadata();
    let coverage = Coverage { start: meta.start, end: meta.end.map(std::num::NonZeroU64::get) };
    let mut out = Decoded {
        records: Vec::with_capacity(framed),
        mappings: mappings(meta),
        coverage: Some(coverage),
        ..Decoded::default()
    };
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

/// The body's prelude and metadata with no symbol mappings, and its records, when the
/// mappings can name no contract ([`mappings`] would drop them: parent symbols in,
/// instrument ids out, as a roll day's chain comes, one mapping per instrument) and are
/// well framed; `None` otherwise (`dbn` then reads, or refuses, the whole metadata).
/// Decoding thousands of unused mappings was a tenth of a cached 15-year run.
///
/// Offsets as `dbn` reads versions 1–3 (dbn 0.73, `decode/dbn/fsm.rs`,
/// `decode_metadata_impl`, and `metadata/lengths.rs`): `stype_in`, `stype_out` at 50 (v1,
/// after the deprecated record count) or 42; then a fixed part of 100 bytes in all, a
/// `u32` schema definition length (0 before v4), three symbol lists (`u32` count, then
/// fixed-width symbols) and the mappings (`u32` count; each a symbol, a `u32` interval
/// count and intervals of two `u32` dates and a symbol).
fn without_mappings(bytes: &[u8]) -> Option<(Vec<u8>, &[u8])> {
    const FIXED: usize = 100;
    let version = *bytes.get(3)?;
    let meta_len = u32::from_le_bytes(bytes.get(4..PRELUDE)?.try_into().ok()?) as usize;
    let meta = bytes.get(PRELUDE..PRELUDE.checked_add(meta_len)?)?;
    let stypes = if version == 1 { 50 } else { 42 };
    let (stype_in, stype_out) = (*meta.get(stypes)?, *meta.get(stypes + 1)?);
    let raw = dbn::SType::RawSymbol as u8;
    if stype_in == raw || stype_out == raw || dbn::SType::try_from(stype_out).is_err() {
        return None;
    }
    let symbol_len = if version == 1 {
        22
    } else {
        usize::from(u16::from_le_bytes(meta.get(stypes + 3..stypes + 5)?.try_into().ok()?))
    };
    let u32_at = |pos: usize| -> Option<usize> {
        Some(u32::from_le_bytes(meta.get(pos..pos.checked_add(4)?)?.try_into().ok()?) as usize)
    };
    if u32_at(FIXED)? != 0 {
        return None;
    }
    let mut pos = FIXED + 4;
    for _ in 0..3 {
        pos = pos.checked_add(4)?.checked_add(u32_at(pos)?.checked_mul(symbol_len)?)?;
    }
    let mappings_at = pos;
    let mut left = u32_at(pos)?;
    pos += 4;
    while left > 0 {
        let intervals = u32_at(pos.checked_add(symbol_len)?)?;
        pos = pos.checked_add(symbol_len + 4)?.checked_add(intervals.checked_mul(8 + symbol_len)?)?;
        left -= 1;
    }
    if pos > meta.len() {
        return None;
    }
    let mut head = bytes.get(..PRELUDE + mappings_at)?.to_vec();
    head.extend_from_slice(&0u32.to_le_bytes());
    let head_len = u32::try_from(mappings_at + 4).ok()?;
    head[4..PRELUDE].copy_from_slice(&head_len.to_le_bytes());
    Some((head, bytes.get(PRELUDE + meta_len..)?))
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use dbn::encode::{DbnEncoder, EncodeRecord};
    use dbn::{MappingInterval, Metadata, SType, SymbolMapping};

    use super::*;
    use crate::testing::{d, daily_bar, ns};
    use crate::Schema;

    /// Bars under metadata of `stype_in` → `stype_out` that maps ids 42 and 43 (or
    /// `HOH5`/`HOJ5` to them, raw symbols in) over two intervals each.
    fn body(stype_in: SType, stype_out: SType) -> Vec<u8> {
        let date = |day| time::Date::from_calendar_date(2025, time::Month::January, day).unwrap();
        let mapping = |raw: &str, id: &str| SymbolMapping {
            raw_symbol: raw.into(),
            intervals: (6..8)
                .map(|day| MappingInterval { start_date: date(day), end_date: date(day + 1), symbol: id.into() })
                .collect(),
        };
        let raw_in = stype_in == SType::RawSymbol;
        let metadata = Metadata::builder()
            .dataset("GLBX.MDP3")
            .schema(Some(Schema::Ohlcv1D))
            .start(ns(d(2025, 1, 6)))
            .end(std::num::NonZeroU64::new(ns(d(2025, 1, 8))))
            .stype_in(Some(stype_in))
            .stype_out(stype_out)
            .symbols(vec![if raw_in { "HOH5" } else { "HO.FUT" }.into()])
            .partial(vec!["HOZ9".into()])
            .mappings(vec![
                mapping(if raw_in { "HOH5" } else { "HO.FUT" }, "42"),
                mapping(if raw_in { "HOJ5" } else { "HO.FUT" }, "43"),
            ])
            .build();
        let mut enc = DbnEncoder::new(Vec::new(), &metadata).unwrap();
        for day in 6..8 {
            enc.encode_record(&daily_bar(ns(d(2025, 1, day)), 2_000_000_000, 1)).unwrap();
        }
        enc.get_ref().clone()
    }

    #[test]
    fn mappings_that_name_no_contract_are_skipped_and_the_rest_reads_the_same() {
        let parent = body(SType::Parent, SType::InstrumentId);
        let (head, records) = without_mappings(&parent).unwrap();
        assert!(head.len() < PRELUDE + 100 + 4 * 5 + 2 * 71 + 4, "no mapping left: {} bytes", head.len());
        let skipped = decode_dbn(&parent).unwrap();
        let whole = decode_stream(parent.as_slice(), count_records(&parent).unwrap()).unwrap();
        assert_eq!(skipped, whole);
        assert_eq!(decode_stream(head.as_slice().chain(records), 2).unwrap(), whole);
        assert_eq!((skipped.records.len(), skipped.mappings.len()), (2, 0));

        // Raw symbols in: the mappings name contracts and are read.
        let raw = body(SType::RawSymbol, SType::InstrumentId);
        assert!(without_mappings(&raw).is_none());
        assert_eq!(decode_dbn(&raw).unwrap().mappings.len(), 4);
    }

    #[test]
    fn a_badly_framed_mapping_section_is_left_to_dbn_to_refuse() {
        let mut parent = body(SType::Parent, SType::InstrumentId);
        // The first mapping's interval count, after the fixed part, the empty schema
        // definition, the three symbol lists (1, 1 and 0 symbols of 71 bytes), the mapping
        // count and the first mapping's symbol.
        let at = PRELUDE + 100 + 4 + (4 + 71) * 2 + 4 + 4 + 71;
        assert_eq!(parent[at..at + 4], 2u32.to_le_bytes());
        parent[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(without_mappings(&parent).is_none());
        let err = decode_dbn(&parent).unwrap_err().to_string();
        assert!(err.starts_with("DBN metadata could not be read"), "{err}");
    }
}
