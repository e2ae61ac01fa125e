//! The printed layout as data: margins, sizes, spacing and the lines printed on every page, read
//! from `letters/print/layout.toml` through the catalog's layers, so a pack's or a `--templates`
//! folder's own file replaces the built-in one. The schema is documented in that file.

use anyhow::{Context as _, Result, bail};
use serde::Deserialize;

use crate::catalog::Catalog;

/// Where the layout lives in every layer.
pub const LAYOUT_FILE: &str = "letters/print/layout.toml";

/// The names a line of the layout may use, each as `{name}`.
pub const PLACEHOLDERS: &[&str] = &["child", "page", "pages", "title"];

/// `letters/print/layout.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Layout {
    /// The margins.
    pub page: Margins,
    /// Type sizes and spacing.
    pub text: Text,
    /// What only a letter has.
    pub letter: LetterLayout,
    /// What only the evidence bundle has.
    pub bundle: BundleLayout,
}

/// Margins, in points.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Margins {
    /// Above the first line.
    pub margin_top: f32,
    /// Below the last line.
    pub margin_bottom: f32,
    /// Left of the text.
    pub margin_left: f32,
    /// Right of the text.
    pub margin_right: f32,
}

/// Type sizes and spacing, in points.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Text {
    /// The text of a letter.
    pub size: f32,
    /// How far apart lines are, as a multiple of their type size.
    pub line_height: f32,
    /// Space between paragraphs.
    pub paragraph_space: f32,
    /// Running heads and feet, the letterhead, tables.
    pub small_size: f32,
    /// Headings, level 1 first.
    pub heading_sizes: Vec<f32>,
}

/// What only a letter has.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LetterLayout {
    /// Blank space above the typed name, to sign in.
    pub signature_space: f32,
    /// A line at the top of the first page, in small type; empty for none.
    pub letterhead: String,
    /// At the top of every page after the first.
    pub running_head: String,
}

/// What only the evidence bundle has.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BundleLayout {
    /// At the top of every page after the cover.
    pub running_head: String,
    /// At the foot of every page.
    pub running_foot: String,
}

impl Layout {
    /// Parses the layout; `display` names the file in messages.
    pub fn parse(display: &str, text: &str) -> Result<Self> {
        let layout: Layout = toml::from_str(text)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("{display} is not a valid layout"))?;
        layout
            .check()
            .with_context(|| format!("{display} is not a valid layout"))?;
        Ok(layout)
    }

    /// The layout from the highest layer that has one.
    pub fn load(catalog: &Catalog) -> Result<Self> {
        let file = catalog
            .find(LAYOUT_FILE)?
            .with_context(|| format!("{LAYOUT_FILE} is missing from every layer"))?;
        Self::parse(&file.display, &file.text)
    }

    fn check(&self) -> Result<()> {
        let sizes = [
            ("page.margin-top", self.page.margin_top, 0.0, 300.0),
            ("page.margin-bottom", self.page.margin_bottom, 0.0, 300.0),
            ("page.margin-left", self.page.margin_left, 0.0, 200.0),
            ("page.margin-right", self.page.margin_right, 0.0, 200.0),
            ("text.size", self.text.size, 6.0, 24.0),
            ("text.line-height", self.text.line_height, 1.0, 3.0),
            ("text.paragraph-space", self.text.paragraph_space, 0.0, 72.0),
            ("text.small-size", self.text.small_size, 5.0, 24.0),
            (
                "letter.signature-space",
                self.letter.signature_space,
                0.0,
                200.0,
            ),
        ];
        for (name, value, low, high) in sizes {
            if !(low..=high).contains(&value) {
                bail!("`{name}` is {value}; it must be from {low} to {high}");
            }
        }
        if self.text.heading_sizes.is_empty()
            || self
                .text
                .heading_sizes
                .iter()
                .any(|s| !(6.0..=48.0).contains(s))
        {
            bail!("`text.heading-sizes` needs one size or more, each from 6 to 48");
        }
        for (name, line) in [
            ("letter.letterhead", &self.letter.letterhead),
            ("letter.running-head", &self.letter.running_head),
            ("bundle.running-head", &self.bundle.running_head),
            ("bundle.running-foot", &self.bundle.running_foot),
        ] {
            check_line(line).with_context(|| format!("`{name}`"))?;
        }
        Ok(())
    }

    /// The size of a heading of `level` (1 for a section); deeper levels take the last size.
    pub fn heading_size(&self, level: usize) -> f32 {
        let sizes = &self.text.heading_sizes;
        sizes[level.saturating_sub(1).min(sizes.len() - 1)]
    }
}

/// Checks that a line names only [`PLACEHOLDERS`], each closed.
fn check_line(line: &str) -> Result<()> {
    let mut rest = line;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            bail!("a `{{` is not closed: write {{child}}, {{page}}, {{pages}} or {{title}}");
        };
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            bail!(
                "{{{name}}} is not known; a line may use {}",
                PLACEHOLDERS
                    .iter()
                    .map(|p| format!("{{{p}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        rest = &after[close + 1..];
    }
    if line.chars().any(char::is_control) {
        bail!("it has a control character (a line break, a tab…); it is one line of text");
    }
    Ok(())
}

/// What a layout line's placeholders stand for on one page.
#[derive(Debug, Clone, Copy)]
pub struct Fill<'a> {
    /// The child's name.
    pub child: &'a str,
    /// The document's title.
    pub title: &'a str,
    /// This page's number, from 1.
    pub page: usize,
    /// How many pages.
    pub pages: usize,
}

/// `line` with its placeholders filled (checked by [`Layout::parse`]).
pub fn fill(line: &str, with: Fill<'_>) -> String {
    line.replace("{child}", with.child)
        .replace("{title}", with.title)
        .replace("{pages}", &with.pages.to_string())
        .replace("{page}", &with.page.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILT_IN: &str = include_str!("../../letters/print/layout.toml");

    #[test]
    fn the_built_in_layout_parses() {
        let l = Layout::parse("layout.toml", BUILT_IN).unwrap();
        assert_eq!(l.heading_size(1), 17.0);
        assert_eq!(l.heading_size(9), 11.0);
    }

    #[test]
    fn a_wrong_layout_is_refused_with_the_field_named() {
        let bad = BUILT_IN.replace("size = 11\n", "size = 200\n");
        let err = format!("{:#}", Layout::parse("x.toml", &bad).unwrap_err());
        assert!(err.contains("`text.size` is 200"), "{err}");
        let bad = BUILT_IN.replace("{child} · page", "{kid} · page");
        let err = format!("{:#}", Layout::parse("x.toml", &bad).unwrap_err());
        assert!(
            err.contains("x.toml") && err.contains("{kid} is not known"),
            "{err}"
        );
        let bad = BUILT_IN.replace("margin-top = 64\n", "margin-top = 64\ncolour = 1\n");
        let err = format!("{:#}", Layout::parse("x.toml", &bad).unwrap_err());
        assert!(err.contains("colour"), "{err}");
    }

    #[test]
    fn lines_are_filled() {
        let with = Fill {
            child: "Zoé",
            title: "T",
            page: 2,
            pages: 10,
        };
        assert_eq!(
            fill("{child} · page {page} of {pages}", with),
            "Zoé · page 2 of 10"
        );
    }
}
