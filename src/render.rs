//! Rendering: owns tera, turns a letter's templates and the answers into a [`Draft`].
//!
//! Strict by design: every question is in the context (an unanswered or skipped one as its empty
//! value: `""`, `false` or `[]`), so a template that names anything else is an error, never a gap
//! in a parent's letter. A rendered letter that still holds template syntax or a `[PLACEHOLDER]`
//! is refused. Templates are `*.txt.tera`, and autoescaping is off: a parent's apostrophe stays an
//! apostrophe.
//!
//! Template names are paths inside a layer (`letters/_layout.txt.tera`), resolved from the highest
//! layer down, so a folder can replace one file of a built-in letter; `iep/<path>` always names
//! the built-in file, so a replacement can extend the original. Errors name the real file, line
//! and column.
//!
//! # Bounds on templates from a folder (a pack, or `--templates`)
//!
//! A pack is untrusted input, and tera bounds only a single `range`: loops inside loops, or a
//! string doubled in a loop, would hang iep or exhaust memory, and a thread cannot be stopped.
//! So a [`Renderer`] built from a catalog with a folder layer renders in a child process: iep
//! itself, run as [`WORKER`], which first lowers its own limits (address space
//! [`MEMORY_LIMIT`], CPU time), is sent the compiled letter's template texts and the context, and
//! answers with the rendered texts. The parent kills it after [`TIME_LIMIT`] of wall-clock time.
//! Each render is announced on the worker's stderr, so a bound hit names the template
//! ([`Bound`]). Built-in letters render in-process and pay nothing; a pack's letter pays one
//! process start (a few milliseconds) per render.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read as _, Write as _};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tera::Tera;

use crate::answers::Value;
use crate::calendar::{Calendar, Count, CountError};
use crate::catalog::question::{Kind, Question};
use crate::catalog::{Catalog, Form, Layer, Letter};
use crate::draft::{Addressee, Draft};
use crate::jurisdiction::{Jurisdiction, Rung, Window};

/// Names the context gives templates besides the answers.
pub const CONTEXT_NAMES: &[&str] = &[
    "j",
    "letter",
    "today",
    "reply_by",
    "to",
    "rung",
    "copies",
    "earlier",
    "attached",
    "board_kind_guess",
];

/// The letter a follow-up follows, as templates see it (`earlier.date`, `earlier.reply`…). Every
/// field is text in the letter's own style, empty when unknown, so a template tests
/// `{% if earlier.date %}`. A letter that follows nothing gets all fields empty.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Earlier {
    /// The earlier letter's date.
    pub date: String,
    /// Its title.
    pub title: String,
    /// Its subject line.
    pub subject: String,
    /// Whom it went to: "Ms. Patel, Principal".
    pub to: String,
    /// What it asked for, in one line.
    pub asked: String,
    /// The reply-by date it gave.
    pub reply_by: String,
    /// Whether a reply was recorded.
    pub replied: bool,
    /// The reply's date, who sent it, and what it said, when there was one.
    pub reply_date: String,
    /// Who replied.
    pub reply_from: String,
    /// What the reply said, in the family's summary.
    pub reply_summary: String,
}

/// The compiled templates of one letter for one jurisdiction.
#[derive(Debug)]
pub struct Renderer {
    tera: Tera,
    /// Template name to the file a person would open.
    displays: HashMap<String, String>,
    subject: Option<String>,
    /// The body template; empty for a form (the case profile) that is asked but never rendered.
    body: String,
    /// The letter's one-line `asked` template, when it has one.
    asked: Option<String>,
    /// A line added under the letter (a pack's organisation and help line).
    footer: Option<String>,
    /// For templates from a folder: rendered in a bounded child process instead of `tera`.
    bounded: Option<Bounded>,
}

/// What a worker needs to compile the same templates and build the same context.
#[derive(Debug)]
struct Bounded {
    templates: Vec<(String, String)>,
    /// Every name the context may hold: the letter's questions and [`CONTEXT_NAMES`].
    keys: Vec<String>,
}

