//! Flesch-Kincaid grade level, to keep letters and questions plain.
//!
//! grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59
//!
//! Syllables are counted by vowel groups with the usual English corrections (a silent final
//! `e`, `-le`, `-ed`). Like every such count it is an estimate: good for comparing texts and
//! catching long sentences, not a verdict.

/// Words, sentences and syllables in a text.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    /// Words.
    pub words: usize,
    /// Sentences.
    pub sentences: usize,
    /// Syllables.
    pub syllables: usize,
}

impl Counts {
    /// Counts a text. Each non-empty line that does not end in punctuation counts as a sentence
    /// of its own (addresses, headings, list items).
    pub fn of(text: &str) -> Counts {
        let mut c = Counts::default();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let mut in_sentence = false;
            for token in line.split_whitespace() {
                let word: String = token
                    .chars()
                    .filter(|ch| ch.is_alphanumeric() || *ch == '\'')
                    .collect();
                if !word.is_empty() {
                    c.words += 1;
                    c.syllables += syllables(&word);
                    in_sentence = true;
                }
                if token.ends_with(['.', '!', '?', ':']) && in_sentence {
                    c.sentences += 1;
                    in_sentence = false;
                }
            }
            if in_sentence {
                c.sentences += 1;
            }
        }
        c
    }

    /// The Flesch-Kincaid grade.
    pub fn grade(&self) -> f64 {
        if self.words == 0 || self.sentences == 0 {
            return 0.0;
        }
        let w = self.words as f64;
        0.39 * (w / self.sentences as f64) + 11.8 * (self.syllables as f64 / w) - 15.59
    }
}

/// The grade of a text.
pub fn grade(text: &str) -> f64 {
    Counts::of(text).grade()
}

/// Estimated syllables in one word.
pub fn syllables(word: &str) -> usize {
    let w: Vec<char> = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect();
    if w.is_empty() {
        // Numbers and non-English words: count as one syllable.
        return 1;
    }
    if w.len() <= 3 {
        return 1;
    }
    let vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut prev = false;
    for &c in &w {
        let v = vowel(c);
        if v && !prev {
            count += 1;
        }
        prev = v;
    }
    let n = w.len();
    let ends = |s: &str| w.iter().collect::<String>().ends_with(s);
    if w[n - 1] == 'e' && !ends("le") && !ends("ee") && count > 1 {
        count -= 1;
    }
    if ends("ed") && !ends("ted") && !ends("ded") && count > 1 {
        count -= 1;
    }
    count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_syllables_close_enough() {
        for (word, n) in [
            ("cat", 1),
            ("table", 2),
            ("make", 1),
            ("education", 4),
            ("asked", 1),
            ("needed", 2),
            ("plan", 1),
            ("accommodation", 5),
        ] {
            assert_eq!(syllables(word), n, "{word}");
        }
    }

    #[test]
    fn simple_text_scores_low_and_dense_text_high() {
        let simple = "I am writing about my son. He needs help to read. Please call me.";
        let dense = "Notwithstanding the aforementioned considerations, the administrative determination regarding individualized accommodations necessitates comprehensive documentation.";
        assert!(grade(simple) < 4.0, "{}", grade(simple));
        assert!(grade(dense) > 16.0, "{}", grade(dense));
    }
}
