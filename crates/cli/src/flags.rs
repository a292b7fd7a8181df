//! The command line as typed: clap's derive of every flag, before any value is checked.
//! Values stay text here so flags, environment and config file go through the same parsers
//! in [`crate::config`] (ripgrep's split: raw flags → validated settings).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::setting_flags::SettingFlags;

/// Exit codes, shown by `--help` and documented in the README.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  other failure (e.g. the output file cannot be written)
  2  bad input: flags, environment, config file, dates or strategy settings; or the
     estimated cost is above --max-cost (nothing fetched)
  3  authentication: no or malformed API key, or Databento refused it (HTTP 401/402/403)
  4  network or server: Databento unreachable, rate-limited or failing after retries, or
     (--offline) data missing from the cache
  5  data gaps: --strict was given and the run has data-gap warnings (the output is still written)

Environment: every setting can also be given as DATABENTO_<NAME> (e.g. DATABENTO_START_DATE,
DATABENTO_DELTA); the API key only as DATABENTO_API_KEY or `api_key` in the config file.
Precedence: flags > environment > config file (TOML or YAML) > defaults; see --print-config.";

/// Delta-targeted option series from Databento (or the simulated demo market).
///
/// Each month, picks the option on the future k months ahead whose delta is closest to the
/// target, holds it to expiry, and writes the daily series (the client's wide CSV by
/// default). Same spec and data → the same bytes the web app downloads.
#[derive(Debug, Parser)]
#[command(name = "deltaroll", version, after_long_help = EXIT_CODES, after_help = EXIT_CODES)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// A subcommand (none: run the strategy).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The run's flags.
    #[command(flatten)]
    pub run: RunFlags,
    /// Logging flags.
    #[command(flatten)]
    pub log: LogFlags,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check that a run with these settings can go ahead, sending nothing billable: the key
    /// is present and accepted and the gateway answers (one free metadata call), the dataset
    /// covers the dates, the cache, output and metrics folders are writable. One line per
    /// check (one JSON object with --log-format json); exits as the run would fail.
    Check(Box<RunFlags>),
    /// Serve a local forwarder on 127.0.0.1 that passes the web app's requests to Databento
    /// and adds the CORS headers a browser needs. Keeps nothing and logs no key.
    Relay(RelayFlags),
}

/// Flags of a run. Every value is optional here: unset flags fall back to the environment,
/// the config file, then the defaults.
#[derive(Debug, Default, Args)]
pub struct RunFlags {
    /// The run settings of the core's table (dates, strategy, wide CSV).
    #[command(flatten)]
    pub settings: SettingFlags,
    /// Output file; `-` writes to stdout [default: -]. A file is replaced only when the run
    /// succeeds.
    #[arg(long, short = 'o', value_name = "PATH", help_heading = "Output")]
    pub output: Option<String>,
    /// Export: the client's wide CSV, a tidy CSV (one line per option per day), the P&L CSV
    /// (daily P&L per leg, total and cumulative, USD) or the JSON manifest [default: wide].
    #[arg(long, value_name = "FORMAT", value_parser = ["wide", "tidy", "pnl", "json"], help_heading = "Output")]
    pub format: Option<String>,
    /// With --format json: state each roll's chain on its roll day, every candidate strike
    /// with its price, vol, delta, distance to the target and why it was skipped (large).
    #[arg(long, help_heading = "Output")]
    pub manifest_chains: bool,
    /// After every run, success or failure, write its metrics here (replaced whole) in the
    /// Prometheus text format, for node_exporter's textfile collector (a `.prom` file in
    /// its --collector.textfile.directory) [default: none].
    #[arg(long, value_name = "PATH", help_heading = "Output")]
    pub metrics_file: Option<String>,
    /// Config file, TOML (.toml) or YAML (.yaml/.yml), with the same names as the flags in
    /// snake_case (start_date = "2025-01-02") and optionally api_key.
    #[arg(long, value_name = "PATH", help_heading = "Output")]
    pub config: Option<PathBuf>,

