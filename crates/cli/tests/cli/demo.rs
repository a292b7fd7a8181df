//! `--demo`: the same bytes as the core's writer on the core's strategy over the demo
//! market, in every format and with the wide CSV's settings, labelled as simulated; the
//! P&L with a fee, its summary logged at the end.

use deltaroll_core::demo::{demo_market_for, DEMO_LABEL};
use deltaroll_core::export::{DateStyle, ExportFormat, ManifestOptions, OptionUnit, WideFormat};
use deltaroll_core::spec::RunSpec;

use crate::{deltaroll, texts};

fn core_bytes(spec: &RunSpec, format: ExportFormat, wide: &WideFormat) -> Vec<u8> {
    let report = deltaroll_core::strategy::run(spec, &demo_market_for(spec)).unwrap();
    let mut out = Vec::new();
    format.write_with(&report, wide, &mut out).unwrap();
    out
}

fn cli_bytes(start: &str, end: &str, format: ExportFormat, extra: &[&str]) -> Vec<u8> {
    let home = tempfile::tempdir().unwrap();
    let out = deltaroll(home.path())
        .args(["--demo", "--start-date", start, "--end-date", end, "--format", format.as_str()])
        .args(extra)
        .output()
        .unwrap();
    let (_, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains(DEMO_LABEL), "stderr says the data is simulated: {stderr}");
    out.stdout
}

#[test]
fn demo_output_equals_the_cores_export_in_every_format() {
    // Outside the default demo window the market is built over the run's own dates (same
    // seed): small, so this stays fast in debug builds.
    let (start, end) = ("2027-01-04", "2027-03-31");
    let mut spec = RunSpec::new(start.parse().unwrap(), end.parse().unwrap());
    spec.target_delta = 0.2;
    spec.kind = deltaroll_core::contract::OptionKind::Put;
    for format in [ExportFormat::Wide, ExportFormat::Tidy, ExportFormat::Pnl, ExportFormat::Json] {
        let cli = cli_bytes(start, end, format, &["--delta", "0.2", "--option-type", "put"]);
        let core = core_bytes(&spec, format, &WideFormat::default());
        assert!(!core.is_empty());
        assert_eq!(String::from_utf8(cli).unwrap(), String::from_utf8(core).unwrap(), "{format:?}");
    }
}

