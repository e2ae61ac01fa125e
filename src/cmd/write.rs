//! `iep write ID`: the guided interview, or answers from files and flags, then a saved letter.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;

use super::{Ctx, Exit, pick_jurisdiction};
use crate::answers::{self, AnswersFile, Meta, Value};
use crate::atomic;
use crate::calendar::Calendar;
use crate::case::context::CaseInputs;
use crate::case::record::{self, Person};
use crate::case::{self};
use crate::catalog::Catalog;
use crate::cli::WriteArgs;
use crate::deliver::eml::{self, Email};
use crate::draft::Draft;
use crate::interview::{Interview, Offered, Outcome};
use crate::prompt::Prompt;
use crate::render::Renderer;

/// How the command ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// The letter was saved or printed; in a case, the record's id when it has an email
    /// version that could be sent.
    Written(Option<String>),
    /// The parent chose to quit; nothing was saved.
    Quit,
}

/// Runs `iep write`: [`Exit::NotDone`] when the parent quit without saving. At a terminal, with
/// an email account set up, a letter recorded with an email version is offered for sending at
/// once (`iep send`'s own confirmation, where Enter means no).
pub fn execute(args: &WriteArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    match write(io.catalog, args, io, None)? {
        Ended::Quit => Ok(Exit::NotDone),
        Ended::Written(Some(id))
            if io.prompter.is_some()
                && crate::config::smtp_path(&(io.env.var)).is_ok_and(|p| p.is_file()) =>
        {
            let send = crate::cli::SendArgs {
                record: Some(id),
                queued: false,
                dry_run: false,
                yes: false,
                again: false,
            };
            super::send::execute(&send, io)
        }
        Ended::Written(_) => Ok(Exit::Done),
    }
}

