//! A fluent helper that runs the built binary in a fresh temporary folder with a scrubbed
//! environment, so no test reads the developer's own configuration or HOME.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// Letters, jurisdictions, and the rung each escalation fixture writes to.
pub const LETTERS: &[&str] = &[
    "iep-request",
    "iprc-request",
    "implementation-concern",
    "progress-evidence",
    "escalation",
    "vague-wording",
    "review-request",
    "meeting-follow-up",
    "parent-summary",
];

/// Shared answers a one-page document does not ask (it has no recipient and no contact block).
const DOCUMENT_OMITS: &[&str] = &[
    "child_dob",
    "board_name",
    "student_id",
    "recipient_name",
    "recipient_email",
    "sender_email",
    "sender_phone",
    "sender_address",
    "access_needs",
];
pub const JURISDICTIONS: &[(&str, &str, &str)] = &[
    // (jurisdiction, grade fixture, escalation rung)
    ("ontario", "Grade 4", "superintendent"),
    ("british-columbia", "Grade 4", "district-director"),
    ("quebec", "Grade 4", "complaints-officer"),
    ("new-zealand", "Year 5", "board-chair"),
    ("generic", "Grade 4", "district"),
];

/// A temporary HOME and working folder for one test.
pub struct Sandbox {
    pub dir: TempDir,
}

/// One run of the binary, built up fluently.
pub struct Run<'a> {
    sandbox: &'a Sandbox,
    args: Vec<String>,
    stdin: Option<String>,
    envs: Vec<(String, String)>,
    dir: Option<PathBuf>,
}

/// What a run produced.
#[derive(Debug)]
pub struct Ran {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Sandbox {
    /// A sandbox in which iep has already offered to start a case after a first letter, so
    /// that tests of other things are not asked; [`Sandbox::first_letter`] undoes that.
    pub fn new() -> Self {
        let sandbox = Sandbox {
            dir: tempfile::tempdir().unwrap(),
        };
        let state = sandbox.path().join("home/.local/state/iep");
        std::fs::create_dir_all(&state).unwrap();
        std::fs::write(state.join("offered-case"), "").unwrap();
        sandbox
    }

    /// As a new user: the next letter written outside a case is the first, after which iep
    /// offers to start a case.
    pub fn first_letter(&self) {
        std::fs::remove_file(self.path().join("home/.local/state/iep/offered-case")).unwrap();
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, text).unwrap();
        p
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path().join(name)).unwrap()
    }

    /// Names of the files in the working folder, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "home")
            .collect();
        names.sort();
        names
    }

    pub fn iep(&self) -> Run<'_> {
        Run {
            sandbox: self,
            args: Vec::new(),
            stdin: None,
            envs: Vec::new(),
            dir: None,
        }
    }

    /// Makes the case `sam` (Ontario, on 2026-11-02): Sam Lee at Maple Grove School, written
    /// by Jordan Lee, with the principal Ms. Amina Patel on file. `extra` arguments are added
    /// after these, and a repeated `-s key=…` replaces the default.
    pub fn init_case(&self, extra: &[&str]) {
        let mut args = init_args("sam");
        args.extend(extra.iter().map(|a| (*a).to_owned()));
        self.iep().env("IEP_TODAY", "2026-11-02").args(args).ok();
    }

    /// The fixture answers for a letter (shared answers plus the letter's own) as a file.
    pub fn fixture_answers(&self, letter: &str) -> PathBuf {
        let mut common =
            std::fs::read_to_string(format!("{FIXTURES}/answers/common.toml")).unwrap();
        if letter == "parent-summary" {
            common = common
                .lines()
                .filter(|l| {
                    !DOCUMENT_OMITS
                        .iter()
                        .any(|k| l.starts_with(&format!("{k} =")))
                })
                .map(|l| format!("{l}\n"))
                .collect();
        }
        let own = std::fs::read_to_string(format!("{FIXTURES}/answers/{letter}.toml")).unwrap();
        self.file(
            &format!("{letter}.fixture.toml"),
            &format!("{common}\n{own}"),
        )
    }
}

