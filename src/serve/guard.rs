//! Who may see the page: only this computer, only the browser that opened the printed address,
//! and only forms the page itself made.
//!
//! - The server listens on 127.0.0.1 alone, and a request's `Host` must be `127.0.0.1:PORT` or
//!   `localhost:PORT`: a web page that points its own domain name at 127.0.0.1 (DNS
//!   rebinding) is refused before anything else is read.
//! - The printed address carries a one-time key. Opening it sets a cookie holding the session
//!   secret (HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it) and
//!   redirects to the same page without the key, so the key leaves the address bar and the
//!   history. The key works once; the cookie is needed for every request after.
//! - Every form that changes anything carries the session's form token, compared in constant
//!   time; a POST whose `Origin` names another site is refused too (the page's own forms say
//!   `Origin: null`, since no referrer is sent).
//! - Every response says: no scripts, styles only from this server, forms only to it, never in
//!   a frame (Content-Security-Policy), no sniffing, no referrer, nothing kept in a cache.

use super::http::{Method, Request, Response};

/// The page's secrets and the address it is served at.
#[derive(Debug)]
pub struct Guard {
    port: u16,
    /// The one-time key in the printed address; `None` once used.
    key: Option<String>,
    /// The cookie's value.
    session: String,
    /// The token every form that changes anything carries.
    csrf: String,
}

/// What the guard decided about a request.
#[derive(Debug)]
pub enum Verdict {
    /// Let it through to the page.
    Pass,
    /// Answer with this instead (a refusal, or the redirect that sets the cookie).
    Answer(Response),
}

