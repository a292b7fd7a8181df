//! Black-76 implied volatility: turns a discounted option premium back into the
//! annualised vol, via Jäckel's "Let's be rational" (the `implied-vol` crate), with
//! every out-of-range price reported as a typed error instead of NaN/∞/0.

use implied_vol::{solver::Jaeckel, DefaultSpecialFn, ImpliedBlackVolatility};
use serde::{Deserialize, Serialize};

use super::black76::{check_finite, discount_factor, PricingError};
use crate::contract::OptionKind;

/// Input of an implied-vol solve.
///
/// `forward`, `strike` and `price` in price units (e.g. USD/gal), `price` being the
/// *discounted* premium; `time` in years (ACT/365); `rate` continuously compounded
/// (0.04 = 4 %).
#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IvQuery {
    /// Futures (forward) price `F`, must be > 0.
    pub forward: f64,
    /// Strike `K`, must be > 0.
    pub strike: f64,
    /// Time to expiry `T` in years, must be > 0 to have a vol.
    pub time: f64,
    /// Continuously compounded rate `r` used to discount the premium.
    pub rate: f64,
    /// Call or put.
    pub kind: OptionKind,
    /// Observed discounted premium `V`, price units.
    pub price: f64,
}

/// Why no implied volatility exists for an [`IvQuery`].
///
/// Bounds carried by the variants are in the same units as [`IvQuery::price`]
/// (discounted premium, price units).
#[derive(Copy, Clone, Debug, PartialEq, thiserror::Error)]
pub enum IvError {
    /// `time ≤ 0`: an expired option has no volatility.
    #[error("option has expired (time to expiry <= 0): no implied volatility")]
    Expired,
    /// `price ≤ 0`: a zero or negative premium implies no volatility.
    #[error("option price must be greater than zero")]
    NonPositivePrice,
    /// Premium at or below the discounted intrinsic value `e^{−rT}·max(±(F−K), 0)`:
    /// no time value left (or less than a double can resolve).
    #[error("price is at or below the discounted intrinsic value {intrinsic:.4}: there is no time value to imply a volatility from")]
    BelowIntrinsic {
        /// Discounted intrinsic value, price units.
        intrinsic: f64,
    },
    /// Premium at or above the no-arbitrage cap: `e^{−rT}·F` for a call,
    /// `e^{−rT}·K` for a put (a Black price reaches it only at infinite vol).
    #[error("price is at or above the no-arbitrage maximum {bound:.4} (discounted futures price for a call, discounted strike for a put)")]
    AboveUpperBound {
        /// Discounted cap, price units.
        bound: f64,
    },
    /// American premium (Barone-Adesi–Whaley) at or below the value of exercising now,
    /// the *undiscounted* intrinsic value `max(±(F − K), 0)`: no time value left.
    #[error("price is at or below the exercise value {intrinsic:.4} (an American option is worth at least that): there is no time value to imply a volatility from")]
    BelowExerciseValue {
        /// Undiscounted intrinsic value, price units.
        intrinsic: f64,
    },
    /// American premium (Barone-Adesi–Whaley) at or above the most the model reaches: the
    /// futures price for a call, the strike for a put, or the premium at the largest vol
    /// searched.
    #[error("price is at or above the maximum {bound:.4} an American option reaches under the model")]
    AboveAmericanMaximum {
        /// The maximum, price units.
        bound: f64,
    },
    /// Forward, strike, rate or price invalid (non-finite or non-positive).
    #[error("invalid input: {0}")]
    InvalidInput(#[from] PricingError),
}

/// The checks every implied-vol solver makes first, in order: finite fields and
/// `forward, strike > 0`; `time > 0` (else `Expired`); `price > 0` (else
/// `NonPositivePrice`). The discount factor `e^{−rT}`.
pub(super) fn checked_discount(q: &IvQuery) -> Result<f64, IvError> {
    let IvQuery { forward: f, strike: k, time: t, rate, price, .. } = *q;
    check_finite(&[("forward", f), ("strike", k), ("time", t), ("rate", rate), ("price", price)])?;
    if f <= 0.0 {
        return Err(PricingError::NonPositiveForward.into());
    }
    if k <= 0.0 {
        return Err(PricingError::NonPositiveStrike.into());
    }
    if t <= 0.0 {
        return Err(IvError::Expired);
    }
    if price <= 0.0 {
        return Err(IvError::NonPositivePrice);
    }
    Ok(discount_factor(rate, t)?)
}

/// A finite stand-in for a bound that overflowed (only reported, never computed with).
fn reportable(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        f64::MAX
    }
}

