//! Where market data comes from, and what each source needs before Run is allowed: the
//! demo market's limits, a well-formed API key, dropped files; the gateway check.

use chrono::NaiveDate;
use deltaroll_core::demo::{refusal, DemoConfig, DEMO_MAX_MONTHS_AHEAD};
use deltaroll_core::spec::RunSpec;
use deltaroll_databento::{
    looks_like_key, ApiKey, BaseUrl, BaseUrlError, Dataset, Shown, DEFAULT_BASE_URL, DEFAULT_RELAY_PORT,
};

use super::form::{Field, FieldError, FormState};
use super::text::{quoted, sentence};

/// The data source selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceKind {
    /// The embedded simulated market (the default: works with no key, offline).
    #[default]
    Demo,
    /// Databento's Historical API (or a relay / gateway) with the user's key.
    Databento,
    /// Files exported from Databento, dropped on the page.
    Files,
}

impl SourceKind {
    /// Every source, in selector order.
    pub const ALL: [Self; 3] = [Self::Demo, Self::Databento, Self::Files];

    /// `demo`, `databento` or `files` (share links, selector values).
    pub fn code(self) -> &'static str {
        match self {
            Self::Demo => "demo",
            Self::Databento => "databento",
            Self::Files => "files",
        }
    }

    /// The source for a code, if known.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// What the selector shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::Demo => "Demo (simulated)",
            Self::Databento => "Databento",
            Self::Files => "Files",
        }
    }
}

/// First and last date the demo market has prices for runs.
pub fn demo_range() -> (NaiveDate, NaiveDate) {
    let config = DemoConfig::default();
    (config.start, config.end)
}

/// What the user gave each source: the key and gateway typed, the files dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SourceInputs<'a> {
    /// The API key as typed.
    pub key: &'a str,
    /// The gateway URL as typed (empty: Databento's).
    pub gateway: &'a str,
    /// Files dropped.
    pub files: usize,
}

/// What the chosen source lacks for `spec` (empty when it can run).
pub fn source_problems(kind: SourceKind, spec: &RunSpec, inputs: SourceInputs<'_>) -> Vec<FieldError> {
    let mut problems = Vec::new();
    match kind {
        SourceKind::Demo => {
            if let Some(reason) = refusal(&spec.product) {
                problems.push(FieldError::new(Field::Setting("futures_root"), reason));
            }
            let (first, last) = demo_range();
            if spec.start < first || spec.end > last {
                problems.push(FieldError::new(
                    Field::Dates,
                    format!("The demo market covers {first} to {last}: pick dates inside that range."),
                ));
            }
            if spec.max_months_ahead() > DEMO_MAX_MONTHS_AHEAD {
                problems.push(FieldError::new(
                    Field::Setting("months_ahead"),
                    format!(
                        "The demo market lists options only {DEMO_MAX_MONTHS_AHEAD} months ahead: choose 1 to {DEMO_MAX_MONTHS_AHEAD}, or use Databento."
                    ),
                ));
            }
        }
        SourceKind::Databento => {
            let dataset: Option<Dataset> = spec.product.dataset.parse().ok();
            if let Some(first) = dataset.as_ref().and_then(Dataset::known_start).filter(|first| spec.start < *first) {
                problems.push(FieldError::new(
                    Field::Dates,
                    format!(
                        "Databento's {} data starts on {first}: pick a start date on or after it.",
                        spec.product.dataset
                    ),
                ));
            }
            if let Err(e) = ApiKey::new(inputs.key) {
                problems.push(FieldError::new(Field::Source, sentence(&e.to_string())));
            }
            if let GatewayCheck::Refused(why) = check_gateway(inputs.gateway) {
                problems.push(FieldError::new(Field::Source, why));
            }
        }
        SourceKind::Files => {
            if inputs.files == 0 {
                problems.push(FieldError::new(
                    Field::Source,
                    "No files yet: drop the DBN, JSON or CSV files you exported from Databento (definitions and prices of the futures and options).",
                ));
            }
        }
    }
    problems
}

