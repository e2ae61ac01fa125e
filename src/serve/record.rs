//! The record in the page: one letter with its status, history and text; a reply and an
//! observation through the same forms and code as `iep reply` and `iep observe`; the
//! chronology; `letter.eml` to download; sending through `iep send` itself, after the same
//! question with no as the default.

use anyhow::Result;
use serde::Serialize;

use super::App;
use super::control::{self, Control, Go, Typed};
use super::http::{Method, Request, Response};
use crate::answers::Value;
use crate::case::observation;
use crate::case::record::{self, Record};
use crate::catalog::Letter;
use crate::cmd::{Ctx, log, observe, reply};
use crate::interview::Interview;
use crate::jurisdiction::Jurisdiction;
use crate::render::Renderer;

/// A question with two answers, no first (and the default).
#[derive(Debug, Serialize)]
pub(super) struct Confirm {
    pub question: String,
    pub lines: Vec<String>,
    pub letter: Option<String>,
    pub action: String,
    pub no: String,
    pub yes: String,
}

/// Renders a [`Confirm`].
pub(super) fn confirm(app: &App<'_>, c: &Confirm) -> Result<Response> {
    app.render(200, "confirm.html", c)
}

/// The record named by an address: exactly its id, never a path.
fn load(app: &App<'_>, id: &str) -> Result<Option<Record>> {
    let (records, _) = record::load_all(&app.case)?;
    Ok(records.into_iter().find(|r| r.id == id))
}

