//! Sending against the tests' own SMTP server on 127.0.0.1: plain and STARTTLS delivery, AUTH
//! accepted and refused, 4xx and 5xx at MAIL, RCPT and DATA, a server that stalls, and no
//! server at all. Every failure leaves the letter queued with the reason in its history.

use mail_parser::MessageParser;

use crate::smtp_server::{Behaviour, Server, Stage, tls_config};
use crate::support::{Ran, Sandbox};

pub const PASSWORD: &str = "s3cret-Pa55";
pub const RECORD: &str = "2026-11-23-implementation-concern";

/// A case with one recorded letter (and its .eml) to Ms. Patel, copied to Mr. Tran.
pub fn case_with_letter() -> Sandbox {
    let sb = Sandbox::new();
    sb.init_case(&["-s", "child_name=Sam Lée", "-s", "sender_name=Jordan Lée"]);
    sb.iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-23")
        .args([
            "observe",
            "--date",
            "2026-11-04",
            "--support",
            "Access to a scribe",
            "--what",
            "no scribe for the unit test",
        ])
        .ok();
    sb.iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-23")
        .args([
            "write",
            "implementation-concern",
            "--no-input",
            "-s",
            "support=Access to a scribe",
        ])
        .ok();
    sb
}

/// Sets up the account for `server` (security "none", or "starttls"/"tls" with `ca` trusted).
fn configure(sb: &Sandbox, port: u16, security: &str, ca: Option<&str>, timeout: u32) {
    configure_with(sb, port, security, ca, timeout, &[]);
}

pub fn configure_with(
    sb: &Sandbox,
    port: u16,
    security: &str,
    ca: Option<&str>,
    timeout: u32,
    more: &[&str],
) {
    let mut args = vec![
        "config".to_owned(),
        "smtp".into(),
        "--no-input".into(),
        "-s".into(),
        "address=jordan@example.org".into(),
        "-s".into(),
        format!(
            "host={}",
            if ca.is_some() {
                "localhost"
            } else {
                "127.0.0.1"
            }
        ),
        "-s".into(),
        format!("security={security}"),
        "-s".into(),
        format!("port={port}"),
        "-s".into(),
        format!("timeout={timeout}"),
    ];
    if let Some(ca) = ca {
        let path = sb.file("ca.pem", ca);
        args.extend(["-s".into(), format!("ca_file={}", path.display())]);
    }
    for m in more {
        args.extend(["-s".into(), (*m).to_owned()]);
    }
    sb.iep().args(&args).ok();
}

pub fn send(sb: &Sandbox, password: &str, args: &[&str]) -> Ran {
    sb.iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-23")
        .env("IEP_SMTP_PASSWORD", password)
        .args(["send"].iter().chain(args))
        .run()
}

pub fn history(sb: &Sandbox) -> String {
    sb.read(&format!("sam/records/{RECORD}/record.toml"))
}

fn login() -> Behaviour {
    Behaviour {
        login: Some(("jordan@example.org".into(), PASSWORD.into())),
        ..Behaviour::default()
    }
}

