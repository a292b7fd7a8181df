//! A deterministic SIMULATED market for each product preset the demo has (HO/OH, the
//! default, CL/LO, NG/ON, RB/OB, BZ/OSX), so the web app and the CLI can be tried without a
//! Databento API key. The prices are invented; front ends show [`DEMO_LABEL`] wherever they
//! are used. Each product has its own profile (`demo/profile.rs`): price level and
//! seasons, vol level, seasons and smile, tick, strike grid and futures listing horizon.
//!
//! - Calendar: the core's CME calendar ([`crate::calendar::cme`]) for every product (all
//!   trade on CME Globex): trade dates and the Sunday evening sessions; holidays have no
//!   session. Expirations follow each product's rule ([`crate::product::ExpiryRule`]; Brent
//!   counts London business days).
//! - Futures: every contract month from a long-term level and a mean-reverting spot factor
//!   (HO around 1.8–3.5 USD/gal, about 32% a year, winter months richer); settlements on
//!   weekdays, trade closes (settlement plus noise) on every session, Sundays included.
//! - Options: calls and puts listed [`DEMO_MAX_MONTHS_AHEAD`] months before their contract
//!   month with strikes on the wide grid out to the wide band (OH: every 5¢, ±50% of the
//!   future), on the fine grid within the fine band from two months before (OH: every
//!   cent, ±20%), both bands extended as the future moves. Settlements are Black-76 values
//!   (r = 4%) on a smile around a stochastic ATM vol (HO: about 25–45%); once priced, never
//!   below one tick. Closes exist only for a thin ~30% of near-the-money options per
//!   session.
//! - Reproducible: prices depend only on the seed and the date, never on a clock or on the
//!   build order; one seed gives the same prices in every window from 2000 to 2099, so a
//!   market built for a run's own dates matches the default one on those dates.

mod chain;
mod curve;
mod for_run;
mod profile;
mod rng;

pub use for_run::demo_market_for;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{is_weekday, TradingCalendar};
use crate::contract::{ContractMonth, FuturesSymbol, OptionKind, OptionSymbol, StrikeCode};
use crate::market::{DailyPrices, Instrument, MarketBuilder, MarketData, Price, Provenance};
use crate::product::ProductSpec;
use crate::spec::{RunSpec, MAX_YEARS};
use curve::State;
use profile::Profile;
use rng::{date_key, Rng};

/// What front ends show next to anything computed from the demo market.
pub const DEMO_LABEL: &str = "SIMULATED demo market (not real prices)";

/// Options on the month-M future are listed from the first day of month M − this many
/// months, so runs choosing options up to this many months ahead find chains (and the
/// market starts this many months before [`DemoConfig::start`]). Longer listings would
/// make the market, and its build time, proportionally larger.
pub const DEMO_MAX_MONTHS_AHEAD: u32 = 3;

/// Why the demo market cannot serve `product`: it simulates the presets with their own
/// roots only, so any other root would be mislabelled.
pub fn refusal(product: &ProductSpec) -> Option<String> {
    Profile::of(product).is_none().then(|| {
        let codes: Vec<&str> = Profile::codes().collect();
        format!(
            "The demo market simulates the presets {} with their own roots only, not {}: leave the roots empty, or use Databento or files for other roots.",
            codes.join(", "),
            product.name
        )
    })
}

/// Which simulated market to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoConfig {
    /// First date runs will output; prices start [`DEMO_MAX_MONTHS_AHEAD`] months earlier.
    pub start: NaiveDate,
    /// Last date with prices (ranges longer than [`MAX_YEARS`] years are cut there).
    pub end: NaiveDate,
    /// Seed of every random draw: same config, same market.
    pub seed: u64,
}

impl Default for DemoConfig {
    /// 2021-01-01 to 2026-06-30 (enough for five-year runs), seed 2021.
    fn default() -> Self {
        Self { start: DEFAULT_START, end: DEFAULT_END, seed: 2021 }
    }
}