/// Writes the letter: the interview, then the file or the record. `carried`: the answers given
/// for another jurisdiction before the parent changed it at the review.
fn write(
    catalog: &Catalog,
    args: &WriteArgs,
    io: &mut Ctx<'_>,
    carried: Option<Vec<(String, Value)>>,
) -> Result<Ended> {
    // A pack's letter is read with the pack on top of iep's own letters.
    let wanted = match &args.letter {
        Some(id) => id.clone(),
        None => pick_letter(catalog, io)?,
    };
    let (pack_catalog, letter_id, pack) = catalog.resolve(&wanted)?;
    let catalog = &pack_catalog;
    // The language chosen on purpose (--lang, a French id, the case, the settings) is kept or
    // refused with the reason; one the locale chose gives way to English where a letter or a
    // place has no version in it, and says so.
    let mut lang = io.lang;
    let on_purpose = !matches!(
        io.lang_chosen,
        crate::lang::Chosen::Locale(_) | crate::lang::Chosen::Default
    );
    let mut letter = match catalog.letter_in(&letter_id, lang) {
        Err(e) if lang != crate::lang::Lang::En && !on_purpose => {
            writeln!(
                io.err,
                "{}",
                crate::lang::fill(lang.words().in_english, &[("reason", &format!("{e:#}"))])
            )?;
            lang = crate::lang::Lang::En;
            catalog.letter(&letter_id)?
        }
        other => other?,
    };
    // Attachments are checked before any question, not after the last.
    let attachments: Vec<PathBuf> = args.attach.iter().map(|p| io.cwd.join(p)).collect();
    let mut attached_bytes = 0;
    for path in &attachments {
        let meta = std::fs::metadata(path).with_context(|| {
            format!(
                "cannot attach {}: no such file, or it cannot be read",
                path.display()
            )
        })?;
        if !meta.is_file() {
            bail!("cannot attach {}: it is not a file", path.display());
        }
        // Its name is listed in the letter ("Enclosures") and printed on the terminal.
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.chars().any(char::is_control) {
            bail!(
                "cannot attach {}: its name has a control character (a line break, ESC…), which cannot go in a letter. Rename the file and attach it again",
                name.escape_default()
            );
        }
        attached_bytes += meta.len();
    }
    // Flags about the PDF are checked before any question, too.
    let wants_pdf = args.pdf || args.output.as_deref().is_some_and(is_pdf);
    if args.paper.is_some() && !wants_pdf {
        bail!("--paper is the paper of the PDF: add --pdf (or --output letter.pdf) to make one");
    }
    if attached_bytes > eml::LARGE_ATTACHMENTS {
        writeln!(
            io.err,
            "Note: the attachments come to {} MB. Many mail servers refuse emails over about 20 MB; a link to a shared file may be safer.",
            attached_bytes / (1024 * 1024)
        )?;
    }
    let file = args
        .answers
        .as_ref()
        .map(|p| AnswersFile::load(&io.cwd.join(p)))
        .transpose()?;
    if let Some(file) = &file
        && let Some(saved_for) = &file.meta.letter
        && saved_for != &letter.id
    {
        bail!(
            "{} holds answers for the letter `{saved_for}`, not `{}`. Run: iep write {saved_for} --answers {}",
            file.path,
            letter.id,
            file.path
        );
    }
    let sets = args
        .set
        .iter()
        .map(|s| answers::parse_set(s))
        .collect::<Result<Vec<_>>>()?;
    let date = match (
        io.date,
        file.as_ref().map(|f| f.meta.date()).transpose()?.flatten(),
    ) {
        (Some(date), _) => date,
        (None, Some(saved)) => saved,
        (None, None) => io.today,
    };
    let case = io.case.clone();
    let in_case = CaseInputs::load(case.as_ref(), &letter, args.follow_up.as_deref(), io.err)?;
    let mut introduced = carried.is_some();
    // A place picked from a list can be changed at the review.
    let mut picked = carried.is_some();
    let jurisdiction_id = match (
        &args.jurisdiction,
        file.as_ref()
            .and_then(|f| f.meta.jurisdiction.clone())
            .or_else(|| in_case.as_ref().and_then(CaseInputs::jurisdiction)),
    ) {
        (Some(j), _) => j.clone(),
        (None, Some(j)) => j,
        (None, None) => match io.prompter.as_deref_mut() {
            Some(p) => {
                introduce(io.err, &letter)?;
                introduced = true;
                picked = true;
                pick_jurisdiction(catalog, p, Some(&letter), io.env, lang)?
            }
            None => bail!(
                "which jurisdiction is the letter for? Pass --jurisdiction with one of: {}",
                catalog.jurisdiction_ids()?.join(", ")
            ),
        },
    };
    let jurisdiction = match catalog.jurisdiction_in(&jurisdiction_id, lang) {
        Err(e) if lang != crate::lang::Lang::En && !on_purpose => {
            writeln!(
                io.err,
                "{}",
                crate::lang::fill(lang.words().in_english, &[("reason", &format!("{e:#}"))])
            )?;
            lang = crate::lang::Lang::En;
            letter = catalog.letter(&letter_id)?;
            catalog.jurisdiction(&jurisdiction_id)?
        }
        other => other?,
    };
    letter.require_jurisdiction(&jurisdiction)?;
    letter.fill_choices(&jurisdiction);
    let mut renderer = Renderer::new(catalog, &letter, &jurisdiction.id)?;
    if let Some(pack) = &pack {
        // From here on the letter is known by its full name, in files and the record.
        letter.id = format!("{pack}/{}", letter.id);
        renderer.footer(crate::pack::footer(catalog, pack)?);
    }

    // Holidays always; the family's closed days where a case records them.
    let calendar = Calendar {
        holidays: catalog.holidays(&jurisdiction.id)?,
        closed: match &in_case {
            Some(c) => c.closed_days()?,
            None => Vec::new(),
        },
        in_case: in_case.is_some(),
    };
    let mut interview = Interview::new(&letter, &jurisdiction, &renderer, date);
    interview.calendar(&calendar);
    interview.attach(
        attachments
            .iter()
            .map(|p| {
                p.file_name().map_or_else(
                    || p.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                )
            })
            .collect(),
    );
    if let Some(c) = &in_case {
        c.prepare(&mut interview, &letter, &jurisdiction)?;
    }
    if let Some(plan) = &args.from_check {
        if !letter
            .questions
            .iter()
            .any(|q| q.offer == Some(crate::catalog::question::Offer::Findings))
        {
            bail!(
                "the letter `{}` does not take findings from `iep check`; `iep write vague-wording --from-check {}` does",
                letter.id,
                plan.display()
            );
        }
        interview.offer_findings(findings_from(catalog, &io.cwd.join(plan))?);
    }
    // Answers are kept as they are given, so an interview cut short (Ctrl-C, a closed window)
    // loses nothing: the next `iep write` of the same letter offers to go on from there. In a
    // case, in its drafts/ folder; outside one, in the user's state folder
    // ($XDG_STATE_HOME/iep/drafts/), private like everything iep writes.
    let draft_name = draft_name(&letter.id);
    let draft_path = match (&in_case, io.prompter.is_some(), &file) {
        (Some(c), true, None) => Some(c.case.drafts_dir().join(&draft_name)),
        (None, true, None) => crate::dirs::state_dir(&io.env.var)
            .ok()
            .map(|d| d.join("drafts").join(&draft_name)),
        _ => None,
    };
    if let Some(path) = &draft_path {
        crate::keep_draft_for_ctrl_c(
            path.clone(),
            format!(
                "iep write {}",
                args.letter.clone().unwrap_or(letter.id.clone())
            ),
        );
    }
    let mut resumed = None;
    if let (Some(path), Some(p), None) = (&draft_path, io.prompter.as_deref_mut(), &carried)
        && path.is_file()
    {
        if !introduced {
            introduce(io.err, &letter)?;
            introduced = true;
        }
        let go_on = p.confirm(
            &Prompt {
                text: lang.words().go_on.into(),
                help: Some(lang.words().go_on_help.into()),
                ..Prompt::default()
            },
            true,
        )?;
        match AnswersFile::load(path) {
            Ok(saved) if go_on => resumed = Some(saved),
            Ok(_) => {}
            Err(e) => writeln!(
                io.err,
                "iep: warning: the unfinished answers could not be read ({e:#}); starting again."
            )?,
        }
    }
    if let Some(saved) = &resumed
        && let Err(e) = interview.preset(Some(saved), &sets)
    {
        writeln!(
            io.err,
            "iep: warning: the unfinished answers do not fit this letter any more ({e:#}); starting again."
        )?;
        resumed = None;
    }
    if resumed.is_none() {
        interview.preset(file.as_ref(), &sets)?;
    }
    if let Some(answers) = &carried {
        let again = interview.carry_over(answers);
        if !again.is_empty() {
            writeln!(
                io.err,
                "{}",
                crate::lang::fill(
                    letter.lang.words().asked_again,
                    &[
                        ("place", &jurisdiction.name),
                        ("questions", &again.join("; "))
                    ]
                )
            )?;
        }
    }
    if picked {
        interview.place_changeable();
    }
    if let Some(path) = draft_path.clone() {
        let meta = Meta {
            letter: Some(letter.id.clone()),
            jurisdiction: Some(jurisdiction.id.clone()),
            date: Some(answers::toml_date(date)?),
        };
        interview.autosave(super::forms::keeper(path, letter.id.clone(), meta));
    }
    let draft = match io.prompter.as_deref_mut() {
        Some(p)
            if !interview.is_complete()?
                || (file.is_none() && sets.is_empty())
                || carried.is_some() =>
        {
            if !introduced {
                introduce(io.err, &letter)?;
            }
            match interview.run(p)? {
                Outcome::Save(draft) => *draft,
                Outcome::Later => {
                    let w = lang.words();
                    match &draft_path {
                        Some(path) => writeln!(
                            io.err,
                            "{}",
                            crate::lang::fill(
                                w.kept_for_later,
                                &[
                                    ("path", &path.display().to_string()),
                                    ("letter", &letter.id)
                                ]
                            )
                        )?,
                        None => writeln!(io.err, "{}", w.nothing_saved)?,
                    }
                    return Ok(Ended::Quit);
                }
                Outcome::ChangePlace(answers) => {
                    let place = pick_jurisdiction(catalog, p, Some(&letter), io.env, lang)?;
                    let again = WriteArgs {
                        jurisdiction: Some(place),
                        ..args.clone()
                    };
                    return write(catalog, &again, io, Some(answers));
                }
                Outcome::Quit => {
                    if let Some(path) = &draft_path {
                        let _ = std::fs::remove_file(path);
                    }
                    writeln!(io.err, "{}", lang.words().thrown_away)?;
                    return Ok(Ended::Quit);
                }
            }
        }
        _ => {
            interview.complete_without_asking()?;
            interview.draft()?
        }
    };

    let meta = Meta {
        letter: Some(letter.id.clone()),
        jurisdiction: Some(jurisdiction.id.clone()),
        date: Some(answers::toml_date(date)?),
    };
    let answered = interview.answers_in_order()?;
    let answers_text = answers::to_file_text(&letter.id, &meta, &answered)?;
    // Made before anything is saved: a letter the PDF cannot be made of saves nothing.
    let pdf = if wants_pdf {
        let layout = crate::print::Layout::load(catalog)?;
        let printable = crate::print::letter::Letter {
            body: &draft.body,
            title: draft.subject.clone().unwrap_or_else(|| draft.title.clone()),
            child: answer_text(&answered, "child_name").unwrap_or_default(),
            sender: answer_text(&answered, "sender_name").unwrap_or_default(),
            language: jurisdiction.language.clone(),
            date,
            paper: super::print::paper(args.paper, &jurisdiction),
        };
        Some(crate::print::letter::pdf(&printable, &layout)?)
    } else {
        None
    };
    let email = email_version(&draft, &answered, in_case.as_ref(), &attachments, io.now);
    let mut sendable = None;
    match &in_case {
        Some(c) => {
            // The extra copy first: if it cannot be saved, nothing is recorded, and running the
            // command again does not make a second record of the same letter.
            if let Some(output) = args.output.as_deref() {
                save(
                    &draft,
                    email.as_ref(),
                    &answers_text,
                    Some(output),
                    args.force,
                    date,
                    pdf.as_deref().filter(|_| is_pdf(output)),
                    io,
                )?;
            }
            let id = c.record(
                &draft,
                email.as_ref(),
                &jurisdiction,
                date,
                &answers_text,
                io.now,
            )?;
            if let Some(path) = &draft_path {
                let _ = std::fs::remove_file(path);
            }
            if email.is_some() {
                sendable = Some(id.clone());
            }
            let dir = c.case.records_dir().join(&id);
            writeln!(
                io.err,
                "{}",
                crate::lang::fill(
                    lang.words().recorded,
                    &[("path", &dir.join(record::LETTER_FILE).display().to_string())]
                )
            )?;
            if let Some(bytes) = pdf.as_deref().filter(|_| args.pdf) {
                // The letter is recorded whatever happens here: failing now would only make
                // the parent write it again, and record it twice.
                match super::print::save_in_record(c.case, &dir, bytes) {
                    Ok(path) => writeln!(io.err, "Saved the PDF to print: {}", path.display())?,
                    Err(e) => writeln!(
                        io.err,
                        "iep: warning: the PDF could not be saved ({e:#}); `iep print {id}` makes it again."
                    )?,
                }
            }
            if email.is_none() && draft.subject.is_some() {
                writeln!(
                    io.err,
                    "No email version (letter.eml) was made: no one it goes to has an email address. Print it, or add their address with `iep case edit --contact` and write it again."
                )?;
            }
            writeln!(
                io.err,
                "{}",
                crate::lang::fill(lang.words().when_reply, &[("id", &id)])
            )?;
        }
        None => save(
            &draft,
            email.as_ref(),
            &answers_text,
            args.output.as_deref(),
            args.force,
            date,
            pdf.as_deref(),
            io,
        )
        .inspect(|()| {
            // Saved: the unfinished answers outside a case are done with.
            if let Some(path) = &draft_path {
                let _ = std::fs::remove_file(path);
            }
        })?,
    }
    if let (Some(reply_by), Some(counted)) = (draft.reply_by, &draft.reply_counted) {
        writeln!(
            io.err,
            "{}",
            crate::lang::fill(
                lang.words().reply_by,
                &[
                    ("date", &jurisdiction.format_date(reply_by)),
                    ("counted", counted)
                ]
            )
        )?;
        for caveat in &draft.reply_caveats {
            writeln!(io.err, "{caveat}")?;
        }
    }
    if in_case.is_none() && args.output.as_deref() != Some(Path::new("-")) {
        offer_case(catalog, &letter, &jurisdiction, &answered, io)?;
    }
    Ok(Ended::Written(sendable))
}

