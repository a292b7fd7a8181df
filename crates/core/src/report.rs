//! The result of a run: one roll per month and one row per session date, plus warnings.
//! Exports and views read it; nothing downstream recomputes.

use chrono::NaiveDate;
use serde::Serialize;

pub use crate::held_row::{HeldRow, HeldValue};

use crate::contract::{ContractMonth, FuturesSymbol, OptionSymbol};
use crate::market::{Price, Provenance};
use crate::pnl::Pnl;
use crate::quote::{PricedCounts, Quote};
use crate::roll_chain::RollChain;
use crate::spec::RunSpec;
use crate::warnings::Warning;

/// The option chosen on a roll date, with the numbers that chose it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Selection {
    /// `OHH5 C24000`.
    pub symbol: OptionSymbol,
    /// Its future (`HOH5`).
    pub underlying: FuturesSymbol,
    /// The future's price on the roll date.
    pub forward: Price,
    /// Strike, quote units.
    pub strike: Price,
    /// The option's own price on the roll date (absent only when a chain-wide vol source
    /// chose a strike that had no price).
    pub price: Option<Price>,
    /// That price with its date and basis (settlement, close, stale close).
    pub quote: Option<Quote>,
    /// Volatility used for its delta (annualised).
    pub iv: f64,
    /// Its delta under the spec's convention (signed: negative for puts).
    pub delta: f64,
    /// Years from the roll date to expiration (calendar days / 365).
    pub time_to_expiry: f64,
    /// Last trading day.
    pub expiration: NaiveDate,
    /// Options of the right kind on the target future.
    pub chain_size: usize,
    /// Candidates skipped: no price that day, or no implied vol.
    pub skipped: usize,
    /// How the candidates were priced.
    pub priced: PricedCounts,
    /// Whether |delta| lies within target ± band.
    pub in_band: bool,
}

/// One month's roll.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Roll {
    /// The month M.
    pub month: ContractMonth,
    /// Which of the spec's legs rolls (an index into `RunSpec::legs`).
    pub leg: usize,
    /// Its first trading day, if the data has one.
    pub date: Option<NaiveDate>,
    /// The month M+k future whose options are candidates.
    pub target: FuturesSymbol,
    /// The chosen option; `None` comes with a warning saying why.
    pub choice: Option<Selection>,
    /// The chain it chose from on `date`, every candidate in strike order (empty when the
    /// target future had no price that day).
    pub chain: RollChain,
}

/// The front-month future on a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrontPrice {
    /// The contract with the earliest expiration not before the row date.
    pub symbol: FuturesSymbol,
    /// Its price that session, if it has one.
    pub price: Option<Price>,
}

/// One output row: a session date in `[start, end]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailyRow {
    /// Session date (Sundays included).
    pub date: NaiveDate,
    /// Front-month future, if any is listed.
    pub front: Option<FrontPrice>,
    /// One entry per [`Report::columns`]; `None` when not held that day.
    pub held: HeldRow,
}

/// A held option's column: the option and its holding window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// The option.
    pub symbol: OptionSymbol,
    /// Its future.
    pub underlying: FuturesSymbol,
    /// Strike, quote units.
    pub strike: Price,
    /// Selection date (first day held).
    pub from: NaiveDate,
    /// Expiration (last day held).
    pub until: NaiveDate,
    /// Which of the spec's legs holds it (an index into `RunSpec::legs`).
    pub leg: usize,
}

/// Everything a run produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// What was asked.
    pub spec: RunSpec,
    /// Where the market data came from.
    pub provenance: Provenance,
    /// SHA-256 of the market data the run read.
    pub data_hash: String,
    /// One per roll month and leg: months in order, legs in their order within a month.
    pub rolls: Vec<Roll>,
    /// Held options in roll order, legs in their order within a month (an option a leg
    /// chose twice appears once for it).
    pub columns: Vec<Column>,
    /// One per session date in `[start, end]`.
    pub rows: Vec<DailyRow>,
    /// The P&L of the held options, day by day, and its summary.
    pub pnl: Pnl,
    /// Everything that looked wrong, in date order.
    pub warnings: Vec<Warning>,
}
