//! The request plan: from a run spec, the fewest `get_range` requests that give the
//! strategy everything it reads.
//!
//! 1. **Futures** (1–2 per run): the futures' daily bars (`ohlcv-1d`) for the whole range
//!    `[data_start, end]` in one request — they define the session rows (Sunday-evening
//!    sessions included), the volumes that tell full sessions from holiday evening bars,
//!    and the closes — plus, for settlement runs, their settlements (`statistics`) in
//!    another, both for every futures contract by raw symbol (`HOF0` … `HOZ9`, see
//!    [`futures_symbols`]), in DBN like every request.
//! 2. **Rolls** (2 per roll): on month M's first trading day D, the definitions of the
//!    futures and options parents (`HO.FUT`, `OH.OPT`, day D: expirations of every listed
//!    future and the chain) and that day's option prices. D comes from the calendar of
//!    phase 1; before it is known (the cost estimate) D is the first weekday of M. Daily
//!    definition snapshots are large, so they are only asked for on roll days: every future
//!    that is ever the front month inside the range is listed on the first roll day.
//! 3. **Held options** (1 per 2,000 options): the chosen options' daily prices from their
//!    roll date through expiration, by raw symbol.
//!
//! **Several legs, one pull**: phase 2 asks for the options parent (`OH.OPT`), calls and
//! puts alike, so every leg's chain on a roll day comes from the same two requests, and
//! phase 3 asks for every leg's held options in the same batches. A run's legs add no
//! request of their own; only the roll months reach back to the largest months ahead of
//! the legs, and the held options' records grow with the legs.
//!
//! Settlements are filtered on `ts_recv`, and a trading date's final settlement can be
//! published after midnight UTC, so `statistics` requests end one day later than the last
//! trading date they serve; the extra day's records are only used for earlier dates.
//!
//! **Cost of phase 3 before the choices are known**: each roll's held option (one per leg) is priced as
//! the target future (`HOH5` for a roll into `OHH5` options) over the same window — one
//! contract of the same product for the same days. An option has no more daily settlement
//! and bar records than its future, so this is an upper estimate per option, not a bound
//! on a run whose choices change; the estimate says it is one.

use chrono::NaiveDate;
use deltaroll_core::calendar::TradingCalendar;
use deltaroll_core::contract::{ContractMonth, FuturesSymbol, OptionSymbol};
use deltaroll_core::market::PriceSource;
use deltaroll_core::spec::RunSpec;

use crate::request::GetRange;
use crate::types::{Dataset, DateRange, ParamError, Symbols};
use crate::{SType, Schema};

/// Days added to the end of `statistics` requests for settlements published after
/// midnight UTC.
pub const SETTLEMENT_LAG_DAYS: u64 = 1;

/// Why a request is in the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// Phase 1: futures daily bars over the whole range (sessions, volumes, closes).
    FuturesBars,
    /// Phase 1: futures settlements over the whole range (settlement runs only).
    FuturesSettlements,
    /// Phase 2: the futures' and the option chain's definitions on a roll date.
    ChainDefinitions {
        /// Roll month M.
        month: ContractMonth,
        /// Its first trading day.
        date: NaiveDate,
    },
    /// Phase 2: the option chain's prices on a roll date.
    ChainPrices {
        /// Roll month M.
        month: ContractMonth,
        /// Its first trading day.
        date: NaiveDate,
    },
    /// Phase 3: held options' daily prices, one batch of at most 2,000.
    HeldPrices {
        /// Batch number from 0.
        batch: usize,
    },
    /// Phase 3 before the choices are known: a stand-in for the option one leg holds from
    /// one roll (the target future over the holding window), for the cost estimate only.
    HeldPricesEstimate {
        /// Roll month M.
        month: ContractMonth,
        /// The leg, an index into `RunSpec::legs`.
        leg: usize,
    },
}

impl Purpose {
    /// 1, 2 or 3.
    pub fn phase(&self) -> u8 {
        match self {
            Self::FuturesBars | Self::FuturesSettlements => 1,
            Self::ChainDefinitions { .. } | Self::ChainPrices { .. } => 2,
            Self::HeldPrices { .. } | Self::HeldPricesEstimate { .. } => 3,
        }
    }
}

/// One planned request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRequest {
    /// Why.
    pub purpose: Purpose,
    /// The request.
    pub request: GetRange,
    /// The dates whose prices (or definitions) it serves; prices dated elsewhere (the
    /// settlement lag day) are not used from it.
    pub serves: DateRange,
    /// Whether the request is a guess (roll date not yet known, or a phase-3 stand-in).
    pub estimated: bool,
}

