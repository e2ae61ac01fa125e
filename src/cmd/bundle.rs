//! `iep bundle`: the case as one PDF for a superintendent, an ombudsman or a tribunal: a cover,
//! the chronology (the same one `iep log --export` writes), each letter in full, the replies,
//! the observations, and the files attached to letters with their SHA-256, embedded.
//!
//! Everything in it comes from the case; what the case holds but could not be read (a damaged
//! record, a letter's missing text or email) is named on the cover, and the bundle is made from
//! the rest.

use std::path::Path;

use anyhow::{Context as _, Result, bail};
use mail_parser::MimeHeaders as _;

use super::log::Filter;
use super::print::RecordLetter;
use super::{Ctx, Exit, warn_damaged};
use crate::atomic;
use crate::case::chronology::chronology;
use crate::case::observation::{self, Observation};
use crate::case::record::{self, Damaged, Record};
use crate::case::{self, Case};
use crate::cli::BundleArgs;
use crate::jurisdiction::Jurisdiction;
use crate::print::bundle::{self, Attached, Bundle, Observed, Reply};
use crate::print::{self, Layout};

/// Over this, a bundle is too big for many portals and mail servers: iep says so, and which
/// attachments make it so.
pub const LARGE_BUNDLE: u64 = 100 * 1024 * 1024;

/// Runs `iep bundle`.
pub fn execute(args: &BundleArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    let case = io.need_case("bundle")?.clone();
    let filter = Filter::from_flags(io.catalog, &args.since, &args.until, &args.letter)?;
    // Where it goes is checked before any work, so a refusal costs nothing.
    let named = match args.output.as_deref() {
        Some(p) if p == Path::new("-") => Some(None),
        Some(p) => {
            let path = io.cwd.join(p);
            if !path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
            {
                bail!(
                    "--output {}: the bundle is a PDF; name a file ending in .pdf",
                    p.display()
                );
            }
            case::check_output(&path, args.force, "--output")?;
            Some(Some(path))
        }
        None => None,
    };
    let profile = case.profile()?;
    let j = io.catalog.jurisdiction(&profile.jurisdiction()?)?;
    let layout = Layout::load(io.catalog)?;
    let (records, damaged) = record::load_all(&case)?;
    warn_damaged(io.err, &damaged)?;
    let (observations, bad) = observation::load_all(&case)?;
    warn_damaged(io.err, &bad)?;
    let shown: Vec<&Record> = records
        .iter()
        .filter(|r| filter.keeps(r.file.date, &r.file.letter))
        .collect();
    let observations: Vec<&Observation> = observations
        .iter()
        .filter(|o| filter.keeps_date(o.date) && filter.letters.is_empty())
        .collect();
    if shown.is_empty() && observations.is_empty() {
        bail!(
            "there is nothing to put in a bundle: the case has no letters or observations{}. `iep write <letter>` and `iep observe` record them",
            if records.is_empty() && damaged.is_empty() {
                ""
            } else {
                " in the period or of the kinds asked for"
            }
        );
    }

    let mut problems: Vec<String> = damaged
        .iter()
        .chain(&bad)
        .map(|d| damage(&case, d))
        .collect();
    let child = profile.child_name().unwrap_or_default();
    let sender = profile.text("sender_name");
    let entries = chronology(&shown, &observations, &j, io.today);
    let mut files = Vec::new();
    let mut letters = Vec::new();
    for r in &shown {
        let text = match RecordLetter::read(r, &case) {
            Ok(l) => Some(l),
            Err(e) => {
                problems.push(format!(
                    "The text of the letter {} ({}) could not be read: {}",
                    r.id,
                    relative(&case, &r.dir.join(record::LETTER_FILE)),
                    root_cause(&e)
                ));
                None
            }
        };
        files.extend(attachments(&case, r, &mut problems));
        letters.push(bundle::Letter {
            heading: format!("{}: {}", j.format_date(r.file.date), r.file.title),
            facts: letter_facts(r, &j, io.today),
            sender: text.as_ref().map(|t| t.sender.clone()).unwrap_or_default(),
            text: text.map(|t| t.text),
        });
    }
    unique_names(&mut files);
    let period = period(&filter, &entries, &j);
    let mut facts = vec![("Child".to_owned(), child.clone())];
    for (label, key) in [("School", "school_name"), ("Board", "board_name")] {
        if let Some(v) = profile.text(key).filter(|v| !v.trim().is_empty()) {
            facts.push((label.to_owned(), v));
        }
    }
    facts.push(("Jurisdiction".to_owned(), j.name.clone()));
    facts.push(("Period covered".to_owned(), period));
    if !filter.letters.is_empty() {
        facts.push((
            "Letters included".to_owned(),
            format!("only {}", filter.letters.join(", ")),
        ));
    }
    if let Some(s) = &sender {
        facts.push(("Prepared by".to_owned(), s.clone()));
    }
    facts.push(("Made on".to_owned(), j.format_date(io.today)));
    let made = Bundle {
        title: if child.is_empty() {
            "Evidence bundle".to_owned()
        } else {
            format!("Evidence bundle: {child}")
        },
        child,
        language: j.language.clone(),
        paper: super::print::paper(args.paper, &j),
        made: io.today,
        prepared_by: sender,
        facts,
        problems,
        chronology: entries
            .iter()
            .map(|e| {
                [
                    j.format_date(e.date),
                    e.what.clone(),
                    e.who.clone(),
                    e.details.clone(),
                ]
            })
            .collect(),
        replies: shown.iter().filter_map(|r| reply(r, &j)).collect(),
        observations: observations.iter().map(|o| observed(o, &j)).collect(),
        letters,
        files,
    };
    let pdf = print::bundle::pdf(&made, &layout)?;

    let path = match named {
        Some(None) => {
            io.out
                .write_all(&pdf.bytes)
                .context("could not print the bundle")?;
            return Ok(Exit::Done);
        }
        Some(Some(path)) => {
            super::print::save_new(&path, &pdf.bytes, args.force, "--output")?;
            path
        }
        None => loop {
            let stem = format!("bundle-{}", io.today);
            let path = atomic::with_ext(&atomic::free_stem(&case.root, &stem, &[".pdf"]), ".pdf");
            // Another run may take the name between the check and the write; then the next.
            if atomic::write_new(&path, &pdf.bytes)? {
                break path;
            }
        },
    };
    writeln!(
        io.err,
        "Saved the evidence bundle ({} pages: {} letters, {} replies, {} observations, {} attached files): {}",
        pdf.pages,
        made.letters.len(),
        made.replies.len(),
        made.observations.len(),
        made.files.len(),
        path.display()
    )?;
    if !made.problems.is_empty() {
        writeln!(
            io.err,
            "iep: warning: {} thing(s) could not be included; the cover lists them.",
            made.problems.len()
        )?;
    }
    if pdf.bytes.len() as u64 > LARGE_BUNDLE {
        let mut largest: Vec<&Attached> = made.files.iter().collect();
        largest.sort_by_key(|f| std::cmp::Reverse(f.bytes.len()));
        let names: Vec<String> = largest
            .iter()
            .take(3)
            .map(|f| format!("{} ({})", f.name, bundle::size(f.bytes.len() as u64)))
            .collect();
        writeln!(
            io.err,
            "iep: warning: the bundle is {}; many portals and mail servers refuse files over 100 MB. The largest attached files: {}. A bundle of fewer letters (--since, --until, --letter) is smaller.",
            bundle::size(pdf.bytes.len() as u64),
            names.join(", ")
        )?;
    }
    Ok(Exit::Done)
}

