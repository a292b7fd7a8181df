//! `deltaroll check`: readiness before a scheduled run (the old tool's `/ready`). With the
//! run's own settings it checks that the key is present and accepted and the gateway
//! answers (one free `metadata.get_dataset_range`, nothing billable), that the dataset
//! covers the run's dates, and that the cache, the output's folder and the metrics file's
//! folder are writable. One line per check on stdout (or one JSON object with
//! `--log-format json`); the exit code is the first failed check's, as a run would exit.

use std::path::Path;

use deltaroll_databento::fetch::coverage;
use deltaroll_databento::transport::NativeTransport;
use deltaroll_databento::{ApiError, ApiKey, Client, Dataset, Transport};

use crate::error::{exit, redact_keys, CliError};
use crate::settings::{DataSource, Output, Settings};

/// A check's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Passed.
    Ok,
    /// Failed: the run would fail the same way.
    Failed,
    /// Not asked: this run does not need it, or an earlier check failed.
    Skipped,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
        }
    }
}

/// One check: its name, outcome, why, and the exit code it fails with.
#[derive(Debug, Clone)]
pub struct Check {
    /// `key`, `gateway`, `dataset`, `cache`, `output`, `metrics`, `files`.
    pub name: &'static str,
    /// Its outcome.
    pub status: Status,
    /// Why (never the key).
    pub detail: String,
    /// The exit code when failed.
    pub code: u8,
}

impl Check {
    fn ok(name: &'static str, detail: impl Into<String>) -> Self {
        Self { name, status: Status::Ok, detail: detail.into(), code: exit::OK }
    }

    fn skipped(name: &'static str, detail: impl Into<String>) -> Self {
        Self { name, status: Status::Skipped, detail: detail.into(), code: exit::OK }
    }

    fn failed(name: &'static str, error: &CliError) -> Self {
        Self { name, status: Status::Failed, detail: error.to_string(), code: error.exit_code() }
    }
}

/// What a check needs besides the settings.
pub struct Inputs<'a> {
    /// The key, read only for a Databento run.
    pub api_key: &'a dyn Fn() -> Result<ApiKey, CliError>,
    /// The key's text, to blank it from any message.
    pub secret: Option<&'a str>,
    /// `--metrics-file`, whose folder must be writable.
    pub metrics_file: Option<&'a Path>,
    /// One JSON object instead of lines.
    pub json: bool,
}

/// Run every check, print them, and fail with the first failed check's exit code.
pub fn check(settings: &Settings, inputs: &Inputs<'_>) -> Result<(), CliError> {
    let mut checks = source_checks(settings, inputs.api_key)?;
    checks.extend(folder_checks(settings, inputs.metrics_file));
    for c in &mut checks {
        c.detail = redact_keys(&c.detail, inputs.secret);
    }
    let text = if inputs.json { json(&checks) } else { lines(&checks) };
    crate::output::print_stdout(text.as_bytes())?;
    let failed: Vec<&Check> = checks.iter().filter(|c| c.status == Status::Failed).collect();
    match failed.first() {
        None => Ok(()),
        Some(first) => Err(CliError::NotReady { failed: failed.len(), total: checks.len(), code: first.code }),
    }
}

/// The key, the gateway and the dataset's dates (Databento); the files (`--files`).
fn source_checks(settings: &Settings, api_key: &dyn Fn() -> Result<ApiKey, CliError>) -> Result<Vec<Check>, CliError> {
    let skip_all = |why: &str| ["key", "gateway", "dataset"].map(|name| Check::skipped(name, why)).to_vec();
    Ok(match &settings.source {
        DataSource::Demo => skip_all("--demo: the simulated market needs no key and no network"),
        DataSource::Offline { .. } => skip_all("--offline: only the cache is read, nothing is sent"),
        DataSource::Files(paths) => {
            let mut checks = skip_all("--files: the exports need no key and no network");
            checks.push(match crate::files::collect(paths) {
                Ok(found) => Check::ok("files", format!("{} exported file(s) found", found.len())),
                Err(e) => Check::failed("files", &e),
            });
            checks
        }
        DataSource::Databento { gateway, retry, .. } => {
            let transport = NativeTransport::new().map_err(|e| CliError::Startup(e.to_string()))?;
            let dataset = deltaroll_databento::plan::dataset(&settings.spec).map_err(ApiError::from)?;
            let runtime = crate::run::runtime()?;
            match api_key() {
                Ok(key) => {
                    let client = Client::new(transport, key).with_base_url(gateway.clone()).with_retry(retry.clone());
                    runtime.block_on(databento_checks(&client, &dataset, settings, true))
                }
                Err(error) => {
                    // Without a usable key the gateway is still asked: a 401 is an answer.
                    let client = Client::keyless(transport).with_base_url(gateway.clone()).with_retry(retry.clone());
                    let mut checks = runtime.block_on(databento_checks(&client, &dataset, settings, false));
                    checks[0] = Check::failed("key", &error);
                    checks
                }
            }
        }
    })
}

