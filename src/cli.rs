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
#[command(
    name = "iep",
    version,
    max_term_width = 100,
    after_help = "Examples:\n  iep letters                          what each letter is for\n  iep write implementation-concern     write one, answering plain questions\n  iep init sam-iep                     keep a case: a dated record of every letter\n  iep due                              replies that are overdue, and what to write next"
)]
pub struct Cli {
    /// A folder of extra or replacement letters and jurisdictions, laid out like iep's own
    /// (letters/, jurisdictions/). May be given more than once; later folders win.
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        help_heading = "Global options"
    )]
    pub templates: Vec<PathBuf>,

    /// The case folder to use. Default: IEP_CASE, or the nearest folder from here upward that
    /// holds an iep-case.toml (as git finds a repository).
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        help_heading = "Global options"
    )]
    pub case: Option<PathBuf>,

    /// Never ask anything: fail with a list of what is missing instead. Implied without a
    /// terminal.
    #[arg(long, global = true, help_heading = "Global options")]
    pub no_input: bool,

    /// The date of what you write or record: a letter's (iep write), an observation's (iep
    /// observe) or a reply's (iep reply), from 2000 to 2100. Default: today.
    #[arg(
        long,
        global = true,
        value_name = "DATE",
        help_heading = "Global options"
    )]
    pub date: Option<String>,

    /// The language of the questions and the letter: en (English) or fr (français). Default:
    /// the case's language, then `lang` in your settings.toml, then LC_ALL, LC_MESSAGES or LANG
    /// (fr_CA, fr_FR… mean French), then English.
    #[arg(
        long,
        global = true,
        value_name = "LANG",
        value_parser = parse_lang,
        help_heading = "Global options"
    )]
    pub lang: Option<crate::lang::Lang>,

    #[command(subcommand)]
    pub command: Command,
}

/// `--lang`: a language iep speaks, or an error that lists them (clap exits 2).
fn parse_lang(text: &str) -> Result<crate::lang::Lang, String> {
    crate::lang::Lang::parse(text).map_err(|e| e.0)
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
    /// Start a case folder: your child, the school, the people you write to. Asked once.
    Init(InitArgs),
    /// Show or change the case: `iep case show`, `iep case edit`.
    Case(CaseArgs),
    /// The case's timeline: every letter, to whom, its status, and the reply.
    Log(LogArgs),
    /// Letters whose reply is overdue, oldest first, and what to write next.
    Due(DueArgs),
    /// Write down a support that was not given, with the date, while it is fresh.
    Observe(ObserveArgs),
    /// Record a reply to a letter: when, from whom, what it said, which questions it answered.
    Reply(ReplyArgs),
    /// Send a recorded letter by email, from your own account (see `iep config smtp`).
    Send(SendArgs),
    /// Change a letter that has not been sent yet: it opens in your editor ($VISUAL or $EDITOR),
    /// and its email is made to match.
    Edit(EditArgs),
    /// Record that you sent a letter yourself (from your own mail program, on paper, by hand).
    Sent(SentArgs),
    /// Letters whose sending did not end in "sent": failed for now, refused by the server, or
    /// not confirmed. `iep outbox drop RECORD` takes one out.
    Outbox(OutboxArgs),
    /// Make a recorded letter into a PDF to print, sign and hand in (letter.pdf in its record).
    Print(PrintArgs),
    /// One PDF of the case for a superintendent, an ombudsman or a tribunal: the chronology,
    /// every letter in full, replies, observations and attached files, page-numbered.
    Bundle(BundleArgs),
    /// Your settings: `iep config smtp` sets up the email account letters are sent from.
    Config(ConfigArgs),
    /// Read the text of an IEP and point out wording too vague to enforce. Exit code: 0 when
    /// nothing is found, 1 when something is, 2 when the file could not be checked.
    Check(CheckArgs),
    /// Template packs for advocacy groups: `iep pack new`, `iep pack check`.
    Pack(PackArgs),
    /// The same letters and case in a page in your web browser, served on this computer only.
    Serve(ServeArgs),
    /// Print tab-completion for your shell: `iep completions bash > ~/.local/share/bash-completion/completions/iep`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `iep man > ~/.local/share/man/man1/iep.1`, then `man iep`.
    Man,
}

