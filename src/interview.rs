//! The interview: the one place that orders questions, applies `when`, checks answers, and runs
//! the review where any answer can be changed.
//!
//! Answers arrive three ways: an answers file, `--set`, and the prompter. All three pass through
//! [`Question::from_toml`] or [`Question::from_text`], so an answer is checked the same way
//! whoever gave it.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;

use crate::answers::{AnswersFile, Value};
use crate::calendar::Calendar;
use crate::catalog::Letter;
use crate::catalog::question::{Kind, Offer, Question};
use crate::draft::Draft;
use crate::jurisdiction::Jurisdiction;
use crate::prompt::{Prompt, Prompter};
use crate::render::{Earlier, Inputs, Renderer};

/// Required answers that nobody gave, when nothing may be asked.
#[derive(Debug, thiserror::Error)]
#[error("{}", missing_message(.0, .1))]
pub struct MissingAnswers(pub Vec<(String, String)>, pub &'static str);

fn missing_message(missing: &[(String, String)], how: &str) -> String {
    let width = missing.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut msg = format!(
        "{} needed answer{} missing, and iep is not asking questions here (no terminal, or --no-input):\n",
        missing.len(),
        if missing.len() == 1 { " is" } else { "s are" }
    );
    for (key, prompt) in missing {
        msg.push_str(&format!("  {key:width$}  {prompt}\n"));
    }
    msg.push_str(how);
    msg
}

/// How to give answers without being asked, for a letter or one of the forms.
fn how_to_give(letter: &Letter) -> &'static str {
    use crate::catalog::{CASE_FORM, OBSERVATION_FORM, REPLY_FORM, SMTP_FORM};
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
    /// Leave without saving.
    Quit,
}

