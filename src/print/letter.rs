//! A letter on paper: its text as blocks (the sender's lines, the date, the recipient, the "Re:"
//! line, paragraphs, numbered and bulleted lists, the closing with room to sign above the typed
//! name, enclosures and copies), laid out by [`super::flow`].
//!
//! The text is the rendered letter itself (`Draft::body`, or a record's `letter.txt`, which a
//! parent may have corrected by hand); every other fact (title, child, sender, language, paper)
//! comes from structured data, never from lines of that text. In the text, a blank line ends a
//! block and every line break is kept: the letters are written one paragraph to a line, and an
//! address's lines must stay lines.

use anyhow::Result;
use chrono::NaiveDate;

use super::flow::{Flow, Meta, Running, Standard};
use super::fonts::{Fonts, Weight};
use super::layout::Layout;
use crate::jurisdiction::Paper;

/// A letter to print.
#[derive(Debug, Clone)]
pub struct Letter<'a> {
    /// The letter's text.
    pub body: &'a str,
    /// The document's title: the letter's subject, or its title.
    pub title: String,
    /// The child's name, printed at the top of each later page.
    pub child: String,
    /// The sender's name as typed under the signature; the space to sign is left above it.
    pub sender: String,
    /// BCP 47 language tag of the text.
    pub language: String,
    /// The letter's date.
    pub date: NaiveDate,
    /// The paper.
    pub paper: Paper,
}

/// One block of a letter's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block<'a> {
    /// Lines printed as they are, each wrapped.
    Lines(Vec<&'a str>),
    /// The "Re:" line: what the letter is about, printed bold (a heading for screen readers).
    Re(&'a str),
    /// `1. …` lines: the label and the text.
    Numbered(Vec<(&'a str, &'a str)>),
    /// `- …` lines.
    Bullets(Vec<&'a str>),
    /// The typed name and what follows it in its block; room to sign is left above.
    Signature(Vec<&'a str>),
    /// A break between blocks of the text (a blank line).
    Gap,
}

/// The blocks of a letter's text. `sender` is the typed name of the signature (its last block
/// that starts with that name, other than the first: the sender's own address block).
pub fn blocks<'a>(body: &'a str, sender: &str) -> Vec<Block<'a>> {
    let chunks: Vec<Vec<&str>> = body
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .collect::<Vec<_>>()
        .split(|l| l.trim().is_empty())
        .filter(|c| !c.is_empty())
        .map(<[&str]>::to_vec)
        .collect();
    let sender = sender.trim();
    let signature = (!sender.is_empty())
        .then(|| {
            chunks
                .iter()
                .enumerate()
                .skip(1)
                .rev()
                .find(|(_, c)| c[0].trim() == sender)
                .map(|(i, _)| i)
        })
        .flatten();
    let mut out = Vec::new();
    for (i, chunk) in chunks.into_iter().enumerate() {
        if i > 0 {
            out.push(Block::Gap);
        }
        if Some(i) == signature {
            out.push(Block::Signature(chunk));
            continue;
        }
        if chunk.len() == 1 && chunk[0].starts_with("Re: ") {
            out.push(Block::Re(chunk[0]));
            continue;
        }
        for line in chunk {
            let numbered = numbered(line);
            let bullet = line.strip_prefix("- ").or_else(|| line.strip_prefix("• "));
            match (out.last_mut(), numbered, bullet) {
                (Some(Block::Numbered(items)), Some(item), _) => items.push(item),
                (_, Some(item), _) => out.push(Block::Numbered(vec![item])),
                (Some(Block::Bullets(items)), None, Some(text)) => items.push(text),
                (_, None, Some(text)) => out.push(Block::Bullets(vec![text])),
                (Some(Block::Lines(lines)), None, None) => lines.push(line),
                (_, None, None) => out.push(Block::Lines(vec![line])),
            }
        }
    }
    out
}

/// `12. text` → ("12.", "text").
fn numbered(line: &str) -> Option<(&str, &str)> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 || !line[digits..].starts_with(". ") {
        return None;
    }
    Some((&line[..=digits], line[digits + 2..].trim_start()))
}

