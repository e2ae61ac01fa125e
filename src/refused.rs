//! [`Refused`]: why something a person gave (an answer, a definition, a hand-edited file) was
//! not taken, in words for that person. A type of its own, so a caller can tell a refusal from a
//! failure to read or write, and so no function returns a bare `String` as its error.

/// A refusal, with what was wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

impl From<String> for Refused {
    fn from(message: String) -> Self {
        Refused(message)
    }
}

impl From<&str> for Refused {
    fn from(message: &str) -> Self {
        Refused(message.to_owned())
    }
}

/// A refusal reads as its message.
impl std::ops::Deref for Refused {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}
