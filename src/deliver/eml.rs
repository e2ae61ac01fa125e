//! The `.eml` file: Date, Message-ID, From, To, Cc, Subject, threading headers, a plain-text
//! UTF-8 body, and any attachments. lettre encodes non-ASCII names and subjects (RFC 2047,
//! folded at spaces) and the body (quoted-printable or base64, whichever is shorter); every
//! attachment is base64, whatever is in it.
//!
//! The file the parent opens starts with [`DRAFT_MARK`] (`X-Unsent: 1`), so that Outlook opens
//! it as a message to send rather than one received; what iep sends itself leaves it out
//! ([`for_sending`]).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context as _, Result, bail};
use lettre::Message;
use lettre::message::header::{ContentDisposition, ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};

use crate::people::Person;

/// The first line of every `.eml` iep writes for the parent: Outlook's mark of a message not
/// yet sent, which makes it open as a draft with a Send button instead of as a received,
/// read-only message. A line of its own at the very top, so that [`for_sending`] removes
/// exactly it.
pub const DRAFT_MARK: &[u8] = b"X-Unsent: 1\r\n";

/// The bytes iep itself sends: the `.eml` without [`DRAFT_MARK`] (a school whose Outlook saw
/// it would get the letter as a draft of its own).
pub fn for_sending(eml: &[u8]) -> &[u8] {
    eml.strip_prefix(DRAFT_MARK).unwrap_or(eml)
}

/// Attachments larger than this together are refused by many mail servers (Gmail and Outlook
/// take about 20-25 MB of attachments, and encoding adds a third).
pub const LARGE_ATTACHMENTS: u64 = 15 * 1024 * 1024;

/// Everything an email needs beyond the letter itself.
#[derive(Debug, Clone)]
pub struct Email {
    /// The family: name and address.
    pub from: Person,
    /// Addressed to (people without an email address are left out).
    pub to: Vec<Person>,
    /// Copied to.
    pub cc: Vec<Person>,
    /// Subject line.
    pub subject: String,
    /// The letter's text.
    pub body: String,
    /// When it is dated.
    pub date: SystemTime,
    /// `<…@…>`, kept in the record so later letters can thread to it.
    pub message_id: String,
    /// The Message-ID of the letter this one follows.
    pub in_reply_to: Option<String>,
    /// Earlier Message-IDs of the thread, oldest first.
    pub references: Vec<String>,
    /// Files to attach.
    pub attachments: Vec<PathBuf>,
}

/// A new Message-ID, unique without a network: the time (`now`, the command's clock), the
/// process, and randomness from the standard library's hasher keys, at the sender's own mail
/// domain.
pub fn new_message_id(sender_email: &str, now: SystemTime) -> String {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    let nanos = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    h.write_u128(nanos);
    let domain = sender_email
        .rsplit_once('@')
        .map(|(_, d)| d)
        .filter(|d| !d.is_empty())
        .unwrap_or("iep.invalid");
    format!("<{nanos:x}.{:016x}.iep@{domain}>", h.finish())
}

/// Whether a header value is one line: a line break would start a new header, and any other
/// control character (ESC, NUL…) would reach the reader's mail program or terminal as it is.
fn one_line(what: &str, value: &str) -> Result<()> {
    if value.contains(['\r', '\n', '\u{2028}', '\u{2029}']) {
        bail!(
            "the {what} has a line break in it, which an email header cannot hold: \"{}\". Change it to one line.",
            value.replace(['\r', '\n', '\u{2028}', '\u{2029}'], "⏎")
        );
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        bail!(
            "the {what} has a control character in it (U+{:04X}), which an email header cannot hold: \"{}\". Type it again without it.",
            u32::from(c),
            value.escape_default()
        );
    }
    Ok(())
}

