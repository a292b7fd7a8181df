//! The served market as Databento records: every contract gets an instrument id and a
//! listing window, and queries produce `definition`, `statistics` and `ohlcv-1d` records
//! the way GLBX.MDP3 publishes them:
//!
//! - definitions: a snapshot of every listed contract at 00:00 UTC each day;
//! - statistics: per settlement, a preliminary one (one tick higher, flags 2) at 19:30 UTC
//!   on the trading date and the final one (flags 3) at 00:30 UTC the next day, plus an
//!   open-interest record (stat_type 9) at 12:00 UTC, all filtered on `ts_recv`;
//! - ohlcv-1d: one bar at 00:00 UTC of each date with a close.

use std::collections::{BTreeMap, HashMap};
use std::ffi::c_char;

use chrono::{DateTime, Days, NaiveDate, NaiveTime};
use dbn::record::str_to_c_chars;
use dbn::{rtype, InstrumentDefMsg, OhlcvMsg, RecordHeader, StatMsg, UNDEF_PRICE};
use deltaroll_core::market::{DailyPrices, MarketData, PriceSource};

use crate::params::DAY_NS;

/// GLBX.MDP3's publisher id.
pub const PUBLISHER: u16 = 1;

/// One contract as the fake publishes it.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeInstrument {
    /// Instrument id.
    pub id: u32,
    /// Raw symbol (`HOH5`, `OHH5 C24000`).
    pub raw: String,
    /// `F`, `C` or `P`.
    pub class: u8,
    /// Strike (options).
    pub strike: Option<f64>,
    /// Last trading day.
    pub expiration: NaiveDate,
    /// The underlying future's symbol (options).
    pub underlying: String,
    /// First day listed.
    pub listed: NaiveDate,
    /// Its parent symbol (`HO.FUT`, `OH.OPT`).
    pub parent: String,
    /// Product root (`HO`, `OH`).
    pub asset: String,
}

impl FakeInstrument {
    fn is_listed(&self, d: NaiveDate) -> bool {
        self.listed <= d && d <= self.expiration
    }
}

/// Daily prices of one instrument: settlement and close.
type Daily = BTreeMap<NaiveDate, (Option<f64>, Option<f64>)>;

/// One day's settlement and close.
pub(crate) type DayPrices = (NaiveDate, (Option<f64>, Option<f64>));

/// Where the instruments' prices come from.
#[derive(Debug, Clone)]
enum Prices {
    /// Kept, one series per instrument (a market's).
    Stored(Vec<Daily>),
    /// Computed when asked (the realistic universe: too many to keep).
    Model(std::sync::Arc<dyn PriceModel>),
}

/// Prices computed when asked, instead of kept.
pub(crate) trait PriceModel: std::fmt::Debug + Send + Sync {
    /// The settlements and closes of instrument `i` (number `n`) dated in `[from, to]`, in
    /// date order.
    fn daily(&self, n: usize, i: &FakeInstrument, from: NaiveDate, to: NaiveDate) -> Vec<DayPrices>;
}

/// The market, indexed for serving.
#[derive(Debug, Clone)]
pub struct Universe {
    instruments: Vec<FakeInstrument>,
    /// Instruments by raw symbol: several when a symbol's one-digit year comes round again
    /// (`HOH5` of 2015 and of 2025).
    by_raw: HashMap<String, Vec<usize>>,
    prices: Prices,
    /// The first and last sessions; `None` for a market without any.
    sessions: Option<(NaiveDate, NaiveDate)>,
}

/// The UTC date of UNIX nanoseconds `ns` (the last date they reach past `i64::MAX`).
pub fn ns_date(ns: u64) -> NaiveDate {
    DateTime::from_timestamp_nanos(i64::try_from(ns).unwrap_or(i64::MAX)).date_naive()
}

/// UNIX nanoseconds of `d` at `h:m` UTC.
pub fn ns_at(d: NaiveDate, h: u32, m: u32) -> u64 {
    let t = NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
    d.and_time(t).and_utc().timestamp_nanos_opt().and_then(|n| u64::try_from(n).ok()).unwrap_or(0)
}

