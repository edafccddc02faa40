//! Build benchmark: times full builds of synthetic sites through the library API
//! (`guidegen::build::build(&BuildOptions)`) and prints a table with the targets beside the results.
//!
//! Run it with
//!
//! ```text
//! cargo bench --bench build                # every case
//! cargo bench --bench build -- html        # only the cases whose name contains "html"
//! GUIDEGEN_BENCH_RUNS=3 cargo bench --bench build   # a fixed number of timed runs per case
//! ```
//!
//! The cases (see [`CASES`]):
//!
//! * `html-100`, `html-1000`: N synthetic guides in Danish and English, HTML only.
//! * `pdf-10`: 10 synthetic guides × 2 languages, PDF only (20 PDFs): milliseconds per PDF, with the
//!   PDFs rendered in parallel on every core.
//! * `pdf-1-10shots`: one guide of 25 steps with 10 screenshots, English only, PDF only: the latency
//!   of one PDF (the whole build, load and validation included).
//! * `example-site`: the repository itself (the example guides), HTML and PDF, into a temporary
//!   output folder.
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
//! numbers are guidegen's rather than the disk's), else the system's temporary folder.
//!
//! `--generate DIR [GUIDES [SCREENSHOTS]]` only writes a synthetic site, e.g. to profile the CLI on it:
//! `target/release/deps/build-* --generate /tmp/site 1000 && perf record guidegen build /tmp/site`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use guidegen::build::{BuildOptions, Format, build, check};

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
}

enum SiteSpec {
    /// `guides` synthetic guides, each with `screenshots` screenshots.
    Synthetic { guides: usize, screenshots: usize },
    /// The repository root, the example site.
    Examples,
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
    },
    Case {
        name: "example-site",
        what: "repository's example site, HTML + PDF",
        site: SiteSpec::Examples,
        languages: &[],
        formats: &[Format::Html, Format::Pdf],
        target_time: Some(Duration::from_secs(1)),
        target_mb: None,
    },
];

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
}

impl Measured {
    fn to_line(&self) -> String {
        format!(
            "RESULT runs={} median_ms={:.3} min_ms={:.3} max_ms={:.3} check_ms={:.3} html_pages={} pdfs={} warnings={} peak_mb={:.1}",
            self.runs,
            self.median_ms,
            self.min_ms,
            self.max_ms,
            self.check_ms,
            self.html_pages,
            self.pdfs,
            self.warnings,
            self.peak_mb,
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
                _ => {}
            }
        }
        Some(m)
    }
}

/// A case's results: the warm child's, and each cold child's.
struct Row<'a> {
    case: &'a Case,
    warm: Measured,
    cold: Vec<Measured>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
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
        return match run_case(case, cold) {
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
        .filter(|c| filters.is_empty() || filters.iter().any(|f| c.name.contains(f.as_str())))
        .collect();
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
            let mut command = Command::new(&exe);
            command
                .arg("--case")
                .arg(case.name)
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
        let warm = child(false);
        let cold: Option<Vec<Measured>> = (0..cold_runs).map(|_| child(true)).collect();
        match (warm, cold) {
            (Some(warm), Some(cold)) => rows.push(Row { case, warm, cold }),
            _ => failed = true,
        }
    }
    println!("load average at end {}\n", load_average());
    println!("{}", table(&rows));
    println!(
        "cold: one build in a fresh process (what `guidegen build` pays), median of {cold_runs} processes; \
         warm: median of repeated builds in one process after a warm-up, typst's memo caches emptied before each; \
         pages/s and ms/PDF from the warm median; peak RSS: the largest VmHWM of the cold processes; \
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

/// A positive count from the environment.
fn env_count(name: &str) -> Option<usize> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .map(|n| n.max(1))
}

