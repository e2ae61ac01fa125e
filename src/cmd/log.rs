//! `iep log`: the case's timeline, one record in full, JSON for scripts, and the chronology a
//! family attaches to a complaint (Markdown or CSV).

use std::fmt::Write as _;

use anyhow::{Context as _, Result};
use chrono::NaiveDate;

use super::{Ctx, Exit, warn_damaged};
use crate::atomic;
use crate::case::chronology::{Entry, chronology};
use crate::case::observation::{self, Observation};
use crate::case::record::{self, Event, Record, Summary};
use crate::catalog::Catalog;
use crate::cli::{ExportFormat, LogArgs};
use crate::dates::{DateKind, parse_kind};
use crate::jurisdiction::Jurisdiction;
use crate::lang::{Lang, fill};

/// Runs `iep log`.
pub fn execute(args: &crate::cli::LogArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    run(io.catalog, args, io)?;
    Ok(Exit::Done)
}

/// Runs `iep log`.
fn run(catalog: &Catalog, args: &LogArgs, io: &mut Ctx<'_>) -> Result<()> {
    let case = io.need_case("log")?.clone();
    if !args.json && args.export.is_none() && args.record.is_none() {
        return timeline(catalog, args, io, &case);
    }
    let (records, damaged) = record::load_all(&case)?;
    warn_damaged(io.err, &damaged)?;
    if let Some(wanted) = &args.record {
        let r = record::find(&records, &damaged, wanted)?;
        let j = catalog.jurisdiction(&r.file.jurisdiction)?;
        return show(r, &j, io.today, io.lang, io.out);
    }
    let filter = Filter::new(catalog, args)?;
    let keep = |date: NaiveDate| filter.keeps_date(date);
    let shown: Vec<&Record> = records
        .iter()
        .filter(|r| filter.keeps(r.file.date, &r.file.letter))
        .collect();

    if args.json {
        let log = LogJson {
            version: 1,
            records: shown.iter().map(|r| to_json(r, io.today)).collect(),
        };
        serde_json::to_writer_pretty(&mut *io.out, &log)?;
        writeln!(io.out)?;
        return Ok(());
    }
    if let Some(format) = args.export {
        let profile = case.profile()?;
        let j = catalog.jurisdiction(&profile.jurisdiction()?)?;
        let (observations, bad) = observation::load_all(&case)?;
        warn_damaged(io.err, &bad)?;
        let observations: Vec<&Observation> = observations
            .iter()
            .filter(|o| keep(o.date) && filter.letters.is_empty())
            .collect();
        let events = chronology(&shown, &observations, &j, io.today);
        let child = profile.child_name().unwrap_or_default();
        let text = match format {
            ExportFormat::Md => markdown(&events, &j, &child, io.today),
            ExportFormat::Csv => csv(&events)?,
        };
        let ext = match format {
            ExportFormat::Md => "md",
            ExportFormat::Csv => "csv",
        };
        match args.output.as_deref() {
            Some(p) if p == std::path::Path::new("-") => io.out.write_all(text.as_bytes())?,
            other => {
                let path = match other {
                    Some(p) => {
                        let path = io.cwd.join(p);
                        crate::case::check_output(&path, args.force, "--output")?;
                        path
                    }
                    None => case.root.join(format!("chronology.{ext}")),
                };
                atomic::write(&path, text.as_bytes())?;
                writeln!(
                    io.err,
                    "{}",
                    fill(
                        io.lang.words().log.saved_chronology,
                        &[
                            ("n", &events.len().to_string()),
                            ("path", &path.display().to_string())
                        ]
                    )
                )?;
            }
        }
        return Ok(());
    }
    unreachable!("the timeline is printed by `timeline`")
}

/// The `--since`, `--until` and `--letter` filters (of `iep log` and `iep bundle`).
#[derive(Debug, Clone)]
pub struct Filter {
    /// From this day.
    pub since: Option<NaiveDate>,
    /// To this day.
    pub until: Option<NaiveDate>,
    /// Only these kinds of letter.
    pub letters: Vec<String>,
}

