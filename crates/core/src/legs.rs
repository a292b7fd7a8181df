//! The text form of a run's legs: `SIDE:KIND:DELTA[:K[:QTY]]` per leg (`short:call:0.15`,
//! `long:put:0.25:3:2`), legs separated by commas. K defaults to the run's months ahead,
//! QTY to 1. The canonical text gives K always and QTY when it is not 1.

use crate::contract::OptionKind;
use crate::parse::ParseError;
use crate::position::{Leg, Side};

/// The most legs a run holds.
pub const MAX_LEGS: usize = 8;

/// What a leg's text looks like, for error messages.
const LEG_FORM: &str = "SIDE:KIND:DELTA[:K[:QTY]], e.g. short:call:0.15";

/// One leg from `SIDE:KIND:DELTA[:K[:QTY]]`; `months_ahead` is K when it is not given.
pub fn parse_leg(text: &str, months_ahead: u32) -> Result<Leg, ParseError> {
    let text = text.trim();
    let bad = |part: String| ParseError::new(text, "a leg", format!("{part}; {LEG_FORM}"));
    let parts: Vec<&str> = text.split(':').map(str::trim).collect();
    if !(3..=5).contains(&parts.len()) {
        let n = parts.len();
        let noun = if n == 1 { "part" } else { "parts" };
        return Err(bad(format!("it has {n} {noun} separated by `:`, not 3 to 5")));
    }
    let side: Side = parts[0].parse().map_err(|_| bad(format!("its side `{}` must be long or short", parts[0])))?;
    let kind: OptionKind = parts[1].parse().map_err(|_| bad(format!("its type `{}` must be call or put", parts[1])))?;
    let target_delta = parts[2]
        .parse::<f64>()
        .ok()
        .filter(|d| d.is_finite())
        .ok_or_else(|| bad(format!("its delta `{}` must be a decimal number such as 0.15", parts[2])))?;
    let whole = |i: usize, what: &str, default: u32| match parts.get(i) {
        None => Ok(default),
        Some(t) => t.parse::<u32>().map_err(|_| bad(format!("its {what} `{t}` must be a whole number"))),
    };
    let months_ahead = whole(3, "months ahead K", months_ahead)?;
    let quantity = whole(4, "quantity", 1)?;
    Ok(Leg { side, kind, target_delta, months_ahead, quantity })
}

/// Legs from their text, separated by commas; blank text is no legs.
pub fn parse_legs(text: &str, months_ahead: u32) -> Result<Vec<Leg>, ParseError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    text.split(',').map(|item| parse_leg(item, months_ahead)).collect()
}

/// The canonical text of one leg: `short:call:0.15:2`, with `:QTY` when it is not 1.
pub fn leg_text(leg: &Leg) -> String {
    let head = format!("{}:{}:{}:{}", leg.side.as_str(), leg.kind.as_str(), leg.target_delta, leg.months_ahead);
    match leg.quantity {
        1 => head,
        qty => format!("{head}:{qty}"),
    }
}

/// The canonical text of `legs`, separated by commas (empty for none).
pub fn legs_text(legs: &[Leg]) -> String {
    legs.iter().map(leg_text).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legs_read_with_defaults_and_write_canonically() {
        let legs = parse_legs(" short:call:0.15 , long:put:0.25:3:2", 2).unwrap();
        assert_eq!(
            legs,
            [
                Leg { side: Side::Short, kind: OptionKind::Call, target_delta: 0.15, months_ahead: 2, quantity: 1 },
                Leg { side: Side::Long, kind: OptionKind::Put, target_delta: 0.25, months_ahead: 3, quantity: 2 },
            ]
        );
        assert_eq!(legs_text(&legs), "short:call:0.15:2,long:put:0.25:3:2");
        assert_eq!(parse_legs(&legs_text(&legs), 7).unwrap(), legs);
        assert_eq!(parse_legs("  ", 2), Ok(Vec::new()));
    }

    #[test]
    fn bad_legs_say_which_part_is_wrong() {
        let message = |t: &str| parse_legs(t, 2).unwrap_err().to_string();
        assert_eq!(
            message("short:cal:0.15"),
            "`short:cal:0.15` is not a leg (its type `cal` must be call or put; SIDE:KIND:DELTA[:K[:QTY]], e.g. short:call:0.15)"
        );
        assert!(message("sell:call:0.15").contains("its side `sell` must be long or short"));
        assert!(message("short:call").contains("it has 2 parts"));
        assert!(message("short:call:x").contains("its delta `x`"));
        assert!(message("short:call:0.15:two").contains("its months ahead K `two`"));
        assert!(message("short:call:0.15:2:-1").contains("its quantity `-1`"));
        assert!(message("short:call:0.15,").contains("it has 1 part separated"));
    }
}