impl Run<'_> {
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Sets an environment variable for this run (the rest stays scrubbed).
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.envs.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Runs in this folder, relative to the sandbox.
    pub fn in_dir(mut self, dir: &str) -> Self {
        self.dir = Some(self.sandbox.path().join(dir));
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.to_owned());
        self
    }

    pub fn command(&self) -> Command {
        let home = self.sandbox.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_iep"));
        cmd.env_clear()
            .env("HOME", &home)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("LANG", "C.UTF-8")
            .env("NO_COLOR", "1")
            .current_dir(self.dir.as_deref().unwrap_or(self.sandbox.path()))
            .envs(self.envs.iter().map(|(k, v)| (k, v)))
            .args(&self.args);
        cmd
    }

    pub fn run(self) -> Ran {
        use std::io::Write;
        use std::process::Stdio;
        let mut cmd = self.command();
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("the iep binary runs");
        let input = self.stdin.clone().unwrap_or_default();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let what = format!("iep {}", self.args.join(" "));
        let Output {
            status,
            stdout,
            stderr,
        } = wait_with_deadline(child, DEADLINE, &what);
        Ran {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
        }
    }

    /// Runs and expects success.
    pub fn ok(self) -> Ran {
        let ran = self.run();
        assert_eq!(ran.code, 0, "iep failed:\n{}", ran.stderr);
        ran
    }

    /// Runs and expects failure with exit code 1; returns stderr.
    pub fn fails(self) -> String {
        let ran = self.run();
        assert_eq!(
            ran.code, 1,
            "expected exit 1; stdout:\n{}\nstderr:\n{}",
            ran.stdout, ran.stderr
        );
        assert!(
            ran.stdout.is_empty(),
            "nothing is printed on failure: {}",
            ran.stdout
        );
        ran.stderr
    }
}

/// The args that write `letter` for `jurisdiction` from fixtures, printing it.
pub fn fixture_args(sandbox: &Sandbox, letter: &str, jurisdiction: &str) -> Vec<String> {
    // A New Zealand school board governs its own school, not a district.
    let board = match jurisdiction {
        "new-zealand" => "Maple Grove School Board",
        _ => "Lakeside District",
    };
    let (_, grade, rung) = JURISDICTIONS.iter().find(|j| j.0 == jurisdiction).unwrap();
    let answers = sandbox.fixture_answers(letter);
    let mut args = vec![
        "write".to_owned(),
        letter.to_owned(),
        "--jurisdiction".into(),
        jurisdiction.into(),
        "--answers".into(),
        answers.display().to_string(),
        "--date".into(),
        "2026-11-23".into(),
        "--set".into(),
        format!("grade={grade}"),
    ];
    if letter != "parent-summary" {
        args.extend(["--set".to_owned(), format!("board_name={board}")]);
    }
    if letter == "escalation" {
        args.extend(["--set".to_owned(), format!("rung={rung}")]);
    }
    args
}

/// How long any one run of iep may take in a test before it is killed and the test fails: a
/// hang fails the test instead of stalling the suite. Generous: the slowest run here (a pack's
/// runaway template, stopped by iep's own 5-second bound) takes a few seconds.
pub const DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);

/// Waits for `child` (its stdout and stderr read as it runs), killing it and failing the test
/// if it is still running after `deadline`.
pub fn wait_with_deadline(
    mut child: std::process::Child,
    deadline: std::time::Duration,
    what: &str,
) -> Output {
    use std::io::Read as _;
    let read = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let out = read(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    );
    let err = read(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    );
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{what} did not finish within {} s: killed",
                deadline.as_secs()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// `iep init DIR` with the Ontario case the tests share: Sam Lee at Maple Grove School, the
/// principal on file.
pub fn init_args(dir: &str) -> Vec<String> {
    [
        "init",
        dir,
        "--no-input",
        "-j",
        "ontario",
        "-s",
        "child_name=Sam Lee",
        "-s",
        "child_dob=2016-04-09",
        "-s",
        "grade=Grade 4",
        "-s",
        "school_name=Maple Grove School",
        "-s",
        "sender_name=Jordan Lee",
        "-s",
        "sender_email=jordan@example.org",
        "--contact",
        "principal=Ms. Amina Patel <a.patel@school.example.org>",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// The answers a French Quebec case needs, but the child's name and the parent's email, which
/// the tests give (or type) themselves: `iep init DIR --no-input --lang fr` with these.
pub const FRENCH_CASE: &[&str] = &[
    "-j",
    "quebec",
    "-s",
    "child_dob=2016-04-09",
    "-s",
    "grade=4e année",
    "-s",
    "school_name=École des Érables",
    "-s",
    "board_kind=service-centre",
    "-s",
    "board_name=Centre de services scolaire des Lacs",
    "-s",
    "student_id=",
    "-s",
    "sender_name=Julie Tremblay",
    "-s",
    "sender_relationship=mother",
    "-s",
    "sender_city=Montréal",
    "-s",
    "sender_phone=",
    "-s",
    "sender_address=",
    "-s",
    "access_needs=",
];
