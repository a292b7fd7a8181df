//! How long the default demo market takes to build (the web app builds it in the browser).

// criterion_group! and criterion_main! generate undocumented public functions.
#![allow(missing_docs)]

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use deltaroll_core::demo::{demo_market, demo_market_for, DemoConfig};
use deltaroll_core::spec::RunSpec;

fn default_market(c: &mut Criterion) {
    let config = DemoConfig::default();
    let mut group = c.benchmark_group("demo");
    group.sample_size(10);
    group.bench_function("default_market_2021_2026", |b| b.iter(|| demo_market(std::hint::black_box(&config))));
    // What the web app builds on first load: the default spec's own market (2025), and
    // the whole market of its window it replaces.
    let (start, end) = (NaiveDate::from_ymd_opt(2025, 1, 1), NaiveDate::from_ymd_opt(2025, 12, 31));
    if let (Some(start), Some(end)) = (start, end) {
        let spec = RunSpec::new(start, end);
        let window = DemoConfig::for_spec(&spec);
        group.bench_function("first_load_run_market_2025", |b| b.iter(|| demo_market_for(std::hint::black_box(&spec))));
        group.bench_function("first_load_window_2025", |b| b.iter(|| demo_market(std::hint::black_box(&window))));
    }
    group.finish();
}

criterion_group!(benches, default_market);
criterion_main!(benches);
