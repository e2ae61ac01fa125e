//! The evidence bundle: one PDF with a cover, the chronology, each letter in full, the replies,
//! the observations and the files attached to letters (listed with their SHA-256, and embedded).
//! Every fact in it is passed in by `iep bundle` from the case; nothing here adds any.

use anyhow::Result;
use chrono::NaiveDate;
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::tagging::Tag;

use super::flow::{Columns, Flow, Meta, Running, Standard};
use super::fonts::{Fonts, Weight};
use super::layout::Layout;
use crate::jurisdiction::Paper;

/// Everything the bundle shows, gathered from the case.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// "Evidence bundle: Sam Lee".
    pub title: String,
    /// The child's name.
    pub child: String,
    /// BCP 47 language tag.
    pub language: String,
    /// The paper.
    pub paper: Paper,
    /// The day it was made.
    pub made: NaiveDate,
    /// Who prepared it (the sender in the case profile).
    pub prepared_by: Option<String>,
    /// The cover's facts, in order: ("School", "Maple Grove School").
    pub facts: Vec<(String, String)>,
    /// What could not be included, and why (damaged records, missing files), one sentence
    /// each; listed on the cover.
    pub problems: Vec<String>,
    /// The chronology's rows: date, what, to or from, details.
    pub chronology: Vec<[String; 4]>,
    /// Each letter in full.
    pub letters: Vec<Letter>,
    /// Each reply.
    pub replies: Vec<Reply>,
    /// Each observation.
    pub observations: Vec<Observed>,
    /// Files attached to the letters.
    pub files: Vec<Attached>,
}

/// A letter in the bundle.
#[derive(Debug, Clone)]
pub struct Letter {
    /// Its heading (and outline entry): "November 23, 2026: A support in the plan is not
    /// happening".
    pub heading: String,
    /// Its facts: record, to, reply asked by, status.
    pub facts: Vec<(String, String)>,
    /// Its text, or `None` when the record's text could not be read (said in its place).
    pub text: Option<String>,
    /// The typed name under the signature.
    pub sender: String,
}

/// A reply in the bundle.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Its heading.
    pub heading: String,
    /// Its facts: date, from, the letter it answers.
    pub facts: Vec<(String, String)>,
    /// What it said, as the family recorded it.
    pub summary: String,
    /// The letter's questions it answered.
    pub answered: Vec<String>,
    /// The letter's questions it did not answer.
    pub unanswered: Vec<String>,
}

/// An observation in the bundle.
#[derive(Debug, Clone)]
pub struct Observed {
    /// Its heading.
    pub heading: String,
    /// Its facts: date, support, where, what happened, who was there.
    pub facts: Vec<(String, String)>,
}

/// A file attached to a letter.
#[derive(Debug, Clone)]
pub struct Attached {
    /// Its name inside the PDF (unique in the bundle).
    pub name: String,
    /// The letter it was attached to (record id).
    pub letter: String,
    /// Its SHA-256, in hex.
    pub sha256: String,
    /// Its media type: `application/pdf`.
    pub mime: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// The day of the letter it came with.
    pub date: NaiveDate,
}

/// Section headings, in order: each is an outline entry.
pub const SECTIONS: [&str; 5] = [
    "Chronology",
    "Letters",
    "Replies",
    "Observations",
    "Attached files",
];

/// A bundle made.
#[derive(Debug, Clone)]
pub struct Made {
    /// The PDF.
    pub bytes: Vec<u8>,
    /// How many pages it has.
    pub pages: usize,
}

