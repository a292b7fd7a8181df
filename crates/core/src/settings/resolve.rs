//! From text per setting (typed, linked, flagged or configured) to checked run settings,
//! with every problem named by its setting.

use chrono::NaiveDate;

use crate::parse::ParseError;
use crate::spec::SpecError;

use super::setting::{RunSettings, Setting};
use super::table::SETTINGS;

/// Why the settings cannot run.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingError {
    /// A required setting was given no text.
    Missing(&'static Setting),
    /// A setting's text does not parse.
    Parse {
        /// Which setting.
        setting: &'static Setting,
        /// What was wrong with the text.
        error: ParseError,
    },
    /// The values parse but do not make a run (the core's validation).
    Invalid(SpecError),
}

impl SettingError {
    /// The message under `subject` (a form label or a flag): `Target delta `x` is not …`.
    pub fn about(&self, subject: &str) -> String {
        match self {
            Self::Missing(_) => format!("{subject} is not set"),
            Self::Parse { error, .. } => error.about(subject),
            Self::Invalid(e) => e.message.clone(),
        }
    }
}

/// The setting named `key`.
pub fn setting(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// The settings that `text` gives (`None`: not given, so the default), checked: parse
/// errors first (all of them), else the core's validation of the spec.
pub fn resolve(text: impl Fn(&'static Setting) -> Option<String>) -> Result<RunSettings, Vec<SettingError>> {
    let mut errors = Vec::new();
    let mut settings = RunSettings::new(NaiveDate::default(), NaiveDate::default());
    for setting in SETTINGS {
        match text(setting) {
            None if setting.required => errors.push(SettingError::Missing(setting)),
            None => {}
            Some(t) => {
                if let Err(error) = setting.apply(&mut settings, &t) {
                    errors.push(SettingError::Parse { setting, error });
                }
            }
        }
    }
    if errors.is_empty() {
        errors.extend(settings.spec.validate().into_iter().map(SettingError::Invalid));
    }
    if errors.is_empty() {
        Ok(settings)
    } else {
        Err(errors)
    }
}
