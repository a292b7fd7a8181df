//! A roll day's chain as the report keeps it: every candidate strike with the numbers that
//! ranked it, or why it could not be ranked, and which one was chosen ("why this strike").

use std::fmt;

use serde::{Serialize, Serializer};

use crate::contract::OptionSymbol;
use crate::market::Price;
use crate::pricing::IvError;
use crate::quote::Quote;

/// One strike of a roll day's chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// The option.
    pub symbol: OptionSymbol,
    /// Strike, quote units.
    pub strike: Price,
    /// Its price for the roll, with its date and basis; `None`: no price.
    pub quote: Option<Quote>,
    /// The vol its delta used (its own implied vol, or the chain-wide one).
    pub iv: Option<f64>,
    /// Its delta under the spec's convention (signed).
    pub delta: Option<f64>,
    /// `| |delta| − target |` for the leg that rolled.
    pub distance: Option<f64>,
    /// Why it was not ranked; `None` for ranked candidates.
    pub skipped: Option<Skip>,
    /// Whether the roll chose it.
    pub chosen: bool,
}

/// Why a candidate was not ranked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Skip {
    /// No settlement and no close within the stale window.
    NoPrice,
    /// Its implied vol did not solve (e.g. priced below intrinsic).
    NoVol(IvError),
    /// The chain-wide vol (at-the-money implied or historical) was not available.
    NoChainVol,
    /// The model gave no delta at its vol.
    NoDelta,
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoPrice => f.write_str("no price"),
            Self::NoVol(IvError::BelowIntrinsic { .. } | IvError::BelowExerciseValue { .. }) => {
                f.write_str("below intrinsic")
            }
            Self::NoVol(IvError::AboveUpperBound { .. } | IvError::AboveAmericanMaximum { .. }) => {
                f.write_str("above the no-arbitrage maximum")
            }
            Self::NoVol(e) => write!(f, "IV failed: {e}"),
            Self::NoChainVol => f.write_str("no chain-wide vol"),
            Self::NoDelta => f.write_str("no delta"),
        }
    }
}

/// Skips serialize as their text (`"below intrinsic"`).
impl Serialize for Skip {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_read_as_short_reasons() {
        assert_eq!(Skip::NoPrice.to_string(), "no price");
        assert_eq!(Skip::NoVol(IvError::BelowIntrinsic { intrinsic: 0.2 }).to_string(), "below intrinsic");
        assert!(Skip::NoVol(IvError::Expired).to_string().starts_with("IV failed: option has expired"));
        assert_eq!(serde_json::to_string(&Skip::NoChainVol).unwrap(), "\"no chain-wide vol\"");
    }
}
