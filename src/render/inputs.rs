//! Everything a letter is rendered from, and the tera context built from it: answers (every
//! question present), the jurisdiction as the child's school sees it, the reply-by date, the
//! addressee and copies.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use crate::answers::Value;
use crate::calendar::{Calendar, Count, CountError};
use crate::catalog::question::{Kind, Question};
use crate::catalog::{Form, Letter};
use crate::jurisdiction::{Jurisdiction, Rung, Window};
use crate::people::Person;

use super::*;

/// Everything a letter is rendered from.
#[derive(Debug)]
pub struct Inputs<'a> {
    /// The letter.
    pub letter: &'a Letter,
    /// The jurisdiction.
    pub jurisdiction: &'a Jurisdiction,
    /// The letter's date.
    pub date: NaiveDate,
    /// Answers given so far.
    pub answers: &'a BTreeMap<String, Value>,
    /// The letter this one follows, if any.
    pub earlier: Option<&'a Earlier>,
    /// Names of the files attached to the email, listed under "Enclosures".
    pub attached: &'a [String],
    /// The days a reply window skips: the jurisdiction's holidays and the case's closed days.
    /// `None` skips weekends only (for showing questions, where no date is counted).
    pub calendar: Option<&'a Calendar>,
}

impl Inputs<'_> {
    /// The escalation rung chosen, for letters addressed up the ladder.
    pub fn rung(&self) -> Option<&Rung> {
        if self.letter.to.as_deref() != Some("ladder") {
            return None;
        }
        match self.answers.get("rung") {
            Some(Value::Text(id)) => self.jurisdiction.rung(id),
            _ => None,
        }
    }

    /// The reply window that applies, if the letter asks for a reply: the rung's or the
    /// letter's own where a rule sets one, else the jurisdiction's. None for a letter to an
    /// office that sets its own pace (an ombudsman).
    pub fn window(&self) -> Option<&Window> {
        if !self.letter.asks_reply {
            return None;
        }
        let rung = self.rung();
        if rung.is_some_and(|r| !r.asks_reply) {
            return None;
        }
        Some(
            rung.and_then(|r| r.reply_window.as_ref())
                .or(self.letter.reply_window.as_ref())
                .unwrap_or(&self.jurisdiction.reply_window),
        )
    }

    /// The kind of school body the child's school is run by (Quebec: `service-centre` or
    /// `school-board`): the family's answer, else what the board's name shows.
    pub fn board_kind(&self) -> Option<&str> {
        if let Some(kind) = self.text_ref("board_kind") {
            return Some(kind);
        }
        self.jurisdiction
            .infer_board_kind(self.text_ref("board_name").unwrap_or(""))
            .map(|k| k.id.as_str())
    }

    pub(super) fn text_ref(&self, key: &str) -> Option<&str> {
        match self.answers.get(key) {
            Some(Value::Text(t)) if !t.is_empty() => Some(t),
            _ => None,
        }
    }

    /// The reply-by date counted on the window's clock, with what it skipped; an error when it
    /// cannot be counted (a date at the end of the calendar).
    pub fn reply_count(&self) -> Option<Result<Count, CountError>> {
        let window = self.window()?;
        Some(match self.calendar {
            Some(c) => c.count(window.clock, self.date, window.days),
            None => Calendar::weekends_only(&self.jurisdiction.id).count(
                window.clock,
                self.date,
                window.days,
            ),
        })
    }

    /// The reply-by date.
    pub fn reply_by(&self) -> Option<NaiveDate> {
        self.reply_count().and_then(Result::ok).map(|c| c.date)
    }

    /// The role or ladder rung id the letter goes to (`principal`, `superintendent`).
    pub fn to_role(&self) -> Option<String> {
        match self.letter.to.as_deref() {
            Some("ladder") => self.rung().map(|r| r.id.clone()),
            Some(role) => Some(role.to_owned()),
            None => None,
        }
    }

    /// Title of the person or office written to, in the words for the child's school body.
    pub(super) fn to_title(&self) -> (String, String) {
        let j = self.jurisdiction.for_board_kind(self.board_kind());
        match self.letter.to.as_deref() {
            Some("ladder") => match self.rung().and_then(|r| j.rung(&r.id)) {
                Some(r) => (r.office.clone(), r.office.clone()),
                None => (String::new(), String::new()),
            },
            Some(role) => match j.roles.get(role) {
                Some(r) => (r.title.clone(), r.short.clone()),
                None => (String::new(), String::new()),
            },
            None => (String::new(), String::new()),
        }
    }

    pub(super) fn text(&self, key: &str) -> Option<String> {
        match self.answers.get(key) {
            Some(Value::Text(t)) if !t.is_empty() => Some(t.clone()),
            _ => None,
        }
    }

    pub(super) fn addressee(&self) -> Option<Person> {
        if self.letter.form == Form::Document {
            return None;
        }
        Some(Person {
            name: self.text("recipient_name").unwrap_or_default(),
            title: self.to_title().0,
            email: self.text("recipient_email"),
        })
    }

    pub(super) fn copies(&self) -> Vec<Person> {
        let mut cc = Vec::new();
        if let Some(name) = self.text("coordinator_name") {
            cc.push(Person {
                name,
                title: self
                    .jurisdiction
                    .roles
                    .get("coordinator")
                    .map(|r| r.title.clone())
                    .unwrap_or_default(),
                email: self.text("coordinator_email"),
            });
        }
        if let Some(Value::Items(rows)) = self.answers.get("cc") {
            for row in rows {
                let get = |k: &str| match row.get(k) {
                    Some(Value::Text(t)) => Some(t.clone()),
                    _ => None,
                };
                cc.push(Person {
                    name: get("name").unwrap_or_default(),
                    title: get("title").unwrap_or_default(),
                    email: get("email"),
                });
            }
        }
        cc
    }

    /// The tera context: answers (every question present), the jurisdiction as `j`, and the
    /// letter's facts.
    pub fn context(&self) -> tera::Context {
        let kind = self.board_kind();
        let resolved = self.jurisdiction.for_board_kind(kind);
        let j = &resolved;
        let mut ctx = tera::Context::new();
        for q in &self.letter.questions {
            let value = match self.answers.get(&q.key) {
                Some(v) => Ctx::from_value(v, j),
                None => Ctx::empty(q),
            };
            ctx.insert(q.key.clone(), &value);
        }
        ctx.insert("j", j);
        ctx.insert("board_kind_guess", kind.unwrap_or(""));
        ctx.insert(
            "letter",
            &BTreeMap::from([("id", &self.letter.id), ("title", &self.letter.title)]),
        );
        ctx.insert("today", &j.format_date(self.date));
        ctx.insert(
            "reply_by",
            &self
                .reply_by()
                .map(|d| j.format_date(d))
                .unwrap_or_default(),
        );
        let copies: Vec<String> = self.copies().iter().map(Person::name_and_title).collect();
        ctx.insert("copies", &copies);
        let (title, short) = self.to_title();
        ctx.insert(
            "to",
            &BTreeMap::from([
                ("title", title),
                ("short", short),
                ("role", self.to_role().unwrap_or_default()),
            ]),
        );
        ctx.insert("lang", self.letter.lang.code());
        ctx.insert("earlier", self.earlier.unwrap_or(&Earlier::default()));
        ctx.insert("attached", self.attached);
        if self.letter.to.as_deref() == Some("ladder") {
            match self.rung().and_then(|r| j.rung(&r.id)) {
                Some(r) => ctx.insert("rung", r),
                None => ctx.insert("rung", &BTreeMap::<String, String>::new()),
            }
        }
        ctx
    }
}

