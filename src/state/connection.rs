//! What the Databento tab says about reaching Databento from a browser: the relay command
//! for this page, and what "Test connection" found — nothing answers, an answer the page
//! may not read (CORS), a refused key, or a working connection.

use chrono::NaiveDate;
use deltaroll_databento::RELAY_DEFAULT_ORIGINS;

use super::app_error::{AppError, Unanswered};

/// The command that starts a relay this page may call: `deltaroll relay`, with
/// `--allow-origin` when the page is not served from one of the relay's default origins.
/// `origin` is the page's (`location.origin`; `null` for a file).
pub fn relay_command(origin: &str) -> String {
    let served = origin.starts_with("http://") || origin.starts_with("https://");
    if served && !RELAY_DEFAULT_ORIGINS.contains(&origin) {
        format!("deltaroll relay --allow-origin {origin}")
    } else {
        "deltaroll relay".to_owned()
    }
}

/// What two probes of a gateway found: an ordinary (CORS) request, and one in `no-cors`
/// mode, whose answer the page cannot read but which succeeds whenever the server answers
/// at all. A failed `fetch` alone cannot tell a closed port from a CORS refusal; the pair
/// can (Fetch standard: a `no-cors` request yields an opaque response, a network error
/// only when nothing answered — https://fetch.spec.whatwg.org/#concept-request-mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The gateway answered and lets this page read its answers.
    Readable,
    /// The gateway answered, but not to this page: no CORS headers for it.
    NotForPages,
    /// Nothing answered: connection refused, no network, wrong host or port.
    NoAnswer,
}

impl Reach {
    /// The verdict of the probes: did the CORS one get an answer, did the `no-cors` one.
    pub fn from_probes(cors_answered: bool, no_cors_answered: bool) -> Self {
        match (cors_answered, no_cors_answered) {
            (true, _) => Self::Readable,
            (false, true) => Self::NotForPages,
            (false, false) => Self::NoAnswer,
        }
    }

    /// Why requests to `url` cannot work, if they cannot: the error to show.
    pub fn problem(self, url: &str) -> Option<AppError> {
        let unanswered = Unanswered { url: url.to_owned() };
        match self {
            Self::Readable => None,
            Self::NotForPages => Some(AppError::Cors(unanswered)),
            Self::NoAnswer => Some(AppError::NoAnswer(unanswered)),
        }
    }
}

/// Where "Test connection" is.
#[derive(Debug, Clone, PartialEq)]
pub enum ConnectionTest {
    /// Not pressed since the key or gateway changed.
    Untested,
    /// Under way.
    Testing,
    /// The gateway answered and accepted the key.
    Works(String),
    /// Why it does not work, and what to do.
    Fails(AppError),
}

/// The message of a working connection: the gateway, and the dates the dataset has.
pub fn works(url: &str, dataset: &str, range: Option<(NaiveDate, NaiveDate)>) -> String {
    let dates =
        range.map(|(first, end)| format!(" ({dataset} has data from {first} to before {end})")).unwrap_or_default();
    format!("Connected: {url} answered and accepted the API key{dates}. Estimates and runs will work.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::app_error::Hint;
    use crate::state::source::relay_example;

    #[test]
    fn the_relay_command_names_this_page_unless_the_relay_allows_it_already() {
        assert_eq!(relay_command("http://127.0.0.1:8080"), "deltaroll relay");
        assert_eq!(relay_command("http://localhost:8080"), "deltaroll relay");
        assert_eq!(relay_command("http://127.0.0.1:41234"), "deltaroll relay --allow-origin http://127.0.0.1:41234");
        assert_eq!(
            relay_command("https://someone.github.io"),
            "deltaroll relay --allow-origin https://someone.github.io"
        );
        assert_eq!(relay_command("null"), "deltaroll relay", "a file page has no origin to allow");
    }

    #[test]
    fn two_probes_tell_a_closed_port_from_a_cors_refusal() {
        let url = "http://127.0.0.1:9";
        assert_eq!(Reach::from_probes(true, true).problem(url), None);
        assert_eq!(Reach::from_probes(true, false).problem(url), None, "a readable answer is an answer");
        let refused = Reach::from_probes(false, false).problem(url).unwrap();
        assert!(matches!(refused, AppError::NoAnswer(_)), "{refused:?}");
        assert!(refused.message().starts_with("Nothing answers at http://127.0.0.1:9"), "{refused}");
        assert!(refused.message().contains("refused"), "{refused}");
        assert_eq!(refused.hint(), Some(Hint::Gateway));
        let cors = Reach::from_probes(false, true).problem("https://hist.databento.com").unwrap();
        assert!(matches!(cors, AppError::Cors(_)), "{cors:?}");
        assert!(cors.message().contains("does not let web pages read its answers (CORS)"), "{cors}");
        assert!(cors.message().contains(&relay_example()), "{cors}");
        assert!(!cors.message().contains('`'), "{cors}");
    }

    #[test]
    fn a_working_connection_says_so_with_the_dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let text = works("http://127.0.0.1:8790", "GLBX.MDP3", Some((d(2010, 6, 6), d(2026, 12, 1))));
        assert_eq!(
            text,
            "Connected: http://127.0.0.1:8790 answered and accepted the API key (GLBX.MDP3 has data from 2010-06-06 to before 2026-12-01). Estimates and runs will work."
        );
        assert!(works("x", "GLBX.MDP3", None).starts_with("Connected: x answered and accepted the API key."));
    }
}
