use super::*;
use crate::catalog::Catalog;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn list(id: &str) -> HolidayList {
    Catalog::new(&[]).unwrap().holidays(id).unwrap()
}

fn calendar(id: &str, closed: &[(&str, &str)]) -> Calendar {
    Calendar {
        holidays: list(id),
        closed: closed
            .iter()
            .map(|(a, b)| Closed {
                start: d(a),
                end: d(b),
            })
            .collect(),
        in_case: !closed.is_empty(),
    }
}

/// The names of the holidays on `date`, public and school.
fn names_on(list: &HolidayList, date: &str) -> Vec<String> {
    let date = d(date);
    list.days_of(date.year())
        .days
        .get(&date)
        .map(|v| {
            v.iter()
                .map(|(i, _, _)| list.holidays[*i].name.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn is_holiday(id: &str, date: &str) -> bool {
    !names_on(&list(id), date).is_empty()
}

#[test]
fn every_built_in_list_parses_and_every_holiday_has_a_source() {
    let catalog = Catalog::new(&[]).unwrap();
    for id in catalog.jurisdiction_ids().unwrap() {
        let path = format!("jurisdictions/holidays/{id}.toml");
        assert!(
            catalog.find(&path).unwrap().is_some(),
            "{id} has no holiday list"
        );
        let l = catalog.holidays(&id).unwrap();
        assert!(!l.source.trim().is_empty(), "{id}: the list has no source");
        for h in &l.holidays {
            assert!(
                !h.source.trim().is_empty(),
                "{id}: {} has no source",
                h.name
            );
        }
        for rule in l.working_day.iter().chain(&l.deadline_on_holiday) {
            assert!(!rule.source.trim().is_empty(), "{id}: a rule has no source");
        }
    }
}

#[test]
fn easter_is_computed_for_any_year() {
    for (year, date) in [
        (2024, "2024-03-31"),
        (2025, "2025-04-20"),
        (2026, "2026-04-05"),
        (2027, "2027-03-28"),
        (2028, "2028-04-16"),
        (2038, "2038-04-25"),
        (2285, "2285-03-22"),
        (1961, "1961-04-02"),
    ] {
        assert_eq!(easter(year), Some(d(date)), "{year}");
    }
    // No panic at the edge of chrono's range.
    let _ = easter(i32::MAX);
    let _ = easter(NaiveDate::MAX.year());
}

#[test]
fn rules_place_holidays_in_several_years() {
    // Victoria Day and the Journée nationale des patriotes: the Monday before May 25.
    for date in [
        "2025-05-19",
        "2026-05-18",
        "2027-05-24",
        "2028-05-22",
        "2029-05-21",
    ] {
        assert!(is_holiday("ontario", date), "Victoria Day {date}");
        assert!(is_holiday("british-columbia", date), "Victoria Day {date}");
        assert!(is_holiday("quebec", date), "patriotes {date}");
        assert!(!is_holiday("new-zealand", date));
    }
    // Good Friday and Easter Monday 2027.
    assert!(is_holiday("quebec", "2027-03-26") && is_holiday("quebec", "2027-03-29"));
    // Nth weekdays: Family Day, Labour Day, Thanksgiving, NZ Labour Day, the Sovereign's birthday.
    assert!(is_holiday("ontario", "2027-02-15"));
    assert!(is_holiday("british-columbia", "2027-02-15"));
    assert!(!is_holiday("quebec", "2027-02-15"));
    assert!(is_holiday("quebec", "2027-09-06") && is_holiday("quebec", "2027-10-11"));
    assert!(is_holiday("new-zealand", "2027-10-25"));
    assert!(is_holiday("new-zealand", "2027-06-07"));
    // Since: BC's National Day for Truth and Reconciliation from 2023.
    assert!(is_holiday("british-columbia", "2027-09-30"));
    assert!(!is_holiday("british-columbia", "2022-09-30"));
}

#[test]
fn weekend_holidays_are_carried_to_a_weekday() {
    // Waitangi Day: Saturday 2027-02-06 → Monday the 8th; Sunday 2028-02-06 → Monday the 7th.
    assert!(is_holiday("new-zealand", "2027-02-08"));
    assert!(is_holiday("new-zealand", "2028-02-07"));
    assert!(
        !is_holiday("new-zealand", "2026-02-09"),
        "Friday 2026-02-06 stays"
    );
    // Anzac Day: Sunday 2027-04-25 → 26th; Saturday 2026-04-25 → Monday 27th.
    assert!(is_holiday("new-zealand", "2027-04-26"));
    assert!(is_holiday("new-zealand", "2026-04-27"));
    // Quebec: Canada Day on Sunday 2029-07-01 → July 2; on Saturday 2028 it is not carried.
    assert!(is_holiday("quebec", "2029-07-02"));
    assert!(!is_holiday("quebec", "2028-07-03"));
    // New Zealand after New Year: 1 January 2027 is a Friday → Monday 4 January.
    assert!(is_holiday("new-zealand", "2027-01-04"));
    // Saturday 2022-01-01 → Monday 3rd and Tuesday 4th.
    assert!(is_holiday("new-zealand", "2022-01-03") && is_holiday("new-zealand", "2022-01-04"));
    assert!(!is_holiday("new-zealand", "2022-01-05"));
    // Christmas on Saturday 2027: Monday 27th and (Boxing Day on Sunday) Tuesday 28th.
    assert!(is_holiday("ontario", "2027-12-27") && is_holiday("ontario", "2027-12-28"));
    assert!(is_holiday("british-columbia", "2027-12-27"));
}

#[test]
fn ontario_school_year_breaks_match_the_ministry_table() {
    let on = list("ontario");
    for (first, last) in [
        ("2022-12-19", "2022-12-30"),
        ("2023-12-25", "2024-01-05"),
        ("2024-12-23", "2025-01-03"),
        ("2025-12-22", "2026-01-02"),
        ("2026-12-21", "2027-01-01"),
        ("2023-03-13", "2023-03-17"),
        ("2024-03-11", "2024-03-15"),
        ("2025-03-10", "2025-03-14"),
        ("2026-03-16", "2026-03-20"),
        ("2027-03-15", "2027-03-19"),
    ] {
        let (f, l) = (d(first), d(last));
        let before = f.pred_opt().unwrap();
        let after = l.succ_opt().unwrap();
        let has_break = |date: NaiveDate| {
            names_on(&on, &date.to_string())
                .iter()
                .any(|n| n.contains("break"))
        };
        assert!(has_break(f) && has_break(l), "{first}..{last}");
        assert!(!has_break(before) && !has_break(after), "{first}..{last}");
    }
}

#[test]
fn matariki_comes_from_the_schedule_and_unknown_years_are_said() {
    let nz = list("new-zealand");
    assert_eq!(names_on(&nz, "2027-06-25"), ["Matariki"]);
    assert_eq!(names_on(&nz, "2026-07-10"), ["Matariki"]);
    assert_eq!(names_on(&nz, "2052-06-21"), ["Matariki"]);
    assert!(names_on(&nz, "2021-06-25").is_empty());
    // 2053 is not in the schedule: a count through its winter says so, and guesses nothing.
    let cal = calendar("new-zealand", &[]);
    let c = cal.count(Clock::WorkingDays, d("2053-06-16"), 20).unwrap();
    assert_eq!(c.unknown, ["Matariki in 2053"]);
    let caveats = cal.caveats(&c, DateStyle::DayMonthYear).join(" ");
    assert!(
        caveats.contains("does not know the date of Matariki in 2053"),
        "{caveats}"
    );
    // Outside its season, the unknown year does not matter.
    let c = cal.count(Clock::WorkingDays, d("2053-02-10"), 5).unwrap();
    assert!(c.unknown.is_empty());
}

/// jurisdiction, clock, letter date, days, recorded breaks, reply-by date.
type Row<'a> = (
    &'a str,
    Clock,
    &'a str,
    u32,
    &'a [(&'a str, &'a str)],
    &'a str,
);

/// Reply-by dates for 10 (or fewer) days on each jurisdiction's own clock, across the holidays
/// that matter, from the research-sourced lists.
#[test]
fn reply_by_table() {
    let break_2026 = [("2026-12-21", "2027-01-01")];
    #[rustfmt::skip]
    let table: &[Row] = &[
        // Christmas and New Year, written Friday December 18, 2026.
        ("ontario", Clock::SchoolDays, "2026-12-18", 10, &[], "2027-01-15"),
        ("ontario", Clock::SchoolDays, "2026-12-18", 10, &break_2026, "2027-01-15"),
        ("british-columbia", Clock::SchoolDays, "2026-12-18", 10, &[], "2027-01-06"),
        ("british-columbia", Clock::SchoolDays, "2026-12-18", 10, &break_2026, "2027-01-15"),
        ("quebec", Clock::WorkingDays, "2026-12-18", 10, &[], "2027-01-07"),
        ("quebec", Clock::WorkingDays, "2026-12-18", 10, &break_2026, "2027-01-07"),
        ("new-zealand", Clock::WorkingDays, "2026-12-18", 10, &[], "2027-01-12"),
        // Generic skips only weekends, Christmas Day and New Year's Day.
        ("generic", Clock::WorkingDays, "2026-12-18", 10, &[], "2027-01-05"),
        // Easter 2027 (Good Friday March 26, Easter Monday March 29), from Thursday March 18.
        ("ontario", Clock::SchoolDays, "2027-03-18", 10, &[], "2027-04-06"),
        ("british-columbia", Clock::SchoolDays, "2027-03-18", 10, &[], "2027-04-05"),
        ("quebec", Clock::WorkingDays, "2027-03-18", 10, &[], "2027-04-05"),
        ("new-zealand", Clock::WorkingDays, "2027-03-18", 10, &[], "2027-04-05"),
        ("generic", Clock::WorkingDays, "2027-03-18", 10, &[], "2027-04-01"),
        // Victoria Day / Journée nationale des patriotes, Monday May 24, 2027.
        ("ontario", Clock::SchoolDays, "2027-05-14", 10, &[], "2027-05-31"),
        ("british-columbia", Clock::SchoolDays, "2027-05-14", 10, &[], "2027-05-31"),
        ("quebec", Clock::WorkingDays, "2027-05-14", 10, &[], "2027-05-31"),
        ("new-zealand", Clock::WorkingDays, "2027-05-14", 10, &[], "2027-05-28"),
        // Fête nationale (Thursday June 24, 2027), Canada Day (Thursday July 1) and Matariki
        // (Friday June 25, 2027), from Friday June 18.
        ("quebec", Clock::WorkingDays, "2027-06-18", 10, &[], "2027-07-06"),
        ("ontario", Clock::SchoolDays, "2027-06-18", 10, &[], "2027-07-05"),
        ("british-columbia", Clock::SchoolDays, "2027-06-18", 10, &[], "2027-07-05"),
        ("new-zealand", Clock::WorkingDays, "2027-06-18", 10, &[], "2027-07-05"),
        ("generic", Clock::WorkingDays, "2027-06-18", 10, &[], "2027-07-02"),
        // Waitangi Day on Saturday February 6, 2027: Monday the 8th is not a working day.
        ("new-zealand", Clock::WorkingDays, "2027-02-01", 5, &[], "2027-02-09"),
        // Anzac Day on Sunday April 25, 2027: Monday the 26th.
        ("new-zealand", Clock::WorkingDays, "2027-04-19", 5, &[], "2027-04-27"),
        // Matariki, Friday July 10, 2026.
        ("new-zealand", Clock::WorkingDays, "2026-07-06", 5, &[], "2026-07-14"),
        // Labour Day (Canada: September 6, 2027; New Zealand: October 25, 2027).
        ("quebec", Clock::WorkingDays, "2027-09-03", 1, &[], "2027-09-07"),
        ("ontario", Clock::SchoolDays, "2027-09-03", 1, &[], "2027-09-07"),
        ("new-zealand", Clock::WorkingDays, "2027-10-22", 1, &[], "2027-10-26"),
        // Thanksgiving, October 11, 2027.
        ("ontario", Clock::SchoolDays, "2027-10-08", 1, &[], "2027-10-12"),
        ("quebec", Clock::WorkingDays, "2027-10-08", 1, &[], "2027-10-12"),
        ("british-columbia", Clock::SchoolDays, "2027-10-08", 1, &[], "2027-10-12"),
        // National Day for Truth and Reconciliation, Thursday September 30, 2027 (BC only).
        ("british-columbia", Clock::SchoolDays, "2027-09-27", 5, &[], "2027-10-05"),
        ("ontario", Clock::SchoolDays, "2027-09-27", 5, &[], "2027-10-04"),
        // BC's 45 calendar days (School Act s. 11) ending on Christmas Day 2026 move past the
        // weekend and the Monday Boxing Day is carried to.
        ("british-columbia", Clock::CalendarDays, "2026-11-10", 45, &[], "2026-12-29"),
        ("british-columbia", Clock::CalendarDays, "2026-11-23", 45, &[], "2027-01-07"),
    ];
    for (id, clock, from, days, closed, want) in table {
        let got = calendar(id, closed).count(*clock, d(from), *days).unwrap();
        assert_eq!(
            got.date,
            d(want),
            "{id}: {days} {} after {from} with {closed:?}",
            clock.unit()
        );
    }
}

#[test]
fn the_count_says_what_it_skipped() {
    let cal = calendar("ontario", &[("2026-12-21", "2027-01-01")]);
    let c = cal.count(Clock::SchoolDays, d("2026-12-18"), 10).unwrap();
    let text = c.explain(DateStyle::MonthDayYear);
    assert!(
        text.starts_with("10 school days after December 18, 2026, not counting "),
        "{text}"
    );
    assert!(text.contains("Christmas Day (December 25, 2026)"), "{text}");
    assert!(text.contains("New Year's Day (January 1, 2027)"), "{text}");
    assert!(
        !text.contains("Boxing Day (December 26"),
        "a Saturday holiday changes nothing: {text}"
    );
    assert!(
        text.contains("Boxing Day (observed) (December 28, 2026, unconfirmed)"),
        "{text}"
    );
    assert!(
        text.ends_with("and your child's school break December 21, 2026 to January 1, 2027"),
        "{text}"
    );
    assert!(cal.caveats(&c, DateStyle::MonthDayYear).is_empty());

    // Working days count through a school break, and say so.
    let cal = calendar("quebec", &[("2026-12-21", "2027-01-01")]);
    let c = cal.count(Clock::WorkingDays, d("2026-12-18"), 10).unwrap();
    assert!(c.breaks_skipped.is_empty());
    assert_eq!(c.breaks_counted.len(), 1);
    let caveats = cal.caveats(&c, DateStyle::MonthDayYear).join(" ");
    assert!(
        caveats.contains("counted through your child's school break"),
        "{caveats}"
    );
    assert!(
        c.explain(DateStyle::MonthDayYear)
            .contains("Christmas Eve (December 24, 2026, unconfirmed)")
    );

    // Outside a case, breaks are unknown on the school-day clock.
    let cal = calendar("british-columbia", &[]);
    let c = cal.count(Clock::SchoolDays, d("2026-12-18"), 10).unwrap();
    let caveats = cal.caveats(&c, DateStyle::MonthDayYear).join(" ");
    assert!(
        caveats.contains("school breaks outside a case"),
        "{caveats}"
    );

    // A calendar-day deadline that moved says where it was and why.
    let c = cal.count(Clock::CalendarDays, d("2026-11-10"), 45).unwrap();
    assert_eq!(c.moved_from, Some(d("2026-12-25")));
    assert_eq!(
        c.explain(DateStyle::MonthDayYear),
        "45 days after November 10, 2026; day 45, December 25, 2026, is not a working day, so the date moves to the next one, past Christmas Day (December 25, 2026) and Boxing Day (observed) (December 28, 2026, unconfirmed)"
    );
    let caveats = cal.caveats(&c, DateStyle::MonthDayYear).join(" ");
    assert!(caveats.contains("Interpretation Act"), "{caveats}");
    // Holidays inside a calendar-day window count, and are not named.
    let c = cal.count(Clock::CalendarDays, d("2026-11-23"), 45).unwrap();
    assert_eq!(
        c.explain(DateStyle::MonthDayYear),
        "45 days after November 23, 2026"
    );

    // Generic knows almost no holidays and says so.
    let cal = calendar("generic", &[]);
    let c = cal.count(Clock::WorkingDays, d("2026-12-18"), 10).unwrap();
    assert!(cal.caveats(&c, DateStyle::MonthDayYear)[0].contains("skips only weekends"));
    // A jurisdiction with no list (a pack's) skips weekends only, and says so.
    let cal = Calendar::weekends_only("pack-land");
    let c = cal.count(Clock::WorkingDays, d("2026-12-18"), 10).unwrap();
    assert_eq!(c.date, d("2027-01-01"));
    assert!(cal.caveats(&c, DateStyle::MonthDayYear)[0].contains("only weekends were skipped"));
}

#[test]
fn counting_never_panics() {
    let cal = calendar("new-zealand", &[]);
    let near_max = NaiveDate::MAX.pred_opt().unwrap();
    for clock in [Clock::SchoolDays, Clock::WorkingDays, Clock::CalendarDays] {
        assert_eq!(
            cal.count(clock, near_max, 10),
            Err(CountError::OutOfRange(near_max))
        );
    }
    let _ = cal.count(Clock::WorkingDays, NaiveDate::MIN, 10).unwrap();
    // Closed for eleven years straight: no school day can be found, and the count says so.
    let mut closed = Vec::new();
    let mut start = d("2027-01-01");
    for _ in 0..11 {
        let end = start + Days::new(365);
        closed.push(Closed { start, end });
        start = end.succ_opt().unwrap();
    }
    let cal = Calendar {
        closed,
        ..calendar("ontario", &[])
    };
    let err = cal
        .count(Clock::SchoolDays, d("2026-12-31"), 1)
        .unwrap_err();
    assert!(err.to_string().contains("closed_days"), "{err}");
}

#[test]
fn closed_days_are_read_as_parents_type_them() {
    let want = Closed {
        start: d("2026-12-21"),
        end: d("2027-01-01"),
    };
    for text in [
        "December 21, 2026 to January 1, 2027",
        "2026-12-21 to 2027-01-01",
        "2026-12-21 – 2027-01-01",
        "2026-12-21–2027-01-01",
        "21 December 2026 - 1 January 2027",
        "from December 21, 2026 until January 1, 2027",
        "Dec 21, 2026 through Jan 1, 2027",
        "2026-12-21-2027-01-01",
        "December 21, 2026-January 1, 2027",
    ] {
        assert_eq!(Closed::parse(text), Ok(want), "{text}");
    }
    assert_eq!(
        Closed::parse("2026-11-27"),
        Ok(Closed {
            start: d("2026-11-27"),
            end: d("2026-11-27")
        })
    );
    assert_eq!(want.to_answer(), "2026-12-21 to 2027-01-01");
    assert_eq!(Closed::parse(&want.to_answer()), Ok(want));
}

#[test]
fn bad_closed_days_get_clear_messages() {
    let err = Closed::parse("January 1, 2027 to December 21, 2026").unwrap_err();
    assert!(matches!(err, ClosedDaysError::EndsBeforeStart { .. }));
    let msg = err.to_string();
    assert!(msg.contains("\"January 1, 2027 to December 21, 2026\" ends (2026-12-21) before it starts (2027-01-01)"), "{msg}");

    let msg = Closed::parse("the week after next")
        .unwrap_err()
        .to_string();
    assert!(msg.starts_with("\"the week after next\": "), "{msg}");
    assert!(msg.contains("year-month-day"), "{msg}");
    let msg = Closed::parse("December 21, 2026 to 01/01/2027")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("could mean more than one day"), "{msg}");

    let msg = Closed::parse("2026-09-01 to 2027-12-31")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("is 487 days long"), "{msg}");
    assert!(msg.contains("at most a year"), "{msg}");
    // A leap year's whole year is fine.
    assert!(Closed::parse("2028-01-01 to 2028-12-31").is_ok());
    assert_eq!(Closed::parse("  "), Err(ClosedDaysError::Empty));
}

#[test]
fn holiday_files_are_checked() {
    let bad = |text: &str| HolidayList::parse("x", text).unwrap_err();
    let head = "name = \"X\"\nsource = \"s\"\n";
    let e = bad(&format!(
        "{head}[[holidays]]\nname = \"A\"\nsource = \"s\"\n"
    ));
    assert!(format!("{e:#}").contains("exactly one of"), "{e:#}");
    let e = bad(&format!(
        "{head}[[holidays]]\nname = \"A\"\nsource = \"s\"\ndate = \"Smarch 3\"\n"
    ));
    assert!(format!("{e:#}").contains("not a month and day"), "{e:#}");
    let e = bad(&format!(
        "{head}[[holidays]]\nname = \"A\"\nsource = \"s\"\nnth = 2\nweekday = \"monday\"\n"
    ));
    assert!(format!("{e:#}").contains("needs `month`"), "{e:#}");
    let e = bad(&format!(
        "{head}[[holidays]]\nname = \"A\"\ndate = \"May 1\"\n"
    ));
    assert!(format!("{e:#}").contains("source"), "{e:#}");
}

/// For every letter date from 2026 to 2028 and each jurisdiction's clock, the reply-by date is
/// never a weekend or a day the list skips on that clock.
#[test]
fn no_reply_by_date_lands_on_a_holiday() {
    for (id, clocks) in [
        ("ontario", &[Clock::SchoolDays, Clock::CalendarDays][..]),
        (
            "british-columbia",
            &[Clock::SchoolDays, Clock::CalendarDays][..],
        ),
        ("quebec", &[Clock::WorkingDays, Clock::CalendarDays][..]),
        ("new-zealand", &[Clock::WorkingDays][..]),
        ("generic", &[Clock::WorkingDays][..]),
    ] {
        let cal = calendar(id, &[]);
        for &clock in clocks {
            let mut from = d("2026-01-01");
            while from < d("2029-01-01") {
                for days in [1, 10, 45] {
                    let c = cal.count(clock, from, days).unwrap();
                    assert!(!is_weekend(c.date), "{id} {clock:?} {from} +{days}");
                    let on = cal.holidays.days_of(c.date.year());
                    let blocked = on.days.get(&c.date).is_some_and(|v| {
                        v.iter().any(|(i, _, _)| {
                            clock == Clock::SchoolDays || !cal.holidays.holidays[*i].schools_only
                        })
                    });
                    assert!(
                        !blocked,
                        "{id} {clock:?} {from} +{days} lands on {}",
                        c.date
                    );
                }
                from = from.succ_opt().unwrap();
            }
        }
    }
}

#[test]
fn closed_days_are_read_in_french_as_a_quebec_parent_types_them() {
    let want = Closed {
        start: d("2026-12-21"),
        end: d("2027-01-01"),
    };
    for text in [
        "du 21 décembre 2026 au 1er janvier 2027",
        "Du 21 décembre 2026 au 1er janvier 2027",
        "21 décembre 2026 au 1er janvier 2027",
        "21 déc. 2026 jusqu'au 1er janv. 2027",
        "du 21/12/2026 au 1/1/2027",
        "21 décembre 2026 – 1er janvier 2027",
        "2026-12-21 au 2027-01-01",
        // What the answers file keeps reads the same in French.
        "2026-12-21 to 2027-01-01",
    ] {
        assert_eq!(Closed::parse_in(text, Lang::Fr), Ok(want), "{text}");
    }
    assert_eq!(
        Closed::parse_in("le 27 novembre 2026", Lang::Fr),
        Ok(Closed {
            start: d("2026-11-27"),
            end: d("2026-11-27")
        })
    );
    // "août" holds no " au " to split on.
    assert_eq!(
        Closed::parse_in("du 3 août 2026 au 7 août 2026", Lang::Fr).map(|c| (c.start, c.end)),
        Ok((d("2026-08-03"), d("2026-08-07")))
    );
    // Refused in French.
    let msg = Closed::parse_in("du 1er janvier 2027 au 21 décembre 2026", Lang::Fr)
        .unwrap_err()
        .message(Lang::Fr);
    assert!(
        msg.contains("finit (21 décembre 2026) avant de commencer (1er janvier 2027)"),
        "{msg}"
    );
    let msg = Closed::parse_in("du 31 février 2026 au 3 mars 2026", Lang::Fr)
        .unwrap_err()
        .message(Lang::Fr);
    assert!(msg.contains("n'est pas une vraie date"), "{msg}");
}
