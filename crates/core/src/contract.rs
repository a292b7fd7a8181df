//! CME contract vocabulary: contract months, product roots, futures and option symbols.
//!
//! Symbols are parsed once at the edge (`HOH5`, `OHH5 C24000`) into types; the one-digit
//! year of a Globex symbol gets its decade from the date of the record it came with.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::parse::{named, Named, ParseError};

/// CME month codes, January first.
const MONTH_CODES: [char; 12] = ['F', 'G', 'H', 'J', 'K', 'M', 'N', 'Q', 'U', 'V', 'X', 'Z'];

/// A contract month (delivery month) such as March 2025: a month of the dates chrono can
/// represent, held as its first day, so its first and last days always exist.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ContractMonth {
    /// Day 1 of the month (the order of months is the order of their first days).
    first: NaiveDate,
}

impl ContractMonth {
    /// The earliest month there is: [`NaiveDate::MIN`] is a January 1.
    const EARLIEST: Self = Self { first: NaiveDate::MIN };

    /// The latest month there is: [`NaiveDate::MAX`] is a December 31, 30 days after
    /// December 1 (checked when this compiles).
    const LATEST: Self = match NaiveDate::MAX.checked_sub_days(Days::new(30)) {
        Some(first) => Self { first },
        None => panic!("NaiveDate::MAX is a December 31"),
    };

    /// A contract month; `None` unless `month` is 1..=12 and the year one chrono can
    /// represent.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|first| Self { first })
    }

    /// The calendar month that contains `date`.
    pub fn of(date: NaiveDate) -> Self {
        // `date`'s own month, whose day 1 is no earlier than `NaiveDate::MIN` (a January 1).
        let first = date.with_day(1).expect("every date's month has a day 1");
        Self { first }
    }

    /// Calendar year.
    pub fn year(self) -> i32 {
        self.first.year()
    }

    /// Month number, 1 = January.
    pub fn month(self) -> u32 {
        self.first.month()
    }

    /// The CME month code letter (`H` for March).
    pub fn code(self) -> char {
        MONTH_CODES[self.index()]
    }

    /// The month `n` months later (earlier when negative), saturating at the earliest and
    /// latest months chrono can represent (some 262,000 years away).
    pub fn add_months(self, n: i32) -> Self {
        let months = Months::new(n.unsigned_abs());
        let (moved, bound) = if n >= 0 {
            (self.first.checked_add_months(months), Self::LATEST)
        } else {
            (self.first.checked_sub_months(months), Self::EARLIEST)
        };
        moved.map_or(bound, |first| Self { first })
    }

    /// Signed number of months from `other` to `self`.
    pub fn months_since(self, other: Self) -> i32 {
        (self.year() - other.year()) * 12 + self.month() as i32 - other.month() as i32
    }

    /// First calendar day of the month.
    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    /// Last calendar day of the month.
    pub fn last_day(self) -> NaiveDate {
        let days = u64::from(self.first.num_days_in_month());
        // A day of the same month as `first`, so no later than `NaiveDate::MAX` (a December 31).
        self.first.checked_add_days(Days::new(days - 1)).expect("a month's last day exists when its first does")
    }

    /// Every month from `self` to `last` inclusive.
    pub fn through(self, last: Self) -> impl Iterator<Item = ContractMonth> {
        let count = last.months_since(self).max(-1) + 1;
        (0..count).map(move |i| self.add_months(i))
    }

    /// Month from its CME code letter and a one-digit year, with the decade taken from
    /// `reference` (the date of the record the symbol came with): the month lies in the
    /// ten-year window that starts two months before `reference`'s month (a contract is
    /// never quoted long after its month, and never listed ten years ahead).
    pub fn from_code(code: char, year_digit: u32, reference: NaiveDate) -> Result<Self, ParseError> {
        let month = MONTH_CODES
            .iter()
            .position(|&c| c == code)
            .ok_or_else(|| ParseError::new(&code.to_string(), "a CME month code", "F G H J K M N Q U V X Z"))?
            as i32
            + 1;
        let earliest = Self::of(reference).add_months(-2);
        // The month of that code in the decade of `earliest`, then ten years on if earlier.
        let years = year_digit as i32 - earliest.year().rem_euclid(10);
        let mut offset = years * 12 + month - earliest.month() as i32;
        if offset < 0 {
            offset += 120;
        }
        Ok(earliest.add_months(offset))
    }

    fn index(self) -> usize {
        self.first.month0() as usize
    }
}

