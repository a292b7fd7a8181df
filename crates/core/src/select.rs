//! Chain selection: on a roll date, the option on the target future whose delta is closest
//! to the target, using only prices known on that date.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::candidate::Skip;
use crate::contract::{FuturesSymbol, OptionKind, OptionSymbol};
use crate::market::{MarketData, OptionContract, Price};
use crate::pricing::{Black76Inputs, IvQuery, OptionModel};
use crate::quote::{future_quote, option_quote, PricedCounts, Quote};
use crate::report::Selection;
use crate::roll_chain::{distance, RollChain, ScoredStrike};
use crate::spec::{RunSpec, VolSource};
use crate::warnings::WarningKind;

/// Calendar days per year for time to expiry (ACT/365).
pub const DAYS_PER_YEAR: f64 = 365.0;

/// Trading days per year for annualising historical vol.
pub const TRADING_DAYS_PER_YEAR: f64 = 252.0;

/// Years from `date` to `expiration` (calendar days / 365).
pub fn year_fraction(date: NaiveDate, expiration: NaiveDate) -> f64 {
    (expiration - date).num_days() as f64 / DAYS_PER_YEAR
}

/// Why no option was chosen on a roll date.
#[derive(Debug, Clone, PartialEq)]
pub struct NoSelection {
    /// The warning that explains it.
    pub kind: WarningKind,
    /// Whether prices were missing (the target future's, or every candidate's), so a
    /// later trade date may have them.
    pub missing_prices: bool,
}

/// What a run prices with: its spec, its market and the option model.
#[derive(Clone, Copy)]
pub struct RunContext<'a> {
    /// The run's parameters.
    pub spec: &'a RunSpec,
    /// The prices and contracts.
    pub market: &'a MarketData,
    /// Implied vol and delta.
    pub model: &'a dyn OptionModel,
}

/// A roll day's chain of one option type on one future, each candidate priced with its vol
/// and delta: what every leg of that type and future chooses from (scored once for all).
#[derive(Clone)]
pub struct ScoredChain {
    /// The future's price that day.
    forward: Price,
    /// Every option of the type listed on the future and not expired, in strike order.
    scored: Arc<[ScoredStrike]>,
    /// How they were priced.
    priced: PricedCounts,
}

/// Choose the option on `target` for a roll on `date`: [`score_chain`] of the spec's
/// option type, then [`choose`].
pub fn select(run: &RunContext, date: NaiveDate, target: &FuturesSymbol) -> Result<Selection, NoSelection> {
    choose(&score_chain(run, date, target, run.spec.kind)?, run.spec, date, target)
}

/// The options of `kind` on `target` for a roll on `date`, scored. Each candidate (not
/// expired on `date`) is priced as [`crate::quote`] says (settlement, else a close at most
/// `spec.stale_days` trade dates old), gets a vol from the spec's [`VolSource`] and a delta
/// from it. Nothing here depends on a leg's target delta.
pub fn score_chain(
    run: &RunContext,
    date: NaiveDate,
    target: &FuturesSymbol,
    kind: OptionKind,
) -> Result<ScoredChain, NoSelection> {
    let RunContext { spec, market, model } = *run;
    let forward = future_quote(market, target, date)
        .ok_or(NoSelection { kind: WarningKind::MissingForward, missing_prices: true })?
        .price;
    let mut chain: Vec<&OptionContract> = market.chain(target, kind).filter(|o| o.expiration > date).collect();
    chain.sort_by(|a, b| a.strike.value().total_cmp(&b.strike.value()));
    let mut priced = PricedCounts::default();
    let own_ivs: Vec<(&OptionContract, Option<Quote>, Result<f64, Skip>)> = chain
        .iter()
        .map(|o| {
            let quote = option_quote(market, &o.symbol, date, spec.stale_days);
            priced.add(quote.as_ref());
            let iv = quote
                .ok_or(Skip::NoPrice)
                .and_then(|q| model.implied_vol(&iv_query(spec, o, forward, date, q.price)).map_err(Skip::NoVol));
            (*o, quote, iv)
        })
        .collect();
    let common_vol = match spec.vol_source {
        VolSource::OwnPrice => None,
        VolSource::AtmImplied => Some(atm_vol(&own_ivs, forward)),
        VolSource::Historical { days } => Some(historical_vol(market, target, date, days)),
    };
    let scored = own_ivs
        .iter()
        .map(|&(option, quote, own_iv)| {
            let iv = match common_vol {
                None => own_iv,
                Some(common) => common.ok_or(Skip::NoChainVol),
            };
            let delta = iv.and_then(|iv| delta_at(run, option, forward, date, iv).ok_or(Skip::NoDelta));
            ScoredStrike {
                symbol: option.symbol,
                strike: option.strike,
                expiration: option.expiration,
                quote,
                iv: iv.ok(),
                delta,
            }
        })
        .collect();
    Ok(ScoredChain { forward, scored, priced })
}

