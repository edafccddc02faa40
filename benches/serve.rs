//! Serve benchmark: how long from saving a guide.yaml until `guidegen serve` answers with the new
//! page, how long until it serves its first page, and how much memory it holds, on the synthetic
//! site of 1000 guides × 2 languages (issue #8). Beside it, if Hugo is installed, the same for
//! `hugo server` on a Hugo site with the same texts.
//!
//! ```text
//! cargo build --release                    # the bench runs target/release/guidegen
//! apt-get install -y hugo                  # optional, for the side-by-side column
//! cargo bench --bench serve                # guidegen and hugo
//! cargo bench --bench serve -- guidegen    # one of them (or: hugo)
//! ```
//!
//! The bench runs the release binary beside its own (`target/release/guidegen`; `GUIDEGEN_BIN`
//! names another), because a bench cannot ask cargo for a binary target's path; it says so when that
//! binary is older than `src/`. It installs nothing: without `hugo` on the `PATH` it prints
//! "hugo: not installed (apt-get install hugo)" and measures guidegen alone.
//!
//! What it measures, for each server:
//!
//! * startup: from starting the process to the first successful `GET /en/index.html` (for guidegen,
//!   the address is the `http://127.0.0.1:PORT` that `guidegen serve --port 0` prints; hugo is given a
//!   free port). The median of `GUIDEGEN_BENCH_STARTS` (3) starts.
//! * save → page: on the last start, `GUIDEGEN_BENCH_EDITS` (20) times: open a guide's English page
//!   (as a browser would have it open), change the first word of its first step's action to a new word
//!   and save, then request the page every 2 ms until it contains the new word. Each edit is in
//!   another guide (spread over the categories). Even edits write the file in place; odd ones write a
//!   temporary file beside it (`.goutputstream-…`, as GLib-based editors such as gedit do) and rename
//!   it over the guide. The median, min and
//!   max are reported, and the median of each way of saving.
//! * memory: `VmRSS` once the first page is served, and at the end `VmRSS` and `VmHWM` (peak) from
//!   `/proc/<pid>/status`.
//!
//! The requests come from a small HTTP/1.1 client on `std::net::TcpStream` (one connection per
//! request, `Connection: close`). Sites go to `GUIDEGEN_BENCH_DIR`, else `/dev/shm`, else the
//! system's temporary folder; `GUIDEGEN_BENCH_GUIDES` (1000) changes the site's size.
//!
//! `--generate-hugo DIR [GUIDES]` only writes the Hugo site (`hugo server --source DIR` serves it).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[path = "common/machine.rs"]
mod machine;
#[path = "common/site.rs"]
mod site;
#[path = "common/table.rs"]
mod table;
#[path = "common/tools.rs"]
mod tools;

use machine::{env_count, load_average};
use table::{median, ms};
use tools::{guidegen_binary, hugo_version};

/// Screenshots per synthetic guide, as in the build bench's 1000-guide case.
const SCREENSHOTS: usize = 3;
/// How often a page is requested while waiting for a change to show.
const POLL_EVERY: Duration = Duration::from_millis(2);
/// Longest wait for a server's first page, and for one edit to show.
const START_TIMEOUT: Duration = Duration::from_secs(120);
const EDIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Quiet time after each edit has shown, so that the next edit does not land in the previous one's
/// rebuild or in the watcher's batching window.
const SETTLE: Duration = Duration::from_millis(500);

/// Issue #8's targets for `guidegen serve` at 1000 guides × 2 languages on 2 cores.
const TARGET_EDIT_MS: f64 = 100.0;
const TARGET_PEAK_MB: f64 = 300.0;
const TARGET_STARTUP_MS: f64 = 1500.0;

/// The server being measured.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Server {
    Guidegen,
    Hugo,
}

impl Server {
    fn name(self) -> &'static str {
        match self {
            Server::Guidegen => "guidegen serve",
            Server::Hugo => "hugo server",
        }
    }

    /// The file of guide `index`'s English page in the site.
    fn guide_file(self, site_dir: &Path, index: usize) -> PathBuf {
        match self {
            Server::Guidegen => site_dir
                .join("guides")
                .join(site::category(index))
                .join(site::guide_id(index))
                .join("guide.yaml"),
            Server::Hugo => site_dir
                .join("content/en")
                .join(site::category(index))
                .join(site::guide_id(index))
                .join("index.md"),
        }
    }

    /// The URL path of guide `index`'s English page. Hugo's file server redirects `…/index.html` to
    /// `…/`, so its pages are asked for by their folder.
    fn guide_path(self, index: usize) -> String {
        match self {
            Server::Guidegen => format!("/en/{}/index.html", site::guide_id(index)),
            Server::Hugo => format!("/en/{}/{}/", site::category(index), site::guide_id(index)),
        }
    }

    fn home_path(self) -> &'static str {
        match self {
            Server::Guidegen => "/en/index.html",
            Server::Hugo => "/en/",
        }
    }
}

