//! The configuration hierarchy: flags > environment (`DATABENTO_*`) > config file (TOML or
//! YAML) > defaults. Each layer yields text per setting, and every value, whatever its
//! layer, is parsed by the same function in [`crate::settings`], so a bad value reads the
//! same wherever it came from. The merged result remembers where each value came from, for
//! `--print-config` and for error messages.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use deltaroll_core::settings::{Input, SETTINGS};

use crate::error::CliError;
use crate::flags::{LogFlags, RunFlags};
use crate::setting::{Field, Given, Origin};

/// The merged configuration: for each setting given in some layer, the highest one.
#[derive(Debug, Clone, Default)]
pub struct Merged {
    values: BTreeMap<Field, Given>,
    /// The config file read, if any, and how it was chosen.
    pub config_file: Option<(PathBuf, Origin)>,
}

impl Merged {
    /// The value of `field`, if any layer set it.
    pub fn get(&self, field: Field) -> Option<&Given> {
        self.values.get(&field)
    }

    /// Merge `flags`, the environment `env` and the config file (from `--config` or
    /// `DATABENTO_CONFIG`).
    pub fn load(flags: &RunFlags, log: &LogFlags, env: &dyn Fn(&str) -> Option<String>) -> Result<Self, CliError> {
        let mut merged = Self::default();
        let config_file = match (&flags.config, env("DATABENTO_CONFIG").filter(|v| !v.is_empty())) {
            (Some(path), _) => Some((path.clone(), Origin::Flag)),
            (None, Some(path)) => Some((PathBuf::from(path), Origin::Env("DATABENTO_CONFIG".to_owned()))),
            (None, None) => None,
        };
        if let Some((path, _)) = &config_file {
            for (field, text) in read_file(path)? {
                merged.values.insert(field, Given { text, origin: Origin::File(path.clone()) });
            }
        }
        merged.config_file = config_file;
        for field in Field::all() {
            let name = field.env();
            if let Some(text) = env(&name).filter(|v| !v.trim().is_empty()) {
                merged.values.insert(field, Given { text, origin: Origin::Env(name) });
            }
        }
        for (field, text) in flag_values(flags, log) {
            merged.values.insert(field, Given { text, origin: Origin::Flag });
        }
        if !flags.files.is_empty() {
            // One text, as the environment and the config file give it: paths joined by `:`.
            let text = std::env::join_paths(&flags.files).map_err(|_| CliError::BadValue {
                field: Field::Files,
                origin: Origin::Flag,
                value: None,
                reason: "names a path with `:` in it: rename it, or give its folder".to_owned(),
            })?;
            merged
                .values
                .insert(Field::Files, Given { text: text.to_string_lossy().into_owned(), origin: Origin::Flag });
        }
        Ok(merged)
    }
}

/// The settings given as flags.
fn flag_values(flags: &RunFlags, log: &LogFlags) -> Vec<(Field, String)> {
    let run = SETTINGS.iter().filter_map(|s| Some((Field::Run(s), flags.settings.get(s)?.clone())));
    let text = [
        (Field::Output, &flags.output),
        (Field::Format, &flags.format),
        (Field::MetricsFile, &flags.metrics_file),
        (Field::Gateway, &flags.gateway),
        (Field::CacheDir, &flags.cache_dir),
        (Field::Retries, &flags.retries),
        (Field::BillableRetries, &flags.billable_retries),
        (Field::RetryWaitMs, &flags.retry_wait_ms),
        (Field::MaxCost, &flags.max_cost),
        (Field::LogLevel, &log.log_level),
        (Field::LogFormat, &log.log_format),
    ];
    let switches = [
        (Field::ManifestChains, flags.manifest_chains),
        (Field::Demo, flags.demo),
        (Field::NoCache, flags.no_cache),
        (Field::Offline, flags.offline),
        (Field::Strict, flags.strict),
    ];
    run.chain(text.into_iter().filter_map(|(f, v)| Some((f, v.clone()?))))
        .chain(switches.into_iter().filter(|(_, on)| *on).map(|(f, _)| (f, "true".to_owned())))
        .collect()
}

