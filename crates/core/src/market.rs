//! Market data as the strategy sees it: contracts (with their expirations and where those
//! came from) and daily prices per session date, by price source. Every data source — the
//! Databento client, dropped files, the demo market — fills a [`MarketBuilder`].

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::calendar::TradingCalendar;
use crate::contract::{ContractMonth, FuturesSymbol, OptionKind, OptionSymbol};
use crate::parse::named;
use crate::product::ProductSpec;
use crate::series::Series;

/// One instrument's prices by session date.
pub type Prices = Series<DailyPrices>;

/// A price in the product's quote unit (USD/gal for HO and OH); always finite.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Price(f64);

impl Price {
    /// A price; `None` if not finite.
    pub fn new(value: f64) -> Option<Self> {
        value.is_finite().then_some(Self(value))
    }

    /// The value in quote units.
    pub fn value(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Price {
    type Error = String;
    fn try_from(v: f64) -> Result<Self, Self::Error> {
        Self::new(v).ok_or_else(|| format!("{v} is not a finite price"))
    }
}

impl From<Price> for f64 {
    fn from(p: Price) -> f64 {
        p.0
    }
}

/// Which daily price a run uses for futures and options alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PriceSource {
    /// The exchange's daily settlement (Databento `statistics`, stat_type 3).
    #[default]
    Settlement,
    /// The last trade of the UTC day (Databento `ohlcv-1d` close).
    Close,
}

named! {
    PriceSource, "a price source", from_str;
    Settlement => "settlement", "Settlement";
    Close => "close", "Trade close";
}

impl fmt::Display for PriceSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The prices of one instrument on one session date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct DailyPrices {
    /// Settlement for that trading date.
    pub settlement: Option<Price>,
    /// Last trade of that UTC day.
    pub close: Option<Price>,
}

impl DailyPrices {
    /// The price from `source`, if present.
    pub fn get(&self, source: PriceSource) -> Option<Price> {
        match source {
            PriceSource::Settlement => self.settlement,
            PriceSource::Close => self.close,
        }
    }

    fn set(&mut self, source: PriceSource, price: Price) {
        match source {
            PriceSource::Settlement => self.settlement = Some(price),
            PriceSource::Close => self.close = Some(price),
        }
    }

    /// Neither price.
    fn is_empty(&self) -> bool {
        self.settlement.is_none() && self.close.is_none()
    }

    /// Takes every price `later` has, keeping the others.
    fn update(&mut self, later: Self) {
        self.settlement = later.settlement.or(self.settlement);
        self.close = later.close.or(self.close);
    }
}

/// Where an expiration date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// An instrument definition's `expiration`.
    Definition,
    /// The product's documented CME rule (no definition was available).
    CmeRule,
}

/// A futures contract and its last trading day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FuturesContract {
    /// `HOH5`.
    pub symbol: FuturesSymbol,
    /// Last trading day.
    pub expiration: NaiveDate,
    /// Definition or CME rule.
    pub expiration_source: DateSource,
}

/// An option on a futures contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionContract {
    /// `OHH5 C24000`.
    pub symbol: OptionSymbol,
    /// The future it exercises into.
    pub underlying: FuturesSymbol,
    /// Strike in quote units.
    pub strike: Price,
    /// Last trading day.
    pub expiration: NaiveDate,
    /// Definition or CME rule.
    pub expiration_source: DateSource,
}

impl OptionContract {
    /// Call or put.
    pub fn kind(&self) -> OptionKind {
        self.symbol.kind
    }
}

/// Where a market came from; the demo market is simulated and must say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// Simulated by [`crate::demo`]; not real prices.
    SimulatedDemo,
    /// Fetched from the Databento API.
    Databento,
    /// Read from files exported from Databento.
    Files,
}

impl Provenance {
    /// A label for exports and the UI.
    pub fn label(self) -> &'static str {
        match self {
            Self::SimulatedDemo => "SIMULATED demo market (not real prices)",
            Self::Databento => "Databento",
            Self::Files => "Databento files",
        }
    }
}

/// An instrument that carries prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Instrument {
    /// An outright future.
    Future(FuturesSymbol),
    /// An option on a future.
    Option(OptionSymbol),
}

