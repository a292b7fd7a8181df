//! Every run setting, once: each entry is all that a front end needs (CLI flag, environment
//! variable, config-file key, web-form field, share-link name, validation message). Model:
//! ripgrep's flag definitions (`crates/core/flags/defs.rs`), one item per flag.

use crate::contract::{OptionKind, Root};
use crate::export::{DateStyle, OptionUnit};
use crate::legs::{legs_text, parse_legs};
use crate::market::PriceSource;
use crate::parse::ParseError;
use crate::pricing::{DeltaConvention, Model};
use crate::product::{Preset, ProductSpec, PRESETS};
use crate::spec::VolSource;

use super::setting::{Choice, ChoiceParam, Group, Input, RunSettings, Setting};
use super::text::{count, date, decimal};

/// Every run setting, in the order front ends show them.
pub static SETTINGS: &[Setting] = &[
    Setting {
        key: "product",
        old_link_keys: &[],
        label: "Product",
        help: "Product preset: its dataset, roots, units, strike scale and expiry rules (deltaroll --product list prints the table)",
        value_name: "CODE",
        group: Group::Product,
        input: Input::Choice(product_choices),
        required: false,
        read: |s| s.spec.product.preset_of().map_or_else(String::new, |p| p.code.to_owned()),
        write: |s, t| {
            s.spec.product = ProductSpec::preset(t)?;
            Ok(())
        },
    },
    Setting {
        key: "futures_root",
        old_link_keys: &["fut"],
        label: "Futures root",
        help: "Futures root as Databento names it (parent symbol HO.FUT); empty: the product's. Another root keeps the product's units and expiry rule",
        value_name: "ROOT",
        group: Group::Product,
        input: Input::Text,
        required: false,
        read: |s| root_text(s.spec.product.preset_of().map(|p| p.futures_root), s.spec.product.futures_root),
        write: |s, t| set_roots(s, Some(t), None),
    },
    Setting {
        key: "options_root",
        old_link_keys: &["opt"],
        label: "Options root",
        help: "Options root as Databento names it (parent symbol OH.OPT); empty: the product's",
        value_name: "ROOT",
        group: Group::Product,
        input: Input::Text,
        required: false,
        read: |s| root_text(s.spec.product.preset_of().map(|p| p.options_root), s.spec.product.options_root),
        write: |s, t| set_roots(s, None, Some(t)),
    },
    Setting {
        key: "start_date",
        old_link_keys: &["start"],
        label: "Start",
        help: "First output date, YYYY-MM-DD",
        value_name: "DATE",
        group: Group::Dates,
        input: Input::Date,
        required: true,
        read: |s| s.spec.start.to_string(),
        write: |s, t| {
            s.spec.start = date(t)?;
            Ok(())
        },
    },
    Setting {
        key: "end_date",
        old_link_keys: &["end"],
        label: "End",
        help: "Last output date, YYYY-MM-DD",
        value_name: "DATE",
        group: Group::Dates,
        input: Input::Date,
        required: true,
        read: |s| s.spec.end.to_string(),
        write: |s, t| {
            s.spec.end = date(t)?;
            Ok(())
        },
    },
    Setting {
        key: "delta",
        old_link_keys: &[],
        label: "Target delta",
        help: "Target delta, as a magnitude in (0, 1)",
        value_name: "X",
        group: Group::Strategy,
        input: Input::Number,
        required: false,
        read: |s| s.spec.target_delta.to_string(),
        write: |s, t| {
            s.spec.target_delta = decimal(t, "0.15")?;
            Ok(())
        },
    },
    Setting {
        key: "band",
        old_link_keys: &[],
        label: "Band ±",
        help: "Accepted band around the target delta: the nearest strike is held even outside it; such a pick is flagged (a note and a marked roll), never skipped",
        value_name: "X",
        group: Group::Strategy,
        input: Input::Number,
        required: false,
        read: |s| s.spec.band.to_string(),
        write: |s, t| {
            s.spec.band = decimal(t, "0.02")?;
            Ok(())
        },
    },
    Setting {
        key: "months_ahead",
        old_link_keys: &["k"],
        label: "Months ahead",
        help: "The roll rule: on the first trade date of each month M, buy the option on the month M+k future whose delta is nearest the target, and hold it to expiry",
        value_name: "K",
        group: Group::Strategy,
        input: Input::Number,
        required: false,
        read: |s| s.spec.months_ahead.to_string(),
        write: |s, t| {
            s.spec.months_ahead = count(t, "2")?;
            Ok(())
        },
    },
    Setting {
        key: "option_type",
        old_link_keys: &["kind"],
        label: "Options",
        help: "Calls or puts",
        value_name: "TYPE",
        group: Group::Strategy,
        input: Input::Choice(Choice::of::<OptionKind>),
        required: false,
        read: |s| s.spec.kind.as_str().to_owned(),
        write: |s, t| {
            s.spec.kind = t.parse()?;
            Ok(())
        },
    },
    Setting {
        key: "legs",
        old_link_keys: &[],
        label: "Legs",
        help: "A leg of the position, SIDE:KIND:DELTA[:K[:QTY]] (e.g. short:call:0.15; K defaults to --months-ahead, QTY to 1), up to 8; none: one long leg of --option-type, --delta and --months-ahead",
        value_name: "SIDE:KIND:DELTA[:K[:QTY]]",
        group: Group::Strategy,
        input: Input::List("leg"),
        required: false,
        read: |s| legs_text(&s.spec.legs),
        write: |s, t| {
            s.spec.legs = parse_legs(t, s.spec.months_ahead)?;
            Ok(())
        },
    },
    Setting {
        key: "price_source",
        old_link_keys: &["price"],
        label: "Price source",
        help: "Daily price of futures and options: the exchange's settlement, or the last trade of the UTC day",
        value_name: "SOURCE",
        group: Group::Strategy,
        input: Input::Choice(Choice::of::<PriceSource>),
        required: false,
        read: |s| s.spec.price_source.as_str().to_owned(),
        write: |s, t| {
            s.spec.price_source = t.parse()?;
            Ok(())
        },
    },
    Setting {
        key: "vol_source",
        old_link_keys: &["vol"],
        label: "Vol source",
        help: "Volatility for choosing: each strike's own implied vol, the ATM implied vol, or historical vol of the future over N sessions",
        value_name: "own|atm|hist:N",
        group: Group::Strategy,
        input: Input::Choice(vol_choices),
        required: false,
        read: |s| s.spec.vol_source.code(),
        write: |s, t| {
            s.spec.vol_source = t.parse()?;
            Ok(())
        },
    },
    Setting {
        key: "rate",
        old_link_keys: &[],
        label: "Rate (0.04 = 4%)",
        help: "Continuously compounded rate, as a decimal (0.04 = 4%)",
        value_name: "R",
        group: Group::Strategy,
        input: Input::Number,
        required: false,
        read: |s| s.spec.rate.to_string(),
        write: |s, t| {
            s.spec.rate = decimal(t, "0.04")?;
            Ok(())
        },
    },
    Setting {
        key: "delta_convention",
        old_link_keys: &["conv"],
        label: "Delta convention",
        help: "Delta matched and reported: e^(-rT)·N(d1) or N(d1)",
        value_name: "CONVENTION",
        group: Group::Strategy,
        input: Input::Choice(Choice::of::<DeltaConvention>),
        required: false,
        read: |s| s.spec.delta_convention.as_str().to_owned(),
        write: |s, t| {
            s.spec.delta_convention = t.parse()?;
            Ok(())
        },
    },
    Setting {
        key: "model",
        old_link_keys: &[],
        label: "Pricing model",
        help: "Model of implied vols and deltas: Black-76 (European exercise) or Barone-Adesi–Whaley (American exercise, as OH options are)",
        value_name: "MODEL",
        group: Group::Strategy,
        input: Input::Choice(Choice::of::<Model>),
        required: false,
        read: |s| s.spec.model.as_str().to_owned(),
        write: |s, t| {
            s.spec.model = t.parse()?;
            Ok(())
        },
    },
    Setting {
        key: "stale_days",
        old_link_keys: &[],
        label: "Stale close window (trade dates)",
        help: "With trade closes only, how many trade dates old a candidate's close may be on a roll date (settlements, when the data has them, price every strike)",
        value_name: "N",
        group: Group::Strategy,
        input: Input::Number,
        required: false,
        read: |s| s.spec.stale_days.to_string(),
        write: |s, t| {
            s.spec.stale_days = count(t, "5")?;
            Ok(())
        },
    },
    Setting {
        key: "fee",
        old_link_keys: &[],
        label: "Fee per contract (USD)",
        help: "Fee in USD per contract, charged when an option enters the position; counts in the P&L only",
        value_name: "USD",
        group: Group::Strategy,
        input: Input::Number,
        required: false,
        read: |s| s.spec.fee.to_string(),
        write: |s, t| {
            s.spec.fee = decimal(t, "1.5")?;
            Ok(())
        },
    },
    Setting {
        key: "dates",
        old_link_keys: &[],
        label: "Wide CSV dates",
        help: "Wide CSV dates: M/D/YY as in the client's sample, or YYYY-MM-DD",
        value_name: "STYLE",
        group: Group::WideCsv,
        input: Input::Choice(Choice::of::<DateStyle>),
        required: false,
        read: |s| s.wide.dates.as_str().to_owned(),
        write: |s, t| {
            s.wide.dates = t.parse()?;
            Ok(())
        },
    },
    Setting {
        key: "option_unit",
        old_link_keys: &["unit"],
        label: "Wide CSV option values",
        help: "Wide CSV option values: cents (hundredths of the product's price unit, ¢/gal for HO) as in the client's sample, or the price unit itself; futures stay in the price unit",
        value_name: "UNIT",
        group: Group::WideCsv,
        input: Input::Choice(Choice::of::<OptionUnit>),
        required: false,
        read: |s| s.wide.option_unit.as_str().to_owned(),
        write: |s, t| {
            s.wide.option_unit = t.parse()?;
            Ok(())
        },
    },
];

