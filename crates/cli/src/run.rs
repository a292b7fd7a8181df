//! A run: market data (the simulated demo market, or Databento through the cached,
//! retrying client), the core's strategy, and the export written with the core's own
//! writer, so the bytes are the web app's. Also the dry run (the plan and its cost) and
//! `--max-cost` (the plan priced first, the fetch refused above the cap).

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use deltaroll_core::demo::{demo_market_for, DEMO_LABEL};
use deltaroll_core::market::MarketData;
use deltaroll_core::report::Report;
use deltaroll_core::spec::RunSpec;
use deltaroll_core::warnings::Severity;
use deltaroll_databento::cache::{Cache, DiskCache};
use deltaroll_databento::fetch::{estimate_cost, fetch_market};
use deltaroll_databento::transport::NativeTransport;
use deltaroll_databento::{ApiKey, Client, Estimate, Offline, Progress, Transport};

use crate::error::CliError;
use crate::metered::Metered;
use crate::metrics::Metrics;
use crate::output::{print_stdout, write_file};
use crate::progress::Reporter;
use crate::setting::Field;
use crate::settings::{CostCap, DataSource, Output, Settings};

/// What the run needs from outside the settings.
pub struct Context<'a> {
    /// The key, read only when Databento is asked (never `--demo` or `--offline`).
    pub api_key: &'a dyn Fn() -> Result<ApiKey, CliError>,
    /// Today (UTC), from the clock: requests ending before it are cached.
    pub today: chrono::NaiveDate,
    /// Text logs (a progress bar may be drawn).
    pub text_logs: bool,
    /// What the run counts for `--metrics-file`.
    pub metrics: &'a Metrics,
}

/// Run with `settings`: write the export, or (`dry_run`) print the plan and its cost.
pub fn run(settings: &Settings, dry_run: bool, ctx: &Context<'_>) -> Result<(), CliError> {
    let spec = &settings.spec;
    tracing::info!(start = %spec.start, end = %spec.end, "run {} to {}", spec.start, spec.end);
    match &settings.source {
        DataSource::Demo => {
            if let Some(reason) = deltaroll_core::demo::refusal(&spec.product) {
                let field = Field::run("product").unwrap_or(Field::Demo);
                return Err(CliError::Spec { problems: vec![(field, reason)] });
            }
            announce_demo(ctx.text_logs);
            if dry_run {
                print_stdout(format!("{DEMO_LABEL}: nothing is fetched and nothing costs anything.\n").as_bytes())?;
                return Ok(());
            }
            let started = Instant::now();
            let market = demo_market_for(spec);
            tracing::debug!(ms = ms(started), "demo market built in {} ms", ms(started));
            finish(settings, &market, ctx)
        }
        DataSource::Databento { gateway, cache_dir, retry, max_cost } => {
            let key = (ctx.api_key)()?;
            let transport = NativeTransport::new().map_err(|e| CliError::Startup(e.to_string()))?;
            let transport = Metered::new(transport, ctx.metrics);
            let client = Client::new(transport, key)
                .with_base_url(gateway.clone())
                .with_retry(retry.clone())
                .with_cache(disk_cache(cache_dir.as_deref())?, ctx.today);
            tracing::info!(gateway = %gateway, "Databento at {gateway}");
            if dry_run {
                let estimate = price(&client, spec, ctx)?;
                return print_stdout(plan_text(spec, &estimate, max_cost.as_ref()).as_bytes());
            }
            if let Some(cap) = max_cost {
                check_cost(&price(&client, spec, ctx)?, cap)?;
            }
            let market = fetch(&client, spec, ctx)?;
            finish(settings, &market, ctx)
        }
        DataSource::Files(paths) => {
            if dry_run {
                let files = crate::files::collect(paths)?;
                let text = format!(
                    "Files: the run reads {} exported file(s); nothing is fetched and nothing costs anything.\n",
                    files.len()
                );
                return print_stdout(text.as_bytes());
            }
            let market = crate::files::market(spec, paths)?;
            finish(settings, &market, ctx)
        }
        DataSource::Offline { cache_dir, gateway } => {
            // No key is read: the client has none, and its transport sends nothing.
            tracing::info!(offline = true, "offline: only the cache is read (no key, nothing sent)");
            if dry_run {
                return print_stdout(offline_plan_text(cache_dir).as_bytes());
            }
            let client = Client::keyless(Offline)
                .with_base_url(gateway.clone())
                .with_cache(disk_cache(Some(cache_dir))?, ctx.today);
            let market = fetch(&client, spec, ctx)?;
            finish(settings, &market, ctx)
        }
    }
}