/// The 1, 5 and 15 minute load averages, to judge how busy the machine was.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
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
    for Row {
        case,
        warm: m,
        cold,
    } in rows
    {
        let pages = m.html_pages + m.pdfs;
        let outputs = match (m.html_pages, m.pdfs) {
            (h, 0) => format!("{h} HTML"),
            (0, p) => format!("{p} PDF"),
            (h, p) => format!("{h} HTML + {p} PDF"),
        };
        let per_pdf = if m.pdfs > 0 {
            format!("{:.1}", m.median_ms / m.pdfs as f64)
        } else {
            "—".into()
        };
        let cold_ms = median(&mut cold.iter().map(|c| c.median_ms).collect::<Vec<_>>());
        let cold_peak = cold.iter().map(|c| c.peak_mb).fold(0.0, f64::max);
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
            format!(
                "{} ({}–{}, {})",
                ms(m.median_ms),
                ms(m.min_ms),
                ms(m.max_ms),
                m.runs
            ),
            format!("{:.0}", pages as f64 / (m.median_ms / 1000.0)),
            per_pdf,
            ms(m.check_ms),
            format!("{cold_peak:.0} MB"),
            if target.is_empty() {
                "—".into()
            } else {
                target.join(", ")
            },
            verdict,
        ]);
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for line in &lines {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let row = |out: &mut String, cells: &[String]| {
        out.push('|');
        for (cell, w) in cells.iter().zip(&widths) {
            let pad = w - cell.chars().count();
            let _ = write!(out, " {cell}{} |", " ".repeat(pad));
        }
        out.push('\n');
    };
    row(&mut out, &header.map(String::from));
    row(
        &mut out,
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    );
    for line in &lines {
        row(&mut out, line);
    }
    out
}

fn ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms >= 10.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

/// Runs one case in this process: generate the site, then either one build (`cold`), or a warm-up
/// and the timed builds.
fn run_case(case: &Case, cold: bool) -> Result<Measured, String> {
    let tmp = tempfile::Builder::new()
        .prefix("guidegen-bench-")
        .tempdir_in(bench_dir())
        .map_err(|e| format!("cannot make a temporary folder: {e}"))?;
    let site_dir = match case.site {
        SiteSpec::Synthetic {
            guides,
            screenshots,
        } => {
            let dir = tmp.path().join("site");
            generate_site(&dir, guides, screenshots)
                .map_err(|e| format!("cannot write the synthetic site: {e}"))?;
            dir
        }
        SiteSpec::Examples => PathBuf::from(env!("CARGO_MANIFEST_DIR")),
    };
    let out_dir = tmp.path().join("out");
    let mut options = BuildOptions::new(&site_dir);
    options.out_dir = Some(out_dir.clone());
    options.languages = case.languages.iter().map(|l| l.to_string()).collect();
    options.formats = case.formats.to_vec();

    // Peak memory from here on: the generator's own allocations do not count.
    reset_peak_rss();

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
        });
    }

    let (warm, summary, warnings) = one_build(&options)?;
    eprintln!("  warm-up build: {}", ms(warm));
    let runs = env_count("GUIDEGEN_BENCH_RUNS")
        .unwrap_or_else(|| ((10_000.0 / warm.max(1.0)) as usize).clamp(3, 7));
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        times.push(one_build(&options)?.0);
    }
    let peak_mb = rss_kb("VmHWM:").unwrap_or(0) as f64 / 1024.0;

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
    })
}

/// Sorts `values` and returns their median.
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
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

// ---------------------------------------------------------------------------------------------
// The synthetic site.

const SITE_YAML: &str = "\
title: {da: IT-vejledninger, en: IT guides}
languages: [da, en]
organization: Benchmark University
apps:
  microsoft-authenticator:
    name: Microsoft Authenticator
    app_store: https://apps.apple.com/app/microsoft-authenticator/id983156458
    google_play: https://play.google.com/store/apps/details?id=com.azure.authenticator
  company-portal:
    name: {da: Firmaportal, en: Company Portal}
    app_store: https://apps.apple.com/app/intune-company-portal/id719171358
    google_play: https://play.google.com/store/apps/details?id=com.microsoft.windowsintune.companyportal
";

const TOPICS: &[(&str, &str)] = &[
    ("tofaktorgodkendelse", "two-factor authentication"),
    ("trådløst netværk", "wireless network"),
    ("printeren på biblioteket", "the library printer"),
    (
        "din skolemail på telefonen",
        "your school email on your phone",
    ),
    ("OneDrive", "OneDrive"),
    ("Teams-møder", "Teams meetings"),
    ("VPN hjemmefra", "VPN from home"),
    ("adgangskort", "access card"),
    ("Zoom-licens", "Zoom licence"),
    ("Office på din egen computer", "Office on your own computer"),
    ("delte mapper", "shared folders"),
    ("eksamensbrowseren", "the exam browser"),
];

