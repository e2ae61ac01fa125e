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

    // --- Groups, one per part of the program.
    /// `iep init`.
    pub init: InitWords,
    /// The checks of a person's name and email address.
    pub people: PeopleWords,
    /// A school break as typed (`closed_days`).
    pub closed: ClosedWords,
    /// Ctrl-C and errors.
    pub stop: StopWords,
    /// A record's status, as `iep log` and `iep outbox` show it.
    pub status: StatusWords,
    /// `iep due`.
    pub due: DueWords,
    /// `iep log`.
    pub log: LogWords,
    /// `iep reply`.
    pub reply: ReplyWords,
    /// `iep observe`.
    pub observe: ObserveWords,
    /// `iep case` and a command that needs a case.
    pub case: CaseWords,
    /// `iep send`, `iep outbox` and `iep sent`.
    pub send: SendWords,
    /// `iep letters`.
    pub letters: LettersWords,
    /// `iep jurisdictions`.
    pub places: PlacesWords,
    /// `iep serve`'s page.
    pub page: PageWords,
}

/// `iep init`'s words.
#[derive(Debug)]
pub struct InitWords {
    /// Before the first question.
    pub intro: &'static str,
    /// `{dir}`: a file where the folder should be.
    pub is_a_file: &'static str,
    /// `{dir}`: a case already.
    pub already: &'static str,
    /// `{ids}`: no jurisdiction and no terminal.
    pub which_jurisdiction: &'static str,
    /// A draft of the case was kept.
    pub resume: &'static str,
    /// Its help.
    pub resume_help: &'static str,
    /// `{path}`: the profile appeared meanwhile.
    pub appeared: &'static str,
    /// `{dir}`.
    pub made: &'static str,
    /// `{go_into}`, `{go}`: what to do next.
    pub next: &'static str,
    /// Part of `next` when the folder is elsewhere.
    pub go_into: &'static str,
    /// `{dir}`: the folder's names are visible to others.
    pub open_to_others: &'static str,
}

/// The checks of a name and an email address.
#[derive(Debug)]
pub struct PeopleWords {
    /// `{n}`, `{max}`.
    pub name_too_long: &'static str,
    /// `{text}`.
    pub not_email: &'static str,
    /// A line break in an address.
    pub email_one_line: &'static str,
    /// `{text}`: accented letters before the `@`.
    pub email_accented: &'static str,
}

/// A school break that cannot be read.
#[derive(Debug)]
pub struct ClosedWords {
    /// Nothing typed.
    pub empty: &'static str,
    /// `{item}`, `{reason}`.
    pub bad_date: &'static str,
    /// `{item}`, `{start}`, `{end}`.
    pub ends_before: &'static str,
    /// `{item}`, `{days}`, `{max}`.
    pub too_long: &'static str,
}

/// Ctrl-C, and the frame of an error.
#[derive(Debug)]
pub struct StopWords {
    /// Ctrl-C during a question.
    pub stopped: &'static str,
    /// `{path}`, `{again}`: where the answers are kept.
    pub kept: &'static str,
    /// Before each cause of an error.
    pub because: &'static str,
}

/// A record's status, as `iep log` and `iep outbox` show it.
#[derive(Debug)]
pub struct StatusWords {
    /// Written, not sent.
    pub written: &'static str,
    /// Sent.
    pub sent: &'static str,
    /// Sending failed for now.
    pub failed: &'static str,
    /// The server refused it.
    pub refused: &'static str,
    /// Being sent.
    pub sending: &'static str,
    /// Sent, not confirmed.
    pub unconfirmed: &'static str,
    /// Changed before sending.
    pub edited: &'static str,
    /// Taken out of the outbox.
    pub dropped: &'static str,
    /// A reply came.
    pub reply: &'static str,
}