/// A path inside the case, as the cover shows it: relative, so the bundle does not carry the
/// family's own folders.
fn relative(case: &Case, path: &Path) -> String {
    path.strip_prefix(&case.root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn damage(case: &Case, d: &Damaged) -> String {
    // A TOML error points at the spot with a drawing over several lines; on paper its first
    // line (where) and its last (what) say it.
    let lines: Vec<&str> = d.problem.lines().filter(|l| !l.trim().is_empty()).collect();
    let problem = match (lines.first(), lines.last()) {
        (Some(first), Some(last)) if lines.len() > 1 => format!("{first}: {last}"),
        (Some(first), _) => (*first).to_owned(),
        _ => String::new(),
    };
    format!(
        "{} could not be read, so what it holds is not in this bundle: {problem}",
        relative(case, &d.path),
    )
}

fn root_cause(e: &anyhow::Error) -> String {
    e.root_cause().to_string()
}

/// The period, as the cover says it.
fn period(filter: &Filter, entries: &[crate::case::chronology::Entry], j: &Jurisdiction) -> String {
    let (first, last) = (entries.first(), entries.last());
    match (filter.since, filter.until) {
        (Some(s), Some(u)) => format!("{} to {}", j.format_date(s), j.format_date(u)),
        (Some(s), None) => format!("from {}", j.format_date(s)),
        (None, Some(u)) => format!("up to {}", j.format_date(u)),
        (None, None) => match (first, last) {
            (Some(f), Some(l)) => format!(
                "{} to {} (everything the case holds)",
                j.format_date(f.date),
                j.format_date(l.date)
            ),
            _ => "everything the case holds".to_owned(),
        },
    }
}

/// A letter's facts above its text.
fn letter_facts(r: &Record, j: &Jurisdiction, today: chrono::NaiveDate) -> Vec<(String, String)> {
    let mut facts = vec![("Record".to_owned(), r.id.clone())];
    if !r.file.to.is_empty() {
        facts.push(("To".to_owned(), r.to_line()));
    }
    if !r.file.cc.is_empty() {
        let cc: Vec<String> = r.file.cc.iter().map(|p| p.name_and_title()).collect();
        facts.push(("Copied to".to_owned(), cc.join("; ")));
    }
    if let Some(by) = r.file.reply_by {
        facts.push(("Reply asked by".to_owned(), j.format_date(by)));
    }
    let status = match (r.reply(), r.file.reply_by) {
        (Some(e), _) => format!(
            "reply received{}",
            e.date
                .map(|d| format!(" {}", j.format_date(d)))
                .unwrap_or_default()
        ),
        (None, Some(by)) if by < today => format!(
            "no reply; {} days past the date asked, as of {}",
            (today - by).num_days(),
            j.format_date(today)
        ),
        (None, _) => r.status().name().to_owned(),
    };
    facts.push(("Status".to_owned(), status));
    if let Some(f) = &r.file.follows {
        facts.push(("Follows".to_owned(), f.clone()));
    }
    facts
}

fn reply(r: &Record, j: &Jurisdiction) -> Option<Reply> {
    let e = r.reply()?;
    let date = e.date.unwrap_or(e.at.date_naive());
    let mut facts = vec![("Date".to_owned(), j.format_date(date))];
    if let Some(from) = &e.from {
        facts.push(("From".to_owned(), from.clone()));
    }
    facts.push((
        "In reply to".to_owned(),
        format!("{} ({})", r.file.title, r.id),
    ));
    let total = e.answered.len() + e.unanswered.len();
    if total > 0 {
        facts.push((
            "Questions answered".to_owned(),
            format!("{} of {total}", e.answered.len()),
        ));
    }
    Some(Reply {
        heading: format!("{}: reply to {}", j.format_date(date), r.file.title),
        facts,
        summary: e.summary.clone().unwrap_or_default(),
        answered: e.answered.clone(),
        unanswered: e.unanswered.clone(),
    })
}

fn observed(o: &Observation, j: &Jurisdiction) -> Observed {
    let mut facts = vec![
        ("Date".to_owned(), j.format_date(o.date)),
        ("Support not given".to_owned(), o.support.clone()),
    ];
    for (label, value) in [
        ("Where", &o.setting),
        ("What happened", &o.what),
        ("Who was there", &o.present),
    ] {
        if !value.trim().is_empty() {
            facts.push((label.to_owned(), value.clone()));
        }
    }
    Observed {
        heading: format!("{}: {}", j.format_date(o.date), o.support),
        facts,
    }
}

/// The files attached to a letter, from its email (`letter.eml`), where the case keeps them.
/// A letter made as an email whose file is missing or unreadable is named in `problems`.
fn attachments(case: &Case, r: &Record, problems: &mut Vec<String>) -> Vec<Attached> {
    let path = r.dir.join(record::EML_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if r.file.message_id.is_some() {
                problems.push(format!(
                    "{} is missing, so the files attached to the letter {} (if any) are not in this bundle",
                    relative(case, &path),
                    r.id
                ));
            }
            return Vec::new();
        }
        Err(e) => {
            problems.push(format!(
                "{} could not be read ({e}), so the files attached to the letter {} are not in this bundle",
                relative(case, &path),
                r.id
            ));
            return Vec::new();
        }
    };
    let Some(message) = mail_parser::MessageParser::default().parse(&bytes) else {
        problems.push(format!(
            "{} is not a readable email, so the files attached to the letter {} are not in this bundle",
            relative(case, &path),
            r.id
        ));
        return Vec::new();
    };
    message
        .attachments()
        .map(|part| {
            let contents = part.contents().to_vec();
            let mime = part
                .content_type()
                .map(|c| match c.subtype() {
                    Some(sub) => format!("{}/{sub}", c.ctype()),
                    None => c.ctype().to_owned(),
                })
                .unwrap_or_else(|| "application/octet-stream".to_owned());
            Attached {
                name: part.attachment_name().unwrap_or("attachment").to_owned(),
                letter: r.id.clone(),
                sha256: sha256(&contents),
                mime,
                bytes: contents,
                date: r.file.date,
            }
        })
        .collect()
}

/// Two files of the same name (a report attached to two letters) get the letter's id in front,
/// so each is its own attachment in the PDF.
fn unique_names(files: &mut [Attached]) {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for f in files.iter() {
        *seen.entry(f.name.clone()).or_default() += 1;
    }
    for f in files.iter_mut() {
        if seen[&f.name] > 1 {
            f.name = format!("{} {}", f.letter, f.name);
        }
    }
}

/// SHA-256 in lower-case hex, as `sha256sum` prints it.
pub fn sha256(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_is_what_sha256sum_prints() {
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn files_of_one_name_are_told_apart() {
        let f = |letter: &str, name: &str| Attached {
            name: name.into(),
            letter: letter.into(),
            sha256: String::new(),
            mime: "application/pdf".into(),
            bytes: Vec::new(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        };
        let mut files = vec![f("a", "report.pdf"), f("b", "report.pdf"), f("b", "x.pdf")];
        unique_names(&mut files);
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a report.pdf", "b report.pdf", "x.pdf"]);
    }
}
