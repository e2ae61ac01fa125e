//! Template packs: an advocacy group's letters (and jurisdiction changes) in a folder laid out
//! like iep's own, with a `pack.toml` saying who made it. A pack is data, never code: nothing in
//! it runs, its templates can only reach its own files and iep's built-in ones, and it is
//! checked before it is installed.
//!
//! # A pack is untrusted input
//!
//! - Only ordinary files and folders: links, pipes, sockets and devices are refused, in a folder
//!   ([`scan`], and again while copying, on the opened file) as in an archive.
//! - Limits count what is really written, not what an archive's headers claim: at most
//!   [`MAX_FILES`] files, [`MAX_ENTRIES`] entries (archive records and folders made),
//!   [`MAX_BYTES`] in total, [`MAX_DEPTH`] folders deep; the decompressed stream and the
//!   archive file are capped too.
//! - Archive paths must stay inside the pack; `./` prefixes (`tar -C dir -czf x .`) are fine.
//! - Everything installed is private: folders 0700, files 0600, whatever the umask or the
//!   source's modes.
//! - Its templates are rendered with bounds on time and memory ([`crate::render`]).
//!
//! # Installing: a pack is installed, whole, old or new, whatever moment iep dies at
//!
//! Every change to the packs folder holds `packs/.lock` ([`File::lock`], released by the kernel
//! if the process dies), so installs and removals never interleave. Under the lock:
//!
//! 1. [`tidy`]: leftovers of runs that died are cleared: `.install-*` staging folders and
//!    `.trash-*`; an `.old-NAME` is put back as `NAME` if `NAME` is missing, else deleted. It
//!    says nothing unless something could not be cleared.
//! 2. The pack is copied or unpacked into a fresh `.install-*` folder, opened and checked; errors
//!    name the user's folder or archive, never the staging folder.
//! 3. Versions are compared (numbers, major then minor then patch): the same version is "already
//!    installed" and nothing changes; an older one does not replace a newer one. `--force` does
//!    both.
//! 4. The new pack goes into place: with no pack of that name, one `rename`. Replacing one, one
//!    `renameat2(RENAME_EXCHANGE)` swaps the two folders, so `NAME` is always a whole pack; the
//!    old one, now in the staging folder, is then deleted. Where the filesystem cannot exchange,
//!    `NAME` is renamed to `.old-NAME` and the new one to `NAME`; a reader that finds
//!    `.old-NAME` without `NAME` uses it ([`installed`]), and the next `tidy` puts it back.
//!
//! `pack remove` renames `NAME` to `.trash-*` first, so a removal cut short never leaves half a
//! pack.
//!
//! In debug builds, `IEP_FAILPOINT=<step>[,<step>…]` kills the process (SIGKILL) at a named step,
//! so the tests can check the above at each one: `pack-install:` `after-tidy`, `after-staging`,
//! `after-unpack`, `after-check`, then `after-rename` (a first install) or `after-exchange`, or,
//! with `pack-install:no-exchange` forcing the fallback, `after-first-rename` and
//! `after-second-rename`; then `after-cleanup`. And `pack-remove:after-rename`.

use std::fs::File;
use std::io::Read as _;
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use serde::Deserialize;

use crate::catalog::{Catalog, Layer};
use crate::lint::{self, Problem};

/// `pack.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PackFile {
    /// The pack's name: lower case, digits and `-`. Letters are reached as `name/letter`.
    pub name: String,
    /// Its version: `1.0.0`.
    pub version: String,
    /// Who made it.
    pub organisation: String,
    /// A phone number, email address or website where members get help.
    pub contact: String,
    /// One or two sentences on what it is for.
    pub description: String,
    /// The oldest iep that can use it: `0.1.0`.
    pub min_iep: String,
    /// Languages its letters are in (`en`, `fr`).
    #[serde(default)]
    pub languages: Vec<String>,
    /// A line added under every letter from the pack, naming the organisation and its help line.
    pub footer: Option<String>,
}

/// A pack folder, read.
#[derive(Debug, Clone)]
pub struct Pack {
    /// Its folder.
    pub dir: PathBuf,
    /// Its `pack.toml`.
    pub file: PackFile,
}

/// `major.minor.patch` as numbers, for comparing versions.
fn version(text: &str) -> Option<(u64, u64, u64)> {
    let mut parts = text.trim().split('.').map(|p| p.parse::<u64>().ok());
    let v = (
        parts.next()??,
        parts.next().unwrap_or(Some(0))?,
        parts.next().unwrap_or(Some(0))?,
    );
    parts.next().is_none().then_some(v)
}

