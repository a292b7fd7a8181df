//! Share links: the URL's query holds the whole form and the data source, and nothing else.
//! The API key and the gateway are never written, and never read back even if a link
//! carries them.

use deltaroll_core::settings::{Input, Setting, SETTINGS};

use super::form::FormState;
use super::source::SourceKind;

/// What a link restores.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The form (defaults for anything the link lacks).
    pub form: FormState,
    /// The data source, when the link names one.
    pub source: Option<SourceKind>,
}

/// The query string (without `?`) for `form` on `source`: the source, then every setting
/// by its key, left out when it is at its default (so links stay short and canonical: a
/// form that resolves is written as the core writes its settings, so a root equal to the
/// product's is left out).
pub fn encode(form: &FormState, source: SourceKind) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    out.append_pair("src", source.code());
    let resolved = form.settings().ok();
    for setting in SETTINGS {
        let canonical = resolved.as_ref().map(|s| setting.text(s));
        let text = canonical.as_deref().unwrap_or_else(|| form.text(setting)).trim();
        if setting.default_text().as_deref() != Some(text) {
            out.append_pair(setting.key, text);
        }
    }
    out.finish()
}

/// The form and source a query string (with or without `?`) restores. Settings are read
/// by their key or an older name; a drop-down's unknown value keeps the default, free text
/// is kept as typed so the form shows and explains it.
pub fn decode(query: &str) -> Link {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut form = FormState::default();
    let mut source = None;
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if name == "src" {
            source = SourceKind::from_code(&value);
        } else if let Some(setting) = SETTINGS.iter().find(|s| s.has_link_name(&name)) {
            if is_offered(setting, &value) {
                form.set(setting, value.into_owned());
            }
        }
        // The key, the gateway and anything else are ignored: a link must not be able to
        // send the user's key somewhere else.
    }
    Link { form, source }
}

