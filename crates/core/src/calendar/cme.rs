//! CME Globex's trading calendar for energy futures and options, by rule: which weekdays
//! are trade dates (the exchange settles them), which holidays close Globex outright and
//! which only shorten its session, and which Sundays open the week with an evening session.
//!
//! The rules follow CME's holiday notices. On most US holidays Globex trades an
//! abbreviated energy session but nothing settles and the day is "not a trade or
//! processing date" (NYMEX notice for Presidents' Day 2008, the same wording every year):
//! MLK Day, Presidents' Day, Memorial Day, Juneteenth (observed by CME from 2022),
//! Independence Day, Labor Day and Thanksgiving. New Year's Day, Good Friday and
//! Christmas close Globex for the day. Real data agrees: HO futures traded 23,663 lots on
//! Mon 2025-01-20 and 13,016 on Mon 2025-02-17, yet neither has a settlement, and the
//! client's sample has no row for 2022-01-17 or 2022-02-21.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::contract::ContractMonth;

/// Monday to Friday.
pub fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// How a holiday affects CME Globex energy markets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closure {
    /// No Globex session at all (the Sunday before a Monday closure has none either).
    Closed,
    /// Globex trades a short session for the next trade date; nothing settles.
    Abbreviated,
}

/// A holiday: its date as observed, how it closes the market, and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    /// The weekday the exchange observes it on.
    pub date: NaiveDate,
    /// Closed or abbreviated.
    pub closure: Closure,
    /// E.g. `Good Friday`.
    pub name: &'static str,
}

/// One-off closures of CME energy markets that no rule gives, with their sources. Checked
/// and left out because energy traded as usual: Hurricane Sandy, 2012-10-29/30 (CME notice
/// of 2012-10-29: NYMEX floor closed, "all other CME Group futures and options ... remain
/// open" on Globex); President G. H. W. Bush's day of mourning, 2018-12-05 (CME notice of
/// 2018-12-02: only equity and interest rate products closed); President Carter's,
/// 2025-01-09 (CME notice of 2024-12-30: energy "will operate with normal trading hours";
/// HO traded 52,986 lots that day in Databento's bars). GLBX.MDP3 starts on 2010-06-06, so
/// earlier closures (e.g. 2001-09-11 to 09-14) cannot matter; add any new one here.
const ONE_OFF_CLOSURES: &[Holiday] = &[];

/// Western Easter Sunday of `year` (the anonymous Gregorian algorithm).
pub(crate) fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let (a, b, c) = (year.rem_euclid(19), year.div_euclid(100), year.rem_euclid(100));
    let (d, e) = (b / 4, b % 4);
    let g = (b - (b + 8) / 25 + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let l = (32 + 2 * e + 2 * (c / 4) - h - c % 4).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    NaiveDate::from_ymd_opt(year, (n / 31) as u32, (n % 31 + 1) as u32)
}

/// The weekday a fixed-date holiday is observed on: a Sunday one moves to Monday, a
/// Saturday one to Friday when `saturday_moves` (not for New Year's Day: CME stays open
/// on the Friday before, e.g. 2021-12-31).
fn observed(date: NaiveDate, saturday_moves: bool) -> Option<NaiveDate> {
    match date.weekday() {
        Weekday::Sat if saturday_moves => date.pred_opt(),
        Weekday::Sat => None,
        Weekday::Sun => date.succ_opt(),
        _ => Some(date),
    }
}

/// The `n`-th `weekday` of a month, or the last one when `n` is 5 and there is no fifth.
pub(crate) fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
        .or_else(|| NaiveDate::from_weekday_of_month_opt(year, month, weekday, n - 1))
}

