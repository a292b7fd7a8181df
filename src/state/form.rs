//! The strategy form: what the user typed, field by field, and the run spec it means. Every
//! problem is a [`FieldError`] pointing at the field to fix, worded by the core where it can.

use chrono::NaiveDate;
use deltaroll_core::contract::OptionKind;
use deltaroll_core::export::WideFormat;
use deltaroll_core::market::PriceSource;
use deltaroll_core::pricing::DeltaConvention;
use deltaroll_core::product::ProductSpec;
use deltaroll_core::spec::{RunSpec, SpecField, VolSource, DEFAULT_STALE_DAYS};

/// A form control a message can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Futures and options roots.
    Product,
    /// Start date.
    Start,
    /// End date.
    End,
    /// The pair of dates together (order, length, data coverage).
    Dates,
    /// Target delta.
    TargetDelta,
    /// Band half-width.
    Band,
    /// Months ahead.
    MonthsAhead,
    /// Vol source (and its days).
    VolSource,
    /// Discount rate.
    Rate,
    /// The data source (API key, files).
    Source,
}

/// One problem, next to its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Where to show it.
    pub field: Field,
    /// What is wrong and what to do.
    pub message: String,
}

impl FieldError {
    /// A problem with `field`.
    pub fn new(field: Field, message: impl Into<String>) -> Self {
        Self { field, message: message.into() }
    }
}

/// The vol source picker (the days of `Historical` are their own text field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VolChoice {
    /// Each strike's own implied vol.
    #[default]
    Own,
    /// One ATM implied vol for the chain.
    Atm,
    /// Historical close-to-close vol over N sessions.
    Historical,
}

impl VolChoice {
    /// `own`, `atm` or `hist` (the select's values).
    pub fn code(self) -> &'static str {
        match self {
            Self::Own => "own",
            Self::Atm => "atm",
            Self::Historical => "hist",
        }
    }

    /// The choice for a select value (anything unknown is `Own`).
    pub fn from_code(code: &str) -> Self {
        match code {
            "atm" => Self::Atm,
            "hist" => Self::Historical,
            _ => Self::Own,
        }
    }
}

/// The form as typed: free-text fields stay text so a half-typed value is shown as is and
/// explained, never silently replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct FormState {
    /// Futures root, e.g. `HO`.
    pub futures_root: String,
    /// Options root, e.g. `OH`.
    pub options_root: String,
    /// `YYYY-MM-DD`.
    pub start: String,
    /// `YYYY-MM-DD`.
    pub end: String,
    /// e.g. `0.15`.
    pub target_delta: String,
    /// e.g. `0.02`.
    pub band: String,
    /// e.g. `2`.
    pub months_ahead: String,
    /// Calls or puts.
    pub kind: OptionKind,
    /// Settlement or trade close.
    pub price_source: PriceSource,
    /// Vol source picker.
    pub vol: VolChoice,
    /// Days of historical vol (used when `vol` is `Historical`).
    pub hist_days: String,
    /// e.g. `0.04`.
    pub rate: String,
    /// Which delta is matched.
    pub delta_convention: DeltaConvention,
    /// The wide CSV's dates and option unit (downloads only; not part of the run).
    pub wide: WideFormat,
}

/// Default days of historical vol offered when the user picks it.
pub const DEFAULT_HIST_DAYS: u32 = 20;

/// The spec the app opens with: the default strategy over 2025 (inside the demo market and
/// Databento's coverage).
pub fn default_spec() -> RunSpec {
    let (start, end) = (NaiveDate::from_ymd_opt(2025, 1, 1), NaiveDate::from_ymd_opt(2025, 12, 31));
    match (start, end) {
        (Some(start), Some(end)) => RunSpec::new(start, end),
        _ => RunSpec::new(NaiveDate::MIN, NaiveDate::MIN),
    }
}

impl Default for FormState {
    fn default() -> Self {
        Self::from_spec(&default_spec())
    }
}

