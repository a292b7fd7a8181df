//! `--metrics-file`: the Prometheus text a run leaves, read back with a parser of the
//! exposition format (the `prometheus-parse` crate): requests by endpoint and status,
//! bytes, cost, rows, options, warnings, duration; a failed run writes it too and keeps the
//! last success's time; the key is never in it.

use std::collections::HashMap;
use std::path::Path;

use fake_databento::{FakeConfig, Fault, TEST_KEY};
use prometheus_parse::{Sample, Scrape, Value};

use crate::{Fake, Run, RANGE};

/// The samples of the file at `path`, parsed.
fn scrape(path: &Path) -> Vec<Sample> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(!text.contains(TEST_KEY), "{text}");
    let scrape = Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).unwrap();
    assert!(scrape.docs.contains_key("deltaroll_requests_total"), "HELP lines are read: {:?}", scrape.docs);
    scrape.samples
}

/// The value of `metric` with `labels`, and whether its TYPE was a counter.
fn value(samples: &[Sample], metric: &str, labels: &[(&str, &str)]) -> Option<(f64, bool)> {
    let wanted: HashMap<String, String> = labels.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    samples.iter().find(|s| s.metric == metric && *s.labels == wanted).map(|s| match s.value {
        Value::Counter(v) => (v, true),
        Value::Gauge(v) | Value::Untyped(v) => (v, false),
        _ => panic!("{metric} is neither a counter nor a gauge"),
    })
}

fn gauge(samples: &[Sample], metric: &str) -> f64 {
    let (v, counter) = value(samples, metric, &[]).unwrap_or_else(|| panic!("no {metric}"));
    assert!(!counter, "{metric} is a gauge");
    v
}

fn counter(samples: &[Sample], metric: &str, labels: &[(&str, &str)]) -> f64 {
    let (v, counter) = value(samples, metric, labels).unwrap_or_else(|| panic!("no {metric}{labels:?}"));
    assert!(counter, "{metric} is a counter");
    v
}

#[test]
fn a_run_writes_its_metrics_and_a_failed_one_keeps_the_last_success() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("deltaroll.prom");
    let ran = fake
        .deltaroll(home.path())
        .args(RANGE)
        .args(["--no-cache", "--max-cost", "1000", "--output"])
        .arg(home.path().join("ho.csv"))
        .arg("--metrics-file")
        .arg(&file)
        .run();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let samples = scrape(&file);
    let get_ranges = fake.get_ranges() as f64;
    let range_200 = [("endpoint", "timeseries.get_range"), ("status", "200")];
    assert_eq!(counter(&samples, "deltaroll_requests_total", &range_200), get_ranges);
    assert!(
        counter(&samples, "deltaroll_requests_total", &[("endpoint", "metadata.get_cost"), ("status", "200")]) > 0.0
    );
    assert!(counter(&samples, "deltaroll_received_bytes_total", &[]) > 0.0);
    assert_eq!(counter(&samples, "deltaroll_retries_total", &[]), 0.0);
    assert!(gauge(&samples, "deltaroll_estimated_cost_usd") > 0.0);
    assert_eq!(gauge(&samples, "deltaroll_rows_written"), 50.0, "{}", ran.stderr);
    assert!(gauge(&samples, "deltaroll_options_held") > 0.0);
    assert!(gauge(&samples, "deltaroll_run_duration_seconds") > 0.0);
    assert_eq!(gauge(&samples, "deltaroll_last_run_success"), 1.0);
    let succeeded = gauge(&samples, "deltaroll_last_success_timestamp_seconds");
    assert!(succeeded > 1.7e9, "{succeeded}");
    for w in samples.iter().filter(|s| s.metric == "deltaroll_warnings") {
        assert!(w.labels.get("kind").is_some() && w.labels.get("severity").is_some(), "{w:?}");
    }

    // The gateway goes down: the run fails (exit 4) and says so, keeping the last success.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let down = Fake::start(FakeConfig::synthetic().fault(Fault::Down));
    let ran = down
        .deltaroll(home.path())
        .args(RANGE)
        .args(["--no-cache", "--retries", "2", "--metrics-file"])
        .arg(&file)
        .run();
    assert_eq!(ran.code, 4, "{}", ran.stderr);
    let samples = scrape(&file);
    assert_eq!(gauge(&samples, "deltaroll_last_run_success"), 0.0);
    assert_eq!(gauge(&samples, "deltaroll_last_run_exit_code"), 4.0);
    assert_eq!(gauge(&samples, "deltaroll_last_success_timestamp_seconds"), succeeded);
    assert!(gauge(&samples, "deltaroll_last_run_timestamp_seconds") > succeeded);
    assert_eq!(counter(&samples, "deltaroll_retries_total", &[]), 2.0);
    let refused = [("endpoint", "metadata.get_dataset_range"), ("status", "503")];
    assert_eq!(counter(&samples, "deltaroll_requests_total", &refused), 3.0);
    assert!(value(&samples, "deltaroll_rows_written", &[]).is_none(), "nothing was written");
    let dir: Vec<_> = std::fs::read_dir(home.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!dir.iter().any(|n| n.to_string_lossy().contains(".tmp")), "replaced whole: {dir:?}");
}

#[test]
fn settings_that_fail_still_leave_metrics_and_print_config_shows_the_setting() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("m.prom");
    let ran = crate::deltaroll(home.path())
        .env("DATABENTO_METRICS_FILE", &file)
        .args(["--demo", "--start-date", "2025-02-30"])
        .run();
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    let samples = scrape(&file);
    assert_eq!(gauge(&samples, "deltaroll_last_run_exit_code"), 2.0);
    assert!(value(&samples, "deltaroll_last_success_timestamp_seconds", &[]).is_none());

    let ran = crate::deltaroll(home.path()).env("DATABENTO_METRICS_FILE", &file).arg("--print-config").run();
    let line = ran.stdout.lines().find(|l| l.starts_with("metrics_file ")).expect(&ran.stdout);
    assert!(line.ends_with("# environment DATABENTO_METRICS_FILE"), "{line}");
}
