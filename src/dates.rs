//! Dates as a parent types them, and reply-by arithmetic on a jurisdiction's clock.
//!
//! Inside files every date is ISO 8601 (`2026-11-23`); in letters it is written in the
//! jurisdiction's own style. Parsing accepts ISO and the two spelled-out styles a letter uses, and
//! refuses all-number forms like `03/11/2026`, which mean different days in Canada and New Zealand.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How a jurisdiction writes a full date in a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateStyle {
    /// `November 22, 2026` (Canadian English).
    MonthDayYear,
    /// `22 November 2026` (New Zealand English).
    DayMonthYear,
    /// `22 novembre 2026`, `1er novembre 2026` (French: lower-case month, no comma, the first
    /// of the month as `1er`). A letter puts `le` before it where a sentence needs one.
    French,
}

impl DateStyle {
    /// The date written out in full, as it appears in a letter.
    pub fn format(self, date: NaiveDate) -> String {
        let month = month_name(date.month0());
        match self {
            DateStyle::MonthDayYear => format!("{month} {}, {}", date.day(), date.year()),
            DateStyle::DayMonthYear => format!("{} {month} {}", date.day(), date.year()),
            DateStyle::French => {
                let day = match date.day() {
                    1 => "1er".to_owned(),
                    d => d.to_string(),
                };
                format!("{day} {} {}", MOIS[date.month0() as usize], date.year())
            }
        }
    }

    /// The language dates in this style are typed in: French for [`DateStyle::French`].
    pub fn lang(self) -> crate::lang::Lang {
        match self {
            DateStyle::French => crate::lang::Lang::Fr,
            _ => crate::lang::Lang::En,
        }
    }
}

/// The French month names, as a letter writes them (lower case, with their accents).
pub const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// The month a French word names (1 to 12): its full name, with or without accents, or a
/// short form of at least three letters (`nov.`, `janv.`, `févr.`, `sept.`), in any case.
pub fn mois_number(word: &str) -> Option<u32> {
    let plain = |s: &str| -> String {
        s.to_lowercase()
            .chars()
            .map(|c| match c {
                'é' | 'è' | 'ê' => 'e',
                'û' | 'ù' => 'u',
                'ô' => 'o',
                'à' | 'â' => 'a',
                c => c,
            })
            .collect()
    };
    let word = plain(word.trim_end_matches('.'));
    if word.chars().count() < 3 {
        return None;
    }
    let found: Vec<usize> = MOIS
        .iter()
        .enumerate()
        .filter(|(_, m)| plain(m).starts_with(&word))
        .map(|(i, _)| i)
        .collect();
    // "jui" is juin or juillet, "ma" mars or mai: a short form must name one month.
    match found.as_slice() {
        [one] => Some(*one as u32 + 1),
        _ => None,
    }
}

/// Which days count when a reply window is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Clock {
    /// Every day counts.
    CalendarDays,
    /// Monday to Friday (Ontario and British Columbia count school days), less holidays and the
    /// case's recorded school breaks: see the calendar module.
    SchoolDays,
    /// Monday to Friday (Quebec's jours ouvrables, New Zealand's working days), less public
    /// holidays: see the calendar module.
    WorkingDays,
}

impl Clock {
    /// The words for this clock in a sentence: "10 school days".
    pub fn unit(self) -> &'static str {
        match self {
            Clock::CalendarDays => "days",
            Clock::SchoolDays => "school days",
            Clock::WorkingDays => "working days",
        }
    }
}

/// The month names, lower case: the one table iep reads and writes dates with (a letter writes
/// them with a capital, [`month_name`]; the checker looks for them in a plan).
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month's name as a letter writes it: "November" for `month0` 10.
pub fn month_name(month0: u32) -> String {
    let name = MONTHS[month0 as usize % 12];
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The kinds of date iep reads, each with the range of days it accepts.
///
/// A letter is written, answered and observed in this century: 2000 to 2100 keeps every year
/// four digits (so files, record ids and sorting stay simple) and refuses a slip of the keyboard
/// (`20026`, `0226`) instead of recording it. A birth date may be older, but not before 1900.
/// Whether a day may be after the letter's date is a question's own rule (`not-future`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    /// A letter's date (`--date`), or a day to list from or to (`--since`, `--until`, `--on`,
    /// `IEP_TODAY`).
    Letter,
    /// The date a reply came.
    Reply,
    /// An observation's date.
    Observation,
    /// Any other date answered in a letter or form: a meeting, a promised day, an earlier contact.
    Answer,
    /// A child's date of birth.
    Birth,
}