fn fixed(v: f64) -> i64 {
    (v * 1e9).round() as i64
}

fn cstr<const N: usize>(s: &str) -> [c_char; N] {
    str_to_c_chars(s).unwrap_or([0; N])
}

impl Universe {
    /// Index `market`: ids by symbol order (futures first), listing from the first
    /// priced date (or the calendar's first session; in a market without sessions, which
    /// publishes nothing, from the expiration).
    pub fn from_market(market: &MarketData) -> Self {
        let sessions = market.calendar().span();
        let listed = |p: &Daily, expiration: NaiveDate| {
            p.keys().next().copied().or(sessions.map(|(first, _)| first)).map_or(expiration, |d| d.min(expiration))
        };
        let product = &market.product;
        let mut instruments = Vec::new();
        let mut prices = Vec::new();
        let daily = |series: &mut dyn Iterator<Item = (NaiveDate, DailyPrices)>| -> Daily {
            let value = |p: &DailyPrices, src| p.get(src).map(|p| p.value());
            series.map(|(d, p)| (d, (value(&p, PriceSource::Settlement), value(&p, PriceSource::Close)))).collect()
        };
        for f in market.futures() {
            let p = daily(&mut market.future_series(&f.symbol));
            instruments.push(FakeInstrument {
                id: 0,
                raw: f.symbol.to_string(),
                class: b'F',
                strike: None,
                expiration: f.expiration,
                underlying: String::new(),
                listed: listed(&p, f.expiration),
                parent: product.futures_parent(),
                asset: product.futures_root.to_string(),
            });
            prices.push(p);
        }
        for o in market.options() {
            let p = daily(&mut market.option_series(&o.symbol));
            instruments.push(FakeInstrument {
                id: 0,
                raw: o.symbol.to_string(),
                class: o.kind().letter() as u8,
                strike: Some(o.strike.value()),
                expiration: o.expiration,
                underlying: o.underlying.to_string(),
                listed: listed(&p, o.expiration),
                parent: product.options_parent(),
                asset: product.options_root.to_string(),
            });
            prices.push(p);
        }
        Self::new(instruments, Prices::Stored(prices), sessions)
    }

    /// The realistic universe: its instruments, prices computed when asked.
    pub(crate) fn modelled(
        instruments: Vec<FakeInstrument>,
        model: impl PriceModel + 'static,
        sessions: (NaiveDate, NaiveDate),
    ) -> Self {
        Self::new(instruments, Prices::Model(std::sync::Arc::new(model)), Some(sessions))
    }

