//! The interview engine driven directly, as a page in the browser will drive it: screens as
//! plain data, answers submitted and checked, going back, the review, and the letter, which is
//! the same one `iep write --answers` makes from the same answers.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use iep::catalog::Catalog;
use iep::catalog::question::Kind;
use iep::interview::{Given, Interview};
use iep::render::Renderer;

use crate::support::Sandbox;

fn text(s: &str) -> Given {
    Given::Text(s.to_owned())
}

/// What a parent answers, by key; a front end looks up each screen's key.
fn answer_for(key: &str) -> Given {
    match key {
        "child_name" => text("Aroha Ngata"),
        "child_dob" => text("3 February 2016"),
        "grade" => text("Year 5"),
        "school_name" => text("Kōwhai School"),
        "sender_name" => text("Mere Ngata"),
        "sender_relationship" => Given::Choice("mother".into()),
        "sender_email" => text("mere@example.nz"),
        "recipient_name" => text("Ms. Wilson"),
        "support" => text("A reader for tests"),
        "examples" => Given::Rows(vec![
            BTreeMap::from([
                ("date".to_owned(), "2026-11-12".to_owned()),
                ("what".to_owned(), "no reader for the maths test".to_owned()),
            ]),
            BTreeMap::from([
                ("date".to_owned(), "2026-11-04".to_owned()),
                (
                    "what".to_owned(),
                    "the reader was sent to another class".to_owned(),
                ),
            ]),
        ]),
        _ => Given::Nothing,
    }
}

#[test]
fn a_front_end_drives_the_engine_to_the_same_letter_as_the_command_line() {
    let c = Catalog::new(&[]).unwrap();
    let mut letter = c.letter("implementation-concern").unwrap();
    let j = c.jurisdiction("new-zealand").unwrap();
    letter.fill_choices(&j);
    let r = Renderer::new(&c, &letter, &j.id).unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut interview = Interview::new(&letter, &j, &r, date);

    // The first screen is plain data a page can draw, and serialises.
    let first = interview.next_question().unwrap().unwrap();
    assert_eq!(first.key, "child_name");
    assert_eq!((first.number, first.kind), (1, Kind::Text));
    assert!(first.total > 5);
    let json = serde_json::to_value(&first).unwrap();
    assert_eq!(json["prompt"], "What is your child's full name?");
    assert_eq!(json["kind"], "text");

    // A needed answer left empty, and a date that does not exist, are refused with a reason,
    // and nothing changes.
    let empty = interview.submit("child_name", text("  ")).unwrap_err();
    assert!(empty.message.contains("needed"), "{empty}");
    interview.submit("child_name", text("Aroha Ngata")).unwrap();
    let dob = interview.next_question().unwrap().unwrap();
    assert_eq!((dob.key.as_str(), dob.kind), ("child_dob", Kind::Date));
    let bad = interview
        .submit("child_dob", text("31 February 2016"))
        .unwrap_err();
    assert_eq!(bad.key, "child_dob");
    assert!(bad.message.contains("not a real date"), "{bad}");
    assert_eq!(interview.next_question().unwrap().unwrap().key, "child_dob");

    // Back returns to the question answered last, shown with its answer.
    assert_eq!(interview.back().as_deref(), Some("child_name"));
    let again = interview.screen("child_name").unwrap();
    assert_eq!(
        serde_json::to_value(&again.current).unwrap(),
        serde_json::json!("Aroha Ngata")
    );
    interview.submit("child_name", text("Aroha Ngata")).unwrap();
    assert_eq!(interview.next_question().unwrap().unwrap().key, "child_dob");

    // A choice outside the list, and a list item missing a needed part, are refused.
    let wrong = interview
        .submit("sender_relationship", Given::Choice("cousin".into()))
        .unwrap_err();
    assert!(wrong.message.contains("not one of the choices"), "{wrong}");
    let missing = interview
        .submit(
            "examples",
            Given::Rows(vec![BTreeMap::from([("what".to_owned(), "x".to_owned())])]),
        )
        .unwrap_err();
    assert_eq!(missing.key, "examples.date");

    // Answer everything the way a page would: screen by screen.
    let mut shown = Vec::new();
    while let Some(screen) = interview.next_question().unwrap() {
        shown.push(screen.key.clone());
        interview
            .submit(&screen.key, answer_for(&screen.key))
            .unwrap_or_else(|e| panic!("{}: {e}", screen.key));
        assert!(shown.len() < 60, "the interview ends");
    }
    assert!(shown.contains(&"examples".to_owned()), "{shown:?}");

    // The review lists every answer by its question's words; one is changed there.
    let review = interview.review().unwrap();
    let school = review.iter().find(|l| l.key == "school_name").unwrap();
    assert_eq!(school.answer, "Kōwhai School");
    assert!(school.prompt.contains("school"));
    interview
        .submit("school_name", text("Kōwhai Primary School"))
        .unwrap();
    let draft = interview.draft().unwrap();
    assert!(draft.body.contains("Kōwhai Primary School"));

    // The same answers through the command line give the same letter, byte for byte.
    let answers: Vec<(String, iep::answers::Value)> = interview.answers_in_order().unwrap();
    let mut file = String::new();
    for (key, value) in &answers {
        if let iep::answers::Value::Items(rows) = value {
            for row in rows {
                file.push_str(&format!("\n[[{key}]]\n"));
                for (k, v) in row {
                    file.push_str(&format!("{k} = {}\n", v.to_toml().unwrap()));
                }
            }
        }
    }
    let plain: String = answers
        .iter()
        .filter(|(_, v)| !matches!(v, iep::answers::Value::Items(_)))
        .map(|(k, v)| format!("{k} = {}\n", v.to_toml().unwrap()))
        .collect();
    let sb = Sandbox::new();
    let path = sb.file("engine.toml", &format!("{plain}{file}"));
    let ran = sb
        .iep()
        .args(["write", "implementation-concern", "-j", "new-zealand"])
        .args(["--date", "2026-11-23", "--no-input", "--output", "-"])
        .args(["--answers", path.to_str().unwrap()])
        .ok();
    assert_eq!(ran.stdout, draft.to_file());
}

