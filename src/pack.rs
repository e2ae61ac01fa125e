//! Template packs: an advocacy group's letters (and jurisdiction changes) in a folder laid out
//! like iep's own, with a `pack.toml` saying who made it. A pack is data, never code: nothing in
//! it runs, its templates can only reach its own files and iep's built-in ones, and it is
//! checked before it is installed.

use std::path::{Path, PathBuf};

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

fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Pack {
    /// Reads `DIR/pack.toml`, checking what the schema alone cannot.
    pub fn open(dir: &Path) -> Result<Pack> {
        let path = dir.join("pack.toml");
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "{} has no pack.toml; a pack starts with one (see `iep pack new`)",
                dir.display()
            )
        })?;
        let file: PackFile = toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{e}"))
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
            std::fs::create_dir_all(parent)
                .with_context(|| format!("could not create {}", parent.display()))?;
        }
        std::fs::write(&path, text)
            .with_context(|| format!("could not write {}", path.display()))?;
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
    if let Some(x) = env("XDG_DATA_HOME").filter(|x| Path::new(x).is_absolute()) {
        return Ok(PathBuf::from(x).join("iep").join("packs"));
    }
    let home = env("HOME").context("HOME is not set, so iep cannot find where packs are kept")?;
    Ok(PathBuf::from(home).join(".local/share/iep/packs"))
}

/// Limits on what a pack may hold, so an archive cannot fill a disk.
pub const MAX_FILES: usize = 500;
/// The most a pack may hold in total.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// Copies the regular files of `from` into `to`, refusing links and anything too large.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    let mut files = 0usize;
    let mut bytes = 0u64;
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = from.join(&rel);
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("could not read {}", dir.display()))?
        {
            let entry = entry?;
            let name = entry.file_name();
            let rel = rel.join(&name);
            let kind = entry.file_type()?;
            if kind.is_symlink() {
                bail!(
                    "{} is a link; a pack may hold only ordinary files",
                    from.join(&rel).display()
                );
            }
            if kind.is_dir() {
                crate::case::private_dir(&to.join(&rel))?;
                stack.push(rel);
                continue;
            }
            files += 1;
            bytes += entry.metadata()?.len();
            if files > MAX_FILES || bytes > MAX_BYTES {
                bail!(
                    "the pack is too big: at most {MAX_FILES} files and {} MB",
                    MAX_BYTES / (1024 * 1024)
                );
            }
            std::fs::copy(from.join(&rel), to.join(&rel))
                .with_context(|| format!("could not copy {}", rel.display()))?;
        }
    }
    Ok(())
}

/// Unpacks a `.tar.gz` or `.zip` into `to`, refusing absolute paths, `..`, links and anything
/// too large.
fn unpack(archive: &Path, to: &Path) -> Result<()> {
    let name = archive.to_string_lossy().to_lowercase();
    let mut files = 0usize;
    let mut bytes = 0u64;
    let mut place = |path: &Path, size: u64| -> Result<PathBuf> {
        if !path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            bail!(
                "the archive holds \"{}\", which points outside the pack; it was not installed",
                path.display()
            );
        }
        files += 1;
        bytes += size;
        if files > MAX_FILES || bytes > MAX_BYTES {
            bail!(
                "the archive is too big: at most {MAX_FILES} files and {} MB",
                MAX_BYTES / (1024 * 1024)
            );
        }
        let dest = to.join(path);
        if let Some(parent) = dest.parent() {
            crate::case::private_dir(parent)?;
        }
        Ok(dest)
    };
    let file = std::fs::File::open(archive)
        .with_context(|| format!("could not open {}", archive.display()))?;
    if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
        for entry in tar.entries().context("not a .tar.gz archive")? {
            let mut entry = entry.context("the archive is damaged")?;
            let kind = entry.header().entry_type();
            let path = entry.path()?.into_owned();
            if kind.is_dir() {
                continue;
            }
            if !kind.is_file() {
                bail!(
                    "the archive holds \"{}\", which is a link or a special file; a pack may hold only ordinary files",
                    path.display()
                );
            }
            let dest = place(&path, entry.header().size()?)?;
            let mut out = std::fs::File::create(&dest)?;
            // The size in the header is checked above; copy no more than it says.
            std::io::copy(&mut (&mut entry).take(MAX_BYTES), &mut out)?;
        }
    } else if name.ends_with(".zip") {
        let mut zip = zip::ZipArchive::new(file).context("not a .zip archive")?;
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).context("the archive is damaged")?;
            if entry.is_dir() {
                continue;
            }
            if entry.is_symlink() {
                bail!(
                    "the archive holds \"{}\", which is a link; a pack may hold only ordinary files",
                    entry.name()
                );
            }
            let path = PathBuf::from(entry.name());
            let dest = place(&path, entry.size())?;
            let mut out = std::fs::File::create(&dest)?;
            std::io::copy(&mut (&mut entry).take(MAX_BYTES), &mut out)?;
        }
    } else {
        bail!(
            "iep installs a pack from a folder, a .tar.gz or a .zip; {} is none of these",
            archive.display()
        );
    }
    Ok(())
}

use std::io::Read as _;

/// Installs a pack from a folder or archive: unpacked and checked in a hidden folder beside the
/// installed packs, then moved into place in one rename. A pack with problems is refused with
/// them listed, and nothing is installed.
pub fn install(source: &Path, packs: &Path) -> Result<Pack> {
    crate::case::private_dir(packs)?;
    let staging = tempfile::Builder::new()
        .prefix(".install-")
        .tempdir_in(packs)
        .with_context(|| format!("could not create a folder in {}", packs.display()))?;
    if source.is_dir() {
        copy_tree(source, staging.path())?;
    } else {
        unpack(source, staging.path())?;
    }
    // An archive may hold the pack in one top folder.
    let mut root = staging.path().to_path_buf();
    if !root.join("pack.toml").is_file() {
        let inner: Vec<PathBuf> = std::fs::read_dir(&root)?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.join("pack.toml").is_file())
            .collect();
        if let [one] = inner.as_slice() {
            root = one.clone();
        }
    }
    let pack = Pack::open(&root)?;
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
    let dest = packs.join(&pack.file.name);
    let old = packs.join(format!(".old-{}", pack.file.name));
    let _ = std::fs::remove_dir_all(&old);
    if dest.exists() {
        std::fs::rename(&dest, &old)
            .with_context(|| format!("could not replace {}", dest.display()))?;
    }
    std::fs::rename(&root, &dest)
        .with_context(|| format!("could not install into {}", dest.display()))?;
    let _ = std::fs::remove_dir_all(&old);
    Pack::open(&dest)
}