impl Renderer {
    /// Loads and compiles the letter's templates (with any they extend or include) and the small
    /// templates in its questions (prompts, conditions, defaults).
    pub fn new(catalog: &Catalog, letter: &Letter, jurisdiction: &str) -> Result<Self> {
        let mut loader = Loader::default();
        // The highest layer with either file wins; within a layer the jurisdiction's variant
        // comes first. So a folder that replaces a letter's generic body also replaces the
        // built-in variants, as its author expects.
        let pick = |part: &str| -> Result<Option<String>> {
            let names = [
                format!("letters/{}/{part}.{jurisdiction}.txt.tera", letter.id),
                format!("letters/{}/{part}.txt.tera", letter.id),
            ];
            for layer in catalog.layers().iter().rev() {
                for name in &names {
                    if layer.read(name)?.is_some() {
                        return Ok(Some(name.clone()));
                    }
                }
            }
            Ok(None)
        };
        let body = pick("body")?
            .with_context(|| format!("letters/{}/ has no body.txt.tera", letter.id))?;
        let subject = match letter.form {
            Form::Email => Some(
                pick("subject")?
                    .with_context(|| format!("letters/{}/ has no subject.txt.tera", letter.id))?,
            ),
            Form::Document => None,
        };
        loader.load(catalog, &body)?;
        if let Some(subject) = &subject {
            loader.load(catalog, subject)?;
        }
        for q in &letter.questions {
            loader.question(q, &q.key, &letter.id);
        }
        let asked = loader.asked(letter);
        // Templates from a folder (a pack) are untrusted: rendered with bounds. (Unit tests run
        // in a test harness, which cannot serve as the worker.)
        let bounded = (!cfg!(test)
            && catalog
                .layers()
                .iter()
                .any(|l| matches!(l, Layer::Folder(_))))
        .then(|| Bounded {
            templates: loader.templates.clone(),
            keys: CONTEXT_NAMES
                .iter()
                .map(|k| (*k).to_owned())
                .chain(letter.questions.iter().map(|q| q.key.clone()))
                .collect(),
        });
        let mut renderer = Self::compile(loader, subject, body, asked)?;
        renderer.bounded = bounded;
        Ok(renderer)
    }

    /// Compiles only the small templates in a form's questions: for the case profile, which is
    /// asked like a letter but never rendered.
    pub fn form(letter: &Letter) -> Result<Self> {
        let mut loader = Loader::default();
        for q in &letter.questions {
            loader.question(q, &q.key, &letter.id);
        }
        Self::compile(loader, None, String::new(), None)
    }

    fn compile(
        loader: Loader,
        subject: Option<String>,
        body: String,
        asked: Option<String>,
    ) -> Result<Self> {
        let displays = loader.displays;
        let tera = engine(loader.templates, &displays)?;
        Ok(Renderer {
            tera,
            displays,
            subject,
            body,
            asked,
            footer: None,
            bounded: None,
        })
    }

    /// Renders the templates `names` with one context: in-process for built-in letters, in a
    /// bounded worker for templates from a folder.
    fn render_all(&self, names: &[&str], ctx: &tera::Context) -> Result<Vec<String>> {
        match &self.bounded {
            None => names
                .iter()
                .map(|name| {
                    self.tera
                        .render(name, ctx)
                        .map_err(|e| template_error(e, &self.displays))
                })
                .collect(),
            Some(bounded) => self.render_in_worker(bounded, names, ctx),
        }
    }

    fn render_in_worker(
        &self,
        bounded: &Bounded,
        names: &[&str],
        ctx: &tera::Context,
    ) -> Result<Vec<String>> {
        let mut context = serde_json::Map::new();
        for key in &bounded.keys {
            if let Some(value) = ctx.get(key) {
                context.insert(
                    key.clone(),
                    serde_json::to_value(value).context("could not pass a value to a template")?,
                );
            }
        }
        let request = Request {
            templates: bounded.templates.clone(),
            displays: self.displays.clone(),
            names: names.iter().map(|n| (*n).to_owned()).collect(),
            context,
        };
        let display = |name: &str| {
            self.displays
                .get(name)
                .cloned()
                .unwrap_or_else(|| name.to_owned())
        };
        match run_worker(&request)? {
            Reply::Rendered(texts) => Ok(texts),
            Reply::Failed(message) => Err(anyhow::anyhow!(message)),
            Reply::TooLong(name) => Err(Bound::Output {
                template: display(&name),
            }
            .into()),
            Reply::Stopped { last, time, memory } => {
                let template = display(last.as_deref().unwrap_or(names[0]));
                Err(if time {
                    Bound::Time { template }
                } else if memory {
                    Bound::Memory { template }
                } else {
                    Bound::Crashed { template }
                }
                .into())
            }
        }
    }

    /// Adds a line under every letter rendered (a pack's footer).
    pub fn footer(&mut self, footer: Option<String>) {
        self.footer = footer.filter(|f| !f.trim().is_empty());
    }

    /// The top-level variables the letter's templates use, for checks that each is declared.
    pub fn variables(&self) -> Result<Vec<String>> {
        let mut vars = std::collections::BTreeSet::new();
        for name in std::iter::once(&self.body).chain(&self.subject) {
            let found = self
                .tera
                .get_template_variables(name)
                .map_err(|e| template_error(e, &self.displays))?;
            vars.extend(found.into_iter().map(str::to_owned));
        }
        Ok(vars.into_iter().collect())
    }

