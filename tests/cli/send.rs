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
    // Exactly the recorded bytes, plus the line break lettre puts before SMTP's closing dot,
    // without the draft mark that is only for the parent's own mail program.
    let mut expected = eml
        .strip_prefix(b"X-Unsent: 1\r\n".as_slice())
        .expect("the recorded .eml opens as a draft")
        .to_vec();
    expected.extend_from_slice(b"\r\n");
    assert!(
        got[0].data == expected,
        "exactly the recorded .eml was sent"
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
fn every_failure_is_explained_recorded_and_leaves_the_letter_queued() {
    struct Case {
        behaviour: Behaviour,
        password: &'static str,
        says: &'static str,
    }
    let cases = [
        Case {
            behaviour: login(),
            password: "wrong",
            says: "did not accept your user name and password",
        },
        Case {
            behaviour: Behaviour {
                fail: Some((Stage::Mail, "451 4.3.0 try again later".into())),
                ..login()
            },
            password: PASSWORD,
            says: "asked to try again later",
        },
        Case {
            behaviour: Behaviour {
                fail: Some((Stage::Rcpt, "550 5.1.1 no such user".into())),
                ..login()
            },
            password: PASSWORD,
            says: "refused the letter",
        },
        Case {
            behaviour: Behaviour {
                fail: Some((Stage::Data, "452 4.3.1 mailbox full".into())),
                ..login()
            },
            password: PASSWORD,
            says: "asked to try again later",
        },
        Case {
            behaviour: Behaviour {
                fail: Some((Stage::Data, "554 5.6.0 message rejected".into())),
                ..login()
            },
            password: PASSWORD,
            says: "refused the letter",
        },
        Case {
            behaviour: Behaviour {
                stall: true,
                ..login()
            },
            password: PASSWORD,
            says: "did not answer within 1 seconds",
        },
    ];
    for (n, c) in cases.into_iter().enumerate() {
        let sb = case_with_letter();
        let server = Server::start(c.behaviour);
        configure(&sb, server.port, "none", None, 1);
        let ran = send(&sb, c.password, &[RECORD, "--yes"]);
        assert_eq!(ran.code, 1, "case {n}: {}", ran.stderr);
        assert!(ran.stderr.contains(c.says), "case {n}: {}", ran.stderr);
        assert!(
            ran.stderr.contains("iep send --queued"),
            "case {n}: {}",
            ran.stderr
        );
        assert!(server.received().is_empty(), "case {n}");
        let h = history(&sb);
        let statuses: Vec<&str> = h.lines().filter(|l| l.starts_with("status = ")).collect();
        assert_eq!(
            statuses,
            ["status = \"written\"", "status = \"failed\""],
            "case {n}"
        );
        assert!(h.contains("status = \"failed\""), "case {n}: {h}");
        assert!(!h.contains("status = \"sent\""), "case {n}: {h}");
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
    let h = history(&sb);
    let statuses: Vec<&str> = h.lines().filter(|l| l.starts_with("status = ")).collect();
    assert_eq!(
        statuses,
        [
            "status = \"written\"",
            "status = \"failed\"",
            "status = \"sent\""
        ]
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
        ran.stderr.contains("a secure connection to 127.0.0.1"),
        "{}",
        ran.stderr
    );
    assert!(server.received().is_empty());
    assert!(history(&sb).contains("status = \"failed\""));
}

#[test]
fn lines_that_start_with_a_dot_arrive_intact() {
    let sb = case_with_letter();
    let server = Server::start(login());
    configure(&sb, server.port, "none", None, 10);
    // A body line that is a lone dot would end the message early if it were not doubled.
    let path = sb.path().join(format!("sam/records/{RECORD}/letter.eml"));
    let mut eml = std::fs::read(&path).unwrap();
    eml.extend_from_slice(b".\r\n.hidden line\r\n..two dots\r\n");
    std::fs::write(&path, &eml).unwrap();
    let ran = send(&sb, PASSWORD, &[RECORD, "--yes"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let mut expected = eml[b"X-Unsent: 1\r\n".len()..].to_vec();
    expected.extend_from_slice(b"\r\n");
    assert!(
        server.received()[0].data == expected,
        "dot lines were changed on the way"
    );
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
    let statuses: Vec<String> = history(&sb)
        .lines()
        .filter(|l| l.starts_with("status = "))
        .map(str::to_owned)
        .collect();
    assert_eq!(
        statuses,
        [
            "status = \"written\"",
            "status = \"sent\"",
            "status = \"failed\"",
            "status = \"sent\""
        ]
    );
}
