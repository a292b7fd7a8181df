//! The P&L table: one day per report row, each leg's P&L (the sum of its held options'),
//! the total and the cumulative.

use chrono::NaiveDate;
use serde::Serialize;

use super::held::HeldPnl;

/// One row of the P&L table, USD.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PnlDay {
    /// The row's date.
    pub date: NaiveDate,
    /// Each leg's P&L that day (0 when it holds nothing).
    pub legs: Vec<f64>,
    /// The legs' sum.
    pub total: f64,
    /// The totals so far, this day's included.
    pub cumulative: f64,
}

/// One day per date of `dates` (the report's rows), summing `held` per leg.
pub fn pnl_days(dates: impl IntoIterator<Item = NaiveDate>, leg_count: usize, held: &[HeldPnl]) -> Vec<PnlDay> {
    let mut days: Vec<PnlDay> = dates
        .into_iter()
        .map(|date| PnlDay { date, legs: vec![0.0; leg_count], total: 0.0, cumulative: 0.0 })
        .collect();
    for h in held {
        for (day, pnl) in days[h.first_row..].iter_mut().zip(&h.daily) {
            day.legs[h.leg] += pnl;
        }
    }
    let mut cumulative = 0.0;
    for day in &mut days {
        day.total = day.legs.iter().sum();
        cumulative += day.total;
        day.cumulative = cumulative;
    }
    days
}
