//! Validated settings: the merged configuration parsed field by field (one parser per
//! setting, whatever layer the text came from) into the core's [`RunSpec`] and the CLI's
//! own choices. Nothing here touches the network or the output.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use chrono::NaiveDate;
use deltaroll_core::export::{ExportFormat, ManifestOptions, WideFormat};
use deltaroll_core::settings::{resolve, RunSettings, SettingError};
use deltaroll_core::spec::{RunSpec, SpecField};
use deltaroll_databento::{ApiKey, BaseUrl, RetryPolicy, DEFAULT_BASE_URL};

use crate::config::Merged;
use crate::error::CliError;
use crate::setting::{Field, Origin};
use crate::setting_flags::END_DATE_DEFAULT;

/// Where the report goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Standard output (`-`).
    Stdout,
    /// A file, replaced only when the run succeeds.
    File(PathBuf),
}

/// Log verbosity and shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogSettings {
    /// Most verbose level shown.
    pub level: tracing::Level,
    /// JSON lines instead of text.
    pub json: bool,
}

/// Where market data comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum DataSource {
    /// The simulated demo market.
    Demo,
    /// Databento's Historical API at `gateway`.
    Databento {
        /// Base URL.
        gateway: BaseUrl,
        /// Response cache directory (`None`: no cache).
        cache_dir: Option<PathBuf>,
        /// Retries of failed requests.
        retry: RetryPolicy,
        /// The most a run may cost (`--max-cost`), if capped.
        max_cost: Option<CostCap>,
    },
    /// Databento exports (`--files`): files, or folders of them.
    Files(Vec<PathBuf>),
    /// Only Databento responses an earlier run cached (`--offline`): no key, no network.
    Offline {
        /// Response cache directory, read and never written.
        cache_dir: PathBuf,
        /// The gateway whose cached answers are read (each gateway's are kept apart).
        gateway: BaseUrl,
    },
}

/// `--max-cost`: the fetch is refused when the plan's estimate is above it.
#[derive(Debug, Clone, PartialEq)]
pub struct CostCap {
    /// USD, finite and not negative.
    pub usd: f64,
    /// Where it was set.
    pub origin: Origin,
}

/// Everything a run needs, checked.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The core's run spec.
    pub spec: RunSpec,
    /// Export format.
    pub format: ExportFormat,
    /// The wide CSV's dates and option unit (the other formats ignore them).
    pub wide: WideFormat,
    /// What the JSON manifest adds (the other formats ignore it).
    pub manifest: ManifestOptions,
    /// Destination.
    pub output: Output,
    /// Demo or Databento.
    pub source: DataSource,
    /// Warnings make the exit code 5.
    pub strict: bool,
}

/// The defaults that are not the core's: computed where needed.
pub struct Defaults {
    /// Today's date (UTC), from the clock: the end date defaults to the day before.
    pub today: NaiveDate,
    /// `$XDG_CACHE_HOME`, `$HOME`.
    pub cache_dir: Option<PathBuf>,
}

impl Defaults {
    /// From the clock and the environment.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Self {
        Self { today: chrono::Utc::now().date_naive(), cache_dir: default_cache_dir(env) }
    }

    /// The default text of `field` and, when computed, how.
    pub fn text(&self, field: Field) -> Option<(String, Option<&'static str>)> {
        let plain = |s: String| Some((s, None));
        match field {
            Field::Run(setting) if setting.key == "end_date" => {
                Some((self.yesterday().to_string(), Some(END_DATE_DEFAULT)))
            }
            Field::Run(setting) => setting.default_text().map(|t| (t, None)),
            Field::MaxCost | Field::ApiKey | Field::MetricsFile | Field::Files => None,
            Field::Output => plain("-".into()),
            Field::Format => plain(ExportFormat::default().as_str().into()),
            Field::ManifestChains | Field::Demo | Field::NoCache | Field::Offline | Field::Strict => {
                plain("false".into())
            }
            Field::Gateway => plain(DEFAULT_BASE_URL.into()),
            Field::CacheDir => self.cache_dir.as_ref().map(|d| (d.display().to_string(), Some("XDG cache directory"))),
            Field::Retries => plain((RetryPolicy::default().max_tries - 1).to_string()),
            Field::BillableRetries => plain(RetryPolicy::default().billable_retries.to_string()),
            Field::RetryWaitMs => plain(RetryPolicy::default().base_delay.as_millis().to_string()),
            Field::LogLevel => plain("info".into()),
            Field::LogFormat => plain("text".into()),
        }
    }

    fn yesterday(&self) -> NaiveDate {
        self.today.pred_opt().unwrap_or(self.today)
    }
}

