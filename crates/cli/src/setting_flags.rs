//! The run settings' flags, made from the core's settings table with clap's builder API:
//! one `--key` per setting, its help, value name and heading from the table. Values stay
//! text, so flags, environment and config file go through the same parsers.

use std::collections::BTreeMap;

use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};
use deltaroll_core::parse::allowed;
use deltaroll_core::settings::{Input, Setting, SETTINGS};

/// What the end date defaults to, computed from the clock.
pub const END_DATE_DEFAULT: &str = "yesterday, UTC";

/// The run settings given as flags, as text, by key.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SettingFlags {
    values: BTreeMap<&'static str, String>,
}

impl SettingFlags {
    /// The text given for `setting`, if any.
    pub fn get(&self, setting: &Setting) -> Option<&String> {
        self.values.get(setting.key)
    }

    /// These flags with `key` set to `text` (tests build flags this way).
    #[cfg(test)]
    pub fn with(mut self, key: &'static str, text: &str) -> Self {
        assert!(SETTINGS.iter().any(|s| s.key == key), "{key} is not a setting");
        self.values.insert(key, text.to_owned());
        self
    }
}

/// `--months-ahead K`: help, value name and heading from the table; a list's item flag
/// (`--leg`) may be repeated, once per item.
fn arg(setting: &'static Setting) -> Arg {
    let list = matches!(setting.input, Input::List(_));
    Arg::new(setting.key)
        .long(setting.flag().trim_start_matches("--").to_owned())
        .value_name(setting.value_name)
        .help(help(setting))
        .help_heading(setting.group.title())
        .allow_negative_numbers(matches!(setting.input, Input::Number))
        .action(if list { ArgAction::Append } else { ArgAction::Set })
}

/// The table's help line, the allowed values of a choice and the default.
fn help(setting: &Setting) -> String {
    let codes: Vec<&str> = setting.choices().iter().map(|c| c.code).collect();
    let choices = match setting.input {
        Input::Choice(_) if !setting.value_name.contains('|') => format!(" ({})", allowed(codes)),
        _ => String::new(),
    };
    let default = match setting.default_text() {
        Some(text) => format!(" [default: {text}]"),
        None if setting.key == "end_date" => format!(" [default: {END_DATE_DEFAULT}]"),
        None => " (required)".to_owned(),
    };
    format!("{}{choices}.{default}", setting.help)
}

impl Args for SettingFlags {
    fn augment_args(cmd: Command) -> Command {
        SETTINGS.iter().fold(cmd, |cmd, setting| cmd.arg(arg(setting)))
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for SettingFlags {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut flags = Self::default();
        flags.update_from_arg_matches(matches)?;
        Ok(flags)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        for setting in SETTINGS {
            // A list's items, one per flag, make one text: the items separated by commas.
            if let Ok(Some(items)) = matches.try_get_many::<String>(setting.key) {
                self.values.insert(setting.key, items.cloned().collect::<Vec<_>>().join(","));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Probe {
        #[command(flatten)]
        settings: SettingFlags,
    }

    #[test]
    fn every_setting_is_a_flag_with_its_help() {
        let mut args = vec!["deltaroll".to_owned()];
        for setting in SETTINGS {
            args.push(setting.flag());
            args.push(format!("text of {}", setting.key));
        }
        let probe = Probe::try_parse_from(&args).unwrap();
        for setting in SETTINGS {
            assert_eq!(probe.settings.get(setting), Some(&format!("text of {}", setting.key)));
        }
        let legs =
            Probe::try_parse_from(["deltaroll", "--leg", "short:call:0.15", "--leg", "short:put:0.15:3"]).unwrap();
        let legs_setting = deltaroll_core::settings::setting("legs").unwrap();
        assert_eq!(legs.settings.get(legs_setting).unwrap(), "short:call:0.15,short:put:0.15:3");
        let help = help(deltaroll_core::settings::setting("option_type").unwrap());
        assert_eq!(help, "Calls or puts (call or put). [default: call]");
        assert!(
            help_of("start_date").ends_with("(required)") && help_of("end_date").ends_with("[default: yesterday, UTC]")
        );
    }

    fn help_of(key: &str) -> String {
        help(deltaroll_core::settings::setting(key).unwrap())
    }
}
