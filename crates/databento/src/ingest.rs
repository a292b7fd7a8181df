//! Decoded records into the core's [`MarketBuilder`]: instrument ids resolved to contracts
//! per day (ids are unique only within a day), definitions to contracts, settlements and
//! daily closes to prices, the latest settlement per (instrument, trading date) winning.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use deltaroll_core::contract::{ContractMonth, FuturesSymbol, OptionKind, OptionSymbol};
use deltaroll_core::market::{DailyPrices, Instrument, MarketBuilder, Price, PriceSource};

use crate::decode::{Bar, BarInterval, Decoded, Definition, IdMapping, Record, Settlement};
use crate::types::DateRange;

/// `instrument_id → raw symbol` over time, from definitions (valid from the day received
/// until another definition for the id: ids are unique only within a day) and, as a
/// fallback, DBN metadata mappings (`[d0, d1)`).
#[derive(Debug, Clone, Default)]
pub struct SymbolBook {
    definitions: HashMap<u32, BTreeMap<NaiveDate, String>>,
    mappings: HashMap<u32, Vec<IdMapping>>,
}

impl SymbolBook {
    /// An empty book.
    pub fn new() -> Self {
        Self::default()
    }

    /// Learn the ids in `decoded`: its definitions and its metadata mappings.
    pub fn learn(&mut self, decoded: &Decoded) {
        for m in &decoded.mappings {
            let spans = self.mappings.entry(m.instrument_id).or_default();
            if !spans.contains(m) {
                spans.push(m.clone());
            }
        }
        for d in decoded.definitions() {
            self.definitions.entry(d.instrument_id).or_default().insert(d.date, d.raw_symbol.clone());
        }
    }

    /// The raw symbol of `id` on `date` from a definition received that day or earlier.
    pub fn defined(&self, id: u32, date: NaiveDate) -> Option<&str> {
        let (_, raw) = self.definitions.get(&id)?.range(..=date).next_back()?;
        Some(raw)
    }

    /// The raw symbol of `id` on `date` from a metadata mapping covering that day.
    pub fn mapped(&self, id: u32, date: NaiveDate) -> Option<&str> {
        self.mappings.get(&id)?.iter().rev().find(|m| m.start <= date && date < m.end).map(|m| m.raw_symbol.as_str())
    }

    /// The raw symbol of `id` on `date`: a definition's, else a mapping's.
    pub fn symbol(&self, id: u32, date: NaiveDate) -> Option<&str> {
        self.defined(id, date).or_else(|| self.mapped(id, date))
    }

    /// Number of ids known.
    pub fn len(&self) -> usize {
        self.definitions.len().max(self.mappings.len())
    }

    /// Whether no id is known.
    pub fn is_empty(&self) -> bool {
        self.definitions.is_empty() && self.mappings.is_empty()
    }
}

/// What an ingest used and skipped, for summaries and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestSummary {
    /// Futures definitions added.
    pub futures_defined: usize,
    /// Option definitions added.
    pub options_defined: usize,
    /// Definitions of spreads, other classes, or malformed symbols, skipped.
    pub definitions_skipped: usize,
    /// Futures prices added.
    pub futures_prices: usize,
    /// Option prices added.
    pub option_prices: usize,
    /// Prices of spreads and strategies (not outright futures or options), skipped.
    pub not_outright: usize,
    /// Prices whose instrument id could not be resolved to a symbol.
    pub unresolved: usize,
    /// Prices outside the wanted dates, of another schema, or replaced by a later record.
    pub other: usize,
}

impl IngestSummary {
    fn add(&mut self, other: &Self) {
        self.futures_defined += other.futures_defined;
        self.options_defined += other.options_defined;
        self.definitions_skipped += other.definitions_skipped;
        self.futures_prices += other.futures_prices;
        self.option_prices += other.option_prices;
        self.not_outright += other.not_outright;
        self.unresolved += other.unresolved;
        self.other += other.other;
    }
}

/// Feeds decoded bodies into a [`MarketBuilder`], keeping the symbol book across bodies
/// (definitions fetched once resolve the ids of later price bodies).
#[derive(Debug, Clone, Default)]
pub struct Ingest {
    book: SymbolBook,
    summary: IngestSummary,
}

impl Ingest {
    /// A fresh ingest.
    pub fn new() -> Self {
        Self::default()
    }

    /// The ids learned so far.
    pub fn book(&self) -> &SymbolBook {
        &self.book
    }

    /// Totals so far.
    pub fn summary(&self) -> &IngestSummary {
        &self.summary
    }

