//! Which days count: each jurisdiction's public and school holidays, computed by rule for any
//! year, and the school breaks a family records in its case.
//!
//! The rules are data, one file per jurisdiction in `jurisdictions/holidays/<id>.toml` (schema in
//! `jurisdictions/README.md`), each holiday with the source it was checked against. A rule is a
//! fixed date, the nth weekday of a month, a weekday on or before / on or after a date ("the
//! Monday before May 25"), a day relative to Easter, or an explicit table of dates (New Zealand's
//! Matariki, which has no rule). Any of them may last several days (a school break) and may be
//! carried to a following weekday when it falls on a weekend (`observed`).
//!
//! # How each clock counts
//!
//! - **School days** skip weekends, every holiday in the list (public holidays and the days the
//!   list marks `schools-only`, such as Ontario's Easter Monday and the breaks set by O. Reg.
//!   304), and the family's recorded closed days. Breaks close schools, so a school that is
//!   closed cannot be asked to answer within them.
//! - **Working days** (Quebec's *jours ouvrables*, New Zealand's statutory working day) skip
//!   weekends and the holidays that are not `schools-only`, but *not* the family's school
//!   breaks: the complaint procedures that count working days are run by offices (the school
//!   service centre, the regional student ombudsman, the Ministry) that keep working through a
//!   school's break, and the statutes count working days, not school days. Counting a break out
//!   would tell a family to wait longer than the procedure does. A break inside the window is
//!   still mentioned, so the family knows it was counted.
//! - **Calendar days** count every day, as the rules that use them do (BC School Act s. 11); a
//!   deadline that ends on a weekend or public holiday moves to the next working day, as the
//!   interpretation statutes do (the rule and its source are in each file's
//!   `deadline-on-holiday`; where none is sourced it is still done, as the cautious choice).
//!
//! A count never panics: a date at the end of chrono's range is an error, and so is a run of
//! closed days so long that no day to count can be found.
//!
//! Skipping a day that is not really a holiday only makes a date later; landing on one is the
//! mistake to avoid. So holidays that could not be confirmed (`unconfirmed = true`) are still
//! skipped, and said to be unconfirmed wherever they are listed.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context as _, Result};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;

use crate::dates::{Clock, DateKind, DateStyle, parse_kind_in};
use crate::lang::{Lang, fill};

/// How far a count may look for days to count before it gives up (ten years).
const SEARCH_LIMIT_DAYS: i64 = 3653;

/// The longest break a family can record, in days (first and last day included).
pub const LONGEST_BREAK_DAYS: i64 = 366;

/// Why a count could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    /// The count runs past the last date iep can represent.
    #[error(
        "a reply-by date cannot be counted from {0}: it is too far in the future. Check the letter's date"
    )]
    OutOfRange(NaiveDate),
    /// Every day for years is closed.
    #[error(
        "no {unit} could be found in the ten years after {from}: the recorded closed days cover them all. Check the case's closed_days with `iep case show`"
    )]
    NothingToCount {
        /// "school days".
        unit: &'static str,
        /// The letter's date.
        from: NaiveDate,
    },
}

/// Why a closed-days answer was refused; each names the item as typed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClosedDaysError {
    /// The item is empty.
    #[error(
        "this break is empty: write a date, or a first and last day such as \"December 21, 2026 to January 1, 2027\""
    )]
    Empty,
    /// One of its dates cannot be read.
    #[error(
        "\"{item}\": {reason}. Write a date, or a first and last day such as \"December 21, 2026 to January 1, 2027\""
    )]
    BadDate {
        /// The item as typed.
        item: String,
        /// What `parse_kind` said.
        reason: String,
    },
    /// It ends before it starts.
    #[error(
        "\"{item}\" ends ({end}) before it starts ({start}). Write the first day, then the last, for example \"December 21, 2026 to January 1, 2027\""
    )]
    EndsBeforeStart {
        /// The item as typed.
        item: String,
        /// Its first day.
        start: NaiveDate,
        /// Its last day.
        end: NaiveDate,
    },
    /// It is longer than a year.
    #[error(
        "\"{item}\" is {days} days long: a school break is at most a year ({LONGEST_BREAK_DAYS} days). Check the years, or record each break on its own"
    )]
    TooLong {
        /// The item as typed.
        item: String,
        /// Its length, first and last day included.
        days: i64,
    },
}

