//! The pricing-model seam: callers price through [`OptionModel`]; [`Model`] names the
//! models a run can pick (Black-76, the default, or Barone-Adesi–Whaley for American
//! exercise).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::baw::{baw_implied_vol, Baw};
use super::black76::{Black76, Black76Inputs, DeltaConvention, PricingError};
use super::implied::{implied_vol, IvError, IvQuery};
use crate::parse::{Named, ParseError};

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

    /// [`Black76::delta_of`] the validated inputs.
    fn delta(&self, i: &Black76Inputs, c: DeltaConvention) -> Result<f64, PricingError> {
        Black76::delta_of(i, c)
    }
}

/// Barone-Adesi–Whaley (1987) for American options on futures (cost of carry 0): the
/// Black-76 value plus the quadratic approximation of the early-exercise premium; see
/// [`super::baw`].
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct BawModel;

impl OptionModel for BawModel {
    /// `"baw"`.
    fn name(&self) -> &'static str {
        "baw"
    }

    /// [`Baw::price`] of the validated inputs.
    fn price(&self, i: &Black76Inputs) -> Result<f64, PricingError> {
        Ok(Baw::new(*i)?.price())
    }

    /// [`baw_implied_vol`] (bracketed Newton from the Black-76 vol).
    fn implied_vol(&self, q: &IvQuery) -> Result<f64, IvError> {
        baw_implied_vol(q)
    }

    /// [`Baw::delta`] (analytic) of the validated inputs.
    fn delta(&self, i: &Black76Inputs, c: DeltaConvention) -> Result<f64, PricingError> {
        Ok(Baw::new(*i)?.delta(c))
    }
}

/// The pricing model a run uses, picked by name: `black76` (the default) or `baw`.
/// Serialised and parsed by its code.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    /// Black-76, European exercise ([`Black76Model`]).
    #[default]
    Black76,
    /// Barone-Adesi–Whaley, American exercise ([`BawModel`]).
    Baw,
}

impl Model {
    /// The model's code, `"black76"` or `"baw"` (also [`OptionModel::name`]).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Black76 => "black76",
            Self::Baw => "baw",
        }
    }

    /// The model itself.
    pub fn option_model(self) -> &'static dyn OptionModel {
        match self {
            Self::Black76 => &Black76Model,
            Self::Baw => &BawModel,
        }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Model {
    type Err = ParseError;

    /// Parses `"black76"` or `"baw"` (ASCII case-insensitive, surrounding whitespace
    /// ignored).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_code(&s.to_ascii_lowercase()).map_err(|e| ParseError { text: s.to_owned(), ..e })
    }
}

impl Named for Model {
    const ALL: &'static [Self] = &[Self::Black76, Self::Baw];
    const WHAT: &'static str = "a pricing model";

    fn code(self) -> &'static str {
        self.as_str()
    }

    fn label(self) -> &'static str {
        match self {
            Self::Black76 => "Black-76 (European)",
            Self::Baw => "Barone-Adesi–Whaley (American)",
        }
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

    #[test]
    fn models_by_name() {
        assert_eq!(Model::default(), Model::Black76);
        for m in Model::ALL {
            assert_eq!(m.as_str().parse::<Model>(), Ok(*m));
            assert_eq!(m.option_model().name(), m.as_str());
            assert_eq!(serde_json::to_string(m).unwrap(), format!("\"{m}\""));
        }
        assert_eq!(" BAW ".parse(), Ok(Model::Baw));
        let err = "bs".parse::<Model>().unwrap_err();
        assert!(err.to_string().contains("(black76 or baw)"), "{err}");
    }
}
