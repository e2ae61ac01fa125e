//! The people letters are written to: one [`Person`] (name, title, email) for a letter's
//! addressee and copies, for the record and for the email, and one [`Contact`] for someone the
//! family keeps in its case by role. At the bottom of the layers, so drafts, records, the
//! interview and the case all share them.

use serde::{Deserialize, Serialize};

/// Someone a letter is addressed or copied to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Name as the parent typed it.
    pub name: String,
    /// Title in the jurisdiction's words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Email address, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl Person {
    /// "Ms. Patel, Principal", as a letter's cc list names them.
    pub fn name_and_title(&self) -> String {
        let mut s = self.name.clone();
        if !self.title.is_empty() && !self.name.is_empty() {
            s.push_str(", ");
        }
        s.push_str(&self.title);
        s
    }

    /// "Ms. Patel, Principal <apatel@example.org>".
    pub fn line(&self) -> String {
        let mut s = self.name_and_title();
        if let Some(email) = &self.email {
            s.push_str(&format!(" <{email}>"));
        }
        s
    }
}

/// Someone the family writes to, kept in the case by role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Role or ladder rung id: `principal`, `superintendent`.
    pub role: String,
    /// Name as the family greets them.
    pub name: String,
    /// Email address, if known.
    pub email: Option<String>,
}
