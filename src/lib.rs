//! `iep`: letters and emails for a child's Individual Education Plan.
//!
//! This comment is the architecture document. Keep it true when the code changes.
//!
//! # Data flows one way
//!
//! ```text
//! letters/ + jurisdictions/ (embedded)  + --templates DIR layers
//!        │
//!   catalog ── Letter (questions, merged with letters/common.toml), Jurisdiction (sourced facts)
//!        │
//!   render::Renderer ── compiles only this letter's templates and its questions' small templates
//!        │
//!   interview ── the engine: Screen out, Given answer in (checked), back, review; no I/O
//!        │        driven by interview/terminal.rs through a Prompter (Terminal | Scripted),
//!        │        by presets (answers file, --set, the case), or by any other front end
//!   render ── Draft { subject, to, cc, reply_by, body }   (strict: no undefined names, no placeholders)
//!        │
//!   cmd::write ── outside a case: the letter file and its answers file, atomic and private
//!        │        inside a case: a new record (case::record), made whole by one rename
//!        │
//!   case folder ── iep-case.toml (profile, people)  records/<id>/  observations/  .iep.lock
//!        │            ▲ answers, recipient by role, offers ──┘ (back into the next interview)
//!   cmd::log / due / reply / observe ── read records (log and due from the stamp-checked index)
//!   cmd::send ── letter.eml → a deliver::Mailer (lettre over rustls) → history: sending, then
//!                sent | failed | refused | unconfirmed   (cmd::edit changes an unsent letter)
//!   cmd::print / bundle, write --pdf ── a letter's text, or the case's records, chronology and
//!                                       attachments → print (layout data + krilla) → a PDF
//!   cmd::serve → serve ── the same case and interview as HTML forms on 127.0.0.1 (tiny_http):
//!                          the engine per request from drafts/, records by cmd::write's code,
//!                          reply/observe/send/print/bundle by those commands' own code
//! ```
//!
//! # Layers, lowest first
//!
//! A module uses only modules in its own layer or below; nothing reaches up, and there is no
//! cycle.
//!
//! 1. Foundations, knowing nothing of letters: [`lang`], [`names`], [`suggest`], [`refused`],
//!    [`dirs`], [`atomic`], [`dates`], [`people`], [`readability`].
//! 2. Data: [`answers`] (typed answers and the answers file), [`jurisdiction`] (the sourced
//!    schema), [`calendar`] (holidays and counting), [`draft`], [`config`] (the email account,
//!    read by serde), [`settings`] (the user's `settings.toml`: the language).
//! 3. Definitions: [`catalog`] (layers, letters, questions), [`check`] (the wording checker),
//!    [`render`] (templates to a draft).
//! 4. Behaviour: [`interview`] (the engine and its terminal driver), [`prompt`], [`case`] (the
//!    folder, records, observations), [`deliver`] (the `.eml` and the [`deliver::Mailer`]),
//!    [`print`](mod@print) (PDF letters and the evidence bundle), [`pack`] and [`lint`].
//! 5. Commands: [`cli`] (the clap types) and [`cmd`] (one file per command, each
//!    `execute(args, &mut Ctx) -> Result<Exit>`); [`serve`], the page `iep serve` shows, a
//!    front end over the same commands.
//! 6. [`main`] and [`run`]: the only place that reaches for the real terminal, clock,
//!    environment, working folder and network, to build the [`cmd::Ctx`].
//!
//! Nothing downstream reaches back: the catalog knows nothing of terminals, rendering knows
//! nothing of files, and only the interview decides what is asked and in what order. The case
//! feeds the interview only through [`interview::Interview::preset_known`] (answers it holds),
//! [`interview::Known`] (people by role, observations and earlier letters to offer) and
//! [`render::Earlier`] (the letter a follow-up follows).
//!
//! # Modules, and where a change belongs
//!
//! - [`cli`]: clap types; the doc comments are `--help`. `--no-input`, `--case`, `--date`,
//!   `--lang` and `--templates` are global, given once. In French, [`cli::command_in`] puts
//!   the words of [`lang::help`] over `iep --help` and the main commands' help, and
//!   [`cli::help_text_in`] clap's own headings; since clap prints help before [`run`], [`main`]
//!   weighs the language for it the same way (flag, case, settings, locale) when help is asked.
//! - [`lang`]: the language (English or French) as data, never a global: [`lang::choose`]
//!   weighs `--lang` (or a letter's French id, `demande-pi`), the case's `lang`, the user's
//!   `settings.toml`, then `LC_ALL`/`LC_MESSAGES`/`LANG`, then English, once in [`run`]; the
//!   result is [`cmd::Ctx::lang`], given to the catalog ([`catalog::Catalog::letter_in`],
//!   [`catalog::Catalog::jurisdiction_in`]), the prompters and the commands. A letter knows its
//!   language ([`catalog::Letter::lang`]), so the engine's checks, the review and the terminal
//!   driver speak it, and a page in the browser can ask for a letter in either language. The
//!   program's own words are one table per language ([`lang::Words`], a group per command:
//!   `init`, `due`, `log`, `reply`, `send`…); commands fill them in, and what scripts read
//!   (`--json`, CSV, record files, the steps' `why` in `iep due --json`) stays English. French
//!   text lives in
//!   `letters/common.fr.toml`, `letters/<id>/letter.fr.toml` (words only, by question key),
//!   `body.fr.txt.tera` / `subject.fr.txt.tera` / `_layout.fr.txt.tera`, a whole
//!   `jurisdictions/<id>.fr.toml`, `letters/checks.fr.toml`, and the forms' words
//!   (`letters/case.fr.toml`, `observation.fr.toml`, `reply.fr.toml`, `smtp.fr.toml`, read by
//!   [`catalog::Catalog::form_in`]; letters/README.md). A parent who picks French at `iep
//!   init`'s first question reads the rest in French ([`prompt::Prompter::set_lang`]).
//! - [`cmd`]: one file per command, each `execute(args, &mut Ctx) -> Result<Exit>`. The
//!   [`cmd::Ctx`] holds everything it touches (catalog, clock, prompter or none, output and error
//!   streams, standard input, the case, the environment lookup, the password-command runner,
//!   the mailer, the editor runner, the browser opener, the packs folder), so tests need no terminal, clock, environment or network;
//!   [`cmd::Exit`] names the exit codes. Adding a command: a `cli` type, a file in `cmd`, one
//!   line in [`run`]. `cmd/forms.rs` holds what several commands share for forms and flags.
//! - [`refused`]: [`refused::Refused`], why an answer, a definition or a hand-edited file was not
//!   taken, in a person's words; no function returns a bare `String` error.
//! - [`names`], [`dirs`], [`people`]: what a key may be called; the XDG folders for settings,
//!   packs and drafts; the one [`people::Person`] (addressee, copies, record, email) and
//!   [`people::Contact`] (the case's people by role).
//! - [`catalog`]: where definitions come from. [`catalog::Layer`] is the built-in tree or a
//!   folder; a file in a higher layer replaces the same path below. `letter.toml` and
//!   `common.toml` schemas are in [`catalog::letter`]; questions and answer checks in
//!   [`catalog::question`].
//! - [`jurisdiction`]: the jurisdiction schema: terms, roles, reply window and its clock, law,
//!   timelines, the escalation ladder, each fact with a source. A `law` entry's text names its
//!   source (`cite`), and letters state rules only through it; a rung says whether a letter to it
//!   is a request, a formal complaint or an appeal, and whether it asks for a reply by a date.
//!   Quebec's two kinds of school body are `board_kinds`:
//!   [`jurisdiction::Jurisdiction::for_board_kind`] writes every text with the child's one.
//! - [`dates`]: reading dates as parents type them (in French too: "le 3 nov. 2026",
//!   "3/11/2026" day first), writing them in the local style; the clocks.
//! - [`calendar`]: which days a reply window counts: each jurisdiction's public and school
//!   holidays by rule (`jurisdictions/holidays/<id>.toml`, each with its source) and the school
//!   breaks a family records in its case (`closed_days`); a count carries what it skipped, for
//!   the sentence after `iep write`.
//! - [`answers`]: typed answers and the answers file that replays a letter.
//! - [`interview`]: order, conditions, validation, review. The only place that sequences
//!   questions. Its engine has no I/O: [`interview::Interview::next_question`] gives a
//!   [`interview::Screen`] (plain, serialisable data: the question, its kind, help, example,
//!   choices, current answer), [`interview::Interview::submit`] checks a [`interview::Given`]
//!   answer or says why not ([`interview::Invalid`]), [`interview::Interview::back`] goes back
//!   one, [`interview::Interview::review`] lists the answers and
//!   [`interview::Interview::draft`] renders the letter. The terminal driver
//!   (`interview/terminal.rs`) is one front end over it; [`serve`]'s page is the other,
//!   building it again for each request and going on from the draft
//!   ([`interview::Interview::resume`]).
//! - [`prompt`]: the [`prompt::Prompter`] trait; the terminal one (dialoguer, on stderr), a
//!   plain one for `TERM=dumb`, and a scripted one for tests. Every prompt may allow going
//!   back ([`prompt::Prompt::back`]: `<`, or Esc at a list, gives [`prompt::GoBack`]) and
//!   filtering a long list by typing. Nothing the terminal wraps breaks a word: the terminal
//!   prompter wraps questions, cuts list items to the width and shows a typed answer again
//!   wrapped; [`prompt::Wrapping`] wraps every line a command writes to standard error at a
//!   terminal.
//! - [`render`]: owns tera; `render/loader.rs` collects templates across layers,
//!   `render/inputs.rs` is everything a letter is rendered from and its context, `mod.rs` the
//!   strictness checks and filters.
//!   Templates from a folder (a pack) render in a child process, iep itself run as
//!   [`render::WORKER`] under address-space and CPU limits and killed after 5 seconds; built-in
//!   letters render in-process.
//! - [`draft`]: a rendered letter; [`draft::Draft::to_text`] is the letter as printed (a
//!   record's `letter.txt`), [`draft::Draft::to_file`] adds the email's subject and addresses
//!   after a line saying not to print them (a letter saved outside a case).
//! - [`atomic`]: temp file, fsync, rename; files 0600.
//! - [`readability`]: the Flesch-Kincaid grade used to keep letters plain (the tests also apply
//!   the standard measure, with hyphenation-pattern syllables, to every letter).
//! - [`deliver`]: [`deliver::eml`] builds the RFC 5322 message with lettre (Message-ID kept in
//!   the record; In-Reply-To, References and the thread's "Re:" subject for follow-ups; every
//!   header ASCII, domains in IDNA form; attachments base64) and writes `letter.eml` with
//!   `X-Unsent: 1` on top for the parent's own mail program; [`deliver::stored`] works on a
//!   recorded `.eml`'s bytes without rendering it again (the letter text in it, header lines
//!   rewritten: `Date:` at sending, `X-Unsent` taken out; the text part replaced after
//!   `iep edit`); [`deliver::smtp`] sends those bytes through a [`deliver::Mailer`]
//!   ([`deliver::smtp::Lettre`], which drives lettre's `SmtpConnection` step by step so that a
//!   failure after the final "." is told apart; [`deliver::Recording`] in tests), whose
//!   [`deliver::SendError`] says what happened in a plain sentence and its [`deliver::Failure`]
//!   kind: temporary, permanent (the letter was refused), setup (the account), or unconfirmed
//!   (the whole letter was written, no answer came). [`config`] is the account
//!   (`~/.config/iep/smtp.toml`, read by serde, asked as a form, never a password; `auth = none`
//!   only over TLS or to this computer); the password command runs through the runner in
//!   [`cmd::Env`], also once when `iep config smtp` saves a new one
//!   ([`deliver::smtp::check_before_saving`]).
//!   `cmd::send` takes the record's send lock (`records/<id>/.send.lock`), reads the history
//!   again under it, writes "sending" before connecting, then "sent" (with the server's reply),
//!   "failed" (temporary or setup: `--queued` tries again), "refused" (permanent: waits for the
//!   parent) or "unconfirmed" (may have arrived: sent again only with `--again`). A "sending" left
//!   last by a run that was stopped becomes "unconfirmed" at the next send. `iep outbox` lists
//!   what did not end in "sent"; `iep outbox drop` and `iep sent` (sent outside iep; the reply
//!   clock starts that day) close it. `cmd::edit` opens an unsent letter in the parent's editor
//!   (the runner in [`cmd::Env`]) and rebuilds its `letter.eml` around the new text; `send`
//!   refuses a letter whose `letter.txt` no longer matches its email.
//! - [`print`](mod@print): PDFs. [`print::Layout`] is data (`letters/print/layout.toml`, read
//!   through the catalog's layers, so a pack's own file replaces it: margins, sizes, spacing, the
//!   letterhead and running lines); [`print::flow`] is the typesetter (blocks down pages, every
//!   line in the structure tree, then krilla writes the file: Noto Sans embedded and subset,
//!   tagged, with an outline, checked against PDF/UA-1 for a letter and PDF/A-3a for the bundle);
//!   [`print::letter`] turns a letter's text into blocks (paragraphs, lists, the "Re:" line, room
//!   to sign above the typed name); [`print::bundle`] lays out the cover, the chronology, each
//!   letter, the replies, observations and attached files (embedded, with their SHA-256). It reads
//!   neither the case nor the clock: `cmd::print`, `cmd::bundle` and `cmd::write` gather the facts.
//!   The fonts (in `assets/fonts/`, with their licence) are compiled in and touched only when
//!   printing.
//! - [`serve`]: `iep serve`'s page, a front end only (no question, rule or letter text in
//!   it): `http.rs` (requests as plain data, size limits), `guard.rs` (loopback `Host`, the
//!   one-time key swapped for an HttpOnly SameSite=Strict cookie, form tokens, the security
//!   headers), `pages.rs` and `templates/` (tera, autoescaped, embedded; one stylesheet, no
//!   script), `control.rs` (a [`interview::Screen`] as form controls and the posted form as a
//!   [`interview::Given`]), `home.rs`, `letter.rs`, `record.rs`. It keeps nothing between
//!   requests but its secrets: the interview is built again from the case and
//!   `drafts/<letter>.answers.toml`; requests are answered one at a time; writes take the
//!   same locks as the commands. Only `iep serve` compiles its templates.
//! - [`pack`] and [`lint`]: template packs (a folder like `letters/` + `jurisdictions/` with a
//!   `pack.toml`), checked by [`lint`] before install, unpacked safely, installed under the
//!   user's data folder. [`catalog::Catalog::resolve`] reads a pack's letter with the pack as a
//!   layer over iep's own, so `iep/<path>` and `super()` reuse built-in templates; a pack never
//!   replaces a built-in letter (`pack/letter` reaches its own), and a folder layer cannot read
//!   outside itself. A pack is untrusted input: only ordinary files, sizes counted as written,
//!   installed privately under `packs/.lock`, replaced by one atomic exchange so that a pack is
//!   always installed whole, old or new (the steps and their fail points are in [`pack`]).
//! - [`check`]: the wording checker: phrase rules from `letters/checks.toml` and
//!   `letters/checks.fr.toml` in one Aho-Corasick pass, filtered by sentence; goals ("Goal 1:",
//!   "Objectif 1 :") checked against SMART; the review date; findings in the plan's language.
//! - [`case`]: the case folder: discovery (`--case`, `IEP_CASE`, then upward like git), the lock,
//!   the typed [`case::Profile`] (jurisdiction, child's name, people by role),
//!   [`case::record`] (the schema in `mod.rs`; `store.rs` reads, creates and appends;
//!   `index.rs` is the summaries cache), [`case::context`] (what a case brings to a letter being
//!   written: its answers, people by role, observations and earlier letters to offer, breaks,
//!   the letter a follow-up follows, and the record the letter becomes),
//!   [`case::observation`] and [`case::chronology`] (letters, replies, missed reply dates and
//!   observations in order: `iep log --export` writes it, `iep bundle` prints it). The profile, an observation and a reply are *forms*: questions in
//!   `letters/case.toml`, `observation.toml`, `reply.toml`, asked by the same interview
//!   ([`cmd::fill_form`]) and saved in the answers-file format, so every check is shared.
//!
//! # Decisions
//!
//! - Every question is in the template context, unanswered ones as `""`, `false` or `[]`, so that
//!   tera 2's strict lookups catch a misspelt name instead of leaving a gap in a letter.
//! - Dates are ISO 8601 in files and in the jurisdiction's style in letters; templates only ever
//!   see the letter style.
//! - Start-up does only what the command needs: `iep write` parses one letter, the shared
//!   questions and one jurisdiction, and compiles only that letter's templates.
//! - Exit codes ([`cmd::Exit`]): 0 done; 1 the job could not be done (a message says why and
//!   what to do); 2 the command line was wrong (clap's own code). `iep check` keeps grep's 0 / 1
//!   found / 2 could not check, deciding so itself.
//! - `--json` output is a `Serialize` struct with a `version` field, stable for scripts.
//! - A reply-by date never lands on a weekend or a public holiday: counts skip each
//!   jurisdiction's holidays (by rule, from sourced data; unconfirmed ones too, since a day too
//!   many is safe), school-day counts also skip the school breaks a case records, and what was
//!   skipped or is not known is said after `iep write` and kept in the record.
//! - Records are never rewritten: a record is made in `records/.new-*` and renamed into place
//!   whole; afterwards only `record.toml` changes, by appending a `[[history]]` entry (new file,
//!   fsync, rename) after checking that the file still parses. The one exception is `iep edit`
//!   of a letter not yet sent, which replaces `letter.txt` and `letter.eml` whole (atomically)
//!   and appends "edited". Every write of a record, an
//!   observation or the profile holds `.iep.lock` (`File::lock`, released by the kernel if the
//!   process dies); reads take no lock, because every file they can see is complete. The one
//!   exception is the index below: a cache, written whole by whichever run rebuilt it last.
//! - An interview's answers are saved after every answer ([`interview::Interview::autosave`],
//!   one keeper in `cmd/forms.rs`): in a case to `drafts/<letter>.answers.toml`, outside one
//!   (and for `iep init`) to the user's state folder; they go once the letter is recorded, the
//!   case made, or the parent quits and confirms. A run cut short leaves them for the next
//!   `iep write` of that letter (or `iep init` of that folder), and Ctrl-C says where they are.
//! - What comes after a letter is data: `next` (no reply by the date) and `next-after-reply`
//!   (a reply left questions unanswered, which keeps the letter open) in `letter.toml`; `iep
//!   due` and `iep reply` suggest them, never a letter that does not exist in the case's
//!   jurisdiction.
//! - Every date that enters has a kind ([`dates::DateKind`]): a letter's, reply's or
//!   observation's date, and the days `--since`, `--until`, `--on` and `IEP_TODAY` name, are
//!   2000 to 2100; a birth date 1900 to 2100. Years are plain digits, never truncated; a stored
//!   date out of range makes its file damaged (reported), so date arithmetic only ever sees
//!   days in range.
//! - A PDF is made whole in memory and checked by krilla (PDF/UA-1 for a letter, PDF/A-3a for
//!   the bundle) before anything is saved; a character the embedded font cannot show is refused
//!   by name, so a PDF never prints a box where a name should be. `letter.pdf` in a record is
//!   derived from its `letter.txt` and answers: `iep print` (and `iep write --pdf`) may write it
//!   again, under the case lock, the one file of a record besides `record.toml` that changes.
//! - A path the parent names for iep to write (`--output`) is checked first by
//!   [`case::check_output`]: never a case folder's own files, wherever links lead, and an
//!   existing file only with `--force`. Taking the case lock clears `.iep-*.tmp` leftovers of
//!   killed runs; opening a case warns when it is open to others or `records/` leads out of it.
//! - Whatever the input, `iep check` is linear in its length and each finding holds at most an
//!   excerpt of [`check::EXCERPT_CHARS`]; inputs are read with a size bound.
//! - `records/.index` caches each record's [`case::record::Summary`] with its file's
//!   (mtime ns, size, inode), as git's index does, so `iep log` and `iep due` open one file
//!   instead of thousands. It is only a cache: stale entries are re-read, and a missing or
//!   unreadable index is rebuilt. Commands that need whole records read the files.