/// (da, en) actions; `{n}` is replaced by a number that varies per step.
const ACTIONS: &[(&str, &str)] = &[
    (
        "Åbn [https://portal.example.dk](https://portal.example.dk) i en browser, og log på med din\nskolemail. Vælg derefter **Indstillinger** øverst til højre.",
        "Open [https://portal.example.dk](https://portal.example.dk) in a browser and sign in with your\nschool email. Then select **Settings** in the top right corner.",
    ),
    (
        "Vælg **Sikkerhed** i menuen til venstre, og find afsnittet *Logonmetoder*.\nVælg **Tilføj metode** ({n}).",
        "Select **Security** in the menu on the left and find the *Sign-in methods* section.\nSelect **Add method** ({n}).",
    ),
    (
        "Skriv koden `{n}48-{n}1`, som du har fået på sms, i feltet **Kode**, og vælg **Bekræft**.",
        "Type the code `{n}48-{n}1` from the text message in the **Code** field and select **Confirm**.",
    ),
    (
        "Tryk på **Indstillinger** → **Konti** → **Tilføj konto** på din telefon.",
        "On your phone, tap **Settings** → **Accounts** → **Add account**.",
    ),
    (
        "Vælg den rigtige konto på listen:\n\n- din skolemail, hvis du er studerende\n- din medarbejdermail, hvis du er ansat\n\nTryk derefter på **Fortsæt**.",
        "Pick the right account in the list:\n\n- your school email if you are a student\n- your staff email if you are employed\n\nThen tap **Continue**.",
    ),
    (
        "Vent, mens enheden synkroniserer. Det kan tage op til {n} minutter; luk *ikke* vinduet imens.",
        "Wait while the device syncs. It can take up to {n} minutes; do *not* close the window meanwhile.",
    ),
    (
        "Skriv din adgangskode, og vælg **Log på**. Har du glemt den, så se vejledningen om\n[nulstilling af adgangskode](https://support.example.dk/nulstil).",
        "Enter your password and select **Sign in**. If you have forgotten it, see the guide on\n[resetting your password](https://support.example.dk/reset).",
    ),
    (
        "Sæt flueben i **Husk mig på denne enhed**, og vælg **Næste**.",
        "Tick **Remember me on this device** and select **Next**.",
    ),
    (
        "Åbn appen, og tryk på **+** øverst. Vælg **Arbejds- eller skolekonto**.",
        "Open the app and tap **+** at the top. Choose **Work or school account**.",
    ),
    (
        "Scan QR-koden på computerens skærm med telefonens kamera. Hold telefonen roligt, til den\nsiger **Kontoen er tilføjet**.",
        "Scan the QR code on the computer screen with your phone's camera. Hold the phone still until it\nsays **Account added**.",
    ),
    (
        "Vælg **Gem** nederst på siden. Der står nu *Ændringerne er gemt* i en grøn boks.",
        "Select **Save** at the bottom of the page. A green box now says *Changes saved*.",
    ),
    (
        "Genstart programmet, og log på igen med din skolemail og den nye adgangskode.",
        "Restart the program and sign in again with your school email and the new password.",
    ),
];

const RESULTS: &[(&str, &str)] = &[
    (
        "Siden **Sikkerhedsoplysninger** vises.",
        "The **Security info** page appears.",
    ),
    (
        "Du ser en grøn bekræftelse med teksten *Udført*.",
        "You see a green confirmation saying *Done*.",
    ),
    (
        "Enheden står nu på listen under **Mine enheder**.",
        "The device is now listed under **My devices**.",
    ),
    (
        "Appen viser din konto og en sekscifret kode, der skifter hvert 30. sekund.",
        "The app shows your account and a six-digit code that changes every 30 seconds.",
    ),
];

const CALLOUTS: &[(&str, &str, &str)] = &[
    (
        "note",
        "Ser siden anderledes ud, er du måske logget på med en privat konto. Log ud, og prøv igen\nmed din skolemail.",
        "If the page looks different, you may be signed in with a personal account. Sign out and try\nagain with your school email.",
    ),
    (
        "tip",
        "Du kan også bruge genvejen **Ctrl**+**K** for at komme direkte hertil.",
        "You can also use the shortcut **Ctrl**+**K** to get here directly.",
    ),
    (
        "warning",
        "Del aldrig koden med andre – heller ikke med IT-supporten. Vi spørger dig **aldrig** om den.",
        "Never share the code with anyone – not even IT support. We will **never** ask you for it.",
    ),
];

