//! The whole fetch against the fake: cost first, then phases 1 → 2 → selection → 3, the
//! request count within the plan's goal, the market's contents, the cache, and
//! all-or-nothing failure.

use std::cell::RefCell;

use deltaroll_core::contract::OptionKind;
use deltaroll_core::legs::parse_legs;
use deltaroll_core::market::{MarketData, PriceSource, Provenance};
use deltaroll_core::spec::{RunSpec, SpecError};
use deltaroll_core::strategy::run;
use deltaroll_databento::cache::MemoryCache;
use deltaroll_databento::fetch::{estimate_cost, fetch_market, fetch_market_with};
use deltaroll_databento::plan::{Holding, Purpose};
use deltaroll_databento::{ApiError, BaseUrl, Client, Offline, Progress, Refusal};
use fake_databento::{synthetic_market, FakeConfig, Fault, COST_PER_RECORD};

use crate::{client, d, start};

const GET_RANGE: &str = "/v0/timeseries.get_range";

/// A stand-in for the strategy: on each roll date, the cheapest priced call struck at
/// least 10% above the target future.
fn pick(spec: &RunSpec, m: &MarketData) -> Result<Vec<Holding>, Vec<SpecError>> {
    let src = spec.price_source;
    let mut out = Vec::new();
    for month in spec.roll_months() {
        let Some(day) = m.calendar().first_trading_day(month) else {
            continue;
        };
        let target = m.future_for_month(month.add_months(spec.months_ahead as i32));
        let Some(f) = m.future_price(&target, day, src) else {
            continue;
        };
        let choice = m
            .chain(&target, OptionKind::Call)
            .filter(|o| o.strike.value() >= f.value() * 1.1)
            .filter(|o| m.option_price(&o.symbol, day, src).is_some())
            .min_by(|a, b| a.strike.value().total_cmp(&b.strike.value()));
        if let Some(o) = choice {
            out.push(Holding { symbol: o.symbol, from: day, until: o.expiration });
        }
    }
    Ok(out)
}

fn spec() -> RunSpec {
    RunSpec::new(d(2025, 1, 2), d(2025, 2, 28))
}

#[tokio::test]
async fn cost_is_estimated_before_anything_billable() {
    let server = start(FakeConfig::synthetic()).await;
    let api = client(&server);
    let estimate = estimate_cost(&api, &spec(), &|_| {}).await.unwrap();
    // Phase 1, two per roll day, and the four rolls' held options in one batch.
    assert_eq!((estimate.request_count(), estimate.stand_in_count()), (2 + 2 * 4 + 1, 4));
    assert!(server.requests_to(GET_RANGE).is_empty(), "nothing billable yet");
    assert!(estimate.unpriced.is_empty() && !estimate.lower_bound);
    let sum: f64 = estimate.priced.iter().map(|p| p.usd).sum();
    assert!((estimate.total_usd - sum).abs() < 1e-9);
    assert!(estimate.total_usd > 0.0 && estimate.stand_in_usd() > 0.0);
    assert!(estimate.priced.iter().all(|p| p.usd >= 0.0));
    // Every line priced one-for-one with the fake's record counts.
    let first = &estimate.priced[0];
    assert_eq!(first.planned.purpose, Purpose::FuturesBars);
    assert!((first.usd / COST_PER_RECORD).fract().abs() < 1e-6);
    server.shutdown().await;
}

/// After a fetch, the estimate of the same run prices what the cache holds at $0 and does
/// not ask Databento for its cost.
#[tokio::test]
async fn cached_requests_are_estimated_free() {
    let server = start(FakeConfig::synthetic()).await;
    let cache = MemoryCache::new();
    let api = client(&server).with_cache(&cache, d(2026, 1, 1));
    let before = estimate_cost(&api, &spec(), &|_| {}).await.unwrap();
    assert_eq!(before.cached_count(), 0);
    fetch_market_with(&api, &spec(), pick, &|_| {}).await.unwrap();
    let asked = server.requests_to("/v0/metadata.get_cost").len();
    let after = estimate_cost(&api, &spec(), &|_| {}).await.unwrap();
    assert_eq!(after.request_count(), before.request_count());
    let planned = after.priced.len() + after.unpriced.len();
    let kept = after.cached_count();
    assert!(kept >= 5, "phase 1 and the roll days at least: {kept}");
    assert!(after.priced.iter().filter(|p| p.cached).all(|p| p.usd == 0.0));
    assert!(after.total_usd < before.total_usd, "{} vs {}", after.total_usd, before.total_usd);
    let asked_again = server.requests_to("/v0/metadata.get_cost").len() - asked;
    assert_eq!(asked_again, planned - after.cached_count(), "cached requests are not priced");
    server.shutdown().await;
}

