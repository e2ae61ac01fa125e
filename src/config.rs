//! The user's own settings: the email account `iep send` uses, in the user's config folder
//! (`$XDG_CONFIG_HOME/iep/smtp.toml`, else `~/.config/iep/smtp.toml`), 0600. It never holds a
//! password.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::answers::{AnswersFile, Value};
use crate::catalog::{Catalog, SMTP_FORM};
use crate::interview::Interview;
use crate::render::Renderer;

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (usually port 465).
    Tls,
    /// Plain, then upgraded with STARTTLS, which must succeed (usually port 587).
    StartTls,
    /// No encryption: only for a server on this computer.
    None,
}

/// How iep signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// PLAIN or LOGIN with a password.
    Password,
    /// XOAUTH2 with a token from `password_command`.
    Xoauth2,
}

/// The email account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Smtp {
    /// Sender address.
    pub address: String,
    /// Server host name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Connection security.
    pub security: Security,
    /// User name.
    pub username: String,
    /// Sign-in method.
    pub auth: Auth,
    /// A command that prints the password or token.
    pub password_command: Option<String>,
    /// Reply-To address.
    pub reply_to: Option<String>,
    /// Blind copy to the sender.
    pub bcc_self: bool,
    /// Seconds to wait to connect and for each read or write.
    pub timeout: u64,
    /// An extra certificate (PEM) to trust.
    pub ca_file: Option<PathBuf>,
}

/// The folder for iep's settings.
pub fn config_dir(env: &dyn Fn(&str) -> Option<String>) -> Result<PathBuf> {
    if let Some(x) = env("XDG_CONFIG_HOME").filter(|x| Path::new(x).is_absolute()) {
        return Ok(PathBuf::from(x).join("iep"));
    }
    let home = env("HOME").context("HOME is not set, so iep cannot find your config folder")?;
    Ok(PathBuf::from(home).join(".config").join("iep"))
}

/// The account file.
pub fn smtp_path(env: &dyn Fn(&str) -> Option<String>) -> Result<PathBuf> {
    Ok(config_dir(env)?.join("smtp.toml"))
}