    /// Learn a body's ids without adding anything.
    pub fn learn(&mut self, decoded: &Decoded) {
        self.book.learn(decoded);
    }

    /// Add a body's definitions as contracts: futures (`F`) and calls/puts (`C`/`P`) whose
    /// symbols parse; spreads, others and instruments whose latest definition deletes
    /// them (`security_update_action` `D`) are skipped. The strike comes from
    /// `strike_price`, never from the symbol.
    pub fn add_definitions(&mut self, decoded: &Decoded, builder: &mut MarketBuilder) -> IngestSummary {
        self.book.learn(decoded);
        let mut s = IngestSummary::default();
        // The latest definition per symbol wins (intraday modifies come later).
        let mut latest: BTreeMap<&str, &Definition> = BTreeMap::new();
        for d in decoded.definitions() {
            latest.insert(&d.raw_symbol, d);
        }
        for d in latest.into_values() {
            match add_definition(d, builder) {
                Some(true) => s.futures_defined += 1,
                Some(false) => s.options_defined += 1,
                None => s.definitions_skipped += 1,
            }
        }
        self.summary.add(&s);
        s
    }

    /// Add a body's prices from `source` (settlements, or daily bars' closes), only those
    /// dated inside `dates` when given. Settlements are dated by their trading date
    /// (`ts_ref`, which dbn documents as "the trading date of the settlement price"), and
    /// per instrument and trading date a final settlement beats a preliminary one, then
    /// the latest record (by `ts_recv`) wins.
    pub fn add_prices(
        &mut self,
        decoded: &Decoded,
        builder: &mut MarketBuilder,
        source: PriceSource,
        dates: Option<DateRange>,
    ) -> IngestSummary {
        self.book.learn(decoded);
        let mut s = IngestSummary::default();
        let mut named = Named::default();
        // Per (instrument's number, date): the winning record.
        let mut best: BTreeMap<(u32, NaiveDate), PriceRecord> = BTreeMap::new();
        for (order, record) in decoded.records.iter().enumerate() {
            let record = match (record, source) {
                (Record::Settlement(x), PriceSource::Settlement) => PriceRecord::settlement(x),
                (Record::Bar(b), PriceSource::Close) if b.interval == BarInterval::Day => PriceRecord::close(b, order),
                (Record::Definition(_), _) => continue,
                _ => {
                    s.other += 1;
                    continue;
                }
            };
            let (id, seen, date) = (record.instrument_id, record.seen, record.date);
            if dates.is_some_and(|r| !r.contains(date)) {
                s.other += 1;
                continue;
            }
            // A definition names the contract; then the record's own `symbol` (text
            // exports); then the body's metadata mappings, on the day received or else on
            // the day priced: a contract's mappings end with its last trading day, whose
            // final settlement is received after midnight UTC.
            let raw = self
                .book
                .defined(id, seen)
                .or(record.symbol)
                .or_else(|| self.book.mapped(id, seen))
                .or_else(|| self.book.mapped(id, date));
            let Some(raw) = raw else {
                s.unresolved += 1;
                continue;
            };
            let Some(number) = named.number(raw, date) else {
                s.not_outright += 1;
                continue;
            };
            match best.entry((number, date)) {
                Entry::Vacant(v) => {
                    v.insert(record);
                }
                Entry::Occupied(mut o) => {
                    s.other += 1;
                    if record.rank >= o.get().rank {
                        o.insert(record);
                    }
                }
            }
        }
        // Each instrument's prices in date order, added as one series.
        let mut series: Option<(u32, Vec<(NaiveDate, DailyPrices)>)> = None;
        for ((number, date), record) in best {
            let Some(price) = Price::new(record.price) else {
                s.other += 1;
                continue;
            };
            match named.instruments.get(number as usize) {
                Some(Instrument::Future(_)) => s.futures_prices += 1,
                Some(Instrument::Option(_)) => s.option_prices += 1,
                None => continue,
            }
            let day = (date, only(source, price));
            match &mut series {
                Some((current, days)) if *current == number => days.push(day),
                _ => {
                    if let Some((done, days)) = series.replace((number, vec![day])) {
                        named.add_series(builder, done, days);
                    }
                }
            }
        }
        if let Some((done, days)) = series {
            named.add_series(builder, done, days);
        }
        self.summary.add(&s);
        s
    }
}

/// The instruments a body's prices name, numbered in the order first seen: each symbol is
/// parsed once per month of the dates it comes with (the month sets its decade), and
/// prices are grouped by number, cheaper to compare than the instrument.
#[derive(Debug, Default)]
struct Named<'a> {
    parsed: HashMap<(&'a str, ContractMonth), Option<u32>>,
    numbers: HashMap<Instrument, u32>,
    instruments: Vec<Instrument>,
}