/// The bundle as a PDF/A-3a file.
pub fn pdf(bundle: &Bundle, layout: &Layout) -> Result<Made> {
    let fonts = Fonts::load();
    let mut flow = Flow::new(layout, &fonts, bundle.paper);
    cover(&mut flow, bundle)?;
    chronology(&mut flow, bundle)?;
    letters(&mut flow, bundle)?;
    replies(&mut flow, bundle)?;
    observations(&mut flow, bundle)?;
    files(&mut flow, bundle)?;
    let meta = Meta {
        title: bundle.title.clone(),
        language: bundle.language.clone(),
        author: bundle.prepared_by.clone(),
        date: bundle.made,
        child: bundle.child.clone(),
    };
    let running = Running {
        head: layout.bundle.running_head.clone(),
        foot: layout.bundle.running_foot.clone(),
        head_on_first: false,
        letterhead: String::new(),
    };
    let embedded = bundle
        .files
        .iter()
        .map(|f| {
            let day = |d: NaiveDate| {
                use chrono::Datelike as _;
                krilla::metadata::DateTime::new(d.year() as u16)
                    .month(d.month() as u8)
                    .day(d.day() as u8)
            };
            EmbeddedFile {
                path: f.name.clone(),
                mime_type: MimeType::new(&f.mime)
                    .or_else(|| MimeType::new("application/octet-stream")),
                description: Some(format!(
                    "Attached to the letter {} (SHA-256 {})",
                    f.letter, f.sha256
                )),
                association_kind: AssociationKind::Supplement,
                data: f.bytes.clone().into(),
                modification_date: Some(day(f.date)),
                // A PDF, a photo or an office file is compressed already: deflating it again
                // costs time and saves nothing.
                compress: Some(!already_compressed(&f.mime)),
                location: None,
            }
        })
        .collect();
    let pages = flow.page_count();
    let bytes = flow.finish(&meta, &running, Standard::Archival, embedded)?;
    Ok(Made { bytes, pages })
}

fn facts(flow: &mut Flow<'_>, facts: &[(String, String)]) -> Result<()> {
    let columns = Columns {
        shares: vec![0.25, 0.75],
        header: Vec::new(),
    };
    let rows: Vec<Vec<String>> = facts
        .iter()
        .map(|(k, v)| vec![k.clone(), v.clone()])
        .collect();
    flow.table(&columns, &rows, true)
}

fn cover(flow: &mut Flow<'_>, b: &Bundle) -> Result<()> {
    flow.heading(1, &b.title, true)?;
    facts(flow, &b.facts)?;
    let count = |n: usize, one: &str, many: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    let holds = format!(
        "This bundle holds {}, {}, {} and {}, all from the family's own record, oldest first.",
        count(b.letters.len(), "letter", "letters"),
        count(b.replies.len(), "reply", "replies"),
        count(b.observations.len(), "observation", "observations"),
        count(b.files.len(), "attached file", "attached files"),
    );
    flow.paragraph(&[&holds], Weight::Regular)?;
    if !b.problems.is_empty() {
        flow.heading(2, "What could not be included", false)?;
        let items: Vec<(String, &str)> = b
            .problems
            .iter()
            .map(|p| ("•".to_owned(), p.as_str()))
            .collect();
        flow.list(&items, false)?;
    }
    Ok(())
}

fn chronology(flow: &mut Flow<'_>, b: &Bundle) -> Result<()> {
    flow.page_break();
    flow.heading(1, SECTIONS[0], true)?;
    if b.chronology.is_empty() {
        return flow.paragraph(
            &["There are no letters, replies or observations in the period covered."],
            Weight::Regular,
        );
    }
    let columns = Columns {
        shares: vec![0.17, 0.3, 0.2, 0.33],
        header: ["Date", "What", "To or from", "Asked, and what came back"]
            .map(str::to_owned)
            .to_vec(),
    };
    let rows: Vec<Vec<String>> = b.chronology.iter().map(|r| r.to_vec()).collect();
    flow.table(&columns, &rows, false)
}

