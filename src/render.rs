//! Render stage: the site's files from the model, one job at a time — the root page, the assets, a
//! language's index, a guide's page (with its screenshots and attachments), a guide's PDF. Each job
//! returns its files as bytes; only the writer puts them anywhere.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::context::Context;
use crate::model::{Guide, Image, Language, MediaFile, Site};
use crate::pdf;
use crate::plan::Plan;
use crate::view;
use crate::write::Output;

/// One piece of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job<'a> {
    Root,
    Assets,
    /// A language's list of guides.
    Index(&'a str),
    /// A guide's HTML page in a language, with the files beside it.
    Page(&'a str, &'a str),
    /// A guide's PDF in a language.
    Pdf(&'a str, &'a str),
    /// `sitemap.xml`, with `base_url`.
    Sitemap,
    /// A guide's HTML fragment for a CMS page in a language, with its images beside it unless inline.
    Fragment(&'a str, &'a str),
    /// A guide as one self-contained HTML file in a language.
    Single(&'a str, &'a str),
}

/// What a file of the output is, for the build's summary (media counts as other files) and for the
/// writer: only media is looked up by the digest of its bytes, since only a guide's files (its
/// screenshots, attachments, videos) are the same bytes under several paths — in each language, or
/// in several guides. A search index is megabytes that no other path shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Page,
    Pdf,
    /// A file of a guide's folder, published beside its pages.
    Media,
    Other,
}

/// A file of the output: its `/`-separated path in the output folder and its bytes — or, for a
/// file too large to hold in memory (a video), the site's file it is a copy of.
#[derive(Debug, Clone)]
pub struct OutFile {
    pub path: String,
    /// Empty when `copy_of` is set.
    pub bytes: Arc<Vec<u8>>,
    pub kind: FileKind,
    /// The site's file whose bytes this is: the output copies it in chunks, checking that its bytes
    /// are still those validated.
    pub copy_of: Option<MediaFile>,
}

impl OutFile {
    pub fn new(path: String, bytes: impl Into<Arc<Vec<u8>>>, kind: FileKind) -> OutFile {
        OutFile {
            path,
            bytes: bytes.into(),
            kind,
            copy_of: None,
        }
    }

    /// A copy of `file`, made by the output without reading it into memory.
    pub fn copy(path: String, file: MediaFile) -> OutFile {
        OutFile {
            path,
            bytes: Arc::default(),
            kind: FileKind::Media,
            copy_of: Some(file),
        }
    }
}

/// The script that loads a video service's player into a page when the reader clicks (only for
/// sites that opt in to embedding, `video.embed`): shipped in the binary, written to
/// `assets/video.js`.
pub const VIDEO_SCRIPT: &str = include_str!("../templates/video.js");

/// The script that shows a guide for the reader's platforms (remembered, or from the address) and
/// orders store codes by their phone: written to `assets/variants.js`, loaded by every guide page.
pub const VARIANTS_SCRIPT: &str = include_str!("../templates/variants.js");

/// Renders jobs of one site against one plan.
pub struct Renderer<'a> {
    pub context: &'a Context,
    /// The settings with the valid guides.
    pub site: &'a Site,
    pub plan: &'a Plan,
    /// Whether guide pages link to their PDF (a build of HTML and PDF; `serve`, which makes PDFs
    /// when asked).
    pub link_pdfs: bool,
    /// The guides' search entries, when the site's guides are cards without their texts (a
    /// build); `None`: made from the site's guides.
    pub search: Option<&'a crate::search::Entries>,
}

impl<'a> Renderer<'a> {
    pub fn new(context: &'a Context, site: &'a Site, plan: &'a Plan) -> Self {
        Renderer {
            context,
            site,
            plan,
            link_pdfs: plan.html && plan.pdf,
            search: None,
        }
    }

