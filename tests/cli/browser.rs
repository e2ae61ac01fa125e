//! A parent in a real browser: Debian's headless Chromium driven over WebDriver (ChromeDriver)
//! on 127.0.0.1. Opens the printed address (the key becomes the cookie), writes a letter start
//! to finish with the keyboard's Enter and the page's buttons, changes an answer at the review,
//! saves, and the letter equals the one `iep write` makes from the same answers. Screenshots of
//! the pages at 360 and 1280 pixels wide are kept in the target folder to look at.
//!
//! Chromium comes from `.ci/browser-deps` (apt-get install chromium chromium-driver). Without it
//! the test says so and passes on a developer's machine; in CI (CI set) it fails.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

use crate::serve::http;

const CHROMIUM: &str = "/usr/bin/chromium";
/// axe-core, installed by `.ci/browser-deps`.
const AXE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/.ci/axe/node_modules/axe-core/axe.min.js"
);
const DRIVER: &str = "/usr/bin/chromedriver";

/// ChromeDriver, and one browser session in it.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts ChromeDriver on a free loopback port and a headless Chromium that reaches nothing
    /// but this computer.
    fn start() -> Browser {
        // A free port is only free until someone takes it: another test's server may bind it
        // between here and ChromeDriver. So ChromeDriver must answer its own /status on it, and
        // otherwise it is started again on another port.
        let (driver, port) = (0..5)
            .find_map(|_| Self::driver())
            .expect("chromedriver starts and answers on a free port");
        let profile = tempfile::tempdir().unwrap();
        let mut b = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-extensions".into(),
            "--hide-scrollbars".into(),
            "--force-device-scale-factor=1".into(),
            format!("--user-data-dir={}", b._profile.path().display()),
        ];
        let created = b.call(
            "POST",
            "/session",
            json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {"binary": CHROMIUM, "args": args}
            }}}),
        );
        b.session = created["sessionId"].as_str().unwrap().to_owned();
        b
    }

    /// ChromeDriver on a port that was free a moment ago, once it answers its own `/status`;
    /// `None` when it exited (the port was taken) or another server answered there.
    fn driver() -> Option<(std::process::Child, u16)> {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut driver = Command::new(DRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if start.elapsed() > Duration::from_secs(20)
                || driver.try_wait().ok().flatten().is_some()
            {
                let _ = driver.kill();
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Asked briefly and without panicking: another server there may answer anything.
        let ready = (|| -> std::io::Result<bool> {
            use std::io::{Read as _, Write as _};
            let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
            s.set_read_timeout(Some(Duration::from_secs(10)))?;
            s.write_all(
                format!(
                    "GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
                )
                .as_bytes(),
            )?;
            let mut got = Vec::new();
            let mut chunk = [0u8; 4096];
            loop {
                match s.read(&mut chunk) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Ok(0) | Err(_) => return Ok(false),
                    Ok(n) => got.extend_from_slice(&chunk[..n]),
                }
                if String::from_utf8_lossy(&got).contains("\"ready\"") {
                    return Ok(true);
                }
            }
        })()
        .unwrap_or(false);
        if ready && driver.try_wait().ok().flatten().is_none() {
            Some((driver, port))
        } else {
            let _ = driver.kill();
            None
        }
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let path = if path == "/session" {
            path.to_owned()
        } else {
            format!("/session/{}{path}", self.session)
        };
        let body = if method == "GET" {
            String::new()
        } else {
            body.to_string()
        };
        let r = http(
            self.port,
            &format!(
                "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json",
                self.port
            ),
            body.as_bytes(),
        );
        let v: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
        assert!(
            r.status == 200,
            "WebDriver {method} {path}: {} {}",
            r.status,
            r.body
        );
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url }));
    }

    fn url(&self) -> String {
        self.call("GET", "/url", Value::Null)
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn size(&self, width: u32, height: u32) {
        self.call(
            "POST",
            "/window/rect",
            json!({"width": width, "height": height}),
        );
    }

    fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_owned()
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.call("POST", &format!("/element/{e}/click"), json!({}));
    }

    /// Types into a field; "\u{E007}" is the Enter key.
    fn typed(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            json!({ "text": text }),
        );
    }

    fn clear(&self, css: &str) {
        let e = self.find(css);
        self.call("POST", &format!("/element/{e}/clear"), json!({}));
    }

    /// Waits (up to 10 s) until the page's source holds `text`: after a form is sent, the
    /// next page may still be loading.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let source = self.source();
            if source.contains(text) {
                return source;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the page never showed {text:?}:\n{source}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits (up to 10 s) until the address ends with `end`.
    fn wait_url(&self, end: &str) {
        let start = Instant::now();
        while !self.url().contains(end) {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the page never went to {end}: {}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn source(&self) -> String {
        self.call("GET", "/source", Value::Null)
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// What a script says about the page (WebDriver's scripts are not the page's: its
    /// Content-Security-Policy forbids any).
    fn script(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": []}),
        )
    }

    /// axe-core's WCAG 2.2 A and AA rules on the page as it is: the violations, each as its
    /// rule, its help and the elements, in one line. Run by WebDriver, not by the page (whose
    /// Content-Security-Policy allows no script).
    fn axe(&self, axe: &str) -> Vec<String> {
        let script = format!(
            "{axe}\nconst done = arguments[arguments.length - 1];\naxe.run(document, {{runOnly: {{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}}}}).then(r => done({{passes: r.passes.length, violations: r.violations.map(v => v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))}}), e => done({{passes: 0, violations: ['axe failed: ' + e]}}));"
        );
        let v = self.call(
            "POST",
            "/execute/async",
            json!({"script": script, "args": []}),
        );
        // axe really looked: a page this size passes dozens of its rules.
        let passes = v["passes"].as_u64().unwrap_or(0);
        let mut found: Vec<String> = v["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap_or_default().to_owned())
            .collect();
        if passes < 10 && found.is_empty() {
            found.push(format!("axe-core passed only {passes} rules: did it run?"));
        }
        found
    }

    /// The page at `width` as a PNG, kept as `name`.png in `dir`.
    fn screenshot(&self, dir: &Path, name: &str, width: u32) -> PathBuf {
        // As tall as the page (up to a limit), so the whole page is in the picture.
        self.size(width, 900);
        let height = self
            .script("return document.documentElement.scrollHeight")
            .as_u64()
            .unwrap_or(900)
            .clamp(600, 4000) as u32;
        self.size(width, height + 140);
        let png = self.call("GET", "/screenshot", Value::Null);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap();
        let path = dir.join(format!("{name}-{width}.png"));
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(
                self.port,
                &format!(
                    "DELETE /session/{} HTTP/1.1\r\nHost: 127.0.0.1:{}",
                    self.session, self.port
                ),
                b"",
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Whether the browser is here; in CI it must be.
fn have_browser() -> bool {
    let here = Path::new(CHROMIUM).is_file() && Path::new(DRIVER).is_file();
    if !here {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs the browser test: .ci/browser-deps installs chromium and chromium-driver"
        );
        eprintln!(
            "skipped: the browser test needs {CHROMIUM} and {DRIVER} (bash .ci/browser-deps installs them)"
        );
    }
    here
}

#[test]
fn a_parent_writes_a_letter_in_a_real_browser() {
    if !have_browser() {
        return;
    }
    let axe = match std::fs::read_to_string(AXE) {
        Ok(js) => Some(js),
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI checks every page with axe-core: .ci/browser-deps installs it"
            );
            eprintln!("not checked with axe-core: {AXE} is missing (bash .ci/browser-deps)");
            None
        }
    };
    let mut violations = Vec::new();
    let mut check = |b: &Browser, page: &str| {
        if let Some(js) = &axe {
            for v in b.axe(js) {
                violations.push(format!("{page}: {v}"));
            }
        }
    };
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("serve-screens");
    std::fs::create_dir_all(&shots).unwrap();
    // A case with an observation and one letter, seen after its reply was due.
    let sb = crate::send::case_with_letter();
    let today = "2026-12-15";
    let mut cmd = sb
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", today)
        .args(["serve", "--no-open", "--port", "0"])
        .command();
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut server = cmd.spawn().unwrap();
    let mut address = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(server.stdout.take().unwrap()),
        &mut address,
    )
    .unwrap();
    let address = address.trim().to_owned();
    let origin = address.split("/?").next().unwrap().to_owned();

    let b = Browser::start();
    b.size(1280, 900);
    b.go(&address);
    // The key became the cookie, and left the address bar.
    assert_eq!(b.url(), format!("{origin}/"));
    let home = b.source();
    assert!(
        home.contains("Overdue") && home.contains("Sam Lée"),
        "{home}"
    );
    b.screenshot(&shots, "home", 1280);
    b.screenshot(&shots, "home", 360);
    check(&b, "home");
    // The page reads nothing from anywhere else, and no script runs.
    let sheets = b.script("return document.styleSheets.length");
    assert_eq!(
        sheets,
        json!(1),
        "the stylesheet loads under the page's policy"
    );

    b.size(1280, 900);
    b.click("a[href='/write/implementation-concern']");
    b.wait_url("/write/implementation-concern/q/support");
    b.screenshot(&shots, "question", 1280);
    b.screenshot(&shots, "question", 360);
    check(&b, "question");
    // Enter in an empty field: the engine's reason beside it, the field focused.
    b.typed("#q-support", "\u{E007}");
    b.wait_for("This answer is needed to write the letter.");
    let focused = b.script("return document.activeElement.id");
    assert_eq!(focused, json!("q-support"));
    b.screenshot(&shots, "question-error", 360);
    check(&b, "question with an error");
    // Enter submits with Continue, never a list's Remove or Back.
    b.typed("#q-support", "Access to a scribe\u{E007}");
    b.wait_url("/q/plan_section");
    b.click(".actions button[value='back']");
    b.wait_url("/q/support");
    b.click(".actions button[value='next']");
    b.wait_url("/q/plan_section");
    b.click(".actions button[value='next']"); // left empty
    b.wait_url("/q/examples");
    // The recorded observation about this support is offered, and picked.
    let checked = b.script("return document.querySelector('#q-examples-offer-1').checked");
    assert_eq!(checked, json!(true));
    b.screenshot(&shots, "list", 360);
    check(&b, "list question");
    b.click(".actions button[value='next']");
    b.wait_url("/q/impact");
    b.click(".actions button[value='next']"); // left empty
    b.wait_url("/q/cc");
    b.click(".actions button[value='next']"); // left empty
    b.wait_url("/review");
    b.screenshot(&shots, "review", 1280);
    b.screenshot(&shots, "review", 360);
    check(&b, "review");
    // Changed at the review: back to the review after it.
    b.size(1280, 900);
    b.click("a[href='/write/implementation-concern/q/plan_section']");
    b.wait_url("/q/plan_section");
    b.clear("#q-plan-section");
    b.typed("#q-plan-section", "Accommodations, page 3\u{E007}");
    b.wait_url("/review");
    b.wait_for("Accommodations, page 3");
    b.click("form[action$='/save'] button");
    b.wait_url("/records/2026-12-15-implementation-concern?done=saved");
    b.screenshot(&shots, "record", 360);
    check(&b, "record");
    for (path, name) in [
        ("/chronology", "chronology"),
        ("/observe", "observation form"),
        (
            "/records/2026-11-23-implementation-concern/reply",
            "reply form",
        ),
        (
            "/records/2026-11-23-implementation-concern/send",
            "send question",
        ),
        ("/write/implementation-concern/discard", "discard question"),
    ] {
        b.go(&format!("{origin}{path}"));
        b.screenshot(&shots, name.replace(' ', "-").as_str(), 360);
        check(&b, name);
    }
    assert!(
        violations.is_empty(),
        "axe-core found:\n{}",
        violations.join("\n")
    );
    let _ = server.kill();
    let _ = server.wait();

    // The same answers at the command line.
    sb.iep()
        .in_dir("sam")
        .env("IEP_TODAY", today)
        .args(["write", "implementation-concern", "--no-input"])
        .args(["-s", "support=Access to a scribe"])
        .args(["-s", "plan_section=Accommodations, page 3"])
        .ok();
    let web = sb.read("sam/records/2026-12-15-implementation-concern/letter.txt");
    let cli = sb.read("sam/records/2026-12-15-implementation-concern-2/letter.txt");
    assert_eq!(web, cli);
    assert!(web.contains("no scribe for the unit test"), "{web}");
    eprintln!("screenshots: {}", shots.display());
}
