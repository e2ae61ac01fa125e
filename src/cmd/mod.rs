//! One file per command, each `execute(args, &mut Ctx) -> Result<Exit>`: given everything it
//! touches in a [`Ctx`] (the catalog, the clock, the prompter or none, output and error streams,
//! the case, the environment, the mailer), and saying how it ended with an [`Exit`]. An error
//! (`Err`) means the job could not be done; `main` prints it with its causes and exits 1.

pub mod case;
pub mod check;
pub mod config;
pub mod due;
pub mod init;
pub mod jurisdictions;
pub mod letters;
pub mod log;
pub mod observe;
pub mod pack;
pub mod reply;
pub mod send;
pub mod write;

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::answers::{self, AnswersFile, Value};
use crate::case::Case;
use crate::catalog::{Catalog, Letter};
use crate::interview::Interview;
use crate::jurisdiction::Jurisdiction;
use crate::prompt::{Prompt, Prompter};
use crate::render::Renderer;

/// How a command ended, and the exit code that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: the job was done.
    Done,
    /// 1: the job was not done, and the command has said why (the parent quit without saving,
    /// a letter could not be sent, a pack check found problems).
    NotDone,
    /// 1: `iep check` found wording to raise (grep's convention: 0 nothing, 1 found).
    Found,
    /// 2: `iep check` could not check (grep's convention); the command has said why.
    CouldNotCheck,
}

impl Exit {
    /// The process's exit code.
    pub fn code(self) -> std::process::ExitCode {
        match self {
            Exit::Done => std::process::ExitCode::SUCCESS,
            Exit::NotDone | Exit::Found => std::process::ExitCode::FAILURE,
            Exit::CouldNotCheck => std::process::ExitCode::from(2),
        }
    }
}

/// What reaches outside the process: environment variables, the password command, the mailer.
/// Passed in, so tests never read the developer's own settings nor reach the network.
pub struct Env {
    /// Looks up an environment variable.
    pub var: Box<Lookup>,
    /// Runs the account's password command.
    pub run: Box<crate::deliver::smtp::RunCommand>,
    /// Sends mail.
    pub mailer: Box<dyn crate::deliver::Mailer>,
}

/// Looks up one environment variable.
pub type Lookup = dyn Fn(&str) -> Option<String>;

impl Env {
    /// An environment with no variables, no way to run a command, and a mailer that records
    /// instead of sending: for tests, and for any front end that must not reach outside.
    pub fn isolated() -> Env {
        Env {
            var: Box::new(|_| None),
            run: Box::new(|_| Err(std::io::Error::other("this environment runs no commands"))),
            mailer: Box::new(crate::deliver::Recording::default()),
        }
    }
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Env")
    }
}

/// Everything a command touches, passed in so tests need no terminal, clock, working folder,
/// environment or network.
pub struct Ctx<'a> {
    /// Where letters, forms and jurisdictions come from.
    pub catalog: &'a Catalog,
    /// The date given with the global `--date`, read once: a letter's, an observation's or a
    /// reply's.
    pub date: Option<NaiveDate>,
    /// Today, for default dates and what is overdue.
    pub today: NaiveDate,
    /// Now, for the times in a record's history.
    pub now: DateTime<FixedOffset>,
    /// The prompter, or `None` when nothing may be asked.
    pub prompter: Option<&'a mut dyn Prompter>,
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error (what was saved where, warnings).
    pub err: &'a mut dyn Write,
    /// The folder relative paths and dated files are in.
    pub cwd: PathBuf,
    /// The case folder, if one was found.
    pub case: Option<Case>,
    /// Standard input, for `iep check -`.
    pub input: &'a mut dyn std::io::Read,
    /// Environment variables, the password command and the mailer.
    pub env: &'a Env,
    /// Where installed packs live.
    pub packs: PathBuf,
    /// Whether output to stdout may be coloured (a terminal, and `console` allows it: it
    /// honours NO_COLOR and CLICOLOR_FORCE).
    pub colour: bool,
}

impl std::fmt::Debug for Ctx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx")
            .field("today", &self.today)
            .field("cwd", &self.cwd)
            .field("case", &self.case)
            .finish_non_exhaustive()
    }
}

impl Ctx<'_> {
    /// The case, or an error saying how to make or name one.
    pub fn need_case(&self, command: &str) -> Result<&Case> {
        self.case.as_ref().ok_or_else(|| {
            anyhow::anyhow!(
                "`iep {command}` works in a case folder, and there is none here or above {}. Run `iep init` to make one, or name one with --case DIR or IEP_CASE.",
                self.cwd.display()
            )
        })
    }
}

/// Borrows the prompter for one call, however many calls follow.
pub fn ask<'s>(p: &'s mut Option<&mut dyn Prompter>) -> Option<&'s mut dyn Prompter> {
    match p {
        Some(p) => Some(&mut **p),
        None => None,
    }
}

