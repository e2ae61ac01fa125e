//! A question a letter asks, and how an answer to it is read and checked.
//!
//! Reading and checking live here, beside the definition, so that a typed answer, a `--set`
//! value and a value from an answers file all pass the same checks with the same messages.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::answers::Value;
use crate::dates::{DateKind, parse_kind_in};

/// The kind of input a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// One line of text.
    #[default]
    Text,
    /// Several lines of text.
    LongText,
    /// A date (typed as 2026-11-03 or November 3, 2026).
    Date,
    /// One of `choices`.
    Choice,
    /// Any number of `choices`.
    MultiChoice,
    /// Yes or no.
    YesNo,
    /// An email address.
    Email,
    /// A person's name: one line, at most [`crate::people::MAX_NAME_CHARS`] characters, since
    /// it goes in an email header.
    Name,
    /// A list of items: one line each, or, with `fields`, a small form each.
    List,
}

impl Kind {
    /// The word shown to pack authors and in `iep letters show`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::LongText => "long text",
            Kind::Date => "date",
            Kind::Choice => "choice",
            Kind::MultiChoice => "multi-choice",
            Kind::YesNo => "yes/no",
            Kind::Email => "email address",
            Kind::Name => "name",
            Kind::List => "list",
        }
    }
}

/// One choice: written as `"value"` or `{ value = "...", label = "..." }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ChoiceDef {
    /// The value is also the label.
    Plain(String),
    /// A value with a label shown to the parent.
    Labelled {
        /// What the template receives.
        value: String,
        /// What the parent sees.
        label: String,
    },
}

/// A choice as the interview shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Choice {
    /// What the template receives.
    pub value: String,
    /// What the parent sees.
    pub label: String,
}

impl From<ChoiceDef> for Choice {
    fn from(def: ChoiceDef) -> Self {
        match def {
            ChoiceDef::Plain(v) => Choice {
                label: v.clone(),
                value: v,
            },
            ChoiceDef::Labelled { value, label } => Choice { value, label },
        }
    }
}

/// Where a choice question takes its choices from, when they are not listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChoicesFrom {
    /// The rungs of the jurisdiction's escalation ladder a family can write to.
    Ladder,
    /// Everyone a family may write to: the jurisdiction's roles, then the ladder's offices.
    People,
    /// The questions an earlier letter put to the school (filled in by `iep reply`).
    Asks,
    /// The kinds of school body a jurisdiction has (Quebec: school service centre or school
    /// board); no choices, and so not asked, where it has one.
    BoardKinds,
}

/// What a case can offer as ready-made items for a list question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Offer {
    /// Observations recorded with `iep observe`; the list needs `date` and `what` fields.
    Observations,
    /// Earlier letters in the case and their replies; the list needs `date`, `person`, `asked`
    /// and `reply` fields.
    Letters,
    /// What `iep check` found in a plan (`iep write --from-check FILE`); the list needs `quote`
    /// and `ask` fields.
    Findings,
}

impl Offer {
    /// The fields a list must have to take this offer.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Offer::Observations => &["date", "what"],
            Offer::Letters => &["date", "person", "asked", "reply"],
            Offer::Findings => &["quote", "ask"],
        }
    }

    /// Its name in `letter.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Offer::Observations => "observations",
            Offer::Letters => "letters",
            Offer::Findings => "findings",
        }
    }
}

/// What each line of a plain list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    /// One line of text.
    #[default]
    Text,
    /// A date, or a first and last day ("December 21, 2026 to January 1, 2027"), kept as ISO
    /// dates. Checked by [`crate::calendar::Closed::parse`]: the end not before the start, at
    /// most a year long.
    DateRange,
}

