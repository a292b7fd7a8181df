//! The P&L invariants every run keeps, checked on any report: each option's P&L identity,
//! its entry and exit, daily P&L summing to the cumulative, Sundays flat.

use chrono::Datelike;
use chrono::Weekday;
use deltaroll_core::market::MarketData;
use deltaroll_core::report::Report;

/// Equal to a millionth of a dollar.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// Checks every P&L invariant of `report`, with `market` its market.
pub fn check_identities(report: &Report, market: &MarketData) {
    let spec = &report.spec;
    let size = spec.product.multiplier;
    for held in &report.pnl.held {
        let column = &report.columns[held.column];
        let leg = report.pnl.legs[held.leg];
        // Enters on its roll day at that day's value, paying the fee.
        assert_eq!(held.entry.date, column.from);
        assert_eq!(held.daily[0], -leg.entry_fees(spec.fee));
        // Leaves on its expiration row at its own price, else its intrinsic value.
        if held.expired {
            assert_eq!(held.exit.date, column.until);
            let own = market.option_price(&column.symbol, column.until, spec.price_source);
            let expected = own.map(|p| p.value()).unwrap_or_else(|| {
                let (_, forward) =
                    market.future_price_as_of(&column.underlying, column.until, spec.price_source).unwrap();
                column.symbol.kind.intrinsic(forward.value(), column.strike.value())
            });
            assert_eq!(held.exit.price, expected);
        }
        // P&L = side × qty × size × (exit − entry) − fees, and its days sum to it.
        let identity =
            leg.side.sign() * f64::from(leg.quantity) * size * (held.exit.price - held.entry.price) - held.fees;
        assert!(close(held.pnl, identity), "{} vs {identity}", held.pnl);
        assert!(close(held.daily.iter().sum::<f64>(), held.pnl));
    }
    let mut sum = 0.0;
    for (day, row) in report.pnl.days.iter().zip(&report.rows) {
        assert_eq!(day.date, row.date);
        sum += day.total;
        assert!(close(day.cumulative, sum));
        assert!(close(day.legs.iter().sum::<f64>(), day.total));
        if day.date.weekday() == Weekday::Sun {
            assert_eq!(day.total, 0.0, "Sunday {} repeats Friday", day.date);
        }
    }
    assert!(close(report.pnl.summary.total, sum));
    let by_year: f64 = report.pnl.summary.by_year.iter().map(|y| y.pnl).sum();
    assert!(close(by_year, sum));
}