/// Issue 9: a server that cannot resolve the phase-3 stand-in `HOF5` answers its cost with
/// 422 "None of the symbols could be resolved"; the estimate prices the rest, lists the
/// stand-in with the reason, says the total is a lower bound, and the fetch still runs.
#[tokio::test]
async fn a_refused_stand_in_leaves_a_lower_bound_not_an_error() {
    let server = start(FakeConfig::synthetic().fault(Fault::Unresolved("HOF5".into()))).await;
    let api = client(&server);
    let estimate = estimate_cost(&api, &spec(), &|_| {}).await.unwrap();
    assert_eq!(estimate.request_count(), 2 + 2 * 4 + 1);
    assert_eq!(estimate.unpriced.len(), 1, "{:?}", estimate.unpriced);
    let gap = &estimate.unpriced[0];
    assert_eq!(gap.planned.purpose, Purpose::HeldPricesEstimate { month: "2024-11".parse().unwrap(), leg: 0 });
    assert!(gap.label().starts_with("statistics for HOF5 (raw_symbol)"), "{}", gap.label());
    assert_eq!(gap.reason, Refusal::SymbolNotResolved);
    assert_eq!(gap.reason.to_string(), "not priced: symbol not resolved for these dates");
    assert!(estimate.lower_bound);
    assert_eq!(estimate.priced.len(), estimate.request_count() - 1 + 4 - 1, "all but the refused stand-in");
    assert!(estimate.total_usd > 0.0);
    let refused = server.requests_to("/v0/metadata.get_cost").into_iter().filter(|r| r.status != 200).count();
    assert_eq!(refused, 1, "the refusal is not retried");

    // The same server still serves the fetch: the stand-in was only a guess.
    fetch_market_with(&api, &spec(), pick, &|_| {}).await.unwrap();
    server.shutdown().await;
}

#[tokio::test]
async fn fetch_builds_the_market_in_phases_within_the_request_goal() {
    let server = start(FakeConfig::synthetic()).await;
    let api = client(&server);
    let events = RefCell::new(Vec::new());
    let chosen = RefCell::new(Vec::new());
    let market = fetch_market_with(
        &api,
        &spec(),
        |s, m| {
            let h = pick(s, m)?;
            chosen.borrow_mut().extend(h.clone());
            Ok(h)
        },
        &|p| events.borrow_mut().push(p),
    )
    .await
    .unwrap();
    assert_eq!(market.provenance, Provenance::Databento);

    let rolls = spec().roll_months().count();
    let fetched = server.requests_to(GET_RANGE);
    assert_eq!(fetched.len(), 2 + 2 * rolls + 1);
    assert!(fetched.len() <= 2 * rolls + 3);
    let phases: Vec<u8> = events
        .borrow()
        .iter()
        .filter_map(|p| match p {
            Progress::Phase { phase, .. } => Some(*phase),
            _ => None,
        })
        .collect();
    assert_eq!(phases, [1, 2, 3]);

    let truth = synthetic_market();
    let src = PriceSource::Settlement;
    // Futures settlements over the whole range, equal to what the fake serves.
    let hoh5 = market.future_for_month("2025-03".parse().unwrap());
    for day in [d(2024, 11, 1), d(2025, 1, 2), d(2025, 2, 14), d(2025, 2, 28)] {
        assert_eq!(market.future_price(&hoh5, day, src), truth.future_price(&hoh5, day, src), "{day}");
    }
    assert_eq!(market.future(&hoh5).unwrap().expiration, d(2025, 2, 28));
    // Every session of the served data is a row, Sunday evenings included (from the bars).
    let served: Vec<_> = truth.calendar().sessions_between(spec().data_start(), spec().end).collect();
    assert_eq!(market.calendar().sessions_between(spec().data_start(), spec().end).collect::<Vec<_>>(), served);
    // Each held option priced every session from its roll date through expiration.
    let chosen = chosen.borrow().clone();
    assert_eq!(chosen.len(), rolls);
    for h in chosen.iter() {
        let last = h.until.min(spec().end);
        for day in truth.calendar().sessions_between(h.from, last) {
            assert_eq!(
                market.option_price(&h.symbol, day, src),
                truth.option_price(&h.symbol, day, src),
                "{} on {day}",
                h.symbol
            );
        }
    }
    // The sent requests are the planned ones: phase 3 by raw symbol.
    let held = fetched.last().unwrap();
    assert_eq!(held.field("stype_in"), Some("raw_symbol"));
    assert_eq!(held.field("symbols").unwrap().split(',').count(), rolls);
    server.shutdown().await;
}

