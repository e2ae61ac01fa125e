//! Records: one folder per letter, made whole in one rename, and a history that only grows.
//!
//! A record is made in a hidden folder (`records/.new-…`) and renamed into place when every file
//! in it is on disk, so a crash leaves either no record or a whole one. Afterwards iep changes
//! only `record.toml`, and only by appending a `[[history]]` entry: the new file is written
//! beside it and renamed over it, holding the case lock. A record.toml that does not parse
//! (edited by hand) is reported by path, line and column, left exactly as it is, and the other
//! records load as usual.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Case, private_dir};
use crate::atomic;
pub use crate::people::Person;

/// The facts file of a record.
pub const RECORD_FILE: &str = "record.toml";
/// The letter as written.
pub const LETTER_FILE: &str = "letter.txt";
/// Its answers.
pub const ANSWERS_FILE: &str = "answers.toml";
/// The email, for the family's own mail program and for sending.
pub const EML_FILE: &str = "letter.eml";

const HEADER: &str = "# iep record of one letter: the letter is letter.txt, its answers answers.toml.\n# iep never changes what is here; it only adds [[history]] entries at the end.\n\n";

/// What happened to a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Written and saved.
    Written,
    /// Sent (by iep, or the family says they sent it).
    Sent,
    /// A send failed.
    Failed,
    /// A reply came.
    Reply,
}

impl Status {
    /// As shown in the log.
    pub fn name(self) -> &'static str {
        match self {
            Status::Written => "written",
            Status::Sent => "sent",
            Status::Failed => "failed",
            Status::Reply => "reply received",
        }
    }
}

/// One entry in a record's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Event {
    /// When iep recorded it.
    #[serde(with = "toml_time")]
    pub at: DateTime<FixedOffset>,
    /// What happened.
    pub status: Status,
    /// A note (what failed, and why).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A reply's own date.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "toml_date_opt"
    )]
    pub date: Option<NaiveDate>,
    /// Who replied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// What the reply said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The letter's questions the reply answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answered: Vec<String>,
    /// The letter's questions it did not answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unanswered: Vec<String>,
}

impl Event {
    /// A plain event (written, sent, failed) at `at`.
    pub fn new(at: DateTime<FixedOffset>, status: Status) -> Self {
        Event {
            at,
            status,
            note: None,
            date: None,
            from: None,
            summary: None,
            answered: Vec::new(),
            unanswered: Vec::new(),
        }
    }
}

/// `record.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RecordFile {
    /// Letter id.
    pub letter: String,
    /// Letter title.
    pub title: String,
    /// Jurisdiction id.
    pub jurisdiction: String,
    /// The letter's date.
    #[serde(with = "toml_date")]
    pub date: NaiveDate,
    /// Subject line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// What it asked for, in one line.
    pub asked: String,
    /// The questions it put to the school.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asks: Vec<String>,
    /// The reply-by date.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "toml_date_opt"
    )]
    pub reply_by: Option<NaiveDate>,
    /// How the reply-by date was counted: "10 school days".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_window: Option<String>,
    /// How the reply-by date was counted, with the holidays and breaks it skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_counted: Option<String>,
    /// The role or ladder rung written to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_role: Option<String>,
    /// The record this letter follows up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<String>,
    /// The email's Message-ID, when the letter was made as an email (`letter.eml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The Message-IDs of the earlier letters in its thread, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// Addressed to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Person>,
    /// Copied to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<Person>,
    /// What happened, oldest first.
    #[serde(default)]
    pub history: Vec<Event>,
}

/// A record as loaded.
#[derive(Debug, Clone)]
pub struct Record {
    /// Its id: the folder name, `2026-11-23-implementation-concern`.
    pub id: String,
    /// Its folder.
    pub dir: PathBuf,
    /// Its facts and history.
    pub file: RecordFile,
}

impl Record {
    /// The reply, if one was recorded (the latest).
    pub fn reply(&self) -> Option<&Event> {
        self.file
            .history
            .iter()
            .rev()
            .find(|e| e.status == Status::Reply)
    }

    /// The latest status.
    pub fn status(&self) -> Status {
        self.file
            .history
            .last()
            .map_or(Status::Written, |e| e.status)
    }

