//! The realistic universe (`--universe realistic`): HO futures and OH options the size of
//! the real listing, June 2010 to December 2025, for measuring long runs.
//!
//! - futures: every month, each listed 48 months before its contract month (about 48 at a
//!   time), last trade by the product's rule on the CME calendar;
//! - options: every futures month, listed 36 months ahead; strikes every 0.05 USD/gal
//!   around the future's price at listing, 93 of them three years out widening to 201 in
//!   the front month (strikes are added as expiry nears, as CME does), calls and puts:
//!   about 10,000 options listed on a day;
//! - prices: a settlement every CME trade date for every listed contract (Black-76 for
//!   options, with a smile), futures closes on trade dates and Sunday sessions, option
//!   closes on about one day in four.
//!
//! Nothing but the instruments is kept: prices are computed from the date and contract
//! when a request asks for them, the same every time. Simulated, not real prices.

use chrono::{Datelike, NaiveDate};
use deltaroll_core::calendar::cme::CmeCalendar;
use deltaroll_core::calendar::TradingCalendar;
use deltaroll_core::contract::{ContractMonth, FuturesSymbol, OptionKind, OptionSymbol, StrikeCode};
use deltaroll_core::product::ProductSpec;

use crate::synthetic::{black76, tick};
use crate::universe::{DayPrices, FakeInstrument, PriceModel, Universe};

/// First session of the realistic universe (GLBX.MDP3's coverage starts 2010-06-06).
pub const FIRST_SESSION: NaiveDate = date(2010, 6, 7);
/// Last session of the realistic universe.
pub const LAST_SESSION: NaiveDate = date(2025, 12, 31);

/// Months a future is listed before its contract month.
const FUTURES_MONTHS_LISTED: i32 = 48;
/// Months an option month is listed before its contract month.
const OPTION_MONTHS_LISTED: i32 = 36;
/// Strike step, USD/gal.
const STRIKE_STEP: f64 = 0.05;
/// Strikes each side of the centre in the front month.
const FRONT_HALF_WIDTH: f64 = 100.0;
/// Strikes each side lost per month further out.
const HALF_WIDTH_PER_MONTH: f64 = 1.5;

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("not a date"),
    }
}

/// What prices an instrument: its contract month (options: the underlying's) and, for
/// options, the kind.
#[derive(Debug, Clone, Copy)]
struct Priced {
    month: ContractMonth,
    kind: Option<OptionKind>,
}

/// The prices of the realistic universe, computed on demand.
#[derive(Debug, Clone)]
struct Model {
    priced: Vec<Priced>,
    cme: CmeCalendar,
}

/// A number in `[-1, 1)` from `seed`, the same every time (splitmix64).
fn noise(seed: u64) -> f64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

/// Days since the first session.
fn day_number(d: NaiveDate) -> f64 {
    (d - FIRST_SESSION).num_days() as f64
}

/// The futures price of `month` on `d`, USD/gal: a wandering level (cycles of about eight
/// years, eighteen months and three months, and daily noise), a winter premium, and a
/// curve that flips between contango and backwardation.
fn futures_price(month: ContractMonth, d: NaiveDate) -> f64 {
    use std::f64::consts::TAU;
    let t = day_number(d);
    let level = 2.4
        + 0.9 * (TAU * t / 2900.0).sin()
        + 0.35 * (TAU * t / 530.0 + 1.0).sin()
        + 0.12 * (TAU * t / 97.0 + 2.0).sin()
        + 0.015 * noise(t as u64);
    let ahead = f64::from(month.months_since(ContractMonth::of(d)).max(0));
    let winter = 0.05 * (TAU * f64::from(month.month() - 1) / 12.0).cos();
    let curve = 0.008 * ahead * (t / 800.0).sin();
    tick((level + winter + curve).max(0.2))
}

impl PriceModel for Model {
    fn daily(&self, n: usize, i: &FakeInstrument, from: NaiveDate, to: NaiveDate) -> Vec<DayPrices> {
        let Priced { month, kind } = self.priced[n];
        let first = from.max(i.listed).max(FIRST_SESSION);
        let last = to.min(i.expiration).min(LAST_SESSION);
        let mut out = Vec::new();
        for d in first.iter_days().take_while(|d| *d <= last) {
            let trade_date = self.cme.is_trade_date(d);
            if !trade_date && !self.cme.has_sunday_session(d) {
                continue;
            }
            let f = futures_price(month, d);
            match (kind, i.strike) {
                (Some(kind), Some(k)) if trade_date => {
                    let t = (i.expiration - d).num_days().max(1) as f64 / 365.0;
                    let vol = 0.30 + 0.08 * (day_number(d) / 300.0).sin() + 0.25 * (k / f).ln().abs();
                    let settle = tick(black76(kind, f, k, t, vol, 0.03)).max(0.0001);
                    let traded = noise(u64::from(i.id) << 20 | d.num_days_from_ce() as u64) < -0.5;
                    out.push((d, (Some(settle), traded.then(|| tick(settle * 1.01)))));
                }
                (Some(_), _) => {}
                (None, _) => out.push((d, (trade_date.then_some(f), Some(tick(f + 0.0005))))),
            }
        }
        out
    }
}

