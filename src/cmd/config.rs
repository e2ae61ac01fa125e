//! `iep config smtp [--test]`: the email account letters are sent from.

use anyhow::{Result, bail};

use super::{Ctx, Exit, fill_form, parse_sets};
use crate::answers::{self, AnswersFile, Meta};
use crate::atomic;
use crate::catalog::{Catalog, SMTP_FORM};
use crate::cli::ConfigAction;
use crate::config::{self, Smtp};
use crate::deliver::smtp;

/// Runs `iep config smtp`.
pub fn execute(args: &crate::cli::ConfigArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    run(io.catalog, &args.action, io)?;
    Ok(Exit::Done)
}

fn run(catalog: &Catalog, action: &ConfigAction, io: &mut Ctx<'_>) -> Result<()> {
    let env = io.env;
    let ConfigAction::Smtp { test, set } = action;
    let path = config::smtp_path(&env.var)?;
    let mut prompter = io.prompter.take();
    let sets = parse_sets(set)?;
    if sets.iter().any(|(k, _)| k == "password") {
        bail!(
            "iep never keeps a password. It asks for it when sending, or reads IEP_SMTP_PASSWORD, or runs a password_command (a command such as `pass show email` that prints it)."
        );
    }
    // `--test` alone checks the account as it is.
    let change = !*test || !sets.is_empty() || !path.is_file();
    if change {
        let existing = path
            .is_file()
            .then(|| AnswersFile::load(&path))
            .transpose()?;
        let form = catalog.form(SMTP_FORM)?;
        let generic = catalog.jurisdiction("generic")?;
        if existing.is_none() && prompter.is_some() {
            writeln!(
                io.err,
                "Set up the email account iep sends letters from. iep never saves your password: it asks for it when sending, or runs a command you give (a password manager)."
            )?;
        }
        let answers = fill_form(
            &form,
            &generic,
            io.today,
            super::FormStart {
                preset: existing.as_ref(),
                sets: &sets,
                flags: !sets.is_empty(),
                keep: None,
            },
            super::ask(&mut prompter),
        )?;
        // Checked before anything is saved: a setting that cannot work is refused here.
        let smtp = Smtp::from_answers(&answers)?;
        let before = Smtp::load(&path).ok().flatten();
        smtp::check_before_saving(&smtp, before.as_ref(), &env.run)
            .map_err(|e| anyhow::anyhow!("{e:#}. Nothing was saved."))?;
        let text = answers::file_text(
            "# The email account iep sends letters from (`iep config smtp`). No password is kept here.",
            &Meta::default(),
            &answers,
        )?;
        if let Some(dir) = path.parent() {
            crate::atomic::private_dir(dir)?;
        }
        atomic::write(&path, text.as_bytes())?;
        writeln!(io.err, "Saved the email account: {}", path.display())?;
        for w in smtp.warnings() {
            writeln!(io.err, "Note: {w}")?;
        }
    }
    if *test {
        let Some(smtp) = Smtp::load(&path)? else {
            bail!("no email account is set up yet: run `iep config smtp`");
        };
        let password = smtp::password(&smtp, (env.var)("IEP_SMTP_PASSWORD"), &env.run, prompter)?;
        writeln!(io.err, "Connecting to {}:{}…", smtp.host, smtp.port)?;
        match env.mailer.test(&smtp, &password) {
            Ok(()) => writeln!(
                io.err,
                "It works: {} accepted the connection{}. Nothing was sent.",
                smtp.host,
                if smtp.auth == config::Auth::None {
                    " (without a sign-in, as set)"
                } else {
                    " and your sign-in"
                }
            )?,
            Err(why) => {
                for w in smtp.warnings() {
                    writeln!(io.err, "Note: {w}")?;
                }
                bail!("the test failed: {why}");
            }
        }
    }
    Ok(())
}
