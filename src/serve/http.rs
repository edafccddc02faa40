//! Serve: HTTP. Maps a request to a file of the served snapshot (never to the disk), a PDF from the
//! backend, a redirect, the event stream or a 404, and answers it: HTTP/1.1 with keep-alive, one
//! thread per connection, request heads parsed by `httparse`.
//!
//! A thread per connection, not a pool: a browser keeps several connections open and idle, and a
//! pool that a few idle connections fill starves the next ones (tiny_http's does, under Chromium).

use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use super::live::EVENTS_PATH;
use super::page;
use super::{Note, ServeError, Shared, Snapshot};

/// An idle keep-alive connection is closed after this long; so is one that sends its request head
/// slower than this (a stuck or hostile client).
const IDLE: Duration = Duration::from_secs(30);

/// The longest request head read: a browser's is under 2 KB.
const MAX_HEAD: usize = 16 * 1024;

/// More open connections than this is not a person previewing a site: new ones are closed at once.
const MAX_CONNECTIONS: usize = 256;

/// Listens on `addr`; a port in use is its own error, for its hint.
pub fn listen(addr: SocketAddr) -> Result<TcpListener, ServeError> {
    TcpListener::bind(addr).map_err(|err| match err.kind() {
        io::ErrorKind::AddrInUse => ServeError::PortInUse(addr),
        _ => ServeError::Bind(addr, err),
    })
}

/// A listening server: its accepting thread and its open connections.
pub struct Listening {
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    connections: Arc<Connections>,
    accepting: JoinHandle<()>,
}

/// The open connections, to close them all when the server stops.
#[derive(Default)]
struct Connections {
    open: Mutex<HashMap<u64, TcpStream>>,
    next: AtomicU64,
}

impl Connections {
    /// Registers a connection; None when there are too many.
    fn enter(&self, stream: &TcpStream) -> Option<u64> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if open.len() >= MAX_CONNECTIONS {
            return None;
        }
        let id = self.next.fetch_add(1, Ordering::SeqCst);
        open.insert(id, stream.try_clone().ok()?);
        Some(id)
    }

    fn leave(&self, id: u64) {
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
    }

    fn close_all(&self) {
        for stream in self
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
        {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

/// Answers requests on `listener` from the snapshot `shared` holds at the time of each request.
pub fn serve(listener: TcpListener, shared: Arc<Shared>) -> io::Result<Listening> {
    let addr = listener.local_addr()?;
    let stopping = Arc::new(AtomicBool::new(false));
    let connections = Arc::new(Connections::default());
    let accepting = {
        let (stopping, connections) = (Arc::clone(&stopping), Arc::clone(&connections));
        std::thread::spawn(move || accept(&listener, &shared, &stopping, &connections))
    };
    Ok(Listening {
        addr,
        stopping,
        connections,
        accepting,
    })
}

fn accept(
    listener: &TcpListener,
    shared: &Arc<Shared>,
    stopping: &AtomicBool,
    connections: &Arc<Connections>,
) {
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else {
            // Out of file descriptors or the like: wait a moment rather than spin.
            std::thread::sleep(Duration::from_millis(20));
            continue;
        };
        let Some(id) = connections.enter(&stream) else {
            continue;
        };
        let (shared, connections) = (Arc::clone(shared), Arc::clone(connections));
        std::thread::spawn(move || {
            let _ = converse(stream, &shared);
            connections.leave(id);
        });
    }
}

impl Listening {
    /// Stops accepting, and closes every open connection (event streams too).
    pub fn stop(self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wake the accepting thread with a connection of our own.
        let _ = TcpStream::connect_timeout(&reachable(self.addr), Duration::from_secs(1));
        let _ = self.accepting.join();
        self.connections.close_all();
    }
}

/// The address to connect to for `addr` a server listens on (a wildcard one via loopback).
fn reachable(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => {
            std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
        }
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => {
            std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)
        }
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

/// One request's head, as far as answering goes.
#[derive(Debug)]
struct Head {
    method: String,
    target: String,
    range: Option<String>,
    keep_alive: bool,
    /// A request with a body: it is not read, so the connection can't carry another request.
    has_body: bool,
}

/// Answers the requests of one connection until it closes, idles, or turns into an event stream.
fn converse(stream: TcpStream, shared: &Arc<Shared>) -> io::Result<()> {
    stream.set_read_timeout(Some(IDLE))?;
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let head = match read_head(&mut reader)? {
            Some(Ok(head)) => head,
            Some(Err(status)) => {
                return write_answer(
                    &mut writer,
                    &Answer::text(status, reason(status)),
                    false,
                    false,
                );
            }
            None => return Ok(()),
        };
        if head.method == "GET" && resolve(&head.target, &BTreeMap::new()) == Target::Events {
            return stream_events(&mut writer, shared);
        }
        let answer = answer_for(&head, shared);
        let keep_alive = head.keep_alive && !head.has_body;
        write_answer(&mut writer, &answer, head.method == "HEAD", keep_alive)?;
        if !keep_alive {
            return writer.shutdown(Shutdown::Both);
        }
    }
}

