//! The user's own settings: `settings.toml` in iep's settings folder
//! (`$XDG_CONFIG_HOME/iep/settings.toml`, else `~/.config/iep/settings.toml`).
//!
//! For now it holds one thing, the language (`lang = "fr"`), which a case's own `lang` and
//! `--lang` override. The email account has its own file (`smtp.toml`).

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Deserialize;

use crate::lang::Lang;

/// `settings.toml` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// The language questions and letters are in when neither `--lang` nor the case says:
    /// `en` or `fr`.
    pub lang: Option<String>,
}

impl Settings {
    /// Reads settings from text; `display` names the file in messages.
    pub fn parse(text: &str, display: &str) -> Result<Settings> {
        let s: Settings = toml::from_str(text)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("{display} is not valid"))?;
        if let Some(l) = &s.lang {
            Lang::parse(l).with_context(|| format!("{display}: `lang`"))?;
        }
        Ok(s)
    }

    /// Reads the file at `path`; no file is no settings.
    pub fn load(path: &Path) -> Result<Settings> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(e).with_context(|| format!("could not read {}", path.display())),
        }
    }

    /// The language the settings choose, if any.
    pub fn lang(&self) -> Option<Lang> {
        self.lang.as_deref().and_then(|l| Lang::parse(l).ok())
    }
}

/// Where the settings file is.
pub fn settings_path(env: &dyn Fn(&str) -> Option<String>) -> Result<PathBuf> {
    Ok(crate::dirs::config_dir(env)?.join("settings.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_is_read_and_a_bad_one_named() {
        let s = Settings::parse("lang = \"fr\"\n", "settings.toml").unwrap();
        assert_eq!(s.lang(), Some(Lang::Fr));
        let e = Settings::parse("lang = \"xx\"\n", "settings.toml").unwrap_err();
        assert!(
            format!("{e:#}").contains("\"xx\" is not a language"),
            "{e:#}"
        );
        assert!(Settings::parse("colour = 1\n", "s").is_err());
    }
}
