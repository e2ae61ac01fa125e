//! The interview: the one place that orders questions, applies `when`, checks answers, and runs
//! the review where any answer can be changed.
//!
//! Answers arrive three ways: an answers file, `--set`, and the prompter. All three pass through
//! [`Question::from_toml`] or [`Question::from_text`], so an answer is checked the same way
//! whoever gave it.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;
use serde::Serialize;

use crate::answers::{AnswersFile, Value};
use crate::calendar::Calendar;
use crate::catalog::Letter;
use crate::catalog::question::{Kind, Offer, Question};
use crate::draft::Draft;
use crate::jurisdiction::Jurisdiction;
pub use crate::people::Contact;
use crate::render::{Earlier, Inputs, Renderer};

mod terminal;

/// Required answers that nobody gave, when nothing may be asked.
#[derive(Debug, thiserror::Error)]
#[error("{}", missing_message(.0, .1, *.2))]
pub struct MissingAnswers(
    pub Vec<(String, String)>,
    pub &'static str,
    pub crate::lang::Lang,
);

fn missing_message(missing: &[(String, String)], how: &str, lang: crate::lang::Lang) -> String {
    let width = missing.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut msg = match lang {
        crate::lang::Lang::Fr => format!(
            "{} réponse{} nécessaire{} manque{}, et iep ne pose pas de questions ici (pas de terminal, ou --no-input)\u{a0}:\n",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            if missing.len() == 1 { "" } else { "s" },
            if missing.len() == 1 { "" } else { "nt" }
        ),
        crate::lang::Lang::En => format!(
            "{} needed answer{} missing, and iep is not asking questions here (no terminal, or --no-input):\n",
            missing.len(),
            if missing.len() == 1 { " is" } else { "s are" }
        ),
    };
    for (key, prompt) in missing {
        msg.push_str(&format!("  {key:width$}  {prompt}\n"));
    }
    msg.push_str(how);
    msg
}

/// How to give answers without being asked, for a letter or one of the forms.
fn how_to_give(letter: &Letter) -> &'static str {
    use crate::catalog::{CASE_FORM, OBSERVATION_FORM, REPLY_FORM, SMTP_FORM};
    if letter.lang == crate::lang::Lang::Fr {
        return "Donnez-les avec --set clé=valeur, ou dans un fichier passé avec --answers.";
    }
    match letter.id.as_str() {
        CASE_FORM | SMTP_FORM => "Give them with --set key=value.",
        OBSERVATION_FORM | REPLY_FORM => {
            "Give each with the flag of the same name, for example --date 2026-11-04."
        }
        _ => "Give them with --set key=value, or in a file passed with --answers.",
    }
}

/// What the parent decided at the end.
#[derive(Debug)]
pub enum Outcome {
    /// Save this letter.
    Save(Box<Draft>),
    /// Stop for now: the answers stay in the draft, to go on from later.
    Later,
    /// Leave without saving and throw the answers away (the parent confirmed it).
    Quit,
    /// Write it for another jurisdiction: the parent asked at the review. The answers so far
    /// go to the same letter for the place picked next ([`Interview::carry_over`]).
    ChangePlace(Vec<(String, Value)>),
}

/// A recorded item a case offers as one entry of a list answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offered {
    /// One line to pick it by.
    pub label: String,
    /// The entry, keyed by the list's field names.
    pub row: BTreeMap<String, Value>,
    /// Whether it is picked unless the parent says otherwise.
    pub picked: bool,
    /// What it is about (an observation's support), when it should be picked only for a letter
    /// whose `support` answer names the same thing.
    pub about: Option<String>,
}

/// What a case folder knows that answers questions without asking them.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// The people the family writes to; a letter's recipient is found here by role.
    pub contacts: Vec<Contact>,
    /// Observations, for lists with `offer = "observations"`.
    pub observations: Vec<Offered>,
    /// Earlier letters and replies, for lists with `offer = "letters"`.
    pub letters: Vec<Offered>,
    /// What `iep check` found, for lists with `offer = "findings"`.
    pub findings: Vec<Offered>,
}

impl Known {
    fn offered(&self, offer: Offer) -> &[Offered] {
        match offer {
            Offer::Observations => &self.observations,
            Offer::Letters => &self.letters,
            Offer::Findings => &self.findings,
        }
    }
}