/// Lays out a letter's text in `flow`. On its own, a letter's "Re:" line is its heading
/// (`re_heading`); inside the bundle, under a heading of its own, it is a bold paragraph.
pub fn lay_out(flow: &mut Flow<'_>, body: &str, sender: &str, re_heading: bool) -> Result<()> {
    let space = flow.layout().text.paragraph_space;
    let signature_space = flow.layout().letter.signature_space;
    let blocks = blocks(body, sender);
    for (i, block) in blocks.iter().enumerate() {
        // A list right under its lead line ("Please tell me in writing:") sits close to it.
        let tight = matches!(block, Block::Numbered(_) | Block::Bullets(_))
            && i > 0
            && matches!(blocks[i - 1], Block::Lines(_));
        if tight {
            flow.space(-space * 0.6);
        }
        match block {
            Block::Gap => {}
            // The closing ("Sincerely,") stays on the page of the signature under it: nobody
            // signs a page with nothing but a name on it.
            Block::Lines(lines) if matches!(blocks.get(i + 2), Some(Block::Signature(_))) => {
                let Some(Block::Signature(signed)) = blocks.get(i + 2) else {
                    unreachable!()
                };
                let lh = flow.line_height(flow.layout().text.size);
                flow.keep(lh * (lines.len() + signed.len()) as f32 + signature_space);
                flow.paragraph(lines, Weight::Regular)?;
            }
            Block::Lines(lines) => flow.paragraph(lines, Weight::Regular)?,
            Block::Re(line) => {
                if re_heading {
                    flow.open(krilla::tagging::Tag::Hn(
                        std::num::NonZeroU16::MIN,
                        Some((*line).to_owned()),
                    ));
                } else {
                    flow.open(krilla::tagging::Tag::P);
                }
                let size = flow.layout().text.size;
                flow.text(line, Weight::Bold, size, 0.0)?;
                flow.close();
                flow.space(space);
            }
            Block::Numbered(items) => {
                let items: Vec<(String, &str)> =
                    items.iter().map(|(l, t)| ((*l).to_owned(), *t)).collect();
                flow.list(&items, true)?;
            }
            Block::Bullets(items) => {
                let items: Vec<(String, &str)> =
                    items.iter().map(|t| ("•".to_owned(), *t)).collect();
                flow.list(&items, false)?;
            }
            Block::Signature(lines) => {
                let lh = flow.line_height(flow.layout().text.size);
                flow.keep(signature_space + lh * lines.len() as f32);
                flow.space(signature_space - space);
                flow.paragraph_together(lines)?;
            }
        }
    }
    Ok(())
}

/// The letter as a PDF: tagged, PDF/UA-1, fonts embedded.
pub fn pdf(letter: &Letter<'_>, layout: &Layout) -> Result<Vec<u8>> {
    let fonts = Fonts::load();
    let mut flow = Flow::new(layout, &fonts, letter.paper);
    // PDF/UA asks for an outline: a letter's is its one entry, at the top.
    flow.mark(1, &letter.title);
    lay_out(&mut flow, letter.body, &letter.sender, true)?;
    let meta = Meta {
        title: letter.title.clone(),
        language: letter.language.clone(),
        author: (!letter.sender.is_empty()).then(|| letter.sender.clone()),
        date: letter.date,
        child: letter.child.clone(),
    };
    let running = Running {
        head: layout.letter.running_head.clone(),
        foot: String::new(),
        head_on_first: false,
        letterhead: layout.letter.letterhead.clone(),
    };
    flow.finish(&meta, &running, Standard::Accessible, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Jordan Lee\njordan@example.org\n\nNovember 23, 2026\n\nMs. Patel\nPrincipal\n\n\nRe: Sam Lee, born April 9, 2016\n\nDear Ms. Patel,\n\nHere is what happened:\n- November 3: no scribe\n- November 5: no scribe\nPlease tell me in writing:\n1. Is this support being given now?\n2. Who is responsible?\n\nSincerely,\n\nJordan Lee\nParent of Sam Lee\n\ncc:\n- Mr. Tran\n";

    #[test]
    fn a_letter_falls_into_its_blocks() {
        let b = blocks(TEXT, "Jordan Lee");
        let kinds: Vec<&Block> = b.iter().filter(|b| **b != Block::Gap).collect();
        assert_eq!(
            kinds[0],
            &Block::Lines(vec!["Jordan Lee", "jordan@example.org"]),
            "the sender's block is not the signature"
        );
        assert_eq!(kinds[3], &Block::Re("Re: Sam Lee, born April 9, 2016"));
        assert_eq!(kinds[5], &Block::Lines(vec!["Here is what happened:"]));
        assert_eq!(
            kinds[6],
            &Block::Bullets(vec!["November 3: no scribe", "November 5: no scribe"])
        );
        assert_eq!(
            kinds[8],
            &Block::Numbered(vec![
                ("1.", "Is this support being given now?"),
                ("2.", "Who is responsible?")
            ])
        );
        assert_eq!(
            kinds[10],
            &Block::Signature(vec!["Jordan Lee", "Parent of Sam Lee"])
        );
        assert_eq!(kinds[12], &Block::Bullets(vec!["Mr. Tran"]));
    }

    #[test]
    fn a_letter_passes_the_pdf_ua_checks() {
        let layout = Layout::parse(
            "layout.toml",
            include_str!("../../letters/print/layout.toml"),
        )
        .unwrap();
        let letter = Letter {
            body: TEXT,
            title: "Scribe: Zoé Tremblay-Côté".into(),
            child: "Zoé Tremblay-Côté".into(),
            sender: "Jordan Lee".into(),
            language: "en-CA".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            paper: Paper::Letter,
        };
        let bytes = pdf(&letter, &layout).unwrap();
        assert!(bytes.starts_with(b"%PDF-1.7"));
        if let Ok(path) = std::env::var("IEP_TEST_PDF") {
            std::fs::write(path, &bytes).unwrap();
        }
    }

    #[test]
    fn without_a_sender_there_is_no_signature_block() {
        assert!(
            !blocks(TEXT, "")
                .iter()
                .any(|b| matches!(b, Block::Signature(_)))
        );
        assert_eq!(numbered("10. Ten"), Some(("10.", "Ten")));
        assert_eq!(numbered("2026. A year"), None);
        assert_eq!(numbered("1.5 hours"), None);
    }
}
