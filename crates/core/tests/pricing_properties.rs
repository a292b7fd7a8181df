//! Property tests of Black-76 identities, greeks against finite differences, the
//! implied-vol round trip, and totality (no NaN/∞ ever escapes, any input).
//!
//! Realistic inputs: forward 0.5..200 price units, strike `F·e^{m·σ√T}` with `m` in
//! ±6 standard deviations (deep ITM to deep OTM), expiry 1 hour .. 3 years
//! (log-uniform), vol 3 %..200 %, rate −1 %..10 %.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use deltaroll_core::contract::OptionKind;
use deltaroll_core::pricing::{implied_vol, Black76, Black76Inputs, DeltaConvention, IvError, IvQuery, PricingError};
use implied_vol::{DefaultSpecialFn, SpecialFn};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use support::props::{kind, query, realistic, HOUR};

fn value(i: Black76Inputs) -> Black76 {
    Black76::new(i).unwrap_or_else(|e| panic!("{i:?}: {e}"))
}

/// Tolerance of the finite-difference checks relative to the greek's natural scale
/// (its largest value over strikes). The 5-point stencil with steps of 0.2 % of one
/// standard deviation has truncation error ~1e-10 and rounding error ≲ 1e-9 here.
const FD_TOL: f64 = 1e-8;

/// Fourth-order central difference `f'(x)` (5-point stencil), and the size of its
/// rounding error: the values of `f` carry a few ulps each, magnified by `18/(12h)`.
fn fd5(f: impl Fn(f64) -> f64, x: f64, h: f64) -> (f64, f64) {
    let v = [f(x - 2.0 * h), f(x - h), f(x + h), f(x + 2.0 * h)];
    let d = (v[0] - 8.0 * v[1] + 8.0 * v[2] - v[3]) / (12.0 * h);
    let max = v.iter().fold(0.0f64, |m, y| m.max(y.abs()));
    (d, 16.0 * f64::EPSILON * max / h)
}

