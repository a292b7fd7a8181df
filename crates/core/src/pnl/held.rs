//! One held option's P&L: it enters the position at its first row's value (its roll day's,
//! paying the entry fees, so its P&L that day is minus the fees), changes value row by row
//! (a row without a price keeps the last value: P&L 0), and leaves after its last row, its
//! expiration row when that is in the report.

use chrono::NaiveDate;
use serde::Serialize;

use crate::position::Leg;

/// A held option's price and position value on one row.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mark {
    /// The row's date.
    pub date: NaiveDate,
    /// The option's value, USD per price unit.
    pub price: f64,
    /// The position's value, USD: side × quantity × contract size × price.
    pub value: f64,
}

/// One row of a held option's life and the price it is valued at there (USD per price
/// unit), if it has one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowPrice {
    /// Index of the row in the report.
    pub row: usize,
    /// Its date.
    pub date: NaiveDate,
    /// The option's value that row.
    pub price: Option<f64>,
}

/// Who holds an option, and on what terms.
#[derive(Debug, Clone, Copy)]
pub struct Terms<'a> {
    /// Index of the option's column in the report.
    pub column: usize,
    /// Index of the leg that holds it.
    pub leg: usize,
    /// That leg.
    pub position: &'a Leg,
    /// Contract size, price units per contract.
    pub contract_size: f64,
    /// Fee per contract at entry, USD.
    pub fee_per_contract: f64,
}

/// The P&L of one held option (one column of the report), in USD.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeldPnl {
    /// Index of its column in the report.
    pub column: usize,
    /// Index of the leg that holds it.
    pub leg: usize,
    /// Where it entered: its roll day, or the first row when it was chosen before the
    /// report's first row (or had no price on its roll day).
    pub entry: Mark,
    /// Where it left: its expiration row, or the report's last row while still held.
    pub exit: Mark,
    /// Chosen before the report's first row: it enters there at that row's value, without
    /// fees (they were paid before the report).
    pub carried_in: bool,
    /// Its expiration is in the report: the position is closed.
    pub expired: bool,
    /// Fees paid at entry.
    pub fees: f64,
    /// exit value − entry value − fees.
    pub pnl: f64,
    /// Index of the entry row.
    pub first_row: usize,
    /// Daily P&L from the entry row through the exit row (the entry row's is −fees).
    pub daily: Vec<f64>,
}

impl HeldPnl {
    /// The P&L of an option held on `rows` (in date order), on `terms`; `None` when it has
    /// no price on any of them.
    pub fn new(terms: &Terms, rows: &[RowPrice], carried_in: bool, expired: bool) -> Option<Self> {
        let start = rows.iter().position(|r| r.price.is_some())?;
        let value = |price| terms.position.value(price, terms.contract_size);
        let entry_price = rows[start].price?;
        let entry = Mark { date: rows[start].date, price: entry_price, value: value(entry_price) };
        let fees = if carried_in { 0.0 } else { terms.position.entry_fees(terms.fee_per_contract) };
        let mut exit = entry;
        let mut daily = Vec::with_capacity(rows.len() - start);
        daily.push(-fees);
        for row in &rows[start + 1..] {
            match row.price {
                Some(price) => {
                    let now = value(price);
                    daily.push(now - exit.value);
                    exit = Mark { date: row.date, price, value: now };
                }
                None => {
                    daily.push(0.0);
                    exit.date = row.date;
                }
            }
        }
        Some(Self {
            column: terms.column,
            leg: terms.leg,
            entry,
            exit,
            carried_in,
            expired,
            fees,
            pnl: exit.value - entry.value - fees,
            first_row: rows[start].row,
            daily,
        })
    }

    /// Whether it was entered and closed inside the report: a complete roll.
    pub fn complete(&self) -> bool {
        !self.carried_in && self.expired
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::position::Side;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, day).unwrap()
    }

    #[test]
    fn entry_pays_the_fee_and_gaps_keep_the_last_value() {
        let short = Leg { side: Side::Short, quantity: 2, ..Leg::default() };
        let terms = Terms { column: 3, leg: 0, position: &short, contract_size: 100.0, fee_per_contract: 1.5 };
        let rows = [
            RowPrice { row: 7, date: d(2), price: None },
            RowPrice { row: 8, date: d(3), price: Some(0.5) },
            RowPrice { row: 9, date: d(5), price: None },
            RowPrice { row: 10, date: d(6), price: Some(0.25) },
        ];
        let held = HeldPnl::new(&terms, &rows, false, true).unwrap();
        assert_eq!((held.first_row, held.entry.date, held.entry.value), (8, d(3), -100.0));
        assert_eq!(held.daily, [-3.0, 0.0, 50.0]);
        assert_eq!((held.exit.date, held.exit.value, held.pnl), (d(6), -50.0, 47.0));
        assert!(held.complete());
        let carried = HeldPnl::new(&terms, &rows, true, false).unwrap();
        assert_eq!((carried.fees, carried.pnl, carried.complete()), (0.0, 50.0, false));
        assert_eq!(HeldPnl::new(&terms, &rows[..1], false, false), None);
    }
}
