//! `iep print RECORD`: a recorded letter as a PDF to print, sign and hand in, saved as
//! `letter.pdf` in its record (or where `--output` says).

use std::path::Path;

use anyhow::{Context as _, Result};

use super::{Ctx, Exit, warn_damaged};
use crate::answers::AnswersFile;
use crate::atomic;
use crate::case::record::{self, Record};
use crate::case::{self, Case};
use crate::cli::{PaperArg, PrintArgs};
use crate::jurisdiction::{Jurisdiction, Paper};
use crate::print::{self, Layout};

/// The printable copy's name in a record.
pub const PDF_FILE: &str = "letter.pdf";

/// Runs `iep print`.
pub fn execute(args: &PrintArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    let case = io.need_case("print")?.clone();
    let (records, damaged) = record::load_all(&case)?;
    warn_damaged(io.err, &damaged)?;
    let r = record::find(&records, &damaged, &args.record)?;
    let j = io.catalog.jurisdiction(&r.file.jurisdiction)?;
    let layout = layout_for(io.catalog, &r.file.letter)?;
    let letter = RecordLetter::read(r, &case)?;
    let bytes = print::letter::pdf(&letter.printable(r, &j, paper(args.paper, &j)), &layout)?;
    match args.output.as_deref() {
        Some(p) if p == Path::new("-") => {
            io.out
                .write_all(&bytes)
                .context("could not print the PDF")?;
            return Ok(Exit::Done);
        }
        Some(p) => {
            let path = io.cwd.join(p);
            save_new(&path, &bytes, args.force, "--output")?;
            writeln!(io.err, "Saved the PDF: {}", path.display())?;
        }
        None => {
            let path = save_in_record(&case, &r.dir, &bytes)?;
            writeln!(io.err, "Saved the PDF: {}", path.display())?;
        }
    }
    writeln!(
        io.err,
        "Print it, sign above your typed name, and keep a copy of what you hand in."
    )?;
    Ok(Exit::Done)
}

/// The layout a letter is printed with: a pack's letter (`pack/letter`) with its pack's own
/// layout, if the pack has one and is still installed; any other with the catalog's.
pub fn layout_for(catalog: &crate::catalog::Catalog, letter: &str) -> Result<Layout> {
    if letter.contains('/')
        && let Ok((with_pack, _, _)) = catalog.resolve(letter)
    {
        return Layout::load(&with_pack);
    }
    Layout::load(catalog)
}

/// The paper: the flag's, else the jurisdiction's.
pub fn paper(flag: Option<PaperArg>, j: &Jurisdiction) -> Paper {
    flag.map_or(j.paper, Paper::from)
}

/// Saves `bytes` at a path the parent named, after [`case::check_output`]: replacing a file
/// only with `force`, and never a file that appeared in the meantime without it.
pub fn save_new(path: &Path, bytes: &[u8], force: bool, flag: &str) -> Result<()> {
    case::check_output(path, force, flag)?;
    if force {
        atomic::write(path, bytes)
    } else if atomic::write_new(path, bytes)? {
        Ok(())
    } else {
        anyhow::bail!(
            "{flag} {}: that file appeared while the PDF was being made; nothing was replaced. Choose another name, or add --force",
            path.display()
        )
    }
}

/// Writes `letter.pdf` into a record, holding the case lock; an earlier one is replaced (it is
/// made from the record's own files, so it says the same unless the text was corrected).
pub fn save_in_record(case: &Case, dir: &Path, bytes: &[u8]) -> Result<std::path::PathBuf> {
    let _lock = case.lock()?;
    let path = dir.join(PDF_FILE);
    atomic::write(&path, bytes)?;
    Ok(path)
}

/// What a recorded letter's PDF is made from besides `record.toml`: its text and the names
/// its answers give.
#[derive(Debug, Clone)]
pub struct RecordLetter {
    /// `letter.txt`.
    pub text: String,
    /// The child's name (its answers, else the case profile).
    pub child: String,
    /// The sender's name (its answers, else the case profile).
    pub sender: String,
}

impl RecordLetter {
    /// Reads a record's `letter.txt` and its answers' names.
    pub fn read(r: &Record, case: &Case) -> Result<Self> {
        let text = r.letter()?;
        let answers = AnswersFile::load(&r.dir.join(record::ANSWERS_FILE)).ok();
        let profile = case.profile().ok();
        let name = |key: &str| {
            answers
                .as_ref()
                .and_then(|a| text_answer(a, key))
                .or_else(|| profile.as_ref().and_then(|p| p.text(key)))
                .unwrap_or_default()
        };
        Ok(RecordLetter {
            child: name("child_name"),
            sender: name("sender_name"),
            text,
        })
    }

    /// The letter as [`print::letter`] takes it.
    pub fn printable<'a>(
        &'a self,
        r: &Record,
        j: &Jurisdiction,
        paper: Paper,
    ) -> print::letter::Letter<'a> {
        print::letter::Letter {
            body: &self.text,
            title: r
                .file
                .subject
                .clone()
                .unwrap_or_else(|| r.file.title.clone()),
            child: self.child.clone(),
            sender: self.sender.clone(),
            language: j.language.clone(),
            date: r.file.date,
            paper,
        }
    }
}

/// A one-line text answer.
fn text_answer(file: &AnswersFile, key: &str) -> Option<String> {
    file.entries
        .iter()
        .find(|(k, _, _)| k == key)
        .and_then(|(_, v, _)| v.as_str())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}
