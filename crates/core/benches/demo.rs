//! How long the default demo market takes to build (the web app builds it in the browser).

// criterion_group! and criterion_main! generate undocumented public functions.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use deltaroll_core::demo::{demo_market, DemoConfig};

fn default_market(c: &mut Criterion) {
    let config = DemoConfig::default();
    let mut group = c.benchmark_group("demo");
    group.sample_size(10);
    group.bench_function("default_market_2021_2026", |b| b.iter(|| demo_market(std::hint::black_box(&config))));
    group.finish();
}

criterion_group!(benches, default_market);
criterion_main!(benches);
