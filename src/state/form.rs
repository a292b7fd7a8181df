//! The strategy form: the text of every setting of the core's table as typed, and the run
//! settings it means. Every problem is a [`FieldError`] pointing at the field to fix,
//! worded by the core.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use deltaroll_core::export::WideFormat;
use deltaroll_core::settings::{resolve, RunSettings, Setting, SettingError, SETTINGS};
use deltaroll_core::spec::{RunSpec, SpecField};

use super::text::quoted;

/// A form control a message can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// One setting of the core's table, by key.
    Setting(&'static str),
    /// The pair of dates together (order, length, data coverage).
    Dates,
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

    /// A problem from the settings' resolution, under its setting's label.
    fn of(error: &SettingError) -> Self {
        let field = match error {
            SettingError::Missing(setting) | SettingError::Parse { setting, .. } => Field::Setting(setting.key),
            SettingError::Invalid(e) => match e.field {
                SpecField::Dates => Field::Dates,
                SpecField::Setting(key) => Field::Setting(key),
            },
        };
        let label = match error {
            SettingError::Missing(setting) | SettingError::Parse { setting, .. } => setting.label,
            SettingError::Invalid(_) => "",
        };
        Self::new(field, sentence(quoted(&error.about(label))))
    }
}

/// `text` ending with a full stop.
fn sentence(text: String) -> String {
    if text.ends_with(['.', '?', '!']) {
        text
    } else {
        text + "."
    }
}

/// The first and last dates the app opens with: 2025, inside the demo market and
/// Databento's coverage.
const OPENING_RANGE: (NaiveDate, NaiveDate) =
    match (NaiveDate::from_ymd_opt(2025, 1, 1), NaiveDate::from_ymd_opt(2025, 12, 31)) {
        (Some(start), Some(end)) => (start, end),
        _ => panic!("2025 has a first and a last day"),
    };

/// The spec the app opens with: the default strategy over 2025.
pub fn default_spec() -> RunSpec {
    RunSpec::new(OPENING_RANGE.0, OPENING_RANGE.1)
}

/// The form as typed: every setting's text, kept as is so a half-typed value is shown and
/// explained, never silently replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct FormState {
    texts: BTreeMap<&'static str, String>,
}

impl Default for FormState {
    fn default() -> Self {
        Self::from_spec(&default_spec())
    }
}

impl FormState {
    /// The form showing `settings`.
    pub fn from_settings(settings: &RunSettings) -> Self {
        Self { texts: SETTINGS.iter().map(|s| (s.key, s.text(settings))).collect() }
    }

    /// The form showing `spec`, with the wide CSV's defaults.
    pub fn from_spec(spec: &RunSpec) -> Self {
        Self::from_settings(&RunSettings { spec: spec.clone(), wide: WideFormat::default() })
    }

    /// The text of `setting`.
    pub fn text(&self, setting: &Setting) -> &str {
        self.texts.get(setting.key).map_or("", String::as_str)
    }

    /// Type `text` into `setting`.
    pub fn set(&mut self, setting: &'static Setting, text: impl Into<String>) {
        self.texts.insert(setting.key, text.into());
    }

    /// The run settings, or every problem (parse errors first, then the core's validation).
    pub fn settings(&self) -> Result<RunSettings, Vec<FieldError>> {
        resolve(|s| Some(self.text(s).to_owned())).map_err(|errors| errors.iter().map(FieldError::of).collect())
    }

    /// The run spec, or every problem.
    pub fn spec(&self) -> Result<RunSpec, Vec<FieldError>> {
        self.settings().map(|s| s.spec)
    }

    /// The wide CSV's format (drop-downs, so always readable; the default otherwise).
    pub fn wide(&self) -> WideFormat {
        let mut probe = RunSettings::new(OPENING_RANGE.0, OPENING_RANGE.1);
        for setting in SETTINGS.iter().filter(|s| s.group == deltaroll_core::settings::Group::WideCsv) {
            // An unreadable value keeps its default; the form shows why.
            let _ = setting.apply(&mut probe, self.text(setting));
        }
        probe.wide
    }

    /// Problems with the form alone (empty when it makes a valid spec).
    pub fn errors(&self) -> Vec<FieldError> {
        self.spec().err().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use deltaroll_core::contract::OptionKind;
    use deltaroll_core::settings::setting;

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn typed(pairs: &[(&str, &str)]) -> FormState {
        let mut form = FormState::default();
        for (key, text) in pairs {
            form.set(setting(key).unwrap(), *text);
        }
        form
    }

    #[test]
    fn the_default_form_is_the_default_strategy() {
        let spec = FormState::default().spec().unwrap();
        assert_eq!(spec, RunSpec::new(d(2025, 1, 1), d(2025, 12, 31)));
        assert_eq!(FormState::default().wide(), WideFormat::default());
    }

    #[test]
    fn form_and_spec_round_trip() {
        let mut spec = RunSpec::new(d(2022, 3, 4), d(2024, 5, 6));
        spec.target_delta = 0.25;
        spec.kind = OptionKind::Put;
        spec.stale_days = 9;
        assert_eq!(FormState::from_spec(&spec).spec().unwrap(), spec);
    }

    #[test]
    fn typing_is_forgiving_about_case_and_spaces() {
        let form = typed(&[("futures_root", " ho"), ("options_root", "oh "), ("rate", " 0.04 ")]);
        assert_eq!(form.spec().unwrap(), default_spec());
    }

    #[test]
    fn unparsable_fields_are_explained_next_to_themselves() {
        let form = typed(&[
            ("futures_root", "H-O"),
            ("start_date", "01/02/2025"),
            ("end_date", ""),
            ("delta", "fifteen"),
            ("months_ahead", "2.5"),
            ("vol_source", "hist:x"),
            ("rate", "4%"),
        ]);
        let errors = form.errors();
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        let keys = ["futures_root", "start_date", "end_date", "delta", "months_ahead", "vol_source", "rate"];
        assert_eq!(fields, keys.map(Field::Setting));
        assert_eq!(errors[1].message, "Start “01/02/2025” is not a date (YYYY-MM-DD, e.g. 2025-01-02).");
        assert_eq!(errors[2].message, "End is empty: give a date (YYYY-MM-DD, e.g. 2025-01-02).");
        assert!(errors[3].message.contains("“fifteen”"));
        assert!(errors[6].message.contains("0.04"));
    }

    #[test]
    fn the_cores_validation_messages_point_at_fields() {
        let form = typed(&[
            ("start_date", "2025-03-01"),
            ("end_date", "2025-01-01"),
            ("delta", "1.5"),
            ("band", "-0.1"),
            ("months_ahead", "0"),
            ("rate", "2"),
            ("vol_source", "hist:1"),
            ("stale_days", "21"),
            ("fee", "-1"),
        ]);
        let errors = form.errors();
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        let keys = ["months_ahead", "delta", "band", "rate", "vol_source", "stale_days", "fee"];
        assert_eq!(fields[0], Field::Dates);
        assert_eq!(fields[1..], keys.map(Field::Setting));
        assert!(errors[0].message.contains("before the start date"), "{}", errors[0].message);
    }

    #[test]
    fn the_wide_format_follows_its_drop_downs() {
        let form = typed(&[("dates", "iso"), ("option_unit", "quote"), ("delta", "x")]);
        assert_eq!(form.wide().dates.as_str(), "iso");
        assert_eq!(form.wide().option_unit.as_str(), "quote");
    }
}
