//! Writing files so that nothing is ever half-written or readable by others.
//!
//! Each file is written to a temporary file in the same folder (created 0600), flushed to disk,
//! then renamed over its name in one step, as Maildir does. A crash leaves either the old file or
//! the new one, never a torn one.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

/// Writes `bytes` to `path`, replacing any file there.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temp_with(path, bytes)?;
    failpoint("atomic-write:before-rename");
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("could not save {}", path.display()))?;
    sync_dir(path);
    Ok(())
}

/// Writes `bytes` to `path` only if no file has that name; `Ok(false)` if one does.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<bool> {
    let tmp = temp_with(path, bytes)?;
    match tmp.persist_noclobber(path) {
        Ok(_) => {
            sync_dir(path);
            Ok(true)
        }
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e.error).with_context(|| format!("could not save {}", path.display())),
    }
}

/// The first of `stem.ext`, `stem-2.ext`, `stem-3.ext` … for which every extension in `exts` is
/// free, so a letter and its answers file get matching names.
pub fn free_stem(dir: &Path, stem: &str, exts: &[&str]) -> PathBuf {
    (1..)
        .map(|n| {
            if n == 1 {
                dir.join(stem)
            } else {
                dir.join(format!("{stem}-{n}"))
            }
        })
        .find(|base| exts.iter().all(|ext| !with_ext(base, ext).exists()))
        .expect("some numbered name is free")
}

/// `base` + `ext` (`ext` includes its dot: `.txt`).
pub fn with_ext(base: &Path, ext: &str) -> PathBuf {
    let mut s = base.as_os_str().to_owned();
    s.push(ext);
    PathBuf::from(s)
}

fn temp_with(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // tempfile creates the file readable and writable by its owner only (0600).
    let mut tmp = tempfile::Builder::new()
        .prefix(".iep-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("could not create a file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("could not write to {}", dir.display()))?;
    Ok(tmp)
}

/// Makes the rename itself durable. Best effort: not every filesystem lets a folder be synced.
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(f) = std::fs::File::open(dir)
    {
        let _ = f.sync_all();
    }
}

/// Creates `dir` (and parents) if missing; folders iep creates are 0700.
pub fn private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("could not create the folder {}", dir.display()))
}

/// Opens (making it when missing, 0600) the file a lock is taken on; `what` names it in an
/// error ("the case lock"). The lock itself is the caller's: waiting or not.
pub fn lock_file(path: &Path, what: &str) -> Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("could not open {what} {}", path.display()))
}

/// In debug builds, `IEP_FAILPOINT=<step>` kills the process (SIGKILL) at that step: no
/// destructor runs, as when a person or the system kills iep. Release builds have no fail points.
pub fn failpoint(step: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("IEP_FAILPOINT").is_ok_and(|f| f.split(',').any(|f| f == step)) {
        use rustix::process::{Signal, getpid, kill_process};
        let _ = kill_process(getpid(), Signal::KILL);
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = step;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    #[test]
    fn files_are_private_and_not_clobbered() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        assert!(write_new(&p, b"one").unwrap());
        assert!(!write_new(&p, b"two").unwrap());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one");
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        write(&p, b"three").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "three");
        let base = free_stem(dir.path(), "a", &[".txt"]);
        assert_eq!(base, dir.path().join("a-2"));
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }
}
