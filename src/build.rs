//! The pipeline, as a list of named steps: load and validate the site context and its guides
//! ([`crate::context`]) → resolve the command line into a [`Plan`] → render every job
//! ([`crate::render`]) on worker threads → write into a staging folder that replaces the output
//! folder only when everything succeeded ([`crate::write`]). `check` runs the first step only.

use std::path::{Path, PathBuf};

use crate::context::{Context, GuideSet};
use crate::diagnostic::{Diagnostic, Diagnostics, Sources, Span};
use crate::model::Site;
pub use crate::plan::Format;
use crate::plan::{Plan, Request};
use crate::render::{self, Renderer};
use crate::write::Staging;

/// What `guidegen build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub site_dir: PathBuf,
    /// Default: `<site_dir>/output`.
    pub out_dir: Option<PathBuf>,
    /// Empty: every language of the site.
    pub languages: Vec<String>,
    /// Empty: HTML and PDF.
    pub formats: Vec<Format>,
    /// Fail on any text shown in the source language for want of a current translation.
    pub strict: bool,
}

impl BuildOptions {
    pub fn new(site_dir: impl Into<PathBuf>) -> Self {
        Self {
            site_dir: site_dir.into(),
            out_dir: None,
            languages: Vec::new(),
            formats: Vec::new(),
            strict: false,
        }
    }

    fn request(&self) -> Request {
        Request {
            languages: self.languages.clone(),
            formats: self.formats.clone(),
            strict: self.strict,
        }
    }
}

/// A site after loading and validation.
pub struct Checked {
    /// `None` when the site has errors.
    pub site: Option<Site>,
    pub diagnostics: Diagnostics,
    pub sources: Sources,
}

/// Loads and validates the site in `site_dir` — settings, catalogs, templates and every guide —
/// writing nothing.
pub fn check(site_dir: &Path) -> Checked {
    let (checked, _context) = check_with_context(site_dir);
    checked
}

/// [`check`], keeping the context for the steps after it.
fn check_with_context(site_dir: &Path) -> (Checked, Option<Context>) {
    let (mut context, found) = match Context::load(site_dir) {
        Ok(loaded) => loaded,
        Err(broken) => {
            let checked = Checked {
                site: None,
                diagnostics: broken.diagnostics,
                sources: broken.sources,
            };
            return (checked, None);
        }
    };
    let guides = GuideSet::load(&context.site, found);
    let mut diagnostics = std::mem::take(&mut context.diagnostics);
    diagnostics.extend(guides.diagnostics());
    let mut sources = std::mem::take(&mut context.sources);
    guides.add_sources(&mut sources);
    let site = (!diagnostics.has_errors()).then(|| guides.site(&context.site));
    let checked = Checked {
        site,
        diagnostics,
        sources,
    };
    (checked, Some(context))
}

/// Why a build wrote nothing.
#[derive(Debug)]
pub enum Failure {
    /// The site has errors, in the diagnostics.
    Site,
    /// The command line asked for something the site does not have (exit code 2).
    Usage(String),
    /// The output folder was refused or could not be written.
    Output(String),
}

/// What a successful build wrote.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub out_dir: PathBuf,
    pub guides: usize,
    pub html_pages: usize,
    pub pdfs: usize,
    pub other_files: usize,
    /// Texts published in the source language for want of a current translation, over all pages.
    pub fallback_texts: usize,
    /// Guides left out of a language until translated (`translation.incomplete: omit`), over all
    /// languages.
    pub omitted: usize,
}

pub struct Outcome {
    pub result: Result<Summary, Failure>,
    /// Errors and warnings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

/// What a build tells the command line while it runs.
pub trait Progress: Sync {
    /// Another build holds the output folder: this one waits for it.
    fn waiting(&self, out_dir: &Path);
    /// `done` of `total` jobs are rendered.
    fn rendered(&self, done: usize, total: usize);
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {
    fn waiting(&self, _: &Path) {}
    fn rendered(&self, _: usize, _: usize) {}
}

/// Builds the site: every page and PDF is rendered into a staging folder, which replaces the output
/// folder only when all succeeded.
pub fn build(options: &BuildOptions) -> Outcome {
    build_with_progress(options, &Silent)
}

/// [`build`], telling `progress` how far it is.
pub fn build_with_progress(options: &BuildOptions, progress: &dyn Progress) -> Outcome {
    let (checked, context) = check_with_context(&options.site_dir);
    let Checked {
        site,
        mut diagnostics,
        sources,
    } = checked;
    let fail = |failure: Failure, diagnostics: Diagnostics, sources: Sources| Outcome {
        result: Err(failure),
        diagnostics: diagnostics.sorted(),
        sources,
    };
    let (Some(site), Some(context)) = (site, context) else {
        return fail(Failure::Site, diagnostics, sources);
    };
    let plan = match Plan::resolve(&site, &options.request(), &mut diagnostics) {
        Ok(plan) => plan,
        Err(usage) => return fail(Failure::Usage(usage), diagnostics, sources),
    };
    if diagnostics.has_errors() {
        return fail(Failure::Site, diagnostics, sources);
    }

    let out_dir = options
        .out_dir
        .clone()
        .unwrap_or_else(|| options.site_dir.join("output"));
    let staging = match Staging::begin_waiting(&out_dir, &options.site_dir, |_| {
        progress.waiting(&out_dir)
    }) {
        Ok(staging) => staging,
        Err(refusal) => return fail(Failure::Output(refusal.to_string()), diagnostics, sources),
    };
    let renderer = Renderer::new(&context, &site, &plan);
    let jobs = renderer.jobs();
    let counts = render::render_into(&renderer, &jobs, &staging, &|done| {
        progress.rendered(done, jobs.len())
    });
    let mut summary = match counts {
        Ok(counts) => Summary {
            html_pages: counts.pages,
            pdfs: counts.pdfs,
            other_files: counts.other,
            ..Summary::default()
        },
        Err(errors) => {
            staging.abort();
            return fail(Failure::Output(errors.join("\n")), diagnostics, sources);
        }
    };
    summary.fallback_texts = plan.fallback_texts;
    summary.omitted = plan.omitted;
    summary.guides = plan.guide_count();
    match staging.commit() {
        Ok(committed) => {
            summary.out_dir = committed.path;
            if let Some(warning) = committed.warning {
                diagnostics.push(Diagnostic::warning(&out_dir, Span::START, warning));
            }
            Outcome {
                result: Ok(summary),
                diagnostics: diagnostics.sorted(),
                sources,
            }
        }
        Err(err) => fail(
            Failure::Output(format!("cannot replace {}: {err}", out_dir.display())),
            diagnostics,
            sources,
        ),
    }
}