impl PlannedRequest {
    /// Whether it is a phase-3 stand-in: it prices one leg's held option of one roll for the
    /// estimate and is never sent as it is (the fetch asks for every held option together).
    pub fn is_stand_in(&self) -> bool {
        matches!(self.purpose, Purpose::HeldPricesEstimate { .. })
    }
}

/// An option held from its roll date through expiration.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Holding {
    /// The option.
    pub symbol: OptionSymbol,
    /// First day held (the roll date).
    pub from: NaiveDate,
    /// Last day held (expiration).
    pub until: NaiveDate,
}

/// A roll month and its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RollDate {
    /// Month M.
    pub month: ContractMonth,
    /// Its first trading day (or first weekday when `estimated`).
    pub date: NaiveDate,
    /// Whether the date is a guess (no calendar yet).
    pub estimated: bool,
}

/// The schema of a price source: `statistics` (settlement) or `ohlcv-1d` (close).
pub fn price_schema(source: PriceSource) -> Schema {
    match source {
        PriceSource::Settlement => Schema::Statistics,
        PriceSource::Close => Schema::Ohlcv1D,
    }
}

/// A request for `schema` serving prices (or definitions) dated in `serves`.
fn request(dataset: &Dataset, schema: Schema, stype_in: SType, symbols: Symbols, serves: DateRange) -> GetRange {
    let range = if schema == Schema::Statistics { serves.extend_end(SETTLEMENT_LAG_DAYS) } else { serves };
    GetRange::new(dataset.clone(), schema, stype_in, symbols, range)
}

/// The run's dataset.
pub fn dataset(spec: &RunSpec) -> Result<Dataset, ParamError> {
    Ok(spec.product.dataset.parse()?)
}

/// Phase 1: futures daily bars and, for settlement runs, settlements over
/// `[data_start, end]`, in DBN, by raw symbol ([`futures_symbols`]).
pub fn futures_requests(spec: &RunSpec) -> Result<Vec<PlannedRequest>, ParamError> {
    let dataset = dataset(spec)?;
    let symbols = futures_symbols(spec)?;
    let serves = DateRange::inclusive(spec.data_start(), spec.end)?;
    // DBN names contracts only in its metadata mappings, and those map each requested
    // symbol to instrument ids: a parent request (`HO.FUT`) maps the parent, not the
    // contracts, while a raw-symbol request maps each contract (`HOZ5` → its ids over the
    // dates it is listed). So these ask for the contracts by raw symbol, which also leaves
    // out the parent's calendar spreads, never read. Like every `get_range`, they come
    // zstd-compressed.
    let planned = |purpose, schema| PlannedRequest {
        purpose,
        request: request(&dataset, schema, SType::RawSymbol, symbols.clone(), serves),
        serves,
        estimated: false,
    };
    let mut out = vec![planned(Purpose::FuturesBars, Schema::Ohlcv1D)];
    if spec.price_source == PriceSource::Settlement {
        out.push(planned(Purpose::FuturesSettlements, Schema::Statistics));
    }
    Ok(out)
}

/// Every outright futures symbol of the run's product: each month code with each year
/// digit (`HOF0` … `HOZ9`, 120 symbols). Globex symbols carry one year digit, so a symbol
/// names one contract a decade, and Databento keeps each symbol as it was at the time
/// ("we do not retroactively reassign symbols",
/// <https://databento.com/docs/conventions/symbology>): over a request's dates `HOZ5`
/// resolves to each December contract listed then, 2015's and 2025's alike, each mapped
/// over its own dates. Whatever the product's listing horizon, every contract listed in
/// a run's dates, as its parent would give, has one of these symbols.
pub fn futures_symbols(spec: &RunSpec) -> Result<Symbols, ParamError> {
    let first = ContractMonth::of(spec.data_start());
    let root = spec.product.futures_root;
    Symbols::new((0..120).map(|n| FuturesSymbol { root, month: first.add_months(n) }.to_string()))
}

/// The roll dates: each roll month's first trade date from the market's `calendar`,
/// months whose first trade date lies after the data left out; without a calendar, the
/// CME calendar's first trade date of each month (estimated).
pub fn roll_dates(spec: &RunSpec, calendar: Option<&TradingCalendar>) -> Vec<RollDate> {
    let cme = TradingCalendar::default();
    spec.roll_months()
        .filter_map(|month| match calendar {
            Some(cal) => cal
                .first_trading_day(month)
                .filter(|date| cal.span().is_some_and(|(_, last)| *date <= last))
                .map(|date| RollDate { month, date, estimated: false }),
            None => cme.first_trading_day(month).map(|date| RollDate { month, date, estimated: true }),
        })
        .collect()
}