/// The product presets that can run.
fn product_choices() -> Vec<Choice> {
    Preset::supported().map(|p| Choice { code: p.code, label: p.name, param: None }).collect()
}

/// A root's text: empty when it is the product preset's own (so links stay canonical).
fn root_text(own: Option<&str>, current: Root) -> String {
    if own == Some(current.as_str()) {
        String::new()
    } else {
        current.to_string()
    }
}

/// Set the futures or options root from its text (empty: the preset's), keeping the
/// product's units and expiry rule and the other root.
fn set_roots(s: &mut RunSettings, futures: Option<&str>, options: Option<&str>) -> Result<(), ParseError> {
    let product = &s.spec.product;
    let preset = product.preset_of().unwrap_or(&PRESETS[0]);
    let pick = |text: Option<&str>, own: &str, current: String| match text {
        Some("") => own.to_owned(),
        Some(t) => t.to_ascii_uppercase(),
        None => current,
    };
    let futures = pick(futures, preset.futures_root, product.futures_root.to_string());
    let options = pick(options, preset.options_root, product.options_root.to_string());
    s.spec.product = preset.spec().with_roots(&futures, &options)?;
    Ok(())
}

/// The vol sources, historical with its days.
fn vol_choices() -> Vec<Choice> {
    vec![
        Choice { code: "own", label: "Own implied vol", param: None },
        Choice { code: "atm", label: "ATM implied vol", param: None },
        Choice {
            code: "hist",
            label: "Historical vol",
            param: Some(ChoiceParam { label: "Days of history", default: VolSource::DEFAULT_HIST_DAYS }),
        },
    ]
}
