//! A small built-in market for the fake server: HO futures (Oct 2024 – Dec 2025 contracts)
//! and their OH options (23 strikes, calls and puts), priced every weekday from
//! September 2024 to June 2025 with Black-76, plus Sunday-evening futures bars. Simulated,
//! not real prices; replace it with the demo market through [`crate::MarketSource`].

use chrono::{Datelike, Days, NaiveDate, Weekday};
use deltaroll_core::contract::{ContractMonth, FuturesSymbol, OptionKind, OptionSymbol, StrikeCode};
use deltaroll_core::market::{Instrument, MarketBuilder, MarketData, Price, PriceSource, Provenance};
use deltaroll_core::product::ProductSpec;

/// First session of the synthetic market.
pub const FIRST_SESSION: NaiveDate = date(2024, 9, 2);
/// Last session of the synthetic market.
pub const LAST_SESSION: NaiveDate = date(2025, 6, 30);
/// A day of the first contract month listed.
const FIRST_CONTRACT: NaiveDate = date(2024, 10, 1);
/// A day of the last contract month listed.
const LAST_CONTRACT: NaiveDate = date(2025, 12, 1);

const HOLIDAYS: [NaiveDate; 5] =
    [date(2024, 11, 28), date(2024, 12, 25), date(2025, 1, 1), date(2025, 4, 18), date(2025, 5, 26)];

/// The date of a constant: evaluated when this compiles, so a day that does not exist
/// fails the build.
const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("not a date"),
    }
}

fn is_business_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !HOLIDAYS.contains(&d)
}

fn add_business_days(mut d: NaiveDate, n: i32) -> NaiveDate {
    let mut left = n.unsigned_abs();
    while left > 0 {
        d = if n > 0 { d.succ_opt() } else { d.pred_opt() }.unwrap_or(d);
        if is_business_day(d) {
            left -= 1;
        }
    }
    d
}

/// HO last trade: the last business day of the month before the contract month.
pub fn future_expiry(month: ContractMonth) -> NaiveDate {
    let mut d = month.add_months(-1).last_day();
    while !is_business_day(d) {
        d = d.pred_opt().unwrap_or(d);
    }
    d
}

/// OH expiry: three business days before the future's last trade.
pub fn option_expiry(month: ContractMonth) -> NaiveDate {
    add_business_days(future_expiry(month), -3)
}