    /// Whether the reply-by date has passed with no reply.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.reply().is_none() && self.file.reply_by.is_some_and(|d| d < today)
    }

    /// Whom it went to, as one line.
    pub fn to_line(&self) -> String {
        self.file
            .to
            .iter()
            .map(Person::name_and_title)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A record.toml that could not be read.
#[derive(Debug, Clone)]
pub struct Damaged {
    /// The file.
    pub path: PathBuf,
    /// What is wrong, with line and column.
    pub problem: String,
}

impl Damaged {
    /// The id of the record it belongs to, when it is a record.toml.
    pub fn record_id(&self) -> Option<&str> {
        if self.path.file_name()? != RECORD_FILE {
            return None;
        }
        self.path.parent()?.file_name()?.to_str()
    }
}

impl std::fmt::Display for Damaged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} cannot be read, so it is left out until it is fixed: {}",
            self.path.display(),
            self.problem.trim_end()
        )
    }
}

/// What `iep log` and `iep due` show of a record: enough to list it, see whether its reply is
/// overdue and suggest what comes next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Record id.
    pub id: String,
    /// Letter id.
    pub letter: String,
    /// Letter title.
    pub title: String,
    /// Jurisdiction id.
    pub jurisdiction: String,
    /// The letter's date.
    #[serde(with = "toml_date")]
    pub date: NaiveDate,
    /// Whom it went to, as one line.
    pub to: String,
    /// The role or rung written to.
    pub to_role: Option<String>,
    /// The record it follows up.
    pub follows: Option<String>,
    /// Its reply-by date.
    #[serde(with = "toml_date_opt")]
    pub reply_by: Option<NaiveDate>,
    /// Its latest status.
    pub status: Status,
    /// Whether a reply is recorded.
    pub replied: bool,
    /// The reply's date, when it has one.
    #[serde(with = "toml_date_opt")]
    pub reply_date: Option<NaiveDate>,
}

impl Summary {
    /// The summary of a whole record.
    pub fn of(r: &Record) -> Self {
        let reply = r.reply();
        Summary {
            id: r.id.clone(),
            letter: r.file.letter.clone(),
            title: r.file.title.clone(),
            jurisdiction: r.file.jurisdiction.clone(),
            date: r.file.date,
            to: r.to_line(),
            to_role: r.file.to_role.clone(),
            follows: r.file.follows.clone(),
            reply_by: r.file.reply_by,
            status: r.status(),
            replied: reply.is_some(),
            reply_date: reply.and_then(|e| e.date),
        }
    }

    /// Whether the reply-by date has passed with no reply.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        !self.replied && self.reply_by.is_some_and(|d| d < today)
    }
}

/// The index: the summary of every readable record.toml with the stamp (change time, size,
/// inode) of the file it came from, so `iep log` and `iep due` parse only what changed. It is a
/// cache and nothing more: missing, stale or unreadable, it is rebuilt from the records.
const INDEX_FILE: &str = ".index";
// 3: records with a date out of range (issue 11) are damaged, not summarised.
const INDEX_VERSION: u32 = 3;

#[derive(Serialize, Deserialize)]
struct Index {
    version: u32,
    entries: Vec<(Stamp, Summary)>,
    /// Records that could not be read, by id: unchanged, they are reported again without the
    /// index being written again.
    damaged: Vec<(String, Stamp)>,
}

/// What says a file is unchanged, as git's index does: modification time to the nanosecond,
/// size and inode (iep replaces a record.toml by renaming, which changes the inode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    mtime: i64,
    nsec: i64,
    size: u64,
    ino: u64,
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt as _;
        Stamp {
            mtime: meta.mtime(),
            nsec: meta.mtime_nsec(),
            size: meta.size(),
            ino: meta.ino(),
        }
    }
}

/// The record folders in a case: (id, path), unsorted.
fn record_dirs(case: &Case) -> Result<Vec<(String, PathBuf)>> {
    let dir = case.records_dir();
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("could not read {}", dir.display())),
    };
    let mut dirs = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("could not read {}", dir.display()))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        dirs.push((name.to_owned(), entry.path()));
    }
    Ok(dirs)
}

/// Runs `f` on every record folder, one thread per core: with thousands of records, checking and
/// reading files is most of the time.
fn each_dir<T: Send>(dirs: &[(String, PathBuf)], f: impl Fn(&str, &Path) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = dirs.len().div_ceil(threads).max(1);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = dirs
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|(id, p)| f(id, p)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("record loading does not panic"))
            .collect()
    })
}

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

