//! `iep jurisdictions`: each jurisdiction's plan, people, clocks and ladder, with sources.

use std::io::Write;

use anyhow::Result;

use crate::catalog::Catalog;
use crate::jurisdiction::Level;

/// Runs `iep jurisdictions [show ID]`.
pub fn execute(
    args: &crate::cli::JurisdictionsArgs,
    io: &mut super::Ctx<'_>,
) -> Result<super::Exit> {
    match &args.action {
        None => list(io.catalog, io.out)?,
        Some(crate::cli::JurisdictionsAction::Show { id }) => show(io.catalog, id, io.out)?,
    }
    Ok(super::Exit::Done)
}

/// Lists every jurisdiction.
pub fn list(catalog: &Catalog, out: &mut dyn Write) -> Result<()> {
    let mut rows = Vec::new();
    for id in catalog.jurisdiction_ids()? {
        let j = catalog.jurisdiction(&id)?;
        rows.push((id, j.summary));
    }
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    for (id, summary) in rows {
        writeln!(out, "{id:width$}  {summary}")?;
    }
    writeln!(
        out,
        "\nDetails and sources: iep jurisdictions show <jurisdiction>"
    )?;
    Ok(())
}

/// Shows one jurisdiction in full.
pub fn show(catalog: &Catalog, id: &str, out: &mut dyn Write) -> Result<()> {
    let j = catalog.jurisdiction(id)?;
    let j = j.for_board_kind(None);
    writeln!(out, "{} ({})\n{}\n", j.name, j.id, j.summary)?;
    writeln!(out, "The plan: {} ({})", j.plan.name, j.plan.short)?;
    writeln!(out, "  source: {}\n", j.plan.source)?;
    if !j.board_kinds.is_empty() {
        writeln!(
            out,
            "Who runs the schools (letters use the word for the child's school)"
        )?;
        for kind in &j.board_kinds {
            writeln!(
                out,
                "  {} (\"{}\")\n    source: {}",
                kind.label, kind.board, kind.source
            )?;
        }
        writeln!(out)?;
    }

    writeln!(out, "Who is responsible")?;
    // The responsible person first, then whoever coordinates, then the rest.
    let mut roles: Vec<_> = j.roles.iter().collect();
    roles.sort_by_key(|(id, _)| {
        crate::jurisdiction::REQUIRED_ROLES
            .iter()
            .position(|r| r == id)
            .unwrap_or(usize::MAX)
    });
    for (_, role) in roles {
        writeln!(out, "  {}\n    source: {}", role.title, role.source)?;
    }

    writeln!(
        out,
        "\nReply window iep asks for: {}",
        j.reply_window.describe()
    )?;
    writeln!(out, "  source: {}", j.reply_window.source)?;
    let holidays = catalog.holidays(&j.id)?;
    writeln!(
        out,
        "\nDays a reply window does not count: weekends, and these"
    )?;
    if !holidays.source.is_empty() {
        writeln!(out, "  source: {}", holidays.source)?;
    }
    if let Some(rule) = &holidays.working_day {
        let flag = if rule.unconfirmed {
            " (UNCONFIRMED)"
        } else {
            ""
        };
        writeln!(
            out,
            "  Working day{flag}: {}\n    source: {}",
            rule.text, rule.source
        )?;
    }
    for h in &holidays.holidays {
        let mut flags = Vec::new();
        if h.schools_only {
            flags.push("school days only");
        }
        if h.unconfirmed {
            flags.push("UNCONFIRMED, skipped to be safe");
        }
        let flags = if flags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", flags.join("; "))
        };
        writeln!(
            out,
            "  {}: {}{flags}\n    source: {}",
            h.name,
            h.describe_rule(),
            h.source
        )?;
    }
    if holidays.holidays.is_empty() {
        writeln!(
            out,
            "  (none known: only weekends are skipped; check the date iep suggests)"
        )?;
    }
    if let Some(rule) = &holidays.deadline_on_holiday {
        let flag = if rule.unconfirmed {
            " (UNCONFIRMED)"
        } else {
            ""
        };
        writeln!(
            out,
            "  A deadline in calendar days that ends on a holiday{flag}: {}\n    source: {}",
            rule.text, rule.source
        )?;
    }
    if let Some(note) = &holidays.note {
        writeln!(out, "  {note}")?;
    }
    writeln!(
        out,
        "  School breaks differ by board: record your child's once in the case\n  (iep case edit --set closed_days=\"December 21, 2026 to January 1, 2027\"); school-day\n  windows skip them."
    )?;

    if !j.law.is_empty() {
        writeln!(out, "\nRules the letters rely on")?;
        for law in j.law.values() {
            writeln!(
                out,
                "  {}: {}\n    source: {}",
                law.what, law.text, law.source
            )?;
        }
    }
    if !j.timelines.is_empty() {
        writeln!(out, "\nTimelines")?;
        for fact in &j.timelines {
            writeln!(
                out,
                "  {}: {}\n    source: {}",
                fact.what, fact.text, fact.source
            )?;
        }
    }
    writeln!(out, "\nEscalation ladder, first step first")?;
    for (n, rung) in j.ladder.iter().enumerate() {
        let level = match rung.level {
            Level::School => "school",
            Level::Board => "board",
            Level::Outside => "outside the school system",
        };
        writeln!(
            out,
            "  {}. {} ({level})\n     {}",
            n + 1,
            rung.office,
            rung.hears
        )?;
        if let Some(under) = &rung.under {
            writeln!(out, "     under: {under}")?;
        }
        if let Some(w) = &rung.reply_window {
            writeln!(
                out,
                "     answers within {} (source: {})",
                w.describe(),
                w.source
            )?;
        }
        if !rung.by_letter {
            writeln!(
                out,
                "     has its own forms: iep does not write to it, but its chronology helps you fill them"
            )?;
        }
        writeln!(out, "     source: {}", rung.source)?;
    }
    if !j.not_for_iep_complaints.is_empty() {
        writeln!(out, "\nNot for complaints about an IEP")?;
        for fact in &j.not_for_iep_complaints {
            writeln!(
                out,
                "  {}: {}\n    source: {}",
                fact.what, fact.text, fact.source
            )?;
        }
    }
    Ok(())
}
