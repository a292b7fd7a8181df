//! Black-76 valuation of European options on futures: validated inputs, premium
//! and greeks, computed once per valuation so every query is cheap and finite.
//!
//! Notation used throughout: `F` forward (futures) price, `K` strike, `T` time to
//! expiry in years, `σ` annualised volatility, `r` continuously compounded rate,
//! `s = σ√T`, `d1 = ln(F/K)/s + s/2`, `d2 = d1 − s`, `N` the standard normal CDF,
//! `φ` its density and `D = e^{−rT}` the discount factor.
//!
//! The undiscounted premium comes from Peter Jäckel's "Let's be rational" Black
//! function (the `implied-vol` crate), which stays accurate to the last digits even
//! deep out of the money, where the textbook `F·N(d1) − K·N(d2)` cancels. `N` is the
//! same crate's `norm_cdf` (Cody's erfc with an asymptotic tail expansion).

use std::fmt;
use std::str::FromStr;

use implied_vol::{DefaultSpecialFn, PriceBlackScholes, SpecialFn};
use serde::{Deserialize, Serialize};

use crate::contract::OptionKind;
use crate::parse::{named, Named, ParseError};

/// `1/√(2π)`, the standard normal density at zero.
const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

/// Inputs of one Black-76 valuation.
///
/// `forward` and `strike` are in price units (e.g. USD/gal), `time` in years
/// (ACT/365 calendar days / 365), `vol` annualised (0.3 = 30 %), `rate`
/// continuously compounded per year (0.04 = 4 %).
#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Black76Inputs {
    /// Futures (forward) price `F`, price units, must be > 0.
    pub forward: f64,
    /// Strike `K`, price units, must be > 0.
    pub strike: f64,
    /// Time to expiry `T` in years (ACT/365), must be ≥ 0.
    pub time: f64,
    /// Annualised Black volatility `σ` (0.3 = 30 %), must be > 0.
    pub vol: f64,
    /// Continuously compounded discount rate `r` per year (0.04 = 4 %), any finite value.
    pub rate: f64,
    /// Call or put.
    pub kind: OptionKind,
}

/// Which delta is reported.
///
/// * `Forward`: `N(d1)` for calls, `N(d1) − 1 = −N(−d1)` for puts (undiscounted,
///   the hedge ratio in futures contracts when variation margin is not discounted).
/// * `Discounted`: `e^{−rT}·N(d1)` for calls, `−e^{−rT}·N(−d1)` for puts, i.e. `∂V/∂F`
///   of the discounted premium `V`.
///
/// Under Barone-Adesi–Whaley ([`super::baw`]) `Discounted` is `∂V/∂F` of the American
/// premium and `Forward` is `e^{rT}` times it, as here.
///
/// Serialised and parsed as `"forward"` / `"discounted"`; the default is `Discounted`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeltaConvention {
    /// Undiscounted delta `N(d1)` / `N(d1) − 1`.
    Forward,
    /// Discounted delta `∂V/∂F = e^{−rT}N(d1)` / `−e^{−rT}N(−d1)`.
    #[default]
    Discounted,
}

named! {
    DeltaConvention, "a delta convention";
    Discounted => "discounted", "Discounted e^(−rT)·N(d1)";
    Forward => "forward", "Forward N(d1)";
}

impl fmt::Display for DeltaConvention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DeltaConvention {
    type Err = ParseError;

    /// Parses `"forward"` or `"discounted"` (ASCII case-insensitive, surrounding
    /// whitespace ignored).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_code(&s.to_ascii_lowercase()).map_err(|e| ParseError { text: s.to_owned(), ..e })
    }
}

