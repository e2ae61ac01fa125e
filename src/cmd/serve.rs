//! `iep serve`: the case in a page in the parent's browser, served on 127.0.0.1 only, until
//! Ctrl-C. The page itself is [`crate::serve`]; this file binds, prints the address, opens the
//! browser (through [`super::Env::open`], so tests never do) and answers requests one at a
//! time.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};

use super::{Ctx, Exit};
use crate::case::Case;
use crate::cli::{InitArgs, ServeArgs};
use crate::prompt::Prompt;
use crate::serve::App;
use crate::serve::guard::Guard;
use crate::serve::http::{self, Response, Unread};

/// Runs `iep serve`.
pub fn execute(args: &ServeArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    let case = match io.case.clone() {
        Some(case) => case,
        None => make_case(io)?,
    };
    let port = args.port.unwrap_or(0);
    // Loopback only: there is no way to listen elsewhere.
    let server = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| {
        anyhow!(
            "could not serve on 127.0.0.1:{port}: {e}.{}",
            if port == 0 {
                ""
            } else {
                " Another program may use that port: leave out --port to take a free one."
            }
        )
    })?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .context("the server has no port")?;
    let mut app = App::new(io, case.clone(), io.env, port)?;
    let address = app.guard.address();
    // The address alone on standard output, for scripts; what it is, on standard error.
    writeln!(io.out, "{address}")?;
    io.out.flush()?;
    writeln!(
        io.err,
        "iep is serving the case in {} at the address above, to this computer only.\nThe address works once, in one browser: it holds a key to your child's records, so do not share it.\nStop with Ctrl-C.",
        case.root.display()
    )?;
    if !args.no_open
        && let Err(e) = (io.env.open)(&address)
    {
        writeln!(
            io.err,
            "Could not open a browser ({e}); open the address in yours."
        )?;
    }
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    // Ctrl-C stops after the request being answered: every write is whole or not made.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    while !stop.load(Ordering::SeqCst) {
        let Some(mut request) = server
            .recv_timeout(Duration::from_millis(200))
            .context("the server stopped taking requests")?
        else {
            continue;
        };
        let response = match http::read(&mut request) {
            Ok(req) => app.handle(&req),
            Err(why) => {
                let mut r = match why {
                    Unread::TooLarge => Response::text(
                        413,
                        "That was more than iep takes in one form, so nothing was changed. Shorten the answer and try again.\n",
                    ),
                    Unread::NotAForm => Response::text(
                        400,
                        "That was not a form this page sends, so nothing was changed.\n",
                    ),
                };
                Guard::secure(&mut r);
                r
            }
        };
        // A browser that went away before its answer: nothing to do.
        let _ = http::respond(request, response);
    }
    writeln!(
        io.err,
        "\niep: stopped serving (Ctrl-C). Nothing is lost: letters are in the case, and unfinished answers in its drafts/ folder."
    )?;
    Ok(Exit::Done)
}

/// No case here: at a terminal, offers to make one (`iep init`'s questions); without one, says
/// how.
fn make_case(io: &mut Ctx<'_>) -> Result<Case> {
    let how = format!(
        "`iep serve` shows a case folder, and there is none here or above {}. Make one with `iep init DIR` (it asks a few questions about your child and the school), then run `iep serve --case DIR`; or name one with --case DIR or IEP_CASE.",
        io.cwd.display()
    );
    let Some(p) = io.prompter.as_deref_mut() else {
        bail!(how);
    };
    let make = p.confirm(
        &Prompt {
            text: "There is no case folder here. Make one now?".into(),
            help: Some(
                "A case keeps your child's details and a dated record of every letter. The page shows it."
                    .into(),
            ),
            ..Prompt::default()
        },
        true,
    )?;
    if !make {
        bail!(how);
    }
    let dir = p.text(
        &Prompt {
            text: "The folder to keep it in".into(),
            help: Some("It is made here if it does not exist.".into()),
            ..Prompt::default()
        },
        Some("iep-case"),
        false,
    )?;
    let dir = io.cwd.join(dir.trim());
    let init = InitArgs {
        dir: Some(dir.clone()),
        jurisdiction: None,
        form: Default::default(),
    };
    super::init::execute(&init, io)?;
    Ok(Case { root: dir })
}

/// Opens `url` in the parent's default browser, without waiting for it.
pub fn open_in_browser(url: &str) -> std::io::Result<()> {
    use std::process::{Command, Stdio};
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else {
        Command::new("xdg-open")
    };
    let mut child = command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Reaped in the background, so it never lingers as a zombie.
    std::thread::spawn(move || child.wait());
    Ok(())
}