impl DateKind {
    /// The first and last day accepted.
    pub fn range(self) -> (NaiveDate, NaiveDate) {
        let first_year = match self {
            DateKind::Birth => 1900,
            DateKind::Letter | DateKind::Reply | DateKind::Observation | DateKind::Answer => 2000,
        };
        (ymd(first_year, 1, 1), ymd(2100, 12, 31))
    }

    /// What the date is, in a sentence: "for a letter".
    fn noun(self) -> &'static str {
        match self {
            DateKind::Letter => "for a letter",
            DateKind::Reply => "for a reply",
            DateKind::Observation => "for an observation",
            DateKind::Answer => "in a letter",
            DateKind::Birth => "for a birth date",
        }
    }

    /// `date` if it is in this kind's range; otherwise an error that says the range. `typed` is
    /// what the parent wrote, for the message.
    pub fn check(self, date: NaiveDate, typed: &str) -> Result<NaiveDate, DateError> {
        let (first, last) = self.range();
        if date < first || date > last {
            return Err(self.out_of_range(typed));
        }
        Ok(date)
    }

    fn out_of_range(self, typed: &str) -> DateError {
        let (first, last) = self.range();
        DateError::OutOfRange {
            text: typed.trim().to_owned(),
            noun: self.noun(),
            first: first.year(),
            last: last.year(),
        }
    }
}

/// A constant day, known to be real.
fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

impl DateError {
    /// The message in `lang` (the `Display` form is English).
    pub fn message(&self, lang: crate::lang::Lang) -> String {
        use crate::lang::fill;
        let w = lang.words();
        match self {
            DateError::Empty => w.date_empty.to_owned(),
            DateError::NotReal(t) => fill(w.date_not_real, &[("typed", t)]),
            DateError::DoesNotExist(t) => fill(w.date_does_not_exist, &[("typed", t)]),
            DateError::Ambiguous(t) => fill(w.date_ambiguous, &[("typed", t)]),
            DateError::Unreadable(t) => fill(w.date_unreadable, &[("typed", t)]),
            DateError::OutOfRange {
                text,
                noun,
                first,
                last,
            } => {
                let en = crate::lang::Lang::En.words();
                let i = en.date_nouns.iter().position(|n| n == noun).unwrap_or(0);
                fill(
                    w.date_out_of_range,
                    &[
                        ("typed", text),
                        ("noun", w.date_nouns[i]),
                        ("first", &first.to_string()),
                        ("last", &last.to_string()),
                    ],
                )
            }
        }
    }
}

/// Why a typed date was refused. Each message says what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Nothing was typed.
    #[error("a date is needed, for example 2026-11-03")]
    Empty,
    /// Looks like a date, but the day does not exist.
    #[error("\"{0}\" is not a real date. Check the month and the day (year-month-day)")]
    NotReal(String),
    /// An all-number form that no reading makes a real day, such as `31/02/2016`.
    #[error(
        "\"{0}\" is not a real date: no month has that day. Write it as year-month-day, for example 2026-11-03"
    )]
    DoesNotExist(String),
    /// An all-number form such as `03/11/2026`.
    #[error(
        "\"{0}\" could mean more than one day. Write it as year-month-day, for example 2026-11-03"
    )]
    Ambiguous(String),
    /// Not a date at all.
    #[error(
        "\"{0}\" is not a date iep can read. Write it as year-month-day, for example 2026-11-03"
    )]
    Unreadable(String),
    /// A real date, but outside what iep accepts for this kind of date.
    #[error("\"{text}\" is outside the dates iep accepts {noun} ({first} to {last})")]
    OutOfRange {
        /// What was typed.
        text: String,
        /// "for a letter".
        noun: &'static str,
        /// First year accepted.
        first: i32,
        /// Last year accepted.
        last: i32,
    },
}