/// `iep due`.
#[derive(Debug)]
pub struct DueWords {
    /// `{on}`.
    pub none_overdue: &'static str,
    /// `{id}`, `{title}`, `{to}`, `{due}`, `{ago}`.
    pub overdue: &'static str,
    /// `{n}`: one day.
    pub day: &'static str,
    /// `{n}` days.
    pub days: &'static str,
    /// `{id}`.
    pub if_reply: &'static str,
    /// `{why}`, `{command}`.
    pub next: &'static str,
    /// `{id}`, `{title}`, `{to}`, `{of}`, `{open}`.
    pub open: &'static str,
    /// `{date}`.
    pub reply_of: &'static str,
    /// `{n}`, `{total}`.
    pub open_one: &'static str,
    /// `{n}`, `{total}`.
    pub open_many: &'static str,
    /// `{ids}`.
    pub not_listed_one: &'static str,
    /// `{n}`, `{ids}`.
    pub not_listed_many: &'static str,
    /// `{date}`.
    pub waiting_one: &'static str,
    /// `{n}`, `{date}`.
    pub waiting_many: &'static str,
    /// `{path}`, `{place}`.
    pub unknown_place: &'static str,
    /// At a terminal, after the list.
    pub offer: &'static str,
    /// Its help.
    pub offer_help: &'static str,
    /// The first choice.
    pub not_now: &'static str,
    /// `{why}`, `{id}`: a choice.
    pub following_up: &'static str,
    /// `{office}`: an escalation.
    pub why_up: &'static str,
    /// The same letter again.
    pub why_again: &'static str,
}

/// `iep log`.
#[derive(Debug)]
pub struct LogWords {
    /// No letter recorded.
    pub none_yet: &'static str,
    /// No letter kept by the filters.
    pub none_match: &'static str,
    /// `{n}`, `{path}`.
    pub saved_chronology: &'static str,
    /// A reply came.
    pub received: &'static str,
    /// `{date}`.
    pub received_on: &'static str,
    /// `{received}`, `{open}`.
    pub open: &'static str,
    /// `{date}`.
    pub overdue: &'static str,
    /// `{status}`, `{date}`.
    pub reply_by: &'static str,
    /// `{date}`: a record shown.
    pub date: &'static str,
    /// `{subject}`.
    pub subject: &'static str,
    /// `{to}`.
    pub to: &'static str,
    /// `{date}`, `{window}`.
    pub reply_by_line: &'static str,
    /// `{window}`.
    pub counted_from_sent: &'static str,
    /// `{id}`.
    pub follows: &'static str,
    /// `{status}`.
    pub status: &'static str,
    /// `{asked}`.
    pub asked: &'static str,
    /// Above the letter's questions.
    pub questions: &'static str,
    /// After a question.
    pub not_answered: &'static str,
    /// After a question.
    pub answered: &'static str,
    /// Above the history.
    pub history: &'static str,
    /// `{path}`.
    pub letter: &'static str,
    /// `{date}`: in a history line.
    pub dated: &'static str,
    /// `{from}`.
    pub from: &'static str,
    /// `{n}`, `{total}`.
    pub answered_count: &'static str,
    /// `{total}`: one question answered.
    pub answered_count_one: &'static str,
    /// `{summary}`: what a reply said.
    pub summary: &'static str,
}

/// `iep reply`.
#[derive(Debug)]
pub struct ReplyWords {
    /// No record named and no terminal.
    pub which_no_terminal: &'static str,
    /// Nothing waits for a reply.
    pub none_waiting: &'static str,
    /// Picking the letter.
    pub which: &'static str,
    /// Its help.
    pub which_help: &'static str,
    /// `{n}`, `{asks}`, `{id}`.
    pub bad_answered: &'static str,
    /// `{id}`, `{title}`, `{date}`, `{to}`.
    pub about: &'static str,
    /// `{date}`, `{letter}`, `{id}`.
    pub before_letter: &'static str,
    /// `{id}`.
    pub recorded: &'static str,
    /// `{dated}`.
    pub already: &'static str,
    /// `{date}`.
    pub dated: &'static str,
    /// `{n}`, `{total}`.
    pub left: &'static str,
    /// Before the next letters.
    pub stays_open: &'static str,
    /// `{why}`, `{command}`.
    pub step: &'static str,
}

/// `iep observe`.
#[derive(Debug)]
pub struct ObserveWords {
    /// `{path}`.
    pub recorded: &'static str,
    /// After it.
    pub offered: &'static str,
}

