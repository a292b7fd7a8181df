//! The whole fetch of a run's market data: the cost estimate shown first ([`Estimate`]), then phase 1
//! (futures), phase 2 (roll-day chains), the strategy run that picks the held options,
//! and phase 3 (held options' prices). All or nothing: any failure returns an error and no
//! market.

use std::collections::{BTreeMap, BTreeSet};

use deltaroll_core::market::{MarketBuilder, MarketData, PriceSource, Provenance};
use deltaroll_core::report::Roll;
use deltaroll_core::spec::{RunSpec, SpecError};
use deltaroll_core::strategy::choose_rolls;

use crate::cache::Cache;
use crate::chain_keep::ChainKeep;
use crate::client::{Client, Progress};
use crate::decode::Decoded;
use crate::error::ApiError;
use crate::estimate::{Estimate, Refusal};
use crate::ingest::Ingest;
use crate::kept_chain::RollDay;
use crate::plan::{
    clamp_all, futures_requests, held_requests, roll_dates, roll_requests, Holding, Plan, PlannedRequest,
};
use crate::request::DatasetRange;
use crate::transport::Transport;
use crate::types::{Dataset, DateRange, ParamError};
use crate::Schema;

/// Price the plan with `metadata.get_cost` (free), per request. Call this and show the
/// result before [`fetch_market`] / [`fetch_market_with`]. A request Databento refuses to
/// price (a 4xx for it alone) is listed as unpriced and the total becomes a lower bound;
/// any other failure fails the estimate (see [`Estimate`]).
pub async fn estimate_cost<T: Transport, C: Cache>(
    client: &Client<T, C>,
    spec: &RunSpec,
    progress: &dyn Fn(Progress),
) -> Result<Estimate, ApiError> {
    check_spec(spec)?;
    let dataset = crate::plan::dataset(spec)?;
    let available = available(client, &dataset, spec).await?;
    let plan = Plan::before_fetch(spec)?.clamped(available);
    // A request whose answer is kept in the cache is read from it, not bought: $0.
    let mut cached = Vec::with_capacity(plan.requests.len());
    for planned in &plan.requests {
        cached.push(client.is_cached(&planned.request).await);
    }
    let costs: Vec<_> =
        plan.requests.iter().zip(&cached).filter(|(_, &kept)| !kept).map(|(p, _)| p.request.cost()).collect();
    let mut outcomes = client.get_costs_each(&costs, &|e| Refusal::of(&e).ok_or(e), progress).await?.into_iter();
    let priced = plan.requests.into_iter().zip(cached).map(|(planned, kept)| {
        let outcome = if kept { Ok(0.0) } else { outcomes.next().unwrap_or(Ok(0.0)) };
        (planned, outcome, kept)
    });
    Ok(Estimate::with_cached(priced))
}

/// The held options the core strategy chooses from `market`: every distinct option a roll
/// chose, from the first roll date that chose it through its expiration. Only the rolls
/// are worked out ([`choose_rolls`]), not the daily rows the market has no prices for yet.
pub fn strategy_holdings(spec: &RunSpec, market: &MarketData) -> Result<Vec<Holding>, Vec<SpecError>> {
    Ok(holdings(&choose_rolls(spec, market)?))
}

/// Each distinct option `rolls` chose, held from its first roll date through expiration.
fn holdings(rolls: &[Roll]) -> Vec<Holding> {
    let mut seen = BTreeSet::new();
    rolls
        .iter()
        .filter_map(|roll| Some((roll.date?, roll.choice.as_ref()?)))
        .filter(|(_, choice)| seen.insert(choice.symbol))
        .map(|(date, choice)| Holding { symbol: choice.symbol, from: date, until: choice.expiration })
        .collect()
}

/// Fetch everything `spec` needs and build the market ([`Provenance::Databento`]),
/// choosing the held options with the core strategy.
pub async fn fetch_market<T: Transport, C: Cache>(
    client: &Client<T, C>,
    spec: &RunSpec,
    progress: &dyn Fn(Progress),
) -> Result<MarketData, ApiError> {
    fetch_market_with(client, spec, strategy_holdings, progress).await
}