/// Reads a date of the given kind as a parent may type it (see [`parse_date`]) and checks that
/// it is in the kind's range.
pub fn parse_kind(input: &str, kind: DateKind) -> Result<NaiveDate, DateError> {
    parse_kind_in(input, kind, crate::lang::Lang::En)
}

/// [`parse_kind`] for a parent who types in `lang` ([`parse_date_in`]).
pub fn parse_kind_in(
    input: &str,
    kind: DateKind,
    lang: crate::lang::Lang,
) -> Result<NaiveDate, DateError> {
    match parse_date_in(input, lang) {
        Ok(date) => kind.check(date, input),
        Err(DateError::OutOfRange { .. }) => Err(kind.out_of_range(input)),
        Err(e) => Err(e),
    }
}

/// Reads a date typed in `lang`. In French, besides every form [`parse_date`] reads:
/// `3 novembre 2026`, `le 3 nov. 2026`, `1er mars 2027`, `3 fevrier 2026` (accents may be left
/// out), and the all-number forms `3/11/2026` and `3.11.2026`, read day first as French Quebec
/// writes them (so they are not ambiguous there).
pub fn parse_date_in(input: &str, lang: crate::lang::Lang) -> Result<NaiveDate, DateError> {
    if lang != crate::lang::Lang::Fr {
        return parse_date(input);
    }
    let text = input.trim();
    let lower = text.to_lowercase();
    let text = lower
        .strip_prefix("le ")
        .map_or(text, |_| text[3..].trim_start());
    if let Some(found) = parse_french(text) {
        return found;
    }
    if let Some(found) = parse_day_first(text) {
        return found;
    }
    parse_date(text)
}

/// `3 novembre 2026`, `1er nov. 2026`: `None` when the text has no French month name.
fn parse_french(text: &str) -> Option<Result<NaiveDate, DateError>> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let [day, month, year] = words.as_slice() else {
        return None;
    };
    let month = mois_number(month)?;
    let day = day.strip_suffix("er").unwrap_or(day);
    if day.is_empty() || day.len() > 2 || !day.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = year.trim_start_matches('0');
    if digits.is_empty() || year.len() > 4 {
        return Some(Err(DateKind::Letter.out_of_range(text)));
    }
    let (Ok(day), Ok(y)) = (day.parse::<u32>(), digits.parse::<i32>()) else {
        return None;
    };
    Some(NaiveDate::from_ymd_opt(y, month, day).ok_or_else(|| DateError::NotReal(text.to_owned())))
}

/// `3/11/2026` or `3.11.2026`, day first: `None` for any other shape.
fn parse_day_first(text: &str) -> Option<Result<NaiveDate, DateError>> {
    let parts: Vec<&str> = text.split(['/', '.']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(d, 2) || !digits(m, 2) || !digits(y, 4) || y.len() != 4 {
        return None;
    }
    let (Ok(d), Ok(m), Ok(y)) = (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) else {
        return None;
    };
    Some(NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| DateError::DoesNotExist(text.to_owned())))
}

