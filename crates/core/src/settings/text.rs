//! Parsers of the text forms settings share: dates, decimals, whole numbers.

use chrono::NaiveDate;

use crate::parse::ParseError;

/// `YYYY-MM-DD`.
pub fn date(text: &str) -> Result<NaiveDate, ParseError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| ParseError::new(text, "a date", "YYYY-MM-DD, e.g. 2025-01-02"))
}

/// A finite decimal number; `example` shows one.
pub fn decimal(text: &str, example: &'static str) -> Result<f64, ParseError> {
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| ParseError::new(text, "a decimal number", format!("e.g. {example}, no % sign")))
}

/// A whole number, not negative; `example` shows one.
pub fn count(text: &str, example: &'static str) -> Result<u32, ParseError> {
    text.parse::<u32>().map_err(|_| ParseError::new(text, "a whole number", format!("e.g. {example}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_finite_and_counts_whole() {
        assert_eq!(decimal("0.15", "0.15"), Ok(0.15));
        assert!(decimal("inf", "0.15").is_err());
        assert_eq!(
            decimal("4%", "0.04").unwrap_err().to_string(),
            "`4%` is not a decimal number (e.g. 0.04, no % sign)"
        );
        assert_eq!(count("2", "2"), Ok(2));
        assert!(count("-1", "2").is_err() && count("2.5", "2").is_err());
        assert!(date("2025-02-30").is_err());
    }
}
