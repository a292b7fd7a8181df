//! A roll's chain as the page shows it ("why this strike"): one row per candidate strike of
//! the roll day with its price, price date, vol, delta and distance to the target, the
//! chosen one marked, the skipped ones with their reason; and the points of the
//! delta-versus-strike plot with the target band.

use deltaroll_core::candidate::Candidate;
use deltaroll_core::report::Report;

const NONE: &str = "—";

/// One candidate strike.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainRow {
    /// The option, `OHH5 C24000`.
    pub symbol: String,
    /// Strike, quote units.
    pub strike: String,
    /// Its price for the roll, quote units, or `—`.
    pub price: String,
    /// The date of that price (earlier than the roll for a stale close), or `—`.
    pub price_date: String,
    /// Vol used, in percent, or `—`.
    pub iv: String,
    /// Delta, or `—`.
    pub delta: String,
    /// `| |delta| − target |`, or `—`.
    pub distance: String,
    /// Why it was skipped (`no price`, `below intrinsic`, …); empty when ranked.
    pub reason: String,
    /// Whether the roll chose it.
    pub chosen: bool,
}

/// A roll's chain: heading, rows and plot.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainView {
    /// What the chain is: `HOH5 calls on 2025-01-02 for long 1 call 0.15`.
    pub title: String,
    /// One line on the pick: `Chosen: OHH5 C28000, |delta| 0.1512, 0.0012 from 0.15.`
    pub summary: String,
    /// Every candidate, in strike order.
    pub rows: Vec<ChainRow>,
    /// (strike, |delta|) of every ranked candidate, in strike order.
    pub points: Vec<(f64, f64)>,
    /// The chosen candidate's point.
    pub chosen: Option<(f64, f64)>,
    /// The leg's target |delta|.
    pub target: f64,
    /// Target ± band.
    pub band: (f64, f64),
}

/// The chain of `report.rolls[roll]`, or `None` when there is no such roll.
pub fn chain_view(report: &Report, roll: usize) -> Option<ChainView> {
    let r = report.rolls.get(roll)?;
    let legs = report.spec.legs();
    let leg = legs.get(r.leg)?;
    let (target, band) = (leg.target_delta, report.spec.band);
    let label = report.pnl.legs.get(r.leg).map_or_else(|| format!("leg {}", r.leg + 1), |l| l.label());
    let date = r.date.map_or(NONE.to_owned(), |d| d.to_string());
    let title = format!("{} {}s on {date} for {label}", r.target, leg.kind.as_str());
    let chosen = r.chain.iter().find(|c| c.chosen);
    let summary = match (&chosen, r.chain.is_empty()) {
        (Some(c), _) => format!(
            "Chosen: {}, |delta| {:.4}, {:.4} from the target {target} (band ±{band}), nearest among {} ranked of {} listed.",
            c.symbol,
            c.delta.unwrap_or_default().abs(),
            c.distance.unwrap_or_default(),
            r.chain.iter().filter(|c| c.skipped.is_none()).count(),
            r.chain.len()
        ),
        (None, true) => "No chain: the target future had no price that day.".to_owned(),
        (None, false) => "No strike was chosen: none of the candidates could be ranked.".to_owned(),
    };
    let point = |c: &Candidate| Some((c.strike.value(), c.delta?.abs()));
    Some(ChainView {
        title,
        summary,
        rows: r.chain.iter().map(|c| row(&c)).collect(),
        points: r.chain.iter().filter_map(|c| point(&c)).collect(),
        chosen: chosen.as_ref().and_then(point),
        target,
        band: (target - band, target + band),
    })
}

fn row(c: &Candidate) -> ChainRow {
    let num = |v: Option<f64>| v.map_or(NONE.to_owned(), |v| format!("{v:.4}"));
    ChainRow {
        symbol: c.symbol.to_string(),
        strike: format!("{:.4}", c.strike.value()),
        price: num(c.quote.map(|q| q.price.value())),
        price_date: c.quote.map_or(NONE.to_owned(), |q| q.date.to_string()),
        iv: c.iv.map_or(NONE.to_owned(), |v| format!("{:.2}%", v * 100.0)),
        delta: num(c.delta),
        distance: num(c.distance),
        reason: c.skipped.map(|s| s.to_string()).unwrap_or_default(),
        chosen: c.chosen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine;
    use crate::state::form::default_spec;
    use crate::state::report_view::roll_rows;

    #[test]
    fn a_demo_rolls_chain_marks_its_choice_and_plots_its_ranked_strikes() {
        let mut spec = default_spec();
        spec.end = chrono::NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
        let report = engine::run_demo(&spec).unwrap();
        let rolls = roll_rows(&report);
        let (i, roll) = rolls.iter().enumerate().find(|(_, r)| r.symbol != "—").unwrap();
        let view = chain_view(&report, rolls[i].roll).unwrap();
        assert!(view.title.starts_with(&format!("{} calls on {}", roll.contract, roll.date)), "{}", view.title);
        let chosen: Vec<&ChainRow> = view.rows.iter().filter(|r| r.chosen).collect();
        assert_eq!(chosen.len(), 1);
        assert_eq!((&chosen[0].symbol, &chosen[0].strike, &chosen[0].delta), (&roll.symbol, &roll.strike, &roll.delta));
        assert!(view.summary.starts_with(&format!("Chosen: {}", roll.symbol)), "{}", view.summary);
        // Ranked rows have every number and no reason; skipped ones a reason and no delta.
        for r in &view.rows {
            assert_eq!(r.reason.is_empty(), r.delta != "—", "{r:?}");
        }
        assert_eq!(view.points.len(), view.rows.iter().filter(|r| r.reason.is_empty()).count());
        let (strike, delta) = view.chosen.unwrap();
        assert_eq!(format!("{strike:.4}"), roll.strike);
        assert!(view.points.iter().all(|p| (p.1 - 0.15).abs() >= (delta - 0.15).abs()));
        assert_eq!(view.band, (0.15 - spec.band, 0.15 + spec.band));
        assert_eq!(chain_view(&report, report.rolls.len()), None);
    }
}
