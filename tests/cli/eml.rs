//! The `.eml` file: headers a mail program reads back exactly, names and subjects in any
//! language, domains in their IDNA form, lines of legal length, threading of follow-ups,
//! attachments in base64, and the draft mark that makes Outlook open it ready to send.

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
    // The thread's subject, once "Re:", so Gmail and Outlook keep the conversation together.
    let first = a.subject().unwrap();
    assert_eq!(first, "Sam Lee: evidence of progress on an IEP goal");
    assert_eq!(b.subject(), Some(format!("Re: {first}").as_str()));
    assert_eq!(c.subject(), Some(format!("Re: {first}").as_str()));
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
    assert!(
        record.contains("subject = \"Re: Sam Lee: evidence of progress on an IEP goal\""),
        "the record keeps the subject the school sees: {record}"
    );
}

#[test]
fn a_follow_up_by_another_letter_takes_the_first_letters_subject() {
    let sb = Sandbox::new();
    sb.init_case(&[]);
    let write = |day: &str, args: &[&str]| {
        sb.iep().in_dir("sam").env("IEP_TODAY", day).args(args).ok();
    };
    write(
        "2026-11-02",
        &[
            "observe",
            "--date",
            "2026-10-30",
            "--support",
            "Access to a scribe",
            "--what",
            "no scribe for the unit test",
        ],
    );
    write(
        "2026-11-02",
        &[
            "write",
            "implementation-concern",
            "--no-input",
            "-s",
            "support=Access to a scribe",
        ],
    );
    write(
        "2026-11-20",
        &[
            "write",
            "progress-evidence",
            "--no-input",
            "-s",
            "goal=Sam will read aloud.",
            "--follow-up",
            "2026-11-02",
        ],
    );
    let eml = std::fs::read(
        sb.path()
            .join("sam/records/2026-11-20-progress-evidence/letter.eml"),
    )
    .unwrap();
    let m = MessageParser::default().parse(&eml).unwrap();
    assert_eq!(
        m.subject(),
        Some("Re: Sam Lee: a support in the IEP is not happening")
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

#[test]
fn the_eml_opens_as_a_draft_with_ascii_headers_of_legal_length() {
    let sb = Sandbox::new();
    let answers = sb.fixture_answers("implementation-concern");
    // 200 characters, the most a name may have, with accents to encode.
    let long: String = "Wīrihana-Ngāta ".repeat(14).chars().take(199).collect();
    let long = format!("{long}ā");
    assert_eq!(long.chars().count(), 200);
    let write = |sets: &[String]| {
        let mut args = vec![
            "write".to_owned(),
            "implementation-concern".into(),
            "-j".into(),
            "new-zealand".into(),
            "--date".into(),
            "2026-11-23".into(),
            "--answers".into(),
            answers.display().to_string(),
            "--set".into(),
            "grade=Year 5".into(),
            "--output".into(),
            "letter.eml".into(),
            "--force".into(),
        ];
        for s in sets {
            args.extend(["--set".to_owned(), s.clone()]);
        }
        sb.iep().args(args)
    };
    write(&[
        "sender_email=mere@kōrero.example.nz".into(),
        "recipient_email=whaea.wirihana@kura.māori.nz".into(),
        format!("recipient_name={long}"),
    ])
    .ok();
    let raw = std::fs::read(sb.path().join("letter.eml")).unwrap();
    assert!(raw.starts_with(b"X-Unsent: 1\r\n"), "the first line");
    assert_crlf_only(&raw);
    let head = &raw[..raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap()];
    assert!(head.is_ascii(), "no raw UTF-8 in a header");
    for line in String::from_utf8_lossy(&raw).split("\r\n") {
        assert!(line.len() <= 998, "a line over 998 octets: {line}");
    }
    for line in String::from_utf8_lossy(head).split("\r\n") {
        // lettre folds names into encoded words; only the address follows the last one.
        assert!(line.len() <= 78 || line.ends_with('>'), "{line}");
    }
    let m = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(m.header_raw("X-Unsent").map(str::trim), Some("1"));
    let from = m.from().unwrap().first().unwrap();
    assert_eq!(from.address(), Some("mere@xn--krero-g9a.example.nz"));
    let id = m.message_id().unwrap();
    assert!(id.ends_with(".iep@xn--krero-g9a.example.nz"), "{id}");
    let to = m.to().unwrap().first().unwrap();
    assert_eq!(to.address(), Some("whaea.wirihana@kura.xn--mori-qsa.nz"));
    assert_eq!(to.name(), Some(long.as_str()));

    // Refused at the question, with what to do, and nothing written.
    std::fs::remove_file(sb.path().join("letter.eml")).unwrap();
    let err = write(&[format!("recipient_name={long}x")]).fails();
    assert!(
        err.contains("a name can be at most 200") && err.contains("Shorten it"),
        "{err}"
    );
    let err = write(&["recipient_email=mēre@school.example.nz".into()]).fails();
    assert!(
        err.contains("accented letters before the @") && err.contains("check it with the school"),
        "{err}"
    );
    assert!(!sb.path().join("letter.eml").exists());
}
