//! Reproducible randomness with no clock and no OS entropy: SplitMix64 streams keyed by the
//! seed and by what is drawn (a session date, a contract), so each draw is fixed on its own
//! and does not depend on which other contracts exist or in what order they are built.

use chrono::{Datelike, NaiveDate};

/// SplitMix64's increment (the golden ratio in 64-bit fixed point).
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's finaliser: a bijective 64-bit mix.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A key part for a date (days since 0001-01-01, any sign).
pub(super) fn date_key(date: NaiveDate) -> u64 {
    i64::from(date.num_days_from_ce()) as u64
}

/// A SplitMix64 stream.
pub(super) struct Rng(u64);

impl Rng {
    /// The stream for `seed` and `key`, the parts naming what is drawn.
    pub(super) fn keyed(seed: u64, key: &[u64]) -> Self {
        Self(key.iter().fold(mix(seed), |h, &part| mix(h ^ part.wrapping_add(GOLDEN))))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    pub(super) fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller, cosine branch).
    pub(super) fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform();
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Uniform integer in `0..n` (`n` > 0; slight modulo bias is irrelevant here).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_streams_are_reproducible_and_distinct() {
        let draw = |seed, key: &[u64]| Rng::keyed(seed, key).next_u64();
        assert_eq!(draw(7, &[1, 2]), draw(7, &[1, 2]));
        assert_ne!(draw(7, &[1, 2]), draw(8, &[1, 2]));
        assert_ne!(draw(7, &[1, 2]), draw(7, &[2, 1]));
    }

    #[test]
    fn normals_have_unit_moments() {
        let mut rng = Rng::keyed(1, &[]);
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.03, "{mean}");
        assert!((var - 1.0).abs() < 0.05, "{var}");
        assert!(xs.iter().all(|x| x.is_finite()));
    }
}
