//! The interactive flow through the scripted prompter: order, progress, re-asking after a bad
//! answer, `when`, the review where an answer is changed, and saving.

use chrono::NaiveDate;
use iep::catalog::Catalog;
use iep::interview::{Interview, Outcome};
use iep::prompt::{Scripted, Step};
use iep::render::Renderer;

fn t(s: &str) -> Step {
    Step::Text(s.to_owned())
}

#[test]
fn asks_in_order_re_asks_bad_answers_and_lets_the_parent_change_one_at_review() {
    let c = Catalog::new(&[]).unwrap();
    let mut letter = c.letter("iep-request").unwrap();
    let j = c.jurisdiction("new-zealand").unwrap();
    letter.fill_choices(&j);
    let r = Renderer::new(&c, &letter, &j.id).unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut interview = Interview::new(&letter, &j, &r, date);

    let mut p = Scripted::new([
        t("Aroha Ngata"),            // child_name
        t("31/02/2016"),             // child_dob: ambiguous, re-asked
        t("2016-02-30"),             // not a real date, re-asked
        t("2016-02-03"),             // child_dob
        t("Year 5"),                 // grade
        t("Kōwhai School"),          // school_name
        t(""),                       // board_name (optional, skipped)
        t(""),                       // student_id
        t("Mere Ngata"),             // sender_name
        Step::Pick("mother".into()), // sender_relationship
        t("mere@example"),           // sender_email: bad, re-asked
        t("mere@example.nz"),
        t(""),                                                   // sender_phone
        t(""),                                                   // sender_address
        t(""),                                                   // access_needs
        t("Ms. Wilson"),                                         // recipient_name
        t(""),                                                   // recipient_email
        t(""), // coordinator_name: empty, so coordinator_email is not asked
        t("She cries before school.\nShe will not read aloud."), // at_home
        t("Her teacher says she hides in the library."), // at_school
        Step::Confirm(false), // has_reports: no, so the report questions are skipped
        t(""), // meeting_times
        Step::Confirm(false), // cc: add a person? no
        // Review: change the school.
        Step::Pick("name of your child's school".into()),
        t("Kōwhai Primary School"),
        Step::Pick("Everything looks right".into()),
        Step::Pick("Save the letter".into()),
    ]);
    let outcome = interview.run(&mut p).unwrap();
    assert!(p.finished(), "every scripted step was used");
    let Outcome::Save(draft) = outcome else {
        panic!("the parent saved")
    };

    let shown = p.transcript.join("\n");
    assert!(
        shown.contains("? [Question 1 of 20] What is your child's full name?"),
        "{shown}"
    );
    assert!(
        shown.contains("? [Question 3 of 20] What year is your child in?"),
        "{shown}"
    );
    // "31/02/2016" is no day at all, not an ambiguous one; the message shows no internal key.
    assert!(
        shown.contains("\"31/02/2016\" is not a real date: no month has that day"),
        "{shown}"
    );
    assert!(!shown.contains("(child_dob)"), "{shown}");
    assert!(
        shown.contains("\"2016-02-30\" is not a real date"),
        "{shown}"
    );
    assert!(shown.contains("is not an email address"), "{shown}");
    assert!(
        !shown.contains("Which reports?"),
        "a question whose `when` is false is not asked"
    );
    assert!(
        !shown.contains("What is their email address?\n? [Question 18"),
        "{shown}"
    );

    assert!(
        draft
            .body
            .contains("Re: Aroha Ngata, born 3 February 2016, Year 5, Kōwhai Primary School"),
        "{}",
        draft.body
    );
    assert!(
        draft
            .body
            .contains("A meeting with us, Aroha's whānau, to plan an IEP."),
        "{}",
        draft.body
    );
    assert!(
        draft
            .body
            .contains("She cries before school.\nShe will not read aloud.")
    );
    assert!(!draft.body.contains("reports"), "{}", draft.body);
    assert_eq!(draft.reply_by, NaiveDate::from_ymd_opt(2026, 12, 7));

    let answers = interview.answers_in_order().unwrap();
    let keys: Vec<&str> = answers.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(&keys[..3], ["child_name", "child_dob", "grade"]);
    assert!(
        !keys.contains(&"board_name"),
        "skipped optional answers are not saved"
    );
}

