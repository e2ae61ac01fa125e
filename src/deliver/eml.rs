//! The `.eml` file: Date, Message-ID, From, To, Cc, Subject, threading headers, a plain-text
//! UTF-8 body, and any attachments. lettre encodes non-ASCII names and subjects (RFC 2047,
//! folded at spaces) and the body (quoted-printable or base64, whichever is shorter); every
//! attachment is base64, whatever is in it.
//!
//! Everything in the headers is ASCII: domains in their IDNA form (`xn--…`, RFC 5890), in
//! addresses and in the Message-ID, so no header needs SMTPUTF8; an address with accented
//! letters before the `@` is refused.
//!
//! The file the parent opens starts with [`DRAFT_MARK`] (`X-Unsent: 1`), so that Outlook opens
//! it as a message to send rather than one received; what iep sends itself leaves it out
//! (`cmd::send`, through [`crate::deliver::stored`]).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context as _, Result, bail};
use lettre::message::header::{ContentDisposition, ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

use crate::people::Person;

/// The first line of every `.eml` iep writes for the parent: Outlook's mark of a message not
/// yet sent, which makes it open as a draft with a Send button instead of as a received,
/// read-only message. A line of its own at the very top, so that sending (`deliver::stored::set_header`) removes
/// exactly it.
pub const DRAFT_MARK: &[u8] = b"X-Unsent: 1\r\n";

/// The longest line RFC 5322 §2.1.1 allows, without its CRLF.
const MAX_LINE: usize = 998;

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
    // An accented domain would make lettre write the whole Message-ID as an RFC 2047 encoded
    // word, which is not a msg-id (RFC 5322 §3.6.4), so replies could not thread to it.
    let domain = sender_email
        .rsplit_once('@')
        .and_then(|(_, d)| idna::domain_to_ascii(d).ok())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "iep.invalid".to_owned());
    format!("<{nanos:x}.{:016x}.iep@{domain}>", h.finish())
}

/// A Message-ID kept in a record before domains were written in their IDNA form, made ASCII
/// the same way; any other is returned as it is.
fn ascii_message_id(id: &str) -> String {
    if id.is_ascii() {
        return id.to_owned();
    }
    let inner = id.trim_start_matches('<').trim_end_matches('>');
    match inner
        .rsplit_once('@')
        .and_then(|(left, domain)| Some((left, idna::domain_to_ascii(domain).ok()?)))
    {
        Some((left, domain)) if left.is_ascii() => format!("<{left}@{domain}>"),
        _ => id.to_owned(),
    }
}

