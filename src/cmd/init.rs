//! `iep init [DIR]`: asks once for what every letter needs and makes the case folder.

use std::os::unix::fs::PermissionsExt as _;

use anyhow::{Result, bail};

use super::{Ctx, Exit, fill_form, parse_sets, pick_jurisdiction};
use crate::answers::{self, AnswersFile, Meta};
use crate::atomic;
use crate::case::{self, Case, PROFILE_HEADER};
use crate::catalog::{CASE_FORM, Catalog};
use crate::cli::InitArgs;
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
    // Found out before any question is asked, not after.
    if dir.exists() && !dir.is_dir() {
        bail!(
            "{} is a file, not a folder. Give `iep init` a folder to make the case in (it is created if missing).",
            dir.display()
        );
    }
    if case.profile_path().exists() {
        bail!(
            "{} is already a case folder. See it with `iep case show`; change it with `iep case edit`.",
            dir.display()
        );
    }
    crate::case::check_new_case(&dir)?;
    let prompter = io.prompter.take();
    let mut sets = parse_sets(&args.form.set)?;
    let mut prompter = prompter;
    if prompter.is_some() {
        writeln!(
            io.err,
            "iep keeps a case folder: your child's details, the people you write to, and a dated record of every letter.\nThese questions are asked once; letters written in this folder use the answers."
        )?;
    }
    let jurisdiction_id = match (&args.jurisdiction, prompter.as_deref_mut()) {
        (Some(j), _) => j.clone(),
        (None, Some(p)) => pick_jurisdiction(catalog, p, None, io.env, io.lang)?,
        (None, None) => bail!(
            "which jurisdiction is the case in? Pass --jurisdiction with one of: {}",
            catalog.jurisdiction_ids()?.join(", ")
        ),
    };
    let jurisdiction = catalog.jurisdiction(&jurisdiction_id)?;
    let given = !sets.is_empty() || !args.form.contact.is_empty();
    // Where letters can be in more than one language, a language already chosen (--lang, the
    // settings, the locale) is kept in the case and not asked.
    if !jurisdiction.languages.is_empty()
        && io.lang_chosen != crate::lang::Chosen::Default
        && !sets.iter().any(|(k, _)| k == "lang")
    {
        sets.push(("lang".to_owned(), io.lang.code().to_owned()));
    }
    let mut form = catalog.form_in(CASE_FORM, io.lang)?;
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
                text: "You started making this case before and did not finish. Go on from there?"
                    .into(),
                help: Some("Pick no to start again; those answers are then deleted.".into()),
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
        bail!(
            "{} appeared while iep was asking; nothing was changed. See it with `iep case show`.",
            case.profile_path().display()
        );
    }
    if let Some(path) = &keep {
        let _ = std::fs::remove_file(path);
    }
    writeln!(io.err, "Made the case folder {}.", dir.display())?;
    // iep finds a case from the folder it runs in: say how to get there, unless it is here.
    let go = match args.dir.as_ref() {
        Some(d) if dir != io.cwd => format!("cd {}\n  ", shell_word(&d.display().to_string())),
        _ => String::new(),
    };
    writeln!(
        io.err,
        "Letters written in it, or in any folder inside it, are recorded there; `iep log` lists them.\nNext, {}pick a letter:\n  {go}iep letters\n  iep write implementation-concern   (or any letter `iep letters` lists)",
        if go.is_empty() {
            ""
        } else {
            "go into the case folder and "
        }
    )?;
    if existed
        && let Ok(meta) = std::fs::metadata(&dir)
        && meta.permissions().mode() & 0o077 != 0
    {
        writeln!(
            io.err,
            "Note: other people with an account on this computer can see the names of files in {}. The files themselves are private. To hide the folder too: chmod 700 {}",
            dir.display(),
            dir.display()
        )?;
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