/// Everything that stops a run: the form's problems, then the source's.
pub fn all_problems(form: &FormState, kind: SourceKind, inputs: SourceInputs<'_>) -> Vec<FieldError> {
    match form.spec() {
        Ok(spec) => source_problems(kind, &spec, inputs),
        Err(errors) => errors,
    }
}

/// The spec to run, or why the Run button is disabled (shown next to it), from the form and
/// its [`all_problems`].
pub fn run_gate(form: &FormState, problems: &[FieldError]) -> Result<RunSpec, String> {
    match problems.first() {
        None => form.spec().map_err(|e| e.first().map(|e| e.message.clone()).unwrap_or_default()),
        Some(first) if problems.len() == 1 => Err(first.message.clone()),
        Some(first) => Err(format!("{} (and {} more problem(s) marked above)", first.message, problems.len() - 1)),
    }
}

/// How the app judges a gateway URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayCheck {
    /// Databento's own API.
    Databento,
    /// Another server the page may call (localhost: a relay or the fake server); the key
    /// goes there, so the user is warned.
    Other(String),
    /// A URL the page's security policy blocks, or not a URL at all.
    Refused(String),
}

/// Why a typed gateway URL cannot be used (each message says what to type instead; none
/// shows a key or more than the start of what was typed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayError {
    /// It holds what looks like an API key (`db-…`), pasted into the wrong field.
    LooksLikeKey,
    /// Not a URL the client accepts.
    Url(BaseUrlError),
    /// A URL the page's Content-Security-Policy blocks: neither Databento's nor this
    /// computer's.
    NotAllowed(Shown),
}

impl std::fmt::Display for GatewayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::LooksLikeKey => write!(
                f,
                "The gateway URL looks like it holds an API key (db-…): put the key in the API key field, and here a URL such as {}.",
                relay_example()
            ),
            Self::Url(e) => f.write_str(&sentence(&e.to_string())),
            Self::NotAllowed(shown) => write!(
                f,
                "{shown} is not allowed: this page may only call {DEFAULT_BASE_URL} or a relay on this computer (http://127.0.0.1:PORT or http://localhost:PORT, e.g. {}).",
                relay_example()
            ),
        }
    }
}

/// The gateway a typed URL names, if this page may call it: Databento's own (blank), or
/// a relay on this computer — the page's Content-Security-Policy allows nothing else.
pub fn gateway(typed: &str) -> Result<BaseUrl, GatewayError> {
    if looks_like_key(typed) {
        return Err(GatewayError::LooksLikeKey);
    }
    let url = BaseUrl::parse(typed).map_err(GatewayError::Url)?;
    let local = ["http://127.0.0.1", "http://localhost"]
        .iter()
        .any(|p| url.as_str().strip_prefix(p).is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/'])));
    if url.is_databento() || local {
        Ok(url)
    } else {
        Err(GatewayError::NotAllowed(Shown::new(url.as_str())))
    }
}

/// The gateway URL of `deltaroll relay` with its default port, as the page suggests it.
pub fn relay_example() -> String {
    format!("http://127.0.0.1:{DEFAULT_RELAY_PORT}")
}

/// The gateway check and the warning to show.
pub fn check_gateway(typed: &str) -> GatewayCheck {
    match gateway(typed) {
        Ok(url) if url.is_databento() => GatewayCheck::Databento,
        Ok(url) => GatewayCheck::Other(format!(
            "Requests and your API key go to {url}, not to Databento ({DEFAULT_BASE_URL}). Use this only for a relay you run yourself (“deltaroll relay”) or the local test server."
        )),
        Err(why) => GatewayCheck::Refused(quoted(&why.to_string())),
    }
}

/// What "Remember on this device" keeps in this browser: the key and the gateway while it
/// is ticked, nothing otherwise. A blank key, Databento's own gateway and a gateway the page
/// refuses (one that looks like a key included) are nothing to keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kept {
    /// The API key, trimmed.
    pub key: Option<String>,
    /// The gateway URL, as checked (no trailing slash).
    pub gateway: Option<String>,
}

