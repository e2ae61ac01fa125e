//! Plain language, measured: every built-in letter, rendered from fixtures for every
//! jurisdiction it exists for, scores at Flesch-Kincaid grade 8 or below (the brief's target) on
//! two measures, and every question at grade 9 or below. Run with `--nocapture` to see the
//! figures.
//!
//! - iep's own estimator ([`iep::readability`]), which ends a sentence at every line break and
//!   colon (generous to letters with lists).
//! - The standard formula as checkers such as Python's `textstat` apply it: sentences end only at
//!   `.`, `!`, `?` and at list lines; syllables come from TeX's Knuth-Liang hyphenation patterns
//!   for US English (the `hyphenation` crate), as `textstat` takes them from `pyphen`.

use iep::catalog::Catalog;
use iep::readability::{Counts, grade};
use iep::render::{Inputs, Renderer};

use hyphenation::{Hyphenator, Language, Load, Standard};

use crate::support::{JURISDICTIONS, LETTERS, Sandbox, fixture_args};

/// Flesch-Kincaid grade the standard way, `0.39 × words / sentences + 11.8 × syllables / words
/// − 15.59`, with sentences ended by `.`, `!`, `?` or a list line, and syllables counted from
/// hyphenation patterns.
fn standard_grade(dict: &Standard, text: &str) -> f64 {
    let mut words = 0usize;
    let mut syllables = 0usize;
    let mut sentences = 0usize;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let ends = trimmed
            .split_inclusive(['.', '!', '?'])
            .filter(|part| part.ends_with(['.', '!', '?']) && part.chars().any(char::is_alphabetic))
            .count();
        let list_item = trimmed.starts_with("- ")
            || trimmed
                .split_once(". ")
                .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()));
        let unfinished = !trimmed.ends_with(['.', '!', '?']);
        sentences += ends + usize::from(list_item && unfinished);
        for word in trimmed.split_whitespace() {
            let letters: String = word
                .chars()
                .filter(|c| c.is_alphabetic())
                .flat_map(char::to_lowercase)
                .collect();
            if letters.is_empty() {
                continue;
            }
            words += 1;
            syllables += dict.hyphenate(&letters).breaks.len() + 1;
        }
    }
    let sentences = sentences.max(1) as f64;
    let words_f = words.max(1) as f64;
    0.39 * (words_f / sentences) + 11.8 * (syllables as f64 / words_f) - 15.59
}

