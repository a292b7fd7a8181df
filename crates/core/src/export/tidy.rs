//! The tidy CSV: one line per held option per session date, in quote units, ISO dates.
//! A run of several legs adds a last column, `leg` (1-based), saying which leg holds the
//! option; a one-leg run's tidy CSV has none, and so stays as it was before legs.

use std::io;

use super::{decimal, write_line};
use crate::report::Report;

/// Decimals kept for prices (Databento's 1e-9 fixed point).
const PRICE_PLACES: usize = 9;
/// Decimals kept for implied vol and delta: enough for any use, few enough that every
/// host (native, WASM) prints the same digits.
const GREEK_PLACES: usize = 8;

/// Column names, in order.
pub const TIDY_HEADER: [&str; 11] = [
    "date",
    "symbol",
    "underlying",
    "forward",
    "strike",
    "days_to_expiry",
    "price",
    "price_date",
    "source",
    "iv",
    "delta",
];

/// The column added for runs of several legs.
pub const TIDY_LEG: &str = "leg";

/// Write `report` as the tidy CSV (`\n` line ends, a final newline).
pub fn write_tidy(report: &Report, out: &mut impl io::Write) -> io::Result<()> {
    let several_legs = report.pnl.legs.len() > 1;
    let mut header: Vec<String> = TIDY_HEADER.iter().map(|s| (*s).to_owned()).collect();
    if several_legs {
        header.push(TIDY_LEG.to_owned());
    }
    write_line(out, true, &header)?;
    let opt = |v: Option<f64>, places| v.map(|v| decimal(v, places)).unwrap_or_default();
    for row in &report.rows {
        for (column, held) in report.columns.iter().zip(&row.held) {
            let Some(h) = held else { continue };
            let mut fields = vec![
                row.date.to_string(),
                column.symbol.to_string(),
                column.underlying.to_string(),
                opt(h.forward.map(|p| p.value()), PRICE_PLACES),
                decimal(column.strike.value(), PRICE_PLACES),
                h.days_to_expiry.to_string(),
                decimal(h.price.value(), PRICE_PLACES),
                h.price_date.to_string(),
                h.source.to_string(),
                opt(h.iv, GREEK_PLACES),
                opt(h.delta, GREEK_PLACES),
            ];
            if several_legs {
                fields.push((column.leg + 1).to_string());
            }
            write_line(out, false, &fields)?;
        }
    }
    out.write_all(b"\n")
}