pub mod answers;
pub mod atomic;
pub mod calendar;
pub mod case;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod dates;
pub mod deliver;
pub mod dirs;
pub mod draft;
pub mod interview;
pub mod jurisdiction;
pub mod lang;
pub mod lint;
pub mod names;
pub mod pack;
pub mod people;
pub mod print;
pub mod prompt;
pub mod readability;
pub mod refused;
pub mod render;
pub mod serve;
pub mod settings;
pub mod suggest;

use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser as _;

use cli::{Cli, Command};

/// Parses the command line, runs the command, prints any error with its causes, and returns the
/// exit code ([`cmd::Exit`]; 1 for an error).
pub fn main() -> ExitCode {
    // A pack's templates are rendered by iep itself in a bounded child process.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == render::WORKER)
    {
        return render::worker();
    }
    // A list hides the cursor while it is drawn; a panic must not leave it hidden either.
    let report_panic = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = console::Term::stderr().show_cursor();
        report_panic(info);
    }));
    let cli = match help_lang() {
        Some(lang) if lang != lang::Lang::En => parse_in(lang),
        _ => Cli::parse(),
    };
    match run(cli) {
        Ok(exit) => exit.code(),
        // Ctrl-C that reached a read as an interruption rather than through the handler.
        Err(err) if interrupted(&err) => stopped(),
        // Output piped into a program that stopped reading (`iep man | head`): nothing to say.
        Err(err)
            if err.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(err) => {
            report(&err, &mut messages());
            ExitCode::FAILURE
        }
    }
}