#[test]
fn quitting_at_the_end_saves_nothing() {
    let c = Catalog::new(&[]).unwrap();
    let letter = c.letter("progress-evidence").unwrap();
    let j = c.jurisdiction("ontario").unwrap();
    let r = Renderer::new(&c, &letter, &j.id).unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut interview = Interview::new(&letter, &j, &r, date);
    let file = iep::answers::AnswersFile::parse(
        "a.toml",
        &format!(
            "{}\n{}",
            std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/answers/common.toml"
            ))
            .unwrap(),
            std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/answers/progress-evidence.toml"
            ))
            .unwrap()
        ),
    )
    .unwrap();
    interview.preset(Some(&file), &[]).unwrap();
    // Only the optional questions the file left out are asked; `told` offers its default.
    let mut p = Scripted::new([
        t(""),
        t(""),
        t(""),                // student_id, sender_address, access_needs
        t(""),                // told: Enter keeps the default
        Step::Confirm(false), // cc
        Step::Pick("Everything looks right".into()),
        // Quitting asks first; no goes back to the choice, where stopping keeps the answers.
        Step::Pick("Quit and throw my answers away".into()),
        Step::Confirm(false),
        Step::Pick("Stop for now".into()),
    ]);
    let outcome = interview.run(&mut p).unwrap();
    assert!(matches!(outcome, Outcome::Later), "{:?}", p.transcript);
    assert!(
        p.transcript
            .iter()
            .any(|l| l.contains("Throw away every answer you gave for this letter?")),
        "{:?}",
        p.transcript
    );
    assert!(
        p.transcript
            .iter()
            .any(|l| l.contains("I was told that Sam is making progress")),
        "the preview shows the default"
    );
}

#[test]
fn a_case_fills_the_recipient_and_offers_its_observations_to_pick_from() {
    use iep::answers::{AnswersFile, Value};
    use iep::interview::{Contact, Known, Offered};
    use std::collections::BTreeMap;

    let c = Catalog::new(&[]).unwrap();
    let mut letter = c.letter("implementation-concern").unwrap();
    let j = c.jurisdiction("ontario").unwrap();
    letter.fill_choices(&j);
    let r = Renderer::new(&c, &letter, &j.id).unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut interview = Interview::new(&letter, &j, &r, date);
    let profile = AnswersFile::parse(
        "iep-case.toml",
        "child_name = \"Sam Lee\"\nchild_dob = 2016-04-09\ngrade = \"Grade 4\"\nschool_name = \"Maple Grove\"\nboard_name = \"Lakeside\"\nstudent_id = \"\"\nsender_name = \"Jordan Lee\"\nsender_relationship = \"parent\"\nsender_email = \"j@example.org\"\nsender_phone = \"555\"\nsender_address = \"12 Elm\"\naccess_needs = \"none\"\npronouns = \"he/him\"\n",
    )
    .unwrap();
    // `student_id = ""`: left empty at init on purpose, so not asked again.
    interview.preset_known(&profile, &[]).unwrap();
    let observation = |day: u32, what: &str| {
        let d = NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        Offered {
            label: format!("{d}: Access to a scribe: {what}"),
            row: BTreeMap::from([
                ("date".to_owned(), Value::Date(d)),
                ("what".to_owned(), Value::Text(what.to_owned())),
            ]),
            picked: true,
            about: Some("Access to a scribe".into()),
        }
    };
    interview.know(Known {
        contacts: vec![Contact {
            role: "principal".into(),
            name: "Ms. Amina Patel".into(),
            email: Some("a.patel@school.example.org".into()),
        }],
        observations: vec![
            observation(4, "no scribe for the unit test"),
            observation(10, "no scribe for the math quiz"),
        ],
        letters: Vec::new(),
        findings: Vec::new(),
    });

    let mut p = Scripted::new([
        t("Access to a scribe for written tests"), // support
        t(""),                                     // plan_section
        // The observations are offered; the parent keeps only the second.
        Step::PickMany(vec!["math quiz".into()]),
        Step::Confirm(true),  // keep it
        Step::Confirm(false), // add another? no
        t(""),                // impact
        Step::Confirm(false), // cc
        Step::Pick("Everything looks right".into()),
        Step::Pick("Save the letter".into()),
    ]);
    let Outcome::Save(draft) = interview.run(&mut p).unwrap() else {
        panic!("the parent saved")
    };
    assert!(p.finished(), "every scripted step was used");
    let shown = p.transcript.join("\n");
    assert!(
        !shown.contains("name of the person you are writing to"),
        "{shown}"
    );
    assert!(
        !shown.contains("full name"),
        "case answers are not asked again: {shown}"
    );
    assert_eq!(draft.to[0].name, "Ms. Amina Patel");
    assert!(
        draft
            .body
            .contains("Here is what happened:\n- November 10, 2026: no scribe for the math quiz\n"),
        "{}",
        draft.body
    );
    assert!(!draft.body.contains("unit test"));
}

