//! The rolling strategy: a roll on the first trade date of every month (deferred to the
//! month's next trade date with prices when that day has none), each chosen option held
//! through its expiration, and one row per trade date and Sunday session with the
//! front-month future and every held option's price, implied vol and delta.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::contract::{ContractMonth, FuturesSymbol, OptionKind};
use crate::market::{DateSource, MarketData, OptionContract, Price, PriceSource, Prices};
use crate::pnl::build::pnl;
use crate::pricing::OptionModel;
use crate::quote::PriceBasis;
use crate::report::{Column, DailyRow, FrontPrice, HeldRow, HeldValue, Report, Roll};
use crate::roll_chain::RollChain;
use crate::select::{
    choose, delta_at, iv_query, roll_chain, score_chain, year_fraction, NoSelection, RunContext, ScoredChain,
};
use crate::spec::{RunSpec, SpecError};
use crate::warnings::{Warning, WarningKind};

/// Run the strategy on `market` with the spec's pricing model ([`RunSpec::model`], Black-76
/// unless chosen). Deterministic: the same spec and market give the same report.
pub fn run(spec: &RunSpec, market: &MarketData) -> Result<Report, Vec<SpecError>> {
    run_with_model(spec, market, spec.model.option_model())
}

/// Run the strategy with any option model, whatever the spec names (tests use models of
/// their own).
pub fn run_with_model(spec: &RunSpec, market: &MarketData, model: &dyn OptionModel) -> Result<Report, Vec<SpecError>> {
    validate(spec)?;
    let run = RunContext { spec, market, model };
    let mut warnings = Vec::new();
    let rolls = rolls(&run, &mut warnings);
    let columns: Vec<Column> =
        columns(&rolls).into_iter().filter(|c| c.until >= spec.start && c.from <= spec.end).collect();
    for column in &columns {
        if let Some(o) = market.option(&column.symbol).filter(|o| o.expiration_source == DateSource::CmeRule) {
            warnings.push(Warning {
                date: Some(column.from),
                symbol: Some(o.symbol.to_string()),
                kind: WarningKind::ExpiryFromRule { expiration: o.expiration },
            });
        }
    }
    let held: Vec<HeldColumn> = columns
        .iter()
        .map(|column| HeldColumn {
            column,
            option: market.option(&column.symbol),
            prices: market.option_prices(&column.symbol),
            forward: market.future_prices(&column.underlying),
        })
        .collect();
    let mut spans = HeldSpans::new(&columns);
    let rows: Vec<DailyRow> = market
        .calendar()
        .rows_between(spec.start, spec.end)
        .into_iter()
        .map(|date| row(&run, &held, spans.at(date), date, &mut warnings))
        .collect();
    let pnl = pnl(&run, &columns, &rows, &mut warnings);
    warnings.sort_by_key(|w| w.date);
    Ok(Report {
        spec: spec.clone(),
        provenance: market.provenance,
        data_hash: market.content_hash().to_owned(),
        rolls,
        columns,
        rows,
        pnl,
        warnings,
    })
}

/// The rolls alone, as [`run`] makes them (each leg's choice each month, with its chain),
/// without the daily rows, the P&L or the warnings: what a fetch needs to know which held
/// options to ask the prices of.
pub fn choose_rolls(spec: &RunSpec, market: &MarketData) -> Result<Vec<Roll>, Vec<SpecError>> {
    validate(spec)?;
    Ok(rolls(&RunContext { spec, market, model: spec.model.option_model() }, &mut Vec::new()))
}

