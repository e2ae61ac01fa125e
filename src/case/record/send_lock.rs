//! The per-record send lock (`records/<id>/.send.lock`): held from reading a letter's history to
//! writing how its sending ended, so two runs at once never both deliver it.
//!
//! It is separate from the case lock because it is held across the whole network exchange (up to
//! the account's timeout, several times): other commands keep writing to the case meanwhile. Like
//! the case lock it is `flock`ed, so the kernel releases it if the process dies; a "sending" entry
//! still last in the history when the lock is free therefore means a run was stopped mid-send.

use std::fs::File;

use anyhow::{Context as _, Result};

use super::{Record, store::parse_record};

/// The lock file's name in a record's folder.
pub const SEND_LOCK_FILE: &str = ".send.lock";

/// Held while one run sends one letter; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct SendLock {
    _file: File,
}

/// Takes `record`'s send lock without waiting: `None` when another run holds it (that run is
/// sending the letter right now).
pub fn try_send_lock(record: &Record) -> Result<Option<SendLock>> {
    let path = record.dir.join(SEND_LOCK_FILE);
    let file = crate::atomic::lock_file(&path, "the send lock")?;
    match file.try_lock() {
        Ok(()) => Ok(Some(SendLock { _file: file })),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("could not lock {}", path.display()))
        }
    }
}

/// The record read again from its folder: under the send lock, the history as it is now, not as
/// it was when the run began.
pub fn reload(record: &Record) -> Result<Record> {
    parse_record(&record.id, &record.dir).map_err(|d| anyhow::anyhow!("{d}"))
}
