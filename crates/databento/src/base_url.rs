//! Where requests go: Databento's Historical API, or a relay / gateway the user named. The
//! API key travels in a header, so only `https://` is accepted, or plain `http://` to this
//! machine (`deltaroll relay`, the fake server); never credentials, a query or a fragment.

use std::fmt;

use thiserror::Error;
use url::{Host, Url};

/// The Historical API gateway the official clients use by default.
pub const DEFAULT_BASE_URL: &str = "https://hist.databento.com";

/// The port `deltaroll relay` listens on by default (on 127.0.0.1), and so the gateway URL
/// the web app suggests for it.
pub const DEFAULT_RELAY_PORT: u16 = 8790;

/// The web app's pages that may use `deltaroll relay` unless told otherwise with
/// `--allow-origin` (`bash scripts/serve`'s), so the command the web app shows for other
/// pages names their origin.
pub const RELAY_DEFAULT_ORIGINS: [&str; 2] = ["http://127.0.0.1:8080", "http://localhost:8080"];

/// A checked base URL, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl(String);

/// Why a typed gateway URL is refused (each message says what to type instead).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BaseUrlError {
    /// Not a URL at all.
    #[error("{0} is not a URL: type one such as {DEFAULT_BASE_URL} or http://127.0.0.1:{DEFAULT_RELAY_PORT}")]
    NotUrl(Shown),
    /// Letters outside ASCII: look-alike domains are refused (the workspace pins `idna_adapter`
    /// 1.0, which has no Unicode tables); type the `xn--` form.
    #[error("the gateway URL must be plain ASCII: type an international domain name in its xn-- form")]
    NotAscii,
    /// `user:password@` in the URL.
    #[error("the gateway URL must not hold a user name or password: the API key is sent in a header")]
    Credentials,
    /// `?…` or `#…` in the URL.
    #[error("the gateway URL must not have a query (?…) or fragment (#…)")]
    QueryOrFragment,
    /// Plain http to another machine would expose the key.
    #[error("plain http:// is allowed only for this computer (127.0.0.1 or localhost, e.g. `deltaroll relay`): use https:// for {0}")]
    PlainHttp(Shown),
    /// Not http(s).
    #[error("the gateway URL must start with https:// (or http://127.0.0.1 for a local relay), not {0}")]
    Scheme(Shown),
}

/// What an error may show of typed text: its first [`Shown::MAX_CHARS`] characters, and
/// nothing at all when it holds `db-` (an API key pasted into the wrong field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown(Option<String>);

impl Shown {
    /// The most characters shown.
    pub const MAX_CHARS: usize = 12;

    /// The part of `typed` that may be shown.
    pub fn new(typed: &str) -> Self {
        if looks_like_key(typed) {
            return Self(None);
        }
        let mut chars = typed.chars();
        let mut head: String = chars.by_ref().take(Self::MAX_CHARS).collect();
        if chars.next().is_some() {
            head.push('…');
        }
        Self(Some(head))
    }
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(head) => write!(f, "`{head}`"),
            None => {
                f.write_str("what was typed (not shown: it looks like an API key, which goes in the API key field)")
            }
        }
    }
}

/// Whether `text` may hold a Databento API key (keys start with `db-`).
pub fn looks_like_key(text: &str) -> bool {
    text.to_ascii_lowercase().contains("db-")
}

impl BaseUrl {
    /// Databento's own API ([`DEFAULT_BASE_URL`]).
    pub fn databento() -> Self {
        Self(DEFAULT_BASE_URL.to_owned())
    }

    /// Check a typed URL; blank means Databento's own. Surrounding whitespace and trailing
    /// slashes are dropped.
    pub fn parse(typed: &str) -> Result<Self, BaseUrlError> {
        let typed = typed.trim();
        if typed.is_empty() {
            return Ok(Self::databento());
        }
        if !typed.is_ascii() {
            return Err(BaseUrlError::NotAscii);
        }
        let url = Url::parse(typed).map_err(|_| BaseUrlError::NotUrl(Shown::new(typed)))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(BaseUrlError::Credentials);
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(BaseUrlError::QueryOrFragment);
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => return Err(BaseUrlError::PlainHttp(Shown::new(url.host_str().unwrap_or_default()))),
            other => return Err(BaseUrlError::Scheme(Shown::new(&format!("{other}://")))),
        }
        Ok(Self(url.as_str().trim_end_matches('/').to_owned()))
    }

    /// The URL, e.g. `https://hist.databento.com`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is Databento's own API.
    pub fn is_databento(&self) -> bool {
        self.0 == DEFAULT_BASE_URL
    }

    /// Whether it is a bare origin: scheme, host and port, no path.
    pub fn is_origin(&self) -> bool {
        Url::parse(&self.0).is_ok_and(|u| u.path() == "/")
    }

    /// Whether requests stay on this machine (127.0.0.0/8, ::1 or `localhost`).
    pub fn is_loopback(&self) -> bool {
        Url::parse(&self.0).is_ok_and(|u| is_loopback(&u))
    }
}