/// The device of each step (1-based) where it switches, for a 25-step guide; `variant` shifts the
/// pattern a little so that guides differ.
fn device_switch(step: usize, variant: usize) -> Option<&'static str> {
    const SWITCHES: &[(usize, &str)] = &[
        (1, "computer"),
        (4, "phone"),
        (7, "computer"),
        (11, "phone"),
        (14, "computer"),
        (18, "tablet"),
        (21, "computer"),
        (24, "phone"),
    ];
    SWITCHES
        .iter()
        .find(|(at, _)| {
            let at = if *at > 1 && variant % 2 == 1 {
                at + 1
            } else {
                *at
            };
            at == step
        })
        .map(|(_, d)| *d)
}

/// Writes a synthetic site of `guides` guides, each with `screenshots` screenshots, into `dir`.
fn generate_site(dir: &Path, guides: usize, screenshots: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("guidegen.yaml"), SITE_YAML)?;
    let png = screenshot_png(480, 300)?;
    for i in 0..guides {
        let gdir = dir
            .join("guides")
            .join(format!("category-{:02}", i / 50))
            .join(format!("guide-{i:04}"));
        std::fs::create_dir_all(gdir.join("shots"))?;
        // Which steps have screenshots: spread over the guide, alternating SVG and PNG (2 of 3 SVG).
        let shot_steps: Vec<usize> = (0..screenshots)
            .map(|k| 2 + k * 23 / screenshots.max(1))
            .collect();
        let mut shots = Vec::new();
        for (k, step) in shot_steps.iter().enumerate() {
            let svg = k % 3 != 1;
            let name = format!("shots/step-{step:02}.{}", if svg { "svg" } else { "png" });
            if svg {
                std::fs::write(gdir.join(&name), screenshot_svg(&format!("Step {step}"), k))?;
                if k == 0 {
                    // A Danish variant, as the example guides have.
                    std::fs::write(
                        gdir.join(format!("shots/step-{step:02}.da.svg")),
                        screenshot_svg(&format!("Trin {step}"), k),
                    )?;
                }
            } else {
                std::fs::write(gdir.join(&name), &png)?;
            }
            shots.push((*step, name));
        }
        std::fs::write(gdir.join("guide.yaml"), guide_yaml(i, &shots))?;
    }
    Ok(())
}

fn guide_yaml(i: usize, shots: &[(usize, String)]) -> String {
    let (topic_da, topic_en) = TOPICS[i % TOPICS.len()];
    let mut y = String::with_capacity(16 * 1024);
    let _ = writeln!(y, "# Synthetic guide {i} for the benchmark.");
    let _ = writeln!(
        y,
        "title:\n  da: Opsæt {topic_da} – variant {i}\n  en: Set up {topic_en} – variant {i}"
    );
    let _ = writeln!(
        y,
        "summary:\n  da: |\n    Denne vejledning viser, hvordan du opsætter **{topic_da}**. Du skal bruge din computer og\n    din telefon, og det tager cirka {} minutter.\n\n    Vejledningen siger til, hver gang du skal skifte enhed.\n  en: |\n    This guide shows how to set up **{topic_en}**. You need your computer and your phone, and it\n    takes about {} minutes.\n\n    The guide tells you every time you need to switch devices.",
        5 + i % 20,
        5 + i % 20
    );
    let _ = writeln!(y, "sections:");
    let app_step = if i.is_multiple_of(2) { 5 } else { 12 };
    let app = if i.is_multiple_of(3) {
        "company-portal"
    } else {
        "microsoft-authenticator"
    };
    for (s, range) in [(0, 1..=13), (1, 14..=25)] {
        let (title_da, title_en, intro_da, intro_en) = if s == 0 {
            (
                "Forberedelse",
                "Getting ready",
                "Hav din computer og din telefon klar, og følg trinene i rækkefølge.",
                "Have your computer and your phone ready and follow the steps in order.",
            )
        } else {
            (
                "Afslut opsætningen",
                "Finish the setup",
                "Nu mangler du kun at **bekræfte** opsætningen. Lad browservinduet stå åbent.",
                "Now you only need to **confirm** the setup. Keep the browser window open.",
            )
        };
        let _ = writeln!(y, "  - title: {{da: {title_da}, en: {title_en}}}");
        let _ = writeln!(
            y,
            "    intro:\n      da: |\n        {intro_da}\n      en: |\n        {intro_en}"
        );
        let _ = writeln!(y, "    steps:");
        for step in range {
            let k = i * 7 + step;
            let (action_da, action_en) = ACTIONS[k % ACTIONS.len()];
            let n = (k % 9 + 1).to_string();
            let _ = writeln!(y, "      - action:");
            block(&mut y, "da", &action_da.replace("{n}", &n));
            block(&mut y, "en", &action_en.replace("{n}", &n));
            if let Some(device) = device_switch(step, i) {
                let _ = writeln!(y, "        device: {device}");
            }
            if step == app_step {
                let _ = writeln!(y, "        app: {app}");
            }
            if let Some((_, src)) = shots.iter().find(|(at, _)| *at == step) {
                let _ = writeln!(
                    y,
                    "        screenshot:\n          src: {src}\n          alt:\n            da: Skærmbillede af trin {step} med knappen Næste.\n            en: Screenshot of step {step} with the Next button."
                );
            }
            if k.is_multiple_of(3) {
                let (da, en) = RESULTS[k % RESULTS.len()];
                let _ = writeln!(y, "        result:");
                block(&mut y, "da", da);
                block(&mut y, "en", en);
            }
            if k % 4 == 1 {
                let (kind, da, en) = CALLOUTS[k % CALLOUTS.len()];
                let _ = writeln!(y, "        {kind}:");
                block(&mut y, "da", da);
                block(&mut y, "en", en);
            }
        }
    }
    y
}

