//! A setting's name in every layer (flag, environment variable, config-file key) and where
//! a value came from: the vocabulary that the configuration, the settings and the errors
//! share.

use std::fmt;
use std::path::PathBuf;

use deltaroll_core::settings::{self, Setting, SETTINGS};

/// Every setting: the core's run settings (its table) and the CLI's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// A run setting of the core's table.
    Run(&'static Setting),
    Output,
    Format,
    ManifestChains,
    MetricsFile,
    Demo,
    Files,
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
    /// The CLI's own settings, in `--print-config` order.
    const OWN: [Field; 18] = [
        Self::Output,
        Self::Format,
        Self::ManifestChains,
        Self::MetricsFile,
        Self::Demo,
        Self::Files,
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

    /// All settings in `--print-config` order: the run's, then the CLI's.
    pub fn all() -> impl Iterator<Item = Field> {
        SETTINGS.iter().map(Self::Run).chain(Self::OWN)
    }

    /// The run setting named `key` (`start_date`).
    pub fn run(key: &str) -> Option<Self> {
        settings::setting(key).map(Self::Run)
    }

    /// The name in config files (`start_date`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Run(setting) => setting.key,
            Self::Output => "output",
            Self::Format => "format",
            Self::ManifestChains => "manifest_chains",
            Self::MetricsFile => "metrics_file",
            Self::Demo => "demo",
            Self::Files => "files",
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
        match self {
            Self::Run(setting) => Some(setting.flag()),
            Self::ApiKey => None,
            _ => Some(format!("--{}", self.key().replace('_', "-"))),
        }
    }

    /// The environment variable (`DATABENTO_START_DATE`).
    pub fn env(self) -> String {
        format!("DATABENTO_{}", self.key().to_ascii_uppercase())
    }

    /// Whether the value is a secret: shown only as `<set>` / `<unset>`.
    pub fn is_secret(self) -> bool {
        self == Self::ApiKey
    }

    /// Whether this is the run's start date (required, with no default).
    pub fn is_start_date(self) -> bool {
        self.key() == "start_date"
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::all().find(|f| f.key() == key)
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