impl FormState {
    /// The form showing `spec`.
    pub fn from_spec(spec: &RunSpec) -> Self {
        let (vol, hist_days) = match spec.vol_source {
            VolSource::OwnPrice => (VolChoice::Own, DEFAULT_HIST_DAYS),
            VolSource::AtmImplied => (VolChoice::Atm, DEFAULT_HIST_DAYS),
            VolSource::Historical { days } => (VolChoice::Historical, days),
        };
        Self {
            futures_root: spec.product.futures_root.to_string(),
            options_root: spec.product.options_root.to_string(),
            start: spec.start.to_string(),
            end: spec.end.to_string(),
            target_delta: spec.target_delta.to_string(),
            band: spec.band.to_string(),
            months_ahead: spec.months_ahead.to_string(),
            kind: spec.kind,
            price_source: spec.price_source,
            vol,
            hist_days: hist_days.to_string(),
            rate: spec.rate.to_string(),
            delta_convention: spec.delta_convention,
            wide: WideFormat::default(),
        }
    }

    /// The vol source as the spec and share links write it (`own`, `atm`, `hist:N`), with
    /// the days as typed.
    pub fn vol_code(&self) -> String {
        match self.vol {
            VolChoice::Historical => format!("hist:{}", self.hist_days.trim()),
            other => other.code().to_owned(),
        }
    }

    /// The run spec, or every problem (parse errors first, then the core's validation).
    pub fn spec(&self) -> Result<RunSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        let product = {
            let (fut, opt) =
                (self.futures_root.trim().to_ascii_uppercase(), self.options_root.trim().to_ascii_uppercase());
            ProductSpec::heating_oil().with_roots(&fut, &opt).map_err(|e| {
                errors.push(FieldError::new(
                    Field::Product,
                    format!("{e}: roots are 1–5 capital letters or digits, e.g. HO and OH"),
                ))
            })
        };
        let start = parse_date(&self.start, "start").map_err(|m| errors.push(FieldError::new(Field::Start, m)));
        let end = parse_date(&self.end, "end").map_err(|m| errors.push(FieldError::new(Field::End, m)));
        let target_delta = parse_number(&self.target_delta, "Target delta", "0.15")
            .map_err(|m| errors.push(FieldError::new(Field::TargetDelta, m)));
        let band =
            parse_number(&self.band, "The band", "0.02").map_err(|m| errors.push(FieldError::new(Field::Band, m)));
        let months_ahead = parse_count(&self.months_ahead, "Months ahead", "2")
            .map_err(|m| errors.push(FieldError::new(Field::MonthsAhead, m)));
        let vol_source = match self.vol {
            VolChoice::Own => Ok(VolSource::OwnPrice),
            VolChoice::Atm => Ok(VolSource::AtmImplied),
            VolChoice::Historical => parse_count(&self.hist_days, "Historical vol days", "20")
                .map(|days| VolSource::Historical { days })
                .map_err(|m| errors.push(FieldError::new(Field::VolSource, m))),
        };
        let rate =
            parse_number(&self.rate, "The rate", "0.04").map_err(|m| errors.push(FieldError::new(Field::Rate, m)));
        let (Ok(product), Ok(start), Ok(end), Ok(target_delta), Ok(band), Ok(months_ahead), Ok(vol_source), Ok(rate)) =
            (product, start, end, target_delta, band, months_ahead, vol_source, rate)
        else {
            return Err(errors);
        };
        let spec = RunSpec {
            product,
            start,
            end,
            months_ahead,
            kind: self.kind,
            target_delta,
            band,
            price_source: self.price_source,
            vol_source,
            rate,
            delta_convention: self.delta_convention,
            stale_days: DEFAULT_STALE_DAYS,
        };
        let problems = spec.validate();
        if problems.is_empty() {
            Ok(spec)
        } else {
            Err(problems.into_iter().map(|e| FieldError::new(field_of(e.field), e.message)).collect())
        }
    }

    /// Problems with the form alone (empty when it makes a valid spec).
    pub fn errors(&self) -> Vec<FieldError> {
        self.spec().err().unwrap_or_default()
    }
}

/// The form field of a core spec field.
pub fn field_of(field: SpecField) -> Field {
    match field {
        SpecField::Dates => Field::Dates,
        SpecField::MonthsAhead => Field::MonthsAhead,
        SpecField::TargetDelta => Field::TargetDelta,
        SpecField::Band => Field::Band,
        SpecField::Rate => Field::Rate,
        // The stale window is not in the form (it keeps the default): it belongs with how
        // candidates are valued.
        SpecField::VolSource | SpecField::StaleDays => Field::VolSource,
    }
}

fn parse_date(text: &str, which: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("Pick a {which} date."));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("The {which} date `{text}` is not a date: write it as YYYY-MM-DD, e.g. 2025-01-02."))
}

