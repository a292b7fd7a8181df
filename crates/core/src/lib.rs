//! deltaroll's offline core: everything between market data and the report, with no I/O,
//! no async and no clock, so the web app (WASM) and the CLI compute the same bytes.

pub mod calendar;
pub mod candidate;
pub mod contract;
pub mod demo;
pub mod export;
pub mod held_row;
pub mod legs;
pub mod market;
pub mod parse;
pub mod pnl;
pub mod position;
pub mod precision;
pub mod pricing;
pub mod product;
pub mod quote;
pub mod report;
pub mod roll_chain;
pub mod select;
pub mod series;
pub mod settings;
pub mod spec;
pub mod strategy;
pub mod warnings;