#[tokio::test]
async fn roll_days_keep_only_the_target_chains_and_the_strategy_chooses_as_on_the_served_market() {
    let server = start(FakeConfig::synthetic()).await;
    let spec = spec();
    let market = fetch_market(&client(&server), &spec, &|_| {}).await.unwrap();
    let targets: Vec<_> = spec.roll_months().map(|m| m.add_months(spec.months_ahead as i32)).collect();
    assert!(market.options().count() > 0);
    assert!(market.options().all(|o| targets.contains(&o.symbol.month)), "only options of the target months");
    let served = synthetic_market();
    assert!(served.options().any(|o| !targets.contains(&o.symbol.month)), "the chains served hold other months");
    let choices = |m: &MarketData| -> Vec<_> {
        let report = deltaroll_core::strategy::run(&spec, m).unwrap();
        report.rolls.into_iter().map(|r| (r.date, r.choice.map(|c| c.symbol))).collect()
    };
    let fetched = choices(&market);
    assert!(fetched.iter().all(|(_, choice)| choice.is_some()), "{fetched:?}");
    assert_eq!(fetched, choices(&served));
    server.shutdown().await;
}

#[tokio::test]
async fn close_prices_work_the_same_way() {
    let server = start(FakeConfig::synthetic()).await;
    let mut spec = spec();
    spec.price_source = PriceSource::Close;
    let market = fetch_market_with(&client(&server), &spec, pick, &|_| {}).await.unwrap();
    let truth = synthetic_market();
    let hoh5 = market.future_for_month("2025-03".parse().unwrap());
    assert_eq!(
        market.future_price(&hoh5, d(2025, 1, 5), PriceSource::Close),
        truth.future_price(&hoh5, d(2025, 1, 5), PriceSource::Close),
        "Sunday bar"
    );
    // Settlements only to value each roll day's chain (and its future): one request a roll,
    // never the futures' range (phase 1) nor the held options (phase 3).
    let sent = server.requests_to(GET_RANGE);
    let stats: Vec<_> = sent.iter().filter(|r| r.field("schema") == Some("statistics")).collect();
    assert_eq!(stats.len(), spec.roll_months().count());
    assert!(stats.iter().all(|r| r.field("symbols") == Some("HO.FUT,OH.OPT")), "{stats:?}");
    let jan = market.calendar().first_trading_day("2025-01".parse().unwrap()).unwrap();
    assert!(market.future_price(&hoh5, jan, PriceSource::Settlement).is_some(), "the roll day's settlement");
    server.shutdown().await;
}

#[tokio::test]
async fn a_second_fetch_comes_from_the_cache() {
    let server = start(FakeConfig::synthetic()).await;
    let cache = MemoryCache::new();
    let api = client(&server).with_cache(&cache, d(2026, 1, 1));
    let first = fetch_market_with(&api, &spec(), pick, &|_| {}).await.unwrap();
    let fetched = server.requests_to(GET_RANGE).len();
    let rolls = spec().roll_months().count();
    assert_eq!(
        cache.len(),
        2 * fetched + 1 + rolls,
        "every body, its link (where it reached), the dataset's range and each roll day's kept chain"
    );
    let cached = RefCell::new(0);
    let second = fetch_market_with(&api, &spec(), pick, &|p| {
        if matches!(p, Progress::Done { cached: true, .. }) {
            *cached.borrow_mut() += 1;
        }
    })
    .await
    .unwrap();
    assert_eq!(server.requests_to(GET_RANGE).len(), fetched, "no new billable request");
    assert_eq!(*cached.borrow(), fetched);
    assert_eq!(first.content_hash(), second.content_hash());

    // Ranges reaching "today" are never cached.
    let recent = MemoryCache::new();
    let api = client(&server).with_cache(&recent, d(2025, 2, 1));
    fetch_market_with(&api, &spec(), pick, &|_| {}).await.unwrap();
    assert!(recent.len() < cache.len(), "fewer bodies (and links) kept than for the older range");
    server.shutdown().await;
}

