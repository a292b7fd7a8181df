//! Option chains: strikes listed on a fine grid near the money and a wide one further out
//! (OH: every cent and every nickel; each product's in [`super::profile`]), extended as the
//! future moves, and settlement values from Black-76 on a volatility smile.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use implied_vol::{DefaultSpecialFn, SpecialFn};

/// Smile curvature per squared unit of log-moneyness over √T.
const CONVEXITY: f64 = 0.1;
/// Bound the normalised log-moneyness of the smile tends to in the wings (smoothly, so
/// that prices stay convex in the strike); at most 1/√[`CONVEXITY`], so that call deltas
/// keep falling as strikes rise.
const SMILE_LIMIT: f64 = 3.0;
/// Shortest time, in years, the smile normalises moneyness by (one week).
const SMILE_MIN_YEARS: f64 = 7.0 / 365.0;

/// A strike in hundredths of the price unit and the session it is listed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Strike {
    /// Strike, hundredths of the price unit (240 = 2.40 USD/gal for OH).
    pub(super) cents: u32,
    /// First session the strike is listed.
    pub(super) listed: NaiveDate,
}

/// A product's strike listing: the fine and wide grid steps, in hundredths of the price
/// unit, and the half-widths of their bands as fractions of the future.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Grid {
    pub(super) steps: (u32, u32),
    pub(super) bands: (f64, f64),
}

/// The strikes of one option month, by strike: every wide step within the wide band
/// around the first settlement, and from `fine_from` on every fine step within the fine
/// band; both bands widen whenever a later settlement moves them past the strikes listed
/// so far (strikes are never delisted). `settlements` are (date, price), in date order.
pub(super) fn list_strikes(settlements: &[(NaiveDate, f64)], fine_from: NaiveDate, grid: Grid) -> Vec<Strike> {
    let mut listed = BTreeMap::new();
    let mut wide = Band::new(grid.bands.1, grid.steps.1);
    let mut fine = Band::new(grid.bands.0, grid.steps.0);
    for &(date, future) in settlements {
        let fine_cents = (date >= fine_from).then(|| fine.extend(future));
        for cents in wide.extend(future).into_iter().chain(fine_cents.into_iter().flatten()) {
            listed.entry(cents).or_insert(date);
        }
    }
    listed.into_iter().map(|(cents, listed)| Strike { cents, listed }).collect()
}

/// A band of strikes on a grid, growing with the future.
struct Band {
    /// Half-width as a fraction of the futures price.
    width: f64,
    /// Grid spacing, cents.
    step: u32,
    /// Lowest and highest strike listed so far, cents.
    listed: Option<(u32, u32)>,
}

impl Band {
    fn new(width: f64, step: u32) -> Self {
        Self { width, step, listed: None }
    }

    /// Widens the band to cover `future` (price units) and returns the strikes it adds.
    fn extend(&mut self, future: f64) -> Vec<u32> {
        // Grid points, with a little slack so that float noise never adds an extra strike.
        let grid = f64::from(self.step);
        let points = |fraction: f64| future * fraction * 100.0 / grid;
        let low = ((points(1.0 - self.width) + 1e-9).floor().max(1.0) * grid) as u32;
        let high = ((points(1.0 + self.width) - 1e-9).ceil() * grid) as u32;
        let step = self.step as usize;
        let added: Vec<u32> = match self.listed {
            None => (low..=high).step_by(step).collect(),
            Some((a, b)) => (low..a).step_by(step).chain((b.saturating_add(self.step)..=high).step_by(step)).collect(),
        };
        self.listed = Some(self.listed.map_or((low, high), |(a, b)| (a.min(low), b.max(high))));
        added
    }
}

/// The time to an option's expiry and the terms of [`smile_vol`] and [`black76`] that
/// depend on it alone, worked out once for every strike of a chain on a session.
#[derive(Debug, Clone, Copy)]
pub(super) struct TimeLeft {
    /// √T, no less than [`SMILE_MIN_YEARS`], that the smile scales log-moneyness by.
    smile_root: f64,
    /// √T, zero once expired.
    root: f64,
    /// e^(−rT), one once expired.
    discount: f64,
}

impl TimeLeft {
    /// `years` to expiry (negative once expired), discounting at the continuously
    /// compounded `rate`.
    pub(super) fn new(years: f64, rate: f64) -> Self {
        Self {
            smile_root: years.max(SMILE_MIN_YEARS).sqrt(),
            root: years.max(0.0).sqrt(),
            discount: (-rate * years.max(0.0)).exp(),
        }
    }
}

/// Implied vol at log-moneyness `ln(strike / future)` with `time` left: the ATM vol scaled
/// by `skew` (positive: OTM calls richer) and convexity in log-moneyness over √T,
/// flattening in the far wings (annualised).
pub(super) fn smile_vol(atm: f64, skew: f64, log_moneyness: f64, time: TimeLeft) -> f64 {
    let moneyness = log_moneyness / time.smile_root;
    let x = moneyness / (1.0 + (moneyness / SMILE_LIMIT).powi(2)).sqrt();
    atm * (1.0 + skew * x + CONVEXITY * x * x)
}