/// `iep pack …`
#[derive(Debug, Args)]
pub struct PackArgs {
    #[command(subcommand)]
    pub action: PackAction,
}

/// What to do with packs.
#[derive(Debug, Subcommand)]
pub enum PackAction {
    /// Start a pack: pack.toml, an example letter that reuses iep's frame, and a README.
    New {
        /// The pack's name (lower case, digits, `-`); also the new folder's name.
        name: String,
    },
    /// Check a pack before sharing it: every file, template, question and fact, with file,
    /// line and column. Exits 1 when anything is wrong.
    Check {
        /// The pack's folder.
        dir: PathBuf,
    },
    /// Install a pack from a folder, a .tar.gz or a .zip. It is checked first; a newer version
    /// replaces the installed one, and the same or an older version changes nothing unless
    /// --force is given.
    Install {
        /// The pack: a folder, FILE.tar.gz or FILE.zip.
        source: PathBuf,
        /// Install even if the same or a newer version of the pack is installed.
        #[arg(long)]
        force: bool,
    },
    /// List the installed packs.
    List,
    /// Remove an installed pack.
    Remove {
        /// The pack's name (see `iep pack list`).
        name: String,
    },
}

/// `iep check FILE`
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  iep check plan.txt\n  pdftotext plan.pdf - | iep check -\n  iep write vague-wording --from-check plan.txt"
)]
pub struct CheckArgs {
    /// The plan as a text file, or `-` to read standard input. For a PDF, save it as text first
    /// (for example `pdftotext plan.pdf plan.txt`, or copy and paste into a text file).
    pub file: PathBuf,

    /// Print the findings as JSON, for scripts.
    #[arg(long)]
    pub json: bool,
}

/// `iep send [RECORD]`
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  iep send 2026-11-23-implementation   (any unique part of the id)\n  iep send 2026-11-23-implementation --dry-run\n  iep send --queued"
)]
pub struct SendArgs {
    /// The letter to send: its record id from `iep log`, or enough of it to be unique.
    #[arg(required_unless_present = "queued")]
    pub record: Option<String>,

    /// Send every letter in the outbox (the ones a failed attempt left waiting).
    #[arg(long, conflicts_with = "record")]
    pub queued: bool,

    /// Print the exact message that would be sent, and send nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Send without asking first (for scripts).
    #[arg(long)]
    pub yes: bool,

    /// Send a letter that was already sent, again.
    #[arg(long)]
    pub again: bool,
}

/// `iep edit RECORD`
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  iep edit 2026-11-23-implementation\n  EDITOR=nano iep edit 2026-11-23-implementation"
)]
pub struct EditArgs {
    /// The letter: its record id from `iep log`, or enough of it to be unique.
    pub record: String,
}

/// `iep sent RECORD`
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  iep sent 2026-11-23-implementation\n  iep sent 2026-11-23-implementation --on 2026-11-25 --how \"handed to the principal\""
)]
pub struct SentArgs {
    /// The letter: its record id from `iep log`, or enough of it to be unique.
    pub record: String,

    /// The day you sent it (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,

    /// How you sent it, in a few words. Default: "outside iep".
    #[arg(long, value_name = "TEXT")]
    pub how: Option<String>,
}

/// `iep outbox [drop RECORD]`
#[derive(Debug, Args)]
pub struct OutboxArgs {
    #[command(subcommand)]
    pub action: Option<OutboxAction>,
}

/// What to do with the outbox.
#[derive(Debug, Subcommand)]
pub enum OutboxAction {
    /// Take a letter out of the outbox without sending it. Its record is kept, with "dropped"
    /// in its history.
    Drop {
        /// The letter: its record id from `iep outbox`, or enough of it to be unique.
        record: String,
    },
}

/// Paper sizes for printing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PaperArg {
    /// ISO A4 (210 × 297 mm).
    A4,
    /// US Letter (8.5 × 11 inches).
    Letter,
}

impl From<PaperArg> for crate::jurisdiction::Paper {
    fn from(p: PaperArg) -> Self {
        match p {
            PaperArg::A4 => crate::jurisdiction::Paper::A4,
            PaperArg::Letter => crate::jurisdiction::Paper::Letter,
        }
    }
}