#[test]
fn an_interview_cut_short_in_a_case_goes_on_where_it_stopped() {
    use clap::Parser as _;
    use iep::case::Case;
    use iep::cli::{Cli, Command};
    use iep::cmd::{Ctx, Env, write};

    let sandbox = crate::support::Sandbox::new();
    sandbox.init_case(&[]);
    let root = sandbox.path().join("sam");
    let catalog = Catalog::new(&[]).unwrap();
    let Command::Write(args) = Cli::parse_from(["iep", "write", "progress-evidence"]).command
    else {
        unreachable!()
    };
    let env = Env::isolated();
    let run = |p: &mut Scripted| {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut input = std::io::empty();
        let result = write::execute(
            &args,
            &mut Ctx {
                catalog: &catalog,
                date: None,
                today: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                now: chrono::DateTime::parse_from_rfc3339("2026-11-23T09:00:00-05:00").unwrap(),
                prompter: Some(p),
                out: &mut out,
                err: &mut err,
                cwd: root.clone(),
                case: Some(Case { root: root.clone() }),
                input: &mut input,
                env: &env,
                lang: iep::lang::Lang::En,
                lang_chosen: iep::lang::Chosen::Default,
                packs: sandbox.path().join("packs"),
                colour: false,
            },
        );
        (result, String::from_utf8(err).unwrap())
    };

    // The parent answers the goal, then the window closes (the script runs out).
    let mut first = Scripted::new([t("Sam will write five sentences on his own.")]);
    let (result, _) = run(&mut first);
    let err = result.unwrap_err().to_string();
    assert!(
        err.contains("the script ran out"),
        "{err}: {}",
        first.transcript.join("\n")
    );
    let draft =
        std::fs::read_to_string(root.join("drafts/progress-evidence.answers.toml")).unwrap();
    assert!(
        draft.contains("goal = \"Sam will write five sentences on his own.\""),
        "{draft}"
    );

    // Next time: go on. The goal is not asked again.
    let mut second = Scripted::new([
        Step::Confirm(true),              // go on from there
        t("that Sam is making progress"), // told
        t(""),                            // told_on
        t(""),                            // told_where
        t(""),                            // supports: none
        Step::Confirm(false),             // cc
        Step::Pick("Everything looks right".into()),
        Step::Pick("Save the letter".into()),
    ]);
    let (result, err) = run(&mut second);
    result.unwrap();
    assert!(second.finished(), "{}", second.transcript.join("\n"));
    assert!(
        !second.transcript.join("\n").contains("Which goal"),
        "the goal was not asked again"
    );
    assert!(err.contains("Recorded the letter"), "{err}");
    assert!(
        !root.join("drafts/progress-evidence.answers.toml").exists(),
        "the draft is gone once saved"
    );
    let letter =
        std::fs::read_to_string(root.join("records/2026-11-23-progress-evidence/letter.txt"))
            .unwrap();
    assert!(
        letter.contains("The goal is: \"Sam will write five sentences on his own.\""),
        "{letter}"
    );
}
