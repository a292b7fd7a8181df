//! The configuration hierarchy, read back through `--print-config`: flag beats environment
//! beats config file beats default, for TOML and YAML files alike.

use std::collections::HashMap;
use std::path::Path;

use crate::{deltaroll, texts};

/// `--print-config` as name → (value, origin).
fn print_config(
    home: &Path,
    file: Option<&Path>,
    env: &[(&str, &str)],
    flags: &[&str],
) -> HashMap<String, (String, String)> {
    let mut cmd = deltaroll(home);
    if let Some(file) = file {
        cmd.arg("--config").arg(file);
    }
    let out = cmd.envs(env.iter().copied()).args(flags).arg("--print-config").output().unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    stdout
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (name, rest) = l.split_once(" = ").expect(l);
            let (value, origin) = rest.split_once(" # ").expect(l);
            (name.trim().to_owned(), (value.trim().to_owned(), origin.trim().to_owned()))
        })
        .collect()
}

fn check_precedence(file_name: &str, contents: &str) {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join(file_name);
    std::fs::write(&file, contents).unwrap();
    let env = [
        ("DATABENTO_DELTA", "0.12"),
        ("DATABENTO_BAND", "0.04"),
        ("DATABENTO_START_DATE", "2024-06-03"),
        ("DATABENTO_OPTION_UNIT", "quote"),
    ];
    let c = print_config(home.path(), Some(&file), &env, &["--delta", "0.13"]);
    let origin_file = format!("config file {}", file.display());
    // delta: flag, environment and file all set it; the flag wins.
    assert_eq!(c["delta"], ("0.13".into(), "flag --delta".into()));
    // band: environment and file; the environment wins.
    assert_eq!(c["band"], ("0.04".into(), "environment DATABENTO_BAND".into()));
    assert_eq!(c["start_date"], ("2024-06-03".into(), "environment DATABENTO_START_DATE".into()));
    // months_ahead, end_date, option_type: only the file.
    assert_eq!(c["months_ahead"], ("3".into(), origin_file.clone()));
    assert_eq!(c["end_date"], ("2024-12-31".into(), origin_file.clone()));
    assert_eq!(c["option_type"], ("put".into(), origin_file.clone()));
    assert_eq!(c["offline"], ("true".into(), origin_file.clone()));
    assert_eq!(c["dates"], ("iso".into(), origin_file.clone()));
    // option_unit: environment and file; the environment wins.
    assert_eq!(c["option_unit"], ("quote".into(), "environment DATABENTO_OPTION_UNIT".into()));
    // rate: nowhere; the core's default.
    assert_eq!(c["rate"], ("0.04".into(), "default".into()));
    assert_eq!(c["format"], ("wide".into(), "default".into()));
    // The key is never shown, only whether it is set and where.
    assert_eq!(c["api_key"], ("<set>".into(), origin_file));

    // Without the flag and the environment, the file's values show through.
    let c = print_config(home.path(), Some(&file), &[], &[]);
    assert_eq!(c["delta"].0, "0.11");
    assert_eq!(c["band"].0, "0.03");
    assert_eq!(c["option_unit"].0, "cents");
    // Without the file: defaults.
    let c = print_config(home.path(), None, &[], &[]);
    assert_eq!(c["delta"], ("0.15".into(), "default".into()));
    assert_eq!(c["months_ahead"], ("2".into(), "default".into()));
    assert_eq!(c["offline"], ("false".into(), "default".into()));
    assert_eq!(c["dates"], ("us".into(), "default".into()));
    assert_eq!(c["option_unit"], ("cents".into(), "default".into()));
    assert_eq!(c["start_date"], ("<unset>".into(), "-".into()));
    assert_eq!(c["api_key"], ("<unset>".into(), "-".into()));
    assert_eq!(c["end_date"].1, "default (yesterday, UTC)");
}

#[test]
fn toml_flag_beats_environment_beats_file_beats_default() {
    check_precedence(
        "deltaroll.toml",
        "delta = 0.11\nband = 0.03\nmonths_ahead = 3\nend_date = 2024-12-31\noption_type = \"put\"\noffline = true\ndates = \"iso\"\noption_unit = \"cents\"\napi_key = \"db-FILEKEY0000000000000000000000\"\n",
    );
}