impl ClosedDaysError {
    /// The message in `lang` (the `Display` form is English).
    pub fn message(&self, lang: Lang) -> String {
        let w = &lang.words().closed;
        let day = |d: &NaiveDate| match lang {
            Lang::En => d.to_string(),
            Lang::Fr => DateStyle::French.format(*d),
        };
        match self {
            ClosedDaysError::Empty => w.empty.to_owned(),
            ClosedDaysError::BadDate { item, reason } => {
                fill(w.bad_date, &[("item", item), ("reason", reason)])
            }
            ClosedDaysError::EndsBeforeStart { item, start, end } => fill(
                w.ends_before,
                &[("item", item), ("start", &day(start)), ("end", &day(end))],
            ),
            ClosedDaysError::TooLong { item, days } => fill(
                w.too_long,
                &[
                    ("item", item),
                    ("days", &days.to_string()),
                    ("max", &LONGEST_BREAK_DAYS.to_string()),
                ],
            ),
        }
    }
}

/// Days a family's school is closed: a break, or one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Closed {
    /// First day closed.
    pub start: NaiveDate,
    /// Last day closed (the same as `start` for one day).
    pub end: NaiveDate,
}

impl Closed {
    /// Reads one closed-days answer: `2026-12-21 to 2027-01-01`, `December 21, 2026 – January
    /// 1, 2027`, `from 2026-12-21 until 2027-01-01`, or one date. Separators: `to`, `until`,
    /// `through`, an en or em dash, or a hyphen (with or without spaces).
    pub fn parse(item: &str) -> Result<Closed, ClosedDaysError> {
        Self::parse_in(item, Lang::En)
    }

    /// Reads one closed-days answer typed in `lang`. In French, besides every English form:
    /// `du 21 décembre 2026 au 1er janvier 2027`, `21 décembre 2026 au 1er janvier 2027`,
    /// `jusqu'au`, and dates read the French way (day first: `21/12/2026`).
    pub fn parse_in(item: &str, lang: Lang) -> Result<Closed, ClosedDaysError> {
        let text = item.trim();
        if text.is_empty() {
            return Err(ClosedDaysError::Empty);
        }
        let mut body = strip_prefix_ci(text, "from ").unwrap_or(text).trim();
        if lang == Lang::Fr {
            body = strip_prefix_ci(body, "du ").unwrap_or(body).trim();
        }
        let (first, last) = split_range(body, lang);
        let read = |s: &str| {
            parse_kind_in(s, DateKind::Answer, lang).map_err(|reason| ClosedDaysError::BadDate {
                item: text.to_owned(),
                reason: reason.message(lang).trim_end_matches('.').to_owned(),
            })
        };
        let (start, end) = match last {
            Some(l) => (read(first)?, read(l)?),
            // A hyphen with no spaces: "2026-12-21-2027-01-01", "December 21, 2026-January 1,
            // 2027". The split where both sides are dates, if there is one.
            None => match hyphenated(body, lang) {
                Some(pair) => pair,
                None => {
                    let d = read(first)?;
                    (d, d)
                }
            },
        };
        if end < start {
            return Err(ClosedDaysError::EndsBeforeStart {
                item: text.to_owned(),
                start,
                end,
            });
        }
        let days = (end - start).num_days() + 1;
        if days > LONGEST_BREAK_DAYS {
            return Err(ClosedDaysError::TooLong {
                item: text.to_owned(),
                days,
            });
        }
        Ok(Closed { start, end })
    }

    /// How the answers file keeps it: ISO dates, `2026-12-21 to 2027-01-01` or `2026-12-21`.
    pub fn to_answer(self) -> String {
        if self.start == self.end {
            self.start.to_string()
        } else {
            format!("{} to {}", self.start, self.end)
        }
    }

    /// "your child's school break December 21, 2026 to January 1, 2027".
    pub fn describe(self, style: DateStyle) -> String {
        if self.start == self.end {
            format!(
                "the day your child's school is closed, {}",
                style.format(self.start)
            )
        } else {
            format!(
                "your child's school break {} to {}",
                style.format(self.start),
                style.format(self.end)
            )
        }
    }

