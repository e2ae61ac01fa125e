//! `iep pack new NAME` and `iep pack check DIR`.

use anyhow::Result;

use super::Io;
use crate::cli::PackAction;
use crate::pack::{self, Pack};

/// Runs `iep pack …`; `Ok(false)` when a check found problems.
pub fn execute(action: &PackAction, io: Io<'_>) -> Result<bool> {
    match action {
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
