//! The case folder: init, records, replies, observations, due, follow-ups, the chronology, and
//! that nothing is lost when runs overlap or die.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use crate::support::{Ran, Sandbox};

/// Makes the case `sam` (Ontario) with a principal and a superintendent on file.
fn init(sandbox: &Sandbox) {
    sandbox.init_case(&[
        "-s",
        "board_name=Lakeside District School Board",
        "--contact",
        "superintendent=Dr. Helen Ross",
    ]);
}

/// Runs iep in the case on `day`.
fn iep_on(sandbox: &Sandbox, day: &str, args: &[&str]) -> Ran {
    sandbox
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", day)
        .args(args)
        .run()
}

fn ok_on(sandbox: &Sandbox, day: &str, args: &[&str]) -> Ran {
    let ran = iep_on(sandbox, day, args);
    assert_eq!(ran.code, 0, "iep {args:?} failed:\n{}", ran.stderr);
    ran
}

/// Records one observation, which an implementation-concern letter takes as its example.
fn observe(sandbox: &Sandbox) {
    ok_on(
        sandbox,
        "2026-11-04",
        &[
            "observe",
            "--support",
            "Access to a scribe for written tests",
            "--what",
            "no scribe for the unit test",
        ],
    );
}

fn write_concern(sandbox: &Sandbox, day: &str) -> Ran {
    ok_on(
        sandbox,
        day,
        &[
            "write",
            "implementation-concern",
            "--no-input",
            "-s",
            "support=Access to a scribe for written tests",
        ],
    )
}

/// The case the chronology snapshot is made from: a request, its reply, two observations, a
/// concern with no reply, and an escalation that follows it up.
fn fixture_case(sandbox: &Sandbox) {
    init(sandbox);
    ok_on(
        sandbox,
        "2026-11-02",
        &[
            "write",
            "iep-request",
            "--no-input",
            "-s",
            "at_home=He cannot get his ideas onto paper.",
            "-s",
            "at_school=He stops writing after two lines.",
            "-s",
            "has_reports=no",
        ],
    );
    ok_on(
        sandbox,
        "2026-11-10",
        &[
            "reply",
            "iep-request",
            "--from",
            "Ms. Patel, Principal",
            "--summary",
            "A meeting is set for November 20. No draft will be sent before it.",
            "--answered",
            "1,3",
        ],
    );
    for (date, setting, what) in [
        (
            "2026-11-04",
            "science class",
            "no scribe for the unit test; he wrote two lines",
        ),
        ("2026-11-10", "", "no scribe for the math quiz"),
    ] {
        let mut args = vec![
            "observe",
            "--date",
            date,
            "--support",
            "Access to a scribe for written tests",
            "--what",
            what,
        ];
        if !setting.is_empty() {
            args.extend(["--setting", setting]);
        }
        ok_on(sandbox, "2026-11-12", &args);
    }
    write_concern(sandbox, "2026-11-12");
    ok_on(
        sandbox,
        "2026-12-01",
        &[
            "write",
            "escalation",
            "--no-input",
            "--follow-up",
            "implementation-concern",
            "-s",
            "rung=superintendent",
            "-s",
            "issue=The scribe in Sam's IEP has not been provided since November 4.",
            "-s",
            "remedy=Provide the scribe for every written test from now on.",
        ],
    );
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every file under `dir` with its bytes, skipping the lock and leftovers of killed runs.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                files.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    files
}

