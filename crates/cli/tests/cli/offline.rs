//! `--offline`: a run replays what an earlier run cached, byte for byte, with no key and
//! no server; anything missing from the cache fails with exit 4 and says how to fetch it;
//! `--offline` without a cache is bad input; the dry run and the demo stay offline.

use std::path::Path;

use crate::{deltaroll, Fake, Ran, Run, END, RANGE, START};

/// An offline run of `start`..`end` over `cache`: no key, and a gateway where nothing
/// listens, so anything sent would fail.
fn offline(home: &Path, cache: &Path, gateway: &str, start: &str, end: &str) -> Ran {
    deltaroll(home)
        .args(["--offline", "--start-date", start, "--end-date", end, "--gateway", gateway, "--retry-wait-ms", "5"])
        .arg("--cache-dir")
        .arg(cache)
        .run()
}

#[test]
fn an_offline_run_replays_the_cache_without_a_key_or_the_server() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let cache = home.path().join("cache");
    let online = fake.cached_run(home.path(), &cache);
    assert!(fake.get_ranges() > 0);
    let gateway = fake.url();
    drop(fake);

    let Ran { code, stderr, bytes, .. } = offline(home.path(), &cache, &gateway, START, END);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(bytes, online, "the same bytes as the run that filled the cache");
    assert!(stderr.contains("offline: only the cache is read"), "{stderr}");

    // A longer run needs data no run fetched: exit 4, and how to get it.
    let Ran { code, stdout, stderr, .. } = offline(home.path(), &cache, &gateway, START, "2025-03-31");
    assert_eq!(code, 4, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("deltaroll: error: --offline: "), "{stderr}");
    assert!(stderr.contains("is not in the cache: run without --offline, with DATABENTO_API_KEY set"), "{stderr}");
    assert!(!stderr.contains("could not reach"), "nothing was sent: {stderr}");

    // What the fake server answered is never replayed as Databento's.
    let Ran { code, stderr, .. } = offline(home.path(), &cache, "https://hist.databento.com", START, END);
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("is not in the cache"), "{stderr}");
}

#[test]
fn the_environment_and_config_file_turn_offline_on_too() {
    let home = tempfile::tempdir().unwrap();
    let empty = home.path().join("empty-cache");
    let cache = ["--cache-dir", empty.to_str().unwrap()];
    let file = home.path().join("offline.toml");
    std::fs::write(&file, "offline = true\n").unwrap();
    for (name, value) in [("DATABENTO_OFFLINE", "true"), ("DATABENTO_CONFIG", file.to_str().unwrap())] {
        let Ran { code, stderr, .. } = deltaroll(home.path()).env(name, value).args(RANGE).args(cache).run();
        assert_eq!(code, 4, "{name}: {stderr}");
        assert!(stderr.contains("the date range of GLBX.MDP3 is not in the cache"), "{name}: {stderr}");
    }
}

#[test]
fn offline_without_a_cache_is_bad_input() {
    let home = tempfile::tempdir().unwrap();
    let Ran { code, stderr, .. } = deltaroll(home.path()).args(["--offline", "--no-cache"]).args(RANGE).run();
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "--offline (from flag) reads only the cache, but --no-cache (from flag) turns it off: drop --no-cache"
        ),
        "{stderr}"
    );
}

#[test]
fn an_offline_dry_run_says_nothing_is_fetched_or_billed() {
    let home = tempfile::tempdir().unwrap();
    let cache = home.path().join("cache");
    let Ran { code, stdout, stderr, .. } =
        deltaroll(home.path()).args(["--offline", "--dry-run"]).args(RANGE).arg("--cache-dir").arg(&cache).run();
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("nothing is fetched and nothing costs anything"), "{stdout}");
    assert!(stdout.contains(cache.to_str().unwrap()), "{stdout}");
}

#[test]
fn the_demo_is_offline_already() {
    let home = tempfile::tempdir().unwrap();
    let demo = |extra: &[&str]| {
        let ran = deltaroll(home.path())
            .args(["--demo", "--start-date", "2027-01-04", "--end-date", "2027-01-08"])
            .args(extra)
            .run();
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        ran.bytes
    };
    assert_eq!(demo(&["--offline"]), demo(&[]));
}
