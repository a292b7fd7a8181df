//! The effect of early exercise on the strategy: the default HO run, 2021–2025, on the
//! demo market (as every front end builds it, `DemoConfig::for_spec`), once with
//! Black-76 and once with Barone-Adesi–Whaley, counting the rolls whose chosen strike
//! differs. The README quotes the count; this test keeps it true.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use deltaroll_core::demo::{demo_market, DemoConfig};
use deltaroll_core::export::{model_note, ExportFormat, BAW_MODEL_NOTE};
use deltaroll_core::pricing::Model;
use deltaroll_core::spec::RunSpec;
use deltaroll_core::strategy::run;

/// Rolls of the default run 2021–2025 whose strike differs between the models.
const DIFFERENT_STRIKES: usize = 0;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn baw_changes_few_strikes_of_the_default_run() {
    let black = RunSpec::new(d(2021, 1, 1), d(2025, 12, 31));
    let baw = RunSpec { model: Model::Baw, ..black.clone() };
    let market = demo_market(&DemoConfig::for_spec(&black));
    let (a, b) = (run(&black, &market).unwrap(), run(&baw, &market).unwrap());
    assert_eq!(a.rolls.len(), b.rolls.len());
    let mut chosen = 0;
    let mut differ = Vec::new();
    let (mut iv_gap, mut delta_gap) = (0.0f64, 0.0f64);
    for (x, y) in a.rolls.iter().zip(&b.rolls) {
        assert_eq!((x.month, x.date, x.target), (y.month, y.date, y.target));
        if let (Some(sx), Some(sy)) = (&x.choice, &y.choice) {
            chosen += 1;
            // the American premium is never below the European one: same price, lower vol
            assert!(sy.iv <= sx.iv * (1.0 + 1e-12) || sx.symbol != sy.symbol, "{}", x.month);
            if sx.symbol == sy.symbol {
                iv_gap = iv_gap.max((sx.iv - sy.iv) / sx.iv);
                delta_gap = delta_gap.max((sx.delta - sy.delta).abs());
            }
            if sx.strike != sy.strike {
                differ.push(format!("{}: {} -> {}", x.month, sx.strike.value(), sy.strike.value()));
            }
        } else {
            assert_eq!(x.choice.is_some(), y.choice.is_some(), "{}", x.month);
        }
    }
    println!(
        "{} of {chosen} rolls pick a different strike under BAW {differ:?}; same pick: vol lower by up to {:.2e} relative, delta apart by up to {delta_gap:.2e}",
        differ.len(),
        iv_gap
    );
    assert!(iv_gap > 0.0, "BAW was not used");
    assert_eq!(differ.len(), DIFFERENT_STRIKES, "{differ:?}");

    // the manifest names the model
    let manifest = |report| {
        let mut out = Vec::new();
        ExportFormat::Json.write(report, &mut out).unwrap();
        serde_json::from_slice::<serde_json::Value>(&out).unwrap()
    };
    let (ma, mb) = (manifest(&a), manifest(&b));
    assert_eq!(ma["model"], model_note(Model::Black76));
    assert_eq!((ma["spec"]["model"].as_str(), mb["spec"]["model"].as_str()), (Some("black76"), Some("baw")));
    assert_eq!(mb["model"], BAW_MODEL_NOTE);
}
