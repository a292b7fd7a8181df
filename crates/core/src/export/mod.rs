//! Exports of a [`Report`](crate::report::Report): the client's wide CSV, a tidy CSV, the
//! P&L CSV and a JSON manifest, each written to any `io::Write` so the web app and the CLI emit the same
//! bytes.

mod manifest;
mod manifest_chain;
mod manifest_pnl;
mod number;
mod pnl;
mod tidy;
mod wide;

pub use manifest::{model_note, write_manifest, write_manifest_with, Manifest, BAW_MODEL_NOTE, MODEL_NOTE};
pub use manifest_chain::{ManifestCandidate, ManifestOptions};
pub use manifest_pnl::{ManifestLeg, ManifestPnl, ManifestRollPnl, ManifestYear};
pub use number::decimal;
pub use pnl::{write_pnl, USD_PLACES};
pub use tidy::write_tidy;
pub use wide::{DateStyle, OptionUnit, WideFormat, WideRow, WideTable};

use std::io;

use crate::parse::named;

/// Which export, for front ends that offer them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// The client's wide CSV (one column per option).
    #[default]
    Wide,
    /// One row per held option per day.
    Tidy,
    /// Daily P&L per leg, total and cumulative, USD.
    Pnl,
    /// Spec, data hash, rolls and warnings as JSON.
    Json,
}

named! {
    ExportFormat, "an export format", from_str;
    Wide => "wide", "Wide CSV (client format)";
    Tidy => "tidy", "Tidy CSV";
    Pnl => "pnl", "P&L CSV";
    Json => "json", "JSON manifest";
}

impl ExportFormat {
    /// A file name that says which strategy it holds: product (futures root), the position,
    /// dates and format, e.g. `deltaroll-HO-call-0.15-2021-01-01_2025-12-31-wide.csv`. One long
    /// leg reads `call-0.15`; legs given read `short-call-0.15+short-put-0.15` (a quantity
    /// other than 1 as `2x`), or `4-legs` beyond three.
    pub fn file_name(self, report: &crate::report::Report) -> String {
        let ext = if self == Self::Json { "json" } else { "csv" };
        let spec = &report.spec;
        format!(
            "deltaroll-{}-{}-{}_{}-{}.{ext}",
            spec.product.futures_root,
            position_name(spec),
            spec.start,
            spec.end,
            self.as_str()
        )
    }

    /// Write `report` in this format with the default options (the client's wide CSV).
    pub fn write(self, report: &crate::report::Report, out: &mut impl io::Write) -> io::Result<()> {
        self.write_with(report, &WideFormat::default(), out)
    }

    /// Write `report` in this format, the wide CSV with `wide`'s dates and unit.
    pub fn write_with(
        self,
        report: &crate::report::Report,
        wide: &WideFormat,
        out: &mut impl io::Write,
    ) -> io::Result<()> {
        self.write_full(report, wide, ManifestOptions::default(), out)
    }

    /// Write `report` in this format, the wide CSV with `wide`'s dates and unit, the
    /// manifest with what `manifest` adds.
    pub fn write_full(
        self,
        report: &crate::report::Report,
        wide: &WideFormat,
        manifest: ManifestOptions,
        out: &mut impl io::Write,
    ) -> io::Result<()> {
        match self {
            Self::Wide => WideTable::from_report(report, wide).write(out),
            Self::Tidy => write_tidy(report, out),
            Self::Pnl => write_pnl(report, out),
            Self::Json => write_manifest_with(report, manifest, out),
        }
    }
}

/// Write one CSV line: fields joined by commas, lines separated by `\n` (no quoting is
/// needed: no field holds a comma, quote or newline).
fn write_line(out: &mut impl io::Write, first: bool, fields: &[String]) -> io::Result<()> {
    if !first {
        out.write_all(b"\n")?;
    }
    out.write_all(fields.join(",").as_bytes())
}

/// The position part of an export's file name (see [`ExportFormat::file_name`]).
fn position_name(spec: &crate::spec::RunSpec) -> String {
    let legs = spec.legs();
    match legs.as_slice() {
        [leg] if spec.legs.is_empty() => format!("{}-{}", leg.kind.as_str(), leg.target_delta),
        _ if legs.len() > 3 => format!("{}-legs", legs.len()),
        _ => legs
            .iter()
            .map(|leg| {
                let quantity = if leg.quantity == 1 { String::new() } else { format!("{}x-", leg.quantity) };
                format!("{}-{quantity}{}-{}", leg.side.as_str(), leg.kind.as_str(), leg.target_delta)
            })
            .collect::<Vec<_>>()
            .join("+"),
    }
}
