//! A rendered letter and its plain-text file.

use chrono::NaiveDate;

use crate::people::Person;

/// A letter ready to save or send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Letter id.
    pub letter: String,
    /// Letter title.
    pub title: String,
    /// What it asks for, in one line (for the case log).
    pub asked: String,
    /// The questions it puts to the school, one per numbered line.
    pub asks: Vec<String>,
    /// The role or ladder rung written to.
    pub to_role: Option<String>,
    /// Subject line (email letters).
    pub subject: Option<String>,
    /// Addressed to.
    pub to: Vec<Person>,
    /// Copied to.
    pub cc: Vec<Person>,
    /// Reply-by date, if the letter asks for one.
    pub reply_by: Option<NaiveDate>,
    /// The window the reply-by date was counted on: "10 school days".
    pub reply_window: Option<String>,
    /// How the reply-by date was counted, with the holidays and breaks skipped: "10 school days
    /// after December 18, 2026, not counting Christmas Day (December 25, 2026) and …".
    pub reply_counted: Option<String>,
    /// What iep does not know about that date (school breaks outside a case, an unscheduled
    /// holiday), one sentence each.
    pub reply_caveats: Vec<String>,
    /// The letter's text.
    pub body: String,
    /// The language it is written in.
    pub lang: crate::lang::Lang,
}

impl Draft {
    /// The letter a family prints and signs: the body alone. In a case this is the record's
    /// `letter.txt`, and the text part of its `letter.eml`; the subject, the addresses and the
    /// reply-by date are kept in `record.toml` and the email's headers.
    pub fn to_text(&self) -> String {
        self.body.clone()
    }

    /// What an email needs that a printed page does not: `Subject:`, `To:` and `Cc:` lines,
    /// or nothing for a letter with none of them.
    pub fn email_lines(&self) -> String {
        let mut out = String::new();
        let fr = self.lang == crate::lang::Lang::Fr;
        let (subject_label, to_label, cc_label) = if fr {
            ("Objet\u{a0}:", "À\u{a0}:", "Cc\u{a0}:")
        } else {
            ("Subject:", "To:", "Cc:")
        };
        if let Some(subject) = &self.subject {
            out.push_str(&format!("{subject_label} {subject}\n"));
        }
        let line = |people: &[Person]| {
            people
                .iter()
                .map(Person::line)
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.to.is_empty() {
            out.push_str(&format!("{to_label} {}\n", line(&self.to)));
        }
        if !self.cc.is_empty() {
            out.push_str(&format!("{cc_label} {}\n", line(&self.cc)));
        }
        out
    }

    /// A letter saved outside a case (or printed with `--output -`): the letter first, as it is
    /// printed, then, after a line that says so, what the email needs. A family that prints the
    /// file can stop at the line; nothing above it is anything but the letter.
    pub fn to_file(&self) -> String {
        let lines = self.email_lines();
        if lines.is_empty() {
            return self.to_text();
        }
        let mut out = self.to_text();
        if !out.ends_with('\n') {
            out.push('\n');
        }
        let rule = match self.lang {
            crate::lang::Lang::Fr => EMAIL_RULE_FR,
            crate::lang::Lang::En => EMAIL_RULE,
        };
        out.push_str(&format!("\n{rule}\n{lines}"));
        out
    }
}

/// The line between a saved letter and its email details.
pub const EMAIL_RULE: &str =
    "---------- Not part of the letter: for the email (do not print below this line) ----------";

/// The same line under a letter in French.
pub const EMAIL_RULE_FR: &str = "---------- Hors de la lettre\u{a0}: pour le courriel (ne pas imprimer sous cette ligne) ----------";
