//! The API key never appears on stdout or stderr: not in runs, logs at every level, JSON
//! logs, errors (a refused key, a malformed key, a broken config file), the dry run or
//! `--print-config`.

use fake_databento::TEST_KEY;

use crate::{deltaroll, texts, Fake, END, START};

/// The part of each key that would show if printed.
const SECRETS: [&str; 4] = ["TESTKEY", "WRONGKEY", "SECRETKEY", "ZGItVEVTVEtFWT"];

fn assert_hidden(out: &std::process::Output, what: &str) {
    let (stdout, stderr) = texts(out);
    for secret in SECRETS {
        assert!(!stdout.contains(secret), "{what}: stdout shows the key: {stdout}");
        assert!(!stderr.contains(secret), "{what}: stderr shows the key: {stderr}");
    }
}

#[test]
fn the_key_is_never_printed() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let span = ["--start-date", START, "--end-date", END];

    for level in ["trace", "debug"] {
        for format in ["text", "json"] {
            let out = fake
                .deltaroll(home.path())
                .args(span)
                .args(["--no-cache", "--log-level", level, "--log-format", format])
                .output()
                .unwrap();
            assert!(out.status.success());
            assert_hidden(&out, &format!("run at {level} ({format})"));
        }
    }
    let out = fake.deltaroll(home.path()).args(span).args(["--dry-run", "--log-level", "trace"]).output().unwrap();
    assert!(out.status.success());
    assert_hidden(&out, "dry run");
    let out = fake.deltaroll(home.path()).arg("--print-config").output().unwrap();
    assert!(texts(&out).0.contains("<set>"));
    assert_hidden(&out, "print-config");

    let wrong = "db-WRONGKEY000000000000000000000";
    let out = fake
        .deltaroll(home.path())
        .env("DATABENTO_API_KEY", wrong)
        .args(span)
        .args(["--no-cache", "--log-level", "trace"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_hidden(&out, "refused key");

    // A malformed key, from the environment or a file.
    let out = deltaroll(home.path())
        .env("DATABENTO_API_KEY", "db-SECRETKEY-but-too-long-for-a-databento-key")
        .args(span)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_hidden(&out, "malformed key");
    let file = home.path().join("broken.toml");
    std::fs::write(&file, "api_key = \"db-SECRETKEY00000000000000000000\" trailing garbage\n").unwrap();
    let out = deltaroll(home.path()).arg("--config").arg(&file).args(span).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_hidden(&out, "broken config file");
    let file = home.path().join("wrongtype.yaml");
    std::fs::write(&file, "api_key:\n  - db-SECRETKEY00000000000000000000\n").unwrap();
    let out = deltaroll(home.path()).arg("--config").arg(&file).args(span).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_hidden(&out, "list-valued key");
    assert!(!TEST_KEY.is_empty());
}
