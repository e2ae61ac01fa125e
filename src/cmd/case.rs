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
                .unwrap_or_else(|| Err(no_case(&io.cwd)))?;
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
            let jurisdiction = catalog.jurisdiction(&j_id)?;
            let mut letter = catalog.form(CASE_FORM)?;
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
                bail!(
                    "{} changed while you were answering (another iep run, or an edit by hand), so nothing was saved. Run `iep case edit` again to see it as it is now.",
                    path.display()
                );
            }
            atomic::write(&path, text.as_bytes())?;
            writeln!(io.err, "Saved the case: {}", case.profile_path().display())?;
            Ok(())
        }
    }
}

fn no_case(cwd: &std::path::Path) -> anyhow::Error {
    anyhow::anyhow!(
        "there is no case folder here or above {}. Run `iep init` to make one, or name one with --case DIR or IEP_CASE.",
        cwd.display()
    )
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
) -> Result<ReadProfile> {
    let profile = case.profile()?.file;
    let jurisdiction = catalog.jurisdiction(&profile_jurisdiction(&profile)?)?;
    let mut form = catalog.form(CASE_FORM)?;
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
        .unwrap_or_else(|| Err(no_case(&io.cwd)))?;
    let (_, jurisdiction, form, answers) = profile_answers(catalog, case, io.today)?;
    let out = &mut *io.out;
    writeln!(out, "Case folder:  {}", case.root.display())?;
    writeln!(
        out,
        "Jurisdiction: {} ({})",
        jurisdiction.name, jurisdiction.id
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
        writeln!(
            out,
            "People you write to: none yet. Add them with `iep case edit` so letters are addressed for you."
        )?;
    } else {
        writeln!(out, "People you write to:")?;
        for c in &contacts {
            let title = jurisdiction.title_of(&c.role).unwrap_or(&c.role);
            let email = c
                .email
                .as_deref()
                .map(|e| format!(" <{e}>"))
                .unwrap_or_default();
            writeln!(out, "  {title}: {}{email}", c.name)?;
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
        "Letters: {} ({waiting} waiting for a reply, {overdue} overdue). Observations: {}.",
        records.len(),
        observations.len()
    )?;
    warn_damaged(io.err, &damaged)?;
    warn_damaged(io.err, &bad_obs)?;
    Ok(())
}