/// `lang: |` and the Markdown text, indented for a step's field.
fn block(y: &mut String, lang: &str, text: &str) {
    let _ = writeln!(y, "          {lang}: |");
    for line in text.lines() {
        if line.is_empty() {
            y.push('\n');
        } else {
            let _ = writeln!(y, "            {line}");
        }
    }
}

/// A small mock-up screenshot like the example guides' (about 2 kB).
fn screenshot_svg(label: &str, k: usize) -> String {
    let accent = ["#0f6cbd", "#107c10", "#c50f1f", "#8764b8"][k % 4];
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1280" height="800" viewBox="0 0 1280 800">
<title>Mock-up: {label}</title>
<rect x="0" y="0" width="1280" height="800" rx="12" fill="#dfe1e5"/>
<circle cx="28" cy="30" r="8" fill="#bdbdbd"/>
<circle cx="54" cy="30" r="8" fill="#bdbdbd"/>
<circle cx="80" cy="30" r="8" fill="#bdbdbd"/>
<path d="M104 56 v-34 a12 12 0 0 1 12 -12 h340 a12 12 0 0 1 12 12 v34 z" fill="#ffffff"/>
<text x="124" y="42" font-family="sans-serif" font-size="22" fill="#3c4043">portal.example.dk</text>
<rect x="0" y="56" width="1280" height="744" fill="#f3f2f1"/>
<rect x="400" y="140" width="480" height="520" rx="8" fill="#ffffff" stroke="#e1dfdd"/>
<text x="440" y="210" font-family="sans-serif" font-size="32" font-weight="bold" fill="#1b1b1b">{label}</text>
<text x="440" y="260" font-family="sans-serif" font-size="20" fill="#605e5c">Enter your school email address</text>
<rect x="440" y="290" width="400" height="48" rx="4" fill="#ffffff" stroke="#8a8886"/>
<text x="456" y="322" font-family="sans-serif" font-size="20" fill="#a19f9d">name@example.dk</text>
<rect x="440" y="370" width="180" height="16" rx="3" fill="#c8c6c4"/>
<rect x="440" y="400" width="260" height="16" rx="3" fill="#c8c6c4"/>
<rect x="700" y="560" width="140" height="52" rx="4" fill="{accent}"/>
<text x="770" y="594" font-family="sans-serif" font-size="22" fill="#ffffff" text-anchor="middle">Next</text>
</svg>
"##
    )
}

/// A small PNG screenshot: a window with a title bar, a panel and a button.
fn screenshot_png(width: u32, height: u32) -> std::io::Result<Vec<u8>> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let in_rect = |x0: u32, y0: u32, x1: u32, y1: u32| x >= x0 && x < x1 && y >= y0 && y < y1;
        if y < 24 {
            image::Rgb([223, 225, 229])
        } else if in_rect(300, 240, 440, 276) {
            image::Rgb([15, 108, 189])
        } else if in_rect(60, 60, 420, 76)
            || in_rect(60, 92, 300, 104)
            || in_rect(60, 116, 340, 128)
        {
            image::Rgb([200, 198, 196])
        } else if in_rect(40, 40, 440, 220) {
            image::Rgb([255, 255, 255])
        } else {
            image::Rgb([243, 242, 241])
        }
    });
    let mut bytes = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .map_err(std::io::Error::other)?;
    Ok(bytes)
}
