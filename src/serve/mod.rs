//! Serve: the site built in memory, served over HTTP, rebuilt on every change, with open pages
//! reloading by themselves and errors shown over the last good page.
//!
//! The [`Backend`] builds the site and rebuilds what a change affects; this module serves whatever
//! snapshot the backend last returned ([`http`]), watches the site folder and asks the backend to
//! rebuild ([`watch`]), tells open pages to reload ([`live`]) and adds the reload script and the error
//! overlay to HTML pages ([`page`]). Nothing is ever written to the site folder.

pub mod backend;
mod http;
mod live;
mod page;
mod watch;

#[cfg(test)]
mod fake;

use std::collections::BTreeMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::Instant;

/// Every file of the built site, in memory, by its output path (`index.html`, `en/index.html`,
/// `en/mfa-setup/index.html`, `assets/style.css`, `en/mfa-setup/shots/a.png`, …), and the problems
/// found.
pub struct Snapshot {
    pub files: BTreeMap<String, Arc<Vec<u8>>>,
    /// Increases with every rebuild (the live-reload event carries it).
    pub generation: u64,
    /// Errors and warnings of the current state of the site.
    pub problems: Vec<Problem>,
}

/// One error or warning of the site as it is now.
pub struct Problem {
    /// The guide it belongs to (its pages get the overlay), or None for the whole site (every page
    /// gets it).
    pub guide: Option<String>,
    pub diagnostic: crate::diagnostic::Diagnostic,
    /// `Diagnostic::render` output: `path:line:column: error: message`, the quoted line with a
    /// caret, the hint.
    pub rendered: String,
}

/// What builds the site for `serve`: the whole site once, then what each change affects.
pub trait Backend: Send + Sync {
    /// The site as it is now.
    fn snapshot(&self) -> Arc<Snapshot>;
    /// Files of the site folder changed (created, modified, removed, renamed): rebuild what they
    /// affect and return the new snapshot. A guide with errors keeps its last good pages in `files`.
    ///
    /// Each path is the site folder as [`ServeOptions::site_dir`] names it (absolute or not, `.`
    /// included) joined with the path below it, so that `strip_prefix(site_dir)` finds it.
    ///
    /// A path may be a folder (one moved in, out, or renamed as a whole): everything below it
    /// changed. The site folder itself means "look at everything again" (the watcher lost track).
    /// Returning a snapshot with the same `generation` means nothing changed: no page reloads.
    fn changed(&mut self, paths: &[PathBuf]) -> Arc<Snapshot>;
    /// A PDF (`en/mfa-setup/mfa-setup-en.pdf`), rendered on first request and cached until its
    /// guide changes; None when no such PDF exists. Err: a message.
    fn pdf(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, String>>;
    /// Folders/files under the site folder that are NOT site input (the output folder): changes
    /// there are ignored.
    fn ignored(&self) -> Vec<PathBuf>;
}

/// What `guidegen serve` was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    pub site_dir: PathBuf,
    /// 0: any free port.
    pub port: u16,
    pub bind: IpAddr,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

/// Why `serve` could not start.
#[derive(Debug)]
pub enum ServeError {
    /// Another program listens on the address already.
    PortInUse(SocketAddr),
    /// Any other failure to listen (no such address, no permission for a port below 1024, …).
    Bind(SocketAddr, std::io::Error),
}

impl ServeError {
    /// 2, as for bad usage: the command asked for an address that can't be had; another `--port`
    /// or `--bind` fixes it. (1 is kept for "the site has errors".)
    pub fn exit_code(&self) -> u8 {
        2
    }
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::PortInUse(addr) => write!(
                f,
                "port {} is in use on {} (is another `guidegen serve` running?)\n  \
                 = hint: choose another port with --port N, or --port 0 for any free one",
                addr.port(),
                addr.ip()
            ),
            ServeError::Bind(addr, err) => write!(
                f,
                "cannot listen on {addr}: {err}\n  = hint: --bind 127.0.0.1 serves this computer \
                 only; ports below 1024 need privileges, --port 0 picks a free one"
            ),
        }
    }
}

