//! Reply-by dates through the binary: holidays and the school breaks a family records in its
//! case are skipped, the confirmation says which, and bad breaks are refused with the item named.

use crate::support::Sandbox;

const BREAK: &str = "closed_days=December 21, 2026 to January 1, 2027";

/// Writes an implementation-concern letter dated December 18, 2026 from the fixture answers:
/// in the case folder `dir`, or outside a case (printed).
fn write_on(sandbox: &Sandbox, dir: Option<&str>, args: &[&str]) -> crate::support::Ran {
    let answers = sandbox.fixture_answers("implementation-concern");
    let run = sandbox
        .iep()
        .env("IEP_TODAY", "2026-12-18")
        .args([
            "write",
            "implementation-concern",
            "--no-input",
            "--date",
            "2026-12-18",
        ])
        .args(["--answers".to_owned(), answers.display().to_string()])
        .args(args);
    match dir {
        Some(d) => run.in_dir(d),
        None => run.args(["-o", "-"]),
    }
    .ok()
}

/// The case `sam` (made in Ontario) moved to jurisdiction `j`, with `extra` settings.
fn case_in(sandbox: &Sandbox, j: &str, extra: &[&str]) {
    sandbox.init_case(&[]);
    sandbox
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-02")
        .args(["case", "edit", "--no-input", "--jurisdiction", j])
        .args(extra)
        .ok();
}

#[test]
fn a_recorded_break_and_the_holidays_in_it_are_skipped_and_named() {
    let sandbox = Sandbox::new();
    case_in(&sandbox, "british-columbia", &["-s", BREAK]);
    let profile = sandbox.read("sam/iep-case.toml");
    assert!(
        profile.contains("closed_days = [\"2026-12-21 to 2027-01-01\"]"),
        "kept as ISO dates: {profile}"
    );
    let ran = write_on(&sandbox, Some("sam"), &[]);
    assert!(
        ran.stderr.contains(
            "The letter asks for a reply by January 15, 2027 (10 school days after December 18, 2026, not counting Christmas Day (December 25, 2026), Boxing Day (observed) (December 28, 2026, unconfirmed), New Year's Day (January 1, 2027) and your child's school break December 21, 2026 to January 1, 2027)."
        ),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains("does not know"), "{}", ran.stderr);
    let record = sandbox.read("sam/records/2026-12-18-implementation-concern/record.toml");
    assert!(record.contains("reply-by = 2027-01-15"), "{record}");
    assert!(
        record.contains("reply-counted = \"10 school days after December 18, 2026, not counting"),
        "{record}"
    );
    let letter = sandbox.read("sam/records/2026-12-18-implementation-concern/letter.txt");
    assert!(letter.contains("January 15, 2027"), "{letter}");
    // `iep log ID` shows how the date was counted.
    let shown = sandbox
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-12-18")
        .args(["log", "2026-12-18-implementation-concern"])
        .ok();
    assert!(
        shown.stdout.contains("Reply by:  January 15, 2027 (10 school days after December 18, 2026, not counting Christmas Day"),
        "{}",
        shown.stdout
    );
}

