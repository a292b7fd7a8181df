//! The demo market's promises: reproducible, a CME-like calendar, expiries by the CME
//! rules, chains priced around the money, and only positive prices on the tick grid.
#![allow(clippy::unwrap_used)]

use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use deltaroll_core::contract::{ContractMonth, OptionKind};
use deltaroll_core::demo::{demo_market, DemoConfig, DEMO_LABEL, DEMO_MAX_MONTHS_AHEAD};
use deltaroll_core::market::{MarketData, OptionContract, Price, PriceSource, Provenance};
use implied_vol::{DefaultSpecialFn, ImpliedBlackVolatility, SpecialFn};

const RATE: f64 = 0.04;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn month(y: i32, m: u32) -> ContractMonth {
    ContractMonth::new(y, m).unwrap()
}

fn config(start: NaiveDate, end: NaiveDate) -> DemoConfig {
    DemoConfig { start, end, ..DemoConfig::default() }
}

/// 2023–2025 with the default seed, built once for the tests that need years of data.
fn market() -> &'static MarketData {
    static MARKET: OnceLock<MarketData> = OnceLock::new();
    MARKET.get_or_init(|| demo_market(&config(d(2023, 1, 1), d(2025, 12, 31))))
}

/// One quarter, small enough to scan exhaustively.
fn quarter(seed: u64) -> MarketData {
    demo_market(&DemoConfig { seed, ..config(d(2024, 1, 1), d(2024, 3, 31)) })
}

fn years(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64 / 365.0
}

/// Discounted Black-76 call delta at the option's own implied vol, if it has one.
fn call_delta(future: f64, strike: f64, t: f64, price: f64) -> Option<f64> {
    let vol = ImpliedBlackVolatility::builder()
        .option_price(price * (RATE * t).exp())
        .forward(future)
        .strike(strike)
        .expiry(t)
        .is_call(true)
        .build()?
        .calculate::<DefaultSpecialFn>()?;
    let spread = vol * t.sqrt();
    let d1 = ((future / strike).ln() + 0.5 * spread * spread) / spread;
    Some((-RATE * t).exp() * DefaultSpecialFn::norm_cdf(d1))
}

#[test]
fn same_config_same_market_and_another_seed_another() {
    let (a, b, other) = (quarter(7), quarter(7), quarter(8));
    assert!(a.observation_count() > 10_000);
    assert_eq!(a, b);
    assert_eq!(a.content_hash(), b.content_hash());
    assert_ne!(a, other);
    assert_eq!(a.provenance, Provenance::SimulatedDemo);
    assert_eq!(DEMO_LABEL, Provenance::SimulatedDemo.label());
}

#[test]
fn another_seed_has_another_content_hash() {
    assert_ne!(quarter(7).content_hash(), quarter(8).content_hash());
}

#[test]
fn a_shorter_window_shows_the_same_prices() {
    let (short, long) = (quarter(DemoConfig::default().seed), market());
    let mut compared = 0;
    for day in short.calendar().sessions() {
        for source in [PriceSource::Settlement, PriceSource::Close] {
            for (symbol, price) in short.futures_prices_on(day, source) {
                assert_eq!(long.future_price(symbol, day, source), Some(price));
                compared += 1;
            }
        }
    }
    let (_, last) = short.calendar().span().unwrap();
    for option in short.options().step_by(7) {
        let (day, price) = short.option_price_as_of(&option.symbol, last, PriceSource::Settlement).unwrap();
        assert_eq!(long.option_price(&option.symbol, day, PriceSource::Settlement), Some(price));
    }
    assert!(compared > 1000);
}

#[test]
fn the_default_covers_five_year_runs() {
    let default = DemoConfig::default();
    assert!(default.start <= d(2021, 1, 1) && default.end >= d(2026, 6, 30));
}

