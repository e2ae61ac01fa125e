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
    /// The paper a printed letter is laid out for: `letter` where families print on US Letter
    /// (Canada), `a4` elsewhere (the default).
    #[serde(default)]
    pub paper: Paper,
    /// The other languages iep writes this jurisdiction's letters in (`["fr"]` for Quebec),
    /// each from `jurisdictions/<id>.<lang>.toml`; English always. In a language's own file,
    /// the languages of the English one.
    #[serde(default)]
    pub languages: Vec<String>,
    /// The plan's name.
    pub plan: Plan,
    /// The jurisdiction's own words for things letters mention (see [`REQUIRED_TERMS`]).
    pub terms: BTreeMap<String, String>,
    /// The people letters are written to, by role id (see [`REQUIRED_ROLES`]).
    pub roles: BTreeMap<String, Role>,
    /// How long a letter asks the school to take to reply, and on which clock.
    pub reply_window: Window,
    /// Short statements of the rules letters rely on, by key; each names its source in its own
    /// words (`cite`), so a letter never states a rule without saying where it comes from.
    #[serde(default)]
    pub law: BTreeMap<String, Law>,
    /// Deadlines and review cycles that apply, for `iep jurisdictions show`.
    #[serde(default)]
    pub timelines: Vec<Fact>,
    /// Where a family goes next when the school does not act, lowest rung first.
    pub ladder: Vec<Rung>,
    /// Bodies families are often pointed to that cannot hear a complaint about an IEP.
    #[serde(default)]
    pub not_for_iep_complaints: Vec<Fact>,
    /// Where one jurisdiction has two kinds of school body (Quebec: school service centres for
    /// French-language schools, school boards for English-language ones), each kind and its word.
    /// The family's answer to `board_kind` picks one; `{board}` in any text of this file is
    /// then written with that kind's word. Empty where there is one kind.
    #[serde(default)]
    pub board_kinds: Vec<BoardKind>,
}

/// A paper size for printed letters and the evidence bundle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm: New Zealand, and most of the world.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 inches: Canada and the United States.
    Letter,
}

impl Paper {
    /// Width and height in PDF points (1/72 inch), as a PDF's MediaBox gives them.
    pub fn points(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.0, 842.0),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// One kind of body that runs schools, where a jurisdiction has more than one.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    rename_all(deserialize = "kebab-case", serialize = "snake_case")
)]
pub struct BoardKind {
    /// The answer's value: `school-board`.
    pub id: String,
    /// What a family picks: "An English-language school board".
    pub label: String,
    /// The word letters use for it: "school board"; it replaces `terms.board` and `{board}`.
    pub board: String,
    /// Words in a board's name that show it is this kind (any case): "commission scolaire".
    #[serde(default)]
    pub hints: Vec<String>,
    /// Where the distinction comes from.
    pub source: String,
}

/// A rule a letter may state.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    rename_all(deserialize = "kebab-case", serialize = "snake_case")
)]
pub struct Law {
    /// What the rule is about: "Who is responsible for the IEP".
    pub what: String,
    /// The rule, in words a letter may use. It must contain `cite`.
    pub text: String,
    /// The source as the reader of the letter knows it: "Ontario Regulation 181/98, section 6".
    pub cite: String,
    /// Where it was checked (the research trail).
    pub source: String,
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
    /// "a" or "an", for the short form: "an IEP", "a PI". The full name's article when absent.
    #[serde(default)]
    pub short_article: Option<String>,
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
    /// Whether a letter to this office asks for a reply by a date. An ombudsman decides its own
    /// pace: a complaint asks it to look into the matter, not to answer in 10 school days.
    #[serde(default = "yes")]
    pub asks_reply: bool,
    /// What a letter to this office is: a request for help, a formal complaint to a body that
    /// handles complaints, or an appeal of a decision.
    #[serde(default)]
    pub kind: RungKind,
    /// The `[law]` entry that states the rule this step is taken under, when there is one.
    #[serde(default)]
    pub law: Option<String>,
    /// Where this step comes from.
    pub source: String,
}

/// What a letter to a rung of the ladder is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RungKind {
    /// Asking an office in the school system to act on a concern.
    #[default]
    Request,
    /// A formal complaint to a body whose job is complaints (a complaints officer, a board
    /// chair under a complaints procedure, an ombudsman).
    Complaint,
    /// A notice of appeal of a decision (British Columbia's section 11 appeal).
    Appeal,
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
        if j.plan.short_article.is_none() {
            j.plan.short_article = Some(j.plan.article.clone());
        }
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
        for (key, law) in &self.law {
            if !crate::names::is_identifier(key) {
                bail!(
                    "[law] key `{key}` must be lower-case letters, digits and `_`, so templates can use it"
                );
            }
            if law.cite.trim().is_empty() || !law.text.contains(&law.cite) {
                bail!(
                    "[law.{key}] must name its source in its own text: `text` has to contain `cite` (\"{}\"), so the reader of a letter knows where the rule comes from",
                    law.cite
                );
            }
        }
        for rung in &self.ladder {
            if let Some(key) = &rung.law
                && !self.law.contains_key(key)
            {
                bail!(
                    "ladder rung `{}` names law `{key}`, and there is no [law.{key}]",
                    rung.id
                );
            }
        }
        if !self.board_kinds.is_empty() && self.board_kinds.len() < 2 {
            bail!("`board-kinds` lists the kinds of school body when there are two or more");
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

    /// The kind of school body a board's name shows, by the kinds' `hints`. `None` when no hint
    /// matches (letters then use `terms.board` as written, which names both kinds), and where
    /// the jurisdiction has one kind.
    pub fn infer_board_kind(&self, board_name: &str) -> Option<&BoardKind> {
        let name = board_name.to_lowercase();
        self.board_kinds
            .iter()
            .find(|k| k.hints.iter().any(|h| name.contains(&h.to_lowercase())))
    }

    /// This jurisdiction as a letter to a school run by `kind` sees it: `terms.board` is that
    /// kind's word, and `{board}` in any text is written with it. With no kind (or one this
    /// jurisdiction does not have), `{board}` is written with `terms.board` as the file gives it.
    /// A jurisdiction with one kind of school body is returned as it is, without a copy.
    pub fn for_board_kind(&self, kind: Option<&str>) -> std::borrow::Cow<'_, Jurisdiction> {
        if self.board_kinds.is_empty() {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut j = self.clone();
        if let Some(k) = kind.and_then(|id| self.board_kinds.iter().find(|k| k.id == id)) {
            j.terms.insert("board".to_owned(), k.board.clone());
        }
        let word = j.terms.get("board").cloned().unwrap_or_default();
        let fill = |s: &mut String| {
            if s.contains("{board}") {
                *s = s.replace("{board}", &word);
            }
        };
        for role in j.roles.values_mut() {
            fill(&mut role.title);
            fill(&mut role.short);
        }
        for law in j.law.values_mut() {
            fill(&mut law.text);
            fill(&mut law.cite);
        }
        for fact in j.timelines.iter_mut().chain(&mut j.not_for_iep_complaints) {
            fill(&mut fact.text);
        }
        for rung in &mut j.ladder {
            fill(&mut rung.office);
            fill(&mut rung.hears);
            if let Some(under) = &mut rung.under {
                fill(under);
            }
        }
        std::borrow::Cow::Owned(j)
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
        let kinds = self
            .board_kinds
            .iter()
            .map(|k| (format!("board-kinds.{}", k.id), k.source.as_str()));
        plan.chain(window)
            .chain(kinds)
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