/// The plan for `spec` priced with Databento's free metadata calls.
fn price<T: Transport, C: Cache>(
    client: &Client<T, C>,
    spec: &RunSpec,
    ctx: &Context<'_>,
) -> Result<Estimate, CliError> {
    let reporter = Reporter::new(ctx.text_logs);
    let progress = |p: Progress| {
        ctx.metrics.progress(&p);
        reporter.event(p);
    };
    let estimate = runtime()?.block_on(estimate_cost(client, spec, &progress))?;
    reporter.finish();
    ctx.metrics.estimated_cost(estimate.total_usd);
    Ok(estimate)
}

/// `--max-cost`: refuse an estimate above the cap. An estimate with unpriced requests is a
/// lower bound; when its priced part is under the cap the run goes ahead (the unpriced
/// requests are guesses the fetch replaces with its own) and a warning says so.
fn check_cost(estimate: &Estimate, cap: &CostCap) -> Result<(), CliError> {
    let (total, cap_usd) = (estimate.total_usd, cap.usd);
    if total > cap_usd {
        return Err(CliError::OverCostCap {
            estimate_usd: total,
            lower_bound: estimate.lower_bound,
            cap_usd,
            origin: cap.origin.clone(),
        });
    }
    for gap in &estimate.unpriced {
        tracing::warn!(request = %gap.label(), "{} — {}", gap.label(), gap.reason);
    }
    if estimate.lower_bound {
        tracing::warn!(
            estimate_usd = total,
            max_cost_usd = cap_usd,
            unpriced = estimate.unpriced.len(),
            "the estimate, ${total:.4}, is a lower bound ({} request(s) could not be priced, listed above); it is under --max-cost ${cap_usd:.4}, so the run goes ahead",
            estimate.unpriced.len()
        );
    } else {
        tracing::info!(
            estimate_usd = total,
            max_cost_usd = cap_usd,
            "estimated cost ${total:.4}, under --max-cost ${cap_usd:.4}"
        );
    }
    Ok(())
}

/// The disk cache in `cache_dir`, if any (`--no-cache`: none).
fn disk_cache(cache_dir: Option<&Path>) -> Result<Option<DiskCache>, CliError> {
    let Some(dir) = cache_dir else { return Ok(None) };
    let cache = DiskCache::new(dir).map_err(|e| CliError::Output { path: Some(dir.to_owned()), error: e })?;
    tracing::info!(cache = %dir.display(), "cache in {}", dir.display());
    Ok(Some(cache))
}

/// The market for `spec` from `client` (and its cache).
fn fetch<T: Transport, C: Cache>(
    client: &Client<T, C>,
    spec: &RunSpec,
    ctx: &Context<'_>,
) -> Result<MarketData, CliError> {
    let runtime = runtime()?;
    let reporter = Reporter::new(ctx.text_logs);
    let progress = |p: Progress| {
        ctx.metrics.progress(&p);
        reporter.event(p);
    };
    let market = runtime.block_on(fetch_market(client, spec, &progress))?;
    reporter.finish();
    Ok(market)
}

/// A single-threaded runtime for the client's futures.
pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Startup(format!("async runtime: {e}")))
}