    fn contains(self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

fn strip_prefix_ci<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Splits "A to B" (and the other separators; in French also "A au B", "A jusqu'au B") into
/// its two sides.
fn split_range(text: &str, lang: Lang) -> (&str, Option<&str>) {
    let lower = text.to_lowercase();
    // Word separators need spaces round them, so "Oct" or "Toronto" never split. Lower-casing
    // keeps byte offsets for the letters these words are made of.
    if lower.len() == text.len() {
        let english = [" to ", " until ", " till ", " through ", " thru "];
        let french = [" jusqu'au ", " jusqu\u{2019}au ", " au "];
        let seps = match lang {
            Lang::En => &english[..],
            Lang::Fr => &french[..],
        };
        for sep in seps.iter().chain(&english) {
            if let Some(at) = lower.find(sep) {
                return (&text[..at], Some(&text[at + sep.len()..]));
            }
        }
    }
    for sep in ['–', '—'] {
        if let Some((a, b)) = text.split_once(sep) {
            return (a, Some(b));
        }
    }
    if let Some((a, b)) = text.split_once(" - ") {
        return (a, Some(b));
    }
    (text, None)
}

/// "A-B" where both A and B are dates.
fn hyphenated(text: &str, lang: Lang) -> Option<(NaiveDate, NaiveDate)> {
    text.match_indices('-').find_map(|(at, _)| {
        let a = parse_kind_in(&text[..at], DateKind::Answer, lang).ok()?;
        let b = parse_kind_in(&text[at + 1..], DateKind::Answer, lang).ok()?;
        Some((a, b))
    })
}

/// Reads a whole closed-days list, as kept in the case profile.
pub fn parse_closed_list<'s>(
    items: impl IntoIterator<Item = &'s str>,
) -> Result<Vec<Closed>, ClosedDaysError> {
    items.into_iter().map(Closed::parse).collect()
}

/// A weekday as the holiday files write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Day {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Day {
    fn weekday(self) -> Weekday {
        match self {
            Day::Monday => Weekday::Mon,
            Day::Tuesday => Weekday::Tue,
            Day::Wednesday => Weekday::Wed,
            Day::Thursday => Weekday::Thu,
            Day::Friday => Weekday::Fri,
            Day::Saturday => Weekday::Sat,
            Day::Sunday => Weekday::Sun,
        }
    }
}

/// A holiday as written in a holiday file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct HolidayDef {
    name: String,
    source: String,
    #[serde(default)]
    unconfirmed: bool,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    easter: Option<i32>,
    #[serde(default)]
    weekday: Option<Day>,
    #[serde(default)]
    nth: Option<u8>,
    #[serde(default)]
    month: Option<String>,
    #[serde(default)]
    on_or_before: Option<String>,
    #[serde(default)]
    on_or_after: Option<String>,
    #[serde(default)]
    dates: Option<Vec<toml::value::Datetime>>,
    #[serde(default)]
    until: Option<String>,
    #[serde(default)]
    days: Option<u32>,
    #[serde(default)]
    observed: BTreeMap<Day, Vec<Day>>,
    #[serde(default)]
    observed_only: bool,
    #[serde(default)]
    since: Option<i32>,
    #[serde(default)]
    schools_only: bool,
}

/// A sourced rule in words: the definition of a working day, or what happens to a deadline
/// that ends on a holiday.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rule {
    /// The rule, in the project's words.
    pub text: String,
    /// Where it was checked.
    pub source: String,
    /// Whether it could not be confirmed against the primary text.
    #[serde(default)]
    pub unconfirmed: bool,
    /// What is known and not known about it.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileDef {
    name: String,
    source: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    caveat: Option<String>,
    #[serde(default)]
    working_day: Option<Rule>,
    #[serde(default)]
    deadline_on_holiday: Option<Rule>,
    #[serde(default)]
    holidays: Vec<HolidayDef>,
}

/// When a holiday falls in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
enum When {
    Fixed {
        month: u32,
        day: u32,
    },
    Nth {
        weekday: Weekday,
        n: u8,
        month: u32,
    },
    OnOrBefore {
        weekday: Weekday,
        month: u32,
        day: u32,
    },
    OnOrAfter {
        weekday: Weekday,
        month: u32,
        day: u32,
    },
    Easter {
        offset: i32,
    },
    Table {
        dates: Vec<NaiveDate>,
    },
}

/// One holiday rule, checked.
#[derive(Debug, Clone)]
pub struct Holiday {
    /// Its name in a sentence: "Christmas Day".
    pub name: String,
    /// Where it was checked.
    pub source: String,
    /// Whether it could not be confirmed (it is still skipped).
    pub unconfirmed: bool,
    /// What is known and not known about it.
    pub note: Option<String>,
    /// Whether only schools close (skipped on the school-day clock only).
    pub schools_only: bool,
    when: When,
    /// Its length in days (a break), from the date the rule gives.
    length: u32,
    /// The period ends on this month and day (the next year's when it comes before the start).
    until: Option<(u32, u32)>,
    /// When the date falls on the key weekday, the next of each listed weekday is a holiday too.
    observed: Vec<(Weekday, Vec<Weekday>)>,
    /// Only the observed days are holidays, not the date itself.
    observed_only: bool,
    /// The first year it applies.
    since: Option<i32>,
}

/// One jurisdiction's holidays.
#[derive(Debug, Clone)]
pub struct HolidayList {
    /// The jurisdiction id.
    pub id: String,
    /// The jurisdiction's name.
    pub name: String,
    /// Where the list as a whole comes from.
    pub source: String,
    /// What the list does not cover.
    pub note: Option<String>,
    /// A sentence shown after every reply-by date counted with this list.
    pub caveat: Option<String>,
    /// The statutory definition of a working day, where there is one.
    pub working_day: Option<Rule>,
    /// What happens to a deadline that ends on a holiday.
    pub deadline_on_holiday: Option<Rule>,
    /// The holidays.
    pub holidays: Vec<Holiday>,
}

