//! A market from Databento exports — files saved from the portal or a batch download,
//! dropped on the web app or given to the CLI's `--files`: DBN, JSON lines or CSV, plain or
//! zstd-compressed, any mix. Every file is decoded whole first (a corrupt one is named and
//! nothing is used), then definitions, then every price they hold, settlements and daily
//! bars alike, as a fetch adds them (the bars give the Sunday rows and the closes;
//! settlements price every candidate). A record in two overlapping files counts once, and
//! of two records of one price the better one wins, whichever file holds it.

use std::fmt;

use deltaroll_core::market::{MarketBuilder, MarketData, PriceSource, Provenance};
use deltaroll_core::spec::RunSpec;

use crate::decode::{decode_any, Decoded};
use crate::ingest::Ingest;

/// An exported file: its name (for messages) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// Its name, for messages.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Why exported files give no market; each message names the file or what is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportsError {
    /// No file at all.
    NoFiles,
    /// A file is not a Databento export this crate decodes (or is cut short, corrupt…).
    Undecodable {
        /// The file's name.
        name: String,
        /// What the decoder said.
        detail: String,
    },
    /// The files hold no futures prices of the run's product.
    NoPrices {
        /// The futures root (`HO`).
        futures_root: String,
        /// The price source asked for.
        price_source: String,
        /// The schema that holds those prices.
        schema: &'static str,
        /// The futures parent symbol (`HO.FUT`).
        parent: String,
    },
}

impl fmt::Display for ExportsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoFiles => f.write_str("no files: give the files exported from Databento"),
            Self::Undecodable { name, detail } => write!(
                f,
                "{name} could not be read ({detail}); give files exported from Databento: DBN, JSON lines or CSV, plain or zstd-compressed (.zst), whole and unedited"
            ),
            Self::NoPrices { futures_root, price_source, schema, parent } => write!(
                f,
                "the files hold no {futures_root} futures prices ({price_source}): add the {schema} file of {parent} (statistics for settlements, ohlcv-1d for closes) with its definitions"
            ),
        }
    }
}

/// The market in `files` for `spec` ([`Provenance::Files`]).
pub fn market_from_files(spec: &RunSpec, files: &[ExportFile]) -> Result<MarketData, ExportsError> {
    if files.is_empty() {
        return Err(ExportsError::NoFiles);
    }
    // One body of every file's records: per instrument and date the best record wins
    // whichever file holds it (a final settlement over a preliminary one in an export that
    // ends the day it was published), as in a fetch, where each body serves only its dates.
    let mut all = Decoded::default();
    for file in files {
        let body = decode_any(&file.bytes)
            .map_err(|e| ExportsError::Undecodable { name: file.name.clone(), detail: e.to_string() })?;
        all.append(body);
    }
    let mut builder = MarketBuilder::new(spec.product.clone(), Provenance::Files);
    let mut ingest = Ingest::new();
    ingest.add_definitions(&all, &mut builder);
    for source in [PriceSource::Settlement, PriceSource::Close] {
        ingest.add_prices(&all, &mut builder, source, None);
    }
    let market = builder.build();
    if market.calendar().span().is_none() {
        return Err(ExportsError::NoPrices {
            futures_root: spec.product.futures_root.to_string(),
            price_source: spec.price_source.to_string(),
            schema: crate::plan::price_schema(spec.price_source).as_str(),
            parent: spec.product.futures_parent().to_string(),
        });
    }
    Ok(market)
}
