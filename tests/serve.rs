//! `guidegen serve`, end to end: the real binary on a temporary site, asked over HTTP with a small
//! client on std's TcpStream, its event stream read as a browser would, files edited as editors
//! do. Every wait has a limit; the server is killed when a test ends, pass or fail.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{BIN, copy_fixture};

/// Long enough for a debug build on a loaded machine; a working server takes milliseconds.
const PATIENCE: Duration = Duration::from_secs(60);

const RELOAD_SCRIPT_START: &str = "<script data-guidegen-reload";
const OVERLAY: &str = "<div data-guidegen-overlay";

/// A running `guidegen serve`, killed when dropped.
struct Served {
    child: Child,
    addr: SocketAddr,
    /// Everything it printed so far, standard output and error interleaved by line.
    output: Arc<Mutex<String>>,
    site: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A copy of `tests/fixtures/<fixture>` served on a free port.
fn serve_fixture(fixture: &str) -> Served {
    let dir = tempfile::tempdir().expect("temporary folder");
    let site = copy_fixture(fixture, &dir.path().join("site"));
    serve(dir, site)
}

fn serve(dir: tempfile::TempDir, site: PathBuf) -> Served {
    let (child, output) = spawn(dir.path(), &[&"serve", &site, &"--port", &"0"]);
    started(child, output, dir, site)
}

/// Waits for a started server's address.
fn started(
    child: Child,
    output: Arc<Mutex<String>>,
    dir: tempfile::TempDir,
    site: PathBuf,
) -> Served {
    let mut served = Served {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        output,
        site,
        _dir: dir,
    };
    let line = served.wait_for_output("http://");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("an address");
    served.addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap_or_else(|e| panic!("address in `{line}`: {e}"));
    served
}

/// Starts guidegen with `args` in `cwd`, its output gathered line by line.
fn spawn(cwd: &Path, args: &[&dyn AsRef<std::ffi::OsStr>]) -> (Child, Arc<Mutex<String>>) {
    let mut command = Command::new(BIN);
    command
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for arg in args {
        command.arg(arg.as_ref());
    }
    let mut child = command.spawn().expect("guidegen starts");
    let output = Arc::new(Mutex::new(String::new()));
    for pipe in [
        Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().expect("stderr")),
    ] {
        let output = Arc::clone(&output);
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                let mut output = output.lock().unwrap();
                output.push_str(&line);
                output.push('\n');
            }
        });
    }
    (child, output)
}

impl Served {
    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// The first line printed that contains `text` (waiting for it).
    #[track_caller]
    fn wait_for_output(&mut self, text: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(line) = self.output().lines().find(|l| l.contains(text)) {
                return line.to_owned();
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "guidegen serve exited ({status}) before printing `{text}`:\n{}",
                    self.output()
                );
            }
            assert!(
                Instant::now() < deadline,
                "guidegen serve printed no `{text}` in {PATIENCE:?}:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn get(&self, target: &str) -> Fetched {
        fetch(self.addr, "GET", target)
    }

    fn page(&self, target: &str) -> String {
        let fetched = self.get(target);
        assert_eq!(fetched.status, 200, "GET {target}:\n{}", fetched.text());
        fetched.text()
    }

    fn events(&self) -> Events {
        Events::open(self.addr)
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.site.join(rel)
    }
}

/// A response, read to the end of the connection.
struct Fetched {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Fetched {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on a connection of its own. The target goes out as given: no client normalizes
/// `..` away here.
fn fetch(addr: SocketAddr, method: &str, target: &str) -> Fetched {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    Fetched {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    }
}

/// The event stream, read as a page reads it.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        write!(
            stream,
            "GET /__guidegen/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
        )
        .expect("send");
        let mut events = Events(BufReader::new(stream));
        let status = events.line();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        events
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.0
            .read_line(&mut line)
            .expect("the event stream goes on");
        assert!(!line.is_empty(), "the event stream ended");
        line
    }

    /// The generation the next `generation` event carries.
    fn next(&mut self) -> u64 {
        loop {
            let line = self.line();
            if let Some(number) = line.trim_end().strip_prefix("data: ") {
                return number.parse().expect("a generation");
            }
        }
    }

    /// Waits for an event newer than `seen`.
    fn after(&mut self, seen: u64) -> u64 {
        loop {
            let generation = self.next();
            if generation > seen {
                return generation;
            }
        }
    }
}

