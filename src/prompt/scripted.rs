//! A prompter that replays a script, for tests of the interview without a terminal.

use std::collections::VecDeque;

use anyhow::{Result, bail};

use super::{Prompt, Prompter};

/// One scripted reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Type this text.
    Text(String),
    /// Pick the item whose label contains this text.
    Pick(String),
    /// Pick these items (by label text).
    PickMany(Vec<String>),
    /// Answer yes or no.
    Confirm(bool),
    /// Go back to the question before (`<` or Esc), at any prompt that allows it.
    Back,
}

/// Replays [`Step`]s and records every prompt and note it was shown.
#[derive(Debug, Default)]
pub struct Scripted {
    steps: VecDeque<Step>,
    /// Everything shown, in order: prompts as `? text`, notes as they were.
    pub transcript: Vec<String>,
    /// Every word a screen showed, in order: each prompt's progress, text, help and example,
    /// every list item, and every note; for tests that a screen speaks one language.
    pub shown: Vec<String>,
}

impl Scripted {
    /// A prompter that will give these replies in order.
    pub fn new(steps: impl IntoIterator<Item = Step>) -> Self {
        Scripted {
            steps: steps.into_iter().collect(),
            transcript: Vec::new(),
            shown: Vec::new(),
        }
    }

    /// Whether every step was used.
    pub fn finished(&self) -> bool {
        self.steps.is_empty()
    }

    fn next(&mut self, prompt: &Prompt) -> Result<Step> {
        let line = if prompt.progress.is_empty() {
            format!("? {}", prompt.text)
        } else {
            format!("? [{}] {}", prompt.progress, prompt.text)
        };
        self.transcript.push(line);
        self.shown.extend(
            [
                Some(prompt.progress.clone()),
                Some(prompt.text.clone()),
                prompt.help.clone(),
                prompt.example.clone(),
            ]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty()),
        );
        match self.steps.pop_front() {
            Some(Step::Back) if prompt.back => Err(super::GoBack.into()),
            Some(Step::Back) => bail!(
                "the script went back at \"{}\", which has no way back",
                prompt.text
            ),
            Some(step) => Ok(step),
            None => bail!("the script ran out at the prompt \"{}\"", prompt.text),
        }
    }
}

fn find(items: &[String], label: &str, prompt: &Prompt) -> Result<usize> {
    match items.iter().position(|i| i.contains(label)) {
        Some(i) => Ok(i),
        None => bail!(
            "no item contains \"{label}\" at the prompt \"{}\"; items: {items:?}",
            prompt.text
        ),
    }
}

impl Prompter for Scripted {
    fn text(&mut self, prompt: &Prompt, default: Option<&str>, _multi: bool) -> Result<String> {
        match self.next(prompt)? {
            Step::Text(t) if t.is_empty() => Ok(default.unwrap_or_default().to_owned()),
            Step::Text(t) => Ok(t),
            other => bail!(
                "the script gave {other:?} at the text prompt \"{}\"",
                prompt.text
            ),
        }
    }

    fn select(&mut self, prompt: &Prompt, items: &[String], _default: usize) -> Result<usize> {
        self.shown.extend(items.iter().cloned());
        match self.next(prompt)? {
            Step::Pick(label) => find(items, &label, prompt),
            other => bail!(
                "the script gave {other:?} at the choice \"{}\"",
                prompt.text
            ),
        }
    }

    fn multi_select(
        &mut self,
        prompt: &Prompt,
        items: &[String],
        _picked: &[bool],
    ) -> Result<Vec<usize>> {
        self.shown.extend(items.iter().cloned());
        match self.next(prompt)? {
            Step::PickMany(labels) => labels.iter().map(|l| find(items, l, prompt)).collect(),
            other => bail!(
                "the script gave {other:?} at the choices \"{}\"",
                prompt.text
            ),
        }
    }

    fn confirm(&mut self, prompt: &Prompt, _default: bool) -> Result<bool> {
        match self.next(prompt)? {
            Step::Confirm(b) => Ok(b),
            other => bail!(
                "the script gave {other:?} at the yes/no \"{}\"",
                prompt.text
            ),
        }
    }

    fn password(&mut self, prompt: &Prompt) -> Result<String> {
        match self.next(prompt)? {
            Step::Text(t) => Ok(t),
            other => bail!(
                "the script gave {other:?} at the password \"{}\"",
                prompt.text
            ),
        }
    }

    fn note(&mut self, text: &str) {
        self.shown.push(text.to_owned());
        self.transcript.push(text.to_owned());
    }
}
