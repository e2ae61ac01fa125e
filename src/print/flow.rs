//! The typesetter: headings, paragraphs, lists and tables placed down pages, each line recorded
//! in the structure tree a screen reader follows, then the pages written as a PDF by krilla.
//!
//! Layout is done first, in full, and only then are pages drawn: "page 2 of 5" needs to know
//! there are five. Everything that is not the document's own content (running heads and feet,
//! the letterhead, table rules, a table header repeated on a new page) is drawn as an artifact,
//! which assistive technology skips.

use std::num::NonZeroU16;

use anyhow::{Result, anyhow};
use chrono::{Datelike as _, NaiveDate};
use krilla::color::rgb;
use krilla::configure::{Configuration, Validator};
use krilla::destination::XyzDestination;
use krilla::embed::EmbeddedFile;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope, Tag,
    TagGroup, TagKind, TagTree,
};
use krilla::{Document, SerializeSettings};

use super::fonts::{Fonts, Shaped, Weight};
use super::layout::{self, Layout};
use crate::jurisdiction::Paper;

/// Grey for running heads and feet: still well above the contrast readers need.
const GREY: (u8, u8, u8) = (80, 80, 80);

/// One thing drawn on a page.
#[derive(Debug)]
enum Item {
    /// A line of text at its baseline; `content` is its place in the structure tree, or `None`
    /// for an artifact.
    Text {
        x: f32,
        y: f32,
        weight: Weight,
        size: f32,
        run: Shaped,
        content: Option<usize>,
    },
    /// A thin horizontal rule (always an artifact).
    Rule { x1: f32, x2: f32, y: f32 },
}

/// A node of the structure tree as it is built.
#[derive(Debug)]
enum Part {
    Group(Group),
    Content(usize),
}

#[derive(Debug)]
struct Group {
    tag: TagKind,
    children: Vec<Part>,
}

/// An outline entry: where a heading is.
#[derive(Debug)]
struct Mark {
    level: usize,
    title: String,
    page: usize,
    y: f32,
}

/// A table being laid out: its columns and header, repeated at the top of each new page.
#[derive(Debug, Clone)]
pub struct Columns {
    /// Each column's share of the text width; they add up to 1.
    pub shares: Vec<f32>,
    /// The header cells.
    pub header: Vec<String>,
}

/// The document's facts, for its metadata.
#[derive(Debug, Clone)]
pub struct Meta {
    /// The title a reader's window shows.
    pub title: String,
    /// BCP 47 language tag: `en-CA`.
    pub language: String,
    /// Who wrote it.
    pub author: Option<String>,
    /// When it was made (a day: PDFs of the same letter made on the same day are the same).
    pub date: NaiveDate,
    /// The child's name, for running heads.
    pub child: String,
}

/// Which standard the file claims and krilla checks before writing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standard {
    /// PDF/UA-1: accessible (a letter).
    Accessible,
    /// PDF/A-3a: archival, tagged, with files embedded (the evidence bundle).
    Archival,
}

/// Lines printed on every page (or every page after the first).
#[derive(Debug, Clone, Default)]
pub struct Running {
    /// At the top; with `{page}` and the like (see [`layout::PLACEHOLDERS`]).
    pub head: String,
    /// At the foot.
    pub foot: String,
    /// Whether the first page has the head too.
    pub head_on_first: bool,
    /// A line at the very top of the first page (a letterhead).
    pub letterhead: String,
}

/// Lays out a document; [`Flow::finish`] writes it.
pub struct Flow<'a> {
    layout: &'a Layout,
    fonts: &'a Fonts,
    width: f32,
    height: f32,
    pages: Vec<Vec<Item>>,
    y: f32,
    stack: Vec<Group>,
    contents: usize,
    marks: Vec<Mark>,
    table: Option<Columns>,
}

