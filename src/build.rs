//! The pipeline, as a list of named steps: the site context ([`crate::context`]) → the command
//! line resolved into a [`Plan`] → each guide loaded, validated and rendered ([`crate::render`]) on
//! worker threads → the indexes → a staging folder that replaces the output folder only when
//! everything succeeded ([`crate::write`]). `check` loads and validates only.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::cache::{
    CACHE_FILE, Entry, Fingerprint, HeldReusable, InputStamp, Kept, Manifest, guide_fingerprint,
    tool_identity,
};
use crate::context::{Context, GuideEntry, GuideSet, unique_ids};
use crate::diagnostic::{Diagnostic, Diagnostics, Sources, Span};
use crate::load::FoundGuide;
use crate::model::{Guide, Site};
pub use crate::plan::Format;
use crate::plan::{Plan, Publication, Request};
use crate::render::{self, Counts, Job, Renderer, for_each_on_workers};
use crate::write::{Early, Output, Staging};

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
    /// Replace a published site with one of no guides (else refused: guide files that went missing
    /// or were renamed must not empty a site without a word).
    pub allow_empty: bool,
    /// `--format fragment`: the screenshots inline as `data:` URLs, not files beside the fragment.
    pub inline_images: bool,
}

impl BuildOptions {
    pub fn new(site_dir: impl Into<PathBuf>) -> Self {
        Self {
            site_dir: site_dir.into(),
            out_dir: None,
            languages: Vec::new(),
            formats: Vec::new(),
            strict: false,
            allow_empty: false,
            inline_images: false,
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
    diagnostics.extend(crate::validate::alias_clashes(
        guides.by_id.values().filter_map(|e| e.guide.as_deref()),
    ));
    diagnostics.extend(crate::guidelinks::unpublished_targets(
        guides.by_id.values().filter_map(|e| e.guide.as_deref()),
    ));
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

/// What `guidegen check` reports: [`check`]'s diagnostics, and, when the site has no errors, its
/// translation warnings, untracked translations and continue-code hint — made as the guides stream
/// past, each loaded, validated and dropped, keeping its card for the checks across guides (a
/// 1000-guide `check` held every guide and guide.yaml until the end).
pub struct CheckReport {
    /// Sorted as [`check`]'s are, then the translation warnings.
    pub diagnostics: Diagnostics,
    /// The settings' and templates' texts, and every guide.yaml with a diagnostic.
    pub sources: Sources,
    /// How many valid guides: `None` when the site has errors.
    pub guides: Option<usize>,
    /// Translations written without the fingerprint of their source text.
    pub untracked: usize,
    pub continue_hint: Option<String>,
}

/// What [`check_report`] keeps of one guide.
#[derive(Default)]
struct GuideChecked {
    id: String,
    path: PathBuf,
    card: Option<Arc<Guide>>,
    diagnostics: Diagnostics,
    /// Its missing and outdated translations, and how many translations are untracked.
    warnings: Vec<Diagnostic>,
    untracked: usize,
    /// Its device switches to a phone or tablet.
    switches: usize,
    /// Its steps that a snippet holds, as a guide: the snippets are translated as files of their own.
    snippet_steps: Option<Arc<Guide>>,
    /// Its text, when it has a diagnostic or warning to quote it.
    source: Option<String>,
}

impl GuideChecked {
    fn load(site: &Site, found: &FoundGuide) -> GuideChecked {
        let entry = GuideEntry::load(site, found.clone());
        let mut checked = GuideChecked {
            id: found.id.clone(),
            path: found.path.clone(),
            diagnostics: entry.diagnostics,
            ..GuideChecked::default()
        };
        if let Some(guide) = &entry.guide {
            (checked.warnings, checked.untracked) = crate::i18n::guide_warnings(site, guide);
            checked.switches = crate::address::handovers(site, guide).len();
            let steps: Vec<_> = guide
                .steps()
                .filter(|s| s.snippet.is_some())
                .cloned()
                .collect();
            checked.snippet_steps = (!steps.is_empty()).then(|| {
                let section = crate::model::Section {
                    title: None,
                    intro: None,
                    video: None,
                    steps,
                    only: Default::default(),
                };
                Arc::new(Guide {
                    sections: vec![section],
                    ..guide.card()
                })
            });
            checked.card = Some(Arc::new(guide.card()));
        }
        if !checked.diagnostics.is_empty() || !checked.warnings.is_empty() {
            checked.source = entry.source;
        }
        checked
    }
}

/// [`check`] for `guidegen check`, streaming the guides: the same diagnostics, warnings and counts.
pub fn check_report(site_dir: &Path) -> CheckReport {
    let (mut context, found) = match Context::load(site_dir) {
        Ok(loaded) => loaded,
        Err(broken) => {
            return CheckReport {
                diagnostics: broken.diagnostics,
                sources: broken.sources,
                guides: None,
                untracked: 0,
                continue_hint: None,
            };
        }
    };
    let (unique, duplicates) = unique_ids(found);
    let done = Mutex::new(Vec::with_capacity(unique.len()));
    for_each_on_workers(&unique, |found| {
        let checked = GuideChecked::load(&context.site, found);
        lock(&done).push(checked);
    });
    let mut guides = done.into_inner().unwrap_or_else(|e| e.into_inner());
    // In the order of ids, as `check` had them: of diagnostics alike in all they are sorted by,
    // the first is kept.
    guides.sort_by(|a, b| a.id.cmp(&b.id));
    let mut diagnostics = std::mem::take(&mut context.diagnostics);
    diagnostics.extend(duplicates);
    let mut sources = std::mem::take(&mut context.sources);
    let mut cards = Vec::new();
    let mut unused_paths = std::collections::BTreeSet::new();
    for guide in &mut guides {
        diagnostics.extend(std::mem::take(&mut guide.diagnostics));
        cards.extend(guide.card.clone());
        match guide.source.take() {
            Some(text) => sources.insert(&guide.path, text),
            None => {
                unused_paths.insert(guide.path.clone());
            }
        }
    }
    let mut across = crate::validate::alias_clashes(cards.iter().map(|c| &**c));
    across.extend(crate::guidelinks::unpublished_targets(
        cards.iter().map(|c| &**c),
    ));
    diagnostics.extend(across);
    let mut report = CheckReport {
        guides: (!diagnostics.has_errors()).then_some(cards.len()),
        diagnostics,
        sources,
        untracked: 0,
        continue_hint: None,
    };
    if report.guides.is_some() {
        add_translation_warnings(&mut report, &context.site, guides);
    }
    // A guide quoted only by a check across guides, or a warning: read again to quote the line.
    for d in report.diagnostics.iter() {
        if unused_paths.remove(&d.path)
            && let Ok(text) = std::fs::read_to_string(&d.path)
        {
            report.sources.insert(&d.path, text);
        }
    }
    report
}

/// The translation warnings, untracked translations and continue-code hint of a site without
/// errors: each guide's, then those of the snippets they show and of guidegen.yaml.
fn add_translation_warnings(report: &mut CheckReport, settings: &Site, guides: Vec<GuideChecked>) {
    let mut rest = settings.clone();
    let mut switches = 0;
    for guide in guides {
        report.diagnostics.extend(guide.warnings);
        report.untracked += guide.untracked;
        switches += guide.switches;
        rest.guides.extend(guide.snippet_steps);
    }
    // The snippets the guides show, each a file to translate, made from the first guide by id.
    let mut rest = crate::snippets::with_translation_units(&rest);
    rest.guides.retain(|g| g.is_snippet());
    report.diagnostics.extend(crate::i18n::warnings(&rest));
    report.untracked += crate::i18n::untracked(&rest);
    report.continue_hint = crate::address::continue_hint_for(settings, switches);
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
    /// Outdated translations published as they are (`translation.outdated: show`), over all pages.
    pub outdated_texts: usize,
    /// Guides left out of a language until translated (`translation.incomplete: omit`), over all
    /// languages.
    pub omitted: usize,
    /// Guides whose input did not change since the previous build: their files were taken over
    /// from it, not rendered again.
    pub unchanged: usize,
    /// Of those, the guides not even read: their files' sizes and times were as the previous build
    /// recorded them, so their cards were taken from its records.
    pub not_read: usize,
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

/// [`build`], telling `progress` how far it is. The steps: the site context; the plan; the output
/// folder; every guide loaded, validated and rendered in one pass (so that a build holds the
/// images of the guides being worked on, not of the whole site); the indexes; the swap.
pub fn build_with_progress(options: &BuildOptions, progress: &dyn Progress) -> Outcome {
    let mut report = Report::default();
    let result = build_steps(options, progress, &mut report);
    Outcome {
        result,
        diagnostics: report.diagnostics.sorted(),
        sources: report.sources,
    }
}

/// What a build says besides its result: every diagnostic, and the texts they quote.
#[derive(Default)]
struct Report {
    diagnostics: Diagnostics,
    sources: Sources,
}

/// The steps of [`build_with_progress`]. A step that fails returns, dropping the staging folder,
/// which leaves the output as it was.
fn build_steps(
    options: &BuildOptions,
    progress: &dyn Progress,
    report: &mut Report,
) -> Result<Summary, Failure> {
    let out_dir = options
        .out_dir
        .clone()
        .unwrap_or_else(|| options.site_dir.join("output"));
    let Loaded {
        context,
        found,
        early,
    } = load_beside_record(options, &out_dir, report)?;
    let mut plan = Plan::for_request(&context.site, &options.request()).map_err(Failure::Usage)?;
    plan.inline_images = options.inline_images;
    let staging = begin_output(options, &out_dir, progress, &report.diagnostics)?;
    let cache = Cache {
        previous: staging
            .as_ref()
            .and_then(|s| s.previous_checked(CACHE_FILE, early, Manifest::parse))
            .unwrap_or_default(),
        ..Cache::new(&context, &report.sources, &plan, options.strict)
    };
    if staging.is_some() {
        refuse_emptying(options, &out_dir, &found, &cache, &mut report.diagnostics)?;
    }
    let output = staging.as_ref().map(|s| s as &dyn Output);
    let streamed = stream_guides(
        &context,
        &plan,
        &cache,
        found,
        options.strict,
        output,
        progress,
    );
    let streamed = report_guides(streamed, report);
    let staging = match staging {
        Some(staging) if !report.diagnostics.has_errors() => staging,
        _ => return Err(Failure::Site),
    };
    if !streamed.render_errors.is_empty() {
        return Err(Failure::Output(streamed.render_errors.join("\n")));
    }
    let (site, cards) = published_site(&context, &mut plan, streamed.cards);
    let mut renderer = Renderer::new(&context, &site, &plan);
    renderer.search = Some(&streamed.search);
    let held = |id: &str| held_reusable(&cards, &streamed.search, id);
    let counts = render_indexes_beside_record(&renderer, &staging, streamed.manifest, held)?
        + streamed.counts;
    // A large site's cards, search places and previous record take tens of ms to free: freed
    // beside the swap rather than before the build returns.
    let search = streamed.search;
    let _ = std::thread::Builder::new()
        .name("guidegen-free".into())
        .spawn(move || drop((site, cards, search, cache)));
    staging
        .finish_writes()
        .map_err(|errors| Failure::Output(errors.join("\n")))?;
    let summary = Summary {
        html_pages: counts.pages,
        pdfs: counts.pdfs,
        other_files: counts.other,
        fallback_texts: plan.fallback_texts,
        outdated_texts: plan.outdated_texts,
        omitted: plan.omitted,
        guides: plan.guide_count(),
        unchanged: streamed.unchanged,
        not_read: streamed.not_read,
        ..Summary::default()
    };
    swap_in(staging, &out_dir, summary, &mut report.diagnostics)
}

/// The site context and its guide files, and the previous build's record if it could be read.
struct Loaded {
    context: Context,
    found: Vec<FoundGuide>,
    early: Option<Early<Manifest>>,
}

/// The site context, loaded while the previous build's record (tens of MB for a large site) is
/// read and parsed: each is mostly one core's work.
fn load_beside_record(
    options: &BuildOptions,
    out_dir: &Path,
    report: &mut Report,
) -> Result<Loaded, Failure> {
    let (loaded, early) = std::thread::scope(|scope| {
        let early = std::thread::Builder::new()
            .name("guidegen-record".into())
            .spawn_scoped(scope, || {
                crate::write::read_early(out_dir, CACHE_FILE).map(|text| text.map(Manifest::parse))
            });
        let loaded = Context::load(&options.site_dir);
        let early = early.ok().and_then(|thread| thread.join().ok()).flatten();
        (loaded, early)
    });
    match loaded {
        Ok((mut context, found)) => {
            report.diagnostics = std::mem::take(&mut context.diagnostics);
            report.sources = std::mem::take(&mut context.sources);
            Ok(Loaded {
                context,
                found,
                early,
            })
        }
        Err(broken) => {
            report.diagnostics = broken.diagnostics;
            report.sources = broken.sources;
            Err(Failure::Site)
        }
    }
}

/// The staging folder, or none while the settings have errors: the guides are then still checked,
/// so that one run reports every error, and nothing is rendered.
fn begin_output(
    options: &BuildOptions,
    out_dir: &Path,
    progress: &dyn Progress,
    diagnostics: &Diagnostics,
) -> Result<Option<Staging>, Failure> {
    if diagnostics.has_errors() {
        return Ok(None);
    }
    Staging::begin_waiting(out_dir, &options.site_dir, |_| progress.waiting(out_dir))
        .map(Some)
        .map_err(|refusal| Failure::Output(refusal.to_string()))
}

/// Refuses to replace a published site with an empty one unless asked to (`--allow-empty`): guide
/// files that went missing or were renamed must not empty a site without a word.
fn refuse_emptying(
    options: &BuildOptions,
    out_dir: &Path,
    found: &[FoundGuide],
    cache: &Cache,
    diagnostics: &mut Diagnostics,
) -> Result<(), Failure> {
    let published = cache.previous.guide_count();
    if !found.is_empty() || options.allow_empty || published == 0 {
        return Ok(());
    }
    diagnostics.push(
        Diagnostic::error(
            options.site_dir.join("guides"),
            Span::START,
            format!(
                "no guide was found, and {} holds a published site of {published} guide{}: the build would replace it with an empty site",
                out_dir.display(),
                if published == 1 { "" } else { "s" }
            ),
        )
        .with_hint("check that each guide is at guides/<id>/guide.yaml (not guide.yml or Guide.yaml); to publish a site without guides, build with --allow-empty"),
    );
    Err(Failure::Site)
}

/// The guides' diagnostics and the texts they quote moved into `report`, with the checks across
/// guides (links to unpublished guides, clashing old ids).
fn report_guides(mut streamed: Streamed, report: &mut Report) -> Streamed {
    report
        .diagnostics
        .extend(std::mem::take(&mut streamed.diagnostics));
    report
        .diagnostics
        .extend(crate::guidelinks::unpublished_targets(
            streamed.cards.iter().map(|(card, _)| &**card),
        ));
    for (path, text) in std::mem::take(&mut streamed.sources) {
        report.sources.insert(path, text);
    }
    let clashes = crate::validate::alias_clashes(streamed.cards.iter().map(|(guide, _)| &**guide));
    for clash in clashes.iter() {
        // A guide without problems of its own was not kept as text: read again, to quote the line.
        if report.sources.get(&clash.path).is_none()
            && let Ok(text) = std::fs::read_to_string(&clash.path)
        {
            report.sources.insert(&clash.path, text);
        }
    }
    report.diagnostics.extend(clashes);
    streamed
}

/// The site the indexes show: the settings and each valid guide's card, by id, each added to the
/// plan where it is published.
fn published_site(
    context: &Context,
    plan: &mut Plan,
    mut cards: Vec<(Arc<Guide>, Publication)>,
) -> (Site, Vec<(Arc<Guide>, Publication)>) {
    let mut site = context.site.clone();
    cards.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    for (card, publication) in &cards {
        plan.add(&card.id, publication.clone());
        site.guides.push(Arc::clone(card));
    }
    (site, cards)
}

/// The indexes, root page, assets and sitemap, rendered while the record for the next build is
/// written on a thread of its own: the pages keep both cores busy only part of the time.
fn render_indexes_beside_record<'a>(
    renderer: &Renderer,
    staging: &Staging,
    manifest: Manifest,
    held: impl Fn(&str) -> Option<HeldReusable<'a>> + Sync,
) -> Result<Counts, Failure> {
    let jobs: Vec<Job> = renderer
        .jobs()
        .into_iter()
        .filter(|job| matches!(job, Job::Root | Job::Assets | Job::Index(_) | Job::Sitemap))
        .collect();
    // Taken by whichever runs it: the thread, or this thread when none could be started.
    let manifest = Mutex::new(Some(manifest));
    let record = || match lock(&manifest).take() {
        Some(manifest) => staging
            .write_streamed(CACHE_FILE, |out| manifest.write_to(&mut { out }, &held))
            .map_err(|err| vec![format!("cannot write {CACHE_FILE}: {err}")]),
        None => Ok(()),
    };
    let (rendered, recorded) = std::thread::scope(|scope| {
        let recording = std::thread::Builder::new()
            .name("guidegen-record".into())
            .spawn_scoped(scope, record);
        let rendered = render::render_into(renderer, &jobs, staging, &|_| {});
        let recorded = match recording {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(vec![format!("cannot write {CACHE_FILE}")])),
            Err(_) => record(),
        };
        (rendered, recorded)
    });
    rendered
        .and_then(|counts| recorded.map(|()| counts))
        .map_err(|errors| Failure::Output(errors.join("\n")))
}

/// The staging folder swapped in for the output folder.
fn swap_in(
    staging: Staging,
    out_dir: &Path,
    mut summary: Summary,
    diagnostics: &mut Diagnostics,
) -> Result<Summary, Failure> {
    let committed = staging
        .commit()
        .map_err(|err| Failure::Output(format!("cannot replace {}: {err}", out_dir.display())))?;
    summary.out_dir = committed.path;
    if let Some(warning) = committed.warning {
        diagnostics.push(Diagnostic::warning(out_dir, Span::START, warning));
    }
    Ok(summary)
}

/// What the pass over the guides found and wrote.
#[derive(Default)]
struct Streamed {
    /// Each valid guide's card (what the indexes show of it), and where it is published.
    cards: Vec<(Arc<Guide>, Publication)>,
    diagnostics: Diagnostics,
    /// The text of each guide file with diagnostics, for them to quote.
    sources: Vec<(PathBuf, String)>,
    counts: Counts,
    render_errors: Vec<String>,
    /// What each guide's files were made from, for the next build.
    manifest: Manifest,
    /// Guides taken over from the previous build.
    unchanged: usize,
    /// Of those, the guides whose files were not read.
    not_read: usize,
    /// Each guide's places for the search index of each language it is published in.
    search: crate::search::Entries,
}

/// The previous build's manifest and what this build compares with it.
struct Cache {
    /// The fingerprint of everything a guide's files are made from besides the guide itself.
    context: String,
    /// The part of every guide's [`InputStamp`] that lies outside its folder.
    stamp_key: String,
    /// When this build started: stamps of files changed since shortly before are not kept.
    started: std::time::SystemTime,
    previous: Manifest,
}

impl Cache {
    fn new(context: &Context, sources: &Sources, plan: &Plan, strict: bool) -> Cache {
        let fingerprint = context_fingerprint(context, sources, plan);
        // Snippets' screenshots are read from snippets/, outside any guide's folder.
        let snippets = context.site.root.join("snippets");
        let snippets = InputStamp::of_folder("snippets", &snippets)
            .map(|stamp| stamp.signature)
            .unwrap_or_default();
        Cache {
            stamp_key: format!("{fingerprint} {strict} {snippets}"),
            context: fingerprint,
            started: std::time::SystemTime::now(),
            previous: Manifest::default(),
        }
    }

    /// The stamp of `found`'s input files, with its folder's path and git date.
    fn stamp(&self, site: &Site, found: &FoundGuide) -> Option<InputStamp> {
        let folder = found.dir.strip_prefix(&site.root).unwrap_or(&found.dir);
        let date = site.folder_dates.get(folder);
        let key = format!("{} {} {date:?}", self.stamp_key, found.dir.display());
        InputStamp::of_folder(&key, &found.dir)
    }
}

/// Everything a guide's files are made from besides the guide itself: guidegen, the settings and
/// catalogs (the context's sources), the templates, the PDF settings and the plan.
fn context_fingerprint(context: &Context, sources: &Sources, plan: &Plan) -> String {
    let mut f = Fingerprint::new("context");
    f.part(tool_identity().as_bytes());
    for (path, text) in sources.sorted() {
        f.part(path.to_string_lossy().as_bytes())
            .part(text.as_bytes());
    }
    f.part(context.templates.fingerprint.as_bytes());
    // A PDF prints the titles of the guides it links to.
    f.part(format!("{:?}", context.site.link_targets).as_bytes());
    f.part(format!("{:?}", context.pdf).as_bytes());
    f.part(format!("{:?} {} {}", plan.languages, plan.html, plan.pdf).as_bytes());
    f.part(format!("{} {} {}", plan.fragment, plan.single, plan.inline_images).as_bytes());
    f.finish()
}

/// What the pass over the guides found of one guide, and wrote of it.
#[derive(Default)]
struct GuideDone {
    card: Option<(Arc<Guide>, Publication)>,
    diagnostics: Diagnostics,
    /// The guide's text, when it has diagnostics to quote it.
    source: Option<(PathBuf, String)>,
    counts: Counts,
    render_error: Option<String>,
    /// What the next build keeps of it.
    entry: Option<Entry>,
    /// Taken over from the previous build.
    unchanged: bool,
    /// Taken over without reading its files.
    not_read: bool,
    search: Vec<(String, crate::search::GuideEntry)>,
}

/// Loads, validates and renders every guide, each on one worker from start to end. A guide whose
/// input files have the stamp the previous build kept is not read at all: its files are taken
/// over and its card is the one kept. Once any guide has an error, the others are only checked:
/// the build will write nothing, but reports every error. Without `output`, nothing is rendered.
fn stream_guides(
    context: &Context,
    plan: &Plan,
    cache: &Cache,
    found: Vec<FoundGuide>,
    strict: bool,
    output: Option<&dyn Output>,
    progress: &dyn Progress,
) -> Streamed {
    let (unique, duplicates) = unique_ids(found);
    let failed = AtomicBool::new(duplicates.has_errors());
    let streamed = Mutex::new(Streamed {
        diagnostics: duplicates,
        ..Streamed::default()
    });
    let renderer = Renderer::new(context, &context.site, plan);
    let done = AtomicUsize::new(0);
    for_each_on_workers(&unique, |found| {
        let stamp = output.and_then(|_| cache.stamp(&context.site, found));
        let reused = stamp
            .as_ref()
            .zip(output)
            .and_then(|(stamp, output)| reuse(cache, found, stamp, output));
        let guide = reused.unwrap_or_else(|| {
            let work = GuideWork {
                context,
                plan,
                cache,
                renderer: &renderer,
                strict,
                failed: &failed,
            };
            work.run(found, stamp, output)
        });
        failed.fetch_or(guide.diagnostics.has_errors(), Ordering::Relaxed);
        lock(&streamed).add(&found.id, guide);
        progress.rendered(done.fetch_add(1, Ordering::Relaxed) + 1, unique.len());
    });
    streamed.into_inner().unwrap_or_else(|e| e.into_inner())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Streamed {
    fn add(&mut self, id: &str, guide: GuideDone) {
        self.sources.extend(guide.source);
        self.diagnostics.extend(guide.diagnostics);
        self.cards.extend(guide.card);
        self.counts = self.counts + guide.counts;
        self.render_errors.extend(guide.render_error);
        self.unchanged += usize::from(guide.unchanged);
        self.not_read += usize::from(guide.not_read);
        for (lang, search) in guide.search {
            let by_id = self.search.entry(lang).or_default();
            by_id.insert(search.id.clone(), search);
        }
        if let Some(entry) = guide.entry {
            self.manifest.insert(id, entry);
        }
    }
}

/// A guide the previous build kept, when its input files still have the kept stamp and its
/// files are all still in the previous output.
fn reuse(
    cache: &Cache,
    found: &FoundGuide,
    stamp: &InputStamp,
    output: &dyn Output,
) -> Option<GuideDone> {
    let (entry, reusable) = cache.previous.reusable(&found.id, &stamp.signature)?;
    if reusable.card.id != found.id {
        return None;
    }
    let mut counts = Counts::default();
    let files = take_over(cache, &found.id, &entry.fingerprint, output, &mut counts)?;
    Some(GuideDone {
        card: Some((Arc::new(reusable.card), reusable.publication)),
        counts,
        entry: Some(Entry {
            files,
            ..entry.clone()
        }),
        unchanged: true,
        not_read: true,
        search: reusable.search,
        ..GuideDone::default()
    })
}

/// What the build holds of the guide `id` for its record: its card and publication (`cards`,
/// sorted by id) and its search places in each language it is published in, in the order of its
/// languages — as [`GuideDone::search`] had them.
fn held_reusable<'a>(
    cards: &'a [(Arc<Guide>, Publication)],
    search: &'a crate::search::Entries,
    id: &str,
) -> Option<HeldReusable<'a>> {
    let at = cards
        .binary_search_by(|(card, _)| card.id.as_str().cmp(id))
        .ok()?;
    let (card, publication) = &cards[at];
    let search = publication
        .languages
        .iter()
        .filter_map(|lang| Some((lang.as_str(), search.get(lang)?.get(id)?)))
        .collect();
    Some(HeldReusable {
        card,
        publication,
        search,
    })
}

/// What a worker needs to load, validate and render one guide.
struct GuideWork<'a> {
    context: &'a Context,
    plan: &'a Plan,
    cache: &'a Cache,
    renderer: &'a Renderer<'a>,
    strict: bool,
    /// Set once any guide has an error: nothing more is rendered.
    failed: &'a AtomicBool,
}

