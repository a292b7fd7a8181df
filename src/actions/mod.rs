//! What buttons do: start, estimate, fetch, cancel, load files, download, manage the cache.
//! They move the run state machine and call the engine (compute), the API module (network)
//! and storage; components only call these.
//!
//! - [`run`]: Run and Cancel (demo and files compute, Databento estimates then fetches, a
//!   shared link restores from the cache), each asynchronous step through [`step`];
//! - [`keys`]: Enter in a field and the "out of date" banner press Run;
//! - [`source`]: dropped files, the key, the connection test;
//! - [`page`]: downloads, the share link, the response cache;
//! - [`timing`]: the measurements the benchmark reads.

mod keys;
mod page;
mod run;
mod source;
mod step;
mod timing;

pub use keys::{enter_runs, press_run};
pub use page::{clear_cache, copy_link, download};
pub use run::{cancel, on_start, start};
pub use source::{clear_files, copy_command, forget_key, load_files, test_connection};
pub use step::next_frame;
pub use timing::{chart_drawn, mark, measure, now};
