//! Requests and responses as the page's handlers see them: plain data, apart from the HTTP
//! library, so the handlers never touch a socket and the limits are applied in one place.

use std::io::Read;

/// The most a request's body may hold. A letter's longest answer is a few kilobytes; a form
/// this large is a mistake or an attack, and is refused whole.
pub const MAX_BODY: usize = 256 * 1024;

/// The most a request's address (path and query) may hold.
pub const MAX_URL: usize = 4 * 1024;

/// The methods the page answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Reads; never changes anything.
    Get,
    /// Changes something; needs the form's token.
    Post,
    /// Anything else, refused.
    Other,
}

/// One request, read whole.
#[derive(Debug, Clone)]
pub struct Request {
    /// GET, POST or another.
    pub method: Method,
    /// The path, as sent (`/records/2026-11-23-iep-request`), without the query.
    pub path: String,
    /// The query's pairs, decoded.
    pub query: Vec<(String, String)>,
    /// Header names in lower case, with their values.
    pub headers: Vec<(String, String)>,
    /// A POSTed form's pairs, decoded, in the order sent.
    pub form: Vec<(String, String)>,
}

impl Request {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A query value.
    pub fn query(&self, name: &str) -> Option<&str> {
        pairs_get(&self.query, name)
    }

    /// A form value (the first, when several have the name).
    pub fn field(&self, name: &str) -> Option<&str> {
        pairs_get(&self.form, name)
    }

    /// Every form value with the name, in order.
    pub fn fields(&self, name: &str) -> Vec<String> {
        self.form
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The path's parts between slashes, without empty ones.
    pub fn segments(&self) -> Vec<&str> {
        self.path.split('/').filter(|s| !s.is_empty()).collect()
    }
}

fn pairs_get<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// One response.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers besides the ones every response gets ([`super::guard::Guard::secure`]).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// An HTML page.
    pub fn html(status: u16, body: String) -> Self {
        Response {
            status,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: body.into_bytes(),
        }
    }

    /// Plain text, for refusals that must show nothing of the case.
    pub fn text(status: u16, body: &str) -> Self {
        Response {
            status,
            headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// "See other": after a form, the browser asks for `to` (a path on this server).
    pub fn redirect(to: &str) -> Self {
        Response {
            status: 303,
            headers: vec![("Location".into(), to.to_owned())],
            body: Vec::new(),
        }
    }

    /// Adds a header.
    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// Why a request was not read.
#[derive(Debug, PartialEq, Eq)]
pub enum Unread {
    /// Its body or address is larger than the page takes.
    TooLarge,
    /// Its body is not a form (`application/x-www-form-urlencoded`) or not UTF-8.
    NotAForm,
}

/// Reads a request from tiny_http: the address, the headers and, for a POST, the form, each
/// within its limit.
pub fn read(request: &mut tiny_http::Request) -> Result<Request, Unread> {
    let method = match request.method() {
        tiny_http::Method::Get | tiny_http::Method::Head => Method::Get,
        tiny_http::Method::Post => Method::Post,
        _ => Method::Other,
    };
    let url = request.url().to_owned();
    if url.len() > MAX_URL {
        return Err(Unread::TooLarge);
    }
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_ascii_lowercase(),
                h.value.as_str().to_owned(),
            )
        })
        .collect();
    let mut form = Vec::new();
    if method == Method::Post {
        if request.body_length().is_some_and(|n| n > MAX_BODY) {
            return Err(Unread::TooLarge);
        }
        let mut body = Vec::new();
        request
            .as_reader()
            .take(MAX_BODY as u64 + 1)
            .read_to_end(&mut body)
            .map_err(|_| Unread::NotAForm)?;
        if body.len() > MAX_BODY {
            return Err(Unread::TooLarge);
        }
        let kind = headers
            .iter()
            .find(|(n, _)| n == "content-type")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        if !body.is_empty() && !kind.starts_with("application/x-www-form-urlencoded") {
            return Err(Unread::NotAForm);
        }
        std::str::from_utf8(&body).map_err(|_| Unread::NotAForm)?;
        form = decode(&body);
    }
    Ok(Request {
        method,
        path: path.to_owned(),
        query: decode(query.as_bytes()),
        headers,
        form,
    })
}

/// `a=1&b=two+words` → pairs. Line breaks typed in a text area arrive as CR LF; they are kept as
/// LF, as the terminal gives them.
fn decode(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes)
        .map(|(k, v)| (k.into_owned(), v.replace("\r\n", "\n")))
        .collect()
}

/// Writes a response through tiny_http.
pub fn respond(request: tiny_http::Request, response: Response) -> std::io::Result<()> {
    let mut out = tiny_http::Response::from_data(response.body).with_status_code(response.status);
    for (name, value) in &response.headers {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            out.add_header(h);
        }
    }
    request.respond(out)
}

/// `s` as it may stand in a URL's path or query.
pub fn escape(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
