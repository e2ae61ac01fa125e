//! Collecting a letter's templates across layers, following `extends` and `include`, and the
//! small templates in its questions.

use std::collections::HashMap;

use anyhow::{Context as _, Result};

use crate::catalog::question::Question;
use crate::catalog::{Catalog, Letter};

use super::*;

/// Collects the templates a letter needs, following `extends` and `include`.
#[derive(Debug, Default)]
pub(super) struct Loader {
    pub(super) templates: Vec<(String, String)>,
    pub(super) displays: HashMap<String, String>,
}

impl Loader {
    pub(super) fn load(&mut self, catalog: &Catalog, name: &str) -> Result<()> {
        if self.displays.contains_key(name) {
            return Ok(());
        }
        let found = match name.strip_prefix("iep/") {
            Some(path) => catalog.layers()[0].read(path)?,
            None => catalog.find(name)?,
        };
        let file = found
            .with_context(|| format!("the template \"{name}\" does not exist in any layer"))?;
        self.displays.insert(name.to_owned(), file.display.clone());
        let deps = references(&file.text);
        self.templates
            .push((name.to_owned(), file.text.into_owned()));
        for dep in deps {
            self.load(catalog, &dep)?;
        }
        Ok(())
    }

    /// Adds the letter's one-line `asked` template, returning its name.
    pub(super) fn asked(&mut self, letter: &Letter) -> Option<String> {
        let raw = letter.asked.as_ref()?;
        let name = format!("letter `{}` asked", letter.id);
        self.displays.insert(
            name.clone(),
            format!("letters/{}/letter.toml (asked)", letter.id),
        );
        self.templates.push((name.clone(), raw.clone()));
        Some(name)
    }

    pub(super) fn question(&mut self, q: &Question, key: &str, letter: &str) {
        let mut add = |part: &str, text: String| {
            let name = snippet_name(key, part);
            self.displays.insert(
                name.clone(),
                format!("letter `{letter}`, question `{key}` ({part})"),
            );
            self.templates.push((name, text));
        };
        if let Some(when) = &q.when {
            add("when", format!("{{% if {when} %}}1{{% endif %}}"));
        }
        let default = match &q.default {
            Some(toml::Value::String(d)) => Some(d),
            _ => None,
        };
        for (part, raw) in [
            ("prompt", Some(&q.prompt)),
            ("help", q.help.as_ref()),
            ("example", q.example.as_ref()),
            ("default", default),
        ] {
            if let Some(raw) = raw.filter(|r| is_template(r)) {
                add(part, raw.clone());
            }
        }
        for f in &q.fields {
            self.question(f, &format!("{key}.{}", f.key), letter);
        }
    }
}

/// Names in `{% extends "..." %}` and `{% include "..." %}` tags.
pub(super) fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        rest = &rest[start + 2..];
        let tag = rest.trim_start_matches('-').trim_start();
        for keyword in ["extends", "include"] {
            if let Some(after) = tag.strip_prefix(keyword) {
                let after = after.trim_start();
                if let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'')
                    && let Some(end) = after[1..].find(q)
                {
                    out.push(after[1..1 + end].to_owned());
                }
            }
        }
    }
    out
}