impl Instrument {
    /// Classify a raw Databento symbol seen on `date`; `None` for spreads, strategies and
    /// anything else that is neither an outright future nor an option.
    pub fn parse(raw: &str, date: NaiveDate) -> Option<Self> {
        if raw.contains(' ') {
            OptionSymbol::parse(raw, date).ok().map(Self::Option)
        } else {
            FuturesSymbol::parse(raw, date).ok().map(Self::Future)
        }
    }
}

/// Everything a run needs, immutable once built. Options and their prices are found by
/// hash (runs look them up for every candidate of a chain and every held option on every
/// row); everything that lists them does so in symbol order.
#[derive(Debug, Clone, PartialEq)]
pub struct MarketData {
    /// The product the data is for.
    pub product: ProductSpec,
    /// Where the data came from.
    pub provenance: Provenance,
    futures: BTreeMap<FuturesSymbol, FuturesContract>,
    /// Every option contract, in symbol order.
    options: Vec<OptionContract>,
    /// Where each option is in `options`.
    option_index: FxHashMap<OptionSymbol, usize>,
    futures_prices: BTreeMap<FuturesSymbol, Prices>,
    option_prices: FxHashMap<OptionSymbol, Prices>,
    /// Each chain's options (by underlying and kind) as places in `options`, in symbol order.
    chains: BTreeMap<(FuturesSymbol, OptionKind), Vec<usize>>,
    calendar: TradingCalendar,
    hash: ContentHash,
}

/// The market's content hash, computed when first asked for: a fetch builds an interim
/// market to pick the held options from, whose hash nobody reads (hashing a 15-year market
/// held up the page). Derived from the content, so it takes no part in equality.
#[derive(Debug, Clone, Default)]
struct ContentHash(OnceLock<String>);

impl PartialEq for ContentHash {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl MarketData {
    /// Trade dates, session dates and output rows (see [`TradingCalendar`]).
    pub fn calendar(&self) -> &TradingCalendar {
        &self.calendar
    }

    /// All futures contracts, by symbol.
    pub fn futures(&self) -> impl Iterator<Item = &FuturesContract> {
        self.futures.values()
    }

    /// All option contracts, by symbol.
    pub fn options(&self) -> impl Iterator<Item = &OptionContract> {
        self.options.iter()
    }

    /// One futures contract.
    pub fn future(&self, symbol: &FuturesSymbol) -> Option<&FuturesContract> {
        self.futures.get(symbol)
    }

    /// One option contract.
    pub fn option(&self, symbol: &OptionSymbol) -> Option<&OptionContract> {
        self.option_index.get(symbol).map(|&i| &self.options[i])
    }

    /// The future of `month` in this product.
    pub fn future_for_month(&self, month: ContractMonth) -> FuturesSymbol {
        FuturesSymbol { root: self.product.futures_root, month }
    }

    /// Options whose underlying is `future` and whose kind is `kind`, by symbol.
    pub fn chain<'a>(
        &'a self,
        future: &FuturesSymbol,
        kind: OptionKind,
    ) -> impl Iterator<Item = &'a OptionContract> + use<'a> {
        let places = self.chains.get(&(*future, kind)).map_or(&[][..], Vec::as_slice);
        places.iter().map(|&i| &self.options[i])
    }

    /// Every price of one option, for callers that read it on many dates.
    pub fn option_prices(&self, symbol: &OptionSymbol) -> Option<&Prices> {
        self.option_prices.get(symbol)
    }

    /// Every price of one future, for callers that read it on many dates.
    pub fn future_prices(&self, symbol: &FuturesSymbol) -> Option<&Prices> {
        self.futures_prices.get(symbol)
    }

    /// The latest price from `source` of `prices` dated on a trade date on or before
    /// `date`, with its date: [`Self::option_price_as_of`] and [`Self::future_price_as_of`]
    /// of a series already found.
    pub fn price_as_of(&self, prices: &Prices, date: NaiveDate, source: PriceSource) -> Option<(NaiveDate, Price)> {
        self.latest_on_trade_date(prices.up_to(date), source)
    }

    /// A future's price on `date` from `source`.
    pub fn future_price(&self, symbol: &FuturesSymbol, date: NaiveDate, source: PriceSource) -> Option<Price> {
        self.futures_prices.get(symbol)?.get(date)?.get(source)
    }

    /// An option's price on `date` from `source`.
    pub fn option_price(&self, symbol: &OptionSymbol, date: NaiveDate, source: PriceSource) -> Option<Price> {
        self.option_prices.get(symbol)?.get(date)?.get(source)
    }