impl GuideWork<'_> {
    /// Loads and validates `found`, then renders it (or takes its files over, when the previous
    /// build made them from the same input).
    fn run(
        &self,
        found: &FoundGuide,
        stamp: Option<InputStamp>,
        output: Option<&dyn Output>,
    ) -> GuideDone {
        let site = &self.context.site;
        let entry = GuideEntry::load(site, found.clone());
        let mut done = GuideDone {
            diagnostics: entry.diagnostics,
            ..GuideDone::default()
        };
        if let Some(guide) = &entry.guide {
            let publication = self.plan.publication(site, guide, self.strict);
            if self.plan.html {
                done.search = search_entries(site, guide, &publication);
            }
            done.diagnostics.extend(publication.diagnostics.clone());
            self.failed
                .fetch_or(done.diagnostics.has_errors(), Ordering::Relaxed);
            let card = guide.card();
            if let Some(output) = output.filter(|_| !self.failed.load(Ordering::Relaxed)) {
                let source = entry.source.as_deref().unwrap_or_default();
                let fingerprint =
                    guide_fingerprint(&self.cache.context, source, guide, &publication.languages);
                let made = match take_over(
                    self.cache,
                    &guide.id,
                    &fingerprint,
                    output,
                    &mut done.counts,
                ) {
                    Some(files) => {
                        done.unchanged = true;
                        Ok(files)
                    }
                    None => {
                        render_guide(self.renderer, guide, &publication, output, &mut done.counts)
                    }
                };
                match made {
                    Ok(files) => {
                        let keep = stamp.filter(|s| {
                            s.settled(self.cache.started) && done.diagnostics.is_empty()
                        });
                        // Made into JSON when the record is written, from the card, publication
                        // and search places the build holds for the indexes anyway.
                        let reusable = keep.map(|stamp| (stamp.signature, Kept::Held));
                        done.entry = Some(Entry {
                            fingerprint,
                            files,
                            reusable,
                        });
                    }
                    Err(message) => done.render_error = Some(message),
                }
            }
            done.card = Some((Arc::new(card), publication));
        }
        if !done.diagnostics.is_empty()
            && let Some(text) = entry.source
        {
            done.source = Some((found.path.clone(), text));
        }
        done
    }
}

