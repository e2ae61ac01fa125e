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
use crate::lang::fill;
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
                let w = &io.lang.words().send;
                let needs = needs(r, io.lang);
                writeln!(
                    io.err,
                    "{}",
                    fill(w.left_in_outbox, &[("id", &r.id), ("needs", &needs)])
                )?;
            }
            records.iter().filter(|r| queued(r)).collect()
        }
    };
    if chosen.is_empty() {
        writeln!(io.err, "{}", io.lang.words().send.nothing_queued)?;
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
    let lang = io.lang;
    let w = &lang.words().send;
    let eml_path = r.dir.join(record::EML_FILE);
    if !eml_path.is_file() {
        bail!(fill(w.no_eml, &[("id", &r.id)]));
    }
    // Held from reading the history to writing how the sending ended: two runs at once never
    // both deliver. A dry run sends nothing and takes no lock.
    let _lock = if args.dry_run {
        None
    } else {
        match record::try_send_lock(r)? {
            Some(lock) => Some(lock),
            None => {
                writeln!(io.err, "{}", fill(w.busy, &[("id", &r.id)]))?;
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
            "{}",
            fill(
                w.no_longer_queued,
                &[("id", &r.id), ("status", r.delivery().name_in(lang))]
            )
        )?;
        return Ok(Outcome::Skipped);
    }
    if r.delivery() == Status::Unconfirmed && !args.again {
        bail!(fill(
            w.may_have_arrived,
            &[
                ("id", &r.id),
                ("note", &last_note(r, Status::Unconfirmed, lang))
            ]
        ));
    }
    // A letter in the outbox is being retried; otherwise a letter sent once needs --again.
    if r.ever_sent() && !args.again && !in_outbox(r) {
        bail!(fill(w.already_sent, &[("id", &r.id)]));
    }
    let mut bytes = std::fs::read(&eml_path)
        .with_context(|| format!("could not read {}", eml_path.display()))?;
    check_unchanged(r, &bytes)?;
    if account.is_none() {
        let path = config::smtp_path(&env.var)?;
        let smtp = Smtp::load(&path)?.with_context(|| w.no_account.to_owned())?;
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
        let mb = (bytes.len() / (1024 * 1024)).to_string();
        writeln!(io.err, "{}", fill(w.large, &[("mb", &mb)]))?;
    }
    if args.dry_run {
        io.out.write_all(&bytes)?;
        writeln!(io.err, "{}", w.dry_run)?;
        return Ok(Outcome::Skipped);
    }
    let recipients = recipients(r, smtp, lang)?;
    let from = from_address(&bytes);
    let to = recipients
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    writeln!(
        io.err,
        "{}",
        fill(
            w.header,
            &[
                ("id", &r.id),
                ("from", from.as_deref().unwrap_or(w.no_address)),
                ("to", &to),
                ("subject", r.file.subject.as_deref().unwrap_or_default()),
            ]
        )
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
            "{}",
            fill(
                w.other_sender,
                &[
                    ("from", from.as_deref().unwrap_or_default()),
                    ("account", &smtp.address)
                ]
            )
        )?;
    }
    // A letter sent days after it was written asks for a reply sooner than the school's time.
    if let Some(stated) = r.file.reply_by
        && let Ok(Some(later)) = recount(io, case, r, io.today)
        && later > stated
    {
        let day = |d: NaiveDate| super::day_in(lang, d, d.to_string());
        writeln!(
            io.err,
            "{}",
            fill(
                w.late,
                &[
                    ("date", &day(r.file.date)),
                    ("stated", &day(stated)),
                    ("later", &day(later)),
                    ("id", &r.id),
                ]
            )
        )?;
    }
    if !args.yes {
        let Some(p) = super::ask(&mut io.prompter) else {
            bail!(w.need_yes);
        };
        if !p.confirm(
            &Prompt {
                text: fill(w.confirm, &[("to", &r.to_line())]),
                help: Some(fill(
                    w.confirm_help,
                    &[(
                        "path",
                        &r.dir.join(record::LETTER_FILE).display().to_string(),
                    )],
                )),
                ..Prompt::default()
            },
            false,
        )? {
            writeln!(io.err, "{}", w.not_sent)?;
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
            writeln!(
                io.err,
                "{}",
                fill(
                    w.sent,
                    &[("host", &smtp.host), ("reply", &reply.to_string())]
                )
            )?;
            let mut event = Event::new(io.now, Status::Sent);
            let kept = keep_sent(case, r, &bytes);
            if let Err(e) = &kept {
                writeln!(
                    io.err,
                    "{}",
                    fill(w.copy_not_kept, &[("error", &format!("{e:#}"))])
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
                bail!(fill(
                    w.record_not_updated,
                    &[
                        ("error", &format!("{e:#}")),
                        ("at", &io.now.format("%Y-%m-%d %H:%M").to_string())
                    ]
                ));
            }
            writeln!(io.err, "{}", fill(w.record_says, &[("id", &r.id)]))?;
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
    let w = &io.lang.words().send;
    let said = [("why", why.message.as_str()), ("id", r.id.as_str())];
    match status {
        Status::Refused => writeln!(io.err, "{}", fill(w.refused, &said))?,
        Status::Unconfirmed => writeln!(io.err, "{}", fill(w.unconfirmed, &said))?,
        _ => {
            writeln!(io.err, "{}", fill(w.failed, &said))?;
            for note in smtp.warnings() {
                writeln!(io.err, "{}", fill(w.note, &[("note", &note.to_string())]))?;
            }
        }
    }
    Ok(Outcome::Failed)
}

/// The note of the latest `status` entry, or the status's name.
fn last_note(r: &Record, status: Status, lang: crate::lang::Lang) -> String {
    r.file
        .history
        .iter()
        .rev()
        .find(|e| e.status == status)
        .and_then(|e| e.note.clone())
        .unwrap_or_else(|| status.name_in(lang).to_owned())
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
fn needs(r: &Record, lang: crate::lang::Lang) -> String {
    let w = &lang.words().send;
    let (text, status) = match r.delivery() {
        Status::Refused => (w.needs_refused, Status::Refused),
        Status::Unconfirmed | Status::Sending => (w.needs_unconfirmed, r.delivery()),
        _ => (w.needs_failed, Status::Failed),
    };
    fill(
        text,
        &[("note", &last_note(r, status, lang)), ("id", &r.id)],
    )
}

/// The addresses the letter goes to: its To and Cc people with an email address.
fn recipients(r: &Record, smtp: &Smtp, lang: crate::lang::Lang) -> Result<Vec<Address>> {
    let mut out = Vec::new();
    for p in r.file.to.iter().chain(&r.file.cc) {
        if let Some(email) = &p.email {
            out.push(eml::address(email).with_context(|| {
                format!("{}'s address \"{email}\" is not an email address", p.name)
            })?);
        }
    }
    if out.is_empty() {
        bail!(fill(
            lang.words().send.no_recipient,
            &[("id", &r.id), ("account", &smtp.address)]
        ));
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
        writeln!(io.err, "{}", io.lang.words().send.outbox_empty)?;
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
            "{}",
            fill(
                io.lang.words().send.outbox_row,
                &[
                    ("id", &r.id),
                    ("to", &r.to_line()),
                    ("status", r.delivery().name_in(io.lang)),
                    ("at", &last.at.format("%Y-%m-%d %H:%M").to_string()),
                    ("needs", &needs(r, io.lang)),
                ]
            )
        )?;
    }
    if waiting.iter().any(|r| queued(r)) {
        writeln!(io.err, "{}", io.lang.words().send.try_queued)?;
    }
    Ok(Exit::Done)
}

/// `iep outbox drop RECORD`: the letter leaves the outbox; its record stays, with "dropped".
fn drop(io: &mut Ctx<'_>, case: &Case, r: &Record) -> Result<Exit> {
    let Some(_lock) = record::try_send_lock(r)? else {
        bail!(fill(io.lang.words().send.drop_busy, &[("id", &r.id)]));
    };
    let r = &record::reload(r)?;
    if !in_outbox(r) {
        bail!(fill(
            io.lang.words().send.not_in_outbox,
            &[("id", &r.id), ("status", r.delivery().name_in(io.lang))]
        ));
    }
    record::append(case, r, &Event::new(io.now, Status::Dropped))?;
    writeln!(
        io.err,
        "{}",
        fill(io.lang.words().send.dropped, &[("id", &r.id)])
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
    let lang = io.lang;
    let w = &lang.words().send;
    let day = |d: NaiveDate| super::day_in(lang, d, d.to_string());
    let on = match &args.on {
        Some(t) => parse_kind(t, DateKind::Letter).map_err(|e| anyhow::anyhow!("--on: {e}"))?,
        None => io.today,
    };
    if on < r.file.date {
        bail!(fill(
            w.on_before,
            &[("on", &day(on)), ("date", &day(r.file.date))]
        ));
    }
    if on > io.today {
        bail!(fill(
            w.on_after,
            &[("on", &day(on)), ("today", &day(io.today))]
        ));
    }
    let how = args.how.as_deref().map(str::trim).filter(|h| !h.is_empty());
    if let Some(h) = how {
        crate::catalog::question::check_controls(h, false)
            .map_err(|e| anyhow::anyhow!("--how: {e}"))?;
    }
    let Some(_lock) = record::try_send_lock(r)? else {
        bail!(fill(w.sent_busy, &[("id", &r.id)]));
    };
    let r = &record::reload(r)?;
    if r.delivery() == Status::Sent {
        bail!(fill(w.already_recorded, &[("id", &r.id)]));
    }
    let mut event = Event::new(io.now, Status::Sent);
    event.date = Some(on);
    event.note = Some(match how {
        Some(h) => format!("sent outside iep: {h}"),
        None => "sent outside iep".to_owned(),
    });
    event.reply_by = recount(io, &case, r, on)?;
    record::append(&case, r, &event)?;
    writeln!(
        io.err,
        "{}",
        fill(w.recorded_sent, &[("id", &r.id), ("on", &day(on))])
    )?;
    if let Some(by) = record::reload(r)?.reply_by() {
        let from = if event.reply_by.is_some() {
            w.from_that_day
        } else {
            ""
        };
        writeln!(
            io.err,
            "{}",
            fill(w.due_by, &[("by", &day(by)), ("from", from)])
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
