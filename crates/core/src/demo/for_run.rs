//! The demo market one run reads, built as a Databento fetch would bring it: every future,
//! each roll day's chain of the run's option type on that day, and the chosen options'
//! series through expiry. A run on it gives the same rows, rolls and warnings as on the
//! whole demo market of its window (tests compare the exports), from a fraction of the
//! prices: the web app builds it on first load.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{demo_market, DemoConfig, OptionMonth, Quoted, Simulation, DEMO_MAX_MONTHS_AHEAD};
use crate::contract::{ContractMonth, OptionSymbol, StrikeCode};
use crate::market::{MarketBuilder, MarketData, Provenance};
use crate::product::ProductSpec;
use crate::spec::RunSpec;
use crate::strategy;

/// The demo market a run of `spec` reads (see the module doc). Falls back to the whole
/// market of [`DemoConfig::for_spec`] when a roll does not happen on its first trade date
/// with a choice (a chain not listed yet, another product): then the subset could differ.
pub fn demo_market_for(spec: &RunSpec) -> MarketData {
    let config = DemoConfig::for_spec(spec);
    let product = ProductSpec::heating_oil();
    let same_product =
        (spec.product.futures_root, spec.product.options_root) == (product.futures_root, product.options_root);
    if !same_product || spec.months_ahead > DEMO_MAX_MONTHS_AHEAD || !spec.validate().is_empty() {
        return demo_market(&config);
    }
    let sim = Simulation::new(&config);
    let plan = Plan::new(&sim, &product, spec);
    let candidates = plan.build(&sim, &product, &[]);
    let Ok(report) = strategy::run(spec, &candidates) else { return demo_market(&config) };
    let rolled_as_planned = report.rolls.iter().all(|roll| {
        roll.choice.is_some()
            && roll.date == plan.roll_days.iter().find(|(m, _, _)| *m == roll.month).map(|(_, d, _)| *d)
    });
    if !rolled_as_planned {
        return demo_market(&config);
    }
    let held: Vec<OptionSymbol> = report.rolls.iter().filter_map(|r| r.choice.as_ref().map(|c| c.symbol)).collect();
    plan.build(&sim, &product, &held)
}

/// What the run reads: the roll days and, for each, the option month it chooses from.
struct Plan<'a> {
    spec: &'a RunSpec,
    /// (roll month, its first trade date, the option month of its candidates).
    roll_days: Vec<(ContractMonth, NaiveDate, ContractMonth)>,
    /// The option months, listed once.
    chains: BTreeMap<ContractMonth, OptionMonth>,
}

impl<'a> Plan<'a> {
    fn new(sim: &Simulation, product: &ProductSpec, spec: &'a RunSpec) -> Self {
        let futures = sim.futures_market(product);
        let calendar = futures.calendar();
        let roll_days: Vec<_> = spec
            .roll_months()
            .filter_map(|m| Some((m, calendar.first_trading_day(m)?, m.add_months(spec.months_ahead as i32))))
            .filter(|(_, day, _)| *day <= sim.last)
            .collect();
        let chains = roll_days.iter().map(|&(_, _, target)| (target, sim.option_month(product, target))).collect();
        Self { spec, roll_days, chains }
    }

    /// Every future; each roll day's chain of the run's option type on that day; and the
    /// whole series of each option in `held`.
    fn build(&self, sim: &Simulation, product: &ProductSpec, held: &[OptionSymbol]) -> MarketData {
        let mut builder = MarketBuilder::new(product.clone(), Provenance::SimulatedDemo);
        sim.add_futures(&mut builder, product);
        for &(_, day, target) in &self.roll_days {
            let Some(chain) = self.chains.get(&target) else { continue };
            let through_roll = &chain.days[..chain.days.partition_point(|d| d.date <= day)];
            let wanted = |s: &OptionSymbol| s.kind == self.spec.kind && !held.contains(s);
            let quoted = Quoted { days: through_roll, only_on: Some(day), wanted: &wanted };
            for &strike in chain.strikes.iter().filter(|s| s.listed <= day) {
                sim.add_strike(&mut builder, product, chain, strike, &quoted);
            }
        }
        for symbol in held {
            if let Some(chain) = self.chains.get(&symbol.month) {
                let quoted = Quoted { days: &chain.days, only_on: None, wanted: &|s| s == symbol };
                let code =
                    |cents: u32| StrikeCode::from_price(f64::from(cents) / 100.0, product.strike_units_per_price);
                for &strike in chain.strikes.iter().filter(|s| code(s.cents) == symbol.strike_code) {
                    sim.add_strike(&mut builder, product, chain, strike, &quoted);
                }
            }
        }
        builder.build()
    }
}