    /// The latest option price from `source` dated on a trade date on or before `date`,
    /// with its date (a Sunday or holiday bar's close belongs to the next trade date, so
    /// those rows repeat the last trade date's value).
    pub fn option_price_as_of(
        &self,
        symbol: &OptionSymbol,
        date: NaiveDate,
        source: PriceSource,
    ) -> Option<(NaiveDate, Price)> {
        self.price_as_of(self.option_prices.get(symbol)?, date, source)
    }

    /// The latest option price from `source` dated on a trade date in `[from, to]`, with
    /// its date.
    pub fn option_price_between(
        &self,
        symbol: &OptionSymbol,
        from: NaiveDate,
        to: NaiveDate,
        source: PriceSource,
    ) -> Option<(NaiveDate, Price)> {
        self.latest_on_trade_date(self.option_prices.get(symbol)?.between(from, to), source)
    }

    /// The latest futures price from `source` dated on a trade date on or before `date`,
    /// with its date.
    pub fn future_price_as_of(
        &self,
        symbol: &FuturesSymbol,
        date: NaiveDate,
        source: PriceSource,
    ) -> Option<(NaiveDate, Price)> {
        self.price_as_of(self.futures_prices.get(symbol)?, date, source)
    }

    /// The latest price from `source` of `days` (in date order) dated on a trade date.
    fn latest_on_trade_date<'a>(
        &self,
        days: impl DoubleEndedIterator<Item = (NaiveDate, &'a DailyPrices)>,
        source: PriceSource,
    ) -> Option<(NaiveDate, Price)> {
        days.rev().filter(|&(d, _)| self.calendar.is_trading_day(d)).find_map(|(d, p)| Some((d, p.get(source)?)))
    }

    /// The front month on `date`: the listed future with the earliest expiration not
    /// before `date`.
    pub fn front_month(&self, date: NaiveDate) -> Option<&FuturesContract> {
        self.futures.values().filter(|f| f.expiration >= date).min_by_key(|f| (f.expiration, f.symbol.month))
    }

    /// SHA-256 of the market's canonical byte form (see [`MarketBuilder::build`]): the
    /// data hash in manifests.
    pub fn content_hash(&self) -> &str {
        self.hash.0.get_or_init(|| {
            let mut option_prices: Vec<_> = self.option_prices.iter().collect();
            option_prices.sort_unstable_by_key(|(symbol, _)| **symbol);
            canonical_hash(
                &self.product,
                self.futures.values(),
                self.options.iter(),
                self.futures_prices.iter(),
                option_prices.into_iter(),
            )
        })
    }

    /// Every daily price of one future, in date order.
    pub fn future_series(&self, symbol: &FuturesSymbol) -> impl Iterator<Item = (NaiveDate, DailyPrices)> + '_ {
        self.futures_prices.get(symbol).into_iter().flat_map(|m| m.days().map(|(d, &p)| (d, p)))
    }

    /// Every daily price of one option, in date order.
    pub fn option_series(&self, symbol: &OptionSymbol) -> impl Iterator<Item = (NaiveDate, DailyPrices)> + '_ {
        self.option_prices.get(symbol).into_iter().flat_map(|m| m.days().map(|(d, &p)| (d, p)))
    }

    /// Futures prices on `date` from `source`, for every contract that has one.
    pub fn futures_prices_on(
        &self,
        date: NaiveDate,
        source: PriceSource,
    ) -> impl Iterator<Item = (&FuturesSymbol, Price)> {
        self.futures_prices.iter().filter_map(move |(s, by_date)| Some((s, by_date.get(date)?.get(source)?)))
    }

    /// Number of price observations (futures and options).
    pub fn observation_count(&self) -> usize {
        self.futures_prices.values().chain(self.option_prices.values()).map(Series::len).sum()
    }
}

/// Collects definitions and prices from any source, then fills in what definitions did not
/// give (CME-rule expirations, strikes from symbols) and builds the calendar.
#[derive(Debug, Clone)]
pub struct MarketBuilder {
    product: ProductSpec,
    provenance: Provenance,
    futures: BTreeMap<FuturesSymbol, FuturesContract>,
    options: BTreeMap<OptionSymbol, OptionContract>,
    futures_prices: BTreeMap<FuturesSymbol, Prices>,
    option_prices: BTreeMap<OptionSymbol, Prices>,
}