/// How an edit is saved.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Save {
    /// Truncate and write the file itself.
    InPlace,
    /// Write a temporary file beside it, then rename it over the file.
    Rename,
}

/// One server's results.
struct Measured {
    server: Server,
    /// Milliseconds from process start to the first page, one per start.
    startups_ms: Vec<f64>,
    /// Milliseconds from saving to the page with the new word, and how the edit was saved; None for
    /// an edit that did not show within [`EDIT_TIMEOUT`].
    edits: Vec<(Save, Option<f64>)>,
    rss_started_mb: f64,
    rss_end_mb: f64,
    peak_mb: f64,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let guides = env_count("GUIDEGEN_BENCH_GUIDES").unwrap_or(1000);
    if let Some(i) = args.iter().position(|a| a == "--generate-hugo") {
        let Some(dir) = args.get(i + 1) else {
            eprintln!("usage: --generate-hugo DIR [GUIDES]");
            return ExitCode::from(2);
        };
        let guides = args
            .get(i + 2)
            .and_then(|n| n.parse().ok())
            .unwrap_or(guides);
        return match site::generate_hugo_site(Path::new(dir), guides, SCREENSHOTS) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("cannot write the Hugo site: {err}");
                ExitCode::FAILURE
            }
        };
    }
    // `cargo bench` passes `--bench`; any other word picks a server.
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let wanted = |server: Server| {
        filters.is_empty() || filters.iter().any(|f| server.name().contains(f.as_str()))
    };
    let edits = env_count("GUIDEGEN_BENCH_EDITS").unwrap_or(20);
    let starts = env_count("GUIDEGEN_BENCH_STARTS").unwrap_or(3);

    let work_dir = match tempfile::Builder::new()
        .prefix("guidegen-serve-bench-")
        .tempdir_in(bench_dir())
    {
        Ok(dir) => dir,
        Err(err) => {
            eprintln!("cannot make a temporary folder: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "guidegen serve benchmark: {guides} guides × 2 languages, {} cores, sites in {}, load average at start {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        bench_dir().display(),
        load_average()
    );

    let mut results = Vec::new();
    let mut failed = false;
    if wanted(Server::Guidegen) {
        match guidegen_binary("serve") {
            Ok(binary) => {
                let site_dir = work_dir.path().join("guidegen-site");
                match measure(Server::Guidegen, &binary, &site_dir, guides, starts, edits) {
                    Ok(measured) => results.push(measured),
                    Err(message) => {
                        eprintln!("guidegen serve: {message}");
                        failed = true;
                    }
                }
            }
            Err(message) => {
                println!("guidegen: {message}");
                failed = true;
            }
        }
    }
    if wanted(Server::Hugo) {
        match hugo_version() {
            Some(version) => {
                println!("hugo: {version}");
                let site_dir = work_dir.path().join("hugo-site");
                let binary = PathBuf::from("hugo");
                match measure(Server::Hugo, &binary, &site_dir, guides, starts, edits) {
                    Ok(measured) => results.push(measured),
                    Err(message) => eprintln!("hugo server: {message}"),
                }
            }
            None => println!("hugo: not installed (apt-get install hugo)"),
        }
    }
    println!("load average at end {}\n", load_average());
    println!("{}", table(&results));
    for measured in &results {
        let latencies: Vec<String> = measured
            .edits
            .iter()
            .map(|(save, ms)| {
                let how = match save {
                    Save::InPlace => "w",
                    Save::Rename => "r",
                };
                match ms {
                    Some(ms) => format!("{ms:.0}{how}"),
                    None => format!("timeout{how}"),
                }
            })
            .collect();
        println!(
            "{}: save → page, ms, in order (w: written in place, r: renamed over): {}",
            measured.server.name(),
            latencies.join(" ")
        );
        if measured.edits.iter().any(|(_, ms)| ms.is_none()) && measured.server == Server::Guidegen
        {
            failed = true;
        }
    }
    println!(
        "\nstartup: process start → first `GET {}` answered 200, median of {starts} starts; \
         save → page: from writing the file to the first response containing the new word, polled \
         every {} ms, {edits} edits in different guides; RSS from /proc/<pid>/status after the first page \
         and after the edits; peak = VmHWM.",
        Server::Guidegen.home_path(),
        POLL_EVERY.as_millis()
    );
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Generates `server`'s site, starts the server `starts` times to time its startup, and measures the
/// edits on the last start.
fn measure(
    server: Server,
    binary: &Path,
    site_dir: &Path,
    guides: usize,
    starts: usize,
    edits: usize,
) -> Result<Measured, String> {
    eprintln!("{}: writing the site ({guides} guides) …", server.name());
    let generated = match server {
        Server::Guidegen => site::generate_site(site_dir, guides, SCREENSHOTS),
        Server::Hugo => site::generate_hugo_site(site_dir, guides, SCREENSHOTS),
    };
    generated.map_err(|e| format!("cannot write the site: {e}"))?;

    let mut startups_ms = Vec::new();
    let mut running = None;
    for start in 0..starts {
        // One server at a time: the previous start is stopped before the next is timed.
        drop(running.take());
        let (process, startup) = Running::start(server, binary, site_dir)?;
        eprintln!(
            "{}: start {}: first page after {}",
            server.name(),
            start + 1,
            ms(startup)
        );
        startups_ms.push(startup);
        // The last start stays up for the edits; dropping a `Running` kills it.
        running = Some(process);
    }
    let Some(process) = running else {
        return Err("no start".into());
    };
    let rss_started_mb = process.status_mb("VmRSS:");

    let mut results = Vec::new();
    for k in 0..edits {
        let index = (k * guides / edits + guides / (2 * edits).max(1)) % guides;
        let save = if k % 2 == 0 {
            Save::InPlace
        } else {
            Save::Rename
        };
        let latency = edit_and_wait(&process, server, site_dir, index, k, save)?;
        match latency {
            Some(ms) => eprintln!("{}: edit {}: {}", server.name(), k + 1, self::ms(ms)),
            None => eprintln!(
                "{}: edit {}: the new word did not show within {} s",
                server.name(),
                k + 1,
                EDIT_TIMEOUT.as_secs()
            ),
        }
        results.push((save, latency));
        std::thread::sleep(SETTLE);
    }
    let measured = Measured {
        server,
        startups_ms,
        edits: results,
        rss_started_mb,
        rss_end_mb: process.status_mb("VmRSS:"),
        peak_mb: process.status_mb("VmHWM:"),
    };
    drop(process);
    Ok(measured)
}

/// Changes the first word of guide `index`'s first step (English) to a new word, saves the file as
/// `save` says, and requests the page every [`POLL_EVERY`] until it has the word. The milliseconds
/// from saving to that response; None if it did not come within [`EDIT_TIMEOUT`].
fn edit_and_wait(
    process: &Running,
    server: Server,
    site_dir: &Path,
    index: usize,
    k: usize,
    save: Save,
) -> Result<Option<f64>, String> {
    let file = server.guide_file(site_dir, index);
    let page = server.guide_path(index);
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let line = site::first_action_line_en(index);
    let at = text
        .find(&line)
        .ok_or_else(|| format!("{}: no line {line:?}", file.display()))?;
    let word_end = at + line.find(' ').unwrap_or(line.len());
    // Letters only, so that Markdown and HTML leave it as it is; new in every edit.
    let word = format!("Benchedit{}", letters(k));
    let edited = format!("{}{word}{}", &text[..at], &text[word_end..]);

    // The page is open before the edit, as in a browser (Hugo re-renders the pages it has served).
    let before = process.get(&page).map_err(|e| format!("GET {page}: {e}"))?;
    if before.status != 200 {
        return Err(format!("GET {page}: status {}", before.status));
    }
    if before.contains(&word) {
        return Err(format!("GET {page}: has {word} before the edit"));
    }

    let saved = Instant::now();
    match save {
        Save::InPlace => std::fs::write(&file, &edited),
        Save::Rename => {
            // The name GLib gives its temporary file when it replaces one (gedit, GNOME editors).
            let temporary = file.with_file_name(format!(".goutputstream-BENCH{}", letters(k)));
            std::fs::write(&temporary, &edited).and_then(|()| std::fs::rename(&temporary, &file))
        }
    }
    .map_err(|e| format!("cannot save {}: {e}", file.display()))?;
    while saved.elapsed() < EDIT_TIMEOUT {
        // A failed request (a server busy rebuilding may drop one) counts as "not yet".
        if let Ok(response) = process.get(&page)
            && response.status == 200
            && response.contains(&word)
        {
            return Ok(Some(saved.elapsed().as_secs_f64() * 1000.0));
        }
        std::thread::sleep(POLL_EVERY);
    }
    Ok(None)
}

/// `k` as lowercase letters (0 → "a", 25 → "z", 26 → "ba"): a word that no Markdown touches.
fn letters(mut k: usize) -> String {
    let mut word = Vec::new();
    loop {
        word.push(b'a' + (k % 26) as u8);
        k /= 26;
        if k == 0 {
            break;
        }
    }
    word.reverse();
    String::from_utf8(word).unwrap_or_default()
}

/// A server process; killed when dropped, so that no server outlives the bench.
struct Running {
    child: Child,
    addr: SocketAddr,
}

impl Running {
    /// Starts `server` on `site_dir` and waits for its first page; returns it and the milliseconds
    /// from starting the process to that page.
    fn start(server: Server, binary: &Path, site_dir: &Path) -> Result<(Running, f64), String> {
        let log_dir = site_dir.parent().unwrap_or(site_dir);
        let log = |name: &str| {
            std::fs::File::create(log_dir.join(name))
                .map(Stdio::from)
                .unwrap_or_else(|_| Stdio::null())
        };
        let mut command = Command::new(binary);
        // Hugo is told a free port; guidegen picks one and prints it.
        let hugo_port = match server {
            Server::Guidegen => {
                command
                    .arg("serve")
                    .arg(site_dir)
                    .args(["--port", "0"])
                    .stdout(Stdio::piped())
                    .stderr(log("guidegen-serve.stderr"));
                None
            }
            Server::Hugo => {
                let port = free_port().map_err(|e| format!("no free port: {e}"))?;
                command
                    .arg("server")
                    .arg("--source")
                    .arg(site_dir)
                    .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
                    .stdout(log("hugo-server.stdout"))
                    .stderr(log("hugo-server.stderr"));
                Some(port)
            }
        };
        let started = Instant::now();
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        let addr = match hugo_port {
            Some(port) => SocketAddr::from(([127, 0, 0, 1], port)),
            None => {
                let Some(stdout) = child.stdout.take() else {
                    let _ = child.kill();
                    return Err("no stdout".into());
                };
                match printed_address(stdout) {
                    Ok(addr) => addr,
                    Err(message) => {
                        let _ = child.kill();
                        let _ = child.wait();
                        return Err(message);
                    }
                }
            }
        };
        let running = Running { child, addr };
        loop {
            if let Ok(response) = running.get(server.home_path())
                && response.status == 200
            {
                return Ok((running, started.elapsed().as_secs_f64() * 1000.0));
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(format!(
                    "no page at http://{addr}{} within {} s",
                    server.home_path(),
                    START_TIMEOUT.as_secs()
                ));
            }
            std::thread::sleep(POLL_EVERY);
        }
    }

    fn get(&self, path: &str) -> std::io::Result<Response> {
        http_get(self.addr, path)
    }

    /// A `kB` line of the server's `/proc/<pid>/status` (`VmRSS:`, `VmHWM:`), in MB; 0 if unreadable.
    fn status_mb(&self, key: &str) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads `guidegen serve`'s stdout until it prints its address (`http://127.0.0.1:PORT/`), then keeps
/// reading it on a thread of its own, so that the server never blocks on a full pipe.
fn printed_address(stdout: std::process::ChildStdout) -> Result<SocketAddr, String> {
    let (found, address) = mpsc::channel();
    std::thread::spawn(move || {
        let mut sent = false;
        let mut printed = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if !sent && let Some(addr) = address_in(&line) {
                let _ = found.send(Ok(addr));
                sent = true;
            }
            if !sent {
                printed.push(line);
            }
        }
        if !sent {
            let _ = found.send(Err(format!(
                "it ended without printing its address; it printed:\n{}",
                printed.join("\n")
            )));
        }
    });
    address
        .recv_timeout(START_TIMEOUT)
        .map_err(|_| format!("no address within {} s", START_TIMEOUT.as_secs()))?
}

/// The `127.0.0.1:PORT` of an `http://127.0.0.1:PORT/` in `line`.
fn address_in(line: &str) -> Option<SocketAddr> {
    let start = line.find("http://")? + "http://".len();
    let rest = &line[start..];
    let end = rest.find('/').unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// A port nobody listens on now: bind port 0, note the port the system gave, let it go.
fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    Ok(listener.local_addr()?.port())
}

/// An HTTP response: its status and its body (de-chunked).
struct Response {
    status: u16,
    body: Vec<u8>,
}

impl Response {
    fn contains(&self, word: &str) -> bool {
        let word = word.as_bytes();
        self.body.windows(word.len()).any(|w| w == word)
    }
}

/// `GET path` over a new connection, read to its end.
fn http_get(addr: SocketAddr, path: &str) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(EDIT_TIMEOUT))?;
    stream.set_write_timeout(Some(Duration::from_secs(2)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw)
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "not an HTTP response"))
}