fn mailbox(who: &Person, role: &str) -> Result<Option<Mailbox>> {
    let Some(email) = &who.email else {
        return Ok(None);
    };
    one_line(&format!("{role}'s name"), &who.name)?;
    one_line(&format!("{role}'s address"), email)?;
    let address = email.parse().map_err(|e| {
        anyhow::anyhow!("the {role}'s address \"{email}\" is not an email address ({e}). Fix it in the answers or the case.")
    })?;
    let name = (!who.name.trim().is_empty()).then(|| who.name.trim().to_owned());
    Ok(Some(Mailbox::new(name, address)))
}

/// Builds the message.
pub fn message(e: &Email) -> Result<Message> {
    one_line("subject", &e.subject)?;
    let from = mailbox(&e.from, "sender")?.with_context(|| {
        "the sender has no email address: give `sender_email` (your address) and write the letter again".to_owned()
    })?;
    let mut b = Message::builder()
        .from(from)
        .subject(e.subject.clone())
        .date(e.date)
        .message_id(Some(e.message_id.clone()))
        .user_agent(format!("iep {}", env!("CARGO_PKG_VERSION")));
    for who in &e.to {
        if let Some(m) = mailbox(who, "recipient")? {
            b = b.to(m);
        }
    }
    for who in &e.cc {
        if let Some(m) = mailbox(who, "copy")? {
            b = b.cc(m);
        }
    }
    if let Some(id) = &e.in_reply_to {
        b = b.in_reply_to(id.clone());
    }
    if !e.references.is_empty() {
        b = b.references(e.references.join(" "));
    }
    let text = SinglePart::plain(e.body.clone());
    let message = if e.attachments.is_empty() {
        b.singlepart(text)
    } else {
        let mut parts = MultiPart::mixed().singlepart(text);
        for path in &e.attachments {
            parts = parts.singlepart(attachment(path)?);
        }
        b.multipart(parts)
    };
    message.context("could not build the email")
}

/// One attached file. Always base64: lettre would send a file that looks like ASCII text as
/// 7bit, bare line ends and all, which breaks RFC 5321 §2.3.8 and RFC 2045 §2.7, and which
/// servers that guard against SMTP smuggling refuse. The name is in Content-Disposition
/// (`filename`, RFC 2231 when it needs encoding) and, for older mail programs, in Content-Type
/// (`name`).
fn attachment(path: &Path) -> Result<SinglePart> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("could not read the attachment {}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "attachment".to_owned());
    let kind = ContentType::parse(&format!(
        "{}; name=\"{}\"",
        media_type(&name),
        name_parameter(&name)
    ))
    .with_context(|| format!("the attachment's name cannot go in an email: {name}"))?;
    let body = Body::new_with_encoding(bytes, ContentTransferEncoding::Base64)
        .map_err(|_| anyhow::anyhow!("base64 takes any bytes"))?;
    Ok(SinglePart::builder()
        .header(kind)
        .header(ContentDisposition::attachment(&name))
        .body(body))
}

/// The type of an attachment, from its name: the ones families attach most, else generic.
fn media_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("pdf") => "application/pdf",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("txt") => "text/plain; charset=utf-8",
        Some("doc") => "application/msword",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

/// A file name as the inside of Content-Type's quoted `name="…"`: as it is when it is plain
/// ASCII, else in RFC 2047 encoded words (what Outlook and Thunderbird write there), each under
/// 76 characters and separated by spaces, where the header may be folded.
fn name_parameter(name: &str) -> String {
    use base64::Engine as _;
    if name
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\' || b == b' ')
    {
        return name.to_owned();
    }
    // 42 bytes make 56 base64 characters: with `=?utf-8?b?` and `?=`, 68 in all, so a folded
    // line ` name="…"` stays under 78.
    let mut words = Vec::new();
    let mut rest = name;
    while !rest.is_empty() {
        let mut end = rest.len().min(42);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let (word, tail) = rest.split_at(end);
        words.push(format!(
            "=?utf-8?b?{}?=",
            base64::engine::general_purpose::STANDARD.encode(word)
        ));
        rest = tail;
    }
    words.join(" ")
}

