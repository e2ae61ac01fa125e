//! Which names a definition may give a question, a law entry or a template variable. At the
//! bottom of the layers, so the catalog and the jurisdiction schema both check names the same way
//! without depending on each other.

/// Whether `name` can be a template variable: a lower-case letter, then letters, digits, `_`.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
