//! Every way the command line can fail, worded once, with its exit code. Messages say what
//! went wrong and what to do; none holds the API key (a last pass over every printed
//! message blanks anything shaped like a Databento key, see [`redact_keys`]).

use std::fmt;
use std::path::PathBuf;

use deltaroll_core::settings::Group;
use deltaroll_databento::{ApiError, KeyError};

use crate::setting::{Field, Origin};

/// Exit codes (also in `--help` and the README).
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// Anything not listed below.
    pub const OTHER: u8 = 1;
    /// Bad flags, environment, config file, dates or strategy settings.
    pub const BAD_INPUT: u8 = 2;
    /// No or malformed key, or Databento refused it (401/402/403).
    pub const AUTH: u8 = 3;
    /// Network or server failure after retries, or (`--offline`) data missing from the
    /// cache.
    pub const NETWORK: u8 = 4;
    /// `--strict` and the run has warnings.
    pub const DATA_GAPS: u8 = 5;
}

/// A failure of the command line.
#[derive(Debug)]
pub enum CliError {
    /// A setting's text does not parse.
    BadValue {
        /// Which setting.
        field: Field,
        /// Where the text came from.
        origin: Origin,
        /// The text (never for the key).
        value: Option<String>,
        /// What it must look like.
        reason: String,
    },
    /// A required setting was given nowhere.
    Missing {
        /// Which setting.
        field: Field,
    },
    /// The core refused the run spec.
    Spec {
        /// Each problem and the setting it is about.
        problems: Vec<(Field, String)>,
    },
    /// The config file cannot be used.
    ConfigFile {
        /// The file.
        path: PathBuf,
        /// Why (never quoting its contents).
        reason: String,
    },
    /// No cache directory could be found and none was given.
    NoCacheDir {
        /// `--offline`: the run reads nothing but the cache, so `--no-cache` is no way out.
        offline: bool,
    },
    /// `--offline` and `--no-cache`: nothing left to read.
    OfflineNoCache {
        /// Where `--offline` came from.
        offline: Origin,
        /// Where `--no-cache` came from.
        no_cache: Origin,
    },
    /// The API key is missing or malformed.
    Key {
        /// Why.
        source: KeyError,
        /// Where the key came from, if anywhere.
        origin: Option<Origin>,
    },
    /// A Databento request failed.
    Api(Box<ApiError>),
    /// The output cannot be written.
    Output {
        /// The file (`None`: stdout).
        path: Option<PathBuf>,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The plan's estimate is above `--max-cost`: nothing was fetched.
    OverCostCap {
        /// The estimate, USD (a lower bound when some requests could not be priced).
        estimate_usd: f64,
        /// Whether the estimate is a lower bound.
        lower_bound: bool,
        /// The cap, USD.
        cap_usd: f64,
        /// Where the cap was set.
        origin: Origin,
    },
    /// `--strict` and the report has warnings.
    Strict {
        /// How many.
        warnings: usize,
        /// Where the output went.
        written_to: String,
    },
    /// The relay's upstream is not allowed.
    RelayUpstream {
        /// What was given.
        given: String,
    },
    /// An `--allow-origin` that is not a web origin.
    RelayOrigin {
        /// What was given.
        given: String,
    },
    /// The relay cannot start.
    RelayListen {
        /// The port.
        port: u16,
        /// Why.
        error: std::io::Error,
    },
    /// The async runtime or HTTP client could not start.
    Startup(String),
    /// `--files`: the exports give no market (the message names the file or what is missing).
    Exports(String),
    /// Two settings that choose the market data each a different way.
    Conflict {
        /// The one and where it came from.
        first: (Field, Origin),
        /// The other and where it came from.
        second: (Field, Origin),
    },
    /// `deltaroll check`: some checks failed (listed on stdout).
    NotReady {
        /// How many failed.
        failed: usize,
        /// How many were made.
        total: usize,
        /// The first failed check's exit code.
        code: u8,
    },
}

impl CliError {
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::BadValue { .. }
            | Self::Missing { .. }
            | Self::Spec { .. }
            | Self::ConfigFile { .. }
            | Self::NoCacheDir { .. }
            | Self::OfflineNoCache { .. }
            | Self::Exports(_)
            | Self::Conflict { .. }
            | Self::OverCostCap { .. }
            | Self::RelayUpstream { .. }
            | Self::RelayOrigin { .. } => exit::BAD_INPUT,
            Self::Key { .. } => exit::AUTH,
            Self::Api(e) => api_exit_code(e),
            Self::Strict { .. } => exit::DATA_GAPS,
            Self::Output { .. } | Self::RelayListen { .. } | Self::Startup(_) => exit::OTHER,
            Self::NotReady { code, .. } => *code,
        }
    }
}

