//! A full run of the default strategy on the demo market, checked for the strategy's
//! invariants rather than for particular numbers.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use deltaroll_core::demo::{demo_market, DemoConfig};
use deltaroll_core::export::{DateStyle, ExportFormat, WideFormat};
use deltaroll_core::market::Provenance;
use deltaroll_core::spec::RunSpec;
use deltaroll_core::strategy::run;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn three_years_on_the_demo_market_hold_the_invariants() {
    let market = demo_market(&DemoConfig::default());
    assert_eq!(market.provenance, Provenance::SimulatedDemo);
    let spec = RunSpec::new(d(2023, 1, 1), d(2025, 12, 31));
    let report = run(&spec, &market).unwrap();

    // Every roll has a choice or a warning that names its date or target.
    for roll in &report.rolls {
        let warned = report.warnings.iter().any(|w| w.symbol.as_deref() == Some(&roll.target.to_string()));
        assert!(roll.choice.is_some() || warned, "{} has neither a choice nor a warning", roll.month);
        if let Some(sel) = &roll.choice {
            assert_eq!(sel.underlying.month, roll.month.add_months(2));
            assert!(sel.expiration > roll.date.unwrap());
            assert!(sel.in_band, "{}: delta {} outside 0.15 ± 0.02 on a dense simulated chain", roll.month, sel.delta);
        }
    }
    assert!(report.rolls.iter().filter(|r| r.choice.is_some()).count() >= 36);

    // Each column is filled exactly from selection (or start) through expiry (or end).
    for (i, column) in report.columns.iter().enumerate() {
        let held: Vec<NaiveDate> = report.rows.iter().filter(|r| r.held[i].is_some()).map(|r| r.date).collect();
        let first = *held.first().unwrap();
        let last = *held.last().unwrap();
        assert_eq!(first, report.rows.iter().map(|r| r.date).find(|&d| d >= column.from).unwrap());
        assert_eq!(last, report.rows.iter().map(|r| r.date).rfind(|&d| d <= column.until).unwrap());
        assert_eq!(held.len(), report.rows.iter().filter(|r| (column.from..=column.until).contains(&r.date)).count());
    }
    // Consecutive options overlap by about a month (the next roll comes before expiry).
    for pair in report.columns.windows(2) {
        let overlap = (pair[0].until - pair[1].from).num_days();
        assert!((10..=45).contains(&overlap), "{} / {} overlap {overlap} days", pair[0].symbol, pair[1].symbol);
    }
    // Every row has a front-month price; held values carry IV and delta except on expiry day.
    for row in &report.rows {
        assert!(row.front.as_ref().and_then(|f| f.price).is_some(), "{}", row.date);
        for held in row.held.iter().flatten() {
            if held.days_to_expiry > 0 {
                assert!(held.iv.is_some() && held.delta.is_some(), "{}", row.date);
            }
        }
    }
    // The demo market is complete: a held option always has a settlement (a worthless one
    // at the minimum tick), so no gap warnings.
    let gaps: Vec<_> = report.warnings.iter().filter(|w| w.kind.code() == "missing_option_price").collect();
    assert!(gaps.is_empty(), "{gaps:?}");
    // The manifest says the data is simulated.
    let mut json = Vec::new();
    ExportFormat::Json.write(&report, &mut json).unwrap();
    assert!(String::from_utf8(json).unwrap().contains("SIMULATED"));
}

#[test]
fn the_wide_csv_takes_iso_dates_and_usd_values_as_settings() {
    let spec = RunSpec::new(d(2025, 1, 1), d(2025, 3, 31));
    let report = run(&spec, &demo_market(&DemoConfig::for_spec(&spec))).unwrap();
    let write = |wide: &WideFormat| {
        let mut out = Vec::new();
        ExportFormat::Wide.write_with(&report, wide, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let client = write(&WideFormat::default());
    let other = write(&WideFormat {
        dates: "iso".parse().unwrap(),
        option_unit: "quote".parse().unwrap(),
        ..WideFormat::default()
    });
    let (client_lines, other_lines): (Vec<_>, Vec<_>) = (client.lines().collect(), other.lines().collect());
    assert_eq!(client_lines[0], other_lines[0], "same header");
    assert_eq!(client_lines.len(), other_lines.len());
    for (a, b) in client_lines.iter().zip(&other_lines).skip(1) {
        let (a, b): (Vec<&str>, Vec<&str>) = (a.split(',').collect(), b.split(',').collect());
        let date = DateStyle::Us.parse(a[0]).unwrap();
        assert_eq!(DateStyle::Iso.parse(b[0]), Some(date));
        assert_eq!(a[1], b[1], "futures stay in USD/gal");
        for (cents, usd) in a[2..].iter().zip(&b[2..]) {
            assert_eq!(cents.is_empty(), usd.is_empty());
            if let (Ok(cents), Ok(usd)) = (cents.parse::<f64>(), usd.parse::<f64>()) {
                assert!((cents / 100.0 - usd).abs() < 1e-9, "{date}: {cents} ¢ vs {usd} USD");
            }
        }
    }
    assert!(client.starts_with("timestamp,Futures_Price,") && client.contains("\n1/2/25,"));
    assert!(other.contains("\n2025-01-02,"));
    assert!("euro".parse::<DateStyle>().unwrap_err().to_string().contains("(us or iso)"));
}