#[test]
fn a_letter_is_delivered_and_the_bytes_read_back() {
    let sb = case_with_letter();
    let server = Server::start(login());
    configure(&sb, server.port, "none", None, 10);

    // A dry run prints the message and sends nothing.
    let dry = send(&sb, PASSWORD, &[RECORD, "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(dry.stdout.contains("Message-ID: <"), "{}", dry.stdout);
    assert!(server.received().is_empty());
    // Without a terminal, nothing is sent unless the command says --yes.
    let refused = send(&sb, PASSWORD, &[RECORD]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("add --yes"), "{}", refused.stderr);
    assert!(server.received().is_empty());
    assert!(!history(&sb).contains("status = \"sent\""));

    let ran = send(&sb, PASSWORD, &[RECORD, "--yes"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].authed_as.as_deref(), Some("jordan@example.org"));
    assert_eq!(got[0].from, "jordan@example.org");
    assert_eq!(
        got[0].to,
        ["a.patel@school.example.org", "jordan@example.org"],
        "to, then the blind copy to the sender"
    );
    let eml = std::fs::read(sb.path().join(format!("sam/records/{RECORD}/letter.eml"))).unwrap();
    // Exactly the recorded bytes but for the Date line (the moment of sending) and the draft
    // mark that is only for the parent's own mail program, plus the line break lettre puts
    // before SMTP's closing dot; and those bytes are kept as sent.eml.
    let without_date = |b: &[u8]| -> String {
        String::from_utf8_lossy(b)
            .split("\r\n")
            .filter(|l| !l.starts_with("Date: "))
            .collect::<Vec<_>>()
            .join("\r\n")
    };
    let mut expected = eml
        .strip_prefix(b"X-Unsent: 1\r\n".as_slice())
        .expect("the recorded .eml opens as a draft")
        .to_vec();
    expected.extend_from_slice(b"\r\n");
    assert!(
        without_date(&got[0].data) == without_date(&expected),
        "exactly the recorded .eml was sent"
    );
    let kept = std::fs::read(sb.path().join(format!("sam/records/{RECORD}/sent.eml"))).unwrap();
    assert!(
        kept == got[0].data,
        "sent.eml holds the bytes the server accepted"
    );
    assert!(!String::from_utf8_lossy(&got[0].data).contains("X-Unsent"));
    let m = MessageParser::default().parse(&got[0].data).unwrap();
    assert_eq!(
        m.subject(),
        Some("Sam Lée: a support in the IEP is not happening")
    );
    assert_eq!(
        m.from().unwrap().first().unwrap().name(),
        Some("Jordan Lée")
    );
    assert!(m.body_text(0).unwrap().contains("Dear Ms. Patel,"));

    let h = history(&sb);
    assert!(h.contains("status = \"sent\""), "{h}");
    assert!(
        h.contains("accepted by 127.0.0.1: 250 2.0.0 OK queued as 42"),
        "{h}"
    );
    // Sent once; a second send needs --again.
    let again = send(&sb, PASSWORD, &[RECORD, "--yes"]);
    assert!(again.stderr.contains("already sent"), "{}", again.stderr);

    // The password is in no file iep wrote.
    for dir in ["sam", "home"] {
        let mut stack = vec![sb.path().join(dir)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let bytes = std::fs::read(&p).unwrap();
                    assert!(
                        !String::from_utf8_lossy(&bytes).contains(PASSWORD),
                        "{}",
                        p.display()
                    );
                }
            }
        }
    }
}