/// A guide's places for the search index of each language it is published in.
fn search_entries(
    site: &Site,
    guide: &Guide,
    publication: &Publication,
) -> Vec<(String, crate::search::GuideEntry)> {
    publication
        .languages
        .iter()
        .filter_map(|code| site.language(code))
        .map(|lang| {
            (
                lang.code.clone(),
                crate::search::guide_entry(site, guide, lang),
            )
        })
        .collect()
}

/// Renders a guide's pages and PDFs in the languages it is published in, into `output`; the paths
/// of the files written.
fn render_guide(
    renderer: &Renderer,
    guide: &Guide,
    publication: &Publication,
    output: &dyn Output,
    counts: &mut Counts,
) -> Result<Vec<String>, String> {
    let plan = renderer.plan;
    renderer.prepare_images(guide);
    let mut written = Vec::new();
    for lang in &publication.languages {
        let jobs = [
            plan.html.then_some(Job::Page(&guide.id, lang)),
            plan.pdf.then_some(Job::Pdf(&guide.id, lang)),
            plan.fragment.then_some(Job::Fragment(&guide.id, lang)),
            plan.single.then_some(Job::Single(&guide.id, lang)),
        ];
        for job in jobs.into_iter().flatten() {
            let mut files = renderer.render_guide(job, guide, lang, &publication.languages)?;
            // A fragment's images beside it are the page's, when the page is written too.
            files.retain(|f| !written.contains(&f.path));
            output.put_all(&files)?;
            counts.add(&files);
            written.extend(files.into_iter().map(|f| f.path));
        }
    }
    Ok(written)
}

