//! `iep due`: letters whose reply-by date has passed with no reply, oldest first, each with the
//! next step: the letter's own next letters and the next rung of the jurisdiction's ladder.

use anyhow::Result;

use super::{Ctx, Exit, warn_damaged};
use crate::case::record::{self, Summary};
use crate::catalog::Catalog;
use crate::cli::DueArgs;
use crate::dates::{DateKind, parse_kind};

/// One suggested next letter.
#[derive(Debug, serde::Serialize)]
pub struct Step {
    letter: String,
    command: String,
    why: String,
}

/// `iep due --json`: stable for scripts. `version` changes only when a field is removed or
/// changes meaning; new fields may be added.
#[derive(Debug, serde::Serialize)]
pub struct DueJson<'a> {
    /// The shape's version: 1.
    pub version: u32,
    /// The day overdue is counted on.
    pub on: String,
    /// Letters whose reply is overdue, the oldest reply-by date first.
    pub overdue: Vec<OverdueJson<'a>>,
}

/// One overdue letter in `iep due --json`.
#[derive(Debug, serde::Serialize)]
pub struct OverdueJson<'a> {
    id: &'a str,
    letter: &'a str,
    title: &'a str,
    date: String,
    to: &'a str,
    reply_by: Option<String>,
    days_overdue: Option<i64>,
    next_rung: Option<RungJson<'a>>,
    next: &'a [Step],
}

/// The next office up the ladder.
#[derive(Debug, serde::Serialize)]
pub struct RungJson<'a> {
    id: &'a str,
    office: &'a str,
}

/// Runs `iep due`.
pub fn execute(args: &crate::cli::DueArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    run(io.catalog, args, io)?;
    Ok(Exit::Done)
}

