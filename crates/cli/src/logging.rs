//! Logs on stderr through `tracing`: text for people, one JSON object per line
//! (`--log-format json`) for schedulers. Lines written while the progress bar is drawn
//! go around it. Nothing logged ever holds the API key: no event carries it, and
//! requests are logged by method and path only.

use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;

use indicatif::ProgressBar;
use tracing::level_filters::LevelFilter;

use crate::settings::LogSettings;

/// The progress bar being drawn, if any, so log lines can suspend it.
static BAR: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Set (or clear) the bar log lines must go around.
pub fn set_bar(bar: Option<ProgressBar>) {
    if let Ok(mut slot) = BAR.lock() {
        *slot = bar;
    }
}

/// Stderr, around the progress bar.
struct Stderr;

impl Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let bar = BAR.lock().ok().and_then(|b| b.clone());
        match bar {
            Some(bar) => bar.suspend(|| io::stderr().write_all(buf))?,
            None => io::stderr().write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

/// Install the global subscriber (once; later calls are ignored). Other crates (the HTTP
/// stack) log warnings and errors only, whatever the level.
pub fn init(settings: LogSettings) {
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::prelude::*;

    let level = LevelFilter::from_level(settings.level);
    let filter = Targets::new().with_default(level.min(LevelFilter::WARN)).with_target("deltaroll", level);
    let layer = tracing_subscriber::fmt::layer().with_writer(|| Stderr).with_target(false);
    let registry = tracing_subscriber::registry();
    let _ = if settings.json {
        let layer = layer.json().flatten_event(true).with_current_span(false).with_span_list(false);
        registry.with(layer.with_filter(filter)).try_init()
    } else {
        // People read the message; the structured fields are for the JSON form.
        let message_only = tracing_subscriber::fmt::format::debug_fn(|w, field, value| {
            if field.name() == "message" {
                write!(w, "{value:?}")
            } else {
                Ok(())
            }
        });
        let layer = layer.without_time().with_ansi(io::stderr().is_terminal()).fmt_fields(message_only);
        registry.with(layer.with_filter(filter)).try_init()
    };
}
