//! The chain a roll keeps ("why this strike") on a small hand-built market: every candidate
//! in strike order, the chosen one the nearest to the target among the ranked, the skipped
//! ones with their reason, and the manifest stating it only when asked.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{Datelike, Duration, Weekday};
use deltaroll_core::candidate::{Candidate, Skip};
use deltaroll_core::contract::{ContractMonth, OptionSymbol};
use deltaroll_core::export::{write_manifest, write_manifest_with, ManifestOptions};
use deltaroll_core::legs::parse_legs;
use deltaroll_core::market::{Instrument, MarketBuilder, MarketData, Price, PriceSource, Provenance};
use deltaroll_core::pricing::IvError;
use deltaroll_core::product::ProductSpec;
use deltaroll_core::report::{Report, Roll};
use deltaroll_core::spec::RunSpec;
use deltaroll_core::strategy::run;
use support::d;

/// The strike without any price.
const UNPRICED: f64 = 3.0;
/// The deep in-the-money strike priced at the minimum tick, below its intrinsic value.
const BELOW_INTRINSIC: f64 = 2.0;

fn px(v: f64) -> Price {
    Price::new(v).unwrap()
}

/// Futures HOZ1..HOJ2 near 2.6, calls from 2.00 to 4.00 every 0.10 at 40% vol, settled on
/// weekdays; the call struck at 3.00 never priced, the one at 2.00 always at the tick.
fn market() -> MarketData {
    let product = ProductSpec::heating_oil();
    let mut b = MarketBuilder::new(product.clone(), Provenance::SimulatedDemo);
    let months: Vec<ContractMonth> =
        ContractMonth::new(2021, 12).unwrap().through(ContractMonth::new(2022, 4).unwrap()).collect();
    let mut day = d(2021, 10, 1);
    while day <= d(2022, 1, 31) {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            let level = 2.5 + 0.001 * (day - d(2021, 10, 1)).num_days() as f64;
            for &month in &months {
                let f = level + 0.01 * month.month() as f64;
                let sources = [PriceSource::Settlement];
                let Some((fut, option_expiry)) = support::toy_future(&mut b, &product, month, day, f, &sources) else {
                    continue;
                };
                for k in 0..=20 {
                    let strike = 2.0 + 0.1 * k as f64;
                    let symbol = support::call(&product, month, strike);
                    b.add_option_definition(symbol, fut, px(strike), option_expiry);
                    if day > option_expiry || (strike - UNPRICED).abs() < 1e-9 {
                        continue;
                    }
                    let price = if (strike - BELOW_INTRINSIC).abs() < 1e-9 {
                        0.0001
                    } else {
                        support::model_call_price(f, strike, day, option_expiry)
                    };
                    b.add_price(Instrument::Option(symbol), day, PriceSource::Settlement, px(price));
                }
            }
        }
        day += Duration::days(1);
    }
    b.build()
}

fn report() -> Report {
    run(&RunSpec::new(d(2022, 1, 3), d(2022, 1, 31)), &market()).unwrap()
}

fn january(report: &Report) -> &Roll {
    report.rolls.iter().find(|r| r.month == ContractMonth::new(2022, 1).unwrap()).unwrap()
}

fn strike_of(roll: &Roll, symbol: &OptionSymbol) -> f64 {
    roll.chain.iter().find(|c| &c.symbol == symbol).unwrap().strike.value()
}

#[test]
fn the_chosen_candidate_is_the_ranked_one_nearest_the_target() {
    let report = report();
    let roll = january(&report);
    let choice = roll.choice.as_ref().unwrap();
    assert_eq!(roll.chain.len(), 21);
    assert_eq!(roll.chain.len(), choice.chain_size);
    let chain: Vec<Candidate> = roll.chain.iter().collect();
    assert!(chain.windows(2).all(|w| w[0].strike.value() < w[1].strike.value()));
    let chosen: Vec<_> = chain.iter().filter(|c| c.chosen).collect();
    assert_eq!(chosen.len(), 1);
    assert_eq!(chosen[0].symbol, choice.symbol);
    assert_eq!(chosen[0].delta, Some(choice.delta));
    assert_eq!(chosen[0].quote, choice.quote);
    for c in &chain {
        match (c.delta, c.distance) {
            (Some(delta), Some(distance)) => {
                assert!((distance - (delta.abs() - 0.15).abs()).abs() < 1e-12);
                assert!(chosen[0].distance.unwrap() <= distance, "{} is nearer than the chosen", c.symbol);
                assert!(c.skipped.is_none() && c.iv.is_some() && c.quote.is_some());
            }
            _ => assert!(c.skipped.is_some() && !c.chosen, "{} has no delta and no reason", c.symbol),
        }
    }
    assert_eq!(roll.chain.iter().filter(|c| c.skipped.is_some()).count(), choice.skipped);
}