/// Phase 2: per roll date, the futures' and options' definitions and the options'
/// settlements for that day. The chain is valued by settlements whatever the price source
/// of the recorded series (the exchange settles every strike; out-of-the-money options
/// rarely trade), so a close run also takes that day's futures settlements.
pub fn roll_requests(spec: &RunSpec, rolls: &[RollDate]) -> Result<Vec<PlannedRequest>, ParamError> {
    let dataset = dataset(spec)?;
    let parents = Symbols::new([spec.product.futures_parent(), spec.product.options_parent()])?;
    let parent = match spec.price_source {
        PriceSource::Settlement => Symbols::one(spec.product.options_parent())?,
        PriceSource::Close => parents.clone(),
    };
    let schema = Schema::Statistics;
    let mut out = Vec::with_capacity(rolls.len() * 2);
    for roll in rolls {
        let serves = DateRange::day(roll.date);
        let (month, date) = (roll.month, roll.date);
        out.push(PlannedRequest {
            purpose: Purpose::ChainDefinitions { month, date },
            request: request(&dataset, Schema::Definition, SType::Parent, parents.clone(), serves),
            serves,
            estimated: roll.estimated,
        });
        out.push(PlannedRequest {
            purpose: Purpose::ChainPrices { month, date },
            request: request(&dataset, schema, SType::Parent, parent.clone(), serves),
            serves,
            estimated: roll.estimated,
        });
    }
    Ok(out)
}

/// Phase 3: the held options' prices, by raw symbol, in batches of at most 2,000, each
/// over its options' combined window (capped at the run's end).
pub fn held_requests(spec: &RunSpec, holdings: &[Holding]) -> Result<Vec<PlannedRequest>, ParamError> {
    let dataset = dataset(spec)?;
    let schema = price_schema(spec.price_source);
    let mut held: Vec<&Holding> = holdings.iter().filter(|h| h.from <= spec.end).collect();
    held.sort();
    held.dedup_by(|a, b| a.symbol == b.symbol);
    let mut out = Vec::new();
    for (batch, chunk) in held.chunks(crate::types::MAX_SYMBOLS).enumerate() {
        let symbols = Symbols::new(chunk.iter().map(|h| h.symbol.to_string()))?;
        let first = chunk.iter().map(|h| h.from).min().unwrap_or(spec.start);
        let last = chunk.iter().map(|h| h.until.min(spec.end)).max().unwrap_or(spec.end).max(first);
        let serves = DateRange::inclusive(first, last)?;
        out.push(PlannedRequest {
            purpose: Purpose::HeldPrices { batch },
            request: request(&dataset, schema, SType::RawSymbol, symbols, serves),
            serves,
            estimated: false,
        });
    }
    Ok(out)
}

/// Phase-3 stand-ins for the cost estimate: per roll and leg (legs whose rolls reach that
/// month), the target future (month M+k, the leg's k) over the roll date through the
/// option's estimated expiry (CME rule on weekdays), capped at the run's end.
pub fn held_estimate_requests(spec: &RunSpec, rolls: &[RollDate]) -> Result<Vec<PlannedRequest>, ParamError> {
    let dataset = dataset(spec)?;
    let schema = price_schema(spec.price_source);
    let weekdays = TradingCalendar::default();
    let rule = spec.product.expiry_rule;
    let legs = spec.legs();
    let mut out = Vec::new();
    let leg_rolls = rolls.iter().flat_map(|roll| legs.iter().enumerate().map(move |(leg, l)| (roll, leg, l)));
    for (roll, leg, position) in leg_rolls {
        let first_month = ContractMonth::of(spec.start).add_months(-(position.months_ahead as i32));
        if roll.month < first_month {
            continue;
        }
        let target = roll.month.add_months(position.months_ahead as i32);
        let option_last = rule.option_expiry(&weekdays, rule.future_expiry(&weekdays, target));
        let last = option_last.min(spec.end).max(roll.date);
        let future = FuturesSymbol { root: spec.product.futures_root, month: target };
        let serves = DateRange::inclusive(roll.date, last)?;
        out.push(PlannedRequest {
            purpose: Purpose::HeldPricesEstimate { month: roll.month, leg },
            request: request(&dataset, schema, SType::RawSymbol, Symbols::one(future.to_string())?, serves),
            serves,
            estimated: true,
        });
    }
    Ok(out)
}

/// A whole plan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// Requests in phase order.
    pub requests: Vec<PlannedRequest>,
}