#[test]
fn a_case_is_private_and_its_answers_are_not_asked_again() {
    let sandbox = Sandbox::new();
    init(&sandbox);
    observe(&sandbox);
    let root = sandbox.path().join("sam");
    assert_eq!(mode(&root), 0o700);
    assert_eq!(mode(&root.join("records")), 0o700);
    assert_eq!(mode(&root.join("iep-case.toml")), 0o600);

    // An observation about another support is not offered as this letter's example.
    ok_on(
        &sandbox,
        "2026-11-05",
        &[
            "observe",
            "--support",
            "Speech therapy twice a week",
            "--what",
            "no session this week",
        ],
    );
    // Only the letter's own answer is given: the child, school, sender and the principal's
    // name and address come from the case.
    let ran = write_concern(&sandbox, "2026-11-12");
    assert!(
        ran.stderr.contains("Recorded the letter in the case"),
        "{}",
        ran.stderr
    );
    let dir = root.join("records/2026-11-12-implementation-concern");
    assert_eq!(mode(&dir), 0o700);
    for f in ["record.toml", "letter.txt", "answers.toml"] {
        assert_eq!(mode(&dir.join(f)), 0o600, "{f}");
    }
    // letter.txt is the printed letter; who it went to is in the record.
    let letter = std::fs::read_to_string(dir.join("letter.txt")).unwrap();
    assert!(!letter.contains("To: Ms. Amina Patel"), "{letter}");
    let record = std::fs::read_to_string(dir.join("record.toml")).unwrap();
    assert!(record.contains("a.patel@school.example.org"), "{record}");
    assert!(letter.contains("Re: Sam Lee, born April 9, 2016, Grade 4, Maple Grove School"));
    assert!(
        sandbox.files().iter().all(|f| !f.ends_with(".txt")),
        "nothing outside the case"
    );
    assert!(letter.contains("no scribe for the unit test"), "{letter}");
    assert!(!letter.contains("no session"), "{letter}");

    // An extra copy that cannot be saved stops the run before anything is recorded.
    let ran = iep_on(
        &sandbox,
        "2026-11-12",
        &[
            "write",
            "implementation-concern",
            "--no-input",
            "-s",
            "support=Access to a scribe",
            "--output",
            "no/such/folder/letter.txt",
        ],
    );
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(!ran.stderr.contains("Recorded"), "{}", ran.stderr);
    assert_eq!(
        std::fs::read_dir(root.join("records"))
            .unwrap()
            .filter(|e| !e
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.'))
            .count(),
        1
    );

    // Forms speak of today, and of their own flags.
    let ran = iep_on(
        &sandbox,
        "2026-11-12",
        &[
            "observe",
            "--date",
            "2026-11-13",
            "--support",
            "x",
            "--what",
            "y",
        ],
    );
    assert!(
        ran.stderr
            .contains("2026-11-13 is after 2026-11-12, the day this is written"),
        "{}",
        ran.stderr
    );
    let ran = iep_on(
        &sandbox,
        "2026-11-12",
        &["observe", "--no-input", "--support", "x"],
    );
    assert!(
        ran.stderr.contains("  what  ") && ran.stderr.contains("flag of the same name"),
        "{}",
        ran.stderr
    );
    let ran = iep_on(
        &sandbox,
        "2026-11-12",
        &[
            "reply",
            "implementation",
            "--from",
            "x",
            "--summary",
            "y",
            "--answered",
            "9",
        ],
    );
    assert!(
        ran.stderr
            .contains("--answered: \"9\" is not one of the letter's questions. It asked 5"),
        "{}",
        ran.stderr
    );
    // Naming the profile file names its folder.
    sandbox
        .iep()
        .args(["--case", "sam/iep-case.toml", "case", "show"])
        .ok();

    // The case is found from a folder inside it, by IEP_CASE, and by --case.
    std::fs::create_dir_all(root.join("notes/2026")).unwrap();
    let from_below = sandbox.iep().in_dir("sam/notes/2026").args(["log"]).ok();
    assert!(
        from_below
            .stdout
            .contains("2026-11-12-implementation-concern")
    );
    let by_env = sandbox.iep().env("IEP_CASE", "sam").args(["log"]).ok();
    assert_eq!(by_env.stdout, from_below.stdout);
    let err = sandbox.iep().args(["--case", "nowhere", "log"]).fails();
    assert!(
        err.contains("--case names ") && err.contains("not a case folder"),
        "{err}"
    );
    let err = sandbox.iep().args(["log"]).fails();
    assert!(err.contains("Run `iep init`"), "{err}");

    // `case edit --set` changes one answer and keeps the rest; a bad value changes nothing.
    let before = std::fs::read_to_string(root.join("iep-case.toml")).unwrap();
    let err = iep_on(
        &sandbox,
        "2026-11-12",
        &["case", "edit", "--set", "child_dob=2030-01-01"],
    );
    assert_eq!(err.code, 1);
    assert_eq!(
        std::fs::read_to_string(root.join("iep-case.toml")).unwrap(),
        before
    );
    ok_on(
        &sandbox,
        "2026-11-12",
        &["case", "edit", "--set", "grade=Grade 5"],
    );
    let shown = ok_on(&sandbox, "2026-11-12", &["case", "show"]).stdout;
    // In the questions' words, never the keys.
    assert!(
        shown.contains("What grade is your child in? Grade 5\n"),
        "{shown}"
    );
    assert!(
        shown.contains("What is your child's full name? Sam Lee\n"),
        "{shown}"
    );
    for key in ["child_name", "sender_relationship", "school_name"] {
        assert!(!shown.contains(key), "{key}: {shown}");
    }
    assert!(
        shown.contains("Superintendent of Education: Dr. Helen Ross"),
        "{shown}"
    );
    assert!(
        shown.contains("Letters: 1 (1 waiting for a reply, 0 overdue)"),
        "{shown}"
    );

    // Edits at once, each of a different answer, all keep their change.
    let runs: Vec<_> = [
        "student_id=330 123 456",
        "sender_phone=555-0142",
        "pronouns=he/him",
        "access_needs=an interpreter",
        "sender_address=12 Elm Street",
    ]
    .iter()
    .map(|set| {
        let mut cmd = sandbox
            .iep()
            .in_dir("sam")
            .env("IEP_TODAY", "2026-11-12")
            .args(["case", "edit", "--set", set])
            .command();
        cmd.stderr(std::process::Stdio::piped()).spawn().unwrap()
    })
    .collect();
    for run in runs {
        let out = crate::support::wait_with_deadline(run, crate::support::DEADLINE, "case edit");
        assert!(out.status.success());
    }
    let profile = std::fs::read_to_string(root.join("iep-case.toml")).unwrap();
    for kept in [
        "330 123 456",
        "555-0142",
        "he/him",
        "an interpreter",
        "12 Elm Street",
        "Grade 5",
    ] {
        assert!(profile.contains(kept), "{kept} was lost:\n{profile}");
    }
}

#[test]
fn replies_due_dates_and_follow_ups_drive_the_next_letter() {
    let sandbox = Sandbox::new();
    fixture_case(&sandbox);

    // The concern offered both observations as its dated examples.
    let concern = sandbox.read("sam/records/2026-11-12-implementation-concern/letter.txt");
    assert!(concern.contains(
        "- November 4, 2026: no scribe for the unit test; he wrote two lines (science class)\n- November 10, 2026: no scribe for the math quiz\n"
    ), "{concern}");

    // The escalation carries the chronology of the letter it follows, with its missing reply.
    let esc = sandbox.read("sam/records/2026-12-01-escalation/letter.txt");
    let esc_record = sandbox.read("sam/records/2026-12-01-escalation/record.toml");
    assert!(esc_record.contains("Dr. Helen Ross"), "{esc_record}");
    assert!(esc.contains("- November 12, 2026, Ms. Amina Patel, Principal. I asked that this support in the IEP be given as written: \"Access to a scribe for written tests\"; and who gives it, when, and how it is tracked. Answer: no reply by November 26, 2026.\n"), "{esc}");
    let record = sandbox.read("sam/records/2026-12-01-escalation/record.toml");
    assert!(
        record.contains("follows = \"2026-11-12-implementation-concern\""),
        "{record}"
    );

    // On the day a reply is due nothing is overdue; the day after, it is.
    let due = ok_on(&sandbox, "2026-12-15", &["due"]).stdout;
    assert!(
        due.starts_with("No reply is overdue as of 2026-12-15."),
        "{due}"
    );
    let due = ok_on(&sandbox, "2026-12-16", &["due"]).stdout;
    assert!(due.starts_with("2026-12-01-escalation  Take a concern to the next step, to Dr. Helen Ross, Superintendent of Education\n  The reply was due December 15, 2026: 1 day ago"), "{due}");
    assert!(
        due.contains("iep write escalation --follow-up 2026-12-01-escalation --set rung=director"),
        "{due}"
    );
    assert!(
        due.contains(
            "Not listed: 1 overdue letter already followed up (2026-11-12-implementation-concern)"
        ),
        "{due}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok_on(&sandbox, "2026-12-16", &["due", "--json"]).stdout).unwrap();
    assert_eq!(
        (json["version"].clone(), json["on"].clone()),
        (1.into(), "2026-12-16".into())
    );
    let json = &json["overdue"];
    assert_eq!(json[0]["days_overdue"], 1);
    assert_eq!(json[0]["next_rung"]["id"], "director");

    // A reply stops it being overdue and is shown in the log.
    ok_on(
        &sandbox,
        "2026-12-16",
        &[
            "reply",
            "2026-12-01",
            "--from",
            "Dr. Ross",
            "--summary",
            "A scribe starts Monday.",
            "--answered",
            "all",
        ],
    );
    let due = ok_on(&sandbox, "2026-12-16", &["due"]).stdout;
    assert!(due.starts_with("No reply is overdue"), "{due}");
    let log = ok_on(&sandbox, "2026-12-16", &["log"]).stdout;
    assert_eq!(
        log,
        "2026-11-02  2026-11-02-iep-request             Ms. Amina Patel, Principal                   OPEN: reply received 2026-11-10, 1 of 3 questions unanswered\n\
         2026-11-12  2026-11-12-implementation-concern  Ms. Amina Patel, Principal                   OVERDUE: reply was due 2026-11-26\n\
         2026-12-01  2026-12-01-escalation              Dr. Helen Ross, Superintendent of Education  reply received 2026-12-16\n"
    );
    let only = ok_on(
        &sandbox,
        "2026-12-16",
        &["log", "--letter", "escalation", "--since", "2026-11-15"],
    )
    .stdout;
    assert_eq!(only.lines().count(), 1, "{only}");
    let json: serde_json::Value = serde_json::from_str(
        &ok_on(
            &sandbox,
            "2026-12-16",
            &["log", "--json", "--until", "2026-11-30"],
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(json["version"], 1);
    let json = &json["records"];
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(
        json[0]["reply"]["unanswered"][0],
        "A draft of the goals and accommodations before the meeting, so I can read it and come ready."
    );
    assert_eq!(json[1]["overdue"], true);

    // A reply dated before its letter is refused, and nothing is added.
    let before = sandbox.read("sam/records/2026-11-12-implementation-concern/record.toml");
    let bad = iep_on(
        &sandbox,
        "2026-12-16",
        &[
            "reply",
            "implementation",
            "--date",
            "2026-11-01",
            "--from",
            "x",
            "--summary",
            "y",
        ],
    );
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.contains("before the letter it answers"),
        "{}",
        bad.stderr
    );
    assert_eq!(
        sandbox.read("sam/records/2026-11-12-implementation-concern/record.toml"),
        before
    );

    // A follow-up says what was sent, when, to whom, and the reply or its absence.
    for (follows, reply) in [
        (
            "2026-11-02-iep-request",
            "Thank you for the reply from Ms. Patel, Principal on November 10, 2026. This letter is about what is still open.",
        ),
        (
            "2026-11-12-implementation-concern",
            "I have not had a reply, although I asked for one by November 26, 2026.",
        ),
    ] {
        ok_on(
            &sandbox,
            "2026-12-17",
            &[
                "write",
                "progress-evidence",
                "--no-input",
                "--follow-up",
                follows,
                "-s",
                "goal=Sam will write five sentences.",
            ],
        );
        let dir = std::fs::read_dir(sandbox.path().join("sam/records"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("record.toml").is_file())
            .find(|p| {
                std::fs::read_to_string(p.join("record.toml"))
                    .unwrap()
                    .contains(&format!("follows = \"{follows}\""))
                    && p.to_string_lossy().contains("progress-evidence")
            })
            .unwrap();
        let letter = std::fs::read_to_string(dir.join("letter.txt")).unwrap();
        assert!(
            letter.contains(&format!(
                "on {}, asking ",
                if follows.contains("11-02") {
                    "November 2, 2026"
                } else {
                    "November 12, 2026"
                }
            )),
            "{letter}"
        );
        assert!(letter.contains(reply), "{letter}");
    }
}

/// Issue 13, trap 13: a reply that answers some of a letter's questions leaves the letter open,
/// says how many are unanswered, and the letters suggested next fit the letter and the reply.
#[test]
fn a_letter_answered_in_part_stays_open_and_the_next_letters_fit_it() {
    let sandbox = Sandbox::new();
    init(&sandbox);
    observe(&sandbox);
    write_concern(&sandbox, "2026-11-12");
    let id = "2026-11-12-implementation-concern";

    // No reply: the next step is up the ladder, not a letter about progress.
    let due = ok_on(&sandbox, "2026-12-01", &["due"]).stdout;
    assert!(
        due.contains(&format!(
            "  Next (the next step up: Superintendent of Education): iep write escalation --follow-up {id} --set rung=superintendent\n"
        )),
        "{due}"
    );
    assert!(!due.contains("progress-evidence"), "{due}");

    // A reply that answers one question of three.
    let replied = ok_on(
        &sandbox,
        "2026-12-01",
        &[
            "reply",
            id,
            "--from",
            "Ms. Patel",
            "--summary",
            "A scribe will be found.",
            "--answered",
            "1",
        ],
    );
    assert!(
        replied
            .stderr
            .contains("It left 4 of 5 questions unanswered"),
        "{}",
        replied.stderr
    );
    assert!(
        replied.stderr.contains(&format!(
            "ask again for what is still open: iep write implementation-concern --follow-up {id}"
        )),
        "{}",
        replied.stderr
    );
    let log = ok_on(&sandbox, "2026-12-02", &["log"]).stdout;
    assert!(
        log.contains("OPEN: reply received 2026-12-01, 4 of 5 questions unanswered"),
        "{log}"
    );
    let shown = ok_on(&sandbox, "2026-12-02", &["log", id]).stdout;
    assert!(
        shown.contains("  2. Who is responsible for giving it?  (not answered yet)\n"),
        "{shown}"
    );
    let due = ok_on(&sandbox, "2026-12-02", &["due"]).stdout;
    assert!(
        due.contains(&format!(
            "{id}  A support in the plan is not happening, to Ms. Amina Patel, Principal\n  Still open: the reply of December 1, 2026 left 4 of 5 questions unanswered (iep log {id} shows which).\n  Next (ask again for what is still open): iep write implementation-concern --follow-up {id}\n  Next (the next step up: Superintendent of Education): iep write escalation --follow-up {id} --set rung=superintendent\n"
        )),
        "{due}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok_on(&sandbox, "2026-12-02", &["due", "--json"]).stdout).unwrap();
    assert_eq!(json["open"][0]["unanswered"], 4, "{json}");
    assert_eq!(json["open"][0]["questions"], 5, "{json}");

    // The follow-up names the questions still open; then the first letter is no longer listed.
    ok_on(
        &sandbox,
        "2026-12-03",
        &[
            "write",
            "implementation-concern",
            "--no-input",
            "--follow-up",
            id,
        ],
    );
    let letter = sandbox.read("sam/records/2026-12-03-implementation-concern/letter.txt");
    assert!(
        letter.contains("These questions from my letter have not been answered yet:\n1. "),
        "{letter}"
    );
    let due = ok_on(&sandbox, "2026-12-04", &["due"]).stdout;
    assert!(!due.contains(&format!("{id}  ")), "{due}");

    // An IEP request with no reply is never followed by a letter about a plan that does not
    // exist yet.
    let show = ok_on(&sandbox, "2026-12-04", &["letters", "show", "iep-request"]).stdout;
    assert!(
        show.contains("If it gets no answer: iprc-request, escalation"),
        "{show}"
    );
}

#[test]
fn the_exported_chronology_is_what_a_family_attaches() {
    let sandbox = Sandbox::new();
    fixture_case(&sandbox);
    let md = ok_on(
        &sandbox,
        "2026-12-20",
        &["log", "--export", "md", "-o", "-"],
    )
    .stdout;
    insta::assert_snapshot!("chronology_md", md);
    let csv = ok_on(
        &sandbox,
        "2026-12-20",
        &["log", "--export", "csv", "-o", "-"],
    )
    .stdout;
    insta::assert_snapshot!("chronology_csv", csv);
    // Without -o it is saved in the case folder, private.
    ok_on(&sandbox, "2026-12-20", &["log", "--export", "md"]);
    assert_eq!(sandbox.read("sam/chronology.md"), md);
    assert_eq!(mode(&sandbox.path().join("sam/chronology.md")), 0o600);
}

#[test]
fn a_hand_damaged_record_is_named_and_the_others_still_work() {
    let sandbox = Sandbox::new();
    init(&sandbox);
    observe(&sandbox);
    write_concern(&sandbox, "2026-11-12");
    write_concern(&sandbox, "2026-11-13");
    // The timeline is read once, so the index holds both records before the hand edit.
    assert_eq!(
        ok_on(&sandbox, "2026-12-20", &["log"])
            .stdout
            .lines()
            .count(),
        2
    );
    let path = sandbox
        .path()
        .join("sam/records/2026-11-12-implementation-concern/record.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = text.replace("reply-by = 2026-11-26", "reply-by = 2026-11-31");
    std::fs::write(&path, &broken).unwrap();

    let ran = ok_on(&sandbox, "2026-12-20", &["log"]);
    assert_eq!(ran.stdout.lines().count(), 1);
    assert!(ran.stdout.contains("2026-11-13-implementation-concern"));
    assert!(
        ran.stderr
            .contains("records/2026-11-12-implementation-concern/record.toml cannot be read"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("line 11, column 12"), "{}", ran.stderr);
    let due = ok_on(&sandbox, "2026-12-20", &["due"]);
    assert!(due.stdout.contains("2026-11-13-implementation-concern"));
    // A record naming a jurisdiction iep does not know is named; the rest are still listed.
    let other = sandbox
        .path()
        .join("sam/records/2026-11-13-implementation-concern/record.toml");
    let text = std::fs::read_to_string(&other).unwrap();
    std::fs::write(
        &other,
        text.replace("jurisdiction = \"ontario\"", "jurisdiction = \"ontrio\""),
    )
    .unwrap();
    write_concern(&sandbox, "2026-11-14");
    let due = ok_on(&sandbox, "2026-12-20", &["due"]);
    assert!(
        due.stdout.contains("2026-11-14-implementation-concern"),
        "{}",
        due.stdout
    );
    assert!(
        due.stderr.contains(
            "2026-11-13-implementation-concern/record.toml names the jurisdiction \"ontrio\""
        ),
        "{}",
        due.stderr
    );
    // A reply to the damaged record is refused and the file is left exactly as the parent left it.
    let ran = iep_on(
        &sandbox,
        "2026-12-20",
        &[
            "reply",
            "2026-11-12-implementation-concern",
            "--from",
            "x",
            "--summary",
            "y",
        ],
    );
    assert_eq!(ran.code, 1);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
}

#[test]
fn sixteen_writes_at_once_make_sixteen_whole_records() {
    let sandbox = Sandbox::new();
    init(&sandbox);
    observe(&sandbox);
    let children: Vec<_> = (0..16)
        .map(|n| {
            let mut cmd = sandbox
                .iep()
                .in_dir("sam")
                .env("IEP_TODAY", "2026-11-12")
                .args([
                    "write",
                    "implementation-concern",
                    "--no-input",
                    "-s",
                    &format!("support=Access to a scribe for written tests (copy {n})"),
                ])
                .command();
            cmd.stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = crate::support::wait_with_deadline(child, crate::support::DEADLINE, "write");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let log = ok_on(&sandbox, "2026-11-12", &["log", "--json"]);
    assert!(log.stderr.is_empty(), "{}", log.stderr);
    let records: serde_json::Value = serde_json::from_str(&log.stdout).unwrap();
    let records = records["records"].as_array().unwrap();
    assert_eq!(records.len(), 16);
    let mut supports: Vec<String> = records
        .iter()
        .map(|r| {
            let dir = Path::new(r["path"].as_str().unwrap())
                .parent()
                .unwrap()
                .to_path_buf();
            let letter = std::fs::read_to_string(dir.join("letter.txt")).unwrap();
            let answers = std::fs::read_to_string(dir.join("answers.toml")).unwrap();
            let support = answers
                .lines()
                .find_map(|l| l.strip_prefix("support = "))
                .unwrap()
                .trim_matches('"')
                .to_owned();
            assert!(
                letter.contains(&format!("The IEP says: \"{support}\"")),
                "each letter matches its answers"
            );
            assert!(
                letter.ends_with("Parent of Sam Lee\n"),
                "the letter is whole"
            );
            support
        })
        .collect();
    supports.sort();
    supports.dedup();
    assert_eq!(supports.len(), 16, "no record was overwritten by another");
}

/// A small deterministic generator, so a failure can be replayed.
fn next_random(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *state >> 33
}

#[test]
fn runs_killed_at_random_points_never_tear_or_lose_a_record() {
    let sandbox = Sandbox::new();
    init(&sandbox);
    observe(&sandbox);
    write_concern(&sandbox, "2026-11-12");
    let case = sandbox.path().join("sam");
    // Kill times spread over a whole run, however fast this machine is: time one first.
    let started = std::time::Instant::now();
    write_concern(&sandbox, "2026-11-12");
    let run_micros = started.elapsed().as_micros() as u64;
    let mut kept = snapshot(&case);
    let mut seed = 0x1e9_u64;
    let mut finished = 0;
    for round in 0..100 {
        // Alternate between making a record and appending a reply to the first one.
        let args: Vec<String> = if round % 2 == 0 {
            [
                "write",
                "implementation-concern",
                "--no-input",
                "-s",
                "support=Access to a scribe",
            ]
            .map(str::to_owned)
            .to_vec()
        } else {
            [
                "reply",
                "2026-11-12-implementation-concern",
                "--no-input",
                "--from",
                "Ms. Patel",
                "--summary",
                "Noted.",
            ]
            .map(str::to_owned)
            .to_vec()
        };
        let mut cmd = sandbox
            .iep()
            .in_dir("sam")
            .env("IEP_TODAY", "2026-11-20")
            .args(&args)
            .command();
        cmd.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut child = cmd.spawn().unwrap();
        let delay = next_random(&mut seed) % (run_micros * 3 / 2);
        std::thread::sleep(std::time::Duration::from_micros(delay));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if status.success() {
            finished += 1;
        }

        // Every record still parses and every file from before is still there, whole and the
        // same, except a record.toml that gained history (its old text is kept as its start).
        let ran = ok_on(&sandbox, "2026-11-20", &["log", "--json"]);
        assert!(ran.stderr.is_empty(), "round {round}: {}", ran.stderr);
        let now = snapshot(&case);
        for (path, bytes) in &kept {
            let after = now
                .get(path)
                .unwrap_or_else(|| panic!("round {round}: {path} is gone"));
            if path.ends_with("record.toml") {
                assert!(after.starts_with(bytes), "round {round}: {path} lost text");
            } else {
                assert_eq!(after, bytes, "round {round}: {path} changed");
            }
        }
        for (path, bytes) in &now {
            if path.starts_with("records/") && path.ends_with("letter.txt") {
                assert!(
                    bytes.ends_with(b"Parent of Sam Lee\n"),
                    "round {round}: {path} is torn"
                );
            }
        }
        kept = now;
    }
    eprintln!("{finished} of 100 runs finished before the kill (one run takes {run_micros} us)");
    // Some runs were cut short and some finished; both kinds were exercised.
    assert!(finished < 100, "every run finished before the kill");
    assert!(finished > 0, "no run got far enough to finish");
    let records = std::fs::read_dir(case.join("records"))
        .unwrap()
        .filter(|e| {
            !e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .count();
    assert!(records >= 1);
}

#[test]
fn reply_by_and_overdue_follow_each_jurisdictions_clock_across_weekends_and_month_ends() {
    let sandbox = Sandbox::new();
    init(&sandbox);
    observe(&sandbox);
    // Friday January 29, 2027: ten school or working days later is Friday February 12, across
    // two weekends and the month's end. Each jurisdiction's own window applies to its letter.
    // In New Zealand Waitangi Day falls on Saturday February 6, 2027, so Monday the 8th is not
    // a working day and the reply is due Monday February 15.
    let friday = "2027-01-29";
    let mut expected = Vec::new();
    for j in [
        "ontario",
        "british-columbia",
        "quebec",
        "new-zealand",
        "generic",
    ] {
        ok_on(
            &sandbox,
            friday,
            &[
                "write",
                "implementation-concern",
                "--no-input",
                "-j",
                j,
                "-s",
                "support=A scribe",
            ],
        );
        expected.push((
            format!(
                "{friday}-implementation-concern{}",
                if j == "ontario" {
                    String::new()
                } else {
                    format!("-{}", expected.len() + 1)
                }
            ),
            if j == "new-zealand" {
                "2027-02-15"
            } else {
                "2027-02-12"
            },
        ));
    }
    // Rungs with their own windows: BC's Section 11 appeal (45 calendar days, into March) and
    // Quebec's complaint step 2 (15 working days). (The regional student ombudsman, step 3, sets
    // its own pace: that letter asks for no reply date.)
    for (j, rung, by) in [
        ("british-columbia", "board-appeal", "2027-03-15"),
        ("quebec", "complaints-officer", "2027-02-19"),
    ] {
        ok_on(
            &sandbox,
            friday,
            &[
                "write",
                "escalation",
                "--no-input",
                "-j",
                j,
                "-s",
                &format!("rung={rung}"),
                "-s",
                "issue=The scribe has not been provided.",
                "-s",
                "remedy=Provide the scribe.",
                "-s",
                "recipient_name=The office",
                // Only the appeal asks these; the complaint steps ignore them.
                "-s",
                "decided=yes",
                "-s",
                "decision=the decision not to provide the scribe",
                "-s",
                "decision_by=Ms. Patel, Principal",
                "-s",
                "decision_date=2027-01-20",
                "-s",
                "affects=He cannot write tests.",
            ],
        );
        let n = expected
            .iter()
            .filter(|(id, _)| id.contains("escalation"))
            .count();
        let id = if n == 0 {
            format!("{friday}-escalation")
        } else {
            format!("{friday}-escalation-{}", n + 1)
        };
        expected.push((id, by));
    }
    let log: serde_json::Value =
        serde_json::from_str(&ok_on(&sandbox, friday, &["log", "--json"]).stdout).unwrap();
    let got: Vec<(String, String)> = log["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["reply_by"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (id, by) in &expected {
        assert!(
            got.contains(&(id.clone(), by.to_string())),
            "{id} should be due {by}: {got:?}"
        );
    }
    // On the reply-by day nothing is overdue; on the Saturday after, four are, by one day (New
    // Zealand's is due on the Monday).
    let due = |on: &str| -> serde_json::Value {
        let due: serde_json::Value =
            serde_json::from_str(&ok_on(&sandbox, friday, &["due", "--json", "--on", on]).stdout)
                .unwrap();
        due["overdue"].clone()
    };
    assert_eq!(due("2027-02-12").as_array().unwrap().len(), 0);
    let saturday = due("2027-02-13");
    assert_eq!(saturday.as_array().unwrap().len(), 4, "{saturday:#}");
    assert!(
        saturday
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["days_overdue"] == 1)
    );
    // February has 28 days in 2027: the 45-day appeal is due March 15 and overdue March 16.
    let march = due("2027-03-16");
    let ids: Vec<&str> = march
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    assert_eq!(
        ids.last(),
        Some(&"2027-01-29-escalation"),
        "oldest reply-by date first"
    );
}

/// The same guarantee as above, step by step instead of by chance: a debug build run with
/// `IEP_FAILPOINT=<step>` kills itself (SIGKILL) at that named step of saving. At every step a
/// new record is there whole or not at all, a reply is in the history or not at all, and nothing
/// that was there before changed.
#[test]
fn a_run_killed_at_each_step_of_saving_leaves_every_record_whole() {
    let sandbox = Sandbox::new();
    init(&sandbox);
    observe(&sandbox);
    write_concern(&sandbox, "2026-11-12");
    let case = sandbox.path().join("sam");
    let write = [
        "write",
        "implementation-concern",
        "--no-input",
        "-s",
        "support=Access to a scribe",
    ];
    let reply = [
        "reply",
        "2026-11-12-implementation-concern",
        "--no-input",
        "--from",
        "Ms. Patel",
        "--summary",
        "Noted.",
    ];
    let records = |case: &Path| {
        std::fs::read_dir(case.join("records"))
            .unwrap()
            .filter(|e| {
                !e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with('.')
            })
            .count()
    };
    for (step, args, grows) in [
        ("record-create:before-rename", &write[..], false),
        ("record-create:after-rename", &write[..], true),
        ("record-append:before-write", &reply[..], false),
        ("atomic-write:before-rename", &reply[..], false),
    ] {
        let before = snapshot(&case);
        let count = records(&case);
        let ran = sandbox
            .iep()
            .in_dir("sam")
            .env("IEP_TODAY", "2026-11-20")
            .env("IEP_FAILPOINT", step)
            .args(args)
            .run();
        assert_ne!(ran.code, 0, "{step}: the run was killed");
        // Every record still reads, and nothing from before changed.
        let log = ok_on(&sandbox, "2026-11-20", &["log", "--json"]);
        assert!(log.stderr.is_empty(), "{step}: {}", log.stderr);
        let after = snapshot(&case);
        for (path, bytes) in &before {
            assert_eq!(after.get(path), Some(bytes), "{step}: {path} changed");
        }
        // A record made before the kill is whole; one not made left nothing visible.
        assert_eq!(records(&case), count + usize::from(grows), "{step}");
        for (path, bytes) in &after {
            if path.ends_with("letter.txt") {
                assert!(
                    bytes.ends_with(b"Parent of Sam Lee\n"),
                    "{step}: {path} is torn"
                );
            }
        }
        // The next run clears what the killed one left and works.
        ok_on(&sandbox, "2026-11-20", &reply);
    }
}

/// The people a case keeps are read by shape (any role, so a letter may be written for another
/// jurisdiction), but a name edited by hand to hold a control character is refused with the
/// file and line, never put into a letter or an email header.
#[test]
fn the_cases_people_are_read_by_shape_and_a_control_character_is_refused() {
    let sandbox = Sandbox::new();
    init(&sandbox);
    observe(&sandbox);
    let path = sandbox.path().join("sam/iep-case.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("Ms. Amina Patel"), "{text}");
    // Written for Quebec from an Ontario case: the superintendent is not a Quebec role.
    let ran = ok_on(
        &sandbox,
        "2026-11-12",
        &[
            "write",
            "implementation-concern",
            "--no-input",
            "-j",
            "quebec",
            "-s",
            "support=Access to a scribe for written tests",
            "--output",
            "-",
        ],
    );
    assert!(ran.stdout.contains("Dear Ms. Patel,"), "{}", ran.stdout);
    std::fs::write(
        &path,
        text.replace("Ms. Amina Patel", "Ms. Amina\\u001b[31m Patel"),
    )
    .unwrap();
    let err = iep_on(
        &sandbox,
        "2026-11-12",
        &[
            "write",
            "implementation-concern",
            "--no-input",
            "-s",
            "support=Access to a scribe for written tests",
        ],
    );
    assert_eq!(err.code, 1, "{}", err.stderr);
    assert!(err.stderr.contains("`people`"), "{}", err.stderr);
    assert!(!err.stderr.contains('\u{1b}'), "{}", err.stderr);
}

/// `iep init DIR` says to go into the new folder: iep finds a case from the folder it runs in,
/// so without `cd`, the next `iep log` finds no case.
#[test]
fn init_says_how_to_go_into_the_new_case() {
    let sandbox = Sandbox::new();
    let ran = sandbox
        .iep()
        .env("IEP_TODAY", "2026-11-02")
        .args(crate::support::init_args("sam iep"))
        .ok();
    assert!(
        ran.stderr.contains("\n  cd 'sam iep'\n  iep letters\n"),
        "{}",
        ran.stderr
    );
}