/// Largest gamma/vega over strikes (at d1 = 0), to scale finite-difference tolerances.
fn atm_scales(i: &Black76Inputs) -> (f64, f64) {
    let df = (-i.rate * i.time).exp();
    let phi0 = 0.398_942_280_401_432_7;
    let s = i.vol * i.time.sqrt();
    (df * phi0 / (i.forward * s), df * i.forward * phi0 * i.time.sqrt())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1000,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn put_call_parity(i in realistic(0.10)) {
        let c = value(Black76Inputs { kind: OptionKind::Call, ..i });
        let p = value(Black76Inputs { kind: OptionKind::Put, ..i });
        let df = c.discount_factor();
        let lhs = c.price() - p.price();
        let rhs = df * (i.forward - i.strike);
        let scale = c.price() + p.price() + df * (i.forward + i.strike);
        prop_assert!((lhs - rhs).abs() <= 1e-14 * scale, "{lhs} vs {rhs}");
        // same for the discounted deltas: Δc − Δp = e^{−rT}
        let dd = c.delta(DeltaConvention::Discounted) - p.delta(DeltaConvention::Discounted);
        prop_assert!((dd - df).abs() <= 4.0 * f64::EPSILON * df);
        prop_assert_eq!(c.gamma(), p.gamma());
        prop_assert_eq!(c.vega(), p.vega());
    }

    #[test]
    fn call_delta_decreasing_in_strike(i in realistic(0.10), bump in 1e-6f64..1.0) {
        let lo = value(Black76Inputs { kind: OptionKind::Call, ..i });
        let hi = value(Black76Inputs { kind: OptionKind::Call, strike: i.strike * (1.0 + bump), ..i });
        for c in [DeltaConvention::Forward, DeltaConvention::Discounted] {
            prop_assert!(hi.delta(c) <= lo.delta(c), "{} > {}", hi.delta(c), lo.delta(c));
        }
    }

    #[test]
    fn price_within_no_arbitrage_bounds(i in realistic(0.10)) {
        let v = value(i);
        let df = v.discount_factor();
        let (intrinsic, cap) = match i.kind {
            OptionKind::Call => ((i.forward - i.strike).max(0.0), i.forward),
            OptionKind::Put => ((i.strike - i.forward).max(0.0), i.strike),
        };
        prop_assert!(v.price() >= df * intrinsic, "{} < {}", v.price(), df * intrinsic);
        prop_assert!(v.price() <= df * cap * (1.0 + 4.0 * f64::EPSILON));
        let d = v.delta(DeltaConvention::Forward);
        match i.kind {
            OptionKind::Call => prop_assert!((0.0..=1.0).contains(&d)),
            OptionKind::Put => prop_assert!((-1.0..=0.0).contains(&d)),
        }
        prop_assert!(v.gamma() >= 0.0 && v.vega() >= 0.0);
    }

    /// Condition number `V/(vega·σ)` ≤ 1e4: a premium rounding error of ~1e-16
    /// relative moves the vol by ≤ 1e-12 relative, so 1e-10 is a real test of the
    /// solver. Beyond that the vol is not determined by a double premium to 1e-10;
    /// there the solve must reprice the premium instead (or report BelowIntrinsic).
    #[test]
    fn implied_vol_round_trip(i in realistic(0.10)) {
        let v = value(i);
        let price = v.price();
        prop_assume!(price > 0.0);
        let condition = price / (v.vega() * i.vol);
        match implied_vol(&query(&i, price)) {
            Ok(iv) => {
                prop_assert!(iv.is_finite() && iv > 0.0);
                if condition <= 1e4 {
                    let rel = (iv - i.vol).abs() / i.vol;
                    prop_assert!(rel <= 1e-10, "vol {} -> {iv}: rel {rel:e}", i.vol);
                } else {
                    let p2 = value(Black76Inputs { vol: iv, ..i }).price();
                    prop_assert!((p2 - price).abs() <= 1e-13 * price, "{p2} vs {price}");
                }
            }
            Err(IvError::BelowIntrinsic { .. }) => prop_assert!(condition > 1e4),
            Err(e) => prop_assert!(false, "{e}"),
        }
    }

    #[test]
    fn delta_matches_finite_difference(i in realistic(0.10)) {
        let v = value(i);
        let h = 2e-3 * i.forward * i.vol * i.time.sqrt();
        let (fd, rounding) = fd5(|x| value(Black76Inputs { forward: x, ..i }).price(), i.forward, h);
        let delta = v.delta(DeltaConvention::Discounted);
        let tol = FD_TOL * v.discount_factor() + rounding;
        prop_assert!((fd - delta).abs() <= tol, "fd {fd} vs {delta}");
    }

    #[test]
    fn gamma_matches_finite_difference(i in realistic(0.10)) {
        let v = value(i);
        let h = 2e-3 * i.forward * i.vol * i.time.sqrt();
        let (fd, rounding) = fd5(
            |x| value(Black76Inputs { forward: x, ..i }).delta(DeltaConvention::Discounted),
            i.forward,
            h,
        );
        let (gamma_scale, _) = atm_scales(&i);
        let tol = FD_TOL * gamma_scale + rounding;
        prop_assert!((fd - v.gamma()).abs() <= tol, "fd {fd} vs {}", v.gamma());
    }

    #[test]
    fn vega_matches_finite_difference(i in realistic(0.10)) {
        let v = value(i);
        let (fd, rounding) =
            fd5(|x| value(Black76Inputs { vol: x, ..i }).price(), i.vol, 1e-3 * i.vol);
        let (_, vega_scale) = atm_scales(&i);
        let tol = FD_TOL * vega_scale + rounding;
        prop_assert!((fd - v.vega()).abs() <= tol, "fd {fd} vs {}", v.vega());
    }

    /// theta = ∂V/∂t = −∂V/∂T.
    #[test]
    fn theta_matches_finite_difference(i in realistic(0.10)) {
        let v = value(i);
        let (fd, rounding) =
            fd5(|x| value(Black76Inputs { time: x, ..i }).price(), i.time, 1e-3 * i.time);
        let (_, vega_scale) = atm_scales(&i);
        // |θ| ≤ r·V + vega·σ/(2T)
        let scale = i.rate.abs() * v.price() + vega_scale * i.vol / (2.0 * i.time);
        let tol = FD_TOL * scale + rounding;
        prop_assert!((-fd - v.theta()).abs() <= tol, "fd {} vs {}", -fd, v.theta());
    }

    /// Any f64 at all (NaN, ±∞, subnormal, huge): either a typed error or finite numbers.
    #[test]
    fn never_nan_or_infinite(
        forward in any::<f64>(), strike in any::<f64>(), time in any::<f64>(),
        vol in any::<f64>(), rate in any::<f64>(), price in any::<f64>(), kind in kind(),
    ) {
        check_total(Black76Inputs { forward, strike, time, vol, rate, kind }, price)?;
    }

    /// Finite positive inputs over the whole double range (log-uniform).
    #[test]
    fn never_nan_for_finite_positive_inputs(
        lf in -700.0f64..700.0, lk in -700.0f64..700.0, lt in -700.0f64..700.0,
        lv in -700.0f64..700.0, rate in -1e3f64..1e3, lp in -745.0f64..709.0, kind in kind(),
    ) {
        let i = Black76Inputs {
            forward: lf.exp(), strike: lk.exp(), time: lt.exp(), vol: lv.exp(), rate, kind,
        };
        check_total(i, lp.exp())?;
    }
}

