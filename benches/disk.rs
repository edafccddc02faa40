//! Disk benchmark: `guidegen build` side by side with Hugo on the disk (not tmpfs), in one run, on
//! the synthetic site of 1000 guides × 25 steps × 2 languages (issue #13, "Speed targets").
//!
//! ```text
//! cargo build --release                      # the bench runs target/release/guidegen
//! apt-get install -y hugo                    # optional, for the side-by-side rows
//! cargo bench --bench disk                   # both screenshot variants, disk and /dev/shm
//! cargo bench --bench disk -- shared         # one variant (or: distinct)
//! GUIDEGEN_BENCH_RUNS=5 cargo bench --bench disk
//! ```
//!
//! The sites: the same guides for both tools, in two screenshot variants
//! ([`site::ScreenshotPlan`]): `shared`, where every step of a guide shows the same PNG (one file per
//! guide folder, the same bytes in every guide; Hugo has it in each page bundle), and `distinct`,
//! where every step shows a 320×200 PNG of its own (25 per guide; Hugo has the same files).
//!
//! The cases, for each variant, each tool's runs alternating with the other's (which tool goes first
//! alternates too), the median of `GUIDEGEN_BENCH_RUNS` (3) runs:
//!
//! 1. fresh: the output folder (and guidegen's spare beside it, see `write::spare_name`) is
//!    moved aside (not timed; removed at the end of the bench, see [`set_aside`] for why) and `sync`
//!    run (not timed), then
//!    `guidegen build SITE --out OUT --format html --quiet`, or `hugo -s SITE -d OUT --quiet`;
//! 2. rebuild after one edit: the first word of the first step's action in one guide is changed in
//!    both languages (guidegen: its guide.yaml; Hugo: its two index.md, the same texts), then the
//!    tool builds again into the output of the previous build;
//! 3. guidegen only: rebuild with nothing changed.
//!
//! Before every timed run the bench calls `sync`, so that no run pays for the previous one's
//! writeback. Each run reports its wall time (spawn to exit), the child's peak resident memory
//! (`ru_maxrss` from `wait4`), and the files in the output (HTML pages + others by name, and the
//! others' distinct inodes), counted afterwards.
//!
//! Where: sites and output go to `GUIDEGEN_BENCH_DIR`, by default `target/bench-disk/` beside this
//! bench's executable (the disk where users build), and the same cases again under `/dev/shm` when
//! it is a writable folder (`GUIDEGEN_BENCH_NO_TMPFS=1` skips it). `GUIDEGEN_BENCH_GUIDES` (1000)
//! changes the site's size.
//!
//! The table gives guidegen's wall time as a ratio of Hugo's fresh build (same variant, same place)
//! beside the targets: fresh ≤ 0.25× and peak ≤ 150 MB, rebuild after one edit ≤ 0.15×. It installs
//! nothing: without `hugo` on the `PATH` it prints "hugo: not installed (apt-get install hugo)" and
//! measures guidegen alone. It runs `target/release/guidegen` (or `GUIDEGEN_BIN`), and warns when that
//! binary is older than `src/`.
//!
//! `--generate DIR shared|distinct [GUIDES]` only writes the guidegen site, `--generate-hugo DIR
//! shared|distinct [GUIDES]` only the Hugo site.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

#[path = "common/machine.rs"]
mod machine;
#[path = "common/site.rs"]
mod site;
#[path = "common/table.rs"]
mod table;
#[path = "common/tools.rs"]
mod tools;

use machine::{env_count, load_average};
use site::ScreenshotPlan;
use table::{median, ms};
use tools::{guidegen_binary, hugo_version};

/// Issue #13's targets, on the disk, against Hugo's fresh build of the same site in the same run.
const TARGET_FRESH_RATIO: f64 = 0.25;
const TARGET_FRESH_PEAK_MB: f64 = 150.0;
const TARGET_EDIT_RATIO: f64 = 0.15;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tool {
    Guidegen,
    Hugo,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Guidegen => "guidegen",
            Tool::Hugo => "Hugo",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Case {
    Fresh,
    Edited,
    Unchanged,
}

impl Case {
    const ALL: [Case; 3] = [Case::Fresh, Case::Edited, Case::Unchanged];

    fn name(self) -> &'static str {
        match self {
            Case::Fresh => "fresh",
            Case::Edited => "rebuild, one guide edited",
            Case::Unchanged => "rebuild, nothing changed",
        }
    }

    fn tools(self) -> &'static [Tool] {
        match self {
            Case::Fresh | Case::Edited => &[Tool::Guidegen, Tool::Hugo],
            Case::Unchanged => &[Tool::Guidegen],
        }
    }
}

