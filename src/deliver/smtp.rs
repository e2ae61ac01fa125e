//! Sending by SMTP with lettre (rustls: no OpenSSL needed), and saying plainly what went wrong.
//!
//! The bytes sent are the record's `letter.eml`, with the account's Reply-To header on top when
//! it has one (`--dry-run` prints exactly these bytes), so the record shows what was sent.
//! The password is asked for, read from `IEP_SMTP_PASSWORD`, or printed by the account's
//! `password_command`; it is passed to lettre and never written anywhere.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use lettre::Transport as _;
use lettre::address::Envelope;
use lettre::transport::smtp::SmtpTransport;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};

use super::{Failure, Mailer, SendError};
use crate::config::{Auth, Security, Smtp};
use crate::prompt::{Prompt, Prompter};

/// Runs a password command (`sh -c COMMAND`, no input) and gives its output; passed in so tests
/// and other front ends decide how commands run.
pub type RunCommand = dyn Fn(&str) -> std::io::Result<std::process::Output>;

/// The real way to run a password command: `sh -c`, with no input.
pub fn run_with_sh(command: &str) -> std::io::Result<std::process::Output> {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::null())
        .output()
}

/// Gets the password or token: `IEP_SMTP_PASSWORD`, then `password_command` (run by `run`),
/// then a masked prompt.
/// With `auth = "none"`, an empty one: nothing is asked, read or run.
pub fn password(
    smtp: &Smtp,
    env_password: Option<String>,
    run: &(dyn Fn(&str) -> std::io::Result<std::process::Output> + '_),
    prompter: Option<&mut dyn Prompter>,
) -> Result<String> {
    if smtp.auth == Auth::None {
        return Ok(String::new());
    }
    if let Some(p) = env_password.filter(|p| !p.is_empty()) {
        return Ok(p);
    }
    if let Some(cmd) = &smtp.password_command {
        return run_password_command(cmd, run);
    }
    match prompter {
        Some(p) => p.password(&Prompt {
            text: format!("Password for {} at {}", smtp.username, smtp.host),
            help: Some("It is used for this connection only and never saved.".into()),
            ..Prompt::default()
        }),
        None => bail!(
            "no password for {}: set password_command (`iep config smtp`), or IEP_SMTP_PASSWORD, or run iep at a terminal to type it",
            smtp.host
        ),
    }
}

/// Runs the password command and gives the first line it printed, or says plainly why not.
/// The command's text is never repeated: a parent may have typed the password there.
fn run_password_command(
    cmd: &str,
    run: &(dyn Fn(&str) -> std::io::Result<std::process::Output> + '_),
) -> Result<String> {
    let out = run(cmd)
        .context("could not run the password command (password_command in `iep config smtp`)")?;
    if out.status.code() == Some(127) {
        bail!(
            "the password command was not found. password_command should be a command that prints the password (for example `pass show email`), not the password itself: change it with `iep config smtp`"
        );
    }
    if !out.status.success() {
        bail!(
            "the password command failed ({}). Try running it yourself, then fix it with `iep config smtp`",
            out.status
        );
    }
    let text = String::from_utf8(out.stdout)
        .context("the password command printed something that is not text")?;
    let first = text
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end()
        .to_owned();
    if first.is_empty() {
        bail!("the password command printed nothing");
    }
    Ok(first)
}

/// Checks, before `iep config smtp` saves them, the settings that only trying can check, as
/// sending would: the certificate file holds a certificate, and a new `password_command` runs
/// and prints something (a password typed there is not a command, and is refused unsaved).
/// `before` is the account as it was, so an unchanged command is not run again.
pub fn check_before_saving(
    smtp: &Smtp,
    before: Option<&Smtp>,
    run: &(dyn Fn(&str) -> std::io::Result<std::process::Output> + '_),
) -> Result<()> {
    if let Some(ca) = &smtp.ca_file {
        ca_certificate(ca)?;
    }
    if smtp.auth != Auth::None
        && let Some(cmd) = &smtp.password_command
        && before.and_then(|b| b.password_command.as_ref()) != Some(cmd)
    {
        run_password_command(cmd, run).context("password_command does not work")?;
    }
    Ok(())
}

/// The extra certificate to trust (`ca_file`), read and checked: a file with no certificate in
/// it (a key, an empty file, the wrong file) is refused instead of silently trusting nothing
/// more.
pub fn ca_certificate(path: &Path) -> Result<Certificate> {
    let pem = std::fs::read(path).with_context(|| {
        format!(
            "could not read the certificate file {} (ca_file in `iep config smtp`)",
            path.display()
        )
    })?;
    if !pem
        .windows(CERTIFICATE_LINE.len())
        .any(|w| w == CERTIFICATE_LINE)
    {
        bail!(
            "{} has no certificate in it: a certificate file (PEM) has a line -----BEGIN CERTIFICATE-----. Give the mail server's certificate as ca_file with `iep config smtp`, or leave ca_file empty",
            path.display()
        );
    }
    Certificate::from_pem(&pem).with_context(|| {
        format!(
            "{} is not a readable certificate (PEM). Give the mail server's certificate as ca_file with `iep config smtp`",
            path.display()
        )
    })
}

/// How every certificate in a PEM file starts (RFC 7468 §5.1).
const CERTIFICATE_LINE: &[u8] = b"-----BEGIN CERTIFICATE-----";

/// Sends with lettre over rustls: the [`Mailer`] iep uses for real.
#[derive(Debug, Default, Clone, Copy)]
pub struct Lettre;

impl Mailer for Lettre {
    fn test(&self, smtp: &Smtp, password: &str) -> Result<(), SendError> {
        let t =
            transport(smtp, password.to_owned()).map_err(|e| SendError::setup(format!("{e:#}")))?;
        match t.test_connection() {
            Ok(true) => Ok(()),
            Ok(false) => Err(SendError {
                kind: Failure::Temporary,
                message: format!(
                    "{}:{} answered, then stopped answering.",
                    smtp.host, smtp.port
                ),
            }),
            Err(e) => Err(explain(&e, smtp)),
        }
    }

    fn send(
        &self,
        smtp: &Smtp,
        password: &str,
        envelope: &Envelope,
        bytes: &[u8],
    ) -> Result<String, SendError> {
        let t =
            transport(smtp, password.to_owned()).map_err(|e| SendError::setup(format!("{e:#}")))?;
        match t.send_raw(envelope, bytes) {
            Ok(r) => Ok(format!(
                "{} {}",
                r.code(),
                r.message().collect::<Vec<_>>().join(" ")
            )),
            Err(e) => Err(explain(&e, smtp)),
        }
    }
}

/// The lettre transport for the account.
pub fn transport(smtp: &Smtp, password: String) -> Result<SmtpTransport> {
    let mut params = TlsParameters::builder(smtp.host.clone());
    if let Some(ca) = &smtp.ca_file {
        params = params.add_root_certificate(ca_certificate(ca)?);
    }
    let tls = match smtp.security {
        Security::None => Tls::None,
        Security::Tls => Tls::Wrapper(params.build_rustls()?),
        Security::StartTls => Tls::Required(params.build_rustls()?),
    };
    let builder = SmtpTransport::builder_dangerous(smtp.host.clone())
        .port(smtp.port)
        .tls(tls)
        .timeout(Some(Duration::from_secs(smtp.timeout)));
    let mechanisms = match smtp.auth {
        Auth::Password => vec![Mechanism::Plain, Mechanism::Login],
        Auth::Xoauth2 => vec![Mechanism::Xoauth2],
        // Without credentials lettre does not sign in at all.
        Auth::None => return Ok(builder.build()),
    };
    Ok(builder
        .credentials(Credentials::new(smtp.username.clone(), password))
        .authentication(mechanisms)
        .build())
}

/// What a lettre error means for a parent, and what to do; lettre's temporary/permanent
/// distinction kept.
fn explain(e: &lettre::transport::smtp::Error, smtp: &Smtp) -> SendError {
    let kind = if e.is_permanent() {
        Failure::Permanent
    } else {
        Failure::Temporary
    };
    SendError {
        kind,
        message: explanation(e, smtp),
    }
}

fn explanation(e: &lettre::transport::smtp::Error, smtp: &Smtp) -> String {
    let at = format!("{}:{}", smtp.host, smtp.port);
    let server_said = || {
        let mut s = e.to_string();
        if let Some(code) = e.status() {
            s = format!("{code}: {s}");
        }
        s
    };
    if e.is_timeout() {
        return format!(
            "{at} did not answer within {} seconds. Check your internet connection and the server name, then try again.",
            smtp.timeout
        );
    }
    let text = e.to_string();
    if text.contains("InvalidContentType") || text.contains("corrupt message") {
        return format!(
            "{at} did not answer with TLS. This port probably expects STARTTLS: set security to starttls (usually port 587), or use the TLS port (usually 465)."
        );
    }
    if text.contains("No compatible authentication mechanism") {
        return format!(
            "{at} does not offer a way to sign in that iep knows (PLAIN, LOGIN or XOAUTH2). Check the server name and the security setting: many servers offer sign-in only after STARTTLS."
        );
    }
    if e.is_tls() {
        return format!(
            "a secure connection to {at} could not be made ({e}). Check the security setting: port 465 is usually tls, 587 starttls."
        );
    }
    if let Some(code) = e.status() {
        let c = code.to_string();
        if ["530", "534", "535", "538"].contains(&c.as_str()) {
            return format!(
                "{at} did not accept your user name and password ({}). Check them; Gmail and Outlook need an app password, not your usual one.",
                server_said()
            );
        }
    }
    if e.is_transient() {
        return format!("{at} asked to try again later ({}).", server_said());
    }
    if e.is_permanent() {
        return format!(
            "{at} refused the letter ({}). Check the addresses it goes to; if they are right, the server's message says why.",
            server_said()
        );
    }
    // Connection problems: find the operating system's reason.
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            let text = io.to_string();
            if text.contains("certificate") || text.contains("handshake") || text.contains("TLS") {
                return format!(
                    "a secure connection to {at} could not be made ({text}). Check the server name and the security setting; if the server uses its own certificate, give it as ca_file in `iep config smtp`."
                );
            }
            return match io.kind() {
                std::io::ErrorKind::ConnectionRefused => format!(
                    "nothing answered at {at} (connection refused). Check the server name and port, or try again later."
                ),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => format!(
                    "{at} did not answer within {} seconds. Check your internet connection, then try again.",
                    smtp.timeout
                ),
                _ if io.to_string().contains("lookup") || io.to_string().contains("resolve") => {
                    format!(
                        "the server name {} could not be found. Check its spelling and your internet connection.",
                        smtp.host
                    )
                }
                _ => format!("could not talk to {at}: {io}."),
            };
        }
        source = s.source();
    }
    format!("could not send through {at}: {e}.")
}

#[cfg(test)]
mod password_tests {
    use std::os::unix::process::ExitStatusExt as _;
    use std::process::{ExitStatus, Output};

    use super::*;

    fn account(command: Option<&str>) -> Smtp {
        let mut smtp = Smtp::parse(
            "address = \"jo@example.org\"\nhost = \"smtp.example.org\"\n",
            "smtp.toml",
        )
        .unwrap();
        smtp.password_command = command.map(str::to_owned);
        smtp
    }

    fn output(code: i32, stdout: &str) -> Output {
        Output {
            status: ExitStatus::from_raw(code << 8),
            stdout: stdout.as_bytes().to_vec(),
            stderr: Vec::new(),
        }
    }

    #[test]
    fn the_password_command_runs_through_the_runner_it_is_given() {
        let seen = std::cell::RefCell::new(Vec::new());
        let run = |cmd: &str| {
            seen.borrow_mut().push(cmd.to_owned());
            Ok(output(0, "s3cret\nsecond line\n"))
        };
        let got = password(&account(Some("pass show mail")), None, &run, None).unwrap();
        assert_eq!(got, "s3cret");
        assert_eq!(*seen.borrow(), ["pass show mail"]);
        // The environment variable wins and nothing is run.
        let never = |_: &str| -> std::io::Result<Output> { panic!("not run") };
        let got = password(&account(Some("x")), Some("env".into()), &never, None).unwrap();
        assert_eq!(got, "env");
    }

    #[test]
    fn a_password_typed_where_the_command_goes_is_never_repeated() {
        let run = |_: &str| Ok(output(127, ""));
        let err = password(&account(Some("hunter2")), None, &run, None).unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("not the password itself"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn the_recording_mailer_keeps_what_it_was_given() {
        let mailer = crate::deliver::Recording::default();
        let smtp = account(None);
        let envelope = Envelope::new(
            Some("jo@example.org".parse().unwrap()),
            vec!["a@school.example.org".parse().unwrap()],
        )
        .unwrap();
        assert_eq!(
            mailer.send(&smtp, "pw", &envelope, b"bytes").unwrap(),
            "250 recorded"
        );
        let sent = mailer.sent.lock().unwrap();
        assert_eq!(sent[0].0, ["a@school.example.org"]);
        assert_eq!(sent[0].1, b"bytes");
        let refusing = crate::deliver::Recording {
            answer: Some(SendError {
                kind: Failure::Permanent,
                message: "550 no such user".into(),
            }),
            ..Default::default()
        };
        let err = refusing.send(&smtp, "pw", &envelope, b"x").unwrap_err();
        assert_eq!(err.kind, Failure::Permanent);
    }
}