impl Default for BaseUrl {
    fn default() -> Self {
        Self::databento()
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `url` points at this machine.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_and_plain_http_only_to_this_machine() {
        assert_eq!(BaseUrl::parse("").unwrap(), BaseUrl::databento());
        assert!(BaseUrl::parse(" https://hist.databento.com/ ").unwrap().is_databento());
        let relay = BaseUrl::parse("http://127.0.0.1:8790/").unwrap();
        assert_eq!(relay.as_str(), "http://127.0.0.1:8790");
        assert!(relay.is_loopback() && !relay.is_databento() && relay.is_origin());
        assert!(BaseUrl::parse("http://localhost:18080").unwrap().is_loopback());
        assert!(BaseUrl::parse("http://[::1]:18080").unwrap().is_loopback());
        let gateway = BaseUrl::parse("https://gateway.example/databento").unwrap();
        assert_eq!(gateway.as_str(), "https://gateway.example/databento");
        assert!(!gateway.is_loopback() && !gateway.is_origin());
    }

    #[test]
    fn refusals_say_why() {
        assert!(matches!(BaseUrl::parse("hist.databento.com"), Err(BaseUrlError::NotUrl(_))));
        assert_eq!(BaseUrl::parse("https://u:p@example.com"), Err(BaseUrlError::Credentials));
        assert_eq!(BaseUrl::parse("https://example.com/?key=x"), Err(BaseUrlError::QueryOrFragment));
        assert_eq!(BaseUrl::parse("http://example.com"), Err(BaseUrlError::PlainHttp(Shown::new("example.com"))));
        assert!(matches!(BaseUrl::parse("http://127.0.0.1.evil.example"), Err(BaseUrlError::PlainHttp(_))));
        assert_eq!(
            BaseUrl::parse("ftp://x").unwrap_err().to_string(),
            "the gateway URL must start with https:// (or http://127.0.0.1 for a local relay), not `ftp://`"
        );
        assert_eq!(BaseUrl::parse("https://hist.databentо.com"), Err(BaseUrlError::NotAscii), "Cyrillic o");
        assert!(BaseUrl::parse("https://xn--bcher-kva.example").is_ok());
        let message = BaseUrl::parse("http://example.com").unwrap_err().to_string();
        assert!(message.contains("https://"), "{message}");
    }

    #[test]
    fn refusals_show_a_short_prefix_and_never_a_key() {
        let message = BaseUrl::parse("hist.databento.com").unwrap_err().to_string();
        assert!(message.starts_with("`hist.databen…` is not a URL"), "{message}");
        assert!(message.ends_with(&format!("http://127.0.0.1:{DEFAULT_RELAY_PORT}")), "{message}");
        assert_eq!(BaseUrl::parse("nope").unwrap_err().to_string().split(' ').next(), Some("`nope`"));
        let key = "db-TESTKEY0000000000000000000000";
        for typed in [key, &format!(" {key} "), "DB-TESTKEY", "x:db-TESTKEY", "http://db-TESTKEY.example"] {
            let message = BaseUrl::parse(typed).unwrap_err().to_string();
            assert!(!message.to_ascii_lowercase().contains("db-"), "{typed}: {message}");
            assert!(!message.contains("TESTKEY"), "{typed}: {message}");
        }
        let message = BaseUrl::parse(key).unwrap_err().to_string();
        assert!(message.starts_with("what was typed (not shown: it looks like an API key"), "{message}");
        assert_eq!(Shown::new("https://127.0.0.1:8790").to_string(), "`https://127.…`");
        assert_eq!(Shown::new("short").to_string(), "`short`");
    }
}
