//! Helpers shared by the integration tests: run the real binary, copy fixtures, snapshot folders,
//! parse pages and diagnostics.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use scraper::{Html, Selector};

/// The `guidegen` binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_guidegen");

/// No run of guidegen on a test site should come anywhere near this; it only keeps a hang from
/// hanging the test suite.
const RUN_LIMIT: Duration = Duration::from_secs(300);

/// The repository, which is itself the example site.
pub fn example_site() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    example_site().join("tests/fixtures").join(name)
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics, showing the output, unless the exit code is `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit code {code}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Every error's `path:line:column`, in the order printed.
    pub fn error_locations(&self) -> Vec<String> {
        diagnostics(&self.stderr, "error")
            .into_iter()
            .map(|d| d.location)
            .collect()
    }

    /// The error printed at `location`, if any.
    pub fn error_at(&self, location: &str) -> Option<Printed> {
        diagnostics(&self.stderr, "error")
            .into_iter()
            .find(|d| d.location == location)
    }

    /// Panics unless an error is printed at exactly `location`, its message containing `message`,
    /// and (when given) its hint containing `hint`.
    #[track_caller]
    pub fn expect_error(&self, location: &str, message: &str, hint: Option<&str>) {
        let Some(d) = self.error_at(location) else {
            panic!(
                "no error at `{location}`; errors at {:?}\n--- stderr:\n{}",
                self.error_locations(),
                self.stderr
            );
        };
        assert!(
            d.message.contains(message),
            "the error at {location} should say `{message}`, says `{}`",
            d.message
        );
        if let Some(hint) = hint {
            let got = d.hint.as_deref().unwrap_or("<no hint>");
            assert!(
                got.contains(hint),
                "the error at {location} should hint `{hint}`, hints `{got}`"
            );
        }
    }
}

/// One diagnostic as printed: `location: error: message`, the quoted line, `= hint: …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    pub location: String,
    pub message: String,
    pub hint: Option<String>,
    /// Everything printed for it, header to hint.
    pub block: String,
}

/// The diagnostics of one severity (`error`, `warning`) in `stderr`, in the order printed.
pub fn diagnostics(stderr: &str, severity: &str) -> Vec<Printed> {
    let marker = format!(": {severity}: ");
    let lines: Vec<&str> = stderr.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        // `error: the site has …` (no location) is the summary, not a diagnostic.
        let Some(at) = line.find(&marker) else {
            continue;
        };
        let location = &line[..at];
        if location.is_empty() || !is_location(location) {
            continue;
        }
        let mut block = vec![*line];
        let mut hint = None;
        for next in &lines[i + 1..] {
            if next.trim().is_empty() {
                break;
            }
            if let Some(h) = next.trim_start().strip_prefix("= hint: ") {
                hint = Some(h.to_owned());
            }
            block.push(next);
        }
        out.push(Printed {
            location: location.to_owned(),
            message: line[at + marker.len()..].to_owned(),
            hint,
            block: block.join("\n"),
        });
    }
    out
}

/// `path:line:column` with numeric line and column.
fn is_location(text: &str) -> bool {
    let mut parts = text.rsplitn(3, ':');
    let column = parts.next().unwrap_or_default();
    let line = parts.next().unwrap_or_default();
    let path = parts.next().unwrap_or_default();
    !path.is_empty()
        && !column.is_empty()
        && !line.is_empty()
        && column.chars().all(|c| c.is_ascii_digit())
        && line.chars().all(|c| c.is_ascii_digit())
}

/// Runs guidegen with `args` in `cwd`, with an empty environment but for PATH (as a user's shell
/// might differ in everything else).
pub fn run_in(cwd: &Path, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Run {
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    for arg in args {
        command.arg(arg.as_ref());
    }
    let mut child = command.spawn().expect("guidegen starts");
    // Read the pipes on threads so that a chatty child never blocks on a full pipe.
    let mut stdout = child.stdout.take().expect("stdout piped");
    let mut stderr = child.stderr.take().expect("stderr piped");
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut s).ok();
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut s).ok();
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for guidegen") {
            break status;
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "guidegen {:?} did not finish in {RUN_LIMIT:?}",
                args.iter().map(|a| a.as_ref()).collect::<Vec<_>>()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    Run {
        code: status.code(),
        stdout,
        stderr,
    }
}

/// Runs guidegen with `args` from the repository's folder.
pub fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Run {
    run_in(&example_site(), args)
}

/// Copies a folder recursively (files and folders; symbolic links are copied as links).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()))
    {
        let entry = entry.expect("directory entry");
        let kind = entry.file_type().expect("file type");
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_symlink() {
            let link = std::fs::read_link(entry.path()).expect("read link");
            symlink(&link, &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
        }
    }
}

