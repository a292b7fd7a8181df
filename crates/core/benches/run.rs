//! Speed of a 5-year run of the default strategy on the demo market (goal < 50 ms native),
//! and of 4-leg runs on the same market (goal: within twice the one-leg run): four calls
//! of one chain (0.05, 0.10, 0.15, 0.25, which share each roll day's scored chain) and an
//! iron condor (short calls and puts at 0.15, long at 0.05, which scores the call and the
//! put chain: twice the chain work of one leg before any leg's own).

#![allow(clippy::unwrap_used, missing_docs)]

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use deltaroll_core::demo::{demo_market, DemoConfig};
use deltaroll_core::export::ExportFormat;
use deltaroll_core::legs::parse_legs;
use deltaroll_core::spec::RunSpec;
use deltaroll_core::strategy::run;

fn five_year_run(c: &mut Criterion) {
    let market = demo_market(&DemoConfig::default());
    let spec =
        RunSpec::new(NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
    c.bench_function("run_5y_demo", |b| b.iter(|| run(&spec, &market).unwrap()));
    let mut condor = spec.clone();
    condor.legs = parse_legs("short:call:0.15,short:put:0.15,long:call:0.05,long:put:0.05", 2).unwrap();
    c.bench_function("run_5y_demo_4_legs", |b| b.iter(|| run(&condor, &market).unwrap()));
    let mut calls = spec.clone();
    calls.legs = parse_legs("long:call:0.05,long:call:0.10,long:call:0.15,long:call:0.25", 2).unwrap();
    c.bench_function("run_5y_demo_4_call_legs", |b| b.iter(|| run(&calls, &market).unwrap()));
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
