//! The held options' values on one report row, one per column of the report. A run holds
//! a few options on any row but has a column for every option it ever chose (hundreds for
//! a run of several legs over years), so a row keeps only the columns from its first held
//! one through its last; it reads as one entry per column all the same.

use std::ops::Index;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use crate::market::{Price, PriceSource};

/// A held option's value on one row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeldValue {
    /// The latest price dated on or before the row date.
    pub price: Price,
    /// The date that price is for (earlier than the row on Sundays and gaps).
    pub price_date: NaiveDate,
    /// Settlement or close.
    pub source: PriceSource,
    /// Its future's price on `price_date`, when known.
    pub forward: Option<Price>,
    /// Implied vol from `price`, when it solves.
    pub iv: Option<f64>,
    /// Delta at that vol, under the spec's convention.
    pub delta: Option<f64>,
    /// Calendar days from the row date to expiration.
    pub days_to_expiry: i64,
}

/// What a column outside a row's kept span reads as.
static NOT_HELD: Option<HeldValue> = None;

/// One entry per column of the report: the option's value, `None` when not held that day.
#[derive(Debug, Clone, Default)]
pub struct HeldRow {
    /// Number of columns.
    columns: usize,
    /// The column of `values[0]`.
    first: usize,
    /// The columns from `first` on (none after the last held one).
    values: Vec<Option<HeldValue>>,
}

impl HeldRow {
    /// A row of `columns` columns whose entries from column `first` on are `values` (any
    /// past the last column dropped), the others `None`.
    pub fn new(columns: usize, first: usize, mut values: Vec<Option<HeldValue>>) -> Self {
        values.truncate(columns.saturating_sub(first));
        Self { columns, first, values }
    }

    /// The value in `column`, if held.
    pub fn get(&self, column: usize) -> Option<&HeldValue> {
        self.values.get(column.checked_sub(self.first)?)?.as_ref()
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        self.columns
    }

    /// No columns at all.
    pub fn is_empty(&self) -> bool {
        self.columns == 0
    }

    /// One entry per column, in column order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &Option<HeldValue>> + '_ {
        (0..self.columns).map(|column| &self[column])
    }
}

/// The entry of a column (panics past the last column, as a slice does).
impl Index<usize> for HeldRow {
    type Output = Option<HeldValue>;

    fn index(&self, column: usize) -> &Option<HeldValue> {
        assert!(column < self.columns, "column {column} of a row of {} columns", self.columns);
        column.checked_sub(self.first).and_then(|i| self.values.get(i)).unwrap_or(&NOT_HELD)
    }
}

impl<'a> IntoIterator for &'a HeldRow {
    type Item = &'a Option<HeldValue>;
    type IntoIter = Box<dyn ExactSizeIterator<Item = &'a Option<HeldValue>> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// Rows are equal when every column is.
impl PartialEq for HeldRow {
    fn eq(&self, other: &Self) -> bool {
        self.columns == other.columns && self.iter().eq(other.iter())
    }
}

/// A row serializes as one entry per column, `null` when not held.
impl Serialize for HeldRow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(days_to_expiry: i64) -> HeldValue {
        HeldValue {
            price: Price::new(0.05).unwrap(),
            price_date: NaiveDate::from_ymd_opt(2025, 1, 2).unwrap(),
            source: PriceSource::Settlement,
            forward: None,
            iv: Some(0.3),
            delta: None,
            days_to_expiry,
        }
    }

    #[test]
    fn a_row_reads_as_one_entry_per_column() {
        let row = HeldRow::new(6, 2, vec![Some(value(20)), None, Some(value(40))]);
        let dense = [None, None, Some(value(20)), None, Some(value(40)), None];
        assert_eq!(row.iter().cloned().collect::<Vec<_>>(), dense);
        assert_eq!((row.len(), row.iter().len(), (&row).into_iter().count()), (6, 6, 6));
        assert_eq!((row.get(4), row.get(5), row.get(0), row[1].as_ref()), (Some(&value(40)), None, None, None));
        assert_eq!(serde_json::to_value(&row).unwrap(), serde_json::to_value(&dense).unwrap());
        // The same entries kept over another span.
        assert_eq!(row, HeldRow::new(6, 0, dense.to_vec()));
        assert_ne!(row, HeldRow::new(6, 2, vec![Some(value(20))]));
        let empty = HeldRow::new(3, 0, Vec::new());
        assert_eq!((empty.iter().flatten().count(), empty.len(), empty.is_empty()), (0, 3, false));
        assert_eq!(HeldRow::new(3, 2, vec![None, Some(value(1))]), empty);
        assert!(std::panic::catch_unwind(|| row[6].is_none()).is_err());
    }
}