/// Also: the delta alone is the full valuation's delta to the bit, and is refused for the
/// same bad inputs (it may be given where only another greek overflows).
fn check_total(i: Black76Inputs, price: f64) -> Result<(), TestCaseError> {
    let valued = Black76::new(i);
    for c in [DeltaConvention::Forward, DeltaConvention::Discounted] {
        match (&valued, Black76::delta_of(&i, c)) {
            (Ok(v), alone) => prop_assert_eq!(alone.map(f64::to_bits), Ok(v.delta(c).to_bits())),
            (Err(e @ PricingError::Unrepresentable { .. }), Ok(alone)) => prop_assert!(alone.is_finite(), "{i:?}: {e}"),
            (Err(e), alone) => prop_assert_eq!(alone, Err(*e)),
        }
    }
    if let Ok(v) = valued {
        for c in [DeltaConvention::Forward, DeltaConvention::Discounted] {
            let g = v.greeks(c);
            for x in [g.price, g.delta, g.gamma, g.vega, g.theta] {
                prop_assert!(x.is_finite(), "{i:?} -> {g:?}");
            }
        }
        // the IV of our own price is total too
        check_iv(&query(&i, v.price()))?;
    }
    check_iv(&query(&i, price))
}

fn check_iv(q: &IvQuery) -> Result<(), TestCaseError> {
    match implied_vol(q) {
        Ok(iv) => prop_assert!(iv.is_finite() && iv > 0.0, "{q:?} -> {iv}"),
        Err(IvError::BelowIntrinsic { intrinsic: x }) | Err(IvError::AboveUpperBound { bound: x }) => {
            prop_assert!(x.is_finite() && x >= 0.0, "{q:?} -> {x}")
        }
        Err(_) => {}
    }
    Ok(())
}

/// Strike of a call with forward delta `delta` (undiscounted N(d1)).
fn strike_for_call_delta(f: f64, vol: f64, t: f64, delta: f64) -> f64 {
    let s = vol * t.sqrt();
    let d1 = DefaultSpecialFn::inverse_norm_cdf(delta);
    f * (-(s * (d1 - 0.5 * s))).exp()
}