/// Standard normal CDF (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7).
fn norm_cdf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs() / std::f64::consts::SQRT_2);
    let poly =
        t * (0.254_829_592 + t * (-0.284_496_736 + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-(x * x) / 2.0).exp();
    if x >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

/// Black-76 price of an option on a future.
pub(crate) fn black76(kind: OptionKind, f: f64, k: f64, t: f64, vol: f64, r: f64) -> f64 {
    let sd = vol * t.sqrt();
    let d1 = ((f / k).ln() + sd * sd / 2.0) / sd;
    let d2 = d1 - sd;
    let df = (-r * t).exp();
    match kind {
        OptionKind::Call => df * (f * norm_cdf(d1) - k * norm_cdf(d2)),
        OptionKind::Put => df * (k * norm_cdf(-d2) - f * norm_cdf(-d1)),
    }
}

pub(crate) fn tick(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

/// The futures price of `month` on `d` (USD/gal, on the 0.0001 tick).
fn futures_price(month: ContractMonth, d: NaiveDate) -> f64 {
    let days = (d - FIRST_SESSION).num_days() as f64;
    let curve = 0.015 * month.months_since(ContractMonth::of(FIRST_SESSION)) as f64;
    tick(2.30 + 0.12 * (days / 45.0).sin() + 0.0008 * days - curve * 0.4)
}

/// The synthetic market. Deterministic: the same data every call.
pub fn synthetic_market() -> MarketData {
    let product = ProductSpec::heating_oil();
    let mut b = MarketBuilder::new(product.clone(), Provenance::SimulatedDemo);
    let (first, last) = (FIRST_SESSION, LAST_SESSION);
    let months: Vec<ContractMonth> =
        ContractMonth::of(FIRST_CONTRACT).through(ContractMonth::of(LAST_CONTRACT)).collect();
    let strikes: Vec<f64> = (0..23).map(|i| 1.90 + 0.05 * f64::from(i)).collect();
    for &month in &months {
        let future = FuturesSymbol { root: product.futures_root, month };
        let f_exp = future_expiry(month);
        b.add_future_definition(future, f_exp);
        let o_exp = option_expiry(month);
        let listed = o_exp.checked_sub_days(Days::new(100)).unwrap_or(first);
        if listed > last {
            // Never traded inside the market's dates: not listed yet.
            continue;
        }
        for (i, &k) in strikes.iter().enumerate() {
            for kind in [OptionKind::Call, OptionKind::Put] {
                let symbol = OptionSymbol {
                    root: product.options_root,
                    month,
                    kind,
                    strike_code: StrikeCode::from_price(k, product.strike_units_per_price),
                };
                let Some(strike) = Price::new(k) else {
                    continue;
                };
                b.add_option_definition(symbol, future, strike, o_exp);
                let mut d = listed.max(first);
                while d <= o_exp.min(last) {
                    if is_business_day(d) {
                        let f = futures_price(month, d);
                        let t = ((o_exp - d).num_days().max(1)) as f64 / 365.0;
                        let vol = 0.32 + 0.15 * (k / f).ln().abs();
                        let px = tick(black76(kind, f, k, t, vol, 0.04)).max(0.0001);
                        add(&mut b, Instrument::Option(symbol), d, PriceSource::Settlement, px);
                        // Thinly traded: a trade close only on some days.
                        if (i + d.ordinal() as usize) % 3 == 0 {
                            add(&mut b, Instrument::Option(symbol), d, PriceSource::Close, tick(px * 1.01));
                        }
                    }
                    d = d.succ_opt().unwrap_or(d);
                }
            }
        }
    }
    let mut d = first;
    while d <= last {
        let sunday = d.weekday() == Weekday::Sun;
        if is_business_day(d) || sunday {
            for &month in &months {
                let f_exp = future_expiry(month);
                let listed = f_exp.checked_sub_days(Days::new(420)).unwrap_or(first);
                if d > f_exp || d < listed {
                    continue;
                }
                let future = Instrument::Future(FuturesSymbol { root: product.futures_root, month });
                let px = futures_price(month, d);
                if !sunday {
                    add(&mut b, future, d, PriceSource::Settlement, px);
                }
                add(&mut b, future, d, PriceSource::Close, tick(px + 0.0005));
            }
        }
        d = d.succ_opt().unwrap_or(d);
    }
    b.build()
}

fn add(b: &mut MarketBuilder, i: Instrument, d: NaiveDate, source: PriceSource, px: f64) {
    if let Some(p) = Price::new(px) {
        b.add_price(i, d, source, p);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_market_is_plausible() {
        let m = synthetic_market();
        assert_eq!(m.futures().count(), 15);
        assert_eq!(m.options().count(), 13 * 46, "Nov and Dec 2025 options list after June 2025");
        let cal = m.calendar();
        let jan = ContractMonth::new(2025, 1).unwrap();
        assert_eq!(cal.first_trading_day(jan), NaiveDate::from_ymd_opt(2025, 1, 2));
        assert!(cal.is_session(NaiveDate::from_ymd_opt(2025, 1, 5).unwrap()), "Sunday bar");
        assert_eq!(option_expiry(ContractMonth::new(2025, 3).unwrap()), NaiveDate::from_ymd_opt(2025, 2, 25).unwrap());
        let hoh5 = FuturesSymbol::parse("HOH5", NaiveDate::from_ymd_opt(2025, 1, 2).unwrap()).unwrap();
        let chain: Vec<_> = m.chain(&hoh5, OptionKind::Call).collect();
        assert_eq!(chain.len(), 23);
        let d = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
        let priced = chain.iter().filter(|o| m.option_price(&o.symbol, d, PriceSource::Settlement).is_some()).count();
        assert_eq!(priced, 23);
        assert!(black76(OptionKind::Call, 2.4, 2.4, 0.25, 0.3, 0.0) > 0.14);
        assert!((norm_cdf(0.0) - 0.5).abs() < 1e-7);
    }
}
