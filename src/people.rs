//! The people letters are written to: one [`Person`] (name, title, email) for a letter's
//! addressee and copies, for the record and for the email, and one [`Contact`] for someone the
//! family keeps in its case by role. At the bottom of the layers, so drafts, records, the
//! interview and the case all share them.

use serde::{Deserialize, Serialize};

use crate::lang::{Lang, fill};

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

/// The longest name iep takes for a person a letter is from, to or copied to. A name goes in
/// the email's From, To or Cc line, which must stay under 998 characters (RFC 5322 §2.1.1)
/// with the address beside it; 200 is far more than any real name.
pub const MAX_NAME_CHARS: usize = 200;

/// Refuses a name too long for an email header ([`MAX_NAME_CHARS`]).
pub fn check_name(text: &str) -> Result<(), crate::refused::Refused> {
    check_name_in(text, Lang::En)
}

/// [`check_name`], saying why in `lang`.
pub fn check_name_in(text: &str, lang: Lang) -> Result<(), crate::refused::Refused> {
    let n = text.chars().count();
    if n > MAX_NAME_CHARS {
        return Err(fill(
            lang.words().people.name_too_long,
            &[("n", &n.to_string()), ("max", &MAX_NAME_CHARS.to_string())],
        )
        .into());
    }
    Ok(())
}

/// A practical address check: one `@`, a dot in the domain, no spaces or line breaks. The same
/// rules lettre applies when sending, stated in a parent's words. Accented letters are taken in
/// the domain (written in its IDNA form, `xn--…`, in the email) but not before the `@`: that
/// needs SMTPUTF8 (RFC 6531) all the way to the school, which iep cannot know when writing.
pub fn check_email(text: &str) -> Result<(), crate::refused::Refused> {
    check_email_in(text, Lang::En)
}

/// [`check_email`], saying why in `lang`.
pub fn check_email_in(text: &str, lang: Lang) -> Result<(), crate::refused::Refused> {
    let w = &lang.words().people;
    let bad = || crate::refused::Refused(fill(w.not_email, &[("text", text)]));
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(if text.contains('\n') {
            w.email_one_line.into()
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
    if !(domain_ok && local_ok) {
        return Err(bad());
    }
    if !local.is_ascii() {
        return Err(fill(w.email_accented, &[("text", text)]).into());
    }
    if idna::domain_to_ascii(domain).is_err() {
        return Err(bad());
    }
    Ok(())
}