/// The language of `--help`, when it is asked for (`-h`, `--help`, `help`, or nothing at all):
/// clap prints help before [`run`], so the language is weighed here the same way, from the
/// command line, the case, the settings and the locale. `None` when no help is asked for.
fn help_lang() -> Option<lang::Lang> {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if !args.is_empty()
        && !args
            .iter()
            .any(|a| a == "-h" || a == "--help" || a == "help")
    {
        return None;
    }
    let value = |flag: &str| {
        args.iter().enumerate().find_map(|(i, a)| {
            a.strip_prefix(&format!("{flag}="))
                .map(str::to_owned)
                .or_else(|| (a == flag).then(|| args.get(i + 1).cloned()).flatten())
        })
    };
    let env = env();
    let flag = value("--lang").and_then(|l| lang::Lang::parse(&l).ok());
    let case_dir = value("--case");
    let env_case = (env.var)("IEP_CASE").filter(|v| !v.is_empty());
    let named = match (&case_dir, &env_case) {
        (Some(dir), _) => Some((std::path::Path::new(dir), case::Named::Flag)),
        (None, Some(dir)) => Some((std::path::Path::new(dir), case::Named::Env)),
        (None, None) => None,
    };
    let case = std::env::current_dir()
        .ok()
        .and_then(|cwd| case::Case::discover(named, &cwd).ok().flatten());
    Some(
        lang::choose(
            flag,
            case_lang(case.as_ref()),
            settings_lang(&env.var),
            &env.var,
        )
        .0,
    )
}

