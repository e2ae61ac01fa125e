//! The page's HTML: tera templates and the stylesheet, embedded in the binary and compiled only
//! when `iep serve` starts. Every value is HTML-escaped (autoescape on `.html` templates); no
//! template marks anything safe.

use anyhow::{Context as _, Result};
use serde::Serialize;
use tera::Tera;

/// The stylesheet, served at `/style.css`.
pub const STYLE: &str = include_str!("templates/style.css");

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("field.html", include_str!("templates/field.html")),
    ("list.html", include_str!("templates/list.html")),
    ("home.html", include_str!("templates/home.html")),
    ("question.html", include_str!("templates/question.html")),
    ("review.html", include_str!("templates/review.html")),
    ("form.html", include_str!("templates/form.html")),
    ("record.html", include_str!("templates/record.html")),
    ("confirm.html", include_str!("templates/confirm.html")),
    ("message.html", include_str!("templates/message.html")),
    ("chronology.html", include_str!("templates/chronology.html")),
];

/// The compiled templates.
#[derive(Debug)]
pub struct Pages {
    tera: Tera,
}

/// What every page gets besides its own data.
#[derive(Debug, Serialize)]
pub struct Common<'a> {
    /// The `lang` of the page.
    pub lang: &'a str,
    /// The token forms carry.
    pub csrf: &'a str,
    /// The child's name, for the header.
    pub child: &'a str,
    /// The page's own words, in its language: `w.page` in the templates.
    #[serde(skip)]
    pub words: &'static crate::lang::PageWords,
}

/// The words every template gets as `w`.
#[derive(Debug, Serialize)]
struct WordsCtx {
    page: &'static crate::lang::PageWords,
}

impl Pages {
    /// Compiles the templates.
    pub fn new() -> Result<Self> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_templates(TEMPLATES.iter().copied())
            .map_err(|e| anyhow::anyhow!("{e:#}"))
            .context("the page's templates do not compile")?;
        Ok(Pages { tera })
    }

    /// Renders `name` with `common` as `page`, its words as `w` and `data` as `d`.
    pub fn render(&self, name: &str, common: &Common<'_>, data: &impl Serialize) -> Result<String> {
        let mut ctx = tera::Context::new();
        ctx.insert("page", common);
        ctx.insert("w", &WordsCtx { page: common.words });
        ctx.insert("d", data);
        self.tera.render(name, &ctx).map_err(|e| {
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                msg.push_str(&format!(": {s}"));
                source = s.source();
            }
            anyhow::anyhow!("the page {name} could not be made: {msg}")
        })
    }
}
