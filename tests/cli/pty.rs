//! The interactive flow in a real pseudo-terminal: answer, go back at the review and change an
//! answer, save. Slower than the scripted tests, so only the one path a parent always takes.

use std::time::Duration;

use expectrl::{Eof, Expect as _, Session};

use crate::support::Sandbox;

const DOWN: &str = "\x1b[B";

/// Lets a prompt that has just been drawn start reading keys: keys sent earlier would be taken
/// by the terminal's own line editing before the prompt switches it to reading key by key.
fn settle() {
    std::thread::sleep(Duration::from_millis(100));
}
const ENTER: &str = "\r";
const ESC: &str = "\x1b";

/// Starts `iep` in a pseudo-terminal whose `TERM` is `term`, with a deadline on every wait.
fn session(mut cmd: std::process::Command, term: &str) -> expectrl::session::OsSession {
    cmd.env("TERM", term);
    let mut p = Session::spawn(cmd).expect("a pseudo-terminal");
    p.set_expect_timeout(Some(Duration::from_secs(20)));
    p
}

/// At the review: everything looks right, then save; waits for the letter to be saved.
fn save_at_review(p: &mut expectrl::session::OsSession) {
    p.expect("Check your answers").unwrap();
    settle();
    p.send(ENTER).unwrap();
    p.expect("What would you like to do?").unwrap();
    settle();
    p.send(ENTER).unwrap();
    p.expect("Saved the letter:").unwrap();
}

/// Writes `answers.toml`: the implementation-concern fixture without the answers named in
/// `left_out`, and the optional ones it lacks marked as left empty, so that the interview asks
/// only what was left out.
fn answers_without(sb: &Sandbox, left_out: &[&str]) {
    let fixture = std::fs::read_to_string(sb.fixture_answers("implementation-concern")).unwrap();
    let kept: String = fixture
        .lines()
        .filter(|l| !left_out.iter().any(|k| l.starts_with(&format!("{k} ="))))
        .map(|l| format!("{l}\n"))
        .collect();
    let (top, tables) = kept.split_once("[[examples]]").unwrap();
    let cc = if left_out.contains(&"cc") {
        ""
    } else {
        "cc = []\n"
    };
    sb.file(
        "answers.toml",
        &format!(
            "{top}student_id = \"\"\nsender_address = \"\"\naccess_needs = \"\"\n{cc}[[examples]]{tables}"
        ),
    );
}

