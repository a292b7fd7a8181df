//! How many decimals computed numbers (vols, deltas, years) keep in every export, so the
//! native CLI and the WASM app print the same digits.

/// Decimals kept for computed numbers.
pub const COMPUTED_PLACES: usize = 10;

/// `value` rounded to [`COMPUTED_PLACES`] decimals.
pub fn round_computed(value: f64) -> f64 {
    let scale = 10f64.powi(COMPUTED_PLACES as i32);
    (value * scale).round() / scale
}
