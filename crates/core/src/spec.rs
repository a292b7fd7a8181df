//! The run spec: what the user asks for, validated field by field so every front end
//! (web form, CLI flags, share link) explains bad input the same way.

use std::fmt;
use std::str::FromStr;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::contract::{ContractMonth, OptionKind};
use crate::legs::{leg_text, MAX_LEGS};
use crate::market::PriceSource;
use crate::parse::ParseError;
use crate::position::{Leg, Side};
use crate::pricing::{DeltaConvention, Model};
use crate::product::ProductSpec;

/// How each candidate's volatility is found on the roll date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum VolSource {
    /// Each strike's implied vol from its own price (the default).
    #[default]
    OwnPrice,
    /// One implied vol for the whole chain: that of the strike nearest the forward.
    AtmImplied,
    /// Historical close-to-close vol of the target future over `days` sessions before the
    /// roll date (the old tool's method, kept for comparison).
    Historical {
        /// Number of daily log returns.
        days: u32,
    },
}

impl VolSource {
    /// The days of historical vol offered when it is picked.
    pub const DEFAULT_HIST_DAYS: &'static str = "20";

    /// `own`, `atm` or `hist:N`.
    pub fn code(self) -> String {
        match self {
            Self::OwnPrice => "own".to_owned(),
            Self::AtmImplied => "atm".to_owned(),
            Self::Historical { days } => format!("hist:{days}"),
        }
    }
}

impl fmt::Display for VolSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl FromStr for VolSource {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "own" => Ok(Self::OwnPrice),
            "atm" => Ok(Self::AtmImplied),
            t => t
                .strip_prefix("hist:")
                .and_then(|n| n.trim().parse().ok())
                .map(|days| Self::Historical { days })
                .ok_or_else(|| ParseError::new(s, "a vol source", "own, atm or hist:N, e.g. hist:20")),
        }
    }
}

/// Everything that defines a run. Same spec and same market → same report, byte for byte.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSpec {
    /// Product and its Databento names.
    pub product: ProductSpec,
    /// First output date (inclusive).
    pub start: NaiveDate,
    /// Last output date (inclusive).
    pub end: NaiveDate,
    /// k: on month M the option on the month M+k future is chosen.
    pub months_ahead: u32,
    /// Calls or puts.
    pub kind: OptionKind,
    /// Target delta, as a magnitude in (0, 1) (0.15; a put's delta −0.15 targets 0.15).
    pub target_delta: f64,
    /// Half-width of the accepted band around the target (0.02).
    pub band: f64,
    /// Settlement or trade close, for futures and options alike.
    pub price_source: PriceSource,
    /// How candidates' volatilities are found.
    pub vol_source: VolSource,
    /// Continuously compounded discount rate (0.04).
    pub rate: f64,
    /// Which delta is matched and reported.
    pub delta_convention: DeltaConvention,
    /// With trade closes only, how many trade dates old a candidate's close may be on a
    /// roll date (5); such a price is marked stale.
    #[serde(default = "default_stale_days")]
    pub stale_days: u32,
    /// The pricing model of implied vols and deltas (Black-76 unless chosen; specs
    /// written before the choice existed read as Black-76).
    #[serde(default)]
    pub model: Model,
    /// Fee in USD per contract, charged when an option enters the position (P&L only; 0).
    #[serde(default)]
    pub fee: f64,
    /// The legs given (at most [`MAX_LEGS`]); empty: one long leg of the options that
    /// `kind`, `target_delta` and `months_ahead` choose (specs before legs read so).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legs: Vec<Leg>,
}

/// What is wrong with a given leg, if anything: its delta, months ahead or quantity.
fn leg_problem(leg: &Leg) -> Option<String> {
    if !(leg.target_delta > 0.0 && leg.target_delta < 1.0) {
        Some(format!("the target delta must be strictly between 0 and 1 (got {}).", leg.target_delta))
    } else if !(1..=24).contains(&leg.months_ahead) {
        Some(format!("months ahead must be between 1 and 24 (got {}).", leg.months_ahead))
    } else if !(1..=1000).contains(&leg.quantity) {
        Some(format!("the quantity must be a whole number of contracts from 1 to 1000 (got {}).", leg.quantity))
    } else {
        None
    }
}

/// The default stale window, in trade dates.
pub const DEFAULT_STALE_DAYS: u32 = 5;

fn default_stale_days() -> u32 {
    DEFAULT_STALE_DAYS
}

/// What a problem with a [`RunSpec`] is about, for pointing messages at form fields and
/// flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecField {
    /// The start and end dates together (their order, the range's length).
    Dates,
    /// One setting, by its key in [`crate::settings::SETTINGS`].
    Setting(&'static str),
}

/// One reason a spec cannot run, with the field it concerns.
#[derive(Debug, Clone, PartialEq, Error, Serialize)]
#[error("{message}")]
pub struct SpecError {
    /// The field to fix.
    pub field: SpecField,
    /// What is wrong and what to do.
    pub message: String,
}

