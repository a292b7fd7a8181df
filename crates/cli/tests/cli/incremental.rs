//! Daily runs: a run whose `--end-date` moves one day later than yesterday's fetches only
//! the new day(s) — everything else comes from the cache — and replaces its output whole.

use fake_databento::{FakeConfig, Fault, LoggedRequest};

use crate::{Fake, Run, GET_RANGE, START};

/// The `start`..`end` of a logged `get_range`.
fn range(r: &LoggedRequest) -> (String, String) {
    let field = |name| r.field(name).or_else(|| r.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()));
    (field("start").unwrap_or("?").to_owned(), field("end").unwrap_or("?").to_owned())
}

const DAY_NS: u64 = 86_400_000_000_000;

#[test]
fn the_next_days_run_fetches_only_the_new_day_and_replaces_the_output_whole() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let cache = home.path().join("cache");
    let out = home.path().join("ho.csv");
    let run = |fake: &Fake, end: &str| {
        fake.deltaroll(home.path())
            .args(["--start-date", START, "--end-date", end, "--cache-dir"])
            .arg(&cache)
            .arg("--output")
            .arg(&out)
            .run()
    };
    let first = run(&fake, "2025-02-26");
    assert_eq!(first.code, 0, "{}", first.stderr);
    let yesterday = std::fs::read_to_string(&out).unwrap();
    let fetched = fake.get_ranges();

    let second = run(&fake, "2025-02-27");
    assert_eq!(second.code, 0, "{}", second.stderr);
    let today = std::fs::read_to_string(&out).unwrap();
    let new: Vec<(u64, u64)> = fake.handle().requests_to(GET_RANGE)[fetched..]
        .iter()
        .map(range)
        .map(|(start, end)| (start.parse().unwrap(), end.parse().unwrap()))
        .collect();
    let feb_27 = 1_740_614_400_000_000_000; // 2025-02-27T00:00Z
    assert!(!new.is_empty() && new.len() < fetched / 2, "{} then {new:?}", fetched);
    for (start, end) in &new {
        assert!(*start >= feb_27 && end - start == DAY_NS, "only the new day is fetched: {new:?}");
    }
    assert!(today.starts_with(yesterday.trim_end()), "yesterday's rows stay:\n{yesterday}\n{today}");
    assert!(today.lines().last().unwrap().starts_with("2/27/25,"), "{today}");

    // The same bytes as a run that fetches everything afresh.
    let fresh =
        fake.deltaroll(home.path()).args(["--start-date", START, "--end-date", "2025-02-27", "--no-cache"]).run();
    assert_eq!(fresh.code, 0, "{}", fresh.stderr);
    assert_eq!(fresh.stdout, today);

    // The day after with the gateway down: the run fails and yesterday's file stays whole.
    let down = Fake::start(FakeConfig::synthetic().fault(Fault::Down));
    let failed = run(&down, "2025-02-28");
    assert_eq!(failed.code, 4, "{}", failed.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), today);
    let names: Vec<String> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains(".tmp")), "no temporary file left: {names:?}");
}