impl Filter {
    fn new(catalog: &Catalog, args: &LogArgs) -> Result<Self> {
        Self::from_flags(catalog, &args.since, &args.until, &args.letter)
    }

    /// Reads the flags: dates as parents type them, letter ids that exist, and a period that
    /// is not empty.
    pub fn from_flags(
        catalog: &Catalog,
        since: &Option<String>,
        until: &Option<String>,
        letters: &[String],
    ) -> Result<Self> {
        let day = |flag: &str, v: &Option<String>| -> Result<Option<NaiveDate>> {
            v.as_deref()
                .map(|t| {
                    parse_kind(t, DateKind::Letter).map_err(|e| anyhow::anyhow!("{flag}: {e}"))
                })
                .transpose()
        };
        let ids = catalog.letter_ids()?;
        for id in letters {
            if !ids.contains(id) {
                // A filter that can never match is almost always a typo: say so.
                catalog.letter(id)?;
            }
        }
        let filter = Filter {
            since: day("--since", since)?,
            until: day("--until", until)?,
            letters: letters.to_vec(),
        };
        if let (Some(s), Some(u)) = (filter.since, filter.until)
            && s > u
        {
            anyhow::bail!(
                "--since {s} is after --until {u}, so no day is in between. Swap them, or check the dates"
            );
        }
        Ok(filter)
    }

    /// Whether a day is in the period.
    pub fn keeps_date(&self, date: NaiveDate) -> bool {
        self.since.is_none_or(|s| date >= s) && self.until.is_none_or(|u| date <= u)
    }

    /// Whether a letter of that day and kind is kept.
    pub fn keeps(&self, date: NaiveDate, letter: &str) -> bool {
        self.keeps_date(date)
            && (self.letters.is_empty() || self.letters.iter().any(|l| l == letter))
    }
}

/// The timeline: one line per letter, from the index.
fn timeline(
    catalog: &Catalog,
    args: &LogArgs,
    io: &mut Ctx<'_>,
    case: &crate::case::Case,
) -> Result<()> {
    let filter = Filter::new(catalog, args)?;
    let (records, damaged) = record::summaries(case)?;
    warn_damaged(io.err, &damaged)?;
    let shown: Vec<&Summary> = records
        .iter()
        .filter(|r| filter.keeps(r.date, &r.letter))
        .collect();
    if shown.is_empty() {
        let w = &io.lang.words().log;
        writeln!(
            io.err,
            "{}",
            if records.is_empty() {
                w.none_yet
            } else {
                w.none_match
            }
        )?;
        return Ok(());
    }
    let width_id = shown.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let width_to = shown
        .iter()
        .map(|r| r.to.chars().count())
        .max()
        .unwrap_or(0);
    let mut text = String::with_capacity(shown.len() * 120);
    for r in &shown {
        let _ = writeln!(
            text,
            "{}  {:width_id$}  {:width_to$}  {}",
            r.date,
            r.id,
            r.to,
            status_line(r, io.today, io.lang),
        );
    }
    io.out.write_all(text.as_bytes())?;
    Ok(())
}

/// "reply received 2026-11-30", "overdue: reply was due 2026-12-07", "waiting: reply by …".
pub(crate) fn status_line(r: &Summary, today: NaiveDate, lang: Lang) -> String {
    let w = &lang.words().log;
    let day = |d: NaiveDate| super::day_in(lang, d, d.to_string());
    if r.replied {
        let received = match r.reply_date {
            Some(d) => fill(w.received_on, &[("date", &day(d))]),
            None => w.received.into(),
        };
        return match r.open_questions_in(lang) {
            Some(open) => fill(w.open, &[("received", &received), ("open", &open)]),
            None => received,
        };
    }
    match r.reply_by {
        Some(d) if d < today => fill(w.overdue, &[("date", &day(d))]),
        Some(d) => fill(
            w.reply_by,
            &[("status", r.status.name_in(lang)), ("date", &day(d))],
        ),
        None => r.status.name_in(lang).to_owned(),
    }
}

