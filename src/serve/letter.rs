//! Writing a letter in the page: the engine's questions one per page, Back, the review with a
//! change link beside every answer, the letter exactly as it will be saved, and Save, which
//! records it as `iep write` does in a case.
//!
//! The interview is built again for each request from the case and the draft in `drafts/`
//! (answers kept after every page, the same file `iep write` goes on from).

use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use super::App;
use super::control::{self, Go, Typed};
use super::http::{Request, Response};
use crate::answers::{self, AnswersFile, Meta};
use crate::calendar::Calendar;
use crate::case::context::CaseInputs;
use crate::case::record;
use crate::catalog::{Catalog, Letter};
use crate::cmd::keeper;
use crate::cmd::write::{draft_name, email_version};
use crate::interview::{Interview, Screen};
use crate::jurisdiction::Jurisdiction;
use crate::lang::{Chosen, Lang, fill};
use crate::render::Renderer;

/// A letter's id as it stands in an address: `pack/letter` as `pack:letter`.
pub(super) fn slug(id: &str) -> String {
    id.replace('/', ":")
}

/// The address of a follow-up to record `follows` (`iep write LETTER --follow-up RECORD`):
/// `LETTER@RECORD`, and the rung an escalation goes to, given once at the start.
pub(super) fn follow_up(letter: &str, follows: &str, rung: Option<&str>) -> String {
    let mut to = format!("/write/{}@{follows}", slug(letter));
    if let Some(rung) = rung {
        to.push_str(&format!("?rung={}", super::http::escape(rung)));
    }
    to
}

/// Everything one letter's interview is built from.
struct Setup<'c> {
    letter: Letter,
    jurisdiction: Jurisdiction,
    renderer: Renderer,
    calendar: Calendar,
    inputs: CaseInputs<'c>,
    date: NaiveDate,
    draft: PathBuf,
    /// The letter as its address names it: `letter`, `pack:letter`, or `letter@RECORD` for a
    /// follow-up.
    slug: String,
}

/// The letter named in an address, set up as `iep write` sets it up in a case; `None` when the
/// catalog has no such letter.
fn setup<'c>(app: &'c App<'_>, slug: &str) -> Result<Option<Setup<'c>>> {
    let (letter_part, follows) = match slug.split_once('@') {
        Some((l, r)) => (l, Some(r)),
        None => (slug, None),
    };
    let wanted = letter_part.replace(':', "/");
    // The letter followed up is a record of this case, named exactly.
    if let Some(id) = follows
        && !record::load_all(&app.case)?.0.iter().any(|r| r.id == id)
    {
        return Ok(None);
    }
    let known = app.catalog.letter_ids()?.contains(&wanted)
        || app
            .catalog
            .pack_letters()?
            .iter()
            .any(|(p, id)| format!("{p}/{id}") == wanted);
    if !known {
        return Ok(None);
    }
    let (catalog, letter_id, pack) = app.catalog.resolve(&wanted)?;
    // As `iep write` chooses: a language chosen on purpose is kept (or refused with the
    // reason); one the locale chose gives way to English where the letter or place has none.
    let fall_back =
        app.lang != Lang::En && matches!(app.lang_chosen, Chosen::Locale(_) | Chosen::Default);
    let mut letter = match catalog.letter_in(&letter_id, app.lang) {
        Err(_) if fall_back => catalog.letter(&letter_id)?,
        other => other?,
    };
    // Damaged records are reported on the record pages; here they are only left out.
    let mut quiet = std::io::sink();
    let inputs =
        CaseInputs::load(Some(&app.case), &letter, follows, &mut quiet)?.expect("a case was given");
    // A follow-up is written for its letter's jurisdiction, as at the terminal.
    let place = match inputs.jurisdiction() {
        Some(j) => j,
        None => app.case.profile()?.jurisdiction()?,
    };
    let jurisdiction = match catalog.jurisdiction_in(&place, letter.lang) {
        Err(_) if fall_back => {
            letter = catalog.letter(&letter_id)?;
            catalog.jurisdiction(&place)?
        }
        other => other?,
    };
    letter.require_jurisdiction(&jurisdiction)?;
    letter.fill_choices(&jurisdiction);
    let mut renderer = Renderer::new(&catalog, &letter, &jurisdiction.id)?;
    if let Some(pack) = &pack {
        letter.id = format!("{pack}/{}", letter.id);
        renderer.footer(crate::pack::footer(&catalog, pack)?);
    }
    let calendar = Calendar {
        holidays: catalog.holidays(&jurisdiction.id)?,
        closed: inputs.closed_days()?,
        in_case: true,
    };
    let (today, _) = app.clock()?;
    let draft = app.case.drafts_dir().join(draft_name(&letter.id));
    Ok(Some(Setup {
        letter,
        jurisdiction,
        renderer,
        calendar,
        inputs,
        date: today,
        draft,
        slug: slug.to_owned(),
    }))
}