/// The candidate of `chain` (scored on `date` for `target`) whose |delta| is closest to the
/// spec's target; ties go to the strike further out of the money (the higher strike for
/// calls, the lower for puts), the less risky one for a seller.
pub fn choose(
    chain: &ScoredChain,
    spec: &RunSpec,
    date: NaiveDate,
    target: &FuturesSymbol,
) -> Result<Selection, NoSelection> {
    let ScoredChain { forward, ref scored, priced } = *chain;
    let listed = scored.len();
    let ranked: Vec<(&ScoredStrike, f64, f64)> =
        scored.iter().filter_map(|s| Some((s, s.iv?, s.delta.ok()?))).collect();
    let skipped = listed - ranked.len();
    let distance = |delta: f64| distance(spec.target_delta, delta);
    let further_otm = |s: &ScoredStrike| match spec.kind {
        OptionKind::Call => s.strike.value(),
        OptionKind::Put => -s.strike.value(),
    };
    let &(best, iv, delta) = ranked
        .iter()
        .min_by(|a, b| distance(a.2).total_cmp(&distance(b.2)).then(further_otm(b.0).total_cmp(&further_otm(a.0))))
        .ok_or(NoSelection {
            kind: WarningKind::EmptyChain { listed, skipped },
            missing_prices: priced.unpriced == listed,
        })?;
    Ok(Selection {
        symbol: best.symbol,
        underlying: *target,
        forward,
        strike: best.strike,
        price: best.quote.map(|q| q.price),
        quote: best.quote,
        iv,
        delta,
        time_to_expiry: year_fraction(date, best.expiration),
        expiration: best.expiration,
        chain_size: listed,
        skipped,
        priced,
        in_band: distance(delta) <= spec.band + 1e-12,
    })
}

/// The chain as the leg `spec` saw it, `chosen` its pick: the strikes are shared, not copied.
pub fn roll_chain(chain: &ScoredChain, spec: &RunSpec, chosen: Option<&OptionSymbol>) -> RollChain {
    RollChain::new(Arc::clone(&chain.scored), spec.target_delta, chosen.copied())
}

/// The delta of `option` on `date` at vol `vol` with the future at `forward`, under the
/// spec's rate and delta convention and the run's model.
pub fn delta_at(run: &RunContext, option: &OptionContract, forward: Price, date: NaiveDate, vol: f64) -> Option<f64> {
    let spec = run.spec;
    let inputs = Black76Inputs {
        forward: forward.value(),
        strike: option.strike.value(),
        time: year_fraction(date, option.expiration),
        vol,
        rate: spec.rate,
        kind: option.kind(),
    };
    run.model.delta(&inputs, spec.delta_convention).ok()
}

/// The implied-vol query for `option` priced at `price` with the future at `forward`.
pub fn iv_query(spec: &RunSpec, option: &OptionContract, forward: Price, date: NaiveDate, price: Price) -> IvQuery {
    IvQuery {
        forward: forward.value(),
        strike: option.strike.value(),
        time: year_fraction(date, option.expiration),
        rate: spec.rate,
        kind: option.kind(),
        price: price.value(),
    }
}

/// The implied vol of the priced strike nearest the forward (ties: the lower strike).
fn atm_vol(candidates: &[(&OptionContract, Option<Quote>, Result<f64, Skip>)], forward: Price) -> Option<f64> {
    candidates
        .iter()
        .filter_map(|&(o, _, iv)| Some(((o.strike.value() - forward.value()).abs(), o.strike.value(), iv.ok()?)))
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map(|(_, _, iv)| iv)
}

/// Annualised close-to-close vol of `future` over the `days` log returns that end on
/// `date`, from its prices on trade dates (settlement, else close; no look-ahead).
fn historical_vol(market: &MarketData, future: &FuturesSymbol, date: NaiveDate, days: u32) -> Option<f64> {
    let calendar = market.calendar();
    let mut prices: Vec<f64> = calendar
        .sessions()
        .rev()
        .skip_while(|&d| d > date)
        .filter(|&d| calendar.is_trading_day(d))
        .filter_map(|d| future_quote(market, future, d))
        .map(|q| q.price.value())
        .take(days as usize + 1)
        .collect();
    prices.reverse();
    if prices.len() < days as usize + 1 || prices.iter().any(|&p| p <= 0.0) {
        return None;
    }
    let returns: Vec<f64> = prices.windows(2).map(|w| (w[1] / w[0]).ln()).collect();
    let n = returns.len() as f64;
    let mean = returns.iter().sum::<f64>() / n;
    let variance = returns.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let vol = (variance * TRADING_DAYS_PER_YEAR).sqrt();
    (vol.is_finite() && vol > 0.0).then_some(vol)
}
