//! The recipes in `deploy/`, checked as far as this machine can: the Kubernetes YAML parses
//! to the expected kinds with the key from a Secret; the systemd units parse and, where
//! `systemd-analyze` exists, verify; the crontab line is valid `sh`; the Airflow DAG runs
//! with its imports stubbed (where `python3` exists); the Dockerfile has its two stages; the
//! shared config file is a valid run. Each recipe checks readiness before the run and
//! writes a metrics file.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize as _;
use serde_norway::Value;

use crate::Run;

fn deploy(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy").join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(deploy(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Whether `program` runs here (`--version`).
fn have(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// `check` comes before the run, and both write the metrics file.
fn checks_then_runs(text: &str, what: &str) {
    let check = text.find("deltaroll check").unwrap_or_else(|| panic!("{what}: no `deltaroll check`"));
    let run = text.rfind("deltaroll --config").unwrap_or_else(|| panic!("{what}: no run"));
    assert!(check < run, "{what}: the check comes first");
    assert!(text.matches("--metrics-file").count() >= 2, "{what}: --metrics-file on the check and the run");
    assert!(!text.contains("db-") || text.contains("db-..."), "{what}: no key in the recipe");
}

#[test]
fn the_kubernetes_cronjob_takes_the_key_from_a_secret() {
    let text = read("kubernetes/cronjob.yaml");
    let docs: Vec<Value> =
        serde_norway::Deserializer::from_str(&text).map(|d| Value::deserialize(d).unwrap()).collect();
    let kinds: Vec<&str> = docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["PersistentVolumeClaim", "CronJob"]);
    let cron = &docs[1];
    assert_eq!(cron["apiVersion"].as_str(), Some("batch/v1"));
    assert_eq!(cron["spec"]["schedule"].as_str(), Some("0 18 * * *"));
    assert_eq!(cron["spec"]["timeZone"].as_str(), Some("America/Chicago"));
    let container = &cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0];
    let env = container["env"].as_sequence().unwrap();
    let key = env.iter().find(|e| e["name"].as_str() == Some("DATABENTO_API_KEY")).unwrap();
    assert_eq!(key["valueFrom"]["secretKeyRef"]["key"].as_str(), Some("DATABENTO_API_KEY"));
    assert!(key.get("value").is_none(), "never the key itself");
    checks_then_runs(container["args"][0].as_str().unwrap(), "cronjob.yaml");
}

/// `[Section]` → `Key=Value` lines of a unit file.
fn unit(text: &str) -> Vec<(String, String, String)> {
    let mut section = String::new();
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_owned();
        } else {
            let (k, v) = line.split_once('=').unwrap_or_else(|| panic!("not Key=Value: {line}"));
            out.push((section.clone(), k.to_owned(), v.to_owned()));
        }
    }
    out
}

fn value<'a>(unit: &'a [(String, String, String)], section: &str, key: &str) -> &'a str {
    unit.iter().find(|(s, k, _)| s == section && k == key).map(|(_, _, v)| v.as_str()).unwrap()
}

#[test]
fn the_systemd_units_parse_and_verify() {
    let service = read("systemd/deltaroll.service");
    let timer = read("systemd/deltaroll.timer");
    let (s, t) = (unit(&service), unit(&timer));
    assert_eq!(value(&s, "Service", "Type"), "oneshot");
    checks_then_runs(
        &format!("{}\n{}", value(&s, "Service", "ExecStartPre"), value(&s, "Service", "ExecStart")),
        "service",
    );
    assert_eq!(value(&t, "Timer", "OnCalendar"), "*-*-* 18:00:00 America/Chicago");
    assert_eq!(value(&t, "Install", "WantedBy"), "timers.target");
    if !have("systemd-analyze") {
        eprintln!("systemd-analyze is not here: the units were only parsed");
        return;
    }
    // Verified as installed, with this build's binary and no key file.
    let dir = tempfile::tempdir().unwrap();
    let binary = env!("CARGO_BIN_EXE_deltaroll");
    let local = service
        .replace("/usr/local/bin/deltaroll", binary)
        .replace("EnvironmentFile=/etc/deltaroll/env", "EnvironmentFile=-/nonexistent/env");
    std::fs::write(dir.path().join("deltaroll.service"), local).unwrap();
    std::fs::write(dir.path().join("deltaroll.timer"), &timer).unwrap();
    let out = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(dir.path().join("deltaroll.service"))
        .arg(dir.path().join("deltaroll.timer"))
        .output()
        .unwrap();
    let (stdout, stderr) = crate::texts(&out);
    assert!(out.status.success() && stderr.trim().is_empty(), "{stdout}{stderr}");
}