#[test]
fn sessions_run_sunday_to_friday_without_holidays() {
    let m = market();
    let cal = m.calendar();
    let sessions: Vec<NaiveDate> = cal.sessions_between(d(2023, 1, 1), d(2025, 12, 31)).collect();
    assert!(sessions.iter().all(|s| s.weekday() != Weekday::Sat));
    let sundays: Vec<_> = sessions.iter().filter(|s| s.weekday() == Weekday::Sun).collect();
    assert!(sundays.len() > 140, "{} Sunday sessions", sundays.len());
    for holiday in [
        d(2023, 1, 2),
        d(2024, 1, 1),
        d(2024, 3, 29),
        d(2024, 5, 27),
        d(2024, 7, 4),
        d(2024, 9, 2),
        d(2024, 11, 28),
        d(2024, 12, 25),
        d(2025, 4, 18),
    ] {
        assert!(!cal.is_session(holiday), "{holiday}");
    }
    for &sunday in &sundays {
        let front = &m.front_month(*sunday).unwrap().symbol;
        assert_eq!(m.future_price(front, *sunday, PriceSource::Settlement), None);
        assert!(m.future_price(front, *sunday, PriceSource::Close).is_some());
    }
    for first in month(2023, 1).through(month(2025, 12)) {
        let day = cal.first_trading_day(first).unwrap();
        assert!(!matches!(day.weekday(), Weekday::Sat | Weekday::Sun));
        let front = &m.front_month(day).unwrap().symbol;
        assert!(m.future_price(front, day, PriceSource::Settlement).is_some());
    }
}

#[test]
fn futures_and_options_expire_by_the_cme_rules() {
    let m = market();
    let cal = m.calendar();
    let (first, last) = cal.span().unwrap();
    let inside = |day: NaiveDate| (first..=last).contains(&day);
    for future in m.futures() {
        let rule = cal.last_business_day(future.symbol.month.add_months(-1));
        if inside(future.expiration) {
            assert_eq!(future.expiration, rule, "{}", future.symbol);
        }
    }
    assert!(m.options().count() > 1000);
    for option in m.options() {
        let future = m.future(&option.underlying).unwrap();
        assert_eq!(future.symbol.month, option.symbol.month);
        assert!(option.expiration < future.expiration, "{}", option.symbol);
        if inside(future.expiration) {
            let rule = cal.add_business_days(future.expiration, -3);
            assert_eq!(option.expiration, rule, "{}", option.symbol);
        }
    }
}

/// The option is more than 10% out of the money against `future`.
fn far_out_of_the_money(option: &OptionContract, future: Price) -> bool {
    let moneyness = (option.strike.value() / future.value()).ln();
    match option.kind() {
        OptionKind::Call => moneyness > 0.1,
        OptionKind::Put => moneyness < -0.1,
    }
}

#[test]
fn listed_options_settle_on_every_first_trading_day() {
    let m = market();
    let cal = m.calendar();
    let (_, last) = cal.span().unwrap();
    let mut checked = 0;
    for option in m.options() {
        let listing_window = ContractMonth::of(option.expiration).add_months(-3);
        for first in listing_window.through(ContractMonth::of(option.expiration)) {
            let Some(day) = cal.first_trading_day(first).filter(|&day| day <= last) else {
                continue;
            };
            let listed = m.option_price_as_of(&option.symbol, day, PriceSource::Settlement).is_some();
            if !listed || day > option.expiration {
                continue;
            }
            let future = m.future_price(&option.underlying, day, PriceSource::Settlement).unwrap();
            match m.option_price(&option.symbol, day, PriceSource::Settlement) {
                Some(price) => assert!(price.value() >= 0.0001, "{} {day}", option.symbol),
                None => assert!(
                    far_out_of_the_money(option, future),
                    "{} has no settlement on {day} (future {})",
                    option.symbol,
                    future.value()
                ),
            }
            checked += 1;
        }
    }
    assert!(checked > 10_000, "{checked}");
}

#[test]
fn two_months_out_the_call_chain_spans_delta_0_15() {
    let m = market();
    for roll in month(2023, 1).through(month(2025, 12)) {
        let day = m.calendar().first_trading_day(roll).unwrap();
        let future = m.future_for_month(roll.add_months(2));
        let f = m.future_price(&future, day, PriceSource::Settlement).unwrap().value();
        let deltas: Vec<(f64, f64)> = m
            .chain(&future, OptionKind::Call)
            .filter_map(|o| {
                let price = m.option_price(&o.symbol, day, PriceSource::Settlement)?;
                let t = years(day, o.expiration);
                Some((o.strike.value(), call_delta(f, o.strike.value(), t, price.value())?))
            })
            .collect();
        let below = deltas.iter().filter(|(_, delta)| *delta < 0.15).count();
        let above = deltas.iter().filter(|(_, delta)| *delta > 0.15).count();
        assert!(below > 0 && above > 0, "{roll}: {below} below, {above} above");
        // Deltas fall with the strike (no smile arbitrage around the target).
        let near: Vec<f64> =
            deltas.iter().filter(|(_, delta)| (0.05..0.5).contains(delta)).map(|&(_, delta)| delta).collect();
        assert!(near.windows(2).all(|w| w[1] < w[0]), "{roll}");
        let puts = m.chain(&future, OptionKind::Put).count();
        assert!((60..=400).contains(&puts), "{roll}: {puts} puts");
    }
}