/// The summary of every record, sorted by date then id, and the records that could not be read.
/// Unchanged records come from the index; the index is brought up to date when anything changed.
pub fn summaries(case: &Case) -> Result<(Vec<Summary>, Vec<Damaged>)> {
    let dirs = record_dirs(case)?;
    let index_path = case.records_dir().join(INDEX_FILE);
    let index = fs::read(&index_path)
        .ok()
        .and_then(|bytes| rmp_serde::from_slice::<Index>(&bytes).ok())
        .filter(|i| i.version == INDEX_VERSION);
    let (known, known_bad): (
        std::collections::HashMap<String, (Stamp, Summary)>,
        std::collections::HashMap<String, Stamp>,
    ) = match index {
        Some(i) => (
            i.entries
                .into_iter()
                .map(|(st, s)| (s.id.clone(), (st, s)))
                .collect(),
            i.damaged.into_iter().collect(),
        ),
        None => Default::default(),
    };
    let loaded = each_dir(&dirs, |id, dir| {
        let path = dir.join(RECORD_FILE);
        let stamp = match fs::metadata(&path) {
            Ok(meta) => Stamp::of(&meta),
            Err(e) => {
                let problem = e.to_string();
                return (Err((Damaged { path, problem }, None)), true);
            }
        };
        match known.get(id) {
            Some((cached, summary)) if *cached == stamp => (Ok((stamp, summary.clone())), false),
            _ => match parse_record(id, dir) {
                Ok(r) => (Ok((stamp, Summary::of(&r))), true),
                Err(d) => {
                    let seen = known_bad.get(id) == Some(&stamp);
                    (Err((d, Some(stamp))), !seen)
                }
            },
        }
    });
    let mut entries = Vec::with_capacity(loaded.len());
    let mut damaged = Vec::new();
    let mut bad_stamps = Vec::new();
    let mut changed = false;
    for (r, fresh) in loaded {
        changed |= fresh;
        match r {
            Ok(e) => entries.push(e),
            Err((d, stamp)) => {
                if let (Some(stamp), Some(id)) = (stamp, d.record_id()) {
                    bad_stamps.push((id.to_owned(), stamp));
                }
                damaged.push(d);
            }
        }
    }
    entries.sort_by(|a, b| (a.1.date, &a.1.id).cmp(&(b.1.date, &b.1.id)));
    if changed || known.len() != entries.len() || known_bad.len() != bad_stamps.len() {
        // Best effort and without the lock: it is a cache, and whichever run writes it last
        // writes a whole, true one. A case on a read-only disk still loads, only more slowly.
        let index = Index {
            version: INDEX_VERSION,
            entries,
            damaged: bad_stamps,
        };
        if let Ok(bytes) = rmp_serde::to_vec(&index) {
            let _ = atomic::write(&index_path, &bytes);
        }
        entries = index.entries;
    }
    Ok((entries.into_iter().map(|(_, s)| s).collect(), damaged))
}

fn parse_record(id: &str, dir: &Path) -> Result<Record, Damaged> {
    let path = dir.join(RECORD_FILE);
    let damaged = |problem: String| Damaged {
        path: path.clone(),
        problem,
    };
    let text = fs::read_to_string(&path).map_err(|e| damaged(e.to_string()))?;
    let file = parse(&text).map_err(damaged)?;
    Ok(Record {
        id: id.to_owned(),
        dir: dir.to_path_buf(),
        file,
    })
}

/// Reads a record file. A date a hand edit put outside what iep accepts for a letter (2000 to
/// 2100) makes it damaged, reported like any other fault, rather than a date in the year 9999
/// that every later count would trip on.
fn parse(text: &str) -> Result<RecordFile, String> {
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
        ));
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
    sync(&records);
    Ok(id)
}

/// Adds an entry to a record's history. The file is read again under the lock, and left alone if
/// it no longer parses.
pub fn append(case: &Case, record: &Record, event: &Event) -> Result<()> {
    let _lock = case.lock()?;
    // This record's own leftovers go now, whenever the last look through every record was.
    let mut failed = Vec::new();
    super::clear_temp_files(&record.dir, std::time::SystemTime::now(), &mut failed);
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
    atomic::write(&path, text.as_bytes())
}

/// The TOML of a record file.
pub fn to_text(file: &RecordFile) -> Result<String> {
    toml::to_string(file).context("could not write the record")
}

