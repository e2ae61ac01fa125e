//! One question as form controls, and a posted form back as the engine's [`Given`]: the right
//! control for each kind (text, a text area, a typed date with a date picker beside it, radio
//! buttons, check boxes, yes/no, a list with rows to add and remove), and the answer as it was
//! typed kept when it is refused, with the engine's reason beside it.
//!
//! Field names are the question's key: `KEY` (repeated for several choices or list items),
//! `KEY.pick` (the date picker), `KEY.N.FIELD` for part FIELD of list item N, `KEY.rows` (how
//! many items the page showed) and `KEY.offer` (the recorded items picked).

use std::collections::BTreeMap;

use serde::Serialize;

use super::http::Request;
use crate::answers::Value;
use crate::catalog::question::{Kind, Offer};
use crate::interview::{Given, Screen};
use crate::lang::{Words, fill};

/// A question as the templates draw it.
#[derive(Debug, Clone, Serialize)]
pub struct Control {
    /// The question's key (`examples`, or `examples.date` for a part of an item).
    pub key: String,
    /// The form field's name.
    pub name: String,
    /// The element id, unique on the page.
    pub id: String,
    /// line, email, date, area, radio, check, yesno, items or rows.
    pub widget: &'static str,
    /// The question.
    pub prompt: String,
    /// Its help line.
    pub help: Option<String>,
    /// An example answer.
    pub example: Option<String>,
    /// Whether it may be left empty.
    pub optional: bool,
    /// Whether it is the page's main heading (one question per page).
    pub heading: bool,
    /// The typed text.
    pub value: String,
    /// For radio buttons and check boxes.
    pub choices: Vec<Pick>,
    /// For a list of one-line items: each item.
    pub items: Vec<String>,
    /// For a list of small forms: each item's parts.
    pub rows: Vec<Row>,
    /// Recorded items the case offers for the list.
    pub offered: Vec<Pick>,
    /// What the offered items are, as a question.
    pub offer_text: String,
    /// What one item is called, and with a capital.
    pub item: String,
    /// `item` with a capital.
    pub item_title: String,
    /// "a" or "an".
    pub article: &'static str,
    /// Why the answer was not taken.
    pub error: Option<String>,
}

/// One radio button or check box.
#[derive(Debug, Clone, Serialize)]
pub struct Pick {
    /// What it sends.
    pub value: String,
    /// What it says.
    pub label: String,
    /// Whether it is picked.
    pub checked: bool,
    /// Its element id.
    pub id: String,
}

/// One item of a list of small forms.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// 1-based.
    pub n: usize,
    /// Its parts.
    pub fields: Vec<Control>,
}

/// An answer as typed or picked, before the engine checks it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Typed {
    /// Typed text (and a date picker's day, when no text was typed).
    pub text: String,
    /// Picked values: a choice, several, or "yes"/"no".
    pub picked: Vec<String>,
    /// One-line list items.
    pub items: Vec<String>,
    /// List items that are small forms, by part.
    pub rows: Vec<BTreeMap<String, String>>,
    /// The offered items picked (their index).
    pub offered: Vec<usize>,
}

/// A change to a list the parent asked for without answering yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// One more empty item.
    Add,
    /// Remove item n (1-based).
    Remove(usize),
}

