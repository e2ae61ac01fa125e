//! Answers: what the parent said, as typed values, and the answers file that replays a letter.
//!
//! An answers file is TOML a person can read and edit: one key per question, in the order asked,
//! and an `[iep]` table saying which letter, jurisdiction and date it was written for, so that
//! `iep write ID --answers FILE` produces the same letter again.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;

use crate::dates::DateKind;

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Text, an email address, or a choice's value.
    Text(String),
    /// Yes or no.
    Bool(bool),
    /// A date.
    Date(NaiveDate),
    /// Several choices, or a list of one-line items.
    List(Vec<String>),
    /// A list of small forms (for example earlier contacts: date, person, asked, reply).
    Items(Vec<BTreeMap<String, Value>>),
}

/// A front end (a web page, a script) reads answers as JSON: text, true/false, a date as
/// `"2026-11-03"`, a list of strings, or a list of objects.
impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Text(t) => s.serialize_str(t),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Date(d) => s.collect_str(d),
            Value::List(items) => serde::Serialize::serialize(items, s),
            Value::Items(rows) => serde::Serialize::serialize(rows, s),
        }
    }
}

impl Value {
    /// The answer as one line for the review screen and error messages.
    pub fn summary(&self) -> String {
        match self {
            Value::Text(t) => {
                let first = t.lines().next().unwrap_or_default();
                if t.contains('\n') {
                    format!("{first} …")
                } else {
                    first.to_owned()
                }
            }
            Value::Bool(true) => "yes".into(),
            Value::Bool(false) => "no".into(),
            Value::Date(d) => d.to_string(),
            Value::List(items) if items.is_empty() => "(none)".into(),
            Value::List(items) => items.join("; "),
            Value::Items(rows) => match rows.len() {
                0 => "(none)".into(),
                1 => "1 entry".into(),
                n => format!("{n} entries"),
            },
        }
    }

    /// The answer as TOML, for the answers file. Fails only for a date TOML cannot hold
    /// (outside years 0 to 9999), which every reader of dates refuses before it gets here.
    pub fn to_toml(&self) -> Result<toml::Value> {
        Ok(match self {
            Value::Text(t) => toml::Value::String(t.clone()),
            Value::Bool(b) => toml::Value::Boolean(*b),
            Value::Date(d) => toml::Value::Datetime(toml_date(*d)?),
            Value::List(items) => {
                toml::Value::Array(items.iter().cloned().map(toml::Value::String).collect())
            }
            Value::Items(rows) => toml::Value::Array(
                rows.iter()
                    .map(|row| {
                        row.iter()
                            .map(|(k, v)| Ok((k.clone(), v.to_toml()?)))
                            .collect::<Result<toml::Table>>()
                            .map(toml::Value::Table)
                    })
                    .collect::<Result<_>>()?,
            ),
        })
    }
}

/// A date as a TOML date (`2026-11-23`, no time). A year TOML cannot write (before 0 or after
/// 9999) is an error, never a different date.
pub fn toml_date(d: NaiveDate) -> Result<toml::value::Datetime> {
    use chrono::Datelike;
    let year = u16::try_from(d.year())
        .ok()
        .filter(|y| *y <= 9999)
        .with_context(|| format!("the date {d} cannot be saved: its year is not 0 to 9999"))?;
    Ok(toml::value::Datetime {
        date: Some(toml::value::Date {
            year,
            // chrono's month is 1 to 12 and its day 1 to 31.
            month: d.month() as u8,
            day: d.day() as u8,
        }),
        time: None,
        offset: None,
    })
}

/// The largest answers file (or case profile) iep reads: a real one is a few kilobytes.
pub const MAX_ANSWERS_BYTES: u64 = 16 * 1024 * 1024;

/// Which letter an answers file belongs to (its `[iep]` table).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// Letter id.
    pub letter: Option<String>,
    /// Jurisdiction id.
    pub jurisdiction: Option<String>,
    /// The letter's date.
    pub date: Option<toml::value::Datetime>,
}

