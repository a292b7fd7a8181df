//! The JSON manifest: what was asked, which data it read (hash), which model and
//! conventions computed it, the rolls, the P&L and the warnings — enough to audit or reproduce a run.

use std::io;

use serde::Serialize;

use super::decimal;
use super::manifest_chain::{ManifestCandidate, ManifestOptions};
use super::manifest_pnl::ManifestPnl;
use crate::precision::COMPUTED_PLACES;
use crate::pricing::Model;
use crate::quote::{PriceBasis, PricedCounts};
use crate::report::Report;
use crate::spec::RunSpec;
use crate::warnings::Warning;

/// The model statement of a Black-76 run.
pub const MODEL_NOTE: &str = "Black-76 (European) prices, implied vols and deltas. OH options are American-style: Black-76 ignores the early-exercise premium, a small approximation for out-of-the-money options on futures.";

/// The model statement of a Barone-Adesi–Whaley run.
pub const BAW_MODEL_NOTE: &str = "Barone-Adesi-Whaley (1987) prices, implied vols and deltas: American exercise, as OH options have, by the quadratic approximation of the early-exercise premium for options on futures (cost of carry 0) over the Black-76 value.";

/// The model statement of a run priced with `model`.
pub fn model_note(model: Model) -> &'static str {
    match model {
        Model::Black76 => MODEL_NOTE,
        Model::Baw => BAW_MODEL_NOTE,
    }
}

/// The manifest document.
#[derive(Debug, Serialize)]
pub struct Manifest<'a> {
    /// `deltaroll`.
    pub tool: &'static str,
    /// Crate version that wrote it.
    pub version: &'static str,
    /// Model and its caveat (the spec names the model by its code too).
    pub model: &'static str,
    /// Which delta is matched and reported.
    pub delta_convention: &'static str,
    /// Where the data came from (says SIMULATED for the demo market).
    pub data_source: &'static str,
    /// SHA-256 of the market data read.
    pub data_sha256: &'a str,
    /// The run spec.
    pub spec: &'a RunSpec,
    /// One entry per roll month and leg.
    pub rolls: Vec<ManifestRoll>,
    /// Output rows written.
    pub rows: usize,
    /// The P&L: legs, fee, summary figures, each held option's entry, exit and P&L.
    pub pnl: ManifestPnl,
    /// Data-quality warnings.
    pub warnings: &'a [Warning],
}

/// A roll as the manifest states it (numbers as decimal strings).
#[derive(Debug, Serialize)]
pub struct ManifestRoll {
    /// `YYYY-MM`.
    pub month: String,
    /// The leg that rolls, 1-based; stated only when the run has several (so one-leg
    /// manifests stay as they were).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leg: Option<usize>,
    /// Roll date, if any.
    pub date: Option<String>,
    /// Target future.
    pub target: String,
    /// Chosen option, if any.
    pub symbol: Option<String>,
    /// Strike, quote units.
    pub strike: Option<String>,
    /// Future price on the roll date.
    pub forward: Option<String>,
    /// Option price on the roll date.
    pub price: Option<String>,
    /// The date of that price (before the roll date for a stale close).
    pub price_date: Option<String>,
    /// How it was priced: `settlement`, `close` or `stale_close`.
    pub price_basis: Option<PriceBasis>,
    /// Vol used.
    pub iv: Option<String>,
    /// Delta.
    pub delta: Option<String>,
    /// Expiration.
    pub expiration: Option<String>,
    /// Whether delta is within the band.
    pub in_band: Option<bool>,
    /// Candidates on the target future.
    pub chain_size: Option<usize>,
    /// How the candidates were priced (settlement, close, stale close, none).
    pub candidates_priced: Option<PricedCounts>,
    /// The chain on the roll day, only under [`ManifestOptions::chains`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain: Option<Vec<ManifestCandidate>>,
}

impl<'a> Manifest<'a> {
    /// The manifest of `report`.
    pub fn new(report: &'a Report) -> Self {
        Self::with(report, ManifestOptions::default())
    }

    /// The manifest of `report` with what `options` add.
    pub fn with(report: &'a Report, options: ManifestOptions) -> Self {
        let num = |v: f64| decimal(v, COMPUTED_PLACES);
        let several_legs = report.pnl.legs.len() > 1;
        let rolls = report
            .rolls
            .iter()
            .map(|r| {
                let s = r.choice.as_ref();
                ManifestRoll {
                    month: r.month.to_string(),
                    leg: several_legs.then_some(r.leg + 1),
                    date: r.date.map(|d| d.to_string()),
                    target: r.target.to_string(),
                    symbol: s.map(|s| s.symbol.to_string()),
                    strike: s.map(|s| num(s.strike.value())),
                    forward: s.map(|s| num(s.forward.value())),
                    price: s.and_then(|s| s.price).map(|p| num(p.value())),
                    price_date: s.and_then(|s| s.quote).map(|q| q.date.to_string()),
                    price_basis: s.and_then(|s| s.quote).map(|q| q.basis),
                    iv: s.map(|s| num(s.iv)),
                    delta: s.map(|s| num(s.delta)),
                    expiration: s.map(|s| s.expiration.to_string()),
                    in_band: s.map(|s| s.in_band),
                    chain_size: s.map(|s| s.chain_size),
                    candidates_priced: s.map(|s| s.priced),
                    chain: options.chains.then(|| r.chain.iter().map(|c| ManifestCandidate::new(&c)).collect()),
                }
            })
            .collect();
        Self {
            tool: "deltaroll",
            version: env!("CARGO_PKG_VERSION"),
            model: model_note(report.spec.model),
            delta_convention: report.spec.delta_convention.as_str(),
            data_source: report.provenance.label(),
            data_sha256: &report.data_hash,
            spec: &report.spec,
            rolls,
            rows: report.rows.len(),
            pnl: ManifestPnl::new(report),
            warnings: &report.warnings,
        }
    }
}

/// Write the manifest of `report` as pretty JSON with a final newline.
pub fn write_manifest(report: &Report, out: &mut impl io::Write) -> io::Result<()> {
    write_manifest_with(report, ManifestOptions::default(), out)
}

/// Write the manifest of `report` with what `options` add, as pretty JSON with a final newline.
pub fn write_manifest_with(report: &Report, options: ManifestOptions, out: &mut impl io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Manifest::with(report, options))?;
    out.write_all(b"\n")
}
