//! The index of record summaries (`records/.index`): each record's summary with its file's
//! stamp, so `iep log` and `iep due` open one file instead of thousands. Only a cache.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::store::parse_record;
use super::*;
use crate::atomic;
use crate::case::Case;

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
    /// How many questions the letter put to the school.
    pub asks: usize,
    /// How many of them the latest reply left unanswered (0 with no reply).
    pub unanswered: usize,
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
            reply_by: r.reply_by(),
            status: r.status(),
            replied: reply.is_some(),
            reply_date: reply.and_then(|e| e.date),
            asks: r.file.asks.len(),
            unanswered: reply.map_or(0, |e| e.unanswered.len()),
        }
    }

    /// Whether a reply came but left some of the letter's questions unanswered: the letter is
    /// still open.
    pub fn answered_in_part(&self) -> bool {
        self.replied && self.unanswered > 0
    }

    /// "2 of 3 questions unanswered", for a reply that left some open.
    pub fn open_questions(&self) -> Option<String> {
        self.open_questions_in(crate::lang::Lang::En)
    }

    /// [`Summary::open_questions`] in `lang`.
    pub fn open_questions_in(&self, lang: crate::lang::Lang) -> Option<String> {
        let w = &lang.words().due;
        self.answered_in_part().then(|| {
            crate::lang::fill(
                if self.asks == 1 {
                    w.open_one
                } else {
                    w.open_many
                },
                &[
                    ("n", &self.unanswered.to_string()),
                    ("total", &self.asks.to_string()),
                ],
            )
        })
    }

    /// Whether the reply-by date has passed with no reply.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        !self.replied && self.reply_by.is_some_and(|d| d < today)
    }
}

/// The index: the summary of every readable record.toml with the stamp (change time, size,
/// inode) of the file it came from, so `iep log` and `iep due` parse only what changed. It is a
/// cache and nothing more: missing, stale or unreadable, it is rebuilt from the records.
pub(super) const INDEX_FILE: &str = ".index";
// 3: records with a date out of range (issue 11) are damaged, not summarised.
// 4: summaries count the letter's questions and those its reply left unanswered.
pub(super) const INDEX_VERSION: u32 = 4;

#[derive(Serialize, Deserialize)]
pub(super) struct Index {
    version: u32,
    entries: Vec<(Stamp, Summary)>,
    /// Records that could not be read, by id: unchanged, they are reported again without the
    /// index being written again.
    damaged: Vec<(String, Stamp)>,
}

/// What says a file is unchanged, as git's index does: modification time to the nanosecond,
/// size and inode (iep replaces a record.toml by renaming, which changes the inode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Stamp {
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
pub(super) fn record_dirs(case: &Case) -> Result<Vec<(String, PathBuf)>> {
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
pub(super) fn each_dir<T: Send>(
    dirs: &[(String, PathBuf)],
    f: impl Fn(&str, &Path) -> T + Sync,
) -> Vec<T> {
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