/// Parses the command line with its help in `lang`; prints the help, translated, when it is
/// asked for.
fn parse_in(lang: lang::Lang) -> Cli {
    use clap::FromArgMatches as _;
    use clap::error::ErrorKind;
    match cli::command_in(lang).try_get_matches() {
        Ok(matches) => Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit()),
        Err(e) => {
            let text = cli::help_text_in(&e.render().to_string(), lang);
            match e.kind() {
                ErrorKind::DisplayHelp => {
                    print!("{text}");
                    std::process::exit(0)
                }
                ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    eprint!("{text}");
                    std::process::exit(2)
                }
                _ => e.exit(),
            }
        }
    }
}

/// The case's `lang`, if it has one that iep speaks.
fn case_lang(case: Option<&case::Case>) -> Option<lang::Lang> {
    case.and_then(|c| c.profile().ok())
        .and_then(|p| p.text("lang"))
        .and_then(|l| lang::Lang::parse(&l).ok())
}

/// `lang` in the user's settings.toml.
fn settings_lang(var: &cmd::Lookup) -> Option<lang::Lang> {
    settings::settings_path(var)
        .ok()
        .and_then(|p| settings::Settings::load(&p).ok())
        .and_then(|s| s.lang())
}

/// Standard error for messages: at a terminal, each line wraps between words to its width;
/// piped, lines stay as written.
fn messages() -> Box<dyn std::io::Write> {
    let term = console::Term::stderr();
    if term.is_term() {
        let width = usize::from(term.size().1).clamp(20, 100) - 1;
        Box::new(prompt::Wrapping::new(std::io::stderr(), width))
    } else {
        Box::new(std::io::stderr())
    }
}