/// The value that says "left empty" in an answers file.
fn empty_value(q: &Question) -> Value {
    match q.kind {
        Kind::List if q.fields.is_empty() => Value::List(Vec::new()),
        Kind::List => Value::Items(Vec::new()),
        Kind::MultiChoice => Value::List(Vec::new()),
        Kind::YesNo => Value::Bool(false),
        _ => Value::Text(String::new()),
    }
}

/// Whether two descriptions of a support name the same one: equal, or one holds the other,
/// ignoring case and punctuation ("a scribe" and "Access to a scribe for written tests").
fn same_support(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a))
}

/// Called with the answers so far after each answer, so that an interview cut short (Ctrl-C, a
/// closed terminal) loses nothing the parent typed.
pub struct Autosave<'a>(Box<SaveFn<'a>>);

/// What an [`Autosave`] calls.
type SaveFn<'a> = dyn FnMut(&[Answer]) + 'a;

/// One answer by its question's key.
pub type Answer = (String, Value);

impl std::fmt::Debug for Autosave<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Autosave")
    }
}

/// One letter's questions and answers.
#[derive(Debug)]
pub struct Interview<'a> {
    letter: &'a Letter,
    jurisdiction: &'a Jurisdiction,
    renderer: &'a Renderer,
    date: NaiveDate,
    answers: BTreeMap<String, Value>,
    /// Questions the parent has seen, answered or left empty, so they are not asked again.
    asked: BTreeSet<String>,
    /// The questions asked, in the order they were answered, for going back.
    history: Vec<String>,
    /// The questions already answered when asking began (by the case, a file, `--set`): not
    /// counted in "Question 3 of 9", which counts only what is asked.
    given: Option<BTreeSet<String>>,
    /// What the case knows.
    known: Known,
    /// The letter this one follows.
    earlier: Option<Earlier>,
    /// Where answers go as they are given.
    autosave: Option<Autosave<'a>>,
    /// Names of attached files.
    attached: Vec<String>,
    /// The days the reply window skips.
    calendar: Option<&'a Calendar>,
    /// Whether the review may offer to change the jurisdiction (it was picked from a list, not
    /// given by the case, a file or `--jurisdiction`).
    place_changeable: bool,
}

impl<'a> Interview<'a> {
    /// An interview with no answers yet.
    pub fn new(
        letter: &'a Letter,
        jurisdiction: &'a Jurisdiction,
        renderer: &'a Renderer,
        date: NaiveDate,
    ) -> Self {
        Interview {
            letter,
            jurisdiction,
            renderer,
            date,
            answers: BTreeMap::new(),
            asked: BTreeSet::new(),
            history: Vec::new(),
            given: None,
            known: Known::default(),
            earlier: None,
            autosave: None,
            attached: Vec::new(),
            calendar: None,
            place_changeable: false,
        }
    }

    /// Lets the review offer to change the jurisdiction: the parent picked it from a list, so a
    /// wrong pick must be easy to put right before a letter cites the wrong law.
    pub fn place_changeable(&mut self) {
        self.place_changeable = true;
    }

    /// The jurisdiction the letter is written for.
    pub fn jurisdiction(&self) -> &Jurisdiction {
        self.jurisdiction
    }

    /// Takes the answers given to the same letter for another jurisdiction. An answer that does
    /// not fit here (a choice this jurisdiction does not offer) is left to be asked again; the
    /// questions so left are returned, in the parent's words.
    pub fn carry_over(&mut self, answers: &[(String, Value)]) -> Vec<String> {
        let mut dropped = Vec::new();
        for (key, value) in answers {
            let Some(q) = self.letter.question(key) else {
                continue;
            };
            let offered = |v: &String| q.choices.iter().any(|c| &c.value == v);
            let fits = match (q.kind, value) {
                (Kind::Choice, Value::Text(v)) => offered(v),
                (Kind::MultiChoice, Value::List(l)) => l.iter().all(offered),
                _ => true,
            };
            if !fits {
                let shown = self
                    .screen(key)
                    .map_or_else(|_| q.prompt.clone(), |s| s.prompt);
                dropped.push(shown);
                continue;
            }
            self.asked.insert(key.clone());
            if *value == empty_value(q) {
                self.answers.remove(key);
            } else {
                self.answers.insert(key.clone(), value.clone());
            }
        }
        dropped
    }

    /// The holidays and closed days the reply-by date skips. Without one, only weekends are.
    pub fn calendar(&mut self, calendar: &'a Calendar) {
        self.calendar = Some(calendar);
    }

    /// Names the files attached to the letter, for its "Enclosures" list.
    pub fn attach(&mut self, names: Vec<String>) {
        self.attached = names;
    }

