//! The run settings, each defined once (its key, help, input, default, parser and text
//! form), and their resolution from text. Every front end — CLI flags, environment, config
//! files, the web form and share links — iterates over [`SETTINGS`].

mod resolve;
mod setting;
mod table;
mod text;

pub use resolve::{resolve, setting, SettingError};
pub use setting::{Choice, ChoiceParam, Group, Input, RunSettings, Setting};
pub use table::SETTINGS;