/// Whether an error is a read interrupted by Ctrl-C: an I/O error of that kind anywhere in the
/// chain, or inside dialoguer's error (which does not give its cause to the chain).
fn interrupted(err: &anyhow::Error) -> bool {
    let kind = |e: &std::io::Error| e.kind() == std::io::ErrorKind::Interrupted;
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(kind)
            || matches!(c.downcast_ref::<dialoguer::Error>(), Some(dialoguer::Error::IO(e)) if kind(e))
    })
}

/// Ctrl-C during a question, however it arrives (the signal handler, or a read interrupted by
/// it): give the terminal back as it was (a list may have hidden the cursor), say where the
/// answers were kept, and stop with the usual code for an interrupt. Said once.
fn stopped() -> ! {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let term = console::Term::stderr();
        let _ = term.show_cursor();
        let w = &stop_lang().words().stop;
        let _ = term.write_line(&format!("\n{}", w.stopped));
        if let Some((path, again)) = KEPT_DRAFT.get()
            && path.is_file()
        {
            let _ = term.write_line(&lang::fill(
                w.kept,
                &[("path", &path.display().to_string()), ("again", again)],
            ));
        }
    });
    std::process::exit(130);
}

/// Whether Ctrl-C and errors speak French (set once the language is known).
static STOP_FRENCH: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Says Ctrl-C's message and an error's causes in `lang` from now on.
pub fn speak_on_stop(lang: lang::Lang) {
    STOP_FRENCH.store(lang == lang::Lang::Fr, std::sync::atomic::Ordering::Relaxed);
}