fn parse_response(raw: &[u8]) -> Option<Response> {
    let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..head_end]).ok()?;
    let body = &raw[head_end + 4..];
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let header = |name: &str| {
        head.split("\r\n").skip(1).find_map(|l| {
            let (key, value) = l.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_ascii_lowercase())
        })
    };
    let body = if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        dechunk(body)?
    } else {
        match header("content-length").and_then(|v| v.parse::<usize>().ok()) {
            Some(length) => body.get(..length)?.to_vec(),
            None => body.to_vec(),
        }
    };
    Some(Response { status, body })
}

/// The body of a `Transfer-Encoding: chunked` response.
fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

/// The results as a Markdown table (readable in a terminal, and pasteable into docs/benchmarks.md).
fn table(results: &[Measured]) -> String {
    let header = [
        "server",
        "startup (median, min–max)",
        "save → page median (min–max, seen)",
        "in place / renamed",
        "RSS after start",
        "RSS at end",
        "peak RSS",
        "targets met",
    ];
    let mut lines = Vec::new();
    for m in results {
        let seen: Vec<f64> = m.edits.iter().filter_map(|(_, ms)| *ms).collect();
        let by = |save: Save| {
            let mut times: Vec<f64> = m
                .edits
                .iter()
                .filter(|(s, _)| *s == save)
                .filter_map(|(_, ms)| *ms)
                .collect();
            if times.is_empty() {
                "—".to_string()
            } else {
                ms(median(&mut times))
            }
        };
        let startup = median(&mut m.startups_ms.clone());
        let edit_median = median(&mut seen.clone());
        let verdict = match m.server {
            Server::Hugo => "—".to_string(),
            Server::Guidegen => {
                let checks = [
                    (startup < TARGET_STARTUP_MS, "startup"),
                    (
                        seen.len() == m.edits.len() && edit_median < TARGET_EDIT_MS,
                        "save → page",
                    ),
                    (m.peak_mb < TARGET_PEAK_MB, "memory"),
                ];
                let missed: Vec<&str> = checks
                    .iter()
                    .filter(|(met, _)| !met)
                    .map(|(_, what)| *what)
                    .collect();
                if missed.is_empty() {
                    "yes".into()
                } else {
                    format!("**NO**: {}", missed.join(", "))
                }
            }
        };
        let range = |values: &[f64]| {
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            let max = values.iter().copied().fold(0.0, f64::max);
            if values.is_empty() {
                "—".to_string()
            } else {
                format!("{}–{}", ms(min), ms(max))
            }
        };
        lines.push(vec![
            m.server.name().to_string(),
            format!("{} ({})", ms(startup), range(&m.startups_ms)),
            format!(
                "{} ({}, {}/{})",
                if seen.is_empty() {
                    "—".to_string()
                } else {
                    ms(edit_median)
                },
                range(&seen),
                seen.len(),
                m.edits.len()
            ),
            format!("{} / {}", by(Save::InPlace), by(Save::Rename)),
            format!("{:.0} MB", m.rss_started_mb),
            format!("{:.0} MB", m.rss_end_mb),
            format!("{:.0} MB", m.peak_mb),
            verdict,
        ]);
    }
    table::markdown(&header, &lines)
}

/// Where the sites go: `GUIDEGEN_BENCH_DIR`, else `/dev/shm` (a tmpfs, as in the build bench), else
/// the system's temporary folder.
fn bench_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("GUIDEGEN_BENCH_DIR") {
        return PathBuf::from(dir);
    }
    let shm = Path::new("/dev/shm");
    let writable =
        shm.is_dir() && std::fs::metadata(shm).is_ok_and(|m| !m.permissions().readonly());
    if writable {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}