/// The spec's problems, if any.
fn validate(spec: &RunSpec) -> Result<(), Vec<SpecError>> {
    let errors = spec.validate();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Every leg's rolls: month by month, the legs in their order within a month, each leg
/// choosing by its own option type, target delta and months ahead (its rolls start k months
/// before the start month, its own k).
fn rolls(run: &RunContext, warnings: &mut Vec<Warning>) -> Vec<Roll> {
    let legs: Vec<RunSpec> = run.spec.legs().iter().map(|leg| run.spec.for_leg(leg)).collect();
    let mut rolls = Vec::new();
    for month in run.spec.roll_months() {
        // Legs of one type and future choose from the same scored chain.
        let mut chains = ChainCache::new();
        for (leg, spec) in legs.iter().enumerate() {
            if spec.roll_months().next().is_some_and(|first| month >= first) {
                let run = RunContext { spec, ..*run };
                rolls.push(Roll { leg, ..roll(&run, month, &mut chains, warnings) });
            }
        }
    }
    rolls
}

/// The chains scored during one roll month, by day, future and option type.
type ChainCache = HashMap<(NaiveDate, FuturesSymbol, OptionKind), Result<ScoredChain, NoSelection>>;

/// The roll of `month` (as leg 0; the caller sets the leg): on its first trade date, or, when the target future or its chain
/// has no price that day, on the month's next trade date where both have (with a warning
/// naming both dates).
fn roll(run: &RunContext, month: ContractMonth, chains: &mut ChainCache, warnings: &mut Vec<Warning>) -> Roll {
    let RunContext { spec, market, .. } = *run;
    let target = market.future_for_month(month.add_months(spec.months_ahead as i32));
    let mut warn = |date, symbol: String, kind| warnings.push(Warning { date, symbol: Some(symbol), kind });
    let mut days = market.calendar().trading_days(month);
    let Some(scheduled) = days.next() else {
        warn(None, target.to_string(), WarningKind::NoTradingDay { month });
        return Roll { month, leg: 0, date: None, target, choice: None, chain: RollChain::default() };
    };
    let mut first_failure = None;
    for date in std::iter::once(scheduled).chain(days) {
        let chain =
            chains.entry((date, target, spec.kind)).or_insert_with(|| score_chain(run, date, &target, spec.kind));
        match chain.as_ref().map_err(Clone::clone).and_then(|chain| choose(chain, spec, date, &target)) {
            Ok(selection) => {
                if let Some(failure) = first_failure {
                    warn(
                        Some(date),
                        target.to_string(),
                        WarningKind::RollDeferred { scheduled, reason: Box::new(failure) },
                    );
                }
                if !selection.in_band {
                    let kind = WarningKind::OutsideBand {
                        delta: selection.delta.abs(),
                        target: spec.target_delta,
                        band: spec.band,
                    };
                    warn(Some(date), selection.symbol.to_string(), kind);
                }
                if let Some(quote) = selection.quote.filter(|q| q.basis == PriceBasis::StaleClose) {
                    warn(Some(date), selection.symbol.to_string(), WarningKind::StalePick { price_date: quote.date });
                }
                let chain = chain
                    .as_ref()
                    .map_or_else(|_| RollChain::default(), |c| roll_chain(c, spec, Some(&selection.symbol)));
                return Roll { month, leg: 0, date: Some(date), target, choice: Some(selection), chain };
            }
            Err(failure) => {
                let later_may_help = failure.missing_prices;
                first_failure.get_or_insert(failure.kind);
                if !later_may_help {
                    break;
                }
            }
        }
    }
    if let Some(kind) = first_failure {
        warn(Some(scheduled), target.to_string(), kind);
    }
    let chain = match chains.get(&(scheduled, target, spec.kind)) {
        Some(Ok(chain)) => roll_chain(chain, spec, None),
        _ => RollChain::default(),
    };
    Roll { month, leg: 0, date: Some(scheduled), target, choice: None, chain }
}

/// One column per distinct chosen option of each leg, in roll order, held from its first
/// selection through its expiration (the caller drops those held only outside the range).
fn columns(rolls: &[Roll]) -> Vec<Column> {
    let mut columns: Vec<Column> = Vec::new();
    for roll in rolls {
        let (Some(date), Some(sel)) = (roll.date, &roll.choice) else { continue };
        if columns.iter().any(|c| c.symbol == sel.symbol && c.leg == roll.leg) {
            continue;
        }
        columns.push(Column {
            symbol: sel.symbol,
            underlying: sel.underlying,
            strike: sel.strike,
            from: date,
            until: sel.expiration,
            leg: roll.leg,
        });
    }
    columns
}

/// A column with its option's contract and prices and its future's prices, looked up once
/// for all its rows.
#[derive(Clone, Copy)]
struct HeldColumn<'a> {
    column: &'a Column,
    option: Option<&'a OptionContract>,
    prices: Option<&'a Prices>,
    forward: Option<&'a Prices>,
}

/// Where the columns held on each row lie, for rows in date order, without a pass over all
/// columns per row: from the first column not expired (an index that only grows) to the
/// last one chosen by then.
struct HeldSpans {
    /// Each column's last day held.
    until: Vec<NaiveDate>,
    /// The earliest first day held of each column and those after it (never decreasing).
    chosen_after: Vec<NaiveDate>,
    /// The first column not expired on the last date asked.
    start: usize,
}