    /// Number `instruments` (ids from 100,000) and index them by raw symbol.
    fn new(mut instruments: Vec<FakeInstrument>, prices: Prices, sessions: Option<(NaiveDate, NaiveDate)>) -> Self {
        let mut by_raw: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, inst) in instruments.iter_mut().enumerate() {
            inst.id = 100_000 + i as u32;
            by_raw.entry(inst.raw.clone()).or_default().push(i);
        }
        Self { instruments, by_raw, prices, sessions }
    }

    /// The settlements and closes of instrument `n` dated in `[from, to]`, in date order.
    fn daily(&self, n: usize, from: NaiveDate, to: NaiveDate) -> Vec<DayPrices> {
        match &self.prices {
            Prices::Stored(all) => all[n].range(from..=to).map(|(d, p)| (*d, *p)).collect(),
            Prices::Model(model) => model.daily(n, &self.instruments[n], from, to),
        }
    }

    /// All instruments.
    pub fn instruments(&self) -> &[FakeInstrument] {
        &self.instruments
    }

    /// The dates published, `[start, end)`: from the first session to two days after the
    /// last, so the last session's final settlement (published after midnight UTC) is
    /// inside; `None` for a market without sessions.
    pub fn available(&self) -> Option<(NaiveDate, NaiveDate)> {
        let (first, last) = self.sessions?;
        Some((first, last.checked_add_days(Days::new(2)).unwrap_or(last)))
    }

    /// Instruments named by `symbols` in symbology `stype_in` (`parent`, `raw_symbol`,
    /// `instrument_id`), in universe order, and the symbols that matched nothing.
    pub fn select(&self, stype_in: dbn::SType, symbols: &[String]) -> (Vec<usize>, Vec<String>) {
        let mut picked = Vec::new();
        let mut not_found = Vec::new();
        for s in symbols {
            let before = picked.len();
            match stype_in {
                dbn::SType::Parent => {
                    picked.extend(self.instruments.iter().enumerate().filter(|(_, i)| &i.parent == s).map(|(n, _)| n))
                }
                dbn::SType::InstrumentId => {
                    picked.extend(s.parse::<u32>().ok().and_then(|id| self.instruments.iter().position(|i| i.id == id)))
                }
                _ => picked.extend(self.by_raw.get(s).into_iter().flatten().copied()),
            }
            if picked.len() == before {
                not_found.push(s.clone());
            }
        }
        picked.sort_unstable();
        picked.dedup();
        (picked, not_found)
    }

    /// The instrument at `index`.
    pub fn get(&self, index: usize) -> &FakeInstrument {
        &self.instruments[index]
    }

    /// The dates of the instants in `[start, end)`.
    fn days(start: u64, end: u64) -> impl Iterator<Item = NaiveDate> {
        let last = ns_date(end.saturating_sub(1));
        ns_date(start).iter_days().take_while(move |d| *d <= last)
    }

    /// Definition snapshots of `picked` for each day with `ts_recv` in `[start, end)`.
    pub fn definitions(&self, picked: &[usize], start: u64, end: u64) -> Vec<(InstrumentDefMsg, usize)> {
        let mut out = Vec::new();
        for d in Self::days(start, end) {
            let ts = ns_at(d, 0, 0);
            if ts < start || ts >= end {
                continue;
            }
            for &n in picked {
                let i = &self.instruments[n];
                if i.is_listed(d) {
                    out.push((self.definition(i, ts), n));
                }
            }
        }
        out
    }

    fn definition(&self, i: &FakeInstrument, ts: u64) -> InstrumentDefMsg {
        let option = i.class != b'F';
        InstrumentDefMsg {
            hd: RecordHeader::new::<InstrumentDefMsg>(rtype::INSTRUMENT_DEF, PUBLISHER, i.id, ts),
            ts_recv: ts,
            min_price_increment: 100_000,
            display_factor: 1_000_000_000,
            expiration: ns_at(i.expiration, 18, 30),
            activation: ns_at(i.listed, 0, 0),
            strike_price: i.strike.map_or(UNDEF_PRICE, fixed),
            raw_symbol: cstr(&i.raw),
            asset: cstr(&i.asset),
            security_type: cstr(if option { "OOF" } else { "FUT" }),
            underlying: cstr(&i.underlying),
            currency: cstr("USD"),
            exchange: cstr("XNYM"),
            group: cstr(&i.asset),
            cfi: cstr(match i.class {
                b'C' => "OCAFPS",
                b'P' => "OPAFPS",
                _ => "FCEPSX",
            }),
            instrument_class: i.class as c_char,
            security_update_action: b'A' as c_char,
            ..InstrumentDefMsg::default()
        }
    }

    /// Statistics of `picked` with `ts_recv` in `[start, end)`, in `ts_recv` order.
    pub fn statistics(&self, picked: &[usize], start: u64, end: u64) -> Vec<(StatMsg, usize)> {
        let mut out = Vec::new();
        for &n in picked {
            let i = &self.instruments[n];
            // A day's final settlement is received the next day.
            let from = ns_date(start.saturating_sub(DAY_NS));
            for (d, (settle, _)) in self.daily(n, from, ns_date(end.saturating_sub(1))) {
                let Some(settle) = settle else { continue };
                let next = d.succ_opt().unwrap_or(d);
                let records = [
                    (ns_at(d, 12, 0), 9, UNDEF_PRICE, 1_000, 0),
                    (ns_at(d, 19, 30), 3, fixed(settle + 0.0001), dbn::v3::UNDEF_STAT_QUANTITY, 2),
                    (ns_at(next, 0, 30), 3, fixed(settle), dbn::v3::UNDEF_STAT_QUANTITY, 3),
                ];
                for (ts, stat_type, price, quantity, flags) in records {
                    if ts < start || ts >= end {
                        continue;
                    }
                    out.push((
                        StatMsg {
                            hd: RecordHeader::new::<StatMsg>(rtype::STATISTICS, PUBLISHER, i.id, ts),
                            ts_recv: ts,
                            ts_ref: ns_at(d, 0, 0),
                            price,
                            quantity,
                            stat_type,
                            update_action: 1,
                            stat_flags: flags,
                            ..StatMsg::default()
                        },
                        n,
                    ));
                }
            }
        }
        out.sort_by_key(|(s, _)| (s.ts_recv, s.hd.instrument_id));
        out
    }

    /// Daily bars of `picked` starting in `[start, end)`, in time order.
    pub fn bars(&self, picked: &[usize], start: u64, end: u64) -> Vec<(OhlcvMsg, usize)> {
        let mut out = Vec::new();
        for &n in picked {
            let i = &self.instruments[n];
            for (d, (_, close)) in self.daily(n, ns_date(start), ns_date(end.saturating_sub(1))) {
                let (Some(close), ts) = (close, ns_at(d, 0, 0)) else {
                    continue;
                };
                if ts < start || ts >= end {
                    continue;
                }
                let px = fixed(close);
                out.push((
                    OhlcvMsg {
                        hd: RecordHeader::new::<OhlcvMsg>(rtype::OHLCV_1D, PUBLISHER, i.id, ts),
                        open: px,
                        high: px,
                        low: px,
                        close: px,
                        volume: 1 + (i.id % 50) as u64,
                    },
                    n,
                ));
            }
        }
        out.sort_by_key(|(b, _)| (b.hd.ts_event, b.hd.instrument_id));
        out
    }

    /// The `[d0, d1)` window `picked[n]` is listed within `[start, end)` dates, if any.
    pub fn window(&self, n: usize, start: NaiveDate, end: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let i = &self.instruments[n];
        let d0 = i.listed.max(start);
        let d1 = i.expiration.succ_opt().unwrap_or(i.expiration).min(end);
        (d0 < d1).then_some((d0, d1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::{synthetic_market, FIRST_SESSION, LAST_SESSION};
    use deltaroll_core::market::{MarketBuilder, Provenance};
    use deltaroll_core::product::ProductSpec;

    #[test]
    fn the_published_dates_run_from_the_first_session_to_two_days_after_the_last() {
        let universe = Universe::from_market(&synthetic_market());
        let end = LAST_SESSION.checked_add_days(Days::new(2)).unwrap();
        assert_eq!(universe.available(), Some((FIRST_SESSION, end)));
        assert!(universe.instruments().iter().all(|i| FIRST_SESSION <= i.listed && i.listed <= i.expiration));
        let empty = MarketBuilder::new(ProductSpec::heating_oil(), Provenance::SimulatedDemo).build();
        assert_eq!(Universe::from_market(&empty).available(), None, "a market without sessions publishes nothing");
    }

    #[test]
    fn days_are_those_of_the_instants_in_the_range() {
        let (jan2, jan4) = (NaiveDate::from_ymd_opt(2025, 1, 2).unwrap(), NaiveDate::from_ymd_opt(2025, 1, 4).unwrap());
        let days: Vec<NaiveDate> = Universe::days(ns_at(jan2, 0, 0), ns_at(jan4, 0, 0)).collect();
        assert_eq!(days, [jan2, jan2.succ_opt().unwrap()]);
        assert_eq!(ns_date(ns_at(jan4, 23, 59)), jan4);
        assert_eq!(ns_date(u64::MAX), DateTime::from_timestamp_nanos(i64::MAX).date_naive());
    }
}