impl fmt::Debug for ContractMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContractMonth").field("year", &self.year()).field("month", &self.month()).finish()
    }
}

impl fmt::Display for ContractMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl FromStr for ContractMonth {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseError::new(s, "a contract month", "YYYY-MM");
        let (y, m) = s.split_once('-').ok_or_else(err)?;
        let (year, month) = (y.parse().map_err(|_| err())?, m.parse().map_err(|_| err())?);
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        Self::new(year, month).ok_or_else(err)
    }
}

impl TryFrom<String> for ContractMonth {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<ContractMonth> for String {
    fn from(m: ContractMonth) -> Self {
        m.to_string()
    }
}

/// Longest product root accepted.
const ROOT_MAX: usize = 5;

/// A CME product root such as `HO` (futures) or `OH` (options): 1–5 upper-case ASCII
/// letters or digits, stored inline so symbols are `Copy` and compare fast.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Root {
    /// The characters, zero-padded (so byte order is string order).
    bytes: [u8; ROOT_MAX],
}

impl Root {
    /// A root written in this crate's source, known to be valid.
    pub(crate) fn known(s: &'static str) -> Self {
        s.parse().unwrap_or(Self { bytes: [b'X', 0, 0, 0, 0] })
    }

    /// The root's text.
    pub fn as_str(&self) -> &str {
        let len = self.bytes.iter().position(|&b| b == 0).unwrap_or(ROOT_MAX);
        std::str::from_utf8(&self.bytes[..len]).unwrap_or_default()
    }
}

impl FromStr for Root {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = (1..=ROOT_MAX).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !ok {
            return Err(ParseError::new(s, "a product root", "1-5 upper-case letters or digits, e.g. HO"));
        }
        let mut bytes = [0; ROOT_MAX];
        bytes[..s.len()].copy_from_slice(s.as_bytes());
        Ok(Self { bytes })
    }
}

impl TryFrom<String> for Root {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Root> for String {
    fn from(r: Root) -> Self {
        r.as_str().to_owned()
    }
}

impl fmt::Display for Root {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Root {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Root({})", self.as_str())
    }
}

/// Call or put.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum OptionKind {
    /// Right to buy the future.
    #[default]
    Call,
    /// Right to sell the future.
    Put,
}

named! {
    OptionKind, "an option type";
    Call => "call", "Calls";
    Put => "put", "Puts";
}

impl OptionKind {
    /// The letter used in CME option symbols and Databento's `instrument_class`.
    pub fn letter(self) -> char {
        match self {
            Self::Call => 'C',
            Self::Put => 'P',
        }
    }

    /// From the symbol / `instrument_class` letter.
    pub fn from_letter(c: char) -> Option<Self> {
        match c {
            'C' => Some(Self::Call),
            'P' => Some(Self::Put),
            _ => None,
        }
    }

    /// The value at expiration of an option struck at `strike` with its future at
    /// `forward`: max(F − K, 0) for a call, max(K − F, 0) for a put.
    pub fn intrinsic(self, forward: f64, strike: f64) -> f64 {
        match self {
            Self::Call => (forward - strike).max(0.0),
            Self::Put => (strike - forward).max(0.0),
        }
    }
}

impl fmt::Display for OptionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OptionKind {
    type Err = ParseError;
    /// `call` or `put`, any case; `c` and `p` too.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "c" => Ok(Self::Call),
            "p" => Ok(Self::Put),
            code => Self::from_code(code).map_err(|e| ParseError { text: s.to_owned(), ..e }),
        }
    }
}

/// An outright futures contract: root and contract month (`HOH5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FuturesSymbol {
    /// Product root, e.g. `HO`.
    pub root: Root,
    /// Contract (delivery) month.
    pub month: ContractMonth,
}

