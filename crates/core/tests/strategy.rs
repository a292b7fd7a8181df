//! The strategy on a small hand-built market whose option prices come from Black-76 at a
//! known vol: selection invariants, the tie rule, no look-ahead, holding windows, Sunday
//! rows, determinism and the warnings for gaps.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use deltaroll_core::contract::{ContractMonth, OptionKind, OptionSymbol};
use deltaroll_core::export::ExportFormat;
use deltaroll_core::market::{Instrument, MarketBuilder, MarketData, Price, PriceSource, Provenance};
use deltaroll_core::pricing::{
    Black76, Black76Inputs, Black76Model, DeltaConvention, IvError, IvQuery, OptionModel, PricingError,
};
use deltaroll_core::product::ProductSpec;
use deltaroll_core::select::year_fraction;
use deltaroll_core::spec::RunSpec;
use deltaroll_core::strategy::{run, run_with_model};
use deltaroll_core::warnings::WarningKind;
use support::d;

const VOL: f64 = 0.4;
const RATE: f64 = 0.04;

fn px(v: f64) -> Price {
    Price::new(v).unwrap()
}

/// Futures HOF2..HOM2 at a gently rising price, calls from 2.00 to 4.00 every 0.05 priced
/// by Black-76 at 40% vol; settlements on weekdays, a close on Sundays too.
fn tiny_market(skip: impl Fn(&OptionSymbol, NaiveDate) -> bool) -> MarketData {
    let product = ProductSpec::heating_oil();
    let mut b = MarketBuilder::new(product.clone(), Provenance::SimulatedDemo);
    let months: Vec<ContractMonth> =
        ContractMonth::new(2021, 12).unwrap().through(ContractMonth::new(2022, 8).unwrap()).collect();
    let mut day = d(2021, 10, 1);
    while day <= d(2022, 4, 30) {
        let weekday = day.weekday();
        if weekday != Weekday::Sat {
            let level = 2.5 + 0.001 * (day - d(2021, 10, 1)).num_days() as f64;
            for &month in &months {
                let f = level + 0.01 * month.month() as f64;
                let sources: &[PriceSource] = if weekday == Weekday::Sun {
                    &[PriceSource::Close]
                } else {
                    &[PriceSource::Close, PriceSource::Settlement]
                };
                let Some((fut, option_expiry)) = support::toy_future(&mut b, &product, month, day, f, sources) else {
                    continue;
                };
                for k in 0..=40 {
                    let strike = 2.0 + 0.05 * k as f64;
                    let symbol = support::call(&product, month, strike);
                    b.add_option_definition(symbol, fut, px(strike), option_expiry);
                    if day > option_expiry || weekday == Weekday::Sun || skip(&symbol, day) {
                        continue;
                    }
                    let price = support::model_call_price(f, strike, day, option_expiry);
                    b.add_price(Instrument::Option(symbol), day, PriceSource::Settlement, px(price));
                }
            }
        }
        day += Duration::days(1);
    }
    b.build()
}

fn sample_spec() -> RunSpec {
    RunSpec::new(d(2021, 12, 1), d(2022, 3, 31))
}

#[test]
fn each_roll_picks_the_strike_with_delta_closest_to_target() {
    let market = tiny_market(|_, _| false);
    let spec = sample_spec();
    let report = run(&spec, &market).unwrap();
    assert_eq!(report.rolls.len(), 6, "Oct 2021 .. Mar 2022");
    for roll in &report.rolls {
        let date = roll.date.unwrap();
        assert_eq!(roll.target.month, roll.month.add_months(2));
        let chosen = roll.choice.as_ref().unwrap();
        assert!((chosen.iv - VOL).abs() < 1e-9, "implied vol recovers the pricing vol");
        assert!(chosen.in_band, "a 0.05 strike grid has a strike within 0.02 of 0.15");
        // Brute force over the chain: no strike is closer to the target.
        for option in market.chain(&roll.target, OptionKind::Call).filter(|o| o.expiration > date) {
            let inputs = Black76Inputs {
                forward: chosen.forward.value(),
                strike: option.strike.value(),
                time: year_fraction(date, option.expiration),
                vol: VOL,
                rate: RATE,
                kind: OptionKind::Call,
            };
            let delta = Black76::new(inputs).unwrap().delta(DeltaConvention::Discounted);
            assert!(
                (delta - 0.15).abs() >= (chosen.delta - 0.15).abs() - 1e-9,
                "{} beats {}",
                option.symbol,
                chosen.symbol
            );
        }
    }
}

