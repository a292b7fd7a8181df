//! Share links: the URL's query holds the whole form and the data source, and nothing else.
//! The API key and the gateway are never written, and never read back even if a link
//! carries them.

use deltaroll_core::contract::OptionKind;
use deltaroll_core::export::WideFormat;
use deltaroll_core::market::PriceSource;
use deltaroll_core::pricing::DeltaConvention;

use super::form::{FormState, VolChoice};
use super::source::SourceKind;

/// What a link restores.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The form (defaults for anything the link lacks).
    pub form: FormState,
    /// The data source, when the link names one.
    pub source: Option<SourceKind>,
}

/// The query string (without `?`) for `form` on `source`.
pub fn encode(form: &FormState, source: SourceKind) -> String {
    let kind = match form.kind {
        OptionKind::Call => "call",
        OptionKind::Put => "put",
    };
    let pairs = [
        ("src", source.code().to_owned()),
        ("fut", form.futures_root.trim().to_owned()),
        ("opt", form.options_root.trim().to_owned()),
        ("start", form.start.trim().to_owned()),
        ("end", form.end.trim().to_owned()),
        ("delta", form.target_delta.trim().to_owned()),
        ("band", form.band.trim().to_owned()),
        ("k", form.months_ahead.trim().to_owned()),
        ("kind", kind.to_owned()),
        ("price", form.price_source.as_str().to_owned()),
        ("vol", form.vol_code()),
        ("rate", form.rate.trim().to_owned()),
        ("conv", form.delta_convention.as_str().to_owned()),
    ];
    // The wide CSV's settings only when they differ from the client's format, so links
    // made before they existed stay canonical.
    let defaults = WideFormat::default();
    let dates = (form.wide.dates != defaults.dates).then(|| ("dates", form.wide.dates.as_str().to_owned()));
    let unit =
        (form.wide.option_unit != defaults.option_unit).then(|| ("unit", form.wide.option_unit.as_str().to_owned()));
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.into_iter().chain(dates).chain(unit) {
        out.append_pair(k, &v);
    }
    out.finish()
}

/// The form and source a query string (with or without `?`) restores; unknown or
/// unparsable enum values keep the defaults, free text is kept as typed so the form shows
/// and explains it.
pub fn decode(query: &str) -> Link {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut form = FormState::default();
    let mut source = None;
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = value.into_owned();
        match key.as_ref() {
            "src" => source = SourceKind::from_code(&value),
            "fut" => form.futures_root = value,
            "opt" => form.options_root = value,
            "start" => form.start = value,
            "end" => form.end = value,
            "delta" => form.target_delta = value,
            "band" => form.band = value,
            "k" => form.months_ahead = value,
            "kind" => match value.as_str() {
                "call" => form.kind = OptionKind::Call,
                "put" => form.kind = OptionKind::Put,
                _ => {}
            },
            "price" => {
                if let Ok(p) = value.parse::<PriceSource>() {
                    form.price_source = p;
                }
            }
            "vol" => {
                let (choice, days) = value.split_once(':').unwrap_or((&value, ""));
                form.vol = VolChoice::from_code(choice);
                if form.vol == VolChoice::Historical {
                    form.hist_days = days.to_owned();
                }
            }
            "rate" => form.rate = value,
            "conv" => {
                if let Ok(c) = value.parse::<DeltaConvention>() {
                    form.delta_convention = c;
                }
            }
            "dates" => {
                if let Ok(d) = value.parse() {
                    form.wide.dates = d;
                }
            }
            "unit" => {
                if let Ok(u) = value.parse() {
                    form.wide.option_unit = u;
                }
            }
            // The key, the gateway and anything else are ignored: a link must not be able
            // to send the user's key somewhere else.
            _ => {}
        }
    }
    Link { form, source }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use deltaroll_core::product::ProductSpec;
    use deltaroll_core::spec::{RunSpec, VolSource};

    use super::*;
    use crate::state::form::default_spec;

    fn specs() -> Vec<RunSpec> {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let mut out = vec![default_spec()];
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
        out.push(s.clone());
        s.vol_source = VolSource::AtmImplied;
        s.rate = 1e-9;
        out.push(s);
        out
    }

    #[test]
    fn every_spec_survives_a_link_exactly() {
        for spec in specs() {
            for source in SourceKind::ALL {
                let query = encode(&FormState::from_spec(&spec), source);
                let link = decode(&format!("?{query}"));
                assert_eq!(link.source, Some(source));
                assert_eq!(link.form.spec().unwrap(), spec, "{query}");
                assert_eq!(encode(&link.form, source), query, "links are canonical");
            }
        }
    }

    #[test]
    fn wide_csv_settings_ride_along_only_when_not_the_clients() {
        let mut form = FormState::default();
        assert!(!encode(&form, SourceKind::Demo).contains("dates"));
        form.wide.dates = "iso".parse().unwrap();
        form.wide.option_unit = "quote".parse().unwrap();
        let query = encode(&form, SourceKind::Demo);
        assert!(query.ends_with("&dates=iso&unit=quote"), "{query}");
        assert_eq!(decode(&query).form, form);
        assert_eq!(decode("dates=julian&unit=bbl").form.wide, WideFormat::default());
    }

    #[test]
    fn the_default_link_reads_well() {
        let query = encode(&FormState::default(), SourceKind::Demo);
        assert_eq!(
            query,
            "src=demo&fut=HO&opt=OH&start=2025-01-01&end=2025-12-31&delta=0.15&band=0.02&k=2&kind=call&price=settlement&vol=own&rate=0.04&conv=discounted"
        );
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
        let link = decode("delta=abc&kind=straddle&vol=hist:x&price=vwap&start=2025-13-01");
        assert_eq!(link.form.target_delta, "abc");
        assert_eq!(link.form.kind, OptionKind::Call);
        assert_eq!(link.form.vol, VolChoice::Historical);
        assert_eq!(link.form.hist_days, "x");
        assert_eq!(link.form.price_source, PriceSource::Settlement);
        assert_eq!(link.source, None);
        assert_eq!(link.form.errors().len(), 3);
    }
}
