//! Property tests of chain selection on random one-day chains priced by Black-76 with a
//! random smile: the choice is never beaten by another strike, and lies in the band
//! whenever some strike does.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use deltaroll_core::contract::{ContractMonth, FuturesSymbol, OptionKind, OptionSymbol, StrikeCode};
use deltaroll_core::market::{Instrument, MarketBuilder, Price, PriceSource, Provenance};
use deltaroll_core::pricing::{Black76, Black76Inputs, Black76Model};
use deltaroll_core::product::ProductSpec;
use deltaroll_core::select::{delta_at, select, year_fraction, RunContext};
use deltaroll_core::spec::RunSpec;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_choice_is_the_closest_delta(
        forward in 1.0f64..4.0,
        atm_vol in 0.1f64..0.9,
        skew in -0.5f64..0.5,
        target in 0.05f64..0.5,
        days in 20i64..120,
        put in any::<bool>(),
    ) {
        let date = NaiveDate::from_ymd_opt(2024, 3, 4).unwrap();
        let expiration = date + chrono::Duration::days(days);
        let product = ProductSpec::heating_oil();
        let kind = if put { OptionKind::Put } else { OptionKind::Call };
        let future = FuturesSymbol { root: product.futures_root, month: ContractMonth::new(2024, 8).unwrap() };
        let mut b = MarketBuilder::new(product.clone(), Provenance::SimulatedDemo);
        b.add_future_definition(future, expiration + chrono::Duration::days(3));
        b.add_price(Instrument::Future(future), date, PriceSource::Settlement, Price::new(forward).unwrap());
        for k in 1..=80 {
            let strike = (forward * (0.4 + 0.02 * k as f64) * 100.0).round() / 100.0;
            let vol = (atm_vol + skew * (strike / forward).ln()).max(0.05);
            let inputs = Black76Inputs { forward, strike, time: year_fraction(date, expiration), vol, rate: 0.04, kind };
            let price = Black76::new(inputs).unwrap().price();
            let symbol = OptionSymbol { root: product.options_root, month: future.month, kind, strike_code: StrikeCode::from_price(strike, 10_000.0) };
            b.add_option_definition(symbol, future, Price::new(strike).unwrap(), expiration);
            if price > 1e-6 {
                b.add_price(Instrument::Option(symbol), date, PriceSource::Settlement, Price::new(price).unwrap());
            }
        }
        let market = b.build();
        let mut spec = RunSpec::new(date, date);
        spec.kind = kind;
        spec.target_delta = target;
        let run = RunContext { spec: &spec, market: &market, model: &Black76Model };
        let chosen = select(&run, date, &future).unwrap();
        let distance = |delta: f64| (delta.abs() - target).abs();
        let mut any_in_band = false;
        for option in market.chain(&future, kind) {
            let Some(price) = market.option_price(&option.symbol, date, PriceSource::Settlement) else { continue };
            let query = deltaroll_core::select::iv_query(&spec, option, Price::new(forward).unwrap(), date, price);
            let Ok(iv) = deltaroll_core::pricing::implied_vol(&query) else { continue };
            let delta = delta_at(&run, option, Price::new(forward).unwrap(), date, iv).unwrap();
            prop_assert!(distance(delta) >= distance(chosen.delta) - 1e-12, "{} beats {}", option.symbol, chosen.symbol);
            any_in_band |= distance(delta) <= spec.band;
        }
        prop_assert_eq!(chosen.in_band, any_in_band);
        prop_assert_eq!(chosen.delta.signum(), if put { -1.0 } else { 1.0 });
    }
}
