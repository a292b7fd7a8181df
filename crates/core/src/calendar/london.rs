//! London business days, as CME's Brent Last Day Financial futures (BZ) and options (OSX)
//! count them for their last trading days: weekdays that are not bank holidays in England
//! and Wales.
//!
//! The rules are those of the Banking and Financial Dealings Act 1971 as gov.uk lists them
//! (<https://www.gov.uk/bank-holidays>): New Year's Day, Good Friday, Easter Monday, the early
//! May (first Monday), spring (last Monday of May) and summer (last Monday of August) bank
//! holidays, Christmas and Boxing Day, a weekend one moved to the next free weekday
//! ("substitute day", e.g. 2011: Christmas on Tuesday 27 December, Boxing Day Monday 26), and
//! the one-off changes below (2012: spring bank holiday moved to 4 June, Diamond Jubilee 5
//! June; 2011: royal wedding 29 April — gov.uk's table for 2011–2015).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{Days, NaiveDate, Weekday};

use super::cme::{easter_sunday, is_weekday, nth_weekday};

/// First and last year whose bank holidays are known; outside them every weekday is open.
const YEARS: (i32, i32) = (1990, 2100);

/// A date as (year, month, day).
type Ymd = (i32, u32, u32);

/// Bank holidays no rule gives (extra days, or a rule's day moved), from gov.uk's
/// announcements: the added day, and the rule's day it replaces.
const ONE_OFF: &[(Ymd, Option<Ymd>)] = &[
    ((1995, 5, 8), Some((1995, 5, 1))),  // VE Day 50th anniversary: early May moved
    ((1999, 12, 31), None),              // Millennium
    ((2002, 6, 4), Some((2002, 5, 27))), // Golden Jubilee: spring bank holiday moved...
    ((2002, 6, 3), None),                // ...and the Jubilee holiday
    ((2011, 4, 29), None),               // Royal wedding
    ((2012, 6, 4), Some((2012, 5, 28))), // Diamond Jubilee: spring bank holiday moved...
    ((2012, 6, 5), None),                // ...and the Jubilee holiday
    ((2020, 5, 8), Some((2020, 5, 4))),  // VE Day 75th anniversary: early May moved
    ((2022, 6, 2), Some((2022, 5, 30))), // Platinum Jubilee: spring bank holiday moved...
    ((2022, 6, 3), None),                // ...and the Jubilee holiday
    ((2022, 9, 19), None),               // State funeral of Queen Elizabeth II
    ((2023, 5, 8), None),                // Coronation of King Charles III
];

fn ymd((y, m, d): Ymd) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The first weekday on or after `date` that is not in `taken`.
fn substitute(date: NaiveDate, taken: &BTreeSet<NaiveDate>) -> NaiveDate {
    date.iter_days().find(|&d| is_weekday(d) && !taken.contains(&d)).unwrap_or(date)
}

/// The bank holidays of `year` in England and Wales by rule, as observed.
fn rule_holidays(year: i32) -> BTreeSet<NaiveDate> {
    let mut days = BTreeSet::new();
    let fixed = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    if let Some(new_year) = fixed(1, 1) {
        days.insert(substitute(new_year, &days));
    }
    if let Some(easter) = easter_sunday(year) {
        days.extend(easter.checked_sub_days(Days::new(2)));
        days.extend(easter.checked_add_days(Days::new(1)));
    }
    days.extend(nth_weekday(year, 5, Weekday::Mon, 1));
    days.extend(nth_weekday(year, 5, Weekday::Mon, 5));
    days.extend(nth_weekday(year, 8, Weekday::Mon, 5));
    for day in [25, 26] {
        if let Some(date) = fixed(12, day) {
            let observed = substitute(date, &days);
            days.insert(observed);
        }
    }
    days
}

/// Every bank holiday of [`YEARS`], one-offs applied.
fn holidays() -> &'static BTreeSet<NaiveDate> {
    static HOLIDAYS: OnceLock<BTreeSet<NaiveDate>> = OnceLock::new();
    HOLIDAYS.get_or_init(|| {
        let mut days: BTreeSet<NaiveDate> = (YEARS.0..=YEARS.1).flat_map(rule_holidays).collect();
        for &(added, replaced) in ONE_OFF {
            if let Some(moved) = replaced.and_then(ymd) {
                days.remove(&moved);
            }
            days.extend(ymd(added));
        }
        days
    })
}

/// A London business day: a weekday that is not an England and Wales bank holiday.
pub fn is_business_day(date: NaiveDate) -> bool {
    is_weekday(date) && !holidays().contains(&date)
}

/// Whether `date` is a bank holiday (a weekday one; weekends are closed anyway).
pub fn is_bank_holiday(date: NaiveDate) -> bool {
    is_weekday(date) && holidays().contains(&date)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// gov.uk's England and Wales tables: 2011–2015 (substitute days and the 2012 Jubilee),
    /// 2022–2026.
    #[test]
    fn bank_holidays_match_gov_uk() {
        let listed = [
            d(2011, 1, 3),
            d(2011, 4, 22),
            d(2011, 4, 25),
            d(2011, 4, 29),
            d(2011, 5, 2),
            d(2011, 5, 30),
            d(2011, 8, 29),
            d(2011, 12, 26),
            d(2011, 12, 27),
            d(2012, 6, 4),
            d(2012, 6, 5),
            d(2015, 12, 28),
            d(2020, 5, 8),
            d(2022, 6, 2),
            d(2022, 6, 3),
            d(2022, 9, 19),
            d(2022, 12, 26),
            d(2022, 12, 27),
            d(2023, 1, 2),
            d(2023, 5, 8),
            d(2024, 3, 29),
            d(2024, 4, 1),
            d(2025, 8, 25),
            d(2026, 8, 31),
            d(2026, 12, 28),
        ];
        for day in listed {
            assert!(is_bank_holiday(day) && !is_business_day(day), "{day}");
        }
        let open = [d(2012, 5, 28), d(2020, 5, 4), d(2022, 5, 30), d(2024, 7, 4), d(2024, 11, 28), d(2025, 1, 20)];
        for day in open {
            assert!(is_business_day(day), "{day}");
        }
        assert!(!is_business_day(d(2025, 1, 4)), "Saturdays are closed");
        let per_year = |y| (1..=365).filter(|&n| is_bank_holiday(d(y, 1, 1) + Days::new(n - 1))).count();
        assert_eq!((per_year(2019), per_year(2022), per_year(2025)), (8, 10, 8));
    }
}