/// Why `name` cannot name a pack, if it cannot: `iep/<path>` names iep's own files, and a pack
/// named like a built-in letter makes `<pack>/<letter>` read like one of iep's.
fn reserved(name: &str) -> Option<&'static str> {
    if name == "iep" {
        return Some("`iep/…` names iep's own files");
    }
    let builtin = Layer::Builtin.letter_ids().unwrap_or_default();
    builtin
        .iter()
        .any(|id| id == name)
        .then_some("iep has a letter with that name")
}

fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Pack {
    /// Reads `DIR/pack.toml`, checking what the schema alone cannot.
    pub fn open(dir: &Path) -> Result<Pack> {
        let path = dir.join("pack.toml");
        if !path.exists() {
            bail!(
                "{} has no pack.toml; a pack starts with one (see `iep pack new`)",
                dir.display()
            );
        }
        // Not a pipe (which would block), not a link, and not more than a pack may hold.
        let mut text = String::new();
        open_plain(&path)?
            .take(MAX_BYTES)
            .read_to_string(&mut text)
            .with_context(|| format!("could not read {}", path.display()))?;
        let file: PackFile = toml::from_str(&text)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("{} is not valid", path.display()))?;
        if !is_name(&file.name) {
            bail!(
                "{}: the name \"{}\" should use lower-case letters, digits and `-`, starting with a letter",
                path.display(),
                file.name
            );
        }
        for (what, v) in [("version", &file.version), ("min-iep", &file.min_iep)] {
            if version(v).is_none() {
                bail!(
                    "{}: `{what}` should be a version such as 1.0.0, not \"{v}\"",
                    path.display()
                );
            }
        }
        let ours = version(env!("CARGO_PKG_VERSION")).expect("our own version parses");
        if version(&file.min_iep).expect("checked") > ours {
            bail!(
                "the pack {} needs iep {} or newer, and this is iep {}. Update iep first (cargo install --path . in a newer copy).",
                file.name,
                file.min_iep,
                env!("CARGO_PKG_VERSION")
            );
        }
        Ok(Pack {
            dir: dir.to_path_buf(),
            file,
        })
    }

    /// The catalog a pack's letters are read from: iep's own, with the pack on top.
    pub fn catalog(&self) -> Result<Catalog> {
        Catalog::with_layers(vec![Layer::Builtin, Layer::folder(&self.dir)?])
    }

    /// Everything a member would otherwise hit later: every letter and jurisdiction the pack
    /// adds or replaces, checked against every jurisdiction.
    pub fn check(&self) -> Result<Vec<Problem>> {
        // (Checked here, not when a pack is opened, so a pack installed by an older iep can
        // still be listed and removed.)
        if let Some(why) = reserved(&self.file.name) {
            bail!(
                "{}: a pack cannot be called \"{}\": {why}. Pick another name.",
                self.dir.join("pack.toml").display(),
                self.file.name
            );
        }
        // Only ordinary files, within the limits, before anything is read: a pipe named like a
        // template would otherwise block the check for ever.
        scan(&self.dir)?;
        let catalog = self.catalog()?;
        let layer = Layer::folder(&self.dir)?;
        let letters = layer.letter_ids()?;
        let jurisdictions = layer.jurisdiction_ids()?;
        if letters.is_empty() && jurisdictions.is_empty() {
            bail!(
                "{} has no letters (letters/<id>/letter.toml) and no jurisdictions (jurisdictions/<id>.toml)",
                self.dir.display()
            );
        }
        let mut problems = lint::jurisdictions(&catalog, &jurisdictions);
        problems.extend(lint::letters(&catalog, &letters)?);
        problems.extend(lint::layout(&layer)?);
        // Name the pack's own files, so a member of the group can open them.
        for p in &mut problems {
            if !p.file.starts_with('/') {
                p.file = self.dir.join(&p.file).display().to_string();
            }
        }
        Ok(problems)
    }
}