impl FuturesSymbol {
    /// Parse a Globex outright symbol such as `HOH5`; the decade comes from `reference`.
    /// Spreads (`HOH5-HOJ5`, `HO:BF ...`) are rejected.
    pub fn parse(text: &str, reference: NaiveDate) -> Result<Self, ParseError> {
        let err = || ParseError::new(text, "a futures symbol", "like HOH5: root, month code, year digit");
        let bytes = text.as_bytes();
        if bytes.len() < 3 || !text.is_ascii() {
            return Err(err());
        }
        let (root, tail) = text.split_at(text.len() - 2);
        let mut tail = tail.chars();
        let (code, digit) = (tail.next().ok_or_else(err)?, tail.next().ok_or_else(err)?);
        let digit = digit.to_digit(10).ok_or_else(err)?;
        let root: Root = root.parse().map_err(|_| err())?;
        let month = ContractMonth::from_code(code, digit, reference).map_err(|_| err())?;
        Ok(Self { root, month })
    }
}

impl fmt::Display for FuturesSymbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{}", self.root, self.month.code(), self.month.year().rem_euclid(10))
    }
}

/// An option on a futures contract (`OHH5 C24000`): option root, contract month, kind and
/// the strike exactly as the exchange writes it in the symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OptionSymbol {
    /// Option product root, e.g. `OH`.
    pub root: Root,
    /// Contract month (the underlying future's month for monthly options).
    pub month: ContractMonth,
    /// Call or put.
    pub kind: OptionKind,
    /// Strike as written in the symbol (`24000`); its scale depends on the product.
    pub strike_code: StrikeCode,
}

impl OptionSymbol {
    /// Parse `OHH5 C24000`; the decade comes from `reference`.
    pub fn parse(text: &str, reference: NaiveDate) -> Result<Self, ParseError> {
        let err =
            || ParseError::new(text, "an option symbol", "like `OHH5 C24000`: root, month, year, space, C/P, strike");
        let (head, tail) = text.split_once(' ').ok_or_else(err)?;
        let fut = FuturesSymbol::parse(head, reference).map_err(|_| err())?;
        let mut chars = tail.chars();
        let kind = chars.next().and_then(OptionKind::from_letter).ok_or_else(err)?;
        let strike_code = chars.as_str().parse().map_err(|_| err())?;
        Ok(Self { root: fut.root, month: fut.month, kind, strike_code })
    }
}

impl fmt::Display for OptionSymbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let head = FuturesSymbol { root: self.root, month: self.month };
        write!(f, "{head} {}{}", self.kind.letter(), self.strike_code)
    }
}

/// The strike of an option symbol as the exchange writes it: an optional minus and
/// digits (`24000`, `-0070`), kept as a number and its digit count so leading zeros
/// survive, symbols are `Copy`, and strikes order numerically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StrikeCode {
    value: i64,
    digits: u8,
}

impl StrikeCode {
    /// The strike in price units, given how many symbol units make one price unit
    /// (10,000 for OH: `24000` → 2.4 USD/gal).
    pub fn to_price(self, units_per_price: f64) -> f64 {
        self.value as f64 / units_per_price
    }

    /// The code for a strike price, given the product's scale (2.4 → `24000` for OH).
    pub fn from_price(price: f64, units_per_price: f64) -> Self {
        let value = (price * units_per_price).round() as i64;
        Self { value, digits: value.unsigned_abs().to_string().len() as u8 }
    }
}

impl FromStr for StrikeCode {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, ParseError> {
        let err = || ParseError::new(s, "a strike code", "digits, e.g. 24000");
        let digits = s.strip_prefix('-').unwrap_or(s);
        if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let magnitude: i64 = digits.parse().map_err(|_| err())?;
        let value = if s.starts_with('-') { -magnitude } else { magnitude };
        Ok(Self { value, digits: digits.len() as u8 })
    }
}

