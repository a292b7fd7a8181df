//! What the demo simulates for each product: its price level and seasons, its volatility
//! level, seasons and smile, its tick, strike grid and listing horizon. Levels are
//! invented but typical of 2015–2025 (SIMULATED, never real prices):
//!
//! - HO: ULSD around 1.8–3.5 USD/gal, about 32% vol, winter contracts a little richer, a
//!   mild call skew (distillate squeezes). Its numbers are the original demo's, unchanged.
//! - CL: WTI around 45–90 USD/bbl, about 35% vol with a put skew (crashes are the risk),
//!   no seasons. Strikes every $0.50 near the money and $2.50 further out, as CME lists LO
//!   ("One hundred strike prices in increments of $0.50 ... additional twenty strike
//!   prices in increments of $2.50", CME LO contract specs).
//! - NG: Henry Hub around 2–6 USD/MMBtu, about 55% vol, higher in winter contracts (both
//!   price and vol), with a call skew (cold snaps), wider strike bands; strikes every $0.05
//!   near the money and $0.25 further out ("Twenty strike prices in increments of $0.05
//!   ... the next 10 strike prices in increments of $0.25", CME ON contract specs).
//! - RB: RBOB around 1.7–3.2 USD/gal, about 35% vol, summer-grade contracts (April to
//!   September delivery) richer, a mild call skew; strikes as OH's (1¢ and 5¢).
//! - BZ: Brent about 3 USD/bbl over WTI with WTI's vol and put skew, strikes as LO's (CME
//!   gives no OSX interval on its spec page).
//!
//! Futures are listed 36 months before their contract month for HO and RB (about their
//! "current year + 3 years" listing) and 72 for CL, NG and BZ (they list 7 to 12 years out;
//! the demo caps that at six); every month is listed for every product. Options are listed
//! [`super::DEMO_MAX_MONTHS_AHEAD`] months ahead for every product, to keep the market small.

use crate::product::ProductSpec;

/// One product's simulation parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Profile {
    /// The preset code (`HO`).
    pub(super) code: &'static str,
    /// Salt of the random streams (0 for HO), so products do not move in lockstep.
    pub(super) stream: u64,
    /// Price ticks per price unit (HO: 10,000 for a 0.0001 tick).
    pub(super) ticks_per_unit: f64,
    /// Long-run mean of the futures price, price units.
    pub(super) mean_price: f64,
    /// Volatility of the long-term level, per √year.
    pub(super) level_vol: f64,
    /// Volatility of the spot deviation, per √year.
    pub(super) spot_vol: f64,
    /// Seasonal log premium of contract months: amplitude and peak month (1.5: between
    /// January and February contracts).
    pub(super) price_season: (f64, f64),
    /// Mean short-dated ATM implied vol.
    pub(super) atm_vol_mean: f64,
    /// Bounds of the short-dated ATM implied vol.
    pub(super) atm_vol_range: (f64, f64),
    /// ATM vol that long-dated options tend to.
    pub(super) long_dated_vol: f64,
    /// Seasonal factor of a contract month's ATM vol: amplitude (relative) and peak month.
    pub(super) vol_season: (f64, f64),
    /// Smile slope per unit of normalised log-moneyness (positive: OTM calls richer).
    pub(super) skew: f64,
    /// Strike grid near the money and further out, in hundredths of the price unit.
    pub(super) strike_steps: (u32, u32),
    /// Half-widths of the fine and wide strike bands, as fractions of the future.
    pub(super) strike_bands: (f64, f64),
    /// A future is listed this many months before its contract month.
    pub(super) futures_listing_months: i32,
}

/// Every product the demo simulates, HO first.
#[rustfmt::skip]
static PROFILES: &[Profile] = &[
    Profile { code: "HO", stream: 0, ticks_per_unit: 10_000.0, mean_price: 2.6, level_vol: 0.15, spot_vol: 0.28,
        price_season: (0.03, 1.5), atm_vol_mean: 0.32, atm_vol_range: (0.2, 0.55), long_dated_vol: 0.28,
        vol_season: (0.0, 1.0), skew: 0.08, strike_steps: (1, 5), strike_bands: (0.2, 0.5),
        futures_listing_months: 36 },
    Profile { code: "CL", stream: 1, ticks_per_unit: 100.0, mean_price: 65.0, level_vol: 0.17, spot_vol: 0.30,
        price_season: (0.0, 1.0), atm_vol_mean: 0.35, atm_vol_range: (0.22, 0.7), long_dated_vol: 0.3,
        vol_season: (0.0, 1.0), skew: -0.12, strike_steps: (50, 250), strike_bands: (0.2, 0.5),
        futures_listing_months: 72 },
    Profile { code: "NG", stream: 2, ticks_per_unit: 1_000.0, mean_price: 3.4, level_vol: 0.25, spot_vol: 0.5,
        price_season: (0.08, 1.0), atm_vol_mean: 0.55, atm_vol_range: (0.35, 1.1), long_dated_vol: 0.42,
        vol_season: (0.15, 1.0), skew: 0.12, strike_steps: (5, 25), strike_bands: (0.3, 0.8),
        futures_listing_months: 72 },
    Profile { code: "RB", stream: 3, ticks_per_unit: 10_000.0, mean_price: 2.4, level_vol: 0.16, spot_vol: 0.3,
        price_season: (0.05, 6.5), atm_vol_mean: 0.35, atm_vol_range: (0.22, 0.65), long_dated_vol: 0.3,
        vol_season: (0.0, 1.0), skew: 0.05, strike_steps: (1, 5), strike_bands: (0.2, 0.5),
        futures_listing_months: 36 },
    Profile { code: "BZ", stream: 4, ticks_per_unit: 100.0, mean_price: 68.0, level_vol: 0.16, spot_vol: 0.28,
        price_season: (0.0, 1.0), atm_vol_mean: 0.33, atm_vol_range: (0.2, 0.65), long_dated_vol: 0.28,
        vol_season: (0.0, 1.0), skew: -0.1, strike_steps: (50, 250), strike_bands: (0.2, 0.5),
        futures_listing_months: 72 },
];

