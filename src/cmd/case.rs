//! `iep case show` and `iep case edit`.

use anyhow::{Context as _, Result, bail};

use super::{Ctx, Exit, fill_form, parse_sets, warn_damaged};
use crate::answers::{self, AnswersFile, Meta};
use crate::atomic;
use crate::case::{self, Case, PROFILE_HEADER, observation, record};
use crate::catalog::{CASE_FORM, Catalog, Letter};
use crate::cli::CaseAction;
use crate::interview::Interview;
use crate::jurisdiction::Jurisdiction;
use crate::lang::fill;
use crate::render::Renderer;

/// Runs `iep case`.
pub fn execute(args: &crate::cli::CaseArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    run(io.catalog, &args.action, io)?;
    Ok(Exit::Done)
}

/// Runs `iep case show|edit`.
fn run(catalog: &Catalog, action: &CaseAction, io: &mut Ctx<'_>) -> Result<()> {
    match action {
        CaseAction::Show => show(catalog, io),
        CaseAction::Edit { jurisdiction, form } => {
            let prompter = io.prompter.take();
            let case = io
                .case
                .as_ref()
                .map(Ok)
                .unwrap_or_else(|| Err(no_case(&io.cwd, io.lang)))?;
            // Without questions, the whole read-change-write holds the lock, so runs at once each
            // keep their change. With questions the lock is not held while the parent answers;
            // instead the file must be as it was when the questions began.
            let asking = prompter.is_some();
            let early_lock = if asking { None } else { Some(case.lock()?) };
            let path = case.profile_path();
            let read = |path: &std::path::Path| {
                std::fs::read_to_string(path)
                    .with_context(|| format!("could not read the case profile {}", path.display()))
            };
            let before = read(&path)?;
            let profile = AnswersFile::parse(&path.display().to_string(), &before)?;
            let jurisdiction_flag = jurisdiction.is_some();
            let j_id = match jurisdiction {
                Some(j) => j.clone(),
                None => profile_jurisdiction(&profile)?,
            };
            let jurisdiction = super::jurisdiction_for(catalog, &j_id, io.lang)?;
            let mut letter = catalog.form_in(CASE_FORM, io.lang)?;
            letter.fill_choices(&jurisdiction);
            let sets = parse_sets(&form.set)?;
            let mut answers = fill_form(
                &letter,
                &jurisdiction,
                io.today,
                super::FormStart {
                    preset: Some(&profile),
                    sets: &sets,
                    flags: !sets.is_empty() || !form.contact.is_empty() || jurisdiction_flag,
                    keep: None,
                },
                prompter,
            )?;
            super::apply_contacts(&mut answers, &form.contact, &jurisdiction)?;
            let meta = Meta {
                jurisdiction: Some(jurisdiction.id.clone()),
                ..Meta::default()
            };
            let text = answers::file_text(PROFILE_HEADER, &meta, &answers)?;
            let _lock = match early_lock {
                Some(lock) => lock,
                None => case.lock()?,
            };
            if asking && read(&path)? != before {
                bail!(fill(
                    io.lang.words().case.changed,
                    &[("path", &path.display().to_string())]
                ));
            }
            atomic::write(&path, text.as_bytes())?;
            let saved = case.profile_path().display().to_string();
            writeln!(
                io.err,
                "{}",
                fill(io.lang.words().case.saved, &[("path", &saved)])
            )?;
            Ok(())
        }
    }
}

fn no_case(cwd: &std::path::Path, lang: crate::lang::Lang) -> anyhow::Error {
    anyhow::anyhow!(fill(
        lang.words().case.none_here,
        &[("path", &cwd.display().to_string())]
    ))
}

use crate::case::profile_jurisdiction;

/// A case profile read and checked: the file, its jurisdiction, the form, and its answers.
type ReadProfile = (
    AnswersFile,
    Jurisdiction,
    Letter,
    Vec<(String, answers::Value)>,
);

/// The profile's answers, checked against the case form.
pub fn profile_answers(
    catalog: &Catalog,
    case: &Case,
    date: chrono::NaiveDate,
    lang: crate::lang::Lang,
) -> Result<ReadProfile> {
    let profile = case.profile()?.file;
    let jurisdiction = super::jurisdiction_for(catalog, &profile_jurisdiction(&profile)?, lang)?;
    let mut form = catalog.form_in(CASE_FORM, lang)?;
    form.fill_choices(&jurisdiction);
    let renderer = Renderer::form(&form)?;
    let mut interview = Interview::new(&form, &jurisdiction, &renderer, date);
    interview.preset(Some(&profile), &[])?;
    let answers = interview.answers_in_order()?;
    drop(interview);
    Ok((profile, jurisdiction, form, answers))
}

fn show(catalog: &Catalog, io: &mut Ctx<'_>) -> Result<()> {
    let case = io
        .case
        .as_ref()
        .map(Ok)
        .unwrap_or_else(|| Err(no_case(&io.cwd, io.lang)))?;
    let (_, jurisdiction, form, answers) = profile_answers(catalog, case, io.today, io.lang)?;
    let w = &io.lang.words().case;
    let out = &mut *io.out;
    let root = case.root.display().to_string();
    writeln!(out, "{}", fill(w.folder, &[("path", &root)]))?;
    writeln!(
        out,
        "{}",
        fill(
            w.place,
            &[("name", &jurisdiction.name), ("id", &jurisdiction.id)]
        )
    )?;
    writeln!(out)?;
    // In the questions' own words, as the review shows them (keys are for scripts: `iep
    // letters show` and `--no-input` list them).
    let renderer = Renderer::form(&form)?;
    let mut interview = Interview::new(&form, &jurisdiction, &renderer, io.today);
    interview.carry_over(&answers);
    for line in interview.review()? {
        if line.key == "people" {
            continue;
        }
        writeln!(out, "{} {}", line.prompt, line.answer)?;
    }
    let contacts = case::contacts(answers.iter().find(|(k, _)| k == "people").map(|(_, v)| v));
    writeln!(out)?;
    if contacts.is_empty() {
        writeln!(out, "{}", w.no_people)?;
    } else {
        writeln!(out, "{}", w.people)?;
        for c in &contacts {
            let title = jurisdiction.title_of(&c.role).unwrap_or(&c.role);
            let email = c
                .email
                .as_deref()
                .map(|e| format!(" <{e}>"))
                .unwrap_or_default();
            let colon = match io.lang {
                crate::lang::Lang::En => ":",
                _ => "\u{a0}:",
            };
            writeln!(out, "  {title}{colon} {}{email}", c.name)?;
        }
    }
    let (records, damaged) = record::summaries(case)?;
    let (observations, bad_obs) = observation::load_all(case)?;
    // The same rule as `iep due`: overdue once the reply-by date has passed, unless a later
    // letter already follows it up; waiting while the date has not come.
    let followed: std::collections::HashSet<&str> = records
        .iter()
        .filter_map(|r| r.follows.as_deref())
        .collect();
    let waiting = records
        .iter()
        .filter(|r| !r.replied && r.reply_by.is_some_and(|d| d >= io.today))
        .count();
    let overdue = records
        .iter()
        .filter(|r| r.overdue(io.today) && !followed.contains(r.id.as_str()))
        .count();
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        fill(
            w.counts,
            &[
                ("n", &records.len().to_string()),
                ("waiting", &waiting.to_string()),
                ("overdue", &overdue.to_string()),
                ("observations", &observations.len().to_string()),
            ]
        )
    )?;
    warn_damaged(io.err, &damaged)?;
    warn_damaged(io.err, &bad_obs)?;
    Ok(())
}
