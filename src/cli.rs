//! The command line: parses arguments, runs a pipeline, renders its diagnostics once, and chooses the
//! exit code (0 success, 1 the site has errors, 2 bad usage).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::build::{self, BuildOptions, Failure, Format};
use crate::diagnostic::{Diagnostic, Sources};
use crate::i18n;

#[derive(Debug, Parser)]
#[command(
    name = "guidegen",
    version,
    about = "Turns YAML step guides into a localized static site of HTML and PDF guides",
    long_about = "Turns YAML step guides into a localized static site of HTML and PDF guides.\n\n\
        A site is a folder with guidegen.yaml (optional), guides/<id>/guide.yaml with screenshots beside \
        each guide, optional templates/ and locales/. `guidegen build` writes output/.",
    after_help = "Exit codes: 0 success, 1 the site has errors (each printed as path:line:column), 2 bad usage."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site: HTML pages and PDF guides in every language, into output/
    Build(BuildArgs),
    /// Check the site and report every error and warning, writing nothing
    Check(CheckArgs),
    /// Translations: status, confirm, and PO files for translators (export, import)
    #[command(subcommand)]
    I18n(I18nCommand),
    /// Start a new site: guidegen.yaml and a first guide to copy from
    Init(InitArgs),
    /// Add a guide: guides/<ID>/guide.yaml, commented, in the site's languages
    #[command(
        after_help = "Exit codes: 0 written, 1 the site's settings have errors or the file cannot be \
            written, 2 bad usage (an invalid id, or one the site already has)."
    )]
    New(NewArgs),
    /// Show a screenshot with a grid of its pixel coordinates, to write callouts and redactions
    #[command(
        after_help = "Writes one HTML page (the image inside it) to --out, or to the system's temporary folder, and \
        prints where. Point at the image to read x, y; drag a rectangle to get `box: [x, y, width, height]` \
        to paste into guide.yaml. Nothing is added to the site.\n\n\
        Exit codes: 0 written, 1 the image cannot be read or the page cannot be written, 2 bad usage."
    )]
    Grid(GridArgs),
    /// Preview the site: build it in memory, serve it over HTTP, rebuild and reload pages on every change
    #[command(
        after_help = "Writes nothing: output/ and the site stay as they are. Open pages reload by themselves \
        after each change; errors show in the terminal and over the page.\n\n\
        Exit codes: 0 stopped with Ctrl-C, 2 bad usage or the address can't be had (port in use)."
    )]
    Serve(ServeArgs),
    /// Write JSON Schemas of guidegen.yaml and guide.yaml into DIR/schemas/, for editors
    #[command(
        after_help = "Files that start with `# yaml-language-server: $schema=…` (as those of `init` and `new` do) \
        then get completion, descriptions and red underlines in VS Code's YAML extension and other editors \
        using the YAML language server. See docs/editors.md."
    )]
    Schema(SchemaArgs),
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    #[command(flatten)]
    pub site: SiteArg,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// The port to listen on (0: any free port; the address is printed)
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// The address to listen on; anything but a loopback address makes the site visible to the network
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, clap::Args)]
pub struct GridArgs {
    /// The screenshot: a PNG, JPEG or SVG file
    pub image: PathBuf,
    /// Where to write the page [default: <temporary folder>/guidegen-grid/<image>.grid.html]
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Open the page in the default browser
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The new guide's id: its folder's name, lowercase letters, digits and `-` (e.g. vpn-setup)
    pub id: String,
    #[command(flatten)]
    pub site: SiteArg,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The new site's folder (created if needed)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// A language of the site (repeatable; the first is the one guides are written in) [default: en]
    #[arg(long = "lang", value_name = "LANG")]
    pub languages: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum I18nCommand {
    /// Show how far each guide is translated into each language
    #[command(
        after_help = "Exit codes: 0 success (with --strict: everything translated), 1 the site has errors or \
        (with --strict) a translation is missing or outdated, 2 bad usage."
    )]
    Status(StatusArgs),
    /// Record that translations still fit their source text (clears "outdated"), editing guide.yaml in place
    Confirm(ConfirmArgs),
    /// Bring hand-written translations under tracking: record their source text's fingerprint, so that
    /// a later change of the source shows them as outdated (outdated translations are left as they are)
    Track(ConfirmArgs),
    /// Write a gettext PO file per guide for translators, into DIR/translations/<lang>/<guide-id>.po
    Export(ExportArgs),
    /// Bring translations back from PO files into guide.yaml
    #[command(override_usage = "guidegen i18n import [DIR] <FILE.po>... [--lang LANG]")]
    Import(ImportArgs),
    /// Write locales/<LANG>.yaml: guidegen's interface strings to translate, each commented out until
    /// it is translated (run again after an upgrade: it adds the strings the file lacks)
    Strings(StringsArgs),
}

