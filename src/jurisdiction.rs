//! A jurisdiction: what its plan is called, who is responsible, its words, its clocks and its
//! escalation ladder, each fact with the source it came from.
//!
//! Letters read a jurisdiction only through the context it gives templates (`j.*`), so a letter
//! written once speaks Ontario's, Quebec's or New Zealand's terms. The schema is documented for pack
//! authors in `jurisdictions/README.md`.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::{Clock, DateStyle};

/// Terms every jurisdiction must define, because the built-in letters use them.
pub const REQUIRED_TERMS: &[&str] = &["grade", "board", "program", "assistant", "family"];

/// Roles every jurisdiction must define, because the built-in letters address them.
pub const REQUIRED_ROLES: &[&str] = &["principal", "coordinator", "teacher"];

/// One jurisdiction's facts, as read from `jurisdictions/<id>.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    rename_all(deserialize = "kebab-case", serialize = "snake_case")
)]
pub struct Jurisdiction {
    /// The file name without `.toml`: `ontario`.
    #[serde(skip_deserializing)]
    pub id: String,
    /// The name a family knows: "Ontario".
    pub name: String,
    /// One line for `iep jurisdictions`.
    pub summary: String,
    /// Language and spelling of the letters, as a BCP 47 tag: `en-CA`, `en-NZ`.
    pub language: String,
    /// How a full date is written in a letter.
    pub date_style: DateStyle,
    /// The plan's name.
    pub plan: Plan,
    /// The jurisdiction's own words for things letters mention (see [`REQUIRED_TERMS`]).
    pub terms: BTreeMap<String, String>,
    /// The people letters are written to, by role id (see [`REQUIRED_ROLES`]).
    pub roles: BTreeMap<String, Role>,
    /// How long a letter asks the school to take to reply, and on which clock.
    pub reply_window: Window,
    /// Short statements of the rules letters rely on, by key; each names its source.
    #[serde(default)]
    pub law: BTreeMap<String, Fact>,
    /// Deadlines and review cycles that apply, for `iep jurisdictions show`.
    #[serde(default)]
    pub timelines: Vec<Fact>,
    /// Where a family goes next when the school does not act, lowest rung first.
    pub ladder: Vec<Rung>,
    /// Bodies families are often pointed to that cannot hear a complaint about an IEP.
    #[serde(default)]
    pub not_for_iep_complaints: Vec<Fact>,
}

/// What the plan is called.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    rename_all(deserialize = "kebab-case", serialize = "snake_case")
)]
pub struct Plan {
    /// "a" or "an", for the full name: "an Individual Education Plan", "a plan d'intervention".
    pub article: String,
    /// In full: "Individual Education Plan".
    pub name: String,
    /// Short form used after first mention: "IEP", "PI".
    pub short: String,
    /// Where the name comes from.
    pub source: String,
}

/// A person or office a letter can be addressed to.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    rename_all(deserialize = "kebab-case", serialize = "snake_case")
)]
pub struct Role {
    /// Title as written under a name: "Principal", "Special Education Resource Teacher (SERT)".
    pub title: String,
    /// Short form in a sentence: "principal", "SERT".
    pub short: String,
    /// Where the role's duty or name is described.
    pub source: String,
}

/// A reply window: `days` on `clock`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    rename_all(deserialize = "kebab-case", serialize = "snake_case")
)]
pub struct Window {
    /// How many days.
    pub days: u32,
    /// Which days count.
    pub clock: Clock,
    /// Why this many: a rule, or a note that it is a reasonable request and not a legal deadline.
    pub source: String,
}

impl Window {
    /// The reply-by date for a letter dated `from`, skipping weekends only. Letters count with
    /// [`crate::calendar::Calendar::count`], which also skips holidays and recorded breaks.
    pub fn reply_by(&self, from: NaiveDate) -> NaiveDate {
        self.clock.add(from, self.days)
    }

    /// "10 school days".
    pub fn describe(&self) -> String {
        format!("{} {}", self.days, self.clock.unit())
    }
}

/// A sourced statement.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    rename_all(deserialize = "kebab-case", serialize = "snake_case")
)]
pub struct Fact {
    /// What the fact is about: "IEP completed".
    pub what: String,
    /// The fact, in words a letter may use.
    pub text: String,
    /// Where it was checked.
    pub source: String,
}

/// One step of the escalation ladder.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    rename_all(deserialize = "kebab-case", serialize = "snake_case")
)]
pub struct Rung {
    /// Short id used in answers: `superintendent`.
    pub id: String,
    /// The office, as a letter addresses it: "Superintendent of Education".
    pub office: String,
    /// `school`, `board` or `outside` (an office outside the school system).
    pub level: Level,
    /// What this office can deal with, in a sentence.
    pub hears: String,
    /// Whether a family starts this step with a letter. Tribunals and commissions with their own
    /// application forms are `false`: `iep` lists them but does not write to them.
    #[serde(default = "yes")]
    pub by_letter: bool,
    /// The process or rule this step is taken under, as a letter names it.
    #[serde(default)]
    pub under: Option<String>,
    /// The reply window this office works to, where a rule sets one.
    #[serde(default)]
    pub reply_window: Option<Window>,
    /// Where this step comes from.
    pub source: String,
}

