//! Integration tests of the `deltaroll` binary: runs against fake-databento, the dry run,
//! exit codes and messages, the cache, the configuration hierarchy, byte-equality with the
//! core's exports, the key never shown, and the relay. One binary, modules by topic.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod check;
mod config;
mod cost;
mod demo;
mod deploy;
mod errors;
mod fetch;
mod files;
mod incremental;
mod metrics;
mod offline;
mod relay;
mod secrets;

use std::path::Path;

use assert_cmd::Command;
use fake_databento::{FakeConfig, FakeHandle, FakeServer, TEST_KEY};

/// The path every test request to the billable endpoint goes to.
pub const GET_RANGE: &str = "/v0/timeseries.get_range";

/// A small range inside the synthetic market (Sep 2024 – Jun 2025).
pub const START: &str = "2025-01-02";
pub const END: &str = "2025-02-28";
/// The flags of the range [`START`]..[`END`].
pub const RANGE: [&str; 4] = ["--start-date", START, "--end-date", END];

/// `deltaroll` with an empty environment (only `HOME`, pointing at `home`), so nothing
/// from the machine leaks into a test.
pub fn deltaroll(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_deltaroll"));
    cmd.env_clear().env("HOME", home).timeout(std::time::Duration::from_secs(120));
    cmd
}

/// fake-databento on a free port, served from a runtime of its own while the test thread
/// runs the binary.
pub struct Fake {
    handle: Option<FakeHandle>,
    runtime: tokio::runtime::Runtime,
}

impl Fake {
    pub fn start(config: FakeConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let (_, handle) = runtime.block_on(FakeServer::start(config)).unwrap();
        Self { handle: Some(handle), runtime }
    }

    pub fn synthetic() -> Self {
        Self::start(FakeConfig::synthetic())
    }

    pub fn url(&self) -> String {
        self.handle().url()
    }

    pub fn handle(&self) -> &FakeHandle {
        self.handle.as_ref().unwrap()
    }

    /// Billable requests so far.
    pub fn get_ranges(&self) -> usize {
        self.handle().requests_to(GET_RANGE).len()
    }

    /// `deltaroll` pointed at this server with the test key in the environment, fast
    /// retries and no cache unless the test adds one.
    pub fn deltaroll(&self, home: &Path) -> Command {
        self.command(home, &[])
    }

    /// `deltaroll check`, set up as [`Fake::deltaroll`].
    pub fn check(&self, home: &Path) -> Command {
        self.command(home, &["check"])
    }

    /// `deltaroll` with `first` (a subcommand) before the flags that point it here.
    fn command(&self, home: &Path, first: &[&str]) -> Command {
        let mut cmd = deltaroll(home);
        cmd.env("DATABENTO_API_KEY", TEST_KEY).args(first).args(["--gateway", &self.url(), "--retry-wait-ms", "5"]);
        cmd
    }

    /// A successful run of [`START`]..[`END`] through the cache in `cache`: its stdout.
    pub fn cached_run(&self, home: &Path, cache: &Path) -> Vec<u8> {
        let ran = self.deltaroll(home).args(RANGE).arg("--cache-dir").arg(cache).run();
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        ran.bytes
    }

    pub fn runtime(&self) -> &tokio::runtime::Runtime {
        &self.runtime
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            self.runtime.block_on(handle.shutdown());
        }
    }
}

/// A finished run of the binary.
pub struct Ran {
    /// The exit code.
    pub code: i32,
    /// stdout as text.
    pub stdout: String,
    /// stderr as text.
    pub stderr: String,
    /// stdout as written.
    pub bytes: Vec<u8>,
}

/// Running a command to its end.
pub trait Run {
    /// Run it, wait for its exit and read its output (panics when it does not exit).
    fn run(&mut self) -> Ran;
}

impl Run for Command {
    fn run(&mut self) -> Ran {
        let out = self.output().unwrap();
        let (stdout, stderr) = texts(&out);
        Ran { code: out.status.code().expect("exited"), stdout, stderr, bytes: out.stdout }
    }
}

/// stdout and stderr as text.
pub fn texts(output: &std::process::Output) -> (String, String) {
    (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}
