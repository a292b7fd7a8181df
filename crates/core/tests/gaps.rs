//! Gaps said out loud: holidays are neither rows nor roll days, a roll moves to the next
//! trade date with prices (and says so), every candidate has a price (settlements first,
//! else a recent close marked stale), a day without settlements is named, and warnings
//! carry a severity.

#![allow(clippy::unwrap_used)]

mod support;

use chrono::{Datelike, NaiveDate, Weekday};
use deltaroll_core::calendar::cme::CmeCalendar;
use deltaroll_core::contract::{ContractMonth, FuturesSymbol};
use deltaroll_core::export::ExportFormat;
use deltaroll_core::market::{Instrument, MarketBuilder, MarketData, Price, PriceSource, Provenance};
use deltaroll_core::quote::PriceBasis;
use deltaroll_core::spec::RunSpec;
use deltaroll_core::strategy::run;
use deltaroll_core::warnings::{Severity, WarningKind};
use proptest::prelude::*;
use support::d;

fn px(v: f64) -> Price {
    Price::new(v).unwrap()
}

/// What a test market has on each day.
struct Feed {
    /// Futures settlement on weekdays the CME calendar trades.
    future_settles: fn(NaiveDate) -> bool,
    /// Option settlements (all strikes) on those days.
    options_settle: fn(NaiveDate) -> bool,
    /// Closes of the strikes `k` (index) that traded that day.
    option_closes: fn(NaiveDate, usize) -> bool,
}

/// HOH5 (last trade 2025-02-27) and its calls from 2.00 to 3.50 every 0.05 (expiring
/// 2025-02-24), priced by Black-76 at 40% with the future at 2.40; bars every session
/// (Sundays and the MLK Day bar included) from 2025-01-01 to 2025-01-31.
fn january(feed: &Feed) -> MarketData {
    let product = ProductSpec::heating_oil();
    let mut b = MarketBuilder::new(product.clone(), Provenance::Files);
    let month = ContractMonth::new(2025, 3).unwrap();
    let future = FuturesSymbol { root: product.futures_root, month };
    let (fut_expiry, opt_expiry) = (d(2025, 2, 27), d(2025, 2, 24));
    b.add_future_definition(future, fut_expiry);
    let cme = CmeCalendar::new();
    for day in d(2025, 1, 1).iter_days().take_while(|&x| x <= d(2025, 1, 31)) {
        if day.weekday() == Weekday::Sat {
            continue;
        }
        let forward = 2.40;
        b.add_price(Instrument::Future(future), day, PriceSource::Close, px(forward));
        let trades = cme.is_trade_date(day);
        if trades && (feed.future_settles)(day) {
            b.add_price(Instrument::Future(future), day, PriceSource::Settlement, px(forward));
        }
        for k in 0..=30 {
            let strike = 2.0 + 0.05 * k as f64;
            let symbol = support::call(&product, month, strike);
            b.add_option_definition(symbol, future, px(strike), opt_expiry);
            let price = px(support::model_call_price(forward, strike, day, opt_expiry));
            if trades && (feed.options_settle)(day) {
                b.add_price(Instrument::Option(symbol), day, PriceSource::Settlement, price);
            }
            if trades && (feed.option_closes)(day, k) {
                b.add_price(Instrument::Option(symbol), day, PriceSource::Close, price);
            }
        }
    }
    b.build()
}

use deltaroll_core::product::ProductSpec;

fn january_spec(source: PriceSource) -> RunSpec {
    let mut spec = RunSpec::new(d(2025, 1, 1), d(2025, 1, 31));
    spec.months_ahead = 2;
    spec.price_source = source;
    spec
}

fn january_roll(report: &deltaroll_core::report::Report) -> &deltaroll_core::report::Roll {
    report.rolls.iter().find(|r| r.month == ContractMonth::new(2025, 1).unwrap()).unwrap()
}

const ALWAYS: fn(NaiveDate) -> bool = |_| true;

