//! The case folder: the family's own record of one child's plan.
//!
//! ```text
//! sam-iep/                       0700
//!   iep-case.toml                the profile: child, school, jurisdiction, contacts, sender
//!   records/                     one folder per letter, never rewritten once made:
//!     2026-11-23-implementation-concern/
//!       record.toml              facts + [[history]]; iep only ever appends to the history
//!       letter.txt               the letter as written
//!       answers.toml             its answers, to write it again
//!   observations/                one file per observation: 2026-11-04-1.toml
//!   drafts/                      answers of a letter being written, until it is saved
//!   .iep.lock                    held while anything is written
//! ```
//!
//! A case is found as git finds a repository: `--case DIR`, then `IEP_CASE`, then the current
//! folder and each folder above it. Every file is written whole or not at all ([`crate::atomic`]),
//! folders are 0700 and files 0600, and every write happens while holding the lock, so sixteen
//! runs at once still make sixteen whole records. Reading takes no lock: a reader only ever sees
//! complete files.

pub mod chronology;
pub mod context;
pub mod observation;
pub mod record;

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::answers::{AnswersFile, Value};
use crate::people::Contact;

/// The file that makes a folder a case.
pub const CASE_FILE: &str = "iep-case.toml";

/// A case folder.
#[derive(Debug, Clone)]
pub struct Case {
    /// The folder.
    pub root: PathBuf,
}

/// Where a case was asked for, for messages.
#[derive(Debug, Clone, Copy)]
pub enum Named {
    /// `--case DIR`.
    Flag,
    /// `IEP_CASE`.
    Env,
}

impl Case {
    /// Finds the case: `explicit` (from `--case` or `IEP_CASE`) must be one; otherwise the
    /// nearest folder from `cwd` upward holding `iep-case.toml`, if any.
    pub fn discover(explicit: Option<(&Path, Named)>, cwd: &Path) -> Result<Option<Case>> {
        if let Some((dir, named)) = explicit {
            let mut dir = cwd.join(dir);
            // Naming the profile file itself names its folder.
            if dir.is_file()
                && dir.file_name() == Some(std::ffi::OsStr::new(CASE_FILE))
                && let Some(parent) = dir.parent()
            {
                dir = parent.to_path_buf();
            }
            if !dir.join(CASE_FILE).is_file() {
                let from = match named {
                    Named::Flag => "--case",
                    Named::Env => "IEP_CASE",
                };
                bail!(
                    "{from} names {}, which is not a case folder (it has no {CASE_FILE}). Create one there with `iep init {}`, or check the path.",
                    dir.display(),
                    dir.display()
                );
            }
            return Ok(Some(Case { root: dir }));
        }
        Ok(cwd
            .ancestors()
            .find(|d| d.join(CASE_FILE).is_file())
            .map(|d| Case {
                root: d.to_path_buf(),
            }))
    }

    /// The profile file.
    pub fn profile_path(&self) -> PathBuf {
        self.root.join(CASE_FILE)
    }

    /// The records folder.
    pub fn records_dir(&self) -> PathBuf {
        self.root.join("records")
    }

    /// Unfinished letters' answers, kept as they are typed.
    pub fn drafts_dir(&self) -> PathBuf {
        self.root.join("drafts")
    }

    /// The observations folder.
    pub fn observations_dir(&self) -> PathBuf {
        self.root.join("observations")
    }

    /// Reads the profile as an answers file (line numbers kept for messages).
    pub fn profile(&self) -> Result<Profile> {
        Ok(Profile {
            file: AnswersFile::load(&self.profile_path())?,
        })
    }

    /// Takes the case's lock until the guard is dropped, so writes from several runs never mix.
    pub fn lock(&self) -> Result<Lock> {
        let path = self.root.join(".iep.lock");
        let file = crate::atomic::lock_file(&path, "the case lock")?;
        file.lock()
            .with_context(|| format!("could not lock {}", path.display()))?;
        for (path, e) in self.clear_leftovers(&file) {
            // Nothing is said when leftovers go; only one that cannot be removed is worth a word.
            eprintln!(
                "iep: warning: could not remove {}, left by a run that was stopped while writing ({e}). It is safe to delete it by hand.",
                path.display()
            );
        }
        Ok(Lock { _file: file })
    }