/// A month and day written "December 25" (or "25 December").
fn month_day(text: &str, what: &str) -> Result<(u32, u32)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let parsed = match words.as_slice() {
        [a, b] => match (crate::dates::month_number(a), crate::dates::month_number(b)) {
            (Some(m), None) => b.parse().ok().map(|d| (m, d)),
            (None, Some(m)) => a.parse().ok().map(|d| (m, d)),
            _ => None,
        },
        _ => None,
    };
    let (m, d) = parsed.with_context(|| {
        format!("{what} \"{text}\" is not a month and day such as \"December 25\"")
    })?;
    // 2024 is a leap year, so February 29 is allowed.
    NaiveDate::from_ymd_opt(2024, m, d)
        .with_context(|| format!("{what} \"{text}\" is not a real day"))?;
    Ok((m, d))
}

impl Holiday {
    fn from_def(def: HolidayDef) -> Result<Self> {
        let name = def.name.clone();
        let ctx = |e: anyhow::Error| e.context(format!("holiday \"{name}\""));
        let rules = [
            def.date.is_some(),
            def.easter.is_some(),
            def.nth.is_some(),
            def.on_or_before.is_some(),
            def.on_or_after.is_some(),
            def.dates.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if rules != 1 {
            return Err(ctx(anyhow::anyhow!(
                "give exactly one of `date`, `easter`, `nth` (with `weekday` and `month`), `on-or-before` or `on-or-after` (with `weekday`), or `dates`"
            )));
        }
        let weekday = || {
            def.weekday
                .map(Day::weekday)
                .context("this rule needs `weekday`")
        };
        let when = if let Some(date) = &def.date {
            let (month, day) = month_day(date, "date").map_err(ctx)?;
            When::Fixed { month, day }
        } else if let Some(offset) = def.easter {
            if !(-60..=60).contains(&offset) {
                return Err(ctx(anyhow::anyhow!(
                    "`easter = {offset}` is too far from Easter; use -60 to 60"
                )));
            }
            When::Easter { offset }
        } else if let Some(n) = def.nth {
            if !(1..=5).contains(&n) {
                return Err(ctx(anyhow::anyhow!("`nth` must be 1 to 5, not {n}")));
            }
            let month = def
                .month
                .as_deref()
                .and_then(crate::dates::month_number)
                .context("`nth` needs `month`, written as a month name")
                .map_err(ctx)?;
            When::Nth {
                weekday: weekday().map_err(ctx)?,
                n,
                month,
            }
        } else if let Some(text) = &def.on_or_before {
            let (month, day) = month_day(text, "on-or-before").map_err(ctx)?;
            When::OnOrBefore {
                weekday: weekday().map_err(ctx)?,
                month,
                day,
            }
        } else if let Some(text) = &def.on_or_after {
            let (month, day) = month_day(text, "on-or-after").map_err(ctx)?;
            When::OnOrAfter {
                weekday: weekday().map_err(ctx)?,
                month,
                day,
            }
        } else {
            let mut dates = Vec::new();
            for dt in def.dates.as_deref().unwrap_or_default() {
                let date = dt
                    .date
                    .filter(|_| dt.time.is_none())
                    .and_then(|d| {
                        NaiveDate::from_ymd_opt(
                            i32::from(d.year),
                            u32::from(d.month),
                            u32::from(d.day),
                        )
                    })
                    .with_context(|| format!("`dates`: {dt} is not a plain date"))
                    .map_err(ctx)?;
                dates.push(date);
            }
            if dates.is_empty() {
                return Err(ctx(anyhow::anyhow!("`dates` is empty")));
            }
            dates.sort();
            When::Table { dates }
        };
        if def.weekday.is_some()
            && def.nth.is_none()
            && def.on_or_before.is_none()
            && def.on_or_after.is_none()
        {
            return Err(ctx(anyhow::anyhow!(
                "`weekday` goes with `nth`, `on-or-before` or `on-or-after`"
            )));
        }
        if def.month.is_some() && def.nth.is_none() {
            return Err(ctx(anyhow::anyhow!("`month` goes with `nth`")));
        }
        let until = def
            .until
            .as_deref()
            .map(|t| month_day(t, "until"))
            .transpose()
            .map_err(ctx)?;
        if until.is_some() && def.days.is_some() {
            return Err(ctx(anyhow::anyhow!("give `until` or `days`, not both")));
        }
        let length = def.days.unwrap_or(1);
        if !(1..=366).contains(&length) {
            return Err(ctx(anyhow::anyhow!("`days` must be 1 to 366")));
        }
        if def.observed_only && def.observed.is_empty() {
            return Err(ctx(anyhow::anyhow!("`observed-only` needs `observed`")));
        }
        Ok(Holiday {
            name: def.name,
            source: def.source,
            unconfirmed: def.unconfirmed,
            note: def.note,
            schools_only: def.schools_only,
            when,
            length,
            until,
            observed: def
                .observed
                .into_iter()
                .map(|(k, v)| (k.weekday(), v.into_iter().map(Day::weekday).collect()))
                .collect(),
            observed_only: def.observed_only,
            since: def.since,
        })
    }

    /// The date the rule gives in `year`: `Ok(None)` when there is none (before `since`, or a
    /// date chrono cannot hold), `Err(())` when a table does not cover the year.
    fn start_in(&self, year: i32) -> Result<Option<NaiveDate>, ()> {
        if self.since.is_some_and(|s| year < s) {
            return Ok(None);
        }
        Ok(match &self.when {
            When::Fixed { month, day } => NaiveDate::from_ymd_opt(year, *month, *day),
            When::Nth { weekday, n, month } => {
                NaiveDate::from_weekday_of_month_opt(year, *month, *weekday, *n)
            }
            When::OnOrBefore {
                weekday,
                month,
                day,
            } => NaiveDate::from_ymd_opt(year, *month, *day).and_then(|d| {
                let back =
                    (d.weekday().num_days_from_monday() + 7 - weekday.num_days_from_monday()) % 7;
                d.checked_sub_days(Days::new(u64::from(back)))
            }),
            When::OnOrAfter {
                weekday,
                month,
                day,
            } => NaiveDate::from_ymd_opt(year, *month, *day).and_then(|d| {
                let ahead =
                    (weekday.num_days_from_monday() + 7 - d.weekday().num_days_from_monday()) % 7;
                d.checked_add_days(Days::new(u64::from(ahead)))
            }),
            When::Easter { offset } => easter(year).and_then(|e| {
                if *offset >= 0 {
                    e.checked_add_days(Days::new(*offset as u64))
                } else {
                    e.checked_sub_days(Days::new(offset.unsigned_abs() as u64))
                }
            }),
            When::Table { dates } => {
                let first = dates.first().map(Datelike::year);
                let last = dates.last().map(Datelike::year);
                match (first, last) {
                    (Some(f), Some(l)) if (f..=l).contains(&year) => {
                        dates.iter().copied().find(|d| d.year() == year)
                    }
                    _ if self.since.is_none_or(|s| year >= s) => return Err(()),
                    _ => None,
                }
            }
        })
    }

    /// Every (first, last) span this holiday covers that begins in `year`, observed days
    /// included; `Err(())` when a table does not cover the year.
    fn spans_in(&self, year: i32) -> Result<Vec<(NaiveDate, NaiveDate, bool)>, ()> {
        let Some(start) = self.start_in(year)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        if !self.observed_only {
            let end = match self.until {
                Some((m, d)) => NaiveDate::from_ymd_opt(year, m, d)
                    .filter(|e| *e >= start)
                    .or_else(|| NaiveDate::from_ymd_opt(year.checked_add(1)?, m, d)),
                None => start.checked_add_days(Days::new(u64::from(self.length - 1))),
            };
            if let Some(end) = end {
                out.push((start, end, false));
            }
        }
        for (on, carried) in &self.observed {
            if start.weekday() != *on {
                continue;
            }
            for to in carried {
                if let Some(day) = next_weekday_after(start, *to) {
                    out.push((day, day, true));
                }
            }
        }
        Ok(out)
    }

    /// The rule in words, for `iep jurisdictions show`: "the third Monday of February".
    pub fn describe_rule(&self) -> String {
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
        let month = |m: u32| MONTHS[(m as usize).saturating_sub(1) % 12];
        let day_name = |w: &Weekday| match w {
            Weekday::Mon => "Monday",
            Weekday::Tue => "Tuesday",
            Weekday::Wed => "Wednesday",
            Weekday::Thu => "Thursday",
            Weekday::Fri => "Friday",
            Weekday::Sat => "Saturday",
            Weekday::Sun => "Sunday",
        };
        let mut s = match &self.when {
            When::Fixed { month: m, day } => format!("{} {day}", month(*m)),
            When::Nth {
                weekday,
                n,
                month: m,
            } => {
                let nth = ["first", "second", "third", "fourth", "fifth"]
                    [usize::from(n.saturating_sub(1)).min(4)];
                format!("the {nth} {} of {}", day_name(weekday), month(*m))
            }
            When::OnOrBefore {
                weekday,
                month: m,
                day,
            } => {
                format!("the {} on or before {} {day}", day_name(weekday), month(*m))
            }
            When::OnOrAfter {
                weekday,
                month: m,
                day,
            } => {
                format!("the {} on or after {} {day}", day_name(weekday), month(*m))
            }
            When::Easter { offset: 0 } => "Easter Sunday".to_owned(),
            When::Easter { offset: -1 } => "the day before Easter Sunday".to_owned(),
            When::Easter { offset: 1 } => "the day after Easter Sunday".to_owned(),
            When::Easter { offset } if *offset < 0 => {
                format!("{} days before Easter Sunday", offset.unsigned_abs())
            }
            When::Easter { offset } => format!("{offset} days after Easter Sunday"),
            When::Table { dates } => match (dates.first(), dates.last()) {
                (Some(f), Some(l)) => format!(
                    "a date set for each year from {} to {} (none known after)",
                    f.year(),
                    l.year()
                ),
                _ => "set dates".to_owned(),
            },
        };
        if let Some((m, d)) = self.until {
            s.push_str(&format!(" to {} {d}", month(m)));
        } else if self.length > 1 {
            s.push_str(&format!(", for {} days", self.length));
        }
        if !self.observed.is_empty() {
            let carried: Vec<String> = self
                .observed
                .iter()
                .map(|(on, to)| {
                    let to: Vec<&str> = to.iter().map(day_name).collect();
                    format!("on a {}, the next {}", day_name(on), to.join(" and "))
                })
                .collect();
            if self.observed_only {
                s = format!("when {s} falls {}", carried.join("; "));
            } else {
                s.push_str(&format!(" ({})", carried.join("; ")));
            }
        }
        if let Some(since) = self.since {
            s.push_str(&format!(", since {since}"));
        }
        s
    }

    /// The month-days a table's dates fall between, to tell whether an uncovered year matters.
    fn table_season(&self) -> Option<((u32, u32), (u32, u32))> {
        let When::Table { dates } = &self.when else {
            return None;
        };
        let md = |d: &NaiveDate| (d.month(), d.day());
        Some((dates.iter().map(md).min()?, dates.iter().map(md).max()?))
    }
}

/// The next `weekday` strictly after `date`.
fn next_weekday_after(date: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let ahead = (weekday.num_days_from_monday() + 7 - date.weekday().num_days_from_monday()) % 7;
    let ahead = if ahead == 0 { 7 } else { ahead };
    date.checked_add_days(Days::new(u64::from(ahead)))
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, also known as
/// Meeus/Jones/Butcher). `None` only when chrono cannot hold the date.
pub fn easter(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

impl HolidayList {
    /// Reads `jurisdictions/holidays/<id>.toml` text.
    pub fn parse(id: &str, text: &str) -> Result<Self> {
        let def: FileDef = toml::from_str(text).map_err(anyhow::Error::from)?;
        let mut holidays = Vec::with_capacity(def.holidays.len());
        for h in def.holidays {
            holidays.push(Holiday::from_def(h)?);
        }
        Ok(HolidayList {
            id: id.to_owned(),
            name: def.name,
            source: def.source,
            note: def.note,
            caveat: def.caveat,
            working_day: def.working_day,
            deadline_on_holiday: def.deadline_on_holiday,
            holidays,
        })
    }

    /// A list with no holidays: weekends only, for a jurisdiction iep has no list for.
    pub fn none(id: &str) -> Self {
        HolidayList {
            id: id.to_owned(),
            name: id.to_owned(),
            source: String::new(),
            note: None,
            caveat: None,
            working_day: None,
            deadline_on_holiday: None,
            holidays: Vec::new(),
        }
    }

    /// Every holiday day of `year`, by date, with the holiday's index and whether it is an
    /// observed (carried) day; plus the holidays a table does not cover for the year.
    fn days_of(&self, year: i32) -> YearDays {
        let mut days: BTreeMap<NaiveDate, Vec<(usize, NaiveDate, NaiveDate)>> = BTreeMap::new();
        let mut unknown = Vec::new();
        // A span may start in the year before (a winter break), so look one year back.
        for from_year in [year.saturating_sub(1), year] {
            for (i, h) in self.holidays.iter().enumerate() {
                match h.spans_in(from_year) {
                    Ok(spans) => {
                        for (first, last, _) in spans {
                            let mut d = first;
                            loop {
                                if d.year() == year {
                                    days.entry(d).or_default().push((i, first, last));
                                }
                                if d >= last {
                                    break;
                                }
                                match d.succ_opt() {
                                    Some(n) => d = n,
                                    None => break,
                                }
                            }
                        }
                    }
                    Err(()) if from_year == year => unknown.push(i),
                    Err(()) => {}
                }
            }
        }
        YearDays { days, unknown }
    }
}

struct YearDays {
    days: BTreeMap<NaiveDate, Vec<(usize, NaiveDate, NaiveDate)>>,
    unknown: Vec<usize>,
}

/// A holiday a count passed over, with the days it covered that would have counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Its name.
    pub name: String,
    /// The first and last day of this occurrence (a break has several).
    pub first: NaiveDate,
    /// Last day.
    pub last: NaiveDate,
    /// Whether the holiday could not be confirmed.
    pub unconfirmed: bool,
}

impl Skipped {
    fn describe(&self, style: DateStyle) -> String {
        let when = if self.first == self.last {
            style.format(self.first)
        } else {
            format!(
                "{} to {}",
                style.format(self.first),
                style.format(self.last)
            )
        };
        let unconfirmed = if self.unconfirmed {
            ", unconfirmed"
        } else {
            ""
        };
        format!("{} ({when}{unconfirmed})", self.name)
    }
}

/// A reply-by date and how it was counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// The clock.
    pub clock: Clock,
    /// How many days.
    pub days: u32,
    /// The day counted from (the letter's date; it does not count).
    pub from: NaiveDate,
    /// The reply-by date.
    pub date: NaiveDate,
    /// Holidays passed over on weekdays, in date order.
    pub skipped: Vec<Skipped>,
    /// The family's closed days that were skipped (school days).
    pub breaks_skipped: Vec<Closed>,
    /// The family's closed days inside the window that were counted through (working days).
    pub breaks_counted: Vec<Closed>,
    /// For calendar days: the date the count ended on before it moved off a weekend or holiday.
    pub moved_from: Option<NaiveDate>,
    /// Holidays whose date iep does not know in a year the window touches: "Matariki in 2053".
    pub unknown: Vec<String>,
}

/// Joins "a", "b" and "c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl Count {
    /// "10 school days after December 18, 2026, not counting Christmas Day (December 25,
    /// 2026) and your child's school break December 21, 2026 to January 1, 2027".
    pub fn explain(&self, style: DateStyle) -> String {
        let mut s = format!(
            "{} {} after {}",
            self.days,
            self.clock.unit(),
            style.format(self.from)
        );
        let mut named: Vec<String> = self.skipped.iter().map(|k| k.describe(style)).collect();
        if let Some(was) = self.moved_from {
            s.push_str(&format!(
                "; day {}, {}, is not a working day, so the date moves to the next one",
                self.days,
                style.format(was)
            ));
            if !named.is_empty() {
                s.push_str(&format!(", past {}", and_list(&named)));
            }
            return s;
        }
        named.extend(self.breaks_skipped.iter().map(|b| b.describe(style)));
        if !named.is_empty() {
            s.push_str(", not counting ");
            s.push_str(&and_list(&named));
        }
        s
    }
}

