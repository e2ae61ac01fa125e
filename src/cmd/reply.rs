//! `iep reply RECORD`: a reply to a recorded letter, added to its history.

use anyhow::{Result, bail};

use super::{Ctx, Exit, fill_form, warn_damaged};
use crate::answers::Value;
use crate::case::record::{self, Event, Status};
use crate::catalog::question::Choice;
use crate::catalog::{Catalog, REPLY_FORM};
use crate::cli::ReplyArgs;
use crate::lang::{Lang, fill};

/// Runs `iep reply`.
pub fn execute(args: &crate::cli::ReplyArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    run(io.catalog, args, io)?;
    Ok(Exit::Done)
}

/// Runs `iep reply`.
fn run(catalog: &Catalog, args: &ReplyArgs, io: &mut Ctx<'_>) -> Result<()> {
    let case = io.need_case("reply")?.clone();
    let lang = io.lang;
    let w = &lang.words().reply;
    let (records, damaged) = record::load_all(&case)?;
    warn_damaged(io.err, &damaged)?;
    let wanted = match &args.record {
        Some(w) => w.clone(),
        None => {
            // No letter named: at a terminal, pick from those waiting for a reply.
            let waiting: Vec<&record::Record> =
                records.iter().filter(|r| r.reply().is_none()).collect();
            let Some(p) = io.prompter.as_deref_mut() else {
                bail!(w.which_no_terminal);
            };
            if waiting.is_empty() {
                bail!(w.none_waiting);
            }
            let labels: Vec<String> = waiting
                .iter()
                .map(|r| format!("{}: {}", r.id, r.to_line()))
                .collect();
            let i = p.select(
                &crate::prompt::Prompt {
                    text: w.which.into(),
                    help: Some(w.which_help.into()),
                    ..crate::prompt::Prompt::default()
                },
                &labels,
                0,
            )?;
            waiting[i].id.clone()
        }
    };
    let r = record::find(&records, &damaged, &wanted)?;
    let jurisdiction = super::jurisdiction_for(catalog, &r.file.jurisdiction, io.lang)?;
    let form = reply_form(catalog, r, io.lang)?;
    let asks = &r.file.asks;
    let date = io.date.map(|d| d.to_string());
    let mut sets = super::flag_sets(&[
        ("date", &date),
        ("from", &args.from),
        ("summary", &args.summary),
    ]);
    match args.answered.as_deref().map(str::trim) {
        Some("all") => sets.push((
            "answered".into(),
            (1..=asks.len())
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(","),
        )),
        Some("none") | None => {}
        Some(list) => {
            for n in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                if !n
                    .parse::<usize>()
                    .is_ok_and(|n| (1..=asks.len()).contains(&n))
                {
                    bail!(fill(
                        w.bad_answered,
                        &[("n", n), ("asks", &asks.len().to_string()), ("id", &r.id)]
                    ));
                }
            }
            sets.push(("answered".into(), list.to_owned()))
        }
    }
    let mut prompter = io.prompter.take();
    if let Some(p) = prompter.as_deref_mut() {
        let date = super::day_in(lang, r.file.date, jurisdiction.format_date(r.file.date));
        let mut about = fill(
            w.about,
            &[
                ("id", &r.id),
                ("title", &r.file.title),
                ("date", &date),
                ("to", &r.to_line()),
            ],
        );
        for (i, a) in asks.iter().enumerate() {
            about.push_str(&format!("\n  {}. {a}", i + 1));
        }
        p.note(&about);
    }
    let answers = fill_form(
        &form,
        &jurisdiction,
        io.today,
        super::FormStart {
            preset: None,
            sets: &sets,
            flags: !sets.is_empty(),
            keep: None,
        },
        prompter,
    )?;
    record_reply(catalog, &case, r, &answers, io.today, io.now, lang, io.err)
}