/// `$XDG_CACHE_HOME/deltaroll` (when absolute), else `$HOME/.cache/deltaroll`.
fn default_cache_dir(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let xdg = env("XDG_CACHE_HOME").map(PathBuf::from).filter(|p| p.is_absolute());
    let base = xdg.or_else(|| env("HOME").filter(|h| !h.is_empty()).map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("deltaroll"))
}

/// The merged configuration with defaults filled in, parsed.
pub struct Resolver<'a> {
    merged: &'a Merged,
    defaults: &'a Defaults,
}

impl<'a> Resolver<'a> {
    /// Read `merged` over `defaults`.
    pub fn new(merged: &'a Merged, defaults: &'a Defaults) -> Self {
        Self { merged, defaults }
    }

    /// The text of `field` and where it came from.
    fn text(&self, field: Field) -> Option<(String, Origin)> {
        match self.merged.get(field) {
            Some(g) => Some((g.text.clone(), g.origin.clone())),
            None => self.defaults.text(field).map(|(t, _)| (t, Origin::Default)),
        }
    }

    /// `field` parsed by `parse`; `None` when no layer and no default has it.
    fn parse<T>(&self, field: Field, parse: impl Fn(&str) -> Result<T, String>) -> Result<Option<T>, CliError> {
        let Some((text, origin)) = self.text(field) else { return Ok(None) };
        parse(text.trim()).map(Some).map_err(|reason| CliError::BadValue {
            field,
            origin,
            // Never repeat a secret.
            value: if field.is_secret() { None } else { Some(text) },
            reason,
        })
    }

    /// Where `field`'s value came from.
    fn origin(&self, field: Field) -> Origin {
        self.text(field).map_or(Origin::Default, |(_, origin)| origin)
    }

    fn required<T>(&self, field: Field, parse: impl Fn(&str) -> Result<T, String>) -> Result<T, CliError> {
        self.parse(field, parse)?.ok_or(CliError::Missing { field })
    }

    /// Logging: read first, so that every later problem can be logged.
    pub fn log(&self) -> Result<LogSettings, CliError> {
        let level = self.required(Field::LogLevel, |s| {
            tracing::Level::from_str(s).map_err(|_| "must be error, warn, info, debug or trace".to_owned())
        })?;
        let json = self.required(Field::LogFormat, |s| match s {
            "text" => Ok(false),
            "json" => Ok(true),
            _ => Err("must be text or json".to_owned()),
        })?;
        Ok(LogSettings { level, json })
    }

    /// `--metrics-file`, if given: read apart from the run's settings, so that a run whose
    /// settings fail still writes its metrics.
    pub fn metrics_file(&self) -> Result<Option<PathBuf>, CliError> {
        self.parse(Field::MetricsFile, |s| {
            if s.is_empty() {
                Err("must be a file path".to_owned())
            } else {
                Ok(PathBuf::from(s))
            }
        })
    }

    /// The API key, from `DATABENTO_API_KEY` or the config file (never from a flag).
    pub fn api_key(&self) -> Result<ApiKey, CliError> {
        let given = self.merged.get(Field::ApiKey);
        ApiKey::new(given.map_or("", |g| g.text.as_str()))
            .map_err(|source| CliError::Key { source, origin: given.map(|g| g.origin.clone()) })
    }

