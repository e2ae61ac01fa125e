//! The terminal driver: asks the engine's questions through a [`Prompter`] (dialoguer at a
//! terminal, or the scripted one in tests), then the review, the preview and the final choice.
//!
//! It holds no state of its own: every answer goes into the [`Interview`], checked there, so a
//! page in the browser driving the same engine gets the same letter from the same answers.

use std::collections::BTreeMap;

use anyhow::Result;

use super::{Given, Interview, Outcome};
use crate::answers::Value;
use crate::catalog::question::{Kind, Offer, Question};
use crate::draft::Draft;
use crate::lang::{Words, fill};
use crate::prompt::{GoBack, Prompt, Prompter};

impl<'a> Interview<'a> {
    /// Asks what is not yet answered, then reviews, previews, and lets the parent save or quit.
    pub fn run(&mut self, p: &mut dyn Prompter) -> Result<Outcome> {
        let w = self.words();
        self.ask_unanswered(p)?;
        loop {
            if !self.review_until_happy(p, w.looks_right_letter)? {
                return Ok(Outcome::ChangePlace(self.answers_so_far()));
            }
            let draft = match self.draft() {
                Ok(d) => d,
                Err(e) => {
                    p.note(&fill(w.not_made_yet, &[("error", &format!("{e:#}"))]));
                    continue;
                }
            };
            p.note(&preview(&draft));
            match Self::final_choice(w, p)? {
                Final::Save => return Ok(Outcome::Save(Box::new(draft))),
                Final::Change => continue,
                Final::Later => return Ok(Outcome::Later),
                Final::Quit => return Ok(Outcome::Quit),
            }
        }
    }

    /// After the preview: save, change an answer, stop for now, or quit, which asks first since
    /// it throws the answers away.
    fn final_choice(w: &Words, p: &mut dyn Prompter) -> Result<Final> {
        loop {
            let choice = p.select(
                &Prompt {
                    text: w.what_next.into(),
                    ..Prompt::default()
                },
                &[
                    w.save_letter.into(),
                    w.change_answer.into(),
                    w.stop_for_now.into(),
                    w.quit.into(),
                ],
                0,
            )?;
            let quit = || Prompt {
                text: w.quit_sure.into(),
                help: Some(w.quit_sure_help.into()),
                ..Prompt::default()
            };
            return Ok(match choice {
                0 => Final::Save,
                1 => Final::Change,
                2 => Final::Later,
                _ if p.confirm(&quit(), false)? => Final::Quit,
                _ => continue,
            });
        }
    }

    /// For a form (the case profile, an observation, a reply): asks what is not yet answered,
    /// then the review, until the parent is happy. Nothing is rendered.
    pub fn run_form(&mut self, p: &mut dyn Prompter) -> Result<()> {
        self.ask_unanswered(p)?;
        self.review_until_happy(p, self.words().looks_right_form)?;
        Ok(())
    }