fn letters(flow: &mut Flow<'_>, b: &Bundle) -> Result<()> {
    flow.page_break();
    flow.heading(1, SECTIONS[1], true)?;
    if b.letters.is_empty() {
        return flow.paragraph(
            &["There are no letters in the period covered."],
            Weight::Regular,
        );
    }
    for (i, letter) in b.letters.iter().enumerate() {
        if i > 0 {
            flow.page_break();
        }
        flow.open(Tag::Section);
        flow.heading(2, &letter.heading, true)?;
        facts(flow, &letter.facts)?;
        match &letter.text {
            Some(text) => super::letter::lay_out(flow, text, &letter.sender, false)?,
            None => flow.paragraph(
                &["The text of this letter could not be read; see the list on the cover."],
                Weight::Regular,
            )?,
        }
        flow.close();
    }
    Ok(())
}

fn replies(flow: &mut Flow<'_>, b: &Bundle) -> Result<()> {
    flow.page_break();
    flow.heading(1, SECTIONS[2], true)?;
    if b.replies.is_empty() {
        return flow.paragraph(
            &["No reply to the letters in the period covered has been recorded."],
            Weight::Regular,
        );
    }
    for reply in &b.replies {
        flow.open(Tag::Section);
        flow.heading(2, &reply.heading, false)?;
        facts(flow, &reply.facts)?;
        if !reply.summary.is_empty() {
            flow.paragraph(&[&reply.summary], Weight::Regular)?;
        }
        for (lead, questions) in [
            ("Questions it answered:", &reply.answered),
            ("Questions it did not answer:", &reply.unanswered),
        ] {
            if questions.is_empty() {
                continue;
            }
            flow.paragraph(&[lead], Weight::Regular)?;
            flow.space(-flow.layout().text.paragraph_space * 0.6);
            let items: Vec<(String, &str)> = questions
                .iter()
                .map(|q| ("•".to_owned(), q.as_str()))
                .collect();
            flow.list(&items, false)?;
        }
        flow.close();
    }
    Ok(())
}

fn observations(flow: &mut Flow<'_>, b: &Bundle) -> Result<()> {
    flow.page_break();
    flow.heading(1, SECTIONS[3], true)?;
    if b.observations.is_empty() {
        return flow.paragraph(
            &["No observations were recorded in the period covered."],
            Weight::Regular,
        );
    }
    for o in &b.observations {
        flow.open(Tag::Section);
        flow.heading(2, &o.heading, false)?;
        facts(flow, &o.facts)?;
        flow.close();
    }
    Ok(())
}

fn files(flow: &mut Flow<'_>, b: &Bundle) -> Result<()> {
    flow.page_break();
    flow.heading(1, SECTIONS[4], true)?;
    if b.files.is_empty() {
        return flow.paragraph(
            &["No files were attached to the letters in the period covered."],
            Weight::Regular,
        );
    }
    flow.paragraph(
        &["These files were attached to the letters' emails. Each is inside this PDF (see your PDF reader's attachments), and its SHA-256 fingerprint shows whether any other copy is the same file."],
        Weight::Regular,
    )?;
    let columns = Columns {
        shares: vec![0.27, 0.3, 0.43],
        header: ["File", "Attached to the letter", "SHA-256"]
            .map(str::to_owned)
            .to_vec(),
    };
    let rows: Vec<Vec<String>> = b
        .files
        .iter()
        .map(|f| {
            vec![
                format!("{} ({})", f.name, size(f.bytes.len() as u64)),
                f.letter.clone(),
                f.sha256.clone(),
            ]
        })
        .collect();
    flow.table(&columns, &rows, false)
}

/// Whether files of this media type are compressed already.
fn already_compressed(mime: &str) -> bool {
    mime == "application/pdf"
        || mime == "application/zip"
        || mime.starts_with("image/")
        || mime.starts_with("audio/")
        || mime.starts_with("video/")
        || mime.starts_with("application/vnd.openxmlformats")
        || mime.starts_with("application/vnd.oasis.opendocument")
}

/// "12 KB", "3.4 MB".
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{} KB", b.div_ceil(1024)),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}