impl MarketBuilder {
    /// An empty market for `product`.
    pub fn new(product: ProductSpec, provenance: Provenance) -> Self {
        Self {
            product,
            provenance,
            futures: BTreeMap::new(),
            options: BTreeMap::new(),
            futures_prices: BTreeMap::new(),
            option_prices: BTreeMap::new(),
        }
    }

    /// The product being built.
    pub fn product(&self) -> &ProductSpec {
        &self.product
    }

    /// A futures definition with its last trading day. Other roots are ignored.
    pub fn add_future_definition(&mut self, symbol: FuturesSymbol, expiration: NaiveDate) {
        if symbol.root == self.product.futures_root {
            let contract = FuturesContract { symbol, expiration, expiration_source: DateSource::Definition };
            self.futures.insert(symbol, contract);
        }
    }

    /// An option definition. Other roots are ignored.
    pub fn add_option_definition(
        &mut self,
        symbol: OptionSymbol,
        underlying: FuturesSymbol,
        strike: Price,
        expiration: NaiveDate,
    ) {
        if symbol.root == self.product.options_root {
            let contract =
                OptionContract { symbol, underlying, strike, expiration, expiration_source: DateSource::Definition };
            self.options.insert(symbol, contract);
        }
    }

    /// A price of `instrument` for session `date`; a later value for the same key replaces
    /// an earlier one (re-published settlements). Instruments of other roots are ignored.
    pub fn add_price(&mut self, instrument: Instrument, date: NaiveDate, source: PriceSource, price: Price) {
        match instrument {
            Instrument::Future(s) if s.root == self.product.futures_root => {
                self.futures_prices.entry(s).or_default().entry(date).set(source, price);
            }
            Instrument::Option(s) if s.root == self.product.options_root => {
                self.option_prices.entry(s).or_default().entry(date).set(source, price);
            }
            _ => {}
        }
    }

    /// Many prices of one `instrument` at once, in any date order: the same as adding each
    /// price in turn with [`Self::add_price`], but with one lookup of the instrument instead
    /// of one per price. Instruments of other roots are ignored.
    pub fn add_series(&mut self, instrument: Instrument, series: impl IntoIterator<Item = (NaiveDate, DailyPrices)>) {
        let series = series.into_iter().filter(|(_, p)| !p.is_empty());
        match instrument {
            Instrument::Future(s) if s.root == self.product.futures_root => {
                merge_series(&mut self.futures_prices, s, series)
            }
            Instrument::Option(s) if s.root == self.product.options_root => {
                merge_series(&mut self.option_prices, s, series)
            }
            _ => {}
        }
    }

    /// The calendar of the futures prices added so far: the built market's calendar when
    /// nothing else adds futures prices.
    pub fn calendar(&self) -> TradingCalendar {
        let prices = || self.futures_prices.values();
        TradingCalendar::from_sessions(prices().flat_map(|m| m.days().map(|(d, _)| d))).with_settlement_dates(
            prices().flat_map(|m| m.days().filter(|(_, p)| p.settlement.is_some()).map(|(d, _)| d)),
        )
    }

    /// The finished market. Contracts seen only through prices get their expiration from
    /// the product's CME rule on the data's calendar, and options their strike from the
    /// symbol and their underlying from the same contract month.
    pub fn build(self) -> MarketData {
        let calendar = self.calendar();
        let Self { product, provenance, mut futures, mut options, futures_prices, option_prices } = self;
        let rule = product.expiry_rule;
        let future_expiry = |month: ContractMonth| rule.future_expiry(&calendar, month);
        for symbol in futures_prices.keys() {
            futures.entry(*symbol).or_insert_with(|| FuturesContract {
                symbol: *symbol,
                expiration: future_expiry(symbol.month),
                expiration_source: DateSource::CmeRule,
            });
        }
        for symbol in option_prices.keys() {
            if options.contains_key(symbol) {
                continue;
            }
            let underlying = FuturesSymbol { root: product.futures_root, month: symbol.month };
            let underlying_expiry =
                futures.get(&underlying).map(|f| f.expiration).unwrap_or_else(|| future_expiry(symbol.month));
            let Some(strike) = Price::new(symbol.strike_code.to_price(product.strike_units_per_price)) else {
                continue;
            };
            options.insert(
                *symbol,
                OptionContract {
                    symbol: *symbol,
                    underlying,
                    strike,
                    expiration: rule.option_expiry(&calendar, underlying_expiry),
                    expiration_source: DateSource::CmeRule,
                },
            );
        }
        let options: Vec<OptionContract> = options.into_values().collect();
        let option_index = options.iter().enumerate().map(|(i, o)| (o.symbol, i)).collect();
        let mut chains: BTreeMap<(FuturesSymbol, OptionKind), Vec<usize>> = BTreeMap::new();
        for (i, o) in options.iter().enumerate() {
            chains.entry((o.underlying, o.kind())).or_default().push(i);
        }
        let option_prices = option_prices.into_iter().collect();
        MarketData {
            product,
            provenance,
            futures,
            options,
            option_index,
            futures_prices,
            option_prices,
            chains,
            calendar,
            hash: ContentHash::default(),
        }
    }
}

