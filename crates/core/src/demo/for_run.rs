//! The demo market one run reads, built as a Databento fetch would bring it: every future,
//! each roll day's chains of the option types its legs hold on that day, and the chosen
//! options' series through expiry. A run on it gives the same rows, rolls and warnings as on the
//! whole demo market of its window (tests compare the exports), from a fraction of the
//! prices: the web app builds it on first load.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{demo_factor, demo_market, DemoConfig, OptionMonth, Quoted, Simulation, DEMO_MAX_MONTHS_AHEAD};
use crate::calendar::TradingCalendar;
use crate::contract::{ContractMonth, FuturesSymbol, OptionKind, OptionSymbol, StrikeCode};
use crate::market::{DailyPrices, Instrument, MarketBuilder, MarketData, Price, Provenance};
use crate::product::ProductSpec;
use crate::spec::RunSpec;
use crate::strategy;

/// The demo market a run of `spec` reads (see the module doc). Falls back to the whole
/// market of [`DemoConfig::for_spec`] when a roll does not happen on its first trade date
/// with a choice (a chain not listed yet, another product): then the subset could differ.
pub fn demo_market_for(spec: &RunSpec) -> MarketData {
    let config = DemoConfig::for_spec(spec);
    if let Some(factor) = demo_factor(&spec.product).filter(|_| spec.product != ProductSpec::heating_oil()) {
        return scaled(&demo_market(&config), &spec.product, factor);
    }
    let product = ProductSpec::heating_oil();
    let same_product =
        (spec.product.futures_root, spec.product.options_root) == (product.futures_root, product.options_root);
    if !same_product || spec.max_months_ahead() > DEMO_MAX_MONTHS_AHEAD || !spec.validate().is_empty() {
        return demo_market(&config);
    }
    let sim = Simulation::new(&config);
    let mut builder = MarketBuilder::new(product.clone(), Provenance::SimulatedDemo);
    // The futures a row's front month or a roll's target can be: through month(end) + k,
    // and two months past the end for the front month of the last rows.
    let last_future = ContractMonth::of(spec.end).add_months(spec.max_months_ahead().max(2) as i32 + 1);
    sim.add_futures(&mut builder, &product, last_future);
    let plan = Plan::new(&sim, &product, spec, &builder.calendar());
    plan.add_chains(&sim, &product, &mut builder);
    let Ok(report) = strategy::run(spec, &builder.clone().build()) else { return demo_market(&config) };
    let planned = |month| plan.roll_days.iter().find(|r| r.month == month).map(|r| r.day);
    if !report.rolls.iter().all(|roll| roll.choice.is_some() && roll.date == planned(roll.month)) {
        return demo_market(&config);
    }
    for symbol in report.rolls.iter().filter_map(|r| r.choice.as_ref().map(|c| c.symbol)) {
        plan.add_held(&sim, &product, &mut builder, &symbol);
    }
    builder.build()
}

/// One chain a roll reads: on the first trade date of `month`, the options of type `kind`
/// on the future of month `target`.
#[derive(Clone, Copy, PartialEq)]
struct RollChain {
    month: ContractMonth,
    day: NaiveDate,
    target: ContractMonth,
    kind: OptionKind,
}

/// What the run reads: the roll days and, for each, the chains its legs choose from.
struct Plan {
    /// Each leg's roll chains, each chain once, in roll order.
    roll_days: Vec<RollChain>,
    /// The option months, listed once.
    chains: BTreeMap<ContractMonth, OptionMonth>,
}

impl Plan {
    /// The roll days of `spec`'s legs on `calendar` (the futures' calendar, the market's).
    fn new(sim: &Simulation, product: &ProductSpec, spec: &RunSpec, calendar: &TradingCalendar) -> Self {
        let mut roll_days: Vec<RollChain> = Vec::new();
        for leg in spec.legs() {
            let leg_spec = spec.for_leg(&leg);
            for month in leg_spec.roll_months() {
                let Some(day) = calendar.first_trading_day(month).filter(|day| *day <= sim.last) else { continue };
                let chain = RollChain { month, day, target: month.add_months(leg.months_ahead as i32), kind: leg.kind };
                if !roll_days.contains(&chain) {
                    roll_days.push(chain);
                }
            }
        }
        let chains = roll_days.iter().map(|r| (r.target, sim.option_month(product, r.target))).collect();
        Self { roll_days, chains }
    }

    /// Each roll day's chains of the legs' option types, quoted on that day only.
    fn add_chains(&self, sim: &Simulation, product: &ProductSpec, builder: &mut MarketBuilder) {
        for &RollChain { day, target, kind, .. } in &self.roll_days {
            let wanted = |s: &OptionSymbol| s.kind == kind;
            let Some(chain) = self.chains.get(&target) else { continue };
            let through_roll = &chain.days[..chain.days.partition_point(|d| d.date <= day)];
            // A strike worth a tick or more that day is quoted whatever came before; one
            // worth less only if it had a price before, so only then are the days before read.
            let on_day = through_roll.len().checked_sub(1).map_or(through_roll, |last| &through_roll[last..]);
            let quick = Quoted { days: on_day, only_on: Some(day), wanted: &wanted };
            let full = Quoted { days: through_roll, ..quick };
            for &strike in chain.strikes.iter().filter(|s| s.listed <= day) {
                if !sim.add_strike(builder, product, chain, strike, &quick) {
                    sim.add_strike(builder, product, chain, strike, &full);
                }
            }
        }
    }

