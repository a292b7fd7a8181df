//! Data-quality warnings: typed, machine-readable, each pointing at a date and symbol, so
//! a gap in the data is reported instead of silently skipped.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::contract::ContractMonth;

/// What looked wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum WarningKind {
    /// A session row has no price for the front-month future.
    MissingFuturesPrice,
    /// A held option has no price yet on or before this row.
    MissingOptionPrice,
    /// A price at or below zero was ignored.
    NonPositivePrice {
        /// The price seen.
        price: f64,
    },
    /// An option price admits no implied vol.
    IvDidNotSolve {
        /// Why (below intrinsic, above bound, expired…).
        reason: String,
    },
    /// The chosen delta lies outside target ± band.
    OutsideBand {
        /// Chosen delta (magnitude).
        #[serde(serialize_with = "computed")]
        delta: f64,
        /// Target delta.
        target: f64,
        /// Band half-width.
        band: f64,
    },
    /// No candidate could be priced on the roll date.
    EmptyChain {
        /// Options of the right kind on the target future.
        listed: usize,
        /// Of those, skipped for lack of price or vol.
        skipped: usize,
    },
    /// The data has no weekday session in a roll month.
    NoTradingDay {
        /// The month.
        month: ContractMonth,
    },
    /// The target future has no price on the roll date.
    MissingForward,
    /// An expiration came from the CME rule because no definition was available.
    ExpiryFromRule {
        /// The date the rule gave.
        expiration: NaiveDate,
    },
    /// The roll moved from the month's first trade date to this later one, because on
    /// `scheduled` the target future or its chain had no price.
    RollDeferred {
        /// The first trade date of the month.
        scheduled: NaiveDate,
        /// Why no option could be chosen that day.
        reason: Box<WarningKind>,
    },
    /// The chosen option's price was its last close before the roll date (with trade
    /// closes only, out-of-the-money options trade rarely).
    StalePick {
        /// The date of that close.
        price_date: NaiveDate,
    },
    /// A trade date on which the data has no futures settlement at all; its row repeats
    /// the previous trade date's values.
    NoSettlementsOnDay,
    /// A held option has no price of its own on its expiration date: its P&L takes its
    /// intrinsic value against its future's latest price on or before that day, or, when
    /// the future has none either, the option's last price.
    ExpiredWithoutPrice {
        /// The future's price used, if any.
        forward: Option<f64>,
    },
}

/// How much a warning matters to a scheduled job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Data is missing or stale: `--strict` fails on these.
    DataGap,
    /// Worth knowing, with the data complete (e.g. no strike inside the band).
    Note,
}

/// A warning with where it applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// The session or roll date it concerns.
    pub date: Option<NaiveDate>,
    /// The symbol it concerns.
    pub symbol: Option<String>,
    /// What looked wrong.
    pub kind: WarningKind,
}

impl Serialize for Warning {
    /// `date`, `symbol`, `severity`, then the kind's `code` and fields.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Out<'a> {
            date: Option<NaiveDate>,
            symbol: Option<&'a str>,
            severity: Severity,
            #[serde(flatten)]
            kind: &'a WarningKind,
        }
        let out =
            Out { date: self.date, symbol: self.symbol.as_deref(), severity: self.kind.severity(), kind: &self.kind };
        out.serialize(serializer)
    }
}

impl WarningKind {
    /// Stable machine-readable code, e.g. `missing_option_price`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingFuturesPrice => "missing_futures_price",
            Self::MissingOptionPrice => "missing_option_price",
            Self::NonPositivePrice { .. } => "non_positive_price",
            Self::IvDidNotSolve { .. } => "iv_did_not_solve",
            Self::OutsideBand { .. } => "outside_band",
            Self::EmptyChain { .. } => "empty_chain",
            Self::NoTradingDay { .. } => "no_trading_day",
            Self::MissingForward => "missing_forward",
            Self::ExpiryFromRule { .. } => "expiry_from_rule",
            Self::RollDeferred { .. } => "roll_deferred",
            Self::StalePick { .. } => "stale_pick",
            Self::NoSettlementsOnDay => "no_settlements_on_day",
            Self::ExpiredWithoutPrice { .. } => "expired_without_price",
        }
    }

    /// Whether this is a gap in the data or a note on complete data.
    pub fn severity(&self) -> Severity {
        match self {
            Self::OutsideBand { .. } | Self::IvDidNotSolve { .. } => Severity::Note,
            // An option that expires is worth its intrinsic value: exact when the future's
            // price is known.
            Self::ExpiredWithoutPrice { forward: Some(_) } => Severity::Note,
            _ => Severity::DataGap,
        }
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingFuturesPrice => f.write_str("no front-month futures price for this session"),
            Self::MissingOptionPrice => f.write_str("held option has no price yet"),
            Self::NonPositivePrice { price } => {
                write!(f, "price {price:.4} is not positive and was ignored")
            }
            Self::IvDidNotSolve { reason } => write!(f, "implied vol does not solve: {reason}"),
            Self::OutsideBand { delta, target, band } => {
                write!(f, "chosen delta {delta:.4} is outside {target} ± {band}: the chain has no closer strike")
            }
            Self::EmptyChain { listed, skipped } => {
                write!(f, "no option could be chosen: {listed} listed, {skipped} without a usable price that day")
            }
            Self::NoTradingDay { month } => {
                write!(f, "the data has no weekday session in {month}: no roll")
            }
            Self::MissingForward => f.write_str("the target future has no price on the roll date: no roll"),
            Self::ExpiryFromRule { expiration } => {
                write!(f, "no instrument definition; expiration {expiration} taken from the CME rule")
            }
            Self::RollDeferred { scheduled, reason } => {
                write!(f, "rolled on this later trade date, not on {scheduled}, the month's first: that day {reason}")
            }
            Self::StalePick { price_date } => write!(
                f,
                "chosen on its last close of {price_date}: it did not trade on the roll date (settlements price every strike)"
            ),
            Self::NoSettlementsOnDay => {
                f.write_str("the data has no futures settlements for this trade date: the row repeats the previous one")
            }
            Self::ExpiredWithoutPrice { forward: Some(forward) } => write!(
                f,
                "no price of its own on its expiration date: the P&L values it at its intrinsic value against its future's {forward:.4}"
            ),
            Self::ExpiredWithoutPrice { forward: None } => f.write_str(
                "no price of its own on its expiration date, nor its future: the P&L values it at its last price",
            ),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(date) = self.date {
            write!(f, "{date} ")?;
        }
        if let Some(symbol) = &self.symbol {
            write!(f, "{symbol}: ")?;
        }
        write!(f, "{}", self.kind)
    }
}

/// A computed number rounded as the exports round them, so every host writes the same
/// digits.
fn computed<S: serde::Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(crate::precision::round_computed(*value))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn computed_numbers_are_written_rounded() {
        let kind = WarningKind::OutsideBand { delta: 0.123_456_789_012_345, target: 0.15, band: 0.05 };
        let json = serde_json::to_string(&kind).unwrap();
        assert_eq!(json, r#"{"code":"outside_band","delta":0.123456789,"target":0.15,"band":0.05}"#);
    }
}