#[derive(Debug, clap::Args)]
pub struct StringsArgs {
    /// The language (e.g. de)
    pub lang: String,
    #[command(flatten)]
    pub site: SiteArg,
}

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// Show only this language (repeatable) [default: every language but the source language]
    #[arg(long = "lang", value_name = "LANG")]
    pub languages: Vec<String>,
    /// How to print the status
    #[arg(long, value_enum, default_value = "table")]
    pub format: StatusFormat,
    /// Exit with 1 when any text is missing or outdated (for CI)
    #[arg(long)]
    pub strict: bool,
    /// Also list the screenshots that have no localized version (listed anyway once the site
    /// localizes some)
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ConfirmArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// Confirm only this language's translations (repeatable) [default: every language but the source]
    #[arg(long = "lang", value_name = "LANG")]
    pub languages: Vec<String>,
    /// Confirm only this guide's translations (repeatable; the guide's folder name) [default: every guide]
    #[arg(long = "guide", value_name = "ID")]
    pub guides: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// Export this language (repeatable) [default: every language but the source language]
    #[arg(long = "lang", value_name = "LANG")]
    pub languages: Vec<String>,
    /// Where to write [default: DIR/translations]; files go to OUT/<lang>/<guide-id>.po
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The site's folder (optional; default: the current one), then one or more PO files
    #[arg(value_name = "DIR|FILE.po", required = true, num_args = 1..)]
    pub paths: Vec<PathBuf>,
    /// The files' language [default: each file's `Language:` header]
    #[arg(long = "lang", value_name = "LANG")]
    pub language: Option<String>,
}