impl Meta {
    /// Reads the `[iep]` table by hand: serde through `toml::Value` turns dates into strings.
    fn from_table(table: toml::Table) -> Result<Self, crate::refused::Refused> {
        let mut meta = Meta::default();
        for (key, value) in table {
            match (key.as_str(), value) {
                ("letter", toml::Value::String(s)) => meta.letter = Some(s),
                ("jurisdiction", toml::Value::String(s)) => meta.jurisdiction = Some(s),
                ("date", toml::Value::Datetime(d)) => meta.date = Some(d),
                ("date", toml::Value::String(s)) => {
                    meta.date =
                        Some(s.parse().map_err(|_| {
                            format!("date \"{s}\" is not a date such as 2026-11-23")
                        })?)
                }
                ("letter" | "jurisdiction" | "date", v) => {
                    return Err(format!("`{key}` cannot be {}", v.type_str()).into());
                }
                (other, _) => {
                    return Err(format!(
                        "unknown key `{other}`; it takes letter, jurisdiction and date"
                    )
                    .into());
                }
            }
        }
        Ok(meta)
    }

    /// The `[iep]` table, built by hand for the same reason as [`Meta::from_table`].
    fn to_table(&self) -> toml::Table {
        let mut t = toml::Table::new();
        if let Some(l) = &self.letter {
            t.insert("letter".into(), toml::Value::String(l.clone()));
        }
        if let Some(j) = &self.jurisdiction {
            t.insert("jurisdiction".into(), toml::Value::String(j.clone()));
        }
        if let Some(d) = self.date {
            t.insert("date".into(), toml::Value::Datetime(d));
        }
        t
    }

    /// The letter's date, checked: a real day in the range of a letter's dates.
    pub fn date(&self) -> Result<Option<NaiveDate>> {
        let Some(dt) = &self.date else {
            return Ok(None);
        };
        match (dt.date, dt.time) {
            (Some(d), None) => {
                let date = NaiveDate::from_ymd_opt(
                    i32::from(d.year),
                    u32::from(d.month),
                    u32::from(d.day),
                )
                .with_context(|| format!("[iep] date {dt} is not a real date"))?;
                DateKind::Letter
                    .check(date, &dt.to_string())
                    .map(Some)
                    .context("[iep] date")
            }
            _ => bail!("[iep] date must be a plain date such as 2026-11-23, not {dt}"),
        }
    }
}

/// An answers file as read, before its answers are checked against a letter's questions.
#[derive(Debug, Clone, Default)]
pub struct AnswersFile {
    /// Where it came from, for messages.
    pub path: String,
    /// The `[iep]` table.
    pub meta: Meta,
    /// Each answer with the line its key is on.
    pub entries: Vec<(String, toml::Value, usize)>,
}

impl AnswersFile {
    /// Reads an answers file; a syntax error names the file, line and column. A file over
    /// [`MAX_ANSWERS_BYTES`] (or one that never ends, such as `/dev/zero`) is refused unread.
    pub fn load(path: &Path) -> Result<Self> {
        use std::io::Read as _;
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_ANSWERS_BYTES + 1).read_to_end(&mut bytes))
            .with_context(|| format!("could not read the answers file {}", path.display()))?;
        if bytes.len() as u64 > MAX_ANSWERS_BYTES {
            bail!(
                "{} is over {} MB, far more than any answers file; check that it is the right file",
                path.display(),
                MAX_ANSWERS_BYTES / (1024 * 1024)
            );
        }
        let text = String::from_utf8(bytes).map_err(|_| {
            anyhow::anyhow!(
                "{} is not plain text (UTF-8); an answers file is TOML text",
                path.display()
            )
        })?;
        Self::parse(&path.display().to_string(), &text)
    }

    /// Parses answers-file text; `path` is used in messages.
    pub fn parse(path: &str, text: &str) -> Result<Self> {
        let mut table: toml::Table = toml::from_str(text)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("{path} is not valid TOML"))?;
        let meta = match table.remove("iep") {
            Some(toml::Value::Table(t)) => Meta::from_table(t)
                .map_err(|e| anyhow::anyhow!("{path}: the [iep] table is not valid: {e}"))?,
            Some(_) => {
                bail!("{path}: `iep` is reserved for the [iep] table (letter, jurisdiction, date)")
            }
            None => Meta::default(),
        };
        let lines = key_lines(text);
        let entries = table
            .into_iter()
            .map(|(key, value)| {
                let line = lines.get(key.as_str()).copied().unwrap_or(0);
                (key, value, line)
            })
            .collect();
        Ok(AnswersFile {
            path: path.to_owned(),
            meta,
            entries,
        })
    }
}

