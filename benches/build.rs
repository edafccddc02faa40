//! Build benchmark: times full builds of synthetic sites through the library API
//! (`guidegen::build::build(&BuildOptions)`) and prints a table with the targets beside the results.
//!
//! Run it with
//!
//! ```text
//! cargo bench --bench build                # every case
//! cargo bench --bench build -- html        # only the cases whose name contains "html"
//! GUIDEGEN_BENCH_RUNS=3 cargo bench --bench build   # a fixed number of timed runs per case
//! cargo bench --bench build -- full-10000  # a case that runs only when named (~10 minutes)
//! ```
//!
//! The cases (see [`CASES`]):
//!
//! * `html-100`, `html-1000`: N synthetic guides in Danish and English, HTML only.
//! * `html-10000`: the same at 10,000 guides, one cold build (about 15–25 s); with `html-1000` beside
//!   it, the table is followed by the peak RSS each further guide costs (does memory grow with the
//!   site?).
//! * `full-10000`: 10,000 guides × 2 languages, HTML and PDF (20,000 PDFs), one cold build; only when
//!   named, as it takes about 10 minutes on 2 cores. It must finish, and its memory must stay bounded:
//!   the child stops itself above `GUIDEGEN_BENCH_MAX_MB` (8192) resident, and reports its resident
//!   memory over the build's time, so that growth with the number of PDFs shows.
//! * `pdf-10`: 10 synthetic guides × 2 languages, PDF only (20 PDFs): milliseconds per PDF, with the
//!   PDFs rendered in parallel on every core.
//! * `pdf-1-10shots`: one guide of 25 steps with 10 screenshots, English only, PDF only: the latency
//!   of one PDF (the whole build, load and validation included).
//! * `example-site`: the repository itself (the example guides), HTML and PDF, into a temporary
//!   output folder.
//! * `retina-1`: one guide of 10 steps, each with a retina capture (2880×1800 or 1179×2556 PNG, made
//!   up but compressing like real ones), English, HTML and PDF: what real screenshots cost — the
//!   pages' renditions and the PDF's 300 dpi copies — which the synthetic guides' small images do not.
//!
//! A synthetic guide has 25 steps in two sections, text in both languages with Markdown (bold, links,
//! code, emphasis, a list now and then), a device switch every few steps (computer, phone, tablet),
//! one app step with App Store and Google Play QR codes, and a few small screenshots (SVG, PNG, and a
//! Danish variant of one SVG). Guides sit in category folders of 50.
//!
//! How it measures: the bench binary re-executes itself for every measurement (`--case NAME`, and
//! `--case NAME --cold`), so that each process's peak memory (`VmHWM` from `/proc/self/status`, reset
//! through `/proc/self/clear_refs` once the synthetic site is written) is its own case's.
//!
//! * cold: one build in a fresh process, as `guidegen build` runs: the median of 3 processes
//!   (`GUIDEGEN_BENCH_COLD`). The targets are checked against this time, and against the largest peak
//!   RSS of these processes.
//! * warm: in one process, one warm-up build, then 3–7 timed builds (as many as fit in about 10 s, or
//!   `GUIDEGEN_BENCH_RUNS`), typst's memo caches emptied (`comemo::evict(0)`) before each so that a PDF
//!   is really rendered again; the median is reported, and pages/s and ms/PDF come from it.
//! * load+validate: the median time of `guidegen::build::check` on the same site; the rest of a build
//!   is templates, rendering (HTML, QR codes, PDF) and writing.
//!
//! Every build writes into a fresh, empty output folder (deleting the previous one is not timed). The
//! synthetic sites and the output go to `GUIDEGEN_BENCH_DIR`, else `/dev/shm` (a tmpfs, so that the
//! numbers are guidegen's rather than the disk's), else the system's temporary folder. The parent
//! makes each child's folder and removes it when the child has ended, however it ended.
//!
//! `--generate-retina DIR` writes the `retina-1` case's site.
//! `--generate DIR [GUIDES [SCREENSHOTS]]` only writes a synthetic site, e.g. to profile the CLI on it:
//! `target/release/deps/build-* --generate /tmp/site 1000 && perf record guidegen build /tmp/site`.
//! The generator is `benches/common/site.rs`, shared with `benches/serve.rs`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use guidegen::build::{BuildOptions, Format, build, check};

#[path = "common/machine.rs"]
mod machine;
#[path = "common/site.rs"]
mod site;
#[path = "common/table.rs"]
mod table;

