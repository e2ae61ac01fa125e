//! Issue 11: nothing an input can do makes iep panic, hang, write a wrong date, overwrite the
//! case's own files, or let a control character through. Each test names the defect it covers.

use crate::support::{Sandbox, fixture_args};

/// A failed run's stderr, checked to be a refusal and not a panic.
fn refused(sb: &Sandbox, dir: Option<&str>, args: &[&str]) -> String {
    let mut run = sb.iep().env("IEP_TODAY", "2026-11-23").args(args);
    if let Some(d) = dir {
        run = run.in_dir(d);
    }
    let err = run.fails();
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// The fixture args for an Ontario implementation-concern letter, without their `--date`, and
/// with `more` added to the answers file.
fn letter_args(sb: &Sandbox, more: &str) -> Vec<String> {
    let mut args = fixture_args(sb, "implementation-concern", "ontario");
    let at = args.iter().position(|a| a == "--date").unwrap();
    args.drain(at..at + 2);
    let file = args.iter().position(|a| a == "--answers").unwrap() + 1;
    let path = std::path::PathBuf::from(&args[file]);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\n{more}")).unwrap();
    args
}

// Issue 11.3: dates out of range were truncated to 16 bits, panicked, or were "ambiguous".
#[test]
fn letter_dates_out_of_range_are_refused_with_the_range() {
    let sb = Sandbox::new();
    for typed in [
        "+70000-01-01",
        "+65536-01-01",
        "+10000-01-01",
        "+262142-12-31",
        "-0001-01-01",
        "0000-01-01",
        "10000-01-01",
        "1999-12-31",
        "2101-01-01",
    ] {
        let mut args = letter_args(&sb, "");
        args.extend(["-o".into(), "-".into(), format!("--date={typed}")]);
        let err = sb.iep().args(&args).fails();
        assert_eq!(
            err,
            format!(
                "iep: --date: \"{typed}\" is outside the dates iep accepts for a letter (2000 to 2100)\n"
            ),
        );
    }
    // The last day accepted is written as typed.
    let mut args = letter_args(&sb, "");
    args.extend(["-o".into(), "letter.txt".into(), "--date=2100-12-31".into()]);
    sb.iep().args(&args).ok();
    assert!(
        sb.read("letter.answers.toml").contains("date = 2100-12-31"),
        "{}",
        sb.read("letter.answers.toml")
    );
}

#[test]
fn dates_in_a_case_are_refused_not_panicked_on() {
    let sb = Sandbox::new();
    sb.init_case(&[]);
    let err = refused(
        &sb,
        Some("sam"),
        &[
            "case",
            "edit",
            "--no-input",
            "--set",
            "child_dob=-0001-01-01",
        ],
    );
    assert!(
        err.contains(
            "\"-0001-01-01\" is outside the dates iep accepts for a birth date (1900 to 2100)"
        ),
        "{err}"
    );
    let err = refused(
        &sb,
        Some("sam"),
        &[
            "observe",
            "--no-input",
            "--date=-0001-01-01",
            "--support",
            "Access to a scribe",
            "--what",
            "no scribe",
        ],
    );
    assert!(
        err.contains("is outside the dates iep accepts for an observation (2000 to 2100)"),
        "{err}"
    );
    for flag in ["--since=+10000-01-01", "--until=0000-01-01"] {
        let err = refused(&sb, Some("sam"), &["log", flag]);
        assert!(err.contains("outside the dates iep accepts"), "{err}");
    }
    sb.iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-23")
        .args([
            "write",
            "iep-request",
            "--no-input",
            "-s",
            "at_home=He cannot get his ideas onto paper.",
            "-s",
            "at_school=He stops writing after two lines.",
            "-s",
            "has_reports=no",
            "-s",
            "recipient_name=Ms. Amina Patel",
        ])
        .ok();
    let err = refused(
        &sb,
        Some("sam"),
        &[
            "reply",
            "iep-request",
            "--no-input",
            "--date",
            "+10000-01-01",
            "--summary",
            "ok",
        ],
    );
    assert!(
        err.contains(
            "\"+10000-01-01\" is outside the dates iep accepts for a reply (2000 to 2100)"
        ),
        "{err}"
    );
    let err = refused(&sb, Some("sam"), &["due", "--on", "+262142-12-31"]);
    assert!(err.contains("outside the dates iep accepts"), "{err}");
    let err = sb
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "+10000-01-01")
        .args(["due"])
        .fails();
    assert!(
        err.contains("IEP_TODAY: \"+10000-01-01\" is outside"),
        "{err}"
    );
}

