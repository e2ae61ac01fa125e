//! `iep letters`: what each letter is for, and what it asks.

use std::io::Write;

use anyhow::Result;

use crate::catalog::Catalog;
use crate::catalog::question::Kind;
use crate::render::{Inputs, Renderer};

/// Runs `iep letters [show ID]`.
pub fn execute(args: &crate::cli::LettersArgs, io: &mut super::Ctx<'_>) -> Result<super::Exit> {
    match &args.action {
        None => list(io.catalog, io.out)?,
        Some(crate::cli::LettersAction::Show { id, jurisdiction }) => {
            // In a case, its jurisdiction's words, unless another is asked for.
            let case = match (jurisdiction, &io.case) {
                (None, Some(case)) => case.profile().and_then(|p| p.jurisdiction()).ok(),
                _ => None,
            };
            show(
                io.catalog,
                id,
                jurisdiction.as_deref().or(case.as_deref()),
                io.out,
            )?
        }
    }
    Ok(super::Exit::Done)
}

/// Lists every letter with one line on when to use it.
pub fn list(catalog: &Catalog, out: &mut dyn Write) -> Result<()> {
    let mut rows = Vec::new();
    for id in catalog.letter_ids()? {
        let letter = catalog.letter(&id)?;
        rows.push((id, letter.use_when));
        if !letter.jurisdictions.is_empty() {
            let names: Vec<String> = letter
                .jurisdictions
                .iter()
                .map(|j| {
                    catalog
                        .jurisdiction(j)
                        .map_or_else(|_| j.clone(), |j| j.name)
                })
                .collect();
            let last = rows.len() - 1;
            rows[last].1 = format!(
                "{} (Only for {}; other jurisdictions do not have this step.)",
                rows[last].1,
                names.join(", ")
            );
        }
    }
    let packs = catalog.pack_letters()?;
    let mut pack_rows = Vec::new();
    for (pack, id) in &packs {
        let name = format!("{pack}/{id}");
        match catalog.letter(&name) {
            Ok(letter) => pack_rows.push((name, letter.use_when)),
            Err(e) => pack_rows.push((name, format!("(cannot be read: {e})"))),
        }
    }
    let width = rows
        .iter()
        .chain(&pack_rows)
        .map(|r| r.0.len())
        .max()
        .unwrap_or(0);
    for (id, when) in rows {
        writeln!(out, "{id:width$}  {when}")?;
    }
    if !pack_rows.is_empty() {
        writeln!(out, "\nFrom installed packs:")?;
        for (id, when) in pack_rows {
            writeln!(out, "{id:width$}  {when}")?;
        }
    }
    writeln!(
        out,
        "\nSee a letter's questions: iep letters show <letter>\nWrite one: iep write <letter>"
    )?;
    Ok(())
}

/// Shows one letter's questions, in the words of `jurisdiction`.
pub fn show(
    catalog: &Catalog,
    id: &str,
    jurisdiction: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    // A pack's letter is read with the pack on top of iep's own letters.
    let (pack_catalog, plain, _) = catalog.resolve(id)?;
    let catalog = &pack_catalog;
    let mut letter = catalog.letter(&plain)?;
    let jurisdiction = jurisdiction
        .or(letter.jurisdictions.first().map(String::as_str))
        .unwrap_or("generic");
    let j = catalog.jurisdiction(jurisdiction)?;
    letter.require_jurisdiction(&j)?;
    letter.fill_choices(&j);
    let renderer = Renderer::new(catalog, &letter, &j.id)?;
    let answers = Default::default();
    let inputs = Inputs {
        earlier: None,
        attached: &[],
        calendar: None,
        letter: &letter,
        jurisdiction: &j,
        date: chrono::NaiveDate::default(),
        answers: &answers,
    };
    let ctx = inputs.context();
    writeln!(
        out,
        "{}: {}\n{}\n",
        letter.id, letter.title, letter.use_when
    )?;
    for (when, list) in [
        ("If it gets no answer", &letter.next),
        ("If a reply leaves questions open", &letter.next_after_reply),
    ] {
        let next: Vec<&str> = list
            .iter()
            .filter(|id| catalog.letter(id).is_ok_and(|l| l.exists_for(&j.id)))
            .map(String::as_str)
            .collect();
        if !next.is_empty() {
            writeln!(out, "{when}: {}", next.join(", "))?;
        }
    }
    writeln!(out)?;
    writeln!(out, "Questions ({} wording):", j.name)?;
    for (n, q) in letter.questions.iter().enumerate() {
        let need = if q.required { "needed" } else { "optional" };
        let prompt = renderer.text(&q.key, "prompt", &q.prompt, &ctx)?;
        writeln!(
            out,
            "\n{:>2}. {prompt}\n    key: {}  ({}, {need})",
            n + 1,
            q.key,
            q.kind.name()
        )?;
        if let Some(when) = &q.when {
            writeln!(out, "    asked only when: {when}")?;
        }
        if let Some(help) = &q.help {
            writeln!(out, "    {}", renderer.text(&q.key, "help", help, &ctx)?)?;
        }
        if let Some(example) = &q.example {
            writeln!(
                out,
                "    For example: {}",
                renderer.text(&q.key, "example", example, &ctx)?
            )?;
        }
        if matches!(q.kind, Kind::Choice | Kind::MultiChoice) {
            let values: Vec<&str> = q.choices.iter().map(|c| c.value.as_str()).collect();
            writeln!(out, "    choices: {}", values.join(", "))?;
        }
        if !q.fields.is_empty() {
            let fields: Vec<String> = q
                .fields
                .iter()
                .map(|f| format!("{} ({})", f.key, f.kind.name()))
                .collect();
            writeln!(out, "    each {} has: {}", q.item, fields.join(", "))?;
        }
    }
    Ok(())
}
