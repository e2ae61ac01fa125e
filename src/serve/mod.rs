//! `iep serve`'s page: the same letters and case as the commands, as HTML forms in a browser on
//! the parent's own computer.
//!
//! A front end only, like `interview/terminal.rs`: no question, rule or letter text lives here.
//! The interview is the engine's ([`crate::interview`]), driven one question per page; the
//! letter is recorded by the same code as `iep write` in a case; a reply, an observation and
//! sending go through `cmd::reply`, `cmd::observe` and `cmd::send` themselves.
//!
//! The server keeps nothing between requests but its secrets: an interview is built again for
//! every request from the case and the answers kept in `drafts/` (the same file `iep write`
//! keeps and goes on from), so closing the tab, two tabs, or stopping the server loses nothing.
//! Requests are answered one at a time, so two tabs never write at once; every write still
//! takes the case's lock (and sending, the record's send lock), as the commands do.
//!
//! - `http.rs`: requests and responses as plain data; the size limits.
//! - `guard.rs`: loopback Host, the one-time key and the session cookie, the form token, the
//!   security headers.
//! - `pages.rs`: the tera templates and stylesheet (`templates/`), embedded.
//! - `control.rs`: a question as form controls, and the posted form as the engine's `Given`.
//! - `home.rs`, `letter.rs`, `record.rs`: the pages.

mod control;
pub mod guard;
mod home;
pub mod http;
mod letter;
mod pages;
mod record;

use std::path::PathBuf;

use anyhow::Result;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use crate::case::Case;
use crate::catalog::Catalog;
use crate::cmd::Env;
use guard::{Guard, Verdict};
use http::{Method, Request, Response};
use pages::{Common, Pages};

/// The page's server-side state: what every request is answered from.
#[derive(Debug)]
pub struct App<'a> {
    /// Letters, forms and jurisdictions.
    pub catalog: &'a Catalog,
    /// The case shown.
    pub case: Case,
    /// The environment, mailer and browser opener.
    pub env: &'a Env,
    /// Where installed packs live.
    pub packs: PathBuf,
    /// The folder iep was started in.
    pub cwd: PathBuf,
    /// The secrets.
    pub guard: Guard,
    /// The language chosen as for every command (`--lang`, the case, the settings, the locale).
    pub lang: crate::lang::Lang,
    /// What chose it.
    pub lang_chosen: crate::lang::Chosen,
    pages: Pages,
}

/// A page that says one thing.
#[derive(Debug, Serialize)]
struct Message {
    title: String,
    lines: Vec<String>,
    problem: bool,
    back: String,
    back_text: String,
}

impl<'a> App<'a> {
    /// The page for the case `io` names (or `case`), in `io`'s language, with new secrets
    /// for `port`.
    pub fn new(io: &crate::cmd::Ctx<'a>, case: Case, env: &'a Env, port: u16) -> Result<Self> {
        Ok(App {
            catalog: io.catalog,
            case,
            env,
            packs: io.packs.clone(),
            cwd: io.cwd.clone(),
            guard: Guard::new(port)?,
            lang: io.lang,
            lang_chosen: io.lang_chosen,
            pages: Pages::new()?,
        })
    }

    /// Answers one request: the guard first, then the page, then the headers every response
    /// gets.
    pub fn handle(&mut self, req: &Request) -> Response {
        let mut response = match self.guard.check(req) {
            Verdict::Answer(r) => r,
            Verdict::Pass => match self.route(req) {
                Ok(r) => r,
                Err(e) => self.message(
                    500,
                    self.words().went_wrong,
                    &format!("{e:#}"),
                    "/",
                    self.words().back_to_start,
                ),
            },
        };
        Guard::secure(&mut response);
        response
    }

    fn route(&mut self, req: &Request) -> Result<Response> {
        use Method::{Get, Post};
        let seg = req.segments();
        match (req.method, seg.as_slice()) {
            (Get, []) => home::page(self, req),
            (Get, ["style.css"]) => Ok(Response {
                status: 200,
                headers: vec![("Content-Type".into(), "text/css; charset=utf-8".into())],
                body: pages::STYLE.as_bytes().to_vec(),
            }),
            (Get, ["write", id]) => letter::next(self, id, req),
            (Get, ["write", id, "q", key]) => letter::question(self, id, key),
            (Post, ["write", id, "q", key]) => letter::answer(self, id, key, req),
            (Get, ["write", id, "review"]) => letter::review(self, id),
            (Post, ["write", id, "save"]) => letter::save(self, id),
            (Get | Post, ["write", id, "discard"]) => letter::discard(self, id, req),
            (Get, ["records", id]) => record::page(self, id, req),
            (Get, ["records", id, "letter.eml"]) => record::eml(self, id),
            (Get, ["records", id, "letter.pdf"]) => record::print(self, id),
            (Get, ["bundle.pdf"]) => record::bundle(self),
            (Get | Post, ["records", id, "reply"]) => record::reply(self, id, req),
            (Get | Post, ["records", id, "send"]) => record::send(self, id, req),
            (Get | Post, ["observe"]) => record::observe(self, req),
            (Get, ["chronology"]) => record::chronology(self),
            _ => Ok(self.not_found()),
        }
    }

    /// Today and now, read for each request: the page may stay open past midnight.
    /// `IEP_TODAY` sets the day, as for every command.
    fn clock(&self) -> Result<(NaiveDate, DateTime<FixedOffset>)> {
        crate::clock(&self.env.var)
    }

    fn common(&self) -> Common<'_> {
        Common {
            lang: "en",
            csrf: self.guard.csrf(),
            child: "",
            words: self.words(),
        }
    }

    /// The page's own words, in the language chosen for the page.
    pub(crate) fn words(&self) -> &'static crate::lang::PageWords {
        &self.lang.words().page
    }

    /// Renders a page, with the child's name in the header and the language of the case's
    /// jurisdiction (its questions' and letters' language) as the page's.
    fn render(&self, status: u16, name: &str, data: &impl Serialize) -> Result<Response> {
        let profile = self.case.profile().ok();
        let child = profile
            .as_ref()
            .and_then(|p| p.child_name())
            .unwrap_or_default();
        let lang = match self.lang {
            crate::lang::Lang::En => profile
                .and_then(|p| p.jurisdiction().ok())
                .and_then(|j| self.catalog.jurisdiction(&j).ok())
                .map_or_else(|| "en".to_owned(), |j| j.language),
            other => other.code().to_owned(),
        };
        let common = Common {
            child: &child,
            lang: &lang,
            ..self.common()
        };
        Ok(Response::html(
            status,
            self.pages.render(name, &common, data)?,
        ))
    }

    /// A page that says `text` (one paragraph per line).
    fn message(
        &self,
        status: u16,
        title: &str,
        text: &str,
        back: &str,
        back_text: &str,
    ) -> Response {
        let data = Message {
            title: title.to_owned(),
            lines: text.lines().map(str::to_owned).collect(),
            problem: status >= 400,
            back: back.to_owned(),
            back_text: back_text.to_owned(),
        };
        self.render(status, "message.html", &data)
            .unwrap_or_else(|e| Response::text(500, &format!("{title}\n{text}\n({e:#})\n")))
    }

    fn not_found(&self) -> Response {
        let w = self.words();
        self.message(404, w.no_page, w.no_page_text, "/", w.back_to_start)
    }
}
