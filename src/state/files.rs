//! What dropped files hold and what the run still needs from them: per file, what was
//! recognised (record kinds, symbols, dates); then a checklist — futures prices of the
//! run's price source over its dates, expiration dates (definitions or the CME rule), a
//! priced chain on each roll day, the rolls before `start` included — each ticked or not,
//! with what to add. Run stays enabled; the list says what would fail.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};
use deltaroll_core::market::{DateSource, MarketData, PriceSource};
use deltaroll_core::quote::{future_quote, option_quote};
use deltaroll_core::spec::RunSpec;
use deltaroll_databento::decode::{decode_any, BarInterval, Record};
use deltaroll_databento::files::ExportFile;
use deltaroll_databento::plan::{roll_dates, RollDate};

use crate::engine::FilesError;

/// What one dropped file was recognised as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    /// The file's name.
    pub name: String,
    /// What it holds, or why it could not be read.
    pub found: Result<Recognised, String>,
}

/// The contents of a file that decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognised {
    /// Record kinds with their Databento schema (`settlements (statistics)`), in a fixed order.
    pub kinds: Vec<&'static str>,
    /// The symbols: futures by name, options counted.
    pub symbols: String,
    /// First and last date of its records.
    pub dates: Option<(NaiveDate, NaiveDate)>,
}

impl FileSummary {
    /// One line: `ho.dbn: settlements (statistics) · HOF5, HOG5 and 120 options · 2024-12-02 to 2025-03-31`.
    pub fn line(&self) -> String {
        match &self.found {
            Err(why) => format!("{}: not read ({why})", self.name),
            Ok(r) if r.kinds.is_empty() => format!("{}: no records deltaroll uses", self.name),
            Ok(r) => {
                let dates = r.dates.map(|(a, b)| format!(" · {a} to {b}")).unwrap_or_default();
                format!("{}: {} · {}{dates}", self.name, r.kinds.join(", "), r.symbols)
            }
        }
    }
}

/// Decode `file` and say what it holds.
pub fn recognise(file: &ExportFile) -> FileSummary {
    let found = decode_any(&file.bytes).map_err(|e| e.to_string()).map(|body| {
        let mut kinds = BTreeSet::new();
        let (mut symbols, mut dates) = (BTreeSet::new(), BTreeSet::new());
        for record in &body.records {
            let (kind, symbol, date) = match record {
                Record::Definition(d) => ("definitions (definition)", Some(&d.raw_symbol), d.date),
                Record::Settlement(s) => ("settlements (statistics)", s.symbol.as_ref(), s.trading_date),
                Record::Bar(b) if b.interval == BarInterval::Day => {
                    ("daily bars (ohlcv-1d)", b.symbol.as_ref(), b.date)
                }
                Record::Bar(b) => ("hourly bars (ohlcv-1h)", b.symbol.as_ref(), b.date),
            };
            kinds.insert(kind);
            symbols.extend(symbol.cloned());
            dates.insert(date);
        }
        symbols.extend(body.mappings.iter().map(|m| m.raw_symbol.clone()));
        let order = KIND_ORDER.iter().filter(|k| kinds.contains(*k)).copied().collect();
        Recognised {
            kinds: order,
            symbols: symbol_text(&symbols),
            dates: dates.first().zip(dates.last()).map(|(a, b)| (*a, *b)),
        }
    });
    FileSummary { name: file.name.clone(), found }
}

const KIND_ORDER: [&str; 4] =
    ["definitions (definition)", "settlements (statistics)", "daily bars (ohlcv-1d)", "hourly bars (ohlcv-1h)"];

/// Futures (and spreads) by name, at most [`NAMED`]; options (a space in the symbol)
/// counted.
fn symbol_text(symbols: &BTreeSet<String>) -> String {
    let (options, others): (Vec<&String>, Vec<&String>) = symbols.iter().partition(|s| s.contains(' '));
    let mut parts: Vec<String> = others.iter().take(NAMED).map(|s| (*s).clone()).collect();
    if others.len() > NAMED {
        parts.push(format!("{} more", others.len() - NAMED));
    }
    if !options.is_empty() {
        parts.push(format!("{} option(s)", options.len()));
    }
    if parts.is_empty() {
        "no symbols named (DBN without its symbol mappings)".to_owned()
    } else {
        parts.join(", ")
    }
}