/// Makes a new pack folder `dir` with a working example letter that reuses a built-in letter's
/// frame, a README, and a `pack.toml` to fill in.
pub fn scaffold(dir: &Path, name: &str) -> Result<()> {
    if !is_name(name) {
        bail!(
            "a pack's name uses lower-case letters, digits and `-`, starting with a letter (for example `parents-north`), not \"{name}\""
        );
    }
    if let Some(why) = reserved(name) {
        bail!("a pack cannot be called \"{name}\": {why}. Pick another name.");
    }
    if dir.exists() {
        bail!("{} already exists; pick a new folder name", dir.display());
    }
    let files: [(&str, String); 5] = [
        (
            "pack.toml",
            format!(
                r#"# The pack's description. `iep pack check .` checks the whole pack.
name = "{name}"
version = "0.1.0"
organisation = "Your organisation"
contact = "help line or email, for members"
description = "What these letters are for, in a sentence or two."
min-iep = "{version}"
languages = ["en"]
# Added under every letter from this pack:
footer = "Letter prepared with help from Your organisation (help line: 555-0100)."
"#,
                version = env!("CARGO_PKG_VERSION")
            ),
        ),
        (
            "README.md",
            format!(
                "# {name}\n\nLetters for families, by Your organisation. Install with `iep pack install <this folder>`; then `iep letters` lists them as `{name}/<letter>`.\n\nWrite letters as in iep's own `letters/README.md`; check everything with `iep pack check .` before sharing.\n"
            ),
        ),
        (
            "letters/transport-concern/letter.toml",
            r#"title = "Transport in the plan is not happening"
use-when = "The bus or taxi the plan arranges is late or missing: ask who is responsible and what will change."
to = "principal"
next = ["escalation"]
asked = "that the transport in the {{ j.plan.short }} be provided as written"

[[questions]]
key = "recipient_name"

[[questions]]
key = "recipient_email"

[[questions]]
key = "what_happened"
kind = "long-text"
prompt = "What happened with the transport? Give dates."
example = "The taxi did not come on November 3 and November 10."

[[questions]]
key = "cc"
"#
            .to_owned(),
        ),
        (
            "letters/transport-concern/subject.txt.tera",
            "{{ child_name }}: transport in the {{ j.plan.short }} is not happening\n".to_owned(),
        ),
        (
            "letters/transport-concern/body.txt.tera",
            r#"{#- Reuses iep's shared frame (sender, date, recipient, closing); only the body is ours. -#}
{% extends "iep/letters/_layout.txt.tera" -%}
{% block body -%}
I am writing because the transport set out in {{ child_name | split(pat=" ") | first }}'s {{ j.plan.short }} is not happening. {{ what_happened | sentence }}

Please tell me in writing:
1. Who is responsible for the transport?
2. What will change so that it comes every day?

Please reply by {{ reply_by }}.
{%- endblock body %}
"#
            .to_owned(),
        ),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            crate::atomic::private_dir(parent)?;
        }
        crate::atomic::write(&path, text.as_bytes())?;
    }
    Ok(())
}

/// The footer of an installed pack, from its `pack.toml`.
pub fn footer(catalog: &Catalog, pack: &str) -> Result<Option<String>> {
    let Some(dir) = catalog.pack_dir(pack) else {
        return Ok(None);
    };
    Ok(Pack::open(&dir)?.file.footer)
}

/// Where installed packs live: `$XDG_DATA_HOME/iep/packs`, else `~/.local/share/iep/packs`.
pub fn packs_dir(env: &dyn Fn(&str) -> Option<String>) -> Result<PathBuf> {
    Ok(crate::dirs::data_dir(env)?.join("packs"))
}

/// The most files a pack may hold.
pub const MAX_FILES: usize = 500;
/// The most entries of any kind (files and folders) a pack or archive may hold.
pub const MAX_ENTRIES: usize = 2_000;
/// The most a pack may hold in total, counted as it is written.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;
/// The most an archive may be, or unpack to with its headers (a pack's limit, and room for
/// [`MAX_ENTRIES`] headers).
const MAX_ARCHIVE: u64 = MAX_BYTES + 8 * 1024 * 1024;

/// The most folders deep a pack's file may be (`letters/<id>/body.txt.tera` is three).
pub const MAX_DEPTH: usize = 16;

fn too_deep(path: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "\"{}\" is more than {MAX_DEPTH} folders deep; a pack's files are at most a few folders down. It was not installed.",
        path.display()
    )
}

fn too_big() -> anyhow::Error {
    anyhow::anyhow!(
        "the pack is too big: at most {MAX_FILES} files, {MAX_ENTRIES} entries and {} MB; it was not installed",
        MAX_BYTES / (1024 * 1024)
    )
}

