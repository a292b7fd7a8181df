//! The one error of the core's text forms (`FromStr`), and the trait of the enums a user
//! picks by name, so that every front end lists and explains them alike.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

/// Text that is not what it should be: what it was, what was expected, and an example or
/// the allowed values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseError {
    /// The rejected text, as given.
    pub text: String,
    /// What it should have been, with its article: `a decimal number`.
    pub what: &'static str,
    /// The allowed values or an example: `call or put`, `e.g. 0.15`.
    pub expected: Cow<'static, str>,
}

impl ParseError {
    /// `text` is not `what` (`expected` lists the allowed values or an example).
    pub fn new(text: &str, what: &'static str, expected: impl Into<Cow<'static, str>>) -> Self {
        Self { text: text.to_owned(), what, expected: expected.into() }
    }

    /// The problem without the text, to follow a subject that already shows it:
    /// `is not a decimal number (e.g. 0.15)`, or `is empty: …` for blank text.
    pub fn problem(&self) -> String {
        let verb = if self.text.trim().is_empty() { "is empty: give" } else { "is not" };
        format!("{verb} {} ({})", self.what, self.expected)
    }

    /// A sentence about `subject` (a label or a flag): ``Target delta `x` is not …``.
    pub fn about(&self, subject: &str) -> String {
        if self.text.trim().is_empty() {
            format!("{subject} {}", self.problem())
        } else {
            format!("{subject} `{}` {}", self.text, self.problem())
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.text.trim().is_empty() {
            write!(f, "empty text is not {} ({})", self.what, self.expected)
        } else {
            write!(f, "`{}` is not {} ({})", self.text, self.what, self.expected)
        }
    }
}

impl std::error::Error for ParseError {}

/// An enum a user picks by name: every value, its code (flags, links, config files) and a
/// label for menus. Drop-downs and allowed-value lists are built from it.
pub trait Named: Copy + PartialEq + 'static {
    /// Every value, the default first where there is one.
    const ALL: &'static [Self];
    /// What a value is, with its article (`an option type`).
    const WHAT: &'static str;

    /// The code: `call`.
    fn code(self) -> &'static str;

    /// The menu label: `Calls`.
    fn label(self) -> &'static str;

    /// The value whose code is `text` (surrounding spaces ignored).
    fn from_code(text: &str) -> Result<Self, ParseError> {
        let code = text.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.code() == code)
            .ok_or_else(|| ParseError::new(text, Self::WHAT, allowed(Self::ALL.iter().map(|v| v.code()))))
    }
}

/// Implements [`Named`] for a field-less enum from one line per variant (its code and
/// label), with an inherent `as_str` (the code) and, when `from_str` is given, a `FromStr`
/// that accepts exactly the codes.
macro_rules! named {
    ($ty:ty, $what:literal $(, $from_str:ident)?; $($variant:ident => $code:literal, $label:literal;)+) => {
        impl $ty {
            /// The code, as written in flags, links and config files.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)+
                }
            }
        }

        impl $crate::parse::Named for $ty {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            const WHAT: &'static str = $what;

            fn code(self) -> &'static str {
                self.as_str()
            }

            fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }
        }

        $($crate::parse::named!(@$from_str $ty);)?
    };
    (@from_str $ty:ty) => {
        impl std::str::FromStr for $ty {
            type Err = $crate::parse::ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as $crate::parse::Named>::from_code(s)
            }
        }
    };
}
pub(crate) use named;

/// `a, b or c`.
pub fn allowed<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    let codes: Vec<&str> = codes.into_iter().collect();
    match codes.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_owned(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_text_and_what_was_expected() {
        let e = ParseError::new("4%", "a decimal number", "e.g. 0.04, no % sign");
        assert_eq!(e.to_string(), "`4%` is not a decimal number (e.g. 0.04, no % sign)");
        assert_eq!(e.about("The rate"), "The rate `4%` is not a decimal number (e.g. 0.04, no % sign)");
        let empty = ParseError::new(" ", "a date", "YYYY-MM-DD");
        assert_eq!(empty.about("Start"), "Start is empty: give a date (YYYY-MM-DD)");
        assert_eq!(allowed(["own", "atm", "hist:N"]), "own, atm or hist:N");
        assert_eq!(allowed(["us"]), "us");
    }
}
