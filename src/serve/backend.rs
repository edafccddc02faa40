//! Serve: the site in memory, kept up to date guide by guide — the [`Backend`] the server asks.
//!
//! The site context is made once (again only when guidegen.yaml, templates/ or locales/ change); an
//! edited guide is loaded, validated and rendered again alone, with the language indexes that list
//! it. A guide with errors keeps its last good pages, and its errors go with the snapshot.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::{Backend, Problem, Snapshot};
use crate::context::{Context, GuideSet};
use crate::diagnostic::{Diagnostics, Sources};
use crate::load::{GUIDE_FILE, SITE_FILE};
use crate::model::{Guide, Site};
use crate::plan::{Format, Plan, Request};
use crate::render::{self, Job, Renderer};
use crate::write::Memory;

/// The site folder's parts whose change means a new context: everything is rendered again. The
/// snippets are read with the context (any guide may use one).
const CONTEXT_FOLDERS: [&str; 3] = ["templates", "locales", crate::snippets::SNIPPETS_DIR];

/// Opens the site in `site_dir` and renders it into memory.
pub fn open(site_dir: &Path) -> Box<dyn Backend> {
    let mut backend = SiteBackend::empty(site_dir);
    backend.reload_everything();
    Box::new(backend)
}

/// A site whose context loaded.
struct Ready {
    context: Context,
    guides: GuideSet,
    /// The settings with every guide to show: the valid ones, and the last good version of those
    /// with errors.
    site: Site,
    plan: Plan,
}

struct SiteBackend {
    site_dir: PathBuf,
    /// `None` while guidegen.yaml, a catalog or a template has errors.
    ready: Option<Ready>,
    /// The errors that keep the context from loading.
    context_problems: Diagnostics,
    context_sources: Sources,
    /// Every file of the site, by output path.
    files: BTreeMap<String, Arc<Vec<u8>>>,
    /// The output paths of each guide's pages and their files, to replace them when it changes.
    files_of: HashMap<String, Vec<String>>,
    /// The last valid version of each guide, shown while it has errors.
    last_good: HashMap<String, Arc<Guide>>,
    generation: u64,
    snapshot: Arc<Snapshot>,
    /// PDFs made on request, by output path, until their guide changes.
    pdfs: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

impl Backend for SiteBackend {
    fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot)
    }

    fn changed(&mut self, paths: &[PathBuf]) -> Arc<Snapshot> {
        match self.what_changed(paths) {
            Change::Nothing => {}
            Change::Everything => self.reload_everything(),
            Change::Guides(ids) => self.reload_guides(&ids),
        }
        self.snapshot()
    }

    fn pdf(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, String>> {
        if let Some(pdf) = self
            .pdfs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
        {
            return Some(Ok(Arc::clone(pdf)));
        }
        let ready = self.ready.as_ref()?;
        let (lang, id) = pdf_of(path, &ready.plan)?;
        let renderer = Renderer::new(&ready.context, &ready.site, &ready.plan);
        // A guide with platform variants has a PDF per combination: one job makes them all.
        let files = match renderer.render(Job::Pdf(id, lang)) {
            Ok(files) => files,
            Err(error) => return Some(Err(error)),
        };
        let mut pdfs = self.pdfs.lock().unwrap_or_else(|e| e.into_inner());
        for file in &files {
            pdfs.insert(file.path.clone(), Arc::clone(&file.bytes));
        }
        // A name no combination has is not found.
        pdfs.get(path).cloned().map(Ok)
    }

    fn ignored(&self) -> Vec<PathBuf> {
        vec![self.site_dir.join("output")]
    }
}

/// What a batch of changed paths means for the site.
#[derive(Debug, PartialEq, Eq)]
enum Change {
    Nothing,
    /// The context: settings, a template or a catalog — or the set of guides itself.
    Everything,
    /// These guides, by id.
    Guides(Vec<String>),
}

impl SiteBackend {
    /// A backend of the site in `site_dir` that has read nothing yet.
    fn empty(site_dir: &Path) -> SiteBackend {
        SiteBackend {
            site_dir: site_dir.to_path_buf(),
            ready: None,
            context_problems: Diagnostics::new(),
            context_sources: Sources::default(),
            files: BTreeMap::new(),
            files_of: HashMap::new(),
            last_good: HashMap::new(),
            generation: 0,
            snapshot: Arc::new(Snapshot {
                files: BTreeMap::new(),
                generation: 0,
                problems: Vec::new(),
            }),
            pdfs: Mutex::new(HashMap::new()),
        }
    }