/// A question as written in TOML (`[[questions]]` in `letter.toml` or `common.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct QuestionDef {
    /// The answer's name in templates and answers files: lower case, digits and `_`.
    pub key: String,
    /// The kind of input.
    #[serde(default)]
    pub kind: Option<Kind>,
    /// The question, in plain words. May use `{{ j.* }}` and earlier answers.
    pub prompt: Option<String>,
    /// One or two sentences on why it is asked or how to answer.
    pub help: Option<String>,
    /// An example answer.
    pub example: Option<String>,
    /// The answer used when the parent gives none (a string may use `{{ }}`; for dates, `today`).
    pub default: Option<toml::Value>,
    /// Whether an answer is needed (default true).
    pub required: Option<bool>,
    /// Ask only when this tera expression is true, for example `has_report` or `rung == "ombudsman"`.
    pub when: Option<String>,
    /// For `choice` and `multi-choice`.
    #[serde(default)]
    pub choices: Vec<ChoiceDef>,
    /// For `choice`: take the choices from the jurisdiction instead.
    pub choices_from: Option<ChoicesFrom>,
    /// For `list`: each item is a small form with these fields.
    #[serde(default)]
    pub fields: Vec<QuestionDef>,
    /// For `list`: what one item is called ("example", "earlier contact").
    pub item: Option<String>,
    /// For a `list` without `fields`: what each line holds (`text`, or `date-range`).
    pub item_kind: Option<ItemKind>,
    /// For `date`: refuse dates after the letter's date.
    #[serde(default)]
    pub not_future: bool,
    /// For `list`, inside a case: offer these recorded items as answers.
    pub offer: Option<Offer>,
}

/// A question ready to ask: defaults filled in, choices resolved.
#[derive(Debug, Clone)]
pub struct Question {
    /// Answer name.
    pub key: String,
    /// Input kind.
    pub kind: Kind,
    /// Prompt template.
    pub prompt: String,
    /// Help template.
    pub help: Option<String>,
    /// Example.
    pub example: Option<String>,
    /// Default.
    pub default: Option<toml::Value>,
    /// Needed or not.
    pub required: bool,
    /// Condition, a tera expression.
    pub when: Option<String>,
    /// Choices (for a ladder question, filled in once the jurisdiction is known).
    pub choices: Vec<Choice>,
    /// Where choices come from.
    pub choices_from: Option<ChoicesFrom>,
    /// List item fields.
    pub fields: Vec<Question>,
    /// What one list item is called.
    pub item: String,
    /// What each line of a plain list holds.
    pub item_kind: ItemKind,
    /// Dates after the letter's date are refused.
    pub not_future: bool,
    /// Recorded items a case offers as answers.
    pub offer: Option<Offer>,
    /// For `date`: which range of days is accepted. A key ending in `dob` is a birth date;
    /// a form sets its own (an observation's date, a reply's); any other is a date in a letter.
    pub dates: DateKind,
    /// The language of its words: an answer is read (a French date) and refused in it.
    pub lang: crate::lang::Lang,
}