fn yes() -> bool {
    true
}

/// Where a rung sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Inside the school.
    School,
    /// The board, district or school service centre.
    Board,
    /// An office outside the school system.
    Outside,
}

impl Jurisdiction {
    /// Reads a jurisdiction from TOML text; `id` is its file name without `.toml`.
    pub fn parse(id: &str, text: &str) -> Result<Self> {
        let mut j: Jurisdiction = toml::from_str(text)?;
        j.id = id.to_owned();
        j.validate()?;
        Ok(j)
    }

    fn validate(&self) -> Result<()> {
        for term in REQUIRED_TERMS {
            if !self.terms.contains_key(*term) {
                bail!(
                    "[terms] has no `{term}`: every jurisdiction needs it, because letters use it"
                );
            }
        }
        for role in REQUIRED_ROLES {
            if !self.roles.contains_key(*role) {
                bail!(
                    "[roles] has no `{role}`: every jurisdiction needs it, because letters address it"
                );
            }
        }
        if self.ladder.len() < 2 {
            bail!(
                "the ladder needs at least two rungs: where a family starts, and where it goes next"
            );
        }
        let mut seen = std::collections::BTreeSet::new();
        for rung in &self.ladder {
            if !seen.insert(rung.id.as_str()) {
                bail!("the ladder has two rungs with the id `{}`", rung.id);
            }
        }
        for key in self.law.keys() {
            if !crate::catalog::is_identifier(key) {
                bail!(
                    "[law] key `{key}` must be lower-case letters, digits and `_`, so templates can use it"
                );
            }
        }
        Ok(())
    }

    /// A rung of the ladder by id.
    pub fn rung(&self, id: &str) -> Option<&Rung> {
        self.ladder.iter().find(|r| r.id == id)
    }

    /// Rungs a family can escalate to with a letter: every rung above the first.
    pub fn escalation_rungs(&self) -> impl Iterator<Item = &Rung> {
        self.ladder.iter().skip(1).filter(|r| r.by_letter)
    }

    /// Everyone a family may write to, as (id, title): the roles first, then the ladder's offices
    /// not already named by a role.
    pub fn people(&self) -> Vec<(String, String)> {
        let mut people: Vec<(String, String)> = REQUIRED_ROLES
            .iter()
            .filter_map(|id| Some((id.to_string(), self.roles.get(*id)?.title.clone())))
            .collect();
        for (id, role) in &self.roles {
            if !REQUIRED_ROLES.contains(&id.as_str()) {
                people.push((id.clone(), role.title.clone()));
            }
        }
        for rung in self.ladder.iter().filter(|r| r.by_letter) {
            if !people.iter().any(|(id, _)| id == &rung.id) {
                people.push((rung.id.clone(), rung.office.clone()));
            }
        }
        people
    }

    /// The title of a person's role or ladder office, by id.
    pub fn title_of(&self, id: &str) -> Option<&str> {
        match self.roles.get(id) {
            Some(r) => Some(&r.title),
            None => self.rung(id).map(|r| r.office.as_str()),
        }
    }

    /// The rung after `id` that a family can write to, if any.
    pub fn rung_after(&self, id: &str) -> Option<&Rung> {
        let at = self.ladder.iter().position(|r| r.id == id)?;
        self.ladder[at + 1..].iter().find(|r| r.by_letter)
    }

    /// A full date in this jurisdiction's style.
    pub fn format_date(&self, date: NaiveDate) -> String {
        self.date_style.format(date)
    }

    /// Every sourced fact, for checks that each one names where it came from.
    pub fn sources(&self) -> impl Iterator<Item = (String, &str)> {
        let plan = std::iter::once(("plan".to_owned(), self.plan.source.as_str()));
        let window =
            std::iter::once(("reply-window".to_owned(), self.reply_window.source.as_str()));
        let roles = self
            .roles
            .iter()
            .map(|(k, r)| (format!("roles.{k}"), r.source.as_str()));
        let law = self
            .law
            .iter()
            .map(|(k, f)| (format!("law.{k}"), f.source.as_str()));
        let timelines = self
            .timelines
            .iter()
            .map(|f| (format!("timeline \"{}\"", f.what), f.source.as_str()));
        let ladder = self.ladder.iter().flat_map(|r| {
            let own = std::iter::once((format!("ladder.{}", r.id), r.source.as_str()));
            let window = r
                .reply_window
                .iter()
                .map(move |w| (format!("ladder.{}.reply-window", r.id), w.source.as_str()));
            own.chain(window)
        });
        let not_for = self.not_for_iep_complaints.iter().map(|f| {
            (
                format!("not-for-iep-complaints \"{}\"", f.what),
                f.source.as_str(),
            )
        });
        plan.chain(window)
            .chain(roles)
            .chain(law)
            .chain(timelines)
            .chain(ladder)
            .chain(not_for)
    }
}

/// Parses with the file's name attached to any error, for messages that point at the file.
pub fn parse_file(id: &str, display: &str, text: &str) -> Result<Jurisdiction> {
    Jurisdiction::parse(id, text).with_context(|| format!("{display} is not a valid jurisdiction"))
}
