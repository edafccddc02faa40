//! The pipeline: load → validate → model → render (HTML and PDF, in parallel) → write. `check` runs
//! the first stages only; `build` runs them all and swaps the output in only when everything succeeded.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics, Sources, Span};
use crate::html::Templates;
use crate::load::{self, SiteDir};
use crate::model::{Guide, IncompletePolicy, Language, Site, Status};
use crate::pdf::{self, PdfSettings};
use crate::qr;
use crate::validate;
use crate::view;
use crate::write::Staging;

/// An output format of `build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Html,
    Pdf,
}

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
}

/// A site after loading and validation.
pub struct Checked {
    /// `None` when the site has errors.
    pub site: Option<Site>,
    pub diagnostics: Diagnostics,
    pub sources: Sources,
}

/// One guide after loading and validation: the model (if valid), its diagnostics, and its file's
/// text for diagnostics to quote.
type CheckedGuide = (Option<Guide>, Diagnostics, Option<(PathBuf, String)>);

/// Loads and validates the site in `site_dir`, writing nothing. Guides are read, parsed and
/// validated in parallel, each guide's input dropped as soon as it is validated.
pub fn check(site_dir: &Path) -> Checked {
    let dir = SiteDir::new(site_dir);
    let mut diagnostics = Diagnostics::new();
    let mut loaded = load::load_site(&dir, &mut diagnostics);
    let mut sources = std::mem::take(&mut loaded.sources);
    let Some(mut site) = validate::validate_site(&dir, &loaded, &mut diagnostics) else {
        return Checked {
            site: None,
            diagnostics,
            sources,
        };
    };

    // Ids are folder names: a second folder of the same name is reported and not read.
    let mut first_of: HashMap<&str, &Path> = HashMap::new();
    let mut unique = Vec::new();
    for found in &loaded.guides {
        match first_of.get(found.id.as_str()) {
            Some(first) => diagnostics.push(
                Diagnostic::error(
                    &found.path,
                    Span::START,
                    format!("a guide with id `{}` already exists", found.id),
                )
                .with_hint(format!(
                    "{} has the same folder name; rename one of the folders",
                    first.display()
                )),
            ),
            None => {
                first_of.insert(&found.id, &found.path);
                unique.push(found.clone());
            }
        }
    }

    let results: Vec<CheckedGuide> = unique
        .into_par_iter()
        .map(|found| {
            let mut guide_diagnostics = Diagnostics::new();
            let path = found.path.clone();
            let (text, parsed) = load::load_guide(found, &mut guide_diagnostics);
            let guide = parsed.and_then(|parsed| {
                validate::validate_guide(
                    &site,
                    parsed,
                    text.as_deref().unwrap_or_default(),
                    &mut guide_diagnostics,
                )
            });
            (guide, guide_diagnostics, text.map(|t| (path, t)))
        })
        .collect();
    for (guide, guide_diagnostics, text) in results {
        site.guides.extend(guide);
        diagnostics.extend(guide_diagnostics);
        if let Some((path, text)) = text {
            sources.insert(path, text);
        }
    }
    site.guides.sort_by(|a, b| a.id.cmp(&b.id));
    let site = if diagnostics.has_errors() {
        None
    } else {
        Some(site)
    };
    Checked {
        site,
        diagnostics,
        sources,
    }
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

/// One file of the output, rendered by one task.
enum Job<'a> {
    Root,
    Assets,
    Index(&'a Language),
    Guide(&'a Guide, &'a Language),
}

/// Builds the site: every page and PDF is rendered into a staging folder, which replaces the output
/// folder only when all succeeded.
pub fn build(options: &BuildOptions) -> Outcome {
    let Checked {
        site,
        mut diagnostics,
        mut sources,
    } = check(&options.site_dir);
    let dir = SiteDir::new(&options.site_dir);
    let templates = Templates::load(&dir, &mut diagnostics, &mut sources);
    let fail = |failure: Failure, diagnostics: Diagnostics, sources: Sources| Outcome {
        result: Err(failure),
        diagnostics: diagnostics.sorted(),
        sources,
    };
    let (Some(site), Some(templates)) = (site, templates) else {
        return fail(Failure::Site, diagnostics, sources);
    };

    for wanted in &options.languages {
        if site.language(wanted).is_none() {
            let have: Vec<&str> = site.languages.iter().map(|l| l.code.as_str()).collect();
            return fail(
                Failure::Usage(format!(
                    "--lang {wanted}: the site's languages are {}",
                    have.join(", ")
                )),
                diagnostics,
                sources,
            );
        }
    }
    let languages: Vec<&Language> = site
        .languages
        .iter()
        .filter(|l| options.languages.is_empty() || options.languages.contains(&l.code))
        .collect();
    let html = options.formats.is_empty() || options.formats.contains(&Format::Html);
    let pdf = options.formats.is_empty() || options.formats.contains(&Format::Pdf);

    // Which guide is published in which language.
    let source = site.source_lang();
    let mut published: Vec<(&Guide, Vec<&Language>)> = Vec::new();
    let (mut fallback_texts, mut omitted) = (0, 0);
    for guide in &site.guides {
        let mut in_languages = Vec::new();
        for lang in &languages {
            let fallbacks: Vec<(String, &crate::model::Text, Status)> = guide
                .texts()
                .into_iter()
                .map(|(name, text)| {
                    let status = text.status(&lang.code, source);
                    (name, text, status)
                })
                .filter(|(_, _, status)| matches!(status, Status::Missing | Status::Outdated))
                .collect();
            if options.strict {
                for (name, text, status) in &fallbacks {
                    let what = if *status == Status::Missing {
                        "has no"
                    } else {
                        "has an outdated"
                    };
                    diagnostics.push(
                        Diagnostic::error(&text.origin.path, text.origin.span, format!("`{name}` {what} `{}` translation", lang.code))
                            .with_hint("translate it (guidegen i18n export/import), or build without --strict to publish with the source text"),
                    );
                }
            }
            if fallbacks.is_empty() || site.incomplete == IncompletePolicy::Fallback {
                in_languages.push(*lang);
                fallback_texts += fallbacks.len();
            } else {
                omitted += 1;
            }
        }
        published.push((guide, in_languages));
    }
    if diagnostics.has_errors() {
        return fail(Failure::Site, diagnostics, sources);
    }

    let out_dir = options
        .out_dir
        .clone()
        .unwrap_or_else(|| options.site_dir.join("output"));
    let staging = match Staging::begin(&out_dir, &options.site_dir) {
        Ok(staging) => staging,
        Err(refusal) => return fail(Failure::Output(refusal.to_string()), diagnostics, sources),
    };

    let mut jobs: Vec<Job> = Vec::new();
    if html {
        jobs.push(Job::Root);
        jobs.push(Job::Assets);
        jobs.extend(languages.iter().map(|l| Job::Index(l)));
    }
    for (guide, in_languages) in &published {
        jobs.extend(in_languages.iter().map(|l| Job::Guide(guide, l)));
    }

    let plan = Plan {
        site: &site,
        templates: &templates,
        published: &published,
        languages: &languages,
        staging: &staging,
        html,
        pdf,
        pdf_settings: PdfSettings::from_env(site.paper),
        codes: qr::Codes::for_site(&site),
        counts: Mutex::new(Summary::default()),
    };
    let errors = Mutex::new(Vec::<String>::new());
    jobs.par_iter().for_each(|job| {
        if let Err(message) = plan.render(job) {
            errors
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(message);
        }
    });
    let counts = std::mem::take(&mut *plan.counts.lock().unwrap_or_else(|e| e.into_inner()));
    let mut errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    if !errors.is_empty() {
        staging.abort();
        errors.sort();
        return fail(Failure::Output(errors.join("\n")), diagnostics, sources);
    }
    let mut summary = counts;
    summary.fallback_texts = fallback_texts;
    summary.omitted = omitted;
    summary.guides = published
        .iter()
        .filter(|(_, langs)| !langs.is_empty())
        .count();
    match staging.commit() {
        Ok(path) => {
            summary.out_dir = path;
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

/// Everything the render tasks share.
struct Plan<'a> {
    site: &'a Site,
    templates: &'a Templates,
    /// Each guide with the languages it is published in.
    published: &'a [(&'a Guide, Vec<&'a Language>)],
    /// The languages built.
    languages: &'a [&'a Language],
    staging: &'a Staging,
    html: bool,
    pdf: bool,
    pdf_settings: PdfSettings,
    codes: qr::Codes,
    counts: Mutex<Summary>,
}

impl Plan<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), String> {
        self.staging
            .write(rel, bytes)
            .map_err(|e| format!("cannot write {rel}: {e}"))
    }

    fn count(&self, f: impl FnOnce(&mut Summary)) {
        f(&mut self.counts.lock().unwrap_or_else(|e| e.into_inner()));
    }

    fn render(&self, job: &Job) -> Result<(), String> {
        let site = self.site;
        match job {
            Job::Root => {
                let page = self
                    .templates
                    .root(&view::root_view(site, self.languages))?;
                self.write("index.html", page.as_bytes())?;
                self.count(|c| c.html_pages += 1);
            }
            Job::Assets => {
                self.write("assets/style.css", self.templates.css.as_bytes())?;
                self.count(|c| c.other_files += 1);
            }
            Job::Index(lang) => {
                let has = |ls: &Vec<&Language>| ls.iter().any(|l| l.code == lang.code);
                let mut guides: Vec<&Guide> = self
                    .published
                    .iter()
                    .filter(|(_, ls)| has(ls))
                    .map(|(g, _)| *g)
                    .collect();
                let omitted: Vec<&Guide> = self
                    .published
                    .iter()
                    .filter(|(_, ls)| !has(ls))
                    .map(|(g, _)| *g)
                    .collect();
                guides.sort_by_cached_key(|g| {
                    (
                        g.title
                            .resolve(&lang.code, site.source_lang())
                            .text
                            .to_lowercase(),
                        g.id.clone(),
                    )
                });
                let page = self.templates.index(&view::index_view(
                    site,
                    lang,
                    &guides,
                    &omitted,
                    self.languages,
                ))?;
                self.write(&format!("{}/index.html", lang.code), page.as_bytes())?;
                self.count(|c| c.html_pages += 1);
            }
            Job::Guide(guide, lang) => self.render_guide(guide, lang)?,
        }
        Ok(())
    }

    fn render_guide(&self, guide: &Guide, lang: &Language) -> Result<(), String> {
        let languages = self
            .published
            .iter()
            .find(|(g, _)| g.id == guide.id)
            .map(|(_, ls)| ls.clone())
            .unwrap_or_default();
        let view = view::guide_view(
            self.site,
            &self.codes,
            guide,
            lang,
            &languages,
            self.pdf && self.html,
        );
        let folder = format!("{}/{}", lang.code, guide.id);
        if self.html {
            let page = self.templates.guide(&view)?;
            self.write(&format!("{folder}/index.html"), page.as_bytes())?;
            let mut files = 0;
            for step in view.sections.iter().flat_map(|s| &s.steps) {
                if let Some(shot) = &step.screenshot {
                    self.write(&format!("{folder}/{}", shot.src), &shot.image.bytes)?;
                    files += 1;
                }
            }
            for (rel, bytes) in &guide.attachments {
                self.write(&format!("{folder}/{rel}"), bytes)?;
                files += 1;
            }
            self.count(|c| {
                c.html_pages += 1;
                c.other_files += files;
            });
        }
        if self.pdf {
            let bytes = pdf::render_guide(&view, &self.pdf_settings)
                .map_err(|e| format!("PDF of {} in {}: {e}", guide.id, lang.code))?;
            self.write(
                &format!("{folder}/{}", view::pdf_file_name(&guide.id, &lang.code)),
                &bytes,
            )?;
            self.count(|c| c.pdfs += 1);
        }
        Ok(())
    }
}
