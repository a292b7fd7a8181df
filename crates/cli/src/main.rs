//! `deltaroll`: the command-line front end of deltaroll for cron, systemd timers and
//! Airflow — the same core and Databento client as the web app, so the same spec and data
//! give the same bytes — plus `deltaroll relay`, a local CORS forwarder for the web app.

mod check;
mod config;
mod error;
mod files;
mod flags;
mod logging;
mod metered;
mod metrics;
mod output;
mod products;
mod progress;
mod relay;
mod run;
mod setting;
mod setting_flags;
mod settings;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Instant, SystemTime};

use clap::Parser;

use crate::config::Merged;
use crate::error::{exit, redact_keys, CliError};
use crate::flags::{Cli, Command, RunFlags};
use crate::metrics::{Ending, Metrics};
use crate::setting::Field;
use crate::settings::{Defaults, LogSettings, Resolver};

/// What `main` learns while it runs: how to log, and where the metrics go.
#[derive(Default)]
struct Session {
    /// Logging, once started.
    log: Option<LogSettings>,
    /// `--metrics-file` of a run (not of a dry run, `check` or the relay).
    metrics_file: Option<PathBuf>,
}

fn main() -> ExitCode {
    let started = Instant::now();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Usage errors exit 2 (bad input); --help and --version exit 0.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(exit::BAD_INPUT));
        }
    };
    let env = |name: &str| std::env::var(name).ok();
    let secret = env(&Field::ApiKey.env());
    let metrics = Metrics::default();
    let mut session = Session::default();
    let outcome = main_with(&cli, &env, secret.as_deref(), &metrics, &mut session);
    let outcome = match &session.metrics_file {
        Some(path) => {
            let exit_code = outcome.as_ref().map_or_else(CliError::exit_code, |()| exit::OK);
            let ending = Ending { exit_code, duration: started.elapsed(), at: SystemTime::now() };
            match (outcome, metrics::write(path, &metrics, ending)) {
                (Ok(()), Err(e)) => Err(e),
                (Err(failure), Err(e)) => {
                    tracing::error!("{}", redact_keys(&e.to_string(), secret.as_deref()));
                    Err(failure)
                }
                (outcome, Ok(())) => outcome,
            }
        }
        None => outcome,
    };
    let mut log = session.log;
    if log.is_none() && cli.log.log_format.as_deref() == Some("json") {
        // The settings failed before logging started: still answer a scheduler in JSON.
        let fallback = LogSettings { level: tracing::Level::ERROR, json: true };
        logging::init(fallback);
        log = Some(fallback);
    }
    match outcome {
        Ok(()) => ExitCode::from(exit::OK),
        Err(e) => {
            let message = redact_keys(&e.to_string(), secret.as_deref());
            match log {
                Some(LogSettings { json: true, .. }) => {
                    tracing::error!(exit_code = e.exit_code(), "{message}");
                }
                _ => eprintln!("deltaroll: error: {message}"),
            }
            ExitCode::from(e.exit_code())
        }
    }
}

fn main_with(
    cli: &Cli,
    env: &dyn Fn(&str) -> Option<String>,
    secret: Option<&str>,
    metrics: &Metrics,
    session: &mut Session,
) -> Result<(), CliError> {
    let run_flags = match &cli.command {
        Some(Command::Relay(_)) => &RunFlags::default(),
        Some(Command::Check(flags)) => flags,
        None => &cli.run,
    };
    let merged = Merged::load(run_flags, &cli.log, env)?;
    let product = Field::run("product").and_then(|f| merged.get(f));
    if cli.command.is_none() && product.is_some_and(|given| products::asks_for_list(&given.text)) {
        print!("{}", products::table());
        return Ok(());
    }
    let defaults = Defaults::from_env(env);
    let resolver = Resolver::new(&merged, &defaults);
    let log = resolver.log()?;
    logging::init(log);
    session.log = Some(log);
    if let Some(Command::Relay(relay)) = &cli.command {
        return relay::serve(relay.port, &relay.upstream, &relay.allow_origin);
    }
    if let Some(Command::Check(_)) = &cli.command {
        let settings = resolver.settings()?;
        let metrics_file = resolver.metrics_file()?;
        let inputs = check::Inputs {
            api_key: &|| resolver.api_key(),
            secret,
            metrics_file: metrics_file.as_deref(),
            json: log.json,
        };
        return check::check(&settings, &inputs);
    }
    if cli.run.print_config {
        print!("{}", resolver.describe());
        return Ok(());
    }
    if !cli.run.dry_run {
        session.metrics_file = resolver.metrics_file()?;
    }
    let settings = resolver.settings()?;
    let ctx = run::Context { api_key: &|| resolver.api_key(), today: defaults.today, text_logs: !log.json, metrics };
    run::run(&settings, cli.run.dry_run, &ctx)
}
