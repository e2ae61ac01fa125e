//! The catalog: letter and jurisdiction definitions, built in and from folders layered on top.
//!
//! The built-in `letters/` and `jurisdictions/` folders are embedded in the binary, so an installed
//! `iep` works from any folder. A folder given with `--templates` (and, later, an installed pack)
//! is a layer above them with the same layout; a file in a higher layer replaces the file with the
//! same path below it. Nothing here parses more than it is asked for: `iep write` reads one
//! letter, the shared questions and one jurisdiction, whatever the catalog holds.

mod layer;
pub mod letter;
pub mod question;
pub mod text;

use anyhow::{Context as _, Result, bail};

pub use layer::{Layer, SourceFile};
pub use letter::{Form, Letter};

use crate::calendar::HolidayList;
use crate::jurisdiction::{self, Jurisdiction};
use crate::lang::{Lang, fill};

pub use crate::names::is_identifier;

/// The case profile form, asked by `iep init` and `iep case edit`.
pub const CASE_FORM: &str = "case";
/// The observation form, asked by `iep observe`.
pub const OBSERVATION_FORM: &str = "observation";
/// The reply form, asked by `iep reply`.
pub const REPLY_FORM: &str = "reply";
/// The email account form, asked by `iep config smtp`.
pub const SMTP_FORM: &str = "smtp";

/// All definition layers, lowest (built in) first.
#[derive(Debug, Clone)]
pub struct Catalog {
    layers: Vec<Layer>,
    /// Installed packs by name. Their letters are reached as `pack/letter`, or by the plain id
    /// when no built-in letter has it; they never replace a built-in letter.
    packs: Vec<(String, Layer)>,
}

impl Catalog {
    /// The built-in letters and jurisdictions, with `dirs` layered on top in order.
    pub fn new(dirs: &[std::path::PathBuf]) -> Result<Self> {
        let mut layers = vec![Layer::Builtin];
        for dir in dirs {
            layers.push(Layer::folder(dir)?);
        }
        Ok(Catalog {
            layers,
            packs: Vec::new(),
        })
    }

    /// A catalog of exactly these layers, lowest first.
    pub fn with_layers(layers: Vec<Layer>) -> Result<Self> {
        Ok(Catalog {
            layers,
            packs: Vec::new(),
        })
    }

    /// Adds the installed packs, by name and folder (from `pack::installed`, which also
    /// finds a pack whose upgrade died half-way).
    pub fn with_packs(mut self, installed: Vec<(String, std::path::PathBuf)>) -> Result<Self> {
        let mut packs = Vec::new();
        for (name, path) in installed {
            packs.push((name, Layer::folder(&path)?));
        }
        self.packs = packs;
        Ok(self)
    }

    /// The folder of an installed pack.
    pub fn pack_dir(&self, pack: &str) -> Option<std::path::PathBuf> {
        self.packs.iter().find_map(|(n, l)| match l {
            Layer::Folder(dir) if n == pack => Some(dir.clone()),
            _ => None,
        })
    }

    /// The installed packs' names.
    pub fn pack_names(&self) -> Vec<String> {
        self.packs.iter().map(|(n, _)| n.clone()).collect()
    }