#[test]
fn prices_are_positive_and_on_the_tick_grid() {
    let m = quarter(DemoConfig::default().seed);
    let (first, last) = m.calendar().span().unwrap();
    let on_grid = |p: Price| {
        let ticks = p.value() * 10_000.0;
        p.value() > 0.0 && (ticks - ticks.round()).abs() < 1e-6
    };
    let mut seen = 0;
    let sessions: Vec<NaiveDate> = m.calendar().sessions().collect();
    let mut check = |prices: [Option<Price>; 2]| {
        if prices.iter().any(Option::is_some) {
            seen += 1;
        }
        for price in prices.into_iter().flatten() {
            assert!(on_grid(price), "{price:?}");
        }
    };
    for future in m.futures() {
        for &day in &sessions {
            check([PriceSource::Settlement, PriceSource::Close].map(|s| m.future_price(&future.symbol, day, s)));
        }
    }
    for option in m.options() {
        let listed = option.expiration - Days::new(5 * 31);
        for &day in sessions.iter().filter(|&&s| s >= listed && s <= option.expiration) {
            check([PriceSource::Settlement, PriceSource::Close].map(|s| m.option_price(&option.symbol, day, s)));
        }
    }
    assert_eq!(seen, m.observation_count(), "every observation was checked");
    // Prices start DEMO_MAX_MONTHS_AHEAD months before the start (2023-10-01 is a Sunday).
    let data_start = month(2024, 1).add_months(-(DEMO_MAX_MONTHS_AHEAD as i32));
    assert_eq!(first, data_start.first_day());
    // Easter Sunday evening's session; Good Friday (03-29) is closed.
    assert_eq!(last, d(2024, 3, 31));
    assert!(!m.calendar().is_session(d(2024, 3, 29)));
}

#[test]
fn degenerate_configs_build_without_panicking() {
    let backwards = demo_market(&config(d(2024, 6, 1), d(2023, 1, 1)));
    assert_eq!(backwards.observation_count(), 0);
    let far = demo_market(&config(d(2150, 1, 1), d(2150, 2, 1)));
    assert!(far.observation_count() > 0);
    let early = demo_market(&config(d(1990, 1, 1), d(1990, 1, 31)));
    assert!(early.observation_count() > 0);
}

#[test]
fn a_spec_runs_on_its_own_window_with_the_default_seed() {
    use deltaroll_core::spec::RunSpec;
    let spec = RunSpec::new(d(2024, 3, 1), d(2024, 9, 30));
    let config = DemoConfig::for_spec(&spec);
    assert_eq!((config.start, config.end, config.seed), (spec.start, d(2024, 12, 31), DemoConfig::default().seed));
}

/// The default market and one spec's window, pinned byte for byte (content hash and size)
/// so that speeding up the build can be shown not to change a single price. (Re-pinned
/// when the demo took the core's CME calendar: MLK Day, Presidents' Day and Juneteenth
/// are holidays now.)
#[test]
fn the_default_and_a_spec_market_are_pinned() {
    use deltaroll_core::spec::RunSpec;
    let default = demo_market(&DemoConfig::default());
    assert_eq!(
        (default.observation_count(), default.content_hash()),
        (1_006_028, "a615a08f10495338fd70515dd3417d798703a2782040b3ba5bc3b49e9329306d")
    );
    let spec = RunSpec::new(d(2024, 3, 1), d(2024, 9, 30));
    let window = demo_market(&DemoConfig::for_spec(&spec));
    assert_eq!(
        (window.observation_count(), window.content_hash()),
        (186_472, "a4f5ce16a6d202d747e271fb9928854e2eca5293ed94b7d5a2bff8014c6f3195")
    );
}
