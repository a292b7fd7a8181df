//! The report as the page shows it: the rolls table, the warnings list and the data-source
//! banner, formatted once here so components only render strings.

use deltaroll_core::demo::DEMO_LABEL;
use deltaroll_core::market::Provenance;
use deltaroll_core::quote::PriceBasis;
use deltaroll_core::report::Report;

/// One row of the rolls table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollRow {
    /// Roll date (first trading day of the month), or `—` when the data has none.
    pub date: String,
    /// Roll month `YYYY-MM`.
    pub month: String,
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
}

/// The rolls table.
pub fn roll_rows(report: &Report) -> Vec<RollRow> {
    const NONE: &str = "—";
    report
        .rolls
        .iter()
        .map(|roll| {
            let s = roll.choice.as_ref();
            let text = |f: &dyn Fn(&deltaroll_core::report::Selection) -> String| s.map_or(NONE.to_owned(), f);
            RollRow {
                date: roll.date.map_or(NONE.to_owned(), |d| d.to_string()),
                month: roll.month.to_string(),
                contract: roll.target.to_string(),
                symbol: text(&|s| s.symbol.to_string()),
                strike: text(&|s| format!("{:.4}", s.strike.value())),
                forward: text(&|s| format!("{:.4}", s.forward.value())),
                iv: text(&|s| format!("{:.2}%", s.iv * 100.0)),
                delta: text(&|s| format!("{:.4}", s.delta)),
                expiry: text(&|s| s.expiration.to_string()),
                in_band: s.map(|s| s.in_band),
            }
        })
        .collect()
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
            message: w.kind.to_string(),
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
        assert!(first.symbol.starts_with("OHF5 C"), "{first:?}");
        assert!(first.iv.ends_with('%'));
        assert_eq!(first.in_band, Some(true));
        for w in warning_rows(&report) {
            assert!(!w.message.is_empty() && !w.code.is_empty());
        }
        assert!(summary(&report).starts_with("2025-01-01 to 2025-03-31: 5 of 5 rolls"), "{}", summary(&report));
        assert_eq!(pricing_note(&report), None, "the demo settles every strike");
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
