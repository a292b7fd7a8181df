//! The settings table: every setting round-trips through its text, its default is the
//! core's, and validation names settings that exist.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use deltaroll_core::parse::Named;
use deltaroll_core::settings::{resolve, setting, Input, RunSettings, SettingError, SETTINGS};
use deltaroll_core::spec::{RunSpec, SpecField, VolSource};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Every setting away from its default.
fn unusual() -> RunSettings {
    let mut s = RunSettings::new(d(2021, 2, 3), d(2026, 6, 30));
    let texts = [
        ("product", "NG"),
        ("futures_root", "CL"),
        ("options_root", "LO"),
        ("delta", "0.30000000000000004"),
        ("band", "0.3333333333333333"),
        ("months_ahead", "24"),
        ("option_type", "put"),
        ("legs", "short:put:0.3:24:3,long:call:0.1:1"),
        ("price_source", "close"),
        ("vol_source", "hist:260"),
        ("rate", "-0.0012345678901234"),
        ("delta_convention", "forward"),
        ("model", "baw"),
        ("stale_days", "12"),
        ("fee", "2.35"),
        ("dates", "iso"),
        ("option_unit", "quote"),
    ];
    for (key, text) in texts {
        setting(key).unwrap().apply(&mut s, text).unwrap();
    }
    s
}

#[test]
fn keys_are_unique_snake_case_and_old_link_names_do_not_clash() {
    let mut names: Vec<&str> =
        SETTINGS.iter().flat_map(|s| std::iter::once(s.key).chain(s.old_link_keys.iter().copied())).collect();
    let count = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), count, "a link name is used twice");
    for s in SETTINGS {
        assert!(s.key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{}", s.key);
        let flag = match s.input {
            Input::List(item) => format!("--{item}"),
            _ => format!("--{}", s.key.replace('_', "-")),
        };
        assert_eq!(s.flag(), flag);
        assert_eq!(s.env(), format!("DATABENTO_{}", s.key.to_uppercase()));
    }
}

#[test]
fn every_setting_differs_from_its_default_in_the_unusual_settings() {
    let (odd, default) = (unusual(), RunSettings::new(d(2021, 2, 3), d(2026, 6, 30)));
    for s in SETTINGS.iter().filter(|s| !s.required) {
        assert_ne!(s.text(&odd), s.text(&default), "{} is not exercised", s.key);
        assert_eq!(s.default_text(), Some(s.text(&RunSettings::new(d(2000, 1, 1), d(2000, 1, 1)))));
    }
}

#[test]
fn legs_are_a_list_whose_k_defaults_to_months_ahead_and_whose_bad_items_are_named() {
    let legs = setting("legs").unwrap();
    assert_eq!(legs.flag(), "--leg");
    let text = |key: &str| match key {
        "start_date" => Some("2025-01-01".to_owned()),
        "end_date" => Some("2025-12-31".to_owned()),
        "months_ahead" => Some("3".to_owned()),
        "legs" => Some("short:call:0.15, short:put:0.2:2:2".to_owned()),
        _ => None,
    };
    let settings = resolve(|s| text(s.key)).unwrap();
    assert_eq!(legs.text(&settings), "short:call:0.15:3,short:put:0.2:2:2");
    assert_eq!(settings.spec.max_months_ahead(), 3);
    let bad =
        resolve(|s| if s.key == "legs" { Some("short:call:0.15,short:straddle:0.15".into()) } else { text(s.key) });
    let message = bad.unwrap_err()[0].about("--leg");
    assert!(message.starts_with("--leg `short:straddle:0.15` is not a leg (its type `straddle`"), "{message}");
    let nine = ["long:call:0.15"; 9].join(",");
    let errors = resolve(|s| if s.key == "legs" { Some(nine.clone()) } else { text(s.key) }).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(matches!(&errors[0], SettingError::Invalid(e) if e.field == SpecField::Setting("legs")));
    let zero = resolve(|s| if s.key == "legs" { Some("long:call:1.5".into()) } else { text(s.key) }).unwrap_err();
    assert_eq!(
        zero[0].about("--leg"),
        "Leg 1 (long:call:1.5:3): the target delta must be strictly between 0 and 1 (got 1.5)."
    );
}

#[test]
fn every_setting_round_trips_through_its_text() {
    let odd = unusual();
    let back = resolve(|s| Some(s.text(&odd))).unwrap();
    assert_eq!(back, odd);
    let defaults = resolve(|s| s.required.then(|| s.text(&odd))).unwrap();
    assert_eq!(defaults, RunSettings::new(odd.spec.start, odd.spec.end));
    assert_eq!(defaults.spec, RunSpec::new(odd.spec.start, odd.spec.end));
}