    /// Calls `save` with [`Interview::answers_so_far`] after every answer the parent gives.
    pub fn autosave(&mut self, save: impl FnMut(&[(String, Value)]) + 'a) {
        self.autosave = Some(Autosave(Box::new(save)));
    }

    /// The answers given so far in question order, with questions asked and left empty as empty
    /// values, so that [`Interview::preset`] with them goes on where the parent stopped.
    pub fn answers_so_far(&self) -> Vec<(String, Value)> {
        self.letter
            .questions
            .iter()
            .filter_map(|q| match self.answers.get(&q.key) {
                Some(v) => Some((q.key.clone(), v.clone())),
                None if self.asked.contains(&q.key) && !q.required => {
                    Some((q.key.clone(), empty_value(q)))
                }
                None => None,
            })
            .collect()
    }

    /// Gives the interview what a case knows: contacts by role and recorded items to offer.
    pub fn know(&mut self, known: Known) {
        self.known = known;
    }

    /// Offers what `iep check` found, for a list with `offer = "findings"`.
    pub fn offer_findings(&mut self, findings: Vec<Offered>) {
        self.known.findings = findings;
    }

    /// Makes this letter a follow-up to an earlier one (`earlier` in templates).
    pub fn follow(&mut self, earlier: Earlier) {
        self.earlier = Some(earlier);
    }

    /// Takes the answers a case profile or an earlier letter holds for this letter's questions,
    /// before any answers file or `--set`. Keys this letter does not ask are passed over; a value
    /// that does not fit is reported with the file and line.
    pub fn preset_known(&mut self, file: &AnswersFile, skip: &[&str]) -> Result<()> {
        for (key, value, line) in &file.entries {
            let Some(q) = self.letter.question(key) else {
                continue;
            };
            if skip.contains(&key.as_str()) {
                continue;
            }
            let empty = matches!(value, toml::Value::String(s) if s.trim().is_empty())
                || matches!(value, toml::Value::Array(a) if a.is_empty());
            if empty {
                // Left empty on purpose (an optional answer the parent skipped): not asked again.
                // A needed one is still asked.
                if !q.required {
                    self.asked.insert(key.clone());
                    self.answers.remove(key);
                }
                continue;
            }
            let v = q
                .from_toml(value, None)
                .map_err(|e| anyhow!("{}, line {line}: `{key}`: {e}", file.path))?;
            self.answers.insert(key.clone(), v);
        }
        Ok(())
    }

    /// The items a list is offered, each with whether it starts picked: an observation about
    /// another support than the letter's is offered but not picked.
    fn offered(&self, offer: Offer) -> Vec<(&Offered, bool)> {
        let support = match self.answers.get("support") {
            Some(Value::Text(t)) => Some(t.as_str()),
            _ => None,
        };
        self.known
            .offered(offer)
            .iter()
            .map(|o| {
                let fits = match (&o.about, support) {
                    (Some(about), Some(support)) => same_support(about, support),
                    _ => true,
                };
                (o, o.picked && fits)
            })
            .collect()
    }

    /// An answer the case gives for `q` given the answers so far: the recipient from the case's
    /// contacts by the role the letter goes to, or the recorded items a list offers.
    fn case_answer(&self, q: &Question) -> Option<Value> {
        if let Some(offer) = q.offer {
            let rows: Vec<_> = self
                .offered(offer)
                .into_iter()
                .filter(|(_, picked)| *picked)
                .map(|(o, _)| o.row.clone())
                .collect();
            return (!rows.is_empty()).then_some(Value::Items(rows));
        }
        let role = self.inputs().to_role()?;
        let contact = self.known.contacts.iter().find(|c| c.role == role)?;
        match q.key.as_str() {
            "recipient_name" => Some(Value::Text(contact.name.clone())),
            "recipient_email" => contact.email.clone().map(Value::Text),
            _ => None,
        }
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs {
            letter: self.letter,
            jurisdiction: self.jurisdiction,
            date: self.date,
            answers: &self.answers,
            earlier: self.earlier.as_ref(),
            attached: &self.attached,
            calendar: self.calendar,
        }
    }

