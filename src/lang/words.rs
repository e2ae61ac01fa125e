//! The table of the program's own words, one per language (`en.rs`, `fr.rs`).
//!
//! A text with a part that changes names it in braces, `{item}`, and is filled in with [`fill`].

/// Every fixed text the interview, the prompter and the main commands show, in one language.
/// Adding a field makes every language supply it (the compiler says which lacks it).
#[derive(Debug)]
pub struct Words {
    // --- The prompter: what is said around every question.
    /// Under a typed answer: the keys it understands.
    pub keys: &'static str,
    /// A yes/no answer's line.
    pub yes_or_no: &'static str,
    /// A typed answer's line.
    pub your_answer: &'static str,
    /// The word for yes, as shown and as the default.
    pub yes: &'static str,
    /// The word for no.
    pub no: &'static str,
    /// The words read as yes (lower case).
    pub yes_words: &'static [&'static str],
    /// The words read as no (lower case).
    pub no_words: &'static [&'static str],
    /// A yes/no that got something else.
    pub type_yes_or_no: &'static str,
    /// `{example}`.
    pub for_example: &'static str,
    /// Under an optional question.
    pub may_leave_empty: &'static str,
    /// Above a several-line answer.
    pub several_lines: &'static str,
    /// `{answer}`: Enter keeps it (several lines).
    pub enter_keeps: &'static str,
    /// An optional answer being changed.
    pub delete_to_empty: &'static str,
    /// A list that narrows as one types.
    pub list_narrows: &'static str,
    /// A list of many picks.
    pub list_many: &'static str,
    /// A list of one pick.
    pub list_one: &'static str,
    /// A list with a way back.
    pub list_back: &'static str,
    /// Plain terminal: `{answer}` kept on Enter.
    pub plain_keep: &'static str,
    /// Plain terminal: `{n}` the default's number.
    pub plain_number: &'static str,
    /// Plain terminal: `{n}` the default's number, where `<` goes back.
    pub plain_number_back: &'static str,
    /// Plain terminal: `{n}` the last number.
    pub plain_number_range: &'static str,
    /// Plain terminal: picking several.
    pub plain_numbers: &'static str,
    /// Plain terminal: `{n}` the last number.
    pub plain_numbers_range: &'static str,
    /// Plain terminal: `{default}` yes or no.
    pub plain_yes_no: &'static str,

    // --- The interview.
    /// `{n}`, `{total}`.
    pub question_of: &'static str,
    /// `{given}` answers known, `{left}` asked.
    pub already_have: &'static str,
    /// `<` at the first question.
    pub first_question: &'static str,
    /// `?` where there is no help.
    pub no_more_help: &'static str,
    /// The review's first line, for a letter.
    pub looks_right_letter: &'static str,
    /// The review's first line, for a form.
    pub looks_right_form: &'static str,
    /// The review's question.
    pub check_answers: &'static str,
    /// `{place}`: the review's line to change the jurisdiction.
    pub where_school: &'static str,
    /// An answer not given, at the review.
    pub no_answer: &'static str,
    /// An empty list, at the review.
    pub none: &'static str,
    /// `{n}` list items with parts, at the review (one).
    pub one_entry: &'static str,
    /// `{n}` list items with parts, at the review (several).
    pub entries: &'static str,
    /// `{error}`: the letter could not be rendered.
    pub not_made_yet: &'static str,
    /// After the preview.
    pub what_next: &'static str,
    /// Final choice.
    pub save_letter: &'static str,
    /// Final choice.
    pub change_answer: &'static str,
    /// Final choice.
    pub stop_for_now: &'static str,
    /// Final choice.
    pub quit: &'static str,
    /// Asked before quitting.
    pub quit_sure: &'static str,
    /// Its help.
    pub quit_sure_help: &'static str,
    /// Offering observations.
    pub offer_observations: &'static str,
    /// Offering earlier letters.
    pub offer_letters: &'static str,
    /// Offering findings.
    pub offer_findings: &'static str,
    /// `{question}`: under an offer.
    pub add_more_after: &'static str,
    /// A choice that may be left out.
    pub leave_out: &'static str,
    /// A multi-choice left empty.
    pub pick_one: &'static str,
    /// `{items}`.
    pub so_far: &'static str,
    /// A list answered before.
    pub keep_add_more: &'static str,
    /// `{question}`, `{item}`.
    pub one_per_line: &'static str,
    /// `{item}`.
    pub at_least_one: &'static str,
    /// `{summary}`.
    pub you_have: &'static str,
    /// A list of items with parts answered before.
    pub keep_them: &'static str,
    /// `{item}`: the first of a list.
    pub add_first: &'static str,
    /// `{item}`: another.
    pub add_another: &'static str,
    /// `{item}`.
    pub needed_for_letter: &'static str,
    /// `{item}`.
    pub not_added: &'static str,
    /// `{item}`.
    pub leave_empty_to_add_none: &'static str,
    /// `{item}`.
    pub none_added: &'static str,

    // --- Answers refused (the engine's `Invalid`, and every way of answering).
    /// A needed answer left empty.
    pub answer_needed: &'static str,
    /// `{item}`, `{n}`: a needed part of a list item.
    pub part_needed: &'static str,
    /// `{choice}`.
    pub not_a_choice: &'static str,
    /// `{choice}`, `{choices}`.
    pub not_one_of: &'static str,
    /// `{typed}`.
    pub not_yes_no: &'static str,
    /// A line break in a one-line answer.
    pub one_line: &'static str,
    /// An empty answer.
    pub empty: &'static str,
    /// A line break in a list item.
    pub one_item_per_line: &'static str,
    /// An empty list item.
    pub item_empty: &'static str,
    /// `{item}`: a list of small forms typed in one line.
    pub several_parts: &'static str,
    /// `{date}`, `{today}`.
    pub after_today: &'static str,
    /// `{at}` character, `{name}`.
    pub control_char: &'static str,
    /// `{what}`: this question takes something else.
    pub takes: &'static str,

    // --- Dates.
    /// Nothing typed.
    pub date_empty: &'static str,
    /// `{typed}`.
    pub date_not_real: &'static str,
    /// `{typed}`.
    pub date_does_not_exist: &'static str,
    /// `{typed}`.
    pub date_ambiguous: &'static str,
    /// `{typed}`.
    pub date_unreadable: &'static str,
    /// `{typed}`, `{noun}`, `{first}`, `{last}`.
    pub date_out_of_range: &'static str,
    /// The kinds of date, as `noun`: letter, reply, observation, answer, birth.
    pub date_nouns: [&'static str; 5],

    // --- iep write.
    /// After the letter's id and title: how the interview works.
    pub introduce: &'static str,
    /// Offered when an unfinished draft exists.
    pub go_on: &'static str,
    /// Its help.
    pub go_on_help: &'static str,
    /// Which letter (no id given).
    pub which_letter: &'static str,
    /// `{path}`.
    pub saved_letter: &'static str,
    /// `{path}`.
    pub saved_answers: &'static str,
    /// "Saved the PDF: {path}", after a letter saved with `--pdf`.
    pub saved_pdf: &'static str,
    /// `{path}`.
    pub recorded: &'static str,
    /// `{id}`.
    pub when_reply: &'static str,
    /// `{date}`, `{counted}`.
    pub reply_by: &'static str,
    /// `{path}`, `{letter}`.
    pub kept_for_later: &'static str,
    /// Nothing saved.
    pub nothing_saved: &'static str,
    /// Quit.
    pub thrown_away: &'static str,
    /// `{days}`, `{unit}`, `{date}`: how a reply-by date was counted.
    pub counted: &'static str,
    /// The clocks' units: calendar days, school days, working days.
    pub units: [&'static str; 3],
    /// `{letter}`, `{lang}`, `{langs}`: a letter with no version in the language asked.
    pub no_version: &'static str,
    /// Which jurisdiction.
    pub where_question: &'static str,
    /// Its help.
    pub where_help: &'static str,
    /// `{reason}`: a letter asked for in a language chosen only by the locale, written in
    /// English because it has no version in that language.
    pub in_english: &'static str,
    /// `{place}`, `{langs}`: a jurisdiction with no version in the language asked.
    pub no_place_version: &'static str,
    /// `{place}`, `{questions}`: answers that do not fit the place picked at the review.
    pub asked_again: &'static str,
    /// `{child}`: after a first letter outside a case.
    pub offer_case: &'static str,
    /// `{child}`: what a case would do.
    pub offer_case_help: &'static str,
    /// No case was made.
    pub no_case_made: &'static str,
    /// In an escalation's list of earlier steps: `{from}` replied.
    pub earlier_replied_from: &'static str,
    /// In an escalation's list of earlier steps: a reply came, from no one named.
    pub earlier_replied: &'static str,
    /// `{date}` of that reply.
    pub earlier_replied_on: &'static str,
    /// `{summary}` of that reply.
    pub earlier_replied_said: &'static str,
    /// `{date}`: no reply came by the date asked.
    pub earlier_no_reply_by: &'static str,
    /// No reply came.
    pub earlier_no_reply: &'static str,
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::Lang;

    /// The `{names}` a text takes, sorted.
    fn names(text: &str) -> Vec<String> {
        let mut out: Vec<String> = text
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(n, _)| n.to_owned()))
            .filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Every text of a table, by field, through its Debug form: the fields in order.
    fn texts(lang: Lang) -> Vec<(String, String)> {
        let debug = format!("{:#?}", lang.words());
        debug
            .lines()
            .filter_map(|l| {
                let (k, v) = l.trim().split_once(": \"")?;
                Some((k.to_owned(), v.trim_end_matches(',').to_owned()))
            })
            .collect()
    }

    #[test]
    fn every_language_fills_the_same_places_in_every_text() {
        let en = texts(Lang::En);
        let fr = texts(Lang::Fr);
        assert_eq!(en.len(), fr.len());
        for ((k, e), (k2, f)) in en.iter().zip(&fr) {
            assert_eq!(k, k2);
            assert_eq!(
                names(e),
                names(f),
                "`{k}` takes other places in French: {f}"
            );
        }
    }

    #[test]
    fn french_puts_a_no_break_space_before_high_punctuation() {
        for (k, f) in texts(Lang::Fr) {
            let f = f.replace("\\u{a0}", "\u{a0}");
            for (i, c) in f.char_indices() {
                if [':', ';', '?', '!'].contains(&c) && i > 0 {
                    let before = f[..i].chars().next_back().unwrap();
                    assert!(
                        before != ' ',
                        "`{k}`: an ordinary space before \"{c}\": {f}"
                    );
                }
            }
        }
    }
}
