//! The demo market built for one run (futures, each roll day's chain, the chosen options'
//! series) gives the same exports as the whole demo market of the run's window, for calls
//! and puts, every months-ahead the demo lists, each vol source and price source, and runs
//! of several legs (a strangle; calls of three deltas; legs of different months ahead).

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use deltaroll_core::contract::{OptionKind, OptionSymbol};
use deltaroll_core::demo::{demo_market, demo_market_for, DemoConfig};
use deltaroll_core::export::{write_tidy, ExportFormat};
use deltaroll_core::legs::parse_legs;
use deltaroll_core::market::PriceSource;
use deltaroll_core::spec::{RunSpec, VolSource};
use deltaroll_core::strategy::run;
use deltaroll_core::warnings::Warning;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// What a run on `market` exports, warns and chooses (the chain counts of the manifest
/// differ: a run's own market lists a roll day's strikes as of that day, the whole market
/// also those listed later, unpriced on the roll day).
type Outcome = (Vec<u8>, Vec<u8>, Vec<Warning>, Vec<Option<(OptionSymbol, f64, f64)>>);

fn exports(spec: &RunSpec, market: &deltaroll_core::market::MarketData) -> Outcome {
    let report = run(spec, market).unwrap();
    let (mut wide, mut tidy) = (Vec::new(), Vec::new());
    ExportFormat::Wide.write(&report, &mut wide).unwrap();
    write_tidy(&report, &mut tidy).unwrap();
    let chosen = report.rolls.iter().map(|r| r.choice.as_ref().map(|c| (c.symbol, c.iv, c.delta))).collect();
    (wide, tidy, report.warnings, chosen)
}

fn specs() -> Vec<RunSpec> {
    let mut out = vec![RunSpec::new(d(2025, 1, 1), d(2025, 12, 31)), RunSpec::new(d(2023, 3, 15), d(2023, 9, 30))];
    let mut s = RunSpec::new(d(2024, 2, 1), d(2024, 11, 30));
    for (k, kind) in [(1, OptionKind::Put), (3, OptionKind::Call)] {
        s.months_ahead = k;
        s.kind = kind;
        out.push(s.clone());
    }
    s.months_ahead = 2;
    s.price_source = PriceSource::Close;
    s.vol_source = VolSource::AtmImplied;
    out.push(s.clone());
    s.vol_source = VolSource::Historical { days: 20 };
    s.target_delta = 0.3;
    out.push(s);
    for legs in [
        "short:call:0.15,short:put:0.15",
        "long:call:0.1,long:call:0.15:2:2,long:call:0.25",
        "short:put:0.2:1,long:call:0.3:3",
    ] {
        let mut strangle = RunSpec::new(d(2024, 2, 1), d(2024, 11, 30));
        strangle.legs = parse_legs(legs, 2).unwrap();
        out.push(strangle);
    }
    out
}

#[test]
fn a_run_reads_the_same_from_its_own_market_as_from_the_whole_window() {
    for spec in specs() {
        let whole = demo_market(&DemoConfig::for_spec(&spec));
        let own = demo_market_for(&spec);
        assert!(
            own.observation_count() * 10 < whole.observation_count(),
            "{} vs {}",
            own.observation_count(),
            whole.observation_count()
        );
        assert_eq!(exports(&spec, &own), exports(&spec, &whole), "{spec:?}");
    }
}

#[test]
fn what_the_demo_cannot_plan_gets_the_whole_window() {
    let mut spec = RunSpec::new(d(2025, 1, 1), d(2025, 3, 31));
    spec.months_ahead = 5;
    let whole = demo_market(&DemoConfig::for_spec(&spec));
    assert_eq!(demo_market_for(&spec).content_hash(), whole.content_hash());
}