/// An address as it goes in a header and in the SMTP envelope: the checks a parent's answer
/// passes ([`crate::people::check_email`]: nothing accented before the `@`), and the domain in
/// its IDNA form, so `école.example` is written `xn--cole-9oa.example`.
pub fn address(email: &str) -> Result<Address> {
    crate::people::check_email(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (user, domain) = email.rsplit_once('@').context("checked: it has an @")?;
    let domain = idna::domain_to_ascii(domain)
        .map_err(|_| anyhow::anyhow!("the part after the @ in \"{email}\" is not a domain"))?;
    Ok(Address::new(user, domain)?)
}

/// A follow-up's subject: "Re: " and its thread's subject, with any "Re:" it already has
/// taken off first, so it never reads "Re: Re:". Gmail puts a message in a conversation only
/// when its subject is the conversation's, give or take such a prefix.
pub fn reply_subject(thread: &str) -> String {
    let mut rest = thread.trim();
    while let Some(prefix) = rest.get(..3)
        && prefix.eq_ignore_ascii_case("re:")
    {
        rest = rest[3..].trim_start();
    }
    format!("Re: {rest}")
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
    // Checked again here for names kept in a case or an answers file before the limit.
    crate::people::check_name(who.name.trim())
        .map_err(|e| anyhow::anyhow!("the {role}'s name: {e} in the answers or the case."))?;
    let address = address(email).map_err(|e| {
        anyhow::anyhow!("the {role}'s address: {e:#}. Fix it in the answers or the case.")
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
        .message_id(Some(ascii_message_id(&e.message_id)))
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
        b = b.in_reply_to(ascii_message_id(id));
    }
    if !e.references.is_empty() {
        let ids: Vec<String> = e.references.iter().map(|id| ascii_message_id(id)).collect();
        b = b.references(ids.join(" "));
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

/// The message as the bytes of an `.eml` file, [`DRAFT_MARK`] first. A header line longer than
/// RFC 5322 allows (a word too long to fold, in a subject) is refused, not written.
pub fn to_eml(e: &Email) -> Result<Vec<u8>> {
    let bytes = message(e)?.formatted();
    let head_end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(bytes.len());
    let mut header = String::new();
    for line in bytes[..head_end].split(|&b| b == b'\n') {
        let line = String::from_utf8_lossy(line);
        if !line.starts_with([' ', '\t']) {
            header = line.split(':').next().unwrap_or_default().to_owned();
        }
        if line.trim_end_matches('\r').len() > MAX_LINE {
            bail!(
                "the email's {header} line would be longer than mail servers accept ({MAX_LINE} characters), because one word in it is too long to fold. Shorten that answer"
            );
        }
    }
    let mut out = DRAFT_MARK.to_vec();
    out.extend_from_slice(&bytes);
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
        let sent = crate::deliver::stored::set_header(&eml, "X-Unsent", None).unwrap();
        assert!(sent.starts_with(b"From: "));
    }

    #[test]
    fn domains_are_written_in_their_idna_form_everywhere() {
        let id = new_message_id("jo@exämple.org", SystemTime::now());
        assert!(id.ends_with(".iep@xn--exmple-cua.org>"), "{id}");
        assert_eq!(
            ascii_message_id("<1.2.iep@exämple.org>"),
            "<1.2.iep@xn--exmple-cua.org>"
        );
        assert_eq!(
            address("a.patel@école.example.org").unwrap().to_string(),
            "a.patel@xn--cole-9oa.example.org"
        );
        let err = address("élise@example.org").unwrap_err().to_string();
        assert!(err.contains("accented letters before the @"), "{err}");
        let mut e = email();
        e.from.email = Some("jordan@exämple.org".into());
        e.to[0].email = Some("a.patel@école.example.org".into());
        e.message_id = "<1.2.iep@exämple.org>".into();
        e.in_reply_to = Some("<0.1.iep@exämple.org>".into());
        e.references = vec!["<0.1.iep@exämple.org>".into()];
        let eml = to_eml(&e).unwrap();
        assert!(eml.is_ascii(), "{}", String::from_utf8_lossy(&eml));
        let text = String::from_utf8(eml).unwrap();
        for want in [
            "From: \"Jordan Lee\" <jordan@xn--exmple-cua.org>",
            "To: \"Ms. Patel\" <a.patel@xn--cole-9oa.example.org>",
            "Message-ID: <1.2.iep@xn--exmple-cua.org>",
            "In-Reply-To: <0.1.iep@xn--exmple-cua.org>",
        ] {
            assert!(text.contains(want), "{want}\n{text}");
        }
    }

    #[test]
    fn names_fold_and_are_limited_and_no_header_line_is_too_long() {
        let mut e = email();
        e.to[0].name = "Wīrihana ".repeat(22).trim().to_owned();
        let text = String::from_utf8(to_eml(&e).unwrap()).unwrap();
        let head = text.split("\r\n\r\n").next().unwrap();
        // Folded into encoded words under 78 characters; lettre puts the address after the
        // last one on its line, which stays far under RFC 5322's 998.
        assert!(head.lines().count() > 12, "{head}");
        for line in head.lines() {
            assert!(line.len() <= 78 || line.ends_with('>'), "{head}");
            assert!(line.len() <= 998, "{head}");
        }
        e.to[0].name = "x".repeat(crate::people::MAX_NAME_CHARS + 1);
        let err = to_eml(&e).unwrap_err().to_string();
        assert!(err.contains("a name can be at most 200"), "{err}");
        // A subject word too long to fold is refused rather than written.
        let mut e = email();
        e.subject = "y".repeat(1200);
        let err = to_eml(&e).unwrap_err().to_string();
        assert!(
            err.contains("the email's Subject line would be longer"),
            "{err}"
        );
    }

    #[test]
    fn a_follow_ups_subject_is_its_threads_with_one_re() {
        assert_eq!(reply_subject("Sam: a support"), "Re: Sam: a support");
        assert_eq!(reply_subject("Re: Sam: a support"), "Re: Sam: a support");
        assert_eq!(reply_subject("RE: re:Sam"), "Re: Sam");
        assert_eq!(reply_subject("Réunion"), "Re: Réunion");
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
