//! A short strangle on a small hand-made market: two legs (short one call, short two
//! puts), three rolls, prices that move on a few days only. Every daily P&L cell and the
//! summary figures computed by hand; the P&L identities with several legs on any price path.

#![allow(clippy::unwrap_used)]

mod support;

use chrono::{Datelike, NaiveDate, Weekday};
use deltaroll_core::calendar::cme::CmeCalendar;
use deltaroll_core::contract::{ContractMonth, FuturesSymbol, OptionKind, OptionSymbol, StrikeCode};
use deltaroll_core::export::ExportFormat;
use deltaroll_core::legs::parse_legs;
use deltaroll_core::market::{Instrument, MarketBuilder, MarketData, Price, PriceSource, Provenance};
use deltaroll_core::product::ProductSpec;
use deltaroll_core::report::Report;
use deltaroll_core::spec::RunSpec;
use deltaroll_core::strategy::run;
use proptest::prelude::*;
use support::d;
use support::pnl_checks::{check_identities, close};

/// The option of `kind` on the month-`month` 2025 future: calls struck at 2.60, puts at
/// 2.20, the only ones listed.
fn option(month: u32, kind: OptionKind) -> OptionSymbol {
    let product = ProductSpec::heating_oil();
    let strike = if kind == OptionKind::Call { 2.60 } else { 2.20 };
    OptionSymbol {
        root: product.options_root,
        month: ContractMonth::new(2025, month).unwrap(),
        kind,
        strike_code: StrikeCode::from_price(strike, product.strike_units_per_price),
    }
}

/// The options' expirations: the January roll's (on HOG5) Fri 1/10, February's (HOH5) Fri
/// 2/7, March's (HOJ5) Fri 3/7.
fn expiry(month: u32) -> NaiveDate {
    match month {
        2 => d(2025, 1, 10),
        3 => d(2025, 2, 7),
        _ => d(2025, 3, 7),
    }
}

/// HOG5, HOH5 and HOJ5 at 2.40 (HOJ5 at 2.15 on 3/7), settling on every CME trade date from
/// 2025-01-02 to 2025-03-07 (closes on Sundays too), each with one call and one put; the
/// options' settlements come from `option_price`.
fn market(option_price: impl Fn(OptionSymbol, NaiveDate) -> Option<f64>) -> MarketData {
    let product = ProductSpec::heating_oil();
    let mut b = MarketBuilder::new(product.clone(), Provenance::Files);
    let cme = CmeCalendar::new();
    let months = [(2, d(2025, 1, 31)), (3, d(2025, 2, 27)), (4, d(2025, 3, 31))];
    for (month, last_trade) in months {
        let future = FuturesSymbol { root: product.futures_root, month: ContractMonth::new(2025, month).unwrap() };
        b.add_future_definition(future, last_trade);
        for kind in [OptionKind::Call, OptionKind::Put] {
            let o = option(month, kind);
            let strike = o.strike_code.to_price(product.strike_units_per_price);
            b.add_option_definition(o, future, Price::new(strike).unwrap(), expiry(month));
        }
        for day in d(2025, 1, 2).iter_days().take_while(|&x| x <= d(2025, 3, 7).min(last_trade)) {
            let trades = cme.is_trade_date(day);
            if !trades && day.weekday() != Weekday::Sun {
                continue;
            }
            let price = Price::new(if day == d(2025, 3, 7) { 2.15 } else { 2.40 }).unwrap();
            b.add_price(Instrument::Future(future), day, PriceSource::Close, price);
            if !trades {
                continue;
            }
            b.add_price(Instrument::Future(future), day, PriceSource::Settlement, price);
            for kind in [OptionKind::Call, OptionKind::Put] {
                let o = option(month, kind);
                if let Some(p) = option_price(o, day).filter(|_| day <= expiry(month)) {
                    b.add_price(Instrument::Option(o), day, PriceSource::Settlement, Price::new(p).unwrap());
                }
            }
        }
    }
    b.build()
}