/// Futures named in a file's summary before the rest are counted.
const NAMED: usize = 6;

/// One thing the run needs from the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    /// What is needed.
    pub what: String,
    /// Whether the files have it.
    pub ok: bool,
    /// What was found, or what to add.
    pub detail: String,
}

/// What the run needs from the dropped files, each ticked or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    /// The needs, in the order a run meets them.
    pub needs: Vec<Need>,
    /// Settlements are missing but trade closes cover the dates: offer the switch.
    pub offer_closes: bool,
}

impl Checklist {
    /// Whether every need is met.
    pub fn complete(&self) -> bool {
        self.needs.iter().all(|n| n.ok)
    }
}

/// The checklist of `spec` on the market the files give (or why they give none).
pub fn checklist(spec: &RunSpec, market: Result<&MarketData, &FilesError>) -> Checklist {
    let market = match market {
        Ok(market) => market,
        Err(e) => {
            let need = Need { what: futures_need(spec, spec.price_source), ok: false, detail: e.to_string() };
            return Checklist { needs: vec![need], offer_closes: false };
        }
    };
    let prices = futures_prices(spec, market, spec.price_source);
    let offer_closes = spec.price_source == PriceSource::Settlement
        && !prices.ok
        && futures_prices(spec, market, PriceSource::Close).ok;
    Checklist { needs: vec![prices, expirations(spec, market), chains(spec, market)], offer_closes }
}

fn source_words(source: PriceSource) -> &'static str {
    match source {
        PriceSource::Settlement => "settlements",
        PriceSource::Close => "trade closes",
    }
}

fn futures_need(spec: &RunSpec, source: PriceSource) -> String {
    format!("{} futures {} from {} to {}", spec.product.futures_root, source_words(source), spec.start, spec.end)
}

/// Days a series may start after `start` or end before `end` and still count as covering
/// them (a weekend and a holiday).
const SLACK_DAYS: u64 = 4;

/// Futures prices of `source` over the run's dates.
fn futures_prices(spec: &RunSpec, market: &MarketData, source: PriceSource) -> Need {
    let dates: BTreeSet<NaiveDate> = market
        .futures()
        .flat_map(|f| market.future_series(&f.symbol))
        .filter(|(_, p)| p.get(source).is_some())
        .map(|(d, _)| d)
        .collect();
    let what = futures_need(spec, source);
    let Some((&first, &last)) = dates.first().zip(dates.last()) else {
        let schema = match source {
            PriceSource::Settlement => "statistics",
            PriceSource::Close => "ohlcv-1d",
        };
        let detail =
            format!("none in the files: add the {schema} file of {} for these dates", spec.product.futures_parent());
        return Need { what, ok: false, detail };
    };
    let starts = first <= spec.start.checked_add_days(Days::new(SLACK_DAYS)).unwrap_or(spec.start);
    let ends = last >= spec.end.checked_sub_days(Days::new(SLACK_DAYS)).unwrap_or(spec.end);
    let found = format!("{} from {first} to {last}", source_words(source));
    let detail =
        if starts && ends { found } else { format!("only {found}: add the missing dates, or change the dates") };
    Need { what, ok: starts && ends, detail }
}

/// Expiration dates: from definitions, else the product's CME rule.
fn expirations(spec: &RunSpec, market: &MarketData) -> Need {
    let count = |by: DateSource| market.options().filter(|o| o.expiration_source == by).count();
    let (defined, ruled) = (count(DateSource::Definition), count(DateSource::CmeRule));
    let what = "Expiration dates: definitions or the CME rule".to_owned();
    let detail = match (defined, ruled) {
        (0, 0) => {
            return Need {
                what,
                ok: false,
                detail: format!(
                    "no {} options in the files: add their definition and statistics files",
                    spec.product.options_parent()
                ),
            }
        }
        (_, 0) => format!("from the definitions of {defined} option(s)"),
        (0, _) => format!("from the CME rule for {ruled} option(s) (no definitions in the files)"),
        _ => format!("{defined} option(s) from definitions, {ruled} from the CME rule"),
    };
    Need { what, ok: true, detail }
}

