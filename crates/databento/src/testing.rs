//! Helpers shared by this crate's unit tests and its integration tests (`tests/it`):
//! compiled for the unit tests and with the `testing` feature, which the crate's
//! dev-dependency on itself turns on for the integration tests. Not for other uses.

use chrono::NaiveDate;
use dbn::{rtype, OhlcvMsg, RecordHeader};

use crate::request::GetRange;
use crate::types::{Dataset, DateRange, Symbols};
use crate::{SType, Schema};

/// A date; panics unless it exists.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a date")
}

/// UNIX nanoseconds of midnight UTC starting `date` (from 1970 on).
pub fn ns(date: NaiveDate) -> u64 {
    u64::try_from(DateRange::day(date).start_ns()).expect("a date from 1970 on")
}

/// A `get_range` of `schema` for the futures parent `HO.FUT` in GLBX.MDP3 over `range`.
pub fn ho_futures(schema: Schema, range: DateRange) -> GetRange {
    let symbols = Symbols::one("HO.FUT").expect("a valid symbol");
    GetRange::new(Dataset::glbx_mdp3(), schema, SType::Parent, symbols, range)
}

/// A daily bar of instrument 42 at `ts` (UNIX ns), open, high, low and close all `price`
/// (fixed-point, 1e-9).
pub fn daily_bar(ts: u64, price: i64, volume: u64) -> OhlcvMsg {
    OhlcvMsg {
        hd: RecordHeader::new::<OhlcvMsg>(rtype::OHLCV_1D, 1, 42, ts),
        open: price,
        high: price,
        low: price,
        close: price,
        volume,
    }
}