    /// Takes answers from a file, then from `--set` (which win). Every key must be a question's.
    pub fn preset(&mut self, file: Option<&AnswersFile>, sets: &[(String, String)]) -> Result<()> {
        if let Some(file) = file {
            for (key, value, line) in &file.entries {
                let q = self
                    .known(key)
                    .map_err(|e| anyhow!("{}, line {line}: {e}", file.path))?;
                // An empty optional answer in a file means "leave it out, and do not ask".
                let empty = matches!(value, toml::Value::String(s) if s.trim().is_empty())
                    || matches!(value, toml::Value::Array(a) if a.is_empty());
                if empty && !q.required {
                    self.asked.insert(key.clone());
                    self.answers.remove(key);
                    continue;
                }
                let v = q
                    .from_toml(value, Some(self.date))
                    .map_err(|e| anyhow!("{}, line {line}: `{key}`: {e}", file.path))?;
                self.answers.insert(key.clone(), v);
            }
        }
        let mut set_lists = BTreeSet::new();
        for (key, text) in sets {
            let q = self.known(key).map_err(|e| anyhow!("--set {key}: {e}"))?;
            // `--set key=` clears an optional answer.
            if text.trim().is_empty() && !q.required {
                self.asked.insert(key.clone());
                self.answers.remove(key);
                continue;
            }
            let v = q
                .from_text(text, Some(self.date))
                .map_err(|e| anyhow!("--set {key}: {e}"))?;
            // A repeated --set adds to a list; the first replaces what a file said.
            match (v, self.answers.get_mut(key)) {
                (Value::List(mut more), Some(Value::List(list)))
                    if q.kind == Kind::List && !set_lists.insert(key.clone()) =>
                {
                    list.append(&mut more)
                }
                (v, _) => {
                    set_lists.insert(key.clone());
                    self.answers.insert(key.clone(), v);
                }
            }
        }
        Ok(())
    }

