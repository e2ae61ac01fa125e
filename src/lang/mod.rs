//! The language a parent reads and writes in: English or French.
//!
//! A language is data, never a global: the command line's `--lang`, the case's `lang`, the
//! user's settings (`settings.toml`) and the locale variables are weighed once ([`choose`]), and
//! the result is passed on: to the catalog (which reads `letter.fr.toml`, `common.fr.toml` and
//! `jurisdictions/<id>.fr.toml` over the English files), to the prompter (its fixed words), and
//! to the commands (their messages). A page in the browser passes its own choice the same way.
//!
//! The program's own words are one table per language ([`Words`], in `en.rs` and `fr.rs`): a
//! Rust struct rather than a localisation crate or a TOML catalogue, so that the compiler
//! refuses a language that lacks a key, with no file to parse at start-up; a test checks that
//! each French text takes the same `{placeholders}` as its English one.

mod en;
mod fr;
pub mod help;
mod words;

use serde::{Deserialize, Serialize};

pub use words::{PageWords, Words, fill};

/// A language iep speaks.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (the built-in letters' first language).
    #[default]
    En,
    /// French (Quebec).
    Fr,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// `en`, `fr`: the code in files, flags and file names (`body.fr.txt.tera`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language's name in itself: "English", "français".
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "français",
        }
    }

    /// The part a file name carries for this language (`letter.fr.toml`); none for English,
    /// whose files are the plain ones.
    pub fn suffix(self) -> Option<&'static str> {
        match self {
            Lang::En => None,
            Lang::Fr => Some("fr"),
        }
    }

    /// `path` with this language's part before its extensions: `letters/x/body.txt.tera`
    /// becomes `letters/x/body.fr.txt.tera`; unchanged for English.
    pub fn file(self, path: &str) -> String {
        let Some(suffix) = self.suffix() else {
            return path.to_owned();
        };
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let (stem, ext) = name.split_once('.').unwrap_or((name, ""));
        let joined = if ext.is_empty() {
            format!("{stem}.{suffix}")
        } else {
            format!("{stem}.{suffix}.{ext}")
        };
        if dir.is_empty() {
            joined
        } else {
            format!("{dir}/{joined}")
        }
    }

    /// The program's words in this language.
    pub fn words(self) -> &'static Words {
        match self {
            Lang::En => &en::WORDS,
            Lang::Fr => &fr::WORDS,
        }
    }

    /// Reads a language as a person writes it: `fr`, `FR`, `fr-CA`, `fr_CA`, `français`,
    /// `french`, `en`, `english`, `anglais`. An unknown one is refused with the list.
    pub fn parse(text: &str) -> Result<Lang, crate::refused::Refused> {
        let t = text.trim().to_lowercase();
        let base = t.split(['-', '_', '.']).next().unwrap_or("");
        match (base, t.as_str()) {
            ("fr", _) | (_, "français" | "francais" | "french") => Ok(Lang::Fr),
            ("en", _) | (_, "english" | "anglais") => Ok(Lang::En),
            _ => Err(format!(
                "\"{}\" is not a language iep knows. The languages are: {} / « {} » n'est pas une langue connue d'iep. Les langues sont : {}",
                text.trim(),
                Self::list(),
                text.trim(),
                Self::list()
            )
            .into()),
        }
    }

    /// "en (English), fr (français)".
    pub fn list() -> String {
        Lang::ALL
            .iter()
            .map(|l| format!("{} ({})", l.code(), l.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The language a POSIX locale names (`fr_CA.UTF-8`, `fr_FR@euro`, `en_NZ`), or `None`
    /// for one iep does not speak or that names no language (`C`, `POSIX`, empty).
    pub fn from_locale(value: &str) -> Option<Lang> {
        let language = value.split(['_', '.', '@', '-']).next()?.to_lowercase();
        match language.as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Where the language in use came from, for `iep letters` and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chosen {
    /// `--lang`, or a French letter id such as `demande-pi`.
    Flag,
    /// The case profile's `lang`.
    Case,
    /// `lang` in the user's `settings.toml`.
    Settings,
    /// A locale variable: `LC_ALL`, `LC_MESSAGES` or `LANG`.
    Locale(&'static str),
    /// Nothing chose: English.
    Default,
}

/// The locale variables, in the order POSIX gives them weight.
pub const LOCALE_VARS: [&str; 3] = ["LC_ALL", "LC_MESSAGES", "LANG"];

/// The language to use: the flag, then the case, then the user's settings, then the locale
/// (`LC_ALL`, `LC_MESSAGES`, `LANG`: the first that is set and not empty decides, as POSIX has
/// it, so `LC_ALL=C` means English even when `LANG=fr_CA`), then English. `var` looks up the
/// environment ([`crate::cmd::Env`]'s), so tests choose what it holds.
pub fn choose(
    flag: Option<Lang>,
    case: Option<Lang>,
    settings: Option<Lang>,
    var: &dyn Fn(&str) -> Option<String>,
) -> (Lang, Chosen) {
    if let Some(l) = flag {
        return (l, Chosen::Flag);
    }
    if let Some(l) = case {
        return (l, Chosen::Case);
    }
    if let Some(l) = settings {
        return (l, Chosen::Settings);
    }
    for name in LOCALE_VARS {
        if let Some(value) = var(name).filter(|v| !v.is_empty()) {
            return match Lang::from_locale(&value) {
                Some(l) => (l, Chosen::Locale(name)),
                None => (Lang::En, Chosen::Default),
            };
        }
    }
    (Lang::En, Chosen::Default)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn the_flag_wins_then_the_case_then_settings_then_the_locale_then_english() {
        let fr_env = env(&[("LANG", "fr_CA.UTF-8")]);
        let en_env = env(&[("LANG", "en_CA.UTF-8")]);
        let none = env(&[]);
        assert_eq!(
            choose(Some(Lang::En), Some(Lang::Fr), Some(Lang::Fr), &fr_env),
            (Lang::En, Chosen::Flag)
        );
        assert_eq!(
            choose(None, Some(Lang::Fr), Some(Lang::En), &en_env),
            (Lang::Fr, Chosen::Case)
        );
        assert_eq!(
            choose(None, None, Some(Lang::Fr), &en_env),
            (Lang::Fr, Chosen::Settings)
        );
        assert_eq!(
            choose(None, None, None, &fr_env),
            (Lang::Fr, Chosen::Locale("LANG"))
        );
        assert_eq!(choose(None, None, None, &none), (Lang::En, Chosen::Default));
    }

    #[test]
    fn the_locale_variables_weigh_as_posix_says() {
        let e = env(&[("LC_ALL", "C"), ("LANG", "fr_CA.UTF-8")]);
        assert_eq!(choose(None, None, None, &e).0, Lang::En);
        let e = env(&[
            ("LC_ALL", ""),
            ("LC_MESSAGES", "fr_FR@euro"),
            ("LANG", "en_CA"),
        ]);
        assert_eq!(
            choose(None, None, None, &e),
            (Lang::Fr, Chosen::Locale("LC_MESSAGES"))
        );
        for (locale, want) in [
            ("fr_CA.UTF-8", Some(Lang::Fr)),
            ("fr_FR", Some(Lang::Fr)),
            ("fr", Some(Lang::Fr)),
            ("fr_BE.ISO-8859-1", Some(Lang::Fr)),
            ("en_NZ.UTF-8", Some(Lang::En)),
            ("C.UTF-8", None),
            ("POSIX", None),
            ("de_DE", None),
        ] {
            assert_eq!(Lang::from_locale(locale), want, "{locale}");
        }
    }

    #[test]
    fn a_language_is_read_as_people_write_it_and_an_unknown_one_lists_them() {
        for t in ["fr", "FR", "fr-CA", "fr_CA", "français", "French"] {
            assert_eq!(Lang::parse(t), Ok(Lang::Fr), "{t}");
        }
        assert_eq!(Lang::parse("en"), Ok(Lang::En));
        let e = Lang::parse("xx").unwrap_err();
        assert!(e.contains("en (English), fr (français)"), "{e}");
    }

    #[test]
    fn file_names_take_the_language_before_their_extensions() {
        assert_eq!(
            Lang::Fr.file("letters/x/body.txt.tera"),
            "letters/x/body.fr.txt.tera"
        );
        assert_eq!(
            Lang::Fr.file("jurisdictions/quebec.toml"),
            "jurisdictions/quebec.fr.toml"
        );
        assert_eq!(Lang::En.file("letters/common.toml"), "letters/common.toml");
    }
}
