//! `iep serve` run for real: the binary started as a child process in a sandboxed case, on a
//! free port of 127.0.0.1, and driven over HTTP by a small client written here (no other
//! address is ever reached). The page must refuse what is not its own, and write the same
//! letter as `iep write` from the same answers.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::Duration;

use crate::support::{DEADLINE, Sandbox, wait_with_deadline};

/// One HTTP response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn location(&self) -> &str {
        self.header("location")
            .unwrap_or_else(|| panic!("no Location in a {}:\n{}", self.status, self.body))
    }
}

/// Sends `head` (the request line and headers, without the blank line) and `body` to
/// 127.0.0.1:`port`; reads the whole response.
pub fn http(port: u16, head: &str, body: &[u8]) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // Generous: the browser test sends WebDriver commands through this too, and Chromium can take
    // long to start on a busy two-core machine running every test at once.
    s.set_read_timeout(Some(Duration::from_secs(90))).unwrap();
    let mut request = format!(
        "{head}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    // A server that refuses early may close before reading everything: that is its answer.
    let _ = s.write_all(&request);
    // Read to the end of the body: its length when given (a server may keep the connection
    // open whatever the request said), else to the end of the stream.
    let mut raw = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let split = loop {
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break split;
        }
        match s.read(&mut chunk) {
            Ok(0) => panic!("no response head: {:?}", String::from_utf8_lossy(&raw)),
            // A signal to this test process (another test's child exiting) interrupts a read:
            // read again, as `read_to_end` does.
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => panic!(
                "no response head ({e}): {:?}",
                String::from_utf8_lossy(&raw)
            ),
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
        }
    };
    let length = String::from_utf8_lossy(&raw[..split])
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok());
    match length {
        Some(len) => {
            while raw.len() < split + 4 + len {
                match s.read(&mut chunk) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Ok(0) | Err(_) => break,
                    Ok(n) => raw.extend_from_slice(&chunk[..n]),
                }
            }
        }
        None => {
            let _ = s.read_to_end(&mut raw);
        }
    }
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    if headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        bytes: body,
    }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = raw.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&raw[..end])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&raw[end + 2..end + 2 + size]);
        raw = &raw[end + 2 + size + 2..];
    }
}

/// `a=1&b=2`, encoded.
pub fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// A running `iep serve`, signed in: its cookie and form token. Killed when dropped.
pub struct Served {
    pub child: Child,
    pub port: u16,
    pub key: String,
    pub cookie: String,
    pub csrf: String,
}