impl<'a> Named<'a> {
    /// The number of the instrument `raw` names on `date`; `None` for no outright.
    fn number(&mut self, raw: &'a str, date: NaiveDate) -> Option<u32> {
        let Self { parsed, numbers, instruments } = self;
        *parsed.entry((raw, ContractMonth::of(date))).or_insert_with(|| {
            let instrument = Instrument::parse(raw, date)?;
            let next = u32::try_from(instruments.len()).ok()?;
            Some(*numbers.entry(instrument).or_insert_with(|| {
                instruments.push(instrument);
                next
            }))
        })
    }

    /// Add instrument `number`'s `days` to the market.
    fn add_series(&self, builder: &mut MarketBuilder, number: u32, days: Vec<(NaiveDate, DailyPrices)>) {
        if let Some(instrument) = self.instruments.get(number as usize) {
            builder.add_series(*instrument, days);
        }
    }
}

/// A day's prices holding only `price` from `source`.
fn only(source: PriceSource, price: Price) -> DailyPrices {
    match source {
        PriceSource::Settlement => DailyPrices { settlement: Some(price), close: None },
        PriceSource::Close => DailyPrices { settlement: None, close: Some(price) },
    }
}

/// A settlement or daily close as [`Ingest::add_prices`] reads it.
#[derive(Debug, Clone, Copy)]
struct PriceRecord<'a> {
    instrument_id: u32,
    /// The day the record was received, which its instrument id belongs to.
    seen: NaiveDate,
    /// The trade date the price is for.
    date: NaiveDate,
    price: f64,
    /// Of two records for one instrument and date, the greater wins.
    rank: Rank,
    /// The record's own `symbol` (text exports with `map_symbols`).
    symbol: Option<&'a str>,
}

/// The order of records for one instrument and date: a final settlement beats a
/// preliminary one, then the later record wins (field order matters: it is the
/// comparison order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    is_final: bool,
    /// `ts_recv` of a settlement; a bar's position in its body.
    latest: u64,
}

impl<'a> PriceRecord<'a> {
    /// A settlement, dated by its trading date (`ts_ref`).
    fn settlement(x: &'a Settlement) -> Self {
        Self {
            instrument_id: x.instrument_id,
            seen: x.date,
            date: x.trading_date,
            price: x.price,
            rank: Rank { is_final: x.is_final, latest: x.ts_recv },
            symbol: x.symbol.as_deref(),
        }
    }

    /// A daily bar's close, the `order`-th record of its body (closes are final; a later
    /// one wins).
    fn close(b: &'a Bar, order: usize) -> Self {
        Self {
            instrument_id: b.instrument_id,
            seen: b.date,
            date: b.date,
            price: b.close,
            rank: Rank { is_final: true, latest: order as u64 },
            symbol: b.symbol.as_deref(),
        }
    }
}