/// Whether a host is this computer, where an unencrypted connection reveals nothing.
pub fn is_local(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Smtp {
    /// Reads the account file, checked against the form; `None` when there is none.
    pub fn load(catalog: &Catalog, path: &Path) -> Result<Option<Smtp>> {
        if !path.is_file() {
            return Ok(None);
        }
        let file = AnswersFile::load(path)?;
        if let Some((_, _, line)) = file.entries.iter().find(|(k, _, _)| k == "password") {
            bail!(
                "{}, line {line}: iep never keeps a password in a file. Remove that line; iep asks for the password when sending, or reads IEP_SMTP_PASSWORD, or runs your password_command (a command such as `pass show email`, not the password itself).",
                path.display()
            );
        }
        let form = catalog.form(SMTP_FORM)?;
        let generic = catalog.jurisdiction("generic")?;
        let renderer = Renderer::form(&form)?;
        let mut interview = Interview::new(&form, &generic, &renderer, chrono::NaiveDate::MIN);
        interview.preset(Some(&file), &[])?;
        interview.complete_without_asking().with_context(|| {
            format!(
                "{} is missing settings; run `iep config smtp` to complete it",
                path.display()
            )
        })?;
        let answers = interview.answers_in_order()?;
        drop(interview);
        Smtp::from_answers(&answers)
            .map(Some)
            .with_context(|| format!("{} is not valid", path.display()))
    }

    /// From the form's answers.
    pub fn from_answers(answers: &[(String, Value)]) -> Result<Smtp> {
        let text = |key: &str| -> Option<String> {
            answers.iter().find_map(|(k, v)| match v {
                Value::Text(t) if k == key && !t.trim().is_empty() => Some(t.trim().to_owned()),
                _ => None,
            })
        };
        let need = |key: &str| text(key).with_context(|| format!("`{key}` is missing"));
        let port: u16 = need("port")?
            .parse()
            .ok()
            .filter(|p| *p > 0)
            .context("`port` should be a number such as 587 or 465")?;
        let timeout = match text("timeout") {
            Some(t) => t
                .parse()
                .ok()
                .filter(|t| *t > 0)
                .context("`timeout` should be a number of seconds, such as 30")?,
            None => 30,
        };
        let security = match need("security")?.as_str() {
            "tls" => Security::Tls,
            "starttls" => Security::StartTls,
            _ => Security::None,
        };
        let host = need("host")?;
        if security == Security::None && !is_local(&host) {
            bail!(
                "`security = \"none\"` would send your letters and password unprotected to {host}. It is only allowed for a server on this computer (localhost). Choose starttls or tls."
            );
        }
        let bcc_self = answers
            .iter()
            .any(|(k, v)| k == "bcc_self" && *v == Value::Bool(true));
        Ok(Smtp {
            address: need("address")?,
            host,
            port,
            security,
            username: need("username")?,
            auth: match text("auth").as_deref() {
                Some("xoauth2") => Auth::Xoauth2,
                _ => Auth::Password,
            },
            password_command: text("password_command"),
            reply_to: text("reply_to"),
            bcc_self,
            timeout,
            ca_file: text("ca_file").map(PathBuf::from),
        })
    }

    /// Plain warnings about settings that usually do not work together.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        match (self.port, self.security) {
            (465, Security::StartTls) => w.push(
                "Port 465 usually expects TLS from the start, not STARTTLS. If sending fails, choose tls, or port 587.".to_owned(),
            ),
            (587, Security::Tls) => w.push(
                "Port 587 usually expects STARTTLS, not TLS from the start. If sending fails, choose starttls, or port 465.".to_owned(),
            ),
            _ => {}
        }
        let host = self.host.to_ascii_lowercase();
        if self.auth == Auth::Password
            && [
                "gmail.com",
                "googlemail.com",
                "outlook.com",
                "office365.com",
                "hotmail.com",
                "live.com",
            ]
            .iter()
            .any(|d| host.ends_with(d))
        {
            w.push(format!(
                "{} does not accept your usual password from programs like iep. Make an \"app password\" in your account's security settings (it needs two-step sign-in turned on) and use that, or sign in with OAuth2 (auth = \"xoauth2\") through a password_command that prints a token.",
                self.host
            ));
        }
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, &str)]) -> Vec<(String, Value)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::Text((*v).to_owned())))
            .collect()
    }

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![
            ("address", "jordan@example.org"),
            ("host", "smtp.gmail.com"),
            ("security", "tls"),
            ("port", "587"),
            ("username", "jordan@example.org"),
        ]
    }

    #[test]
    fn classic_mismatches_and_password_refusing_providers_are_explained() {
        let smtp = Smtp::from_answers(&answers(&base())).unwrap();
        let w = smtp.warnings().join("\n");
        assert!(w.contains("Port 587 usually expects STARTTLS"), "{w}");
        assert!(w.contains("app password"), "{w}");
        let mut b = base();
        b[2] = ("security", "starttls");
        b[3] = ("port", "465");
        let w = Smtp::from_answers(&answers(&b))
            .unwrap()
            .warnings()
            .join("\n");
        assert!(w.contains("Port 465 usually expects TLS"), "{w}");
    }

    #[test]
    fn no_encryption_only_on_this_computer() {
        let mut b = base();
        b[2] = ("security", "none");
        let err = Smtp::from_answers(&answers(&b)).unwrap_err().to_string();
        assert!(
            err.contains("only allowed for a server on this computer"),
            "{err}"
        );
        b[1] = ("host", "127.0.0.1");
        assert_eq!(
            Smtp::from_answers(&answers(&b)).unwrap().security,
            Security::None
        );
        b[1] = ("host", "127.mail.example.org");
        assert!(
            Smtp::from_answers(&answers(&b)).is_err(),
            "a name that starts with 127. is not this computer"
        );
        b[1] = ("host", "localhost");
        b[3] = ("port", "none");
        assert!(Smtp::from_answers(&answers(&b)).is_err());
    }

    #[test]
    fn the_config_folder_follows_xdg() {
        let env = |k: &str| match k {
            "HOME" => Some("/home/jo".to_owned()),
            "XDG_CONFIG_HOME" => Some("/home/jo/conf".to_owned()),
            _ => None,
        };
        assert_eq!(
            config_dir(&env).unwrap(),
            PathBuf::from("/home/jo/conf/iep")
        );
        let env = |k: &str| (k == "HOME").then(|| "/home/jo".to_owned());
        assert_eq!(
            config_dir(&env).unwrap(),
            PathBuf::from("/home/jo/.config/iep")
        );
    }
}