/// In a case (or with answers from a file), "Question N of M" counts only what is asked: the
/// first question asked is question 1, not question 15 of 20.
#[test]
fn questions_already_answered_are_not_counted() {
    let sb = Sandbox::new();
    let c = Catalog::new(&[]).unwrap();
    let mut letter = c.letter("implementation-concern").unwrap();
    let j = c.jurisdiction("ontario").unwrap();
    letter.fill_choices(&j);
    let r = Renderer::new(&c, &letter, &j.id).unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let fixture = std::fs::read_to_string(sb.fixture_answers("implementation-concern")).unwrap();
    let without_support: String = fixture
        .lines()
        .filter(|l| !l.starts_with("support ="))
        .map(|l| format!("{l}\n"))
        .collect();
    let path = sb.file("given.toml", &without_support);
    let file = iep::answers::AnswersFile::load(&path).unwrap();
    let mut interview = Interview::new(&letter, &j, &r, date);
    interview.preset(Some(&file), &[]).unwrap();
    let first = interview.next_question().unwrap().unwrap();
    // The first question asked (an optional one the file left out, or the support) is number 1.
    assert_eq!(first.number, 1, "{first:?}");
    let given = interview.given_count().unwrap();
    assert!(given >= 10, "{given}");
    assert_eq!(first.total + given, interview.applicable().unwrap().len());
}

/// Answers carried from one jurisdiction to another keep what fits and leave the rest to be
/// asked again: British Columbia's board appeal is not a rung in Ontario.
#[test]
fn answers_carried_to_another_jurisdiction_keep_only_what_fits() {
    let c = Catalog::new(&[]).unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut answers = Vec::new();
    for (place, rung) in [("british-columbia", "board-appeal"), ("ontario", "")] {
        let mut letter = c.letter("escalation").unwrap();
        let j = c.jurisdiction(place).unwrap();
        letter.fill_choices(&j);
        let r = Renderer::new(&c, &letter, &j.id).unwrap();
        let mut interview = Interview::new(&letter, &j, &r, date);
        if answers.is_empty() {
            interview.submit("child_name", text("Sam Lee")).unwrap();
            interview
                .submit("rung", Given::Choice(rung.into()))
                .unwrap();
            answers = interview.answers_so_far();
            continue;
        }
        let again = interview.carry_over(&answers);
        assert_eq!(again.len(), 1, "{again:?}");
        let review: Vec<_> = interview
            .review()
            .unwrap()
            .into_iter()
            .map(|l| (l.key, l.answer))
            .collect();
        assert!(
            review.contains(&("child_name".to_owned(), "Sam Lee".to_owned())),
            "{review:?}"
        );
        assert!(
            !review
                .iter()
                .any(|(k, a)| k == "rung" && a.contains("Board")),
            "{review:?}"
        );
    }
}