impl Served {
    /// Starts `iep serve --no-open --port 0` in `dir` of the sandbox, with IEP_TODAY set to
    /// `today` and `envs`, reads the printed address, and opens it as a browser would.
    pub fn start(sb: &Sandbox, dir: &str, today: &str, envs: &[(&str, &str)]) -> Served {
        let mut run = sb.iep().in_dir(dir).env("IEP_TODAY", today);
        for (k, v) in envs {
            run = run.env(k, v);
        }
        let mut cmd = run.args(["serve", "--no-open", "--port", "0"]).command();
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        if line.is_empty() {
            let out = wait_with_deadline(child, DEADLINE, "iep serve");
            panic!(
                "iep serve printed no address:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // http://127.0.0.1:PORT/?key=KEY
        let address = line.trim();
        let rest = address.strip_prefix("http://127.0.0.1:").expect(address);
        let (port, key) = rest.split_once("/?key=").expect(address);
        let port: u16 = port.parse().unwrap();
        let opened = http(
            port,
            &format!("GET /?key={key} HTTP/1.1\r\nHost: 127.0.0.1:{port}"),
            b"",
        );
        assert_eq!(opened.status, 303, "{}", opened.body);
        let cookie = opened
            .header("set-cookie")
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let mut served = Served {
            child,
            port,
            key: key.to_owned(),
            cookie,
            csrf: String::new(),
        };
        let page = served.get("/observe");
        served.csrf = between(&page.body, "name=\"csrf\" value=\"", "\"").to_owned();
        served
    }

    pub fn request(&self, method: &str, path: &str, extra: &[(&str, &str)], body: &str) -> Resp {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nCookie: {}",
            self.port, self.cookie
        );
        if method == "POST" {
            head.push_str("\r\nContent-Type: application/x-www-form-urlencoded");
        }
        for (k, v) in extra {
            head.push_str(&format!("\r\n{k}: {v}"));
        }
        http(self.port, &head, body.as_bytes())
    }

    pub fn get(&self, path: &str) -> Resp {
        self.request("GET", path, &[], "")
    }

    /// A form as the page sends it, with its token.
    pub fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Resp {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(pairs);
        self.request("POST", path, &[], &form(&all))
    }

    /// Stops the server with Ctrl-C (SIGINT) and waits for it.
    pub fn interrupt(mut self) -> std::process::Output {
        let pid = rustix::process::Pid::from_raw(self.child.id() as i32).unwrap();
        rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
        let child = std::mem::replace(
            &mut self.child,
            std::process::Command::new("true").spawn().unwrap(),
        );
        wait_with_deadline(child, DEADLINE, "iep serve after Ctrl-C")
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The text between `start` and the next `end`.
pub fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in:\n{text}"))
        + start.len();
    let len = text[from..].find(end).unwrap();
    &text[from..from + len]
}

/// HTML text back to plain text (the five entities the templates write).
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

const LETTER: &str = "/write/implementation-concern";

/// The answers the parent gives in the page, by question: the same as the fixture file that
/// `iep write --answers` reads (one date typed the way a parent writes it).
fn answer(key: &str) -> Vec<(&'static str, &'static str)> {
    match key {
        "support" => vec![("support", "Access to a scribe for written tests")],
        "plan_section" => vec![("plan_section", "Accommodations, page 3")],
        "examples" => vec![
            ("examples.rows", "3"),
            ("examples.1.date", "2026-11-04"),
            (
                "examples.1.what",
                "no scribe for the science test; he wrote two lines and stopped",
            ),
            ("examples.2.date", "November 12, 2026"),
            (
                "examples.2.what",
                "the educational assistant was sent to another class during the math quiz",
            ),
            // The spare row, left empty.
            ("examples.3.date", ""),
            ("examples.3.what", ""),
        ],
        "impact" => vec![(
            "impact",
            "Sam failed the science test and now says he hates science.",
        )],
        "cc" => vec![("cc.rows", "1"), ("cc.1.name", ""), ("cc.1.title", "")],
        other => panic!("the page asked `{other}`, which this test does not answer"),
    }
}

/// The question the page goes to next (its key), or `None` at the review.
fn next(s: &Served) -> Option<String> {
    let r = s.get(LETTER);
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.location();
    if to.ends_with("/review") {
        return None;
    }
    Some(to.rsplit('/').next().unwrap().to_owned())
}

fn answer_page(s: &Served, key: &str) -> Resp {
    s.post(&format!("{LETTER}/q/{key}"), &answer(key))
}

#[test]
fn a_letter_written_in_the_page_is_the_letter_iep_write_makes() {
    let sb = Sandbox::new();
    sb.init_case(&[]);
    // The same answers at the command line first: the record the page's must equal.
    let fixture = sb.file(
        "answers.toml",
        &std::fs::read_to_string(format!(
            "{}/answers/implementation-concern.toml",
            crate::support::FIXTURES
        ))
        .unwrap(),
    );
    sb.iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-23")
        .args(["write", "implementation-concern", "--no-input", "--answers"])
        .args([fixture.to_str().unwrap()])
        .ok();

    let s = Served::start(&sb, "sam", "2026-11-23", &[]);
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("<html lang=\"en-CA\">"), "Ontario's");
    assert!(home.body.contains("Sam Lee") && home.body.contains("Maple Grove School"));
    assert!(
        home.body.contains("href=\"/write/implementation-concern\"")
            && home
                .body
                .contains("A support written in the plan is not being given"),
        "each letter with when to use it:\n{}",
        home.body
    );

    // The case answers who the letter is to: the first question asked is the support, 1 of 5.
    assert_eq!(next(&s).as_deref(), Some("support"));
    let first = s.get(&format!("{LETTER}/q/support"));
    assert!(first.body.contains("Question 1 of 5"), "{}", first.body);
    assert!(
        first.body.contains("Quote the plan exactly.")
            && first
                .body
                .contains("For example: Access to a scribe for written tests"),
        "help and example:\n{}",
        first.body
    );
    assert!(first.body.contains("<label for=\"q-support\">"));
    // Back at the first question stays there and says so, as at the terminal.
    let back = s.post(&format!("{LETTER}/q/support"), &[("go", "back")]);
    assert!(
        back.body
            .contains("This is the first question: there is nothing before it."),
        "{}",
        back.body
    );
    // A needed answer left empty is refused beside the field, in the engine's words.
    let empty = s.post(&format!("{LETTER}/q/support"), &[("support", " ")]);
    assert_eq!(empty.status, 422);
    assert!(
        empty.body.contains(
            "<p class=\"error\" id=\"q-support-error\" role=\"alert\">This answer is needed to write the letter.</p>"
        ),
        "{}",
        empty.body
    );
    assert!(empty.body.contains("aria-describedby=\"q-support-error"));
    assert_eq!(answer_page(&s, "support").status, 303);

    // Back from the next question returns to the one before, with its answer.
    assert_eq!(next(&s).as_deref(), Some("plan_section"));
    let back = s.post(&format!("{LETTER}/q/plan_section"), &[("go", "back")]);
    assert_eq!(back.location(), format!("{LETTER}/q/support"));
    let again = s.get(back.location());
    assert!(
        again
            .body
            .contains("value=\"Access to a scribe for written tests\""),
        "{}",
        again.body
    );
    assert_eq!(answer_page(&s, "support").status, 303);
    assert_eq!(answer_page(&s, "plan_section").status, 303);

    // A date that does not exist: refused beside the list, what was typed kept, nothing taken.
    assert_eq!(next(&s).as_deref(), Some("examples"));
    let bad = s.post(
        &format!("{LETTER}/q/examples"),
        &[
            ("examples.rows", "1"),
            ("examples.1.date", "31 February 2026"),
            ("examples.1.what", "no scribe"),
        ],
    );
    assert_eq!(bad.status, 422);
    let error = between(&bad.body, "id=\"q-examples-error\" role=\"alert\">", "</p>");
    assert!(error.contains("is not a real date"), "{error}");
    // The terminal's words: the engine's message, ending in a full stop.
    assert!(error.ends_with('.'), "{error}");
    assert!(bad.body.contains("value=\"31 February 2026\""));
    assert_eq!(next(&s).as_deref(), Some("examples"));
    // Adding a row keeps what was typed and takes nothing yet.
    let added = s.post(
        &format!("{LETTER}/q/examples"),
        &[
            ("go", "add-examples"),
            ("examples.rows", "1"),
            ("examples.1.date", "2026-11-04"),
            ("examples.1.what", "no scribe"),
        ],
    );
    assert!(
        added.body.contains("<legend>Example 2</legend>"),
        "{}",
        added.body
    );
    assert!(added.body.contains("value=\"no scribe\""));
    assert_eq!(answer_page(&s, "examples").status, 303);

    // Closing the page (here: stopping the server) loses nothing: the draft goes on.
    let draft = sb
        .path()
        .join("sam/drafts/implementation-concern.answers.toml");
    assert!(draft.is_file());
    drop(s);
    let s = Served::start(&sb, "sam", "2026-11-23", &[]);
    assert!(
        s.get("/").body.contains("Go on with A support in the plan"),
        "the home page lists the unfinished letter"
    );
    let mut asked = Vec::new();
    while let Some(key) = next(&s) {
        assert!(asked.len() < 10, "{asked:?}");
        let r = answer_page(&s, &key);
        assert_eq!(r.status, 303, "{key}: {}", r.body);
        asked.push(key);
    }
    assert_eq!(asked, ["impact", "cc"]);

    // The review: every answer with a change link, and the letter as it will be saved.
    let review = s.get(&format!("{LETTER}/review"));
    assert_eq!(review.status, 200);
    assert!(
        review
            .body
            .contains(&format!("href=\"{LETTER}/q/plan_section\""))
    );
    let preview = unescape(between(&review.body, "<pre class=\"letter\"", "</pre>"));
    let saved = s.post(&format!("{LETTER}/save"), &[]);
    assert_eq!(
        saved.location(),
        "/records/2026-11-23-implementation-concern-2?done=saved"
    );
    let page = s.get(saved.location());
    assert!(
        page.body
            .contains("Saved: the letter is recorded in the case.")
    );

    let cli = sb.read("sam/records/2026-11-23-implementation-concern/letter.txt");
    let web = sb.read("sam/records/2026-11-23-implementation-concern-2/letter.txt");
    assert_eq!(
        web, cli,
        "the page's letter is the command line's, byte for byte"
    );
    assert!(
        preview.ends_with(&cli),
        "the preview is the letter as saved"
    );
    assert!(
        !draft.exists(),
        "the draft goes once the letter is recorded"
    );
    // A second Save (another tab) makes no second record.
    let twice = s.post(&format!("{LETTER}/save"), &[]);
    assert_eq!(twice.status, 303);
    assert!(
        !sb.path()
            .join("sam/records/2026-11-23-implementation-concern-3")
            .exists()
    );
}

#[test]
fn the_page_refuses_what_is_not_its_own() {
    let sb = Sandbox::new();
    sb.init_case(&[]);
    let s = Served::start(&sb, "sam", "2026-11-23", &[]);
    let host = format!("Host: 127.0.0.1:{}", s.port);

    // No secret: refused, and nothing of the case is shown.
    let bare = http(s.port, &format!("GET / HTTP/1.1\r\n{host}"), b"");
    assert_eq!(bare.status, 403);
    assert!(!bare.body.contains("Sam"), "{}", bare.body);
    // The printed key worked once (Served::start used it); a second browser is refused.
    let reused = http(
        s.port,
        &format!("GET /?key={} HTTP/1.1\r\n{host}", s.key),
        b"",
    );
    assert_eq!(reused.status, 403);
    // A wrong cookie is no cookie.
    let forged = http(
        s.port,
        &format!("GET / HTTP/1.1\r\n{host}\r\nCookie: iep-{}=00", s.port),
        b"",
    );
    assert_eq!(forged.status, 403);
    // Another name for 127.0.0.1 (DNS rebinding) is refused, even with the cookie.
    let rebound = http(
        s.port,
        &format!(
            "GET / HTTP/1.1\r\nHost: attacker.example:{}\r\nCookie: {}",
            s.port, s.cookie
        ),
        b"",
    );
    assert_eq!(rebound.status, 421);
    assert!(!rebound.body.contains("Sam"));

    // A form without its token, or from another site, changes nothing.
    let observation = form(&[
        ("date", "2026-11-04"),
        ("support", "A scribe"),
        ("what", "no scribe"),
    ]);
    let no_token = s.request("POST", "/observe", &[], &observation);
    assert_eq!(no_token.status, 403);
    let with_token = format!("csrf={}&{observation}", s.csrf);
    let foreign = s.request(
        "POST",
        "/observe",
        &[("Origin", "http://attacker.example")],
        &with_token,
    );
    assert_eq!(foreign.status, 403);
    let observations = sb.path().join("sam/observations");
    let count = || {
        std::fs::read_dir(&observations)
            .map(|d| d.count())
            .unwrap_or(0)
    };
    assert_eq!(count(), 0, "nothing was recorded");
    // A huge field is refused whole.
    let huge = format!("csrf={}&what={}", s.csrf, "x".repeat(300 * 1024));
    assert_eq!(s.request("POST", "/observe", &[], &huge).status, 413);
    assert_eq!(count(), 0);
    // A path where a record id goes names no record.
    assert_eq!(s.get("/records/..%2F..%2Fiep-case.toml").status, 404);
    assert_eq!(s.get("/records/../iep-case.toml").status, 404);
    // The same form, from the page, is taken; what it says is escaped wherever it is shown.
    let ok = s.request(
        "POST",
        "/observe",
        &[("Origin", &format!("http://127.0.0.1:{}", s.port))],
        &format!(
            "csrf={}&{}",
            s.csrf,
            form(&[
                ("date", "2026-11-04"),
                ("support", "A <b>scribe</b>"),
                ("what", "no scribe <script>alert(1)</script>"),
            ])
        ),
    );
    assert_eq!(ok.location(), "/?done=observation");
    assert_eq!(count(), 1);
    let chronology = s.get("/chronology");
    assert!(
        chronology
            .body
            .contains("no scribe &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        chronology.body
    );
    assert!(!chronology.body.contains("<script>"));

    // Every page says how it may be used.
    let home = s.get("/");
    let csp = home.header("content-security-policy").unwrap();
    for part in [
        "default-src 'none'",
        "style-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert_eq!(home.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(home.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert!(!home.body.contains("http://") && !home.body.contains("https://"));
    let css = s.get("/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.body.contains("url("), "nothing loaded from anywhere");
}

#[test]
fn the_key_leaves_the_address_and_the_cookie_is_private() {
    let sb = Sandbox::new();
    sb.init_case(&[]);
    let mut cmd = sb
        .iep()
        .in_dir("sam")
        .args(["serve", "--no-open", "--port", "0"])
        .command();
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let rest = line.trim().strip_prefix("http://127.0.0.1:").unwrap();
    let (port, key) = rest.split_once("/?key=").unwrap();
    assert_eq!(key.len(), 64, "256 random bits");
    let port: u16 = port.parse().unwrap();
    let r = http(
        port,
        &format!("GET /chronology?key={key} HTTP/1.1\r\nHost: localhost:{port}"),
        b"",
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        r.location(),
        "/chronology",
        "the same page, without the key"
    );
    let cookie = r.header("set-cookie").unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_reply_recorded_in_the_page_takes_the_letter_off_the_overdue_list() {
    let sb = crate::send::case_with_letter();
    let id = crate::send::RECORD;
    // Past the reply-by date (December 7): overdue.
    let s = Served::start(&sb, "sam", "2026-12-15", &[]);
    let home = s.get("/");
    let overdue = between(&home.body, "<h2 id=\"overdue\">", "<h2>");
    assert!(overdue.contains(&format!("/records/{id}")), "{overdue}");

    let form = s.get(&format!("/records/{id}/reply"));
    assert!(form.body.contains("Is this support being given now?"));
    // A reply dated before the letter is refused whole, with the command's own reason.
    let early = s.post(
        &format!("/records/{id}/reply"),
        &[
            ("date", "2026-11-01"),
            ("from", "Ms. Patel"),
            ("summary", "Yes."),
        ],
    );
    assert_eq!(early.status, 422, "{}", early.body);
    assert!(early.body.contains("before the letter it answers"));
    let done = s.post(
        &format!("/records/{id}/reply"),
        &[
            ("date", "2026-12-01"),
            ("from", "Ms. Amina Patel, Principal"),
            ("summary", "The scribe is back from December 1."),
            ("answered", "1"),
            ("answered", "2"),
        ],
    );
    assert_eq!(done.location(), format!("/records/{id}?done=reply"));
    let record = sb.read(&format!("sam/records/{id}/record.toml"));
    assert!(record.contains("status = \"reply\""), "{record}");
    assert!(record.contains("The scribe is back from December 1."));
    let page = s.get(done.location());
    assert!(page.body.contains("answered</span>"), "{}", page.body);
    let home = s.get("/");
    let overdue = between(&home.body, "<h2 id=\"overdue\">", "<h2>");
    assert!(!overdue.contains(&format!("/records/{id}")), "{overdue}");
    assert!(overdue.contains("No reply is overdue."));
    // It answered two of five questions: the letter stays open, as `iep due` says.
    let open = between(&home.body, "<h2>Answered in part</h2>", "<h2>");
    assert!(
        open.contains("the reply left 3 of 5 questions unanswered"),
        "{open}"
    );
}

#[test]
fn sending_asks_first_with_no_as_the_default_and_goes_through_iep_send() {
    use crate::smtp_server::{Behaviour, Server};
    let sb = crate::send::case_with_letter();
    let id = crate::send::RECORD;
    let server = Server::start(Behaviour {
        login: Some(("jordan@example.org".into(), crate::send::PASSWORD.into())),
        ..Behaviour::default()
    });
    crate::send::configure_with(&sb, server.port, "none", None, 10, &[]);
    let s = Served::start(
        &sb,
        "sam",
        "2026-11-23",
        &[("IEP_SMTP_PASSWORD", crate::send::PASSWORD)],
    );
    let record = s.get(&format!("/records/{id}"));
    assert!(record.body.contains(&format!("/records/{id}/letter.eml")));
    // Printing goes through iep print and iep bundle themselves.
    assert!(record.body.contains(&format!("/records/{id}/letter.pdf")));
    let pdf = s.get(&format!("/records/{id}/letter.pdf"));
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.bytes.starts_with(b"%PDF"));
    let bundle = s.get("/bundle.pdf");
    assert_eq!(bundle.status, 200, "{}", bundle.body);
    assert!(bundle.bytes.starts_with(b"%PDF"));
    let eml = s.get(&format!("/records/{id}/letter.eml"));
    assert_eq!(eml.header("content-type"), Some("message/rfc822"));
    assert!(eml.body.starts_with("X-Unsent: 1"));

    let ask = s.get(&format!("/records/{id}/send"));
    assert!(
        ask.body
            .contains("Send this letter to Ms. Amina Patel, Principal now?")
    );
    // No comes first, so Enter means no, as at the terminal.
    let no = ask.body.find("value=\"no\"").unwrap();
    assert!(no < ask.body.find("value=\"yes\"").unwrap());
    let not_sent = s.post(&format!("/records/{id}/send"), &[("answer", "no")]);
    assert_eq!(not_sent.location(), format!("/records/{id}?done=not-sent"));
    assert!(server.received().is_empty());

    let sent = s.post(&format!("/records/{id}/send"), &[("answer", "yes")]);
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("accepted the letter"), "{}", sent.body);
    assert_eq!(server.received().len(), 1);
    let history = crate::send::history(&sb);
    assert!(history.contains("status = \"sending\"") && history.contains("status = \"sent\""));
    // Sent once: a second yes (a reload) is refused by iep send itself.
    let again = s.post(&format!("/records/{id}/send"), &[("answer", "yes")]);
    assert!(again.body.contains("was already sent"), "{}", again.body);
    assert_eq!(server.received().len(), 1);
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let sb = Sandbox::new();
    sb.init_case(&[]);
    let s = Served::start(&sb, "sam", "2026-11-23", &[]);
    let out = s.interrupt();
    assert_eq!(out.status.code(), Some(0));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("stopped serving (Ctrl-C). Nothing is lost"),
        "{said}"
    );
}

#[test]
fn without_a_case_it_says_how_to_make_one() {
    let sb = Sandbox::new();
    let said = sb.iep().args(["serve", "--no-open"]).fails();
    assert!(
        said.contains("iep init DIR") && said.contains("--case DIR"),
        "{said}"
    );
}

#[test]
fn an_overdue_letter_links_its_next_step_which_the_page_writes_as_a_follow_up() {
    let sb = crate::send::case_with_letter();
    let id = crate::send::RECORD;
    let s = Served::start(&sb, "sam", "2026-12-15", &[]);
    let home = s.get("/");
    let link = format!("/write/escalation@{id}?rung=superintendent");
    assert!(home.body.contains(&link), "{}", home.body);
    // The rung is taken once, into the draft; the address goes on without it.
    let start = s.get(&link);
    let base = format!("/write/escalation@{id}");
    assert_eq!(start.location(), base);
    let draft = sb.read("sam/drafts/escalation.answers.toml");
    assert!(draft.contains("rung = \"superintendent\""), "{draft}");
    let answers = |key: &str| -> Vec<(&'static str, &'static str)> {
        match key {
            "issue" => vec![("issue", "The scribe in the IEP is still not provided.")],
            "remedy" => vec![(
                "remedy",
                "that the scribe be provided for every written test from now on",
            )],
            "recipient_name" => vec![("recipient_name", "Mr. Dan Brooks")],
            "recipient_email" => vec![("recipient_email", "d.brooks@board.example.org")],
            "board_name" => vec![("board_name", "Lakeside District")],
            // The earlier letter is offered and picked.
            "contacts" => vec![("contacts.offer", "0"), ("contacts.rows", "0")],
            "cc" => vec![("cc.rows", "0")],
            other => panic!("the follow-up asked `{other}`"),
        }
    };
    let mut asked = Vec::new();
    loop {
        let r = s.get(&base);
        let to = r.location().to_owned();
        if to.ends_with("/review") {
            break;
        }
        let key = to.rsplit('/').next().unwrap().to_owned();
        assert!(!asked.contains(&key) && asked.len() < 12, "{asked:?} {key}");
        let page = s.get(&to);
        assert!(page.body.contains("Question "), "{}", page.body);
        let r = s.post(&to, &answers(&key));
        assert_eq!(r.status, 303, "{key}: {}", r.body);
        asked.push(key);
    }
    assert!(!asked.contains(&"rung".to_owned()), "{asked:?}");
    let saved = s.post(&format!("{base}/save"), &[]);
    assert_eq!(
        saved.location(),
        "/records/2026-12-15-escalation?done=saved"
    );
    let record = sb.read("sam/records/2026-12-15-escalation/record.toml");
    assert!(record.contains(&format!("follows = \"{id}\"")), "{record}");
    let letter = sb.read("sam/records/2026-12-15-escalation/letter.txt");
    assert!(
        letter.contains("November 23, 2026"),
        "the chronology:\n{letter}"
    );
    // The letter followed is no longer overdue: a follow-up went.
    let home = s.get("/");
    let overdue = between(&home.body, "<h2 id=\"overdue\">", "<h2>");
    assert!(!overdue.contains(&format!("/records/{id}\"")), "{overdue}");
    // A follow-up of a record that is not in the case is no page.
    assert_eq!(s.get("/write/escalation@2026-01-01-nothing").status, 404);
}

/// A French case for Quebec, "dossier", with one letter written by `iep write` on 2026-11-23.
fn french_case() -> Sandbox {
    let sb = Sandbox::new();
    sb.iep()
        .args(["init", "dossier", "--no-input", "--lang", "fr"])
        .args(crate::support::FRENCH_CASE)
        .args(["-s", "child_name=Élodie Tremblay"])
        .args(["-s", "sender_email=julie@example.org"])
        .args([
            "--contact",
            "principal=Mme Sophie Gagnon <s.gagnon@ecole.example.org>",
        ])
        .ok();
    let fixture = sb.file(
        "reponses.toml",
        &std::fs::read_to_string(format!(
            "{}/answers/implementation-concern.toml",
            crate::support::FIXTURES
        ))
        .unwrap(),
    );
    sb.iep()
        .in_dir("dossier")
        .env("IEP_TODAY", "2026-11-23")
        .args(["write", "implementation-concern", "--no-input", "--answers"])
        .args([fixture.to_str().unwrap()])
        .ok();
    sb
}

#[test]
fn a_french_case_gets_the_page_in_french_and_the_same_french_letter() {
    let sb = french_case();
    let s = Served::start(&sb, "dossier", "2026-11-23", &[]);
    let home = s.get("/");
    assert!(home.body.contains("<html lang=\"fr\">"), "{}", home.body);
    let mut asked = Vec::new();
    while let Some(key) = next(&s) {
        assert!(asked.len() < 12, "{asked:?}");
        let page = s.get(&format!("{LETTER}/q/{key}"));
        if asked.is_empty() {
            assert!(page.body.contains("Question 1 sur "), "{}", page.body);
            let back = s.post(&format!("{LETTER}/q/{key}"), &[("go", "back")]);
            assert!(
                unescape(&back.body).contains("C'est la première question"),
                "the terminal's words, in French:\n{}",
                back.body
            );
        }
        // The letter's own questions as in the fixture; the rest French asks, left empty
        // here as --no-input leaves them.
        let r = match key.as_str() {
            "support" | "plan_section" | "examples" | "impact" | "cc" => answer_page(&s, &key),
            other => s.post(&format!("{LETTER}/q/{other}"), &[(other, "")]),
        };
        assert_eq!(r.status, 303, "{key}: {}", r.body);
        asked.push(key);
    }
    let review = s.get(&format!("{LETTER}/review"));
    assert!(review.body.contains("Enregistrer"), "{}", review.body);
    let saved = s.post(&format!("{LETTER}/save"), &[]);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let cli = sb.read("dossier/records/2026-11-23-implementation-concern/letter.txt");
    let web = sb.read("dossier/records/2026-11-23-implementation-concern-2/letter.txt");
    assert!(cli.contains("Objet"), "a French letter:\n{cli}");
    assert_eq!(web, cli);
}

/// The page's own English words, which a French page must not show.
const PAGE_ENGLISH: &[&str] = &[
    "Write a letter",
    ">Continue<",
    ">Back<",
    "Stop for now",
    "Overdue",
    "Record a reply",
    ">Change<",
    "Home",
    "Chronology",
    "Note what happened",
    "Served by iep",
    "Waiting for a reply",
    "Last letters",
    "Something did not happen",
    "Check your answers",
    "exactly as it will be saved",
    "What you can do",
    "History",
    "The letter",
    "Kept in",
    "Reply by",
    "Status",
    "Subject",
    "Skip to the page",
    "you may leave this empty",
    "Or pick the date",
    "Add a",
    "Add an",
    "Add another",
    "Remove ",
    "The reply was due",
    "Letters, replies",
    "evidence bundle",
    "Cancel",
    "It asked",
    "Your letter of",
    "A reply to",
];

#[test]
fn every_page_of_a_french_case_speaks_french() {
    let sb = french_case();
    // Past the letter's reply-by date: the home page lists it as overdue.
    let s = Served::start(&sb, "dossier", "2027-01-15", &[]);
    let record = "/records/2026-11-23-implementation-concern";
    let mut pages = vec![("/".to_owned(), s.get("/"))];
    let first = next(&s).expect("a first question");
    pages.push((
        format!("{LETTER}/q/{first}"),
        s.get(&format!("{LETTER}/q/{first}")),
    ));
    let mut asked = 0;
    while let Some(key) = next(&s) {
        asked += 1;
        assert!(asked < 12, "{key}");
        let page = s.get(&format!("{LETTER}/q/{key}"));
        pages.push((format!("{LETTER}/q/{key}"), page));
        let r = match key.as_str() {
            "support" | "plan_section" | "examples" | "impact" | "cc" => answer_page(&s, &key),
            other => s.post(&format!("{LETTER}/q/{other}"), &[(other, "")]),
        };
        assert_eq!(r.status, 303, "{key}: {}", r.body);
    }
    for path in [
        format!("{LETTER}/review"),
        record.to_owned(),
        format!("{record}/reply"),
        "/observe".to_owned(),
        "/chronology".to_owned(),
        "/nowhere".to_owned(),
    ] {
        let page = s.get(&path);
        pages.push((path, page));
    }
    let home = &pages[0].1.body;
    assert!(home.contains("En retard"), "{home}");
    assert!(
        home.contains("jours, et aucune"),
        "the overdue line:\n{home}"
    );
    for (path, page) in &pages {
        let body = unescape(&page.body);
        assert!(body.contains("<html lang=\"fr\">"), "{path}:\n{body}");
        for phrase in PAGE_ENGLISH {
            assert!(
                !body.contains(phrase),
                "{path}: the English \"{phrase}\" on a French page:\n{body}"
            );
        }
        assert!(!body.contains("{board}"), "{path}:\n{body}");
    }
    // The next steps the home page suggests are said as `iep due` says them, in French.
    assert!(home.contains("tape suivante"), "{home}");
    assert!(!home.contains("December"), "dates in French:\n{home}");
}
