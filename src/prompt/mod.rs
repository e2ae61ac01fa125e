//! Asking the parent: a small trait with a terminal implementation and a scripted one for tests.
//!
//! The prompter only shows and reads; it never checks an answer or decides what to ask next.
//! That is the interview's job, so the same rules hold in a terminal, in tests, and for answers
//! from a file.

mod plain;
mod scripted;
mod terminal;

use anyhow::Result;

pub use plain::Plain;
pub use scripted::{Scripted, Step};
pub use terminal::Terminal;

/// What is shown above an input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prompt {
    /// "Question 3 of 9", or empty.
    pub progress: String,
    /// The question.
    pub text: String,
    /// Help text.
    pub help: Option<String>,
    /// An example answer.
    pub example: Option<String>,
    /// Whether the parent may leave it empty.
    pub optional: bool,
    /// Whether there is a question to go back to: `<` at a typed answer or a yes/no, Esc at a
    /// list, gives [`GoBack`] instead of an answer.
    pub back: bool,
    /// Whether typing filters a long list (the jurisdictions, the letters) instead of only the
    /// arrow keys moving through it.
    pub filter: bool,
}

/// The parent asked to go back to the question before (`<`, or Esc at a list), where the prompt
/// allows it ([`Prompt::back`]).
#[derive(Debug, thiserror::Error)]
#[error("going back to the question before")]
pub struct GoBack;

/// Shows prompts and reads raw replies.
pub trait Prompter {
    /// Reads text; an empty string means "no answer". `default` is shown and used on Enter.
    fn text(&mut self, prompt: &Prompt, default: Option<&str>, multi_line: bool) -> Result<String>;
    /// Picks one of `items`.
    fn select(&mut self, prompt: &Prompt, items: &[String], default: usize) -> Result<usize>;
    /// Picks any of `items`.
    fn multi_select(
        &mut self,
        prompt: &Prompt,
        items: &[String],
        picked: &[bool],
    ) -> Result<Vec<usize>>;
    /// Yes or no.
    fn confirm(&mut self, prompt: &Prompt, default: bool) -> Result<bool>;
    /// A secret, typed without being shown; never kept.
    fn password(&mut self, prompt: &Prompt) -> Result<String>;
    /// Shows a message: a correction, a preview.
    fn note(&mut self, text: &str);
    /// Speaks `lang` from now on: a parent who picks French at `iep init`'s first question
    /// reads the rest in French.
    fn set_lang(&mut self, _lang: crate::lang::Lang) {}
}

/// Standard error at a terminal: each line a command writes is wrapped at word boundaries to
/// the terminal's width as it is completed, so no message (a saved file, a reply-by date, an
/// error) breaks a word in a narrow window. A line's leading spaces carry on to its later lines.
pub struct Wrapping<W: std::io::Write> {
    inner: W,
    width: usize,
    line: Vec<u8>,
}

impl<W: std::io::Write> std::fmt::Debug for Wrapping<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wrapping")
            .field("width", &self.width)
            .finish_non_exhaustive()
    }
}

impl<W: std::io::Write> Wrapping<W> {
    /// Wraps what is written to `inner` at `width` columns.
    pub fn new(inner: W, width: usize) -> Self {
        Wrapping {
            inner,
            width: width.max(20),
            line: Vec::new(),
        }
    }

    fn write_line(&mut self, line: &[u8]) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(line);
        let indent: String = text.chars().take_while(|c| *c == ' ').collect();
        let options = textwrap::Options::new(self.width).subsequent_indent(&indent);
        let wrapped: Vec<_> = textwrap::wrap(&text, &options);
        if wrapped.is_empty() {
            return Ok(());
        }
        let joined = wrapped.join("\n");
        self.inner.write_all(joined.as_bytes())
    }
}

impl<W: std::io::Write> std::io::Write for Wrapping<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.line.extend_from_slice(buf);
        while let Some(end) = self.line.iter().position(|b| *b == b'\n') {
            let rest = self.line.split_off(end + 1);
            let mut line = std::mem::replace(&mut self.line, rest);
            line.pop();
            self.write_line(&line)?;
            self.inner.write_all(b"\n")?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.write_line(&line)?;
        }
        self.inner.flush()
    }
}

impl<W: std::io::Write> Drop for Wrapping<W> {
    fn drop(&mut self) {
        let _ = std::io::Write::flush(self);
    }
}