#[test]
fn legs_rolling_on_one_chain_each_keep_their_own_choice_and_distances() {
    let mut spec = RunSpec::new(d(2022, 1, 3), d(2022, 1, 31));
    spec.legs = parse_legs("short:call:0.15,long:call:0.30", 2).unwrap();
    let report = run(&spec, &market()).unwrap();
    let january: Vec<&Roll> = report.rolls.iter().filter(|r| r.month == ContractMonth::new(2022, 1).unwrap()).collect();
    assert_eq!(january.iter().map(|r| r.leg).collect::<Vec<_>>(), [0, 1]);
    let (near, far) = (january[0], january[1]);
    let symbols = |r: &Roll| r.chain.iter().map(|c| c.symbol).collect::<Vec<_>>();
    assert_eq!(symbols(near), symbols(far), "the same chain");
    for (roll, target) in [(near, 0.15), (far, 0.30)] {
        let choice = roll.choice.as_ref().unwrap();
        let chosen: Vec<Candidate> = roll.chain.iter().filter(|c| c.chosen).collect();
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0].symbol, choice.symbol);
        for c in roll.chain.iter().filter(|c| c.delta.is_some()) {
            assert!((c.distance.unwrap() - (c.delta.unwrap().abs() - target).abs()).abs() < 1e-12);
        }
    }
    assert_ne!(near.choice.as_ref().unwrap().symbol, far.choice.as_ref().unwrap().symbol);
}

#[test]
fn skipped_candidates_say_why() {
    let report = report();
    let roll = january(&report);
    let at = |strike: f64| roll.chain.iter().find(|c| (c.strike.value() - strike).abs() < 1e-9).unwrap();
    let unpriced = at(UNPRICED);
    assert_eq!((unpriced.skipped, unpriced.quote, unpriced.iv), (Some(Skip::NoPrice), None, None));
    let below = at(BELOW_INTRINSIC);
    assert!(matches!(below.skipped, Some(Skip::NoVol(IvError::BelowIntrinsic { .. }))), "{:?}", below.skipped);
    assert_eq!(below.skipped.unwrap().to_string(), "below intrinsic");
    assert_eq!(below.quote.unwrap().date, roll.date.unwrap());
    assert_eq!(roll.chain.iter().filter(|c| c.skipped.is_some()).count(), 2);
    let choice = roll.choice.as_ref().unwrap();
    assert_eq!(strike_of(roll, &choice.symbol), choice.strike.value());
}

#[test]
fn the_manifest_states_chains_only_when_asked() {
    let report = report();
    let mut plain = Vec::new();
    write_manifest(&report, &mut plain).unwrap();
    let plain: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    assert!(plain["rolls"].as_array().unwrap().iter().all(|r| r.get("chain").is_none()));
    let mut full = Vec::new();
    write_manifest_with(&report, ManifestOptions { chains: true }, &mut full).unwrap();
    let full: serde_json::Value = serde_json::from_slice(&full).unwrap();
    let rolls = full["rolls"].as_array().unwrap();
    let jan = rolls.iter().find(|r| r["month"] == "2022-01").unwrap();
    let chain = jan["chain"].as_array().unwrap();
    assert_eq!(chain.len(), 21);
    let chosen: Vec<_> = chain.iter().filter(|c| c["chosen"] == true).collect();
    assert_eq!(chosen.len(), 1);
    assert_eq!(chosen[0]["symbol"], jan["symbol"]);
    assert!(chain.iter().any(|c| c["skipped"] == "no price" && c["price"].is_null()));
    assert!(chain.iter().any(|c| c["skipped"] == "below intrinsic"));
    // Without the chains, the manifest is the one with them minus the chains.
    let mut stripped = full.clone();
    stripped["rolls"].as_array_mut().unwrap().iter_mut().for_each(|r| {
        r.as_object_mut().unwrap().remove("chain");
    });
    assert_eq!(stripped, plain);
}
