//! A letter definition: `letters/<id>/letter.toml`, merged with the shared `letters/common.toml`.

use std::collections::BTreeSet;

use anyhow::{Result, bail};
use serde::Deserialize;

use super::question::{Question, QuestionDef};

/// Whether a letter is sent (an email or posted letter) or printed to bring along.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    /// Sent to someone: subject, recipients, body.
    #[default]
    Email,
    /// A page to print or bring: no recipients, no reply date.
    Document,
}

/// `letter.toml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LetterFile {
    /// Short title: "A support in the plan is not happening".
    pub title: String,
    /// One line on when to use it, for `iep letters`.
    pub use_when: String,
    /// `email` (default) or `document`.
    #[serde(default)]
    pub form: Form,
    /// Who it is addressed to: a role id (`principal`), or `ladder` for a rung the family picks.
    pub to: Option<String>,
    /// Whether the letter asks for a reply by a date (default true for email letters).
    pub asks_reply: Option<bool>,
    /// The jurisdictions (by id) this letter exists for; every jurisdiction when empty. Ontario's
    /// IPRC request has no counterpart elsewhere.
    #[serde(default)]
    pub jurisdictions: Vec<String>,
    /// The reply window a rule sets for this letter, when it is not the jurisdiction's default
    /// (Ontario's IPRC request: 15 days).
    pub reply_window: Option<crate::jurisdiction::Window>,
    /// Letters that usually come next if this one gets no reply by its date.
    #[serde(default)]
    pub next: Vec<String>,
    /// Letters that usually come next if a reply left some of its questions unanswered: asking
    /// again for what is still open, or a step further.
    #[serde(default)]
    pub next_after_reply: Vec<String>,
    /// What the letter asks for, in one line, for the case log and later letters' chronology.
    /// May use `{{ }}`: "that {{ support }} be given as the plan says".
    pub asked: Option<String>,
    /// Shared questions this letter does not ask.
    #[serde(default)]
    pub omit: Vec<String>,
    /// Shared questions that are optional elsewhere but needed here.
    #[serde(default)]
    pub require: Vec<String>,
    /// This letter's questions, in order. An entry with only a `key` that names a shared
    /// question places that shared question here; with a `prompt` it replaces it.
    #[serde(default)]
    pub questions: Vec<QuestionDef>,
}

/// `letters/common.toml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CommonFile {
    /// Questions every letter asks unless it omits them.
    pub questions: Vec<QuestionDef>,
}

/// A letter ready to ask and render.
#[derive(Debug, Clone)]
pub struct Letter {
    /// `implementation-concern`.
    pub id: String,
    /// Title.
    pub title: String,
    /// When to use it.
    pub use_when: String,
    /// Email or document.
    pub form: Form,
    /// Addressee role or `ladder`.
    pub to: Option<String>,
    /// Whether it carries a reply-by date.
    pub asks_reply: bool,
    /// The jurisdictions it exists for; all when empty.
    pub jurisdictions: Vec<String>,
    /// Its own reply window, when a rule sets one.
    pub reply_window: Option<crate::jurisdiction::Window>,
    /// Next letters when no reply came by the date.
    pub next: Vec<String>,
    /// Next letters when a reply left questions unanswered.
    pub next_after_reply: Vec<String>,
    /// What it asks for, in one line (a template).
    pub asked: Option<String>,
    /// Every question, shared ones included, in the order asked.
    pub questions: Vec<Question>,
    /// The language its words are in (and its templates, `body.<lang>.txt.tera`).
    pub lang: crate::lang::Lang,
}