/// Fetch everything `spec` needs, with `select` choosing the held options from the market
/// known after phase 2 (the futures and every roll day's chain): phases 1 → 2 → select →
/// 3. Returns the finished market or the first error; never a partial market.
pub async fn fetch_market_with<T, C, S>(
    client: &Client<T, C>,
    spec: &RunSpec,
    select: S,
    progress: &dyn Fn(Progress),
) -> Result<MarketData, ApiError>
where
    T: Transport,
    C: Cache,
    S: FnOnce(&RunSpec, &MarketData) -> Result<Vec<Holding>, Vec<SpecError>>,
{
    check_spec(spec)?;
    let dataset = crate::plan::dataset(spec)?;
    let available = available(client, &dataset, spec).await?;
    let mut builder = MarketBuilder::new(spec.product.clone(), Provenance::Databento);
    let mut ingest = Ingest::new();

    // Phase 1: futures bars (sessions) and prices.
    let phase1 = clamp_all(futures_requests(spec)?, available);
    run_phase(client, spec, &phase1, 1, progress, &mut ingest, &mut builder).await?;
    let calendar = builder.calendar();
    if calendar.span().is_none() {
        let serves = phase1.first().map(|p| p.serves).ok_or(ApiError::Params(ParamError::NoSymbols))?;
        return Err(no_data(spec, serves));
    }

    // Phase 2: each roll day's chain.
    let rolls = roll_dates(spec, Some(&calendar));
    let phase2 = clamp_all(roll_requests(spec, &rolls)?, available);
    run_phase(client, spec, &phase2, 2, progress, &mut ingest, &mut builder).await?;

    // The strategy picks the held options from what is known now: the market built in a
    // task of its own and the pick in another (each about 100 ms over 15 years in a browser).
    client.pause().await;
    let interim = builder.clone().build();
    client.pause().await;
    let holdings = select(spec, &interim)
        .map_err(|errors| ApiError::InvalidSpec { problems: errors.into_iter().map(|e| e.message).collect() })?;

    // Phase 3: their daily prices through expiration.
    let phase3 = clamp_all(held_requests(spec, &holdings)?, available);
    run_phase(client, spec, &phase3, 3, progress, &mut ingest, &mut builder).await?;
    client.pause().await;
    Ok(builder.build())
}

fn check_spec(spec: &RunSpec) -> Result<(), ApiError> {
    let problems = spec.validate();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::InvalidSpec { problems: problems.into_iter().map(|e| e.message).collect() })
    }
}

fn no_data(spec: &RunSpec, range: DateRange) -> ApiError {
    ApiError::NoData {
        what: format!("{} futures prices ({})", spec.product.futures_parent(), spec.price_source),
        range,
        detail: None,
    }
}

/// The dates the dataset has for all of the run's schemas (end exclusive), asked for with
/// the free `metadata.get_dataset_range`. See [`coverage`].
async fn available<T: Transport, C: Cache>(
    client: &Client<T, C>,
    dataset: &Dataset,
    spec: &RunSpec,
) -> Result<DateRange, ApiError> {
    coverage(&client.get_dataset_range(dataset).await?, dataset, spec)
}

/// The dates `range` (the dataset's `get_dataset_range` answer) has for all of the run's
/// schemas (end exclusive). A run that starts before them is refused; its earlier roll
/// months (before `spec.start`) are only cut short; one whose data all lies after the
/// dataset's end has nothing to fetch. `deltaroll check` asks the same question.
pub fn coverage(range: &DatasetRange, dataset: &Dataset, spec: &RunSpec) -> Result<DateRange, ApiError> {
    let schemas = [Schema::Ohlcv1D, crate::plan::price_schema(spec.price_source), Schema::Definition];
    let corrupt = || ApiError::CorruptBody {
        what: format!("the date range of {dataset}"),
        detail: crate::error::shorten(&format!("no start or end date in {range:?}"), crate::error::MESSAGE_CHARS),
        billed_attempts: 0,
    };
    let start = schemas.iter().filter_map(|s| range.start_for(*s)).max().ok_or_else(corrupt)?;
    let end = schemas.iter().filter_map(|s| range.end_for(*s)).min().ok_or_else(corrupt)?;
    if end <= spec.data_start() {
        return Err(ApiError::NoData {
            what: format!("{dataset} data"),
            range: DateRange::inclusive(spec.data_start(), spec.end)?,
            detail: Some(format!("the data ends before {end}")),
        });
    }
    if spec.start < start {
        return Err(ApiError::BeforeCoverage { dataset: dataset.to_string(), first: start });
    }
    Ok(DateRange::new(start, end)?)
}