/// A value as the text a parent would type for it.
fn as_text(v: &Value) -> String {
    match v {
        Value::Text(t) => t.clone(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Date(d) => d.to_string(),
        Value::List(l) => l.join("; "),
        Value::Items(_) => v.summary(),
    }
}

fn row_text(row: &BTreeMap<String, Value>) -> BTreeMap<String, String> {
    row.iter().map(|(k, v)| (k.clone(), as_text(v))).collect()
}

impl Typed {
    /// The answer the engine holds now, as the page shows it.
    pub fn current(screen: &Screen) -> Self {
        let mut t = Typed::default();
        match (&screen.current, screen.kind) {
            (None, _) => {
                t.offered = (0..screen.offered.len())
                    .filter(|&i| screen.offered[i].picked)
                    .collect();
            }
            (Some(Value::Text(v)), Kind::Choice) => t.picked = vec![v.clone()],
            (Some(Value::Bool(b)), _) => t.picked = vec![if *b { "yes" } else { "no" }.into()],
            (Some(Value::List(l)), Kind::MultiChoice) => t.picked = l.clone(),
            (Some(Value::List(l)), _) => t.items = l.clone(),
            (Some(Value::Items(rows)), _) => {
                for row in rows {
                    match screen.offered.iter().position(|o| &o.row == row) {
                        Some(i) => t.offered.push(i),
                        None => t.rows.push(row_text(row)),
                    }
                }
            }
            (Some(v), _) => t.text = as_text(v),
        }
        t
    }

    /// The answer as posted in `req` for `screen`.
    pub fn posted(screen: &Screen, req: &Request) -> Self {
        let key = &screen.key;
        let mut t = Typed {
            text: req.field(key).unwrap_or_default().to_owned(),
            picked: req
                .fields(key)
                .into_iter()
                .filter(|v| !v.is_empty())
                .collect(),
            items: req.fields(key),
            rows: Vec::new(),
            offered: req
                .fields(&format!("{key}.offer"))
                .iter()
                .filter_map(|i| i.parse().ok())
                .filter(|&i: &usize| i < screen.offered.len())
                .collect(),
        };
        if screen.kind == Kind::Date && t.text.trim().is_empty() {
            t.text = req
                .field(&format!("{key}.pick"))
                .unwrap_or_default()
                .to_owned();
        }
        // At most as many items as a page could hold: the body's limit bounds it anyway.
        let count: usize = req
            .field(&format!("{key}.rows"))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
            .min(200);
        for n in 1..=count {
            let row: BTreeMap<String, String> = screen
                .fields
                .iter()
                .map(|f| {
                    let part = f.key.rsplit('.').next().unwrap_or(&f.key).to_owned();
                    let mut typed = req
                        .field(&format!("{key}.{n}.{part}"))
                        .unwrap_or_default()
                        .to_owned();
                    if f.kind == Kind::Date && typed.trim().is_empty() {
                        typed = req
                            .field(&format!("{key}.{n}.{part}.pick"))
                            .unwrap_or_default()
                            .to_owned();
                    }
                    (part, typed)
                })
                .collect();
            t.rows.push(row);
        }
        t
    }

    /// Applies an add or remove to a list.
    pub fn edit(&mut self, screen: &Screen, edit: Edit) {
        let rows = !screen.fields.is_empty();
        match edit {
            Edit::Add if rows => self.rows.push(BTreeMap::new()),
            Edit::Add => self.items.push(String::new()),
            Edit::Remove(n) if rows && (1..=self.rows.len()).contains(&n) => {
                self.rows.remove(n - 1);
            }
            Edit::Remove(n) if !rows && (1..=self.items.len()).contains(&n) => {
                self.items.remove(n - 1);
            }
            Edit::Remove(_) => {}
        }
    }

    /// The answer for the engine. Empty list items are left out: they are the spare row.
    pub fn given(&self, screen: &Screen) -> Given {
        match screen.kind {
            Kind::YesNo => match self.picked.first().map(String::as_str) {
                Some("yes") => Given::YesNo(true),
                Some("no") => Given::YesNo(false),
                _ => Given::Nothing,
            },
            Kind::Choice => match self.picked.first() {
                Some(v) => Given::Choice(v.clone()),
                None => Given::Nothing,
            },
            Kind::MultiChoice => Given::Choices(self.picked.clone()),
            Kind::List if screen.fields.is_empty() => Given::Items(
                self.items
                    .iter()
                    .filter(|i| !i.trim().is_empty())
                    .cloned()
                    .collect(),
            ),
            Kind::List => {
                let mut rows: Vec<BTreeMap<String, String>> = self
                    .offered
                    .iter()
                    .filter_map(|&i| screen.offered.get(i))
                    .map(|o| row_text(&o.row))
                    .collect();
                rows.extend(
                    self.rows
                        .iter()
                        .filter(|r| r.values().any(|v| !v.trim().is_empty()))
                        .cloned(),
                );
                Given::Rows(rows)
            }
            _ => Given::Text(self.text.clone()),
        }
    }
}

/// The element id for a key: letters, digits and `-` only.
fn element_id(key: &str) -> String {
    let mut id = String::from("q-");
    id.extend(
        key.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }),
    );
    id
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The controls for `screen` showing `typed`, with `error` (the engine's message) beside it.
/// `error_key` is the key the engine named: a list item's part names the list.
/// Fixed words (the choice left out, the offer, "For example") are the terminal's, in `w`'s
/// language.
pub fn control(screen: &Screen, typed: &Typed, error: Option<(&str, &str)>, w: &Words) -> Control {
    let widget = match screen.kind {
        Kind::Text | Kind::Name => "line",
        Kind::Email => "email",
        Kind::Date => "date",
        Kind::LongText => "area",
        Kind::Choice => "radio",
        Kind::MultiChoice => "check",
        Kind::YesNo => "yesno",
        Kind::List if screen.fields.is_empty() => "items",
        Kind::List => "rows",
    };
    let id = element_id(&screen.key);
    let mut choices: Vec<Pick> = match screen.kind {
        Kind::YesNo => vec![("yes", w.yes), ("no", w.no)]
            .into_iter()
            .map(|(v, l)| Pick {
                value: v.into(),
                label: capitalise(l),
                checked: typed.picked.iter().any(|p| p == v),
                id: format!("{id}-{v}"),
            })
            .collect(),
        _ => screen
            .choices
            .iter()
            .enumerate()
            .map(|(i, c)| Pick {
                value: c.value.clone(),
                label: c.label.clone(),
                checked: typed.picked.contains(&c.value),
                id: format!("{id}-{}", i + 1),
            })
            .collect(),
    };
    // As at the terminal, an optional choice can be left out.
    if screen.kind == Kind::Choice && screen.optional {
        choices.push(Pick {
            value: String::new(),
            label: w.leave_out.into(),
            checked: typed.picked.is_empty(),
            id: format!("{id}-none"),
        });
    }
    let mut items = typed.items.clone();
    if widget == "items" && items.is_empty() {
        items.push(String::new());
    }
    let mut rows: Vec<BTreeMap<String, String>> = typed.rows.clone();
    if widget == "rows" && rows.is_empty() && (typed.offered.is_empty() || error.is_some()) {
        rows.push(BTreeMap::new());
    }
    let rows = rows
        .iter()
        .enumerate()
        .map(|(i, row)| Row {
            n: i + 1,
            fields: screen
                .fields
                .iter()
                .map(|f| {
                    let part = f.key.rsplit('.').next().unwrap_or(&f.key);
                    let typed = Typed {
                        text: row.get(part).cloned().unwrap_or_default(),
                        picked: row
                            .get(part)
                            .filter(|v| !v.is_empty())
                            .cloned()
                            .into_iter()
                            .collect(),
                        ..Typed::default()
                    };
                    let mut c = control(f, &typed, None, w);
                    c.name = format!("{}.{}.{part}", screen.key, i + 1);
                    c.id = element_id(&format!("{}.{}.{part}", screen.key, i + 1));
                    for (n, p) in c.choices.iter_mut().enumerate() {
                        p.id = format!("{}-{}", c.id, n + 1);
                    }
                    c
                })
                .collect(),
        })
        .collect();
    let offered = screen
        .offered
        .iter()
        .enumerate()
        .map(|(i, o)| Pick {
            value: i.to_string(),
            label: o.label.clone(),
            checked: typed.offered.contains(&i),
            id: format!("{id}-offer-{}", i + 1),
        })
        .collect();
    // Said as the terminal says it: one sentence, ending in a full stop.
    let error = error.and_then(|(key, message)| {
        (key == screen.key || key.starts_with(&format!("{}.", screen.key)))
            .then(|| format!("{}.", message.trim_end_matches('.')))
    });
    Control {
        key: screen.key.clone(),
        name: screen.key.clone(),
        id,
        widget,
        prompt: screen.prompt.clone(),
        help: screen.help.clone(),
        example: screen
            .example
            .as_ref()
            .map(|e| fill(w.for_example, &[("example", e)])),
        optional: screen.optional,
        heading: false,
        value: typed.text.clone(),
        choices,
        items,
        rows,
        offered,
        offer_text: match screen.offer {
            Some(Offer::Letters) => w.offer_letters,
            Some(Offer::Findings) => w.offer_findings,
            _ => w.offer_observations,
        }
        .to_owned(),
        item: screen.item.clone(),
        item_title: capitalise(&screen.item),
        article: if screen.item.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        },
        error,
    }
}

/// What the parent pressed: `go=next`, `back`, `add-KEY` or `remove-KEY-N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Go {
    /// Take the answer.
    Next,
    /// The question before, the answer not taken.
    Back,
    /// Change a list on the page, nothing taken yet.
    Edit(String, Edit),
}

impl Go {
    /// Reads the button pressed.
    pub fn of(req: &Request) -> Go {
        let go = req.field("go").unwrap_or("next");
        if go == "back" {
            return Go::Back;
        }
        if let Some(key) = go.strip_prefix("add-") {
            return Go::Edit(key.to_owned(), Edit::Add);
        }
        if let Some(rest) = go.strip_prefix("remove-")
            && let Some((key, n)) = rest.rsplit_once('-')
            && let Ok(n) = n.parse()
        {
            return Go::Edit(key.to_owned(), Edit::Remove(n));
        }
        Go::Next
    }
}