/// `iep print RECORD`
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  iep print 2026-11-23-implementation   (any unique part of the id)\n  iep print 2026-11-23-implementation --paper a4\n  iep print 2026-11-23-implementation -o - | lp"
)]
pub struct PrintArgs {
    /// The letter: its record id from `iep log`, or enough of it to be unique.
    pub record: String,

    /// The paper: a4 or letter. Default: the jurisdiction's (Letter in Canada, A4 elsewhere).
    #[arg(long, value_name = "SIZE")]
    pub paper: Option<PaperArg>,

    /// Save the PDF here instead of letter.pdf in the record; `-` prints it to standard output.
    /// Never a case folder's own files; an existing file only with --force.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Let --output replace an existing file.
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// `iep bundle`
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  iep bundle\n  iep bundle --since 2026-09-01 -o for-the-ombudsman.pdf\n  iep bundle --letter implementation-concern --letter escalation"
)]
pub struct BundleArgs {
    /// Only what is dated on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Only what is dated on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// Only this kind of letter, for example implementation-concern (and the replies to it;
    /// observations are then left out). May be repeated.
    #[arg(long, value_name = "ID")]
    pub letter: Vec<String>,

    /// Where to save the PDF. Default: bundle-YYYY-MM-DD.pdf (today) in the case folder (a new name if
    /// that is taken); `-` prints it. Never a case folder's own files; an existing file only
    /// with --force.
    #[arg(long, short, value_name = "FILE.pdf")]
    pub output: Option<PathBuf>,

    /// Let --output replace an existing file.
    #[arg(long, requires = "output")]
    pub force: bool,

    /// The paper: a4 or letter. Default: the jurisdiction's (Letter in Canada, A4 elsewhere).
    #[arg(long, value_name = "SIZE")]
    pub paper: Option<PaperArg>,
}

/// `iep config smtp`
#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub action: ConfigAction,
}

/// Which settings.
#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Set up the email account letters are sent from; with --test, check that it works.
    Smtp {
        /// Connect and sign in, send nothing.
        #[arg(long)]
        test: bool,

        /// Give one setting, as key=value (address, name, host, security, port, username,
        /// auth, password_command, reply_to, bcc_self, timeout, ca_file). Repeat for more.
        #[arg(long = "set", short = 's', value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
}

/// Answers for a form, as flags.
#[derive(Debug, Args, Clone, Default)]
pub struct FormArgs {
    /// Give one answer, as key=value. Repeat for more.
    #[arg(long = "set", short = 's', value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// Someone you write to, as ROLE=NAME, with their email in angle brackets if you have it:
    /// `principal=Ms. Amina Patel <a.patel@school.example.org>`. Replaces anyone with that role.
    #[arg(long, value_name = "ROLE=NAME")]
    pub contact: Vec<String>,
}

/// `iep init [DIR]`
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  iep init sam-iep\n  cd sam-iep\n  iep write implementation-concern"
)]
pub struct InitArgs {
    /// The folder to make the case in (created if missing). Default: this folder.
    pub dir: Option<PathBuf>,

    /// Your jurisdiction: ontario, british-columbia, quebec, new-zealand or generic.
    #[arg(long, short, value_name = "ID")]
    pub jurisdiction: Option<String>,

    #[command(flatten)]
    pub form: FormArgs,
}

/// `iep case show|edit`
#[derive(Debug, Args)]
pub struct CaseArgs {
    #[command(subcommand)]
    pub action: CaseAction,
}

/// What to do with the case.
#[derive(Debug, Subcommand)]
pub enum CaseAction {
    /// Show the case: child, school, jurisdiction, contacts, and how many letters it holds.
    Show,
    /// Change the case: pick an answer to change, or give new ones with --set.
    Edit {
        /// Change the jurisdiction.
        #[arg(long, short, value_name = "ID")]
        jurisdiction: Option<String>,

        #[command(flatten)]
        form: FormArgs,
    },
}

/// Formats for `iep log --export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// A Markdown chronology to print or attach.
    Md,
    /// A spreadsheet (comma-separated values).
    Csv,
}