/// The next request head: None at the end of the connection (or after [`IDLE`]); a status to
/// answer for a head that is too long or malformed.
fn read_head(reader: &mut BufReader<TcpStream>) -> io::Result<Option<Result<Head, u16>>> {
    let mut raw = Vec::new();
    loop {
        let before = raw.len();
        let read = match reader
            .by_ref()
            .take((MAX_HEAD + 1 - raw.len()) as u64)
            .read_until(b'\n', &mut raw)
        {
            Ok(read) => read,
            Err(err) if is_idle_end(&err) => return Ok(None),
            Err(err) => return Err(err),
        };
        if read == 0 {
            return Ok(None);
        }
        if raw.len() > MAX_HEAD {
            return Ok(Some(Err(431)));
        }
        let line = &raw[before..];
        // Browsers may send an empty line between requests; skip it before a head starts.
        if before == 0 && (line == b"\r\n" || line == b"\n") {
            raw.clear();
            continue;
        }
        if line == b"\r\n" || line == b"\n" {
            return Ok(Some(parse_head(&raw)));
        }
    }
}

fn is_idle_end(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::WouldBlock
            | io::ErrorKind::TimedOut
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
    )
}

fn parse_head(raw: &[u8]) -> Result<Head, u16> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(raw) {
        Ok(httparse::Status::Complete(_)) => {}
        Err(httparse::Error::TooManyHeaders) => return Err(431),
        _ => return Err(400),
    }
    let header = |name: &str| {
        request
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).into_owned())
    };
    let connection = header("connection")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let keep_alive = match request.version {
        Some(1) => !connection.contains("close"),
        _ => connection.contains("keep-alive"),
    };
    let has_body = header("transfer-encoding").is_some()
        || header("content-length").is_some_and(|l| l.trim() != "0");
    Ok(Head {
        method: request.method.unwrap_or_default().to_owned(),
        target: request.path.unwrap_or_default().to_owned(),
        range: header("range"),
        keep_alive,
        has_body,
    })
}

fn answer_for(head: &Head, shared: &Shared) -> Answer {
    let snapshot = shared.current();
    let asked = Asked {
        method: &head.method,
        url: &head.target,
        range: head.range.as_deref(),
    };
    let pdf = |path: &str| {
        let rendered = shared
            .backend
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .pdf(path);
        if let Some(Err(message)) = &rendered {
            let _ = shared
                .notes
                .send(Note::Line(format!("error: {path}: {message}")));
        }
        rendered
    };
    answer(&asked, &snapshot, &pdf)
}

/// Writes the event stream on this connection until the page goes or the server stops.
fn stream_events(writer: &mut TcpStream, shared: &Arc<Shared>) -> io::Result<()> {
    let Some(_slot) = shared.live.join() else {
        let refused = Answer::text(503, "503: too many pages are listening for rebuilds");
        return write_answer(writer, &refused, false, false);
    };
    // A write error is the page gone: nothing to report.
    let _ = shared.live.stream(writer);
    writer.shutdown(Shutdown::Both)
}

