//! Bad input: each gives a clear message, exit code 1, and leaves no file behind.

use crate::support::{Sandbox, fixture_args};

/// Runs a write that must fail, and checks that it wrote nothing.
fn write_fails(sb: &Sandbox, extra: &[&str]) -> String {
    let before = sb.files();
    let err = sb
        .iep()
        .args(fixture_args(sb, "implementation-concern", "ontario"))
        .args(extra)
        .fails();
    let after: Vec<String> = sb
        .files()
        .into_iter()
        .filter(|f| !f.ends_with(".fixture.toml"))
        .collect();
    let before: Vec<String> = before
        .into_iter()
        .filter(|f| !f.ends_with(".fixture.toml"))
        .collect();
    assert_eq!(before, after, "a failed run leaves no file");
    err
}

#[test]
fn unknown_letter_and_jurisdiction_suggest_the_closest_name() {
    let sb = Sandbox::new();
    let err = sb
        .iep()
        .args(["write", "implementation-concen", "--no-input"])
        .fails();
    assert_eq!(
        err,
        "iep: there is no letter called \"implementation-concen\". Did you mean \"implementation-concern\"? `iep letters` lists them all.\n"
    );
    let err = sb
        .iep()
        .args(["jurisdictions", "show", "new-zeland"])
        .fails();
    assert!(err.contains("Did you mean \"new-zealand\"?"), "{err}");
    let err = sb
        .iep()
        .args(["write", "iep-request", "--no-input"])
        .fails();
    assert!(err.contains("Pass --jurisdiction with one of: british-columbia, generic, new-zealand, ontario, quebec"), "{err}");
}

#[test]
fn a_malformed_answers_file_names_file_line_and_column() {
    let sb = Sandbox::new();
    sb.file(
        "bad.toml",
        "child_name = \"Sam\"\nschool_name = Maple Grove\n",
    );
    let err = sb
        .iep()
        .args([
            "write",
            "iep-request",
            "-j",
            "ontario",
            "--answers",
            "bad.toml",
            "--no-input",
        ])
        .fails();
    assert!(err.contains("bad.toml is not valid TOML"), "{err}");
    assert!(err.contains("line 2, column 15"), "{err}");
}

#[test]
fn an_unknown_answer_key_is_refused_with_a_suggestion() {
    let sb = Sandbox::new();
    let err = write_fails(&sb, &["--set", "child_nme=Sam"]);
    assert!(err.contains("--set child_nme: the letter `implementation-concern` has no question `child_nme`. Did you mean `child_name`?"), "{err}");
    sb.file(
        "extra.toml",
        "child_name = \"Sam\"\n\nfavourite_colour = \"blue\"\n",
    );
    let err = sb
        .iep()
        .args([
            "write",
            "implementation-concern",
            "-j",
            "ontario",
            "--answers",
            "extra.toml",
        ])
        .fails();
    assert!(err.contains("extra.toml, line 3: the letter `implementation-concern` has no question `favourite_colour`"), "{err}");
}

#[test]
fn invalid_dates_and_emails_say_what_to_type() {
    let sb = Sandbox::new();
    let err = write_fails(&sb, &["--set", "child_dob=04/09/2016"]);
    assert!(err.contains("--set child_dob: \"04/09/2016\" could mean more than one day. Write it as year-month-day, for example 2026-11-03"), "{err}");
    let err = write_fails(&sb, &["--set", "sender_email=jordan at example.org"]);
    assert!(
        err.contains("is not an email address. It should look like name@example.org"),
        "{err}"
    );
    let err = sb
        .iep()
        .args([
            "write",
            "iep-request",
            "-j",
            "ontario",
            "--date",
            "2026-02-30",
        ])
        .fails();
    assert!(
        err.contains("--date: \"2026-02-30\" is not a real date"),
        "{err}"
    );
    let err = write_fails(&sb, &["--set", "child_dob=2030-01-01"]);
    assert!(err.contains("the day this is written"), "{err}");
}

#[test]
fn a_newline_in_a_one_line_answer_is_refused() {
    let sb = Sandbox::new();
    let err = write_fails(&sb, &["--set", "support=Scribe\nfor tests"]);
    assert!(
        err.contains("--set support: this answer must fit on one line; remove the line break"),
        "{err}"
    );
    let err = write_fails(
        &sb,
        &[
            "--set",
            "recipient_email=a@example.org\nBcc: x@evil.example",
        ],
    );
    assert!(err.contains("must be on one line"), "{err}");
}