/// Reads a date as a parent may type it: `2026-11-03`, `November 3, 2026`, `3 November 2026`
/// (month names may be shortened to three letters). The year is plain digits: a sign, year 0 or
/// a year of more than four digits is refused as out of range, never truncated. The error says
/// what to type instead. The range of years is checked by [`parse_kind`].
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(DateError::Empty);
    }
    if let Some(found) = parse_iso(text) {
        return found;
    }
    if let Some(date) = parse_spelled(text) {
        return date;
    }
    let signed_year = text.starts_with(['+', '-'])
        && text[1..]
            .split('-')
            .next()
            .is_some_and(|y| !y.is_empty() && y.bytes().all(|b| b.is_ascii_digit()));
    if signed_year {
        return Err(DateKind::Letter.out_of_range(text));
    }
    let looks_iso = text.len() >= 8
        && text.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && text.as_bytes()[4] == b'-';
    if looks_iso {
        return Err(DateError::NotReal(text.to_owned()));
    }
    if text
        .chars()
        .all(|c| c.is_ascii_digit() || "/.-".contains(c))
    {
        // "31/02/2016" is not ambiguous: no reading of it is a real day.
        let parts: Vec<u32> = text
            .split(['/', '.', '-'])
            .filter_map(|p| p.parse().ok())
            .collect();
        if let [a, b, ..] = parts[..]
            && NaiveDate::from_ymd_opt(2000, a, b).is_none()
            && NaiveDate::from_ymd_opt(2000, b, a).is_none()
        {
            return Err(DateError::DoesNotExist(text.to_owned()));
        }
        return Err(DateError::Ambiguous(text.to_owned()));
    }
    Err(DateError::Unreadable(text.to_owned()))
}

/// `YYYY-M-D` with plain digits: `None` when the text is not of that shape. A year of more
/// than four digits, or 0000, is out of range; a month or day that does not exist is not real.
fn parse_iso(text: &str) -> Option<Result<NaiveDate, DateError>> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.next().is_some()
        || y.len() < 4
        || !digits(y, usize::MAX)
        || !digits(m, 2)
        || !digits(d, 2)
    {
        return None;
    }
    // Exactly four digits: more (even leading zeros, 02026) or year 0 is out of range.
    let year = y.trim_start_matches('0');
    if year.is_empty() || y.len() > 4 {
        return Some(Err(DateKind::Letter.out_of_range(text)));
    }
    let (Ok(year), Ok(month), Ok(day)) = (year.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>())
    else {
        return None;
    };
    Some(
        NaiveDate::from_ymd_opt(year, month, day)
            .ok_or_else(|| DateError::NotReal(text.to_owned())),
    )
}

/// `November 3, 2026` or `3 November 2026`; `None` when the text has no month name.
fn parse_spelled(text: &str) -> Option<Result<NaiveDate, DateError>> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let [a, b, c] = words.as_slice() else {
        return None;
    };
    let (month, day) = match (month_number(a), month_number(b)) {
        (Some(m), None) => (m, b),
        (None, Some(m)) => (m, a),
        _ => return None,
    };
    let day = day.trim_end_matches(|ch: char| ch.is_ascii_alphabetic());
    if day.is_empty() || day.len() > 2 || !day.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !c.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // A year is four digits: 0 and five or more digits are out of range, never truncated.
    let year = c.trim_start_matches('0');
    if year.is_empty() || c.len() > 4 {
        return Some(Err(DateKind::Letter.out_of_range(text)));
    }
    let (Ok(day), Ok(year)) = (day.parse::<u32>(), year.parse::<i32>()) else {
        return None;
    };
    Some(
        NaiveDate::from_ymd_opt(year, month, day)
            .ok_or_else(|| DateError::NotReal(text.to_owned())),
    )
}