impl DemoConfig {
    /// The demo market every front end runs `spec` on: from the spec's start through the
    /// end of the month [`DEMO_MAX_MONTHS_AHEAD`] months after its end's (strike listings
    /// follow the future up to each option's expiry, so every chain a roll sees is listed
    /// as in a longer market), default seed; earlier when a historical vol source needs
    /// a lookback before the first roll. One rule, so the web app and the CLI read the
    /// same data (same data hash); prices on shared dates are the same in every window.
    pub fn for_spec(spec: &RunSpec) -> Self {
        let end = ContractMonth::of(spec.end).add_months(DEMO_MAX_MONTHS_AHEAD as i32).last_day();
        let lookback = ContractMonth::of(spec.data_start()).add_months(DEMO_MAX_MONTHS_AHEAD as i32).first_day();
        Self { start: spec.start.min(lookback), end, ..Self::default() }
    }
}

/// The simulated HO/OH market for `config`, with [`Provenance::SimulatedDemo`].
pub fn demo_market(config: &DemoConfig) -> MarketData {
    whole_market(config, Profile::heating_oil())
}

/// The simulated market of `product` for `config`, when the demo has it (see [`refusal`]).
pub fn demo_market_of(config: &DemoConfig, product: &ProductSpec) -> Option<MarketData> {
    Profile::of(product).map(|profile| whole_market(config, profile))
}

/// Every future and option of the `profile` product's market for `config`.
fn whole_market(config: &DemoConfig, profile: &'static Profile) -> MarketData {
    let sim = Simulation::new(config, profile);
    let product = profile.product();
    let mut builder = MarketBuilder::new(product.clone(), Provenance::SimulatedDemo);
    sim.add_futures(&mut builder, &product, ContractMonth::of(sim.last).add_months(FUTURES_MONTHS_AFTER_END));
    for month in sim.first_month().through(ContractMonth::of(sim.last).add_months(DEMO_MAX_MONTHS_AHEAD as i32)) {
        sim.add_options(&mut builder, &product, month);
    }
    builder.build()
}

/// Futures months listed after the last date's month.
const FUTURES_MONTHS_AFTER_END: i32 = 30;
/// Continuously compounded rate options are discounted at.
const RATE: f64 = 0.04;
/// Standard deviation of a futures close around its settlement, as a fraction of price.
const FUTURES_CLOSE_NOISE: f64 = 0.002;
/// Options whose |ln(strike / future)| is at most this can trade on a session.
const NEAR_MONEY: f64 = 0.10;
/// Chance that a near-the-money option trades on a session.
const TRADE_CHANCE: f64 = 0.3;
/// How far an option close is from its settlement, in ticks.
const CLOSE_OFFSETS: [i64; 4] = [-2, -1, 1, 2];
/// Option strikes on the fine grid (not just the wide one) from the first day of the month
/// this many months before the contract month.
const FINE_STRIKE_MONTHS: i32 = 2;
/// Random-key tag of the futures close noise (the factor path uses 1).
const FUTURE_CLOSE_TAG: u64 = 2;
/// Random-key tag of the option trades.
const OPTION_CLOSE_TAG: u64 = 3;

/// First date of the default demo.
const DEFAULT_START: NaiveDate = ymd(2021, 1, 1);
/// Last date of the default demo.
const DEFAULT_END: NaiveDate = ymd(2026, 6, 30);
/// The factor path starts on this date when the market starts in this century (so
/// markets of different windows share their prices), else on the market's first day.
const PATH_EPOCH: NaiveDate = ymd(2000, 1, 1);
/// The end of [`PATH_EPOCH`]'s century.
const PATH_EPOCH_END: NaiveDate = ymd(2100, 1, 1);

/// The date of a constant: evaluated when this compiles, so a day that does not exist
/// fails the build.
const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("not a date"),
    }
}

