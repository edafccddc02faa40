//! Model stage: the site context — settings, languages, templates, QR codes and PDF settings, made
//! once — and the guides by id, each loaded, validated and replaceable on its own.
//!
//! `build`, `check`, `i18n` and `serve` all start here. A guide is its own unit of work
//! (load → validate, then render), so that `serve` reloads one edited guide without touching the
//! others.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics, Sources, Span};
use crate::html::Templates;
use crate::load::{self, FoundGuide, SiteDir};
use crate::model::{Guide, Site};
use crate::pdf::PdfSettings;
use crate::qr;
use crate::validate;

/// What every guide is validated and rendered against. Made once per build, and again only when
/// guidegen.yaml, templates/ or locales/ change.
pub struct Context {
    pub dir: SiteDir,
    /// The site's settings. Its `guides` are filled from a [`GuideSet`] by [`GuideSet::site`].
    pub site: Site,
    pub templates: Templates,
    pub codes: qr::Codes,
    pub pdf: PdfSettings,
    /// Problems of guidegen.yaml, locales/ and templates/. Errors there that leave the settings
    /// usable are here too, so that the guides are still checked and every error shows in one run.
    pub diagnostics: Diagnostics,
    pub sources: Sources,
}

/// Why there is no context: the settings, a catalog or a template is unusable.
pub struct Broken {
    pub diagnostics: Diagnostics,
    pub sources: Sources,
}

impl Context {
    /// Loads and validates guidegen.yaml, locales/ and templates/. The guides found under guides/ are
    /// returned beside it, not yet read.
    pub fn load(site_dir: &Path) -> Result<(Context, Vec<FoundGuide>), Broken> {
        // One `git log` for the whole site, here rather than per guide: `serve` reloads the context
        // only when the settings change, so that a save of a guide never waits for git. It runs
        // beside the loading and validation below, as most of its time is git's own; a site with
        // errors in its settings is reported without waiting for it.
        let git = {
            let site_dir = site_dir.to_path_buf();
            std::thread::Builder::new()
                .name("guidegen-git".into())
                .spawn(move || crate::dates::git_folder_dates(&site_dir))
        };
        let dir = SiteDir::new(site_dir);
        // The templates are compiled beside the settings' loading and validation, which they do not
        // depend on; their diagnostics follow the settings' as before.
        let ((mut loaded, site, mut diagnostics), (templates, of_templates, template_sources)) =
            rayon::join(
                || {
                    let mut diagnostics = Diagnostics::new();
                    let loaded = load::load_site(&dir, &mut diagnostics);
                    // Validation finds positions inside guidegen.yaml's values (a link, a
                    // character) in its text.
                    let site = validate::validate_site(&dir, &loaded, &mut diagnostics);
                    (loaded, site, diagnostics)
                },
                || {
                    let (mut diagnostics, mut sources) = (Diagnostics::new(), Sources::default());
                    let templates = Templates::load(&dir, &mut diagnostics, &mut sources);
                    (templates, diagnostics, sources)
                },
            );
        diagnostics.extend(of_templates);
        let mut sources = std::mem::take(&mut loaded.sources);
        sources.extend(template_sources);
        let (Some(mut site), Some(templates)) = (site, templates) else {
            return Err(Broken {
                diagnostics,
                sources,
            });
        };
        let folder_dates = match git {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // Without a thread of its own, this one runs it.
            Err(_) => crate::dates::git_folder_dates(site_dir),
        };
        site.folder_dates = Arc::new(folder_dates);
        let context = Context {
            codes: qr::Codes::for_site(&site),
            pdf: PdfSettings::from_env(site.paper),
            dir,
            site,
            templates,
            diagnostics,
            sources,
        };
        Ok((context, loaded.guides))
    }
}

/// One guide of the site: where it is, its model when valid, its own diagnostics and its text.
#[derive(Debug, Clone)]
pub struct GuideEntry {
    pub found: FoundGuide,
    /// `None` when the guide has errors.
    pub guide: Option<Arc<Guide>>,
    pub diagnostics: Diagnostics,
    /// The text of guide.yaml, when it could be read, for diagnostics to quote.
    pub source: Option<String>,
}