    fn what_changed(&self, paths: &[PathBuf]) -> Change {
        let Some(ready) = &self.ready else {
            return Change::Everything;
        };
        let root = &self.site_dir;
        let guides_dir = root.join("guides");
        let mut ids = Vec::new();
        for path in paths {
            let rel = path.strip_prefix(root).unwrap_or(path);
            // The site folder itself: the watcher lost track of what changed (its queue overflowed).
            if rel.as_os_str().is_empty() {
                return Change::Everything;
            }
            let context_file =
                rel == Path::new(SITE_FILE) || CONTEXT_FOLDERS.iter().any(|f| rel.starts_with(f));
            if context_file {
                return Change::Everything;
            }
            if !path.starts_with(&guides_dir) {
                continue;
            }
            // A guide added, removed or moved changes the set of guides: find them all again.
            let removed_guide =
                path.file_name().is_some_and(|n| n == GUIDE_FILE) && !path.is_file();
            let new_guide = path.is_dir()
                && path.join(GUIDE_FILE).is_file()
                && !ready.guides.folders().values().any(|dir| *dir == path);
            let set_changes = removed_guide || new_guide || ready.guides.owner_of(path).is_none();
            if set_changes {
                return Change::Everything;
            }
            if let Some(id) = ready.guides.owner_of(path)
                && !ids.iter().any(|i| i == id)
            {
                ids.push(id.to_owned());
            }
        }
        if ids.is_empty() {
            Change::Nothing
        } else {
            Change::Guides(ids)
        }
    }

    /// Loads the context and every guide again, and renders everything.
    fn reload_everything(&mut self) {
        self.pdfs.lock().unwrap_or_else(|e| e.into_inner()).clear();
        match Context::load(&self.site_dir) {
            Err(broken) => {
                // The last good pages stay; the errors go over every page.
                self.context_problems = broken.diagnostics;
                self.context_sources = broken.sources;
            }
            Ok((context, found)) => {
                self.context_problems = Diagnostics::new();
                self.context_sources = Sources::default();
                let guides = GuideSet::load(&context.site, found);
                let ready = self.ready_from(context, guides);
                let renderer = Renderer::new(&ready.context, &ready.site, &ready.plan);
                let mut jobs = renderer.jobs();
                jobs.retain(|job| !matches!(job, Job::Pdf(..)));
                let rendered = render(&renderer, &jobs);
                self.files.clear();
                self.files_of.clear();
                self.take(rendered);
                self.ready = Some(ready);
            }
        }
        self.publish();
    }

    /// Loads the guides `ids` again and renders their pages and the language indexes.
    fn reload_guides(&mut self, ids: &[String]) {
        let Some(Ready {
            context,
            mut guides,
            ..
        }) = self.ready.take()
        else {
            return self.reload_everything();
        };
        for id in ids {
            guides.reload(&context.site, id);
        }
        let ready = self.ready_from(context, guides);
        {
            let mut pdfs = self.pdfs.lock().unwrap_or_else(|e| e.into_inner());
            pdfs.retain(|path, _| !ids.iter().any(|id| belongs_to(path, id)));
        }
        let renderer = Renderer::new(&ready.context, &ready.site, &ready.plan);
        let jobs: Vec<Job> = renderer
            .jobs()
            .into_iter()
            .filter(|job| match job {
                Job::Index(_) | Job::Sitemap => true,
                Job::Page(id, _) => ids.iter().any(|i| i == id),
                _ => false,
            })
            .collect();
        let rendered = render(&renderer, &jobs);
        for id in ids {
            for path in self.files_of.remove(id).unwrap_or_default() {
                self.files.remove(&path);
            }
        }
        self.take(rendered);
        self.ready = Some(ready);
        self.publish();
    }

    /// The site to render: valid guides, and the last good version of those with errors.
    fn ready_from(&mut self, context: Context, guides: GuideSet) -> Ready {
        let mut shown: Vec<Arc<Guide>> = Vec::new();
        for (id, entry) in &guides.by_id {
            match &entry.guide {
                Some(guide) => {
                    self.last_good.insert(id.clone(), Arc::clone(guide));
                    shown.push(Arc::clone(guide));
                }
                None => shown.extend(self.last_good.get(id).cloned()),
            }
        }
        self.last_good.retain(|id, _| guides.by_id.contains_key(id));
        let mut site = context.site.clone();
        site.guides = shown;
        let request = Request {
            languages: Vec::new(),
            formats: vec![Format::Html, Format::Pdf],
            strict: false,
        };
        let plan = Plan::resolve(&site, &request, &mut Diagnostics::new())
            .unwrap_or_else(|_| unreachable_plan(&site));
        Ready {
            context,
            guides,
            site,
            plan,
        }
    }