impl Setup<'_> {
    /// The interview with the case's answers and the draft's; answers given from here on are
    /// kept in the draft. A note when the draft could not be used.
    fn interview(&self) -> Result<(Interview<'_>, Option<String>)> {
        let fresh = || -> Result<Interview<'_>> {
            let mut i = Interview::new(&self.letter, &self.jurisdiction, &self.renderer, self.date);
            i.calendar(&self.calendar);
            self.inputs
                .prepare(&mut i, &self.letter, &self.jurisdiction)?;
            Ok(i)
        };
        let mut interview = fresh()?;
        let mut note = None;
        if self.draft.is_file() {
            let resumed = AnswersFile::load(&self.draft).and_then(|f| interview.resume(&f));
            if let Err(e) = resumed {
                interview = fresh()?;
                note = Some(crate::lang::fill(
                    self.letter.lang.words().page.draft_unfit,
                    &[("error", &format!("{e:#}"))],
                ));
            }
        }
        let meta = Meta {
            letter: Some(self.letter.id.clone()),
            jurisdiction: Some(self.jurisdiction.id.clone()),
            date: Some(answers::toml_date(self.date)?),
        };
        interview.autosave(keeper(self.draft.clone(), self.letter.id.clone(), meta));
        Ok((interview, note))
    }

    fn base(&self) -> String {
        format!("/write/{}", self.slug)
    }
}

/// The letter, for the templates.
#[derive(Debug, Serialize)]
struct LetterView {
    title: String,
    use_when: String,
}

/// A question page.
#[derive(Debug, Serialize)]
struct QuestionPage {
    letter: LetterView,
    number: usize,
    total: usize,
    /// "Question 3 of 5".
    progress: String,
    note: Option<String>,
    control: control::Control,
    action: String,
}

/// The review page.
#[derive(Debug, Serialize)]
struct ReviewPage {
    letter: LetterView,
    base: String,
    note: Option<String>,
    lines: Vec<crate::interview::ReviewLine>,
    preview: String,
    /// Why the letter could not be made yet, one paragraph per line.
    problem: Vec<String>,
    reply_by: Option<String>,
    /// The terminal's words for the choices after the preview.
    save: String,
    later: String,
    quit: String,
}

/// `GET /write/LETTER`: the next question not yet answered, or the review. `?rung=R` starts an
/// escalation to rung R (as `--set rung=R`), kept in the draft from then on.
pub(super) fn next(app: &App<'_>, slug: &str, req: &Request) -> Result<Response> {
    let Some(s) = setup(app, slug)? else {
        return Ok(app.not_found());
    };
    let (mut interview, _) = s.interview()?;
    if let Some(rung) = req.query("rung")
        && !s.draft.is_file()
    {
        if interview
            .preset(None, &[("rung".to_owned(), rung.to_owned())])
            .is_err()
        {
            return Ok(app.not_found());
        }
        let meta = Meta {
            letter: Some(s.letter.id.clone()),
            jurisdiction: Some(s.jurisdiction.id.clone()),
            date: Some(answers::toml_date(s.date)?),
        };
        keeper(s.draft.clone(), s.letter.id.clone(), meta)(&interview.answers_so_far());
        return Ok(Response::redirect(&s.base()));
    }
    Ok(match interview.next_question()? {
        Some(screen) => Response::redirect(&format!("{}/q/{}", s.base(), screen.key)),
        None => Response::redirect(&format!("{}/review", s.base())),
    })
}

/// `GET /write/LETTER/q/KEY`: one question with its current answer.
pub(super) fn question(app: &App<'_>, slug: &str, key: &str) -> Result<Response> {
    let Some(s) = setup(app, slug)? else {
        return Ok(app.not_found());
    };
    let (mut interview, mut note) = s.interview()?;
    // Counting starts here, as at the terminal: what the case gave is not asked.
    let upcoming = interview.next_question()?;
    let Some(screen) = applicable_screen(&interview, key)? else {
        return Ok(Response::redirect(&s.base()));
    };
    if note.is_none() && screen.number == 1 && upcoming.as_ref().is_some_and(|u| u.key == key) {
        let given = interview.given_count()?;
        if given > 0 {
            note = Some(fill(
                s.letter.lang.words().already_have,
                &[
                    ("given", &given.to_string()),
                    ("left", &screen.total.to_string()),
                ],
            ));
        }
    }
    let typed = Typed::current(&screen);
    page(app, &s, &screen, &typed, None, note, 200)
}