/// What a pack has used of the limits so far.
#[derive(Debug, Default)]
struct Budget {
    files: usize,
    entries: usize,
    bytes: u64,
}

impl Budget {
    fn entry(&mut self) -> Result<()> {
        self.entries += 1;
        if self.entries > MAX_ENTRIES {
            return Err(too_big());
        }
        Ok(())
    }

    fn file(&mut self, size: u64) -> Result<()> {
        self.entry()?;
        self.files += 1;
        self.bytes = self.bytes.saturating_add(size);
        if self.files > MAX_FILES || self.bytes > MAX_BYTES {
            return Err(too_big());
        }
        Ok(())
    }

    /// Writes `from` to the new file `dest` (0600), counting the bytes really written against
    /// the whole pack's limit: a header's size is never trusted.
    fn write(&mut self, from: &mut dyn std::io::Read, dest: &Path, shown: &Path) -> Result<()> {
        self.file(0)?;
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(dest)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => anyhow::anyhow!(
                    "the pack holds \"{}\" twice; it was not installed",
                    shown.display()
                ),
                _ => anyhow::Error::new(e).context(format!("could not write {}", dest.display())),
            })?;
        private(&out, 0o600, dest)?;
        let room = MAX_BYTES - self.bytes;
        let written = std::io::copy(&mut from.take(room + 1), &mut out)
            .with_context(|| format!("could not copy {}", shown.display()))?;
        self.bytes += written;
        if self.bytes > MAX_BYTES {
            return Err(too_big());
        }
        out.sync_all()
            .with_context(|| format!("could not write {}", dest.display()))?;
        Ok(())
    }
}

/// Sets `mode` on an open file or folder, whatever the umask made of it.
fn private(file: &File, mode: u32, path: &Path) -> Result<()> {
    file.set_permissions(std::fs::Permissions::from_mode(mode))
        .with_context(|| format!("could not make {} private", path.display()))
}

/// Creates the folders of `rel` under `root` as needed, each 0700, each counted as an entry.
fn private_dirs(root: &Path, rel: &Path, budget: &mut Budget) -> Result<()> {
    let mut dir = root.to_path_buf();
    for part in rel.components() {
        dir.push(part);
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => {
                budget.entry()?;
                std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
                    .with_context(|| format!("could not make {} private", dir.display()))?
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => {}
            Err(e) => {
                return Err(e).with_context(|| format!("could not create {}", dir.display()));
            }
        }
    }
    Ok(())
}

/// Refuses a link or special file (`what` is its path as the user knows it).
fn refuse_kind(kind: std::fs::FileType, what: &Path) -> Result<()> {
    use std::os::unix::fs::FileTypeExt as _;
    let name = if kind.is_symlink() {
        "a link"
    } else if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else if kind.is_file() || kind.is_dir() {
        return Ok(());
    } else {
        "a special file"
    };
    bail!(
        "{} is {name}; a pack may hold only ordinary files and folders",
        what.display()
    )
}

/// Opens a pack's file without following a link or waiting on a pipe, and refuses it unless it
/// is an ordinary file: what was checked is what is read.
fn open_plain(path: &Path) -> Result<File> {
    use rustix::fs::{Mode, OFlags};
    let fd = rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(std::io::Error::from)
    .with_context(|| format!("could not open {}", path.display()))?;
    let file = File::from(fd);
    let meta = file
        .metadata()
        .with_context(|| format!("could not read {}", path.display()))?;
    refuse_kind(meta.file_type(), path)?;
    Ok(file)
}

/// Walks a pack folder, refusing links and special files and anything over the limits.
pub fn scan(dir: &Path) -> Result<()> {
    walk(dir, &mut |_, entry, budget| match entry {
        Some(entry) => budget.file(entry.metadata().map(|m| m.len()).unwrap_or(0)),
        None => Ok(()),
    })
}

/// What [`walk`] calls for each entry.
type Visit<'a> = dyn FnMut(&Path, Option<&std::fs::DirEntry>, &mut Budget) -> Result<()> + 'a;