#[test]
fn a_roll_without_prices_moves_to_the_next_trade_date_and_says_so() {
    let feed = Feed {
        future_settles: |day| day != d(2025, 1, 2) && day != d(2025, 1, 8),
        options_settle: |day| day != d(2025, 1, 2) && day != d(2025, 1, 3),
        option_closes: |_, _| false,
    };
    let report = run(&january_spec(PriceSource::Settlement), &january(&feed)).unwrap();
    let roll = january_roll(&report);
    assert_eq!(roll.date, Some(d(2025, 1, 6)), "Thu 1/2 has no future, Fri 1/3 no chain prices");
    assert!(roll.choice.is_some());
    let deferred = report.warnings.iter().find(|w| w.kind.code() == "roll_deferred").unwrap();
    assert_eq!(deferred.date, Some(d(2025, 1, 6)));
    assert!(matches!(&deferred.kind, WarningKind::RollDeferred { scheduled, .. } if *scheduled == d(2025, 1, 2)));
    let text = deferred.to_string();
    assert!(text.contains("2025-01-02") && text.contains("2025-01-06"), "{text}");
    // A day without any futures settlement is named once, and is a data gap.
    let gap = report.warnings.iter().filter(|w| w.kind == WarningKind::NoSettlementsOnDay).collect::<Vec<_>>();
    assert_eq!(gap.iter().map(|w| w.date).collect::<Vec<_>>(), [Some(d(2025, 1, 8))]);
    assert_eq!(gap[0].kind.severity(), Severity::DataGap);
    assert!(report.rows.iter().any(|r| r.date == d(2025, 1, 8)), "the gap is still a row");
    let front_warnings = report.warnings.iter().filter(|w| w.date == Some(d(2025, 1, 8)));
    assert_eq!(front_warnings.count(), 1, "one warning for the day, not one per symbol");
}