fn write_answer(
    writer: &mut impl Write,
    answer: &Answer,
    head_only: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", answer.status, reason(answer.status));
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n", answer.range.len()));
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    writer.write_all(head.as_bytes())?;
    if !head_only {
        writer.write_all(&answer.body[answer.range.clone()])?;
    }
    writer.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        416 => "Range Not Satisfiable",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// What a request asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the snapshot, by its key.
    File(String),
    /// A PDF not in the snapshot: the backend renders it.
    Pdf(String),
    /// A folder asked for without its slash: there, with the slash (and the query).
    Redirect(String),
    Events,
    /// Nothing (or a path that tries to leave the site): the decoded path, for the 404 page.
    NotFound(String),
}

/// Maps a request target (`/en/x/?q`) to what it asks for. The path is percent-decoded, then
/// refused if it could mean anything outside the site: `..` or `.` segments, empty segments (`//`),
/// backslashes, control characters (NUL), a drive (`C:`). Only keys of `files` are ever served.
pub fn resolve(url: &str, files: &BTreeMap<String, Arc<Vec<u8>>>) -> Target {
    let (raw_path, query) = split_query(url);
    let Some(path) = percent_decode(raw_path) else {
        return Target::NotFound(raw_path.trim_start_matches('/').to_owned());
    };
    if path == EVENTS_PATH {
        return Target::Events;
    }
    let Some(rel) = path.strip_prefix('/').filter(|rel| is_safe(rel)) else {
        return Target::NotFound(path.trim_start_matches('/').to_owned());
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_owned()
    };
    if files.contains_key(&key) {
        Target::File(key)
    } else if !key.ends_with("index.html") && files.contains_key(&format!("{rel}/index.html")) {
        Target::Redirect(format!("{raw_path}/{query}"))
    } else if key.ends_with(".pdf") {
        Target::Pdf(key)
    } else {
        Target::NotFound(key)
    }
}

/// The path and the query (with its `?`, or empty); a fragment is never sent, but is dropped too.
fn split_query(url: &str) -> (&str, &str) {
    let url = url.split('#').next().unwrap_or_default();
    match url.find('?') {
        Some(at) => (&url[..at], &url[at..]),
        None => (url, ""),
    }
}

/// Whether a decoded relative path stays inside the site whatever it is joined to.
fn is_safe(rel: &str) -> bool {
    let segments: Vec<&str> = rel.split('/').collect();
    let last = segments.len() - 1;
    let first_is_drive = segments[0].contains(':');
    !first_is_drive
        && !rel.chars().any(|c| c == '\\' || c.is_control())
        && segments
            .iter()
            .enumerate()
            .all(|(i, s)| !matches!(*s, "." | "..") && (!s.is_empty() || i == last))
}

/// `%xx` decoded; None for a malformed escape or text that is not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type of a served file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "vtt" => "text/vtt; charset=utf-8",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// An answer, before it is written.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Arc<Vec<u8>>,
    /// The byte range of `body` sent (all of it but for a range request).
    pub range: std::ops::Range<usize>,
}

impl Answer {
    fn new(status: u16, content_type: &str, body: Arc<Vec<u8>>) -> Answer {
        let range = 0..body.len();
        Answer {
            status,
            headers: vec![
                ("Content-Type", content_type.to_owned()),
                // A preview must show the page as it is now, never a cached one.
                ("Cache-Control", "no-store".to_owned()),
                ("X-Content-Type-Options", "nosniff".to_owned()),
                ("Referrer-Policy", "no-referrer".to_owned()),
            ],
            body,
            range,
        }
    }

    fn text(status: u16, text: &str) -> Answer {
        Answer::new(
            status,
            "text/plain; charset=utf-8",
            Arc::new(format!("{text}\n").into_bytes()),
        )
    }

    /// An HTML page, with the policy that lets exactly its own scripts run.
    fn html(status: u16, html: Vec<u8>) -> Answer {
        let policy = page::content_security_policy(&html);
        let mut answer = Answer::new(status, "text/html; charset=utf-8", Arc::new(html));
        answer.headers.push(("Content-Security-Policy", policy));
        answer
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Answer {
        self.headers.push((name, value.into()));
        self
    }

    #[cfg(test)]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The bytes sent.
    #[cfg(test)]
    pub fn sent(&self) -> &[u8] {
        &self.body[self.range.clone()]
    }
}

/// The request, as far as answering it goes.
pub struct Asked<'a> {
    pub method: &'a str,
    pub url: &'a str,
    /// The `Range` header, if any.
    pub range: Option<&'a str>,
}

