//! Dates as a parent types them, and reply-by arithmetic on a jurisdiction's clock.
//!
//! Inside files every date is ISO 8601 (`2026-11-23`); in letters it is written in the
//! jurisdiction's own style. Parsing accepts ISO and the two spelled-out styles a letter uses, and
//! refuses all-number forms like `03/11/2026`, which mean different days in Canada and New Zealand.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// How a jurisdiction writes a full date in a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateStyle {
    /// `November 22, 2026` (Canadian English).
    MonthDayYear,
    /// `22 November 2026` (New Zealand English).
    DayMonthYear,
}

impl DateStyle {
    /// The date written out in full, as it appears in a letter.
    pub fn format(self, date: NaiveDate) -> String {
        let month = MONTHS[date.month0() as usize];
        match self {
            DateStyle::MonthDayYear => format!("{month} {}, {}", date.day(), date.year()),
            DateStyle::DayMonthYear => format!("{} {month} {}", date.day(), date.year()),
        }
    }
}

/// Which days count when a reply window is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Clock {
    /// Every day counts.
    CalendarDays,
    /// Monday to Friday (Ontario and British Columbia count school days), less holidays and the
    /// case's recorded school breaks: see [`crate::calendar`].
    SchoolDays,
    /// Monday to Friday (Quebec's jours ouvrables, New Zealand's working days), less public
    /// holidays: see [`crate::calendar`].
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

    /// The date `days` days after `from` on this clock, skipping weekends only (reply-by dates
    /// are counted by [`crate::calendar::Calendar::count`], which also skips holidays). The day
    /// of writing never counts; a count of weekdays starts on the next weekday.
    pub fn add(self, from: NaiveDate, days: u32) -> NaiveDate {
        match self {
            Clock::CalendarDays => from + Days::new(u64::from(days)),
            Clock::SchoolDays | Clock::WorkingDays => {
                let mut date = from;
                let mut left = days;
                while left > 0 {
                    date = date
                        .succ_opt()
                        .expect("dates stay far inside chrono's range");
                    if !is_weekend(date) {
                        left -= 1;
                    }
                }
                date
            }
        }
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Reads a date as a parent may type it: `2026-11-03`, `November 3, 2026`, `3 November 2026`
/// (month names may be shortened to three letters). The error says what to type instead.
pub fn parse_date(input: &str) -> Result<NaiveDate, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err("a date is needed, for example 2026-11-03".into());
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date);
    }
    if let Some(date) = parse_spelled(text) {
        return date;
    }
    let looks_iso = text.len() >= 8
        && text.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && text.as_bytes()[4] == b'-';
    if looks_iso {
        return Err(format!(
            "\"{text}\" is not a real date. Check the month and the day (year-month-day)"
        ));
    }
    if text
        .chars()
        .all(|c| c.is_ascii_digit() || "/.-".contains(c))
    {
        return Err(format!(
            "\"{text}\" could mean more than one day. Write it as year-month-day, for example 2026-11-03"
        ));
    }
    Err(format!(
        "\"{text}\" is not a date iep can read. Write it as year-month-day, for example 2026-11-03"
    ))
}

/// `November 3, 2026` or `3 November 2026`; `None` when the text has no month name.
fn parse_spelled(text: &str) -> Option<Result<NaiveDate, String>> {
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
    let invalid = || format!("\"{text}\" is not a real date. Check the day and the year");
    let day: u32 = day
        .trim_end_matches(|ch: char| ch.is_ascii_alphabetic())
        .parse()
        .ok()?;
    let year: i32 = c.parse().ok()?;
    Some(NaiveDate::from_ymd_opt(year, month, day).ok_or_else(invalid))
}

fn month_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.to_lowercase().starts_with(&word))
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
    fn weekday_clocks_skip_weekends_and_cross_month_ends() {
        // Friday 2026-11-27 + 1 school day is Monday 2026-11-30.
        assert_eq!(Clock::SchoolDays.add(d("2026-11-27"), 1), d("2026-11-30"));
        // Monday 2026-11-23 + 10 working days: two full weeks later.
        assert_eq!(Clock::WorkingDays.add(d("2026-11-23"), 10), d("2026-12-07"));
        // Written on a Saturday: counting starts Monday.
        assert_eq!(Clock::SchoolDays.add(d("2026-11-28"), 1), d("2026-11-30"));
        // Across a year end.
        assert_eq!(Clock::WorkingDays.add(d("2026-12-30"), 3), d("2027-01-04"));
        // Calendar days do not skip.
        assert_eq!(Clock::CalendarDays.add(d("2026-11-27"), 3), d("2026-11-30"));
        assert_eq!(Clock::CalendarDays.add(d("2028-02-28"), 1), d("2028-02-29"));
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
        assert!(
            parse_date("03/11/2026")
                .unwrap_err()
                .contains("more than one day")
        );
        assert!(
            parse_date("February 30, 2026")
                .unwrap_err()
                .contains("not a real date")
        );
        assert!(
            parse_date("next tuesday")
                .unwrap_err()
                .contains("year-month-day")
        );
        assert!(
            parse_date("2026-13-01")
                .unwrap_err()
                .contains("not a real date")
        );
        assert!(parse_date("").is_err());
    }
}