#[test]
fn options_chosen_before_start_appear_and_columns_span_selection_to_expiry() {
    let market = tiny_market(|_, _| false);
    let report = run(&sample_spec(), &market).unwrap();
    let names: Vec<String> = report.columns.iter().map(|c| c.symbol.to_string()).collect();
    let heads: Vec<&str> = names.iter().map(|n| &n[..4]).collect();
    // The October roll's OHZ1 expires before December: no column. November's OHF2 does.
    assert_eq!(heads, ["OHF2", "OHG2", "OHH2", "OHJ2", "OHK2"]);
    for (i, column) in report.columns.iter().enumerate() {
        for row in &report.rows {
            let held = row.held[i].is_some();
            assert_eq!(held, (column.from..=column.until).contains(&row.date), "{} on {}", column.symbol, row.date);
        }
    }
    // Consecutive options overlap: the next is chosen before the previous expires.
    for pair in report.columns.windows(2) {
        assert!(pair[1].from < pair[0].until, "{} and {} overlap", pair[0].symbol, pair[1].symbol);
    }
    assert!(report.rows.iter().all(|r| r.date >= d(2021, 12, 1) && r.date <= d(2022, 3, 31)));
}

#[test]
fn sunday_rows_repeat_the_friday_settlement() {
    let market = tiny_market(|_, _| false);
    let report = run(&sample_spec(), &market).unwrap();
    let sunday = report.rows.iter().find(|r| r.date == d(2022, 1, 9)).unwrap();
    let friday = report.rows.iter().find(|r| r.date == d(2022, 1, 7)).unwrap();
    for (s, f) in sunday.held.iter().zip(&friday.held) {
        assert_eq!(s.as_ref().map(|h| (h.price, h.price_date)), f.as_ref().map(|h| (h.price, h.price_date)));
    }
    assert!(report.warnings.iter().all(|w| w.kind != WarningKind::MissingOptionPrice), "{:?}", report.warnings);
}

#[test]
fn selection_uses_no_prices_after_the_roll_date() {
    let full = tiny_market(|_, _| false);
    // Remove every option price after each roll date's week: selections must not change.
    let truncated = tiny_market(|_, day| day.day() > 7);
    let a = run(&sample_spec(), &full).unwrap();
    let b = run(&sample_spec(), &truncated).unwrap();
    let picks = |r: &deltaroll_core::report::Report| r.rolls.iter().map(|r| r.choice.clone()).collect::<Vec<_>>();
    assert_eq!(picks(&a), picks(&b));
}

#[test]
fn same_input_gives_the_same_bytes() {
    let market = tiny_market(|_, _| false);
    let bytes = |format: ExportFormat| {
        let mut out = Vec::new();
        format.write(&run(&sample_spec(), &market).unwrap(), &mut out).unwrap();
        out
    };
    for format in [ExportFormat::Wide, ExportFormat::Tidy, ExportFormat::Json] {
        assert_eq!(bytes(format), bytes(format));
    }
    let wide = String::from_utf8(bytes(ExportFormat::Wide)).unwrap();
    assert!(wide.starts_with("timestamp,Futures_Price,OHF2 C"), "{}", &wide[..60]);
    assert!(wide.lines().nth(1).unwrap().starts_with("12/1/21,"));
}

