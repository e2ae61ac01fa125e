//! The terminal prompter: dialoguer on standard error, so standard output stays the letter's.

use anyhow::{Context as _, Result};
use console::{Style, Term};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{FuzzySelect, Input, MultiSelect, Select};

use super::{GoBack, Prompt, Prompter};

/// Asks on the terminal (standard error). Colour only when `console` allows it (a colour
/// terminal and no `NO_COLOR`, or `CLICOLOR_FORCE`).
pub struct Terminal {
    term: Term,
    theme: Box<dyn Theme>,
    dim: Style,
}

impl std::fmt::Debug for Terminal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Terminal").finish_non_exhaustive()
    }
}

impl Terminal {
    /// A prompter on standard error.
    pub fn new() -> Self {
        let term = Term::stderr();
        // `console` decides: a colour terminal, NO_COLOR unset (or CLICOLOR_FORCE set).
        let colour = console::colors_enabled_stderr();
        let theme: Box<dyn Theme> = if colour {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        };
        Terminal {
            term,
            theme,
            dim: Style::new().dim().for_stderr(),
        }
    }

    fn header(&self, prompt: &Prompt) -> Result<()> {
        self.term.write_line("")?;
        if !prompt.progress.is_empty() {
            self.write_wrapped(&prompt.progress, true)?;
        }
        if let Some(help) = &prompt.help {
            self.write_wrapped(help, false)?;
        }
        if let Some(example) = &prompt.example {
            self.write_wrapped(&format!("For example: {example}"), true)?;
        }
        if prompt.optional {
            self.write_wrapped("You can leave this empty: press Enter.", true)?;
        }
        Ok(())
    }

    /// Writes `text` wrapped at word boundaries to the terminal's width, so a narrow window
    /// never breaks a word across lines; `dim` for the quieter lines.
    fn write_wrapped(&self, text: &str, dim: bool) -> Result<()> {
        let width = usize::from(self.term.size().1).clamp(20, 100) - 1;
        for line in textwrap::wrap(text, width) {
            if dim {
                self.term
                    .write_line(&self.dim.apply_to(&line).to_string())?;
            } else {
                self.term.write_line(&line)?;
            }
        }
        Ok(())
    }
}

impl Default for Terminal {
    fn default() -> Self {
        Self::new()
    }
}

impl Prompter for Terminal {
    fn text(&mut self, prompt: &Prompt, default: Option<&str>, multi_line: bool) -> Result<String> {
        self.header(prompt)?;
        self.write_wrapped(KEYS, true)?;
        if multi_line {
            self.term.write_line(&format!(
                "{}",
                Style::new().bold().for_stderr().apply_to(&prompt.text)
            ))?;
            self.term.write_line(
                &self
                    .dim
                    .apply_to("Type your answer. Press Enter on an empty line to finish.")
                    .to_string(),
            )?;
            if let Some(d) = default.filter(|d| !d.is_empty()) {
                self.term.write_line(
                    &self
                        .dim
                        .apply_to(format!("(Press Enter straight away to keep: {d})"))
                        .to_string(),
                )?;
            }
            let mut lines: Vec<String> = Vec::new();
            loop {
                let line = self
                    .term
                    .read_line()
                    .context("could not read from the terminal")?;
                if line.trim().is_empty() {
                    break;
                }
                lines.push(line);
            }
            if lines.is_empty() {
                return Ok(default.unwrap_or_default().to_owned());
            }
            return Ok(lines.join("\n"));
        }
        let mut input = Input::<String>::with_theme(&*self.theme)
            .with_prompt(&prompt.text)
            .allow_empty(true);
        // An answer being changed is opened for editing, not retyped: the old text is there to
        // correct, Enter keeps it, and deleting it all leaves an optional answer empty.
        if let Some(d) = default.filter(|d| !d.is_empty()) {
            input = input.with_initial_text(d.to_owned());
            if prompt.optional {
                self.term.write_line(
                    &self
                        .dim
                        .apply_to("To leave it empty, delete the text and press Enter.")
                        .to_string(),
                )?;
            }
        }
        input
            .interact_text_on(&self.term)
            .context("could not read from the terminal")
    }

    fn select(&mut self, prompt: &Prompt, items: &[String], default: usize) -> Result<usize> {
        self.header(prompt)?;
        self.write_wrapped(&list_keys(prompt, false), true)?;
        let picked = if prompt.filter {
            FuzzySelect::with_theme(&*self.theme)
                .with_prompt(&prompt.text)
                .items(items)
                .default(default)
                .interact_on_opt(&self.term)
        } else {
            Select::with_theme(&*self.theme)
                .with_prompt(&prompt.text)
                .items(items)
                .default(default)
                .interact_on_opt(&self.term)
        };
        // A list hides the cursor while it is drawn; however it ends (Ctrl-C included), the
        // cursor comes back, so the terminal never looks broken.
        let _ = self.term.show_cursor();
        match picked.context("could not read from the terminal")? {
            Some(i) => Ok(i),
            // Esc: back where there is a way back; elsewhere the list is asked again.
            None if prompt.back => Err(GoBack.into()),
            None => self.select(prompt, items, default),
        }
    }