impl HeldSpans {
    fn new(columns: &[Column]) -> Self {
        let mut chosen_after: Vec<NaiveDate> = columns.iter().rev().map(|c| c.from).collect();
        for i in 1..chosen_after.len() {
            chosen_after[i] = chosen_after[i].min(chosen_after[i - 1]);
        }
        chosen_after.reverse();
        Self { until: columns.iter().map(|c| c.until).collect(), chosen_after, start: 0 }
    }

    /// The columns that may be held on `date` (not before the last date asked).
    fn at(&mut self, date: NaiveDate) -> std::ops::Range<usize> {
        while self.until.get(self.start).is_some_and(|&until| until < date) {
            self.start += 1;
        }
        self.start..self.chosen_after.partition_point(|&from| from <= date).max(self.start)
    }
}

fn row(
    run: &RunContext,
    columns: &[HeldColumn],
    span: std::ops::Range<usize>,
    date: NaiveDate,
    warnings: &mut Vec<Warning>,
) -> DailyRow {
    let RunContext { spec, market, .. } = *run;
    let source = spec.price_source;
    let calendar = market.calendar();
    let trading_day = calendar.is_trading_day(date);
    // A trade date inside the settlements' span with none at all is one gap, said once.
    let no_settlements = source == PriceSource::Settlement
        && trading_day
        && calendar.settled_span().is_some_and(|(first, last)| (first..=last).contains(&date))
        && !calendar.is_settled(date);
    if no_settlements {
        warnings.push(Warning { date: Some(date), symbol: None, kind: WarningKind::NoSettlementsOnDay });
    }
    let expect_own_price = trading_day && !no_settlements;
    let front = market.front_month(date).map(|f| {
        let quote = market.future_price_as_of(&f.symbol, date, source);
        // Sunday rows carry the last trade date's price; a trade date needs its own.
        if quote.is_none() || (expect_own_price && quote.is_some_and(|(d, _)| d != date)) {
            warnings.push(Warning {
                date: Some(date),
                symbol: Some(f.symbol.to_string()),
                kind: WarningKind::MissingFuturesPrice,
            });
        }
        FrontPrice { symbol: f.symbol, price: quote.map(|(_, p)| p) }
    });
    let is_held = |c: &HeldColumn| (c.column.from..=c.column.until).contains(&date);
    let first = span.start;
    let values = columns[span]
        .iter()
        .map(|c| is_held(c).then(|| held_value(run, c, date, expect_own_price, warnings)).flatten())
        .collect();
    DailyRow { date, front, held: HeldRow::new(columns.len(), first, values) }
}

fn held_value(
    run: &RunContext,
    held: &HeldColumn,
    date: NaiveDate,
    expect_own_price: bool,
    warnings: &mut Vec<Warning>,
) -> Option<HeldValue> {
    let market = run.market;
    let source = run.spec.price_source;
    let HeldColumn { column, option, prices, forward } = *held;
    // The symbol's text only when there is something to say (not on every row).
    let mut warn = |kind| warnings.push(Warning { date: Some(date), symbol: Some(column.symbol.to_string()), kind });
    let Some((price_date, price)) = prices.and_then(|prices| market.price_as_of(prices, date, source)) else {
        warn(WarningKind::MissingOptionPrice);
        return None;
    };
    if price.value() <= 0.0 {
        warn(WarningKind::NonPositivePrice { price: price.value() });
        return None;
    }
    if expect_own_price && price_date != date {
        warn(WarningKind::MissingOptionPrice);
    }
    let option = option?;
    let forward = forward.and_then(|f| f.get(price_date)?.get(source));
    let time = year_fraction(date, column.until);
    let (iv, delta) = match forward {
        Some(forward) if time > 0.0 => match greeks(run, option, forward, date, price) {
            Ok((iv, delta)) => (Some(iv), delta),
            Err(reason) => {
                warn(WarningKind::IvDidNotSolve { reason });
                (None, None)
            }
        },
        _ => (None, None),
    };
    Some(HeldValue { price, price_date, source, forward, iv, delta, days_to_expiry: (column.until - date).num_days() })
}

/// The implied vol of `option` priced at `price` on `date` with the future at `forward`,
/// and the delta at that vol; `Err`: why the vol did not solve.
fn greeks(
    run: &RunContext,
    option: &OptionContract,
    forward: Price,
    date: NaiveDate,
    price: Price,
) -> Result<(f64, Option<f64>), String> {
    let iv = run.model.implied_vol(&iv_query(run.spec, option, forward, date, price)).map_err(|e| e.to_string())?;
    Ok((iv, delta_at(run, option, forward, date, iv)))
}
