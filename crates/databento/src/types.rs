//! Typed request values: the dataset, symbols, date range and API key are parsed once at
//! the edge, so requests are built from types, never loose strings.

use std::fmt;
use std::str::FromStr;

use chrono::{Days, NaiveDate};
use deltaroll_core::parse::ParseError;
use thiserror::Error;

/// Most symbols one request may carry (Databento's limit for timeseries, symbology and
/// metadata requests).
pub const MAX_SYMBOLS: usize = 2000;

/// Why a request value is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ParamError {
    /// A dataset code that is not like `GLBX.MDP3`.
    #[error(transparent)]
    Dataset(#[from] ParseError),
    /// No symbols at all.
    #[error("a request needs at least one symbol")]
    NoSymbols,
    /// More symbols than Databento accepts in one request.
    #[error("{count} symbols in one request; Databento accepts at most {MAX_SYMBOLS}: split them into batches")]
    TooManySymbols {
        /// How many were given.
        count: usize,
    },
    /// A symbol that is empty, has a comma or a control character.
    #[error("`{0}` is not a symbol Databento accepts (empty, or contains a comma or control character)")]
    Symbol(String),
    /// A date range whose end is not after its start.
    #[error("the date range {start} to {end} is empty: the end (exclusive) must be after the start")]
    EmptyRange {
        /// Inclusive start.
        start: NaiveDate,
        /// Exclusive end.
        end: NaiveDate,
    },
}

/// A Databento dataset code, e.g. `GLBX.MDP3` (CME Globex).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dataset(String);

impl Dataset {
    /// CME Globex MDP 3.0: CME, CBOT, NYMEX and COMEX futures and options.
    pub fn glbx_mdp3() -> Self {
        Self("GLBX.MDP3".to_owned())
    }

    /// The code as sent to the API.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first date Databento has for this dataset, when known without asking
    /// (`GLBX.MDP3`: 2010-06-06), so forms can refuse earlier dates before any request;
    /// `metadata.get_dataset_range` is the authority at run time.
    pub fn known_start(&self) -> Option<NaiveDate> {
        match self.0.as_str() {
            "GLBX.MDP3" => NaiveDate::from_ymd_opt(2010, 6, 6),
            _ => None,
        }
    }
}

impl FromStr for Dataset {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = (3..=16).contains(&s.len())
            && s.matches('.').count() == 1
            && !s.starts_with('.')
            && !s.ends_with('.')
            && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'.');
        ok.then(|| Self(s.to_owned())).ok_or_else(|| {
            ParseError::new(s, "a Databento dataset code", "like GLBX.MDP3: upper-case letters, digits and one dot")
        })
    }
}

impl fmt::Display for Dataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The symbols of one request: at most [`MAX_SYMBOLS`], each non-empty, without commas.
/// Their meaning depends on the request's input symbology (`HOH5`, `OHH5 C24000` as raw
/// symbols; `HO.FUT`, `OH.OPT` as parents).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Symbols(Vec<String>);

impl Symbols {
    /// Validated symbols, in the given order.
    pub fn new<I, S>(symbols: I) -> Result<Self, ParamError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let list: Vec<String> = symbols.into_iter().map(Into::into).collect();
        if list.is_empty() {
            return Err(ParamError::NoSymbols);
        }
        if list.len() > MAX_SYMBOLS {
            return Err(ParamError::TooManySymbols { count: list.len() });
        }
        if let Some(bad) = list.iter().find(|s| s.is_empty() || s.contains(',') || s.chars().any(char::is_control)) {
            return Err(ParamError::Symbol(bad.clone()));
        }
        Ok(Self(list))
    }

    /// One symbol.
    pub fn one(symbol: impl Into<String>) -> Result<Self, ParamError> {
        Self::new([symbol])
    }

    /// The symbols in order.
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// Number of symbols.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Never true for a constructed value; here for the usual pairing with `len`.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The API form: one comma-joined field (`ES.c.0,ES.d.0`).
    pub fn to_api_string(&self) -> String {
        self.0.join(",")
    }

    /// Split any number of symbols into valid batches of at most [`MAX_SYMBOLS`].
    pub fn batches(symbols: &[String]) -> Result<Vec<Self>, ParamError> {
        symbols.chunks(MAX_SYMBOLS).map(|c| Self::new(c.iter().cloned())).collect()
    }
}

