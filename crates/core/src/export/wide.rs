//! The client's wide CSV: `timestamp,Futures_Price,<option symbols…>`, one row per session
//! date, empty cells when an option is not held.

use std::io;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{decimal, write_line};
use crate::parse::named;
use crate::report::Report;

/// Decimals kept for USD/gal values (Databento prices are 1e-9 fixed point).
const QUOTE_PLACES: usize = 9;
/// Decimals kept for cents/gal values.
const CENT_PLACES: usize = 7;

/// How the `timestamp` column is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateStyle {
    /// `M/D/YY` without leading zeros (`12/5/21`), as in the client's sample.
    #[default]
    Us,
    /// `YYYY-MM-DD`.
    Iso,
}

named! {
    DateStyle, "a date style", from_str;
    Us => "us", "M/D/YY (client format)";
    Iso => "iso", "YYYY-MM-DD";
}

impl DateStyle {
    /// `date` in this style.
    pub fn format(self, date: NaiveDate) -> String {
        match self {
            Self::Us => format!("{}/{}/{:02}", date.month(), date.day(), date.year().rem_euclid(100)),
            Self::Iso => date.format("%Y-%m-%d").to_string(),
        }
    }

    /// Parse a date written in this style.
    pub fn parse(self, text: &str) -> Option<NaiveDate> {
        match self {
            Self::Us => {
                let mut parts = text.split('/').map(str::parse::<u32>);
                let (m, d, y) = (parts.next()?.ok()?, parts.next()?.ok()?, parts.next()?.ok()?);
                if parts.next().is_some() || y > 99 {
                    return None;
                }
                NaiveDate::from_ymd_opt(2000 + y as i32, m, d)
            }
            Self::Iso => NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
        }
    }
}

/// The unit of option values in the wide CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptionUnit {
    /// Cents per quote unit (cents/gal), the client's unit: `2.6` = 0.026 USD/gal.
    #[default]
    Cents,
    /// The quote unit itself (USD/gal).
    Quote,
}

named! {
    OptionUnit, "an option value unit", from_str;
    Cents => "cents", "Cents (client format)";
    Quote => "quote", "Dollars, as quoted";
}

/// Settings of the wide CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WideFormat {
    /// `timestamp` style.
    pub dates: DateStyle,
    /// Option value unit.
    pub option_unit: OptionUnit,
    /// Whether the `Futures_Price` column (front month, USD/gal) is written.
    pub futures_column: bool,
}

impl Default for WideFormat {
    fn default() -> Self {
        Self { dates: DateStyle::Us, option_unit: OptionUnit::Cents, futures_column: true }
    }
}

/// One row of the wide table, values already in output units.
#[derive(Debug, Clone, PartialEq)]
pub struct WideRow {
    /// Session date.
    pub date: NaiveDate,
    /// Front-month futures price (quote unit).
    pub futures: Option<f64>,
    /// One value per option column.
    pub options: Vec<Option<f64>>,
}

/// The wide table: what the CSV holds, before formatting.
#[derive(Debug, Clone, PartialEq)]
pub struct WideTable {
    /// Whether a `Futures_Price` column is present.
    pub futures_column: bool,
    /// Option column headers (exchange symbols).
    pub options: Vec<String>,
    /// Option value unit, which sets the decimals kept.
    pub option_unit: OptionUnit,
    /// `timestamp` style.
    pub dates: DateStyle,
    /// Rows in date order.
    pub rows: Vec<WideRow>,
}

impl WideTable {
    /// The wide table of a report.
    pub fn from_report(report: &Report, format: &WideFormat) -> Self {
        let scale = match format.option_unit {
            OptionUnit::Cents => 100.0,
            OptionUnit::Quote => 1.0,
        };
        let rows = report
            .rows
            .iter()
            .map(|row| WideRow {
                date: row.date,
                futures: row.front.as_ref().and_then(|f| f.price).map(|p| p.value()),
                options: row.held.iter().map(|h| h.as_ref().map(|h| h.price.value() * scale)).collect(),
            })
            .collect();
        Self {
            futures_column: format.futures_column,
            options: report.columns.iter().map(|c| c.symbol.to_string()).collect(),
            option_unit: format.option_unit,
            dates: format.dates,
            rows,
        }
    }

    /// Write the CSV: `\n` between lines and none after the last, as in the client's file.
    pub fn write(&self, out: &mut impl io::Write) -> io::Result<()> {
        let option_places = match self.option_unit {
            OptionUnit::Cents => CENT_PLACES,
            OptionUnit::Quote => QUOTE_PLACES,
        };
        let cell = |v: Option<f64>, places| v.map(|v| decimal(v, places)).unwrap_or_default();
        let mut header = vec!["timestamp".to_owned()];
        if self.futures_column {
            header.push("Futures_Price".to_owned());
        }
        header.extend(self.options.iter().cloned());
        write_line(out, true, &header)?;
        for row in &self.rows {
            let mut fields = vec![self.dates.format(row.date)];
            if self.futures_column {
                fields.push(cell(row.futures, QUOTE_PLACES));
            }
            fields.extend(row.options.iter().map(|&v| cell(v, option_places)));
            write_line(out, false, &fields)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn us_dates_have_no_leading_zeros() {
        let d = NaiveDate::from_ymd_opt(2022, 1, 2).unwrap();
        assert_eq!(DateStyle::Us.format(d), "1/2/22");
        assert_eq!(DateStyle::Iso.format(d), "2022-01-02");
        assert_eq!(DateStyle::Us.parse("1/2/22"), Some(d));
        assert_eq!(DateStyle::Us.parse("12/31/2021"), None);
        assert_eq!(DateStyle::Iso.parse("2022-01-02"), Some(d));
    }
}