/// Leftovers of runs that died while making a record. Only called holding the lock, when no other
/// run can be making one.
fn clear_unfinished(records: &Path) {
    let Ok(entries) = fs::read_dir(records) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(".new-") {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
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

fn sync(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

// Dates and times are TOML dates in record.toml, and plain numbers in the compact index
// (`is_human_readable` tells the two apart), so one type serves both.

/// A `NaiveDate` as a TOML date, or days since 0001-01-01 in the index.
mod toml_date {
    use chrono::{Datelike as _, NaiveDate};
    use serde::ser::Error as _;
    use serde::{Deserialize as _, Deserializer, Serialize as _, Serializer, de::Error as _};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            crate::answers::toml_date(*d)
                .map_err(|e| S::Error::custom(format!("{e:#}")))?
                .serialize(s)
        } else {
            d.num_days_from_ce().serialize(s)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        if !d.is_human_readable() {
            let days = i32::deserialize(d)?;
            return NaiveDate::from_num_days_from_ce_opt(days)
                .ok_or_else(|| D::Error::custom("a day out of range"));
        }
        let dt = toml::value::Datetime::deserialize(d)?;
        match (dt.date, dt.time) {
            (Some(date), None) => NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
            .ok_or_else(|| D::Error::custom(format!("{dt} is not a real date"))),
            _ => Err(D::Error::custom(format!(
                "{dt} should be a plain date such as 2026-11-23"
            ))),
        }
    }
}

/// An optional `NaiveDate`, as [`toml_date`].
mod toml_date_opt {
    use chrono::NaiveDate;
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            // TOML leaves a missing value out (skip_serializing_if); the index needs a tag.
            Some(d) if s.is_human_readable() => super::toml_date::serialize(d, s),
            Some(d) => s.serialize_some(&Days(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        if d.is_human_readable() {
            super::toml_date::deserialize(d).map(Some)
        } else {
            Ok(Option::<Days>::deserialize(d)?.map(|w| w.0))
        }
    }

    struct Days(NaiveDate);

    impl serde::Serialize for Days {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            super::toml_date::serialize(&self.0, s)
        }
    }

    impl<'de> serde::Deserialize<'de> for Days {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::toml_date::deserialize(d).map(Days)
        }
    }
}

/// A time with its offset: a TOML offset date-time, or (seconds, offset seconds) in the index.
mod toml_time {
    use chrono::{DateTime, FixedOffset, SecondsFormat};
    use serde::{Deserialize as _, Deserializer, Serialize as _, Serializer, de::Error as _};

    pub fn serialize<S: Serializer>(t: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        if !s.is_human_readable() {
            return (t.timestamp(), t.offset().local_minus_utc()).serialize(s);
        }
        let dt: toml::value::Datetime = t
            .to_rfc3339_opts(SecondsFormat::Secs, false)
            .parse()
            .map_err(serde::ser::Error::custom)?;
        dt.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        if !d.is_human_readable() {
            let (secs, offset) = <(i64, i32)>::deserialize(d)?;
            let offset = FixedOffset::east_opt(offset)
                .ok_or_else(|| D::Error::custom("an offset out of range"))?;
            return DateTime::from_timestamp(secs, 0)
                .map(|t| t.with_timezone(&offset))
                .ok_or_else(|| D::Error::custom("a time out of range"));
        }
        let dt = toml::value::Datetime::deserialize(d)?;
        DateTime::parse_from_rfc3339(&dt.to_string()).map_err(|_| {
            D::Error::custom(format!(
                "{dt} should be a date and time with its offset, such as 2026-11-23T09:30:00-05:00"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> RecordFile {
        let at = DateTime::parse_from_rfc3339("2026-11-23T09:30:00-05:00").unwrap();
        RecordFile {
            letter: "implementation-concern".into(),
            title: "A support in the plan is not happening".into(),
            jurisdiction: "ontario".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            subject: Some("Scribe — Sam Lee".into()),
            asked: "that the scribe be given".into(),
            asks: vec!["Is this support being given now?".into()],
            reply_by: NaiveDate::from_ymd_opt(2026, 12, 7),
            reply_window: Some("10 school days".into()),
            reply_counted: None,
            to_role: Some("principal".into()),
            follows: None,
            message_id: None,
            references: Vec::new(),
            to: vec![Person {
                name: "Ms. Patel".into(),
                title: "Principal".into(),
                email: None,
            }],
            cc: Vec::new(),
            history: vec![Event::new(at, Status::Written)],
        }
    }

    #[test]
    fn records_are_made_whole_and_only_grow() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(super::super::CASE_FILE), "").unwrap();
        let case = Case {
            root: dir.path().to_path_buf(),
        };
        let file = sample();
        let a = create(
            &case,
            "2026-11-23-implementation-concern",
            &file,
            "letter",
            "x = 1",
            None,
        )
        .unwrap();
        let b = create(
            &case,
            "2026-11-23-implementation-concern",
            &file,
            "letter",
            "x = 1",
            None,
        )
        .unwrap();
        assert_eq!(b, "2026-11-23-implementation-concern-2");
        let (records, damaged) = load_all(&case).unwrap();
        assert!(damaged.is_empty());
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].file, file);
        let before = fs::read_to_string(records[0].dir.join(RECORD_FILE)).unwrap();
        let mut reply = Event::new(file.history[0].at, Status::Reply);
        reply.date = NaiveDate::from_ymd_opt(2026, 11, 30);
        reply.from = Some("Ms. Patel".into());
        append(&case, &records[0], &reply).unwrap();
        let after = fs::read_to_string(records[0].dir.join(RECORD_FILE)).unwrap();
        assert!(
            after.starts_with(&before),
            "the earlier text is kept byte for byte"
        );
        let (records, _) = load_all(&case).unwrap();
        let r = find(&records, &[], &a).unwrap();
        assert_eq!(r.reply().unwrap().from.as_deref(), Some("Ms. Patel"));
        assert!(!r.overdue(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()));
        assert_eq!(r.status(), Status::Reply);
    }

    #[test]
    fn a_damaged_record_is_named_with_its_line_and_the_rest_still_load() {
        let dir = tempfile::tempdir().unwrap();
        let case = Case {
            root: dir.path().to_path_buf(),
        };
        create(&case, "2026-11-02-iep-request", &sample(), "l", "a", None).unwrap();
        let id = create(&case, "2026-11-23-escalation", &sample(), "l", "a", None).unwrap();
        let path = case.records_dir().join(&id).join(RECORD_FILE);
        let text = fs::read_to_string(&path)
            .unwrap()
            .replace("asked = ", "asked = oops ");
        fs::write(&path, &text).unwrap();
        let (records, damaged) = load_all(&case).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(damaged.len(), 1);
        let msg = damaged[0].to_string();
        assert!(msg.contains("2026-11-23-escalation/record.toml"), "{msg}");
        assert!(msg.contains("line "), "{msg}");
        let err = append(
            &case,
            &Record {
                id,
                dir: path.parent().unwrap().into(),
                file: sample(),
            },
            &sample().history[0],
        )
        .unwrap_err();
        assert!(err.to_string().contains("nothing was added"), "{err}");
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            text,
            "a damaged file is left as it is"
        );
    }

    #[test]
    fn the_index_follows_hand_edits() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let case = Case {
            root: dir.path().to_path_buf(),
        };
        let id = create(
            &case,
            "2026-11-23-implementation-concern",
            &sample(),
            "l",
            "a",
            None,
        )
        .unwrap();
        let (first, _) = summaries(&case).unwrap();
        assert_eq!(first[0], Summary::of(&load_all(&case).unwrap().0[0]));
        let index = case.records_dir().join(INDEX_FILE);
        assert_eq!(
            fs::metadata(&index).unwrap().permissions().mode() & 0o777,
            0o600
        );
        // Edited in place to the same length: same inode and size, only the time tells.
        let path = case.records_dir().join(&id).join(RECORD_FILE);
        let text = fs::read_to_string(&path)
            .unwrap()
            .replace("Ms. Patel", "Mr. Tran!");
        fs::write(&path, &text).unwrap();
        let (second, _) = summaries(&case).unwrap();
        assert_eq!(second[0].to, "Mr. Tran!, Principal");
        fs::write(&path, text.replace("letter = ", "letter = =")).unwrap();
        let (third, damaged) = summaries(&case).unwrap();
        assert!(third.is_empty());
        assert_eq!(damaged.len(), 1);
    }

    #[test]
    fn records_are_found_by_id_start_or_part() {
        let mk = |id: &str| Record {
            id: id.into(),
            dir: PathBuf::new(),
            file: sample(),
        };
        let records = [
            mk("2026-11-02-iep-request"),
            mk("2026-11-23-implementation-concern"),
        ];
        assert_eq!(
            find(&records, &[], "2026-11-02").unwrap().id,
            "2026-11-02-iep-request"
        );
        assert_eq!(
            find(&records, &[], "implementation").unwrap().id,
            "2026-11-23-implementation-concern"
        );
        assert_eq!(
            find(&records, &[], "records/2026-11-02-iep-request/")
                .unwrap()
                .id,
            "2026-11-02-iep-request"
        );
        let err = find(&records, &[], "2026-11").unwrap_err().to_string();
        assert!(err.contains("matches 2 records"), "{err}");
        // A damaged record still counts: a part of an id that also names it is ambiguous, and
        // naming it says it cannot be read, rather than picking another record.
        let damaged = [Damaged {
            path: PathBuf::from("records/2026-11-23-implementation-concern-2/record.toml"),
            problem: "line 3".into(),
        }];
        let err = find(&records, &damaged, "implementation")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("matches 2 records") && err.contains("-2 (cannot be read)"),
            "{err}"
        );
        let err = find(&records, &damaged, "concern-2")
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot be read"), "{err}");
        let err = find(&records, &[], "2026-11-02-iep-requst")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("Did you mean \"2026-11-02-iep-request\""),
            "{err}"
        );
    }
}