/// Adds `series` (no empty days) to `symbol`'s prices in `by_symbol`, as
/// [`MarketBuilder::add_series`] describes.
fn merge_series<S: Ord>(
    by_symbol: &mut BTreeMap<S, Prices>,
    symbol: S,
    series: impl Iterator<Item = (NaiveDate, DailyPrices)>,
) {
    let mut series = series.peekable();
    if series.peek().is_some() {
        let prices = by_symbol.entry(symbol).or_default();
        for (date, p) in series {
            prices.entry(date).update(p);
        }
    }
}

/// SHA-256 over every contract (one text line each) and every price (symbol once per
/// series, then per date: days since CE as `i32`, settlement and close as `f64` bits,
/// absent = all ones; little-endian), in symbol and date order.
fn canonical_hash<'a>(
    product: &ProductSpec,
    futures: impl Iterator<Item = &'a FuturesContract>,
    options: impl Iterator<Item = &'a OptionContract>,
    futures_prices: impl Iterator<Item = (&'a FuturesSymbol, &'a Prices)>,
    option_prices: impl Iterator<Item = (&'a OptionSymbol, &'a Prices)>,
) -> String {
    let mut hasher = Sha256::new();
    let mut line = |text: String| hasher.update(text.as_bytes());
    line(format!("product {} {} {}\n", product.dataset, product.futures_root, product.options_root));
    for f in futures {
        line(format!("F {} {} {:?}\n", f.symbol, f.expiration, f.expiration_source));
    }
    for o in options {
        let (strike, source) = (o.strike.value(), o.expiration_source);
        line(format!("O {} {} {strike} {} {source:?}\n", o.symbol, o.underlying, o.expiration));
    }
    let series = |hasher: &mut Sha256, name: String, prices: &Prices| {
        hasher.update(name.as_bytes());
        let bits = |p: Option<Price>| p.map_or(u64::MAX, |p| p.value().to_bits());
        let mut bytes = Vec::with_capacity(prices.len() * 20);
        for (date, p) in prices.days() {
            bytes.extend_from_slice(&date.num_days_from_ce().to_le_bytes());
            bytes.extend_from_slice(&bits(p.settlement).to_le_bytes());
            bytes.extend_from_slice(&bits(p.close).to_le_bytes());
        }
        hasher.update(&bytes);
    };
    for (symbol, prices) in futures_prices {
        series(&mut hasher, format!("PF {symbol}\n"), prices);
    }
    for (symbol, prices) in option_prices {
        series(&mut hasher, format!("PO {symbol}\n"), prices);
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn px(v: f64) -> Price {
        Price::new(v).unwrap()
    }

    /// A builder with a close of `HOH5` and of one of its calls on `day`, and nothing else.
    fn future_and_call(day: NaiveDate) -> MarketBuilder {
        let mut b = MarketBuilder::new(ProductSpec::heating_oil(), Provenance::Files);
        b.add_price(Instrument::parse("HOH5", day).unwrap(), day, PriceSource::Close, px(2.3));
        b.add_price(Instrument::parse("OHH5 C24000", day).unwrap(), day, PriceSource::Close, px(0.05));
        b
    }

    #[test]
    fn cme_rule_fills_missing_expirations() {
        let day = d(2025, 1, 2);
        let mut b = future_and_call(day);
        b.add_price(Instrument::parse("CLH5", day).unwrap(), day, PriceSource::Close, px(70.0));
        assert!(Instrument::parse("HOH5-HOJ5", day).is_none());
        let m = b.build();
        let fut = m.futures().next().unwrap();
        // Last business day of February 2025.
        assert_eq!(fut.expiration, d(2025, 2, 28));
        assert_eq!(fut.expiration_source, DateSource::CmeRule);
        let opt = m.options().next().unwrap();
        assert_eq!(opt.expiration, d(2025, 2, 25));
        assert_eq!(opt.strike, px(2.4));
        assert_eq!(opt.underlying.to_string(), "HOH5");
        assert_eq!(m.futures().count(), 1, "other roots are ignored");
        assert_eq!(m.front_month(day).unwrap().symbol.to_string(), "HOH5");
    }

    #[test]
    fn the_hash_is_computed_when_asked_and_takes_no_part_in_equality() {
        let day = d(2025, 1, 2);
        let mut b = future_and_call(day);
        let (hashed, fresh) = (b.clone().build(), b.clone().build());
        let hash = hashed.content_hash().to_owned();
        assert_eq!(hashed, fresh, "one hashed, one not: still equal");
        assert_eq!(fresh.content_hash(), hash);
        b.add_price(Instrument::parse("OHH5 C24000", day).unwrap(), day, PriceSource::Close, px(0.06));
        let other = b.build();
        assert_ne!(other, fresh);
        assert_ne!(other.content_hash(), hash, "another price, another hash");
    }

    #[test]
    fn definitions_win_over_the_rule_and_later_prices_replace_earlier() {
        let mut b = MarketBuilder::new(ProductSpec::heating_oil(), Provenance::Databento);
        let day = d(2025, 1, 2);
        let fut = FuturesSymbol::parse("HOH5", day).unwrap();
        b.add_future_definition(fut, d(2025, 2, 27));
        b.add_price(Instrument::Future(fut), day, PriceSource::Settlement, px(2.3));
        b.add_price(Instrument::Future(fut), day, PriceSource::Settlement, px(2.31));
        let m = b.build();
        assert_eq!(m.future(&fut).unwrap().expiration, d(2025, 2, 27));
        assert_eq!(m.future_price(&fut, day, PriceSource::Settlement), Some(px(2.31)));
        assert_eq!(m.future_price(&fut, day, PriceSource::Close), None);
        assert_eq!(m.content_hash().len(), 64);
    }

    #[test]
    fn a_series_adds_as_its_prices_one_by_one() {
        let day = |n| d(2025, 1, 1) + chrono::Days::new(n);
        let fut = Instrument::parse("HOH5", day(0)).unwrap();
        let opt = Instrument::parse("OHH5 C24000", day(0)).unwrap();
        let other = Instrument::parse("CLH5", day(0)).unwrap();
        let p = |settlement: Option<f64>, close: Option<f64>| DailyPrices {
            settlement: settlement.map(px),
            close: close.map(px),
        };
        // Out of order, a date twice, an empty day; and in order.
        let mixed = [(day(3), p(Some(2.3), None)), (day(1), p(None, Some(2.1))), (day(3), p(None, Some(2.2)))];
        let mixed = [mixed.as_slice(), &[(day(2), p(Some(2.4), None)), (day(5), p(None, None))]].concat();
        let ordered = [(day(1), p(Some(2.0), None)), (day(2), p(None, Some(2.6))), (day(4), p(None, Some(2.5)))];
        let builder = || MarketBuilder::new(ProductSpec::heating_oil(), Provenance::Files);
        let (mut one_by_one, mut bulk) = (builder(), builder());
        // Each as a new series, then on top of the other.
        for (instrument, both) in
            [(fut, [&mixed[..], &ordered]), (opt, [&ordered, &mixed]), (other, [&mixed, &ordered])]
        {
            for series in both {
                for &(date, prices) in series {
                    for source in [PriceSource::Settlement, PriceSource::Close] {
                        if let Some(price) = prices.get(source) {
                            one_by_one.add_price(instrument, date, source, price);
                        }
                    }
                }
                bulk.add_series(instrument, series.iter().copied());
            }
        }
        bulk.add_series(Instrument::parse("HOJ5", day(0)).unwrap(), [(day(1), p(None, None))]);
        let (one_by_one, bulk) = (one_by_one.build(), bulk.build());
        assert_eq!(bulk, one_by_one);
        assert_eq!(bulk.observation_count(), 2 * 4);
        let Instrument::Future(fut) = fut else { unreachable!() };
        assert_eq!(bulk.future_series(&fut).nth(2), Some((day(3), p(Some(2.3), Some(2.2)))));
        let Instrument::Option(opt) = opt else { unreachable!() };
        assert_eq!(bulk.option_series(&opt).nth(1), Some((day(2), p(Some(2.4), Some(2.6)))));
    }
}
