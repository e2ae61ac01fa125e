//! `iep reply RECORD`: a reply to a recorded letter, added to its history.

use anyhow::{Result, bail};

use super::{Ctx, Exit, fill_form, warn_damaged};
use crate::answers::Value;
use crate::case::record::{self, Event, Status};
use crate::catalog::question::Choice;
use crate::catalog::{Catalog, REPLY_FORM};
use crate::cli::ReplyArgs;

/// Runs `iep reply`.
pub fn execute(args: &crate::cli::ReplyArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    run(io.catalog, args, io)?;
    Ok(Exit::Done)
}

/// Runs `iep reply`.
fn run(catalog: &Catalog, args: &ReplyArgs, io: &mut Ctx<'_>) -> Result<()> {
    let case = io.need_case("reply")?.clone();
    let (records, damaged) = record::load_all(&case)?;
    warn_damaged(io.err, &damaged)?;
    let wanted = match &args.record {
        Some(w) => w.clone(),
        None => {
            // No letter named: at a terminal, pick from those waiting for a reply.
            let waiting: Vec<&record::Record> =
                records.iter().filter(|r| r.reply().is_none()).collect();
            let Some(p) = io.prompter.as_deref_mut() else {
                bail!(
                    "which letter is the reply to? Name it: iep reply <record>. `iep log` lists the letters and their ids."
                );
            };
            if waiting.is_empty() {
                bail!("no letter in this case is waiting for a reply. `iep log` lists them all.");
            }
            let labels: Vec<String> = waiting
                .iter()
                .map(|r| format!("{}: {}", r.id, r.to_line()))
                .collect();
            let i = p.select(
                &crate::prompt::Prompt {
                    text: "Which letter is the reply to?".into(),
                    help: Some("Use the arrow keys, then press Enter.".into()),
                    ..crate::prompt::Prompt::default()
                },
                &labels,
                0,
            )?;
            waiting[i].id.clone()
        }
    };
    let r = record::find(&records, &damaged, &wanted)?;
    let jurisdiction = catalog.jurisdiction(&r.file.jurisdiction)?;
    let form = reply_form(catalog, r)?;
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
                    bail!(
                        "--answered: \"{n}\" is not one of the letter's questions. It asked {} (numbered 1 to {}; `iep log {}` shows them). Give their numbers, such as 1,3, or all or none.",
                        asks.len(),
                        asks.len(),
                        r.id
                    );
                }
            }
            sets.push(("answered".into(), list.to_owned()))
        }
    }
    let mut prompter = io.prompter.take();
    if let Some(p) = prompter.as_deref_mut() {
        let mut about = format!(
            "A reply to {} ({}), dated {}, to {}. It asked:",
            r.id,
            r.file.title,
            jurisdiction.format_date(r.file.date),
            r.to_line()
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
    record_reply(catalog, &case, r, &answers, io.today, io.now, io.err)
}

/// The reply form for record `r`: `letters/reply.toml` with the letter's own questions to pick
/// from and a reply's range of dates.
pub(crate) fn reply_form(catalog: &Catalog, r: &record::Record) -> Result<crate::catalog::Letter> {
    let mut form = catalog.form(REPLY_FORM)?;
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

/// Adds the reply, given as the reply form's answers, to `r`'s history, and says on `err` what
/// was recorded and what is still open.
pub(crate) fn record_reply(
    catalog: &Catalog,
    case: &crate::case::Case,
    r: &record::Record,
    answers: &[(String, Value)],
    today: chrono::NaiveDate,
    now: chrono::DateTime<chrono::FixedOffset>,
    err: &mut dyn std::io::Write,
) -> Result<()> {
    let asks = &r.file.asks;
    let get = |key: &str| answers.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let date = match get("date") {
        Some(Value::Date(d)) => *d,
        _ => today,
    };
    if date < r.file.date {
        bail!(
            "the reply is dated {date}, before the letter it answers ({}). Check the date, or the record: iep log {}",
            r.file.date,
            r.id
        );
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
    writeln!(err, "Recorded the reply to {}.", r.id)?;
    if let Some(earlier) = r.reply() {
        writeln!(
            err,
            "It already had a reply{}; both are kept, and the newer one is shown in the log.",
            earlier
                .date
                .map(|d| format!(", dated {d}"))
                .unwrap_or_default()
        )?;
    }
    if !event.unanswered.is_empty() {
        writeln!(
            err,
            "It left {} of {} questions unanswered:",
            event.unanswered.len(),
            asks.len()
        )?;
        for a in &event.unanswered {
            writeln!(err, "  - {a}")?;
        }
        // The letter stays open; what could come next is what `iep due` suggests for it.
        if let Ok(j) = catalog.jurisdiction(&r.file.jurisdiction) {
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
                writeln!(
                    err,
                    "The letter stays open in `iep due` until you follow it up. What could come next:"
                )?;
            }
            for s in steps {
                writeln!(err, "  {}: {}", s.why, s.command)?;
            }
        }
    }
    Ok(())
}