/// Say on stderr that the data is simulated: always in text mode, as a warning event in
/// JSON mode (so the stream stays JSON).
fn announce_demo(text_logs: bool) {
    let message = format!("{DEMO_LABEL}: the output is computed from invented prices");
    if text_logs {
        eprintln!("deltaroll: {message}");
    } else {
        tracing::warn!(simulated = true, "{message}");
    }
}

/// Run the strategy, write the export, then report warnings (and fail under `--strict`).
fn finish(settings: &Settings, market: &MarketData, ctx: &Context<'_>) -> Result<(), CliError> {
    let started = Instant::now();
    let report = deltaroll_core::strategy::run(&settings.spec, market).map_err(|errors| CliError::Spec {
        problems: errors.into_iter().map(|e| (crate::settings::spec_field(e.field), e.message)).collect(),
    })?;
    tracing::debug!(ms = ms(started), "strategy ran in {} ms", ms(started));
    let started = Instant::now();
    let mut bytes = Vec::new();
    settings
        .format
        .write_full(&report, &settings.wide, settings.manifest, &mut bytes)
        .map_err(|error| CliError::Output { path: None, error })?;
    tracing::debug!(
        ms = ms(started),
        bytes = bytes.len(),
        "{} export written in {} ms",
        settings.format.as_str(),
        ms(started)
    );
    let written_to = match &settings.output {
        Output::Stdout => {
            print_stdout(&bytes)?;
            "standard output".to_owned()
        }
        Output::File(path) => {
            write_file(path, &bytes)?;
            path.display().to_string()
        }
    };
    ctx.metrics.report(&report);
    summarize(&report, &written_to);
    let gaps = report.warnings.iter().filter(|w| w.kind.severity() == Severity::DataGap).count();
    if settings.strict && gaps > 0 {
        return Err(CliError::Strict { warnings: gaps, written_to });
    }
    Ok(())
}

