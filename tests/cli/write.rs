//! `iep write` end to end: saved files, replay, privacy, override folders.

use std::os::unix::fs::PermissionsExt as _;

use crate::support::{Sandbox, fixture_args};

#[test]
fn saves_a_dated_private_letter_and_answers_that_replay_exactly() {
    let sb = Sandbox::new();
    let ran = sb
        .iep()
        .args(fixture_args(&sb, "implementation-concern", "ontario"))
        .ok();
    assert!(
        ran.stdout.is_empty(),
        "the letter goes to a file, not the terminal"
    );
    assert!(
        ran.stderr
            .contains("Saved the letter:  2026-11-23-implementation-concern.txt"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr
            .contains("reply by December 7, 2026 (10 school days after November 23, 2026)"),
        "{}",
        ran.stderr
    );

    let letter = sb.read("2026-11-23-implementation-concern.txt");
    // The file is the printed letter first; what the email needs comes after a line saying so.
    let (printed, email) = letter
        .split_once(iep::draft::EMAIL_RULE)
        .expect("the email details follow a separator");
    assert!(!printed.contains("Subject:"), "{printed}");
    assert!(printed.starts_with("Jordan O'Neil\n"), "{printed}");
    assert!(
        email.starts_with("\nSubject: Sam O'Neil: a support in the IEP is not happening\n"),
        "{email}"
    );
    for name in [
        "2026-11-23-implementation-concern.txt",
        "2026-11-23-implementation-concern.answers.toml",
    ] {
        let mode = std::fs::metadata(sb.path().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600, "{name} is readable by its owner only");
    }

    // The saved answers alone (no --jurisdiction, no --date) write the same letter again.
    let replay = sb
        .iep()
        .args([
            "write",
            "implementation-concern",
            "--answers",
            "2026-11-23-implementation-concern.answers.toml",
            "-o",
            "-",
        ])
        .ok();
    assert_eq!(replay.stdout, letter);

    // A second run never overwrites the first.
    sb.iep()
        .args(fixture_args(&sb, "implementation-concern", "ontario"))
        .ok();
    assert!(
        sb.files()
            .contains(&"2026-11-23-implementation-concern-2.txt".to_owned())
    );
    assert_eq!(sb.read("2026-11-23-implementation-concern.txt"), letter);
}

#[test]
fn output_path_puts_answers_beside_the_letter() {
    let sb = Sandbox::new();
    sb.iep()
        .args(fixture_args(&sb, "progress-evidence", "new-zealand"))
        .args(["--output", "letters/to-school.txt"])
        .run();
    // The folder does not exist: nothing is written, and the error says where.
    assert!(!sb.path().join("letters").exists());
    std::fs::create_dir(sb.path().join("letters")).unwrap();
    sb.iep()
        .args(fixture_args(&sb, "progress-evidence", "new-zealand"))
        .args(["--output", "letters/to-school.txt"])
        .ok();
    assert!(
        sb.read("letters/to-school.txt")
            .contains("23 November 2026")
    );
    let answers = sb.read("letters/to-school.answers.toml");
    assert!(
        answers.contains("jurisdiction = \"new-zealand\""),
        "{answers}"
    );
    assert!(answers.contains("date = 2026-11-23"), "{answers}");
}

#[test]
fn set_overrides_the_answers_file_and_lists_can_grow() {
    let sb = Sandbox::new();
    let ran = sb
        .iep()
        .args(fixture_args(&sb, "progress-evidence", "ontario"))
        .args([
            "--set",
            "supports=Extra time",
            "--set",
            "supports=A quiet room",
            "--set",
            "child_name=Alex Kim",
            "-o",
            "-",
        ])
        .ok();
    assert!(
        ran.stdout.contains("Re: Alex Kim, born April 9, 2016"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("   - Extra time\n   - A quiet room\n"),
        "{}",
        ran.stdout
    );
    assert!(
        !ran.stdout.contains("Audiobooks"),
        "--set replaces the file's list"
    );
}

#[test]
fn a_templates_folder_adds_and_replaces_letters() {
    let sb = Sandbox::new();
    sb.file(
        "pack/letters/thank-you/letter.toml",
        r#"
title = "Thank the team"
use-when = "Something worked: say so."
to = "teacher"

[[questions]]
key = "what_worked"
prompt = "What worked?"
"#,
    );
    sb.file(
        "pack/letters/thank-you/subject.txt.tera",
        "Thank you from {{ sender_name }}\n",
    );
    sb.file("pack/letters/thank-you/body.txt.tera", "{% extends \"letters/_layout.txt.tera\" %}{% block body %}Thank you: {{ what_worked }}.{% endblock body %}");
    // Replace one built-in template, reusing the original through `iep/`.
    sb.file(
        "pack/letters/progress-evidence/subject.txt.tera",
        "Progress question: {% include \"iep/letters/progress-evidence/subject.txt.tera\" %}",
    );
    sb.file(
        "pack/letters/progress-evidence/letter.toml",
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/letters/progress-evidence/letter.toml"
        ))
        .unwrap(),
    );

    let list = sb.iep().args(["--templates", "pack", "letters"]).ok();
    assert!(list.stdout.contains("thank-you"), "{}", list.stdout);

    let answers = sb.fixture_answers("progress-evidence");
    let ran = sb
        .iep()
        .args([
            "--templates",
            "pack",
            "write",
            "thank-you",
            "-j",
            "ontario",
            "--date",
            "2026-11-23",
            "-o",
            "-",
        ])
        .args([
            "--answers",
            answers.to_str().unwrap(),
            "--set",
            "what_worked=the new reading group",
        ])
        .run();
    // The fixture holds progress-evidence answers that thank-you does not ask: refused by name.
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr
            .contains("the letter `thank-you` has no question `goal`"),
        "{}",
        ran.stderr
    );

    let ran = sb
        .iep()
        .args([
            "--templates",
            "pack",
            "write",
            "thank-you",
            "-j",
            "ontario",
            "--date",
            "2026-11-23",
            "-o",
            "-",
        ])
        .args([
            "--set",
            "child_name=Sam Lee",
            "--set",
            "child_dob=2016-04-09",
            "--set",
            "grade=Grade 4",
            "--set",
            "school_name=Maple",
        ])
        .args([
            "--set",
            "recipient_name=Mr. Tran",
            "--set",
            "sender_name=Jordan Lee",
            "--set",
            "sender_email=j@example.org",
        ])
        .args(["--set", "what_worked=the new reading group"])
        .ok();
    assert!(
        ran.stdout
            .contains("Subject: Thank you from Jordan Lee\nTo: Mr. Tran, Classroom Teacher\n"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("Thank you: the new reading group."),
        "{}",
        ran.stdout
    );

    let ran = sb
        .iep()
        .args(["--templates", "pack"])
        .args(fixture_args(&sb, "progress-evidence", "ontario"))
        .args(["-o", "-"])
        .ok();
    assert!(
        ran.stdout
            .contains("\nSubject: Progress question: Sam O'Neil: evidence of progress"),
        "{}",
        ran.stdout
    );
}

#[test]
fn completions_and_the_manual_page_are_printed() {
    let sb = Sandbox::new();
    let bash = sb.iep().args(["completions", "bash"]).ok().stdout;
    assert!(bash.contains("_iep()") && bash.contains("write"), "{bash}");
    let zsh = sb.iep().args(["completions", "zsh"]).ok().stdout;
    assert!(zsh.starts_with("#compdef iep"), "{zsh}");
    let man = sb.iep().args(["man"]).ok().stdout;
    assert!(man.contains(".TH iep 1"), "{man}");
    assert!(man.contains("write"), "{man}");
}
