//! Each failure's exit code and message: bad input 2, auth 3, network 4, data gaps with
//! `--strict` 5.

use fake_databento::{FakeConfig, Fault};

use crate::{deltaroll, texts, Fake, Ran, Run, RANGE, START};

fn code(out: &std::process::Output) -> i32 {
    out.status.code().expect("exited")
}

#[test]
fn a_refused_key_exits_3_and_says_so() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let Ran { code, stdout, stderr, .. } = fake
        .deltaroll(home.path())
        .env("DATABENTO_API_KEY", "db-WRONGKEY000000000000000000000")
        .args(RANGE)
        .arg("--no-cache")
        .run();
    assert_eq!(code, 3, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("deltaroll: error: Databento refused the API key (HTTP 401"), "{stderr}");
    assert_eq!(fake.get_ranges(), 0);
}

#[test]
fn a_bad_key_fault_exits_3_too() {
    let fake = Fake::start(FakeConfig::synthetic().fault(Fault::BadKey));
    let home = tempfile::tempdir().unwrap();
    let ran = fake.deltaroll(home.path()).args(RANGE).arg("--dry-run").run();
    assert_eq!(ran.code, 3, "{}", ran.stderr);
}

#[test]
fn a_missing_or_malformed_key_exits_3_before_any_request() {
    let home = tempfile::tempdir().unwrap();
    let Ran { code, stderr, .. } = deltaroll(home.path()).args(RANGE).run();
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("no Databento API key: set DATABENTO_API_KEY"), "{stderr}");
    assert!(stderr.contains("--demo"), "{stderr}");
    let Ran { code, stderr, .. } = deltaroll(home.path()).env("DATABENTO_API_KEY", "db-tooshort").args(RANGE).run();
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("keys are 32 characters starting with `db-` (got 11 characters)"), "{stderr}");
}

#[test]
fn bad_dates_exit_2_and_name_the_flag() {
    let home = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["--start-date", "2025-02-30"], "--start-date `2025-02-30` (from flag) is not a date (YYYY-MM-DD"),
        (
            &["--start-date", "2025-03-01", "--end-date", "2025-01-01"],
            "The end date 2025-01-01 is before the start date",
        ),
        (&["--end-date", "2025-03-01"], "no start date: give --start-date"),
        (&["--start-date", START, "--delta", "15%"], "--delta `15%` (from flag) is not a decimal number"),
    ];
    for (args, message) in cases {
        let out = deltaroll(home.path()).arg("--demo").args(args).output().unwrap();
        let (stdout, stderr) = texts(&out);
        assert_eq!(code(&out), 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    // The core's spec checks, worded by the core, pointed at the flag.
    let out = deltaroll(home.path()).args(["--demo", "--start-date", START, "--delta", "1.5"]).output().unwrap();
    let (_, stderr) = texts(&out);
    assert_eq!(code(&out), 2);
    assert!(stderr.contains("--delta: Target delta must be strictly between 0 and 1"), "{stderr}");
    // clap's own usage errors are bad input too.
    let out = deltaroll(home.path()).args(["--option-type", "straddle"]).output().unwrap();
    assert_eq!(code(&out), 2);
}

#[test]
fn dates_outside_the_data_exit_2() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let Ran { code, stderr, .. } = fake
        .deltaroll(home.path())
        .args(["--start-date", "2030-01-02", "--end-date", "2030-02-28", "--no-cache"])
        .run();
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("Databento has no"), "{stderr}");
}

#[test]
fn a_server_that_is_down_exits_4_after_the_retries() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let home = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let Ran { code, stderr, .. } = deltaroll(home.path())
        .env("DATABENTO_API_KEY", fake_databento::TEST_KEY)
        .args(["--gateway", &format!("http://127.0.0.1:{port}"), "--retries", "2", "--retry-wait-ms", "5"])
        .args(RANGE)
        .run();
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains(&format!("could not reach http://127.0.0.1:{port}/")), "{stderr}");
    assert!(stderr.contains("tried 3 time(s)"), "{stderr}");
    assert!(started.elapsed().as_secs() < 30);
}

/// A server on 127.0.0.1 that answers every request (at most `n`) with `answer`; its URL.
fn answering(answer: &'static str, n: usize) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for socket in listener.incoming().take(n) {
            let Ok(mut socket) = socket else { continue };
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let _ = socket.write_all(answer.as_bytes());
        }
    });
    url
}

