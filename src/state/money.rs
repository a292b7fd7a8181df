//! The page's one money format, for P&L and estimates alike: `$1,263.50`, `−$1,263.50`,
//! and four decimals below one cent so a tiny cost does not read as `$0.00`.

/// `−$1,263.50`: dollars and cents, thousands grouped, a true minus sign.
pub fn usd(value: f64) -> String {
    if value > 0.0 && value < 0.005 {
        return format!("${value:.4}");
    }
    let cents = (value.abs() * 100.0).round() as u64;
    let digits = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if value < 0.0 && cents > 0 { "−" } else { "" };
    format!("{sign}${grouped}.{:02}", cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_are_grouped_with_cents_and_a_true_minus() {
        assert_eq!(usd(-1263.5), "−$1,263.50");
        assert_eq!(usd(1_234_567.891), "$1,234,567.89");
        assert_eq!(usd(0.0), "$0.00");
        assert_eq!(usd(-0.001), "$0.00");
        assert_eq!(usd(999.999), "$1,000.00");
        assert_eq!(usd(1.5), "$1.50");
        assert_eq!(usd(0.0012), "$0.0012", "a tiny cost is not free");
    }
}