/// Whether `value` can be shown by `setting`'s control: any text in a text box, one of its
/// codes in a drop-down (a number after it, as in `hist:x`, is its own box).
fn is_offered(setting: &Setting, value: &str) -> bool {
    match setting.input {
        Input::Choice(_) => {
            let code = value.split_once(':').map_or(value, |(code, _)| code);
            setting.choices().iter().any(|c| c.code == code)
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use deltaroll_core::contract::OptionKind;
    use deltaroll_core::export::WideFormat;
    use deltaroll_core::market::PriceSource;
    use deltaroll_core::pricing::DeltaConvention;
    use deltaroll_core::product::ProductSpec;
    use deltaroll_core::settings::{setting, RunSettings};
    use deltaroll_core::spec::{RunSpec, VolSource};

    use super::*;
    use crate::state::form::default_spec;

    fn every_setting_changed() -> Vec<RunSettings> {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let mut out = vec![RunSettings { spec: default_spec(), wide: WideFormat::default() }];
        let mut s = RunSpec::new(d(2021, 2, 3), d(2026, 6, 30));
        s.product = ProductSpec::heating_oil().with_roots("CL", "LO").unwrap();
        s.target_delta = 0.1 + 0.2;
        s.band = 1.0 / 3.0;
        s.months_ahead = 24;
        s.kind = OptionKind::Put;
        s.price_source = PriceSource::Close;
        s.vol_source = VolSource::Historical { days: 260 };
        s.rate = -0.0012345678901234;
        s.delta_convention = DeltaConvention::Forward;
        s.stale_days = 11;
        s.fee = 0.1 + 0.2;
        let wide = WideFormat {
            dates: "iso".parse().unwrap(),
            option_unit: "quote".parse().unwrap(),
            ..WideFormat::default()
        };
        out.push(RunSettings { spec: s.clone(), wide });
        s.vol_source = VolSource::AtmImplied;
        s.rate = 1e-9;
        out.push(RunSettings { spec: s, wide: WideFormat::default() });
        out
    }

    #[test]
    fn every_setting_survives_a_link_exactly() {
        for settings in every_setting_changed() {
            for source in SourceKind::ALL {
                let query = encode(&FormState::from_settings(&settings), source);
                let link = decode(&format!("?{query}"));
                assert_eq!(link.source, Some(source));
                assert_eq!(link.form.settings().unwrap(), settings, "{query}");
                assert_eq!(encode(&link.form, source), query, "links are canonical");
            }
        }
    }

    #[test]
    fn settings_at_their_default_are_left_out() {
        let query = encode(&FormState::default(), SourceKind::Demo);
        assert_eq!(query, "src=demo&start_date=2025-01-01&end_date=2025-12-31");
        let mut form = FormState::default();
        form.set(setting("option_unit").unwrap(), "quote");
        assert_eq!(encode(&form, SourceKind::Demo), format!("{query}&option_unit=quote"));
    }

    #[test]
    fn old_links_still_open_and_are_rewritten_with_the_new_names() {
        let old = "src=demo&fut=HO&opt=OH&start=2022-03-01&end=2022-08-31&delta=0.25&band=0.03&k=3&kind=put&price=close&vol=hist%3A30&rate=0.05&conv=forward&dates=iso&unit=quote";
        let link = decode(old);
        let spec = link.form.spec().unwrap();
        assert_eq!(
            (spec.months_ahead, spec.kind, spec.vol_source),
            (3, OptionKind::Put, VolSource::Historical { days: 30 })
        );
        assert_eq!(link.form.wide().option_unit.as_str(), "quote");
        assert_eq!(
            encode(&link.form, SourceKind::Demo),
            "src=demo&start_date=2022-03-01&end_date=2022-08-31&delta=0.25&band=0.03&months_ahead=3&option_type=put&price_source=close&vol_source=hist%3A30&rate=0.05&delta_convention=forward&dates=iso&option_unit=quote"
        );
    }

    #[test]
    fn links_carry_the_legs_and_old_links_open_as_one_leg() {
        let mut form = FormState::default();
        crate::state::legs::apply(&mut form, &crate::state::legs::PRESETS[2]);
        crate::state::legs::set_field(&mut form, 1, crate::state::legs::LegField::Quantity, "2");
        let query = encode(&form, SourceKind::Demo);
        assert!(query.ends_with("&legs=short%3Acall%3A0.15%3A2%2Cshort%3Aput%3A0.15%3A2%3A2"), "{query}");
        let link = decode(&query);
        assert_eq!(link.form.spec().unwrap(), form.spec().unwrap());
        assert_eq!(encode(&link.form, SourceKind::Demo), query);

        let old =
            decode("src=demo&start_date=2025-01-01&end_date=2025-12-31&delta=0.25&option_type=put&months_ahead=3");
        let legs = old.form.spec().unwrap().legs();
        assert_eq!(legs.len(), 1);
        assert_eq!((legs[0].kind, legs[0].target_delta, legs[0].months_ahead), (OptionKind::Put, 0.25, 3));
        assert_eq!(crate::state::legs::rows(&old.form).len(), 1);
    }

    #[test]
    fn links_never_carry_or_restore_a_key_or_gateway() {
        let query = encode(&FormState::default(), SourceKind::Databento);
        assert!(!query.contains("db-") && !query.contains("key") && !query.contains("gateway"));
        let link =
            decode("src=databento&key=db-TESTKEY0000000000000000000000&gateway=https%3A%2F%2Fevil.example&apikey=x");
        assert_eq!(link, Link { form: FormState::default(), source: Some(SourceKind::Databento) });
    }

    #[test]
    fn bad_values_are_kept_as_typed_so_the_form_explains_them() {
        let link = decode("delta=abc&kind=straddle&vol=hist:x&price=vwap&start=2025-13-01&unit=bbl");
        let text = |key| link.form.text(setting(key).unwrap()).to_owned();
        assert_eq!(text("delta"), "abc");
        assert_eq!(text("option_type"), "call", "an unknown drop-down value keeps the default");
        assert_eq!(text("vol_source"), "hist:x");
        assert_eq!(text("price_source"), "settlement");
        assert_eq!(text("option_unit"), "cents");
        assert_eq!(link.source, None);
        assert_eq!(link.form.errors().len(), 3);
    }

    #[test]
    fn a_bad_value_in_a_link_is_worded_as_the_cli_words_it() {
        for setting in SETTINGS.iter().filter(|s| !matches!(s.input, Input::Choice(_))) {
            let mut probe = RunSettings::new(default_spec().start, default_spec().end);
            let problem = setting.apply(&mut probe, "?!").unwrap_err().problem();
            let errors = decode(&format!("{}=%3F!", setting.key)).form.errors();
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].message, crate::state::text::quoted(&format!("{} `?!` {problem}.", setting.label)));
        }
    }
}
