//! The P&L CSV: `date,<one column per leg: its label>,total,cumulative`, one line per
//! report row (the wide CSV's rows), USD, ISO dates.

use std::io;

use super::{decimal, write_line};
use crate::report::Report;

/// Decimals kept for USD amounts: cents.
pub const USD_PLACES: usize = 2;

/// Write the P&L table of `report` (`\n` line ends, a final newline).
pub fn write_pnl(report: &Report, out: &mut impl io::Write) -> io::Result<()> {
    let pnl = &report.pnl;
    let mut header = vec!["date".to_owned()];
    header.extend(pnl.legs.iter().map(|leg| leg.label()));
    header.extend(["total".to_owned(), "cumulative".to_owned()]);
    write_line(out, true, &header)?;
    for day in &pnl.days {
        let mut fields = vec![day.date.to_string()];
        fields.extend(day.legs.iter().chain([&day.total, &day.cumulative]).map(|&v| decimal(v, USD_PLACES)));
        write_line(out, false, &fields)?;
    }
    out.write_all(b"\n")
}