#[derive(Debug, Serialize)]
struct Ask {
    text: String,
    mark: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct Link {
    href: String,
    label: String,
}

#[derive(Debug, Serialize)]
struct RecordPage {
    id: String,
    title: String,
    date: String,
    to: String,
    subject: Option<String>,
    reply_by: Option<String>,
    status: String,
    asks: Vec<Ask>,
    history: Vec<String>,
    letter: String,
    path: String,
    eml: bool,
    can_send: bool,
    prints: Vec<Link>,
    flash: Vec<String>,
}

/// `GET /records/ID`.
pub(super) fn page(app: &App<'_>, id: &str, req: &Request) -> Result<Response> {
    let w = app.words();
    let Some(r) = load(app, id)? else {
        return Ok(app.not_found());
    };
    let j = crate::cmd::jurisdiction_for(app.catalog, &r.file.jurisdiction, app.lang)?;
    let (today, _) = app.clock()?;
    let letter_path = r.dir.join(record::LETTER_FILE);
    let letter = std::fs::read_to_string(&letter_path).unwrap_or_default();
    let reply = r.reply();
    let asks = r
        .file
        .asks
        .iter()
        .map(|a| Ask {
            text: a.clone(),
            mark: match reply {
                Some(e) if e.unanswered.contains(a) => Some(w.not_answered_yet),
                Some(e) if e.answered.contains(a) => Some(w.answered),
                _ => None,
            },
        })
        .collect();
    let mut flash = Vec::new();
    match req.query("done") {
        Some("saved") => {
            flash.push(w.saved.to_owned());
            if let (Some(by), Some(counted)) = (r.file.reply_by, &r.file.reply_counted) {
                flash.push(crate::lang::fill(
                    w.asks_reply,
                    &[("date", &j.format_date(by)), ("counted", counted)],
                ));
            }
        }
        Some("reply") => flash.push(crate::lang::fill(w.reply_recorded, &[("id", &r.id)])),
        Some("not-sent") => flash.push(format!("{}.", w.not_sent)),
        _ => {}
    }
    let data = RecordPage {
        id: r.id.clone(),
        title: r.file.title.clone(),
        date: j.format_date(r.file.date),
        to: r.to_line(),
        subject: r.file.subject.clone(),
        reply_by: r.reply_by().map(|d| j.format_date(d)),
        status: log::status_line(&record::Summary::of(&r), today, app.lang),
        asks,
        history: r
            .file
            .history
            .iter()
            .map(|e| {
                format!(
                    "{}  {}",
                    e.at.format("%Y-%m-%d %H:%M"),
                    log::event_line(e, &j, app.lang)
                )
            })
            .collect(),
        letter,
        path: letter_path.display().to_string(),
        eml: r.dir.join(record::EML_FILE).is_file(),
        can_send: crate::config::smtp_path(&app.env.var).is_ok_and(|p| p.is_file()),
        prints: vec![Link {
            href: format!("/records/{}/letter.pdf", r.id),
            label: w.pdf.into(),
        }],
        flash,
    };
    app.render(200, "record.html", &data)
}

/// `GET /records/ID/letter.eml`: the email, for the parent's own mail program.
pub(super) fn eml(app: &App<'_>, id: &str) -> Result<Response> {
    let Some(r) = load(app, id)? else {
        return Ok(app.not_found());
    };
    let Ok(bytes) = std::fs::read(r.dir.join(record::EML_FILE)) else {
        return Ok(app.not_found());
    };
    Ok(Response {
        status: 200,
        headers: vec![
            ("Content-Type".into(), "message/rfc822".into()),
            (
                "Content-Disposition".into(),
                format!("attachment; filename=\"{}.eml\"", r.id),
            ),
        ],
        body: bytes,
    })
}

/// One form (a reply, an observation) as a page of questions.
#[derive(Debug, Serialize)]
struct FormPage {
    title: String,
    intro: Option<String>,
    asks: Vec<String>,
    errors: Vec<FormError>,
    controls: Vec<Control>,
    action: String,
    save: String,
    cancel: String,
}

#[derive(Debug, Serialize)]
struct FormError {
    id: String,
    message: String,
}

/// What a form's page says around its questions.
struct Frame {
    title: String,
    intro: Option<String>,
    asks: Vec<String>,
    action: String,
    save: String,
    cancel: String,
}

/// How filling a form in the page went.
enum Filled {
    /// Show this page (the form, or the form again with the reasons beside the answers).
    Page(Response),
    /// Every answer was taken: the form's answers, as the command would save them.
    Answers(Vec<(String, Value)>),
}

/// A form's questions all on one page, through the same engine as the terminal: GET shows
/// them; POST submits each, and shows the form again with every refused answer's reason beside
/// it, or gives the answers.
fn fill(
    app: &App<'_>,
    form: &Letter,
    j: &Jurisdiction,
    req: &Request,
    frame: &Frame,
    problem: Option<String>,
) -> Result<Filled> {
    let (today, _) = app.clock()?;
    let renderer = Renderer::form(form)?;
    let mut interview = Interview::new(form, j, &renderer, today);
    let keys = |i: &Interview<'_>| -> Result<Vec<String>> {
        Ok(i.applicable()?.iter().map(|q| q.key.clone()).collect())
    };
    let mut typed = Vec::new();
    let mut errors: Vec<(String, String)> = Vec::new();
    let posted = req.method == Method::Post && problem.is_none();
    if req.method == Method::Post {
        let go = Go::of(req);
        // Each answer is submitted in order; one that makes another question apply brings it in.
        let mut done: Vec<String> = Vec::new();
        loop {
            let Some(key) = keys(&interview)?.into_iter().find(|k| !done.contains(k)) else {
                break;
            };
            done.push(key.clone());
            let screen = interview.screen(&key)?;
            let mut t = Typed::posted(&screen, req);
            if let Go::Edit(list, edit) = &go
                && *list == key
            {
                t.edit(&screen, *edit);
            }
            if posted
                && matches!(go, Go::Next)
                && let Err(invalid) = interview.submit(&key, t.given(&screen))
            {
                errors.push((invalid.key, invalid.message));
            }
            typed.push((key, t));
        }
        if posted && matches!(go, Go::Next) && errors.is_empty() {
            interview.complete_without_asking()?;
            return Ok(Filled::Answers(interview.answers_with_gaps()?));
        }
    }
    let mut controls = Vec::new();
    let mut shown_errors = Vec::new();
    for key in keys(&interview)? {
        let screen = interview.screen(&key)?;
        let t = match typed.iter().find(|(k, _)| *k == key) {
            Some((_, t)) => t.clone(),
            None => Typed::current(&screen),
        };
        let error = errors
            .iter()
            .find(|(k, _)| *k == key || k.starts_with(&format!("{key}.")));
        let c = control::control(
            &screen,
            &t,
            error.map(|(k, m)| (k.as_str(), m.as_str())),
            form.lang.words(),
        );
        if let Some(message) = &c.error {
            shown_errors.push(FormError {
                id: c.id.clone(),
                message: message.clone(),
            });
        }
        controls.push(c);
    }
    if let Some(p) = problem {
        shown_errors.insert(
            0,
            FormError {
                id: controls.first().map(|c| c.id.clone()).unwrap_or_default(),
                message: p,
            },
        );
    }
    let status = if shown_errors.is_empty() { 200 } else { 422 };
    let data = FormPage {
        title: frame.title.clone(),
        intro: frame.intro.clone(),
        asks: frame.asks.clone(),
        errors: shown_errors,
        controls,
        action: frame.action.clone(),
        save: frame.save.clone(),
        cancel: frame.cancel.clone(),
    };
    Ok(Filled::Page(app.render(status, "form.html", &data)?))
}