    fn multi_select(
        &mut self,
        prompt: &Prompt,
        items: &[String],
        picked: &[bool],
    ) -> Result<Vec<usize>> {
        self.header(prompt)?;
        self.write_wrapped(&list_keys(prompt, true), true)?;
        let chosen = MultiSelect::with_theme(&*self.theme)
            .with_prompt(&prompt.text)
            .items(items)
            .defaults(picked)
            .interact_on_opt(&self.term);
        let _ = self.term.show_cursor();
        match chosen.context("could not read from the terminal")? {
            Some(c) => Ok(c),
            None if prompt.back => Err(GoBack.into()),
            None => self.multi_select(prompt, items, picked),
        }
    }

    /// A yes/no question waits for Enter and takes y, yes, n or no in any case (Enter alone
    /// takes the default, which is shown): a parent who types "no" and Enter answers no, and
    /// nothing typed flows into the next question.
    fn confirm(&mut self, prompt: &Prompt, default: bool) -> Result<bool> {
        self.header(prompt)?;
        if prompt.back {
            self.write_wrapped(KEYS, true)?;
        }
        loop {
            let answer = Input::<String>::with_theme(&*self.theme)
                .with_prompt(format!("{} (yes/no)", prompt.text))
                .default(if default { "yes" } else { "no" }.to_owned())
                .validate_with(|typed: &String| -> Result<(), &str> {
                    match (yes_no(typed), typed.trim()) {
                        (Some(_), _) | (None, "?") => Ok(()),
                        (None, "<") if prompt.back => Ok(()),
                        _ => Err("Type yes or no, then press Enter."),
                    }
                })
                .interact_text_on(&self.term);
            let _ = self.term.show_cursor();
            let answer = answer.context("could not read from the terminal")?;
            match answer.trim() {
                "<" => return Err(GoBack.into()),
                "?" => {
                    let help = [
                        prompt.help.clone(),
                        prompt.example.clone().map(|e| format!("For example: {e}")),
                    ];
                    let shown: Vec<String> = help.into_iter().flatten().collect();
                    self.write_wrapped(
                        &if shown.is_empty() {
                            "Type yes or no, then press Enter.".to_owned()
                        } else {
                            shown.join(" ")
                        },
                        false,
                    )?;
                }
                typed => return Ok(yes_no(typed).unwrap_or(default)),
            }
        }
    }

    fn password(&mut self, prompt: &Prompt) -> Result<String> {
        self.header(prompt)?;
        dialoguer::Password::with_theme(&*self.theme)
            .with_prompt(&prompt.text)
            .allow_empty_password(true)
            .interact_on(&self.term)
            .context("could not read from the terminal")
    }

    fn note(&mut self, text: &str) {
        // A failed write to the terminal is not worth stopping the interview for. A preview
        // (a letter, already laid out) is written as it is; a sentence is wrapped.
        if text.contains('\n') {
            let _ = self.term.write_line(text);
        } else {
            let _ = self.write_wrapped(text, false);
        }
    }
}

/// The keys a typed answer understands, said under every question that takes one.
pub const KEYS: &str = "Type ? for help, or < to go back. Ctrl-C stops (your answers are kept).";

/// The keys a list understands: typing where it filters, how to pick, and Esc where there is a
/// question to go back to.
fn list_keys(prompt: &Prompt, many: bool) -> String {
    let mut keys = Vec::new();
    if prompt.filter {
        keys.push("Type to narrow the list.");
    }
    keys.push(if many {
        "Arrow keys move; Space picks or unpicks; Enter when done."
    } else {
        "Arrow keys move; Enter picks."
    });
    if prompt.back {
        keys.push("Esc goes back. Ctrl-C stops (your answers are kept).");
    }
    keys.join(" ")
}

/// y, yes, n or no, in any case and with spaces around; anything else is not an answer.
fn yes_no(typed: &str) -> Option<bool> {
    match typed.trim().to_lowercase().as_str() {
        "y" | "yes" => Some(true),
        "n" | "no" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::yes_no;

    #[test]
    fn yes_and_no_are_read_in_any_case_and_nothing_else_is() {
        for (typed, want) in [
            ("y", true),
            ("YES", true),
            (" Yes ", true),
            ("n", false),
            ("No", false),
        ] {
            assert_eq!(yes_no(typed), Some(want), "{typed}");
        }
        for typed in ["", "o", "es", "nope", "yes please"] {
            assert_eq!(yes_no(typed), None, "{typed}");
        }
    }
}