impl std::error::Error for ServeError {}

/// Builds the site with the real backend and serves it until Ctrl-C; the process's exit code.
pub fn start(options: ServeOptions) -> ExitCode {
    let failed = |err: ServeError| {
        eprintln!("error: {err}");
        ExitCode::from(err.exit_code())
    };
    // Listen first: a port in use is said at once, not after building the whole site.
    let listener = match http::listen(SocketAddr::new(options.bind, options.port)) {
        Ok(listener) => listener,
        Err(err) => return failed(err),
    };
    let mut out = std::io::stdout();
    let started = Instant::now();
    let backend = backend::open(&options.site_dir);
    let _ = writeln!(
        out,
        "built the site in {} ms",
        started.elapsed().as_millis()
    );
    match serve_on(listener, &options, backend, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => failed(err),
    }
}

/// Runs the server until Ctrl-C (or SIGTERM). Prints the address, then every rebuild and every new
/// problem, to `out`.
pub fn run(
    options: &ServeOptions,
    backend: Box<dyn Backend>,
    out: &mut dyn Write,
) -> Result<(), ServeError> {
    let listener = http::listen(SocketAddr::new(options.bind, options.port))?;
    serve_on(listener, options, backend, out)
}

fn serve_on(
    listener: TcpListener,
    options: &ServeOptions,
    backend: Box<dyn Backend>,
    out: &mut dyn Write,
) -> Result<(), ServeError> {
    let (notes, inbox) = mpsc::channel();
    let server = Server::start(listener, &options.site_dir, backend, notes.clone())?;
    let url = server.url();
    print_start(out, options, &url, &server.shared.current());
    let stop = notes.clone();
    if let Err(err) = ctrlc::set_handler(move || {
        let _ = stop.send(Note::Stop);
    }) {
        let _ = writeln!(
            out,
            "warning: Ctrl-C will not stop the server cleanly: {err}"
        );
    }
    if options.open {
        open_browser(&url, out);
    }
    for note in inbox {
        match note {
            Note::Line(text) => {
                let _ = writeln!(out, "{text}");
                let _ = out.flush();
            }
            Note::Stop => break,
        }
    }
    server.stop();
    let _ = writeln!(out, "stopped serving {url}");
    let _ = out.flush();
    Ok(())
}

/// What the server's threads tell the terminal.
enum Note {
    /// A line (or several) to print.
    Line(String),
    /// Ctrl-C: stop serving.
    Stop,
}

/// What the server's threads share: the snapshot being served and the backend that makes the next.
struct Shared {
    live: Arc<live::Live>,
    /// Read for PDFs (many at once), written for a rebuild: a PDF made on request never waits
    /// for another, and a rebuild waits only for PDFs already being made.
    backend: RwLock<Box<dyn Backend>>,
    /// Lines for the terminal (a PDF that failed).
    notes: mpsc::Sender<Note>,
}

impl Shared {
    fn current(&self) -> Arc<Snapshot> {
        self.live.current()
    }
}

/// A running server: its listening address, HTTP threads and watcher.
struct Server {
    shared: Arc<Shared>,
    addr: SocketAddr,
    http: http::Listening,
    watch: Option<watch::Watching>,
}

impl Server {
    /// Starts the HTTP threads on `listener` and the watcher; returns once requests are answered.
    fn start(
        listener: TcpListener,
        site_dir: &Path,
        backend: Box<dyn Backend>,
        notes: mpsc::Sender<Note>,
    ) -> Result<Server, ServeError> {
        let addr = listener
            .local_addr()
            .map_err(|err| ServeError::Bind(SocketAddr::from(([0, 0, 0, 0], 0)), err))?;
        let shared = Arc::new(Shared {
            live: Arc::new(live::Live::new(backend.snapshot())),
            backend: RwLock::new(backend),
            notes: notes.clone(),
        });
        let http = http::serve(listener, Arc::clone(&shared))
            .map_err(|err| ServeError::Bind(addr, err))?;
        let watch = match watch::start(site_dir, Arc::clone(&shared), notes.clone()) {
            Ok(watching) => Some(watching),
            Err(err) => {
                let _ = notes.send(Note::Line(format!(
                    "warning: not watching {} ({err}); pages are not rebuilt on changes",
                    site_dir.display()
                )));
                None
            }
        };
        Ok(Server {
            shared,
            addr,
            http,
            watch,
        })
    }

