//! `iep check FILE|-`: wording in a plan too vague to enforce, with line, column, the words,
//! why, and what to ask for instead.

use std::path::Path;

use anyhow::{Context as _, Result, bail};
use console::Style;

use crate::catalog::Catalog;
use crate::check::{Checker, Finding};
use crate::cli::CheckArgs;

/// Runs `iep check`; `Ok(true)` when something was found. `colour` is decided by the caller
/// (a terminal, and no `NO_COLOR`).
pub fn execute(
    catalog: &Catalog,
    args: &CheckArgs,
    cwd: &Path,
    stdin: &mut dyn std::io::Read,
    out: &mut dyn std::io::Write,
    colour: bool,
) -> Result<bool> {
    let rules = catalog
        .find("letters/checks.toml")?
        .context("letters/checks.toml is missing from every layer")?;
    let checker = Checker::from_toml(&rules.display, &rules.text)?;
    let (name, bytes) = if args.file == Path::new("-") {
        let mut b = Vec::new();
        stdin
            .read_to_end(&mut b)
            .context("could not read standard input")?;
        ("standard input".to_owned(), b)
    } else {
        let path = cwd.join(&args.file);
        let b =
            std::fs::read(&path).with_context(|| format!("could not read {}", path.display()))?;
        (path.display().to_string(), b)
    };
    if bytes.starts_with(b"%PDF") {
        bail!(
            "{name} is a PDF. iep reads plain text: save the plan as text first, for example with `pdftotext plan.pdf plan.txt` (poppler-utils), or open it and copy the text into a .txt file, then run iep check on that."
        );
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "{name} is not plain text (UTF-8). Save it as plain text (.txt) and try again."
        )
    })?;
    let findings = checker.check(&text);
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &findings)?;
        writeln!(out)?;
    } else {
        human(&findings, &name, out, colour)?;
    }
    Ok(!findings.is_empty())
}

fn human(
    findings: &[Finding],
    name: &str,
    out: &mut dyn std::io::Write,
    colour: bool,
) -> Result<()> {
    let style = |s: Style| if colour { s } else { Style::new() };
    let bold = style(Style::new().bold());
    let dim = style(Style::new().dim());
    let mark = style(Style::new().yellow().bold());
    if findings.is_empty() {
        writeln!(
            out,
            "{name}: no vague wording found. (iep checks wording only: whether the supports fit your child is for you and the team.)"
        )?;
        return Ok(());
    }
    // Grouped by rule, in the order each first appears.
    let mut order: Vec<&str> = Vec::new();
    for f in findings {
        if !order.contains(&f.rule.as_str()) {
            order.push(&f.rule);
        }
    }
    for rule in order {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.rule == rule).collect();
        let first = group[0];
        writeln!(
            out,
            "{} ({} place{})",
            bold.apply_to(rule),
            group.len(),
            if group.len() == 1 { "" } else { "s" }
        )?;
        if rule == "goal-not-smart" {
            writeln!(
                out,
                "  Why: a goal that is not SMART (specific, measurable, active, realistic and relevant, time-limited) cannot be checked at the end of the year."
            )?;
        } else {
            writeln!(out, "  Why: {}", first.why)?;
        }
        writeln!(out, "  Ask for: {}", first.ask)?;
        for f in group {
            if f.excerpt.is_empty() {
                continue;
            }
            let excerpt = if f.quote.is_empty() || !colour {
                f.excerpt.clone()
            } else {
                f.excerpt
                    .replacen(&f.quote, &mark.apply_to(&f.quote).to_string(), 1)
            };
            writeln!(
                out,
                "  {} {excerpt}",
                dim.apply_to(format!("line {}, column {}:", f.line, f.column))
            )?;
            if rule == "goal-not-smart" {
                let missing = f.why.split_once(": ").map_or(f.why.as_str(), |(_, m)| m);
                writeln!(out, "    Missing: {missing}")?;
            }
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "{} finding{} in {name}. Each is wording to ask the team to make specific; iep checks words, not whether the supports fit your child.",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" }
    )?;
    Ok(())
}
