//! The command line: parses arguments, runs a pipeline, renders its diagnostics once, and chooses the
//! exit code (0 success, 1 the site has errors, 2 bad usage).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::build::{self, BuildOptions, Failure, Format};
use crate::diagnostic::{Diagnostic, Sources};

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
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site's folder
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Where to write the site [default: DIR/output]. Replaced whole by each build; guidegen refuses a
    /// non-empty folder it did not write
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Build only this language (repeatable) [default: every language of the site]
    #[arg(long = "lang", value_name = "LANG")]
    pub languages: Vec<String>,
    /// Build only this format (repeatable) [default: html and pdf]
    #[arg(long = "format", value_enum, value_name = "FORMAT")]
    pub formats: Vec<FormatArg>,
    /// Fail when any text would be shown in the source language for want of a current translation
    #[arg(long)]
    pub strict: bool,
    /// Print errors only: no warnings, no summary
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The site's folder
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Html,
    Pdf,
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
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let mut options = BuildOptions::new(&args.dir);
    options.out_dir = args.out;
    options.languages = args.languages;
    options.formats = args
        .formats
        .iter()
        .map(|f| match f {
            FormatArg::Html => Format::Html,
            FormatArg::Pdf => Format::Pdf,
        })
        .collect();
    options.strict = args.strict;
    let started = std::time::Instant::now();
    let outcome = build::build(&options);
    report(&outcome.diagnostics, &outcome.sources, args.quiet);
    match outcome.result {
        Ok(summary) => {
            if !args.quiet {
                println!(
                    "built {} guide{} into {}: {} HTML page{}, {} PDF{}, {} other file{} in {:.2} s",
                    summary.guides,
                    plural(summary.guides),
                    summary.out_dir.display(),
                    summary.html_pages,
                    plural(summary.html_pages),
                    summary.pdfs,
                    plural(summary.pdfs),
                    summary.other_files,
                    plural(summary.other_files),
                    started.elapsed().as_secs_f64()
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

fn run_check(args: CheckArgs) -> ExitCode {
    let checked = build::check(&args.dir);
    let mut diagnostics = checked.diagnostics;
    // Templates are part of the site: check the site's overrides too.
    let _ = crate::html::Templates::load(&crate::load::SiteDir::new(&args.dir), &mut diagnostics);
    let failed = diagnostics.has_errors();
    let (errors, warnings) = (diagnostics.error_count(), diagnostics.warning_count());
    report(&diagnostics.sorted(), &checked.sources, false);
    if failed {
        eprintln!(
            "error: the site has {errors} error{} and {warnings} warning{}",
            plural(errors),
            plural(warnings)
        );
        ExitCode::from(1)
    } else {
        let guides = checked.site.as_ref().map_or(0, |s| s.guides.len());
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

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