#[test]
fn starttls_with_a_test_certificate_delivers_over_tls() {
    let sb = case_with_letter();
    let (tls, pem) = tls_config();
    let server = Server::start(Behaviour {
        tls: Some(tls),
        ..login()
    });
    configure(&sb, server.port, "starttls", Some(&pem), 10);
    let test = sb
        .iep()
        .env("IEP_SMTP_PASSWORD", PASSWORD)
        .args(["config", "smtp", "--test"])
        .run();
    assert_eq!(test.code, 0, "{}", test.stderr);
    assert!(test.stderr.contains("It works"), "{}", test.stderr);
    let ran = send(&sb, PASSWORD, &[RECORD, "--yes"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert!(got[0].over_tls, "the message went after STARTTLS");
    // Nothing was said in the clear after the greeting but EHLO and STARTTLS.
    let lines = server.lines.lock().unwrap().clone();
    let starttls = lines.iter().position(|l| l == "STARTTLS").unwrap();
    assert!(
        lines[..starttls].iter().all(|l| l.starts_with("EHLO")),
        "{lines:?}"
    );
}

#[test]
fn every_failure_is_explained_recorded_and_leaves_the_letter_in_the_outbox() {
    struct Case {
        behaviour: Behaviour,
        password: &'static str,
        says: &'static [&'static str],
        /// "failed" (tried again by --queued) or "refused" (waits for the parent).
        status: &'static str,
    }
    let fail = |stage, reply: &str| Behaviour {
        fail: Some((stage, reply.to_owned())),
        ..login()
    };
    let cases = [
        Case {
            behaviour: login(),
            password: "wrong",
            says: &["did not accept your user name and password"],
            status: "failed",
        },
        Case {
            behaviour: fail(Stage::Mail, "451 4.3.0 try again later"),
            password: PASSWORD,
            says: &["asked to try again later (451 4.3.0 try again later)"],
            status: "failed",
        },
        Case {
            behaviour: fail(Stage::Rcpt, "550 5.1.1 no such user"),
            password: PASSWORD,
            says: &[
                "refused an address the letter goes to (550 5.1.1 no such user)",
                "Check the address",
            ],
            status: "refused",
        },
        Case {
            behaviour: fail(Stage::Data, "452 4.3.1 mailbox full"),
            password: PASSWORD,
            says: &["asked to try again later"],
            status: "failed",
        },
        Case {
            behaviour: fail(Stage::Data, "554 5.6.0 message rejected"),
            password: PASSWORD,
            says: &["refused the letter (554 5.6.0 message rejected)", "spam"],
            status: "refused",
        },
        Case {
            behaviour: fail(Stage::Data, "552 5.3.4 message too big"),
            password: PASSWORD,
            says: &["too big", "attachment"],
            status: "refused",
        },
        Case {
            behaviour: fail(Stage::Data, "550 5.7.1 policy violation"),
            password: PASSWORD,
            says: &["refused the letter (550 5.7.1 policy violation)", "rules"],
            status: "refused",
        },
        Case {
            behaviour: Behaviour {
                stall: true,
                ..login()
            },
            password: PASSWORD,
            says: &["did not answer within 1 seconds"],
            status: "failed",
        },
    ];
    for (n, c) in cases.into_iter().enumerate() {
        let sb = case_with_letter();
        let server = Server::start(c.behaviour);
        configure(&sb, server.port, "none", None, 1);
        let ran = send(&sb, c.password, &[RECORD, "--yes"]);
        assert_eq!(ran.code, 1, "case {n}: {}", ran.stderr);
        for says in c.says {
            assert!(ran.stderr.contains(says), "case {n}: {}", ran.stderr);
        }
        // No code said twice ("535: permanent error (535)").
        assert!(!ran.stderr.contains("error ("), "case {n}: {}", ran.stderr);
        let next = if c.status == "failed" {
            "`iep send --queued` tries again"
        } else {
            "`iep send --queued` will not try it again"
        };
        assert!(ran.stderr.contains(next), "case {n}: {}", ran.stderr);
        assert!(server.received().is_empty(), "case {n}");
        assert_eq!(statuses(&sb), ["written", "sending", c.status], "case {n}");
        let outbox = sb.iep().in_dir("sam").args(["outbox"]).ok();
        assert!(
            outbox.stdout.contains(RECORD),
            "case {n}: {}",
            outbox.stdout
        );
    }

    // No server listening at all; then the server is back and the queue is sent.
    let sb = case_with_letter();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    configure(&sb, closed, "none", None, 2);
    let ran = send(&sb, PASSWORD, &[RECORD, "--yes"]);
    assert!(
        ran.stderr.contains("nothing answered at 127.0.0.1"),
        "{}",
        ran.stderr
    );
    let server = Server::start(login());
    configure(&sb, server.port, "none", None, 5);
    let ran = send(&sb, PASSWORD, &["--queued", "--yes"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(server.received().len(), 1);
    assert_eq!(
        statuses(&sb),
        ["written", "sending", "failed", "sending", "sent"]
    );
    let outbox = sb.iep().in_dir("sam").args(["outbox"]).ok();
    assert!(outbox.stdout.is_empty());
}

#[test]
fn implicit_tls_on_its_own_port_and_an_xoauth2_token_from_the_password_command() {
    let sb = case_with_letter();
    let (tls, pem) = tls_config();
    let server = Server::start(Behaviour {
        implicit_tls: Some(tls),
        token: Some("ya29.test-token".into()),
        ..login()
    });
    configure_with(
        &sb,
        server.port,
        "tls",
        Some(&pem),
        10,
        &[
            "auth=xoauth2",
            "password_command=echo ya29.test-token",
            "reply_to=jordan.home@example.org",
        ],
    );
    // The dry run shows exactly what will be sent, Reply-To included.
    let dry = send(&sb, "", &[RECORD, "--dry-run"]);
    assert!(
        dry.stdout
            .starts_with("Reply-To: <jordan.home@example.org>\r\nFrom: "),
        "{}",
        dry.stdout
    );
    // No IEP_SMTP_PASSWORD: the token comes from the command.
    let ran = sb
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-23")
        .args(["send", RECORD, "--yes"])
        .run();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert!(got[0].over_tls);
    assert_eq!(got[0].authed_as.as_deref(), Some("jordan@example.org"));
    let m = MessageParser::default().parse(&got[0].data).unwrap();
    let reply_to = m.reply_to().unwrap().first().unwrap();
    assert_eq!(reply_to.address(), Some("jordan.home@example.org"));
    assert!(history(&sb).contains("(with Reply-To: jordan.home@example.org)"));
}

#[test]
fn a_certificate_that_cannot_be_trusted_is_a_plain_tls_failure() {
    let sb = case_with_letter();
    let (tls, _pem) = tls_config();
    let server = Server::start(Behaviour {
        tls: Some(tls),
        ..login()
    });
    // The server's certificate is self-signed and not given as ca_file: it must be refused.
    configure(&sb, server.port, "starttls", None, 10);
    let ran = send(&sb, PASSWORD, &[RECORD, "--yes"]);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("the certificate of 127.0.0.1:")
            && ran
                .stderr
                .contains("is not signed by an authority this computer trusts")
            && ran.stderr.contains("ca_file"),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains("UnknownIssuer"), "{}", ran.stderr);
    assert!(server.received().is_empty());
    assert!(history(&sb).contains("status = \"failed\""));
}

#[test]
fn lines_that_start_with_a_dot_arrive_intact() {
    let sb = case_with_letter();
    let server = Server::start(login());
    configure(&sb, server.port, "none", None, 10);
    // A body line that is a lone dot would end the message early if it were not doubled.
    let editor = sb.file(
        "dots.sh",
        "#!/bin/sh\nprintf '.\\n.hidden line\\n..two dots\\n' >> \"$1\"\n",
    );
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o700)).unwrap();
    sb.iep()
        .in_dir("sam")
        .env("VISUAL", &editor.display().to_string())
        .args(["edit", RECORD])
        .ok();
    let path = sb.path().join(format!("sam/records/{RECORD}/letter.eml"));
    let eml = std::fs::read(&path).unwrap();
    assert!(
        String::from_utf8_lossy(&eml).contains("\r\n.\r\n.hidden line\r\n..two dots\r\n"),
        "{}",
        String::from_utf8_lossy(&eml)
    );
    let ran = send(&sb, PASSWORD, &[RECORD, "--yes"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let expected = std::fs::read(sb.path().join(format!("sam/records/{RECORD}/sent.eml"))).unwrap();
    assert!(
        server.received()[0].data == expected,
        "dot lines were changed on the way"
    );
    assert!(String::from_utf8_lossy(&expected).contains("\r\n.\r\n.hidden line\r\n..two dots\r\n"));
}

#[test]
fn a_password_never_shows_and_a_failed_password_command_is_queued() {
    let sb = case_with_letter();
    let server = Server::start(login());
    // A parent typed the password where the command goes (by hand: `iep config smtp` refuses
    // it): it is not found, and not repeated.
    configure(&sb, server.port, "none", None, 5);
    let path = sb.path().join("home/.config/iep/smtp.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("password_command = \"\"\n"), "{text}");
    let text = text.replace(
        "password_command = \"\"",
        &format!("password_command = \"{PASSWORD}\""),
    );
    std::fs::write(&path, &text).unwrap();
    let ran = sb
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-23")
        .args(["send", RECORD, "--yes"])
        .run();
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("not the password itself"),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains(PASSWORD) && !ran.stdout.contains(PASSWORD));
    assert!(!history(&sb).contains(PASSWORD));
    assert!(
        history(&sb).contains("status = \"failed\""),
        "the failure is recorded"
    );
    let outbox = sb.iep().in_dir("sam").args(["outbox"]).ok();
    assert!(outbox.stdout.contains(RECORD));
    // A password is refused as a setting, whichever way it comes.
    let set = sb
        .iep()
        .args([
            "config",
            "smtp",
            "--no-input",
            "--set",
            &format!("password={PASSWORD}"),
        ])
        .fails();
    assert!(
        set.contains("never keeps a password") && !set.contains(PASSWORD),
        "{set}"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}password = \"{PASSWORD}\"\n")).unwrap();
    let hand = send(&sb, PASSWORD, &["--queued", "--yes"]);
    assert!(
        hand.stderr.contains("never keeps a password in a file"),
        "{}",
        hand.stderr
    );
    assert!(!hand.stderr.contains(&format!("\"{PASSWORD}\"")));
}