/// Visits everything under `from` after checking its kind: `visit` gets its path inside
/// `from`, the entry for a file (`None` for a folder), and the limits used so far.
fn walk(from: &Path, visit: &mut Visit<'_>) -> Result<()> {
    let mut budget = Budget::default();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = from.join(&rel);
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("could not read {}", dir.display()))?
        {
            let entry = entry.with_context(|| format!("could not read {}", dir.display()))?;
            let rel = rel.join(entry.file_name());
            if rel.components().count() > MAX_DEPTH {
                return Err(too_deep(&from.join(&rel)));
            }
            let kind = entry
                .file_type()
                .with_context(|| format!("could not read {}", from.join(&rel).display()))?;
            refuse_kind(kind, &from.join(&rel))?;
            if kind.is_dir() {
                budget.entry()?;
                visit(&rel, None, &mut budget)?;
                stack.push(rel);
            } else {
                visit(&rel, Some(&entry), &mut budget)?;
            }
        }
    }
    Ok(())
}

/// Copies the ordinary files of `from` into `to`, privately, within the limits.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    walk(from, &mut |rel, entry, budget| {
        if entry.is_none() {
            return private_dirs(to, rel, budget);
        }
        let source = from.join(rel);
        let mut file = open_plain(&source)?;
        budget.write(&mut file, &to.join(rel), &source)
    })
}

/// An archive entry's path inside the pack: `./` parts are dropped; absolute paths and `..`
/// are refused.
fn entry_path(path: &Path) -> Result<PathBuf> {
    if path.components().count() > MAX_DEPTH {
        return Err(too_deep(path));
    }
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => bail!(
                "the archive holds \"{}\", which points outside the pack; it was not installed",
                path.display()
            ),
        }
    }
    Ok(out)
}

/// Unpacks a `.tar.gz` or `.zip` into `to`, refusing paths outside it, links and special files,
/// and anything over the limits (counted as written).
fn unpack(archive: &Path, to: &Path) -> Result<()> {
    let name = archive.to_string_lossy().to_lowercase();
    let mut budget = Budget::default();
    let file = open_plain(archive)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_ARCHIVE {
        return Err(too_big());
    }
    // Makes the folders an entry needs (all of them for a folder's entry); `None` for the
    // archive's root itself (`./`).
    let place = |path: &Path, dir: bool, budget: &mut Budget| -> Result<Option<PathBuf>> {
        let rel = entry_path(path)?;
        if rel.as_os_str().is_empty() {
            return Ok(None);
        }
        let needed = if dir {
            Some(rel.as_path())
        } else {
            rel.parent()
        };
        if let Some(needed) = needed {
            private_dirs(to, needed, budget)?;
        }
        Ok(Some(rel))
    };
    if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        // The whole stream is capped, not only the files: the tar reader holds a long name or
        // a PAX header in memory, whatever size its header claims.
        let tripped = std::rc::Rc::new(std::cell::Cell::new(false));
        let stream = Capped {
            inner: flate2::read::GzDecoder::new(file),
            left: MAX_ARCHIVE,
            tripped: tripped.clone(),
        };
        let mut tar = tar::Archive::new(stream);
        let damaged = |e: std::io::Error| {
            if tripped.get() {
                too_big()
            } else {
                anyhow::Error::new(e).context("the archive is damaged")
            }
        };
        for entry in tar.entries().context("not a .tar.gz archive")? {
            budget.entry()?;
            let mut entry = entry.map_err(damaged)?;
            let kind = entry.header().entry_type();
            let path = entry.path().context("the archive is damaged")?.into_owned();
            if kind.is_dir() {
                place(&path, true, &mut budget)?;
                continue;
            }
            if !kind.is_file() {
                bail!(
                    "the archive holds \"{}\", which is a link or a special file; a pack may hold only ordinary files",
                    path.display()
                );
            }
            let Some(rel) = place(&path, false, &mut budget)? else {
                bail!("the archive holds a file with no name; it was not installed");
            };
            budget
                .write(&mut entry, &to.join(&rel), &archive.join(&rel))
                .map_err(|e| if tripped.get() { too_big() } else { e })?;
        }
    } else if name.ends_with(".zip") {
        let mut zip = zip::ZipArchive::new(file).context("not a .zip archive")?;
        for i in 0..zip.len() {
            budget.entry()?;
            let mut entry = zip.by_index(i).context("the archive is damaged")?;
            let path = PathBuf::from(entry.name());
            if entry.is_dir() {
                place(&path, true, &mut budget)?;
                continue;
            }
            if entry.is_symlink() || !entry.is_file() {
                bail!(
                    "the archive holds \"{}\", which is a link or a special file; a pack may hold only ordinary files",
                    entry.name()
                );
            }
            let Some(rel) = place(&path, false, &mut budget)? else {
                bail!("the archive holds a file with no name; it was not installed");
            };
            budget.write(&mut entry, &to.join(&rel), &archive.join(&rel))?;
        }
    } else {
        bail!(
            "iep installs a pack from a folder, a .tar.gz or a .zip; {} is none of these",
            archive.display()
        );
    }
    Ok(())
}