    /// Every run setting, checked; the spec by the core's own validation.
    pub fn settings(&self) -> Result<Settings, CliError> {
        let RunSettings { spec, wide } = self.run_settings()?;
        let format = self.required(Field::Format, |s| s.parse::<ExportFormat>().map_err(|e| e.problem()))?;
        let output = self
            .required(Field::Output, |s| Ok(if s == "-" { Output::Stdout } else { Output::File(PathBuf::from(s)) }))?;
        let strict = self.required(Field::Strict, parse_switch)?;
        let manifest = ManifestOptions { chains: self.required(Field::ManifestChains, parse_switch)? };
        let files = self.parse(Field::Files, |s| Ok(std::env::split_paths(s).collect::<Vec<_>>()))?;
        let conflict =
            |a: Field, b: Field| CliError::Conflict { first: (a, self.origin(a)), second: (b, self.origin(b)) };
        let source = if self.required(Field::Demo, parse_switch)? {
            if files.is_some() {
                return Err(conflict(Field::Demo, Field::Files));
            }
            DataSource::Demo
        } else if let Some(files) = files {
            if self.required(Field::Offline, parse_switch)? {
                return Err(conflict(Field::Files, Field::Offline));
            }
            DataSource::Files(files)
        } else if self.required(Field::Offline, parse_switch)? {
            if self.required(Field::NoCache, parse_switch)? {
                return Err(CliError::OfflineNoCache {
                    offline: self.origin(Field::Offline),
                    no_cache: self.origin(Field::NoCache),
                });
            }
            DataSource::Offline { cache_dir: self.cache_dir(true)?, gateway: self.gateway()? }
        } else {
            let gateway = self.gateway()?;
            let no_cache = self.required(Field::NoCache, parse_switch)?;
            let cache_dir = if no_cache { None } else { Some(self.cache_dir(false)?) };
            let retries: u32 = self.required(Field::Retries, |s| {
                parse_count(s).and_then(|n| if n <= 20 { Ok(n) } else { Err("must be at most 20".to_owned()) })
            })?;
            let billable_retries: u32 = self.required(Field::BillableRetries, |s| {
                parse_count(s).and_then(|n| if n <= 20 { Ok(n) } else { Err("must be at most 20".to_owned()) })
            })?;
            let wait_ms: u64 = self.required(Field::RetryWaitMs, |s| {
                s.parse::<u64>().map_err(|_| "must be a whole number of milliseconds".to_owned())
            })?;
            let retry = RetryPolicy {
                max_tries: retries + 1,
                billable_retries,
                base_delay: Duration::from_millis(wait_ms),
                ..RetryPolicy::default()
            };
            let max_cost =
                self.parse(Field::MaxCost, parse_usd)?.map(|usd| CostCap { usd, origin: self.origin(Field::MaxCost) });
            DataSource::Databento { gateway, cache_dir, retry, max_cost }
        };
        Ok(Settings { spec, format, wide, manifest, output, source, strict })
    }

    /// The core's run settings from their texts: the first unreadable one, or every
    /// problem the core's validation finds.
    fn run_settings(&self) -> Result<RunSettings, CliError> {
        let errors = match resolve(|setting| self.text(Field::Run(setting)).map(|(text, _)| text)) {
            Ok(settings) => return Ok(settings),
            Err(errors) => errors,
        };
        let mut problems = Vec::new();
        for error in errors {
            match error {
                SettingError::Missing(setting) => return Err(CliError::Missing { field: Field::Run(setting) }),
                SettingError::Parse { setting, error } => {
                    let field = Field::Run(setting);
                    return Err(CliError::BadValue {
                        field,
                        origin: self.origin(field),
                        value: Some(error.text.clone()),
                        reason: error.problem(),
                    });
                }
                SettingError::Invalid(e) => problems.push((spec_field(e.field), e.message)),
            }
        }
        Err(CliError::Spec { problems })
    }

    /// `--cache-dir` or the default one (`offline`: for the message when there is none).
    fn gateway(&self) -> Result<BaseUrl, CliError> {
        self.required(Field::Gateway, |s| BaseUrl::parse(s).map_err(|e| e.to_string()))
    }

    fn cache_dir(&self, offline: bool) -> Result<PathBuf, CliError> {
        self.parse(Field::CacheDir, |s| Ok(PathBuf::from(s)))?.ok_or(CliError::NoCacheDir { offline })
    }

    /// `--print-config`: every setting, its value and where it came from; the key as
    /// `<set>` or `<unset>` only.
    pub fn describe(&self) -> String {
        let mut out =
            String::from("# deltaroll configuration: flags > environment (DATABENTO_*) > config file > defaults\n");
        if let Some((path, origin)) = &self.merged.config_file {
            let _ = writeln!(out, "# config file: {} (from {origin})", path.display());
        } else {
            let _ = writeln!(out, "# config file: none (--config or DATABENTO_CONFIG)");
        }
        for field in Field::all() {
            let (value, from) = match (self.merged.get(field), self.defaults.text(field)) {
                (Some(g), _) if field.is_secret() => ("<set>".to_owned(), g.origin.to_string()),
                (Some(g), _) if g.origin == Origin::Flag => (g.text.clone(), format!("flag {field}")),
                (Some(g), _) => (g.text.clone(), g.origin.to_string()),
                (None, _) if field.is_secret() => ("<unset>".to_owned(), "-".to_owned()),
                (None, Some((text, note))) => {
                    (text, note.map_or_else(|| "default".to_owned(), |n| format!("default ({n})")))
                }
                (None, None) => ("<unset>".to_owned(), "-".to_owned()),
            };
            let _ = writeln!(out, "{:<17} = {:<34} # {from}", field.key(), value);
        }
        out
    }
}

