//! How a candidate option is priced on a roll date: its settlement whenever the data has
//! one, whatever the price source of the recorded series (out-of-the-money options trade
//! rarely, but the exchange settles every listed strike every day); with closes only, its
//! latest trade close within a window of trade dates, marked stale when older than the
//! roll date.

use chrono::NaiveDate;
use serde::Serialize;

use crate::contract::{FuturesSymbol, OptionSymbol};
use crate::market::{MarketData, Price, PriceSource};

/// Which price a candidate was valued from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceBasis {
    /// Its settlement on the roll date.
    Settlement,
    /// Its trade close on the roll date.
    Close,
    /// Its latest trade close before the roll date, within the stale window.
    StaleClose,
}

/// A price with its date and basis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quote {
    /// The price, quote units.
    pub price: Price,
    /// The date it is for.
    pub date: NaiveDate,
    /// How it was found.
    pub basis: PriceBasis,
}

/// How many candidates of a roll were priced each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PricedCounts {
    /// By settlement.
    pub settlement: usize,
    /// By that day's close.
    pub close: usize,
    /// By an older close.
    pub stale_close: usize,
    /// Without any price.
    pub unpriced: usize,
}

impl PricedCounts {
    /// Count one candidate.
    pub fn add(&mut self, quote: Option<&Quote>) {
        match quote.map(|q| q.basis) {
            Some(PriceBasis::Settlement) => self.settlement += 1,
            Some(PriceBasis::Close) => self.close += 1,
            Some(PriceBasis::StaleClose) => self.stale_close += 1,
            None => self.unpriced += 1,
        }
    }
}

/// The target future's price on `date`: its settlement, else its close.
pub fn future_quote(market: &MarketData, future: &FuturesSymbol, date: NaiveDate) -> Option<Quote> {
    let at = |source, basis| Some(Quote { price: market.future_price(future, date, source)?, date, basis });
    at(PriceSource::Settlement, PriceBasis::Settlement).or_else(|| at(PriceSource::Close, PriceBasis::Close))
}

/// An option's price for a roll on `date`: its settlement that day, else its latest close
/// no more than `stale_days` trade dates old. Prices at or below zero do not count.
pub fn option_quote(market: &MarketData, option: &OptionSymbol, date: NaiveDate, stale_days: u32) -> Option<Quote> {
    let positive = |p: &Price| p.value() > 0.0;
    if let Some(price) = market.option_price(option, date, PriceSource::Settlement).filter(positive) {
        return Some(Quote { price, date, basis: PriceBasis::Settlement });
    }
    let calendar = market.calendar();
    let oldest = calendar.add_business_days(date, -i32::try_from(stale_days).unwrap_or(i32::MAX));
    let (seen, price) = market.option_price_between(option, oldest, date, PriceSource::Close)?;
    let basis = if seen == date { PriceBasis::Close } else { PriceBasis::StaleClose };
    positive(&price).then_some(Quote { price, date: seen, basis })
}
