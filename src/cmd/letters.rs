//! `iep letters`: what each letter is for, and what it asks.

use std::io::Write;

use anyhow::Result;

use crate::catalog::Catalog;
use crate::catalog::question::Kind;
use crate::lang::{Lang, fill};
use crate::render::{Inputs, Renderer};

/// Runs `iep letters [show ID]`.
pub fn execute(args: &crate::cli::LettersArgs, io: &mut super::Ctx<'_>) -> Result<super::Exit> {
    match &args.action {
        None => list(io.catalog, io.out, io.lang)?,
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
                io.lang,
            )?
        }
    }
    Ok(super::Exit::Done)
}

/// Lists every letter with one line on when to use it.
pub fn list(catalog: &Catalog, out: &mut dyn Write, lang: Lang) -> Result<()> {
    let w = &lang.words().letters;
    let mut rows = Vec::new();
    for id in catalog.letter_ids()? {
        // In the parent's language where the letter has it.
        let letter = match catalog.letter_in(&id, lang) {
            Ok(l) if lang != Lang::En => l,
            _ => catalog.letter(&id)?,
        };
        rows.push((id, letter.use_when));
        if !letter.jurisdictions.is_empty() {
            let names: Vec<String> = letter
                .jurisdictions
                .iter()
                .map(|j| {
                    super::jurisdiction_for(catalog, j, lang).map_or_else(|_| j.clone(), |j| j.name)
                })
                .collect();
            let last = rows.len() - 1;
            rows[last].1 = fill(
                w.only_for,
                &[("when", &rows[last].1), ("places", &names.join(", "))],
            );
        }
    }
    let packs = catalog.pack_letters()?;
    let mut pack_rows = Vec::new();
    for (pack, id) in &packs {
        let name = format!("{pack}/{id}");
        match catalog.letter(&name) {
            Ok(letter) => pack_rows.push((name, letter.use_when)),
            Err(e) => pack_rows.push((name, fill(w.unreadable, &[("error", &e.to_string())]))),
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
        writeln!(out, "{}", w.from_packs)?;
        for (id, when) in pack_rows {
            writeln!(out, "{id:width$}  {when}")?;
        }
    }
    writeln!(out, "{}", w.see_more)?;
    Ok(())
}

/// Shows one letter's questions, in the words of `jurisdiction`.
pub fn show(
    catalog: &Catalog,
    id: &str,
    jurisdiction: Option<&str>,
    out: &mut dyn Write,
    lang: Lang,
) -> Result<()> {
    let w = &lang.words().letters;
    // A pack's letter is read with the pack on top of iep's own letters.
    let (pack_catalog, plain, _) = catalog.resolve(id)?;
    let catalog = &pack_catalog;
    let english = catalog.letter(&plain)?;
    let jurisdiction = jurisdiction
        .map(str::to_owned)
        .or(english.jurisdictions.first().cloned())
        .unwrap_or_else(|| "generic".to_owned());
    let jurisdiction = jurisdiction.as_str();
    // In the parent's language where both the letter and the place have it.
    let (mut letter, j) = match (
        lang,
        catalog.letter_in(&plain, lang),
        catalog.jurisdiction_in(jurisdiction, lang),
    ) {
        (Lang::En, ..) => (english, catalog.jurisdiction(jurisdiction)?),
        (_, Ok(l), Ok(j)) => (l, j),
        _ => (english, catalog.jurisdiction(jurisdiction)?),
    };
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
        (w.no_answer, &letter.next),
        (w.open_after, &letter.next_after_reply),
    ] {
        let next: Vec<&str> = list
            .iter()
            .filter(|id| catalog.letter(id).is_ok_and(|l| l.exists_for(&j.id)))
            .map(String::as_str)
            .collect();
        if !next.is_empty() {
            writeln!(out, "{}", fill(when, &[("next", &next.join(", "))]))?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", fill(w.questions, &[("place", &j.name)]))?;
    for (n, q) in letter.questions.iter().enumerate() {
        let need = if q.required { w.needed } else { w.optional };
        let prompt = renderer.text(&q.key, "prompt", &q.prompt, &ctx)?;
        writeln!(
            out,
            "{}",
            fill(
                w.question,
                &[
                    ("n", &format!("{:>2}", n + 1)),
                    ("prompt", &prompt),
                    ("key", &q.key),
                    ("kind", q.kind.name()),
                    ("need", need),
                ]
            )
        )?;
        if let Some(when) = &q.when {
            writeln!(out, "{}", fill(w.asked_when, &[("when", when)]))?;
        }
        if let Some(help) = &q.help {
            writeln!(out, "    {}", renderer.text(&q.key, "help", help, &ctx)?)?;
        }
        if let Some(example) = &q.example {
            let example = renderer.text(&q.key, "example", example, &ctx)?;
            writeln!(out, "{}", fill(w.example, &[("example", &example)]))?;
        }
        if matches!(q.kind, Kind::Choice | Kind::MultiChoice) {
            let values: Vec<&str> = q.choices.iter().map(|c| c.value.as_str()).collect();
            writeln!(
                out,
                "{}",
                fill(w.choices, &[("choices", &values.join(", "))])
            )?;
        }
        if !q.fields.is_empty() {
            let fields: Vec<String> = q
                .fields
                .iter()
                .map(|f| format!("{} ({})", f.key, f.kind.name()))
                .collect();
            writeln!(
                out,
                "{}",
                fill(
                    w.fields,
                    &[("item", &q.item), ("fields", &fields.join(", "))]
                )
            )?;
        }
    }
    Ok(())
}
