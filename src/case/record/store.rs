//! Reading, finding, creating and appending to records on disk.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::Path;

use anyhow::{Context as _, Result, bail};

use super::index::{each_dir, record_dirs};
use super::*;
use crate::atomic::{self, failpoint};
use crate::case::{Case, private_dir};

/// Every record in a case, read whole, sorted by date then id, and the ones that could not be
/// read.
pub fn load_all(case: &Case) -> Result<(Vec<Record>, Vec<Damaged>)> {
    let dirs = record_dirs(case)?;
    let mut records = Vec::new();
    let mut damaged = Vec::new();
    for r in each_dir(&dirs, parse_record) {
        match r {
            Ok(rec) => records.push(rec),
            Err(d) => damaged.push(d),
        }
    }
    records.sort_by(|a, b| (a.file.date, &a.id).cmp(&(b.file.date, &b.id)));
    Ok((records, damaged))
}

pub(super) fn parse_record(id: &str, dir: &Path) -> Result<Record, Damaged> {
    let path = dir.join(RECORD_FILE);
    let damaged = |problem: String| Damaged {
        path: path.clone(),
        problem,
    };
    let text = fs::read_to_string(&path).map_err(|e| damaged(e.to_string()))?;
    let file = parse(&text).map_err(|e| damaged(e.0))?;
    Ok(Record {
        id: id.to_owned(),
        dir: dir.to_path_buf(),
        file,
    })
}

/// Reads a record file. A date a hand edit put outside what iep accepts for a letter (2000 to
/// 2100) makes it damaged, reported like any other fault, rather than a date in the year 9999
/// that every later count would trip on.
pub(super) fn parse(text: &str) -> Result<RecordFile, crate::refused::Refused> {
    let file: RecordFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let letter = crate::dates::DateKind::Letter;
    letter
        .check(file.date, &file.date.to_string())
        .map_err(|e| format!("`date`: {e}"))?;
    if let Some(by) = file.reply_by
        && (by < file.date || by > file.date + chrono::Days::new(2 * 366))
    {
        return Err(format!(
            "`reply-by` {by} is not within two years after the letter's date ({}); iep counts reply windows in days",
            file.date
        ).into());
    }
    for event in &file.history {
        if let Some(d) = event.date {
            letter
                .check(d, &d.to_string())
                .map_err(|e| format!("a history entry's `date`: {e}"))?;
        }
    }
    Ok(file)
}

/// Finds one record by its id, a unique start of it, or a unique part of it. Records that could
/// not be read count too, so a part of an id never quietly picks another record because the one
/// meant is damaged.
pub fn find<'r>(records: &'r [Record], damaged: &[Damaged], wanted: &str) -> Result<&'r Record> {
    // A path to the folder (as a shell completes it) names the record too.
    let wanted = wanted.trim_end_matches('/');
    let wanted = wanted.rsplit('/').next().unwrap_or(wanted);
    if let Some(r) = records.iter().find(|r| r.id == wanted) {
        return Ok(r);
    }
    let unreadable: Vec<&Damaged> = damaged.iter().filter(|d| d.record_id().is_some()).collect();
    let matches = |f: &dyn Fn(&str) -> bool| -> (Vec<&'r Record>, Vec<&Damaged>) {
        (
            records.iter().filter(|r| f(&r.id)).collect(),
            unreadable
                .iter()
                .copied()
                .filter(|d| d.record_id().is_some_and(f))
                .collect(),
        )
    };
    let exact = |id: &str| id == wanted;
    let starts = |id: &str| id.starts_with(wanted);
    let contains = |id: &str| id.contains(wanted);
    for test in [&exact as &dyn Fn(&str) -> bool, &starts, &contains] {
        let (found, bad) = matches(test);
        match (found.as_slice(), bad.as_slice()) {
            ([], []) => continue,
            ([one], []) => return Ok(one),
            ([], [d]) => bail!("{d}"),
            _ => {
                let ids: Vec<String> = found
                    .iter()
                    .map(|r| r.id.clone())
                    .chain(
                        bad.iter()
                            .filter_map(|d| d.record_id())
                            .map(|id| format!("{id} (cannot be read)")),
                    )
                    .collect();
                bail!(
                    "\"{wanted}\" matches {} records: {}. Give more of the id.",
                    ids.len(),
                    ids.join(", ")
                )
            }
        }
    }
    let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
    let hint = match crate::suggest::closest(wanted, &ids) {
        Some(id) => format!(" Did you mean \"{id}\"?"),
        None => String::new(),
    };
    bail!("there is no record \"{wanted}\" in this case.{hint} `iep log` lists them.")
}