/// Log the outcome and the warnings (the first few one by one, all of them at debug).
fn summarize(report: &Report, written_to: &str) {
    let chosen = report.rolls.iter().filter(|r| r.choice.is_some()).count();
    tracing::info!(
        rows = report.rows.len(),
        options = report.columns.len(),
        rolls = report.rolls.len(),
        chosen,
        warnings = report.warnings.len(),
        data_source = report.provenance.label(),
        "wrote {} rows, {} options ({chosen} of {} rolls chosen) to {written_to}",
        report.rows.len(),
        report.columns.len(),
        report.rolls.len(),
    );
    let pnl = &report.pnl.summary;
    tracing::info!(
        total_pnl = pnl.total,
        max_drawdown = pnl.max_drawdown,
        complete_rolls = pnl.complete_rolls,
        winning_rolls = pnl.winning_rolls,
        average_entry_premium = pnl.average_entry_premium,
        "{pnl}"
    );
    const SHOWN: usize = 10;
    for (i, w) in report.warnings.iter().enumerate() {
        if i < SHOWN {
            tracing::warn!(code = w.kind.code(), "{w}");
        } else {
            tracing::debug!(code = w.kind.code(), "{w}");
        }
    }
    if report.warnings.len() > SHOWN {
        tracing::warn!(
            "{} more warning(s); --log-level debug lists them, --format json has them all",
            report.warnings.len() - SHOWN
        );
    }
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// The dry run's report offline: nothing to plan, since nothing is sent.
fn offline_plan_text(cache_dir: &Path) -> String {
    format!(
        "Offline: the run reads only the cache in {}; nothing is fetched and nothing costs anything. Without --offline (and with DATABENTO_API_KEY set), --dry-run shows the request plan and its cost.\n",
        cache_dir.display()
    )
}

/// The dry run's report: every planned request with its cost, those that could not be
/// priced with the reason, the total, and how it compares with `--max-cost`.
fn plan_text(spec: &RunSpec, estimate: &Estimate, cap: Option<&CostCap>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Request plan for {} to {} ({} futures, {} {} options, {}): {} request(s)",
        spec.start,
        spec.end,
        spec.product.futures_parent(),
        spec.product.options_parent(),
        spec.kinds().iter().map(|k| k.as_str()).collect::<Vec<_>>().join(" and "),
        spec.price_source,
        estimate.request_count(),
    );
    let _ = writeln!(out, "{:<5} {:<11} {:<28} {:<26} {:>12}", "phase", "schema", "symbols", "dates", "cost (USD)");
    let rows = estimate
        .priced
        .iter()
        .map(|p| match p.cached {
            true => (&p.planned, "cached".to_owned()),
            false => (&p.planned, format!("{}{:.4}", if p.planned.estimated { "~" } else { "" }, p.usd)),
        })
        .chain(estimate.unpriced.iter().map(|u| (&u.planned, "not priced".to_owned())));
    for (planned, cost) in rows {
        let r = &planned.request;
        let symbols = format!("{} ({})", r.symbols, r.stype_in.as_str());
        let _ = writeln!(
            out,
            "{:<5} {:<11} {:<28} {:<26} {:>12}",
            planned.purpose.phase(),
            r.schema.as_str(),
            symbols,
            r.range.to_string(),
            cost,
        );
    }
    for gap in &estimate.unpriced {
        let _ = writeln!(out, "{} — {}", gap.label(), gap.reason);
    }
    if estimate.lower_bound {
        let _ = writeln!(
            out,
            "Total: at least ${:.4} ({} request(s) could not be priced; they are guesses the fetch replaces with its own, so a run can still go ahead)",
            estimate.total_usd,
            estimate.unpriced.len()
        );
    } else {
        let _ = writeln!(out, "Total: ${:.4}", estimate.total_usd);
    }
    if estimate.cached_count() > 0 {
        let _ = writeln!(
            out,
            "{} request(s) are in the cache (an earlier run's answers): read from it, they cost nothing.",
            estimate.cached_count()
        );
    }
    if estimate.stand_in_usd() > 0.0 {
        let _ = writeln!(
            out,
            "Of which ${:.4} is an estimate (~): the held options are chosen after phase 2, each priced here as its future over the same days ({} phase-3 rows, one per roll and leg; the fetch asks for them together, in {} request(s)).",
            estimate.stand_in_usd(),
            estimate.stand_in_count(),
            estimate.held_request_count()
        );
    }
    if let Some(cap) = cap {
        let verdict = if estimate.total_usd > cap.usd {
            "above it: a run would be refused"
        } else {
            "under it: a run would go ahead"
        };
        let _ = writeln!(out, "--max-cost ${:.4} (from {}): the estimate is {verdict}.", cap.usd, cap.origin);
    }
    out.push_str(
        "Dry run: only the free metadata.get_cost and get_dataset_range were called; nothing billable was fetched.\n",
    );
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn offline_runs_never_read_the_key() {
        let dir = std::env::temp_dir().join(format!("deltaroll-offline-test-{}", std::process::id()));
        let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
        let settings = Settings {
            spec: RunSpec::new(day, day),
            format: deltaroll_core::export::ExportFormat::Wide,
            wide: deltaroll_core::export::WideFormat::default(),
            manifest: deltaroll_core::export::ManifestOptions::default(),
            output: Output::Stdout,
            source: DataSource::Offline { cache_dir: dir.clone(), gateway: deltaroll_databento::BaseUrl::databento() },
            strict: false,
        };
        let asked = std::cell::Cell::new(false);
        let api_key = || {
            asked.set(true);
            Err(CliError::Startup("the key was asked for".into()))
        };
        let ctx = Context {
            api_key: &api_key,
            today: day.succ_opt().unwrap(),
            text_logs: false,
            metrics: &Metrics::default(),
        };
        // An empty cache: the first piece is missing, and nothing else was tried.
        let err = run(&settings, false, &ctx).unwrap_err();
        assert!(err.to_string().contains("the date range of GLBX.MDP3 is not in the cache"), "{err}");
        assert!(!asked.get(), "the key was read");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
