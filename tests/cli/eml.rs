//! The `.eml` file: headers a mail program reads back exactly, names and subjects in any
//! language, threading of follow-ups, attachments in base64.

use mail_parser::{Encoding, MessageParser, MimeHeaders as _};

use crate::support::Sandbox;

#[test]
fn an_eml_reads_back_with_unicode_names_and_subject() {
    let sb = Sandbox::new();
    let answers = sb.fixture_answers("implementation-concern");
    sb.iep()
        .args([
            "write",
            "implementation-concern",
            "-j",
            "new-zealand",
            "--date",
            "2026-11-23",
            "--answers",
            &answers.display().to_string(),
            "--set",
            "child_name=Aroha Ngāta",
            "--set",
            "sender_name=Mere Ngāta",
            "--set",
            "recipient_name=Whaea Wīrihana",
            "--set",
            "grade=Year 5",
            "--output",
            "letter.eml",
        ])
        .ok();
    let raw = std::fs::read(sb.path().join("letter.eml")).unwrap();
    let head = &raw[..raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap()];
    assert!(head.is_ascii(), "headers are encoded, not raw UTF-8");
    let m = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(
        m.subject(),
        Some("Aroha Ngāta: a support in the IEP is not happening")
    );
    let from = m.from().unwrap().first().unwrap();
    assert_eq!(from.name(), Some("Mere Ngāta"));
    assert_eq!(from.address(), Some("jordan@example.org"));
    let to = m.to().unwrap().first().unwrap();
    assert_eq!(to.name(), Some("Whaea Wīrihana"));
    assert_eq!(to.address(), Some("a.patel@school.example.org"));
    assert!(m.message_id().unwrap().ends_with(".iep@example.org"));
    assert!(m.date().is_some());
    let body = m.body_text(0).unwrap();
    assert!(body.contains("Dear Whaea Wīrihana,"), "{body}");
    assert!(body.contains("Aroha"), "{body}");
    assert_eq!(m.attachment_count(), 0);
}

#[test]
fn a_follow_up_is_threaded_to_the_letter_it_follows() {
    let sb = Sandbox::new();
    sb.init_case(&[]);
    let write = |day: &str, extra: &[&str]| {
        let mut args = vec![
            "write",
            "progress-evidence",
            "--no-input",
            "-s",
            "goal=Sam will read aloud.",
        ];
        args.extend_from_slice(extra);
        sb.iep()
            .in_dir("sam")
            .env("IEP_TODAY", day)
            .args(&args)
            .ok();
    };
    write("2026-11-02", &[]);
    write("2026-11-20", &["--follow-up", "2026-11-02"]);
    write("2026-12-10", &["--follow-up", "2026-11-20"]);
    let parse =
        |id: &str| std::fs::read(sb.path().join(format!("sam/records/{id}/letter.eml"))).unwrap();
    let (a, b, c) = (
        parse("2026-11-02-progress-evidence"),
        parse("2026-11-20-progress-evidence"),
        parse("2026-12-10-progress-evidence"),
    );
    let p = MessageParser::default();
    let (a, b, c) = (
        p.parse(&a).unwrap(),
        p.parse(&b).unwrap(),
        p.parse(&c).unwrap(),
    );
    let (ida, idb) = (a.message_id().unwrap(), b.message_id().unwrap());
    assert_ne!(ida, idb);
    assert_eq!(b.in_reply_to().as_text(), Some(ida));
    assert_eq!(c.in_reply_to().as_text(), Some(idb));
    let refs: Vec<&str> = c
        .references()
        .as_text_list()
        .unwrap()
        .iter()
        .map(|s| s.as_ref())
        .collect();
    assert_eq!(
        refs,
        [ida, idb],
        "references list the whole thread, oldest first"
    );
    let record = std::fs::read_to_string(
        sb.path()
            .join("sam/records/2026-11-20-progress-evidence/record.toml"),
    )
    .unwrap();
    assert!(
        record.contains(&format!("message-id = \"<{idb}>\"")),
        "{record}"
    );
}