    /// The program's words in the letter's language.
    fn words(&self) -> &'static Words {
        self.letter.lang.words()
    }

    /// Shows the review until the parent picks `done` (true), asking again each answer they
    /// pick; false when they asked to change the jurisdiction.
    fn review_until_happy(&mut self, p: &mut dyn Prompter, done: &str) -> Result<bool> {
        loop {
            let key = match self.review_screen(p, done)? {
                Review::Done => return Ok(true),
                Review::Place => return Ok(false),
                Review::Change(key) => key,
            };
            let q = self
                .letter
                .question(&key)
                .expect("review offers only known questions");
            // `<` while changing an answer goes back to the review, changing nothing.
            match self.ask(p, q) {
                Err(e) if e.is::<GoBack>() => {}
                other => other?,
            }
            self.ask_unanswered(p)?;
        }
    }

    /// Asks each applicable question not yet asked or answered, in order.
    fn ask_unanswered(&mut self, p: &mut dyn Prompter) -> Result<()> {
        while let Some(screen) = self.next_question()? {
            // Said once, before the first question: the count that follows is only what is
            // asked.
            if self.history.is_empty() && screen.number == 1 {
                let given = self.given_count()?;
                if given > 0 {
                    p.note(&fill(
                        self.words().already_have,
                        &[
                            ("given", &given.to_string()),
                            ("left", &screen.total.to_string()),
                        ],
                    ));
                }
            }
            let q = self
                .letter
                .question(&screen.key)
                .expect("the engine names its own questions");
            self.ask_or_go_back(p, q)?;
        }
        Ok(())
    }

    /// Asks `q`; when the parent types `<`, goes back to the question answered before it (the
    /// engine's [`Interview::back`]) and asks that one again, with its answer open to edit.
    fn ask_or_go_back(&mut self, p: &mut dyn Prompter, q: &'a Question) -> Result<()> {
        let mut current = q;
        loop {
            match self.ask(p, current) {
                Err(e) if e.is::<GoBack>() => {
                    self.asked.remove(&current.key);
                    match self.back() {
                        Some(previous) => {
                            current = self
                                .letter
                                .question(&previous)
                                .expect("the engine names its own questions");
                        }
                        None => p.note(self.words().first_question),
                    }
                }
                other => return other,
            }
        }
    }

    /// The prompter's view of a screen.
    fn prompt_for(screen: &super::Screen, progress: String) -> Prompt {
        Prompt {
            progress,
            text: screen.prompt.clone(),
            help: screen.help.clone(),
            example: screen.example.clone(),
            optional: screen.optional,
            back: true,
            filter: false,
        }
    }

    /// Asks one question until it has a valid answer (or is left empty, when optional).
    fn ask(&mut self, p: &mut dyn Prompter, q: &'a Question) -> Result<()> {
        self.asked.insert(q.key.clone());
        let screen = self.screen(&q.key)?;
        let prompt = Self::prompt_for(
            &screen,
            fill(
                self.words().question_of,
                &[
                    ("n", &screen.number.max(1).to_string()),
                    ("total", &screen.total.to_string()),
                ],
            ),
        );
        let current = match self.answers.get(&q.key) {
            Some(v) => Some(v.clone()),
            None => match self.offer(p, q, &prompt)? {
                Some(v) => Some(v),
                None => self.default_for(q)?,
            },
        };
        let value = match q.kind {
            Kind::List if !q.fields.is_empty() => Some(self.ask_rows(p, q, &prompt, current)?),
            Kind::List => Some(self.ask_items(p, q, &prompt, current)?),
            _ => self.ask_one(p, q, &q.key, &prompt, current.as_ref())?,
        };
        match value {
            Some(v) => self.answers.insert(q.key.clone(), v),
            None => self.answers.remove(&q.key),
        };
        self.mark_asked(&q.key);
        Ok(())
    }

    /// Offers the case's recorded items for a list, to pick from; `None` when it has none.
    fn offer(&self, p: &mut dyn Prompter, q: &Question, prompt: &Prompt) -> Result<Option<Value>> {
        let Some(offer) = q.offer else {
            return Ok(None);
        };
        let offered = self.offered(offer);
        if offered.is_empty() {
            return Ok(None);
        }
        let w = self.words();
        let what = match offer {
            Offer::Observations => w.offer_observations,
            Offer::Letters => w.offer_letters,
            Offer::Findings => w.offer_findings,
        };
        let labels: Vec<String> = offered.iter().map(|(o, _)| o.label.clone()).collect();
        let picked: Vec<bool> = offered.iter().map(|(_, picked)| *picked).collect();
        let chosen = p.multi_select(
            &Prompt {
                text: what.into(),
                help: Some(fill(w.add_more_after, &[("question", &prompt.text)])),
                ..prompt.clone()
            },
            &labels,
            &picked,
        )?;
        Ok((!chosen.is_empty()).then(|| {
            Value::Items(
                chosen
                    .into_iter()
                    .map(|i| offered[i].0.row.clone())
                    .collect(),
            )
        }))
    }

    /// Asks a single-valued question (or one field of a list item).
    fn ask_one(
        &self,
        p: &mut dyn Prompter,
        q: &Question,
        key: &str,
        prompt: &Prompt,
        current: Option<&Value>,
    ) -> Result<Option<Value>> {
        let w = self.words();
        match q.kind {
            Kind::YesNo => {
                let default = matches!(current, Some(Value::Bool(true)));
                Ok(Some(Value::Bool(p.confirm(prompt, default)?)))
            }
            Kind::Choice => {
                let choices = &q.choices;
                let mut items: Vec<String> = choices.iter().map(|c| c.label.clone()).collect();
                if !q.required {
                    items.push(w.leave_out.into());
                }
                let default = match current {
                    Some(Value::Text(v)) => choices.iter().position(|c| &c.value == v).unwrap_or(0),
                    _ => 0,
                };
                let i = p.select(prompt, &items, default)?;
                Ok(choices.get(i).map(|c| Value::Text(c.value.clone())))
            }
            Kind::MultiChoice => loop {
                let items: Vec<String> = q.choices.iter().map(|c| c.label.clone()).collect();
                let picked: Vec<bool> = q
                    .choices
                    .iter()
                    .map(|c| matches!(current, Some(Value::List(l)) if l.contains(&c.value)))
                    .collect();
                let chosen = p.multi_select(prompt, &items, &picked)?;
                if chosen.is_empty() && q.required {
                    p.note(w.pick_one);
                    continue;
                }
                if chosen.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(Value::List(
                    chosen
                        .into_iter()
                        .map(|i| q.choices[i].value.clone())
                        .collect(),
                )));
            },
            _ => loop {
                let default = current.map(|v| match v {
                    Value::Text(t) => t.clone(),
                    // A date as the parent would type it in their language.
                    Value::Date(d) if self.letter.lang != crate::lang::Lang::En => {
                        crate::dates::DateStyle::French.format(*d)
                    }
                    other => other.summary(),
                });
                let typed = p.text(prompt, default.as_deref(), q.kind == Kind::LongText)?;
                if keys(w, p, prompt, &typed)? {
                    continue;
                }
                let blank = typed.trim().is_empty();
                match self.check(q, key, Given::Text(typed)) {
                    Ok(v) => return Ok(v),
                    Err(e) if blank => p.note(&e.message),
                    Err(e) => p.note(&format!("{}.", e.message.trim_end_matches('.'))),
                }
            },
        }
    }

    /// A list of one-line items.
    fn ask_items(
        &self,
        p: &mut dyn Prompter,
        q: &Question,
        prompt: &Prompt,
        current: Option<Value>,
    ) -> Result<Value> {
        let w = self.words();
        let mut items = match current {
            Some(Value::List(l)) => l,
            _ => Vec::new(),
        };
        if !items.is_empty() {
            p.note(&fill(w.so_far, &[("items", &items.join("; "))]));
            if !p.confirm(
                &Prompt {
                    text: w.keep_add_more.into(),
                    back: true,
                    ..Prompt::default()
                },
                true,
            )? {
                items.clear();
            }
        }
        p.note(&fill(
            w.one_per_line,
            &[("question", &prompt.text), ("item", &q.item)],
        ));
        loop {
            let one = Prompt {
                text: format!("{} {}", capitalise(&q.item), items.len() + 1),
                ..prompt.clone()
            };
            let typed = p.text(&one, None, false)?;
            if keys(w, p, prompt, &typed)? {
                continue;
            }
            if typed.trim().is_empty() {
                if items.is_empty() && q.required {
                    p.note(&fill(w.at_least_one, &[("item", &q.item)]));
                    continue;
                }
                return Ok(Value::List(items));
            }
            match q.from_text(&typed, Some(self.date)) {
                Ok(Value::List(mut v)) => items.append(&mut v),
                Ok(_) => unreachable!("a plain list reads one item"),
                Err(e) => p.note(&e),
            }
        }
    }

    /// A list of small forms (each item has fields).
    fn ask_rows(
        &self,
        p: &mut dyn Prompter,
        q: &Question,
        prompt: &Prompt,
        current: Option<Value>,
    ) -> Result<Value> {
        let w = self.words();
        let mut rows = match current {
            Some(Value::Items(r)) => r,
            _ => Vec::new(),
        };
        p.note(&prompt.text);
        if let Some(help) = &prompt.help {
            p.note(help);
        }
        if !rows.is_empty() {
            let summary = match rows.len() {
                1 => w.one_entry.to_owned(),
                n => fill(w.entries, &[("n", &n.to_string())]),
            };
            p.note(&fill(w.you_have, &[("summary", &summary)]));
            if !p.confirm(
                &Prompt {
                    text: w.keep_them.into(),
                    back: true,
                    ..Prompt::default()
                },
                true,
            )? {
                rows.clear();
            }
        }
        loop {
            let add = p.confirm(
                &Prompt {
                    progress: prompt.progress.clone(),
                    text: if rows.is_empty() {
                        // English puts "a" or "an" before the item's name.
                        let item = match self.letter.lang {
                            crate::lang::Lang::En => format!("{} {}", article(&q.item), q.item),
                            _ => q.item.clone(),
                        };
                        fill(w.add_first, &[("item", &item)])
                    } else {
                        fill(w.add_another, &[("item", &q.item)])
                    },
                    help: prompt.help.clone(),
                    back: true,
                    ..Prompt::default()
                },
                // Enter adds one only where one is needed: for a list that may stay empty
                // ("Press Enter if no one"), Enter means no.
                rows.is_empty() && q.required,
            )?;
            if !add {
                if rows.is_empty() && q.required {
                    p.note(&fill(w.needed_for_letter, &[("item", &q.item)]));
                    continue;
                }
                return Ok(Value::Items(rows));
            }
            // `<` (or Esc) in the middle of one goes back to "Add another?", adding nothing.
            let row = match self.ask_row(p, q, rows.len() + 1) {
                Err(e) if e.is::<GoBack>() => {
                    p.note(&fill(w.not_added, &[("item", &q.item)]));
                    continue;
                }
                other => other?,
            };
            if row.is_empty() {
                continue;
            }
            rows.push(row);
        }
    }

    /// One item of a list of small forms, field by field; empty when the parent left its first
    /// part empty (the way to add none).
    fn ask_row(
        &self,
        p: &mut dyn Prompter,
        q: &Question,
        number: usize,
    ) -> Result<BTreeMap<String, Value>> {
        let w = self.words();
        let mut row = BTreeMap::new();
        for (n, field) in q.fields.iter().enumerate() {
            let key = format!("{}.{}", q.key, field.key);
            let fp = Self::prompt_for(
                &self.field_screen(field, &key)?,
                format!("{} {number}", capitalise(&q.item)),
            );
            // The first part left empty is the way out: this one is not added.
            if n == 0 && !matches!(field.kind, Kind::YesNo | Kind::Choice | Kind::MultiChoice) {
                p.note(&fill(w.leave_empty_to_add_none, &[("item", &q.item)]));
                loop {
                    let typed = p.text(&fp, None, field.kind == Kind::LongText)?;
                    if keys(w, p, &fp, &typed)? {
                        continue;
                    }
                    if typed.trim().is_empty() {
                        p.note(&fill(w.none_added, &[("item", &q.item)]));
                        return Ok(row);
                    }
                    match self.check(field, &key, Given::Text(typed)) {
                        Ok(v) => {
                            row.extend(v.map(|v| (field.key.clone(), v)));
                            break;
                        }
                        Err(e) => p.note(&e.message),
                    }
                }
                continue;
            }
            if let Some(v) = self.ask_one(p, field, &key, &fp, None)? {
                row.insert(field.key.clone(), v);
            }
        }
        Ok(row)
    }

    /// The review screen: done, an answer to change, or (where it was picked from a list) the
    /// jurisdiction to change.
    fn review_screen(&self, p: &mut dyn Prompter, done: &str) -> Result<Review> {
        let w = self.words();
        let lines = self.review()?;
        let mut items = vec![done.to_owned()];
        if self.place_changeable {
            items.push(fill(w.where_school, &[("place", &self.jurisdiction.name)]));
        }
        let first = items.len();
        for line in &lines {
            items.push(format!(
                "{:>2}. {}: {}",
                line.number,
                shorten(&line.prompt, 48),
                shorten(&line.answer, 40)
            ));
        }
        let i = p.select(
            &Prompt {
                text: w.check_answers.into(),
                ..Prompt::default()
            },
            &items,
            0,
        )?;
        Ok(match i {
            0 => Review::Done,
            i if i < first => Review::Place,
            i => Review::Change(lines[i - first].key.clone()),
        })
    }
}