fn show(
    r: &Record,
    j: &Jurisdiction,
    today: NaiveDate,
    lang: Lang,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let w = &lang.words().log;
    let day = |d: NaiveDate| super::day_in(lang, d, j.format_date(d));
    let mut s = String::new();
    let _ = writeln!(s, "{}  {}", r.id, r.file.title);
    let _ = writeln!(s, "{}", fill(w.date, &[("date", &day(r.file.date))]));
    if let Some(subject) = &r.file.subject {
        let _ = writeln!(s, "{}", fill(w.subject, &[("subject", subject)]));
    }
    if !r.file.to.is_empty() {
        let _ = writeln!(s, "{}", fill(w.to, &[("to", &r.to_line())]));
    }
    if let Some(d) = r.reply_by() {
        let window = match r.file.reply_window.as_deref() {
            Some(window) if r.reply_by() != r.file.reply_by => {
                fill(w.counted_from_sent, &[("window", window)])
            }
            _ => r
                .file
                .reply_counted
                .as_deref()
                .or(r.file.reply_window.as_deref())
                .unwrap_or("")
                .to_owned(),
        };
        let _ = writeln!(
            s,
            "{}",
            fill(w.reply_by_line, &[("date", &day(d)), ("window", &window)])
        );
    }
    if let Some(f) = &r.file.follows {
        let _ = writeln!(s, "{}", fill(w.follows, &[("id", f)]));
    }
    let status = status_line(&Summary::of(r), today, lang);
    let _ = writeln!(s, "{}", fill(w.status, &[("status", &status)]));
    let _ = writeln!(s, "{}", fill(w.asked, &[("asked", &r.file.asked)]));
    if !r.file.asks.is_empty() {
        let _ = writeln!(s, "{}", w.questions);
        // After a reply, which of them it answered, so what is still open is plain.
        let reply = r.reply();
        for (i, a) in r.file.asks.iter().enumerate() {
            let mark = match reply {
                Some(e) if e.unanswered.contains(a) => w.not_answered,
                Some(e) if e.answered.contains(a) => w.answered,
                _ => "",
            };
            let _ = writeln!(s, "  {}. {a}{mark}", i + 1);
        }
    }
    let _ = writeln!(s, "{}", w.history);
    for e in &r.file.history {
        let _ = writeln!(
            s,
            "  {}  {}",
            e.at.format("%Y-%m-%d %H:%M"),
            event_line(e, j, lang)
        );
    }
    let path = r.dir.join(record::LETTER_FILE).display().to_string();
    let _ = writeln!(s, "{}", fill(w.letter, &[("path", &path)]));
    out.write_all(s.as_bytes())?;
    Ok(())
}

pub(crate) fn event_line(e: &Event, j: &Jurisdiction, lang: Lang) -> String {
    let w = &lang.words().log;
    let mut s = e.status.name_in(lang).to_owned();
    if let Some(d) = e.date {
        let date = super::day_in(lang, d, j.format_date(d));
        s.push_str(&fill(w.dated, &[("date", &date)]));
    }
    if let Some(from) = &e.from {
        s.push_str(&fill(w.from, &[("from", from)]));
    }
    if let Some(summary) = &e.summary {
        s.push_str(&fill(w.summary, &[("summary", summary)]));
    }
    if !e.answered.is_empty() || !e.unanswered.is_empty() {
        s.push_str(&fill(
            if e.answered.len() == 1 {
                w.answered_count_one
            } else {
                w.answered_count
            },
            &[
                ("n", &e.answered.len().to_string()),
                (
                    "total",
                    &(e.answered.len() + e.unanswered.len()).to_string(),
                ),
            ],
        ));
    }
    if let Some(note) = &e.note {
        s.push_str(&format!(" ({note})"));
    }
    s
}

