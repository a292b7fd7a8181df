//! Everything that stops a run or a step on the page, sorted by what the user must do
//! differently. Failures stay typed (the client's [`ApiError`], [`KeyError`], the gateway's
//! [`GatewayError`]) from where they happen to the one component that shows them, which
//! words them with [`AppError::message`] and adds [`AppError::hint`]. No message holds the
//! API key: the client redacts what servers send, key errors give only a length and
//! gateway errors only the start of what was typed (nothing when it looks like a key).

use std::fmt;

use deltaroll_databento::{ApiError, KeyError, TransportErrorKind};

use super::source::{relay_example, GatewayError};
use super::text::{quoted, sentence};
use crate::engine::{FilesError, RunError};

/// Why a run (or a step such as a download) failed, by what to do about it.
#[derive(Debug, Clone, PartialEq)]
pub enum AppError {
    /// No API key, or text not shaped like one; nothing was sent: type or paste the key.
    Key(KeyError),
    /// Databento refused the key (HTTP 401): paste the right, active key.
    KeyRefused(ApiError),
    /// The key works but the account may not fetch this (HTTP 402 payment, 403 licence):
    /// fix it in the Databento portal.
    NotAllowed(ApiError),
    /// The gateway URL typed cannot be used: fix it under Advanced.
    Gateway(GatewayError),
    /// The browser could not reach the gateway at all (a CORS refusal and a network
    /// failure look the same to a page): run `deltaroll relay` and set the gateway to it.
    Unreachable(ApiError),
    /// Nothing answers at the gateway (refused connection, no network): start the relay or
    /// fix the gateway URL.
    NoAnswer(Unanswered),
    /// The gateway answers, but not to web pages (no CORS headers for this page): run
    /// the relay and set the gateway to it.
    Cors(Unanswered),
    /// The connection failed, timed out or broke mid-answer: check the network, try again.
    Network(ApiError),
    /// Databento kept rate-limiting or failing after every retry: wait, then try again.
    Busy(ApiError),
    /// Databento will not serve these settings (refused parameters, no data for the
    /// dates, before the dataset's start): change the dates, product or settings.
    Settings(ApiError),
    /// An answer could not be used (corrupt, cut short, too large, unexpected): try again
    /// or fetch less.
    Response(ApiError),
    /// Reading without a key, part of the data is not in this browser's cache: enter the
    /// key and fetch it.
    NotCached(ApiError),
    /// Dropped files cannot be used (too large, unreadable, without the prices the run
    /// needs): drop other files.
    Files(FilesError),
    /// The strategy cannot run on this market with these settings: change the settings.
    Strategy(RunError),
    /// A fetch was asked for without a current estimate: estimate first.
    EstimateFirst(EstimateFirst),
    /// The browser refused a step (download, clipboard, cache); the message says what to do
    /// instead.
    Browser(String),
    /// The browser's clock gives no date (the cache needs today's): set the computer's
    /// clock.
    Clock,
}

/// A gateway whose answers the page cannot read (see [`super::connection::Reach`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unanswered {
    /// The gateway's URL (never holds a key: [`super::source::gateway`] refuses those).
    pub url: String,
}

/// Why a fetch cannot start yet: nothing billable is fetched before its estimate is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EstimateFirst {
    /// No estimate is shown.
    Missing,
    /// The estimate shown is for other settings.
    Changed,
    /// Another estimate or run is under way.
    Busy,
}

/// What the page adds under a message: where the setting to change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// The gateway URL, under Databento → Advanced.
    Gateway,
}

impl Hint {
    /// The hint's text.
    pub fn text(self) -> &'static str {
        match self {
            Self::Gateway => "Set the gateway under Databento → Advanced.",
        }
    }
}