/// Fetch a phase's requests and ingest each body as it comes in, in plan order (each
/// roll's definitions before its prices), then drop it: a 15-year run never holds all its
/// bodies, and of each roll day's chain only what the strategy reads is kept
/// ([`ChainKeep`]). A roll day whose kept chain is cached ([`crate::kept_chain`]) is read
/// from it instead of its two bodies; one whose bodies are kept gets its kept chain cached.
#[allow(clippy::too_many_arguments)]
async fn run_phase<T: Transport, C: Cache>(
    client: &Client<T, C>,
    spec: &RunSpec,
    planned: &[PlannedRequest],
    phase: u8,
    progress: &dyn Fn(Progress),
    ingest: &mut Ingest,
    builder: &mut MarketBuilder,
) -> Result<(), ApiError> {
    progress(Progress::Phase { phase, requests: planned.len() });
    let days = RollDay::all(spec, planned);
    let total = planned.len();
    // Bodies read from kept chains, by plan index, each reported done as it is read.
    let mut ready = BTreeMap::new();
    let mut read_bytes = 0;
    // Asked for all at once: a browser's store answers them together.
    let kept = futures::future::join_all(days.iter().map(|day| day.read(client, planned))).await;
    for (day, kept) in days.iter().zip(kept) {
        let Some((definitions, prices, bytes)) = kept else { continue };
        read_bytes += bytes as u64;
        for (i, body) in [(day.definitions, definitions), (day.prices, prices)] {
            ready.insert(i, body);
            let label = planned[i].request.describe();
            progress(Progress::Done { label, done: ready.len(), total, bytes: read_bytes, cached: true, saved: true });
        }
    }
    let fetch: Vec<usize> = (0..total).filter(|i| !ready.contains_key(i)).collect();
    let requests: Vec<_> = fetch.iter().map(|&i| planned[i].request.clone()).collect();
    let skipped = ready.len();
    let shifted = |p| match p {
        Progress::Done { label, done, bytes, cached, saved, .. } => {
            progress(Progress::Done { label, done: done + skipped, total, bytes: bytes + read_bytes, cached, saved });
        }
        other => progress(other),
    };
    let mut keep = ChainKeep::default();
    // A roll day's kept definitions (when its body is kept), until its prices come.
    let mut pending: Option<(usize, Decoded)> = None;
    let mut entries = Vec::new();
    client
        .get_ranges_each(&requests, &shifted, &mut |j, mut body, kept| {
            let Some((&i, p)) = fetch.get(j).and_then(|i| Some((i, planned.get(*i)?))) else { return };
            ingest_ready(&mut ready, Some(i), planned, ingest, builder);
            keep.filter(spec, &p.purpose, &mut body);
            ingest_one(ingest, builder, p, &body);
            if let Some(day) = days.iter().position(|d| d.definitions == i) {
                pending = kept.then_some((day, body));
            } else if let Some(day) = days.iter().position(|d| d.prices == i) {
                match pending.take() {
                    Some((of, definitions)) if of == day && kept => {
                        entries.push((day, crate::kept_chain::encode(&definitions, &body)));
                    }
                    _ => {}
                }
            }
        })
        .await?;
    // The rest (all of a fully cached phase) with pauses, so the page keeps running.
    while !ready.is_empty() {
        let before = ready.keys().nth(INGEST_BETWEEN_PAUSES).copied();
        ingest_ready(&mut ready, before, planned, ingest, builder);
        client.pause().await;
    }
    for (day, entry) in entries {
        days[day].write(client, planned, &entry).await;
    }
    Ok(())
}
/// How many bodies read from kept chains are ingested between two pauses (a roll day's
/// two take about a millisecond in a browser).
const INGEST_BETWEEN_PAUSES: usize = 64;

/// Ingest the bodies read from kept chains that come before plan index `before` (all
/// when `None`), in plan order.
fn ingest_ready(
    ready: &mut BTreeMap<usize, Decoded>,
    before: Option<usize>,
    planned: &[PlannedRequest],
    ingest: &mut Ingest,
    builder: &mut MarketBuilder,
) {
    while let Some(entry) = ready.first_entry() {
        if before.is_some_and(|b| *entry.key() >= b) {
            break;
        }
        let (i, body) = entry.remove_entry();
        if let Some(p) = planned.get(i) {
            ingest_one(ingest, builder, p, &body);
        }
    }
}

/// One body into the market: definitions as contracts, settlements from `statistics`,
/// closes and volumes from bars, each body only for the dates it serves.
fn ingest_one(ingest: &mut Ingest, builder: &mut MarketBuilder, planned: &PlannedRequest, body: &Decoded) {
    let source = match planned.request.schema {
        Schema::Definition => {
            ingest.add_definitions(body, builder);
            return;
        }
        Schema::Statistics => PriceSource::Settlement,
        _ => PriceSource::Close,
    };
    ingest.add_prices(body, builder, source, Some(planned.serves));
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::testing::d;

    /// The pick works out the rolls only and asks for what a whole run would hold: each
    /// report column's option from its first day, and the options chosen outside the range.
    #[test]
    fn the_pick_holds_what_a_whole_run_chooses() {
        use deltaroll_core::demo::{demo_market, DemoConfig};
        use deltaroll_core::legs::parse_legs;
        let mut spec = RunSpec::new(d(2024, 3, 1), d(2024, 12, 31));
        spec.legs = parse_legs("short:call:0.15,short:put:0.15,long:call:0.05:3", 2).unwrap();
        let market = demo_market(&DemoConfig::default());
        let report = deltaroll_core::strategy::run(&spec, &market).unwrap();
        let picked = strategy_holdings(&spec, &market).unwrap();
        let chosen: Vec<_> = report.rolls.iter().filter(|r| r.choice.is_some()).collect();
        let distinct: std::collections::BTreeSet<_> =
            chosen.iter().map(|r| r.choice.as_ref().unwrap().symbol).collect();
        assert_eq!(picked.len(), distinct.len());
        assert!(
            report.rolls.iter().any(|r| r.date.unwrap() < spec.start && r.choice.is_some()),
            "rolls before the start"
        );
        for column in &report.columns {
            let h = picked.iter().find(|h| h.symbol == column.symbol).unwrap();
            assert_eq!((h.from, h.until), (column.from, column.until), "{}", column.symbol);
        }
        for roll in &chosen {
            let choice = roll.choice.as_ref().unwrap();
            let h = picked.iter().find(|h| h.symbol == choice.symbol).unwrap();
            assert!(h.from <= roll.date.unwrap() && h.until == choice.expiration);
        }
    }
}