/// What [`super::Backend::pdf`] says about a PDF.
pub type PdfAnswer = Option<Result<Arc<Vec<u8>>, String>>;

/// Answers every request but the event stream. `pdf` asks the backend for a PDF.
pub fn answer(asked: &Asked, snapshot: &Snapshot, pdf: &dyn Fn(&str) -> PdfAnswer) -> Answer {
    if !matches!(asked.method, "GET" | "HEAD") {
        return Answer::text(405, "405 method not allowed: this server only reads")
            .with("Allow", "GET, HEAD");
    }
    match resolve(asked.url, &snapshot.files) {
        Target::File(key) if key.ends_with(".html") => Answer::html(
            200,
            page::served_html(&snapshot.files[&key], &key, snapshot),
        ),
        Target::File(key) => {
            let body = Arc::clone(&snapshot.files[&key]);
            with_range(Answer::new(200, content_type(&key), body), asked.range)
        }
        Target::Pdf(key) => match pdf(&key) {
            Some(Ok(body)) => with_range(Answer::new(200, content_type(&key), body), asked.range),
            Some(Err(message)) => Answer::text(500, &format!("500: the PDF failed: {message}")),
            None => not_found(&key, snapshot),
        },
        Target::Redirect(location) => {
            Answer::text(301, &format!("moved to {location}")).with("Location", location)
        }
        // Only reached for a HEAD request or by the tests: a GET of the stream never comes here.
        Target::Events => Answer::new(200, "text/event-stream; charset=utf-8", Arc::default()),
        Target::NotFound(path) => not_found(&path, snapshot),
    }
}

fn not_found(path: &str, snapshot: &Snapshot) -> Answer {
    Answer::html(404, page::not_found_page(path, snapshot))
}