/// `iep case` and a command that needs a case.
#[derive(Debug)]
pub struct CaseWords {
    /// `{path}`.
    pub folder: &'static str,
    /// `{name}`, `{id}`.
    pub place: &'static str,
    /// No one to write to yet.
    pub no_people: &'static str,
    /// Above the people.
    pub people: &'static str,
    /// `{n}`, `{waiting}`, `{overdue}`, `{observations}`.
    pub counts: &'static str,
    /// `{path}`.
    pub saved: &'static str,
    /// `{path}`.
    pub changed: &'static str,
    /// `{path}`.
    pub none_here: &'static str,
    /// `{command}`, `{path}`.
    pub needed: &'static str,
}

/// `iep send`, `iep outbox` and `iep sent`.
#[derive(Debug)]
pub struct SendWords {
    /// `{id}`, `{needs}`.
    pub left_in_outbox: &'static str,
    /// `--queued` with nothing to try.
    pub nothing_queued: &'static str,
    /// `{id}`.
    pub no_eml: &'static str,
    /// `{id}`.
    pub busy: &'static str,
    /// `{id}`, `{status}`.
    pub no_longer_queued: &'static str,
    /// `{id}`, `{note}`.
    pub may_have_arrived: &'static str,
    /// `{id}`.
    pub already_sent: &'static str,
    /// No account.
    pub no_account: &'static str,
    /// `{mb}`.
    pub large: &'static str,
    /// After `--dry-run`.
    pub dry_run: &'static str,
    /// `{id}`, `{from}`, `{to}`, `{subject}`: before sending.
    pub header: &'static str,
    /// No From address.
    pub no_address: &'static str,
    /// `{from}`, `{account}`.
    pub other_sender: &'static str,
    /// `{date}`, `{stated}`, `{later}`, `{id}`.
    pub late: &'static str,
    /// No terminal and no `--yes`.
    pub need_yes: &'static str,
    /// `{to}`.
    pub confirm: &'static str,
    /// `{path}`.
    pub confirm_help: &'static str,
    /// No at the question.
    pub not_sent: &'static str,
    /// `{host}`, `{reply}`.
    pub sent: &'static str,
    /// `{error}`.
    pub copy_not_kept: &'static str,
    /// `{error}`, `{at}`.
    pub record_not_updated: &'static str,
    /// `{id}`.
    pub record_says: &'static str,
    /// `{why}`, `{id}`.
    pub refused: &'static str,
    /// `{why}`, `{id}`.
    pub unconfirmed: &'static str,
    /// `{why}`.
    pub failed: &'static str,
    /// `{note}`: about the account.
    pub note: &'static str,
    /// `{note}`, `{id}`.
    pub needs_refused: &'static str,
    /// `{note}`, `{id}`.
    pub needs_unconfirmed: &'static str,
    /// `{note}`.
    pub needs_failed: &'static str,
    /// `{id}`, `{account}`.
    pub no_recipient: &'static str,
    /// `iep outbox` with nothing.
    pub outbox_empty: &'static str,
    /// `{id}`, `{to}`, `{status}`, `{at}`, `{needs}`.
    pub outbox_row: &'static str,
    /// After the outbox.
    pub try_queued: &'static str,
    /// `{id}`.
    pub drop_busy: &'static str,
    /// `{id}`, `{status}`.
    pub not_in_outbox: &'static str,
    /// `{id}`.
    pub dropped: &'static str,
    /// `{on}`, `{date}`.
    pub on_before: &'static str,
    /// `{on}`, `{today}`.
    pub on_after: &'static str,
    /// `{id}`.
    pub sent_busy: &'static str,
    /// `{id}`.
    pub already_recorded: &'static str,
    /// `{id}`, `{on}`.
    pub recorded_sent: &'static str,
    /// `{by}`, `{from}`.
    pub due_by: &'static str,
    /// After the date.
    pub from_that_day: &'static str,
}

/// `iep letters`.
#[derive(Debug)]
pub struct LettersWords {
    /// `{when}`, `{places}`.
    pub only_for: &'static str,
    /// `{error}`.
    pub unreadable: &'static str,
    /// Above the packs' letters.
    pub from_packs: &'static str,
    /// After the list.
    pub see_more: &'static str,
    /// `{next}`.
    pub no_answer: &'static str,
    /// `{next}`.
    pub open_after: &'static str,
    /// `{place}`.
    pub questions: &'static str,
    /// A needed question.
    pub needed: &'static str,
    /// An optional one.
    pub optional: &'static str,
    /// `{n}`, `{prompt}`, `{key}`, `{kind}`, `{need}`.
    pub question: &'static str,
    /// `{when}`.
    pub asked_when: &'static str,
    /// `{example}`.
    pub example: &'static str,
    /// `{choices}`.
    pub choices: &'static str,
    /// `{item}`, `{fields}`.
    pub fields: &'static str,
}