/// A reader that fails once it has given `left` bytes and more remain.
struct Capped<R> {
    inner: R,
    left: u64,
    tripped: std::rc::Rc<std::cell::Cell<bool>>,
}

impl<R: std::io::Read> std::io::Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            self.tripped.set(true);
            return Err(std::io::Error::other("the archive is too big"));
        }
        let most = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..most])?;
        self.left -= n as u64;
        Ok(n)
    }
}

use crate::atomic::failpoint;

/// Whether a debug-only fail point is set (to force the fallback path in tests).
fn failpoint_set(step: &str) -> bool {
    cfg!(debug_assertions)
        && std::env::var("IEP_FAILPOINT").is_ok_and(|f| f.split(',').any(|f| f == step))
}

/// Held while the packs folder changes; released when dropped or when the process dies.
#[derive(Debug)]
pub struct PacksLock {
    _file: File,
}

/// Takes `packs/.lock`, waiting for another install or removal to finish.
pub fn lock(packs: &Path) -> Result<PacksLock> {
    crate::atomic::private_dir(packs)?;
    std::fs::set_permissions(packs, std::fs::Permissions::from_mode(0o700))
        .with_context(|| format!("could not make {} private", packs.display()))?;
    let path = packs.join(".lock");
    let file = crate::atomic::lock_file(&path, "the packs lock")?;
    file.lock()
        .with_context(|| format!("could not lock {}", path.display()))?;
    Ok(PacksLock { _file: file })
}

const OLD: &str = ".old-";

/// The installed packs in `packs`, by name: each folder with a `pack.toml`, and an `.old-NAME`
/// left by an upgrade that died between its two renames when `NAME` itself is missing.
pub fn installed(packs: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(packs) else {
        return Vec::new();
    };
    let mut found = std::collections::BTreeMap::new();
    let mut old = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.path().join("pack.toml").is_file() {
            continue;
        }
        if let Some(name) = name.strip_prefix(OLD).filter(|n| is_name(n)) {
            old.push((name.to_owned(), entry.path()));
        } else if !name.starts_with('.') {
            found.insert(name, entry.path());
        }
    }
    for (name, path) in old {
        found.entry(name).or_insert(path);
    }
    found.into_iter().collect()
}

/// Clears what runs that died left in the packs folder (the lock must be held): staging and
/// trash folders are deleted, and an `.old-NAME` is put back if `NAME` is missing, else deleted.
/// Returns a sentence for each thing that could not be cleared.
pub fn tidy(packs: &Path, _lock: &PacksLock) -> Vec<String> {
    let mut problems = Vec::new();
    let Ok(entries) = std::fs::read_dir(packs) else {
        return problems;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let result = if let Some(pack) = name.strip_prefix(OLD) {
            let dest = packs.join(pack);
            if dest.exists() || !path.join("pack.toml").is_file() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::rename(&path, &dest)
            }
        } else if name.starts_with(".install-") || name.starts_with(".trash-") {
            std::fs::remove_dir_all(&path)
        } else {
            continue;
        };
        if let Err(e) = result {
            problems.push(format!(
                "could not clear {} (left by an earlier run that stopped): {e}",
                path.display()
            ));
        }
    }
    problems
}

/// What an install did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No pack of that name was installed.
    New,
    /// A pack with an older version was replaced.
    Upgraded {
        /// The version replaced.
        from: String,
    },
    /// The same version was installed again (`--force`).
    Reinstalled,
    /// A newer version was replaced by this older one (`--force`).
    Downgraded {
        /// The version replaced.
        from: String,
    },
    /// The same version is installed; nothing changed.
    AlreadyInstalled,
}

/// A pack installed, and what it replaced.
#[derive(Debug)]
pub struct Installed {
    /// The pack, in its installed folder.
    pub pack: Pack,
    /// What happened.
    pub outcome: Outcome,
    /// Leftovers of earlier runs that could not be cleared.
    pub warnings: Vec<String>,
}

