//! `iep edit RECORD`: change a letter that has not been sent yet.
//!
//! The letter's text is opened in the parent's editor (`$VISUAL`, else `$EDITOR`); what they save
//! becomes `letter.txt` and the text part of `letter.eml` ([`crate::deliver::stored::replace_text`]:
//! every header kept, so the Message-ID, References and In-Reply-To stay and replies still
//! thread), and "edited" is added to the history. `iep send` refuses a letter whose `letter.txt`
//! no longer matches its email, and names this command.
//!
//! The editor runs on a private copy outside the case (an editor may be left open for an hour;
//! the case's sweeps of leftover files must not take it away). `letter.txt` is written first,
//! then `letter.eml`: a run stopped between the two leaves a letter that `send` refuses and that
//! `iep edit` puts right, because it rebuilds the email whenever the two differ.

use std::path::Path;

use anyhow::{Context as _, Result, bail};

use super::{Ctx, Exit, warn_damaged};
use crate::atomic::{self, failpoint};
use crate::case::Case;
use crate::case::record::{self, Event, Record, Status};
use crate::cli::EditArgs;
use crate::deliver::stored;

/// Runs the editor command (`$VISUAL` or `$EDITOR`, which may carry arguments) on a file, with
/// the terminal; passed in so tests and other front ends decide how an editor runs.
pub type RunEditor = dyn Fn(&str, &Path) -> std::io::Result<std::process::ExitStatus>;

/// The real way to run an editor: `sh -c 'EDITOR "$1"'`, as git does, so `code --wait` works.
pub fn run_editor(editor: &str, file: &Path) -> std::io::Result<std::process::ExitStatus> {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file)
        .status()
}

/// How an edit ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edited {
    /// The letter (and its email) now hold the new text.
    Changed,
    /// The parent saved the same text; nothing was written.
    Unchanged,
}

/// Runs `iep edit`.
pub fn execute(args: &EditArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    let case = io.need_case("edit")?.clone();
    let (records, damaged) = record::load_all(&case)?;
    warn_damaged(io.err, &damaged)?;
    let r = record::find(&records, &damaged, &args.record)?;
    let editor = ["VISUAL", "EDITOR"]
        .into_iter()
        .find_map(|k| (io.env.var)(k).filter(|v| !v.trim().is_empty()))
        .context(
            "no editor is set, so iep cannot open the letter. Set VISUAL or EDITOR to the editor you use (for example `export EDITOR=nano`), then run `iep edit` again",
        )?;
    match edit(&case, r, &editor, &*io.env.edit, io.now)? {
        Edited::Changed => writeln!(
            io.err,
            "Saved: {} and its email now hold the new text (the same Message-ID, so replies still thread). Send it with: iep send {}",
            r.dir.join(record::LETTER_FILE).display(),
            r.id
        )?,
        Edited::Unchanged => writeln!(io.err, "No change: the letter is as it was.")?,
    }
    Ok(Exit::Done)
}