    /// Removes the temporary files (`.iep-*.tmp`) of runs killed while writing, from the case
    /// folder, `observations/`, `drafts/` and `records/`, and from every record's folder when
    /// they were last looked through over an hour ago (the lock file's modification time says
    /// when), so that a write in a case of thousands of records stays quick. Called holding the
    /// lock; a file younger than a minute may be a reader's index or a draft being saved now, and
    /// is left. Returns what could not be removed.
    fn clear_leftovers(&self, lock: &File) -> Vec<(PathBuf, std::io::Error)> {
        let now = std::time::SystemTime::now();
        let mut failed = Vec::new();
        let records = self.records_dir();
        for dir in [
            self.root.clone(),
            self.observations_dir(),
            self.drafts_dir(),
            records.clone(),
        ] {
            clear_temp_files(&dir, now, &mut failed);
        }
        let swept = lock.metadata().and_then(|m| m.modified()).ok();
        let due = swept.is_none_or(|t| {
            now.duration_since(t)
                .is_ok_and(|age| age > std::time::Duration::from_secs(3600))
        });
        if due && let Ok(entries) = fs::read_dir(&records) {
            for entry in entries.flatten() {
                let name = entry.file_name();
                if !name.to_string_lossy().starts_with('.')
                    && entry.file_type().is_ok_and(|t| t.is_dir())
                {
                    clear_temp_files(&entry.path(), now, &mut failed);
                }
            }
            let _ = lock.set_modified(now);
        }
        failed
    }

    /// What the parent should know about the folder itself: parts that others with an account on
    /// this computer can read, and `records/` or `observations/` that are links leading out of
    /// the case. Each says what to run. Said once, when a command opens the case.
    pub fn warnings(&self) -> Vec<String> {
        use std::os::unix::fs::PermissionsExt as _;
        let mut out = Vec::new();
        let open_to_others =
            |p: &Path| fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o077 != 0);
        let root = self
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.root.clone());
        for dir in [
            self.records_dir(),
            self.observations_dir(),
            self.drafts_dir(),
        ] {
            let Ok(meta) = fs::symlink_metadata(&dir) else {
                continue;
            };
            if !meta.file_type().is_symlink() {
                continue;
            }
            match dir.canonicalize() {
                Ok(target) if !target.starts_with(&root) => out.push(format!(
                    "{} is a link to {}, outside the case folder, so what iep keeps there is not in the case and not as private as the case. To keep it in the case: rm {} && mv {} {}",
                    dir.display(),
                    target.display(),
                    dir.display(),
                    target.display(),
                    dir.display()
                )),
                Ok(_) => {}
                Err(_) => out.push(format!(
                    "{} is a link to a folder that is not there. Remove the link (rm {}); iep makes the folder again when it needs it.",
                    dir.display(),
                    dir.display()
                )),
            }
        }
        let mut loose: Vec<String> = [
            self.root.clone(),
            self.records_dir(),
            self.observations_dir(),
        ]
        .into_iter()
        .filter(|d| open_to_others(d))
        .map(|d| d.display().to_string())
        .collect();
        if !loose.is_empty() {
            let names = loose.join(", ");
            loose.insert(0, "chmod 700".into());
            out.push(format!(
                "other people with an account on this computer can look into {names}. To make the case private: {}",
                loose.join(" ")
            ));
        }
        if open_to_others(&self.profile_path()) {
            out.push(format!(
                "other people with an account on this computer can read {}. To make it private: chmod 600 {}",
                self.profile_path().display(),
                self.profile_path().display()
            ));
        }
        out
    }
}

/// Removes `.iep-*.tmp` files in `dir` last changed over a minute before `now`.
pub(crate) fn clear_temp_files(
    dir: &Path,
    now: std::time::SystemTime,
    failed: &mut Vec<(PathBuf, std::io::Error)>,
) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".iep-") && name.ends_with(".tmp")) {
            continue;
        }
        let stale = entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| {
            now.duration_since(t)
                .is_ok_and(|age| age > std::time::Duration::from_secs(60))
        });
        if stale
            && entry.file_type().is_ok_and(|t| t.is_file())
            && let Err(e) = fs::remove_file(entry.path())
            && e.kind() != std::io::ErrorKind::NotFound
        {
            failed.push((entry.path(), e));
        }
    }
}

/// The names in a case folder that are iep's own: `--output` never writes to them or inside them.
pub const OWN_NAMES: &[&str] = &[CASE_FILE, "records", "observations", "drafts", ".iep.lock"];