/// An older pack would replace a newer one.
#[derive(Debug, thiserror::Error)]
#[error(
    "{name} {installed} is installed, which is newer than {offered}; nothing was changed. To go back to {offered}, run the install again with --force."
)]
pub struct Older {
    /// The pack's name.
    pub name: String,
    /// The version installed.
    pub installed: String,
    /// The version offered.
    pub offered: String,
}

/// Rewrites every message in `err` so it names `shown` instead of the staging folder `hidden`.
fn renamed(err: anyhow::Error, hidden: &[PathBuf], shown: &str) -> anyhow::Error {
    let fix = |text: String| {
        hidden
            .iter()
            .fold(text, |t, h| t.replace(&h.display().to_string(), shown))
    };
    let mut messages: Vec<String> = err.chain().map(|c| fix(c.to_string())).collect();
    let mut out = anyhow::anyhow!(messages.pop().unwrap_or_default());
    while let Some(m) = messages.pop() {
        out = out.context(m);
    }
    out
}

/// Installs a pack from a folder or archive (see the module's documentation for the steps).
/// A pack with problems is refused with them listed, and nothing changes.
pub fn install(source: &Path, packs: &Path, force: bool) -> Result<Installed> {
    let lock = lock(packs)?;
    let mut warnings = tidy(packs, &lock);
    failpoint("pack-install:after-tidy");
    let staging = tempfile::Builder::new()
        .prefix(".install-")
        .tempdir_in(packs)
        .with_context(|| format!("could not create a folder in {}", packs.display()))?;
    std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o700))
        .with_context(|| format!("could not make {} private", staging.path().display()))?;
    failpoint("pack-install:after-staging");
    let mut hidden = vec![staging.path().to_path_buf()];
    if let Ok(real) = staging.path().canonicalize() {
        hidden.insert(0, real);
    }
    let (root, pack, outcome) = stage(source, staging.path(), packs, force)
        .map_err(|e| renamed(e, &hidden, &source.display().to_string()))?;
    let dest = packs.join(&pack.file.name);
    if outcome == Outcome::AlreadyInstalled {
        return Ok(Installed {
            pack: Pack::open(&dest)?,
            outcome,
            warnings,
        });
    }
    failpoint("pack-install:after-check");
    if dest.exists() {
        replace(&root, &dest, packs, &pack.file.name)?;
    } else {
        std::fs::rename(&root, &dest)
            .with_context(|| format!("could not install into {}", dest.display()))?;
        sync_dir(packs);
        failpoint("pack-install:after-rename");
    }
    // The staging folder now holds the old pack, or was itself renamed into place.
    let leftover = staging.path().to_path_buf();
    if let Err(e) = staging.close()
        && e.kind() != std::io::ErrorKind::NotFound
    {
        warnings.push(format!(
            "could not clear {} (the pack replaced): {e}",
            leftover.display()
        ));
    }
    failpoint("pack-install:after-cleanup");
    Ok(Installed {
        pack: Pack::open(&dest)?,
        outcome,
        warnings,
    })
}