#[test]
fn a_retry_after_too_large_for_a_duration_exits_4_not_a_panic() {
    let url = answering(
        "HTTP/1.1 429 Too Many Requests\r\nretry-after: 1e20\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
        8,
    );
    let home = tempfile::tempdir().unwrap();
    let Ran { code, stderr, .. } = deltaroll(home.path())
        .env("DATABENTO_API_KEY", fake_databento::TEST_KEY)
        .args(["--gateway", &url])
        .args(RANGE)
        .arg("--no-cache")
        .run();
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("rate-limiting these requests (HTTP 429, asked to wait 86400s"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn server_errors_are_retried_then_exit_4() {
    let fake = Fake::start(FakeConfig::synthetic().fault(Fault::Flaky));
    let home = tempfile::tempdir().unwrap();
    let short = ["--start-date", START, "--end-date", "2025-01-10", "--no-cache"];
    let Ran { code, stderr, .. } = fake.deltaroll(home.path()).args(short).run();
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("retrying in"), "{stderr}");
    let Ran { code, stderr, .. } = fake.deltaroll(home.path()).args(short).args(["--retries", "0"]).run();
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("Databento's servers failed to answer"), "{stderr}");
}

#[test]
fn billable_retries_bound_the_get_range_calls_of_bodies_cut_short() {
    let home = tempfile::tempdir().unwrap();
    // A server of its own for each run, so a request still in flight when the previous run
    // stopped cannot be counted against the next.
    let run = |extra: &[&str]| {
        let fake = Fake::start(FakeConfig::synthetic().fault(Fault::Truncate));
        let Ran { code, stderr, .. } = fake.deltaroll(home.path()).args(RANGE).arg("--no-cache").args(extra).run();
        assert_eq!(code, 4, "{stderr}");
        assert!(stderr.contains("corrupt or cut short"), "{stderr}");
        assert!(stderr.contains("a retry of a billable request is billed again"), "{stderr}");
        assert!(stderr.contains("set them with --billable-retries N"), "{stderr}");
        fake.get_ranges()
    };
    // Phase 1 is two requests (futures bars and settlements), sent together; the first
    // failure stops the run.
    let never = run(&["--billable-retries", "0"]);
    assert!((1..=2).contains(&never), "{never} get_range calls without retries");
    let default = run(&[]);
    assert!((2..=4).contains(&default), "{default} get_range calls with one retry each");
    // --retries still bounds them.
    let capped = run(&["--billable-retries", "5", "--retries", "0"]);
    assert!((1..=2).contains(&capped), "{capped} get_range calls with --retries 0");
}

#[test]
fn strict_runs_with_warnings_exit_5_and_still_write_the_output() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let args = ["--start-date", START, "--end-date", "2025-01-31", "--no-cache", "--price-source", "close"];
    let Ran { code, stdout, stderr, .. } = fake.deltaroll(home.path()).args(args).arg("--strict").run();
    assert_eq!(code, 5, "{stderr}");
    assert!(stdout.starts_with("timestamp,Futures_Price,"), "{stdout}");
    assert!(stderr.contains("--strict: the run has"), "{stderr}");
    assert!(stderr.contains("missing_option_price") || stderr.contains("held option has no price"), "{stderr}");
    // The same run without --strict succeeds, warnings logged.
    let ran = fake.deltaroll(home.path()).args(args).run();
    assert_eq!(ran.code, 0);
    assert_eq!(ran.bytes, stdout.as_bytes());
    // DATABENTO_STRICT turns it on too.
    assert_eq!(fake.deltaroll(home.path()).args(args).env("DATABENTO_STRICT", "true").run().code, 5);
}

#[test]
fn strict_ignores_notes_on_complete_data() {
    // A zero-width band makes every pick "outside the band": a note, not a data gap.
    let home = tempfile::tempdir().unwrap();
    let args = ["--demo", "--start-date", "2023-01-03", "--end-date", "2023-03-31", "--band", "0", "--strict"];
    let Ran { code, stdout, stderr, .. } = deltaroll(home.path()).args(args).args(["--format", "json"]).run();
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("is outside 0.15 ± 0"), "the notes are still logged: {stderr}");
    let manifest: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let warnings = manifest["warnings"].as_array().unwrap();
    assert!(!warnings.is_empty() && warnings.iter().all(|w| w["severity"] == "note"), "{warnings:?}");
}

#[test]
fn an_unwritable_output_exits_1() {
    let home = tempfile::tempdir().unwrap();
    let target = home.path().join("missing-dir/ho.csv");
    let Ran { code, stderr, .. } = deltaroll(home.path())
        .args(["--demo", "--start-date", "2027-01-04", "--end-date", "2027-01-08", "--output"])
        .arg(&target)
        .run();
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cannot write the output file"), "{stderr}");
}

#[test]
fn help_documents_the_exit_codes() {
    let home = tempfile::tempdir().unwrap();
    let Ran { code, stdout, .. } = deltaroll(home.path()).arg("--help").run();
    assert_eq!(code, 0);
    for line in ["0  success", "2  bad input", "3  authentication", "4  network or server", "5  data gaps"] {
        assert!(stdout.contains(line), "{line}");
    }
}
