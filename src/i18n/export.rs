//! Translation stage: `guidegen i18n export` — a gettext PO file per guide and language for
//! translators, each entry named by its slot (`msgctxt "guide-id|step.3.action"`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Outcome, SITE_CONTEXT, checked_site, po, target_languages};
use crate::build::Failure;
use crate::fallback;
use crate::load::GUIDE_FILE;
use crate::model::{Guide, Site, Status, Text};
use crate::slot::{Slot, StepField};
use crate::validate::fingerprint;

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
        .join(guide.path.file_name().unwrap_or(GUIDE_FILE.as_ref()));
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
            .map(|t| format!(" “{}”", t.resolve(source, source, site.outdated).text))
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
        // A snippet's steps are translated in the snippet's file.
        for step in section.steps.iter().filter(|s| s.snippet.is_none()) {
            let device = site
                .devices
                .get(&step.device)
                .map_or(step.device.clone(), |d| {
                    d.label
                        .resolve(source, source, site.outdated)
                        .text
                        .to_lowercase()
                });
            for field in StepField::ALL {
                let what = field.description();
                out.insert(
                    Slot::Step(step.slot_number, field),
                    format!("Step {} ({device}){place}: {what}", step.number),
                );
            }
            let callouts = step.screenshot.as_ref().map_or(0, |s| s.callouts.len());
            for m in 1..=callouts {
                out.insert(
                    Slot::CalloutLabel(step.slot_number, m),
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
    po_catalog_after(site, guide, lang, None)
}

/// The PO catalog of one guide in one language, as msgmerge would update `previous` (the file an
/// earlier export wrote, perhaps translated since): an outdated translation's entry shows, as
/// `#| msgid`, the source text it was made from, found in `previous` by its recorded fingerprint.
pub fn po_catalog_after(
    site: &Site,
    guide: &Guide,
    lang: &str,
    previous: Option<&po::Catalog>,
) -> po::Catalog {
    let source = site.source_lang();
    let rel = site_relative(site, guide);
    let described = descriptions(site, guide);
    let entries = guide
        .slots()
        .into_iter()
        .map(|(slot, text)| {
            let place = Place {
                msgctxt: format!("{}|{slot}", guide.id),
                note: described.get(&slot).cloned(),
                reference: format!("{rel}:{}", text.origin.span.line),
            };
            entry(site, text, lang, place, previous)
        })
        .collect();
    po::Catalog {
        comments: comments(format!(
            "The {} \"{}\" ({rel}), from {source} into {lang}.",
            if guide.is_snippet() {
                "snippet"
            } else {
                "guide"
            },
            guide.id
        )),
        header: header(&format!("guidegen {}", guide.id), source, lang),
        entries,
    }
}

/// Where a text is, for its PO entry.
struct Place {
    msgctxt: String,
    /// For the translator (`#.`).
    note: Option<String>,
    /// `path:line` (`#:`).
    reference: String,
}

/// The PO entry of `text` in `lang`: its translation, fuzzy with its previous source text when
/// outdated.
fn entry(
    site: &Site,
    text: &Text,
    lang: &str,
    place: Place,
    previous: Option<&po::Catalog>,
) -> po::Entry {
    // An outdated translation is offered to the translator, marked for checking.
    let outdated =
        fallback::resolve(text, lang, site.source_lang(), site.outdated).status == Status::Outdated;
    let previous_msgid = text
        .translations
        .get(lang)
        .filter(|_| outdated)
        .and_then(|t| t.recorded.as_deref())
        .zip(previous)
        .and_then(|(recorded, previous)| previous_source(previous, &place.msgctxt, recorded));
    po::Entry {
        extracted: place.note.into_iter().collect(),
        references: vec![place.reference],
        flags: if outdated {
            vec!["fuzzy".to_owned()]
        } else {
            Vec::new()
        },
        msgctxt: Some(place.msgctxt),
        previous_msgid,
        msgid: text.source.clone(),
        msgstr: text
            .translations
            .get(lang)
            .map(|t| t.text.clone())
            .unwrap_or_default(),
        line: 0,
        obsolete: false,
    }
}

/// The PO catalog of guidegen.yaml's texts in one language (`_site.po`), or `None` when it has none.
pub fn site_catalog(
    site: &Site,
    lang: &str,
    previous: Option<&po::Catalog>,
) -> Option<po::Catalog> {
    let texts = site.texts();
    texts.first()?;
    let rel = crate::load::SITE_FILE;
    let source = site.source_lang();
    let entries = texts
        .iter()
        .map(|(name, text)| {
            let place = Place {
                msgctxt: format!("{SITE_CONTEXT}|{name}"),
                note: Some(site_text_note(name)),
                reference: format!("{rel}:{}", text.origin.span.line),
            };
            entry(site, text, lang, place, previous)
        })
        .collect();
    Some(po::Catalog {
        comments: comments(format!(
            "The site's own texts ({rel}): its title, app names, device labels; from {source} into {lang}."
        )),
        header: header("guidegen site", source, lang),
        entries,
    })
}

/// What a text of guidegen.yaml is, for translators.
fn site_text_note(name: &str) -> String {
    let parts: Vec<&str> = name.split('.').collect();
    match parts.as_slice() {
        ["title"] => "The site's title, on every page".to_owned(),
        ["organization"] => "The organization's name, on every page".to_owned(),
        ["apps", id, "name"] => format!("The name of the app `{id}`"),
        ["devices", id, "label"] => {
            format!("The device `{id}`, as in \"You need your …\" (lowercase within a sentence)")
        }
        ["devices", id, "banner"] => {
            format!("Shown when a step switches to the device `{id}`: \"You must now use …\"")
        }
        ["variables", name] => {
            format!("The variable (({name})), put into texts where they write it")
        }
        _ => name.to_owned(),
    }
}

/// The comments at the top of a PO file, after the first line saying what it translates.
fn comments(first: String) -> Vec<String> {
    vec![
        first,
        "Written by guidegen i18n export. Translate each msgstr; Markdown (**bold**, [links](…)) stays as it is.".to_owned(),
        "An entry marked fuzzy has an outdated translation: check it, then remove the mark.".to_owned(),
        "Bring the file back with: guidegen i18n import [SITE] FILE.po".to_owned(),
    ]
}

/// A PO file's header; the same on every export of the same site.
fn header(project: &str, source: &str, lang: &str) -> Vec<(String, String)> {
    vec![
        ("Project-Id-Version".into(), project.to_owned()),
        // Fixed, so that an export of the same site is the same file; translators' tools set their
        // own on saving.
        ("PO-Revision-Date".into(), "2000-01-01 00:00+0000".into()),
        ("Last-Translator".into(), "guidegen".into()),
        ("Language-Team".into(), lang.to_owned()),
        ("Language".into(), lang.to_owned()),
        ("MIME-Version".into(), "1.0".into()),
        ("Content-Type".into(), "text/plain; charset=UTF-8".into()),
        ("Content-Transfer-Encoding".into(), "8bit".into()),
        ("Plural-Forms".into(), po::plural_forms(lang).to_owned()),
        ("X-Generator".into(), "guidegen".into()),
        ("X-Source-Language".into(), source.to_owned()),
    ]
}

/// The source text with fingerprint `recorded` in an earlier PO file: an entry's msgid or previous
/// msgid, that of the entry named `msgctxt` first (a step may have moved since).
fn previous_source(previous: &po::Catalog, msgctxt: &str, recorded: &str) -> Option<String> {
    let named = previous
        .entries
        .iter()
        .filter(|e| e.msgctxt.as_deref() == Some(msgctxt));
    let others = previous
        .entries
        .iter()
        .filter(|e| e.msgctxt.as_deref() != Some(msgctxt));
    named
        .chain(others)
        .filter(|e| !e.obsolete)
        .flat_map(|e| [Some(&e.msgid), e.previous_msgid.as_ref()])
        .flatten()
        .find(|text| fingerprint(text) == recorded)
        .cloned()
}

/// The PO file an earlier export wrote at `path`, if there is a readable one: an unreadable or broken
/// one only means that no previous source texts are shown.
fn earlier_export(path: &Path) -> Option<po::Catalog> {
    let bytes = crate::files::read_regular(path, crate::files::MAX_TEXT_FILE_BYTES).ok()?;
    po::parse(&String::from_utf8(bytes).ok()?).ok()
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
        let path = folder.join(format!("{SITE_CONTEXT}.po"));
        if let Some(catalog) = site_catalog(&site, lang, earlier_export(&path).as_ref()) {
            summary.untranslated += catalog
                .entries
                .iter()
                .filter(|e| e.msgstr.is_empty() || e.is_fuzzy())
                .count();
            if let Err(e) = std::fs::write(&path, catalog.write()) {
                return Outcome::fail(
                    Failure::Output(format!("cannot write {}: {e}", path.display())),
                    diagnostics,
                    sources,
                );
            }
            summary.files.push(path);
        }
        // A guide published only in some languages is not translated into the others.
        for guide in site.guides.iter().filter(|g| g.offered_in(lang)) {
            let path = folder.join(format!("{}.po", guide.id));
            // A snippet's is in snippets/.
            if let Some(parent) = path.parent()
                && let Err(e) = std::fs::create_dir_all(parent)
            {
                return Outcome::fail(
                    Failure::Output(format!("cannot create {}: {e}", parent.display())),
                    diagnostics,
                    sources,
                );
            }
            let catalog = po_catalog_after(&site, guide, lang, earlier_export(&path).as_ref());
            summary.untranslated += catalog
                .entries
                .iter()
                .filter(|e| e.msgstr.is_empty() || e.is_fuzzy())
                .count();
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
