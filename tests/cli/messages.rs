//! What a parent reads when something is wrong, pinned whole: one table of bad inputs, each
//! message a reviewed snapshot (tests/cli/snapshots/cli__messages__*.snap), with the temporary
//! folder written as `[DIR]`. A changed word shows up in review instead of slipping through.

use crate::support::{Sandbox, fixture_args};

/// (name, how to run it). Each must exit 1, say why, and write nothing.
fn cases(sb: &Sandbox) -> Vec<(&'static str, Vec<String>)> {
    let own = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    let with = |letter: &str, j: &str, extra: &[&str]| {
        let mut args = fixture_args(sb, letter, j);
        args.extend([
            "--output".to_owned(),
            "-".to_owned(),
            "--no-input".to_owned(),
        ]);
        args.extend(extra.iter().map(|a| (*a).to_owned()));
        args
    };
    sb.file(
        "bad.toml",
        "child_name = \"Sam\"\nschool_name = Maple Grove\n",
    );
    vec![
        (
            "unknown_letter",
            own(&["write", "implementation-concen", "--no-input"]),
        ),
        (
            "unknown_jurisdiction",
            own(&["letters", "show", "iep-request", "-j", "new-zeland"]),
        ),
        (
            "no_jurisdiction_without_a_terminal",
            own(&["write", "iep-request", "--no-input"]),
        ),
        (
            "missing_answers",
            own(&[
                "write",
                "implementation-concern",
                "-j",
                "ontario",
                "--no-input",
            ]),
        ),
        (
            "a_letter_not_for_this_jurisdiction",
            with("iprc-request", "quebec", &[]),
        ),
        (
            "an_ambiguous_date",
            with(
                "implementation-concern",
                "ontario",
                &["--set", "child_dob=03/04/2016"],
            ),
        ),
        (
            "a_date_that_does_not_exist",
            with(
                "implementation-concern",
                "ontario",
                &["--set", "child_dob=February 30, 2016"],
            ),
        ),
        (
            "an_unknown_answer_key",
            with("implementation-concern", "ontario", &["--set", "suport=x"]),
        ),
        (
            "a_malformed_answers_file",
            own(&[
                "write",
                "iep-request",
                "-j",
                "ontario",
                "--answers",
                "bad.toml",
                "--no-input",
            ]),
        ),
        (
            "a_missing_attachment",
            with(
                "implementation-concern",
                "ontario",
                &["--attach", "nowhere.pdf"],
            ),
        ),
        ("a_case_command_outside_a_case", own(&["log"])),
        (
            "a_choice_that_is_not_offered",
            with("escalation", "ontario", &["--set", "rung=tribunal"]),
        ),
    ]
}

#[test]
fn every_bad_input_gets_its_reviewed_message() {
    let sb = Sandbox::new();
    for (name, args) in cases(&sb) {
        let stderr = sb.iep().args(&args).fails();
        let shown = stderr.replace(&sb.path().display().to_string(), "[DIR]");
        insta::assert_snapshot!(name, shown);
    }
}