fn stop_lang() -> lang::Lang {
    if STOP_FRENCH.load(std::sync::atomic::Ordering::Relaxed) {
        lang::Lang::Fr
    } else {
        lang::Lang::En
    }
}

/// Where an interview's answers are being kept, for the message on Ctrl-C.
static KEPT_DRAFT: std::sync::OnceLock<(std::path::PathBuf, String)> = std::sync::OnceLock::new();

/// Notes where the answers of the interview now running are kept (`path`) and the command that
/// goes on from them (`iep write implementation-concern`), so that Ctrl-C can say both.
pub fn keep_draft_for_ctrl_c(path: std::path::PathBuf, again: String) {
    let _ = KEPT_DRAFT.set((path, again));
}

/// Prints an error and each of its causes, as every command's failure is shown.
pub fn report(err: &anyhow::Error, w: &mut dyn std::io::Write) {
    let _ = writeln!(w, "iep: {}", visible(&err.to_string()));
    let because = match stop_lang() {
        lang::Lang::En => "because:".to_owned(),
        l => format!("{}\u{a0}:", l.words().stop.because),
    };
    for cause in err.chain().skip(1) {
        let _ = writeln!(w, "  {because} {}", indent(&visible(&cause.to_string())));
    }
}

/// A message as it may be printed: a control character it quotes from the input (an ESC in a
/// typed date) is shown escaped, `\u{1b}`, instead of acting on the terminal. Line breaks stay.
fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\n' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn indent(text: &str) -> String {
    text.replace('\n', "\n  ")
}