impl Question {
    /// Builds a question from its definition, checking what the schema alone cannot.
    pub fn from_def(def: QuestionDef) -> Result<Self, crate::refused::Refused> {
        if !super::is_identifier(&def.key) {
            return Err(format!(
                "question key `{}` must start with a letter and use only lower-case letters, digits and `_`",
                def.key
            ).into());
        }
        let kind = def.kind.unwrap_or_default();
        let prompt = def
            .prompt
            .ok_or_else(|| format!("question `{}` has no `prompt`", def.key))?;
        let needs_choices = matches!(kind, Kind::Choice | Kind::MultiChoice);
        if needs_choices && def.choices.is_empty() && def.choices_from.is_none() {
            return Err(format!(
                "question `{}` is a {} but lists no `choices`",
                def.key,
                kind.name()
            )
            .into());
        }
        if !needs_choices && (!def.choices.is_empty() || def.choices_from.is_some()) {
            return Err(format!(
                "question `{}` has `choices` but is a {}, not a choice",
                def.key,
                kind.name()
            )
            .into());
        }
        if kind != Kind::List && (!def.fields.is_empty() || def.item.is_some()) {
            return Err(format!(
                "question `{}` has `fields` or `item`, which only a list takes",
                def.key
            )
            .into());
        }
        if def.item_kind.is_some() && (kind != Kind::List || !def.fields.is_empty()) {
            return Err(format!(
                "question `{}` has `item-kind`, which only a list without `fields` takes",
                def.key
            )
            .into());
        }
        if def.not_future && kind != Kind::Date {
            return Err(format!(
                "question `{}` has `not-future`, which only a date takes",
                def.key
            )
            .into());
        }
        if let Some(offer) = def.offer {
            let missing: Vec<&str> = offer
                .fields()
                .iter()
                .copied()
                .filter(|f| !def.fields.iter().any(|d| d.key == *f))
                .collect();
            if kind != Kind::List || !missing.is_empty() {
                return Err(format!(
                    "question `{}` has `offer = \"{}\"`, which needs a list with the fields {}",
                    def.key,
                    offer.name(),
                    offer.fields().join(", ")
                )
                .into());
            }
        }
        let mut fields = Vec::with_capacity(def.fields.len());
        for field in def.fields {
            let field = Question::from_def(field)?;
            if field.when.is_some() {
                return Err(format!(
                    "list `{}`: field `{}` cannot have `when`; every part of an item is asked",
                    def.key, field.key
                )
                .into());
            }
            if matches!(field.kind, Kind::List | Kind::MultiChoice) {
                return Err(format!(
                    "list `{}`: field `{}` cannot itself be a {}",
                    def.key,
                    field.key,
                    field.kind.name()
                )
                .into());
            }
            fields.push(field);
        }
        let item = def.item.unwrap_or_else(|| "item".to_owned());
        let dates = if def.key == "dob" || def.key.ends_with("_dob") {
            DateKind::Birth
        } else {
            DateKind::Answer
        };
        let q = Question {
            key: def.key,
            kind,
            prompt,
            help: def.help,
            example: def.example,
            default: def.default,
            required: def.required.unwrap_or(true),
            when: def.when,
            choices: def.choices.into_iter().map(Choice::from).collect(),
            choices_from: def.choices_from,
            fields,
            item,
            item_kind: def.item_kind.unwrap_or_default(),
            not_future: def.not_future,
            offer: def.offer,
            dates,
            lang: crate::lang::Lang::En,
        };
        if let Some(default) = &q.default {
            // A default is checked like an answer, so a typo in a pack fails when it is loaded.
            let literal = matches!(default, toml::Value::String(s) if s.contains("{{") || (q.kind == Kind::Date && s == "today"));
            if !literal {
                q.from_toml(default, None)
                    .map_err(|e| format!("question `{}`: default: {e}", q.key))?;
            }
        }
        Ok(q)
    }

    /// Whether the answer is one line of text (a newline is refused).
    fn one_line(&self) -> bool {
        matches!(
            self.kind,
            Kind::Text | Kind::Name | Kind::Email | Kind::Choice
        )
    }