    /// Whether question `key`'s condition holds (true when it has none).
    pub fn applies(&self, q: &Question, ctx: &tera::Context) -> Result<bool> {
        if q.when.is_none() {
            return Ok(true);
        }
        Ok(self.snippet(&q.key, "when", ctx)? == "1")
    }

    /// A question's prompt, help, example or default with `{{ }}` filled in. `key` is the
    /// question's key, or `list.field` for a field of a list item.
    pub fn text(&self, key: &str, part: &str, raw: &str, ctx: &tera::Context) -> Result<String> {
        if is_template(raw) {
            self.snippet(key, part, ctx)
        } else {
            Ok(raw.to_owned())
        }
    }

    fn snippet(&self, key: &str, part: &str, ctx: &tera::Context) -> Result<String> {
        let name = snippet_name(key, part);
        let mut texts = self.render_all(&[&name], ctx)?;
        Ok(texts.pop().unwrap_or_default())
    }

    /// Renders the letter.
    pub fn render(&self, inputs: &Inputs<'_>) -> Result<Draft> {
        if self.body.is_empty() {
            bail!("`{}` is a form, not a letter", inputs.letter.id);
        }
        let count = inputs.reply_count().transpose()?;
        let ctx = inputs.context();
        // One render (one worker, for a pack) for the body, subject and `asked` line.
        let mut names = vec![self.body.as_str()];
        names.extend(self.subject.as_deref());
        names.extend(self.asked.as_deref());
        let mut texts = self.render_all(&names, &ctx)?.into_iter();
        let mut next = || texts.next().unwrap_or_default();
        let body = next();
        let mut body = tidy_body(&body);
        if let Some(footer) = &self.footer {
            body = format!("{}\n\n--\n{}\n", body.trim_end(), footer.trim());
        }
        refuse_placeholders(&body, &self.displays[&self.body])?;
        let subject = match &self.subject {
            Some(name) => {
                let s = next();
                let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
                refuse_placeholders(&s, &self.displays[name])?;
                if s.is_empty() {
                    bail!("{} rendered an empty subject", self.displays[name]);
                }
                Some(s)
            }
            None => None,
        };
        let asked = match &self.asked {
            Some(_) => {
                let a = next();
                a.split_whitespace().collect::<Vec<_>>().join(" ")
            }
            None => subject
                .clone()
                .unwrap_or_else(|| inputs.letter.title.clone()),
        };
        let asks = numbered_lines(&body);
        Ok(Draft {
            letter: inputs.letter.id.clone(),
            asked,
            asks,
            to_role: inputs.to_role(),
            title: inputs.letter.title.clone(),
            subject,
            to: inputs.addressee().into_iter().collect(),
            cc: inputs.copies(),
            reply_by: count.as_ref().map(|c| c.date),
            reply_window: inputs.window().map(Window::describe),
            reply_counted: count
                .as_ref()
                .map(|c| c.explain(inputs.jurisdiction.date_style)),
            reply_caveats: match (&count, inputs.calendar) {
                (Some(c), Some(cal)) => cal.caveats(c, inputs.jurisdiction.date_style),
                (Some(c), None) => Calendar::weekends_only(&inputs.jurisdiction.id)
                    .caveats(c, inputs.jurisdiction.date_style),
                (None, _) => Vec::new(),
            },
            body,
        })
    }
}

/// A tera with iep's settings and filters, holding `templates`.
fn engine(templates: Vec<(String, String)>, displays: &HashMap<String, String>) -> Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on(Vec::<&str>::new());
    // Filters are checked when templates are added, so they are registered first.
    tera.register_filter("sentence", |s: &str, _: tera::Kwargs, _: &tera::State| {
        sentence(s)
    });
    tera.register_filter("salutation", |s: &str, _: tera::Kwargs, _: &tera::State| {
        salutation(s)
    });
    tera.add_raw_templates(templates)
        .map_err(|e| template_error(e, displays))?;
    Ok(tera)
}

/// The hidden first argument that makes iep a render worker ([`worker`]).
pub const WORKER: &str = "__render-worker";
/// The longest a pack's render may take, wall-clock, before its worker is killed.
pub const TIME_LIMIT: Duration = Duration::from_secs(5);
/// The address space a render worker may use.
pub const MEMORY_LIMIT: u64 = 512 * 1024 * 1024;
/// The most text one template may render.
pub const OUTPUT_LIMIT: usize = 1024 * 1024;
/// How a worker announces, on stderr, the template it starts.
const MARK: &str = "iep-render: ";