/// Someone the family writes to, from the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Role or ladder rung id: `principal`, `superintendent`.
    pub role: String,
    /// Name as the family greets them.
    pub name: String,
    /// Email address, if known.
    pub email: Option<String>,
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
            known: Known::default(),
            earlier: None,
            autosave: None,
            attached: Vec::new(),
            calendar: None,
        }
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
        let ctx = self.inputs().context();
        let mut out = Vec::new();
        for q in &self.letter.questions {
            if self.renderer.applies(q, &ctx)? {
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
        let ctx = self.inputs().context();
        let mut missing = Vec::new();
        for q in self.applicable()? {
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
            Err(MissingAnswers(missing, how_to_give(self.letter)).into())
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

    /// Asks what is not yet answered, then reviews, previews, and lets the parent save or quit.
    pub fn run(&mut self, p: &mut dyn Prompter) -> Result<Outcome> {
        self.ask_unanswered(p)?;
        loop {
            self.review_until_happy(p, "Everything looks right: show me the letter")?;
            let draft = match self.draft() {
                Ok(d) => d,
                Err(e) => {
                    p.note(&format!(
                        "The letter could not be made yet: {e:#}\nChange the answer it names."
                    ));
                    continue;
                }
            };
            p.note(&preview(&draft));
            let choice = p.select(
                &Prompt {
                    text: "What would you like to do?".into(),
                    ..Prompt::default()
                },
                &[
                    "Save the letter".into(),
                    "Change an answer".into(),
                    "Quit without saving".into(),
                ],
                0,
            )?;
            match choice {
                0 => return Ok(Outcome::Save(Box::new(draft))),
                1 => continue,
                _ => return Ok(Outcome::Quit),
            }
        }
    }

    /// For a form (the case profile, an observation, a reply): asks what is not yet answered,
    /// then the review, until the parent is happy. Nothing is rendered.
    pub fn run_form(&mut self, p: &mut dyn Prompter) -> Result<()> {
        self.ask_unanswered(p)?;
        self.review_until_happy(p, "Everything looks right: save")
    }

    /// Shows the review until the parent picks `done`, asking again each answer they pick.
    fn review_until_happy(&mut self, p: &mut dyn Prompter, done: &str) -> Result<()> {
        while let Some(key) = self.review(p, done)? {
            let q = self
                .letter
                .question(&key)
                .expect("review offers only known questions");
            self.ask(p, q)?;
            self.ask_unanswered(p)?;
        }
        Ok(())
    }

    /// Asks each applicable question not yet asked or answered, in order.
    fn ask_unanswered(&mut self, p: &mut dyn Prompter) -> Result<()> {
        loop {
            let next = self
                .applicable()?
                .into_iter()
                .find(|q| !self.asked.contains(&q.key) && !self.has_answer(&q.key));
            match next {
                Some(q) if q.offer.is_none() && self.case_answer(q).is_some() => {
                    // The case knows this (the recipient, by role): shown at review, not asked.
                    let v = self.case_answer(q).expect("just checked");
                    self.asked.insert(q.key.clone());
                    self.answers.insert(q.key.clone(), v);
                }
                Some(q) => self.ask(p, q)?,
                None => return Ok(()),
            }
        }
    }

    fn progress(&self, q: &Question) -> Result<String> {
        let applicable = self.applicable()?;
        let n = applicable.iter().position(|a| a.key == q.key).unwrap_or(0) + 1;
        Ok(format!("Question {n} of {}", applicable.len()))
    }

    fn prompt_for(&self, q: &Question, key: &str, progress: String) -> Result<Prompt> {
        let ctx = self.inputs().context();
        let text = |part: &str, raw: &Option<String>| -> Result<Option<String>> {
            raw.as_ref()
                .map(|r| self.renderer.text(key, part, r, &ctx))
                .transpose()
        };
        Ok(Prompt {
            progress,
            text: self.renderer.text(key, "prompt", &q.prompt, &ctx)?,
            help: text("help", &q.help)?,
            example: text("example", &q.example)?,
            optional: !q.required,
        })
    }

    /// Asks one question until it has a valid answer (or is left empty, when optional).
    fn ask(&mut self, p: &mut dyn Prompter, q: &'a Question) -> Result<()> {
        self.asked.insert(q.key.clone());
        let prompt = self.prompt_for(q, &q.key, self.progress(q)?)?;
        let current = match self.answers.get(&q.key) {
            Some(v) => Some(v.clone()),
            None => match self.offer(p, q, &prompt)? {
                Some(v) => Some(v),
                None => self.default_for(q)?,
            },
        };
        let value = match q.kind {
            Kind::List if !q.fields.is_empty() => Some(self.ask_rows(p, q, &prompt, current)?),
            Kind::List => Some(self.ask_items(p, q, &prompt, current)?),
            _ => self.ask_one(p, q, &q.key, &prompt, current.as_ref())?,
        };
        match value {
            Some(v) => self.answers.insert(q.key.clone(), v),
            None => self.answers.remove(&q.key),
        };
        if self.autosave.is_some() {
            let so_far = self.answers_so_far();
            if let Some(Autosave(save)) = &mut self.autosave {
                save(&so_far);
            }
        }
        Ok(())
    }

    /// Offers the case's recorded items for a list, to pick from; `None` when it has none.
    fn offer(&self, p: &mut dyn Prompter, q: &Question, prompt: &Prompt) -> Result<Option<Value>> {
        let Some(offer) = q.offer else {
            return Ok(None);
        };
        let offered = self.offered(offer);
        if offered.is_empty() {
            return Ok(None);
        }
        let what = match offer {
            Offer::Observations => {
                "You recorded these observations. Which should the letter include?"
            }
            Offer::Letters => "The case holds these earlier letters. Which should the letter list?",
            Offer::Findings => {
                "iep check found these. Which do you want to raise? Leave out any you do not."
            }
        };
        let labels: Vec<String> = offered.iter().map(|(o, _)| o.label.clone()).collect();
        let picked: Vec<bool> = offered.iter().map(|(_, picked)| *picked).collect();
        let chosen = p.multi_select(
            &Prompt {
                text: what.into(),
                help: Some(format!("{} You can add more after.", prompt.text)),
                ..prompt.clone()
            },
            &labels,
            &picked,
        )?;
        Ok((!chosen.is_empty()).then(|| {
            Value::Items(
                chosen
                    .into_iter()
                    .map(|i| offered[i].0.row.clone())
                    .collect(),
            )
        }))
    }

    /// Asks a single-valued question (or one field of a list item).
    fn ask_one(
        &self,
        p: &mut dyn Prompter,
        q: &Question,
        key: &str,
        prompt: &Prompt,
        current: Option<&Value>,
    ) -> Result<Option<Value>> {
        match q.kind {
            Kind::YesNo => {
                let default = matches!(current, Some(Value::Bool(true)));
                Ok(Some(Value::Bool(p.confirm(prompt, default)?)))
            }
            Kind::Choice => {
                let choices = &q.choices;
                let mut items: Vec<String> = choices.iter().map(|c| c.label.clone()).collect();
                if !q.required {
                    items.push("(leave this out)".into());
                }
                let default = match current {
                    Some(Value::Text(v)) => choices.iter().position(|c| &c.value == v).unwrap_or(0),
                    _ => 0,
                };
                let i = p.select(prompt, &items, default)?;
                Ok(choices.get(i).map(|c| Value::Text(c.value.clone())))
            }
            Kind::MultiChoice => loop {
                let items: Vec<String> = q.choices.iter().map(|c| c.label.clone()).collect();
                let picked: Vec<bool> = q
                    .choices
                    .iter()
                    .map(|c| matches!(current, Some(Value::List(l)) if l.contains(&c.value)))
                    .collect();
                let chosen = p.multi_select(prompt, &items, &picked)?;
                if chosen.is_empty() && q.required {
                    p.note("Pick at least one.");
                    continue;
                }
                if chosen.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(Value::List(
                    chosen
                        .into_iter()
                        .map(|i| q.choices[i].value.clone())
                        .collect(),
                )));
            },
            _ => loop {
                let default = current.map(|v| match v {
                    Value::Text(t) => t.clone(),
                    other => other.summary(),
                });
                let typed = p.text(prompt, default.as_deref(), q.kind == Kind::LongText)?;
                if typed.trim().is_empty() {
                    if !q.required {
                        return Ok(None);
                    }
                    p.note("This answer is needed to write the letter.");
                    continue;
                }
                match q.from_text(&typed, Some(self.date)) {
                    Ok(v) => return Ok(Some(v)),
                    Err(e) => p.note(&format!("{e}. ({key})")),
                }
            },
        }
    }

    /// A list of one-line items.
    fn ask_items(
        &self,
        p: &mut dyn Prompter,
        q: &Question,
        prompt: &Prompt,
        current: Option<Value>,
    ) -> Result<Value> {
        let mut items = match current {
            Some(Value::List(l)) => l,
            _ => Vec::new(),
        };
        if !items.is_empty() {
            p.note(&format!("So far: {}", items.join("; ")));
            if !p.confirm(
                &Prompt {
                    text: "Keep these and add more?".into(),
                    ..Prompt::default()
                },
                true,
            )? {
                items.clear();
            }
        }
        p.note(&format!(
            "{} One {} per line; press Enter on an empty line when done.",
            prompt.text, q.item
        ));
        loop {
            let one = Prompt {
                text: format!("{} {}", capitalise(&q.item), items.len() + 1),
                ..prompt.clone()
            };
            let typed = p.text(&one, None, false)?;
            if typed.trim().is_empty() {
                if items.is_empty() && q.required {
                    p.note(&format!("At least one {} is needed.", q.item));
                    continue;
                }
                return Ok(Value::List(items));
            }
            match q.from_text(&typed, Some(self.date)) {
                Ok(Value::List(mut v)) => items.append(&mut v),
                Ok(_) => unreachable!("a plain list reads one item"),
                Err(e) => p.note(&e),
            }
        }
    }

    /// A list of small forms (each item has fields).
    fn ask_rows(
        &self,
        p: &mut dyn Prompter,
        q: &Question,
        prompt: &Prompt,
        current: Option<Value>,
    ) -> Result<Value> {
        let mut rows = match current {
            Some(Value::Items(r)) => r,
            _ => Vec::new(),
        };
        p.note(&prompt.text);
        if let Some(help) = &prompt.help {
            p.note(help);
        }
        if !rows.is_empty() {
            p.note(&format!(
                "You have {} so far.",
                Value::Items(rows.clone()).summary()
            ));
            if !p.confirm(
                &Prompt {
                    text: "Keep them?".into(),
                    ..Prompt::default()
                },
                true,
            )? {
                rows.clear();
            }
        }
        loop {
            let add = p.confirm(
                &Prompt {
                    progress: prompt.progress.clone(),
                    text: format!(
                        "Add {} {}?",
                        if rows.is_empty() { "a" } else { "another" },
                        q.item
                    ),
                    ..Prompt::default()
                },
                rows.is_empty(),
            )?;
            if !add {
                if rows.is_empty() && q.required {
                    p.note(&format!(
                        "At least one {} is needed for this letter.",
                        q.item
                    ));
                    continue;
                }
                return Ok(Value::Items(rows));
            }
            let mut row = BTreeMap::new();
            for field in &q.fields {
                let key = format!("{}.{}", q.key, field.key);
                let fp = self.prompt_for(
                    field,
                    &key,
                    format!("{} {}", capitalise(&q.item), rows.len() + 1),
                )?;
                if let Some(v) = self.ask_one(p, field, &key, &fp, None)? {
                    row.insert(field.key.clone(), v);
                }
            }
            rows.push(row);
        }
    }

    /// The review screen: `None` when the parent is happy, or the key of an answer to change.
    fn review(&self, p: &mut dyn Prompter, done: &str) -> Result<Option<String>> {
        let ctx = self.inputs().context();
        let applicable = self.applicable()?;
        let mut items = vec![done.to_owned()];
        for (n, q) in applicable.iter().enumerate() {
            let prompt = self.renderer.text(&q.key, "prompt", &q.prompt, &ctx)?;
            let answer = match self.answers.get(&q.key) {
                Some(v) => v.summary(),
                None => "(no answer)".into(),
            };
            items.push(format!(
                "{:>2}. {}: {}",
                n + 1,
                shorten(&prompt, 48),
                shorten(&answer, 40)
            ));
        }
        let i = p.select(
            &Prompt {
                text: "Check your answers. Pick one to change it.".into(),
                ..Prompt::default()
            },
            &items,
            0,
        )?;
        Ok(if i == 0 {
            None
        } else {
            Some(applicable[i - 1].key.clone())
        })
    }
}

fn preview(draft: &Draft) -> String {
    let rule = "─".repeat(60);
    format!("\n{rule}\n{}{rule}", draft.to_text())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}
