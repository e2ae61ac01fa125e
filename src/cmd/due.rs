//! `iep due`: letters whose reply-by date has passed with no reply, oldest first, each with the
//! next step: the letter's own next letters and the next rung of the jurisdiction's ladder.

use anyhow::Result;

use super::{Ctx, Exit, warn_damaged};
use crate::case::record::{self, Summary};
use std::collections::BTreeMap;

use crate::catalog::{Catalog, Letter};
use crate::cli::DueArgs;
use crate::dates::{DateKind, parse_kind};
use crate::jurisdiction::{Jurisdiction, Rung};
use crate::lang::fill;

/// One suggested next letter.
#[derive(Debug, serde::Serialize)]
pub struct Step {
    pub(crate) letter: String,
    pub(crate) command: String,
    pub(crate) why: String,
    /// The record it follows up.
    #[serde(skip)]
    pub(crate) follows: String,
    /// The rung it goes to, for an escalation.
    #[serde(skip)]
    pub(crate) rung: Option<String>,
}

impl Step {
    /// The `iep write` this step runs, as the command line above says.
    fn write_args(&self) -> crate::cli::WriteArgs {
        crate::cli::WriteArgs {
            letter: Some(self.letter.clone()),
            follow_up: Some(self.follows.clone()),
            set: self.rung.iter().map(|r| format!("rung={r}")).collect(),
            ..Default::default()
        }
    }
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
    /// Letters whose reply left some of their questions unanswered, oldest first.
    pub open: Vec<OpenJson<'a>>,
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

/// One letter answered in part in `iep due --json`.
#[derive(Debug, serde::Serialize)]
pub struct OpenJson<'a> {
    id: &'a str,
    letter: &'a str,
    title: &'a str,
    date: String,
    to: &'a str,
    reply_date: Option<String>,
    questions: usize,
    unanswered: usize,
    next_rung: Option<RungJson<'a>>,
    next: &'a [Step],
}

/// The next office up the ladder.
#[derive(Debug, serde::Serialize)]
pub struct RungJson<'a> {
    id: &'a str,
    office: &'a str,
}

impl<'a> RungJson<'a> {
    fn of(rung: &'a Rung) -> Self {
        RungJson {
            id: &rung.id,
            office: &rung.office,
        }
    }
}

/// Runs `iep due`.
pub fn execute(args: &crate::cli::DueArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    run(io.catalog, args, io)?;
    Ok(Exit::Done)
}

/// A letter that needs the family, with what could come next.
struct Row<'a> {
    r: &'a Summary,
    rung: Option<&'a Rung>,
    steps: Vec<Step>,
}

/// Reads each letter definition once, however many records use it, and suggests next letters.
pub(crate) struct Suggest<'c> {
    catalog: &'c Catalog,
    letters: BTreeMap<String, Option<Letter>>,
}

impl<'c> Suggest<'c> {
    pub(crate) fn new(catalog: &'c Catalog) -> Self {
        Suggest {
            catalog,
            letters: BTreeMap::new(),
        }
    }

    fn letter(&mut self, id: &str) -> Option<&Letter> {
        let catalog = self.catalog;
        self.letters
            .entry(id.to_owned())
            .or_insert_with(|| catalog.letter(id).ok())
            .as_ref()
    }

    /// The next letters for `r`: its `next` when no reply came, its `next-after-reply` when a
    /// reply left questions open; never a letter that does not exist in `j`, and an escalation
    /// only when there is a rung above the one written to.
    pub(crate) fn steps(
        &mut self,
        r: &Summary,
        j: &Jurisdiction,
        rung: Option<&Rung>,
    ) -> Vec<Step> {
        // A letter since removed from the catalog still shows, with nothing to suggest.
        let next = match self.letter(&r.letter) {
            Some(l) if r.replied => l.next_after_reply.clone(),
            Some(l) => l.next.clone(),
            None => Vec::new(),
        };
        let mut steps = Vec::new();
        for letter in next {
            let Some(def) = self.letter(&letter) else {
                continue;
            };
            // Ontario's IPRC request is not suggested elsewhere.
            if !def.exists_for(&j.id) {
                continue;
            }
            let title = def.title.clone();
            steps.push(if letter == "escalation" {
                let Some(rung) = rung else { continue };
                Step {
                    command: format!(
                        "iep write escalation --follow-up {} --set rung={}",
                        r.id, rung.id
                    ),
                    why: format!("the next step up: {}", rung.office),
                    letter,
                    follows: r.id.clone(),
                    rung: Some(rung.id.clone()),
                }
            } else {
                let why = if letter == r.letter {
                    "ask again for what is still open".to_owned()
                } else {
                    title
                };
                Step {
                    command: format!("iep write {letter} --follow-up {}", r.id),
                    why,
                    letter,
                    follows: r.id.clone(),
                    rung: None,
                }
            });
        }
        steps
    }
}

