//! Checks of letter and jurisdiction definitions that a member would otherwise hit later: used by
//! `iep pack check` and by the tests that walk the built-in letters.
//!
//! Every problem names the file (and, where the parser or tera knows it, the line and column).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;

use crate::answers::Value;
use crate::catalog::question::{Kind, Question};
use crate::catalog::{Catalog, Form, Letter};
use crate::jurisdiction::Jurisdiction;
use crate::render::{Bound, CONTEXT_NAMES, Inputs, Renderer};

/// Answers iep itself reads (for addresses, copies and the ladder), so a template need not.
pub const USED_BY_IEP: &[&str] = &[
    "recipient_email",
    "coordinator_name",
    "coordinator_email",
    "cc",
    "rung",
    "board_kind",
    // Asked only for a letter in French, whose frame (`_layout.fr.txt.tera`) uses them; the
    // French check below sees that it does.
    "recipient_civility",
    "sender_city",
];

/// One problem, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as a person would open it.
    pub file: String,
    /// What is wrong (with line and column when known) and what to do.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

fn chain(e: &anyhow::Error) -> String {
    format!("{e:#}")
}

/// Checks a layer's printed layout (`letters/print/layout.toml`), when it has one: it must be
/// whole and within bounds, or every PDF of the pack's letters would fail.
pub fn layout(layer: &crate::catalog::Layer) -> Result<Vec<Problem>> {
    let path = crate::print::layout::LAYOUT_FILE;
    Ok(match layer.read(path)? {
        Some(file) => match crate::print::Layout::parse(&file.display, &file.text) {
            Ok(_) => Vec::new(),
            Err(e) => vec![Problem {
                file: path.to_owned(),
                message: chain(&e),
            }],
        },
        None => Vec::new(),
    })
}

/// Checks jurisdictions `ids`: each parses, and every fact names its source.
pub fn jurisdictions(catalog: &Catalog, ids: &[String]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for id in ids {
        let file = format!("jurisdictions/{id}.toml");
        // Its versions in other languages, each a whole file of its own.
        if let Ok(j) = catalog.jurisdiction(id) {
            for lang in crate::lang::Lang::ALL
                .into_iter()
                .filter(|l| j.languages.iter().any(|c| c == l.code()))
            {
                let file = lang.file(&format!("jurisdictions/{id}.toml"));
                match catalog.jurisdiction_in(id, lang) {
                    Ok(v) => {
                        for (what, source) in v.sources() {
                            if source.trim().is_empty() {
                                problems.push(Problem {
                                    file: file.clone(),
                                    message: format!("{what} has an empty `source`: say where the fact comes from"),
                                });
                            }
                        }
                        if v.ladder
                            .iter()
                            .map(|r| &r.id)
                            .ne(j.ladder.iter().map(|r| &r.id))
                        {
                            problems.push(Problem {
                                file: file.clone(),
                                message: "its ladder's rungs must have the same ids, in the same order, as the English file's, so a case can write in either language".into(),
                            });
                        }
                    }
                    Err(e) => problems.push(Problem {
                        file,
                        message: chain(&e),
                    }),
                }
            }
        }
        match catalog.jurisdiction(id) {
            Ok(j) => {
                for (what, source) in j.sources() {
                    if source.trim().is_empty() {
                        problems.push(Problem {
                            file: file.clone(),
                            message: format!(
                                "{what} has an empty `source`: say where the fact comes from"
                            ),
                        });
                    }
                }
            }
            Err(e) => problems.push(Problem {
                file,
                message: chain(&e),
            }),
        }
        // Its holidays, when it has a list: each rule parses and names its source.
        let file = format!("jurisdictions/holidays/{id}.toml");
        match catalog.holidays(id) {
            Ok(list) => {
                let empty = list.holidays.iter().filter(|h| h.source.trim().is_empty());
                for h in empty {
                    problems.push(Problem {
                        file: file.clone(),
                        message: format!(
                            "holiday \"{}\" has an empty `source`: say where it comes from",
                            h.name
                        ),
                    });
                }
            }
            Err(e) => problems.push(Problem {
                file,
                message: chain(&e),
            }),
        }
    }
    problems
}