impl Plan {
    /// The plan as known before anything is fetched: phase 1, phase 2 on estimated roll
    /// dates, and phase-3 stand-ins. For showing the user and pricing.
    pub fn before_fetch(spec: &RunSpec) -> Result<Self, ParamError> {
        let rolls = roll_dates(spec, None);
        let mut requests = futures_requests(spec)?;
        requests.extend(roll_requests(spec, &rolls)?);
        requests.extend(held_estimate_requests(spec, &rolls)?);
        Ok(Self { requests })
    }

    /// Requests of `phase`.
    pub fn phase(&self, phase: u8) -> impl Iterator<Item = &PlannedRequest> {
        self.requests.iter().filter(move |r| r.purpose.phase() == phase)
    }

    /// The same plan with every request cut to `available` (from
    /// `metadata.get_dataset_range`); requests left empty are dropped.
    pub fn clamped(self, available: DateRange) -> Self {
        Self { requests: clamp_all(self.requests, available) }
    }
}

/// Cut requests to the `available` dates; drop those left empty.
pub fn clamp_all(requests: Vec<PlannedRequest>, available: DateRange) -> Vec<PlannedRequest> {
    requests
        .into_iter()
        .filter_map(|mut p| {
            p.request.range = p.request.range.intersect(available)?;
            p.serves = p.serves.intersect(available)?;
            Some(p)
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::testing::d;
    use crate::Encoding;

    #[test]
    fn one_year_of_monthly_rolls_stays_within_two_per_roll_plus_three() {
        let spec = RunSpec::new(d(2025, 1, 1), d(2025, 12, 31));
        let rolls = roll_dates(&spec, None);
        assert_eq!(rolls.len(), 14, "Nov 2024 to Dec 2025");
        let holdings: Vec<Holding> = rolls
            .iter()
            .map(|r| Holding {
                symbol: OptionSymbol::parse(
                    &format!("OH{}{} C25000", r.month.add_months(2).code(), r.month.add_months(2).year() % 10),
                    r.date,
                )
                .unwrap(),
                from: r.date,
                until: r.month.add_months(1).last_day(),
            })
            .collect();
        let total = futures_requests(&spec).unwrap().len()
            + roll_requests(&spec, &rolls).unwrap().len()
            + held_requests(&spec, &holdings).unwrap().len();
        assert_eq!(total, 31, "bars + settlements, 14 rolls × 2, one held batch");
        assert!(total <= 2 * rolls.len() + 3);
    }

    #[test]
    fn historical_vol_fetches_its_lookback_before_the_first_roll() {
        let mut spec = RunSpec::new(d(2025, 3, 3), d(2025, 3, 31));
        let own = futures_requests(&spec).unwrap()[0].serves.start();
        spec.vol_source = deltaroll_core::spec::VolSource::Historical { days: 20 };
        let hist = futures_requests(&spec).unwrap()[0].serves.start();
        assert_eq!(own, d(2025, 1, 1));
        assert!(hist <= d(2024, 12, 1), "20 trade dates before the January roll: {hist}");
    }

    #[test]
    fn phase_one_covers_the_whole_range_with_the_settlement_lag() {
        let spec = RunSpec::new(d(2025, 1, 2), d(2025, 2, 28));
        let reqs = futures_requests(&spec).unwrap();
        let bars = &reqs[0].request;
        assert_eq!(bars.schema, Schema::Ohlcv1D, "bars give the sessions, Sundays included");
        assert_eq!(bars.stype_in, SType::RawSymbol, "DBN maps each contract's symbol to its ids");
        assert_eq!(bars.symbols.len(), 120, "every month code with every year digit");
        assert!(
            bars.symbols.as_slice().iter().any(|s| s == "HOZ5") && bars.symbols.as_slice().iter().any(|s| s == "HOF0")
        );
        assert_eq!(bars.range.start(), d(2024, 11, 1));
        assert_eq!(bars.range.end(), d(2025, 3, 1));
        assert_eq!(bars.encoding, Encoding::Dbn);
        let settlements = &reqs[1].request;
        assert_eq!(settlements.schema, Schema::Statistics);
        assert_eq!(settlements.range.end(), d(2025, 3, 2), "end + 1 day + 1 lag day");
        assert_eq!(reqs[1].serves.last(), d(2025, 2, 28));

        let mut close = spec.clone();
        close.price_source = PriceSource::Close;
        let reqs = futures_requests(&close).unwrap();
        assert_eq!(reqs.len(), 1, "closes come with the bars");
    }

    #[test]
    fn a_product_preset_plans_its_own_parents_and_expiry_rule() {
        let mut spec = RunSpec::new(d(2024, 9, 3), d(2024, 12, 31));
        spec.product = deltaroll_core::product::ProductSpec::preset("CL").unwrap();
        let plan = Plan::before_fetch(&spec).unwrap();
        let symbols: Vec<&str> =
            plan.requests.iter().flat_map(|p| p.request.symbols.as_slice()).map(String::as_str).collect();
        assert!(symbols.contains(&"CL.FUT") && symbols.contains(&"LO.OPT"), "{symbols:?}");
        assert!(!symbols.iter().any(|s| s.starts_with("HO") || s.starts_with("OH")), "{symbols:?}");
        // The September 2024 roll holds an option on CLX4: LOX4 stops on 2024-10-17.
        let held = plan
            .phase(3)
            .find(|p| p.purpose == Purpose::HeldPricesEstimate { month: ContractMonth::new(2024, 9).unwrap(), leg: 0 });
        assert_eq!(
            held.map(|p| (p.request.symbols.as_slice()[0].as_str(), p.serves.last())),
            Some(("CLX4", d(2024, 10, 17)))
        );
    }

    #[test]
    fn roll_dates_come_from_the_calendar_once_known() {
        let spec = RunSpec::new(d(2025, 3, 3), d(2025, 3, 31));
        let guessed = roll_dates(&spec, None);
        let guessed_dates: Vec<_> = guessed.iter().map(|r| r.date).collect();
        assert_eq!(guessed_dates, [d(2025, 1, 2), d(2025, 2, 3), d(2025, 3, 3)], "New Year's Day is a holiday");
        let cal = TradingCalendar::from_sessions([d(2025, 1, 2), d(2025, 2, 2), d(2025, 2, 3)]);
        let known = roll_dates(&spec, Some(&cal));
        assert_eq!(
            known.iter().map(|r| r.date).collect::<Vec<_>>(),
            [d(2025, 1, 2), d(2025, 2, 3)],
            "no March data yet: that roll is left out"
        );
        let reqs = roll_requests(&spec, &known).unwrap();
        assert_eq!(reqs.len(), 4);
        assert_eq!(reqs[0].request.symbols.as_slice(), ["HO.FUT", "OH.OPT"]);
        assert_eq!(reqs[1].request.symbols.as_slice(), ["OH.OPT"]);
        assert_eq!(reqs[0].request.range, DateRange::day(d(2025, 1, 2)));
        assert_eq!(reqs[1].serves, DateRange::day(d(2025, 1, 2)));
    }

    #[test]
    fn held_options_batch_by_two_thousand() {
        let spec = RunSpec::new(d(2025, 1, 2), d(2025, 2, 28));
        let holdings: Vec<Holding> = (0..2001)
            .map(|i| Holding {
                symbol: OptionSymbol::parse(&format!("OHH5 C{}", 10000 + i), d(2025, 1, 2)).unwrap(),
                from: d(2025, 1, 2),
                until: d(2025, 2, 25),
            })
            .collect();
        let reqs = held_requests(&spec, &holdings).unwrap();
        assert_eq!(reqs.len(), 2);
        assert_eq!(reqs[0].request.symbols.len(), 2000);
        assert_eq!(reqs[0].request.stype_in, SType::RawSymbol);
        assert_eq!(reqs[0].serves, DateRange::inclusive(d(2025, 1, 2), d(2025, 2, 25)).unwrap());
    }

    #[test]
    fn estimate_stands_in_the_target_future() {
        let spec = RunSpec::new(d(2025, 1, 2), d(2025, 2, 28));
        let plan = Plan::before_fetch(&spec).unwrap();
        assert_eq!(plan.phase(1).count(), 2);
        assert_eq!(plan.phase(2).count(), 8);
        let est: Vec<_> = plan.phase(3).collect();
        assert_eq!(est.len(), 4);
        assert_eq!(est[2].request.symbols.as_slice(), ["HOH5"]);
        assert_eq!(est[2].serves.last(), d(2025, 2, 25), "OH expiry rule: Feb 25 2025");
        let clamped = plan.clone().clamped(DateRange::new(d(2010, 6, 6), d(2025, 2, 1)).unwrap());
        assert!(clamped.requests.iter().all(|r| r.request.range.end() <= d(2025, 2, 1)));
        assert_eq!(clamped.phase(2).count(), 6, "the February roll is dropped");
        let late_start = plan.clamped(DateRange::new(d(2024, 11, 15), d(2026, 1, 1)).unwrap());
        assert!(late_start.requests.iter().all(|r| r.request.range.start() >= d(2024, 11, 15)));
        assert_eq!(late_start.phase(2).count(), 6, "the November roll is dropped");
    }
}
