//! A roll's chain as the manifest states it (only when asked: it is large), numbers as
//! decimal strings like the rest of the manifest.

use serde::Serialize;

use super::decimal;
use crate::candidate::{Candidate, Skip};
use crate::precision::COMPUTED_PLACES;
use crate::quote::PriceBasis;

/// What the manifest holds beyond its default content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ManifestOptions {
    /// Each roll's chain on its roll day: every candidate strike (large).
    pub chains: bool,
}

/// One candidate of a roll's chain.
#[derive(Debug, Serialize)]
pub struct ManifestCandidate {
    /// The option.
    pub symbol: String,
    /// Strike, quote units.
    pub strike: String,
    /// Its price for the roll.
    pub price: Option<String>,
    /// The date of that price.
    pub price_date: Option<String>,
    /// `settlement`, `close` or `stale_close`.
    pub price_basis: Option<PriceBasis>,
    /// The vol its delta used.
    pub iv: Option<String>,
    /// Its delta.
    pub delta: Option<String>,
    /// `| |delta| − target |`.
    pub distance: Option<String>,
    /// Why it was not ranked (`no price`, `below intrinsic`, …).
    pub skipped: Option<Skip>,
    /// Whether the roll chose it.
    pub chosen: bool,
}

impl ManifestCandidate {
    /// The manifest form of `c`.
    pub fn new(c: &Candidate) -> Self {
        let num = |v: f64| decimal(v, COMPUTED_PLACES);
        Self {
            symbol: c.symbol.to_string(),
            strike: num(c.strike.value()),
            price: c.quote.map(|q| num(q.price.value())),
            price_date: c.quote.map(|q| q.date.to_string()),
            price_basis: c.quote.map(|q| q.basis),
            iv: c.iv.map(num),
            delta: c.delta.map(num),
            distance: c.distance.map(num),
            skipped: c.skipped,
            chosen: c.chosen,
        }
    }
}