/// Calendar years from `from` to `to` (negative when before).
fn years_between(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64 / 365.0
}

/// A key part for a contract month.
fn month_key(month: ContractMonth) -> u64 {
    (i64::from(month.year()) * 12 + i64::from(month.month())) as u64
}

/// One option's quotes on a session: settlement and trade close, in ticks.
type Quote = (NaiveDate, Option<i64>, Option<i64>);

/// A session of an option month: the future's price and the time and vol left.
struct ChainDay {
    date: NaiveDate,
    /// The future's settlement (its rounded model price on Sundays), price units.
    future: f64,
    /// Time to the option's expiry.
    time: chain::TimeLeft,
    /// ATM implied vol for that time left.
    atm: f64,
}

/// One option month as listed: its future, expiry, sessions and strikes.
struct OptionMonth {
    month: ContractMonth,
    underlying: FuturesSymbol,
    expiry: NaiveDate,
    days: Vec<ChainDay>,
    strikes: Vec<chain::Strike>,
}

/// Which quotes of a strike go into a market: those on `days` (a prefix of its chain's
/// days, or all of them), only the one on `only_on` when set, of the options `wanted`.
struct Quoted<'a> {
    days: &'a [ChainDay],
    only_on: Option<NaiveDate>,
    wanted: &'a dyn Fn(&OptionSymbol) -> bool,
}

/// The factor path of one product over every session from its origin to the market's
/// last date.
struct Simulation {
    profile: &'static Profile,
    /// The product's seed ([`Profile::seed`]).
    seed: u64,
    /// First date with prices (the first of a month).
    first: NaiveDate,
    /// Last date with prices.
    last: NaiveDate,
    /// CME's calendar, that the expiry rules count on.
    calendar: TradingCalendar,
    sessions: Vec<NaiveDate>,
    path: Vec<State>,
}

impl Simulation {
    fn new(config: &DemoConfig, profile: &'static Profile) -> Self {
        let first = ContractMonth::of(config.start).add_months(-(DEMO_MAX_MONTHS_AHEAD as i32)).first_day();
        let longest = Months::new(12 * (MAX_YEARS as u32 + 1));
        // Past the last date chrono can represent, the config's end comes first anyway.
        let last = first.checked_add_months(longest).map_or(config.end, |cut| config.end.min(cut));
        let origin = if (PATH_EPOCH..PATH_EPOCH_END).contains(&first) { PATH_EPOCH } else { first };
        let calendar = TradingCalendar::default();
        let sessions = calendar.exchange().sessions(origin, last);
        let seed = profile.seed(config.seed);
        let path = curve::simulate(&sessions, seed, profile);
        Self { profile, seed, first, last, calendar, sessions, path }
    }

    /// A positive price rounded to the tick grid, in ticks (at least one).
    fn to_ticks(&self, price: f64) -> i64 {
        ((price * self.profile.ticks_per_unit).round() as i64).max(1)
    }

    /// A session's prices from its settlement and close in ticks.
    fn daily_prices(&self, settlement: Option<i64>, close: Option<i64>) -> DailyPrices {
        let price = |ticks: i64| Price::new(ticks as f64 / self.profile.ticks_per_unit);
        DailyPrices { settlement: settlement.and_then(price), close: close.and_then(price) }
    }

    /// The first contract month with prices.
    fn first_month(&self) -> ContractMonth {
        ContractMonth::of(self.first).add_months(1)
    }

    /// Every future listed while the market has prices, through contract month `last`.
    fn add_futures(&self, builder: &mut MarketBuilder, product: &ProductSpec, last: ContractMonth) {
        for month in self.first_month().through(last) {
            self.add_future(builder, product, month);
        }
    }