/// A bound hit while rendering a pack's template.
#[derive(Debug, thiserror::Error)]
pub enum Bound {
    /// It ran too long.
    #[error(
        "the template {template} took longer than {} seconds to render; it may loop without end (loops inside loops over large ranges?). Simplify it, then check the pack with `iep pack check`.",
        TIME_LIMIT.as_secs()
    )]
    Time {
        /// The template, as a person would open it.
        template: String,
    },
    /// It needed too much memory.
    #[error(
        "the template {template} needed more than {} MB of memory to render; it may build text without end (a value joined to itself in a loop?). Simplify it, then check the pack with `iep pack check`.",
        MEMORY_LIMIT / (1024 * 1024)
    )]
    Memory {
        /// The template, as a person would open it.
        template: String,
    },
    /// It rendered too much text.
    #[error(
        "the template {template} rendered more than {} MB of text; a letter is a few pages. Simplify it, then check the pack with `iep pack check`.",
        OUTPUT_LIMIT / (1024 * 1024)
    )]
    Output {
        /// The template, as a person would open it.
        template: String,
    },
    /// The worker stopped for another reason.
    #[error(
        "iep stopped unexpectedly while rendering the template {template}; check the pack with `iep pack check`."
    )]
    Crashed {
        /// The template, as a person would open it.
        template: String,
    },
}

/// What a worker is asked to render.
#[derive(Debug, Serialize, Deserialize)]
struct Request {
    templates: Vec<(String, String)>,
    displays: HashMap<String, String>,
    names: Vec<String>,
    context: serde_json::Map<String, serde_json::Value>,
}

/// A worker's answer.
#[derive(Debug, Serialize, Deserialize)]
enum Reply {
    /// Each template's text, in the order asked.
    Rendered(Vec<String>),
    /// A template error, as a person reads it.
    Failed(String),
    /// This template rendered more than [`OUTPUT_LIMIT`].
    TooLong(String),
    /// (Parent side only.) The worker was killed or died: the last template it started, and
    /// whether time or memory ran out.
    Stopped {
        last: Option<String>,
        time: bool,
        memory: bool,
    },
}

