//! The P&L of a run from its columns and rows: each held option valued on the rows it is
//! held (on its expiration row at its own price that day, else at its intrinsic value
//! against its future's price, with a warning), then summed per leg and in total.

use crate::report::{Column, DailyRow, HeldValue};
use crate::select::RunContext;
use crate::warnings::{Warning, WarningKind};

use super::daily::pnl_days;
use super::held::{HeldPnl, RowPrice, Terms};
use super::summary::PnlSummary;
use super::Pnl;

/// The P&L of `columns` held on `rows`; warnings for options that expire without a price.
pub(crate) fn pnl(run: &RunContext, columns: &[Column], rows: &[DailyRow], warnings: &mut Vec<Warning>) -> Pnl {
    let spec = run.spec;
    let legs = spec.legs();
    let (first, last) = (rows.first().map(|r| r.date), rows.last().map(|r| r.date));
    let held: Vec<HeldPnl> = columns
        .iter()
        .enumerate()
        .filter_map(|(index, column)| {
            let terms = Terms {
                column: index,
                leg: column.leg,
                position: &legs[column.leg],
                contract_size: spec.product.multiplier,
                fee_per_contract: spec.fee,
            };
            let prices = row_prices(run, index, column, rows, warnings);
            let carried_in = first.is_some_and(|d| column.from < d);
            let expired = last.is_some_and(|d| column.until <= d);
            HeldPnl::new(&terms, &prices, carried_in, expired)
        })
        .collect();
    let days = pnl_days(rows.iter().map(|r| r.date), legs.len(), &held);
    let summary = PnlSummary::of(&days, &held);
    Pnl { legs, fee: spec.fee, days, held, summary }
}

/// The rows `column` (the `index`th) is held on, with the price it is valued at on each.
fn row_prices(
    run: &RunContext,
    index: usize,
    column: &Column,
    rows: &[DailyRow],
    warnings: &mut Vec<Warning>,
) -> Vec<RowPrice> {
    let first = rows.partition_point(|r| r.date < column.from);
    let end = rows.partition_point(|r| r.date <= column.until);
    rows[first..end]
        .iter()
        .enumerate()
        .map(|(k, row)| {
            let held = row.held[index].as_ref();
            let price = if row.date == column.until {
                expiry_price(run, column, held, warnings)
            } else {
                held.map(|h| h.price.value())
            };
            RowPrice { row: first + k, date: row.date, price }
        })
        .collect()
}

/// The option's value on its expiration row: its own price that day; else its intrinsic
/// value against its future's latest price on or before that day; else its last price.
fn expiry_price(
    run: &RunContext,
    column: &Column,
    held: Option<&HeldValue>,
    warnings: &mut Vec<Warning>,
) -> Option<f64> {
    if let Some(h) = held.filter(|h| h.price_date == column.until) {
        return Some(h.price.value());
    }
    let forward =
        run.market.future_price_as_of(&column.underlying, column.until, run.spec.price_source).map(|(_, p)| p.value());
    warnings.push(Warning {
        date: Some(column.until),
        symbol: Some(column.symbol.to_string()),
        kind: WarningKind::ExpiredWithoutPrice { forward },
    });
    match forward {
        Some(forward) => Some(column.symbol.kind.intrinsic(forward, column.strike.value())),
        None => held.map(|h| h.price.value()),
    }
}