/// List items in date order, oldest first, when the items have a `date` (dated examples, earlier
/// contacts): a parent types them as they remember them, a reader follows them in time. Items
/// without a date keep their place relative to each other.
pub(super) fn by_date(rows: &[BTreeMap<String, Value>]) -> Vec<&BTreeMap<String, Value>> {
    let mut sorted: Vec<_> = rows.iter().collect();
    sorted.sort_by_key(|row| match row.get("date") {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    });
    sorted
}

/// How a letter greets a named person: "Ms. Amina Patel" becomes "Ms. Patel" (a title and the
/// family name); a name with no title stays whole ("Amina Patel"). A letter never greets a
/// person as "Dear Ms. Amina Patel".
pub fn salutation(name: &str) -> String {
    const TITLES: &[&str] = &[
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "professor",
        "mme",
        "m",
        "mlle",
    ];
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [title, .., last]
            if words.len() >= 3
                && TITLES.contains(&title.trim_end_matches('.').to_lowercase().as_str()) =>
        {
            format!("{title} {last}")
        }
        _ => words.join(" "),
    }
}

/// An answer as templates see it.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(super) enum Ctx {
    Text(String),
    Bool(bool),
    List(Vec<String>),
    Items(Vec<BTreeMap<String, Ctx>>),
}

impl Ctx {
    pub(super) fn from_value(v: &Value, j: &Jurisdiction) -> Ctx {
        match v {
            Value::Text(t) => Ctx::Text(t.clone()),
            Value::Bool(b) => Ctx::Bool(*b),
            Value::Date(d) => Ctx::Text(j.format_date(*d)),
            Value::List(items) => Ctx::List(items.clone()),
            Value::Items(rows) => Ctx::Items(
                by_date(rows)
                    .into_iter()
                    .map(|row| {
                        row.iter()
                            .map(|(k, v)| (k.clone(), Ctx::from_value(v, j)))
                            .collect()
                    })
                    .collect(),
            ),
        }
    }

    /// The value of a question with no answer: a template can test it with `{% if key %}`.
    pub(super) fn empty(q: &Question) -> Ctx {
        match q.kind {
            Kind::YesNo => Ctx::Bool(false),
            Kind::MultiChoice => Ctx::List(Vec::new()),
            Kind::List if q.fields.is_empty() => Ctx::List(Vec::new()),
            Kind::List => Ctx::Items(Vec::new()),
            _ => Ctx::Text(String::new()),
        }
    }
}