    /// Every job of the plan.
    pub fn jobs(&self) -> Vec<Job<'a>> {
        let plan = self.plan;
        let mut jobs = Vec::new();
        if plan.html {
            jobs.push(Job::Root);
            jobs.push(Job::Assets);
            jobs.extend(plan.languages.iter().map(|l| Job::Index(l.as_str())));
            if self.site.base_url.is_some() {
                jobs.push(Job::Sitemap);
            }
        }
        for (id, languages) in &plan.published {
            for lang in languages {
                if plan.html {
                    jobs.push(Job::Page(id, lang));
                }
                if plan.pdf {
                    jobs.push(Job::Pdf(id, lang));
                }
                if plan.fragment {
                    jobs.push(Job::Fragment(id, lang));
                }
                if plan.single {
                    jobs.push(Job::Single(id, lang));
                }
            }
        }
        jobs
    }

    /// The files of one job. Err: a message naming what failed.
    pub fn render(&self, job: Job) -> Result<Vec<OutFile>, String> {
        match job {
            Job::Root => self.root().map(|f| vec![f]),
            Job::Assets => {
                let mut files = vec![OutFile::new(
                    "assets/style.css".into(),
                    format!(
                        "{}{}",
                        self.context.templates.css,
                        crate::icons::stylesheet()
                    )
                    .into_bytes(),
                    FileKind::Other,
                )];
                files.push(OutFile::new(
                    "assets/search.js".into(),
                    crate::search::SEARCH_SCRIPT.as_bytes().to_vec(),
                    FileKind::Other,
                ));
                files.push(OutFile::new(
                    "assets/variants.js".into(),
                    VARIANTS_SCRIPT.as_bytes().to_vec(),
                    FileKind::Other,
                ));
                if !self.site.video_embed.is_empty() {
                    files.push(OutFile::new(
                        "assets/video.js".into(),
                        VIDEO_SCRIPT.as_bytes().to_vec(),
                        FileKind::Other,
                    ));
                }
                Ok(files)
            }
            Job::Index(lang) => self.index(self.language(lang)?),
            Job::Sitemap => Ok(self.sitemap().into_iter().collect()),
            Job::Page(id, lang)
            | Job::Pdf(id, lang)
            | Job::Fragment(id, lang)
            | Job::Single(id, lang) => {
                let guide = self.guide(id)?;
                let languages = self.plan.published.get(id).cloned().unwrap_or_default();
                self.render_guide(job, guide, lang, &languages)
            }
        }
    }

    /// A guide's page or PDF in `lang`, for a guide published in `languages` (the language switcher
    /// offers those): a build renders each guide as soon as it is validated, before the plan has
    /// every guide.
    pub fn render_guide(
        &self,
        job: Job,
        guide: &Guide,
        lang: &str,
        languages: &[String],
    ) -> Result<Vec<OutFile>, String> {
        let lang = self.language(lang)?;
        let languages: Vec<&Language> = languages
            .iter()
            .filter_map(|c| self.site.language(c))
            .collect();
        match job {
            Job::Pdf(..) => self.pdfs(guide, lang, &languages),
            Job::Single(..) => self.single(guide, lang, &languages).map(|f| vec![f]),
            Job::Fragment(..) => self.fragment(guide, lang, &languages),
            _ => self.page(guide, lang, &languages),
        }
    }

    fn language(&self, code: &str) -> Result<&'a Language, String> {
        self.site
            .language(code)
            .ok_or_else(|| format!("no language `{code}`"))
    }

    fn guide(&self, id: &str) -> Result<&'a Guide, String> {
        self.site
            .guides
            .binary_search_by(|g| g.id.as_str().cmp(id))
            .map(|i| &*self.site.guides[i])
            .map_err(|_| format!("no guide `{id}`"))
    }

    /// The languages built, in the site's order.
    fn languages(&self) -> Vec<&'a Language> {
        self.plan
            .languages
            .iter()
            .filter_map(|code| self.site.language(code))
            .collect()
    }

    fn root(&self) -> Result<OutFile, String> {
        let view = view::root_view(self.site, &self.languages());
        let page = self.context.templates.root(&view)?;
        Ok(OutFile::new(
            "index.html".into(),
            page.into_bytes(),
            FileKind::Page,
        ))
    }

    fn sitemap(&self) -> Option<OutFile> {
        let base = self.site.base_url.as_deref()?;
        let xml = crate::sitemap::sitemap(base, &self.plan.languages, &self.plan.published);
        Some(OutFile::new(
            "sitemap.xml".into(),
            xml.into_bytes(),
            FileKind::Other,
        ))
    }

    fn index(&self, lang: &Language) -> Result<Vec<OutFile>, String> {
        let site = self.site;
        let (mut guides, omitted): (Vec<&Guide>, Vec<&Guide>) = site
            .guides
            .iter()
            .map(|g| &**g)
            .filter(|g| self.plan.published.contains_key(&g.id))
            .partition(|g| self.plan.publishes(&g.id, &lang.code));
        guides.sort_by_cached_key(|g| {
            (
                g.title
                    .resolve(&lang.code, site.source_lang(), site.outdated)
                    .text
                    .to_lowercase(),
                g.id.clone(),
            )
        });
        // A guide published only in other languages (`languages:` in guide.yaml) is not "not yet
        // translated": it is listed apart, or not at all, as the site says.
        let (elsewhere, omitted): (Vec<&Guide>, Vec<&Guide>) =
            omitted.into_iter().partition(|g| !g.offered_in(&lang.code));
        let mut view = view::index_view(site, lang, &guides, &omitted, &self.languages());
        if site.list_other_languages {
            view.only_in = view::only_in_cards(site, lang, &elsewhere, self.plan);
        }
        let page = self.context.templates.index(&view)?;
        let search = self.search_index(lang, &guides);
        Ok(vec![
            OutFile::new(
                format!("{}/index.html", lang.code),
                page.into_bytes(),
                FileKind::Page,
            ),
            OutFile::new(
                crate::search::index_path(&lang.code),
                search.into_bytes(),
                FileKind::Other,
            ),
        ])
    }

    /// `<lang>/search-index.js` for `guides`, in the order the index lists them.
    fn search_index(&self, lang: &Language, guides: &[&Guide]) -> String {
        let collected = self.search.and_then(|s| s.get(&lang.code));
        let made: Vec<crate::search::GuideEntry> = match collected {
            Some(_) => Vec::new(),
            None => guides
                .iter()
                .map(|g| crate::search::guide_entry(self.site, g, lang))
                .collect(),
        };
        let entries: Vec<&crate::search::GuideEntry> = match collected {
            Some(by_id) => guides.iter().filter_map(|g| by_id.get(&g.id)).collect(),
            None => made.iter().collect(),
        };
        crate::search::index_script(&entries)
    }

    /// A guide as one self-contained file ([`crate::embed`]): the page with its stylesheet and
    /// screenshots inline.
    fn single(
        &self,
        guide: &Guide,
        lang: &'a Language,
        languages: &[&Language],
    ) -> Result<OutFile, String> {
        let mut view = self.view(guide, lang, languages);
        view.pdf = None;
        // No script travels: a service's video stays a link card with its QR code.
        view.has_embeds = false;
        crate::embed::inline_images(&mut view)?;
        let css = format!(
            "{}{}",
            self.context.templates.css,
            crate::icons::stylesheet()
        );
        let page = self
            .context
            .templates
            .guide_embedded(&view, "single", &css)?;
        let page = crate::embed::inline_text_images(&page, &view.attachments);
        let page = crate::embed::drop_site_links(&page, false);
        Ok(OutFile::new(
            format!(
                "{}/{}/{}",
                lang.code,
                guide.id,
                crate::embed::single_file_name(&guide.id, &lang.code)
            ),
            page.into_bytes(),
            FileKind::Page,
        ))
    }

    /// A guide's content for a CMS page ([`crate::embed`]): the page's main content, its ids
    /// prefixed, under one root element with the stylesheet scoped to it; its images inline
    /// (`--inline-images`) or the files beside it.
    fn fragment(
        &self,
        guide: &Guide,
        lang: &'a Language,
        languages: &[&Language],
    ) -> Result<Vec<OutFile>, String> {
        use crate::embed::{
            FRAGMENT_CLASS, drop_site_links, fragment_css, main_content, prefix_ids,
        };
        let mut view = self.view(guide, lang, languages);
        view.pdf = None;
        // No script travels: a service's video stays a link card with its QR code.
        view.has_embeds = false;
        let mut files = Vec::new();
        if self.plan.inline_images {
            crate::embed::inline_images(&mut view)?;
        } else {
            // The page's files beside it, less the page.
            files = self.page(guide, lang, languages)?;
            files.retain(|f| !f.path.ends_with("/index.html"));
        }
        let page = self
            .context
            .templates
            .guide_embedded(&view, "fragment", "")?;
        let main = main_content(&page)
            .map_err(|e| format!("fragment of {} in {}: {e}", guide.id, lang.code))?;
        let main = if self.plan.inline_images {
            crate::embed::inline_text_images(main, &view.attachments)
        } else {
            main.to_owned()
        };
        // Files beside the fragment are there unless its images are inline.
        let content = prefix_ids(&drop_site_links(&main, !self.plan.inline_images));
        let css = fragment_css(
            &format!(
                "{}{}",
                self.context.templates.css,
                crate::icons::stylesheet()
            ),
            &format!(".{FRAGMENT_CLASS}.{FRAGMENT_CLASS}"),
        );
        let fragment = format!(
            "<!-- guidegen: {id} ({lang}), for pasting into a page; see docs/embedding.md -->\n\
             <div class=\"{FRAGMENT_CLASS}\" lang=\"{lang}\" dir=\"{dir}\" data-guidegen-fragment=\"{id}\">\n\
             <style>\n{css}</style>{content}</div>\n",
            id = guide.id,
            lang = lang.code,
            dir = view.dir,
        );
        files.insert(
            0,
            OutFile::new(
                format!(
                    "{}/{}/{}",
                    lang.code,
                    guide.id,
                    crate::embed::fragment_file_name(&guide.id, &lang.code)
                ),
                fragment.into_bytes(),
                FileKind::Page,
            ),
        );
        Ok(files)
    }

    fn view(
        &self,
        guide: &Guide,
        lang: &'a Language,
        languages: &[&Language],
    ) -> view::GuideView<'a> {
        view::guide_view(
            self.site,
            &self.context.codes,
            guide,
            lang,
            languages,
            self.link_pdfs,
        )
    }

    /// The guide's page, and each screenshot and attachment beside it once, however many steps
    /// share it.
    fn page(
        &self,
        guide: &Guide,
        lang: &'a Language,
        languages: &[&Language],
    ) -> Result<Vec<OutFile>, String> {
        let view = self.view(guide, lang, languages);
        let folder = format!("{}/{}", lang.code, guide.id);
        let sizes = image_sizes(&guide.attachments);
        let page =
            crate::markdown::with_image_sizes(sizes, || self.context.templates.guide(&view))?;
        let mut beside: BTreeMap<String, Arc<Vec<u8>>> = BTreeMap::new();
        for shot in view.screenshots() {
            // The renditions first: a file of the guide's own of the same name wins.
            for rendition in crate::shots::renditions(&shot.image)? {
                beside.insert(rendition.rel, rendition.bytes);
            }
            beside.insert(shot.image.rel.clone(), Arc::clone(&shot.image.bytes));
        }
        let videos = view
            .video
            .iter()
            .chain(view.sections.iter().flat_map(|section| {
                section
                    .video
                    .iter()
                    .chain(section.steps.iter().filter_map(|step| step.video.as_ref()))
            }));
        let mut copies: BTreeMap<&str, &MediaFile> = BTreeMap::new();
        for video in videos {
            // A service video's poster is for the PDF only.
            if let (Some(poster), Some(_)) = (&video.poster, &video.local) {
                beside.insert(poster.image.rel.clone(), Arc::clone(&poster.image.bytes));
            }
            if let Some(local) = &video.local {
                copies.insert(&local.file.rel, &local.file);
                for (rel, bytes) in &local.caption_files {
                    beside.insert(rel.clone(), Arc::clone(bytes));
                }
            }
        }
        for (rel, bytes) in &guide.attachments {
            beside.insert(rel.clone(), Arc::clone(bytes));
        }
        let mut files = vec![OutFile::new(
            format!("{folder}/index.html"),
            page.into_bytes(),
            FileKind::Page,
        )];
        for alias in view::publish::alias_views(self.site, guide, lang) {
            let page = self.context.templates.alias(&alias)?;
            files.push(OutFile::new(
                format!("{}/{}/index.html", lang.code, alias.alias),
                page.into_bytes(),
                FileKind::Page,
            ));
        }
        // A video its Markdown also links to is an attachment already.
        copies.retain(|rel, _| !beside.contains_key(*rel));
        files.extend(
            beside.into_iter().map(|(rel, bytes)| {
                OutFile::new(format!("{folder}/{rel}"), bytes, FileKind::Media)
            }),
        );
        files.extend(
            copies
                .into_iter()
                .map(|(rel, file)| OutFile::copy(format!("{folder}/{rel}"), file.clone())),
        );
        Ok(files)
    }

    /// Makes what this build's jobs will ask of `guide`'s screenshots — the renditions pages and
    /// fragments offer narrow screens, the print copies PDFs embed — before its jobs run, each image
    /// decoded once for both, the images side by side on rayon's threads.
    pub fn prepare_images(&self, guide: &Guide) {
        use rayon::prelude::*;
        let plan = self.plan;
        let renditions = plan.html || plan.fragment || plan.single;
        let paper = plan.pdf.then_some(self.context.pdf.paper);
        let print_mm =
            |image: &Image| paper.map(|p| pdf::shot_width_mm(p, image.width, image.height));
        let mut todo = guide.screenshot_images();
        todo.retain(|image| crate::shots::needs_preparing(image, renditions, print_mm(image)));
        // Most guides' screenshots need nothing: no trip through rayon's pool for them.
        match todo[..] {
            [] => {}
            [image] => crate::shots::prepare(image, renditions, print_mm(image)),
            _ => todo.par_iter().for_each(|image| {
                crate::shots::prepare(image, renditions, print_mm(image));
            }),
        }
    }

    /// The guide's PDF in `lang`; for a guide with platform variants, one PDF per combination of
    /// platforms instead, each resolved for it.
    fn pdfs(
        &self,
        guide: &Guide,
        lang: &'a Language,
        languages: &[&Language],
    ) -> Result<Vec<OutFile>, String> {
        // `<id>-<lang>.pdf` always: with variants, every variant in it, each labelled.
        let all = self.pdf(guide, lang, languages)?;
        let combinations = guide.combinations(self.site);
        let devices = guide.variant_devices();
        let each: Result<Vec<OutFile>, String> = combinations
            .iter()
            .map(|choice| {
                let resolved = guide.resolve(choice);
                let view = self.view(&resolved, lang, languages);
                let name = crate::variants::pdf_file_name(&guide.id, &lang.code, choice, &devices);
                let bytes = pdf::render_guide(&view, &self.context.pdf)
                    .map_err(|e| format!("PDF {name}: {e}"))?;
                Ok(OutFile::new(
                    format!("{}/{}/{name}", lang.code, guide.id),
                    bytes,
                    FileKind::Pdf,
                ))
            })
            .collect();
        let mut files = vec![all];
        files.extend(each?);
        Ok(files)
    }

    fn pdf(
        &self,
        guide: &Guide,
        lang: &'a Language,
        languages: &[&Language],
    ) -> Result<OutFile, String> {
        let view = self.view(guide, lang, languages);
        let bytes = pdf::render_guide(&view, &self.context.pdf)
            .map_err(|e| format!("PDF of {} in {}: {e}", guide.id, lang.code))?;
        Ok(OutFile::new(
            format!(
                "{}/{}/{}",
                lang.code,
                guide.id,
                view::pdf_file_name(&guide.id, &lang.code)
            ),
            bytes,
            FileKind::Pdf,
        ))
    }
}

