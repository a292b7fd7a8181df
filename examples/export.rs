//! Print an export of the demo run a share link describes, exactly as the web app downloads
//! it: `cargo run --example export -- '<query string>' [wide|tidy|pnl|json]`. The end-to-end
//! tests compare the browser's download with this.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use deltaroll_core::export::ExportFormat;
use deltaroll_web::engine;
use deltaroll_web::state::link;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let query = args.next().unwrap_or_default();
    let format = match args.next().as_deref().unwrap_or("wide").parse::<ExportFormat>() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let form = link::decode(&query).form;
    let spec = match form.spec() {
        Ok(spec) => spec,
        Err(errors) => {
            for e in errors {
                eprintln!("{}", e.message);
            }
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let market = engine::demo_market(&spec);
    let built = started.elapsed();
    let report = match engine::run_on(&spec, &market) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let ran = started.elapsed() - built;
    if std::env::var_os("DELTAROLL_TIMING").is_some() {
        eprintln!("demo market {:.1} ms, run {:.1} ms", built.as_secs_f64() * 1e3, ran.as_secs_f64() * 1e3);
    }
    match engine::export_bytes(&report, format, &form.wide()) {
        Ok(bytes) if std::io::stdout().write_all(&bytes).is_ok() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
