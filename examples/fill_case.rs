//! Makes a large case folder for the `benches/case.sh` benchmark: a profile and N records of
//! mixed letters, dates, replies and overdue ones, written as iep writes them (record.toml from
//! the same types, letter.txt, answers.toml), without iep's per-record fsyncs, which only slow
//! down making a fixture.
//!
//!   cargo run --release --example fill_case -- DIR 10000

use std::path::PathBuf;

use chrono::{DateTime, Days, NaiveDate};
use iep::case::record::{Event, Person, RecordFile, Status, to_text};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: fill_case DIR COUNT"));
    let count: usize = args.next().expect("usage: fill_case DIR COUNT").parse()?;
    std::fs::create_dir_all(dir.join("records"))?;
    std::fs::write(
        dir.join(iep::case::CASE_FILE),
        "child_name = \"Sam Lee\"\nchild_dob = 2016-04-09\ngrade = \"Grade 4\"\nschool_name = \"Maple Grove School\"\nsender_name = \"Jordan Lee\"\nsender_relationship = \"parent\"\nsender_email = \"jordan@example.org\"\n\n[iep]\njurisdiction = \"ontario\"\n",
    )?;
    let letters = [
        ("iep-request", "Ask the school to start an IEP", "principal"),
        (
            "implementation-concern",
            "A support in the plan is not happening",
            "principal",
        ),
        (
            "progress-evidence",
            "Ask for evidence of progress",
            "principal",
        ),
        (
            "escalation",
            "Take a concern to the next step",
            "superintendent",
        ),
    ];
    let start = NaiveDate::from_ymd_opt(2000, 1, 3).expect("a date");
    let at = DateTime::parse_from_rfc3339("2026-11-23T09:30:00-05:00")?;
    for n in 0..count {
        let (letter, title, role) = letters[n % letters.len()];
        let date = start + Days::new((n / 3) as u64);
        let reply_by = date + Days::new(14);
        let mut history = vec![Event::new(at, Status::Written)];
        if n % 3 != 0 {
            let mut reply = Event::new(at, Status::Reply);
            reply.date = Some(date + Days::new(7));
            reply.from = Some("Ms. Amina Patel, Principal".into());
            reply.summary = Some("The support starts on Monday; Mr. Tran is responsible.".into());
            reply.answered = vec!["Is this support being given now?".into()];
            reply.unanswered = vec!["How is it tracked, and may I see that record?".into()];
            history.push(reply);
        }
        let file = RecordFile {
            letter: letter.into(),
            title: title.into(),
            jurisdiction: "ontario".into(),
            date,
            subject: Some(format!("Sam Lee: {title}")),
            asked: "that this support in the IEP be given as written: \"Access to a scribe for written tests\"; and who gives it, when, and how it is tracked".into(),
            asks: vec![
                "Is this support being given now?".into(),
                "Who is responsible for giving it?".into(),
                "When in the day does it happen?".into(),
                "How is it tracked, and may I see that record?".into(),
                "What will change so that it happens every time?".into(),
            ],
            reply_by: Some(reply_by),
            reply_window: Some("10 school days".into()),
            reply_counted: None,
            to_role: Some(role.into()),
            follows: None,
            message_id: Some(format!("<{n}.fill@example.org>")),
            references: Vec::new(),
            to: vec![Person {
                name: "Ms. Amina Patel".into(),
                title: "Principal".into(),
                email: Some("a.patel@school.example.org".into()),
            }],
            cc: Vec::new(),
            history: history.clone(),
        };
        let record = dir.join("records").join(format!("{date}-{letter}-{n}"));
        std::fs::create_dir_all(&record)?;
        std::fs::write(record.join("record.toml"), to_text(&file)?)?;
        std::fs::write(
            record.join("letter.txt"),
            "Subject: …\n\nDear Ms. Patel,\n…\n",
        )?;
        std::fs::write(
            record.join("answers.toml"),
            "support = \"Access to a scribe\"\n",
        )?;
    }
    Ok(())
}