impl TryFrom<String> for StrikeCode {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<StrikeCode> for String {
    fn from(s: StrikeCode) -> Self {
        s.to_string()
    }
}

impl fmt::Display for StrikeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.value < 0 { "-" } else { "" };
        write!(f, "{sign}{:0width$}", self.value.unsigned_abs(), width = self.digits as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn decade_comes_from_the_record_date() {
        let june_2010 = d(2010, 6, 7);
        let parse = |s| FuturesSymbol::parse(s, june_2010).unwrap().month;
        assert_eq!(parse("HON0"), ContractMonth::new(2010, 7).unwrap());
        assert_eq!(parse("HOF1"), ContractMonth::new(2011, 1).unwrap());
        assert_eq!(parse("HOZ2"), ContractMonth::new(2012, 12).unwrap());
        assert_eq!(parse("HOM9"), ContractMonth::new(2019, 6).unwrap());
        let jan_2025 = d(2025, 1, 2);
        assert_eq!(FuturesSymbol::parse("HOH5", jan_2025).unwrap().month, ContractMonth::new(2025, 3).unwrap());
        assert_eq!(FuturesSymbol::parse("HOF4", jan_2025).unwrap().month, ContractMonth::new(2034, 1).unwrap());
        assert_eq!(FuturesSymbol::parse("HOZ4", jan_2025).unwrap().month, ContractMonth::new(2024, 12).unwrap());
    }

    #[test]
    fn symbols_round_trip() {
        let r = d(2025, 1, 2);
        for s in ["HOH5", "HOZ9", "CLF6"] {
            assert_eq!(FuturesSymbol::parse(s, r).unwrap().to_string(), s);
        }
        for s in ["OHH5 C24000", "OHG2 P1950", "L0BZ3 C-0070", "OHH5 C00500", "OHH5 C0"] {
            assert_eq!(OptionSymbol::parse(s, r).unwrap().to_string(), s);
        }
        let o = OptionSymbol::parse("OHH5 C24000", r).unwrap();
        assert_eq!(o.kind, OptionKind::Call);
        assert!((o.strike_code.to_price(10_000.0) - 2.4).abs() < 1e-12);
        assert_eq!(StrikeCode::from_price(2.4, 10_000.0).to_string(), "24000");
    }

    #[test]
    fn spreads_and_garbage_are_rejected() {
        let r = d(2025, 1, 2);
        for s in ["HOH5-HOJ5", "HO:BF K5-M5-N5", "", "H", "hoh5", "HOA5", "HOHX", "ÅÅH5"] {
            assert!(FuturesSymbol::parse(s, r).is_err(), "{s}");
        }
        for s in ["OHH5", "OHH5 X24000", "OHH5 C", "OHH5 C24a00", "OHH5-C24000"] {
            assert!(OptionSymbol::parse(s, r).is_err(), "{s}");
        }
    }

    #[test]
    fn every_month_has_a_first_and_a_last_day() {
        let (earliest, latest) = (ContractMonth::of(NaiveDate::MIN), ContractMonth::of(NaiveDate::MAX));
        assert_eq!((earliest.first_day(), latest.last_day()), (NaiveDate::MIN, NaiveDate::MAX));
        assert_eq!(earliest.add_months(-1), earliest, "saturates");
        assert_eq!(latest.add_months(1), latest, "saturates");
        assert_eq!(latest.add_months(i32::MIN), earliest);
        assert_eq!(ContractMonth::new(2024, 2).unwrap().last_day(), d(2024, 2, 29));
        assert_eq!(ContractMonth::new(NaiveDate::MAX.year() + 1, 1), None, "beyond chrono's dates");
        assert_eq!(ContractMonth::new(2025, 0), None);
        assert_eq!(format!("{:?}", ContractMonth::new(2025, 3).unwrap()), "ContractMonth { year: 2025, month: 3 }");
        let r = d(2025, 1, 2);
        assert_eq!(ContractMonth::from_code('F', 4, r).ok(), ContractMonth::new(2034, 1));
        assert_eq!(ContractMonth::from_code('Z', 4, r).ok(), ContractMonth::new(2024, 12));
        assert_eq!(ContractMonth::from_code('N', 0, d(2010, 6, 7)).unwrap(), ContractMonth::new(2010, 7).unwrap());
    }

    #[test]
    fn month_arithmetic() {
        let m = ContractMonth::new(2025, 11).unwrap();
        assert_eq!(m.add_months(2), ContractMonth::new(2026, 1).unwrap());
        assert_eq!(m.add_months(-11), ContractMonth::new(2024, 12).unwrap());
        assert_eq!(m.add_months(2).months_since(m), 2);
        assert_eq!(m.last_day(), d(2025, 11, 30));
        assert_eq!(m.through(m.add_months(2)).count(), 3);
        assert_eq!(m.through(m.add_months(-1)).count(), 0);
        assert_eq!("2025-03".parse::<ContractMonth>().unwrap().code(), 'H');
        assert!("2025-13".parse::<ContractMonth>().is_err());
        assert!("25-03".parse::<ContractMonth>().is_err());
    }
}