#[test]
fn gaps_become_warnings_not_silence() {
    let market = tiny_market(|s, day| s.month == ContractMonth::new(2022, 4).unwrap() || day == d(2022, 1, 12));
    let report = run(&sample_spec(), &market).unwrap();
    let feb = report.rolls.iter().find(|r| r.month == ContractMonth::new(2022, 2).unwrap()).unwrap();
    assert!(feb.choice.is_none());
    let codes: Vec<&str> = report.warnings.iter().map(|w| w.kind.code()).collect();
    assert!(codes.contains(&"empty_chain"), "{codes:?}");
    let gap = report.warnings.iter().find(|w| w.date == Some(d(2022, 1, 12))).unwrap();
    assert_eq!(gap.kind, WarningKind::MissingOptionPrice);
    assert!(gap.to_string().contains("2022-01-12"));
}

/// A model whose delta is set by the strike, to make exact ties.
struct StepDelta;

impl OptionModel for StepDelta {
    fn name(&self) -> &'static str {
        "step"
    }
    fn price(&self, i: &Black76Inputs) -> Result<f64, PricingError> {
        Black76Model.price(i)
    }
    fn implied_vol(&self, q: &IvQuery) -> Result<f64, IvError> {
        Black76Model.implied_vol(q)
    }
    fn delta(&self, i: &Black76Inputs, _: DeltaConvention) -> Result<f64, PricingError> {
        // 0.0625 and 0.1875 are equally far from 0.125, exactly.
        Ok(if i.strike < 3.0 { 0.1875 } else { 0.0625 })
    }
}

#[test]
fn ties_go_to_the_higher_strike_for_calls() {
    let market = tiny_market(|s, _| !matches!(s.strike_code.to_string().as_str(), "29500" | "30000"));
    let mut spec = sample_spec();
    spec.target_delta = 0.125;
    let report = run_with_model(&spec, &market, &StepDelta).unwrap();
    for roll in &report.rolls {
        assert_eq!(roll.choice.as_ref().unwrap().symbol.strike_code.to_string(), "30000");
    }
}

#[test]
fn invalid_specs_are_refused_with_reasons() {
    let market = tiny_market(|_, _| false);
    let mut spec = sample_spec();
    spec.target_delta = 0.0;
    let errors = run(&spec, &market).unwrap_err();
    assert!(errors[0].message.contains("between 0 and 1"));
}

#[test]
fn chain_wide_vol_sources_agree_with_own_prices_on_a_flat_smile() {
    use deltaroll_core::spec::VolSource;
    let market = tiny_market(|_, _| false);
    let own = run(&sample_spec(), &market).unwrap();
    let mut spec = sample_spec();
    spec.vol_source = VolSource::AtmImplied;
    let atm = run(&spec, &market).unwrap();
    for (a, b) in own.rolls.iter().zip(&atm.rolls) {
        let (a, b) = (a.choice.as_ref().unwrap(), b.choice.as_ref().unwrap());
        assert_eq!(a.symbol, b.symbol);
        assert!((b.iv - VOL).abs() < 1e-9);
    }
}

#[test]
fn historical_vol_reads_only_past_futures_prices() {
    use deltaroll_core::spec::VolSource;
    let market = tiny_market(|_, _| false);
    let mut spec = sample_spec();
    spec.vol_source = VolSource::Historical { days: 20 };
    let report = run(&spec, &market).unwrap();
    // The October 2021 roll has no earlier sessions in the data: no vol, a warning.
    assert!(report.rolls[0].choice.is_none());
    assert!(report.warnings.iter().any(|w| w.kind.code() == "empty_chain" && w.date == Some(d(2021, 10, 1))));
    for roll in &report.rolls[1..] {
        let chosen = roll.choice.as_ref().unwrap();
        // The tiny market's futures rise 0.001 a day: log returns of about 0.0004, a
        // realised vol far below the options' 40%.
        assert!(chosen.iv > 0.0 && chosen.iv < 0.05, "{}", chosen.iv);
        // With so little vol, deltas jump from ~1 to ~0 between strikes: a pick outside the
        // band must come with a warning.
        let warned = report.warnings.iter().any(|w| w.date == roll.date && w.kind.code() == "outside_band");
        assert!(chosen.in_band || warned, "{}", roll.month);
    }
}