/// The realistic universe (about 48 futures and 10,000 options listed each day).
pub fn realistic_universe() -> Universe {
    let product = ProductSpec::heating_oil();
    let calendar = TradingCalendar::default();
    let rule = product.expiry_rule;
    let (futures_parent, options_parent) = (product.futures_parent(), product.options_parent());
    let mut instruments = Vec::new();
    let mut priced = Vec::new();
    let first_month = ContractMonth::of(FIRST_SESSION);
    let last = ContractMonth::of(LAST_SESSION);
    for month in first_month.through(last.add_months(FUTURES_MONTHS_LISTED)) {
        let future = FuturesSymbol { root: product.futures_root, month };
        let expiration = rule.future_expiry(&calendar, month);
        if expiration < FIRST_SESSION {
            continue;
        }
        let listed = month.add_months(-FUTURES_MONTHS_LISTED).first_day();
        instruments.push(FakeInstrument {
            id: 0,
            raw: future.to_string(),
            class: b'F',
            strike: None,
            expiration,
            underlying: String::new(),
            listed,
            parent: futures_parent.clone(),
            asset: product.futures_root.to_string(),
        });
        priced.push(Priced { month, kind: None });
        if month > last.add_months(OPTION_MONTHS_LISTED) {
            continue;
        }
        let option_expiry = rule.option_expiry(&calendar, expiration);
        let opened = month.add_months(-OPTION_MONTHS_LISTED).first_day();
        let centre = (futures_price(month, opened) / STRIKE_STEP).round();
        let width = FRONT_HALF_WIDTH as i32;
        for j in -width..=width {
            let strike_steps = centre + f64::from(j);
            // Strikes are added as expiry nears: the widest only in the last months.
            let months_out = ((FRONT_HALF_WIDTH - f64::from(j.abs())) / HALF_WIDTH_PER_MONTH).floor() as i32;
            let listed = month.add_months(-months_out.min(OPTION_MONTHS_LISTED)).first_day();
            if strike_steps < 1.0 || listed > option_expiry {
                continue;
            }
            let strike = strike_steps * STRIKE_STEP;
            for kind in [OptionKind::Call, OptionKind::Put] {
                let symbol = OptionSymbol {
                    root: product.options_root,
                    month,
                    kind,
                    strike_code: StrikeCode::from_price(strike, product.strike_units_per_price),
                };
                instruments.push(FakeInstrument {
                    id: 0,
                    raw: symbol.to_string(),
                    class: kind.letter() as u8,
                    strike: Some(strike),
                    expiration: option_expiry,
                    underlying: future.to_string(),
                    listed,
                    parent: options_parent.clone(),
                    asset: product.options_root.to_string(),
                });
                priced.push(Priced { month, kind: Some(kind) });
            }
        }
    }
    let model = Model { priced, cme: CmeCalendar::new() };
    Universe::modelled(instruments, model, (FIRST_SESSION, LAST_SESSION))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::universe::ns_at;

    #[test]
    fn a_day_lists_every_month_and_about_ten_thousand_options_each_settled() {
        let universe = realistic_universe();
        let day = date(2015, 3, 2);
        let (start, end) = (ns_at(day, 0, 0), ns_at(day.succ_opt().unwrap(), 0, 0));
        let (options, _) = universe.select(dbn::SType::Parent, &["OH.OPT".to_owned()]);
        let defs = universe.definitions(&options, start, end);
        assert!((9_000..=11_000).contains(&defs.len()), "{} options listed", defs.len());
        let months: std::collections::BTreeSet<String> =
            defs.iter().map(|(_, n)| universe.get(*n).underlying.clone()).collect();
        assert_eq!(months.len(), 36, "36 consecutive option months: {months:?}");
        let (futures, _) = universe.select(dbn::SType::Parent, &["HO.FUT".to_owned()]);
        assert_eq!(universe.definitions(&futures, start, end).len(), 48);
        // Every listed option has that day's settlement (final, flags 3, after midnight).
        let next = ns_at(day.succ_opt().unwrap(), 23, 0);
        let finals = universe.statistics(&options, start, next).into_iter().filter(|(s, _)| s.stat_flags == 3);
        assert_eq!(finals.filter(|(s, _)| s.ts_ref == start).count(), defs.len());
    }

    #[test]
    fn prices_are_the_same_every_time_and_symbols_of_two_decades_resolve_apart() {
        let universe = realistic_universe();
        let (hoh5, _) = universe.select(dbn::SType::RawSymbol, &["HOH5".to_owned()]);
        assert_eq!(hoh5.len(), 2, "HOH5 of 2015 and of 2025");
        let window = |n: usize| universe.window(n, date(2024, 12, 1), date(2025, 1, 1));
        assert_eq!(hoh5.iter().filter(|&&n| window(n).is_some()).count(), 1);
        let (from, to) = (date(2025, 1, 1), date(2025, 1, 31));
        let a = universe.bars(&hoh5, ns_at(from, 0, 0), ns_at(to, 0, 0));
        assert_eq!(a, universe.bars(&hoh5, ns_at(from, 0, 0), ns_at(to, 0, 0)));
        assert!(a.len() >= 20, "a bar every session: {}", a.len());
    }
}
