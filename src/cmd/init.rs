//! `iep init [DIR]`: asks once for what every letter needs and makes the case folder.

use std::os::unix::fs::PermissionsExt as _;

use anyhow::{Result, bail};

use super::{Ctx, Exit, fill_form, parse_sets, pick_jurisdiction};
use crate::answers::{self, AnswersFile, Meta};
use crate::atomic;
use crate::case::{self, Case, PROFILE_HEADER};
use crate::catalog::{CASE_FORM, Catalog};
use crate::cli::InitArgs;
use crate::lang::fill;
use crate::prompt::Prompt;

/// Runs `iep init`.
pub fn execute(args: &crate::cli::InitArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    run(io.catalog, args, io)?;
    Ok(Exit::Done)
}

/// Runs `iep init`.
fn run(catalog: &Catalog, args: &InitArgs, io: &mut Ctx<'_>) -> Result<()> {
    let dir = match &args.dir {
        Some(d) => io.cwd.join(d),
        None => io.cwd.clone(),
    };
    let case = Case { root: dir.clone() };
    let mut lang = io.lang;
    let shown = dir.display().to_string();
    // Found out before any question is asked, not after.
    if dir.exists() && !dir.is_dir() {
        bail!(fill(lang.words().init.is_a_file, &[("dir", &shown)]));
    }
    if case.profile_path().exists() {
        bail!(fill(lang.words().init.already, &[("dir", &shown)]));
    }
    crate::case::check_new_case(&dir)?;
    let prompter = io.prompter.take();
    let mut sets = parse_sets(&args.form.set)?;
    let mut prompter = prompter;
    if prompter.is_some() {
        writeln!(io.err, "{}", lang.words().init.intro)?;
    }
    let jurisdiction_id = match (&args.jurisdiction, prompter.as_deref_mut()) {
        (Some(j), _) => j.clone(),
        (None, Some(p)) => pick_jurisdiction(catalog, p, None, io.env, lang)?,
        (None, None) => bail!(fill(
            lang.words().init.which_jurisdiction,
            &[("ids", &catalog.jurisdiction_ids()?.join(", "))]
        )),
    };
    let english = catalog.jurisdiction(&jurisdiction_id)?;
    let given = !sets.is_empty() || !args.form.contact.is_empty();
    let set_lang = sets
        .iter()
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| crate::lang::Lang::parse(v).ok());
    if !english.languages.is_empty() {
        match (set_lang, prompter.as_deref_mut()) {
            // `--set lang=fr`: the case's language, and the questions'.
            (Some(l), _) => lang = l,
            // A language already chosen (--lang, the settings, the locale) is kept in the case
            // and not asked.
            (None, _) if io.lang_chosen != crate::lang::Chosen::Default => {
                sets.push(("lang".to_owned(), lang.code().to_owned()));
            }
            // Nothing chose: the language is the first question, so that every other question
            // is asked in it.
            (None, Some(p)) => {
                let form = catalog.form_in(CASE_FORM, lang)?;
                if let Some(q) = form.questions.iter().find(|q| q.key == "lang") {
                    let labels: Vec<String> = q.choices.iter().map(|c| c.label.clone()).collect();
                    let picked = p.select(
                        &Prompt {
                            text: q.prompt.clone(),
                            help: q.help.clone(),
                            ..Prompt::default()
                        },
                        &labels,
                        0,
                    )?;
                    if let Some(l) = q
                        .choices
                        .get(picked)
                        .and_then(|c| crate::lang::Lang::parse(&c.value).ok())
                    {
                        lang = l;
                        p.set_lang(l);
                        crate::speak_on_stop(l);
                        sets.push(("lang".to_owned(), l.code().to_owned()));
                    }
                }
            }
            (None, None) => {}
        }
    }
    // The case's words in its language where the jurisdiction has them.
    let jurisdiction = match lang {
        crate::lang::Lang::En => english,
        _ => catalog
            .jurisdiction_in(&jurisdiction_id, lang)
            .unwrap_or(english),
    };
    let mut form = catalog.form_in(CASE_FORM, lang)?;
    form.fill_choices(&jurisdiction);
    // At a terminal the answers are kept as they are given (in the user's state folder, as a
    // letter's outside a case), so Ctrl-C loses nothing and the next `iep init` of the same
    // folder goes on from there.
    let again = match &args.dir {
        Some(d) => format!("iep init {}", shell_word(&d.display().to_string())),
        None => "iep init".to_owned(),
    };
    let keep = match prompter.as_deref_mut() {
        Some(_) => crate::dirs::state_dir(&io.env.var).ok().map(|d| {
            let name: String = dir
                .display()
                .to_string()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            d.join("drafts").join(format!("case{name}.answers.toml"))
        }),
        None => None,
    };
    let mut resumed = None;
    if let (Some(path), Some(p)) = (&keep, prompter.as_deref_mut())
        && path.is_file()
    {
        let go_on = p.confirm(
            &Prompt {
                text: lang.words().init.resume.into(),
                help: Some(lang.words().init.resume_help.into()),
                ..Prompt::default()
            },
            true,
        )?;
        resumed = AnswersFile::load(path).ok().filter(|_| go_on);
    }
    if let Some(path) = &keep {
        crate::keep_draft_for_ctrl_c(path.clone(), again);
    }
    let mut answers = fill_form(
        &form,
        &jurisdiction,
        io.today,
        super::FormStart {
            preset: resumed.as_ref(),
            sets: &sets,
            flags: given,
            keep: keep.as_deref(),
        },
        prompter,
    )?;
    super::apply_contacts(&mut answers, &args.form.contact, &jurisdiction)?;
    let meta = Meta {
        jurisdiction: Some(jurisdiction.id.clone()),
        ..Meta::default()
    };
    let text = answers::file_text(PROFILE_HEADER, &meta, &answers)?;

    let existed = dir.exists();
    case::private_dir(&dir)?;
    case::private_dir(&case.records_dir())?;
    case::private_dir(&case.observations_dir())?;
    let _lock = case.lock()?;
    if !atomic::write_new(&case.profile_path(), text.as_bytes())? {
        bail!(fill(
            lang.words().init.appeared,
            &[("path", &case.profile_path().display().to_string())]
        ));
    }
    if let Some(path) = &keep {
        let _ = std::fs::remove_file(path);
    }
    let w = &lang.words().init;
    writeln!(io.err, "{}", fill(w.made, &[("dir", &shown)]))?;
    // iep finds a case from the folder it runs in: say how to get there, unless it is here.
    let go = match args.dir.as_ref() {
        Some(d) if dir != io.cwd => format!("cd {}\n  ", shell_word(&d.display().to_string())),
        _ => String::new(),
    };
    let go_into = if go.is_empty() { "" } else { w.go_into };
    writeln!(
        io.err,
        "{}",
        fill(w.next, &[("go_into", go_into), ("go", &go)])
    )?;
    if existed
        && let Ok(meta) = std::fs::metadata(&dir)
        && meta.permissions().mode() & 0o077 != 0
    {
        writeln!(io.err, "{}", fill(w.open_to_others, &[("dir", &shown)]))?;
    }
    Ok(())
}

/// A folder name as a person types it at a shell: quoted when it holds a space or a quote.
fn shell_word(text: &str) -> String {
    if text
        .chars()
        .all(|c| c.is_alphanumeric() || "-_./~".contains(c))
    {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}
