//! Option pricing: Black-76 for options on futures, its greeks and implied volatility,
//! and Barone-Adesi–Whaley for American exercise, behind the [`OptionModel`] trait.

pub mod baw;
pub mod black76;
pub mod implied;
pub mod model;

pub use baw::{baw_implied_vol, Baw};
pub use black76::{Black76, Black76Inputs, DeltaConvention, Greeks, PricingError};
pub use implied::{implied_vol, IvError, IvQuery};
pub use model::{BawModel, Black76Model, Model, OptionModel};
