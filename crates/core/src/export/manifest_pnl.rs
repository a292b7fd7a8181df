//! The manifest's P&L section: the legs, the fee, the summary figures and each held
//! option's entry, exit and P&L (USD amounts as decimal strings, in cents).

use serde::Serialize;

use super::decimal;
use super::pnl::USD_PLACES;
use crate::pnl::HeldPnl;
use crate::position::Leg;
use crate::precision::COMPUTED_PLACES;
use crate::report::Report;

/// The P&L of a run as the manifest states it.
#[derive(Debug, Serialize)]
pub struct ManifestPnl {
    /// `USD`: the unit of every amount below.
    pub currency: &'static str,
    /// Fee per contract, charged at entry.
    pub fee_per_contract: String,
    /// The legs, numbered from 1.
    pub legs: Vec<ManifestLeg>,
    /// Total P&L (the last row's cumulative).
    pub total: String,
    /// P&L per calendar year.
    pub by_year: Vec<ManifestYear>,
    /// Largest fall of the cumulative P&L from its running peak.
    pub max_drawdown: String,
    /// Options entered on their roll day and expired inside the run.
    pub complete_rolls: usize,
    /// Of those, the ones that made money.
    pub winning_rolls: usize,
    /// `winning_rolls / complete_rolls`; absent without complete rolls.
    pub winning_share: Option<String>,
    /// Average value of the options entered on their roll day inside the run (quantity ×
    /// contract size × price).
    pub average_entry_premium: Option<String>,
    /// One per held option, in roll order.
    pub rolls: Vec<ManifestRollPnl>,
}

/// A leg as the manifest states it.
#[derive(Debug, Serialize)]
pub struct ManifestLeg {
    /// 1-based.
    pub leg: usize,
    /// `long 1 call 0.15`, the P&L CSV's column header.
    pub label: String,
    /// Side, option type, target delta, months ahead, quantity.
    #[serde(flatten)]
    pub position: Leg,
}

/// One calendar year's P&L.
#[derive(Debug, Serialize)]
pub struct ManifestYear {
    /// The year.
    pub year: i32,
    /// Its P&L.
    pub pnl: String,
}

/// One held option's P&L.
#[derive(Debug, Serialize)]
pub struct ManifestRollPnl {
    /// The month of the roll that chose it, `YYYY-MM`.
    pub month: Option<String>,
    /// Its leg, 1-based.
    pub leg: usize,
    /// The option.
    pub option: String,
    /// Entry row: its roll day, or the run's first row when chosen before it.
    pub entry_date: String,
    /// Its price there, USD per price unit.
    pub entry_price: String,
    /// The position's value there (negative when short).
    pub entry_value: String,
    /// Exit row: its expiration, or the run's last row while still held.
    pub exit_date: String,
    /// Its price there (its intrinsic value when it had none on its expiration).
    pub exit_price: String,
    /// The position's value there.
    pub exit_value: String,
    /// Chosen before the run's first row (entered there, without fees).
    pub carried_in: bool,
    /// Expired inside the run.
    pub expired: bool,
    /// Fees paid at entry.
    pub fees: String,
    /// exit value − entry value − fees.
    pub pnl: String,
}

impl ManifestPnl {
    /// The P&L section of `report`'s manifest.
    pub fn new(report: &Report) -> Self {
        let (pnl, summary) = (&report.pnl, &report.pnl.summary);
        let usd = |v: f64| decimal(v, USD_PLACES);
        Self {
            currency: "USD",
            fee_per_contract: usd(pnl.fee),
            legs: pnl
                .legs
                .iter()
                .enumerate()
                .map(|(i, leg)| ManifestLeg { leg: i + 1, label: leg.label(), position: *leg })
                .collect(),
            total: usd(summary.total),
            by_year: summary.by_year.iter().map(|y| ManifestYear { year: y.year, pnl: usd(y.pnl) }).collect(),
            max_drawdown: usd(summary.max_drawdown),
            complete_rolls: summary.complete_rolls,
            winning_rolls: summary.winning_rolls,
            winning_share: summary.winning_share().map(|s| decimal(s, COMPUTED_PLACES)),
            average_entry_premium: summary.average_entry_premium.map(usd),
            rolls: pnl.held.iter().map(|h| ManifestRollPnl::new(report, h)).collect(),
        }
    }
}

impl ManifestRollPnl {
    fn new(report: &Report, held: &HeldPnl) -> Self {
        let usd = |v: f64| decimal(v, USD_PLACES);
        let price = |v: f64| decimal(v, COMPUTED_PLACES);
        let symbol = report.columns[held.column].symbol;
        let month =
            report.rolls.iter().find(|r| r.leg == held.leg && r.choice.as_ref().is_some_and(|c| c.symbol == symbol));
        Self {
            month: month.map(|r| r.month.to_string()),
            leg: held.leg + 1,
            option: symbol.to_string(),
            entry_date: held.entry.date.to_string(),
            entry_price: price(held.entry.price),
            entry_value: usd(held.entry.value),
            exit_date: held.exit.date.to_string(),
            exit_price: price(held.exit.price),
            exit_value: usd(held.exit.value),
            carried_in: held.carried_in,
            expired: held.expired,
            fees: usd(held.fees),
            pnl: usd(held.pnl),
        }
    }
}