/// The site folder argument every command takes.
#[derive(Debug, clap::Args)]
pub struct SiteArg {
    /// The site's folder
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// Where to write the site [default: DIR/output]. Replaced whole by each build; guidegen refuses a
    /// non-empty folder it did not write
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Build only this language (repeatable) [default: every language of the site]
    #[arg(long = "lang", value_name = "LANG")]
    pub languages: Vec<String>,
    /// Build only this format (repeatable) [default: html and pdf]. fragment and single are made
    /// only when asked for: <lang>/<id>/<id>-<lang>.fragment.html and <lang>/<id>/<id>-<lang>.html
    #[arg(long = "format", value_enum, value_name = "FORMAT")]
    pub formats: Vec<FormatArg>,
    /// With --format fragment: put the screenshots into the fragment as data: URLs instead of
    /// writing them beside it (a fragment to paste with nothing to upload)
    #[arg(long)]
    pub inline_images: bool,
    /// Fail when any text would be shown in the source language for want of a current translation
    #[arg(long)]
    pub strict: bool,
    /// Print errors only: no warnings, no summary
    #[arg(long, short)]
    pub quiet: bool,
    /// Replace a published site even when no guide is found (refused otherwise)
    #[arg(long)]
    pub allow_empty: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// How to print the diagnostics: `text` for people, `json` for CI and editors (one JSON object per
    /// line on standard output: path, line, column, severity, message, hint)
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// The site: a page per guide and language, the indexes, search
    Html,
    /// A PDF per guide and language
    Pdf,
    /// An HTML fragment per guide and language, for pasting into a CMS page
    Fragment,
    /// One self-contained HTML file per guide and language, to send as an attachment
    Single,
}

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            // --help and --version are successes; everything else clap rejects is bad usage.
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Check(args) => run_check(args),
        Command::Schema(args) => {
            if !site_dir_exists(&args.site.dir) {
                return ExitCode::from(2);
            }
            match crate::schema::write(&args.site.dir) {
                Ok(files) => {
                    for file in files {
                        println!("wrote {}", file.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("error: cannot write the schemas: {err}");
                    ExitCode::from(1)
                }
            }
        }
        Command::I18n(command) => run_i18n(command),
        Command::Serve(args) => {
            if !site_dir_exists(&args.site.dir) {
                return ExitCode::from(2);
            }
            crate::serve::start(crate::serve::ServeOptions {
                site_dir: args.site.dir,
                port: args.port,
                bind: args.bind,
                open: args.open,
            })
        }
        Command::New(args) => {
            if !site_dir_exists(&args.site.dir) {
                return ExitCode::from(2);
            }
            match crate::init::new_guide(&args.site.dir, &args.id) {
                Ok(path) => {
                    println!("wrote {}", path.display());
                    println!(
                        "next: edit it, and see it with `guidegen serve {}`",
                        args.site.dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => init_failed(&err),
            }
        }
        Command::Grid(args) => run_grid(args),
        Command::Init(args) => match crate::init::init(&args.dir, &args.languages) {
            Ok(files) => {
                for file in files {
                    println!("wrote {}", file.display());
                }
                println!("next: guidegen build {}", args.dir.display());
                ExitCode::SUCCESS
            }
            Err(err) => init_failed(&err),
        },
    }
}

/// Prints why `init` or `new` wrote nothing: 1 when the disk or the site is at fault, 2 for usage.
fn init_failed(err: &crate::init::InitError) -> ExitCode {
    use crate::init::InitError;
    eprintln!("error: {err}");
    match err {
        InitError::Io(_) | InitError::Site(_) => ExitCode::from(1),
        _ => ExitCode::from(2),
    }
}

fn run_i18n(command: I18nCommand) -> ExitCode {
    let dir = match &command {
        I18nCommand::Status(args) => Some(&args.site.dir),
        I18nCommand::Confirm(args) | I18nCommand::Track(args) => Some(&args.site.dir),
        I18nCommand::Export(args) => Some(&args.site.dir),
        I18nCommand::Strings(args) => Some(&args.site.dir),
        I18nCommand::Import(_) => None,
    };
    if let Some(dir) = dir
        && !site_dir_exists(dir)
    {
        return ExitCode::from(2);
    }
    match command {
        I18nCommand::Status(args) => run_status(args),
        I18nCommand::Confirm(args) => run_confirm(args, false),
        I18nCommand::Track(args) => run_confirm(args, true),
        I18nCommand::Export(args) => run_export(args),
        I18nCommand::Strings(args) => run_strings(args),
        I18nCommand::Import(args) => run_import(args),
    }
}

/// `guidegen i18n status`: how far each guide is translated, as a table or JSON.
fn run_status(args: StatusArgs) -> ExitCode {
    let checked = build::check(&args.site.dir);
    let Some(site) = checked.site else {
        return site_errors(&checked.diagnostics.sorted(), &checked.sources);
    };
    if let Err(Failure::Usage(message)) = i18n::target_languages(&site, &args.languages) {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    let report = i18n::status(&site, &args.languages);
    match args.format {
        // A closed pipe (`| head`) is not an error worth a panic.
        StatusFormat::Table => {
            let _ = write!(std::io::stdout().lock(), "{}", report.table(args.verbose));
        }
        StatusFormat::Json => {
            let _ = writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::to_string_pretty(&report.json()).unwrap_or_default()
            );
        }
    }
    if args.strict && !report.complete() {
        eprintln!("error: some translations are missing or outdated (--strict)");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// `guidegen i18n export`: a PO file per guide and language for translators.
fn run_export(args: ExportArgs) -> ExitCode {
    let outcome = i18n::export(&i18n::ExportOptions {
        site_dir: args.site.dir,
        languages: args.languages,
        out_dir: args.out,
    });
    finish(outcome, |s| {
        let mut text = format!(
            "wrote {} PO file{} ({} entr{} to translate)",
            s.files.len(),
            plural(s.files.len()),
            s.untranslated,
            if s.untranslated == 1 { "y" } else { "ies" }
        );
        for f in &s.files {
            text.push_str(&format!("\n  {}", f.display()));
        }
        text
    })
}

/// `guidegen i18n strings`: locales/<lang>.yaml with the interface strings to translate.
fn run_strings(args: StringsArgs) -> ExitCode {
    let outcome = i18n::strings(&i18n::StringsOptions {
        site_dir: args.site.dir,
        lang: args.lang,
    });
    finish(outcome, |s| {
        let done = match (s.created, s.added) {
            (true, n) => format!("wrote {} with {n} interface strings", s.path.display()),
            (false, 0) => format!("nothing to add to {}", s.path.display()),
            (false, n) => format!(
                "added {n} interface string{} to the strings of {}",
                plural(n),
                s.path.display()
            ),
        };
        match s.untranslated {
            0 => format!("{done}; every string is translated"),
            n => format!(
                "{done}; {n} string{} to translate: translate each commented line and remove its `#`",
                plural(n)
            ),
        }
    })
}

/// `guidegen i18n import`: translations back from PO files into guide.yaml.
fn run_import(args: ImportArgs) -> ExitCode {
    let mut paths = args.paths;
    let dir = if paths.first().is_some_and(|p| p.is_dir()) {
        paths.remove(0)
    } else {
        PathBuf::from(".")
    };
    if paths.is_empty() {
        eprintln!(
            "error: name one or more PO files to import: guidegen i18n import [DIR] FILE.po..."
        );
        return ExitCode::from(2);
    }
    let outcome = i18n::import(&i18n::ImportOptions {
        site_dir: dir,
        files: paths,
        language: args.language,
    });
    finish(outcome, |s| {
        format!(
            "imported {} translation{} ({} unchanged, {} outdated) into {} file{}; {} entr{} skipped",
            s.imported,
            plural(s.imported),
            s.unchanged,
            s.outdated,
            s.files.len(),
            plural(s.files.len()),
            s.skipped,
            if s.skipped == 1 { "y" } else { "ies" }
        )
    })
}

/// Reports a translation command's diagnostics and chooses its exit code.
fn finish<T>(outcome: i18n::Outcome<T>, summary: impl FnOnce(&T) -> String) -> ExitCode {
    match outcome.result {
        Ok(value) => {
            report(&outcome.diagnostics, &outcome.sources, false);
            let _ = writeln!(std::io::stdout().lock(), "{}", summary(&value));
            ExitCode::SUCCESS
        }
        Err(Failure::Site) => site_errors(&outcome.diagnostics, &outcome.sources),
        Err(Failure::Usage(message)) => {
            report(&outcome.diagnostics, &outcome.sources, false);
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Output(message)) => {
            report(&outcome.diagnostics, &outcome.sources, false);
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

fn site_errors(diagnostics: &[Diagnostic], sources: &Sources) -> ExitCode {
    report(diagnostics, sources, false);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "error: {errors} error{}; nothing was changed",
        plural(errors)
    );
    ExitCode::from(1)
}

/// The site folder must exist: a mistyped DIR is bad usage, not an empty site.
fn site_dir_exists(dir: &std::path::Path) -> bool {
    if dir.is_dir() {
        return true;
    }
    eprintln!(
        "error: {} is not a folder (give the site's folder, the one with guidegen.yaml and guides/)",
        dir.display()
    );
    false
}

fn run_build(args: BuildArgs) -> ExitCode {
    if !site_dir_exists(&args.site.dir) {
        return ExitCode::from(2);
    }
    let mut options = BuildOptions::new(&args.site.dir);
    options.out_dir = args.out;
    options.languages = args.languages;
    options.formats = args
        .formats
        .iter()
        .map(|f| match f {
            FormatArg::Html => Format::Html,
            FormatArg::Pdf => Format::Pdf,
            FormatArg::Fragment => Format::Fragment,
            FormatArg::Single => Format::Single,
        })
        .collect();
    options.inline_images = args.inline_images;
    if args.inline_images && !options.formats.contains(&Format::Fragment) {
        eprintln!(
            "error: --inline-images is for --format fragment (a single file always has its images inline)"
        );
        return ExitCode::from(2);
    }
    options.strict = args.strict;
    options.allow_empty = args.allow_empty;
    let started = std::time::Instant::now();
    let progress = BuildProgress::new(args.quiet);
    let outcome = build::build_with_progress(&options, &progress);
    progress.finish();
    report(&outcome.diagnostics, &outcome.sources, args.quiet);
    match outcome.result {
        Ok(summary) => {
            if !args.quiet {
                println!(
                    "built {} guide{} into {}: {} HTML page{}, {} PDF{}, {} other file{} in {:.2} s{}",
                    summary.guides,
                    plural(summary.guides),
                    summary.out_dir.display(),
                    summary.html_pages,
                    plural(summary.html_pages),
                    summary.pdfs,
                    plural(summary.pdfs),
                    summary.other_files,
                    plural(summary.other_files),
                    started.elapsed().as_secs_f64(),
                    unchanged_note(summary.unchanged, summary.not_read)
                );
            }
            if !args.quiet && summary.fallback_texts > 0 {
                println!(
                    "note: {} text{} shown in the source language for want of a current translation \
                     (marked on the pages); `guidegen i18n status` lists them",
                    summary.fallback_texts,
                    if summary.fallback_texts == 1 {
                        " is"
                    } else {
                        "s are"
                    }
                );
            }
            if !args.quiet && summary.outdated_texts > 0 {
                println!(
                    "note: {} outdated translation{} shown as written (the source text changed since); `guidegen i18n status` lists them",
                    summary.outdated_texts,
                    if summary.outdated_texts == 1 {
                        " is"
                    } else {
                        "s are"
                    }
                );
            }
            if !args.quiet && summary.omitted > 0 {
                println!(
                    "note: {} guide{} left out of a language until translated (translation.incomplete: omit)",
                    summary.omitted,
                    if summary.omitted == 1 { " is" } else { "s are" }
                );
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Site) => {
            let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "error: the site has {errors} error{}; nothing was written",
                plural(errors)
            );
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Output(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

/// The build's progress on a terminal: a bar once rendering takes a moment, nothing when standard
/// error is not a terminal or with `--quiet`.
struct BuildProgress {
    bar: Option<indicatif::ProgressBar>,
}

impl BuildProgress {
    fn new(quiet: bool) -> Self {
        use std::io::IsTerminal;
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr(),
            );
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} pages and PDFs")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        BuildProgress { bar }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl build::Progress for BuildProgress {
    fn waiting(&self, out_dir: &std::path::Path) {
        // Said even when quiet: a build that seems to hang must say why.
        eprintln!(
            "waiting for another build of {} to finish…",
            out_dir.display()
        );
    }

    fn rendered(&self, done: usize, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    }
}

/// `i18n confirm`, or with `untracked_only`, `i18n track`.
fn run_confirm(args: ConfirmArgs, untracked_only: bool) -> ExitCode {
    let outcome = i18n::confirm(&i18n::ConfirmOptions {
        site_dir: args.site.dir,
        languages: args.languages,
        guides: args.guides,
        untracked_only,
    });
    let verb = if untracked_only {
        "now tracking"
    } else {
        "confirmed"
    };
    finish(outcome, |s| {
        format!(
            "{verb} {} translation{} in {} file{}",
            s.confirmed,
            plural(s.confirmed),
            s.files.len(),
            plural(s.files.len())
        )
    })
}

fn run_grid(args: GridArgs) -> ExitCode {
    let page = match crate::grid::page_for(&args.image) {
        Ok(page) => page,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
    };
    let out = args
        .out
        .unwrap_or_else(|| crate::grid::default_out(&args.image));
    let written = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&out, page));
    if let Err(err) = written {
        eprintln!("error: cannot write {}: {err}", out.display());
        return ExitCode::from(1);
    }
    let absolute = std::path::absolute(&out).unwrap_or_else(|_| out.clone());
    println!("wrote {}", out.display());
    let url = format!("file://{}", absolute.display());
    if args.open {
        crate::serve::open_browser(&url, &mut std::io::stdout());
    } else {
        println!("open {url}: point at the image for x, y; drag for a box");
    }
    ExitCode::SUCCESS
}

fn run_check(args: CheckArgs) -> ExitCode {
    if !site_dir_exists(&args.site.dir) {
        return ExitCode::from(2);
    }
    // Templates are part of the site's context: `check` loads them too. Missing and outdated
    // translations are warnings: the site builds, with the source text shown.
    let checked = build::check_report(&args.site.dir);
    let diagnostics = checked.diagnostics;
    let sources = checked.sources;
    let failed = diagnostics.has_errors();
    let (errors, warnings) = (diagnostics.error_count(), diagnostics.warning_count());
    if args.format == CheckFormat::Json {
        let mut out = std::io::stdout().lock();
        for d in diagnostics.sorted() {
            let _ = writeln!(out, "{}", d.to_json());
        }
        return ExitCode::from(u8::from(failed));
    }
    report(&diagnostics.sorted(), &sources, false);
    // One line for them all: hand-written translations are fine, only not watched.
    let untracked = checked.untracked;
    if untracked > 0 {
        eprintln!(
            "info: {untracked} translation{} {} untracked (written without the fingerprint of {} source text, so a change of the source will not show {} as outdated); `guidegen i18n track` records it",
            plural(untracked),
            if untracked == 1 { "is" } else { "are" },
            if untracked == 1 { "its" } else { "their" },
            if untracked == 1 { "it" } else { "them" },
        );
    }
    // Said once for the site, as information: the setting is optional, the codes are a bonus.
    if let Some(hint) = checked.continue_hint {
        eprintln!("info: {hint}");
    }
    if failed {
        eprintln!(
            "error: the site has {errors} error{} and {warnings} warning{}",
            plural(errors),
            plural(warnings)
        );
        ExitCode::from(1)
    } else {
        let guides = checked.guides.unwrap_or(0);
        println!(
            "ok: {guides} guide{}, {warnings} warning{}",
            plural(guides),
            plural(warnings)
        );
        ExitCode::SUCCESS
    }
}

/// Prints diagnostics to standard error, each once, in file order.
pub fn report(diagnostics: &[Diagnostic], sources: &Sources, quiet: bool) {
    let mut err = std::io::stderr().lock();
    for d in diagnostics.iter().filter(|d| !quiet || d.is_error()) {
        let _ = writeln!(err, "{}\n", d.render(sources));
    }
}

/// What a rebuild took over, said after the build's summary: " (3 unchanged since the previous
/// build: taken over, 2 of them not read again)"; nothing after a fresh build. One line, not notes:
/// this is how a rebuild goes, nothing to act on.
fn unchanged_note(unchanged: usize, not_read: usize) -> String {
    let read = match not_read {
        0 => String::new(),
        n if n == unchanged => ", not read again".to_owned(),
        n => format!(", {n} of them not read again"),
    };
    match unchanged {
        0 => String::new(),
        n => format!(" ({n} unchanged since the previous build: taken over{read})"),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_rebuild_says_what_it_took_over_in_its_summary() {
        assert_eq!(super::unchanged_note(0, 0), "");
        assert_eq!(
            super::unchanged_note(5, 5),
            " (5 unchanged since the previous build: taken over, not read again)"
        );
        assert_eq!(
            super::unchanged_note(5, 2),
            " (5 unchanged since the previous build: taken over, 2 of them not read again)"
        );
        assert_eq!(
            super::unchanged_note(1, 0),
            " (1 unchanged since the previous build: taken over)"
        );
    }

    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }

    /// A help text continued over source lines keeps the next line's indentation unless the line
    /// ends in `\\`: it showed as a gap of spaces in `guidegen new --help`.
    #[test]
    fn no_help_text_has_a_gap_of_spaces() {
        fn texts(command: &clap::Command, out: &mut Vec<String>) {
            let name = command.get_name().to_owned();
            for text in [
                command.get_about(),
                command.get_long_about(),
                command.get_after_help(),
                command.get_after_long_help(),
                command.get_before_help(),
            ]
            .into_iter()
            .flatten()
            {
                out.push(format!("{name}: {text}"));
            }
            for arg in command.get_arguments() {
                for text in [arg.get_help(), arg.get_long_help()].into_iter().flatten() {
                    out.push(format!("{name} {}: {text}", arg.get_id()));
                }
            }
            for sub in command.get_subcommands() {
                texts(sub, out);
            }
        }
        let mut all = Vec::new();
        texts(&super::Cli::command(), &mut all);
        assert!(all.len() > 20, "{all:?}");
        for text in all {
            assert!(
                !text.lines().any(|line| line.trim().contains("   ")),
                "a gap of spaces in {text}"
            );
        }
    }
}