/// The hand-made settlements, each held from its date to the next (USD/gal); the March
/// put has none on its expiration.
fn hand_prices(o: OptionSymbol, day: NaiveDate) -> Option<f64> {
    let steps: &[((u32, u32), f64)] = match (o.month.month(), o.kind) {
        (2, OptionKind::Call) => &[((1, 2), 0.030), ((1, 6), 0.020), ((1, 10), 0.005)],
        (2, OptionKind::Put) => &[((1, 2), 0.025), ((1, 7), 0.040), ((1, 10), 0.010)],
        (3, OptionKind::Call) => &[((2, 3), 0.035), ((2, 5), 0.050), ((2, 7), 0.070)],
        (3, OptionKind::Put) => &[((2, 3), 0.030), ((2, 7), 0.001)],
        (4, OptionKind::Call) => &[((3, 3), 0.040), ((3, 4), 0.030), ((3, 7), 0.010)],
        (_, _) if day == d(2025, 3, 7) => return None,
        _ => &[((3, 3), 0.020), ((3, 5), 0.045)],
    };
    let at = |(m, dd): (u32, u32)| d(2025, m, dd);
    steps.iter().rev().find(|(from, _)| day >= at(*from)).map(|&(_, p)| p)
}

/// January 2 to March 7, one month ahead, short one call and short two puts at delta
/// 0.15, a fee of 1.50 USD per contract.
fn strangle() -> RunSpec {
    let mut spec = RunSpec::new(d(2025, 1, 2), d(2025, 3, 7));
    spec.months_ahead = 1;
    spec.fee = 1.5;
    spec.legs = parse_legs("short:call:0.15,short:put:0.15:1:2", 1).unwrap();
    spec
}

fn export(report: &Report, format: ExportFormat) -> String {
    let mut bytes = Vec::new();
    format.write(report, &mut bytes).unwrap();
    String::from_utf8(bytes).unwrap()
}

/// Every cell, by hand. A short call's position is −42,000 × its price, a short two puts'
/// −84,000 × theirs; each enters on its roll day paying 1.50 per contract (call −1.5, puts
/// −3), then moves by −42,000 (call) or −84,000 (puts) × the change of its price:
/// - January, OHG5 C26000: 0.030 → 0.020 on 1/6 (+420) → 0.005 on 1/10 (+630): 1,048.5.
///   OHG5 P22000: 0.025 → 0.040 on 1/7 (−1,260) → 0.010 on 1/10 (+2,520): 1,257.
/// - February, OHH5 C26000: 0.035 → 0.050 on 2/5 (−630) → 0.070 on 2/7 (−840): −1,471.5.
///   OHH5 P22000: 0.030 → 0.001 on 2/7 (+2,436): 2,433.
/// - March, OHJ5 C26000: 0.040 → 0.030 on 3/4 (+420) → 0.010 on 3/7 (+840): 1,258.5.
///   OHJ5 P22000: 0.020 → 0.045 on 3/5 (−2,100) → no price on 3/7, valued at its intrinsic
///   value against HOJ5 at 2.15, 2.20 − 2.15 = 0.05 (−420): −2,523.
///
/// Totals by day are the legs' sums; Sundays and days without a move are 0; nothing is
/// held from 1/11 to 2/2 nor from 2/8 to 3/2. The rows are the CME calendar's (no 1/20,
/// 2/17), as in the wide CSV.
const HAND_PNL_CSV: &str = "\
date,short 1 call 0.15,short 2 put 0.15,total,cumulative
2025-01-02,-1.5,-3,-4.5,-4.5
2025-01-03,0,0,0,-4.5
2025-01-05,0,0,0,-4.5
2025-01-06,420,0,420,415.5
2025-01-07,0,-1260,-1260,-844.5
2025-01-08,0,0,0,-844.5
2025-01-09,0,0,0,-844.5
2025-01-10,630,2520,3150,2305.5
2025-01-12,0,0,0,2305.5
2025-01-13,0,0,0,2305.5
2025-01-14,0,0,0,2305.5
2025-01-15,0,0,0,2305.5
2025-01-16,0,0,0,2305.5
2025-01-17,0,0,0,2305.5
2025-01-19,0,0,0,2305.5
2025-01-21,0,0,0,2305.5
2025-01-22,0,0,0,2305.5
2025-01-23,0,0,0,2305.5
2025-01-24,0,0,0,2305.5
2025-01-26,0,0,0,2305.5
2025-01-27,0,0,0,2305.5
2025-01-28,0,0,0,2305.5
2025-01-29,0,0,0,2305.5
2025-01-30,0,0,0,2305.5
2025-01-31,0,0,0,2305.5
2025-02-02,0,0,0,2305.5
2025-02-03,-1.5,-3,-4.5,2301
2025-02-04,0,0,0,2301
2025-02-05,-630,0,-630,1671
2025-02-06,0,0,0,1671
2025-02-07,-840,2436,1596,3267
2025-02-09,0,0,0,3267
2025-02-10,0,0,0,3267
2025-02-11,0,0,0,3267
2025-02-12,0,0,0,3267
2025-02-13,0,0,0,3267
2025-02-14,0,0,0,3267
2025-02-16,0,0,0,3267
2025-02-18,0,0,0,3267
2025-02-19,0,0,0,3267
2025-02-20,0,0,0,3267
2025-02-21,0,0,0,3267
2025-02-23,0,0,0,3267
2025-02-24,0,0,0,3267
2025-02-25,0,0,0,3267
2025-02-26,0,0,0,3267
2025-02-27,0,0,0,3267
2025-02-28,0,0,0,3267
2025-03-02,0,0,0,3267
2025-03-03,-1.5,-3,-4.5,3262.5
2025-03-04,420,0,420,3682.5
2025-03-05,0,-2100,-2100,1582.5
2025-03-06,0,0,0,1582.5
2025-03-07,840,-420,420,2002.5
";

