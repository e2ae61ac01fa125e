//! A small SMTP server on 127.0.0.1 for the tests, started by the tests themselves: EHLO,
//! STARTTLS (rustls, with a certificate made at start), AUTH PLAIN/LOGIN, MAIL/RCPT/DATA, and
//! the failures a real server gives: a chosen reply code at any stage, or a greeting that never
//! comes. It records what it received so tests can parse the bytes back.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;

/// Where a scripted failure happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Mail,
    Rcpt,
    Data,
}

/// How the server behaves.
#[derive(Clone, Default)]
pub struct Behaviour {
    /// The user name and password it accepts; `None`: no AUTH offered.
    pub login: Option<(String, String)>,
    /// Answer this stage with this reply line (for example "451 4.3.0 try later").
    pub fail: Option<(Stage, String)>,
    /// Accept the connection and never say anything.
    pub stall: bool,
    /// Offer STARTTLS with this configuration.
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// Speak TLS from the first byte (port 465 style) with this configuration.
    pub implicit_tls: Option<Arc<rustls::ServerConfig>>,
    /// Accept this XOAUTH2 bearer token for the login's user name.
    pub token: Option<String>,
    /// After reading the whole message, wait this long before answering it (a slow server, or
    /// with a wait longer than iep's timeout, a 250 that comes too late).
    pub answer_after: Option<Duration>,
    /// After reading the whole message, close the connection without answering (the message is
    /// still recorded as received: the server may have kept it).
    pub hang_up_after_data: bool,
}

/// One message the server accepted.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
    pub authed_as: Option<String>,
    pub over_tls: bool,
}

pub struct Server {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
    /// Every line the client sent, for checking that no password is logged in the clear.
    pub lines: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(behaviour: Behaviour) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (r, l) = (received.clone(), lines.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (b, r, l) = (behaviour.clone(), r.clone(), l.clone());
                std::thread::spawn(move || {
                    let _ = session(stream, &b, &r, &l);
                });
            }
        });
        Server {
            port,
            received,
            lines,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// A self-signed certificate for 127.0.0.1 and localhost: (server config, PEM to trust).
pub fn tls_config() -> (Arc<rustls::ServerConfig>, String) {
    tls_config_for(&["localhost", "127.0.0.1"], false)
}

/// A self-signed certificate for `names`, expired in 2021 if `expired`: (server config, PEM to
/// trust).
pub fn tls_config_for(names: &[&str], expired: bool) -> (Arc<rustls::ServerConfig>, String) {
    let mut params =
        rcgen::CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())
            .unwrap();
    if expired {
        params.not_before = rcgen::date_time_ymd(2020, 1, 1);
        params.not_after = rcgen::date_time_ymd(2021, 1, 1);
    }
    let key_pair = rcgen::KeyPair::generate().unwrap();
    let cert = params.self_signed(&key_pair).unwrap();
    let pem = cert.pem();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(key_pair.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], key)
        .unwrap();
    (Arc::new(config), pem)
}

trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

struct Conn {
    stream: Box<dyn Stream>,
    buf: Vec<u8>,
}

impl Conn {
    fn line(&mut self) -> std::io::Result<Option<String>> {
        loop {
            if let Some(i) = self.buf.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=i).collect();
                // SMTP lines end in CRLF; a bare LF is a client bug the tests must see.
                assert!(
                    i > 0 && line[i - 1] == b'\r',
                    "the client sent a bare LF: {:?}",
                    String::from_utf8_lossy(&line)
                );
                return Ok(Some(String::from_utf8_lossy(&line[..i - 1]).into_owned()));
            }
            let mut chunk = [0u8; 4096];
            // A signal to the test process may interrupt a read: read again.
            let n = match self.stream.read(&mut chunk) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => other?,
            };
            if n == 0 {
                return Ok(None);
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    fn say(&mut self, text: &str) -> std::io::Result<()> {
        self.stream.write_all(text.as_bytes())?;
        self.stream.write_all(b"\r\n")?;
        self.stream.flush()
    }
}