    fn known(&self, key: &str) -> Result<&'a Question> {
        if let Some(q) = self.letter.question(key) {
            return Ok(q);
        }
        let keys: Vec<String> = self
            .letter
            .questions
            .iter()
            .map(|q| q.key.clone())
            .collect();
        let hint = match crate::suggest::closest(key, &keys) {
            Some(k) => format!(" Did you mean `{k}`?"),
            None => String::new(),
        };
        use crate::catalog::{CASE_FORM, OBSERVATION_FORM, REPLY_FORM, SMTP_FORM};
        match self.letter.id.as_str() {
            CASE_FORM | OBSERVATION_FORM | REPLY_FORM | SMTP_FORM => bail!(
                "`{key}` is not something {} holds.{hint} It takes: {}.",
                match self.letter.id.as_str() {
                    CASE_FORM => "the case",
                    SMTP_FORM => "the email account",
                    OBSERVATION_FORM => "an observation",
                    _ => "a reply",
                },
                keys.join(", ")
            ),
            _ => bail!(
                "the letter `{}` has no question `{key}`.{hint} `iep letters show {}` lists its questions.",
                self.letter.id,
                self.letter.id
            ),
        }
    }

    /// The questions that apply given the answers so far, in order.
    pub fn applicable(&self) -> Result<Vec<&'a Question>> {
        self.applicable_in(&self.inputs().context())
    }

    /// [`Interview::applicable`] with the answers' context already made.
    fn applicable_in(&self, ctx: &tera::Context) -> Result<Vec<&'a Question>> {
        let mut out = Vec::new();
        for q in &self.letter.questions {
            if self.renderer.applies(q, ctx)? {
                out.push(q);
            }
        }
        Ok(out)
    }

    /// The default answer for `q`, if it has one.
    fn default_for(&self, q: &Question) -> Result<Option<Value>> {
        let Some(default) = &q.default else {
            return Ok(None);
        };
        let value = match default {
            toml::Value::String(s) if q.kind == Kind::Date && s == "today" => {
                Value::Date(self.date)
            }
            toml::Value::String(s) if s.contains("{{") || s.contains("{%") => {
                let text = self
                    .renderer
                    .text(&q.key, "default", s, &self.inputs().context())?;
                if text.trim().is_empty() {
                    return Ok(None);
                }
                q.from_text(&text, Some(self.date)).map_err(|e| {
                    anyhow!("the default for `{}` ({text}) does not work: {e}", q.key)
                })?
            }
            other => q
                .from_toml(other, Some(self.date))
                .map_err(|e| anyhow!("the default for `{}` does not work: {e}", q.key))?,
        };
        Ok(Some(value))
    }

    /// Completes the answers without asking: defaults fill gaps, and any needed answer still
    /// missing is reported by key.
    pub fn complete_without_asking(&mut self) -> Result<()> {
        // A default can make another question apply; go round until nothing changes.
        for _ in 0..=self.letter.questions.len() {
            let mut changed = false;
            for q in self.applicable()? {
                if self.answers.contains_key(&q.key) || self.asked.contains(&q.key) {
                    continue;
                }
                let from_case = self.case_answer(q);
                if let Some(v) = from_case.map_or_else(|| self.default_for(q), |v| Ok(Some(v)))? {
                    self.answers.insert(q.key.clone(), v);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // One context for the check and the prompts it names.
        let ctx = self.inputs().context();
        let mut missing = Vec::new();
        for q in self.applicable_in(&ctx)? {
            if q.required && !self.has_answer(&q.key) {
                missing.push((
                    q.key.clone(),
                    self.renderer.text(&q.key, "prompt", &q.prompt, &ctx)?,
                ));
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(MissingAnswers(missing, how_to_give(self.letter), self.letter.lang).into())
        }
    }

    fn has_answer(&self, key: &str) -> bool {
        match self.answers.get(key) {
            None => false,
            Some(Value::Text(t)) => !t.is_empty(),
            Some(Value::List(l)) => !l.is_empty(),
            Some(Value::Items(r)) => !r.is_empty(),
            Some(_) => true,
        }
    }

    /// Whether every applicable needed question has an answer.
    pub fn is_complete(&self) -> Result<bool> {
        Ok(self
            .applicable()?
            .iter()
            .all(|q| !q.required || self.has_answer(&q.key)))
    }

    /// Every applicable question in order with its answer, and the optional ones left empty as
    /// empty values, so a saved profile says "asked, left empty" and they are not asked again.
    pub fn answers_with_gaps(&self) -> Result<Vec<(String, Value)>> {
        Ok(self
            .applicable()?
            .into_iter()
            .filter_map(|q| match self.answers.get(&q.key) {
                Some(v) => Some((q.key.clone(), v.clone())),
                None if q.required => None,
                None => Some((q.key.clone(), empty_value(q))),
            })
            .collect())
    }

    /// The applicable answers in question order, for the answers file.
    pub fn answers_in_order(&self) -> Result<Vec<(String, Value)>> {
        Ok(self
            .applicable()?
            .into_iter()
            .filter_map(|q| Some((q.key.clone(), self.answers.get(&q.key)?.clone())))
            .collect())
    }

    /// Renders the letter from the answers as they stand.
    pub fn draft(&self) -> Result<Draft> {
        // Answers to questions that no longer apply are left out of the letter.
        let applicable: BTreeSet<&str> =
            self.applicable()?.iter().map(|q| q.key.as_str()).collect();
        let answers: BTreeMap<String, Value> = self
            .answers
            .iter()
            .filter(|(k, _)| applicable.contains(k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        self.renderer.render(&Inputs {
            answers: &answers,
            ..self.inputs()
        })
    }
}

/// One question as a front end shows it: plain data (serialisable), so that the terminal, a
/// script or a page in the browser can draw it the same way. Built by [`Interview::screen`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Screen {
    /// The question's key: what [`Interview::submit`] takes back.
    pub key: String,
    /// What kind of answer it takes.
    pub kind: Kind,
    /// Its place among the questions that apply now (1-based), and how many apply.
    pub number: usize,
    /// How many questions apply now.
    pub total: usize,
    /// The question, in the jurisdiction's words.
    pub prompt: String,
    /// A line of help.
    pub help: Option<String>,
    /// An example answer.
    pub example: Option<String>,
    /// Whether it may be left empty.
    pub optional: bool,
    /// For `choice` and `multi-choice`: what may be picked.
    pub choices: Vec<crate::catalog::question::Choice>,
    /// For a list: what one item is called ("example", "person").
    pub item: String,
    /// For a list of small forms: each item's fields, as screens of their own.
    pub fields: Vec<Screen>,
    /// The answer it has now (given, from the case, or its default), if any.
    pub current: Option<Value>,
    /// For a list the case can fill: the recorded items offered, and whether each starts picked.
    pub offered: Vec<OfferedItem>,
    /// What the offered items are (observations, earlier letters, findings), for the words
    /// that offer them.
    pub offer: Option<Offer>,
}

/// A recorded item offered for a list, as a front end shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfferedItem {
    /// One line to pick it by.
    pub label: String,
    /// Whether it starts picked.
    pub picked: bool,
    /// The entry it becomes when picked, keyed by the list's field names: a page shows it and
    /// gives it back as typed text, checked like any other.
    pub row: BTreeMap<String, Value>,
}

/// An answer as a front end gives it, before it is checked: what was typed or picked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Given {
    /// Typed text (text, long text, a date, an email address).
    Text(String),
    /// Yes or no.
    YesNo(bool),
    /// The value of one choice.
    Choice(String),
    /// The values of several choices.
    Choices(Vec<String>),
    /// One-line list items.
    Items(Vec<String>),
    /// List items that are small forms: each field's typed text by field key.
    Rows(Vec<BTreeMap<String, String>>),
    /// Nothing: leave an optional question empty.
    Nothing,
}

/// Why an answer was not taken, in words for the parent, to show beside the question.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    /// The key of the question (or `list.field`) the answer was for.
    pub key: String,
    /// What was wrong and what to type instead.
    pub message: String,
}

/// One line of the review: a question that applies and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewLine {
    /// 1-based.
    pub number: usize,
    /// The question's key.
    pub key: String,
    /// The question, in the jurisdiction's words.
    pub prompt: String,
    /// The answer in one line, or `(no answer)`.
    pub answer: String,
}

