//! The terminal prompter: dialoguer on standard error, so standard output stays the letter's.

use anyhow::{Context as _, Result};
use console::{Style, Term};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{FuzzySelect, Input, MultiSelect, Select};

use super::{GoBack, Prompt, Prompter};
use crate::lang::{Lang, Words, fill};

/// Asks on the terminal (standard error). Colour only when `console` allows it (a colour
/// terminal and no `NO_COLOR`, or `CLICOLOR_FORCE`).
pub struct Terminal {
    term: Term,
    /// The fixed words around every question, in the parent's language.
    words: &'static Words,
    theme: Box<dyn Theme>,
    dim: Style,
}

impl std::fmt::Debug for Terminal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Terminal").finish_non_exhaustive()
    }
}

impl Terminal {
    /// A prompter on standard error, speaking `lang`.
    pub fn new(lang: Lang) -> Self {
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
            words: lang.words(),
            theme,
            dim: Style::new().dim().for_stderr(),
        }
    }

    /// What comes above an answer: the progress, the question (in bold), its help and example,
    /// each wrapped here rather than by the terminal or dialoguer, which break words.
    fn header(&self, prompt: &Prompt) -> Result<()> {
        self.term.write_line("")?;
        if !prompt.progress.is_empty() {
            self.write_wrapped(&prompt.progress, true)?;
        }
        let bold = Style::new().bold().for_stderr();
        for line in textwrap::wrap(&prompt.text, self.width()) {
            self.term.write_line(&bold.apply_to(&line).to_string())?;
        }
        if let Some(help) = &prompt.help {
            self.write_wrapped(help, false)?;
        }
        if let Some(example) = &prompt.example {
            self.write_wrapped(&fill(self.words.for_example, &[("example", example)]), true)?;
        }
        if prompt.optional {
            self.write_wrapped(self.words.may_leave_empty, true)?;
        }
        Ok(())
    }

    /// Writes `text` wrapped at word boundaries to the terminal's width, so a narrow window
    /// never breaks a word across lines; `dim` for the quieter lines.
    fn write_wrapped(&self, text: &str, dim: bool) -> Result<()> {
        for line in textwrap::wrap(text, self.width()) {
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

impl Terminal {
    /// The terminal's columns.
    fn cols(&self) -> usize {
        usize::from(self.term.size().1).max(20)
    }

    /// The width text is wrapped to: the terminal's, less one, and at most 99 for reading.
    fn width(&self) -> usize {
        self.cols().min(100) - 1
    }

    /// After a one-line answer read by dialoguer (which clears only the row the cursor is on):
    /// clears the rows above it that a long answer wrapped into, and shows the answer again
    /// wrapped at word boundaries.
    fn settle_answer(&self, input_prompt: &str, default: Option<&str>, answer: &str) -> Result<()> {
        let mut drawn = String::new();
        let _ = self
            .theme
            .format_input_prompt(&mut drawn, input_prompt, default);
        let shown = console::measure_text_width(&drawn) + console::measure_text_width(answer);
        let rows = shown.div_ceil(self.cols()).max(1);
        if rows > 1 {
            self.term.clear_last_lines(rows - 1)?;
        }
        self.echo(answer)
    }

    /// Shows what the parent answered, wrapped, under the question.
    fn echo(&self, answer: &str) -> Result<()> {
        let options = textwrap::Options::new(self.width())
            .initial_indent("› ")
            .subsequent_indent("  ");
        for line in textwrap::wrap(answer, &options) {
            self.term.write_line(&line)?;
        }
        Ok(())
    }

    /// A list item cut to the terminal's width (less the room for the cursor and a checkbox),
    /// so no item wraps across lines.
    fn fit(&self, items: &[String]) -> Vec<String> {
        let room = self.cols().saturating_sub(7).max(10);
        items
            .iter()
            .map(|i| console::truncate_str(i, room, "…").into_owned())
            .collect()
    }
}

impl Prompter for Terminal {
    fn text(&mut self, prompt: &Prompt, default: Option<&str>, multi_line: bool) -> Result<String> {
        self.header(prompt)?;
        let w = self.words;
        self.write_wrapped(w.keys, true)?;
        if multi_line {
            self.term
                .write_line(&self.dim.apply_to(w.several_lines).to_string())?;
            if let Some(d) = default.filter(|d| !d.is_empty()) {
                self.term.write_line(
                    &self
                        .dim
                        .apply_to(fill(w.enter_keeps, &[("answer", d)]))
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
                // The terminal echoed the line, breaking words at its edge: show it wrapped.
                let rows = console::measure_text_width(&line)
                    .div_ceil(self.cols())
                    .max(1);
                self.term.clear_last_lines(rows)?;
                self.echo(&line)?;
                lines.push(line);
            }
            if lines.is_empty() {
                return Ok(default.unwrap_or_default().to_owned());
            }
            return Ok(lines.join("\n"));
        }
        let mut input = Input::<String>::with_theme(&*self.theme)
            .with_prompt(w.your_answer)
            .allow_empty(true)
            .report(false);
        // An answer being changed is opened for editing, not retyped: the old text is there to
        // correct, Enter keeps it, and deleting it all leaves an optional answer empty.
        if let Some(d) = default.filter(|d| !d.is_empty()) {
            input = input.with_initial_text(d.to_owned());
            if prompt.optional {
                self.term
                    .write_line(&self.dim.apply_to(w.delete_to_empty).to_string())?;
            }
        }
        let answer = input
            .interact_text_on(&self.term)
            .context("could not read from the terminal")?;
        self.settle_answer(w.your_answer, None, &answer)?;
        Ok(answer)
    }

    fn select(&mut self, prompt: &Prompt, items: &[String], default: usize) -> Result<usize> {
        self.header(prompt)?;
        self.write_wrapped(&list_keys(self.words, prompt, false), true)?;
        let shown = self.fit(items);
        let picked = if prompt.filter {
            FuzzySelect::with_theme(&*self.theme)
                .items(&shown)
                .default(default)
                .interact_on_opt(&self.term)
        } else {
            Select::with_theme(&*self.theme)
                .items(&shown)
                .default(default)
                .interact_on_opt(&self.term)
        };
        // A list hides the cursor while it is drawn; however it ends (Ctrl-C included), the
        // cursor comes back, so the terminal never looks broken.
        let _ = self.term.show_cursor();
        match picked.context("could not read from the terminal")? {
            Some(i) => {
                self.echo(&items[i])?;
                Ok(i)
            }
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
        self.write_wrapped(&list_keys(self.words, prompt, true), true)?;
        let shown = self.fit(items);
        let chosen = MultiSelect::with_theme(&*self.theme)
            .items(&shown)
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
        let w = self.words;
        if prompt.back {
            self.write_wrapped(w.keys, true)?;
        }
        let shown_default = if default { w.yes } else { w.no };
        loop {
            let answer = Input::<String>::with_theme(&*self.theme)
                .with_prompt(w.yes_or_no)
                .report(false)
                .default(shown_default.to_owned())
                .validate_with(|typed: &String| -> Result<(), &str> {
                    match (yes_no(w, typed), typed.trim()) {
                        (Some(_), _) | (None, "?") => Ok(()),
                        (None, "<") if prompt.back => Ok(()),
                        _ => Err(w.type_yes_or_no),
                    }
                })
                .interact_text_on(&self.term);
            let _ = self.term.show_cursor();
            let answer = answer.context("could not read from the terminal")?;
            self.settle_answer(w.yes_or_no, Some(shown_default), &answer)?;
            match answer.trim() {
                "<" => return Err(GoBack.into()),
                "?" => {
                    let help = [
                        prompt.help.clone(),
                        prompt
                            .example
                            .as_deref()
                            .map(|e| fill(w.for_example, &[("example", e)])),
                    ];
                    let shown: Vec<String> = help.into_iter().flatten().collect();
                    self.write_wrapped(
                        &if shown.is_empty() {
                            w.type_yes_or_no.to_owned()
                        } else {
                            shown.join(" ")
                        },
                        false,
                    )?;
                }
                typed => return Ok(yes_no(w, typed).unwrap_or(default)),
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
        // Each line on its own, so a letter's paragraphs keep their breaks and a long one wraps
        // between words.
        for line in text.split('\n') {
            // A list item's later lines start under its text, not under its dash or number.
            let marker = line
                .find(['-', '.'])
                .filter(|&i| {
                    line[..i].chars().all(|c| c.is_ascii_digit() || c == ' ')
                        && line[i + 1..].starts_with(' ')
                })
                .map_or(0, |i| i + 2);
            let hang = " ".repeat(marker);
            let options = textwrap::Options::new(self.width()).subsequent_indent(&hang);
            for part in textwrap::wrap(line, &options) {
                let _ = self.term.write_line(&part);
            }
            if line.is_empty() {
                let _ = self.term.write_line("");
            }
        }
    }
}

/// The keys a list understands: typing where it filters, how to pick, and Esc where there is a
/// question to go back to.
fn list_keys(w: &Words, prompt: &Prompt, many: bool) -> String {
    let mut keys = Vec::new();
    if prompt.filter {
        keys.push(w.list_narrows);
    }
    keys.push(if many { w.list_many } else { w.list_one });
    if prompt.back {
        keys.push(w.list_back);
    }
    keys.join(" ")
}

/// The language's words for yes and no (y, yes, n, no; in French also o, oui, non), in any case
/// and with spaces around; anything else is not an answer.
pub(super) fn yes_no(w: &Words, typed: &str) -> Option<bool> {
    let t = typed.trim().to_lowercase();
    if w.yes_words.contains(&t.as_str()) {
        Some(true)
    } else if w.no_words.contains(&t.as_str()) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::yes_no;
    use crate::lang::Lang;

    #[test]
    fn yes_and_no_are_read_in_any_case_and_nothing_else_is() {
        for (typed, want) in [
            ("y", true),
            ("YES", true),
            (" Yes ", true),
            ("n", false),
            ("No", false),
        ] {
            assert_eq!(yes_no(Lang::En.words(), typed), Some(want), "{typed}");
        }
        for typed in ["", "o", "es", "nope", "yes please"] {
            assert_eq!(yes_no(Lang::En.words(), typed), None, "{typed}");
        }
        let fr = Lang::Fr.words();
        for (typed, want) in [("o", true), ("OUI", true), (" Non ", false), ("n", false)] {
            assert_eq!(yes_no(fr, typed), Some(want), "{typed}");
        }
        assert_eq!(yes_no(fr, "ouais"), None);
    }
}
