//! Issue 9: the dry run lists what Databento would not price and still exits 0, and
//! `--max-cost` prices the plan first and refuses (exit 2) a run whose estimate is above it.

use fake_databento::{FakeConfig, Fault};

use crate::{Fake, Ran, Run, RANGE};

/// A server that cannot resolve the phase-3 stand-in `HOF5` (as Databento answered for the
/// December 2024 stand-in of a run from 2025-01-02).
fn unresolving() -> Fake {
    Fake::start(FakeConfig::synthetic().fault(Fault::Unresolved("HOF5".into())))
}

/// The dry run's total, as printed.
fn total(stdout: &str) -> String {
    let line = stdout.lines().find(|l| l.starts_with("Total: ")).expect(stdout);
    line.split('$').nth(1).and_then(|t| t.split_whitespace().next()).expect(line).to_owned()
}

#[test]
fn a_dry_run_prints_what_could_not_be_priced_and_exits_0() {
    let fake = unresolving();
    let home = tempfile::tempdir().unwrap();
    let Ran { code, stdout, stderr, .. } = fake.deltaroll(home.path()).args(RANGE).arg("--dry-run").run();
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("11 request(s)"), "{stdout}");
    let row = stdout.lines().find(|l| l.contains("HOF5 (raw_symbol)") && l.starts_with('3')).expect(&stdout);
    assert!(row.ends_with("not priced"), "{row}");
    assert!(
        stdout.lines().any(|l| l.starts_with("statistics for HOF5 (raw_symbol)")
            && l.ends_with("— not priced: symbol not resolved for these dates")),
        "{stdout}"
    );
    assert!(stdout.contains("Total: at least $"), "{stdout}");
    assert!(stdout.contains("1 request(s) could not be priced"), "{stdout}");
    assert!(total(&stdout).parse::<f64>().unwrap() > 0.0);
    assert_eq!(fake.get_ranges(), 0, "nothing billable");
}

#[test]
fn max_cost_refuses_a_run_above_it_and_names_both_amounts() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let estimate = total(&fake.deltaroll(home.path()).args(RANGE).arg("--dry-run").run().stdout);
    let Ran { code, stdout, stderr, .. } =
        fake.deltaroll(home.path()).env("DATABENTO_MAX_COST", "0.001").args(RANGE).arg("--no-cache").run();
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains(&format!("the estimated cost, ${estimate}, is above --max-cost $0.0010")), "{stderr}");
    assert!(stderr.contains("(from environment DATABENTO_MAX_COST)"), "{stderr}");
    assert_eq!(fake.get_ranges(), 0, "nothing was fetched");

    // The dry run says how the estimate compares with the cap.
    let dry = fake.deltaroll(home.path()).args(RANGE).args(["--dry-run", "--max-cost", "0.001"]).run();
    assert_eq!(dry.code, 0);
    assert!(dry.stdout.contains("the estimate is above it: a run would be refused"), "{}", dry.stdout);
}

#[test]
fn max_cost_lets_a_run_under_it_fetch_even_when_the_estimate_is_a_lower_bound() {
    for (fake, lower_bound) in [(Fake::synthetic(), false), (unresolving(), true)] {
        let home = tempfile::tempdir().unwrap();
        let Ran { code, stdout, stderr, .. } =
            fake.deltaroll(home.path()).args(RANGE).args(["--no-cache", "--max-cost", "1000"]).run();
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.starts_with("timestamp,Futures_Price,"), "{stdout}");
        assert!(fake.get_ranges() > 0);
        assert_eq!(stderr.contains("is a lower bound (1 request(s) could not be priced"), lower_bound, "{stderr}");
        assert_eq!(stderr.contains("HOF5 (raw_symbol)"), lower_bound, "{stderr}");
    }
}

#[test]
fn a_dry_run_after_a_fetch_prices_the_cached_requests_at_nothing() {
    let fake = Fake::start(FakeConfig::synthetic());
    let home = tempfile::tempdir().unwrap();
    let first = fake.deltaroll(home.path()).args(RANGE).arg("--dry-run").run();
    assert!(!first.stdout.contains("cached"), "{}", first.stdout);
    let fetched = fake.deltaroll(home.path()).args(RANGE).run();
    assert_eq!(fetched.code, 0, "{}", fetched.stderr);
    let again = fake.deltaroll(home.path()).args(RANGE).arg("--dry-run").run();
    assert_eq!(again.code, 0, "{}", again.stderr);
    let cached_rows = again.stdout.lines().filter(|l| l.ends_with(" cached")).count();
    assert!(cached_rows >= 2, "{}", again.stdout);
    assert!(again.stdout.contains(&format!("{cached_rows} request(s) are in the cache")), "{}", again.stdout);
    let (before, after): (f64, f64) = (total(&first.stdout).parse().unwrap(), total(&again.stdout).parse().unwrap());
    assert!(after < before, "{after} vs {before}");
}