/// Runs one render in a worker: its limits set, killed after [`TIME_LIMIT`].
fn run_worker(request: &Request) -> Result<Reply> {
    use std::process::{Command, Stdio};
    let exe = std::env::current_exe().context("could not find iep's own program to render")?;
    let mut child = Command::new(exe)
        .arg(WORKER)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("could not start iep to render a template")?;
    let started = Instant::now();
    // A worker that died early closes its stdin; what it says comes out below.
    if let Some(mut stdin) = child.stdin.take() {
        let _ = serde_json::to_writer(&mut stdin, request).map(|()| stdin.flush());
    }
    let reader = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(pipe) = pipe {
                // A worker cannot say much more than its limit on any one text.
                let _ = pipe
                    .take(8 * OUTPUT_LIMIT as u64 + 1024 * 1024)
                    .read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = reader(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = reader(child.stderr.take().map(|p| Box::new(p) as _));
    let mut pause = Duration::from_micros(200);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() < TIME_LIMIT => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let out = stdout.join().unwrap_or_default();
    let err = String::from_utf8_lossy(&stderr.join().unwrap_or_default()).into_owned();
    let last = err
        .lines()
        .filter_map(|l| l.strip_prefix(MARK))
        .next_back()
        .map(str::to_owned);
    let Some(status) = status else {
        return Ok(Reply::Stopped {
            last,
            time: true,
            memory: false,
        });
    };
    if status.success()
        && let Ok(reply) = serde_json::from_slice::<Reply>(&out)
    {
        return Ok(reply);
    }
    use std::os::unix::process::ExitStatusExt as _;
    let cpu = status.signal() == Some(rustix::process::Signal::XCPU.as_raw());
    let memory = err.contains("memory allocation of") || err.contains("capacity overflow");
    Ok(Reply::Stopped {
        last,
        time: cpu,
        memory,
    })
}

/// The render worker: `iep __render-worker` reads a [`Request`] on stdin, lowers its own limits,
/// renders, and writes a [`Reply`] on stdout. Never run by a person.
pub fn worker() -> std::process::ExitCode {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let cpu = TIME_LIMIT.as_secs() * 2;
    for (resource, limit) in [(Resource::As, MEMORY_LIMIT), (Resource::Cpu, cpu)] {
        let hard = if matches!(resource, Resource::Cpu) {
            limit + 1
        } else {
            limit
        };
        let set = setrlimit(
            resource,
            Rlimit {
                current: Some(limit),
                maximum: Some(hard),
            },
        );
        if set.is_err() {
            eprintln!("iep: could not limit the render worker's resources");
            return std::process::ExitCode::FAILURE;
        }
    }
    let reply = match serde_json::from_reader::<_, Request>(std::io::stdin().lock()) {
        Ok(request) => render_request(request),
        Err(e) => Reply::Failed(format!("the render worker was sent a bad request: {e}")),
    };
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer(&mut out, &reply).map(|()| out.flush()) {
        Ok(Ok(())) => std::process::ExitCode::SUCCESS,
        _ => std::process::ExitCode::FAILURE,
    }
}

fn render_request(request: Request) -> Reply {
    let tera = match engine(request.templates, &request.displays) {
        Ok(tera) => tera,
        Err(e) => return Reply::Failed(format!("{e:#}")),
    };
    let ctx = match tera::Context::from_serialize(&request.context) {
        Ok(ctx) => ctx,
        Err(e) => return Reply::Failed(format!("could not pass the answers to a template: {e}")),
    };
    let mut texts = Vec::new();
    for name in request.names {
        eprintln!("{MARK}{name}");
        match tera.render(&name, &ctx) {
            Ok(text) if text.len() > OUTPUT_LIMIT => return Reply::TooLong(name),
            Ok(text) => texts.push(text),
            Err(e) => return Reply::Failed(template_error(e, &request.displays).to_string()),
        }
    }
    Reply::Rendered(texts)
}

/// Everything a letter is rendered from.
#[derive(Debug)]
pub struct Inputs<'a> {
    /// The letter.
    pub letter: &'a Letter,
    /// The jurisdiction.
    pub jurisdiction: &'a Jurisdiction,
    /// The letter's date.
    pub date: NaiveDate,
    /// Answers given so far.
    pub answers: &'a BTreeMap<String, Value>,
    /// The letter this one follows, if any.
    pub earlier: Option<&'a Earlier>,
    /// Names of the files attached to the email, listed under "Enclosures".
    pub attached: &'a [String],
    /// The days a reply window skips: the jurisdiction's holidays and the case's closed days.
    /// `None` skips weekends only (for showing questions, where no date is counted).
    pub calendar: Option<&'a Calendar>,
}

impl Inputs<'_> {
    /// The escalation rung chosen, for letters addressed up the ladder.
    pub fn rung(&self) -> Option<&Rung> {
        if self.letter.to.as_deref() != Some("ladder") {
            return None;
        }
        match self.answers.get("rung") {
            Some(Value::Text(id)) => self.jurisdiction.rung(id),
            _ => None,
        }
    }

    /// The reply window that applies, if the letter asks for a reply: the rung's or the
    /// letter's own where a rule sets one, else the jurisdiction's. None for a letter to an
    /// office that sets its own pace (an ombudsman).
    pub fn window(&self) -> Option<&Window> {
        if !self.letter.asks_reply {
            return None;
        }
        let rung = self.rung();
        if rung.is_some_and(|r| !r.asks_reply) {
            return None;
        }
        Some(
            rung.and_then(|r| r.reply_window.as_ref())
                .or(self.letter.reply_window.as_ref())
                .unwrap_or(&self.jurisdiction.reply_window),
        )
    }

    /// The kind of school body the child's school is run by (Quebec: `service-centre` or
    /// `school-board`): the family's answer, else what the board's name shows.
    pub fn board_kind(&self) -> Option<&str> {
        if let Some(kind) = self.text_ref("board_kind") {
            return Some(kind);
        }
        self.jurisdiction
            .infer_board_kind(self.text_ref("board_name").unwrap_or(""))
            .map(|k| k.id.as_str())
    }

    fn text_ref(&self, key: &str) -> Option<&str> {
        match self.answers.get(key) {
            Some(Value::Text(t)) if !t.is_empty() => Some(t),
            _ => None,
        }
    }

    /// The reply-by date counted on the window's clock, with what it skipped; an error when it
    /// cannot be counted (a date at the end of the calendar).
    pub fn reply_count(&self) -> Option<Result<Count, CountError>> {
        let window = self.window()?;
        Some(match self.calendar {
            Some(c) => c.count(window.clock, self.date, window.days),
            None => Calendar::weekends_only(&self.jurisdiction.id).count(
                window.clock,
                self.date,
                window.days,
            ),
        })
    }

    /// The reply-by date.
    pub fn reply_by(&self) -> Option<NaiveDate> {
        self.reply_count().and_then(Result::ok).map(|c| c.date)
    }

    /// The role or ladder rung id the letter goes to (`principal`, `superintendent`).
    pub fn to_role(&self) -> Option<String> {
        match self.letter.to.as_deref() {
            Some("ladder") => self.rung().map(|r| r.id.clone()),
            Some(role) => Some(role.to_owned()),
            None => None,
        }
    }

    /// Title of the person or office written to.
    fn to_title(&self) -> (String, String) {
        match self.letter.to.as_deref() {
            Some("ladder") => match self.rung() {
                Some(r) => {
                    let office = self.fill_board(&r.office);
                    (office.clone(), office)
                }
                None => (String::new(), String::new()),
            },
            Some(role) => match self.jurisdiction.roles.get(role) {
                Some(r) => (self.fill_board(&r.title), self.fill_board(&r.short)),
                None => (String::new(), String::new()),
            },
            None => (String::new(), String::new()),
        }
    }

    /// `{board}` in a jurisdiction's text, written with the word for the child's school body.
    fn fill_board(&self, text: &str) -> String {
        if !text.contains("{board}") {
            return text.to_owned();
        }
        let j = self.jurisdiction;
        let word = self
            .board_kind()
            .and_then(|id| j.board_kinds.iter().find(|k| k.id == id))
            .map(|k| k.board.as_str())
            .or(j.terms.get("board").map(String::as_str))
            .unwrap_or_default();
        text.replace("{board}", word)
    }

    fn text(&self, key: &str) -> Option<String> {
        match self.answers.get(key) {
            Some(Value::Text(t)) if !t.is_empty() => Some(t.clone()),
            _ => None,
        }
    }

    fn addressee(&self) -> Option<Addressee> {
        if self.letter.form == Form::Document {
            return None;
        }
        Some(Addressee {
            name: self.text("recipient_name").unwrap_or_default(),
            title: self.to_title().0,
            email: self.text("recipient_email"),
        })
    }

    fn copies(&self) -> Vec<Addressee> {
        let mut cc = Vec::new();
        if let Some(name) = self.text("coordinator_name") {
            cc.push(Addressee {
                name,
                title: self
                    .jurisdiction
                    .roles
                    .get("coordinator")
                    .map(|r| r.title.clone())
                    .unwrap_or_default(),
                email: self.text("coordinator_email"),
            });
        }
        if let Some(Value::Items(rows)) = self.answers.get("cc") {
            for row in rows {
                let get = |k: &str| match row.get(k) {
                    Some(Value::Text(t)) => Some(t.clone()),
                    _ => None,
                };
                cc.push(Addressee {
                    name: get("name").unwrap_or_default(),
                    title: get("title").unwrap_or_default(),
                    email: get("email"),
                });
            }
        }
        cc
    }

    /// The tera context: answers (every question present), the jurisdiction as `j`, and the
    /// letter's facts.
    pub fn context(&self) -> tera::Context {
        let kind = self.board_kind();
        let resolved = self.jurisdiction.for_board_kind(kind);
        let j = &resolved;
        let mut ctx = tera::Context::new();
        for q in &self.letter.questions {
            let value = match self.answers.get(&q.key) {
                Some(v) => Ctx::from_value(v, j),
                None => Ctx::empty(q),
            };
            ctx.insert(q.key.clone(), &value);
        }
        ctx.insert("j", j);
        ctx.insert("board_kind_guess", kind.unwrap_or(""));
        ctx.insert(
            "letter",
            &BTreeMap::from([("id", &self.letter.id), ("title", &self.letter.title)]),
        );
        ctx.insert("today", &j.format_date(self.date));
        ctx.insert(
            "reply_by",
            &self
                .reply_by()
                .map(|d| j.format_date(d))
                .unwrap_or_default(),
        );
        let copies: Vec<String> = self
            .copies()
            .iter()
            .map(Addressee::name_and_title)
            .collect();
        ctx.insert("copies", &copies);
        let (title, short) = self.to_title();
        ctx.insert("to", &BTreeMap::from([("title", title), ("short", short)]));
        ctx.insert("earlier", self.earlier.unwrap_or(&Earlier::default()));
        ctx.insert("attached", self.attached);
        if self.letter.to.as_deref() == Some("ladder") {
            match self.rung().and_then(|r| j.rung(&r.id)) {
                Some(r) => ctx.insert("rung", r),
                None => ctx.insert("rung", &BTreeMap::<String, String>::new()),
            }
        }
        ctx
    }
}

