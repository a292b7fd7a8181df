//! Progress of a fetch: a bar on stderr when it is a terminal (and logs are text), log
//! events otherwise, so schedulers get lines instead of redraws.

use std::io::IsTerminal;
use std::time::Duration;

use deltaroll_databento::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::logging;

/// Turns the client's progress events into a bar or log lines.
pub struct Reporter {
    bar: Option<ProgressBar>,
}

impl Reporter {
    /// A bar when stderr is a terminal and `text_logs`, else log lines only.
    pub fn new(text_logs: bool) -> Self {
        let bar = (text_logs && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{prefix:>9} [{bar:30}] {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        logging::set_bar(bar.clone());
        Self { bar }
    }

    /// One event.
    pub fn event(&self, event: Progress) {
        match event {
            Progress::Phase { phase, requests } => {
                tracing::info!(phase, requests, "phase {phase}/3: {} ({requests} request(s))", phase_name(phase));
                if let Some(bar) = &self.bar {
                    bar.set_prefix(format!("phase {phase}/3"));
                    bar.set_length(requests as u64);
                    bar.set_position(0);
                }
            }
            Progress::Done { label, done, total, bytes, cached, saved } => {
                let how = match (cached, saved) {
                    (true, _) => "cached",
                    (false, true) => "fetched and cached",
                    (false, false) => "fetched, not kept in the cache",
                };
                tracing::debug!(done, total, bytes, cached, saved, "{how} {label}");
                if let Some(bar) = &self.bar {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                    bar.set_message(label);
                }
            }
            Progress::Retrying { label, attempt, wait, reason } => {
                let wait_ms = wait.as_millis() as u64;
                tracing::warn!(
                    attempt,
                    wait_ms,
                    "attempt {attempt} at {label} failed, retrying in {wait_ms} ms: {reason}"
                );
            }
        }
    }

    /// Remove the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        logging::set_bar(None);
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        self.finish();
    }
}

fn phase_name(phase: u8) -> &'static str {
    match phase {
        1 => "futures daily bars and prices",
        2 => "option chains on the roll dates",
        3 => "the held options' daily prices",
        _ => "requests",
    }
}