/// Opens `r`'s letter in `editor` (run by `run`) and saves what comes back.
pub fn edit(
    case: &Case,
    r: &Record,
    editor: &str,
    run: &(dyn Fn(&str, &Path) -> std::io::Result<std::process::ExitStatus> + '_),
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Result<Edited> {
    // Not while it is being sent, and not after: what the school has is kept as it was.
    let Some(_lock) = record::try_send_lock(r)? else {
        bail!(
            "another iep is sending {} right now, so it cannot be changed. `iep log {}` shows how that ends.",
            r.id,
            r.id
        );
    };
    let r = &record::reload(r)?;
    if r.ever_sent() {
        bail!(
            "{} was already sent, so it is kept as the school received it. To add or correct something, write a follow-up: iep write {} --follow-up {}",
            r.id,
            r.file.letter,
            r.id
        );
    }
    if matches!(r.delivery(), Status::Unconfirmed | Status::Sending) {
        bail!(
            "{} may already have arrived (iep could not confirm it was sent), so it is kept as it is. Look in your Sent folder first: if it arrived, `iep sent {}`; if not, take it out with `iep outbox drop {}` and write it again.",
            r.id,
            r.id,
            r.id
        );
    }
    let txt_path = r.dir.join(record::LETTER_FILE);
    let eml_path = r.dir.join(record::EML_FILE);
    // A letter.txt from before 0.1 began with Subject/To/Reply-By lines: only the letter is
    // opened, and only the letter is saved.
    let old = r.letter()?;
    let copy = tempfile::Builder::new()
        .prefix(&format!("iep-edit-{}-", r.id))
        .suffix(".txt")
        .tempfile()
        .context("could not make a copy of the letter to edit")?;
    std::fs::write(copy.path(), &old)
        .with_context(|| format!("could not write {}", copy.path().display()))?;
    let status = run(editor, copy.path()).with_context(|| {
        format!("could not start the editor `{editor}` (from VISUAL or EDITOR). Check that it is installed, or set VISUAL or EDITOR to another")
    })?;
    if !status.success() {
        bail!("the editor `{editor}` ended with an error ({status}); the letter was not changed");
    }
    let new = std::fs::read_to_string(copy.path())
        .with_context(|| format!("could not read back {}", copy.path().display()))?;
    if new.trim().is_empty() {
        bail!("the letter is empty now, so it was not saved; the letter was not changed");
    }
    let eml = match std::fs::read(&eml_path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("could not read {}", eml_path.display())),
    };
    let in_eml = eml.as_deref().and_then(stored::letter_text);
    let eml_matches = in_eml
        .as_deref()
        .is_none_or(|t| stored::same_letter(&new, t));
    let txt_matches = std::fs::read_to_string(&txt_path).is_ok_and(|t| t == new);
    if txt_matches && eml_matches {
        return Ok(Edited::Unchanged);
    }
    let rebuilt = match &eml {
        Some(bytes) if !eml_matches => Some(
            stored::replace_text(bytes, &new)
                .with_context(|| format!("{} was not changed", txt_path.display()))?,
        ),
        _ => None,
    };
    {
        let _lock = case.lock()?;
        atomic::write(&txt_path, new.as_bytes())?;
        failpoint("edit:after-letter");
        if let Some(bytes) = &rebuilt {
            atomic::write(&eml_path, bytes)?;
        }
        failpoint("edit:after-eml");
    }
    let mut event = Event::new(now, Status::Edited);
    event.note = Some(if eml.is_some() {
        "letter.txt and letter.eml changed before sending".to_owned()
    } else {
        "letter.txt changed".to_owned()
    });
    record::append(case, r, &event)?;
    Ok(Edited::Changed)
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::ExitStatusExt as _;
    use std::process::ExitStatus;

    use super::*;
    use crate::case::record::{Person, RecordFile};

    fn case_with(eml: &[u8], txt: &str) -> (tempfile::TempDir, Case, Record) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(crate::case::CASE_FILE), "").unwrap();
        let case = Case {
            root: dir.path().to_path_buf(),
        };
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-23T09:30:00-05:00").unwrap();
        let file = RecordFile {
            letter: "implementation-concern".into(),
            title: "t".into(),
            jurisdiction: "ontario".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            subject: Some("s".into()),
            asked: "a".into(),
            asks: Vec::new(),
            reply_by: None,
            reply_window: None,
            reply_counted: None,
            to_role: None,
            follows: None,
            message_id: Some("<1@example.org>".into()),
            references: Vec::new(),
            to: vec![Person {
                name: "Ms. Patel".into(),
                title: String::new(),
                email: Some("a@example.org".into()),
            }],
            cc: Vec::new(),
            history: vec![Event::new(at, Status::Written)],
        };
        let id = record::create(&case, "2026-11-23-x", &file, txt, "", Some(eml)).unwrap();
        let (records, _) = record::load_all(&case).unwrap();
        let r = records.into_iter().find(|r| r.id == id).unwrap();
        (dir, case, r)
    }

    const EML: &[u8] = b"From: a@b.c\r\nMessage-ID: <1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nDear Ms. Patel,\r\n";

    fn now() -> chrono::DateTime<chrono::FixedOffset> {
        chrono::DateTime::parse_from_rfc3339("2026-11-24T10:00:00-05:00").unwrap()
    }

    #[test]
    fn the_editor_changes_the_letter_and_its_email_together() {
        let (_dir, case, r) = case_with(EML, "Dear Ms. Patel,\n");
        let seen = std::cell::RefCell::new(None);
        let editor = |cmd: &str, path: &Path| {
            *seen.borrow_mut() = Some((cmd.to_owned(), std::fs::read_to_string(path).unwrap()));
            std::fs::write(path, "Dear Ms. Patel,\n\nThank you.\n").unwrap();
            Ok(ExitStatus::from_raw(0))
        };
        assert_eq!(
            edit(&case, &r, "my-editor -w", &editor, now()).unwrap(),
            Edited::Changed
        );
        assert_eq!(
            *seen.borrow(),
            Some(("my-editor -w".to_owned(), "Dear Ms. Patel,\n".to_owned()))
        );
        let txt = std::fs::read_to_string(r.dir.join(record::LETTER_FILE)).unwrap();
        assert_eq!(txt, "Dear Ms. Patel,\n\nThank you.\n");
        let eml = std::fs::read(r.dir.join(record::EML_FILE)).unwrap();
        assert_eq!(
            stored::letter_text(&eml).unwrap().trim_end(),
            "Dear Ms. Patel,\n\nThank you."
        );
        assert!(eml.starts_with(b"From: a@b.c\r\nMessage-ID: <1@example.org>\r\n"));
        let r = record::reload(&r).unwrap();
        assert_eq!(r.status(), Status::Edited);
        // Saving the same text again changes nothing.
        let same = |_: &str, _: &Path| Ok(ExitStatus::from_raw(0));
        assert_eq!(
            edit(&case, &r, "e", &same, now()).unwrap(),
            Edited::Unchanged
        );
    }

    #[test]
    fn a_failed_or_missing_editor_or_an_empty_letter_changes_nothing() {
        let (_dir, case, r) = case_with(EML, "Dear Ms. Patel,\n");
        let failing = |_: &str, _: &Path| Ok(ExitStatus::from_raw(1 << 8));
        let err = edit(&case, &r, "vi", &failing, now()).unwrap_err();
        assert!(err.to_string().contains("ended with an error"), "{err}");
        let missing = |_: &str, _: &Path| Err(std::io::Error::from(std::io::ErrorKind::NotFound));
        let err = format!(
            "{:#}",
            edit(&case, &r, "nope", &missing, now()).unwrap_err()
        );
        assert!(err.contains("could not start the editor `nope`"), "{err}");
        let emptying = |_: &str, p: &Path| {
            std::fs::write(p, "\n").unwrap();
            Ok(ExitStatus::from_raw(0))
        };
        let err = edit(&case, &r, "e", &emptying, now()).unwrap_err();
        assert!(err.to_string().contains("empty"), "{err}");
        assert_eq!(
            std::fs::read(r.dir.join(record::EML_FILE)).unwrap(),
            EML,
            "nothing was written"
        );
        assert_eq!(record::reload(&r).unwrap().file.history.len(), 1);
    }

    #[test]
    fn a_sent_letter_is_not_edited() {
        let (_dir, case, r) = case_with(EML, "Dear Ms. Patel,\n");
        record::append(&case, &r, &Event::new(now(), Status::Sent)).unwrap();
        let never = |_: &str, _: &Path| -> std::io::Result<ExitStatus> { panic!("not run") };
        let err = edit(&case, &r, "e", &never, now()).unwrap_err();
        assert!(err.to_string().contains("write a follow-up"), "{err}");
    }
}
