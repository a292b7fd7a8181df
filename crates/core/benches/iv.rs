//! Throughput of the implied vols on a fixed grid of ~1000 realistic energy-futures option
//! quotes (calls and puts, 1 day to 1.5 years, 10 %–120 % vol, strikes ±3σ, 4 % rate):
//! Black-76 (`implied_vol`, Jäckel; goal ≥ 1,000,000 solves/s) and Barone-Adesi–Whaley
//! (`baw_implied_vol`, on the same grid priced with BAW; goal ≥ 200,000 solves/s), native,
//! release.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use deltaroll_core::contract::OptionKind;
use deltaroll_core::pricing::{baw_implied_vol, implied_vol, Baw, Black76, Black76Inputs, IvError, IvQuery};

/// The grid's quotes priced by `price` (`None`: no price) that `solve` inverts.
fn grid(price: impl Fn(Black76Inputs) -> Option<f64>, solve: fn(&IvQuery) -> Result<f64, IvError>) -> Vec<IvQuery> {
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
                    if let Some(price) = price(inputs) {
                        let q = IvQuery { forward, strike, time, rate: 0.04, kind, price };
                        if solve(&q).is_ok() {
                            out.push(q);
                        }
                    }
                }
            }
        }
    }
    out
}

/// `solve` over `cases`, as one benchmark of the group `name`.
fn bench(c: &mut Criterion, name: &str, cases: &[IvQuery], solve: fn(&IvQuery) -> Result<f64, IvError>) {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.bench_function(format!("grid_{}", cases.len()), |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for q in cases {
                acc += solve(black_box(q)).unwrap_or(0.0);
            }
            black_box(acc)
        })
    });
    group.finish();
}

fn bench_iv(c: &mut Criterion) {
    let black76 = grid(|i| Black76::new(i).ok().map(|v| v.price()), implied_vol);
    bench(c, "implied_vol", &black76, implied_vol);
    let baw = grid(|i| Baw::new(i).ok().map(|v| v.price()), baw_implied_vol);
    bench(c, "baw_implied_vol", &baw, baw_implied_vol);
}

criterion_group!(benches, bench_iv);
criterion_main!(benches);
