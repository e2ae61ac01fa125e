//! One layer of definitions: the built-in files embedded in the binary, or a folder on disk.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use include_dir::{Dir, include_dir};

static LETTERS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/letters");
static JURISDICTIONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/jurisdictions");

/// Where definitions come from.
#[derive(Debug, Clone)]
pub enum Layer {
    /// Embedded in the binary at build time.
    Builtin,
    /// A folder with `letters/` and/or `jurisdictions/` inside.
    Folder(PathBuf),
}

/// A definition file's text and where it came from.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path inside a layer: `letters/iep-request/body.txt.tera`.
    pub path: String,
    /// How to name it to a person: the full path on disk, or the path marked "built in".
    pub display: String,
    /// Contents.
    pub text: Cow<'static, str>,
}

impl Layer {
    /// A folder layer, checked to look like one.
    pub fn folder(dir: &Path) -> Result<Self> {
        if !dir.is_dir() {
            bail!("{} is not a folder", dir.display());
        }
        if !dir.join("letters").is_dir() && !dir.join("jurisdictions").is_dir() {
            bail!(
                "{} has neither a letters/ nor a jurisdictions/ folder; it should be laid out like iep's own (see letters/README.md)",
                dir.display()
            );
        }
        // Absolute, so every message names the file a person can open from anywhere.
        let dir = dir
            .canonicalize()
            .with_context(|| format!("could not open {}", dir.display()))?;
        Ok(Layer::Folder(dir))
    }

    /// Reads `path` from this layer, or `None` if the layer does not have it.
    pub fn read(&self, path: &str) -> Result<Option<SourceFile>> {
        match self {
            Layer::Builtin => Ok(builtin(path).map(|text| SourceFile {
                path: path.to_owned(),
                display: format!("{path} (built in)"),
                text: Cow::Borrowed(text),
            })),
            Layer::Folder(root) => {
                // A folder (a pack) can only reach its own files: no absolute paths, no `..`,
                // and no link that leads out of it.
                let relative = Path::new(path);
                if !relative
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)))
                {
                    bail!(
                        "\"{path}\" points outside {}: templates can only use files inside their own folder, or iep's own as iep/<path>",
                        root.display()
                    );
                }
                let full = root.join(relative);
                if let Ok(real) = full.canonicalize()
                    && !real.starts_with(root)
                {
                    bail!(
                        "{} is a link to a file outside {}; a pack may only use its own files",
                        full.display(),
                        root.display()
                    );
                }
                match std::fs::read_to_string(&full) {
                    Ok(text) => Ok(Some(SourceFile {
                        path: path.to_owned(),
                        display: full.display().to_string(),
                        text: Cow::Owned(text),
                    })),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(e).with_context(|| format!("could not read {}", full.display())),
                }
            }
        }
    }

    /// Ids of the letters in this layer (folders under `letters/` with a `letter.toml`).
    pub fn letter_ids(&self) -> Result<Vec<String>> {
        match self {
            Layer::Builtin => Ok(LETTERS
                .dirs()
                .filter(|d| d.get_file(d.path().join("letter.toml")).is_some())
                .filter_map(|d| d.path().file_name()?.to_str().map(str::to_owned))
                .collect()),
            Layer::Folder(root) => list(&root.join("letters"), |p| {
                p.join("letter.toml")
                    .is_file()
                    .then(|| file_name(p))
                    .flatten()
            }),
        }
    }

    /// Ids of the jurisdictions in this layer (`jurisdictions/<id>.toml`).
    pub fn jurisdiction_ids(&self) -> Result<Vec<String>> {
        match self {
            Layer::Builtin => Ok(JURISDICTIONS
                .files()
                .filter_map(|f| toml_stem(f.path()))
                .collect()),
            Layer::Folder(root) => list(&root.join("jurisdictions"), toml_stem),
        }
    }
}

fn split_root(path: &str) -> Option<(&'static Dir<'static>, &str)> {
    if let Some(rest) = path.strip_prefix("letters/") {
        Some((&LETTERS, rest))
    } else {
        path.strip_prefix("jurisdictions/")
            .map(|rest| (&JURISDICTIONS, rest))
    }
}

fn builtin(path: &str) -> Option<&'static str> {
    let (root, rest) = split_root(path)?;
    root.get_file(rest)?.contents_utf8()
}

fn file_name(p: &Path) -> Option<String> {
    p.file_name()?.to_str().map(str::to_owned)
}

/// A jurisdiction file's id: `quebec.toml` is `quebec`; a language's version of it
/// (`quebec.fr.toml`) is not a jurisdiction of its own.
fn toml_stem(p: &Path) -> Option<String> {
    if p.extension()? == "toml" {
        p.file_stem()?
            .to_str()
            .filter(|s| !s.contains('.'))
            .map(str::to_owned)
    } else {
        None
    }
}

fn list(dir: &Path, keep: impl Fn(&Path) -> Option<String>) -> Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("could not list {}", dir.display())),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("could not list {}", dir.display()))?;
        if let Some(id) = keep(&entry.path()) {
            out.push(id);
        }
    }
    out.sort();
    Ok(out)
}