/// How many files of each kind were written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub pages: usize,
    pub pdfs: usize,
    pub other: usize,
}

impl Counts {
    /// Counts `files` in.
    pub fn add(&mut self, files: &[OutFile]) {
        for file in files {
            match file.kind {
                FileKind::Page => self.pages += 1,
                FileKind::Pdf => self.pdfs += 1,
                FileKind::Media | FileKind::Other => self.other += 1,
            }
        }
    }
}

impl std::ops::Add for Counts {
    type Output = Counts;
    fn add(self, other: Counts) -> Counts {
        Counts {
            pages: self.pages + other.pages,
            pdfs: self.pdfs + other.pdfs,
            other: self.other + other.other,
        }
    }
}

/// Renders `jobs` into `output` on worker threads, calling `done` with the number of jobs finished
/// after each. Every job runs, whatever others do. Err: every failure, sorted.
pub fn render_into(
    renderer: &Renderer,
    jobs: &[Job],
    output: &dyn Output,
    done: &(dyn Fn(usize) + Sync),
) -> Result<Counts, Vec<String>> {
    let progress = Mutex::new((Counts::default(), 0usize));
    let errors = Mutex::new(Vec::<String>::new());
    for_each_on_workers(jobs, |job| {
        let written = renderer
            .render(*job)
            .and_then(|files| output.put_all(&files).map(|()| files));
        match written {
            Ok(files) => {
                let mut progress = progress.lock().unwrap_or_else(|e| e.into_inner());
                progress.0.add(&files);
                progress.1 += 1;
                done(progress.1);
            }
            Err(message) => errors
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(message),
        }
    });
    let mut errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    if !errors.is_empty() {
        errors.sort();
        return Err(errors);
    }
    Ok(progress.into_inner().unwrap_or_else(|e| e.into_inner()).0)
}

