//! A recorded `letter.eml` as bytes: the letter text inside it, its headers rewritten for sending,
//! and its text part replaced after `iep edit`.
//!
//! The message is never rendered again: what the parent reviewed (and what a mail program
//! opened) stays byte for byte, except for the header lines or the one part changed here. Header
//! fields are found as RFC 5322 §2.2 defines them: a line that does not start with a space or a
//! tab starts a field, and the lines after it that do are its folded continuation.

use anyhow::{Result, bail};
use lettre::message::SinglePart;

/// One header field: its name and the byte range of all its lines (CRLF included).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Field {
    name: String,
    start: usize,
    end: usize,
}

/// Where the header block ends: the index just after its last CRLF, before the blank line.
fn header_end(bytes: &[u8]) -> Option<usize> {
    if bytes.starts_with(b"\r\n") {
        return Some(0);
    }
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 2)
}

/// The fields of the header block `head` (which ends with CRLF).
fn fields(head: &[u8]) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    let mut at = 0;
    while at < head.len() {
        let end = head[at..]
            .windows(2)
            .position(|w| w == b"\r\n")
            .map_or(head.len(), |i| at + i + 2);
        let line = &head[at..end];
        match (line.first(), out.last_mut()) {
            (Some(b' ' | b'\t'), Some(last)) => last.end = end,
            _ => {
                let name = line
                    .iter()
                    .position(|&b| b == b':')
                    .map(|i| String::from_utf8_lossy(&line[..i]).trim().to_owned())
                    .unwrap_or_default();
                out.push(Field {
                    name,
                    start: at,
                    end,
                });
            }
        }
        at = end;
    }
    out
}

/// The message with every `name` field removed and, when `value` is given, one `name: value`
/// field in the place of the first one removed (or at the top when there was none). Only the
/// header block changes; the body is kept byte for byte.
pub fn set_header(bytes: &[u8], name: &str, value: Option<&str>) -> Result<Vec<u8>> {
    if let Some(v) = value
        && v.contains(['\r', '\n'])
    {
        bail!("a header value cannot hold a line break");
    }
    let Some(end) = header_end(bytes) else {
        bail!("the message has no end of headers (a blank line)");
    };
    let found = fields(&bytes[..end]);
    let mut out = Vec::with_capacity(bytes.len() + 64);
    let mut put = value.is_none();
    let line = |v: &str| format!("{name}: {v}\r\n").into_bytes();
    if !put && !found.iter().any(|f| f.name.eq_ignore_ascii_case(name)) {
        out.extend_from_slice(&line(value.unwrap_or_default()));
        put = true;
    }
    for f in &found {
        if f.name.eq_ignore_ascii_case(name) {
            if !put {
                out.extend_from_slice(&line(value.unwrap_or_default()));
                put = true;
            }
        } else {
            out.extend_from_slice(&bytes[f.start..f.end]);
        }
    }
    out.extend_from_slice(&bytes[end..]);
    Ok(out)
}

/// The value of the first `name` field, unfolded.
pub fn header(bytes: &[u8], name: &str) -> Option<String> {
    let end = header_end(bytes)?;
    let f = fields(&bytes[..end])
        .into_iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))?;
    let raw = String::from_utf8_lossy(&bytes[f.start..f.end]);
    let value = raw.split_once(':')?.1;
    Some(
        value
            .split("\r\n")
            .map(|l| l.trim_start_matches([' ', '\t']))
            .collect::<Vec<_>>()
            .join(" ")
            .trim()
            .to_owned(),
    )
}

/// The letter's text inside the message (its first text part, decoded), with line ends as `\n`.
pub fn letter_text(bytes: &[u8]) -> Option<String> {
    let m = mail_parser::MessageParser::default().parse(bytes)?;
    Some(m.body_text(0)?.replace("\r\n", "\n"))
}

/// Whether the text of `letter.txt` is the letter inside the message. Trailing line ends do not
/// count. A `letter.txt` written by iep before 0.1 began with `Subject:`, `To:`, `Cc:` and
/// `Reply-By:` lines and a blank line; the letter after them is compared.
pub fn same_letter(letter_txt: &str, in_eml: &str) -> bool {
    let norm = |t: &str| t.replace("\r\n", "\n").trim_end_matches('\n').to_owned();
    let eml = norm(in_eml);
    norm(letter_txt) == eml
        || crate::case::record::legacy_body(letter_txt).is_some_and(|b| norm(b) == eml)
}