/// Saves as many editors do: the new text to a temporary file, renamed over the old one.
fn save_by_rename(path: &Path, text: &str) {
    let temporary = path.with_file_name(format!(
        "{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&temporary, text).expect("write the temporary file");
    std::fs::rename(&temporary, path).expect("rename over the file");
}

/// `path`'s text with its first line starting with `prefix` replaced by `line`.
fn replace_line(path: &Path, prefix: &str, line: &str) -> String {
    let text = std::fs::read_to_string(path).expect("read");
    let mut found = false;
    let lines: Vec<&str> = text
        .lines()
        .map(|l| {
            if !found && l.starts_with(prefix) {
                found = true;
                line
            } else {
                l
            }
        })
        .collect();
    assert!(
        found,
        "no line starting with `{prefix}` in {}",
        path.display()
    );
    lines.join("\n") + "\n"
}

/// A served page without what serve added: the reload script, just before `</body>`.
fn without_reload_script(page: &str) -> String {
    let start = page.find(RELOAD_SCRIPT_START).expect("the reload script");
    let end = page[start..].find("</script>\n").expect("the script's end") + start;
    format!("{}{}", &page[..start], &page[end + "</script>\n".len()..])
}

#[test]
fn serves_what_build_writes_at_the_same_paths_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let site = copy_fixture("valid", &dir.path().join("site"));
    let built = dir.path().join("built");
    common::run(&[&"build", &site, &"--out", &built]).expect_code(0);
    let before = common::snapshot(&site);
    let served = serve(dir, site);

    let output = common::snapshot(&built);
    let files = common::files(&output);
    for required in [
        "index.html",
        "en/index.html",
        "da/index.html",
        "en/hello/index.html",
    ] {
        assert!(files.contains(&required), "build wrote no {required}");
    }
    // `.guidegen-build` marks a folder build wrote; it is not part of the site.
    for rel in files.into_iter().filter(|rel| !rel.starts_with('.')) {
        let wrote = std::fs::read(built.join(rel)).unwrap();
        let fetched = served.get(&format!("/{rel}"));
        assert_eq!(fetched.status, 200, "GET /{rel}");
        if rel.ends_with(".html") {
            let page = fetched.text();
            assert_eq!(
                page.matches(RELOAD_SCRIPT_START).count(),
                1,
                "/{rel} has the reload script once"
            );
            assert_eq!(
                without_reload_script(&page),
                String::from_utf8(wrote).unwrap(),
                "/{rel} differs from what build wrote"
            );
            assert!(!page.contains(OVERLAY));
        } else if rel.ends_with(".pdf") {
            assert!(fetched.body.starts_with(b"%PDF-"), "/{rel} is a PDF");
            assert_eq!(fetched.header("content-type"), Some("application/pdf"));
        } else {
            assert!(
                fetched.body == wrote,
                "/{rel} differs from what build wrote"
            );
        }
    }
    // Folders are served at their own address too.
    assert_eq!(
        served.page("/en/hello/"),
        served.page("/en/hello/index.html")
    );
    assert_eq!(served.page("/"), served.page("/index.html"));
    let moved = served.get("/da/hello");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location"), Some("/da/hello/"));
    let page = served.get("/en/hello/");
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let policy = page.header("content-security-policy").expect("a policy");
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    assert_eq!(
        served.get("/assets/style.css").header("content-type"),
        Some("text/css; charset=utf-8")
    );
    // serve wrote nothing into the site: no output/, no cache, nothing changed.
    common::assert_same_tree(&before, &common::snapshot(&served.site), "the site folder");
}

#[test]
fn a_pdf_is_made_on_request() {
    let served = serve_fixture("valid");
    for pdf in ["/en/hello/hello-en.pdf", "/da/hello/hello-da.pdf"] {
        let fetched = served.get(pdf);
        assert_eq!(fetched.status, 200, "GET {pdf}: {}", fetched.text());
        assert!(fetched.body.starts_with(b"%PDF-"), "{pdf}");
        assert_eq!(fetched.header("content-type"), Some("application/pdf"));
    }
    assert_eq!(served.get("/en/hello/nothing-en.pdf").status, 404);
    assert!(!served.path("output").exists());
}

#[test]
fn a_save_by_rename_reloads_the_page_with_the_new_text() {
    let mut served = serve_fixture("valid");
    let mut events = served.events();
    let first = events.next();
    assert!(served.page("/en/hello/").contains("Say hello"));

    let guide = served.path("guides/hello/guide.yaml");
    let edited = replace_line(
        &guide,
        "title:",
        "title: {en: Say hello again, da: Sig hej igen}",
    );
    save_by_rename(&guide, &edited);
    let second = events.after(first);
    let page = served.page("/en/hello/");
    assert!(page.contains("Say hello again"), "{page}");
    assert!(page.contains(&format!("data-generation=\"{second}\"")));
    assert!(served.page("/da/hello/").contains("Sig hej igen"));
    assert!(
        served.page("/en/").contains("Say hello again"),
        "the index lists the new title"
    );
    let line = served.wait_for_output("rebuilt in");
    assert!(line.contains("guide.yaml"), "{line}");
    assert!(!line.contains(".tmp"), "{line}");
}

#[test]
fn an_error_shows_in_the_terminal_and_over_the_page_until_fixed() {
    let mut served = serve_fixture("valid");
    let mut events = served.events();
    let mut generation = events.next();
    let guide = served.path("guides/hello/guide.yaml");
    let good = std::fs::read_to_string(&guide).unwrap();

    let broken = good.replace("    action: {en: Install", "    acton: {en: Install");
    assert_ne!(broken, good);
    save_by_rename(&guide, &broken);
    generation = events.after(generation);
    let location = common::location_of(&guide, "acton");
    let page = served.page("/en/hello/");
    assert!(page.contains(OVERLAY), "the overlay is on the page");
    assert!(page.contains("Say hello"), "over the last good version");
    assert!(page.contains("unknown key `acton`"), "{page}");
    assert!(page.contains("acton: {en: Install the app., da: Installer appen.}"));
    assert!(page.contains("did you mean `action`?"));
    assert!(page.contains("role=\"alert\""));
    assert!(served.page("/da/hello/").contains(OVERLAY));
    assert!(
        !served.page("/en/").contains(OVERLAY),
        "only the guide's pages"
    );
    served.wait_for_output(&format!("{location}: error: unknown key `acton`"));
    let printed = common::diagnostics(&served.output(), "error");
    let error = printed
        .iter()
        .find(|d| d.location == location)
        .expect("the error as path:line:column");
    assert!(
        error.block.contains("acton: {en: Install"),
        "{}",
        error.block
    );
    assert!(error.hint.as_deref().unwrap_or("").contains("`action`"));

    save_by_rename(&guide, &good);
    events.after(generation);
    let fixed = served.page("/en/hello/");
    assert!(!fixed.contains(OVERLAY));
    assert!(!fixed.contains("unknown key"));
    served.wait_for_output("fixed: no errors left");
    // The error was printed once, not again with the fix.
    assert_eq!(
        served
            .output()
            .matches("error: unknown key `acton`")
            .count(),
        1,
        "{}",
        served.output()
    );
}

#[test]
fn a_guide_added_renamed_and_deleted() {
    let served = serve_fixture("valid");
    let mut events = served.events();
    let mut generation = events.next();
    let hello = served.path("guides/hello");
    let extra = served.path("guides/extra");
    std::fs::create_dir_all(extra.join("shots")).unwrap();
    std::fs::copy(hello.join("shots/a.svg"), extra.join("shots/a.svg")).unwrap();
    let text = replace_line(
        &hello.join("guide.yaml"),
        "title:",
        "title: {en: An extra guide, da: En ekstra vejledning}",
    );
    std::fs::write(extra.join("guide.yaml"), text).unwrap();
    let deadline = Instant::now() + PATIENCE;
    while served.get("/en/extra/").status != 200 {
        assert!(Instant::now() < deadline, "the new guide never appeared");
        generation = events.after(generation);
    }
    assert!(served.page("/en/extra/").contains("An extra guide"));
    assert!(served.page("/en/").contains("An extra guide"));

    std::fs::rename(&extra, served.path("guides/renamed")).unwrap();
    while served.get("/en/renamed/").status != 200 || served.get("/en/extra/").status != 404 {
        assert!(Instant::now() < deadline, "the rename never showed");
        generation = events.after(generation);
    }

    std::fs::remove_dir_all(served.path("guides/renamed")).unwrap();
    while served.get("/en/renamed/").status != 404 {
        assert!(Instant::now() < deadline, "the deleted guide stayed");
        generation = events.after(generation);
    }
    assert!(!served.page("/en/").contains("An extra guide"));
    assert_eq!(served.get("/en/hello/").status, 200);
}

#[test]
fn the_site_folder_by_default_is_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let site = copy_fixture("valid", &dir.path().join("site"));
    let (child, output) = spawn(&site, &[&"serve", &"--port", &"0"]);
    let mut served = started(child, output, dir, site);
    let mut events = served.events();
    let first = events.next();
    let guide = served.path("guides/hello/guide.yaml");
    let edited = replace_line(
        &guide,
        "title:",
        "title: {en: Hello from here, da: Hej herfra}",
    );
    save_by_rename(&guide, &edited);
    events.after(first);
    assert!(served.page("/en/hello/").contains("Hello from here"));
    served.wait_for_output("guides/hello/guide.yaml: rebuilt in");
    // Errors name the file as the writer would type it, from the site folder.
    save_by_rename(
        &guide,
        &edited.replace("    action: {en: Install", "    acton: {en: Install"),
    );
    served.wait_for_output(": error: unknown key `acton`");
    let (line, column) = common::position_of(&guide, "acton");
    let location = format!("guides/hello/guide.yaml:{line}:{column}");
    let printed = common::diagnostics(&served.output(), "error");
    assert!(
        printed.iter().any(|d| d.location == location),
        "no error at {location}:\n{}",
        served.output()
    );
}