#[test]
fn the_crontab_line_is_valid_sh_at_18_chicago() {
    let text = read("cron/deltaroll.crontab");
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).collect();
    assert_eq!(lines[0], "CRON_TZ=America/Chicago");
    let fields: Vec<&str> = lines[1].splitn(6, ' ').collect();
    assert_eq!(fields[..5], ["0", "18", "*", "*", "*"]);
    checks_then_runs(fields[5], "crontab");
    let out = Command::new("sh").args(["-n", "-c", fields[5]]).output().unwrap();
    assert!(out.status.success(), "{}", crate::texts(&out).1);
}

/// Stand-ins for `pendulum` and `airflow` that record the DAG and its tasks.
const AIRFLOW_STUBS: &str = r#"
import sys, types
tasks = []
class Task:
    def __init__(self, task_id, **kw):
        self.task_id, self.kw, self.downstream = task_id, kw, []
        tasks.append(self)
    def __rshift__(self, other):
        self.downstream.append(other.task_id)
        return other
class DAG:
    def __init__(self, **kw):
        self.kw = kw
    def __enter__(self):
        return self
    def __exit__(self, *a):
        return False
mods = {n: types.ModuleType(n) for n in ["airflow", "airflow.operators", "airflow.operators.bash", "pendulum"]}
mods["airflow"].DAG = DAG
mods["airflow.operators.bash"].BashOperator = Task
mods["pendulum"].datetime = lambda *a, **kw: (a, kw)
sys.modules.update(mods)
path = sys.argv[1]
compile(open(path).read(), path, "exec")
scope = {"__name__": "dag"}
exec(open(path).read(), scope)
dag = scope["dag"]
assert dag.kw["schedule"] == "0 18 * * *", dag.kw
assert dag.kw["start_date"][1] == {"tz": "America/Chicago"}, dag.kw
assert [t.task_id for t in tasks] == ["check", "run"], tasks
assert tasks[0].downstream == ["run"]
for t in tasks:
    assert t.kw["env"]["DATABENTO_API_KEY"].startswith("{{"), "the key is templated, not read at parse time"
print(tasks[0].kw["bash_command"])
print(tasks[1].kw["bash_command"])
"#;

#[test]
fn the_airflow_dag_runs_with_its_imports_stubbed() {
    let text = read("airflow/deltaroll_dag.py");
    assert!(text.contains("check >> run"));
    if !have("python3") {
        eprintln!("python3 is not here: the DAG was only read");
        return;
    }
    let out =
        Command::new("python3").args(["-c", AIRFLOW_STUBS]).arg(deploy("airflow/deltaroll_dag.py")).output().unwrap();
    let (stdout, stderr) = crate::texts(&out);
    assert!(out.status.success(), "{stderr}");
    checks_then_runs(&stdout, "the DAG's commands");
}

#[test]
fn the_dockerfile_builds_in_two_stages_and_the_config_is_a_valid_run() {
    let text = read("Dockerfile");
    let stages: Vec<&str> = text.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert_eq!(stages.len(), 2, "{stages:?}");
    assert!(stages[0].ends_with(" AS build"));
    assert!(text.contains("cargo build --release --locked -p deltaroll-cli"));
    assert!(text.contains("COPY --from=build /deltaroll /usr/local/bin/deltaroll"));
    assert!(text.contains("COPY deploy/deltaroll.toml /etc/deltaroll/deltaroll.toml"));

    // The shared settings pass `deltaroll check` (on the demo market, into a temporary folder).
    let home = tempfile::tempdir().unwrap();
    let ran = crate::deltaroll(home.path())
        .args(["check", "--demo", "--config"])
        .arg(deploy("deltaroll.toml"))
        .env("DATABENTO_OUTPUT", home.path().join("out.csv"))
        .arg("--metrics-file")
        .arg(home.path().join("deltaroll.prom"))
        .run();
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
}