/// The screen for `key` if the question applies now.
fn applicable_screen(interview: &Interview<'_>, key: &str) -> Result<Option<Screen>> {
    if !interview.applicable()?.iter().any(|q| q.key == key) {
        return Ok(None);
    }
    Ok(Some(interview.screen(key)?))
}

fn page(
    app: &App<'_>,
    s: &Setup<'_>,
    screen: &Screen,
    typed: &Typed,
    error: Option<(&str, &str)>,
    note: Option<String>,
    status: u16,
) -> Result<Response> {
    let mut control = control::control(screen, typed, error, s.letter.lang.words());
    control.heading = true;
    let data = QuestionPage {
        letter: LetterView {
            title: s.letter.title.clone(),
            use_when: s.letter.use_when.clone(),
        },
        progress: fill(
            s.letter.lang.words().question_of,
            &[
                ("n", &screen.number.max(1).to_string()),
                ("total", &screen.total.to_string()),
            ],
        ),
        number: screen.number.max(1),
        total: screen.total,
        note,
        control,
        action: format!("{}/q/{}", s.base(), screen.key),
    };
    app.render(status, "question.html", &data)
}

/// `POST /write/LETTER/q/KEY`: the answer (checked by the engine, kept in the draft), Back, or
/// a row added to or removed from a list.
pub(super) fn answer(app: &App<'_>, slug: &str, key: &str, req: &Request) -> Result<Response> {
    let Some(s) = setup(app, slug)? else {
        return Ok(app.not_found());
    };
    let (mut interview, _) = s.interview()?;
    let upcoming = interview.next_question()?;
    let Some(screen) = applicable_screen(&interview, key)? else {
        return Ok(Response::redirect(&s.base()));
    };
    let mut typed = Typed::posted(&screen, req);
    match Go::of(req) {
        Go::Back => {
            // A question reopened from the review goes back to the review, changing nothing,
            // as `<` does at the terminal.
            if upcoming.is_none() {
                return Ok(Response::redirect(&format!("{}/review", s.base())));
            }
            match previous(&mut interview, key) {
                Some(before) => Ok(Response::redirect(&format!("{}/q/{before}", s.base()))),
                None => page(
                    app,
                    &s,
                    &screen,
                    &typed,
                    None,
                    Some(s.letter.lang.words().first_question.into()),
                    200,
                ),
            }
        }
        Go::Edit(list, edit) if list == screen.key => {
            typed.edit(&screen, edit);
            page(app, &s, &screen, &typed, None, None, 200)
        }
        Go::Edit(..) | Go::Next => match interview.submit(key, typed.given(&screen)) {
            Ok(()) => Ok(Response::redirect(&s.base())),
            Err(invalid) => {
                // Refused: nothing changed, and what was typed is shown again with the reason.
                let screen = interview.screen(key)?;
                page(
                    app,
                    &s,
                    &screen,
                    &typed,
                    Some((&invalid.key, &invalid.message)),
                    None,
                    422,
                )
            }
        },
    }
}

/// The question answered before `key`, by the engine's [`Interview::back`]: the parent's
/// answers in question order, so from a question reopened earlier in the list, the one before
/// it.
fn previous(interview: &mut Interview<'_>, key: &str) -> Option<String> {
    let mut last = None;
    while let Some(k) = interview.back() {
        if k == key {
            return interview.back();
        }
        last.get_or_insert(k);
    }
    last
}

/// `GET /write/LETTER/review`: every answer with a change link, and the letter as it will be
/// saved.
pub(super) fn review(app: &App<'_>, slug: &str) -> Result<Response> {
    let Some(s) = setup(app, slug)? else {
        return Ok(app.not_found());
    };
    let (mut interview, note) = s.interview()?;
    if let Some(screen) = interview.next_question()? {
        return Ok(Response::redirect(&format!(
            "{}/q/{}",
            s.base(),
            screen.key
        )));
    }
    let lines = interview.review()?;
    let (preview, problem, reply_by) = match interview.draft() {
        Ok(d) => {
            let email = d.email_lines();
            let gap = if email.is_empty() { "" } else { "\n" };
            (
                format!("{email}{gap}{}", d.to_text()),
                Vec::new(),
                d.reply_by.map(|by| s.jurisdiction.format_date(by)),
            )
        }
        Err(e) => (
            String::new(),
            fill(
                s.letter.lang.words().not_made_yet,
                &[("error", &format!("{e:#}"))],
            )
            .lines()
            .map(str::to_owned)
            .collect(),
            None,
        ),
    };
    let w = s.letter.lang.words();
    let data = ReviewPage {
        letter: LetterView {
            title: s.letter.title.clone(),
            use_when: s.letter.use_when.clone(),
        },
        base: s.base(),
        note,
        lines,
        preview,
        problem,
        reply_by,
        save: w.save_letter.into(),
        later: w.stop_for_now.into(),
        quit: w.quit.into(),
    };
    app.render(200, "review.html", &data)
}