/// Implied Black-76 volatility (annualised, 0.3 = 30 %) of the discounted premium
/// `q.price`.
///
/// The premium is undiscounted (`p = price·e^{rT}`) and inverted with Jäckel's
/// "Let's be rational" (`implied_vol::solver::Jaeckel`), which reaches machine
/// precision in two Householder steps everywhere, including deep out of the money and
/// for expiries of hours. Checks, in order: finiteness of all fields and
/// `forward, strike > 0` (`InvalidInput`); `time ≤ 0` → `Expired`; `price ≤ 0` →
/// `NonPositivePrice`; `p ≤ intrinsic` → `BelowIntrinsic`; `p ≥ F` (call) or
/// `p ≥ K` (put) → `AboveUpperBound`. The result is always finite and > 0.
pub fn implied_vol(q: &IvQuery) -> Result<f64, IvError> {
    let IvQuery { forward: f, strike: k, time: t, rate, kind, price } = *q;
    let discount = checked_discount(q)?;
    let is_call = kind == OptionKind::Call;
    let (intrinsic, cap) = if is_call { ((f - k).max(0.0), f) } else { ((k - f).max(0.0), k) };
    let below = || IvError::BelowIntrinsic { intrinsic: reportable(discount * intrinsic) };
    let above = || IvError::AboveUpperBound { bound: reportable(discount * cap) };

    let undiscounted = price * (rate * t).exp();
    if !undiscounted.is_finite() {
        return Err(above());
    }
    if undiscounted <= intrinsic {
        return Err(below());
    }
    if undiscounted >= cap {
        return Err(above());
    }

    let solved = ImpliedBlackVolatility::builder()
        .forward(f)
        .strike(k)
        .expiry(t)
        .is_call(is_call)
        .option_price(undiscounted)
        .build_unchecked()
        .calculate_with::<Jaeckel<DefaultSpecialFn>>();
    match solved {
        // `None` after the checks above: the price sits on the attainable cap once
        // normalised (a rounding-level distance from it).
        None => Err(above()),
        Some(vol) if vol.is_infinite() => Err(above()),
        Some(vol) if vol > 0.0 && vol.is_finite() => Ok(vol),
        // 0 (time value below what a double resolves relative to √(FK)) or,
        // defensively, NaN: there is no usable time value.
        Some(_) => Err(below()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::black76::{Black76, Black76Inputs};
    use super::*;

    fn query() -> IvQuery {
        IvQuery { forward: 2.5, strike: 2.6, time: 0.25, rate: 0.04, kind: OptionKind::Call, price: 0.1 }
    }

    #[test]
    fn round_trip() {
        let v = Black76::new(Black76Inputs {
            forward: 2.5,
            strike: 2.6,
            time: 0.25,
            vol: 0.42,
            rate: 0.04,
            kind: OptionKind::Put,
        })
        .unwrap();
        let q = IvQuery { kind: OptionKind::Put, price: v.price(), ..query() };
        let iv = implied_vol(&q).unwrap();
        assert!((iv - 0.42).abs() < 1e-14, "{iv}");
    }

    #[test]
    fn expired() {
        for t in [0.0, -1.0, -f64::MIN_POSITIVE] {
            assert_eq!(implied_vol(&IvQuery { time: t, ..query() }), Err(IvError::Expired));
        }
    }

    #[test]
    fn non_positive_price() {
        for p in [0.0, -0.0, -0.01] {
            assert_eq!(implied_vol(&IvQuery { price: p, ..query() }), Err(IvError::NonPositivePrice));
        }
    }

    #[test]
    fn below_intrinsic() {
        // ITM call F=2.5, K=2.0: discounted intrinsic 0.5·e^{-0.01}.
        let q = IvQuery { strike: 2.0, price: 0.45, ..query() };
        let intrinsic = 0.5 * (-0.01f64).exp();
        match implied_vol(&q) {
            Err(IvError::BelowIntrinsic { intrinsic: i }) => {
                assert!((i - intrinsic).abs() < 1e-15)
            }
            other => panic!("{other:?}"),
        }
        // exactly intrinsic (zero time value) is refused too
        let q = IvQuery { price: intrinsic, ..q };
        assert!(matches!(implied_vol(&q), Err(IvError::BelowIntrinsic { .. })));
        // a time value far below what a double resolves relative to √(FK)
        let q = IvQuery { strike: 2.6, price: 1e-320, ..query() };
        assert!(matches!(implied_vol(&q), Err(IvError::BelowIntrinsic { .. })));
    }

    #[test]
    fn above_upper_bound() {
        let df = (-0.01f64).exp();
        for (kind, cap) in [(OptionKind::Call, 2.5), (OptionKind::Put, 2.6)] {
            for p in [cap * df, cap * df * (1.0 + 1e-12), 100.0, f64::MAX] {
                match implied_vol(&IvQuery { kind, price: p, ..query() }) {
                    Err(IvError::AboveUpperBound { bound }) => {
                        assert!((bound - cap * df).abs() < 1e-15)
                    }
                    other => panic!("{kind:?} {p}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn invalid_input() {
        assert_eq!(
            implied_vol(&IvQuery { forward: 0.0, ..query() }),
            Err(IvError::InvalidInput(PricingError::NonPositiveForward))
        );
        assert_eq!(
            implied_vol(&IvQuery { strike: -1.0, ..query() }),
            Err(IvError::InvalidInput(PricingError::NonPositiveStrike))
        );
        for (field, q) in [
            ("forward", IvQuery { forward: f64::NAN, ..query() }),
            ("strike", IvQuery { strike: f64::INFINITY, ..query() }),
            ("time", IvQuery { time: f64::NAN, ..query() }),
            ("rate", IvQuery { rate: f64::NEG_INFINITY, ..query() }),
            ("price", IvQuery { price: f64::NAN, ..query() }),
        ] {
            assert_eq!(implied_vol(&q), Err(IvError::InvalidInput(PricingError::NonFiniteInput { field })));
        }
        assert!(matches!(
            implied_vol(&IvQuery { rate: 1e6, ..query() }),
            Err(IvError::InvalidInput(PricingError::Unrepresentable { .. }))
        ));
    }

    #[test]
    fn messages() {
        assert_eq!(
            IvError::InvalidInput(PricingError::NonPositiveStrike).to_string(),
            "invalid input: strike must be greater than zero"
        );
        assert!(IvError::BelowIntrinsic { intrinsic: 0.5 }.to_string().contains("0.5"));
    }
}