#[tokio::test]
async fn a_cached_fetch_replays_without_a_key_or_the_network() {
    let server = start(FakeConfig::synthetic()).await;
    let cache = MemoryCache::new();
    let today = d(2026, 1, 1);
    let fetched = fetch_market_with(&client(&server).with_cache(&cache, today), &spec(), pick, &|_| {}).await.unwrap();
    let sent = server.request_count();

    let same_gateway = BaseUrl::parse(&server.url()).unwrap();
    let offline = Client::keyless(Offline).with_base_url(same_gateway).with_cache(&cache, today);
    let replayed = fetch_market_with(&offline, &spec(), pick, &|_| {}).await.unwrap();
    assert_eq!(replayed.content_hash(), fetched.content_hash());
    assert_eq!(server.request_count(), sent, "nothing was sent");

    // What the fake server answered is never served as Databento's.
    let databento = Client::keyless(Offline).with_cache(&cache, today);
    let err = fetch_market_with(&databento, &spec(), pick, &|_| {}).await.unwrap_err();
    assert!(matches!(err, ApiError::NotCached { .. }), "{err:?}");

    let mut longer = spec();
    longer.end = d(2025, 3, 31);
    let err = fetch_market_with(&offline, &longer, pick, &|_| {}).await.unwrap_err();
    assert!(matches!(err, ApiError::NotCached { .. }), "{err:?}");
    assert!(err.to_string().contains("API key"), "{err}");
    let empty = MemoryCache::new();
    let offline = Client::keyless(Offline).with_cache(&empty, today);
    let err = fetch_market_with(&offline, &spec(), pick, &|_| {}).await.unwrap_err();
    assert!(matches!(&err, ApiError::NotCached { what } if what.contains("date range")), "{err:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn any_failure_means_no_market() {
    let server = start(FakeConfig::synthetic().fault(Fault::Truncate)).await;
    let err = fetch_market_with(&client(&server), &spec(), pick, &|_| {}).await.unwrap_err();
    assert!(matches!(err, ApiError::CorruptBody { .. }), "{err:?}");
    server.shutdown().await;

    let server = start(FakeConfig::synthetic()).await;
    let mut bad = spec();
    bad.end = d(2024, 12, 1);
    let err = fetch_market_with(&client(&server), &bad, pick, &|_| {}).await.unwrap_err();
    assert!(matches!(err, ApiError::InvalidSpec { .. }), "{err:?}");
    assert_eq!(server.request_count(), 0, "nothing is asked for an impossible spec");

    let refuse = |_: &RunSpec, _: &MarketData| -> Result<Vec<Holding>, Vec<SpecError>> {
        Err(vec![SpecError { field: deltaroll_core::spec::SpecField::Setting("delta"), message: "no".into() }])
    };
    let err = fetch_market_with(&client(&server), &spec(), refuse, &|_| {}).await.unwrap_err();
    assert!(matches!(err, ApiError::InvalidSpec { .. }), "{err:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn runs_past_the_available_data_are_clamped_or_refused() {
    let server = start(FakeConfig::synthetic()).await;
    let late = RunSpec::new(d(2025, 6, 2), d(2025, 8, 29));
    let market = fetch_market_with(&client(&server), &late, pick, &|_| {}).await.unwrap();
    assert_eq!(market.calendar().span().unwrap().1, d(2025, 6, 30));
    assert!(server.requests().iter().all(|r| r.status == 200));

    let future = RunSpec::new(d(2027, 1, 4), d(2027, 2, 26));
    let err = fetch_market_with(&client(&server), &future, pick, &|_| {}).await.unwrap_err();
    assert!(matches!(err, ApiError::NoData { .. }), "{err:?}");

    let early = RunSpec::new(d(2024, 6, 3), d(2024, 12, 31));
    let err = estimate_cost(&client(&server), &early, &|_| {}).await.unwrap_err();
    assert!(matches!(err, ApiError::BeforeCoverage { first, .. } if first == d(2024, 9, 2)), "{err:?}");
    assert!(err.to_string().contains("pick a start date on or after it"), "{err}");

    // Starting inside the data: the roll months before it are only cut short.
    let sent = server.request_count();
    let inside = RunSpec::new(d(2024, 10, 1), d(2024, 12, 31));
    let estimate = estimate_cost(&client(&server), &inside, &|_| {}).await.unwrap();
    assert!(estimate.priced.iter().all(|p| p.planned.request.range.start() >= d(2024, 9, 2)));
    assert!(estimate.unpriced.is_empty());
    fetch_market_with(&client(&server), &inside, pick, &|_| {}).await.unwrap();
    assert!(server.requests().iter().skip(sent).all(|r| r.status == 200), "no request before the data");
    server.shutdown().await;
}

/// Issue 12: one pull serves every leg. A short strangle (a call leg and a put leg) makes
/// exactly the requests of a short call alone: the roll-day chain requests name the
/// options parent (calls and puts), and the put leg's held options join the call leg's in
/// the one phase-3 batch. The estimate prices one stand-in more per roll (the put leg's
/// held option) and counts the requests the fetch then sends: no more than one leg's.
#[tokio::test]
async fn a_strangle_is_fetched_with_the_requests_of_one_leg() {
    let server = start(FakeConfig::synthetic()).await;
    let api = client(&server);
    let mut call = spec();
    call.legs = parse_legs("short:call:0.15", 2).unwrap();
    let mut strangle = spec();
    strangle.legs = parse_legs("short:call:0.15,short:put:0.15", 2).unwrap();

    let one = estimate_cost(&api, &call, &|_| {}).await.unwrap();
    let two = estimate_cost(&api, &strangle, &|_| {}).await.unwrap();
    let rolls = spec().roll_months().count();
    assert_eq!(two.stand_in_count(), one.stand_in_count() + rolls, "one stand-in per roll for the put leg");
    assert_eq!(two.request_count(), one.request_count(), "no request more than one leg's");
    assert!(two.stand_in_usd() > one.stand_in_usd() && two.total_usd > one.total_usd);
    assert!(server.requests_to(GET_RANGE).is_empty(), "nothing billable yet");

    fetch_market(&api, &call, &|_| {}).await.unwrap();
    let after_call = server.requests_to(GET_RANGE);
    let market = fetch_market(&api, &strangle, &|_| {}).await.unwrap();
    let sent = server.requests_to(GET_RANGE);
    let strangle_sent = &sent[after_call.len()..];
    assert_eq!(strangle_sent.len(), after_call.len(), "no request more than one leg's");
    assert_eq!(strangle_sent.len(), two.request_count(), "as many requests as the estimate said");
    let held = strangle_sent.last().unwrap().field("symbols").unwrap().to_owned();
    let kinds: Vec<char> = held.split(',').filter_map(|s| s.split(' ').nth(1)?.chars().next()).collect();
    assert!(kinds.contains(&'C') && kinds.contains(&'P'), "{held}");
    assert_eq!(kinds.len(), held.split(',').count());

    // Both legs run on the one market, every held option priced.
    let report = run(&strangle, &market).unwrap();
    for leg in 0..2 {
        let kind = [OptionKind::Call, OptionKind::Put][leg];
        let columns: Vec<_> = report.columns.iter().filter(|c| c.leg == leg).collect();
        assert!(!columns.is_empty() && columns.iter().all(|c| c.symbol.kind == kind), "leg {leg}");
    }
    assert!(report.rows.iter().all(|r| r.held.iter().zip(&report.columns).all(|(h, c)| {
        h.is_some() || !(c.from..=c.until).contains(&r.date) || !market.calendar().is_trading_day(r.date)
    })));
    server.shutdown().await;
}