/// A place where sites and output are written.
struct Place {
    /// `disk` or `tmpfs`.
    name: &'static str,
    dir: PathBuf,
}

/// One timed run of a tool.
#[derive(Clone, Copy)]
struct Run {
    wall_ms: f64,
    peak_mb: f64,
}

/// A tool's runs of a case, in one place, for one variant, and the output's files after the last.
struct Measured {
    place: &'static str,
    plan: ScreenshotPlan,
    case: Case,
    tool: Tool,
    runs: Vec<Run>,
    /// The output's files after the last run.
    files: Files,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let guides = env_count("GUIDEGEN_BENCH_GUIDES").unwrap_or(1000);
    for (flag, hugo) in [("--generate", false), ("--generate-hugo", true)] {
        if let Some(i) = args.iter().position(|a| a == flag) {
            let dir = args.get(i + 1);
            let plan = args.get(i + 2).and_then(|w| ScreenshotPlan::parse(w));
            let (Some(dir), Some(plan)) = (dir, plan) else {
                eprintln!("usage: {flag} DIR shared|distinct [GUIDES]");
                return ExitCode::from(2);
            };
            let guides = args
                .get(i + 3)
                .and_then(|n| n.parse().ok())
                .unwrap_or(guides);
            let written = if hugo {
                site::generate_hugo_site_with(Path::new(dir), guides, plan)
            } else {
                site::generate_site_with(Path::new(dir), guides, plan)
            };
            return match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("cannot write the site: {err}");
                    ExitCode::FAILURE
                }
            };
        }
    }
    // `cargo bench` passes `--bench`; `shared` or `distinct` picks a variant.
    let mut plans: Vec<ScreenshotPlan> = args
        .iter()
        .filter_map(|a| ScreenshotPlan::parse(a))
        .collect();
    if plans.is_empty() {
        plans = vec![ScreenshotPlan::Shared, ScreenshotPlan::Distinct];
    }
    let runs = env_count("GUIDEGEN_BENCH_RUNS").unwrap_or(3);

    let binary = match guidegen_binary("build") {
        Ok(binary) => binary,
        Err(message) => {
            println!("guidegen: {message}");
            return ExitCode::FAILURE;
        }
    };
    let hugo = match hugo_version() {
        Some(version) => {
            println!("hugo: {version}");
            true
        }
        None => {
            println!("hugo: not installed (apt-get install hugo)");
            false
        }
    };
    let mut places = vec![Place {
        name: "disk",
        dir: disk_dir(),
    }];
    if let Some(shm) = tmpfs_dir() {
        places.push(Place {
            name: "tmpfs",
            dir: shm,
        });
    }
    for place in &places {
        if let Err(err) = std::fs::create_dir_all(&place.dir) {
            eprintln!("cannot make {}: {err}", place.dir.display());
            return ExitCode::FAILURE;
        }
        println!(
            "{}: {} ({})",
            place.name,
            place.dir.display(),
            file_system(&place.dir)
        );
    }
    let load_start = load_average();
    println!(
        "disk benchmark: {guides} guides × 25 steps × 2 languages, screenshots {}, median of {runs} runs, {} cores, load average at start {load_start}",
        plans
            .iter()
            .map(|p| p.name())
            .collect::<Vec<_>>()
            .join(" and "),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
    );

    let mut results = Vec::new();
    // Removed only once everything is measured ([`set_aside`]).
    let mut measured_folders = Vec::new();
    for place in &places {
        for &plan in &plans {
            let bench = Bench {
                binary: &binary,
                hugo,
                guides,
                runs,
                place,
                plan,
            };
            match bench.measure(&mut results) {
                Ok(work) => measured_folders.push(work),
                Err(message) => {
                    eprintln!("{} {}: {message}", place.name, plan.name());
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    let load_end = load_average();
    println!("\nload average at start {load_start}, at end {load_end}\n");
    println!("{}", table(&results, &places, &plans, hugo));
    println!("every run, in order (wall time / peak RSS):");
    for m in &results {
        let runs: Vec<String> = m
            .runs
            .iter()
            .map(|r| format!("{} / {:.0} MB", ms(r.wall_ms), r.peak_mb))
            .collect();
        println!(
            "  {} {} {} {}: {}",
            m.place,
            m.plan.name(),
            m.case.name(),
            m.tool.name(),
            runs.join(", ")
        );
    }
    println!(
        "\nwall: spawn to exit, median; × Hugo fresh: that median over Hugo's fresh median for the same \
         screenshots in the same place; peak: the largest ru_maxrss (wait4) of the runs; files: HTML \
         pages + other files in the output after the case's last run, by name (and the other names' \
         distinct inodes: one file hard-linked to several names was written once). `sync` before every timed run; \
         a fresh run's previous output is moved aside and removed only now."
    );
    // Removed last: see `set_aside`.
    drop(measured_folders);
    ExitCode::SUCCESS
}

/// The measurement of one screenshot variant in one place.
struct Bench<'a> {
    binary: &'a Path,
    hugo: bool,
    guides: usize,
    runs: usize,
    place: &'a Place,
    plan: ScreenshotPlan,
}

impl Bench<'_> {
    /// Writes both sites into a new folder of the place and runs the cases; the folder, for the
    /// caller to remove once every case of every place has run ([`set_aside`]).
    fn measure(&self, results: &mut Vec<Measured>) -> Result<tempfile::TempDir, String> {
        let work = tempfile::Builder::new()
            .prefix("guidegen-disk-bench-")
            .tempdir_in(&self.place.dir)
            .map_err(|e| format!("cannot make a folder in {}: {e}", self.place.dir.display()))?;
        let work_dir = work.path();
        let tools: Vec<Tool> = [Tool::Guidegen, Tool::Hugo]
            .into_iter()
            .filter(|t| *t == Tool::Guidegen || self.hugo)
            .collect();
        for &tool in &tools {
            let started = Instant::now();
            let site_dir = site_dir(work_dir, tool);
            match tool {
                Tool::Guidegen => site::generate_site_with(&site_dir, self.guides, self.plan),
                Tool::Hugo => site::generate_hugo_site_with(&site_dir, self.guides, self.plan),
            }
            .map_err(|e| format!("cannot write the {} site: {e}", tool.name()))?;
            eprintln!(
                "{} {}: {} site written in {}",
                self.place.name,
                self.plan.name(),
                tool.name(),
                ms(started.elapsed().as_secs_f64() * 1000.0)
            );
        }
        // The guide whose text the rebuild case edits: the one in the middle of the site.
        let edits = Edits::read(work_dir, &tools, self.guides / 2)?;

        for case in Case::ALL {
            let case_tools: Vec<Tool> = case
                .tools()
                .iter()
                .copied()
                .filter(|t| tools.contains(t))
                .collect();
            let mut measured: Vec<Measured> = case_tools
                .iter()
                .map(|&tool| Measured {
                    place: self.place.name,
                    plan: self.plan,
                    case,
                    tool,
                    runs: Vec::new(),
                    files: Files::default(),
                })
                .collect();
            for run in 0..self.runs {
                // Alternate which tool goes first.
                let mut order: Vec<usize> = (0..measured.len()).collect();
                if run % 2 == 1 {
                    order.reverse();
                }
                for k in order {
                    let tool = measured[k].tool;
                    let out = out_dir(work_dir, tool);
                    match case {
                        Case::Fresh => {
                            // guidegen keeps the output before last beside the output (its
                            // spare, which the next build starts from): a fresh build has none.
                            let spare = out.file_name().map(|name| {
                                out.with_file_name(guidegen::write::spare_name(
                                    &name.to_string_lossy(),
                                ))
                            });
                            for dir in std::iter::once(out.clone()).chain(spare) {
                                set_aside(work_dir, &dir)?;
                            }
                        }
                        Case::Edited => edits.apply(tool, run)?,
                        Case::Unchanged => {}
                    }
                    sync();
                    let timed = self.build(tool, work_dir)?;
                    eprintln!(
                        "{} {} {} {} run {}: {} / {:.0} MB",
                        self.place.name,
                        self.plan.name(),
                        case.name(),
                        tool.name(),
                        run + 1,
                        ms(timed.wall_ms),
                        timed.peak_mb
                    );
                    measured[k].runs.push(timed);
                }
            }
            for m in &mut measured {
                m.files = count_files(&out_dir(work_dir, m.tool));
            }
            results.extend(measured);
        }
        sync();
        Ok(work)
    }

    /// Runs one build of `tool` into its output folder; its wall time and peak memory.
    fn build(&self, tool: Tool, work_dir: &Path) -> Result<Run, String> {
        let site = site_dir(work_dir, tool);
        let out = out_dir(work_dir, tool);
        let mut command = match tool {
            Tool::Guidegen => {
                let mut c = Command::new(self.binary);
                c.arg("build")
                    .arg(&site)
                    .arg("--out")
                    .arg(&out)
                    .args(["--format", "html", "--quiet"]);
                c
            }
            Tool::Hugo => {
                let mut c = Command::new("hugo");
                c.arg("-s").arg(&site).arg("-d").arg(&out).arg("--quiet");
                c
            }
        };
        let log_path = work_dir.join(format!("{}.log", tool.name()));
        let log =
            std::fs::File::create(&log_path).map_err(|e| format!("cannot make a log file: {e}"))?;
        let log_err = log
            .try_clone()
            .map_err(|e| format!("cannot make a log file: {e}"))?;
        command.stdin(Stdio::null()).stdout(log).stderr(log_err);
        let (run, success) = run_measured(&mut command)?;
        if !success {
            let printed = std::fs::read_to_string(&log_path).unwrap_or_default();
            return Err(format!("{} failed:\n{printed}", tool.name()));
        }
        Ok(run)
    }
}

/// Moves `dir` (a previous run's output), if there is one, into `work_dir/set-aside/`, removed only
/// at the end of the bench. Removing it here would be measured by the next run: ext4 without a
/// journal (this machine's root file system) does not reuse an inode freed in the last 60 s (360 s
/// while its table block is unwritten) and, for every new file, looks at each such inode in turn —
/// after removing the 50,000 files of a previous `distinct` output, most of the next build's time
/// (and more for the tool that writes more files) went to that scan (docs/benchmarks.md, "Removing
/// the previous output was measured").
fn set_aside(work_dir: &Path, dir: &Path) -> Result<(), String> {
    if !dir.exists() {
        return Ok(());
    }
    let aside = work_dir.join("set-aside");
    std::fs::create_dir_all(&aside).map_err(|e| format!("cannot make {}: {e}", aside.display()))?;
    let mut n = 0;
    let to = loop {
        let to = aside.join(n.to_string());
        if !to.exists() {
            break to;
        }
        n += 1;
    };
    std::fs::rename(dir, &to).map_err(|e| format!("cannot move {} aside: {e}", dir.display()))
}

fn site_dir(work_dir: &Path, tool: Tool) -> PathBuf {
    work_dir.join(match tool {
        Tool::Guidegen => "guidegen-site",
        Tool::Hugo => "hugo-site",
    })
}

fn out_dir(work_dir: &Path, tool: Tool) -> PathBuf {
    work_dir.join(match tool {
        Tool::Guidegen => "guidegen-out",
        Tool::Hugo => "hugo-out",
    })
}

/// The files the rebuild case edits, as generated, and where in them the first step's action starts
/// in each language.
struct Edits {
    files: Vec<EditedFile>,
}

struct EditedFile {
    tool: Tool,
    path: PathBuf,
    text: String,
    /// Byte ranges of the words to replace (the first word of the first step's action), and the
    /// language of each.
    words: Vec<(std::ops::Range<usize>, &'static str)>,
}

impl Edits {
    /// Finds the first step's action lines of guide `index` in each tool's files.
    fn read(work_dir: &Path, tools: &[Tool], index: usize) -> Result<Edits, String> {
        let guide = site::guide_id(index);
        let category = site::category(index);
        let mut files = Vec::new();
        for &tool in tools {
            let site = site_dir(work_dir, tool);
            let paths: Vec<(PathBuf, &[&'static str])> = match tool {
                Tool::Guidegen => vec![(
                    site.join("guides")
                        .join(&category)
                        .join(&guide)
                        .join("guide.yaml"),
                    &["da", "en"],
                )],
                Tool::Hugo => vec![
                    (
                        site.join("content/da")
                            .join(&category)
                            .join(&guide)
                            .join("index.md"),
                        &["da"],
                    ),
                    (
                        site.join("content/en")
                            .join(&category)
                            .join(&guide)
                            .join("index.md"),
                        &["en"],
                    ),
                ],
            };
            for (path, langs) in paths {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let mut words = Vec::new();
                for &lang in langs {
                    let line = site::first_action_line(index, lang);
                    let at = text
                        .find(&line)
                        .ok_or_else(|| format!("{}: no line {line:?}", path.display()))?;
                    words.push((at..at + line.find(' ').unwrap_or(line.len()), lang));
                }
                files.push(EditedFile {
                    tool,
                    path,
                    text,
                    words,
                });
            }
        }
        Ok(Edits { files })
    }

    /// Writes `tool`'s files with the first word of the first step changed to a word new in each
    /// `run`, in both languages.
    fn apply(&self, tool: Tool, run: usize) -> Result<(), String> {
        for file in self.files.iter().filter(|f| f.tool == tool) {
            let mut text = file.text.clone();
            // From the last word to the first, so that the earlier ranges stay where they were.
            let mut words = file.words.clone();
            words.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
            for (range, lang) in words {
                // Letters only, so that Markdown and HTML leave it as it is.
                let word = if lang == "da" {
                    format!("Benchretning{}", letters(run))
                } else {
                    format!("Benchedit{}", letters(run))
                };
                text.replace_range(range, &word);
            }
            std::fs::write(&file.path, text)
                .map_err(|e| format!("cannot write {}: {e}", file.path.display()))?;
        }
        Ok(())
    }
}

/// `k` as lowercase letters (0 → "a", 25 → "z", 26 → "ba").
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

/// Runs `command` to its end: its wall time from spawn to exit, its peak resident memory (the
/// `ru_maxrss` that `wait4` reports for it), and whether it succeeded.
fn run_measured(command: &mut Command) -> Result<(Run, bool), String> {
    let started = Instant::now();
    let child = command
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain data, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet waited for (`child` is never waited on, and
        // dropping a `std::process::Child` does not wait); the pointers are to live locals.
        let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if waited == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("wait4: {err}"));
        }
    }
    let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
    drop(child);
    let success = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    Ok((
        Run {
            wall_ms,
            // Linux reports ru_maxrss in kilobytes.
            peak_mb: usage.ru_maxrss as f64 / 1024.0,
        },
        success,
    ))
}

/// Flushes every file system's dirty data to its disk, as `sync` does.
fn sync() {
    // SAFETY: sync(2) takes no arguments and cannot fail.
    unsafe { libc::sync() };
}

/// What an output holds: its HTML pages and other files, by name, and how many distinct files (inodes)
/// the other names are: a build that hard-links one image to several names wrote it once.
#[derive(Clone, Copy, Default)]
struct Files {
    pages: usize,
    others: usize,
    other_inodes: usize,
}

/// The files below `dir`.
fn count_files(dir: &Path) -> Files {
    use std::os::unix::fs::MetadataExt as _;
    let (mut pages, mut others) = (0, 0);
    let mut inodes = std::collections::HashSet::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                folders.push(entry.path());
            } else if entry.path().extension().is_some_and(|e| e == "html") {
                pages += 1;
            } else {
                others += 1;
                if let Ok(meta) = entry.metadata() {
                    inodes.insert((meta.dev(), meta.ino()));
                }
            }
        }
    }
    Files {
        pages,
        others,
        other_inodes: inodes.len(),
    }
}

