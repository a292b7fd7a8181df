//! Product presets: which Databento dataset and parent symbols hold a futures product
//! and its options, its units, and the CME expiry rule used when definitions are missing.

use serde::{Deserialize, Serialize};

use crate::contract::Root;
use crate::parse::ParseError;

/// A CME futures product and its monthly options, as Databento names them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductSpec {
    /// Human name, e.g. `NY Harbor ULSD`.
    pub name: String,
    /// Databento dataset code, e.g. `GLBX.MDP3`.
    pub dataset: String,
    /// Futures root (`HO`); the parent symbol is `HO.FUT`.
    pub futures_root: Root,
    /// Options root (`OH`); the parent symbol is `OH.OPT`.
    pub options_root: Root,
    /// Contract size in price units (42,000 gallons).
    pub multiplier: f64,
    /// Quote unit of futures and option prices, e.g. `USD/gal`.
    pub price_unit: String,
    /// How many strike-code units make one price unit (10,000 for OH: `C24000` = 2.40).
    pub strike_units_per_price: f64,
    /// Fallback expiry rule, used only when no instrument definition gives the date.
    pub expiry_rule: ExpiryRule,
}

/// The CME rule for last trading days, in business days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiryRule {
    /// The future's last trading day is this many business days before the last business
    /// day of the month preceding the contract month (0 for HO: that last business day).
    pub futures_days_before_month_end: u32,
    /// The option expires this many business days before its future's last trading day
    /// (3 for OH).
    pub option_days_before_future: u32,
}

impl ProductSpec {
    /// NY Harbor ULSD futures (`HO.FUT`) and their monthly options (`OH.OPT`) on CME Globex.
    pub fn heating_oil() -> Self {
        Self {
            name: "NY Harbor ULSD".to_owned(),
            dataset: "GLBX.MDP3".to_owned(),
            futures_root: Root::known("HO"),
            options_root: Root::known("OH"),
            multiplier: 42_000.0,
            price_unit: "USD/gal".to_owned(),
            strike_units_per_price: 10_000.0,
            expiry_rule: ExpiryRule { futures_days_before_month_end: 0, option_days_before_future: 3 },
        }
    }

    /// Databento parent symbol of the futures, e.g. `HO.FUT`.
    pub fn futures_parent(&self) -> String {
        format!("{}.FUT", self.futures_root)
    }

    /// Databento parent symbol of the options, e.g. `OH.OPT`.
    pub fn options_parent(&self) -> String {
        format!("{}.OPT", self.options_root)
    }

    /// A preset with other roots (e.g. `CL` / `LO`), keeping this one's units and expiry
    /// rule; unless the roots are unchanged it is named after them and marked as assuming
    /// this preset's units, so manifests do not call it by the preset's name.
    pub fn with_roots(&self, futures_root: &str, options_root: &str) -> Result<Self, ParseError> {
        let (futures_root, options_root): (Root, Root) = (futures_root.parse()?, options_root.parse()?);
        let name = if (futures_root, options_root) == (self.futures_root, self.options_root) {
            self.name.clone()
        } else {
            format!("{futures_root} futures / {options_root} options (units and expiry rule of {})", self.name)
        };
        Ok(Self { name, futures_root, options_root, ..self.clone() })
    }
}

impl Default for ProductSpec {
    fn default() -> Self {
        Self::heating_oil()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_roots_are_not_called_by_the_preset_name() {
        let ho = ProductSpec::heating_oil();
        assert_eq!(ho.with_roots("HO", "OH").unwrap(), ho);
        let cl = ho.with_roots("CL", "LO").unwrap();
        assert_eq!((cl.futures_parent(), cl.options_parent()), ("CL.FUT".to_owned(), "LO.OPT".to_owned()));
        assert!(cl.name.starts_with("CL futures / LO options"), "{}", cl.name);
        assert!(ho.with_roots("ho", "OH").is_err());
    }
}
