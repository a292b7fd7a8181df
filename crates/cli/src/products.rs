//! `--product list`: the core's product table, one product a line.

use deltaroll_core::product::{OptionMonths, PRESETS};

/// The table as text: code, name, roots (Databento parent symbols), unit, contract size,
/// strike scale and dataset; products the tool refuses say why.
pub fn table() -> String {
    let mut out =
        String::from("code  name                      futures  options  unit       size    strike scale  dataset\n");
    for p in PRESETS {
        let parents = (format!("{}.FUT", p.futures_root), format!("{}.OPT", p.options_root));
        out.push_str(&format!(
            "{:<5} {:<25} {:<8} {:<8} {:<10} {:<7} {:<13} {}\n",
            p.code, p.name, parents.0, parents.1, p.price_unit, p.multiplier, p.strike_units_per_price, p.dataset
        ));
        if let OptionMonths::Unsupported(why) = p.option_months {
            out.push_str(&format!("      (refused: {why})\n"));
        }
    }
    out.push_str(
        "strike scale: strike-code units per price unit in the raw option symbol (OHH5 C24000 = 2.4000 USD/gal); \
         the wide CSV's cents are hundredths of the unit\n",
    );
    out
}

/// Whether `text` (a `--product` value from any layer) asks for the table.
pub fn asks_for_list(text: &str) -> bool {
    text.trim().eq_ignore_ascii_case("list")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_every_preset_with_its_parents_and_units() {
        let text = table();
        for (code, parents) in [
            ("HO", "HO.FUT   OH.OPT   USD/gal    42000   10000"),
            ("CL", "CL.FUT   LO.OPT   USD/bbl    1000    100"),
            ("NG", "NG.FUT   ON.OPT   USD/MMBtu  10000   1000"),
            ("RB", "RB.FUT   OB.OPT"),
            ("BZ", "BZ.FUT   OSX.OPT"),
        ] {
            let line = text.lines().find(|l| l.starts_with(code)).unwrap_or_default();
            assert!(line.contains(parents) && line.ends_with("GLBX.MDP3"), "{line}");
        }
        assert!(text.contains("(refused: corn options include serial months"), "{text}");
        assert!(asks_for_list(" LIST ") && !asks_for_list("CL"));
    }
}
