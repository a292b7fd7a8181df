//! Runs and downloads without the DOM: the strategy on the demo market or on dropped files,
//! and the exact bytes of each export. The components call these; nothing here fetches.

use std::fmt;
use std::sync::{Arc, Mutex};

use deltaroll_core::demo::demo_market_for;
use deltaroll_core::export::{ExportFormat, WideFormat};
use deltaroll_core::market::MarketData;
use deltaroll_core::report::Report;
use deltaroll_core::spec::{RunSpec, SpecError};
use deltaroll_core::strategy::run;
use deltaroll_databento::files::{self, ExportsError};

/// The demo market of the last demo run, by the spec it was built for.
static DEMO: Mutex<Option<(RunSpec, Arc<MarketData>)>> = Mutex::new(None);

/// The demo market a run of `spec` reads, kept while the spec stays the same: the core's
/// [`demo_market_for`], as in the CLI (futures, each roll day's chain, the chosen options'
/// series; the same exports as the whole demo market of the run's window, from a fraction
/// of its prices).
pub fn demo_market(spec: &RunSpec) -> Arc<MarketData> {
    let mut cached = DEMO.lock().unwrap_or_else(|e| e.into_inner());
    match &*cached {
        Some((s, market)) if s == spec => market.clone(),
        _ => {
            let market = Arc::new(demo_market_for(spec));
            *cached = Some((spec.clone(), market.clone()));
            market
        }
    }
}

/// Why the strategy cannot run: the core's reasons, each saying what to change.
#[derive(Debug, Clone, PartialEq)]
pub struct RunError(pub Vec<SpecError>);

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let messages: Vec<&str> = self.0.iter().map(|e| e.message.as_str()).collect();
        f.write_str(&messages.join(" "))
    }
}

/// The strategy on the demo market.
#[cfg(test)]
pub fn run_demo(spec: &RunSpec) -> Result<Report, RunError> {
    run(spec, &demo_market(spec)).map_err(RunError)
}

/// The strategy on any market (fetched from Databento, built from files).
pub fn run_on(spec: &RunSpec, market: &MarketData) -> Result<Report, RunError> {
    run(spec, market).map_err(RunError)
}

/// Why dropped files cannot be used; each message names the file, or says what to drop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilesError {
    /// A file larger than a dropped file may be, refused before its bytes were read.
    TooLarge {
        /// The file's name.
        name: String,
        /// Its size, MiB (rounded up).
        mib: u64,
    },
    /// The browser could not read a file.
    NotRead {
        /// The file's name.
        name: String,
        /// What the browser said.
        reason: String,
    },
    /// The exports give no market: nothing dropped, a file that does not decode, no
    /// futures prices (the client crate's reasons, worded here for dropped files).
    Exports(ExportsError),
}

impl fmt::Display for FilesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exports(ExportsError::NoFiles) => f.write_str("No files: drop the files you exported from Databento first."),
            Self::TooLarge { name, mib } => write!(
                f,
                "{name} is {mib} MiB, more than the {} MiB a dropped file may have: export fewer days or symbols per file from Databento and drop the parts together.",
                MAX_FILE_BYTES.div_ceil(1024 * 1024)
            ),
            Self::NotRead { name, reason } => write!(f, "{name} could not be read: {reason}"),
            Self::Exports(ExportsError::Undecodable { name, detail }) => write!(
                f,
                "{name} could not be read ({detail}). Drop files exported from Databento: DBN, JSON lines or CSV, plain or zstd-compressed (.zst), whole and unedited."
            ),
            Self::Exports(ExportsError::NoPrices { futures_root, price_source, schema, parent }) => write!(
                f,
                "The files hold no {futures_root} futures prices ({price_source}): add the {schema} file of {parent} (statistics for settlements, ohlcv-1d for closes) with its definitions."
            ),
        }
    }
}