/// For each key, the 1-based line it is first set on (`key = …`), or of the `[key]` or
/// `[[key]]` table that starts it. One pass over the text, however many keys it has.
fn key_lines(text: &str) -> std::collections::HashMap<&str, usize> {
    let mut found = std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim_start();
        let key = if l.starts_with('[') {
            Some(l.trim_start_matches('[').trim_end().trim_end_matches(']'))
        } else {
            l.split_once('=').map(|(k, _)| k.trim_end())
        };
        if let Some(key) = key {
            found.entry(key).or_insert(i + 1);
        }
    }
    found
}

/// Splits a `--set key=value` argument.
pub fn parse_set(arg: &str) -> Result<(String, String)> {
    match arg.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.to_owned())),
        _ => {
            bail!("--set needs key=value, for example --set child_name=\"Sam Lee\"; got \"{arg}\"")
        }
    }
}

/// Renders an answers file: the answers in question order, then the `[iep]` table.
pub fn to_file_text(letter: &str, meta: &Meta, answers: &[(String, Value)]) -> Result<String> {
    file_text(
        &format!(
            "# Answers for the letter `{letter}`, saved by iep.\n# Write the same letter again: iep write {letter} --answers THIS_FILE"
        ),
        meta,
        answers,
    )
}

/// Renders answers as TOML under a `#` comment `header`, with an `[iep]` table when `meta` has
/// anything in it.
pub fn file_text(header: &str, meta: &Meta, answers: &[(String, Value)]) -> Result<String> {
    let mut table = toml::Table::new();
    for (key, value) in answers {
        table.insert(
            key.clone(),
            value.to_toml().with_context(|| format!("answer `{key}`"))?,
        );
    }
    let meta = meta.to_table();
    if !meta.is_empty() {
        table.insert("iep".into(), toml::Value::Table(meta));
    }
    let body = toml::to_string_pretty(&table)
        .map_err(anyhow::Error::from)
        .context("the answers could not be written as TOML")?;
    Ok(format!("{header}\n\n{body}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_answers_and_meta() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let meta = Meta {
            letter: Some("iep-request".into()),
            jurisdiction: Some("ontario".into()),
            date: Some(toml_date(date).unwrap()),
        };
        let mut row = BTreeMap::new();
        row.insert("date".to_owned(), Value::Date(date));
        row.insert("what".to_owned(), Value::Text("no scribe in math".into()));
        let answers = vec![
            ("child_name".to_owned(), Value::Text("Sam O'Neil".into())),
            ("has_report".to_owned(), Value::Bool(true)),
            ("examples".to_owned(), Value::Items(vec![row])),
        ];
        let text = to_file_text("iep-request", &meta, &answers).unwrap();
        let file = AnswersFile::parse("a.toml", &text).unwrap();
        assert_eq!(file.meta, meta);
        assert_eq!(file.meta.date().unwrap(), Some(date));
        let keys: Vec<&str> = file.entries.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(keys, ["child_name", "has_report", "examples"]);
        assert_eq!(file.entries[0].1.as_str(), Some("Sam O'Neil"));
        assert!(file.entries[2].2 > file.entries[1].2);
    }

    #[test]
    fn syntax_errors_name_file_line_and_column() {
        let err = AnswersFile::parse("answers.toml", "child_name = \"Sam\"\nschool = Maple\n")
            .unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("answers.toml"), "{msg}");
        assert!(msg.contains("line 2"), "{msg}");
        assert!(msg.contains("column"), "{msg}");
    }

    // Issue 11 (every loop over input): each key's line was found by a scan of the whole text,
    // so 60,000 keys took minutes.
    #[test]
    fn many_keys_are_placed_in_one_pass() {
        let text: String = (0..60_000).map(|i| format!("k{i} = {i}\n")).collect();
        let started = std::time::Instant::now();
        let file = AnswersFile::parse("big.toml", &text).unwrap();
        assert_eq!(file.entries.len(), 60_000);
        assert!(file.entries.iter().enumerate().all(|(i, e)| e.2 == i + 1));
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }

    #[test]
    fn set_needs_key_and_value() {
        assert_eq!(parse_set("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert!(parse_set("novalue").is_err());
        assert!(parse_set("=x").is_err());
    }
}