    fn url(&self) -> String {
        url_of(self.addr)
    }

    fn stop(self) {
        if let Some(watch) = self.watch {
            watch.stop();
        }
        self.shared.live.close();
        self.http.stop();
    }
}

/// The address to open: a wildcard address is reached through the loopback one.
fn url_of(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

fn print_start(out: &mut dyn Write, options: &ServeOptions, url: &str, snapshot: &Snapshot) {
    let _ = writeln!(
        out,
        "serving {} at {url} (Ctrl-C stops)",
        options.site_dir.display()
    );
    if !options.bind.is_loopback() {
        let _ = writeln!(
            out,
            "warning: listening on {}: the site is visible to the network, not only this computer",
            options.bind
        );
    }
    for problem in &snapshot.problems {
        let _ = writeln!(out, "{}\n", problem.rendered);
    }
    let _ = out.flush();
}

/// Opens `url` in the default browser; a failure is only a warning (the address is printed).
pub(crate) fn open_browser(url: &str, out: &mut dyn Write) {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    let spawned = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        // Reap the opener in the background so it leaves no zombie behind.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(err) => {
            let _ = writeln!(out, "warning: could not open a browser ({err}); open {url}");
        }
    }
}

/// `path` relative to the site folder when below it, for short terminal lines.
fn shown_path<'a>(site_dir: &Path, path: &'a Path) -> std::borrow::Cow<'a, str> {
    match path.strip_prefix(site_dir) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy(),
        _ => path.to_string_lossy(),
    }
}

#[cfg(test)]
mod tests {
    use super::fake::FakeBackend;
    use super::*;
    use std::io::{BufRead, BufReader, Read};
    use std::net::TcpStream;
    use std::time::Duration;

    const OVERLAY: &str = "<div data-guidegen-overlay";

    /// Long enough for a loaded machine; a working server answers in milliseconds.
    const PATIENCE: Duration = Duration::from_secs(10);

    /// A server on a temporary site of the fake backend, stopped when dropped.
    struct Running {
        server: Option<Server>,
        notes: mpsc::Receiver<Note>,
        calls: Arc<std::sync::Mutex<Vec<Vec<PathBuf>>>>,
        dir: tempfile::TempDir,
    }

    impl Drop for Running {
        fn drop(&mut self) {
            if let Some(server) = self.server.take() {
                server.stop();
            }
        }
    }

    impl Running {
        fn addr(&self) -> SocketAddr {
            self.server.as_ref().unwrap().addr
        }

        fn path(&self, rel: &str) -> PathBuf {
            self.dir.path().join(rel)
        }

        fn get(&self, target: &str) -> Fetched {
            fetch(self.addr(), "GET", target)
        }

        /// Waits for a terminal line containing `text`; panics with the lines seen otherwise.
        fn expect_note(&self, text: &str) -> String {
            let deadline = Instant::now() + PATIENCE;
            let mut seen = Vec::new();
            while let Some(left) = deadline.checked_duration_since(Instant::now()) {
                match self.notes.recv_timeout(left) {
                    Ok(Note::Line(line)) if line.contains(text) => return line,
                    Ok(Note::Line(line)) => seen.push(line),
                    _ => break,
                }
            }
            panic!("no line with `{text}`; saw {seen:#?}");
        }

        fn calls(&self) -> Vec<Vec<PathBuf>> {
            self.calls.lock().unwrap().clone()
        }
    }