    /// Takes rendered files in, remembering which guide each belongs to (`<lang>/<id>/…`).
    fn take(&mut self, rendered: BTreeMap<String, Arc<Vec<u8>>>) {
        for (path, bytes) in rendered {
            if let Some(id) = path
                .split('/')
                .nth(1)
                .filter(|_| path.matches('/').count() >= 2)
            {
                self.files_of
                    .entry(id.to_owned())
                    .or_default()
                    .push(path.clone());
            }
            self.files.insert(path, bytes);
        }
    }

    /// Makes the current files and problems the snapshot the server answers from.
    fn publish(&mut self) {
        self.generation += 1;
        self.snapshot = Arc::new(Snapshot {
            files: self.files.clone(),
            generation: self.generation,
            problems: self.problems(),
        });
    }

    fn problems(&self) -> Vec<Problem> {
        let mut sources = self.context_sources.clone();
        let mut problems: Vec<(Option<String>, crate::diagnostic::Diagnostic)> = self
            .context_problems
            .clone()
            .sorted()
            .into_iter()
            .map(|d| (None, d))
            .collect();
        if let Some(ready) = &self.ready {
            ready.guides.add_sources(&mut sources);
            for d in ready.context.diagnostics.clone().sorted() {
                problems.push((None, d));
            }
            for d in ready.guides.duplicates.clone().sorted() {
                problems.push((None, d));
            }
            // Two guides claiming one address: shown over every page, as a duplicate id is.
            let clashes = crate::validate::alias_clashes(
                ready
                    .guides
                    .by_id
                    .values()
                    .filter_map(|e| e.guide.as_deref()),
            );
            for d in clashes.sorted() {
                problems.push((None, d));
            }
            for (id, entry) in &ready.guides.by_id {
                for d in entry.diagnostics.clone().sorted() {
                    problems.push((Some(id.clone()), d));
                }
            }
        }
        problems
            .into_iter()
            .map(|(guide, diagnostic)| Problem {
                rendered: diagnostic.render(&sources),
                guide,
                diagnostic,
            })
            .collect()
    }
}

/// Renders `jobs` into memory. A job that fails (a template error at render time) is left out;
/// the terminal says why, and its page keeps its last good version.
fn render(renderer: &Renderer, jobs: &[Job]) -> BTreeMap<String, Arc<Vec<u8>>> {
    let memory = Memory::default();
    if let Err(errors) = render::render_into(renderer, jobs, &memory, &|_| {}) {
        for error in errors {
            eprintln!("error: {error}");
        }
    }
    memory.into_files()
}

/// `en/mfa-setup/mfa-setup-en.pdf` → (`en`, `mfa-setup`), when the plan publishes that PDF.
fn pdf_of<'p>(path: &str, plan: &'p Plan) -> Option<(&'p str, &'p str)> {
    let mut parts = path.split('/');
    let (lang, id, file) = (parts.next()?, parts.next()?, parts.next()?);
    let combination = file
        .strip_prefix(&format!("{id}-{lang}-"))
        .is_some_and(|rest| rest.ends_with(".pdf"));
    if parts.next().is_some() || (file != crate::view::pdf_file_name(id, lang) && !combination) {
        return None;
    }
    let (id, langs) = plan.published.get_key_value(id)?;
    let lang = langs.iter().find(|l| *l == lang)?;
    Some((lang.as_str(), id.as_str()))
}

/// Whether the output path `path` is one of guide `id`'s files (`<lang>/<id>/…`).
fn belongs_to(path: &str, id: &str) -> bool {
    path.split('/').nth(1) == Some(id)
}