#[test]
fn a_parent_answers_changes_an_answer_at_review_and_saves() {
    let sb = Sandbox::new();
    // Everything but the support is known already; empty optional answers mean "leave out".
    answers_without(&sb, &["support"]);

    let mut p = session(
        sb.iep()
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
            .command(),
        "xterm",
    );

    p.expect("Which support is not happening?").unwrap();
    p.send(format!("Scribe for all written tests{ENTER}"))
        .unwrap();

    // Review: item 1 is the child's name.
    p.expect("Check your answers").unwrap();
    p.send(DOWN).unwrap();
    p.send(ENTER).unwrap();
    p.expect("What is your child's full name?").unwrap();
    // The old answer is open for editing; once it is on the screen, delete it and type the new
    // one (keys sent before the prompt reads them would be taken by the terminal's line editing).
    p.expect("Sam O'Neil").unwrap();
    std::thread::sleep(Duration::from_millis(300));
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

/// The keys that used to put stray text into a letter: "no" and Enter at a yes/no question
/// answered "n" and typed "o" into the next question; Enter at "Add a person?" under "Press
/// Enter if no one" added a person. Now a yes/no waits for Enter and takes the whole word, and
/// Enter means no where a list may stay empty.
#[test]
fn yes_no_takes_the_whole_word_and_enter_adds_no_one() {
    let sb = Sandbox::new();
    let fixture = std::fs::read_to_string(sb.fixture_answers("implementation-concern")).unwrap();
    let (top, _) = fixture.split_once("[[examples]]").unwrap();
    let top: String = top
        .lines()
        .filter(|l| !l.starts_with("impact =") && !l.starts_with("cc"))
        .map(|l| format!("{l}\n"))
        .collect();
    sb.file(
        "answers.toml",
        &format!("{top}student_id = \"\"\nsender_address = \"\"\naccess_needs = \"\"\n"),
    );
    let mut p = session(
        sb.iep()
            .args(["write", "implementation-concern", "-j", "ontario"])
            .args(["--date", "2026-11-23", "--answers", "answers.toml"])
            .command(),
        "xterm",
    );

    p.expect("Add an example?").unwrap();
    settle();
    p.send(format!("yes{ENTER}")).unwrap();
    p.expect("On what date?").unwrap();
    settle();
    p.send(format!("2026-11-04{ENTER}")).unwrap();
    p.expect("What happened?").unwrap();
    settle();
    p.send(format!("no scribe for the science test{ENTER}"))
        .unwrap();
    p.expect("Add another example?").unwrap();
    settle();
    p.send(format!("no{ENTER}")).unwrap();
    p.expect("How has this affected your child?").unwrap();
    settle();
    p.send(format!("He failed the test.{ENTER}")).unwrap();
    p.expect("Add a person?").unwrap();
    settle();
    p.send(ENTER).unwrap(); // Enter: no one
    save_at_review(&mut p);
    p.expect(Eof).unwrap();

    let letter = sb.read("2026-11-23-implementation-concern.txt");
    assert!(letter.contains("\nHe failed the test.\n"), "{letter}");
    assert!(
        !letter.contains("\no\n"),
        "a stray 'o' reached the letter:\n{letter}"
    );
    assert!(!letter.contains("cc:"), "no one was copied:\n{letter}");
}

/// Ctrl-C at a list (the jurisdiction picker) leaves the terminal as it was: the cursor that
/// the list hid is shown again.
#[test]
fn ctrl_c_at_a_list_gives_the_cursor_back() {
    let sb = Sandbox::new();
    let mut p = session(sb.iep().args(["write", "iep-request"]).command(), "xterm");
    let shown = p.expect("Ontario").unwrap();
    let before = String::from_utf8_lossy(shown.before()).into_owned();
    assert!(
        before.contains("Where does your child go to school?"),
        "{before:?}"
    );
    std::thread::sleep(Duration::from_millis(200));
    p.send("\x03").unwrap();
    let rest = p.expect(Eof).unwrap();
    let after = String::from_utf8_lossy(rest.as_bytes()).into_owned();
    assert!(
        after.contains("\x1b[?25h"),
        "the cursor was not shown again: {after:?}"
    );
}

/// A terminal that cannot move its cursor (`TERM=dumb`) gets plain numbered questions and no
/// escape codes at all, and the letter is written the same.
#[test]
fn a_dumb_terminal_gets_plain_questions_without_escape_codes() {
    let sb = Sandbox::new();
    answers_without(&sb, &["support"]);
    let mut p = session(
        sb.iep()
            .args(["write", "implementation-concern", "-j", "ontario"])
            .args(["--date", "2026-11-23", "--answers", "answers.toml"])
            .command(),
        "dumb",
    );
    let mut seen = String::new();
    for (wait, send) in [
        ("Which support is not happening?", "A scribe for tests\r"),
        ("Type a number (Enter: 1):", "\r"), // review: everything looks right
        ("Type a number (Enter: 1):", "\r"), // save
    ] {
        let got = p.expect(wait).unwrap();
        seen.push_str(&String::from_utf8_lossy(got.before()));
        seen.push_str(wait);
        p.send(send).unwrap();
    }
    let rest = p.expect(Eof).unwrap();
    seen.push_str(&String::from_utf8_lossy(rest.as_bytes()));
    assert!(seen.contains("1. Everything looks right"), "{seen}");
    assert!(
        !seen.contains('\u{1b}'),
        "an escape code reached a dumb terminal: {seen:?}"
    );
    let letter = sb.read("2026-11-23-implementation-concern.txt");
    assert!(
        letter.contains("The IEP says: \"A scribe for tests\""),
        "{letter}"
    );
}

/// `iep write` with nothing after it, at a terminal, offers the letters to pick from instead of
/// a command-line error.
#[test]
fn write_with_no_letter_offers_a_list_to_pick_from() {
    let sb = Sandbox::new();
    let mut p = session(sb.iep().args(["write", "-j", "ontario"]).command(), "xterm");
    p.expect("Which letter do you want to write?").unwrap();
    p.expect("vague-wording").unwrap();
    settle();
    p.send(DOWN).unwrap();
    p.send(DOWN).unwrap();
    p.send(ENTER).unwrap();
    p.expect("implementation-concern: A support in the plan is not happening")
        .unwrap();
    p.expect("What is your child's full name?").unwrap();
    settle();
    p.send("\x03").unwrap();
    p.expect(Eof).unwrap();
}

/// Ctrl-C outside a case loses nothing: the answers given so far are kept in the user's state
/// folder (private), Ctrl-C says where, and the next `iep write` of that letter offers them.
#[test]
fn ctrl_c_outside_a_case_keeps_the_answers_and_says_where() {
    use std::os::unix::fs::PermissionsExt as _;
    let sb = Sandbox::new();
    let start = |sb: &Sandbox| {
        session(
            sb.iep()
                .args(["write", "implementation-concern", "-j", "ontario"])
                .command(),
            "xterm",
        )
    };
    let mut p = start(&sb);
    p.expect("What is your child's full name?").unwrap();
    settle();
    p.send(format!("Aroha Ngata{ENTER}")).unwrap();
    p.expect("When was your child born?").unwrap();
    settle();
    p.send("\x03").unwrap();
    let rest = p.expect(Eof).unwrap();
    let said = String::from_utf8_lossy(rest.as_bytes()).into_owned();
    assert!(
        said.contains("The answers you gave are kept in"),
        "{said:?}"
    );
    let draft = sb
        .path()
        .join("home/.local/state/iep/drafts/implementation-concern.answers.toml");
    let text = std::fs::read_to_string(&draft).expect("the draft is kept");
    assert!(text.contains("child_name = \"Aroha Ngata\""), "{text}");
    let mode = std::fs::metadata(&draft).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    let mut p = start(&sb);
    p.expect("Go on from there?").unwrap();
    settle();
    p.send(ENTER).unwrap(); // yes
    p.expect("When was your child born?").unwrap();
    settle();
    p.send("\x03").unwrap();
    p.expect(Eof).unwrap();
}

/// The jurisdiction picker says how to choose, and comes back with the last place picked first
/// (remembered in the user's settings folder), so Enter no longer means British Columbia.
#[test]
fn the_jurisdiction_picker_remembers_the_last_place() {
    let sb = Sandbox::new();
    let start = |sb: &Sandbox| session(sb.iep().args(["write", "iep-request"]).command(), "xterm");
    let mut p = start(&sb);
    // Typing narrows the list: "Ont" and Enter picks Ontario, not the first place listed.
    p.expect("Type to narrow the list. Arrow keys move; Enter picks.")
        .unwrap();
    p.expect("Quebec").unwrap();
    settle();
    p.send("Ont").unwrap();
    settle();
    p.send(ENTER).unwrap();
    p.expect("What is your child's full name?").unwrap();
    settle();
    p.send("\x03").unwrap();
    p.expect(Eof).unwrap();
    assert_eq!(
        std::fs::read_to_string(sb.path().join("home/.config/iep/last-jurisdiction")).unwrap(),
        "ontario"
    );
    let mut p = start(&sb);
    p.expect("Where does your child go to school?").unwrap();
    let got = p.expect("Ontario").unwrap();
    let before = String::from_utf8_lossy(got.before()).into_owned();
    assert!(
        before.ends_with("> ") || before.ends_with("❯ "),
        "Ontario is not the highlighted choice: {before:?}"
    );
    settle();
    p.send("\x03").unwrap();
    p.expect(Eof).unwrap();
}

/// Every typed question says its keys; `<` goes back to the question before, with its answer
/// open to correct, and `?` shows the help again.
#[test]
fn back_and_help_keys_work_at_a_typed_question() {
    let sb = Sandbox::new();
    answers_without(&sb, &["support", "impact"]);
    let mut p = session(
        sb.iep()
            .args(["write", "implementation-concern", "-j", "ontario"])
            .args(["--date", "2026-11-23", "--answers", "answers.toml"])
            .command(),
        "xterm",
    );
    p.expect("Which support is not happening?").unwrap();
    p.expect("Type ? for help, or < to go back.").unwrap();
    settle();
    p.send(format!("A scribe{ENTER}")).unwrap();
    p.expect("How has this affected your child?").unwrap();
    settle();
    p.send(format!("?{ENTER}")).unwrap();
    p.expect("For example: Sam failed the test").unwrap();
    p.expect("How has this affected your child?").unwrap();
    settle();
    p.send(format!("<{ENTER}")).unwrap();
    p.expect("Which support is not happening?").unwrap();
    p.expect("A scribe").unwrap(); // open to correct
    settle();
    p.send(format!(" for tests{ENTER}")).unwrap();
    p.expect("How has this affected your child?").unwrap();
    settle();
    p.send(format!("He failed.{ENTER}")).unwrap();
    save_at_review(&mut p);
    p.expect(Eof).unwrap();
    let letter = sb.read("2026-11-23-implementation-concern.txt");
    assert!(
        letter.contains("The IEP says: \"A scribe for tests\""),
        "{letter}"
    );
    assert!(letter.contains("\nHe failed.\n"), "{letter}");
}

/// Issue 13, trap 7: every question has a way back and to its help, not only typed ones: Esc
/// at a list, `<` and `?` at a yes/no (and `<` inside a list of people), and quitting asks
/// first and keeps nothing only when the parent says so.
#[test]
fn back_and_help_work_at_lists_and_yes_no_and_quitting_asks_first() {
    let sb = Sandbox::new();
    answers_without(&sb, &["sender_relationship", "impact", "cc"]);
    let mut p = session(
        sb.iep()
            .args(["write", "implementation-concern", "-j", "ontario"])
            .args(["--date", "2026-11-23", "--answers", "answers.toml"])
            .command(),
        "xterm",
    );
    p.expect("How are you related to the child?").unwrap();
    p.expect("Esc goes back").unwrap();
    settle();
    p.send(ENTER).unwrap();
    p.expect("How has this affected your child?").unwrap();
    settle();
    p.send(format!("<{ENTER}")).unwrap();
    p.expect("How are you related to the child?").unwrap();
    settle();
    p.send(ESC).unwrap();
    p.expect("This is the first question: there is nothing before it.")
        .unwrap();
    p.expect("How are you related to the child?").unwrap();
    settle();
    p.send(ENTER).unwrap();
    p.expect("How has this affected your child?").unwrap();
    settle();
    p.send(format!("It hurt.{ENTER}")).unwrap();
    p.expect("Add a person?").unwrap();
    settle();
    // `<` at the yes/no goes back to the question before, its answer open to correct.
    p.send(format!("<{ENTER}")).unwrap();
    p.expect("How has this affected your child?").unwrap();
    p.expect("It hurt.").unwrap();
    settle();
    p.send(format!(" He stopped trying.{ENTER}")).unwrap();
    p.expect("Add a person?").unwrap();
    settle();
    p.send(format!("?{ENTER}")).unwrap();
    p.expect("A copy keeps others informed.").unwrap();
    settle();
    p.send(format!("yes{ENTER}")).unwrap();
    p.expect("Their name?").unwrap();
    settle();
    // `<` inside one person adds no one and asks again.
    p.send(format!("<{ENTER}")).unwrap();
    p.expect("That person was not added.").unwrap();
    p.expect("Add a person?").unwrap();
    settle();
    p.send(format!("no{ENTER}")).unwrap();
    p.expect("Check your answers").unwrap();
    settle();
    p.send(ENTER).unwrap();
    p.expect("What would you like to do?").unwrap();
    settle();
    p.send(format!("{DOWN}{DOWN}{DOWN}{ENTER}")).unwrap();
    p.expect("Throw away every answer you gave for this letter?")
        .unwrap();
    settle();
    p.send(format!("no{ENTER}")).unwrap();
    p.expect("What would you like to do?").unwrap();
    settle();
    p.send(ENTER).unwrap();
    p.expect("Saved the letter:").unwrap();
    p.expect(Eof).unwrap();
    let letter = sb.read("2026-11-23-implementation-concern.txt");
    assert!(
        letter.contains("\nIt hurt. He stopped trying.\n"),
        "{letter}"
    );
    let (printed, _) = letter.split_once(iep::draft::EMAIL_RULE).unwrap();
    assert!(!printed.contains('<'), "{letter}");
    assert!(!letter.contains("Cc:"), "no one was copied: {letter}");
}

/// Issue 13: `iep due` at a terminal offers to write the suggested letter now, instead of a
/// command to copy; "Not now" is first, so Enter writes nothing.
#[test]
fn due_offers_to_write_the_next_letter_now() {
    let sb = Sandbox::new();
    sb.init_case(&["--contact", "superintendent=Dr. Helen Ross"]);
    let support = "Access to a scribe";
    sb.iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-10")
        .args(["observe", "--support", support, "--what", "no scribe"])
        .ok();
    sb.iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-12")
        .args(["write", "implementation-concern", "--no-input"])
        .args(["-s", &format!("support={support}")])
        .ok();
    let due = |sb: &Sandbox| {
        session(
            sb.iep()
                .in_dir("sam")
                .env("IEP_TODAY", "2026-12-20")
                .args(["due"])
                .command(),
            "xterm",
        )
    };
    let mut p = due(&sb);
    p.expect("Write one of these letters now?").unwrap();
    p.expect("Not now").unwrap();
    settle();
    p.send(ENTER).unwrap();
    p.expect(Eof).unwrap();
    let records = || {
        std::fs::read_dir(sb.path().join("sam/records"))
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
    assert_eq!(records(), 1, "Enter at the offer writes nothing");

    let mut p = due(&sb);
    p.expect("The next step up: Superintendent of Education")
        .unwrap();
    settle();
    p.send(DOWN).unwrap();
    settle();
    p.send(ENTER).unwrap();
    // The escalation's interview starts, already following up the overdue letter.
    p.expect("escalation: Take a concern to the next step")
        .unwrap();
    settle();
    p.send("\x03").unwrap();
    p.expect(Eof).unwrap();
}

/// Issue 13, trap 11: at 60 columns a whole letter (long typed answers, the review list, the
/// preview) never shows a word broken across lines. The screen is what a terminal emulator
/// (vt100) makes of every byte iep wrote; a row the terminal wrapped that ends and continues
/// with a letter is a broken word.
#[test]
fn at_sixty_columns_no_word_is_broken_across_lines() {
    let sb = Sandbox::new();
    answers_without(&sb, &["support", "impact", "cc"]);
    let mut cmd = std::process::Command::new("sh");
    // The window is 60 columns before iep starts, as a narrow terminal would be.
    cmd.arg("-c")
        .arg("stty cols 60 rows 40 && exec \"$0\" \"$@\"")
        .arg(sb.iep().command().get_program())
        .args(sb.iep().command().get_args())
        .args(["write", "implementation-concern", "-j", "ontario"])
        .args(["--date", "2026-11-23", "--answers", "answers.toml"])
        .current_dir(sb.path());
    for (k, v) in sb.iep().command().get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let mut p = session(cmd, "xterm");
    let mut screen = Vec::new();
    let mut step = |p: &mut expectrl::session::OsSession, wait: &str, send: &str| {
        let got = p.expect(wait).unwrap();
        screen.extend_from_slice(got.before());
        screen.extend_from_slice(got.get(0).unwrap());
        settle();
        p.send(send).unwrap();
    };
    step(
        &mut p,
        "Which support is not happening?",
        &format!("Access to a scribe for written tests and assignments in every class{ENTER}"),
    );
    step(
        &mut p,
        "How has this affected your child?",
        &format!(
            "He could not finish the unit test in science because nobody wrote for him, and he came home upset.{ENTER}"
        ),
    );
    step(&mut p, "Add a person?", &format!("no{ENTER}"));
    step(&mut p, "Check your answers", ENTER);
    step(&mut p, "What would you like to do?", ENTER);
    let got = p.expect(Eof).unwrap();
    screen.extend_from_slice(got.as_bytes());
    assert!(
        sb.read("2026-11-23-implementation-concern.txt")
            .contains("he came home upset."),
        "the answer typed is the letter's"
    );

    let mut term = vt100::Parser::new(2000, 60, 0);
    term.process(&screen);
    let shown = term.screen();
    let letter_at = |row: u16, col: u16| {
        shown.cell(row, col).is_some_and(|c| {
            c.contents()
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        })
    };
    let broken: Vec<String> = (0..1999)
        .filter(|&r| shown.row_wrapped(r) && letter_at(r, 59) && letter_at(r + 1, 0))
        .map(|r| shown.contents_between(r, 0, r + 2, 0).replace('\n', " / "))
        .collect();
    assert!(
        broken.is_empty(),
        "words broken across lines at 60 columns:\n{}\n\nthe screen:\n{}",
        broken.join("\n"),
        shown.contents()
    );
    // The screen is the whole session, not an empty one.
    assert!(
        shown.contents().contains("Saved the letter:"),
        "{}",
        shown.contents()
    );
}

/// Issue 13, trap 5: a place picked from the list is shown at the review and can be changed
/// there; the answers given carry over, and the letter is the new place's.
#[test]
fn the_jurisdiction_can_be_changed_at_the_review() {
    let sb = Sandbox::new();
    answers_without(&sb, &["support"]);
    let mut p = session(
        sb.iep()
            .args(["write", "implementation-concern"])
            .args(["--date", "2026-11-23", "--answers", "answers.toml"])
            .command(),
        "xterm",
    );
    p.expect("Where does your child go to school?").unwrap();
    settle();
    p.send("Brit").unwrap();
    settle();
    p.send(ENTER).unwrap();
    p.expect("Which support is not happening?").unwrap();
    settle();
    p.send(format!("A scribe for tests{ENTER}")).unwrap();
    p.expect("Where your child goes to school: British Columbia")
        .unwrap();
    settle();
    p.send(DOWN).unwrap();
    settle();
    p.send(ENTER).unwrap();
    p.expect("Where does your child go to school?").unwrap();
    settle();
    p.send("Ont").unwrap();
    settle();
    p.send(ENTER).unwrap();
    // Nothing is asked again: the review comes back with the new place.
    p.expect("Where your child goes to school: Ontario")
        .unwrap();
    settle();
    p.send(ENTER).unwrap();
    p.expect("What would you like to do?").unwrap();
    settle();
    p.send(ENTER).unwrap();
    p.expect("Saved the letter:").unwrap();
    p.expect(Eof).unwrap();
    let letter = sb.read("2026-11-23-implementation-concern.txt");
    assert!(
        letter.contains("The IEP says: \"A scribe for tests\""),
        "{letter}"
    );
    assert!(letter.contains("Special Education in Ontario"), "{letter}");
    let answers = sb.read("2026-11-23-implementation-concern.answers.toml");
    assert!(answers.contains("jurisdiction = \"ontario\""), "{answers}");
}

/// Issue 13: after the first letter written outside a case, iep offers to start a case from
/// the answers already given; the parent types none of them again, and the person written to
/// becomes the case's principal.
#[test]
fn after_a_first_letter_iep_offers_a_case_made_from_its_answers() {
    let sb = Sandbox::new();
    sb.first_letter();
    answers_without(&sb, &["support"]);
    let write = |sb: &Sandbox| {
        session(
            sb.iep()
                .args(["write", "implementation-concern", "-j", "ontario"])
                .args(["--date", "2026-11-23", "--answers", "answers.toml"])
                .command(),
            "xterm",
        )
    };
    let mut p = write(&sb);
    p.expect("Which support is not happening?").unwrap();
    settle();
    p.send(format!("A scribe{ENTER}")).unwrap();
    save_at_review(&mut p);
    p.expect("Start a case folder for Sam O'Neil?").unwrap();
    settle();
    p.send(format!("yes{ENTER}")).unwrap();
    // Every answer the case needs was given for the letter: nothing is asked again.
    p.expect("Made the case folder").unwrap();
    p.expect("cd sam-iep").unwrap();
    p.expect(Eof).unwrap();
    let profile = sb.read("sam-iep/iep-case.toml");
    for want in [
        "child_name = \"Sam O'Neil\"",
        "school_name = \"Maple Grove School\"",
        "sender_name = \"Jordan O'Neil\"",
        "jurisdiction = \"ontario\"",
        "a.patel@school.example.org",
    ] {
        assert!(profile.contains(want), "{want}: {profile}");
    }

    // Asked once: the next letter outside a case is not followed by the offer.
    let mut p = write(&sb);
    p.expect("Which support is not happening?").unwrap();
    settle();
    p.send(format!("A scribe{ENTER}")).unwrap();
    p.expect("Check your answers").unwrap();
    settle();
    p.send(ENTER).unwrap();
    p.expect("What would you like to do?").unwrap();
    settle();
    p.send(ENTER).unwrap();
    let got = p.expect(Eof).unwrap();
    let rest = String::from_utf8_lossy(got.as_bytes()).into_owned();
    assert!(!rest.contains("Start a case folder"), "{rest}");
}

/// Issue 13, trap 3 for `iep init`: Ctrl-C while making a case keeps the answers (privately, in
/// the user's state folder), says where, and the next `iep init` of that folder goes on there.
#[test]
fn ctrl_c_while_making_a_case_keeps_the_answers_and_init_goes_on() {
    use std::os::unix::fs::PermissionsExt as _;
    let sb = Sandbox::new();
    let start = |sb: &Sandbox| session(sb.iep().args(["init", "sam-iep"]).command(), "xterm");
    let mut p = start(&sb);
    p.expect("Where does your child go to school?").unwrap();
    settle();
    p.send("Ont").unwrap();
    settle();
    p.send(ENTER).unwrap();
    p.expect("What is your child's full name?").unwrap();
    settle();
    p.send(format!("Sam Lee{ENTER}")).unwrap();
    p.expect("Which pronouns does your child use").unwrap();
    settle();
    p.send("\x03").unwrap();
    p.expect("The answers you gave are kept in").unwrap();
    p.expect("`iep init sam-iep` offers to go on from there.")
        .unwrap();
    p.expect(Eof).unwrap();
    let drafts = sb.path().join("home/.local/state/iep/drafts");
    let kept: Vec<_> = std::fs::read_dir(&drafts)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(
        std::fs::read_to_string(&kept[0])
            .unwrap()
            .contains("Sam Lee")
    );
    assert_eq!(
        std::fs::metadata(&kept[0]).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(!sb.path().join("sam-iep/iep-case.toml").exists());

    let mut p = start(&sb);
    p.expect("Where does your child go to school?").unwrap();
    settle();
    p.send(ENTER).unwrap();
    p.expect("You started making this case before").unwrap();
    settle();
    p.send(ENTER).unwrap();
    // The name is not asked again.
    let got = p.expect("Which pronouns does your child use").unwrap();
    assert!(
        !String::from_utf8_lossy(got.before()).contains("What is your child's full name?"),
        "{}",
        String::from_utf8_lossy(got.before())
    );
    settle();
    p.send("\x03").unwrap();
    p.expect(Eof).unwrap();
}

/// Issue 16: a whole French interview in a real terminal, from the French id to the saved
/// letter, with no English word on any screen (the screen as a terminal shows it, through vt100).
#[test]
fn a_french_parent_writes_a_letter_in_french_from_start_to_end() {
    let sb = Sandbox::new();
    let common = std::fs::read_to_string(format!(
        "{}/answers-fr/common.toml",
        crate::support::FIXTURES
    ))
    .unwrap();
    sb.file(
        "reponses.toml",
        &format!(
            "{common}board_kind = \"service-centre\"\nstudent_id = \"\"\nsender_address = \"\"\naccess_needs = \"\"\nplan_section = \"\"\nimpact = \"\"\n"
        ),
    );
    let mut p = session(
        sb.iep()
            .args([
                "write",
                "mesure-non-appliquee",
                "-j",
                "quebec",
                "--date",
                "2026-11-23",
                "--answers",
                "reponses.toml",
            ])
            .command(),
        "xterm",
    );
    let mut screen = Vec::new();
    let mut step = |p: &mut expectrl::session::OsSession, wait: &str, send: &str| {
        let got = p.expect(wait).unwrap();
        screen.extend_from_slice(got.before());
        screen.extend_from_slice(got.get(0).unwrap());
        settle();
        p.send(send).unwrap();
    };
    step(
        &mut p,
        "Quelle mesure n'est pas appliquée",
        &format!("Un scribe pour les examens écrits{ENTER}"),
    );
    step(
        &mut p,
        "Ajouter un élément (exemple)",
        &format!("oui{ENTER}"),
    );
    step(&mut p, "À quelle date", &format!("31 février 2026{ENTER}"));
    step(&mut p, "n'est pas une vraie date", "");
    step(&mut p, "À quelle date", &format!("le 4 nov. 2026{ENTER}"));
    step(
        &mut p,
        "Que s'est-il passé",
        &format!("pas de scribe à l'examen de sciences{ENTER}"),
    );
    step(&mut p, "Ajouter un autre élément", &format!("non{ENTER}"));
    step(
        &mut p,
        "Ajouter un élément (personne)",
        &format!("n{ENTER}"),
    );
    step(&mut p, "Vérifiez vos réponses", ENTER);
    step(&mut p, "Que voulez-vous faire", ENTER);
    let got = p.expect(Eof).unwrap();
    screen.extend_from_slice(got.as_bytes());
    let letter = sb.read("2026-11-23-implementation-concern.txt");
    assert!(
        letter.contains("- Le 4 novembre 2026\u{a0}: pas de scribe à l'examen de sciences.")
            && letter.contains("Madame la Directrice,"),
        "{letter}"
    );
    let mut term = vt100::Parser::new(2000, 100, 0);
    term.process(&screen);
    let shown = term.screen().contents();
    assert!(shown.contains("Lettre enregistrée"), "{shown}");
    crate::french::assert_no_english("the terminal", &shown);
}
