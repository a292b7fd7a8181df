//! Today's date from the browser's clock, for the response cache (it keeps only ranges
//! that ended before today). A clock that gives no date is an error, never a made-up date.

use chrono::{DateTime, NaiveDate};

/// The UTC date `ms` milliseconds after the Unix epoch (`Date.now()`), or `None` when that
/// is not a time (NaN, infinite) or outside the dates chrono holds.
pub fn utc_date(ms: f64) -> Option<NaiveDate> {
    if !ms.is_finite() || ms.abs() > i64::MAX as f64 {
        return None;
    }
    DateTime::from_timestamp_millis(ms as i64).map(|t| t.date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_gives_its_utc_date_or_none() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(utc_date(0.0), date(1970, 1, 1));
        // 2026-12-02T23:59:59.999Z and one millisecond later.
        assert_eq!(utc_date(1_796_255_999_999.0), date(2026, 12, 2));
        assert_eq!(utc_date(1_796_256_000_000.0), date(2026, 12, 3));
        for broken in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e300, -1e300, 9e18] {
            assert_eq!(utc_date(broken), None, "{broken}");
        }
    }
}