/// List items in date order, oldest first, when the items have a `date` (dated examples, earlier
/// contacts): a parent types them as they remember them, a reader follows them in time. Items
/// without a date keep their place relative to each other.
fn by_date(rows: &[BTreeMap<String, Value>]) -> Vec<&BTreeMap<String, Value>> {
    let mut sorted: Vec<_> = rows.iter().collect();
    sorted.sort_by_key(|row| match row.get("date") {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    });
    sorted
}

/// How a letter greets a named person: "Ms. Amina Patel" becomes "Ms. Patel" (a title and the
/// family name); a name with no title stays whole ("Amina Patel"). A letter never greets a
/// person as "Dear Ms. Amina Patel".
pub fn salutation(name: &str) -> String {
    const TITLES: &[&str] = &[
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "professor",
        "mme",
        "m",
        "mlle",
    ];
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [title, .., last]
            if words.len() >= 3
                && TITLES.contains(&title.trim_end_matches('.').to_lowercase().as_str()) =>
        {
            format!("{title} {last}")
        }
        _ => words.join(" "),
    }
}

/// An answer as templates see it.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Ctx {
    Text(String),
    Bool(bool),
    List(Vec<String>),
    Items(Vec<BTreeMap<String, Ctx>>),
}

impl Ctx {
    fn from_value(v: &Value, j: &Jurisdiction) -> Ctx {
        match v {
            Value::Text(t) => Ctx::Text(t.clone()),
            Value::Bool(b) => Ctx::Bool(*b),
            Value::Date(d) => Ctx::Text(j.format_date(*d)),
            Value::List(items) => Ctx::List(items.clone()),
            Value::Items(rows) => Ctx::Items(
                by_date(rows)
                    .into_iter()
                    .map(|row| {
                        row.iter()
                            .map(|(k, v)| (k.clone(), Ctx::from_value(v, j)))
                            .collect()
                    })
                    .collect(),
            ),
        }
    }