/// The days a count skips: a jurisdiction's holidays and, in a case, the family's closed days.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// The jurisdiction's holidays.
    pub holidays: HolidayList,
    /// The family's closed days, when a case records them.
    pub closed: Vec<Closed>,
    /// Whether the letter is written in a case (where closed days can be recorded).
    pub in_case: bool,
}

impl Calendar {
    /// Weekends only, for a jurisdiction with no list, outside a case.
    pub fn weekends_only(id: &str) -> Self {
        Calendar {
            holidays: HolidayList::none(id),
            closed: Vec::new(),
            in_case: false,
        }
    }

    /// The date `days` days after `from` on `clock`, with what was skipped. The day of
    /// writing never counts.
    pub fn count(&self, clock: Clock, from: NaiveDate, days: u32) -> Result<Count, CountError> {
        let mut years: BTreeMap<i32, YearDays> = BTreeMap::new();
        let mut holiday_at = |d: NaiveDate| -> Vec<(usize, NaiveDate, NaiveDate)> {
            years
                .entry(d.year())
                .or_insert_with(|| self.holidays.days_of(d.year()))
                .days
                .get(&d)
                .cloned()
                .unwrap_or_default()
        };
        let out_of_range = CountError::OutOfRange(from);
        let mut date = from;
        let mut moved_from = None;
        let mut passed: Vec<NaiveDate> = Vec::new();
        match clock {
            Clock::CalendarDays => {
                date = from
                    .checked_add_days(Days::new(u64::from(days)))
                    .ok_or(out_of_range.clone())?;
                let end = date;
                while is_weekend(date)
                    || holiday_at(date)
                        .iter()
                        .any(|(i, _, _)| !self.holidays.holidays[*i].schools_only)
                {
                    date = date.succ_opt().ok_or(out_of_range.clone())?;
                    if (date - end).num_days() > SEARCH_LIMIT_DAYS {
                        return Err(out_of_range);
                    }
                }
                if date != end {
                    moved_from = Some(end);
                }
                // Holidays inside the window count; only those the date moved past are named.
                let mut d = end;
                while d < date {
                    passed.push(d);
                    d = d.succ_opt().ok_or(out_of_range.clone())?;
                }
            }
            Clock::SchoolDays | Clock::WorkingDays => {
                let school = clock == Clock::SchoolDays;
                let mut left = days;
                while left > 0 {
                    date = date.succ_opt().ok_or(out_of_range.clone())?;
                    if (date - from).num_days() > SEARCH_LIMIT_DAYS {
                        return Err(CountError::NothingToCount {
                            unit: clock.unit(),
                            from,
                        });
                    }
                    passed.push(date);
                    if is_weekend(date) {
                        continue;
                    }
                    let closed_by_holiday = holiday_at(date)
                        .iter()
                        .any(|(i, _, _)| school || !self.holidays.holidays[*i].schools_only);
                    let closed_by_break = school && self.closed.iter().any(|c| c.contains(date));
                    if !closed_by_holiday && !closed_by_break {
                        left -= 1;
                    }
                }
            }
        }
        // What was passed over, for the sentence: weekday holidays (a holiday on a weekend
        // changes nothing), grouped by occurrence.
        let school = clock == Clock::SchoolDays;
        let mut skipped: Vec<Skipped> = Vec::new();
        let mut breaks_skipped = BTreeSet::new();
        let mut breaks_counted = BTreeSet::new();
        for d in passed.iter().copied().filter(|d| !is_weekend(*d)) {
            for (i, first, last) in holiday_at(d) {
                let h = &self.holidays.holidays[i];
                if h.schools_only && !school {
                    continue;
                }
                if !skipped
                    .iter()
                    .any(|k| k.name == h.name && k.first == first && k.last == last)
                {
                    skipped.push(Skipped {
                        name: h.name.clone(),
                        first,
                        last,
                        unconfirmed: h.unconfirmed,
                    });
                }
            }
            // A calendar-day window runs through school breaks, as the rules that use it do.
            let breaks = self.closed.iter().filter(|_| clock != Clock::CalendarDays);
            for c in breaks.filter(|c| c.contains(d)) {
                if school {
                    breaks_skipped.insert(*c);
                } else {
                    breaks_counted.insert(*c);
                }
            }
        }
        // Holidays a table cannot place in a year the window touches, when the window reaches
        // the season the table's dates fall in.
        let mut unknown = Vec::new();
        let (first_day, last_day) = (from.succ_opt().unwrap_or(from), date);
        for year in first_day.year()..=last_day.year() {
            let yd = years
                .entry(year)
                .or_insert_with(|| self.holidays.days_of(year));
            for &i in &yd.unknown {
                let h = &self.holidays.holidays[i];
                let Some((lo, hi)) = h.table_season() else {
                    continue;
                };
                let season = NaiveDate::from_ymd_opt(year, lo.0, lo.1)
                    .zip(NaiveDate::from_ymd_opt(year, hi.0, hi.1));
                if let Some((s, e)) = season
                    && s <= last_day
                    && first_day <= e
                {
                    unknown.push(format!("{} in {year}", h.name));
                }
            }
        }
        Ok(Count {
            clock,
            days,
            from,
            date,
            skipped,
            breaks_skipped: breaks_skipped.into_iter().collect(),
            breaks_counted: breaks_counted.into_iter().collect(),
            moved_from,
            unknown,
        })
    }

