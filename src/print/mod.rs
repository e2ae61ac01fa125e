//! Printing: a letter as a PDF a principal can sign for, and the case's evidence bundle.
//!
//! - [`layout`]: the layout as data (`letters/print/layout.toml`, replaceable by a pack).
//! - `fonts`: Noto Sans Regular and Bold, compiled in and read only when printing; lines shaped
//!   by rustybuzz.
//! - [`flow`]: the typesetter. Blocks go down pages and into the structure tree; then krilla
//!   writes the PDF with fonts embedded and subset, tagged (headings, paragraphs, lists, tables,
//!   reading order, language, title), with an outline, checked against PDF/UA-1 (a letter) or
//!   PDF/A-3a (the bundle) before a byte is written.
//! - [`letter`]: a letter's text as blocks: sender, date, recipient, "Re:", paragraphs, lists,
//!   room to sign, enclosures, copies.
//! - [`bundle`]: the cover, chronology, letters, replies, observations and attached files.
//!
//! Nothing here reads the case or the clock: commands gather the facts and pass them in.

pub mod bundle;
pub mod flow;
mod fonts;
pub mod layout;
pub mod letter;

pub use layout::Layout;
