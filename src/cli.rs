//! The command line, as clap reads it. These types stay here: each command turns its arguments
//! into what it needs once, at the start of its `execute`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Letters and emails for a child's Individual Education Plan, right for your jurisdiction.
///
/// iep asks you plain questions and writes the letter: a request for an IEP, a concern that a
/// support is not happening, a request for evidence of progress, or a step up the escalation
/// ladder. Start with `iep letters`, then `iep write <letter>`.
#[derive(Debug, Parser)]
#[command(name = "iep", version, max_term_width = 100)]
pub struct Cli {
    /// A folder of extra or replacement letters and jurisdictions, laid out like iep's own
    /// (letters/, jurisdictions/). May be given more than once; later folders win.
    #[arg(long, global = true, value_name = "DIR")]
    pub templates: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the letters, or show one letter's questions.
    Letters(LettersArgs),
    /// List the jurisdictions, or show one: plan, who is responsible, timelines, ladder.
    Jurisdictions(JurisdictionsArgs),
    /// Write a letter: answer the questions, check your answers, save.
    Write(WriteArgs),
}

/// `iep letters [show ID]`
#[derive(Debug, Args)]
pub struct LettersArgs {
    #[command(subcommand)]
    pub action: Option<LettersAction>,
}

/// What to do with letters.
#[derive(Debug, Subcommand)]
pub enum LettersAction {
    /// Show a letter's questions, with help and examples.
    Show {
        /// The letter, for example implementation-concern.
        id: String,
        /// Show the questions in this jurisdiction's words.
        #[arg(long, short, value_name = "ID", default_value = "generic")]
        jurisdiction: String,
    },
}

/// `iep jurisdictions [show ID]`
#[derive(Debug, Args)]
pub struct JurisdictionsArgs {
    #[command(subcommand)]
    pub action: Option<JurisdictionsAction>,
}

/// What to do with jurisdictions.
#[derive(Debug, Subcommand)]
pub enum JurisdictionsAction {
    /// Show a jurisdiction's plan, people, timelines and escalation ladder, with sources.
    Show {
        /// The jurisdiction, for example ontario.
        id: String,
    },
}

/// `iep write ID`
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// The letter to write (see `iep letters`).
    pub letter: String,

    /// Take answers from this TOML file (for example one iep saved beside an earlier letter).
    #[arg(long, short, value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Give one answer, as key=value. Repeat for more; repeating a list's key adds to it.
    #[arg(long = "set", short = 's', value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// Your jurisdiction: ontario, british-columbia, quebec, new-zealand or generic.
    #[arg(long, short, value_name = "ID")]
    pub jurisdiction: Option<String>,

    /// The letter's date, as YYYY-MM-DD (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    /// Where to save the letter; `-` prints it instead. Default: a dated file in this folder.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Never ask: fail with a list of missing answers instead. Implied without a terminal.
    #[arg(long)]
    pub no_input: bool,
}
