//! The real fixtures (`../shared/data/databento/*.jsonl`: Databento JSON-lines exports of
//! `ohlcv-1d` with `pretty_px`, `pretty_ts` and `map_symbols`) as a market of closes, for
//! `--fixtures <dir>`. Spreads and strategies are skipped; expirations come from the CME
//! rule because the files hold no definitions.

use std::path::Path;

use chrono::DateTime;
use deltaroll_core::market::{Instrument, MarketBuilder, MarketData, Price, PriceSource, Provenance};
use deltaroll_core::product::ProductSpec;
use serde_json::Value;

/// Why the fixtures could not be loaded.
#[derive(Debug)]
pub struct FixtureError(pub String);

impl std::fmt::Display for FixtureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FixtureError {}

/// Every `*.jsonl` file in `dir` (or `dir/databento`) as one market of daily closes.
pub fn load_fixtures(dir: &Path) -> Result<MarketData, FixtureError> {
    let dir = if dir.join("databento").is_dir() { dir.join("databento") } else { dir.to_path_buf() };
    let err = |e: std::io::Error| FixtureError(format!("{}: {e}", dir.display()));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(err)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(FixtureError(format!("no .jsonl files in {}", dir.display())));
    }
    let mut b = MarketBuilder::new(ProductSpec::heating_oil(), Provenance::Files);
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|e| FixtureError(format!("{}: {e}", path.display())))?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            add_line(&mut b, line).map_err(|e| FixtureError(format!("{} line {}: {e}", path.display(), i + 1)))?;
        }
    }
    Ok(b.build())
}

fn add_line(b: &mut MarketBuilder, line: &str) -> Result<(), String> {
    let v: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let ts = v["hd"]["ts_event"].as_str().ok_or("no hd.ts_event")?;
    let date = if ts.bytes().all(|c| c.is_ascii_digit()) {
        let ns: i64 = ts.parse().map_err(|_| "bad ts_event")?;
        DateTime::from_timestamp_nanos(ns).date_naive()
    } else {
        DateTime::parse_from_rfc3339(ts).map_err(|e| e.to_string())?.date_naive()
    };
    let close = v["close"].as_str().ok_or("no close")?;
    let close: f64 = if close.contains('.') {
        close.parse().map_err(|_| "bad close")?
    } else {
        close.parse::<i64>().map_err(|_| "bad close")? as f64 / 1e9
    };
    let symbol = v["symbol"].as_str().ok_or("no symbol")?;
    if let (Some(instrument), Some(price)) = (Instrument::parse(symbol, date), Price::new(close)) {
        b.add_price(instrument, date, PriceSource::Close, price);
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn real_fixtures_load_when_present() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        if !dir.is_dir() {
            println!("SKIPPED: no fixtures at {} (../shared/data is absent)", dir.display());
            return;
        }
        let m = load_fixtures(&dir).unwrap();
        assert_eq!(m.provenance, Provenance::Files);
        // 30 contracts in 2010 and 30 in 2025 (the January file adds none).
        assert_eq!(m.futures().count(), 60);
        assert_eq!(m.options().count(), 98);
        assert!(load_fixtures(Path::new("/nonexistent")).is_err());
    }
}