    /// The value of a question with no answer: a template can test it with `{% if key %}`.
    fn empty(q: &Question) -> Ctx {
        match q.kind {
            Kind::YesNo => Ctx::Bool(false),
            Kind::MultiChoice => Ctx::List(Vec::new()),
            Kind::List if q.fields.is_empty() => Ctx::List(Vec::new()),
            Kind::List => Ctx::Items(Vec::new()),
            _ => Ctx::Text(String::new()),
        }
    }
}

/// The questions a letter puts to the school: its numbered lines ("1. Is this support…"), so a
/// reply can be checked against each.
fn numbered_lines(body: &str) -> Vec<String> {
    body.lines()
        .filter_map(|line| {
            let (n, rest) = line.trim_start().split_once(". ")?;
            (!n.is_empty() && n.chars().all(|c| c.is_ascii_digit())).then(|| rest.trim().to_owned())
        })
        .collect()
}

fn is_template(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

fn snippet_name(key: &str, part: &str) -> String {
    format!("question `{key}` {part}")
}

/// Collects the templates a letter needs, following `extends` and `include`.
#[derive(Debug, Default)]
struct Loader {
    templates: Vec<(String, String)>,
    displays: HashMap<String, String>,
}

impl Loader {
    fn load(&mut self, catalog: &Catalog, name: &str) -> Result<()> {
        if self.displays.contains_key(name) {
            return Ok(());
        }
        let found = match name.strip_prefix("iep/") {
            Some(path) => catalog.layers()[0].read(path)?,
            None => catalog.find(name)?,
        };
        let file = found
            .with_context(|| format!("the template \"{name}\" does not exist in any layer"))?;
        self.displays.insert(name.to_owned(), file.display.clone());
        let deps = references(&file.text);
        self.templates
            .push((name.to_owned(), file.text.into_owned()));
        for dep in deps {
            self.load(catalog, &dep)?;
        }
        Ok(())
    }

    /// Adds the letter's one-line `asked` template, returning its name.
    fn asked(&mut self, letter: &Letter) -> Option<String> {
        let raw = letter.asked.as_ref()?;
        let name = format!("letter `{}` asked", letter.id);
        self.displays.insert(
            name.clone(),
            format!("letters/{}/letter.toml (asked)", letter.id),
        );
        self.templates.push((name.clone(), raw.clone()));
        Some(name)
    }

    fn question(&mut self, q: &Question, key: &str, letter: &str) {
        let mut add = |part: &str, text: String| {
            let name = snippet_name(key, part);
            self.displays.insert(
                name.clone(),
                format!("letter `{letter}`, question `{key}` ({part})"),
            );
            self.templates.push((name, text));
        };
        if let Some(when) = &q.when {
            add("when", format!("{{% if {when} %}}1{{% endif %}}"));
        }
        let default = match &q.default {
            Some(toml::Value::String(d)) => Some(d),
            _ => None,
        };
        for (part, raw) in [
            ("prompt", Some(&q.prompt)),
            ("help", q.help.as_ref()),
            ("example", q.example.as_ref()),
            ("default", default),
        ] {
            if let Some(raw) = raw.filter(|r| is_template(r)) {
                add(part, raw.clone());
            }
        }
        for f in &q.fields {
            self.question(f, &format!("{key}.{}", f.key), letter);
        }
    }
}

/// Names in `{% extends "..." %}` and `{% include "..." %}` tags.
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        rest = &rest[start + 2..];
        let tag = rest.trim_start_matches('-').trim_start();
        for keyword in ["extends", "include"] {
            if let Some(after) = tag.strip_prefix(keyword) {
                let after = after.trim_start();
                if let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'')
                    && let Some(end) = after[1..].find(q)
                {
                    out.push(after[1..1 + end].to_owned());
                }
            }
        }
    }
    out
}

