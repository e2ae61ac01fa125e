//! Where iep keeps the user's own files, by the XDG base directory rules: settings in the config
//! folder (`$XDG_CONFIG_HOME/iep`, else `~/.config/iep`), installed packs in the data folder
//! (`$XDG_DATA_HOME/iep`, else `~/.local/share/iep`), and drafts written outside a case in the
//! state folder (`$XDG_STATE_HOME/iep`, else `~/.local/state/iep`). The environment is passed
//! in, so tests never see the developer's own folders.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

/// Looks up one environment variable.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// iep's settings folder.
pub fn config_dir(env: Env<'_>) -> Result<PathBuf> {
    base(env, "XDG_CONFIG_HOME", ".config", "your settings")
}

/// iep's data folder (installed packs).
pub fn data_dir(env: Env<'_>) -> Result<PathBuf> {
    base(env, "XDG_DATA_HOME", ".local/share", "installed packs")
}

/// iep's state folder (drafts of letters written outside a case).
pub fn state_dir(env: Env<'_>) -> Result<PathBuf> {
    base(env, "XDG_STATE_HOME", ".local/state", "drafts")
}

/// `$VAR/iep` when `VAR` is an absolute path (the spec ignores relative ones), else
/// `$HOME/<fallback>/iep`.
fn base(env: Env<'_>, var: &str, fallback: &str, what: &str) -> Result<PathBuf> {
    if let Some(x) = env(var).filter(|x| Path::new(x).is_absolute()) {
        return Ok(PathBuf::from(x).join("iep"));
    }
    let home = env("HOME").with_context(|| {
        format!("HOME is not set, so iep cannot find the folder for {what}. Set HOME (or {var}).")
    })?;
    Ok(PathBuf::from(home).join(fallback).join("iep"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_folder_follows_its_xdg_variable_and_falls_back_to_home() {
        let env = |k: &str| match k {
            "HOME" => Some("/home/jo".to_owned()),
            "XDG_CONFIG_HOME" => Some("/home/jo/conf".to_owned()),
            "XDG_DATA_HOME" => Some("relative/is/ignored".to_owned()),
            _ => None,
        };
        assert_eq!(
            config_dir(&env).unwrap(),
            PathBuf::from("/home/jo/conf/iep")
        );
        assert_eq!(
            data_dir(&env).unwrap(),
            PathBuf::from("/home/jo/.local/share/iep")
        );
        assert_eq!(
            state_dir(&env).unwrap(),
            PathBuf::from("/home/jo/.local/state/iep")
        );
        let nothing = |_: &str| None;
        assert!(
            config_dir(&nothing)
                .unwrap_err()
                .to_string()
                .contains("HOME is not set")
        );
    }
}