/// Each roll's chain, on its date (the files' calendar's, else the CME calendar's): the
/// target future's price and at least one priced option of the run's kind.
fn chains(spec: &RunSpec, market: &MarketData) -> Need {
    let known = roll_dates(spec, Some(market.calendar()));
    let rolls: Vec<RollDate> = roll_dates(spec, None)
        .into_iter()
        .map(|estimated| known.iter().find(|k| k.month == estimated.month).copied().unwrap_or(estimated))
        .filter(|roll| roll.date <= spec.end)
        .collect();
    let ahead = i32::try_from(spec.months_ahead).unwrap_or(i32::MAX);
    let missing: Vec<String> = rolls
        .iter()
        .filter(|roll| {
            let target = market.future_for_month(roll.month.add_months(ahead));
            let priced = future_quote(market, &target, roll.date).is_some()
                && market.chain(&target, spec.kind).any(|o| {
                    o.expiration > roll.date && option_quote(market, &o.symbol, roll.date, spec.stale_days).is_some()
                });
            !priced
        })
        .map(|roll| {
            let target = market.future_for_month(roll.month.add_months(ahead));
            let before = if roll.date < spec.start { ", before the start" } else { "" };
            format!("{} ({} options on {target}{before})", roll.date, spec.product.options_root)
        })
        .collect();
    let what =
        format!("The chain on each of the {} roll day(s), the rolls before {} included", rolls.len(), spec.start);
    let detail = if missing.is_empty() {
        match (rolls.first(), rolls.last()) {
            (Some(first), Some(last)) => format!("priced on every roll day, {} to {}", first.date, last.date),
            _ => "no roll days in these dates".to_owned(),
        }
    } else {
        format!(
            "missing on {}: add the {} statistics (or ohlcv-1d) and definitions for those days",
            missing.join(", "),
            spec.product.options_parent()
        )
    };
    Need { what, ok: missing.is_empty() && !rolls.is_empty(), detail }
}

#[cfg(test)]
mod tests {
    use deltaroll_core::market::MarketBuilder;

    use super::*;
    use crate::engine::{demo_market, market_from_files};
    use crate::state::form::default_spec;

    #[test]
    fn a_file_says_what_it_holds() {
        // Settlements (rtype 0x18 = 24, stat_type 3) and a daily bar (0x23 = 35) as the
        // dbn CSV encoder writes them.
        let csv = "rtype,instrument_id,ts_event,ts_recv,ts_ref,price,stat_type,close,volume,symbol\n\
            24,1,2025-01-02T21:00:00Z,2025-01-02T21:00:00Z,2025-01-02T00:00:00Z,2.40,3,,,HOH5\n\
            24,2,2025-01-31T21:00:00Z,2025-01-31T21:00:00Z,2025-01-31T00:00:00Z,0.05,3,,,OHH5 C25000\n\
            35,1,2025-01-03T00:00:00Z,,,,,2.41,10,HOH5\n";
        let summary = recognise(&ExportFile { name: "ho.csv".into(), bytes: csv.as_bytes().to_vec() });
        assert_eq!(
            summary.line(),
            "ho.csv: settlements (statistics), daily bars (ohlcv-1d) · HOH5, 1 option(s) · 2025-01-02 to 2025-01-31"
        );
        let header = "rtype,instrument_id,ts_event\n";
        let empty = recognise(&ExportFile { name: "e.csv".into(), bytes: header.as_bytes().to_vec() });
        assert_eq!(empty.line(), "e.csv: no records deltaroll uses");
        let broken = recognise(&ExportFile { name: "x.dbn".into(), bytes: b"DBN\x02broken".to_vec() });
        assert!(broken.line().starts_with("x.dbn: not read ("), "{}", broken.line());
        let many: BTreeSet<String> = (0..9).map(|i| format!("HO{i}")).collect();
        assert_eq!(symbol_text(&many), "HO0, HO1, HO2, HO3, HO4, HO5, 3 more");
        assert!(symbol_text(&BTreeSet::new()).starts_with("no symbols named"));
    }

