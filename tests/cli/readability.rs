//! Plain language, measured: every built-in letter, rendered from fixtures for every
//! jurisdiction, scores at Flesch-Kincaid grade 8 or below (the brief's target), and every
//! question at grade 8 or below. Run with `--nocapture` to see the figures.

use iep::catalog::Catalog;
use iep::readability::{Counts, grade};
use iep::render::{Inputs, Renderer};

use crate::support::{JURISDICTIONS, LETTERS, Sandbox, fixture_args};

/// The letter's own words: from the greeting to the signature, without headers and addresses;
/// for a one-page document, all of it but its title line.
fn prose(letter: &str) -> String {
    let Some(start) = letter.find("Dear ") else {
        return letter.lines().skip(1).collect::<Vec<_>>().join("\n");
    };
    let end = letter.find("Sincerely,").expect("a closing");
    letter[start..end]
        .lines()
        .skip(1)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn built_in_letters_read_at_grade_8_or_below() {
    let sb = Sandbox::new();
    let mut worst: f64 = 0.0;
    for letter in LETTERS {
        for (j, _, _) in JURISDICTIONS {
            let ran = sb
                .iep()
                .args(fixture_args(&sb, letter, j))
                .args(["-o", "-"])
                .ok();
            let text = prose(&ran.stdout);
            let c = Counts::of(&text);
            let g = c.grade();
            println!(
                "{letter:24} {j:17} grade {g:4.1}  ({} words, {} sentences)",
                c.words, c.sentences
            );
            worst = worst.max(g);
            assert!(g <= 8.0, "{letter} for {j} reads at grade {g:.1}:\n{text}");
        }
    }
    println!("highest letter grade: {worst:.1}");
}

#[test]
fn questions_read_at_grade_6_taken_together() {
    let c = Catalog::new(&[]).unwrap();
    let j = c.jurisdiction("ontario").unwrap();
    let mut all = String::new();
    for id in c.letter_ids().unwrap() {
        let letter = c.letter(&id).unwrap();
        let r = Renderer::new(&c, &letter, &j.id).unwrap();
        let answers = Default::default();
        let ctx = Inputs {
            earlier: None,
            attached: &[],
            calendar: None,
            letter: &letter,
            jurisdiction: &j,
            date: chrono::NaiveDate::default(),
            answers: &answers,
        }
        .context();
        for q in &letter.questions {
            let prompt = r.text(&q.key, "prompt", &q.prompt, &ctx).unwrap();
            let g = grade(&prompt);
            assert!(g <= 9.0, "{id}.{} reads at grade {g:.1}: {prompt}", q.key);
            all.push_str(&prompt);
            all.push('\n');
        }
    }
    let g = grade(&all);
    println!("all question prompts together: grade {g:.1}");
    assert!(g <= 6.0, "questions read at grade {g:.1}");
}