/// The flag a spec problem is about (the dates' range: the start date).
pub fn spec_field(field: SpecField) -> Field {
    let key = match field {
        SpecField::Dates => "start_date",
        SpecField::Setting(key) => key,
    };
    // The core's tests check that every key a problem names is in the table.
    Field::run(key).unwrap_or(Field::Output)
}

fn parse_number(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| "must be a decimal number, e.g. 0.15 (no % sign)".to_owned())
}

fn parse_usd(s: &str) -> Result<f64, String> {
    parse_number(s.strip_prefix('$').unwrap_or(s))
        .ok()
        .filter(|v| *v >= 0.0)
        .ok_or_else(|| "must be an amount in USD, not negative, e.g. 25 or 12.50".to_owned())
}

fn parse_count(s: &str) -> Result<u32, String> {
    s.parse::<u32>().map_err(|_| "must be a whole number, e.g. 2".to_owned())
}

fn parse_switch(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err("must be true or false".to_owned()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::flags::{LogFlags, RunFlags};
    use deltaroll_core::contract::OptionKind;
    use deltaroll_core::export::{DateStyle, OptionUnit};
    use deltaroll_core::position::Side;

    fn defaults() -> Defaults {
        Defaults {
            today: NaiveDate::from_ymd_opt(2025, 6, 10).unwrap(),
            cache_dir: Some(PathBuf::from("/home/u/.cache/deltaroll")),
        }
    }

    /// `flags` with run settings given as flags.
    fn with(flags: RunFlags, given: &[(&'static str, &str)]) -> RunFlags {
        let settings = given.iter().fold(flags.settings.clone(), |f, (key, text)| f.with(key, text));
        RunFlags { settings, ..flags }
    }

    fn merged(flags: RunFlags, env: &'static [(&'static str, &'static str)]) -> Merged {
        let env = move |name: &str| env.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned());
        Merged::load(&flags, &LogFlags::default(), &env).unwrap()
    }

    #[test]
    fn defaults_are_the_cores() {
        let m = merged(with(RunFlags::default(), &[("start_date", "2025-01-02")]), &[]);
        let d = defaults();
        let s = Resolver::new(&m, &d).settings().unwrap();
        let core = RunSpec::new(s.spec.start, NaiveDate::from_ymd_opt(2025, 6, 9).unwrap());
        assert_eq!(s.spec, core);
        assert_eq!(s.output, Output::Stdout);
        assert_eq!(s.format, ExportFormat::Wide);
        assert_eq!(s.wide, WideFormat { dates: DateStyle::Us, option_unit: OptionUnit::Cents, futures_column: true });
        let DataSource::Databento { gateway, cache_dir, retry, max_cost } = s.source else { panic!("not databento") };
        assert!(gateway.is_databento());
        assert_eq!(cache_dir, d.cache_dir);
        assert_eq!(retry, RetryPolicy::default());
        assert_eq!(max_cost, None, "no cap unless asked");
    }

    #[test]
    fn max_cost_comes_from_any_layer_and_is_shown_by_print_config() {
        let span = || with(RunFlags::default(), &[("start_date", "2025-01-02")]);
        let d = defaults();
        let cap = |flags, env| match Resolver::new(&merged(flags, env), &d).settings().map(|s| s.source) {
            Ok(DataSource::Databento { max_cost, .. }) => Ok(max_cost),
            Ok(other) => panic!("{other:?}"),
            Err(e) => Err(e.to_string()),
        };
        let env: &[(&str, &str)] = &[("DATABENTO_MAX_COST", "$12.50")];
        assert_eq!(cap(span(), env), Ok(Some(CostCap { usd: 12.5, origin: Origin::Env("DATABENTO_MAX_COST".into()) })));
        let flagged = RunFlags { max_cost: Some("3".into()), ..span() };
        assert_eq!(cap(flagged, env), Ok(Some(CostCap { usd: 3.0, origin: Origin::Flag })));
        let err = cap(RunFlags { max_cost: Some("-1".into()), ..span() }, &[]).unwrap_err();
        assert!(err.contains("--max-cost `-1` (from flag) must be an amount in USD"), "{err}");
        assert!(cap(RunFlags { max_cost: Some("ten".into()), ..span() }, &[]).is_err());

        let line = |text: String| text.lines().find(|l| l.starts_with("max_cost ")).map(str::to_owned).expect(&text);
        let unset = line(Resolver::new(&merged(RunFlags::default(), &[]), &d).describe());
        assert!(unset.contains("= <unset>"), "{unset}");
        let set = line(Resolver::new(&merged(RunFlags::default(), env), &d).describe());
        assert!(set.contains("= $12.50") && set.ends_with("# environment DATABENTO_MAX_COST"), "{set}");
    }

    #[test]
    fn spec_problems_name_the_flag() {
        let flags =
            with(RunFlags::default(), &[("start_date", "2025-03-01"), ("end_date", "2025-01-01"), ("delta", "1.5")]);
        let m = merged(flags, &[]);
        let err = Resolver::new(&m, &defaults()).settings().unwrap_err();
        let CliError::Spec { problems } = &err else { panic!("{err:?}") };
        assert_eq!(
            problems.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            [Field::run("start_date").unwrap(), Field::run("delta").unwrap()]
        );
    }

    #[test]
    fn bad_values_say_where_they_came_from() {
        let m = merged(with(RunFlags::default(), &[("start_date", "2025-01-02")]), &[("DATABENTO_RATE", "4%")]);
        let err = Resolver::new(&m, &defaults()).settings().unwrap_err().to_string();
        assert!(err.contains("DATABENTO_RATE"), "{err}");
        assert!(err.contains("4%"), "{err}");
    }

    #[test]
    fn wide_csv_settings_come_from_flags_or_environment_and_bad_ones_say_where() {
        let span = || with(RunFlags::default(), &[("start_date", "2025-01-02")]);
        let d = defaults();
        let settings = |flags, env| Resolver::new(&merged(flags, env), &d).settings();
        let flags = with(span(), &[("dates", "iso"), ("option_unit", "quote")]);
        let wide = settings(flags, &[]).unwrap().wide;
        assert_eq!((wide.dates, wide.option_unit), (DateStyle::Iso, OptionUnit::Quote));
        assert!(wide.futures_column, "the futures column stays");
        let env: &[(&str, &str)] = &[("DATABENTO_DATES", "iso"), ("DATABENTO_OPTION_UNIT", "quote")];
        assert_eq!(settings(span(), env).unwrap().wide, wide);
        // The flag beats the environment.
        let flags = with(span(), &[("dates", "us")]);
        assert_eq!(settings(flags, env).unwrap().wide.dates, DateStyle::Us);
        // With another export they are harmless.
        let tidy = settings(RunFlags { format: Some("tidy".into()), ..span() }, env).unwrap();
        assert_eq!((tidy.format, tidy.wide), (ExportFormat::Tidy, wide));

        let err = settings(span(), &[("DATABENTO_DATES", "euro")]).unwrap_err();
        assert_eq!(err.exit_code(), crate::error::exit::BAD_INPUT);
        let err = err.to_string();
        assert!(err.contains("--dates `euro` (from environment DATABENTO_DATES)"), "{err}");
        assert!(err.ends_with("is not a date style (us or iso)"), "{err}");
        let err = settings(with(span(), &[("option_unit", "usd")]), &[]).unwrap_err().to_string();
        assert!(err.contains("--option-unit `usd` (from flag)"), "{err}");
        assert!(err.ends_with("is not an option value unit (cents or quote)"), "{err}");
    }

    #[test]
    fn print_config_shows_the_wide_csv_settings() {
        let text = Resolver::new(&merged(RunFlags::default(), &[]), &defaults()).describe();
        let line = |text: &str, key: &str| {
            text.lines().find(|l| l.starts_with(&format!("{key} "))).map(str::to_owned).expect(text)
        };
        let dates = line(&text, "dates");
        assert!(dates.contains("= us ") && dates.ends_with("# default"), "{dates}");
        let unit = line(&text, "option_unit");
        assert!(unit.contains("= cents ") && unit.ends_with("# default"), "{unit}");
        let m = merged(with(RunFlags::default(), &[("dates", "iso")]), &[("DATABENTO_OPTION_UNIT", "quote")]);
        let text = Resolver::new(&m, &defaults()).describe();
        let dates = line(&text, "dates");
        assert!(dates.contains("= iso ") && dates.ends_with("# flag --dates"), "{dates}");
        let unit = line(&text, "option_unit");
        assert!(unit.contains("= quote ") && unit.ends_with("# environment DATABENTO_OPTION_UNIT"), "{unit}");
    }

    #[test]
    fn legs_from_repeated_flags_make_the_spec_and_show_in_print_config() {
        let flags =
            with(RunFlags::default(), &[("start_date", "2025-01-02"), ("legs", "short:call:0.15,short:put:0.2")]);
        let (m, d) = (merged(flags, &[]), defaults());
        let resolver = Resolver::new(&m, &d);
        let spec = resolver.settings().unwrap().spec;
        let kinds: Vec<_> = spec.legs().iter().map(|l| (l.side, l.kind, l.target_delta)).collect();
        assert_eq!(
            kinds,
            [(Side::Short, OptionKind::Call, 0.15), (Side::Short, OptionKind::Put, 0.2)],
            "in the order given"
        );
        let line = resolver.describe().lines().find(|l| l.starts_with("legs ")).unwrap().to_owned();
        assert!(line.contains("= short:call:0.15,short:put:0.2 ") && line.ends_with("# flag --leg"), "{line}");
        let bad = with(RunFlags::default(), &[("start_date", "2025-01-02"), ("legs", "short:call:2")]);
        let err = Resolver::new(&merged(bad, &[]), &defaults()).settings().unwrap_err().to_string();
        assert!(err.contains("Leg 1 (short:call:2:2): the target delta must be strictly between 0 and 1"), "{err}");
    }

    #[test]
    fn gateways_keep_the_key_off_plain_http() {
        let gateway = |url: &'static str| {
            let flags =
                RunFlags { gateway: Some(url.into()), ..with(RunFlags::default(), &[("start_date", "2025-01-02")]) };
            Resolver::new(&merged(flags, &[]), &defaults()).settings()
        };
        let Ok(Settings { source: DataSource::Databento { gateway: relay, .. }, .. }) =
            gateway("http://localhost:8790/")
        else {
            panic!("a local relay is refused")
        };
        assert_eq!(relay.as_str(), "http://localhost:8790");
        let err = gateway("http://example.com").unwrap_err().to_string();
        assert!(err.contains("--gateway") && err.contains("https://"), "{err}");
    }

    #[test]
    fn offline_reads_only_a_cache() {
        let span = || with(RunFlags::default(), &[("start_date", "2025-01-02")]);
        let d = defaults();
        let settings = |flags, env| Resolver::new(&merged(flags, env), &d).settings();
        let offline = settings(RunFlags { offline: true, ..span() }, &[]).unwrap();
        let databento = BaseUrl::databento();
        assert_eq!(offline.source, DataSource::Offline { cache_dir: d.cache_dir.clone().unwrap(), gateway: databento });
        let flags =
            RunFlags { cache_dir: Some("/data/cache".into()), gateway: Some("http://127.0.0.1:8790".into()), ..span() };
        let offline = settings(flags, &[("DATABENTO_OFFLINE", "true")]).unwrap();
        let relay = BaseUrl::parse("http://127.0.0.1:8790").unwrap();
        assert_eq!(offline.source, DataSource::Offline { cache_dir: PathBuf::from("/data/cache"), gateway: relay });
        // The demo market is offline already.
        let demo = settings(RunFlags { demo: true, offline: true, ..span() }, &[]).unwrap();
        assert_eq!(demo.source, DataSource::Demo);

        let err = settings(span(), &[("DATABENTO_OFFLINE", "maybe")]).unwrap_err().to_string();
        assert!(err.contains("--offline `maybe` (from environment DATABENTO_OFFLINE) must be true or false"), "{err}");
        let err = settings(RunFlags { offline: true, no_cache: true, ..span() }, &[]).unwrap_err();
        assert_eq!(err.exit_code(), crate::error::exit::BAD_INPUT);
        let err = err.to_string();
        assert!(err.contains("--offline (from flag) reads only the cache, but --no-cache (from flag)"), "{err}");
        let err = settings(RunFlags { offline: true, ..span() }, &[("DATABENTO_NO_CACHE", "1")]).unwrap_err();
        assert!(err.to_string().contains("--no-cache (from environment DATABENTO_NO_CACHE)"), "{err}");

        let homeless = Defaults { cache_dir: None, ..defaults() };
        let m = merged(RunFlags { offline: true, ..span() }, &[]);
        let err = Resolver::new(&m, &homeless).settings().unwrap_err().to_string();
        assert!(err.contains("--offline reads only the cache") && err.contains("give --cache-dir DIR"), "{err}");
        assert!(!err.contains("--no-cache"), "no way out for an offline run: {err}");
    }

    #[test]
    fn billable_retries_come_from_any_layer_and_show_in_print_config() {
        let span = || with(RunFlags::default(), &[("start_date", "2025-01-02")]);
        let d = defaults();
        let retry = |flags, env| match Resolver::new(&merged(flags, env), &d).settings().unwrap().source {
            DataSource::Databento { retry, .. } => retry,
            other => panic!("{other:?}"),
        };
        assert_eq!(retry(span(), &[]).billable_retries, 1);
        let env: &[(&str, &str)] = &[("DATABENTO_BILLABLE_RETRIES", "0")];
        assert_eq!(retry(span(), env).billable_retries, 0);
        let flags = RunFlags { billable_retries: Some("3".into()), retries: Some("2".into()), ..span() };
        let policy = retry(flags, env);
        assert_eq!((policy.billable_retries, policy.max_tries), (3, 3), "the flag beats the environment");

        let err = Resolver::new(&merged(span(), &[("DATABENTO_BILLABLE_RETRIES", "-1")]), &d).settings().unwrap_err();
        assert_eq!(err.exit_code(), crate::error::exit::BAD_INPUT);
        let err = err.to_string();
        assert!(err.contains("--billable-retries `-1` (from environment DATABENTO_BILLABLE_RETRIES)"), "{err}");

        let line = |m: &Merged| {
            let text = Resolver::new(m, &d).describe();
            text.lines().find(|l| l.starts_with("billable_retries ")).map(str::to_owned).expect(&text)
        };
        let default = line(&merged(RunFlags::default(), &[]));
        assert!(default.contains("= 1 ") && default.ends_with("# default"), "{default}");
        let set = line(&merged(RunFlags::default(), env));
        assert!(set.contains("= 0 ") && set.ends_with("# environment DATABENTO_BILLABLE_RETRIES"), "{set}");
    }

    #[test]
    fn print_config_shows_offline_and_where_it_came_from() {
        let line = |m: &Merged| {
            let text = Resolver::new(m, &defaults()).describe();
            text.lines().find(|l| l.starts_with("offline ")).map(str::to_owned).expect(&text)
        };
        let off = line(&merged(RunFlags::default(), &[]));
        assert!(off.contains("= false") && off.ends_with("# default"), "{off}");
        let on = line(&merged(RunFlags { offline: true, ..RunFlags::default() }, &[("DATABENTO_OFFLINE", "no")]));
        assert!(on.contains("= true") && on.ends_with("# flag --offline"), "{on}");
    }

    #[test]
    fn cache_dir_follows_xdg() {
        let env = |n: &str| match n {
            "XDG_CACHE_HOME" => Some("/x/cache".to_owned()),
            "HOME" => Some("/home/u".to_owned()),
            _ => None,
        };
        assert_eq!(default_cache_dir(&env), Some(PathBuf::from("/x/cache/deltaroll")));
        let env = |n: &str| (n == "HOME").then(|| "/home/u".to_owned());
        assert_eq!(default_cache_dir(&env), Some(PathBuf::from("/home/u/.cache/deltaroll")));
        let env = |n: &str| match n {
            "XDG_CACHE_HOME" => Some("relative".to_owned()),
            "HOME" => Some("/home/u".to_owned()),
            _ => None,
        };
        assert_eq!(default_cache_dir(&env), Some(PathBuf::from("/home/u/.cache/deltaroll")));
    }

    #[test]
    fn the_key_is_shown_only_as_set_or_unset() {
        let m = merged(RunFlags::default(), &[("DATABENTO_API_KEY", "db-SECRETSECRETSECRETSECRETSECRE")]);
        let text = Resolver::new(&m, &defaults()).describe();
        assert!(text.contains("<set>"), "{text}");
        assert!(!text.contains("SECRET"), "{text}");
        let m = merged(RunFlags::default(), &[]);
        let text = Resolver::new(&m, &defaults()).describe();
        assert!(text.lines().any(|l| l.starts_with("api_key") && l.contains("<unset>")), "{text}");
    }
}

/// Every run setting, given as a flag, as an environment variable or in a config file, gives
/// the same spec, and the same bad text gives the same problem, worded by the core.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod every_layer {
    use clap::Parser;
    use deltaroll_core::settings::{resolve, RunSettings, SettingError, SETTINGS};

    use super::*;
    use crate::flags::Cli;

    /// Every setting away from its default.
    fn unusual() -> Vec<(&'static str, &'static str)> {
        vec![
            ("product", "NG"),
            ("futures_root", "CL"),
            ("options_root", "LO"),
            ("start_date", "2021-02-03"),
            ("end_date", "2024-06-28"),
            ("delta", "0.30000000000000004"),
            ("band", "0.3333333333333333"),
            ("months_ahead", "7"),
            ("option_type", "put"),
            ("legs", "short:put:0.3:7:3,long:call:0.1:1"),
            ("price_source", "close"),
            ("vol_source", "hist:30"),
            ("rate", "-0.0012345678901234"),
            ("delta_convention", "forward"),
            ("model", "baw"),
            ("stale_days", "12"),
            ("fee", "2.35"),
            ("dates", "iso"),
            ("option_unit", "quote"),
        ]
    }

    /// The settings from `given` in each layer: flags, environment, a TOML file.
    fn through_each_layer(given: &[(&'static str, String)]) -> [Result<Settings, CliError>; 3] {
        let defaults = Defaults { today: NaiveDate::from_ymd_opt(2025, 6, 10).unwrap(), cache_dir: None };
        let resolve = |argv: Vec<String>, env: Vec<(String, String)>| {
            let cli = Cli::try_parse_from(argv).unwrap();
            let lookup = move |name: &str| env.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
            let merged = Merged::load(&cli.run, &cli.log, &lookup)?;
            Resolver::new(&merged, &defaults).settings()
        };
        // A list is given as its item flag once per item (`--leg a --leg b`).
        let flags = given.iter().flat_map(|(key, text)| {
            let setting = deltaroll_core::settings::setting(key).unwrap();
            let items: Vec<&str> = match setting.input {
                deltaroll_core::settings::Input::List(_) => text.split(',').collect(),
                _ => vec![text.as_str()],
            };
            items.into_iter().flat_map(|item| [setting.flag(), item.to_owned()]).collect::<Vec<_>>()
        });
        let env = given.iter().map(|(key, text)| (format!("DATABENTO_{}", key.to_uppercase()), text.clone()));
        let dir = std::env::temp_dir().join(format!("deltaroll-layers-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        static FILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let file = dir.join(format!("run-{}.toml", FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed)));
        let toml: String = given.iter().map(|(key, text)| format!("{key} = {:?}\n", text)).collect();
        std::fs::write(&file, toml).unwrap();
        let bare = || vec!["deltaroll".to_owned(), "--demo".to_owned()];
        [
            resolve(bare().into_iter().chain(flags).collect(), Vec::new()),
            resolve(bare(), env.collect()),
            resolve([bare(), vec!["--config".to_owned(), file.display().to_string()]].concat(), Vec::new()),
        ]
    }

    #[test]
    fn every_setting_reads_the_same_from_every_layer() {
        let given: Vec<(&str, String)> = unusual().into_iter().map(|(k, v)| (k, v.to_owned())).collect();
        let core = resolve(|s| given.iter().find(|(k, _)| *k == s.key).map(|(_, v)| v.clone())).unwrap();
        for setting in SETTINGS.iter().filter(|s| !s.required) {
            let default = RunSettings::new(core.spec.start, core.spec.end);
            assert_ne!(setting.text(&core), setting.text(&default), "{} is not exercised", setting.key);
        }
        for settings in through_each_layer(&given) {
            let settings = settings.unwrap();
            assert_eq!(RunSettings { spec: settings.spec, wide: settings.wide }, core);
        }
    }

    #[test]
    fn a_bad_value_reads_the_same_from_every_layer() {
        for setting in SETTINGS {
            let mut given: Vec<(&str, String)> =
                vec![("start_date", "2025-01-02".to_owned()), ("end_date", "2025-03-31".to_owned())];
            given.retain(|(k, _)| *k != setting.key);
            given.push((setting.key, "?!".to_owned()));
            let errors = resolve(|s| given.iter().find(|(k, _)| *k == s.key).map(|(_, v)| v.clone())).unwrap_err();
            let Some(SettingError::Parse { error, .. }) = errors.first() else { panic!("{errors:?}") };
            let problem = error.problem();
            for (layer, result) in ["flag", "environment", "config file"].iter().zip(through_each_layer(&given)) {
                let message =
                    result.err().map(|e| e.to_string()).unwrap_or_else(|| format!("{} accepted", setting.key));
                assert!(message.starts_with(&format!("{} `?!` (from {layer}", setting.flag())), "{message}");
                assert!(message.ends_with(&problem), "{layer}: {message} does not end with {problem}");
            }
        }
    }
}
