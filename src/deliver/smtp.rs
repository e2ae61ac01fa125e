//! Sending by SMTP with lettre (rustls: no OpenSSL needed), and saying plainly what went wrong.
//!
//! The bytes sent are the record's `letter.eml`, with the account's Reply-To header on top when
//! it has one (`--dry-run` prints exactly these bytes), so the record shows what was sent.
//! The password is asked for, read from `IEP_SMTP_PASSWORD`, or printed by the account's
//! `password_command`; it is passed to lettre and never written anywhere.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::response::Response;

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
///
/// The SMTP dialogue is driven step by step with lettre's [`SmtpConnection`] rather than
/// `SmtpTransport::send_raw`, because a failure after the whole message and its final "." were
/// written must be told from one before: the server may have accepted the letter, so that run
/// ends [`Failure::Unconfirmed`], never "failed" (which `--queued` would send again).
#[derive(Debug, Default, Clone, Copy)]
pub struct Lettre;

impl Mailer for Lettre {
    fn test(&self, smtp: &Smtp, password: &str) -> Result<(), SendError> {
        let mut conn = connect(smtp, password)?;
        let _ = conn.quit();
        Ok(())
    }

    fn send(
        &self,
        smtp: &Smtp,
        password: &str,
        envelope: &Envelope,
        bytes: &[u8],
    ) -> Result<String, SendError> {
        let mut conn = connect(smtp, password)?;
        let written = std::cell::Cell::new(false);
        let step = std::cell::Cell::new(Step::Address);
        let result = deliver(&mut conn, envelope, bytes, &written, &step);
        // QUIT, then close; its answer does not matter.
        conn.abort();
        match result {
            Ok(r) => Ok(format!(
                "{} {}",
                r.code(),
                r.message().collect::<Vec<_>>().join(" ")
            )),
            // A refusal after the final dot is a refusal: the server said so.
            Err(e) if written.get() && e.status().is_none() => Err(SendError {
                kind: Failure::Unconfirmed,
                message: unconfirmed(&e, smtp),
            }),
            Err(e) => Err(explain(&e, smtp, step.get())),
        }
    }
}

/// MAIL, RCPT, DATA and the message, as lettre's own `SmtpConnection::send` does them; `written`
/// becomes true once every byte of the message has been handed to the connection, just before
/// the final ".".
fn deliver(
    conn: &mut SmtpConnection,
    envelope: &Envelope,
    bytes: &[u8],
    written: &std::cell::Cell<bool>,
    step: &std::cell::Cell<Step>,
) -> Result<Response, lettre::transport::smtp::Error> {
    let mut options = Vec::new();
    if !bytes.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
        options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    if envelope
        .to()
        .iter()
        .chain(envelope.from())
        .any(|a| !AsRef::<str>::as_ref(a).is_ascii())
    {
        options.push(MailParameter::SmtpUtfEight);
    }
    conn.command(Mail::new(envelope.from().cloned(), options))?;
    for to in envelope.to() {
        conn.command(Rcpt::new(to.clone(), Vec::new()))?;
    }
    step.set(Step::Data);
    conn.command(Data)?;
    // lettre writes each item of the iterator as it is taken, then the final "."; the iterator is
    // asked for more once the last item is written.
    let mut parts = std::iter::once(bytes);
    conn.message_iter(std::iter::from_fn(|| {
        let next = parts.next();
        if next.is_none() {
            written.set(true);
        }
        next
    }))
}