/// `/records/ID/reply`: `letters/reply.toml`, recorded by `iep reply`'s own code.
pub(super) fn reply(app: &App<'_>, id: &str, req: &Request) -> Result<Response> {
    let w = app.words();
    let Some(r) = load(app, id)? else {
        return Ok(app.not_found());
    };
    let j = crate::cmd::jurisdiction_for(app.catalog, &r.file.jurisdiction, app.lang)?;
    let form = reply::reply_form(app.catalog, &r, app.lang)?;
    let frame = Frame {
        title: crate::lang::fill(w.reply_title, &[("title", &r.file.title)]),
        intro: Some(crate::lang::fill(
            w.reply_intro,
            &[("date", &j.format_date(r.file.date)), ("to", &r.to_line())],
        )),
        asks: r.file.asks.clone(),
        action: format!("/records/{}/reply", r.id),
        save: w.record_the_reply.into(),
        cancel: format!("/records/{}", r.id),
    };
    let answers = match fill(app, &form, &j, req, &frame, None)? {
        Filled::Page(p) => return Ok(p),
        Filled::Answers(a) => a,
    };
    let (today, now) = app.clock()?;
    let mut said = Vec::new();
    match reply::record_reply(
        app.catalog,
        &app.case,
        &r,
        &answers,
        today,
        now,
        app.lang,
        &mut said,
    ) {
        Ok(()) => Ok(Response::redirect(&format!("/records/{}?done=reply", r.id))),
        // Refused as a whole (a date before the letter's): the form again, with the reason.
        Err(e) => match fill(app, &form, &j, req, &frame, Some(format!("{e:#}")))? {
            Filled::Page(p) => Ok(p),
            Filled::Answers(_) => unreachable!("a problem always shows the form"),
        },
    }
}

/// `/observe`: `letters/observation.toml`, kept by `iep observe`'s own code.
pub(super) fn observe(app: &App<'_>, req: &Request) -> Result<Response> {
    let w = app.words();
    let j =
        crate::cmd::jurisdiction_for(app.catalog, &app.case.profile()?.jurisdiction()?, app.lang)?;
    let form = observe::observation_form(app.catalog, app.lang)?;
    let frame = Frame {
        title: w.observe.into(),
        intro: Some(w.observe_intro.into()),
        asks: Vec::new(),
        action: "/observe".into(),
        save: w.keep_observation.into(),
        cancel: "/".into(),
    };
    let answers = match fill(app, &form, &j, req, &frame, None)? {
        Filled::Page(p) => return Ok(p),
        Filled::Answers(a) => a,
    };
    let (today, _) = app.clock()?;
    let mut said = Vec::new();
    observe::record_observation(&app.case, &answers, today, app.lang, &mut said)?;
    Ok(Response::redirect("/?done=observation"))
}

/// What a command run for the page did: how it ended, its standard output and error.
struct Ran {
    ended: Result<crate::cmd::Exit>,
    out: Vec<u8>,
    err: Vec<u8>,
}