    fn serve_site(guides: &[(&str, &str)]) -> Running {
        let dir = tempfile::tempdir().unwrap();
        for (id, text) in guides {
            write(&dir.path().join(format!("guides/{id}/guide.yaml")), text);
        }
        let backend = FakeBackend::open(dir.path());
        let calls = Arc::clone(&backend.calls);
        let options = ServeOptions {
            site_dir: dir.path().to_path_buf(),
            port: 0,
            bind: IpAddr::from([127, 0, 0, 1]),
            open: false,
        };
        let (notes, inbox) = mpsc::channel();
        let listener = http::listen(SocketAddr::new(options.bind, options.port)).unwrap();
        let server = Server::start(listener, &options.site_dir, Box::new(backend), notes).unwrap();
        Running {
            server: Some(server),
            notes: inbox,
            calls,
            dir,
        }
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Saves as many editors do: a temporary file renamed over the real one.
    fn save_by_rename(path: &Path, text: &str) {
        let temporary = path.with_extension("yaml.tmp");
        std::fs::write(&temporary, text).unwrap();
        std::fs::rename(&temporary, path).unwrap();
    }

    struct Fetched {
        status: u16,
        head: String,
        body: String,
    }

    impl Fetched {
        fn header(&self, name: &str) -> Option<&str> {
            self.head.lines().find_map(|line| {
                let (n, v) = line.split_once(':')?;
                n.eq_ignore_ascii_case(name).then(|| v.trim())
            })
        }
    }

    /// One request on its own connection, read to the end.
    fn fetch(addr: SocketAddr, method: &str, target: &str) -> Fetched {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        Fetched {
            status: head
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0),
            head: head.to_owned(),
            body: body.to_owned(),
        }
    }

    /// An open event stream.
    struct Events(BufReader<TcpStream>);

    impl Events {
        fn open(addr: SocketAddr) -> Events {
            let mut stream = TcpStream::connect(addr).unwrap();
            stream.set_read_timeout(Some(PATIENCE)).unwrap();
            write!(
                stream,
                "GET {} HTTP/1.1\r\nHost: {addr}\r\n\r\n",
                live::EVENTS_PATH
            )
            .unwrap();
            Events(BufReader::new(stream))
        }

        /// The generation of the next event; None when the stream ends.
        fn next_generation(&mut self) -> Option<u64> {
            let mut line = String::new();
            loop {
                line.clear();
                if self.0.read_line(&mut line).ok()? == 0 {
                    return None;
                }
                if let Some(number) = line.trim_end().strip_prefix("data: ") {
                    return number.parse().ok();
                }
            }
        }
    }

    #[test]
    fn a_save_by_rename_reloads_the_page_with_the_new_text() {
        let site = serve_site(&[("hello", "Hello")]);
        let mut events = Events::open(site.addr());
        assert_eq!(events.next_generation(), Some(1));
        let first = site.get("/en/hello/");
        assert_eq!(first.status, 200);
        assert!(first.body.contains("<h1>Hello</h1>"));
        assert!(first.body.contains("data-generation=\"1\""));

        save_by_rename(&site.path("guides/hello/guide.yaml"), "Hello again");
        assert_eq!(events.next_generation(), Some(2));
        let page = site.get("/en/hello/");
        assert!(page.body.contains("<h1>Hello again</h1>"), "{}", page.body);
        assert!(page.body.contains("data-generation=\"2\""));
        site.expect_note("guides/hello/guide.yaml: rebuilt in");
        let calls = site.calls();
        assert_eq!(calls.len(), 1, "{calls:?}");
        assert!(calls[0].iter().all(|p| p.starts_with(site.dir.path())));
        assert!(
            calls[0]
                .iter()
                .any(|p| p.ends_with("guides/hello/guide.yaml"))
        );
        assert!(
            !calls[0]
                .iter()
                .any(|p| p.to_string_lossy().ends_with(".tmp"))
        );
    }