/// The largest file that may be dropped: the client's limit on a response body (512 MiB).
/// A larger file is refused before its bytes are read, not read into memory whole.
pub const MAX_FILE_BYTES: u64 = deltaroll_databento::DEFAULT_MAX_BODY_BYTES;

/// Whether a dropped file of `size` bytes (as the browser reports it, before reading) may be
/// read.
pub fn check_file_size(name: &str, size: f64) -> Result<(), FilesError> {
    if size <= MAX_FILE_BYTES as f64 {
        return Ok(());
    }
    Err(FilesError::TooLarge { name: name.to_owned(), mib: (size / (1024.0 * 1024.0)).ceil() as u64 })
}

/// A file the user dropped: an export, as the client crate reads it.
pub type DroppedFile = files::ExportFile;

/// The market in dropped Databento exports (DBN, JSON lines or CSV, plain or zstd, any
/// mix): the client crate's [`files::market_from_files`], as the CLI's `--files` reads them.
pub fn market_from_files(spec: &RunSpec, files: &[DroppedFile]) -> Result<MarketData, FilesError> {
    files::market_from_files(spec, files).map_err(FilesError::Exports)
}

/// The bytes of `format` for `report` (the wide CSV as `wide` says): exactly what the core
/// writes.
pub fn export_bytes(report: &Report, format: ExportFormat, wide: &WideFormat) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    format.write_with(report, wide, &mut out).map_err(|e| format!("The {} export failed: {e}", format.as_str()))?;
    Ok(out)
}