/// Runs one parsed command against the real terminal, clock, environment, working folder and
/// network: the one place that reaches for them, building the [`cmd::Ctx`] every command gets.
pub fn run(cli: Cli) -> Result<cmd::Exit> {
    let env = env();
    let packs = pack::packs_dir(&env.var)?;
    let catalog = catalog::Catalog::new(&cli.templates)?.with_packs(pack::installed(&packs))?;
    let cwd = std::env::current_dir()?;
    let env_case = (env.var)("IEP_CASE").filter(|v| !v.is_empty());
    let named = match (&cli.case, &env_case) {
        (Some(dir), _) => Some((dir.as_path(), case::Named::Flag)),
        (None, Some(dir)) => Some((std::path::Path::new(dir), case::Named::Env)),
        (None, None) => None,
    };
    let case = match cli.command {
        // `iep init` makes a case; it does not need to find one.
        Command::Init(_)
        | Command::Jurisdictions(_)
        | Command::Completions { .. }
        | Command::Man => None,
        // `iep letters` reads a case only for its jurisdiction's words; a broken case is for
        // the commands that use it to report.
        Command::Letters(_) => case::Case::discover(named, &cwd).ok().flatten(),
        _ => case::Case::discover(named, &cwd)?,
    };
    if let Some(case) = &case {
        let mut stderr = std::io::stderr().lock();
        for warning in case.warnings() {
            let _ = writeln!(stderr, "iep: warning: {warning}");
        }
    }
    let (today, now) = clock(&env.var)?;
    // `--date` is read in the language chosen so far (the flag or the locale), so a parent
    // may type "3 novembre 2026".
    let early_lang = lang::choose(cli.lang, None, None, &env.var).0;
    // `--date` is read once, with the range of the kind of date it gives.
    let kind = match &cli.command {
        Command::Write(_) => Some(dates::DateKind::Letter),
        Command::Observe(_) => Some(dates::DateKind::Observation),
        Command::Reply(_) => Some(dates::DateKind::Reply),
        _ => None,
    };
    let date = match (&cli.date, kind) {
        (None, _) => None,
        (Some(text), Some(kind)) => Some(
            dates::parse_kind_in(text, kind, early_lang)
                .map_err(|e| anyhow::anyhow!("--date: {}", e.message(early_lang)))?,
        ),
        (Some(_), None) => anyhow::bail!(
            "--date gives the date of a letter (iep write), an observation (iep observe) or a reply (iep reply); this command does not take one"
        ),
    };
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    // `iep serve` stops on Ctrl-C by itself, after the request it is answering.
    if interactive && !matches!(cli.command, Command::Serve(_)) {
        // Ctrl-C during a question: a list may have hidden the cursor. Give the terminal back as
        // it was, say what happened, and stop with the usual code for an interrupt.
        let _ = ctrlc::set_handler(|| {
            stopped();
        });
    }
    // The language: --lang, the case's, the user's settings, the locale, English. A case or a
    // settings file that cannot be read here is left for the commands that use it to report.
    let case_lang = case_lang(case.as_ref());
    let settings_lang = settings_lang(&env.var);
    // A letter's id in another language (`iep write demande-pi`) names the letter and, unless
    // --lang says otherwise, its language.
    let mut cli = cli;
    let mut flag = cli.lang;
    if let Command::Write(args) = &mut cli.command
        && let Some(id) = &args.letter
        && catalog
            .find(&format!("letters/{id}/letter.toml"))?
            .is_none()
        && let Some((plain, alias_lang)) = catalog.alias(id)?
    {
        args.letter = Some(plain);
        flag = flag.or(Some(alias_lang));
    }
    let (lang, lang_chosen) = lang::choose(flag, case_lang, settings_lang, &env.var);
    speak_on_stop(lang);
    // A terminal that cannot move its cursor gets plain line-by-line questions.
    let dumb = (env.var)("TERM").is_none_or(|t| t == "dumb");
    let mut terminal = prompt::Terminal::new(lang);
    let mut plain = prompt::Plain::new(lang);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut stderr = messages();
    let mut stdin = std::io::stdin();
    let mut ctx = cmd::Ctx {
        catalog: &catalog,
        date,
        today,
        now,
        prompter: match (interactive && !cli.no_input, dumb) {
            (false, _) => None,
            (true, false) => Some(&mut terminal),
            (true, true) => Some(&mut plain),
        },
        out: &mut out,
        err: &mut stderr,
        cwd,
        case,
        input: &mut stdin,
        env: &env,
        packs,
        lang,
        lang_chosen,
        // `console` honours NO_COLOR and CLICOLOR_FORCE.
        colour: console::colors_enabled(),
    };
    let io = &mut ctx;
    let exit = match &cli.command {
        Command::Letters(args) => cmd::letters::execute(args, io),
        Command::Jurisdictions(args) => cmd::jurisdictions::execute(args, io),
        Command::Write(args) => cmd::write::execute(args, io),
        Command::Init(args) => cmd::init::execute(args, io),
        Command::Case(args) => cmd::case::execute(args, io),
        Command::Log(args) => cmd::log::execute(args, io),
        Command::Due(args) => cmd::due::execute(args, io),
        Command::Observe(args) => cmd::observe::execute(args, io),
        Command::Reply(args) => cmd::reply::execute(args, io),
        Command::Send(args) => cmd::send::execute(args, io),
        Command::Edit(args) => cmd::edit::execute(args, io),
        Command::Sent(args) => cmd::send::sent(args, io),
        Command::Outbox(args) => cmd::send::outbox(args, io),
        Command::Print(args) => cmd::print::execute(args, io),
        Command::Bundle(args) => cmd::bundle::execute(args, io),
        Command::Config(args) => cmd::config::execute(args, io),
        Command::Pack(args) => cmd::pack::execute(args, io),
        Command::Check(args) => cmd::check::execute(args, io),
        Command::Serve(args) => cmd::serve::execute(args, io),
        Command::Completions { shell } => {
            // Made in memory first: clap_complete panics on a failed write (a closed pipe).
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut command, "iep", &mut script);
            io.out.write_all(&script)?;
            Ok(cmd::Exit::Done)
        }
        Command::Man => {
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut io.out)?;
            Ok(cmd::Exit::Done)
        }
    }?;
    out.flush()?;
    Ok(exit)
}

/// The real environment, for settings and the password variable.
fn env() -> cmd::Env {
    cmd::Env {
        var: Box::new(|k| std::env::var(k).ok()),
        run: Box::new(deliver::smtp::run_with_sh),
        mailer: Box::new(deliver::smtp::Lettre),
        edit: Box::new(cmd::edit::run_editor),
        open: Box::new(cmd::serve::open_in_browser),
    }
}

/// Today and now. `IEP_TODAY=YYYY-MM-DD` sets the day, to see what is overdue on a given day
/// (and for tests); times in records keep the real clock's time of day.
pub(crate) fn clock(
    var: &cmd::Lookup,
) -> Result<(chrono::NaiveDate, chrono::DateTime<chrono::FixedOffset>)> {
    let now = chrono::Local::now().fixed_offset();
    match var("IEP_TODAY") {
        Some(text) if !text.is_empty() => {
            let today = dates::parse_kind(&text, dates::DateKind::Letter)
                .map_err(|e| anyhow::anyhow!("IEP_TODAY: {e}"))?;
            Ok((today, now))
        }
        _ => Ok((now.date_naive(), now)),
    }
}