/// The settings in a config file, by extension: `.toml`, `.yaml` or `.yml`. Values may be
/// strings, numbers, booleans or (TOML) dates; unknown names are refused so typos show.
fn read_file(path: &Path) -> Result<Vec<(Field, String)>, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::ConfigFile { path: path.to_owned(), reason: format!("cannot be read: {e}") })?;
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let entries = match ext.as_deref() {
        Some("toml") => toml_entries(&text),
        Some("yaml" | "yml") => yaml_entries(&text),
        _ => Err("is neither TOML (.toml) nor YAML (.yaml, .yml): name it by its format".to_owned()),
    }
    .map_err(|reason| CliError::ConfigFile { path: path.to_owned(), reason })?;
    entries
        .into_iter()
        .map(|(key, value)| {
            let field = Field::from_key(&key.replace('-', "_"))
                .ok_or_else(|| CliError::ConfigFile { path: path.to_owned(), reason: unknown_key(&key) })?;
            let is_list = matches!(field, Field::Run(s) if matches!(s.input, Input::List(_)));
            let text = match value {
                Ok(Value::One(text)) => Ok(text),
                Ok(Value::List(items)) if is_list => Ok(items.join(",")),
                Ok(Value::List(_)) => Err("a list"),
                Err(kind) => Err(kind),
            }
            .map_err(|kind| CliError::ConfigFile {
                path: path.to_owned(),
                reason: format!("`{key}` must be a single value, not {kind}"),
            })?;
            Ok((field, text))
        })
        .collect()
}

/// A file entry's value: one value as text, or a list of them (for list settings, such as
/// `legs = ["short:call:0.15", "short:put:0.15"]`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Value {
    One(String),
    List(Vec<String>),
}

/// A file entry: its name and its value (or what kind of value it was that has no text).
type Entry = (String, Result<Value, &'static str>);

fn unknown_key(key: &str) -> String {
    let known: Vec<&str> = Field::all().map(Field::key).collect();
    format!("`{key}` is not a setting; the settings are {}", known.join(", "))
}

fn toml_entries(text: &str) -> Result<Vec<Entry>, String> {
    // TOML's own messages quote the offending line, which may hold the key: say where only.
    let table: toml::Table = toml::from_str(text).map_err(|e| match e.span() {
        Some(span) => format!("is not valid TOML (line {})", line_of(text, span.start)),
        None => "is not valid TOML".to_owned(),
    })?;
    Ok(table
        .into_iter()
        .map(|(k, v)| {
            let value = match v {
                toml::Value::Array(items) => {
                    items.into_iter().map(toml_scalar).collect::<Result<_, _>>().map(Value::List)
                }
                v => toml_scalar(v).map(Value::One),
            }
            .map_err(|kind| if kind == "a list" { "a list of lists" } else { kind });
            (k, value)
        })
        .collect())
}

/// A TOML value as text, or what kind of value it is when it has none.
fn toml_scalar(v: toml::Value) -> Result<String, &'static str> {
    match v {
        toml::Value::String(s) => Ok(s),
        toml::Value::Integer(i) => Ok(i.to_string()),
        toml::Value::Float(f) => Ok(f.to_string()),
        toml::Value::Boolean(b) => Ok(b.to_string()),
        toml::Value::Datetime(d) => Ok(d.to_string()),
        toml::Value::Array(_) => Err("a list"),
        toml::Value::Table(_) => Err("a table"),
    }
}

fn yaml_entries(text: &str) -> Result<Vec<Entry>, String> {
    use serde_norway::Value as Yaml;
    // Likewise, YAML errors are reported by position only.
    let value: Yaml = serde_norway::from_str(text).map_err(|e| match e.location() {
        Some(at) => format!("is not valid YAML (line {})", at.line()),
        None => "is not valid YAML".to_owned(),
    })?;
    let map = match value {
        Yaml::Mapping(m) => m,
        Yaml::Null => return Ok(Vec::new()),
        _ => return Err("must be a mapping of setting names to values".to_owned()),
    };
    map.into_iter()
        .map(|(k, v)| {
            let Yaml::String(key) = k else {
                return Err("has a setting name that is not text".to_owned());
            };
            let value = match v {
                Yaml::Sequence(items) => items.into_iter().map(yaml_scalar).collect::<Result<_, _>>().map(Value::List),
                v => yaml_scalar(v).map(Value::One),
            }
            .map_err(|kind| if kind == "a list" { "a list of lists" } else { kind });
            Ok((key, value))
        })
        .collect()
}

