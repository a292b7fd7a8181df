//! Decoder fuzzing with proptest: arbitrary bytes, mutations and truncations of valid
//! bodies, and valid headers (DBN metadata, a CSV header row, JSON lines) followed by
//! garbage never panic; a truncated body is an error unless it ends exactly between
//! records; errors say where (record, row, line) and quote at most a short prefix of a bad
//! value. Memory bounds and crafted DBN metadata are in `tests/decode_memory.rs`.

use std::sync::OnceLock;

use dbn::encode::{CsvEncoder, DbnEncodable, DbnEncoder, EncodeRecord, JsonEncoder};
use dbn::{Metadata, SType, Schema};
use deltaroll_databento::decode::{decode_any, decode_csv, decode_dbn, decode_json_lines};
use deltaroll_databento::testing::{daily_bar, ns};
use fake_databento::{synthetic_market, Universe};
use proptest::prelude::*;

use crate::d;

struct Bodies {
    dbn: Vec<u8>,
    /// Offsets where a record ends (the metadata's end first).
    dbn_boundaries: Vec<usize>,
    json: Vec<u8>,
    csv: Vec<u8>,
}

fn push<R: DbnEncodable>(enc: &mut DbnEncoder<&mut Vec<u8>>, records: &[(R, usize)], boundaries: &mut Vec<usize>) {
    for (r, _) in records {
        enc.encode_record(r).unwrap();
        boundaries.push(enc.get_ref().len());
    }
}

fn text<R: DbnEncodable>(records: &[(R, usize)], json: &mut Vec<u8>, csv: &mut Vec<u8>, schema: Schema) {
    let mut j = JsonEncoder::builder(&mut *json).use_pretty_px(true).build();
    let mut c = CsvEncoder::builder(Vec::new()).schema(Some(schema)).build().unwrap();
    for (r, _) in records {
        j.encode_record(r).unwrap();
        c.encode_record(r).unwrap();
    }
    c.flush().unwrap();
    csv.extend(c.get_ref());
}

/// A DBN body with definitions, statistics and bars (mixed schema), and JSON / CSV
/// bodies of the same statistics and bars.
fn bodies() -> &'static Bodies {
    static BODIES: OnceLock<Bodies> = OnceLock::new();
    BODIES.get_or_init(|| {
        let universe = Universe::from_market(&synthetic_market());
        let picked: Vec<usize> = (0..universe.instruments().len()).step_by(97).collect();
        let (start, end) = (ns(d(2025, 1, 2)), ns(d(2025, 1, 4)));
        let defs = universe.definitions(&picked, start, end);
        let stats = universe.statistics(&picked, start, end);
        let bars = universe.bars(&picked, start, end);
        let metadata = Metadata::builder()
            .dataset("GLBX.MDP3")
            .schema(None)
            .start(start)
            .stype_in(Some(SType::Parent))
            .stype_out(SType::InstrumentId)
            .build();
        let mut dbn = Vec::new();
        let mut boundaries = Vec::new();
        {
            let mut enc = DbnEncoder::new(&mut dbn, &metadata).unwrap();
            boundaries.push(enc.get_ref().len());
            push(&mut enc, &defs, &mut boundaries);
            push(&mut enc, &stats, &mut boundaries);
            push(&mut enc, &bars, &mut boundaries);
        }
        let (mut json, mut csv) = (Vec::new(), Vec::new());
        text(&stats, &mut json, &mut csv, Schema::Statistics);
        assert!(!stats.is_empty() && !bars.is_empty() && !defs.is_empty());
        Bodies { dbn, dbn_boundaries: boundaries, json, csv }
    })
}

#[test]
fn the_valid_bodies_decode_whole() {
    let b = bodies();
    let dbn = decode_dbn(&b.dbn).unwrap();
    assert_eq!(dbn.total, b.dbn_boundaries.len() - 1);
    let json = decode_json_lines(&b.json).unwrap();
    let csv = decode_csv(&b.csv).unwrap();
    assert_eq!(json.total, csv.total);
    assert_eq!(json.records, csv.records);
    assert!(json.total > 0);
}

