//! Faults a reader of the letters would notice, each pinned so it cannot come back: how a letter
//! greets, the order of dated examples, Quebec's two kinds of school body, examples in the
//! jurisdiction's own words, and the parts a parent fills in by hand.

use crate::support::{Sandbox, fixture_args};

fn write(sb: &Sandbox, letter: &str, jurisdiction: &str, extra: &[&str]) -> String {
    sb.iep()
        .args(fixture_args(sb, letter, jurisdiction))
        .args(extra)
        .args(["--output", "-", "--no-input"])
        .ok()
        .stdout
}

#[test]
fn dated_examples_are_listed_oldest_first_whatever_order_they_were_typed_in() {
    let sb = Sandbox::new();
    // The fixture's two examples, typed newest first.
    let fixture = std::fs::read_to_string(sb.fixture_answers("implementation-concern")).unwrap();
    let swapped = fixture
        .replace("2026-11-04", "DATE")
        .replace("2026-11-12", "2026-11-04")
        .replace("DATE", "2026-11-12");
    let answers = sb.file("newest-first.toml", &swapped);
    let text = sb
        .iep()
        .args([
            "write",
            "implementation-concern",
            "-j",
            "ontario",
            "--date",
            "2026-11-23",
        ])
        .args([
            "--answers",
            answers.to_str().unwrap(),
            "--output",
            "-",
            "--no-input",
        ])
        .ok()
        .stdout;
    let earlier = text
        .find("November 4, 2026: the educational assistant")
        .expect(&text);
    let later = text.find("November 12, 2026: no scribe").expect(&text);
    assert!(earlier < later, "{text}");
}

#[test]
fn a_letter_greets_a_titled_name_by_title_and_surname() {
    let sb = Sandbox::new();
    let text = write(
        &sb,
        "implementation-concern",
        "ontario",
        &["--set", "recipient_name=Ms. Amina Patel"],
    );
    assert!(text.contains("Dear Ms. Patel,\n"), "{text}");
    assert!(text.contains("Ms. Amina Patel\nPrincipal"), "{text}");
    let text = write(
        &sb,
        "implementation-concern",
        "ontario",
        &["--set", "recipient_name=Amina Patel"],
    );
    assert!(text.contains("Dear Amina Patel,\n"), "{text}");
}

#[test]
fn quebec_letters_use_the_word_for_the_body_that_runs_the_school() {
    let sb = Sandbox::new();
    // An English-language school: its board's name says "School Board".
    let english = write(
        &sb,
        "implementation-concern",
        "quebec",
        &["--set", "board_name=English Montreal School Board"],
    );
    assert!(english.contains("the school board's policy"), "{english}");
    assert!(!english.contains("service centre"), "{english}");
    // A French-language school's service centre.
    let french = write(
        &sb,
        "implementation-concern",
        "quebec",
        &[
            "--set",
            "board_name=Centre de services scolaire de Montréal",
        ],
    );
    assert!(
        french.contains("the school service centre's policy"),
        "{french}"
    );
    // The family's answer wins over the name.
    let told = write(
        &sb,
        "escalation",
        "quebec",
        &[
            "--set",
            "board_kind=school-board",
            "--set",
            "rung=complaints-officer",
        ],
    );
    assert!(
        told.contains(
            "Complaints Officer (responsable du traitement des plaintes) of the school board"
        ),
        "{told}"
    );
    assert!(
        told.contains("the school board's complaints officer"),
        "{told}"
    );
    assert!(!told.contains("service centre"), "{told}");
}

#[test]
fn question_help_and_examples_speak_the_jurisdictions_words() {
    let sb = Sandbox::new();
    let shown = |letter: &str, j: &str| {
        sb.iep()
            .args(["letters", "show", letter, "-j", j])
            .ok()
            .stdout
    };
    let quebec = shown("iep-request", "quebec");
    assert!(
        quebec.contains("Lakeside School Service Centre"),
        "{quebec}"
    );
    assert!(!quebec.contains("Or School Board"), "{quebec}");
    assert!(quebec.contains("Which kind of school body runs your child's school?"));
    let escalation = shown("escalation", "quebec");
    assert!(!escalation.contains("goes to the ."), "{escalation}");
    assert!(escalation.contains("Sam's PI"), "{escalation}");
    assert!(!escalation.contains("IEP"), "{escalation}");
    let nz = shown("progress-evidence", "new-zealand");
    assert!(nz.contains("at his year level"), "{nz}");
    assert!(!nz.contains("grade-level"), "{nz}");
    let meeting = shown("meeting-follow-up", "new-zealand");
    assert!(meeting.contains("Mr. Tran (SENCO)"), "{meeting}");
    assert!(!meeting.contains("SERT"), "{meeting}");
}

#[test]
fn a_parent_summary_with_no_questions_keeps_lines_to_write_them_at_the_meeting() {
    let sb = Sandbox::new();
    let text = write(&sb, "parent-summary", "ontario", &["--set", "questions="]);
    let at = text.find("Our questions for this meeting:").expect(&text);
    assert_eq!(text[at..].matches("- ______").count(), 3, "{text}");
}

