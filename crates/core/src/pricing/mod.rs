//! Option pricing: Black-76 for options on futures, its greeks and implied volatility.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Which delta is matched and reported: `Forward` = N(d1) for calls, N(d1) − 1 for puts
/// (undiscounted); `Discounted` = e^{−rT}·N(d1) for calls, −e^{−rT}·N(−d1) for puts (∂V/∂F,
/// the hedge ratio in futures per option). The default is `Discounted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeltaConvention {
    /// N(d1): the undiscounted ("forward") delta.
    Forward,
    /// e^{−rT}·N(d1): ∂V/∂F.
    #[default]
    Discounted,
}

impl DeltaConvention {
    /// `forward` or `discounted`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Forward => "forward",
            Self::Discounted => "discounted",
        }
    }
}

impl fmt::Display for DeltaConvention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DeltaConvention {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "forward" => Ok(Self::Forward),
            "discounted" => Ok(Self::Discounted),
            _ => Err(format!(
                "`{s}` is not a delta convention (forward or discounted)"
            )),
        }
    }
}
