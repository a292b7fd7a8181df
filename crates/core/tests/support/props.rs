//! Strategies of the pricing property tests: realistic options on futures.

use deltaroll_core::contract::OptionKind;
use deltaroll_core::pricing::{Black76Inputs, IvQuery};
use proptest::prelude::*;

/// One hour, in years.
pub const HOUR: f64 = 1.0 / 8760.0;

/// Calls and puts.
pub fn kind() -> impl Strategy<Value = OptionKind> {
    prop_oneof![Just(OptionKind::Call), Just(OptionKind::Put)]
}

/// (F, m, T, σ, r, kind) → inputs with K = F·e^{m·σ√T}: forward 0.5..200, m in ±6,
/// expiry 1 hour .. 3 years (log-uniform), vol 3 %..200 %, rate −1 % .. `max_rate`.
pub fn realistic(max_rate: f64) -> impl Strategy<Value = Black76Inputs> {
    (0.5f64..200.0, -6.0f64..6.0, HOUR.ln()..3.0f64.ln(), 0.03f64..2.0, -0.01f64..max_rate, kind()).prop_map(
        |(forward, m, ln_t, vol, rate, kind)| {
            let time = ln_t.exp();
            Black76Inputs { forward, strike: forward * (m * vol * time.sqrt()).exp(), time, vol, rate, kind }
        },
    )
}

/// The implied-vol question of `price` for the option `i`.
pub fn query(i: &Black76Inputs, price: f64) -> IvQuery {
    IvQuery { forward: i.forward, strike: i.strike, time: i.time, rate: i.rate, kind: i.kind, price }
}