#[test]
fn every_daily_pnl_cell_of_a_strangle_and_the_summary_match_the_hand_computation() {
    let market = market(hand_prices);
    let report = run(&strangle(), &market).unwrap();
    // Roll order, the legs in their order within each roll.
    let columns: Vec<(String, usize)> = report.columns.iter().map(|c| (c.symbol.to_string(), c.leg)).collect();
    let expected = [
        ("OHG5 C26000", 0),
        ("OHG5 P22000", 1),
        ("OHH5 C26000", 0),
        ("OHH5 P22000", 1),
        ("OHJ5 C26000", 0),
        ("OHJ5 P22000", 1),
    ];
    assert_eq!(columns, expected.map(|(s, leg)| (s.to_owned(), leg)));
    assert_eq!(export(&report, ExportFormat::Pnl), HAND_PNL_CSV);
    let wide = export(&report, ExportFormat::Wide);
    assert_eq!(wide.lines().count(), HAND_PNL_CSV.lines().count());
    assert!(wide.starts_with("timestamp,Futures_Price,OHG5 C26000,OHG5 P22000,OHH5 C26000,"), "{wide}");

    let s = &report.pnl.summary;
    // 1,048.5 + 1,257 − 1,471.5 + 2,433 + 1,258.5 − 2,523.
    assert!(close(s.total, 2002.5), "{}", s.total);
    assert!(s.by_year.len() == 1 && close(s.by_year[0].pnl, 2002.5));
    // From the peak 3,682.5 on 3/4 to 1,582.5 on 3/5.
    assert!(close(s.max_drawdown, 2100.0), "{}", s.max_drawdown);
    // All six expire inside the run; the February call and the March put lost.
    assert_eq!((s.complete_rolls, s.winning_rolls), (6, 4));
    // (1,260 + 2,100 + 1,470 + 2,520 + 1,680 + 1,680) / 6: 42,000 × the call's entry price,
    // 84,000 × the puts'.
    assert!(close(s.average_entry_premium.unwrap(), 1785.0));
    let per_option: Vec<f64> = report.pnl.held.iter().map(|h| h.pnl).collect();
    for (got, hand) in per_option.iter().zip([1048.5, 1257.0, -1471.5, 2433.0, 1258.5, -2523.0]) {
        assert!(close(*got, hand), "{per_option:?}");
    }
    check_identities(&report, &market);

    let json: serde_json::Value = serde_json::from_str(&export(&report, ExportFormat::Json)).unwrap();
    assert_eq!(json["pnl"]["total"], "2002.5");
    assert_eq!(json["pnl"]["legs"][1]["label"], "short 2 put 0.15");
    assert_eq!(json["pnl"]["legs"][1]["quantity"], 2);
    let march_put = &json["pnl"]["rolls"][5];
    assert_eq!(
        (&march_put["leg"], &march_put["month"], &march_put["option"]),
        (&2.into(), &"2025-03".into(), &"OHJ5 P22000".into())
    );
    assert_eq!((&march_put["entry_value"], &march_put["exit_value"]), (&"-1680".into(), &"-4200".into()));
    assert_eq!((&march_put["fees"], &march_put["pnl"]), (&"3".into(), &"-2523".into()));
    let rolls: Vec<(&str, u64)> = json["rolls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["month"].as_str().unwrap(), r["leg"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        rolls,
        [
            ("2024-12", 1),
            ("2024-12", 2),
            ("2025-01", 1),
            ("2025-01", 2),
            ("2025-02", 1),
            ("2025-02", 2),
            ("2025-03", 1),
            ("2025-03", 2)
        ]
    );
    let tidy = export(&report, ExportFormat::Tidy);
    assert!(tidy.starts_with("date,symbol,") && tidy.lines().next().unwrap().ends_with(",delta,leg"));
    assert!(tidy.lines().skip(1).all(|l| l.ends_with(if l.contains(" P22000") { ",2" } else { ",1" })), "{tidy}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any sides and quantities of the two legs, any price path, any missing prices, any
    /// fee: each option's P&L is side × qty × size × (expiration value − roll-day value) −
    /// fees, the legs' days sum to the total, the totals to the cumulative.
    #[test]
    fn pnl_identities_hold_with_several_legs(
        sides in proptest::collection::vec(any::<bool>(), 2),
        quantities in proptest::collection::vec(1u32..6, 2),
        prices in proptest::collection::vec(0.005f64..0.2, 140),
        gaps in proptest::collection::vec(any::<bool>(), 140),
        fee in 0.0f64..10.0,
    ) {
        let price = |o: OptionSymbol, day: NaiveDate| {
            // Roll days keep the hand-made prices, so the same options are chosen.
            if [d(2025, 1, 2), d(2025, 2, 3), d(2025, 3, 3)].contains(&day) {
                return hand_prices(o, day);
            }
            let i = (day - d(2025, 1, 1)).num_days() as usize + if o.kind == OptionKind::Put { 70 } else { 0 };
            (!gaps[i]).then_some(prices[i])
        };
        let side = |short: bool| if short { "short" } else { "long" };
        let legs = format!(
            "{}:call:0.15:1:{},{}:put:0.15:1:{}",
            side(sides[0]), quantities[0], side(sides[1]), quantities[1]
        );
        let mut spec = strangle();
        spec.legs = parse_legs(&legs, 1).unwrap();
        spec.fee = fee;
        let market = market(price);
        let report = run(&spec, &market).unwrap();
        prop_assert_eq!(report.pnl.held.len(), 6);
        prop_assert_eq!(report.pnl.days[0].legs.len(), 2);
        check_identities(&report, &market);
        for leg in 0..2 {
            let days: f64 = report.pnl.days.iter().map(|day| day.legs[leg]).sum();
            let held: f64 = report.pnl.held.iter().filter(|h| h.leg == leg).map(|h| h.pnl).sum();
            prop_assert!(close(days, held), "leg {leg}: {days} vs {held}");
        }
    }
}