/// `iep log --json`: stable for scripts. `version` changes only when a field is removed or
/// changes meaning; new fields may be added.
#[derive(Debug, serde::Serialize)]
pub struct LogJson<'a> {
    /// The shape's version: 1.
    pub version: u32,
    /// Every record shown, oldest first.
    pub records: Vec<RecordJson<'a>>,
}

/// One record in `iep log --json`.
#[derive(Debug, serde::Serialize)]
pub struct RecordJson<'a> {
    id: &'a str,
    letter: &'a str,
    title: &'a str,
    jurisdiction: &'a str,
    date: String,
    subject: Option<&'a str>,
    to: &'a [record::Person],
    cc: &'a [record::Person],
    asked: &'a str,
    asks: &'a [String],
    reply_by: Option<String>,
    follows: Option<&'a str>,
    status: record::Status,
    overdue: bool,
    reply: Option<EventJson<'a>>,
    history: Vec<EventJson<'a>>,
    path: std::path::PathBuf,
}

/// One history entry (written, sent, failed, a reply) in `iep log --json`.
#[derive(Debug, serde::Serialize)]
pub struct EventJson<'a> {
    at: String,
    status: record::Status,
    note: Option<&'a str>,
    date: Option<String>,
    from: Option<&'a str>,
    summary: Option<&'a str>,
    answered: &'a [String],
    unanswered: &'a [String],
}

impl<'a> EventJson<'a> {
    fn of(e: &'a Event) -> Self {
        EventJson {
            at: e.at.to_rfc3339(),
            status: e.status,
            note: e.note.as_deref(),
            date: e.date.map(|d| d.to_string()),
            from: e.from.as_deref(),
            summary: e.summary.as_deref(),
            answered: &e.answered,
            unanswered: &e.unanswered,
        }
    }
}

fn to_json(r: &Record, today: NaiveDate) -> RecordJson<'_> {
    RecordJson {
        id: &r.id,
        letter: &r.file.letter,
        title: &r.file.title,
        jurisdiction: &r.file.jurisdiction,
        date: r.file.date.to_string(),
        subject: r.file.subject.as_deref(),
        to: &r.file.to,
        cc: &r.file.cc,
        asked: &r.file.asked,
        asks: &r.file.asks,
        reply_by: r.reply_by().map(|d| d.to_string()),
        follows: r.file.follows.as_deref(),
        status: r.status(),
        overdue: r.overdue(today),
        reply: r.reply().map(EventJson::of),
        history: r.file.history.iter().map(EventJson::of).collect(),
        path: r.dir.join(record::LETTER_FILE),
    }
}

fn markdown(entries: &[Entry], j: &Jurisdiction, child: &str, today: NaiveDate) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace(['\n', '\r'], " ");
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Chronology{}",
        if child.is_empty() {
            String::new()
        } else {
            format!(": {child}")
        }
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Letters, replies and observations from the family's record, oldest first, as of {}. Each letter's full text is in the record named in the last column.",
        j.format_date(today)
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "| Date | What | Who | Details | Record |");
    let _ = writeln!(s, "|---|---|---|---|---|");
    for e in entries {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            j.format_date(e.date),
            cell(&e.what),
            cell(&e.who),
            cell(&e.details),
            cell(&e.record)
        );
    }
    s
}

fn csv(entries: &[Entry]) -> Result<String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(["date", "kind", "what", "who", "details", "record"])?;
    for e in entries {
        w.write_record([
            e.date.to_string().as_str(),
            e.kind,
            &e.what,
            &e.who,
            &e.details,
            &e.record,
        ])?;
    }
    String::from_utf8(w.into_inner().context("could not write the CSV")?)
        .context("the CSV is not UTF-8")
}
