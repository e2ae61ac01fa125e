//! What several commands share for forms and answers given as flags: filling a form (the case
//! profile, an observation, a reply, the email account), `--contact`, `--set`, and asking where
//! the child goes to school.

use anyhow::Result;
use chrono::NaiveDate;

use crate::answers::{self, AnswersFile, Value};
use crate::catalog::{Catalog, Letter};
use crate::interview::Interview;
use crate::jurisdiction::Jurisdiction;
use crate::prompt::{Prompt, Prompter};
use crate::render::Renderer;

/// Fills a form (see [`Catalog::form`]): answers from `preset` and `sets`, the rest asked at a
/// terminal (with a review), or reported missing without one. At a terminal, a form given no
/// answers as flags (`flags` false) is reviewed even when complete. Optional questions left
/// empty come back as empty values (see [`Interview::answers_with_gaps`]).
pub fn fill_form(
    form: &Letter,
    jurisdiction: &Jurisdiction,
    date: NaiveDate,
    start: FormStart<'_>,
    prompter: Option<&mut dyn Prompter>,
) -> Result<Vec<(String, Value)>> {
    let renderer = Renderer::form(form)?;
    let mut interview = Interview::new(form, jurisdiction, &renderer, date);
    interview.preset(start.preset, start.sets)?;
    if let Some(path) = start.keep {
        interview.autosave(keeper(
            path.to_owned(),
            form.id.clone(),
            answers::Meta::default(),
        ));
    }
    match prompter {
        Some(p) if !interview.is_complete()? || !start.flags => interview.run_form(p)?,
        _ => interview.complete_without_asking()?,
    }
    interview.answers_with_gaps()
}

/// Keeps answers as they are given, in the answers-file format at `path` (private), so an
/// interview cut short loses nothing. Best effort: answers that cannot be kept must not stop
/// the questions.
pub fn keeper(
    path: std::path::PathBuf,
    id: String,
    meta: answers::Meta,
) -> impl FnMut(&[(String, Value)]) {
    move |so_far| {
        let Ok(text) = answers::to_file_text(&id, &meta, so_far) else {
            return;
        };
        if let Some(dir) = path.parent()
            && crate::atomic::private_dir(dir).is_ok()
        {
            let _ = crate::atomic::write(&path, text.as_bytes());
        }
    }
}

/// What a form starts from: answers already given, and where to keep answers as they come.
#[derive(Debug, Default, Clone, Copy)]
pub struct FormStart<'a> {
    /// Answers from a file (the profile being changed, the account's settings).
    pub preset: Option<&'a AnswersFile>,
    /// `--set` answers, which win.
    pub sets: &'a [(String, String)],
    /// Whether anything was given as flags: then a complete form is not reviewed.
    pub flags: bool,
    /// Where to keep the answers as they are given, so Ctrl-C loses nothing.
    pub keep: Option<&'a std::path::Path>,
}

/// Applies `--contact ROLE=NAME <EMAIL>` flags to a case profile's answers: each replaces the
/// contact with the same role.
pub fn apply_contacts(
    answers: &mut Vec<(String, Value)>,
    flags: &[String],
    jurisdiction: &Jurisdiction,
) -> Result<()> {
    use std::collections::BTreeMap;
    if flags.is_empty() {
        return Ok(());
    }
    let people = jurisdiction.people();
    let mut rows = match answers.iter().position(|(k, _)| k == "people") {
        Some(i) => match answers.remove(i).1 {
            Value::Items(rows) => rows,
            _ => Vec::new(),
        },
        None => Vec::new(),
    };
    for flag in flags {
        let Some((role, rest)) = flag.split_once('=') else {
            anyhow::bail!(
                "--contact needs ROLE=NAME, for example --contact \"principal=Ms. Amina Patel <a.patel@school.example.org>\"; got \"{flag}\""
            );
        };
        let role = role.trim();
        if !people.iter().any(|(id, _)| id == role) {
            let ids: Vec<String> = people.iter().map(|(id, _)| id.clone()).collect();
            anyhow::bail!(
                "--contact: {} has no role \"{role}\". Roles: {}",
                jurisdiction.name,
                ids.join(", ")
            );
        }
        let rest = rest.trim();
        let (name, email) = match rest.split_once('<') {
            Some((name, email)) => {
                let email = email.trim().trim_end_matches('>').trim();
                crate::catalog::question::check_email(email)
                    .map_err(|e| anyhow::anyhow!("--contact {role}: {e}"))?;
                (name.trim(), Some(email))
            }
            None => (rest, None),
        };
        if name.is_empty() || name.contains(['\n', '\r']) {
            anyhow::bail!("--contact {role}: give the person's name after the `=`");
        }
        crate::catalog::question::check_controls(name, false)
            .map_err(|e| anyhow::anyhow!("--contact {role}: {e}"))?;
        rows.retain(|row| row.get("role") != Some(&Value::Text(role.to_owned())));
        let mut row = BTreeMap::from([
            ("role".to_owned(), Value::Text(role.to_owned())),
            ("name".to_owned(), Value::Text(name.to_owned())),
        ]);
        if let Some(email) = email {
            row.insert("email".to_owned(), Value::Text(email.to_owned()));
        }
        rows.push(row);
    }
    answers.push(("people".to_owned(), Value::Items(rows)));
    Ok(())
}

/// Answers given as a command's own flags (`--date`, `--support`…), as `--set` pairs.
pub fn flag_sets(flags: &[(&str, &Option<String>)]) -> Vec<(String, String)> {
    flags
        .iter()
        .filter_map(|(k, v)| Some(((*k).to_owned(), (*v).clone()?)))
        .collect()
}

/// Parses every `--set`.
pub fn parse_sets(sets: &[String]) -> Result<Vec<(String, String)>> {
    sets.iter().map(|s| answers::parse_set(s)).collect()
}

/// Asks where the child goes to school, among the jurisdictions `letter` exists for (all of
/// them for the case profile).
pub fn pick_jurisdiction(
    catalog: &Catalog,
    p: &mut dyn Prompter,
    letter: Option<&crate::catalog::Letter>,
    env: &super::Env,
    lang: crate::lang::Lang,
) -> Result<String> {
    let ids: Vec<String> = catalog
        .jurisdiction_ids()?
        .into_iter()
        .filter(|id| letter.is_none_or(|l| l.exists_for(id)))
        .collect();
    let mut labels = Vec::new();
    for id in &ids {
        labels.push(catalog.jurisdiction(id)?.name);
    }
    // The last place picked comes first, remembered in the user's settings folder: a family
    // writes most letters for one place.
    let remembered = crate::dirs::config_dir(&env.var)
        .ok()
        .map(|d| d.join("last-jurisdiction"));
    let last = remembered
        .as_ref()
        .and_then(|path| std::fs::read_to_string(path).ok())
        .and_then(|text| ids.iter().position(|id| id == text.trim()));
    let i = p.select(
        &Prompt {
            text: lang.words().where_question.into(),
            help: Some(lang.words().where_help.into()),
            filter: true,
            ..Prompt::default()
        },
        &labels,
        last.unwrap_or(0),
    )?;
    if let Some(path) = &remembered
        && let Some(dir) = path.parent()
        && crate::atomic::private_dir(dir).is_ok()
    {
        // Best effort: a choice that cannot be remembered is asked again next time.
        let _ = crate::atomic::write(path, ids[i].as_bytes());
    }
    Ok(ids[i].clone())
}