/// Runs a command's own `execute` for the page, as at a terminal with no one to ask: nothing is
/// copied from the command, and what it says is shown in the page.
fn run(
    app: &App<'_>,
    command: impl FnOnce(&mut Ctx<'_>) -> Result<crate::cmd::Exit>,
) -> Result<Ran> {
    let (today, now) = app.clock()?;
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut input = std::io::empty();
    let mut ctx = Ctx {
        catalog: app.catalog,
        date: None,
        today,
        now,
        prompter: None,
        out: &mut out,
        err: &mut err,
        cwd: app.cwd.clone(),
        case: Some(app.case.clone()),
        input: &mut input,
        env: app.env,
        packs: app.packs.clone(),
        colour: false,
        lang: app.lang,
        lang_chosen: app.lang_chosen,
    };
    let ended = command(&mut ctx);
    Ok(Ran { ended, out, err })
}

/// A PDF made by `iep print` or `iep bundle` (with `--output -`), to download; or the
/// command's reason in the page.
fn pdf(app: &App<'_>, name: &str, ran: Ran, back: &str) -> Response {
    match ran.ended {
        Ok(_) if ran.out.starts_with(b"%PDF") => Response {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "application/pdf".into()),
                (
                    "Content-Disposition".into(),
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            body: ran.out,
        },
        ended => {
            let mut said = String::from_utf8_lossy(&ran.err).trim().to_owned();
            if let Err(e) = ended {
                let mut chain = Vec::new();
                crate::report(&e, &mut chain);
                said.push('\n');
                said.push_str(String::from_utf8_lossy(&chain).trim());
            }
            let w = app.words();
            app.message(500, w.pdf_failed, said.trim(), back, w.back)
        }
    }
}

/// `GET /records/ID/letter.pdf`: `iep print`'s PDF of the letter, to print and sign.
pub(super) fn print(app: &App<'_>, id: &str) -> Result<Response> {
    let Some(r) = load(app, id)? else {
        return Ok(app.not_found());
    };
    let args = crate::cli::PrintArgs {
        record: r.id.clone(),
        paper: None,
        output: Some("-".into()),
        force: false,
    };
    let ran = run(app, |io| crate::cmd::print::execute(&args, io))?;
    Ok(pdf(
        app,
        &format!("{}.pdf", r.id),
        ran,
        &format!("/records/{}", r.id),
    ))
}

/// `GET /bundle.pdf`: `iep bundle`'s evidence bundle of the whole case.
pub(super) fn bundle(app: &App<'_>) -> Result<Response> {
    let args = crate::cli::BundleArgs {
        since: None,
        until: None,
        letter: Vec::new(),
        output: Some("-".into()),
        force: false,
        paper: None,
    };
    let (today, _) = app.clock()?;
    let ran = run(app, |io| crate::cmd::bundle::execute(&args, io))?;
    Ok(pdf(app, &format!("bundle-{today}.pdf"), ran, "/chronology"))
}

/// `/records/ID/send`: the same question as `iep send` (no is the default), then `iep send`
/// itself: its checks, the send lock, "sending" written first, the outbox and the history.
pub(super) fn send(app: &App<'_>, id: &str, req: &Request) -> Result<Response> {
    let w = app.words();
    let Some(r) = load(app, id)? else {
        return Ok(app.not_found());
    };
    if req.method == Method::Get {
        let letter = std::fs::read_to_string(r.dir.join(record::LETTER_FILE)).unwrap_or_default();
        return confirm(
            app,
            &Confirm {
                question: crate::lang::fill(w.send_now, &[("to", &r.to_line())]),
                lines: vec![crate::lang::fill(
                    w.subject_line,
                    &[("subject", &r.file.subject.clone().unwrap_or_default())],
                )],
                letter: Some(letter),
                action: format!("/records/{}/send", r.id),
                no: w.not_now.into(),
                yes: w.send_it.into(),
            },
        );
    }
    if req.field("answer") != Some("yes") {
        return Ok(Response::redirect(&format!(
            "/records/{}?done=not-sent",
            r.id
        )));
    }
    let args = crate::cli::SendArgs {
        record: Some(r.id.clone()),
        queued: false,
        dry_run: false,
        // The page asked, as the terminal does, and the parent said yes.
        yes: true,
        again: false,
    };
    let Ran { ended, err, .. } = run(app, |io| crate::cmd::send::execute(&args, io))?;
    let mut said = String::from_utf8_lossy(&err).trim().to_owned();
    let (status, title) = match ended {
        Ok(crate::cmd::Exit::Done) => (200, w.sent),
        Ok(_) => (200, w.not_sent),
        Err(e) => {
            let mut chain = Vec::new();
            crate::report(&e, &mut chain);
            said.push('\n');
            said.push_str(String::from_utf8_lossy(&chain).trim());
            (409, w.not_sent)
        }
    };
    Ok(app.message(
        status,
        title,
        said.trim(),
        &format!("/records/{}", r.id),
        w.back_to_letter,
    ))
}

#[derive(Debug, Serialize)]
struct Entry {
    date: String,
    what: String,
    who: String,
    details: String,
    href: Option<String>,
}

#[derive(Debug, Serialize)]
struct ChronologyPage {
    today: String,
    entries: Vec<Entry>,
}

/// `GET /chronology`: letters, replies (or none by the date asked) and observations, oldest
/// first, as `iep log --export` writes them.
pub(super) fn chronology(app: &App<'_>) -> Result<Response> {
    let j = app
        .catalog
        .jurisdiction(&app.case.profile()?.jurisdiction()?)?;
    let (today, _) = app.clock()?;
    let (records, _) = record::load_all(&app.case)?;
    let (observations, _) = observation::load_all(&app.case)?;
    let records: Vec<&Record> = records.iter().collect();
    let observations: Vec<&observation::Observation> = observations.iter().collect();
    let entries = crate::case::chronology::chronology(&records, &observations, &j, today)
        .into_iter()
        .map(|e| Entry {
            date: j.format_date(e.date),
            href: (!e.record.starts_with("observations/"))
                .then(|| format!("/records/{}", e.record)),
            what: e.what,
            who: e.who,
            details: e.details,
        })
        .collect();
    app.render(
        200,
        "chronology.html",
        &ChronologyPage {
            today: j.format_date(today),
            entries,
        },
    )
}