/// The message with its letter text replaced by `body`, encoded as iep encodes a letter (lettre's
/// plain-text part). Every header and every attachment is kept byte for byte: the Message-ID,
/// References and In-Reply-To stay, so the letter still threads. Checked by reading the result
/// back.
pub fn replace_text(bytes: &[u8], body: &str) -> Result<Vec<u8>> {
    let part = SinglePart::plain(body.to_owned()).formatted();
    let Some(end) = header_end(bytes) else {
        bail!("letter.eml has no end of headers");
    };
    let top = fields(&bytes[..end]);
    let content_type = header(bytes, "Content-Type").unwrap_or_default();
    let lower = content_type.to_ascii_lowercase();
    let out = if lower.starts_with("multipart/") {
        let Some(boundary) = boundary(&content_type) else {
            bail!("letter.eml is multipart but names no boundary");
        };
        let open = format!("--{boundary}\r\n");
        let body_at = end + 2;
        let Some(first) =
            find(&bytes[body_at..], open.as_bytes()).map(|i| body_at + i + open.len())
        else {
            bail!("letter.eml has no first part");
        };
        let close = format!("\r\n--{boundary}");
        let Some(stop) = find(&bytes[first..], close.as_bytes()).map(|i| first + i + 2) else {
            bail!("letter.eml's first part does not end");
        };
        let inner = header(&bytes[first..stop], "Content-Type").unwrap_or_default();
        if !inner.to_ascii_lowercase().starts_with("text/plain") {
            bail!("letter.eml's first part is not the letter's text ({inner})");
        }
        [&bytes[..first], &part, &bytes[stop..]].concat()
    } else if lower.is_empty() || lower.starts_with("text/plain") {
        let mut out = Vec::with_capacity(bytes.len());
        for f in &top {
            let name = f.name.to_ascii_lowercase();
            if name != "content-type" && name != "content-transfer-encoding" {
                out.extend_from_slice(&bytes[f.start..f.end]);
            }
        }
        out.extend_from_slice(&part);
        out
    } else {
        bail!("letter.eml is not a plain-text letter ({content_type})");
    };
    match letter_text(&out) {
        Some(t) if same_letter(body, &t) => Ok(out),
        _ => bail!("iep could not put the new text into letter.eml; it is left as it was"),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The `boundary` parameter of a Content-Type value.
fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EML: &[u8] = b"From: Jo <jo@example.org>\r\nSubject: a very long\r\n  folded subject\r\nDate: Mon, 23 Nov 2026 14:00:00 +0000\r\nX-Unsent: 1\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nDear Ms. Patel,\r\nDate: not a header\r\n";

    #[test]
    fn a_header_is_replaced_in_place_folded_lines_and_all_and_the_body_is_untouched() {
        let out = set_header(EML, "subject", Some("short")).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("From: Jo <jo@example.org>\r\nsubject: short\r\nDate: Mon"),
            "{text}"
        );
        assert!(!text.contains("folded subject"));
        let out = set_header(EML, "Date", Some("Tue, 24 Nov 2026 09:00:00 -0500")).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\r\nDate: Tue, 24 Nov 2026 09:00:00 -0500\r\nX-Unsent"));
        assert!(
            text.ends_with("\r\n\r\nDear Ms. Patel,\r\nDate: not a header\r\n"),
            "a body line that looks like a header is kept: {text}"
        );
        let out = set_header(EML, "X-Unsent", None).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("X-Unsent"), "{text}");
        assert_eq!(text.len(), EML.len() - "X-Unsent: 1\r\n".len());
        // Removing what is not there changes nothing; setting it adds it on top.
        assert_eq!(set_header(EML, "X-Other", None).unwrap(), EML);
        let out = set_header(EML, "Reply-To", Some("<a@b.c>")).unwrap();
        assert!(out.starts_with(b"Reply-To: <a@b.c>\r\nFrom: "));
        assert!(set_header(EML, "Date", Some("x\r\nBcc: y")).is_err());
        assert!(set_header(b"no headers at all", "Date", Some("x")).is_err());
        assert_eq!(
            header(EML, "subject").as_deref(),
            Some("a very long folded subject")
        );
    }

    #[test]
    fn the_letter_text_is_compared_with_old_headers_and_line_ends_forgiven() {
        assert_eq!(
            letter_text(EML).as_deref(),
            Some("Dear Ms. Patel,\nDate: not a header\n")
        );
        assert!(same_letter(
            "Dear Ms. Patel,\nDate: not a header",
            "Dear Ms. Patel,\nDate: not a header\n"
        ));
        assert!(!same_letter("Dear Ms Patel,\n", "Dear Ms. Patel,\n"));
        let old =
            "Subject: Scribe\nTo: Ms. Patel <a@b.c>\nReply-By: 2026-12-07\n\nDear Ms. Patel,\n";
        assert_eq!(
            crate::case::record::legacy_body(old),
            Some("Dear Ms. Patel,\n")
        );
        assert!(same_letter(old, "Dear Ms. Patel,\n"));
        assert_eq!(
            crate::case::record::legacy_body("Dear Ms. Patel,\n\nTo: you\n"),
            None
        );
        assert_eq!(
            crate::case::record::legacy_body("To: you\nno blank line"),
            None
        );
    }

    #[test]
    fn an_edit_replaces_the_text_part_only() {
        let body = "Dear Ms. Patel,\n\nThe scribe is still missing — ça suffit.\n.\n";
        let out = replace_text(EML, body).unwrap();
        // lettre ends a part with a line break of its own.
        assert_eq!(letter_text(&out).unwrap(), format!("{body}\n"));
        let text = String::from_utf8_lossy(&out);
        assert!(text.starts_with("From: Jo <jo@example.org>\r\nSubject: a very long\r\n  folded subject\r\nDate: Mon, 23 Nov 2026 14:00:00 +0000\r\nX-Unsent: 1\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"), "{text}");
        assert_eq!(text.matches("Content-Type").count(), 1, "{text}");

        let mixed = b"From: a@b.c\r\nMessage-ID: <1@b.c>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed;\r\n boundary=\"XyZ\"\r\n\r\n--XyZ\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nold text\r\n--XyZ\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 7bit\r\n\r\nattached\r\n--XyZ--\r\n";
        let out = replace_text(mixed, "new text\n").unwrap();
        assert!(same_letter("new text\n", &letter_text(&out).unwrap()));
        let text = String::from_utf8_lossy(&out);
        assert!(
            text.starts_with("From: a@b.c\r\nMessage-ID: <1@b.c>\r\n"),
            "{text}"
        );
        assert!(text.ends_with("\r\n--XyZ\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 7bit\r\n\r\nattached\r\n--XyZ--\r\n"), "{text}");
        assert!(!text.contains("old text"));
        let html = b"From: a@b.c\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n";
        assert!(replace_text(html, "x").is_err());
    }
}
