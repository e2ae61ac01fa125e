//! `iep send RECORD`, `iep send --queued` and `iep outbox`.
//!
//! Save first, send second: the record and its `letter.eml` exist before any connection. The
//! record says "sent" only after the server accepted the message, with the time and the
//! server's reply; a failure is written to the history with a plain reason and leaves the letter
//! in the outbox.

use anyhow::{Context as _, Result, bail};
use lettre::Address;
use lettre::address::Envelope;

use super::{Io, warn_damaged};
use crate::case::record::{self, Event, Record, Status};
use crate::catalog::Catalog;
use crate::cli::SendArgs;
use crate::config::{self, Smtp};
use crate::deliver::eml::LARGE_ATTACHMENTS;
use crate::deliver::smtp;
use crate::prompt::Prompt;

/// Runs `iep send`.
pub fn execute(
    catalog: &Catalog,
    args: &SendArgs,
    mut io: Io<'_>,
    env: &super::config::Env,
) -> Result<bool> {
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
    let mut account: Option<(Smtp, String)> = None;
    for r in chosen {
        let eml_path = r.dir.join(record::EML_FILE);
        if !eml_path.is_file() {
            bail!(
                "{} has no email version (letter.eml): it had no recipient email address or no sender address when it was written. Print letter.txt, or add the address and write the letter again.",
                r.id
            );
        }
        if r.file.history.iter().any(|e| e.status == Status::Sent) && !args.again {
            bail!(
                "{} was already sent. To send it a second time, add --again.",
                r.id
            );
        }
        let bytes = std::fs::read(&eml_path)
            .with_context(|| format!("could not read {}", eml_path.display()))?;
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
            continue;
        }
        if account.is_none() {
            let path = config::smtp_path(&env.var)?;
            let smtp = Smtp::load(catalog, &path)?.with_context(|| {
                "no email account is set up: run `iep config smtp` first (or open letter.eml in your own mail program)".to_owned()
            })?;
            account = Some((smtp, String::new()));
        }
        let (smtp, password) = account.as_mut().expect("just set");
        let recipients = recipients(r, smtp)?;
        // The account's Reply-To goes on top of the recorded message; the history says so.
        let mut bytes = bytes;
        if let Some(reply_to) = &smtp.reply_to {
            let address: Address = reply_to
                .parse()
                .with_context(|| format!("the reply-to address {reply_to} is not valid"))?;
            let mut with = format!("Reply-To: <{address}>\r\n").into_bytes();
            with.extend_from_slice(&bytes);
            bytes = with;
        }
        let from_line = String::from_utf8_lossy(&bytes)
            .lines()
            .find(|l| l.starts_with("From: "))
            .map(str::to_owned)
            .unwrap_or_default();
        if !from_line.contains(&format!("<{}>", smtp.address)) {
            writeln!(
                io.err,
                "Note: the letter is from another address than the account ({}); some servers refuse that. {from_line}",
                smtp.address
            )?;
        }
        writeln!(
            io.err,
            "\n{}\nFrom:    {} <{}>\nTo:      {}\nSubject: {}\n",
            r.id,
            smtp.name,
            smtp.address,
            recipients
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            r.file.subject.as_deref().unwrap_or_default()
        )?;
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
                continue;
            }
        }
        if password.is_empty() {
            *password = smtp::password(
                smtp,
                (env.var)("IEP_SMTP_PASSWORD"),
                super::ask(&mut io.prompter),
            )?;
        }
        let from: Address = smtp
            .address
            .parse()
            .with_context(|| format!("the account address {} is not valid", smtp.address))?;
        let mut to = recipients.clone();
        if smtp.bcc_self {
            to.push(from.clone());
        }
        let envelope = Envelope::new(Some(from), to).context("the letter has no recipients")?;
        match smtp::send(smtp, password.clone(), &envelope, &bytes) {
            Ok(reply) => {
                let mut event = Event::new(io.now, Status::Sent);
                let reply_to = smtp
                    .reply_to
                    .as_ref()
                    .map(|r| format!(" (with Reply-To: {r})"))
                    .unwrap_or_default();
                event.note = Some(format!("accepted by {}: {reply}{reply_to}", smtp.host));
                record::append(&case, r, &event)?;
                writeln!(
                    io.err,
                    "Sent: {} accepted the letter ({reply}). The record says so: iep log {}",
                    smtp.host, r.id
                )?;
            }
            Err(why) => {
                all_sent = false;
                let mut event = Event::new(io.now, Status::Failed);
                event.note = Some(why.clone());
                record::append(&case, r, &event)?;
                writeln!(
                    io.err,
                    "iep: not sent: {why}\n  The letter is kept in the outbox: `iep send --queued` tries again, and `iep outbox` lists what is waiting."
                )?;
            }
        }
    }
    Ok(all_sent)
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
            out.push(email.parse().with_context(|| {
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
pub fn outbox(io: Io<'_>) -> Result<()> {
    let case = io.need_case("outbox")?.clone();
    let (records, damaged) = record::load_all(&case)?;
    warn_damaged(io.err, &damaged)?;
    let waiting: Vec<&Record> = records.iter().filter(|r| queued(r)).collect();
    if waiting.is_empty() {
        writeln!(
            io.err,
            "The outbox is empty: nothing is waiting to be sent."
        )?;
        return Ok(());
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
    Ok(())
}
