//! A roll day's chain as a roll keeps it: every strike scored once (its price, vol and
//! delta), shared by every leg of that option type that rolled on that future that day, with
//! what one leg adds to it (its target delta and its choice). A run of several legs keeps
//! one copy of each chain, not one per leg.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use crate::candidate::{Candidate, Skip};
use crate::contract::OptionSymbol;
use crate::market::Price;
use crate::quote::Quote;

/// One strike of a roll day's chain as scored, whatever leg chooses from it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredStrike {
    /// The option.
    pub symbol: OptionSymbol,
    /// Strike, quote units.
    pub strike: Price,
    /// Its expiration date.
    pub expiration: NaiveDate,
    /// Its price for the roll; `None`: no price.
    pub quote: Option<Quote>,
    /// The vol its delta uses, when there is one.
    pub iv: Option<f64>,
    /// Its delta (signed, under the spec's convention), or why it has none.
    pub delta: Result<f64, Skip>,
}

/// How far `delta` is from a leg's `target`: `| |delta| − target |`.
pub fn distance(target: f64, delta: f64) -> f64 {
    (delta.abs() - target).abs()
}

/// A roll's chain: the shared scored strikes in strike order (none when the target future
/// had no price that day), the rolling leg's target |delta| and the strike it chose.
#[derive(Debug, Clone, PartialEq)]
pub struct RollChain {
    strikes: Arc<[ScoredStrike]>,
    target: f64,
    chosen: Option<OptionSymbol>,
}

impl Default for RollChain {
    fn default() -> Self {
        Self { strikes: Arc::from(Vec::new()), target: 0.0, chosen: None }
    }
}

impl RollChain {
    /// The chain `strikes` as the leg aiming at |delta| `target` saw it, `chosen` its pick.
    pub fn new(strikes: Arc<[ScoredStrike]>, target: f64, chosen: Option<OptionSymbol>) -> Self {
        Self { strikes, target, chosen }
    }

    /// Number of strikes listed.
    pub fn len(&self) -> usize {
        self.strikes.len()
    }

    /// No strikes at all (the target future had no price that day).
    pub fn is_empty(&self) -> bool {
        self.strikes.is_empty()
    }

    /// Every candidate, in strike order, with its distance to this leg's target and whether
    /// this leg chose it.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Candidate> + '_ {
        self.strikes.iter().map(|s| {
            let delta = s.delta.ok();
            Candidate {
                symbol: s.symbol,
                strike: s.strike,
                quote: s.quote,
                iv: s.iv,
                delta,
                distance: delta.map(|d| distance(self.target, d)),
                skipped: s.delta.err(),
                chosen: self.chosen == Some(s.symbol),
            }
        })
    }
}

/// A chain serializes as its list of candidates.
impl Serialize for RollChain {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{ContractMonth, OptionKind, StrikeCode};
    use crate::product::ProductSpec;

    fn strike(value: f64, delta: Result<f64, Skip>) -> ScoredStrike {
        let product = ProductSpec::heating_oil();
        let symbol = OptionSymbol {
            root: product.options_root,
            month: ContractMonth::new(2025, 3).unwrap(),
            kind: OptionKind::Call,
            strike_code: StrikeCode::from_price(value, product.strike_units_per_price),
        };
        ScoredStrike {
            symbol,
            strike: Price::new(value).unwrap(),
            expiration: NaiveDate::from_ymd_opt(2025, 2, 25).unwrap(),
            quote: None,
            iv: delta.ok().map(|_| 0.4),
            delta,
        }
    }

    #[test]
    fn legs_sharing_a_chain_each_see_their_own_distance_and_choice() {
        let strikes: Arc<[ScoredStrike]> =
            Arc::from(vec![strike(2.4, Ok(0.30)), strike(2.6, Ok(0.12)), strike(3.0, Err(Skip::NoPrice))]);
        let near = RollChain::new(Arc::clone(&strikes), 0.15, Some(strikes[1].symbol));
        let far = RollChain::new(Arc::clone(&strikes), 0.25, Some(strikes[0].symbol));
        let distances = |c: &RollChain| c.iter().map(|c| c.distance.map(|d| (d * 100.0).round())).collect::<Vec<_>>();
        assert_eq!(distances(&near), [Some(15.0), Some(3.0), None]);
        assert_eq!(distances(&far), [Some(5.0), Some(13.0), None]);
        assert_eq!(near.iter().map(|c| c.chosen).collect::<Vec<_>>(), [false, true, false]);
        assert_eq!(far.iter().map(|c| c.chosen).collect::<Vec<_>>(), [true, false, false]);
        assert_eq!(near.iter().last().unwrap().skipped, Some(Skip::NoPrice));
        assert!(Arc::ptr_eq(&near.strikes, &far.strikes), "one copy of the strikes");
        let json = serde_json::to_value(&far).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 3);
        assert_eq!(json[0]["chosen"], true);
        assert!(RollChain::default().is_empty());
    }
}