    /// Reads a typed answer (from a prompt or `--set`). `today` is the letter's date, for
    /// `not-future`; `None` skips that check.
    pub fn from_text(
        &self,
        text: &str,
        today: Option<NaiveDate>,
    ) -> Result<Value, crate::refused::Refused> {
        let w = self.lang.words();
        let controls = |t: &str, multi: bool| -> Result<(), crate::refused::Refused> {
            check_controls(t, multi).map_err(|e| e.message(self.lang).into())
        };
        match self.kind {
            Kind::Text | Kind::LongText | Kind::Name => {
                let t = tidy(text, self.kind == Kind::LongText);
                if self.one_line() && t.contains(['\n', '\u{2028}', '\u{2029}']) {
                    return Err(w.one_line.into());
                }
                controls(&t, self.kind == Kind::LongText)?;
                if t.is_empty() {
                    return Err(w.empty.into());
                }
                if self.kind == Kind::Name {
                    crate::people::check_name_in(&t, self.lang)?;
                }
                Ok(Value::Text(t))
            }
            Kind::Email => {
                let t = text.trim();
                crate::people::check_email_in(t, self.lang)?;
                Ok(Value::Text(t.to_owned()))
            }
            Kind::Date => {
                let date =
                    parse_kind_in(text, self.dates, self.lang).map_err(|e| e.message(self.lang))?;
                self.check_date(date, today)?;
                Ok(Value::Date(date))
            }
            Kind::YesNo => match text.trim().to_lowercase().as_str() {
                "y" | "yes" | "true" | "oui" | "o" | "vrai" => Ok(Value::Bool(true)),
                "n" | "no" | "false" | "non" | "faux" => Ok(Value::Bool(false)),
                other => Err(crate::lang::fill(w.not_yes_no, &[("typed", other)]).into()),
            },
            Kind::Choice => {
                controls(text.trim(), false)?;
                self.choice(text.trim()).map(Value::Text)
            }
            Kind::MultiChoice => {
                let picked: Result<Vec<String>, crate::refused::Refused> = text
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| self.choice(s))
                    .collect();
                Ok(Value::List(picked?))
            }
            Kind::List => {
                if !self.fields.is_empty() {
                    return Err(crate::lang::fill(w.several_parts, &[("item", &self.item)]).into());
                }
                let t = tidy(text, false);
                let t = t.as_str();
                if t.contains(['\n', '\u{2028}', '\u{2029}']) {
                    return Err(w.one_item_per_line.into());
                }
                controls(t, false)?;
                if t.is_empty() {
                    return Err(w.item_empty.into());
                }
                match self.item_kind {
                    ItemKind::Text => Ok(Value::List(vec![t.to_owned()])),
                    // The same check for a typed answer, `--set` and an answers file: each
                    // reaches here, and the message names the item as typed.
                    ItemKind::DateRange => crate::calendar::Closed::parse_in(t, self.lang)
                        .map(|c| Value::List(vec![c.to_answer()]))
                        .map_err(|e| e.message(self.lang).into()),
                }
            }
        }
    }

    fn check_date(
        &self,
        date: NaiveDate,
        today: Option<NaiveDate>,
    ) -> Result<(), crate::refused::Refused> {
        match today {
            Some(today) if self.not_future && date > today => {
                let (date, today) = match self.lang {
                    crate::lang::Lang::En => (date.to_string(), today.to_string()),
                    _ => (
                        crate::dates::DateStyle::French.format(date),
                        crate::dates::DateStyle::French.format(today),
                    ),
                };
                Err(crate::lang::fill(
                    self.lang.words().after_today,
                    &[("date", &date), ("today", &today)],
                )
                .into())
            }
            _ => Ok(()),
        }
    }

    fn choice(&self, text: &str) -> Result<String, crate::refused::Refused> {
        let found = self
            .choices
            .iter()
            .find(|c| c.value.eq_ignore_ascii_case(text) || c.label.eq_ignore_ascii_case(text));
        match found {
            Some(c) => Ok(c.value.clone()),
            None => {
                let names: Vec<&str> = self.choices.iter().map(|c| c.value.as_str()).collect();
                Err(crate::lang::fill(
                    self.lang.words().not_one_of,
                    &[("choice", text), ("choices", &names.join(", "))],
                )
                .into())
            }
        }
    }

    /// Reads an answer from an answers file.
    pub fn from_toml(
        &self,
        value: &toml::Value,
        today: Option<NaiveDate>,
    ) -> Result<Value, crate::refused::Refused> {
        use toml::Value as T;
        match (self.kind, value) {
            (Kind::Date, T::Datetime(dt)) => {
                let date = dt
                    .date
                    .filter(|_| dt.time.is_none())
                    .and_then(|d| {
                        NaiveDate::from_ymd_opt(
                            i32::from(d.year),
                            u32::from(d.month),
                            u32::from(d.day),
                        )
                    })
                    .ok_or_else(|| format!("{value} is not a plain date such as 2026-11-03"))?;
                let date = self
                    .dates
                    .check(date, &value.to_string())
                    .map_err(|e| e.to_string())?;
                self.check_date(date, today)?;
                Ok(Value::Date(date))
            }
            (Kind::YesNo, T::Boolean(b)) => Ok(Value::Bool(*b)),
            (Kind::MultiChoice, T::Array(items)) => {
                let mut picked = Vec::new();
                for item in items {
                    let T::String(s) = item else {
                        return Err(format!("expected a list of choices, found {item}").into());
                    };
                    check_controls(s, false).map_err(|e| e.to_string())?;
                    picked.push(self.choice(s)?);
                }
                Ok(Value::List(picked))
            }
            (Kind::List, T::Array(items)) if self.fields.is_empty() => {
                let mut list = Vec::new();
                for item in items {
                    match item {
                        T::String(s) => match self.from_text(s, today)? {
                            Value::List(mut one) => list.append(&mut one),
                            _ => unreachable!("a plain list reads each item as a one-item list"),
                        },
                        other => {
                            return Err(format!("expected a list of text, found {other}").into());
                        }
                    }
                }
                Ok(Value::List(list))
            }
            (Kind::List, T::Array(items)) => {
                let mut rows = Vec::new();
                for (n, item) in items.iter().enumerate() {
                    let T::Table(table) = item else {
                        return Err(format!(
                            "{} {}: expected a table with {}",
                            self.item,
                            n + 1,
                            self.field_names()
                        )
                        .into());
                    };
                    rows.push(
                        self.row_from_table(table, today)
                            .map_err(|e| format!("{} {}: {e}", self.item, n + 1))?,
                    );
                }
                Ok(Value::Items(rows))
            }
            (_, T::String(s)) => self.from_text(s, today),
            (kind, other) => {
                Err(format!("expected {}, found {}", kind.name(), other.type_str()).into())
            }
        }
    }

    fn field_names(&self) -> String {
        let names: Vec<&str> = self.fields.iter().map(|f| f.key.as_str()).collect();
        names.join(", ")
    }

    /// One list item from a table, every field checked; unknown fields are refused.
    fn row_from_table(
        &self,
        table: &toml::Table,
        today: Option<NaiveDate>,
    ) -> Result<BTreeMap<String, Value>, crate::refused::Refused> {
        for key in table.keys() {
            if !self.fields.iter().any(|f| &f.key == key) {
                return Err(format!(
                    "`{key}` is not a part of a {}; the parts are {}",
                    self.item,
                    self.field_names()
                )
                .into());
            }
        }
        let mut row = BTreeMap::new();
        for field in &self.fields {
            match table.get(&field.key) {
                Some(v) => {
                    let v = field
                        .from_toml(v, today)
                        .map_err(|e| format!("{}: {e}", field.key))?;
                    row.insert(field.key.clone(), v);
                }
                None if field.required => {
                    return Err(format!("`{}` is missing", field.key).into());
                }
                None => {}
            }
        }
        Ok(row)
    }
}