/// The connection for the account: connected (TLS from the first byte, or STARTTLS), greeted and
/// signed in.
fn connect(smtp: &Smtp, password: &str) -> Result<SmtpConnection, SendError> {
    let (wrapper, starttls) = tls(smtp).map_err(|e| SendError::setup(format!("{e:#}")))?;
    let hello = ClientId::default();
    let timeout = Some(Duration::from_secs(smtp.timeout));
    let server = (smtp.host.as_str(), smtp.port);
    // A mail server greets at once. Without TLS from the first byte, iep waits a few seconds for
    // the greeting, then looks whether the port expects TLS (a 465-style port says nothing until
    // it gets a TLS hello): that is said at once, instead of after the whole timeout as a
    // network problem. Anything else gets the whole timeout, as before.
    let first_wait = match wrapper {
        None => smtp.timeout.min(GREETING_WAIT),
        Some(_) => smtp.timeout,
    };
    let attempt = |wait: u64| {
        SmtpConnection::connect(
            server,
            Some(Duration::from_secs(wait)),
            &hello,
            wrapper.as_ref(),
            None,
        )
    };
    let mut conn = match attempt(first_wait) {
        Ok(conn) => conn,
        Err(e) if wrapper.is_none() && timed_out(&e) => {
            if speaks_tls_first(smtp) {
                return Err(SendError::setup(format!(
                    "{}:{} did not greet iep as a mail server does: it expects TLS from the first byte, as port 465 usually does. Set security to tls: `iep config smtp --set security=tls`. Nothing was sent.",
                    smtp.host, smtp.port
                )));
            }
            if first_wait == smtp.timeout {
                return Err(explain(&e, smtp, Step::Connect));
            }
            attempt(smtp.timeout).map_err(|e| explain(&e, smtp, Step::Connect))?
        }
        Err(e) => return Err(explain(&e, smtp, Step::Connect)),
    };
    if let Err(e) = conn.set_timeout(timeout) {
        return Err(SendError {
            kind: Failure::Temporary,
            message: format!("could not set up the connection to {}: {e}", smtp.host),
        });
    }
    if let Some(params) = &starttls {
        conn.starttls(params, &hello)
            .map_err(|e| explain(&e, smtp, Step::Connect))?;
    }
    let mechanisms = match smtp.auth {
        Auth::Password => vec![Mechanism::Plain, Mechanism::Login],
        Auth::Xoauth2 => vec![Mechanism::Xoauth2],
        // A relay that needs no sign-in (allowed only over TLS or on this computer).
        Auth::None => return Ok(conn),
    };
    let credentials = Credentials::new(smtp.username.clone(), password.to_owned());
    if let Err(e) = conn.auth(&mechanisms, &credentials) {
        conn.abort();
        return Err(explain(&e, smtp, Step::Connect));
    }
    Ok(conn)
}

/// Seconds to wait for a server's greeting before looking whether it expects TLS first.
const GREETING_WAIT: u64 = 3;

/// Whether the server expects TLS from the first byte: sent a line of text where it expects a
/// TLS hello, such a server hangs up or answers with a TLS alert (a record of type 21), while a
/// mail server answers with text or keeps waiting.
fn speaks_tls_first(smtp: &Smtp) -> bool {
    use std::io::{Read as _, Write as _};
    use std::net::ToSocketAddrs as _;
    let wait = Duration::from_secs(GREETING_WAIT);
    let Some(addr) = (smtp.host.as_str(), smtp.port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
    else {
        return false;
    };
    let Ok(mut s) = std::net::TcpStream::connect_timeout(&addr, wait) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(wait));
    if s.write_all(b"EHLO iep\r\n").is_err() {
        return false;
    }
    let mut first = [0u8; 1];
    match s.read(&mut first) {
        Ok(0) => true,
        Ok(_) => first[0] == 0x15 || first[0] == 0x16,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    }
}

/// The TLS settings: (TLS from the first byte, STARTTLS), at most one of them.
fn tls(smtp: &Smtp) -> Result<(Option<TlsParameters>, Option<TlsParameters>)> {
    if smtp.security == Security::None {
        return Ok((None, None));
    }
    let mut params = TlsParameters::builder(smtp.host.clone());
    if let Some(ca) = &smtp.ca_file {
        params = params.add_root_certificate(ca_certificate(ca)?);
    }
    let params = params.build_rustls()?;
    Ok(match smtp.security {
        Security::Tls => (Some(params), None),
        _ => (None, Some(params)),
    })
}

/// Whether the server went quiet for the whole timeout: lettre's `is_timeout` knows only
/// `TimedOut`, and a socket read timeout on Unix is `WouldBlock`.
fn timed_out(e: &lettre::transport::smtp::Error) -> bool {
    e.is_timeout()
        || std::error::Error::source(e)
            .and_then(|s| s.downcast_ref::<std::io::Error>())
            .is_some_and(|io| {
                matches!(
                    io.kind(),
                    std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
                )
            })
}

/// The whole message reached the server, and then the connection failed or went quiet.
fn unconfirmed(e: &lettre::transport::smtp::Error, smtp: &Smtp) -> String {
    let what = if timed_out(e) {
        format!("did not answer within {} seconds", smtp.timeout)
    } else {
        "closed the connection without answering".to_owned()
    };
    format!(
        "the whole letter reached {}:{}, but the server {what} after it, so iep does not know whether it was accepted. It may have arrived.",
        smtp.host, smtp.port
    )
}

/// Where in the SMTP dialogue a failure came, for saying what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Connecting, TLS, greeting, signing in.
    Connect,
    /// MAIL FROM and RCPT TO: the addresses.
    Address,
    /// DATA and the message.
    Data,
}