/// A single byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`) as 206, which video players need to
/// seek (Safari plays no video without it); a range past the end is 416; anything else, the whole.
fn with_range(mut answer: Answer, range: Option<&str>) -> Answer {
    let len = answer.body.len();
    answer.headers.push(("Accept-Ranges", "bytes".to_owned()));
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else {
        return answer;
    };
    if spec.contains(',') {
        return answer;
    }
    let Some((start, end)) = spec.split_once('-') else {
        return answer;
    };
    let (start, end) = match (start.trim().parse::<usize>(), end.trim().parse::<usize>()) {
        (Ok(start), Ok(end)) if start <= end => (start, end.min(len.saturating_sub(1))),
        (Ok(start), Err(_)) if end.trim().is_empty() => (start, len.saturating_sub(1)),
        (Err(_), Ok(suffix)) if start.trim().is_empty() && suffix > 0 => {
            (len.saturating_sub(suffix), len.saturating_sub(1))
        }
        _ => return answer,
    };
    if start >= len {
        let mut refused = Answer::text(416, "416: range not satisfiable");
        refused
            .headers
            .push(("Content-Range", format!("bytes */{len}")));
        return refused;
    }
    answer.status = 206;
    answer.range = start..end + 1;
    answer
        .headers
        .push(("Content-Range", format!("bytes {start}-{end}/{len}")));
    answer
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Span};
    use crate::serve::Problem;

    fn files() -> BTreeMap<String, Arc<Vec<u8>>> {
        [
            "index.html",
            "en/index.html",
            "en/hello/index.html",
            "en/hello/shots/a.svg",
            "da/hello/index.html",
            "assets/style.css",
            "en/hello/hello-en.pdf",
            "en/hello/clip.mp4",
            "a b/index.html",
        ]
        .iter()
        .map(|path| {
            let body = format!("<html><body>{path}</body></html>");
            (path.to_string(), Arc::new(body.into_bytes()))
        })
        .collect()
    }

    fn snapshot() -> Snapshot {
        Snapshot {
            files: files(),
            generation: 3,
            problems: vec![Problem {
                guide: Some("broken".to_owned()),
                diagnostic: Diagnostic::error("guides/broken/guide.yaml", Span::START, "<bad>"),
                rendered: "guides/broken/guide.yaml:1:1: error: <bad>".to_owned(),
            }],
        }
    }

    #[test]
    fn paths_resolve_to_files_redirects_or_nothing() {
        let files = files();
        let file = |key: &str| Target::File(key.to_owned());
        let not_found = |key: &str| Target::NotFound(key.to_owned());
        let table = [
            ("/", file("index.html")),
            ("/index.html", file("index.html")),
            ("/?x=1", file("index.html")),
            ("/en/", file("en/index.html")),
            ("/en/hello/", file("en/hello/index.html")),
            ("/en/hello/index.html", file("en/hello/index.html")),
            ("/en/hello/index.html#step-2", file("en/hello/index.html")),
            ("/da/hello/", file("da/hello/index.html")),
            ("/assets/style.css", file("assets/style.css")),
            ("/en/hello/shots/a.svg", file("en/hello/shots/a.svg")),
            ("/en/hello/shots%2Fa.svg", file("en/hello/shots/a.svg")),
            ("/a%20b/", file("a b/index.html")),
            ("/en/hello", Target::Redirect("/en/hello/".to_owned())),
            (
                "/en/hello?lang=x",
                Target::Redirect("/en/hello/?lang=x".to_owned()),
            ),
            ("/en", Target::Redirect("/en/".to_owned())),
            ("/a%20b", Target::Redirect("/a%20b/".to_owned())),
            ("/en/hello/hello-en.pdf", file("en/hello/hello-en.pdf")),
            (
                "/en/other/other-en.pdf",
                Target::Pdf("en/other/other-en.pdf".to_owned()),
            ),
            ("/__guidegen/events", Target::Events),
            ("/__guidegen/events?page=x", Target::Events),
            ("/en/nothing/", not_found("en/nothing/index.html")),
            ("/en/hello/missing.png", not_found("en/hello/missing.png")),
            ("/../guidegen.yaml", not_found("../guidegen.yaml")),
            (
                "/en/../../guidegen.yaml",
                not_found("en/../../guidegen.yaml"),
            ),
            ("/%2e%2e/", not_found("../")),
            ("/%2E%2E/guidegen.yaml", not_found("../guidegen.yaml")),
            (
                "/en/%2e%2e/%2e%2e/etc/passwd",
                not_found("en/../../etc/passwd"),
            ),
            ("/./index.html", not_found("./index.html")),
            ("//etc/passwd", not_found("etc/passwd")),
            ("/en//hello/", not_found("en//hello/")),
            ("/..%5cguidegen.yaml", not_found("..\\guidegen.yaml")),
            (
                "/en\\..\\..\\guidegen.yaml",
                not_found("en\\..\\..\\guidegen.yaml"),
            ),
            ("/index.html%00.png", not_found("index.html\0.png")),
            ("/C:/Windows/win.ini", not_found("C:/Windows/win.ini")),
            ("/%zz", not_found("%zz")),
            ("/%ff", not_found("%ff")),
            ("relative", not_found("relative")),
            ("http://example.com/", not_found("http://example.com/")),
        ];
        for (url, expected) in table {
            assert_eq!(resolve(url, &files), expected, "{url}");
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        for (path, expected) in [
            ("a/index.html", "text/html; charset=utf-8"),
            ("assets/style.css", "text/css; charset=utf-8"),
            ("assets/x.js", "text/javascript; charset=utf-8"),
            ("s/a.svg", "image/svg+xml"),
            ("s/a.PNG", "image/png"),
            ("s/a.jpg", "image/jpeg"),
            ("s/a.jpeg", "image/jpeg"),
            ("x/x-en.pdf", "application/pdf"),
            ("search.json", "application/json"),
            ("sitemap.xml", "application/xml"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("v/captions.vtt", "text/vtt; charset=utf-8"),
            ("v/clip.mp4", "video/mp4"),
            ("v/clip.webm", "video/webm"),
            ("noextension", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), expected, "{path}");
        }
    }

    fn get(url: &str) -> Answer {
        ask("GET", url, None)
    }

    fn ask(method: &str, url: &str, range: Option<&str>) -> Answer {
        let pdf = |path: &str| match path {
            "en/other/other-en.pdf" => Some(Ok(Arc::new(b"%PDF-1.7 other".to_vec()))),
            "en/failing/failing-en.pdf" => Some(Err("typst said no".to_owned())),
            _ => None,
        };
        let asked = Asked { method, url, range };
        answer(&asked, &snapshot(), &pdf)
    }

    #[test]
    fn pages_get_the_script_the_policy_and_no_caching() {
        let page = get("/en/hello/");
        assert_eq!(page.status, 200);
        assert_eq!(
            page.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(page.header("cache-control"), Some("no-store"));
        assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
        let policy = page.header("content-security-policy").unwrap();
        assert!(policy.contains("default-src 'none'"));
        assert!(policy.contains("connect-src 'self'"));
        let text = String::from_utf8_lossy(page.sent()).into_owned();
        assert!(text.contains(page::RELOAD_MARKER));
        assert!(text.ends_with("</body></html>"));
        // Other files go out as they are.
        let css = get("/assets/style.css");
        assert_eq!(css.sent(), &snapshot().files["assets/style.css"][..]);
        assert_eq!(css.header("content-security-policy"), None);
    }

    #[test]
    fn the_pages_of_a_broken_guide_get_the_overlay_others_do_not() {
        let missing = get("/en/broken/");
        assert_eq!(missing.status, 404);
        let text = String::from_utf8_lossy(missing.sent()).into_owned();
        assert!(text.contains("<div data-guidegen-overlay"));
        assert!(text.contains("&lt;bad&gt;"));
        let fine = String::from_utf8_lossy(get("/en/hello/").sent()).into_owned();
        assert!(!fine.contains("<div data-guidegen-overlay"));
    }

    #[test]
    fn pdfs_come_from_the_snapshot_or_the_backend() {
        let pdf = get("/en/other/other-en.pdf");
        assert_eq!(pdf.status, 200);
        assert_eq!(pdf.header("content-type"), Some("application/pdf"));
        assert!(pdf.sent().starts_with(b"%PDF-"));
        assert_eq!(get("/en/failing/failing-en.pdf").status, 500);
        assert_eq!(get("/en/none/none-en.pdf").status, 404);
        assert_eq!(get("/en/hello/hello-en.pdf").status, 200);
    }

    #[test]
    fn redirects_escapes_and_methods() {
        let moved = get("/en/hello");
        assert_eq!(moved.status, 301);
        assert_eq!(moved.header("location"), Some("/en/hello/"));
        for url in [
            "/../guidegen.yaml",
            "/%2e%2e/",
            "//etc/passwd",
            "/%2e%2e/%2e%2e/",
        ] {
            let refused = get(url);
            assert_eq!(refused.status, 404, "{url}");
            assert!(!String::from_utf8_lossy(refused.sent()).contains("title:"));
        }
        let head = ask("HEAD", "/en/hello/", None);
        assert_eq!(head.status, 200);
        for method in ["POST", "PUT", "DELETE", "OPTIONS", "get"] {
            let refused = ask(method, "/en/hello/", None);
            assert_eq!(refused.status, 405);
            assert_eq!(refused.header("allow"), Some("GET, HEAD"));
        }
    }

    #[test]
    fn byte_ranges_are_served_for_files() {
        let whole = snapshot().files["en/hello/clip.mp4"].clone();
        let len = whole.len();
        let part = ask("GET", "/en/hello/clip.mp4", Some("bytes=2-5"));
        assert_eq!(part.status, 206);
        assert_eq!(part.sent(), &whole[2..6]);
        assert_eq!(
            part.header("content-range"),
            Some(format!("bytes 2-5/{len}").as_str())
        );
        let tail = ask("GET", "/en/hello/clip.mp4", Some("bytes=-3"));
        assert_eq!(tail.sent(), &whole[len - 3..]);
        let open = ask("GET", "/en/hello/clip.mp4", Some("bytes=4-"));
        assert_eq!(open.sent(), &whole[4..]);
        let past = ask("GET", "/en/hello/clip.mp4", Some("bytes=9999-"));
        assert_eq!(past.status, 416);
        let several = ask("GET", "/en/hello/clip.mp4", Some("bytes=0-1,3-4"));
        assert_eq!((several.status, several.sent()), (200, &whole[..]));
    }
}