/// Checks a path a parent named for iep to write (`iep write -o`, `iep log --export -o`) before
/// anything is written: it must not be a folder, must not already exist unless `force`, and must
/// not be one of a case folder's own files or inside its own folders, whichever case that is
/// (links and `..` are resolved first). `flag` names the option in messages.
pub fn check_output(path: &Path, force: bool, flag: &str) -> Result<()> {
    let shown = path.display();
    let Some(name) = path.file_name() else {
        bail!(
            "{flag} {shown} names a folder, not a file. Add a file name, for example {flag} letter.txt"
        );
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    check_not_in_case(&resolve(path), path, flag)?;
    let folder = parent.canonicalize().with_context(|| {
        format!(
            "{flag} {shown}: the folder {} does not exist. Create it first, or choose another path",
            parent.display()
        )
    })?;
    let real = folder.join(name);
    let existing = fs::symlink_metadata(&real).ok();
    if let Some(meta) = &existing {
        if meta.file_type().is_symlink()
            && let Ok(target) = real.canonicalize()
        {
            // A link is checked where it leads, too.
            check_not_in_case(&target, path, flag)?;
        }
        if real.is_dir() {
            bail!(
                "{flag} {shown} is a folder. Name a file in it, for example {flag} {}",
                path.join("letter.txt").display()
            );
        }
    }
    check_not_in_case(&real, path, flag)?;
    if existing.is_some() && !force {
        bail!(
            "{flag} {shown}: that file already exists, and iep does not replace a file unless told to. Choose another name, or add --force to replace it"
        );
    }
    Ok(())
}

/// `path` with links and `..` resolved as far as it exists, and the rest appended as written
/// (`..` still taking off one name), so a path into a folder not made yet is judged where it
/// would be.
fn resolve(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut base = path;
    let mut real = loop {
        if let Ok(real) = base.canonicalize() {
            break real;
        }
        match (base.file_name(), base.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_owned());
                base = parent;
            }
            _ => {
                // `..` or nothing left: start from the path as written.
                break base.to_path_buf();
            }
        }
    };
    for name in rest.into_iter().rev() {
        real.push(name);
    }
    // Any `..` past the existing part.
    let mut out = PathBuf::new();
    for c in real.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The case folder `real` (a resolved path) is one of the own files of, or inside one of the own
/// folders of: that case's root and the path inside it.
fn own_part(real: &Path) -> Option<(&Path, &Path)> {
    for root in real.ancestors().skip(1) {
        if !root.join(CASE_FILE).is_file() {
            continue;
        }
        let Ok(inside) = real.strip_prefix(root) else {
            continue;
        };
        let first = inside
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy());
        let own = first.as_deref().is_some_and(|f| {
            OWN_NAMES.contains(&f) || (f.starts_with(".iep-") && f.ends_with(".tmp"))
        });
        if own {
            return Some((root, inside));
        }
    }
    None
}

/// Refuses a folder for `iep init` inside a case folder's own folders (`records/`…), where a
/// new case would pass for a damaged record.
pub fn check_new_case(dir: &Path) -> Result<()> {
    if let Some((root, inside)) = own_part(&resolve(dir)) {
        let own = inside
            .components()
            .next()
            .map_or_else(|| root.to_path_buf(), |c| root.join(c));
        bail!(
            "{} is inside {}, one of the case folder's own folders, where only iep writes. Make the new case folder outside {}",
            dir.display(),
            own.display(),
            root.display()
        );
    }
    Ok(())
}

/// Refuses `real` (a resolved path) when it is a case folder's own file, or inside one of its
/// own folders.
fn check_not_in_case(real: &Path, shown: &Path, flag: &str) -> Result<()> {
    if let Some((root, inside)) = own_part(real) {
        bail!(
            "{flag} {}: that is one of the case folder's own files ({}), which only iep writes, and a recorded letter is never rewritten. Name a file elsewhere, for example {}",
            shown.display(),
            root.join(inside).display(),
            root.join("letter-copy.txt").display()
        );
    }
    Ok(())
}

/// Held while a run writes to a case; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

pub use crate::atomic::private_dir;