/// `POST /write/LETTER/save`: records the letter in the case, as `iep write` does, and drops
/// the draft.
pub(super) fn save(app: &App<'_>, slug: &str) -> Result<Response> {
    let Some(s) = setup(app, slug)? else {
        return Ok(app.not_found());
    };
    let (mut interview, _) = s.interview()?;
    // Saved already (another tab), or not finished: the next step, not a second record.
    if let Some(screen) = interview.next_question()? {
        return Ok(Response::redirect(&format!(
            "{}/q/{}",
            s.base(),
            screen.key
        )));
    }
    if !s.draft.is_file() {
        return Ok(Response::redirect("/"));
    }
    let draft = interview.draft()?;
    let (_, now) = app.clock()?;
    let meta = Meta {
        letter: Some(s.letter.id.clone()),
        jurisdiction: Some(s.jurisdiction.id.clone()),
        date: Some(answers::toml_date(s.date)?),
    };
    let answered = interview.answers_in_order()?;
    let answers_text = answers::to_file_text(&s.letter.id, &meta, &answered)?;
    let email = email_version(&draft, &answered, Some(&s.inputs), &[], now);
    let id = s.inputs.record(
        &draft,
        email.as_ref(),
        &s.jurisdiction,
        s.date,
        &answers_text,
        now,
    )?;
    let _ = std::fs::remove_file(&s.draft);
    Ok(Response::redirect(&format!("/records/{id}?done=saved")))
}

/// `/write/LETTER/discard`: asks first (the answer no is the default), then deletes the draft.
pub(super) fn discard(app: &App<'_>, slug: &str, req: &Request) -> Result<Response> {
    let Some(s) = setup(app, slug)? else {
        return Ok(app.not_found());
    };
    if req.method == super::http::Method::Post {
        if req.field("answer") != Some("yes") {
            return Ok(Response::redirect(&format!("{}/review", s.base())));
        }
        let _ = std::fs::remove_file(&s.draft);
        return Ok(app.message(
            200,
            app.words().thrown_away,
            s.letter.lang.words().thrown_away,
            "/",
            app.words().back_to_start,
        ));
    }
    super::record::confirm(
        app,
        &super::record::Confirm {
            question: s.letter.lang.words().quit_sure.into(),
            lines: vec![s.letter.lang.words().quit_sure_help.into()],
            letter: None,
            action: format!("{}/discard", s.base()),
            no: app.words().keep_them.into(),
            yes: app.words().throw_away.into(),
        },
    )
}

/// A letter the page offers to write.
#[derive(Debug, Serialize)]
pub(super) struct Offer {
    pub slug: String,
    pub title: String,
    pub use_when: String,
}

/// One organisation's letters: its name, and the letters.
pub(super) type PackOffers = (String, Vec<Offer>);

/// The letters of `catalog` that exist for `jurisdiction`, and each pack's, by organisation.
pub(super) fn offers(
    catalog: &Catalog,
    jurisdiction: &str,
    lang: Lang,
) -> Result<(Vec<Offer>, Vec<PackOffers>)> {
    // In the page's language where the letter has that version, else in English.
    let letter = |id: &str| catalog.letter_in(id, lang).or_else(|_| catalog.letter(id));
    let mut own = Vec::new();
    for id in catalog.letter_ids()? {
        let Ok(l) = letter(&id) else { continue };
        if l.exists_for(jurisdiction) {
            own.push(Offer {
                slug: slug(&id),
                title: l.title,
                use_when: l.use_when,
            });
        }
    }
    let mut packs: Vec<PackOffers> = Vec::new();
    for (pack, id) in catalog.pack_letters()? {
        let full = format!("{pack}/{id}");
        let Ok(l) = letter(&full) else {
            continue;
        };
        if !l.exists_for(jurisdiction) {
            continue;
        }
        let organisation = catalog
            .pack_dir(&pack)
            .and_then(|d| crate::pack::Pack::open(&d).ok())
            .map_or_else(|| pack.clone(), |p| p.file.organisation);
        let offer = Offer {
            slug: slug(&full),
            title: l.title,
            use_when: l.use_when,
        };
        match packs.iter_mut().find(|(o, _)| *o == organisation) {
            Some((_, list)) => list.push(offer),
            None => packs.push((organisation, vec![offer])),
        }
    }
    Ok((own, packs))
}