impl GuideEntry {
    /// Reads, parses and validates one guide against the site's settings.
    pub fn load(site: &Site, found: FoundGuide) -> GuideEntry {
        let mut diagnostics = Diagnostics::new();
        let (source, parsed) = load::load_guide(found.clone(), &mut diagnostics);
        let guide = parsed.and_then(|parsed| {
            // Errors where the format check already dropped a part are that mistake again.
            let suppress = parsed.suppress.clone();
            let mut found = Diagnostics::new();
            let guide = validate::validate_guide(
                site,
                parsed,
                source.as_deref().unwrap_or_default(),
                &mut found,
            );
            diagnostics.extend(
                found
                    .into_iter()
                    .filter(|d| !(d.is_error() && suppress.contains(&d.span))),
            );
            guide
        });
        GuideEntry {
            found,
            guide: guide.map(Arc::new),
            diagnostics,
            source,
        }
    }
}

/// The guides of a site by id, and the problems of the set itself (two folders of one name).
#[derive(Debug, Clone, Default)]
pub struct GuideSet {
    pub by_id: BTreeMap<String, GuideEntry>,
    /// Folders whose name another guide already has: reported, not read.
    pub duplicates: Diagnostics,
}

impl GuideSet {
    /// Loads every found guide, in parallel.
    pub fn load(site: &Site, found: Vec<FoundGuide>) -> GuideSet {
        let (unique, duplicates) = unique_ids(found);
        let entries: Vec<GuideEntry> = unique
            .into_par_iter()
            .map(|found| GuideEntry::load(site, found))
            .collect();
        GuideSet {
            by_id: entries
                .into_iter()
                .map(|e| (e.found.id.clone(), e))
                .collect(),
            duplicates,
        }
    }

    /// Loads one guide again (after an edit), keeping the others.
    pub fn reload(&mut self, site: &Site, id: &str) {
        if let Some(entry) = self.by_id.get(id) {
            let fresh = GuideEntry::load(site, entry.found.clone());
            self.by_id.insert(id.to_owned(), fresh);
        }
    }

    /// Every diagnostic of every guide.
    pub fn diagnostics(&self) -> Diagnostics {
        let mut all = self.duplicates.clone();
        for entry in self.by_id.values() {
            all.extend(entry.diagnostics.clone());
        }
        all
    }

    /// The text of every guide file read.
    pub fn add_sources(&self, sources: &mut Sources) {
        for entry in self.by_id.values() {
            if let Some(text) = &entry.source {
                sources.insert(&entry.found.path, text.clone());
            }
        }
    }

    /// The site's settings with its valid guides, sorted by id.
    pub fn site(&self, settings: &Site) -> Site {
        let mut site = settings.clone();
        site.guides = self
            .by_id
            .values()
            .filter_map(|e| e.guide.clone())
            .collect();
        site
    }

    /// The id of the guide whose folder holds `path`, if any.
    pub fn owner_of(&self, path: &Path) -> Option<&str> {
        self.by_id
            .values()
            .filter(|e| path.starts_with(&e.found.dir))
            // Guides may nest (guides/wifi/guide.yaml and guides/wifi/eduroam/guide.yaml): the
            // deepest folder owns the file.
            .max_by_key(|e| e.found.dir.components().count())
            .map(|e| e.found.id.as_str())
    }

    /// The folders of the guides, by id.
    pub fn folders(&self) -> BTreeMap<&str, &PathBuf> {
        self.by_id
            .iter()
            .map(|(id, e)| (id.as_str(), &e.found.dir))
            .collect()
    }
}

/// Ids are folder names: a second folder of the same name is reported and not read.
pub fn unique_ids(found: Vec<FoundGuide>) -> (Vec<FoundGuide>, Diagnostics) {
    let mut first_of: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut unique = Vec::new();
    let mut duplicates = Diagnostics::new();
    for guide in found {
        match first_of.get(&guide.id) {
            Some(first) => duplicates.push(
                Diagnostic::error(
                    &guide.path,
                    Span::START,
                    format!("a guide with id `{}` already exists", guide.id),
                )
                .with_hint(format!(
                    "{} has the same folder name; rename one of the folders",
                    first.display()
                )),
            ),
            None => {
                first_of.insert(guide.id.clone(), guide.path.clone());
                unique.push(guide);
            }
        }
    }
    (unique, duplicates)
}
