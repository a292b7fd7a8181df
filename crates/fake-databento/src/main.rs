//! `fake-databento`: serve the fake Databento API on 127.0.0.1.
//!
//! ```text
//! fake-databento [--port 18080] [--fixtures DIR | --synthetic | --universe realistic]
//!                [--fault rate-limit|flaky|slow|truncate|short-body|bad-key|down|unresolved]...
//!                [--rate-limit-count N] [--retry-after SECS] [--slow-ms MS] [--unresolved-symbol SYM]
//! ```
//!
//! Without `--fixtures` it serves the core's simulated demo market (2021-01 to 2026-06);
//! `--synthetic` serves the small built-in market the tests use; `--universe realistic`
//! every listed HO month and about 10,000 OH options a day from June 2010 to December 2025
//! (prices computed when asked), for benchmarks.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use deltaroll_core::demo::{demo_market, DemoConfig};
use fake_databento::{load_fixtures, FakeConfig, FakeServer, Fault, TEST_KEY};

const USAGE: &str = "usage: fake-databento [--port 18080] [--fixtures DIR | --synthetic | --universe realistic] \
[--fault rate-limit|flaky|slow|truncate|short-body|bad-key|down|unresolved]... [--rate-limit-count N] \
[--retry-after SECS] [--slow-ms MS] [--unresolved-symbol SYM]";

struct Args {
    port: u16,
    fixtures: Option<PathBuf>,
    synthetic: bool,
    realistic: bool,
    faults: Vec<Fault>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut port = 18080;
    let mut fixtures = None;
    let mut synthetic = false;
    let mut realistic = false;
    let mut faults = Vec::new();
    let (mut rl_count, mut retry_after, mut slow_ms, mut unresolved) = (None, None, None, None);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let number =
            |name: &str, v: String| v.parse::<u64>().map_err(|_| format!("{name} needs a whole number, got `{v}`"));
        match arg.as_str() {
            "--port" => {
                let v = value("--port")?;
                port = v.parse().map_err(|_| format!("--port needs a port number, got `{v}`"))?;
            }
            "--synthetic" => synthetic = true,
            "--universe" => match value("--universe")?.as_str() {
                "realistic" => realistic = true,
                other => return Err(format!("unknown universe `{other}` (realistic)")),
            },
            "--fixtures" => fixtures = Some(PathBuf::from(value("--fixtures")?)),
            "--fault" => {
                let v = value("--fault")?;
                faults.push(Fault::parse(&v).ok_or_else(|| {
                    format!("unknown fault `{v}` (rate-limit, flaky, slow, truncate, short-body, bad-key, down, unresolved)")
                })?);
            }
            "--rate-limit-count" => rl_count = Some(number(&arg, value(&arg)?)?),
            "--retry-after" => retry_after = Some(number(&arg, value(&arg)?)?),
            "--slow-ms" => slow_ms = Some(number(&arg, value(&arg)?)?),
            "--unresolved-symbol" => unresolved = Some(value(&arg)?),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    for fault in &mut faults {
        match fault {
            Fault::RateLimit { first, retry_after_secs } => {
                *first = rl_count.map_or(*first, |n| n as usize);
                *retry_after_secs = retry_after.unwrap_or(*retry_after_secs);
            }
            Fault::Slow(d) => *d = slow_ms.map_or(*d, Duration::from_millis),
            Fault::Unresolved(symbol) => {
                if let Some(s) = &unresolved {
                    symbol.clone_from(s);
                }
            }
            _ => {}
        }
    }
    Ok(Args { port, fixtures, synthetic, realistic, faults })
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut config = match &args.fixtures {
        Some(dir) => match load_fixtures(dir) {
            Ok(market) => FakeConfig::with_market(market),
            Err(e) => {
                eprintln!("fake-databento: cannot load fixtures: {e}");
                return ExitCode::from(2);
            }
        },
        None if args.realistic => FakeConfig::realistic(),
        None if args.synthetic => FakeConfig::synthetic(),
        None => FakeConfig::new(|| demo_market(&DemoConfig::default())),
    };
    config = config.port(args.port);
    for f in args.faults {
        config = config.fault(f);
    }
    let faults = format!("{:?}", config.faults);
    let (addr, handle) = match FakeServer::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("fake-databento: cannot listen on 127.0.0.1:{}: {e}", args.port);
            return ExitCode::from(1);
        }
    };
    println!("fake-databento listening on http://{addr} (key {TEST_KEY}, faults {faults}); Ctrl-C stops it");
    let _ = tokio::signal::ctrl_c().await;
    handle.shutdown().await;
    ExitCode::SUCCESS
}