fn session(
    tcp: TcpStream,
    b: &Behaviour,
    received: &Mutex<Vec<Received>>,
    lines: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    if b.stall {
        std::thread::sleep(Duration::from_secs(60));
        return Ok(());
    }
    tcp.set_read_timeout(Some(Duration::from_secs(20)))?;
    let raw = tcp.try_clone()?;
    let mut over_tls = false;
    let stream: Box<dyn Stream> = match &b.implicit_tls {
        Some(config) => {
            over_tls = true;
            let conn = rustls::ServerConnection::new(config.clone()).unwrap();
            Box::new(rustls::StreamOwned::new(conn, tcp))
        }
        None => Box::new(tcp),
    };
    let mut c = Conn {
        stream,
        buf: Vec::new(),
    };
    c.say("220 test.local ESMTP ready")?;
    let mut authed_as = None;
    let mut from = String::new();
    let mut to = Vec::new();
    while let Some(line) = c.line()? {
        lines.lock().unwrap().push(line.clone());
        let upper = line.to_ascii_uppercase();
        let fail = |stage: Stage| {
            b.fail
                .as_ref()
                .filter(|(s, _)| *s == stage)
                .map(|(_, r)| r.clone())
        };
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            let mut caps = vec!["250-test.local".to_owned(), "250-8BITMIME".to_owned()];
            if b.tls.is_some() && !over_tls {
                caps.push("250-STARTTLS".into());
            }
            if b.token.is_some() {
                caps.push("250-AUTH XOAUTH2".into());
            } else if b.login.is_some() {
                caps.push("250-AUTH PLAIN LOGIN".into());
            }
            caps.push("250 SMTPUTF8".into());
            c.say(&caps.join("\r\n"))?;
        } else if upper == "STARTTLS" {
            let config = b.tls.clone().expect("STARTTLS is offered only with TLS");
            c.say("220 2.0.0 ready to start TLS")?;
            let conn = rustls::ServerConnection::new(config).unwrap();
            let stream = rustls::StreamOwned::new(conn, raw.try_clone()?);
            c = Conn {
                stream: Box::new(stream),
                buf: Vec::new(),
            };
            over_tls = true;
        } else if upper.starts_with("AUTH XOAUTH2") {
            let b64 = line
                .split_whitespace()
                .nth(2)
                .unwrap_or_default()
                .to_owned();
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap_or_default();
            let text = String::from_utf8_lossy(&decoded).into_owned();
            let user = b
                .login
                .as_ref()
                .map(|(u, _)| u.as_str())
                .unwrap_or_default();
            let expected = format!(
                "user={user}\x01auth=Bearer {}\x01\x01",
                b.token.as_deref().unwrap_or_default()
            );
            if text == expected {
                authed_as = Some(user.to_owned());
                c.say("235 2.7.0 Accepted")?;
            } else {
                c.say("535 5.7.8 Username and Password not accepted")?;
            }
        } else if upper.starts_with("AUTH PLAIN") {
            let b64 = match line.split_whitespace().nth(2) {
                Some(b64) => b64.to_owned(),
                None => {
                    c.say("334 ")?;
                    c.line()?.unwrap_or_default()
                }
            };
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap_or_default();
            let parts: Vec<String> = decoded
                .split(|&x| x == 0)
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .collect();
            let ok = matches!((&b.login, parts.as_slice()), (Some((u, p)), [_, user, pass]) if user == u && pass == p);
            if ok {
                authed_as = Some(parts[1].clone());
                c.say("235 2.7.0 Authentication successful")?;
            } else {
                c.say("535 5.7.8 Authentication credentials invalid")?;
            }
        } else if upper.starts_with("MAIL FROM:") {
            if b.login.is_some() && authed_as.is_none() {
                c.say("530 5.7.0 Authentication required")?;
                continue;
            }
            if let Some(r) = fail(Stage::Mail) {
                c.say(&r)?;
                continue;
            }
            from = line[10..].trim().trim_matches(['<', '>']).to_owned();
            to.clear();
            c.say("250 2.1.0 OK")?;
        } else if upper.starts_with("RCPT TO:") {
            if let Some(r) = fail(Stage::Rcpt) {
                c.say(&r)?;
                continue;
            }
            to.push(line[8..].trim().trim_matches(['<', '>']).to_owned());
            c.say("250 2.1.5 OK")?;
        } else if upper == "DATA" {
            c.say("354 End data with <CR><LF>.<CR><LF>")?;
            let mut data = Vec::new();
            loop {
                let Some(l) = c.line()? else { return Ok(()) };
                if l == "." {
                    break;
                }
                // Transparency (RFC 5321 4.5.2): the client doubles a leading dot; undo it.
                let l = l.strip_prefix('.').unwrap_or(&l);
                data.extend_from_slice(l.as_bytes());
                data.extend_from_slice(b"\r\n");
            }
            if let Some(r) = fail(Stage::Data) {
                c.say(&r)?;
                continue;
            }
            received.lock().unwrap().push(Received {
                from: from.clone(),
                to: to.clone(),
                data,
                authed_as: authed_as.clone(),
                over_tls,
            });
            if b.hang_up_after_data {
                return Ok(());
            }
            if let Some(wait) = b.answer_after {
                std::thread::sleep(wait);
            }
            // The client may have given up by now; the message was received all the same.
            let _ = c.say("250 2.0.0 OK queued as 42");
        } else if upper == "QUIT" {
            c.say("221 2.0.0 Bye")?;
            return Ok(());
        } else if upper == "RSET" || upper == "NOOP" {
            c.say("250 2.0.0 OK")?;
        } else {
            c.say("502 5.5.2 Command not recognized")?;
        }
    }
    Ok(())
}
