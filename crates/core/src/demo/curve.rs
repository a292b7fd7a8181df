//! The simulated futures curve and its volatility level: three factors stepped once per
//! session — a slow long-term log price level, a fast mean-reverting spot deviation and a
//! log ATM-volatility deviation — and the HO price of each contract month read from them,
//! with winter months richer.

use chrono::{Datelike, NaiveDate, Weekday};

use super::rng::{date_key, Rng};
use crate::contract::ContractMonth;

/// Long-run mean of the futures price, USD/gal.
const MEAN_PRICE: f64 = 2.6;
/// Mean reversion of the long-term level, per year.
const LEVEL_REVERSION: f64 = 0.6;
/// Volatility of the long-term level, per √year.
const LEVEL_VOL: f64 = 0.15;
/// Mean reversion of the spot deviation, per year (a half-life of about 2.5 months).
const SPOT_REVERSION: f64 = 3.0;
/// Volatility of the spot deviation, per √year (front-month vol ≈ √(0.15² + 0.28²) ≈ 32%).
const SPOT_VOL: f64 = 0.28;
/// Winter premium: ± this fraction of the price, highest for January–February contracts.
const SEASONAL_AMPLITUDE: f64 = 0.03;
/// Mean short-dated ATM implied vol (annualised).
const ATM_VOL_MEAN: f64 = 0.32;
/// Bounds of the short-dated ATM implied vol.
const ATM_VOL_RANGE: (f64, f64) = (0.2, 0.55);
/// Mean reversion of the log ATM vol deviation, per year.
const VOL_REVERSION: f64 = 4.0;
/// Volatility of the log ATM vol deviation, per √year.
const VOL_OF_VOL: f64 = 0.5;
/// ATM vol that long-dated options tend to (annualised).
const LONG_DATED_VOL: f64 = 0.28;
/// How fast ATM vol moves from the short-dated to the long-dated level, in years.
const VOL_TERM_YEARS: f64 = 0.5;
/// Sessions per year the factors are stepped in.
const SESSIONS_PER_YEAR: f64 = 252.0;
/// Key tag of the factor shocks.
const SHOCK_TAG: u64 = 1;

/// The factors after one session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct State {
    /// Long-term log price level.
    level: f64,
    /// Spot deviation from the level, in log price.
    spot: f64,
    /// Log deviation of the short-dated ATM vol from its mean.
    vol: f64,
}

impl State {
    /// The HO price of contract `month` with `tau` years to its last trade, USD/gal: the
    /// expected spot at expiry under the factors' mean reversion, plus the season.
    pub(super) fn futures_price(&self, month: ContractMonth, tau: f64) -> f64 {
        let tau = tau.max(0.0);
        let mean = MEAN_PRICE.ln();
        let log_price = mean
            + (self.level - mean) * (-LEVEL_REVERSION * tau).exp()
            + self.spot * (-SPOT_REVERSION * tau).exp()
            + seasonal(month);
        log_price.exp()
    }

    /// ATM implied vol of an option with `tau` years to expiry (annualised).
    pub(super) fn atm_vol(&self, tau: f64) -> f64 {
        let (low, high) = ATM_VOL_RANGE;
        let short = (ATM_VOL_MEAN * self.vol.exp()).clamp(low, high);
        LONG_DATED_VOL + (short - LONG_DATED_VOL) * (-tau.max(0.0) / VOL_TERM_YEARS).exp()
    }

    /// The state one session later, after `weight` sessions' worth of time.
    fn step(self, weight: f64, rng: &mut Rng) -> Self {
        let dt = weight / SESSIONS_PER_YEAR;
        let root = dt.sqrt();
        let mean = MEAN_PRICE.ln();
        Self {
            level: self.level + LEVEL_REVERSION * (mean - self.level) * dt + LEVEL_VOL * root * rng.normal(),
            spot: self.spot - SPOT_REVERSION * self.spot * dt + SPOT_VOL * root * rng.normal(),
            vol: self.vol - VOL_REVERSION * self.vol * dt + VOL_OF_VOL * root * rng.normal(),
        }
    }
}

/// Log premium of contract `month` for the season (winter months positive).
fn seasonal(month: ContractMonth) -> f64 {
    let phase = std::f64::consts::TAU * (f64::from(month.month()) - 1.5) / 12.0;
    SEASONAL_AMPLITUDE * phase.cos()
}

/// How much of a trading day's variance a session carries: the Sunday evening session a
/// quarter, the Monday after it the rest.
fn session_weight(date: NaiveDate, previous: Option<NaiveDate>) -> f64 {
    match date.weekday() {
        Weekday::Sun => 0.25,
        Weekday::Mon if previous.is_some_and(|p| p.weekday() == Weekday::Sun) => 0.75,
        _ => 1.0,
    }
}

/// The factor path over `sessions` (in order), starting at the long-run means; each
/// session's shocks come from `seed` and its date alone.
pub(super) fn simulate(sessions: &[NaiveDate], seed: u64) -> Vec<State> {
    let mut state = State { level: MEAN_PRICE.ln(), spot: 0.0, vol: 0.0 };
    let mut previous = None;
    sessions
        .iter()
        .map(|&date| {
            let mut rng = Rng::keyed(seed, &[SHOCK_TAG, date_key(date)]);
            state = state.step(session_weight(date, previous), &mut rng);
            previous = Some(date);
            state
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winter_contracts_are_richer_and_vol_has_a_term_structure() {
        let state = State { level: MEAN_PRICE.ln(), spot: 0.0, vol: 0.0 };
        let month = |m| ContractMonth::new(2025, m).unwrap();
        assert!(state.futures_price(month(1), 0.5) > state.futures_price(month(7), 0.5));
        assert!((state.atm_vol(0.0) - ATM_VOL_MEAN).abs() < 1e-12);
        assert!(state.atm_vol(0.25) < state.atm_vol(0.0));
        let high = State { vol: 5.0, ..state };
        assert!((high.atm_vol(0.0) - ATM_VOL_RANGE.1).abs() < 1e-12);
    }

    #[test]
    fn the_front_month_stays_in_a_plausible_range() {
        let start = NaiveDate::from_ymd_opt(2000, 1, 3).unwrap();
        let sessions: Vec<_> = start.iter_days().take(365 * 25).collect();
        for seed in 0..4 {
            let path = simulate(&sessions, seed);
            let month = ContractMonth::new(2025, 3).unwrap();
            let prices: Vec<f64> = path.iter().map(|s| s.futures_price(month, 0.1)).collect();
            let (lo, hi) = prices.iter().fold((f64::MAX, f64::MIN), |(a, b), &p| (a.min(p), b.max(p)));
            assert!(lo > 1.0 && hi < 6.0, "seed {seed}: {lo}..{hi}");
        }
    }
}