#[test]
fn settlements_price_every_candidate_whatever_the_recorded_source() {
    // Only two strikes traded on the roll day, but every strike settled.
    let feed = Feed { future_settles: ALWAYS, options_settle: ALWAYS, option_closes: |_, k| k == 6 || k == 8 };
    let report = run(&january_spec(PriceSource::Close), &january(&feed)).unwrap();
    let chosen = january_roll(&report).choice.clone().unwrap();
    assert!(chosen.in_band, "delta {}", chosen.delta);
    assert_eq!(chosen.quote.unwrap().basis, PriceBasis::Settlement);
    assert_eq!(chosen.priced.settlement, chosen.chain_size);
    let mut json = Vec::new();
    ExportFormat::Json.write(&report, &mut json).unwrap();
    let json = String::from_utf8(json).unwrap();
    assert!(json.contains(r#""price_basis": "settlement""#), "the manifest says how the pick was priced");
    assert!(json.contains(r#""candidates_priced""#));
}

#[test]
fn with_closes_only_a_recent_close_is_used_and_marked_stale() {
    // No settlements at all; every strike traded on 1/2, only those below 2.45 on 1/6.
    let feed = Feed { future_settles: |_| false, options_settle: |_| false, option_closes: |_, _| true };
    let market = filter_from(january(&feed), d(2025, 1, 6));
    let report = run(&january_spec(PriceSource::Close), &market).unwrap();
    let roll = january_roll(&report);
    assert_eq!(roll.date, Some(d(2025, 1, 6)), "the futures' bars start on 1/6");
    // The 0.15-delta strike (about 2.85) is priced by its 1/2 close, two trade dates old.
    let chosen = roll.choice.clone().unwrap();
    assert!(chosen.in_band, "delta {}", chosen.delta);
    assert_eq!(chosen.quote.unwrap().basis, PriceBasis::StaleClose);
    assert_eq!(chosen.quote.unwrap().date, d(2025, 1, 2));
    assert!(chosen.priced.stale_close > 0 && chosen.priced.close > 0, "{:?}", chosen.priced);
    let stale = report.warnings.iter().find(|w| w.kind.code() == "stale_pick").unwrap();
    assert_eq!((stale.date, stale.kind.severity()), (Some(d(2025, 1, 6)), Severity::DataGap));

    // With a window of one trade date the 1/2 closes are too old: the far strikes go
    // unpriced and the pick, near the money, is flagged outside the band.
    let mut strict = january_spec(PriceSource::Close);
    strict.stale_days = 1;
    let report = run(&strict, &market).unwrap();
    let chosen = january_roll(&report).choice.clone().unwrap();
    assert_eq!(chosen.priced.stale_close, 0);
    assert!(chosen.strike.value() < 2.45 && !chosen.in_band);
    assert!(report.warnings.iter().any(|w| w.kind.code() == "outside_band"));
}

/// `market` with the futures' bars only from `from` on (so January rolls there), and the
/// options' prices from `from` on, plus all of 1/2; on `from` only strikes below 2.45.
fn filter_from(market: MarketData, from: NaiveDate) -> MarketData {
    let mut b = MarketBuilder::new(market.product.clone(), market.provenance);
    for f in market.futures() {
        b.add_future_definition(f.symbol, f.expiration);
        let series = market.future_series(&f.symbol).filter(|(day, _)| *day >= from);
        b.add_series(Instrument::Future(f.symbol), series.collect::<Vec<_>>());
    }
    for o in market.options() {
        b.add_option_definition(o.symbol, o.underlying, o.strike, o.expiration);
        let kept =
            |day: &NaiveDate| (*day > from || *day == d(2025, 1, 2)) || (*day == from && o.strike.value() < 2.45);
        let series: Vec<_> = market.option_series(&o.symbol).filter(|(day, _)| kept(day)).collect();
        b.add_series(Instrument::Option(o.symbol), series);
    }
    b.build()
}

#[test]
fn strict_counts_only_data_gaps() {
    assert_eq!(WarningKind::OutsideBand { delta: 0.3, target: 0.15, band: 0.02 }.severity(), Severity::Note);
    assert_eq!(WarningKind::MissingFuturesPrice.severity(), Severity::DataGap);
    let json = serde_json::to_string(&deltaroll_core::warnings::Warning {
        date: None,
        symbol: None,
        kind: WarningKind::NoSettlementsOnDay,
    })
    .unwrap();
    assert_eq!(json, r#"{"date":null,"symbol":null,"severity":"data_gap","code":"no_settlements_on_day"}"#);
}

#[test]
fn historical_vol_runs_read_their_lookback() {
    let mut spec = RunSpec::new(d(2025, 3, 3), d(2025, 6, 30));
    assert_eq!(spec.data_start(), d(2025, 1, 1));
    spec.vol_source = deltaroll_core::spec::VolSource::Historical { days: 20 };
    assert!(spec.data_start() <= d(2024, 12, 1), "{}", spec.data_start());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// For any set of futures bars and settlements, rows are exactly the trade dates and
    /// Sunday sessions inside the data's span, and no roll falls on a holiday.
    #[test]
    fn rows_are_trade_dates_and_sunday_sessions(
        start in 0u32..3000,
        days in 20u32..200,
        bars in proptest::collection::vec(any::<bool>(), 200),
        settle in any::<bool>(),
    ) {
        let first = d(2012, 1, 1) + chrono::Days::new(u64::from(start));
        let product = ProductSpec::heating_oil();
        let mut b = MarketBuilder::new(product.clone(), Provenance::Files);
        let cme = CmeCalendar::new();
        let future = FuturesSymbol { root: product.futures_root, month: ContractMonth::of(first).add_months(12) };
        let mut sessions = Vec::new();
        for (i, day) in first.iter_days().take(days as usize).enumerate() {
            if !bars[i] || day.weekday() == Weekday::Sat {
                continue;
            }
            sessions.push(day);
            b.add_price(Instrument::Future(future), day, PriceSource::Close, px(2.0));
            if settle && cme.is_trade_date(day) {
                b.add_price(Instrument::Future(future), day, PriceSource::Settlement, px(2.0));
            }
        }
        let market = b.build();
        let Some((lo, hi)) = market.calendar().span() else { return Ok(()) };
        let sunday_bars = sessions.iter().any(|s| s.weekday() == Weekday::Sun);
        let expected: Vec<NaiveDate> = lo
            .iter_days()
            .take_while(|&x| x <= hi)
            .filter(|&x| match x.weekday() {
                Weekday::Sun if sunday_bars => sessions.contains(&x),
                Weekday::Sun => cme.has_sunday_session(x),
                _ => cme.is_trade_date(x),
            })
            .collect();
        prop_assert_eq!(market.calendar().rows_between(lo, hi), expected);
        let spec = RunSpec::new(lo, hi);
        let report = run(&spec, &market).unwrap();
        for roll in &report.rolls {
            if let Some(date) = roll.date {
                prop_assert!(cme.is_trade_date(date), "roll on {}", date);
            }
        }
        prop_assert!(report.rows.iter().all(|r| cme.holiday(r.date).is_none()));
    }
}