#[test]
fn the_iprc_request_is_ontarios_alone_and_the_iep_request_offers_it_there() {
    let sb = Sandbox::new();
    let list = sb.iep().args(["letters"]).ok().stdout;
    assert!(list.contains("(Only for Ontario;"), "{list}");
    let err = sb
        .iep()
        .args(fixture_args(&sb, "iprc-request", "british-columbia"))
        .args(["--output", "-", "--no-input"])
        .fails();
    assert!(
        err.contains("is only for these jurisdictions: ontario"),
        "{err}"
    );
    let with = write(&sb, "iep-request", "ontario", &["--set", "also_iprc=yes"]);
    assert!(
        with.contains("in a separate letter, that you refer Sam to an Identification, Placement and Review Committee (IPRC)"),
        "{with}"
    );
    let quebec = sb
        .iep()
        .args(["letters", "show", "iep-request", "-j", "quebec"])
        .ok()
        .stdout;
    let next = quebec
        .lines()
        .find(|l| l.starts_with("If it gets no answer"))
        .unwrap();
    assert!(!next.contains("iprc"), "{next}");
}

#[test]
fn an_ombudsman_is_sent_a_complaint_with_no_deadline() {
    let sb = Sandbox::new();
    for (j, rung) in [
        ("ontario", "ombudsman"),
        ("british-columbia", "ombudsperson"),
        ("new-zealand", "ombudsman"),
    ] {
        let text = write(&sb, "escalation", j, &["--set", &format!("rung={rung}")]);
        assert!(text.contains("I am making a formal complaint"), "{text}");
        let board = if j == "new-zealand" {
            "about how Maple Grove School Board (the school board)"
        } else {
            "about how Lakeside District (the "
        };
        assert!(text.contains(board), "the board is named: {text}");
        assert!(!text.contains("Reply-By:"), "{text}");
        assert!(
            !text.contains("solve this together with the school"),
            "{text}"
        );
        assert!(!text.contains("Please reply"), "{text}");
    }
}

/// A Quebec case: the kind of school body is known from the board's name and kept in the case,
/// every letter uses its word, and the forms that never mention the board (an observation, a
/// reply) are not asked about it.
#[test]
fn a_quebec_case_keeps_the_kind_of_school_body_and_its_forms_work() {
    let sb = Sandbox::new();
    let run = |args: &[&str]| {
        sb.iep()
            .in_dir("zoe")
            .env("IEP_TODAY", "2026-11-02")
            .args(args)
            .ok()
    };
    sb.iep()
        .env("IEP_TODAY", "2026-11-02")
        .args([
            "init",
            "zoe",
            "--no-input",
            "-j",
            "quebec",
            "-s",
            "child_name=Zoé Tremblay-Côté",
            "-s",
            "child_dob=2015-09-01",
            "-s",
            "grade=Grade 5",
            "-s",
            "school_name=Westmount Park School",
            "-s",
            "board_name=English Montreal School Board",
            "-s",
            "sender_name=Marie Tremblay",
            "-s",
            "sender_email=marie@example.org",
            "--contact",
            "principal=Mme Anne Roy <a.roy@school.example.org>",
        ])
        .ok();
    run(&[
        "observe",
        "--support",
        "Extra time on tests",
        "--what",
        "no extra time on the math test",
    ]);
    let wrote = run(&[
        "write",
        "implementation-concern",
        "--no-input",
        "-s",
        "support=Extra time on tests",
        "--output",
        "-",
    ]);
    assert!(
        wrote.stdout.contains("the school board's policy"),
        "{}",
        wrote.stdout
    );
    assert!(!wrote.stdout.contains("service centre"), "{}", wrote.stdout);
    let id = std::fs::read_dir(sb.path().join("zoe/records"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.contains("implementation-concern"))
        .unwrap();
    run(&[
        "reply",
        &id,
        "--date",
        "2026-11-02",
        "--from",
        "Mme Roy",
        "--summary",
        "Extra time from now on.",
        "--answered",
        "all",
    ]);
}

/// A question with an example does not begin its help with "For example" too: the terminal
/// shows the help and then "For example: …", and the parent read "For example" twice.
#[test]
fn no_question_says_for_example_twice() {
    let c = iep::catalog::Catalog::new(&[]).unwrap();
    let mut letters: Vec<iep::catalog::Letter> = c
        .letter_ids()
        .unwrap()
        .iter()
        .map(|id| c.letter(id).unwrap())
        .collect();
    for form in [
        iep::catalog::CASE_FORM,
        iep::catalog::OBSERVATION_FORM,
        iep::catalog::REPLY_FORM,
        iep::catalog::SMTP_FORM,
    ] {
        letters.push(c.form(form).unwrap());
    }
    let mut twice = Vec::new();
    for l in &letters {
        let questions = l
            .questions
            .iter()
            .chain(l.questions.iter().flat_map(|q| &q.fields));
        for q in questions {
            let help = q.help.as_deref().unwrap_or("");
            if q.example.is_some() && help.to_lowercase().contains("for example") {
                twice.push(format!("{}: {}", l.id, q.key));
            }
        }
    }
    assert!(twice.is_empty(), "{twice:?}");
}
