//! Each product's demo market against its profile: price level, tick and strike grids,
//! listing, expiry rule, and the level and skew of its implied vols.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;

use super::profile::Profile;
use super::{whole_market, DemoConfig, DEMO_MAX_MONTHS_AHEAD};
use crate::calendar::TradingCalendar;
use crate::contract::OptionKind;
use crate::market::{MarketData, PriceSource, Provenance};
use crate::product::ProductSpec;
use crate::spec::RunSpec;
use crate::strategy;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn profiles() -> impl Iterator<Item = &'static Profile> {
    Profile::codes().map(|code| Profile::of(&ProductSpec::preset(code).unwrap()).unwrap())
}

/// The market of 2024 (plus the demo's lead-in months) of `profile`.
fn market(profile: &'static Profile) -> MarketData {
    whole_market(&DemoConfig { start: d(2024, 1, 1), end: d(2024, 12, 31), ..DemoConfig::default() }, profile)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn on_grid(value: f64, per_unit: f64) -> bool {
    let units = value * per_unit;
    (units - units.round()).abs() < 1e-6
}

#[test]
fn every_products_market_has_its_level_ticks_strikes_listing_and_expiries() {
    let rules = TradingCalendar::default();
    for profile in profiles() {
        let code = profile.code;
        let market = market(profile);
        let product = profile.product();
        assert_eq!((market.provenance, &market.product), (Provenance::SimulatedDemo, &product));
        let (first, _) = market.calendar().span().unwrap();
        let mut fronts = Vec::new();
        for future in market.futures() {
            let rule = product.expiry_rule;
            assert_eq!(future.expiration, rule.future_expiry(&rules, future.symbol.month), "{code}");
            let series: Vec<_> = market.future_series(&future.symbol).collect();
            let listed = future.symbol.month.add_months(-profile.futures_listing_months).first_day().max(first);
            let opened = series.first().unwrap().0;
            assert!(opened >= listed && (opened - listed).num_days() < 5, "{code} {}: {opened}", future.symbol);
            for (date, prices) in &series {
                let price = prices.get(PriceSource::Settlement).or(prices.get(PriceSource::Close)).unwrap();
                assert!(on_grid(price.value(), profile.ticks_per_unit), "{code}: {price:?} off the tick");
                if market.front_month(*date).is_some_and(|f| f.symbol == future.symbol) {
                    fronts.push(price.value());
                }
            }
        }
        let level = median(fronts);
        assert!(level > profile.mean_price / 2.0 && level < profile.mean_price * 2.0, "{code}: front at {level}");
        let fine = f64::from(profile.strike_steps.0) / 100.0;
        for option in market.options() {
            let strike = option.strike.value();
            assert!(on_grid(strike / fine, 1.0), "{code}: strike {strike} off the {fine} grid");
            let coded = option.symbol.strike_code.to_price(product.strike_units_per_price);
            assert!((coded - strike).abs() < 1e-9, "{code}: {} is not {strike}", option.symbol);
            let future_expiry = market.future(&option.underlying).unwrap().expiration;
            assert_eq!(option.expiration, product.expiry_rule.option_expiry(&rules, future_expiry), "{code}");
            let listed = option.symbol.month.add_months(-(DEMO_MAX_MONTHS_AHEAD as i32)).first_day();
            assert!(market.option_series(&option.symbol).next().unwrap().0 >= listed, "{code}");
        }
    }
}

#[test]
fn implied_vols_sit_at_each_products_level_with_its_skew() {
    let mut levels = Vec::new();
    for profile in profiles() {
        let code = profile.code;
        let market = market(profile);
        let mut spec = RunSpec::new(d(2024, 1, 1), d(2024, 12, 31));
        spec.product = profile.product();
        let mut ivs = |kind| {
            spec.kind = kind;
            let report = strategy::run(&spec, &market).unwrap();
            assert!(report.rolls.iter().all(|r| r.choice.as_ref().is_some_and(|c| c.in_band)), "{code} {kind:?}");
            median(report.rolls.iter().filter_map(|r| r.choice.as_ref().map(|c| c.iv)).collect())
        };
        let (call, put) = (ivs(OptionKind::Call), ivs(OptionKind::Put));
        let level = (call + put) / 2.0;
        let target = profile.atm_vol_mean;
        assert!(level > target * 0.75 && level < target * 1.3, "{code}: IV {level} for a {target} profile");
        // The 0.15-delta wings: a call skew makes the call's vol the higher one.
        assert_eq!(call > put, profile.skew > 0.0, "{code}: call {call}, put {put}");
        levels.push((code, level));
    }
    let ng = levels.iter().find(|(c, _)| *c == "NG").unwrap().1;
    assert!(levels.iter().all(|&(c, l)| c == "NG" || l < ng), "NG has the highest vol: {levels:?}");
}

#[test]
fn natural_gas_winter_options_are_dearer_than_summer_ones() {
    let profile = Profile::of(&ProductSpec::preset("NG").unwrap()).unwrap();
    let market = market(profile);
    let mut spec = RunSpec::new(d(2024, 1, 1), d(2024, 12, 31));
    spec.product = profile.product();
    let report = strategy::run(&spec, &market).unwrap();
    let by_season = |months: [u32; 3]| {
        median(
            report
                .rolls
                .iter()
                .filter_map(|r| r.choice.as_ref())
                .filter(|c| months.contains(&c.symbol.month.month()))
                .map(|c| c.iv)
                .collect(),
        )
    };
    let (winter, summer) = (by_season([12, 1, 2]), by_season([6, 7, 8]));
    assert!(winter > summer * 1.1, "winter {winter}, summer {summer}");
}
