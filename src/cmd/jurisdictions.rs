//! `iep jurisdictions`: each jurisdiction's plan, people, clocks and ladder, with sources.

use std::io::Write;

use anyhow::Result;

use crate::catalog::Catalog;
use crate::jurisdiction::Level;
use crate::lang::{Lang, fill};

/// Runs `iep jurisdictions [show ID]`.
pub fn execute(
    args: &crate::cli::JurisdictionsArgs,
    io: &mut super::Ctx<'_>,
) -> Result<super::Exit> {
    match &args.action {
        None => list(io.catalog, io.out, io.lang)?,
        Some(crate::cli::JurisdictionsAction::Show { id }) => {
            show(io.catalog, id, io.out, io.lang)?
        }
    }
    Ok(super::Exit::Done)
}

/// Lists every jurisdiction.
pub fn list(catalog: &Catalog, out: &mut dyn Write, lang: Lang) -> Result<()> {
    let mut rows = Vec::new();
    for id in catalog.jurisdiction_ids()? {
        let j = super::jurisdiction_for(catalog, &id, lang)?;
        rows.push((id, j.summary));
    }
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    for (id, summary) in rows {
        writeln!(out, "{id:width$}  {summary}")?;
    }
    writeln!(out, "{}", lang.words().places.see_more)?;
    Ok(())
}

/// Shows one jurisdiction in full.
pub fn show(catalog: &Catalog, id: &str, out: &mut dyn Write, lang: Lang) -> Result<()> {
    let w = &lang.words().places;
    let source = |s: &str| fill(w.source, &[("source", s)]);
    let deep = |s: &str| fill(w.source_deep, &[("source", s)]);
    let j = super::jurisdiction_for(catalog, id, lang)?;
    let j = j.for_board_kind(None);
    writeln!(out, "{} ({})\n{}\n", j.name, j.id, j.summary)?;
    writeln!(
        out,
        "{}",
        fill(w.plan, &[("name", &j.plan.name), ("short", &j.plan.short)])
    )?;
    writeln!(out, "{}\n", source(&j.plan.source))?;
    if !j.board_kinds.is_empty() {
        writeln!(out, "{}", w.boards)?;
        for kind in &j.board_kinds {
            let board = match lang {
                Lang::En => format!("\"{}\"", kind.board),
                _ => format!("«\u{a0}{}\u{a0}»", kind.board),
            };
            writeln!(out, "  {} ({board})\n{}", kind.label, deep(&kind.source))?;
        }
        writeln!(out)?;
    }

    writeln!(out, "{}", w.responsible)?;
    // The responsible person first, then whoever coordinates, then the rest.
    let mut roles: Vec<_> = j.roles.iter().collect();
    roles.sort_by_key(|(id, _)| {
        crate::jurisdiction::REQUIRED_ROLES
            .iter()
            .position(|r| r == id)
            .unwrap_or(usize::MAX)
    });
    for (_, role) in roles {
        writeln!(out, "  {}\n{}", role.title, deep(&role.source))?;
    }

    let window = j.reply_window.describe();
    writeln!(out, "{}", fill(w.window, &[("window", &window)]))?;
    writeln!(out, "{}", source(&j.reply_window.source))?;
    let holidays = catalog.holidays(&j.id)?;
    writeln!(out, "{}", w.skipped)?;
    if !holidays.source.is_empty() {
        writeln!(out, "{}", source(&holidays.source))?;
    }
    if let Some(rule) = &holidays.working_day {
        let flag = if rule.unconfirmed { w.unconfirmed } else { "" };
        writeln!(
            out,
            "{}\n{}",
            fill(w.working_day, &[("flag", flag), ("rule", &rule.text)]),
            deep(&rule.source)
        )?;
    }
    for h in &holidays.holidays {
        let mut flags = Vec::new();
        if h.schools_only {
            flags.push(w.school_days_only);
        }
        if h.unconfirmed {
            flags.push(w.skipped_to_be_safe);
        }
        let flags = if flags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", flags.join("; "))
        };
        let colon = if lang == Lang::En { ":" } else { "\u{a0}:" };
        writeln!(
            out,
            "  {}{colon} {}{flags}\n{}",
            h.name,
            h.describe_rule(),
            deep(&h.source)
        )?;
    }
    if holidays.holidays.is_empty() {
        writeln!(out, "{}", w.no_holidays)?;
    }
    if let Some(rule) = &holidays.deadline_on_holiday {
        let flag = if rule.unconfirmed { w.unconfirmed } else { "" };
        writeln!(
            out,
            "{}\n{}",
            fill(w.calendar_rule, &[("flag", flag), ("rule", &rule.text)]),
            deep(&rule.source)
        )?;
    }
    if let Some(note) = &holidays.note {
        writeln!(out, "  {note}")?;
    }
    writeln!(out, "{}", w.breaks)?;

    let colon = if lang == Lang::En { ":" } else { "\u{a0}:" };
    if !j.law.is_empty() {
        writeln!(out, "{}", w.rules)?;
        for law in j.law.values() {
            writeln!(
                out,
                "  {}{colon} {}\n{}",
                law.what,
                law.text,
                deep(&law.source)
            )?;
        }
    }
    if !j.timelines.is_empty() {
        writeln!(out, "{}", w.timelines)?;
        for fact in &j.timelines {
            writeln!(
                out,
                "  {}{colon} {}\n{}",
                fact.what,
                fact.text,
                deep(&fact.source)
            )?;
        }
    }
    writeln!(out, "{}", w.ladder)?;
    for (n, rung) in j.ladder.iter().enumerate() {
        let level = match rung.level {
            Level::School => w.school,
            Level::Board => w.board,
            Level::Outside => w.outside,
        };
        writeln!(
            out,
            "  {}. {} ({level})\n     {}",
            n + 1,
            rung.office,
            rung.hears
        )?;
        if let Some(under) = &rung.under {
            writeln!(out, "{}", fill(w.under, &[("under", under)]))?;
        }
        if let Some(window) = &rung.reply_window {
            writeln!(
                out,
                "{}",
                fill(
                    w.answers_within,
                    &[("window", &window.describe()), ("source", &window.source)]
                )
            )?;
        }
        if !rung.by_letter {
            writeln!(out, "{}", w.own_forms)?;
        }
        writeln!(out, "{}", fill(w.rung_source, &[("source", &rung.source)]))?;
    }
    if !j.not_for_iep_complaints.is_empty() {
        writeln!(out, "{}", w.not_for)?;
        for fact in &j.not_for_iep_complaints {
            writeln!(
                out,
                "  {}{colon} {}\n{}",
                fact.what,
                fact.text,
                deep(&fact.source)
            )?;
        }
    }
    Ok(())
}
