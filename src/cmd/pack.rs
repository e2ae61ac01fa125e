//! `iep pack new`, `check`, `install`, `list` and `remove`.

use std::path::Path;

use anyhow::Result;

use super::{Ctx, Exit};
use crate::catalog::{Catalog, Layer};
use crate::cli::PackAction;
use crate::pack::{self, Outcome, Pack};

/// Runs `iep pack …`: [`Exit::NotDone`] when a check found problems.
pub fn execute(args: &crate::cli::PackArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    let packs = io.packs.clone();
    Ok(if run(&args.action, io, io.catalog, &packs)? {
        Exit::Done
    } else {
        Exit::NotDone
    })
}

/// `Ok(false)` when a check found problems. `packs` is where installed packs live.
fn run(action: &PackAction, io: &mut Ctx<'_>, catalog: &Catalog, packs: &Path) -> Result<bool> {
    match action {
        PackAction::Install { source, force } => {
            let installed = pack::install(&io.cwd.join(source), packs, *force)?;
            for warning in &installed.warnings {
                writeln!(io.err, "iep: {warning}")?;
            }
            let pack = &installed.pack;
            let (name, version) = (&pack.file.name, &pack.file.version);
            let letters = Layer::folder(&pack.dir)?.letter_ids()?;
            let what = match &installed.outcome {
                Outcome::AlreadyInstalled => {
                    writeln!(
                        io.err,
                        "{name} {version} is already installed; nothing was changed. To install it again, add --force."
                    )?;
                    return Ok(true);
                }
                Outcome::New => format!("Installed {name} {version}"),
                Outcome::Upgraded { from } => format!("Upgraded {name} from {from} to {version}"),
                Outcome::Reinstalled => format!("Installed {name} {version} again"),
                Outcome::Downgraded { from } => {
                    format!("Replaced {name} {from} with the older {version}")
                }
            };
            writeln!(
                io.err,
                "{what} by {}: {} letter{}. `iep letters` lists them as {name}/<letter>.",
                pack.file.organisation,
                letters.len(),
                if letters.len() == 1 { "" } else { "s" },
            )?;
            Ok(true)
        }
        PackAction::List => {
            let names = catalog.pack_names();
            if names.is_empty() {
                writeln!(
                    io.err,
                    "No packs are installed. Install one with: iep pack install <folder or archive>"
                )?;
            }
            for name in names {
                let dir = catalog.pack_dir(&name).expect("listed");
                let pack = Pack::open(&dir)?;
                let letters = Layer::folder(&dir)?.letter_ids()?;
                writeln!(
                    io.out,
                    "{} {}  {} ({})
  {}
  letters: {}",
                    pack.file.name,
                    pack.file.version,
                    pack.file.organisation,
                    pack.file.contact,
                    pack.file.description,
                    letters.join(", ")
                )?;
            }
            Ok(true)
        }
        PackAction::Remove { name } => {
            if catalog.pack_dir(name).is_none() {
                anyhow::bail!("no pack called \"{name}\" is installed; `iep pack list` shows them");
            }
            for warning in pack::remove(packs, name)? {
                writeln!(io.err, "iep: {warning}")?;
            }
            writeln!(
                io.err,
                "Removed the pack {name}. Letters already written with it are kept."
            )?;
            Ok(true)
        }
        PackAction::New { name } => {
            let dir = io.cwd.join(name);
            pack::scaffold(&dir, name)?;
            writeln!(
                io.err,
                "Made the pack {name} in {}.\nFill in pack.toml, change or add letters under letters/, then check it: iep pack check {name}",
                dir.display()
            )?;
            Ok(true)
        }
        PackAction::Check { dir } => {
            let pack = Pack::open(&io.cwd.join(dir))?;
            let problems = pack.check()?;
            if problems.is_empty() {
                writeln!(
                    io.out,
                    "The pack {} {} looks right: every letter renders for every jurisdiction from its own examples.",
                    pack.file.name, pack.file.version
                )?;
                return Ok(true);
            }
            for p in &problems {
                writeln!(io.out, "{}\n  {}", p.file, p.message.replace('\n', "\n  "))?;
            }
            writeln!(
                io.out,
                "{} problem{} in the pack {}.",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                pack.file.name
            )?;
            Ok(false)
        }
    }
}
