//! The date range the charts show, shared by all of them: everything, the last one or two
//! years, or a range dragged across any chart.

use chrono::{Duration, Months, NaiveDate};

/// What the charts show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zoom {
    /// Every row of the report.
    #[default]
    All,
    /// The last `n` years up to the report's last row.
    LastYears(u32),
    /// A dragged range, both ends included.
    Range(NaiveDate, NaiveDate),
}

/// A drag shorter than this many days is a tap (it shows the readout), not a zoom.
pub const MIN_DRAG_DAYS: i64 = 3;

impl Zoom {
    /// The buttons above the charts, with their labels.
    pub const PRESETS: [(Zoom, &'static str); 3] =
        [(Zoom::LastYears(1), "1Y"), (Zoom::LastYears(2), "2Y"), (Zoom::All, "All")];

    /// The range dragged between two dates (in either order), or `None` for a drag shorter
    /// than [`MIN_DRAG_DAYS`].
    pub fn dragged(a: NaiveDate, b: NaiveDate) -> Option<Self> {
        let (from, to) = if a <= b { (a, b) } else { (b, a) };
        ((to - from).num_days() >= MIN_DRAG_DAYS).then_some(Self::Range(from, to))
    }

    /// The dates shown of a report running from `first` to `last`: this zoom clamped to
    /// them, or all of them when it falls outside (a range kept from another report).
    pub fn dates(self, first: NaiveDate, last: NaiveDate) -> (NaiveDate, NaiveDate) {
        let (from, to) = match self {
            Self::All => (first, last),
            Self::LastYears(n) => (last.checked_sub_months(Months::new(12 * n)).unwrap_or(first), last),
            Self::Range(from, to) => (from, to),
        };
        let (from, to) = (from.max(first), to.min(last));
        if to - from < Duration::days(1) {
            (first, last)
        } else {
            (from, to)
        }
    }

    /// Whether this zoom shows less than the whole report.
    pub fn narrows(self, first: NaiveDate, last: NaiveDate) -> bool {
        self.dates(first, last) != (first, last)
    }

    /// What the charts show, as a sentence.
    pub fn describe(self, first: NaiveDate, last: NaiveDate) -> String {
        let (from, to) = self.dates(first, last);
        if self.narrows(first, last) {
            format!("Charts and rolls show {from} to {to} (of {first} to {last}).")
        } else {
            format!("Charts and rolls show the whole range, {from} to {to}.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn presets_count_back_from_the_last_row_and_stop_at_the_first() {
        let (first, last) = (d("2021-01-01"), d("2025-12-31"));
        assert_eq!(Zoom::All.dates(first, last), (first, last));
        assert_eq!(Zoom::LastYears(1).dates(first, last), (d("2024-12-31"), last));
        assert_eq!(Zoom::LastYears(2).dates(first, last), (d("2023-12-31"), last));
        assert_eq!(Zoom::LastYears(2).dates(d("2025-01-01"), last), (d("2025-01-01"), last), "shorter report");
        assert!(!Zoom::LastYears(2).narrows(d("2025-01-01"), last));
        assert!(Zoom::LastYears(1).narrows(first, last));
    }

    #[test]
    fn a_drag_is_ordered_and_a_tap_is_not_a_zoom() {
        assert_eq!(
            Zoom::dragged(d("2025-06-30"), d("2025-03-01")),
            Some(Zoom::Range(d("2025-03-01"), d("2025-06-30")))
        );
        assert_eq!(Zoom::dragged(d("2025-03-01"), d("2025-03-02")), None);
    }

    #[test]
    fn a_range_is_clamped_to_the_report_or_dropped_when_outside() {
        let (first, last) = (d("2025-01-01"), d("2025-12-31"));
        let zoom = Zoom::Range(d("2024-11-01"), d("2025-02-15"));
        assert_eq!(zoom.dates(first, last), (first, d("2025-02-15")));
        assert_eq!(Zoom::Range(d("2020-01-01"), d("2020-06-01")).dates(first, last), (first, last));
        assert!(zoom.describe(first, last).contains("2025-01-01 to 2025-02-15 (of 2025-01-01 to 2025-12-31)"));
        assert!(Zoom::All.describe(first, last).contains("whole range"));
    }
}