/// What needs the family on a day, from the records' summaries.
pub(crate) struct Lists<'a> {
    /// Overdue with no reply and not followed up, the oldest reply-by date first.
    pub(crate) overdue: Vec<&'a Summary>,
    /// Answered in part and not followed up, oldest first.
    pub(crate) open: Vec<&'a Summary>,
    /// Overdue, but already followed up.
    pub(crate) superseded: Vec<&'a Summary>,
}

impl<'a> Lists<'a> {
    pub(crate) fn of(records: &'a [Summary], on: chrono::NaiveDate) -> Self {
        // Letters answered by a later follow-up are no longer waiting on the first.
        let followed: Vec<&str> = records
            .iter()
            .filter_map(|r| r.follows.as_deref())
            .collect();
        let mut overdue: Vec<&Summary> = records.iter().filter(|r| r.overdue(on)).collect();
        overdue.sort_by(|a, b| (a.reply_by, &a.id).cmp(&(b.reply_by, &b.id)));
        let (overdue, superseded): (Vec<&Summary>, Vec<&Summary>) = overdue
            .into_iter()
            .partition(|r| !followed.contains(&r.id.as_str()));
        // A reply that left questions unanswered leaves the letter open, until a follow-up.
        let mut open: Vec<&Summary> = records
            .iter()
            .filter(|r| r.answered_in_part() && !followed.contains(&r.id.as_str()))
            .collect();
        open.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        Lists {
            overdue,
            open,
            superseded,
        }
    }
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
    let Lists {
        overdue,
        open,
        superseded,
    } = Lists::of(&records, on);

    // The case's kind of school body writes Quebec's `{board}` in every office's name.
    let board_kind = case.profile().ok().and_then(|p| p.text("board_kind"));
    let mut jurisdictions = BTreeMap::new();
    for r in overdue.iter().chain(&open) {
        if !jurisdictions.contains_key(&r.jurisdiction) {
            jurisdictions.insert(
                r.jurisdiction.clone(),
                catalog
                    .jurisdiction(&r.jurisdiction)
                    .ok()
                    .map(|j| j.for_board_kind(board_kind.as_deref()).into_owned()),
            );
        }
    }
    // A record for a jurisdiction this run does not know (a misspelling, or one from a
    // --templates folder not given now) is named, and the others are still listed.
    let known = |r: &&Summary| jurisdictions[&r.jurisdiction].is_some();
    for r in overdue.iter().chain(&open).filter(|r| !known(r)) {
        let path = case.records_dir().join(&r.id).join(record::RECORD_FILE);
        writeln!(
            io.err,
            "{}",
            fill(
                io.lang.words().due.unknown_place,
                &[
                    ("path", &path.display().to_string()),
                    ("place", &r.jurisdiction)
                ]
            )
        )?;
    }
    let mut suggest = Suggest::new(catalog);
    let [overdue, open] = [overdue, open].map(|list| {
        list.into_iter()
            .filter_map(|r| {
                let j = jurisdictions[&r.jurisdiction].as_ref()?;
                let rung = r.to_role.as_deref().and_then(|role| j.rung_after(role));
                Some(Row {
                    r,
                    rung,
                    steps: suggest.steps(r, j, rung),
                })
            })
            .collect::<Vec<_>>()
    });