impl AppError {
    /// The message for the error area, as a sentence: what went wrong and what to do.
    pub fn message(&self) -> String {
        match self {
            Self::Key(e) => sentence(&e.to_string()),
            Self::KeyRefused(e)
            | Self::NotAllowed(e)
            | Self::Unreachable(e)
            | Self::Network(e)
            | Self::Busy(e)
            | Self::Settings(e)
            | Self::Response(e)
            | Self::NotCached(e) => sentence(&e.to_string()),
            Self::Gateway(e) => quoted(&e.to_string()),
            Self::NoAnswer(Unanswered { url }) => format!(
                "Nothing answers at {url}: the connection was refused or the network is down. If it is a relay, start it (the command is at the top of the Databento tab); else check the gateway URL."
            ),
            Self::Cors(Unanswered { url }) => format!(
                "{url} answers, but does not let web pages read its answers (CORS), so this page cannot use it directly: run the relay (the command is at the top of the Databento tab) and set the gateway to {}.",
                relay_example()
            ),
            Self::Files(e) => quoted(&e.to_string()),
            Self::Strategy(e) => quoted(&e.to_string()),
            Self::Browser(message) => quoted(message),
            Self::EstimateFirst(why) => why.message().to_owned(),
            Self::Clock => "This browser’s clock gives no valid date, which the response cache needs: set the computer’s date and time, then reload the page.".to_owned(),
        }
    }

