//! Every product the demo has runs, for calls and puts: any window, target delta and
//! months ahead give a choice on every roll, on the product's own market; and a run's own
//! market gives the same exports as the whole market of its window, as for HO.

#![allow(clippy::unwrap_used)]

use chrono::{Months, NaiveDate};
use deltaroll_core::contract::OptionKind;
use deltaroll_core::demo::{demo_market_for, demo_market_of, refusal, DemoConfig};
use deltaroll_core::export::{write_tidy, ExportFormat};
use deltaroll_core::market::{MarketData, PriceSource, Provenance};
use deltaroll_core::product::{Preset, ProductSpec};
use deltaroll_core::spec::RunSpec;
use deltaroll_core::strategy::run;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The presets that can run, every one of which the demo has.
fn products() -> Vec<ProductSpec> {
    let products: Vec<ProductSpec> = Preset::supported().map(|p| p.spec()).collect();
    assert!(products.iter().all(|p| refusal(p).is_none()), "the demo has every runnable preset");
    products
}

fn exports(spec: &RunSpec, market: &MarketData) -> (Vec<u8>, Vec<u8>) {
    let report = run(spec, market).unwrap();
    let (mut wide, mut tidy) = (Vec::new(), Vec::new());
    ExportFormat::Wide.write(&report, &mut wide).unwrap();
    write_tidy(&report, &mut tidy).unwrap();
    (wide, tidy)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..ProptestConfig::default()
    })]

    /// Any preset, option type, window (2021–2027, one to five months), delta and months
    /// ahead: the run succeeds on the demo market and chooses an option on every roll —
    /// unless the target future has stopped trading before the roll (Brent one month ahead:
    /// BZ stops two months before its contract month), which the spec refuses.
    #[test]
    fn every_presets_demo_run_chooses_on_every_roll(
        product in 0..products().len(),
        put in any::<bool>(),
        start_month in 0u32..84,
        months in 1u32..5,
        delta in 0.1f64..0.4,
        ahead in 1u32..=3,
    ) {
        let start = d(2021, 1, 4).checked_add_months(Months::new(start_month)).unwrap();
        let end = start.checked_add_months(Months::new(months)).unwrap();
        let mut spec = RunSpec::new(start, end);
        spec.product = products()[product].clone();
        spec.kind = if put { OptionKind::Put } else { OptionKind::Call };
        spec.target_delta = delta;
        spec.months_ahead = ahead;
        if ahead < spec.product.expiry_rule.futures_months_before {
            let errors = spec.validate();
            prop_assert!(errors.iter().any(|e| e.message.starts_with("Months ahead must be at least 2 for Brent")), "{:?}", errors);
            return Ok(());
        }
        let market = demo_market_for(&spec);
        prop_assert_eq!(market.provenance, Provenance::SimulatedDemo);
        prop_assert_eq!(&market.product, &spec.product);
        let report = run(&spec, &market).unwrap();
        prop_assert!(!report.rows.is_empty());
        prop_assert!(!report.rolls.is_empty());
        for roll in &report.rolls {
            let choice = roll.choice.as_ref();
            prop_assert!(choice.is_some_and(|c| c.symbol.kind == spec.kind), "{}: {:?}", spec.product.name, roll);
        }
    }
}

#[test]
fn each_products_run_reads_the_same_from_its_own_market_as_from_the_whole_window() {
    for product in products() {
        for kind in [OptionKind::Call, OptionKind::Put] {
            let mut spec = RunSpec::new(d(2025, 1, 1), d(2025, 6, 30));
            spec.product = product.clone();
            spec.kind = kind;
            let whole = demo_market_of(&DemoConfig::for_spec(&spec), &product).unwrap();
            let own = demo_market_for(&spec);
            assert!(own.observation_count() * 5 < whole.observation_count(), "{}: built as a fetch", product.name);
            assert_eq!(exports(&spec, &own), exports(&spec, &whole), "{} {kind:?}", product.name);
        }
    }
}

/// Daily log changes of the June 2024 future's settlements in the first quarter of 2024.
fn june_returns(product: &ProductSpec) -> Vec<f64> {
    let config = DemoConfig { start: d(2024, 1, 1), end: d(2024, 3, 31), ..DemoConfig::default() };
    let market = demo_market_of(&config, product).unwrap();
    let june = market.future_for_month(deltaroll_core::contract::ContractMonth::new(2024, 6).unwrap());
    let settled: Vec<f64> = market
        .future_series(&june)
        .filter(|(date, _)| *date >= config.start)
        .filter_map(|(_, p)| p.get(PriceSource::Settlement).map(|p| p.value().ln()))
        .collect();
    settled.windows(2).map(|w| w[1] - w[0]).collect()
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    let (ma, mb) = (mean(a), mean(b));
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let var = |x: &[f64], m: f64| x.iter().map(|v| (v - m).powi(2)).sum::<f64>();
    cov / (var(a, ma) * var(b, mb)).sqrt()
}

/// Each product has its own random path (HO's scaled would move in lockstep with it).
#[test]
fn products_move_on_their_own_paths() {
    let returns: Vec<Vec<f64>> = products().iter().map(june_returns).collect();
    for (i, a) in returns.iter().enumerate() {
        assert!(a.len() > 50);
        for b in &returns[i + 1..] {
            assert_eq!(a.len(), b.len(), "the same CME sessions");
            assert!(correlation(a, b).abs() < 0.5, "{}", correlation(a, b));
        }
    }
    let custom = ProductSpec::heating_oil().with_roots("QM", "QMO").unwrap();
    let config = DemoConfig::default();
    assert!(demo_market_of(&config, &custom).is_none() && refusal(&custom).is_some());
}
