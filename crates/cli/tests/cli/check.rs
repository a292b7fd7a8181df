//! `deltaroll check` against fake-databento: every check passes with the test key, a
//! refused key exits 3, a gateway that is down exits 4, dates before the data exit 2, an
//! unwritable output folder exits 1; nothing billable is sent and the key is never shown.

use fake_databento::{FakeConfig, Fault, TEST_KEY};

use crate::{Fake, Ran, Run, GET_RANGE, RANGE};

/// The status of the check `name` in text output (`ok`, `failed`, `skipped`).
fn status<'a>(stdout: &'a str, name: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some(name))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("no {name} check in {stdout}"))
}

#[test]
fn a_ready_setup_passes_every_check_and_sends_nothing_billable() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("out/ho.csv");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let Ran { code, stdout, stderr, .. } = fake
        .check(home.path())
        .args(RANGE)
        .arg("--cache-dir")
        .arg(home.path().join("cache"))
        .arg("--output")
        .arg(&out)
        .run();
    assert_eq!(code, 0, "{stdout}{stderr}");
    for name in ["key", "gateway", "dataset", "cache", "output"] {
        assert_eq!(status(&stdout, name), "ok", "{name}: {stdout}");
    }
    assert!(stdout.contains("GLBX.MDP3 has 2024-"), "{stdout}");
    assert_eq!(fake.get_ranges(), 0, "nothing billable");
    assert_eq!(fake.handle().requests().len(), 1, "one free metadata call: {:?}", fake.handle().requests());
    assert!(!stdout.contains(TEST_KEY) && !stderr.contains(TEST_KEY));
    assert_eq!(std::fs::read_dir(out.parent().unwrap()).unwrap().count(), 0, "the probe is removed");
}

#[test]
fn a_refused_key_exits_3_and_a_missing_one_still_asks_the_gateway() {
    let fake = Fake::start(FakeConfig::synthetic().fault(Fault::BadKey));
    let home = tempfile::tempdir().unwrap();
    let Ran { code, stdout, stderr, .. } = fake.check(home.path()).args(RANGE).arg("--no-cache").run();
    assert_eq!(code, 3, "{stdout}{stderr}");
    assert_eq!((status(&stdout, "key"), status(&stdout, "gateway")), ("failed", "ok"), "{stdout}");
    assert_eq!(status(&stdout, "dataset"), "skipped", "{stdout}");
    assert!(stdout.contains("refused the API key"), "{stdout}");
    assert!(stderr.contains("not ready: 1 of 6 checks failed"), "{stderr}");
    assert!(!stdout.contains(TEST_KEY) && !stderr.contains(TEST_KEY));

    let fake = Fake::synthetic();
    let ran = fake.check(home.path()).env_remove("DATABENTO_API_KEY").args(RANGE).run();
    assert_eq!(ran.code, 3, "{}", ran.stdout);
    assert_eq!(status(&ran.stdout, "key"), "failed");
    assert!(ran.stdout.contains("no Databento API key"), "{}", ran.stdout);
    assert_eq!(status(&ran.stdout, "gateway"), "ok", "a 401 without a key is an answer: {}", ran.stdout);
}

#[test]
fn a_gateway_that_is_down_exits_4_and_json_is_one_object() {
    let fake = Fake::start(FakeConfig::synthetic().fault(Fault::Down));
    let home = tempfile::tempdir().unwrap();
    let Ran { code, stdout, stderr, .. } =
        fake.check(home.path()).args(["--retries", "1", "--log-format", "json", "--no-cache"]).args(RANGE).run();
    assert_eq!(code, 4, "{stdout}{stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(stdout.trim().lines().count(), 1, "{stdout}");
    assert_eq!((v["ready"].as_bool(), v["exit_code"].as_u64()), (Some(false), Some(4)), "{v}");
    let gateway = v["checks"].as_array().unwrap().iter().find(|c| c["check"] == "gateway").unwrap();
    assert_eq!(gateway["status"], "failed", "{v}");
    for line in stderr.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    }
}

#[test]
fn dates_before_the_data_exit_2_and_an_unwritable_output_folder_exits_1() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let early = ["--start-date", "2020-01-02", "--end-date", "2020-02-28"];
    let ran = fake.check(home.path()).args(early).arg("--no-cache").run();
    assert_eq!(ran.code, 2, "{}{}", ran.stdout, ran.stderr);
    assert_eq!(status(&ran.stdout, "dataset"), "failed", "{}", ran.stdout);

    let missing = home.path().join("no/such/folder/ho.csv");
    let ran = fake.check(home.path()).args(RANGE).arg("--no-cache").arg("--output").arg(&missing).run();
    assert_eq!(ran.code, 1, "{}{}", ran.stdout, ran.stderr);
    assert_eq!(status(&ran.stdout, "output"), "failed", "{}", ran.stdout);
    assert_eq!(fake.get_ranges(), 0);
    assert!(fake.handle().requests_to(GET_RANGE).is_empty());
}

#[test]
fn the_demo_needs_no_key_and_no_network() {
    let home = tempfile::tempdir().unwrap();
    let ran = crate::deltaroll(home.path()).args(["check", "--demo"]).args(RANGE).run();
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    assert_eq!(status(&ran.stdout, "key"), "skipped");
}
