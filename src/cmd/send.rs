//! `iep send RECORD`, `iep send --queued` and `iep outbox`.
//!
//! Save first, send second: the record and its `letter.eml` exist before any connection. The
//! record says "sent" only after the server accepted the message, with the time and the
//! server's reply; a failure is written to the history with a plain reason and leaves the letter
//! in the outbox.

use anyhow::{Context as _, Result, bail};
use lettre::Address;
use lettre::address::Envelope;

use super::{Ctx, Exit, warn_damaged};
use crate::case::Case;
use crate::case::record::{self, Event, Record, Status};
use crate::cli::SendArgs;
use crate::config::{self, Smtp};
use crate::deliver::eml::{self, LARGE_ATTACHMENTS};
use crate::deliver::smtp;
use crate::prompt::Prompt;

/// How one letter's send ended.
enum Outcome {
    Sent,
    Failed,
    Skipped,
}

/// Runs `iep send`: [`Exit::NotDone`] when any letter was not sent because sending failed.
pub fn execute(args: &SendArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    Ok(if send(args, io)? {
        Exit::Done
    } else {
        Exit::NotDone
    })
}

fn send(args: &SendArgs, io: &mut Ctx<'_>) -> Result<bool> {
    let env = io.env;
    let case = io.need_case("send")?.clone();
    let (records, damaged) = record::load_all(&case)?;
    warn_damaged(io.err, &damaged)?;
    let chosen: Vec<&Record> = match &args.record {
        Some(wanted) => vec![record::find(&records, &damaged, wanted)?],
        None => records.iter().filter(|r| queued(r)).collect(),
    };
    if chosen.is_empty() {
        writeln!(
            io.err,
            "The outbox is empty: nothing is waiting to be sent."
        )?;
        return Ok(true);
    }
    let mut all_sent = true;
    let mut account: Option<(Smtp, Option<String>)> = None;
    for r in chosen {
        match send_one(args, io, env, &case, r, &mut account) {
            Ok(Outcome::Sent | Outcome::Skipped) => {}
            Ok(Outcome::Failed) => all_sent = false,
            // With --queued, one letter that cannot go does not hold up the others.
            Err(e) if args.queued => {
                all_sent = false;
                writeln!(io.err, "iep: {}: {e:#}", r.id)?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(all_sent)
}

fn send_one(
    args: &SendArgs,
    io: &mut Ctx<'_>,
    env: &super::Env,
    case: &Case,
    r: &Record,
    account: &mut Option<(Smtp, Option<String>)>,
) -> Result<Outcome> {
    let eml_path = r.dir.join(record::EML_FILE);
    if !eml_path.is_file() {
        bail!(
            "{} has no email version (letter.eml): it had no recipient email address or no sender address when it was written. Print letter.txt, or add the address and write the letter again.",
            r.id
        );
    }
    // A letter in the outbox is being retried; otherwise a letter sent once needs --again.
    if r.file.history.iter().any(|e| e.status == Status::Sent) && !args.again && !queued(r) {
        bail!(
            "{} was already sent. To send it a second time, add --again.",
            r.id
        );
    }
    let mut bytes = std::fs::read(&eml_path)
        .with_context(|| format!("could not read {}", eml_path.display()))?;
    bytes = eml::for_sending(&bytes).to_vec();
    if account.is_none() {
        let path = config::smtp_path(&env.var)?;
        let smtp = Smtp::load(&path)?.with_context(|| {
            "no email account is set up: run `iep config smtp` first (or open letter.eml in your own mail program)".to_owned()
        })?;
        *account = Some((smtp, None));
    }
    let (smtp, password) = account.as_mut().expect("just set");
    // The account's Reply-To goes on top of the recorded message, in the dry run too; the
    // history says so when it is sent.
    if let Some(reply_to) = &smtp.reply_to {
        let address: Address = reply_to
            .parse()
            .with_context(|| format!("the reply-to address {reply_to} is not valid"))?;
        let mut with = format!("Reply-To: <{address}>\r\n").into_bytes();
        with.extend_from_slice(&bytes);
        bytes = with;
    }
    if bytes.len() as u64 > LARGE_ATTACHMENTS {
        writeln!(
            io.err,
            "Note: this email is {} MB; many mail servers refuse messages this large.",
            bytes.len() / (1024 * 1024)
        )?;
    }
    if args.dry_run {
        io.out.write_all(&bytes)?;
        writeln!(io.err, "Nothing was sent (--dry-run).")?;
        return Ok(Outcome::Skipped);
    }
    let recipients = recipients(r, smtp)?;
    let from = from_address(&bytes);
    writeln!(
        io.err,
        "\n{}\nFrom:    {}\nTo:      {}\nSubject: {}\n",
        r.id,
        from.as_deref().unwrap_or("(no address)"),
        recipients
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        r.file.subject.as_deref().unwrap_or_default()
    )?;
    if from
        .as_deref()
        .is_some_and(|f| !f.eq_ignore_ascii_case(&smtp.address))
    {
        writeln!(
            io.err,
            "Note: the letter is from {}, but the account sends as {}; some servers refuse that.",
            from.as_deref().unwrap_or_default(),
            smtp.address
        )?;
    }
    if !args.yes {
        let Some(p) = super::ask(&mut io.prompter) else {
            bail!(
                "iep sends only after you say yes. Run it at a terminal, or add --yes. Nothing was sent."
            );
        };
        if !p.confirm(
            &Prompt {
                text: format!("Send this letter to {} now?", r.to_line()),
                help: Some(format!(
                    "The whole letter is in {}.",
                    r.dir.join(record::LETTER_FILE).display()
                )),
                ..Prompt::default()
            },
            false,
        )? {
            writeln!(io.err, "Not sent.")?;
            return Ok(Outcome::Skipped);
        }
    }
    if password.is_none() {
        match smtp::password(
            smtp,
            (env.var)("IEP_SMTP_PASSWORD"),
            &env.run,
            super::ask(&mut io.prompter),
        ) {
            Ok(p) => *password = Some(p),
            Err(e) => return failed(io, case, r, smtp, &format!("{e:#}")),
        }
    }
    let from: Address = eml::address(&smtp.address)
        .with_context(|| format!("the account address {} is not valid", smtp.address))?;
    let mut to = recipients;
    if smtp.bcc_self {
        to.push(from.clone());
    }
    let envelope = Envelope::new(Some(from), to).context("the letter has no recipients")?;
    let secret = password.clone().unwrap_or_default();
    match env.mailer.send(smtp, &secret, &envelope, &bytes) {
        Ok(reply) => {
            // Said first: whatever happens to the record, the parent must know it went.
            writeln!(io.err, "Sent: {} accepted the letter ({reply}).", smtp.host)?;
            let mut event = Event::new(io.now, Status::Sent);
            let reply_to = smtp
                .reply_to
                .as_ref()
                .map(|r| format!(" (with Reply-To: {r})"))
                .unwrap_or_default();
            event.note = Some(format!("accepted by {}: {reply}{reply_to}", smtp.host));
            if let Err(e) = record::append(case, r, &event) {
                bail!(
                    "the letter WAS sent, but the record could not be updated ({e:#}). Do not send it again; note the time yourself: {}",
                    io.now.format("%Y-%m-%d %H:%M")
                );
            }
            writeln!(io.err, "The record says so: iep log {}", r.id)?;
            Ok(Outcome::Sent)
        }
        Err(why) => failed(io, case, r, smtp, &why.message),
    }
}

/// Writes a failed attempt to the record and says what to do; the letter stays in the outbox.
fn failed(io: &mut Ctx<'_>, case: &Case, r: &Record, smtp: &Smtp, why: &str) -> Result<Outcome> {
    let mut event = Event::new(io.now, Status::Failed);
    event.note = Some(why.to_owned());
    record::append(case, r, &event)?;
    writeln!(
        io.err,
        "iep: not sent: {why}\n  The letter is kept in the outbox: `iep send --queued` tries again, and `iep outbox` lists what is waiting."
    )?;
    for w in smtp.warnings() {
        writeln!(io.err, "  Note: {w}")?;
    }
    Ok(Outcome::Failed)
}

/// The address in the message's From header (folded lines joined), if it has one.
fn from_address(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let head = text.split("\r\n\r\n").next().unwrap_or_default();
    let mut from = None;
    let mut lines = head.split("\r\n").peekable();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("From:") {
            let mut value = rest.to_owned();
            while lines.peek().is_some_and(|l| l.starts_with([' ', '\t'])) {
                value.push_str(lines.next().expect("peeked"));
            }
            from = Some(value);
            break;
        }
    }
    let from = from?;
    let addr = match (from.rfind('<'), from.rfind('>')) {
        (Some(a), Some(b)) if a < b => from[a + 1..b].to_owned(),
        _ => from.trim().to_owned(),
    };
    Some(addr)
}

/// A letter is queued when its last delivery attempt failed and nothing has happened since.
pub fn queued(r: &Record) -> bool {
    r.status() == Status::Failed
}

/// The addresses the letter goes to: its To and Cc people with an email address.
fn recipients(r: &Record, smtp: &Smtp) -> Result<Vec<Address>> {
    let mut out = Vec::new();
    for p in r.file.to.iter().chain(&r.file.cc) {
        if let Some(email) = &p.email {
            out.push(eml::address(email).with_context(|| {
                format!("{}'s address \"{email}\" is not an email address", p.name)
            })?);
        }
    }
    if out.is_empty() {
        bail!(
            "{} has no recipient with an email address, so it cannot be sent from {}",
            r.id,
            smtp.address
        );
    }
    Ok(out)
}

/// Runs `iep outbox`.
pub fn outbox(io: &mut Ctx<'_>) -> Result<Exit> {
    let case = io.need_case("outbox")?.clone();
    let (records, damaged) = record::load_all(&case)?;
    warn_damaged(io.err, &damaged)?;
    let waiting: Vec<&Record> = records.iter().filter(|r| queued(r)).collect();
    if waiting.is_empty() {
        writeln!(
            io.err,
            "The outbox is empty: nothing is waiting to be sent."
        )?;
        return Ok(Exit::Done);
    }
    for r in waiting {
        let last = r.file.history.last().expect("a failed letter has history");
        writeln!(
            io.out,
            "{}  to {}\n  last try {}: {}",
            r.id,
            r.to_line(),
            last.at.format("%Y-%m-%d %H:%M"),
            last.note.as_deref().unwrap_or("failed")
        )?;
    }
    writeln!(io.err, "Send them again with: iep send --queued")?;
    Ok(Exit::Done)
}

#[cfg(test)]
mod tests {
    use super::from_address;

    #[test]
    fn the_from_address_is_read_across_folded_lines() {
        let eml = b"From: =?utf-8?b?Sm9yZGFu?=\r\n =?utf-8?b?TMOpZQ==?= <Jordan@Example.org>\r\nTo: x@y.z\r\n\r\nbody";
        assert_eq!(from_address(eml).as_deref(), Some("Jordan@Example.org"));
        assert_eq!(from_address(b"To: x@y.z\r\n\r\nbody"), None);
    }
}