/// The holidays of `year` by rule, as observed.
pub fn holidays(year: i32) -> impl Iterator<Item = Holiday> {
    use Closure::{Abbreviated, Closed};
    let fixed = move |month, day, saturday_moves| {
        NaiveDate::from_ymd_opt(year, month, day).and_then(|d| observed(d, saturday_moves))
    };
    let good_friday = easter_sunday(year).and_then(|e| e.checked_sub_days(Days::new(2)));
    let juneteenth = if year >= 2022 { fixed(6, 19, true) } else { None };
    [
        (fixed(1, 1, false), Closed, "New Year's Day"),
        (nth_weekday(year, 1, Weekday::Mon, 3), Abbreviated, "Martin Luther King Jr. Day"),
        (nth_weekday(year, 2, Weekday::Mon, 3), Abbreviated, "Presidents' Day"),
        (good_friday, Closed, "Good Friday"),
        (nth_weekday(year, 5, Weekday::Mon, 5), Abbreviated, "Memorial Day"),
        (juneteenth, Abbreviated, "Juneteenth"),
        (fixed(7, 4, true), Abbreviated, "Independence Day"),
        (nth_weekday(year, 9, Weekday::Mon, 1), Abbreviated, "Labor Day"),
        (nth_weekday(year, 11, Weekday::Thu, 4), Abbreviated, "Thanksgiving"),
        (fixed(12, 25, true), Closed, "Christmas"),
    ]
    .into_iter()
    .filter_map(|(date, closure, name)| Some(Holiday { date: date?, closure, name }))
}

/// First and last year whose holidays are known; outside them every weekday trades.
const YEARS: (i32, i32) = (1990, 2100);

/// The CME energy calendar: holidays by rule plus the one-off closures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmeCalendar {
    holidays: BTreeMap<NaiveDate, Holiday>,
}

impl Default for CmeCalendar {
    fn default() -> Self {
        let rules = (YEARS.0..=YEARS.1).flat_map(holidays);
        Self { holidays: rules.chain(ONE_OFF_CLOSURES.iter().copied()).map(|h| (h.date, h)).collect() }
    }
}

impl CmeCalendar {
    /// The calendar (holidays of 1990–2100 and the one-off closures).
    pub fn new() -> Self {
        Self::default()
    }

    /// The holiday observed on `date`, if any.
    pub fn holiday(&self, date: NaiveDate) -> Option<&Holiday> {
        self.holidays.get(&date)
    }

    /// A weekday the exchange settles: not a holiday.
    pub fn is_trade_date(&self, date: NaiveDate) -> bool {
        is_weekday(date) && !self.holidays.contains_key(&date)
    }

    /// A Sunday on which Globex opens the week: every Sunday but one before a Monday on
    /// which Globex is closed outright (Christmas or New Year's Day observed).
    pub fn has_sunday_session(&self, date: NaiveDate) -> bool {
        date.weekday() == Weekday::Sun
            && !date.succ_opt().and_then(|monday| self.holiday(monday)).is_some_and(|h| h.closure == Closure::Closed)
    }

    /// A date with a session that gives an output row: a trade date or a Sunday session.
    pub fn is_session(&self, date: NaiveDate) -> bool {
        self.is_trade_date(date) || self.has_sunday_session(date)
    }

    /// Every session date in `[from, to]`.
    pub fn sessions(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        from.iter_days().take_while(|&d| d <= to).filter(|&d| self.is_session(d)).collect()
    }

    /// The last trade date of `month`.
    pub fn last_trade_date(&self, month: ContractMonth) -> NaiveDate {
        last_matching(month, |d| self.is_trade_date(d))
    }

    /// The trade date `n` trade dates before (`n < 0`: after) `date`.
    pub fn trade_dates_before(&self, date: NaiveDate, n: i32) -> NaiveDate {
        step_matching(date, -n, |d| self.is_trade_date(d))
    }
}

/// The last day of `month` that `is_open` accepts (the first day when none does).
pub(crate) fn last_matching(month: ContractMonth, is_open: impl Fn(NaiveDate) -> bool) -> NaiveDate {
    let first = month.first_day();
    let mut day = month.last_day();
    while !is_open(day) && day > first {
        day = day.pred_opt().unwrap_or(first);
    }
    day
}