    if args.json {
        let due = DueJson {
            version: 1,
            on: on.to_string(),
            overdue: overdue
                .iter()
                .map(|Row { r, rung: g, steps }| OverdueJson {
                    id: &r.id,
                    letter: &r.letter,
                    title: &r.title,
                    date: r.date.to_string(),
                    to: &r.to,
                    reply_by: r.reply_by.map(|d| d.to_string()),
                    days_overdue: r.reply_by.map(|d| (on - d).num_days()),
                    next_rung: g.map(RungJson::of),
                    next: steps,
                })
                .collect(),
            open: open
                .iter()
                .map(|Row { r, rung: g, steps }| OpenJson {
                    id: &r.id,
                    letter: &r.letter,
                    title: &r.title,
                    date: r.date.to_string(),
                    to: &r.to,
                    reply_date: r.reply_date.map(|d| d.to_string()),
                    questions: r.asks,
                    unanswered: r.unanswered,
                    next_rung: g.map(RungJson::of),
                    next: steps,
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *io.out, &due)?;
        writeln!(io.out)?;
        return Ok(());
    }

    let lang = io.lang;
    let w = &lang.words().due;
    let out = &mut *io.out;
    if overdue.is_empty() {
        let on = super::day_in(lang, on, on.to_string());
        writeln!(out, "{}", fill(w.none_overdue, &[("on", &on)]))?;
    }
    for Row { r, steps, .. } in &overdue {
        let j = jurisdictions[&r.jurisdiction]
            .as_ref()
            .expect("listed rows are known");
        let due = r.reply_by.expect("overdue has a date");
        let days = (on - due).num_days();
        let ago = fill(
            if days == 1 { w.day } else { w.days },
            &[("n", &days.to_string())],
        );
        writeln!(
            out,
            "{}",
            fill(
                w.overdue,
                &[
                    ("id", &r.id),
                    ("title", &r.title),
                    ("to", &r.to),
                    ("due", &super::day_in(lang, due, j.format_date(due))),
                    ("ago", &ago),
                ]
            )
        )?;
        writeln!(out, "{}", fill(w.if_reply, &[("id", &r.id)]))?;
        for s in steps {
            let why = why_in(catalog, s, r, lang);
            writeln!(
                out,
                "{}",
                fill(w.next, &[("why", &why), ("command", &s.command)])
            )?;
        }
        writeln!(out)?;
    }
    for Row { r, steps, .. } in &open {
        let j = jurisdictions[&r.jurisdiction]
            .as_ref()
            .expect("listed rows are known");
        let of = r
            .reply_date
            .map(|d| {
                fill(
                    w.reply_of,
                    &[("date", &super::day_in(lang, d, j.format_date(d)))],
                )
            })
            .unwrap_or_default();
        let open_questions = r
            .open_questions_in(lang)
            .expect("open rows have open questions");
        writeln!(
            out,
            "{}",
            fill(
                w.open,
                &[
                    ("id", &r.id),
                    ("title", &r.title),
                    ("to", &r.to),
                    ("of", &of),
                    ("open", &open_questions),
                ]
            )
        )?;
        for s in steps {
            let why = why_in(catalog, s, r, lang);
            writeln!(
                out,
                "{}",
                fill(w.next, &[("why", &why), ("command", &s.command)])
            )?;
        }
        writeln!(out)?;
    }
    if !superseded.is_empty() {
        let ids = superseded
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let text = if superseded.len() == 1 {
            w.not_listed_one
        } else {
            w.not_listed_many
        };
        writeln!(
            out,
            "{}",
            fill(text, &[("n", &superseded.len().to_string()), ("ids", &ids)])
        )?;
    }
    let waiting: Vec<&Summary> = records
        .iter()
        .filter(|r| !r.replied && r.reply_by.is_some_and(|d| d >= on))
        .collect();
    if let Some(next) = waiting.iter().filter_map(|r| r.reply_by).min() {
        let text = if waiting.len() == 1 {
            w.waiting_one
        } else {
            w.waiting_many
        };
        let next = super::day_in(lang, next, next.to_string());
        writeln!(
            out,
            "{}",
            fill(text, &[("n", &waiting.len().to_string()), ("date", &next)])
        )?;
    }
    offer_to_write(catalog, overdue.iter().chain(&open), io)
}

/// At a terminal, offers to write one of the suggested letters now, rather than leaving a
/// command to copy. Nothing is written unless the parent picks one.
fn offer_to_write<'a>(
    catalog: &Catalog,
    rows: impl Iterator<Item = &'a Row<'a>>,
    io: &mut Ctx<'_>,
) -> Result<()> {
    let lang = io.lang;
    let w = &lang.words().due;
    let steps: Vec<(&Step, String)> = rows
        .flat_map(|row| {
            row.steps
                .iter()
                .map(|s| (s, why_in(catalog, s, row.r, lang)))
        })
        .collect();
    let Some(prompter) = io.prompter.as_deref_mut() else {
        return Ok(());
    };
    if steps.is_empty() {
        return Ok(());
    }
    let mut items = vec![w.not_now.to_owned()];
    items.extend(steps.iter().map(|(s, why)| {
        fill(
            w.following_up,
            &[("why", &capitalised(why)), ("id", &s.follows)],
        )
    }));
    let prompt = crate::prompt::Prompt {
        text: w.offer.into(),
        help: Some(w.offer_help.into()),
        ..Default::default()
    };
    let picked = prompter.select(&prompt, &items, 0)?;
    if picked == 0 {
        return Ok(());
    }
    let args = steps[picked - 1].0.write_args();
    super::write::execute(&args, io).map(|_| ())
}

/// Why a step is suggested, in `lang`: the step's own words in English (as `--json` gives
/// them); in another language, the next office's name, the letter's title or "ask again" in it.
pub(crate) fn why_in(catalog: &Catalog, s: &Step, r: &Summary, lang: crate::lang::Lang) -> String {
    if lang == crate::lang::Lang::En {
        return s.why.clone();
    }
    let w = &lang.words().due;
    if let Some(rung) = &s.rung {
        let office = catalog
            .jurisdiction_in(&r.jurisdiction, lang)
            .ok()
            .and_then(|j| {
                let j = j.for_board_kind(None);
                j.ladder
                    .iter()
                    .find(|g| &g.id == rung)
                    .map(|g| g.office.clone())
            });
        return match office {
            Some(office) => fill(w.why_up, &[("office", &office)]),
            None => s.why.clone(),
        };
    }
    if s.letter == r.letter {
        return w.why_again.to_owned();
    }
    catalog
        .letter_in(&s.letter, lang)
        .map_or_else(|_| s.why.clone(), |l| l.title)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