#[test]
fn an_attachment_is_in_the_email_and_listed_under_enclosures() {
    let sb = Sandbox::new();
    let answers = sb.fixture_answers("progress-evidence");
    let missing = sb
        .iep()
        .args([
            "write",
            "progress-evidence",
            "-j",
            "ontario",
            "--date",
            "2026-11-23",
            "--answers",
            &answers.display().to_string(),
            "--attach",
            "nope.pdf",
            "--output",
            "letter.eml",
        ])
        .fails();
    assert!(
        missing.contains("cannot attach") && missing.contains("nope.pdf"),
        "{missing}"
    );
    sb.file("Psychoeducational report.pdf", "%PDF-1.4 a report");
    sb.iep()
        .args([
            "write",
            "progress-evidence",
            "-j",
            "ontario",
            "--date",
            "2026-11-23",
            "--answers",
            &answers.display().to_string(),
            "--attach",
            "Psychoeducational report.pdf",
            "--output",
            "letter.eml",
        ])
        .ok();
    let raw = std::fs::read(sb.path().join("letter.eml")).unwrap();
    let m = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(m.attachment_count(), 1);
    let a = m.attachment(0).unwrap();
    assert_eq!(a.attachment_name(), Some("Psychoeducational report.pdf"));
    assert_eq!(a.contents(), b"%PDF-1.4 a report");
    let body = m.body_text(0).unwrap().replace("\r\n", "\n");
    assert!(
        body.contains("Enclosures:\n- Psychoeducational report.pdf"),
        "{body}"
    );
}

/// Every line of an `.eml` ends in CRLF: a bare LF or CR anywhere is a defect that servers
/// guarding against SMTP smuggling refuse.
fn assert_crlf_only(raw: &[u8]) {
    for (i, &b) in raw.iter().enumerate() {
        if b == b'\n' {
            assert!(i > 0 && raw[i - 1] == b'\r', "a bare LF at byte {i}");
        }
        if b == b'\r' {
            assert_eq!(raw.get(i + 1), Some(&b'\n'), "a bare CR at byte {i}");
        }
    }
}

#[test]
fn attachments_go_as_base64_and_read_back_byte_for_byte() {
    let sb = Sandbox::new();
    let answers = sb.fixture_answers("progress-evidence");
    // ASCII text with bare line ends: lettre alone would have sent it as 7bit, as it is.
    sb.file("x.pdf", "a\nb\n");
    let accented = "Relevé de notes de l'élève, année scolaire 2026-2027.pdf";
    sb.file(accented, "%PDF-1.4 é");
    sb.iep()
        .args([
            "write",
            "progress-evidence",
            "-j",
            "ontario",
            "--date",
            "2026-11-23",
            "--answers",
            &answers.display().to_string(),
            "--attach",
            "x.pdf",
            "--attach",
            accented,
            "--output",
            "letter.eml",
        ])
        .ok();
    let raw = std::fs::read(sb.path().join("letter.eml")).unwrap();
    assert_crlf_only(&raw);
    let m = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(m.attachment_count(), 2);
    for (i, (name, bytes)) in [("x.pdf", "a\nb\n"), (accented, "%PDF-1.4 é")]
        .into_iter()
        .enumerate()
    {
        let a = m.attachment(i as u32).unwrap();
        assert_eq!(a.encoding, Encoding::Base64, "{name}");
        assert_eq!(a.contents(), bytes.as_bytes(), "{name}");
        assert_eq!(a.attachment_name(), Some(name));
        // The name also in Content-Type, for mail programs that look only there.
        assert_eq!(
            a.content_type().and_then(|t| t.attribute("name")),
            Some(name)
        );
    }
    let text = String::from_utf8(raw).unwrap();
    assert!(
        text.contains("Content-Type: application/pdf; name=\"x.pdf\"\r\n"),
        "{text}"
    );
}
