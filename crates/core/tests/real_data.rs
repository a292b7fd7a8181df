//! Golden tests on the real Databento exports in `../shared/data/databento`: symbol decades,
//! the data-derived calendar with Sunday sessions, the front-month series, and a full run.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::PathBuf;

use deltaroll_core::contract::ContractMonth;
use deltaroll_core::export::ExportFormat;
use deltaroll_core::market::PriceSource;
use deltaroll_core::spec::RunSpec;
use deltaroll_core::strategy::run;
use support::{d, market_from_fixture};

/// Compare with a committed golden file; `UPDATE_GOLDEN=1` rewrites it.
fn assert_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing golden file {}", path.display()));
    assert_eq!(actual, expected, "output differs from {name} (rerun with UPDATE_GOLDEN=1 if the change is intended)");
}

#[test]
fn one_digit_years_take_their_decade_from_the_record_date() {
    let Some(market) = market_from_fixture("glbx-mdp3_ho-fut-outrights_ohlcv-1d_2010-06_2010-08.jsonl") else { return };
    let months: Vec<ContractMonth> = market.futures().map(|f| f.symbol.month).collect();
    assert!(months.contains(&ContractMonth::new(2010, 7).unwrap()), "HON0 is July 2010");
    assert!(months.contains(&ContractMonth::new(2011, 1).unwrap()), "HOF1 is January 2011");
    assert!(months.contains(&ContractMonth::new(2012, 12).unwrap()), "HOZ2 is December 2012");
    assert!(months.iter().all(|m| m.year() >= 2010 && m.year() <= 2014), "{months:?}");
}

#[test]
fn holiday_bars_are_not_rows_and_rolls_fall_on_trade_dates() {
    let Some(market) = market_from_fixture("glbx-mdp3_ho-fut-outrights_ohlcv-1d_2025-01_2025-02.jsonl") else { return };
    let cal = market.calendar();
    // Globex traded abbreviated sessions on MLK Day and Presidents' Day; neither settles.
    for holiday in [d(2025, 1, 1), d(2025, 1, 20), d(2025, 2, 17)] {
        assert!(cal.is_session(holiday) && !cal.is_trading_day(holiday), "{holiday}");
    }
    let rows = cal.rows_between(d(2025, 1, 1), d(2025, 2, 28));
    for holiday in [d(2025, 1, 1), d(2025, 1, 20), d(2025, 2, 17)] {
        assert!(!rows.contains(&holiday), "{holiday} is not a row");
    }
    for sunday in [d(2025, 1, 5), d(2025, 1, 19), d(2025, 2, 2), d(2025, 2, 16)] {
        assert!(rows.contains(&sunday), "the Sunday session {sunday} is a row");
    }
    assert_eq!(rows.len(), cal.sessions().count() - 3);
    let report = run(&RunSpec::new(d(2025, 1, 2), d(2025, 2, 28)), &market).unwrap();
    let dates: Vec<_> = report.rolls.iter().map(|r| r.date).collect();
    assert!(dates.contains(&Some(d(2025, 2, 3))), "the February roll is on Mon 2/3/25: {dates:?}");
    assert!(report.rows.iter().all(|r| !matches!(r.date, x if x == d(2025, 1, 20) || x == d(2025, 2, 17))));
}

#[test]
fn calendar_has_sunday_sessions_but_rolls_on_weekdays() {
    let Some(market) = market_from_fixture("glbx-mdp3_ho-fut-outrights_ohlcv-1d_2025-01_2025-02.jsonl") else { return };
    let cal = market.calendar();
    assert!(cal.is_session(d(2025, 1, 5)) && cal.is_session(d(2025, 2, 2)), "Sunday-evening bars are sessions");
    assert!(!cal.is_trading_day(d(2025, 2, 2)));
    assert!(cal.sessions().all(|s| chrono::Datelike::weekday(&s) != chrono::Weekday::Sat));
    assert_eq!(cal.first_trading_day(ContractMonth::new(2025, 2).unwrap()), Some(d(2025, 2, 3)));
    let sessions: Vec<String> = cal.sessions().map(|s| s.to_string()).collect();
    assert_golden("sessions_2025-01_2025-02.txt", &(sessions.join("\n") + "\n"));
}

#[test]
fn front_month_series_matches_golden() {
    let Some(market) = market_from_fixture("glbx-mdp3_ho-fut-outrights_ohlcv-1d_2025-01_2025-02.jsonl") else { return };
    // One line per output row; a Sunday repeats Friday's close.
    let mut out = String::from("date,front,close\n");
    for date in market.calendar().rows_between(d(2025, 1, 1), d(2025, 2, 28)) {
        let front = market.front_month(date).unwrap();
        let close = market
            .future_price_as_of(&front.symbol, date, PriceSource::Close)
            .map(|(_, p)| p.value().to_string())
            .unwrap_or_default();
        out += &format!("{date},{},{close}\n", front.symbol);
    }
    assert!(out.contains("2025-01-31,HOG5,"), "HOG5 trades through its last day, Jan 31");
    assert!(out.contains("2025-02-02,HOH5,"), "then HOH5 is the front month");
    assert_golden("front_month_2025-01_2025-02.csv", &out);
}

#[test]
fn january_2025_run_on_real_option_bars_matches_golden() {
    let Some(market) = market_from_fixture("glbx-mdp3_ho-fut_oh-opt_ohlcv-1d_2025-01.jsonl") else { return };
    let mut spec = RunSpec::new(d(2025, 1, 1), d(2025, 1, 31));
    spec.price_source = PriceSource::Close;
    let report = run(&spec, &market).unwrap();
    let jan = report.rolls.iter().find(|r| r.month == ContractMonth::new(2025, 1).unwrap()).unwrap();
    let chosen = jan.choice.as_ref().expect("a January roll from traded HOH5 calls");
    assert_eq!(chosen.underlying.to_string(), "HOH5");
    for format in [ExportFormat::Wide, ExportFormat::Tidy, ExportFormat::Pnl] {
        let mut bytes = Vec::new();
        format.write(&report, &mut bytes).unwrap();
        assert_golden(&format!("run_2025-01_close.{}.csv", format.as_str()), &String::from_utf8(bytes).unwrap());
    }
}