    /// Where the setting to change is, when the message alone does not say.
    pub fn hint(&self) -> Option<Hint> {
        match self {
            Self::Unreachable(_) | Self::Gateway(_) | Self::NoAnswer(_) | Self::Cors(_) => Some(Hint::Gateway),
            _ => None,
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl EstimateFirst {
    fn message(self) -> &'static str {
        match self {
            Self::Missing => "Estimate the cost first: nothing billable is fetched before you have seen it.",
            Self::Changed => "The settings changed since the estimate: estimate the cost again first.",
            Self::Busy => "A run is already under way.",
        }
    }
}

impl From<KeyError> for AppError {
    fn from(e: KeyError) -> Self {
        Self::Key(e)
    }
}

impl From<FilesError> for AppError {
    fn from(e: FilesError) -> Self {
        Self::Files(e)
    }
}

impl From<RunError> for AppError {
    fn from(e: RunError) -> Self {
        Self::Strategy(e)
    }
}

impl From<GatewayError> for AppError {
    fn from(e: GatewayError) -> Self {
        Self::Gateway(e)
    }
}

impl From<ApiError> for AppError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::Key(key) => Self::Key(key),
            e @ ApiError::Unauthorized { .. } => Self::KeyRefused(e),
            e @ ApiError::NoPermission { .. } => Self::NotAllowed(e),
            ApiError::Network { source, url, attempts, billed_attempts } => {
                let browser = source.kind == TransportErrorKind::BrowserFetch;
                let e = ApiError::Network { source, url, attempts, billed_attempts };
                if browser {
                    Self::Unreachable(e)
                } else {
                    Self::Network(e)
                }
            }
            e @ (ApiError::RateLimited { .. } | ApiError::Server { .. }) => Self::Busy(e),
            e @ (ApiError::Params(_)
            | ApiError::BadRequest { .. }
            | ApiError::NoData { .. }
            | ApiError::BeforeCoverage { .. }
            | ApiError::InvalidSpec { .. }) => Self::Settings(e),
            e @ ApiError::NotCached { .. } => Self::NotCached(e),
            e => Self::Response(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::NaiveDate;
    use deltaroll_core::spec::{SpecError, SpecField};
    use deltaroll_databento::{ApiKey, BaseUrl, DateRange, ParamError, TransportError};

    use super::*;
    use crate::engine::{check_file_size, demo_market, market_from_files, run_on};
    use crate::state::form::default_spec;
    use crate::state::source::gateway;

    const KEY: &str = "db-TESTKEY0000000000000000000000";

    fn network(kind: TransportErrorKind) -> ApiError {
        ApiError::Network {
            source: TransportError::new(kind, "TypeError: Failed to fetch"),
            url: "http://127.0.0.1:9/v0/metadata.get_dataset_range".into(),
            attempts: 5,
            billed_attempts: 0,
        }
    }

    fn variant(e: &AppError) -> &'static str {
        match e {
            AppError::Key(_) => "Key",
            AppError::KeyRefused(_) => "KeyRefused",
            AppError::NotAllowed(_) => "NotAllowed",
            AppError::Gateway(_) => "Gateway",
            AppError::Unreachable(_) => "Unreachable",
            AppError::NoAnswer(_) => "NoAnswer",
            AppError::Cors(_) => "Cors",
            AppError::Network(_) => "Network",
            AppError::Busy(_) => "Busy",
            AppError::Settings(_) => "Settings",
            AppError::Response(_) => "Response",
            AppError::NotCached(_) => "NotCached",
            AppError::Files(_) => "Files",
            AppError::Strategy(_) => "Strategy",
            AppError::EstimateFirst(_) => "EstimateFirst",
            AppError::Browser(_) => "Browser",
            AppError::Clock => "Clock",
        }
    }

    #[test]
    fn key_errors_ask_for_the_key_and_never_show_it() {
        let missing = AppError::from(ApiKey::new("  ").unwrap_err());
        assert_eq!(variant(&missing), "Key");
        assert!(missing.message().starts_with("No Databento API key was given"), "{missing}");
        let secret = "db-SECRET-but-too-short";
        let malformed = AppError::from(ApiKey::new(secret).unwrap_err());
        assert_eq!(variant(&malformed), "Key");
        assert!(malformed.message().starts_with("That is not a Databento API key"), "{malformed}");
        assert!(!malformed.message().contains("SECRET"));
        assert_eq!(AppError::from(ApiError::Key(KeyError::Missing)), AppError::Key(KeyError::Missing));
        assert_eq!(missing.hint(), None);
    }

    #[test]
    fn refused_keys_and_accounts_are_told_apart() {
        let refused = AppError::from(ApiError::Unauthorized { detail: "bad key db-****".into(), request_id: None });
        assert_eq!(variant(&refused), "KeyRefused");
        assert!(refused.message().starts_with("Databento refused the API key (HTTP 401"), "{refused}");
        for status in [402, 403] {
            let e = AppError::from(ApiError::NoPermission { status, detail: String::new(), request_id: None });
            assert_eq!(variant(&e), "NotAllowed", "{status}");
        }
        let e = AppError::from(ApiError::NoPermission { status: 403, detail: String::new(), request_id: None });
        assert!(e.message().starts_with("The API key has no permission"), "{e}");
    }

    /// The relay hint comes from the variant: only a browser fetch that got nothing back
    /// (CORS and network failures look the same) and a gateway URL that cannot be used.
    #[test]
    fn an_unreachable_gateway_points_to_the_relay_and_other_network_failures_do_not() {
        let unreachable = AppError::from(network(TransportErrorKind::BrowserFetch));
        assert_eq!(variant(&unreachable), "Unreachable");
        assert_eq!(unreachable.hint(), Some(Hint::Gateway));
        assert!(unreachable.message().starts_with("The browser could not reach http://127.0.0.1:9"), "{unreachable}");
        assert!(unreachable.message().contains("deltaroll relay"), "{unreachable}");
        assert_eq!(Hint::Gateway.text(), "Set the gateway under Databento → Advanced.");
        for kind in [TransportErrorKind::Connect, TransportErrorKind::Timeout, TransportErrorKind::Body] {
            let e = AppError::from(network(kind));
            assert_eq!(variant(&e), "Network", "{kind:?}");
            assert_eq!(e.hint(), None, "{kind:?}");
        }
    }

    #[test]
    fn rate_limits_and_server_failures_say_wait() {
        let limited = AppError::from(ApiError::RateLimited { retry_after: Some(Duration::from_secs(3)), attempts: 5 });
        assert_eq!(variant(&limited), "Busy");
        assert!(limited.message().contains("wait a minute and try again"), "{limited}");
        let down = AppError::from(ApiError::Server {
            what: "the date range of GLBX.MDP3".into(),
            status: 503,
            detail: String::new(),
            attempts: 5,
            request_id: None,
        });
        assert_eq!(variant(&down), "Busy");
        assert!(down.message().starts_with("Databento's servers failed to answer"), "{down}");
    }

    #[test]
    fn refused_settings_ask_for_other_settings() {
        let d = |day| NaiveDate::from_ymd_opt(2025, 1, day).unwrap();
        let errors = [
            ApiError::Params(ParamError::NoSymbols),
            ApiError::BadRequest {
                what: "statistics for HO.FUT".into(),
                status: 422,
                case: Some("data_start_before_available_start".into()),
                detail: String::new(),
                docs: None,
                request_id: None,
            },
            ApiError::NoData { what: "definitions".into(), range: DateRange::new(d(2), d(3)).unwrap(), detail: None },
            ApiError::BeforeCoverage { dataset: "GLBX.MDP3".into(), first: d(2) },
            ApiError::InvalidSpec { problems: vec!["the end is before the start".into()] },
        ];
        for e in errors {
            let shown = AppError::from(e.clone());
            assert_eq!(variant(&shown), "Settings", "{e:?}");
            assert_eq!(shown.message(), sentence(&e.to_string()));
        }
    }

    #[test]
    fn unusable_answers_and_missing_cache_are_their_own_kinds() {
        let corrupt = ApiError::CorruptBody { what: "x".into(), detail: "cut".into(), billed_attempts: 0 };
        let large = ApiError::BodyTooLarge { what: "x".into(), limit: 1024, detail: "2 KiB".into() };
        let odd = ApiError::Unexpected { what: "x".into(), status: 418, detail: String::new() };
        for e in [corrupt, large, odd] {
            assert_eq!(variant(&AppError::from(e.clone())), "Response", "{e:?}");
        }
        let corrupt =
            AppError::from(ApiError::CorruptBody { what: "x".into(), detail: "cut".into(), billed_attempts: 0 });
        assert!(corrupt.message().starts_with("The response for x is corrupt or cut short"), "{corrupt}");
        let missing = AppError::from(ApiError::NotCached { what: "definitions".into() });
        assert_eq!(variant(&missing), "NotCached");
        assert!(missing.message().starts_with("Definitions is not in the cache"), "{missing}");
    }

    #[test]
    fn gateway_errors_point_to_the_setting_and_never_show_a_key() {
        for typed in [KEY, "https://evil.example", "hist.databento.com", "http://example.com"] {
            let e = AppError::from(gateway(typed).unwrap_err());
            assert_eq!(variant(&e), "Gateway", "{typed}");
            assert_eq!(e.hint(), Some(Hint::Gateway), "{typed}");
            assert!(!e.message().contains("TESTKEY"), "{e}");
            assert!(e.message().starts_with(|c: char| c.is_uppercase() || c == '“'), "{e}");
        }
        assert!(AppError::from(gateway(KEY).unwrap_err()).message().contains("looks like it holds an API key"));
        assert!(AppError::from(gateway("http://example.com").unwrap_err()).message().starts_with("Plain http://"));
        assert!(gateway("").is_ok_and(|url| url == BaseUrl::databento()));
    }

    #[test]
    fn the_other_kinds_keep_their_words() {
        let files = AppError::from(FilesError::NotRead { name: "a.dbn".into(), reason: "NotReadableError".into() });
        assert_eq!(files.message(), "a.dbn could not be read: NotReadableError");
        assert_eq!(files.hint(), None);
        assert!(AppError::EstimateFirst(EstimateFirst::Missing).message().starts_with("Estimate the cost first"));
        assert!(AppError::EstimateFirst(EstimateFirst::Changed).message().contains("changed since the estimate"));
        assert_eq!(AppError::EstimateFirst(EstimateFirst::Busy).message(), "A run is already under way.");
        assert!(AppError::Clock.message().contains("clock"));
        let spec_error = |message: &str| SpecError { field: SpecField::Dates, message: message.into() };
        let strategy = AppError::from(RunError(vec![spec_error("Fix x."), spec_error("Fix y.")]));
        assert_eq!(strategy.to_string(), "Fix x. Fix y.");
        assert_eq!(AppError::Browser("y".into()).to_string(), "y");
    }

    #[test]
    fn the_engines_file_and_run_problems_become_their_kinds() {
        let spec = default_spec();
        let none = AppError::from(market_from_files(&spec, &[]).unwrap_err());
        assert_eq!(variant(&none), "Files");
        assert!(none.message().starts_with("No files: drop the files"), "{none}");
        let huge = AppError::from(check_file_size("huge.dbn", 3.0 * 1024.0 * 1024.0 * 1024.0).unwrap_err());
        assert_eq!(variant(&huge), "Files");
        assert!(huge.message().starts_with("huge.dbn is 3072 MiB, more than the 512 MiB"), "{huge}");
        let mut backwards = spec.clone();
        (backwards.start, backwards.end) = (spec.end, spec.start);
        let cannot = AppError::from(run_on(&backwards, &demo_market(&spec)).unwrap_err());
        assert_eq!(variant(&cannot), "Strategy");
        assert!(!cannot.message().is_empty());
    }
}
