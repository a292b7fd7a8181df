//! The trading calendar of a market: CME's calendar ([`cme`]) refined by the data.
//!
//! A **trade date** is a weekday the exchange settles: a weekday with a futures settlement
//! in the data, or one the CME calendar says trades (so a gap in the data stays a row and
//! is reported, not silently dropped). Globex trades abbreviated sessions on most
//! holidays, and daily bars are keyed by UTC day, so a bar on a weekday does not make it a
//! trade date. **Output rows** are the trade dates inside the data's span plus the Sundays
//! with an evening session: Sundays with a futures bar, or, when the data has no Sunday at
//! all (settlements only), the Sundays the CME calendar opens.

pub mod cme;
pub mod london;

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::contract::ContractMonth;
pub use cme::is_weekday;
use cme::CmeCalendar;

/// Trade dates, session dates and output rows of one market.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TradingCalendar {
    exchange: CmeCalendar,
    /// Dates with any futures price (settlement or bar).
    sessions: BTreeSet<NaiveDate>,
    /// Dates with a futures settlement.
    settled: BTreeSet<NaiveDate>,
}

impl TradingCalendar {
    /// A calendar from the dates that have futures prices.
    pub fn from_sessions(sessions: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self { sessions: sessions.into_iter().collect(), ..Self::default() }
    }

    /// The same calendar, knowing which dates have futures settlements.
    pub fn with_settlement_dates(mut self, settled: impl IntoIterator<Item = NaiveDate>) -> Self {
        self.settled = settled.into_iter().collect();
        self.sessions.extend(self.settled.iter().copied());
        self
    }

    /// The exchange's calendar by rule.
    pub fn exchange(&self) -> &CmeCalendar {
        &self.exchange
    }

