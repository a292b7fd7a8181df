//! Wording shared by the messages of the state modules.

/// A message as a sentence: first letter capitalised (the client's messages start in lower
/// case so they can follow a colon).
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_sentences() {
        assert_eq!(sentence("the browser could not reach x"), "The browser could not reach x");
        assert_eq!(sentence("Databento refused"), "Databento refused");
        assert_eq!(sentence(""), "");
    }
}