#[test]
fn the_pnl_csv_charges_the_fee_at_entry_and_the_log_ends_with_the_summary() {
    let (start, end) = ("2027-01-04", "2027-03-31");
    let home = tempfile::tempdir().unwrap();
    let out = deltaroll(home.path())
        .args(["--demo", "--start-date", start, "--end-date", end, "--format", "pnl", "--fee", "2.5"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    // The options chosen before the start are carried in at the first row's value; the
    // January roll's enters that day paying the fee.
    assert!(stdout.starts_with("date,long 1 call 0.15,total,cumulative\n2027-01-04,-2.5,-2.5,-2.5\n"), "{stdout}");
    let mut spec = RunSpec::new(start.parse().unwrap(), end.parse().unwrap());
    spec.fee = 2.5;
    assert_eq!(stdout.as_bytes(), core_bytes(&spec, ExportFormat::Pnl, &WideFormat::default()));
    let last = stderr.lines().rfind(|l| l.contains("P&L ")).unwrap_or_else(|| panic!("{stderr}"));
    assert!(last.contains("max drawdown") && last.contains("complete rolls made money"), "{last}");
}

#[test]
fn demo_runs_read_the_market_every_front_end_uses_for_the_spec() {
    // `demo_market_for`, as in the web app: the manifest's data hash proves which market
    // was read.
    let (start, end) = ("2024-01-02", "2024-02-29");
    let spec = RunSpec::new(start.parse().unwrap(), end.parse().unwrap());
    let cli = cli_bytes(start, end, ExportFormat::Json, &[]);
    let core = core_bytes(&spec, ExportFormat::Json, &WideFormat::default());
    assert_eq!(String::from_utf8(cli).unwrap(), String::from_utf8(core.clone()).unwrap());
    let manifest: serde_json::Value = serde_json::from_slice(&core).unwrap();
    assert_eq!(manifest["data_source"], DEMO_LABEL);
}

#[test]
fn manifest_chains_adds_each_rolls_chain_and_nothing_else() {
    let (start, end) = ("2024-01-02", "2024-02-29");
    let spec = RunSpec::new(start.parse().unwrap(), end.parse().unwrap());
    let report = deltaroll_core::strategy::run(&spec, &demo_market_for(&spec)).unwrap();
    let mut core = Vec::new();
    let chains = ManifestOptions { chains: true };
    ExportFormat::Json.write_full(&report, &WideFormat::default(), chains, &mut core).unwrap();
    let cli = cli_bytes(start, end, ExportFormat::Json, &["--manifest-chains"]);
    assert_eq!(String::from_utf8(cli.clone()).unwrap(), String::from_utf8(core).unwrap());
    let mut with: serde_json::Value = serde_json::from_slice(&cli).unwrap();
    let plain: serde_json::Value = serde_json::from_slice(&cli_bytes(start, end, ExportFormat::Json, &[])).unwrap();
    for roll in with["rolls"].as_array_mut().unwrap() {
        let chain = roll.as_object_mut().unwrap().remove("chain").unwrap();
        let chosen: Vec<_> = chain.as_array().unwrap().iter().filter(|c| c["chosen"] == true).collect();
        assert_eq!(chosen.len(), usize::from(!roll["symbol"].is_null()), "{roll}");
        assert!(chosen.iter().all(|c| c["symbol"] == roll["symbol"] && c["strike"] == roll["strike"]));
        assert_eq!(chain.as_array().unwrap().len(), roll["chain_size"].as_u64().unwrap_or(0) as usize);
    }
    assert_eq!(with, plain, "the flag adds the chains and nothing else");
    assert!(plain["rolls"].as_array().unwrap().iter().all(|r| r.get("chain").is_none()));
}

#[test]
fn iso_dates_and_usd_options_give_the_cores_wide_csv_with_those_settings() {
    let (start, end) = ("2027-01-04", "2027-03-31");
    let spec = RunSpec::new(start.parse().unwrap(), end.parse().unwrap());
    let wide = WideFormat { dates: DateStyle::Iso, option_unit: OptionUnit::Quote, ..WideFormat::default() };
    let core = core_bytes(&spec, ExportFormat::Wide, &wide);
    let cli = cli_bytes(start, end, ExportFormat::Wide, &["--dates", "iso", "--option-unit", "quote"]);
    let (cli, core) = (String::from_utf8(cli).unwrap(), String::from_utf8(core).unwrap());
    assert_eq!(cli, core);
    let default = String::from_utf8(cli_bytes(start, end, ExportFormat::Wide, &[])).unwrap();
    assert_ne!(cli, default, "the settings change the output");
    let first_date = |csv: &str| csv.lines().nth(1).and_then(|l| l.split(',').next()).unwrap().to_owned();
    assert!(DateStyle::Iso.parse(&first_date(&cli)).is_some(), "{cli}");
    assert!(DateStyle::Us.parse(&first_date(&default)).is_some(), "{default}");
}

#[test]
fn the_demo_dry_run_costs_nothing() {
    let home = tempfile::tempdir().unwrap();
    let out = deltaroll(home.path())
        .args(["--demo", "--start-date", "2027-01-04", "--end-date", "2027-01-08", "--dry-run"])
        .output()
        .unwrap();
    let (stdout, _) = texts(&out);
    assert!(out.status.success());
    assert!(stdout.contains(DEMO_LABEL) && stdout.contains("nothing is fetched"), "{stdout}");
}

#[test]
fn the_natural_gas_demo_is_its_own_market_in_its_units() {
    let (start, end) = ("2025-01-02", "2025-03-31");
    let mut spec = RunSpec::new(start.parse().unwrap(), end.parse().unwrap());
    spec.product = deltaroll_core::product::ProductSpec::preset("NG").unwrap();
    for format in [ExportFormat::Wide, ExportFormat::Json] {
        let cli = cli_bytes(start, end, format, &["--product", "NG"]);
        assert_eq!(cli, core_bytes(&spec, format, &WideFormat::default()), "{format:?}");
    }
    let csv = String::from_utf8(cli_bytes(start, end, ExportFormat::Wide, &["--product", "NG"])).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert!(header[2..].iter().all(|symbol| symbol.starts_with("ON")), "{header:?}");
    // Henry Hub futures in USD/MMBtu, on the 0.001 tick: nowhere near HO's or a crude price.
    for line in csv.lines().skip(1) {
        let future: f64 = line.split(',').nth(1).unwrap().parse().unwrap();
        assert!((1.0..10.0).contains(&future) && ((future * 1000.0).round() - future * 1000.0).abs() < 1e-6, "{line}");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&cli_bytes(start, end, ExportFormat::Json, &["--product", "NG"])).unwrap();
    assert_eq!(json["data_source"], DEMO_LABEL);
    assert!(json.to_string().contains("Henry Hub natural gas"));
}

#[test]
fn repeated_leg_flags_run_a_strangle_with_a_pnl_column_per_leg() {
    let (start, end) = ("2027-01-04", "2027-03-31");
    let legs = ["--leg", "short:call:0.15", "--leg", "short:put:0.15:2:2"];
    let mut spec = RunSpec::new(start.parse().unwrap(), end.parse().unwrap());
    spec.legs = deltaroll_core::legs::parse_legs("short:call:0.15,short:put:0.15:2:2", 2).unwrap();
    for format in [ExportFormat::Wide, ExportFormat::Tidy, ExportFormat::Pnl, ExportFormat::Json] {
        let cli = cli_bytes(start, end, format, &legs);
        assert_eq!(
            String::from_utf8(cli).unwrap(),
            String::from_utf8(core_bytes(&spec, format, &WideFormat::default())).unwrap(),
            "{format:?}"
        );
    }
    let pnl = String::from_utf8(cli_bytes(start, end, ExportFormat::Pnl, &legs)).unwrap();
    assert!(pnl.starts_with("date,short 1 call 0.15,short 2 put 0.15,total,cumulative\n"), "{pnl}");
    let tidy = String::from_utf8(cli_bytes(start, end, ExportFormat::Tidy, &legs)).unwrap();
    assert!(tidy.lines().next().unwrap().ends_with(",delta,leg"), "{tidy}");
    assert!(tidy.lines().any(|l| l.contains(" P") && l.ends_with(",2")), "put rows are leg 2: {tidy}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&cli_bytes(start, end, ExportFormat::Json, &legs)).unwrap();
    assert_eq!(manifest["spec"]["legs"][1]["kind"], "put");
    assert_eq!(manifest["pnl"]["legs"][1]["label"], "short 2 put 0.15");
    assert!(manifest["rolls"].as_array().unwrap().iter().any(|r| r["leg"] == 2));

    let home = tempfile::tempdir().unwrap();
    let out =
        deltaroll(home.path()).args(["--demo", "--start-date", start, "--print-config"]).args(legs).output().unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.lines().any(|l| l.starts_with("legs ") && l.contains("short:call:0.15,short:put:0.15:2:2")),
        "{stdout}"
    );
}

/// The demo short strangle over 2021–2025 runs natively and writes the core's bytes in
/// every format (the web app's engine writes the core's bytes for the same link: its own
/// test, `a_strangle_link_exports_the_cores_bytes`).
#[test]
fn a_five_year_short_strangle_runs_natively_with_the_cores_bytes() {
    let (start, end) = ("2021-01-04", "2025-12-31");
    let legs = ["--leg", "short:call:0.15", "--leg", "short:put:0.15"];
    let mut spec = RunSpec::new(start.parse().unwrap(), end.parse().unwrap());
    spec.legs = deltaroll_core::legs::parse_legs("short:call:0.15,short:put:0.15", 2).unwrap();
    let report = deltaroll_core::strategy::run(&spec, &demo_market_for(&spec)).unwrap();
    assert!(report.rolls.iter().all(|r| r.choice.is_some()), "every roll of both legs chooses");
    for format in [ExportFormat::Wide, ExportFormat::Tidy, ExportFormat::Pnl, ExportFormat::Json] {
        let mut core = Vec::new();
        format.write(&report, &mut core).unwrap();
        assert_eq!(cli_bytes(start, end, format, &legs), core, "{format:?}");
    }
}
