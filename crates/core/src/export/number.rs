//! Number formatting for exports: the shortest decimal of a value rounded to a fixed number
//! of places, so `0.026 × 100` prints `2.6` and every host prints the same digits.

/// `value` rounded to `places` decimals, with trailing zeros (and a bare point) removed;
/// `-0` prints as `0`.
pub fn decimal(value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn shortest_exact_decimals() {
        assert_eq!(decimal(0.026 * 100.0, 7), "2.6");
        assert_eq!(decimal(142.41, 7), "142.41");
        assert_eq!(decimal(11.0, 7), "11");
        assert_eq!(decimal(0.0001 * 100.0, 7), "0.01");
        assert_eq!(decimal(-0.00000001, 7), "0");
        assert_eq!(decimal(2.3031, 9), "2.3031");
        assert_eq!(decimal(1234567.5, 0), "1234568");
    }
}
