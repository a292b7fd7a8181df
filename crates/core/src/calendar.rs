//! The trading calendar, derived from the data rather than a holiday list: a session date
//! is a date with futures prices. Sunday-evening sessions are sessions (they become output
//! rows) but never trading days for roll decisions.
//!
//! Daily bars are keyed by UTC day, so a holiday's evening reopening (e.g. Wednesday
//! 2025-01-01, 18:00 ET) shows up as a weekday bar. When the data has settlements, a
//! trading day is therefore a weekday with a futures settlement. Without settlements the
//! bars' volume tells: an evening-only bar trades a small fraction of a full session, so a
//! weekday whose futures volume is under [`THIN_SESSION_FRACTION`] of the median weekday
//! volume is a session row but not a trading day.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};

use crate::contract::ContractMonth;

/// A weekday session trading less than this fraction of the median weekday session's
/// futures volume is an evening-only bar (a holiday's reopening), not a trading day.
pub const THIN_SESSION_FRACTION: f64 = 0.1;

/// Session dates seen in the market data, with business-day arithmetic on top.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TradingCalendar {
    sessions: BTreeSet<NaiveDate>,
    settled: BTreeSet<NaiveDate>,
    thin: BTreeSet<NaiveDate>,
}

/// Monday to Friday.
pub fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

impl TradingCalendar {
    /// A calendar from the dates that have futures prices.
    pub fn from_sessions(sessions: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self { sessions: sessions.into_iter().collect(), settled: BTreeSet::new(), thin: BTreeSet::new() }
    }

    /// The same calendar, knowing each session's total futures volume (from daily bars):
    /// weekday sessions far below the median are marked evening-only.
    pub fn with_session_volumes(mut self, volumes: &BTreeMap<NaiveDate, u64>) -> Self {
        let mut weekday: Vec<u64> = volumes.iter().filter(|(d, _)| is_weekday(**d)).map(|(_, &v)| v).collect();
        weekday.sort_unstable();
        if let Some(&median) = weekday.get(weekday.len() / 2) {
            let floor = median as f64 * THIN_SESSION_FRACTION;
            self.thin =
                volumes.iter().filter(|(d, &v)| is_weekday(**d) && (v as f64) < floor).map(|(&d, _)| d).collect();
        }
        self
    }

    /// The same calendar, knowing which dates have futures settlements; when any do, only
    /// those weekdays are trading days.
    pub fn with_settlement_dates(mut self, settled: impl IntoIterator<Item = NaiveDate>) -> Self {
        self.settled = settled.into_iter().collect();
        self.sessions.extend(self.settled.iter().copied());
        self
    }