/// The letter's own words: from the greeting to the signature, without headers and addresses;
/// for a one-page document, all of it but its title line.
fn prose(letter: &str) -> String {
    let Some(start) = letter.find("Dear ") else {
        return letter.lines().skip(1).collect::<Vec<_>>().join("\n");
    };
    let end = letter.find("incerely,").expect("a closing");
    letter[start..end]
        .lines()
        .skip(1)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn built_in_letters_read_at_grade_8_or_below() {
    let sb = Sandbox::new();
    let dict = Standard::from_embedded(Language::EnglishUS).unwrap();
    let catalog = Catalog::new(&[]).unwrap();
    let (mut worst, mut worst_standard): (f64, f64) = (0.0, 0.0);
    for letter in LETTERS {
        let def = catalog.letter(letter).unwrap();
        for (j, _, _) in JURISDICTIONS.iter().filter(|(j, _, _)| def.exists_for(j)) {
            let ran = sb
                .iep()
                .args(fixture_args(&sb, letter, j))
                .args(["-o", "-"])
                .ok();
            let text = prose(&ran.stdout);
            let c = Counts::of(&text);
            let g = c.grade();
            let s = standard_grade(&dict, &text);
            println!(
                "{letter:24} {j:17} grade {g:4.1} (iep's estimator)  {s:4.1} (standard)  ({} words)",
                c.words
            );
            worst = worst.max(g);
            worst_standard = worst_standard.max(s);
            assert!(g <= 8.0, "{letter} for {j} reads at grade {g:.1}:\n{text}");
            assert!(
                s <= 8.0,
                "{letter} for {j} reads at grade {s:.1} on the standard measure:\n{text}"
            );
        }
    }
    println!("highest letter grade: {worst:.1} (iep's estimator), {worst_standard:.1} (standard)");
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

/// Syllables of a French word, estimated: groups of vowels, less a final mute e ("classe" has
/// two). A heuristic (no French hyphenation patterns are embedded): close enough for a score
/// over a whole letter.
fn french_syllables(word: &str) -> usize {
    const VOWELS: &str = "aeiouyàâäéèêëîïôöùûüœæ";
    let w: Vec<char> = word.chars().collect();
    let mut groups = 0;
    let mut in_vowel = false;
    for c in &w {
        let v = VOWELS.contains(*c);
        if v && !in_vowel {
            groups += 1;
        }
        in_vowel = v;
    }
    // A final e (or es) after one consonant that follows a vowel is not a syllable of its own
    // in hyphenation ("é-cole", "me-sure"); after two consonants it is ("clas-se").
    let stem = word.strip_suffix("es").or_else(|| word.strip_suffix('e'));
    if let Some(stem) = stem {
        let mut back = stem.chars().rev();
        let (c1, c2) = (back.next(), back.next());
        if groups > 1
            && c1.is_some_and(|c| !VOWELS.contains(c))
            && c2.is_some_and(|c| VOWELS.contains(c))
        {
            groups -= 1;
        }
    }
    groups.max(1)
}

/// Kandel and Moles's adaptation of Flesch reading ease to French (the issue aims at "assez
/// facile", 70 or more; the letters that quote the law score lower, and 60 is held as the floor):
/// `207 − 1.015 × words / sentences − 73.6 × syllables / words`. 80–90 is "facile", 70–80
/// "assez facile", 60–70 "standard". Sentences end at `.`, `!`, `?` or a list line.
fn kandel_moles(text: &str) -> f64 {
    let (mut words, mut syllables, mut sentences) = (0usize, 0usize, 0usize);
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let ends = trimmed
            .split_inclusive(['.', '!', '?'])
            .filter(|part| part.ends_with(['.', '!', '?']) && part.chars().any(char::is_alphabetic))
            .count();
        let list_item = trimmed.starts_with("- ")
            || trimmed
                .split_once(". ")
                .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()));
        sentences += ends + usize::from(list_item && !trimmed.ends_with(['.', '!', '?']));
        // "d'Élodie" and "l'école" are one word each for the reader.
        for word in trimmed.split(|c: char| c.is_whitespace()) {
            let letters: String = word
                .chars()
                .filter(|c| c.is_alphabetic())
                .flat_map(char::to_lowercase)
                .collect();
            if letters.is_empty() {
                continue;
            }
            words += 1;
            syllables += french_syllables(&letters);
        }
    }
    let sentences = sentences.max(1) as f64;
    let words = words.max(1) as f64;
    207.0 - 1.015 * (words / sentences) - 73.6 * (syllables as f64 / words)
}

/// The French letter's own words, from the greeting to the closing formula.
fn french_prose(letter: &str) -> String {
    let Some(start) = letter
        .find(",\n\n")
        .filter(|_| letter.contains("Veuillez recevoir"))
    else {
        return letter.lines().skip(1).collect::<Vec<_>>().join("\n");
    };
    let end = letter.find("Veuillez recevoir").expect("a closing");
    letter[start + 1..end].to_owned()
}

#[test]
fn french_letters_read_at_standard_or_easier_on_kandel_moles() {
    assert_eq!(french_syllables("classe"), 2);
    assert_eq!(french_syllables("école"), 2);
    assert_eq!(french_syllables("intervention"), 4);
    let mut lowest = f64::MAX;
    for letter in crate::french::FRENCH_LETTERS {
        let ran = crate::french::french_letter(
            letter,
            None.or((*letter == "escalation").then_some("complaints-officer")),
        );
        let text = french_prose(&ran.stdout);
        let score = kandel_moles(&text);
        println!("{letter:24} Kandel-Moles {score:5.1}");
        lowest = lowest.min(score);
        assert!(
            score >= 60.0,
            "{letter} scores {score:.1} on Kandel-Moles:\n{text}"
        );
    }
    println!("lowest French letter score: {lowest:.1} (Kandel-Moles)");
}