/// The message as the bytes of an `.eml` file, [`DRAFT_MARK`] first.
pub fn to_eml(e: &Email) -> Result<Vec<u8>> {
    let mut out = DRAFT_MARK.to_vec();
    out.extend_from_slice(&message(e)?.formatted());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> Email {
        let who = |name: &str, email: &str| Person {
            name: name.into(),
            title: String::new(),
            email: Some(email.into()),
        };
        Email {
            from: who("Jordan Lee", "jordan@example.org"),
            to: vec![who("Ms. Patel", "a.patel@school.example.org")],
            cc: Vec::new(),
            subject: "Sam Lee: a support is not happening".into(),
            body: "Dear Ms. Patel,\n".into(),
            date: SystemTime::UNIX_EPOCH,
            message_id: new_message_id("jordan@example.org", SystemTime::now()),
            in_reply_to: None,
            references: Vec::new(),
            attachments: Vec::new(),
        }
    }

    #[test]
    fn a_line_break_in_any_header_value_is_refused() {
        assert!(to_eml(&email()).is_ok());
        let mut e = email();
        e.subject = "Sam\r\nBcc: someone@example.org".into();
        let err = to_eml(&e).unwrap_err().to_string();
        assert!(err.contains("the subject has a line break"), "{err}");
        let mut e = email();
        e.to[0].name = "Ms. Patel\nBcc: someone@example.org".into();
        let err = to_eml(&e).unwrap_err().to_string();
        assert!(err.contains("recipient's name has a line break"), "{err}");
        let mut e = email();
        e.subject = "Scribe \u{1b}[2J\u{7}now".into();
        let err = to_eml(&e).unwrap_err().to_string();
        assert!(err.contains("the subject has a control character"), "{err}");
    }

    #[test]
    fn message_ids_are_unique_and_at_the_senders_domain() {
        let a = new_message_id("jordan@example.org", SystemTime::now());
        let b = new_message_id("jordan@example.org", SystemTime::now());
        assert_ne!(a, b);
        assert!(
            a.starts_with('<') && a.ends_with(".iep@example.org>"),
            "{a}"
        );
    }

    #[test]
    fn the_parents_copy_opens_as_a_draft_and_what_is_sent_does_not() {
        let eml = to_eml(&email()).unwrap();
        assert!(eml.starts_with(b"X-Unsent: 1\r\nFrom: "));
        let sent = for_sending(&eml);
        assert!(sent.starts_with(b"From: "));
        assert_eq!(for_sending(sent), sent, "removed once, and only at the top");
    }

    #[test]
    fn attachments_are_base64_with_their_name_in_both_headers() {
        let dir = tempfile::tempdir().unwrap();
        let txt = dir.path().join("x.pdf");
        std::fs::write(&txt, b"a\nb\n").unwrap();
        let accented = dir
            .path()
            .join("relevé de notes de l'élève, année scolaire 2026-2027.pdf");
        std::fs::write(&accented, b"%PDF").unwrap();
        let mut e = email();
        e.attachments = vec![txt, accented];
        let text = String::from_utf8(to_eml(&e).unwrap()).unwrap();
        assert!(
            text.contains("Content-Type: application/pdf; name=\"x.pdf\"\r\nContent-Disposition: attachment; filename=\"x.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nYQpiCg==\r\n"),
            "{text}"
        );
        assert!(text.contains(" name=\"=?utf-8?b?"), "{text}");
        assert!(text.contains("filename*0*=utf-8''relev%C3%A9"), "{text}");
        assert!(text.lines().all(|l| l.len() <= 78), "{text}");
        assert!(!text.replace("\r\n", "").contains('\n'), "a bare line feed");
    }

    #[test]
    fn attachments_make_a_mixed_message() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("report.pdf");
        std::fs::write(&pdf, b"%PDF-1.4 test").unwrap();
        let mut e = email();
        e.attachments.push(pdf);
        let text = String::from_utf8(to_eml(&e).unwrap()).unwrap();
        assert!(text.contains("multipart/mixed"), "{text}");
        assert!(text.contains("application/pdf"), "{text}");
        assert!(text.contains("report.pdf"), "{text}");
    }
}