/// The file an unfinished letter's answers are kept in, in `drafts/` (or the state folder).
pub(crate) fn draft_name(letter_id: &str) -> String {
    format!("{}.answers.toml", letter_id.replace('/', "-"))
}

/// The email version of a letter: for letters with a subject, from the sender's own address,
/// when someone it goes to has an address. Threaded to the letter it follows up, when that one
/// was an email too.
pub(crate) fn email_version(
    draft: &Draft,
    answered: &[(String, Value)],
    in_case: Option<&CaseInputs<'_>>,
    attachments: &[PathBuf],
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Option<Email> {
    let has_address = draft.to.iter().chain(&draft.cc).any(|a| a.email.is_some());
    let (Some(subject), Some(from)) = (&draft.subject, sender(answered)) else {
        return None;
    };
    if !has_address {
        return None;
    }
    let (in_reply_to, references) = in_case
        .and_then(|c| c.follows.as_ref())
        .and_then(|(r, _)| {
            let id = r.file.message_id.clone()?;
            let mut refs = r.file.references.clone();
            refs.push(id.clone());
            Some((Some(id), refs))
        })
        .unwrap_or_default();
    // A follow-up's email keeps its thread's subject, so Gmail and Outlook show it in the same
    // conversation; what this letter is about is in its first lines.
    let subject = match in_case.and_then(CaseInputs::thread_subject) {
        Some(thread) => eml::reply_subject(&thread),
        None => subject.clone(),
    };
    Some(Email {
        message_id: eml::new_message_id(from.email.as_deref().unwrap_or_default(), now.into()),
        from,
        to: draft.to.clone(),
        cc: draft.cc.clone(),
        subject,
        body: draft.body.clone(),
        date: now.into(),
        in_reply_to,
        references,
        attachments: attachments.to_vec(),
    })
}

/// After the first letter written outside a case, at a terminal: offers to start a case folder
/// from the answers already given (the child, the school, the parent, and the person written
/// to), so that the next letters are recorded and ask none of it again. Asked once; the
/// answer is remembered in the user's state folder.
fn offer_case(
    catalog: &Catalog,
    letter: &crate::catalog::Letter,
    jurisdiction: &crate::jurisdiction::Jurisdiction,
    answered: &[(String, Value)],
    io: &mut Ctx<'_>,
) -> Result<()> {
    let Ok(state) = crate::dirs::state_dir(&io.env.var) else {
        return Ok(());
    };
    let marker = state.join("offered-case");
    let Some(p) = io.prompter.as_deref_mut() else {
        return Ok(());
    };
    if marker.exists() {
        return Ok(());
    }
    // Asked once, whatever the answer.
    if atomic::private_dir(&state).is_ok() {
        let _ = atomic::write(&marker, b"");
    }
    let text = |key: &str| {
        answered.iter().find_map(|(k, v)| match v {
            Value::Text(t) if k == key => Some(t.clone()),
            _ => None,
        })
    };
    let w = letter.lang.words();
    let child = text("child_name").unwrap_or_default();
    let start = p.confirm(
        &Prompt {
            text: crate::lang::fill(w.offer_case, &[("child", &child)]),
            help: Some(crate::lang::fill(w.offer_case_help, &[("child", &child)])),
            ..Prompt::default()
        },
        false,
    )?;
    if !start {
        writeln!(io.err, "{}", w.no_case_made)?;
        return Ok(());
    }
    let first: String = child
        .split_whitespace()
        .next()
        .unwrap_or("child")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    let stem = format!("{}-iep", if first.is_empty() { "child" } else { &first });
    let dir = (1..)
        .map(|n| {
            if n == 1 {
                stem.clone()
            } else {
                format!("{stem}-{n}")
            }
        })
        .find(|d| !io.cwd.join(d).exists())
        .expect("a free name");
    // Only what the case form asks is carried; lists and letter-only answers are not.
    let form = catalog.form(crate::catalog::CASE_FORM)?;
    let set = answered
        .iter()
        .filter(|(k, _)| form.question(k).is_some())
        .filter_map(|(k, v)| match v {
            Value::Text(t) => Some(format!("{k}={t}")),
            Value::Date(d) => Some(format!("{k}={d}")),
            _ => None,
        })
        .collect();
    // The person written to becomes the case's contact for that role.
    let contact = match (letter.to.as_deref(), text("recipient_name")) {
        (Some(role), Some(name)) if jurisdiction.people().iter().any(|(id, _)| id == role) => {
            let email = text("recipient_email")
                .map(|e| format!(" <{e}>"))
                .unwrap_or_default();
            vec![format!("{role}={name}{email}")]
        }
        _ => Vec::new(),
    };
    let init = crate::cli::InitArgs {
        dir: Some(PathBuf::from(dir)),
        jurisdiction: Some(jurisdiction.id.clone()),
        form: crate::cli::FormArgs { set, contact },
    };
    super::init::execute(&init, io).map(|_| ())
}

/// `iep write` with no letter: at a terminal, a list of the letters with when to use each;
/// without one, the letters' ids.
fn pick_letter(catalog: &Catalog, io: &mut Ctx<'_>) -> Result<String> {
    let mut ids = catalog.letter_ids()?;
    for (pack, id) in catalog.pack_letters()? {
        ids.push(format!("{pack}/{id}"));
    }
    let Some(p) = io.prompter.as_deref_mut() else {
        bail!(
            "which letter? Name one: iep write <letter>. The letters are: {}. `iep letters` says when to use each.",
            ids.join(", ")
        );
    };
    let mut labels = Vec::new();
    for id in &ids {
        let use_when = catalog.letter(id).map(|l| l.use_when).unwrap_or_default();
        labels.push(format!("{id}: {use_when}"));
    }
    let i = p.select(
        &Prompt {
            text: io.lang.words().which_letter.into(),
            filter: true,
            ..Prompt::default()
        },
        &labels,
        0,
    )?;
    Ok(ids[i].clone())
}

/// What the parent sees first: which letter this is and how the interview works.
fn introduce(err: &mut dyn Write, letter: &crate::catalog::Letter) -> Result<()> {
    let text = format!(
        "{}{} {}\n{}\n{}",
        letter.id,
        if letter.lang == crate::lang::Lang::Fr {
            "\u{a0}:"
        } else {
            ":"
        },
        letter.title,
        letter.use_when,
        letter.lang.words().introduce
    );
    // Wrapped to the terminal by the standard-error writer (`prompt::Wrapping`).
    writeln!(err, "{text}")?;
    Ok(())
}

/// Saves the letter and its answers, or prints the letter with `-`.
/// A path ending in `.eml` gets the email; `.pdf`, the PDF; any other, the plain-text letter.
/// With `pdf` (`--pdf`) and another kind of file, the PDF is saved beside it (and `-` prints
/// the PDF). A named path is never a case folder's own file, and replaces an existing file only
/// with `force` ([`case::check_output`]). Files are saved together or not at all.
#[allow(clippy::too_many_arguments)]
fn save(
    draft: &Draft,
    email: Option<&Email>,
    answers_text: &str,
    output: Option<&Path>,
    force: bool,
    date: NaiveDate,
    pdf: Option<&[u8]>,
    io: &mut Ctx<'_>,
) -> Result<()> {
    let mut text = draft.to_file().into_bytes();
    if let Some(p) = output
        && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("eml"))
    {
        let email = email.with_context(|| {
            format!(
                "{} is an email file, but this letter cannot be an email: it needs a subject, your address (sender_email) and at least one recipient's address",
                p.display()
            )
        })?;
        text = eml::to_eml(email)?;
    }
    let named_pdf = output.is_some_and(is_pdf);
    if let (true, Some(bytes)) = (named_pdf, pdf) {
        text = bytes.to_vec();
    }
    // The PDF beside the letter file, with --pdf.
    let beside = pdf.filter(|_| !named_pdf);
    match output {
        Some(p) if p == Path::new("-") => io
            .out
            .write_all(pdf.unwrap_or(&text))
            .context("could not print the letter"),
        Some(p) => {
            let path = io.cwd.join(p);
            let answers_path = answers_path_for(&path);
            let pdf_path = beside.map(|_| path.with_extension("pdf"));
            // All are checked before any is written, so a refusal leaves nothing behind.
            case::check_output(&path, force, "--output")?;
            case::check_output(&answers_path, force, "--output (its answers file)")?;
            if let Some(p) = &pdf_path {
                case::check_output(p, force, "--output (its PDF)")?;
            }
            let mut files = vec![(path.as_path(), text.as_slice())];
            files.push((answers_path.as_path(), answers_text.as_bytes()));
            if let (Some(p), Some(bytes)) = (&pdf_path, beside) {
                files.push((p.as_path(), bytes));
            }
            match save_together(&files, force)? {
                None => report(io, draft.lang, &path, &answers_path, pdf_path.as_deref()),
                // Another run made it between the check and the write.
                Some(taken) => bail!(
                    "--output {}: that file appeared while the letter was being written; nothing was replaced. Choose another name, or add --force",
                    taken.display()
                ),
            }
        }
        None => {
            let stem = format!("{date}-{}", draft.letter.replace('/', "-"));
            let exts: &[&str] = if beside.is_some() {
                &[".txt", ".answers.toml", ".pdf"]
            } else {
                &[".txt", ".answers.toml"]
            };
            loop {
                let base = atomic::free_stem(&io.cwd, &stem, exts);
                let path = atomic::with_ext(&base, ".txt");
                let answers_path = atomic::with_ext(&base, ".answers.toml");
                let pdf_path = beside.map(|_| atomic::with_ext(&base, ".pdf"));
                let mut files = vec![(path.as_path(), text.as_slice())];
                files.push((answers_path.as_path(), answers_text.as_bytes()));
                if let (Some(p), Some(bytes)) = (&pdf_path, beside) {
                    files.push((p.as_path(), bytes));
                }
                // Another run may take a name between the check and the write; then try the next.
                if save_together(&files, false)?.is_none() {
                    return report(io, draft.lang, &path, &answers_path, pdf_path.as_deref());
                }
            }
        }
    }
}