/// The `sentence` filter: ends a parent's phrase with exactly one full stop (or keeps its own
/// `?` or `!`), so "no reply" and "no reply." both read well after it.
/// Ends `text` with a full stop unless it ends with `?` or `!`.
pub fn sentence(text: &str) -> String {
    let t = text.trim().trim_end_matches('.').trim_end();
    if t.ends_with(['?', '!']) || t.is_empty() {
        t.to_owned()
    } else {
        format!("{t}.")
    }
}

/// Collapses runs of blank lines left by skipped sections, and trims the ends.
fn tidy_body(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut blank = 0;
    for line in body.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out.push('\n');
    out
}

/// Refuses text that still holds template syntax or a `[CAPITALS]` placeholder.
pub fn refuse_placeholders(text: &str, display: &str) -> Result<()> {
    for (n, line) in text.lines().enumerate() {
        let found = ["{{", "}}", "{%", "%}", "{#", "#}"]
            .into_iter()
            .find(|m| line.contains(m))
            .map(str::to_owned)
            .or_else(|| bracket_placeholder(line));
        if let Some(found) = found {
            bail!(
                "the letter still contains the placeholder `{found}` on its line {}:\n    {}\nIf you typed it in an answer, take it out. Otherwise the template {display} needs fixing.",
                n + 1,
                line.trim()
            );
        }
    }
    Ok(())
}

fn bracket_placeholder(line: &str) -> Option<String> {
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let close = after.find(']')?;
        let inner = &after[..close];
        let letters = inner.chars().filter(|c| c.is_alphabetic()).count();
        if letters >= 2
            && inner
                .chars()
                .all(|c| c.is_uppercase() || c == ' ' || c == '_' || c == '-' || c == '/')
        {
            return Some(format!("[{inner}]"));
        }
        rest = &after[close..];
    }
    None
}

/// Turns a tera error into one that names the real file, line and column.
fn template_error(err: tera::Error, displays: &HashMap<String, String>) -> anyhow::Error {
    let mut text = err.to_string();
    for (name, display) in displays {
        text = text.replace(&format!(" {name}:"), &format!(" {display}:"));
        text = text.replace(&format!("'{name}'"), &format!("'{display}'"));
    }
    anyhow::anyhow!(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greets_a_titled_name_by_title_and_surname() {
        assert_eq!(salutation("Ms. Amina Patel"), "Ms. Patel");
        assert_eq!(salutation("Dr.  Helen  Ross"), "Dr. Ross");
        assert_eq!(salutation("Mr. Tran"), "Mr. Tran");
        assert_eq!(salutation("Amina Patel"), "Amina Patel");
        assert_eq!(salutation(""), "");
    }

    #[test]
    fn dated_items_sort_oldest_first_and_undated_keep_their_order() {
        let item = |date: Option<&str>, what: &str| {
            let mut row = BTreeMap::new();
            if let Some(d) = date {
                row.insert("date".to_owned(), Value::Date(d.parse().unwrap()));
            }
            row.insert("what".to_owned(), Value::Text(what.to_owned()));
            row
        };
        let rows = vec![
            item(Some("2026-11-12"), "late"),
            item(Some("2026-11-04"), "early"),
        ];
        let got: Vec<_> = by_date(&rows).iter().map(|r| r["what"].clone()).collect();
        assert_eq!(
            got,
            [Value::Text("early".into()), Value::Text("late".into())]
        );
        let rows = vec![item(None, "b"), item(None, "a")];
        let got: Vec<_> = by_date(&rows).iter().map(|r| r["what"].clone()).collect();
        assert_eq!(got, [Value::Text("b".into()), Value::Text("a".into())]);
    }

    #[test]
    fn finds_extends_and_include() {
        let t = r#"{%- extends "letters/_layout.txt.tera" -%}{% include 'iep/x.txt.tera' %}{% if a %}{% endif %}"#;
        assert_eq!(
            references(t),
            ["letters/_layout.txt.tera", "iep/x.txt.tera"]
        );
    }

    #[test]
    fn placeholders_are_refused() {
        assert!(refuse_placeholders("Dear [PRINCIPAL NAME],", "t").is_err());
        assert!(refuse_placeholders("Hello {{ name }}", "t").is_err());
        assert!(refuse_placeholders("Grade 4 [sic] and [a]", "t").is_ok());
        assert!(refuse_placeholders("Section [2] applies", "t").is_ok());
    }

    #[test]
    fn blank_runs_collapse() {
        assert_eq!(tidy_body("\n\na  \n\n\n\nb\nc\n\n"), "a\n\nb\nc\n");
    }
}