/// One definition into the builder: `Some(true)` future, `Some(false)` option, `None`
/// skipped.
fn add_definition(d: &Definition, builder: &mut MarketBuilder) -> Option<bool> {
    if d.deleted {
        return None;
    }
    let expiration = d.expiration?;
    match d.class? {
        'F' => {
            let symbol = FuturesSymbol::parse(&d.raw_symbol, d.date).ok()?;
            builder.add_future_definition(symbol, expiration);
            Some(true)
        }
        c @ ('C' | 'P') => {
            let symbol = OptionSymbol::parse(&d.raw_symbol, d.date).ok()?;
            if OptionKind::from_letter(c) != Some(symbol.kind) {
                return None;
            }
            let underlying = FuturesSymbol::parse(&d.underlying, d.date).ok()?;
            let strike = Price::new(d.strike?)?;
            builder.add_option_definition(symbol, underlying, strike, expiration);
            Some(false)
        }
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::testing::{d, ns};
    use deltaroll_core::market::Provenance;
    use deltaroll_core::product::ProductSpec;

    fn def(id: u32, date: NaiveDate, raw: &str, class: char, underlying: &str) -> Record {
        Record::Definition(Definition {
            instrument_id: id,
            date,
            raw_symbol: raw.into(),
            class: Some(class),
            strike: (class == 'C' || class == 'P').then_some(2.4),
            expiration: Some(d(2025, 2, 25)),
            underlying: underlying.into(),
            deleted: false,
        })
    }

    fn settle(id: u32, date: NaiveDate, ts: u64, price: f64) -> Record {
        Record::Settlement(Settlement {
            instrument_id: id,
            date,
            ts_recv: ts,
            trading_date: date,
            price,
            is_final: true,
            symbol: None,
        })
    }

    #[test]
    fn ids_are_keyed_by_day() {
        // Id 7 is HOH5 on Jan 2 and an option from Jan 3 on.
        let defs = Decoded {
            records: vec![
                def(7, d(2025, 1, 2), "HOH5", 'F', ""),
                def(7, d(2025, 1, 3), "OHH5 C24000", 'C', "HOH5"),
                def(8, d(2025, 1, 2), "HOH5-HOJ5", 'S', ""),
            ],
            ..Decoded::default()
        };
        let prices = Decoded {
            records: vec![
                settle(7, d(2025, 1, 2), 1, 2.30),
                settle(7, d(2025, 1, 2), 2, 2.31), // re-published: wins
                settle(7, d(2025, 1, 3), 3, 0.05),
                settle(8, d(2025, 1, 2), 4, 0.01),
                settle(9, d(2025, 1, 2), 5, 1.0),
            ],
            ..Decoded::default()
        };
        let mut b = MarketBuilder::new(ProductSpec::heating_oil(), Provenance::Databento);
        let mut ingest = Ingest::new();
        let s = ingest.add_definitions(&defs, &mut b);
        assert_eq!((s.futures_defined, s.options_defined, s.definitions_skipped), (1, 1, 1));
        let s = ingest.add_prices(&prices, &mut b, PriceSource::Settlement, None);
        assert_eq!((s.futures_prices, s.option_prices), (1, 1));
        assert_eq!((s.not_outright, s.unresolved), (1, 1));
        let m = b.build();
        let hoh5 = FuturesSymbol::parse("HOH5", d(2025, 1, 2)).unwrap();
        assert_eq!(m.future_price(&hoh5, d(2025, 1, 2), PriceSource::Settlement).unwrap().value(), 2.31);
        let opt = OptionSymbol::parse("OHH5 C24000", d(2025, 1, 2)).unwrap();
        assert_eq!(m.option_price(&opt, d(2025, 1, 3), PriceSource::Settlement).unwrap().value(), 0.05);
        assert_eq!(m.option(&opt).unwrap().strike.value(), 2.4);
    }

    fn settlement(
        id: u32,
        received: NaiveDate,
        ts: u64,
        trading_date: NaiveDate,
        price: f64,
        is_final: bool,
    ) -> Record {
        Record::Settlement(Settlement {
            instrument_id: id,
            date: received,
            ts_recv: ts,
            trading_date,
            price,
            is_final,
            symbol: None,
        })
    }

    #[test]
    fn final_settlements_beat_preliminary_ones_and_are_dated_by_ts_ref() {
        let hoh5 = FuturesSymbol::parse("HOH5", d(2025, 1, 2)).unwrap();
        let defs = Decoded { records: vec![def(7, d(2025, 1, 2), "HOH5", 'F', "")], ..Decoded::default() };
        // Thursday's settlement: a preliminary one, the final one received after midnight
        // UTC (dated by ts_ref, not ts_recv), then a later preliminary re-publication.
        let (thu, fri) = (d(2025, 1, 2), d(2025, 1, 3));
        let prices = Decoded {
            records: vec![
                settlement(7, thu, 1, thu, 2.30, false),
                settlement(7, fri, 2, thu, 2.31, true),
                settlement(7, fri, 3, thu, 2.35, false),
                settlement(7, fri, 4, fri, 2.40, false),
            ],
            ..Decoded::default()
        };
        let mut b = MarketBuilder::new(ProductSpec::heating_oil(), Provenance::Databento);
        let mut ingest = Ingest::new();
        ingest.add_definitions(&defs, &mut b);
        ingest.add_prices(&prices, &mut b, PriceSource::Settlement, None);
        let m = b.build();
        assert_eq!(m.future_price(&hoh5, thu, PriceSource::Settlement).unwrap().value(), 2.31, "the final one");
        assert_eq!(
            m.future_price(&hoh5, fri, PriceSource::Settlement).unwrap().value(),
            2.40,
            "a preliminary one alone"
        );
    }

    #[test]
    fn deleted_definitions_add_no_contract() {
        let mut deleted = def(9, d(2025, 1, 3), "OHH5 C25000", 'C', "HOH5");
        if let Record::Definition(x) = &mut deleted {
            x.deleted = true;
        }
        let defs = Decoded {
            records: vec![
                def(9, d(2025, 1, 2), "OHH5 C25000", 'C', "HOH5"),
                deleted,
                def(8, d(2025, 1, 2), "HOH5", 'F', ""),
            ],
            ..Decoded::default()
        };
        let mut b = MarketBuilder::new(ProductSpec::heating_oil(), Provenance::Databento);
        let s = Ingest::new().add_definitions(&defs, &mut b);
        assert_eq!((s.futures_defined, s.options_defined, s.definitions_skipped), (1, 0, 1));
        assert_eq!(b.build().options().count(), 0);
    }

    #[test]
    fn definitions_win_over_parent_mappings_learned_later() {
        // Regression: a price body of a parent request maps `OH.OPT` to every id; that
        // must not hide the contract the definition named.
        let mut book = SymbolBook::new();
        book.learn(&Decoded { records: vec![def(7, d(2025, 1, 2), "OHH5 C24000", 'C', "HOH5")], ..Decoded::default() });
        book.learn(&Decoded {
            mappings: vec![IdMapping {
                instrument_id: 7,
                raw_symbol: "OH.OPT".into(),
                start: d(2025, 1, 2),
                end: d(2025, 1, 4),
            }],
            ..Decoded::default()
        });
        assert_eq!(book.symbol(7, d(2025, 1, 3)), Some("OHH5 C24000"));
        assert_eq!(book.mapped(7, d(2025, 1, 3)), Some("OH.OPT"));
    }

    #[test]
    fn a_settlement_received_after_the_last_mapped_day_is_named_by_its_trading_day() {
        // HOG5's ids map through its last trading day, Jan 31; that day's final
        // settlement is received on Feb 1.
        let mapping =
            IdMapping { instrument_id: 5, raw_symbol: "HOG5".into(), start: d(2025, 1, 2), end: d(2025, 2, 1) };
        let last_day = d(2025, 1, 31);
        let received = ns(d(2025, 2, 1)) + 1_800_000_000_000;
        let Record::Settlement(mut x) = settle(5, d(2025, 2, 1), received, 2.5) else { unreachable!() };
        x.trading_date = last_day;
        let body = Decoded { records: vec![Record::Settlement(x)], mappings: vec![mapping], ..Decoded::default() };
        let mut b = MarketBuilder::new(ProductSpec::heating_oil(), Provenance::Databento);
        let s = Ingest::new().add_prices(&body, &mut b, PriceSource::Settlement, None);
        assert_eq!((s.futures_prices, s.unresolved), (1, 0));
        let market = b.build();
        let hog5 = FuturesSymbol::parse("HOG5", last_day).unwrap();
        assert_eq!(market.future_price(&hog5, last_day, PriceSource::Settlement).map(|p| p.value()), Some(2.5));
    }

    #[test]
    fn an_instrument_gets_one_number_whatever_month_names_it_and_a_decade_another() {
        let mut named = Named::default();
        let hoh5 = named.number("HOH5", d(2025, 1, 2));
        assert_eq!(named.number("HOH5", d(2025, 2, 3)), hoh5, "parsed again in February: the same contract");
        assert_eq!(named.number("HOH5", d(2025, 1, 31)), hoh5, "January's parse reused");
        let older = named.number("HOH5", d(2015, 1, 2));
        assert!(hoh5.is_some() && older.is_some() && older != hoh5, "2015's HOH5 is another contract");
        assert_eq!(named.number("HOH5-HOJ5", d(2025, 1, 2)), None, "a spread is no outright");
        assert_eq!(named.instruments.len(), 2);
    }

    #[test]
    fn mappings_end_and_text_symbols_fill_in() {
        let mut book = SymbolBook::new();
        book.learn(&Decoded {
            mappings: vec![IdMapping {
                instrument_id: 5,
                raw_symbol: "HOG5".into(),
                start: d(2025, 1, 2),
                end: d(2025, 1, 4),
            }],
            ..Decoded::default()
        });
        assert_eq!(book.symbol(5, d(2025, 1, 3)), Some("HOG5"));
        assert_eq!(book.symbol(5, d(2025, 1, 4)), None);
        assert_eq!(book.symbol(5, d(2025, 1, 1)), None);

        let bars = Decoded {
            records: vec![Record::Bar(Bar {
                instrument_id: 1,
                interval: BarInterval::Day,
                date: d(2010, 6, 7),
                close: 1.95,
                volume: 12,
                symbol: Some("HON0".into()),
            })],
            ..Decoded::default()
        };
        let mut b = MarketBuilder::new(ProductSpec::heating_oil(), Provenance::Files);
        let s = Ingest::new().add_prices(&bars, &mut b, PriceSource::Close, None);
        assert_eq!(s.futures_prices, 1);
        let m = b.build();
        assert_eq!(m.futures().next().unwrap().symbol.month.year(), 2010);
    }
}
