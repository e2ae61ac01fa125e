//! The fonts embedded in every PDF, and text shaped with them.
//!
//! Noto Sans Regular and Bold (SIL Open Font License; `assets/fonts/`) are compiled into the
//! binary, and touched only when something is printed: `iep write` without `--pdf` never reads
//! them. rustybuzz shapes each line (kerning, and accents typed as separate combining marks put
//! in place), and krilla embeds only the glyphs a document uses.

use std::ops::Range;

use anyhow::{Result, bail};
use krilla::text::{Font, GlyphId, KrillaGlyph};

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

/// Which of the two faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// Running text.
    Regular,
    /// Headings, the "Re:" line, table headers.
    Bold,
}

/// One face: krilla's handle for embedding, and rustybuzz's for shaping.
pub struct Face {
    /// For krilla.
    pub font: Font,
    shaper: rustybuzz::Face<'static>,
    per_em: f32,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Face")
    }
}

/// Both faces, parsed once per document.
#[derive(Debug)]
pub struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    /// Parses the embedded fonts.
    pub fn load() -> Self {
        Fonts {
            regular: Face::new(REGULAR),
            bold: Face::new(BOLD),
        }
    }

    /// One face.
    pub fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

/// A run of text shaped for one face: its glyphs, with advances in ems and each glyph's range
/// of bytes in `text`.
#[derive(Debug, Clone)]
pub struct Shaped {
    /// The text.
    pub text: String,
    /// Its glyphs, in order.
    pub glyphs: Vec<KrillaGlyph>,
}

impl Shaped {
    /// Width in ems.
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.x_advance).sum()
    }

    /// The glyphs from `range` (glyph indices) as a run of their own, their byte ranges made
    /// relative to its text.
    pub fn slice(&self, range: Range<usize>) -> Shaped {
        let glyphs = &self.glyphs[range];
        let (Some(first), Some(last)) = (glyphs.first(), glyphs.last()) else {
            return Shaped {
                text: String::new(),
                glyphs: Vec::new(),
            };
        };
        let start = first.text_range.start;
        let end = last.text_range.end;
        Shaped {
            text: self.text[start..end].to_owned(),
            glyphs: glyphs
                .iter()
                .map(|g| {
                    let mut g = g.clone();
                    g.text_range = g.text_range.start - start..g.text_range.end - start;
                    g
                })
                .collect(),
        }
    }
}

impl Face {
    fn new(data: &'static [u8]) -> Self {
        // Both files are part of the build; a font that does not parse is a broken build.
        let shaper = rustybuzz::Face::from_slice(data, 0).expect("the embedded font parses");
        let per_em = f32::from(shaper.units_per_em() as u16);
        Face {
            font: Font::new(data.into(), 0).expect("the embedded font parses"),
            shaper,
            per_em,
        }
    }

    /// Shapes one line of left-to-right text. A character the font has no glyph for is refused
    /// by name: a PDF must not print a box where a name should be.
    pub fn shape(&self, text: &str) -> Result<Shaped> {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let out = rustybuzz::shape(&self.shaper, &[], buffer);
        let infos = out.glyph_infos();
        let positions = out.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            // A cluster runs to the next glyph's cluster that differs (several glyphs may share
            // one: a letter and its accent).
            let end = infos[i + 1..]
                .iter()
                .find(|n| n.cluster != info.cluster)
                .map_or(text.len(), |n| n.cluster as usize);
            if info.glyph_id == 0 {
                let c = text[start..].chars().next().unwrap_or('?');
                bail!(
                    "the text has a character the printing font cannot show: {c:?} (U+{:04X}), in \"{}\". Print the letter's text file instead, or write it without that character",
                    u32::from(c),
                    text.trim()
                );
            }
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                pos.x_advance as f32 / self.per_em,
                pos.x_offset as f32 / self.per_em,
                pos.y_offset as f32 / self.per_em,
                pos.y_advance as f32 / self.per_em,
                start..end,
                None,
            ));
        }
        Ok(Shaped {
            text: text.to_owned(),
            glyphs,
        })
    }

    /// Breaks `text` into lines no wider than `width` ems, after spaces (each line keeps its
    /// trailing space, so text copied or read aloud has its words apart). A word wider than a
    /// line (a long file name, a hash) is broken between letters.
    pub fn wrap(&self, text: &str, width: f32) -> Result<Vec<Shaped>> {
        let shaped = self.shape(text)?;
        let glyphs = &shaped.glyphs;
        let is_space = |g: &KrillaGlyph| shaped.text[g.text_range.clone()] == *" ";
        let mut lines = Vec::new();
        let mut start = 0;
        while start < glyphs.len() {
            let mut used = 0.0;
            let mut end = start;
            let mut last_break = None;
            while end < glyphs.len() {
                let g = &glyphs[end];
                // A space may hang past the edge; anything else must fit.
                if used + g.x_advance > width && !is_space(g) && end > start {
                    break;
                }
                used += g.x_advance;
                end += 1;
                if is_space(g) {
                    last_break = Some(end);
                }
            }
            if end < glyphs.len()
                && let Some(b) = last_break
            {
                end = b;
            }
            lines.push(shaped.slice(start..end));
            start = end;
        }
        if lines.is_empty() {
            lines.push(shaped);
        }
        Ok(lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_accents_and_macrons_shape_and_strange_characters_are_named() {
        let fonts = Fonts::load();
        let face = fonts.face(Weight::Regular);
        let s = face
            .shape("Zoé Tremblay-Côté, Mānuka Ngata, Nguyễn")
            .unwrap();
        assert!(s.glyphs.iter().all(|g| g.glyph_id.to_u32() != 0));
        // An accent typed as its own character is still one letter.
        let decomposed = face.shape("Nguye\u{302}\u{303}n").unwrap();
        assert_eq!(decomposed.text, "Nguye\u{302}\u{303}n");
        let err = face.shape("Sam 🦀").unwrap_err().to_string();
        assert!(err.contains("U+1F980"), "{err}");
    }

    #[test]
    fn lines_break_after_spaces_and_keep_every_character() {
        let fonts = Fonts::load();
        let face = fonts.face(Weight::Regular);
        let text = "I am writing because a support in the plan is not happening as written.";
        let lines = face.wrap(text, 12.0).unwrap();
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width() <= 12.0 + 0.3));
        assert_eq!(
            lines.iter().map(|l| l.text.as_str()).collect::<String>(),
            text
        );
        assert!(lines[0].text.ends_with(' '));
        let long = "a".repeat(200);
        let lines = face.wrap(&long, 10.0).unwrap();
        assert!(lines.len() > 2);
        assert_eq!(lines.iter().map(|l| l.text.len()).sum::<usize>(), 200);
    }
}