/// The day `n` days that `is_open` accepts after `date` (before it when `n` is negative);
/// `date` itself for `n == 0`. Stops at the ends of the date range.
pub(crate) fn step_matching(date: NaiveDate, n: i32, is_open: impl Fn(NaiveDate) -> bool) -> NaiveDate {
    let step = |d: NaiveDate| if n >= 0 { d.succ_opt() } else { d.pred_opt() };
    let mut day = date;
    let mut left = n.unsigned_abs();
    while left > 0 {
        let Some(next) = step(day) else { break };
        day = next;
        if is_open(day) {
            left -= 1;
        }
    }
    day
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
        let cal = CmeCalendar::new();
        let closed = [
            d(2024, 1, 1),
            d(2024, 1, 15), // MLK Day
            d(2024, 2, 19), // Presidents' Day
            d(2024, 3, 29),
            d(2024, 5, 27),
            d(2024, 6, 19), // Juneteenth
            d(2024, 7, 4),
            d(2024, 9, 2),
            d(2024, 11, 28),
            d(2024, 12, 25),
            d(2021, 12, 24), // Christmas on Saturday
            d(2022, 12, 26), // Christmas on Sunday
            d(2023, 1, 2),   // New Year's Day on Sunday
            d(2020, 7, 3),   // Independence Day on Saturday
            d(2022, 6, 20),  // Juneteenth on Sunday, the first year CME observed it
            d(2025, 1, 20),
            d(2025, 2, 17),
            d(2022, 1, 17),
            d(2022, 2, 21),
        ];
        for day in closed {
            assert!(!cal.is_trade_date(day), "{day}");
        }
        // Juneteenth only from 2022; New Year's Day on a Saturday is not moved to Friday.
        assert!(cal.is_trade_date(d(2021, 6, 18)));
        assert!(cal.is_trade_date(d(2021, 12, 31)));
        // Friday after Thanksgiving and Carter's day of mourning trade.
        assert!(cal.is_trade_date(d(2024, 11, 29)));
        assert!(cal.is_trade_date(d(2025, 1, 9)));
        assert_eq!(cal.holiday(d(2025, 1, 20)).unwrap().name, "Martin Luther King Jr. Day");
    }

    #[test]
    fn sundays_open_the_week_unless_monday_is_closed_outright() {
        let cal = CmeCalendar::new();
        // Before MLK Day and Memorial Day (abbreviated sessions): open, as in the sample.
        assert!(cal.has_sunday_session(d(2022, 1, 16)));
        assert!(cal.has_sunday_session(d(2024, 5, 26)));
        // Before Christmas and New Year's Day observed on a Monday: closed.
        assert!(!cal.has_sunday_session(d(2022, 12, 25)));
        assert!(!cal.has_sunday_session(d(2023, 1, 1)));
        assert!(!cal.has_sunday_session(d(2024, 6, 1)), "a Saturday");
        assert!(!cal.is_session(d(2025, 1, 20)));
    }

    #[test]
    fn trade_date_arithmetic_skips_holidays() {
        let cal = CmeCalendar::new();
        let month = |y, m| ContractMonth::new(y, m).unwrap();
        assert_eq!(cal.last_trade_date(month(2024, 3)), d(2024, 3, 28));
        assert_eq!(cal.last_trade_date(month(2021, 12)), d(2021, 12, 31));
        assert_eq!(cal.last_trade_date(month(2025, 5)), d(2025, 5, 30));
        assert_eq!(cal.trade_dates_before(d(2024, 3, 28), 3), d(2024, 3, 25));
        assert_eq!(cal.trade_dates_before(d(2024, 7, 5), 1), d(2024, 7, 3));
        assert_eq!(cal.trade_dates_before(d(2024, 7, 5), 0), d(2024, 7, 5));
        assert_eq!(cal.trade_dates_before(d(2024, 5, 24), -1), d(2024, 5, 28), "over Memorial Day");
        let sessions = cal.sessions(d(2024, 12, 22), d(2024, 12, 28));
        assert_eq!(sessions, [d(2024, 12, 22), d(2024, 12, 23), d(2024, 12, 24), d(2024, 12, 26), d(2024, 12, 27)]);
    }
}
