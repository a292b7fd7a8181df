//! The strategy's summary figures: total P&L, P&L per calendar year, the maximum drawdown
//! of the cumulative P&L, the share of complete rolls that made money and the average
//! entry premium.

use std::fmt;

use chrono::Datelike;
use serde::Serialize;

use super::daily::PnlDay;
use super::held::HeldPnl;

/// One calendar year's P&L, USD.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearPnl {
    /// The year.
    pub year: i32,
    /// The sum of its days' P&L.
    pub pnl: f64,
}

/// The summary of a run's P&L, USD.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PnlSummary {
    /// The last day's cumulative P&L.
    pub total: f64,
    /// Per calendar year of the rows, in order.
    pub by_year: Vec<YearPnl>,
    /// The largest fall of the cumulative P&L from its highest point so far (starting at
    /// 0 before the first row); 0 or more.
    pub max_drawdown: f64,
    /// Options entered on their roll day and expired inside the report.
    pub complete_rolls: usize,
    /// Of those, the ones whose P&L is above zero.
    pub winning_rolls: usize,
    /// The average value of the options entered on their roll day inside the report
    /// (quantity × contract size × price, unsigned); `None` when none was.
    pub average_entry_premium: Option<f64>,
}

impl PnlSummary {
    /// The summary of the P&L table `days` and the held options' P&L `held`.
    pub fn of(days: &[PnlDay], held: &[HeldPnl]) -> Self {
        let mut by_year: Vec<YearPnl> = Vec::new();
        let (mut peak, mut max_drawdown) = (0.0_f64, 0.0_f64);
        for day in days {
            match by_year.last_mut() {
                Some(y) if y.year == day.date.year() => y.pnl += day.total,
                _ => by_year.push(YearPnl { year: day.date.year(), pnl: day.total }),
            }
            peak = peak.max(day.cumulative);
            max_drawdown = max_drawdown.max(peak - day.cumulative);
        }
        let complete: Vec<&HeldPnl> = held.iter().filter(|h| h.complete()).collect();
        let premiums: Vec<f64> = held.iter().filter(|h| !h.carried_in).map(|h| h.entry.value.abs()).collect();
        Self {
            total: days.last().map_or(0.0, |d| d.cumulative),
            by_year,
            max_drawdown,
            complete_rolls: complete.len(),
            winning_rolls: complete.iter().filter(|h| h.pnl > 0.0).count(),
            average_entry_premium: (!premiums.is_empty()).then(|| premiums.iter().sum::<f64>() / premiums.len() as f64),
        }
    }

    /// The share of complete rolls that made money, in [0, 1]; `None` without any.
    pub fn winning_share(&self) -> Option<f64> {
        (self.complete_rolls > 0).then(|| self.winning_rolls as f64 / self.complete_rolls as f64)
    }
}

impl fmt::Display for PnlSummary {
    /// `P&L 1234.56 USD (2025: 1234.56), max drawdown 80.00 USD, 2 of 3 complete rolls made
    /// money, average entry premium 3099.60 USD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P&L {:.2} USD", self.total)?;
        if !self.by_year.is_empty() {
            let years: Vec<String> = self.by_year.iter().map(|y| format!("{}: {:.2}", y.year, y.pnl)).collect();
            write!(f, " ({})", years.join(", "))?;
        }
        write!(f, ", max drawdown {:.2} USD", self.max_drawdown)?;
        write!(f, ", {} of {} complete rolls made money", self.winning_rolls, self.complete_rolls)?;
        match self.average_entry_premium {
            Some(p) => write!(f, ", average entry premium {p:.2} USD"),
            None => write!(f, ", no roll entered"),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn day(y: i32, m: u32, total: f64, cumulative: f64) -> PnlDay {
        PnlDay { date: NaiveDate::from_ymd_opt(y, m, 1).unwrap(), legs: vec![total], total, cumulative }
    }

    #[test]
    fn drawdown_is_measured_from_the_running_peak() {
        let days = [day(2024, 12, 10.0, 10.0), day(2025, 1, -25.0, -15.0), day(2025, 2, 40.0, 25.0)];
        let s = PnlSummary::of(&days, &[]);
        assert_eq!(s.total, 25.0);
        assert_eq!(s.by_year, [YearPnl { year: 2024, pnl: 10.0 }, YearPnl { year: 2025, pnl: 15.0 }]);
        assert_eq!(s.max_drawdown, 25.0);
        assert_eq!((s.winning_share(), s.average_entry_premium), (None, None));
        assert_eq!(
            s.to_string(),
            "P&L 25.00 USD (2024: 10.00, 2025: 15.00), max drawdown 25.00 USD, 0 of 0 complete rolls made money, no roll entered"
        );
    }
}
