//! Property tests (issue 11): answers files and dates, whatever they hold, give either a clear
//! refusal or the same answers back; never a panic, never a changed date.
//!
//! Each runs 256 cases here; for a longer run: `PROPTEST_CASES=20000 cargo test --release
//! --test cli properties` (see README.md, "For developers").

use chrono::{Datelike as _, NaiveDate};
use iep::answers::AnswersFile;
use iep::catalog::Catalog;
use iep::interview::Interview;
use iep::render::Renderer;
use proptest::prelude::*;

use crate::support::FIXTURES;

fn cases() -> ProptestConfig {
    ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(256),
    )
}

/// Text that breaks naive readers: control characters, line breaks, template braces, long runs.
fn nasty_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(vec![
                "Sam",
                " ",
                "\n",
                "\r\n",
                "\t",
                "\u{1b}[2J",
                "\u{7}",
                "\0",
                "\u{85}",
                "\u{2028}",
                "{{ j.plan.short }}",
                "{% if %}",
                "é",
                "日本",
                "@",
                "a@b.org",
                "2026-11-03",
                "yes",
                "no",
                "\"",
                "\\",
                "[",
                "=",
            ])
            .prop_map(str::to_owned),
            "[a-zA-Z0-9 ,.]{0,40}",
        ],
        0..12,
    )
    .prop_map(|v| v.concat())
}

/// A TOML date anywhere in the years TOML can write.
fn any_toml_date() -> impl Strategy<Value = toml::Value> {
    (0u16..=9999, 1u8..=12, 1u8..=31).prop_filter_map("a real day", |(y, m, d)| {
        let text = format!("{y:04}-{m:02}-{d:02}");
        text.parse::<toml::value::Datetime>()
            .ok()
            .map(toml::Value::Datetime)
    })
}