/// The MIME type of a download.
pub fn export_mime(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Json => "application/json",
        _ => "text/csv",
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::state::form::default_spec;
    use deltaroll_core::demo::{demo_market as whole_demo_market, DemoConfig, DEMO_MAX_MONTHS_AHEAD};

    fn short_spec() -> RunSpec {
        let mut spec = default_spec();
        spec.end = NaiveDate::from_ymd_opt(2025, 2, 28).unwrap();
        spec
    }

    #[test]
    fn demo_exports_are_the_cores_bytes() {
        let spec = short_spec();
        let report = run_demo(&spec).unwrap();
        assert!(Arc::ptr_eq(&demo_market(&spec), &demo_market(&spec)), "the market is kept");
        let direct = run(&spec, &demo_market_for(&spec)).unwrap();
        for format in [ExportFormat::Wide, ExportFormat::Tidy, ExportFormat::Pnl, ExportFormat::Json] {
            let mut expected = Vec::new();
            format.write(&direct, &mut expected).unwrap();
            assert_eq!(export_bytes(&report, format, &WideFormat::default()).unwrap(), expected, "{}", format.as_str());
        }
        let wide =
            String::from_utf8(export_bytes(&report, ExportFormat::Wide, &WideFormat::default()).unwrap()).unwrap();
        assert!(wide.starts_with("timestamp,Futures_Price,OH"), "{}", &wide[..40]);
        assert_eq!(ExportFormat::Tidy.file_name(&report), "deltaroll-HO-call-0.15-2025-01-01_2025-02-28-tidy.csv");
        let mut puts = report.clone();
        (puts.spec.kind, puts.spec.target_delta) = (deltaroll_core::contract::OptionKind::Put, 0.25);
        assert_eq!(ExportFormat::Json.file_name(&puts), "deltaroll-HO-put-0.25-2025-01-01_2025-02-28-json.json");
        puts.spec.legs = deltaroll_core::legs::parse_legs("short:call:0.15,short:put:0.1:2:2", 2).unwrap();
        assert_eq!(
            ExportFormat::Pnl.file_name(&puts),
            "deltaroll-HO-short-call-0.15+short-2x-put-0.1-2025-01-01_2025-02-28-pnl.csv"
        );
        puts.spec.legs =
            deltaroll_core::legs::parse_legs("long:call:0.1,long:call:0.15,long:call:0.2,long:call:0.25", 2).unwrap();
        assert_eq!(ExportFormat::Wide.file_name(&puts), "deltaroll-HO-4-legs-2025-01-01_2025-02-28-wide.csv");
    }

    /// The demo short strangle of 2021–2025, as a share link gives it: every export is the
    /// core's bytes, as the CLI writes them (`a_five_year_short_strangle_runs_natively_…`).
    #[test]
    fn a_strangle_link_exports_the_cores_bytes() {
        let link = crate::state::link::decode(
            "src=demo&start_date=2021-01-04&end_date=2025-12-31&legs=short%3Acall%3A0.15%2Cshort%3Aput%3A0.15",
        );
        let spec = link.form.spec().unwrap();
        assert_eq!(spec.legs().len(), 2);
        let report = run_demo(&spec).unwrap();
        let direct = run(&spec, &demo_market_for(&spec)).unwrap();
        for format in [ExportFormat::Wide, ExportFormat::Tidy, ExportFormat::Pnl, ExportFormat::Json] {
            let mut expected = Vec::new();
            format.write(&direct, &mut expected).unwrap();
            assert_eq!(export_bytes(&report, format, &link.form.wide()).unwrap(), expected, "{}", format.as_str());
        }
        assert_eq!(report.pnl.legs.len(), 2);
    }

    /// The run's own market gives the same CSVs as the whole default demo market (only the
    /// manifest's data hash differs), for calls and puts, both price sources and the
    /// longest lookback.
    #[test]
    fn window_markets_match_the_default_demo_market() {
        let whole = whole_demo_market(&DemoConfig::default());
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let mut specs = vec![short_spec()];
        let mut s = RunSpec::new(d(2021, 1, 1), d(2021, 9, 30));
        s.months_ahead = DEMO_MAX_MONTHS_AHEAD;
        s.kind = deltaroll_core::contract::OptionKind::Put;
        s.price_source = deltaroll_core::market::PriceSource::Close;
        specs.push(s);
        let mut s = RunSpec::new(d(2026, 1, 15), d(2026, 6, 30));
        s.months_ahead = 1;
        s.target_delta = 0.3;
        specs.push(s);
        for spec in specs {
            let window = run(&spec, &demo_market_for(&spec)).unwrap();
            let full = run(&spec, &whole).unwrap();
            // The same choices; the chain counts differ: the run's market lists a roll day's
            // strikes as of that day, the whole market also those listed later (unpriced then).
            let chosen = |r: &Report| {
                r.rolls.iter().map(|r| r.choice.as_ref().map(|c| (c.symbol, c.iv, c.delta))).collect::<Vec<_>>()
            };
            assert_eq!(chosen(&window), chosen(&full), "{spec:?}");
            assert_eq!(window.warnings, full.warnings, "{spec:?}");
            for format in [ExportFormat::Wide, ExportFormat::Tidy, ExportFormat::Pnl] {
                assert_eq!(
                    export_bytes(&window, format, &WideFormat::default()).unwrap(),
                    export_bytes(&full, format, &WideFormat::default()).unwrap(),
                    "{} {spec:?}",
                    format.as_str()
                );
            }
        }
    }

    /// JSON lines as Databento exports them (pretty prices and timestamps, symbols mapped):
    /// HOH5's daily bars on Sunday 1/5 and the week after, and its settlements that week.
    fn hoh5_week() -> (DroppedFile, DroppedFile) {
        let days = ["2025-01-05", "2025-01-06", "2025-01-07", "2025-01-08", "2025-01-09", "2025-01-10"];
        let hd = |day: &str, rtype: u8| {
            format!(
                r#""hd":{{"ts_event":"{day}T00:00:00.000000000Z","rtype":{rtype},"publisher_id":1,"instrument_id":42}}"#
            )
        };
        let bars: Vec<String> = days
            .iter()
            .map(|day| {
                let hd = hd(day, 35);
                format!(
                    r#"{{{hd},"open":"2.4","high":"2.4","low":"2.4","close":"2.4","volume":"100","symbol":"HOH5"}}"#
                )
            })
            .collect();
        let settlements: Vec<String> = days[1..]
            .iter()
            .map(|day| {
                let hd = hd(day, 24);
                format!(
                    r#"{{"ts_recv":"{day}T21:00:00.000000000Z",{hd},"ts_ref":"{day}T00:00:00.000000000Z","price":"2.41","quantity":null,"sequence":0,"ts_in_delta":0,"stat_type":3,"channel_id":0,"update_action":1,"stat_flags":1,"symbol":"HOH5"}}"#
                )
            })
            .collect();
        let file =
            |name: &str, lines: Vec<String>| DroppedFile { name: name.into(), bytes: lines.join("\n").into_bytes() };
        (file("bars.json", bars), file("stats.json", settlements))
    }

    #[test]
    fn dropped_settlements_keep_the_sunday_rows_of_dropped_bars_and_overlaps_count_once() {
        let (bars, stats) = hoh5_week();
        let mut spec =
            RunSpec::new(NaiveDate::from_ymd_opt(2025, 1, 5).unwrap(), NaiveDate::from_ymd_opt(2025, 1, 10).unwrap());
        spec.months_ahead = 1;
        let market = market_from_files(&spec, &[bars.clone(), stats.clone()]).unwrap();
        let report = run_on(&spec, &market).unwrap();
        let rows: Vec<String> = report.rows.iter().map(|r| r.date.to_string()).collect();
        assert_eq!(rows, ["2025-01-05", "2025-01-06", "2025-01-07", "2025-01-08", "2025-01-09", "2025-01-10"]);
        let sunday = report.rows[0].front.as_ref().unwrap();
        assert_eq!(sunday.price, None, "no settlement before the Sunday in these files");
        assert_eq!(report.rows[1].front.as_ref().unwrap().price.map(|p| p.value()), Some(2.41));
        // The same records dropped twice (overlapping exports) give the same market.
        let twice = market_from_files(&spec, &[bars.clone(), stats, bars]).unwrap();
        assert_eq!(twice.content_hash(), market.content_hash());
    }

    #[test]
    fn files_over_the_limit_are_refused_before_reading() {
        assert!(check_file_size("prices.dbn", 1e6).is_ok());
        assert!(check_file_size("prices.dbn", MAX_FILE_BYTES as f64).is_ok());
        let err = check_file_size("huge.dbn", 3.0 * 1024.0 * 1024.0 * 1024.0).unwrap_err().to_string();
        assert!(err.starts_with("huge.dbn is 3072 MiB, more than the 512 MiB a dropped file may have"), "{err}");
    }

    #[test]
    fn corrupt_or_empty_files_are_named_and_explained() {
        let spec = short_spec();
        let err = market_from_files(&spec, &[]).unwrap_err();
        assert_eq!(err, FilesError::Exports(ExportsError::NoFiles));
        assert!(err.to_string().contains("No files"));
        let garbage = DroppedFile { name: "prices.dbn".into(), bytes: b"DBN\x03garbage".to_vec() };
        let err = market_from_files(&spec, &[garbage]).unwrap_err().to_string();
        assert!(err.starts_with("prices.dbn could not be read"), "{err}");
        let zstd = DroppedFile { name: "x.dbn.zst".into(), bytes: vec![0x28, 0xB5, 0x2F, 0xFD, 0, 0] };
        assert!(market_from_files(&spec, &[zstd]).unwrap_err().to_string().contains("zstd"));
        let unrelated = DroppedFile { name: "notes.csv".into(), bytes: b"a,b\n1,2\n".to_vec() };
        let err = market_from_files(&spec, &[unrelated]).unwrap_err().to_string();
        assert!(err.contains("notes.csv") || err.contains("no HO futures prices"), "{err}");
    }
}
