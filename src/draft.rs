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
}

impl Draft {
    /// The file a family keeps: headers a person can read, a blank line, the letter.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if let Some(subject) = &self.subject {
            out.push_str(&format!("Subject: {subject}\n"));
        }
        if !self.to.is_empty() {
            let to: Vec<String> = self.to.iter().map(Person::line).collect();
            out.push_str(&format!("To: {}\n", to.join(", ")));
        }
        if !self.cc.is_empty() {
            let cc: Vec<String> = self.cc.iter().map(Person::line).collect();
            out.push_str(&format!("Cc: {}\n", cc.join(", ")));
        }
        if let Some(date) = self.reply_by {
            out.push_str(&format!("Reply-By: {date}\n"));
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&self.body);
        out
    }
}
