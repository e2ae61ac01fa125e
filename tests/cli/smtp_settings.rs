//! Account settings that cannot work are refused before they are saved, and when sending:
//! `auth = "none"` only to a relay on this computer or over TLS; a certificate file with no
//! certificate in it; a password typed where the password command goes.

use crate::send::{PASSWORD, RECORD, case_with_letter, configure_with, history, send};
use crate::smtp_server::{Behaviour, Server, tls_config};
use crate::support::Sandbox;

fn smtp_toml(sb: &Sandbox) -> std::path::PathBuf {
    sb.path().join("home/.config/iep/smtp.toml")
}

/// `iep config smtp --no-input` with these settings, run as it is.
fn config(sb: &Sandbox, settings: &[&str]) -> crate::support::Ran {
    let mut args = vec!["config", "smtp", "--no-input"];
    for s in settings {
        args.extend(["-s", s]);
    }
    sb.iep().args(args).run()
}

#[test]
fn auth_none_to_a_loopback_relay_delivers_and_never_asks_for_a_password() {
    let sb = case_with_letter();
    // A relay that offers no sign-in at all.
    let server = Server::start(Behaviour::default());
    configure_with(&sb, server.port, "none", None, 5, &["auth=none"]);
    // No IEP_SMTP_PASSWORD, no password command, no terminal: nothing to ask, nothing asked.
    let ran = sb
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-23")
        .args(["send", RECORD, "--yes"])
        .run();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        !ran.stderr.to_lowercase().contains("password"),
        "{}",
        ran.stderr
    );
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].authed_as, None);
    assert!(
        !server
            .lines
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.starts_with("AUTH")),
        "no sign-in was tried"
    );
    assert!(history(&sb).contains("status = \"sent\""));
}

#[test]
fn auth_none_is_refused_without_tls_to_another_computer() {
    let sb = Sandbox::new();
    let base = ["address=jordan@example.org", "auth=none"];
    // Over TLS, a relay elsewhere is allowed (it is not contacted until --test or a send).
    let tls = config(
        &sb,
        &[&base[..], &["host=relay.example.org", "security=starttls"]].concat(),
    );
    assert_eq!(tls.code, 0, "{}", tls.stderr);
    // Without TLS, only this computer.
    let err = config(
        &sb,
        &[&base[..], &["host=relay.example.org", "security=none"]].concat(),
    );
    assert_eq!(err.code, 1);
    assert!(
        err.stderr
            .contains("would send your letters unprotected to relay.example.org")
            && err.stderr.contains("Choose starttls or tls"),
        "{}",
        err.stderr
    );
    let saved = std::fs::read_to_string(smtp_toml(&sb)).unwrap();
    assert!(
        saved.contains("security = \"starttls\""),
        "unchanged: {saved}"
    );
    // The same rule when the file is edited by hand: refused when loaded, before sending.
    std::fs::write(
        smtp_toml(&sb),
        saved.replace("security = \"starttls\"", "security = \"none\""),
    )
    .unwrap();
    let test = sb.iep().args(["config", "smtp", "--test"]).run();
    assert_eq!(test.code, 1);
    assert!(
        test.stderr.contains("would send your letters unprotected"),
        "{}",
        test.stderr
    );
}

#[test]
fn a_certificate_file_with_no_certificate_is_refused_when_set_and_when_sending() {
    let sb = case_with_letter();
    let not_a_certificate = sb.file(
        "key.pem",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    );
    let ca = format!("ca_file={}", not_a_certificate.display());
    let err = config(
        &sb,
        &[
            "address=jordan@example.org",
            "host=localhost",
            "security=starttls",
            &ca,
        ],
    );
    assert_eq!(err.code, 1);
    assert!(
        err.stderr.contains("key.pem has no certificate in it")
            && err.stderr.contains("Nothing was saved"),
        "{}",
        err.stderr
    );
    assert!(!smtp_toml(&sb).exists(), "nothing half-written");

    // Set up with the server's real certificate, which is then replaced by something else.
    let (tls, pem) = tls_config();
    let server = Server::start(Behaviour {
        tls: Some(tls),
        login: Some(("jordan@example.org".into(), PASSWORD.into())),
        ..Behaviour::default()
    });
    configure_with(&sb, server.port, "starttls", Some(&pem), 5, &[]);
    std::fs::write(sb.path().join("ca.pem"), "").unwrap();
    let ran = send(&sb, PASSWORD, &[RECORD, "--yes"]);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("ca.pem has no certificate in it"),
        "{}",
        ran.stderr
    );
    assert!(server.received().is_empty());
    assert!(history(&sb).contains("status = \"failed\""));
}

#[test]
fn a_password_typed_as_the_password_command_is_refused_and_never_saved() {
    let sb = Sandbox::new();
    let err = config(
        &sb,
        &[
            "address=jordan@example.org",
            "host=smtp.example.org",
            &format!("password_command={PASSWORD}"),
        ],
    );
    assert_eq!(err.code, 1);
    assert!(
        err.stderr.contains("not the password itself") && err.stderr.contains("Nothing was saved"),
        "{}",
        err.stderr
    );
    assert!(!err.stderr.contains(PASSWORD), "{}", err.stderr);
    assert!(!smtp_toml(&sb).exists(), "never written");
    // A command that prints a password is taken.
    let ok = config(
        &sb,
        &[
            "address=jordan@example.org",
            "host=smtp.example.org",
            "password_command=echo from-the-manager",
        ],
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(
        std::fs::read_to_string(smtp_toml(&sb))
            .unwrap()
            .contains("password_command = \"echo from-the-manager\"")
    );
}
