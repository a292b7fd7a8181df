//! Option pricing: Black-76 for options on futures, its greeks and implied volatility,
//! behind the [`OptionModel`] trait so an early-exercise model can be added later.

pub mod black76;
pub mod implied;
pub mod model;

pub use black76::{Black76, Black76Inputs, DeltaConvention, Greeks, PricingError};
pub use implied::{implied_vol, IvError, IvQuery};
pub use model::{Black76Model, OptionModel};