/// Black-76 call and put values in the price unit for futures price `future`, `strike`,
/// volatility `vol` and `time` left; discounted intrinsic value when no time or vol is
/// left.
pub(super) fn black76(future: f64, strike: f64, vol: f64, time: TimeLeft) -> (f64, f64) {
    let discount = time.discount;
    let spread = vol * time.root;
    if spread <= 0.0 {
        return (discount * (future - strike).max(0.0), discount * (strike - future).max(0.0));
    }
    let d1 = ((future / strike).ln() + 0.5 * spread * spread) / spread;
    let d2 = d1 - spread;
    let n = DefaultSpecialFn::norm_cdf;
    let call = discount * (future * n(d1) - strike * n(d2));
    // Put–call parity: exact to ~1e-16 USD/gal, far below the tick.
    (call, (call - discount * (future - strike)).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The skews of the products' profiles, and beyond.
    const SKEWS: [f64; 4] = [-0.15, -0.1, 0.08, 0.15];

    fn day(n: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(n)
    }

    #[test]
    fn strikes_start_around_the_money_and_extend_with_the_future() {
        let settlements = [(day(0), 2.0), (day(1), 2.0), (day(2), 2.1), (day(3), 1.9)];
        let strikes = list_strikes(&settlements, day(1), Grid { steps: (1, 5), bands: (0.2, 0.5) });
        let cents: Vec<u32> = strikes.iter().map(|s| s.cents).collect();
        let listed = |c| strikes.iter().find(|s| s.cents == c).map(|s| s.listed);
        // Day 0: every nickel in 1.00..=3.00; day 1: every cent in 1.60..=2.40.
        assert_eq!(cents.first(), Some(&95));
        assert_eq!(cents.last(), Some(&315));
        assert_eq!(listed(100), Some(day(0)));
        assert_eq!(listed(200), Some(day(0)));
        assert_eq!(listed(300), Some(day(0)));
        assert!((160..=240).filter(|c| c % 5 != 0).all(|c| listed(c) == Some(day(1))));
        assert_eq!(listed(101), None);
        // Day 2 (2.10): cents up to 2.52, nickels up to 3.15; day 3 (1.90): down to 1.52 / 0.95.
        assert_eq!(listed(252), Some(day(2)));
        assert_eq!(listed(253), None);
        assert_eq!(listed(315), Some(day(2)));
        assert_eq!(listed(152), Some(day(3)));
        assert_eq!(listed(151), None);
        assert_eq!(listed(95), Some(day(3)));
        assert!(cents.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn black76_obeys_parity_and_limits() {
        let (f, k, t, v, r) = (2.5, 2.7, 0.25, 0.35, 0.04);
        let (call, put) = black76(f, k, v, TimeLeft::new(t, r));
        let parity = (-r * t).exp() * (f - k);
        assert!((call - put - parity).abs() < 1e-12);
        // ATM call ≈ 0.4·F·σ√T·e^{−rT}.
        let (atm, _) = black76(f, f, v, TimeLeft::new(t, r));
        assert!((atm - 0.3989 * f * v * t.sqrt() * (-r * t).exp()).abs() < 1e-3);
        assert_eq!(black76(f, k, v, TimeLeft::new(0.0, r)), (0.0, k - f));
        let (deep, _) = black76(f, 2.0 * f, 0.3, TimeLeft::new(0.02, r));
        assert!((0.0..1e-12).contains(&deep));
    }

    #[test]
    fn smile_prices_fall_and_are_convex_in_the_strike() {
        for (years, skew) in [1.0 / 365.0, 0.005, 0.02, 0.1, 0.2, 0.33].into_iter().flat_map(|y| SKEWS.map(|s| (y, s)))
        {
            for atm in [0.2, 0.32, 0.55, 0.9] {
                let future = 2.5;
                let calls: Vec<f64> = (125..=375)
                    .map(|cents| {
                        let strike = f64::from(cents) / 100.0;
                        let time = TimeLeft::new(years, 0.04);
                        let vol = smile_vol(atm, skew, (strike / future).ln(), time);
                        black76(future, strike, vol, time).0
                    })
                    .collect();
                for w in calls.windows(3) {
                    assert!(w[1] <= w[0] + 1e-12, "falling at T={years}, atm={atm}, skew={skew}");
                    assert!(w[0] - 2.0 * w[1] + w[2] >= -1e-12, "convex at T={years}, atm={atm}, skew={skew}");
                }
            }
        }
    }

    #[test]
    fn the_skew_makes_otm_calls_or_puts_richer() {
        let (atm, time) = (0.3, TimeLeft::new(0.2, 0.04));
        let vol = |skew, future: f64, strike: f64| smile_vol(atm, skew, (strike / future).ln(), time);
        assert!((vol(0.08, 2.5, 2.5) - atm).abs() < 1e-12);
        assert!(vol(0.08, 2.5, 3.0) > atm);
        assert!(vol(0.08, 2.5, 3.0) > vol(0.08, 2.5, 2.5 * 2.5 / 3.0));
        assert!(vol(-0.12, 70.0, 70.0 * 70.0 / 84.0) > vol(-0.12, 70.0, 84.0), "put skew");
    }
}