    /// Sentences to show after the reply-by date: what iep does not know, and what it counted
    /// through. Empty when there is nothing to add.
    pub fn caveats(&self, count: &Count, style: DateStyle) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(caveat) = &self.holidays.caveat {
            out.push(caveat.clone());
        } else if self.holidays.holidays.is_empty() {
            out.push(
                "iep knows no public holidays for this jurisdiction: only weekends were skipped. Check that date.".to_owned(),
            );
        }
        for what in &count.unknown {
            out.push(format!(
                "iep does not know the date of {what}: check that the reply-by date is not that holiday."
            ));
        }
        if count.clock == Clock::SchoolDays && self.closed.is_empty() {
            if self.in_case {
                out.push("iep does not know your child's school breaks: check that date, or record them once with `iep case edit --set closed_days=\"December 21, 2026 to January 1, 2027\"`.".to_owned());
            } else {
                out.push(
                    "iep does not know your child's school breaks outside a case: check that date."
                        .to_owned(),
                );
            }
        }
        if !count.breaks_counted.is_empty() {
            let breaks: Vec<String> = count
                .breaks_counted
                .iter()
                .map(|b| b.describe(style))
                .collect();
            out.push(format!(
                "Working days were counted through {}: the rule counts working days, and offices work through school breaks.",
                and_list(&breaks)
            ));
        }
        if count.moved_from.is_some() {
            match &self.holidays.deadline_on_holiday {
                Some(rule) => {
                    let unconfirmed = if rule.unconfirmed { " (unconfirmed)" } else { "" };
                    out.push(format!("{}{unconfirmed} Source: {}.", rule.text, rule.source));
                }
                None => out.push(
                    "No rule moving a deadline off a holiday was found for this jurisdiction; iep moves it anyway, to be safe.".to_owned(),
                ),
            }
        }
        out
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests;