impl fmt::Display for Symbols {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [] => f.write_str("(none)"),
            [one] => f.write_str(one),
            [first, rest @ ..] => write!(f, "{first} and {} more", rest.len()),
        }
    }
}

/// A range of UTC dates: `start` inclusive, `end` exclusive (as the API reads them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateRange {
    start: NaiveDate,
    end: NaiveDate,
}

impl DateRange {
    /// `[start, end)`; the end must be after the start.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, ParamError> {
        if end > start {
            Ok(Self { start, end })
        } else {
            Err(ParamError::EmptyRange { start, end })
        }
    }

    /// The single day `date`.
    pub fn day(date: NaiveDate) -> Self {
        Self { start: date, end: next_day(date) }
    }

    /// `[first, last]`, both inclusive.
    pub fn inclusive(first: NaiveDate, last: NaiveDate) -> Result<Self, ParamError> {
        Self::new(first, next_day(last))
    }

    /// Inclusive start.
    pub fn start(self) -> NaiveDate {
        self.start
    }

    /// Exclusive end.
    pub fn end(self) -> NaiveDate {
        self.end
    }

    /// The last date inside the range.
    pub fn last(self) -> NaiveDate {
        self.end.pred_opt().unwrap_or(self.start)
    }

    /// Whether `date` lies inside.
    pub fn contains(self, date: NaiveDate) -> bool {
        self.start <= date && date < self.end
    }

    /// The same range with its end moved `days` later.
    pub fn extend_end(self, days: u64) -> Self {
        Self { start: self.start, end: self.end.checked_add_days(Days::new(days)).unwrap_or(self.end) }
    }

    /// The range cut to end no later than `limit`; `None` if nothing is left.
    pub fn clamp_end(self, limit: NaiveDate) -> Option<Self> {
        Self::new(self.start, self.end.min(limit)).ok()
    }

    /// The part inside `other`; `None` if they do not overlap.
    pub fn intersect(self, other: Self) -> Option<Self> {
        Self::new(self.start.max(other.start), self.end.min(other.end)).ok()
    }

    /// Number of days inside.
    pub fn days(self) -> i64 {
        (self.end - self.start).num_days()
    }

    /// Start as UNIX nanoseconds at 00:00 UTC (what the Rust client sends as `start`).
    pub fn start_ns(self) -> i64 {
        midnight_ns(self.start)
    }

    /// End as UNIX nanoseconds at 00:00 UTC (what the Rust client sends as `end`).
    pub fn end_ns(self) -> i64 {
        midnight_ns(self.end)
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.days() == 1 {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{} to {}", self.start, self.last())
        }
    }
}

fn next_day(date: NaiveDate) -> NaiveDate {
    date.succ_opt().unwrap_or(date)
}

fn midnight_ns(date: NaiveDate) -> i64 {
    date.and_time(chrono::NaiveTime::MIN).and_utc().timestamp_nanos_opt().unwrap_or(i64::MAX)
}

/// Why an API key was refused before any request was sent.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum KeyError {
    /// No key was given.
    #[error("no Databento API key was given: copy one from the API keys page of your Databento portal")]
    Missing,
    /// The text is not shaped like a Databento key (the key itself is not repeated here).
    #[error("that is not a Databento API key: keys are 32 characters starting with `db-` (got {length} characters); copy it again from the API keys page of your Databento portal")]
    Malformed {
        /// Length of what was given, the only thing safe to show.
        length: usize,
    },
}

/// A Databento API key. It is never printable: `Debug` and `Display` show `db-****`, it
/// has no `Serialize`, and it only leaves this crate inside the `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

/// Length of every Databento API key.
pub const KEY_LENGTH: usize = 32;