/// `iep log [RECORD]`
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  iep log\n  iep log 2026-11-23-implementation\n  iep log --export md"
)]
pub struct LogArgs {
    /// Show this one record in full: the letter's questions, its history, the reply.
    pub record: Option<String>,

    /// Only letters dated on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Only letters dated on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// Only this kind of letter, for example implementation-concern. May be repeated.
    #[arg(long, value_name = "ID")]
    pub letter: Vec<String>,

    /// Print the records as JSON, for scripts.
    #[arg(long, conflicts_with = "export")]
    pub json: bool,

    /// Write a dated chronology of letters, replies and observations to attach to a complaint.
    #[arg(long, value_name = "FORMAT")]
    pub export: Option<ExportFormat>,

    /// Where to write the export. Default: chronology.md or chronology.csv in the case folder
    /// (replaced by each export); `-` prints it. Never a case folder's own files; an existing
    /// file only with --force.
    #[arg(long, short, value_name = "PATH", requires = "export")]
    pub output: Option<PathBuf>,

    /// Let --output replace an existing file.
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// `iep due`
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  iep due\n  iep due --on 2026-12-15")]
pub struct DueArgs {
    /// Count as if today were this day (YYYY-MM-DD): what will be overdue by then?
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,

    /// Print as JSON, for scripts.
    #[arg(long)]
    pub json: bool,
}

/// `iep observe`
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  iep observe\n  iep observe --support \"Access to a scribe\" --what \"no scribe for the unit test\""
)]
pub struct ObserveArgs {
    /// Which support was not given, in the plan's words.
    #[arg(long, value_name = "TEXT")]
    pub support: Option<String>,

    /// The class or place.
    #[arg(long, value_name = "TEXT")]
    pub setting: Option<String>,

    /// What happened instead.
    #[arg(long, value_name = "TEXT")]
    pub what: Option<String>,

    /// Who was there, or who told you.
    #[arg(long, value_name = "TEXT")]
    pub present: Option<String>,
}

/// `iep reply RECORD`
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  iep reply 2026-11-23-implementation\n  iep reply 2026-11-23-implementation --date 2026-12-01 --answered 1,3"
)]
pub struct ReplyArgs {
    /// The letter replied to: its record id from `iep log`, or enough of it to be unique. At a
    /// terminal, left out: pick it from the letters waiting for a reply.
    pub record: Option<String>,

    /// Who replied.
    #[arg(long, value_name = "NAME")]
    pub from: Option<String>,

    /// What the reply said.
    #[arg(long, value_name = "TEXT")]
    pub summary: Option<String>,

    /// The numbers of the letter's questions the reply answered, such as 1,3 (see `iep log
    /// RECORD`); `all` or `none`.
    #[arg(long, value_name = "LIST")]
    pub answered: Option<String>,
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
        /// Show the questions in this jurisdiction's words (default: the case's, else generic, or the first
        /// jurisdiction a letter like iprc-request is for).
        #[arg(long, short, value_name = "ID")]
        jurisdiction: Option<String>,
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
#[derive(Debug, Clone, Default, Args)]
#[command(
    after_help = "Examples:\n  iep write implementation-concern\n  iep write implementation-concern --pdf\n  iep write escalation --follow-up 2026-11-23-implementation --set rung=superintendent\n  iep write progress-evidence -j new-zealand --answers answers.toml --output -"
)]
pub struct WriteArgs {
    /// The letter to write (see `iep letters`). At a terminal, left out: pick it from a list.
    pub letter: Option<String>,

    /// Take answers from this TOML file (for example one iep saved beside an earlier letter).
    #[arg(long, short, value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Give one answer, as key=value. Repeat for more; repeating a list's key adds to it.
    #[arg(long = "set", short = 's', value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// Your jurisdiction: ontario, british-columbia, quebec, new-zealand or generic.
    #[arg(long, short, value_name = "ID")]
    pub jurisdiction: Option<String>,

    /// Where to save the letter; `-` prints it instead. Default: a dated file in this folder, or
    /// in a case folder, a new record (and then this is an extra copy). Never a case folder's
    /// own files; an existing file only with --force.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Let --output replace an existing file (and its .answers.toml beside it).
    #[arg(long, requires = "output")]
    pub force: bool,