/// A control character in an answer: where, and which.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "this answer has a control character ({}) at character {at}, which cannot go in a letter; type the answer again without it",
    control_name(*.found)
)]
pub struct ControlChar {
    /// The character.
    pub found: char,
    /// Its 1-based position, in characters.
    pub at: usize,
}

/// Refuses control characters (C0, DEL, C1: ESC, NUL, a bell…), which would reach a terminal or
/// an email header as they are. Several-line answers keep their line breaks and tabs.
pub fn check_controls(text: &str, multi_line: bool) -> Result<(), ControlChar> {
    match text
        .chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() && !(multi_line && (c == '\n' || c == '\t')))
    {
        None => Ok(()),
        Some((i, found)) => Err(ControlChar { found, at: i + 1 }),
    }
}

impl ControlChar {
    /// The message in `lang` (the `Display` form is English).
    pub fn message(&self, lang: crate::lang::Lang) -> String {
        crate::lang::fill(
            lang.words().control_char,
            &[
                ("name", &control_name(self.found)),
                ("at", &self.at.to_string()),
            ],
        )
    }
}

/// `ESC, U+001B`, for messages.
fn control_name(c: char) -> String {
    let name = match c {
        '\0' => "NUL",
        '\u{7}' => "bell",
        '\u{8}' => "backspace",
        '\t' => "tab",
        '\n' => "line break",
        '\r' => "carriage return",
        '\u{1b}' => "ESC",
        '\u{7f}' => "DEL",
        _ => "",
    };
    if name.is_empty() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("{name}, U+{:04X}", u32::from(c))
    }
}