/// A plan of nothing: [`Plan::resolve`] fails only for an unknown `--lang`, which serve never asks.
fn unreachable_plan(site: &Site) -> Plan {
    Plan {
        languages: site.languages.iter().map(|l| l.code.clone()).collect(),
        html: true,
        pdf: true,
        fragment: false,
        single: false,
        inline_images: false,
        published: BTreeMap::new(),
        fallback_texts: 0,
        outdated_texts: 0,
        omitted: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load;

    /// The guide files under `guides/` of the site, to compare with what serve shows.
    fn guide_files(site_dir: &Path) -> usize {
        let mut diagnostics = Diagnostics::new();
        load::load_site(&load::SiteDir::new(site_dir), &mut diagnostics)
            .guides
            .len()
    }

    fn example() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn renders_every_page_of_the_example_in_memory() {
        let backend = open(&example());
        let snapshot = backend.snapshot();
        assert!(snapshot.files.contains_key("index.html"));
        assert!(snapshot.files.contains_key("assets/style.css"));
        assert!(snapshot.files.contains_key("da/mfa-setup/index.html"));
        assert!(snapshot.files.contains_key("en/mfa-setup/index.html"));
        // A guide's pages, not the pages of its aliases (which send the reader on to it).
        let is_alias = |bytes: &[u8]| String::from_utf8_lossy(bytes).contains("data-alias=");
        let pages = snapshot
            .files
            .iter()
            .filter(|(p, bytes)| {
                p.ends_with("/index.html") && p.matches('/').count() == 2 && !is_alias(bytes)
            })
            .count();
        assert!(snapshot.files.contains_key("da/mfa/index.html"), "an alias");
        // Every guide in each of its languages (the example has one in Danish only).
        let site = crate::build::check(&example())
            .site
            .expect("the example is valid");
        assert_eq!(site.guides.len(), guide_files(&example()));
        let expected: usize = site
            .guides
            .iter()
            .map(|g| {
                site.languages
                    .iter()
                    .filter(|l| g.offered_in(&l.code))
                    .count()
            })
            .sum();
        assert_eq!(pages, expected);
        assert!(!snapshot.files.keys().any(|p| p.ends_with(".pdf")));
        assert!(
            snapshot.problems.iter().all(|p| !p.diagnostic.is_error()),
            "the example has no errors"
        );
    }

    #[test]
    fn makes_a_pdf_when_asked_and_only_a_published_one() {
        let backend = open(&example());
        let pdf = backend
            .pdf("en/mfa-setup/mfa-setup-en.pdf")
            .expect("a published PDF")
            .expect("renders");
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(backend.pdf("en/mfa-setup/other.pdf").is_none());
        assert!(backend.pdf("xx/mfa-setup/mfa-setup-xx.pdf").is_none());
        assert!(backend.pdf("en/../../etc/passwd").is_none());
        // A guide with platform variants: one PDF per combination, none of every variant.
        let pdf = backend
            .pdf("en/vpn/vpn-en-macos-ios.pdf")
            .expect("a combination's PDF")
            .expect("renders");
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(backend.pdf("en/vpn/vpn-en-linux-ios.pdf").is_none());
    }

    #[test]
    fn names_what_a_change_affects() {
        let backend = SiteBackend::empty(&example());
        // Without a context, everything.
        assert_eq!(
            backend.what_changed(&[example().join("guides/wifi/eduroam/guide.yaml")]),
            Change::Everything
        );
        let mut backend = backend;
        backend.reload_everything();
        let root = example();
        assert_eq!(
            backend.what_changed(&[root.join("guides/mfa-setup/guide.yaml")]),
            Change::Guides(vec!["mfa-setup".into()])
        );
        assert_eq!(
            backend.what_changed(&[root.join("guides/mfa-setup/shots/signin.svg")]),
            Change::Guides(vec!["mfa-setup".into()])
        );
        assert_eq!(
            backend.what_changed(&[root.join("guides/wifi/eduroam/shots/wifi-list.svg")]),
            Change::Guides(vec!["eduroam".into()])
        );
        assert_eq!(
            backend.what_changed(&[root.join("templates/style.css")]),
            Change::Everything
        );
        assert_eq!(
            backend.what_changed(&[root.join(SITE_FILE)]),
            Change::Everything
        );
        assert_eq!(
            backend.what_changed(&[root.join("snippets/approve-sign-in.yaml")]),
            Change::Everything
        );
        assert_eq!(
            backend.what_changed(&[root.join("guides/new-guide/guide.yaml")]),
            Change::Everything
        );
        assert_eq!(
            backend.what_changed(&[root.join("README.md")]),
            Change::Nothing
        );
        assert_eq!(
            backend.what_changed(std::slice::from_ref(&root)),
            Change::Everything,
            "the watcher lost track: everything"
        );
    }
}