impl Profile {
    /// Heating oil's profile, the default demo's.
    pub(super) fn heating_oil() -> &'static Self {
        &PROFILES[0]
    }

    /// The profile of `product` when it is a preset with its own roots; `None` otherwise
    /// (custom roots would be mislabelled).
    pub(super) fn of(product: &ProductSpec) -> Option<&'static Self> {
        let preset = product.preset_of().filter(|p| p.spec() == *product)?;
        PROFILES.iter().find(|p| p.code == preset.code)
    }

    /// The codes of every product the demo simulates.
    pub(super) fn codes() -> impl Iterator<Item = &'static str> {
        PROFILES.iter().map(|p| p.code)
    }

    /// The seed of this product's random streams for the market seed `seed` (`seed` itself
    /// for HO).
    pub(super) fn seed(&self, seed: u64) -> u64 {
        seed ^ self.stream.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    /// The product this profile simulates.
    pub(super) fn product(&self) -> ProductSpec {
        ProductSpec::preset(self.code).unwrap_or_default()
    }

    /// Log premium of contract month `month` (1–12) for its season.
    pub(super) fn price_season(&self, month: u32) -> f64 {
        season(self.price_season, month)
    }

    /// Factor on the ATM vol of contract month `month` (1–12) for its season.
    pub(super) fn vol_season(&self, month: u32) -> f64 {
        1.0 + season(self.vol_season, month)
    }
}

/// `amplitude · cos(2π (month − peak) / 12)`.
fn season((amplitude, peak): (f64, f64), month: u32) -> f64 {
    let phase = std::f64::consts::TAU * (f64::from(month) - peak) / 12.0;
    amplitude * phase.cos()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::product::Preset;

    #[test]
    fn every_runnable_preset_has_a_profile_on_its_tick_and_strike_grid() {
        let codes: Vec<&str> = Profile::codes().collect();
        assert_eq!(codes, Preset::supported().map(|p| p.code).collect::<Vec<_>>());
        for profile in PROFILES {
            let preset = Preset::find(profile.code).unwrap();
            assert_eq!(Profile::of(&preset.spec()), Some(profile));
            assert!((profile.ticks_per_unit * preset.tick - 1.0).abs() < 1e-12, "{}", profile.code);
            let (fine, wide) = profile.strike_steps;
            assert_eq!(wide % fine, 0, "{}: the wide grid is on the fine one", profile.code);
            // Every strike is a whole number of strike-code units in the raw symbol.
            let units = f64::from(fine) / 100.0 * preset.strike_units_per_price;
            assert!((units - units.round()).abs() < 1e-9 && units >= 1.0, "{}", profile.code);
            let (low, high) = profile.atm_vol_range;
            assert!(low < profile.atm_vol_mean && profile.atm_vol_mean < high, "{}", profile.code);
        }
        let custom = ProductSpec::heating_oil().with_roots("QM", "QMO").unwrap();
        assert_eq!(Profile::of(&custom), None);
    }

    #[test]
    fn seasons_peak_where_the_product_does() {
        let by_code = |c| PROFILES.iter().find(|p| p.code == c).unwrap();
        let (ng, rb, cl) = (by_code("NG"), by_code("RB"), by_code("CL"));
        assert!(ng.price_season(1) > ng.price_season(7) && ng.vol_season(1) > ng.vol_season(7));
        assert!(rb.price_season(7) > rb.price_season(1));
        assert_eq!((cl.price_season(1), cl.vol_season(1)), (0.0, 1.0));
        assert!(by_code("CL").skew < 0.0 && by_code("BZ").skew < 0.0 && ng.skew > 0.0);
    }
}