/// The contacts in a profile's `contacts` answer.
pub fn contacts(value: Option<&Value>) -> Vec<Contact> {
    let Some(Value::Items(rows)) = value else {
        return Vec::new();
    };
    let text = |row: &std::collections::BTreeMap<String, Value>, k: &str| match row.get(k) {
        Some(Value::Text(t)) if !t.is_empty() => Some(t.clone()),
        _ => None,
    };
    rows.iter()
        .filter_map(|row| {
            Some(Contact {
                role: text(row, "role")?,
                name: text(row, "name")?,
                email: text(row, "email"),
            })
        })
        .collect()
}

/// Header of the profile file.
pub const PROFILE_HEADER: &str = "# The case profile: what every letter in this folder uses. iep does not ask for these again.\n# Change it with `iep case edit` (or `iep case edit --set key=value`), or edit it by hand.";

/// The case profile (`iep-case.toml`) as commands read it: the answers file, and the facts they
/// need from it, typed.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The file as read: its answers with their lines, and the `[iep]` table.
    pub file: AnswersFile,
}

impl Profile {
    /// The jurisdiction the case is in; an error saying how to add one when it names none.
    pub fn jurisdiction(&self) -> Result<String> {
        profile_jurisdiction(&self.file)
    }

    /// A one-line answer the profile holds (`child_name`), if it holds one.
    pub fn text(&self, key: &str) -> Option<String> {
        self.file
            .entries
            .iter()
            .find(|(k, _, _)| k == key)
            .and_then(|(_, v, _)| v.as_str().map(str::to_owned))
    }

    /// The child's name, as the profile gives it.
    pub fn child_name(&self) -> Option<String> {
        self.text("child_name")
    }

    /// The people the family writes to (`people`), by role. Read by shape only: a role is any
    /// text here, because a letter may be written for another jurisdiction than the case's
    /// (`-j`), whose roles differ; the case form checks roles when the profile is edited. A
    /// person missing a role or a name is passed over.
    pub fn contacts(&self) -> Result<Vec<Contact>> {
        #[derive(serde::Deserialize)]
        struct Row {
            role: Option<String>,
            name: Option<String>,
            email: Option<String>,
        }
        let Some((_, value, line)) = self.file.entries.iter().find(|(k, _, _)| k == "people")
        else {
            return Ok(Vec::new());
        };
        let rows: Vec<Row> = value.clone().try_into().map_err(|e| {
            anyhow::anyhow!(
                "{}, line {line}: `people` should be a list of people, each with a role and a name: {e}",
                self.file.path
            )
        })?;
        // Each part is one line with no control characters, as every answer is.
        for text in rows
            .iter()
            .flat_map(|r| [&r.role, &r.name, &r.email])
            .flatten()
        {
            crate::catalog::question::check_controls(text, false)
                .map_err(|e| anyhow::anyhow!("{}, line {line}: `people`: {e}", self.file.path))?;
        }
        let set = |t: Option<String>| t.filter(|t| !t.trim().is_empty());
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(Contact {
                    role: set(r.role)?,
                    name: set(r.name)?,
                    email: set(r.email),
                })
            })
            .collect())
    }
}

/// The jurisdiction a profile's answers file names; an error saying how to add one when it names
/// none.
pub fn profile_jurisdiction(profile: &AnswersFile) -> Result<String> {
    profile.meta.jurisdiction.clone().with_context(|| {
        format!(
            "{} does not say which jurisdiction the case is in. Add one with `iep case edit --jurisdiction ID`.",
            profile.path
        )
    })
}

/// Prints warnings for files in the case that could not be read.
pub fn warn_damaged(err: &mut dyn std::io::Write, damaged: &[record::Damaged]) -> Result<()> {
    for d in damaged {
        writeln!(err, "iep: warning: {d}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_is_found_in_the_folder_or_above_and_a_named_one_must_exist() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("case");
        let deep = root.join("letters/sent");
        fs::create_dir_all(&deep).unwrap();
        assert!(Case::discover(None, &deep).unwrap().is_none());
        fs::write(root.join(CASE_FILE), "").unwrap();
        assert_eq!(Case::discover(None, &deep).unwrap().unwrap().root, root);
        let err = Case::discover(Some((Path::new("elsewhere"), Named::Env)), dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("IEP_CASE names "), "{err}");
        assert!(err.contains("iep init"), "{err}");
        let named = Case::discover(Some((Path::new("case"), Named::Flag)), dir.path()).unwrap();
        assert_eq!(named.unwrap().root, root);
    }
}
