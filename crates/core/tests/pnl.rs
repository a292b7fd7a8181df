//! The P&L on a small hand-made market whose prices move on a few days only: every daily
//! P&L cell and the summary figures computed by hand, the identity of each option's P&L,
//! daily P&L summing to the cumulative, Sunday rows at 0.

#![allow(clippy::unwrap_used)]

mod support;

use chrono::{Datelike, NaiveDate, Weekday};
use deltaroll_core::calendar::cme::CmeCalendar;
use deltaroll_core::contract::{ContractMonth, FuturesSymbol, OptionSymbol};
use deltaroll_core::export::ExportFormat;
use deltaroll_core::market::{Instrument, MarketBuilder, MarketData, Price, PriceSource, Provenance};
use deltaroll_core::pnl::{HeldPnl, RowPrice, Terms};
use deltaroll_core::position::{Leg, Side};
use deltaroll_core::product::ProductSpec;
use deltaroll_core::report::Report;
use deltaroll_core::spec::RunSpec;
use deltaroll_core::strategy::run;
use deltaroll_core::warnings::{Severity, WarningKind};
use proptest::prelude::*;
use support::d;
use support::pnl_checks::{check_identities, close};

/// The January option: the only call on HOG5, expiring Fri 2025-01-24.
fn jan_option() -> OptionSymbol {
    support::call(&ProductSpec::heating_oil(), ContractMonth::new(2025, 2).unwrap(), 2.50)
}

/// The February option: the only call on HOH5, expiring Thu 2025-02-06.
fn feb_option() -> OptionSymbol {
    support::call(&ProductSpec::heating_oil(), ContractMonth::new(2025, 3).unwrap(), 2.60)
}

/// HOG5 (2.40, last trade 2025-01-31) and HOH5 (2.62, then 2.65 on 2/6 and 2.66 on 2/7),
/// each with one call, settling on every CME trade date from 2025-01-02 to 2025-02-07
/// (futures closes on Sundays too); the calls' settlements come from `option_price`.
fn market(option_price: impl Fn(OptionSymbol, NaiveDate) -> Option<f64>) -> MarketData {
    let product = ProductSpec::heating_oil();
    let mut b = MarketBuilder::new(product.clone(), Provenance::Files);
    let fut = |month| FuturesSymbol { root: product.futures_root, month: ContractMonth::new(2025, month).unwrap() };
    let (hog5, hoh5) = (fut(2), fut(3));
    b.add_future_definition(hog5, d(2025, 1, 31));
    b.add_future_definition(hoh5, d(2025, 2, 27));
    b.add_option_definition(jan_option(), hog5, Price::new(2.50).unwrap(), d(2025, 1, 24));
    b.add_option_definition(feb_option(), hoh5, Price::new(2.60).unwrap(), d(2025, 2, 6));
    let cme = CmeCalendar::new();
    for day in d(2025, 1, 2).iter_days().take_while(|&x| x <= d(2025, 2, 7)) {
        let trades = cme.is_trade_date(day);
        if !trades && day.weekday() != Weekday::Sun {
            continue;
        }
        let hoh5_price = if day == d(2025, 2, 6) {
            2.65
        } else if day == d(2025, 2, 7) {
            2.66
        } else {
            2.62
        };
        for (future, price) in [(hog5, 2.40), (hoh5, hoh5_price)] {
            if day > d(2025, 1, 31) && future == hog5 {
                continue;
            }
            let price = Price::new(price).unwrap();
            b.add_price(Instrument::Future(future), day, PriceSource::Close, price);
            if trades {
                b.add_price(Instrument::Future(future), day, PriceSource::Settlement, price);
            }
        }
        for option in [jan_option(), feb_option()] {
            if let Some(price) = option_price(option, day).filter(|_| trades) {
                b.add_price(Instrument::Option(option), day, PriceSource::Settlement, Price::new(price).unwrap());
            }
        }
    }
    b.build()
}

/// The hand-made prices: the January call from 0.03 on its roll day (Thu 1/2) to 0.035 on
/// 1/3, 0.025 from 1/10, 0.02 from 1/22 and 0.01 on its expiration (1/24); the February
/// call 0.04 on its roll day (Mon 2/3), 0.045, 0.03, then no price on its expiration (2/6).
fn hand_prices(option: OptionSymbol, day: NaiveDate) -> Option<f64> {
    if option == jan_option() {
        let steps = [(2, 0.03), (3, 0.035), (10, 0.025), (22, 0.02), (24, 0.01)];
        (day.month() == 1 && day.day() <= 24)
            .then(|| steps.iter().rev().find(|(from, _)| day.day() >= *from).map(|&(_, p)| p))
            .flatten()
    } else {
        match (day.month(), day.day()) {
            (1, 2..) => Some(0.04),
            (2, 3) => Some(0.04),
            (2, 4) => Some(0.045),
            (2, 5) => Some(0.03),
            _ => None,
        }
    }
}

