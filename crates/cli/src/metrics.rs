//! `--metrics-file`: what a run did, written at its end (success or failure) in the
//! Prometheus text exposition format (version 0.0.4: `# HELP`, `# TYPE`, one sample a line,
//! label values with `\`, `"` and newlines escaped; prometheus.io/docs/instrumenting/
//! exposition_formats) for node_exporter's textfile collector, which reads `*.prom` files
//! and wants them replaced whole (written elsewhere, then renamed), as
//! [`crate::output::write_file`] does. Names follow Prometheus' conventions: counters end
//! in `_total`, units are base units named in the suffix (`_seconds`, `_bytes`, `_usd`).
//! The counters count this run (each run starts them again at zero, which Prometheus reads
//! as a reset); the gauges describe it. Nothing here ever holds the key: requests are
//! counted by endpoint and status only.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use deltaroll_core::report::Report;
use deltaroll_core::warnings::Severity;
use deltaroll_databento::Progress;

use crate::error::CliError;

/// The gauge that says when a run last succeeded; kept from the previous file on failure.
pub const LAST_SUCCESS: &str = "deltaroll_last_success_timestamp_seconds";

/// What a run counted so far.
#[derive(Debug, Default)]
pub struct Metrics {
    counts: Mutex<Counts>,
}

#[derive(Debug, Default, Clone)]
struct Counts {
    /// Answers by endpoint (`timeseries.get_range`) and status (`200`; `error`: none).
    requests: BTreeMap<(String, String), u64>,
    retries: u64,
    received_bytes: u64,
    cache_hits: u64,
    /// The plan's estimated cost, when it was priced (`--max-cost`).
    estimated_cost_usd: Option<f64>,
    /// Rows and option columns written, once the export is.
    written: Option<(usize, usize)>,
    /// Warnings by code and severity.
    warnings: BTreeMap<(&'static str, &'static str), u64>,
}

/// How the run ended, for the gauges about it.
#[derive(Debug, Clone, Copy)]
pub struct Ending {
    /// The process exit code.
    pub exit_code: u8,
    /// Time since the run started.
    pub duration: Duration,
    /// When it ended.
    pub at: SystemTime,
}

impl Metrics {
    fn with(&self, change: impl FnOnce(&mut Counts)) {
        if let Ok(mut counts) = self.counts.lock() {
            change(&mut counts);
        }
    }

    /// One answer (or none: `status` `None`) from `endpoint`, with a body of `bytes`.
    pub fn request(&self, endpoint: &str, status: Option<u16>, bytes: u64) {
        let status = status.map_or_else(|| "error".to_owned(), |s| s.to_string());
        self.with(|c| {
            *c.requests.entry((endpoint.to_owned(), status)).or_default() += 1;
            c.received_bytes += bytes;
        });
    }

    /// A retry: the client waits before every retry, and only then.
    pub fn retry(&self) {
        self.with(|c| c.retries += 1);
    }

    /// A progress event of the client: answers read from the cache.
    pub fn progress(&self, event: &Progress) {
        if let Progress::Done { cached: true, .. } = event {
            self.with(|c| c.cache_hits += 1);
        }
    }

    /// The plan's estimated cost in USD.
    pub fn estimated_cost(&self, usd: f64) {
        self.with(|c| c.estimated_cost_usd = Some(usd));
    }

    /// The report written: its rows, option columns and warnings.
    pub fn report(&self, report: &Report) {
        self.with(|c| {
            c.written = Some((report.rows.len(), report.columns.len()));
            for w in &report.warnings {
                let severity = match w.kind.severity() {
                    Severity::DataGap => "data_gap",
                    Severity::Note => "note",
                };
                *c.warnings.entry((w.kind.code(), severity)).or_default() += 1;
            }
        });
    }