impl Kept {
    /// What to keep of the key and gateway typed, with the box ticked or not.
    pub fn new(remember: bool, key: &str, typed_gateway: &str) -> Self {
        if !remember {
            return Self::default();
        }
        let key = Some(key.trim()).filter(|k| !k.is_empty()).map(str::to_owned);
        let gateway = gateway(typed_gateway).ok().filter(|url| !url.is_databento()).map(|url| url.to_string());
        Self { key, gateway }
    }

    /// Whether there is anything to keep (the box was ticked last time).
    pub fn is_empty(&self) -> bool {
        self.key.is_none() && self.gateway.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::form::default_spec;
    use deltaroll_core::product::ProductSpec;
    use deltaroll_core::settings::setting;

    const KEY: &str = "db-TESTKEY0000000000000000000000";

    fn key(key: &str) -> SourceInputs<'_> {
        SourceInputs { key, ..SourceInputs::default() }
    }

    fn files(files: usize) -> SourceInputs<'static> {
        SourceInputs { files, ..SourceInputs::default() }
    }

    #[test]
    fn source_codes_round_trip() {
        for s in SourceKind::ALL {
            assert_eq!(SourceKind::from_code(s.code()), Some(s));
        }
        assert_eq!(SourceKind::from_code("nope"), None);
    }

    #[test]
    fn the_demo_refuses_what_it_cannot_serve() {
        let mut spec = default_spec();
        assert!(source_problems(SourceKind::Demo, &spec, files(0)).is_empty());
        spec.months_ahead = DEMO_MAX_MONTHS_AHEAD + 1;
        spec.start = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
        spec.product = ProductSpec::heating_oil().with_roots("CL", "LO").unwrap();
        let problems = source_problems(SourceKind::Demo, &spec, files(0));
        let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, [Field::Setting("futures_root"), Field::Dates, Field::Setting("months_ahead")]);
        assert!(problems[1].message.contains("2021-01-01"), "{}", problems[1].message);
        assert!(problems[2].message.contains("only 3 months"), "{}", problems[2].message);
        assert!(problems[0].message.contains("simulates the presets HO, CL, NG, RB, BZ"), "{}", problems[0].message);
        spec.product = ProductSpec::preset("CL").unwrap();
        let problems = source_problems(SourceKind::Demo, &spec, files(0));
        assert!(!problems.iter().any(|p| p.field == Field::Setting("futures_root")), "the demo simulates CL");
    }

    #[test]
    fn databento_needs_a_well_formed_key_and_never_echoes_it() {
        let spec = default_spec();
        assert!(source_problems(SourceKind::Databento, &spec, key(KEY)).is_empty());
        let missing = source_problems(SourceKind::Databento, &spec, key("  "));
        assert!(missing[0].message.starts_with("No Databento API key"), "{}", missing[0].message);
        let secret = "db-SECRET-but-too-short";
        let bad = source_problems(SourceKind::Databento, &spec, key(secret));
        assert!(bad[0].message.contains("32 characters"));
        assert!(!bad[0].message.contains("SECRET"));
        let elsewhere = SourceInputs { key: KEY, gateway: "https://evil.example", files: 0 };
        let refused = source_problems(SourceKind::Databento, &spec, elsewhere);
        assert!(refused[0].message.contains("is not allowed"), "{refused:?}");
    }

    #[test]
    fn files_need_files() {
        let spec = default_spec();
        assert_eq!(source_problems(SourceKind::Files, &spec, files(0))[0].field, Field::Source);
        assert!(source_problems(SourceKind::Files, &spec, files(2)).is_empty());
    }

    #[test]
    fn the_run_gate_says_why() {
        let form = FormState::default();
        assert_eq!(run_gate(&form, &all_problems(&form, SourceKind::Demo, files(0))), Ok(default_spec()));
        let reason = run_gate(&form, &all_problems(&form, SourceKind::Databento, key(""))).unwrap_err();
        assert!(reason.contains("API key"), "{reason}");
        let mut bad = FormState::default();
        bad.set(setting("delta").unwrap(), "abc");
        bad.set(setting("band").unwrap(), "x");
        let reason = run_gate(&bad, &all_problems(&bad, SourceKind::Demo, files(0))).unwrap_err();
        assert!(reason.contains("is not a decimal number") && reason.contains("1 more"), "{reason}");
    }

    #[test]
    fn databento_runs_start_inside_its_data() {
        let mut early = FormState::default();
        early.set(setting("start_date").unwrap(), "2009-01-02");
        early.set(setting("end_date").unwrap(), "2009-12-31");
        let problems = all_problems(&early, SourceKind::Databento, key(KEY));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, Field::Dates);
        assert!(problems[0].message.contains("GLBX.MDP3 data starts on 2010-06-06"), "{problems:?}");
        let mut inside = early;
        inside.set(setting("start_date").unwrap(), "2010-06-07");
        inside.set(setting("end_date").unwrap(), "2010-12-31");
        assert!(all_problems(&inside, SourceKind::Databento, key(KEY)).is_empty());
    }

    #[test]
    fn gateways_other_than_databentos_warn_or_are_refused() {
        assert_eq!(check_gateway(""), GatewayCheck::Databento);
        assert_eq!(check_gateway("https://hist.databento.com/"), GatewayCheck::Databento);
        assert!(
            matches!(check_gateway("http://127.0.0.1:18080"), GatewayCheck::Other(w) if w.contains("not to Databento"))
        );
        assert!(matches!(check_gateway("http://localhost:8787/"), GatewayCheck::Other(_)));
        assert!(matches!(check_gateway("https://evil.example"), GatewayCheck::Refused(_)));
        assert!(matches!(check_gateway("http://127.0.0.1.evil.example"), GatewayCheck::Refused(_)));
        assert!(matches!(check_gateway("http://[::1]:8790"), GatewayCheck::Refused(_)), "not in the CSP");
        assert!(matches!(check_gateway("hist.databento.com"), GatewayCheck::Refused(w) if w.contains("not a URL")));
        assert_eq!(gateway(" http://127.0.0.1:18080/ ").unwrap().as_str(), "http://127.0.0.1:18080");
        assert!(gateway("").unwrap().is_databento());
    }

    #[test]
    fn gateway_refusals_never_echo_a_key_or_more_than_a_prefix() {
        for typed in [KEY, " db-TESTKEY ", "http://127.0.0.1:8790/db-TESTKEY0000000000000000000000"] {
            let GatewayCheck::Refused(why) = check_gateway(typed) else { panic!("{typed} was accepted") };
            assert!(why.contains("looks like it holds an API key") && !why.contains("TESTKEY"), "{why}");
            assert!(why.contains(&format!("http://127.0.0.1:{DEFAULT_RELAY_PORT}")), "{why}");
        }
        let GatewayCheck::Refused(why) = check_gateway("https://evil.example/some/long/path") else { panic!() };
        assert!(why.starts_with("“https://evil…” is not allowed"), "{why}");
        let GatewayCheck::Refused(why) = check_gateway("not-a-url-but-long") else { panic!() };
        assert!(why.starts_with("“not-a-url-bu…” is not a URL"), "{why}");
    }

    #[test]
    fn only_a_ticked_box_keeps_the_key_and_gateway() {
        let relay = relay_example();
        assert_eq!(Kept::new(false, KEY, &relay), Kept::default());
        assert!(Kept::new(false, KEY, &relay).is_empty());
        let kept = Kept::new(true, &format!(" {KEY} "), &format!("{relay}/"));
        assert_eq!(kept, Kept { key: Some(KEY.into()), gateway: Some(relay.clone()) });
        // A key pasted into the gateway field is never kept, nor a refused or default gateway.
        for typed in [KEY, "https://evil.example", "", DEFAULT_BASE_URL, "http://127.0.0.1:87 9"] {
            assert_eq!(Kept::new(true, "", typed), Kept::default(), "{typed}");
        }
    }
}
