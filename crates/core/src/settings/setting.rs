//! What one setting is: its key (from which the share-link name, the config-file key, the
//! environment variable and the flag derive), its help, its input, its default and how it
//! reads and writes the run's settings as text.

use std::fmt;

use chrono::NaiveDate;

use crate::export::WideFormat;
use crate::parse::{Named, ParseError};
use crate::spec::RunSpec;

/// What the settings table fills: the run spec and the wide CSV's format.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSettings {
    /// The strategy run.
    pub spec: RunSpec,
    /// The wide CSV's dates and option unit (the other exports ignore them).
    pub wide: WideFormat,
}

impl RunSettings {
    /// Every setting at its default over `[start, end]`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Self {
        Self { spec: RunSpec::new(start, end), wide: WideFormat::default() }
    }
}

/// Where a setting is shown: a heading in the CLI's help, a section of the web form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// The futures and options traded.
    Product,
    /// The output's first and last dates.
    Dates,
    /// How options are chosen and valued.
    Strategy,
    /// How the wide CSV is written.
    WideCsv,
}

impl Group {
    /// The heading.
    pub fn title(self) -> &'static str {
        match self {
            Self::Product => "Product",
            Self::Dates => "Dates",
            Self::Strategy => "Strategy",
            Self::WideCsv => "Wide CSV",
        }
    }
}

/// One entry of a drop-down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// The code, as written in links, flags and config files.
    pub code: &'static str,
    /// The menu label.
    pub label: &'static str,
    /// A number the choice takes (`hist:20`), with its label and default.
    pub param: Option<ChoiceParam>,
}

/// The number a choice takes, written after a colon: `hist:20`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChoiceParam {
    /// Its label (`Days of history`).
    pub label: &'static str,
    /// Its default, offered when the choice is picked.
    pub default: &'static str,
}

impl Choice {
    /// The choices of an enum picked by name.
    pub fn of<T: Named>() -> Vec<Choice> {
        T::ALL.iter().map(|v| Choice { code: v.code(), label: v.label(), param: None }).collect()
    }
}

/// How a value is typed.
#[derive(Debug, Clone, Copy)]
pub enum Input {
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A decimal or whole number.
    Number,
    /// Free text.
    Text,
    /// One of a list (the text is a choice's code, or `code:N` when it takes a number).
    Choice(fn() -> Vec<Choice>),
    /// A list of items, each named by the given word (`leg`: the flag `--leg`, repeated);
    /// the text is the items separated by commas.
    List(&'static str),
}

/// One run setting.
#[derive(Clone, Copy)]
pub struct Setting {
    /// The one spelling, snake_case: the config-file key and the share-link name; the flag
    /// (`--months-ahead`) and the environment variable (`DATABENTO_MONTHS_AHEAD`) derive
    /// from it.
    pub key: &'static str,
    /// Names older share links used for it, still read.
    pub old_link_keys: &'static [&'static str],
    /// The form's label.
    pub label: &'static str,
    /// One line of help.
    pub help: &'static str,
    /// The value's placeholder in the CLI's help (`DATE`, `X`).
    pub value_name: &'static str,
    /// Its heading.
    pub group: Group,
    /// How it is typed.
    pub input: Input,
    /// Required: the core has no default (the dates; front ends supply their own).
    pub required: bool,
    /// The canonical text of its value.
    pub(super) read: fn(&RunSettings) -> String,
    /// Parse `text` (trimmed) into its place.
    pub(super) write: fn(&mut RunSettings, &str) -> Result<(), ParseError>,
}

impl Setting {
    /// `--months-ahead`; a list's item flag, given once per item: `--leg`.
    pub fn flag(&self) -> String {
        match self.input {
            Input::List(item) => format!("--{item}"),
            _ => format!("--{}", self.key.replace('_', "-")),
        }
    }

    /// `DATABENTO_MONTHS_AHEAD`.
    pub fn env(&self) -> String {
        format!("DATABENTO_{}", self.key.to_ascii_uppercase())
    }

    /// Its value in `settings`, as text.
    pub fn text(&self, settings: &RunSettings) -> String {
        (self.read)(settings)
    }

    /// Set it in `settings` from `text` (surrounding spaces ignored).
    pub fn apply(&self, settings: &mut RunSettings, text: &str) -> Result<(), ParseError> {
        (self.write)(settings, text.trim())
    }

    /// Its default as text; `None` when it is required.
    pub fn default_text(&self) -> Option<String> {
        (!self.required).then(|| self.text(&RunSettings::new(NaiveDate::default(), NaiveDate::default())))
    }

    /// Its choices, for a drop-down (empty unless it is one).
    pub fn choices(&self) -> Vec<Choice> {
        match self.input {
            Input::Choice(choices) => choices(),
            _ => Vec::new(),
        }
    }

    /// Whether `name` names it in a share link (its key, or an older name).
    pub fn has_link_name(&self, name: &str) -> bool {
        self.key == name || self.old_link_keys.contains(&name)
    }
}

impl PartialEq for Setting {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Setting {}

impl PartialOrd for Setting {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Setting {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(other.key)
    }
}

impl std::hash::Hash for Setting {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

impl fmt::Debug for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Setting({})", self.key)
    }
}