fn parse_number(text: &str, what: &str, example: &str) -> Result<f64, String> {
    let text = text.trim();
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ if text.is_empty() => Err(format!("{what} is empty: enter a decimal number such as {example}.")),
        _ => Err(format!("{what} `{text}` is not a number: enter a decimal such as {example}.")),
    }
}

fn parse_count(text: &str, what: &str, example: &str) -> Result<u32, String> {
    let text = text.trim();
    text.parse::<u32>().map_err(|_| {
        if text.is_empty() {
            format!("{what} is empty: enter a whole number such as {example}.")
        } else {
            format!("{what} `{text}` is not a whole number: enter one such as {example}.")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_default_form_is_the_default_strategy() {
        let spec = FormState::default().spec().unwrap();
        assert_eq!(spec, RunSpec::new(d(2025, 1, 1), d(2025, 12, 31)));
    }

    #[test]
    fn form_and_spec_round_trip() {
        let mut spec = RunSpec::new(d(2022, 3, 4), d(2024, 5, 6));
        spec.product = ProductSpec::heating_oil().with_roots("CL", "LO").unwrap();
        spec.target_delta = 0.25;
        spec.band = 0.035;
        spec.months_ahead = 3;
        spec.kind = OptionKind::Put;
        spec.price_source = PriceSource::Close;
        spec.vol_source = VolSource::Historical { days: 30 };
        spec.rate = 0.0525;
        spec.delta_convention = DeltaConvention::Forward;
        assert_eq!(FormState::from_spec(&spec).spec().unwrap(), spec);
        spec.vol_source = VolSource::AtmImplied;
        assert_eq!(FormState::from_spec(&spec).spec().unwrap(), spec);
    }

    #[test]
    fn typing_is_forgiving_about_case_and_spaces() {
        let form = FormState {
            futures_root: " ho".into(),
            options_root: "oh ".into(),
            rate: " 0.04 ".into(),
            ..FormState::default()
        };
        assert_eq!(form.spec().unwrap(), default_spec());
    }

    #[test]
    fn unparsable_fields_are_explained_next_to_themselves() {
        let form = FormState {
            futures_root: "H-O".into(),
            start: "01/02/2025".into(),
            end: String::new(),
            target_delta: "fifteen".into(),
            band: "".into(),
            months_ahead: "2.5".into(),
            vol: VolChoice::Historical,
            hist_days: "x".into(),
            rate: "4%".into(),
            ..FormState::default()
        };
        let errors = form.errors();
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                Field::Product,
                Field::Start,
                Field::End,
                Field::TargetDelta,
                Field::Band,
                Field::MonthsAhead,
                Field::VolSource,
                Field::Rate
            ]
        );
        assert!(errors[1].message.contains("YYYY-MM-DD"), "{}", errors[1].message);
        assert!(errors[2].message.contains("Pick an end date") || errors[2].message.contains("end date"));
        assert!(errors[3].message.contains("`fifteen`"));
        assert!(errors[7].message.contains("0.04"));
    }

    #[test]
    fn the_cores_validation_messages_point_at_fields() {
        let form = FormState {
            start: "2025-03-01".into(),
            end: "2025-01-01".into(),
            target_delta: "1.5".into(),
            band: "-0.1".into(),
            months_ahead: "0".into(),
            rate: "2".into(),
            vol: VolChoice::Historical,
            hist_days: "1".into(),
            ..FormState::default()
        };
        let errors = form.errors();
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [Field::Dates, Field::MonthsAhead, Field::TargetDelta, Field::Band, Field::Rate, Field::VolSource]
        );
        assert!(errors[0].message.contains("before the start date"), "{}", errors[0].message);
    }

    #[test]
    fn vol_codes_follow_the_spec() {
        let mut form = FormState::default();
        assert_eq!(form.vol_code(), "own");
        form.vol = VolChoice::Historical;
        form.hist_days = "30".into();
        assert_eq!(form.vol_code(), "hist:30");
        assert_eq!(form.vol_code().parse::<VolSource>(), Ok(VolSource::Historical { days: 30 }));
        for choice in [VolChoice::Own, VolChoice::Atm, VolChoice::Historical] {
            assert_eq!(VolChoice::from_code(choice.code()), choice);
        }
    }
}