impl Letter {
    /// Builds a letter from its file and the shared questions.
    pub fn build(id: &str, file: LetterFile, common: &CommonFile) -> Result<Self> {
        let common: Vec<Question> = common
            .questions
            .iter()
            .cloned()
            .map(Question::from_def)
            .collect::<Result<_, _>>()?;
        let common_keys: BTreeSet<&str> = common.iter().map(|q| q.key.as_str()).collect();
        for key in file.omit.iter().chain(&file.require) {
            if !common_keys.contains(key.as_str()) {
                bail!("`omit` and `require` name shared questions, and `{key}` is not one");
            }
        }

        let mut placed = BTreeSet::new();
        let mut own = Vec::new();
        for def in file.questions {
            let is_shared = common_keys.contains(def.key.as_str());
            if is_shared && def.prompt.is_none() {
                if def.kind.is_some()
                    || def.help.is_some()
                    || def.when.is_some()
                    || def.default.is_some()
                {
                    bail!(
                        "question `{}` places a shared question; to change it, give it a `prompt` too",
                        def.key
                    );
                }
                let q = common
                    .iter()
                    .find(|q| q.key == def.key)
                    .expect("key is shared");
                own.push(q.clone());
            } else {
                own.push(Question::from_def(def)?);
            }
            if is_shared {
                placed.insert(own.last().expect("just pushed").key.clone());
            }
        }
        let mut questions: Vec<Question> = common
            .iter()
            .filter(|q| !placed.contains(&q.key) && !file.omit.contains(&q.key))
            .cloned()
            .collect();
        questions.extend(own);

        let mut seen = BTreeSet::new();
        for q in &mut questions {
            if !seen.insert(q.key.clone()) {
                bail!("two questions have the key `{}`", q.key);
            }
            if file.require.contains(&q.key) {
                q.required = true;
            }
        }
        if file.form == Form::Email && file.to.is_none() {
            bail!("an email letter needs `to`: a role id such as \"principal\", or \"ladder\"");
        }
        Ok(Letter {
            id: id.to_owned(),
            title: file.title,
            use_when: file.use_when,
            form: file.form,
            asks_reply: file.asks_reply.unwrap_or(file.form == Form::Email),
            jurisdictions: file.jurisdictions,
            reply_window: file.reply_window,
            to: file.to,
            next: file.next,
            next_after_reply: file.next_after_reply,
            asked: file.asked,
            questions,
            lang: crate::lang::Lang::En,
        })
    }

    /// Marks the letter and every question as being in `lang`: their words are, and the
    /// checks of an answer speak it.
    pub fn set_lang(&mut self, lang: crate::lang::Lang) {
        fn set(q: &mut Question, lang: crate::lang::Lang) {
            q.lang = lang;
            for f in &mut q.fields {
                set(f, lang);
            }
        }
        self.lang = lang;
        for q in &mut self.questions {
            set(q, lang);
        }
    }

    /// Fills in choices that come from the jurisdiction (the escalation ladder, its people).
    pub fn fill_choices(&mut self, j: &crate::jurisdiction::Jurisdiction) {
        fn fill(q: &mut Question, j: &crate::jurisdiction::Jurisdiction) {
            use super::question::{Choice, ChoicesFrom};
            match q.choices_from {
                Some(ChoicesFrom::Ladder) => {
                    // French puts a no-break space before a colon.
                    let sep = if j.language.starts_with("fr") {
                        "\u{a0}: "
                    } else {
                        ": "
                    };
                    q.choices = j
                        .escalation_rungs()
                        .map(|r| Choice {
                            value: r.id.clone(),
                            label: format!("{}{sep}{}", r.office, r.hears),
                        })
                        .collect();
                }
                Some(ChoicesFrom::People) => {
                    q.choices = j
                        .people()
                        .into_iter()
                        .map(|(value, label)| Choice { value, label })
                        .collect();
                }
                Some(ChoicesFrom::BoardKinds) => {
                    q.choices = j
                        .board_kinds
                        .iter()
                        .map(|k| Choice {
                            value: k.id.clone(),
                            label: k.label.clone(),
                        })
                        .collect();
                }
                Some(ChoicesFrom::Asks) | None => {}
            }
            for field in &mut q.fields {
                fill(field, j);
            }
        }
        for q in &mut self.questions {
            fill(q, j);
        }
    }

    /// Whether this letter exists for jurisdiction `id`.
    pub fn exists_for(&self, id: &str) -> bool {
        self.jurisdictions.is_empty() || self.jurisdictions.iter().any(|j| j == id)
    }

    /// Refuses a jurisdiction the letter does not exist for, saying which it is for.
    pub fn require_jurisdiction(&self, j: &crate::jurisdiction::Jurisdiction) -> Result<()> {
        if self.exists_for(&j.id) {
            return Ok(());
        }
        bail!(
            "the letter \"{}\" is only for these jurisdictions: {}. What it asks for is not part of the rules in {}. `iep letters` lists every letter and where it applies",
            self.id,
            self.jurisdictions.join(", "),
            j.name
        )
    }

    /// A question by key.
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }
}