    /// The whole series of a chosen option (its roll-day quote included again, unchanged).
    fn add_held(&self, sim: &Simulation, product: &ProductSpec, builder: &mut MarketBuilder, symbol: &OptionSymbol) {
        let Some(chain) = self.chains.get(&symbol.month) else { return };
        let quoted = Quoted { days: &chain.days, only_on: None, wanted: &|s| s == symbol };
        let code = |cents: u32| StrikeCode::from_price(f64::from(cents) / 100.0, product.strike_units_per_price);
        for &strike in chain.strikes.iter().filter(|s| code(s.cents) == symbol.strike_code) {
            sim.add_strike(builder, product, chain, strike, &quoted);
        }
    }
}

/// The demo market of another preset: HO's simulated market with every price and strike
/// times `factor` (so implied vols and deltas are HO's), the product's roots and strike
/// scale, and expirations by the product's own rules. Still [`Provenance::SimulatedDemo`].
fn scaled(ho: &MarketData, product: &ProductSpec, factor: f64) -> MarketData {
    let mut builder = MarketBuilder::new(product.clone(), Provenance::SimulatedDemo);
    let (calendar, rule) = (ho.calendar(), product.expiry_rule);
    let times = |p: Option<Price>| p.and_then(|p| Price::new(p.value() * factor));
    let scale = |(date, p): (NaiveDate, DailyPrices)| {
        (date, DailyPrices { settlement: times(p.settlement), close: times(p.close) })
    };
    let future = |s: FuturesSymbol| FuturesSymbol { root: product.futures_root, month: s.month };
    for f in ho.futures() {
        builder.add_future_definition(future(f.symbol), rule.future_expiry(calendar, f.symbol.month));
        builder.add_series(Instrument::Future(future(f.symbol)), ho.future_series(&f.symbol).map(scale));
    }
    for o in ho.options() {
        let Some(strike) = Price::new(o.strike.value() * factor) else { continue };
        let strike_code = StrikeCode::from_price(strike.value(), product.strike_units_per_price);
        let symbol = OptionSymbol { root: product.options_root, strike_code, ..o.symbol };
        let expiry = rule.option_expiry(calendar, rule.future_expiry(calendar, o.underlying.month));
        builder.add_option_definition(symbol, future(o.underlying), strike, expiry);
        builder.add_series(Instrument::Option(symbol), ho.option_series(&o.symbol).map(scale));
    }
    builder.build()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::market::PriceSource;

    /// Every preset's demo is HO's scaled: its roots and units, the same chains, and its
    /// own expiry rule; a run on it chooses options within the band as on HO.
    #[test]
    fn every_preset_has_a_demo_market_of_its_own() {
        let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
        let mut spec = RunSpec::new(d(1, 2), d(3, 31));
        let ho = demo_market(&DemoConfig::for_spec(&spec));
        for (code, factor) in [("CL", 25.0), ("NG", 1.5), ("RB", 0.9), ("BZ", 28.0)] {
            spec.product = ProductSpec::preset(code).unwrap();
            let market = demo_market_for(&spec);
            assert_eq!((market.provenance, &market.product), (Provenance::SimulatedDemo, &spec.product));
            assert_eq!(market.options().count(), ho.options().count(), "{code}");
            let (o, h) = (market.options().next().unwrap(), ho.options().next().unwrap());
            assert_eq!(o.symbol.root, spec.product.options_root);
            assert!((o.strike.value() - h.strike.value() * factor).abs() < 1e-9, "{code}");
            let strike = o.symbol.strike_code.to_price(spec.product.strike_units_per_price);
            assert!((strike - o.strike.value()).abs() < 1e-9, "{code}: the symbol's strike is the definition's");
            let future = market.futures().next().unwrap();
            assert_eq!(
                future.expiration,
                spec.product.expiry_rule.future_expiry(market.calendar(), future.symbol.month)
            );
            let (p, q) = (market.future_series(&future.symbol).next().unwrap().1, ho.futures().next().unwrap());
            let hp = ho.future_series(&q.symbol).next().unwrap().1;
            let (p, hp) = (p.get(PriceSource::Settlement).unwrap(), hp.get(PriceSource::Settlement).unwrap());
            assert!((p.value() - hp.value() * factor).abs() < 1e-9, "{code}");
            let report = strategy::run(&spec, &market).unwrap();
            assert!(report.rolls.iter().all(|r| r.choice.as_ref().is_some_and(|c| c.in_band)), "{code}");
        }
    }
}