    /// Follow up an earlier letter (its record id, or enough of it): its facts, date, recipient
    /// and reply, or the lack of one, are filled in.
    #[arg(long, value_name = "RECORD")]
    pub follow_up: Option<String>,

    /// Fill the letter's list of vague entries from `iep check` on this plan (a text file).
    /// At a terminal you pick which to raise.
    #[arg(long, value_name = "FILE")]
    pub from_check: Option<PathBuf>,

    /// Attach a file to the email (for example a report as a PDF); it is listed under
    /// "Enclosures" in the letter. May be given more than once.
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,

    /// Also make the letter as a PDF to print and sign: beside the letter file, or in a case,
    /// letter.pdf in its record. (`--output letter.pdf` saves the PDF alone.)
    #[arg(long)]
    pub pdf: bool,

    /// The PDF's paper: a4 or letter. Default: the jurisdiction's (Letter in Canada, A4
    /// elsewhere).
    #[arg(long, value_name = "SIZE")]
    pub paper: Option<PaperArg>,
}

/// The command line with its help in `lang`: English is the derived one, unchanged; French puts
/// [`crate::lang::help::TEXTS`] over the about texts, examples and arguments' help of `iep` and
/// the main commands, and French value names and headings.
pub fn command_in(lang: crate::lang::Lang) -> clap::Command {
    let command = <Cli as clap::CommandFactory>::command();
    if lang == crate::lang::Lang::En {
        return command;
    }
    let mut command = localized(command, "");
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        command = command.mut_subcommand(&name, |s| localized(s, &name));
    }
    command
}

/// One command's texts in French, by `name` in [`crate::lang::help::TEXTS`].
fn localized(mut command: clap::Command, name: &str) -> clap::Command {
    use crate::lang::help::{TEXTS, VALUE_NAMES};
    let mine = || TEXTS.iter().filter(|(c, ..)| *c == name);
    if mine().any(|(_, what, _)| *what == "about") && !mine().any(|(_, w, _)| *w == "long-about") {
        command = command.long_about(None);
    }
    for (_, what, text) in mine() {
        command = match *what {
            "about" => command.about(*text),
            "long-about" => command.long_about(*text),
            "after-help" => command.after_help(*text),
            id => command.mut_arg(id, |a| a.help(*text).long_help(None)),
        };
    }
    command.mut_args(|a| {
        let a = match a.get_help_heading() {
            Some("Global options") => a.help_heading("Options globales"),
            _ => a,
        };
        let french = |n: &str| {
            VALUE_NAMES
                .iter()
                .find(|(en, _)| *en == n)
                .map(|(_, fr)| clap::builder::Str::from(*fr))
        };
        let names: Vec<clap::builder::Str> = match a.get_value_names() {
            Some(names) => names
                .iter()
                .map(|n| french(n.as_str()).unwrap_or_else(|| n.clone()))
                .collect(),
            // A positional argument is named by its id: `[LETTER]`.
            None if a.is_positional() => french(&a.get_id().as_str().to_uppercase())
                .into_iter()
                .collect(),
            None => Vec::new(),
        };
        if names.is_empty() {
            a
        } else {
            a.value_names(names)
        }
    })
}

/// A help page clap rendered, with clap's own words (headings, the help flag's text, the
/// usage's placeholders) in `lang`.
pub fn help_text_in(text: &str, lang: crate::lang::Lang) -> String {
    let mut out = text.to_owned();
    if lang == crate::lang::Lang::En {
        return out;
    }
    for (en, fr) in crate::lang::help::CLAP_WORDS {
        out = out.replace(en, fr);
    }
    out
}

/// `iep serve`
#[derive(Debug, Clone, Default, Args)]
#[command(
    after_help = "The page is served to this computer only (127.0.0.1), and only to the browser that opened the address iep prints: it holds your child's private records. Stop it with Ctrl-C.\n\nExamples:\n  iep serve                 in a case folder: opens the page in your browser\n  iep serve --case sam-iep\n  iep serve --no-open --port 8080"
)]
pub struct ServeArgs {
    /// The port on this computer to serve the page at. Default: a free one.
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,

    /// Do not open the page in a browser; only print its address.
    #[arg(long)]
    pub no_open: bool,
}
