//! Speed of a 5-year run of the default strategy on the demo market (goal < 50 ms native).

#![allow(clippy::unwrap_used, missing_docs)]

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use deltaroll_core::demo::{demo_market, DemoConfig};
use deltaroll_core::export::ExportFormat;
use deltaroll_core::spec::RunSpec;
use deltaroll_core::strategy::run;

fn five_year_run(c: &mut Criterion) {
    let market = demo_market(&DemoConfig::default());
    let spec =
        RunSpec::new(NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
    c.bench_function("run_5y_demo", |b| b.iter(|| run(&spec, &market).unwrap()));
    let report = run(&spec, &market).unwrap();
    c.bench_function("wide_csv_5y_demo", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            ExportFormat::Wide.write(&report, &mut out).unwrap();
            out
        })
    });
}

criterion_group!(benches, five_year_run);
criterion_main!(benches);
