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

use std::collections::HashMap;

use anyhow::{Context as _, Result, bail};
use serde::Serialize;
use tera::Tera;

use crate::calendar::Calendar;
use crate::catalog::question::Question;
use crate::catalog::{Catalog, Form, Layer, Letter};
use crate::draft::Draft;
use crate::jurisdiction::Window;

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
    "lang",
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
    /// The earlier letter's questions its reply left unanswered, in the letter's order.
    pub unanswered: Vec<String>,
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
        // A letter in another language has its own templates (`body.fr.txt.tera`) and never
        // falls back to the English ones.
        let lang = letter.lang;
        let pick = |part: &str| -> Result<Option<String>> {
            let names = [
                lang.file(&format!(
                    "letters/{}/{part}.{jurisdiction}.txt.tera",
                    letter.id
                )),
                lang.file(&format!("letters/{}/{part}.txt.tera", letter.id)),
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
        let body = pick("body")?.with_context(|| {
            format!(
                "letters/{}/ has no {}",
                letter.id,
                lang.file("body.txt.tera")
            )
        })?;
        let subject = match letter.form {
            Form::Email => Some(pick("subject")?.with_context(|| {
                format!(
                    "letters/{}/ has no {}",
                    letter.id,
                    lang.file("subject.txt.tera")
                )
            })?),
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
                let s = s.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
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
                // ASCII only: French typography's no-break spaces stay.
                a.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
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
                .map(|c| explain(c, inputs.jurisdiction.date_style, inputs.letter.lang)),
            reply_caveats: {
                let caveats = match (&count, inputs.calendar) {
                    (Some(c), Some(cal)) => cal.caveats(c, inputs.jurisdiction.date_style),
                    (Some(c), None) => Calendar::weekends_only(&inputs.jurisdiction.id)
                        .caveats(c, inputs.jurisdiction.date_style),
                    (None, _) => Vec::new(),
                };
                match inputs.letter.lang {
                    crate::lang::Lang::En => caveats,
                    // The holiday list's names and rules are in English: said in one sentence.
                    _ if caveats.is_empty() => caveats,
                    _ => vec![FRENCH_CAVEAT.to_owned()],
                }
            },
            body,
            lang: inputs.letter.lang,
        })
    }
}

/// What is not known about a reply-by date, in French: the holiday list's words are English,
/// so the caveats are said in one sentence.
const FRENCH_CAVEAT: &str = "iep ne connaît pas tous les congés qui peuvent tomber dans ce délai (congés de l'école, certains jours fériés)\u{a0}: vérifiez cette date.";

/// How a reply-by date was counted, in the letter's language: the English
/// [`crate::calendar::Count::explain`] names each holiday; the French says how many.
fn explain(
    c: &crate::calendar::Count,
    style: crate::dates::DateStyle,
    lang: crate::lang::Lang,
) -> String {
    if lang == crate::lang::Lang::En {
        return c.explain(style);
    }
    let w = lang.words();
    let unit = match c.clock {
        crate::dates::Clock::CalendarDays => w.units[0],
        crate::dates::Clock::SchoolDays => w.units[1],
        crate::dates::Clock::WorkingDays => w.units[2],
    };
    let mut out = crate::lang::fill(
        w.counted,
        &[
            ("days", &c.days.to_string()),
            ("unit", unit),
            ("date", &style.format(c.from)),
        ],
    );
    let skipped = c.skipped.len() + c.breaks_skipped.len();
    if skipped == 1 {
        out.push_str(", sans compter 1 jour de congé");
    } else if skipped > 1 {
        out.push_str(&format!(", sans compter {skipped} jours de congé"));
    }
    out
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
    tera.register_filter("de", |s: &str, _: tera::Kwargs, _: &tera::State| de(s));
    tera.add_raw_templates(templates)
        .map_err(|e| template_error(e, displays))?;
    Ok(tera)
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

/// The `de` filter, for French letters: "de Samuel", but "d'Alice" and "d'Hélène" before a
/// vowel or a mute h (elision). An h is taken as mute, as it is in most first names.
pub fn de(text: &str) -> String {
    let t = text.trim();
    let first = t
        .chars()
        .next()
        .map(|c| c.to_lowercase().collect::<String>());
    let vowel = first
        .as_deref()
        .is_some_and(|c| "aàâäeéèêëiîïoôöuùûüyh".contains(c));
    if vowel {
        format!("d'{t}")
    } else {
        format!("de {t}")
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

mod inputs;
mod loader;
mod worker;

pub use inputs::{Inputs, salutation};
use loader::Loader;
pub use worker::{Bound, MEMORY_LIMIT, OUTPUT_LIMIT, TIME_LIMIT, WORKER, worker};
use worker::{Reply, Request, run_worker};

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::inputs::by_date;
    use super::loader::references;
    use super::*;
    use crate::answers::Value;

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
    fn de_elides_before_a_vowel() {
        assert_eq!(de("Samuel Tremblay"), "de Samuel Tremblay");
        assert_eq!(de("Alice"), "d'Alice");
        assert_eq!(de("Élodie"), "d'Élodie");
        assert_eq!(de("Hélène"), "d'Hélène");
    }

    #[test]
    fn blank_runs_collapse() {
        assert_eq!(tidy_body("\n\na  \n\n\n\nb\nc\n\n"), "a\n\nb\nc\n");
    }
}
