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
