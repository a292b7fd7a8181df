//! The demo market one run reads, built as a Databento fetch would bring it: every future,
//! each roll day's chains of the option types its legs hold on that day, and the chosen
//! options' series through expiry. A run on it gives the same rows, rolls and warnings as on the
//! whole demo market of its window (tests compare the exports), from a fraction of the
//! prices: the web app builds it on first load.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::profile::Profile;
use super::{demo_market, whole_market, DemoConfig, OptionMonth, Quoted, Simulation, DEMO_MAX_MONTHS_AHEAD};
use crate::calendar::TradingCalendar;
use crate::contract::{ContractMonth, OptionKind, OptionSymbol, StrikeCode};
use crate::market::{MarketBuilder, MarketData, Provenance};
use crate::product::ProductSpec;
use crate::spec::RunSpec;
use crate::strategy;

/// The demo market a run of `spec` reads (see the module doc). Falls back to the whole
/// market of [`DemoConfig::for_spec`] when a roll does not happen on its first trade date
/// with a choice (a chain not listed yet): then the subset could differ. A product the demo
/// does not have (custom roots, refused by front ends) gets HO's whole market.
pub fn demo_market_for(spec: &RunSpec) -> MarketData {
    let config = DemoConfig::for_spec(spec);
    let Some(profile) = Profile::of(&spec.product) else { return demo_market(&config) };
    let product = profile.product();
    if spec.max_months_ahead() > DEMO_MAX_MONTHS_AHEAD || !spec.validate().is_empty() {
        return whole_market(&config, profile);
    }
    let sim = Simulation::new(&config, profile);
    let mut builder = MarketBuilder::new(product.clone(), Provenance::SimulatedDemo);
    // The futures a row's front month or a roll's target can be: through month(end) + k,
    // and two months past the end for the front month of the last rows.
    let last_future = ContractMonth::of(spec.end).add_months(spec.max_months_ahead().max(2) as i32 + 1);
    sim.add_futures(&mut builder, &product, last_future);
    let plan = Plan::new(&sim, &product, spec, &builder.calendar());
    plan.add_chains(&sim, &product, &mut builder);
    let Ok(report) = strategy::run(spec, &builder.clone().build()) else { return whole_market(&config, profile) };
    let planned = |month| plan.roll_days.iter().find(|r| r.month == month).map(|r| r.day);
    if !report.rolls.iter().all(|roll| roll.choice.is_some() && roll.date == planned(roll.month)) {
        return whole_market(&config, profile);
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
