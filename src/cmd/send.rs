//! `iep send RECORD`, `iep send --queued` and `iep outbox`.
//!
//! Save first, send second: the record and its `letter.eml` exist before any connection. The
//! record says "sent" only after the server accepted the message, with the time and the
//! server's reply; a failure is written to the history with a plain reason and leaves the letter
//! in the outbox.

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use lettre::Address;
use lettre::address::Envelope;

use super::{Ctx, Exit, warn_damaged};
use crate::atomic::failpoint;
use crate::calendar::Calendar;
use crate::case::Case;
use crate::case::record::{self, Event, Record, Status};
use crate::cli::{OutboxAction, OutboxArgs, SendArgs, SentArgs};
use crate::config::{self, Smtp};
use crate::dates::{DateKind, parse_kind};
use crate::deliver::eml::{self, LARGE_ATTACHMENTS};
use crate::deliver::{Failure, SendError, smtp, stored};
use crate::prompt::Prompt;

/// How one letter's send ended.
enum Outcome {
    Sent,
    Failed,
    Skipped,
    /// Another run holds the letter's send lock: it is being sent right now.
    Busy,
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
        None => {
            // What --queued leaves alone is named, so nothing waits unseen.
            for r in records.iter().filter(|r| in_outbox(r) && !queued(r)) {
                writeln!(io.err, "Left in the outbox: {}: {}", r.id, needs(r))?;
            }
            records.iter().filter(|r| queued(r)).collect()
        }
    };
    if chosen.is_empty() {
        writeln!(
            io.err,
            "Nothing in the outbox is waiting to be tried again."
        )?;
        return Ok(true);
    }
    let mut all_sent = true;
    let mut account: Option<(Smtp, Option<String>)> = None;
    for r in chosen {
        match send_one(args, io, env, &case, r, &mut account) {
            Ok(Outcome::Sent | Outcome::Skipped) => {}
            Ok(Outcome::Failed) => all_sent = false,
            // With --queued, another run sending one of the letters is doing the job.
            Ok(Outcome::Busy) => all_sent &= args.queued,
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
    // Held from reading the history to writing how the sending ended: two runs at once never
    // both deliver. A dry run sends nothing and takes no lock.
    let _lock = if args.dry_run {
        None
    } else {
        match record::try_send_lock(r)? {
            Some(lock) => Some(lock),
            None => {
                writeln!(
                    io.err,
                    "{}: another iep is sending this letter right now, so this one sends nothing. `iep log {}` shows how it ends.",
                    r.id, r.id
                )?;
                return Ok(Outcome::Busy);
            }
        }
    };
    // The history as it is now, not as it was when this run began.
    let mut fresh = record::reload(r)?;
    if !args.dry_run && fresh.delivery() == Status::Sending {
        // The lock is ours, so no run is sending it: the one that wrote "sending" was stopped
        // before it could write how it ended, perhaps after the server took the letter.
        let mut event = Event::new(io.now, Status::Unconfirmed);
        event.note = Some(
            "iep was stopped while sending it, so whether the server took it is not known"
                .to_owned(),
        );
        record::append(case, &fresh, &event)?;
        fresh = record::reload(r)?;
    }
    let r = &fresh;
    if args.queued && !queued(r) {
        writeln!(
            io.err,
            "{}: no longer waiting to be tried again (now: {}).",
            r.id,
            r.delivery().name()
        )?;
        return Ok(Outcome::Skipped);
    }
    if r.delivery() == Status::Unconfirmed && !args.again {
        bail!(
            "{} may already have arrived: {}. Look in your Sent folder, or ask the school whether it came. If it arrived, record that with `iep sent {}`; if it did not, send it with `iep send {} --again`.",
            r.id,
            last_note(r, Status::Unconfirmed),
            r.id,
            r.id
        );
    }
    // A letter in the outbox is being retried; otherwise a letter sent once needs --again.
    if r.ever_sent() && !args.again && !in_outbox(r) {
        bail!(
            "{} was already sent. To send it a second time, add --again.",
            r.id
        );
    }
    let mut bytes = std::fs::read(&eml_path)
        .with_context(|| format!("could not read {}", eml_path.display()))?;
    check_unchanged(r, &bytes)?;
    if account.is_none() {
        let path = config::smtp_path(&env.var)?;
        let smtp = Smtp::load(&path)?.with_context(|| {
            "no email account is set up: run `iep config smtp` first (or open letter.eml in your own mail program)".to_owned()
        })?;
        *account = Some((smtp, None));
    }
    let (smtp, password) = account.as_mut().expect("just set");
    // What goes is the recorded message with three header lines changed, never rendered again:
    // no X-Unsent (it only tells a mail program opening letter.eml to treat it as a draft), the
    // Date of sending in the sender's own offset, and the account's Reply-To on top. The dry run
    // shows exactly these bytes, and sent.eml keeps them.
    bytes = stored::set_header(&bytes, "X-Unsent", None)?;
    bytes = stored::set_header(&bytes, "Date", Some(&io.now.to_rfc2822()))?;
    if let Some(reply_to) = &smtp.reply_to {
        let address: Address = reply_to
            .parse()
            .with_context(|| format!("the reply-to address {reply_to} is not valid"))?;
        bytes = stored::set_header(&bytes, "Reply-To", Some(&format!("<{address}>")))?;
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
    // Compared in the form the email carries (an accented domain in its IDNA form).
    let account = eml::address(&smtp.address)
        .map(|a| a.to_string())
        .unwrap_or_else(|_| smtp.address.clone());
    if from
        .as_deref()
        .is_some_and(|f| !f.eq_ignore_ascii_case(&account))
    {
        writeln!(
            io.err,
            "Note: the letter is from {}, but the account sends as {}; some servers refuse that.",
            from.as_deref().unwrap_or_default(),
            smtp.address
        )?;
    }
    // A letter sent days after it was written asks for a reply sooner than the school's time.
    if let Some(stated) = r.file.reply_by
        && let Ok(Some(later)) = recount(io, case, r, io.today)
        && later > stated
    {
        writeln!(
            io.err,
            "Note: this letter was written on {} and asks for a reply by {stated}; sent today, that gives the school less time than it counted. iep will count the reply as due by {later}. To put a new date in the letter first: iep edit {}",
            r.file.date, r.id
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
            Err(e) => return failed(io, case, r, smtp, &SendError::setup(format!("{e:#}"))),
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
    // Written before connecting: a run stopped from here on, even after the server took the
    // letter, leaves "sending" last, which the next run reads as "may have arrived", not as
    // "try again".
    let mut sending = Event::new(io.now, Status::Sending);
    sending.note = Some(format!("to {}", smtp.host));
    record::append(case, r, &sending)?;
    failpoint("send:before-connect");
    match env.mailer.send(smtp, &secret, &envelope, &bytes) {
        Ok(reply) => {
            failpoint("send:after-delivery");
            // Said first: whatever happens to the record, the parent must know it went.
            writeln!(io.err, "Sent: {} accepted the letter ({reply}).", smtp.host)?;
            let mut event = Event::new(io.now, Status::Sent);
            let kept = keep_sent(case, r, &bytes);
            if let Err(e) = &kept {
                writeln!(
                    io.err,
                    "iep: warning: the copy of what was sent could not be kept ({e:#})"
                )?;
            }
            // Best effort: the letter went, and that must be recorded whatever the count says.
            event.reply_by = recount(io, case, r, io.today).unwrap_or(None);
            let reply_to = smtp
                .reply_to
                .as_ref()
                .map(|r| format!(" (with Reply-To: {r})"))
                .unwrap_or_default();
            let file = kept.map(|f| format!("; as sent: {f}")).unwrap_or_default();
            event.note = Some(format!(
                "accepted by {}: {reply}{reply_to}{file}",
                smtp.host
            ));
            if let Err(e) = record::append(case, r, &event) {
                bail!(
                    "the letter WAS sent, but the record could not be updated ({e:#}). Do not send it again; note the time yourself: {}",
                    io.now.format("%Y-%m-%d %H:%M")
                );
            }
            writeln!(io.err, "The record says so: iep log {}", r.id)?;
            Ok(Outcome::Sent)
        }
        Err(why) => failed(io, case, r, smtp, &why),
    }
}

/// Keeps the bytes the server accepted in the record (`sent.eml`, then `sent-2.eml` for a second
/// sending…), whole and private; the file's name.
fn keep_sent(case: &Case, r: &Record, bytes: &[u8]) -> Result<String> {
    // The message as the server received it: lettre always writes a line break before the
    // closing dot, and the server takes it as the message's.
    let mut bytes = bytes.to_vec();
    bytes.extend_from_slice(b"\r\n");
    let bytes = &bytes[..];
    let _lock = case.lock()?;
    let stem = record::SENT_FILE.trim_end_matches(".eml");
    let base = crate::atomic::free_stem(&r.dir, stem, &[".eml"]);
    let path = crate::atomic::with_ext(&base, ".eml");
    if !crate::atomic::write_new(&path, bytes)? {
        bail!("{} appeared while it was being written", path.display());
    }
    Ok(path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default())
}

/// Refuses a letter whose `letter.txt` was changed after its email was made: what would be sent
/// is not what the parent reads.
fn check_unchanged(r: &Record, eml: &[u8]) -> Result<()> {
    let path = r.dir.join(record::LETTER_FILE);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("could not read {}", path.display()))?;
    let in_eml = stored::letter_text(eml).with_context(|| {
        format!(
            "iep could not find the letter's text in {}",
            r.dir.join(record::EML_FILE).display()
        )
    })?;
    if !stored::same_letter(&text, &in_eml) {
        bail!(
            "{} was changed after the email was made, so the email (letter.eml) is not the letter you read. Nothing was sent. To change a letter before sending it, use `iep edit {}`: it opens the letter and makes the email match.",
            path.display(),
            r.id
        );
    }
    Ok(())
}

/// Writes how a failed attempt ended to the record and says what to do; the letter stays in the
/// outbox.
fn failed(
    io: &mut Ctx<'_>,
    case: &Case,
    r: &Record,
    smtp: &Smtp,
    why: &SendError,
) -> Result<Outcome> {
    let status = match why.kind {
        Failure::Permanent => Status::Refused,
        Failure::Unconfirmed => Status::Unconfirmed,
        Failure::Temporary | Failure::Setup => Status::Failed,
    };
    let mut event = Event::new(io.now, status);
    event.note = Some(why.message.clone());
    record::append(case, r, &event)?;
    let id = &r.id;
    match status {
        Status::Refused => writeln!(
            io.err,
            "iep: not sent: {}\n  The letter waits in the outbox for you: `iep send --queued` will not try it again as it is. Once it is fixed, send it with `iep send {id}`; or take it out of the outbox with `iep outbox drop {id}`.",
            why.message
        )?,
        Status::Unconfirmed => writeln!(
            io.err,
            "iep: not confirmed: {}\n  Look in your Sent folder, or ask the school whether it came. If it arrived: `iep sent {id}`. If it did not: `iep send {id} --again`. `iep send --queued` leaves it alone.",
            why.message
        )?,
        _ => {
            writeln!(
                io.err,
                "iep: not sent: {}\n  The letter is kept in the outbox: `iep send --queued` tries again, and `iep outbox` lists what is waiting.",
                why.message
            )?;
            for w in smtp.warnings() {
                writeln!(io.err, "  Note: {w}")?;
            }
        }
    }
    Ok(Outcome::Failed)
}

/// The note of the latest `status` entry, or the status's name.
fn last_note(r: &Record, status: Status) -> String {
    r.file
        .history
        .iter()
        .rev()
        .find(|e| e.status == status)
        .and_then(|e| e.note.clone())
        .unwrap_or_else(|| status.name().to_owned())
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

/// A letter is queued (`iep send --queued` tries it again) when its last attempt failed for now:
/// the network, the account, or a server that said "try later".
pub fn queued(r: &Record) -> bool {
    r.delivery() == Status::Failed
}

/// A letter is in the outbox when an attempt to send it did not end in "sent": failed for now,
/// refused by the server, or not confirmed.
pub fn in_outbox(r: &Record) -> bool {
    matches!(
        r.delivery(),
        Status::Failed | Status::Refused | Status::Unconfirmed | Status::Sending
    )
}

/// What a letter in the outbox waits for, in one line.
fn needs(r: &Record) -> String {
    let id = &r.id;
    match r.delivery() {
        Status::Refused => format!(
            "the server refused it ({}). Change what that says, then `iep send {id}`; or `iep outbox drop {id}`.",
            last_note(r, Status::Refused)
        ),
        Status::Unconfirmed | Status::Sending => format!(
            "it may have arrived ({}). Look in your Sent folder or ask the school; then `iep sent {id}`, or `iep send {id} --again`.",
            last_note(r, r.delivery())
        ),
        _ => format!(
            "the last try failed ({}). `iep send --queued` tries again.",
            last_note(r, Status::Failed)
        ),
    }
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

/// Runs `iep outbox`, or `iep outbox drop RECORD`.
pub fn outbox(args: &OutboxArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    let case = io.need_case("outbox")?.clone();
    let (records, damaged) = record::load_all(&case)?;
    warn_damaged(io.err, &damaged)?;
    if let Some(OutboxAction::Drop { record: wanted }) = &args.action {
        return drop(io, &case, record::find(&records, &damaged, wanted)?);
    }
    let waiting: Vec<&Record> = records.iter().filter(|r| in_outbox(r)).collect();
    if waiting.is_empty() {
        writeln!(
            io.err,
            "The outbox is empty: nothing is waiting to be sent."
        )?;
        return Ok(Exit::Done);
    }
    for r in &waiting {
        let last = r
            .file
            .history
            .iter()
            .rev()
            .find(|e| e.status == r.delivery())
            .expect("a letter in the outbox has that entry");
        writeln!(
            io.out,
            "{}  to {}\n  {} {}: {}",
            r.id,
            r.to_line(),
            r.delivery().name(),
            last.at.format("%Y-%m-%d %H:%M"),
            needs(r)
        )?;
    }
    if waiting.iter().any(|r| queued(r)) {
        writeln!(io.err, "Try the failed ones again with: iep send --queued")?;
    }
    Ok(Exit::Done)
}

/// `iep outbox drop RECORD`: the letter leaves the outbox; its record stays, with "dropped".
fn drop(io: &mut Ctx<'_>, case: &Case, r: &Record) -> Result<Exit> {
    let Some(_lock) = record::try_send_lock(r)? else {
        bail!(
            "another iep is sending {} right now; nothing was changed. `iep log {}` shows how it ends.",
            r.id,
            r.id
        );
    };
    let r = &record::reload(r)?;
    if !in_outbox(r) {
        bail!(
            "{} is not in the outbox (it is {}), so there is nothing to drop. `iep outbox` lists what is waiting.",
            r.id,
            r.delivery().name()
        );
    }
    record::append(case, r, &Event::new(io.now, Status::Dropped))?;
    writeln!(
        io.err,
        "{} is out of the outbox; its record is kept (iep log {}).",
        r.id, r.id
    )?;
    Ok(Exit::Done)
}

/// Runs `iep sent RECORD [--on DATE] [--how TEXT]`: a letter the parent sent themselves,
/// recorded as sent; its reply clock starts on that day.
pub fn sent(args: &SentArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    let case = io.need_case("sent")?.clone();
    let (records, damaged) = record::load_all(&case)?;
    warn_damaged(io.err, &damaged)?;
    let r = record::find(&records, &damaged, &args.record)?;
    let on = match &args.on {
        Some(t) => parse_kind(t, DateKind::Letter).map_err(|e| anyhow::anyhow!("--on: {e}"))?,
        None => io.today,
    };
    if on < r.file.date {
        bail!(
            "--on {on} is before the letter's own date ({}); give the day you sent it",
            r.file.date
        );
    }
    if on > io.today {
        bail!(
            "--on {on} is after today ({}); give the day you sent it",
            io.today
        );
    }
    let how = args.how.as_deref().map(str::trim).filter(|h| !h.is_empty());
    if let Some(h) = how {
        crate::catalog::question::check_controls(h, false)
            .map_err(|e| anyhow::anyhow!("--how: {e}"))?;
    }
    let Some(_lock) = record::try_send_lock(r)? else {
        bail!(
            "another iep is sending {} right now; nothing was recorded. `iep log {}` shows how it ends.",
            r.id,
            r.id
        );
    };
    let r = &record::reload(r)?;
    if r.delivery() == Status::Sent {
        bail!(
            "{} is already recorded as sent. `iep log {}` shows its history.",
            r.id,
            r.id
        );
    }
    let mut event = Event::new(io.now, Status::Sent);
    event.date = Some(on);
    event.note = Some(match how {
        Some(h) => format!("sent outside iep: {h}"),
        None => "sent outside iep".to_owned(),
    });
    event.reply_by = recount(io, &case, r, on)?;
    record::append(&case, r, &event)?;
    writeln!(io.err, "Recorded: {} was sent on {on}.", r.id)?;
    if let Some(by) = record::reload(r)?.reply_by() {
        writeln!(
            io.err,
            "The reply is due by {by}{}; `iep due` will say when it is overdue.",
            if event.reply_by.is_some() {
                ", counted from that day"
            } else {
                ""
            }
        )?;
    }
    Ok(Exit::Done)
}

/// The reply-by date counted again from `sent_on`, when the letter asks for a reply and went
/// out after its own date: the school's time starts when it has the letter. Counted as `iep
/// write` counts: the letter's window (its rung's, its own, or the jurisdiction's), the
/// jurisdiction's holidays and the school breaks the case records.
fn recount(
    io: &mut Ctx<'_>,
    case: &Case,
    r: &Record,
    sent_on: NaiveDate,
) -> Result<Option<NaiveDate>> {
    if r.file.reply_by.is_none() || sent_on <= r.file.date {
        return Ok(None);
    }
    let catalog = io.catalog;
    let letter = catalog.letter(&r.file.letter)?;
    let j = catalog.jurisdiction(&r.file.jurisdiction)?;
    let rung = match (letter.to.as_deref(), &r.file.to_role) {
        (Some("ladder"), Some(role)) => j.rung(role),
        _ => None,
    };
    let Some(window) = rung
        .and_then(|g| g.reply_window.as_ref())
        .or(letter.reply_window.as_ref())
        .or(Some(&j.reply_window))
        .cloned()
    else {
        return Ok(None);
    };
    let closed = match crate::case::context::CaseInputs::load(Some(case), &letter, None, io.err)? {
        Some(c) => c.closed_days()?,
        None => Vec::new(),
    };
    let calendar = Calendar {
        holidays: catalog.holidays(&j.id)?,
        closed,
        in_case: true,
    };
    let count = calendar
        .count(window.clock, sent_on, window.days)
        .map_err(|e| {
            anyhow::anyhow!("the reply-by date could not be counted from {sent_on}: {e}")
        })?;
    Ok(Some(count.date))
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
