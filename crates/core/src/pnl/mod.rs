//! The P&L of a run, in USD: per held option, per leg and in total, day by day, and its
//! summary. A held option's position value on a row is side × quantity × contract size ×
//! its value (USD per price unit); its daily P&L is the change from the previous row. It
//! enters on its roll day at that day's value (paying the per-contract fee) and leaves
//! after its expiration row, valued there at its own price that day, or at its intrinsic
//! value when it has none. Sunday rows repeat Friday's values, so their P&L is 0.

pub(crate) mod build;
mod daily;
mod held;
mod summary;

pub use daily::{pnl_days, PnlDay};
pub use held::{HeldPnl, Mark, RowPrice, Terms};
pub use summary::{PnlSummary, YearPnl};

use serde::Serialize;

use crate::position::Leg;

/// A run's P&L.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pnl {
    /// The legs, in order ([`crate::spec::RunSpec::legs`]).
    pub legs: Vec<Leg>,
    /// Fee per contract at entry, USD.
    pub fee: f64,
    /// One per report row.
    pub days: Vec<PnlDay>,
    /// One per held option that had a price, in column order.
    pub held: Vec<HeldPnl>,
    /// The summary figures.
    pub summary: PnlSummary,
}