#[test]
fn empty_and_missing_required_answers_are_listed_by_key() {
    let sb = Sandbox::new();
    let err = write_fails(&sb, &["--set", "support=   "]);
    assert!(err.contains("--set support: this answer is empty"), "{err}");

    let err = sb
        .iep()
        .args([
            "write",
            "implementation-concern",
            "-j",
            "ontario",
            "--set",
            "child_name=Sam Lee",
        ])
        .fails();
    assert!(err.starts_with("iep: 8 needed answers are missing, and iep is not asking questions here (no terminal, or --no-input):\n"), "{err}");
    assert!(
        err.contains("  child_dob       When was your child born?\n"),
        "{err}"
    );
    assert!(err.contains("  support         Which support is not happening? Copy the words from the IEP if you can.\n"), "{err}");
    assert!(
        err.ends_with("Give them with --set key=value, or in a file passed with --answers.\n"),
        "{err}"
    );
    assert!(!err.contains("child_name "), "given answers are not listed");
}

#[test]
fn answers_for_another_letter_are_refused() {
    let sb = Sandbox::new();
    sb.iep()
        .args(fixture_args(&sb, "progress-evidence", "ontario"))
        .ok();
    let err = sb
        .iep()
        .args([
            "write",
            "iep-request",
            "--answers",
            "2026-11-23-progress-evidence.answers.toml",
        ])
        .fails();
    assert!(
        err.contains("holds answers for the letter `progress-evidence`, not `iep-request`"),
        "{err}"
    );
}

#[test]
fn a_template_error_in_an_override_folder_names_file_line_and_column() {
    let sb = Sandbox::new();
    sb.file(
        "pack/letters/implementation-concern/body.txt.tera",
        "Line one\nThe plan says {{ support | nosuchfilter }}.\n",
    );
    let err = sb
        .iep()
        .args(["--templates", "pack"])
        .args(fixture_args(&sb, "implementation-concern", "ontario"))
        .fails();
    let path = sb
        .path()
        .join("pack/letters/implementation-concern/body.txt.tera");
    assert!(err.contains(&format!("{}:2:", path.display())), "{err}");
    assert!(err.contains("nosuchfilter"), "{err}");

    sb.file(
        "pack/letters/implementation-concern/body.txt.tera",
        "Dear {{ recipent_name }},\n",
    );
    let err = sb
        .iep()
        .args(["--templates", "pack"])
        .args(fixture_args(&sb, "implementation-concern", "ontario"))
        .fails();
    assert!(err.contains(&format!("{}:1:", path.display())), "{err}");
    assert!(err.contains("recipent_name"), "{err}");
}

#[test]
fn a_letter_left_with_a_placeholder_is_refused() {
    let sb = Sandbox::new();
    sb.file(
        "pack/letters/implementation-concern/body.txt.tera",
        "Dear [PRINCIPAL NAME],\n{{ support }}\n",
    );
    let err = sb
        .iep()
        .args(["--templates", "pack"])
        .args(fixture_args(&sb, "implementation-concern", "ontario"))
        .fails();
    assert!(
        err.contains("the letter still contains the placeholder `[PRINCIPAL NAME]` on its line 1"),
        "{err}"
    );
}

#[test]
fn a_broken_jurisdiction_file_names_the_file() {
    let sb = Sandbox::new();
    sb.file(
        "pack/jurisdictions/ontario.toml",
        "name = \"Ontario\"\nsumary = \"typo\"\n",
    );
    let err = sb
        .iep()
        .args(["--templates", "pack", "jurisdictions", "show", "ontario"])
        .fails();
    let path = sb.path().join("pack/jurisdictions/ontario.toml");
    assert!(
        err.contains(&format!("{} is not a valid jurisdiction", path.display())),
        "{err}"
    );
    assert!(err.contains("unknown field `sumary`"), "{err}");
}

#[test]
fn without_a_terminal_nothing_is_asked_and_nothing_hangs() {
    let sb = Sandbox::new();
    // Input is piped, not a terminal: iep must not read it as answers, nor wait for more.
    let err = sb
        .iep()
        .args(["write", "progress-evidence", "-j", "quebec"])
        .stdin("Sam Lee\n2016-04-09\n")
        .fails();
    assert!(err.contains("needed answers are missing"), "{err}");
    assert!(err.contains("  goal "), "{err}");
    assert!(sb.files().is_empty(), "nothing was written");
}