    /// Every date with futures prices, in order (Sundays and holiday bars included).
    pub fn sessions(&self) -> impl DoubleEndedIterator<Item = NaiveDate> + '_ {
        self.sessions.iter().copied()
    }

    /// Dates with futures prices in `[start, end]`.
    pub fn sessions_between(&self, start: NaiveDate, end: NaiveDate) -> impl Iterator<Item = NaiveDate> + '_ {
        let range = if start <= end { Some(start..=end) } else { None };
        range.into_iter().flat_map(|r| self.sessions.range(r).copied())
    }

    /// First and last date with futures prices, if any.
    pub fn span(&self) -> Option<(NaiveDate, NaiveDate)> {
        Some((*self.sessions.first()?, *self.sessions.last()?))
    }

    /// Whether `date` has futures prices.
    pub fn is_session(&self, date: NaiveDate) -> bool {
        self.sessions.contains(&date)
    }

    /// First and last date with a futures settlement, if any.
    pub fn settled_span(&self) -> Option<(NaiveDate, NaiveDate)> {
        Some((*self.settled.first()?, *self.settled.last()?))
    }

    /// Whether `date` has a futures settlement.
    pub fn is_settled(&self, date: NaiveDate) -> bool {
        self.settled.contains(&date)
    }

    /// A trade date: a weekday with a futures settlement, or one the CME calendar trades.
    pub fn is_trading_day(&self, date: NaiveDate) -> bool {
        is_weekday(date) && (self.settled.contains(&date) || self.exchange.is_trade_date(date))
    }

    /// A Sunday with an evening session: one with a futures bar, or (data without any
    /// Sunday) one the CME calendar opens.
    pub fn is_sunday_session(&self, date: NaiveDate) -> bool {
        date.weekday() == Weekday::Sun
            && (self.sessions.contains(&date) || (!self.has_sunday_bars() && self.exchange.has_sunday_session(date)))
    }

    /// Whether the data has any Sunday bar (it stops at the first week that has one).
    fn has_sunday_bars(&self) -> bool {
        self.sessions.iter().any(|d| d.weekday() == Weekday::Sun)
    }

    /// The output rows in `[start, end]`: trade dates and Sunday sessions inside the span
    /// of the data.
    pub fn rows_between(&self, start: NaiveDate, end: NaiveDate) -> Vec<NaiveDate> {
        let Some((first, last)) = self.span() else { return Vec::new() };
        let is_row = |d: NaiveDate| self.is_trading_day(d) || self.is_sunday_session(d);
        start.max(first).iter_days().take_while(|&d| d <= end.min(last)).filter(|&d| is_row(d)).collect()
    }

    /// Trade dates in `month`, in order.
    pub fn trading_days(&self, month: ContractMonth) -> impl Iterator<Item = NaiveDate> + '_ {
        month.first_day().iter_days().take_while(move |&d| d <= month.last_day()).filter(|&d| self.is_trading_day(d))
    }

    /// The earliest trade date in `month`.
    pub fn first_trading_day(&self, month: ContractMonth) -> Option<NaiveDate> {
        self.trading_days(month).next()
    }

    /// The trade date `n` trade dates after `date` (before it when `n` is negative);
    /// `date` itself for `n == 0`.
    pub fn add_business_days(&self, date: NaiveDate, n: i32) -> NaiveDate {
        cme::step_matching(date, n, |d| self.is_trading_day(d))
    }

    /// The last trade date of `month`.
    pub fn last_business_day(&self, month: ContractMonth) -> NaiveDate {
        cme::last_matching(month, |d| self.is_trading_day(d))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn month(y: i32, m: u32) -> ContractMonth {
        ContractMonth::new(y, m).unwrap()
    }

    /// January 2025 as Databento's daily bars have it: the New Year's evening bar, Sunday
    /// sessions, and an abbreviated MLK Day session.
    fn january_bars() -> TradingCalendar {
        let days = [1, 2, 3, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 19, 20, 21, 22, 23, 24, 26, 27, 28, 29, 30, 31];
        TradingCalendar::from_sessions(days.iter().map(|&x| d(2025, 1, x)))
    }

    #[test]
    fn holiday_bars_are_neither_rows_nor_roll_days() {
        let cal = january_bars();
        assert!(cal.is_session(d(2025, 1, 1)) && !cal.is_trading_day(d(2025, 1, 1)));
        assert!(cal.is_session(d(2025, 1, 20)) && !cal.is_trading_day(d(2025, 1, 20)));
        assert_eq!(cal.first_trading_day(month(2025, 1)), Some(d(2025, 1, 2)));
        let rows = cal.rows_between(d(2025, 1, 1), d(2025, 1, 31));
        assert!(!rows.contains(&d(2025, 1, 1)) && !rows.contains(&d(2025, 1, 20)));
        assert!(rows.contains(&d(2025, 1, 19)), "the Sunday before MLK Day trades");
        assert_eq!(rows.len(), 27 - 2);
    }

    #[test]
    fn sundays_are_rows_but_never_trade_dates() {
        let cal = january_bars();
        assert!(cal.is_sunday_session(d(2025, 1, 5)));
        assert!(!cal.is_trading_day(d(2025, 1, 5)));
        let feb = TradingCalendar::from_sessions([d(2025, 2, 2), d(2025, 2, 3)]);
        assert_eq!(feb.first_trading_day(month(2025, 2)), Some(d(2025, 2, 3)));
    }

    #[test]
    fn settlement_only_data_takes_sundays_from_the_exchange_calendar() {
        let settled = [d(2022, 1, 14), d(2022, 1, 18), d(2022, 12, 23), d(2022, 12, 27)];
        let cal = TradingCalendar::default().with_settlement_dates(settled);
        let rows = cal.rows_between(d(2022, 1, 14), d(2022, 1, 18));
        assert_eq!(rows, [d(2022, 1, 14), d(2022, 1, 16), d(2022, 1, 18)]);
        let rows = cal.rows_between(d(2022, 12, 23), d(2022, 12, 27));
        assert_eq!(rows, [d(2022, 12, 23), d(2022, 12, 27)], "no session on Christmas Sunday");
    }

    #[test]
    fn a_trade_date_without_data_is_still_a_row() {
        let cal = TradingCalendar::from_sessions([d(2025, 1, 6), d(2025, 1, 8)]);
        assert_eq!(cal.rows_between(d(2025, 1, 1), d(2025, 1, 31)), [d(2025, 1, 6), d(2025, 1, 7), d(2025, 1, 8)]);
    }

    #[test]
    fn a_settlement_makes_a_trade_date_even_on_a_listed_holiday() {
        let cal = TradingCalendar::default().with_settlement_dates([d(2025, 1, 20)]);
        assert!(cal.is_trading_day(d(2025, 1, 20)));
    }

    #[test]
    fn business_days_are_trade_dates() {
        let cal = january_bars();
        assert_eq!(cal.add_business_days(d(2025, 1, 17), 1), d(2025, 1, 21), "over MLK Day");
        assert_eq!(cal.add_business_days(d(2025, 1, 21), -1), d(2025, 1, 17));
        assert_eq!(cal.add_business_days(d(2025, 1, 31), -3), d(2025, 1, 28));
        assert_eq!(cal.last_business_day(month(2025, 1)), d(2025, 1, 31));
        assert_eq!(cal.last_business_day(month(2025, 5)), d(2025, 5, 30));
        assert_eq!(cal.add_business_days(d(2025, 2, 28), 1), d(2025, 3, 3));
        assert_eq!(cal.last_business_day(month(2024, 3)), d(2024, 3, 28), "Good Friday, outside the data");
    }
}
