//! A position leg: which options a run holds, which way and how many contracts. A run holds
//! one to eight legs ([`RunSpec::legs`]: those given, else one long contract of the options
//! its option type, target delta and months ahead choose); their text form is in
//! [`crate::legs`].
//!
//! [`RunSpec::legs`]: crate::spec::RunSpec::legs

use serde::{Deserialize, Serialize};

use crate::contract::OptionKind;
use crate::parse::named;

/// Bought or sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Bought: gains when the option's value rises.
    #[default]
    Long,
    /// Sold: gains when the option's value falls.
    Short,
}

named! {
    Side, "a side", from_str;
    Long => "long", "Long (bought)";
    Short => "short", "Short (sold)";
}

impl Side {
    /// +1 for long, −1 for short.
    pub fn sign(self) -> f64 {
        match self {
            Self::Long => 1.0,
            Self::Short => -1.0,
        }
    }
}

/// One leg of a run: the options it chooses and the position held in each.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Leg {
    /// Long or short.
    pub side: Side,
    /// Calls or puts.
    pub kind: OptionKind,
    /// Target delta, as a magnitude.
    pub target_delta: f64,
    /// k: on month M the option on the month M+k future is chosen.
    pub months_ahead: u32,
    /// Contracts held of each chosen option (1).
    pub quantity: u32,
}

impl Default for Leg {
    /// Long one call at delta 0.15, two months ahead (the default spec's options).
    fn default() -> Self {
        Self { side: Side::Long, kind: OptionKind::Call, target_delta: 0.15, months_ahead: 2, quantity: 1 }
    }
}

impl Leg {
    /// `long 1 call 0.15`: the P&L CSV's column header.
    pub fn label(&self) -> String {
        format!("{} {} {} {}", self.side.as_str(), self.quantity, self.kind.as_str(), self.target_delta)
    }

    /// The position's value in USD of one option priced at `price` (USD per price unit),
    /// for contracts of `contract_size` price units: side × quantity × size × price.
    pub fn value(&self, price: f64, contract_size: f64) -> f64 {
        self.side.sign() * f64::from(self.quantity) * contract_size * price
    }

    /// The fees of entering the position: `fee` USD per contract.
    pub fn entry_fees(&self, fee: f64) -> f64 {
        fee * f64::from(self.quantity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_leg_is_worth_minus_the_premium() {
        let long = Leg::default();
        assert_eq!(long.label(), "long 1 call 0.15");
        assert_eq!(long.value(0.0738, 42_000.0), 0.0738 * 42_000.0);
        let short = Leg { side: Side::Short, kind: OptionKind::Put, quantity: 3, ..long };
        assert_eq!(short.label(), "short 3 put 0.15");
        assert_eq!(short.value(0.5, 42_000.0), -63_000.0);
        assert_eq!(short.entry_fees(1.5), 4.5);
        assert_eq!("short".parse::<Side>(), Ok(Side::Short));
    }
}
