//! A letter's words in another language: `letters/<id>/letter.fr.toml` beside `letter.toml`,
//! and `letters/common.fr.toml` beside `common.toml` (a form: `letters/case.fr.toml`).
//!
//! Such a file holds only words, by question key: a prompt, help, example, a text default, a
//! list item's name, choice labels by value, and the same for a list's fields. Everything else
//! (kinds, conditions, checks, answer keys, choice values) stays in the English file, so one
//! answers file writes the letter in either language and a case started in one language can
//! write in the other. Every word the English file shows a parent must have its counterpart
//! here; a missing one is an error that names it, so nothing English slips into a French
//! interview.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::question::{ChoiceDef, QuestionDef};
use crate::refused::Refused;

/// `letter.<lang>.toml` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LetterText {
    /// The letter's id in this language (`demande-pi`), which `iep write` also takes and which
    /// chooses this language. Lower case, digits and `-`.
    pub alias: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// When to use it.
    pub use_when: Option<String>,
    /// What it asks for, in one line (a template, like the English one).
    pub asked: Option<String>,
    /// Each question's words, by key.
    #[serde(default)]
    pub questions: BTreeMap<String, QuestionText>,
}

/// `common.<lang>.toml` as written: the shared questions' words, by key.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CommonText {
    /// Each shared question's words.
    #[serde(default)]
    pub questions: BTreeMap<String, QuestionText>,
}

/// One question's words.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct QuestionText {
    /// The question.
    pub prompt: Option<String>,
    /// Its help.
    pub help: Option<String>,
    /// Its example.
    pub example: Option<String>,
    /// A text default (a date's `today` and choice values stay as they are).
    pub default: Option<String>,
    /// What one list item is called.
    pub item: Option<String>,
    /// Choice labels by value.
    #[serde(default)]
    pub choices: BTreeMap<String, String>,
    /// A list's fields' words, by field key.
    #[serde(default)]
    pub fields: BTreeMap<String, QuestionText>,
}

/// Puts the words of `text` into `defs` (the questions of one English file). `shared` names the
/// keys that are the shared questions a letter only places (their words are in
/// `common.<lang>.toml`); `file` names the file in messages.
pub fn apply(
    defs: &mut [QuestionDef],
    mut text: BTreeMap<String, QuestionText>,
    placed_only: &[String],
    file: &str,
) -> Result<(), Refused> {
    for def in defs.iter_mut() {
        if placed_only.contains(&def.key) {
            if text.contains_key(&def.key) {
                return Err(format!(
                    "{file}: `{}` is a shared question this letter only places; its words are in common.{}",
                    def.key,
                    ext_of(file)
                )
                .into());
            }
            continue;
        }
        let words = text.remove(&def.key).unwrap_or_default();
        one(def, words, file, &def.key.clone())?;
    }
    if let Some(key) = text.keys().next() {
        return Err(format!("{file}: `{key}` is not a question of this letter").into());
    }
    Ok(())
}

fn ext_of(file: &str) -> String {
    file.rsplit_once("letter.")
        .or_else(|| file.rsplit_once("common."))
        .map_or_else(|| "toml".into(), |(_, e)| e.to_owned())
}

/// One question's words, checked to cover every word the English shows.
fn one(def: &mut QuestionDef, mut t: QuestionText, file: &str, at: &str) -> Result<(), Refused> {
    let missing = |part: &str| -> Refused {
        format!("{file}: question `{at}` has no `{part}` here, but the English one has: every word a parent sees needs its translation").into()
    };
    if def.prompt.is_some() {
        def.prompt = Some(t.prompt.take().ok_or_else(|| missing("prompt"))?);
    }
    if def.help.is_some() {
        def.help = Some(t.help.take().ok_or_else(|| missing("help"))?);
    }
    if def.example.is_some() {
        def.example = Some(t.example.take().ok_or_else(|| missing("example"))?);
    }
    if def.item.is_some() {
        def.item = Some(t.item.take().ok_or_else(|| missing("item"))?);
    }
    // A text default is words; a date's "today", a yes/no and choice values are not.
    let wordy_default = matches!(&def.default, Some(toml::Value::String(_)))
        && matches!(
            def.kind,
            None | Some(super::question::Kind::Text | super::question::Kind::LongText)
        );
    if wordy_default {
        def.default = Some(toml::Value::String(
            t.default.take().ok_or_else(|| missing("default"))?,
        ));
    }
    for extra in [
        ("prompt", t.prompt.is_some()),
        ("help", t.help.is_some()),
        ("example", t.example.is_some()),
        ("item", t.item.is_some()),
        ("default", t.default.is_some()),
    ] {
        if extra.1 {
            return Err(format!(
                "{file}: question `{at}` has a `{}` here that the English one does not have",
                extra.0
            )
            .into());
        }
    }
    for choice in &mut def.choices {
        let value = match choice {
            ChoiceDef::Plain(v) => v.clone(),
            ChoiceDef::Labelled { value, .. } => value.clone(),
        };
        let label = t.choices.remove(&value).ok_or_else(|| -> Refused {
            format!("{file}: question `{at}` has no label for the choice `{value}`").into()
        })?;
        *choice = ChoiceDef::Labelled { value, label };
    }
    if let Some(v) = t.choices.keys().next() {
        return Err(format!("{file}: question `{at}` has no choice `{v}`").into());
    }
    for field in &mut def.fields {
        let words = t.fields.remove(&field.key).unwrap_or_default();
        let at = format!("{at}.{}", field.key);
        one(field, words, file, &at)?;
    }
    if let Some(f) = t.fields.keys().next() {
        return Err(format!("{file}: question `{at}` has no field `{f}`").into());
    }
    Ok(())
}