/// Checks letters `ids` against every jurisdiction the catalog has.
pub fn letters(catalog: &Catalog, ids: &[String]) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    let all_letters = catalog.letter_ids()?;
    let mut jurisdictions = Vec::new();
    for jid in catalog.jurisdiction_ids()? {
        if let Ok(j) = catalog.jurisdiction(&jid) {
            jurisdictions.push(j);
        }
    }
    for id in ids {
        let file = format!("letters/{id}/letter.toml");
        let mut problem = |message: String| {
            problems.push(Problem {
                file: file.clone(),
                message,
            })
        };
        let letter = match catalog.letter(id) {
            Ok(l) => l,
            Err(e) => {
                problem(chain(&e));
                continue;
            }
        };
        for (field, list) in [
            ("next", &letter.next),
            ("next-after-reply", &letter.next_after_reply),
        ] {
            for next in list {
                if !all_letters.contains(next) {
                    problem(format!(
                        "`{field}` names the letter \"{next}\", which does not exist"
                    ));
                }
            }
        }
        // The same fault shows in every jurisdiction: say it once, naming where it shows.
        let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut used = BTreeSet::new();
        let mut compiled = true;
        for id in &letter.jurisdictions {
            if !jurisdictions.iter().any(|j| &j.id == id) {
                problem(format!(
                    "`jurisdictions` names \"{id}\", which is not a jurisdiction iep or this pack has"
                ));
            }
        }
        let mut bound = None;
        for j in jurisdictions.iter().filter(|j| letter.exists_for(&j.id)) {
            let mut at = |message: String| found.entry(message).or_default().push(j.id.clone());
            if letter.form == Form::Email {
                let to = letter.to.as_deref().unwrap_or_default();
                if to != "ladder" && !j.roles.contains_key(to) {
                    at(format!(
                        "it is addressed to the role \"{to}\", which a jurisdiction does not have"
                    ));
                    continue;
                }
            }
            let mut letter = letter.clone();
            letter.fill_choices(j);
            let vars = match Renderer::new(catalog, &letter, &j.id)
                .and_then(|r| Ok((r.variables()?, r)))
            {
                Ok((vars, renderer)) => {
                    let undeclared: Vec<&String> = vars
                        .iter()
                        .filter(|v| {
                            letter.question(v).is_none() && !CONTEXT_NAMES.contains(&v.as_str())
                        })
                        .collect();
                    for var in &undeclared {
                        at(format!(
                            "a template uses `{var}`, but no question has that key"
                        ));
                    }
                    if undeclared.is_empty()
                        && let Err(e) = render_examples(&letter, j, &renderer)
                    {
                        let message = format!(
                            "with its own example answers, the letter does not render: {}",
                            chain(&e)
                        );
                        // A template that hit a time or memory bound would hit it again for
                        // every jurisdiction: say it once, and stop.
                        if e.downcast_ref::<Bound>().is_some() {
                            bound = Some(message);
                            compiled = false;
                            break;
                        }
                        at(message);
                    }
                    vars
                }
                Err(e) => {
                    compiled = false;
                    at(chain(&e));
                    continue;
                }
            };
            used.extend(vars);
        }
        if let Some(message) = bound {
            problem(message);
        }
        for (message, where_) in found {
            if where_.len() == jurisdictions.len() {
                problem(message);
            } else {
                problem(format!("{message} (for {})", where_.join(", ")));
            }
        }
        // Unused questions are only known once every template compiles.
        for q in letter.questions.iter().filter(|_| compiled) {
            if !used.contains(&q.key) && !USED_BY_IEP.contains(&q.key.as_str()) {
                problem(format!(
                    "the question `{}` is asked but no template uses it",
                    q.key
                ));
            }
        }
        problems.dedup();
        for lang in crate::lang::Lang::ALL {
            problems.extend(letter_in(catalog, id, lang, &jurisdictions)?);
        }
    }
    Ok(problems)
}