/// Fills a form (see [`Catalog::form`]): answers from `preset` and `sets`, the rest asked at a
/// terminal (with a review), or reported missing without one. At a terminal, a form given no
/// answers as flags (`flags` false) is reviewed even when complete. Optional questions left
/// empty come back as empty values (see [`Interview::answers_with_gaps`]).
pub fn fill_form(
    form: &Letter,
    jurisdiction: &Jurisdiction,
    date: NaiveDate,
    preset: Option<&AnswersFile>,
    sets: &[(String, String)],
    flags: bool,
    prompter: Option<&mut dyn Prompter>,
) -> Result<Vec<(String, Value)>> {
    let renderer = Renderer::form(form)?;
    let mut interview = Interview::new(form, jurisdiction, &renderer, date);
    interview.preset(preset, sets)?;
    match prompter {
        Some(p) if !interview.is_complete()? || !flags => interview.run_form(p)?,
        _ => interview.complete_without_asking()?,
    }
    interview.answers_with_gaps()
}

/// Applies `--contact ROLE=NAME <EMAIL>` flags to a case profile's answers: each replaces the
/// contact with the same role.
pub fn apply_contacts(
    answers: &mut Vec<(String, Value)>,
    flags: &[String],
    jurisdiction: &Jurisdiction,
) -> Result<()> {
    use std::collections::BTreeMap;
    if flags.is_empty() {
        return Ok(());
    }
    let people = jurisdiction.people();
    let mut rows = match answers.iter().position(|(k, _)| k == "people") {
        Some(i) => match answers.remove(i).1 {
            Value::Items(rows) => rows,
            _ => Vec::new(),
        },
        None => Vec::new(),
    };
    for flag in flags {
        let Some((role, rest)) = flag.split_once('=') else {
            anyhow::bail!(
                "--contact needs ROLE=NAME, for example --contact \"principal=Ms. Amina Patel <a.patel@school.example.org>\"; got \"{flag}\""
            );
        };
        let role = role.trim();
        if !people.iter().any(|(id, _)| id == role) {
            let ids: Vec<String> = people.iter().map(|(id, _)| id.clone()).collect();
            anyhow::bail!(
                "--contact: {} has no role \"{role}\". Roles: {}",
                jurisdiction.name,
                ids.join(", ")
            );
        }
        let rest = rest.trim();
        let (name, email) = match rest.split_once('<') {
            Some((name, email)) => {
                let email = email.trim().trim_end_matches('>').trim();
                crate::catalog::question::check_email(email)
                    .map_err(|e| anyhow::anyhow!("--contact {role}: {e}"))?;
                (name.trim(), Some(email))
            }
            None => (rest, None),
        };
        if name.is_empty() || name.contains(['\n', '\r']) {
            anyhow::bail!("--contact {role}: give the person's name after the `=`");
        }
        crate::catalog::question::check_controls(name, false)
            .map_err(|e| anyhow::anyhow!("--contact {role}: {e}"))?;
        rows.retain(|row| row.get("role") != Some(&Value::Text(role.to_owned())));
        let mut row = BTreeMap::from([
            ("role".to_owned(), Value::Text(role.to_owned())),
            ("name".to_owned(), Value::Text(name.to_owned())),
        ]);
        if let Some(email) = email {
            row.insert("email".to_owned(), Value::Text(email.to_owned()));
        }
        rows.push(row);
    }
    answers.push(("people".to_owned(), Value::Items(rows)));
    Ok(())
}

/// Answers given as a command's own flags (`--date`, `--support`…), as `--set` pairs.
pub fn flag_sets(flags: &[(&str, &Option<String>)]) -> Vec<(String, String)> {
    flags
        .iter()
        .filter_map(|(k, v)| Some(((*k).to_owned(), (*v).clone()?)))
        .collect()
}

/// Parses every `--set`.
pub fn parse_sets(sets: &[String]) -> Result<Vec<(String, String)>> {
    sets.iter().map(|s| answers::parse_set(s)).collect()
}

/// Asks where the child goes to school, among the jurisdictions `letter` exists for (all of
/// them for the case profile).
pub fn pick_jurisdiction(
    catalog: &Catalog,
    p: &mut dyn Prompter,
    letter: Option<&crate::catalog::Letter>,
) -> Result<String> {
    let ids: Vec<String> = catalog
        .jurisdiction_ids()?
        .into_iter()
        .filter(|id| letter.is_none_or(|l| l.exists_for(id)))
        .collect();
    let mut labels = Vec::new();
    for id in &ids {
        labels.push(catalog.jurisdiction(id)?.name);
    }
    let i = p.select(
        &Prompt {
            text: "Where does your child go to school?".into(),
            help: Some("Letters use the words and rules of the place you pick.".into()),
            ..Prompt::default()
        },
        &labels,
        0,
    )?;
    Ok(ids[i].clone())
}

pub use crate::case::warn_damaged;