/// Longest range a run accepts, in years.
pub const MAX_YEARS: i64 = 30;

impl RunSpec {
    /// The default strategy (HO/OH, calls, delta 0.15 ± 0.02, two months ahead, settlement,
    /// own-price implied vol, 4% rate, Black-76) over `[start, end]`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Self {
        Self {
            product: ProductSpec::heating_oil(),
            start,
            end,
            months_ahead: 2,
            kind: OptionKind::Call,
            target_delta: 0.15,
            band: 0.02,
            price_source: PriceSource::Settlement,
            vol_source: VolSource::OwnPrice,
            rate: 0.04,
            delta_convention: DeltaConvention::default(),
            stale_days: DEFAULT_STALE_DAYS,
            model: Model::default(),
            fee: 0.0,
            legs: Vec::new(),
        }
    }

    /// The run's legs: those given, else one long contract of each option that `kind`,
    /// `target_delta` and `months_ahead` choose.
    pub fn legs(&self) -> Vec<Leg> {
        if !self.legs.is_empty() {
            return self.legs.clone();
        }
        vec![Leg {
            side: Side::Long,
            kind: self.kind,
            target_delta: self.target_delta,
            months_ahead: self.months_ahead,
            quantity: 1,
        }]
    }

    /// The spec one leg chooses its options by: this one with the leg's option type,
    /// target delta and months ahead, and no legs of its own.
    pub fn for_leg(&self, leg: &Leg) -> RunSpec {
        RunSpec {
            kind: leg.kind,
            target_delta: leg.target_delta,
            months_ahead: leg.months_ahead,
            legs: Vec::new(),
            ..self.clone()
        }
    }

    /// The largest months ahead of the legs: how far before `start` the rolls begin.
    pub fn max_months_ahead(&self) -> u32 {
        self.legs().iter().map(|l| l.months_ahead).max().unwrap_or(self.months_ahead)
    }

    /// The option types the legs hold, calls first, each once.
    pub fn kinds(&self) -> Vec<OptionKind> {
        let legs = self.legs();
        [OptionKind::Call, OptionKind::Put].into_iter().filter(|k| legs.iter().any(|l| l.kind == *k)).collect()
    }

    /// Every problem with the spec (empty when it can run).
    pub fn validate(&self) -> Vec<SpecError> {
        let mut errors = Vec::new();
        let mut fail = |field, message: String| errors.push(SpecError { field, message });
        if self.end < self.start {
            fail(
                SpecField::Dates,
                format!(
                    "The end date {} is before the start date {}: swap them or pick a later end.",
                    self.end, self.start
                ),
            );
        } else if (self.end - self.start).num_days() > MAX_YEARS * 366 {
            fail(SpecField::Dates, format!("The range is longer than {MAX_YEARS} years: split it into several runs."));
        }
        if self.legs.len() > MAX_LEGS {
            fail(
                SpecField::Setting("legs"),
                format!("A run holds at most {MAX_LEGS} legs (got {}): split it into several runs.", self.legs.len()),
            );
        }
        for (i, leg) in self.legs.iter().enumerate() {
            if let Some(problem) = leg_problem(leg) {
                fail(SpecField::Setting("legs"), format!("Leg {} ({}): {problem}", i + 1, leg_text(leg)));
            }
        }
        if !(1..=24).contains(&self.months_ahead) {
            fail(
                SpecField::Setting("months_ahead"),
                format!(
                    "Months ahead must be between 1 and 24 (got {}): 2 means the option on the future two months out.",
                    self.months_ahead
                ),
            );
        }
        let first_listed = self.product.expiry_rule.futures_months_before;
        if let Some(k) = self.legs().iter().map(|l| l.months_ahead).filter(|k| (1..first_listed).contains(k)).min() {
            let field = if self.legs.is_empty() { "months_ahead" } else { "legs" };
            fail(
                SpecField::Setting(field),
                format!(
                    "Months ahead must be at least {first_listed} for {} (got {k}): its future stops trading {first_listed} months before its contract month, so the month M+{k} future has expired when month M's roll comes.",
                    self.product.name
                ),
            );
        }
        if !(self.target_delta > 0.0 && self.target_delta < 1.0) {
            fail(
                SpecField::Setting("delta"),
                format!(
                    "Target delta must be strictly between 0 and 1 (got {}); for puts give the magnitude, e.g. 0.15.",
                    self.target_delta
                ),
            );
        }
        if !(self.band >= 0.0 && self.band < 1.0) {
            fail(
                SpecField::Setting("band"),
                format!("The delta band must be at least 0 and below 1 (got {}).", self.band),
            );
        }
        if !(self.rate.is_finite() && (-0.5..=1.0).contains(&self.rate)) {
            fail(
                SpecField::Setting("rate"),
                format!("The rate must be a decimal between -0.5 and 1 (got {}); 4% is 0.04.", self.rate),
            );
        }
        if let VolSource::Historical { days } = self.vol_source {
            if !(2..=260).contains(&days) {
                fail(
                    SpecField::Setting("vol_source"),
                    format!("Historical vol needs between 2 and 260 days (got {days})."),
                );
            }
        }
        if self.stale_days > 20 {
            fail(
                SpecField::Setting("stale_days"),
                format!("A stale close may be at most 20 trade dates old (got {}); 5 is usual.", self.stale_days),
            );
        }
        if !(self.fee.is_finite() && self.fee >= 0.0) {
            fail(
                SpecField::Setting("fee"),
                format!("The fee must be a number of USD per contract, 0 or more (got {}).", self.fee),
            );
        }
        errors
    }

    /// The months M whose first trading day is a roll: from month(start) − k to
    /// month(end) (k the largest of the legs'), so options chosen before `start` and still
    /// alive appear.
    pub fn roll_months(&self) -> impl Iterator<Item = ContractMonth> {
        let first = ContractMonth::of(self.start).add_months(-(self.max_months_ahead() as i32));
        first.through(ContractMonth::of(self.end))
    }

    /// The earliest date the run reads data for: the first day of the first roll month,
    /// earlier by the lookback of a historical vol source (its N trade dates, counted
    /// generously in calendar days) so that the first roll has its full window.
    pub fn data_start(&self) -> NaiveDate {
        let first_roll = ContractMonth::of(self.start).add_months(-(self.max_months_ahead() as i32)).first_day();
        match self.vol_source {
            VolSource::Historical { days } => {
                first_roll.checked_sub_days(Days::new(u64::from(days) * 7 / 5 + 14)).unwrap_or(first_roll)
            }
            _ => first_roll,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn default_spec_is_valid_and_rolls_start_k_months_early() {
        let spec = RunSpec::new(d(2021, 12, 1), d(2022, 3, 31));
        assert!(spec.validate().is_empty());
        let months: Vec<_> = spec.roll_months().map(|m| m.to_string()).collect();
        assert_eq!(months, ["2021-10", "2021-11", "2021-12", "2022-01", "2022-02", "2022-03"]);
        assert_eq!(spec.data_start(), d(2021, 10, 1));
    }

    #[test]
    fn impossible_specs_explain_each_field() {
        let mut spec = RunSpec::new(d(2022, 3, 1), d(2022, 1, 1));
        spec.target_delta = 1.2;
        spec.band = -0.1;
        spec.rate = f64::NAN;
        spec.months_ahead = 0;
        spec.vol_source = VolSource::Historical { days: 1 };
        spec.fee = -1.0;
        let fields: Vec<_> = spec.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                SpecField::Dates,
                SpecField::Setting("months_ahead"),
                SpecField::Setting("delta"),
                SpecField::Setting("band"),
                SpecField::Setting("rate"),
                SpecField::Setting("vol_source"),
                SpecField::Setting("fee")
            ]
        );
    }

    #[test]
    fn brent_one_month_ahead_is_refused_because_its_future_has_stopped() {
        let mut spec = RunSpec::new(d(2025, 1, 1), d(2025, 6, 30));
        spec.product = ProductSpec::preset("BZ").unwrap();
        assert!(spec.validate().is_empty(), "two months ahead");
        spec.months_ahead = 1;
        let errors = spec.validate();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, SpecField::Setting("months_ahead"));
        assert!(errors[0].message.starts_with("Months ahead must be at least 2 for Brent last day financial (got 1)"));
        spec.months_ahead = 2;
        spec.legs = crate::legs::parse_legs("short:call:0.15:2,short:put:0.15:1", 2).unwrap();
        assert_eq!(spec.validate()[0].field, SpecField::Setting("legs"));
        spec.product = ProductSpec::heating_oil();
        assert!(spec.validate().is_empty(), "HO one month ahead is listed");
    }

    #[test]
    fn specs_without_a_model_read_as_black76() {
        let mut spec = RunSpec::new(d(2024, 1, 1), d(2024, 6, 30));
        spec.model = Model::Baw;
        let json = serde_json::to_value(&spec).unwrap();
        assert_eq!(json["model"], "baw");
        assert_eq!(serde_json::from_value::<RunSpec>(json.clone()).unwrap(), spec);
        let mut old = json;
        old.as_object_mut().unwrap().remove("model");
        assert_eq!(serde_json::from_value::<RunSpec>(old).unwrap().model, Model::Black76);
    }

    #[test]
    fn vol_source_codes_round_trip() {
        for v in [VolSource::OwnPrice, VolSource::AtmImplied, VolSource::Historical { days: 20 }] {
            assert_eq!(v.code().parse::<VolSource>().unwrap(), v);
        }
        assert!("hist:x".parse::<VolSource>().is_err());
    }
}
