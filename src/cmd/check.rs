//! `iep check FILE|-`: wording in a plan too vague to enforce, with line, column, the words,
//! why, and what to ask for instead.

use std::io::Read as _;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use console::Style;

use crate::catalog::Catalog;
use crate::check::{Checker, Finding};
use crate::cli::CheckArgs;

/// `iep check --json`: stable for scripts. `version` changes only when a field is removed or
/// changes meaning; new fields may be added.
#[derive(Debug, serde::Serialize)]
pub struct CheckJson<'a> {
    /// The shape's version: 1.
    pub version: u32,
    /// Every finding, in the order found.
    pub findings: &'a [Finding],
}

/// Runs `iep check`, with grep's exit codes: [`super::Exit::Done`] when nothing was found,
/// [`super::Exit::Found`] when something was, [`super::Exit::CouldNotCheck`] (2) when the plan could not be
/// read, with the reason printed here.
pub fn execute(args: &CheckArgs, io: &mut super::Ctx<'_>) -> Result<super::Exit> {
    use super::Exit;
    let cwd = io.cwd.clone();
    match check(io.catalog, args, &cwd, io.input, io.out, io.colour, io.lang) {
        Ok(true) => Ok(Exit::Found),
        Ok(false) => Ok(Exit::Done),
        Err(e) => {
            crate::report(&e, io.err);
            Ok(Exit::CouldNotCheck)
        }
    }
}

/// `Ok(true)` when something was found.
fn check(
    catalog: &Catalog,
    args: &CheckArgs,
    cwd: &Path,
    stdin: &mut dyn std::io::Read,
    out: &mut dyn std::io::Write,
    colour: bool,
    lang: crate::lang::Lang,
) -> Result<bool> {
    let checker = Checker::from_catalog(catalog)?;
    let (name, bytes) = if args.file == Path::new("-") {
        (
            "standard input".to_owned(),
            read_plan(stdin, "standard input")?,
        )
    } else {
        let path = cwd.join(&args.file);
        let name = path.display().to_string();
        let file = std::fs::File::open(&path).with_context(|| format!("could not read {name}"))?;
        let bytes = read_plan(&mut std::io::BufReader::new(file), &name)?;
        (name, bytes)
    };
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        bail!(
            "{name} is over {} MB, far more than any plan; iep check reads plain text up to that size. Check that it is the plan, or split it.",
            MAX_PLAN_BYTES / (1024 * 1024)
        );
    }
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
        serde_json::to_writer_pretty(
            &mut *out,
            &CheckJson {
                version: 1,
                findings: &findings,
            },
        )?;
        writeln!(out)?;
    } else {
        // Said in the plan's language: a French plan gets French labels around its findings.
        human(
            &findings,
            &name,
            out,
            colour,
            lang == crate::lang::Lang::Fr || crate::check::looks_french(&text),
        )?;
    }
    Ok(!findings.is_empty())
}

/// The largest plan `iep check` reads: a plan is tens of kilobytes; this bounds the memory a
/// wrong file (a disk image, /dev/zero) can take.
pub const MAX_PLAN_BYTES: u64 = 64 * 1024 * 1024;

/// Reads at most one byte more than [`MAX_PLAN_BYTES`], so that a larger input is refused
/// without being read whole.
pub fn read_plan(input: &mut dyn std::io::Read, name: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::io::Read::take(input, MAX_PLAN_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("could not read {name}"))?;
    Ok(bytes)
}

fn human(
    findings: &[Finding],
    name: &str,
    out: &mut dyn std::io::Write,
    colour: bool,
    fr: bool,
) -> Result<()> {
    let style = |s: Style| if colour { s } else { Style::new() };
    let bold = style(Style::new().bold());
    let dim = style(Style::new().dim());
    let mark = style(Style::new().yellow().bold());
    if findings.is_empty() {
        if fr {
            writeln!(
                out,
                "{name}\u{a0}: aucune formulation vague trouvée. (iep vérifie seulement les mots\u{a0}: si les mesures conviennent à votre enfant, c'est à vous et à l'équipe d'en juger.)"
            )?;
        } else {
            writeln!(
                out,
                "{name}: no vague wording found. (iep checks wording only: whether the supports fit your child is for you and the team.)"
            )?;
        }
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
        let plural = if group.len() == 1 { "" } else { "s" };
        if fr {
            writeln!(
                out,
                "{} ({} endroit{plural})",
                bold.apply_to(rule),
                group.len()
            )?;
        } else {
            writeln!(
                out,
                "{} ({} place{plural})",
                bold.apply_to(rule),
                group.len()
            )?;
        }
        let (why, ask, at, missing_label) = if fr {
            (
                "Pourquoi\u{a0}:",
                "À demander\u{a0}:",
                ("ligne", "colonne", "\u{a0}:"),
                "Il manque\u{a0}:",
            )
        } else {
            ("Why:", "Ask for:", ("line", "column", ":"), "Missing:")
        };
        if rule == "goal-not-smart" && fr {
            writeln!(
                out,
                "  {why} un objectif qui n'est pas SMART (spécifique, mesurable, atteignable, réaliste et pertinent, limité dans le temps) ne peut pas être vérifié en fin d'année."
            )?;
        } else if rule == "goal-not-smart" {
            writeln!(
                out,
                "  Why: a goal that is not SMART (specific, measurable, active, realistic and relevant, time-limited) cannot be checked at the end of the year."
            )?;
        } else {
            writeln!(out, "  {why} {}", first.why)?;
        }
        writeln!(out, "  {ask} {}", first.ask)?;
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
                dim.apply_to(format!(
                    "{} {}, {} {}{}",
                    at.0, f.line, at.1, f.column, at.2
                ))
            )?;
            if rule == "goal-not-smart" {
                let missing = f
                    .why
                    .split_once(": ")
                    .or_else(|| f.why.split_once("\u{a0}: "))
                    .map_or(f.why.as_str(), |(_, m)| m);
                writeln!(out, "    {missing_label} {missing}")?;
            }
        }
        writeln!(out)?;
    }
    let plural = if findings.len() == 1 { "" } else { "s" };
    if fr {
        writeln!(
            out,
            "{} constat{plural} dans {name}. Chacun est une formulation à faire préciser par l'équipe\u{a0}; iep vérifie les mots, pas si les mesures conviennent à votre enfant.",
            findings.len()
        )?;
    } else {
        writeln!(
            out,
            "{} finding{plural} in {name}. Each is wording to ask the team to make specific; iep checks words, not whether the supports fit your child.",
            findings.len()
        )?;
    }
    Ok(())
}
