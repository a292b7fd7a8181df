//! The report as the page shows it: the rolls table, the P&L figures, the warnings list and
//! the data-source banner, formatted once here so components only render strings.

use chrono::NaiveDate;
use deltaroll_core::demo::DEMO_LABEL;
use deltaroll_core::market::Provenance;
use deltaroll_core::quote::PriceBasis;
use deltaroll_core::report::{Report, Roll};

use super::money::usd;
use super::text::quoted;

/// One row of the rolls table.
#[derive(Debug, Clone, PartialEq)]
pub struct RollRow {
    /// Its index in the report's rolls (what its chain is found by).
    pub roll: usize,
    /// Roll date (first trading day of the month), or `—` when the data has none.
    pub date: String,
    /// Roll month `YYYY-MM`.
    pub month: String,
    /// The leg that rolls: its label, `short 1 call 0.15`.
    pub leg: String,
    /// Target future, e.g. `HOH5`.
    pub contract: String,
    /// Chosen option, e.g. `OHH5 C24000`, or `—`.
    pub symbol: String,
    /// Strike, quote units.
    pub strike: String,
    /// Future's price on the roll date.
    pub forward: String,
    /// Vol used, in percent.
    pub iv: String,
    /// Delta under the spec's convention.
    pub delta: String,
    /// Expiration date.
    pub expiry: String,
    /// Whether |delta| is within target ± band (`None`: no choice).
    pub in_band: Option<bool>,
    /// The P&L of the option it chose (USD; to the last row while still held), or `—`
    /// when that option is not held inside the range.
    pub pnl: String,
    /// The same P&L as a number, for sorting.
    pub pnl_usd: Option<f64>,
    /// The roll date, and the chosen option's expiration (its last day held) when it chose.
    pub held: (Option<NaiveDate>, Option<NaiveDate>),
}

impl RollRow {
    /// Whether this roll matters between `from` and `to`: its option is held on a day
    /// between them (a roll that chose nothing: its date is between them).
    pub fn held_within(&self, from: NaiveDate, to: NaiveDate) -> bool {
        match self.held {
            (Some(date), Some(expiry)) => date <= to && expiry >= from,
            (Some(date), None) => date >= from && date <= to,
            (None, _) => true,
        }
    }
}

/// The rolls table.
pub fn roll_rows(report: &Report) -> Vec<RollRow> {
    const NONE: &str = "—";
    report
        .rolls
        .iter()
        .enumerate()
        .map(|(index, roll)| {
            let s = roll.choice.as_ref();
            let text = |f: &dyn Fn(&deltaroll_core::report::Selection) -> String| s.map_or(NONE.to_owned(), f);
            RollRow {
                roll: index,
                date: roll.date.map_or(NONE.to_owned(), |d| d.to_string()),
                month: roll.month.to_string(),
                leg: report.pnl.legs.get(roll.leg).map_or(NONE.to_owned(), |l| l.label()),
                contract: roll.target.to_string(),
                symbol: text(&|s| s.symbol.to_string()),
                strike: text(&|s| format!("{:.4}", s.strike.value())),
                forward: text(&|s| format!("{:.4}", s.forward.value())),
                iv: text(&|s| format!("{:.2}%", s.iv * 100.0)),
                delta: text(&|s| format!("{:.4}", s.delta)),
                expiry: text(&|s| s.expiration.to_string()),
                in_band: s.map(|s| s.in_band),
                pnl: roll_pnl(report, roll).map_or(NONE.to_owned(), usd),
                pnl_usd: roll_pnl(report, roll),
                held: (roll.date, s.map(|s| s.expiration)),
            }
        })
        .collect()
}

/// The P&L of the option `roll` chose for its leg, when it is held inside the range (an
/// option chosen again by a later roll of the leg counts for the first).
fn roll_pnl(report: &Report, roll: &Roll) -> Option<f64> {
    let choice = roll.choice.as_ref()?;
    let column = report
        .columns
        .iter()
        .position(|c| c.symbol == choice.symbol && c.leg == roll.leg && Some(c.from) == roll.date)?;
    report.pnl.held.iter().find(|h| h.column == column).map(|h| h.pnl)
}

/// One figure of the P&L summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// Its element id.
    pub id: &'static str,
    /// What it is.
    pub label: &'static str,
    /// Its value, formatted.
    pub value: String,
}

/// The P&L summary as a few figures: total, per year, maximum drawdown, rolls that made
/// money, average entry premium.
pub fn pnl_figures(report: &Report) -> Vec<Figure> {
    let s = &report.pnl.summary;
    let figure = |id, label, value| Figure { id, label, value };
    let years: Vec<String> = s.by_year.iter().map(|y| format!("{}: {}", y.year, usd(y.pnl))).collect();
    let winners = match s.winning_share() {
        Some(share) => format!("{} of {} ({:.0}%)", s.winning_rolls, s.complete_rolls, share * 100.0),
        None => "no roll completed in the range".to_owned(),
    };
    let mut figures = vec![
        figure("pnl-total", "Total P&L", usd(s.total)),
        figure("pnl-years", "P&L per year", years.join(" · ")),
        figure("pnl-drawdown", "Max drawdown", usd(s.max_drawdown)),
        figure("pnl-winners", "Rolls that made money", winners),
        figure("pnl-premium", "Average entry premium", s.average_entry_premium.map_or("—".to_owned(), usd)),
    ];
    if report.pnl.fee > 0.0 {
        figures.push(figure("pnl-fee", "Fee per contract, at entry", usd(report.pnl.fee)));
    }
    figures
}