/// Deep OTM (delta 1e-6 calls, and the mirrored puts) and a 1-hour expiry solve to
/// machine precision: within a few ulps of the vol that produced the premium.
#[test]
fn deep_otm_and_one_hour_solve_to_machine_precision() {
    let mut worst = 0.0f64;
    for &t in &[HOUR, 2.0 * HOUR, 1.0 / 365.0, 1.0 / 52.0, 0.5, 2.0] {
        for &vol in &[0.05, 0.15, 0.3, 0.6, 1.0, 1.5] {
            for &f in &[1.5, 2.5, 3.5] {
                for &delta in &[1e-6, 1e-4, 0.05, 0.5] {
                    let k_call = strike_for_call_delta(f, vol, t, delta);
                    // put with |delta| 1e-6: strike mirrored below the forward
                    let k_put = f * f / k_call;
                    for (kind, strike) in [(OptionKind::Call, k_call), (OptionKind::Put, k_put)] {
                        let i = Black76Inputs { forward: f, strike, time: t, vol, rate: 0.04, kind };
                        let v = value(i);
                        if kind == OptionKind::Call {
                            let d = v.delta(DeltaConvention::Forward);
                            assert!((d - delta).abs() <= 1e-9 * delta.max(1e-6), "{d} vs {delta}");
                        }
                        let iv = implied_vol(&query(&i, v.price())).unwrap();
                        let rel = (iv - vol).abs() / vol;
                        worst = worst.max(rel);
                        assert!(rel <= 16.0 * f64::EPSILON, "{i:?}: iv {iv} rel {rel:e}");
                    }
                }
            }
        }
    }
    println!("worst relative vol error: {worst:e} ({:.1} ulp)", worst / f64::EPSILON);
}

#[test]
fn error_variants_are_reachable_from_the_public_api() {
    let base = Black76Inputs { forward: 2.5, strike: 2.5, time: 0.5, vol: 0.3, rate: 0.04, kind: OptionKind::Call };
    assert_eq!(Black76::new(Black76Inputs { forward: -1.0, ..base }), Err(PricingError::NonPositiveForward));
    assert_eq!(Black76::new(Black76Inputs { strike: 0.0, ..base }), Err(PricingError::NonPositiveStrike));
    assert_eq!(Black76::new(Black76Inputs { time: -0.1, ..base }), Err(PricingError::NegativeTime));
    assert_eq!(Black76::new(Black76Inputs { vol: 0.0, ..base }), Err(PricingError::NonPositiveVol));
    assert_eq!(
        Black76::new(Black76Inputs { rate: f64::NAN, ..base }),
        Err(PricingError::NonFiniteInput { field: "rate" })
    );
    let q = query(&base, 0.2);
    assert_eq!(implied_vol(&IvQuery { time: 0.0, ..q }), Err(IvError::Expired));
    assert_eq!(implied_vol(&IvQuery { price: 0.0, ..q }), Err(IvError::NonPositivePrice));
    assert!(matches!(implied_vol(&IvQuery { strike: 2.0, price: 0.3, ..q }), Err(IvError::BelowIntrinsic { .. })));
    assert!(matches!(implied_vol(&IvQuery { price: 2.5, ..q }), Err(IvError::AboveUpperBound { .. })));
    assert_eq!(
        implied_vol(&IvQuery { forward: 0.0, ..q }),
        Err(IvError::InvalidInput(PricingError::NonPositiveForward))
    );
}

#[test]
fn serde_names() {
    assert_eq!(serde_json::to_string(&DeltaConvention::Forward).unwrap(), "\"forward\"");
    assert_eq!(serde_json::from_str::<DeltaConvention>("\"discounted\"").unwrap(), DeltaConvention::Discounted);
    assert!(serde_json::from_str::<DeltaConvention>("\"Forward\"").is_err());
    let i = Black76Inputs { forward: 2.5, strike: 2.4, time: 0.5, vol: 0.3, rate: 0.04, kind: OptionKind::Put };
    let back: Black76Inputs = serde_json::from_str(&serde_json::to_string(&i).unwrap()).unwrap();
    assert_eq!(back, i);
}