/// What a lettre error means for a parent, and what to do, with its kind: a refused sign-in or
/// a certificate is the account's to fix ([`Failure::Setup`]), a 5xx about the letter is
/// [`Failure::Permanent`], anything else may go later ([`Failure::Temporary`]).
fn explain(e: &lettre::transport::smtp::Error, smtp: &Smtp, step: Step) -> SendError {
    let auth = e
        .status()
        .is_some_and(|c| ["530", "534", "535", "538"].contains(&c.to_string().as_str()));
    // A refused sign-in is the account's to fix, not the letter's: once it is fixed, `iep send
    // --queued` should send the letter as it is.
    let kind = if auth || e.is_tls() || rustls_error(e).is_some() {
        Failure::Setup
    } else if e.is_permanent() {
        Failure::Permanent
    } else {
        Failure::Temporary
    };
    SendError {
        kind,
        message: explanation(e, smtp, step),
    }
}

/// The server's own words: "550 5.1.1 no such user" (lettre's text says the code twice).
fn server_said(e: &lettre::transport::smtp::Error) -> String {
    let words = std::error::Error::source(e)
        .map(ToString::to_string)
        .unwrap_or_default();
    match e.status() {
        Some(code) => format!("{code} {words}").trim_end().to_owned(),
        None => e.to_string(),
    }
}

fn explanation(e: &lettre::transport::smtp::Error, smtp: &Smtp, step: Step) -> String {
    let at = format!("{}:{}", smtp.host, smtp.port);
    if let Some(tls) = rustls_error(e) {
        return tls_problem(tls, smtp);
    }
    if timed_out(e) {
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
    if text.contains("STARTTLS is not supported") {
        return format!(
            "{at} does not offer STARTTLS, so iep will not send your password to it. Check the port: 587 usually offers STARTTLS, and 465 expects security = tls."
        );
    }
    if text.contains("incomplete response") {
        return format!(
            "{at} closed the connection before answering, so nothing was sent. Try again later; if it keeps happening, check the server name, port and security setting."
        );
    }
    if e.is_tls() {
        return format!(
            "a secure connection to {at} could not be made ({}). Check the security setting: port 465 is usually tls, 587 starttls.",
            std::error::Error::source(e).map_or_else(|| text.clone(), ToString::to_string)
        );
    }
    let said = server_said(e);
    if let Some(code) = e.status() {
        let c = code.to_string();
        if ["530", "534", "535", "538"].contains(&c.as_str()) {
            return format!(
                "{at} did not accept your user name and password ({said}). Check them; Gmail and Outlook need an app password, not your usual one."
            );
        }
        if e.is_permanent() {
            // RFC 5321 §4.2.3 and the codes servers give in practice (RFC 3463 detail codes).
            return match (c.as_str(), step) {
                ("552", _) => format!(
                    "{at} refused the letter as too big ({said}). Make it smaller: leave out an attachment or attach a smaller copy (a PDF saved at lower quality), write the letter again, and send that one."
                ),
                ("554", _) => format!(
                    "{at} refused the letter ({said}). Servers give this for mail they take for spam or that breaks their rules: the server's words say which. Ask your email provider, or send it from your own mail program (open letter.eml)."
                ),
                (_, Step::Address) => format!(
                    "{at} refused an address the letter goes to ({said}). Check the address: the mailbox may not exist, or your account may not be allowed to send as {}.",
                    smtp.address
                ),
                ("550", _) => format!(
                    "{at} refused the letter ({said}). 550 after the letter was read means the server's rules refused it (its words say which); ask your email provider."
                ),
                _ => format!(
                    "{at} refused the letter ({said}). The server's words say why; change that before sending it again."
                ),
            };
        }
        if e.is_transient() {
            return format!("{at} asked to try again later ({said}).");
        }
    }
    // Connection problems: find the operating system's reason.
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            let text = io.to_string();
            return match io.kind() {
                std::io::ErrorKind::ConnectionRefused => format!(
                    "nothing answered at {at} (connection refused). Check the server name and port, or try again later."
                ),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => format!(
                    "{at} did not answer within {} seconds. Check your internet connection, then try again.",
                    smtp.timeout
                ),
                std::io::ErrorKind::ConnectionReset
                | std::io::ErrorKind::ConnectionAborted
                | std::io::ErrorKind::BrokenPipe
                | std::io::ErrorKind::UnexpectedEof => format!(
                    "the connection to {at} was lost, so nothing was sent. Try again later."
                ),
                _ if text.contains("lookup") || text.contains("resolve") => format!(
                    "the server name {} could not be found. Check its spelling and your internet connection.",
                    smtp.host
                ),
                _ => format!("could not talk to {at}: {text}."),
            };
        }
        source = s.source();
    }
    format!("could not send through {at}: {e}.")
}

/// The rustls error under a lettre error, when TLS failed: rustls puts it inside an I/O error,
/// whose `source()` skips it, so it is looked for with `get_ref`.
fn rustls_error(e: &lettre::transport::smtp::Error) -> Option<&rustls::Error> {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        if let Some(r) = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Some(r);
        }
        source = s.source();
    }
    None
}