/// `iep jurisdictions`.
#[derive(Debug)]
pub struct PlacesWords {
    /// After the list.
    pub see_more: &'static str,
    /// `{name}`, `{short}`.
    pub plan: &'static str,
    /// `{source}`.
    pub source: &'static str,
    /// `{source}`, one level in.
    pub source_deep: &'static str,
    /// Above the kinds of school body.
    pub boards: &'static str,
    /// Above the roles.
    pub responsible: &'static str,
    /// `{window}`.
    pub window: &'static str,
    /// Above the holidays.
    pub skipped: &'static str,
    /// After an unconfirmed fact.
    pub unconfirmed: &'static str,
    /// `{flag}`, `{rule}`.
    pub working_day: &'static str,
    /// A holiday's flag.
    pub school_days_only: &'static str,
    /// A holiday's flag.
    pub skipped_to_be_safe: &'static str,
    /// No holidays known.
    pub no_holidays: &'static str,
    /// `{flag}`, `{rule}`.
    pub calendar_rule: &'static str,
    /// About school breaks.
    pub breaks: &'static str,
    /// Above the law entries.
    pub rules: &'static str,
    /// Above the timelines.
    pub timelines: &'static str,
    /// Above the ladder.
    pub ladder: &'static str,
    /// A rung's level.
    pub school: &'static str,
    /// A rung's level.
    pub board: &'static str,
    /// A rung's level.
    pub outside: &'static str,
    /// `{under}`.
    pub under: &'static str,
    /// `{window}`, `{source}`.
    pub answers_within: &'static str,
    /// A rung with its own forms.
    pub own_forms: &'static str,
    /// `{source}`.
    pub rung_source: &'static str,
    /// Above the offices not for plan complaints.
    pub not_for: &'static str,
}