/// The month a word names (1 to 12): its full name or its first three letters or more, in any
/// case, with or without a full stop ("Nov.").
pub fn month_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&word))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn formats_in_each_style() {
        assert_eq!(
            DateStyle::MonthDayYear.format(d("2026-11-22")),
            "November 22, 2026"
        );
        assert_eq!(
            DateStyle::DayMonthYear.format(d("2026-11-22")),
            "22 November 2026"
        );
    }

    #[test]
    fn french_dates_are_read_as_a_quebec_parent_types_them_and_written_the_french_way() {
        use crate::lang::Lang::Fr;
        let fr = |s: &str| parse_date_in(s, Fr);
        assert_eq!(fr("3 novembre 2026"), Ok(d("2026-11-03")));
        assert_eq!(fr("le 3 nov. 2026"), Ok(d("2026-11-03")));
        assert_eq!(fr("Le 1er mars 2027"), Ok(d("2027-03-01")));
        assert_eq!(fr("3 fevrier 2026"), Ok(d("2026-02-03")));
        assert_eq!(fr("14 AOÛT 2026"), Ok(d("2026-08-14")));
        assert_eq!(fr("3 déc 2026"), Ok(d("2026-12-03")));
        assert_eq!(fr("3 sept. 2026"), Ok(d("2026-09-03")));
        assert_eq!(fr("3/11/2026"), Ok(d("2026-11-03")));
        assert_eq!(fr("03.11.2026"), Ok(d("2026-11-03")));
        assert_eq!(fr("2026-11-03"), Ok(d("2026-11-03")));
        assert_eq!(fr("November 3, 2026"), Ok(d("2026-11-03")));
        // "jui" could be juin or juillet.
        assert!(fr("3 jui 2026").is_err());
        let e = fr("31 février 2026").unwrap_err();
        assert!(matches!(e, DateError::NotReal(_)), "{e:?}");
        assert!(
            e.message(Fr).contains("n'est pas une vraie date"),
            "{}",
            e.message(Fr)
        );
        let e = fr("31/02/2026").unwrap_err();
        assert!(e.message(Fr).contains("aucun mois"), "{}", e.message(Fr));
        let e = parse_kind_in("3 novembre 1999", DateKind::Letter, Fr).unwrap_err();
        assert_eq!(
            e.message(Fr),
            "«\u{a0}3 novembre 1999\u{a0}» est hors des dates qu'iep accepte pour une lettre (de 2000 à 2100)"
        );
        assert_eq!(
            DateStyle::French.format(d("2026-11-24")),
            "24 novembre 2026"
        );
        assert_eq!(DateStyle::French.format(d("2027-03-01")), "1er mars 2027");
        assert_eq!(DateStyle::French.format(d("2026-08-14")), "14 août 2026");
    }

    #[test]
    fn reads_the_forms_a_parent_types() {
        assert_eq!(parse_date("2026-11-03"), Ok(d("2026-11-03")));
        assert_eq!(parse_date(" November 3, 2026 "), Ok(d("2026-11-03")));
        assert_eq!(parse_date("3 Nov 2026"), Ok(d("2026-11-03")));
        assert_eq!(parse_date("3rd November 2026"), Ok(d("2026-11-03")));
    }

    #[test]
    fn refuses_ambiguous_and_impossible_dates() {
        assert!(matches!(
            parse_date("31/02/2016"),
            Err(DateError::DoesNotExist(_))
        ));
        assert!(matches!(
            parse_date("13.13.2020"),
            Err(DateError::DoesNotExist(_))
        ));
        assert!(matches!(
            parse_date("12/02/2016"),
            Err(DateError::Ambiguous(_))
        ));
        let err = |s: &str| parse_date(s).unwrap_err().to_string();
        assert!(err("03/11/2026").contains("more than one day"));
        assert!(err("February 30, 2026").contains("not a real date"));
        assert!(err("next tuesday").contains("year-month-day"));
        assert!(err("2026-13-01").contains("not a real date"));
        assert!(parse_date("").is_err());
    }

    #[test]
    fn years_out_of_range_are_refused_with_the_range_never_truncated() {
        let letter = |s: &str| parse_kind(s, DateKind::Letter);
        for typed in [
            "+10000-01-01",
            "+70000-01-01",
            "+65536-01-01",
            "+262142-12-31",
            "-0001-01-01",
            "0000-01-01",
            "10000-01-01",
            "02026-11-03",
            "1999-12-31",
            "2101-01-01",
            "November 3, 20026",
            "3 November 0",
        ] {
            let e = letter(typed).unwrap_err().to_string();
            assert_eq!(
                e,
                format!("\"{typed}\" is outside the dates iep accepts for a letter (2000 to 2100)"),
            );
        }
        assert_eq!(letter("2000-01-01"), Ok(d("2000-01-01")));
        assert_eq!(letter("2100-12-31"), Ok(d("2100-12-31")));
        assert_eq!(
            parse_kind("1990-05-01", DateKind::Birth),
            Ok(d("1990-05-01"))
        );
        assert!(
            parse_kind("1899-12-31", DateKind::Birth)
                .unwrap_err()
                .to_string()
                .contains("for a birth date (1900 to 2100)")
        );
    }
}