    /// Every session date, in order (Sundays included).
    pub fn sessions(&self) -> impl DoubleEndedIterator<Item = NaiveDate> + '_ {
        self.sessions.iter().copied()
    }

    /// Session dates in `[start, end]`.
    pub fn sessions_between(&self, start: NaiveDate, end: NaiveDate) -> impl Iterator<Item = NaiveDate> + '_ {
        let range = if start <= end { Some(start..=end) } else { None };
        range.into_iter().flat_map(|r| self.sessions.range(r).copied())
    }

    /// First and last session date, if any.
    pub fn span(&self) -> Option<(NaiveDate, NaiveDate)> {
        Some((*self.sessions.first()?, *self.sessions.last()?))
    }

    /// Whether `date` has a session.
    pub fn is_session(&self, date: NaiveDate) -> bool {
        self.sessions.contains(&date)
    }

    /// A weekday session with a settlement (when the data has settlements) or a full
    /// session's volume (when it has only bars): the days on which rolls may happen.
    pub fn is_trading_day(&self, date: NaiveDate) -> bool {
        let days = if self.settled.is_empty() { &self.sessions } else { &self.settled };
        is_weekday(date) && days.contains(&date) && (!self.settled.is_empty() || !self.thin.contains(&date))
    }

    /// The earliest trading day in `month`, if the data has one.
    pub fn first_trading_day(&self, month: ContractMonth) -> Option<NaiveDate> {
        self.sessions_between(month.first_day(), month.last_day()).find(|&d| self.is_trading_day(d))
    }

    /// A business day: a weekday session inside the span the data covers, and any weekday
    /// outside it (the data cannot tell holidays there).
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        match self.span() {
            Some((first, last)) if (first..=last).contains(&date) => self.is_trading_day(date),
            _ => is_weekday(date),
        }
    }

    /// The business day `n` business days after `date` (before it when `n` is negative);
    /// `date` itself for `n == 0`.
    pub fn add_business_days(&self, date: NaiveDate, n: i32) -> NaiveDate {
        let step = if n >= 0 { 1 } else { -1 };
        let mut day = date;
        let mut left = n.unsigned_abs();
        while left > 0 {
            day = step_day(day, step);
            if self.is_business_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The last business day of `month`.
    pub fn last_business_day(&self, month: ContractMonth) -> NaiveDate {
        let mut day = month.last_day();
        while !self.is_business_day(day) && day > month.first_day() {
            day = step_day(day, -1);
        }
        day
    }
}

fn step_day(day: NaiveDate, step: i64) -> NaiveDate {
    day.checked_add_signed(chrono::Duration::days(step)).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A January with Sunday sessions, no Saturdays and the 9th closed.
    fn january() -> TradingCalendar {
        let days = [1, 2, 3, 5, 6, 7, 8, 10, 12, 13, 14, 15, 16, 17, 19, 20, 21, 22, 23, 24, 26, 27, 28, 29, 30, 31];
        TradingCalendar::from_sessions(days.iter().map(|&x| d(2025, 1, x)))
    }

    #[test]
    fn sunday_sessions_are_rows_but_not_trading_days() {
        let cal = january();
        assert!(cal.is_session(d(2025, 1, 5)));
        assert!(!cal.is_trading_day(d(2025, 1, 5)));
        let feb = TradingCalendar::from_sessions([d(2025, 2, 2), d(2025, 2, 3)]);
        assert_eq!(feb.first_trading_day(ContractMonth::new(2025, 2).unwrap()), Some(d(2025, 2, 3)));
    }

    #[test]
    fn settlements_tell_holiday_evening_bars_from_trading_days() {
        let cal = january().with_settlement_dates([d(2025, 1, 2), d(2025, 1, 3)]);
        assert!(cal.is_session(d(2025, 1, 1)));
        assert!(!cal.is_trading_day(d(2025, 1, 1)));
        assert_eq!(cal.first_trading_day(ContractMonth::new(2025, 1).unwrap()), Some(d(2025, 1, 2)));
    }

    #[test]
    fn thin_weekday_bars_are_evening_only_sessions() {
        let volumes: BTreeMap<NaiveDate, u64> =
            [(d(2025, 1, 1), 347), (d(2025, 1, 2), 47_850), (d(2025, 1, 3), 48_015), (d(2025, 1, 5), 2_203)].into();
        let cal = TradingCalendar::from_sessions(volumes.keys().copied()).with_session_volumes(&volumes);
        assert!(cal.is_session(d(2025, 1, 1)) && !cal.is_trading_day(d(2025, 1, 1)));
        assert_eq!(cal.first_trading_day(ContractMonth::new(2025, 1).unwrap()), Some(d(2025, 1, 2)));
    }

    #[test]
    fn business_days_skip_closed_days_inside_the_data() {
        let cal = january();
        assert_eq!(cal.first_trading_day(ContractMonth::new(2025, 1).unwrap()), Some(d(2025, 1, 1)));
        assert_eq!(cal.add_business_days(d(2025, 1, 8), 1), d(2025, 1, 10));
        assert_eq!(cal.add_business_days(d(2025, 1, 10), -1), d(2025, 1, 8));
        assert_eq!(cal.add_business_days(d(2025, 1, 31), -3), d(2025, 1, 28));
        assert_eq!(cal.last_business_day(ContractMonth::new(2025, 1).unwrap()), d(2025, 1, 31));
        // Outside the data, weekdays count.
        assert_eq!(cal.last_business_day(ContractMonth::new(2025, 5).unwrap()), d(2025, 5, 30));
        assert_eq!(cal.add_business_days(d(2025, 2, 28), 1), d(2025, 3, 3));
        assert_eq!(cal.first_trading_day(ContractMonth::new(2025, 3).unwrap()), None);
    }
}
