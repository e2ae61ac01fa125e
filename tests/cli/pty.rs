//! The interactive flow in a real pseudo-terminal: answer, go back at the review and change an
//! answer, save. Slower than the scripted tests, so only the one path a parent always takes.

use std::time::Duration;

use expectrl::{Eof, Expect as _, Session};

use crate::support::Sandbox;

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";

#[test]
fn a_parent_answers_changes_an_answer_at_review_and_saves() {
    let sb = Sandbox::new();
    // Everything but the support is known already; empty optional answers mean "leave out".
    let fixture = std::fs::read_to_string(sb.fixture_answers("implementation-concern")).unwrap();
    let without_support: String = fixture
        .lines()
        .filter(|l| !l.starts_with("support ="))
        .map(|l| format!("{l}\n"))
        .collect();
    let (top, tables) = without_support.split_once("[[examples]]").unwrap();
    sb.file(
        "answers.toml",
        &format!("{top}student_id = \"\"\nsender_address = \"\"\naccess_needs = \"\"\ncc = []\n[[examples]]{tables}"),
    );

    let mut cmd = sb
        .iep()
        .args([
            "write",
            "implementation-concern",
            "-j",
            "ontario",
            "--date",
            "2026-11-23",
            "--answers",
            "answers.toml",
        ])
        .command();
    cmd.env("TERM", "xterm");
    let mut p = Session::spawn(cmd).expect("a pseudo-terminal");
    p.set_expect_timeout(Some(Duration::from_secs(20)));

    p.expect("Which support is not happening?").unwrap();
    p.send(format!("Scribe for all written tests{ENTER}"))
        .unwrap();

    // Review: item 1 is the child's name.
    p.expect("Check your answers").unwrap();
    p.send(DOWN).unwrap();
    p.send(ENTER).unwrap();
    p.expect("What is your child's full name?").unwrap();
    // The old answer is the default; clear it and type the new one.
    p.send("\x7f".repeat(20)).unwrap();
    p.send(format!("Samuel O'Neil{ENTER}")).unwrap();

    p.expect("Check your answers").unwrap();
    p.send(ENTER).unwrap(); // Everything looks right
    p.expect("What would you like to do?").unwrap();
    p.send(ENTER).unwrap(); // Save the letter
    p.expect("Saved the letter:").unwrap();
    p.expect(Eof).unwrap();

    let letter = sb.read("2026-11-23-implementation-concern.txt");
    assert!(
        letter.contains("Re: Samuel O'Neil, born April 9, 2016"),
        "{letter}"
    );
    assert!(
        letter.contains("The IEP says: \"Scribe for all written tests\""),
        "{letter}"
    );
    let answers = sb.read("2026-11-23-implementation-concern.answers.toml");
    assert!(
        answers.contains("support = \"Scribe for all written tests\""),
        "{answers}"
    );
}
