//! Rendering a folder's templates (a pack, `--templates`) in a bounded child process: see the
//! module doc of [`crate::render`].

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};

use super::*;

/// The hidden first argument that makes iep a render worker ([`worker`]).
pub const WORKER: &str = "__render-worker";
/// The longest a pack's render may take, wall-clock, before its worker is killed.
pub const TIME_LIMIT: Duration = Duration::from_secs(5);
/// The address space a render worker may use.
pub const MEMORY_LIMIT: u64 = 512 * 1024 * 1024;
/// The most text one template may render.
pub const OUTPUT_LIMIT: usize = 1024 * 1024;
/// How a worker announces, on stderr, the template it starts.
pub(super) const MARK: &str = "iep-render: ";

/// A bound hit while rendering a pack's template.
#[derive(Debug, thiserror::Error)]
pub enum Bound {
    /// It ran too long.
    #[error(
        "the template {template} took longer than {} seconds to render; it may loop without end (loops inside loops over large ranges?). Simplify it, then check the pack with `iep pack check`.",
        TIME_LIMIT.as_secs()
    )]
    Time {
        /// The template, as a person would open it.
        template: String,
    },
    /// It needed too much memory.
    #[error(
        "the template {template} needed more than {} MB of memory to render; it may build text without end (a value joined to itself in a loop?). Simplify it, then check the pack with `iep pack check`.",
        MEMORY_LIMIT / (1024 * 1024)
    )]
    Memory {
        /// The template, as a person would open it.
        template: String,
    },
    /// It rendered too much text.
    #[error(
        "the template {template} rendered more than {} MB of text; a letter is a few pages. Simplify it, then check the pack with `iep pack check`.",
        OUTPUT_LIMIT / (1024 * 1024)
    )]
    Output {
        /// The template, as a person would open it.
        template: String,
    },
    /// The worker stopped for another reason.
    #[error(
        "iep stopped unexpectedly while rendering the template {template}; check the pack with `iep pack check`."
    )]
    Crashed {
        /// The template, as a person would open it.
        template: String,
    },
}

/// What a worker is asked to render.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Request {
    pub(super) templates: Vec<(String, String)>,
    pub(super) displays: HashMap<String, String>,
    pub(super) names: Vec<String>,
    pub(super) context: serde_json::Map<String, serde_json::Value>,
}

/// A worker's answer.
#[derive(Debug, Serialize, Deserialize)]
pub(super) enum Reply {
    /// Each template's text, in the order asked.
    Rendered(Vec<String>),
    /// A template error, as a person reads it.
    Failed(String),
    /// This template rendered more than [`OUTPUT_LIMIT`].
    TooLong(String),
    /// (Parent side only.) The worker was killed or died: the last template it started, and
    /// whether time or memory ran out.
    Stopped {
        last: Option<String>,
        time: bool,
        memory: bool,
    },
}

/// Runs one render in a worker: its limits set, killed after [`TIME_LIMIT`].
pub(super) fn run_worker(request: &Request) -> Result<Reply> {
    use std::process::{Command, Stdio};
    let exe = std::env::current_exe().context("could not find iep's own program to render")?;
    let mut child = Command::new(exe)
        .arg(WORKER)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("could not start iep to render a template")?;
    let started = Instant::now();
    // A worker that died early closes its stdin; what it says comes out below.
    if let Some(mut stdin) = child.stdin.take() {
        let _ = serde_json::to_writer(&mut stdin, request).map(|()| stdin.flush());
    }
    let reader = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(pipe) = pipe {
                // A worker cannot say much more than its limit on any one text.
                let _ = pipe
                    .take(8 * OUTPUT_LIMIT as u64 + 1024 * 1024)
                    .read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = reader(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = reader(child.stderr.take().map(|p| Box::new(p) as _));
    let mut pause = Duration::from_micros(200);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() < TIME_LIMIT => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let out = stdout.join().unwrap_or_default();
    let err = String::from_utf8_lossy(&stderr.join().unwrap_or_default()).into_owned();
    let last = err
        .lines()
        .filter_map(|l| l.strip_prefix(MARK))
        .next_back()
        .map(str::to_owned);
    let Some(status) = status else {
        return Ok(Reply::Stopped {
            last,
            time: true,
            memory: false,
        });
    };
    if status.success()
        && let Ok(reply) = serde_json::from_slice::<Reply>(&out)
    {
        return Ok(reply);
    }
    use std::os::unix::process::ExitStatusExt as _;
    let cpu = status.signal() == Some(rustix::process::Signal::XCPU.as_raw());
    let memory = err.contains("memory allocation of") || err.contains("capacity overflow");
    Ok(Reply::Stopped {
        last,
        time: cpu,
        memory,
    })
}

/// The render worker: `iep __render-worker` reads a request on stdin, lowers its own limits,
/// renders, and writes a reply on stdout. Never run by a person.
pub fn worker() -> std::process::ExitCode {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let cpu = TIME_LIMIT.as_secs() * 2;
    for (resource, limit) in [(Resource::As, MEMORY_LIMIT), (Resource::Cpu, cpu)] {
        let hard = if matches!(resource, Resource::Cpu) {
            limit + 1
        } else {
            limit
        };
        let set = setrlimit(
            resource,
            Rlimit {
                current: Some(limit),
                maximum: Some(hard),
            },
        );
        if set.is_err() {
            eprintln!("iep: could not limit the render worker's resources");
            return std::process::ExitCode::FAILURE;
        }
    }
    let reply = match serde_json::from_reader::<_, Request>(std::io::stdin().lock()) {
        Ok(request) => render_request(request),
        Err(e) => Reply::Failed(format!("the render worker was sent a bad request: {e}")),
    };
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer(&mut out, &reply).map(|()| out.flush()) {
        Ok(Ok(())) => std::process::ExitCode::SUCCESS,
        _ => std::process::ExitCode::FAILURE,
    }
}

pub(super) fn render_request(request: Request) -> Reply {
    let tera = match engine(request.templates, &request.displays) {
        Ok(tera) => tera,
        Err(e) => return Reply::Failed(format!("{e:#}")),
    };
    let ctx = match tera::Context::from_serialize(&request.context) {
        Ok(ctx) => ctx,
        Err(e) => return Reply::Failed(format!("could not pass the answers to a template: {e}")),
    };
    let mut texts = Vec::new();
    for name in request.names {
        eprintln!("{MARK}{name}");
        match tera.render(&name, &ctx) {
            Ok(text) if text.len() > OUTPUT_LIMIT => return Reply::TooLong(name),
            Ok(text) => texts.push(text),
            Err(e) => return Reply::Failed(template_error(e, &request.displays).to_string()),
        }
    }
    Reply::Rendered(texts)
}
