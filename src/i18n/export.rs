//! Translation stage: `guidegen i18n export` — a gettext PO file per guide and language for
//! translators, each entry named by its slot (`msgctxt "guide-id|step.3.action"`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Outcome, checked_site, po, target_languages};
use crate::build::Failure;
use crate::fallback;
use crate::load::GUIDE_FILE;
use crate::model::{Guide, Site, Status};
use crate::slot::{Slot, StepField};

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub site_dir: PathBuf,
    /// Empty: every language but the source language.
    pub languages: Vec<String>,
    /// Default: `<site_dir>/translations`. Files are written to `<out>/<lang>/<guide-id>.po`.
    pub out_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub files: Vec<PathBuf>,
    /// Entries without a current translation, over every file.
    pub untranslated: usize,
}

/// The path of a guide's file relative to the site's root, with `/`: for PO references.
fn site_relative(site: &Site, guide: &Guide) -> String {
    let rel = guide
        .dir
        .strip_prefix(&site.root)
        .unwrap_or(&guide.dir)
        .join(GUIDE_FILE);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// A readable place for every text of a guide, for translators: "Step 3 (phone), in section 1 “…”".
fn descriptions(site: &Site, guide: &Guide) -> BTreeMap<Slot, String> {
    let source = site.source_lang();
    let mut out = BTreeMap::from([
        (Slot::Title, "The guide's title".to_owned()),
        (
            Slot::Summary,
            "The guide's summary, at its top (Markdown)".to_owned(),
        ),
        (
            Slot::VideoTitle,
            "The title of the guide's video, shown after its overview".to_owned(),
        ),
    ]);
    let several = guide.sections.len() > 1 || guide.sections.iter().any(|s| s.title.is_some());
    for (i, section) in guide.sections.iter().enumerate() {
        let n = i + 1;
        let title = section
            .title
            .as_ref()
            .map(|t| format!(" “{}”", t.resolve(source, source).text))
            .unwrap_or_default();
        out.insert(Slot::SectionTitle(n), format!("The title of section {n}"));
        out.insert(
            Slot::SectionIntro(n),
            format!("The introduction of section {n}{title} (Markdown)"),
        );
        out.insert(
            Slot::SectionVideoTitle(n),
            format!("The title of the video of section {n}{title}"),
        );
        let place = if several {
            format!(", in section {n}{title}")
        } else {
            String::new()
        };
        for step in &section.steps {
            let device = site
                .devices
                .get(&step.device)
                .map_or(step.device.clone(), |d| {
                    d.label.resolve(source, source).text.to_lowercase()
                });
            for field in StepField::ALL {
                let what = field.description();
                out.insert(
                    Slot::Step(step.number, field),
                    format!("Step {} ({device}){place}: {what}", step.number),
                );
            }
            let callouts = step.screenshot.as_ref().map_or(0, |s| s.callouts.len());
            for m in 1..=callouts {
                out.insert(
                    Slot::CalloutLabel(step.number, m),
                    format!(
                        "Step {} ({device}){place}: the label of callout {m}, a short name for what it points at on the screenshot",
                        step.number
                    ),
                );
            }
        }
    }
    out
}

/// The PO catalog of one guide in one language.
pub fn po_catalog(site: &Site, guide: &Guide, lang: &str) -> po::Catalog {
    let source = site.source_lang();
    let rel = site_relative(site, guide);
    let described = descriptions(site, guide);
    let entries = guide
        .slots()
        .into_iter()
        .map(|(slot, text)| {
            // An outdated translation is offered to the translator, marked for checking.
            let outdated = fallback::resolve(text, lang, source).status == Status::Outdated;
            po::Entry {
                extracted: described.get(&slot).cloned().into_iter().collect(),
                references: vec![format!("{rel}:{}", text.origin.span.line)],
                flags: if outdated {
                    vec!["fuzzy".to_owned()]
                } else {
                    Vec::new()
                },
                msgctxt: Some(format!("{}|{slot}", guide.id)),
                msgid: text.source.clone(),
                msgstr: text
                    .translations
                    .get(lang)
                    .map(|t| t.text.clone())
                    .unwrap_or_default(),
                line: 0,
                obsolete: false,
            }
        })
        .collect();
    po::Catalog {
        comments: vec![
            format!("The guide \"{}\" ({rel}), from {source} into {lang}.", guide.id),
            "Written by guidegen i18n export. Translate each msgstr; Markdown (**bold**, [links](…)) stays as it is.".to_owned(),
            "An entry marked fuzzy has an outdated translation: check it, then remove the mark.".to_owned(),
            "Bring the file back with: guidegen i18n import [SITE] FILE.po".to_owned(),
        ],
        header: vec![
            ("Project-Id-Version".into(), format!("guidegen {}", guide.id)),
            ("Language".into(), lang.to_owned()),
            ("MIME-Version".into(), "1.0".into()),
            ("Content-Type".into(), "text/plain; charset=UTF-8".into()),
            ("Content-Transfer-Encoding".into(), "8bit".into()),
            ("Plural-Forms".into(), po::plural_forms(lang).to_owned()),
            ("X-Generator".into(), "guidegen".into()),
            ("X-Source-Language".into(), source.to_owned()),
        ],
        entries,
    }
}

/// Writes one PO file per guide and language.
pub fn export(options: &ExportOptions) -> Outcome<ExportSummary> {
    let (site, diagnostics, sources) = match checked_site(&options.site_dir) {
        Ok(x) => x,
        Err((d, s)) => return Outcome::fail(Failure::Site, d, s),
    };
    let languages = match target_languages(&site, &options.languages) {
        Ok(l) if l.is_empty() => {
            return Outcome::fail(
                Failure::Usage("the site has only its source language: add a language to `languages` in guidegen.yaml first".into()),
                diagnostics,
                sources,
            );
        }
        Ok(l) => l,
        Err(f) => return Outcome::fail(f, diagnostics, sources),
    };
    let out = options
        .out_dir
        .clone()
        .unwrap_or_else(|| options.site_dir.join("translations"));
    let mut summary = ExportSummary::default();
    for lang in &languages {
        let folder = out.join(lang);
        if let Err(e) = std::fs::create_dir_all(&folder) {
            return Outcome::fail(
                Failure::Output(format!("cannot create {}: {e}", folder.display())),
                diagnostics,
                sources,
            );
        }
        for guide in &site.guides {
            let catalog = po_catalog(&site, guide, lang);
            summary.untranslated += catalog
                .entries
                .iter()
                .filter(|e| e.msgstr.is_empty() || e.is_fuzzy())
                .count();
            let path = folder.join(format!("{}.po", guide.id));
            if let Err(e) = std::fs::write(&path, catalog.write()) {
                return Outcome::fail(
                    Failure::Output(format!("cannot write {}: {e}", path.display())),
                    diagnostics,
                    sources,
                );
            }
            summary.files.push(path);
        }
    }
    Outcome::done(summary, diagnostics, sources)
}