/// The exit code of a Databento failure.
fn api_exit_code(e: &ApiError) -> u8 {
    match e {
        ApiError::Key(_) | ApiError::Unauthorized { .. } | ApiError::NoPermission { .. } => exit::AUTH,
        ApiError::Params(_)
        | ApiError::BadRequest { .. }
        | ApiError::NoData { .. }
        | ApiError::BeforeCoverage { .. }
        | ApiError::InvalidSpec { .. } => exit::BAD_INPUT,
        ApiError::RateLimited { .. }
        | ApiError::Server { .. }
        | ApiError::Network { .. }
        | ApiError::CorruptBody { .. }
        | ApiError::BodyTooLarge { .. }
        | ApiError::Unexpected { .. }
        | ApiError::NotCached { .. } => exit::NETWORK,
        _ => exit::OTHER,
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadValue { field, origin, value, reason } => {
                let shown = value.as_ref().map(|v| format!(" `{v}`")).unwrap_or_default();
                write!(f, "{field}{shown} (from {origin}) {reason}")
            }
            Self::Missing { field } if field.is_start_date() => write!(
                f,
                "no start date: give --start-date YYYY-MM-DD (or DATABENTO_START_DATE, or start_date in the config file)"
            ),
            Self::Missing { field } => {
                write!(f, "{field} is not set: give it as a flag, as {} or in the config file", field.env())
            }
            Self::Spec { problems } => {
                let lines: Vec<String> = problems
                    .iter()
                    .map(|(field, msg)| match field {
                        Field::Run(setting) if setting.group == Group::Dates => {
                            format!("--start-date/--end-date: {msg}")
                        }
                        _ => format!("{field}: {msg}"),
                    })
                    .collect();
                write!(f, "the run settings need fixing: {}", lines.join("; "))
            }
            Self::ConfigFile { path, reason } => write!(f, "the config file {} {reason}", path.display()),
            Self::NoCacheDir { offline: false } => f.write_str(
                "no cache directory: neither XDG_CACHE_HOME nor HOME is set; give --cache-dir DIR or --no-cache",
            ),
            Self::NoCacheDir { offline: true } => f.write_str(
                "--offline reads only the cache, and there is no cache directory (neither XDG_CACHE_HOME nor HOME is set): give --cache-dir DIR, the folder an earlier run filled",
            ),
            Self::OfflineNoCache { offline, no_cache } => write!(
                f,
                "--offline (from {offline}) reads only the cache, but --no-cache (from {no_cache}) turns it off: drop --no-cache to replay what earlier runs cached, or drop --offline to fetch from Databento"
            ),
            Self::Key { source: KeyError::Missing, .. } => f.write_str(
                "no Databento API key: set DATABENTO_API_KEY (or api_key in the config file), or try --demo for the simulated market",
            ),
            Self::Key { source, origin } => {
                let from = origin.as_ref().map(|o| format!(" (from {o})")).unwrap_or_default();
                write!(f, "the API key{from} is unusable: {source}")
            }
            // The client's wording is the web app's (enter the key in the page): say it the
            // command line's way.
            Self::Api(e) => match e.as_ref() {
                ApiError::NotCached { what } => write!(
                    f,
                    "--offline: {what} is not in the cache: run without --offline, with DATABENTO_API_KEY set, to fetch the missing data (--dry-run shows its cost first)"
                ),
                ApiError::CorruptBody { billed_attempts: 1.., .. } | ApiError::Network { billed_attempts: 1.., .. } => {
                    write!(f, "{e}; set them with --billable-retries N (DATABENTO_BILLABLE_RETRIES, or billable_retries in the config file)")
                }
                e => write!(f, "{e}"),
            },
            Self::Output { path: Some(path), error } => {
                write!(f, "cannot write the output file {}: {error}; check the folder exists and is writable", path.display())
            }
            Self::Output { path: None, error } => write!(f, "cannot write to standard output: {error}"),
            Self::OverCostCap { estimate_usd, lower_bound, cap_usd, origin } => write!(
                f,
                "the estimated cost, {}${estimate_usd:.4}, is above --max-cost ${cap_usd:.4} (from {origin}): nothing was fetched; raise --max-cost, shorten the dates, or see the plan and its cost with --dry-run",
                if *lower_bound { "at least " } else { "" }
            ),
            Self::Strict { warnings, written_to } => write!(
                f,
                "--strict: the run has {warnings} data-gap warning(s) (listed above); the output was written to {written_to}"
            ),
            Self::RelayUpstream { given } => write!(
                f,
                "the relay forwards only to https://hist.databento.com (or, for tests, http://127.0.0.1:PORT or http://localhost:PORT), not to `{given}`"
            ),
            Self::RelayOrigin { given } => write!(
                f,
                "--allow-origin `{given}` is not a web page's origin: give its scheme, host and port only, as in http://127.0.0.1:8080 or https://app.example"
            ),
            Self::RelayListen { port, error } => write!(
                f,
                "the relay cannot listen on 127.0.0.1:{port}: {error}; pick another port with --port N (0 picks a free one)"
            ),
            Self::Startup(what) => write!(f, "cannot start: {what}"),
            Self::Exports(message) => write!(f, "--files: {message}"),
            Self::Conflict { first: (a, a_from), second: (b, b_from) } => write!(
                f,
                "{a} (from {a_from}) and {b} (from {b_from}) each choose where the market data comes from: give one of them"
            ),
            Self::NotReady { failed, total, .. } => {
                write!(f, "not ready: {failed} of {total} checks failed (listed on standard output)")
            }
        }
    }
}

