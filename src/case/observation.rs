//! Observations: one file per observation, `observations/2026-11-04-1.toml`, never rewritten.

use std::fs;

use anyhow::{Context as _, Result};
use chrono::NaiveDate;

use super::record::Damaged;
use super::{Case, private_dir};
use crate::answers::{AnswersFile, Value};
use crate::atomic;

/// One observation of a support not given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// Its id: the file name without `.toml`.
    pub id: String,
    /// The day it happened.
    pub date: NaiveDate,
    /// Which support.
    pub support: String,
    /// Class or place.
    pub setting: String,
    /// What happened.
    pub what: String,
    /// Who was there.
    pub present: String,
}

impl Observation {
    /// From the observation form's answers file.
    fn from_file(id: &str, file: &AnswersFile) -> Result<Self, crate::refused::Refused> {
        let mut date = None;
        let mut text = std::collections::BTreeMap::new();
        for (key, value, line) in &file.entries {
            match (key.as_str(), value) {
                ("date", toml::Value::Datetime(d)) => {
                    let day = d.to_string().parse::<NaiveDate>().map_err(|_| {
                        format!("line {line}: `date` should be a date such as 2026-11-04")
                    })?;
                    // A hand edit out of range is reported, as any other fault in the file.
                    crate::dates::DateKind::Observation
                        .check(day, &d.to_string())
                        .map_err(|e| format!("line {line}: `date`: {e}"))?;
                    date = Some(day);
                }
                ("support" | "setting" | "what" | "present", toml::Value::String(s)) => {
                    text.insert(key.clone(), s.clone());
                }
                _ => {
                    return Err(
                        format!("line {line}: `{key}` is not part of an observation").into(),
                    );
                }
            }
        }
        let mut take = |k: &str| text.remove(k).unwrap_or_default();
        Ok(Observation {
            id: id.to_owned(),
            date: date.ok_or("it has no `date`")?,
            support: take("support"),
            setting: take("setting"),
            what: take("what"),
            present: take("present"),
        })
    }

    /// One line: "November 4: Access to a scribe (science class): no scribe for the test".
    pub fn label(&self) -> String {
        let mut s = format!("{}: {}", self.date, self.support);
        if !self.setting.is_empty() {
            s.push_str(&format!(" ({})", self.setting));
        }
        s.push_str(&format!(": {}", self.what));
        s
    }

    /// What happened, with the place and who was there, as a letter's example says it.
    pub fn what_happened(&self) -> String {
        let s = self.what.trim_end_matches('.').to_owned();
        let context: Vec<&str> = [
            self.setting.trim(),
            self.present.trim().trim_end_matches('.'),
        ]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect();
        if context.is_empty() {
            s
        } else {
            format!("{s} ({})", context.join("; "))
        }
    }

    /// As an entry of a list with `date` and `what` fields.
    pub fn as_row(&self) -> std::collections::BTreeMap<String, Value> {
        std::collections::BTreeMap::from([
            ("date".to_owned(), Value::Date(self.date)),
            ("what".to_owned(), Value::Text(self.what_happened())),
        ])
    }
}

/// Every observation, oldest first, and the files that could not be read.
pub fn load_all(case: &Case) -> Result<(Vec<Observation>, Vec<Damaged>)> {
    let dir = case.observations_dir();
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
        Err(e) => return Err(e).with_context(|| format!("could not read {}", dir.display())),
    };
    let mut found = Vec::new();
    let mut damaged = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("could not read {}", dir.display()))?
            .path();
        let Some(id) = path
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| !n.starts_with('.'))
            .and_then(|n| n.strip_suffix(".toml"))
        else {
            continue;
        };
        let read = AnswersFile::load(&path)
            .map_err(|e| format!("{e:#}"))
            .and_then(|f| Observation::from_file(id, &f).map_err(|e| e.0));
        match read {
            Ok(o) => found.push(o),
            Err(problem) => damaged.push(Damaged {
                path: path.clone(),
                problem,
            }),
        }
    }
    found.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    Ok((found, damaged))
}

/// Saves a new observation file, named by its date; returns its id.
pub fn create(case: &Case, date: NaiveDate, text: &str) -> Result<String> {
    let _lock = case.lock()?;
    let dir = case.observations_dir();
    private_dir(&dir)?;
    for n in 1.. {
        let id = format!("{date}-{n}");
        if atomic::write_new(&dir.join(format!("{id}.toml")), text.as_bytes())? {
            return Ok(id);
        }
    }
    unreachable!("some numbered name is free")
}