    /// Sessions in `[from, to]` with the factors after each.
    fn sessions_between(&self, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = (NaiveDate, &State)> {
        let low = self.sessions.partition_point(|&d| d < from);
        let high = self.sessions.partition_point(|&d| d <= to);
        self.sessions.iter().copied().zip(&self.path).skip(low).take(high.saturating_sub(low))
    }

    /// Last trading day of the `month` future of `product`, by its rule.
    fn futures_expiry(&self, product: &ProductSpec, month: ContractMonth) -> NaiveDate {
        product.expiry_rule.future_expiry(&self.calendar, month)
    }

    /// The `month` future's price on a session, in ticks, given its last trading day.
    fn future_ticks(&self, state: &State, month: ContractMonth, expiry: NaiveDate, date: NaiveDate) -> i64 {
        self.to_ticks(state.futures_price(self.profile, month, years_between(date, expiry)))
    }

    /// The `month` future's definition, weekday settlements and every session's close;
    /// nothing when it expired before the market's first date (Brent's stop two months
    /// before their contract month).
    fn add_future(&self, builder: &mut MarketBuilder, product: &ProductSpec, month: ContractMonth) {
        let symbol = FuturesSymbol { root: product.futures_root, month };
        let expiry = self.futures_expiry(product, month);
        if expiry < self.first {
            return;
        }
        builder.add_future_definition(symbol, expiry);
        let listed = month.add_months(-self.profile.futures_listing_months).first_day();
        let series = self.sessions_between(listed.max(self.first), expiry.min(self.last)).map(|(date, state)| {
            let ticks = self.future_ticks(state, month, expiry, date);
            let mut rng = Rng::keyed(self.seed, &[FUTURE_CLOSE_TAG, date_key(date), month_key(month)]);
            let noise = rng.normal() * FUTURES_CLOSE_NOISE * ticks as f64;
            let close = (ticks + noise.round() as i64).max(1);
            (date, self.daily_prices(is_weekday(date).then_some(ticks), Some(close)))
        });
        builder.add_series(Instrument::Future(symbol), series);
    }

    /// The sessions of the `month` option chain from its listing to `expiry`, within the
    /// market's last date; the future's last trading day is `future_expiry`.
    fn chain_days(&self, month: ContractMonth, expiry: NaiveDate, future_expiry: NaiveDate) -> Vec<ChainDay> {
        let listed = month.add_months(-(DEMO_MAX_MONTHS_AHEAD as i32)).first_day();
        self.sessions_between(listed, expiry.min(self.last))
            .map(|(date, state)| {
                let years = years_between(date, expiry);
                ChainDay {
                    date,
                    future: self.future_ticks(state, month, future_expiry, date) as f64 / self.profile.ticks_per_unit,
                    time: chain::TimeLeft::new(years, RATE),
                    atm: state.atm_vol(self.profile, month, years),
                }
            })
            .collect()
    }

    /// The `month` option chain as listed: its future, expiry, sessions and strikes.
    fn option_month(&self, product: &ProductSpec, month: ContractMonth) -> OptionMonth {
        let underlying = FuturesSymbol { root: product.futures_root, month };
        let future_expiry = self.futures_expiry(product, month);
        let expiry = product.expiry_rule.option_expiry(&self.calendar, future_expiry);
        let days = self.chain_days(month, expiry, future_expiry);
        let settlements: Vec<(NaiveDate, f64)> =
            days.iter().filter(|d| is_weekday(d.date)).map(|d| (d.date, d.future)).collect();
        let fine_from = month.add_months(-FINE_STRIKE_MONTHS).first_day();
        let grid = chain::Grid { steps: self.profile.strike_steps, bands: self.profile.strike_bands };
        let strikes = chain::list_strikes(&settlements, fine_from, grid);
        OptionMonth { month, underlying, expiry, days, strikes }
    }

    /// The `month` calls and puts: definitions of those with a price in the market, their
    /// settlements and their (thin) closes.
    fn add_options(&self, builder: &mut MarketBuilder, product: &ProductSpec, month: ContractMonth) {
        let chain = self.option_month(product, month);
        let quoted = Quoted { days: &chain.days, only_on: None, wanted: &|_| true };
        for &strike in &chain.strikes {
            self.add_strike(builder, product, &chain, strike, &quoted);
        }
    }

    /// The options of one strike that `quoted` asks for: definition and series, when they
    /// have a quote at all (whether any had).
    fn add_strike(
        &self,
        builder: &mut MarketBuilder,
        product: &ProductSpec,
        chain: &OptionMonth,
        strike: chain::Strike,
        quoted: &Quoted<'_>,
    ) -> bool {
        let price = f64::from(strike.cents) / 100.0;
        let Some(strike_price) = Price::new(price) else {
            return false;
        };
        let mut added = false;
        let (calls, puts) = self.strike_quotes(quoted.days, chain.month, strike);
        for (kind, quotes) in [(OptionKind::Call, calls), (OptionKind::Put, puts)] {
            let symbol = OptionSymbol {
                root: product.options_root,
                month: chain.month,
                kind,
                strike_code: StrikeCode::from_price(price, product.strike_units_per_price),
            };
            let quotes: Vec<Quote> =
                quotes.into_iter().filter(|q| quoted.only_on.is_none_or(|day| q.0 == day)).collect();
            if quotes.is_empty() || !(quoted.wanted)(&symbol) {
                continue;
            }
            builder.add_option_definition(symbol, chain.underlying, strike_price, chain.expiry);
            let series =
                quotes.into_iter().map(|(date, settlement, close)| (date, self.daily_prices(settlement, close)));
            builder.add_series(Instrument::Option(symbol), series);
            added = true;
        }
        added
    }

    /// The call and put quotes of one strike on each chain day from its listing on.
    fn strike_quotes(
        &self,
        days: &[ChainDay],
        month: ContractMonth,
        strike: chain::Strike,
    ) -> (Vec<Quote>, Vec<Quote>) {
        let price = f64::from(strike.cents) / 100.0;
        let from = strike.listed.max(self.first);
        let days = &days[days.partition_point(|d| d.date < from)..];
        let (mut calls, mut puts) = (Vec::with_capacity(days.len()), Vec::with_capacity(days.len()));
        for day in days {
            let log_moneyness = (price / day.future).ln();
            let vol = chain::smile_vol(day.atm, self.profile.skew, log_moneyness, day.time);
            let (call, put) = chain::black76(day.future, price, vol, day.time);
            let near = log_moneyness.abs() <= NEAR_MONEY;
            for (kind, value, quotes) in [(0, call, &mut calls), (1, put, &mut puts)] {
                let key = [OPTION_CLOSE_TAG, date_key(day.date), month_key(month), u64::from(strike.cents), kind];
                let priced_before = !quotes.is_empty();
                quotes.extend(self.quote(day.date, value, near, priced_before, &key));
            }
        }
        (calls, puts)
    }

    /// One option's quote from its model value: a settlement on weekdays; a close a tick or
    /// two from the value when a near-the-money option trades. Below half a tick an option
    /// that never had a price gets none (it is not listed yet); one that had keeps settling
    /// at the minimum tick until it expires, as a worthless listed option does.
    fn quote(&self, date: NaiveDate, value: f64, near: bool, priced_before: bool, key: &[u64]) -> Option<Quote> {
        let ticks = (value * self.profile.ticks_per_unit).round() as i64;
        if ticks < 1 && !priced_before {
            return None;
        }
        let ticks = ticks.max(1);
        let settlement = is_weekday(date).then_some(ticks);
        let close = near.then(|| Rng::keyed(self.seed, key)).and_then(|mut rng| {
            let offset = CLOSE_OFFSETS[rng.below(CLOSE_OFFSETS.len() as u64) as usize];
            (rng.uniform() < TRADE_CHANCE).then_some((ticks + offset).max(1))
        });
        (settlement.is_some() || close.is_some()).then_some((date, settlement, close))
    }
}

#[cfg(test)]
mod tests;