/// Why a Black-76 valuation was refused.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum PricingError {
    /// `forward ≤ 0`: Black-76 needs a strictly positive futures price.
    #[error("futures price must be greater than zero (Black-76 is lognormal; use a normal model for zero or negative prices)")]
    NonPositiveForward,
    /// `strike ≤ 0`: Black-76 needs a strictly positive strike.
    #[error("strike must be greater than zero")]
    NonPositiveStrike,
    /// `time < 0`: the expiry is in the past.
    #[error("time to expiry is negative: the option has already expired")]
    NegativeTime,
    /// `vol ≤ 0`: volatility must be strictly positive (0.3 = 30 %).
    #[error("volatility must be greater than zero (annualised, 0.3 = 30%)")]
    NonPositiveVol,
    /// An input is NaN or ±infinity; `field` names it (`"forward"`, `"strike"`, `"time"`, `"vol"`, `"rate"`, `"price"`).
    #[error("input `{field}` is not a finite number (NaN or infinity)")]
    NonFiniteInput {
        /// Name of the offending input field.
        field: &'static str,
    },
    /// The inputs are finite but so extreme that `quantity` (e.g. `"discount factor"`,
    /// `"premium"`, `"gamma"`) overflows a 64-bit float; usually a unit mistake.
    #[error("the {quantity} is too large to represent for these inputs (check units: time in years, vol and rate as decimals)")]
    Unrepresentable {
        /// Name of the result that could not be represented.
        quantity: &'static str,
    },
}

/// Premium and greeks of one valuation (all on the discounted premium `V`).
#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Greeks {
    /// Discounted premium `V`, price units.
    pub price: f64,
    /// Delta in the requested [`DeltaConvention`], per 1 price unit of `F`.
    pub delta: f64,
    /// `∂²V/∂F² = e^{−rT}φ(d1)/(F·σ√T)`, per price unit.
    pub gamma: f64,
    /// `∂V/∂σ = F·e^{−rT}φ(d1)√T`, price units per 1.00 (100 points) of vol.
    pub vega: f64,
    /// `∂V/∂t` per year of calendar time, see [`Black76::theta`].
    pub theta: f64,
}

/// A validated Black-76 valuation: all checks and all arithmetic happen in
/// [`Black76::new`]; the accessors only read stored, finite numbers.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Black76 {
    inputs: Black76Inputs,
    discount: f64,
    price: f64,
    forward_delta: f64,
    gamma: f64,
    vega: f64,
    theta: f64,
}