/// The engine: what any front end calls to drive an interview, with no terminal in sight.
///
/// A front end loops: [`Interview::next_question`] gives the next [`Screen`] (or `None` when
/// every question that applies is answered); the parent's answer goes to
/// [`Interview::submit`], which checks it exactly as an answers file or `--set` would and says
/// why not in an [`Invalid`]; [`Interview::back`] returns to the previous question; then
/// [`Interview::review`] lists every answer, any of which [`Interview::screen`] reopens for
/// changing, and [`Interview::draft`] renders the letter as it will be saved.
impl Interview<'_> {
    /// The next question to ask: the first that applies and has been neither asked nor
    /// answered. An answer the case holds (the recipient, by the letter's role) is filled in on
    /// the way and shown at the review, not asked.
    pub fn next_question(&mut self) -> Result<Option<Screen>> {
        if self.given.is_none() {
            self.given = Some(self.answers.keys().chain(&self.asked).cloned().collect());
        }
        loop {
            let next = self
                .applicable()?
                .into_iter()
                .find(|q| !self.asked.contains(&q.key) && !self.has_answer(&q.key));
            match next {
                Some(q) if q.offer.is_none() && self.case_answer(q).is_some() => {
                    let v = self.case_answer(q).expect("just checked");
                    self.asked.insert(q.key.clone());
                    self.answers.insert(q.key.clone(), v);
                    // Given by the case, not asked: not counted in "Question N of M".
                    if let Some(given) = &mut self.given {
                        given.insert(q.key.clone());
                    }
                }
                Some(q) => return self.screen(&q.key).map(Some),
                None => return Ok(None),
            }
        }
    }

    /// Question `key` as a front end shows it, with its current answer (given, offered by the
    /// case, or its default).
    pub fn screen(&self, key: &str) -> Result<Screen> {
        let q = self.known(key)?;
        // Counted among the questions that are asked: those that apply, less what was given
        // before asking began (a case's answers). A question reopened at the review that was
        // given is shown as its place among all that apply.
        let applicable = self.applicable()?;
        let given = self.given.as_ref();
        let counted: Vec<_> = match given {
            Some(g) if !g.contains(&q.key) => {
                applicable.iter().filter(|a| !g.contains(&a.key)).collect()
            }
            _ => applicable.iter().collect(),
        };
        let number = counted
            .iter()
            .position(|a| a.key == q.key)
            .map_or(0, |n| n + 1);
        let mut screen = self.field_screen(q, &q.key)?;
        screen.number = number;
        screen.total = counted.len();
        screen.current = match self.answers.get(&q.key) {
            Some(v) => Some(v.clone()),
            None => self.default_for(q)?,
        };
        if let Some(offer) = q.offer {
            screen.offered = self
                .offered(offer)
                .into_iter()
                .map(|(o, picked)| OfferedItem {
                    label: o.label.clone(),
                    picked,
                    row: o.row.clone(),
                })
                .collect();
        }
        Ok(screen)
    }

    fn field_screen(&self, q: &Question, key: &str) -> Result<Screen> {
        let ctx = self.inputs().context();
        let text = |part: &str, raw: &Option<String>| -> Result<Option<String>> {
            raw.as_ref()
                .map(|r| self.renderer.text(key, part, r, &ctx))
                .transpose()
        };
        Ok(Screen {
            key: key.to_owned(),
            kind: q.kind,
            number: 0,
            total: 0,
            prompt: self.renderer.text(key, "prompt", &q.prompt, &ctx)?,
            help: text("help", &q.help)?,
            example: text("example", &q.example)?,
            optional: !q.required,
            choices: q.choices.clone(),
            item: q.item.clone(),
            fields: q
                .fields
                .iter()
                .map(|f| self.field_screen(f, &format!("{key}.{}", f.key)))
                .collect::<Result<_>>()?,
            current: None,
            offered: Vec::new(),
            offer: q.offer,
        })
    }

    /// Takes the parent's answer to question `key`, checked as every other way of answering is;
    /// `Invalid` says what was wrong, and nothing changes. Empty answers to optional questions
    /// leave them out; a needed one is refused.
    pub fn submit(&mut self, key: &str, given: Given) -> Result<(), Invalid> {
        let invalid = |message: String| Invalid {
            key: key.to_owned(),
            message,
        };
        let q = self.known(key).map_err(|e| invalid(format!("{e:#}")))?;
        let value = self.check(q, key, given)?;
        match value {
            Some(v) => self.answers.insert(q.key.clone(), v),
            None => self.answers.remove(&q.key),
        };
        self.mark_asked(&q.key);
        Ok(())
    }

    /// How many of the questions that apply were already answered when asking began (by the
    /// case, a file, `--set`), so a front end can say so once.
    pub fn given_count(&self) -> Result<usize> {
        let Some(given) = &self.given else {
            return Ok(0);
        };
        Ok(self
            .applicable()?
            .iter()
            .filter(|q| given.contains(&q.key))
            .count())
    }

    /// Goes on from answers kept by [`Interview::autosave`] (a run cut short, or a front end
    /// that keeps nothing between screens and builds the interview again for each): they are
    /// the parent's own answers, so "Question N of M" counts them as asked, not as given by the
    /// case, and [`Interview::back`] steps back through them in question order. Call it after
    /// the case's answers ([`Interview::preset_known`]) and before the first
    /// [`Interview::next_question`].
    pub fn resume(&mut self, draft: &AnswersFile) -> Result<()> {
        if self.given.is_none() {
            self.given = Some(self.answers.keys().chain(&self.asked).cloned().collect());
        }
        self.preset(Some(draft), &[])?;
        let mut given = self.given.take().unwrap_or_default();
        let kept: BTreeSet<&str> = draft.entries.iter().map(|(k, _, _)| k.as_str()).collect();
        for q in &self.letter.questions {
            if !kept.contains(q.key.as_str()) || given.contains(&q.key) {
                continue;
            }
            // Filled in from the case's people on the way, never asked: not a step back, and
            // given, as [`Interview::next_question`] counts it.
            let from_case = q.offer.is_none()
                && self.answers.contains_key(&q.key)
                && self.case_answer(q).as_ref() == self.answers.get(&q.key);
            if from_case {
                given.insert(q.key.clone());
            } else {
                self.history.push(q.key.clone());
            }
        }
        self.given = Some(given);
        Ok(())
    }

    /// Goes back one question: the last one answered is open again, and its key is returned for
    /// the front end to show with [`Interview::screen`] (its answer stays as the one shown, so
    /// submitting it unchanged keeps it). `None` when nothing has been answered yet.
    pub fn back(&mut self) -> Option<String> {
        let last = self.history.pop()?;
        self.asked.remove(&last);
        Some(last)
    }

    /// The review: every question that applies, in order, with its answer.
    pub fn review(&self) -> Result<Vec<ReviewLine>> {
        let ctx = self.inputs().context();
        self.applicable()?
            .iter()
            .enumerate()
            .map(|(n, q)| {
                Ok(ReviewLine {
                    number: n + 1,
                    key: q.key.clone(),
                    prompt: self.renderer.text(&q.key, "prompt", &q.prompt, &ctx)?,
                    answer: match self.answers.get(&q.key) {
                        // A choice is shown by the words the parent picked, not its value.
                        Some(Value::Text(v)) if q.kind == Kind::Choice => q
                            .choices
                            .iter()
                            .find(|c| &c.value == v)
                            .map_or_else(|| v.clone(), |c| c.label.clone()),
                        Some(v) => self.summary(v),
                        None => self.letter.lang.words().no_answer.into(),
                    },
                })
            })
            .collect()
    }

    /// Checks a given answer against its question; `None` for an optional one left empty.
    pub(crate) fn check(
        &self,
        q: &Question,
        key: &str,
        given: Given,
    ) -> Result<Option<Value>, Invalid> {
        let invalid = |message: String| Invalid {
            key: key.to_owned(),
            message,
        };
        let w = self.letter.lang.words();
        let not_a_choice = |c: &str| invalid(crate::lang::fill(w.not_a_choice, &[("choice", c)]));
        let needed = || {
            invalid(if q.kind == Kind::List {
                crate::lang::fill(w.at_least_one, &[("item", &q.item)])
            } else {
                w.answer_needed.to_owned()
            })
        };
        let date = Some(self.date);
        let value = match given {
            Given::Nothing => None,
            Given::Text(t) if t.trim().is_empty() => None,
            Given::Text(t) => Some(q.from_text(&t, date).map_err(|e| invalid(e.0))?),
            Given::YesNo(b) if q.kind == Kind::YesNo => Some(Value::Bool(b)),
            Given::Choice(c) if q.kind == Kind::Choice => {
                if !q.choices.iter().any(|ch| ch.value == c) {
                    return Err(not_a_choice(&c));
                }
                Some(Value::Text(c))
            }
            Given::Choices(cs) if q.kind == Kind::MultiChoice => {
                if let Some(c) = cs
                    .iter()
                    .find(|c| !q.choices.iter().any(|ch| &ch.value == *c))
                {
                    return Err(not_a_choice(c));
                }
                (!cs.is_empty()).then_some(Value::List(cs))
            }
            Given::Items(items) if q.kind == Kind::List && q.fields.is_empty() => {
                let mut all = Vec::new();
                for item in items.iter().filter(|i| !i.trim().is_empty()) {
                    match q.from_text(item, date).map_err(|e| invalid(e.0))? {
                        Value::List(mut v) => all.append(&mut v),
                        _ => unreachable!("a plain list reads one item"),
                    }
                }
                (!all.is_empty()).then_some(Value::List(all))
            }
            Given::Rows(rows) if q.kind == Kind::List && !q.fields.is_empty() => {
                let mut out = Vec::new();
                for (n, row) in rows.iter().enumerate() {
                    let mut checked = BTreeMap::new();
                    for field in &q.fields {
                        let typed = row.get(&field.key).map(String::as_str).unwrap_or("");
                        let at = format!("{key}.{}", field.key);
                        if typed.trim().is_empty() {
                            if field.required {
                                return Err(Invalid {
                                    key: at,
                                    message: crate::lang::fill(
                                        w.part_needed,
                                        &[
                                            ("item", &capitalise_first(&q.item)),
                                            ("n", &(n + 1).to_string()),
                                        ],
                                    ),
                                });
                            }
                            continue;
                        }
                        let v = field.from_text(typed, date).map_err(|e| Invalid {
                            key: at.clone(),
                            message: e.0,
                        })?;
                        checked.insert(field.key.clone(), v);
                    }
                    out.push(checked);
                }
                (!out.is_empty()).then_some(Value::Items(out))
            }
            other => {
                return Err(invalid(crate::lang::fill(
                    w.takes,
                    &[("what", &format!("{}, not {other:?}", q.kind.name()))],
                )));
            }
        };
        if value.is_none() && q.required {
            return Err(needed());
        }
        Ok(value)
    }

    /// Records that `key` was asked (it is not asked again), in the order asked for
    /// [`Interview::back`], and saves the answers so far.
    pub(crate) fn mark_asked(&mut self, key: &str) {
        self.asked.insert(key.to_owned());
        if self.history.last().map(String::as_str) != Some(key) {
            self.history.push(key.to_owned());
        }
        if self.autosave.is_some() {
            let so_far = self.answers_so_far();
            if let Some(Autosave(save)) = &mut self.autosave {
                save(&so_far);
            }
        }
    }
}

impl Interview<'_> {
    /// An answer in one line, for the review, in the letter's language: yes and no, dates as
    /// the letter writes them, and how many entries a list holds.
    fn summary(&self, v: &Value) -> String {
        let w = self.letter.lang.words();
        if self.letter.lang == crate::lang::Lang::En {
            return v.summary();
        }
        match v {
            Value::Bool(true) => w.yes.to_owned(),
            Value::Bool(false) => w.no.to_owned(),
            Value::Date(d) => self.jurisdiction.format_date(*d),
            Value::List(items) if items.is_empty() => w.none.to_owned(),
            Value::Items(rows) => match rows.len() {
                0 => w.none.to_owned(),
                1 => w.one_entry.to_owned(),
                n => crate::lang::fill(w.entries, &[("n", &n.to_string())]),
            },
            other => other.summary(),
        }
    }
}

fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
