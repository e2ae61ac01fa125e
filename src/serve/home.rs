//! The home page: the child, what is overdue and what is waiting (as `iep due` counts them),
//! unfinished letters, the last letters and replies, and the letters to write, each with when to
//! use it; packs' letters under their organisation's name.

use anyhow::Result;
use serde::Serialize;

use super::App;
use super::http::{Request, Response};
use super::letter::{self, Offer};
use crate::answers::AnswersFile;
use crate::case::record::{self, Summary};
use crate::cmd::due::{Lists, Suggest};
use crate::cmd::log;

#[derive(Debug, Serialize)]
struct Step {
    why: String,
    /// Where the page writes it.
    href: String,
}

#[derive(Debug, Serialize)]
struct Line {
    id: String,
    title: String,
    to: String,
    date: String,
    line: String,
    next: Vec<Step>,
}

#[derive(Debug, Serialize)]
struct Pack {
    organisation: String,
    letters: Vec<Offer>,
}

#[derive(Debug, Serialize)]
struct Draft {
    slug: String,
    title: String,
}

#[derive(Debug, Serialize)]
struct Home {
    school: Option<String>,
    place: String,
    flash: Vec<String>,
    overdue: Vec<Line>,
    open: Vec<Line>,
    waiting: Vec<Line>,
    drafts: Vec<Draft>,
    recent: Vec<Line>,
    letters: Vec<Offer>,
    packs: Vec<Pack>,
}

/// `GET /`.
pub(super) fn page(app: &App<'_>, req: &Request) -> Result<Response> {
    let w = app.words();
    let profile = app.case.profile()?;
    // Dates and terms in the page's language, as the commands give them.
    let j = crate::cmd::jurisdiction_for(app.catalog, &profile.jurisdiction()?, app.lang)?;
    let (today, _) = app.clock()?;
    let (records, _) = record::summaries(&app.case)?;
    let lists = Lists::of(&records, today);
    let mut suggest = Suggest::new(app.catalog);
    let line = |r: &Summary, text: String, next: Vec<Step>| Line {
        id: r.id.clone(),
        title: r.title.clone(),
        to: r.to.clone(),
        date: j.format_date(r.date),
        line: text,
        next,
    };
    // As `iep due` says them: the next office named with the case's kind of school body, and
    // the reasons in the page's language.
    let board_kind = profile.text("board_kind");
    let mut steps = |r: &Summary| -> Vec<Step> {
        let Ok(rj) = app.catalog.jurisdiction(&r.jurisdiction) else {
            return Vec::new();
        };
        let rj = rj.for_board_kind(board_kind.as_deref());
        let rung = r.to_role.as_deref().and_then(|role| rj.rung_after(role));
        suggest
            .steps(r, &rj, rung)
            .into_iter()
            .map(|s| Step {
                why: crate::cmd::due::why_in(app.catalog, &s, r, app.lang),
                href: letter::follow_up(&s.letter, &s.follows, s.rung.as_deref()),
            })
            .collect()
    };
    let overdue = lists
        .overdue
        .iter()
        .map(|r| {
            let due = r.reply_by.expect("overdue has a date");
            let days = (today - due).num_days();
            let text = crate::lang::fill(
                if days == 1 {
                    w.overdue_one
                } else {
                    w.overdue_many
                },
                &[("due", &j.format_date(due)), ("days", &days.to_string())],
            );
            line(r, text, steps(r))
        })
        .collect();
    let open = lists
        .open
        .iter()
        .map(|r| {
            let text = crate::lang::fill(
                w.still_open,
                &[("open", &r.open_questions().unwrap_or_default())],
            );
            line(r, text, steps(r))
        })
        .collect();
    let waiting = records
        .iter()
        .filter(|r| !r.replied && r.reply_by.is_some_and(|d| d >= today))
        .map(|r| {
            let by = r.reply_by.expect("filtered");
            line(
                r,
                crate::lang::fill(w.reply_by, &[("date", &j.format_date(by))]),
                Vec::new(),
            )
        })
        .collect();
    let mut recent: Vec<&Summary> = records.iter().collect();
    recent.sort_by(|a, b| (b.date, &b.id).cmp(&(a.date, &a.id)));
    let recent = recent
        .into_iter()
        .take(6)
        .map(|r| line(r, log::status_line(r, today, app.lang), Vec::new()))
        .collect();
    let (letters, packs) = letter::offers(app.catalog, &j.id, app.lang)?;
    let mut flash = Vec::new();
    if req.query("done") == Some("observation") {
        flash.push(w.observation_kept.to_owned());
    }
    let data = Home {
        school: profile.text("school_name"),
        place: j.name.clone(),
        flash,
        overdue,
        open,
        waiting,
        drafts: drafts(app, &letters, &packs),
        recent,
        letters,
        packs: packs
            .into_iter()
            .map(|(organisation, letters)| Pack {
                organisation,
                letters,
            })
            .collect(),
    };
    app.render(200, "home.html", &data)
}

/// The letters with answers kept in `drafts/`, by the letter each file says it is for.
fn drafts(app: &App<'_>, letters: &[Offer], packs: &[letter::PackOffers]) -> Vec<Draft> {
    let Ok(entries) = std::fs::read_dir(app.case.drafts_dir()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.to_string_lossy().ends_with(".answers.toml") {
            continue;
        }
        let Some(id) = AnswersFile::load(&path).ok().and_then(|f| f.meta.letter) else {
            continue;
        };
        let slug = letter::slug(&id);
        let offered = letters
            .iter()
            .chain(packs.iter().flat_map(|(_, l)| l))
            .find(|o| o.slug == slug);
        if let Some(o) = offered {
            out.push(Draft {
                slug,
                title: o.title.clone(),
            });
        }
    }
    out.sort_by(|a, b| a.title.cmp(&b.title));
    out
}
