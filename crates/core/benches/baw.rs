//! Throughput of the Barone-Adesi–Whaley implied vol (`baw_implied_vol`) on the grid of
//! `iv.rs` (~1000 energy-futures option quotes: calls and puts, 1 day to 1.5 years,
//! 10 %–120 % vol, strikes ±3σ), priced with BAW at a 4 % rate. Goal: ≥ 200k solves/s
//! native (release).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use deltaroll_core::contract::OptionKind;
use deltaroll_core::pricing::{baw_implied_vol, Baw, Black76Inputs, IvQuery};

fn grid() -> Vec<IvQuery> {
    let forwards = [1.85, 2.40, 2.95];
    let times = [1.0 / 365.0, 7.0 / 365.0, 30.0 / 365.0, 0.25, 0.5, 1.0, 1.5];
    let vols = [0.10, 0.25, 0.40, 0.65, 1.20];
    let moneyness = [-3.0, -2.0, -1.25, -0.5, 0.0, 0.5, 1.25, 2.0, 3.0, 4.0];
    let mut out = Vec::new();
    for (i, &forward) in forwards.iter().enumerate() {
        for &time in &times {
            for &vol in &vols {
                for &m in &moneyness {
                    let kind = if (i + out.len()) % 2 == 0 { OptionKind::Call } else { OptionKind::Put };
                    let strike: f64 = forward * (m * vol * f64::sqrt(time)).exp();
                    let strike = (strike * 100.0).round() / 100.0; // listed cent strikes
                    let inputs = Black76Inputs { forward, strike, time, vol, rate: 0.04, kind };
                    if let Ok(v) = Baw::new(inputs) {
                        let q = IvQuery { forward, strike, time, rate: 0.04, kind, price: v.price() };
                        if baw_implied_vol(&q).is_ok() {
                            out.push(q);
                        }
                    }
                }
            }
        }
    }
    out
}

fn bench_baw_iv(c: &mut Criterion) {
    let cases = grid();
    let mut group = c.benchmark_group("baw_implied_vol");
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.bench_function(format!("grid_{}", cases.len()), |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for q in &cases {
                acc += baw_implied_vol(black_box(q)).unwrap_or(0.0);
            }
            black_box(acc)
        })
    });
    group.finish();
}

criterion_group!(benches, bench_baw_iv);
criterion_main!(benches);