/// January 2 to February 7, one month ahead, a fee of 1.50 USD per contract.
fn hand_spec() -> RunSpec {
    let mut spec = RunSpec::new(d(2025, 1, 2), d(2025, 2, 7));
    spec.months_ahead = 1;
    spec.fee = 1.5;
    spec
}

fn export(report: &Report, format: ExportFormat) -> String {
    let mut bytes = Vec::new();
    format.write(report, &mut bytes).unwrap();
    String::from_utf8(bytes).unwrap()
}

/// Every cell, by hand (42,000 gal per contract): OHG5 C25000 enters on 1/2 at 0.03 ×
/// 42,000 = 1,260 paying 1.50 (−1.5), +210 on 1/3 (0.035), −420 on 1/10 (0.025), −210 on
/// 1/22 (0.02), −420 on its expiration 1/24 (0.01): −841.5 in all. OHH5 C26000 enters on
/// 2/3 at 1,680 (−1.5), +210 on 2/4 (0.045), −630 on 2/5 (0.03), and on its expiration 2/6
/// has no price: its intrinsic value against HOH5 at 2.65 is 0.05, so 2,100 (+840): 418.5.
/// Sundays repeat Friday (0); no option is held from 1/25 to 2/2.
const HAND_PNL_CSV: &str = "\
date,long 1 call 0.15,total,cumulative
2025-01-02,-1.5,-1.5,-1.5
2025-01-03,210,210,208.5
2025-01-05,0,0,208.5
2025-01-06,0,0,208.5
2025-01-07,0,0,208.5
2025-01-08,0,0,208.5
2025-01-09,0,0,208.5
2025-01-10,-420,-420,-211.5
2025-01-12,0,0,-211.5
2025-01-13,0,0,-211.5
2025-01-14,0,0,-211.5
2025-01-15,0,0,-211.5
2025-01-16,0,0,-211.5
2025-01-17,0,0,-211.5
2025-01-19,0,0,-211.5
2025-01-21,0,0,-211.5
2025-01-22,-210,-210,-421.5
2025-01-23,0,0,-421.5
2025-01-24,-420,-420,-841.5
2025-01-26,0,0,-841.5
2025-01-27,0,0,-841.5
2025-01-28,0,0,-841.5
2025-01-29,0,0,-841.5
2025-01-30,0,0,-841.5
2025-01-31,0,0,-841.5
2025-02-02,0,0,-841.5
2025-02-03,-1.5,-1.5,-843
2025-02-04,210,210,-633
2025-02-05,-630,-630,-1263
2025-02-06,840,840,-423
2025-02-07,0,0,-423
";

#[test]
fn every_daily_pnl_cell_and_the_summary_match_the_hand_computation() {
    let report = run(&hand_spec(), &market(hand_prices)).unwrap();
    let symbols: Vec<String> = report.columns.iter().map(|c| c.symbol.to_string()).collect();
    assert_eq!(symbols, ["OHG5 C25000", "OHH5 C26000"]);
    assert_eq!(export(&report, ExportFormat::Pnl), HAND_PNL_CSV);
    // The rows are the wide CSV's.
    assert_eq!(export(&report, ExportFormat::Wide).lines().count(), HAND_PNL_CSV.lines().count());

    let s = &report.pnl.summary;
    assert!(close(s.total, -423.0), "{}", s.total);
    assert_eq!(s.by_year.len(), 1);
    assert!(s.by_year[0].year == 2025 && close(s.by_year[0].pnl, -423.0));
    // Peak 208.5 on 1/3, trough −1,263 on 2/5.
    assert!(close(s.max_drawdown, 1471.5), "{}", s.max_drawdown);
    assert_eq!((s.complete_rolls, s.winning_rolls, s.winning_share()), (2, 1, Some(0.5)));
    // (1,260 + 1,680) / 2.
    assert!(close(s.average_entry_premium.unwrap(), 1470.0));

    let [jan, feb] = &report.pnl.held[..] else { panic!("{:?}", report.pnl.held) };
    assert_eq!((jan.entry.date, jan.exit.date, jan.exit.price), (d(2025, 1, 2), d(2025, 1, 24), 0.01));
    assert!(close(jan.pnl, -841.5) && close(feb.pnl, 418.5));
    assert!(close(feb.exit.price, 0.05) && feb.exit.date == d(2025, 2, 6));
    assert!(!jan.carried_in && jan.expired && feb.complete());

    // The February call's exit at intrinsic is said once, as a note (the future's price is known).
    let expired: Vec<_> = report.warnings.iter().filter(|w| w.kind.code() == "expired_without_price").collect();
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].date, Some(d(2025, 2, 6)));
    assert_eq!(expired[0].symbol.as_deref(), Some("OHH5 C26000"));
    assert_eq!(expired[0].kind, WarningKind::ExpiredWithoutPrice { forward: Some(2.65) });
    assert_eq!(expired[0].kind.severity(), Severity::Note);

    let json: serde_json::Value = serde_json::from_str(&export(&report, ExportFormat::Json)).unwrap();
    let pnl = &json["pnl"];
    assert_eq!(pnl["total"], "-423");
    assert_eq!(pnl["max_drawdown"], "1471.5");
    assert_eq!(pnl["winning_share"], "0.5");
    assert_eq!(pnl["average_entry_premium"], "1470");
    assert_eq!(pnl["fee_per_contract"], "1.5");
    assert_eq!(pnl["by_year"][0]["pnl"], "-423");
    assert_eq!(pnl["legs"][0]["label"], "long 1 call 0.15");
    let feb_roll = &pnl["rolls"][1];
    assert_eq!(feb_roll["month"], "2025-02");
    assert_eq!(feb_roll["option"], "OHH5 C26000");
    assert_eq!((&feb_roll["entry_date"], &feb_roll["entry_value"]), (&"2025-02-03".into(), &"1680".into()));
    assert_eq!((&feb_roll["exit_date"], &feb_roll["exit_value"]), (&"2025-02-06".into(), &"2100".into()));
    assert_eq!((&feb_roll["fees"], &feb_roll["pnl"]), (&"1.5".into(), &"418.5".into()));
    assert_eq!(json["spec"]["fee"], 1.5);
}