#[test]
fn without_a_break_recorded_the_date_still_skips_holidays_and_says_breaks_are_unknown() {
    let sandbox = Sandbox::new();
    // Outside a case.
    let ran = write_on(&sandbox, None, &["-j", "british-columbia"]);
    assert!(
        ran.stderr.contains("reply by January 6, 2027"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr
            .contains("iep does not know your child's school breaks outside a case"),
        "{}",
        ran.stderr
    );
    // In a case with no breaks: how to record them.
    case_in(&sandbox, "british-columbia", &[]);
    let ran = write_on(&sandbox, Some("sam"), &[]);
    assert!(
        ran.stderr.contains("reply by January 6, 2027"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("iep case edit --set closed_days="),
        "{}",
        ran.stderr
    );
    // Every jurisdiction's letter written on December 18, 2026 asks for a day after New Year's.
    for (j, by) in [
        ("ontario", "January 15, 2027"),
        ("quebec", "January 7, 2027"),
        ("new-zealand", "12 January 2027"),
        ("generic", "January 5, 2027"),
    ] {
        let ran = write_on(&sandbox, None, &["-j", j]);
        assert!(
            ran.stderr.contains(&format!("reply by {by}")),
            "{j}: {}",
            ran.stderr
        );
    }
}

#[test]
fn breaks_are_edited_in_the_case_and_a_school_break_does_not_stop_working_days() {
    let sandbox = Sandbox::new();
    case_in(&sandbox, "quebec", &[]);
    let edit = |args: &[&str]| {
        sandbox
            .iep()
            .in_dir("sam")
            .env("IEP_TODAY", "2026-11-02")
            .args(["case", "edit", "--no-input"])
            .args(args)
            .ok()
    };
    // A repeated --set adds to the list; dashes and "until" are read.
    edit(&[
        "-s",
        "closed_days=2026-12-21 – 2027-01-01",
        "-s",
        "closed_days=from 2027-03-01 until 2027-03-05",
    ]);
    let profile = sandbox.read("sam/iep-case.toml");
    assert!(
        profile.contains("\"2026-12-21 to 2027-01-01\""),
        "{profile}"
    );
    assert!(
        profile.contains("\"2027-03-01 to 2027-03-05\""),
        "{profile}"
    );
    // Quebec counts working days: the break is counted through, and the family is told so.
    let ran = write_on(&sandbox, Some("sam"), &[]);
    assert!(
        ran.stderr.contains("reply by January 7, 2027"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("Working days were counted through your child's school break December 21, 2026 to January 1, 2027"),
        "{}",
        ran.stderr
    );
    // `--set closed_days=` clears the list.
    edit(&["-s", "closed_days="]);
    assert!(!sandbox.read("sam/iep-case.toml").contains("2026-12-21"));
}

#[test]
fn bad_breaks_are_refused_with_the_item_named() {
    let sandbox = Sandbox::new();
    case_in(&sandbox, "british-columbia", &[]);
    let before = sandbox.read("sam/iep-case.toml");
    let refuse = |item: &str| {
        sandbox
            .iep()
            .in_dir("sam")
            .env("IEP_TODAY", "2026-11-02")
            .args(["case", "edit", "--no-input", "-s"])
            .args([format!("closed_days={item}")])
            .fails()
    };
    let err = refuse("January 1, 2027 to December 21, 2026");
    assert!(
        err.contains("--set closed_days: \"January 1, 2027 to December 21, 2026\" ends (2026-12-21) before it starts (2027-01-01)"),
        "{err}"
    );
    let err = refuse("after the concert");
    assert!(err.contains("\"after the concert\": "), "{err}");
    assert!(err.contains("year-month-day"), "{err}");
    let err = refuse("2026-09-01 to 2027-12-31");
    assert!(
        err.contains(
            "\"2026-09-01 to 2027-12-31\" is 487 days long: a school break is at most a year"
        ),
        "{err}"
    );
    assert_eq!(
        sandbox.read("sam/iep-case.toml"),
        before,
        "nothing was saved"
    );

    // A break spoiled by hand in the profile stops a letter, naming the file and line.
    assert!(before.contains("closed_days = []"), "{before}");
    let spoiled = before.replace(
        "closed_days = []",
        "closed_days = [\"2027-01-01 to 2026-12-21\"]",
    );
    std::fs::write(sandbox.path().join("sam/iep-case.toml"), spoiled).unwrap();
    let err = sandbox
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-12-18")
        .args(["write", "implementation-concern", "--no-input"])
        .args(["-s", "support=Access to a scribe for written tests"])
        .fails();
    assert!(err.contains("iep-case.toml, line"), "{err}");
    assert!(err.contains("`closed_days`"), "{err}");
    assert!(
        err.contains("ends (2026-12-21) before it starts (2027-01-01)"),
        "{err}"
    );
}

#[test]
fn the_case_interview_re_asks_a_bad_break_with_the_same_message() {
    use iep::answers::{AnswersFile, Value};
    use iep::catalog::{CASE_FORM, Catalog};
    use iep::interview::Interview;
    use iep::prompt::{Scripted, Step};
    use iep::render::Renderer;

    let c = Catalog::new(&[]).unwrap();
    let mut form = c.form(CASE_FORM).unwrap();
    let j = c.jurisdiction("ontario").unwrap();
    form.fill_choices(&j);
    let r = Renderer::form(&form).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let mut interview = Interview::new(&form, &j, &r, date);
    // Everything but the breaks is already known.
    let known = AnswersFile::parse(
        "iep-case.toml",
        "child_name = \"Sam Lee\"\npronouns = \"\"\nchild_dob = 2016-04-09\ngrade = \"Grade 4\"\nschool_name = \"Maple Grove\"\nboard_name = \"\"\nstudent_id = \"\"\npeople = []\nsender_name = \"Jordan Lee\"\nsender_relationship = \"parent\"\nsender_email = \"j@example.org\"\nsender_phone = \"\"\nsender_address = \"\"\naccess_needs = \"\"\n",
    )
    .unwrap();
    interview.preset(Some(&known), &[]).unwrap();
    let text = |s: &str| Step::Text(s.to_owned());
    let mut p = Scripted::new([
        text("January 1, 2027 to December 21, 2026"),
        text("2026-09-01 to 2027-12-31"),
        text("December 21, 2026 – January 1, 2027"),
        text("2027-03-15"),
        text(""),
        Step::Pick("Everything looks right".into()),
    ]);
    interview.run_form(&mut p).unwrap();
    let shown = p.transcript.join("\n");
    assert!(
        shown.contains("\"January 1, 2027 to December 21, 2026\" ends (2026-12-21) before it starts (2027-01-01)"),
        "{shown}"
    );
    assert!(shown.contains("is 487 days long"), "{shown}");
    let answers = interview.answers_in_order().unwrap();
    let breaks = answers.iter().find(|(k, _)| k == "closed_days").unwrap();
    assert_eq!(
        breaks.1,
        Value::List(vec![
            "2026-12-21 to 2027-01-01".to_owned(),
            "2027-03-15".to_owned()
        ])
    );
}