    /// The exposition text of this run ending as `ending`; `last_success` is the previous
    /// success's time (seconds since the epoch), kept when this run failed.
    pub fn render(&self, ending: Ending, last_success: Option<f64>) -> String {
        let c = self.counts.lock().map(|c| c.clone()).unwrap_or_default();
        let mut out = Exposition::default();
        out.family(
            "deltaroll_requests_total",
            "counter",
            "Databento API answers this run, by endpoint and HTTP status (error: no answer).",
        );
        for ((endpoint, status), n) in &c.requests {
            out.sample("deltaroll_requests_total", &[("endpoint", endpoint), ("status", status)], *n as f64);
        }
        out.single("deltaroll_retries_total", "counter", "Retries of failed requests this run.", c.retries as f64);
        out.single(
            "deltaroll_received_bytes_total",
            "counter",
            "Response body bytes received from Databento this run (the cache's not counted).",
            c.received_bytes as f64,
        );
        out.single(
            "deltaroll_cache_hits_total",
            "counter",
            "Requests answered from the cache this run.",
            c.cache_hits as f64,
        );
        if let Some(usd) = c.estimated_cost_usd {
            out.single(
                "deltaroll_estimated_cost_usd",
                "gauge",
                "The run's estimated Databento cost in USD (priced with --max-cost).",
                usd,
            );
        }
        if let Some((rows, options)) = c.written {
            out.single("deltaroll_rows_written", "gauge", "Rows in the export this run wrote.", rows as f64);
            out.single(
                "deltaroll_options_held",
                "gauge",
                "Options held over the run (the export's option columns).",
                options as f64,
            );
        }
        out.family("deltaroll_warnings", "gauge", "The run's warnings by kind and severity (data_gap fails --strict).");
        for ((kind, severity), n) in &c.warnings {
            out.sample("deltaroll_warnings", &[("kind", kind), ("severity", severity)], *n as f64);
        }
        let succeeded = ending.exit_code == crate::error::exit::OK;
        let now = seconds(ending.at);
        out.single(
            "deltaroll_run_duration_seconds",
            "gauge",
            "How long the last run took.",
            ending.duration.as_secs_f64(),
        );
        out.single(
            "deltaroll_last_run_exit_code",
            "gauge",
            "The last run's exit code (0: success).",
            f64::from(ending.exit_code),
        );
        out.single(
            "deltaroll_last_run_success",
            "gauge",
            "1 when the last run succeeded, else 0.",
            f64::from(u8::from(succeeded)),
        );
        out.single(
            "deltaroll_last_run_timestamp_seconds",
            "gauge",
            "When the last run ended, seconds since the epoch.",
            now,
        );
        if let Some(at) = if succeeded { Some(now) } else { last_success } {
            out.single(LAST_SUCCESS, "gauge", "When a run last succeeded, seconds since the epoch.", at);
        }
        out.text
    }
}

/// Write the metrics of a run ending as `ending` to `path`, replacing it whole; on failure
/// the previous file's last success time is kept.
pub fn write(path: &Path, metrics: &Metrics, ending: Ending) -> Result<(), CliError> {
    let previous = std::fs::read_to_string(path).ok().and_then(|text| last_success(&text));
    crate::output::write_file(path, metrics.render(ending, previous).as_bytes())
}

/// The value of [`LAST_SUCCESS`] in an exposition text.
fn last_success(text: &str) -> Option<f64> {
    text.lines().find_map(|line| {
        let value = line.strip_prefix(LAST_SUCCESS)?.strip_prefix(' ')?;
        value.split_whitespace().next()?.parse().ok()
    })
}

fn seconds(at: SystemTime) -> f64 {
    at.duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

/// Exposition text being written.
#[derive(Default)]
struct Exposition {
    text: String,
}

impl Exposition {
    /// `# HELP` and `# TYPE` of a metric family.
    fn family(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.text, "# HELP {name} {}", help.replace('\\', "\\\\").replace('\n', "\\n"));
        let _ = writeln!(self.text, "# TYPE {name} {kind}");
    }

    /// One sample.
    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        self.text.push_str(name);
        if !labels.is_empty() {
            let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{}\"", escape(v))).collect();
            let _ = write!(self.text, "{{{}}}", pairs.join(","));
        }
        let _ = writeln!(self.text, " {value}");
    }

    /// A family of one unlabelled sample.
    fn single(&mut self, name: &str, kind: &str, help: &str, value: f64) {
        self.family(name, kind, help);
        self.sample(name, &[], value);
    }
}

/// A label value escaped: backslash, double quote and line feed.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;

    fn ending(exit_code: u8) -> Ending {
        Ending { exit_code, duration: Duration::from_millis(1500), at: UNIX_EPOCH + Duration::from_secs(1_700_000_000) }
    }

    #[test]
    fn a_failure_keeps_the_last_success_and_a_success_moves_it() {
        let m = Metrics::default();
        let ok = m.render(ending(0), Some(5.0));
        assert_eq!(last_success(&ok), Some(1_700_000_000.0));
        let failed = m.render(ending(4), last_success(&ok));
        assert_eq!(last_success(&failed), Some(1_700_000_000.0));
        assert!(failed.contains("deltaroll_last_run_success 0\n"), "{failed}");
        assert!(failed.contains("deltaroll_last_run_exit_code 4\n"), "{failed}");
        assert_eq!(last_success(&m.render(ending(4), None)), None, "never succeeded: no such sample");
    }

    #[test]
    fn requests_are_counted_by_endpoint_and_status_and_labels_are_escaped() {
        let m = Metrics::default();
        m.request("timeseries.get_range", Some(200), 10);
        m.request("timeseries.get_range", Some(200), 5);
        m.request("metadata.get_cost", None, 0);
        m.retry();
        let text = m.render(ending(0), None);
        assert!(
            text.contains("deltaroll_requests_total{endpoint=\"timeseries.get_range\",status=\"200\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("deltaroll_requests_total{endpoint=\"metadata.get_cost\",status=\"error\"} 1\n"),
            "{text}"
        );
        assert!(text.contains("deltaroll_received_bytes_total 15\n") && text.contains("deltaroll_retries_total 1\n"));
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
