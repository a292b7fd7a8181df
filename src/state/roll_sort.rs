//! The rolls table's columns and its order: click a header to sort by it, again to reverse.

use std::cmp::Ordering;

use super::report_view::RollRow;

/// A column of the rolls table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RollColumn {
    /// Roll date.
    Date,
    /// The leg that rolls.
    Leg,
    /// Target future.
    Contract,
    /// Chosen option.
    Option,
    /// Strike.
    Strike,
    /// Future's price on the roll date.
    Forward,
    /// Vol used.
    Iv,
    /// Delta.
    Delta,
    /// Expiration.
    Expiry,
    /// Inside the band.
    InBand,
    /// The option's P&L.
    Pnl,
}

impl RollColumn {
    /// The columns, left to right.
    pub const ALL: [Self; 11] = [
        Self::Date,
        Self::Leg,
        Self::Contract,
        Self::Option,
        Self::Strike,
        Self::Forward,
        Self::Iv,
        Self::Delta,
        Self::Expiry,
        Self::InBand,
        Self::Pnl,
    ];

    /// Its header.
    pub fn title(self) -> &'static str {
        match self {
            Self::Date => "Date",
            Self::Leg => "Leg",
            Self::Contract => "Contract",
            Self::Option => "Option",
            Self::Strike => "Strike",
            Self::Forward => "Forward",
            Self::Iv => "IV",
            Self::Delta => "Delta",
            Self::Expiry => "Expiry",
            Self::InBand => "In band",
            Self::Pnl => "P&L",
        }
    }

    /// Whether its cells are numbers (right-aligned, sorted by value).
    pub fn numeric(self) -> bool {
        matches!(self, Self::Strike | Self::Forward | Self::Iv | Self::Delta | Self::Pnl)
    }

    /// The cell's text in `row`.
    pub fn text(self, row: &RollRow) -> String {
        match self {
            Self::Date => row.date.clone(),
            Self::Leg => row.leg.clone(),
            Self::Contract => row.contract.clone(),
            Self::Option => row.symbol.clone(),
            Self::Strike => row.strike.clone(),
            Self::Forward => row.forward.clone(),
            Self::Iv => row.iv.clone(),
            Self::Delta => row.delta.clone(),
            Self::Expiry => row.expiry.clone(),
            Self::InBand => match row.in_band {
                Some(true) => "yes".to_owned(),
                Some(false) => "no".to_owned(),
                None => "—".to_owned(),
            },
            Self::Pnl => row.pnl.clone(),
        }
    }

    /// The cell's value for sorting (`None`: nothing there).
    fn value(self, row: &RollRow) -> Option<f64> {
        match self {
            Self::Pnl => row.pnl_usd,
            // Strike, forward and delta are plain decimals; IV ends in `%`.
            _ => self.text(row).trim_end_matches('%').parse().ok(),
        }
    }

    fn compare(self, a: &RollRow, b: &RollRow) -> Ordering {
        if self.numeric() {
            // Empty cells last, whichever the direction.
            match (self.value(a), self.value(b)) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (a, b) => b.is_some().cmp(&a.is_some()),
            }
        } else {
            self.text(a).cmp(&self.text(b))
        }
    }
}

/// The table's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RollSort {
    /// Sorted by.
    pub column: RollColumn,
    /// Largest (latest) first.
    pub descending: bool,
}

impl Default for RollSort {
    /// By date, earliest first (the report's order).
    fn default() -> Self {
        Self { column: RollColumn::Date, descending: false }
    }
}

impl RollSort {
    /// After a click on `column`'s header: the same column reversed, another ascending.
    pub fn clicked(self, column: RollColumn) -> Self {
        Self { column, descending: self.column == column && !self.descending }
    }

    /// `aria-sort` of `column`'s header.
    pub fn aria(self, column: RollColumn) -> &'static str {
        match (self.column == column, self.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
    }

    /// `rows` in this order (ties keep the report's order).
    pub fn apply(self, mut rows: Vec<RollRow>) -> Vec<RollRow> {
        rows.sort_by(|a, b| {
            let order = self.column.compare(a, b);
            if self.descending
                && (!self.column.numeric() || (self.column.value(a).is_some() && self.column.value(b).is_some()))
            {
                order.reverse()
            } else {
                order
            }
        });
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine;
    use crate::state::form::default_spec;
    use crate::state::report_view::roll_rows;

    fn rows() -> Vec<RollRow> {
        roll_rows(&engine::run_demo(&default_spec()).unwrap())
    }

    #[test]
    fn a_click_sorts_by_value_and_a_second_click_reverses() {
        let sort = RollSort::default().clicked(RollColumn::Pnl);
        assert_eq!(sort.aria(RollColumn::Pnl), "ascending");
        assert_eq!(sort.aria(RollColumn::Date), "none");
        let sorted = sort.apply(rows());
        let values: Vec<Option<f64>> = sorted.iter().map(|r| r.pnl_usd).collect();
        let known: Vec<f64> = values.iter().flatten().copied().collect();
        assert!(known.len() > 3 && known.windows(2).all(|w| w[0] <= w[1]), "{values:?}");
        assert!(values.iter().skip_while(|v| v.is_some()).all(Option::is_none), "empty cells last: {values:?}");
        let reversed = sort.clicked(RollColumn::Pnl);
        assert_eq!(reversed.aria(RollColumn::Pnl), "descending");
        let values: Vec<Option<f64>> = reversed.apply(rows()).iter().map(|r| r.pnl_usd).collect();
        let known: Vec<f64> = values.iter().flatten().copied().collect();
        assert!(known.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
        assert!(values.last().unwrap().is_none(), "empty cells stay last: {values:?}");
    }

    #[test]
    fn iv_sorts_as_a_number_and_text_columns_as_text() {
        let by_iv = RollSort::default().clicked(RollColumn::Iv).apply(rows());
        let ivs: Vec<f64> = by_iv.iter().filter_map(|r| r.iv.trim_end_matches('%').parse().ok()).collect();
        assert!(ivs.windows(2).all(|w| w[0] <= w[1]), "{ivs:?}");
        let by_option = RollSort::default().clicked(RollColumn::Option).clicked(RollColumn::Option).apply(rows());
        assert!(by_option.windows(2).all(|w| w[0].symbol >= w[1].symbol));
    }

    #[test]
    fn only_rolls_whose_option_is_held_in_the_range_are_listed() {
        let all = rows();
        let (from, to) = ("2025-01-01".parse().unwrap(), "2025-12-31".parse().unwrap());
        let listed: Vec<&RollRow> = all.iter().filter(|r| r.held_within(from, to)).collect();
        assert!(
            listed.len() < all.len(),
            "the rolls chosen before the range whose option expired before it are not listed"
        );
        assert!(listed.iter().all(|r| r.pnl_usd.is_some()), "every listed option has its P&L in the range");
        let (from, to) = ("2025-06-01".parse().unwrap(), "2025-06-30".parse().unwrap());
        let june: Vec<&RollRow> = all.iter().filter(|r| r.held_within(from, to)).collect();
        assert!(!june.is_empty() && june.len() < listed.len());
        assert!(june.iter().all(|r| r.held.0.unwrap() <= to && r.held.1.unwrap() >= from));
    }
}
