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
}

/// `text` wrapped at word boundaries to the width of the terminal on standard error (100
/// columns at most; unchanged when standard error is not a terminal), so that a narrow window
/// never shows a word broken across lines.
pub fn wrapped(text: &str) -> String {
    let term = console::Term::stderr();
    if !term.is_term() {
        return text.to_owned();
    }
    let width = usize::from(term.size().1).clamp(20, 100) - 1;
    text.lines()
        .map(|line| textwrap::fill(line, width))
        .collect::<Vec<_>>()
        .join("\n")
}
