//! Checks the Barone-Adesi–Whaley premium, delta and implied vol against
//! `tests/data/baw_reference.csv`, produced by `reference/baw_reference.py` with QuantLib
//! 1.44's `BaroneAdesiWhaleyApproximationEngine` (futures option: a Black–Scholes–Merton
//! process with dividend yield = risk-free rate, spot = futures price) and a 50-digit
//! mpmath evaluation of the same approximation.
//!
//! Tolerances:
//! * price vs QuantLib (`price`: the engine's computation with its critical-price
//!   iteration run to convergence): `≤ 1e-8` relative wherever the early-exercise
//!   premium is material (≥ 1e-4 of the price and ≥ 1e-6 price units); elsewhere the
//!   value is nearly Black-76's, which QuantLib's `BlackCalculator` computes with
//!   cancellation far out of the money (see `pricing_reference.rs`), so
//!   `≤ max(1e-8·price, 1e-12)`.
//! * price vs the engine's own NPV (`ql_npv`): the engine stops its critical-price Newton
//!   iteration at `|LHS − RHS|/K ≤ 1e-6`, which leaves its NPV up to ~1e-3 relative off
//!   the BAW value; the bound is 1e-8 relative plus that truncation error
//!   (`|ql_npv − price|`), and the rows where the NPV itself is within 1e-8 are counted.
//! * price vs exact (mpmath): `≤ 1e-11` relative (floor 1e-300).
//! * critical price vs exact: `≤ 1e-10` relative (it can be ill-conditioned: the
//!   equation's slope is small when the premium is small).
//! * delta (`∂V/∂F`) vs a 5-point difference of QuantLib's converged prices: `≤ 1e-6`
//!   absolute; vs the exact analytic delta: `≤ 1e-9` absolute.
//! * implied vol: solved from the exact premium; where `condition = V/(vega·σ)` ≤ 1e4
//!   the vol must come back to 1e-10 relative (see `pricing_reference.rs` for why);
//!   elsewhere the solve must reprice the premium to 1e-12 relative or say the time value
//!   is below resolution.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use deltaroll_core::pricing::{baw_implied_vol, Baw, Black76Inputs, DeltaConvention, IvError};

use support::reference::{self, Row};

const CSV: &str = include_str!("data/baw_reference.csv");

impl Row {
    fn baw(&self) -> Baw {
        Baw::new(self.inputs()).unwrap_or_else(|e| panic!("{:?}: {e}", self.inputs()))
    }
    /// Whether the early-exercise premium is material: at least 1e-4 of the price and at
    /// least 1e-6 price units (a hundredth of HO's 0.0001 USD/gal tick).
    fn material(&self) -> bool {
        let premium = self.f("price_exact") - self.f("european");
        premium >= 1e-4 * self.f("price_exact") && premium >= 1e-6
    }
}

fn rows() -> Vec<Row> {
    reference::rows(CSV, 1000)
}

#[test]
fn price_matches_quantlib() {
    let (mut material, mut worst_material, mut worst_other) = (0, 0.0f64, 0.0f64);
    for (n, r) in rows().iter().enumerate() {
        let ours = r.baw().price();
        let ql = r.f("price");
        let err = (ours - ql).abs();
        if r.material() {
            material += 1;
            let rel = err / ql;
            assert!(rel <= 1e-8, "row {n}: ours {ours:e} QuantLib {ql:e} rel err {rel:e}");
            worst_material = worst_material.max(rel);
        } else {
            let tol = (1e-8 * ql).max(1e-12);
            assert!(err <= tol, "row {n}: ours {ours:e} QuantLib {ql:e} err {err:e}");
            worst_other = worst_other.max(err / tol);
        }
    }
    assert!(material >= 500, "only {material} rows with a material premium");
    println!("{material} rows with a material premium: worst rel err vs QuantLib {worst_material:e}; others: worst err/tol {worst_other:.3}");
}