/// A body of DBN `version` 1 or 2: one option definition, one settlement, one bar.
fn old_body(version: u8) -> Vec<u8> {
    use dbn::{rtype, RecordHeader};
    let ts = ns(d(2025, 1, 2));
    let meta = Metadata::builder()
        .version(version)
        .dataset("GLBX.MDP3")
        .schema(None)
        .start(ts)
        .stype_in(Some(SType::RawSymbol))
        .stype_out(SType::InstrumentId)
        .build();
    let stat = dbn::v1::StatMsg {
        hd: RecordHeader::new::<dbn::v1::StatMsg>(rtype::STATISTICS, 1, 42, ts),
        ts_recv: ts + 1,
        ts_ref: ts,
        price: 50_000_000,
        stat_type: 3,
        update_action: 1,
        ..Default::default()
    };
    let bar = daily_bar(ts, 60_000_000, 3);
    let mut out = Vec::new();
    write_old(&mut out, &meta, version, ts, &stat, &bar);
    out
}

fn write_old(out: &mut Vec<u8>, meta: &Metadata, version: u8, ts: u64, stat: &dbn::v1::StatMsg, bar: &dbn::OhlcvMsg) {
    use dbn::record::str_to_c_chars;
    use dbn::{rtype, RecordHeader};
    let mut enc = DbnEncoder::new(out, meta).unwrap();
    macro_rules! def {
        ($t:ty) => {
            <$t>::default_with(|def: &mut $t| {
                def.hd = RecordHeader::new::<$t>(rtype::INSTRUMENT_DEF, 1, 42, ts);
                def.ts_recv = ts;
                def.raw_symbol = str_to_c_chars("OHH5 C24000").unwrap();
                def.underlying = str_to_c_chars("HOH5").unwrap();
                def.instrument_class = b'C' as std::ffi::c_char;
                def.strike_price = 2_400_000_000;
                def.expiration = ns(d(2025, 2, 25));
            })
        };
    }
    if version == 1 {
        enc.encode_record(&def!(dbn::v1::InstrumentDefMsg)).unwrap();
    } else {
        enc.encode_record(&def!(dbn::v2::InstrumentDefMsg)).unwrap();
    }
    enc.encode_record(stat).unwrap();
    enc.encode_record(bar).unwrap();
}

trait DefaultWith: Default {
    fn default_with(f: impl FnOnce(&mut Self)) -> Self {
        let mut v = Self::default();
        f(&mut v);
        v
    }
}
impl DefaultWith for dbn::v1::InstrumentDefMsg {}
impl DefaultWith for dbn::v2::InstrumentDefMsg {}

#[test]
fn older_dbn_versions_are_upgraded() {
    use deltaroll_databento::decode::Record;
    for version in [1, 2] {
        let bytes = old_body(version);
        let decoded = decode_dbn(&bytes).unwrap();
        assert_eq!(decoded.total, 3, "v{version}");
        match &decoded.records[..] {
            [Record::Definition(def), Record::Settlement(s), Record::Bar(b)] => {
                assert_eq!(def.raw_symbol, "OHH5 C24000");
                assert_eq!(def.underlying, "HOH5");
                assert_eq!((def.class, def.strike), (Some('C'), Some(2.4)));
                assert_eq!(def.expiration, Some(d(2025, 2, 25)));
                assert_eq!((s.price, s.trading_date), (0.05, d(2025, 1, 2)));
                assert_eq!((b.close, b.date), (0.06, d(2025, 1, 2)));
            }
            other => panic!("v{version}: {other:?}"),
        }
        for cut in 0..bytes.len() {
            let _ = decode_dbn(&bytes[..cut]);
        }
    }
}

fn no_panic(bytes: &[u8]) {
    let _ = decode_dbn(bytes);
    let _ = decode_json_lines(bytes);
    let _ = decode_csv(bytes);
    let _ = decode_any(bytes);
}

/// A CSV header row as Databento writes it for statistics.
fn csv_header() -> &'static [u8] {
    let csv = &bodies().csv;
    let end = csv.iter().position(|&b| b == b'\n').unwrap() + 1;
    &csv[..end]
}

