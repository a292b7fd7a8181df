//! The app's state as plain structs with methods, tested natively: the form and its
//! validation, the data source, reaching it and what dropped files hold, share links, the run state machine and the report as shown.

pub mod app_error;
pub mod chain_view;
pub mod clock;
pub mod connection;
pub mod files;
pub mod form;
pub mod legs;
pub mod link;
pub mod money;
pub mod report_view;
pub mod roll_sort;
pub mod run;
pub mod source;
pub mod text;
pub mod zoom;