/// Checks letter `id` in a language other than English, when it has that language's words
/// (`letter.<lang>.toml`): they load (every question, help, example and choice has its
/// translation, and nothing names a question the letter lacks), and the letter's templates in
/// that language compile, use only declared names, use every question, and render from the
/// examples for every jurisdiction that has a version in the language. French templates without
/// the words are a problem too.
fn letter_in(
    catalog: &Catalog,
    id: &str,
    lang: crate::lang::Lang,
    jurisdictions: &[Jurisdiction],
) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    if lang.suffix().is_none() {
        return Ok(problems);
    }
    let words = lang.file(&format!("letters/{id}/letter.toml"));
    let body = lang.file(&format!("letters/{id}/body.txt.tera"));
    let mut problem = |message: String| {
        problems.push(Problem {
            file: words.clone(),
            message,
        })
    };
    if !catalog.letter_langs(id)?.contains(&lang.name()) {
        let base = catalog
            .find_at(&format!("letters/{id}/letter.toml"))?
            .map_or(0, |(i, _)| i);
        if catalog.find_at(&body)?.is_some_and(|(at, _)| at >= base) {
            problem(format!(
                "the letter has {body} but no {words}: its questions have no words in that language"
            ));
        }
        return Ok(problems);
    }
    let letter = match catalog.letter_in(id, lang) {
        Ok(l) => l,
        Err(e) => {
            problem(chain(&e));
            return Ok(problems);
        }
    };
    let mut used = BTreeSet::new();
    let mut compiled = true;
    let mut checked = 0;
    for j in jurisdictions.iter().filter(|j| letter.exists_for(&j.id)) {
        let Ok(j) = catalog.jurisdiction_in(&j.id, lang) else {
            continue;
        };
        checked += 1;
        let mut letter = letter.clone();
        letter.fill_choices(&j);
        match Renderer::new(catalog, &letter, &j.id).and_then(|r| Ok((r.variables()?, r))) {
            Ok((vars, renderer)) => {
                let undeclared: Vec<&String> = vars
                    .iter()
                    .filter(|v| {
                        letter.question(v).is_none() && !CONTEXT_NAMES.contains(&v.as_str())
                    })
                    .collect();
                for var in &undeclared {
                    problem(format!(
                        "a template in {} uses `{var}`, but no question has that key",
                        lang.name()
                    ));
                }
                if undeclared.is_empty()
                    && let Err(e) = render_examples(&letter, &j, &renderer)
                {
                    problem(format!(
                        "with its own example answers, the letter in {} does not render for {}: {}",
                        lang.name(),
                        j.id,
                        chain(&e)
                    ));
                }
                used.extend(vars);
            }
            Err(e) => {
                compiled = false;
                problem(chain(&e));
            }
        }
    }
    if compiled && checked > 0 {
        for q in &letter.questions {
            if !used.contains(&q.key) && !USED_BY_IEP.contains(&q.key.as_str()) {
                problem(format!(
                    "the question `{}` is asked but no template in {} uses it",
                    q.key,
                    lang.name()
                ));
            }
        }
    }
    problems.dedup();
    Ok(problems)
}

/// Renders the letter from each question's own example (or first choice), as a member's
/// first try would; a template that leaves a placeholder or fails is caught here.
fn render_examples(letter: &Letter, j: &Jurisdiction, renderer: &Renderer) -> Result<()> {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
    let mut answers = BTreeMap::new();
    for q in &letter.questions {
        let ctx = Inputs {
            letter,
            jurisdiction: j,
            date,
            answers: &answers,
            earlier: None,
            attached: &[],
            calendar: None,
        }
        .context();
        if let Some(v) = example(q, &q.key, renderer, &ctx)? {
            answers.insert(q.key.clone(), v);
        }
    }
    renderer.render(&Inputs {
        letter,
        jurisdiction: j,
        date,
        answers: &answers,
        earlier: None,
        attached: &[],
        calendar: None,
    })?;
    Ok(())
}

/// `name` is the question's key, or `list.field` for a field of a list item.
fn example(
    q: &Question,
    name: &str,
    renderer: &Renderer,
    ctx: &tera::Context,
) -> Result<Option<Value>> {
    let text = match &q.example {
        Some(e) => Some(renderer.text(name, "example", e, ctx)?),
        None => None,
    };
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).expect("a date");
    let value = match q.kind {
        Kind::Choice => q.choices.first().map(|c| Value::Text(c.value.clone())),
        Kind::MultiChoice => q
            .choices
            .first()
            .map(|c| Value::List(vec![c.value.clone()])),
        Kind::YesNo => Some(Value::Bool(true)),
        Kind::Date => Some(Value::Date(date)),
        Kind::List if q.fields.is_empty() => text.map(|t| Value::List(vec![t])),
        Kind::List => {
            let mut row = BTreeMap::new();
            for f in &q.fields {
                if let Some(v) = example(f, &format!("{}.{}", q.key, f.key), renderer, ctx)? {
                    row.insert(f.key.clone(), v);
                }
            }
            Some(Value::Items(vec![row]))
        }
        _ => match text {
            Some(t) => Some(q.from_text(&t, None).map_err(|e| {
                anyhow::anyhow!("the example for `{}` is not a valid answer: {e}", q.key)
            })?),
            None if q.required => Some(Value::Text(format!("({})", q.key))),
            None => None,
        },
    };
    Ok(value)
}