/// The reply form for record `r`: `letters/reply.toml` with the letter's own questions to pick
/// from and a reply's range of dates.
pub(crate) fn reply_form(
    catalog: &Catalog,
    r: &record::Record,
    lang: Lang,
) -> Result<crate::catalog::Letter> {
    let mut form = catalog.form_in(REPLY_FORM, lang)?;
    for q in &mut form.questions {
        if q.key == "date" {
            q.dates = crate::dates::DateKind::Reply;
        }
        if q.key == "answered" {
            q.choices = r
                .file
                .asks
                .iter()
                .enumerate()
                .map(|(i, a)| Choice {
                    value: (i + 1).to_string(),
                    label: a.clone(),
                })
                .collect();
        }
    }
    Ok(form)
}

/// Adds the reply, given as the reply form's answers, to `r`'s history, and says on `err` (in
/// `lang`) what was recorded and what is still open.
#[allow(clippy::too_many_arguments)] // what a reply is recorded with: each is needed, none derived
pub(crate) fn record_reply(
    catalog: &Catalog,
    case: &crate::case::Case,
    r: &record::Record,
    answers: &[(String, Value)],
    today: chrono::NaiveDate,
    now: chrono::DateTime<chrono::FixedOffset>,
    lang: Lang,
    err: &mut dyn std::io::Write,
) -> Result<()> {
    let w = &lang.words().reply;
    let asks = &r.file.asks;
    let get = |key: &str| answers.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let date = match get("date") {
        Some(Value::Date(d)) => *d,
        _ => today,
    };
    if date < r.file.date {
        bail!(fill(
            w.before_letter,
            &[
                ("date", &super::day_in(lang, date, date.to_string())),
                (
                    "letter",
                    &super::day_in(lang, r.file.date, r.file.date.to_string())
                ),
                ("id", &r.id),
            ]
        ));
    }
    let picked: Vec<usize> = match get("answered") {
        Some(Value::List(l)) => l.iter().filter_map(|n| n.parse::<usize>().ok()).collect(),
        _ => Vec::new(),
    };
    let mut event = Event::new(now, Status::Reply);
    event.date = Some(date);
    event.from = match get("from") {
        Some(Value::Text(t)) => Some(t.clone()),
        _ => None,
    };
    event.summary = match get("summary") {
        Some(Value::Text(t)) => Some(t.clone()),
        _ => None,
    };
    for (i, a) in asks.iter().enumerate() {
        if picked.contains(&(i + 1)) {
            event.answered.push(a.clone());
        } else {
            event.unanswered.push(a.clone());
        }
    }
    record::append(case, r, &event)?;
    writeln!(err, "{}", fill(w.recorded, &[("id", &r.id)]))?;
    if let Some(earlier) = r.reply() {
        let dated = earlier
            .date
            .map(|d| fill(w.dated, &[("date", &super::day_in(lang, d, d.to_string()))]))
            .unwrap_or_default();
        writeln!(err, "{}", fill(w.already, &[("dated", &dated)]))?;
    }
    if !event.unanswered.is_empty() {
        writeln!(
            err,
            "{}",
            fill(
                w.left,
                &[
                    ("n", &event.unanswered.len().to_string()),
                    ("total", &asks.len().to_string())
                ]
            )
        )?;
        for a in &event.unanswered {
            writeln!(err, "  - {a}")?;
        }
        // The letter stays open; what could come next is what `iep due` suggests for it.
        if let Ok(j) = catalog.jurisdiction(&r.file.jurisdiction) {
            let kind = case.profile().ok().and_then(|p| p.text("board_kind"));
            let j = j.for_board_kind(kind.as_deref());
            let mut now = record::Summary::of(r);
            now.replied = true;
            now.unanswered = event.unanswered.len();
            let rung = r
                .file
                .to_role
                .as_deref()
                .and_then(|role| j.rung_after(role));
            let steps = super::due::Suggest::new(catalog).steps(&now, &j, rung);
            if !steps.is_empty() {
                writeln!(err, "{}", w.stays_open)?;
            }
            for s in &steps {
                let why = super::due::why_in(catalog, s, &now, lang);
                writeln!(
                    err,
                    "{}",
                    fill(w.step, &[("why", &why), ("command", &s.command)])
                )?;
            }
        }
    }
    Ok(())
}