/// Returns `NonFiniteInput` for the first non-finite value among `fields`.
pub(crate) fn check_finite(fields: &[(&'static str, f64)]) -> Result<(), PricingError> {
    match fields.iter().find(|(_, v)| !v.is_finite()) {
        Some(&(field, _)) => Err(PricingError::NonFiniteInput { field }),
        None => Ok(()),
    }
}

/// `e^{−rT}`, refused when it over- or underflows (|rT| beyond ~708).
pub(crate) fn discount_factor(rate: f64, time: f64) -> Result<f64, PricingError> {
    let d = (-rate * time).exp();
    if d.is_finite() && d > 0.0 && (1.0 / d).is_finite() {
        Ok(d)
    } else {
        Err(PricingError::Unrepresentable { quantity: "discount factor e^(-rT)" })
    }
}

/// `ln(F/K)` without cancellation near the money and without overflow of `F/K`.
fn log_moneyness(f: f64, k: f64) -> f64 {
    let ratio = f / k;
    if (0.5..=2.0).contains(&ratio) {
        ((f - k) / k).ln_1p()
    } else {
        f.ln() - k.ln()
    }
}

/// Standard normal density `φ(x) = e^{−x²/2}/√(2π)`; 0 for |x| = ∞.
fn norm_pdf(x: f64) -> f64 {
    FRAC_1_SQRT_2PI * (-0.5 * x * x).exp()
}

/// Checks `inputs` as [`Black76::new`] does (every field finite, `forward > 0`,
/// `strike > 0`, `time ≥ 0`, `vol > 0`) and gives `e^{−rT}`.
fn validated_discount(inputs: &Black76Inputs) -> Result<f64, PricingError> {
    let Black76Inputs { forward: f, strike: k, time: t, vol, rate, .. } = *inputs;
    check_finite(&[("forward", f), ("strike", k), ("time", t), ("vol", vol), ("rate", rate)])?;
    if f <= 0.0 {
        return Err(PricingError::NonPositiveForward);
    }
    if k <= 0.0 {
        return Err(PricingError::NonPositiveStrike);
    }
    if t < 0.0 {
        return Err(PricingError::NegativeTime);
    }
    if vol <= 0.0 {
        return Err(PricingError::NonPositiveVol);
    }
    discount_factor(rate, t)
}

/// The forward delta `N(d1)` (call) / `−N(−d1)` (put) of validated inputs, with `d1`;
/// at `T = 0` the step `0`/`±1` (`±0.5` at the money) and no `d1`.
fn forward_delta(inputs: &Black76Inputs) -> (f64, Option<f64>) {
    let Black76Inputs { forward: f, strike: k, time: t, vol, kind, .. } = *inputs;
    let is_call = kind == OptionKind::Call;
    if t == 0.0 {
        let step = if f > k {
            1.0
        } else if f < k {
            0.0
        } else {
            0.5
        };
        return (if is_call { step } else { step - 1.0 }, None);
    }
    let s = vol * t.sqrt();
    let x = log_moneyness(f, k);
    let d1 = if x == 0.0 { 0.5 * s } else { x / s + 0.5 * s };
    (if is_call { DefaultSpecialFn::norm_cdf(d1) } else { -DefaultSpecialFn::norm_cdf(-d1) }, Some(d1))
}

/// A forward delta in convention `c`, with the discount factor `e^{−rT}`.
fn in_convention(forward_delta: f64, discount: f64, c: DeltaConvention) -> f64 {
    match c {
        DeltaConvention::Forward => forward_delta,
        DeltaConvention::Discounted => discount * forward_delta,
    }
}

fn finite(quantity: &'static str, v: f64) -> Result<f64, PricingError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(PricingError::Unrepresentable { quantity })
    }
}

impl Black76 {
    /// Validates `inputs` and computes premium and greeks.
    ///
    /// Checks, in order: every field finite (`NonFiniteInput`), `forward > 0`,
    /// `strike > 0`, `time ≥ 0`, `vol > 0`; then that `e^{−rT}` and every result are
    /// representable (`Unrepresentable`). `time == 0` is allowed: the value is the
    /// discounted intrinsic value, delta is the step `0`/`±1` (`±0.5` exactly at the
    /// money, the limit of `N(d1)`), and gamma, vega and theta are 0.
    pub fn new(inputs: Black76Inputs) -> Result<Self, PricingError> {
        let Black76Inputs { forward: f, strike: k, time: t, vol, rate, kind } = inputs;
        let discount = validated_discount(&inputs)?;
        let is_call = kind == OptionKind::Call;

        // Undiscounted Black premium, Jäckel's accurate formulation; at T = 0 it is
        // the intrinsic value, at σ√T = ∞ the cap (F for calls, K for puts).
        let undiscounted = PriceBlackScholes::builder()
            .forward(f)
            .strike(k)
            .volatility(vol)
            .expiry(t)
            .is_call(is_call)
            .build_unchecked()
            .calculate::<DefaultSpecialFn>();
        let price = finite("premium", discount * finite("premium", undiscounted)?)?;

        let (forward_delta, d1) = forward_delta(&inputs);
        let Some(d1) = d1 else {
            return Ok(Self { inputs, discount, price, forward_delta, gamma: 0.0, vega: 0.0, theta: 0.0 });
        };
        let sqrt_t = t.sqrt();
        let s = vol * sqrt_t; // total volatility σ√T (may be 0 by underflow or +∞ by overflow)
        let pdf = norm_pdf(d1);
        // discounted density D·φ(d1); the greeks are exactly 0 where it underflows.
        let dpdf = discount * pdf;
        let (gamma, vega, time_decay) = if dpdf == 0.0 {
            (0.0, 0.0, 0.0)
        } else {
            (
                dpdf / f / s,
                dpdf * f * sqrt_t,
                // D·F·φ(d1)·σ/(2√T)
                0.5 * dpdf * f * (vol / sqrt_t),
            )
        };
        let gamma = finite("gamma", gamma)?;
        let vega = finite("vega", vega)?;
        let theta = finite("theta", rate * price - finite("theta", time_decay)?)?;
        finite("delta", forward_delta)?;
        Ok(Self { inputs, discount, price, forward_delta, gamma, vega, theta })
    }

    /// Delta alone, in convention `c`: the same number as [`Self::new`]`(inputs)?.delta(c)`
    /// without pricing the option (a run needs a delta for every scored strike and every
    /// held option on every row). The same input checks; it is given even where a greek
    /// other than delta would overflow.
    pub fn delta_of(inputs: &Black76Inputs, c: DeltaConvention) -> Result<f64, PricingError> {
        let discount = validated_discount(inputs)?;
        Ok(in_convention(forward_delta(inputs).0, discount, c))
    }

    /// The validated inputs this valuation was built from.
    pub const fn inputs(&self) -> &Black76Inputs {
        &self.inputs
    }

    /// Discount factor `e^{−rT}` (dimensionless).
    pub const fn discount_factor(&self) -> f64 {
        self.discount
    }

    /// Discounted premium `V = e^{−rT}(F·N(d1) − K·N(d2))` for a call,
    /// `e^{−rT}(K·N(−d2) − F·N(−d1))` for a put, in price units.
    pub const fn price(&self) -> f64 {
        self.price
    }

    /// Delta per 1 price unit of `F` in convention `c`: `Forward` = `N(d1)` (call) /
    /// `−N(−d1)` (put); `Discounted` = `e^{−rT}` times that (`∂V/∂F`).
    pub fn delta(&self, c: DeltaConvention) -> f64 {
        in_convention(self.forward_delta, self.discount, c)
    }

    /// Gamma `∂²V/∂F² = e^{−rT}φ(d1)/(F·σ√T)`, per price unit (same for calls and puts).
    pub const fn gamma(&self) -> f64 {
        self.gamma
    }

    /// Vega `∂V/∂σ = F·e^{−rT}φ(d1)√T`, price units per 1.00 of vol
    /// (divide by 100 for one vol point).
    pub const fn vega(&self) -> f64 {
        self.vega
    }

    /// Theta `∂V/∂t` per year of calendar time with `F`, `σ`, `r` held fixed, i.e.
    /// `−∂V/∂T = r·V − e^{−rT}F·φ(d1)·σ/(2√T)`. Negative means the option loses value
    /// as time passes; divide by 365 for a one-day theta. It is 0 at `T = 0`.
    pub const fn theta(&self) -> f64 {
        self.theta
    }

    /// Premium and all greeks at once, delta in convention `c`.
    pub fn greeks(&self, c: DeltaConvention) -> Greeks {
        Greeks { price: self.price, delta: self.delta(c), gamma: self.gamma, vega: self.vega, theta: self.theta }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> Black76Inputs {
        Black76Inputs { forward: 2.5, strike: 2.4, time: 0.5, vol: 0.35, rate: 0.04, kind: OptionKind::Call }
    }

    #[test]
    fn non_finite_inputs_are_named() {
        type Setter = fn(&mut Black76Inputs, f64);
        let cases: [(&str, Setter); 5] = [
            ("forward", |i, v| i.forward = v),
            ("strike", |i, v| i.strike = v),
            ("time", |i, v| i.time = v),
            ("vol", |i, v| i.vol = v),
            ("rate", |i, v| i.rate = v),
        ];
        for (field, set) in cases {
            for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
                let mut i = inputs();
                set(&mut i, bad);
                assert_eq!(Black76::new(i), Err(PricingError::NonFiniteInput { field }), "{field} = {bad}");
            }
        }
    }

    #[test]
    fn sign_errors() {
        for (set, err) in [
            ((|i: &mut Black76Inputs| i.forward = 0.0) as fn(&mut Black76Inputs), PricingError::NonPositiveForward),
            (|i| i.forward = -1.0, PricingError::NonPositiveForward),
            (|i| i.strike = 0.0, PricingError::NonPositiveStrike),
            (|i| i.strike = -2.0, PricingError::NonPositiveStrike),
            (|i| i.time = -1e-9, PricingError::NegativeTime),
            (|i| i.vol = 0.0, PricingError::NonPositiveVol),
            (|i| i.vol = -0.2, PricingError::NonPositiveVol),
        ] {
            let mut i = inputs();
            set(&mut i);
            assert_eq!(Black76::new(i), Err(err));
        }
    }

    #[test]
    fn unrepresentable_results() {
        let mut i = inputs();
        i.rate = -800.0;
        i.time = 1.0;
        assert_eq!(Black76::new(i), Err(PricingError::Unrepresentable { quantity: "discount factor e^(-rT)" }));
        let mut i = inputs();
        i.forward = 1e308;
        i.strike = 1e308;
        i.rate = -2.0;
        i.time = 1.0;
        assert!(matches!(Black76::new(i), Err(PricingError::Unrepresentable { .. })));
        // ATM with a tiny total vol: gamma = φ(0)/(F·σ√T) overflows.
        let mut i = inputs();
        i.strike = i.forward;
        i.vol = 1e-300;
        i.time = 1e-20;
        assert_eq!(Black76::new(i), Err(PricingError::Unrepresentable { quantity: "gamma" }));
    }

    #[test]
    fn error_messages_are_readable() {
        assert_eq!(
            PricingError::NonFiniteInput { field: "vol" }.to_string(),
            "input `vol` is not a finite number (NaN or infinity)"
        );
        assert!(PricingError::NegativeTime.to_string().contains("expired"));
    }

    #[test]
    fn expiry_is_intrinsic_and_step_delta() {
        for (f, kind, price, delta) in [
            (2.6, OptionKind::Call, 0.2, 1.0),
            (2.2, OptionKind::Call, 0.0, 0.0),
            (2.4, OptionKind::Call, 0.0, 0.5),
            (2.2, OptionKind::Put, 0.2, -1.0),
            (2.6, OptionKind::Put, 0.0, 0.0),
            (2.4, OptionKind::Put, 0.0, -0.5),
        ] {
            let v = Black76::new(Black76Inputs { forward: f, time: 0.0, kind, ..inputs() }).unwrap();
            assert!((v.price() - price).abs() < 1e-15, "{f} {kind:?}");
            assert_eq!(v.delta(DeltaConvention::Forward), delta);
            assert_eq!(v.delta(DeltaConvention::Discounted), delta);
            assert_eq!((v.gamma(), v.vega(), v.theta()), (0.0, 0.0, 0.0));
        }
    }

    #[test]
    fn textbook_values() {
        // Hull, "Options, Futures and Other Derivatives", Example 18.x style check:
        // F = K = 20, σ = 25 %, T = 4/12, r = 9 %, put.
        let v = Black76::new(Black76Inputs {
            forward: 20.0,
            strike: 20.0,
            time: 4.0 / 12.0,
            vol: 0.25,
            rate: 0.09,
            kind: OptionKind::Put,
        })
        .unwrap();
        // Closed form with s = σ√T, d1 = s/2: P = e^{-rT}·F·(2N(s/2) − 1).
        let s = 0.25 * (4.0f64 / 12.0).sqrt();
        let expected = (-0.09f64 * 4.0 / 12.0).exp() * 20.0 * (2.0 * DefaultSpecialFn::norm_cdf(s / 2.0) - 1.0);
        assert!((v.price() - expected).abs() < 1e-14);
        assert!((v.price() - 1.1166).abs() < 1e-4);
    }

    #[test]
    fn delta_convention_text() {
        assert_eq!(DeltaConvention::default(), DeltaConvention::Discounted);
        for c in [DeltaConvention::Forward, DeltaConvention::Discounted] {
            assert_eq!(c.as_str().parse::<DeltaConvention>(), Ok(c));
            assert_eq!(c.to_string(), c.as_str());
        }
        assert_eq!(" Forward ".parse(), Ok(DeltaConvention::Forward));
        let err = "spot".parse::<DeltaConvention>().unwrap_err();
        assert_eq!(err.text, "spot");
        assert!(err.to_string().contains("(discounted or forward)"));
    }

    #[test]
    fn greeks_bundle_matches_accessors() {
        let v = Black76::new(inputs()).unwrap();
        let g = v.greeks(DeltaConvention::Forward);
        assert_eq!(g.price, v.price());
        assert_eq!(g.delta, v.delta(DeltaConvention::Forward));
        assert_eq!(g.gamma, v.gamma());
        assert_eq!(g.vega, v.vega());
        assert_eq!(g.theta, v.theta());
        assert_eq!(v.inputs(), &inputs());
        assert!((v.discount_factor() - (-0.02f64).exp()).abs() < 1e-16);
    }
}