    #[test]
    fn an_error_shows_over_the_last_good_page_until_fixed() {
        let site = serve_site(&[("hello", "Hello"), ("other", "Other")]);
        let mut events = Events::open(site.addr());
        assert_eq!(events.next_generation(), Some(1));
        let guide = site.path("guides/hello/guide.yaml");

        std::fs::write(&guide, "error <img src=x onerror=alert(1)>").unwrap();
        assert_eq!(events.next_generation(), Some(2));
        let broken = site.get("/en/hello/");
        assert!(broken.body.contains("<h1>Hello</h1>"), "the last good page");
        assert!(broken.body.contains(OVERLAY));
        assert!(
            broken
                .body
                .contains("error &lt;img src=x onerror=alert(1)&gt;")
        );
        assert!(!broken.body.contains("<img"));
        assert!(!site.get("/en/other/").body.contains(OVERLAY));
        let note = site.expect_note("1 error");
        assert!(note.contains("\nguides/hello/guide.yaml:1:1: error: error <img"));

        std::fs::write(&guide, "Hello fixed").unwrap();
        assert_eq!(events.next_generation(), Some(3));
        let fixed = site.get("/en/hello/");
        assert!(fixed.body.contains("<h1>Hello fixed</h1>"));
        assert!(!fixed.body.contains(OVERLAY));
        site.expect_note("fixed: no errors left");
    }

    #[test]
    fn quick_saves_in_a_row_make_one_rebuild() {
        let site = serve_site(&[("hello", "Hello")]);
        let mut events = Events::open(site.addr());
        assert_eq!(events.next_generation(), Some(1));
        let guide = site.path("guides/hello/guide.yaml");
        for i in 0..5 {
            std::fs::write(&guide, format!("Save {i}")).unwrap();
        }
        assert!(events.next_generation().is_some());
        std::thread::sleep(QUIET_AND_THEN_SOME);
        // Two at most: a loaded machine may pause this thread between saves longer than the quiet.
        assert!(site.calls().len() <= 2, "{:?}", site.calls());
        assert!(site.get("/en/hello/").body.contains("<h1>Save 4</h1>"));
    }

    const QUIET_AND_THEN_SOME: Duration = Duration::from_millis(300);

    #[test]
    fn guide_folders_added_renamed_and_removed() {
        let site = serve_site(&[("hello", "Hello")]);
        let mut events = Events::open(site.addr());
        assert_eq!(events.next_generation(), Some(1));

        write(&site.path("guides/new/guide.yaml"), "New");
        let mut generation = events.next_generation().unwrap();
        // The folder and the file may come as two rebuilds.
        while site.get("/en/new/").status != 200 {
            generation = events.next_generation().unwrap();
        }
        assert!(generation >= 2);
        assert_eq!(site.get("/en/new").status, 301);

        std::fs::rename(site.path("guides/new"), site.path("guides/renamed")).unwrap();
        events.next_generation().unwrap();
        assert_eq!(site.get("/en/renamed/").status, 200);
        assert_eq!(site.get("/en/new/").status, 404);

        std::fs::remove_dir_all(site.path("guides/renamed")).unwrap();
        events.next_generation().unwrap();
        assert_eq!(site.get("/en/renamed/").status, 404);
    }

    #[test]
    fn output_version_control_and_editor_scratch_are_ignored() {
        let site = serve_site(&[("hello", "Hello")]);
        let mut events = Events::open(site.addr());
        assert_eq!(events.next_generation(), Some(1));
        write(&site.path("output/en/index.html"), "x");
        write(&site.path(".git/index"), "x");
        write(&site.path("target/debug/x"), "x");
        write(&site.path("guides/hello/.guide.yaml.swp"), "x");
        write(&site.path("guides/hello/4913"), "x");
        write(&site.path("guides/hello/guide.yaml~"), "x");
        std::thread::sleep(QUIET_AND_THEN_SOME);
        // Still watching: a real change comes through alone.
        write(&site.path("guides/hello/guide.yaml"), "Changed");
        assert_eq!(events.next_generation(), Some(2));
        let calls = site.calls();
        let paths: Vec<&PathBuf> = calls.iter().flatten().collect();
        assert!(
            paths.iter().all(|p| !p.to_string_lossy().contains("output")
                && !p.to_string_lossy().contains(".git")
                && !p.to_string_lossy().contains("target")
                && !p.ends_with("4913")
                && !p.to_string_lossy().ends_with('~')
                && !p.to_string_lossy().ends_with(".swp")),
            "{paths:?}"
        );
        assert!(paths.iter().any(|p| p.ends_with("guides/hello/guide.yaml")));
    }