    /// Every installed pack's letters, as (pack, letter id).
    pub fn pack_letters(&self) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        for (name, layer) in &self.packs {
            for id in layer.letter_ids()? {
                out.push((name.clone(), id));
            }
        }
        Ok(out)
    }

    /// Where a letter comes from: `pack/letter` names a pack's letter; a plain id is the
    /// built-in (or `--templates`) letter, else the one installed pack that has it. Returns the
    /// catalog to read it from (the pack on top of iep's own), its plain id, and its pack.
    pub fn resolve(&self, wanted: &str) -> Result<(Catalog, String, Option<String>)> {
        let in_pack = |pack: &str, id: &str| -> Result<Option<(Catalog, String, Option<String>)>> {
            let Some((_, layer)) = self.packs.iter().find(|(n, _)| n == pack) else {
                return Ok(None);
            };
            if layer.read(&format!("letters/{id}/letter.toml"))?.is_none() {
                return Ok(None);
            }
            let mut layers = vec![Layer::Builtin, layer.clone()];
            layers.extend(self.layers.iter().skip(1).cloned());
            Ok(Some((
                Catalog {
                    layers,
                    packs: self.packs.clone(),
                },
                id.to_owned(),
                Some(pack.to_owned()),
            )))
        };
        if let Some((pack, id)) = wanted.split_once('/') {
            return match in_pack(pack, id)? {
                Some(found) => Ok(found),
                None => bail!(unknown(
                    "letter",
                    wanted,
                    &self.all_letter_names()?,
                    "iep letters"
                )),
            };
        }
        if self
            .find(&format!("letters/{wanted}/letter.toml"))?
            .is_some()
        {
            return Ok((self.clone(), wanted.to_owned(), None));
        }
        let holders: Vec<String> = self
            .pack_letters()?
            .into_iter()
            .filter(|(_, id)| id == wanted)
            .map(|(p, _)| p)
            .collect();
        match holders.as_slice() {
            [one] => Ok(in_pack(one, wanted)?.expect("listed")),
            [] => bail!(unknown(
                "letter",
                wanted,
                &self.all_letter_names()?,
                "iep letters"
            )),
            many => bail!(
                "several installed packs have a letter called \"{wanted}\": {}. Name one, for example `{}/{wanted}`.",
                many.iter()
                    .map(|p| format!("{p}/{wanted}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                many[0]
            ),
        }
    }

    fn all_letter_names(&self) -> Result<Vec<String>> {
        let mut names = self.letter_ids()?;
        names.extend(
            self.pack_letters()?
                .into_iter()
                .map(|(p, id)| format!("{p}/{id}")),
        );
        Ok(names)
    }

    /// The layers, lowest first.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// Finds `path` (relative, `letters/x/letter.toml`) in the highest layer that has it.
    pub fn find(&self, path: &str) -> Result<Option<SourceFile>> {
        for layer in self.layers.iter().rev() {
            if let Some(file) = layer.read(path)? {
                return Ok(Some(file));
            }
        }
        Ok(None)
    }

    /// Like [`Catalog::find`], with the index of the layer the file was found in.
    pub fn find_at(&self, path: &str) -> Result<Option<(usize, SourceFile)>> {
        for (i, layer) in self.layers.iter().enumerate().rev() {
            if let Some(file) = layer.read(path)? {
                return Ok(Some((i, file)));
            }
        }
        Ok(None)
    }

    /// Every letter id, sorted.
    pub fn letter_ids(&self) -> Result<Vec<String>> {
        self.ids(|l| l.letter_ids())
    }

    /// Every jurisdiction id, sorted.
    pub fn jurisdiction_ids(&self) -> Result<Vec<String>> {
        self.ids(|l| l.jurisdiction_ids())
    }

    fn ids(&self, f: impl Fn(&Layer) -> Result<Vec<String>>) -> Result<Vec<String>> {
        let mut ids = std::collections::BTreeSet::new();
        for layer in &self.layers {
            ids.extend(f(layer)?);
        }
        Ok(ids.into_iter().collect())
    }

    /// Loads one letter with the shared questions merged in. `pack/letter` reads a pack's.
    pub fn letter(&self, id: &str) -> Result<Letter> {
        self.letter_in(id, Lang::En)
    }

    /// Loads one letter in `lang`: the English definition with the words of
    /// `letter.<lang>.toml` and `common.<lang>.toml` put in ([`text`]). A letter with no such
    /// file has no version in that language, and the error says so and how to write it in
    /// English.
    pub fn letter_in(&self, id: &str, lang: Lang) -> Result<Letter> {
        if id.contains('/') {
            let (catalog, plain, _) = self.resolve(id)?;
            return catalog.letter_in(&plain, lang);
        }
        let path = format!("letters/{id}/letter.toml");
        let Some(file) = self.find(&path)? else {
            bail!(unknown("letter", id, &self.letter_ids()?, "iep letters"));
        };
        // The words belong to the letter.toml of their own layer or one below: a folder that
        // replaces a letter's letter.toml without its words has no version in that language.
        let words = match lang.suffix() {
            None => None,
            Some(_) => match self.find_at(&lang.file(&path))? {
                Some((at, w)) if at >= self.find_at(&path)?.map_or(0, |(i, _)| i) => Some(w),
                _ => bail!(fill(
                    lang.words().no_version,
                    &[
                        ("letter", id),
                        ("lang", lang.name()),
                        ("langs", &self.letter_langs(id)?.join(", ")),
                    ]
                )),
            },
        };
        self.build_letter(id, &file, words.as_ref(), lang)
    }

    /// The languages letter `id` is written in: English, and each with a `letter.<lang>.toml`.
    pub fn letter_langs(&self, id: &str) -> Result<Vec<&'static str>> {
        let mut out = Vec::new();
        for lang in Lang::ALL {
            let path = format!("letters/{id}/letter.toml");
            let base = self.find_at(&path)?.map_or(0, |(i, _)| i);
            if lang == Lang::En
                || self
                    .find_at(&lang.file(&path))?
                    .is_some_and(|(at, _)| at >= base)
            {
                out.push(lang.name());
            }
        }
        Ok(out)
    }

    /// The letter a French (or other) id names: `demande-pi` is `iep-request` in French, from
    /// the `alias` in its `letter.fr.toml`. `None` when no letter has that alias.
    pub fn alias(&self, wanted: &str) -> Result<Option<(String, Lang)>> {
        for id in self.letter_ids()? {
            for lang in Lang::ALL.into_iter().filter(|l| l.suffix().is_some()) {
                let path = lang.file(&format!("letters/{id}/letter.toml"));
                let Some(file) = self.find(&path)? else {
                    continue;
                };
                let words: text::LetterText = toml::from_str(&file.text)
                    .map_err(anyhow::Error::from)
                    .with_context(|| format!("{} is not valid", file.display))?;
                if words.alias.as_deref() == Some(wanted) {
                    return Ok(Some((id.clone(), lang)));
                }
            }
        }
        Ok(None)
    }

    /// A form: questions asked like a letter's but never rendered as one. `letters/<name>.toml`
    /// is the case profile ([`CASE_FORM`]), an observation or a reply.
    pub fn form(&self, name: &str) -> Result<Letter> {
        self.form_in(name, Lang::En)
    }

    /// A form in `lang`, with the words of `letters/<name>.<lang>.toml` where there is one; a
    /// form without one is asked in English.
    pub fn form_in(&self, name: &str, lang: Lang) -> Result<Letter> {
        let path = format!("letters/{name}.toml");
        let file = self
            .find(&path)?
            .with_context(|| format!("{path} is missing from every layer"))?;
        let words = match lang.suffix() {
            None => None,
            Some(_) => self.find(&lang.file(&path))?,
        };
        let lang = if words.is_some() { lang } else { Lang::En };
        self.build_letter(name, &file, words.as_ref(), lang)
    }

    fn build_letter(
        &self,
        id: &str,
        file: &SourceFile,
        words: Option<&SourceFile>,
        lang: Lang,
    ) -> Result<Letter> {
        let common = self
            .find("letters/common.toml")?
            .context("letters/common.toml is missing from every layer")?;
        let mut common_def: letter::CommonFile = toml::from_str(&common.text)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("{} is not valid", common.display))?;
        let mut def: letter::LetterFile =
            toml::from_str(&file.text)
                .map_err(anyhow::Error::from)
                .with_context(|| format!("{} is not valid", file.display))?;
        if let Some(words) = words {
            let common_path = lang.file("letters/common.toml");
            let common_words = self.find(&common_path)?.with_context(|| {
                format!(
                    "{common_path} is missing: the shared questions have no words in this language"
                )
            })?;
            let common_text: text::CommonText = toml::from_str(&common_words.text)
                .map_err(anyhow::Error::from)
                .with_context(|| format!("{} is not valid", common_words.display))?;
            text::apply(
                &mut common_def.questions,
                common_text.questions,
                &[],
                &common_words.display,
            )?;
            let letter_text: text::LetterText = toml::from_str(&words.text)
                .map_err(anyhow::Error::from)
                .with_context(|| format!("{} is not valid", words.display))?;
            let shared: Vec<String> = common_def.questions.iter().map(|q| q.key.clone()).collect();
            let placed_only: Vec<String> = def
                .questions
                .iter()
                .filter(|q| shared.contains(&q.key) && q.prompt.is_none())
                .map(|q| q.key.clone())
                .collect();
            text::apply(
                &mut def.questions,
                letter_text.questions,
                &placed_only,
                &words.display,
            )?;
            let need = |part: &str, have: Option<String>| -> Result<String> {
                have.with_context(|| format!("{} has no `{part}`", words.display))
            };
            def.title = need("title", letter_text.title)?;
            def.use_when = need("use-when", letter_text.use_when)?;
            if def.asked.is_some() {
                def.asked = Some(need("asked", letter_text.asked)?);
            } else if letter_text.asked.is_some() {
                bail!(
                    "{} has an `asked` that letter.toml does not have",
                    words.display
                );
            }
        }
        let mut letter = Letter::build(id, def, &common_def)
            .with_context(|| format!("{} is not valid", file.display))?;
        letter.set_lang(lang);
        Ok(letter)
    }

    /// Loads one jurisdiction.
    pub fn jurisdiction(&self, id: &str) -> Result<Jurisdiction> {
        self.jurisdiction_in(id, Lang::En)
    }

    /// Loads one jurisdiction in `lang`: `jurisdictions/<id>.<lang>.toml`, a whole jurisdiction
    /// file of its own (its terms, roles, laws and ladder in that language, each with its
    /// source), with the same id. A jurisdiction with no such file has no letters in that
    /// language, and the error says so.
    pub fn jurisdiction_in(&self, id: &str, lang: Lang) -> Result<Jurisdiction> {
        let path = format!("jurisdictions/{id}.toml");
        let Some(file) = self.find(&path)? else {
            bail!(unknown(
                "jurisdiction",
                id,
                &self.jurisdiction_ids()?,
                "iep jurisdictions"
            ));
        };
        if lang.suffix().is_none() {
            return jurisdiction::parse_file(id, &file.display, &file.text);
        }
        match self.find(&lang.file(&path))? {
            Some(words) => jurisdiction::parse_file(id, &words.display, &words.text),
            None => {
                let english = jurisdiction::parse_file(id, &file.display, &file.text)?;
                let mut langs = vec![Lang::En.name()];
                langs.extend(
                    Lang::ALL
                        .into_iter()
                        .filter(|l| {
                            *l != Lang::En && english.languages.contains(&l.code().to_owned())
                        })
                        .map(Lang::name),
                );
                bail!(fill(
                    lang.words().no_place_version,
                    &[
                        ("lang", lang.name()),
                        ("place", &english.name),
                        ("langs", &langs.join(", ")),
                    ]
                ))
            }
        }
    }

    /// Loads a jurisdiction's holidays (`jurisdictions/holidays/<id>.toml`); a jurisdiction with
    /// no such file (a pack's) has none, and counts skip weekends only.
    pub fn holidays(&self, id: &str) -> Result<HolidayList> {
        let path = format!("jurisdictions/holidays/{id}.toml");
        match self.find(&path)? {
            Some(file) => HolidayList::parse(id, &file.text)
                .with_context(|| format!("{} is not a valid holiday list", file.display)),
            None => Ok(HolidayList::none(id)),
        }
    }
}

/// "There is no letter `x`. Did you mean `y`? (See `iep letters`.)"
fn unknown(what: &str, id: &str, known: &[String], list_command: &str) -> String {
    let mut msg = format!("there is no {what} called \"{id}\".");
    if let Some(best) = crate::suggest::closest(id, known) {
        msg.push_str(&format!(" Did you mean \"{best}\"?"));
    }
    msg.push_str(&format!(" `{list_command}` lists them all."));
    msg
}