impl std::fmt::Debug for Flow<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Flow")
            .field("pages", &self.pages.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Flow<'a> {
    /// An empty document on `paper`, its first page started.
    pub fn new(layout: &'a Layout, fonts: &'a Fonts, paper: Paper) -> Self {
        let (width, height) = paper.points();
        Flow {
            layout,
            fonts,
            width,
            height,
            pages: vec![Vec::new()],
            y: layout.page.margin_top,
            // The root: its children go straight under the Document element krilla makes.
            stack: vec![Group {
                tag: Tag::Div.into(),
                children: Vec::new(),
            }],
            contents: 0,
            marks: Vec::new(),
            table: None,
        }
    }

    /// The layout in use.
    pub fn layout(&self) -> &Layout {
        self.layout
    }

    fn left(&self) -> f32 {
        self.layout.page.margin_left
    }

    fn text_width(&self) -> f32 {
        self.width - self.layout.page.margin_left - self.layout.page.margin_right
    }

    fn bottom(&self) -> f32 {
        self.height - self.layout.page.margin_bottom
    }

    fn at_top(&self) -> bool {
        self.y <= self.layout.page.margin_top + 0.01
    }

    /// How far apart lines of `size` are.
    pub fn line_height(&self, size: f32) -> f32 {
        size * self.layout.text.line_height
    }

    /// Starts a new page, unless this one is still empty.
    pub fn page_break(&mut self) {
        if !self.at_top() {
            self.new_page();
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.layout.page.margin_top;
        if let Some(columns) = self.table.clone() {
            // The header again, for the eye only: the structure has it once.
            self.header_row(&columns, false);
        }
    }

    /// Makes sure `height` fits below the cursor, starting a new page if not.
    pub fn keep(&mut self, height: f32) {
        if self.y + height > self.bottom() && !self.at_top() {
            self.new_page();
        }
    }

    /// Moves down by `height` (blank space), not past the foot of the page; a negative height
    /// draws what follows closer (a list under its lead line). Nothing moves at a page's top.
    pub fn space(&mut self, height: f32) {
        if !self.at_top() {
            self.y = (self.y + height).min(self.bottom());
        }
    }

    /// Opens a structure group (a section, a paragraph, a list…); [`Flow::close`] ends it.
    pub fn open(&mut self, tag: impl Into<TagKind>) {
        self.stack.push(Group {
            tag: tag.into(),
            children: Vec::new(),
        });
    }

    /// Closes the group opened last.
    pub fn close(&mut self) {
        let group = self.stack.pop().expect("every close has its open");
        self.stack
            .last_mut()
            .expect("the document group stays open")
            .children
            .push(Part::Group(group));
    }

    /// Places a run with its baseline at `y`; it becomes the next content of the open group.
    fn place(&mut self, x: f32, y: f32, weight: Weight, size: f32, run: Shaped) {
        let id = self.contents;
        self.contents += 1;
        self.stack
            .last_mut()
            .expect("the document group stays open")
            .children
            .push(Part::Content(id));
        self.pages.last_mut().expect("a page").push(Item::Text {
            x,
            y,
            weight,
            size,
            run,
            content: Some(id),
        });
    }

    fn baseline(&self, top: f32, size: f32) -> f32 {
        // Noto's capitals are 0.714 em tall: centre them in the line.
        top + (self.line_height(size) + 0.714 * size) / 2.0
    }

    /// Writes `text` wrapped at the text width less `indent`, line by line down the page. A
    /// line break in `text` starts a new line; a tab is a space, and other control characters
    /// are left out.
    pub fn text(&mut self, text: &str, weight: Weight, size: f32, indent: f32) -> Result<()> {
        let width = (self.text_width() - indent) / size;
        let lh = self.line_height(size);
        for line in text.split('\n') {
            for run in self.fonts.face(weight).wrap(&printable(line), width)? {
                self.keep(lh);
                let y = self.baseline(self.y, size);
                self.place(self.left() + indent, y, weight, size, run);
                self.y += lh;
            }
        }
        Ok(())
    }

    /// An outline entry of `level` (1 at the top) for what comes next, without a heading.
    pub fn mark(&mut self, level: usize, title: &str) {
        self.marks.push(Mark {
            level,
            title: title.to_owned(),
            page: self.pages.len() - 1,
            y: self.y,
        });
    }

    /// A heading of `level` (1 for a section), kept with what follows it; with `outline`, an
    /// outline entry too.
    pub fn heading(&mut self, level: usize, text: &str, outline: bool) -> Result<()> {
        let size = self.layout.heading_size(level);
        let body = self.line_height(self.layout.text.size);
        if !self.at_top() {
            self.space(self.layout.text.paragraph_space);
        }
        self.keep(self.line_height(size) + 3.0 * body);
        if outline {
            self.mark(level, text);
        }
        let level = NonZeroU16::new(level.clamp(1, 6) as u16).expect("1 to 6");
        self.open(Tag::Hn(level, Some(text.to_owned())));
        self.text(text, Weight::Bold, size, 0.0)?;
        self.close();
        self.y += self.layout.text.paragraph_space / 2.0;
        Ok(())
    }

    /// A paragraph: each of `lines` starts a line of its own (an address keeps its lines), each
    /// wrapped; space after.
    pub fn paragraph(&mut self, lines: &[&str], weight: Weight) -> Result<()> {
        let size = self.layout.text.size;
        self.open(Tag::P);
        for line in lines {
            self.text(line, weight, size, 0.0)?;
        }
        self.close();
        self.y += self.layout.text.paragraph_space;
        Ok(())
    }

    /// A paragraph whose lines must not be split across pages (a signature block).
    pub fn paragraph_together(&mut self, lines: &[&str]) -> Result<()> {
        let size = self.layout.text.size;
        self.keep(self.line_height(size) * lines.len() as f32);
        self.paragraph(lines, Weight::Regular)
    }

    /// A list: each item's label (`1.`, `•`) hangs left of its wrapped text.
    pub fn list(&mut self, items: &[(String, &str)], numbered: bool) -> Result<()> {
        let size = self.layout.text.size;
        let lh = self.line_height(size);
        let face = self.fonts.face(Weight::Regular);
        let mut indent: f32 = 0.0;
        for (label, _) in items {
            indent = indent.max(face.shape(label)?.width() * size);
        }
        let indent = indent + size * 0.6;
        self.open(Tag::L(if numbered {
            ListNumbering::Decimal
        } else {
            ListNumbering::Disc
        }));
        for (label, text) in items {
            self.keep(lh);
            self.open(Tag::LI);
            self.open(Tag::Lbl);
            let run = self.fonts.face(Weight::Regular).shape(&printable(label))?;
            let y = self.baseline(self.y, size);
            self.place(self.left(), y, Weight::Regular, size, run);
            self.close();
            self.open(Tag::LBody);
            self.text(text, Weight::Regular, size, indent)?;
            self.close();
            self.close();
            self.y += size * 0.15;
        }
        self.close();
        self.y += self.layout.text.paragraph_space;
        Ok(())
    }

    /// A table in small type: a header row, then `rows`, split between pages by row (the header
    /// is drawn again at the top of each new page). `row_headers` makes each row's first cell
    /// the header of its row (a table of facts) instead of the columns' header.
    pub fn table(
        &mut self,
        columns: &Columns,
        rows: &[Vec<String>],
        row_headers: bool,
    ) -> Result<()> {
        self.open(Tag::Table);
        if !columns.header.is_empty() {
            self.open(Tag::THead);
            self.header_row(columns, true);
            self.close();
            self.table = Some(columns.clone());
        }
        self.open(Tag::TBody);
        for row in rows {
            self.row(columns, row, row_headers)?;
        }
        self.close();
        self.close();
        self.table = None;
        self.y += self.layout.text.paragraph_space;
        Ok(())
    }

    fn cell_lines(
        &self,
        columns: &Columns,
        row: &[String],
        weight: Weight,
    ) -> Result<Vec<Vec<Shaped>>> {
        let size = self.layout.text.small_size;
        let pad = size * 0.5;
        let mut cells = Vec::with_capacity(row.len());
        for (text, share) in row.iter().zip(&columns.shares) {
            let width = (share * self.text_width() - pad * 2.0) / size;
            let mut lines = Vec::new();
            for line in text.lines() {
                lines.extend(self.fonts.face(weight).wrap(&printable(line), width)?);
            }
            cells.push(lines);
        }
        Ok(cells)
    }

    /// The header row: in the structure once (`tagged`), drawn again as an artifact on later
    /// pages.
    fn header_row(&mut self, columns: &Columns, tagged: bool) {
        let Ok(cells) = self.cell_lines(columns, &columns.header, Weight::Bold) else {
            return;
        };
        if tagged {
            self.open(Tag::TR);
        }
        self.draw_row(
            columns,
            cells,
            Weight::Bold,
            tagged.then_some(TableHeaderScope::Column),
            false,
        );
        if tagged {
            self.close();
        }
    }

    fn row(&mut self, columns: &Columns, row: &[String], row_headers: bool) -> Result<()> {
        let cells = self.cell_lines(columns, row, Weight::Regular)?;
        self.open(Tag::TR);
        self.draw_row(columns, cells, Weight::Regular, None, row_headers);
        self.close();
        Ok(())
    }

    fn draw_row(
        &mut self,
        columns: &Columns,
        cells: Vec<Vec<Shaped>>,
        weight: Weight,
        header: Option<TableHeaderScope>,
        row_headers: bool,
    ) {
        let size = self.layout.text.small_size;
        let lh = self.line_height(size);
        let pad = size * 0.5;
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = lines as f32 * lh + pad * 2.0;
        self.keep(height);
        let top = self.y;
        let mut x = self.left();
        let tagged = header.is_some() || weight == Weight::Regular;
        for (i, (cell, share)) in cells.into_iter().zip(&columns.shares).enumerate() {
            if tagged {
                match header {
                    Some(scope) => self.open(Tag::TH(scope)),
                    None if row_headers && i == 0 => self.open(Tag::TH(TableHeaderScope::Row)),
                    None => self.open(Tag::TD),
                }
            }
            let w = if row_headers && i == 0 {
                Weight::Bold
            } else {
                weight
            };
            for (n, run) in cell.into_iter().enumerate() {
                let y = self.baseline(top + pad + n as f32 * lh, size);
                if tagged {
                    self.place(x + pad, y, w, size, run);
                } else {
                    self.pages.last_mut().expect("a page").push(Item::Text {
                        x: x + pad,
                        y,
                        weight: w,
                        size,
                        run,
                        content: None,
                    });
                }
            }
            if tagged {
                self.close();
            }
            x += share * self.text_width();
        }
        self.y = top + height;
        let (x1, x2, y) = (self.left(), self.left() + self.text_width(), self.y);
        self.pages
            .last_mut()
            .expect("a page")
            .push(Item::Rule { x1, x2, y });
    }

    /// How many pages so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Writes the PDF: every page with its running head and foot, the structure tree, the
    /// outline, the metadata and `files`, checked by krilla against `standard`.
    pub fn finish(
        self,
        meta: &Meta,
        running: &Running,
        standard: Standard,
        files: Vec<EmbeddedFile>,
    ) -> Result<Vec<u8>> {
        let validator = match standard {
            Standard::Accessible => Validator::UA1,
            Standard::Archival => Validator::A3_A,
        };
        let settings = SerializeSettings {
            configuration: Configuration::new_with_validator(validator),
            enable_tagging: true,
            ..SerializeSettings::default()
        };
        let mut doc = Document::new_with(settings);
        let total = self.pages.len();
        let mut ids: Vec<Option<Identifier>> = vec![None; self.contents];
        let small = self.layout.text.small_size;
        for (index, items) in self.pages.iter().enumerate() {
            let mut page = doc.start_page_with(
                PageSettings::from_wh(self.width, self.height).expect("paper sizes are positive"),
            );
            let mut surface = page.surface();
            for item in items {
                match item {
                    Item::Text {
                        x,
                        y,
                        weight,
                        size,
                        run,
                        content,
                    } => {
                        let id = match content {
                            Some(_) => surface.start_tagged(ContentTag::Span(SpanTag::empty())),
                            None => surface.start_tagged(ContentTag::Artifact(ArtifactType::Other)),
                        };
                        draw(
                            &mut surface,
                            self.fonts,
                            *weight,
                            *size,
                            *x,
                            *y,
                            run,
                            (0, 0, 0),
                        );
                        surface.end_tagged();
                        if let Some(c) = content {
                            ids[*c] = Some(id);
                        }
                    }
                    Item::Rule { x1, x2, y } => {
                        surface.start_tagged(ContentTag::Artifact(ArtifactType::Other));
                        rule(&mut surface, *x1, *x2, *y);
                        surface.end_tagged();
                    }
                }
            }
            let fill = layout::Fill {
                child: &meta.child,
                title: &meta.title,
                page: index + 1,
                pages: total,
            };
            let lines = [
                (
                    if index == 0 {
                        running.letterhead.clone()
                    } else {
                        String::new()
                    },
                    ArtifactType::Header,
                    self.layout.page.margin_top * 0.45,
                    false,
                ),
                (
                    if index > 0 || running.head_on_first {
                        layout::fill(&running.head, fill)
                    } else {
                        String::new()
                    },
                    ArtifactType::Header,
                    self.layout.page.margin_top * 0.6,
                    false,
                ),
                (
                    layout::fill(&running.foot, fill),
                    ArtifactType::Footer,
                    self.height - self.layout.page.margin_bottom * 0.45,
                    true,
                ),
            ];
            for (text, kind, y, centred) in lines {
                if text.trim().is_empty() {
                    continue;
                }
                let run = self.fonts.face(Weight::Regular).shape(&text)?;
                let x = if centred {
                    (self.width - run.width() * small) / 2.0
                } else {
                    self.layout.page.margin_left
                };
                surface.start_tagged(ContentTag::Artifact(kind));
                draw(
                    &mut surface,
                    self.fonts,
                    Weight::Regular,
                    small,
                    x,
                    y,
                    &run,
                    GREY,
                );
                surface.end_tagged();
            }
            surface.finish();
            page.finish();
        }

        let mut stack = self.stack;
        let root = stack.pop().expect("the document group");
        let mut tree = TagTree::new().with_lang(Some(meta.language.clone()));
        for child in root.children {
            match child {
                Part::Group(g) => tree.push(to_node(g, &mut ids)),
                Part::Content(c) => {
                    if let Some(id) = ids[c].take() {
                        tree.push(id);
                    }
                }
            }
        }
        doc.set_tag_tree(tree);

        let mut outline = Outline::new();
        let mut top: Option<OutlineNode> = None;
        for mark in self.marks {
            let node = OutlineNode::new(
                mark.title,
                XyzDestination::new(mark.page, Point::from_xy(0.0, mark.y)),
            );
            if mark.level <= 1 {
                if let Some(done) = top.take() {
                    outline.push_child(done);
                }
                top = Some(node);
            } else {
                match &mut top {
                    Some(parent) => parent.push_child(node),
                    None => outline.push_child(node),
                }
            }
        }
        if let Some(done) = top {
            outline.push_child(done);
        }
        doc.set_outline(outline);

        let date = DateTime::new(meta.date.year() as u16)
            .month(meta.date.month() as u8)
            .day(meta.date.day() as u8);
        let mut metadata = Metadata::new()
            .title(meta.title.clone())
            .language(meta.language.clone())
            .creator(format!("iep {}", env!("CARGO_PKG_VERSION")))
            .creation_date(date);
        if let Some(author) = &meta.author {
            metadata = metadata.authors(vec![author.clone()]);
        }
        doc.set_metadata(metadata);
        for file in files {
            let name = file.path.clone();
            doc.embed_file(file)
                .ok_or_else(|| anyhow!("two attached files are both named {name}"))?;
        }
        doc.finish()
            .map_err(|e| anyhow!("could not make the PDF: {e:?}"))
    }
}

/// One line as it is drawn: control characters out (a tab as a space), and a space at its end,
/// invisible, so that text copied from the page or read aloud keeps this line's last word
/// apart from the next line's first, as a wrapped line keeps the space it broke at.
fn printable(line: &str) -> String {
    let mut out: String = line
        .chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// The structure tree as krilla takes it. Every content was placed on a page, so each has
/// its identifier.
fn to_node(group: Group, ids: &mut [Option<Identifier>]) -> Node {
    let children = group
        .children
        .into_iter()
        .filter_map(|child| match child {
            Part::Group(g) => Some(to_node(g, ids)),
            Part::Content(c) => ids[c].take().map(Node::from),
        })
        .collect();
    TagGroup::with_children(group.tag, children).into()
}

#[allow(clippy::too_many_arguments)]
fn draw(
    surface: &mut Surface<'_>,
    fonts: &Fonts,
    weight: Weight,
    size: f32,
    x: f32,
    y: f32,
    run: &Shaped,
    (r, g, b): (u8, u8, u8),
) {
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
    surface.draw_glyphs(
        Point::from_xy(x, y),
        &run.glyphs,
        fonts.face(weight).font.clone(),
        &run.text,
        size,
        false,
    );
}

fn rule(surface: &mut Surface<'_>, x1: f32, x2: f32, y: f32) {
    let mut path = PathBuilder::new();
    path.move_to(x1, y);
    path.line_to(x2, y);
    let Some(path) = path.finish() else {
        return;
    };
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: rgb::Color::new(170, 170, 170).into(),
        width: 0.5,
        ..Stroke::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
}