    /// Run on the SIMULATED demo market: no key, no network, not real prices.
    #[arg(long, help_heading = "Data")]
    pub demo: bool,
    /// Run on Databento exports instead of fetching: files (DBN, JSON lines or CSV, plain or
    /// zstd-compressed .zst, as portal and batch downloads deliver them) or folders of them.
    /// In DATABENTO_FILES or the config file, paths are separated by `:` [default: none].
    #[arg(long, value_name = "PATH", num_args = 1.., help_heading = "Data")]
    pub files: Vec<PathBuf>,
    /// Databento gateway (or a relay / local test server) [default: https://hist.databento.com].
    /// Plain http:// only for 127.0.0.1 or localhost.
    #[arg(long, value_name = "URL", help_heading = "Data")]
    pub gateway: Option<String>,
    /// Print the request plan and its cost (free metadata calls only), fetch nothing billable.
    #[arg(long, help_heading = "Data")]
    pub dry_run: bool,
    /// Cache of past data [default: $XDG_CACHE_HOME/deltaroll or ~/.cache/deltaroll].
    #[arg(long, value_name = "DIR", help_heading = "Data")]
    pub cache_dir: Option<String>,
    /// Neither read nor write the cache.
    #[arg(long, help_heading = "Data")]
    pub no_cache: bool,
    /// Read only the cache: no API key, nothing sent to Databento. Data missing from the
    /// cache fails the run (exit 4); a run without --offline fetches it.
    #[arg(long, help_heading = "Data")]
    pub offline: bool,
    /// Retries of a failed request (rate limit, server error, network) [default: 4].
    #[arg(long, value_name = "N", help_heading = "Data")]
    pub retries: Option<String>,
    /// Of those, retries of a billable get_range after a failure Databento may have billed
    /// (a body cut short or corrupt, a connection broken mid-answer, a timeout): each is
    /// billed again [default: 1]. 429s, 5xx and refused connections are not billed and
    /// follow --retries.
    #[arg(long, value_name = "N", help_heading = "Data")]
    pub billable_retries: Option<String>,
    /// First retry wait in milliseconds, doubled each retry (jittered) [default: 500].
    #[arg(long, value_name = "MS", help_heading = "Data")]
    pub retry_wait_ms: Option<String>,
    /// Refuse to fetch (exit 2) when the plan's estimated cost is above this many USD; the
    /// plan is priced first with free metadata calls [default: no cap].
    #[arg(long, value_name = "USD", help_heading = "Data")]
    pub max_cost: Option<String>,
    /// Exit with code 5 when the run has data-gap warnings: missing or stale prices, deferred
    /// rolls, rule-based expiries (not notes such as a pick outside the band); the output is
    /// still written.
    #[arg(long, help_heading = "Data")]
    pub strict: bool,

    /// Print the merged configuration and where each value came from, then exit.
    #[arg(long)]
    pub print_config: bool,
}

/// Logging flags, for runs and the relay alike.
#[derive(Debug, Default, Args)]
pub struct LogFlags {
    /// error, warn, info, debug or trace [default: info].
    #[arg(long, value_name = "LEVEL", value_parser = ["error", "warn", "info", "debug", "trace"], global = true, help_heading = "Logging")]
    pub log_level: Option<String>,
    /// Logs on stderr as text, or one JSON object per line for schedulers [default: text].
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "json"], global = true, help_heading = "Logging")]
    pub log_format: Option<String>,
}

/// Flags of `deltaroll relay`.
#[derive(Debug, Args)]
pub struct RelayFlags {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = deltaroll_databento::DEFAULT_RELAY_PORT)]
    pub port: u16,
    /// Another web origin whose pages may call the relay, e.g. http://127.0.0.1:9000
    /// (repeatable; http://127.0.0.1:8080 and http://localhost:8080 always may).
    #[arg(long, value_name = "ORIGIN")]
    pub allow_origin: Vec<String>,
    /// Where requests go: https://hist.databento.com, or (for tests) http://127.0.0.1:PORT
    /// or http://localhost:PORT.
    #[arg(long, value_name = "URL", default_value = deltaroll_databento::DEFAULT_BASE_URL)]
    pub upstream: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn flags_are_consistent() {
        Cli::command().debug_assert();
    }
}
