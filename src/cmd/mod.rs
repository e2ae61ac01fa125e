//! One file per command, each `execute(args, &mut Ctx) -> Result<Exit>`: given everything it
//! touches in a [`Ctx`] (the catalog, the clock, the prompter or none, output and error streams,
//! the case, the environment, the mailer), and saying how it ended with an [`Exit`]. An error
//! (`Err`) means the job could not be done; `main` prints it with its causes and exits 1.

pub mod bundle;
pub mod case;
pub mod check;
pub mod config;
pub mod due;
pub mod edit;
mod forms;
pub mod init;
pub mod jurisdictions;
pub mod letters;
pub mod log;
pub mod observe;
pub mod pack;
pub mod print;
pub mod reply;
pub mod send;
pub mod serve;
pub mod write;

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::case::Case;
use crate::catalog::Catalog;
use crate::prompt::Prompter;

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

/// What reaches outside the process: environment variables, the password command, the mailer,
/// the editor, the web browser.
/// Passed in, so tests never read the developer's own settings nor reach the network.
pub struct Env {
    /// Looks up an environment variable.
    pub var: Box<Lookup>,
    /// Runs the account's password command.
    pub run: Box<crate::deliver::smtp::RunCommand>,
    /// Sends mail.
    pub mailer: Box<dyn crate::deliver::Mailer>,
    /// Runs the parent's editor on a file (`iep edit`).
    pub edit: Box<edit::RunEditor>,
    /// Opens an address in the parent's web browser (`iep serve`).
    pub open: Box<OpenUrl>,
}

/// Opens an address in the parent's web browser.
pub type OpenUrl = dyn Fn(&str) -> std::io::Result<()>;

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
            edit: Box::new(|_, _| Err(std::io::Error::other("this environment runs no editor"))),
            open: Box::new(|_| Err(std::io::Error::other("this environment opens no browser"))),
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
    /// The language of questions, messages and letters, chosen once by [`crate::lang::choose`]
    /// (a French letter id may still choose French for its own run).
    pub lang: crate::lang::Lang,
    /// What chose it: a language chosen by the locale alone gives way to English for a letter
    /// or a place that has no version in it; one chosen on purpose does not.
    pub lang_chosen: crate::lang::Chosen,
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
            anyhow::anyhow!(crate::lang::fill(
                self.lang.words().case.needed,
                &[
                    ("command", command),
                    ("path", &self.cwd.display().to_string())
                ]
            ))
        })
    }
}

/// A date in a message: as the English message has always written it (`english`), or in the
/// French style ("3 novembre 2026") in French.
pub fn day_in(lang: crate::lang::Lang, date: chrono::NaiveDate, english: String) -> String {
    match lang {
        crate::lang::Lang::En => english,
        _ => crate::dates::DateStyle::French.format(date),
    }
}

/// Borrows the prompter for one call, however many calls follow.
pub fn ask<'s>(p: &'s mut Option<&mut dyn Prompter>) -> Option<&'s mut dyn Prompter> {
    match p {
        Some(p) => Some(&mut **p),
        None => None,
    }
}

pub use crate::case::warn_damaged;
pub use forms::{
    FormStart, apply_contacts, fill_form, flag_sets, jurisdiction_for, keeper, parse_sets,
    pick_jurisdiction,
};
