//! Wording shared by the messages of the state modules.

/// A message as a sentence: first letter capitalised (the client's messages start in lower
/// case so they can follow a colon), its `code` spans [`quoted`].
pub fn sentence(message: &str) -> String {
    let message = quoted(message);
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A message for the page: the backticks the terminal's messages put around typed text
/// and commands become quotation marks (“`x`” reads as “x”).
pub fn quoted(message: &str) -> String {
    let mut open = true;
    message
        .chars()
        .map(|c| match c {
            '`' => {
                open = !open;
                if open {
                    '”'
                } else {
                    '“'
                }
            }
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_sentences() {
        assert_eq!(sentence("the browser could not reach x"), "The browser could not reach x");
        assert_eq!(sentence("Databento refused"), "Databento refused");
        assert_eq!(sentence(""), "");
        assert_eq!(sentence("`fifteen` is not a decimal"), "“fifteen” is not a decimal");
        assert_eq!(quoted("use `deltaroll relay` or `x`."), "use “deltaroll relay” or “x”.");
    }
}