impl From<ApiError> for CliError {
    fn from(e: ApiError) -> Self {
        Self::Api(Box::new(e))
    }
}

/// `text` with every Databento-key-shaped token (`db-` and at least 8 more key characters)
/// and `secret`, if given, replaced by `db-****`.
pub fn redact_keys(text: &str, secret: Option<&str>) -> String {
    let mut text = text.to_owned();
    if let Some(secret) = secret.map(str::trim).filter(|s| s.len() >= 8) {
        text = text.replace(secret, "db-****");
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("db-") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 3..];
        let len = tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(tail.len());
        if len >= 8 {
            out.push_str("db-****");
        } else {
            out.push_str(&rest[at..at + 3 + len]);
        }
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_shaped_text_is_blanked() {
        let key = "db-SECRETSECRETSECRETSECRETSECRE";
        assert_eq!(redact_keys(&format!("key {key}, again:{key}."), None), "key db-****, again:db-****.");
        assert_eq!(redact_keys("a db-1 b", None), "a db-1 b");
        assert_eq!(redact_keys("weird-key", Some("weird-key")), "db-****");
        assert_eq!(redact_keys("ends db-", None), "ends db-");
    }

    #[test]
    fn exit_codes_follow_the_kind_of_failure() {
        let unauthorized = ApiError::Unauthorized { detail: String::new(), request_id: None };
        assert_eq!(CliError::from(unauthorized).exit_code(), exit::AUTH);
        assert_eq!(CliError::Key { source: KeyError::Missing, origin: None }.exit_code(), exit::AUTH);
        assert_eq!(CliError::Missing { field: Field::run("start_date").unwrap() }.exit_code(), exit::BAD_INPUT);
        let server =
            ApiError::Server { what: "x".into(), status: 503, detail: String::new(), attempts: 5, request_id: None };
        assert_eq!(CliError::from(server).exit_code(), exit::NETWORK);
        assert_eq!(CliError::Strict { warnings: 1, written_to: "-".into() }.exit_code(), exit::DATA_GAPS);
        let offline = CliError::OfflineNoCache { offline: Origin::Flag, no_cache: Origin::Default };
        assert_eq!(offline.exit_code(), exit::BAD_INPUT);
    }

    #[test]
    fn data_missing_offline_exits_4_and_says_how_to_fetch_it() {
        let err = CliError::from(ApiError::NotCached { what: "the date range of GLBX.MDP3".into() });
        assert_eq!(err.exit_code(), exit::NETWORK);
        let message = err.to_string();
        assert!(message.starts_with("--offline: the date range of GLBX.MDP3 is not in the cache"), "{message}");
        assert!(message.contains("run without --offline, with DATABENTO_API_KEY set"), "{message}");
    }
}
