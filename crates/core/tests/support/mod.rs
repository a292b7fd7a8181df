//! Shared helpers for the core's integration tests: the real fixtures in `../shared/data`
//! (skipped with a message when absent) and a tiny reader of Databento JSON-lines bars.

#![allow(dead_code, clippy::unwrap_used)]

pub mod pnl_checks;
pub mod props;
pub mod reference;

use std::path::PathBuf;

use chrono::NaiveDate;
use deltaroll_core::contract::{ContractMonth, FuturesSymbol, OptionKind, OptionSymbol, StrikeCode};
use deltaroll_core::market::{Instrument, MarketBuilder, MarketData, Price, PriceSource, Provenance};
use deltaroll_core::pricing::{Black76, Black76Inputs};
use deltaroll_core::product::ProductSpec;
use deltaroll_core::select::year_fraction;

/// `../shared/data` relative to the workspace root, if present.
pub fn shared_data() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/data is absent (real Databento fixtures are not in a fresh clone)");
        None
    }
}

/// One `ohlcv-1d` bar from a pretty JSON-lines export: (UTC date, raw symbol, close, volume).
pub fn read_bars(text: &str) -> Vec<(NaiveDate, String, f64, u64)> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let ts = v["hd"]["ts_event"].as_str().unwrap();
            let date = NaiveDate::parse_from_str(&ts[..10], "%Y-%m-%d").unwrap();
            let close = v["close"].as_str().unwrap().parse().unwrap();
            let volume = v["volume"].as_str().unwrap().parse().unwrap();
            (date, v["symbol"].as_str().unwrap().to_owned(), close, volume)
        })
        .collect()
}

/// A market (close prices only) from a JSON-lines fixture file.
pub fn market_from_fixture(name: &str) -> Option<MarketData> {
    let path = shared_data()?.join("databento").join(name);
    let text = std::fs::read_to_string(path).unwrap();
    let mut builder = MarketBuilder::new(ProductSpec::heating_oil(), Provenance::Files);
    for (date, symbol, close, _volume) in read_bars(&text) {
        if let Some(instrument) = Instrument::parse(&symbol, date) {
            builder.add_price(instrument, date, PriceSource::Close, Price::new(close).unwrap());
        }
    }
    Some(builder.build())
}

/// The call on `month` struck at `strike` (USD/gal) in `product`'s options root.
pub fn call(product: &ProductSpec, month: ContractMonth, strike: f64) -> OptionSymbol {
    OptionSymbol {
        root: product.options_root,
        month,
        kind: OptionKind::Call,
        strike_code: StrikeCode::from_price(strike, product.strike_units_per_price),
    }
}

/// The test markets' option value: a call by Black-76 at 40% vol and 4%, never below the
/// exchange's minimum tick (a worthless option's settlement on expiry day).
pub fn model_call_price(forward: f64, strike: f64, day: NaiveDate, expiry: NaiveDate) -> f64 {
    let time = year_fraction(day, expiry);
    let inputs = Black76Inputs { forward, strike, time, vol: 0.4, rate: 0.04, kind: OptionKind::Call };
    Black76::new(inputs).unwrap().price().max(0.0001)
}

/// A date literal.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// One day of a test market's futures month: the month's future (expiring the day before
/// the last day of the month before it) defined and priced at `price` by each of `sources`
/// on `day`. Returns the future and its options' expiry (three days earlier), or `None`
/// (nothing added) once the future has expired.
pub fn toy_future(
    b: &mut MarketBuilder,
    product: &ProductSpec,
    month: ContractMonth,
    day: NaiveDate,
    price: f64,
    sources: &[PriceSource],
) -> Option<(FuturesSymbol, NaiveDate)> {
    let fut = FuturesSymbol { root: product.futures_root, month };
    let expiry = month.add_months(-1).last_day() - chrono::Duration::days(1);
    if day > expiry {
        return None;
    }
    b.add_future_definition(fut, expiry);
    for &source in sources {
        b.add_price(Instrument::Future(fut), day, source, Price::new(price).unwrap());
    }
    Some((fut, expiry - chrono::Duration::days(3)))
}