#[test]
fn a_huge_bad_field_is_quoted_short() {
    let huge = "7x".repeat(4 << 20);
    let header = String::from_utf8(csv_header().to_vec()).unwrap();
    let columns = header.trim_end().split(',').count();
    let rtype_at = header.trim_end().split(',').position(|c| c == "rtype").unwrap();
    let row: Vec<&str> = (0..columns).map(|i| if i == rtype_at { huge.as_str() } else { "1" }).collect();
    let csv = format!("{header}{}\n", row.join(","));
    let json = format!("{{\"hd\":{{\"rtype\":24,\"instrument_id\":1}},\"stat_type\":3,\"price\":\"{huge}\"}}\n");
    let json_ts = format!("{{\"hd\":{{\"rtype\":24,\"instrument_id\":1,\"ts_event\":\"{huge}\"}}}}\n");
    for (what, error) in [
        ("csv", decode_csv(csv.as_bytes()).unwrap_err()),
        ("json price", decode_json_lines(json.as_bytes()).unwrap_err()),
        ("json timestamp", decode_json_lines(json_ts.as_bytes()).unwrap_err()),
        ("any", decode_any(csv.as_bytes()).unwrap_err()),
    ] {
        let text = error.to_string();
        assert!(text.len() < 300, "{what}: a {}-byte message", text.len());
        assert!(text.contains("7x7x") && text.contains('…'), "{what}: {text}");
        assert!(text.contains("row 2") || text.contains("line 1"), "{what} says where: {text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn garbage_after_a_valid_csv_header_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let mut bytes = csv_header().to_vec();
        bytes.extend(&tail);
        no_panic(&bytes);
        if let Err(e) = decode_csv(&bytes) {
            prop_assert!(e.to_string().len() < 600, "{}", e);
        }
    }

    #[test]
    fn garbage_after_valid_json_lines_never_panics(
        lines in 0usize..4,
        tail in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let json = &bodies().json;
        let ends: Vec<usize> = json.iter().enumerate().filter(|(_, &b)| b == b'\n').map(|(i, _)| i + 1).collect();
        let mut bytes = json[..ends.get(lines).copied().unwrap_or(0)].to_vec();
        bytes.extend(&tail);
        no_panic(&bytes);
        if let Err(e) = decode_json_lines(&bytes) {
            prop_assert!(e.to_string().len() < 600, "{}", e);
        }
    }

    #[test]
    fn arbitrary_metadata_after_a_valid_prelude_never_panics(
        metadata in proptest::collection::vec(any::<u8>(), 0..512),
        version in 1u8..=3,
        records in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let mut bytes = b"DBN".to_vec();
        bytes.push(version);
        bytes.extend(u32::try_from(metadata.len()).unwrap().to_le_bytes());
        bytes.extend(&metadata);
        bytes.extend(&records);
        no_panic(&bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        no_panic(&bytes);
    }

    #[test]
    fn arbitrary_records_after_a_valid_prelude_never_panic(
        tail in proptest::collection::vec(any::<u8>(), 0..2048),
        version in 1u8..=3,
    ) {
        let b = bodies();
        let mut bytes = b.dbn[..b.dbn_boundaries[0]].to_vec();
        bytes[3] = version;
        bytes.extend(&tail);
        no_panic(&bytes);
    }

    #[test]
    fn arbitrary_records_after_old_preludes_never_panic(
        tail in proptest::collection::vec(any::<u8>(), 0..2048),
        version in 1u8..=2,
    ) {
        let mut bytes = old_body(version);
        let meta_end = 8 + u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        bytes.truncate(meta_end);
        bytes.extend(&tail);
        no_panic(&bytes);
    }

    #[test]
    fn mutated_valid_bodies_never_panic(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let b = bodies();
        for body in [&b.dbn, &b.json, &b.csv] {
            let mut bytes = body.clone();
            for (at, value) in &flips {
                let i = at.index(bytes.len());
                bytes[i] = *value;
            }
            no_panic(&bytes);
        }
    }

    #[test]
    fn truncated_dbn_is_an_error_unless_between_records(cut in any::<prop::sample::Index>()) {
        let b = bodies();
        let cut = cut.index(b.dbn.len() + 1);
        let result = decode_dbn(&b.dbn[..cut]);
        match b.dbn_boundaries.iter().position(|&x| x == cut) {
            Some(records) => prop_assert_eq!(result.unwrap().total, records),
            None => prop_assert!(result.is_err(), "cut at {} decoded", cut),
        }
    }

    #[test]
    fn truncated_text_is_an_error_unless_between_lines(cut in any::<prop::sample::Index>()) {
        let b = bodies();
        let cut_json = cut.index(b.json.len() + 1);
        let json = decode_json_lines(&b.json[..cut_json]);
        let at_line_end = cut_json == 0
            || b.json[cut_json - 1] == b'\n'
            || b.json.get(cut_json) == Some(&b'\n');
        if !at_line_end {
            prop_assert!(json.is_err(), "json cut at {}", cut_json);
        }
        let cut_csv = cut.index(b.csv.len() + 1);
        let csv = decode_csv(&b.csv[..cut_csv]);
        let at_row_end = cut_csv == 0 || b.csv[cut_csv - 1] == b'\n';
        if !at_row_end {
            prop_assert!(csv.is_err(), "csv cut at {}", cut_csv);
        }
    }
}