    #[test]
    fn the_demo_market_meets_every_need() {
        let spec = default_spec();
        let list = checklist(&spec, Ok(&demo_market(&spec)));
        assert!(list.complete(), "{list:#?}");
        assert!(!list.offer_closes);
        assert_eq!(list.needs.len(), 3);
        assert!(list.needs[0].detail.starts_with("settlements from "), "{:?}", list.needs[0]);
        assert!(list.needs[2].what.contains("the rolls before 2025-01-01 included"), "{:?}", list.needs[2]);
    }

    #[test]
    fn missing_settlements_offer_trade_closes() {
        let spec = default_spec();
        let demo = demo_market(&spec);
        let closes = rebuilt(&demo, |source| source == PriceSource::Close);
        let list = checklist(&spec, Ok(&closes));
        assert!(!list.needs[0].ok, "{list:#?}");
        assert!(list.needs[0].detail.starts_with("none in the files: add the statistics file of HO.FUT"), "{list:#?}");
        assert!(list.offer_closes);
        let mut on_closes = spec.clone();
        on_closes.price_source = PriceSource::Close;
        let list = checklist(&on_closes, Ok(&closes));
        assert!(list.needs[0].ok, "{list:#?}");
        assert!(!list.offer_closes, "already on closes");
    }

    #[test]
    fn a_roll_without_its_chain_is_named_and_early_rolls_count() {
        let spec = default_spec();
        let demo = demo_market(&spec);
        // Keep only the prices from the start on: the roll before it has no chain.
        let late = rebuilt_after(&demo, spec.start);
        let list = checklist(&spec, Ok(&late));
        let chains = &list.needs[2];
        assert!(!chains.ok, "{list:#?}");
        assert!(chains.detail.starts_with("missing on 2024-"), "{chains:?}");
        assert!(chains.detail.contains("before the start"), "{chains:?}");
        assert!(!list.complete());
    }

    #[test]
    fn files_without_a_market_say_why() {
        let spec = default_spec();
        let error = market_from_files(&spec, &[]).unwrap_err();
        let list = checklist(&spec, Err(&error));
        assert_eq!(list.needs.len(), 1);
        assert!(!list.needs[0].ok);
        assert!(list.needs[0].detail.starts_with("No files"), "{list:#?}");
        let no_options =
            rebuilt(&MarketBuilder::new(spec.product.clone(), demo_market(&spec).provenance).build(), |_| true);
        assert!(!checklist(&spec, Ok(&no_options)).needs[1].ok);
    }

    /// `market` with only the prices whose source `keep` accepts.
    fn rebuilt(market: &MarketData, keep: impl Fn(PriceSource) -> bool) -> MarketData {
        copy(market, |_, source| keep(source))
    }

    /// `market` with only the prices from `from` on.
    fn rebuilt_after(market: &MarketData, from: NaiveDate) -> MarketData {
        copy(market, |date, _| date >= from)
    }

    fn copy(market: &MarketData, keep: impl Fn(NaiveDate, PriceSource) -> bool) -> MarketData {
        use deltaroll_core::market::{DailyPrices, Instrument};
        let mut b = MarketBuilder::new(market.product.clone(), market.provenance);
        let filter = |p: DailyPrices, date| DailyPrices {
            settlement: p.settlement.filter(|_| keep(date, PriceSource::Settlement)),
            close: p.close.filter(|_| keep(date, PriceSource::Close)),
        };
        for f in market.futures() {
            b.add_future_definition(f.symbol, f.expiration);
            let series: Vec<_> = market.future_series(&f.symbol).map(|(d, p)| (d, filter(p, d))).collect();
            b.add_series(Instrument::Future(f.symbol), series);
        }
        for o in market.options() {
            b.add_option_definition(o.symbol, o.underlying, o.strike, o.expiration);
            let series: Vec<_> = market.option_series(&o.symbol).map(|(d, p)| (d, filter(p, d))).collect();
            b.add_series(Instrument::Option(o.symbol), series);
        }
        b.build()
    }
}