fn any_value() -> impl Strategy<Value = toml::Value> {
    let leaf = prop_oneof![
        nasty_text().prop_map(toml::Value::String),
        any::<bool>().prop_map(toml::Value::Boolean),
        any::<i64>().prop_map(toml::Value::Integer),
        any_toml_date(),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(toml::Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "date", "what", "person", "asked", "reply", "by", "who", "x"
                ]),
                inner,
                0..4
            )
            .prop_map(|m| toml::Value::Table(
                m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

/// The fixture answers for `letter`, as a table.
fn fixture(letter: &str) -> toml::Table {
    let common = std::fs::read_to_string(format!("{FIXTURES}/answers/common.toml")).unwrap();
    let own = std::fs::read_to_string(format!("{FIXTURES}/answers/{letter}.toml")).unwrap();
    toml::from_str(&format!("{common}\n{own}")).unwrap()
}

const LETTERS: &[&str] = &["implementation-concern", "escalation", "meeting-follow-up"];

/// Reads `text` as an answers file for `letter` and writes the letter without asking; when that
/// works, the answers file it saves must read back to the same answers. Returns whether the
/// letter was written.
fn write_from(letter_id: &str, text: &str) -> bool {
    let catalog = Catalog::new(&[]).unwrap();
    let mut letter = catalog.letter(letter_id).unwrap();
    let j = catalog.jurisdiction("ontario").unwrap();
    letter.fill_choices(&j);
    let renderer = Renderer::new(&catalog, &letter, &j.id).unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let Ok(file) = AnswersFile::parse("answers.toml", text) else {
        return false;
    };
    let mut interview = Interview::new(&letter, &j, &renderer, date);
    let mut sets = vec![("grade".to_owned(), "Grade 4".to_owned())];
    if letter_id == "escalation" {
        sets.push(("rung".to_owned(), "superintendent".to_owned()));
    }
    if interview.preset(Some(&file), &sets).is_err() || interview.complete_without_asking().is_err()
    {
        return false;
    }
    let Ok(_draft) = interview.draft() else {
        return false;
    };
    let answers = interview.answers_in_order().unwrap();
    let meta = iep::answers::Meta {
        letter: Some(letter.id.clone()),
        jurisdiction: Some(j.id.clone()),
        date: Some(iep::answers::toml_date(date).unwrap()),
    };
    let saved = iep::answers::to_file_text(&letter.id, &meta, &answers)
        .expect("accepted answers can be saved");
    let again = AnswersFile::parse("saved.toml", &saved).expect("a saved file reads back");
    let mut second = Interview::new(&letter, &j, &renderer, date);
    second
        .preset(Some(&again), &[])
        .expect("a saved file is accepted");
    second.complete_without_asking().unwrap();
    assert_eq!(second.answers_in_order().unwrap(), answers);
    // Nothing one-line holds a control character (the .eml headers and the terminal see these).
    for (key, value) in &answers {
        if let iep::answers::Value::Text(t) = value {
            let q = letter.questions.iter().find(|q| &q.key == key).unwrap();
            let allowed: &[char] = if q.kind == iep::catalog::question::Kind::LongText {
                &['\n', '\t']
            } else {
                &[]
            };
            assert!(
                !t.chars().any(|c| c.is_control() && !allowed.contains(&c)),
                "{key} = {t:?}"
            );
        }
    }
    true
}

#[test]
fn the_fixture_answers_are_written_and_read_back() {
    for letter in LETTERS {
        let text = toml::to_string(&fixture(letter)).unwrap();
        assert!(write_from(letter, &text), "{letter}");
    }
}

proptest! {
    #![proptest_config(cases())]

    // Fuzz target for answers files: the fixture answers with some replaced by anything.
    #[test]
    fn any_answers_file_is_refused_or_read_back_the_same(
        which in 0..LETTERS.len(),
        changes in prop::collection::vec((0usize..40, any_value()), 0..4),
    ) {
        let letter = LETTERS[which];
        let mut table = fixture(letter);
        let keys: Vec<String> = table.keys().cloned().collect();
        for (at, value) in changes {
            let key = keys.get(at).cloned().unwrap_or_else(|| format!("extra_{at}"));
            table.insert(key, value);
        }
        let text = toml::to_string(&table).unwrap();
        let _ = write_from(letter, &text);
    }

    // And raw text, which need not be TOML at all.
    #[test]
    fn any_text_as_an_answers_file_does_not_panic(text in nasty_text()) {
        let _ = write_from("implementation-concern", &text);
    }

    // Issue 11.3: any year in, either a clear refusal or the same date out.
    #[test]
    fn any_year_is_refused_or_read_as_typed(
        year in any::<i32>(),
        month in 1u32..=12,
        day in 1u32..=31,
        form in 0..5,
    ) {
        use iep::dates::{DateKind, parse_kind};
        const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June",
            "July", "August", "September", "October", "November", "December"];
        let typed = match form {
            0 => format!("{year:04}-{month:02}-{day:02}"),
            1 => format!("{year:+05}-{month:02}-{day:02}"),
            2 => format!("{} {day}, {year}", MONTHS[month as usize - 1]),
            3 => format!("{day} {} {year}", MONTHS[month as usize - 1]),
            _ => format!("{year}-{month}-{day}"),
        };
        for kind in [DateKind::Letter, DateKind::Reply, DateKind::Observation, DateKind::Answer, DateKind::Birth] {
            match parse_kind(&typed, kind) {
                Ok(d) => {
                    prop_assert_eq!((d.year(), d.month(), d.day()), (year, month, day), "{}", typed);
                    let (first, last) = kind.range();
                    prop_assert!(first <= d && d <= last);
                    // And it is saved as typed.
                    let saved = iep::answers::toml_date(d).unwrap().to_string();
                    prop_assert_eq!(saved, format!("{year:04}-{month:02}-{day:02}"));
                }
                Err(e) => {
                    let e = e.to_string();
                    prop_assert!(e.contains(typed.trim()), "{}", e);
                    let real = NaiveDate::from_ymd_opt(year, month, day).is_some();
                    if real && !(0..=9999).contains(&year) {
                        prop_assert!(e.contains("is outside the dates iep accepts"), "{}", e);
                    }
                }
            }
        }
    }
}