#[test]
fn choices_are_the_enums_and_parse_back() {
    for s in SETTINGS {
        for choice in s.choices() {
            let text = match choice.param {
                Some(p) => format!("{}:{}", choice.code, p.default),
                None => choice.code.to_owned(),
            };
            let mut settings = RunSettings::new(d(2025, 1, 1), d(2025, 1, 1));
            s.apply(&mut settings, &text).unwrap();
            assert_eq!(s.text(&settings), text, "{}", s.key);
        }
        assert_eq!(matches!(s.input, Input::Choice(_)), !s.choices().is_empty());
    }
    let kinds: Vec<&str> = setting("option_type").unwrap().choices().iter().map(|c| c.code).collect();
    let all: Vec<&str> = deltaroll_core::contract::OptionKind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(kinds, all);
    assert_eq!(VolSource::DEFAULT_HIST_DAYS.parse::<u32>().unwrap(), 20);
}

#[test]
fn bad_text_is_named_by_its_setting_and_every_problem_is_listed() {
    let texts = |key: &str| -> Option<String> {
        match key {
            "start_date" => Some("01/02/2025".into()),
            "delta" => Some("fifteen".into()),
            "option_type" => Some("straddle".into()),
            "vol_source" => Some("hist:x".into()),
            _ => None,
        }
    };
    let errors = resolve(|s| texts(s.key)).unwrap_err();
    let keys: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            SettingError::Missing(s) | SettingError::Parse { setting: s, .. } => s.key,
            SettingError::Invalid(_) => "invalid",
        })
        .collect();
    assert_eq!(keys, ["start_date", "end_date", "delta", "option_type", "vol_source"]);
    assert_eq!(
        errors[2].about("Target delta"),
        "Target delta `fifteen` is not a decimal number (e.g. 0.15, no % sign)"
    );
    assert_eq!(errors[3].about("--option-type"), "--option-type `straddle` is not an option type (call or put)");
}

#[test]
fn validation_points_at_settings_that_exist() {
    let mut s = RunSpec::new(d(2022, 3, 1), d(2022, 1, 1));
    s.target_delta = 1.2;
    s.band = -0.1;
    s.rate = f64::NAN;
    s.months_ahead = 0;
    s.vol_source = VolSource::Historical { days: 1 };
    s.stale_days = 21;
    s.fee = f64::INFINITY;
    let fields: Vec<SpecField> = s.validate().into_iter().map(|e| e.field).collect();
    assert_eq!(fields.len(), 8);
    for field in fields {
        if let SpecField::Setting(key) = field {
            assert!(setting(key).is_some(), "{key} is not in the table");
        }
    }
}

#[test]
fn roots_are_the_products_unless_overridden_and_links_stay_canonical() {
    let text = |texts: &[(&str, &str)]| {
        let all = resolve(|s| match s.key {
            "start_date" | "end_date" => Some("2025-01-02".to_owned()),
            key => texts.iter().find(|(k, _)| *k == key).map(|(_, v)| (*v).to_owned()),
        })
        .unwrap();
        let roots = ["product", "futures_root", "options_root"].map(|k| setting(k).unwrap().text(&all));
        (all.spec.product, roots)
    };
    let (ho, roots) = text(&[("futures_root", "HO"), ("options_root", "oh")]);
    assert_eq!((ho.name.as_str(), roots), ("NY Harbor ULSD", ["HO".to_owned(), String::new(), String::new()]));
    let (cl, roots) = text(&[("product", "cl")]);
    assert_eq!((cl.futures_parent(), cl.options_parent()), ("CL.FUT".to_owned(), "LO.OPT".to_owned()));
    assert_eq!((cl.price_unit.as_str(), cl.multiplier, roots[0].as_str()), ("USD/bbl", 1000.0, "CL"));
    let (custom, roots) = text(&[("product", "CL"), ("futures_root", "MCL")]);
    assert_eq!(custom.name, "MCL futures / LO options (units and expiry rule of WTI crude oil)");
    assert_eq!(roots, ["CL".to_owned(), "MCL".to_owned(), String::new()]);
    let refused = resolve(|s| (s.key == "product").then(|| "ZC".to_owned())).unwrap_err();
    assert!(refused.iter().any(|e| e.about("--product").contains("serial months")), "{refused:?}");
}