/// `GUIDEGEN_BENCH_DIR`, else `target/bench-disk` (this bench runs from `target/release/deps/`),
/// else the repository's `target/bench-disk`.
fn disk_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("GUIDEGEN_BENCH_DIR") {
        return PathBuf::from(dir);
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("bench-disk")
}

/// `/dev/shm` when it is a writable folder, unless `GUIDEGEN_BENCH_NO_TMPFS` is set.
fn tmpfs_dir() -> Option<PathBuf> {
    if std::env::var_os("GUIDEGEN_BENCH_NO_TMPFS").is_some_and(|v| !v.is_empty() && v != "0") {
        return None;
    }
    let shm = Path::new("/dev/shm");
    let writable =
        shm.is_dir() && std::fs::metadata(shm).is_ok_and(|m| !m.permissions().readonly());
    writable.then(|| shm.to_path_buf())
}

/// The file system `dir` is on, from `/proc/mounts`: "ext4 /dev/vda on /" (the longest mount point
/// that contains it).
fn file_system(dir: &Path) -> String {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (device, point, kind) = (fields.next()?, fields.next()?, fields.next()?);
            dir.starts_with(point)
                .then(|| (point.len(), format!("{kind} {device} on {point}")))
        })
        .max_by_key(|(len, _)| *len)
        .map_or_else(|| "file system unknown".into(), |(_, fs)| fs)
}