/// The Content-Security-Policy of every response: nothing but this server's own stylesheet and
/// forms, no scripts at all, never framed.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// 32 random bytes from the operating system, as hex.
fn secret() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Equal, taking the same time wherever the first difference is.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl Guard {
    /// New secrets for a page served at 127.0.0.1:`port`.
    pub fn new(port: u16) -> std::io::Result<Self> {
        Ok(Guard {
            port,
            key: Some(secret()?),
            session: secret()?,
            csrf: secret()?,
        })
    }

    /// The address to open: the page with its one-time key.
    pub fn address(&self) -> String {
        format!(
            "http://127.0.0.1:{}/?key={}",
            self.port,
            self.key.as_deref().unwrap_or_default()
        )
    }

    /// The token forms carry.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    /// The cookie's name: one per port, since browsers share cookies across a host's ports.
    fn cookie_name(&self) -> String {
        format!("iep-{}", self.port)
    }

    /// Checks a request, in order: its Host, its key or cookie, and for a POST its origin and
    /// form token.
    pub fn check(&mut self, req: &Request) -> Verdict {
        let hosts = [
            format!("127.0.0.1:{}", self.port),
            format!("localhost:{}", self.port),
        ];
        let host = req.header("host").unwrap_or_default();
        if !hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return Verdict::Answer(Response::text(
                421,
                "iep serves this page only as 127.0.0.1 on this computer. Open the address iep serve printed.\n",
            ));
        }
        if req.method == Method::Other {
            return Verdict::Answer(Response::text(405, "Only GET and POST are answered.\n"));
        }
        let cookie = self.cookie(req);
        let signed_in = cookie.is_some_and(|c| same(c, &self.session));
        if let Some(given) = req.query("key") {
            let fresh = self.key.as_deref().is_some_and(|k| same(k, given));
            if fresh || signed_in {
                if fresh {
                    self.key = None;
                }
                // The key leaves the address: the same page, without it.
                let rest: Vec<String> = req
                    .query
                    .iter()
                    .filter(|(k, _)| k != "key")
                    .map(|(k, v)| format!("{}={}", super::http::escape(k), super::http::escape(v)))
                    .collect();
                let mut to = if req.path.starts_with('/') && !req.path.starts_with("//") {
                    req.path.clone()
                } else {
                    "/".to_owned()
                };
                if !rest.is_empty() {
                    to.push('?');
                    to.push_str(&rest.join("&"));
                }
                return Verdict::Answer(Response::redirect(&to).with(
                    "Set-Cookie",
                    &format!(
                        "{}={}; HttpOnly; SameSite=Strict; Path=/",
                        self.cookie_name(),
                        self.session
                    ),
                ));
            }
            return Verdict::Answer(Response::text(
                403,
                "This address was already used, or is not the one iep serve printed. It works once, in one browser.\nTo open the page again, stop iep serve (Ctrl-C) and start it again: it prints a new address.\n",
            ));
        }
        if !signed_in {
            return Verdict::Answer(Response::text(
                403,
                "This page needs the address iep serve printed (with its key), opened in this browser.\nTo get a new one, stop iep serve (Ctrl-C) and start it again.\n",
            ));
        }
        if req.method == Method::Post {
            let origins = hosts.map(|h| format!("http://{h}"));
            // Under `Referrer-Policy: no-referrer` the page's own forms arrive with
            // `Origin: null`: that tells nothing, and the token decides. A named origin must be
            // this page's.
            if let Some(origin) = req.header("origin")
                && origin != "null"
                && !origins.iter().any(|o| o.eq_ignore_ascii_case(origin))
            {
                return Verdict::Answer(Response::text(
                    403,
                    "This form came from another site. Nothing was changed.\n",
                ));
            }
            if !req.field("csrf").is_some_and(|t| same(t, &self.csrf)) {
                return Verdict::Answer(Response::text(
                    403,
                    "This form was not made by this page (its safety token is missing or out of date), so nothing was changed. Go back, reload the page, and try again.\n",
                ));
            }
        }
        Verdict::Pass
    }

    /// This server's cookie in the request, if any.
    fn cookie<'r>(&self, req: &'r Request) -> Option<&'r str> {
        let name = self.cookie_name();
        req.headers
            .iter()
            .filter(|(n, _)| n == "cookie")
            .flat_map(|(_, v)| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// Adds the headers every response gets.
    pub fn secure(response: &mut Response) {
        for (name, value) in [
            ("Content-Security-Policy", CSP),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("X-Frame-Options", "DENY"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Resource-Policy", "same-origin"),
            ("Cache-Control", "no-store"),
        ] {
            response.headers.push((name.to_owned(), value.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: Method, path: &str, headers: &[(&str, &str)], form: &[(&str, &str)]) -> Request {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        Request {
            method,
            path: path.to_owned(),
            query: form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            form: form
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    fn status(v: Verdict) -> u16 {
        match v {
            Verdict::Pass => 200,
            Verdict::Answer(r) => r.status,
        }
    }

    #[test]
    fn the_key_works_once_then_the_cookie_is_needed() {
        let mut g = Guard::new(4000).unwrap();
        let key = g.address().split("key=").nth(1).unwrap().to_owned();
        let host = ("host", "127.0.0.1:4000");
        assert_eq!(status(g.check(&req(Method::Get, "/", &[host], &[]))), 403);
        let Verdict::Answer(r) = g.check(&req(Method::Get, &format!("/?key={key}"), &[host], &[]))
        else {
            panic!("the key answers with a redirect")
        };
        assert_eq!(r.status, 303);
        let cookie = r.headers.iter().find(|(n, _)| n == "Set-Cookie").unwrap();
        assert!(cookie.1.contains("HttpOnly") && cookie.1.contains("SameSite=Strict"));
        let value = cookie.1.split(';').next().unwrap().to_owned();
        // Used: another browser with the same address is refused.
        let again = req(Method::Get, &format!("/?key={key}"), &[host], &[]);
        assert_eq!(status(g.check(&again)), 403);
        let signed = [host, ("cookie", value.as_str())];
        assert_eq!(status(g.check(&req(Method::Get, "/", &signed, &[]))), 200);
        // Another site's name for 127.0.0.1 is refused, cookie or not.
        let rebound = [("host", "evil.example:4000"), ("cookie", value.as_str())];
        assert_eq!(status(g.check(&req(Method::Get, "/", &rebound, &[]))), 421);
        // A form needs the token, and may not come from another site.
        let csrf = g.csrf().to_owned();
        assert_eq!(status(g.check(&req(Method::Post, "/x", &signed, &[]))), 403);
        let ok = req(Method::Post, "/x", &signed, &[("csrf", &csrf)]);
        assert_eq!(status(g.check(&ok)), 200);
        let foreign = [
            host,
            ("cookie", value.as_str()),
            ("origin", "http://evil.example"),
        ];
        let forged = req(Method::Post, "/x", &foreign, &[("csrf", &csrf)]);
        assert_eq!(status(g.check(&forged)), 403);
    }
}