impl ApiKey {
    /// A key: 32 printable ASCII characters starting with `db-` (surrounding whitespace,
    /// as pasted, is dropped).
    pub fn new(key: &str) -> Result<Self, KeyError> {
        let key = key.trim();
        if key.is_empty() {
            return Err(KeyError::Missing);
        }
        let ok =
            key.len() == KEY_LENGTH && key.starts_with("db-") && key.bytes().all(|b| b.is_ascii_graphic() && b != b':');
        if ok {
            Ok(Self(key.to_owned()))
        } else {
            Err(KeyError::Malformed { length: key.chars().count() })
        }
    }

    /// The `Authorization` header value: HTTP Basic with the key as user name and an empty
    /// password, `Basic base64("<key>:")`.
    pub(crate) fn basic_auth(&self) -> String {
        use base64::Engine as _;
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{}:", self.0));
        format!("Basic {token}")
    }

    /// Replace every occurrence of the key (and of its Basic token) in `text`, for server
    /// messages that might echo it.
    pub(crate) fn redact(&self, text: &str) -> String {
        let token = self.basic_auth();
        let token = token.trim_start_matches("Basic ");
        text.replace(&self.0, "db-****").replace(token, "****")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(db-****)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("db-****")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::testing::d;

    const KEY: &str = "db-TESTKEY0000000000000000000000";

    #[test]
    fn key_is_never_printed() {
        let key = ApiKey::new(KEY).unwrap();
        assert!(!format!("{key:?}").contains("TESTKEY"));
        assert!(!format!("{key}").contains("TESTKEY"));
        assert_eq!(key.basic_auth(), "Basic ZGItVEVTVEtFWTAwMDAwMDAwMDAwMDAwMDAwMDAwMDA6");
        assert_eq!(key.redact(&format!("bad key {KEY}")), "bad key db-****");
        let err = ApiKey::new("db-TESTKEY").unwrap_err();
        assert!(!err.to_string().contains("TESTKEY"));
        assert_eq!(ApiKey::new("  ").unwrap_err(), KeyError::Missing);
        assert!(ApiKey::new(&format!(" {KEY}\n")).is_ok());
        assert!(ApiKey::new("xx-TESTKEY0000000000000000000000").is_err());
        assert!(ApiKey::new("db-TESTKEY000000000000000000000:").is_err());
    }

    #[test]
    fn symbols_are_validated_and_batched() {
        assert_eq!(Symbols::new(["ES.c.0", "ES.d.0"]).unwrap().to_api_string(), "ES.c.0,ES.d.0");
        assert_eq!(Symbols::new(Vec::<String>::new()), Err(ParamError::NoSymbols));
        assert!(Symbols::new(["a,b"]).is_err());
        let many: Vec<String> = (0..4001).map(|i| format!("S{i}")).collect();
        assert_eq!(Symbols::new(many.clone()), Err(ParamError::TooManySymbols { count: 4001 }));
        let batches = Symbols::batches(&many).unwrap();
        assert_eq!(batches.iter().map(Symbols::len).collect::<Vec<_>>(), [2000, 2000, 1]);
    }

    #[test]
    fn dates_and_datasets() {
        let r = DateRange::new(d(2023, 6, 14), d(2023, 6, 17)).unwrap();
        assert_eq!(r.start_ns(), 1_686_700_800_000_000_000);
        assert_eq!(r.end_ns(), 1_686_960_000_000_000_000);
        assert_eq!(r.last(), d(2023, 6, 16));
        assert_eq!(r.to_string(), "2023-06-14 to 2023-06-16");
        assert!(DateRange::new(d(2023, 6, 14), d(2023, 6, 14)).is_err());
        assert_eq!(DateRange::day(d(2024, 2, 28)).end(), d(2024, 2, 29));
        assert_eq!(r.clamp_end(d(2023, 6, 15)).unwrap().end(), d(2023, 6, 15));
        assert!(r.clamp_end(d(2023, 6, 14)).is_none());
        assert_eq!("GLBX.MDP3".parse::<Dataset>().unwrap(), Dataset::glbx_mdp3());
        assert!("glbx.mdp3".parse::<Dataset>().is_err());
        assert!("GLBX".parse::<Dataset>().is_err());
    }
}