/// A YAML value as text, or what kind of value it is when it has none.
fn yaml_scalar(v: serde_norway::Value) -> Result<String, &'static str> {
    use serde_norway::Value as Yaml;
    match v {
        Yaml::String(s) => Ok(s),
        Yaml::Number(n) => Ok(n.to_string()),
        Yaml::Bool(b) => Ok(b.to_string()),
        Yaml::Null => Err("empty"),
        Yaml::Sequence(_) => Err("a list"),
        Yaml::Mapping(_) => Err("a mapping"),
        Yaml::Tagged(_) => Err("a tagged value"),
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |t| t.matches('\n').count()) + 1
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::setting_flags::SettingFlags;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned())
    }

    fn write(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("deltaroll-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn names_follow_one_rule() {
        let run = |key| Field::run(key).unwrap();
        assert_eq!(run("months_ahead").flag().as_deref(), Some("--months-ahead"));
        assert_eq!(run("months_ahead").env(), "DATABENTO_MONTHS_AHEAD");
        assert_eq!(Field::ApiKey.env(), "DATABENTO_API_KEY");
        assert_eq!(run("option_unit").flag().as_deref(), Some("--option-unit"));
        assert_eq!(run("option_unit").env(), "DATABENTO_OPTION_UNIT");
        assert_eq!((run("dates").key(), run("dates").env()), ("dates", "DATABENTO_DATES".to_owned()));
        assert_eq!(Field::ApiKey.flag(), None);
        assert_eq!(Field::BillableRetries.flag().as_deref(), Some("--billable-retries"));
        assert_eq!(Field::BillableRetries.env(), "DATABENTO_BILLABLE_RETRIES");
        assert_eq!(Field::from_key("billable-retries".replace('-', "_").as_str()), Some(Field::BillableRetries));
        for f in Field::all() {
            assert_eq!(Field::from_key(f.key()), Some(f));
            if let Field::Run(setting) = f {
                assert_eq!(f.flag(), Some(setting.flag()));
                assert_eq!(f.env(), setting.env());
            }
        }
    }

    #[test]
    fn flags_beat_environment_beat_file() {
        let path = write("p.toml", "delta = 0.11\nband = 0.03\nmonths_ahead = 3\nstart_date = 2025-01-02\n");
        let flags = RunFlags {
            settings: SettingFlags::default().with("delta", "0.13"),
            config: Some(path.clone()),
            ..RunFlags::default()
        };
        let env = env_of(&[("DATABENTO_DELTA", "0.12"), ("DATABENTO_BAND", "0.04")]);
        let m = Merged::load(&flags, &LogFlags::default(), &env).unwrap();
        assert_eq!(m.get(Field::run("delta").unwrap()).unwrap(), &Given { text: "0.13".into(), origin: Origin::Flag });
        assert_eq!(m.get(Field::run("band").unwrap()).unwrap().origin, Origin::Env("DATABENTO_BAND".into()));
        assert_eq!(
            m.get(Field::run("months_ahead").unwrap()).unwrap(),
            &Given { text: "3".into(), origin: Origin::File(path) }
        );
        assert_eq!(m.get(Field::run("start_date").unwrap()).unwrap().text, "2025-01-02");
        assert!(m.get(Field::run("rate").unwrap()).is_none());
    }

    #[test]
    fn legs_are_a_list_in_a_config_file_and_comma_separated_in_the_environment() {
        let legs = Field::run("legs").unwrap();
        assert_eq!((legs.flag().as_deref(), legs.env().as_str()), (Some("--leg"), "DATABENTO_LEGS"));
        let toml = write("legs.toml", "legs = [\"short:call:0.15\", \"short:put:0.15:3\"]\n");
        let yaml = write("legs.yaml", "legs:\n  - short:call:0.15\n  - short:put:0.15:3\n");
        for path in [toml, yaml] {
            let flags = RunFlags { config: Some(path.clone()), ..RunFlags::default() };
            let m = Merged::load(&flags, &LogFlags::default(), &env_of(&[])).unwrap();
            let given = Given { text: "short:call:0.15,short:put:0.15:3".into(), origin: Origin::File(path) };
            assert_eq!(m.get(legs).unwrap(), &given);
        }
        let env = env_of(&[("DATABENTO_LEGS", "long:put:0.2")]);
        let m = Merged::load(&RunFlags::default(), &LogFlags::default(), &env).unwrap();
        assert_eq!(m.get(legs).unwrap().text, "long:put:0.2");
        let nested = write("nested.toml", "legs = [[\"short:call:0.15\"]]\n");
        let flags = RunFlags { config: Some(nested), ..RunFlags::default() };
        let err = Merged::load(&flags, &LogFlags::default(), &env_of(&[])).unwrap_err().to_string();
        assert!(err.contains("`legs` must be a single value, not a list of lists"), "{err}");
        let other = write("other.toml", "delta = [0.1, 0.2]\n");
        let flags = RunFlags { config: Some(other), ..RunFlags::default() };
        let err = Merged::load(&flags, &LogFlags::default(), &env_of(&[])).unwrap_err().to_string();
        assert!(err.contains("`delta` must be a single value, not a list"), "{err}");
    }

    #[test]
    fn wide_csv_settings_come_from_any_layer() {
        let path = write("wide.toml", "dates = \"iso\"\noption_unit = \"quote\"\n");
        let file_only = RunFlags { config: Some(path.clone()), ..RunFlags::default() };
        let m = Merged::load(&file_only, &LogFlags::default(), &env_of(&[])).unwrap();
        assert_eq!(
            m.get(Field::run("dates").unwrap()).unwrap(),
            &Given { text: "iso".into(), origin: Origin::File(path.clone()) }
        );
        assert_eq!(
            m.get(Field::run("option_unit").unwrap()).unwrap(),
            &Given { text: "quote".into(), origin: Origin::File(path) }
        );
        let env = env_of(&[("DATABENTO_DATES", "us"), ("DATABENTO_OPTION_UNIT", "cents")]);
        let flags = RunFlags { settings: SettingFlags::default().with("option_unit", "quote"), ..file_only };
        let m = Merged::load(&flags, &LogFlags::default(), &env).unwrap();
        assert_eq!(
            m.get(Field::run("dates").unwrap()).unwrap(),
            &Given { text: "us".into(), origin: Origin::Env("DATABENTO_DATES".into()) }
        );
        assert_eq!(
            m.get(Field::run("option_unit").unwrap()).unwrap(),
            &Given { text: "quote".into(), origin: Origin::Flag }
        );
    }

    #[test]
    fn switches_come_from_any_layer() {
        let path = write("switches.toml", "offline = true\n");
        let file_only = RunFlags { config: Some(path.clone()), ..RunFlags::default() };
        let m = Merged::load(&file_only, &LogFlags::default(), &env_of(&[])).unwrap();
        assert_eq!(m.get(Field::Offline).unwrap(), &Given { text: "true".into(), origin: Origin::File(path) });
        let env = env_of(&[("DATABENTO_OFFLINE", "false")]);
        let m = Merged::load(&file_only, &LogFlags::default(), &env).unwrap();
        assert_eq!(m.get(Field::Offline).unwrap().origin, Origin::Env("DATABENTO_OFFLINE".into()));
        let flag = RunFlags { offline: true, ..file_only };
        let m = Merged::load(&flag, &LogFlags::default(), &env).unwrap();
        assert_eq!(m.get(Field::Offline).unwrap(), &Given { text: "true".into(), origin: Origin::Flag });
        // A switch flag left off is no value: nothing set it.
        let m = Merged::load(&RunFlags::default(), &LogFlags::default(), &env_of(&[])).unwrap();
        assert!(m.get(Field::Offline).is_none());
    }

    #[test]
    fn yaml_and_toml_read_alike() {
        let t = toml_entries("delta = 0.2\nstrict = true\noption_type = \"put\"\n").unwrap();
        let y = yaml_entries("delta: 0.2\nstrict: true\noption_type: put\n").unwrap();
        let sorted = |mut v: Vec<Entry>| {
            v.sort();
            v
        };
        assert_eq!(sorted(t), sorted(y));
    }

    #[test]
    fn bad_files_say_where_but_never_echo_values() {
        let secret = "db-SECRETSECRETSECRETSECRETSECRE";
        let path = write("bad.toml", &format!("api_key = \"{secret}\" oops\n"));
        let err = read_file(&path).unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
        assert!(!err.contains("SECRET"), "{err}");
        let path = write("bad.yaml", &format!("api_key: {secret}\n  - x: [\n"));
        let err = read_file(&path).unwrap_err().to_string();
        assert!(!err.contains("SECRET"), "{err}");
        let path = write("typo.yaml", "detla: 0.2\n");
        let err = read_file(&path).unwrap_err().to_string();
        assert!(err.contains("`detla` is not a setting"), "{err}");
        let path = write("x.ini", "delta=0.2\n");
        assert!(read_file(&path).unwrap_err().to_string().contains("neither TOML"));
    }
}