#[test]
fn a_letter_sent_before_does_not_hold_up_the_outbox() {
    let sb = case_with_letter();
    let server = Server::start(login());
    configure(&sb, server.port, "none", None, 5);
    send(&sb, PASSWORD, &[RECORD, "--yes"]);
    // Sent again with --again, and that fails: it is in the outbox, and --queued retries it.
    let wrong = send(&sb, "wrong", &[RECORD, "--yes", "--again"]);
    assert_eq!(wrong.code, 1);
    let retry = send(&sb, PASSWORD, &["--queued", "--yes"]);
    assert_eq!(retry.code, 0, "{}", retry.stderr);
    assert_eq!(server.received().len(), 2);
    assert_eq!(
        statuses(&sb),
        [
            "written", "sending", "sent", "sending", "failed", "sending", "sent"
        ]
    );
}

/// The statuses in the record's history, in order.
fn statuses(sb: &Sandbox) -> Vec<String> {
    history(sb)
        .lines()
        .filter_map(|l| l.strip_prefix("status = "))
        .map(|s| s.trim_matches('"').to_owned())
        .collect()
}

/// Starts `iep send ARGS` twice at the same moment and waits for both.
fn send_twice_at_once(sb: &Sandbox, args: &[&str]) -> [Ran; 2] {
    use std::process::Stdio;
    let spawn = || {
        sb.iep()
            .in_dir("sam")
            .env("IEP_TODAY", "2026-11-23")
            .env("IEP_SMTP_PASSWORD", PASSWORD)
            .args(["send"].iter().chain(args))
            .command()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    [a, b].map(|child| {
        let out = crate::support::wait_with_deadline(child, crate::support::DEADLINE, "iep send");
        Ran {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    })
}

fn slow_server() -> Server {
    Server::start(Behaviour {
        answer_after: Some(std::time::Duration::from_millis(800)),
        ..login()
    })
}

#[test]
fn two_sends_at_once_deliver_once() {
    let sb = case_with_letter();
    let server = slow_server();
    configure(&sb, server.port, "none", None, 10);
    let runs = send_twice_at_once(&sb, &[RECORD, "--yes"]);
    assert_eq!(server.received().len(), 1, "{runs:?}");
    assert_eq!(statuses(&sb), ["written", "sending", "sent"], "{runs:?}");
    let [a, b] = &runs;
    let (ok, other) = if a.code == 0 { (a, b) } else { (b, a) };
    assert_eq!(ok.code, 0, "{runs:?}");
    assert_eq!(other.code, 1, "{runs:?}");
    assert!(
        other
            .stderr
            .contains("another iep is sending this letter right now")
            || other.stderr.contains("already sent"),
        "{}",
        other.stderr
    );

    // Two `--queued` at once: the failed letter goes once.
    let sb = case_with_letter();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    configure(&sb, closed, "none", None, 2);
    send(&sb, PASSWORD, &[RECORD, "--yes"]);
    let server = slow_server();
    configure(&sb, server.port, "none", None, 10);
    let runs = send_twice_at_once(&sb, &["--queued", "--yes"]);
    assert_eq!(server.received().len(), 1, "{runs:?}");
    assert_eq!(
        statuses(&sb),
        ["written", "sending", "failed", "sending", "sent"],
        "{runs:?}"
    );
    assert!(runs.iter().all(|r| r.code == 0), "{runs:?}");
}

#[test]
fn a_run_killed_mid_send_never_leads_to_a_second_delivery_without_again() {
    for (step, delivered) in [("send:after-delivery", 1), ("send:before-connect", 0)] {
        let sb = case_with_letter();
        let server = Server::start(login());
        configure(&sb, server.port, "none", None, 10);
        let killed = sb
            .iep()
            .in_dir("sam")
            .env("IEP_TODAY", "2026-11-23")
            .env("IEP_SMTP_PASSWORD", PASSWORD)
            .env("IEP_FAILPOINT", step)
            .args(["send", RECORD, "--yes"])
            .run();
        assert_ne!(killed.code, 0, "{step}");
        assert_eq!(server.received().len(), delivered, "{step}");
        assert_eq!(statuses(&sb), ["written", "sending"], "{step}");
        // --queued does not take it: it may have arrived.
        let queued = send(&sb, PASSWORD, &["--queued", "--yes"]);
        assert_eq!(queued.code, 0, "{step}: {}", queued.stderr);
        assert!(
            queued.stderr.contains("Left in the outbox")
                && queued.stderr.contains("may have arrived"),
            "{step}: {}",
            queued.stderr
        );
        let outbox = sb.iep().in_dir("sam").args(["outbox"]).ok();
        assert!(outbox.stdout.contains(RECORD), "{}", outbox.stdout);
        // Nor does sending it by name without --again.
        let again = send(&sb, PASSWORD, &[RECORD, "--yes"]);
        assert_eq!(again.code, 1, "{step}");
        assert!(
            again.stderr.contains("may already have arrived")
                && again.stderr.contains("Sent folder")
                && again.stderr.contains(&format!("iep send {RECORD} --again")),
            "{step}: {}",
            again.stderr
        );
        assert_eq!(server.received().len(), delivered, "{step}");
        assert_eq!(
            statuses(&sb),
            ["written", "sending", "not-confirmed"]
                .map(|s| s.replace("not-confirmed", "unconfirmed")),
            "{step}"
        );
        // With --again it goes.
        let ran = send(&sb, PASSWORD, &[RECORD, "--yes", "--again"]);
        assert_eq!(ran.code, 0, "{step}: {}", ran.stderr);
        assert_eq!(server.received().len(), delivered + 1, "{step}");
    }
}

fn record_file(sb: &Sandbox, name: &str) -> std::path::PathBuf {
    sb.path().join(format!("sam/records/{RECORD}/{name}"))
}

/// A script that, as the editor, adds a postscript to the file it is given.
fn postscript_editor(sb: &Sandbox) -> String {
    let path = sb.file(
        "editor.sh",
        "#!/bin/sh\nprintf '\\nP.S. The scribe was absent again on Friday.\\n' >> \"$1\"\n",
    );
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).unwrap();
    path.display().to_string()
}

#[test]
fn an_edited_letter_is_refused_until_iep_edit_makes_the_email_match() {
    let sb = case_with_letter();
    let server = Server::start(login());
    configure(&sb, server.port, "none", None, 10);
    let before = std::fs::read(record_file(&sb, "letter.eml")).unwrap();
    let id_before = MessageParser::default()
        .parse(&before)
        .unwrap()
        .message_id()
        .unwrap()
        .to_owned();
    // Changed by hand, as `sed -i` would.
    let txt = record_file(&sb, "letter.txt");
    let text = std::fs::read_to_string(&txt).unwrap();
    std::fs::write(&txt, text.replace("Dear Ms. Patel", "Dear Principal Patel")).unwrap();
    for args in [&[RECORD, "--dry-run"][..], &[RECORD, "--yes"]] {
        let ran = send(&sb, PASSWORD, args);
        assert_eq!(ran.code, 1, "{args:?}: {}", ran.stderr);
        assert!(ran.stdout.is_empty(), "{}", ran.stdout);
        assert!(
            ran.stderr
                .contains("letter.txt was changed after the email was made")
                && ran.stderr.contains(&format!("iep edit {RECORD}")),
            "{}",
            ran.stderr
        );
    }
    assert!(server.received().is_empty());

    // No editor set: said plainly.
    let none = sb.iep().in_dir("sam").args(["edit", RECORD]).fails();
    assert!(none.contains("no editor is set"), "{none}");

    let editor = postscript_editor(&sb);
    let ran = sb
        .iep()
        .in_dir("sam")
        .env("EDITOR", &editor)
        .args(["edit", RECORD])
        .ok();
    assert!(ran.stderr.contains("Saved:"), "{}", ran.stderr);
    let dry = send(&sb, PASSWORD, &[RECORD, "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    let m = MessageParser::default()
        .parse(dry.stdout.as_bytes())
        .unwrap();
    let body = m.body_text(0).unwrap();
    assert!(body.contains("Dear Principal Patel"), "{body}");
    assert!(
        body.contains("P.S. The scribe was absent again on Friday."),
        "{body}"
    );
    assert_eq!(
        m.message_id(),
        Some(id_before.as_str()),
        "the same Message-ID"
    );
    assert_eq!(statuses(&sb), ["written", "edited"]);
    let log = sb.iep().in_dir("sam").args(["log", RECORD]).ok();
    assert!(log.stdout.contains("edited"), "{}", log.stdout);

    let ran = send(&sb, PASSWORD, &[RECORD, "--yes"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let got = MessageParser::default()
        .parse(&server.received()[0].data)
        .unwrap()
        .body_text(0)
        .unwrap()
        .into_owned();
    assert!(got.contains("P.S. The scribe"), "{got}");
    // Sent: it is kept as the school received it.
    let refused = sb
        .iep()
        .in_dir("sam")
        .env("EDITOR", &editor)
        .args(["edit", RECORD])
        .fails();
    assert!(refused.contains("write a follow-up"), "{refused}");
}

#[test]
fn an_old_letter_txt_with_its_header_lines_is_not_refused() {
    let sb = case_with_letter();
    let txt = record_file(&sb, "letter.txt");
    let body = std::fs::read_to_string(&txt).unwrap();
    std::fs::write(
        &txt,
        format!("Subject: Sam Lée: a support in the IEP is not happening\nTo: Ms. Amina Patel <a.patel@school.example.org>\nReply-By: 2026-12-07\n\n{body}"),
    )
    .unwrap();
    let server = Server::start(login());
    configure(&sb, server.port, "none", None, 10);
    let dry = send(&sb, PASSWORD, &[RECORD, "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
}

#[test]
fn a_refused_letter_waits_for_the_parent_and_can_be_dropped_or_marked_sent() {
    let sb = case_with_letter();
    let server = Server::start(Behaviour {
        fail: Some((Stage::Rcpt, "550 5.1.1 no such user".into())),
        ..login()
    });
    configure(&sb, server.port, "none", None, 5);
    let ran = send(&sb, PASSWORD, &[RECORD, "--yes"]);
    assert_eq!(ran.code, 1);
    let said = server.lines.lock().unwrap().len();
    // --queued does not try it again: it names it and what it needs.
    let queued = send(&sb, PASSWORD, &["--queued", "--yes"]);
    assert_eq!(queued.code, 0, "{}", queued.stderr);
    assert!(
        queued.stderr.contains(&format!(
            "Left in the outbox: {RECORD}: the server refused it"
        )) && queued.stderr.contains("550 5.1.1 no such user"),
        "{}",
        queued.stderr
    );
    assert_eq!(server.lines.lock().unwrap().len(), said, "no connection");
    let outbox = sb.iep().in_dir("sam").args(["outbox"]).ok();
    assert!(
        outbox.stdout.contains(RECORD) && outbox.stdout.contains("refused"),
        "{}",
        outbox.stdout
    );
    // Dropped: out of the outbox, the record kept.
    let dropped = sb.iep().in_dir("sam").args(["outbox", "drop", RECORD]).ok();
    assert!(
        dropped.stderr.contains("out of the outbox"),
        "{}",
        dropped.stderr
    );
    let outbox = sb.iep().in_dir("sam").args(["outbox"]).ok();
    assert!(outbox.stdout.is_empty(), "{}", outbox.stdout);
    assert_eq!(statuses(&sb), ["written", "sending", "refused", "dropped"]);
    let again = sb
        .iep()
        .in_dir("sam")
        .args(["outbox", "drop", RECORD])
        .fails();
    assert!(again.contains("not in the outbox"), "{again}");

    // Sent by hand two days later: recorded, and the reply clock starts that day.
    let before: serde_json::Value =
        serde_json::from_str(&sb.iep().in_dir("sam").args(["log", "--json"]).ok().stdout).unwrap();
    let due_before = before["records"][0]["reply_by"]
        .as_str()
        .unwrap()
        .to_owned();
    let marked = sb
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-26")
        .args([
            "sent",
            RECORD,
            "--on",
            "2026-11-25",
            "--how",
            "my own mail program",
        ])
        .ok();
    assert!(
        marked.stderr.contains("was sent on 2026-11-25"),
        "{}",
        marked.stderr
    );
    let after: serde_json::Value =
        serde_json::from_str(&sb.iep().in_dir("sam").args(["log", "--json"]).ok().stdout).unwrap();
    let due_after = after["records"][0]["reply_by"].as_str().unwrap().to_owned();
    assert!(due_after > due_before, "{due_before} then {due_after}");
    assert_eq!(after["records"][0]["status"], "sent");
    let log = sb.iep().in_dir("sam").args(["log", RECORD]).ok();
    assert!(
        log.stdout.contains("sent, dated") && log.stdout.contains("my own mail program"),
        "{}",
        log.stdout
    );
    // Overdue only from the recounted day on.
    let due = sb
        .iep()
        .in_dir("sam")
        .args(["due", "--on", &due_before, "--json"])
        .ok();
    assert!(!due.stdout.contains(RECORD), "{}", due.stdout);
    let send_again = send(&sb, PASSWORD, &[RECORD, "--yes"]);
    assert!(
        send_again.stderr.contains("already sent"),
        "{}",
        send_again.stderr
    );
    let twice = sb.iep().in_dir("sam").args(["sent", RECORD]).fails();
    assert!(twice.contains("already recorded as sent"), "{twice}");
}

#[test]
fn an_answer_that_never_comes_after_the_whole_letter_is_unconfirmed_and_not_sent_again() {
    for (behaviour, says) in [
        (
            Behaviour {
                answer_after: Some(std::time::Duration::from_millis(2500)),
                ..login()
            },
            "did not answer within 1 seconds after it",
        ),
        (
            Behaviour {
                hang_up_after_data: true,
                ..login()
            },
            "closed the connection without answering",
        ),
    ] {
        let sb = case_with_letter();
        let server = Server::start(behaviour);
        configure(&sb, server.port, "none", None, 1);
        let ran = send(&sb, PASSWORD, &[RECORD, "--yes"]);
        assert_eq!(ran.code, 1, "{}", ran.stderr);
        assert!(
            ran.stderr
                .contains("iep: not confirmed: the whole letter reached 127.0.0.1")
                && ran.stderr.contains(says)
                && ran.stderr.contains("It may have arrived")
                && ran.stderr.contains("Sent folder")
                && !ran.stderr.contains("internet connection")
                && !ran.stderr.contains("incomplete response"),
            "{}",
            ran.stderr
        );
        assert_eq!(statuses(&sb), ["written", "sending", "unconfirmed"]);
        assert_eq!(server.received().len(), 1);
        let queued = send(&sb, PASSWORD, &["--queued", "--yes"]);
        assert_eq!(queued.code, 0, "{}", queued.stderr);
        assert!(
            queued.stderr.contains(&format!(
                "Left in the outbox: {RECORD}: it may have arrived"
            )),
            "{}",
            queued.stderr
        );
        assert_eq!(server.received().len(), 1, "not sent again by --queued");
        let named = send(&sb, PASSWORD, &[RECORD, "--yes"]);
        assert!(named.stderr.contains("--again"), "{}", named.stderr);
        assert_eq!(server.received().len(), 1);
        // Found in the Sent folder: recorded as sent.
        sb.iep().in_dir("sam").args(["sent", RECORD]).ok();
        let outbox = sb.iep().in_dir("sam").args(["outbox"]).ok();
        assert!(outbox.stdout.is_empty(), "{}", outbox.stdout);
    }
}

#[test]
fn tls_failures_are_said_plainly_and_starttls_to_an_implicit_tls_port_fails_fast() {
    use crate::smtp_server::tls_config_for;
    // STARTTLS against a port that expects TLS from the first byte.
    let sb = case_with_letter();
    let (tls, pem) = tls_config();
    let server = Server::start(Behaviour {
        implicit_tls: Some(tls),
        ..login()
    });
    configure(&sb, server.port, "starttls", Some(&pem), 20);
    let start = std::time::Instant::now();
    let ran = send(&sb, PASSWORD, &[RECORD, "--yes"]);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(12),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("expects TLS from the first byte")
            && ran.stderr.contains("security=tls")
            && !ran.stderr.contains("internet connection"),
        "{}",
        ran.stderr
    );
    assert_eq!(statuses(&sb), ["written", "sending", "failed"]);

    // A certificate for another name, and an expired one.
    for (names, expired, says) in [
        (
            &["mail.example.org"][..],
            false,
            "is for mail.example.org, not for localhost",
        ),
        (&["localhost"][..], true, "expired on 2021-01-01"),
    ] {
        let sb = case_with_letter();
        let (tls, pem) = tls_config_for(names, expired);
        let server = Server::start(Behaviour {
            tls: Some(tls),
            ..login()
        });
        configure(&sb, server.port, "starttls", Some(&pem), 10);
        let ran = send(&sb, PASSWORD, &[RECORD, "--yes"]);
        assert_eq!(ran.code, 1, "{}", ran.stderr);
        assert!(ran.stderr.contains(says), "{}", ran.stderr);
        for raw in ["DnsName", "UNIX", "Context", "InvalidCertificate"] {
            assert!(!ran.stderr.contains(raw), "{raw}: {}", ran.stderr);
        }
        assert!(server.received().is_empty());
    }
}

#[test]
fn what_is_sent_is_dated_when_sent_without_x_unsent_and_kept_as_sent_eml() {
    use std::os::unix::fs::PermissionsExt as _;
    let sb = case_with_letter();
    let server = Server::start(login());
    configure(&sb, server.port, "none", None, 10);
    // The .eml a mail program opens as a draft (part B of issue 14 writes this header).
    let path = record_file(&sb, "letter.eml");
    let eml = std::fs::read(&path).unwrap();
    let mut with = b"X-Unsent: 1\r\n".to_vec();
    with.extend_from_slice(&eml);
    std::fs::write(&path, &with).unwrap();
    let ran = sb
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-23")
        .env("IEP_SMTP_PASSWORD", PASSWORD)
        .env("TZ", "IST-5:30")
        .args(["send", RECORD, "--yes"])
        .run();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let got = server.received()[0].data.clone();
    let text = String::from_utf8_lossy(&got);
    assert!(!text.contains("X-Unsent"), "{text}");
    let date = text
        .split("\r\n")
        .find_map(|l| l.strip_prefix("Date: "))
        .unwrap();
    assert!(date.ends_with("+0530"), "the sender's own offset: {date}");
    let sent = chrono::DateTime::parse_from_rfc2822(date).unwrap();
    let age = chrono::Utc::now().signed_duration_since(sent);
    assert!(
        age.num_seconds().abs() < 120,
        "the moment of sending: {date}"
    );
    let kept_path = record_file(&sb, "sent.eml");
    let kept = std::fs::read(&kept_path).unwrap();
    assert_eq!(
        std::fs::metadata(&kept_path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(
        kept == got,
        "sent.eml is byte for byte what the server received"
    );
    assert!(
        history(&sb).contains("as sent: sent.eml"),
        "{}",
        history(&sb)
    );
    // letter.eml is left as it was.
    assert_eq!(std::fs::read(&path).unwrap(), with);
    // Sent again: the first copy is kept, the second beside it.
    send(&sb, PASSWORD, &[RECORD, "--yes", "--again"]);
    assert!(record_file(&sb, "sent-2.eml").is_file());
}

/// A letter sent a week after it was written still asks for a reply by its own date: the
/// parent is told that this now leaves the school less time, how iep counts it, and how to put
/// a new date in the letter.
#[test]
fn a_letter_sent_days_after_it_was_written_says_its_reply_date_is_now_short() {
    let sb = case_with_letter();
    let server = Server::start(login());
    configure(&sb, server.port, "none", None, 10);
    let ran = sb
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-30")
        .env("IEP_SMTP_PASSWORD", PASSWORD)
        .args(["send", RECORD, "--yes"])
        .run();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stderr.contains(&format!(
            "Note: this letter was written on 2026-11-23 and asks for a reply by 2026-12-07; sent today, that gives the school less time than it counted. iep will count the reply as due by 2026-12-14. To put a new date in the letter first: iep edit {RECORD}"
        )),
        "{}",
        ran.stderr
    );
    // Sent the day it was written: nothing to say.
    let sb = case_with_letter();
    configure(&sb, server.port, "none", None, 10);
    let ran = send(&sb, PASSWORD, &[RECORD, "--yes"]);
    assert!(!ran.stderr.contains("less time"), "{}", ran.stderr);
}