#[test]
fn price_vs_the_engines_npv() {
    let (mut within, mut material, mut worst) = (0, 0, 0.0f64);
    for (n, r) in rows().iter().enumerate() {
        let ours = r.baw().price();
        let (npv, converged) = (r.f("ql_npv"), r.f("price"));
        let truncation = (npv - converged).abs();
        let err = (ours - npv).abs();
        assert!(err <= (1e-8 * npv).max(1e-12) + truncation, "row {n}: ours {ours:e} NPV {npv:e}");
        if r.material() {
            material += 1;
            worst = worst.max(err / npv);
            if err <= 1e-8 * npv {
                within += 1;
            }
        }
    }
    println!("engine NPV within 1e-8 of ours on {within} of {material} material rows; worst rel difference {worst:e} (the engine's 1e-6 stop)");
}

#[test]
fn price_matches_exact() {
    let mut worst = 0.0f64;
    for (n, r) in rows().iter().enumerate() {
        let ours = r.baw().price();
        let exact = r.f("price_exact");
        let rel = (ours - exact).abs() / exact.max(1e-300);
        assert!(rel <= 1e-11, "row {n}: ours {ours:e} exact {exact:e} rel err {rel:e}");
        worst = worst.max(rel);
    }
    println!("worst rel err vs exact {worst:e}");
}

#[test]
fn critical_price_matches_exact() {
    let mut worst = 0.0f64;
    for (n, r) in rows().iter().enumerate() {
        let ours = r.baw().critical_price().unwrap();
        let exact = r.f("critical");
        let rel = (ours - exact).abs() / exact;
        assert!(rel <= 1e-10, "row {n}: ours {ours} exact {exact} rel err {rel:e}");
        worst = worst.max(rel);
    }
    println!("worst rel err of the critical price vs exact {worst:e}");
}

#[test]
fn delta_matches_quantlib_and_exact() {
    let (mut checked, mut worst_ql, mut worst_exact) = (0, 0.0f64, 0.0f64);
    for (n, r) in rows().iter().enumerate() {
        let ours = r.baw().delta(DeltaConvention::Discounted);
        let exact = r.f("delta_exact");
        let err = (ours - exact).abs();
        assert!(err <= 1e-9, "row {n}: ours {ours} exact {exact} err {err:e}");
        worst_exact = worst_exact.max(err);
        if let Some(ql) = r.opt("delta") {
            let err = (ours - ql).abs();
            assert!(err <= 1e-6, "row {n}: ours {ours} QuantLib {ql} err {err:e}");
            worst_ql = worst_ql.max(err);
            checked += 1;
        }
    }
    assert!(checked >= 1000, "only {checked} deltas");
    println!("{checked} deltas: worst abs err vs QuantLib {worst_ql:e}, vs exact {worst_exact:e}");
}

#[test]
fn implied_vol_recovers_input_vol() {
    let (mut checked, mut worst) = (0, 0.0f64);
    for (n, r) in rows().iter().enumerate() {
        let price = r.f("price_exact");
        let vol = r.f("vol");
        match baw_implied_vol(&r.query(price)) {
            Ok(iv) if r.f("condition") <= 1e4 => {
                let rel = (iv - vol).abs() / vol;
                assert!(rel <= 1e-10, "row {n}: iv {iv} vol {vol} rel err {rel:e}");
                worst = worst.max(rel);
                checked += 1;
            }
            Ok(iv) => {
                let repriced = Baw::new(Black76Inputs { vol: iv, ..r.inputs() }).unwrap().price();
                let rel = (repriced - price).abs() / price;
                assert!(rel <= 1e-12, "row {n}: iv {iv} reprices with rel err {rel:e}");
            }
            Err(IvError::BelowExerciseValue { .. } | IvError::NonPositivePrice) if r.f("condition") > 1e4 => {}
            Err(e) => panic!("row {n}: price {price:e} condition {:e}: {e}", r.f("condition")),
        }
    }
    assert!(checked >= 700, "only {checked} well-conditioned cases");
    println!("{checked} well-conditioned cases, worst relative vol error {worst:e}");
}
