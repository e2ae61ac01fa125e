//! A prompter for a terminal that cannot move its cursor (`TERM=dumb`, some screen readers and
//! editors' shells): plain lines out, one line in, no escape codes. Lists are numbered and a
//! number is typed.

use std::io::{BufRead, Write};

use anyhow::{Context as _, Result, bail};

use super::{Prompt, Prompter};
use crate::lang::{Lang, Words, fill};

/// Asks on standard error, reads standard input, a line at a time.
#[derive(Debug)]
pub struct Plain {
    words: &'static Words,
}

impl Default for Plain {
    fn default() -> Self {
        Plain::new(Lang::En)
    }
}

impl Plain {
    /// A plain prompter speaking `lang`.
    pub fn new(lang: Lang) -> Self {
        Plain {
            words: lang.words(),
        }
    }

    fn header(&self, prompt: &Prompt) {
        let mut err = std::io::stderr();
        let _ = writeln!(err);
        if !prompt.progress.is_empty() {
            let _ = writeln!(err, "{}", prompt.progress);
        }
        if let Some(help) = &prompt.help {
            let _ = writeln!(err, "{help}");
        }
        if let Some(example) = &prompt.example {
            let _ = writeln!(
                err,
                "{}",
                fill(self.words.for_example, &[("example", example)])
            );
        }
        if prompt.optional {
            let _ = writeln!(err, "{}", self.words.may_leave_empty);
        }
    }

    fn read_line(&self, ask: &str) -> Result<String> {
        let mut err = std::io::stderr();
        write!(err, "{ask} ")?;
        err.flush()?;
        let mut line = String::new();
        let n = std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("could not read from the terminal")?;
        if n == 0 {
            bail!("the input ended before the question was answered");
        }
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }
}

impl Prompter for Plain {
    fn text(&mut self, prompt: &Prompt, default: Option<&str>, multi_line: bool) -> Result<String> {
        self.header(prompt);
        let w = self.words;
        eprintln!("{}", w.keys);
        let default = default.filter(|d| !d.is_empty());
        if let Some(d) = default {
            eprintln!("{}", fill(w.plain_keep, &[("answer", d)]));
        }
        if multi_line {
            eprintln!("{}\n{}", prompt.text, w.several_lines);
            let mut lines = Vec::new();
            loop {
                let line = self.read_line(">")?;
                if line.trim().is_empty() {
                    break;
                }
                lines.push(line);
            }
            return Ok(if lines.is_empty() {
                default.unwrap_or_default().to_owned()
            } else {
                lines.join("\n")
            });
        }
        let typed = self.read_line(&format!("{}:", prompt.text))?;
        Ok(if typed.trim().is_empty() {
            default.unwrap_or_default().to_owned()
        } else {
            typed
        })
    }

    fn select(&mut self, prompt: &Prompt, items: &[String], default: usize) -> Result<usize> {
        self.header(prompt);
        eprintln!("{}", prompt.text);
        for (n, item) in items.iter().enumerate() {
            eprintln!("  {}. {item}", n + 1);
        }
        loop {
            let ask = if prompt.back {
                self.words.plain_number_back
            } else {
                self.words.plain_number
            };
            let typed = self.read_line(&fill(ask, &[("n", &(default + 1).to_string())]))?;
            if typed.trim().is_empty() {
                return Ok(default);
            }
            if prompt.back && typed.trim() == "<" {
                return Err(super::GoBack.into());
            }
            match typed.trim().parse::<usize>() {
                Ok(n) if (1..=items.len()).contains(&n) => return Ok(n - 1),
                _ => eprintln!(
                    "{}",
                    fill(
                        self.words.plain_number_range,
                        &[("n", &items.len().to_string())]
                    )
                ),
            }
        }
    }

    fn multi_select(
        &mut self,
        prompt: &Prompt,
        items: &[String],
        picked: &[bool],
    ) -> Result<Vec<usize>> {
        self.header(prompt);
        eprintln!("{}", prompt.text);
        for (n, item) in items.iter().enumerate() {
            let mark = if picked.get(n).copied().unwrap_or(false) {
                "x"
            } else {
                " "
            };
            eprintln!("  [{mark}] {}. {item}", n + 1);
        }
        loop {
            let typed = self.read_line(self.words.plain_numbers)?;
            if typed.trim().is_empty() {
                return Ok((0..items.len())
                    .filter(|n| picked.get(*n).copied().unwrap_or(false))
                    .collect());
            }
            let chosen: Option<Vec<usize>> = typed
                .split([',', ' '])
                .filter(|t| !t.is_empty())
                .map(|t| {
                    t.parse::<usize>()
                        .ok()
                        .filter(|n| (1..=items.len()).contains(n))
                        .map(|n| n - 1)
                })
                .collect();
            match chosen {
                Some(c) => return Ok(c),
                None => eprintln!(
                    "{}",
                    fill(
                        self.words.plain_numbers_range,
                        &[("n", &items.len().to_string())]
                    )
                ),
            }
        }
    }

    fn confirm(&mut self, prompt: &Prompt, default: bool) -> Result<bool> {
        self.header(prompt);
        if prompt.back {
            eprintln!("{}", self.words.keys);
        }
        loop {
            let w = self.words;
            let typed = self.read_line(&format!(
                "{} {}",
                prompt.text,
                fill(
                    w.plain_yes_no,
                    &[("default", if default { w.yes } else { w.no })]
                )
            ))?;
            if let Some(yes) = super::terminal::yes_no(w, &typed) {
                return Ok(yes);
            }
            match typed.trim() {
                "" => return Ok(default),
                "<" if prompt.back => return Err(super::GoBack.into()),
                "?" => self.header(prompt),
                _ => eprintln!("{}", w.type_yes_or_no),
            }
        }
    }

    fn password(&mut self, prompt: &Prompt) -> Result<String> {
        self.header(prompt);
        eprint!("{}: ", prompt.text);
        // Read without echo where the terminal allows it; no cursor movement either way.
        console::Term::stderr()
            .read_secure_line()
            .context("could not read from the terminal")
    }

    fn note(&mut self, text: &str) {
        eprintln!("{text}");
    }
}