#[test]
fn without_a_fee_the_entry_day_is_flat() {
    let mut spec = hand_spec();
    spec.fee = 0.0;
    let report = run(&spec, &market(hand_prices)).unwrap();
    let csv = export(&report, ExportFormat::Pnl);
    assert!(csv.contains("\n2025-01-02,0,0,0\n") && csv.contains("\n2025-02-03,0,0,-840\n"), "{csv}");
    assert!(close(report.pnl.summary.total, -420.0));
}

#[test]
fn the_hand_market_keeps_every_identity() {
    let market = market(hand_prices);
    check_identities(&run(&hand_spec(), &market).unwrap(), &market);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Any price path, any fee, any missing prices: each option's P&L is side × qty × size ×
    /// (expiration value − roll-day value) − fees, its days sum to it, the days' totals sum
    /// to the cumulative, and Sundays are flat.
    #[test]
    fn pnl_identities_hold_on_any_price_path(
        prices in proptest::collection::vec(0.005f64..0.2, 80),
        gaps in proptest::collection::vec(any::<bool>(), 80),
        fee in 0.0f64..10.0,
    ) {
        let price = |option: OptionSymbol, day: NaiveDate| {
            let i = (day - d(2025, 1, 1)).num_days() as usize + if option == jan_option() { 0 } else { 40 };
            // Roll days keep the hand-made prices, so the options are chosen.
            if day == d(2025, 1, 2) || day == d(2025, 2, 3) {
                return hand_prices(option, day);
            }
            (!gaps[i]).then_some(prices[i])
        };
        let mut spec = hand_spec();
        spec.fee = fee;
        let market = market(price);
        let report = run(&spec, &market).unwrap();
        prop_assert_eq!(report.pnl.held.len(), 2);
        check_identities(&report, &market);
    }

    /// Either side and any quantity: the same identity, row by row.
    #[test]
    fn held_pnl_identity_for_either_side(
        short in any::<bool>(),
        quantity in 1u32..20,
        prices in proptest::collection::vec(proptest::option::of(0.0f64..1.0), 1..40),
        fee in 0.0f64..5.0,
    ) {
        let side = if short { Side::Short } else { Side::Long };
        let leg = Leg { side, quantity, ..Leg::default() };
        let terms = Terms { column: 0, leg: 0, position: &leg, contract_size: 42_000.0, fee_per_contract: fee };
        let rows: Vec<RowPrice> = prices
            .iter()
            .enumerate()
            .map(|(row, &price)| RowPrice { row, date: d(2025, 1, 1) + chrono::Days::new(row as u64), price })
            .collect();
        let Some(held) = HeldPnl::new(&terms, &rows, false, true) else {
            prop_assert!(prices.iter().all(Option::is_none));
            return Ok(());
        };
        let last = prices.iter().rev().find_map(|p| *p).unwrap();
        let first = prices.iter().find_map(|p| *p).unwrap();
        let identity = side.sign() * f64::from(quantity) * 42_000.0 * (last - first) - fee * f64::from(quantity);
        prop_assert!(close(held.pnl, identity));
        prop_assert!(close(held.daily.iter().sum::<f64>(), identity));
        prop_assert_eq!(held.exit.date, rows.last().unwrap().date);
    }
}