    #[test]
    fn http_over_a_socket() {
        let site = serve_site(&[("hello", "Hello")]);
        let root = site.get("/");
        assert_eq!(root.status, 200);
        assert_eq!(
            root.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(root.header("cache-control"), Some("no-store"));
        assert!(root.header("content-security-policy").is_some());
        let head = fetch(site.addr(), "HEAD", "/en/hello/");
        assert_eq!(head.status, 200);
        assert!(head.body.is_empty());
        assert_eq!(fetch(site.addr(), "POST", "/en/hello/").status, 405);
        for target in [
            "/../guidegen.yaml",
            "/%2e%2e/",
            "//etc/passwd",
            "/en/hello/../../x",
        ] {
            assert_eq!(site.get(target).status, 404, "{target}");
        }
        let moved = site.get("/en/hello");
        assert_eq!(
            (moved.status, moved.header("location")),
            (301, Some("/en/hello/"))
        );
        let pdf = site.get("/en/hello/hello-en.pdf");
        assert_eq!(pdf.header("content-type"), Some("application/pdf"));
        assert!(pdf.body.starts_with("%PDF-"));
        assert_eq!(site.get("/en/hello/nope-en.pdf").status, 404);
        let events = fetch(site.addr(), "HEAD", live::EVENTS_PATH);
        assert_eq!(
            events.header("content-type"),
            Some("text/event-stream; charset=utf-8")
        );
    }

    #[test]
    fn a_port_in_use_is_its_own_error() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let Err(err) = http::listen(taken.local_addr().unwrap()) else {
            panic!("a second server on the same port");
        };
        assert!(matches!(err, ServeError::PortInUse(_)));
        assert_eq!(err.exit_code(), 2);
        let message = err.to_string();
        assert!(
            message.contains("is in use") && message.contains("--port 0"),
            "{message}"
        );
    }

    #[test]
    fn stopping_ends_the_event_streams() {
        let mut site = serve_site(&[("hello", "Hello")]);
        let mut events = Events::open(site.addr());
        assert_eq!(events.next_generation(), Some(1));
        let server = site.server.take().unwrap();
        let live = Arc::clone(&server.shared.live);
        assert_eq!(live.streams(), 1);
        server.stop();
        assert_eq!(events.next_generation(), None, "the stream ends");
        let deadline = Instant::now() + PATIENCE;
        while live.streams() > 0 {
            assert!(
                Instant::now() < deadline,
                "the event stream outlived the server"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn wildcard_addresses_are_shown_as_loopback_with_a_warning() {
        let port = 8123;
        assert_eq!(
            url_of(SocketAddr::from(([0, 0, 0, 0], port))),
            "http://127.0.0.1:8123/"
        );
        assert_eq!(
            url_of(SocketAddr::from(([0u16; 8], port))),
            "http://[::1]:8123/"
        );
        assert_eq!(
            url_of(SocketAddr::from(([127, 0, 0, 1], port))),
            "http://127.0.0.1:8123/"
        );
        let options = ServeOptions {
            site_dir: PathBuf::from("site"),
            port,
            bind: IpAddr::from([0, 0, 0, 0]),
            open: false,
        };
        let dir = tempfile::tempdir().unwrap();
        let snapshot = FakeBackend::open(dir.path()).snapshot();
        let mut out = Vec::new();
        print_start(&mut out, &options, "http://127.0.0.1:8123/", &snapshot);
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("serving site at http://127.0.0.1:8123/"),
            "{text}"
        );
        assert!(text.contains("visible to the network"), "{text}");
    }
}