use machine::{env_count, load_average};
use table::{median, ms};

use site::generate_site;

/// The allocator of the `guidegen` binary (src/main.rs), so that these figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One measured case.
struct Case {
    name: &'static str,
    what: &'static str,
    site: SiteSpec,
    languages: &'static [&'static str],
    formats: &'static [Format],
    /// Upper bounds to print beside the results: wall time, and peak memory in MB.
    target_time: Option<Duration>,
    target_mb: Option<f64>,
    /// Whether the case runs without being named.
    selection: Selection,
    runs: Runs,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Selection {
    /// With every run, and whenever a filter is part of its name.
    Default,
    /// Only when a filter is exactly its name: too long to run every time.
    ByName,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Runs {
    /// A warm child (warm-up, then repeated builds) and `GUIDEGEN_BENCH_COLD` cold children.
    WarmAndCold,
    /// One cold child only: the case is too long to repeat, and the question is whether one build
    /// finishes within its memory, not its spread.
    OneCold,
}

enum SiteSpec {
    /// `guides` synthetic guides, each with `screenshots` screenshots.
    Synthetic { guides: usize, screenshots: usize },
    /// The repository root, the example site.
    Examples,
    /// One guide of 10 steps, each with a retina capture as real screenshots are: 5 of a laptop's
    /// screen (2880×1800), 5 of a phone's (1179×2556), PNGs of some 200–300 kB ([`retina_site`]).
    Retina,
}

const CASES: &[Case] = &[
    Case {
        name: "html-100",
        what: "100 guides × 2 languages, HTML",
        site: SiteSpec::Synthetic {
            guides: 100,
            screenshots: 3,
        },
        languages: &[],
        formats: &[Format::Html],
        target_time: None,
        target_mb: None,
        selection: Selection::Default,
        runs: Runs::WarmAndCold,
    },
    Case {
        name: "html-1000",
        what: "1000 guides × 2 languages, HTML",
        site: SiteSpec::Synthetic {
            guides: 1000,
            screenshots: 3,
        },
        languages: &[],
        formats: &[Format::Html],
        target_time: Some(Duration::from_secs(1)),
        target_mb: Some(200.0),
        selection: Selection::Default,
        runs: Runs::WarmAndCold,
    },
    Case {
        name: "html-10000",
        what: "10,000 guides × 2 languages, HTML, one cold build",
        site: SiteSpec::Synthetic {
            guides: 10_000,
            screenshots: 3,
        },
        languages: &[],
        formats: &[Format::Html],
        target_time: None,
        target_mb: None,
        // One cold build costs about 15–25 s with the site's generation: cheap enough for every run,
        // and with html-1000 beside it, it shows how memory grows with the number of guides.
        selection: Selection::Default,
        runs: Runs::OneCold,
    },
    Case {
        name: "pdf-10",
        what: "10 guides × 2 languages, PDF",
        site: SiteSpec::Synthetic {
            guides: 10,
            screenshots: 3,
        },
        languages: &[],
        formats: &[Format::Pdf],
        target_time: None,
        target_mb: None,
        selection: Selection::Default,
        runs: Runs::WarmAndCold,
    },
    Case {
        name: "pdf-1-10shots",
        what: "1 guide, 25 steps, 10 screenshots, en, PDF",
        site: SiteSpec::Synthetic {
            guides: 1,
            screenshots: 10,
        },
        languages: &["en"],
        formats: &[Format::Pdf],
        target_time: Some(Duration::from_millis(100)),
        target_mb: None,
        selection: Selection::Default,
        runs: Runs::WarmAndCold,
    },
    Case {
        name: "example-site",
        what: "repository's example site, HTML + PDF",
        site: SiteSpec::Examples,
        languages: &[],
        formats: &[Format::Html, Format::Pdf],
        target_time: Some(Duration::from_secs(1)),
        target_mb: None,
        selection: Selection::Default,
        runs: Runs::WarmAndCold,
    },
    Case {
        name: "retina-1",
        what: "1 guide, 10 retina screenshots, en, HTML + PDF",
        site: SiteSpec::Retina,
        languages: &["en"],
        formats: &[Format::Html, Format::Pdf],
        target_time: None,
        target_mb: None,
        selection: Selection::Default,
        runs: Runs::WarmAndCold,
    },
    Case {
        name: "full-10000",
        what: "10,000 guides × 2 languages, HTML + PDF (20,000 PDFs), one cold build",
        site: SiteSpec::Synthetic {
            guides: 10_000,
            screenshots: 3,
        },
        languages: &[],
        formats: &[Format::Html, Format::Pdf],
        target_time: None,
        // Issue #7: no crash at any size, memory bounded by design.
        target_mb: Some(DEFAULT_MAX_MB),
        selection: Selection::ByName,
        runs: Runs::OneCold,
    },
];

/// The resident memory above which a child stops itself (`GUIDEGEN_BENCH_MAX_MB` overrides it): a
/// build that grows past it is a bug (issue #7), and it would crowd out everything else on the machine.
const DEFAULT_MAX_MB: f64 = 8192.0;

/// What a child reports for its case, one `RESULT` line of `key=value` pairs on stdout.
#[derive(Debug, Default, Clone)]
struct Measured {
    /// Timed builds (after the warm-up); 1 for a cold child.
    runs: usize,
    median_ms: f64,
    min_ms: f64,
    max_ms: f64,
    /// Median time of `check` (load + validate) on the same site; 0 for a cold child.
    check_ms: f64,
    html_pages: usize,
    pdfs: usize,
    warnings: usize,
    /// Peak resident memory of the builds (`VmHWM`), in MB.
    peak_mb: f64,
    /// Resident memory during a cold build: (seconds since the build started, MB), a few samples.
    rss_timeline: Vec<(f64, f64)>,
}

impl Measured {
    fn to_line(&self) -> String {
        let timeline: Vec<String> = self
            .rss_timeline
            .iter()
            .map(|(s, mb)| format!("{s:.1}:{mb:.0}"))
            .collect();
        format!(
            "RESULT runs={} median_ms={:.3} min_ms={:.3} max_ms={:.3} check_ms={:.3} html_pages={} pdfs={} warnings={} peak_mb={:.1} rss_timeline={}",
            self.runs,
            self.median_ms,
            self.min_ms,
            self.max_ms,
            self.check_ms,
            self.html_pages,
            self.pdfs,
            self.warnings,
            self.peak_mb,
            timeline.join(","),
        )
    }

    fn parse(line: &str) -> Option<Measured> {
        let rest = line.strip_prefix("RESULT ")?;
        let mut m = Measured::default();
        for pair in rest.split_whitespace() {
            let (key, value) = pair.split_once('=')?;
            let f = || value.parse::<f64>().ok();
            let u = || value.parse::<usize>().ok();
            match key {
                "runs" => m.runs = u()?,
                "median_ms" => m.median_ms = f()?,
                "min_ms" => m.min_ms = f()?,
                "max_ms" => m.max_ms = f()?,
                "check_ms" => m.check_ms = f()?,
                "html_pages" => m.html_pages = u()?,
                "pdfs" => m.pdfs = u()?,
                "warnings" => m.warnings = u()?,
                "peak_mb" => m.peak_mb = f()?,
                "rss_timeline" => {
                    m.rss_timeline = value
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .filter_map(|sample| {
                            let (s, mb) = sample.split_once(':')?;
                            Some((s.parse().ok()?, mb.parse().ok()?))
                        })
                        .collect();
                }
                _ => {}
            }
        }
        Some(m)
    }
}

/// A case's results: the warm child's (none for a [`Runs::OneCold`] case), and each cold child's.
struct Row<'a> {
    case: &'a Case,
    warm: Option<Measured>,
    cold: Vec<Measured>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--generate-retina") {
        // Only writes the retina-1 case's site.
        let Some(dir) = args.get(i + 1) else {
            eprintln!("--generate-retina: name the folder to write the site into");
            return ExitCode::from(2);
        };
        return match retina_site(Path::new(dir)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("cannot write the retina site: {err}");
                ExitCode::FAILURE
            }
        };
    }
    if let Some(i) = args.iter().position(|a| a == "--generate") {
        // Only writes a synthetic site, e.g. to profile `guidegen build` on it.
        let dir = args.get(i + 1).map(PathBuf::from);
        let guides = args.get(i + 2).and_then(|n| n.parse().ok()).unwrap_or(100);
        let screenshots = args.get(i + 3).and_then(|n| n.parse().ok()).unwrap_or(3);
        let Some(dir) = dir else {
            eprintln!("usage: --generate DIR [GUIDES [SCREENSHOTS]]");
            return ExitCode::from(2);
        };
        return match generate_site(&dir, guides, screenshots) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("cannot write the synthetic site: {err}");
                ExitCode::FAILURE
            }
        };
    }
    if let Some(i) = args.iter().position(|a| a == "--case") {
        let Some(case) = args
            .get(i + 1)
            .and_then(|name| CASES.iter().find(|c| c.name == name))
        else {
            eprintln!(
                "--case: unknown case; the cases are {}",
                CASES.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
            );
            return ExitCode::from(2);
        };
        let cold = args.iter().any(|a| a == "--cold");
        // The folder for the site and the output, made (and removed) by the parent; a child run by
        // hand makes its own.
        let given_dir = args
            .iter()
            .position(|a| a == "--dir")
            .and_then(|i| args.get(i + 1))
            .map(PathBuf::from);
        let own_dir = match given_dir {
            Some(_) => None,
            None => match temporary_folder() {
                Ok(dir) => Some(dir),
                Err(message) => {
                    eprintln!("{}: {message}", case.name);
                    return ExitCode::FAILURE;
                }
            },
        };
        let work_dir = given_dir
            .as_deref()
            .or(own_dir.as_ref().map(|d| d.path()))
            .unwrap_or(Path::new("."));
        return match run_case(case, cold, work_dir) {
            Ok(measured) => {
                println!("{}", measured.to_line());
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("{}: {message}", case.name);
                ExitCode::FAILURE
            }
        };
    }
    // `cargo bench` passes `--bench`; any other word is a filter on the case names.
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let cases: Vec<&Case> = CASES
        .iter()
        .filter(|c| match c.selection {
            Selection::Default => {
                filters.is_empty() || filters.iter().any(|f| c.name.contains(f.as_str()))
            }
            Selection::ByName => filters.iter().any(|f| c.name == f.as_str()),
        })
        .collect();
    if cases.is_empty() {
        eprintln!(
            "no case matches; the cases are {} (full-10000 runs only when named exactly)",
            CASES.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
        );
        return ExitCode::from(2);
    }
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(err) => {
            eprintln!("cannot find the bench binary: {err}");
            return ExitCode::FAILURE;
        }
    };
    let cold_runs = env_count("GUIDEGEN_BENCH_COLD").unwrap_or(3);

    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!(
        "guidegen build benchmark: {cores} cores, sites and output in {}, load average at start {}",
        bench_dir().display(),
        load_average()
    );
    let mut rows = Vec::new();
    let mut failed = false;
    for case in cases {
        eprintln!("running {} ({}) …", case.name, case.what);
        let child = |cold: bool| -> Option<Measured> {
            // Removed when this closure returns, also after a child that crashed or was killed.
            let work_dir = match temporary_folder() {
                Ok(dir) => dir,
                Err(message) => {
                    eprintln!("{}: {message}", case.name);
                    return None;
                }
            };
            let mut command = Command::new(&exe);
            command
                .arg("--case")
                .arg(case.name)
                .arg("--dir")
                .arg(work_dir.path())
                .stderr(std::process::Stdio::inherit());
            if cold {
                command.arg("--cold");
            }
            match command.output() {
                Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .find_map(Measured::parse),
                Ok(out) => {
                    eprintln!("{}: the child failed ({})", case.name, out.status);
                    None
                }
                Err(err) => {
                    eprintln!("{}: cannot run the child: {err}", case.name);
                    None
                }
            }
        };
        let (warm, cold) = match case.runs {
            Runs::WarmAndCold => {
                let warm = child(false).map(Some);
                let cold: Option<Vec<Measured>> = (0..cold_runs).map(|_| child(true)).collect();
                (warm, cold)
            }
            Runs::OneCold => (Some(None), child(true).map(|m| vec![m])),
        };
        match (warm, cold) {
            (Some(warm), Some(cold)) => rows.push(Row { case, warm, cold }),
            _ => failed = true,
        }
    }
    println!("load average at end {}\n", load_average());
    println!("{}", table(&rows));
    for line in scale_notes(&rows) {
        println!("{line}\n");
    }
    println!(
        "cold: one build in a fresh process (what `guidegen build` pays), median of {cold_runs} processes; \
         warm: median of repeated builds in one process after a warm-up, typst's memo caches emptied before each; \
         pages/s and ms/PDF from the warm median (from the cold build for a case run once); \
         peak RSS: the largest VmHWM of the cold processes; \
         the targets are checked against the cold median and that peak."
    );
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Where the synthetic sites and the output go: `GUIDEGEN_BENCH_DIR`, else `/dev/shm` (a tmpfs, so
/// that the numbers are guidegen's and not the disk's), else the system's temporary folder.
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

/// A fresh folder under [`bench_dir`] for one child's site and output, removed when dropped.
fn temporary_folder() -> Result<tempfile::TempDir, String> {
    tempfile::Builder::new()
        .prefix("guidegen-bench-")
        .tempdir_in(bench_dir())
        .map_err(|e| format!("cannot make a temporary folder: {e}"))
}

/// The results as a Markdown table (readable in a terminal, and pasteable into docs/benchmarks.md).
fn table(rows: &[Row]) -> String {
    let header = [
        "case",
        "outputs",
        "cold",
        "warm median (min–max, runs)",
        "pages/s",
        "ms/PDF",
        "load+validate",
        "peak RSS",
        "target",
        "met",
    ];
    let mut lines: Vec<Vec<String>> = Vec::new();
    for Row { case, warm, cold } in rows {
        let cold_ms = median(&mut cold.iter().map(|c| c.median_ms).collect::<Vec<_>>());
        let cold_peak = cold.iter().map(|c| c.peak_mb).fold(0.0, f64::max);
        // The rates come from the warm median; a case run once has only its cold build.
        let Some(m) = warm.as_ref().or(cold.first()) else {
            continue;
        };
        let basis_ms = if warm.is_some() { m.median_ms } else { cold_ms };
        let pages = m.html_pages + m.pdfs;
        let outputs = match (m.html_pages, m.pdfs) {
            (h, 0) => format!("{h} HTML"),
            (0, p) => format!("{p} PDF"),
            (h, p) => format!("{h} HTML + {p} PDF"),
        };
        let per_pdf = if m.pdfs > 0 {
            format!("{:.1}", basis_ms / m.pdfs as f64)
        } else {
            "—".into()
        };
        let mut target = Vec::new();
        let mut met = true;
        if let Some(t) = case.target_time {
            target.push(format!("< {}", ms(t.as_secs_f64() * 1000.0)));
            met &= cold_ms < t.as_secs_f64() * 1000.0;
        }
        if let Some(mb) = case.target_mb {
            target.push(format!("< {mb:.0} MB"));
            met &= cold_peak < mb;
        }
        let verdict = if target.is_empty() {
            "—".into()
        } else if met {
            "yes".into()
        } else {
            "**NO**".into()
        };
        lines.push(vec![
            case.name.into(),
            outputs,
            ms(cold_ms),
            match warm {
                Some(m) => format!(
                    "{} ({}–{}, {})",
                    ms(m.median_ms),
                    ms(m.min_ms),
                    ms(m.max_ms),
                    m.runs
                ),
                None => "— (run once)".into(),
            },
            format!("{:.0}", pages as f64 / (basis_ms / 1000.0)),
            per_pdf,
            match warm {
                Some(m) => ms(m.check_ms),
                None => "—".into(),
            },
            format!("{cold_peak:.0} MB"),
            if target.is_empty() {
                "—".into()
            } else {
                target.join(", ")
            },
            verdict,
        ]);
    }
    table::markdown(&header, &lines)
}

/// What the table does not show for the large cases: the whole build's rate and its memory over
/// time (for a case run once), and how much peak memory each further guide costs (between the two
/// largest HTML-only synthetic cases measured).
fn scale_notes(rows: &[Row]) -> Vec<String> {
    let mut notes = Vec::new();
    for row in rows.iter().filter(|r| r.case.runs == Runs::OneCold) {
        let Some(m) = row.cold.first() else {
            continue;
        };
        let seconds = m.median_ms / 1000.0;
        let mut note = format!(
            "{}: one cold build of {} HTML + {} PDF in {}: {:.0} HTML pages/s",
            row.case.name,
            m.html_pages,
            m.pdfs,
            ms(m.median_ms),
            m.html_pages as f64 / seconds,
        );
        if m.pdfs > 0 {
            let _ = write!(note, ", {:.1} PDFs/s", m.pdfs as f64 / seconds);
        }
        let _ = write!(note, "; peak RSS {:.0} MB", m.peak_mb);
        if !m.rss_timeline.is_empty() {
            let samples: Vec<String> = m
                .rss_timeline
                .iter()
                .map(|(s, mb)| format!("{s:.0} s {mb:.0}"))
                .collect();
            let _ = write!(
                note,
                "; resident MB during the build: {}",
                samples.join(", ")
            );
        }
        notes.push(note);
    }
    let mut html_sizes: Vec<(usize, &Row)> = rows
        .iter()
        .filter_map(|row| match row.case.site {
            SiteSpec::Synthetic { guides, .. } if row.case.formats == [Format::Html] => {
                Some((guides, row))
            }
            _ => None,
        })
        .collect();
    html_sizes.sort_by_key(|(guides, _)| *guides);
    if let [.., (small, small_row), (large, large_row)] = html_sizes[..]
        && large > small
    {
        let peak = |row: &Row| row.cold.iter().map(|c| c.peak_mb).fold(0.0, f64::max);
        let growth = peak(large_row) - peak(small_row);
        let per_guide = growth / (large - small) as f64;
        notes.push(format!(
            "memory per guide: peak RSS {:.0} MB ({}) → {:.0} MB ({}): {growth:+.0} MB for {} more guides, \
             {:.3} MB ({:.0} kB) per guide (2 languages)",
            peak(small_row),
            small_row.case.name,
            peak(large_row),
            large_row.case.name,
            large - small,
            per_guide,
            per_guide * 1024.0,
        ));
    }
    notes
}

/// Runs one case in this process, in `work_dir`: generate the site, then either one build (`cold`),
/// or a warm-up and the timed builds.
fn run_case(case: &Case, cold: bool, work_dir: &Path) -> Result<Measured, String> {
    let site_dir = match case.site {
        SiteSpec::Synthetic {
            guides,
            screenshots,
        } => {
            let dir = work_dir.join("site");
            generate_site(&dir, guides, screenshots)
                .map_err(|e| format!("cannot write the synthetic site: {e}"))?;
            dir
        }
        SiteSpec::Examples => PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        SiteSpec::Retina => {
            let dir = work_dir.join("site");
            retina_site(&dir).map_err(|e| format!("cannot write the retina site: {e}"))?;
            dir
        }
    };
    let out_dir = work_dir.join("out");
    let mut options = BuildOptions::new(&site_dir);
    options.out_dir = Some(out_dir.clone());
    options.languages = case.languages.iter().map(|l| l.to_string()).collect();
    options.formats = case.formats.to_vec();

    // Peak memory from here on: the generator's own allocations do not count.
    reset_peak_rss();
    let max_mb = std::env::var("GUIDEGEN_BENCH_MAX_MB")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .unwrap_or(DEFAULT_MAX_MB);
    let rss_watch = RssWatch::start(case.name, max_mb);

    let one_build =
        |options: &BuildOptions| -> Result<(f64, guidegen::build::Summary, usize), String> {
            if out_dir.exists() {
                std::fs::remove_dir_all(&out_dir)
                    .map_err(|e| format!("cannot empty {}: {e}", out_dir.display()))?;
            }
            // Memoized typst results of an earlier build would make a repeated PDF build nearly free.
            comemo::evict(0);
            let started = Instant::now();
            let outcome = build(options);
            let elapsed = started.elapsed().as_secs_f64() * 1000.0;
            let warnings: Vec<String> = outcome
                .diagnostics
                .iter()
                .filter(|d| !d.is_error())
                .map(|d| d.render(&outcome.sources))
                .collect();
            for warning in warnings.iter().take(3) {
                eprintln!("  warning: {warning}");
            }
            match outcome.result {
                Ok(summary) => Ok((elapsed, summary, warnings.len())),
                Err(failure) => {
                    let shown: Vec<String> = outcome
                        .diagnostics
                        .iter()
                        .take(10)
                        .map(|d| d.render(&outcome.sources))
                        .collect();
                    Err(format!(
                        "the build failed: {failure:?}\n{}",
                        shown.join("\n")
                    ))
                }
            }
        };

    if cold {
        let (elapsed, summary, warnings) = one_build(&options)?;
        let rss_timeline = rss_watch.finish();
        eprintln!("  cold build: {}", ms(elapsed));
        return Ok(Measured {
            runs: 1,
            median_ms: elapsed,
            min_ms: elapsed,
            max_ms: elapsed,
            check_ms: 0.0,
            html_pages: summary.html_pages,
            pdfs: summary.pdfs,
            warnings,
            peak_mb: rss_kb("VmHWM:").unwrap_or(0) as f64 / 1024.0,
            rss_timeline,
        });
    }

    let (warm, summary, warnings) = one_build(&options)?;
    eprintln!("  warm-up build: {}", ms(warm));
    let runs = env_count("GUIDEGEN_BENCH_RUNS")
        .unwrap_or_else(|| ((10_000.0 / warm.max(1.0)) as usize).clamp(3, 7));
    let mut times = Vec::with_capacity(runs);
    let typst_timing = std::env::var_os("GUIDEGEN_BENCH_TYPST_TIMING").is_some();
    if typst_timing {
        typst_timing::clear();
        typst_timing::enable();
    }
    for _ in 0..runs {
        times.push(one_build(&options)?.0);
    }
    if typst_timing {
        typst_timing::disable();
        eprint!("{}", typst_scopes(runs)?);
    }
    let peak_mb = rss_kb("VmHWM:").unwrap_or(0) as f64 / 1024.0;
    rss_watch.finish();

    let mut check_times = Vec::new();
    for _ in 0..runs.min(3) {
        let started = Instant::now();
        let checked = check(&site_dir);
        check_times.push(started.elapsed().as_secs_f64() * 1000.0);
        if checked.site.is_none() {
            return Err("check found errors".into());
        }
    }

    Ok(Measured {
        runs,
        median_ms: median(&mut times),
        min_ms: times.first().copied().unwrap_or_default(),
        max_ms: times.last().copied().unwrap_or_default(),
        check_ms: median(&mut check_times),
        html_pages: summary.html_pages,
        pdfs: summary.pdfs,
        warnings,
        peak_mb,
        rss_timeline: Vec::new(),
    })
}

/// Samples this process's resident memory while it builds, and ends the process when it goes above
/// a limit: a build whose memory grows without bound must fail the bench, not the machine.
struct RssWatch {
    stop: mpsc::Sender<()>,
    sampler: std::thread::JoinHandle<Vec<(f64, f64)>>,
}

impl RssWatch {
    /// Often enough to see the shape of a build of several seconds, and to stop a runaway one early.
    const EVERY: Duration = Duration::from_millis(250);
    /// Samples kept for the report (the peak is `VmHWM`, not one of them).
    const KEPT: usize = 12;

    fn start(case: &'static str, max_mb: f64) -> RssWatch {
        let (stop, stopped) = mpsc::channel::<()>();
        let sampler = std::thread::spawn(move || {
            let started = Instant::now();
            let mut samples = Vec::new();
            loop {
                let mb = rss_kb("VmRSS:").unwrap_or(0) as f64 / 1024.0;
                let at = started.elapsed().as_secs_f64();
                samples.push((at, mb));
                if mb > max_mb {
                    eprintln!(
                        "{case}: resident memory reached {mb:.0} MB after {at:.0} s, above the limit of \
                         {max_mb:.0} MB (GUIDEGEN_BENCH_MAX_MB): stopped, memory is not bounded"
                    );
                    std::process::exit(3);
                }
                if !matches!(
                    stopped.recv_timeout(Self::EVERY),
                    Err(mpsc::RecvTimeoutError::Timeout)
                ) {
                    return samples;
                }
            }
        });
        RssWatch { stop, sampler }
    }

    /// Stops sampling; returns about [`Self::KEPT`] samples, evenly spread, first and last included.
    fn finish(self) -> Vec<(f64, f64)> {
        let _ = self.stop.send(());
        let samples = self.sampler.join().unwrap_or_default();
        if samples.len() <= Self::KEPT {
            return samples;
        }
        let last = samples.len() - 1;
        (0..Self::KEPT)
            .map(|j| samples[j * last / (Self::KEPT - 1)])
            .collect()
    }
}

/// A `kB` line of `/proc/self/status`, such as `VmHWM:` (peak resident memory) or `VmRSS:`.
fn rss_kb(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line[key.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Resets `VmHWM` to the current resident size (Linux ≥ 4.0); harmless where unsupported.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Typst's own timing scopes over the timed builds (`GUIDEGEN_BENCH_TYPST_TIMING=1`), per build: the
/// time in each scope name, counting only the outermost of nested scopes of one name, and how often
/// it was entered. A scope of a rayon thread counts with its own thread's.
fn typst_scopes(runs: usize) -> Result<String, String> {
    let mut json = Vec::new();
    typst_timing::export_json(&mut json, |_| (String::new(), 0))?;
    let events: Vec<serde_json::Value> =
        serde_json::from_slice(&json).map_err(|e| format!("typst timing: {e}"))?;
    let mut stacks: std::collections::HashMap<u64, Vec<(String, f64)>> = Default::default();
    let mut totals: std::collections::BTreeMap<String, (f64, usize)> = Default::default();
    for event in &events {
        let name = event["name"].as_str().unwrap_or_default().to_owned();
        let tid = event["tid"].as_u64().unwrap_or_default();
        let ts = event["ts"].as_f64().unwrap_or_default();
        let stack = stacks.entry(tid).or_default();
        if event["ph"] == "B" {
            stack.push((name, ts));
        } else if let Some((name, start)) = stack.pop() {
            let total = totals.entry(name.clone()).or_default();
            total.1 += 1;
            if !stack.iter().any(|(outer, _)| *outer == name) {
                total.0 += ts - start;
            }
        }
    }
    let mut rows: Vec<(String, (f64, usize))> = totals.into_iter().collect();
    rows.sort_by(|a, b| b.1.0.total_cmp(&a.1.0));
    let mut out = format!("typst scopes, per build ({runs} builds):\n");
    for (name, (micros, count)) in rows.iter().take(40) {
        let _ = writeln!(
            out,
            "  {:>9.2} ms  {:>7.1}×  {name}",
            micros / 1000.0 / runs as f64,
            *count as f64 / runs as f64
        );
    }
    Ok(out)
}

/// Writes [`SiteSpec::Retina`]'s site into `dir`.
fn retina_site(dir: &Path) -> std::io::Result<()> {
    let shots = dir.join("guides/retina/shots");
    std::fs::create_dir_all(&shots)?;
    std::fs::write(
        dir.join("guidegen.yaml"),
        "title: Retina\nlanguages: [en]\n",
    )?;
    let mut guide = String::from("title: Ten retina screenshots\nsteps:\n");
    for step in 1..=10u32 {
        let (device, (w, h)) = if step % 2 == 1 {
            ("computer", (2880, 1800))
        } else {
            ("phone", (1179, 2556))
        };
        std::fs::write(shots.join(format!("s{step}.png")), retina_png(w, h, step)?)?;
        let _ = write!(
            guide,
            "  - device: {device}\n    action: Select **Next** on the page of step {step}.\n    \
             screenshot: {{src: shots/s{step}.png, alt: The page of step {step}.}}\n"
        );
    }
    std::fs::write(dir.join("guides/retina/guide.yaml"), guide)
}

/// A `w`×`h` capture of a made-up page: a title bar and lines of "text" — 48 made-up glyphs 14 px
/// wide, their strokes in shades of grey as anti-aliased letters are, repeated in words — so that it
/// compresses and decodes like a real capture rather than like flat colour or noise. Different for
/// each `seed`.
fn retina_png(w: u32, h: u32, seed: u32) -> std::io::Result<Vec<u8>> {
    let hash = |a: u32, b: u32| {
        let mut v = a.wrapping_mul(0x9E37_79B1) ^ b.wrapping_mul(0x85EB_CA77);
        v ^= v >> 15;
        v = v.wrapping_mul(0x2C1B_3C6D);
        v ^ (v >> 12)
    };
    let image = image::RgbImage::from_fn(w, h, |x, y| {
        let paper = image::Rgb([246, 247, 250]);
        if y < h / 16 {
            return image::Rgb([20, 40, 90 + (seed * 9 % 100) as u8]);
        }
        let (line, row) = (y / 44, y % 44);
        let margin = w / 12;
        // Three lines in five have text, each of its own length; a letter's strokes are 12 rows tall.
        let length = margin + hash(line, seed) % (w - 2 * margin);
        if hash(line ^ seed, 11) % 5 >= 3 || !(16..28).contains(&row) || x < margin || x > length {
            return paper;
        }
        let cell = (x - margin) / 14;
        // Words of 2–9 letters, a space after each; which letter each cell is.
        let word_hash = hash(cell / 10, line ^ seed.wrapping_mul(7919));
        if cell % 10 >= 2 + word_hash % 8 {
            return paper;
        }
        let glyph = hash(cell, line.wrapping_add(seed)) % 48;
        match hash(glyph * 16 + (x - margin) % 14, row / 3) % 6 {
            0 => image::Rgb([40, 42, 48]),
            1 => image::Rgb([150, 152, 158]),
            _ => paper,
        }
    });
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .map_err(std::io::Error::other)?;
    Ok(bytes)
}