#[test]
fn paths_that_leave_the_site_are_not_found() {
    let served = serve_fixture("valid");
    for target in [
        "/../guidegen.yaml",
        "/en/../../guidegen.yaml",
        "/%2e%2e/guidegen.yaml",
        "/%2e%2e/",
        "/..%2fguidegen.yaml",
        "/..%5cguidegen.yaml",
        "//etc/passwd",
        "/%2f%2fetc/passwd",
        "/en/hello/%00",
        "/guides/hello/guide.yaml",
        "/guidegen.yaml",
    ] {
        let fetched = served.get(target);
        assert_eq!(fetched.status, 404, "GET {target}");
        let text = fetched.text();
        assert!(
            !text.contains("Test guides, da:"),
            "GET {target} showed guidegen.yaml"
        );
        assert!(!text.contains("root:"), "GET {target} showed /etc/passwd");
    }
    assert_eq!(fetch(served.addr, "POST", "/en/hello/").status, 405);
    let head = fetch(served.addr, "HEAD", "/en/hello/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn requests_during_rebuilds_get_a_whole_page_old_or_new() {
    let served = serve_fixture("valid");
    let mut events = served.events();
    let mut generation = events.next();
    let guide = served.path("guides/hello/guide.yaml");
    let titles = ["Say hello", "Title one", "Title two"];
    let stop = Arc::new(AtomicBool::new(false));
    let addr = served.addr;
    let reader = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut checked = 0;
            let started = Instant::now();
            while !stop.load(Ordering::SeqCst) && checked < 5000 && started.elapsed() < PATIENCE {
                let fetched = fetch(addr, "GET", "/en/hello/");
                assert_eq!(fetched.status, 200);
                let length: usize = fetched.header("content-length").unwrap().parse().unwrap();
                assert_eq!(fetched.body.len(), length, "a whole response");
                let page = fetched.text();
                assert!(page.trim_end().ends_with("</html>"), "a whole page: {page}");
                assert!(
                    titles
                        .iter()
                        .any(|t| page.contains(&format!("<title>{t} "))),
                    "one of the versions"
                );
                checked += 1;
            }
            checked
        })
    };
    for round in 0..6 {
        let title = titles[1 + round % 2];
        let text = replace_line(
            &guide,
            "title:",
            &format!("title: {{en: {title}, da: {title}}}"),
        );
        save_by_rename(&guide, &text);
        generation = events.after(generation);
    }
    stop.store(true, Ordering::SeqCst);
    let checked = reader.join().expect("every response was whole");
    assert!(checked > 0);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_it_cleanly() {
    let mut served = serve_fixture("valid");
    let status = Command::new("kill")
        .args(["-INT", &served.child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(status.success());
    let deadline = Instant::now() + PATIENCE;
    let exit = loop {
        if let Some(exit) = served.child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(exit.code(), Some(0), "{}", served.output());
    served.wait_for_output("stopped");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = common::fixture("valid");
    let (mut child, output) = spawn(&site, &[&"serve", &site, &"--port", &port]);
    let deadline = Instant::now() + PATIENCE;
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("serve on a port in use did not stop");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // The pipes' last lines may still be on their way.
    std::thread::sleep(Duration::from_millis(100));
    let output = output.lock().unwrap().clone();
    assert_eq!(exit.code(), Some(2), "{output}");
    assert!(
        output.contains(&format!("port {port} is in use")),
        "{output}"
    );
    assert!(output.contains("--port 0"), "{output}");
}

#[test]
fn a_site_folder_that_does_not_exist_is_bad_usage() {
    let run = common::run(&[&"serve", &"no/such/folder", &"--port", &"0"]);
    run.expect_code(2);
    assert!(run.stderr.contains("is not a folder"), "{}", run.stderr);
}

#[test]
fn serve_publishes_a_redacted_screenshot_as_build_does() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("guides/shots")).unwrap();
    std::fs::write(site.join("guidegen.yaml"), "title: T\nlanguages: [en]\n").unwrap();
    // A secret in a colour nothing else has, at 100..300 × 50..90.
    let secret = image::Rgb([0xde, 0xad, 0xbe]);
    let shot = image::RgbImage::from_fn(960, 600, |x, y| {
        if (100..300).contains(&x) && (50..90).contains(&y) {
            secret
        } else {
            image::Rgb([250, 250, 250])
        }
    });
    shot.save(site.join("guides/shots/next.png")).unwrap();
    std::fs::write(
        site.join("guides/shots/guide.yaml"),
        "title: Shots\nsteps:\n  - device: computer\n    action: Look.\n    screenshot:\n      src: next.png\n      alt: The window\n      redact: [[100, 50, 200, 40]]\n",
    )
    .unwrap();
    let served = serve(dir, site);
    for path in ["/en/shots/next.png", "/en/shots/next.480w.png"] {
        let fetched = served.get(path);
        assert_eq!(fetched.status, 200, "GET {path}");
        let image = image::load_from_memory(&fetched.body)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .to_rgb8();
        assert!(
            !image.pixels().any(|p| *p == secret),
            "{path} shows the redacted pixels"
        );
        let (w, h) = image.dimensions();
        assert_eq!(
            image.get_pixel(200 * w / 960, 70 * h / 600).0,
            [0x40, 0x40, 0x40],
            "{path}"
        );
    }
}
