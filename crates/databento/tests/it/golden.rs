//! The real Databento exports in `../shared/data/databento` (outside the repository):
//! decoded and counted. Skipped, with a message, when the folder is absent.

use std::path::PathBuf;

use deltaroll_core::contract::{ContractMonth, FuturesSymbol, OptionSymbol};
use deltaroll_core::market::{MarketBuilder, PriceSource, Provenance};
use deltaroll_core::product::ProductSpec;
use deltaroll_databento::decode::{decode_any, decode_json_lines};
use deltaroll_databento::ingest::{Ingest, IngestSummary};

use crate::d;

fn fixtures() -> Option<PathBuf> {
    // crates/databento → workspace root → ../shared/data
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/databento");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("SKIPPED: the real fixtures are not at {} (../shared/data is absent in a fresh clone)", dir.display());
        None
    }
}

fn load(name: &str) -> Option<(deltaroll_core::market::MarketData, IngestSummary, usize)> {
    let bytes = std::fs::read(fixtures()?.join(name)).unwrap();
    let decoded = decode_json_lines(&bytes).unwrap();
    assert_eq!(decode_any(&bytes).unwrap(), decoded, "sniffed as JSON lines");
    let mut b = MarketBuilder::new(ProductSpec::heating_oil(), Provenance::Files);
    let summary = Ingest::new().add_prices(&decoded, &mut b, PriceSource::Close, None);
    Some((b.build(), summary, decoded.total))
}

fn month(y: i32, m: u32) -> ContractMonth {
    ContractMonth::new(y, m).unwrap()
}

#[test]
fn futures_and_options_of_january_2025() {
    let Some((m, s, total)) = load("glbx-mdp3_ho-fut_oh-opt_ohlcv-1d_2025-01.jsonl") else {
        return;
    };
    assert_eq!(total, 2502);
    assert_eq!(s.futures_prices, 367, "outright HO futures bars");
    assert_eq!(s.option_prices, 164, "OH option bars");
    assert_eq!(s.not_outright, 1971, "spreads and butterflies");
    assert_eq!(s.unresolved, 0);
    assert_eq!(m.options().count(), 98, "option symbols parsed");
    assert_eq!(m.futures().count(), 26);
    assert_eq!(m.calendar().sessions().count(), 27);
    let call = OptionSymbol::parse("OHH5 C24000", d(2025, 1, 2)).unwrap();
    assert_eq!(m.option_price(&call, d(2025, 1, 2), PriceSource::Close).unwrap().value(), 0.0738);
    assert_eq!(m.option(&call).unwrap().strike.value(), 2.4);
    assert!(m.calendar().is_session(d(2025, 1, 5)), "Sunday-evening session");
}

#[test]
fn outright_futures_of_january_and_february_2025() {
    let Some((m, s, total)) = load("glbx-mdp3_ho-fut-outrights_ohlcv-1d_2025-01_2025-02.jsonl") else {
        return;
    };
    assert_eq!((total, s.futures_prices, s.not_outright), (745, 745, 0));
    assert_eq!(m.futures().count(), 30);
    assert_eq!(m.calendar().sessions().count(), 51);
    let front = m.front_month(d(2025, 1, 2)).unwrap();
    assert_eq!(front.symbol.to_string(), "HOG5");
}

#[test]
fn decades_of_2010_come_from_the_record_date() {
    let Some((m, s, total)) = load("glbx-mdp3_ho-fut-outrights_ohlcv-1d_2010-06_2010-08.jsonl") else {
        return;
    };
    assert_eq!((total, s.futures_prices), (1000, 1000));
    assert_eq!(m.futures().count(), 30);
    assert_eq!(m.calendar().sessions().count(), 64);
    let months: Vec<ContractMonth> = m.futures().map(|f| f.symbol.month).collect();
    assert_eq!(months.first(), Some(&month(2010, 7)), "HON0 is July 2010");
    assert_eq!(months.last(), Some(&month(2012, 12)), "HOZ2 is December 2012");
    assert!(months.contains(&month(2011, 1)), "HOF1 is January 2011");
    let hon0 = FuturesSymbol::parse("HON0", d(2010, 6, 6)).unwrap();
    assert_eq!(m.future_price(&hon0, d(2010, 6, 6), PriceSource::Close).unwrap().value(), 1.935);
}