/// A TLS failure in a sentence, and what to do.
fn tls_problem(e: &rustls::Error, smtp: &Smtp) -> String {
    use rustls::CertificateError as C;
    let at = format!("{}:{}", smtp.host, smtp.port);
    let own_certificate = "if the server uses its own certificate (a school's or a home server), get it from whoever runs the server and give it as ca_file in `iep config smtp`";
    let day = |t: &rustls::pki_types::UnixTime| {
        chrono::DateTime::from_timestamp(i64::try_from(t.as_secs()).unwrap_or(i64::MAX), 0)
            .map_or_else(
                || "an unknown day".to_owned(),
                |d| d.format("%Y-%m-%d").to_string(),
            )
    };
    #[allow(deprecated)]
    let what = match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer => format!(
                "the certificate of {at} is not signed by an authority this computer trusts. Check the server name; {own_certificate}."
            ),
            C::ExpiredContext { not_after, .. } => format!(
                "the certificate of {at} expired on {}. Whoever runs the server must renew it; until then iep cannot check that it is talking to the real server. If your computer's date is wrong, correct it.",
                day(not_after)
            ),
            C::Expired => format!(
                "the certificate of {at} has expired. Whoever runs the server must renew it. If your computer's date is wrong, correct it."
            ),
            C::NotValidYetContext { not_before, .. } => format!(
                "the certificate of {at} is not valid until {}. Check your computer's date and time.",
                day(not_before)
            ),
            C::NotValidYet => format!(
                "the certificate of {at} is not valid yet. Check your computer's date and time."
            ),
            C::NotValidForNameContext { presented, .. } => format!(
                "the certificate of {at} is for {}, not for {}. Use the server name your provider gives (its help pages list it), exactly as written there.",
                presented
                    .iter()
                    .map(|p| plain_name(p))
                    .collect::<Vec<_>>()
                    .join(", "),
                smtp.host
            ),
            C::NotValidForName => format!(
                "the certificate of {at} is for another server name. Use the server name your provider gives, exactly as written there."
            ),
            C::BadSignature
            | C::UnsupportedSignatureAlgorithm
            | C::UnsupportedSignatureAlgorithmContext { .. }
            | C::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => format!(
                "the certificate of {at} is signed in a way iep cannot check. Ask whoever runs the server for a current certificate, or use your provider's other server name."
            ),
            C::Revoked => format!(
                "the certificate of {at} has been withdrawn by its authority. Do not send through this server until whoever runs it fixes it."
            ),
            _ => format!(
                "the certificate of {at} could not be trusted. Check the server name; {own_certificate}."
            ),
        },
        rustls::Error::InvalidMessage(_) => format!(
            "{at} did not answer with TLS. This port probably expects STARTTLS: set security to starttls (usually port 587), or use the TLS port (usually 465)."
        ),
        _ => format!(
            "a secure connection to {at} could not be made. Check the security setting (port 465 is usually tls, 587 starttls); {own_certificate}."
        ),
    };
    format!("{what} Nothing was sent.")
}

/// `DnsName("mail.example.org")` or `IpAddress(192.0.2.1)`, as rustls lists a certificate's
/// names, as the name alone.
fn plain_name(presented: &str) -> String {
    let inner = presented
        .split_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or(presented);
    inner.trim_matches('"').to_owned()
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
    fn certificate_problems_are_sentences_without_rustls_names() {
        let smtp = account(None);
        let cases = [
            (
                rustls::CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext {
                    signature_algorithm_id: vec![1, 2],
                    public_key_algorithm_id: vec![3],
                },
                "signed in a way iep cannot check",
            ),
            (
                rustls::CertificateError::ExpiredContext {
                    time: rustls::pki_types::UnixTime::since_unix_epoch(
                        std::time::Duration::from_secs(1_795_488_791),
                    ),
                    not_after: rustls::pki_types::UnixTime::since_unix_epoch(
                        std::time::Duration::from_secs(1_700_000_000),
                    ),
                },
                "expired on 2023-11-14",
            ),
            (
                rustls::CertificateError::UnknownIssuer,
                "not signed by an authority this computer trusts",
            ),
        ];
        for (c, says) in cases {
            let text = tls_problem(&rustls::Error::InvalidCertificate(c), &smtp);
            assert!(text.contains(says), "{text}");
            assert!(
                !text.contains("Context") && !text.contains("UNIX"),
                "{text}"
            );
        }
        assert_eq!(
            plain_name("DnsName(\"mail.example.org\")"),
            "mail.example.org"
        );
        assert_eq!(plain_name("IpAddress(192.0.2.1)"), "192.0.2.1");
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
