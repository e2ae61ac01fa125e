//! `iep write ID`: the guided interview, or answers from files and flags, then a saved letter.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;

use crate::answers::{self, AnswersFile, Meta};
use crate::atomic;
use crate::catalog::Catalog;
use crate::cli::WriteArgs;
use crate::dates::parse_date;
use crate::draft::Draft;
use crate::interview::{Interview, Outcome};
use crate::prompt::{Prompt, Prompter};
use crate::render::Renderer;

/// What `iep write` touches, passed in so tests need no terminal, clock or working folder.
pub struct Io<'a> {
    /// Today, for the default letter date.
    pub today: NaiveDate,
    /// The prompter, or `None` when nothing may be asked.
    pub prompter: Option<&'a mut dyn Prompter>,
    /// Standard output (the letter, with `--output -`).
    pub out: &'a mut dyn Write,
    /// Standard error (what was saved where).
    pub err: &'a mut dyn Write,
    /// The folder relative paths and dated files are in.
    pub cwd: PathBuf,
}

impl std::fmt::Debug for Io<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Io")
            .field("today", &self.today)
            .field("cwd", &self.cwd)
            .finish_non_exhaustive()
    }
}

/// How the command ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// The letter was saved or printed.
    Written,
    /// The parent chose to quit; nothing was saved.
    Quit,
}

/// Runs `iep write`.
pub fn execute(catalog: &Catalog, args: &WriteArgs, mut io: Io<'_>) -> Result<Ended> {
    let mut letter = catalog.letter(&args.letter)?;
    let file = args
        .answers
        .as_ref()
        .map(|p| AnswersFile::load(&io.cwd.join(p)))
        .transpose()?;
    if let Some(file) = &file
        && let Some(saved_for) = &file.meta.letter
        && saved_for != &letter.id
    {
        bail!(
            "{} holds answers for the letter `{saved_for}`, not `{}`. Run: iep write {saved_for} --answers {}",
            file.path,
            letter.id,
            file.path
        );
    }
    let sets = args
        .set
        .iter()
        .map(|s| answers::parse_set(s))
        .collect::<Result<Vec<_>>>()?;
    let date = match (
        &args.date,
        file.as_ref().map(|f| f.meta.date()).transpose()?.flatten(),
    ) {
        (Some(text), _) => parse_date(text).map_err(|e| anyhow::anyhow!("--date: {e}"))?,
        (None, Some(saved)) => saved,
        (None, None) => io.today,
    };
    let mut introduced = false;
    let jurisdiction_id = match (
        &args.jurisdiction,
        file.as_ref().and_then(|f| f.meta.jurisdiction.clone()),
    ) {
        (Some(j), _) => j.clone(),
        (None, Some(j)) => j,
        (None, None) => match io.prompter.as_deref_mut() {
            Some(p) => {
                introduce(io.err, &letter)?;
                introduced = true;
                pick_jurisdiction(catalog, p)?
            }
            None => bail!(
                "which jurisdiction is the letter for? Pass --jurisdiction with one of: {}",
                catalog.jurisdiction_ids()?.join(", ")
            ),
        },
    };
    let jurisdiction = catalog.jurisdiction(&jurisdiction_id)?;
    letter.fill_choices(&jurisdiction);
    let renderer = Renderer::new(catalog, &letter, &jurisdiction.id)?;

    let mut interview = Interview::new(&letter, &jurisdiction, &renderer, date);
    interview.preset(file.as_ref(), &sets)?;
    let draft = match io.prompter.as_deref_mut() {
        Some(p) if !interview.is_complete()? || (file.is_none() && sets.is_empty()) => {
            if !introduced {
                introduce(io.err, &letter)?;
            }
            match interview.run(p)? {
                Outcome::Save(draft) => *draft,
                Outcome::Quit => {
                    writeln!(io.err, "Nothing was saved.")?;
                    return Ok(Ended::Quit);
                }
            }
        }
        _ => {
            interview.complete_without_asking()?;
            interview.draft()?
        }
    };

    let meta = Meta {
        letter: Some(letter.id.clone()),
        jurisdiction: Some(jurisdiction.id.clone()),
        date: Some(answers::toml_date(date)),
    };
    let answers_text = answers::to_file_text(&letter.id, &meta, &interview.answers_in_order()?);
    save(&draft, &answers_text, args.output.as_deref(), date, &mut io)?;
    if let (Some(reply_by), Some(window)) = (draft.reply_by, &draft.reply_window) {
        writeln!(
            io.err,
            "The letter asks for a reply by {} ({window} after {}). iep does not know school breaks or holidays: check that date.",
            jurisdiction.format_date(reply_by),
            jurisdiction.format_date(date),
        )?;
    }
    Ok(Ended::Written)
}

/// What the parent sees first: which letter this is and how the interview works.
fn introduce(err: &mut dyn Write, letter: &crate::catalog::Letter) -> Result<()> {
    writeln!(
        err,
        "{}: {}\n{}\nAnswer each question and press Enter. You can check and change every answer at the end.",
        letter.id, letter.title, letter.use_when
    )?;
    Ok(())
}

fn pick_jurisdiction(catalog: &Catalog, p: &mut dyn Prompter) -> Result<String> {
    let ids = catalog.jurisdiction_ids()?;
    let mut labels = Vec::new();
    for id in &ids {
        labels.push(catalog.jurisdiction(id)?.name);
    }
    let i = p.select(
        &Prompt {
            text: "Where does your child go to school?".into(),
            help: Some("Letters use the words and rules of the place you pick.".into()),
            ..Prompt::default()
        },
        &labels,
        0,
    )?;
    Ok(ids[i].clone())
}

/// Saves the letter and its answers, or prints the letter with `-`.
fn save(
    draft: &Draft,
    answers_text: &str,
    output: Option<&Path>,
    date: NaiveDate,
    io: &mut Io<'_>,
) -> Result<()> {
    let text = draft.to_text();
    match output {
        Some(p) if p == Path::new("-") => io
            .out
            .write_all(text.as_bytes())
            .context("could not print the letter"),
        Some(p) => {
            let path = io.cwd.join(p);
            let answers_path = answers_path_for(&path);
            atomic::write(&path, text.as_bytes())?;
            atomic::write(&answers_path, answers_text.as_bytes())?;
            report(io, &path, &answers_path)
        }
        None => {
            let stem = format!("{date}-{}", draft.letter);
            loop {
                let base = atomic::free_stem(&io.cwd, &stem, &[".txt", ".answers.toml"]);
                let path = atomic::with_ext(&base, ".txt");
                // Another run may take the name between the check and the write; then try the next.
                if !atomic::write_new(&path, text.as_bytes())? {
                    continue;
                }
                let answers_path = atomic::with_ext(&base, ".answers.toml");
                atomic::write(&answers_path, answers_text.as_bytes())?;
                return report(io, &path, &answers_path);
            }
        }
    }
}

fn report(io: &mut Io<'_>, letter: &Path, answers: &Path) -> Result<()> {
    let show = |p: &Path| -> String {
        p.strip_prefix(&io.cwd)
            .map(|r| r.display().to_string())
            .unwrap_or_else(|_| p.display().to_string())
    };
    writeln!(io.err, "Saved the letter:  {}", show(letter))?;
    writeln!(
        io.err,
        "Saved the answers: {}  (iep write --answers with this file writes the same letter again)",
        show(answers)
    )?;
    Ok(())
}

/// `letter.txt` → `letter.answers.toml`.
fn answers_path_for(letter: &Path) -> PathBuf {
    letter.with_extension("answers.toml")
}