/// One warning, pointing at a date and symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningRow {
    /// Date, or `—`.
    pub date: String,
    /// Symbol, or `—`.
    pub symbol: String,
    /// Machine-readable code, e.g. `outside_band`.
    pub code: &'static str,
    /// What looked wrong.
    pub message: String,
}

/// The warnings list, in date order.
pub fn warning_rows(report: &Report) -> Vec<WarningRow> {
    report
        .warnings
        .iter()
        .map(|w| WarningRow {
            date: w.date.map_or("—".to_owned(), |d| d.to_string()),
            symbol: w.symbol.clone().unwrap_or_else(|| "—".to_owned()),
            code: w.kind.code(),
            message: quoted(&w.kind.to_string()),
        })
        .collect()
}

/// The label shown wherever results from this report appear: the demo market's warning
/// that prices are simulated, or where real data came from.
pub fn data_label(report: &Report) -> &'static str {
    match report.provenance {
        Provenance::SimulatedDemo => DEMO_LABEL,
        other => other.label(),
    }
}

/// Shown next to results whose rolls were valued from trade closes (files without
/// `statistics`): why settlements matter, and what to add.
pub fn pricing_note(report: &Report) -> Option<&'static str> {
    let from_closes = report
        .rolls
        .iter()
        .filter_map(|r| r.choice.as_ref()?.quote)
        .any(|q| matches!(q.basis, PriceBasis::Close | PriceBasis::StaleClose));
    from_closes.then_some(
        "Some rolls were valued from trade closes: out-of-the-money options trade rarely, so many strikes had no price (or an old one) on the roll day. Settlements (Databento's statistics schema) give a price for every strike: add the statistics file of the options to choose by delta from the whole chain.",
    )
}

/// A one-line summary: range, rolls, options held, rows, warnings.
pub fn summary(report: &Report) -> String {
    let chosen = report.rolls.iter().filter(|r| r.choice.is_some()).count();
    format!(
        "{} to {}: {} of {} rolls chose an option, {} options held, {} rows, {} warning(s).",
        report.spec.start,
        report.spec.end,
        chosen,
        report.rolls.len(),
        report.columns.len(),
        report.rows.len(),
        report.warnings.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine;
    use crate::state::form::default_spec;

    #[test]
    fn the_demo_report_reads_as_simulated_with_one_row_per_roll() {
        let mut spec = default_spec();
        spec.end = chrono::NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
        let report = engine::run_demo(&spec).unwrap();
        assert!(data_label(&report).contains("SIMULATED"));
        let rows = roll_rows(&report);
        assert_eq!(rows.len(), report.rolls.len());
        let first = &rows[0];
        assert_eq!(first.month, "2024-11");
        assert_eq!(first.contract, "HOF5");
        assert_eq!(first.leg, "long 1 call 0.15");
        assert!(first.symbol.starts_with("OHF5 C"), "{first:?}");
        assert!(first.iv.ends_with('%'));
        assert_eq!(first.in_band, Some(true));
        for w in warning_rows(&report) {
            assert!(!w.message.is_empty() && !w.code.is_empty());
        }
        assert!(summary(&report).starts_with("2025-01-01 to 2025-03-31: 5 of 5 rolls"), "{}", summary(&report));
        assert_eq!(pricing_note(&report), None, "the demo settles every strike");
        // Options held in the range show their P&L; the roll chosen before it whose option
        // expired before the start does not.
        assert_eq!(rows[0].pnl, "—");
        assert!(rows.iter().skip(2).all(|r| r.pnl.contains('$')), "{rows:?}");
        let figures = pnl_figures(&report);
        assert_eq!(figures[0].label, "Total P&L");
        assert_eq!(figures[0].value, usd(report.pnl.summary.total));
        assert!(figures[1].value.starts_with("2025: "), "{figures:?}");
        assert!(figures.iter().all(|f| f.id != "pnl-fee"), "no fee, no fee figure");
    }

    #[test]
    fn a_strangles_rolls_name_their_leg_and_its_option_pnl() {
        let mut spec = crate::state::form::default_spec();
        spec.end = chrono::NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
        spec.legs = deltaroll_core::legs::parse_legs("short:call:0.15,short:put:0.15", 2).unwrap();
        let report = crate::engine::run_demo(&spec).unwrap();
        let rows = roll_rows(&report);
        let legs: Vec<&str> = rows.iter().take(4).map(|r| r.leg.as_str()).collect();
        assert_eq!(legs, ["short 1 call 0.15", "short 1 put 0.15", "short 1 call 0.15", "short 1 put 0.15"]);
        assert!(rows.iter().all(|r| r.symbol.contains(if r.leg.contains("put") { " P" } else { " C" })), "{rows:?}");
        for held in &report.pnl.held {
            let symbol = report.columns[held.column].symbol.to_string();
            let leg = report.pnl.legs[held.leg].label();
            assert!(rows.iter().any(|r| r.symbol == symbol && r.leg == leg && r.pnl == usd(held.pnl)), "{symbol}");
        }
    }

    #[test]
    fn rolls_valued_from_closes_explain_settlements() {
        let mut report = engine::run_demo(&default_spec()).unwrap();
        let choice = report.rolls.iter_mut().find_map(|r| r.choice.as_mut()).unwrap();
        let quote = choice.quote.as_mut().unwrap();
        quote.basis = PriceBasis::StaleClose;
        assert!(pricing_note(&report).unwrap().contains("statistics"));
    }
}