/// Creates a symbolic link at `link` pointing to `target`.
pub fn symlink(target: &Path, link: &Path) {
    #[cfg(unix)]
    std::os::unix::fs::symlink(target, link)
        .unwrap_or_else(|e| panic!("symlink {}: {e}", link.display()));
    #[cfg(windows)]
    std::os::windows::fs::symlink_file(target, link)
        .unwrap_or_else(|e| panic!("symlink {}: {e}", link.display()));
}

/// Copies `tests/fixtures/<name>` into `dest` and returns `dest`.
pub fn copy_fixture(name: &str, dest: &Path) -> PathBuf {
    copy_dir(&fixture(name), dest);
    dest.to_path_buf()
}

/// What is at one path of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
}

/// Everything below `dir` (not following links), by `/`-separated relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Entry> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Entry>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            let rel = rel_string(path.strip_prefix(root).expect("below root"));
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            if meta.file_type().is_symlink() {
                out.insert(
                    rel,
                    Entry::Link(std::fs::read_link(&path).expect("read link")),
                );
            } else if meta.is_dir() {
                out.insert(rel, Entry::Dir);
                walk(root, &path, out);
            } else {
                out.insert(rel, Entry::File(std::fs::read(&path).expect("read file")));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Panics, naming the paths that differ, unless two snapshots are equal.
#[track_caller]
pub fn assert_same_tree(
    before: &BTreeMap<String, Entry>,
    after: &BTreeMap<String, Entry>,
    what: &str,
) {
    let mut differences = Vec::new();
    for (path, entry) in before {
        match after.get(path) {
            None => differences.push(format!("removed: {path}")),
            Some(other) if other != entry => differences.push(format!("changed: {path}")),
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        differences.push(format!("added: {path}"));
    }
    assert!(
        differences.is_empty(),
        "{what}: {} difference(s):\n{}",
        differences.len(),
        differences.join("\n")
    );
}

/// The relative paths of the files (not folders) of a snapshot.
pub fn files(snapshot: &BTreeMap<String, Entry>) -> Vec<&str> {
    snapshot
        .iter()
        .filter(|(_, e)| matches!(e, Entry::File(_)))
        .map(|(p, _)| p.as_str())
        .collect()
}

pub fn rel_string(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// `base` joined with `/`-separated `rel`, with `.` and `..` applied; `None` when it climbs above the
/// start of `base`.
pub fn join_normalized(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The folder of a `/`-separated relative path (`""` for a file at the top).
pub fn parent_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `%20` and friends decoded.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A page of the output, parsed.
pub fn parse_html(path: &Path) -> Html {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    Html::parse_document(&text)
}

/// A CSS selector (panics on a typo in the test).
pub fn sel(selector: &str) -> Selector {
    Selector::parse(selector).unwrap_or_else(|e| panic!("selector {selector}: {e:?}"))
}

/// The 1-based line and column (in characters) of the first `needle` in `file`.
#[track_caller]
pub fn position_of(file: &Path, needle: &str) -> (usize, usize) {
    let text =
        std::fs::read_to_string(file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not in {}", file.display()));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// `path:line:column` of the first `needle` in `file`, as guidegen prints it for `file`.
#[track_caller]
pub fn location_of(file: &Path, needle: &str) -> String {
    let (line, column) = position_of(file, needle);
    format!("{}:{line}:{column}", file.display())
}

/// Whether a relative path is free of `..` and absolute parts.
pub fn stays_inside(path: &Path) -> bool {
    path.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Every image the PDF embeds, in object order: (width, height, its decompressed samples).
/// Whether `tool` (poppler's `pdftoppm`, `pdftotext`) runs here; a test that needs it says it is
/// skipped when not (CI installs it: `.ci/run`).
pub fn installed(tool: &str) -> bool {
    let runs = std::process::Command::new(tool).arg("-v").output().is_ok();
    if !runs {
        eprintln!("{tool} is not installed: skipped");
    }
    runs
}

pub fn embedded_images(pdf: &[u8]) -> Vec<(i64, i64, Vec<u8>)> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    doc.objects
        .values()
        .filter_map(|object| {
            let lopdf::Object::Stream(stream) = object else {
                return None;
            };
            let dict = &stream.dict;
            let is_image =
                dict.get(b"Subtype").and_then(lopdf::Object::as_name).ok() == Some(b"Image");
            // Soft masks (alpha) are images too; they have no colour space of their own.
            let is_mask = dict
                .get(b"ColorSpace")
                .and_then(lopdf::Object::as_name)
                .ok()
                == Some(b"DeviceGray");
            (is_image && !is_mask).then(|| {
                let side = |key: &[u8]| dict.get(key).and_then(lopdf::Object::as_i64).unwrap();
                let samples = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                (side(b"Width"), side(b"Height"), samples)
            })
        })
        .collect()
}