/// Runs `iep due`.
fn run(catalog: &Catalog, args: &DueArgs, io: &mut Ctx<'_>) -> Result<()> {
    let case = io.need_case("due")?.clone();
    let on = match &args.on {
        Some(t) => parse_kind(t, DateKind::Letter).map_err(|e| anyhow::anyhow!("--on: {e}"))?,
        None => io.today,
    };
    let (records, damaged) = record::summaries(&case)?;
    warn_damaged(io.err, &damaged)?;
    let mut overdue: Vec<&Summary> = records.iter().filter(|r| r.overdue(on)).collect();
    overdue.sort_by(|a, b| (a.reply_by, &a.id).cmp(&(b.reply_by, &b.id)));
    // Letters answered by a later follow-up are no longer waiting on the first.
    let followed: Vec<&str> = records
        .iter()
        .filter_map(|r| r.follows.as_deref())
        .collect();
    let (overdue, superseded): (Vec<&Summary>, Vec<&Summary>) = overdue
        .into_iter()
        .partition(|r| !followed.contains(&r.id.as_str()));

    let mut jurisdictions = std::collections::BTreeMap::new();
    let mut unknown = Vec::new();
    for r in &overdue {
        if !jurisdictions.contains_key(&r.jurisdiction) && !unknown.contains(&r.jurisdiction) {
            match catalog.jurisdiction(&r.jurisdiction) {
                Ok(j) => {
                    jurisdictions.insert(r.jurisdiction.clone(), j);
                }
                Err(_) => unknown.push(r.jurisdiction.clone()),
            }
        }
    }
    // A record for a jurisdiction this run does not know (a misspelling, or one from a
    // --templates folder not given now) is named, and the others are still listed.
    let (overdue, unreadable): (Vec<&Summary>, Vec<&Summary>) = overdue
        .into_iter()
        .partition(|r| jurisdictions.contains_key(&r.jurisdiction));
    for r in unreadable {
        writeln!(
            io.err,
            "iep: warning: {} names the jurisdiction \"{}\", which iep does not know here, so it is left out. Fix the name, or pass the --templates folder it came from.",
            case.records_dir()
                .join(&r.id)
                .join(record::RECORD_FILE)
                .display(),
            r.jurisdiction
        )?;
    }
    // Each letter definition is read once, however many records use it.
    let mut letters = std::collections::BTreeMap::new();
    let mut titles: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    // Which jurisdictions each next letter exists for (every one when empty), read once.
    let mut exists: std::collections::BTreeMap<String, Vec<String>> =
        std::collections::BTreeMap::new();
    let mut rows = Vec::new();
    for r in &overdue {
        let j = &jurisdictions[&r.jurisdiction];
        let next: Vec<String> = match letters.get(&r.letter) {
            Some(n) => Vec::clone(n),
            None => {
                // A letter since removed from the catalog still shows as overdue.
                let n = catalog
                    .letter(&r.letter)
                    .map(|l| l.next)
                    .unwrap_or_default();
                letters.insert(r.letter.clone(), n.clone());
                n
            }
        };
        let rung = r.to_role.as_deref().and_then(|role| j.rung_after(role));
        let mut steps = Vec::new();
        for letter in &next {
            // A next letter that does not exist where this case is (Ontario's IPRC request
            // elsewhere) is not suggested.
            let only = exists.entry(letter.clone()).or_insert_with(|| {
                catalog
                    .letter(letter)
                    .map(|l| l.jurisdictions)
                    .unwrap_or_default()
            });
            if !only.is_empty() && !only.contains(&j.id) {
                continue;
            }
            let step = if letter == "escalation" {
                let Some(rung) = rung else { continue };
                Step {
                    letter: letter.clone(),
                    command: format!(
                        "iep write escalation --follow-up {} --set rung={}",
                        r.id, rung.id
                    ),
                    why: format!("the next step up: {}", rung.office),
                }
            } else {
                Step {
                    letter: letter.clone(),
                    command: format!("iep write {letter} --follow-up {}", r.id),
                    why: match titles.get(letter) {
                        Some(t) => Clone::clone(t),
                        None => {
                            let t = catalog.letter(letter).map(|l| l.title).unwrap_or_default();
                            titles.insert(letter.clone(), t.clone());
                            t
                        }
                    },
                }
            };
            steps.push(step);
        }
        rows.push((
            r,
            j.format_date(r.reply_by.expect("overdue has a date")),
            steps,
            rung,
        ));
    }

    if args.json {
        let due = DueJson {
            version: 1,
            on: on.to_string(),
            overdue: rows
                .iter()
                .map(|(r, _, steps, rung)| OverdueJson {
                    id: &r.id,
                    letter: &r.letter,
                    title: &r.title,
                    date: r.date.to_string(),
                    to: &r.to,
                    reply_by: r.reply_by.map(|d| d.to_string()),
                    days_overdue: r.reply_by.map(|d| (on - d).num_days()),
                    next_rung: rung.map(|g| RungJson {
                        id: &g.id,
                        office: &g.office,
                    }),
                    next: steps,
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *io.out, &due)?;
        writeln!(io.out)?;
        return Ok(());
    }

    let out = &mut *io.out;
    if rows.is_empty() {
        writeln!(out, "No reply is overdue as of {on}.")?;
    }
    for (r, by, steps, _) in &rows {
        let days = (on - r.reply_by.expect("overdue has a date")).num_days();
        writeln!(
            out,
            "{}  {}, to {}\n  The reply was due {by}: {days} day{} ago, and none is recorded.",
            r.id,
            r.title,
            r.to,
            if days == 1 { "" } else { "s" }
        )?;
        writeln!(out, "  If a reply came: iep reply {}", r.id)?;
        for s in steps {
            writeln!(out, "  Next ({}): {}", s.why, s.command)?;
        }
        writeln!(out)?;
    }
    if !superseded.is_empty() {
        writeln!(
            out,
            "Not listed: {} overdue letter{} already followed up ({}).",
            superseded.len(),
            if superseded.len() == 1 { "" } else { "s" },
            superseded
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    let waiting: Vec<&Summary> = records
        .iter()
        .filter(|r| !r.replied && r.reply_by.is_some_and(|d| d >= on))
        .collect();
    if let Some(next) = waiting.iter().filter_map(|r| r.reply_by).min() {
        writeln!(
            out,
            "Waiting: {} letter{} within the reply time; the next reply is due {next}.",
            waiting.len(),
            if waiting.len() == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}