/// The pack's folder in the staging folder: its root, or its one top folder.
fn pack_root(staging: &Path) -> Result<PathBuf> {
    let root = staging.to_path_buf();
    if root.join("pack.toml").is_file() {
        return Ok(root);
    }
    let inner: Vec<PathBuf> = std::fs::read_dir(&root)
        .with_context(|| format!("could not read {}", root.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("pack.toml").is_file())
        .collect();
    Ok(match inner.as_slice() {
        [one] => one.clone(),
        _ => root,
    })
}

/// Copies or unpacks `source` into `staging`, opens it, compares versions and checks it.
/// Checks are skipped when the same version is installed and `force` is off.
fn stage(
    source: &Path,
    staging: &Path,
    packs: &Path,
    force: bool,
) -> Result<(PathBuf, Pack, Outcome)> {
    if source.is_dir() {
        copy_tree(source, staging)?;
    } else {
        unpack(source, staging)?;
    }
    failpoint("pack-install:after-unpack");
    let root = pack_root(staging)?;
    let pack = Pack::open(&root)?;
    let current = installed(packs)
        .into_iter()
        .find(|(n, _)| *n == pack.file.name)
        .and_then(|(_, dir)| Pack::open(&dir).ok());
    let outcome = match current {
        None => Outcome::New,
        Some(old) => {
            let (was, now) = (version(&old.file.version), version(&pack.file.version));
            match (was.cmp(&now), force) {
                (std::cmp::Ordering::Equal, false) => {
                    return Ok((root, pack, Outcome::AlreadyInstalled));
                }
                (std::cmp::Ordering::Equal, true) => Outcome::Reinstalled,
                (std::cmp::Ordering::Less, _) => Outcome::Upgraded {
                    from: old.file.version,
                },
                (std::cmp::Ordering::Greater, true) => Outcome::Downgraded {
                    from: old.file.version,
                },
                (std::cmp::Ordering::Greater, false) => {
                    return Err(Older {
                        name: pack.file.name,
                        installed: old.file.version,
                        offered: pack.file.version,
                    }
                    .into());
                }
            }
        }
    };
    let problems = pack.check()?;
    if !problems.is_empty() {
        let list: Vec<String> = problems
            .iter()
            .map(|p| format!("  {}: {}", p.file, p.message.replace('\n', "\n    ")))
            .collect();
        bail!(
            "the pack {} has {} problem{}, so it was not installed:\n{}",
            pack.file.name,
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            list.join("\n")
        );
    }
    Ok((root, pack, outcome))
}

/// Puts the pack at `new` in place of the installed one at `dest`, so that `dest` (or, for a
/// moment on a filesystem without an atomic exchange, `.old-NAME`) always holds a whole pack.
fn replace(new: &Path, dest: &Path, packs: &Path, name: &str) -> Result<()> {
    if !failpoint_set("pack-install:no-exchange") {
        match exchange(new, dest) {
            Ok(()) => {
                sync_dir(packs);
                failpoint("pack-install:after-exchange");
                return Ok(());
            }
            Err(e) if !exchange_unsupported(&e) => {
                return Err(e).with_context(|| format!("could not replace {}", dest.display()));
            }
            Err(_) => {}
        }
    }
    let old = packs.join(format!("{OLD}{name}"));
    // Under the lock, after `tidy`: any `.old-NAME` is a leftover of a failed delete.
    if old.exists() {
        std::fs::remove_dir_all(&old)
            .with_context(|| format!("could not clear {}", old.display()))?;
    }
    std::fs::rename(dest, &old).with_context(|| format!("could not replace {}", dest.display()))?;
    failpoint("pack-install:after-first-rename");
    if let Err(e) = std::fs::rename(new, dest) {
        let _ = std::fs::rename(&old, dest);
        return Err(e).with_context(|| format!("could not install into {}", dest.display()));
    }
    sync_dir(packs);
    failpoint("pack-install:after-second-rename");
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// Swaps two folders in one step.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    rustix::fs::renameat_with(
        rustix::fs::CWD,
        a,
        rustix::fs::CWD,
        b,
        rustix::fs::RenameFlags::EXCHANGE,
    )
    .map_err(std::io::Error::from)
}

/// Swaps two folders in one step.
#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Whether an exchange failed only because the system or filesystem cannot do one.
fn exchange_unsupported(e: &std::io::Error) -> bool {
    use rustix::io::Errno;
    e.kind() == std::io::ErrorKind::Unsupported
        || e.raw_os_error().is_some_and(|code| {
            [Errno::INVAL, Errno::NOSYS, Errno::OPNOTSUPP, Errno::XDEV]
                .iter()
                .any(|errno| errno.raw_os_error() == code)
        })
}

/// Makes renames in `dir` durable; best effort.
fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Removes an installed pack: renamed out of sight first, then deleted, so a removal cut short
/// never leaves half a pack installed. Returns leftovers that could not be cleared.
pub fn remove(packs: &Path, name: &str) -> Result<Vec<String>> {
    let lock = lock(packs)?;
    let mut warnings = tidy(packs, &lock);
    let dest = packs.join(name);
    if !is_name(name) || !dest.join("pack.toml").is_file() {
        bail!("no pack called \"{name}\" is installed; `iep pack list` shows them");
    }
    let trash = tempfile::Builder::new()
        .prefix(".trash-")
        .tempdir_in(packs)
        .with_context(|| format!("could not create a folder in {}", packs.display()))?;
    std::fs::rename(&dest, trash.path().join(name))
        .with_context(|| format!("could not remove {}", dest.display()))?;
    sync_dir(packs);
    failpoint("pack-remove:after-rename");
    let leftover = trash.path().to_path_buf();
    if let Err(e) = trash.close() {
        warnings.push(format!("could not clear {}: {e}", leftover.display()));
    }
    Ok(warnings)
}