#[test]
fn an_answers_file_with_a_date_out_of_range_is_refused() {
    let sb = Sandbox::new();
    let mut args = letter_args(
        &sb,
        "[iep]\nletter = \"implementation-concern\"\ndate = 9999-12-31\n",
    );
    args.extend(["-o".into(), "-".into()]);
    let err = sb.iep().args(&args).fails();
    assert!(
        err.contains("\"9999-12-31\" is outside the dates iep accepts for a letter (2000 to 2100)"),
        "{err}"
    );
}

// Issue 11.9: ESC and other control characters went raw into the .eml Subject and the terminal.
#[test]
fn control_characters_in_one_line_answers_are_refused() {
    let sb = Sandbox::new();
    for (set, named) in [
        ("child_name=Sam\u{1b}[2J Lee", "ESC, U+001B"),
        ("school_name=Maple\u{7}", "bell, U+0007"),
        ("child_name=Sam\u{85}Lee", "U+0085"),
        ("child_name=Sam\u{7f}", "DEL, U+007F"),
    ] {
        let mut args = fixture_args(&sb, "implementation-concern", "ontario");
        args.extend(["-o".into(), "-".into(), "--set".into(), set.into()]);
        let err = sb.iep().args(&args).fails();
        let key = set.split('=').next().unwrap();
        assert!(
            err.contains(&format!(
                "--set {key}: this answer has a control character ({named})"
            )),
            "{err}"
        );
    }
    // The same from an answers file, and in a list item.
    let mut args = letter_args(&sb, "");
    let file = args.iter().position(|a| a == "--answers").unwrap() + 1;
    let text = std::fs::read_to_string(&args[file]).unwrap();
    let text = text.replace("child_name = \"", "child_name = \"\\u001B]0;owned\\u0007");
    std::fs::write(&args[file], text).unwrap();
    args.extend(["-o".into(), "-".into()]);
    let err = sb.iep().args(&args).fails();
    assert!(err.contains("control character (ESC, U+001B)"), "{err}");
    // A contact given as a flag, too.
    let err = sb
        .iep()
        .args([
            "init",
            "sam",
            "--no-input",
            "-j",
            "ontario",
            "-s",
            "child_name=Sam Lee",
            "-s",
            "child_dob=2016-04-09",
            "-s",
            "grade=Grade 4",
            "-s",
            "school_name=Maple Grove School",
            "-s",
            "sender_name=Jordan Lee",
            "-s",
            "sender_email=jordan@example.org",
            "--contact",
            "principal=Ms. Patel \u{1b}[31m <p@example.org>",
        ])
        .fails();
    assert!(
        err.contains("--contact principal: this answer has a control character (ESC"),
        "{err}"
    );
    assert!(!sb.path().join("sam").exists());
    // An attachment's name is listed in the letter.
    sb.file("rep\u{1b}[2Jort\nBcc: x@example.org.pdf", "%PDF-1.4");
    let mut args = fixture_args(&sb, "implementation-concern", "ontario");
    args.extend([
        "-o".into(),
        "-".into(),
        "--attach".into(),
        "rep\u{1b}[2Jort\nBcc: x@example.org.pdf".into(),
    ]);
    let err = sb.iep().args(&args).fails();
    assert!(err.contains("its name has a control character"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err}");
    // An error that quotes what was typed does not pass its control characters on.
    let mut args = letter_args(&sb, "");
    args.extend(["-o".into(), "-".into(), "--date=\u{1b}]0;owned\u{7}".into()]);
    let err = sb.iep().args(&args).fails();
    assert!(err.contains("\\u{1b}]0;owned\\u{7}"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err}");
    // A tab in a one-line answer is a space; a long answer keeps its lines.
    let mut args = fixture_args(&sb, "implementation-concern", "ontario");
    args.extend([
        "-o".into(),
        "-".into(),
        "--set".into(),
        "child_name=Sam\tLee".into(),
    ]);
    let out = sb.iep().args(&args).ok().stdout;
    assert!(out.contains("Sam Lee"), "{out}");
}

// Issue 11.2: `--output` replaced the profile, or rewrote a recorded letter.
#[test]
fn output_never_writes_the_case_folders_own_files_nor_replaces_a_file_unasked() {
    let sb = Sandbox::new();
    sb.init_case(&[]);
    sb.iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-04")
        .args([
            "observe",
            "--support",
            "Access to a scribe for written tests",
            "--what",
            "no scribe for the unit test",
        ])
        .ok();
    let profile = sb.read("sam/iep-case.toml");
    let concern = |extra: &[&str]| {
        let mut args = vec![
            "write",
            "implementation-concern",
            "--no-input",
            "-s",
            "support=Access to a scribe for written tests",
        ];
        args.extend_from_slice(extra);
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    sb.iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-23")
        .args(concern(&[]))
        .ok();
    let record = std::fs::read_dir(sb.path().join("sam/records"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| !n.starts_with('.'))
        .unwrap();
    let letter = format!("records/{record}/letter.txt");
    let recorded = sb.read(&format!("sam/{letter}"));
    for target in [
        "iep-case.toml".to_owned(),
        letter.clone(),
        format!("records/{record}/../{record}/record.toml"),
        "records/new.txt".to_owned(),
        "observations/x.txt".to_owned(),
        "drafts/x.txt".to_owned(),
        ".iep.lock".to_owned(),
    ] {
        for force in [false, true] {
            let mut extra = vec!["-o", target.as_str()];
            if force {
                extra.push("--force");
            }
            let err = refused(
                &sb,
                Some("sam"),
                &concern(&extra)
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
            );
            assert!(
                err.contains("one of the case folder's own files"),
                "{target}: {err}"
            );
        }
    }
    // From outside the case, through a link, too.
    std::os::unix::fs::symlink(sb.path().join("sam/records"), sb.path().join("link")).unwrap();
    let mut args = fixture_args(&sb, "implementation-concern", "ontario");
    args.extend([
        "-o".into(),
        format!("link/{record}/letter.txt"),
        "--force".into(),
    ]);
    let err = sb.iep().args(&args).fails();
    assert!(err.contains("one of the case folder's own files"), "{err}");
    assert_eq!(sb.read("sam/iep-case.toml"), profile);
    assert_eq!(sb.read(&format!("sam/{letter}")), recorded);

    // An existing file outside the case: refused, then replaced with --force.
    sb.file("mine.txt", "my own notes");
    let mut args = fixture_args(&sb, "implementation-concern", "ontario");
    args.extend(["-o".into(), "mine.txt".into()]);
    let err = sb.iep().args(&args).fails();
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(sb.read("mine.txt"), "my own notes");
    assert!(!sb.path().join("mine.answers.toml").exists());
    // Its answers file beside it counts too.
    sb.file("two.answers.toml", "keep me");
    let mut args = fixture_args(&sb, "implementation-concern", "ontario");
    args.extend(["-o".into(), "two.txt".into()]);
    let err = sb.iep().args(&args).fails();
    assert!(
        err.contains("two.answers.toml: that file already exists"),
        "{err}"
    );
    assert!(!sb.path().join("two.txt").exists());
    let mut args = fixture_args(&sb, "implementation-concern", "ontario");
    args.extend(["-o".into(), "mine.txt".into(), "--force".into()]);
    sb.iep().args(&args).ok();
    assert!(sb.read("mine.txt").contains("Sam"));

    // `iep log --export -o` follows the same rules.
    let err = refused(
        &sb,
        Some("sam"),
        &["log", "--export", "md", "-o", "iep-case.toml", "--force"],
    );
    assert!(err.contains("one of the case folder's own files"), "{err}");
    let err = refused(
        &sb,
        Some("sam"),
        &["log", "--export", "md", "-o", "../mine.txt"],
    );
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(sb.read("sam/iep-case.toml"), profile);
}

/// Sets a file's modification time `secs` seconds back.
fn age(path: &std::path::Path, secs: u64) {
    let t = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

// Issue 11.7: `.iep-*.tmp` files left by killed runs were never cleared.
#[test]
fn leftovers_of_killed_runs_are_cleared_under_the_lock_without_a_word() {
    let sb = Sandbox::new();
    sb.init_case(&[]);
    sb.iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-04")
        .args([
            "observe",
            "--support",
            "Access to a scribe",
            "--what",
            "no scribe",
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
    let record = std::fs::read_dir(sb.path().join("sam/records"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| !n.starts_with('.'))
        .unwrap();
    let stale: Vec<String> = [
        "sam/.iep-a1b2c3.tmp".to_owned(),
        "sam/observations/.iep-d4e5f6.tmp".to_owned(),
        "sam/records/.iep-g7h8i9.tmp".to_owned(),
        format!("sam/records/{record}/.iep-j0k1l2.tmp"),
    ]
    .into();
    for name in &stale {
        age(&sb.file(name, "half a file"), 120);
    }
    // One being written right now by another run is left alone.
    let fresh = "sam/records/.iep-m3n4o5.tmp";
    sb.file(fresh, "being written");
    // Every record's folder is looked through at most once an hour.
    age(&sb.path().join("sam/.iep.lock"), 7200);
    let ran = sb
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-05")
        .args([
            "observe",
            "--support",
            "Access to a scribe",
            "--what",
            "again none",
        ])
        .ok();
    for name in &stale {
        assert!(!sb.path().join(name).exists(), "{name} is still there");
    }
    assert!(sb.path().join(fresh).exists());
    assert!(!ran.stderr.contains(".iep-"), "{}", ran.stderr);
    assert!(!ran.stderr.contains("warning"), "{}", ran.stderr);
}

// Issue 11.9: only `iep init` warned about a folder others can read; nothing about a link.
#[test]
fn a_case_folder_others_can_read_or_a_records_link_out_of_it_is_warned_of() {
    use std::os::unix::fs::PermissionsExt as _;
    let sb = Sandbox::new();
    sb.init_case(&[]);
    let quiet = sb.iep().in_dir("sam").args(["log"]).ok();
    assert!(!quiet.stderr.contains("warning"), "{}", quiet.stderr);
    let root = sb.path().join("sam");
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
    let ran = sb.iep().in_dir("sam").args(["log"]).ok();
    assert!(
        ran.stderr.contains(&format!(
            "iep: warning: other people with an account on this computer can look into {}",
            root.display()
        )) && ran
            .stderr
            .contains(&format!("chmod 700 {}", root.display())),
        "{}",
        ran.stderr
    );
    assert_eq!(ran.stderr.matches("warning").count(), 1, "{}", ran.stderr);
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o700)).unwrap();
    // records/ moved elsewhere and linked back.
    std::fs::rename(root.join("records"), sb.path().join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(sb.path().join("elsewhere"), root.join("records")).unwrap();
    let ran = sb.iep().in_dir("sam").args(["due"]).ok();
    assert!(
        ran.stderr.contains("records is a link to")
            && ran.stderr.contains("outside the case folder"),
        "{}",
        ran.stderr
    );
}

// Issue 11.3, read back: a hand-edited record or observation with a date out of range is
// reported as damaged, not counted from (or panicked on).
#[test]
fn a_hand_edited_date_out_of_range_is_reported() {
    let sb = Sandbox::new();
    sb.init_case(&[]);
    sb.iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-04")
        .args([
            "observe",
            "--support",
            "Access to a scribe",
            "--what",
            "no scribe",
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
    let record = std::fs::read_dir(sb.path().join("sam/records"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| !n.starts_with('.'))
        .unwrap();
    // The index is built first, so the edit must be noticed through it.
    sb.iep().in_dir("sam").args(["log"]).ok();
    let path = format!("sam/records/{record}/record.toml");
    let text = sb.read(&path);
    let edited: String = text
        .lines()
        .map(|l| {
            if l.starts_with("date = ") {
                "date = 9999-12-31".to_owned()
            } else {
                l.to_owned()
            }
        })
        .map(|l| l + "\n")
        .collect();
    sb.file(&path, &edited);
    let obs = "sam/observations/2026-11-04-1.toml";
    sb.file(
        obs,
        &sb.read(obs)
            .replace("date = 2026-11-04", "date = 0000-01-01"),
    );
    for args in [
        &["log"][..],
        &["due"],
        &["log", "--export", "md", "-o", "-"],
    ] {
        let ran = sb
            .iep()
            .in_dir("sam")
            .env("IEP_TODAY", "2026-11-30")
            .args(args)
            .ok();
        assert!(
            ran.stderr.contains(
                "\"9999-12-31\" is outside the dates iep accepts for a letter (2000 to 2100)"
            ),
            "{args:?}: {}",
            ran.stderr
        );
        assert!(!ran.stdout.contains("9999"), "{}", ran.stdout);
    }
    let ran = sb
        .iep()
        .in_dir("sam")
        .args(["log", "--export", "md", "-o", "-"])
        .ok();
    assert!(
        ran.stderr
            .contains("\"0000-01-01\" is outside the dates iep accepts for an observation"),
        "{}",
        ran.stderr
    );
    let err = sb
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-30")
        .args([
            "reply",
            &record,
            "--no-input",
            "--from",
            "Ms. Patel",
            "--summary",
            "ok",
        ])
        .fails();
    assert!(!err.contains("panicked"), "{err}");
}

// Issue 11 (run out of memory): a file that never ends was read whole.
#[test]
fn inputs_that_never_end_are_refused_unread() {
    let sb = Sandbox::new();
    let ran = sb.iep().args(["check", "/dev/zero"]).run();
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("/dev/zero is over 64 MB"),
        "{}",
        ran.stderr
    );
    let err = sb
        .iep()
        .args([
            "write",
            "implementation-concern",
            "-j",
            "ontario",
            "--no-input",
            "--answers",
            "/dev/zero",
        ])
        .fails();
    assert!(err.contains("/dev/zero is over 16 MB"), "{err}");
    let err = sb
        .iep()
        .args([
            "write",
            "vague-wording",
            "-j",
            "ontario",
            "--no-input",
            "--from-check",
            "/dev/zero",
        ])
        .fails();
    assert!(err.contains("/dev/zero is over 64 MB"), "{err}");
}

// The same fault as 11.2 in `iep init`: a case made inside another case's records/ passed for a
// damaged record.
#[test]
fn a_case_is_not_made_inside_another_cases_own_folders() {
    let sb = Sandbox::new();
    sb.init_case(&[]);
    let err = sb
        .iep()
        .args(["init", "sam/records/nested", "--no-input", "-j", "ontario"])
        .fails();
    assert!(
        err.contains("one of the case folder's own folders"),
        "{err}"
    );
    assert!(!sb.path().join("sam/records/nested").exists());
    let ran = sb.iep().in_dir("sam").args(["log"]).ok();
    assert!(!ran.stderr.contains("warning"), "{}", ran.stderr);
}