/// Takes a guide's files over from the previous output when they were made from the same input —
/// all of them, or none, and then the guide is rendered. The paths taken.
fn take_over(
    cache: &Cache,
    id: &str,
    fingerprint: &str,
    output: &dyn Output,
    counts: &mut Counts,
) -> Option<Vec<String>> {
    let files = cache.previous.files(id, fingerprint)?;
    if !output.take_over(files) {
        return None;
    }
    for file in files {
        let is_pdf = file.rsplit_once('/').is_some_and(|(folder, name)| {
            folder.split_once('/').is_some_and(|(lang, folder_id)| {
                // A guide with platform variants has a PDF per combination (`<id>-<lang>-….pdf`).
                let combination = name
                    .strip_prefix(&format!("{id}-{lang}-"))
                    .is_some_and(|rest| rest.ends_with(".pdf"));
                folder_id == id && (name == crate::view::pdf_file_name(id, lang) || combination)
            })
        });
        if is_pdf {
            counts.pdfs += 1;
        } else if file.ends_with(".html") {
            // A page, a single file or a fragment (attachments are never HTML).
            counts.pages += 1;
        } else {
            counts.other += 1;
        }
    }
    Some(files.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `check` reported before it streamed: from the whole site.
    fn reported_from_the_site(site_dir: &Path) -> (Vec<String>, usize, Option<String>, usize) {
        let checked = check(site_dir);
        let mut diagnostics = checked.diagnostics;
        if let Some(site) = &checked.site {
            diagnostics.extend(crate::i18n::warnings(site));
        }
        let quoted = diagnostics
            .sorted()
            .iter()
            .map(|d| d.render(&checked.sources))
            .collect();
        let site = checked.site.as_ref();
        (
            quoted,
            site.map_or(0, crate::i18n::untracked),
            site.and_then(crate::address::continue_hint),
            site.map_or(0, |s| s.guides.len()),
        )
    }

    /// A copy of the site at `root` (its settings, guides, snippets and templates) in `to`.
    fn copy_site(root: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        std::fs::copy(root.join("guidegen.yaml"), to.join("guidegen.yaml")).unwrap();
        for folder in ["guides", "snippets", "templates"] {
            for entry in walkdir::WalkDir::new(root.join(folder)) {
                let entry = entry.unwrap();
                let dest = to.join(entry.path().strip_prefix(root).unwrap());
                if entry.file_type().is_dir() {
                    std::fs::create_dir_all(&dest).unwrap();
                } else {
                    std::fs::copy(entry.path(), &dest).unwrap();
                }
            }
        }
    }

    #[test]
    fn a_build_of_pages_and_pdfs_decodes_a_retina_screenshot_once() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let guide = site.join("guides/retina");
        std::fs::create_dir_all(guide.join("shots")).unwrap();
        std::fs::write(
            site.join("guidegen.yaml"),
            "title: Retina\nlanguages: [en, da]\n",
        )
        .unwrap();
        std::fs::write(
            guide.join("guide.yaml"),
            "title: {en: Sign in, da: Log ind}\nsteps:\n  - device: computer\n    \
             action: {en: Sign in., da: Log ind.}\n    \
             screenshot: {src: shots/wide.png, alt: {en: The page, da: Siden}}\n  \
             - device: computer\n    action: {en: Again., da: Igen.}\n    screenshot: shots/wide.png\n  \
             - device: phone\n    action: {en: Open it., da: Åbn den.}\n    screenshot: shots/phone.png\n",
        )
        .unwrap();
        // A PNG of a patterned capture `width` × `height`, saved as `shots/<name>`.
        let capture = |name: &str, width: u32, height: u32| {
            let pixels = image::RgbImage::from_fn(width, height, |x, y| {
                image::Rgb([(x % 251) as u8, (y % 241) as u8, (width % 256) as u8])
            });
            let png = crate::shots::encode(
                &image::DynamicImage::ImageRgb8(pixels),
                crate::model::ImageKind::Png,
            )
            .unwrap();
            std::fs::write(guide.join("shots").join(name), &png).unwrap();
            png
        };
        // A laptop's capture, 2880 px across: renditions for pages, a 300 dpi copy for PDFs.
        let png = capture("wide.png", 2880, 1800);
        // A phone's, 1280 px across: renditions, and the original in the PDF.
        let phone = capture("phone.png", 1280, 800);
        let mut options = BuildOptions::new(&site);
        options.out_dir = Some(tmp.path().join("out"));
        let outcome = build(&options);
        let summary = outcome
            .result
            .as_ref()
            .map_err(|e| format!("{e:?} {:?}", outcome.diagnostics));
        assert!(summary.is_ok(), "{summary:?}");
        for lang in ["en", "da"] {
            let folder = tmp.path().join("out").join(lang).join("retina");
            assert!(folder.join("retina-".to_owned() + lang + ".pdf").is_file());
        }
        // Two steps, two languages, a page and a PDF each: one decode.
        assert_eq!(crate::shots::tests::decodes_of(&png), 1);
        // A phone's capture printed at 325 dpi: its renditions come from the decode typst makes
        // for the PDF, guidegen's own decoder never sees it.
        assert_eq!(crate::shots::tests::decodes_of(&phone), 0);
        let renditions = tmp.path().join("out/en/retina/shots");
        assert!(renditions.join("phone.480w.png").is_file());
        assert!(renditions.join("phone.960w.png").is_file());
    }

    #[test]
    fn a_streamed_check_reports_what_the_whole_site_says() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let tmp = tempfile::tempdir().unwrap();
        // The example site with a missing translation and an untracked one; and with an alias
        // clash.
        let warned = tmp.path().join("warned");
        let failed = tmp.path().join("failed");
        for site in [&warned, &failed] {
            copy_site(root, site);
            let vpn = site.join("guides/vpn/guide.yaml");
            let text = std::fs::read_to_string(&vpn).unwrap();
            let mut text = text;
            if site == &warned {
                let title = "  en: {text: Connect to the VPN (GlobalProtect) from home, source: 3b2cba67}\n";
                assert!(text.contains(title));
                text = text.replacen(title, "", 1);
                let at = text.find(", source: ").expect("a tracked translation");
                let end = at + text[at..].find('}').unwrap();
                text.replace_range(at..end, "");
            } else {
                // Quoted from a guide without diagnostics of its own.
                text = text.replacen("\ntitle:", "\naliases: [mfa]\ntitle:", 1);
            }
            std::fs::write(&vpn, text).unwrap();
        }
        for dir in [
            root.to_path_buf(),
            root.join("tests/fixtures/i18n-site"),
            root.join("tests/fixtures/errors"),
            root.join("tests/fixtures/valid"),
            warned.clone(),
            failed.clone(),
        ] {
            let streamed = check_report(&dir);
            let quoted: Vec<String> = streamed
                .diagnostics
                .sorted()
                .iter()
                .map(|d| d.render(&streamed.sources))
                .collect();
            let streamed = (
                quoted,
                streamed.untracked,
                streamed.continue_hint,
                streamed.guides.unwrap_or(0),
            );
            assert_eq!(streamed, reported_from_the_site(&dir), "{}", dir.display());
            let said = |word: &str| streamed.0.iter().any(|d| d.contains(word));
            if dir == warned {
                assert!(
                    streamed.1 > 0 && said("warning") && streamed.3 == 5,
                    "{streamed:?}"
                );
            }
            if dir == failed {
                assert!(
                    streamed.3 == 0 && said("error") && said("  |"),
                    "{streamed:?}"
                );
            }
        }
    }
}