/// Trims each line's end and the whole text; a one-line answer also loses a trailing newline a
/// paste may bring, and its tabs become spaces. Inner line breaks stay, so a one-line check can
/// see them.
fn tidy(text: &str, multi_line: bool) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = if multi_line {
        text
    } else {
        text.replace('\t', " ")
    };
    if multi_line {
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        lines.join("\n").trim().to_owned()
    } else {
        text.trim().to_owned()
    }
}

pub use crate::people::check_email;

#[cfg(test)]
mod tests {
    use super::*;

    fn q(toml_text: &str) -> Question {
        let def: QuestionDef = toml::from_str(toml_text).unwrap();
        Question::from_def(def).unwrap()
    }

    #[test]
    fn one_line_text_refuses_a_pasted_newline() {
        let q = q(r#"key = "school_name"
prompt = "School?""#);
        assert_eq!(
            q.from_text("  Maple PS \n", None),
            Ok(Value::Text("Maple PS".into()))
        );
        assert!(
            q.from_text("Maple\nPS", None)
                .unwrap_err()
                .contains("one line")
        );
    }

    #[test]
    fn emails_are_checked() {
        assert!(check_email("parent@example.org").is_ok());
        for bad in [
            "parent",
            "parent@example",
            "a b@example.org",
            "a@b@example.org",
            "a@example..org",
            "Sam <s@example.org>",
        ] {
            assert!(check_email(bad).is_err(), "{bad} accepted");
        }
        // A domain may be accented (it is written in IDNA form); what comes before the @ not.
        assert!(check_email("a.patel@école.example.org").is_ok());
        let err = check_email("élise@example.org").unwrap_err();
        assert!(err.contains("accented letters before the @"), "{err}");
    }

    #[test]
    fn a_name_is_one_line_of_at_most_200_characters() {
        let q = q(r#"key = "recipient_name"
kind = "name"
prompt = "Name?""#);
        let most = "é".repeat(200);
        assert_eq!(q.from_text(&most, None), Ok(Value::Text(most.clone())));
        let err = q.from_text(&format!("{most}x"), None).unwrap_err();
        assert!(err.contains("a name can be at most 200"), "{err}");
        assert!(
            q.from_text("Ms.\nPatel", None)
                .unwrap_err()
                .contains("one line")
        );
    }

    #[test]
    fn dates_in_the_future_are_refused_when_asked() {
        let q = q(r#"key = "when_seen"
kind = "date"
not-future = true
prompt = "When?""#);
        let today = NaiveDate::from_ymd_opt(2026, 11, 23);
        assert!(
            q.from_text("2026-11-24", today)
                .unwrap_err()
                .contains("is after 2026-11-23, the day this is written")
        );
        assert!(q.from_text("2026-11-23", today).is_ok());
    }

    #[test]
    fn choices_accept_value_or_label() {
        let q = q(r#"key = "rel"
kind = "choice"
prompt = "Who?"
choices = ["mother", { value = "guardian", label = "Legal guardian" }]"#);
        assert_eq!(
            q.from_text("Legal Guardian", None),
            Ok(Value::Text("guardian".into()))
        );
        assert!(
            q.from_text("uncle", None)
                .unwrap_err()
                .contains("mother, guardian")
        );
    }

    #[test]
    fn list_rows_name_the_bad_part() {
        let q = q(r#"key = "contacts"
kind = "list"
item = "contact"
prompt = "Earlier contacts"
fields = [ { key = "date", kind = "date", prompt = "When?" }, { key = "person", prompt = "Who?" } ]"#);
        let v: toml::Value =
            toml::from_str::<toml::Table>("x = [{ date = 2026-10-01, who = \"Ms. Lee\" }]")
                .unwrap()["x"]
                .clone();
        let err = q.from_toml(&v, None).unwrap_err();
        assert!(
            err.contains("contact 1") && err.contains("`who` is not a part"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_default_is_an_error_when_loaded() {
        let def: QuestionDef = toml::from_str(
            r#"key = "d"
kind = "date"
prompt = "When?"
default = "soon""#,
        )
        .unwrap();
        assert!(Question::from_def(def).unwrap_err().contains("default"));
    }
}