/// Makes a new record whole: its files are written in a hidden folder, then renamed into place.
/// Returns its id: `stem`, or `stem-2`, `stem-3`… when taken.
pub fn create(
    case: &Case,
    stem: &str,
    file: &RecordFile,
    letter: &str,
    answers: &str,
    eml: Option<&[u8]>,
) -> Result<String> {
    let _lock = case.lock()?;
    let records = case.records_dir();
    private_dir(&records)?;
    clear_unfinished(&records);
    let mut text = String::from(HEADER);
    text.push_str(&to_text(file)?);
    let tmp = tempfile::Builder::new()
        .prefix(".new-")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700))
        .tempdir_in(&records)
        .with_context(|| format!("could not create a folder in {}", records.display()))?;
    for (name, content) in [
        (RECORD_FILE, Some(text.as_bytes())),
        (LETTER_FILE, Some(letter.as_bytes())),
        (ANSWERS_FILE, Some(answers.as_bytes())),
        (EML_FILE, eml),
    ] {
        if let Some(content) = content {
            write_private(&tmp.path().join(name), content)?;
        }
    }
    sync(tmp.path());
    failpoint("record-create:before-rename");
    let id = (1..)
        .map(|n| {
            if n == 1 {
                stem.to_owned()
            } else {
                format!("{stem}-{n}")
            }
        })
        .find(|id| !records.join(id).exists())
        .expect("some numbered name is free");
    let dest = records.join(&id);
    let tmp = tmp.keep();
    fs::rename(&tmp, &dest)
        .with_context(|| format!("could not save the record {}", dest.display()))?;
    failpoint("record-create:after-rename");
    sync(&records);
    Ok(id)
}

/// Adds an entry to a record's history. The file is read again under the lock, and left alone if
/// it no longer parses.
pub fn append(case: &Case, record: &Record, event: &Event) -> Result<()> {
    let _lock = case.lock()?;
    // This record's own leftovers go now, whenever the last look through every record was.
    let mut failed = Vec::new();
    crate::case::clear_temp_files(&record.dir, std::time::SystemTime::now(), &mut failed);
    for (path, e) in failed {
        eprintln!(
            "iep: warning: could not remove {}, left by a run that was stopped while writing ({e}). It is safe to delete it by hand.",
            path.display()
        );
    }
    let path = record.dir.join(RECORD_FILE);
    let mut text =
        fs::read_to_string(&path).with_context(|| format!("could not read {}", path.display()))?;
    if let Err(problem) = parse(&text) {
        bail!(
            "{} cannot be read, so nothing was added to it. Fix it first: {problem}",
            path.display()
        );
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("\n[[history]]\n");
    text.push_str(&toml::to_string(event).context("could not write the history entry")?);
    parse(&text).map_err(|e| anyhow::anyhow!("iep made a record it cannot read back: {e}"))?;
    failpoint("record-append:before-write");
    atomic::write(&path, text.as_bytes())
}

/// The TOML of a record file.
pub fn to_text(file: &RecordFile) -> Result<String> {
    toml::to_string(file).context("could not write the record")
}

/// Leftovers of runs that died while making a record. Only called holding the lock, when no other
/// run can be making one.
pub(super) fn clear_unfinished(records: &Path) {
    let Ok(entries) = fs::read_dir(records) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(".new-") {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

pub(super) fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = fs::OpenOptions::new()
        .create_new(true)
        .write(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("could not create {}", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("could not write {}", path.display()))
}

pub(super) fn sync(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

// Dates and times are TOML dates in record.toml, and plain numbers in the compact index
// (`is_human_readable` tells the two apart), so one type serves both.