/// One free `get_dataset_range`: whether the gateway answers, the key is accepted, and the
/// dataset covers the run's dates.
async fn databento_checks<T: Transport>(
    client: &Client<T>,
    dataset: &Dataset,
    settings: &Settings,
    keyed: bool,
) -> Vec<Check> {
    let asked = format!("{} answered metadata.get_dataset_range (free)", client.gateway().base_url());
    match client.get_dataset_range(dataset).await {
        Ok(range) => {
            let dates = match coverage(&range, dataset, &settings.spec) {
                Ok(has) => Check::ok("dataset", covered(dataset, has, &settings.spec)),
                Err(e) => Check::failed("dataset", &CliError::from(e)),
            };
            vec![Check::ok("key", "Databento accepted the API key"), Check::ok("gateway", asked), dates]
        }
        Err(e @ (ApiError::Unauthorized { .. } | ApiError::NoPermission { .. })) => vec![
            if keyed { Check::failed("key", &CliError::from(e)) } else { Check::skipped("key", "") },
            Check::ok("gateway", asked),
            Check::skipped("dataset", "not asked: Databento refused the key"),
        ],
        Err(e) => vec![
            Check::skipped("key", "not asked: the gateway did not answer"),
            Check::failed("gateway", &CliError::from(e)),
            Check::skipped("dataset", "not asked: the gateway did not answer"),
        ],
    }
}

/// What the dataset has for the run, and which of its days are not published yet.
fn covered(dataset: &Dataset, has: deltaroll_databento::DateRange, spec: &deltaroll_core::spec::RunSpec) -> String {
    let mut text =
        format!("{dataset} has {} to {}, the run asks {} to {}", has.start(), has.last(), spec.start, spec.end);
    if spec.end > has.last() {
        text.push_str(&format!(" (the days after {} are not published yet and are left out)", has.last()));
    }
    text
}

/// The folders a run writes to: the cache, the output's, the metrics file's.
fn folder_checks(settings: &Settings, metrics_file: Option<&Path>) -> Vec<Check> {
    let cache = match &settings.source {
        DataSource::Databento { cache_dir: Some(dir), .. } => writable("cache", dir, true),
        DataSource::Offline { cache_dir, .. } if cache_dir.is_dir() => {
            Check::ok("cache", format!("{} is there to read (--offline writes nothing)", cache_dir.display()))
        }
        DataSource::Offline { cache_dir, .. } => Check {
            name: "cache",
            status: Status::Failed,
            detail: format!("--offline reads only the cache, and {} is not a folder", cache_dir.display()),
            code: exit::NETWORK,
        },
        DataSource::Databento { cache_dir: None, .. } => Check::skipped("cache", "--no-cache"),
        DataSource::Demo | DataSource::Files(_) => Check::skipped("cache", "nothing is fetched"),
    };
    let output = match &settings.output {
        Output::Stdout => Check::ok("output", "standard output"),
        Output::File(path) => writable("output", folder_of(path), false),
    };
    let metrics = match metrics_file {
        Some(path) => writable("metrics", folder_of(path), false),
        None => Check::skipped("metrics", "no --metrics-file"),
    };
    vec![cache, output, metrics]
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Whether a file can be created in `dir` (made first when `create`, as the cache is),
/// by creating and removing one.
fn writable(name: &'static str, dir: &Path, create: bool) -> Check {
    let probe = dir.join(format!(".deltaroll-check.{}", std::process::id()));
    let made = if create { std::fs::create_dir_all(dir) } else { Ok(()) };
    match made.and_then(|()| std::fs::write(&probe, b"")).and_then(|()| std::fs::remove_file(&probe)) {
        Ok(()) => Check::ok(name, format!("{} is writable", dir.display())),
        Err(error) => Check::failed(name, &CliError::Output { path: Some(dir.to_owned()), error }),
    }
}

/// `ok      key      Databento accepted the API key`, one line a check.
fn lines(checks: &[Check]) -> String {
    checks.iter().map(|c| format!("{:<7} {:<8} {}\n", c.status.as_str(), c.name, c.detail)).collect()
}

/// `{"ready":true,"exit_code":0,"checks":[{"check":"key","status":"ok","detail":"…"},…]}`.
fn json(checks: &[Check]) -> String {
    let code = checks.iter().find(|c| c.status == Status::Failed).map_or(exit::OK, |c| c.code);
    let list: Vec<serde_json::Value> = checks
        .iter()
        .map(|c| serde_json::json!({ "check": c.name, "status": c.status.as_str(), "detail": c.detail }))
        .collect();
    format!("{}\n", serde_json::json!({ "ready": code == exit::OK, "exit_code": code, "checks": list }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_json_form_is_one_object_with_the_first_failures_code() {
        let checks = [
            Check::ok("key", "accepted"),
            Check { name: "gateway", status: Status::Failed, detail: "down".into(), code: exit::NETWORK },
            Check { name: "output", status: Status::Failed, detail: "read-only".into(), code: exit::OTHER },
        ];
        let v: serde_json::Value = serde_json::from_str(&json(&checks)).unwrap();
        assert_eq!(v["ready"], false);
        assert_eq!(v["exit_code"], 4);
        assert_eq!(v["checks"][1]["status"], "failed");
        assert_eq!(lines(&checks).lines().next(), Some("ok      key      accepted"));
    }

    #[test]
    fn folders_are_probed_and_left_clean() {
        let dir = tempfile_dir("check-probe");
        assert_eq!(writable("output", &dir, false).status, Status::Ok);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "the probe is removed");
        let missing = writable("output", &dir.join("missing"), false);
        assert_eq!((missing.status, missing.code), (Status::Failed, exit::OTHER));
        assert_eq!(writable("cache", &dir.join("made"), true).status, Status::Ok);
        assert_eq!(folder_of(Path::new("ho.csv")), Path::new("."));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("deltaroll-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
