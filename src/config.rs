//! The user's own settings: the email account `iep send` uses, in the user's config folder
//! (`$XDG_CONFIG_HOME/iep/smtp.toml`, else `~/.config/iep/smtp.toml`), 0600. It never holds a
//! password.
//!
//! The file is read by serde into [`Smtp`] ([`Smtp::load`], [`Smtp::parse`]); the form in
//! `letters/smtp.toml` is only for asking (`iep config smtp`), so reading settings runs no
//! interview.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use serde::Deserialize;

use crate::answers::Value;

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
    /// No sign-in: a relay that takes mail from this computer, or from the family's network
    /// over TLS. Never asks for a password.
    None,
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

/// The account file, in iep's settings folder ([`crate::dirs::config_dir`]).
pub fn smtp_path(env: &dyn Fn(&str) -> Option<String>) -> Result<PathBuf> {
    Ok(crate::dirs::config_dir(env)?.join("smtp.toml"))
}

/// Whether a host is this computer, where an unencrypted connection reveals nothing.
pub fn is_local(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `smtp.toml` as written, by `iep config smtp` or by hand: every setting by name, numbers as
/// numbers or as text ("587", as the form saves them), empty text for "not set". Any other key
/// is refused with its line, a `password` first of all.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    address: Option<String>,
    host: Option<String>,
    security: Option<String>,
    port: Option<NumberOrText>,
    username: Option<String>,
    auth: Option<String>,
    password_command: Option<String>,
    reply_to: Option<String>,
    bcc_self: Option<bool>,
    timeout: Option<NumberOrText>,
    ca_file: Option<String>,
    /// The `[iep]` table every answers-format file may carry; nothing in it is used here.
    #[allow(dead_code)]
    iep: Option<toml::Table>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum NumberOrText {
    Number(i64),
    Text(String),
}

impl NumberOrText {
    fn text(&self) -> String {
        match self {
            NumberOrText::Number(n) => n.to_string(),
            NumberOrText::Text(t) => t.trim().to_owned(),
        }
    }
}

impl Smtp {
    /// Reads the account file; `None` when there is none. Errors name the file and the line.
    pub fn load(path: &Path) -> Result<Option<Smtp>> {
        if !path.is_file() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("could not read {}", path.display()))?;
        Smtp::parse(&text, &path.display().to_string()).map(Some)
    }

    /// Reads the account from `smtp.toml` text; `display` names the file in errors.
    pub fn parse(text: &str, display: &str) -> Result<Smtp> {
        if let Some(line) = text.lines().position(|l| {
            l.trim_start().starts_with("password") && {
                let key = l.trim_start().split(['=', ' ']).next().unwrap_or_default();
                key == "password"
            }
        }) {
            bail!(
                "{display}, line {}: iep never keeps a password in a file. Remove that line; iep asks for the password when sending, or reads IEP_SMTP_PASSWORD, or runs your password_command (a command such as `pass show email`, not the password itself).",
                line + 1
            );
        }
        let settings: Settings = toml::from_str(text).map_err(|e| {
            anyhow::anyhow!(
                "{display} is not valid: {}. Fix it, or run `iep config smtp` to set it up again",
                e.to_string().trim_end()
            )
        })?;
        Smtp::from_settings(settings)
            .with_context(|| format!("{display} is not valid; run `iep config smtp` to fix it"))
    }

    /// From the form's answers (`iep config smtp`), before they are saved.
    pub fn from_answers(answers: &[(String, Value)]) -> Result<Smtp> {
        let text = |key: &str| -> Option<String> {
            answers.iter().find_map(|(k, v)| match v {
                Value::Text(t) if k == key => Some(t.clone()),
                _ => None,
            })
        };
        Smtp::from_settings(Settings {
            address: text("address"),
            host: text("host"),
            security: text("security"),
            port: text("port").map(NumberOrText::Text),
            username: text("username"),
            auth: text("auth"),
            password_command: text("password_command"),
            reply_to: text("reply_to"),
            bcc_self: answers.iter().find_map(|(k, v)| match v {
                Value::Bool(b) if k == "bcc_self" => Some(*b),
                _ => None,
            }),
            timeout: text("timeout").map(NumberOrText::Text),
            ca_file: text("ca_file"),
            iep: None,
        })
    }

    /// The account from its settings, with the same defaults the form offers, checked.
    fn from_settings(s: Settings) -> Result<Smtp> {
        let set = |v: Option<String>| v.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        let address = set(s.address).context("`address` is missing")?;
        crate::people::check_email(&address).map_err(|e| anyhow::anyhow!("`address`: {e}"))?;
        let security = match set(s.security).as_deref() {
            None | Some("starttls") => Security::StartTls,
            Some("tls") => Security::Tls,
            Some("none") => Security::None,
            Some(other) => bail!("`security` is \"{other}\"; it should be starttls, tls or none"),
        };
        let port: u16 = match s.port.map(|p| p.text()).filter(|p| !p.is_empty()) {
            None => match security {
                Security::Tls => 465,
                Security::StartTls => 587,
                Security::None => 25,
            },
            Some(p) => p
                .parse()
                .ok()
                .filter(|p| *p > 0)
                .context("`port` should be a number such as 587 or 465")?,
        };
        let timeout = match s.timeout.map(|t| t.text()).filter(|t| !t.is_empty()) {
            None => 30,
            Some(t) => t
                .parse()
                .ok()
                .filter(|t| *t > 0)
                .context("`timeout` should be a number of seconds, such as 30")?,
        };
        let host = set(s.host).context("`host` is missing")?;
        let auth = match set(s.auth).as_deref() {
            None | Some("password") => Auth::Password,
            Some("xoauth2") => Auth::Xoauth2,
            Some("none") => Auth::None,
            Some(other) => bail!("`auth` is \"{other}\"; it should be password, xoauth2 or none"),
        };
        // Also the rule for `auth = "none"`: a server on this computer, or TLS. A relay that
        // takes mail without a sign-in from anywhere else must at least not be read on the way.
        if security == Security::None && !is_local(&host) {
            let what = if auth == Auth::None {
                "your letters"
            } else {
                "your letters and password"
            };
            bail!(
                "`security = \"none\"` would send {what} unprotected to {host}. It is only allowed for a server on this computer (localhost). Choose starttls or tls."
            );
        }
        let reply_to = set(s.reply_to);
        if let Some(r) = &reply_to {
            crate::people::check_email(r).map_err(|e| anyhow::anyhow!("`reply_to`: {e}"))?;
        }
        Ok(Smtp {
            username: set(s.username).unwrap_or_else(|| address.clone()),
            address,
            host,
            port,
            security,
            auth,
            password_command: set(s.password_command),
            reply_to,
            bcc_self: s.bcc_self.unwrap_or(true),
            timeout,
            ca_file: set(s.ca_file).map(PathBuf::from),
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
    fn the_settings_file_is_read_by_serde_with_the_forms_defaults() {
        let smtp = Smtp::parse(
            "address = \"jo@example.org\"\nhost = \"smtp.example.org\"\n",
            "smtp.toml",
        )
        .unwrap();
        assert_eq!(
            (
                smtp.port,
                smtp.security,
                smtp.username.as_str(),
                smtp.timeout
            ),
            (587, Security::StartTls, "jo@example.org", 30)
        );
        assert!(smtp.bcc_self);
        // Numbers as the form saves them (text) or as a person writes them.
        let text = "address = \"jo@example.org\"\nhost = \"h.example.org\"\nsecurity = \"tls\"\nport = \"2465\"\ntimeout = 5\nbcc_self = false\n";
        let smtp = Smtp::parse(text, "smtp.toml").unwrap();
        assert_eq!((smtp.port, smtp.timeout, smtp.bcc_self), (2465, 5, false));
        // An unknown key, a bad value and a password are refused, naming the file.
        let err =
            Smtp::parse("address = \"jo@example.org\"\nhots = \"x\"\n", "smtp.toml").unwrap_err();
        assert!(format!("{err:#}").contains("hots"), "{err:#}");
        assert!(format!("{err:#}").contains("line 2"), "{err:#}");
        let err = Smtp::parse("address = \"jo\"\nhost = \"h\"\n", "smtp.toml").unwrap_err();
        assert!(
            format!("{err:#}").contains("not an email address"),
            "{err:#}"
        );
        let err =
            Smtp::parse("address = \"jo@example.org\"\npassword = \"x\"\n", "s.toml").unwrap_err();
        assert!(err.to_string().contains("s.toml, line 2"), "{err}");
        assert!(!err.to_string().contains("\"x\""));
    }
}