/// Writes each file, new (or replacing with `force`). Without `force`, a file that already
/// exists stops the save: it is returned, and the files written before it are removed, as they
/// are when a write fails: a letter without its answers file is half a save.
fn save_together<'p>(files: &[(&'p Path, &[u8])], force: bool) -> Result<Option<&'p Path>> {
    let mut written: Vec<&Path> = Vec::new();
    let undo = |written: &[&Path]| {
        for p in written {
            let _ = std::fs::remove_file(p);
        }
    };
    for (path, bytes) in files {
        let saved = if force {
            atomic::write(path, bytes).map(|()| true)
        } else {
            atomic::write_new(path, bytes)
        };
        match saved {
            Ok(true) => written.push(path),
            Ok(false) => {
                undo(&written);
                return Ok(Some(path));
            }
            Err(e) => {
                if !force {
                    undo(&written);
                }
                return Err(e);
            }
        }
    }
    Ok(None)
}

/// Whether a path names a PDF.
fn is_pdf(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

fn report(
    io: &mut Ctx<'_>,
    lang: crate::lang::Lang,
    letter: &Path,
    answers: &Path,
    pdf: Option<&Path>,
) -> Result<()> {
    let show = |p: &Path| -> String {
        p.strip_prefix(&io.cwd)
            .map(|r| r.display().to_string())
            .unwrap_or_else(|_| p.display().to_string())
    };
    let w = lang.words();
    writeln!(
        io.err,
        "{}",
        crate::lang::fill(w.saved_letter, &[("path", &show(letter))])
    )?;
    if let Some(pdf) = pdf {
        writeln!(
            io.err,
            "{}",
            crate::lang::fill(w.saved_pdf, &[("path", &show(pdf))])
        )?;
    }
    writeln!(
        io.err,
        "{}",
        crate::lang::fill(w.saved_answers, &[("path", &show(answers))])
    )?;
    Ok(())
}

/// `letter.txt` → `letter.answers.toml`.
fn answers_path_for(letter: &Path) -> PathBuf {
    letter.with_extension("answers.toml")
}

/// A one-line answer, when it was given.
fn answer_text(answered: &[(String, Value)], key: &str) -> Option<String> {
    answered.iter().find_map(|(k, v)| match v {
        Value::Text(t) if k == key && !t.is_empty() => Some(t.clone()),
        _ => None,
    })
}

/// The sender, from the answers: `sender_name` and `sender_email`.
fn sender(answered: &[(String, Value)]) -> Option<Person> {
    let text = |key: &str| {
        answered.iter().find_map(|(k, v)| match v {
            Value::Text(t) if k == key && !t.is_empty() => Some(t.clone()),
            _ => None,
        })
    };
    Some(Person {
        name: text("sender_name").unwrap_or_default(),
        title: String::new(),
        email: Some(text("sender_email")?),
    })
}

/// The findings of `iep check` on `plan`, as entries a vague-wording letter can raise.
fn findings_from(catalog: &Catalog, plan: &Path) -> Result<Vec<Offered>> {
    let checker = crate::check::Checker::from_catalog(catalog)?;
    let unreadable = || {
        format!(
            "could not read {} as plain text (for a PDF, save it as text first)",
            plan.display()
        )
    };
    let file = std::fs::File::open(plan).with_context(unreadable)?;
    let bytes = super::check::read_plan(
        &mut std::io::BufReader::new(file),
        &plan.display().to_string(),
    )?;
    if bytes.len() as u64 > super::check::MAX_PLAN_BYTES {
        bail!(
            "{} is over {} MB, far more than any plan. Check that it is the plan",
            plan.display(),
            super::check::MAX_PLAN_BYTES / (1024 * 1024)
        );
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} is not plain text (UTF-8)", plan.display()))
        .with_context(unreadable)?;
    Ok(checker
        .check(&text)
        .into_iter()
        .filter(|f| !f.excerpt.is_empty())
        .map(|f| {
            let quote = f
                .excerpt
                .trim_start_matches(|c: char| c == '-' || c == '*' || c == '•' || c.is_whitespace())
                .trim_end_matches('.')
                .to_owned();
            Offered {
                label: format!("line {}: {quote}", f.line),
                row: BTreeMap::from([
                    ("quote".to_owned(), Value::Text(quote)),
                    ("ask".to_owned(), Value::Text(f.request)),
                ]),
                picked: true,
                about: None,
            }
        })
        .collect())
}
