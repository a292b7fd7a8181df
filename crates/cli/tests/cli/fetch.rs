//! Runs against fake-databento: the output equals what the library fetch plus the core's
//! writer give (the web app's path), the dry run fetches nothing billable, the second run
//! is served from the cache, and `--output` replaces a file.

use deltaroll_core::export::ExportFormat;
use deltaroll_core::spec::RunSpec;
use deltaroll_databento::fetch::fetch_market;
use deltaroll_databento::transport::NativeTransport;
use deltaroll_databento::{ApiKey, BaseUrl, Client};
use fake_databento::TEST_KEY;

use crate::{Fake, Ran, Run, END, RANGE, START};

fn spec() -> RunSpec {
    RunSpec::new(START.parse().unwrap(), END.parse().unwrap())
}

#[test]
fn a_run_writes_the_bytes_the_library_fetch_and_core_writer_give() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let Ran { code, stdout, stderr, .. } = fake.deltaroll(home.path()).args(RANGE).arg("--no-cache").run();
    assert_eq!(code, 0, "{stderr}");
    assert!(fake.get_ranges() > 0);

    let client = Client::new(NativeTransport::new().unwrap(), ApiKey::new(TEST_KEY).unwrap())
        .with_base_url(BaseUrl::parse(&fake.url()).unwrap());
    let market = fake.runtime().block_on(fetch_market(&client, &spec(), &|_| {})).unwrap();
    let report = deltaroll_core::strategy::run(&spec(), &market).unwrap();
    let mut expected = Vec::new();
    ExportFormat::Wide.write(&report, &mut expected).unwrap();
    assert_eq!(stdout, String::from_utf8(expected).unwrap());
    assert!(stderr.contains("wrote 50 rows"), "sessions come from the daily bars, Sundays included: {stderr}");
}

#[test]
fn the_dry_run_prints_the_plan_and_cost_and_fetches_nothing_billable() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let Ran { code, stdout, stderr, .. } = fake.deltaroll(home.path()).args(RANGE).arg("--dry-run").run();
    assert_eq!(code, 0, "{stderr}");
    // Phase 1, two per roll day, and the four rolls' held options asked for together.
    assert!(stdout.contains("11 request(s)"), "{stdout}");
    assert!(
        stdout.contains("(4 phase-3 rows, one per roll and leg; the fetch asks for them together, in 1 request(s))"),
        "{stdout}"
    );
    assert!(stdout.contains("statistics  OH.OPT (parent)"), "a roll day's chain: {stdout}");
    let phase1 = stdout.lines().find(|l| l.starts_with("1     statistics  HO")).expect(&stdout);
    assert!(phase1.contains("and 119 more (raw_symbol)"), "every futures contract by raw symbol: {phase1}");
    let total = stdout.lines().find_map(|l| l.strip_prefix("Total: $")).expect(&stdout);
    assert!(total.parse::<f64>().unwrap() > 0.0, "{stdout}");
    assert!(stdout.contains("nothing billable was fetched"), "{stdout}");
    assert_eq!(fake.get_ranges(), 0, "no get_range in the server's log");
    assert_eq!(fake.handle().requests_to("/v0/metadata.get_cost").len(), 14);
}

#[test]
fn a_second_identical_run_is_served_from_the_cache() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let cache = home.path().join("cache");
    let run = || fake.cached_run(home.path(), &cache);
    let first = run();
    let fetched = fake.get_ranges();
    assert!(fetched > 0);
    assert!(std::fs::read_dir(&cache).unwrap().count() >= fetched);
    let second = run();
    assert_eq!(fake.get_ranges(), fetched, "the second run made no get_range request");
    assert_eq!(first, second);
}

#[test]
fn the_default_cache_is_in_the_xdg_cache_dir() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let xdg = home.path().join("xdg");
    let short = ["--start-date", START, "--end-date", "2025-01-10"];
    let ran = fake.deltaroll(home.path()).env("XDG_CACHE_HOME", &xdg).args(short).run();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(std::fs::read_dir(xdg.join("deltaroll")).unwrap().count() > 0);
    // Without XDG_CACHE_HOME: ~/.cache/deltaroll.
    let ran = fake.deltaroll(home.path()).args(short).run();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(std::fs::read_dir(home.path().join(".cache/deltaroll")).unwrap().count() > 0);
}

#[test]
fn output_goes_to_the_file_and_json_logs_are_json_lines() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("ho.csv");
    std::fs::write(&file, "yesterday's file").unwrap();
    let Ran { code, stdout, stderr, .. } = fake
        .deltaroll(home.path())
        .args(RANGE)
        .args(["--no-cache", "--format", "tidy", "--output", file.to_str().unwrap(), "--log-format", "json"])
        .run();
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("date,symbol,underlying,"));
    assert!(!stderr.is_empty());
    for line in stderr.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(v["level"].is_string() && v["message"].is_string(), "{line}");
    }
    assert!(stderr.contains("\"phase\":3"), "{stderr}");
}