/// The results as a Markdown table: one line per variant, case and tool, a column group per place.
fn table(results: &[Measured], places: &[Place], plans: &[ScreenshotPlan], hugo: bool) -> String {
    let mut header = vec!["screenshots".to_string(), "case".into(), "tool".into()];
    for place in places {
        header.push(format!("{}: wall (× Hugo fresh)", place.name));
        header.push(format!("{}: peak", place.name));
    }
    header.push("files: HTML + other (inodes)".into());
    header.push("target".into());
    header.push(format!(
        "met ({})",
        places
            .iter()
            .map(|p| p.name)
            .collect::<Vec<_>>()
            .join(" / ")
    ));
    let find = |place: &str, plan: ScreenshotPlan, case: Case, tool: Tool| {
        results
            .iter()
            .find(|m| m.place == place && m.plan == plan && m.case == case && m.tool == tool)
    };
    let mut lines = Vec::new();
    for &plan in plans {
        for case in Case::ALL {
            for &tool in case.tools().iter().rev() {
                if tool == Tool::Hugo && !hugo {
                    continue;
                }
                let mut line = vec![
                    plan.name(),
                    case.name().to_string(),
                    tool.name().to_string(),
                ];
                let mut verdicts = Vec::new();
                let mut files = None;
                for place in places {
                    let Some(m) = find(place.name, plan, case, tool) else {
                        line.push("—".into());
                        line.push("—".into());
                        verdicts.push("—".to_string());
                        continue;
                    };
                    files.get_or_insert(m.files);
                    let wall = median(&mut m.runs.iter().map(|r| r.wall_ms).collect::<Vec<_>>());
                    let peak = m.runs.iter().map(|r| r.peak_mb).fold(0.0, f64::max);
                    let hugo_fresh = find(place.name, plan, Case::Fresh, Tool::Hugo)
                        .map(|h| median(&mut h.runs.iter().map(|r| r.wall_ms).collect::<Vec<_>>()));
                    let ratio = hugo_fresh.map(|h| wall / h);
                    line.push(match ratio {
                        Some(r) => format!("{} ({r:.2}×)", ms(wall)),
                        None => ms(wall),
                    });
                    line.push(format!("{peak:.0} MB"));
                    verdicts.push(verdict(case, tool, ratio, peak));
                }
                let files = files.unwrap_or_default();
                line.push(format!(
                    "{} + {} ({})",
                    files.pages, files.others, files.other_inodes
                ));
                line.push(target(case, tool).to_string());
                line.push(verdicts.join(" / "));
                lines.push(line);
            }
        }
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    table::markdown(&header, &lines)
}

fn target(case: Case, tool: Tool) -> &'static str {
    match (case, tool) {
        (Case::Fresh, Tool::Guidegen) => "≤ 0.25×, ≤ 150 MB",
        (Case::Edited, Tool::Guidegen) => "≤ 0.15×",
        _ => "—",
    }
}

/// Whether guidegen met its target for `case`: `yes`, `**NO**` with what missed, `—` where there is
/// none, or what could not be judged without Hugo.
fn verdict(case: Case, tool: Tool, ratio: Option<f64>, peak_mb: f64) -> String {
    let (limit, peak_limit) = match (case, tool) {
        (Case::Fresh, Tool::Guidegen) => (TARGET_FRESH_RATIO, Some(TARGET_FRESH_PEAK_MB)),
        (Case::Edited, Tool::Guidegen) => (TARGET_EDIT_RATIO, None),
        _ => return "—".into(),
    };
    let mut missed = Vec::new();
    match ratio {
        Some(r) if r > limit => missed.push("time"),
        Some(_) => {}
        None => missed.push("time: no Hugo"),
    }
    if peak_limit.is_some_and(|limit| peak_mb > limit) {
        missed.push("peak");
    }
    match missed.as_slice() {
        [] => "yes".into(),
        ["time: no Hugo"] => "? (no Hugo)".into(),
        _ => format!("**NO** ({})", missed.join(", ")),
    }
}
