//! The tidy CSV: one line per held option per session date, in quote units, ISO dates.

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

/// Write `report` as the tidy CSV (`\n` line ends, a final newline).
pub fn write_tidy(report: &Report, out: &mut impl io::Write) -> io::Result<()> {
    let header: Vec<String> = TIDY_HEADER.iter().map(|s| (*s).to_owned()).collect();
    write_line(out, true, &header)?;
    let opt = |v: Option<f64>, places| v.map(|v| decimal(v, places)).unwrap_or_default();
    for row in &report.rows {
        for (column, held) in report.columns.iter().zip(&row.held) {
            let Some(h) = held else { continue };
            let fields = [
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
            write_line(out, false, &fields)?;
        }
    }
    out.write_all(b"\n")
}
