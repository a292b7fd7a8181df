//! Hostile input cannot make a decoder take much memory: every decode here runs under a
//! hard cap of [`BUDGET`] bytes above what was live before it (an allocation past it aborts
//! the test binary), whatever sizes and counts the input claims. Also the regression tests
//! of crafted DBN metadata that the pinned `dbn` refuses cleanly today, so a `dbn` update
//! cannot bring a panic or a huge allocation back.
//!
//! A binary of its own with a single test: the cap is process-wide, so nothing may run
//! beside it.
#![allow(clippy::unwrap_used, missing_docs)]

use std::alloc::System;

use cap::Cap;
use dbn::encode::DbnEncoder;
use dbn::{Metadata, SType, Schema};
use deltaroll_databento::decode::{decode_any, decode_csv, decode_dbn, decode_json_lines};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// Most memory a decode of a small input may take on top of what is live: 64 MiB.
const BUDGET: usize = 64 << 20;

/// Run `f` with at most [`BUDGET`] more bytes allocatable.
fn capped<R>(f: impl FnOnce() -> R) -> R {
    let live = ALLOCATOR.allocated();
    ALLOCATOR.set_limit(live + BUDGET).unwrap();
    let out = f();
    ALLOCATOR.set_limit(usize::MAX).unwrap();
    out
}

/// Every decoder on `bytes`, capped; whether the DBN decoder accepted it.
fn decode_all(bytes: &[u8]) -> bool {
    capped(|| {
        let dbn = decode_dbn(bytes).is_ok();
        let _ = decode_json_lines(bytes);
        let _ = decode_csv(bytes);
        let _ = decode_any(bytes);
        dbn
    })
}

/// Offset of `symbol_cstr_len` in a v3 stream: prelude (8), dataset (16), schema (2),
/// start, end, limit (3 × 8), stype_in, stype_out, ts_out (3).
const SYMBOL_CSTR_LEN_AT: usize = 8 + 16 + 2 + 24 + 3;
/// The prelude and the fixed part of v2/v3 metadata.
const FIXED_END: usize = 8 + 100;

/// The prelude and fixed metadata of a real v3 stream (no symbols).
fn fixed_part() -> Vec<u8> {
    let metadata = Metadata::builder()
        .dataset("GLBX.MDP3")
        .schema(Some(Schema::Ohlcv1D))
        .start(1_735_776_000_000_000_000)
        .stype_in(Some(SType::Parent))
        .stype_out(SType::InstrumentId)
        .build();
    let mut out = Vec::new();
    DbnEncoder::new(&mut out, &metadata).unwrap();
    assert_eq!(&out[..4], b"DBN\x03");
    assert_eq!(u16::from_le_bytes([out[SYMBOL_CSTR_LEN_AT], out[SYMBOL_CSTR_LEN_AT + 1]]), 71, "layout changed");
    out.truncate(FIXED_END);
    out
}

/// `fixed` followed by `tail` (little-endian u32s), the prelude's length set to match.
fn stream(mut fixed: Vec<u8>, tail: &[u32]) -> Vec<u8> {
    for n in tail {
        fixed.extend(n.to_le_bytes());
    }
    let len = u32::try_from(fixed.len() - 8).unwrap();
    fixed[4..8].copy_from_slice(&len.to_le_bytes());
    fixed
}

/// Schema-definition length, then the counts of symbols, partial, not found, mappings.
fn symbology(mappings: u32) -> [u32; 5] {
    [0, 0, 0, 0, mappings]
}

fn crafted_metadata_is_refused_cleanly() {
    // The control: the same block with honest counts decodes.
    assert!(decode_all(&stream(fixed_part(), &symbology(0))), "the untouched block decodes");

    // A mapping count of 0xFFFFFFFF with nothing after it.
    let huge_mappings = stream(fixed_part(), &symbology(u32::MAX));
    // A zero `symbol_cstr_len` with a huge symbol count: zero-length symbols would "fit".
    let mut zero_len = fixed_part();
    zero_len[SYMBOL_CSTR_LEN_AT..SYMBOL_CSTR_LEN_AT + 2].copy_from_slice(&0u16.to_le_bytes());
    let zero_len = stream(zero_len, &[0, u32::MAX, 0, 0, 0]);
    // Metadata of exactly the fixed 100 bytes: the variable part is missing altogether.
    let exactly_fixed = stream(fixed_part(), &[]);
    assert_eq!(exactly_fixed.len(), 108);
    // Metadata claiming 4 GiB.
    let mut huge_len = fixed_part();
    huge_len[4..8].copy_from_slice(&u32::MAX.to_le_bytes());

    for (name, bytes) in [
        ("mapping count 0xFFFFFFFF", huge_mappings),
        ("zero symbol_cstr_len, huge symbol count", zero_len),
        ("metadata of exactly 100 bytes", exactly_fixed),
        ("metadata length 0xFFFFFFFF", huge_len),
    ] {
        let err = capped(|| decode_dbn(&bytes)).expect_err(name);
        assert!(err.to_string().contains("DBN metadata"), "{name}: {err}");
        assert!(err.to_string().len() < 600, "{name}: {err}");
        assert!(!decode_all(&bytes), "{name}");
        // And with records after it.
        let mut more = bytes.clone();
        more.extend([0u8; 64]);
        assert!(!decode_all(&more), "{name} + records");
    }
}

fn arbitrary_input_stays_within_budget() {
    let mut runner = TestRunner::new(Config { cases: 2000, failure_persistence: None, ..Config::default() });
    let fixed = fixed_part();
    let strategy = (
        proptest::collection::vec(any::<u8>(), 0..4096),
        any::<u32>(),
        0u8..6,
        proptest::collection::vec(any::<u32>(), 0..8),
    );
    runner
        .run(&strategy, |(bytes, count, shape, counts)| {
            // Raw bytes; then the bytes behind a real prelude; behind the fixed metadata with
            // arbitrary counts; and as text after a CSV header or JSON line.
            decode_all(&bytes);
            let mut prelude = fixed[..8].to_vec();
            prelude[3] = 1 + shape % 3;
            prelude.extend(&bytes);
            decode_all(&prelude);
            let mut tail: Vec<u32> = counts.clone();
            tail.insert(usize::from(shape).min(tail.len()), count);
            let mut crafted = stream(fixed.clone(), &tail);
            crafted.extend(&bytes);
            decode_all(&crafted);
            let mut csv = b"ts_recv,rtype,publisher_id,instrument_id,price,stat_type\n".to_vec();
            csv.extend(&bytes);
            decode_all(&csv);
            let mut json = br#"{"hd":{"rtype":24,"instrument_id":1},"price":"1"}"#.to_vec();
            json.push(b'\n');
            json.extend(&bytes);
            decode_all(&json);
            Ok(())
        })
        .unwrap();
}

#[test]
fn decoding_hostile_input_is_bounded_in_memory() {
    crafted_metadata_is_refused_cleanly();
    arbitrary_input_stays_within_budget();
}