/// Stack of a render worker: typst's layout recurses with the depth of the guide's Markdown.
const WORKER_STACK_BYTES: usize = 16 * 1024 * 1024;

/// Runs `work` on every item on plain worker threads, one per core — not on rayon's pool.
///
/// typst-pdf (through krilla) waits for its own deferred work with `rayon::yield_now`, which on a
/// rayon worker runs whatever rayon job is queued: another guide's whole render, nested on the same
/// stack. With a hundred-odd guides the nesting overflowed the stack. On our own threads the wait
/// blocks instead, and rayon's pool is left to typst's short inner tasks.
pub fn for_each_on_workers<T: Sync>(items: &[T], work: impl Fn(&T) + Sync) {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len().max(1));
    let take = || {
        while let Some(item) = items.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
            work(item);
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let spawned = std::thread::Builder::new()
                .name("guidegen-render".into())
                .stack_size(WORKER_STACK_BYTES)
                .spawn_scoped(scope, take);
            // Without a thread of our own, this thread does the work.
            if spawned.is_err() {
                take();
            }
        }
    });
}

/// The pixel size of each image among a guide's attached files (the images of its texts).
fn image_sizes(attachments: &BTreeMap<String, Arc<Vec<u8>>>) -> crate::markdown::ImageSizes {
    attachments
        .iter()
        .filter_map(|(rel, bytes)| {
            let ext = rel.rsplit('.').next().unwrap_or_default();
            let kind = crate::model::ImageKind::from_extension(ext)?;
            Some((rel.clone(), crate::shots::dimensions(bytes, kind)?))
        })
        .collect()
}
