//! The app's state as plain structs with methods, tested natively: the form and its
//! validation, the data source, share links, the run state machine and the report as shown.

pub mod app_error;
pub mod clock;
pub mod form;
pub mod legs;
pub mod link;
pub mod report_view;
pub mod run;
pub mod source;
pub mod text;