/// What the parent picked at the review.
enum Review {
    Done,
    Place,
    Change(String),
}

fn preview(draft: &Draft) -> String {
    let rule = "─".repeat(40);
    let lines = draft.email_lines();
    let gap = if lines.is_empty() { "" } else { "\n" };
    format!("\n{rule}\n{lines}{gap}{}{rule}", draft.to_text())
}

/// What the parent chose after the preview.
enum Final {
    Save,
    Change,
    Later,
    Quit,
}

/// The keys a typed answer understands: `<` goes back ([`GoBack`]); `?` shows the help again
/// and is answered `true` (ask the question again); anything else is an answer (`false`).
fn keys(w: &Words, p: &mut dyn Prompter, prompt: &Prompt, typed: &str) -> Result<bool> {
    match typed.trim() {
        "<" => Err(GoBack.into()),
        "?" => {
            show_help(w, p, prompt);
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// `?` at a question: its help and example again.
fn show_help(w: &Words, p: &mut dyn Prompter, prompt: &Prompt) {
    let help = [
        prompt.help.clone(),
        prompt
            .example
            .as_deref()
            .map(|e| fill(w.for_example, &[("example", e)])),
    ];
    let shown: Vec<String> = help.into_iter().flatten().collect();
    p.note(&if shown.is_empty() {
        w.no_more_help.to_owned()
    } else {
        shown.join("\n")
    });
}

/// "a" or "an" before an item's name: "an example", "a person".
fn article(item: &str) -> &'static str {
    if item.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}
