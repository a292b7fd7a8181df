//! The pricing-model seam: callers price through [`OptionModel`] so that an
//! early-exercise (American) model can later replace Black-76 without API changes.

use super::black76::{Black76, Black76Inputs, DeltaConvention, PricingError};
use super::implied::{implied_vol, IvError, IvQuery};

/// A model that prices options on futures, inverts prices to vols and reports delta.
///
/// Units follow [`Black76Inputs`] / [`IvQuery`]: prices in price units (discounted),
/// time in years, vol and rate as decimals.
pub trait OptionModel {
    /// Short stable identifier of the model, e.g. `"black76"`.
    fn name(&self) -> &'static str;
    /// Discounted premium in price units.
    fn price(&self, i: &Black76Inputs) -> Result<f64, PricingError>;
    /// Annualised vol that reproduces `q.price` under this model.
    fn implied_vol(&self, q: &IvQuery) -> Result<f64, IvError>;
    /// Delta per price unit of the forward, in convention `c`.
    fn delta(&self, i: &Black76Inputs, c: DeltaConvention) -> Result<f64, PricingError>;
}

/// Black-76 (European exercise). For American-style futures options (e.g. NYMEX
/// RBOB/HO) it is the usual European approximation: it ignores the early-exercise
/// premium, which is small for short expiries and low rates but not zero for deep
/// in-the-money options.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Black76Model;

impl OptionModel for Black76Model {
    /// `"black76"`.
    fn name(&self) -> &'static str {
        "black76"
    }

    /// [`Black76::price`] of the validated inputs.
    fn price(&self, i: &Black76Inputs) -> Result<f64, PricingError> {
        Ok(Black76::new(*i)?.price())
    }

    /// [`implied_vol()`] (Jäckel's "Let's be rational").
    fn implied_vol(&self, q: &IvQuery) -> Result<f64, IvError> {
        implied_vol(q)
    }

    /// [`Black76::delta`] of the validated inputs.
    fn delta(&self, i: &Black76Inputs, c: DeltaConvention) -> Result<f64, PricingError> {
        Ok(Black76::new(*i)?.delta(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::OptionKind;

    #[test]
    fn model_delegates_to_black76() {
        let m: &dyn OptionModel = &Black76Model;
        assert_eq!(m.name(), "black76");
        let i = Black76Inputs { forward: 2.1, strike: 2.0, time: 0.3, vol: 0.5, rate: 0.04, kind: OptionKind::Call };
        let v = Black76::new(i).unwrap();
        assert_eq!(m.price(&i), Ok(v.price()));
        assert_eq!(m.delta(&i, DeltaConvention::Forward), Ok(v.delta(DeltaConvention::Forward)));
        let iv = m
            .implied_vol(&IvQuery {
                forward: 2.1,
                strike: 2.0,
                time: 0.3,
                rate: 0.04,
                kind: OptionKind::Call,
                price: v.price(),
            })
            .unwrap();
        assert!((iv - 0.5).abs() < 1e-14);
        assert_eq!(m.price(&Black76Inputs { vol: 0.0, ..i }), Err(PricingError::NonPositiveVol));
    }
}
