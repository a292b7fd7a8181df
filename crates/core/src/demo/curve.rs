//! The simulated futures curve and its volatility level: three factors stepped once per
//! session — a slow long-term log price level, a fast mean-reverting spot deviation and a
//! log ATM-volatility deviation — and the price of each contract month read from them, with
//! the product's seasons ([`Profile`]: levels, vols and seasons differ by product).

use chrono::{Datelike, NaiveDate, Weekday};

use super::profile::Profile;
use super::rng::{date_key, Rng};
use crate::contract::ContractMonth;

/// Mean reversion of the long-term level, per year.
const LEVEL_REVERSION: f64 = 0.6;
/// Mean reversion of the spot deviation, per year (a half-life of about 2.5 months).
const SPOT_REVERSION: f64 = 3.0;
/// Mean reversion of the log ATM vol deviation, per year.
const VOL_REVERSION: f64 = 4.0;
/// Volatility of the log ATM vol deviation, per √year.
const VOL_OF_VOL: f64 = 0.5;
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
    /// The `profile` product's price of contract `month` with `tau` years to its last
    /// trade, in its price unit: the expected spot at expiry under the factors' mean
    /// reversion, plus the season.
    pub(super) fn futures_price(&self, profile: &Profile, month: ContractMonth, tau: f64) -> f64 {
        let tau = tau.max(0.0);
        let mean = profile.mean_price.ln();
        let log_price = mean
            + (self.level - mean) * (-LEVEL_REVERSION * tau).exp()
            + self.spot * (-SPOT_REVERSION * tau).exp()
            + profile.price_season(month.month());
        log_price.exp()
    }

    /// ATM implied vol of a `month` option with `tau` years to expiry (annualised).
    pub(super) fn atm_vol(&self, profile: &Profile, month: ContractMonth, tau: f64) -> f64 {
        let (low, high) = profile.atm_vol_range;
        let short = (profile.atm_vol_mean * self.vol.exp()).clamp(low, high);
        let long = profile.long_dated_vol;
        (long + (short - long) * (-tau.max(0.0) / VOL_TERM_YEARS).exp()) * profile.vol_season(month.month())
    }

    /// The state one session later, after `weight` sessions' worth of time.
    fn step(self, profile: &Profile, weight: f64, rng: &mut Rng) -> Self {
        let dt = weight / SESSIONS_PER_YEAR;
        let root = dt.sqrt();
        let mean = profile.mean_price.ln();
        Self {
            level: self.level + LEVEL_REVERSION * (mean - self.level) * dt + profile.level_vol * root * rng.normal(),
            spot: self.spot - SPOT_REVERSION * self.spot * dt + profile.spot_vol * root * rng.normal(),
            vol: self.vol - VOL_REVERSION * self.vol * dt + VOL_OF_VOL * root * rng.normal(),
        }
    }
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

/// The `profile` product's factor path over `sessions` (in order), starting at the
/// long-run means; each session's shocks come from `seed` and its date alone.
pub(super) fn simulate(sessions: &[NaiveDate], seed: u64, profile: &Profile) -> Vec<State> {
    let mut state = State { level: profile.mean_price.ln(), spot: 0.0, vol: 0.0 };
    let mut previous = None;
    sessions
        .iter()
        .map(|&date| {
            let mut rng = Rng::keyed(seed, &[SHOCK_TAG, date_key(date)]);
            state = state.step(profile, session_weight(date, previous), &mut rng);
            previous = Some(date);
            state
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heating_oil() -> &'static Profile {
        Profile::heating_oil()
    }

    #[test]
    fn winter_contracts_are_richer_and_vol_has_a_term_structure() {
        let ho = heating_oil();
        let state = State { level: ho.mean_price.ln(), spot: 0.0, vol: 0.0 };
        let month = |m| ContractMonth::new(2025, m).unwrap();
        assert!(state.futures_price(ho, month(1), 0.5) > state.futures_price(ho, month(7), 0.5));
        assert!((state.atm_vol(ho, month(1), 0.0) - ho.atm_vol_mean).abs() < 1e-12);
        assert!(state.atm_vol(ho, month(1), 0.25) < state.atm_vol(ho, month(1), 0.0));
        let high = State { vol: 5.0, ..state };
        assert!((high.atm_vol(ho, month(1), 0.0) - ho.atm_vol_range.1).abs() < 1e-12);
    }

    /// Every product's front month stays within a factor of about 2.5 of its mean level over
    /// 25 years, for a few seeds.
    #[test]
    fn the_front_month_stays_in_a_plausible_range() {
        let start = NaiveDate::from_ymd_opt(2000, 1, 3).unwrap();
        let sessions: Vec<_> = start.iter_days().take(365 * 25).collect();
        for code in Profile::codes() {
            let profile = Profile::of(&crate::product::ProductSpec::preset(code).unwrap()).unwrap();
            let mean = profile.mean_price;
            for seed in 0..4 {
                let path = simulate(&sessions, profile.seed(seed), profile);
                let month = ContractMonth::new(2025, 3).unwrap();
                let prices: Vec<f64> = path.iter().map(|s| s.futures_price(profile, month, 0.1)).collect();
                let (lo, hi) = prices.iter().fold((f64::MAX, f64::MIN), |(a, b), &p| (a.min(p), b.max(p)));
                let bound = if profile.spot_vol > 0.4 { 3.5 } else { 2.5 };
                assert!(lo > mean / bound && hi < mean * bound, "{code}, seed {seed}: {lo}..{hi}");
            }
        }
    }
}
