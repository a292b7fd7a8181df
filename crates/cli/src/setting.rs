//! A setting's name in every layer (flag, environment variable, config-file key) and where
//! a value came from: the vocabulary that the configuration, the settings and the errors
//! share.

use std::fmt;
use std::path::PathBuf;

/// Every setting, in `--print-config` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    StartDate,
    EndDate,
    Output,
    Format,
    Dates,
    OptionUnit,
    Delta,
    Band,
    StaleDays,
    MonthsAhead,
    OptionType,
    PriceSource,
    VolSource,
    Rate,
    DeltaConvention,
    Demo,
    Gateway,
    CacheDir,
    NoCache,
    Offline,
    Retries,
    BillableRetries,
    RetryWaitMs,
    MaxCost,
    Strict,
    LogLevel,
    LogFormat,
    ApiKey,
}

impl Field {
    /// All settings.
    pub const ALL: [Field; 28] = [
        Self::StartDate,
        Self::EndDate,
        Self::Output,
        Self::Format,
        Self::Dates,
        Self::OptionUnit,
        Self::Delta,
        Self::Band,
        Self::StaleDays,
        Self::MonthsAhead,
        Self::OptionType,
        Self::PriceSource,
        Self::VolSource,
        Self::Rate,
        Self::DeltaConvention,
        Self::Demo,
        Self::Gateway,
        Self::CacheDir,
        Self::NoCache,
        Self::Offline,
        Self::Retries,
        Self::BillableRetries,
        Self::RetryWaitMs,
        Self::MaxCost,
        Self::Strict,
        Self::LogLevel,
        Self::LogFormat,
        Self::ApiKey,
    ];

    /// The name in config files (`start_date`).
    pub fn key(self) -> &'static str {
        match self {
            Self::StartDate => "start_date",
            Self::EndDate => "end_date",
            Self::Output => "output",
            Self::Format => "format",
            Self::Dates => "dates",
            Self::OptionUnit => "option_unit",
            Self::Delta => "delta",
            Self::Band => "band",
            Self::StaleDays => "stale_days",
            Self::MonthsAhead => "months_ahead",
            Self::OptionType => "option_type",
            Self::PriceSource => "price_source",
            Self::VolSource => "vol_source",
            Self::Rate => "rate",
            Self::DeltaConvention => "delta_convention",
            Self::Demo => "demo",
            Self::Gateway => "gateway",
            Self::CacheDir => "cache_dir",
            Self::NoCache => "no_cache",
            Self::Offline => "offline",
            Self::Retries => "retries",
            Self::BillableRetries => "billable_retries",
            Self::RetryWaitMs => "retry_wait_ms",
            Self::MaxCost => "max_cost",
            Self::Strict => "strict",
            Self::LogLevel => "log_level",
            Self::LogFormat => "log_format",
            Self::ApiKey => "api_key",
        }
    }

    /// The flag (`--start-date`); the key has none.
    pub fn flag(self) -> Option<String> {
        (self != Self::ApiKey).then(|| format!("--{}", self.key().replace('_', "-")))
    }

    /// The environment variable (`DATABENTO_START_DATE`).
    pub fn env(self) -> String {
        format!("DATABENTO_{}", self.key().to_ascii_uppercase())
    }

    /// Whether the value is a secret: shown only as `<set>` / `<unset>`.
    pub fn is_secret(self) -> bool {
        self == Self::ApiKey
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }
}

impl fmt::Display for Field {
    /// How messages name the setting: its flag, or `api_key`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.flag() {
            Some(flag) => f.write_str(&flag),
            None => f.write_str("the API key"),
        }
    }
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag.
    Flag,
    /// An environment variable.
    Env(String),
    /// The config file.
    File(PathBuf),
    /// The built-in default (with a note when it is computed, e.g. from the clock).
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flag => f.write_str("flag"),
            Self::Env(name) => write!(f, "environment {name}"),
            Self::File(path) => write!(f, "config file {}", path.display()),
            Self::Default => f.write_str("default"),
        }
    }
}

/// A value as given, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    /// The text.
    pub text: String,
    /// Its layer.
    pub origin: Origin,
}
