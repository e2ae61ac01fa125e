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

/// A practical address check: one `@`, a dot in the domain, no spaces or line breaks. The same
/// rules lettre applies when sending, stated in a parent's words.
pub fn check_email(text: &str) -> Result<(), crate::refused::Refused> {
    let bad = || {
        crate::refused::Refused(format!(
            "\"{text}\" is not an email address. It should look like name@example.org"
        ))
    };
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(if text.contains('\n') {
            "an email address must be on one line; remove the line break".into()
        } else {
            bad()
        });
    }
    let (local, domain) = text.split_once('@').ok_or_else(bad)?;
    let domain_ok = !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    let local_ok =
        !local.is_empty() && !local.contains(['<', '>', '(', ')', ',', ';', ':', '"', '[', ']']);
    if domain_ok && local_ok {
        Ok(())
    } else {
        Err(bad())
    }
}