#[test]
fn yaml_flag_beats_environment_beats_file_beats_default() {
    check_precedence(
        "deltaroll.yaml",
        "delta: 0.11\nband: 0.03\nmonths_ahead: 3\nend_date: 2024-12-31\noption_type: put\noffline: true\ndates: iso\noption_unit: cents\napi_key: db-FILEKEY0000000000000000000000\n",
    );
}

#[test]
fn the_config_file_can_come_from_the_environment_and_drives_a_run() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("job.yml");
    std::fs::write(&file, "demo: true\nstart_date: 2027-01-04\nend_date: 2027-01-08\nformat: tidy\n").unwrap();
    let out = deltaroll(home.path()).env("DATABENTO_CONFIG", &file).output().unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.starts_with("date,symbol,"), "{stdout}");
}

#[test]
fn config_file_mistakes_exit_2_with_the_file_named() {
    let home = tempfile::tempdir().unwrap();
    let cases = [
        ("typo.toml", "detla = 0.2\n", "`detla` is not a setting"),
        ("list.toml", "delta = [0.1, 0.2]\n", "`delta` must be a single value, not a list"),
        ("broken.yaml", "delta: [\n", "is not valid YAML"),
        ("bad.toml", "delta = \"fifteen\"\nstart_date = 2025-01-02\ndemo = true\n", "is not a decimal number"),
        ("job.ini", "delta=0.2\n", "neither TOML"),
        ("dates.yaml", "dates: euro\nstart_date: 2025-01-02\ndemo: true\n", "--dates `euro` (from config file"),
    ];
    for (name, text, message) in cases {
        let file = home.path().join(name);
        std::fs::write(&file, text).unwrap();
        let out = deltaroll(home.path()).arg("--config").arg(&file).output().unwrap();
        let (_, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(message), "{name}: {stderr}");
        assert!(stderr.contains(name), "{name}: {stderr}");
    }
    let out = deltaroll(home.path()).args(["--config", "/nonexistent/deltaroll.toml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("cannot be read"));
}

#[test]
fn a_config_error_is_still_a_json_line_under_log_format_json() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("typo.toml");
    std::fs::write(&file, "detla = 0.2\n").unwrap();
    let out = deltaroll(home.path()).arg("--config").arg(&file).args(["--log-format", "json"]).output().unwrap();
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2));
    let line: serde_json::Value = serde_json::from_str(stderr.trim()).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert_eq!(line["level"], "ERROR");
    assert_eq!(line["exit_code"], 2);
    assert!(line["message"].as_str().unwrap().contains("`detla` is not a setting"));
}

#[test]
fn product_list_prints_the_product_table() {
    let home = tempfile::tempdir().unwrap();
    let out = deltaroll(home.path()).args(["--product", "list"]).output().unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.lines().any(|l| l.starts_with("CL ") && l.contains("LO.OPT") && l.contains("USD/bbl")), "{stdout}");
    let bad =
        deltaroll(home.path()).args(["--demo", "--product", "ZC", "--start-date", "2025-01-02"]).output().unwrap();
    let (_, stderr) = texts(&bad);
    assert!(!bad.status.success() && stderr.contains("serial months"), "{stderr}");
    let demo =
        deltaroll(home.path()).args(["--demo", "--futures-root", "QM", "--start-date", "2025-01-02"]).output().unwrap();
    let (stdout, stderr) = texts(&demo);
    assert!(!demo.status.success() && stdout.is_empty(), "the demo does not mislabel HO prices as QM: {stdout}");
    assert!(stderr.contains("simulates the presets HO, CL, NG, RB, BZ with their own roots only"), "{stderr}");
    let cl =
        ["--demo", "--product", "CL", "--start-date", "2025-01-02", "--end-date", "2025-02-28", "--format", "json"];
    let out = deltaroll(home.path()).args(cl).output().unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success() && stderr.contains("SIMULATED"), "{stderr}");
    assert!(stdout.contains("\"name\": \"WTI crude oil\"") && stdout.contains("\"symbol\": \"LO"), "{stdout}");
}