/// The page's own words (`iep serve`): navigation, headings, buttons, labels and notes.
#[derive(Debug, serde::Serialize)]
pub struct PageWords {
    /// Link to skip to the page's content.
    pub skip: &'static str,
    /// The main navigation's label.
    pub nav: &'static str,
    /// Navigation: the start page.
    pub home: &'static str,
    /// Navigation and heading: the chronology.
    pub chronology: &'static str,
    /// Navigation and title: noting what happened.
    pub observe: &'static str,
    /// At the foot of every page.
    pub footer: &'static str,
    /// The start page's title when the child has no name.
    pub your_case: &'static str,
    /// Heading: replies overdue.
    pub overdue: &'static str,
    /// `{to}`: who a letter went to.
    pub to_line: &'static str,
    /// Above the letters that could follow.
    pub next_steps: &'static str,
    /// Link: record a reply.
    pub reply_came: &'static str,
    /// No reply overdue.
    pub none_overdue: &'static str,
    /// Heading.
    pub answered_in_part: &'static str,
    /// Heading.
    pub waiting: &'static str,
    /// `{to}`: after a letter's title, before its line.
    pub waiting_to: &'static str,
    /// Nothing waiting.
    pub none_waiting: &'static str,
    /// Heading.
    pub drafts: &'static str,
    /// `{title}`: a draft's link.
    pub go_on_with: &'static str,
    /// After a draft's link.
    pub answers_kept: &'static str,
    /// Heading.
    pub recent: &'static str,
    /// `{date}`: before a recent letter.
    pub dated: &'static str,
    /// `{to}`: after a recent letter's title.
    pub recent_to: &'static str,
    /// Link.
    pub whole_chronology: &'static str,
    /// No letter yet.
    pub no_letters: &'static str,
    /// Heading: the letters to write.
    pub write: &'static str,
    /// `{organisation}`: a pack's letters.
    pub from_pack: &'static str,
    /// Heading.
    pub something: &'static str,
    /// Link.
    pub note_it: &'static str,
    /// After that link.
    pub note_it_after: &'static str,
    /// `{due}`, `{days}`: one day late.
    pub overdue_one: &'static str,
    /// `{due}`, `{days}`: days late.
    pub overdue_many: &'static str,
    /// `{open}`: the questions left.
    pub still_open: &'static str,
    /// `{date}`: a letter waiting.
    pub reply_by: &'static str,
    /// After an observation.
    pub observation_kept: &'static str,
    /// `{n}`, `{total}`: the progress bar's text.
    pub of_total: &'static str,
    /// Button: the next question.
    pub next: &'static str,
    /// Button and link: back.
    pub back: &'static str,
    /// Link: leave the interview.
    pub stop: &'static str,
    /// After an optional question.
    pub may_leave_empty: &'static str,
    /// Above the date picker.
    pub pick_date: &'static str,
    /// `{item}`, `{n}`: a button.
    pub remove: &'static str,
    /// `{item}`: the first of a list.
    pub add_a: &'static str,
    /// `{item}`: the first of a list, before a vowel.
    pub add_an: &'static str,
    /// `{item}`: one more.
    pub add_another: &'static str,
    /// The review's title.
    pub check: &'static str,
    /// Link: change an answer.
    pub change: &'static str,
    /// Heading above the letter.
    pub preview: &'static str,
    /// `{date}`.
    pub asks_reply_by: &'static str,
    /// A record's date.
    pub date: &'static str,
    /// A record's recipient.
    pub to: &'static str,
    /// A record's subject.
    pub subject: &'static str,
    /// A record's reply date.
    pub reply_by_label: &'static str,
    /// A record's status.
    pub status: &'static str,
    /// Heading.
    pub can_do: &'static str,
    /// Link.
    pub record_reply: &'static str,
    /// Link.
    pub download_eml: &'static str,
    /// After it.
    pub eml_hint: &'static str,
    /// Link.
    pub send: &'static str,
    /// Before `iep config smtp`.
    pub smtp_before: &'static str,
    /// After it.
    pub smtp_after: &'static str,
    /// Heading.
    pub asks: &'static str,
    /// Heading.
    pub history: &'static str,
    /// Heading and label.
    pub the_letter: &'static str,
    /// `{path}`.
    pub kept_in: &'static str,
    /// A question's mark.
    pub not_answered_yet: &'static str,
    /// A question's mark.
    pub answered: &'static str,
    /// After saving.
    pub saved: &'static str,
    /// `{date}`, `{counted}`.
    pub asks_reply: &'static str,
    /// `{id}`.
    pub reply_recorded: &'static str,
    /// Title and note.
    pub not_sent: &'static str,
    /// A link.
    pub pdf: &'static str,
    /// Above the letter's questions.
    pub it_asked: &'static str,
    /// One error.
    pub one_not_taken: &'static str,
    /// `{n}` errors.
    pub many_not_taken: &'static str,
    /// The hidden default button.
    pub save: &'static str,
    /// Link.
    pub cancel: &'static str,
    /// `{title}`.
    pub reply_title: &'static str,
    /// `{date}`, `{to}`.
    pub reply_intro: &'static str,
    /// Button.
    pub record_the_reply: &'static str,
    /// The observation form's intro.
    pub observe_intro: &'static str,
    /// Button.
    pub keep_observation: &'static str,
    /// `{to}`.
    pub send_now: &'static str,
    /// `{subject}`.
    pub subject_line: &'static str,
    /// Button.
    pub not_now: &'static str,
    /// Button.
    pub send_it: &'static str,
    /// Title.
    pub sent: &'static str,
    /// Link.
    pub back_to_letter: &'static str,
    /// Title.
    pub thrown_away: &'static str,
    /// Button.
    pub keep_them: &'static str,
    /// Button.
    pub throw_away: &'static str,
    /// Link.
    pub back_to_start: &'static str,
    /// Title.
    pub went_wrong: &'static str,
    /// Title.
    pub no_page: &'static str,
    /// Its text.
    pub no_page_text: &'static str,
    /// Title.
    pub pdf_failed: &'static str,
    /// `{error}`.
    pub draft_unfit: &'static str,
    /// `{date}`: the chronology's intro.
    pub as_of: &'static str,
    /// A column.
    pub what: &'static str,
    /// A column.
    pub who: &'static str,
    /// A column.
    pub details: &'static str,
    /// Link.
    pub bundle: &'static str,
    /// After it.
    pub bundle_after: &'static str,
    /// An empty chronology.
    pub nothing_yet: &'static str,
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
