//! The demo market's exchange calendar, computed by rule: sessions run Sunday to Friday
//! (Globex opens on Sunday evening, which Databento's UTC daily bars date on the Sunday),
//! and the US holidays that close CME energy markets have no session.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::calendar::is_weekday;
use crate::contract::ContractMonth;

/// Western Easter Sunday of `year` (the anonymous Gregorian algorithm).
fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let (a, b, c) = (year.rem_euclid(19), year.div_euclid(100), year.rem_euclid(100));
    let (d, e) = (b / 4, b % 4);
    let g = (b - (b + 8) / 25 + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let l = (32 + 2 * e + 2 * (c / 4) - h - c % 4).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    NaiveDate::from_ymd_opt(year, (n / 31) as u32, (n % 31 + 1) as u32)
}

/// The day a holiday falling on `date` closes the exchange: a Sunday holiday moves to
/// Monday, a Saturday one to Friday when `saturday_moves` (not for New Year's Day).
fn observed(date: NaiveDate, saturday_moves: bool) -> Option<NaiveDate> {
    match date.weekday() {
        Weekday::Sat if saturday_moves => date.pred_opt(),
        Weekday::Sat => None,
        Weekday::Sun => date.succ_opt(),
        _ => Some(date),
    }
}

/// The `n`-th `weekday` of a month, or the last one when `n` is 5 and there is no fifth.
fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
        .or_else(|| NaiveDate::from_weekday_of_month_opt(year, month, weekday, n - 1))
}

/// The closed dates of `year`: New Year's Day, Good Friday, Memorial Day, Independence
/// Day, Labor Day, Thanksgiving and Christmas, as observed.
fn holidays(year: i32) -> impl Iterator<Item = NaiveDate> {
    let fixed = move |month, day, saturday_moves| {
        NaiveDate::from_ymd_opt(year, month, day).and_then(|d| observed(d, saturday_moves))
    };
    let good_friday = easter_sunday(year).and_then(|e| e.checked_sub_days(Days::new(2)));
    [
        fixed(1, 1, false),
        good_friday,
        nth_weekday(year, 5, Weekday::Mon, 5),
        fixed(7, 4, true),
        nth_weekday(year, 9, Weekday::Mon, 1),
        nth_weekday(year, 11, Weekday::Thu, 4),
        fixed(12, 25, true),
    ]
    .into_iter()
    .flatten()
}

/// Holidays of a span of years, with business-day arithmetic. Outside that span every
/// weekday is a business day.
#[derive(Debug, Clone)]
pub(super) struct ExchangeCalendar {
    holidays: BTreeSet<NaiveDate>,
}

impl ExchangeCalendar {
    /// The calendar knowing the holidays of `first_year..=last_year`.
    pub(super) fn new(first_year: i32, last_year: i32) -> Self {
        Self { holidays: (first_year..=last_year).flat_map(holidays).collect() }
    }

    /// A weekday that is not a holiday.
    pub(super) fn is_business_day(&self, date: NaiveDate) -> bool {
        is_weekday(date) && !self.holidays.contains(&date)
    }

    /// A date with a session: a business day, or a Sunday whose Monday is one (the week
    /// opens on Sunday evening unless Monday is a holiday).
    pub(super) fn is_session(&self, date: NaiveDate) -> bool {
        match date.weekday() {
            Weekday::Sun => date.succ_opt().is_some_and(|m| self.is_business_day(m)),
            _ => self.is_business_day(date),
        }
    }

    /// Every session date in `[from, to]`.
    pub(super) fn sessions(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        from.iter_days().take_while(|&d| d <= to).filter(|&d| self.is_session(d)).collect()
    }

    /// The last business day of `month`.
    pub(super) fn last_business_day(&self, month: ContractMonth) -> NaiveDate {
        let first = month.first_day();
        let mut day = month.last_day();
        while !self.is_business_day(day) && day > first {
            day = day.pred_opt().unwrap_or(first);
        }
        day
    }

    /// The business day `n` business days before `date`.
    pub(super) fn business_days_before(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        for _ in 0..n {
            day = day.pred_opt().unwrap_or(day);
            while !self.is_business_day(day) && day > NaiveDate::MIN {
                day = day.pred_opt().unwrap_or(NaiveDate::MIN);
            }
        }
        day
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_matches_known_dates() {
        for (y, m, day) in
            [(2000, 4, 23), (2019, 4, 21), (2021, 4, 4), (2024, 3, 31), (2025, 4, 20), (2026, 4, 5), (2038, 4, 25)]
        {
            assert_eq!(easter_sunday(y), Some(d(y, m, day)), "{y}");
        }
    }

    #[test]
    fn holidays_follow_the_observance_rules() {
        let cal = ExchangeCalendar::new(2020, 2026);
        let closed = [
            d(2024, 1, 1),
            d(2024, 3, 29),
            d(2024, 5, 27),
            d(2024, 7, 4),
            d(2024, 9, 2),
            d(2024, 11, 28),
            d(2024, 12, 25),
            d(2021, 12, 24), // Christmas on Saturday
            d(2022, 12, 26), // Christmas on Sunday
            d(2023, 1, 2),   // New Year's Day on Sunday
            d(2020, 7, 3),   // Independence Day on Saturday
            d(2026, 7, 3),
        ];
        for day in closed {
            assert!(!cal.is_session(day), "{day}");
        }
        // New Year's Day on a Saturday is not moved to Friday.
        assert!(cal.is_session(d(2021, 12, 31)));
        // The Sunday before a Monday holiday has no session; other Sundays do.
        assert!(!cal.is_session(d(2024, 5, 26)));
        assert!(cal.is_session(d(2024, 6, 2)));
        assert!(!cal.is_session(d(2024, 6, 1)));
    }

    #[test]
    fn business_day_arithmetic_skips_holidays() {
        let cal = ExchangeCalendar::new(2020, 2026);
        let month = |y, m| ContractMonth::new(y, m).unwrap();
        assert_eq!(cal.last_business_day(month(2024, 3)), d(2024, 3, 28));
        assert_eq!(cal.last_business_day(month(2021, 12)), d(2021, 12, 31));
        assert_eq!(cal.last_business_day(month(2025, 5)), d(2025, 5, 30));
        assert_eq!(cal.business_days_before(d(2024, 3, 28), 3), d(2024, 3, 25));
        assert_eq!(cal.business_days_before(d(2024, 7, 5), 1), d(2024, 7, 3));
        assert_eq!(cal.business_days_before(d(2024, 7, 5), 0), d(2024, 7, 5));
        let sessions = cal.sessions(d(2024, 12, 22), d(2024, 12, 28));
        assert_eq!(sessions, [d(2024, 12, 22), d(2024, 12, 23), d(2024, 12, 24), d(2024, 12, 26), d(2024, 12, 27)]);
    }
}
